"""VPC building blocks shared by scenarios."""

from __future__ import annotations

from typing import Any


def tags(name: str, **extra: str) -> list[dict[str, Any]]:
    t = [{"Key": "Name", "Value": name}] + [{"Key": k, "Value": v} for k, v in extra.items()]
    return t


def spec(resource: str, name: str, **extra: str) -> list[dict[str, Any]]:
    return [{"ResourceType": resource, "Tags": tags(name, **extra)}]


def build_vpc(ec2: Any, region: str, octet: int, *, nat: bool = True, endpoint: bool = True,
              prefix: str = "app") -> dict[str, Any]:
    """VPC 10.<octet>.0.0/16: private-a (AZ a), private-b (AZ b), public (AZ a), IGW + public RT,
    optional NAT gateway + private RT (associated with private-a only; private-b stays on the main
    RT), a function SG and optionally an interface endpoint for Lambda with its own SG (443 from
    0.0.0.0/0)."""
    az_a, az_b = f"{region}a", f"{region}b"
    out: dict[str, Any] = {"region": region}
    vpc = ec2.create_vpc(CidrBlock=f"10.{octet}.0.0/16",
                         TagSpecifications=spec("vpc", f"{prefix}-vpc-{region}"))["Vpc"]
    vpc_id = vpc["VpcId"]
    out["vpc_id"] = vpc_id
    ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsSupport={"Value": True})
    ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsHostnames={"Value": True})

    def subnet(cidr: str, az: str, name: str) -> str:
        return ec2.create_subnet(VpcId=vpc_id, CidrBlock=cidr, AvailabilityZone=az,
                                 TagSpecifications=spec("subnet", name))["Subnet"]["SubnetId"]

    out["private_a"] = subnet(f"10.{octet}.1.0/24", az_a, f"{prefix}-private-a")
    out["private_b"] = subnet(f"10.{octet}.2.0/24", az_b, f"{prefix}-private-b")
    out["public"] = subnet(f"10.{octet}.0.0/24", az_a, f"{prefix}-public")

    main_rt = ec2.describe_route_tables(Filters=[
        {"Name": "vpc-id", "Values": [vpc_id]},
        {"Name": "association.main", "Values": ["true"]}])["RouteTables"][0]["RouteTableId"]
    out["main_route_table"] = main_rt

    igw = ec2.create_internet_gateway(
        TagSpecifications=spec("internet-gateway", f"{prefix}-igw"))["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc_id)
    out["igw"] = igw
    pub_rt = ec2.create_route_table(VpcId=vpc_id, TagSpecifications=spec(
        "route-table", f"{prefix}-public-rt"))["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=pub_rt, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    ec2.associate_route_table(RouteTableId=pub_rt, SubnetId=out["public"])
    out["public_route_table"] = pub_rt

    if nat:
        alloc = ec2.allocate_address(Domain="vpc")["AllocationId"]
        nat_id = ec2.create_nat_gateway(SubnetId=out["public"], AllocationId=alloc,
                                        ConnectivityType="public",
                                        TagSpecifications=spec("natgateway", f"{prefix}-nat"))[
            "NatGateway"]["NatGatewayId"]
        out["nat_gateway"] = nat_id
        priv_rt = ec2.create_route_table(VpcId=vpc_id, TagSpecifications=spec(
            "route-table", f"{prefix}-private-rt"))["RouteTable"]["RouteTableId"]
        ec2.create_route(RouteTableId=priv_rt, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nat_id)
        ec2.associate_route_table(RouteTableId=priv_rt, SubnetId=out["private_a"])
        out["private_route_table"] = priv_rt

    out["function_sg"] = ec2.create_security_group(
        GroupName=f"{prefix}-fn-sg", Description="Lambda functions", VpcId=vpc_id,
        TagSpecifications=spec("security-group", f"{prefix}-fn-sg"))["GroupId"]

    if endpoint:
        ep_sg = ec2.create_security_group(
            GroupName=f"{prefix}-endpoint-sg", Description="Interface endpoints", VpcId=vpc_id,
            TagSpecifications=spec("security-group", f"{prefix}-endpoint-sg"))["GroupId"]
        ec2.authorize_security_group_ingress(GroupId=ep_sg, IpPermissions=[{
            "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
            "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "HTTPS from anywhere"}]}])
        out["endpoint_sg"] = ep_sg
        out["lambda_endpoint"] = ec2.create_vpc_endpoint(
            VpcEndpointType="Interface", VpcId=vpc_id,
            ServiceName=f"com.amazonaws.{region}.lambda",
            SubnetIds=[out["private_a"], out["private_b"]], SecurityGroupIds=[ep_sg],
            PrivateDnsEnabled=True,
            TagSpecifications=spec("vpc-endpoint", f"{prefix}-lambda-endpoint"))["VpcEndpoint"]["VpcEndpointId"]
    return out

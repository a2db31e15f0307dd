"""Scenario `network-placement`: where VPC functions sit in the network (one account, us-east-1).

Covers LAMBDA005 function-single-az, LAMBDA101 function-public-subnet, LAMBDA102 function-no-egress,
EC2101 eni-orphaned and EC2102 vpc-endpoint-sg-open (plus LAMBDA003 function-not-in-vpc), and
describes what `vpcwarden inventory enis` should show.

VPCs (all in us-east-1, AZs a/b/c):
  net            10.40.0.0/16  private-a (a) + private-c (c) -> private RT 0.0.0.0/0 -> NAT gateway;
                               private-b (b) not associated (main RT: local route only);
                               public-a (a) -> public RT 0.0.0.0/0 -> IGW (the NAT gateway lives here);
                               interface endpoints lambda (SG: 443 from 0.0.0.0/0 -> open) and sqs
                               (SG: 443 from net-fn-sg and from 10.40.0.0/16 -> not open).
  isolated       10.41.0.0/16  iso-a, iso-b on the main RT (local only); no endpoint, no NAT.
  legacy         10.42.0.0/16  leg-a, leg-b not associated; the MAIN RT has 0.0.0.0/0 -> IGW, so both
                               subnets are public through the main-route-table fallback.
  endpoint-only  10.43.0.0/16  eo-a, eo-b on the main RT (local only); interface endpoint
                               secretsmanager (SG: all traffic from ::/0 only -> open, IPv6 case) and
                               gateway endpoint s3 (no security group -> no finding).

moto has no Lambda-managed ENIs: the Lambda-looking ENIs are made with lambda_eni() and the in-use
ones are attached to stand-in instances with hold_eni() (see lambda_vpc_mix). Those instances, and
moto itself, own further ENIs that are not Lambda's; they are listed in resources.enis_other and
must get no eni-orphaned finding.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from .common import LAMBDA_TRUST, Account, lambda_zip, log, pj
from .lambda_vpc_mix import hold_eni, lambda_eni
from .network import spec

REGION = "us-east-1"
AZ = {k: f"{REGION}{k}" for k in "abc"}
ROLE = "np-fn-role"


class Net:
    """Small EC2 helpers bound to one client; every resource gets a Name tag."""

    def __init__(self, ec2: Any) -> None:
        self.ec2 = ec2

    def vpc(self, cidr: str, name: str) -> str:
        vpc_id = self.ec2.create_vpc(CidrBlock=cidr, TagSpecifications=spec("vpc", name))["Vpc"]["VpcId"]
        self.ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsSupport={"Value": True})
        self.ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsHostnames={"Value": True})
        return vpc_id

    def subnet(self, vpc_id: str, cidr: str, az: str, name: str) -> str:
        return self.ec2.create_subnet(VpcId=vpc_id, CidrBlock=cidr, AvailabilityZone=AZ[az],
                                      TagSpecifications=spec("subnet", name))["Subnet"]["SubnetId"]

    def main_rt(self, vpc_id: str) -> str:
        rts = self.ec2.describe_route_tables(Filters=[
            {"Name": "vpc-id", "Values": [vpc_id]},
            {"Name": "association.main", "Values": ["true"]}])["RouteTables"]
        assert len(rts) == 1, rts
        return rts[0]["RouteTableId"]

    def rt(self, vpc_id: str, name: str, subnets: list[str], **route: str) -> str:
        rt_id = self.ec2.create_route_table(VpcId=vpc_id, TagSpecifications=spec(
            "route-table", name))["RouteTable"]["RouteTableId"]
        if route:
            self.ec2.create_route(RouteTableId=rt_id, DestinationCidrBlock="0.0.0.0/0", **route)
        for s in subnets:
            self.ec2.associate_route_table(RouteTableId=rt_id, SubnetId=s)
        return rt_id

    def igw(self, vpc_id: str, name: str) -> str:
        igw = self.ec2.create_internet_gateway(TagSpecifications=spec("internet-gateway", name))[
            "InternetGateway"]["InternetGatewayId"]
        self.ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc_id)
        return igw

    def sg(self, vpc_id: str, name: str, desc: str, ingress: list[dict[str, Any]] | None = None) -> str:
        sg_id = self.ec2.create_security_group(GroupName=name, Description=desc, VpcId=vpc_id,
                                               TagSpecifications=spec("security-group", name))["GroupId"]
        if ingress:
            self.ec2.authorize_security_group_ingress(GroupId=sg_id, IpPermissions=ingress)
        return sg_id

    def interface_endpoint(self, vpc_id: str, service: str, subnets: list[str], sgs: list[str],
                           name: str) -> str:
        return self.ec2.create_vpc_endpoint(
            VpcEndpointType="Interface", VpcId=vpc_id, ServiceName=f"com.amazonaws.{REGION}.{service}",
            SubnetIds=subnets, SecurityGroupIds=sgs, PrivateDnsEnabled=True,
            TagSpecifications=spec("vpc-endpoint", name))["VpcEndpoint"]["VpcEndpointId"]

    def gateway_endpoint(self, vpc_id: str, service: str, route_tables: list[str], name: str) -> str:
        return self.ec2.create_vpc_endpoint(
            VpcEndpointType="Gateway", VpcId=vpc_id, ServiceName=f"com.amazonaws.{REGION}.{service}",
            RouteTableIds=route_tables,
            TagSpecifications=spec("vpc-endpoint", name))["VpcEndpoint"]["VpcEndpointId"]


def build_networks(ec2: Any) -> dict[str, Any]:
    n = Net(ec2)
    vpcs: dict[str, Any] = {}

    # --- net: NAT-routed private subnets, one subnet left on the main RT, public subnet, endpoints.
    v = n.vpc("10.40.0.0/16", "net")
    sub = {"private-a": n.subnet(v, "10.40.1.0/24", "a", "private-a"),
           "private-b": n.subnet(v, "10.40.2.0/24", "b", "private-b"),
           "private-c": n.subnet(v, "10.40.3.0/24", "c", "private-c"),
           "public-a": n.subnet(v, "10.40.0.0/24", "a", "public-a")}
    igw = n.igw(v, "net-igw")
    pub_rt = n.rt(v, "net-public-rt", [sub["public-a"]], GatewayId=igw)
    alloc = ec2.allocate_address(Domain="vpc")["AllocationId"]
    nat = ec2.create_nat_gateway(SubnetId=sub["public-a"], AllocationId=alloc, ConnectivityType="public",
                                 TagSpecifications=spec("natgateway", "net-nat"))["NatGateway"]["NatGatewayId"]
    priv_rt = n.rt(v, "net-private-rt", [sub["private-a"], sub["private-c"]], NatGatewayId=nat)
    fn_sg = n.sg(v, "net-fn-sg", "Lambda functions of net")
    old_sg = n.sg(v, "old-sg", "security group of a retired function; no function uses it")
    ver_sg = n.sg(v, "ver-sg", "security group of f-versioned's published version 1 only")
    lambda_ep_sg = n.sg(v, "net-lambda-endpoint-sg", "lambda endpoint: 443 from anywhere", [{
        "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
        "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "HTTPS from anywhere"}]}])
    sqs_ep_sg = n.sg(v, "net-sqs-endpoint-sg", "sqs endpoint: 443 from the functions and the VPC", [{
        "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
        "UserIdGroupPairs": [{"GroupId": fn_sg, "Description": "from the functions"}],
        "IpRanges": [{"CidrIp": "10.40.0.0/16", "Description": "from the VPC"}]}])
    ep_subnets = [sub["private-a"], sub["private-c"]]
    vpcs["net"] = {
        "vpc_id": v, "cidr": "10.40.0.0/16", "subnets": sub,
        "route_tables": {"main": n.main_rt(v), "public": pub_rt, "private": priv_rt},
        "igw": igw, "nat_gateway": nat, "eip_allocation": alloc,
        "sgs": {"net-fn-sg": fn_sg, "old-sg": old_sg, "ver-sg": ver_sg, "lambda-endpoint-sg": lambda_ep_sg,
                "sqs-endpoint-sg": sqs_ep_sg},
        "endpoints": {
            "lambda": n.interface_endpoint(v, "lambda", ep_subnets, [lambda_ep_sg], "net-lambda-endpoint"),
            "sqs": n.interface_endpoint(v, "sqs", ep_subnets, [sqs_ep_sg], "net-sqs-endpoint"),
        },
    }

    # --- isolated: nothing but the local route.
    v = n.vpc("10.41.0.0/16", "isolated")
    sub = {"iso-a": n.subnet(v, "10.41.1.0/24", "a", "iso-a"),
           "iso-b": n.subnet(v, "10.41.2.0/24", "b", "iso-b")}
    vpcs["isolated"] = {
        "vpc_id": v, "cidr": "10.41.0.0/16", "subnets": sub, "route_tables": {"main": n.main_rt(v)},
        "sgs": {"iso-fn-sg": n.sg(v, "iso-fn-sg", "Lambda functions of isolated")},
        "endpoints": {},
    }

    # --- legacy: the MAIN route table routes 0.0.0.0/0 to an IGW.
    v = n.vpc("10.42.0.0/16", "legacy")
    sub = {"leg-a": n.subnet(v, "10.42.1.0/24", "a", "leg-a"),
           "leg-b": n.subnet(v, "10.42.2.0/24", "b", "leg-b")}
    main = n.main_rt(v)
    igw = n.igw(v, "legacy-igw")
    ec2.create_route(RouteTableId=main, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    vpcs["legacy"] = {
        "vpc_id": v, "cidr": "10.42.0.0/16", "subnets": sub, "route_tables": {"main": main}, "igw": igw,
        "sgs": {"leg-fn-sg": n.sg(v, "leg-fn-sg", "Lambda functions of legacy")},
        "endpoints": {},
    }

    # --- endpoint-only: no internet route, but endpoints.
    v = n.vpc("10.43.0.0/16", "endpoint-only")
    sub = {"eo-a": n.subnet(v, "10.43.1.0/24", "a", "eo-a"),
           "eo-b": n.subnet(v, "10.43.2.0/24", "b", "eo-b")}
    main = n.main_rt(v)
    sm_sg = n.sg(v, "eo-secretsmanager-endpoint-sg", "secretsmanager endpoint: everything from ::/0", [{
        "IpProtocol": "-1", "Ipv6Ranges": [{"CidrIpv6": "::/0", "Description": "all IPv6"}]}])
    vpcs["endpoint-only"] = {
        "vpc_id": v, "cidr": "10.43.0.0/16", "subnets": sub, "route_tables": {"main": main},
        "sgs": {"eo-fn-sg": n.sg(v, "eo-fn-sg", "Lambda functions of endpoint-only"),
                "secretsmanager-endpoint-sg": sm_sg},
        "endpoints": {
            "secretsmanager": n.interface_endpoint(v, "secretsmanager", [sub["eo-a"], sub["eo-b"]],
                                                   [sm_sg], "eo-secretsmanager-endpoint"),
            "s3": n.gateway_endpoint(v, "s3", [main], "eo-s3-endpoint"),
        },
    }
    return vpcs


def dress_service_enis(ec2: Any, vpcs: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """moto gives the ENIs it makes for interface endpoints and NAT gateways an empty description
    and the VPC's default security group. Give them AWS's descriptions ("VPC Endpoint Interface
    vpce-...", "Interface for NAT Gateway nat-...") and, for endpoints, the endpoint's groups, so
    eni-orphaned and the ENI inventory see what they would see in AWS. (InterfaceType stays
    'interface', RequesterManaged false and Status 'available': moto cannot change those.)"""
    out: dict[str, dict[str, Any]] = {}
    vpc_ids = [v["vpc_id"] for v in vpcs.values()]
    for ep in ec2.describe_vpc_endpoints(Filters=[{"Name": "vpc-id", "Values": vpc_ids}])["VpcEndpoints"]:
        groups = [g["GroupId"] for g in ep.get("Groups", [])]
        for eni in ep.get("NetworkInterfaceIds", []):
            desc = f"VPC Endpoint Interface {ep['VpcEndpointId']}"
            ec2.modify_network_interface_attribute(NetworkInterfaceId=eni, Groups=groups,
                                                   Description={"Value": desc})
            out[eni] = {"owner": ep["VpcEndpointId"], "description": desc}
    for nat in ec2.describe_nat_gateways(Filter=[{"Name": "vpc-id", "Values": vpc_ids}])["NatGateways"]:
        for addr in nat.get("NatGatewayAddresses", []):
            if addr.get("NetworkInterfaceId"):
                desc = f"Interface for NAT Gateway {nat['NatGatewayId']}"
                ec2.modify_network_interface_attribute(NetworkInterfaceId=addr["NetworkInterfaceId"],
                                                       Description={"Value": desc})
                out[addr["NetworkInterfaceId"]] = {"owner": nat["NatGatewayId"], "description": desc}
    return out


def create_fn(acct: Account, name: str, vpc: dict[str, list[str]] | None) -> str:
    kw: dict[str, Any] = {"VpcConfig": vpc} if vpc else {}
    arn = acct.client("lambda", REGION).create_function(
        FunctionName=name, Runtime="python3.12", Role=acct.role(ROLE), Handler="index.handler",
        Code={"ZipFile": lambda_zip()}, Timeout=10, MemorySize=128,
        Tags={"scenario": "network-placement"}, **kw)["FunctionArn"]
    assert arn == acct.fn_arn(REGION, name), arn
    return arn


def seed(acct: Account, args: Any) -> dict[str, Any]:
    a = acct.account_id
    ec2 = acct.client("ec2", REGION)
    iam = acct.client("iam")
    iam.create_role(RoleName=ROLE, AssumeRolePolicyDocument=pj(LAMBDA_TRUST),
                    Description="execution role of the network-placement functions (no ENI rights)")
    # Logs only, inline (no AWS managed policy: works without MOTO_IAM_LOAD_MANAGED_POLICIES).
    iam.put_role_policy(RoleName=ROLE, PolicyName="logs", PolicyDocument=pj({
        "Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": f"arn:aws:logs:{REGION}:{a}:*"}]}))

    vpcs = build_networks(ec2)
    actual_az = {x["SubnetId"]: x["AvailabilityZone"] for x in ec2.get_paginator(
        "describe_subnets").paginate().build_full_result()["Subnets"]}
    for v in vpcs.values():
        v["subnet_azs"] = {lbl: actual_az[sid] for lbl, sid in v["subnets"].items()}
        assert all(az == AZ[lbl[-1]] for lbl, az in v["subnet_azs"].items()), v["subnet_azs"]
    service_enis = dress_service_enis(ec2, vpcs)
    log("vpcs done")
    net, iso, eo = vpcs["net"], vpcs["isolated"], vpcs["endpoint-only"]
    ns, nsg = net["subnets"], net["sgs"]["net-fn-sg"]

    # Function name -> (VPC label, subnet labels, SG labels); None: not in a VPC.
    placement: dict[str, tuple[str, list[str], list[str]] | None] = {
        "f-ha": ("net", ["private-a", "private-c"], ["net-fn-sg"]),
        "f-single": ("net", ["private-a"], ["net-fn-sg"]),
        "f-mainrt": ("net", ["private-b"], ["net-fn-sg"]),
        "f-public": ("net", ["public-a", "private-c"], ["net-fn-sg"]),
        "f-isolated": ("isolated", ["iso-a", "iso-b"], ["iso-fn-sg"]),
        "f-legacy": ("legacy", ["leg-a", "leg-b"], ["leg-fn-sg"]),
        "f-eo": ("endpoint-only", ["eo-a", "eo-b"], ["eo-fn-sg"]),
        "f-novpc": None,
    }

    def vpc_config(p: tuple[str, list[str], list[str]] | None) -> dict[str, list[str]] | None:
        if p is None:
            return None
        v = vpcs[p[0]]
        return {"SubnetIds": [v["subnets"][s] for s in p[1]],
                "SecurityGroupIds": [v["sgs"][g] for g in p[2]]}

    configs = {name: vpc_config(p) for name, p in placement.items()}
    with ThreadPoolExecutor(max_workers=4) as ex:
        fns = dict(zip(configs, ex.map(lambda kv: create_fn(acct, kv[0], kv[1]), configs.items())))
    # f-versioned: version 1 was published on (private-c, ver-sg); $LATEST moved to
    # (private-a, net-fn-sg). The version's pair stays in use (Lambda keeps its ENI).
    lam = acct.client("lambda", REGION)
    fns["f-versioned"] = create_fn(acct, "f-versioned", {"SubnetIds": [ns["private-c"]],
                                                         "SecurityGroupIds": [net["sgs"]["ver-sg"]]})
    assert lam.publish_version(FunctionName="f-versioned")["Version"] == "1"
    configs["f-versioned"] = {"SubnetIds": [ns["private-a"]], "SecurityGroupIds": [nsg]}
    lam.update_function_configuration(FunctionName="f-versioned", VpcConfig=configs["f-versioned"])
    placement["f-versioned"] = ("net", ["private-a"], ["net-fn-sg"])
    version_pairs = {"f-versioned:1": (ns["private-c"], (net["sgs"]["ver-sg"],))}
    log("functions done")

    # ENIs. Lambda-looking ones via lambda_eni(); in-use ones attached to stand-in instances.
    enis = {
        "f-ha/private-a": lambda_eni(ec2, ns["private-a"], [nsg], "f-ha"),
        "f-ha/private-c": lambda_eni(ec2, ns["private-c"], [nsg], "f-ha"),
        "f-retired/private-b": lambda_eni(ec2, ns["private-b"], [net["sgs"]["old-sg"]], "f-retired"),
        "f-isolated/iso-a": lambda_eni(ec2, iso["subnets"]["iso-a"], [iso["sgs"]["iso-fn-sg"]],
                                       "f-isolated"),
        "f-versioned:1/private-c": lambda_eni(ec2, ns["private-c"], [net["sgs"]["ver-sg"]], "f-versioned"),
    }
    # Not Lambda's, yet on a pair f-public uses (public-a, net-fn-sg): must not count as serving it.
    unrelated = ec2.create_network_interface(
        SubnetId=ns["public-a"], Groups=[nsg], Description="ops debugging interface",
        TagSpecifications=spec("network-interface", "ops-debug"))["NetworkInterface"]["NetworkInterfaceId"]
    held = {"f-ha/private-a": ns["private-a"], "f-retired/private-b": ns["private-b"],
            "f-isolated/iso-a": iso["subnets"]["iso-a"], "f-versioned:1/private-c": ns["private-c"]}
    holders = {label: hold_eni(ec2, subnet, enis[label]) for label, subnet in held.items()}
    log("enis done")

    # Every other ENI of the account (moto's own for NAT gateway/endpoints, the holders' primaries).
    described = {e["NetworkInterfaceId"]: e for e in
                 ec2.get_paginator("describe_network_interfaces").paginate().build_full_result()[
                     "NetworkInterfaces"]}
    ours = set(enis.values()) | {unrelated}
    enis_other = {eni_id: {"description": e.get("Description", ""), "status": e.get("Status"),
                           "subnet_id": e.get("SubnetId"), "interface_type": e.get("InterfaceType"),
                           "requester_managed": e.get("RequesterManaged"),
                           "attached_instance": (e.get("Attachment") or {}).get("InstanceId"),
                           "owner": service_enis.get(eni_id, {}).get(
                               "owner", (e.get("Attachment") or {}).get("InstanceId"))}
                  for eni_id, e in sorted(described.items()) if eni_id not in ours}
    statuses = {label: described[eni_id]["Status"] for label, eni_id in enis.items()}
    expected_status = {"f-ha/private-a": "in-use", "f-ha/private-c": "available",
                       "f-retired/private-b": "in-use", "f-isolated/iso-a": "in-use",
                       "f-versioned:1/private-c": "in-use"}
    assert statuses == expected_status, statuses
    assert set(service_enis) <= set(enis_other), service_enis
    for eni_id in service_enis:
        assert enis_other[eni_id]["description"] == service_enis[eni_id]["description"], eni_id
    for eni_id, e in enis_other.items():
        assert not e["description"].startswith("AWS Lambda VPC ENI"), (eni_id, e)
        assert e["interface_type"] != "lambda", (eni_id, e)

    def fa(*names: str) -> list[str]:
        return [fns[n] for n in names]

    def eni_arn(label: str) -> str:
        return f"arn:aws:ec2:{REGION}:{a}:network-interface/{enis[label]}"

    def ep_arn(vpc: dict[str, Any], svc: str) -> str:
        return f"arn:aws:ec2:{REGION}:{a}:vpc-endpoint/{vpc['endpoints'][svc]}"

    expect = {
        "function-not-in-vpc": {
            "fail": fa("f-novpc"),
            "pass": fa("f-ha", "f-single", "f-mainrt", "f-public", "f-isolated", "f-legacy", "f-eo",
                       "f-versioned"),
            "not_evaluated": [],
        },
        "function-single-az": {
            "fail": fa("f-single", "f-mainrt", "f-versioned"),
            "pass": fa("f-ha", "f-public", "f-isolated", "f-legacy", "f-eo"),
            "not_evaluated": [],
        },
        "function-public-subnet": {
            "fail": fa("f-public", "f-legacy"),
            "pass": fa("f-ha", "f-single", "f-mainrt", "f-isolated", "f-eo", "f-versioned"),
            "not_evaluated": [],
        },
        "function-no-egress": {
            "fail": fa("f-isolated", "f-legacy"),
            "pass": fa("f-ha", "f-single", "f-mainrt", "f-public", "f-eo", "f-versioned"),
            "not_evaluated": [],
        },
        "eni-orphaned": {
            "fail": [eni_arn("f-ha/private-c"), eni_arn("f-retired/private-b")],
            "pass": [eni_arn("f-ha/private-a"), eni_arn("f-isolated/iso-a"),
                     eni_arn("f-versioned:1/private-c")],
            "not_evaluated": [],
        },
        "vpc-endpoint-sg-open": {
            "fail": [ep_arn(net, "lambda"), ep_arn(eo, "secretsmanager")],
            "pass": [ep_arn(net, "sqs")],
            "not_evaluated": [],
        },
    }
    reasons = {
        "eni-orphaned": {enis["f-ha/private-c"]: "not_in_use", enis["f-retired/private-b"]: "pair_unused"},
        "function-no-egress": {"f-ha": "nat", "f-single": "nat", "f-public": "nat (private-c)",
                               "f-mainrt": "vpc endpoints (lambda, sqs)",
                               "f-eo": "vpc endpoints (secretsmanager, s3)",
                               "f-isolated": "no route, no endpoint",
                               "f-legacy": "igw only (main RT), no endpoint"},
        "function-public-subnet": {"f-public": "public-a via explicit public RT",
                                   "f-legacy": "leg-a, leg-b via main RT"},
    }

    # What `vpcwarden inventory enis` should show for the region: each (subnet, sorted SGs) pair
    # used by VPC functions with its functions and the Lambda ENIs (any status) on that pair.
    subnet_label = {sid: lbl for v in vpcs.values() for lbl, sid in v["subnets"].items()}
    subnet_vpc = {sid: v["vpc_id"] for v in vpcs.values() for sid in v["subnets"].values()}
    subnet_az = {v["subnets"][lbl]: az for v in vpcs.values() for lbl, az in v["subnet_azs"].items()}
    sg_label = {gid: lbl for v in vpcs.values() for lbl, gid in v["sgs"].items()}
    eni_pair = {label: (described[eid]["SubnetId"],
                        tuple(sorted(g["GroupId"] for g in described[eid]["Groups"])))
                for label, eid in enis.items()}
    pairs: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for name, cfg in configs.items():
        if cfg:
            for s in cfg["SubnetIds"]:
                pairs.setdefault((s, tuple(sorted(cfg["SecurityGroupIds"]))), []).append(name)
    # A published version whose attachment differs from its function's keeps its own pair in use.
    for version, pair in version_pairs.items():
        pairs.setdefault(pair, []).append(version)

    def eni_ref(label: str) -> dict[str, Any]:
        return {"network_interface_id": enis[label], "label": label, "status": statuses[label],
                "function_name": label.split("/")[0].split(":")[0]}

    inv_pairs = []
    for (s, g), users in sorted(pairs.items()):
        serving = sorted(label for label, p in eni_pair.items() if p == (s, g))
        inv_pairs.append({
            "subnet_id": s, "subnet": subnet_label[s], "vpc_id": subnet_vpc[s],
            "availability_zone": subnet_az[s], "security_group_ids": list(g),
            "security_groups": [sg_label[x] for x in g], "functions": sorted(users),
            "function_arns": [fns[u.split(":")[0]] + u[len(u.split(":")[0]):] for u in sorted(users)],
            "eni_ids": [enis[lbl] for lbl in serving],
            "enis": [eni_ref(lbl) for lbl in serving],
        })
    missing = {name: [{"subnet_id": p["subnet_id"], "subnet": p["subnet"],
                       "security_group_ids": p["security_group_ids"]}
                      for p in inv_pairs if name in p["functions"] and not p["eni_ids"]]
               for name in fns if configs[name]}
    inventory = {
        "pairs": inv_pairs,
        # Functions with at least one pair that no Lambda ENI (any status) serves, with those pairs
        # (what src/inventory.rs calls functions_without_eni; no function here is Inactive).
        "functions_without_eni": [{"name": n, "arn": fns[n], "pairs_without_eni": ps}
                                  for n, ps in sorted(missing.items()) if ps],
        # The stricter reading: none of the function's pairs has a Lambda ENI at all.
        "functions_with_no_eni_on_any_pair": sorted(
            n for n, ps in missing.items() if len(ps) == len(configs[n]["SubnetIds"])),
        "inactive_functions": [],
        "functions_not_in_vpc": sorted(n for n in fns if not configs[n]),
        # Lambda ENIs that are `available` or whose pair no function uses.
        "unused_enis": [eni_ref(lbl) for lbl in sorted(eni_pair)
                        if statuses[lbl] == "available" or eni_pair[lbl] not in pairs],
        # Not Lambda's (description / interface type): never listed under a pair nor as unused.
        "non_lambda_enis": sorted([unrelated, *enis_other]),
    }
    log("expectations done")

    return {
        "regions": [REGION],
        "expect": expect,
        "resources": {
            "functions": fns,
            "function_placement": {n: ({"vpc": p[0], "subnets": p[1], "security_groups": p[2]} if p else None)
                                   for n, p in placement.items()},
            "function_role": acct.role(ROLE),
            "vpcs": vpcs,
            "enis": {**enis, "unrelated": unrelated},
            "eni_status": {**statuses, "unrelated": described[unrelated]["Status"]},
            "eni_holder_instances": holders,
            "enis_other": enis_other,
            "eni_notes": ("enis: the Lambda-looking ENIs (Description 'AWS Lambda VPC ENI-<fn>-<uuid>') "
                          "and 'unrelated' (ops debugging, no finding). enis_other: ENIs moto made for "
                          "the interface endpoints (2 each) and the NAT gateway (descriptions set to "
                          "AWS's by the seeder) and the primary ENIs of the stand-in instances that "
                          "hold the in-use Lambda ENIs: none is Lambda's, none gets a finding. moto "
                          "reports InterfaceType 'interface', RequesterManaged false for all; the "
                          "endpoint/NAT ENIs stay 'available' with private IPs outside their subnet."),
            "expected_reasons": reasons,
            "inventory": inventory,
        },
    }

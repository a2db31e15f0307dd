"""Scenario `lambda-vpc-mix`: two regions, VPC-attached and plain functions, Lambda@Edge, IAM with
managed/inline/boundary policies, a user+group with a VPC guardrail, an SCP, ENIs."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from .common import LAMBDA_TRUST, Account, create_org, lambda_zip, log, pj
from .network import build_vpc, spec

REGIONS = ["us-east-1", "eu-west-1"]
OCTET = {"us-east-1": 10, "eu-west-1": 20}
AWS_VPC_ACCESS = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
AWS_BASIC_EXEC = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
AWS_LAMBDA_FULL = "arn:aws:iam::aws:policy/AWSLambda_FullAccess"
ENI_ACTIONS = ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets",
               "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses",
               "ec2:UnassignPrivateIpAddresses"]
LOGS = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]


def seed_iam(acct: Account, vpc_ids: list[str]) -> dict[str, Any]:
    iam = acct.client("iam")
    a = acct.account_id
    res: dict[str, Any] = {"roles": {}, "policies": {}, "users": {}, "groups": {}}

    def policy(name: str, doc: dict[str, Any], desc: str) -> str:
        arn = iam.create_policy(PolicyName=name, PolicyDocument=pj(doc), Description=desc)["Policy"]["Arn"]
        res["policies"][name] = arn
        return arn

    # Customer managed policies.
    plain_pol = policy("plain-app-policy", {"Version": "2012-10-17", "Statement": [
        {"Sid": "Logs", "Effect": "Allow", "Action": LOGS, "Resource": f"arn:aws:logs:*:{a}:*"},
        {"Sid": "EniForServiceOnly", "Effect": "Allow", "Action": ENI_ACTIONS, "Resource": "*",
         "Condition": {"Null": {"lambda:SourceFunctionArn": "true"}}},
        {"Sid": "ReadTable", "Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:Query"],
         "Resource": f"arn:aws:dynamodb:us-east-1:{a}:table/orders"}]},
        "logs + ENI actions guarded by the Null lambda:SourceFunctionArn condition")
    boundary = policy("edge-boundary", {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["logs:*", "lambda:GetFunction"], "Resource": "*"}]},
        "permissions boundary: logs only")
    guardrail = policy("lambda-vpc-guardrail", {"Version": "2012-10-17", "Statement": [
        {"Sid": "DenyOutsideApprovedVpcs", "Effect": "Deny",
         "Action": ["lambda:CreateFunction", "lambda:UpdateFunctionConfiguration"], "Resource": "*",
         "Condition": {"ForAllValues:StringNotEquals": {"lambda:VpcIds": vpc_ids}}}]},
        "Deny creating/updating functions outside the approved VPCs (also denies no-VPC functions)")

    # app-vpc-role: AWS managed VPC access (ENI actions on *, over-broad for the code) + basic + inline.
    iam.create_role(RoleName="app-vpc-role", AssumeRolePolicyDocument=pj(LAMBDA_TRUST),
                    Description="execution role of VPC functions", Tags=[{"Key": "app", "Value": "orders"}])
    iam.attach_role_policy(RoleName="app-vpc-role", PolicyArn=AWS_VPC_ACCESS)
    iam.attach_role_policy(RoleName="app-vpc-role", PolicyArn=AWS_BASIC_EXEC)
    iam.put_role_policy(RoleName="app-vpc-role", PolicyName="app-inline", PolicyDocument=pj({
        "Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage",
                                           "sqs:GetQueueAttributes"],
             "Resource": f"arn:aws:sqs:us-east-1:{a}:orders-queue"},
            {"Effect": "Allow", "Action": "dynamodb:PutItem",
             "Resource": f"arn:aws:dynamodb:*:{a}:table/orders"}]}))
    res["roles"]["app-vpc-role"] = acct.role("app-vpc-role")

    # plain-role: customer managed policy only (ENI actions properly conditioned).
    iam.create_role(RoleName="plain-role", AssumeRolePolicyDocument=pj(LAMBDA_TRUST))
    iam.attach_role_policy(RoleName="plain-role", PolicyArn=plain_pol)
    res["roles"]["plain-role"] = acct.role("plain-role")

    # edge-role: trusts lambda + edgelambda; inline ec2:* (over-broad) cut back by a boundary.
    iam.create_role(RoleName="edge-role", AssumeRolePolicyDocument=pj({
        "Version": "2012-10-17", "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": ["lambda.amazonaws.com", "edgelambda.amazonaws.com"]},
            "Action": "sts:AssumeRole"}]}),
        PermissionsBoundary=boundary)
    iam.attach_role_policy(RoleName="edge-role", PolicyArn=AWS_BASIC_EXEC)
    iam.put_role_policy(RoleName="edge-role", PolicyName="edge-inline", PolicyDocument=pj({
        "Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}]}))
    res["roles"]["edge-role"] = acct.role("edge-role")
    res["permissions_boundary"] = {"role": "edge-role", "policy": boundary}

    # Group with inline + attached (AWS managed and customer managed guardrail); user in it.
    iam.create_group(GroupName="developers")
    iam.put_group_policy(GroupName="developers", PolicyName="dev-inline", PolicyDocument=pj({
        "Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["lambda:CreateFunction", "lambda:UpdateFunctionConfiguration",
                                           "lambda:UpdateFunctionCode"], "Resource": "*"},
            {"Effect": "Allow", "Action": "iam:PassRole", "Resource": f"arn:aws:iam::{a}:role/*",
             "Condition": {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}}]}))
    iam.attach_group_policy(GroupName="developers", PolicyArn=AWS_LAMBDA_FULL)
    iam.attach_group_policy(GroupName="developers", PolicyArn=guardrail)
    iam.create_user(UserName="alice")
    iam.add_user_to_group(GroupName="developers", UserName="alice")
    iam.put_user_policy(UserName="alice", PolicyName="alice-inline", PolicyDocument=pj({
        "Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "lambda:GetFunction", "Resource": "*"}]}))
    # bob can create functions without any guardrail.
    iam.create_user(UserName="bob")
    iam.attach_user_policy(UserName="bob", PolicyArn=AWS_LAMBDA_FULL)
    res["groups"]["developers"] = f"arn:aws:iam::{a}:group/developers"
    res["users"]["alice"] = f"arn:aws:iam::{a}:user/alice"
    res["users"]["bob"] = f"arn:aws:iam::{a}:user/bob"
    return res


def seed_org(acct: Account) -> dict[str, Any]:
    org = acct.client("organizations")
    created = create_org(acct)
    root = {"Id": created["root_id"]}
    scp = org.create_policy(
        Name="deny-leave-org", Type="SERVICE_CONTROL_POLICY", Description="unrelated to Lambda",
        Content=pj({"Version": "2012-10-17", "Statement": [
            {"Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"}]}),
    )["Policy"]["PolicySummary"]
    org.attach_policy(PolicyId=scp["Id"], TargetId=root["Id"])
    return {"organization_id": created["organization_id"], "root_id": root["Id"], "scp_id": scp["Id"],
            "scp_arn": scp["Arn"], "scp_attached_to": root["Id"]}


def create_fn(acct: Account, region: str, name: str, runtime: str, role: str,
              vpc: dict[str, list[str]] | None = None, handler: str = "index.handler") -> str:
    lam = acct.client("lambda", region)
    kw: dict[str, Any] = {}
    if vpc:
        kw["VpcConfig"] = vpc
    code = lambda_zip("exports.handler = async () => 1;\n", "index.js") if runtime.startswith("node") \
        else lambda_zip()
    arn = lam.create_function(FunctionName=name, Runtime=runtime, Role=acct.role(role), Handler=handler,
                              Code={"ZipFile": code}, Timeout=10, MemorySize=128,
                              Tags={"scenario": "lambda-vpc-mix"}, **kw)["FunctionArn"]
    assert arn == acct.fn_arn(region, name), arn
    return arn


def lambda_eni(ec2: Any, subnet: str, sgs: list[str], fn_name: str) -> str:
    return ec2.create_network_interface(
        SubnetId=subnet, Groups=sgs, Description=f"AWS Lambda VPC ENI-{fn_name}-{uuid.uuid4()}",
        TagSpecifications=spec("network-interface", f"lambda-eni-{fn_name}"))["NetworkInterface"][
        "NetworkInterfaceId"]


def hold_eni(ec2: Any, subnet: str, eni: str) -> str:
    """moto has no Lambda-managed ENIs: every ENI made by CreateNetworkInterface is 'available'
    (InterfaceType 'interface', RequesterManaged false). To make an in-use Lambda ENI look in use,
    attach it to a stand-in instance in the same subnet (Status becomes 'in-use'; Attachment then
    carries that InstanceId, unlike a real Hyperplane ENI)."""
    inst = ec2.run_instances(ImageId="ami-12345678", InstanceType="t3.micro", MinCount=1, MaxCount=1,
                             SubnetId=subnet, TagSpecifications=spec(
                                 "instance", "moto-lambda-eni-holder"))["Instances"][0]["InstanceId"]
    ec2.attach_network_interface(DeviceIndex=1, InstanceId=inst, NetworkInterfaceId=eni)
    return inst


def seed(acct: Account, args: Any) -> dict[str, Any]:
    a = acct.account_id
    # Networks of both regions in parallel (independent moto backends).
    with ThreadPoolExecutor(max_workers=2) as ex:
        nets = dict(zip(REGIONS, ex.map(
            lambda r: build_vpc(acct.client("ec2", r), r, OCTET[r]), REGIONS)))
    log("vpcs done")
    iam_res = seed_iam(acct, [nets[r]["vpc_id"] for r in REGIONS])
    log("iam done")

    use, euw = nets["us-east-1"], nets["eu-west-1"]
    fns: dict[str, str] = {}
    fns["orders-vpc"] = create_fn(acct, "us-east-1", "orders-vpc", "python3.12", "app-vpc-role", {
        "SubnetIds": [use["private_a"], use["private_b"]], "SecurityGroupIds": [use["function_sg"]]})
    fns["public-api"] = create_fn(acct, "us-east-1", "public-api", "python3.7", "plain-role")
    fns["edge-auth"] = create_fn(acct, "us-east-1", "edge-auth", "nodejs18.x", "edge-role")
    fns["billing-vpc"] = create_fn(acct, "eu-west-1", "billing-vpc", "python3.12", "app-vpc-role", {
        "SubnetIds": [euw["private_a"]], "SecurityGroupIds": [euw["function_sg"]]})
    fns["reports-novpc"] = create_fn(acct, "eu-west-1", "reports-novpc", "go1.x", "plain-role",
                                     handler="main")
    log("functions done")

    lam = acct.client("lambda", "us-east-1")
    # Resource policy on public-api: a service principal bounded by SourceArn only, and a public one.
    lam.add_permission(FunctionName="public-api", StatementId="s3-invoke", Action="lambda:InvokeFunction",
                       Principal="s3.amazonaws.com", SourceArn="arn:aws:s3:::uploads-bucket")
    lam.add_permission(FunctionName="public-api", StatementId="public-invoke",
                       Action="lambda:InvokeFunction", Principal="*")
    lam.add_permission(FunctionName="public-api", StatementId="FunctionURLAllowPublicAccess",
                       Action="lambda:InvokeFunctionUrl", Principal="*", FunctionUrlAuthType="NONE")
    url = lam.create_function_url_config(FunctionName="public-api", AuthType="NONE",
                                         Cors={"AllowOrigins": ["*"], "AllowMethods": ["GET"]})
    # SQS event source on orders-vpc.
    sqs = acct.client("sqs", "us-east-1")
    qurl = sqs.create_queue(QueueName="orders-queue")["QueueUrl"]
    qarn = sqs.get_queue_attributes(QueueUrl=qurl, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    esm = lam.create_event_source_mapping(EventSourceArn=qarn, FunctionName="orders-vpc", BatchSize=10)

    # ENIs: Lambda-looking ones for each (subnet, SG set) pair in use, one orphan, one unrelated.
    ec2 = acct.client("ec2", "us-east-1")
    legacy_sg = ec2.create_security_group(GroupName="legacy-fn-sg", Description="no function uses it",
                                          VpcId=use["vpc_id"])["GroupId"]
    enis = {
        "orders-vpc/private-a": lambda_eni(ec2, use["private_a"], [use["function_sg"]], "orders-vpc"),
        "orders-vpc/private-b": lambda_eni(ec2, use["private_b"], [use["function_sg"]], "orders-vpc"),
        "orphan": lambda_eni(ec2, use["private_b"], [legacy_sg], "deleted-fn"),
        "unrelated": ec2.create_network_interface(
            SubnetId=use["public"], Groups=[use["function_sg"]],
            Description="ops debugging interface")["NetworkInterface"]["NetworkInterfaceId"],
    }
    ec2_eu = acct.client("ec2", "eu-west-1")
    enis_eu = {"billing-vpc/private-a": lambda_eni(ec2_eu, euw["private_a"], [euw["function_sg"]],
                                                   "billing-vpc")}
    holders = {
        "us-east-1": [hold_eni(ec2, use["private_a"], enis["orders-vpc/private-a"]),
                      hold_eni(ec2, use["private_b"], enis["orders-vpc/private-b"])],
        "eu-west-1": [hold_eni(ec2_eu, euw["private_a"], enis_eu["billing-vpc/private-a"])],
    }
    org_res = seed_org(acct)
    log("extras done")

    use["legacy_sg"] = legacy_sg
    use["enis"] = enis
    euw["enis"] = enis_eu
    use["eni_holder_instances"] = holders["us-east-1"]
    euw["eni_holder_instances"] = holders["eu-west-1"]
    return {
        "regions": REGIONS,
        "expect": {
            "function-not-in-vpc": {
                "fail": [fns["public-api"], fns["reports-novpc"]],
                "pass": [fns["orders-vpc"], fns["billing-vpc"], fns["edge-auth"]],
                "not_evaluated": [],
            },
        },
        "resources": {
            "functions": fns,
            "function_roles": {"orders-vpc": "app-vpc-role", "billing-vpc": "app-vpc-role",
                               "public-api": "plain-role", "reports-novpc": "plain-role",
                               "edge-auth": "edge-role"},
            "runtimes": {"orders-vpc": "python3.12", "public-api": "python3.7", "edge-auth": "nodejs18.x",
                         "billing-vpc": "python3.12", "reports-novpc": "go1.x"},
            "vpc": nets,
            "iam": iam_res,
            "function_url": {"function": fns["public-api"], "url": url["FunctionUrl"],
                             "auth_type": "NONE"},
            "resource_policy": {"function": fns["public-api"],
                                "statements": ["s3-invoke", "public-invoke", "FunctionURLAllowPublicAccess"]},
            "sqs_queue": qarn,
            "event_source_mapping": {"uuid": esm["UUID"], "function": fns["orders-vpc"], "source": qarn},
            "organizations": org_res,
            "account_root": f"arn:aws:iam::{a}:root",
            "eni_notes": ("Lambda-looking ENIs (Description 'AWS Lambda VPC ENI-<fn>-<uuid>'): "
                          "orders-vpc/private-a, orders-vpc/private-b, billing-vpc/private-a are in-use "
                          "(attached to stand-in instances); 'orphan' is available and its pair "
                          "(private-b, legacy-fn-sg) is used by no function; 'unrelated' is not Lambda's. "
                          "moto reports InterfaceType 'interface' and RequesterManaged false for all."),
        },
    }

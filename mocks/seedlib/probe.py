"""Probe moto's behaviour for every API vpcwarden's collector calls (developer tool).

    .venv/bin/python -m seedlib.probe ENDPOINT < seed-output.json     (run from mocks/)
Prints compact facts to stdout; used to write down moto quirks when bumping the moto pin."""

from __future__ import annotations

import json
import sys
from typing import Any

import boto3
from botocore.exceptions import ClientError

from .common import check_loopback


def short(x: Any, n: int = 400) -> str:
    s = json.dumps(x, default=str)
    return s if len(s) <= n else s[:n] + "..."


def main() -> None:
    ep = check_loopback(sys.argv[1])
    seed = json.load(sys.stdin)
    c = seed["credentials"]

    def cl(svc: str, region: str = "us-east-1") -> Any:
        return boto3.client(svc, endpoint_url=ep, region_name=region,
                            aws_access_key_id=c["AWS_ACCESS_KEY_ID"],
                            aws_secret_access_key=c["AWS_SECRET_ACCESS_KEY"],
                            aws_session_token=c.get("AWS_SESSION_TOKEN"))

    def call(label: str, fn: Any, **kw: Any) -> Any:
        try:
            r = fn(**kw)
            r.pop("ResponseMetadata", None)
            return r
        except ClientError as e:
            print(f"{label}: ERROR {e.response['Error'].get('Code')} "
                  f"HTTP {e.response['ResponseMetadata'].get('HTTPStatusCode')}: {e}")
            return None
        except Exception as e:  # noqa: BLE001
            print(f"{label}: EXC {type(e).__name__}: {e}")
            return None

    print("sts.GetCallerIdentity", short(call("sts", cl("sts").get_caller_identity)))
    lam = cl("lambda")
    r = call("ListFunctions", lam.list_functions, MaxItems=1)
    print("lambda.ListFunctions MaxItems=1 ->", [f["FunctionName"] for f in r["Functions"]],
          "NextMarker", r.get("NextMarker"))
    if r.get("NextMarker"):
        r2 = call("ListFunctions", lam.list_functions, MaxItems=1, Marker=r["NextMarker"])
        print("  page2 ->", [f["FunctionName"] for f in r2["Functions"]], "NextMarker", r2.get("NextMarker"))
    full = call("ListFunctions", lam.list_functions)["Functions"]
    for f in full:
        print("  fn", f["FunctionName"], "VpcConfig", short(f.get("VpcConfig")), "State", f.get("State"),
              "Role", f.get("Role"), "Runtime", f.get("Runtime"), "PackageType", f.get("PackageType"),
              "keys", sorted(f))
    for name in [f["FunctionName"] for f in full]:
        print("lambda.GetPolicy", name, short(call(f"GetPolicy {name}", lam.get_policy, FunctionName=name), 900))
        print("lambda.GetFunctionUrlConfig", name,
              short(call(f"GetFunctionUrlConfig {name}", lam.get_function_url_config, FunctionName=name)))
        print("lambda.ListFunctionUrlConfigs", name,
              short(call(f"ListFunctionUrlConfigs {name}", lam.list_function_url_configs, FunctionName=name)))
    print("lambda.ListEventSourceMappings", short(call("ESM", lam.list_event_source_mappings), 900))
    print("lambda.ListEventSourceMappings(fn)", short(call("ESM", lam.list_event_source_mappings,
                                                          FunctionName="orders-vpc"), 200))
    print("lambda.GetFunction", short(call("GetFunction", lam.get_function, FunctionName="orders-vpc"), 1500))

    iam = cl("iam")
    d = call("GAAD", iam.get_account_authorization_details)
    print("iam.GAAD keys", sorted(d), "IsTruncated", d.get("IsTruncated"), "Marker", d.get("Marker"))
    print("  #users", len(d["UserDetailList"]), "#groups", len(d["GroupDetailList"]), "#roles",
          len(d["RoleDetailList"]), "#policies", len(d["Policies"]))
    aws_pols = [p for p in d["Policies"] if p["Arn"].startswith("arn:aws:iam::aws:")]
    print("  AWS managed policies in Policies:", len(aws_pols), [p.get("PolicyName") for p in aws_pols][:5], "keys", sorted(aws_pols[0]) if aws_pols else None)
    for role in d["RoleDetailList"]:
        print("  role", role["RoleName"], "trust type", type(role.get("AssumeRolePolicyDocument")).__name__,
              short(role.get("AssumeRolePolicyDocument"), 200))
        print("    attached", short(role.get("AttachedManagedPolicies")), "inline",
              short(role.get("RolePolicyList"), 300), "boundary", role.get("PermissionsBoundary"),
              "keys", sorted(role))
    for u in d["UserDetailList"]:
        print("  user", short(u, 700))
    for g in d["GroupDetailList"]:
        print("  group", short(g, 700))
    for p in d["Policies"]:
        if not p["Arn"].startswith("arn:aws:iam::aws:") or "VPCAccess" in p["Arn"]:
            print("  policy", short(p, 700))
    r = call("GAAD paged", iam.get_account_authorization_details, MaxItems=2)
    print("  paged MaxItems=2 IsTruncated", r.get("IsTruncated"), "Marker", r.get("Marker"),
          "counts", len(r["RoleDetailList"]), len(r["UserDetailList"]), len(r["Policies"]))
    r = call("GAAD filter", iam.get_account_authorization_details, Filter=["Role", "LocalManagedPolicy"])
    print("  filter Role,LocalManagedPolicy counts roles", len(r["RoleDetailList"]), "users",
          len(r["UserDetailList"]), "policies", len(r["Policies"]))
    r = call("GAAD filter", iam.get_account_authorization_details, Filter=["AWSManagedPolicy"])
    print("  filter AWSManagedPolicy policies", len(r["Policies"]))

    for region in seed["regions"]:
        ec2 = cl("ec2", region)
        print("== ec2", region)
        print("DescribeRegions", len(call("DR", ec2.describe_regions)["Regions"]),
              short(call("DR", ec2.describe_regions, AllRegions=True)["Regions"][:2]))
        vpcs = call("DV", ec2.describe_vpcs)["Vpcs"]
        print("DescribeVpcs", short(vpcs, 700))
        subs = call("DS", ec2.describe_subnets)["Subnets"]
        print("DescribeSubnets n", len(subs), short(subs[:1], 900))
        sgs = call("DSG", ec2.describe_security_groups)["SecurityGroups"]
        print("DescribeSecurityGroups n", len(sgs), short([s for s in sgs if "endpoint" in s["GroupName"]], 900))
        enis = call("DNI", ec2.describe_network_interfaces)["NetworkInterfaces"]
        for e in enis:
            print("  eni", e["NetworkInterfaceId"], "InterfaceType", e.get("InterfaceType"), "RequesterManaged",
                  e.get("RequesterManaged"), "Status", e.get("Status"), "Desc", e.get("Description"),
                  "Groups", e.get("Groups"), "Attachment", e.get("Attachment"), "keys", sorted(e))
        rts = call("DRT", ec2.describe_route_tables)["RouteTables"]
        for rt in rts:
            print("  rt", rt["RouteTableId"], rt["VpcId"], "assoc", short(rt["Associations"], 300), "routes",
                  short(rt["Routes"], 400))
        print("DescribeVpcEndpoints", short(call("DVE", ec2.describe_vpc_endpoints)["VpcEndpoints"], 1200))
        print("DescribeInternetGateways", short(call("DIG", ec2.describe_internet_gateways)["InternetGateways"], 600))
        print("DescribeNatGateways", short(call("DNG", ec2.describe_nat_gateways)["NatGateways"], 900))
        r = call("DS page", ec2.describe_subnets, MaxResults=5)
        print("DescribeSubnets MaxResults=5 ->", len(r["Subnets"]), "NextToken", bool(r.get("NextToken")))
        r = call("DNI page", ec2.describe_network_interfaces, MaxResults=5)
        print("DescribeNetworkInterfaces MaxResults=5 ->", len(r["NetworkInterfaces"]), "NextToken",
              bool(r.get("NextToken")))

    org = cl("organizations")
    print("org.DescribeOrganization", short(call("DO", org.describe_organization)))
    roots = call("LR", org.list_roots)
    print("org.ListRoots", short(roots))
    if roots:
        print("org.ListParents", short(call("LP", org.list_parents, ChildId=seed["account_id"])))
        for tgt in (roots["Roots"][0]["Id"], seed["account_id"]):
            lp = call("LPFT", org.list_policies_for_target, TargetId=tgt, Filter="SERVICE_CONTROL_POLICY")
            print("org.ListPoliciesForTarget", tgt, short(lp, 700))
            for p in (lp or {}).get("Policies", []):
                print("org.DescribePolicy", short(call("DP", org.describe_policy, PolicyId=p["Id"]), 700))
        print("org.ListAccounts", short(call("LA", org.list_accounts)))


if __name__ == "__main__":
    main()

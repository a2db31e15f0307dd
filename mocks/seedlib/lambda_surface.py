"""Scenario `lambda-surface`: the Lambda surface of issue 13 (one account, us-east-1).

Capacity providers (Lambda Managed Instances) and the functions on them, and resource policies and
URLs that belong to an alias or a published version rather than to the function. Needs the server of
mocks/seedlib/org_server.py (moto + lambda_patch.py): plain moto_server has no capacity providers and
keeps no per-qualifier policy or URL (see mocks/seedlib/LAMBDA-SURFACE-NOTES.md). The operator roles
attach an AWS managed policy: the server needs MOTO_IAM_LOAD_MANAGED_POLICIES=true (scripts/test sets it).

VPCs (us-east-1; each: public subnet -> IGW, NAT gateway there, private RT 0.0.0.0/0 -> NAT):
  lms-ha       10.44.0.0/16  lms-ha-private-a (a), lms-ha-private-b (b)  -> NAT; lms-ha-public-a (a)
  lms-single   10.45.0.0/16  lms-single-private-a (a)                     -> NAT; lms-single-public-a (a)

Capacity providers:
  lms-ha       subnets lms-ha-private-a + lms-ha-private-b (two AZs), SG lms-ha-instances-sg, operator
               role lms-operator (AWS managed AWSLambdaManagedEC2ResourceOperator only), a KMS key,
               arm64, Manual scaling with a CPU target-tracking policy
  lms-single   subnet lms-single-private-a (one AZ), SG lms-single-instances-sg, operator role
               lms-operator-broad (the managed policy + inline ec2:* on *), no KMS key, x86_64

Functions (role in brackets):
  on a provider (CapacityProviderConfig, no function VpcConfig, python3.13, 2048 MB, version 1 published):
    lms-orders   [lms-role-orders]   on lms-ha
    lms-billing  [lms-role-billing]  on lms-ha      -> lms-ha runs two execution roles (trust boundary)
    lms-batch    [lms-role-batch]    on lms-single
    lms-report   [lms-role-batch]    on lms-single  -> lms-single runs one role
  classic, not in a VPC [lms-role-surface], each with version 1 published:
    alias-public    alias live -> 1. Function policy: this account's root only (private).
                    live's policy: Principal "*", lambda:InvokeFunction (AddPermission Qualifier=live).
    alias-url       alias live -> 1. Function URL AWS_IAM (CORS https://app.example.com);
                    live's URL AuthType NONE, CORS ["*"]; no policy anywhere.
    version-policy  Function policy: this account's root only. Version 1's policy: Principal "*"
                    (AddPermission Qualifier=1).
    svc-alias       alias live -> 1. live's policy: sns.amazonaws.com with no SourceArn/SourceAccount.
    full-policy     PutResourcePolicy (whole documents): the function's = Allow "*" with
                    aws:PrincipalOrgID + Deny NotPrincipal {this account's root} unless aws:PrincipalOrgID;
                    version 1's = Allow this account's root.

Managed instances' network interfaces (one per instance Lambda runs for a provider, one instance per
provider subnet; needs ec2_patch.py, which org_server.py applies): created with EC2's Operator
`scaler.lambda.amazonaws.com` (as Lambda's scaler does), in the provider's subnet with its security
group, `available` (no instance: moto would give a RunInstances instance an interface of its own).
  lms-ha       one per subnet, tagged aws:lambda:capacity-provider = the provider's ARN
  lms-single   one, with no tag (AWS documents the tag on the instance, not on its interfaces)
They are never orphaned Lambda ENIs (eni-orphaned gives them no finding) and `inventory enis` lists
them under their provider: lms-ha's by tag, lms-single's by its network.
resources.managed_instance_enis says which is whose.

resources.expected_offending_qualifiers says, per failing function and check, which qualifier
(and statement ids) makes it fail: the evidence issue 13 asks for.
"""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from .common import LAMBDA_TRUST, Account, lambda_zip, log, pj
from .network import spec
from .network_placement import Net

REGION = "us-east-1"
ORG_ID = "o-lmssurface1"
OPERATOR_POLICY = "arn:aws:iam::aws:policy/AWSLambdaManagedEC2ResourceOperator"
LOGS = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
SCENARIO_TAG = {"scenario": "lambda-surface"}
EXEC_ROLES = ["lms-role-orders", "lms-role-billing", "lms-role-batch", "lms-role-surface"]
OPERATOR_ROLES = ["lms-operator", "lms-operator-broad"]
# EC2's Operator principal of the resources of Lambda Managed Instances (the ec2:ManagedResourceOperator
# of AWSLambdaManagedEC2ResourceOperator), and the tag AWS documents on their instances.
LMI_OPERATOR = "scaler.lambda.amazonaws.com"
CAPACITY_PROVIDER_TAG = "aws:lambda:capacity-provider"
# Providers whose instances' interfaces carry CAPACITY_PROVIDER_TAG (value: the provider's ARN).
TAGGED_PROVIDERS = {"lms-ha"}

# name -> (provider, role, PerExecutionEnvironmentMaxConcurrency or None)
PROVIDER_FUNCTIONS: dict[str, tuple[str, str, int | None]] = {
    "lms-orders": ("lms-ha", "lms-role-orders", 16),
    "lms-billing": ("lms-ha", "lms-role-billing", None),
    "lms-batch": ("lms-single", "lms-role-batch", 8),
    "lms-report": ("lms-single", "lms-role-batch", None),
}
CLASSIC_FUNCTIONS = ["alias-public", "alias-url", "version-policy", "svc-alias", "full-policy"]
ALIASES = {"alias-public": "live", "alias-url": "live", "svc-alias": "live"}  # all -> version 1


def doc(*statements: dict[str, Any], policy_id: str | None = None) -> dict[str, Any]:
    d: dict[str, Any] = {"Version": "2012-10-17"}
    if policy_id:
        d["Id"] = policy_id
    d["Statement"] = list(statements)
    return d


def build_networks(ec2: Any) -> dict[str, Any]:
    n = Net(ec2)
    vpcs: dict[str, Any] = {}
    for label, octet, private in (("lms-ha", 44, ["a", "b"]), ("lms-single", 45, ["a"])):
        v = n.vpc(f"10.{octet}.0.0/16", label)
        subnets = {f"{label}-private-{az}": n.subnet(v, f"10.{octet}.{i + 1}.0/24", az, f"{label}-private-{az}")
                   for i, az in enumerate(private)}
        subnets[f"{label}-public-a"] = n.subnet(v, f"10.{octet}.0.0/24", "a", f"{label}-public-a")
        igw = n.igw(v, f"{label}-igw")
        pub_rt = n.rt(v, f"{label}-public-rt", [subnets[f"{label}-public-a"]], GatewayId=igw)
        alloc = ec2.allocate_address(Domain="vpc")["AllocationId"]
        nat = ec2.create_nat_gateway(SubnetId=subnets[f"{label}-public-a"], AllocationId=alloc,
                                     ConnectivityType="public",
                                     TagSpecifications=spec("natgateway", f"{label}-nat"))["NatGateway"]["NatGatewayId"]
        private_ids = [subnets[f"{label}-private-{az}"] for az in private]
        priv_rt = n.rt(v, f"{label}-private-rt", private_ids, NatGatewayId=nat)
        sg = n.sg(v, f"{label}-instances-sg", f"managed instances of capacity provider {label}")
        vpcs[label] = {
            "vpc_id": v, "cidr": f"10.{octet}.0.0/16", "subnets": subnets,
            "subnet_azs": {f"{label}-private-{az}": f"{REGION}{az}" for az in private} | {
                f"{label}-public-a": f"{REGION}a"},
            "private_subnets": private_ids,
            "route_tables": {"main": n.main_rt(v), "public": pub_rt, "private": priv_rt},
            "igw": igw, "nat_gateway": nat, "eip_allocation": alloc,
            "sgs": {f"{label}-instances-sg": sg},
        }
    return vpcs


def create_roles(acct: Account) -> dict[str, str]:
    iam = acct.client("iam")
    a = acct.account_id
    roles = {}
    tags = [{"Key": k, "Value": v} for k, v in SCENARIO_TAG.items()]
    for name in EXEC_ROLES:
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=pj(LAMBDA_TRUST), Tags=tags,
                        Description=f"lambda-surface execution role {name}")
        iam.put_role_policy(RoleName=name, PolicyName=f"{name}-logs", PolicyDocument=pj(doc({
            "Sid": "FunctionLogs", "Effect": "Allow", "Action": LOGS,
            "Resource": f"arn:aws:logs:{REGION}:{a}:log-group:/aws/lambda/*"})))
        roles[name] = acct.role(name)
    for name in OPERATOR_ROLES:
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=pj(LAMBDA_TRUST), Tags=tags,
                        Description=f"lambda-surface capacity provider operator role {name}")
        iam.attach_role_policy(RoleName=name, PolicyArn=OPERATOR_POLICY)
        roles[name] = acct.role(name)
    iam.put_role_policy(RoleName="lms-operator-broad", PolicyName="lms-operator-broad-ec2", PolicyDocument=pj(doc({
        "Sid": "AllOfEc2", "Effect": "Allow", "Action": "ec2:*", "Resource": "*"})))
    return roles


def provider_specs(acct: Account, vpcs: dict[str, Any], roles: dict[str, str], kms_key: str) -> dict[str, dict]:
    """CreateCapacityProvider arguments (without the name), as GetCapacityProvider must give them back."""
    return {
        "lms-ha": {
            "VpcConfig": {"SubnetIds": vpcs["lms-ha"]["private_subnets"],
                          "SecurityGroupIds": [vpcs["lms-ha"]["sgs"]["lms-ha-instances-sg"]]},
            "PermissionsConfig": {"CapacityProviderOperatorRoleArn": roles["lms-operator"]},
            "InstanceRequirements": {"Architectures": ["arm64"],
                                     "AllowedInstanceTypes": ["m7g.large", "c7g.xlarge"]},
            "CapacityProviderScalingConfig": {
                "MaxVCpuCount": 64, "ScalingMode": "Manual",
                "ScalingPolicies": [{"PredefinedMetricType": "LambdaCapacityProviderAverageCPUUtilization",
                                     "TargetValue": 60.0}]},
            "KmsKeyArn": kms_key,
        },
        "lms-single": {
            "VpcConfig": {"SubnetIds": vpcs["lms-single"]["private_subnets"],
                          "SecurityGroupIds": [vpcs["lms-single"]["sgs"]["lms-single-instances-sg"]]},
            "PermissionsConfig": {"CapacityProviderOperatorRoleArn": roles["lms-operator-broad"]},
            "InstanceRequirements": {"Architectures": ["x86_64"]},
        },
    }


def cp_arn(acct: Account, name: str) -> str:
    return f"arn:aws:lambda:{REGION}:{acct.account_id}:capacity-provider:{name}"


def managed_instance_enis(ec2: Any, specs: dict[str, dict], providers: dict[str, str]) -> dict[str, dict]:
    """One network interface per instance Lambda would run for each provider (one per provider subnet),
    as Lambda's scaler makes them: EC2's Operator, the provider's subnet and security groups."""
    enis = {}
    for name, s in specs.items():
        for subnet in s["VpcConfig"]["SubnetIds"]:
            tags = [{"Key": k, "Value": v} for k, v in SCENARIO_TAG.items()]
            if name in TAGGED_PROVIDERS:
                tags.append({"Key": CAPACITY_PROVIDER_TAG, "Value": providers[name]})
            eni = ec2.create_network_interface(
                SubnetId=subnet, Groups=s["VpcConfig"]["SecurityGroupIds"], Operator={"Principal": LMI_OPERATOR},
                TagSpecifications=[{"ResourceType": "network-interface", "Tags": tags}])["NetworkInterface"]
            enis[eni["NetworkInterfaceId"]] = {
                "capacity_provider": providers[name], "subnet_id": subnet,
                "security_group_ids": s["VpcConfig"]["SecurityGroupIds"], "status": "available",
                "named_by": "tag" if name in TAGGED_PROVIDERS else "network"}
    return enis


def capacity_config(acct: Account, name: str) -> dict[str, Any]:
    provider, _, conc = PROVIDER_FUNCTIONS[name]
    lmi: dict[str, Any] = {"CapacityProviderArn": cp_arn(acct, provider)}
    if conc is not None:
        lmi["PerExecutionEnvironmentMaxConcurrency"] = conc
    return {"LambdaManagedInstancesCapacityProviderConfig": lmi}


def permissions(acct: Account) -> dict[tuple[str, str | None], list[dict[str, Any]]]:
    """AddPermission calls per (function, qualifier); None = the function's own policy."""
    root = f"arn:aws:iam::{acct.account_id}:root"
    inv = "lambda:InvokeFunction"
    return {
        ("alias-public", None): [{"StatementId": "account-invoke", "Action": inv, "Principal": root}],
        ("alias-public", "live"): [{"StatementId": "public-live", "Action": inv, "Principal": "*"}],
        ("version-policy", None): [{"StatementId": "account-invoke", "Action": inv, "Principal": root}],
        ("version-policy", "1"): [{"StatementId": "public-v1", "Action": inv, "Principal": "*"}],
        ("svc-alias", "live"): [{"StatementId": "sns-live", "Action": inv, "Principal": "sns.amazonaws.com"}],
    }


def full_policies(acct: Account) -> dict[tuple[str, str | None], dict[str, Any]]:
    """PutResourcePolicy documents per (function, qualifier)."""
    a = acct.account_id
    fn = acct.fn_arn(REGION, "full-policy")
    return {
        ("full-policy", None): doc(
            {"Sid": "OrgInvoke", "Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunction",
             "Resource": fn, "Condition": {"StringEquals": {"aws:PrincipalOrgID": ORG_ID}}},
            {"Sid": "DenyOutsideOrg", "Effect": "Deny", "NotPrincipal": {"AWS": f"arn:aws:iam::{a}:root"},
             "Action": "lambda:*", "Resource": fn,
             "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": ORG_ID}}},
            policy_id="org-only"),
        ("full-policy", "1"): doc(
            {"Sid": "AccountInvoke", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{a}:root"},
             "Action": "lambda:InvokeFunction", "Resource": f"{fn}:1"}),
    }


# (function, qualifier) -> CreateFunctionUrlConfig arguments
URLS: dict[tuple[str, str | None], dict[str, Any]] = {
    ("alias-url", None): {"AuthType": "AWS_IAM", "Cors": {"AllowOrigins": ["https://app.example.com"],
                                                           "AllowMethods": ["GET"]}},
    ("alias-url", "live"): {"AuthType": "NONE", "Cors": {"AllowOrigins": ["*"], "AllowMethods": ["GET"]}},
}


def expected_statement(acct: Account, fn: str, qualifier: str | None, p: dict[str, Any]) -> dict[str, Any]:
    """What GetPolicy returns for one AddPermission (moto's key order and principal forms)."""
    principal: Any = p["Principal"]
    if principal.endswith(".amazonaws.com"):
        principal = {"Service": principal}
    elif principal.endswith(":root"):
        principal = {"AWS": principal}
    resource = acct.fn_arn(REGION, fn) + (f":{qualifier}" if qualifier else "")
    return {"Action": p["Action"], "Principal": principal, "Effect": "Allow", "Resource": resource,
            "Sid": p["StatementId"]}


def seed(acct: Account, args: Any) -> dict[str, Any]:
    a = acct.account_id
    ec2 = acct.client("ec2", REGION)
    lam = acct.client("lambda", REGION)

    vpcs = build_networks(ec2)
    roles = create_roles(acct)
    kms_key = acct.client("kms", REGION).create_key(
        Description="lambda-surface: key of capacity provider lms-ha")["KeyMetadata"]["Arn"]
    log("lambda-surface: networks, roles and key done")

    specs = provider_specs(acct, vpcs, roles, kms_key)
    providers = {}
    for name, s in specs.items():
        try:
            cp = lam.create_capacity_provider(CapacityProviderName=name, Tags=SCENARIO_TAG, **s)["CapacityProvider"]
        except ClientError as e:
            if e.response["ResponseMetadata"]["HTTPStatusCode"] == 404:
                raise SystemExit("lambda-surface: the server has no capacity providers: start it with "
                                 "mocks/seedlib/org_server.py (plain moto_server lacks them)") from e
            raise
        assert cp["CapacityProviderArn"] == cp_arn(acct, name), cp
        providers[name] = cp["CapacityProviderArn"]

    enis = managed_instance_enis(ec2, specs, providers)

    fns: dict[str, str] = {}
    versions: dict[str, str] = {}
    fn_roles: dict[str, str] = {}
    for name, (provider, role, _) in PROVIDER_FUNCTIONS.items():
        fns[name] = lam.create_function(
            FunctionName=name, Role=roles[role], Runtime="python3.13", Handler="index.handler",
            Code={"ZipFile": lambda_zip()}, MemorySize=2048, Timeout=30, Tags=SCENARIO_TAG,
            CapacityProviderConfig=capacity_config(acct, name))["FunctionArn"]
        fn_roles[name] = roles[role]
    for name in CLASSIC_FUNCTIONS:
        fns[name] = lam.create_function(
            FunctionName=name, Role=roles["lms-role-surface"], Runtime="python3.12", Handler="index.handler",
            Code={"ZipFile": lambda_zip()}, MemorySize=128, Timeout=10, Tags=SCENARIO_TAG)["FunctionArn"]
        fn_roles[name] = roles["lms-role-surface"]
    for name in fns:
        assert fns[name] == acct.fn_arn(REGION, name), fns[name]
        versions[name] = lam.publish_version(FunctionName=name)["FunctionArn"]
        assert versions[name] == f"{fns[name]}:1", versions[name]
    aliases = {}
    for name, alias in ALIASES.items():
        aliases[name] = {alias: lam.create_alias(FunctionName=name, Name=alias, FunctionVersion="1")["AliasArn"]}
    log("lambda-surface: providers, functions, versions and aliases done")

    for (name, qualifier), perms in permissions(acct).items():
        for p in perms:
            lam.add_permission(FunctionName=name, **p, **({"Qualifier": qualifier} if qualifier else {}))
    revisions = {}
    for (name, qualifier), d in full_policies(acct).items():
        arn = fns[name] + (f":{qualifier}" if qualifier else "")
        revisions[arn] = lam.put_resource_policy(ResourceArn=arn, Policy=pj(d))["RevisionId"]
    urls = {}  # function or alias ARN -> URL
    for (name, qualifier), cfg in URLS.items():
        r = lam.create_function_url_config(FunctionName=name, **cfg, **({"Qualifier": qualifier} if qualifier else {}))
        arn = fns[name] + (f":{qualifier}" if qualifier else "")
        assert r["FunctionArn"] == arn, r
        urls[arn] = r["FunctionUrl"]
    log("lambda-surface: policies and URLs done")

    verify(acct, vpcs, specs, providers, fns, versions, fn_roles, aliases, urls, enis)
    log("lambda-surface: verified")

    def fa(*names: str) -> list[str]:
        return [fns[n] for n in names]

    def exp(fail: list[str], passed: list[str]) -> dict[str, list[str]]:
        return {"fail": fail, "pass": passed, "not_evaluated": []}

    def rest(fail: list[str]) -> list[str]:
        return [arn for arn in fns.values() if arn not in fail]

    on_provider = fa(*PROVIDER_FUNCTIONS)
    classic = fa(*CLASSIC_FUNCTIONS)
    public = fa("alias-public", "version-policy")
    unscoped = fa("svc-alias")
    url_none = fa("alias-url")
    single = fa("lms-batch", "lms-report") + [providers["lms-single"]]
    placement_pass = on_provider + list(providers.values())
    expect = {
        "function-policy-public": exp(public, rest(public)),
        "function-policy-unscoped-service": exp(unscoped, rest(unscoped)),
        "function-url-auth-none": exp(url_none, rest(url_none)),
        "function-url-cors-wildcard": exp(url_none, rest(url_none)),
        "function-not-in-vpc": exp(classic, placement_pass),
        "function-single-az": exp(single, [x for x in placement_pass if x not in single]),
        "function-public-subnet": exp([], placement_pass),
        "function-no-egress": exp([], placement_pass),
        # lms-operator-broad (lms-single) has an inline ec2:* beside the managed operator policy.
        "capacity-provider-operator-role-broad": exp([providers["lms-single"]], [providers["lms-ha"]]),
    }

    def offending(name: str, qualifier: str, sids: list[str] | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"qualifier": qualifier, "arn": f"{fns[name]}:{qualifier}"}
        if sids is not None:
            out["sids"] = sids
        return out

    provider_of = {n: providers[p] for n, (p, _, _) in PROVIDER_FUNCTIONS.items()}
    return {
        "regions": [REGION],
        "expect": expect,
        "resources": {
            "functions": fns,
            "function_roles": fn_roles,
            "published_versions": versions,
            "aliases": aliases,
            "roles": roles,
            "kms_key_arn": kms_key,
            "vpcs": vpcs,
            "capacity_providers": {
                name: {
                    "arn": providers[name],
                    "vpc": name, "vpc_id": vpcs[name]["vpc_id"],
                    "subnet_ids": s["VpcConfig"]["SubnetIds"],
                    "availability_zones": sorted({vpcs[name]["subnet_azs"][lbl] for lbl, sid
                                                  in vpcs[name]["subnets"].items()
                                                  if sid in s["VpcConfig"]["SubnetIds"]}),
                    "security_group_ids": s["VpcConfig"]["SecurityGroupIds"],
                    "operator_role_arn": s["PermissionsConfig"]["CapacityProviderOperatorRoleArn"],
                    "kms_key_arn": s.get("KmsKeyArn"),
                    "functions": sorted(n for n, (p, _, _) in PROVIDER_FUNCTIONS.items() if p == name),
                    "function_versions": sorted(versions[n] for n, (p, _, _) in PROVIDER_FUNCTIONS.items()
                                                if p == name),
                    "execution_roles": sorted({roles[r] for _, (p, r, _) in PROVIDER_FUNCTIONS.items()
                                               if p == name}),
                } for name, s in specs.items()},
            "function_capacity_provider": {n: provider_of.get(n) for n in fns},
            # Per network interface of a managed instance: its provider, and how the inventory tells it.
            "managed_instance_enis": enis,
            # Per resource (function, version or alias ARN): the statement ids of its own policy and
            # how it was written.
            "resource_policies": {
                **{(fns[n] + (f":{q}" if q else "")): {"sids": [p["StatementId"] for p in ps],
                                                         "written_by": "AddPermission"}
                   for (n, q), ps in permissions(acct).items()},
                **{(fns[n] + (f":{q}" if q else "")): {"sids": [st["Sid"] for st in d["Statement"]],
                                                         "written_by": "PutResourcePolicy", "document": d}
                   for (n, q), d in full_policies(acct).items()},
            },
            "function_urls": {
                fns[n] + (f":{q}" if q else ""): {"url": urls[fns[n] + (f":{q}" if q else "")],
                                                  "auth_type": cfg["AuthType"],
                                                  "cors_allow_origins": cfg["Cors"]["AllowOrigins"]}
                for (n, q), cfg in URLS.items()},
            "expected_offending_qualifiers": {
                "function-policy-public": {
                    fns["alias-public"]: [offending("alias-public", "live", ["public-live"])],
                    fns["version-policy"]: [offending("version-policy", "1", ["public-v1"])]},
                "function-policy-unscoped-service": {fns["svc-alias"]: [offending("svc-alias", "live", ["sns-live"])]},
                "function-url-auth-none": {fns["alias-url"]: [offending("alias-url", "live")]},
                "function-url-cors-wildcard": {fns["alias-url"]: [offending("alias-url", "live")]},
            },
            "notes": ("Placement checks judge a function on a provider by the provider's network, and each "
                      "provider gets the same placement finding once on its own ARN (issue 13), so both ARNs "
                      "appear in function-not-in-vpc, function-single-az, function-public-subnet and "
                      "function-no-egress. Findings stay one per function on the unqualified ARN; the "
                      "qualifier is in the evidence (expected_offending_qualifiers). The provider checks of issue 13: "
                      "capacity-provider-operator-role-broad (lms-operator-broad on lms-single fails) is in "
                      "expect; capacity-provider-shared-roles (lms-ha runs two execution roles) is asserted "
                      "by the test from resources.capacity_providers. No function in this account has a function-level VpcConfig."),
        },
    }


def verify(acct: Account, vpcs: dict[str, Any], specs: dict[str, dict], providers: dict[str, str],
           fns: dict[str, str], versions: dict[str, str], fn_roles: dict[str, str],
           aliases: dict[str, dict[str, str]], urls: dict[str, str], enis: dict[str, dict]) -> None:
    """Reads everything back the way the collector does and fails seeding if the server stored another
    shape (catches a server without lambda_patch or ec2_patch, or a patch that drifted)."""
    lam = acct.client("lambda", REGION)
    problems: list[str] = []

    def check(cond: bool, what: str) -> None:
        if not cond:
            problems.append(what)

    listed_enis = {e["NetworkInterfaceId"]: e for e in acct.client("ec2", REGION).get_paginator(
        "describe_network_interfaces").paginate(IncludeManagedResources=True).build_full_result()["NetworkInterfaces"]}
    for eni_id, want in enis.items():
        got = listed_enis.get(eni_id, {})
        tag = {t["Key"]: t["Value"] for t in got.get("TagSet", [])}.get(CAPACITY_PROVIDER_TAG)
        check(got.get("Operator") == {"Managed": True, "Principal": LMI_OPERATOR}, f"{eni_id} Operator {got}")
        check(tag == (want["capacity_provider"] if want["named_by"] == "tag" else None), f"{eni_id} tag {tag}")
        check((got.get("SubnetId"), sorted(g["GroupId"] for g in got.get("Groups", [])), got.get("Status"))
              == (want["subnet_id"], sorted(want["security_group_ids"]), want["status"]), f"{eni_id} {got}")

    listed = lam.get_paginator("list_capacity_providers").paginate().build_full_result()["CapacityProviders"]
    check(sorted(cp["CapacityProviderArn"] for cp in listed) == sorted(providers.values()),
          f"providers {listed}")
    for name, s in specs.items():
        got = lam.get_capacity_provider(CapacityProviderName=providers[name])["CapacityProvider"]
        got.pop("LastModified", None)
        want = {"CapacityProviderArn": providers[name], "State": "Active", **s}
        check(got == want, f"provider {name}: {got} != {want}")
        fv = lam.list_function_versions_by_capacity_provider(CapacityProviderName=name)
        want_versions = sorted(versions[n] for n, (p, _, _) in PROVIDER_FUNCTIONS.items() if p == name)
        check(sorted(v["FunctionArn"] for v in fv["FunctionVersions"]) == want_versions
              and fv["CapacityProviderArn"] == providers[name], f"provider {name} versions {fv}")

    functions = {f["FunctionName"]: f for f in lam.get_paginator("list_functions").paginate()
                 .build_full_result()["Functions"]}
    check(sorted(functions) == sorted(fns), f"functions {sorted(functions)}")
    for name, arn in fns.items():
        f = functions.get(name, {})
        check(f.get("Role") == fn_roles[name], f"{name} role {f.get('Role')}")
        check(not (f.get("VpcConfig") or {}).get("SubnetIds"), f"{name} has a function VpcConfig")
        want_cpc = capacity_config(acct, name) if name in PROVIDER_FUNCTIONS else None
        check(f.get("CapacityProviderConfig") == want_cpc,
              f"{name} CapacityProviderConfig {f.get('CapacityProviderConfig')}")
        v1 = lam.get_function_configuration(FunctionName=name, Qualifier="1")
        check(v1.get("CapacityProviderConfig") == want_cpc, f"{name}:1 CapacityProviderConfig")
        got_aliases = {x["Name"]: x["AliasArn"] for x in lam.list_aliases(FunctionName=name)["Aliases"]}
        check(got_aliases == aliases.get(name, {}), f"{name} aliases {got_aliases}")

    def policy(name: str, qualifier: str | None) -> dict[str, Any] | None:
        try:
            kw = {"Qualifier": qualifier} if qualifier else {}
            return json.loads(lam.get_policy(FunctionName=name, **kw)["Policy"])
        except lam.exceptions.ResourceNotFoundException:
            return None

    perms = permissions(acct)
    fulls = full_policies(acct)
    for name in fns:
        for qualifier in [None, "1", *aliases.get(name, {})]:
            got = policy(name, qualifier)
            if (name, qualifier) in fulls:
                check(got == fulls[(name, qualifier)], f"{name}:{qualifier} document {got}")
                arn = fns[name] + (f":{qualifier}" if qualifier else "")
                rp = json.loads(lam.get_resource_policy(ResourceArn=arn)["Policy"])
                check(rp == fulls[(name, qualifier)], f"{arn} GetResourcePolicy {rp}")
            else:
                want = [expected_statement(acct, name, qualifier, p) for p in perms.get((name, qualifier), [])]
                check((got or {}).get("Statement", []) == want, f"{name}:{qualifier} policy {got} != {want}")

    for name in fns:
        got_urls = {u["FunctionArn"]: (u["FunctionUrl"], u["AuthType"], u.get("Cors", {}).get("AllowOrigins"))
                    for u in lam.list_function_url_configs(FunctionName=name)["FunctionUrlConfigs"]}
        want_urls = {fns[n] + (f":{q}" if q else ""): (urls[fns[n] + (f":{q}" if q else "")], c["AuthType"],
                                                        c["Cors"]["AllowOrigins"])
                     for (n, q), c in URLS.items() if n == name}
        check(got_urls == want_urls, f"{name} urls {got_urls} != {want_urls}")
    if problems:
        raise SystemExit("lambda-surface: verification failed (is the server mocks/seedlib/org_server.py, "
                         f"with lambda_patch.py and ec2_patch.py?): {problems}")

"""Scenario `iam-guardrails`: execution roles with over-broad / guarded ENI rights and deployers with
and without a Lambda VPC guardrail (DOMAIN.md sections 2-3), plus an Organizations SCP.

    seed.py --scenario iam-guardrails --account M [--scp unrelated|guardrail] [--member]

One VPC (two subnets, one security group) in us-east-1 is "the approved network"; its ids are in
resources.approved_*. The SCP is attached to the organization root and either denies
organizations:LeaveOrganization (`--scp unrelated`, default) or is the Lambda VPC guardrail
(`--scp guardrail`).

Without --member the seeded account (--account) creates the organization, so it is the MANAGEMENT
account and no SCP applies to it: expectations are the same for both --scp values.

With --member, --account M creates the organization and CreateAccount's a member Y (random id chosen by
moto), moves Y into OU `workloads` and seeds everything into Y through the usual seeder role
(`vpcwarden-seeder`, created in Y). The returned account_id and credentials are Y's. moto's
OrganizationAccountAccessRole in Y gets AdministratorAccess attached (as AWS does), so it is a
principal that can create functions. moto limitation: from Y only DescribeOrganization and ListRoots
answer (moto forwards them to M); ListParents / ListPoliciesForTarget / DescribePolicy answer
"not found" (moto looks in Y's own, empty, Organizations backend). (On AWS they need the management
account or a delegated administrator.) resources.organization.member_view records what each call
returned; resources.organization.management_credentials are M's credentials, for reading the SCPs.
"""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from .common import LAMBDA_TRUST, Account, Timer, create_org, lambda_zip, log, pj
from .lambda_vpc_mix import AWS_BASIC_EXEC, AWS_LAMBDA_FULL, AWS_VPC_ACCESS, ENI_ACTIONS
from .network import spec

REGION = "us-east-1"
AWS_ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"
DEPLOY_ACTIONS = ["lambda:CreateFunction", "lambda:UpdateFunctionConfiguration"]
ENI_MUTATING = ["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface",
                "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"]
SCOPED_ENI_ID = "eni-0123456789abcdef0"
OAAR = "OrganizationAccountAccessRole"
SCENARIO_TAG = {"scenario": "iam-guardrails"}

# Execution role -> (function name) ; every role is the Role of exactly one function.
EXEC_ROLES = ["eni-managed-role", "eni-ec2star-role", "eni-null-role", "eni-scoped-role",
              "admin-role", "plain-role", "eni-boundary-role"]


def doc(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def vpc_guardrail(key: str, values: list[str], actions: list[str] | None = None,
                  op: str = "ForAllValues:StringNotEquals", sid: str = "DenyOutsideApprovedNetwork"
                  ) -> dict[str, Any]:
    return {"Sid": sid, "Effect": "Deny", "Action": actions or DEPLOY_ACTIONS, "Resource": "*",
            "Condition": {op: {key: values}}}


def build_network(ec2: Any) -> dict[str, Any]:
    vpc = ec2.create_vpc(CidrBlock="10.60.0.0/16", TagSpecifications=spec("vpc", "approved-vpc"))["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.60.{i}.0/24", AvailabilityZone=f"{REGION}{az}",
                                 TagSpecifications=spec("subnet", f"approved-private-{az}"))["Subnet"]["SubnetId"]
               for i, az in ((1, "a"), (2, "b"))]
    sg = ec2.create_security_group(GroupName="approved-fn-sg", Description="approved Lambda SG", VpcId=vpc,
                                   TagSpecifications=spec("security-group", "approved-fn-sg"))["GroupId"]
    return {"vpc_id": vpc, "subnet_ids": subnets, "security_group_ids": [sg]}


def managed_policy_exists(iam: Any, arn: str) -> bool:
    try:
        iam.get_policy(PolicyArn=arn)
        return True
    except ClientError:
        return False


def seed_iam(t: Account, net: dict[str, Any]) -> dict[str, Any]:
    iam = t.client("iam")
    a = t.account_id
    vpc, subnets, sgs = [net["vpc_id"]], net["subnet_ids"], net["security_group_ids"]
    root_trust = doc({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{a}:root"},
                      "Action": "sts:AssumeRole"})
    for arn in (AWS_VPC_ACCESS, AWS_BASIC_EXEC, AWS_ADMIN):
        if not managed_policy_exists(iam, arn):
            raise SystemExit(f"moto lacks {arn}: start it with MOTO_IAM_LOAD_MANAGED_POLICIES=true")
    res: dict[str, Any] = {"roles": {}, "users": {}, "groups": {}, "policies": {}, "notes": {}}

    def role(name: str, trust: dict[str, Any], managed: list[str] = (), inline: dict[str, Any] | None = None,
             boundary: str | None = None, desc: str = "") -> None:
        kw: dict[str, Any] = {"PermissionsBoundary": boundary} if boundary else {}
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=pj(trust), Description=desc,
                        Tags=[{"Key": k, "Value": v} for k, v in SCENARIO_TAG.items()], **kw)
        for arn in managed:
            iam.attach_role_policy(RoleName=name, PolicyArn=arn)
        if inline:
            iam.put_role_policy(RoleName=name, PolicyName=f"{name}-inline", PolicyDocument=pj(inline))
        res["roles"][name] = t.role(name)

    # --- execution roles (trust lambda) ---
    role("eni-managed-role", LAMBDA_TRUST, [AWS_VPC_ACCESS, AWS_BASIC_EXEC],
         desc="AWS managed VPC access: ENI actions on * (over-broad for the code)")
    role("eni-ec2star-role", LAMBDA_TRUST, [AWS_BASIC_EXEC],
         doc({"Sid": "Ec2Star", "Effect": "Allow", "Action": "ec2:*", "Resource": "*"}),
         desc="inline ec2:* on *")
    role("eni-null-role", LAMBDA_TRUST, [AWS_BASIC_EXEC],
         doc({"Sid": "EniForServiceOnly", "Effect": "Allow", "Action": ENI_ACTIONS, "Resource": "*",
              "Condition": {"Null": {"lambda:SourceFunctionArn": "true"}}}),
         desc="ENI actions only when lambda:SourceFunctionArn is absent (the service, not the code)")
    scoped_resources = ([f"arn:aws:ec2:{REGION}:{a}:network-interface/{SCOPED_ENI_ID}"]
                        + [f"arn:aws:ec2:{REGION}:{a}:subnet/{s}" for s in subnets]
                        + [f"arn:aws:ec2:{REGION}:{a}:security-group/{s}" for s in sgs])
    role("eni-scoped-role", LAMBDA_TRUST, [AWS_BASIC_EXEC],
         doc({"Sid": "EniOnSpecificArns", "Effect": "Allow", "Action": ENI_MUTATING,
              "Resource": scoped_resources},
             {"Sid": "DescribeEnis", "Effect": "Allow", "Action": "ec2:DescribeNetworkInterfaces",
              "Resource": "*"}),
         desc="ENI-mutating actions on one named ENI + the approved subnet/SG ARNs only")
    role("admin-role", LAMBDA_TRUST, [AWS_ADMIN], desc="AdministratorAccess")
    role("plain-role", LAMBDA_TRUST, [AWS_BASIC_EXEC], desc="basic execution only")
    boundary = iam.create_policy(PolicyName="logs-only-boundary", PolicyDocument=pj(doc(
        {"Sid": "LogsOnly", "Effect": "Allow", "Action": "logs:*", "Resource": "*"})),
        Description="permissions boundary: logs:* only")["Policy"]["Arn"]
    res["policies"]["logs-only-boundary"] = boundary
    role("eni-boundary-role", LAMBDA_TRUST, [AWS_VPC_ACCESS], boundary=boundary,
         desc="AWS managed VPC access, cut back by a logs-only boundary")
    res["permissions_boundaries"] = {"eni-boundary-role": boundary}

    # --- deployers ---
    iam.create_group(GroupName="guarded-devs")
    iam.put_group_policy(GroupName="guarded-devs", PolicyName="guarded-devs-inline", PolicyDocument=pj(doc(
        {"Sid": "Deploy", "Effect": "Allow", "Action": DEPLOY_ACTIONS + ["iam:PassRole"], "Resource": "*"},
        vpc_guardrail("lambda:VpcIds", vpc, sid="DenyOutsideApprovedVpc"))))
    res["groups"]["guarded-devs"] = f"arn:aws:iam::{a}:group/guarded-devs"

    def user(name: str, inline: dict[str, Any] | None = None, managed: list[str] = (),
             groups: list[str] = ()) -> None:
        iam.create_user(UserName=name, Tags=[{"Key": k, "Value": v} for k, v in SCENARIO_TAG.items()])
        if inline:
            iam.put_user_policy(UserName=name, PolicyName=f"{name}-inline", PolicyDocument=pj(inline))
        for arn in managed:
            iam.attach_user_policy(UserName=name, PolicyArn=arn)
        for g in groups:
            iam.add_user_to_group(GroupName=g, UserName=name)
        res["users"][name] = f"arn:aws:iam::{a}:user/{name}"

    user("dev-guarded", groups=["guarded-devs"])
    user("dev-subnet-guarded", doc(
        {"Sid": "Deploy", "Effect": "Allow", "Action": DEPLOY_ACTIONS, "Resource": "*"},
        vpc_guardrail("lambda:SubnetIds", subnets, sid="DenyOutsideApprovedSubnets")))
    role("deploy-create-only", root_trust, inline=doc(
        {"Sid": "Deploy", "Effect": "Allow", "Action": DEPLOY_ACTIONS, "Resource": "*"},
        vpc_guardrail("lambda:VpcIds", vpc, ["lambda:CreateFunction"], sid="DenyCreateOutsideApprovedVpc")),
        desc="guardrail on CreateFunction only: UpdateFunctionConfiguration leaks")
    if managed_policy_exists(iam, AWS_LAMBDA_FULL):
        user("dev-unguarded", managed=[AWS_LAMBDA_FULL])
        res["notes"]["dev-unguarded"] = "AWS managed AWSLambda_FullAccess"
    else:  # older moto without the managed policy
        user("dev-unguarded", doc({"Effect": "Allow", "Action": "lambda:*", "Resource": "*"}))
        res["notes"]["dev-unguarded"] = "inline lambda:* (moto lacks AWSLambda_FullAccess)"
    role("deploy-anyvalue", root_trust, inline=doc(
        {"Sid": "Deploy", "Effect": "Allow", "Action": DEPLOY_ACTIONS, "Resource": "*"},
        vpc_guardrail("lambda:VpcIds", vpc, op="ForAnyValue:StringNotEquals", sid="DenyAnyValue")),
        desc="ForAnyValue guardrail: an absent lambda:VpcIds (no VPC config) gets through")
    role("deploy-anyvalue-ifexists", root_trust, inline=doc(
        {"Sid": "Deploy", "Effect": "Allow", "Action": DEPLOY_ACTIONS, "Resource": "*"},
        vpc_guardrail("lambda:SubnetIds", subnets, op="ForAnyValue:StringNotEqualsIfExists",
                      sid="DenyAnyValueIfExists")),
        desc="ForAnyValue ignores IfExists: an absent lambda:SubnetIds (no VPC config) gets through")
    role("deploy-provider-unguarded", root_trust, inline=doc(
        {"Sid": "Lambda", "Effect": "Allow", "Action": "lambda:*", "Resource": "*"},
        vpc_guardrail("lambda:VpcIds", vpc, sid="DenyOutsideApprovedVpc"), layer_guardrail()),
        desc="functions kept to the approved VPC, but CreateCapacityProvider carries no lambda:VpcIds")
    role("deploy-layer-guarded", root_trust, inline=doc(
        {"Sid": "Deploy", "Effect": "Allow", "Action": DEPLOY_ACTIONS, "Resource": "*"},
        vpc_guardrail("lambda:VpcIds", vpc, sid="DenyOutsideApprovedVpc"), layer_guardrail()),
        desc="approved VPC and own-account layers only (ForAnyValue:StringNotLike on lambda:Layer)")
    role("deploy-layer-allvalues", root_trust, inline=doc(
        {"Sid": "Deploy", "Effect": "Allow", "Action": DEPLOY_ACTIONS, "Resource": "*"},
        vpc_guardrail("lambda:VpcIds", vpc, sid="DenyOutsideApprovedVpc"),
        layer_guardrail("ForAllValues:StringNotLike", sid="DenyAllUntrustedLayers")),
        desc="ForAllValues:StringNotLike on lambda:Layer: an untrusted layer beside an own one gets through")
    user("reader", doc({"Sid": "ReadOnly", "Effect": "Allow", "Action": ["lambda:List*", "lambda:Get*"],
                        "Resource": "*"}))
    return res


def create_functions(t: Account) -> tuple[dict[str, str], dict[str, str]]:
    lam = t.client("lambda", REGION)
    fns, fn_roles = {}, {}
    code = lambda_zip()
    for r in EXEC_ROLES:
        name = "fn-" + r.removesuffix("-role")
        arn = lam.create_function(FunctionName=name, Runtime="python3.12", Role=t.role(r),
                                  Handler="index.handler", Code={"ZipFile": code}, Timeout=10,
                                  MemorySize=128, Tags=SCENARIO_TAG)["FunctionArn"]
        assert arn == t.fn_arn(REGION, name), arn
        fns[name], fn_roles[name] = arn, r
    return fns, fn_roles


def layer_guardrail(op: str = "ForAnyValue:StringNotLike", sid: str = "DenyUntrustedLayers",
                    actions: list[str] | None = None) -> dict[str, Any]:
    """Deny DEPLOY_ACTIONS with a layer that is not the caller's own account's (lambda:Layer is
    multi-valued: ForAnyValue holds, ForAllValues lets one untrusted layer beside an own one through)."""
    return {"Sid": sid, "Effect": "Deny", "Action": actions or DEPLOY_ACTIONS, "Resource": "*",
            "Condition": {op: {"lambda:Layer": ["arn:aws:lambda:*:${aws:PrincipalAccount}:layer:*"]}}}


def provider_guardrail(subnets: list[str], sid: str = "DenyProvidersOutsideApprovedSubnets") -> dict[str, Any]:
    """Capacity providers: CreateCapacityProvider carries lambda:SubnetIds/SecurityGroupIds, never
    lambda:VpcIds (Service Authorization Reference), and always names a subnet."""
    return {"Sid": sid, "Effect": "Deny", "Action": "lambda:CreateCapacityProvider", "Resource": "*",
            "Condition": {"ForAnyValue:StringNotEquals": {"lambda:SubnetIds": subnets}}}


def scp_content(mode: str, net: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    if mode == "guardrail":
        return ("lambda-vpc-guardrail-scp",
                "Lambda functions and capacity providers only in the approved network, layers only own",
                doc(vpc_guardrail("lambda:VpcIds", [net["vpc_id"]], sid="DenyLambdaOutsideApprovedVpc"),
                    provider_guardrail(net["subnet_ids"]), layer_guardrail()))
    return ("deny-leave-org", "unrelated to Lambda",
            doc({"Sid": "DenyLeave", "Effect": "Deny", "Action": "organizations:LeaveOrganization",
                 "Resource": "*"}))


def attach_scp(mgmt: Account, org_res: dict[str, Any], mode: str, net: dict[str, Any]) -> None:
    org = mgmt.client("organizations")
    name, desc, content = scp_content(mode, net)
    p = org.create_policy(Name=name, Type="SERVICE_CONTROL_POLICY", Description=desc,
                          Content=pj(content))["Policy"]["PolicySummary"]
    org.attach_policy(PolicyId=p["Id"], TargetId=org_res["root_id"])
    org_res.update({"scp_mode": mode, "scp_id": p["Id"], "scp_arn": p["Arn"], "scp_name": name,
                    "scp_attached_to": org_res["root_id"]})


def member_view(t: Account, org_res: dict[str, Any]) -> dict[str, str]:
    """What Organizations answers to the member's own credentials."""
    o = t.client("organizations")
    y, root, ou, scp = t.account_id, org_res["root_id"], org_res["ou_id"], org_res["scp_id"]
    calls = {
        "DescribeOrganization": lambda: o.describe_organization()["Organization"]["Id"],
        "ListRoots": lambda: ",".join(r["Id"] for r in o.list_roots()["Roots"]),
        f"ListParents({y})": lambda: ",".join(p["Id"] for p in o.list_parents(ChildId=y)["Parents"]),
    }
    for target in (root, ou, y):
        calls[f"ListPoliciesForTarget({target})"] = (
            lambda target=target: ",".join(p["Id"] for p in o.list_policies_for_target(
                TargetId=target, Filter="SERVICE_CONTROL_POLICY")["Policies"]))
    calls[f"DescribePolicy({scp})"] = lambda: o.describe_policy(PolicyId=scp)["Policy"]["PolicySummary"]["Name"]
    out = {}
    for k, f in calls.items():
        try:
            out[k] = "ok: " + f()
        except ClientError as e:
            out[k] = f"{e.response['Error'].get('Code')} (HTTP {e.response['ResponseMetadata']['HTTPStatusCode']})"
    return out


def verify(t: Account, mgmt: Account, iam_res: dict[str, Any], fns: dict[str, str],
           fn_roles: dict[str, str], org_res: dict[str, Any], net: dict[str, Any]) -> None:
    iam = t.client("iam")
    problems: list[str] = []

    def check(cond: bool, what: str) -> None:
        if not cond:
            problems.append(what)

    for name in iam_res["roles"]:
        r = iam.get_role(RoleName=name)["Role"]
        trust = r["AssumeRolePolicyDocument"]
        trust = json.loads(trust) if isinstance(trust, str) else trust
        princ = trust["Statement"][0]["Principal"]
        owner = mgmt.account_id if name == OAAR else t.account_id  # moto's OAAR trusts M's root
        check(princ == ({"Service": "lambda.amazonaws.com"} if name in EXEC_ROLES
                        else {"AWS": f"arn:aws:iam::{owner}:root"}), f"trust of {name}: {princ}")
    attached = {n: sorted(p["PolicyArn"] for p in iam.list_attached_role_policies(RoleName=n)["AttachedPolicies"])
                for n in iam_res["roles"]}
    check(attached["eni-managed-role"] == sorted([AWS_VPC_ACCESS, AWS_BASIC_EXEC]), "eni-managed-role policies")
    check(attached["admin-role"] == [AWS_ADMIN], "admin-role policies")
    check(attached["plain-role"] == [AWS_BASIC_EXEC], "plain-role policies")
    check(attached["eni-boundary-role"] == [AWS_VPC_ACCESS], "eni-boundary-role policies")
    pb = iam.get_role(RoleName="eni-boundary-role")["Role"].get("PermissionsBoundary", {})
    check(pb.get("PermissionsBoundaryArn") == iam_res["policies"]["logs-only-boundary"], f"boundary {pb}")
    for n in ("eni-ec2star-role", "eni-null-role", "eni-scoped-role", "deploy-create-only", "deploy-anyvalue",
              "deploy-anyvalue-ifexists", "deploy-provider-unguarded", "deploy-layer-guarded",
              "deploy-layer-allvalues"):
        check(iam.list_role_policies(RoleName=n)["PolicyNames"] == [f"{n}-inline"], f"{n} inline")
    null_doc = iam.get_role_policy(RoleName="eni-null-role", PolicyName="eni-null-role-inline")["PolicyDocument"]
    check(null_doc["Statement"][0]["Condition"] == {"Null": {"lambda:SourceFunctionArn": "true"}}, "null cond")
    members = [u["UserName"] for u in iam.get_group(GroupName="guarded-devs")["Users"]]
    check(members == ["dev-guarded"], f"guarded-devs members {members}")
    check(iam.list_group_policies(GroupName="guarded-devs")["PolicyNames"] == ["guarded-devs-inline"], "group inline")
    for u in ("dev-subnet-guarded", "reader"):
        check(iam.list_user_policies(UserName=u)["PolicyNames"] == [f"{u}-inline"], f"{u} inline")
    lam = t.client("lambda", REGION)
    for name, arn in fns.items():
        c = lam.get_function(FunctionName=name)["Configuration"]
        check(c["FunctionArn"] == arn and c["Role"] == t.role(fn_roles[name]), f"function {name}: {c['Role']}")
    ec2 = t.client("ec2", REGION)
    check(len(ec2.describe_subnets(SubnetIds=net["subnet_ids"])["Subnets"]) == 2, "subnets")
    check(ec2.describe_security_groups(GroupIds=net["security_group_ids"])["SecurityGroups"][0]["VpcId"]
          == net["vpc_id"], "sg vpc")
    org = mgmt.client("organizations")
    pol = org.describe_policy(PolicyId=org_res["scp_id"])["Policy"]
    check(json.loads(pol["Content"]) == scp_content(org_res["scp_mode"], net)[2], "scp content")
    targets = [x["TargetId"] for x in org.list_targets_for_policy(PolicyId=org_res["scp_id"])["Targets"]]
    check(targets == [org_res["root_id"]], f"scp targets {targets}")
    if org_res["member"]:
        check(org.list_parents(ChildId=t.account_id)["Parents"][0]["Id"] == org_res["ou_id"], "member parent")
        check(t.client("organizations").describe_organization()["Organization"]["MasterAccountId"]
              == mgmt.account_id, "member DescribeOrganization")

    # What an auditor with the returned credentials sees.
    pages = iam.get_paginator("get_account_authorization_details").paginate(
        Filter=["User", "Role", "Group", "LocalManagedPolicy"])  # AWS managed: ~1580 listed, slow
    gaad: dict[str, list[Any]] = {"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": [], "Policies": []}
    for p in pages:
        for k in gaad:
            gaad[k] += p.get(k, [])
    users = {u["UserName"]: u for u in gaad["UserDetailList"]}
    roles = {r["RoleName"]: r for r in gaad["RoleDetailList"]}
    groups = {g["GroupName"]: g for g in gaad["GroupDetailList"]}
    for n in iam_res["roles"]:
        check(n in roles, f"GAAD lacks role {n}")
    for n in iam_res["users"]:
        check(n in users, f"GAAD lacks user {n}")
    check("guarded-devs" in users.get("dev-guarded", {}).get("GroupList", []), "GAAD group membership")
    check(roles.get("eni-boundary-role", {}).get("PermissionsBoundary", {}).get("PermissionsBoundaryArn")
          == iam_res["policies"]["logs-only-boundary"], "GAAD boundary")
    # moto quirks: GAAD's Policies entries carry no PolicyName/PolicyId (Arn is there); with the
    # AWSManagedPolicy filter all ~1580 AWS managed policies are listed, attached or not.
    local = [p["Arn"].rsplit("/", 1)[-1] for p in gaad["Policies"]]
    aws_used = sorted({p["PolicyName"] for e in list(roles.values()) + list(users.values())
                       + list(groups.values()) for p in e.get("AttachedManagedPolicies", [])
                       if p["PolicyArn"].startswith("arn:aws:iam::aws:")})
    check(local == ["logs-only-boundary"], f"GAAD local policies {local}")
    bdoc = [v["Document"] for p in gaad["Policies"] if p["Arn"] == iam_res["policies"]["logs-only-boundary"]
            for v in p.get("PolicyVersionList", []) if v.get("IsDefaultVersion")]
    check(bool(bdoc) and bdoc[0]["Statement"][0]["Action"] == "logs:*", f"GAAD boundary document {bdoc}")
    log(f"iam-guardrails GAAD({t.account_id}): roles={sorted(roles)} users={sorted(users)} "
        f"groups={sorted(groups)} local_policies={local} aws_managed_attached={aws_used}")
    for n in sorted(roles):
        r = roles[n]
        log(f"  role {n}: managed={[p['PolicyName'] for p in r.get('AttachedManagedPolicies', [])]} "
            f"inline={[p['PolicyName'] for p in r.get('RolePolicyList', [])]} "
            f"boundary={r.get('PermissionsBoundary', {}).get('PermissionsBoundaryArn', '-')}")
    for n in sorted(users):
        u = users[n]
        log(f"  user {n}: groups={u.get('GroupList', [])} managed="
            f"{[p['PolicyName'] for p in u.get('AttachedManagedPolicies', [])]} "
            f"inline={[p['PolicyName'] for p in u.get('UserPolicyList', [])]}")
    if problems:
        raise SystemExit(f"iam-guardrails: verification failed: {problems}")


def seed(acct: Account, args: Any) -> dict[str, Any]:
    mode = getattr(args, "scp", None) or "unrelated"
    member = bool(getattr(args, "member", False))
    tm = Timer()
    org_res = create_org(acct)
    if member:
        org = acct.client("organizations")
        st = org.create_account(Email="vpcwarden-workload@example.com", AccountName="vpcwarden-workload")[
            "CreateAccountStatus"]
        if st["State"] != "SUCCEEDED":
            raise SystemExit(f"CreateAccount did not succeed: {st}")
        ou = org.create_organizational_unit(ParentId=org_res["root_id"], Name="workloads")["OrganizationalUnit"]
        org.move_account(AccountId=st["AccountId"], SourceParentId=org_res["root_id"], DestinationParentId=ou["Id"])
        target = Account(acct.endpoint, st["AccountId"])
        target.create_seeder_role()
        iam_y = target.client("iam")
        iam_y.get_role(RoleName=OAAR)  # moto creates it (trusting M's root) without permissions
        iam_y.attach_role_policy(RoleName=OAAR, PolicyArn=AWS_ADMIN)  # AWS gives it admin rights
        org_res.update({"member_account_id": st["AccountId"], "ou_id": ou["Id"], "ou_arn": ou["Arn"]})
    else:
        target = acct
    org_res["member"] = member
    log(f"iam-guardrails: org done ({tm.elapsed():.2f}s), seeding into {target.account_id} "
        f"({'member' if member else 'management'} account)")

    a = target.account_id
    net = build_network(target.client("ec2", REGION))
    iam_res = seed_iam(target, net)
    fns, fn_roles = create_functions(target)
    attach_scp(acct, org_res, mode, net)
    log(f"iam-guardrails: seeded ({tm.elapsed():.2f}s)")
    if member:
        iam_res["roles"][OAAR] = target.role(OAAR)
        org_res["member_view"] = member_view(target, org_res)
        org_res["management_credentials"] = acct.credentials
        log(f"iam-guardrails: member view {org_res['member_view']}")
    verify(target, acct, iam_res, fns, fn_roles, org_res, net)
    log(f"iam-guardrails: verified ({tm.elapsed():.2f}s)")

    R = iam_res["roles"]
    U = iam_res["users"]
    exec_roles = [R[n] for n in EXEC_ROLES]
    eni_fail = [R[n] for n in ("eni-managed-role", "eni-ec2star-role", "admin-role")]
    leaky = [R["deploy-create-only"], U["dev-unguarded"], R["deploy-anyvalue"],
             R["deploy-anyvalue-ifexists"], R["admin-role"], R["deploy-provider-unguarded"]]
    if member:
        leaky.append(R[OAAR])  # AdministratorAccess, as AWS gives it
    guarded = [U["dev-guarded"], U["dev-subnet-guarded"], R["deploy-layer-guarded"], R["deploy-layer-allvalues"]]
    # Layers: every principal that may deploy, but the two with a ForAnyValue:StringNotLike guardrail.
    # (dev-guarded and dev-subnet-guarded are probed inside the approved VPC, where they may deploy.)
    layer_guarded = [R["deploy-provider-unguarded"], R["deploy-layer-guarded"]]
    layer_leaky = [x for x in leaky + guarded if x not in layer_guarded]
    scp_applies = member and mode == "guardrail"  # SCPs never restrict the management account
    account_root = f"arn:aws:iam::{a}:root"

    def exp(fail: list[str], passed: list[str]) -> dict[str, list[str]]:
        return {"fail": fail, "pass": passed, "not_evaluated": []}

    expect = {
        "role-eni-write-unconditioned": exp(eni_fail, [x for x in exec_roles if x not in eni_fail]),
        "role-admin-access": exp([R["admin-role"]], [x for x in exec_roles if x != R["admin-role"]]),
        "principal-vpc-guardrail-missing": exp([], leaky + guarded) if scp_applies else exp(leaky, guarded),
        "account-vpc-guardrail-missing": exp([], [account_root]) if scp_applies else exp([account_root], []),
        "principal-layer-guardrail-missing": (exp([], layer_leaky + layer_guarded) if scp_applies
                                              else exp(layer_leaky, layer_guarded)),
        "account-layer-guardrail-missing": exp([], [account_root]) if scp_applies else exp([account_root], []),
    }
    return {
        "account_id": a,
        "regions": [REGION],
        "credentials": target.credentials,
        "expect": expect,
        "resources": {
            "approved_vpcs": [net["vpc_id"]],
            "approved_subnets": net["subnet_ids"],
            "approved_security_groups": net["security_group_ids"],
            "principals": {**R, **U},
            "iam": iam_res,
            "seeder_role": target.role_arn,
            "functions": fns,
            "function_roles": fn_roles,
            "scoped_eni_arn": f"arn:aws:ec2:{REGION}:{a}:network-interface/{SCOPED_ENI_ID}",
            "organization": org_res,
            "account_root": account_root,
            "scp_applies_to_account": scp_applies,
            "notes": ("vpcwarden-seeder has no permission policy (in neither list). The VPC-guardrail probe is "
                      "a config wholly outside the approved network (other VPC, its subnets, its SGs) and no "
                      "VPC config; dev-guarded/dev-subnet-guarded would still allow an unapproved SG (e.g. the "
                      "VPC's default SG) inside the approved VPC/subnets."),
        },
    }

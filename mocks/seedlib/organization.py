"""Scenario `organization`: an AWS Organization to scan as a whole from its management account (issue 11).

    seed.py --scenario organization --account M        (needs the server of mocks/seedlib/org_server.py)

--account M becomes the MANAGEMENT account. It creates the organization, OUs, five member accounts
(CreateAccount: moto picks their ids), SCPs at three levels and one RCP, and seeds every member through
the usual seeder role. The returned account_id and credentials are M's: vpcwarden runs from M with
`--organization --role-name vpcwarden-audit --external-id <resources.organization.external_id>`.

    Root  SCP deny-leave-organization (unrelated to Lambda); RCP rcp-s3-require-tls (S3 only)
    ├── workloads      SCP lambda-vpc-guardrail: Deny lambda:CreateFunction/UpdateFunctionConfiguration,
    │   │              ForAllValues:StringNotEquals lambda:VpcIds = the approved VPCs of its members, and
    │   │              lambda:CreateCapacityProvider outside their approved subnets
    │   ├── workload-shared   vpcwarden-audit requires sts:ExternalId
    │   └── prod
    │       └── workload-app  vpcwarden-audit; also partner-hook, invocable by workload-shared's root
    ├── sandbox
    │   ├── sandbox-dev       vpcwarden-audit; SCP deny-eni-from-function-code attached to the account
    │   └── sandbox-norole    NO vpcwarden-audit role (the rest is seeded): assuming it fails, a gap
    ├── retired               closed with CloseAccount: status SUSPENDED, must not be scanned
    └── M (management account: no SCP binds it)

Every member holds (us-east-1): an approved VPC (two subnets in two AZs, one security group), execution
roles app-basic-role (AWSLambdaBasicExecutionRole) and app-vpc-role (+ AWSLambdaVPCAccessExecutionRole:
ENI actions on "*"), a deployer role lambda-deployer (trusts its own account; may create and update any
function, no guardrail of its own), and functions api (in the VPC, app-vpc-role), worker (no VPC) and
public-hook (no VPC, resource policy Principal "*"). M holds only vpcwarden-audit (trusting itself).

vpcwarden-audit trusts M's root and carries an inline read-only policy (Lambda, EC2, IAM, Organizations
reads). moto does not enforce IAM on the shared server, so the policy matters only to vpcwarden's own
IAM checks: it cannot create functions, so it is in no expectation list.

Expectations (top-level `expect` and per account) are for a run from M over the organization with the
external id, the management account scanned too, and no approved subnets or security groups named in
the run's configuration (naming only approved VPCs, e.g. resources.organization.approved_vpcs, is fine).
They are what AWS's own evaluation gives:
  - function-not-in-vpc: worker, public-hook (and partner-hook) fail; api passes.
  - function-policy-public: public-hook fails; the others pass (partner-hook trusts one named member).
  - role-eni-write-unconditioned: app-vpc-role fails, except in sandbox-dev whose SCP denies the ENI
    actions when lambda:SourceFunctionArn is present; app-basic-role passes.
  - principal-vpc-guardrail-missing: lambda-deployer passes under `workloads` (the SCP denies it), fails in
    sandbox-dev.
  - account-vpc-guardrail-missing: the workloads members pass, sandbox-dev and M fail (M because SCPs never
    bind the management account).
  - sandbox-norole: every listed check not_evaluated on the account root (issue 11, item 5);
    workload-shared without the external id likewise (member field expect_without_external_id).
  - retired: not scanned at all (listed as not scanned); its functions would show up if it were.

Output (seed.py's contract): account_id and credentials are M's, expect is the union over the scanned
accounts, and resources.organization = {organization_id, root_id, management_account, role_name,
external_id, management: {account_id, name, ou_path, status, role_arn, assume, expect}, members: [
{account_id, name, email, ou_path, parent_id, status (ACTIVE|SUSPENDED), scanned, role_arn, role_exists,
external_id (only where required), assume: {without_external_id[, wrong_external_id, with_external_id]:
"ok"|"AccessDenied"} as verified from M, scp_levels: [{target_id, policy_ids}] root first, approved_network,
functions, principals, expect[, expect_without_external_id]}], ous: [{id, name, path, parent_id[, arn]}],
scps and rcps: [{id, arn, name, type, description, targets, content}], default_policies, approved_vpcs (every
member's), guardrail_vpcs (those the workloads SCP names)}.

moto limits this scenario lives with (see ORGANIZATION-NOTES.md): a member's or delegated administrator's
credentials get an EMPTY ListAccounts (HTTP 200), not AccessDenied; moto creates OrganizationAccountAccess-
Role in each member (trusting M, no permissions, so it is in no list); moto attaches FullAWSAccess and
RCPFullAWSAccess to the root, every OU and every account; CloseAccount goes straight to SUSPENDED.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from .common import LAMBDA_TRUST, Account, Timer, create_org, lambda_zip, log, pj
from .iam_guardrails import build_network, managed_policy_exists, provider_guardrail, vpc_guardrail
from .lambda_vpc_mix import AWS_BASIC_EXEC, AWS_VPC_ACCESS

REGION = "us-east-1"
AUDIT_ROLE = "vpcwarden-audit"
DEPLOYER = "lambda-deployer"
EXEC_BASIC = "app-basic-role"
EXEC_VPC = "app-vpc-role"
SCENARIO_TAG = {"scenario": "organization"}
# Every action IAM001 (role-eni-write-unconditioned) probes: the SCP must deny them all.
ENI_WRITE = ["ec2:*NetworkInterface*", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses",
             "ec2:AssignIpv6Addresses", "ec2:UnassignIpv6Addresses"]
AUDIT_READ = ["lambda:Get*", "lambda:List*", "ec2:Describe*", "iam:Get*", "iam:List*",
              "organizations:Describe*", "organizations:List*", "sts:GetCallerIdentity"]
SLUGS = ["function-not-in-vpc", "function-policy-public", "role-eni-write-unconditioned",
         "principal-vpc-guardrail-missing", "account-vpc-guardrail-missing"]


@dataclass(frozen=True)
class MemberSpec:
    """One member account: where it sits and how vpcwarden can (or cannot) get in."""
    name: str
    ou_path: str
    audit_role: bool = True
    external_id: bool = False
    eni_scp: bool = False
    suspended: bool = False
    partner_hook: bool = False


MEMBERS = [
    MemberSpec("workload-app", "/workloads/prod", partner_hook=True),
    MemberSpec("workload-shared", "/workloads", external_id=True),
    MemberSpec("sandbox-dev", "/sandbox", eni_scp=True),
    MemberSpec("sandbox-norole", "/sandbox", audit_role=False),
    MemberSpec("retired", "/", suspended=True),
]
OU_PATHS = ["/workloads", "/workloads/prod", "/sandbox"]


def doc(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def exp(fail: Sequence[str] = (), passed: Sequence[str] = (), not_evaluated: Sequence[str] = ()
        ) -> dict[str, list[str]]:
    return {"fail": sorted(fail), "pass": sorted(passed), "not_evaluated": sorted(not_evaluated)}


def audit_trust(mgmt_id: str, external_id: str | None) -> dict[str, Any]:
    st: dict[str, Any] = {"Sid": "VpcwardenFromManagement", "Effect": "Allow",
                          "Principal": {"AWS": f"arn:aws:iam::{mgmt_id}:root"}, "Action": "sts:AssumeRole"}
    if external_id:
        st["Condition"] = {"StringEquals": {"sts:ExternalId": external_id}}
    return doc(st)


def create_audit_role(t: Account, mgmt_id: str, external_id: str | None) -> str:
    iam = t.client("iam")
    iam.create_role(RoleName=AUDIT_ROLE, AssumeRolePolicyDocument=pj(audit_trust(mgmt_id, external_id)),
                    Description="vpcwarden read-only audit role (organization scan)",
                    Tags=[{"Key": k, "Value": v} for k, v in SCENARIO_TAG.items()])
    iam.put_role_policy(RoleName=AUDIT_ROLE, PolicyName="vpcwarden-audit-read", PolicyDocument=pj(doc(
        {"Sid": "ReadOnly", "Effect": "Allow", "Action": AUDIT_READ, "Resource": "*"})))
    return t.role(AUDIT_ROLE)


def create_function(t: Account, name: str, role: str, vpc: dict[str, Any] | None = None) -> str:
    kw: dict[str, Any] = {}
    if vpc:
        kw["VpcConfig"] = {"SubnetIds": vpc["subnet_ids"], "SecurityGroupIds": vpc["security_group_ids"]}
    arn = t.client("lambda", REGION).create_function(
        FunctionName=name, Runtime="python3.12", Role=t.role(role), Handler="index.handler",
        Code={"ZipFile": lambda_zip()}, Timeout=10, MemorySize=128, Tags=SCENARIO_TAG, **kw)["FunctionArn"]
    assert arn == t.fn_arn(REGION, name), arn
    return arn


def seed_member(t: Account, spec: MemberSpec, mgmt_id: str, external_id: str,
                partner_account: str | None) -> dict[str, Any]:
    """Network, roles, deployer and functions of one member (through its seeder role)."""
    iam = t.client("iam")
    for arn in (AWS_VPC_ACCESS, AWS_BASIC_EXEC):
        if not managed_policy_exists(iam, arn):
            raise SystemExit(f"moto lacks {arn}: start it with MOTO_IAM_LOAD_MANAGED_POLICIES=true")
    net = build_network(t.client("ec2", REGION))
    tags = [{"Key": k, "Value": v} for k, v in SCENARIO_TAG.items()]
    iam.create_role(RoleName=EXEC_BASIC, AssumeRolePolicyDocument=pj(LAMBDA_TRUST), Tags=tags,
                    Description="execution role: basic logging only")
    iam.attach_role_policy(RoleName=EXEC_BASIC, PolicyArn=AWS_BASIC_EXEC)
    iam.create_role(RoleName=EXEC_VPC, AssumeRolePolicyDocument=pj(LAMBDA_TRUST), Tags=tags,
                    Description="execution role of VPC functions: AWS managed VPC access (ENI actions on *)")
    for arn in (AWS_BASIC_EXEC, AWS_VPC_ACCESS):
        iam.attach_role_policy(RoleName=EXEC_VPC, PolicyArn=arn)
    iam.create_role(RoleName=DEPLOYER, Tags=tags, Description="deploys functions; no guardrail of its own",
                    AssumeRolePolicyDocument=pj(doc({"Effect": "Allow", "Action": "sts:AssumeRole",
                                                     "Principal": {"AWS": f"arn:aws:iam::{t.account_id}:root"}})))
    iam.put_role_policy(RoleName=DEPLOYER, PolicyName=f"{DEPLOYER}-inline", PolicyDocument=pj(doc(
        {"Sid": "Deploy", "Effect": "Allow", "Resource": "*",
         "Action": ["lambda:CreateFunction", "lambda:UpdateFunctionConfiguration", "lambda:UpdateFunctionCode",
                    "lambda:GetFunction"]},
        {"Sid": "PassExecutionRoles", "Effect": "Allow", "Action": "iam:PassRole",
         "Resource": [t.role(EXEC_BASIC), t.role(EXEC_VPC)]})))
    role_arn = create_audit_role(t, mgmt_id, external_id if spec.external_id else None) if spec.audit_role \
        else t.role(AUDIT_ROLE)

    fns = {"api": create_function(t, "api", EXEC_VPC, net),
           "worker": create_function(t, "worker", EXEC_BASIC),
           "public-hook": create_function(t, "public-hook", EXEC_BASIC)}
    lam = t.client("lambda", REGION)
    lam.add_permission(FunctionName="public-hook", StatementId="public-invoke",
                       Action="lambda:InvokeFunction", Principal="*")
    if spec.partner_hook and partner_account:
        fns["partner-hook"] = create_function(t, "partner-hook", EXEC_BASIC)
        # The root ARN, not the bare id: moto stores a bare id as a string where AWS stores
        # {"AWS": "arn:aws:iam::ID:root"} (see function_exposure.py's moto deviations).
        lam.add_permission(FunctionName="partner-hook", StatementId="org-member-invoke",
                           Action="lambda:InvokeFunction", Principal=f"arn:aws:iam::{partner_account}:root")
    return {
        "role_arn": role_arn,
        "role_exists": spec.audit_role,
        "approved_network": net,
        "functions": fns,
        "principals": {DEPLOYER: t.role(DEPLOYER), EXEC_BASIC: t.role(EXEC_BASIC), EXEC_VPC: t.role(EXEC_VPC)},
    }


def member_expect(spec: MemberSpec, account_id: str, m: dict[str, Any]) -> dict[str, dict[str, list[str]]]:
    """What a correct scan of this member reports (assuming its role was assumed)."""
    f, p = m["functions"], m["principals"]
    root = f"arn:aws:iam::{account_id}:root"
    guarded = spec.ou_path.startswith("/workloads")
    eni_fail = [] if spec.eni_scp else [p[EXEC_VPC]]
    return {
        "function-not-in-vpc": exp([a for n, a in f.items() if n != "api"], [f["api"]]),
        "function-policy-public": exp([f["public-hook"]], [a for n, a in f.items() if n != "public-hook"]),
        "role-eni-write-unconditioned": exp(eni_fail, [p[EXEC_BASIC]] + ([p[EXEC_VPC]] if spec.eni_scp else [])),
        "principal-vpc-guardrail-missing": exp([], [p[DEPLOYER]]) if guarded else exp([p[DEPLOYER]], []),
        "account-vpc-guardrail-missing": exp([], [root]) if guarded else exp([root], []),
    }


def gap_expect(account_id: str) -> dict[str, dict[str, list[str]]]:
    return {s: exp([], [], [f"arn:aws:iam::{account_id}:root"]) for s in SLUGS}


def build_tree(org: Any, root_id: str) -> dict[str, dict[str, Any]]:
    """The OUs by path, created parent first."""
    ous: dict[str, dict[str, Any]] = {"/": {"id": root_id, "name": "Root", "path": "/", "parent_id": None}}
    for path in OU_PATHS:
        parent_path, name = path.rsplit("/", 1)
        parent = ous[parent_path or "/"]
        ou = org.create_organizational_unit(ParentId=parent["id"], Name=name)["OrganizationalUnit"]
        ous[path] = {"id": ou["Id"], "arn": ou["Arn"], "name": name, "path": path, "parent_id": parent["id"]}
    return ous


def attach(org: Any, name: str, kind: str, desc: str, content: dict[str, Any], targets: list[str]) -> dict[str, Any]:
    p = org.create_policy(Name=name, Type=kind, Description=desc, Content=pj(content))["Policy"]["PolicySummary"]
    for target in targets:
        org.attach_policy(PolicyId=p["Id"], TargetId=target)
    return {"id": p["Id"], "arn": p["Arn"], "name": name, "type": kind, "description": desc,
            "targets": targets, "content": content}


def assume(sts: Any, role_arn: str, external_id: str | None = None) -> tuple[str, dict[str, Any] | None]:
    kw = {"ExternalId": external_id} if external_id else {}
    try:
        c = sts.assume_role(RoleArn=role_arn, RoleSessionName="vpcwarden-selfcheck", **kw)["Credentials"]
        return "ok", c
    except ClientError as e:
        return e.response["Error"].get("Code", "?"), None


def verify(mgmt: Account, org_res: dict[str, Any], members: list[dict[str, Any]]) -> None:
    """From M's credentials: the tree, the policies, and AssumeRole into each member as designed."""
    import boto3  # common.py has scrubbed the environment already

    problems: list[str] = []

    def check(cond: bool, what: str) -> None:
        if not cond:
            problems.append(what)

    org = mgmt.client("organizations")
    listed = {a["Id"]: a for p in org.get_paginator("list_accounts").paginate() for a in p["Accounts"]}
    check(set(listed) == {mgmt.account_id} | {m["account_id"] for m in members}, f"ListAccounts {sorted(listed)}")
    for m in members:
        a = listed.get(m["account_id"], {})
        check(a.get("Status") == m["status"], f"{m['name']} status {a.get('Status')} != {m['status']}")
        # The parent chain read back must be the OU path the scenario meant.
        chain, child = [], m["account_id"]
        while True:
            parent = org.list_parents(ChildId=child)["Parents"][0]
            if parent["Type"] == "ROOT":
                break
            chain.append(org.describe_organizational_unit(OrganizationalUnitId=parent["Id"])
                         ["OrganizationalUnit"]["Name"])
            child = parent["Id"]
        path = "/" + "/".join(reversed(chain))
        check(path == m["ou_path"], f"{m['name']} ou path {path} != {m['ou_path']}")
        levels = []
        for target in m["scp_targets"]:
            ids = sorted(p["Id"] for p in org.list_policies_for_target(
                TargetId=target, Filter="SERVICE_CONTROL_POLICY")["Policies"])
            levels.append({"target_id": target, "policy_ids": ids})
        m["scp_levels"] = levels
    for p in org_res["scps"]:
        got = org.describe_policy(PolicyId=p["id"])["Policy"]
        check(json.loads(got["Content"]) == p["content"], f"content of {p['name']}")
        targets = sorted(t["TargetId"] for t in org.list_targets_for_policy(PolicyId=p["id"])["Targets"])
        check(targets == sorted(p["targets"]), f"targets of {p['name']}: {targets}")

    sts = mgmt.client("sts")
    for m in members:
        want_ok = m["role_exists"]
        runs = {"without_external_id": None}
        if m.get("external_id"):
            runs = {"without_external_id": None, "wrong_external_id": "not-the-external-id",
                    "with_external_id": m["external_id"]}
        m["assume"] = {}
        for label, ext in runs.items():
            code, creds = assume(sts, m["role_arn"], ext)
            m["assume"][label] = code
            expected_ok = want_ok and (label == "with_external_id" or not m.get("external_id"))
            if code not in ("ok", "AccessDenied"):
                problems.append(f"{m['name']} {label}: unexpected {code}")
            elif (code == "ok") != expected_ok:
                hint = "" if code == "AccessDenied" else \
                    " (is the server mocks/seedlib/org_server.py? plain moto_server accepts any AssumeRole)"
                problems.append(f"{m['name']} {label}: AssumeRole gave {code}, expected "
                                f"{'ok' if expected_ok else 'AccessDenied'}{hint}")
            if creds:
                session = boto3.session.Session(
                    aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                    aws_session_token=creds["SessionToken"], region_name=REGION)
                ident = session.client("sts", endpoint_url=mgmt.endpoint).get_caller_identity()
                check(ident["Account"] == m["account_id"]
                      and ident["Arn"].startswith(f"arn:aws:sts::{m['account_id']}:assumed-role/{AUDIT_ROLE}/"),
                      f"{m['name']} caller identity {ident['Arn']}")
                names = sorted(f["FunctionName"] for f in session.client(
                    "lambda", endpoint_url=mgmt.endpoint).list_functions()["Functions"])
                check(names == sorted(m["functions"]), f"{m['name']} functions seen through the role: {names}")
    code, _ = assume(sts, org_res["management"]["role_arn"])
    org_res["management"]["assume"] = {"without_external_id": code}
    check(code == "ok", f"management's own {AUDIT_ROLE}: {code}")
    if problems:
        raise SystemExit(f"organization: verification failed: {problems}")


def seed(acct: Account, args: Any) -> dict[str, Any]:
    tm = Timer()
    mgmt_id = acct.account_id
    external_id = f"vpcwarden-{mgmt_id}"
    base = create_org(acct)
    org = acct.client("organizations")
    root_id = base["root_id"]
    ous = build_tree(org, root_id)

    # Accounts first (their ids are needed by each other's seeding and by the SCPs).
    created: list[tuple[MemberSpec, dict[str, Any]]] = []
    for spec in MEMBERS:
        email = f"{spec.name}+{mgmt_id}@example.com"
        st = org.create_account(Email=email, AccountName=spec.name)["CreateAccountStatus"]
        if st["State"] != "SUCCEEDED":
            raise SystemExit(f"CreateAccount {spec.name} did not succeed: {st}")
        parent = ous[spec.ou_path]["id"]
        if parent != root_id:
            org.move_account(AccountId=st["AccountId"], SourceParentId=root_id, DestinationParentId=parent)
        created.append((spec, {"account_id": st["AccountId"], "name": spec.name, "email": email,
                               "ou_path": spec.ou_path, "parent_id": parent}))
    ids = {spec.name: m["account_id"] for spec, m in created}
    log(f"organization: org {base['organization_id']} with {len(created)} members "
        f"{ids} ({tm.elapsed():.2f}s)")

    members: list[dict[str, Any]] = []
    for spec, m in created:
        t = Account(acct.endpoint, m["account_id"])
        t.create_seeder_role()
        m.update(seed_member(t, spec, mgmt_id, external_id, ids["workload-shared"]))
        if spec.external_id:
            m["external_id"] = external_id
        # SCP levels root -> OUs -> account, by target id.
        targets, path = [root_id], ""
        for part in [p for p in spec.ou_path.split("/") if p]:
            path += "/" + part
            targets.append(ous[path]["id"])
        m["scp_targets"] = targets + [m["account_id"]]
        m["status"] = "ACTIVE"
        members.append(m)
    log(f"organization: members seeded ({tm.elapsed():.2f}s)")

    workload_vpcs = sorted(m["approved_network"]["vpc_id"] for m in members if m["ou_path"].startswith("/workloads"))
    workload_subnets = sorted(s for m in members if m["ou_path"].startswith("/workloads")
                              for s in m["approved_network"]["subnet_ids"])
    sandbox_dev = ids["sandbox-dev"]
    scps = [
        attach(org, "deny-leave-organization", "SERVICE_CONTROL_POLICY", "unrelated to Lambda",
               doc({"Sid": "DenyLeave", "Effect": "Deny", "Action": "organizations:LeaveOrganization",
                    "Resource": "*"}), [root_id]),
        attach(org, "lambda-vpc-guardrail", "SERVICE_CONTROL_POLICY",
               "Deny Lambda create/update outside the approved VPCs of the workloads members",
               doc(vpc_guardrail("lambda:VpcIds", workload_vpcs, sid="DenyLambdaOutsideApprovedVpcs"),
                   provider_guardrail(workload_subnets)),
               [ous["/workloads"]["id"]]),
        attach(org, "deny-eni-from-function-code", "SERVICE_CONTROL_POLICY",
               "Function code (lambda:SourceFunctionArn present) may not create, change or delete ENIs",
               doc({"Sid": "DenyEniWritesFromFunctionCode", "Effect": "Deny", "Action": ENI_WRITE,
                    "Resource": "*", "Condition": {"Null": {"lambda:SourceFunctionArn": "false"}}}),
               [sandbox_dev]),
    ]
    try:
        org.enable_policy_type(RootId=root_id, PolicyType="RESOURCE_CONTROL_POLICY")
    except org.exceptions.PolicyTypeAlreadyEnabledException:
        pass
    rcps = [attach(org, "rcp-s3-require-tls", "RESOURCE_CONTROL_POLICY", "S3 only: deny requests without TLS",
                   doc({"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                        "Resource": "*", "Condition": {"BoolIfExists": {"aws:SecureTransport": "false"}}}),
                   [root_id])]
    for spec, m in created:
        if spec.suspended:
            org.close_account(AccountId=m["account_id"])
            m["status"] = "SUSPENDED"
    mgmt_role = create_audit_role(acct, mgmt_id, None)

    org_res: dict[str, Any] = {
        "organization_id": base["organization_id"],
        "root_id": root_id,
        "management_account": mgmt_id,
        "role_name": AUDIT_ROLE,
        "external_id": external_id,
        "management": {"account_id": mgmt_id, "name": "master", "ou_path": "/", "status": "ACTIVE",
                       "role_arn": mgmt_role},
        "ous": [ous[p] for p in ["/"] + OU_PATHS],
        "scps": scps,
        "rcps": rcps,
        "default_policies": {"SERVICE_CONTROL_POLICY": "p-FullAWSAccess",
                             "RESOURCE_CONTROL_POLICY": "p-RCPFullAWSAccess"},
        "approved_vpcs": sorted(m["approved_network"]["vpc_id"] for m in members),
        "guardrail_vpcs": workload_vpcs,
    }
    verify(acct, org_res, members)
    log(f"organization: verified ({tm.elapsed():.2f}s): "
        + ", ".join(f"{m['name']}={m['assume']}" for m in members))

    expect: dict[str, dict[str, list[str]]] = {s: exp() for s in SLUGS}

    def merge(e: dict[str, dict[str, list[str]]]) -> None:
        for slug, v in e.items():
            for k in ("fail", "pass", "not_evaluated"):
                expect[slug][k] = sorted(expect[slug][k] + v[k])

    for (spec, _), m in zip(created, members):
        m["scanned"] = not spec.suspended
        if spec.suspended:
            m["expect"] = {}
        elif not spec.audit_role:
            m["expect"] = gap_expect(m["account_id"])
        else:
            m["expect"] = member_expect(spec, m["account_id"], m)
            if spec.external_id:
                m["expect_without_external_id"] = gap_expect(m["account_id"])
        merge(m["expect"])
        del m["scp_targets"]
    # M holds no function, execution role or deployer: only the account check speaks of it.
    org_res["management"]["expect"] = {s: exp() for s in SLUGS}
    org_res["management"]["expect"]["account-vpc-guardrail-missing"] = exp([f"arn:aws:iam::{mgmt_id}:root"])
    merge(org_res["management"]["expect"])
    org_res["members"] = members
    return {
        "account_id": mgmt_id,
        "regions": [REGION],
        "credentials": acct.credentials,
        "expect": expect,
        "resources": {
            "organization": org_res,
            "notes": ("Run from M (credentials) with --organization --role-name vpcwarden-audit --external-id "
                      "<organization.external_id>. Expectations cover only the slugs listed; accounts are "
                      "random ids chosen by moto's CreateAccount. Requires mocks/seedlib/org_server.py."),
        },
    }

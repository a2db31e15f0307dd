"""Scenario `bench-org --members K --functions N`: an organization of K members with N functions each,
for timing organization scans (issue 11, scripts/bench-org).

    seed.py --scenario bench-org --account M --members K --functions N [--workers W]
        (needs the server of mocks/seedlib/org_server.py, as `organization` does)

--account M becomes the MANAGEMENT account of a new organization (it holds no function). M creates K
members with CreateAccount (moto picks their ids, so every seeding gets fresh ones), placed alternately
in two OUs, bench-a and bench-b, under the root; moto's default FullAWSAccess is the only SCP. Each member
gets `vpcwarden-audit`, trusting M's root (no ExternalId), and the `bench` scenario's content
(mocks/seedlib/bench.py: N functions over us-east-1, eu-west-1, ap-southeast-2, six execution roles,
a VPC per region). Members are seeded side by side (up to 4 at once), each with its share of --workers
threads for its functions, so moto stays busy without drowning in threads.

Output (seed.py's contract): account_id and credentials are M's; regions are bench.py's three; expect is
bench's function-not-in-vpc lists, merged over the members; resources = {functions_total,
functions_per_member, members_total, organization: {organization_id, root_id, management_account,
role_name, ous: [{id, name, path}], members: [{account_id, name, ou_path, status, role_arn,
functions_total, per_region, seed_seconds}]}}.

Checked before it answers, from M's credentials: ListAccounts lists M and exactly the K members, and
AssumeRole into every member's vpcwarden-audit addresses that member (GetCallerIdentity); through the
first member's role, ListFunctions sees its N functions over the three regions.
"""

from __future__ import annotations

import types
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from . import bench
from .common import Account, Timer, create_org, log
from .organization import AUDIT_ROLE, assume, create_audit_role

OUS = ["bench-a", "bench-b"]
# Members seeded at once: moto is one Python process, more only adds lock contention.
MEMBER_PARALLEL = 4


def member_name(i: int) -> str:
    return f"bench-member-{i:04d}"


def seed_member(endpoint: str, mgmt_id: str, member: dict[str, Any], functions: int, workers: int,
                pool: int) -> dict[str, Any]:
    """The audit role and bench.py's content in one member, through its own seeder role."""
    t_m = Timer()
    t = Account(endpoint, member["account_id"], pool=pool)
    t.create_seeder_role()
    member["role_arn"] = create_audit_role(t, mgmt_id, None)
    out = bench.seed(t, types.SimpleNamespace(functions=functions, workers=workers))
    member["functions_total"] = functions
    member["per_region"] = out["resources"]["per_region"]
    member["seed_seconds"] = round(t_m.elapsed(), 3)
    member["_expect"] = out["expect"]["function-not-in-vpc"]
    return member


def verify(mgmt: Account, members: list[dict[str, Any]], functions: int) -> None:
    """From M: the organization lists exactly these members, and each member's role leads into it."""
    import boto3  # common.py has scrubbed the environment already

    org = mgmt.client("organizations")
    listed = {a["Id"] for p in org.get_paginator("list_accounts").paginate() for a in p["Accounts"]}
    want = {mgmt.account_id} | {m["account_id"] for m in members}
    if listed != want:
        raise SystemExit(f"bench-org: ListAccounts from {mgmt.account_id} gave {len(listed)} accounts, "
                         f"expected {len(want)}: missing {sorted(want - listed)}, extra {sorted(listed - want)}")
    sts = mgmt.client("sts")
    for i, m in enumerate(members):
        code, c = assume(sts, m["role_arn"])
        if c is None:
            raise SystemExit(f"bench-org: AssumeRole {m['role_arn']} from M gave {code}")
        session = boto3.session.Session(
            aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"],
            aws_session_token=c["SessionToken"])
        ident = session.client("sts", endpoint_url=mgmt.endpoint, region_name="us-east-1").get_caller_identity()
        if ident["Account"] != m["account_id"]:
            raise SystemExit(f"bench-org: {m['role_arn']} addresses {ident['Account']}")
        if i == 0:
            seen = sum(len(page["Functions"])
                       for r in bench.REGIONS
                       for page in session.client("lambda", endpoint_url=mgmt.endpoint, region_name=r)
                       .get_paginator("list_functions").paginate())
            if seen != functions:
                raise SystemExit(f"bench-org: {m['name']} shows {seen} functions through {AUDIT_ROLE}, "
                                 f"expected {functions}")


def seed(acct: Account, args: Any) -> dict[str, Any]:
    k, n = args.members, args.functions
    if k < 1:
        raise SystemExit("--members must be >= 1")
    if n < 0:
        raise SystemExit("--functions must be >= 0")
    tm = Timer()
    mgmt_id = acct.account_id
    base = create_org(acct)
    org = acct.client("organizations")
    root_id = base["root_id"]
    ous = []
    for name in OUS:
        ou = org.create_organizational_unit(ParentId=root_id, Name=name)["OrganizationalUnit"]
        ous.append({"id": ou["Id"], "name": name, "path": f"/{name}"})

    members: list[dict[str, Any]] = []
    for i in range(k):
        name = member_name(i)
        st = org.create_account(Email=f"{name}+{mgmt_id}@example.com", AccountName=name)["CreateAccountStatus"]
        if st["State"] != "SUCCEEDED":
            raise SystemExit(f"CreateAccount {name} did not succeed: {st}")
        ou = ous[i % len(ous)]
        org.move_account(AccountId=st["AccountId"], SourceParentId=root_id, DestinationParentId=ou["id"])
        members.append({"account_id": st["AccountId"], "name": name, "ou_path": ou["path"], "status": "ACTIVE"})
    log(f"bench-org: org {base['organization_id']} with {k} members ({tm.elapsed():.2f}s)")

    parallel = max(1, min(k, MEMBER_PARALLEL))
    per_member_workers = max(2, args.workers // parallel)
    pool = max(10, per_member_workers * 2)
    done = 0
    with ThreadPoolExecutor(max_workers=parallel) as ex:
        futures = [ex.submit(seed_member, acct.endpoint, mgmt_id, m, n, per_member_workers, pool) for m in members]
        for f in futures:
            f.result()
            done += 1
            if done % 5 == 0 or done == k:
                log(f"bench-org: {done}/{k} members seeded ({tm.elapsed():.1f}s)")
    verify(acct, members, n)

    fail: list[str] = []
    passed: list[str] = []
    for m in members:
        e = m.pop("_expect")
        fail += e["fail"]
        passed += e["pass"]
    log(f"bench-org: {k} members x {n} functions seeded and verified in {tm.elapsed():.2f}s")
    return {
        "regions": bench.REGIONS,
        "expect": {"function-not-in-vpc": {"fail": sorted(fail), "pass": sorted(passed), "not_evaluated": []}},
        "resources": {
            "members_total": k,
            "functions_per_member": n,
            "functions_total": k * n,
            "organization": {
                "organization_id": base["organization_id"],
                "root_id": root_id,
                "management_account": mgmt_id,
                "role_name": AUDIT_ROLE,
                "ous": ous,
                "members": members,
            },
            "notes": ("Run from M (credentials) with --organization --role-name vpcwarden-audit and the three "
                      "regions; M holds no function. Requires mocks/seedlib/org_server.py."),
        },
    }

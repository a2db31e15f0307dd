"""Scenario `bench --functions N [--alias-share S]`: N functions over three regions for timing the auditor.

Function i lives in REGIONS[i % 3]; one third (those with (i // 3) % 3 == 0) are VPC-attached;
every fifth (i % 5 == 0) gets a resource policy statement; six execution roles are shared.

With --alias-share S (0 <= S <= 1, default 0: none of this) the functions i with
floor((i + 1) * S) > floor(i * S), floor(N * S) of them spread evenly over the regions (S = 0.1:
i % 10 == 9), get a published version 1 and an alias `live` on it (issue 13: aliases and versions
have policies and URLs of their own). Counting those functions j = 0, 1, 2, ... in order:
  j % 2 == 0   AddPermission Qualifier=live: Principal "*" when j % 4 == 0 (public), else
               sns.amazonaws.com with a SourceArn (half the aliases have a qualified policy)
  j % 4 == 1   an alias URL (CreateFunctionUrlConfig Qualifier=live): AuthType NONE when
               j % 8 == 1, else AWS_IAM
No version gets a policy of its own; the scenario has no unqualified function URL. S > 0 needs a
server with lambda_patch.py (mocks/seedlib/org_server.py): moto alone shares one policy between a
function and its qualifiers and puts an alias URL on the function itself."""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from fractions import Fraction
from typing import Any

from .common import LAMBDA_TRUST, Account, Timer, lambda_zip, log, pj
from .lambda_vpc_mix import AWS_BASIC_EXEC, AWS_VPC_ACCESS, lambda_eni
from .network import build_vpc

REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2"]
RUNTIMES = ["python3.12", "nodejs20.x", "python3.7", "java21", "python3.13", "go1.x"]
HANDLERS = {"go1.x": "main", "java21": "example.Handler::handleRequest"}


def fn_name(i: int) -> str:
    return f"bench-fn-{i:05d}"


def aliased(n: int, share: Fraction) -> list[int]:
    """The functions that get a version and an alias: floor((i + 1) * share) > floor(i * share)."""
    return [i for i in range(n) if (i + 1) * share // 1 > i * share // 1]


def seed(acct: Account, args: Any) -> dict[str, Any]:
    n = args.functions
    if n < 0:
        raise SystemExit("--functions must be >= 0")
    # bench_org passes a namespace without alias_share; exact arithmetic so 0.1 picks i % 10 == 9.
    share = Fraction(str(getattr(args, "alias_share", 0) or 0))
    if not 0 <= share <= 1:
        raise SystemExit("--alias-share must be between 0 and 1")
    alias_index = {i: j for j, i in enumerate(aliased(n, share))}
    workers = max(1, args.workers)
    timer = Timer()
    iam = acct.client("iam")
    roles: list[str] = []
    for k in range(3):
        name = f"bench-vpc-role-{k}"
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=pj(LAMBDA_TRUST))
        iam.attach_role_policy(RoleName=name, PolicyArn=AWS_VPC_ACCESS)
        iam.attach_role_policy(RoleName=name, PolicyArn=AWS_BASIC_EXEC)
        roles.append(name)
    shared = iam.create_policy(PolicyName="bench-app-policy", PolicyDocument=pj({
        "Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["dynamodb:GetItem", "s3:GetObject"], "Resource": "*"}]}))["Policy"]["Arn"]
    for k in range(3):
        name = f"bench-plain-role-{k}"
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=pj(LAMBDA_TRUST))
        iam.attach_role_policy(RoleName=name, PolicyArn=AWS_BASIC_EXEC)
        iam.attach_role_policy(RoleName=name, PolicyArn=shared)
        if k == 0:
            iam.put_role_policy(RoleName=name, PolicyName="eni-wildcard", PolicyDocument=pj({
                "Version": "2012-10-17", "Statement": [
                    {"Effect": "Allow", "Action": "ec2:*NetworkInterface*", "Resource": "*"}]}))
        roles.append(name)

    with ThreadPoolExecutor(max_workers=3) as ex:
        nets = dict(zip(REGIONS, ex.map(
            lambda ro: build_vpc(acct.client("ec2", ro[1]), ro[1], 30 + ro[0], prefix="bench"),
            enumerate(REGIONS))))
    eni_ids: dict[str, list[str]] = {}
    for r in REGIONS:
        ec2 = acct.client("ec2", r)
        eni_ids[r] = [lambda_eni(ec2, nets[r][s], [nets[r]["function_sg"]], "bench")
                      for s in ("private_a", "private_b")]
    log(f"bench: iam + networks in {timer.elapsed():.2f}s")

    py_zip = lambda_zip()
    fail: list[str] = []
    passed: list[str] = []
    with_policy: list[str] = []

    def one(i: int) -> None:
        region = REGIONS[i % 3]
        in_vpc = (i // 3) % 3 == 0
        runtime = RUNTIMES[i % len(RUNTIMES)]
        lam = acct.client("lambda", region)
        kw: dict[str, Any] = {}
        if in_vpc:
            net = nets[region]
            subnets = [net["private_a"], net["private_b"]] if i % 2 == 0 else [net["private_a"]]
            kw["VpcConfig"] = {"SubnetIds": subnets, "SecurityGroupIds": [net["function_sg"]]}
        role = roles[i % 3] if in_vpc else roles[3 + i % 3]
        lam.create_function(FunctionName=fn_name(i), Runtime=runtime, Role=acct.role(role),
                            Handler=HANDLERS.get(runtime, "index.handler"), Code={"ZipFile": py_zip},
                            Timeout=15, MemorySize=256, **kw)
        if i % 5 == 0:
            if i % 10 == 0:
                lam.add_permission(FunctionName=fn_name(i), StatementId="sns-invoke",
                                   Action="lambda:InvokeFunction", Principal="sns.amazonaws.com",
                                   SourceArn=f"arn:aws:sns:{region}:{acct.account_id}:topic-{i}")
            else:
                lam.add_permission(FunctionName=fn_name(i), StatementId="public-invoke",
                                   Action="lambda:InvokeFunction", Principal="*")
        j = alias_index.get(i)
        if j is not None:
            lam.publish_version(FunctionName=fn_name(i))
            lam.create_alias(FunctionName=fn_name(i), Name="live", FunctionVersion="1")
            if j % 4 == 0:
                lam.add_permission(FunctionName=fn_name(i), Qualifier="live", StatementId="public-invoke-live",
                                   Action="lambda:InvokeFunction", Principal="*")
            elif j % 4 == 2:
                lam.add_permission(FunctionName=fn_name(i), Qualifier="live", StatementId="sns-invoke-live",
                                   Action="lambda:InvokeFunction", Principal="sns.amazonaws.com",
                                   SourceArn=f"arn:aws:sns:{region}:{acct.account_id}:topic-live-{i}")
            elif j % 4 == 1:
                lam.create_function_url_config(FunctionName=fn_name(i), Qualifier="live",
                                               AuthType="NONE" if j % 8 == 1 else "AWS_IAM")

    t_fn = Timer()
    done = 0
    with ThreadPoolExecutor(max_workers=workers) as ex:
        for _ in ex.map(one, range(n)):
            done += 1
            if done % 500 == 0:
                log(f"bench: {done}/{n} functions ({t_fn.elapsed():.1f}s)")
    with_alias: list[str] = []
    alias_policy: list[str] = []
    alias_url: list[str] = []
    for i in range(n):
        arn = acct.fn_arn(REGIONS[i % 3], fn_name(i))
        (passed if (i // 3) % 3 == 0 else fail).append(arn)
        if i % 5 == 0:
            with_policy.append(arn)
        j = alias_index.get(i)
        if j is not None:
            with_alias.append(arn)
            if j % 2 == 0:
                alias_policy.append(f"{arn}:live")
            if j % 4 == 1:
                alias_url.append(f"{arn}:live")
    secs = timer.elapsed()
    print(f"bench: seeded {n} functions ({len(with_alias)} with version 1 and alias live) in {secs:.2f}s "
          f"(functions phase {t_fn.elapsed():.2f}s, {workers} workers)", file=sys.stderr, flush=True)
    return {
        "regions": REGIONS,
        "expect": {"function-not-in-vpc": {"fail": fail, "pass": passed, "not_evaluated": []}},
        "resources": {
            "functions_total": n,
            "functions_in_vpc": len(passed),
            "functions_with_resource_policy": len(with_policy),
            "alias_share": float(share),
            "functions_with_alias": len(with_alias),
            "aliases_with_policy": len(alias_policy),
            "aliases_with_url": len(alias_url),
            "aliased_per_region": {r: sum(1 for i in alias_index if i % 3 == r_i)
                                   for r_i, r in enumerate(REGIONS)},
            "function_name_pattern": "bench-fn-%05d",
            "roles": [acct.role(r) for r in roles],
            "vpc": nets,
            "lambda_enis": eni_ids,
            "per_region": {r: len(range(r_i, n, 3))
                           for r_i, r in enumerate(REGIONS)},
        },
    }

"""Scenario `bench --functions N`: N functions over three regions for timing the auditor.

Function i lives in REGIONS[i % 3]; one third (those with (i // 3) % 3 == 0) are VPC-attached;
every fifth (i % 5 == 0) gets a resource policy statement; six execution roles are shared."""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from .common import LAMBDA_TRUST, Account, Timer, lambda_zip, log, pj
from .lambda_vpc_mix import AWS_BASIC_EXEC, AWS_VPC_ACCESS, lambda_eni
from .network import build_vpc

REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2"]
RUNTIMES = ["python3.12", "nodejs20.x", "python3.7", "java21", "python3.13", "go1.x"]
HANDLERS = {"go1.x": "main", "java21": "example.Handler::handleRequest"}


def fn_name(i: int) -> str:
    return f"bench-fn-{i:05d}"


def seed(acct: Account, args: Any) -> dict[str, Any]:
    n = args.functions
    if n < 0:
        raise SystemExit("--functions must be >= 0")
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

    t_fn = Timer()
    done = 0
    with ThreadPoolExecutor(max_workers=workers) as ex:
        for _ in ex.map(one, range(n)):
            done += 1
            if done % 500 == 0:
                log(f"bench: {done}/{n} functions ({t_fn.elapsed():.1f}s)")
    for i in range(n):
        arn = acct.fn_arn(REGIONS[i % 3], fn_name(i))
        (passed if (i // 3) % 3 == 0 else fail).append(arn)
        if i % 5 == 0:
            with_policy.append(arn)
    secs = timer.elapsed()
    print(f"bench: seeded {n} functions in {secs:.2f}s (functions phase {t_fn.elapsed():.2f}s, "
          f"{workers} workers)", file=sys.stderr, flush=True)
    return {
        "regions": REGIONS,
        "expect": {"function-not-in-vpc": {"fail": fail, "pass": passed, "not_evaluated": []}},
        "resources": {
            "functions_total": n,
            "functions_in_vpc": len(passed),
            "functions_with_resource_policy": len(with_policy),
            "function_name_pattern": "bench-fn-%05d",
            "roles": [acct.role(r) for r in roles],
            "vpc": nets,
            "lambda_enis": eni_ids,
            "per_region": {r: len(range(r_i, n, 3))
                           for r_i, r in enumerate(REGIONS)},
        },
    }

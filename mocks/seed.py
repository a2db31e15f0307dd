#!/usr/bin/env python3
"""Seed a named scenario into a moto server, in its own AWS account.

    python mocks/seed.py --endpoint http://127.0.0.1:PORT --scenario NAME --account 123456789012 \
        [--functions N] [--alias-share S] [--members K] [--workers W] [--deny lambda:GetPolicy]
        [--scp unrelated|guardrail] [--member]

Prints ONE JSON object on stdout (progress goes to stderr):
    {"account_id", "regions", "credentials": {AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN},
     "expect": {slug: {"fail": [...], "pass": [...], "not_evaluated": [...]}}, "resources": {...}}

Account isolation: everything is created with credentials from sts:AssumeRole into
arn:aws:iam::<ACCOUNT>:role/vpcwarden-seeder, which moto files under <ACCOUNT>. Those are the
credentials returned, so a client using them sees exactly this account. Use a fresh account id per
test (seeding the same account twice fails on duplicate names).

Scenarios: lambda-vpc-mix, empty, bench (--functions N [--alias-share S]: that share of the functions
gets a published version and an alias `live`, some with a qualified policy or URL; S > 0 needs the
org_server.py server; see mocks/seedlib/bench.py), access-denied (needs a DEDICATED moto
server: it turns on moto's IAM enforcement server-wide; see mocks/seedlib/access_denied.py),
iam-guardrails ([--scp unrelated|guardrail] [--member]: with --member the --account is the
organization's management account and the scenario is seeded into a new member account, whose id
is the returned account_id; see mocks/seedlib/iam_guardrails.py), network-placement (four VPCs:
NAT, main-route-table, public, isolated and endpoint-only placements of VPC functions, Lambda ENIs
in use/available/orphaned, open and narrow endpoint security groups; see
mocks/seedlib/network_placement.py), function-exposure (function resource policies, URLs, runtimes,
layers and execution roles; a second account, --account + 500000000000, publishes a layer; see
mocks/seedlib/function_exposure.py), organization (--account is the MANAGEMENT account of a new
organization: OUs workloads/prod and sandbox, five CreateAccount members (one without the
vpcwarden-audit role, one whose role needs an ExternalId, one SUSPENDED), SCPs at root, OU and account
level, an RCP; the returned credentials are the management account's and resources.organization
describes every member with its expectations; needs a server started with
mocks/seedlib/org_server.py, which refuses AssumeRole into a missing role or with a wrong ExternalId as
AWS does and is otherwise moto_server; see mocks/seedlib/organization.py), lambda-surface (issue 13's
Lambda surface: capacity providers in two VPCs, one across two AZs running functions of two execution
roles and one in a single AZ, functions on them without a function VpcConfig, and policies and URLs
of aliases and published versions (an alias invokable by "*", an alias URL with AuthType NONE, a
version's own policy, whole documents written by PutResourcePolicy with Deny, NotPrincipal and
aws:PrincipalOrgID); needs the org_server.py server, whose lambda_patch.py adds what moto lacks; see
mocks/seedlib/lambda_surface.py and mocks/seedlib/LAMBDA-SURFACE-NOTES.md), bench-org (--members K
--functions N: --account is the MANAGEMENT account of a new organization of K members, each with a
vpcwarden-audit role trusting it and the bench scenario's N functions; for scripts/bench-org; needs
org_server.py too; see mocks/seedlib/bench_org.py).
"""

from __future__ import annotations

import argparse
import json
import os
import sys

sys.dont_write_bytecode = True  # keep mocks/ free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from seedlib import (access_denied, bench, bench_org, function_exposure, iam_guardrails,  # noqa: E402
                     lambda_surface, lambda_vpc_mix, network_placement, organization)
from seedlib.common import Account, Timer, log  # noqa: E402


def seed_empty(acct: Account, args: argparse.Namespace) -> dict:
    return {"regions": ["us-east-1"], "expect": {}, "resources": {}}


SCENARIOS = {
    "lambda-vpc-mix": lambda_vpc_mix.seed,
    "empty": seed_empty,
    "bench": bench.seed,
    "access-denied": access_denied.seed,
    "iam-guardrails": iam_guardrails.seed,
    "network-placement": network_placement.seed,
    "function-exposure": function_exposure.seed,
    "organization": organization.seed,
    "lambda-surface": lambda_surface.seed,
    "bench-org": bench_org.seed,
}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--endpoint", required=True, help="moto server URL, loopback only")
    p.add_argument("--scenario", required=True, choices=sorted(SCENARIOS))
    p.add_argument("--account", required=True, help="12-digit account id to seed into")
    p.add_argument("--functions", type=int, default=60,
                   help="bench: number of functions; bench-org: number of functions per member")
    p.add_argument("--alias-share", type=float, default=0.0,
                   help="bench: share of functions (0..1) with a published version and an alias (default 0)")
    p.add_argument("--members", type=int, default=3, help="bench-org: number of member accounts")
    p.add_argument("--workers", type=int, default=8, help="bench, bench-org: parallel seeding threads")
    p.add_argument("--deny", action="append", default=None,
                   help="access-denied: IAM action(s) to deny (default lambda:GetPolicy)")
    p.add_argument("--scp", choices=["unrelated", "guardrail"], default="unrelated",
                   help="iam-guardrails: the SCP attached to the organization root")
    p.add_argument("--member", action="store_true",
                   help="iam-guardrails: seed into a new member account of --account's organization")
    args = p.parse_args()

    t = Timer()
    acct = Account(args.endpoint, args.account, pool=max(10, args.workers * 2))
    acct.create_seeder_role()
    out = SCENARIOS[args.scenario](acct, args)
    result = {
        "account_id": out.get("account_id", acct.account_id),
        "regions": out["regions"],
        "credentials": out.get("credentials", acct.credentials),
        "expect": out["expect"],
        "resources": out["resources"],
    }
    secs = t.elapsed()
    result["resources"]["seed_seconds"] = round(secs, 3)
    log(f"scenario {args.scenario} seeded into {result['account_id']} in {secs:.2f}s")
    json.dump(result, sys.stdout, indent=None, sort_keys=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Writes a large snapshot for the scale bench: the demo account (mocks/snapshots/demo.json) replicated.

    scripts/scale_snapshot.py --functions 100000 --roles 10000 --output target/bench-scale/big.json

Function i is a copy of the demo's function i mod 12 (its region, VPC, policy, URL, qualifiers and
capacity provider included), renamed scale-fn-NNNNNN; its role is a renamed copy of the demo role its
original has, so every function keeps the verdicts of its original and the checks do the same work
per function as on the demo account. The IAM users, groups, managed policies, EC2 data and
organization data are the demo's. Deterministic: the same arguments write the same bytes.
"""

from __future__ import annotations

import argparse
import copy
import json
import pathlib
import sys

REPO = pathlib.Path(__file__).resolve().parent.parent
DEMO = REPO / "mocks" / "snapshots" / "demo.json"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--functions", type=int, default=100_000)
    ap.add_argument("--roles", type=int, default=10_000)
    ap.add_argument("--output", type=pathlib.Path, required=True)
    args = ap.parse_args()

    snap = json.loads(DEMO.read_text())
    if len(snap["accounts"]) != 1:
        print("scale_snapshot: the demo snapshot has one account", file=sys.stderr)
        return 2
    account = snap["accounts"][0]
    roles = account["iam"]["roles"]
    by_name = {r["name"]: r for r in roles}
    sources = [(r, f) for r in account["regions"] for f in r["lambda"]["functions"]]
    role_names = sorted(by_name)
    per_source = max(1, args.roles // len(role_names))

    def role_copy(name: str, k: int) -> str:
        return f"scale-role-{role_names.index(name):02d}-{k:05d}"

    new_roles = []
    for name in role_names:
        original = json.dumps(by_name[name])
        for k in range(per_source):
            new = role_copy(name, k)
            doc = json.loads(original.replace(f"role/{name}\"", f"role/{new}\"").replace(f"\"{name}\"", f"\"{new}\""))
            new_roles.append(doc)
    # Roles nothing runs as (operators, service-linked) stay as they were, too.
    account["iam"]["roles"] = roles + new_roles

    for region in account["regions"]:
        region["lambda"]["functions"] = []
    region_of = {id(r): r for r, _ in sources}
    for i in range(args.functions):
        region, f = sources[i % len(sources)]
        name = f"scale-fn-{i:06d}"
        text = json.dumps(f).replace(f":function:{f['name']}", f":function:{name}")
        doc = json.loads(text)
        doc["name"] = name
        role = f["role"].rsplit("/", 1)[-1]
        if role in by_name:
            doc["role"] = f["role"].rsplit("/", 1)[0] + "/" + role_copy(role, (i // len(sources)) % per_source)
        region_of[id(region)]["lambda"]["functions"].append(doc)
    for region in account["regions"]:
        region["lambda"]["functions"].sort(key=lambda f: f["name"])

    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(snap, indent=None, separators=(",", ":")) + "\n")
    print(f"{args.output}: {args.functions} functions, {len(account['iam']['roles'])} roles, "
          f"{args.output.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Static checks of the container image and the deploy recipes that no linter makes.

Usage: check_static.py                  run the checks (exit 1 and say what failed)
       check_static.py --policies FILE  print the IAM actions each role of a CloudFormation
                                        template allows, as JSON {LogicalId: [action, ...]}
                                        (tests/it/deploy.rs compares them with README.md)
"""

import json
import re
import sys
from pathlib import Path

import yaml
from cfnlint.decode import decode

ROOT = Path(__file__).resolve().parent.parent
errors = []


def check(cond, msg):
    if not cond:
        errors.append(msg)


def dockerfile():
    lines = []
    for raw in (ROOT / "Dockerfile").read_text().splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            if lines and lines[-1].endswith("\\"):
                lines[-1] = lines[-1][:-1] + " " + line
            else:
                lines.append(line)
    stages, current = [], None
    for line in lines:
        word, _, rest = line.partition(" ")
        if word.upper() == "FROM":
            current = {"from": rest.split()[0], "lines": []}
            stages.append(current)
        elif current is not None:
            current["lines"].append((word.upper(), rest.strip()))
    check(len(stages) >= 2, "Dockerfile: not multi-stage")
    for st in stages:
        image = st["from"]
        check(":" in image.rsplit("/", 1)[-1] or "@sha256:" in image, f"Dockerfile: FROM {image} has no tag")
        check(not image.endswith(":latest"), f"Dockerfile: FROM {image} uses latest")
    if len(stages) < 2:
        return
    builder, final = stages[0], stages[-1]
    check(builder["from"] == "rust:1.95-bookworm", f"Dockerfile: builder is {builder['from']}")
    check(any(w == "RUN" and "cargo build --release --locked" in r for w, r in builder["lines"]),
          "Dockerfile: the builder does not run cargo build --release --locked")
    check(final["from"] == "gcr.io/distroless/cc-debian12:nonroot", f"Dockerfile: runtime is {final['from']}")
    users = [r for w, r in final["lines"] if w == "USER"]
    check(users and re.fullmatch(r"[1-9]\d*(:[1-9]\d*)?", users[-1]) is not None,
          f"Dockerfile: the final stage's USER is {users[-1] if users else 'unset'}, not a numeric non-root uid")
    check(not any(w == "RUN" for w, _ in final["lines"]), "Dockerfile: RUN in the distroless stage (it has no shell)")
    entry = [r for w, r in final["lines"] if w == "ENTRYPOINT"]
    check(entry and json.loads(entry[-1]) == ["/usr/local/bin/vpcwarden"],
          "Dockerfile: ENTRYPOINT is not [\"/usr/local/bin/vpcwarden\"] in exec form")
    check(any(w == "LABEL" and "org.opencontainers.image." in r for w, r in final["lines"]), "Dockerfile: no OCI labels")
    ignore = [l.strip() for l in (ROOT / ".dockerignore").read_text().splitlines() if l.strip() and not l.startswith("#")]
    check(ignore[:1] == ["*"] or all(p in ignore for p in ("target", ".venv", ".git")),
          ".dockerignore: target, .venv and .git are not kept out")


def manifests():
    docs = []
    for path in sorted((ROOT / "deploy/kubernetes").glob("*.yaml")):
        docs += [(path.name, d) for d in yaml.safe_load_all(path.read_text()) if d]
    shard_count = completions = None
    for name, doc in docs:
        spec = doc.get("spec", {})
        pod = spec.get("template", {}).get("spec") if doc["kind"] == "Job" else spec if doc["kind"] == "Pod" else None
        if pod is None:
            continue
        psc = pod.get("securityContext", {})
        check(psc.get("runAsNonRoot") is True, f"{name}: pod securityContext.runAsNonRoot is not true")
        check(psc.get("seccompProfile", {}).get("type") == "RuntimeDefault", f"{name}: seccompProfile is not RuntimeDefault")
        for c in pod.get("initContainers", []) + pod["containers"]:
            sc = c.get("securityContext", {})
            check(sc.get("readOnlyRootFilesystem") is True, f"{name}/{c['name']}: root filesystem not read-only")
            check(sc.get("allowPrivilegeEscalation") is False, f"{name}/{c['name']}: privilege escalation allowed")
            check(sc.get("capabilities", {}).get("drop") == ["ALL"], f"{name}/{c['name']}: capabilities not dropped")
            check({"requests", "limits"} <= set(c.get("resources", {})), f"{name}/{c['name']}: no requests and limits")
            tag = c["image"].rsplit("/", 1)[-1]
            check(":" in tag and not tag.endswith(":latest"), f"{name}/{c['name']}: image {c['image']} is untagged or latest")
            args = c.get("args", [])
            if "--shard-count" in args:
                shard_count = int(args[args.index("--shard-count") + 1])
                completions = spec.get("completions")
                check(spec.get("completionMode") == "Indexed", f"{name}: --shard-count in a Job that is not Indexed")
                check(any("{shard}" in a for a in args), f"{name}: shard outputs do not name {{shard}}")
    check(shard_count is not None and shard_count == completions,
          f"kubernetes: --shard-count {shard_count} differs from completions {completions}")


def templates():
    for path in sorted((ROOT / "deploy").glob("*/template.yaml")):
        tpl, problems = decode(str(path))
        check(not problems, f"{path}: does not parse: {problems}")
        if tpl is None:
            continue
        for key, param in tpl.get("Parameters", {}).items():
            default = str(param.get("Default", ""))
            if key.endswith("Image") and default:
                check(":" in default.rsplit("/", 1)[-1] and not default.endswith(":latest"),
                      f"{path}: {key} default {default} is untagged or latest")
        for rid, res in tpl.get("Resources", {}).items():
            if res.get("Type") == "AWS::ECS::TaskDefinition":
                for c in res["Properties"]["ContainerDefinitions"]:
                    check(c.get("ReadonlyRootFilesystem") is True, f"{path}: {rid}/{c['Name']}: root filesystem not read-only")
                names = {c["Name"]: c for c in res["Properties"]["ContainerDefinitions"]}
                scan = names.get("vpcwarden", {})
                check(scan.get("Essential") is False, f"{path}: vpcwarden must not be essential (its exit 3/4 would stop the upload)")
                uploads = [c for c in names.values() if {"ContainerName": "vpcwarden", "Condition": "COMPLETE"} in c.get("DependsOn", [])]
                check(len(uploads) == 1, f"{path}: no container waits for vpcwarden with condition COMPLETE")


def actions_of(statement):
    acts = statement.get("Action", [])
    return [acts] if isinstance(acts, str) else list(acts)


def policies(path):
    tpl, problems = decode(path)
    if problems:
        sys.exit(f"{path}: {problems}")
    out = {}
    for rid, res in tpl.get("Resources", {}).items():
        if res.get("Type") != "AWS::IAM::Role":
            continue
        acts = []
        for pol in res["Properties"].get("Policies", []):
            # A conditional policy (Fn::If): both branches' actions; AWS::NoValue has none.
            branches = pol["Fn::If"][1:] if isinstance(pol, dict) and "Fn::If" in pol else [pol]
            for branch in branches:
                if isinstance(branch, dict) and "PolicyDocument" in branch:
                    for st in branch["PolicyDocument"]["Statement"]:
                        if st.get("Effect") == "Allow":
                            acts += actions_of(st)
        out[rid] = sorted(set(acts))
    print(json.dumps(out, indent=1))


def main():
    if sys.argv[1:2] == ["--policies"]:
        policies(sys.argv[2])
        return
    dockerfile()
    manifests()
    templates()
    for e in errors:
        print(f"check_static: {e}", file=sys.stderr)
    if errors:
        sys.exit(1)
    print("check_static: Dockerfile, manifests and templates ok")


if __name__ == "__main__":
    main()

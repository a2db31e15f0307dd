#!/usr/bin/env python3
"""Regenerate the seeds of every fuzz target under fuzz/seeds/, and the dictionaries in fuzz/dicts/.

- policy/: one seed per policy document (and per malformed text) of mocks/policies/*.json, in the
  fuzz target's framing: DOCUMENT \\0 ACTION \\0 RESOURCE [\\0 KEY \\0 VALUE]...  The request
  comes from the first case in the same file that uses the policy (values of a multivalued key
  joined by \\x1f, `unknown` keys as \\x1d); policies no case uses get a default request.
- snapshot/: every mocks/snapshots/*.json, a minimal 1.0 snapshot, the organization fields, other
  schema versions, and truncated, concatenated and otherwise damaged files.
- report/: tests/it/golden/demo-v1.json (`vpcwarden audit --demo --format json`, pinned by
  tests/it/report_v1.rs), a small report cut from it, one with gaps and accounts not scanned,
  another schema, and truncated and concatenated files.
- config/: the README's example vpcwarden.toml, each setting alone, and broken TOML.

Files named `repro-*` (minimised crash reproducers) are kept; everything else is rewritten.
"""
import glob, json, os, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
MOCKS = os.path.join(ROOT, "mocks", "policies")
SEEDS = os.path.join(HERE, "..", "seeds")
DICTS = os.path.join(HERE, "..", "dicts")
OUT = os.path.join(SEEDS, "policy")

def uses(case, name):
    refs = list(case.get("identity", []))
    for k in ("boundary", "resource_policy"):
        if case.get(k):
            refs.append(case[k])
    for level in case.get("scps", []):
        refs.extend(level)
    return name in refs

def frame(doc_text, req):
    fields = [doc_text, req.get("action", ""), req.get("resource", "*")]
    for k, v in (req.get("context") or {}).items():
        fields += [k, "\x1f".join(v) if isinstance(v, list) else str(v)]
    for k in req.get("unknown") or []:
        fields += [k, "\x1d"]
    p = req.get("principal")
    if isinstance(p, dict) and "aws" in p:
        fields += ["", p["aws"]["arn"]]
    return "\0".join(fields).encode()

def clear(out):
    """Empties a seed directory, keeping the `repro-*` reproducers."""
    os.makedirs(out, exist_ok=True)
    for f in glob.glob(os.path.join(out, "*")):
        if not os.path.basename(f).startswith("repro-"):
            os.remove(f)

def policy_seeds():
    clear(OUT)
    n = 0
    for path in sorted(glob.glob(os.path.join(MOCKS, "*.json"))):
        stem = os.path.splitext(os.path.basename(path))[0]
        d = json.load(open(path))
        cases = d.get("cases", [])
        items = [(name, json.dumps(p["document"], separators=(",", ":"))) for name, p in d.get("policies", {}).items()]
        for m in d.get("malformed", []):
            text = m["text"] if "text" in m else json.dumps(m.get("document"))
            items.append(("malformed-" + m["name"], text))
        for name, text in items:
            case = next((c for c in cases if uses(c, name)), None)
            req = case["request"] if case else {"action": "lambda:CreateFunction",
                                                "resource": "arn:aws:lambda:us-east-1:123456789012:function:f"}
            data = frame(text, req)
            safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)
            with open(os.path.join(OUT, f"{stem}--{safe}"), "wb") as fh:
                fh.write(data)
            n += 1
    print(f"wrote {n} seeds to {os.path.relpath(OUT)}", file=sys.stderr)

def pretty(doc):
    """JSON as vpcwarden writes it: two-space indent, trailing newline."""
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode()

def damaged(name, data, small):
    """Truncated, concatenated and otherwise damaged copies of one valid file."""
    out = {f"{name}--truncated-half": data[: len(data) // 2]}
    if not small:  # a big file: cut where libFuzzer's default max_len would cut it, no copies
        out[f"{name}--truncated-4096"] = data[:4096]
        return out
    out.update({
        f"{name}--truncated-last-byte": data.rstrip()[:-1],
        f"{name}--concatenated": data + data,
        f"{name}--trailing-garbage": data + b"x",
        f"{name}--bom": b"\xef\xbb\xbf" + data,
        f"{name}--nul": data + b"\0",
    })
    cut = data.find(b'"', len(data) // 3)
    if cut > 0:
        out[f"{name}--truncated-in-string"] = data[: cut + 4]
    return out

def write_all(out, seeds):
    clear(out)
    for name, data in seeds.items():
        with open(os.path.join(out, name), "wb") as fh:
            fh.write(data)
    print(f"wrote {len(seeds)} seeds to {os.path.relpath(out)}", file=sys.stderr)

def keys(doc, into):
    """Every object key of a JSON document, added to `into`."""
    if isinstance(doc, dict):
        for k, v in doc.items():
            into.add(k)
            keys(v, into)
    elif isinstance(doc, list):
        for v in doc:
            keys(v, into)
    return into

def write_dict(name, tokens):
    """A libFuzzer dictionary: one quoted token a line, bytes outside printable ASCII escaped."""
    os.makedirs(DICTS, exist_ok=True)
    def quote(t):
        esc = {'"': '\\"', "\\": "\\\\"}
        return '"' + "".join(esc.get(c) or (c if 32 <= ord(c) < 127 else "\\x%02x" % ord(c))
                             for c in t) + '"'
    with open(os.path.join(DICTS, f"{name}.dict"), "w") as fh:
        fh.write(f"# The {name} target's dictionary: generated by fuzz/scripts/make_seeds.py\n")
        for t in sorted(tokens):
            fh.write(quote(t) + "\n")
    print(f"wrote {len(tokens)} tokens to {os.path.relpath(os.path.join(DICTS, name + '.dict'))}",
          file=sys.stderr)

JSON_TOKENS = {"{", "}", "[", "]", ":", ",", "null", "true", "false", '""', "-0", "1e999",
               "18446744073709551616", "-9223372036854775809", "2147483648", "\\u0000", "\\ud800"}

# A 1.0 snapshot as a build before the optional fields would have written it (src/snapshot tests).
MINIMAL_SNAPSHOT = {
    "schema_version": "1.0",
    "collected_at": "2024-01-01T00:00:00Z",
    "collected_by": {"tool": "vpcwarden 0.0.1", "caller_arn": "arn:aws:iam::111122223333:user/a"},
    "accounts": [{
        "account_id": "111122223333",
        "partition": "aws",
        "caller_arn": "arn:aws:iam::111122223333:user/a",
        "regions": [{"region": "eu-west-1", "lambda": {"functions": [{
            "arn": "arn:aws:lambda:eu-west-1:111122223333:function:orders",
            "name": "orders",
            "role": "arn:aws:iam::111122223333:role/orders",
        }]}}],
        "iam": None,
        "organizations": None,
    }],
}

def snapshot_seeds():
    seeds, names = {}, set()
    for path in sorted(glob.glob(os.path.join(ROOT, "mocks", "snapshots", "*.json"))):
        stem = os.path.splitext(os.path.basename(path))[0]
        data = open(path, "rb").read()
        seeds[stem] = data
        keys(json.loads(data), names)
    small = "function-not-in-vpc-incomplete"
    seeds.update(damaged(small, seeds[small], small=True))
    seeds.update(damaged("demo", seeds["demo"], small=False))
    seeds["minimal"] = pretty(MINIMAL_SNAPSHOT)
    org = json.loads(seeds[small])
    account = org["accounts"][0]["account_id"]
    org["not_scanned"] = [{"account_id": "555555555555", "name": "retired", "state": "SUSPENDED",
                           "reason": "the account is suspended"}]
    org["organization_accounts"] = ["555555555555", account, account]
    org["accounts"][0]["name"] = "workload"
    org["accounts"][0]["ou_path"] = "/workloads/prod"
    seeds["organization"] = pretty(org)
    keys(org, names)
    for label, version in [("2.0", "2.0"), ("number", 1.0), ("missing", None), ("empty", ""),
                           ("major-only", "1"), ("1.99", "1.99"), ("object", {"major": 1})]:
        doc = dict(MINIMAL_SNAPSHOT)
        if version is None:
            del doc["schema_version"]
        else:
            doc["schema_version"] = version
        seeds[f"schema-{label}"] = pretty(doc)
    seeds["header-only"] = b'{"schema_version": "1.0"}'
    seeds["not-an-object"] = b'["1.0"]'
    seeds["empty"] = b""
    write_all(os.path.join(SEEDS, "snapshot"), seeds)
    values = {'"present"', '"absent"', '"not_collected"', '"1.0"', '"2.0"', '"global"'}
    write_dict("snapshot", {f'"{k}"' for k in names} | values | JSON_TOKENS)

def report_seeds():
    seeds = {}
    golden = open(os.path.join(ROOT, "tests", "it", "golden", "demo-v1.json"), "rb").read()
    full = json.loads(golden)
    seeds["demo-v1"] = golden
    # Small: the first finding of each status, the checks behind them and one unknown, recounted.
    small = json.loads(golden)
    picked, seen = [], set()
    for f in full["findings"]:
        if f["status"] not in seen:
            seen.add(f["status"])
            picked.append(f)
    small["findings"] = picked
    small["scan"]["checks"] = sorted({f["code"] for f in picked}) + ["LAMBDA999"]
    small["summary"]["total"] = len(picked)
    small["summary"]["by_status"] = {s: sum(f["status"] == s for f in picked)
                                     for s in ("fail", "not_evaluated", "pass")}
    seeds["small"] = pretty(small)
    # An organization run: incomplete, with the gaps of the incomplete mocks, a named account, an
    # account not scanned, a finding not evaluated of a check this build does not know, and a
    # finding whose code is a slug.
    org = json.loads(seeds["small"])
    org["scan"]["complete"] = False
    org["scan"]["account_details"] = [{"account_id": org["scan"]["accounts"][0], "name": "workload",
                                       "ou_path": "/workloads/prod"}]
    org["scan"]["not_scanned"] = [{"account_id": "555555555555", "name": "retired",
                                   "state": "SUSPENDED", "reason": "the account is suspended"}]
    gaps = []
    for path in sorted(glob.glob(os.path.join(ROOT, "mocks", "snapshots", "*incomplete.json"))):
        for a in json.load(open(path))["accounts"]:
            gaps.extend(a.get("gaps", []))
    org["gaps"] = gaps
    org["summary"]["gaps"] = len(gaps)
    unknown = dict(picked[0], status="not_evaluated", code="LAMBDA999", slug="no-such-check")
    by_slug = dict(picked[0], code=picked[0]["slug"])
    org["findings"] = org["findings"] + [unknown, by_slug]
    seeds["organization-incomplete"] = pretty(org)
    other = json.loads(seeds["small"])
    other["schema"] = "vpcwarden.findings/v2"
    seeds["schema-v2"] = pretty(other)
    empty = json.loads(seeds["small"])
    empty["findings"], empty["scan"]["checks"] = [], []
    seeds["no-findings"] = pretty(empty)
    seeds.update(damaged("small", seeds["small"], small=True))
    seeds.update(damaged("demo-v1", golden, small=False))
    seeds["empty"] = b""
    # A key named "" whose value breaks: serde_path_to_error names the field as "" (the error still
    # has the file, line and column). Found by the report target's first run.
    seeds["empty-key"] = b'{"": "a\nb"}'
    write_all(os.path.join(SEEDS, "report"), seeds)
    values = {'"vpcwarden.findings/v1"', '"fail"', '"pass"', '"not_evaluated"', '"critical"',
              '"high"', '"medium"', '"low"', '"informational"'}
    names = keys(org, keys(full, set()))
    write_dict("report", {f'"{k}"' for k in names} | values | JSON_TOKENS)

def config_seeds():
    readme = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    m = re.search(r"### Configuration \(`vpcwarden\.toml`\)\s*```toml\n(.*?)```", readme, re.S)
    if not m:
        sys.exit("README.md: no ```toml block under '### Configuration (`vpcwarden.toml`)'")
    example = m.group(1).encode()
    seeds = {"readme-example": example, "empty": b"",
             "readme-example--crlf": example.replace(b"\n", b"\r\n")}
    seeds.update(damaged("readme-example", example, small=True))
    cases = {
        # accepted, one setting each
        "approved": 'approved_vpcs = ["vpc-1"]\napproved_subnets = ["subnet-1", "subnet-2"]\n',
        "min-azs-3": "min_azs = 3\n",
        "quotas-raised": "[quotas]\nlambda_get_policy = 40\nlambda_control_plane = 25.5\n",
        "quotas-inline": "quotas = { lambda_get_policy = 1e2 }\n",
        "quotas-dotted": "quotas.lambda_control_plane = 0.5\n",
        "trust-org": "trust_organization_accounts = true\ntrusted_layer_accounts = []\n",
        # refused by Config::load's checks
        "min-azs-0": "min_azs = 0\n",
        "quota-0": "[quotas]\nlambda_get_policy = 0\n",
        "quota-negative": "[quotas]\nlambda_control_plane = -15\n",
        "quota-nan": "[quotas]\nlambda_get_policy = nan\n",
        "quota-inf": "[quotas]\nlambda_get_policy = +inf\n",
        "quota-tiny": "[quotas]\nlambda_get_policy = 5e-324\n",
        # refused by the parser
        "min-azs-negative": "min_azs = -1\n",
        "min-azs-huge": "min_azs = 18446744073709551616\n",
        "min-azs-float": "min_azs = 2.5\n",
        "min-azs-string": 'min_azs = "2"\n',
        "unknown-key": 'approved_vpc = ["vpc-1"]\n',
        "unknown-quota": "[quotas]\nlambda_getpolicy = 40\n",
        "quotas-array-of-tables": "[[quotas]]\nlambda_get_policy = 1\n",
        "quotas-not-a-table": "quotas = 15\n",
        "duplicate-key": "min_azs = 2\nmin_azs = 3\n",
        "duplicate-table": "[quotas]\n[quotas]\n",
        "unclosed-array": 'approved_vpcs = ["vpc-1"\n',
        "unclosed-table": "[quotas\nlambda_get_policy = 1\n",
        "unterminated-string": 'approved_vpcs = ["vpc-1]\n',
        "bad-escape": 'approved_vpcs = ["\\q"]\n',
        "multiline-string": 'approved_vpcs = ["""\nvpc-1\n"""]\n',
        "no-value": "min_azs =\n",
        "datetime": "min_azs = 1979-05-27T07:32:00Z\n",
        "nested-arrays": "approved_vpcs = " + "[" * 64 + "]" * 64 + "\n",
    }
    for name, text in cases.items():
        seeds[name] = text.encode()
    seeds["invalid-utf8"] = b'approved_vpcs = ["vpc-\xff"]\n'
    write_all(os.path.join(SEEDS, "config"), seeds)
    keys_ = ["approved_vpcs", "approved_subnets", "approved_security_groups", "min_azs",
             "trusted_layer_accounts", "trust_organization_accounts", "quotas",
             "lambda_get_policy", "lambda_control_plane"]
    tokens = set(keys_) | {"[quotas]", "[[", "]]", "=", '"""', "'" * 3, "true", "false", "nan",
                           "inf", "-inf", "1e308", "0x1", "0o7", "0b1", "1_000", "\\u0000",
                           "\r\n", "#", "1979-05-27T07:32:00Z"}
    write_dict("config", tokens)

def main():
    policy_seeds()
    snapshot_seeds()
    report_seeds()
    config_seeds()

if __name__ == "__main__":
    main()

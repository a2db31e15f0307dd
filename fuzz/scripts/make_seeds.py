#!/usr/bin/env python3
"""Regenerate fuzz/seeds/policy/ from mocks/policies/*.json.

One seed per policy document (and per malformed text), in the fuzz target's framing:
DOCUMENT \\0 ACTION \\0 RESOURCE [\\0 KEY \\0 VALUE]...  The request comes from the first
case in the same file that uses the policy (values of a multivalued key joined by \\x1f,
`unknown` keys as \\x1d); policies no case uses get a default request.
"""
import glob, hashlib, json, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
MOCKS = os.path.join(HERE, "..", "..", "mocks", "policies")
OUT = os.path.join(HERE, "..", "seeds", "policy")

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

def main():
    os.makedirs(OUT, exist_ok=True)
    for f in glob.glob(os.path.join(OUT, "*")):
        os.remove(f)
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

if __name__ == "__main__":
    main()

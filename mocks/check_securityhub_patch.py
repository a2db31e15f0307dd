#!/usr/bin/env python3
"""End-to-end check of mocks/seedlib/securityhub_patch.py against a real org_server.

    $VPCWARDEN_PYTHON mocks/check_securityhub_patch.py        (e.g. .venv/bin/python: moto + boto3)

Starts mocks/seedlib/org_server.py (with this interpreter) on a free loopback port, talks to it with
boto3 (credentials `testing`, account 123456789012, us-east-1), stops it, and exits 0 when every
expectation held. The first failed expectation stops the run: it is printed on stderr with the server
log's tail, and the exit status is 1 (2 when the server does not come up).

What it checks, in order:
  1. BatchImportFindings of two findings (valid ASFF: mocks/validate_findings.py checks them first)
     creates them with Workflow.Status NEW and WorkflowState NEW.
  2. BatchUpdateFindings sets one to SUPPRESSED with a Note; the Note gets UpdatedAt, the finding's
     UpdatedAt does not move, and GetFindings filtered by WorkflowStatus EQUALS SUPPRESSED returns
     exactly it (NOT_EQUALS exactly the other; RecordState EQUALS ACTIVE both; EQUALS with NOT_EQUALS
     on one field is refused).
  3. Re-importing both with a new UpdatedAt (and a Workflow and Note of the provider's) updates
     UpdatedAt but keeps the suppressed finding's Workflow, Note and the Severity the customer set.
  4. BatchUpdateFindings back to NEW: nothing is SUPPRESSED any more.
  5. An unknown Id lands in UnprocessedFindings (FindingNotFound) while a known one is processed; a
     duplicated identifier is DuplicatedFindingIdentifier.
  6. Workflow resets: RESOLVED goes back to NEW when an import makes an ARCHIVED finding ACTIVE,
     SUPPRESSED does not.
  7. Over the model's limits (101 identifiers, a Note of 513 characters): HTTP 400 InvalidInputException.
  8. The fault mode (faults.py) names the operation securityhub:BatchUpdateFindings: a deny rule on it
     answers AccessDeniedException (403) while GetFindings still answers; the stats count it.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Callable

sys.dont_write_bytecode = True  # the interpreter's venv is read-only to this script

HERE = Path(__file__).resolve().parent
SERVER = HERE / "seedlib" / "org_server.py"
ACCOUNT = "123456789012"
REGION = "us-east-1"
PRODUCT_ARN = f"arn:aws:securityhub:{REGION}:{ACCOUNT}:product/{ACCOUNT}/default"
T1, T2, T3 = "2026-11-01T09:00:00Z", "2026-11-02T09:00:00Z", "2026-11-03T09:00:00Z"

# No real AWS configuration, no proxy for loopback, no instance metadata: set before boto3 loads.
for _v in [v for v in os.environ if v.startswith("AWS_")]:
    del os.environ[_v]
os.environ.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": REGION,
                   "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
                   "AWS_EC2_METADATA_DISABLED": "true", "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"})

import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402


class Failed(Exception):
    """An expectation that did not hold."""


def expect(ok: bool, what: str, got: Any = None) -> None:
    if not ok:
        raise Failed(what if got is None else f"{what}\n  got: {json.dumps(got, default=str, indent=2)[:4000]}")
    print(f"ok   {what}")


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start_server(log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """org_server on a free loopback port (retried if the port got taken), as moto_env.sh starts it."""
    env = dict(os.environ, MOTO_IAM_LOAD_MANAGED_POLICIES="true", MOTO_EC2_LOAD_DEFAULT_AMIS="false",
               PYTHONDONTWRITEBYTECODE="1")
    for _ in range(3):
        port = free_port()
        with open(log, "wb") as out:
            proc = subprocess.Popen([sys.executable, str(SERVER), "-H", "127.0.0.1", "-p", str(port)],
                                    stdout=out, stderr=subprocess.STDOUT, env=env, cwd=HERE.parent)
        url = f"http://127.0.0.1:{port}"
        for _ in range(240):
            if proc.poll() is not None:
                break
            try:
                urllib.request.urlopen(f"{url}/moto-api/", timeout=2).read()
                return proc, url
            except OSError:
                time.sleep(0.25)
        stop_server(proc)
        if "address already in use" not in log.read_text(errors="replace").lower():
            break
    raise SystemExit(f"check_securityhub_patch: org_server did not come up (log {log}):\n{tail(log)}")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def tail(log: Path, n: int = 30) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-n:])
    except OSError:
        return "(no log)"


def finding(fid: str, updated_at: str, **extra: Any) -> dict[str, Any]:
    doc = {
        "SchemaVersion": "2018-10-08",
        "Id": fid,
        "ProductArn": PRODUCT_ARN,
        "GeneratorId": "vpcwarden/LAMBDA003",
        "AwsAccountId": ACCOUNT,
        "Types": ["Software and Configuration Checks/AWS Security Best Practices"],
        "CreatedAt": T1,
        "UpdatedAt": updated_at,
        "Severity": {"Label": "HIGH"},
        "Title": f"check finding {fid}",
        "Description": "A finding of the securityhub_patch check.",
        "Resources": [{"Type": "AwsLambdaFunction", "Id": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{fid}",
                       "Partition": "aws", "Region": REGION}],
        "Compliance": {"Status": "FAILED"},
        "RecordState": "ACTIVE",
    }
    doc.update(extra)
    return doc


def error_of(call: Callable[[], Any]) -> tuple[str, int]:
    try:
        call()
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]
    return "no error", 200


def run(url: str) -> None:
    sh = boto3.client("securityhub", endpoint_url=url, region_name=REGION,
                      config=Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=5,
                                    read_timeout=30))
    ident = lambda fid: {"Id": fid, "ProductArn": PRODUCT_ARN}  # noqa: E731

    def held(**filters: Any) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for page in sh.get_paginator("get_findings").paginate(Filters=filters):
            out.update({f["Id"]: f for f in page["Findings"]})
        return out

    def status(value: str, comparison: str = "EQUALS") -> list[dict[str, str]]:
        return [{"Value": value, "Comparison": comparison}]

    # 1. Two findings, valid ASFF.
    sys.path.insert(0, str(HERE))
    import validate_findings

    a, b = finding("check-a", T1), finding("check-b", T1)
    shape = validate_findings._asff_shape()
    for doc in (a, b):
        expect(validate_findings.asff_errors(doc, shape) == [], f"{doc['Id']} is valid ASFF (validate_findings.py)",
               validate_findings.asff_errors(doc, shape))
    sh.enable_security_hub()
    out = sh.batch_import_findings(Findings=[a, b])
    expect(out["SuccessCount"] == 2 and out["FailedCount"] == 0, "BatchImportFindings imports both", out)
    now = held()
    expect(sorted(now) == ["check-a", "check-b"], "GetFindings lists both", sorted(now))
    expect(all(f["Workflow"] == {"Status": "NEW"} and f["WorkflowState"] == "NEW" for f in now.values()),
           "new findings start with Workflow.Status NEW and WorkflowState NEW", now)

    # 2. Suppress one with a note.
    note = {"Text": "Accepted risk until 2027-01-01 (ticket SEC-42)", "UpdatedBy": "vpcwarden"}
    out = sh.batch_update_findings(FindingIdentifiers=[ident("check-a")], Workflow={"Status": "SUPPRESSED"},
                                   Note=note, Severity={"Label": "LOW"})
    out.pop("ResponseMetadata")
    expect(out == {"ProcessedFindings": [ident("check-a")], "UnprocessedFindings": []},
           "BatchUpdateFindings processes check-a", out)
    suppressed = held(WorkflowStatus=status("SUPPRESSED"))
    expect(sorted(suppressed) == ["check-a"], "GetFindings WorkflowStatus EQUALS SUPPRESSED returns exactly check-a",
           sorted(suppressed))
    fa = suppressed["check-a"]
    expect(fa["Workflow"]["Status"] == "SUPPRESSED" and fa["WorkflowState"] == "NEW",
           "Workflow.Status is SUPPRESSED, the deprecated WorkflowState stays NEW", fa)
    expect(fa["Note"]["Text"] == note["Text"] and fa["Note"]["UpdatedBy"] == note["UpdatedBy"]
           and bool(fa["Note"].get("UpdatedAt")), "the Note is stored with an UpdatedAt", fa.get("Note"))
    expect(fa["UpdatedAt"] == T1, "BatchUpdateFindings leaves the finding's UpdatedAt alone", fa["UpdatedAt"])
    expect(fa["Severity"] == {"Label": "LOW", "Normalized": 1}, "Severity.Label LOW sets Normalized 1",
           fa["Severity"])
    expect(sorted(held(WorkflowStatus=status("SUPPRESSED", "NOT_EQUALS"))) == ["check-b"],
           "WorkflowStatus NOT_EQUALS SUPPRESSED returns exactly check-b")
    expect(sorted(held(RecordState=status("ACTIVE"))) == ["check-a", "check-b"],
           "RecordState EQUALS ACTIVE returns both")
    code = error_of(lambda: sh.get_findings(Filters={"WorkflowStatus": status("NEW") + status("NEW", "NOT_EQUALS")}))
    expect(code == ("InvalidInputException", 400), "EQUALS with NOT_EQUALS on one field: 400 InvalidInputException",
           code)

    # 3. Re-import both a day later; the provider's Workflow and Note are ignored.
    provider_note = {"Text": "provider note", "UpdatedBy": "provider", "UpdatedAt": T2}
    out = sh.batch_import_findings(Findings=[finding("check-a", T2, Workflow={"Status": "NEW"}, Note=provider_note),
                                             finding("check-b", T2)])
    expect(out["SuccessCount"] == 2, "the re-import is taken", out)
    now = held()
    fa = now["check-a"]
    expect(fa["UpdatedAt"] == T2 and now["check-b"]["UpdatedAt"] == T2, "the re-import updated UpdatedAt",
           {k: v["UpdatedAt"] for k, v in now.items()})
    expect(fa["Workflow"] == {"Status": "SUPPRESSED"}, "Workflow survived the re-import", fa["Workflow"])
    expect(fa["Note"]["Text"] == note["Text"] and fa["Note"]["UpdatedBy"] == note["UpdatedBy"],
           "Note survived the re-import", fa["Note"])
    expect(fa["Severity"]["Label"] == "LOW", "the customer's Severity survived the re-import", fa["Severity"])
    expect(now["check-b"]["Severity"]["Label"] == "HIGH" and "Note" not in now["check-b"],
           "check-b (never updated by the customer) is the provider's", now["check-b"])
    expect(sorted(held(WorkflowStatus=status("SUPPRESSED"))) == ["check-a"], "check-a is still the only SUPPRESSED")

    # 4. The suppression expires: back to NEW.
    out = sh.batch_update_findings(FindingIdentifiers=[ident("check-a")], Workflow={"Status": "NEW"},
                                   Note={"Text": "Suppression expired", "UpdatedBy": "vpcwarden"})
    expect(out["ProcessedFindings"] == [ident("check-a")], "BatchUpdateFindings back to NEW", out)
    expect(held(WorkflowStatus=status("SUPPRESSED")) == {}, "nothing is SUPPRESSED any more")
    expect(sorted(held(WorkflowStatus=status("NEW"))) == ["check-a", "check-b"], "both are NEW")

    # 5. Unknown and duplicated identifiers.
    out = sh.batch_update_findings(FindingIdentifiers=[ident("check-b"), ident("no-such-finding"),
                                                       {"Id": "check-a", "ProductArn": PRODUCT_ARN + "x"}],
                                   VerificationState="TRUE_POSITIVE")
    out.pop("ResponseMetadata")
    expect(out == {"ProcessedFindings": [ident("check-b")], "UnprocessedFindings": [
        {"FindingIdentifier": ident("no-such-finding"), "ErrorCode": "FindingNotFound",
         "ErrorMessage": "Finding Not Found"},
        {"FindingIdentifier": {"Id": "check-a", "ProductArn": PRODUCT_ARN + "x"}, "ErrorCode": "FindingNotFound",
         "ErrorMessage": "Finding Not Found"}]},
        "unknown Id (and a known Id under another ProductArn) in UnprocessedFindings as FindingNotFound", out)
    expect(held()["check-b"]["VerificationState"] == "TRUE_POSITIVE", "check-b got its VerificationState")
    out = sh.batch_update_findings(FindingIdentifiers=[ident("check-a"), ident("check-a")],
                                   Workflow={"Status": "NOTIFIED"})
    out.pop("ResponseMetadata")
    expect(out == {"ProcessedFindings": [], "UnprocessedFindings": [
        {"FindingIdentifier": ident("check-a"), "ErrorCode": "DuplicatedFindingIdentifier",
         "ErrorMessage": "Finding Identifier is duplicated"}]},
        "a duplicated identifier is DuplicatedFindingIdentifier and not applied", out)
    expect(held()["check-a"]["Workflow"]["Status"] == "NEW", "check-a is still NEW")

    # 6. Resets on re-import: RESOLVED -> NEW when ARCHIVED -> ACTIVE; SUPPRESSED stays.
    sh.batch_update_findings(FindingIdentifiers=[ident("check-a")], Workflow={"Status": "RESOLVED"})
    sh.batch_update_findings(FindingIdentifiers=[ident("check-b")], Workflow={"Status": "SUPPRESSED"})
    sh.batch_import_findings(Findings=[finding(f, T2, RecordState="ARCHIVED", Compliance={"Status": "PASSED"})
                                       for f in ("check-a", "check-b")])
    now = held()
    expect(now["check-a"]["Workflow"]["Status"] == "RESOLVED" and now["check-a"]["RecordState"] == "ARCHIVED",
           "archiving keeps RESOLVED", now["check-a"])
    sh.batch_import_findings(Findings=[finding(f, T3) for f in ("check-a", "check-b")])
    now = held()
    expect(now["check-a"]["Workflow"]["Status"] == "NEW", "ARCHIVED -> ACTIVE resets RESOLVED to NEW",
           now["check-a"]["Workflow"])
    expect(now["check-b"]["Workflow"]["Status"] == "SUPPRESSED", "ARCHIVED -> ACTIVE leaves SUPPRESSED alone",
           now["check-b"]["Workflow"])

    # 7. Over the model's limits.
    code = error_of(lambda: sh.batch_update_findings(
        FindingIdentifiers=[ident(f"f-{i}") for i in range(101)], Workflow={"Status": "SUPPRESSED"}))
    expect(code == ("InvalidInputException", 400), "101 identifiers: 400 InvalidInputException", code)
    code = error_of(lambda: sh.batch_update_findings(
        FindingIdentifiers=[ident("check-a")], Note={"Text": "x" * 513, "UpdatedBy": "vpcwarden"}))
    expect(code == ("InvalidInputException", 400), "a Note of 513 characters: 400 InvalidInputException", code)
    code = error_of(lambda: sh.batch_update_findings(FindingIdentifiers=[ident("check-a")],
                                                     Workflow={"Status": "IGNORED"}))
    expect(code == ("InvalidInputException", 400), "an unknown Workflow.Status: 400 InvalidInputException", code)
    expect(held()["check-a"]["Note"]["Text"] == "Suppression expired", "a refused request changed nothing")

    # 8. The fault mode names the operation securityhub:BatchUpdateFindings.
    def control(method: str, doc: Any = None, query: str = "") -> dict[str, Any]:
        req = urllib.request.Request(f"{url}/_vpcwarden/faults{query}", method=method,
                                     data=None if doc is None else json.dumps(doc).encode(),
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.loads(r.read())

    control("POST", {"account": ACCOUNT, "deny": ["securityhub:BatchUpdateFindings"]})
    try:
        code = error_of(lambda: sh.batch_update_findings(FindingIdentifiers=[ident("check-a")],
                                                         Workflow={"Status": "SUPPRESSED"}))
        expect(code == ("AccessDeniedException", 403),
               "deny securityhub:BatchUpdateFindings: BatchUpdateFindings answers 403 AccessDeniedException", code)
        expect("check-a" in held(), "GetFindings is not denied by that rule")
        ops = control("GET", query=f"?account={ACCOUNT}")["stats"]["operations"]
        expect(ops.get("securityhub:BatchUpdateFindings") == {"requests": 1, "faults": {"access_denied": 1}},
               "the fault stats name the operation securityhub:BatchUpdateFindings", ops)
    finally:
        control("DELETE", query=f"?account={ACCOUNT}")
    expect(held()["check-a"]["Workflow"]["Status"] == "NEW", "the denied update changed nothing")


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="check-securityhub-") as tmp:
        log = Path(tmp) / "org_server.log"
        proc, url = start_server(log)
        print(f"org_server up on {url} (pid {proc.pid})")
        try:
            run(url)
        except Failed as e:
            print(f"FAIL {e}\n--- org_server log (tail) ---\n{tail(log)}", file=sys.stderr)
            return 1
        finally:
            stop_server(proc)
    print("check_securityhub_patch: all expectations held")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""moto_server whose sts:AssumeRole refuses what AWS refuses for an organization scan (moto 5.2.5 does not),
and which answers the Lambda operations of issue 13 that moto lacks.

    $VPCWARDEN_PYTHON mocks/seedlib/org_server.py -H 127.0.0.1 -p PORT      (same args as moto_server)

Meant as the SHARED server of the test suite. It differs from moto_server in three places, plus one
field: EC2 keeps the Operator of a network interface (ec2_patch.py, applied on import: the ENIs of
Lambda Managed Instances carry Operator.Principal scaler.lambda.amazonaws.com).

A. Lambda (lambda_patch.py, applied by install()): capacity providers, CapacityProviderConfig on
functions, policies and URLs of versions and aliases (AddPermission/GetPolicy/RemovePermission and
the FunctionUrlConfig calls with a Qualifier, ListFunctionUrlConfigs), PutResourcePolicy /
GetResourcePolicy / DeleteResourcePolicy, in AWS's wire shapes and per account and region. Calls
without a qualifier (or with $LATEST), functions without CapacityProviderConfig, and every other Lambda
call are moto's unchanged. What moto does and does not do there, and what the patch decides, is in
LAMBDA-SURFACE-NOTES.md.

B. sts:AssumeRole, and there only in two cases, which it answers as AWS does (HTTP 403, the
query-protocol error that botocore's and the Rust SDK's STS clients parse:
<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>):

1. The role does not exist in its account (looked up by name, the ARN's last path segment, in moto's IAM
   backend of the account the ARN names). Exception: `vpcwarden-seeder` (common.SEEDER_ROLE). Every
   seeder assumes it into a fresh account BEFORE creating it (that is how an account comes to exist in
   moto), so it is let through as moto_server always did.
2. The role's trust policy asks for an sts:ExternalId and the request's ExternalId (or its absence)
   satisfies none of the trust statements that could admit an IAM caller. Precisely: among the Allow
   statements whose Action (or NotAction) covers sts:AssumeRole and whose Principal is "*" or names
   "AWS" principals, none has either no sts:ExternalId condition or sts:ExternalId conditions that the
   request meets. Operators understood: String(Not)Equals, String(Not)EqualsIgnoreCase,
   String(Not)Like, each with IfExists and ForAnyValue:/ForAllValues:, and Null. A statement with any
   other operator on sts:ExternalId, or a trust policy that does not parse, is never refused.

C. Security Hub (securityhub_patch.py, applied by install()): BatchUpdateFindings, which moto lacks, in
the model's wire shapes; a later BatchImportFindings keeps the fields BatchUpdateFindings owns
(Workflow, Note, ...); GetFindings applies its WorkflowStatus and RecordState filters. Its docstring
says what it follows and what it leaves out; mocks/check_securityhub_patch.py checks it end to end.

Not changed (moto's own behaviour, documented in ORGANIZATION-NOTES.md): the trust policy's Principal and
its other conditions are NOT evaluated (a role that trusts another account is still assumable), Deny
statements in trust policies are ignored, AssumeRoleWithWebIdentity/WithSAML are untouched, and nothing
outside STS, Lambda, EC2's Operator and Security Hub is patched.
"""

from __future__ import annotations

import json
import re
import sys
import uuid
from typing import Any
from xml.sax.saxutils import escape

from werkzeug.exceptions import HTTPException

from moto.iam.models import iam_backends
from moto.sts.responses import TokenResponse

try:  # imported as seedlib.org_server
    from . import ec2_patch, lambda_patch, securityhub_patch  # noqa: F401  (ec2_patch applies itself on import)
except ImportError:  # run as a script: mocks/seedlib is sys.path[0]
    import ec2_patch, lambda_patch, securityhub_patch  # type: ignore[no-redef]  # noqa: E401, F401

# Seeder bootstrap: assumed before it exists (see common.Account / Account.create_seeder_role).
BOOTSTRAP_ROLES = frozenset({"vpcwarden-seeder"})
STS_NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/"
ROLE_ARN = re.compile(r"^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc)"
                      r":iam::([0-9]{12}):role/(.+)$")
EXTERNAL_ID_KEY = "sts:externalid"


class StsAccessDenied(HTTPException):
    """AccessDenied as STS sends it; moto's call_action turns an HTTPException into the response."""

    def __init__(self, message: str) -> None:
        super().__init__()
        self.code = 403
        self.description = (
            f"<ErrorResponse xmlns=\"{STS_NAMESPACE}\"><Error><Type>Sender</Type><Code>AccessDenied</Code>"
            f"<Message>{escape(message)}</Message></Error><RequestId>{uuid.uuid4()}</RequestId></ErrorResponse>")

    def get_headers(self, *args: Any, **kwargs: Any) -> list[tuple[str, str]]:
        return [("Content-Type", "text/xml")]


def _glob(pattern: str, value: str, ignore_case: bool = False) -> bool:
    """IAM wildcard match: `*` any run, `?` one character, nothing else special."""
    rx = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(rx, value, (re.IGNORECASE | re.DOTALL) if ignore_case else re.DOTALL) is not None


def _as_list(v: Any) -> list[Any]:
    return v if isinstance(v, list) else [v]


def _covers_assume_role(stmt: dict[str, Any]) -> bool:
    if "Action" in stmt:
        return any(isinstance(a, str) and _glob(a, "sts:AssumeRole", True) for a in _as_list(stmt["Action"]))
    if "NotAction" in stmt:
        return not any(isinstance(a, str) and _glob(a, "sts:AssumeRole", True)
                       for a in _as_list(stmt["NotAction"]))
    return False


def _admits_iam_caller(stmt: dict[str, Any]) -> bool:
    p = stmt.get("Principal")
    return p == "*" or (isinstance(p, dict) and "AWS" in p)


def _condition_met(op: str, values: list[Any], external_id: str | None) -> bool | None:
    """One operator block on sts:ExternalId: met, not met, or None when the operator is not understood."""
    qualifier, _, base = op.rpartition(":")
    if qualifier not in ("", "ForAnyValue", "ForAllValues"):
        return None
    if_exists = base.endswith("IfExists")
    base = base.removesuffix("IfExists")
    if base == "Null":
        if qualifier or if_exists:
            return None
        want_absent = [str(v).lower() for v in values]
        if any(v not in ("true", "false") for v in want_absent):
            return None
        return any((external_id is None) == (v == "true") for v in want_absent)
    negated = "Not" in base
    base = base.replace("Not", "", 1)
    matchers = {
        "StringEquals": lambda pat, v: pat == v,
        "StringEqualsIgnoreCase": lambda pat, v: pat.lower() == v.lower(),
        "StringLike": lambda pat, v: _glob(pat, v),
    }
    if base not in matchers or not all(isinstance(v, str) for v in values):
        return None
    if external_id is None:
        if if_exists or qualifier == "ForAllValues":
            return True
        if qualifier == "ForAnyValue":
            return False
        return negated  # a negated operator is true on an absent key, a positive one false
    hit = any(matchers[base](pat, external_id) for pat in values)
    return not hit if negated else hit


def _statement_admits(stmt: dict[str, Any], external_id: str | None) -> bool | None:
    """True if this statement's sts:ExternalId conditions (if any) are met; None if not understood."""
    conditions = stmt.get("Condition") or {}
    if not isinstance(conditions, dict):
        return None
    verdict: bool | None = True
    for op, block in conditions.items():
        if not isinstance(block, dict):
            return None
        for key, values in block.items():
            if key.lower() != EXTERNAL_ID_KEY:
                continue
            met = _condition_met(op, _as_list(values), external_id)
            if met is None:
                return None
            verdict = verdict and met
    return verdict


def external_id_refused(trust_document: str | dict[str, Any], external_id: str | None) -> bool:
    """Whether the trust policy's sts:ExternalId conditions refuse this request (see module docstring)."""
    try:
        doc = json.loads(trust_document) if isinstance(trust_document, str) else trust_document
        statements = _as_list(doc.get("Statement", []))
    except (ValueError, AttributeError):
        return False
    relevant = [s for s in statements if isinstance(s, dict) and s.get("Effect") == "Allow"
                and _covers_assume_role(s) and _admits_iam_caller(s)]
    if not relevant:
        return False
    for s in relevant:
        admits = _statement_admits(s, external_id)
        if admits is None or admits:
            return False
    return True


def refusal(role_arn: str | None, external_id: str | None) -> str | None:
    """Why AWS would refuse this AssumeRole, or None to let moto answer."""
    m = ROLE_ARN.match(role_arn or "")
    if not m:
        return None
    partition, account_id, path_and_name = m.groups()
    name = path_and_name.rsplit("/", 1)[-1]
    iam = iam_backends[account_id][partition]
    role = next((r for r in iam.get_roles() if r.name == name), None)
    if role is None:
        return None if name in BOOTSTRAP_ROLES else "role does not exist"
    if external_id_refused(role.assume_role_policy_document, external_id):
        return "sts:ExternalId condition not met"
    return None


_orig_assume_role = TokenResponse.assume_role


def _assume_role(self: TokenResponse) -> Any:
    role_arn = self._get_param("RoleArn")
    why = refusal(role_arn, self._get_param("ExternalId"))
    if why is not None:
        _, caller, _ = self.backend.get_caller_identity(self.get_access_key(), self.region)
        print(f"org_server: AssumeRole {role_arn} by {caller} refused ({why})", file=sys.stderr, flush=True)
        raise StsAccessDenied(f"User: {caller} is not authorized to perform: sts:AssumeRole on resource: "
                              f"{role_arn}")
    return _orig_assume_role(self)


def install() -> None:
    """The patches (A, B and C of the module docstring); before moto's server handles a request."""
    TokenResponse.assume_role = _assume_role  # type: ignore[method-assign]
    lambda_patch.install()
    securityhub_patch.install()


def main() -> None:
    install()
    __import__("faults").install()  # mocks/seedlib/faults.py: the fault mode, off until a test turns it on
    import moto.server as server

    server.main(sys.argv[1:])


if __name__ == "__main__":
    sys.dont_write_bytecode = True
    main()

"""Fault mode of the test emulator: AWS's failures, in AWS's wire formats, for one account at a time.

Applied by org_server.py and auth_server.py (`faults.install()`, before the server starts). OFF by default:
until a test posts settings for an account, every request goes to moto untouched.

Control API, on the emulator's own host and port (loopback only, never signed):

    POST   /_vpcwarden/faults            {"account": "123456789012", <settings>}   -> 200 {"account", "settings"}
           sets (replaces) that account's settings and zeroes its counters and its random draw
    GET    /_vpcwarden/faults?account=ID -> 200 {"account", "settings", "stats"}
           stats: {"requests", "faults": {KIND: n}, "faulted", "operations": {OP: {"requests", "faults"}},
                   "always_fail_hits": [n per rule], "quota": {REGION: {KEY: BUCKET}}}, where BUCKET is
                   {"rate", "requests" (every request charged to it), "admitted", "throttled",
                    "throttled_first_second", "throttled_after" (since the bucket's first request),
                    "span_s" (seconds from its first request to its last)}; a quota throttle also counts
                   as faults.throttle
    DELETE /_vpcwarden/faults?account=ID -> 200; without ?account= every account is cleared
    A bad document is answered 400 {"error": ...}.

Settings (every field optional; unknown fields are refused):

    rate         0..1: share of the requests in scope answered with a random fault (default 0)
    seed         integer seed of the draw (default 0)
    services     ["lambda", "ec2", "iam", "sts", "organizations", "securityhub"]: the scope of `rate`
                 (SigV4 signing names, which are also the IAM prefixes); default every service
    operations   ["lambda:GetPolicy", "ec2:Describe*"]: glob patterns narrowing that scope further
    kinds        what a random fault is, among KINDS (default all but access_denied):
                   throttle       the service's throttling error (table below)
                   error500       HTTP 500, the service's internal error
                   error503       HTTP 503, the service's unavailable error
                   drop           the connection is closed with no answer at all
                   truncate       moto's real answer, headers and half the body, then the connection is cut
                   slow           moto's real answer after `slow_ms`
                   access_denied  the service's AccessDenied
    slow_ms      how long `slow` waits, 0..2000 ms (default 200): tests must stay fast
    deny         ["lambda:GetPolicy", "ec2:*", "*"]: operations answered AccessDenied on every attempt.
                 sts:GetCallerIdentity is never denied (AWS needs no permission for it).
    regions      ["eu-west-1"]: the regions (of the request's SigV4 scope) that deny, always_fail and rate
                 apply in; default every region. So one region's Lambda listing can be denied while the
                 others answer. The quota and latency_ms are not narrowed by it.
    always_fail  [{"operation": "lambda:GetPolicy", "resource": "my-function", "status": 500}]: requests of
                 that operation (glob) whose decoded path, query or body contains `resource` are answered
                 the service's 500 (or 503) on every attempt.
    quota        {"lambda:GetPolicy": 15, "lambda:GetFunction": 100, "lambda:*": 15}: request rates per
                 second (numbers > 0, up to 100000), one token bucket per (account, region, key); a request
                 over its bucket is answered the service's `throttle` (below). Off when absent or {}.
                 Keys are operation names or globs (as `operations`); a request belongs to ONE bucket: the
                 key equal to its operation, else the longest glob that matches it (equal lengths: the
                 first in sorted order), else none (never throttled by the quota). A glob never takes
                 Lambda's invocation operations (lambda:Invoke, InvokeAsync, InvokeWithResponseStream;
                 their quota is concurrency, not a request rate): only their exact name does. So the
                 example is AWS's default Lambda quotas per account and region: GetPolicy 15/s and
                 GetFunction 100/s in buckets of their own, the rest of the control plane 15/s together.
                 `services` and `operations` do not narrow it (they scope `rate` only).
    latency_ms   0..2000 (default 0): added to EVERY request of the account the fault mode sees, whatever
                 its answer (moto's, a fault's, the quota's throttle), before it is answered. The server
                 is threaded (moto.server runs werkzeug's run_simple with threaded=True: a thread per
                 connection) and the wait is time.sleep outside LOCK, which releases the interpreter
                 lock, so concurrent requests wait side by side, not one after the other.

Quota buckets: AWS documents Lambda's quotas as rates (requests per second) and says nothing of a
burst. Each bucket here holds ONE SECOND of its rate: capacity max(1, rate) tokens, full at the bucket's
first request, refilled continuously at `rate` per second; a request takes a token if a whole one is
there, else it is throttled and takes nothing. Over any T seconds a bucket admits at most rate x (T + 1)
requests. Why not a burst of one (each request at least 1/rate after the previous one): a client that
spaces its requests exactly at the rate would still be throttled whenever two of them reach the
emulator a few milliseconds closer than 1/rate (connection reuse, thread scheduling on a loaded
machine), which measures the emulator's jitter, not the client's pace. The price of the one-second
bucket: a client may send `rate` requests at once and is not throttled for it, and a client that knows
the bucket starts full could finish one second sooner than calls / rate. So a throttle means the client
went over the rate for longer than a second; the stats split the throttles of each bucket's first second
(since its first request) from those after, and only the latter say a paced client ran too fast.

Precedence: deny, then the quota, then always_fail, then the random draw. A denied request is refused
before it counts against a bucket (the deny tests stay one AccessDenied per attempt). A request the quota
admits has spent its token even if always_fail or the draw then fails it (AWS counts requests, not
successes); one it throttles is answered the throttle and nothing else. latency_ms delays all of them.

Scope: an account is the one moto files the request under (moto's own mapping: the x-moto-account-id
header, else the account of the SigV4 access key, assumed-role sessions included; see
BaseResponse.get_current_account). Tests share one emulator and seed an account each, so settings of one
account never touch another's requests, nor the control requests.

Determinism: whether a request is faulted, and how, is a hash of (seed, account, region, service, method,
path, query, body, n), where n counts the earlier identical requests of that account since its settings
were posted. A retry of the same request is the next n: the same requests get the same faults whatever
the order in which concurrent requests arrive. (A request that carries an id moto made up at seeding,
such as an Organizations root or policy id, differs from one seeding to the next, and so does its draw.)

Operation names are derived from the request as moto routes it (moto.core.routing, over botocore's
models): the Action parameter for query and ec2 (IAM, STS, EC2), X-Amz-Target for json (Organizations),
the method and URI of the rest-json routes (Lambda, Security Hub).

Wire formats (botocore 1.44.5 models; parsed as the Rust SDK does: aws-sdk-ec2 ec2_query_errors.rs,
aws-sdk-iam and aws-sdk-sts rest_xml_wrapped_errors.rs, aws-sdk-lambda/securityhub json_errors.rs and
aws-smithy-json protocol/error.rs for Organizations; retried as aws-runtime retries/classifiers.rs and
aws-smithy-runtime retries/classifiers.rs classify them):

    service        protocol   throttle                            access_denied                  500 / 503
    lambda         rest-json  429 TooManyRequestsException        403 AccessDeniedException      ServiceException /
                              (Reason CallerRateLimitExceeded,                                   ServiceUnavailableException
                              Retry-After: 1)
    securityhub    rest-json  429 ThrottlingException             403 AccessDeniedException      InternalException /
                                                                                                 ServiceUnavailableException
    organizations  json       400 TooManyRequestsException        400 AccessDeniedException      ServiceException /
                                                                                                 ServiceUnavailableException
    ec2            ec2        503 RequestLimitExceeded            403 UnauthorizedOperation      InternalError / Unavailable
    iam            query      400 Throttling                      403 AccessDenied               ServiceFailure /
                                                                                                 ServiceUnavailable
    sts            query      400 Throttling                      403 AccessDenied               InternalFailure /
                                                                                                 ServiceUnavailable

  rest-json: header x-amzn-ErrorType: CODE, body {"Type": "User"|"Service", "message"|"Message": ...} (Lambda) or
             {"Code": CODE, "Message": ...} (Security Hub)
  json:      body {"__type": CODE, "Message": ...}, Content-Type application/x-amz-json-1.1
  ec2:       <Response><Errors><Error><Code>CODE</Code><Message>..</Message></Error></Errors><RequestID>..
  query:     <ErrorResponse xmlns=...><Error><Type>Sender|Receiver</Type><Code>CODE</Code><Message>..</Message>
             </Error><RequestId>..</RequestId></ErrorResponse>
"""

from __future__ import annotations

import fnmatch
import hashlib
import io
import json
import re
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable
from urllib.parse import parse_qs, unquote
from xml.sax.saxutils import escape

CONTROL_PATH = "/_vpcwarden/faults"
KINDS = ("throttle", "error500", "error503", "drop", "truncate", "slow", "access_denied")
RANDOM_KINDS = tuple(k for k in KINDS if k != "access_denied")
MAX_SLOW_MS = 2000
MAX_LATENCY_MS = 2000
MAX_QUOTA_RATE = 100000
# Lambda's invocation calls: their quota is concurrency, not a request rate (see `quota`).
NO_GLOB_QUOTA = frozenset({"lambda:Invoke", "lambda:InvokeAsync", "lambda:InvokeWithResponseStream"})
NEVER_DENIED = frozenset({"sts:GetCallerIdentity"})
CREDENTIAL = re.compile(r"Credential=([A-Za-z0-9]+)/\d{8}/([a-z0-9-]+)/([a-z0-9-]+)/aws4_request")
SETTING_KEYS = frozenset({"account", "rate", "seed", "services", "operations", "kinds", "slow_ms", "deny",
                          "always_fail", "quota", "latency_ms", "regions"})

# (status, code, message) per service and kind; `None` service = any other service, by protocol.
THROTTLE = {
    "lambda": (429, "TooManyRequestsException", "Rate exceeded"),
    "securityhub": (429, "ThrottlingException", "Rate exceeded"),
    "organizations": (400, "TooManyRequestsException",
                      "AWS Organizations can't complete your request because it received too many requests. "
                      "Try again later."),
    "ec2": (503, "RequestLimitExceeded", "Request limit exceeded."),
    "iam": (400, "Throttling", "Rate exceeded"),
    "sts": (400, "Throttling", "Rate exceeded"),
}
INTERNAL = {
    "lambda": "ServiceException",
    "securityhub": "InternalException",
    "organizations": "ServiceException",
    "ec2": "InternalError",
    "iam": "ServiceFailure",
    "sts": "InternalFailure",
}
UNAVAILABLE = {"ec2": "Unavailable", "iam": "ServiceUnavailable", "sts": "ServiceUnavailable"}
DENIED = {
    "lambda": (403, "AccessDeniedException"),
    "securityhub": (403, "AccessDeniedException"),
    "organizations": (400, "AccessDeniedException"),
    "ec2": (403, "UnauthorizedOperation"),
    "iam": (403, "AccessDenied"),
    "sts": (403, "AccessDenied"),
}
QUERY_NAMESPACES = {"iam": "https://iam.amazonaws.com/doc/2010-05-08/",
                    "sts": "https://sts.amazonaws.com/doc/2011-06-15/"}


class SettingsError(ValueError):
    """A control document this module refuses (answered 400)."""


@dataclass(frozen=True)
class AlwaysFail:
    operation: str
    resource: str
    status: int = 500


@dataclass(frozen=True)
class Settings:
    rate: float = 0.0
    seed: int = 0
    services: tuple[str, ...] | None = None
    operations: tuple[str, ...] | None = None
    kinds: tuple[str, ...] = RANDOM_KINDS
    slow_ms: int = 200
    deny: tuple[str, ...] = ()
    always_fail: tuple[AlwaysFail, ...] = ()
    quota: tuple[tuple[str, float], ...] = ()  # (key, requests per second), sorted by key
    latency_ms: int = 0
    regions: tuple[str, ...] | None = None  # the scope of deny, always_fail and rate; None: every region

    def to_json(self) -> dict[str, Any]:
        return {"rate": self.rate, "seed": self.seed, "services": self.services, "operations": self.operations,
                "kinds": list(self.kinds), "slow_ms": self.slow_ms, "deny": list(self.deny),
                "always_fail": [{"operation": a.operation, "resource": a.resource, "status": a.status}
                                for a in self.always_fail],
                "quota": dict(self.quota), "latency_ms": self.latency_ms, "regions": self.regions}

    def quota_key(self, op: str) -> str | None:
        """The quota bucket `op` belongs to (see `quota` in the module docstring), or None."""
        for key, _ in self.quota:
            if key == op:
                return key
        if op in NO_GLOB_QUOTA:
            return None
        globs = [key for key, _ in self.quota if fnmatch.fnmatchcase(op, key)]
        return min(globs, key=lambda k: (-len(k), k)) if globs else None


def _strings(doc: dict[str, Any], key: str) -> tuple[str, ...] | None:
    v = doc.get(key)
    if v is None:
        return None
    if not isinstance(v, list) or not all(isinstance(s, str) and s for s in v):
        raise SettingsError(f"{key} must be a list of non-empty strings")
    return tuple(v)


def parse_settings(doc: Any) -> tuple[str, Settings]:
    """(account, settings) of a POSTed document; SettingsError says what is wrong."""
    if not isinstance(doc, dict):
        raise SettingsError("the body must be a JSON object")
    unknown = set(doc) - SETTING_KEYS
    if unknown:
        raise SettingsError(f"unknown field(s) {sorted(unknown)}; known: {sorted(SETTING_KEYS)}")
    account = doc.get("account")
    if not (isinstance(account, str) and len(account) == 12 and account.isdigit()):
        raise SettingsError("account must be a 12-digit account id (a string)")
    rate = doc.get("rate", 0.0)
    if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0.0 <= rate <= 1.0:
        raise SettingsError("rate must be a number in 0..1")
    seed = doc.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise SettingsError("seed must be an integer")
    kinds = _strings(doc, "kinds") or RANDOM_KINDS
    bad = [k for k in kinds if k not in KINDS]
    if bad:
        raise SettingsError(f"unknown kind(s) {bad}; known: {list(KINDS)}")
    slow_ms = doc.get("slow_ms", 200)
    if isinstance(slow_ms, bool) or not isinstance(slow_ms, int) or not 0 <= slow_ms <= MAX_SLOW_MS:
        raise SettingsError(f"slow_ms must be an integer in 0..{MAX_SLOW_MS}")
    always = doc.get("always_fail") or []
    if not isinstance(always, list):
        raise SettingsError("always_fail must be a list")
    rules = []
    for rule in always:
        if not (isinstance(rule, dict) and set(rule) <= {"operation", "resource", "status"}
                and isinstance(rule.get("operation"), str) and isinstance(rule.get("resource"), str)
                and rule.get("status", 500) in (500, 503)):
            raise SettingsError('always_fail items are {"operation": "svc:Op", "resource": "substring", '
                                '"status": 500|503}')
        rules.append(AlwaysFail(rule["operation"], rule["resource"], rule.get("status", 500)))
    quota = doc.get("quota") or {}
    if not isinstance(quota, dict) or not all(
            isinstance(k, str) and re.fullmatch(r"[a-z0-9-]+:\S+", k)
            and not isinstance(v, bool) and isinstance(v, (int, float)) and 0 < v <= MAX_QUOTA_RATE
            for k, v in quota.items()):
        raise SettingsError(f'quota must be an object {{"service:Operation" (or a glob): requests per second '
                            f'(a number > 0, at most {MAX_QUOTA_RATE})}}')
    latency_ms = doc.get("latency_ms", 0)
    if isinstance(latency_ms, bool) or not isinstance(latency_ms, int) or not 0 <= latency_ms <= MAX_LATENCY_MS:
        raise SettingsError(f"latency_ms must be an integer in 0..{MAX_LATENCY_MS}")
    settings = Settings(rate=float(rate), seed=seed, services=_strings(doc, "services"),
                        operations=_strings(doc, "operations"), kinds=kinds, slow_ms=slow_ms,
                        deny=_strings(doc, "deny") or (), always_fail=tuple(rules),
                        quota=tuple(sorted((k, float(v)) for k, v in quota.items())), latency_ms=latency_ms,
                        regions=_strings(doc, "regions"))
    return account, settings


@dataclass
class Bucket:
    """One quota bucket of one account and region: a second of its rate (see the module docstring)."""
    rate: float
    first: float  # time.monotonic() of its first request
    tokens: float = 0.0
    refilled: float = 0.0
    last: float = 0.0
    requests: int = 0
    admitted: int = 0
    throttled_first_second: int = 0
    throttled_after: int = 0

    def __post_init__(self) -> None:
        self.tokens, self.refilled, self.last = self.capacity(), self.first, self.first

    def capacity(self) -> float:
        return max(1.0, self.rate)

    def take(self, now: float) -> bool:
        """Whether a request at `now` is admitted (it takes a token) or throttled; counts it. Requests
        stamped on arrival may take LOCK out of order: an earlier stamp refills nothing."""
        self.tokens = min(self.capacity(), self.tokens + max(0.0, now - self.refilled) * self.rate)
        self.refilled = max(self.refilled, now)
        self.last = max(self.last, now)
        self.requests += 1
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            self.admitted += 1
            return True
        if now - self.first < 1.0:
            self.throttled_first_second += 1
        else:
            self.throttled_after += 1
        return False

    def stats(self) -> dict[str, Any]:
        return {"rate": self.rate, "requests": self.requests, "admitted": self.admitted,
                "throttled": self.throttled_first_second + self.throttled_after,
                "throttled_first_second": self.throttled_first_second, "throttled_after": self.throttled_after,
                "span_s": round(self.last - self.first, 3)}


@dataclass
class AccountFaults:
    """One account's settings, its draw counters and what was injected (GET's "stats")."""
    settings: Settings
    seen: dict[str, int] = field(default_factory=dict)
    requests: int = 0
    faults: dict[str, int] = field(default_factory=dict)
    operations: dict[str, dict[str, Any]] = field(default_factory=dict)
    rule_hits: list[int] = field(default_factory=list)
    buckets: dict[tuple[str, str], Bucket] = field(default_factory=dict)  # (region, quota key)

    def over_quota(self, region: str, op: str, now: float) -> bool:
        """Whether this request is throttled by its quota bucket (and charges the bucket either way)."""
        key = self.settings.quota_key(op)
        if key is None:
            return False
        bucket = self.buckets.get((region, key))
        if bucket is None:
            bucket = self.buckets[(region, key)] = Bucket(dict(self.settings.quota)[key], now)
        return not bucket.take(now)

    def record(self, op: str, kind: str | None) -> None:
        self.requests += 1
        o = self.operations.setdefault(op, {"requests": 0, "faults": {}})
        o["requests"] += 1
        if kind is not None:
            self.faults[kind] = self.faults.get(kind, 0) + 1
            o["faults"][kind] = o["faults"].get(kind, 0) + 1

    def stats(self) -> dict[str, Any]:
        return {"requests": self.requests, "faults": dict(self.faults),
                "faulted": sum(self.faults.values()), "operations": json.loads(json.dumps(self.operations)),
                "always_fail_hits": list(self.rule_hits), "quota": self.quota_stats()}

    def quota_stats(self) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for (region, key), bucket in sorted(self.buckets.items()):
            out.setdefault(region, {})[key] = bucket.stats()
        return out


LOCK = threading.Lock()
ACCOUNTS: dict[str, AccountFaults] = {}
KEY_ACCOUNTS: dict[str, str] = {}  # access key -> account, once moto knows the key


# ---------------------------------------------------------------- what a request is

@dataclass
class Call:
    account: str
    region: str
    service: str
    operation: str  # "lambda:GetPolicy"; "lambda:?" when moto's router names nothing
    text: str  # decoded path, query and body: what always_fail's `resource` is looked for in
    fingerprint: bytes
    uri_params: dict[str, Any]


def _read_body(environ: dict[str, Any]) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    body = environ["wsgi.input"].read(length) if length > 0 else b""
    environ["wsgi.input"] = io.BytesIO(body)
    return body


def _account_of(environ: dict[str, Any], access_key: str) -> str:
    """The account moto files this request under (BaseResponse.get_current_account)."""
    header = environ.get("HTTP_X_MOTO_ACCOUNT_ID")
    if header:
        return header
    with LOCK:
        known = KEY_ACCOUNTS.get(access_key)
    if known:
        return known
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.iam.models import get_account_id_from

    account = get_account_id_from(access_key)
    if account != DEFAULT_ACCOUNT_ID:  # a key moto does not know (yet) is not remembered
        with LOCK:
            KEY_ACCOUNTS[access_key] = account
    return account


def _operation(service: str, environ: dict[str, Any], body: bytes) -> tuple[str, dict[str, Any]]:
    """The operation as moto's router names it, from a copy of the request (the original keeps its body)."""
    try:
        from moto.core.request import Request
        from moto.core.routing import get_service_router

        env = dict(environ)
        env["wsgi.input"] = io.BytesIO(body)
        operation, params = get_service_router(service).match(Request(env))
        return f"{service}:{operation.name}", dict(params or {})
    except Exception:  # noqa: BLE001  (an unknown route: moto answers it; the name is unknown)
        return f"{service}:?", {}


def describe(environ: dict[str, Any], body: bytes) -> Call | None:
    m = CREDENTIAL.search(environ.get("HTTP_AUTHORIZATION", ""))
    if not m:
        return None  # unsigned: not a call an SDK client makes
    access_key, region, service = m.groups()
    account = _account_of(environ, access_key)
    with LOCK:
        configured = account in ACCOUNTS
    if not configured:
        return None
    operation, params = _operation(service, environ, body)
    path = environ.get("PATH_INFO", "")
    query = environ.get("QUERY_STRING", "")
    method = environ.get("REQUEST_METHOD", "")
    text = "\n".join([unquote(path), unquote(query), body.decode("utf-8", "replace")])
    try:
        text += "\n" + "\n".join(v for vs in parse_qs(body.decode("utf-8", "replace")).values() for v in vs)
    except ValueError:
        pass
    fingerprint = b"\0".join([account.encode(), region.encode(), service.encode(), method.encode(),
                              path.encode("utf-8", "replace"), "&".join(sorted(query.split("&"))).encode(),
                              body])
    return Call(account, region, service, operation, text, fingerprint, params)


def _matches(patterns: Iterable[str], op: str) -> bool:
    return any(fnmatch.fnmatchcase(op, p) for p in patterns)


def decide(call: Call, now: float | None = None) -> tuple[str | None, int]:
    """(kind, status) of the fault for this request, or (None, 0); counts it. `now`: its arrival
    (time.monotonic()), which the quota buckets are charged at."""
    with LOCK:
        state = ACCOUNTS.get(call.account)
        if state is None:
            return None, 0
        s = state.settings
        kind: str | None = None
        status = 0
        in_regions = s.regions is None or call.region in s.regions
        if in_regions and s.deny and call.operation not in NEVER_DENIED and _matches(s.deny, call.operation):
            kind = "access_denied"
        if kind is None and s.quota and state.over_quota(
                call.region, call.operation, time.monotonic() if now is None else now):
            kind = "throttle"
        if kind is None and in_regions:
            for i, rule in enumerate(s.always_fail):
                if fnmatch.fnmatchcase(call.operation, rule.operation) and rule.resource in call.text:
                    kind, status = ("error500" if rule.status == 500 else "error503"), rule.status
                    state.rule_hits[i] += 1
                    break
        if kind is None and in_regions and s.rate > 0 and (s.services is None or call.service in s.services) \
                and (s.operations is None or _matches(s.operations, call.operation)):
            key = hashlib.sha256(call.fingerprint).hexdigest()
            n = state.seen.get(key, 0)
            state.seen[key] = n + 1
            h = hashlib.sha256(f"{s.seed}|{n}|{key}".encode()).digest()
            if int.from_bytes(h[:8], "big") / 2.0 ** 64 < s.rate:
                kind = s.kinds[int.from_bytes(h[8:12], "big") % len(s.kinds)]
        state.record(call.operation, kind)
        return kind, status


# ---------------------------------------------------------------- answers in AWS's wire formats

def _protocol(service: str) -> str:
    try:
        from moto.core.utils import get_service_model

        return str(get_service_model(service).metadata.get("protocol", "query"))
    except Exception:  # noqa: BLE001
        return "query"


def _caller(call: Call, access_key: str) -> str:
    try:
        from moto.sts.models import sts_backends

        return sts_backends[call.account]["global"].get_caller_identity(access_key, call.region)[1]
    except Exception:  # noqa: BLE001
        return f"arn:aws:iam::{call.account}:root"


def error_answer(call: Call, kind: str, access_key: str = "") -> tuple[int, list[tuple[str, str]], bytes]:
    """(status, headers, body) of an error of this kind, as the call's service sends it."""
    svc, action = call.service, call.operation
    fault = "Sender"
    extra_headers: list[tuple[str, str]] = []
    if kind == "throttle":
        status, code, message = THROTTLE.get(svc, (400, "ThrottlingException", "Rate exceeded"))
        if svc == "lambda":
            extra_headers.append(("Retry-After", "1"))
    elif kind == "error500":
        status, code, fault = 500, INTERNAL.get(svc, "InternalFailure"), "Receiver"
        message = "We encountered an internal error. Please try again."
    elif kind == "error503":
        status, code, fault = 503, UNAVAILABLE.get(svc, "ServiceUnavailableException"), "Receiver"
        message = "The service is unavailable. Please try again shortly."
    else:  # access_denied
        status, code = DENIED.get(svc, (403, "AccessDeniedException"))
        resource = call.uri_params.get("FunctionName") or "*"
        if resource != "*" and not str(resource).startswith("arn:"):
            resource = f"arn:aws:lambda:{call.region}:{call.account}:function:{resource}"
        message = (f"User: {_caller(call, access_key)} is not authorized to perform: {action} on resource: "
                   f"{resource} because no identity-based policy allows the {action} action")
        if svc == "ec2":
            message = f"You are not authorized to perform this operation. {message}"
        elif svc == "organizations":
            message = "You don't have permissions to access this resource."
    rid = str(uuid.uuid4())
    protocol = _protocol(svc)
    headers = [("x-amzn-RequestId", rid)] + extra_headers
    if protocol == "rest-json":
        if svc == "securityhub":
            doc: dict[str, Any] = {"Code": code, "Message": message}
        else:
            # Lambda's error shapes: "Type" User/Service, "message" or "Message" as each shape names it.
            key = "message" if code in ("TooManyRequestsException",) else "Message"
            doc = {"Type": "User" if fault == "Sender" else "Service", key: message}
            if code == "TooManyRequestsException":
                doc["Reason"] = "CallerRateLimitExceeded"
        headers += [("x-amzn-ErrorType", code), ("Content-Type", "application/json")]
        body = json.dumps(doc)
    elif protocol == "json":
        headers.append(("Content-Type", "application/x-amz-json-1.1"))
        body = json.dumps({"__type": code, "Message": message})
    elif protocol == "ec2":
        headers.append(("Content-Type", "text/xml;charset=UTF-8"))
        body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>{code}</Code>'
                f"<Message>{escape(message)}</Message></Error></Errors><RequestID>{rid}</RequestID></Response>")
    else:
        ns = QUERY_NAMESPACES.get(svc, f"https://{svc}.amazonaws.com/doc/")
        headers.append(("Content-Type", "text/xml"))
        body = (f'<ErrorResponse xmlns="{ns}"><Error><Type>{fault}</Type><Code>{code}</Code>'
                f"<Message>{escape(message)}</Message></Error><RequestId>{rid}</RequestId></ErrorResponse>")
    data = body.encode()
    headers.append(("Content-Length", str(len(data))))
    return status, headers, data


class _Cut(ConnectionAbortedError):
    """Raised after the socket was closed on purpose: werkzeug treats it as a dropped connection and
    writes nothing more (serving.py: connection_dropped_errors)."""


def _close(environ: dict[str, Any]) -> None:
    sock = environ.get("werkzeug.socket")
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
    raise _Cut("vpcwarden fault: connection closed")


def _truncate(app: Callable[..., Any], environ: dict[str, Any]) -> None:
    """moto's real answer, headers and half the body, then the connection is cut."""
    captured: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[..., Any]:
        captured["status"], captured["headers"] = status, headers
        return lambda data: None

    chunks = app(environ, start_response)
    try:
        body = b"".join(chunks)
    finally:
        if hasattr(chunks, "close"):
            chunks.close()
    length = max(len(body), 2)
    head = [f"HTTP/1.1 {captured.get('status', '200 OK')}"]
    head += [f"{k}: {v}" for k, v in captured.get("headers", [])
             if k.lower() not in ("content-length", "transfer-encoding", "connection")]
    head += [f"Content-Length: {length}", "Connection: close", "", ""]
    sock = environ.get("werkzeug.socket")
    if sock is not None:
        try:
            sock.sendall("\r\n".join(head).encode("latin-1") + body[: len(body) // 2])
        except OSError:
            pass
    _close(environ)


# ---------------------------------------------------------------- control API

def _control(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    method = environ.get("REQUEST_METHOD", "GET")
    account = (parse_qs(environ.get("QUERY_STRING", "")).get("account") or [None])[0]

    def answer(status: str, doc: Any) -> list[bytes]:
        data = json.dumps(doc, sort_keys=True).encode()
        start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
        return [data]

    if method == "POST":
        try:
            acct, settings = parse_settings(json.loads(_read_body(environ) or b"null"))
        except (ValueError, SettingsError) as e:
            return answer("400 Bad Request", {"error": str(e)})
        with LOCK:
            ACCOUNTS[acct] = AccountFaults(settings, rule_hits=[0] * len(settings.always_fail))
        return answer("200 OK", {"account": acct, "settings": settings.to_json()})
    if method == "GET":
        with LOCK:
            state = ACCOUNTS.get(account or "")
            doc = {"account": account, "settings": state.settings.to_json() if state else None,
                   "stats": state.stats() if state else None}
        return answer("200 OK", doc)
    if method == "DELETE":
        with LOCK:
            if account:
                ACCOUNTS.pop(account, None)
            else:
                ACCOUNTS.clear()
        return answer("200 OK", {"cleared": account or "all"})
    return answer("405 Method Not Allowed", {"error": f"{method} is not one of POST, GET, DELETE"})


# ---------------------------------------------------------------- the WSGI layer

def wrap(app_call: Callable[..., Any]) -> Callable[..., Any]:
    """The dispatcher's __call__ with the fault mode in front of it."""

    def call(self: Any, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if environ.get("PATH_INFO", "").startswith(CONTROL_PATH):
            return _control(environ, start_response)
        with LOCK:
            active = bool(ACCOUNTS)
        if not active:
            return app_call(self, environ, start_response)
        arrived = time.monotonic()
        body = _read_body(environ)
        c = describe(environ, body)
        if c is None:
            return app_call(self, environ, start_response)
        kind, _ = decide(c, arrived)
        with LOCK:
            state = ACCOUNTS.get(c.account)
            latency_ms = state.settings.latency_ms if state else 0
        if latency_ms:
            time.sleep(latency_ms / 1000.0)  # outside LOCK: this thread alone waits
        if kind is None:
            return app_call(self, environ, start_response)
        if kind == "slow":
            with LOCK:
                state = ACCOUNTS.get(c.account)
                ms = state.settings.slow_ms if state else 0
            time.sleep(ms / 1000.0)
            return app_call(self, environ, start_response)
        if kind == "drop":
            _close(environ)
        if kind == "truncate":
            _truncate(lambda e, s: app_call(self, e, s), environ)
        m = CREDENTIAL.search(environ.get("HTTP_AUTHORIZATION", ""))
        status, headers, data = error_answer(c, kind, m.group(1) if m else "")
        reason = {400: "Bad Request", 403: "Forbidden", 429: "Too Many Requests", 500: "Internal Server Error",
                  503: "Service Unavailable"}.get(status, "Error")
        start_response(f"{status} {reason}", headers)
        return [data]

    return call


_INSTALLED: list[Callable[..., Any]] = []


def install() -> None:
    """Put the fault mode in front of moto's request dispatcher (idempotent); off until a test posts."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    if _INSTALLED:
        return
    _INSTALLED.append(DomainDispatcherApplication.__call__)
    DomainDispatcherApplication.__call__ = wrap(DomainDispatcherApplication.__call__)  # type: ignore[method-assign]

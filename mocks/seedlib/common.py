"""Shared plumbing for the moto seeders: loopback guard, per-account sessions, clients."""

from __future__ import annotations

import io
import json
import os
import sys
import threading
import time
import urllib.parse
import urllib.request
import zipfile
from typing import Any

# Never let a developer's real AWS configuration leak into seeding.
for _var in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "AWS_ROLE_ARN",
             "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
             "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"):
    os.environ.pop(_var, None)
os.environ["AWS_CONFIG_FILE"] = os.devnull
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"

import boto3  # noqa: E402  (after the env scrub on purpose)
from botocore.config import Config  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

# Credentials of moto's default account (123456789012). Only used to call sts:AssumeRole
# into the scenario's own account; everything else is done with the returned credentials.
BOOTSTRAP_KEY = "testing"
BOOTSTRAP_SECRET = "testing"
SEEDER_ROLE = "vpcwarden-seeder"
LAMBDA_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                   "Action": "sts:AssumeRole"}],
}


def log(msg: str) -> None:
    print(f"seed: {msg}", file=sys.stderr, flush=True)


def check_loopback(endpoint: str) -> str:
    u = urllib.parse.urlparse(endpoint)
    if u.scheme != "http" or u.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"refusing non-loopback endpoint {endpoint!r}: seeding only talks to 127.0.0.1")
    return endpoint.rstrip("/")


def moto_api_post(endpoint: str, path: str, body: bytes) -> bytes:
    # text/plain: with the form content type Flask eats the body and moto sees "".
    req = urllib.request.Request(endpoint + path, data=body, method="POST",
                                 headers={"Content-Type": "text/plain"})
    with urllib.request.urlopen(req, timeout=30) as resp:  # noqa: S310 (loopback only)
        return resp.read()


def lambda_zip(body: str = "def handler(event, context):\n    return {'ok': True}\n",
               name: str = "index.py") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(name, body)
    return buf.getvalue()


def pj(doc: Any) -> str:
    return json.dumps(doc, separators=(",", ":"))


class Account:
    """One moto account reached through sts:AssumeRole. Clients are cached per (service, region)."""

    def __init__(self, endpoint: str, account_id: str, pool: int = 10, role_name: str = SEEDER_ROLE,
                 session_name: str = "vpcwarden-seed"):
        if not (len(account_id) == 12 and account_id.isdigit()):
            raise SystemExit(f"--account must be 12 digits, got {account_id!r}")
        self.endpoint = check_loopback(endpoint)
        self.account_id = account_id
        self.config = Config(retries={"max_attempts": 3, "mode": "standard"},
                             max_pool_connections=pool, connect_timeout=10, read_timeout=120)
        self._lock = threading.Lock()
        self._clients: dict[tuple[str, str], Any] = {}
        sts = boto3.session.Session().client(
            "sts", endpoint_url=self.endpoint, region_name="us-east-1",
            aws_access_key_id=BOOTSTRAP_KEY, aws_secret_access_key=BOOTSTRAP_SECRET,
            config=self.config)
        role_arn = f"arn:aws:iam::{account_id}:role/{role_name}"
        try:
            c = sts.assume_role(RoleArn=role_arn, RoleSessionName=session_name,
                                DurationSeconds=43200)["Credentials"]
        except ClientError as e:
            if e.response["Error"].get("Code") in ("InvalidClientTokenId", "AccessDenied",
                                                   "SignatureDoesNotMatch"):
                raise SystemExit(
                    f"moto at {self.endpoint} enforces IAM (an access-denied scenario already ran "
                    "on it): seed other scenarios on the shared server, and use one fresh dedicated "
                    "server per access-denied scenario") from e
            raise
        self.role_arn = role_arn
        self.credentials = {
            "AWS_ACCESS_KEY_ID": c["AccessKeyId"],
            "AWS_SECRET_ACCESS_KEY": c["SecretAccessKey"],
            "AWS_SESSION_TOKEN": c["SessionToken"],
        }
        ident = self.client("sts").get_caller_identity()
        if ident["Account"] != account_id:
            raise SystemExit(f"moto put the assumed role in {ident['Account']}, not {account_id}")

    def client(self, service: str, region: str = "us-east-1") -> Any:
        key = (service, region)
        with self._lock:
            if key not in self._clients:
                self._clients[key] = boto3.session.Session().client(
                    service, endpoint_url=self.endpoint, region_name=region,
                    aws_access_key_id=self.credentials["AWS_ACCESS_KEY_ID"],
                    aws_secret_access_key=self.credentials["AWS_SECRET_ACCESS_KEY"],
                    aws_session_token=self.credentials["AWS_SESSION_TOKEN"],
                    config=self.config)
            return self._clients[key]

    def create_seeder_role(self) -> str:
        """Make the assumed role exist in IAM too (moto does not require it, AWS would).

        Trusts moto's default account; carries no permission policy, so it is invisible to the
        Lambda-centric checks."""
        iam = self.client("iam")
        try:
            iam.get_role(RoleName=SEEDER_ROLE)
            raise SystemExit(f"account {self.account_id} was already seeded on this server: "
                             "use a fresh --account per seeding")
        except iam.exceptions.NoSuchEntityException:
            pass
        iam.create_role(
            RoleName=SEEDER_ROLE,
            AssumeRolePolicyDocument=pj({"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                "Action": "sts:AssumeRole"}]}),
            Description="vpcwarden test seeder (moto only)")
        return self.role_arn

    def fn_arn(self, region: str, name: str) -> str:
        return f"arn:aws:lambda:{region}:{self.account_id}:function:{name}"

    def role(self, name: str) -> str:
        return f"arn:aws:iam::{self.account_id}:role/{name}"


class Timer:
    def __init__(self) -> None:
        self.t0 = time.monotonic()

    def elapsed(self) -> float:
        return time.monotonic() - self.t0


def create_org(mgmt: "Account") -> dict:
    """Creates an organization with this account as management account, SCPs enabled on the root."""
    org = mgmt.client("organizations")
    o = org.create_organization(FeatureSet="ALL")["Organization"]
    root = org.list_roots()["Roots"][0]
    if not any(p["Type"] == "SERVICE_CONTROL_POLICY" and p["Status"] == "ENABLED"
               for p in root.get("PolicyTypes", [])):
        try:
            org.enable_policy_type(RootId=root["Id"], PolicyType="SERVICE_CONTROL_POLICY")
        except org.exceptions.PolicyTypeAlreadyEnabledException:
            pass
    return {"organization_id": o["Id"], "organization_arn": o["Arn"], "root_id": root["Id"],
            "root_arn": root["Arn"], "management_account_id": mgmt.account_id}

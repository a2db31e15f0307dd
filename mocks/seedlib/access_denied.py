"""Scenario `access-denied`: one caller for whom exactly one (or a few) operation(s) are denied.

moto only checks IAM policies when its global auth switch is on, and the switch is per server
process, so this scenario MUST run against a DEDICATED moto server (never the shared one other
tests use). Recipe (what the test does):

  1. start a second server with `$VPCWARDEN_PYTHON mocks/seedlib/auth_server.py -H 127.0.0.1 -p PORT2`
     (= moto_server plus two fixes, see that file; same env as the shared one; no
     INITIAL_NO_AUTH_ACTION_COUNT needed: it defaults to "never enforce" and step 2 switches);
  2. `seed.py --endpoint http://127.0.0.1:PORT2 --scenario access-denied --account ACCT
     [--deny lambda:GetPolicy]` which, with enforcement still off:
       - seeds a small account (one VPC, function `ad-vpc` in it, function `ad-public` without VPC
         and with a resource policy),
       - creates role `vpcwarden-auditor` (inline policy: Allow * on *, Deny the --deny actions),
       - assumes it and keeps those temporary credentials,
       - POSTs "0" to /moto-api/reset-auth: from now on EVERY request to that server is checked
         (SigV4 signature recomputed, caller's policies evaluated; sts:GetCallerIdentity is always
         allowed),
       - verifies with the auditor credentials that the denied call fails and an allowed one works;
  3. run vpcwarden with the returned credentials (the auditor role); only the denied operation
     fails (Lambda/Organizations: HTTP 403 AccessDeniedException; EC2: UnauthorizedOperation;
     IAM/STS: AccessDenied; `resources.verified` lists what each probed call returned);
  4. kill the dedicated server (its auth switch cannot be trusted by anyone else afterwards).
"""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from .common import Account, log, moto_api_post, pj
from .lambda_vpc_mix import create_fn
from .network import build_vpc

AUDITOR_ROLE = "vpcwarden-auditor"
DENIED_CODES = {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation",
                "SignatureDoesNotMatch", "InvalidSignatureException", "AuthFailure",
                "InvalidClientTokenId", "UnrecognizedClientException", "403"}


def _probe_calls(fn: str) -> dict[str, Any]:
    """action -> (service, region, method, kwargs) used to verify enforcement."""
    return {
        "lambda:GetPolicy": ("lambda", "us-east-1", "get_policy", {"FunctionName": fn}),
        "lambda:ListFunctions": ("lambda", "us-east-1", "list_functions", {}),
        "lambda:GetFunctionUrlConfig": ("lambda", "us-east-1", "get_function_url_config", {"FunctionName": fn}),
        "lambda:ListEventSourceMappings": ("lambda", "us-east-1", "list_event_source_mappings", {}),
        "ec2:DescribeRouteTables": ("ec2", "us-east-1", "describe_route_tables", {}),
        "ec2:DescribeVpcs": ("ec2", "us-east-1", "describe_vpcs", {}),
        "ec2:DescribeNetworkInterfaces": ("ec2", "us-east-1", "describe_network_interfaces", {}),
        "ec2:DescribeRegions": ("ec2", "us-east-1", "describe_regions", {}),
        "iam:GetAccountAuthorizationDetails": ("iam", "us-east-1", "get_account_authorization_details",
                                               {"Filter": ["Role"]}),
        "organizations:DescribeOrganization": ("organizations", "us-east-1", "describe_organization", {}),
        "sqs:ListQueues": ("sqs", "us-east-1", "list_queues", {}),
        "sts:GetCallerIdentity": ("sts", "us-east-1", "get_caller_identity", {}),
    }


def _outcome(acct: Account, call: tuple[str, str, str, dict[str, Any]]) -> str:
    svc, region, method, kw = call
    try:
        getattr(acct.client(svc, region), method)(**kw)
        return "ok"
    except ClientError as e:
        return f"{e.response['Error'].get('Code')} (HTTP {e.response['ResponseMetadata'].get('HTTPStatusCode')})"


def seed(acct: Account, args: Any) -> dict[str, Any]:
    deny = args.deny or ["lambda:GetPolicy"]
    net = build_vpc(acct.client("ec2", "us-east-1"), "us-east-1", 40, prefix="ad")
    iam = acct.client("iam")
    iam.create_role(RoleName="ad-exec-role", AssumeRolePolicyDocument=pj({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {
            "Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))
    iam.attach_role_policy(RoleName="ad-exec-role",
                           PolicyArn="arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")
    vpc_fn = create_fn(acct, "us-east-1", "ad-vpc", "python3.12", "ad-exec-role", {
        "SubnetIds": [net["private_a"], net["private_b"]], "SecurityGroupIds": [net["function_sg"]]})
    pub_fn = create_fn(acct, "us-east-1", "ad-public", "python3.12", "ad-exec-role")
    lam = acct.client("lambda", "us-east-1")
    lam.add_permission(FunctionName="ad-public", StatementId="public-invoke",
                       Action="lambda:InvokeFunction", Principal="*")

    iam.create_role(RoleName=AUDITOR_ROLE, AssumeRolePolicyDocument=pj({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {
            "AWS": f"arn:aws:iam::{acct.account_id}:root"}, "Action": "sts:AssumeRole"}]}))
    iam.put_role_policy(RoleName=AUDITOR_ROLE, PolicyName="audit-all-but", PolicyDocument=pj({
        "Version": "2012-10-17", "Statement": [
            {"Sid": "AllowAll", "Effect": "Allow", "Action": "*", "Resource": "*"},
            {"Sid": "DenyOne", "Effect": "Deny", "Action": deny, "Resource": "*"}]}))
    auditor = Account(acct.endpoint, acct.account_id, role_name=AUDITOR_ROLE,
                      session_name="vpcwarden-audit")

    # Flip the server-wide switch: every later request is authenticated and authorized.
    prev = json.loads(moto_api_post(acct.endpoint, "/moto-api/reset-auth", b"0"))
    log(f"access-denied: IAM enforcement ON for {acct.endpoint} (was {prev})")

    probes = _probe_calls("ad-public")
    verified: dict[str, str] = {a: _outcome(auditor, call) for a, call in probes.items()}
    # Denied = an authorization error; "ok" and domain errors (ResourceNotFound, NotInUse) = allowed.
    wrong = [a for a, out in verified.items()
             if (out.split(" ")[0] in DENIED_CODES)
             != (a in deny and a != "sts:GetCallerIdentity")]
    if wrong:
        raise SystemExit(f"access-denied: moto did not enforce as expected for {wrong}: {verified}. "
                         "Was the server started with mocks/seedlib/auth_server.py?")
    log(f"access-denied: verified {verified}")
    return {
        "regions": ["us-east-1"],
        "credentials": auditor.credentials,
        "expect": {"function-not-in-vpc": {"fail": [pub_fn], "pass": [vpc_fn], "not_evaluated": []}},
        "resources": {
            "denied_actions": deny,
            "auditor_role": acct.role(AUDITOR_ROLE),
            "functions": {"ad-vpc": vpc_fn, "ad-public": pub_fn},
            "vpc": net,
            "auth_enforced": True,
            "verified": verified,
        },
    }

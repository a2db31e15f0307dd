"""Scenario `function-exposure`: who can invoke a function, and what its execution role may do (one
account, us-east-1; a second account publishes a Lambda layer).

Covers LAMBDA001 function-policy-public, LAMBDA002 function-runtime-deprecated, LAMBDA103
function-policy-unscoped-service, LAMBDA104 function-url-auth-none, LAMBDA105
function-url-cors-wildcard, LAMBDA106 function-layer-cross-account, IAM004 role-logs-missing, IAM005
role-event-source-permission-missing and IAM006 role-invoke-any-function.

Functions (python3.12 unless said; role in brackets):
  pub-star            [role-good]   Principal "*", lambda:InvokeFunction, no condition -> public
  pub-all-actions     [role-good]   Principal "*", lambda:* -> public (stands in for {"AWS":"*"}, see below)
  org-scoped          [role-invoker] Principal "*" + aws:PrincipalOrgID -> not public
  src-scoped          [role-good]   s3.amazonaws.com + AWS:SourceArn + AWS:SourceAccount -> scoped
  svc-unscoped        [role-good]   sns.amazonaws.com, no condition -> confused deputy
  svc-account-only    [role-scoped-invoker] events.amazonaws.com + AWS:SourceAccount (this account)
  acct-grant          [role-nologs] Principal {"AWS": "arn:aws:iam::123456789012:root"}
  url-none-public     [role-good]   URL NONE, CORS ["*"], FunctionURLAllowPublicAccess statement
  url-none-nopolicy   [role-good]   URL NONE, no policy (answers 403: medium)
  url-iam             [role-good]   URL AWS_IAM, CORS ["https://app.example.com"]
  old-runtime         [role-good]   python3.7 (deprecated)
  old-go              [role-good]   go1.x (deprecated)
  image-fn            [role-good]   PackageType Image, no runtime
  layered             [role-good]   layer of the second account -> cross-account (moto: see below)
  own-layer           [role-good]   layer of this account
  sqs-consumer        [role-good]   SQS mapping on jobs-queue (role may read it)
  sqs-consumer-nosqs  [role-nosqs]  SQS mapping on audit-queue (role has no SQS rights)

Roles (all trust lambda.amazonaws.com, inline policies only, no AWS managed policy: works without
MOTO_IAM_LOAD_MANAGED_POLICIES):
  role-good            logs on log-group:/aws/lambda/* + sqs read on jobs-queue
  role-nologs          dynamodb:GetItem only                      -> role-logs-missing
  role-nosqs           logs only, used by an SQS consumer          -> role-event-source-permission-missing
  role-invoker         seed 002's SAM policy (logs, ENI actions, lambda:InvokeFunction on *)
                                                                   -> role-invoke-any-function
                       (it also fails role-eni-write-unconditioned, not part of expect)
  role-scoped-invoker  logs + lambda:InvokeFunction on function:orders-*

The second account (the layer owner) is --account + 500000000000 (mod 10^12), reached through its
own vpcwarden-seeder role like the main one; it must be fresh too.

moto 5.2 deviations, and what the seeder does about them (resources.moto_deviations has them too):
  * Cross-account layers do not exist in moto: a function's Layers are looked up BY NAME in the
    function's own account (the account in the ARN is ignored). CreateFunction with the second
    account's layer ARN answers ResourceNotFoundException; had this account a layer of the same
    name, moto would silently store THIS account's ARN. So `layered` is attempted and, when moto
    refuses, left out (resources.layered_created = false) and function-layer-cross-account has no
    fail in this scenario; a moto that accepts it gets `layered` in the fail list.
  * AddPermission(FunctionUrlAuthType=NONE) is stored as a top-level statement element
    "FunctionUrlAuthType": "NONE" instead of Condition {"StringEquals": {"lambda:FunctionUrlAuthType":
    "NONE"}}; the policy engine rejects unknown statement elements, so the whole policy would be
    invalid. The seeder omits FunctionUrlAuthType: FunctionURLAllowPublicAccess is then Principal "*",
    lambda:InvokeFunctionUrl with no condition, which the URL probe (auth type NONE) judges the same.
  * A bare account id Principal ("123456789012") is stored as that string (AWS stores
    {"AWS": "arn:aws:iam::123456789012:root"}); the seeder passes the root ARN, which moto stores in
    AWS's shape.
  * Principal {"AWS": "*"} cannot be made: AddPermission's Principal is a string and moto decodes the
    request body with an object_hook that breaks nested objects, so no raw request can carry it
    either. pub-all-actions (Principal "*", Action lambda:*) is the public case with a wildcard action.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from botocore.exceptions import ClientError

from .common import LAMBDA_TRUST, Account, lambda_zip, log, pj

REGION = "us-east-1"
OTHER_ACCOUNT = "123456789012"  # acct-grant's grantee
ORG_ID = "o-exampleorgid"
LOGS = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
SQS_READ = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
ROLES = ["role-good", "role-nologs", "role-nosqs", "role-invoker", "role-scoped-invoker"]
SCENARIO_TAG = {"scenario": "function-exposure"}
SHARED_LAYER = "shared-deps"
OWN_LAYER = "own-deps"


def doc(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def layer_account_of(account_id: str) -> str:
    return f"{(int(account_id) + 500_000_000_000) % 10**12:012d}"


def role_policies(a: str) -> dict[str, dict[str, Any]]:
    logs = {"Sid": "FunctionLogs", "Effect": "Allow", "Action": LOGS,
            "Resource": f"arn:aws:logs:{REGION}:{a}:log-group:/aws/lambda/*"}
    return {
        "role-good": doc(logs, {"Sid": "ConsumeJobsQueue", "Effect": "Allow", "Action": SQS_READ,
                                "Resource": f"arn:aws:sqs:{REGION}:{a}:jobs-queue"}),
        "role-nologs": doc({"Sid": "ReadOrders", "Effect": "Allow", "Action": "dynamodb:GetItem",
                            "Resource": f"arn:aws:dynamodb:{REGION}:{a}:table/orders"}),
        "role-nosqs": doc(logs),
        # Seed 002's SAM VPCLambdaExecutionRole policy (mocks/policies/seed-002-sam-execution-role.json).
        "role-invoker": doc({"Effect": "Allow", "Action": [
            "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents",
            "ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DetachNetworkInterface",
            "ec2:DeleteNetworkInterface", "lambda:InvokeFunction"], "Resource": "*"}),
        "role-scoped-invoker": doc(logs, {"Sid": "InvokeOrders", "Effect": "Allow",
                                          "Action": "lambda:InvokeFunction",
                                          "Resource": f"arn:aws:lambda:{REGION}:{a}:function:orders-*"}),
    }


# name -> (role, runtime; None: an image function)
FUNCTIONS: dict[str, tuple[str, str | None]] = {
    "pub-star": ("role-good", "python3.12"),
    "pub-all-actions": ("role-good", "python3.12"),
    "org-scoped": ("role-invoker", "python3.12"),
    "src-scoped": ("role-good", "python3.12"),
    "svc-unscoped": ("role-good", "python3.12"),
    "svc-account-only": ("role-scoped-invoker", "python3.12"),
    "acct-grant": ("role-nologs", "python3.12"),
    "url-none-public": ("role-good", "python3.12"),
    "url-none-nopolicy": ("role-good", "python3.12"),
    "url-iam": ("role-good", "python3.12"),
    "old-runtime": ("role-good", "python3.7"),
    "old-go": ("role-good", "go1.x"),
    "image-fn": ("role-good", None),
    "own-layer": ("role-good", "python3.12"),
    "sqs-consumer": ("role-good", "python3.12"),
    "sqs-consumer-nosqs": ("role-nosqs", "python3.12"),
}
LAYERED = ("layered", "role-good", "python3.12")


def permissions(a: str) -> dict[str, list[dict[str, Any]]]:
    """AddPermission calls per function (StatementId first)."""
    inv = "lambda:InvokeFunction"
    return {
        "pub-star": [{"StatementId": "public-invoke", "Action": inv, "Principal": "*"}],
        "pub-all-actions": [{"StatementId": "public-all-actions", "Action": "lambda:*", "Principal": "*"}],
        "org-scoped": [{"StatementId": "org-invoke", "Action": inv, "Principal": "*", "PrincipalOrgID": ORG_ID}],
        "src-scoped": [{"StatementId": "s3-invoke", "Action": inv, "Principal": "s3.amazonaws.com",
                        "SourceArn": "arn:aws:s3:::uploads-bucket", "SourceAccount": a}],
        "svc-unscoped": [{"StatementId": "sns-invoke", "Action": inv, "Principal": "sns.amazonaws.com"}],
        "svc-account-only": [{"StatementId": "events-invoke", "Action": inv,
                              "Principal": "events.amazonaws.com", "SourceAccount": a}],
        # The root ARN, not the bare id: moto keeps a bare id as a string (AWS would expand it).
        "acct-grant": [{"StatementId": "partner-invoke", "Action": inv,
                        "Principal": f"arn:aws:iam::{OTHER_ACCOUNT}:root"}],
        # The console's statement, without FunctionUrlAuthType (moto stores it as an unknown
        # top-level element instead of the lambda:FunctionUrlAuthType condition).
        # Since October 2025 a URL call also needs lambda:InvokeFunction (AWS scopes it with the
        # lambda:InvokedViaFunctionUrl condition, which moto's AddPermission cannot carry).
        "url-none-public": [{"StatementId": "FunctionURLAllowPublicAccess", "Action": "lambda:InvokeFunctionUrl",
                             "Principal": "*"},
                            {"StatementId": "FunctionURLInvokeAllowPublicAccess", "Action": "lambda:InvokeFunction",
                             "Principal": "*"}],
    }


def expected_statements(a: str, fn_arn: str, name: str) -> list[dict[str, Any]]:
    """What GetPolicy must return for `name`, statement by statement (moto's key set)."""
    out = []
    for p in permissions(a).get(name, []):
        principal: Any = p["Principal"]
        if principal.endswith(".amazonaws.com"):
            principal = {"Service": principal}
        elif principal.endswith(":root"):
            principal = {"AWS": principal}
        st: dict[str, Any] = {"Sid": p["StatementId"], "Effect": "Allow", "Principal": principal,
                              "Action": p["Action"], "Resource": fn_arn}
        cond: dict[str, dict[str, str]] = {}
        if "SourceArn" in p:
            cond.setdefault("ArnLike", {})["AWS:SourceArn"] = p["SourceArn"]
        if "SourceAccount" in p:
            cond.setdefault("StringEquals", {})["AWS:SourceAccount"] = p["SourceAccount"]
        if "PrincipalOrgID" in p:
            cond.setdefault("StringEquals", {})["aws:PrincipalOrgID"] = p["PrincipalOrgID"]
        if cond:
            st["Condition"] = cond
        out.append(st)
    return out


URLS: dict[str, dict[str, Any]] = {
    "url-none-public": {"AuthType": "NONE", "Cors": {"AllowOrigins": ["*"], "AllowMethods": ["GET"]}},
    "url-none-nopolicy": {"AuthType": "NONE"},
    "url-iam": {"AuthType": "AWS_IAM", "Cors": {"AllowOrigins": ["https://app.example.com"],
                                                "AllowMethods": ["GET", "POST"]}},
}


def create_fn(acct: Account, name: str, role: str, runtime: str | None,
              layers: list[str] | None = None) -> str:
    a = acct.account_id
    kw: dict[str, Any] = {}
    if runtime is None:
        kw.update(PackageType="Image",
                  Code={"ImageUri": f"{a}.dkr.ecr.{REGION}.amazonaws.com/{name}:latest"})
    else:
        kw.update(Runtime=runtime, Handler="main" if runtime.startswith("go") else "index.handler",
                  Code={"ZipFile": lambda_zip()})
    if layers:
        kw["Layers"] = layers
    arn = acct.client("lambda", REGION).create_function(
        FunctionName=name, Role=acct.role(role), Timeout=10, MemorySize=128, Tags=SCENARIO_TAG,
        **kw)["FunctionArn"]
    assert arn == acct.fn_arn(REGION, name), arn
    return arn


def publish_layer(acct: Account, name: str) -> str:
    return acct.client("lambda", REGION).publish_layer_version(
        LayerName=name, Description=f"{name} (vpcwarden function-exposure)",
        Content={"ZipFile": lambda_zip(name="python/deps.py", body="VERSION = 1\n")},
        CompatibleRuntimes=["python3.12"])["LayerVersionArn"]


def seed(acct: Account, args: Any) -> dict[str, Any]:
    a = acct.account_id
    iam = acct.client("iam")
    lam = acct.client("lambda", REGION)
    sqs = acct.client("sqs", REGION)
    deviations: list[str] = []

    # --- the layer owner: a second account, through its own seeder role.
    layer_account = layer_account_of(a)
    owner = Account(acct.endpoint, layer_account)
    owner.create_seeder_role()
    shared_layer = publish_layer(owner, SHARED_LAYER)
    owner.client("lambda", REGION).add_layer_version_permission(
        LayerName=SHARED_LAYER, VersionNumber=int(shared_layer.rsplit(":", 1)[1]),
        StatementId=f"allow-{a}", Action="lambda:GetLayerVersion", Principal=a)
    own_layer = publish_layer(acct, OWN_LAYER)
    assert shared_layer.split(":")[4] == layer_account and own_layer.split(":")[4] == a, (shared_layer, own_layer)
    log(f"function-exposure: layers done ({layer_account} owns {SHARED_LAYER})")

    # --- roles
    pols = role_policies(a)
    roles = {}
    for name in ROLES:
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=pj(LAMBDA_TRUST),
                        Description=f"function-exposure execution role {name}",
                        Tags=[{"Key": k, "Value": v} for k, v in SCENARIO_TAG.items()])
        iam.put_role_policy(RoleName=name, PolicyName=f"{name}-inline", PolicyDocument=pj(pols[name]))
        roles[name] = acct.role(name)

    # --- queues
    queues = {}
    for q in ("jobs-queue", "audit-queue"):
        url = sqs.create_queue(QueueName=q)["QueueUrl"]
        queues[q] = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        assert queues[q] == f"arn:aws:sqs:{REGION}:{a}:{q}", queues[q]
    log("function-exposure: roles and queues done")

    # --- functions
    layers_of = {"own-layer": [own_layer]}
    with ThreadPoolExecutor(max_workers=4) as ex:
        fns = dict(zip(FUNCTIONS, ex.map(
            lambda kv: create_fn(acct, kv[0], kv[1][0], kv[1][1], layers_of.get(kv[0])),
            FUNCTIONS.items())))
    fn_roles = {n: r for n, (r, _) in FUNCTIONS.items()}
    runtimes = {n: rt for n, (_, rt) in FUNCTIONS.items()}
    layered_error = None
    try:
        fns[LAYERED[0]] = create_fn(acct, LAYERED[0], LAYERED[1], LAYERED[2], [shared_layer])
        fn_roles[LAYERED[0]], runtimes[LAYERED[0]] = LAYERED[1], LAYERED[2]
        layers_of[LAYERED[0]] = [shared_layer]
    except ClientError as e:
        err = e.response["Error"]
        if err.get("Code") != "ResourceNotFoundException":
            raise
        layered_error = f"{err.get('Code')}: {err.get('Message')}"
        deviations.append(
            "cross-account layer: CreateFunction(layered, Layers=[" + shared_layer + "]) answered "
            + layered_error + " (moto resolves layer ARNs by name in the function's own account); "
            "`layered` was not created")
    log(f"function-exposure: functions done (layered {'created' if layered_error is None else 'refused by moto'})")

    # --- resource policies, URLs, event source mappings
    for name, perms in permissions(a).items():
        for p in perms:
            lam.add_permission(FunctionName=name, **p)
    urls = {}
    for name, cfg in URLS.items():
        urls[name] = lam.create_function_url_config(FunctionName=name, **cfg)["FunctionUrl"]
    mappings = {
        "sqs-consumer": lam.create_event_source_mapping(
            EventSourceArn=queues["jobs-queue"], FunctionName="sqs-consumer", BatchSize=10)["UUID"],
        "sqs-consumer-nosqs": lam.create_event_source_mapping(
            EventSourceArn=queues["audit-queue"], FunctionName="sqs-consumer-nosqs", BatchSize=10)["UUID"],
    }
    log("function-exposure: policies, URLs and mappings done")

    verify(acct, fns, fn_roles, runtimes, layers_of, urls, mappings, queues, pols)
    log("function-exposure: verified")

    deviations += [
        "AddPermission(FunctionUrlAuthType=NONE) is stored as a top-level statement element, not as "
        "Condition StringEquals lambda:FunctionUrlAuthType; the seeder leaves the parameter out, so "
        "url-none-public's FunctionURLAllowPublicAccess has no Condition",
        "a bare account id Principal stays a string; acct-grant uses arn:aws:iam::123456789012:root",
        "Principal {\"AWS\": \"*\"} cannot be seeded; pub-all-actions uses Principal \"*\" + lambda:*",
        "image-fn: moto stubs ECR (the image is not checked) and reports Runtime and Handler null",
    ]

    def fa(*names: str) -> list[str]:
        return [fns[n] for n in names if n in fns]

    def ra(*names: str) -> list[str]:
        return [roles[n] for n in names]

    def exp(fail: list[str], passed: list[str]) -> dict[str, list[str]]:
        return {"fail": fail, "pass": passed, "not_evaluated": []}

    def rest(fail: list[str]) -> list[str]:
        return [arn for arn in fns.values() if arn not in fail]

    public = fa("pub-star", "pub-all-actions", "url-none-public")
    unscoped = fa("svc-unscoped")
    url_none = fa("url-none-public", "url-none-nopolicy")
    cors = fa("url-none-public")
    deprecated = fa("old-runtime", "old-go")
    cross_layer = fa("layered")
    expect = {
        "function-policy-public": exp(public, rest(public)),
        "function-policy-unscoped-service": exp(unscoped, rest(unscoped)),
        "function-url-auth-none": exp(url_none, rest(url_none)),
        "function-url-cors-wildcard": exp(cors, rest(cors)),
        "function-runtime-deprecated": exp(deprecated, rest(deprecated)),
        "function-layer-cross-account": exp(cross_layer, rest(cross_layer)),
        "role-logs-missing": exp(ra("role-nologs"), [roles[n] for n in ROLES if n != "role-nologs"]),
        "role-event-source-permission-missing": exp(ra("role-nosqs"), ra("role-good")),
        "role-invoke-any-function": exp(ra("role-invoker"), [roles[n] for n in ROLES if n != "role-invoker"]),
    }
    return {
        "regions": [REGION],
        "expect": expect,
        "resources": {
            "functions": fns,
            "function_roles": fn_roles,
            "runtimes": runtimes,
            "roles": roles,
            "role_policies": pols,
            "resource_policies": {n: [p["StatementId"] for p in ps] for n, ps in permissions(a).items()},
            "function_urls": {n: {"url": urls[n], "auth_type": URLS[n]["AuthType"],
                                  "cors_allow_origins": URLS[n].get("Cors", {}).get("AllowOrigins", [])}
                              for n in URLS},
            "queues": queues,
            "event_source_mappings": {n: {"uuid": u, "function": fns[n],
                                          "source": queues["jobs-queue" if n == "sqs-consumer" else "audit-queue"],
                                          "role": roles[fn_roles[n]]}
                                      for n, u in mappings.items()},
            "layers": {"layer_account_id": layer_account, "shared_layer_arn": shared_layer,
                       "own_layer_arn": own_layer, "function_layers": layers_of,
                       "layered_created": layered_error is None, "layered_error": layered_error},
            "expected_severity": {
                "function-url-auth-none": {fns["url-none-public"]: "high", fns["url-none-nopolicy"]: "medium"},
                "function-runtime-deprecated": {fns["old-runtime"]: "medium", fns["old-go"]: "medium"},
            },
            # The statements that make a function fail (evidence), by Sid.
            "expected_evidence_sids": {
                "function-policy-public": {fns["pub-star"]: ["public-invoke"],
                                           fns["pub-all-actions"]: ["public-all-actions"],
                                           fns["url-none-public"]: ["FunctionURLInvokeAllowPublicAccess"]},
                "function-policy-unscoped-service": {fns["svc-unscoped"]: ["sns-invoke"]},
                "function-url-auth-none": {fns["url-none-public"]: ["FunctionURLAllowPublicAccess",
                                                                    "FunctionURLInvokeAllowPublicAccess"]},
            },
            "moto_deviations": deviations,
            "notes": ("Role checks: all five roles trust Lambda and are used by functions; role-invoker "
                      "(seed 002's policy) also fails role-eni-write-unconditioned, which is not in expect. "
                      "vpcwarden-seeder trusts 123456789012:root and is used by no function: no role "
                      "finding. python3.12 passes function-runtime-deprecated only while "
                      "checks/lambda-runtimes.toml has its deprecation more than 180 days after the "
                      "snapshot date (AWS: 2028-10-31)."),
        },
    }


def verify(acct: Account, fns: dict[str, str], fn_roles: dict[str, str], runtimes: dict[str, str | None],
           layers_of: dict[str, list[str]], urls: dict[str, str], mappings: dict[str, str],
           queues: dict[str, str], pols: dict[str, dict[str, Any]]) -> None:
    """Reads everything back the way the collector does and fails seeding if moto stored another shape."""
    a = acct.account_id
    lam = acct.client("lambda", REGION)
    iam = acct.client("iam")
    problems: list[str] = []

    def check(cond: bool, what: str) -> None:
        if not cond:
            problems.append(what)

    listed = {f["FunctionName"]: f for f in lam.get_paginator("list_functions").paginate()
              .build_full_result()["Functions"]}
    check(sorted(listed) == sorted(fns), f"functions {sorted(listed)}")
    for name, arn in fns.items():
        f = listed.get(name, {})
        check(f.get("FunctionArn") == arn, f"{name} arn {f.get('FunctionArn')}")
        check(f.get("Role") == acct.role(fn_roles[name]), f"{name} role {f.get('Role')}")
        check(f.get("Runtime") == runtimes[name], f"{name} runtime {f.get('Runtime')}")
        check(f.get("PackageType") == ("Image" if runtimes[name] is None else "Zip"),
              f"{name} package type {f.get('PackageType')}")
        check([x["Arn"] for x in f.get("Layers") or []] == layers_of.get(name, []),
              f"{name} layers {f.get('Layers')}")
        want = expected_statements(a, arn, name)
        try:
            got = json.loads(lam.get_policy(FunctionName=name)["Policy"])["Statement"]
        except lam.exceptions.ResourceNotFoundException:
            got = []
        check(got == want, f"{name} policy {got} != {want}")
        try:
            u = lam.get_function_url_config(FunctionName=name)
            got_url = {"AuthType": u["AuthType"], "Cors": u.get("Cors"), "FunctionUrl": u["FunctionUrl"]}
        except lam.exceptions.ResourceNotFoundException:
            got_url = None
        want_url = ({"AuthType": URLS[name]["AuthType"], "Cors": URLS[name].get("Cors"),
                     "FunctionUrl": urls[name]} if name in URLS else None)
        check(got_url == want_url, f"{name} url {got_url} != {want_url}")
    esms = {m["UUID"]: m for m in lam.get_paginator("list_event_source_mappings").paginate()
            .build_full_result()["EventSourceMappings"]}
    check(sorted(esms) == sorted(mappings.values()), f"mappings {sorted(esms)}")
    for name, uuid in mappings.items():
        m = esms.get(uuid, {})
        q = queues["jobs-queue" if name == "sqs-consumer" else "audit-queue"]
        check(m.get("FunctionArn") == fns[name] and m.get("EventSourceArn") == q, f"mapping {name}: {m}")
    for name, want in pols.items():
        r = iam.get_role(RoleName=name)["Role"]
        trust = r["AssumeRolePolicyDocument"]
        trust = json.loads(trust) if isinstance(trust, str) else trust
        check(trust == LAMBDA_TRUST, f"{name} trust {trust}")
        check(iam.list_role_policies(RoleName=name)["PolicyNames"] == [f"{name}-inline"], f"{name} inline")
        got = iam.get_role_policy(RoleName=name, PolicyName=f"{name}-inline")["PolicyDocument"]
        got = json.loads(got) if isinstance(got, str) else got
        check(got == want, f"{name} policy {got}")
        check(iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"] == [], f"{name} attached")
    if problems:
        raise SystemExit(f"function-exposure: verification failed: {problems}")

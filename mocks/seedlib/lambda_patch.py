"""The Lambda surface of issue 13 that moto 5.2.5 lacks, added to the test server in AWS's wire shapes.

Applied by org_server.py (`lambda_patch.install()`, before moto's server starts). What moto answers
without it, and every choice made here, is in LAMBDA-SURFACE-NOTES.md next to this file.

Added (rest-json, URIs and status codes of the botocore model lambda/2015-03-31, which the Rust SDK
aws-sdk-lambda 1.156 shares):
  capacity providers   CreateCapacityProvider (POST /2025-11-30/capacity-providers, 202),
                       GetCapacityProvider, ListCapacityProviders, ListFunctionVersionsByCapacityProvider
                       (GET, 200), UpdateCapacityProvider (PUT, 202), DeleteCapacityProvider (DELETE, 202)
  function config      CreateFunction / UpdateFunctionConfiguration keep CapacityProviderConfig (the
                       provider must exist in the caller's account and region); every configuration
                       moto renders (ListFunctions, GetFunction, GetFunctionConfiguration,
                       ListVersionsByFunction, PublishVersion) returns it
  qualified policies   AddPermission / GetPolicy / RemovePermission with a version or alias qualifier
                       (?Qualifier= or name:qualifier or a qualified ARN) read and write a policy of
                       that qualifier alone; unqualified (and $LATEST) calls are moto's, unchanged
  full policies        PutResourcePolicy / GetResourcePolicy (/2026-07-09/resource-policy/{ResourceArn},
                       200) and DeleteResourcePolicy (204) on a function, version or alias ARN; they
                       share the policy that GetPolicy/AddPermission/RemovePermission see
  alias URLs           Create/Get/Update/DeleteFunctionUrlConfig with an alias Qualifier keep one URL
                       per alias (FunctionArn is the alias ARN); ListFunctionUrlConfigs
                       (GET /2021-10-31/functions/{FunctionName}/urls) lists the function's URL and
                       its aliases' URLs

Errors are AWS's: HTTP status of the model, header x-amzn-ErrorType, body {"Type": "User",
"Message"|"message": ...} (the member name each error shape has in the model).

State lives on moto's LambdaBackend of the caller's account and region (so moto's reset clears it
and nothing is shared between accounts or regions); an ARN naming another account or region is not
found. Deleting a function, a version or an alias deletes its qualified policies and URLs.
"""

from __future__ import annotations

import copy
import json
import re
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable
from urllib.parse import unquote

from moto.awslambda import urls as lambda_urls
from moto.awslambda.models import FunctionUrlConfig, LambdaBackend, LambdaFunction
from moto.awslambda.policy import Policy
from moto.awslambda.responses import LambdaResponse
from moto.core.exceptions import JsonRESTError
from moto.ec2.exceptions import InvalidSubnetIdError
from moto.ec2.models import ec2_backends
from moto.iam.models import iam_backends
from moto.utilities.utils import get_partition

TYPE_RESPONSE = tuple[int, dict[str, Any], str]

# Flask routes moto's Lambda app lacks (the botocore router then names the operation).
URL_PATHS = {
    r"{0}/(?P<api_version>[^/]+)/capacity-providers/?": LambdaResponse.dispatch,
    r"{0}/(?P<api_version>[^/]+)/capacity-providers/(?P<capacity_provider_name>[^/]+)/?": LambdaResponse.dispatch,
    r"{0}/(?P<api_version>[^/]+)/capacity-providers/(?P<capacity_provider_name>[^/]+)/function-versions/?":
        LambdaResponse.dispatch,
    r"{0}/(?P<api_version>[^/]+)/functions/(?P<function_name>[\w_:%-]+)/urls/?": LambdaResponse.dispatch,
    r"{0}/(?P<api_version>[^/]+)/resource-policy/(?P<resource_arn>.+)": LambdaResponse.dispatch,
}

STATE_ATTR = "_vpcwarden_lambda_surface"
LOCK = threading.RLock()  # moto_server is threaded; seeders call it from several threads

NAME_RE = re.compile(r"[a-zA-Z0-9-_]+")
PROVIDER_ARN_RE = re.compile(r"arn:(aws[a-zA-Z-]*):lambda:((?:eusc-)?[a-z]{2}(?:(?:-gov)|(?:-iso[a-z]?))?-[a-z]+-\d):"
                             r"(\d{12}):capacity-provider:([a-zA-Z0-9-_]+)")
FUNCTION_ARN_RE = re.compile(r"arn:(aws[a-zA-Z-]*):lambda:((?:eusc-)?[a-z]{2}(?:(?:-gov)|(?:-iso[a-z]?))?-[a-z]+-\d):"
                             r"(\d{12}):function:([a-zA-Z0-9-_]+)(?::(\$LATEST(?:\.PUBLISHED)?|[a-zA-Z0-9-_]+))?")
ROLE_ARN_RE = re.compile(r"arn:(aws[a-zA-Z-]*)?:iam::(\d{12}):role/?[a-zA-Z_0-9+=,.@\-_/]+")
KMS_ARN_RE = re.compile(r"arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*")
URL_QUALIFIER_RE = re.compile(r"(?!^\d+$)^[0-9a-zA-Z-_]+$")
PROVIDER_STATES = ("Pending", "Active", "Failed", "Deleting")
ARCHITECTURES = ("x86_64", "arm64")
SCALING_MODES = ("Auto", "Manual")
METRICS = ("LambdaCapacityProviderAverageCPUUtilization", "LambdaCapacityProviderAverageGPUUtilization")
LOG_LEVELS = ("DEBUG", "INFO", "WARN")
PROPAGATE_MODES = ("None", "Explicit")
URL_AUTH_TYPES = ("NONE", "AWS_IAM")
INVOKE_MODES = ("BUFFERED", "RESPONSE_STREAM")
NO_RESOURCE = "The resource you requested does not exist."


class LambdaError(JsonRESTError):
    """An error as Lambda sends it: x-amzn-ErrorType header, {"Type": "User", "Message"|"message"}."""

    # Error shapes whose message member is "Message" in the model (the others have "message").
    CAPITAL_MESSAGE = frozenset({"ResourceNotFoundException", "ServiceException"})

    def __init__(self, error_type: str, message: str, status: int = 400) -> None:
        super().__init__(error_type, message)
        self.code = status
        key = "Message" if error_type in self.CAPITAL_MESSAGE else "message"
        self.description = json.dumps({"Type": "User", key: message})


def not_found(message: str = NO_RESOURCE) -> LambdaError:
    return LambdaError("ResourceNotFoundException", message, 404)


def invalid(message: str) -> LambdaError:
    return LambdaError("InvalidParameterValueException", message, 400)


def conflict(message: str) -> LambdaError:
    return LambdaError("ResourceConflictException", message, 409)


def precondition_failed() -> LambdaError:
    return LambdaError("PreconditionFailedException",
                       "The Revision Id provided does not match the latest Revision Id. Call the "
                       "GetResourcePolicy API to retrieve the latest Revision Id", 412)


def validation(value: Any, member: str, constraint: str) -> LambdaError:
    """A constraint of the model broken (Lambda answers these as ValidationException)."""
    return LambdaError("ValidationException",
                       f"1 validation error detected: Value '{value}' at '{member}' failed to satisfy "
                       f"constraint: {constraint}", 400)


def respond(status: int, body: dict[str, Any] | None = None) -> TYPE_RESPONSE:
    # moto takes the status from the "status" header, not from the tuple.
    return status, {"status": status, "Content-Type": "application/json"}, (
        "" if body is None else json.dumps(body))


def now() -> str:
    """Lambda's timestamp format (LastModified): 2025-11-30T12:00:00.000+0000."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "+0000"


class DocumentPolicy(Policy):
    """One resource policy (a function's, a version's or an alias's) as a whole document.

    Built statement by statement through AddPermission (moto's Policy decodes each statement), or
    set whole by PutResourcePolicy, whose text GetPolicy/GetResourcePolicy return verbatim until a
    statement is added or removed (then the document is serialized again)."""

    def __init__(self, parent: LambdaFunction, document: dict[str, Any] | None = None,
                 text: str | None = None) -> None:
        super().__init__(parent)
        self.head: dict[str, Any] = {"Version": "2012-10-17", "Id": "default"}
        self.text = text
        if document is not None:
            self.head = {k: v for k, v in document.items() if k != "Statement"}
            st = document.get("Statement", [])
            self.statements = st if isinstance(st, list) else [st]

    def get_policy(self) -> dict[str, Any]:
        if not self.statements:
            raise not_found()
        return {"Policy": {**self.head, "Statement": self.statements}, "RevisionId": self.revision}

    def policy_text(self) -> str:
        return self.text if self.text is not None else json.dumps(self.get_policy()["Policy"])

    def wire_format(self) -> str:
        p = self.get_policy()
        return json.dumps({"Policy": self.policy_text(), "RevisionId": p["RevisionId"]})

    def add_statement(self, raw: str, qualifier: str | None = None) -> tuple[Any, str]:
        out = super().add_statement(raw, qualifier)
        self.text = None
        return out

    def del_statement(self, sid: str, revision: str = "") -> None:
        super().del_statement(sid, revision)
        self.revision = str(uuid.uuid4())
        self.text = None


class AliasUrlConfig(FunctionUrlConfig):
    """A function URL of one alias: moto's FunctionUrlConfig with the alias ARN and AWS's URL form."""

    def __init__(self, function: LambdaFunction, config: dict[str, Any], alias_arn: str) -> None:
        super().__init__(function, config)
        self.alias_arn = alias_arn
        self.url = f"https://{uuid.uuid4().hex}.lambda-url.{function.region}.on.aws/"

    def to_dict(self) -> dict[str, Any]:
        d = {
            "FunctionUrl": self.url,
            "FunctionArn": self.alias_arn,
            "AuthType": self.config.get("AuthType"),
            "Cors": self.config.get("Cors"),
            "CreationTime": self.created,
            "LastModifiedTime": self.last_modified,
            "InvokeMode": self.config.get("InvokeMode") or "BUFFERED",
        }
        return {k: v for k, v in d.items() if v is not None}

    def update(self, new_config: dict[str, Any]) -> None:
        for key in ("AuthType", "Cors", "InvokeMode"):
            if new_config.get(key) is not None:
                self.config[key] = new_config[key]
        self.last_modified = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000+0000")


@dataclass
class Surface:
    """What this module keeps for one account and region (hung on moto's LambdaBackend)."""

    providers: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> CapacityProvider
    provider_tags: dict[str, dict[str, str]] = field(default_factory=dict)
    policies: dict[tuple[str, str], DocumentPolicy] = field(default_factory=dict)  # (fn, qualifier)
    urls: dict[tuple[str, str], AliasUrlConfig] = field(default_factory=dict)  # (fn, alias)


def surface(backend: LambdaBackend) -> Surface:
    with LOCK:
        s = backend.__dict__.get(STATE_ATTR)
        if s is None:
            s = Surface()
            backend.__dict__[STATE_ATTR] = s
        return s


# ---------------------------------------------------------------- request helpers

def body_of(r: LambdaResponse) -> dict[str, Any]:
    if not r.body:
        return {}
    try:
        doc = json.loads(r.body)
    except ValueError as e:
        raise invalid("The request body is not valid JSON.") from e
    if not isinstance(doc, dict):
        raise invalid("The request body must be a JSON object.")
    return doc


def query(r: LambdaResponse, name: str) -> str | None:
    v = r.querystring.get(name)
    if isinstance(v, list):
        v = v[0] if v else None
    return v


def segment(r: LambdaResponse, index: int) -> str:
    return unquote(r.path.rstrip("/").split("/")[index])


def split_ref(ref: str) -> tuple[str, str | None, str | None, str | None]:
    """A FunctionName as Lambda takes it -> (name, qualifier, account, region); None where absent."""
    if ref.startswith("arn:"):
        m = FUNCTION_ARN_RE.fullmatch(ref)
        if not m:
            return ref, None, None, None  # moto answers it (not found)
        _, region, account, name, qualifier = m.groups()
        return name, qualifier, account, region
    if ":function:" in ref:
        account, rest = ref.split(":function:", 1)
        name, _, qualifier = rest.partition(":")
        return name, qualifier or None, account, None
    name, _, qualifier = ref.partition(":")
    return name, qualifier or None, None, None


def qualified_target(r: LambdaResponse, ref: str) -> tuple[str, str | None]:
    """(function name, qualifier) of a request; the Qualifier parameter and one in the name must agree."""
    name, in_name, account, region = split_ref(ref)
    param = query(r, "Qualifier")
    if param and in_name and param != in_name:
        raise invalid("The derived qualifier from the function name does not match the specified qualifier.")
    qualifier = param or in_name
    if qualifier is not None and qualifier != "$LATEST":
        here(r, account, region, lambda: f"Function not found: {ref}")
    return name, qualifier


def here(r: LambdaResponse, account: str | None, region: str | None, message: Callable[[], str]) -> None:
    """An ARN of another account or region names nothing this caller has."""
    if (account is not None and account != r.current_account) or (region is not None and region != r.region):
        raise not_found(message())


def unqualified(qualifier: str | None) -> bool:
    return qualifier is None or qualifier == "$LATEST"


def function_arn(backend: LambdaBackend, name: str, qualifier: str | None = None) -> str:
    arn = f"arn:{get_partition(backend.region_name)}:lambda:{backend.region_name}:{backend.account_id}:function:{name}"
    return f"{arn}:{qualifier}" if qualifier else arn


def check_revision(given: str | None, policy: Policy | None) -> None:
    if given and (policy is None or policy.revision != given):
        raise precondition_failed()


def paginate(items: list[Any], r: LambdaResponse, limit: int = 50) -> tuple[list[Any], str | None]:
    """Marker = index of the next item (opaque to clients); MaxItems 1..50."""
    raw_max = query(r, "MaxItems")
    max_items = limit
    if raw_max is not None:
        try:
            max_items = int(raw_max)
        except ValueError as e:
            raise validation(raw_max, "maxItems", "Member must be a number") from e
        if not 1 <= max_items <= limit:
            raise validation(raw_max, "maxItems", f"Member must have value between 1 and {limit}")
    start = 0
    marker = query(r, "Marker")
    if marker:
        if not marker.isdigit() or int(marker) > len(items):
            raise invalid(f"Invalid marker: {marker}")
        start = int(marker)
    page = items[start:start + max_items]
    nxt = start + max_items
    return page, (str(nxt) if nxt < len(items) else None)


# ---------------------------------------------------------------- capacity providers

def provider_name(r: LambdaResponse, ref: str) -> str:
    """A CapacityProviderName (a name or this account's and region's ARN) -> the name."""
    if ref.startswith("arn:"):
        m = PROVIDER_ARN_RE.fullmatch(ref)
        if not m:
            raise validation(ref, "capacityProviderName", "Member must satisfy regular expression pattern: "
                             "(arn:aws[a-zA-Z-]*:lambda:...:capacity-provider:[a-zA-Z0-9-_]+)|[a-zA-Z0-9-_]+")
        _, region, account, name = m.groups()
        here(r, account, region, lambda: f"Capacity provider not found: {ref}")
        return name
    if not (1 <= len(ref) <= 140 and NAME_RE.fullmatch(ref)):
        raise validation(ref, "capacityProviderName", "Member must satisfy regular expression pattern: "
                         "[a-zA-Z0-9-_]+")
    return ref


def provider_arn(backend: LambdaBackend, name: str) -> str:
    return (f"arn:{get_partition(backend.region_name)}:lambda:{backend.region_name}:{backend.account_id}"
            f":capacity-provider:{name}")


def stored_provider(r: LambdaResponse, ref: str) -> tuple[Surface, str, dict[str, Any]]:
    name = provider_name(r, ref)
    s = surface(r.backend)
    cp = s.providers.get(name)
    if cp is None:
        raise not_found(f"Capacity provider not found: {provider_arn(r.backend, name)}")
    return s, name, cp


def want_list(v: Any, member: str, lo: int, hi: int, item: re.Pattern[str] | None = None) -> list[str]:
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise validation(v, member, "Member must be a list of strings")
    if not lo <= len(v) <= hi:
        raise validation(v, member, f"Member must have length between {lo} and {hi}")
    if item is not None:
        for x in v:
            if not item.fullmatch(x):
                raise validation(x, member, f"Member must satisfy regular expression pattern: {item.pattern}")
    return list(v)


def want_enum(v: Any, member: str, allowed: tuple[str, ...]) -> str:
    if v not in allowed:
        raise validation(v, member, f"Member must satisfy enum value set: [{', '.join(allowed)}]")
    return v


def want_number(v: Any, member: str, lo: float, hi: float, integer: bool) -> Any:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or (integer and not isinstance(v, int)):
        raise validation(v, member, "Member must be a number" + (" (integer)" if integer else ""))
    if not lo <= v <= hi:
        raise validation(v, member, f"Member must have value between {lo} and {hi}")
    return v


def want_dict(v: Any, member: str) -> dict[str, Any]:
    if not isinstance(v, dict):
        raise validation(v, member, "Member must be a structure")
    return v


def vpc_config(r: LambdaResponse, v: Any) -> dict[str, Any]:
    """CapacityProviderVpcConfig, checked against moto's EC2 of the caller's account and region."""
    v = want_dict(v, "vpcConfig")
    subnets = want_list(v.get("SubnetIds"), "vpcConfig.subnetIds", 1, 16, re.compile(r"subnet-[0-9a-z]*"))
    groups = want_list(v.get("SecurityGroupIds", []), "vpcConfig.securityGroupIds", 0, 5,
                       re.compile(r"sg-[0-9a-zA-Z]*"))
    ec2 = ec2_backends[r.current_account][r.region]
    vpcs = set()
    for sid in subnets:
        try:
            vpcs.add(ec2.get_subnet(sid).vpc_id)
        except InvalidSubnetIdError as e:
            raise invalid(f"Error occurred while DescribeSubnets. EC2 Error Code: InvalidSubnetID.NotFound. "
                          f"EC2 Error Message: The subnet ID '{sid}' does not exist") from e
    for gid in groups:
        sg = ec2.get_security_group_from_id(gid)
        if sg is None:
            raise invalid(f"Error occurred while DescribeSecurityGroups. EC2 Error Code: InvalidGroup.NotFound. "
                          f"EC2 Error Message: The security group '{gid}' does not exist")
        vpcs.add(sg.vpc_id)
    if len(vpcs) > 1:
        raise invalid("The subnets and security groups of a capacity provider must all belong to one VPC: "
                      f"found {sorted(vpcs)}")
    return {"SubnetIds": subnets, "SecurityGroupIds": groups}


def permissions_config(r: LambdaResponse, v: Any) -> dict[str, Any]:
    v = want_dict(v, "permissionsConfig")
    role = v.get("CapacityProviderOperatorRoleArn")
    if not isinstance(role, str) or not ROLE_ARN_RE.fullmatch(role):
        raise validation(role, "permissionsConfig.capacityProviderOperatorRoleArn",
                         f"Member must satisfy regular expression pattern: {ROLE_ARN_RE.pattern}")
    account = role.split(":")[4]
    iam = iam_backends[account][get_partition(r.region)]
    if account != r.current_account or not any(x.arn == role for x in iam.get_roles()):
        raise invalid(f"The operator role {role} cannot be assumed by Lambda.")
    return {"CapacityProviderOperatorRoleArn": role}


def instance_requirements(v: Any) -> dict[str, Any]:
    v = want_dict(v, "instanceRequirements")
    out: dict[str, Any] = {}
    if "Architectures" in v:
        out["Architectures"] = want_list(v["Architectures"], "instanceRequirements.architectures", 1, 1)
        want_enum(out["Architectures"][0], "instanceRequirements.architectures", ARCHITECTURES)
    for key in ("AllowedInstanceTypes", "ExcludedInstanceTypes"):
        if key in v:
            out[key] = want_list(v[key], f"instanceRequirements.{key[0].lower()}{key[1:]}", 0, 400,
                                 re.compile(r"[a-zA-Z0-9\.\*\-]+"))
    if out.get("AllowedInstanceTypes") and out.get("ExcludedInstanceTypes"):
        raise invalid("AllowedInstanceTypes and ExcludedInstanceTypes cannot both be specified.")
    return out


def scaling_config(v: Any) -> dict[str, Any]:
    v = want_dict(v, "capacityProviderScalingConfig")
    out: dict[str, Any] = {}
    if "MaxVCpuCount" in v:
        out["MaxVCpuCount"] = want_number(v["MaxVCpuCount"], "capacityProviderScalingConfig.maxVCpuCount",
                                          2, 15000, True)
    if "ScalingMode" in v:
        out["ScalingMode"] = want_enum(v["ScalingMode"], "capacityProviderScalingConfig.scalingMode",
                                       SCALING_MODES)
    if "ScalingPolicies" in v:
        pols = v["ScalingPolicies"]
        if not isinstance(pols, list) or not 1 <= len(pols) <= 10:
            raise validation(pols, "capacityProviderScalingConfig.scalingPolicies",
                             "Member must have length between 1 and 10")
        out["ScalingPolicies"] = [{
            "PredefinedMetricType": want_enum(want_dict(p, "scalingPolicies").get("PredefinedMetricType"),
                                              "scalingPolicies.predefinedMetricType", METRICS),
            "TargetValue": want_number(p.get("TargetValue"), "scalingPolicies.targetValue", 0, 100, False),
        } for p in pols]
    return out


def propagate_tags(v: Any) -> dict[str, Any]:
    v = want_dict(v, "propagateTags")
    out: dict[str, Any] = {}
    if "Mode" in v:
        out["Mode"] = want_enum(v["Mode"], "propagateTags.mode", PROPAGATE_MODES)
    if "ExplicitTags" in v:
        out["ExplicitTags"] = dict(want_dict(v["ExplicitTags"], "propagateTags.explicitTags"))
    return out


def telemetry_config(v: Any) -> dict[str, Any]:
    v = want_dict(v, "telemetryConfig")
    out: dict[str, Any] = {}
    if "LoggingConfig" in v:
        lc = want_dict(v["LoggingConfig"], "telemetryConfig.loggingConfig")
        out["LoggingConfig"] = {}
        if "SystemLogLevel" in lc:
            out["LoggingConfig"]["SystemLogLevel"] = want_enum(
                lc["SystemLogLevel"], "telemetryConfig.loggingConfig.systemLogLevel", LOG_LEVELS)
        if "LogGroup" in lc:
            out["LoggingConfig"]["LogGroup"] = lc["LogGroup"]
    return out


def create_capacity_provider(self: LambdaResponse) -> TYPE_RESPONSE:
    b = body_of(self)
    name = b.get("CapacityProviderName")
    if not isinstance(name, str):
        raise validation(name, "capacityProviderName", "Member must not be null")
    name = provider_name(self, name)
    if "VpcConfig" not in b:
        raise validation(None, "vpcConfig", "Member must not be null")
    if "PermissionsConfig" not in b:
        raise validation(None, "permissionsConfig", "Member must not be null")
    cp: dict[str, Any] = {
        "CapacityProviderArn": provider_arn(self.backend, name),
        "State": "Active",
        "VpcConfig": vpc_config(self, b["VpcConfig"]),
        "PermissionsConfig": permissions_config(self, b["PermissionsConfig"]),
    }
    if "InstanceRequirements" in b:
        cp["InstanceRequirements"] = instance_requirements(b["InstanceRequirements"])
    if "CapacityProviderScalingConfig" in b:
        cp["CapacityProviderScalingConfig"] = scaling_config(b["CapacityProviderScalingConfig"])
    if "KmsKeyArn" in b:
        if not isinstance(b["KmsKeyArn"], str) or not KMS_ARN_RE.fullmatch(b["KmsKeyArn"]):
            raise validation(b["KmsKeyArn"], "kmsKeyArn",
                             f"Member must satisfy regular expression pattern: {KMS_ARN_RE.pattern}")
        cp["KmsKeyArn"] = b["KmsKeyArn"]
    cp["LastModified"] = now()
    if "PropagateTags" in b:
        cp["PropagateTags"] = propagate_tags(b["PropagateTags"])
    if "TelemetryConfig" in b:
        cp["TelemetryConfig"] = telemetry_config(b["TelemetryConfig"])
    tags = dict(want_dict(b.get("Tags", {}), "tags"))
    s = surface(self.backend)
    with LOCK:
        if name in s.providers:
            raise conflict(f"Capacity provider already exists: {cp['CapacityProviderArn']}")
        s.providers[name] = cp
        s.provider_tags[name] = tags
    return respond(202, {"CapacityProvider": copy.deepcopy(cp)})


def get_capacity_provider(self: LambdaResponse) -> TYPE_RESPONSE:
    _, _, cp = stored_provider(self, segment(self, -1))
    return respond(200, {"CapacityProvider": copy.deepcopy(cp)})


def list_capacity_providers(self: LambdaResponse) -> TYPE_RESPONSE:
    state = query(self, "State")
    if state is not None:
        want_enum(state, "state", PROVIDER_STATES)
    s = surface(self.backend)
    with LOCK:
        items = [copy.deepcopy(cp) for _, cp in sorted(s.providers.items())
                 if state is None or cp["State"] == state]
    page, nxt = paginate(items, self)
    out: dict[str, Any] = {"CapacityProviders": page}
    if nxt:
        out["NextMarker"] = nxt
    return respond(200, out)


def provider_users(backend: LambdaBackend, arn: str) -> list[LambdaFunction]:
    """Every $LATEST and published version whose CapacityProviderConfig names this provider."""
    out = []
    for group in list(backend._lambdas._functions.values()):
        for fn in [group["latest"], *group["versions"]]:
            cfg = getattr(fn, "capacity_provider_config", None) or {}
            if cfg.get("LambdaManagedInstancesCapacityProviderConfig", {}).get("CapacityProviderArn") == arn:
                out.append(fn)
    return out


def list_function_versions_by_capacity_provider(self: LambdaResponse) -> TYPE_RESPONSE:
    _, _, cp = stored_provider(self, segment(self, -2))
    arn = cp["CapacityProviderArn"]
    # Published versions only: a function on a provider runs its published versions there, not $LATEST.
    versions = sorted((fn for fn in provider_users(self.backend, arn) if str(fn.version) != "$LATEST"),
                      key=lambda fn: (fn.function_name, int(fn.version)))
    page, nxt = paginate([{"FunctionArn": fn.function_arn, "State": fn.state} for fn in versions], self)
    out: dict[str, Any] = {"CapacityProviderArn": arn, "FunctionVersions": page}
    if nxt:
        out["NextMarker"] = nxt
    return respond(200, out)


def update_capacity_provider(self: LambdaResponse) -> TYPE_RESPONSE:
    b = body_of(self)
    s, name, cp = stored_provider(self, segment(self, -1))
    updates: dict[str, Any] = {}
    if "CapacityProviderScalingConfig" in b:
        updates["CapacityProviderScalingConfig"] = scaling_config(b["CapacityProviderScalingConfig"])
    if "PropagateTags" in b:
        updates["PropagateTags"] = propagate_tags(b["PropagateTags"])
    if "TelemetryConfig" in b:
        updates["TelemetryConfig"] = telemetry_config(b["TelemetryConfig"])
    with LOCK:
        cp.update(updates)
        cp["LastModified"] = now()
        out = copy.deepcopy(cp)
    return respond(202, {"CapacityProvider": out})


def delete_capacity_provider(self: LambdaResponse) -> TYPE_RESPONSE:
    s, name, cp = stored_provider(self, segment(self, -1))
    with LOCK:
        users = provider_users(self.backend, cp["CapacityProviderArn"])
        if users:
            raise conflict(f"Capacity provider {cp['CapacityProviderArn']} is used by function versions: "
                           + ", ".join(sorted(fn.function_arn for fn in users)))
        del s.providers[name]
        s.provider_tags.pop(name, None)
    return respond(202, {"CapacityProvider": {**copy.deepcopy(cp), "State": "Deleting"}})


def capacity_provider_config(r: LambdaResponse, v: Any) -> dict[str, Any]:
    """A function's CapacityProviderConfig: the provider must exist in the caller's account and region."""
    v = want_dict(v, "capacityProviderConfig")
    lmi = want_dict(v.get("LambdaManagedInstancesCapacityProviderConfig"),
                    "capacityProviderConfig.lambdaManagedInstancesCapacityProviderConfig")
    arn = lmi.get("CapacityProviderArn")
    m = PROVIDER_ARN_RE.fullmatch(arn) if isinstance(arn, str) else None
    if not m:
        raise validation(arn, "capacityProviderConfig.lambdaManagedInstancesCapacityProviderConfig."
                         "capacityProviderArn", f"Member must satisfy regular expression pattern: "
                         f"{PROVIDER_ARN_RE.pattern}")
    _, region, account, name = m.groups()
    if account != r.current_account or region != r.region or name not in surface(r.backend).providers:
        raise invalid(f"Capacity provider {arn} does not exist.")
    out: dict[str, Any] = {"CapacityProviderArn": arn}
    if "PerExecutionEnvironmentMaxConcurrency" in lmi:
        out["PerExecutionEnvironmentMaxConcurrency"] = want_number(
            lmi["PerExecutionEnvironmentMaxConcurrency"], "perExecutionEnvironmentMaxConcurrency", 1, 1600, True)
    if "ExecutionEnvironmentMemoryGiBPerVCpu" in lmi:
        out["ExecutionEnvironmentMemoryGiBPerVCpu"] = want_number(
            lmi["ExecutionEnvironmentMemoryGiBPerVCpu"], "executionEnvironmentMemoryGiBPerVCpu", 2, 8, False)
    return {"LambdaManagedInstancesCapacityProviderConfig": out}


# ---------------------------------------------------------------- qualified policies

def resolve(backend: LambdaBackend, name: str, qualifier: str | None) -> LambdaFunction:
    """The function's $LATEST; raises moto's ResourceNotFoundException for an unknown function or
    qualifier (version or alias)."""
    latest = backend.get_function(name)
    if not unqualified(qualifier):
        backend.get_function(latest.function_name, qualifier)
    return latest


def current_policy(backend: LambdaBackend, latest: LambdaFunction, qualifier: str | None) -> Policy | None:
    if unqualified(qualifier):
        return latest.policy
    return surface(backend).policies.get((latest.function_name, qualifier))  # type: ignore[arg-type]


def aws_statement_conditions(statement: dict[str, Any]) -> None:
    """AddPermission's FunctionUrlAuthType / InvokedViaFunctionUrl as the Condition AWS writes
    (moto's decoder leaves them as top-level statement elements)."""
    cond = statement.get("Condition")
    if "FunctionUrlAuthType" in statement:
        cond = cond if isinstance(cond, dict) else {}
        cond.setdefault("StringEquals", {})["lambda:FunctionUrlAuthType"] = statement.pop("FunctionUrlAuthType")
    if "InvokedViaFunctionUrl" in statement:
        cond = cond if isinstance(cond, dict) else {}
        v = statement.pop("InvokedViaFunctionUrl")
        cond.setdefault("Bool", {})["lambda:InvokedViaFunctionUrl"] = "true" if v in (True, "true") else "false"
    if cond:
        statement["Condition"] = cond


def add_permission(self: LambdaResponse) -> Any:
    name, qualifier = qualified_target(self, segment(self, -2))
    if unqualified(qualifier):
        return ORIGINAL["add_permission"](self)
    backend = self.backend
    latest = resolve(backend, name, qualifier)
    sid = body_of(self).get("StatementId")
    key = (latest.function_name, qualifier)
    with LOCK:
        s = surface(backend)
        pol = s.policies.get(key) or DocumentPolicy(latest)  # type: ignore[arg-type]
        if any(st.get("Sid") == sid for st in pol.statements):
            raise conflict(f"The statement id ({sid}) provided already exists. Please provide a new statement "
                           "id, or remove the existing statement.")
        statement, _ = pol.add_statement(self.body, qualifier)
        aws_statement_conditions(statement)
        s.policies[key] = pol  # type: ignore[index]
    return respond(201, {"Statement": json.dumps(statement)})


def get_policy(self: LambdaResponse) -> Any:
    name, qualifier = qualified_target(self, segment(self, -2))
    if unqualified(qualifier):
        return ORIGINAL["get_policy"](self)
    backend = self.backend
    latest = resolve(backend, name, qualifier)
    with LOCK:
        pol = current_policy(backend, latest, qualifier)
        if pol is None or not pol.statements:
            raise not_found()
        return 200, {"status": 200, "Content-Type": "application/json"}, pol.wire_format()


def remove_permission(self: LambdaResponse) -> Any:
    name, qualifier = qualified_target(self, segment(self, -3))
    if unqualified(qualifier):
        return ORIGINAL["remove_permission"](self)
    sid = segment(self, -1)
    backend = self.backend
    latest = resolve(backend, name, qualifier)
    key = (latest.function_name, qualifier)
    with LOCK:
        s = surface(backend)
        pol = s.policies.get(key)  # type: ignore[arg-type]
        if pol is None or not pol.statements:
            raise not_found("No policy is associated with the given resource.")
        check_revision(query(self, "RevisionId"), pol)
        if not any(st.get("Sid") == sid for st in pol.statements):
            raise not_found(f"Statement {sid} is not found in resource policy.")
        pol.del_statement(sid)
        if not pol.statements:
            del s.policies[key]  # type: ignore[arg-type]
    return respond(204)


# ---------------------------------------------------------------- full resource policies

def policy_resource(self: LambdaResponse) -> tuple[LambdaBackend, LambdaFunction, str | None, str]:
    arn = unquote(self.path.split("/resource-policy/", 1)[1])
    if arn.split(":")[5:6] and arn.split(":")[5].startswith("runtime/"):
        raise invalid("This emulator keeps resource policies of functions, versions and aliases only.")
    m = FUNCTION_ARN_RE.fullmatch(arn)
    if not m:
        raise validation(arn, "resourceArn", "Member must satisfy regular expression pattern: "
                         "arn:(aws[a-zA-Z-]*)?:lambda:...:(function:[a-zA-Z0-9-_]+(:(\\$LATEST(\\.PUBLISHED)?|"
                         "[a-zA-Z0-9-_])+)?|runtime/[a-zA-Z0-9-_./]+)")
    _, region, account, name, qualifier = m.groups()
    here(self, account, region, lambda: f"Function not found: {arn}")
    backend = self.backend
    latest = resolve(backend, name, qualifier)
    return backend, latest, (None if unqualified(qualifier) else qualifier), arn


def put_resource_policy(self: LambdaResponse) -> TYPE_RESPONSE:
    backend, latest, qualifier, _ = policy_resource(self)
    b = body_of(self)
    text = b.get("Policy")
    if not isinstance(text, str) or not text:
        raise validation(text, "policy", "Member must have length greater than or equal to 1")
    if len(text) > 20480:
        raise LambdaError("PolicyLengthExceededException", "The policy document exceeds 20480 characters.", 400)
    try:
        doc = json.loads(text)
    except ValueError as e:
        raise invalid("The policy is not valid JSON.") from e
    if not isinstance(doc, dict) or not isinstance(doc.get("Statement"), (list, dict)) or not doc["Statement"]:
        raise invalid("The policy must be a JSON object with at least one Statement.")
    with LOCK:
        current = current_policy(backend, latest, qualifier)
        if b.get("RevisionId"):
            check_revision(b["RevisionId"], current if current is not None and current.statements else None)
        new = DocumentPolicy(latest, doc, text)
        if qualifier is None:
            latest.policy = new
        else:
            surface(backend).policies[(latest.function_name, qualifier)] = new
    return respond(200, {"Policy": text, "RevisionId": new.revision})


def get_resource_policy(self: LambdaResponse) -> TYPE_RESPONSE:
    backend, latest, qualifier, _ = policy_resource(self)
    with LOCK:
        pol = current_policy(backend, latest, qualifier)
        if pol is None or not pol.statements:
            raise not_found()
        text = pol.policy_text() if isinstance(pol, DocumentPolicy) else json.dumps(pol.get_policy()["Policy"])
        return respond(200, {"Policy": text, "RevisionId": pol.revision})


def delete_resource_policy(self: LambdaResponse) -> TYPE_RESPONSE:
    backend, latest, qualifier, _ = policy_resource(self)
    with LOCK:
        pol = current_policy(backend, latest, qualifier)
        if pol is None or not pol.statements:
            raise not_found()
        check_revision(query(self, "RevisionId"), pol)
        if qualifier is None:
            latest.policy = Policy(latest)  # type: ignore[no-untyped-call]
        else:
            del surface(backend).policies[(latest.function_name, qualifier)]
    return respond(204)


# ---------------------------------------------------------------- alias URLs

def url_target(self: LambdaResponse) -> tuple[str, str | None]:
    name, qualifier = qualified_target(self, segment(self, -2))
    if not unqualified(qualifier) and not URL_QUALIFIER_RE.match(qualifier or ""):
        raise validation(qualifier, "qualifier", "Member must satisfy regular expression pattern: "
                         "((?!^\\d+$)^[0-9a-zA-Z-_]+$)")
    return name, qualifier


def alias_of(backend: LambdaBackend, name: str, alias: str) -> LambdaFunction:
    latest = backend.get_function(name)
    backend.get_alias(name=alias, function_name=latest.function_name)  # moto: 404 for an unknown alias
    return latest


def url_config_input(b: dict[str, Any], create: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if create or "AuthType" in b:
        out["AuthType"] = want_enum(b.get("AuthType"), "authType", URL_AUTH_TYPES)
    if "InvokeMode" in b:
        out["InvokeMode"] = want_enum(b["InvokeMode"], "invokeMode", INVOKE_MODES)
    if "Cors" in b:
        out["Cors"] = want_dict(b["Cors"], "cors")
    return out


def create_function_url_config(self: LambdaResponse) -> Any:
    name, qualifier = url_target(self)
    if unqualified(qualifier):
        return ORIGINAL["create_function_url_config"](self)
    backend = self.backend
    latest = alias_of(backend, name, qualifier)  # type: ignore[arg-type]
    cfg_in = url_config_input(body_of(self), create=True)
    key = (latest.function_name, qualifier)
    arn = function_arn(backend, latest.function_name, qualifier)
    with LOCK:
        s = surface(backend)
        if key in s.urls:
            raise conflict(f"Failed to create function url config for [functionArn = {arn}]. Error message:  "
                           "FunctionUrlConfig exists for this Lambda function")
        cfg = AliasUrlConfig(latest, cfg_in, arn)
        s.urls[key] = cfg  # type: ignore[index]
        out = cfg.to_dict()
    out.pop("LastModifiedTime", None)  # not a member of CreateFunctionUrlConfigResponse
    return respond(201, out)


def get_function_url_config(self: LambdaResponse) -> Any:
    name, qualifier = url_target(self)
    if unqualified(qualifier):
        return ORIGINAL["get_function_url_config"](self)
    latest = alias_of(self.backend, name, qualifier)  # type: ignore[arg-type]
    cfg = surface(self.backend).urls.get((latest.function_name, qualifier))  # type: ignore[arg-type]
    if cfg is None:
        raise not_found()
    return respond(200, cfg.to_dict())


def update_function_url_config(self: LambdaResponse) -> Any:
    name, qualifier = url_target(self)
    if unqualified(qualifier):
        return ORIGINAL["update_function_url_config"](self)
    latest = alias_of(self.backend, name, qualifier)  # type: ignore[arg-type]
    cfg_in = url_config_input(body_of(self), create=False)
    with LOCK:
        cfg = surface(self.backend).urls.get((latest.function_name, qualifier))  # type: ignore[arg-type]
        if cfg is None:
            raise not_found()
        cfg.update(cfg_in)
        return respond(200, cfg.to_dict())


def delete_function_url_config(self: LambdaResponse) -> Any:
    name, qualifier = url_target(self)
    if unqualified(qualifier):
        return ORIGINAL["delete_function_url_config"](self)
    latest = alias_of(self.backend, name, qualifier)  # type: ignore[arg-type]
    with LOCK:
        if surface(self.backend).urls.pop((latest.function_name, qualifier), None) is None:  # type: ignore[arg-type]
            raise not_found()
    return respond(204)


def list_function_url_configs(self: LambdaResponse) -> TYPE_RESPONSE:
    ref = segment(self, -2)
    name, _, account, region = split_ref(ref)
    here(self, account, region, lambda: f"Function not found: {ref}")
    backend = self.backend
    latest = backend.get_function(name)
    items: list[dict[str, Any]] = []
    with LOCK:
        if latest.url_config is not None:
            # moto's own record of the function's URL, as its GetFunctionUrlConfig renders it.
            items.append({k: v for k, v in latest.url_config.to_dict().items() if v is not None})
        items += [cfg.to_dict() for (fn, _), cfg in sorted(surface(backend).urls.items())
                  if fn == latest.function_name]
    page, nxt = paginate(items, self)
    out: dict[str, Any] = {"FunctionUrlConfigs": page}
    if nxt:
        out["NextMarker"] = nxt
    return respond(200, out)


# ---------------------------------------------------------------- CapacityProviderConfig on functions

def create_function(self: LambdaResponse) -> Any:
    b = body_of(self)
    if "CapacityProviderConfig" in b:
        capacity_provider_config(self, b["CapacityProviderConfig"])
    return ORIGINAL["create_function"](self)


def update_function_configuration(self: LambdaResponse) -> Any:
    b = body_of(self)
    if b.get("CapacityProviderConfig") is not None:
        capacity_provider_config(self, b["CapacityProviderConfig"])
    return ORIGINAL["update_function_configuration"](self)


def function_init(fn: LambdaFunction, account_id: str, spec: dict[str, Any], region: str,
                  version: str | int = 1) -> None:
    ORIGINAL["LambdaFunction.__init__"](fn, account_id, spec, region, version)
    cfg = spec.get("CapacityProviderConfig")
    fn.capacity_provider_config = copy.deepcopy(cfg) if cfg else None  # type: ignore[attr-defined]


def function_configuration(fn: LambdaFunction, on_create: bool = False) -> dict[str, Any]:
    config = ORIGINAL["LambdaFunction.get_configuration"](fn, on_create)
    cfg = getattr(fn, "capacity_provider_config", None)
    if cfg:
        config["CapacityProviderConfig"] = copy.deepcopy(cfg)
    return config


def function_update_configuration(fn: LambdaFunction, config_updates: dict[str, Any]) -> dict[str, Any]:
    if "CapacityProviderConfig" in config_updates:
        cfg = config_updates["CapacityProviderConfig"]
        fn.capacity_provider_config = copy.deepcopy(cfg) if cfg else None  # type: ignore[attr-defined]
    return ORIGINAL["LambdaFunction.update_configuration"](fn, config_updates)


# ---------------------------------------------------------------- cleanup on deletion

def backend_delete_function(backend: LambdaBackend, function_name: str, qualifier: str | None = None) -> None:
    name, in_name, _, _ = split_ref(function_name)
    ORIGINAL["LambdaBackend.delete_function"](backend, function_name, qualifier)
    q = qualifier or in_name
    with LOCK:
        s = surface(backend)
        for store in (s.policies, s.urls):
            for key in [k for k in store if k[0] == name and (unqualified(q) or k[1] == q)]:
                del store[key]  # type: ignore[attr-defined]


def backend_delete_alias(backend: LambdaBackend, name: str, function_name: str) -> None:
    ORIGINAL["LambdaBackend.delete_alias"](backend, name, function_name)
    fn = split_ref(function_name)[0]
    with LOCK:
        s = surface(backend)
        s.policies.pop((fn, name), None)
        s.urls.pop((fn, name), None)


# ---------------------------------------------------------------- install

NEW_ACTIONS: dict[str, Callable[..., Any]] = {
    "create_capacity_provider": create_capacity_provider,
    "get_capacity_provider": get_capacity_provider,
    "list_capacity_providers": list_capacity_providers,
    "list_function_versions_by_capacity_provider": list_function_versions_by_capacity_provider,
    "update_capacity_provider": update_capacity_provider,
    "delete_capacity_provider": delete_capacity_provider,
    "list_function_url_configs": list_function_url_configs,
    "put_resource_policy": put_resource_policy,
    "get_resource_policy": get_resource_policy,
    "delete_resource_policy": delete_resource_policy,
}
WRAPPED_ACTIONS: dict[str, Callable[..., Any]] = {
    "add_permission": add_permission,
    "get_policy": get_policy,
    "remove_permission": remove_permission,
    "create_function_url_config": create_function_url_config,
    "get_function_url_config": get_function_url_config,
    "update_function_url_config": update_function_url_config,
    "delete_function_url_config": delete_function_url_config,
    "create_function": create_function,
    "update_function_configuration": update_function_configuration,
}
ORIGINAL: dict[str, Callable[..., Any]] = {}


def install() -> None:
    """Patch moto's Lambda (idempotent). Call before moto's server handles its first Lambda request:
    the Flask routes are read when moto builds its Lambda app."""
    with LOCK:
        if ORIGINAL:
            return
        for name in [*NEW_ACTIONS, *WRAPPED_ACTIONS]:
            if name in NEW_ACTIONS and hasattr(LambdaResponse, name):
                raise RuntimeError(f"moto now implements {name}: review mocks/seedlib/lambda_patch.py")
        for name, fn in WRAPPED_ACTIONS.items():
            ORIGINAL[name] = getattr(LambdaResponse, name)
            setattr(LambdaResponse, name, fn)
        for name, fn in NEW_ACTIONS.items():
            setattr(LambdaResponse, name, fn)
        for cls, attr, fn in [(LambdaFunction, "__init__", function_init),
                              (LambdaFunction, "get_configuration", function_configuration),
                              (LambdaFunction, "update_configuration", function_update_configuration),
                              (LambdaBackend, "delete_function", backend_delete_function),
                              (LambdaBackend, "delete_alias", backend_delete_alias)]:
            ORIGINAL[f"{cls.__name__}.{attr}"] = getattr(cls, attr)
            setattr(cls, attr, fn)
        lambda_urls.url_paths.update(URL_PATHS)

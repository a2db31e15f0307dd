"""Security Hub's BatchUpdateFindings, which moto 5.2.5 lacks, with the finding lifecycle around it:
the workflow fields a later BatchImportFindings must leave alone, and GetFindings filters on
WorkflowStatus and RecordState (moto ignores every filter).

Applied by org_server.py and auth_server.py (`securityhub_patch.install()`, before moto's server
handles its first Security Hub request: the Flask routes are read when moto builds the app).
Checked end to end by mocks/check_securityhub_patch.py (it starts its own org_server).

Wire shapes: botocore model securityhub/2018-10-26 of botocore 1.44.5 (pinned in
mocks/requirements.txt), rest-json, which aws-sdk-securityhub shares.

  BatchUpdateFindings  PATCH /findings/batchupdate, 200. Request: FindingIdentifiers [{Id, ProductArn}]
                       (required), Note {Text, UpdatedBy}, Severity {Label, Normalized, Product},
                       VerificationState, Confidence, Criticality, Types, UserDefinedFields,
                       Workflow {Status}, RelatedFindings [{Id, ProductArn}]. Response (both members
                       always present, as the model requires them): ProcessedFindings [{Id, ProductArn}],
                       UnprocessedFindings [{FindingIdentifier, ErrorCode, ErrorMessage}].

Semantics (against moto's stored findings: SecurityHubBackend.findings, one backend per account and
region, each a moto Finding whose `data` is the ASFF document):

- A finding is looked up by (Id, ProductArn) among the findings of the caller's account and region
  (moto's mapping of the request: the access key's account, the SigV4 region). Administrator
  accounts updating their members' findings are not modelled (moto keeps no cross-account view).
- Per-finding errors, with the codes and messages the model documents on
  BatchUpdateFindingsUnprocessedFinding.ErrorCode / ErrorMessage:
    FindingNotFound              "Finding Not Found"                  no such (Id, ProductArn)
    DuplicatedFindingIdentifier  "Finding Identifier is duplicated"   the identifier appears more than
                                 once in the request; listed once, and that finding is not updated
                                 (the model does not say which occurrence fails; none is applied here)
  The model's other codes (ConcurrentUpdateError, FindingSizeExceeded, InternalFailure, InvalidInput)
  are never produced: updates are serialized under one lock, nothing grows a finding past 240 KB
  here, and invalid values refuse the whole request (next point).
- Whole-request refusal: InvalidInputException, HTTP 400 (the model's error shape, as moto serializes
  it: header x-amzn-ErrorType, body {"__type", "Code", "Message"}) when the request breaks a limit the
  model states or documents:
    FindingIdentifiers           required, a list of 0..100 {Id, ProductArn} with non-blank strings
                                 ("BatchUpdateFindings can be used to update up to 100 findings at
                                 a time", documentation of BatchUpdateFindingsRequest.FindingIdentifiers)
    Note                         Text and UpdatedBy required, non-blank (pattern .*\\S.*); Text at
                                 most 512 characters (documentation of Note.Text: "Maximum of 512")
    Confidence, Criticality      integers 0..100 (shape RatioScale: min 0, max 100)
    Severity                     Label one of SeverityLabel, Normalized an integer 0..100 (RatioScale),
                                 Product a number
    VerificationState            one of UNKNOWN, TRUE_POSITIVE, FALSE_POSITIVE, BENIGN_POSITIVE
    Workflow.Status              one of NEW, NOTIFIED, RESOLVED, SUPPRESSED
    Types                        at most 50 non-blank strings, namespace among the five the model
                                 lists (documentation of AwsSecurityFinding.Types and
                                 BatchUpdateFindingsRequest.Types)
    RelatedFindings              1..10 {Id, ProductArn} (documentation of AwsSecurityFinding.RelatedFindings)
    UserDefinedFields            at most 50 pairs, key <= 128 and value <= 1024 characters, non-blank
                                 (documentation of AwsSecurityFinding.UserDefinedFields)
  botocore validates none of the maxima client-side, so a boto3 or Rust SDK caller reaches them here.
- What an update writes into the stored finding:
    Workflow.Status     the new status (Workflow keeps any other member)
    Note                {Text, UpdatedBy, UpdatedAt: the time of the update}
    VerificationState, Confidence, Criticality, Types, RelatedFindings, UserDefinedFields: replaced
                        by the given value (UserDefinedFields is replaced, not merged: the model does
                        not say, and the replacement is what the field's PATCH-style update reads as)
    Severity            the given members over the stored ones; Label given without Normalized sets
                        Normalized (INFORMATIONAL 0, LOW 1, MEDIUM 40, HIGH 70, CRITICAL 90), Normalized
                        given without Label sets Label (0 INFORMATIONAL, 1-39 LOW, 40-69 MEDIUM, 70-89
                        HIGH, 90-100 CRITICAL), both as documented on Severity and SeverityUpdate
  UpdatedAt is NOT changed: "If you use this operation to update a finding, your updates don't affect
  the value for the UpdatedAt field of the finding" (documentation of the BatchUpdateFindings
  operation in the model; the user guide's "BatchUpdateFindings for customers" says the same).
- WorkflowState (deprecated, enum NEW | ASSIGNED | IN_PROGRESS | DEFERRED | RESOLVED) is NOT derived
  from Workflow.Status. AWS leaves it where the finding started: the findings AWS itself documents
  carry "WorkflowState": "NEW" next to "Workflow": {"Status": "RESOLVED"} (Security Hub user guide,
  sample finding of the Service-Managed Standard: AWS Control Tower; Audit Manager user guide,
  Security Hub evidence examples), and the enum has no NOTIFIED or SUPPRESSED to map to. So a new
  finding imported without them gets Workflow {"Status": "NEW"} and WorkflowState "NEW" (the initial
  state, "NEW - The initial state of a finding, before it is reviewed"), and only BatchUpdateFindings
  changes Workflow.Status afterwards.

BatchImportFindings (moto's, wrapped; one finding at a time so that a finding created earlier in the
same batch counts as existing):
- After creation it cannot change Note, UserDefinedFields, VerificationState, Workflow: the model's
  documentation of BatchImportFindings: "After a finding is created, BatchImportFindings cannot be
  used to update the following finding fields and objects, which Security Hub CSPM customers use to
  manage their investigation workflow. Note, UserDefinedFields, VerificationState, Workflow".
  moto's import merges the new document into the stored one (dict.update), so these fields are put
  back as they were before the import (and removed again if the import adds one the finding did not
  have). WorkflowState goes with Workflow.
- Confidence, Criticality, RelatedFindings, Severity, Types: "Finding providers also should not use
  BatchImportFindings to update the following attributes ... Instead, finding providers use
  FindingProviderFields" (same documentation, which refers to the user guide's section "Using
  FindingProviderFields" for the details; that section is not quoted here). The patch's reading: a
  customer's value wins over a provider's top-level one, so each of these that BatchUpdateFindings
  wrote is put back after a later import, and one it never wrote is the import's, as moto does. (To
  let the provider's top-level value win instead, drop the field from CUSTOMER_KEEPS.)
- Workflow.Status goes back from NOTIFIED or RESOLVED to NEW when an import changes RecordState from
  ARCHIVED to ACTIVE or Compliance.Status from PASSED to FAILED, WARNING or NOT_AVAILABLE; SUPPRESSED
  never changes (documentation of WorkflowStatus and of AwsSecurityFindingFilters.WorkflowStatus:
  "The workflow status of a SUPPRESSED finding does not change if RecordState changes from ARCHIVED
  to ACTIVE"). That documentation's "The finding is no longer updated" for SUPPRESSED is read as "no
  longer moved by these automatic resets": the same text has imports change a suppressed finding's
  RecordState, so the rest of a suppressed finding is still the provider's to update.

GetFindings: Filters.WorkflowStatus and Filters.RecordState (StringFilter lists) are applied, after
moto's (unfiltered) listing and before its pagination, as the model documents StringFilter.Comparison:
EQUALS and PREFIX filters on a field are joined by OR, NOT_EQUALS and PREFIX_NOT_EQUALS by AND, PREFIX
with NOT_EQUALS/PREFIX_NOT_EQUALS narrows the prefix matches, and EQUALS together with NOT_EQUALS or
PREFIX_NOT_EQUALS on one field is refused (InvalidInputException). CONTAINS, NOT_CONTAINS and
CONTAINS_WORD on these two fields are refused too (the model: CONTAINS works in automation rules,
CONTAINS_WORD in the V2 APIs only). A finding without the field matches no positive filter and every
negative one. Every other filter key is ignored, as moto ignores all of them (vpcwarden's export
filters ProductArn/AwsAccountId/GeneratorId again client-side for that reason).

Not done: moto's BatchImportFindings still matches an existing finding by Id alone (AWS: Id and
ProductArn), does not check that Security Hub is enabled (neither does BatchUpdateFindings here:
InvalidAccessException is never answered), does not fill FindingProviderFields from the top-level
fields nor the top-level fields from FindingProviderFields, and sets no RecordState by default.
BatchUpdateFindings generates no EventBridge event, has no "several minutes" delay (the update is
visible at once), and a request naming no field to update only checks that the findings exist.
Authorization is moto's (auth_server.py's enforcement applies as to any call); IAM condition keys
such as securityhub:ASFFSyntaxPath/Workflow.Status are not evaluated. BatchUpdateFindingsV2 (OCSF
findings) is not implemented.
"""

from __future__ import annotations

import copy
import json
import re
import threading
from collections import Counter
from datetime import datetime, timezone
from typing import Any, Callable

from moto.securityhub import urls as securityhub_urls
from moto.securityhub.exceptions import SecurityHubClientError
from moto.securityhub.models import Finding, SecurityHubBackend
from moto.securityhub.responses import SecurityHubResponse
from moto.utilities.paginator import paginate

# The Flask route moto's Security Hub app lacks (the botocore router then names the operation).
URL_PATHS = {r"{0}/findings/batchupdate$": SecurityHubResponse.dispatch}

LOCK = threading.RLock()  # moto_server is threaded: a request's read-modify-write is one step

MAX_IDENTIFIERS = 100
MAX_NOTE_TEXT = 512
MAX_TYPES = 50
MIN_RELATED, MAX_RELATED = 1, 10
MAX_USER_FIELDS, MAX_USER_KEY, MAX_USER_VALUE = 50, 128, 1024
WORKFLOW_STATUSES = ("NEW", "NOTIFIED", "RESOLVED", "SUPPRESSED")
VERIFICATION_STATES = ("UNKNOWN", "TRUE_POSITIVE", "FALSE_POSITIVE", "BENIGN_POSITIVE")
SEVERITY_LABELS = ("INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL")
LABEL_NORMALIZED = {"INFORMATIONAL": 0, "LOW": 1, "MEDIUM": 40, "HIGH": 70, "CRITICAL": 90}
TYPE_NAMESPACES = ("Software and Configuration Checks", "TTPs", "Effects", "Unusual Behaviors",
                   "Sensitive Data Identifications")

# BatchImportFindings cannot change these after creation (WorkflowState goes with Workflow).
IMPORT_CANNOT_UPDATE = ("Note", "UserDefinedFields", "VerificationState", "Workflow", "WorkflowState")
# A customer's value of these, once written by BatchUpdateFindings, survives later imports.
CUSTOMER_KEEPS = ("Confidence", "Criticality", "RelatedFindings", "Severity", "Types")
# On a moto Finding: which CUSTOMER_KEEPS fields BatchUpdateFindings wrote.
UPDATED_ATTR = "_vpcwarden_customer_fields"

NOT_FOUND = ("FindingNotFound", "Finding Not Found")
DUPLICATED = ("DuplicatedFindingIdentifier", "Finding Identifier is duplicated")


def _workflow_status(d: dict[str, Any]) -> Any:
    wf = d.get("Workflow")
    return wf.get("Status") if isinstance(wf, dict) else None


# GetFindings filters this patch applies: filter key -> the finding's value.
FILTERED: dict[str, Callable[[dict[str, Any]], Any]] = {
    "WorkflowStatus": _workflow_status,
    "RecordState": lambda d: d.get("RecordState"),
}
POSITIVE = {"EQUALS": lambda v, x: v == x, "PREFIX": lambda v, x: v.startswith(x)}
NEGATIVE = {"NOT_EQUALS": lambda v, x: v == x, "PREFIX_NOT_EQUALS": lambda v, x: v.startswith(x)}


def invalid(message: str) -> SecurityHubClientError:
    """InvalidInputException (HTTP 400 in the model), serialized by moto in the model's shape."""
    return SecurityHubClientError("InvalidInputException", message)


def now_timestamp() -> str:
    """Security Hub's timestamp format, e.g. 2026-11-02T09:00:00.123Z."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _non_blank(v: Any) -> bool:
    """The model's NonEmptyString pattern .*\\S.* (unanchored: at least one non-space character)."""
    return isinstance(v, str) and re.search(r"\S", v) is not None


def _ratio(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 100


# ---------------------------------------------------------------- the request

def _identifiers(v: Any, member: str, minimum: int, maximum: int) -> list[dict[str, str]]:
    if not isinstance(v, list):
        raise invalid(f"Invalid parameter '{member}': must be a list of {{Id, ProductArn}} objects")
    if len(v) > maximum:
        if member == "FindingIdentifiers":
            raise invalid(f"Invalid parameter 'FindingIdentifiers': BatchUpdateFindings can update up to "
                          f"{maximum} findings at a time; the request names {len(v)}")
        raise invalid(f"Invalid parameter '{member}': at most {maximum} items; got {len(v)}")
    if len(v) < minimum:
        raise invalid(f"Invalid parameter '{member}': at least {minimum} item(s)")
    out = []
    for i, ident in enumerate(v):
        if not (isinstance(ident, dict) and _non_blank(ident.get("Id")) and _non_blank(ident.get("ProductArn"))):
            raise invalid(f"Invalid parameter '{member}[{i}]': Id and ProductArn are required non-empty strings")
        out.append({"Id": ident["Id"], "ProductArn": ident["ProductArn"]})
    return out


def parse_request(body: Any) -> tuple[list[dict[str, str]], dict[str, Any]]:
    """(finding identifiers, the fields to write) of a BatchUpdateFindings request, or InvalidInputException."""
    if not isinstance(body, dict):
        raise invalid("The request body must be a JSON object")
    if "FindingIdentifiers" not in body:
        raise invalid("Missing required parameter 'FindingIdentifiers'")
    identifiers = _identifiers(body["FindingIdentifiers"], "FindingIdentifiers", 0, MAX_IDENTIFIERS)
    upd: dict[str, Any] = {}
    if body.get("Note") is not None:
        note = body["Note"]
        if not (isinstance(note, dict) and _non_blank(note.get("Text")) and _non_blank(note.get("UpdatedBy"))):
            raise invalid("Invalid parameter 'Note': Text and UpdatedBy are required non-empty strings")
        if len(note["Text"]) > MAX_NOTE_TEXT:
            raise invalid(f"Invalid parameter 'Note.Text': at most {MAX_NOTE_TEXT} characters; "
                          f"got {len(note['Text'])}")
        upd["Note"] = {"Text": note["Text"], "UpdatedBy": note["UpdatedBy"]}
    if body.get("Workflow") is not None:
        wf = body["Workflow"]
        if not isinstance(wf, dict):
            raise invalid("Invalid parameter 'Workflow': must be an object {Status}")
        if wf.get("Status") is not None:
            if wf["Status"] not in WORKFLOW_STATUSES:
                raise invalid(f"Invalid parameter 'Workflow.Status': {wf['Status']!r} is not one of "
                              f"{', '.join(WORKFLOW_STATUSES)}")
            upd["Workflow"] = {"Status": wf["Status"]}
    if body.get("VerificationState") is not None:
        if body["VerificationState"] not in VERIFICATION_STATES:
            raise invalid(f"Invalid parameter 'VerificationState': {body['VerificationState']!r} is not one "
                          f"of {', '.join(VERIFICATION_STATES)}")
        upd["VerificationState"] = body["VerificationState"]
    for key in ("Confidence", "Criticality"):
        if body.get(key) is not None:
            if not _ratio(body[key]):
                raise invalid(f"Invalid parameter '{key}': must be an integer from 0 to 100")
            upd[key] = body[key]
    if body.get("Severity") is not None:
        upd["Severity"] = _severity_update(body["Severity"])
    if body.get("Types") is not None:
        types = body["Types"]
        if not isinstance(types, list) or not all(_non_blank(t) for t in types):
            raise invalid("Invalid parameter 'Types': must be a list of non-empty strings")
        if len(types) > MAX_TYPES:
            raise invalid(f"Invalid parameter 'Types': at most {MAX_TYPES} items; got {len(types)}")
        for t in types:
            if t.split("/", 1)[0] not in TYPE_NAMESPACES:
                raise invalid(f"Invalid parameter 'Types': {t!r} is not namespace/category/classifier with a "
                              f"namespace among {', '.join(TYPE_NAMESPACES)}")
        upd["Types"] = list(types)
    if body.get("RelatedFindings") is not None:
        upd["RelatedFindings"] = _identifiers(body["RelatedFindings"], "RelatedFindings", MIN_RELATED, MAX_RELATED)
    if body.get("UserDefinedFields") is not None:
        fields = body["UserDefinedFields"]
        if not isinstance(fields, dict) or not all(_non_blank(k) and _non_blank(v) for k, v in fields.items()):
            raise invalid("Invalid parameter 'UserDefinedFields': must map non-empty strings to non-empty strings")
        if len(fields) > MAX_USER_FIELDS:
            raise invalid(f"Invalid parameter 'UserDefinedFields': at most {MAX_USER_FIELDS} pairs; "
                          f"got {len(fields)}")
        for k, v in fields.items():
            if len(k) > MAX_USER_KEY or len(v) > MAX_USER_VALUE:
                raise invalid(f"Invalid parameter 'UserDefinedFields': key {k!r}: keys of at most {MAX_USER_KEY} "
                              f"and values of at most {MAX_USER_VALUE} characters")
        upd["UserDefinedFields"] = dict(fields)
    return identifiers, upd


def _severity_update(sev: Any) -> dict[str, Any]:
    if not isinstance(sev, dict):
        raise invalid("Invalid parameter 'Severity': must be an object {Label, Normalized, Product}")
    out: dict[str, Any] = {}
    if sev.get("Label") is not None:
        if sev["Label"] not in SEVERITY_LABELS:
            raise invalid(f"Invalid parameter 'Severity.Label': {sev['Label']!r} is not one of "
                          f"{', '.join(SEVERITY_LABELS)}")
        out["Label"] = sev["Label"]
    if sev.get("Normalized") is not None:
        if not _ratio(sev["Normalized"]):
            raise invalid("Invalid parameter 'Severity.Normalized': must be an integer from 0 to 100")
        out["Normalized"] = sev["Normalized"]
    if sev.get("Product") is not None:
        p = sev["Product"]
        if isinstance(p, bool) or not isinstance(p, (int, float)):
            raise invalid("Invalid parameter 'Severity.Product': must be a number")
        out["Product"] = p
    return out


def _label_of(normalized: int) -> str:
    if normalized == 0:
        return "INFORMATIONAL"
    if normalized < 40:
        return "LOW"
    if normalized < 70:
        return "MEDIUM"
    if normalized < 90:
        return "HIGH"
    return "CRITICAL"


# ---------------------------------------------------------------- writing a finding

def customer_fields(finding: Finding) -> set[str]:
    """The CUSTOMER_KEEPS fields BatchUpdateFindings wrote on this finding."""
    fields = getattr(finding, UPDATED_ATTR, None)
    if fields is None:
        fields = set()
        setattr(finding, UPDATED_ATTR, fields)
    return fields


def apply_update(finding: Finding, upd: dict[str, Any], at: str) -> None:
    d = finding.data
    if "Workflow" in upd:
        wf = d.get("Workflow") if isinstance(d.get("Workflow"), dict) else {}
        d["Workflow"] = {**wf, **upd["Workflow"]}
    if "Note" in upd:
        d["Note"] = {**upd["Note"], "UpdatedAt": at}
    for key in ("VerificationState", "UserDefinedFields"):
        if key in upd:
            d[key] = copy.deepcopy(upd[key])
    for key in ("Confidence", "Criticality", "Types", "RelatedFindings"):
        if key in upd:
            d[key] = copy.deepcopy(upd[key])
            customer_fields(finding).add(key)
    if upd.get("Severity"):
        given = upd["Severity"]
        sev = dict(d["Severity"]) if isinstance(d.get("Severity"), dict) else {}
        sev.update(given)
        if "Label" in given and "Normalized" not in given:
            sev["Normalized"] = LABEL_NORMALIZED[given["Label"]]
        if "Normalized" in given and "Label" not in given:
            sev["Label"] = _label_of(given["Normalized"])
        d["Severity"] = sev
        customer_fields(finding).add("Severity")


def batch_update_findings(self: SecurityHubResponse) -> str:
    raw = self.body.decode("utf-8") if isinstance(self.body, bytes) else (self.body or "")
    try:
        body = json.loads(raw) if raw.strip() else {}
    except ValueError:
        raise invalid("The request body is not valid JSON") from None
    identifiers, upd = parse_request(body)
    backend: SecurityHubBackend = self.securityhub_backend
    counts = Counter((i["Id"], i["ProductArn"]) for i in identifiers)
    processed: list[dict[str, str]] = []
    unprocessed: list[dict[str, Any]] = []
    reported: set[tuple[str, str]] = set()
    at = now_timestamp()
    with LOCK:
        for ident in identifiers:
            key = (ident["Id"], ident["ProductArn"])
            if counts[key] > 1:
                if key not in reported:
                    reported.add(key)
                    unprocessed.append({"FindingIdentifier": ident, "ErrorCode": DUPLICATED[0],
                                        "ErrorMessage": DUPLICATED[1]})
                continue
            finding = next((f for f in backend.findings
                            if f.id == key[0] and f.data.get("ProductArn") == key[1]), None)
            if finding is None:
                unprocessed.append({"FindingIdentifier": ident, "ErrorCode": NOT_FOUND[0],
                                    "ErrorMessage": NOT_FOUND[1]})
                continue
            apply_update(finding, upd, at)
            processed.append(ident)
    return json.dumps({"ProcessedFindings": processed, "UnprocessedFindings": unprocessed})


# ---------------------------------------------------------------- BatchImportFindings

def _compliance(d: dict[str, Any]) -> Any:
    c = d.get("Compliance")
    return c.get("Status") if isinstance(c, dict) else None


def _after_reimport(finding: Finding, before: dict[str, Any]) -> None:
    """Put back what an import of an existing finding may not change; reset the workflow as AWS does."""
    d = finding.data
    kept = [*IMPORT_CANNOT_UPDATE, *(k for k in CUSTOMER_KEEPS if k in customer_fields(finding))]
    for key in kept:
        if key in before:
            d[key] = before[key]
        else:
            d.pop(key, None)
    wf = d.get("Workflow")
    if isinstance(wf, dict) and wf.get("Status") in ("NOTIFIED", "RESOLVED"):
        reactivated = before.get("RecordState") == "ARCHIVED" and d.get("RecordState") == "ACTIVE"
        failing_again = _compliance(before) == "PASSED" and _compliance(d) in ("FAILED", "WARNING", "NOT_AVAILABLE")
        if reactivated or failing_again:
            d["Workflow"] = {**wf, "Status": "NEW"}


def _on_create(finding: Finding) -> None:
    d = finding.data
    if not isinstance(d.get("Workflow"), dict) or not d["Workflow"].get("Status"):
        d["Workflow"] = {**(d.get("Workflow") or {}), "Status": "NEW"}
    d.setdefault("WorkflowState", "NEW")


def backend_batch_import_findings(self: SecurityHubBackend,
                                  findings: list[dict[str, Any]]) -> tuple[int, int, list[dict[str, Any]]]:
    failed_count = success_count = 0
    failed: list[dict[str, Any]] = []
    for finding_data in findings:
        with LOCK:
            fid = finding_data.get("Id") if isinstance(finding_data, dict) else None
            existing = next((f for f in self.findings if f.id == fid), None) if fid is not None else None
            before = copy.deepcopy(existing.data) if existing is not None else None
            f_count, s_count, f_list = ORIGINAL["SecurityHubBackend.batch_import_findings"](self, [finding_data])
            failed_count += f_count
            success_count += s_count
            failed.extend(f_list)
            if not s_count:
                continue
            if existing is not None and before is not None:
                _after_reimport(existing, before)
            else:
                created = next((f for f in reversed(self.findings) if f.id == fid), None)
                if created is not None:
                    _on_create(created)
    return failed_count, success_count, failed


# ---------------------------------------------------------------- GetFindings

def _filter_predicate(key: str, filters: Any) -> Callable[[dict[str, Any]], bool]:
    if not isinstance(filters, list):
        raise invalid(f"Invalid parameter 'Filters.{key}': must be a list of StringFilter")
    positive: list[tuple[Callable[[str, str], bool], str]] = []
    negative: list[tuple[Callable[[str, str], bool], str]] = []
    comparisons = set()
    for f in filters:
        if not isinstance(f, dict) or not _non_blank(f.get("Value")) or not f.get("Comparison"):
            raise invalid(f"Invalid parameter 'Filters.{key}': each StringFilter needs Value and Comparison")
        cmp, value = f["Comparison"], f["Value"]
        comparisons.add(cmp)
        if cmp in POSITIVE:
            positive.append((POSITIVE[cmp], value))
        elif cmp in NEGATIVE:
            negative.append((NEGATIVE[cmp], value))
        else:
            raise invalid(f"Invalid parameter 'Filters.{key}': Comparison {cmp!r} is not supported by GetFindings "
                          "here (EQUALS, PREFIX, NOT_EQUALS, PREFIX_NOT_EQUALS)")
    if "EQUALS" in comparisons and comparisons & {"NOT_EQUALS", "PREFIX_NOT_EQUALS"}:
        raise invalid(f"Invalid parameter 'Filters.{key}': an EQUALS filter cannot be combined with a NOT_EQUALS "
                      "or PREFIX_NOT_EQUALS filter on the same field")
    getter = FILTERED[key]

    def matches(d: dict[str, Any]) -> bool:
        v = getter(d)
        v = v if isinstance(v, str) else None
        if positive and (v is None or not any(m(v, x) for m, x in positive)):
            return False
        return v is None or not any(m(v, x) for m, x in negative)

    return matches


@paginate(pagination_model=SecurityHubBackend.PAGINATION_MODEL)
def get_findings(self: SecurityHubBackend, filters: dict[str, Any] | None = None,
                 sort_criteria: list[dict[str, str]] | None = None,
                 max_results: int | None = None) -> list[dict[str, Any]]:
    """moto's listing (its MaxResults checks included), narrowed by the filters this patch applies."""
    listing = ORIGINAL["SecurityHubBackend.get_findings"](
        self, filters=filters, sort_criteria=sort_criteria, max_results=max_results)
    predicates = [_filter_predicate(key, (filters or {})[key]) for key in FILTERED
                  if isinstance(filters, dict) and filters.get(key)]
    return [d for d in listing if all(p(d) for p in predicates)]


# ---------------------------------------------------------------- install

ORIGINAL: dict[str, Callable[..., Any]] = {}


def install() -> None:
    """Patch moto's Security Hub (idempotent). Call before moto's server handles its first Security Hub
    request: the Flask routes are read when moto builds the app."""
    with LOCK:
        if ORIGINAL:
            return
        if hasattr(SecurityHubResponse, "batch_update_findings"):
            raise RuntimeError("moto now implements batch_update_findings: review mocks/seedlib/securityhub_patch.py")
        ORIGINAL["SecurityHubBackend.batch_import_findings"] = SecurityHubBackend.batch_import_findings
        # get_findings is wrapped by moto's paginator; the patch re-wraps moto's undecorated listing.
        ORIGINAL["SecurityHubBackend.get_findings"] = SecurityHubBackend.get_findings.__wrapped__  # type: ignore[attr-defined]
        SecurityHubResponse.batch_update_findings = batch_update_findings  # type: ignore[attr-defined]
        SecurityHubBackend.batch_import_findings = backend_batch_import_findings  # type: ignore[method-assign]
        SecurityHubBackend.get_findings = get_findings  # type: ignore[method-assign]
        securityhub_urls.url_paths.update(URL_PATHS)

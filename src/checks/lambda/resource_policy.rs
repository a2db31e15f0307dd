//! A function's resource-based policy, parsed for the policy engine, and the callers the exposure
//! checks ask it about: an outsider in a foreign account, an anonymous caller of the function URL,
//! and an AWS service acting for someone else's resource (a confused deputy).

use crate::checks::inputs::{GET_FUNCTION_URL_CONFIG, GET_POLICY, Input};
use crate::checks::{Findings, gap_evidence};
use crate::finding::{FindingBuilder, FindingError, Status};
use crate::policy::{
    CallerPrincipal, Decision, KeyState, Policy, PolicyKind, PolicySource, Request, RequestContext,
    evaluate_resource_policy, parse_policy_value, statement_at,
};
use crate::snapshot::{Account, Collected, Function, FunctionUrl};
use serde_json::{Value, json};

/// The account the probes call from: one that is not the function's and not in its organization.
pub const OUTSIDER_ACCOUNT: &str = "999999999999";

/// What the snapshot says about a function's policy, ready for the engine.
pub enum FunctionPolicy<'a> {
    /// GetPolicy answered that the function has none.
    None,
    /// The parsed policy, and its document (the snapshot's) for citing statements.
    Present(Policy, &'a Value),
}

/// Why a function's policy cannot be evaluated.
pub enum Unavailable {
    /// GetPolicy failed or was not made.
    NotCollected,
    /// The document is not a policy the engine reads.
    Unreadable(crate::policy::PolicyError),
}

/// The function's policy, parsed, or why it is unavailable.
pub fn policy_of(function: &Function) -> Result<FunctionPolicy<'_>, Unavailable> {
    match &function.resource_policy {
        Collected::Absent => Ok(FunctionPolicy::None),
        Collected::NotCollected => Err(Unavailable::NotCollected),
        Collected::Present(doc) => parse_policy_value(
            PolicySource::new(function.arn.to_string(), PolicyKind::Resource),
            doc,
        )
        .map(|p| FunctionPolicy::Present(p, doc))
        .map_err(Unavailable::Unreadable),
    }
}

/// The function's policy, or `None` after pushing a `not_evaluated` finding (built from `b`) when it
/// was not collected or cannot be read.
pub fn load<'f>(
    account: &Account,
    function: &'f Function,
    b: FindingBuilder<'_>,
    out: &mut Findings<'_>,
) -> Result<Option<FunctionPolicy<'f>>, FindingError> {
    match policy_of(function) {
        Ok(p) => Ok(Some(p)),
        Err(why) => {
            out.push(unavailable(account, function, why, b))?;
            Ok(None)
        }
    }
}

/// `b` as the `not_evaluated` finding for an unavailable policy.
pub fn unavailable<'b>(
    account: &Account,
    function: &Function,
    why: Unavailable,
    b: FindingBuilder<'b>,
) -> FindingBuilder<'b> {
    match why {
        Unavailable::NotCollected => not_collected(account, function, GET_POLICY, b),
        Unavailable::Unreadable(e) => b
            .status(Status::NotEvaluated)
            .evidence("reason", "policy_unreadable")
            .evidence("policy_error", e.to_string())
            .message(format_args!(
                "Not evaluated: the resource policy of Lambda function {} cannot be read: {e}.",
                function.name
            )),
    }
}

/// The `not_evaluated` finding for a per-function read (`GetPolicy`, `GetFunctionUrlConfig`) that
/// failed; the gap recorded for the function is the evidence.
pub fn not_collected<'b>(
    account: &Account,
    function: &Function,
    input: Input,
    b: FindingBuilder<'b>,
) -> FindingBuilder<'b> {
    let gap = account
        .gaps_for_resource(&function.arn)
        .find(|g| input.is(g));
    let operation = input.operation;
    let b = b.status(Status::NotEvaluated);
    match gap {
        Some(g) => b.evidence("gap", gap_evidence(g)).message(format_args!(
            "Not evaluated: {input} failed for {} ({}).",
            function.name, g.error_code
        )),
        None => b
            .evidence("reason", format!("{operation}_not_collected"))
            .message(format_args!(
                "Not evaluated: {input} was not collected for {}.",
                function.name
            )),
    }
}

/// The context every probe shares: over TLS, not through another AWS service, from outside any VPC
/// endpoint; the organization keys absent (the caller is in no organization of ours).
fn base_context() -> RequestContext {
    RequestContext::new()
        .with_value("aws:SecureTransport", "true")
        .with_value("aws:ViaAWSService", "false")
        .with_absent("aws:PrincipalOrgID")
        .with_absent("aws:PrincipalOrgPaths")
        .with_absent("aws:SourceVpc")
        .with_absent("aws:SourceVpce")
        .with_absent("aws:CalledVia")
}

/// The outsider's role ARN.
fn outsider_arn(partition: &str) -> String {
    format!("arn:{partition}:iam::{OUTSIDER_ACCOUNT}:role/vpcwarden-outsider")
}

/// An arbitrary AWS caller of a foreign account invoking the function, with no source keys.
pub fn outsider_invoke(account: &Account, function: &Function) -> Request {
    let arn = outsider_arn(&account.partition);
    Request::new("lambda:InvokeFunction", function.arn.to_string())
        .with_principal(CallerPrincipal::Aws {
            arn: arn.clone(),
            account: OUTSIDER_ACCOUNT.into(),
        })
        .with_context(
            base_context()
                .with_value("aws:PrincipalAccount", OUTSIDER_ACCOUNT)
                .with_value("aws:PrincipalArn", arn)
                .with_value("aws:PrincipalType", "AssumedRole")
                .with_value("aws:PrincipalIsAWSService", "false")
                .with_absent("aws:SourceAccount")
                .with_absent("aws:SourceArn")
                .with_absent("aws:SourceOwner")
                .with_absent("aws:SourceOrgID")
                .with_absent("aws:SourceOrgPaths")
                .with_absent("lambda:FunctionUrlAuthType")
                .with_absent("lambda:InvokedViaFunctionUrl"),
        )
}

/// A caller of the function URL: anonymous when the URL's auth type is `NONE`, else the outsider.
/// Since October 2025 a URL call needs both `lambda:InvokeFunctionUrl` and `lambda:InvokeFunction`
/// (the latter with `lambda:InvokedViaFunctionUrl` true): the two requests, in that order.
pub fn url_invoke(account: &Account, function: &Function, auth_type: &str) -> [Request; 2] {
    let mut url = outsider_invoke(account, function);
    url.context.set(
        "lambda:FunctionUrlAuthType",
        KeyState::Present(vec![auth_type.to_string()]),
    );
    if auth_type.eq_ignore_ascii_case("NONE") {
        url.principal = Some(CallerPrincipal::Anonymous);
        for key in ["aws:PrincipalAccount", "aws:PrincipalArn"] {
            url.context.set(key, KeyState::Absent);
        }
        url.context.set(
            "aws:PrincipalType",
            KeyState::Present(vec!["Anonymous".into()]),
        );
    }
    let mut invoke = url.clone();
    invoke.context.set(
        "lambda:InvokedViaFunctionUrl",
        KeyState::Present(vec!["true".into()]),
    );
    url.action = "lambda:InvokeFunctionUrl".into();
    [url, invoke]
}

/// Whether the policy lets the URL's caller through: both requests of [`url_invoke`] allowed.
pub fn url_decision(
    account: &Account,
    function: &Function,
    auth_type: &str,
    policy: &Policy,
) -> Decision {
    let [url, invoke] = url_invoke(account, function, auth_type);
    match (
        evaluate_resource_policy(&url, policy),
        evaluate_resource_policy(&invoke, policy),
    ) {
        (Decision::Allowed { by: mut a }, Decision::Allowed { by: b }) => {
            a.extend(b);
            Decision::Allowed { by: a }
        }
        (d @ Decision::Denied { .. }, _) | (_, d @ Decision::Denied { .. }) => d,
        (d @ Decision::Unknown { .. }, _) | (_, d) => d,
    }
}

/// The source ARNs a confused deputy could present for `service`: a resource of a foreign account,
/// and each `aws:SourceArn` value the policy names for that service with its account swapped for a
/// foreign one. An ARN without an account (an S3 bucket) stays as it is: anyone can own a bucket
/// of a free name, including one deleted later.
pub fn foreign_sources(
    account: &Account,
    region: &str,
    service: &str,
    document: &Value,
) -> Vec<String> {
    let short = service.split('.').next().unwrap_or(service);
    let generic = if short == "s3" {
        format!(
            "arn:{}:s3:::vpcwarden-confused-deputy-probe",
            account.partition
        )
    } else {
        format!(
            "arn:{}:{short}:{region}:{OUTSIDER_ACCOUNT}:vpcwarden-confused-deputy-probe",
            account.partition
        )
    };
    let mut out = vec![generic];
    let statements: Vec<&Value> = match document.get("Statement") {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(o @ Value::Object(_)) => vec![o],
        _ => Vec::new(),
    };
    for st in statements {
        let names_service = match st.get("Principal").and_then(|p| p.get("Service")) {
            Some(Value::String(s)) => s == service,
            Some(Value::Array(a)) => a.iter().any(|s| s.as_str() == Some(service)),
            _ => false,
        };
        let Some(Value::Object(conditions)) = st.get("Condition") else {
            continue;
        };
        if !names_service {
            continue;
        }
        for block in conditions.values().filter_map(Value::as_object) {
            for (key, values) in block {
                if !key.eq_ignore_ascii_case("aws:SourceArn") {
                    continue;
                }
                let values: Vec<&str> = match values {
                    Value::String(v) => vec![v.as_str()],
                    Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                    _ => Vec::new(),
                };
                for v in values {
                    let mut parts: Vec<&str> = v.splitn(6, ':').collect();
                    if parts.len() == 6 && !parts[4].is_empty() {
                        parts[4] = OUTSIDER_ACCOUNT;
                    }
                    let candidate = parts.join(":");
                    if !out.contains(&candidate) {
                        out.push(candidate);
                    }
                }
            }
        }
    }
    out
}

/// `service` invoking the function on behalf of `source`, a resource of a foreign account (a
/// confused deputy).
pub fn service_invoke(function: &Function, service: &str, source: &str) -> Request {
    Request::new("lambda:InvokeFunction", function.arn.to_string())
        .with_principal(CallerPrincipal::Service(service.to_string()))
        .with_context(
            base_context()
                .with_value("aws:PrincipalIsAWSService", "true")
                .with_value("aws:PrincipalServiceName", service)
                .with_value("aws:SourceAccount", OUTSIDER_ACCOUNT)
                .with_value("aws:SourceOwner", OUTSIDER_ACCOUNT)
                .with_value("aws:SourceArn", source)
                .with_absent("aws:SourceOrgID")
                .with_absent("aws:SourceOrgPaths")
                .with_absent("aws:PrincipalAccount")
                .with_absent("aws:PrincipalArn")
                .with_absent("lambda:FunctionUrlAuthType")
                .with_absent("lambda:InvokedViaFunctionUrl"),
        )
}

/// The statements a decision cites, each with its JSON from the policy document.
pub fn cite(decision: &Decision, document: &Value) -> Value {
    decision
        .cited()
        .iter()
        .map(|r| json!({ "sid": r.sid, "index": r.index, "statement": statement_at(document, r.index) }))
        .collect()
}

/// The function's URL configuration, or `None` after pushing the verdict when there is nothing to
/// judge: `pass` when the function has no URL, `not_evaluated` when the read failed.
pub fn load_url<'f>(
    account: &Account,
    function: &'f Function,
    b: FindingBuilder<'_>,
    out: &mut Findings<'_>,
) -> Result<Option<&'f FunctionUrl>, FindingError> {
    match &function.url_config {
        Collected::Present(url) => Ok(Some(url)),
        Collected::NotCollected => {
            out.push(not_collected(account, function, GET_FUNCTION_URL_CONFIG, b))?;
            Ok(None)
        }
        Collected::Absent => {
            out.push(
                b.status(Status::Pass)
                    .evidence("url", None::<&str>)
                    .message(format_args!(
                        "Lambda function {} has no function URL.",
                        function.name
                    )),
            )?;
            Ok(None)
        }
    }
}

/// The 12-digit accounts a resource policy names: AWS principals (an account id, or the account of
/// an ARN), and the values of `aws:SourceAccount`, `aws:SourceOwner` and `aws:PrincipalAccount`
/// conditions. Sorted, each once.
pub fn named_accounts(document: &Value) -> Vec<String> {
    fn strings(v: &Value) -> Vec<&str> {
        match v {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        }
    }
    fn account_of(s: &str) -> Option<String> {
        let id = if s.starts_with("arn:") {
            s.split(':').nth(4)?
        } else {
            s
        };
        (id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit())).then(|| id.to_string())
    }
    let statements: Vec<&Value> = match document.get("Statement") {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(o @ Value::Object(_)) => vec![o],
        _ => Vec::new(),
    };
    let mut out = std::collections::BTreeSet::new();
    for st in statements {
        for field in ["Principal", "NotPrincipal"] {
            if let Some(aws) = st.get(field).and_then(|p| p.get("AWS")) {
                out.extend(strings(aws).into_iter().filter_map(account_of));
            }
        }
        if let Some(Value::Object(conditions)) = st.get("Condition") {
            for block in conditions.values().filter_map(Value::as_object) {
                for (key, values) in block {
                    let key = key.to_ascii_lowercase();
                    if matches!(
                        key.as_str(),
                        "aws:sourceaccount" | "aws:sourceowner" | "aws:principalaccount"
                    ) {
                        out.extend(strings(values).into_iter().filter_map(account_of));
                    }
                }
            }
        }
    }
    out.into_iter().collect()
}

/// For an organization run (which lists the members): the accounts the function's resource policy
/// names, each with whether it belongs to the scanned organization, so a grant to a sister account
/// reads differently from one to a stranger. Outside an organization run membership is unknown and
/// nothing is added.
pub fn with_organization_evidence<'b>(
    members: Option<&[String]>,
    function: &Function,
    b: FindingBuilder<'b>,
) -> FindingBuilder<'b> {
    let (Some(members), Collected::Present(document)) = (members, &function.resource_policy) else {
        return b;
    };
    let named: Vec<Value> = named_accounts(document)
        .into_iter()
        .map(|a| {
            let member = members.contains(&a);
            json!({"account": a, "in_organization": member})
        })
        .collect();
    if named.is_empty() {
        return b;
    }
    b.evidence("named_accounts", named)
}

/// The visitor of the resource-policy checks (LAMBDA001, LAMBDA103): every invocation surface of
/// every function ([`super::each_surface`]), each finding carrying, in an organization run, which
/// accounts the policy names and whether they are members.
pub fn each_policy_surface<'t>(
    ctx: &crate::checks::CheckContext<'_>,
    out: &mut Findings<'t>,
    judge: fn(
        &Account,
        &crate::snapshot::RegionData,
        &Function,
        FindingBuilder<'t>,
        &mut Findings<'t>,
    ) -> Result<(), FindingError>,
) -> Result<(), FindingError> {
    let members = ctx.organization_accounts();
    super::each_surface(
        ctx,
        out,
        |_| true,
        |account, region, function, b, out| {
            judge(
                account,
                region,
                function,
                with_organization_evidence(members, function, b),
                out,
            )
        },
    )
}

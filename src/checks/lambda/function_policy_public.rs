//! LAMBDA001 `function-policy-public`: the function's resource policy lets anyone invoke it
//! (Security Hub Lambda.1), decided by asking the policy engine about an outsider.

use super::resource_policy::{
    FunctionPolicy, cite, each_policy_surface, load, not_collected, outsider_invoke, url_decision,
};
use crate::checks::inputs::GET_FUNCTION_URL_CONFIG;
use crate::checks::{CheckContext, CheckDef, Findings};
use crate::finding::{FindingBuilder, FindingError, Status};
use crate::policy::{Decision, evaluate_resource_policy};
use crate::snapshot::{Account, Collected, Function, RegionData};

/// The registry line.
pub const CHECK: CheckDef = CheckDef {
    catalog: include_str!("../../../checks/lambda/LAMBDA001-function-policy-public.md"),
    run,
    options: None,
};

fn run(ctx: &CheckContext<'_>, out: &mut Findings<'_>) -> Result<(), FindingError> {
    each_policy_surface(ctx, out, judge)
}

fn judge<'t>(
    account: &Account,
    _region: &RegionData,
    function: &Function,
    b: FindingBuilder<'t>,
    out: &mut Findings<'t>,
) -> Result<(), FindingError> {
    let Some(policy) = load(account, function, b.clone(), out)? else {
        return Ok(());
    };
    let (policy, document) = match policy {
        FunctionPolicy::None => {
            return out.push(
                b.status(Status::Pass)
                    .evidence("resource_policy", false)
                    .message(format_args!(
                        "Lambda function {} has no resource policy: only principals of its own account with IAM permissions may invoke it.",
                        function.name
                    )),
            );
        }
        FunctionPolicy::Present(p, d) => (p, d),
    };
    // The outsider through the API, and through the URL when the function has one.
    let mut probes = vec![(
        "lambda:InvokeFunction",
        evaluate_resource_policy(&outsider_invoke(account, function), &policy),
    )];
    match &function.url_config {
        Collected::Present(url) => probes.push((
            "lambda:InvokeFunctionUrl",
            url_decision(account, function, &url.auth_type, &policy),
        )),
        Collected::Absent => {}
        Collected::NotCollected => {
            // Public through the API already is decided without the URL.
            if !probes[0].1.is_allowed() {
                return out.push(not_collected(account, function, GET_FUNCTION_URL_CONFIG, b));
            }
        }
    }
    let b = b.evidence("resource_policy", true);
    if let Some((action, decision)) = probes.iter().find(|(_, d)| d.is_allowed()) {
        return out.push(
            b.status(Status::Fail)
                .evidence("public_action", *action)
                .evidence("allowed_by", cite(decision, document))
                .message(if *action == "lambda:InvokeFunctionUrl" {
                    format!(
                        "Lambda function {} is public: its resource policy lets any caller invoke it through its function URL (lambda:InvokeFunctionUrl and lambda:InvokeFunction) with no condition that pins the caller to a known account, organization or source.",
                        function.name
                    )
                } else {
                    format!(
                        "Lambda function {} is public: its resource policy lets any AWS account call {action} with no condition that pins the caller to a known account, organization or source.",
                        function.name
                    )
                }),
        );
    }
    if let Some((action, decision)) = probes
        .iter()
        .find(|(_, d)| matches!(d, Decision::Unknown { .. }))
    {
        let reason = match decision {
            Decision::Unknown { reason, .. } => reason.as_str(),
            _ => "",
        };
        return out.push(
            b.status(Status::NotEvaluated)
                .evidence("reason", "decision_unknown")
                .evidence("unknown", reason)
                .evidence("statements", cite(decision, document))
                .message(format_args!(
                    "Not evaluated: whether an outsider may call {action} on {} depends on facts not known: {reason}.",
                    function.name
                )),
        );
    }
    // An explicit Deny (a whole document written with PutResourcePolicy) is what decided: cite it.
    let b = match probes
        .iter()
        .find(|(_, d)| matches!(d, Decision::Denied { explicit: true, .. }))
    {
        Some((_, decision)) => b.evidence("denied_by", cite(decision, document)),
        None => b,
    };
    out.push(b.status(Status::Pass).message(format_args!(
        "The resource policy of Lambda function {} admits no caller outside the accounts, organizations and sources it names.",
        function.name
    )))
}

//! LAMBDA103 `function-policy-unscoped-service`: the resource policy lets an AWS service invoke the
//! function on behalf of anyone's resource (confused deputy): no `aws:SourceAccount`/`aws:SourceArn`.

use super::resource_policy::{
    FunctionPolicy, cite, each_policy_surface, foreign_sources, load, service_invoke,
};
use crate::checks::{CheckContext, CheckDef, Findings};
use crate::finding::{FindingBuilder, FindingError, Status};
use crate::policy::{Decision, Effect, evaluate_resource_policy};
use crate::snapshot::{Account, Function, RegionData};
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// The registry line.
pub const CHECK: CheckDef = CheckDef {
    catalog: include_str!("../../../checks/lambda/LAMBDA103-function-policy-unscoped-service.md"),
    run,
    options: None,
};

fn run(ctx: &CheckContext<'_>, out: &mut Findings<'_>) -> Result<(), FindingError> {
    each_policy_surface(ctx, out, judge)
}

fn judge<'t>(
    account: &Account,
    region: &RegionData,
    function: &Function,
    b: FindingBuilder<'t>,
    out: &mut Findings<'t>,
) -> Result<(), FindingError> {
    let Some(policy) = load(account, function, b.clone(), out)? else {
        return Ok(());
    };
    let FunctionPolicy::Present(policy, document) = policy else {
        return out.push(b.status(Status::Pass).message(format_args!(
            "Lambda function {} has no resource policy, so no AWS service may invoke it on anyone's behalf.",
            function.name
        )));
    };
    let services: BTreeSet<&str> = policy
        .statements()
        .iter()
        .filter(|s| s.effect() == Effect::Allow)
        .flat_map(|s| s.service_principals().iter().map(String::as_str))
        .collect();
    let mut unscoped: Vec<Value> = Vec::new();
    let mut unknown: Vec<Value> = Vec::new();
    let mut denied: Vec<Value> = Vec::new();
    for service in &services {
        // The service acting for a foreign resource: a generic one, and each source the policy
        // names with a foreign account. Allowed for any of them is a confused deputy.
        let decisions: Vec<Decision> = foreign_sources(account, &region.region, service, document)
            .iter()
            .map(|source| {
                evaluate_resource_policy(&service_invoke(function, service, source), &policy)
            })
            .collect();
        let Some(decision) = decisions
            .iter()
            .find(|d| d.is_allowed())
            .or_else(|| decisions.iter().find(|d| !d.is_denied()))
            .or(decisions.first())
            .cloned()
        else {
            continue;
        };
        match &decision {
            Decision::Allowed { .. } => unscoped.push(json!({
                "principal": service,
                "statements": cite(&decision, document),
            })),
            Decision::Unknown { reason, .. } => unknown.push(json!({
                "principal": service,
                "unknown": reason,
                "statements": cite(&decision, document),
            })),
            Decision::Denied { explicit: true, .. } => denied.push(json!({
                "principal": service,
                "statements": cite(&decision, document),
            })),
            Decision::Denied { .. } => {}
        }
    }
    let b = b.evidence("service_principals", json!(services));
    if !unscoped.is_empty() {
        let names: Vec<String> = unscoped
            .iter()
            .filter_map(|u| u["principal"].as_str().map(str::to_string))
            .collect();
        return out.push(
            b.status(Status::Fail)
                .evidence("unscoped", unscoped)
                .message(format_args!(
                    "The resource policy of Lambda function {} lets {} invoke it for any account's resources: no aws:SourceAccount or aws:SourceArn condition binds the grant to your own account or resources (confused deputy).",
                    function.name,
                    names.join(", ")
                )),
        );
    }
    if !unknown.is_empty() {
        return out.push(
            b.status(Status::NotEvaluated)
                .evidence("reason", "decision_unknown")
                .evidence("unknown", unknown)
                .message(format_args!(
                    "Not evaluated: whether a service may invoke Lambda function {} for a foreign resource depends on facts not known.",
                    function.name
                )),
        );
    }
    // An explicit Deny (a whole document written with PutResourcePolicy) decided: cite it.
    let b = if denied.is_empty() {
        b
    } else {
        b.evidence("denied_by", denied)
    };
    out.push(b.status(Status::Pass).message(if services.is_empty() {
        format!(
            "The resource policy of Lambda function {} grants no AWS service principal.",
            function.name
        )
    } else {
        format!(
            "Every AWS service the resource policy of Lambda function {} admits is bound to a source account or resource.",
            function.name
        )
    }))
}

//! IAM001 `role-eni-write-unconditioned`: a Lambda execution role lets the function's own code
//! create, delete or rewire network interfaces (no `lambda:SourceFunctionArn` guard).

use super::principals::{AccountPolicies, PrincipalSet};
use super::{
    ExecutionRole, code_context, each_execution_role, probe_function_arn, probe_region,
    role_finding, statement_json,
};
use crate::checks::{CheckContext, CheckDef, Findings};
use crate::finding::{FindingError, Status};
use crate::policy::{Decision, PolicyKind, Request, StatementRef, evaluate_identity};
use crate::snapshot::Account;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// The registry line.
pub const CHECK: CheckDef = CheckDef {
    catalog: include_str!("../../../checks/iam/IAM001-role-eni-write-unconditioned.md"),
    run,
    options: None,
};

/// Every EC2 action that creates, deletes or changes a network interface or its addresses.
pub const ENI_MUTATING_ACTIONS: &[&str] = &[
    "ec2:AssignIpv6Addresses",
    "ec2:AssignPrivateIpAddresses",
    "ec2:AttachNetworkInterface",
    "ec2:CreateNetworkInterface",
    "ec2:CreateNetworkInterfacePermission",
    "ec2:DeleteNetworkInterface",
    "ec2:DetachNetworkInterface",
    "ec2:ModifyNetworkInterfaceAttribute",
    "ec2:ResetNetworkInterfaceAttribute",
    "ec2:UnassignIpv6Addresses",
    "ec2:UnassignPrivateIpAddresses",
];

fn run(ctx: &CheckContext<'_>, out: &mut Findings<'_>) -> Result<(), FindingError> {
    each_execution_role(ctx, out, judge)
}

/// An ENI that belongs to nobody in particular: what "any ENI" means for the request.
fn probe_eni(account: &Account, region: &str) -> String {
    format!(
        "arn:{}:ec2:{region}:{}:network-interface/eni-0vpcwarden0probe0",
        account.partition, account.account_id
    )
}

fn judge(
    account: &Account,
    policies: &AccountPolicies,
    exec: &ExecutionRole<'_>,
    set: &PrincipalSet,
    out: &mut Findings<'_>,
) -> Result<(), FindingError> {
    let region = probe_region(account, &exec.functions);
    let function_arn = probe_function_arn(account, region, &exec.functions);
    let scps = policies.scps_for(exec.entry);
    let engine = set.with_scps(scps.levels);
    let context = code_context(account, exec.role, &function_arn, region)
        // The network interface is "any": its subnet, VPC and tags are not the role's choice to pin.
        .with_value("ec2:Region", region)
        .with_value(
            "ec2:Subnet",
            format!(
                "arn:{}:ec2:{region}:{}:subnet/subnet-0vpcwarden0probe0",
                account.partition, account.account_id
            ),
        )
        .with_value(
            "ec2:Vpc",
            format!(
                "arn:{}:ec2:{region}:{}:vpc/vpc-0vpcwarden0probe0",
                account.partition, account.account_id
            ),
        );
    let resource = probe_eni(account, region);
    let mut allowed: BTreeMap<&str, Vec<StatementRef>> = BTreeMap::new();
    let mut unknown: BTreeMap<&str, String> = BTreeMap::new();
    let mut decisions: BTreeMap<&str, &'static str> = BTreeMap::new();
    // One request, its action changed in place: the context is built once per role.
    let mut request = Request::new("", resource.clone()).with_context(context);
    for action in ENI_MUTATING_ACTIONS {
        request.action.clear();
        request.action.push_str(action);
        let decision = evaluate_identity(&request, &engine);
        decisions.insert(action, decision.label());
        match decision {
            Decision::Allowed { by } => {
                allowed.insert(action, by);
            }
            Decision::Unknown { reason, .. } => {
                unknown.insert(action, reason);
            }
            Decision::Denied { .. } => {}
        }
    }
    let b = role_finding(out, account, exec)
        .evidence("lambda_trust", exec.trust)
        .evidence("decisions", json!(decisions))
        .evidence("scps_evaluated", scps.unknown.is_none())
        .evidence(
            "probe_request",
            json!({
                "resource": request.resource,
                "lambda:SourceFunctionArn": function_arn,
            }),
        );
    let b = match scps.unknown {
        Some(why) => b.evidence("scps_unknown", why),
        None => b,
    };
    if !allowed.is_empty() {
        let mut granting: Vec<StatementRef> = allowed
            .values()
            .flatten()
            .filter(|s| {
                matches!(
                    s.policy_kind,
                    PolicyKind::IdentityInline | PolicyKind::IdentityManaged
                )
            })
            .cloned()
            .collect();
        granting.sort_by(|a, b| (&*a.policy_id, a.index).cmp(&(&*b.policy_id, b.index)));
        granting.dedup();
        let rewritten: Vec<Value> = granting
            .iter()
            .filter_map(|s| {
                statement_json(account, exec.role, s)
                    .map(|st| json!({"policy": s.policy_id, "statement": with_null_guard(st)}))
            })
            .collect();
        let actions: Vec<&str> = allowed.keys().copied().collect();
        let policies_named: Vec<&str> = {
            let mut v: Vec<&str> = granting.iter().map(|s| &*s.policy_id).collect();
            v.dedup();
            v
        };
        let caveat = if scps.unknown.is_some() {
            " (SCPs could not be read; one of them may still deny this)"
        } else {
            ""
        };
        return out.push(
            b.status(Status::Fail)
                .evidence("allowed_actions", json!(actions))
                .evidence("granted_by", json!(granting))
                .evidence("remediation_statements", json!(rewritten))
                .message(format_args!(
                    "Code running as Lambda execution role {} may call {} on any network interface: granted by {} without a \"Null\": {{\"lambda:SourceFunctionArn\": \"true\"}} guard{caveat}.",
                    exec.role.name,
                    actions.join(", "),
                    policies_named.join(", ")
                )),
        );
    }
    if !unknown.is_empty() {
        let reasons: Vec<String> = unknown.iter().map(|(a, r)| format!("{a}: {r}")).collect();
        return out.push(
            b.status(Status::NotEvaluated)
                .evidence("reason", "decision_unknown")
                .evidence("unknown", json!(unknown))
                .message(format_args!(
                    "Not evaluated: whether code running as {} may change network interfaces depends on facts not known: {}.",
                    exec.role.name,
                    reasons.join("; ")
                )),
        );
    }
    out.push(b.status(Status::Pass).message(format_args!(
        "Code running as Lambda execution role {} may not create, delete or change network interfaces.",
        exec.role.name
    )))
}

/// The statement with `"Null": {"lambda:SourceFunctionArn": "true"}` added to its conditions: the
/// Lambda service (which manages the function's ENIs) keeps the right, the function's code loses it.
pub fn with_null_guard(mut statement: Value) -> Value {
    if let Some(obj) = statement.as_object_mut() {
        let condition = obj.entry("Condition").or_insert_with(|| json!({}));
        if let Some(cond) = condition.as_object_mut() {
            let null = cond.entry("Null").or_insert_with(|| json!({}));
            if let Some(null) = null.as_object_mut() {
                null.insert("lambda:SourceFunctionArn".to_string(), json!("true"));
            }
        }
    }
    statement
}

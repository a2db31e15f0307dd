//! IAM003 `role-admin-access`: a Lambda execution role may do anything to anything (`*` on `*`).

use super::{code_context, each_execution_role, probe_function_arn, probe_region, role_finding};
use crate::checks::{CheckContext, CheckDef, Findings};
use crate::finding::{FindingError, Status};
use crate::policy::{Decision, PolicyKind, Request, evaluate_identity};
use serde_json::json;

/// The registry line.
pub const CHECK: CheckDef = CheckDef {
    catalog: include_str!("../../../checks/iam/IAM003-role-admin-access.md"),
    run,
    options: None,
};

/// Actions no policy names on purpose, one per sensitive namespace plus one in no namespace AWS
/// has: only `"Action": "*"` (or a `NotAction` that spares them all) allows every one of them. A
/// grant of named services or actions, or of everything but IAM (PowerUserAccess), does not.
pub const ANY_ACTION_PROBES: &[&str] = &[
    "vpcwarden-probe:AnyAction",
    "iam:VpcwardenProbeAnyAction",
    "sts:VpcwardenProbeAnyAction",
    "organizations:VpcwardenProbeAnyAction",
    "ec2:VpcwardenProbeAnyAction",
    "kms:VpcwardenProbeAnyAction",
    "s3:VpcwardenProbeAnyAction",
];

fn run(ctx: &CheckContext<'_>, out: &mut Findings<'_>) -> Result<(), FindingError> {
    each_execution_role(ctx, out, |account, policies, exec, set, out| {
        let region = probe_region(account, &exec.functions);
        let function_arn = probe_function_arn(account, region, &exec.functions);
        let scps = policies.scps_for(exec.entry);
        let engine = set.with_scps(scps.levels);
        let context = code_context(account, exec.role, &function_arn, region);
        // Any resource: an ARN no policy scopes to on purpose; only `*` (or NotResource) covers it.
        let resource = format!(
            "arn:{}:vpcwarden-probe:{region}:{}:anything/any",
            account.partition, account.account_id
        );
        let mut request = Request::new("", resource).with_context(context);
        let decisions: Vec<Decision> = ANY_ACTION_PROBES
            .iter()
            .map(|a| {
                request.action.clear();
                request.action.push_str(a);
                evaluate_identity(&request, &engine)
            })
            .collect();
        let b = role_finding(out, account, exec).evidence("scps_evaluated", scps.unknown.is_none());
        let b = if decisions.iter().all(Decision::is_allowed) {
            let mut by: Vec<_> = decisions
                .iter()
                .flat_map(|d| match d {
                    Decision::Allowed { by } => by.clone(),
                    _ => Vec::new(),
                })
                // The grant is the identity statements'; boundary and SCP allows only let it be.
                .filter(|s| {
                    matches!(
                        s.policy_kind,
                        PolicyKind::IdentityInline | PolicyKind::IdentityManaged
                    )
                })
                .collect();
            by.sort_by(|a, b| (&*a.policy_id, a.index).cmp(&(&*b.policy_id, b.index)));
            by.dedup();
            let names: Vec<&str> = {
                let mut v: Vec<&str> = by.iter().map(|s| &*s.policy_id).collect();
                v.dedup();
                v
            };
            b.status(Status::Fail).evidence("granted_by", json!(by)).message(format_args!(
            "Lambda execution role {} may perform any action on any resource (granted by {}): code running in {} can do anything in the account.",
            exec.role.name,
            names.join(", "),
            if exec.functions.is_empty() { "any function that uses it".to_string() } else { exec.function_arns().join(", ") }
        ))
        } else if decisions.iter().any(Decision::is_denied) {
            b.status(Status::Pass).message(format_args!(
                "Lambda execution role {} may not perform every action on every resource.",
                exec.role.name
            ))
        } else {
            let reasons: Vec<String> = decisions
                .iter()
                .filter_map(|d| match d {
                    Decision::Unknown { reason, .. } => Some(reason.clone()),
                    _ => None,
                })
                .collect();
            b.status(Status::NotEvaluated)
                .evidence("reason", "decision_unknown")
                .evidence("unknown", json!(reasons))
                .message(format_args!(
                    "Not evaluated: whether {} may do anything depends on facts not known: {}.",
                    exec.role.name,
                    reasons.join("; ")
                ))
        };
        out.push(b)
    })
}

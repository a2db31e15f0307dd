//! IAM004 `role-logs-missing`: a function's execution role cannot write its logs to CloudWatch Logs,
//! so the function runs blind.

use super::{Needs, code_context, each_execution_role, functions_gap, role_finding};
use crate::checks::{CheckContext, CheckDef, Findings, gap_evidence};
use crate::finding::{FindingError, Status};
use crate::policy::{Request, evaluate_identity};
use serde_json::json;

/// The registry line.
pub const CHECK: CheckDef = CheckDef {
    catalog: include_str!("../../../checks/iam/IAM004-role-logs-missing.md"),
    run,
    options: None,
};

fn run(ctx: &CheckContext<'_>, out: &mut Findings<'_>) -> Result<(), FindingError> {
    each_execution_role(ctx, out, |account, policies, exec, set, out| {
        let unlisted = functions_gap(account);
        if exec.functions.is_empty() && (unlisted.is_none() || exec.trust != "allowed") {
            return Ok(());
        }
        let scps = policies.scps_for(exec.entry);
        let engine = set.with_scps(scps.levels);
        let mut needs = Needs::default();
        for (region, function) in &exec.functions {
            // CreateLogStream is on the log group; PutLogEvents on a stream of it (a Deny or Allow
            // scoped to `log-stream:*` must be seen).
            let group = format!(
                "arn:{}:logs:{region}:{}:log-group:{}",
                account.partition,
                account.account_id,
                function.log_group_name()
            );
            let asks = [
                ("logs:CreateLogStream", format!("{group}:*")),
                (
                    "logs:PutLogEvents",
                    format!("{group}:log-stream:2026/01/01/[$LATEST]vpcwarden-probe"),
                ),
            ];
            // One request, its action and resource changed between the two asks.
            let mut request = Request::new("", "").with_context(code_context(
                account,
                exec.role,
                &function.arn,
                region,
            ));
            for (action, resource) in asks {
                request.action = action.to_string();
                request.resource = resource;
                needs.record(&evaluate_identity(&request, &engine), || {
                    json!({ "function": function.arn, "action": action, "resource": request.resource })
                });
            }
        }
        let b = role_finding(out, account, exec).evidence("scps_evaluated", scps.unknown.is_none());
        let b = if !needs.missing.is_empty() {
            let mut blind: Vec<&str> = needs
                .missing
                .iter()
                .filter_map(|m| m["function"].as_str())
                .collect();
            blind.dedup();
            b.status(Status::Fail)
                .evidence("missing", json!(needs.missing))
                .message(format_args!(
                    "Execution role {} cannot write CloudWatch Logs (logs:CreateLogStream and logs:PutLogEvents on their log groups) for {}: those functions run blind.",
                    exec.role.name,
                    blind.join(", ")
                ))
        } else if !needs.unknown.is_empty() {
            b.status(Status::NotEvaluated)
                .evidence("reason", "decision_unknown")
                .evidence("unknown", json!(needs.unknown))
                .message(format_args!(
                    "Not evaluated: whether execution role {} may write its functions' logs depends on facts not known.",
                    exec.role.name
                ))
        } else if let Some(gap) = unlisted {
            b.status(Status::NotEvaluated)
                .evidence("gap", gap_evidence(gap))
                .message(format_args!(
                    "Not evaluated: lambda:ListFunctions failed in {} ({}), so not every function using execution role {} is known.",
                    gap.region, gap.error_code, exec.role.name
                ))
        } else {
            b.status(Status::Pass).message(format_args!(
                "Execution role {} may write the CloudWatch Logs of all {} function(s) that use it.",
                exec.role.name,
                exec.functions.len()
            ))
        };
        out.push(b)
    })
}

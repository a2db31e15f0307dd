//! IAM004 `role-logs-missing`: a function's execution role cannot write its logs to CloudWatch Logs,
//! so the function runs blind.

use super::{Needs, code_context, each_execution_role};
use crate::checks::{CheckContext, CheckDef, Findings};
use crate::finding::{FindingError, Status};
use crate::policy::{Request, evaluate_identity};
use crate::snapshot::GLOBAL_REGION;
use serde_json::json;

/// The registry line.
pub const CHECK: CheckDef = CheckDef {
    catalog: include_str!("../../../checks/iam/IAM004-role-logs-missing.md"),
    run,
};

/// What Lambda needs the role to do on the function's log group.
pub const LOG_ACTIONS: &[&str] = &["logs:CreateLogStream", "logs:PutLogEvents"];

fn run(ctx: &CheckContext<'_>, out: &mut Findings<'_>) -> Result<(), FindingError> {
    each_execution_role(ctx, out, |account, policies, exec, set, out| {
        if exec.functions.is_empty() {
            return Ok(());
        }
        let scps = policies.scps_for(exec.entry);
        let engine = set.with_scps(scps.levels);
        let mut needs = Needs::default();
        for (region, function) in &exec.functions {
            let log_group = format!(
                "arn:{}:logs:{region}:{}:log-group:{}:*",
                account.partition,
                account.account_id,
                function.log_group_name()
            );
            let mut request = Request::new("", log_group.clone()).with_context(code_context(
                account,
                exec.role,
                &function.arn,
                region,
            ));
            for action in LOG_ACTIONS {
                request.action.clear();
                request.action.push_str(action);
                needs.record(
                    &evaluate_identity(&request, &engine),
                    json!({ "function": function.arn, "action": action, "resource": log_group }),
                );
            }
        }
        let functions: Vec<&str> = exec.functions.iter().map(|(_, f)| f.arn.as_str()).collect();
        let b = out
            .builder(&account.account_id, GLOBAL_REGION)
            .resource(&exec.role.arn)
            .evidence("role_name", exec.role.name.as_str())
            .evidence("functions", json!(functions))
            .evidence("scps_evaluated", scps.unknown.is_none());
        let b = if !needs.missing.is_empty() {
            let mut blind: Vec<&str> = needs
                .missing
                .iter()
                .filter_map(|m| m["function"].as_str())
                .collect();
            blind.dedup();
            b.status(Status::Fail)
                .evidence("missing", json!(needs.missing))
                .message(format!(
                    "Execution role {} cannot write CloudWatch Logs (logs:CreateLogStream and logs:PutLogEvents on their log groups) for {}: those functions run blind.",
                    exec.role.name,
                    blind.join(", ")
                ))
        } else if !needs.unknown.is_empty() {
            b.status(Status::NotEvaluated)
                .evidence("reason", "decision_unknown")
                .evidence("unknown", json!(needs.unknown))
                .message(format!(
                    "Not evaluated: whether execution role {} may write its functions' logs depends on facts not known.",
                    exec.role.name
                ))
        } else {
            b.status(Status::Pass).message(format!(
                "Execution role {} may write the CloudWatch Logs of all {} function(s) that use it.",
                exec.role.name,
                functions.len()
            ))
        };
        out.push(b)
    })
}

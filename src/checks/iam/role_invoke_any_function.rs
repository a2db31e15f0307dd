//! IAM006 `role-invoke-any-function`: a Lambda execution role may invoke every function of the
//! account, not only the ones it was meant to call.

use super::{
    cited, code_context, each_execution_role, probe_function_arn, probe_region, role_finding,
};
use crate::checks::{CheckContext, CheckDef, Findings};
use crate::finding::{FindingError, Status};
use crate::policy::{Decision, Request, evaluate_identity};

/// The registry line.
pub const CHECK: CheckDef = CheckDef {
    catalog: include_str!("../../../checks/iam/IAM006-role-invoke-any-function.md"),
    run,
    options: None,
};

fn run(ctx: &CheckContext<'_>, out: &mut Findings<'_>) -> Result<(), FindingError> {
    each_execution_role(ctx, out, |account, policies, exec, set, out| {
        let region = probe_region(account, &exec.functions);
        let function_arn = probe_function_arn(account, region, &exec.functions);
        let scps = policies.scps_for(exec.entry);
        let engine = set.with_scps(scps.levels);
        // A function no policy names on purpose: only a wildcard grant covers it.
        let target = format!(
            "arn:{}:lambda:{region}:{}:function:vpcwarden-probe-any-function",
            account.partition, account.account_id
        );
        let request = Request::new("lambda:InvokeFunction", target.clone())
            .with_context(code_context(account, exec.role, &function_arn, region));
        let decision = evaluate_identity(&request, &engine);
        let b = role_finding(out, account, exec)
            .evidence("probe_function", target)
            .evidence("scps_evaluated", scps.unknown.is_none());
        let b = match &decision {
            Decision::Allowed { .. } => b
                .status(Status::Fail)
                .evidence("granted_by", cited(&decision))
                .message(format_args!(
                    "Execution role {} may invoke every Lambda function in the account (lambda:InvokeFunction on a wildcard): code running as it can trigger any function, including ones it has no business calling.",
                    exec.role.name
                )),
            Decision::Denied { .. } => b.status(Status::Pass).message(format_args!(
                "Execution role {} may not invoke arbitrary Lambda functions.",
                exec.role.name
            )),
            Decision::Unknown { reason, .. } => b
                .status(Status::NotEvaluated)
                .evidence("reason", "decision_unknown")
                .evidence("unknown", reason.as_str())
                .evidence("statements", cited(&decision))
                .message(format_args!(
                    "Not evaluated: whether {} may invoke any function depends on facts not known: {reason}.",
                    exec.role.name
                )),
        };
        out.push(b)
    })
}

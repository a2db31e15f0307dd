//! IAM008 `principal-pass-any-capacity-provider`: a user or role that may create or reconfigure
//! Lambda functions may put them on any capacity provider (`lambda:PassCapacityProvider` on every
//! provider), so the provider boundary between trust levels is not its to cross but it can.

use super::guardrail::each_deployer;
use crate::checks::guardrail::FUNCTION_ACTIONS;
use crate::checks::{CheckContext, CheckDef, Findings};
use crate::finding::{FindingError, Status};
use crate::policy::{Decision, Request, evaluate_identity};
use crate::snapshot::Collected;
use serde_json::json;

/// The registry line.
pub const CHECK: CheckDef = CheckDef {
    catalog: include_str!("../../../checks/iam/IAM008-principal-pass-any-capacity-provider.md"),
    run,
    options: None,
};

/// The permission-only action Lambda checks when a function is put on a capacity provider.
pub const PASS_CAPACITY_PROVIDER: &str = "lambda:PassCapacityProvider";

fn run(ctx: &CheckContext<'_>, out: &mut Findings<'_>) -> Result<(), FindingError> {
    each_deployer(ctx, out, FUNCTION_ACTIONS, |d, b, out| {
        let region = crate::checks::guardrail::probe_region(d.account);
        let ask = |arn: &str| {
            let request = Request::new(PASS_CAPACITY_PROVIDER, arn).with_context(d.base.clone());
            evaluate_identity(&request, &d.engine)
        };
        // A provider no policy names on purpose: only a grant on every provider covers it.
        let any = format!(
            "arn:{}:lambda:{region}:{}:capacity-provider:vpcwarden-probe",
            d.account.partition, d.account.account_id
        );
        let decision = ask(&any);
        // The account's own providers, for the evidence: which ones the principal may use today.
        let mut providers = serde_json::Map::new();
        for r in &d.account.regions {
            if let Collected::Present(list) = &r.lambda.capacity_providers {
                for p in list {
                    providers.insert(p.arn.clone(), json!(ask(&p.arn).label()));
                }
            }
        }
        let b = b
            .evidence("probe_provider", any.as_str())
            .evidence("decision", decision.label())
            .evidence("providers", providers);
        match decision {
            Decision::Allowed { by } => out.push(
                b.status(Status::Fail)
                    .evidence("allowed_by", json!(by))
                    .message(format_args!(
                        "{} may put the functions it creates or reconfigures on any capacity provider (lambda:PassCapacityProvider on every provider){}: a function of one trust level can join a provider whose functions run as other roles.",
                        d.subject(),
                        d.scp_caveat()
                    )),
            ),
            Decision::Unknown { reason, statements } => out.push(
                b.status(Status::NotEvaluated)
                    .evidence("reason", "decision_unknown")
                    .evidence("unknown", reason.as_str())
                    .evidence("statements", json!(statements))
                    .message(format_args!(
                        "Not evaluated: whether {} may use any capacity provider depends on facts not known ({reason}).",
                        d.entry.name
                    )),
            ),
            Decision::Denied { .. } => out.push(b.status(Status::Pass).message(format_args!(
                "{} may not use every capacity provider: lambda:PassCapacityProvider is granted, if at all, on named providers only.",
                d.subject()
            ))),
        }
    })
}

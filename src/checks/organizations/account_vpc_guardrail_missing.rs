//! ORG001 `account-vpc-guardrail-missing`: no SCP keeps the account's Lambda functions in approved
//! VPCs, so every principal with Lambda rights needs a guardrail of its own.

use crate::checks::iam::principals::Scps;
use crate::checks::inputs::Service;
use crate::checks::vpc_guardrail::{describe, evaluate, leaks, probe_function, undecided};
use crate::checks::{CheckContext, CheckDef, Findings, account_arn};
use crate::finding::{FindingError, Status};
use crate::policy::{PolicyKind, PolicySource, PrincipalPolicies, RequestContext, parse_policy};
use crate::snapshot::GLOBAL_REGION;
use serde_json::json;
use std::sync::Arc;

/// The registry line.
pub const CHECK: CheckDef = CheckDef {
    catalog: include_str!("../../../checks/organizations/ORG001-account-vpc-guardrail-missing.md"),
    run,
};

/// A principal allowed everything by its own policies: what remains denied is the SCPs' doing.
const ALLOW_ALL: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;

fn run(ctx: &CheckContext<'_>, out: &mut Findings<'_>) -> Result<(), FindingError> {
    let allow_all = match parse_policy(
        PolicySource::new(
            "vpcwarden: a principal allowed everything",
            PolicyKind::IdentityInline,
        ),
        ALLOW_ALL,
    ) {
        Ok(p) => vec![Arc::new(p)],
        Err(_) => return Ok(()),
    };
    for (i, account) in ctx.snapshot.accounts.iter().enumerate() {
        let policies = ctx.policies(i);
        let b = out
            .builder(&account.account_id, GLOBAL_REGION)
            .resource(&account_arn(account))
            .evidence("approved", ctx.config.approved());
        let levels = match &policies.scps {
            Scps::Apply(levels) => levels,
            Scps::NotApplicable(why) => {
                out.push(
                    b.status(Status::Fail)
                        .evidence("scps", *why)
                        .message(format!(
                            "No SCP keeps Lambda functions of account {} in approved VPCs: {why}.",
                            account.account_id
                        )),
                )?;
                continue;
            }
            Scps::Unknown(why) => {
                let gap = Service::Organizations.gap_in(account);
                match gap {
                    Some(gap) => {
                        out.not_evaluated(account, GLOBAL_REGION, None, &account_arn(account), gap)?
                    }
                    None => out.push(
                        b.status(Status::NotEvaluated)
                            .evidence("reason", why.as_str())
                            .message(format!("Not evaluated: the SCPs cannot be read: {why}.")),
                    )?,
                }
                continue;
            }
        };
        let (region, resource) = probe_function(account);
        // A role that no SCP exception names.
        let probe_role = format!(
            "arn:{}:iam::{}:role/vpcwarden-probe",
            account.partition, account.account_id
        );
        let base = RequestContext::new()
            .with_value("aws:PrincipalArn", probe_role.as_str())
            .with_value("aws:PrincipalAccount", account.account_id.as_str())
            .with_value("aws:PrincipalType", "AssumedRole")
            .with_value("aws:RequestedRegion", region)
            .with_absent("aws:username")
            .with_absent("lambda:Layer");
        let engine = PrincipalPolicies {
            identity: &allow_all,
            boundary: None,
            scps: levels,
        };
        let outcomes = evaluate(&engine, &base, &resource, ctx.config);
        let leaking = leaks(&outcomes);
        let unknown = undecided(&outcomes);
        let b = b
            .evidence("outcomes", json!(outcomes))
            .evidence("scp_levels", levels.len());
        let b = if !leaking.is_empty() {
            b.status(Status::Fail).message(format!(
                "No SCP keeps Lambda functions of account {} in approved VPCs: {} is not denied.",
                account.account_id,
                describe(&leaking)
            ))
        } else if !unknown.is_empty() {
            b.status(Status::NotEvaluated)
                .evidence("reason", "decision_unknown")
                .message(format!(
                    "Not evaluated: whether the SCPs deny {} depends on facts not known.",
                    describe(&unknown)
                ))
        } else {
            b.status(Status::Pass).message(format!(
                "The SCPs of account {} deny creating or reconfiguring Lambda functions outside the approved network.",
                account.account_id
            ))
        };
        out.push(b)?;
    }
    Ok(())
}

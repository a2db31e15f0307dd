//! The per-account guardrail checks (ORG001 `account-vpc-guardrail-missing`, ORG002
//! `account-layer-guardrail-missing`): do the SCPs on the account's path deny, for every principal
//! of the account, what the guardrail is about?

use crate::checks::guardrail::{Guardrail, describe, probe_region};
use crate::checks::iam::principals::Scps;
use crate::checks::inputs::Service;
use crate::checks::{CheckContext, Findings, account_arn};
use crate::finding::{FindingError, Status};
use crate::policy::{PolicyKind, PolicySource, PrincipalPolicies, RequestContext, parse_policy};
use crate::snapshot::GLOBAL_REGION;
use serde_json::json;
use std::sync::Arc;

/// A principal allowed everything by its own policies: what remains denied is the SCPs' doing.
const ALLOW_ALL: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;

/// One finding per account: pass when the SCPs deny every probe of `guardrail`, fail when one
/// gets through or when no SCP can apply, not evaluated when the SCPs cannot be read.
pub fn run(
    ctx: &CheckContext<'_>,
    out: &mut Findings<'_>,
    guardrail: Guardrail,
) -> Result<(), FindingError> {
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
    let rule = guardrail.account_rule();
    for (i, account) in ctx.snapshot.accounts.iter().enumerate() {
        let policies = ctx.policies(i);
        let (setting, value) = guardrail.settings(ctx.config);
        let b = out
            .builder(&account.account_id, GLOBAL_REGION)
            .resource(&account_arn(account))
            .evidence(setting, value);
        let levels = match &policies.scps {
            Scps::Apply(levels) => levels,
            Scps::NotApplicable(why) => {
                out.push(
                    b.status(Status::Fail)
                        .evidence("scps", *why)
                        .message(format_args!(
                            "No SCP keeps Lambda functions of account {} {rule}: {why}.",
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
                            .message(format_args!(
                                "Not evaluated: the SCPs cannot be read: {why}."
                            )),
                    )?,
                }
                continue;
            }
        };
        // A role that no SCP exception names.
        let probe_role = format!(
            "arn:{}:iam::{}:role/vpcwarden-probe",
            account.partition, account.account_id
        );
        let base = RequestContext::new()
            .with_value("aws:PrincipalArn", probe_role.as_str())
            .with_value("aws:PrincipalAccount", account.account_id.as_str())
            .with_value("aws:PrincipalType", "AssumedRole")
            .with_value("aws:RequestedRegion", probe_region(account))
            .with_absent("aws:username")
            .with_absent("lambda:Layer");
        let engine = PrincipalPolicies {
            identity: &allow_all,
            boundary: None,
            scps: levels,
        };
        let evaluation = guardrail.evaluate(
            &engine,
            &base,
            account,
            ctx.config,
            ctx.organization_accounts().unwrap_or(&[]),
        );
        let leaking = evaluation.leaks();
        let unknown = evaluation.undecided();
        let b = b
            .evidence("outcomes", json!(evaluation.outcomes))
            .evidence("scp_levels", levels.len());
        let b = if !leaking.is_empty() {
            b.status(Status::Fail).message(format_args!(
                "No SCP keeps Lambda functions of account {} {rule}: {} is not denied.",
                account.account_id,
                describe(&leaking)
            ))
        } else if !unknown.is_empty() || evaluation.outcomes.is_empty() {
            b.status(Status::NotEvaluated)
                .evidence("reason", "decision_unknown")
                .message(format_args!(
                    "Not evaluated: whether the SCPs deny {} depends on facts not known.",
                    describe(&unknown)
                ))
        } else {
            b.status(Status::Pass).message(format_args!(
                "The SCPs of account {} deny {}.",
                account.account_id,
                guardrail.what_scps_deny()
            ))
        };
        out.push(b)?;
    }
    Ok(())
}

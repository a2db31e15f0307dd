//! The per-principal guardrail checks (IAM002 `principal-vpc-guardrail-missing`, IAM007
//! `principal-layer-guardrail-missing`): one finding per user or role that may call the guarded
//! Lambda actions at all, decided by the policy engine with the principal's identity policies,
//! permissions boundary and the SCPs that bind it.

use super::not_evaluable;
use super::principals::{AccountPolicies, PrincipalEntry};
use crate::checks::guardrail::{Guardrail, describe, probe_region};
use crate::checks::{CheckContext, Findings};
use crate::finding::{FindingError, Status};
use crate::policy::RequestContext;
use crate::snapshot::{Account, GLOBAL_REGION};
use serde_json::json;

/// Judges every user and role of every account (service-linked roles excepted: SCPs do not bind
/// them and they deploy nothing) against `guardrail`.
pub fn run(
    ctx: &CheckContext<'_>,
    out: &mut Findings<'_>,
    guardrail: Guardrail,
) -> Result<(), FindingError> {
    for (i, account) in ctx.snapshot.accounts.iter().enumerate() {
        let policies = ctx.policies(i);
        if not_evaluable(account, policies, None, out)? {
            continue;
        }
        for entry in policies.users.iter().chain(&policies.roles) {
            if entry.service_linked {
                continue;
            }
            judge(ctx, account, policies, entry, guardrail, out)?;
        }
    }
    Ok(())
}

fn judge(
    ctx: &CheckContext<'_>,
    account: &Account,
    policies: &AccountPolicies,
    entry: &PrincipalEntry,
    guardrail: Guardrail,
    out: &mut Findings<'_>,
) -> Result<(), FindingError> {
    if not_evaluable(account, policies, Some(entry), out)? {
        return Ok(());
    }
    let Ok(set) = &entry.policies else {
        return Ok(());
    };
    let mut base = RequestContext::new()
        .with_value("aws:PrincipalArn", entry.arn.as_str())
        .with_value("aws:PrincipalAccount", account.account_id.as_str())
        .with_value("aws:PrincipalType", entry.principal_type)
        .with_value("aws:RequestedRegion", probe_region(account))
        .with_value("aws:SecureTransport", "true")
        .with_absent("lambda:Layer")
        .with_absent("aws:CalledVia");
    if entry.principal_type == "User" {
        base = base.with_value("aws:username", entry.name.as_str());
    } else {
        base = base.with_absent("aws:username");
    }
    let scps = policies.scps_for(entry);
    let engine = set.with_scps(scps.levels);
    if !guardrail.in_scope(&engine, &base, account) {
        return Ok(());
    }
    let evaluation = guardrail.evaluate(
        &engine,
        &base,
        account,
        ctx.config,
        ctx.organization_accounts().unwrap_or(&[]),
    );
    let leaking = evaluation.leaks();
    let unknown = evaluation.undecided();
    let (setting, value) = guardrail.settings(ctx.config);
    let b = out
        .builder(&account.account_id, GLOBAL_REGION)
        .resource_of_type(entry.resource_type(), &entry.arn)
        .evidence("principal_name", entry.name.as_str())
        .evidence("outcomes", json!(evaluation.outcomes))
        .evidence(setting, value)
        .evidence("scps_evaluated", scps.unknown.is_none());
    let b = match (scps.note, scps.unknown) {
        (Some(note), _) => b.evidence("scps", note),
        (None, Some(why)) => b.evidence("scps_unknown", why),
        (None, None) => b,
    };
    let kind = if entry.principal_type == "User" {
        "User"
    } else {
        "Role"
    };
    if !leaking.is_empty() {
        let caveat = if scps.unknown.is_some() {
            " (SCPs could not be read; one of them may still deny this)"
        } else {
            ""
        };
        return out.push(b.status(Status::Fail).message(format!(
            "{kind} {} may {}: {}{caveat}.",
            entry.name,
            guardrail.what_leaks(&leaking),
            describe(&leaking)
        )));
    }
    if !unknown.is_empty() || evaluation.outcomes.is_empty() {
        let why = if unknown.is_empty() {
            "no probe request could be made in a network the principal may use".to_string()
        } else {
            describe(&unknown)
        };
        return out.push(
            b.status(Status::NotEvaluated)
                .evidence("reason", "decision_unknown")
                .message(format!(
                    "Not evaluated: whether {} may {} depends on facts not known ({why}).",
                    entry.name,
                    guardrail.what_leaks(&unknown)
                )),
        );
    }
    out.push(b.status(Status::Pass).message(format!(
        "{kind} {} may {}.",
        entry.name,
        guardrail.what_holds()
    )))
}

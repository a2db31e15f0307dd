//! IAM002 `principal-vpc-guardrail-missing`: a user or role that may create or reconfigure Lambda
//! functions is not kept to the approved VPCs, subnets and security groups.

use super::not_evaluable;
use super::principals::{AccountPolicies, PrincipalEntry};
use crate::checks::vpc_guardrail::{
    describe, evaluate, in_scope, leaks, probe_function, undecided,
};
use crate::checks::{CheckContext, CheckDef, Findings};
use crate::finding::{FindingError, Status};
use crate::policy::RequestContext;
use crate::snapshot::{Account, GLOBAL_REGION};
use serde_json::json;

/// The registry line.
pub const CHECK: CheckDef = CheckDef {
    catalog: include_str!("../../../checks/iam/IAM002-principal-vpc-guardrail-missing.md"),
    run,
};

fn run(ctx: &CheckContext<'_>, out: &mut Findings<'_>) -> Result<(), FindingError> {
    for (i, account) in ctx.snapshot.accounts.iter().enumerate() {
        let policies = ctx.policies(i);
        if not_evaluable(account, policies, None, out)? {
            continue;
        }
        for entry in policies.users.iter().chain(&policies.roles) {
            if entry.service_linked {
                continue;
            }
            judge(ctx, account, policies, entry, out)?;
        }
    }
    Ok(())
}

fn judge(
    ctx: &CheckContext<'_>,
    account: &Account,
    policies: &AccountPolicies,
    entry: &PrincipalEntry,
    out: &mut Findings<'_>,
) -> Result<(), FindingError> {
    if not_evaluable(account, policies, Some(entry), out)? {
        return Ok(());
    }
    let Ok(set) = &entry.policies else {
        return Ok(());
    };
    let (region, resource) = probe_function(account);
    let mut base = RequestContext::new()
        .with_value("aws:PrincipalArn", entry.arn.as_str())
        .with_value("aws:PrincipalAccount", account.account_id.as_str())
        .with_value("aws:PrincipalType", entry.principal_type)
        .with_value("aws:RequestedRegion", region)
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
    if !in_scope(&engine, &base, &resource) {
        return Ok(());
    }
    let outcomes = evaluate(&engine, &base, &resource, ctx.config);
    let leaking = leaks(&outcomes);
    let unknown = undecided(&outcomes);
    let b = out
        .builder(&account.account_id, GLOBAL_REGION)
        .resource_of_type(entry.resource_type(), &entry.arn)
        .evidence("principal_name", entry.name.as_str())
        .evidence("outcomes", json!(outcomes))
        .evidence("approved", ctx.config.approved())
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
            "{kind} {} may create or reconfigure Lambda functions outside the approved network: {}{caveat}.",
            entry.name,
            describe(&leaking)
        )));
    }
    if !unknown.is_empty() {
        return out.push(
            b.status(Status::NotEvaluated)
                .evidence("reason", "decision_unknown")
                .message(format!(
                    "Not evaluated: whether {} is kept to the approved network depends on facts not known ({}).",
                    entry.name,
                    describe(&unknown)
                )),
        );
    }
    out.push(b.status(Status::Pass).message(format!(
        "{kind} {} may create and reconfigure Lambda functions only in the approved network.",
        entry.name
    )))
}

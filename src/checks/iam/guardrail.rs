//! The per-principal guardrail checks (IAM002 `principal-vpc-guardrail-missing`, IAM007
//! `principal-layer-guardrail-missing`): one finding per user or role that may call the guarded
//! Lambda actions at all, decided by the policy engine with the principal's identity policies,
//! permissions boundary and the SCPs that bind it.

use super::not_evaluable;
use super::principals::{PrincipalEntry, ScpView};
use crate::checks::guardrail::{Guardrail, describe, may_call_any, probe_region};
use crate::checks::{CheckContext, Findings};
use crate::finding::{FindingBuilder, FindingError, Status};
use crate::policy::{PrincipalPolicies, RequestContext};
use crate::snapshot::{Account, GLOBAL_REGION};
use serde_json::json;

/// A user or role that may create or reconfigure Lambda functions, as the per-principal checks
/// see it: its policies under the SCPs that bind it, and the request context of its calls.
pub struct Deployer<'a> {
    /// Its account.
    pub account: &'a Account,
    /// The principal.
    pub entry: &'a PrincipalEntry,
    /// Its identity policies, boundary and SCPs.
    pub engine: PrincipalPolicies<'a>,
    /// The context of its requests (principal keys known, the rest unknown).
    pub base: RequestContext,
    /// The SCPs in play, and what to say about them.
    pub scps: ScpView<'a>,
}

impl Deployer<'_> {
    /// "User NAME" or "Role NAME".
    pub fn subject(&self) -> String {
        let kind = if self.entry.principal_type == "User" {
            "User"
        } else {
            "Role"
        };
        format!("{kind} {}", self.entry.name)
    }

    /// The caveat for a failure decided without the SCPs.
    pub fn scp_caveat(&self) -> &'static str {
        if self.scps.unknown.is_some() {
            " (SCPs could not be read; one of them may still deny this)"
        } else {
            ""
        }
    }
}

/// Runs `judge` on every user and role of every account (service-linked roles excepted: SCPs do
/// not bind them and they deploy nothing) that may call any of `scope` at all, with a builder for
/// its finding. IAM missing and unreadable policies are `not_evaluated`.
pub fn each_deployer<'t>(
    ctx: &CheckContext<'_>,
    out: &mut Findings<'t>,
    scope: &[&str],
    mut judge: impl FnMut(
        &Deployer<'_>,
        FindingBuilder<'t>,
        &mut Findings<'t>,
    ) -> Result<(), FindingError>,
) -> Result<(), FindingError> {
    for (i, account) in ctx.snapshot.accounts.iter().enumerate() {
        let policies = ctx.policies(i);
        if not_evaluable(account, policies, None, out)? {
            continue;
        }
        for entry in policies.users.iter().chain(&policies.roles) {
            if entry.service_linked || not_evaluable(account, policies, Some(entry), out)? {
                continue;
            }
            let Ok(set) = &entry.policies else {
                continue;
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
            if !may_call_any(&engine, &base, account, scope) {
                continue;
            }
            let b = out
                .builder(&account.account_id, GLOBAL_REGION)
                .resource_of_type(entry.resource_type(), &entry.arn)
                .evidence("principal_name", entry.name.as_str())
                .evidence("scps_evaluated", scps.unknown.is_none());
            let b = match (scps.note, scps.unknown) {
                (Some(note), _) => b.evidence("scps", note),
                (None, Some(why)) => b.evidence("scps_unknown", why),
                (None, None) => b,
            };
            let deployer = Deployer {
                account,
                entry,
                engine,
                base,
                scps,
            };
            judge(&deployer, b, out)?;
        }
    }
    Ok(())
}

/// Judges every deployer against `guardrail`.
pub fn run(
    ctx: &CheckContext<'_>,
    out: &mut Findings<'_>,
    guardrail: Guardrail,
) -> Result<(), FindingError> {
    each_deployer(ctx, out, guardrail.actions(), |d, b, out| {
        let evaluation = guardrail.evaluate(
            &d.engine,
            &d.base,
            d.account,
            ctx.config,
            ctx.organization_accounts().unwrap_or(&[]),
        );
        let leaking = evaluation.leaks();
        let unknown = evaluation.undecided();
        let (setting, value) = guardrail.settings(ctx.config);
        let b = b
            .evidence("outcomes", json!(evaluation.outcomes))
            .evidence(setting, value);
        if !leaking.is_empty() {
            return out.push(b.status(Status::Fail).message(format_args!(
                "{} may {}: {}{}.",
                d.subject(),
                guardrail.what_leaks(&leaking),
                describe(&leaking),
                d.scp_caveat()
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
                    .message(format_args!(
                        "Not evaluated: whether {} may {} depends on facts not known ({why}).",
                        d.entry.name,
                        guardrail.what_leaks(&unknown)
                    )),
            );
        }
        out.push(b.status(Status::Pass).message(format_args!(
            "{} may {}.",
            d.subject(),
            guardrail.what_holds()
        )))
    })
}

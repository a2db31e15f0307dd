//! Checks on IAM principals, decided by the policy engine: what a Lambda function's code may do as
//! its execution role, and whether deployers are kept to approved VPCs.

pub mod guardrail;
pub mod principal_layer_guardrail_missing;
pub mod principal_pass_any_capacity_provider;
pub mod principal_vpc_guardrail_missing;
pub mod principals;
pub mod role_admin_access;
pub mod role_eni_write_unconditioned;
pub mod role_event_source_permission_missing;
pub mod role_invoke_any_function;
pub mod role_logs_missing;

use crate::checks::inputs::{GET_ACCOUNT_AUTHORIZATION_DETAILS, LIST_FUNCTIONS};
use crate::checks::{CheckContext, Findings, account_arn};
use crate::finding::{FindingBuilder, FindingError, Status};
use crate::policy::{Decision, PolicyKind, RequestContext, StatementRef};
use crate::snapshot::{Account, Function, GLOBAL_REGION, Role};
use principals::{AccountPolicies, PrincipalEntry, PrincipalSet};
use serde_json::{Value, json};

/// The service principal Lambda assumes execution roles with.
pub const LAMBDA_SERVICE: &str = "lambda.amazonaws.com";

/// A Lambda execution role: trusts Lambda, or is the role of a collected function.
pub struct ExecutionRole<'a> {
    /// The role.
    pub role: &'a Role,
    /// Its parsed policies.
    pub entry: &'a PrincipalEntry,
    /// The functions that run as it, with their regions.
    pub functions: Vec<(&'a str, &'a Function)>,
    /// Whether the trust policy admits `lambda.amazonaws.com` (`allowed`, `unknown`, `denied`, or
    /// `unreadable`).
    pub trust: &'static str,
}

impl ExecutionRole<'_> {
    /// The ARNs of the functions that run as the role.
    pub fn function_arns(&self) -> Vec<&str> {
        self.functions.iter().map(|(_, f)| &*f.arn).collect()
    }
}

/// The account's Lambda execution roles, in ARN order: roles of collected functions, and roles
/// that trust Lambda unless they are only some capacity provider's operator role.
pub fn execution_roles<'a>(
    account: &'a Account,
    policies: &'a AccountPolicies,
) -> Vec<ExecutionRole<'a>> {
    let Some(iam) = &account.iam else {
        return Vec::new();
    };
    let mut used: std::collections::HashMap<&str, Vec<(&str, &Function)>> =
        std::collections::HashMap::new();
    // Capacity providers' operator roles trust Lambda too, but Lambda runs no code as them
    // (LAMBDA108 judges them against the managed operator policy).
    let mut operators = std::collections::HashSet::new();
    for region in &account.regions {
        for f in &region.lambda.functions {
            used.entry(f.role.as_str())
                .or_default()
                .push((region.region.as_str(), f));
        }
        if let crate::snapshot::Collected::Present(providers) = &region.lambda.capacity_providers {
            operators.extend(
                providers
                    .iter()
                    .filter_map(|p| p.operator_role_arn.as_deref()),
            );
        }
    }
    iam.roles
        .iter()
        .zip(&policies.roles)
        .filter_map(|(role, entry)| {
            let trust = entry.lambda_trust;
            let functions = used.remove(role.arn.as_str()).unwrap_or_default();
            let operator_only = functions.is_empty() && operators.contains(role.arn.as_str());
            (!operator_only && (trust == "allowed" || trust == "unknown" || !functions.is_empty()))
                .then_some(ExecutionRole {
                    role,
                    entry,
                    functions,
                    trust,
                })
        })
        .collect()
}

/// Calls `judge` for every Lambda execution role of every account whose policies can be read; emits
/// `not_evaluated` for IAM missing, for roles with unreadable policies, and for every role when the
/// account has a gap on another input the check `requires` (a role is global: a regional list
/// that failed in any region leaves it without that input).
pub fn each_execution_role(
    ctx: &CheckContext<'_>,
    out: &mut Findings<'_>,
    mut judge: impl FnMut(
        &Account,
        &AccountPolicies,
        &ExecutionRole<'_>,
        &PrincipalSet,
        &mut Findings<'_>,
    ) -> Result<(), FindingError>,
) -> Result<(), FindingError> {
    for (i, account) in ctx.snapshot.accounts.iter().enumerate() {
        let policies = ctx.policies(i);
        if not_evaluable(account, policies, None, out)? {
            continue;
        }
        let gate = out.required_gap_anywhere(account, GET_ACCOUNT_AUTHORIZATION_DETAILS);
        for exec in execution_roles(account, policies) {
            if not_evaluable(account, policies, Some(exec.entry), out)? {
                continue;
            }
            if let Some(gap) = gate {
                out.not_evaluated(
                    account,
                    GLOBAL_REGION,
                    Some(exec.entry.resource_type()),
                    &exec.role.arn,
                    gap,
                )?;
                continue;
            }
            if let Ok(set) = &exec.entry.policies {
                judge(account, policies, &exec, set, out)?;
            }
        }
    }
    Ok(())
}

/// A builder for a finding on an execution role: its name and the functions that run as it.
pub fn role_finding<'t>(
    out: &Findings<'t>,
    account: &Account,
    exec: &ExecutionRole<'_>,
) -> FindingBuilder<'t> {
    let b = out
        .builder(&account.account_id, GLOBAL_REGION)
        .resource(&exec.role.arn)
        .evidence("role_name", exec.role.name.as_str())
        .evidence("functions", json!(exec.function_arns()));
    // A region whose function list failed may hold more functions of this role: say so, so that
    // `functions` is not read as the whole list.
    match functions_gap(account) {
        Some(gap) => b.evidence("functions_gap", crate::checks::gap_evidence(gap)),
        None => b,
    }
}

/// A region whose function list failed: the functions of a role there are unknown, so a role check
/// that looks at "the functions using this role" cannot pass and cannot skip the role.
pub fn functions_gap(account: &Account) -> Option<&crate::snapshot::Gap> {
    LIST_FUNCTIONS.gap_anywhere(account)
}

/// The region to place probe requests in: the first function's, else the first collected region.
pub fn probe_region<'a>(account: &'a Account, functions: &[(&'a str, &Function)]) -> &'a str {
    functions
        .first()
        .map(|(r, _)| *r)
        .or_else(|| account.regions.first().map(|r| r.region.as_str()))
        .unwrap_or("us-east-1")
}

/// The request context of an AWS call made by a function's code running as `role`: Lambda adds
/// `lambda:SourceFunctionArn`; the principal keys are the role's; tags and network keys stay unknown.
pub fn code_context(
    account: &Account,
    role: &Role,
    function_arn: &str,
    region: &str,
) -> RequestContext {
    RequestContext::new()
        .with_value("lambda:SourceFunctionArn", function_arn)
        .with_value("aws:PrincipalArn", role.arn.as_str())
        .with_value("aws:PrincipalAccount", account.account_id.as_str())
        .with_value("aws:PrincipalType", "AssumedRole")
        .with_value("aws:RequestedRegion", region)
        .with_value("aws:SecureTransport", "true")
        .with_value("aws:ViaAWSService", "false")
        .with_absent("aws:username")
        .with_absent("aws:MultiFactorAuthPresent")
        .with_absent("aws:CalledVia")
}

/// The request context of a call the Lambda service itself makes with the execution role (managing
/// ENIs, polling an event source): as [`code_context`], but without `lambda:SourceFunctionArn`.
pub fn service_context(account: &Account, role: &Role, region: &str) -> RequestContext {
    let mut context = code_context(account, role, "", region);
    context.set("lambda:SourceFunctionArn", crate::policy::KeyState::Absent);
    context
}

/// What a role needs and does not have: every request that is denied, and every one whose answer
/// depends on facts not known, each described by the caller.
#[derive(Debug, Default)]
pub struct Needs {
    /// Denied requests.
    pub missing: Vec<Value>,
    /// Requests whose decision is unknown.
    pub unknown: Vec<Value>,
}

impl Needs {
    /// Records one decision about the request `what` describes (as JSON), which is written only
    /// for a request that is not allowed: most are, once per function.
    pub fn record(&mut self, decision: &Decision, what: impl FnOnce() -> Value) {
        match decision {
            Decision::Allowed { .. } => {}
            Decision::Denied { explicit, by } => {
                let mut what = what();
                what["explicit_deny"] = json!(explicit);
                what["denied_by"] = json!(by);
                self.missing.push(what);
            }
            Decision::Unknown { reason, statements } => {
                let mut what = what();
                what["unknown"] = json!(reason);
                what["statements"] = json!(statements);
                self.unknown.push(what);
            }
        }
    }
}

/// A function ARN to stand for "some function running as the role".
pub fn probe_function_arn(
    account: &Account,
    region: &str,
    functions: &[(&str, &Function)],
) -> String {
    functions.first().map_or_else(
        || {
            format!(
                "arn:{}:lambda:{region}:{}:function:vpcwarden-probe",
                account.partition, account.account_id
            )
        },
        |(_, f)| f.arn.to_string(),
    )
}

/// Emits `not_evaluated` for a principal whose policies cannot be read, or for IAM missing entirely
/// (one finding on the account). Returns `true` when it emitted.
pub fn not_evaluable(
    account: &Account,
    policies: &AccountPolicies,
    entry: Option<&PrincipalEntry>,
    out: &mut Findings<'_>,
) -> Result<bool, FindingError> {
    if let Some(why) = &policies.iam_missing {
        let gap = GET_ACCOUNT_AUTHORIZATION_DETAILS.gap_in(account, GLOBAL_REGION);
        match gap {
            Some(gap) => out.not_evaluated(
                account,
                GLOBAL_REGION,
                Some("AwsAccount"),
                &account_arn(account),
                gap,
            )?,
            None => out.push(
                out.builder(&account.account_id, GLOBAL_REGION)
                    .resource_of_type("AwsAccount", &account_arn(account))
                    .status(Status::NotEvaluated)
                    .evidence("reason", why.as_str())
                    .message(format_args!("Not evaluated: {why}.")),
            )?,
        }
        return Ok(true);
    }
    if let Some(
        e @ PrincipalEntry {
            policies: Err(problems),
            arn,
            name,
            ..
        },
    ) = entry
    {
        out.push(
            out.builder(&account.account_id, GLOBAL_REGION)
                .resource_of_type(e.resource_type(), arn)
                .status(Status::NotEvaluated)
                .evidence("reason", "policy_unreadable")
                .evidence("policy_errors", json!(problems))
                .message(format_args!(
                    "Not evaluated: a policy of {name} cannot be read: {}.",
                    problems.join("; ")
                )),
        )?;
        return Ok(true);
    }
    Ok(false)
}

/// The JSON of a statement a decision cites, for remediation: from a managed policy, or from an
/// inline policy of `role` (the principal being judged).
pub fn statement_json(account: &Account, role: &Role, sref: &StatementRef) -> Option<Value> {
    let iam = account.iam.as_ref()?;
    let doc = match sref.policy_kind {
        PolicyKind::IdentityManaged => {
            // Sorted by ARN (the snapshot is normalised): no scan over thousands of policies.
            let i = iam
                .managed_policies
                .binary_search_by(|m| m.arn.as_str().cmp(&sref.policy_id))
                .ok()?;
            &iam.managed_policies[i].document
        }
        PolicyKind::IdentityInline => {
            // Inline ids are `role/NAME inline POLICY` (see principals.rs).
            let (owner, policy) = sref.policy_id.split_once(" inline ")?;
            if owner.strip_prefix("role/") != Some(role.name.as_str()) {
                return None;
            }
            &role
                .inline_policies
                .iter()
                .find(|p| p.name == policy)?
                .document
        }
        _ => return None,
    };
    crate::policy::statement_at(doc, sref.index)
}

/// The statements a decision cites, as evidence.
pub fn cited(decision: &Decision) -> Value {
    json!(decision.cited())
}

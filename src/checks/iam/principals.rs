//! Every account's IAM policies parsed once into the policy engine's form: managed policies shared
//! behind `Arc`, each principal's identity policies, boundary, and the SCP levels that bind it.
//!
//! Built lazily once per audit (see `CheckContext::policies`) and shared by every IAM check, so a
//! managed policy attached to 10,000 roles is parsed once.

use crate::checks::inputs::{GET_ACCOUNT_AUTHORIZATION_DETAILS, Service};
use crate::policy::{
    CallerPrincipal, Decision, Policy, PolicyError, PolicyKind, PolicySource, PrincipalPolicies,
    Request, RequestContext, evaluate_resource_policy, parse_policy_value,
};
use crate::snapshot::{Account, GLOBAL_REGION, Group, InlinePolicy, Organizations, Role, User};
use std::collections::HashMap;
use std::sync::Arc;

/// Whether and how SCPs bind the principals of an account.
#[derive(Debug, Clone)]
pub enum Scps {
    /// These levels (root first) bind every principal but service-linked roles.
    Apply(Vec<Vec<Arc<Policy>>>),
    /// No SCP applies, for the reason given (not in an organization, the management account, SCPs
    /// not enabled).
    NotApplicable(&'static str),
    /// Whether SCPs deny something is not known: the reason (a gap, an unreadable SCP).
    Unknown(String),
}

/// A principal's own policies, or why they cannot be evaluated.
#[derive(Debug, Clone)]
pub struct PrincipalEntry {
    /// The user or role ARN.
    pub arn: String,
    /// Its name.
    pub name: String,
    /// `User` or `AssumedRole` (the value of `aws:PrincipalType` its requests carry).
    pub principal_type: &'static str,
    /// Service-linked roles are never bound by SCPs and are not audited as deployers.
    pub service_linked: bool,
    /// Identity policies and boundary, or the problems that prevent evaluation.
    pub policies: Result<PrincipalSet, Vec<String>>,
    /// For roles, whether the trust policy lets `lambda.amazonaws.com` assume it: `allowed`,
    /// `unknown` (a condition on an unknown key), `denied`, or `unreadable`. Empty for users.
    pub lambda_trust: &'static str,
}

impl PrincipalEntry {
    /// The ASFF resource type: `AwsIamUser` or `AwsIamRole`.
    pub fn resource_type(&self) -> &'static str {
        if self.principal_type == "User" {
            "AwsIamUser"
        } else {
            "AwsIamRole"
        }
    }
}

/// The identity policies and boundary of one principal.
#[derive(Debug, Clone, Default)]
pub struct PrincipalSet {
    /// Inline, attached and (for users) group policies.
    pub identity: Vec<Arc<Policy>>,
    /// The permissions boundary, if any.
    pub boundary: Option<Arc<Policy>>,
}

/// An account's parsed policies.
#[derive(Debug, Clone)]
pub struct AccountPolicies {
    /// Roles, in the snapshot's order.
    pub roles: Vec<PrincipalEntry>,
    /// Users, in the snapshot's order.
    pub users: Vec<PrincipalEntry>,
    /// The SCPs that bind the account.
    pub scps: Scps,
    /// Why IAM is missing, when it is (a gap); then `roles` and `users` are empty.
    pub iam_missing: Option<String>,
}

impl AccountPolicies {
    /// Parses an account's policies.
    pub fn build(account: &Account) -> AccountPolicies {
        let scps = scps_of(account);
        let Some(iam) = &account.iam else {
            let reason = GET_ACCOUNT_AUTHORIZATION_DETAILS
                .gap_in(account, GLOBAL_REGION)
                .map(|g| {
                    format!(
                        "iam:GetAccountAuthorizationDetails failed ({})",
                        g.error_code
                    )
                })
                .unwrap_or_else(|| "IAM was not collected".to_string());
            return AccountPolicies {
                roles: Vec::new(),
                users: Vec::new(),
                scps,
                iam_missing: Some(reason),
            };
        };
        let managed: HashMap<&str, Result<Arc<Policy>, String>> = iam
            .managed_policies
            .iter()
            .map(|m| {
                let parsed = parse_policy_value(
                    PolicySource::new(m.arn.clone(), PolicyKind::IdentityManaged),
                    &m.document,
                )
                .map(Arc::new)
                .map_err(|e| e.to_string());
                (m.arn.as_str(), parsed)
            })
            .collect();
        let groups: HashMap<&str, &Group> =
            iam.groups.iter().map(|g| (g.name.as_str(), g)).collect();
        let roles = iam.roles.iter().map(|r| role_entry(r, &managed)).collect();
        let users = iam
            .users
            .iter()
            .map(|u| user_entry(u, &groups, &managed))
            .collect();
        AccountPolicies {
            roles,
            users,
            scps,
            iam_missing: None,
        }
    }

    /// The SCP levels that bind a principal: none for service-linked roles.
    pub fn scps_for<'a>(&'a self, principal: &PrincipalEntry) -> ScpView<'a> {
        if principal.service_linked {
            return ScpView {
                levels: &[],
                note: Some("service-linked roles are not bound by SCPs"),
                unknown: None,
            };
        }
        match &self.scps {
            Scps::Apply(levels) => ScpView {
                levels,
                note: None,
                unknown: None,
            },
            Scps::NotApplicable(why) => ScpView {
                levels: &[],
                note: Some(why),
                unknown: None,
            },
            Scps::Unknown(why) => ScpView {
                levels: &[],
                note: None,
                unknown: Some(why.as_str()),
            },
        }
    }
}

/// The SCP levels to evaluate a principal with, and what to say about them.
#[derive(Debug, Clone, Copy)]
pub struct ScpView<'a> {
    /// The levels (empty when none apply or they are unknown).
    pub levels: &'a [Vec<Arc<Policy>>],
    /// Why no SCP applies, when none does.
    pub note: Option<&'static str>,
    /// Why the SCPs are unknown, when they are: an Allow found without them may still be denied by
    /// an SCP, a Deny found without them stands.
    pub unknown: Option<&'a str>,
}

impl PrincipalSet {
    /// The engine's view of this principal under the given SCP levels.
    pub fn with_scps<'a>(&'a self, scps: &'a [Vec<Arc<Policy>>]) -> PrincipalPolicies<'a> {
        PrincipalPolicies {
            identity: &self.identity,
            boundary: self.boundary.as_deref(),
            scps,
        }
    }
}

fn inline_policies(
    owner: &str,
    list: &[InlinePolicy],
    out: &mut Vec<Arc<Policy>>,
    problems: &mut Vec<String>,
) {
    for p in list {
        let id = format!("{owner} inline {}", p.name);
        match parse_policy_value(
            PolicySource::new(id, PolicyKind::IdentityInline),
            &p.document,
        ) {
            Ok(policy) => out.push(Arc::new(policy)),
            Err(e) => problems.push(e.to_string()),
        }
    }
}

fn attached_policies(
    arns: &[String],
    managed: &HashMap<&str, Result<Arc<Policy>, String>>,
    out: &mut Vec<Arc<Policy>>,
    problems: &mut Vec<String>,
) {
    for arn in arns {
        match managed.get(arn.as_str()) {
            Some(Ok(p)) => out.push(Arc::clone(p)),
            Some(Err(e)) => problems.push(e.clone()),
            None => problems.push(format!(
                "managed policy {arn}: its document was not collected"
            )),
        }
    }
}

fn boundary_of(
    arn: Option<&String>,
    managed: &HashMap<&str, Result<Arc<Policy>, String>>,
    problems: &mut Vec<String>,
) -> Option<Arc<Policy>> {
    let arn = arn?;
    match managed.get(arn.as_str()) {
        // The same document, evaluated as a boundary: re-tag its source so citations say so.
        Some(Ok(p)) => Some(Arc::new(p.as_kind(PolicyKind::Boundary))),
        Some(Err(e)) => {
            problems.push(e.clone());
            None
        }
        None => {
            problems.push(format!(
                "permissions boundary {arn}: its document was not collected"
            ));
            None
        }
    }
}

fn role_entry(r: &Role, managed: &HashMap<&str, Result<Arc<Policy>, String>>) -> PrincipalEntry {
    let mut set = PrincipalSet::default();
    let mut problems = Vec::new();
    inline_policies(
        &format!("role/{}", r.name),
        &r.inline_policies,
        &mut set.identity,
        &mut problems,
    );
    attached_policies(
        &r.attached_policies,
        managed,
        &mut set.identity,
        &mut problems,
    );
    set.boundary = boundary_of(r.permissions_boundary.as_ref(), managed, &mut problems);
    let lambda_trust = match trust_decision(r, super::LAMBDA_SERVICE) {
        Ok(Decision::Allowed { .. }) => "allowed",
        Ok(Decision::Unknown { .. }) => "unknown",
        Ok(Decision::Denied { .. }) => "denied",
        Err(_) => "unreadable",
    };
    PrincipalEntry {
        lambda_trust,
        arn: r.arn.clone(),
        name: r.name.clone(),
        principal_type: "AssumedRole",
        service_linked: r.path.starts_with("/aws-service-role/"),
        policies: if problems.is_empty() {
            Ok(set)
        } else {
            Err(problems)
        },
    }
}

fn user_entry(
    u: &User,
    groups: &HashMap<&str, &Group>,
    managed: &HashMap<&str, Result<Arc<Policy>, String>>,
) -> PrincipalEntry {
    let mut set = PrincipalSet::default();
    let mut problems = Vec::new();
    inline_policies(
        &format!("user/{}", u.name),
        &u.inline_policies,
        &mut set.identity,
        &mut problems,
    );
    attached_policies(
        &u.attached_policies,
        managed,
        &mut set.identity,
        &mut problems,
    );
    for name in &u.groups {
        match groups.get(name.as_str()) {
            Some(g) => {
                inline_policies(
                    &format!("group/{}", g.name),
                    &g.inline_policies,
                    &mut set.identity,
                    &mut problems,
                );
                attached_policies(
                    &g.attached_policies,
                    managed,
                    &mut set.identity,
                    &mut problems,
                );
            }
            None => problems.push(format!("group {name}: not in the collected IAM data")),
        }
    }
    set.boundary = boundary_of(u.permissions_boundary.as_ref(), managed, &mut problems);
    PrincipalEntry {
        lambda_trust: "",
        arn: u.arn.clone(),
        name: u.name.clone(),
        principal_type: "User",
        service_linked: false,
        policies: if problems.is_empty() {
            Ok(set)
        } else {
            Err(problems)
        },
    }
}

fn scps_of(account: &Account) -> Scps {
    match &account.organizations {
        None => Scps::Unknown(
            Service::Organizations
                .gap_in(account)
                .map(|g| format!("organizations:{} failed ({})", g.operation, g.error_code))
                .unwrap_or_else(|| "Organizations was not collected".to_string()),
        ),
        Some(Organizations::NotInOrganization) => {
            Scps::NotApplicable("the account is not in an organization")
        }
        Some(Organizations::Member(m)) if m.management_account_id == account.account_id => {
            Scps::NotApplicable("SCPs do not apply to the organization's management account")
        }
        Some(Organizations::Member(m)) if !m.scps_enabled => {
            Scps::NotApplicable("service control policies are not enabled in the organization")
        }
        Some(Organizations::Member(m)) => {
            let mut levels = Vec::with_capacity(m.scp_levels.len());
            for level in &m.scp_levels {
                let mut policies = Vec::with_capacity(level.policies.len());
                for scp in &level.policies {
                    match parse_policy_value(
                        PolicySource::new(scp.arn.clone(), PolicyKind::Scp),
                        &scp.document,
                    ) {
                        Ok(p) => policies.push(Arc::new(p)),
                        Err(e) => return Scps::Unknown(e.to_string()),
                    }
                }
                levels.push(policies);
            }
            Scps::Apply(levels)
        }
    }
}

/// Whether a service may assume the role under its trust policy (engine decision), or the parse error.
pub fn trust_decision(role: &Role, service: &str) -> Result<Decision, PolicyError> {
    let policy = parse_policy_value(
        PolicySource::new(role.arn.clone(), PolicyKind::Trust),
        &role.trust_policy,
    )?;
    let request = Request::new("sts:AssumeRole", role.arn.clone())
        .with_principal(CallerPrincipal::Service(service.to_string()))
        .with_context(RequestContext::new());
    Ok(evaluate_resource_policy(&request, &policy))
}

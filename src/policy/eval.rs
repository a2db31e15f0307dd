//! Decisions: statement applicability, per-layer outcomes, and the identity and resource-policy verdicts.
//!
//! Layering follows the IAM User Guide's "Policy evaluation logic": an explicit `Deny` in any
//! policy wins; otherwise a request is allowed only if the identity policies allow it and, when
//! present, the permissions boundary and every SCP level (root, each OU, the account) allow it.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use super::context::{CallerPrincipal, Request, Tri};
use super::document::{Effect, Policy, PrincipalElem, PrincipalSpec, Statement, StatementRef};
use super::matching::{Glob, Mode, Unknowns};

/// The verdict on one request, with the statements that decide it as evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Decision {
    /// Every layer allows and nothing denies.
    Allowed {
        /// The allowing statements of every layer (identity first, then boundary, then SCPs).
        by: Vec<StatementRef>,
    },
    /// Not allowed: `explicit` when a `Deny` statement applies (cited in `by`), otherwise an
    /// implicit deny (`by` empty) because some layer allows nothing.
    Denied {
        /// Whether a `Deny` statement applies.
        explicit: bool,
        /// The denying statements; empty for an implicit deny.
        by: Vec<StatementRef>,
    },
    /// The outcome depends on request-context facts that are not known.
    Unknown {
        /// What is unknown, layer by layer.
        reason: String,
        /// The statements whose applicability is unknown.
        statements: Vec<StatementRef>,
    },
}

impl Decision {
    /// Whether the request is certainly allowed.
    pub fn is_allowed(&self) -> bool {
        matches!(self, Decision::Allowed { .. })
    }

    /// Whether the request is certainly not allowed (explicitly or implicitly).
    pub fn is_denied(&self) -> bool {
        matches!(self, Decision::Denied { .. })
    }

    /// The statements the decision cites: those that allowed or denied, or those it hinges on.
    pub fn cited(&self) -> &[StatementRef] {
        match self {
            Decision::Allowed { by } | Decision::Denied { by, .. } => by,
            Decision::Unknown { statements, .. } => statements,
        }
    }

    /// A stable one-word label: `allowed`, `denied` (explicit), `implicit_deny` or `unknown`.
    pub fn label(&self) -> &'static str {
        match self {
            Decision::Allowed { .. } => "allowed",
            Decision::Denied { explicit: true, .. } => "denied",
            Decision::Denied {
                explicit: false, ..
            } => "implicit_deny",
            Decision::Unknown { .. } => "unknown",
        }
    }
}

/// Every policy that bounds what an IAM principal may do, borrowed from the caller's storage so a
/// managed policy parsed once serves every principal it is attached to.
#[derive(Debug, Clone, Copy, Default)]
pub struct PrincipalPolicies<'a> {
    /// Identity policies: a user's inline, attached and group policies, or a role's inline and
    /// attached policies.
    pub identity: &'a [Arc<Policy>],
    /// The permissions boundary, if one is set: it must also allow.
    pub boundary: Option<&'a Policy>,
    /// SCP levels from the root down to the account; each level must allow. Empty when SCPs are
    /// not in play (no Organizations, or the management account).
    pub scps: &'a [Vec<Arc<Policy>>],
}

/// Which layer an outcome came from, for reasons.
#[derive(Debug, Clone, Copy)]
enum LayerName {
    Identity,
    Boundary,
    Scp(usize),
    Resource,
}

impl fmt::Display for LayerName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LayerName::Identity => f.write_str("identity policies"),
            LayerName::Boundary => f.write_str("permissions boundary"),
            LayerName::Scp(i) => write!(f, "SCP level {i}"),
            LayerName::Resource => f.write_str("resource policy"),
        }
    }
}

/// The outcome of one set of policies.
enum Layer {
    ExplicitDeny(Vec<StatementRef>),
    Allow(Vec<StatementRef>),
    Unknown {
        causes: Vec<String>,
        statements: Vec<StatementRef>,
    },
    ImplicitDeny,
}

/// Decides a request made by an IAM principal from its identity policies, permissions boundary
/// and SCPs.
pub fn evaluate_identity(request: &Request, policies: &PrincipalPolicies<'_>) -> Decision {
    let mut acc = Accumulator::default();
    let identity = eval_layer(policies.identity.iter().map(|p| &**p), request, false);
    if let Some(d) = acc.add(LayerName::Identity, identity) {
        return d;
    }
    if let Some(b) = policies.boundary {
        let layer = eval_layer(std::iter::once(b), request, false);
        if let Some(d) = acc.add(LayerName::Boundary, layer) {
            return d;
        }
    }
    for (i, level) in policies.scps.iter().enumerate() {
        let layer = eval_layer(level.iter().map(|p| &**p), request, false);
        if let Some(d) = acc.add(LayerName::Scp(i), layer) {
            return d;
        }
    }
    acc.finish()
}

/// Decides a request against a resource-based policy alone (a Lambda function policy, a trust
/// policy): the statement's `Principal`/`NotPrincipal` must match `request.principal`.
pub fn evaluate_resource_policy(request: &Request, policy: &Policy) -> Decision {
    let mut acc = Accumulator::default();
    let layer = eval_layer(std::iter::once(policy), request, true);
    if let Some(d) = acc.add(LayerName::Resource, layer) {
        return d;
    }
    acc.finish()
}

/// Folds layer outcomes: explicit deny returns at once; otherwise an implicit deny anywhere
/// decides, then unknowns, then allow.
#[derive(Default)]
struct Accumulator {
    implicit: bool,
    unknown_reasons: Vec<String>,
    unknown_statements: Vec<StatementRef>,
    allowed_by: Vec<StatementRef>,
}

impl Accumulator {
    fn add(&mut self, name: LayerName, layer: Layer) -> Option<Decision> {
        match layer {
            Layer::ExplicitDeny(by) => {
                return Some(Decision::Denied { explicit: true, by });
            }
            Layer::ImplicitDeny => self.implicit = true,
            Layer::Unknown { causes, statements } => {
                let what = if causes.is_empty() {
                    "unknown request facts".to_string()
                } else {
                    causes.join(", ")
                };
                self.unknown_reasons
                    .push(format!("{name}: outcome depends on {what}"));
                self.unknown_statements.extend(statements);
            }
            Layer::Allow(by) => {
                if !self.implicit {
                    self.allowed_by.extend(by);
                }
            }
        }
        None
    }

    fn finish(self) -> Decision {
        if self.implicit {
            Decision::Denied {
                explicit: false,
                by: Vec::new(),
            }
        } else if !self.unknown_reasons.is_empty() {
            Decision::Unknown {
                reason: self.unknown_reasons.join("; "),
                statements: self.unknown_statements,
            }
        } else {
            Decision::Allowed {
                by: self.allowed_by,
            }
        }
    }
}

/// Evaluates one set of policies: any applicable Deny → explicit deny; else any applicable Allow
/// with no possibly-applicable Deny → allow; else an unknown that could change the outcome →
/// unknown; else implicit deny.
fn eval_layer<'p>(
    policies: impl Iterator<Item = &'p Policy>,
    request: &Request,
    resource_mode: bool,
) -> Layer {
    let mut deny_true: Vec<&Statement> = Vec::new();
    let mut deny_unknown: Vec<&Statement> = Vec::new();
    let mut allow_true: Vec<&Statement> = Vec::new();
    let mut allow_unknown: Vec<&Statement> = Vec::new();
    let mut causes = Unknowns::default();
    for policy in policies {
        for st in policy.statements() {
            let mut u = Unknowns::default();
            match (
                statement_applies(st, request, resource_mode, &mut u),
                st.effect,
            ) {
                (Tri::False, _) => {}
                (Tri::True, Effect::Deny) => deny_true.push(st),
                (Tri::True, Effect::Allow) => allow_true.push(st),
                (Tri::Unknown, effect) => {
                    for c in u.causes {
                        causes.push(c);
                    }
                    match effect {
                        Effect::Deny => deny_unknown.push(st),
                        Effect::Allow => allow_unknown.push(st),
                    }
                }
            }
        }
    }
    let refs = |v: &[&Statement]| v.iter().map(|s| s.sref.clone()).collect::<Vec<_>>();
    if !deny_true.is_empty() {
        Layer::ExplicitDeny(refs(&deny_true))
    } else if !allow_true.is_empty() && deny_unknown.is_empty() {
        Layer::Allow(refs(&allow_true))
    } else if !allow_true.is_empty() || !allow_unknown.is_empty() {
        let mut statements = refs(&deny_unknown);
        statements.extend(refs(&allow_unknown));
        Layer::Unknown {
            causes: causes.causes,
            statements,
        }
    } else {
        // Nothing can allow: a possibly-applicable Deny changes only explicit vs implicit.
        Layer::ImplicitDeny
    }
}

/// Action AND resource AND (principal, in resource-policy mode) AND conditions, three-valued,
/// cheapest test first.
fn statement_applies(
    st: &Statement,
    request: &Request,
    resource_mode: bool,
    unknowns: &mut Unknowns,
) -> Tri {
    let mut acc = st.action.matches(&request.action, unknowns);
    if acc == Tri::False {
        return Tri::False;
    }
    if let Some(res) = &st.resource {
        // A pattern holding a variable with no value (key absent, no default) matches no
        // resource, under `Resource` and `NotResource` alike, so a `NotResource` entry of that
        // kind excludes nothing: "If a variable that has no value in the authorization context is
        // used as part of the Resource or NotResource element of a policy, the resource that
        // includes a policy variable with no value will not match any resource" (IAM User Guide,
        // "IAM policy elements: Variables and tags", Policy variables with no value). A variable
        // whose key is unknown or multivalued leaves the entry unknown.
        let mut any = Tri::False;
        for pat in &res.patterns {
            any = any.or(pat.test(
                &request.context,
                unknowns,
                |p| Glob::compile(p, Mode::Resource),
                |g| g.matches(&request.resource, false),
            ));
            if any == Tri::True {
                break;
            }
        }
        let t = if res.negated { any.negate() } else { any };
        if t == Tri::False {
            return Tri::False;
        }
        acc = acc.and(t);
    }
    if resource_mode && let Some(p) = &st.principal {
        let t = principal_applies(p, request.principal.as_ref(), unknowns);
        if t == Tri::False {
            return Tri::False;
        }
        acc = acc.and(t);
    }
    for c in &st.conditions {
        let t = c.eval(&request.context, unknowns);
        if t == Tri::False {
            return Tri::False;
        }
        acc = acc.and(t);
    }
    acc
}

/// One identity of a caller that a `NotPrincipal` list must name to exclude it.
enum Ident<'a> {
    Account(&'a str),
    Exact(&'a str),
    RoleOfSession { account: &'a str, role: &'a str },
    Service(&'a str),
    Federated(&'a str),
    Anonymous,
}

/// The identities AWS may check for a caller: "AWS might validate the account first, then the
/// role, and then the assumed-role user" (IAM User Guide, NotPrincipal with Deny).
fn identities(caller: &CallerPrincipal) -> Vec<Ident<'_>> {
    match caller {
        CallerPrincipal::Aws { arn, account } => {
            let mut v = vec![Ident::Account(account)];
            if arn_account_root(arn).is_none() {
                if let Some((acct, role)) = session_role(arn) {
                    v.push(Ident::RoleOfSession {
                        account: acct,
                        role,
                    });
                }
                v.push(Ident::Exact(arn));
            }
            v
        }
        CallerPrincipal::Service(s) => vec![Ident::Service(s)],
        CallerPrincipal::Federated(f) => vec![Ident::Federated(f)],
        CallerPrincipal::Anonymous => vec![Ident::Anonymous],
    }
}

/// The six `:`-separated parts of an ARN (the last keeps any further `:`), if it is one.
fn arn_parts(arn: &str) -> Option<[&str; 6]> {
    let mut it = arn.splitn(6, ':');
    let parts = [
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
    ];
    (parts[0] == "arn").then_some(parts)
}

/// `arn:PARTITION:iam::ACCOUNT:root` → ACCOUNT.
fn arn_account_root(arn: &str) -> Option<&str> {
    let [_, _, svc, region, acct, res] = arn_parts(arn)?;
    (svc == "iam" && region.is_empty() && res == "root").then_some(acct)
}

/// `arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE/SESSION` → (ACCOUNT, ROLE).
fn session_role(arn: &str) -> Option<(&str, &str)> {
    let [_, _, svc, _, acct, res] = arn_parts(arn)?;
    if svc != "sts" {
        return None;
    }
    let rest = res.strip_prefix("assumed-role/")?;
    let (role, _session) = rest.split_once('/')?;
    Some((acct, role))
}

/// `arn:PARTITION:iam::ACCOUNT:role/PATH/NAME` → (ACCOUNT, NAME).
fn role_arn(arn: &str) -> Option<(&str, &str)> {
    let [_, _, svc, _, acct, res] = arn_parts(arn)?;
    if svc != "iam" {
        return None;
    }
    let path = res.strip_prefix("role/")?;
    Some((acct, path.rsplit('/').next().unwrap_or(path)))
}

fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// Whether a principal list names one identity. Wildcards are not patterns here: "You cannot use
/// a wildcard to match part of a principal name or ARN"; only a lone `*` means everyone.
fn names(spec: &PrincipalSpec, id: &Ident<'_>) -> bool {
    let PrincipalSpec::Map {
        aws,
        service,
        federated,
        canonical: _,
    } = spec
    else {
        return true;
    };
    // `"Principal": "*"` and `{"AWS": "*"}` are equivalent (IAM User Guide, All principals).
    if aws.iter().any(|e| e == "*") {
        return true;
    }
    match id {
        Ident::Account(account) => aws
            .iter()
            .any(|e| (is_account_id(e) && e == account) || arn_account_root(e) == Some(account)),
        Ident::Exact(arn) => aws.iter().any(|e| e == arn),
        Ident::RoleOfSession { account, role } => {
            aws.iter().any(|e| role_arn(e) == Some((account, role)))
        }
        Ident::Service(s) => service
            .iter()
            .any(|e| e == "*" || e.eq_ignore_ascii_case(s)),
        Ident::Federated(f) => federated.iter().any(|e| e == "*" || e == f),
        Ident::Anonymous => false,
    }
}

/// Principal matching for resource-based policies; `NotPrincipal` inverts it.
fn principal_applies(
    el: &PrincipalElem,
    caller: Option<&CallerPrincipal>,
    unknowns: &mut Unknowns,
) -> Tri {
    let everyone = match &el.spec {
        PrincipalSpec::Any => true,
        PrincipalSpec::Map { aws, .. } => aws.iter().any(|e| e == "*"),
    };
    let Some(caller) = caller else {
        if everyone {
            return Tri::from_bool(!el.negated);
        }
        unknowns.push("the caller principal".to_string());
        return Tri::Unknown;
    };
    let ids = identities(caller);
    if !el.negated {
        // An account entry covers every principal of the account ("Using the account ARN in the
        // Principal element does not limit permissions to only the root user"); a role entry
        // covers its sessions.
        return Tri::from_bool(ids.iter().any(|id| names(&el.spec, id)));
    }
    // The most specific identity (the caller itself) is always checked: a Deny with a
    // NotPrincipal that does not name it applies. When it is named but its account (or role) is
    // not, AWS "might deny access to the entire account containing the principal".
    let self_named = ids.last().is_some_and(|id| names(&el.spec, id));
    if !self_named {
        Tri::True
    } else if ids.iter().all(|id| names(&el.spec, id)) {
        Tri::False
    } else {
        unknowns.push(
            "NotPrincipal names the caller but not its account or role, which AWS may also check"
                .to_string(),
        );
        Tri::Unknown
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::policy::context::RequestContext;
    use crate::policy::document::{PolicyKind, PolicySource, parse_policy};

    fn pol(kind: PolicyKind, id: &str, json: &str) -> Arc<Policy> {
        Arc::new(parse_policy(PolicySource::new(id, kind), json).unwrap())
    }

    fn req(action: &str, ctx: RequestContext) -> Request {
        Request::new(action, "*").with_context(ctx)
    }

    #[test]
    fn layers_combine() {
        let allow = pol(
            PolicyKind::IdentityManaged,
            "allow",
            r#"{"Statement":{"Effect":"Allow","Action":"ec2:*","Resource":"*"}}"#,
        );
        let boundary = pol(
            PolicyKind::Boundary,
            "b",
            r#"{"Statement":{"Effect":"Allow","Action":"ec2:Describe*","Resource":"*"}}"#,
        );
        let full = pol(
            PolicyKind::Scp,
            "FullAWSAccess",
            r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#,
        );
        let deny = pol(
            PolicyKind::Scp,
            "deny-eni",
            r#"{"Statement":{"Sid":"NoEni","Effect":"Deny","Action":"ec2:CreateNetworkInterface","Resource":"*"}}"#,
        );
        let identity = [allow];
        let ctx = RequestContext::new().unlisted_absent();
        let scps = vec![vec![full.clone()], vec![full.clone(), deny.clone()]];
        let pp = PrincipalPolicies {
            identity: &identity,
            boundary: None,
            scps: &scps,
        };
        let d = evaluate_identity(&req("ec2:CreateNetworkInterface", ctx.clone()), &pp);
        assert_eq!(d.label(), "denied");
        if let Decision::Denied { by, .. } = &d {
            assert_eq!(by[0].sid.as_deref(), Some("NoEni"));
            assert_eq!(by[0].policy_kind, PolicyKind::Scp);
        }
        assert_eq!(
            evaluate_identity(&req("ec2:DescribeSubnets", ctx.clone()), &pp).label(),
            "allowed"
        );
        let pp = PrincipalPolicies {
            identity: &identity,
            boundary: Some(&boundary),
            scps: &[],
        };
        assert_eq!(
            evaluate_identity(&req("ec2:CreateNetworkInterface", ctx.clone()), &pp).label(),
            "implicit_deny"
        );
        assert_eq!(
            evaluate_identity(&req("ec2:DescribeSubnets", ctx.clone()), &pp).label(),
            "allowed"
        );
        // An SCP level with nothing attached allows nothing.
        let scps = vec![vec![full.clone()], vec![]];
        let pp = PrincipalPolicies {
            identity: &identity,
            boundary: None,
            scps: &scps,
        };
        assert_eq!(
            evaluate_identity(&req("ec2:DescribeSubnets", ctx.clone()), &pp).label(),
            "implicit_deny"
        );
        // No identity policy at all.
        let pp = PrincipalPolicies::default();
        assert_eq!(
            evaluate_identity(&req("ec2:DescribeSubnets", ctx), &pp).label(),
            "implicit_deny"
        );
    }

    #[test]
    fn unknown_only_when_it_matters() {
        let p = pol(
            PolicyKind::IdentityInline,
            "p",
            r#"{"Version":"2012-10-17","Statement":[
            {"Sid":"A","Effect":"Allow","Action":"ec2:*","Resource":"*"},
            {"Sid":"D","Effect":"Deny","Action":"ec2:CreateNetworkInterface","Resource":"*","Condition":{"Null":{"lambda:SourceFunctionArn":"false"}}},
            {"Sid":"U","Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"x"}}},
            {"Sid":"DU","Effect":"Deny","Action":"iam:*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}
        ]}"#,
        );
        let identity = [p];
        let pp = PrincipalPolicies {
            identity: &identity,
            ..Default::default()
        };
        let unknown = RequestContext::new();
        let d = evaluate_identity(&req("ec2:CreateNetworkInterface", unknown.clone()), &pp);
        assert_eq!(d.label(), "unknown");
        if let Decision::Unknown { reason, statements } = &d {
            assert!(reason.contains("lambda:sourcefunctionarn"), "{reason}");
            assert_eq!(statements[0].sid.as_deref(), Some("D"));
        }
        // No deny for DescribeSubnets: unknown keys elsewhere do not matter.
        assert_eq!(
            evaluate_identity(&req("ec2:DescribeSubnets", unknown.clone()), &pp).label(),
            "allowed"
        );
        assert_eq!(
            evaluate_identity(&req("s3:GetObject", unknown.clone()), &pp).label(),
            "unknown"
        );
        // A possible deny with no possible allow is still certainly not allowed.
        assert_eq!(
            evaluate_identity(&req("iam:CreateUser", unknown), &pp).label(),
            "implicit_deny"
        );
        let known = RequestContext::new().unlisted_absent().with_value(
            "lambda:SourceFunctionArn",
            "arn:aws:lambda:us-east-1:1:function:f",
        );
        assert_eq!(
            evaluate_identity(&req("ec2:CreateNetworkInterface", known), &pp).label(),
            "denied"
        );
    }

    #[test]
    fn variables_in_actions_are_unknown_where_they_could_match() {
        let p = pol(
            PolicyKind::IdentityInline,
            "p",
            r#"{"Version":"2012-10-17","Statement":[
            {"Sid":"NA","Effect":"Allow","NotAction":["iam:*","lambda:${aws:PrincipalTag/op}"],"Resource":"*"},
            {"Sid":"DA","Effect":"Deny","Action":"ec2:${aws:username, 'Describe'}*","Resource":"*"}
        ]}"#,
        );
        let identity = [p];
        let pp = PrincipalPolicies {
            identity: &identity,
            ..Default::default()
        };
        let ctx = RequestContext::new().unlisted_absent();
        let d = evaluate_identity(&req("lambda:CreateFunction", ctx.clone()), &pp);
        assert_eq!(d.label(), "unknown");
        if let Decision::Unknown { reason, statements } = &d {
            assert!(reason.contains("policy variable in action"), "{reason}");
            assert_eq!(statements[0].sid.as_deref(), Some("NA"));
        }
        assert_eq!(
            evaluate_identity(&req("s3:GetObject", ctx.clone()), &pp).label(),
            "allowed"
        );
        assert_eq!(
            evaluate_identity(&req("iam:CreateUser", ctx.clone()), &pp).label(),
            "implicit_deny"
        );
        // A Deny whose Action holds a variable may apply: not a confident allow.
        assert_eq!(
            evaluate_identity(&req("ec2:RunInstances", ctx.clone()), &pp).label(),
            "unknown"
        );
        // Before Version 2012-10-17 the text is literal and matches no action.
        let old = pol(
            PolicyKind::IdentityInline,
            "old",
            r#"{"Statement":{"Effect":"Allow","NotAction":"lambda:${aws:username}","Resource":"*"}}"#,
        );
        let identity = [old];
        let pp = PrincipalPolicies {
            identity: &identity,
            ..Default::default()
        };
        assert_eq!(
            evaluate_identity(&req("lambda:CreateFunction", ctx), &pp).label(),
            "allowed"
        );
    }

    #[test]
    fn principals() {
        let p = pol(
            PolicyKind::Resource,
            "fn",
            r#"{"Version":"2012-10-17","Statement":[
            {"Sid":"acct","Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"lambda:InvokeFunction"},
            {"Sid":"role","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:role/team/app"},"Action":"lambda:InvokeFunction"},
            {"Sid":"svc","Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"lambda:InvokeFunction"}
        ]}"#,
        );
        let call = |c: CallerPrincipal| {
            evaluate_resource_policy(
                &Request::new(
                    "lambda:InvokeFunction",
                    "arn:aws:lambda:us-east-1:111111111111:function:f",
                )
                .with_principal(c)
                .with_context(RequestContext::new().unlisted_absent()),
                &p,
            )
            .label()
        };
        let aws = |arn: &str, account: &str| CallerPrincipal::Aws {
            arn: arn.into(),
            account: account.into(),
        };
        assert_eq!(
            call(aws("arn:aws:iam::111111111111:user/bob", "111111111111")),
            "allowed"
        );
        assert_eq!(
            call(aws(
                "arn:aws:sts::222222222222:assumed-role/app/s1",
                "222222222222"
            )),
            "allowed"
        );
        assert_eq!(
            call(aws(
                "arn:aws:iam::222222222222:role/team/app",
                "222222222222"
            )),
            "allowed"
        );
        assert_eq!(
            call(aws("arn:aws:iam::222222222222:role/other", "222222222222")),
            "implicit_deny"
        );
        assert_eq!(
            call(CallerPrincipal::Service("s3.amazonaws.com".into())),
            "allowed"
        );
        assert_eq!(
            call(CallerPrincipal::Service("sns.amazonaws.com".into())),
            "implicit_deny"
        );
        assert_eq!(call(CallerPrincipal::Anonymous), "implicit_deny");
        let none = evaluate_resource_policy(&Request::new("lambda:InvokeFunction", "*"), &p);
        assert_eq!(none.label(), "unknown");
    }

    #[test]
    fn not_principal_with_deny() {
        let p = pol(
            PolicyKind::Resource,
            "fn",
            r#"{"Statement":[
            {"Effect":"Allow","Principal":"*","Action":"s3:*"},
            {"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::444455556666:user/Bob","arn:aws:iam::444455556666:root"]},"Action":"s3:*"}
        ]}"#,
        );
        let only_bob = pol(
            PolicyKind::Resource,
            "fn2",
            r#"{"Statement":[
            {"Effect":"Allow","Principal":"*","Action":"s3:*"},
            {"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::444455556666:user/Bob"},"Action":"s3:*"}
        ]}"#,
        );
        let bob = CallerPrincipal::Aws {
            arn: "arn:aws:iam::444455556666:user/Bob".into(),
            account: "444455556666".into(),
        };
        let eve = CallerPrincipal::Aws {
            arn: "arn:aws:iam::444455556666:user/Eve".into(),
            account: "444455556666".into(),
        };
        let r = |c: &CallerPrincipal| {
            Request::new("s3:GetObject", "arn:aws:s3:::b").with_principal(c.clone())
        };
        assert_eq!(evaluate_resource_policy(&r(&bob), &p).label(), "allowed");
        // The doc's example: everyone but Bob is denied, Bob's account-mates included.
        assert_eq!(evaluate_resource_policy(&r(&eve), &p).label(), "denied");
        assert_eq!(
            evaluate_resource_policy(&r(&CallerPrincipal::Anonymous), &p).label(),
            "denied"
        );
        assert_eq!(
            evaluate_resource_policy(&r(&bob), &only_bob).label(),
            "unknown"
        );
        let other = CallerPrincipal::Aws {
            arn: "arn:aws:iam::999999999999:user/Mallory".into(),
            account: "999999999999".into(),
        };
        assert_eq!(
            evaluate_resource_policy(&r(&other), &only_bob).label(),
            "denied"
        );
    }

    #[test]
    fn decision_serializes_as_evidence() {
        let d = Decision::Denied {
            explicit: true,
            by: vec![StatementRef {
                policy_id: "scp-1".into(),
                policy_kind: PolicyKind::Scp,
                sid: Some("NoEni".into()),
                index: 2,
            }],
        };
        let v = serde_json::to_value(&d).unwrap();
        assert_eq!(v["decision"], "denied");
        assert_eq!(v["by"][0]["policy_kind"], "scp");
        assert_eq!(v["by"][0]["index"], 2);
    }
}

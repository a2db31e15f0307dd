//! LAMBDA108 `capacity-provider-operator-role-broad`: the operator role of a capacity provider
//! (Lambda Managed Instances) may do more than the AWS managed operator policy
//! (`AWSLambdaManagedEC2ResourceOperator`) allows, decided by the policy engine.
//!
//! The engine answers requests, not "is this policy a subset of that one", so the check asks it
//! requests: each action and resource the role's own Allow statements name (wildcards filled in),
//! plus a fixed set that `NotAction`/`NotResource` grants and SCP-shaped grants reach, each under
//! two contexts (as Lambda's scaler calls EC2, and as a holder of the role's credentials calling
//! without Lambda's managed-resource marker). A request the role may make and the reference policy
//! may not is a permission beyond what Lambda needs.

use super::each_provider;
use crate::checks::iam::principals::PrincipalEntry;
use crate::checks::{CheckContext, CheckDef, Findings};
use crate::finding::{FindingBuilder, FindingError, Status};
use crate::policy::{
    Decision, PolicyKind, PolicySource, Request, RequestContext, StatementRef, evaluate_identity,
    parse_policy_value,
};
use crate::snapshot::{Account, CapacityProvider};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::sync::Arc;

/// The registry line.
pub const CHECK: CheckDef = CheckDef {
    catalog: include_str!(
        "../../../checks/lambda/LAMBDA108-capacity-provider-operator-role-broad.md"
    ),
    run,
    options: None,
};

/// The AWS managed policy Lambda documents as what an operator role needs.
pub const OPERATOR_POLICY_ARN: &str = "arn:aws:iam::aws:policy/AWSLambdaManagedEC2ResourceOperator";

/// Its document (default version v5, 2026-06-10), used when the snapshot holds no copy.
const OPERATOR_POLICY_BUILT_IN: &str =
    include_str!("../../../checks/AWSLambdaManagedEC2ResourceOperator.json");

/// The service principal in `ec2:ManagedResourceOperator` on the resources Lambda manages.
const SCALER: &str = "scaler.lambda.amazonaws.com";

/// What fills the wildcards of the role's own patterns.
const FILL: &str = "vpcwarden-probe";

/// Requests beyond the reference that a grant may reach without naming them (`NotAction`, `*`,
/// whole-service wildcards): `(action, resource kind)`, the resource built per account.
const FIXED: &[(&str, &str)] = &[
    ("vpcwarden-probe:AnyAction", "any"),
    ("iam:PassRole", "role"),
    ("iam:VpcwardenProbeAnyAction", "role"),
    ("sts:AssumeRole", "role"),
    ("ec2:TerminateInstances", "instance"),
    ("ec2:ModifyNetworkInterfaceAttribute", "network-interface"),
    ("ec2:DeleteNetworkInterface", "network-interface"),
    ("ec2:AuthorizeSecurityGroupIngress", "security-group"),
    ("ec2:CreateRoute", "route-table"),
    ("ec2:VpcwardenProbeAnyAction", "instance"),
    ("ec2:RunInstances", "instance"),
    ("ec2:RunInstances", "image"),
    ("ec2:CreateTags", "instance"),
    ("ssm:SendCommand", "instance"),
    ("s3:GetObject", "object"),
    ("kms:Decrypt", "key"),
    ("secretsmanager:GetSecretValue", "secret"),
    ("lambda:InvokeFunction", "function"),
];

fn run(ctx: &CheckContext<'_>, out: &mut Findings<'_>) -> Result<(), FindingError> {
    // The reference policy is parsed once per account, not once per provider.
    let mut references: Vec<Option<(Arc<crate::policy::Policy>, &'static str)>> =
        vec![None; ctx.snapshot.accounts.len()];
    each_provider(ctx, out, |account, region, provider, b, out| {
        let index = ctx.account_index(account);
        let policies = ctx.policies(index);
        let b = b.evidence("operator_role", provider.operator_role_arn.as_deref());
        let Some(role_arn) = provider.operator_role_arn.as_deref() else {
            return out.push(
                b.status(Status::NotEvaluated)
                    .evidence("reason", "operator_role_unknown")
                    .message(format_args!(
                        "Not evaluated: capacity provider {} reports no operator role.",
                        provider.name()
                    )),
            );
        };
        if let Some(why) = &policies.iam_missing {
            return out.push(
                b.status(Status::NotEvaluated)
                    .evidence("reason", "iam_not_collected")
                    .message(format_args!("Not evaluated: {why}.")),
            );
        }
        let Some(entry) = policies.roles.iter().find(|r| r.arn == role_arn) else {
            return out.push(role_not_found(account, provider, role_arn, b));
        };
        let set = match &entry.policies {
            Ok(set) => set,
            Err(problems) => {
                return out.push(
                    b.status(Status::NotEvaluated)
                        .evidence("reason", "policy_unreadable")
                        .evidence("policy_errors", json!(problems))
                        .message(format_args!(
                            "Not evaluated: a policy of operator role {} cannot be read: {}.",
                            entry.name,
                            problems.join("; ")
                        )),
                );
            }
        };
        let (reference, reference_source) = references[index]
            .get_or_insert_with(|| reference_policy(account))
            .clone();
        let scps = policies.scps_for(entry);
        let engine = set.with_scps(scps.levels);
        let reference_set = [reference];
        let reference_engine = crate::policy::PrincipalPolicies {
            identity: &reference_set,
            boundary: None,
            scps: &[],
        };
        let mut beyond = Beyond::default();
        let mut unknown = Vec::new();
        let requests = probes(account, &region.region, set, &reference_set[0]);
        for (label, context) in contexts(account, entry, &region.region) {
            for (action, resource) in &requests {
                let request =
                    Request::new(action.as_str(), resource.as_str()).with_context(context.clone());
                let role = evaluate_identity(&request, &engine);
                if role.is_denied() {
                    continue;
                }
                if evaluate_identity(&request, &reference_engine).is_allowed() {
                    continue;
                }
                match role {
                    Decision::Allowed { by } => {
                        beyond.add(action, resource, label, granted_by(by));
                    }
                    Decision::Unknown { reason, statements } => {
                        let what =
                            json!({"action": action, "resource": resource, "context": label});
                        unknown.push((what, reason, statements))
                    }
                    Decision::Denied { .. } => {}
                }
            }
        }
        let b = b
            .evidence("operator_role_name", entry.name.as_str())
            .evidence("reference_policy", OPERATOR_POLICY_ARN)
            .evidence("reference_policy_source", reference_source)
            .evidence("scps_evaluated", scps.unknown.is_none());
        judge(
            provider,
            entry,
            b,
            beyond,
            unknown,
            scps.unknown.is_some(),
            out,
        )
    })
}

/// The requests the role may make and the reference may not, by action.
#[derive(Default)]
struct Beyond {
    by_action: std::collections::BTreeMap<String, Reach>,
}

/// Where one action reaches beyond the reference, and which statements allow it.
#[derive(Default)]
struct Reach {
    resources: BTreeSet<String>,
    contexts: BTreeSet<&'static str>,
    granted_by: Vec<StatementRef>,
}

/// At most this many actions, and resources per action, in the evidence.
const EVIDENCE_LIMIT: usize = 25;

impl Beyond {
    fn add(&mut self, action: &str, resource: &str, context: &'static str, by: Vec<StatementRef>) {
        let reach = self.by_action.entry(action.to_string()).or_default();
        reach.resources.insert(resource.to_string());
        reach.contexts.insert(context);
        for s in by {
            if !reach.granted_by.contains(&s) {
                reach.granted_by.push(s);
            }
        }
    }

    fn is_empty(&self) -> bool {
        self.by_action.is_empty()
    }

    fn evidence(&self) -> Value {
        self.by_action
            .iter()
            .take(EVIDENCE_LIMIT)
            .map(|(action, r)| {
                json!({
                    "action": action,
                    "resources": r.resources.iter().take(EVIDENCE_LIMIT).collect::<Vec<_>>(),
                    "resource_count": r.resources.len(),
                    "contexts": r.contexts,
                    "granted_by": r.granted_by,
                })
            })
            .collect()
    }
}

fn judge<'t>(
    provider: &CapacityProvider,
    entry: &PrincipalEntry,
    b: FindingBuilder<'t>,
    beyond: Beyond,
    unknown: Vec<(Value, String, Vec<StatementRef>)>,
    scps_unknown: bool,
    out: &mut Findings<'t>,
) -> Result<(), FindingError> {
    if !beyond.is_empty() {
        let statements: BTreeSet<String> = beyond
            .by_action
            .values()
            .flat_map(|r| r.granted_by.iter().map(cite))
            .collect();
        let actions: Vec<&str> = beyond.by_action.keys().map(String::as_str).collect();
        let shown = if actions.len() > 10 {
            format!(
                "{} and {} more",
                actions[..10].join(", "),
                actions.len() - 10
            )
        } else {
            actions.join(", ")
        };
        let caveat = if scps_unknown {
            " (SCPs could not be read; one of them may still deny this)"
        } else {
            ""
        };
        return out.push(
            b.status(Status::Fail)
                .evidence("beyond_reference", beyond.evidence())
                .evidence("beyond_reference_actions", actions.len())
                .message(format_args!(
                    "Operator role {} of capacity provider {} may do more than AWSLambdaManagedEC2ResourceOperator allows: {shown} (granted by {}){caveat}. Lambda needs no more; whoever can act as this role can.",
                    entry.name,
                    provider.name(),
                    statements.into_iter().collect::<Vec<_>>().join("; ")
                )),
        );
    }
    if !unknown.is_empty() {
        let reasons: BTreeSet<&str> = unknown.iter().map(|(_, r, _)| r.as_str()).collect();
        let listed: Vec<Value> = unknown
            .iter()
            .map(|(w, r, s)| {
                let mut w = w.clone();
                w["unknown"] = json!(r);
                w["statements"] = json!(s);
                w
            })
            .collect();
        return out.push(
            b.status(Status::NotEvaluated)
                .evidence("reason", "decision_unknown")
                .evidence("undecided", listed)
                .message(format_args!(
                    "Not evaluated: whether operator role {} of capacity provider {} may do more than AWSLambdaManagedEC2ResourceOperator allows depends on facts not known ({}).",
                    entry.name,
                    provider.name(),
                    reasons.into_iter().collect::<Vec<_>>().join("; ")
                )),
        );
    }
    out.push(b.status(Status::Pass).message(format_args!(
        "Operator role {} of capacity provider {} may do nothing that AWSLambdaManagedEC2ResourceOperator does not allow.",
        entry.name,
        provider.name()
    )))
}

/// An operator role that is not in the account's IAM: another account's (not judged here), or
/// deleted (it grants nothing).
fn role_not_found<'t>(
    account: &Account,
    provider: &CapacityProvider,
    role_arn: &str,
    b: FindingBuilder<'t>,
) -> FindingBuilder<'t> {
    let own = format!(":iam::{}:role/", account.account_id);
    if role_arn.contains(&own) {
        b.status(Status::Pass)
            .evidence("role_found", false)
            .message(format_args!(
                "Operator role {role_arn} of capacity provider {} does not exist (deleted), so it grants nothing.",
                provider.name()
            ))
    } else {
        b.status(Status::NotEvaluated)
            .evidence("reason", "operator_role_in_other_account")
            .message(format_args!(
                "Not evaluated: operator role {role_arn} of capacity provider {} belongs to another account, whose IAM was not read here.",
                provider.name()
            ))
    }
}

/// The reference policy: the snapshot's copy (what AWS serves today) when IAM returned it, else the
/// built-in copy.
fn reference_policy(account: &Account) -> (Arc<crate::policy::Policy>, &'static str) {
    let source = || PolicySource::new(OPERATOR_POLICY_ARN, PolicyKind::IdentityManaged);
    let collected = account.iam.as_ref().and_then(|iam| {
        iam.managed_policies
            .binary_search_by(|m| m.arn.as_str().cmp(OPERATOR_POLICY_ARN))
            .ok()
            .map(|i| &iam.managed_policies[i].document)
    });
    if let Some(policy) = collected.and_then(|d| parse_policy_value(source(), d).ok()) {
        return (Arc::new(policy), "snapshot");
    }
    let built_in: Value =
        serde_json::from_str(OPERATOR_POLICY_BUILT_IN).expect("the built-in policy is JSON");
    let policy = parse_policy_value(source(), &built_in).expect("the built-in policy parses");
    (Arc::new(policy), "built_in")
}

/// The two ways a request reaches EC2 with the operator role: as Lambda's scaler makes it (on
/// resources marked as managed by it, from Amazon's images), and without that marker (launching
/// or tagging any instance, from any image).
fn contexts(
    account: &Account,
    entry: &PrincipalEntry,
    region: &str,
) -> [(&'static str, RequestContext); 2] {
    let base = RequestContext::new()
        .with_value("aws:PrincipalArn", entry.arn.as_str())
        .with_value("aws:PrincipalAccount", account.account_id.as_str())
        .with_value("aws:PrincipalType", "AssumedRole")
        .with_value("aws:RequestedRegion", region)
        .with_value("aws:SecureTransport", "true")
        .with_absent("aws:username")
        .with_absent("aws:CalledVia");
    [
        (
            "as_lambda_scaler",
            base.clone()
                .with_value("ec2:ManagedResourceOperator", SCALER)
                .with_value("ec2:Owner", "amazon"),
        ),
        (
            "unmanaged_resource",
            base.with_absent("ec2:ManagedResourceOperator")
                .with_value("ec2:Owner", account.account_id.as_str()),
        ),
    ]
}

/// The requests to ask about: every action named by the fixed set, the role's identity and
/// boundary statements and the reference policy, against every resource any of them names (a
/// `NotResource` or a missing resource stands for any resource): a grant's reach shows where one
/// policy's action meets another's resource, as when a boundary narrows an `"Action": "*"`.
fn probes(
    account: &Account,
    region: &str,
    set: &crate::checks::iam::principals::PrincipalSet,
    reference: &crate::policy::Policy,
) -> Vec<(String, String)> {
    let any = resource(account, region, "any");
    let mut actions: BTreeSet<String> = FIXED.iter().map(|(a, _)| a.to_ascii_lowercase()).collect();
    let mut resources: BTreeSet<String> = FIXED
        .iter()
        .map(|(_, kind)| resource(account, region, kind))
        .collect();
    let policies = set
        .identity
        .iter()
        .map(|p| &**p)
        .chain(set.boundary.as_deref())
        .chain(std::iter::once(reference));
    for policy in policies {
        for s in policy.statements() {
            if s.effect() != crate::policy::Effect::Allow {
                continue;
            }
            actions.extend(s.action_examples(FILL).unwrap_or_default());
            for r in s.resource_examples(FILL).unwrap_or_default() {
                resources.insert(if r == FILL { any.clone() } else { r });
            }
        }
    }
    // `*` alone names no service: the fixed set's `vpcwarden-probe:AnyAction` stands for it.
    actions.remove(FILL);
    let mut out = Vec::with_capacity(actions.len() * resources.len());
    for a in &actions {
        for r in &resources {
            out.push((a.clone(), r.clone()));
        }
    }
    out
}

/// A resource of `kind` that no policy names on purpose.
fn resource(account: &Account, region: &str, kind: &str) -> String {
    let (p, id) = (&account.partition, &account.account_id);
    match kind {
        "role" => format!("arn:{p}:iam::{id}:role/{FILL}"),
        "instance" => format!("arn:{p}:ec2:{region}:{id}:instance/i-{FILL}"),
        "image" => format!("arn:{p}:ec2:{region}::image/ami-{FILL}"),
        "network-interface" => format!("arn:{p}:ec2:{region}:{id}:network-interface/eni-{FILL}"),
        "security-group" => format!("arn:{p}:ec2:{region}:{id}:security-group/sg-{FILL}"),
        "route-table" => format!("arn:{p}:ec2:{region}:{id}:route-table/rtb-{FILL}"),
        "object" => format!("arn:{p}:s3:::{FILL}/{FILL}"),
        "key" => format!("arn:{p}:kms:{region}:{id}:key/{FILL}"),
        "secret" => format!("arn:{p}:secretsmanager:{region}:{id}:secret:{FILL}"),
        "function" => format!("arn:{p}:lambda:{region}:{id}:function:{FILL}"),
        _ => format!("arn:{p}:{FILL}:{region}:{id}:anything/any"),
    }
}

/// The identity statements among those that allowed (boundary and SCP allows only let it be).
fn granted_by(by: Vec<StatementRef>) -> Vec<StatementRef> {
    by.into_iter()
        .filter(|s| {
            matches!(
                s.policy_kind,
                PolicyKind::IdentityInline | PolicyKind::IdentityManaged
            )
        })
        .collect()
}

/// "POLICY statement SID" for a message.
fn cite(s: &StatementRef) -> String {
    match &s.sid {
        Some(sid) => format!("{} statement {}", &*s.policy_id, &**sid),
        None => format!("{} statement #{}", &*s.policy_id, s.index),
    }
}

//! The VPC guardrail question shared by `principal-vpc-guardrail-missing` and
//! `account-vpc-guardrail-missing`: would creating or reconfiguring a function outside the approved
//! network be denied?

use crate::config::Config;
use crate::policy::{
    Decision, KeyState, PrincipalPolicies, Request, RequestContext, evaluate_identity,
};
use serde::Serialize;

/// The actions whose requests carry `lambda:VpcIds`, `lambda:SubnetIds` and `lambda:SecurityGroupIds`.
pub const GUARDED_ACTIONS: &[&str] = &[
    "lambda:CreateFunction",
    "lambda:UpdateFunctionConfiguration",
];

/// The region and function ARN the guardrail requests name: a function that does not exist yet, in
/// the account's first collected region.
pub fn probe_function(account: &crate::snapshot::Account) -> (&str, String) {
    let region = account
        .regions
        .first()
        .map_or("us-east-1", |r| r.region.as_str());
    let resource = format!(
        "arn:{}:lambda:{region}:{}:function:vpcwarden-probe",
        account.partition, account.account_id
    );
    (region, resource)
}

/// Stand-ins for a network nobody approved.
const ROGUE_VPC: &str = "vpc-0vpcwarden0unapproved";
const ROGUE_SUBNET: &str = "subnet-0vpcwarden0unapproved";
const ROGUE_SG: &str = "sg-0vpcwarden0unapproved";

/// One way to create a function outside the approved network.
#[derive(Debug, Clone, Serialize)]
pub struct Case {
    /// `no_vpc`, `unapproved_network` or `mixed_subnets_and_groups`.
    pub name: &'static str,
    /// What the request looks like.
    pub description: &'static str,
    #[serde(skip)]
    keys: [(&'static str, KeyState); 3],
}

fn present(values: Vec<String>) -> KeyState {
    KeyState::Present(values)
}

/// The cases to try. Without approved ids in the config, "unapproved" ids match no real resource.
/// The mixed case (one approved and one rogue subnet or group in an approved VPC) exists only when
/// the config names approved subnets or groups: `ForAllValues:StringNotEquals` on these
/// multi-valued keys lets it through, because not every value is unapproved.
pub fn cases(config: &Config) -> Vec<Case> {
    let mut out = vec![
        Case {
            name: "no_vpc",
            description: "a function with no VPC configuration",
            keys: [
                ("lambda:VpcIds", KeyState::Absent),
                ("lambda:SubnetIds", KeyState::Absent),
                ("lambda:SecurityGroupIds", KeyState::Absent),
            ],
        },
        Case {
            name: "unapproved_network",
            description: "a function in a VPC, subnet and security group that are not approved",
            keys: [
                ("lambda:VpcIds", present(vec![ROGUE_VPC.into()])),
                ("lambda:SubnetIds", present(vec![ROGUE_SUBNET.into()])),
                ("lambda:SecurityGroupIds", present(vec![ROGUE_SG.into()])),
            ],
        },
    ];
    if !config.approved_subnets.is_empty() || !config.approved_security_groups.is_empty() {
        let vpc = config
            .approved_vpcs
            .first()
            .cloned()
            .unwrap_or_else(|| "vpc-0vpcwarden0approved".into());
        let with_rogue = |approved: &[String], rogue: &str| -> Vec<String> {
            approved
                .first()
                .into_iter()
                .cloned()
                .chain([rogue.to_string()])
                .collect()
        };
        out.push(Case {
            name: "mixed_subnets_and_groups",
            description: "a function in an approved VPC with one approved and one unapproved subnet and security group",
            keys: [
                ("lambda:VpcIds", present(vec![vpc])),
                ("lambda:SubnetIds", present(with_rogue(&config.approved_subnets, ROGUE_SUBNET))),
                ("lambda:SecurityGroupIds", present(with_rogue(&config.approved_security_groups, ROGUE_SG))),
            ],
        });
    }
    out
}

/// The decision for one action in one case.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// The action.
    pub action: &'static str,
    /// The case's name.
    pub case: &'static str,
    /// The engine's decision, with the statements that made it.
    #[serde(flatten)]
    pub decision: Decision,
}

/// Whether a principal may call the guarded actions at all (VPC keys unknown): a principal that is
/// denied both whatever the network is needs no guardrail.
pub fn in_scope(engine: &PrincipalPolicies<'_>, base: &RequestContext, resource: &str) -> bool {
    GUARDED_ACTIONS.iter().any(|action| {
        let context = base
            .clone()
            .with_unknown("lambda:VpcIds")
            .with_unknown("lambda:SubnetIds")
            .with_unknown("lambda:SecurityGroupIds");
        !evaluate_identity(
            &Request::new(*action, resource).with_context(context),
            engine,
        )
        .is_denied()
    })
}

/// Every action in every case.
pub fn evaluate(
    engine: &PrincipalPolicies<'_>,
    base: &RequestContext,
    resource: &str,
    config: &Config,
) -> Vec<Outcome> {
    let mut out = Vec::new();
    for case in cases(config) {
        let mut context = base.clone();
        for (key, state) in &case.keys {
            context.set(key, state.clone());
        }
        for action in GUARDED_ACTIONS {
            let request = Request::new(*action, resource).with_context(context.clone());
            out.push(Outcome {
                action,
                case: case.name,
                decision: evaluate_identity(&request, engine),
            });
        }
    }
    out
}

/// The outcomes that let a function outside the approved network through.
pub fn leaks(outcomes: &[Outcome]) -> Vec<&Outcome> {
    outcomes
        .iter()
        .filter(|o| o.decision.is_allowed())
        .collect()
}

/// The outcomes that could not be decided.
pub fn undecided(outcomes: &[Outcome]) -> Vec<&Outcome> {
    outcomes
        .iter()
        .filter(|o| matches!(o.decision, Decision::Unknown { .. }))
        .collect()
}

/// "lambda:UpdateFunctionConfiguration with no VPC configuration, ..." for messages.
pub fn describe(outcomes: &[&Outcome]) -> String {
    outcomes
        .iter()
        .map(|o| {
            let case = match o.case {
                "no_vpc" => "with no VPC configuration",
                "unapproved_network" => "in an unapproved VPC, subnet and security group",
                _ => "with an unapproved subnet or security group beside approved ones",
            };
            format!("{} {case}", o.action)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

//! The guardrail questions shared by the per-principal checks (IAM002, IAM007) and the per-account
//! checks (ORG001, ORG002): would the policies deny a request that puts Lambda compute outside the
//! approved network, or that attaches a layer from an untrusted account?
//!
//! A guardrail is asked as a set of probe requests ([`Case`]s), each decided by the policy engine
//! with the principal's own request context. A case may carry a *control*: the same request without
//! the thing the guardrail is about (for a layer: the same request with only a layer of the account
//! itself). When the control is already denied, the case tests nothing
//! (another guardrail, or no permission at all, stops the request) and is left out.

use crate::config::Config;
use crate::policy::{
    Decision, KeyState, PrincipalPolicies, Request, RequestContext, evaluate_identity,
};
use crate::snapshot::Account;
use serde::Serialize;

/// The actions whose requests carry `lambda:VpcIds`, `lambda:SubnetIds`,
/// `lambda:SecurityGroupIds` and `lambda:Layer` (Service Authorization Reference).
pub const FUNCTION_ACTIONS: &[&str] = &[
    "lambda:CreateFunction",
    "lambda:UpdateFunctionConfiguration",
];

/// Creating a capacity provider (Lambda Managed Instances) chooses the subnets and security groups
/// its instances run in. Its request carries `lambda:SubnetIds` and `lambda:SecurityGroupIds`,
/// not `lambda:VpcIds`; `UpdateCapacityProvider` takes no network at all (its request has only
/// the scaling configuration), so a provider's network is fixed at creation.
const CREATE_CAPACITY_PROVIDER: &str = "lambda:CreateCapacityProvider";

/// The network keys of the Lambda requests.
const NETWORK_KEYS: [&str; 3] = [
    "lambda:VpcIds",
    "lambda:SubnetIds",
    "lambda:SecurityGroupIds",
];

/// The layer key: the layer version ARNs of the request (multi-valued).
const LAYER_KEY: &str = "lambda:Layer";

/// Stand-ins for a network nobody approved.
const ROGUE_VPC: &str = "vpc-0vpcwarden0unapproved";
const ROGUE_SUBNET: &str = "subnet-0vpcwarden0unapproved";
const ROGUE_SG: &str = "sg-0vpcwarden0unapproved";

/// How many of the account's own VPCs the layer guardrail tries as the network of its probes.
const MAX_ACCOUNT_NETWORKS: usize = 10;

/// Which guardrail a check asks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guardrail {
    /// Functions and capacity providers only in the approved network (IAM002, ORG001).
    Network,
    /// Functions only with layers of their own or trusted accounts (IAM007, ORG002).
    Layer,
}

/// One probe request: an action, with the condition keys the case sets.
#[derive(Debug, Clone)]
pub struct Case {
    /// `no_vpc`, `unapproved_network`, `mixed_subnets_and_groups`, `foreign_layer` or
    /// `mixed_layers`.
    pub name: &'static str,
    /// The actions the case is tried with.
    actions: &'static [&'static str],
    /// The network the request names, for the layer cases (`no_vpc`, a VPC id, `approved`, `any`).
    network: Option<String>,
    /// How the request reads in a message, after the action.
    phrase: String,
    /// The keys the case sets.
    keys: Keys,
    /// The keys of the control request, when the case has one.
    control: Option<Keys>,
}

/// The decision for one action in one case.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// The action.
    pub action: &'static str,
    /// The case's name.
    pub case: &'static str,
    /// For the layer cases: the network the probe named.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network: Option<String>,
    /// The engine's decision, with the statements that made it.
    #[serde(flatten)]
    pub decision: Decision,
    #[serde(skip)]
    phrase: String,
}

/// What a guardrail question found for one principal or account.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// Every probe that tested something.
    pub outcomes: Vec<Outcome>,
}

impl Evaluation {
    /// The outcomes that let a request through.
    pub fn leaks(&self) -> Vec<&Outcome> {
        self.outcomes
            .iter()
            .filter(|o| o.decision.is_allowed())
            .collect()
    }

    /// The outcomes that could not be decided.
    pub fn undecided(&self) -> Vec<&Outcome> {
        self.outcomes
            .iter()
            .filter(|o| matches!(o.decision, Decision::Unknown { .. }))
            .collect()
    }
}

/// "lambda:UpdateFunctionConfiguration with no VPC configuration; ..." for messages.
pub fn describe(outcomes: &[&Outcome]) -> String {
    outcomes
        .iter()
        .map(|o| format!("{} {}", o.action, o.phrase))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The region and the ARN a probe request names: a function or capacity provider that does not
/// exist yet, in the account's first collected region.
fn probe_resource(account: &Account, action: &str) -> String {
    let region = probe_region(account);
    let kind = if action == CREATE_CAPACITY_PROVIDER {
        "capacity-provider"
    } else {
        "function"
    };
    format!(
        "arn:{}:lambda:{region}:{}:{kind}:vpcwarden-probe",
        account.partition, account.account_id
    )
}

/// Whether a principal may call any of `actions` at all (every guardrail key unknown): one denied
/// them whatever the request says needs no guardrail.
pub fn may_call_any(
    engine: &PrincipalPolicies<'_>,
    base: &RequestContext,
    account: &Account,
    actions: &[&str],
) -> bool {
    actions.iter().any(|action| {
        let mut context = base.clone();
        for key in NETWORK_KEYS.iter().chain([&LAYER_KEY]) {
            context.set(key, KeyState::Unknown);
        }
        let request = Request::new(*action, probe_resource(account, action));
        !evaluate_identity(&request.with_context(context), engine).is_denied()
    })
}

/// The region the probe requests are made in.
pub fn probe_region(account: &Account) -> &str {
    account
        .regions
        .first()
        .map_or("us-east-1", |r| r.region.as_str())
}

fn present(values: Vec<String>) -> KeyState {
    KeyState::Present(values)
}

/// The network keys of a request that names no VPC.
fn no_network() -> Keys {
    NETWORK_KEYS
        .iter()
        .map(|k| (*k, KeyState::Absent))
        .collect()
}

/// A 12-digit account that is neither `own`, nor trusted, nor a member of the scanned organization:
/// the publisher of the foreign layer.
fn foreign_account(own: &str, trusted: &[String], members: &[String]) -> String {
    let mut id: u64 = 999_999_999_999;
    loop {
        let candidate = format!("{id:012}");
        if candidate != own && !trusted.contains(&candidate) && !members.contains(&candidate) {
            return candidate;
        }
        id -= 1;
    }
}

impl Guardrail {
    /// The actions the guardrail is about.
    /// The actions it guards.
    pub fn actions(self) -> &'static [&'static str] {
        match self {
            Guardrail::Network => &[
                "lambda:CreateFunction",
                "lambda:UpdateFunctionConfiguration",
                CREATE_CAPACITY_PROVIDER,
            ],
            Guardrail::Layer => FUNCTION_ACTIONS,
        }
    }

    /// The settings of `vpcwarden.toml` the verdict depends on, for the evidence.
    pub fn settings(self, config: &Config) -> (&'static str, serde_json::Value) {
        match self {
            Guardrail::Network => ("approved", config.approved()),
            Guardrail::Layer => (
                "trusted_layer_accounts",
                serde_json::json!(config.trusted_layer_accounts),
            ),
        }
    }

    /// Every case, for every action it applies to. The fallback cases (the layer guardrail in an
    /// unknown network) are tried only when no first-rank case tested anything.
    pub fn evaluate(
        self,
        engine: &PrincipalPolicies<'_>,
        base: &RequestContext,
        account: &Account,
        config: &Config,
        members: &[String],
    ) -> Evaluation {
        let outcomes = run_cases(engine, base, account, self.cases(account, config, members));
        if !outcomes.is_empty() {
            return Evaluation { outcomes };
        }
        Evaluation {
            outcomes: run_cases(
                engine,
                base,
                account,
                self.fallback(account, config, members),
            ),
        }
    }

    fn cases(self, account: &Account, config: &Config, members: &[String]) -> Vec<Case> {
        match self {
            Guardrail::Network => network_cases(config),
            Guardrail::Layer => layer_cases(account, config, members, false),
        }
    }

    fn fallback(self, account: &Account, config: &Config, members: &[String]) -> Vec<Case> {
        match self {
            Guardrail::Network => Vec::new(),
            Guardrail::Layer => layer_cases(account, config, members, true),
        }
    }

    /// What may happen, for a failing finding: "create or reconfigure Lambda functions outside the
    /// approved network".
    pub fn what_leaks(self, leaks: &[&Outcome]) -> &'static str {
        match self {
            Guardrail::Layer => "attach layers from untrusted accounts to Lambda functions",
            Guardrail::Network => {
                let provider = leaks.iter().any(|o| o.action == CREATE_CAPACITY_PROVIDER);
                let function = leaks.iter().any(|o| o.action != CREATE_CAPACITY_PROVIDER);
                match (function, provider) {
                    (true, true) => {
                        "create or reconfigure Lambda functions, and create capacity providers, outside the approved network"
                    }
                    (false, true) => {
                        "create Lambda capacity providers outside the approved network"
                    }
                    _ => "create or reconfigure Lambda functions outside the approved network",
                }
            }
        }
    }

    /// What the principal is kept to, for a passing finding.
    pub fn what_holds(self) -> &'static str {
        match self {
            Guardrail::Network => {
                "create and reconfigure Lambda functions, and create capacity providers, only in the approved network"
            }
            Guardrail::Layer => {
                "attach to Lambda functions only layers of its own account or of trusted accounts"
            }
        }
    }

    /// What the SCPs deny, for a passing account.
    pub fn what_scps_deny(self) -> &'static str {
        match self {
            Guardrail::Network => {
                "creating or reconfiguring Lambda functions, and creating capacity providers, outside the approved network"
            }
            Guardrail::Layer => "attaching layers from untrusted accounts to Lambda functions",
        }
    }

    /// What the SCPs are asked to keep, for the account checks.
    pub fn account_rule(self) -> &'static str {
        match self {
            Guardrail::Network => "in approved VPCs",
            Guardrail::Layer => "to layers of their own or trusted accounts",
        }
    }
}

fn run_cases(
    engine: &PrincipalPolicies<'_>,
    base: &RequestContext,
    account: &Account,
    cases: Vec<Case>,
) -> Vec<Outcome> {
    let mut out = Vec::new();
    for case in cases {
        let with = |keys: &[(&'static str, KeyState)]| {
            let mut context = base.clone();
            for (key, state) in keys {
                context.set(key, state.clone());
            }
            context
        };
        let context = with(&case.keys);
        let control = case.control.as_deref().map(with);
        for action in case.actions {
            let resource = probe_resource(account, action);
            if let Some(control) = &control {
                let request =
                    Request::new(*action, resource.as_str()).with_context(control.clone());
                if evaluate_identity(&request, engine).is_denied() {
                    continue;
                }
            }
            let request = Request::new(*action, resource).with_context(context.clone());
            out.push(Outcome {
                action,
                case: case.name,
                network: case.network.clone(),
                decision: evaluate_identity(&request, engine),
                phrase: case.phrase.clone(),
            });
        }
    }
    out
}

/// Ways to put Lambda compute outside the approved network. Without approved ids in the config,
/// "unapproved" ids match no real resource. The mixed case (one approved and one rogue subnet or
/// group) exists only when the config names approved subnets or groups:
/// `ForAllValues:StringNotEquals` on these multi-valued keys lets it through, because not every
/// value is unapproved. A capacity provider always names subnets (its `VpcConfig` is required), so
/// it has no `no_vpc` case, and its request never carries `lambda:VpcIds`.
fn network_cases(config: &Config) -> Vec<Case> {
    let provider: &'static [&'static str] = &[CREATE_CAPACITY_PROVIDER];
    let network = |vpc: KeyState, subnets: Vec<String>, groups: Vec<String>| {
        vec![
            ("lambda:VpcIds", vpc),
            ("lambda:SubnetIds", present(subnets)),
            ("lambda:SecurityGroupIds", present(groups)),
        ]
    };
    let rogue = || (vec![ROGUE_SUBNET.to_string()], vec![ROGUE_SG.to_string()]);
    let mut out = vec![
        Case {
            name: "no_vpc",
            actions: FUNCTION_ACTIONS,
            network: None,
            phrase: "with no VPC configuration".into(),
            keys: no_network(),
            control: None,
        },
        Case {
            name: "unapproved_network",
            actions: FUNCTION_ACTIONS,
            network: None,
            phrase: "in an unapproved VPC, subnet and security group".into(),
            keys: network(present(vec![ROGUE_VPC.into()]), rogue().0, rogue().1),
            control: None,
        },
        Case {
            name: "unapproved_network",
            actions: provider,
            network: None,
            phrase: "in an unapproved subnet and security group".into(),
            keys: network(KeyState::Absent, rogue().0, rogue().1),
            control: None,
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
        let subnets = with_rogue(&config.approved_subnets, ROGUE_SUBNET);
        let groups = with_rogue(&config.approved_security_groups, ROGUE_SG);
        let phrase = "with an unapproved subnet or security group beside approved ones";
        out.push(Case {
            name: "mixed_subnets_and_groups",
            actions: FUNCTION_ACTIONS,
            network: None,
            phrase: phrase.into(),
            keys: network(present(vec![vpc]), subnets.clone(), groups.clone()),
            control: None,
        });
        out.push(Case {
            name: "mixed_subnets_and_groups",
            actions: provider,
            network: None,
            phrase: phrase.into(),
            keys: network(KeyState::Absent, subnets, groups),
            control: None,
        });
    }
    out
}

/// A network a layer probe names: its id for the evidence, how it reads in a message, and the
/// network keys of the request.
type Network = (String, String, Keys);

/// The condition keys a probe sets.
type Keys = Vec<(&'static str, KeyState)>;

/// The networks a layer probe is made in: no VPC, the approved network of the config, and the
/// account's own VPCs in the probe region (each with all its subnets and security groups). A
/// network the principal may not use anyway (its control request is denied) tests nothing about
/// layers. `fallback`: one network whose keys are all unknown, tried when no other network could
/// be used; then only a decision that holds whatever the network counts.
fn layer_networks(account: &Account, config: &Config, fallback: bool) -> Vec<Network> {
    if fallback {
        let unknown = NETWORK_KEYS
            .iter()
            .map(|k| (*k, KeyState::Unknown))
            .collect();
        return vec![("any".into(), "in any network".into(), unknown)];
    }
    let mut out = vec![(
        "no_vpc".into(),
        "and no VPC configuration".into(),
        no_network(),
    )];
    if !config.approved_vpcs.is_empty()
        || !config.approved_subnets.is_empty()
        || !config.approved_security_groups.is_empty()
    {
        let key = |key: &'static str, values: &[String]| {
            let state = if values.is_empty() {
                KeyState::Unknown
            } else {
                present(values.to_vec())
            };
            (key, state)
        };
        let vpc = match config.approved_vpcs.first() {
            Some(v) => present(vec![v.clone()]),
            None => KeyState::Unknown,
        };
        out.push((
            "approved".into(),
            "in the approved network".into(),
            vec![
                ("lambda:VpcIds", vpc),
                key("lambda:SubnetIds", &config.approved_subnets),
                key("lambda:SecurityGroupIds", &config.approved_security_groups),
            ],
        ));
    }
    let region = account
        .regions
        .iter()
        .find(|r| r.region == probe_region(account));
    if let Some(region) = region {
        for vpc in region.ec2.vpcs.iter().take(MAX_ACCOUNT_NETWORKS) {
            let subnets: Vec<String> = region
                .ec2
                .subnets
                .iter()
                .filter(|s| s.vpc_id == vpc.vpc_id)
                .map(|s| s.subnet_id.clone())
                .collect();
            let groups: Vec<String> = region
                .ec2
                .security_groups
                .iter()
                .filter(|g| g.vpc_id.as_deref() == Some(vpc.vpc_id.as_str()))
                .map(|g| g.group_id.clone())
                .collect();
            if subnets.is_empty() || groups.is_empty() {
                continue;
            }
            out.push((
                vpc.vpc_id.clone(),
                format!("in {}", vpc.vpc_id),
                vec![
                    ("lambda:VpcIds", present(vec![vpc.vpc_id.clone()])),
                    ("lambda:SubnetIds", present(subnets)),
                    ("lambda:SecurityGroupIds", present(groups)),
                ],
            ));
        }
    }
    out
}

/// Ways to attach a layer of an account that is neither the principal's own nor trusted: alone,
/// and beside a layer of the account itself (`ForAllValues:StringNotLike` on the multi-valued
/// `lambda:Layer` lets the mixed request through, because not every value is untrusted).
fn layer_cases(
    account: &Account,
    config: &Config,
    members: &[String],
    fallback: bool,
) -> Vec<Case> {
    let region = probe_region(account);
    let foreign = foreign_account(&account.account_id, &config.trusted_layer_accounts, members);
    let layer = |owner: &str| {
        format!(
            "arn:{}:lambda:{region}:{owner}:layer:vpcwarden-probe:1",
            account.partition
        )
    };
    let mut out = Vec::new();
    for (network, where_, keys) in layer_networks(account, config, fallback) {
        // The control names only a layer of the account itself: it differs from the cases only
        // in the untrusted layer (a request with no layer at all would meet a `ForAllValues` Deny
        // on the absent key, and test nothing).
        let control = (!fallback).then(|| {
            let mut control = keys.clone();
            control.push((LAYER_KEY, present(vec![layer(&account.account_id)])));
            control
        });
        let with = |layers: Vec<String>| {
            let mut keys = keys.clone();
            keys.push((LAYER_KEY, present(layers)));
            keys
        };
        out.push(Case {
            name: "foreign_layer",
            actions: FUNCTION_ACTIONS,
            network: Some(network.clone()),
            phrase: format!("with a layer from account {foreign} {where_}"),
            keys: with(vec![layer(&foreign)]),
            control: control.clone(),
        });
        out.push(Case {
            name: "mixed_layers",
            actions: FUNCTION_ACTIONS,
            network: Some(network),
            phrase: format!(
                "with a layer of its own account beside one from account {foreign} {where_}"
            ),
            keys: with(vec![layer(&account.account_id), layer(&foreign)]),
            control,
        });
    }
    out
}

//! LAMBDA003 `function-not-in-vpc`: a function that is not attached to a customer VPC (Security Hub Lambda.3).

use crate::checks::iam::principals::trust_decision;
use crate::checks::inputs::GET_ACCOUNT_AUTHORIZATION_DETAILS;
use crate::checks::{CheckContext, CheckDef, Findings};
use crate::finding::{FindingBuilder, FindingError, Status};
use crate::policy::Decision;
use crate::snapshot::{Account, Function, GLOBAL_REGION, RegionData, Role};
use serde_json::{Value, json};

/// The registry line.
pub const CHECK: CheckDef = CheckDef {
    catalog: include_str!("../../../checks/lambda/LAMBDA003-function-not-in-vpc.md"),
    run,
    options: None,
};

/// The service principal Lambda@Edge replicates functions with.
const EDGE_SERVICE: &str = "edgelambda.amazonaws.com";

/// Whether the trust policy of each role (by ARN) of one account lets [`EDGE_SERVICE`] assume it.
#[derive(Default)]
struct EdgeTrust {
    account: String,
    by_role: std::collections::HashMap<String, Result<Decision, crate::policy::PolicyError>>,
}

impl EdgeTrust {
    /// The decision for `role` of `account`, made the first time it is asked for.
    fn of(&mut self, account: &str, role: &Role) -> &Result<Decision, crate::policy::PolicyError> {
        if self.account != account {
            self.by_role.clear();
            self.account = account.to_string();
        }
        // Looked up before inserting: the key is copied once per role, not once per function.
        if !self.by_role.contains_key(&role.arn) {
            let decision = trust_decision(role, EDGE_SERVICE);
            self.by_role.insert(role.arn.clone(), decision);
        }
        &self.by_role[&role.arn]
    }
}

fn run(ctx: &CheckContext<'_>, out: &mut Findings<'_>) -> Result<(), FindingError> {
    // Whether each execution role trusts Lambda@Edge, decided once per role: the functions that
    // share a role (thousands, in a large account) share the decision.
    let mut edge_trust = EdgeTrust::default();
    super::each_function(
        ctx,
        out,
        |_| true,
        |account, region, function, b, out| {
            judge(account, region, function, b, out, &mut edge_trust)
        },
    )?;
    super::each_provider(ctx, out, |_, region, provider, b, out| {
        let placed = super::Placed::provider(provider);
        let b = b
            .evidence("subnet_ids", json!(provider.vpc_config.subnet_ids))
            .evidence(
                "security_group_ids",
                json!(provider.vpc_config.security_group_ids),
            );
        match placed.network {
            Some(vpc) => {
                let vpc_id = region.vpc_id_of(vpc);
                out.push(
                    b.status(Status::Pass)
                        .evidence("vpc_id", vpc_id)
                        .message(format_args!(
                            "{} runs its instances in VPC {} through {} subnet(s).",
                            placed.subject(),
                            vpc_id.unwrap_or("(unknown)"),
                            vpc.subnet_ids.len()
                        )),
                )
            }
            None => out.push(b.status(Status::Fail).message(format_args!(
                "{} has no subnet in its VPC configuration, so its instances have no network vpcwarden can place.",
                placed.subject()
            ))),
        }
    })
}

fn judge<'t>(
    account: &Account,
    region: &RegionData,
    function: &Function,
    b: FindingBuilder<'t>,
    out: &mut Findings<'t>,
    edge_trust: &mut EdgeTrust,
) -> Result<(), FindingError> {
    let b = b.evidence("role", function.role.as_str());
    let Some((net, b)) = super::network(account, region, function, b, out)? else {
        return Ok(());
    };
    if let Some(vpc) = net {
        let vpc_id = region.function_vpc_id(function).map(str::to_string);
        let how = match &function.capacity_provider_arn {
            Some(provider) => format!("runs on capacity provider {provider} in VPC"),
            None => "is attached to VPC".to_string(),
        };
        return out.push(
            b.status(Status::Pass)
                .message(format_args!(
                    "Lambda function {} {how} {} through {} subnet(s).",
                    function.name,
                    vpc_id.as_deref().unwrap_or("(unknown)"),
                    vpc.subnet_ids.len()
                ))
                .evidence("vpc_id", vpc_id.map_or(Value::Null, Value::from))
                .evidence("subnet_ids", json!(vpc.subnet_ids))
                .evidence("security_group_ids", json!(vpc.security_group_ids)),
        );
    }
    let b = b.evidence("vpc_config", Value::Null);
    // Lambda@Edge functions cannot be attached to a VPC: whether this is one is decided by the
    // execution role's trust policy, which needs IAM.
    let Some(iam) = &account.iam else {
        let gap = GET_ACCOUNT_AUTHORIZATION_DETAILS.gap_in(account, GLOBAL_REGION);
        return match gap {
            Some(gap) => out.not_evaluated(account, &region.region, None, &function.arn, gap),
            None => out.push(
                b.status(Status::NotEvaluated)
                    .evidence("reason", "iam_not_collected")
                    .message(format_args!(
                        "Not evaluated: IAM was not collected, so whether {} is a Lambda@Edge function is unknown.",
                        function.name
                    )),
            ),
        };
    };
    let role = iam
        .roles
        .binary_search_by(|r| r.arn.as_str().cmp(&function.role))
        .ok()
        .map(|i| &iam.roles[i]);
    let edge = match role.map(|r| edge_trust.of(&account.account_id, r)) {
        // No such role in the account (deleted, or in another account): no Lambda@Edge trust to find.
        None => None,
        Some(Ok(Decision::Allowed { by })) => Some(json!(by)),
        Some(Ok(Decision::Denied { .. })) => None,
        Some(Ok(Decision::Unknown { reason, statements })) => {
            return out.push(
                b.status(Status::NotEvaluated)
                    .evidence("reason", "trust_policy_undecided")
                    .evidence("trust_policy_unknown", reason.as_str())
                    .evidence("trust_statements", json!(statements))
                    .message(format_args!(
                        "Not evaluated: whether {EDGE_SERVICE} may assume the role of {} cannot be decided: {reason}.",
                        function.name
                    )),
            );
        }
        Some(Err(error)) => {
            return out.push(
                b.status(Status::NotEvaluated)
                    .evidence("reason", "trust_policy_unreadable")
                    .evidence("trust_policy_error", error.to_string())
                    .message(format_args!(
                        "Not evaluated: the trust policy of the role of {} cannot be read: {error}.",
                        function.name
                    )),
            );
        }
    };
    let b = b.evidence("role_found", role.is_some());
    match edge {
        Some(statement) => out.push(
            b.status(Status::Pass)
                .evidence("lambda_at_edge", true)
                .evidence("trust_statements", statement)
                .message(format_args!(
                    "Lambda function {} is not attached to a VPC, but it is a Lambda@Edge function (its role trusts {EDGE_SERVICE}), and Lambda@Edge functions cannot be attached to a VPC.",
                    function.name
                )),
        ),
        None => out.push(
            b.status(Status::Fail)
                .evidence("lambda_at_edge", false)
                .message(format_args!(
                    "Lambda function {} is not attached to a VPC: no security group or network ACL applies to its traffic and it cannot reach private resources.",
                    function.name
                )),
        ),
    }
}

//! LAMBDA106 `function-layer-cross-account`: a function runs code from a layer published by an
//! account that is neither its own nor trusted.

use super::each_function;
use crate::checks::{CheckContext, CheckDef, Findings};
use crate::finding::{FindingBuilder, FindingError, Status};
use crate::snapshot::{Account, Function, RegionData};
use serde_json::{Value, json};

/// The registry line.
pub const CHECK: CheckDef = CheckDef {
    catalog: include_str!("../../../checks/lambda/LAMBDA106-function-layer-cross-account.md"),
    run,
    options: None,
};

fn run(ctx: &CheckContext<'_>, out: &mut Findings<'_>) -> Result<(), FindingError> {
    each_function(
        ctx,
        out,
        |_| true,
        |account, region, function, b, out| judge(ctx, account, region, function, b, out),
    )
}

/// The account that owns a layer version ARN (`arn:PARTITION:lambda:REGION:ACCOUNT:layer:NAME:V`).
fn layer_owner(arn: &str) -> Option<&str> {
    let mut parts = arn.split(':');
    let (Some("arn"), _, Some("lambda"), _, Some(account), Some("layer")) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return None;
    };
    (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit())).then_some(account)
}

fn judge<'t>(
    ctx: &CheckContext<'_>,
    account: &Account,
    _region: &RegionData,
    function: &Function,
    b: FindingBuilder<'t>,
    out: &mut Findings<'t>,
) -> Result<(), FindingError> {
    let trusted = &ctx.config.trusted_layer_accounts;
    let members = ctx.organization_accounts();
    let layers: Vec<Value> = function
        .layers
        .iter()
        .map(|l| {
            let owner = layer_owner(&l.arn);
            let mut entry = json!({ "arn": l.arn, "owner": owner });
            // Only an organization run knows the members; elsewhere membership is not claimed.
            if let Some(members) = members {
                entry["in_organization"] =
                    json!(owner.is_some_and(|o| members.iter().any(|m| m == o)));
            }
            entry
        })
        .collect();
    let foreign: Vec<&Value> = layers
        .iter()
        .filter(|l| {
            l["owner"].as_str().is_none_or(|o| {
                o != account.account_id
                    && !trusted.iter().any(|t| t == o)
                    && !ctx.trusted_as_member(o)
            })
        })
        .collect();
    let b = b
        .evidence("layers", json!(layers))
        .evidence("trusted_layer_accounts", json!(trusted));
    let b = if ctx.config.trust_organization_accounts {
        b.evidence("trust_organization_accounts", true)
    } else {
        b
    };
    if foreign.is_empty() {
        return out.push(b.status(Status::Pass).message(if layers.is_empty() {
            format!("Lambda function {} uses no layer.", function.name)
        } else {
            format!(
                "Every layer of Lambda function {} comes from its own account or a trusted one.",
                function.name
            )
        }));
    }
    let owners: Vec<&str> = foreign
        .iter()
        .map(|l| l["owner"].as_str().unwrap_or("(unreadable ARN)"))
        .collect();
    out.push(
        b.status(Status::Fail)
            .evidence("untrusted_layers", json!(foreign))
            .message(format_args!(
                "Lambda function {} runs code from {} layer(s) published by account(s) {} that are neither its own nor in trusted_layer_accounts{}: whoever controls those accounts chose that code.",
                function.name,
                foreign.len(),
                owners.join(", "),
                if ctx.config.trust_organization_accounts {
                    " nor members of the organization"
                } else {
                    ""
                }
            )),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_owner_is_the_fifth_field_of_a_layer_arn() {
        assert_eq!(
            layer_owner("arn:aws:lambda:us-east-1:580247275435:layer:LambdaInsightsExtension:38"),
            Some("580247275435")
        );
        assert_eq!(
            layer_owner("arn:aws-cn:lambda:cn-north-1:123456789012:layer:x:1"),
            Some("123456789012")
        );
        assert_eq!(
            layer_owner("arn:aws:lambda:us-east-1:123456789012:function:x"),
            None
        );
        assert_eq!(layer_owner("not an arn"), None);
    }
}

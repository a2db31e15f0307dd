//! EC2101 `eni-orphaned`: a Lambda ENI that is not in use, or whose (subnet, security-group set) pair
//! no function uses any more. Only Hyperplane ENIs: the interfaces of Lambda Managed Instances serve
//! a capacity provider's instances, not a pair, and get no finding.

use super::{each_region, ec2_arn};
use crate::checks::inputs::{DESCRIBE_NETWORK_INTERFACES, LIST_FUNCTIONS};
use crate::checks::{CheckContext, CheckDef, Findings};
use crate::finding::{FindingError, Status};
use crate::snapshot::{Account, EniKind, Gap, NetworkInterface, RegionData};
use serde_json::{Value, json};

/// The check code (the collector lists published versions for it).
pub const CODE: &str = "EC2101";

/// The registry line.
pub const CHECK: CheckDef = CheckDef {
    catalog: include_str!("../../../checks/ec2/EC2101-eni-orphaned.md"),
    run,
    options: None,
};

fn run(ctx: &CheckContext<'_>, out: &mut Findings<'_>) -> Result<(), FindingError> {
    each_region(ctx, out, DESCRIBE_NETWORK_INTERFACES, judge_region)
}

fn judge_region(
    account: &Account,
    region: &RegionData,
    gate: Option<&Gap>,
    out: &mut Findings<'_>,
) -> Result<(), FindingError> {
    let pairs = region.eni_pairs_in_use();
    let functions_gap = LIST_FUNCTIONS.gap_in(account, &region.region);
    for eni in region
        .ec2
        .network_interfaces
        .iter()
        // A managed instance's ENI is never an orphaned Lambda ENI, whatever it looks like.
        .filter(|e| e.kind() == EniKind::LambdaHyperplane)
        // Another account's ENIs (a shared VPC's participants) are that account's to judge.
        .filter(|e| {
            e.owner_id
                .as_deref()
                .is_none_or(|o| o == account.account_id)
        })
    {
        let arn = ec2_arn(
            account,
            &region.region,
            "network-interface",
            &eni.network_interface_id,
        );
        if let Some(gap) = gate {
            out.not_evaluated(account, &region.region, None, &arn, gap)?;
            continue;
        }
        let users = pairs.get(&eni.pair());
        let function_name = eni.lambda_function_name();
        // Found is certain; not found is certain only when the function list is complete.
        let function_exists = match function_name {
            Some(name) if region.lambda.functions.iter().any(|f| f.name == name) => json!(true),
            Some(_) if functions_gap.is_none() => json!(false),
            _ => Value::Null,
        };
        let b = out
            .builder(&account.account_id, &region.region)
            .resource(&arn)
            .evidence("network_interface_id", eni.network_interface_id.as_str())
            .evidence("subnet_id", eni.subnet_id.as_str())
            .evidence("vpc_id", eni.vpc_id.as_str())
            .evidence("security_group_ids", json!(eni.security_group_ids))
            .evidence("private_ip_addresses", json!(eni.private_ip_addresses))
            .evidence("status", eni.status.as_str())
            .evidence("interface_type", eni.interface_type.as_deref())
            .evidence("description", eni.description.as_str())
            .evidence("function_name", function_name)
            .evidence("function_exists", function_exists)
            .evidence(
                "functions_using_pair",
                match (users, functions_gap) {
                    (_, Some(_)) => Value::Null,
                    (Some(u), None) => json!(u),
                    (None, None) => json!([]),
                },
            );
        let ips = eni.private_ip_addresses.len();
        if eni.status == "available" {
            out.push(
                b.status(Status::Fail)
                    .evidence("reason", "not_in_use")
                    .message(format_args!(
                        "Lambda ENI {} is not in use (available) and still holds {ips} private IP address(es) in {}{}.",
                        eni.network_interface_id,
                        eni.subnet_id,
                        made_for(function_name)
                    )),
            )?;
            continue;
        }
        if let Some(gap) = functions_gap {
            out.not_evaluated(account, &region.region, None, &arn, gap)?;
            continue;
        }
        match users {
            // A published version may still hold the pair: without the versions, no verdict.
            None if !region.lambda.versions_listed => out.push(
                b.status(Status::NotEvaluated)
                    .evidence("reason", "published_versions_not_read")
                    .message(format_args!(
                        "Not evaluated: no function uses the pair of Lambda ENI {} (subnet {}, security groups {}), but the published versions were not read, and one may still use it.",
                        eni.network_interface_id,
                        eni.subnet_id,
                        groups(eni)
                    )),
            )?,
            None => out.push(
                b.status(Status::Fail)
                    .evidence("reason", "pair_unused")
                    .message(format_args!(
                        "Lambda ENI {} serves subnet {} with security groups {}, a pair no function or published version in {} uses any more; it holds {ips} private IP address(es){}.",
                        eni.network_interface_id,
                        eni.subnet_id,
                        groups(eni),
                        region.region,
                        made_for(function_name)
                    )),
            )?,
            Some(users) => out.push(b.status(Status::Pass).message(format_args!(
                "Lambda ENI {} serves {} function(s) ({}).",
                eni.network_interface_id,
                users.len(),
                users.join(", ")
            )))?,
        }
    }
    Ok(())
}

fn groups(eni: &NetworkInterface) -> String {
    if eni.security_group_ids.is_empty() {
        "(none)".into()
    } else {
        eni.security_group_ids.join(", ")
    }
}

fn made_for(function_name: Option<&str>) -> String {
    function_name
        .map(|n| format!("; it was made for function {n}"))
        .unwrap_or_default()
}

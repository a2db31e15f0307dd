//! LAMBDA005 `function-single-az`: a VPC function whose subnets span fewer Availability Zones than
//! `min_azs` (Security Hub Lambda.5).

use super::{each_function, in_vpc};
use crate::checks::{CheckContext, CheckDef, Findings};
use crate::finding::{FindingBuilder, FindingError, Status};
use crate::snapshot::{Account, Function, RegionData};
use serde_json::json;
use std::collections::BTreeSet;

/// The registry line.
pub const CHECK: CheckDef = CheckDef {
    catalog: include_str!("../../../checks/lambda/LAMBDA005-function-single-az.md"),
    run,
};

fn run(ctx: &CheckContext<'_>, out: &mut Findings<'_>) -> Result<(), FindingError> {
    let min_azs = ctx.config.min_azs;
    each_function(ctx, out, in_vpc, |account, region, function, b, out| {
        judge(account, region, function, b, min_azs, out)
    })
}

fn judge<'t>(
    account: &Account,
    region: &RegionData,
    function: &Function,
    b: FindingBuilder<'t>,
    min_azs: usize,
    out: &mut Findings<'t>,
) -> Result<(), FindingError> {
    let Some((net, b)) = super::network(account, region, function, b, out)? else {
        return Ok(());
    };
    let subnet_ids = net.map(|v| v.subnet_ids.as_slice()).unwrap_or_default();
    let subnets: Vec<_> = subnet_ids
        .iter()
        .map(|id| (id, region.subnet(id)))
        .collect();
    let azs: BTreeSet<&str> = subnets
        .iter()
        .filter_map(|(_, s)| s.map(|s| s.availability_zone.as_str()))
        .collect();
    let missing: Vec<&String> = subnets
        .iter()
        .filter(|(_, s)| s.is_none())
        .map(|(id, _)| *id)
        .collect();
    let b = b
        .evidence(
            "subnets",
            subnets
                .iter()
                .map(|(id, s)| {
                    json!({
                        "subnet_id": id,
                        "availability_zone": s.map(|s| s.availability_zone.as_str()),
                        "availability_zone_id": s.and_then(|s| s.availability_zone_id.as_deref()),
                    })
                })
                .collect::<Vec<_>>(),
        )
        .evidence("availability_zones", json!(azs))
        .evidence("min_azs", min_azs);
    let zones = azs.iter().copied().collect::<Vec<_>>().join(", ");
    if azs.len() >= min_azs {
        out.push(b.status(Status::Pass).message(format!(
            "Lambda function {} uses subnets in {} Availability Zones ({zones}).",
            function.name,
            azs.len()
        )))
    } else if !missing.is_empty() {
        out.push(
            b.status(Status::NotEvaluated)
                .evidence("reason", "subnet_not_collected")
                .evidence("subnets_not_found", json!(missing))
                .message(format!(
                    "Not evaluated: the Availability Zone of subnet(s) {} of Lambda function {} is unknown (not in the collected subnets).",
                    missing.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", "),
                    function.name
                )),
        )
    } else {
        out.push(b.status(Status::Fail).message(format!(
            "Lambda function {} runs in {} Availability Zone{} ({zones}); at least {min_azs} (min_azs) are expected, so that it keeps running when a zone fails.",
            function.name,
            azs.len(),
            if azs.len() == 1 { "" } else { "s" }
        )))
    }
}

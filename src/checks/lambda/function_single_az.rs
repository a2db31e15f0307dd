//! LAMBDA005 `function-single-az`: a VPC function (or capacity provider) whose subnets span fewer
//! Availability Zones than `min_azs` (Security Hub Lambda.5).

use super::{Placed, each_placed};
use crate::checks::{CheckContext, CheckDef, Findings};
use crate::finding::{FindingBuilder, FindingError, Status};
use crate::snapshot::RegionData;
use serde_json::json;
use std::collections::BTreeSet;

/// The registry line.
pub const CHECK: CheckDef = CheckDef {
    catalog: include_str!("../../../checks/lambda/LAMBDA005-function-single-az.md"),
    run,
    options: Some(crate::checks::settings::options::<Options>),
};

/// `[checks.function-single-az]` options.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// The fewest Availability Zones a function's subnets may span, for this check; overrides the
    /// top-level `min_azs` (its shorthand, default 2). At least 1.
    #[serde(default, deserialize_with = "at_least_one")]
    pub min_azs: Option<usize>,
}

fn at_least_one<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<usize>, D::Error> {
    let n = <usize as serde::Deserialize>::deserialize(d)?;
    if n == 0 {
        return Err(serde::de::Error::custom("min_azs must be at least 1"));
    }
    Ok(Some(n))
}

fn run(ctx: &CheckContext<'_>, out: &mut Findings<'_>) -> Result<(), FindingError> {
    let min_azs = out
        .options::<Options>()
        .min_azs
        .unwrap_or(ctx.config.min_azs);
    each_placed(ctx, out, |_, region, placed, b, out| {
        judge(region, placed, b, min_azs, out)
    })
}

fn judge<'t>(
    region: &RegionData,
    placed: Placed<'_>,
    b: FindingBuilder<'t>,
    min_azs: usize,
    out: &mut Findings<'t>,
) -> Result<(), FindingError> {
    let subject = placed.subject();
    let subnet_ids = placed
        .network
        .map(|v| v.subnet_ids.as_slice())
        .unwrap_or_default();
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
        out.push(b.status(Status::Pass).message(format_args!(
            "{subject} uses subnets in {} Availability Zones ({zones}).",
            azs.len()
        )))
    } else if !missing.is_empty() {
        out.push(
            b.status(Status::NotEvaluated)
                .evidence("reason", "subnet_not_collected")
                .evidence("subnets_not_found", json!(missing))
                .message(format_args!(
                    "Not evaluated: the Availability Zone of subnet(s) {} of {subject} is unknown (not in the collected subnets).",
                    missing.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", "),
                )),
        )
    } else {
        out.push(b.status(Status::Fail).message(format_args!(
            "{subject} runs in {} Availability Zone{} ({zones}); at least {min_azs} (min_azs) are expected, so that it keeps running when a zone fails.",
            azs.len(),
            if azs.len() == 1 { "" } else { "s" }
        )))
    }
}

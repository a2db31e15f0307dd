//! LAMBDA101 `function-public-subnet`: a VPC function with a subnet whose route table sends the
//! default route to an internet gateway.

use super::{Placed, each_placed};
use crate::checks::network::{ANY_IPV4, Target, route_table_unknown, routing, subnets_evidence};
use crate::checks::{CheckContext, CheckDef, Findings};
use crate::finding::{FindingBuilder, FindingError, Status};
use crate::snapshot::{Account, RegionData};
use serde_json::Value;

/// The registry line.
pub const CHECK: CheckDef = CheckDef {
    catalog: include_str!("../../../checks/lambda/LAMBDA101-function-public-subnet.md"),
    run,
    options: None,
};

fn run(ctx: &CheckContext<'_>, out: &mut Findings<'_>) -> Result<(), FindingError> {
    each_placed(ctx, out, judge)
}

fn judge<'t>(
    _: &Account,
    region: &RegionData,
    placed: Placed<'_>,
    b: FindingBuilder<'t>,
    out: &mut Findings<'t>,
) -> Result<(), FindingError> {
    let subject = placed.subject();
    let subnets = routing(region, placed.network);
    let public: Vec<Value> = subnets
        .iter()
        .flat_map(|s| {
            s.default_routes()
                .filter(|r| Target::of(&r.target) == Target::InternetGateway)
                .map(|r| s.evidence(Some(r)))
        })
        .collect();
    if !public.is_empty() {
        let cited: Vec<String> = public
            .iter()
            .map(|p| {
                format!(
                    "{} ({} {} -> {})",
                    p["subnet_id"].as_str().unwrap_or_default(),
                    p["route_table_id"].as_str().unwrap_or_default(),
                    p["destination"].as_str().unwrap_or_default(),
                    p["target"].as_str().unwrap_or_default()
                )
            })
            .collect();
        let ipv4 = public.iter().any(|p| p["destination"] == ANY_IPV4);
        let who = if placed.function.is_some() {
            "the function has"
        } else {
            "its functions have"
        };
        let why = if ipv4 {
            format!(
                "Lambda gives its network interfaces no public IPv4 address, so {who} no internet access through that gateway"
            )
        } else {
            "Such a subnet is public for IPv6".to_string()
        };
        return out.push(
            b.status(Status::Fail)
                .message(format_args!(
                    "{subject} uses public subnet(s): {}. {why}; place it in private subnets and give it egress through a NAT gateway.",
                    cited.join(", ")
                ))
                .evidence("public_subnets", public),
        );
    }
    let (b, unknown) = subnets_evidence(b, &subnets);
    if !unknown.is_empty() {
        return out.push(route_table_unknown(
            b,
            &subject,
            &unknown,
            "no explicit association and no main route table of its VPC was collected",
        ));
    }
    out.push(b.status(Status::Pass).message(format_args!(
        "No subnet of {subject} routes to an internet gateway."
    )))
}

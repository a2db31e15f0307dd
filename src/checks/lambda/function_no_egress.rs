//! LAMBDA102 `function-no-egress`: a VPC function that can reach neither the internet nor AWS APIs:
//! no subnet routes `0.0.0.0/0` anywhere but an internet gateway, and no VPC endpoint serves its
//! subnets (interface endpoints serve the VPC, gateway endpoints the subnets of their route tables).

use super::{Placed, each_placed};
use crate::checks::inputs::DESCRIBE_VPC_ENDPOINTS;
use crate::checks::network::{
    ANY_IPV4, ANY_IPV6, Target, route_table_unknown, routing, subnets_evidence,
};
use crate::checks::{CheckContext, CheckDef, Findings, not_evaluated_on};
use crate::finding::{FindingBuilder, FindingError, Status};
use crate::snapshot::{Account, Collected, RegionData, Route, VpcEndpoint};
use serde_json::{Value, json};

/// The registry line.
pub const CHECK: CheckDef = CheckDef {
    catalog: include_str!("../../../checks/lambda/LAMBDA102-function-no-egress.md"),
    run,
    options: None,
};

/// The endpoint state in which an endpoint carries traffic (`pending`, `pendingAcceptance`,
/// `deleting`, ... do not).
const LIVE_ENDPOINT_STATE: &str = "available";

fn run(ctx: &CheckContext<'_>, out: &mut Findings<'_>) -> Result<(), FindingError> {
    each_placed(ctx, out, judge)
}

/// Whether a default route gives the function a way out. IPv4: any target but an internet gateway
/// (Lambda ENIs have no public IPv4 address) or the VPC itself. IPv6 (only when the function allows
/// IPv6 on dual-stack subnets): any target but the VPC itself.
fn is_egress(route: &Route, ipv6_allowed: bool) -> bool {
    let target = Target::of(&route.target);
    match route.destination.as_str() {
        ANY_IPV4 => !matches!(
            target,
            Target::InternetGateway | Target::Local | Target::EgressOnlyInternetGateway
        ),
        ANY_IPV6 => ipv6_allowed && target != Target::Local,
        _ => false,
    }
}

/// Whether an endpoint can carry traffic (a snapshot without states counts it).
fn is_live(endpoint: &VpcEndpoint) -> bool {
    endpoint
        .state
        .as_deref()
        .is_none_or(|s| s.eq_ignore_ascii_case(LIVE_ENDPOINT_STATE))
}

fn judge<'t>(
    account: &Account,
    region: &RegionData,
    placed: Placed<'_>,
    b: FindingBuilder<'t>,
    out: &mut Findings<'t>,
) -> Result<(), FindingError> {
    let subject = placed.subject();
    let net = placed.network;
    let ipv6_allowed = net.is_some_and(|v| v.ipv6_allowed_for_dual_stack);
    let subnets = routing(region, net);
    let egress: Vec<Value> = subnets
        .iter()
        .flat_map(|s| {
            s.default_routes()
                .filter(|r| is_egress(r, ipv6_allowed))
                .map(|r| s.evidence(Some(r)))
        })
        .collect();
    if !egress.is_empty() {
        let kinds: std::collections::BTreeSet<&str> = egress
            .iter()
            .filter_map(|e| e["target_kind"].as_str())
            .collect();
        return out.push(
            b.status(Status::Pass)
                .message(format_args!(
                    "{subject} has a way out of its VPC ({}).",
                    kinds.into_iter().collect::<Vec<_>>().join(", ")
                ))
                .evidence("egress_routes", egress),
        );
    }
    let (b, unknown) = subnets_evidence(b, &subnets);
    if !unknown.is_empty() {
        return out.push(route_table_unknown(
            b,
            &subject,
            &unknown,
            "none was collected for it, and no other subnet has a way out",
        ));
    }
    if let Some(gap) = DESCRIBE_VPC_ENDPOINTS.gap_in(account, &region.region) {
        return out.push(not_evaluated_on(b, gap));
    }
    let vpc_id = net.and_then(|n| region.vpc_id_of(n));
    let live: Vec<&VpcEndpoint> = region
        .ec2
        .vpc_endpoints
        .iter()
        .filter(|e| Some(e.vpc_id.as_str()) == vpc_id)
        .filter(|e| is_live(e))
        .collect();
    // An interface endpoint serves the whole VPC; a gateway endpoint only the subnets whose route
    // table it is associated with.
    let mut serving = Vec::new();
    let mut unknown_gateways = Vec::new();
    for e in live {
        if !e.is_gateway() {
            serving.push((e, subnets.iter().map(|s| s.subnet_id).collect::<Vec<_>>()));
            continue;
        }
        match &e.route_table_ids {
            Collected::Present(ids) => {
                let served: Vec<&str> = subnets
                    .iter()
                    .filter(|s| {
                        s.table
                            .is_some_and(|(t, _)| ids.contains(&t.route_table_id))
                    })
                    .map(|s| s.subnet_id)
                    .collect();
                if !served.is_empty() {
                    serving.push((e, served));
                }
            }
            _ => unknown_gateways.push(e.vpc_endpoint_id.as_str()),
        }
    }
    let b = b.evidence("vpc_id", vpc_id);
    if serving.is_empty() {
        if !unknown_gateways.is_empty() {
            return out.push(
                b.status(Status::NotEvaluated)
                    .evidence("reason", "endpoint_route_tables_unknown")
                    .evidence("gateway_endpoints", json!(unknown_gateways))
                    .message(format_args!(
                        "Not evaluated: {subject} has no internet route, and whether gateway endpoint(s) {} serve its subnets is unknown (their route tables were not recorded).",
                        unknown_gateways.join(", ")
                    )),
            );
        }
        return out.push(b.status(Status::Fail).message(format_args!(
            "{subject} can reach neither the internet nor AWS APIs: no subnet routes 0.0.0.0/0 to a NAT gateway, NAT instance, transit gateway or peering, and no VPC endpoint of VPC {} serves its subnets.",
            vpc_id.unwrap_or("(unknown)")
        )));
    }
    let services: Vec<&str> = serving
        .iter()
        .map(|(e, _)| e.service_name.as_str())
        .collect();
    out.push(
        b.status(Status::Pass)
            .message(format_args!(
                "{subject} has no internet route; through VPC endpoints it reaches {} only.",
                services.join(", ")
            ))
            .evidence("internet_route", false)
            .evidence(
                "reachable_services",
                serving
                    .iter()
                    .map(|(e, served)| {
                        json!({
                            "service_name": e.service_name,
                            "vpc_endpoint_id": e.vpc_endpoint_id,
                            "vpc_endpoint_type": e.vpc_endpoint_type,
                            "subnets_served": served,
                        })
                    })
                    .collect::<Vec<_>>(),
            ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_routes_that_lead_somewhere_are_egress() {
        let r = |d: &str, t: &str| Route {
            destination: d.into(),
            target: t.into(),
            state: None,
        };
        assert!(is_egress(&r("0.0.0.0/0", "nat-1"), false));
        assert!(is_egress(&r("0.0.0.0/0", "tgw-1"), false));
        assert!(!is_egress(&r("0.0.0.0/0", "igw-1"), false));
        assert!(!is_egress(&r("::/0", "eigw-1"), false), "IPv6 not allowed");
        assert!(is_egress(&r("::/0", "eigw-1"), true));
        assert!(!is_egress(&r("10.0.0.0/8", "pcx-1"), false));
    }
}

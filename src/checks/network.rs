//! What the placement checks need to know about the subnets of a function or capacity provider: their route tables, where their
//! default routes go, and how to show that as evidence.

use crate::finding::{FindingBuilder, Status};
use crate::snapshot::{RegionData, Route, RouteTable, RouteTableSource, Subnet, VpcConfig};
use serde_json::{Value, json};

/// What a route's target is, from its id prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// `igw-`: reaches the internet only from addresses that are public; Lambda ENIs have none.
    InternetGateway,
    /// `nat-`.
    NatGateway,
    /// `i-` or `eni-`: a NAT instance or appliance.
    Instance,
    /// `tgw-`.
    TransitGateway,
    /// `pcx-`.
    Peering,
    /// `vgw-`: a VPN or Direct Connect path.
    VpnGateway,
    /// `eigw-`: IPv6 egress only.
    EgressOnlyInternetGateway,
    /// `local`: inside the VPC.
    Local,
    /// Anything else (carrier, local gateway, Cloud WAN, a gateway endpoint's prefix list target).
    Other,
}

impl Target {
    /// Classifies a route target id.
    pub fn of(target: &str) -> Target {
        let prefixes = [
            ("igw-", Target::InternetGateway),
            ("nat-", Target::NatGateway),
            ("i-", Target::Instance),
            ("eni-", Target::Instance),
            ("tgw-", Target::TransitGateway),
            ("pcx-", Target::Peering),
            ("vgw-", Target::VpnGateway),
            ("eigw-", Target::EgressOnlyInternetGateway),
        ];
        if target == "local" {
            return Target::Local;
        }
        prefixes
            .iter()
            .find(|(p, _)| target.starts_with(p))
            .map_or(Target::Other, |(_, t)| *t)
    }

    /// A short name for evidence.
    pub fn as_str(self) -> &'static str {
        match self {
            Target::InternetGateway => "internet_gateway",
            Target::NatGateway => "nat_gateway",
            Target::Instance => "nat_instance_or_appliance",
            Target::TransitGateway => "transit_gateway",
            Target::Peering => "vpc_peering",
            Target::VpnGateway => "virtual_private_gateway",
            Target::EgressOnlyInternetGateway => "egress_only_internet_gateway",
            Target::Local => "local",
            Target::Other => "other",
        }
    }
}

/// `0.0.0.0/0`.
pub const ANY_IPV4: &str = "0.0.0.0/0";
/// `::/0`.
pub const ANY_IPV6: &str = "::/0";

/// Whether a route is a working default route (`0.0.0.0/0` or `::/0`, not a blackhole).
pub fn is_default(route: &Route) -> bool {
    (route.destination == ANY_IPV4 || route.destination == ANY_IPV6)
        && route.state.as_deref() != Some("blackhole")
}

/// One subnet of a function, with what the snapshot knows about it.
#[derive(Debug)]
pub struct SubnetRouting<'a> {
    /// The subnet id from the function's configuration.
    pub subnet_id: &'a str,
    /// The subnet, when collected.
    pub subnet: Option<&'a Subnet>,
    /// Its route table and where that comes from, when it can be determined.
    pub table: Option<(&'a RouteTable, RouteTableSource)>,
}

impl<'a> SubnetRouting<'a> {
    /// The default routes of the subnet's route table (none when the table is unknown).
    pub fn default_routes(&self) -> impl Iterator<Item = &'a Route> + 'a {
        self.table
            .into_iter()
            .flat_map(|(t, _)| t.routes.iter())
            .filter(|r| is_default(r))
    }

    /// The subnet and a route of its table, as evidence.
    pub fn evidence(&self, route: Option<&Route>) -> Value {
        let mut v = json!({
            "subnet_id": self.subnet_id,
            "availability_zone": self.subnet.map(|s| s.availability_zone.as_str()),
            "route_table_id": self.table.map(|(t, _)| t.route_table_id.as_str()),
            "route_table_source": self.table.map(|(_, s)| s),
        });
        if let Some(r) = route {
            v["destination"] = json!(r.destination);
            v["target"] = json!(r.target);
            v["target_kind"] = json!(Target::of(&r.target).as_str());
        }
        v
    }
}

/// The subnets of a network configuration (a function's, or its capacity provider's) with their
/// route tables (explicit association, else the main route table of the subnet's VPC).
pub fn routing<'a>(
    region: &'a RegionData,
    network: Option<&'a VpcConfig>,
) -> Vec<SubnetRouting<'a>> {
    let Some(network) = network else {
        return Vec::new();
    };
    let vpc_id = region.vpc_id_of(network);
    network
        .subnet_ids
        .iter()
        .map(|subnet_id| {
            let subnet = region.subnet(subnet_id);
            let vpc = subnet.map(|s| s.vpc_id.as_str()).or(vpc_id);
            let table = region.route_table_for(subnet_id, vpc.unwrap_or_default());
            SubnetRouting {
                subnet_id,
                subnet,
                table,
            }
        })
        .collect()
}

/// The subnets as evidence, and the ids of those whose route table cannot be determined.
pub fn subnets_evidence<'b>(
    b: FindingBuilder<'b>,
    subnets: &[SubnetRouting<'_>],
) -> (FindingBuilder<'b>, Vec<String>) {
    let unknown = subnets
        .iter()
        .filter(|s| s.table.is_none())
        .map(|s| s.subnet_id.to_string())
        .collect();
    let b = b.evidence(
        "subnets",
        subnets.iter().map(|s| s.evidence(None)).collect::<Vec<_>>(),
    );
    (b, unknown)
}

/// The `not_evaluated` verdict for a placed resource (`subject`: "Lambda function NAME", ...) some
/// of whose subnets have no known route table.
pub fn route_table_unknown<'b>(
    b: FindingBuilder<'b>,
    subject: &str,
    unknown: &[String],
    why: &str,
) -> FindingBuilder<'b> {
    b.status(Status::NotEvaluated)
        .evidence("reason", "route_table_unknown")
        .evidence("subnets_without_route_table", json!(unknown))
        .message(format_args!(
            "Not evaluated: the route table of subnet(s) {} of {subject} is unknown ({why}).",
            unknown.join(", ")
        ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_classified_by_prefix() {
        assert_eq!(Target::of("igw-0abc"), Target::InternetGateway);
        assert_eq!(Target::of("nat-0abc"), Target::NatGateway);
        assert_eq!(Target::of("eni-0abc"), Target::Instance);
        assert_eq!(Target::of("i-0abc"), Target::Instance);
        assert_eq!(Target::of("eigw-0abc"), Target::EgressOnlyInternetGateway);
        assert_eq!(Target::of("local"), Target::Local);
        assert_eq!(Target::of("cagw-0abc"), Target::Other);
    }

    #[test]
    fn blackholes_are_not_default_routes() {
        let r = |d: &str, s: Option<&str>| Route {
            destination: d.into(),
            target: "nat-1".into(),
            state: s.map(str::to_string),
        };
        assert!(is_default(&r("0.0.0.0/0", Some("active"))));
        assert!(is_default(&r("::/0", None)));
        assert!(!is_default(&r("0.0.0.0/0", Some("blackhole"))));
        assert!(!is_default(&r("10.0.0.0/8", Some("active"))));
    }
}

//! The network picture of a scan: per account and region, each VPC that Lambda uses, its subnets
//! by Availability Zone with their egress path, and what sits in them (functions, capacity
//! providers, Lambda ENI pairs, ENIs no function uses), plus the functions outside any VPC.
//!
//! Built from the snapshot while the report is made (pure, like a check), carried in the report
//! and in its JSON v1 form (`network`, an optional addition), so a saved or merged report draws
//! the same picture (`vpcwarden report --from-report FILE --format html`).

use crate::checks::network::{Target, is_default};
use crate::snapshot::{Account, EniKind, RegionData, Route, RouteTable, Subnet, VpcConfig};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The operations the picture is drawn from, as `(service, operation)`; a gap on one makes the
/// region's picture incomplete, and says so.
pub const SOURCES: &[(&str, &str)] = &[
    ("lambda", "ListFunctions"),
    ("lambda", "ListCapacityProviders"),
    ("ec2", "DescribeVpcs"),
    ("ec2", "DescribeSubnets"),
    ("ec2", "DescribeRouteTables"),
    ("ec2", "DescribeNetworkInterfaces"),
    ("ec2", "DescribeVpcEndpoints"),
];

/// One account and region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionNetwork {
    /// The account id.
    pub account_id: String,
    /// The region.
    pub region: String,
    /// The picture's sources that failed here (`service:Operation`): what is drawn may be partial.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
    /// Each VPC a function, capacity provider or Lambda ENI of the region is in, by id.
    pub vpcs: Vec<VpcPicture>,
    /// Functions attached to no VPC, by ARN.
    pub outside_vpc: Vec<String>,
    /// Functions whose network is unknown (they run on a capacity provider that was not
    /// collected, or name subnets that were not), by ARN.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub network_unknown: Vec<String>,
}

/// One VPC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VpcPicture {
    /// `vpc-...`.
    pub vpc_id: String,
    /// Its primary IPv4 CIDR, when collected.
    pub cidr_block: Option<String>,
    /// Whether it is the region's default VPC.
    #[serde(default)]
    pub is_default: bool,
    /// Its subnets, by Availability Zone then id.
    pub subnets: Vec<SubnetPicture>,
    /// Subnets that functions or providers name but that were not collected, by id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unknown_subnets: Vec<SubnetPicture>,
}

/// Where a subnet's traffic to the internet goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Egress {
    /// A NAT gateway.
    NatGateway,
    /// A NAT instance or appliance (`i-`, `eni-`).
    NatInstance,
    /// A transit gateway.
    TransitGateway,
    /// A virtual private gateway (VPN, Direct Connect).
    VpnGateway,
    /// A peering connection.
    Peering,
    /// An internet gateway: the subnet is public, and Lambda ENIs (which have no public address)
    /// reach nothing through it.
    InternetGateway,
    /// IPv6 only, through an egress-only internet gateway.
    EgressOnlyIpv6,
    /// Another target (carrier or local gateway, Cloud WAN, ...).
    Other,
    /// No default route: only the VPC and its endpoints.
    None,
    /// The subnet's route table was not collected.
    Unknown,
}

impl Egress {
    /// The egress of a subnet's route table (`None`: the table is unknown).
    pub fn of(table: Option<&RouteTable>) -> Egress {
        Egress::decide(table).0
    }

    /// The egress of a subnet's route table and the default route that decides it.
    pub fn decide(table: Option<&RouteTable>) -> (Egress, Option<&Route>) {
        let Some(table) = table else {
            return (Egress::Unknown, None);
        };
        let kinds: Vec<(Egress, &Route)> = table
            .routes
            .iter()
            .filter(|r| is_default(r))
            .map(|r| {
                let kind = match Target::of(&r.target) {
                    Target::NatGateway => Egress::NatGateway,
                    Target::Instance => Egress::NatInstance,
                    Target::TransitGateway => Egress::TransitGateway,
                    Target::VpnGateway => Egress::VpnGateway,
                    Target::Peering => Egress::Peering,
                    Target::InternetGateway => Egress::InternetGateway,
                    Target::EgressOnlyInternetGateway => Egress::EgressOnlyIpv6,
                    Target::Local | Target::Other => Egress::Other,
                };
                (kind, r)
            })
            .collect();
        // The IPv4 path decides (Lambda ENIs always have IPv4); an internet gateway anywhere
        // makes the subnet public.
        kinds
            .iter()
            .find(|(k, _)| *k == Egress::InternetGateway)
            .or_else(|| kinds.iter().find(|(k, _)| *k != Egress::EgressOnlyIpv6))
            .or(kinds.first())
            .map_or((Egress::None, None), |(k, r)| (*k, Some(*r)))
    }

    /// A short label.
    pub fn label(self) -> &'static str {
        match self {
            Egress::NatGateway => "NAT gateway",
            Egress::NatInstance => "NAT instance",
            Egress::TransitGateway => "transit gateway",
            Egress::VpnGateway => "VPN gateway",
            Egress::Peering => "peering",
            Egress::InternetGateway => "internet gateway (public)",
            Egress::EgressOnlyIpv6 => "IPv6 egress only",
            Egress::Other => "other",
            Egress::None => "none",
            Egress::Unknown => "unknown",
        }
    }
}

/// One subnet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubnetPicture {
    /// `subnet-...`.
    pub subnet_id: String,
    /// Its Availability Zone (empty when the subnet was not collected).
    pub availability_zone: String,
    /// Its IPv4 CIDR.
    pub cidr_block: Option<String>,
    /// Free IPv4 addresses, when known.
    pub free_ips: Option<i32>,
    /// Where its default route goes.
    pub egress: Egress,
    /// The default route's target id (`nat-...`), when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub egress_target: Option<String>,
    /// VPC endpoints that serve it (interface endpoints in it, gateway endpoints on its route
    /// table), by service name (`com.amazonaws.REGION.s3`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub endpoints: Vec<String>,
    /// Functions placed in it (their own VPC configuration or their capacity provider's), by ARN.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub functions: Vec<String>,
    /// Capacity providers placed in it, by ARN.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capacity_providers: Vec<String>,
    /// The Lambda ENI pairs (this subnet and a security-group set) in use, each with its ENIs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub eni_pairs: Vec<PairPicture>,
    /// Lambda ENIs in it that no function uses (`available`, or of a pair no function uses when the
    /// function list is complete; see [`crate::inventory::is_unused`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unused_enis: Vec<String>,
    /// Lambda ENIs in it whose use cannot be told: in use, of a pair no listed function uses, while
    /// the function list failed or the published versions were not listed (they may serve one that
    /// was not).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub enis_of_unknown_use: Vec<String>,
    /// Interfaces of Lambda Managed Instances in it.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub managed_instance_enis: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// A Lambda ENI pair in use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairPicture {
    /// Its security groups, sorted.
    pub security_group_ids: Vec<String>,
    /// How many functions (and published versions) use it.
    pub users: usize,
    /// The Lambda ENIs serving it (none: its functions are Pending on their next invoke).
    pub enis: Vec<String>,
}

/// The picture of every region of an account.
pub fn of_account(account: &Account) -> Vec<RegionNetwork> {
    account
        .regions
        .iter()
        .map(|region| {
            let missing = SOURCES
                .iter()
                .filter(|(svc, op)| account.gap(&region.region, svc, op).is_some())
                .map(|(svc, op)| format!("{svc}:{op}"))
                .collect();
            let users_known = crate::inventory::pair_users_known(account, region);
            of_region(&account.account_id, region, missing, users_known)
        })
        .collect()
}

/// Everything placed in a subnet, gathered before the subnets are drawn.
#[derive(Default)]
struct Placed {
    functions: BTreeSet<String>,
    providers: BTreeSet<String>,
}

fn of_region(
    account_id: &str,
    region: &RegionData,
    missing: Vec<String>,
    users_known: bool,
) -> RegionNetwork {
    let ec2 = &region.ec2;
    let subnets: HashMap<&str, &Subnet> = ec2
        .subnets
        .iter()
        .map(|s| (s.subnet_id.as_str(), s))
        .collect();
    let mut placed: BTreeMap<String, Placed> = BTreeMap::new();
    // Subnets named by a configuration whose VPC is known only from that configuration.
    let mut named_vpc: BTreeMap<String, String> = BTreeMap::new();
    let mut place = |network: &VpcConfig, arn: &str, provider: bool| {
        let vpc = network
            .subnet_ids
            .iter()
            .find_map(|s| subnets.get(s.as_str()).map(|s| s.vpc_id.clone()))
            .or_else(|| network.vpc_id.clone().filter(|v| !v.is_empty()));
        for s in &network.subnet_ids {
            let p = placed.entry(s.clone()).or_default();
            if provider {
                p.providers.insert(arn.to_string());
            } else {
                p.functions.insert(arn.to_string());
            }
            if let Some(vpc) = &vpc {
                named_vpc.entry(s.clone()).or_insert_with(|| vpc.clone());
            }
        }
    };
    let mut outside_vpc = Vec::new();
    let mut network_unknown = Vec::new();
    if let Some(providers) = region.lambda.capacity_providers.present() {
        for p in providers {
            place(&p.vpc_config, &p.arn, true);
        }
    }
    for f in &region.lambda.functions {
        match region.network_of(f) {
            Ok(Some(network)) => place(network, &f.arn, false),
            Ok(None) => outside_vpc.push(f.arn.to_string()),
            Err(_) => network_unknown.push(f.arn.to_string()),
        }
    }
    // Lambda ENIs, by subnet: those serving a pair in use, and the rest.
    let in_use = region.eni_pairs_in_use();
    let mut served: BTreeMap<crate::snapshot::EniPair, Vec<String>> = BTreeMap::new();
    let mut unused: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut unknown_use: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut managed: BTreeMap<&str, usize> = BTreeMap::new();
    for e in ec2
        .network_interfaces
        .iter()
        .filter(|e| e.owned_by(account_id))
    {
        match e.kind() {
            EniKind::LambdaHyperplane => {
                if crate::inventory::is_unused(e, &in_use, users_known) {
                    unused
                        .entry(e.subnet_id.as_str())
                        .or_default()
                        .push(e.network_interface_id.clone());
                } else if in_use.contains_key(&e.pair()) {
                    served
                        .entry(e.pair())
                        .or_default()
                        .push(e.network_interface_id.clone());
                } else {
                    unknown_use
                        .entry(e.subnet_id.as_str())
                        .or_default()
                        .push(e.network_interface_id.clone());
                }
            }
            EniKind::LambdaManagedInstance => {
                *managed.entry(e.subnet_id.as_str()).or_default() += 1
            }
            EniKind::Other => {}
        }
    }
    let mut pairs: BTreeMap<&str, Vec<PairPicture>> = BTreeMap::new();
    for (pair, users) in &in_use {
        pairs
            .entry(pair.subnet_id.as_str())
            .or_default()
            .push(PairPicture {
                security_group_ids: pair.security_group_ids.clone(),
                users: users.len(),
                enis: served.get(pair).cloned().unwrap_or_default(),
            });
    }
    // The VPCs drawn: those something of Lambda's is in.
    let mut drawn: BTreeSet<String> = named_vpc.values().cloned().collect();
    drawn.extend(
        unused
            .keys()
            .chain(unknown_use.keys())
            .chain(managed.keys())
            .filter_map(|s| subnets.get(s).map(|s| s.vpc_id.clone())),
    );
    let endpoints_of = |subnet: &str, table: Option<&RouteTable>| -> Vec<String> {
        let mut names: Vec<String> = ec2
            .vpc_endpoints
            .iter()
            .filter(|e| {
                if e.is_gateway() {
                    table.is_some_and(|t| {
                        e.route_table_ids
                            .present()
                            .is_some_and(|ids| ids.contains(&t.route_table_id))
                    })
                } else {
                    e.subnet_ids.iter().any(|s| s == subnet)
                }
            })
            .map(|e| e.service_name.clone())
            .collect();
        names.sort();
        names.dedup();
        names
    };
    let picture = |subnet_id: &str, subnet: Option<&Subnet>, vpc_id: &str| {
        let table = region.route_table_for(subnet_id, vpc_id).map(|(t, _)| t);
        let p = placed.get(subnet_id);
        let (egress, route) = Egress::decide(table);
        SubnetPicture {
            subnet_id: subnet_id.to_string(),
            availability_zone: subnet
                .map(|s| s.availability_zone.clone())
                .unwrap_or_default(),
            cidr_block: subnet.and_then(|s| s.cidr_block.clone()),
            free_ips: subnet.and_then(|s| s.available_ip_address_count),
            egress,
            egress_target: route.map(|r| r.target.clone()),
            endpoints: endpoints_of(subnet_id, table),
            functions: p
                .map(|p| p.functions.iter().cloned().collect())
                .unwrap_or_default(),
            capacity_providers: p
                .map(|p| p.providers.iter().cloned().collect())
                .unwrap_or_default(),
            eni_pairs: pairs.get(subnet_id).cloned().unwrap_or_default(),
            unused_enis: unused.get(subnet_id).cloned().unwrap_or_default(),
            enis_of_unknown_use: unknown_use.get(subnet_id).cloned().unwrap_or_default(),
            managed_instance_enis: managed.get(subnet_id).copied().unwrap_or_default(),
        }
    };
    let vpcs = drawn
        .iter()
        .map(|vpc_id| {
            let vpc = ec2.vpcs.iter().find(|v| &v.vpc_id == vpc_id);
            let mut subnets_drawn: Vec<SubnetPicture> = ec2
                .subnets
                .iter()
                .filter(|s| &s.vpc_id == vpc_id)
                .map(|s| picture(&s.subnet_id, Some(s), vpc_id))
                .collect();
            subnets_drawn.sort_by(|a, b| {
                (&a.availability_zone, &a.subnet_id).cmp(&(&b.availability_zone, &b.subnet_id))
            });
            let unknown_subnets = named_vpc
                .iter()
                .filter(|(s, v)| *v == vpc_id && !subnets.contains_key(s.as_str()))
                .map(|(s, _)| picture(s, None, vpc_id))
                .collect();
            VpcPicture {
                vpc_id: vpc_id.clone(),
                cidr_block: vpc.and_then(|v| v.cidr_block.clone()),
                is_default: vpc.is_some_and(|v| v.is_default),
                subnets: subnets_drawn,
                unknown_subnets,
            }
        })
        .collect();
    // Functions whose subnets belong to no VPC that can be told.
    for (subnet, p) in &placed {
        if !named_vpc.contains_key(subnet) {
            network_unknown.extend(p.functions.iter().cloned());
        }
    }
    network_unknown.sort();
    network_unknown.dedup();
    outside_vpc.sort();
    RegionNetwork {
        account_id: account_id.to_string(),
        region: region.region.clone(),
        missing,
        vpcs,
        outside_vpc,
        network_unknown,
    }
}

//! `vpcwarden inventory enis`: the Hyperplane ENI picture of each account and region, built from a
//! snapshot (pure, like a check).
//!
//! Lambda needs one ENI per (subnet, security-group set) pair used by the account's VPC functions; the
//! inventory lists each pair in use with its functions and ENIs, the functions whose pair has no ENI
//! (they are Pending on the next invoke), the Inactive functions (their ENIs were reclaimed), the
//! Lambda ENIs that serve no pair in use, and the interfaces of Lambda Managed Instances, by capacity
//! provider (those serve a provider's instances, not a pair).

use crate::snapshot::{
    Account, EniKind, EniPair, Gap, NetworkInterface, ProviderSource, RegionData, Snapshot,
};
use serde::Serialize;

/// The schema name of the JSON form.
pub const SCHEMA: &str = "vpcwarden.inventory.enis/v1";

/// The operations the inventory is built from; a failure of one makes a region incomplete.
const SOURCES: &[(&str, &str)] = &[
    ("lambda", "ListFunctions"),
    ("ec2", "DescribeNetworkInterfaces"),
    ("ec2", "DescribeSubnets"),
];

/// The whole inventory.
#[derive(Debug, Serialize)]
pub struct EniInventory {
    /// [`SCHEMA`].
    pub schema: &'static str,
    /// When the data was collected.
    pub collected_at: String,
    /// Whether every region was collected without a gap in the inventory's sources.
    pub complete: bool,
    /// One entry per account.
    pub accounts: Vec<AccountEnis>,
}

/// One account.
#[derive(Debug, Serialize)]
pub struct AccountEnis {
    /// The account id.
    pub account_id: String,
    /// Set when nothing could be read from the account (its role could not be assumed): the
    /// failed call, so an empty account is never mistaken for one with no ENIs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_read: Option<Gap>,
    /// One entry per collected region.
    pub regions: Vec<RegionEnis>,
}

/// One region.
#[derive(Debug, Serialize)]
pub struct RegionEnis {
    /// The region.
    pub region: String,
    /// The gaps in the inventory's sources (function list, ENIs, subnets) in this region.
    pub gaps: Vec<Gap>,
    /// Whether the function list is complete; without it, an in-use ENI's pair may be used by a
    /// function that was not listed, so only ENIs not in use are called unused.
    pub functions_collected: bool,
    /// Whether the ENIs were collected; without them, which pairs have an ENI is unknown and no
    /// function is listed as lacking one.
    pub enis_collected: bool,
    /// Whether the published versions were listed; without them an in-use Lambda ENI whose pair no
    /// function uses is not called unused (a version, with its own VPC configuration, may use it).
    pub versions_listed: bool,
    /// Each pair in use by functions.
    pub pairs: Vec<PairUse>,
    /// Functions with a pair that no ENI serves (not Inactive): Pending on the next invoke.
    pub functions_without_eni: Vec<FunctionPairs>,
    /// Functions in state Inactive: Lambda reclaimed their ENIs.
    pub inactive_functions: Vec<FunctionRef>,
    /// Lambda ENIs whose pair no function uses, or that are not in use.
    pub unused_enis: Vec<EniRef>,
    /// The network interfaces of Lambda Managed Instances: each belongs to an instance of a
    /// capacity provider, never to a pair, and is never an unused Lambda ENI.
    pub managed_instance_enis: Vec<ManagedInstanceEni>,
}

/// A pair and who uses it.
#[derive(Debug, Serialize)]
pub struct PairUse {
    /// The subnet.
    pub subnet_id: String,
    /// Its VPC, when the subnet was collected.
    pub vpc_id: Option<String>,
    /// Its Availability Zone, when the subnet was collected.
    pub availability_zone: Option<String>,
    /// The security groups, sorted.
    pub security_group_ids: Vec<String>,
    /// The functions using the pair, by name.
    pub functions: Vec<String>,
    /// The Lambda ENIs serving it.
    pub enis: Vec<EniRef>,
    /// Free IPv4 addresses left in the subnet, when known.
    pub subnet_free_ips: Option<i32>,
}

/// A function by name and ARN.
#[derive(Debug, Serialize)]
pub struct FunctionRef {
    /// The name.
    pub name: String,
    /// The ARN.
    pub arn: String,
    /// Its state, as Lambda reports it.
    pub state: Option<String>,
    /// Why (e.g. `Idle`).
    pub state_reason_code: Option<String>,
}

/// A function and the pairs of it that no ENI serves.
#[derive(Debug, Serialize)]
pub struct FunctionPairs {
    /// The function.
    #[serde(flatten)]
    pub function: FunctionRef,
    /// Its pairs without an ENI.
    pub pairs_without_eni: Vec<EniPair>,
}

/// A Lambda ENI.
#[derive(Debug, Serialize)]
pub struct EniRef {
    /// `eni-...`.
    pub network_interface_id: String,
    /// `in-use`, `available`, ...
    pub status: String,
    /// Its subnet.
    pub subnet_id: String,
    /// Its security groups.
    pub security_group_ids: Vec<String>,
    /// The private IPv4 addresses it holds.
    pub private_ip_addresses: Vec<String>,
    /// The function its description names, if any.
    pub function_name: Option<String>,
}

/// A network interface of an instance of Lambda Managed Instances.
#[derive(Debug, Serialize)]
pub struct ManagedInstanceEni {
    /// `eni-...`.
    pub network_interface_id: String,
    /// `in-use`, `available`, ...
    pub status: String,
    /// Its subnet.
    pub subnet_id: String,
    /// Its security groups.
    pub security_group_ids: Vec<String>,
    /// The private IPv4 addresses it holds.
    pub private_ip_addresses: Vec<String>,
    /// The instance it is attached to, when attached.
    pub instance_id: Option<String>,
    /// The capacity provider's name, when it can be told.
    pub capacity_provider: Option<String>,
    /// The capacity provider's ARN, when known.
    pub capacity_provider_arn: Option<String>,
    /// How the provider was told: `tag` (its `aws:lambda:capacity-provider` tag) or `network` (the
    /// one collected provider with its subnet and security groups); null when untold.
    pub capacity_provider_source: Option<ProviderSource>,
}

impl From<&NetworkInterface> for EniRef {
    fn from(e: &NetworkInterface) -> Self {
        EniRef {
            network_interface_id: e.network_interface_id.clone(),
            status: e.status.clone(),
            subnet_id: e.subnet_id.clone(),
            security_group_ids: e.security_group_ids.clone(),
            private_ip_addresses: e.private_ip_addresses.clone(),
            function_name: e.lambda_function_name().map(str::to_string),
        }
    }
}

/// Builds the inventory of a snapshot.
pub fn enis(snapshot: &Snapshot) -> EniInventory {
    let accounts: Vec<AccountEnis> = snapshot
        .accounts
        .iter()
        .map(|account| AccountEnis {
            account_id: account.account_id.clone(),
            not_read: account.access_gap().cloned(),
            regions: account
                .regions
                .iter()
                .map(|region| {
                    let gaps = SOURCES
                        .iter()
                        .filter_map(|(svc, op)| account.gap(&region.region, svc, op))
                        .cloned()
                        .collect();
                    let has = |op: (&str, &str)| account.gap(&region.region, op.0, op.1).is_none();
                    region_enis(
                        &account.account_id,
                        region,
                        gaps,
                        has(("lambda", "ListFunctions")),
                        has(("ec2", "DescribeNetworkInterfaces")),
                        pair_users_known(account, region),
                    )
                })
                .collect(),
        })
        .collect();
    EniInventory {
        schema: SCHEMA,
        collected_at: snapshot.collected_at.clone(),
        complete: accounts
            .iter()
            .all(|a| a.not_read.is_none() && a.regions.iter().all(|r| r.gaps.is_empty())),
        accounts,
    }
}

fn region_enis(
    account_id: &str,
    region: &RegionData,
    gaps: Vec<Gap>,
    functions_collected: bool,
    enis_collected: bool,
    users_known: bool,
) -> RegionEnis {
    let in_use = region.eni_pairs_in_use();
    // A shared VPC's participants' ENIs belong to their own inventories.
    let own = |kind: EniKind| {
        region
            .ec2
            .network_interfaces
            .iter()
            .filter(move |e| e.kind() == kind)
            .filter(|e| e.owned_by(account_id))
    };
    let lambda_enis: Vec<&NetworkInterface> = own(EniKind::LambdaHyperplane).collect();
    let managed_instance_enis = own(EniKind::LambdaManagedInstance)
        .map(|e| {
            let provider = e.capacity_provider(&region.lambda.capacity_providers);
            ManagedInstanceEni {
                network_interface_id: e.network_interface_id.clone(),
                status: e.status.clone(),
                subnet_id: e.subnet_id.clone(),
                security_group_ids: e.security_group_ids.clone(),
                private_ip_addresses: e.private_ip_addresses.clone(),
                instance_id: e.instance_id.clone(),
                capacity_provider: provider.as_ref().map(|p| p.name.clone()),
                capacity_provider_arn: provider.as_ref().and_then(|p| p.arn.clone()),
                capacity_provider_source: provider.map(|p| p.source),
            }
        })
        .collect();
    // Each ENI's pair, computed once.
    let mut served: std::collections::BTreeMap<EniPair, Vec<&NetworkInterface>> =
        std::collections::BTreeMap::new();
    for e in &lambda_enis {
        served.entry(e.pair()).or_default().push(e);
    }
    let pairs = in_use
        .iter()
        .map(|(pair, functions)| {
            let subnet = region.subnet(&pair.subnet_id);
            PairUse {
                subnet_id: pair.subnet_id.clone(),
                vpc_id: subnet.map(|s| s.vpc_id.clone()),
                availability_zone: subnet.map(|s| s.availability_zone.clone()),
                security_group_ids: pair.security_group_ids.clone(),
                functions: {
                    let mut names = functions.clone();
                    names.sort();
                    names
                },
                enis: served
                    .get(pair)
                    .into_iter()
                    .flatten()
                    .map(|e| EniRef::from(*e))
                    .collect(),
                subnet_free_ips: subnet.and_then(|s| s.available_ip_address_count),
            }
        })
        .collect::<Vec<_>>();
    let function_ref = |f: &crate::snapshot::Function| FunctionRef {
        name: f.name.clone(),
        arn: f.arn.to_string(),
        state: f.state.clone(),
        state_reason_code: f.state_reason_code.clone(),
    };
    let is_inactive = |f: &&crate::snapshot::Function| f.state.as_deref() == Some("Inactive");
    let functions_without_eni = region
        .lambda
        .functions
        .iter()
        .filter(|f| enis_collected && !is_inactive(f))
        .filter_map(|f| {
            let missing: Vec<EniPair> = f
                .eni_pairs()
                .into_iter()
                .filter(|p| !served.contains_key(p))
                .collect();
            (!missing.is_empty()).then(|| FunctionPairs {
                function: function_ref(f),
                pairs_without_eni: missing,
            })
        })
        .collect();
    RegionEnis {
        region: region.region.clone(),
        gaps,
        functions_collected,
        enis_collected,
        versions_listed: region.lambda.versions_listed,
        pairs,
        functions_without_eni,
        inactive_functions: region
            .lambda
            .functions
            .iter()
            .filter(is_inactive)
            .map(function_ref)
            .collect(),
        unused_enis: lambda_enis
            .iter()
            .filter(|e| is_unused(e, &in_use, users_known))
            .map(|e| EniRef::from(*e))
            .collect(),
        managed_instance_enis,
    }
}

/// Whether every user of a region's ENI pairs is known: its function list is complete and its
/// published versions were listed (a version keeps its own VPC configuration), as EC2101 requires.
pub fn pair_users_known(account: &Account, region: &RegionData) -> bool {
    account
        .gap(&region.region, "lambda", "ListFunctions")
        .is_none()
        && region.lambda.versions_listed
}

/// Whether a Lambda ENI serves no function: it is `available` (detached), or, when every user of
/// a pair is known (`users_known`, see [`pair_users_known`]), no function or version uses its pair. Otherwise an
/// in-use ENI may serve one that was not listed, so it is never called unused.
pub fn is_unused<T>(
    eni: &NetworkInterface,
    in_use: &std::collections::BTreeMap<EniPair, T>,
    users_known: bool,
) -> bool {
    eni.status == "available" || (users_known && !in_use.contains_key(&eni.pair()))
}

impl EniInventory {
    /// The exit code of `inventory enis`: 4 when a region's function list, ENIs or subnets are
    /// missing (the inventory may then be wrong), else 0.
    pub fn exit(&self) -> crate::exit::Exit {
        if self.complete {
            crate::exit::Exit::Clean
        } else {
            crate::exit::Exit::Incomplete
        }
    }
}

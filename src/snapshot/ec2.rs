//! EC2 as the snapshot holds it: the VPC networking of one region (VPCs, subnets, security groups,
//! ENIs, route tables, endpoints), the answers of `collect::ec2`.

use super::{CapacityProvider, Collected};
use serde::{Deserialize, Serialize};

use super::EniPair;

/// VPC networking of one region. Each list is sorted by id.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Ec2 {
    /// VPCs.
    pub vpcs: Vec<Vpc>,
    /// Subnets.
    pub subnets: Vec<Subnet>,
    /// Security groups.
    pub security_groups: Vec<SecurityGroup>,
    /// Network interfaces.
    pub network_interfaces: Vec<NetworkInterface>,
    /// Route tables.
    pub route_tables: Vec<RouteTable>,
    /// VPC endpoints.
    pub vpc_endpoints: Vec<VpcEndpoint>,
}

impl Ec2 {
    /// Sorts every list by id, and each ENI's, route table's and endpoint's own lists.
    pub(super) fn normalize(&mut self) {
        self.vpcs.sort_by(|a, b| a.vpc_id.cmp(&b.vpc_id));
        self.subnets.sort_by(|a, b| a.subnet_id.cmp(&b.subnet_id));
        self.security_groups
            .sort_by(|a, b| a.group_id.cmp(&b.group_id));
        self.network_interfaces
            .sort_by(|a, b| a.network_interface_id.cmp(&b.network_interface_id));
        for eni in &mut self.network_interfaces {
            eni.normalize();
        }
        self.route_tables
            .sort_by(|a, b| a.route_table_id.cmp(&b.route_table_id));
        for rt in &mut self.route_tables {
            rt.normalize();
        }
        self.vpc_endpoints
            .sort_by(|a, b| a.vpc_endpoint_id.cmp(&b.vpc_endpoint_id));
        for ep in &mut self.vpc_endpoints {
            ep.normalize();
        }
    }
}

/// A VPC.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Vpc {
    /// `vpc-...`.
    pub vpc_id: String,
    /// The primary IPv4 CIDR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cidr_block: Option<String>,
    /// Whether it is the region's default VPC.
    #[serde(default)]
    pub is_default: bool,
}

/// A subnet.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Subnet {
    /// `subnet-...`.
    pub subnet_id: String,
    /// Its VPC.
    pub vpc_id: String,
    /// AZ name, e.g. `us-east-1a` (names differ between accounts).
    pub availability_zone: String,
    /// AZ id, e.g. `use1-az1` (the same in every account).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_zone_id: Option<String>,
    /// IPv4 CIDR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cidr_block: Option<String>,
    /// Free IPv4 addresses left.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available_ip_address_count: Option<i32>,
}

/// A security group and its inbound rules.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SecurityGroup {
    /// `sg-...`.
    pub group_id: String,
    /// Its name.
    pub group_name: String,
    /// Its VPC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    /// Inbound rules.
    #[serde(default)]
    pub ingress: Vec<SecurityGroupRule>,
}

/// One inbound permission of a security group.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SecurityGroupRule {
    /// `tcp`, `udp`, `icmp`, or `-1` for all.
    pub ip_protocol: String,
    /// First port (absent for all traffic).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_port: Option<i32>,
    /// Last port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_port: Option<i32>,
    /// IPv4 source CIDRs.
    #[serde(default)]
    pub ipv4_ranges: Vec<String>,
    /// IPv6 source CIDRs.
    #[serde(default)]
    pub ipv6_ranges: Vec<String>,
    /// Source security groups.
    #[serde(default)]
    pub source_groups: Vec<String>,
}

/// A network interface (ENI).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct NetworkInterface {
    /// `eni-...`.
    pub network_interface_id: String,
    /// `interface`, `lambda`, `nat_gateway`, `vpc_endpoint`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interface_type: Option<String>,
    /// Whether an AWS service manages it.
    #[serde(default)]
    pub requester_managed: bool,
    /// Who created it, for requester-managed ENIs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requester_id: Option<String>,
    /// The account that owns it (in a shared VPC, a participant's ENIs are visible to the owner).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    /// `available`, `in-use`, ...
    pub status: String,
    /// The description (Lambda writes `AWS Lambda VPC ENI...`).
    #[serde(default)]
    pub description: String,
    /// Its subnet.
    pub subnet_id: String,
    /// Its VPC.
    pub vpc_id: String,
    /// Its security groups, sorted.
    #[serde(default)]
    pub security_group_ids: Vec<String>,
    /// Private IPv4 addresses it holds.
    #[serde(default)]
    pub private_ip_addresses: Vec<String>,
    /// The service that operates it (EC2's `Operator`), for managed resources such as the instances
    /// of Lambda Managed Instances. `Absent` when EC2 sent none; `NotCollected` in snapshots of
    /// builds that did not record it (their ENIs are then told apart by type and description only).
    #[serde(default)]
    pub operator: Collected<EniOperator>,
    /// The instance it is attached to (`Attachment.InstanceId`), when it is attached to one.
    /// Shown, never judged: absent in older snapshots.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<String>,
    /// The value of its [`CAPACITY_PROVIDER_TAG`] tag, when it has one. Only names a capacity
    /// provider (see [`NetworkInterface::kind`] and [`NetworkInterface::capacity_provider`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity_provider_tag: Option<String>,
}

/// Who operates a managed resource, as EC2's `OperatorResponse` says.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct EniOperator {
    /// `Managed`: whether a service provider manages the ENI.
    #[serde(default)]
    pub managed: bool,
    /// `Principal`: the service principal that manages it (e.g.
    /// [`LAMBDA_MANAGED_INSTANCES_OPERATOR`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub principal: Option<String>,
}

/// The description prefix of the ENIs Lambda creates for VPC functions.
pub const LAMBDA_ENI_DESCRIPTION: &str = "AWS Lambda VPC ENI";

/// The operator principal of the EC2 resources of Lambda Managed Instances: the value of
/// `ec2:ManagedResourceOperator` in the AWS managed policy `AWSLambdaManagedEC2ResourceOperator`,
/// which is what lets Lambda create, tag and attach the network interfaces of a capacity
/// provider's instances.
pub const LAMBDA_MANAGED_INSTANCES_OPERATOR: &str = "scaler.lambda.amazonaws.com";

/// The tag AWS documents on the instances of Lambda Managed Instances. Tags starting with `aws:`
/// cannot be set by users, so an ENI that carries it was tagged by Lambda.
pub const CAPACITY_PROVIDER_TAG: &str = "aws:lambda:capacity-provider";

/// What an ENI is, as far as Lambda goes: the one classification the ENI check and the inventory
/// share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EniKind {
    /// A Hyperplane ENI that Lambda made for the VPC functions of one (subnet, security-group set)
    /// pair.
    LambdaHyperplane,
    /// An interface of an EC2 instance that Lambda runs for a capacity provider (Lambda Managed
    /// Instances). Lambda manages it with the instance; it serves no pair.
    LambdaManagedInstance,
    /// Anything else (an instance's, a NAT gateway's, an endpoint's, ...).
    Other,
}

/// How the capacity provider of a managed instance's ENI was told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProviderSource {
    /// The ENI's [`CAPACITY_PROVIDER_TAG`] tag names it.
    Tag,
    /// It is the one collected provider with the ENI's subnet and exactly its security groups.
    Network,
}

/// The capacity provider a managed instance's ENI belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EniProvider {
    /// The provider's name.
    pub name: String,
    /// Its ARN, when the tag holds it or a collected provider matched.
    pub arn: Option<String>,
    /// How it was told.
    pub source: ProviderSource,
}

impl NetworkInterface {
    /// What this ENI is. A managed instance's ENI is known by its operator
    /// ([`LAMBDA_MANAGED_INSTANCES_OPERATOR`]) or by the [`CAPACITY_PROVIDER_TAG`] tag, and that comes
    /// first: AWS does not document such an ENI's type or description, so a Lambda-looking one is
    /// still not a Hyperplane ENI. Otherwise Lambda made it for VPC functions when its interface type
    /// is `lambda` or (older ENIs, emulators) its description is Lambda's. Requester-managed alone is
    /// not enough: NAT gateways and endpoints own such ENIs.
    pub fn kind(&self) -> EniKind {
        let operated_by_lambda = self.operator.present().is_some_and(|o| {
            o.principal
                .as_deref()
                .is_some_and(|p| p.eq_ignore_ascii_case(LAMBDA_MANAGED_INSTANCES_OPERATOR))
        });
        if operated_by_lambda || self.capacity_provider_tag.is_some() {
            EniKind::LambdaManagedInstance
        } else if self.interface_type.as_deref() == Some("lambda")
            || self.description.starts_with(LAMBDA_ENI_DESCRIPTION)
        {
            EniKind::LambdaHyperplane
        } else {
            EniKind::Other
        }
    }

    /// Whether this is a Hyperplane ENI that Lambda made for VPC functions
    /// ([`EniKind::LambdaHyperplane`]); a managed instance's ENI is not one.
    pub fn is_lambda(&self) -> bool {
        self.kind() == EniKind::LambdaHyperplane
    }

    /// The capacity provider of a managed instance's ENI, when it can be told: by its
    /// [`CAPACITY_PROVIDER_TAG`] tag (an ARN or a name; the other half comes from `providers` when
    /// one matches), else by the network, when exactly one collected provider has the ENI's subnet
    /// and exactly its security groups (a provider's instances run with its subnets and groups).
    /// `None` for other ENIs, and when neither tells.
    pub fn capacity_provider(
        &self,
        providers: &Collected<Vec<CapacityProvider>>,
    ) -> Option<EniProvider> {
        if self.kind() != EniKind::LambdaManagedInstance {
            return None;
        }
        let providers = providers.present().map(Vec::as_slice).unwrap_or_default();
        if let Some(tag) = self.capacity_provider_tag.as_deref().map(str::trim)
            && !tag.is_empty()
        {
            let (name, arn) = if tag.starts_with("arn:") {
                let name = tag.rsplit(':').next().unwrap_or(tag);
                (name.to_string(), Some(tag.to_string()))
            } else {
                let arn = providers
                    .iter()
                    .find(|p| p.name() == tag)
                    .map(|p| p.arn.clone());
                (tag.to_string(), arn)
            };
            return Some(EniProvider {
                name,
                arn,
                source: ProviderSource::Tag,
            });
        }
        let pair = self.pair();
        let mut matching = providers.iter().filter(|p| {
            p.vpc_config.subnet_ids.contains(&self.subnet_id)
                && EniPair::new(&self.subnet_id, &p.vpc_config.security_group_ids) == pair
        });
        match (matching.next(), matching.next()) {
            (Some(p), None) => Some(EniProvider {
                name: p.name().to_string(),
                arn: Some(p.arn.clone()),
                source: ProviderSource::Network,
            }),
            _ => None,
        }
    }

    /// Whether the ENI is `account_id`'s own (or its owner was not recorded): in a shared VPC a
    /// participant's ENIs are listed to the owner too, and belong to the participant's views.
    pub fn owned_by(&self, account_id: &str) -> bool {
        self.owner_id.as_deref().is_none_or(|o| o == account_id)
    }

    /// The ENI's (subnet, security-group set) pair.
    pub fn pair(&self) -> EniPair {
        EniPair::new(&self.subnet_id, &self.security_group_ids)
    }

    /// The function name a Lambda ENI's description carries (`AWS Lambda VPC ENI-NAME-UUID`, or
    /// `AWS Lambda VPC ENI-NAME`); `None` when there is none.
    pub fn lambda_function_name(&self) -> Option<&str> {
        let rest = self.description.strip_prefix(LAMBDA_ENI_DESCRIPTION)?;
        let rest = rest.trim_start_matches(['-', ':', ' ']);
        let name = match rest.len().checked_sub(37) {
            Some(cut) if rest.as_bytes()[cut] == b'-' && is_uuid(&rest[cut + 1..]) => &rest[..cut],
            _ if is_uuid(rest) => "",
            _ => rest,
        };
        // Function names are letters, digits, hyphens and underscores.
        (!name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
        .then_some(name)
    }

    /// Sorts the security groups and the private addresses.
    fn normalize(&mut self) {
        self.security_group_ids.sort();
        self.private_ip_addresses.sort();
    }
}

/// `8-4-4-4-12` hexadecimal digits.
fn is_uuid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && p.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A route table with its routes and associations.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RouteTable {
    /// `rtb-...`.
    pub route_table_id: String,
    /// Its VPC.
    pub vpc_id: String,
    /// Whether it is the VPC's main route table.
    #[serde(default)]
    pub main: bool,
    /// Subnets explicitly associated with it.
    #[serde(default)]
    pub subnet_ids: Vec<String>,
    /// Its routes.
    #[serde(default)]
    pub routes: Vec<Route>,
}

impl RouteTable {
    /// Sorts the associated subnets, and the routes by (destination, target).
    fn normalize(&mut self) {
        self.subnet_ids.sort();
        self.routes.sort_by(|a, b| {
            (a.destination.as_str(), a.target.as_str())
                .cmp(&(b.destination.as_str(), b.target.as_str()))
        });
    }
}

/// One route.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Route {
    /// IPv4 or IPv6 destination CIDR, or a prefix list id.
    pub destination: String,
    /// The target id (`igw-`, `nat-`, `tgw-`, `pcx-`, `i-`, `eni-`, `local`, ...).
    pub target: String,
    /// `active` or `blackhole`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
}

/// Whether a subnet's route table is associated with it or is its VPC's main route table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RouteTableSource {
    /// Explicitly associated with the subnet.
    Explicit,
    /// The VPC's main route table (the subnet has no explicit association).
    Main,
}

/// A VPC endpoint.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct VpcEndpoint {
    /// `vpce-...`.
    pub vpc_endpoint_id: String,
    /// `Interface`, `Gateway`, `GatewayLoadBalancer`.
    pub vpc_endpoint_type: String,
    /// `com.amazonaws.REGION.SERVICE`.
    pub service_name: String,
    /// Its VPC.
    pub vpc_id: String,
    /// Security groups (interface endpoints).
    #[serde(default)]
    pub security_group_ids: Vec<String>,
    /// Subnets (interface endpoints).
    #[serde(default)]
    pub subnet_ids: Vec<String>,
    /// `available`, `pending`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// The route tables a gateway endpoint is associated with (it serves only the subnets those
    /// tables govern). `NotCollected` in snapshots of builds that did not record it.
    #[serde(default)]
    pub route_table_ids: Collected<Vec<String>>,
}

impl VpcEndpoint {
    /// Whether this is a gateway endpoint (S3, DynamoDB), which serves subnets through their
    /// route tables rather than the whole VPC.
    pub fn is_gateway(&self) -> bool {
        self.vpc_endpoint_type.eq_ignore_ascii_case("Gateway")
    }

    /// Sorts the security groups, subnets and route tables.
    fn normalize(&mut self) {
        self.security_group_ids.sort();
        self.subnet_ids.sort();
        if let Collected::Present(tables) = &mut self.route_table_ids {
            tables.sort();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eni(description: &str, interface_type: Option<&str>) -> NetworkInterface {
        NetworkInterface {
            description: description.into(),
            interface_type: interface_type.map(str::to_string),
            ..Default::default()
        }
    }

    #[test]
    fn lambda_enis_are_known_by_type_or_description_not_by_requester() {
        assert_eq!(eni("", Some("lambda")).kind(), EniKind::LambdaHyperplane);
        assert_eq!(
            eni("AWS Lambda VPC ENI-orders-1", Some("interface")).kind(),
            EniKind::LambdaHyperplane
        );
        let mut nat = eni("Interface for NAT Gateway nat-0abc", Some("nat_gateway"));
        nat.requester_managed = true;
        assert_eq!(nat.kind(), EniKind::Other);
        assert_eq!(
            eni("VPC Endpoint Interface vpce-1", Some("vpc_endpoint")).kind(),
            EniKind::Other
        );
    }

    fn operated_by(principal: &str, managed: bool) -> Collected<EniOperator> {
        Collected::Present(EniOperator {
            managed,
            principal: Some(principal.into()),
        })
    }

    #[test]
    fn a_managed_instance_eni_is_known_by_its_operator_or_tag_before_its_type() {
        // Whatever its type and description say, Lambda's scaler operates it.
        for looks in [
            eni("", Some("interface")),
            eni("", Some("lambda")),
            eni("AWS Lambda VPC ENI-orders-1", Some("lambda")),
        ] {
            let managed = NetworkInterface {
                operator: operated_by(LAMBDA_MANAGED_INSTANCES_OPERATOR, true),
                ..looks.clone()
            };
            assert_eq!(managed.kind(), EniKind::LambdaManagedInstance);
            let tagged = NetworkInterface {
                capacity_provider_tag: Some("lms-ha".into()),
                ..looks
            };
            assert_eq!(tagged.kind(), EniKind::LambdaManagedInstance);
        }
        // Another service's managed ENI, or none: the classic markers decide.
        let other = NetworkInterface {
            operator: operated_by("network-connectors.lambda.amazonaws.com", true),
            ..eni("", Some("interface"))
        };
        assert_eq!(other.kind(), EniKind::Other);
        let plain = NetworkInterface {
            operator: Collected::Absent,
            ..eni("", Some("lambda"))
        };
        assert_eq!(plain.kind(), EniKind::LambdaHyperplane);
        // An older snapshot has no operator: its Lambda ENIs stay Lambda ENIs.
        assert_eq!(
            eni("", Some("lambda")).operator,
            Collected::<EniOperator>::NotCollected
        );
        assert_eq!(eni("", Some("lambda")).kind(), EniKind::LambdaHyperplane);
    }

    #[test]
    fn the_provider_comes_from_the_tag_else_from_one_matching_network() {
        let provider = |name: &str, subnets: &[&str], groups: &[&str]| CapacityProvider {
            arn: format!("arn:aws:lambda:us-east-1:111111111111:capacity-provider:{name}"),
            vpc_config: super::super::VpcConfig {
                subnet_ids: subnets.iter().map(|s| s.to_string()).collect(),
                security_group_ids: groups.iter().map(|s| s.to_string()).collect(),
                ..Default::default()
            },
            ..Default::default()
        };
        let providers = Collected::Present(vec![
            provider("lms-ha", &["subnet-a", "subnet-b"], &["sg-ha"]),
            provider("lms-twin", &["subnet-c"], &["sg-1", "sg-2"]),
            provider("lms-twin2", &["subnet-c"], &["sg-2", "sg-1"]),
        ]);
        let on = |subnet: &str, groups: &[&str], tag: Option<&str>| NetworkInterface {
            subnet_id: subnet.into(),
            security_group_ids: groups.iter().map(|s| s.to_string()).collect(),
            operator: operated_by(LAMBDA_MANAGED_INSTANCES_OPERATOR, true),
            capacity_provider_tag: tag.map(str::to_string),
            ..eni("", Some("interface"))
        };
        let arn = |n: &str| {
            Some(format!(
                "arn:aws:lambda:us-east-1:111111111111:capacity-provider:{n}"
            ))
        };
        // A name in the tag, completed with the collected provider's ARN.
        let p = on("subnet-x", &["sg-x"], Some("lms-ha"))
            .capacity_provider(&providers)
            .expect("tagged");
        assert_eq!(
            (p.name.as_str(), p.arn.clone(), p.source),
            ("lms-ha", arn("lms-ha"), ProviderSource::Tag)
        );
        // An ARN in the tag names a provider that was not collected too.
        let tag = "arn:aws:lambda:us-east-1:111111111111:capacity-provider:gone";
        let p = on("subnet-x", &["sg-x"], Some(tag))
            .capacity_provider(&Collected::NotCollected)
            .expect("tagged");
        assert_eq!((p.name.as_str(), p.arn.as_deref()), ("gone", Some(tag)));
        // No tag: the one provider with this subnet and exactly these groups.
        let p = on("subnet-b", &["sg-ha"], None)
            .capacity_provider(&providers)
            .expect("by network");
        assert_eq!(
            (p.name.as_str(), p.source),
            ("lms-ha", ProviderSource::Network)
        );
        // Two providers share the network, the groups differ, or nothing was collected: untold.
        assert_eq!(
            on("subnet-c", &["sg-1", "sg-2"], None).capacity_provider(&providers),
            None
        );
        assert_eq!(
            on("subnet-a", &["sg-ha", "sg-extra"], None).capacity_provider(&providers),
            None
        );
        assert_eq!(
            on("subnet-a", &["sg-ha"], None).capacity_provider(&Collected::NotCollected),
            None
        );
        // A Hyperplane ENI has no provider, even on a provider's network.
        let hyperplane = NetworkInterface {
            subnet_id: "subnet-a".into(),
            security_group_ids: vec!["sg-ha".into()],
            ..eni("", Some("lambda"))
        };
        assert_eq!(hyperplane.capacity_provider(&providers), None);
    }

    #[test]
    fn the_function_name_comes_out_of_the_description() {
        let name = |d: &str| eni(d, None).lambda_function_name().map(str::to_string);
        assert_eq!(
            name("AWS Lambda VPC ENI-orders-api-cf215f03-44ab-4b00-a12e-00924c61d333").as_deref(),
            Some("orders-api")
        );
        assert_eq!(
            name("AWS Lambda VPC ENI-billing_sync").as_deref(),
            Some("billing_sync")
        );
        assert_eq!(
            name("AWS Lambda VPC ENI: cf215f03-44ab-4b00-a12e-00924c61d333"),
            None
        );
        assert_eq!(name("AWS Lambda VPC ENI"), None);
        assert_eq!(name("AWS Lambda VPC ENI-bad name"), None);
        assert_eq!(name("ops debugging interface"), None);
        // A name that ends like a UUID but is not one stays whole.
        assert_eq!(
            name("AWS Lambda VPC ENI-a-cf215f03-44ab-4b00-a12e-00924c61d33z").as_deref(),
            Some("a-cf215f03-44ab-4b00-a12e-00924c61d33z")
        );
    }
}

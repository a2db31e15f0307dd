//! EC2 as the snapshot holds it: the VPC networking of one region (VPCs, subnets, security groups,
//! ENIs, route tables, endpoints), the answers of `collect::ec2`.

use super::Collected;
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
}

/// The description prefix of the ENIs Lambda creates for VPC functions.
pub const LAMBDA_ENI_DESCRIPTION: &str = "AWS Lambda VPC ENI";

impl NetworkInterface {
    /// Whether Lambda made this ENI: interface type `lambda`, or (older ENIs, emulators) the Lambda
    /// description. Requester-managed alone is not enough: NAT gateways and endpoints own such ENIs.
    pub fn is_lambda(&self) -> bool {
        self.interface_type.as_deref() == Some("lambda")
            || self.description.starts_with(LAMBDA_ENI_DESCRIPTION)
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
        assert!(eni("", Some("lambda")).is_lambda());
        assert!(eni("AWS Lambda VPC ENI-orders-1", Some("interface")).is_lambda());
        let mut nat = eni("Interface for NAT Gateway nat-0abc", Some("nat_gateway"));
        nat.requester_managed = true;
        assert!(!nat.is_lambda());
        assert!(!eni("VPC Endpoint Interface vpce-1", Some("vpc_endpoint")).is_lambda());
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

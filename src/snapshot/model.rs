//! The snapshot's data types: accounts, regions, Lambda, EC2, IAM, Organizations and gaps.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Everything one run collected: one or more accounts, each with its regions and gaps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// `MAJOR.MINOR`; a reader refuses another major version.
    pub schema_version: String,
    /// When collection started (RFC 3339, UTC).
    pub collected_at: String,
    /// The tool and the identity that collected it.
    pub collected_by: CollectedBy,
    /// The accounts collected, sorted by id.
    pub accounts: Vec<Account>,
}

/// Who collected a snapshot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CollectedBy {
    /// `vpcwarden X.Y.Z`.
    pub tool: String,
    /// The caller identity ARN (STS GetCallerIdentity) used for the first account.
    pub caller_arn: String,
}

/// One AWS account as collected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    /// The 12-digit account id.
    pub account_id: String,
    /// `aws`, `aws-cn`, `aws-us-gov`, ...
    pub partition: String,
    /// The identity the account was read with.
    pub caller_arn: String,
    /// The regions that were asked for, sorted; each has its data (possibly partial, see `gaps`).
    pub regions: Vec<RegionData>,
    /// IAM, collected once per account; `None` when the download failed (there is a gap).
    pub iam: Option<Iam>,
    /// What Organizations shows this account; `None` when it could not be read (there is a gap).
    pub organizations: Option<Organizations>,
    /// Every API call that failed, with what failed and why.
    #[serde(default)]
    pub gaps: Vec<Gap>,
}

/// A failed API call: data the checks know is missing.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Gap {
    /// The account the call was for.
    pub account_id: String,
    /// The region, or `global` for IAM and Organizations.
    pub region: String,
    /// `lambda`, `iam`, `ec2`, `organizations`, `sts`.
    pub service: String,
    /// The API operation, e.g. `GetPolicy`.
    pub operation: String,
    /// The resource the call was about (a function ARN), when the call was per resource.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// AWS's error code (`AccessDeniedException`, `ThrottlingException`, ...) or a transport class.
    pub error_code: String,
    /// The error message as AWS gave it.
    pub message: String,
}

/// The region name used for global services (IAM, Organizations) in gaps and findings.
pub const GLOBAL_REGION: &str = "global";

/// Lambda and EC2 data of one region.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RegionData {
    /// The region name.
    pub region: String,
    /// Lambda functions and event source mappings.
    pub lambda: Lambda,
    /// VPC networking.
    pub ec2: Ec2,
}

/// Lambda data of one region.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Lambda {
    /// Functions ($LATEST configuration), sorted by ARN.
    pub functions: Vec<Function>,
    /// Event source mappings, sorted by UUID.
    pub event_source_mappings: Vec<EventSourceMapping>,
    /// Whether the functions' published versions were listed (`ListFunctions` with
    /// `FunctionVersion=ALL`, complete): only then does `published_versions` say all there is.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub versions_listed: bool,
}

/// One Lambda function as ListFunctions, GetPolicy and GetFunctionUrlConfig describe it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Function {
    /// The unqualified function ARN.
    pub arn: String,
    /// The function name.
    pub name: String,
    /// The execution role ARN.
    pub role: String,
    /// `python3.12`, ...; absent for container images.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime: Option<String>,
    /// `Zip` or `Image`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package_type: Option<String>,
    /// `x86_64`, `arm64`.
    #[serde(default)]
    pub architectures: Vec<String>,
    /// The VPC attachment; `None` when the function is not attached to a VPC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_config: Option<VpcConfig>,
    /// Layer version ARNs the function uses.
    #[serde(default)]
    pub layers: Vec<Layer>,
    /// `Pending`, `Active`, `Inactive`, `Failed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Why the function is in its state (e.g. `Idle` for Inactive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_reason_code: Option<String>,
    /// `Successful`, `Failed`, `InProgress`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_update_status: Option<String>,
    /// When the function was last changed, as Lambda reports it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    /// Published versions whose VPC attachment differs from none (each keeps its own ENI pairs in
    /// use), sorted by version number.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub published_versions: Vec<PublishedVersion>,
    /// The CloudWatch Logs group the function writes to, when it is not `/aws/lambda/NAME`
    /// (`LoggingConfig.LogGroup`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_group: Option<String>,
    /// The resource-based policy (GetPolicy). `Absent` is a normal answer; `NotCollected` means there is
    /// a gap for this function.
    #[serde(default)]
    pub resource_policy: Collected<Value>,
    /// The function URL (GetFunctionUrlConfig) of the unqualified function.
    #[serde(default)]
    pub url_config: Collected<FunctionUrl>,
}

impl Function {
    /// The CloudWatch Logs group the function writes to.
    pub fn log_group_name(&self) -> String {
        self.log_group
            .clone()
            .unwrap_or_else(|| format!("/aws/lambda/{}", self.name))
    }

    /// The VPC attachment, when the function has one with at least one subnet.
    pub fn vpc(&self) -> Option<&VpcConfig> {
        self.vpc_config
            .as_ref()
            .filter(|v| !v.subnet_ids.is_empty())
    }

    /// The (subnet, security-group set) pairs this function needs a Lambda ENI for: one per subnet.
    pub fn eni_pairs(&self) -> Vec<EniPair> {
        self.vpc().map(VpcConfig::eni_pairs).unwrap_or_default()
    }
}

impl VpcConfig {
    /// One pair per subnet.
    pub fn eni_pairs(&self) -> Vec<EniPair> {
        self.subnet_ids
            .iter()
            .map(|s| EniPair::new(s, &self.security_group_ids))
            .collect()
    }
}

/// A published version of a function, as far as its network placement goes.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PublishedVersion {
    /// The version number.
    pub version: String,
    /// Its VPC attachment, fixed when it was published.
    pub vpc_config: VpcConfig,
}

/// A (subnet, security-group set) pair: Lambda creates one Hyperplane ENI per pair in use, shared by
/// every function of the account with that pair.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct EniPair {
    /// The subnet.
    pub subnet_id: String,
    /// The security groups, sorted and without repeats.
    pub security_group_ids: Vec<String>,
}

impl EniPair {
    /// A pair; the security groups are sorted so that the same set always compares equal.
    pub fn new(subnet_id: &str, security_group_ids: &[String]) -> EniPair {
        let mut groups = security_group_ids.to_vec();
        groups.sort();
        groups.dedup();
        EniPair {
            subnet_id: subnet_id.to_string(),
            security_group_ids: groups,
        }
    }
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

/// The answer to a per-resource read: a value, a normal "there is none", or a failed call.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(tag = "status", content = "value", rename_all = "snake_case")]
pub enum Collected<T> {
    /// The resource has one, and here it is.
    Present(T),
    /// AWS answered that there is none.
    Absent,
    /// The call failed or was not made; the account's gaps say why.
    #[default]
    NotCollected,
}

impl<T> Collected<T> {
    /// The value, when present.
    pub fn present(&self) -> Option<&T> {
        match self {
            Collected::Present(v) => Some(v),
            _ => None,
        }
    }
}

/// A function's VPC attachment.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct VpcConfig {
    /// The VPC as Lambda reports it; may be empty (derive it from the subnets).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    /// Subnets, sorted.
    pub subnet_ids: Vec<String>,
    /// Security groups, sorted.
    pub security_group_ids: Vec<String>,
    /// Whether IPv6 outbound traffic is allowed on dual-stack subnets.
    #[serde(default)]
    pub ipv6_allowed_for_dual_stack: bool,
}

/// A layer version a function uses.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Layer {
    /// The layer version ARN.
    pub arn: String,
    /// Its size in bytes.
    #[serde(default)]
    pub code_size: i64,
}

/// A function URL.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct FunctionUrl {
    /// The HTTPS URL.
    pub url: String,
    /// `NONE` or `AWS_IAM`.
    pub auth_type: String,
    /// CORS allowed origins.
    #[serde(default)]
    pub cors_allow_origins: Vec<String>,
}

/// An event source mapping (SQS, Kinesis, DynamoDB Streams, ...).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EventSourceMapping {
    /// The mapping's id.
    pub uuid: String,
    /// The source ARN (queue, stream); absent for self-managed sources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_source_arn: Option<String>,
    /// The function it invokes.
    pub function_arn: String,
    /// `Enabled`, `Disabled`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
}

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
}

/// IAM of one account (GetAccountAuthorizationDetails), policy documents decoded.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Iam {
    /// Users, sorted by ARN.
    pub users: Vec<User>,
    /// Groups, sorted by ARN.
    pub groups: Vec<Group>,
    /// Roles, sorted by ARN.
    pub roles: Vec<Role>,
    /// Managed policies that an entity uses (attached or as a boundary), with their default version's
    /// document, sorted by ARN.
    pub managed_policies: Vec<ManagedPolicy>,
}

/// An inline policy. The document is decoded JSON; text that is not JSON is kept as a JSON string so the
/// policy engine can report it against the policy's name.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct InlinePolicy {
    /// The policy name.
    pub name: String,
    /// The decoded document.
    pub document: Value,
}

/// An IAM role.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Role {
    /// Role ARN.
    pub arn: String,
    /// Role name.
    pub name: String,
    /// Path, e.g. `/service-role/`.
    #[serde(default)]
    pub path: String,
    /// The trust policy (AssumeRolePolicyDocument), decoded.
    pub trust_policy: Value,
    /// Inline policies, sorted by name.
    #[serde(default)]
    pub inline_policies: Vec<InlinePolicy>,
    /// Attached managed policy ARNs, sorted.
    #[serde(default)]
    pub attached_policies: Vec<String>,
    /// The permissions boundary policy ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions_boundary: Option<String>,
}

/// An IAM user.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct User {
    /// User ARN.
    pub arn: String,
    /// User name.
    pub name: String,
    /// Path.
    #[serde(default)]
    pub path: String,
    /// Group names, sorted.
    #[serde(default)]
    pub groups: Vec<String>,
    /// Inline policies, sorted by name.
    #[serde(default)]
    pub inline_policies: Vec<InlinePolicy>,
    /// Attached managed policy ARNs, sorted.
    #[serde(default)]
    pub attached_policies: Vec<String>,
    /// The permissions boundary policy ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions_boundary: Option<String>,
}

/// An IAM group.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Group {
    /// Group ARN.
    pub arn: String,
    /// Group name.
    pub name: String,
    /// Inline policies, sorted by name.
    #[serde(default)]
    pub inline_policies: Vec<InlinePolicy>,
    /// Attached managed policy ARNs, sorted.
    #[serde(default)]
    pub attached_policies: Vec<String>,
}

/// A managed policy (AWS or customer) with its default version's document.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ManagedPolicy {
    /// Policy ARN.
    pub arn: String,
    /// Policy name (derived from the ARN when AWS leaves it out).
    pub name: String,
    /// The default version id, e.g. `v3`.
    #[serde(default)]
    pub default_version_id: String,
    /// The default version's decoded document.
    pub document: Value,
}

/// What AWS Organizations shows about the account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Organizations {
    /// The account belongs to no organization: no SCP applies to it.
    NotInOrganization,
    /// The account is a member; SCPs on its path are listed from the root down to the account.
    Member(OrgMembership),
}

/// The organization and the SCPs that apply to the account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrgMembership {
    /// `o-...`.
    pub organization_id: String,
    /// The management account id.
    pub management_account_id: String,
    /// Whether the SERVICE_CONTROL_POLICY type is enabled on the root.
    pub scps_enabled: bool,
    /// The levels of the account's path, root first, the account last; each must allow an action.
    pub scp_levels: Vec<ScpLevel>,
}

/// One level of the account's path (root, OU, or the account) and the SCPs attached there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScpLevel {
    /// `r-...`, `ou-...`, or the account id.
    pub target_id: String,
    /// `ROOT`, `ORGANIZATIONAL_UNIT`, `ACCOUNT`.
    pub target_type: String,
    /// SCPs attached to this target, sorted by id.
    pub policies: Vec<Scp>,
}

/// A service control policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scp {
    /// `p-...`.
    pub id: String,
    /// Policy ARN.
    pub arn: String,
    /// Policy name.
    pub name: String,
    /// Whether AWS manages it (`FullAWSAccess`).
    #[serde(default)]
    pub aws_managed: bool,
    /// The decoded document.
    pub document: Value,
}

impl Snapshot {
    /// Sorts every list so that the same account always serialises to the same bytes.
    pub fn normalize(&mut self) {
        self.accounts
            .sort_by(|a, b| a.account_id.cmp(&b.account_id));
        for account in &mut self.accounts {
            account.normalize();
        }
    }
}

impl Account {
    fn normalize(&mut self) {
        self.regions.sort_by(|a, b| a.region.cmp(&b.region));
        self.gaps.sort();
        self.gaps.dedup();
        for region in &mut self.regions {
            region.normalize();
        }
        if let Some(iam) = &mut self.iam {
            iam.normalize();
        }
        if let Some(Organizations::Member(m)) = &mut self.organizations {
            for level in &mut m.scp_levels {
                level.policies.sort_by(|a, b| a.id.cmp(&b.id));
            }
        }
    }

    /// The first gap for an operation in a region (`GLOBAL_REGION` for IAM/Organizations), ignoring
    /// per-resource gaps.
    pub fn gap(&self, region: &str, service: &str, operation: &str) -> Option<&Gap> {
        self.gaps.iter().find(|g| {
            g.region == region
                && g.service == service
                && g.operation == operation
                && g.resource.is_none()
        })
    }

    /// The gaps recorded for one resource (per-resource calls such as GetPolicy).
    pub fn gaps_for_resource<'a>(&'a self, arn: &'a str) -> impl Iterator<Item = &'a Gap> + 'a {
        self.gaps
            .iter()
            .filter(move |g| g.resource.as_deref() == Some(arn))
    }

    /// The role with this ARN, when IAM was collected and has it.
    pub fn role(&self, arn: &str) -> Option<&Role> {
        let iam = self.iam.as_ref()?;
        iam.roles
            .binary_search_by(|r| r.arn.as_str().cmp(arn))
            .ok()
            .map(|i| &iam.roles[i])
    }
}

impl RegionData {
    fn normalize(&mut self) {
        let l = &mut self.lambda;
        l.functions.sort_by(|a, b| a.arn.cmp(&b.arn));
        for f in &mut l.functions {
            if let Some(v) = &mut f.vpc_config {
                v.subnet_ids.sort();
                v.security_group_ids.sort();
            }
            if let Collected::Present(u) = &mut f.url_config {
                u.cors_allow_origins.sort();
            }
        }
        l.event_source_mappings.sort_by(|a, b| a.uuid.cmp(&b.uuid));
        let e = &mut self.ec2;
        e.vpcs.sort_by(|a, b| a.vpc_id.cmp(&b.vpc_id));
        e.subnets.sort_by(|a, b| a.subnet_id.cmp(&b.subnet_id));
        e.security_groups
            .sort_by(|a, b| a.group_id.cmp(&b.group_id));
        e.network_interfaces
            .sort_by(|a, b| a.network_interface_id.cmp(&b.network_interface_id));
        for eni in &mut e.network_interfaces {
            eni.security_group_ids.sort();
            eni.private_ip_addresses.sort();
        }
        e.route_tables
            .sort_by(|a, b| a.route_table_id.cmp(&b.route_table_id));
        for rt in &mut e.route_tables {
            rt.subnet_ids.sort();
            rt.routes.sort_by(|a, b| {
                (a.destination.as_str(), a.target.as_str())
                    .cmp(&(b.destination.as_str(), b.target.as_str()))
            });
        }
        e.vpc_endpoints
            .sort_by(|a, b| a.vpc_endpoint_id.cmp(&b.vpc_endpoint_id));
        for ep in &mut e.vpc_endpoints {
            ep.security_group_ids.sort();
            ep.subnet_ids.sort();
        }
    }

    /// The subnet with this id, if collected.
    pub fn subnet(&self, id: &str) -> Option<&Subnet> {
        self.ec2.subnets.iter().find(|s| s.subnet_id == id)
    }

    /// The route table that governs a subnet: the one explicitly associated with it, else the main
    /// route table of `vpc_id` (the subnet's VPC). `None` when neither was collected.
    pub fn route_table_for(
        &self,
        subnet_id: &str,
        vpc_id: &str,
    ) -> Option<(&RouteTable, RouteTableSource)> {
        let tables = &self.ec2.route_tables;
        tables
            .iter()
            .find(|rt| rt.subnet_ids.iter().any(|s| s == subnet_id))
            .map(|rt| (rt, RouteTableSource::Explicit))
            .or_else(|| {
                tables
                    .iter()
                    .find(|rt| rt.main && rt.vpc_id == vpc_id)
                    .map(|rt| (rt, RouteTableSource::Main))
            })
    }

    /// The VPC of a function: from its subnets (Lambda may report an empty `VpcId`), else the VPC id
    /// Lambda reports.
    pub fn function_vpc_id<'a>(&'a self, function: &'a Function) -> Option<&'a str> {
        let vpc = function.vpc()?;
        vpc.subnet_ids
            .iter()
            .find_map(|s| self.subnet(s).map(|s| s.vpc_id.as_str()))
            .or_else(|| vpc.vpc_id.as_deref().filter(|v| !v.is_empty()))
    }

    /// The ENI pairs the functions of this region use, each with its users: function names, and
    /// `NAME:VERSION` for published versions whose own VPC attachment keeps a pair in use.
    pub fn eni_pairs_in_use(&self) -> std::collections::BTreeMap<EniPair, Vec<String>> {
        let mut pairs: std::collections::BTreeMap<EniPair, Vec<String>> = Default::default();
        for f in &self.lambda.functions {
            for pair in f.eni_pairs() {
                pairs.entry(pair).or_default().push(f.name.clone());
            }
            for v in &f.published_versions {
                for pair in v.vpc_config.eni_pairs() {
                    let users = pairs.entry(pair).or_default();
                    let user = format!("{}:{}", f.name, v.version);
                    if !users.contains(&user) {
                        users.push(user);
                    }
                }
            }
        }
        pairs
    }
}

impl Iam {
    fn normalize(&mut self) {
        self.users.sort_by(|a, b| a.arn.cmp(&b.arn));
        self.groups.sort_by(|a, b| a.arn.cmp(&b.arn));
        self.roles.sort_by(|a, b| a.arn.cmp(&b.arn));
        self.managed_policies.sort_by(|a, b| a.arn.cmp(&b.arn));
        for u in &mut self.users {
            u.groups.sort();
            u.attached_policies.sort();
            u.inline_policies.sort_by(|a, b| a.name.cmp(&b.name));
        }
        for g in &mut self.groups {
            g.attached_policies.sort();
            g.inline_policies.sort_by(|a, b| a.name.cmp(&b.name));
        }
        for r in &mut self.roles {
            r.attached_policies.sort();
            r.inline_policies.sort_by(|a, b| a.name.cmp(&b.name));
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

    #[test]
    fn pairs_compare_as_sets_of_groups() {
        let a = EniPair::new("subnet-1", &["sg-2".into(), "sg-1".into(), "sg-2".into()]);
        let b = EniPair::new("subnet-1", &["sg-1".into(), "sg-2".into()]);
        assert_eq!(a, b);
        let f = Function {
            vpc_config: Some(VpcConfig {
                subnet_ids: vec!["subnet-1".into(), "subnet-2".into()],
                security_group_ids: vec!["sg-2".into(), "sg-1".into()],
                ..Default::default()
            }),
            ..Default::default()
        };
        assert_eq!(f.eni_pairs().len(), 2);
        assert_eq!(f.eni_pairs()[0], b);
        let none = Function {
            vpc_config: Some(VpcConfig::default()),
            ..Default::default()
        };
        assert!(none.vpc().is_none() && none.eni_pairs().is_empty());
    }

    #[test]
    fn a_subnet_without_association_falls_back_to_the_main_table() {
        let rt = |id: &str, vpc: &str, main: bool, subnets: &[&str]| RouteTable {
            route_table_id: id.into(),
            vpc_id: vpc.into(),
            main,
            subnet_ids: subnets.iter().map(|s| s.to_string()).collect(),
            routes: vec![],
        };
        let mut region = RegionData::default();
        region.ec2.route_tables = vec![
            rt("rtb-main-other", "vpc-2", true, &[]),
            rt("rtb-main", "vpc-1", true, &[]),
            rt("rtb-private", "vpc-1", false, &["subnet-a"]),
        ];
        let (t, src) = region
            .route_table_for("subnet-a", "vpc-1")
            .expect("explicit");
        assert_eq!(
            (t.route_table_id.as_str(), src),
            ("rtb-private", RouteTableSource::Explicit)
        );
        let (t, src) = region.route_table_for("subnet-b", "vpc-1").expect("main");
        assert_eq!(
            (t.route_table_id.as_str(), src),
            ("rtb-main", RouteTableSource::Main)
        );
        assert!(region.route_table_for("subnet-c", "vpc-3").is_none());
    }
}

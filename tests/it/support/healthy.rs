//! The healthy account: one well-configured AWS account that every registered check passes, and the
//! small mutations that turn it into a check's failing or incomplete-data scenario.
//!
//! A check test is `healthy()` plus one change (`with_function`, `gap`, `edit_role`, ...), so a
//! scenario says only what makes it differ from a good account, and a new check adds a few lines
//! here (what a healthy account has for it) instead of a new 400-line JSON file.
//!
//! The account (`111111111111`, region `us-east-1`, collected on 2026-11-01):
//! - VPC `vpc-app` (10.0.0.0/16): private subnets `subnet-private-a` (us-east-1a) and
//!   `subnet-private-b` (us-east-1b) routed to NAT gateway `nat-app` through `rtb-private`, public
//!   subnet `subnet-public-a` routed to `igw-app` (`rtb-public`), main table `rtb-main` (local only);
//!   interface endpoint `vpce-lambda` whose group `sg-endpoints` admits HTTPS from the VPC only.
//! - Functions `orders` (python3.12, own-account layer, resource policy for API Gateway bound to its
//!   own API) and `billing` (python3.13, function URL with IAM auth and one CORS origin, an SQS event
//!   source mapping), both in the two private subnets with group `sg-functions`; their Lambda ENIs
//!   are in use, and the published versions were listed.
//! - Execution roles `orders-role` and `billing-role`: trust Lambda; ENI rights only for the Lambda
//!   service (`Null lambda:SourceFunctionArn true`), CloudWatch Logs on `/aws/lambda/*`; billing reads
//!   its queue, orders may invoke billing only. `deploy-role` deploys functions, in `vpc-app` only and with layers of the account only.
//! - Organizations: a member account whose OU has an SCP that keeps functions in `vpc-app`,
//!   capacity providers in the private subnets and layers to the account's own.

use serde_json::{Value, json};
use vpcwarden::config::Config;
use vpcwarden::finding::Finding;
use vpcwarden::snapshot::{
    Account, CapacityProvider, Collected, Ec2, EniOperator, EventSourceMapping, Function,
    FunctionUrl, GLOBAL_REGION, Gap, Group, Iam, InlinePolicy, LAMBDA_MANAGED_INSTANCES_OPERATOR,
    Lambda, Layer, ManagedPolicy, NetworkInterface, Organizations, RegionData, Role, Route,
    RouteTable, SecurityGroup, SecurityGroupRule, Snapshot, Subnet, User, Vpc, VpcConfig,
    VpcEndpoint,
};

/// The account id.
pub const ACCOUNT: &str = "111111111111";
/// The region the healthy account has.
pub const REGION: &str = "us-east-1";
/// The VPC, approved by the organization's SCP.
pub const VPC: &str = "vpc-app";
/// Private subnet in us-east-1a.
pub const PRIVATE_A: &str = "subnet-private-a";
/// Private subnet in us-east-1b.
pub const PRIVATE_B: &str = "subnet-private-b";
/// Public subnet (NAT gateway) in us-east-1a.
pub const PUBLIC_A: &str = "subnet-public-a";
/// The functions' security group.
pub const FUNCTION_SG: &str = "sg-functions";
/// The interface endpoints' security group.
pub const ENDPOINT_SG: &str = "sg-endpoints";

/// `arn:aws:lambda:REGION:ACCOUNT:function:NAME`.
pub fn function_arn(region: &str, name: &str) -> String {
    format!("arn:aws:lambda:{region}:{ACCOUNT}:function:{name}")
}

/// `arn:aws:iam::ACCOUNT:role/NAME`.
pub fn role_arn(name: &str) -> String {
    format!("arn:aws:iam::{ACCOUNT}:role/{name}")
}

/// `arn:aws:iam::ACCOUNT:policy/NAME`.
pub fn policy_arn(name: &str) -> String {
    format!("arn:aws:iam::{ACCOUNT}:policy/{name}")
}

/// A policy document with these statements (an array, or one statement object).
pub fn policy(statements: Value) -> Value {
    json!({"Version": "2012-10-17", "Statement": statements})
}

/// An Allow statement without conditions.
pub fn allow(actions: &[&str], resource: &str) -> Value {
    json!({"Effect": "Allow", "Action": actions, "Resource": resource})
}

/// A Deny statement without conditions.
pub fn deny(actions: &[&str], resource: &str) -> Value {
    json!({"Effect": "Deny", "Action": actions, "Resource": resource})
}

/// A trust policy that lets these service principals assume the role.
pub fn trust(services: &[&str]) -> Value {
    policy(
        json!([{"Effect": "Allow", "Principal": {"Service": services}, "Action": "sts:AssumeRole"}]),
    )
}

/// An inline policy.
pub fn inline(name: &str, document: Value) -> InlinePolicy {
    InlinePolicy {
        name: name.into(),
        document,
    }
}

/// A function in `region` as the healthy account deploys them: python3.12 in both private subnets
/// with the functions' group, running as `orders-role`, no resource policy, no URL, no layer.
pub fn function_in(region: &str, name: &str) -> Function {
    Function {
        arn: function_arn(region, name).into(),
        name: name.into(),
        role: role_arn("orders-role"),
        runtime: Some("python3.12".into()),
        package_type: Some("Zip".into()),
        architectures: vec!["x86_64".into()],
        vpc_config: Some(VpcConfig {
            vpc_id: Some(VPC.into()),
            subnet_ids: vec![PRIVATE_A.into(), PRIVATE_B.into()],
            security_group_ids: vec![FUNCTION_SG.into()],
            ipv6_allowed_for_dual_stack: false,
        }),
        state: Some("Active".into()),
        last_update_status: Some("Successful".into()),
        resource_policy: Collected::Absent,
        url_config: Collected::Absent,
        qualifiers: Collected::Present(vec![]),
        ..Default::default()
    }
}

/// A role that trusts Lambda and has no policy.
pub fn role(name: &str) -> Role {
    Role {
        arn: role_arn(name),
        name: name.into(),
        path: "/".into(),
        trust_policy: trust(&["lambda.amazonaws.com"]),
        ..Default::default()
    }
}

/// A user with no policy.
pub fn user(name: &str) -> User {
    User {
        arn: format!("arn:aws:iam::{ACCOUNT}:user/{name}"),
        name: name.into(),
        path: "/".into(),
        ..Default::default()
    }
}

/// A subnet of `vpc` in `az` (`us-east-1a`; its id is derived: `use1-az-a`).
pub fn subnet(id: &str, vpc: &str, az: &str) -> Subnet {
    Subnet {
        subnet_id: id.into(),
        vpc_id: vpc.into(),
        availability_zone: az.into(),
        availability_zone_id: Some(format!("use1-az-{}", az.chars().last().unwrap_or('a'))),
        cidr_block: Some("10.0.0.0/24".into()),
        available_ip_address_count: Some(250),
    }
}

/// A route (`active`).
pub fn route(destination: &str, target: &str) -> Route {
    Route {
        destination: destination.into(),
        target: target.into(),
        state: Some("active".into()),
    }
}

/// A route table with its local route plus `routes`, explicitly associated with `subnets` (the
/// VPC's main table when `main`).
pub fn route_table(
    id: &str,
    vpc: &str,
    main: bool,
    subnets: &[&str],
    routes: &[Route],
) -> RouteTable {
    RouteTable {
        route_table_id: id.into(),
        vpc_id: vpc.into(),
        main,
        subnet_ids: subnets.iter().map(|s| s.to_string()).collect(),
        routes: std::iter::once(route("10.0.0.0/16", "local"))
            .chain(routes.iter().cloned())
            .collect(),
    }
}

/// An in-use Lambda ENI of `vpc-app` for the pair (`subnet`, `groups`), made for `function`.
pub fn lambda_eni(id: &str, subnet: &str, groups: &[&str], function: &str) -> NetworkInterface {
    NetworkInterface {
        network_interface_id: id.into(),
        interface_type: Some("lambda".into()),
        requester_managed: true,
        requester_id: Some("560000000000".into()),
        owner_id: Some(ACCOUNT.into()),
        status: "in-use".into(),
        description: format!("AWS Lambda VPC ENI-{function}-cf215f03-44ab-4b00-a12e-00924c61d333"),
        subnet_id: subnet.into(),
        vpc_id: VPC.into(),
        security_group_ids: groups.iter().map(|s| s.to_string()).collect(),
        private_ip_addresses: vec!["10.0.1.10".into()],
        operator: Collected::Absent,
        instance_id: None,
        capacity_provider_tag: None,
    }
}

/// The in-use interface of instance `instance`, which Lambda runs for a capacity provider (Lambda
/// Managed Instances): operated by `scaler.lambda.amazonaws.com`, attached, with no tag and nothing
/// else that names the provider (AWS does not document its type or description; these are EC2's
/// usual ones for an instance's interface).
pub fn managed_instance_eni(
    id: &str,
    subnet: &str,
    groups: &[&str],
    instance: &str,
) -> NetworkInterface {
    NetworkInterface {
        network_interface_id: id.into(),
        interface_type: Some("interface".into()),
        requester_managed: false,
        owner_id: Some(ACCOUNT.into()),
        status: "in-use".into(),
        subnet_id: subnet.into(),
        vpc_id: VPC.into(),
        security_group_ids: groups.iter().map(|s| s.to_string()).collect(),
        private_ip_addresses: vec!["10.0.2.30".into()],
        operator: Collected::Present(EniOperator {
            managed: true,
            principal: Some(LAMBDA_MANAGED_INSTANCES_OPERATOR.into()),
        }),
        instance_id: Some(instance.into()),
        ..Default::default()
    }
}

/// An available interface endpoint of `vpc-app` for `service` (`lambda`, `s3`, ...) in both
/// private subnets.
pub fn interface_endpoint(id: &str, service: &str, groups: &[&str]) -> VpcEndpoint {
    VpcEndpoint {
        vpc_endpoint_id: id.into(),
        vpc_endpoint_type: "Interface".into(),
        service_name: format!("com.amazonaws.{REGION}.{service}"),
        vpc_id: VPC.into(),
        security_group_ids: groups.iter().map(|s| s.to_string()).collect(),
        subnet_ids: vec![PRIVATE_A.into(), PRIVATE_B.into()],
        state: Some("available".into()),
        route_table_ids: Collected::Present(vec![]),
    }
}

/// An inbound rule for TCP `from..=to` from IPv4 `cidrs`.
pub fn tcp_from(from: i32, to: i32, cidrs: &[&str]) -> SecurityGroupRule {
    SecurityGroupRule {
        ip_protocol: "tcp".into(),
        from_port: Some(from),
        to_port: Some(to),
        ipv4_ranges: cidrs.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    }
}

/// A security group of `vpc-app` with these inbound rules.
pub fn security_group(id: &str, ingress: Vec<SecurityGroupRule>) -> SecurityGroup {
    SecurityGroup {
        group_id: id.into(),
        group_name: id.trim_start_matches("sg-").into(),
        vpc_id: Some(VPC.into()),
        ingress,
    }
}

/// An SCP attached to a level of the account's path.
pub fn scp(id: &str, name: &str, document: Value) -> Value {
    json!({
        "id": id,
        "arn": format!("arn:aws:organizations::222222222222:policy/o-healthy/service_control_policy/{id}"),
        "name": name,
        "aws_managed": false,
        "document": document,
    })
}

fn full_aws_access() -> Value {
    json!({
        "id": "p-FullAWSAccess",
        "arn": "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess",
        "name": "FullAWSAccess",
        "aws_managed": true,
        "document": policy(json!([{"Effect": "Allow", "Action": "*", "Resource": "*"}])),
    })
}

/// The SCP that keeps the account's functions in `vpc-app`.
pub fn vpc_guardrail_scp() -> Value {
    scp(
        "p-lambda0vpc",
        "LambdaOnlyInApprovedVpcs",
        policy(json!([
            {
                "Sid": "OnlyApprovedVpc",
                "Effect": "Deny",
                "Action": ["lambda:CreateFunction", "lambda:UpdateFunctionConfiguration"],
                "Resource": "*",
                "Condition": {"ForAllValues:StringNotEquals": {"lambda:VpcIds": [VPC]}}
            },
            // A capacity provider's request carries its subnets and security groups, never
            // lambda:VpcIds; a provider always names at least one subnet.
            {
                "Sid": "ProvidersOnlyInApprovedSubnets",
                "Effect": "Deny",
                "Action": "lambda:CreateCapacityProvider",
                "Resource": "*",
                "Condition": {"ForAnyValue:StringNotEquals": {"lambda:SubnetIds": [PRIVATE_A, PRIVATE_B]}}
            },
            layer_guardrail_statement()
        ])),
    )
}

/// Deny creating or reconfiguring a function with any layer that is not the account's own.
pub fn layer_guardrail_statement() -> Value {
    json!({
        "Sid": "OnlyOwnLayers",
        "Effect": "Deny",
        "Action": ["lambda:CreateFunction", "lambda:UpdateFunctionConfiguration"],
        "Resource": "*",
        "Condition": {"ForAnyValue:StringNotLike": {"lambda:Layer": [format!("arn:aws:lambda:*:{ACCOUNT}:layer:*")]}}
    })
}

/// A member account's Organizations view: root, one OU and the account, each with FullAWSAccess,
/// plus `ou_scps` on the OU.
pub fn member_of_organization(ou_scps: Vec<Value>) -> Organizations {
    let mut ou = vec![full_aws_access()];
    ou.extend(ou_scps);
    serde_json::from_value(json!({
        "status": "member",
        "organization_id": "o-healthy",
        "management_account_id": "222222222222",
        "scps_enabled": true,
        "scp_levels": [
            {"target_id": "r-root", "target_type": "ROOT", "policies": [full_aws_access()]},
            {"target_id": "ou-root-workloads", "target_type": "ORGANIZATIONAL_UNIT", "policies": ou},
            {"target_id": ACCOUNT, "target_type": "ACCOUNT", "policies": [full_aws_access()]},
        ]
    }))
    .expect("organizations")
}

fn healthy_region() -> RegionData {
    let orders = Function {
        layers: vec![Layer {
            arn: format!("arn:aws:lambda:{REGION}:{ACCOUNT}:layer:shared-libs:3"),
            code_size: 1_048_576,
        }],
        resource_policy: Collected::Present(json!({
            "Version": "2012-10-17",
            "Id": "default",
            "Statement": [{
                "Sid": "OrdersApi",
                "Effect": "Allow",
                "Principal": {"Service": "apigateway.amazonaws.com"},
                "Action": "lambda:InvokeFunction",
                "Resource": function_arn(REGION, "orders"),
                "Condition": {"ArnLike": {"AWS:SourceArn": format!("arn:aws:execute-api:{REGION}:{ACCOUNT}:orders-api/*/POST/orders")}}
            }]
        })),
        ..function_in(REGION, "orders")
    };
    let billing = Function {
        role: role_arn("billing-role"),
        runtime: Some("python3.13".into()),
        architectures: vec!["arm64".into()],
        url_config: Collected::Present(FunctionUrl {
            url: "https://billing0url.lambda-url.us-east-1.on.aws/".into(),
            auth_type: "AWS_IAM".into(),
            cors_allow_origins: vec!["https://app.example.com".into()],
        }),
        ..function_in(REGION, "billing")
    };
    let nat_eni = NetworkInterface {
        network_interface_id: "eni-nat".into(),
        interface_type: Some("nat_gateway".into()),
        requester_managed: true,
        requester_id: Some("AROAEXAMPLENAT".into()),
        owner_id: Some(ACCOUNT.into()),
        status: "in-use".into(),
        description: "Interface for NAT Gateway nat-app".into(),
        subnet_id: PUBLIC_A.into(),
        vpc_id: VPC.into(),
        private_ip_addresses: vec!["10.0.101.5".into()],
        ..Default::default()
    };
    let endpoint_eni = NetworkInterface {
        network_interface_id: "eni-vpce-lambda".into(),
        interface_type: Some("vpc_endpoint".into()),
        description: "VPC Endpoint Interface vpce-lambda".into(),
        subnet_id: PRIVATE_A.into(),
        security_group_ids: vec![ENDPOINT_SG.into()],
        private_ip_addresses: vec!["10.0.1.20".into()],
        ..nat_eni.clone()
    };
    RegionData {
        region: REGION.into(),
        lambda: Lambda {
            functions: vec![orders, billing],
            event_source_mappings: vec![EventSourceMapping {
                uuid: "a1b2c3d4-0000-4000-8000-000000000001".into(),
                event_source_arn: Some(format!("arn:aws:sqs:{REGION}:{ACCOUNT}:billing-events")),
                function_arn: function_arn(REGION, "billing"),
                state: Some("Enabled".into()),
            }],
            versions_listed: true,
            // A provider for Lambda Managed Instances in the private subnets, not used yet.
            capacity_providers: Collected::Present(vec![CapacityProvider {
                arn: format!("arn:aws:lambda:{REGION}:{ACCOUNT}:capacity-provider:app-cp"),
                state: Some("Active".into()),
                vpc_config: VpcConfig {
                    vpc_id: None,
                    subnet_ids: vec![PRIVATE_A.into(), PRIVATE_B.into()],
                    security_group_ids: vec![FUNCTION_SG.into()],
                    ipv6_allowed_for_dual_stack: false,
                },
                operator_role_arn: Some(role_arn("app-cp-operator")),
                kms_key_arn: None,
            }]),
        },
        ec2: Ec2 {
            vpcs: vec![Vpc {
                vpc_id: VPC.into(),
                cidr_block: Some("10.0.0.0/16".into()),
                is_default: false,
            }],
            subnets: vec![
                subnet(PRIVATE_A, VPC, "us-east-1a"),
                subnet(PRIVATE_B, VPC, "us-east-1b"),
                subnet(PUBLIC_A, VPC, "us-east-1a"),
            ],
            security_groups: vec![
                security_group(FUNCTION_SG, vec![]),
                security_group(
                    ENDPOINT_SG,
                    vec![SecurityGroupRule {
                        source_groups: vec![FUNCTION_SG.into()],
                        ..tcp_from(443, 443, &["10.0.0.0/16"])
                    }],
                ),
            ],
            network_interfaces: vec![
                lambda_eni("eni-functions-a", PRIVATE_A, &[FUNCTION_SG], "orders"),
                lambda_eni("eni-functions-b", PRIVATE_B, &[FUNCTION_SG], "orders"),
                nat_eni,
                endpoint_eni,
            ],
            route_tables: vec![
                route_table("rtb-main", VPC, true, &[], &[]),
                route_table(
                    "rtb-private",
                    VPC,
                    false,
                    &[PRIVATE_A, PRIVATE_B],
                    &[route("0.0.0.0/0", "nat-app")],
                ),
                route_table(
                    "rtb-public",
                    VPC,
                    false,
                    &[PUBLIC_A],
                    &[route("0.0.0.0/0", "igw-app")],
                ),
            ],
            vpc_endpoints: vec![interface_endpoint("vpce-lambda", "lambda", &[ENDPOINT_SG])],
        },
    }
}

/// The AWS managed policy Lambda documents for capacity provider operator roles.
pub const OPERATOR_POLICY: &str = "arn:aws:iam::aws:policy/AWSLambdaManagedEC2ResourceOperator";

fn healthy_iam() -> Iam {
    let eni_for_lambda_only = ManagedPolicy {
        arn: policy_arn("LambdaVpcAccessForTheServiceOnly"),
        name: "LambdaVpcAccessForTheServiceOnly".into(),
        default_version_id: "v1".into(),
        document: policy(json!([{
            "Sid": "LambdaServiceManagesEnis",
            "Effect": "Allow",
            "Action": [
                "ec2:CreateNetworkInterface",
                "ec2:DeleteNetworkInterface",
                "ec2:DescribeNetworkInterfaces",
                "ec2:AssignPrivateIpAddresses",
                "ec2:UnassignPrivateIpAddresses"
            ],
            "Resource": "*",
            "Condition": {"Null": {"lambda:SourceFunctionArn": "true"}}
        }])),
    };
    let logs = ManagedPolicy {
        arn: policy_arn("LambdaLogs"),
        name: "LambdaLogs".into(),
        default_version_id: "v1".into(),
        document: policy(json!([{
            "Sid": "FunctionLogs",
            "Effect": "Allow",
            "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": format!("arn:aws:logs:*:{ACCOUNT}:log-group:/aws/lambda/*")
        }])),
    };
    let execution = |name: &str, inline: Vec<InlinePolicy>| Role {
        attached_policies: vec![eni_for_lambda_only.arn.clone(), logs.arn.clone()],
        inline_policies: inline,
        ..role(name)
    };
    let orders_role = execution(
        "orders-role",
        vec![self::inline(
            "invoke-billing",
            policy(json!([allow(
                &["lambda:InvokeFunction"],
                &function_arn(REGION, "billing")
            )])),
        )],
    );
    let billing_role = execution(
        "billing-role",
        vec![self::inline(
            "read-queue",
            policy(json!([allow(
                &[
                    "sqs:ReceiveMessage",
                    "sqs:DeleteMessage",
                    "sqs:GetQueueAttributes"
                ],
                &format!("arn:aws:sqs:*:{ACCOUNT}:billing-events")
            )])),
        )],
    );
    let deploy_role = Role {
        trust_policy: policy(json!([{
            "Effect": "Allow",
            "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:root")},
            "Action": "sts:AssumeRole"
        }])),
        inline_policies: vec![self::inline(
            "deploy",
            policy(json!([
                allow(
                    &["lambda:CreateFunction", "lambda:UpdateFunctionConfiguration", "lambda:UpdateFunctionCode", "lambda:GetFunction"],
                    &format!("arn:aws:lambda:*:{ACCOUNT}:function:*")
                ),
                {
                    "Sid": "OnlyApprovedVpc",
                    "Effect": "Deny",
                    "Action": ["lambda:CreateFunction", "lambda:UpdateFunctionConfiguration"],
                    "Resource": "*",
                    "Condition": {"ForAllValues:StringNotEquals": {"lambda:VpcIds": [VPC]}}
                },
                layer_guardrail_statement(),
                {
                    "Effect": "Allow",
                    "Action": "iam:PassRole",
                    "Resource": [role_arn("orders-role"), role_arn("billing-role")],
                    "Condition": {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}
                }
            ])),
        )],
        ..role("deploy-role")
    };
    // The operator role of capacity provider app-cp: the AWS managed policy only.
    let operator_policy = ManagedPolicy {
        arn: OPERATOR_POLICY.into(),
        name: "AWSLambdaManagedEC2ResourceOperator".into(),
        default_version_id: "v5".into(),
        document: serde_json::from_str(include_str!(
            "../../../checks/AWSLambdaManagedEC2ResourceOperator.json"
        ))
        .expect("the managed operator policy is JSON"),
    };
    let operator_role = Role {
        attached_policies: vec![operator_policy.arn.clone()],
        ..role("app-cp-operator")
    };
    Iam {
        users: vec![],
        groups: vec![],
        roles: vec![orders_role, billing_role, deploy_role, operator_role],
        managed_policies: vec![eni_for_lambda_only, logs, operator_policy],
    }
}

/// The healthy account: every registered check passes it (see `checks::healthy_account_passes_every_check`).
pub fn healthy() -> Scenario {
    Scenario {
        snapshot: Snapshot {
            schema_version: vpcwarden::snapshot::SCHEMA_VERSION.into(),
            collected_at: "2026-11-01T09:00:00Z".into(),
            collected_by: vpcwarden::snapshot::CollectedBy {
                tool: "vpcwarden 0.1.0".into(),
                caller_arn: format!("arn:aws:iam::{ACCOUNT}:user/auditor"),
            },
            accounts: vec![Account {
                account_id: ACCOUNT.into(),
                partition: "aws".into(),
                caller_arn: format!("arn:aws:iam::{ACCOUNT}:user/auditor"),
                regions: vec![healthy_region()],
                iam: Some(healthy_iam()),
                organizations: Some(member_of_organization(vec![vpc_guardrail_scp()])),
                gaps: vec![],
                name: None,
                ou_path: None,
            }],
            not_scanned: vec![],
            organization_accounts: vec![],
            shard: None,
        },
    }
}

/// A snapshot being built: the healthy account and the changes made to it so far.
#[derive(Debug, Clone)]
pub struct Scenario {
    snapshot: Snapshot,
}

impl Scenario {
    /// The account (the snapshot has one).
    pub fn account(&mut self) -> &mut Account {
        &mut self.snapshot.accounts[0]
    }

    /// A region's data; the region is added, empty, when the account has none of that name.
    pub fn region(&mut self, region: &str) -> &mut RegionData {
        let regions = &mut self.account().regions;
        let i = match regions.iter().position(|r| r.region == region) {
            Some(i) => i,
            None => {
                regions.push(RegionData {
                    region: region.into(),
                    ..Default::default()
                });
                regions.len() - 1
            }
        };
        &mut regions[i]
    }

    /// The collected IAM data.
    pub fn iam(&mut self) -> &mut Iam {
        self.account().iam.as_mut().expect("IAM was collected")
    }

    /// Any change to the snapshot.
    pub fn edit(mut self, edit: impl FnOnce(&mut Snapshot)) -> Self {
        edit(&mut self.snapshot);
        self
    }

    /// Another region set up as the healthy `us-east-1` is (same names, ids and functions).
    pub fn with_region(mut self, region: &str) -> Self {
        let text = serde_json::to_string(&healthy_region()).expect("region serialises");
        let copy: RegionData =
            serde_json::from_str(&text.replace(REGION, region)).expect("region copy");
        *self.region(region) = copy;
        self
    }

    /// Adds a function in `us-east-1`: [`function_in`], then `edit`.
    pub fn with_function(self, name: &str, edit: impl FnOnce(&mut Function)) -> Self {
        self.with_function_in(REGION, name, edit)
    }

    /// Adds a function in `region` (added, empty, if missing): [`function_in`], then `edit`.
    pub fn with_function_in(
        mut self,
        region: &str,
        name: &str,
        edit: impl FnOnce(&mut Function),
    ) -> Self {
        let mut function = function_in(region, name);
        edit(&mut function);
        let functions = &mut self.region(region).lambda.functions;
        assert!(
            functions.iter().all(|f| f.name != name),
            "{name} exists in {region}: use edit_function"
        );
        functions.push(function);
        self
    }

    /// Changes an existing function (the first of that name, in any region).
    pub fn edit_function(mut self, name: &str, edit: impl FnOnce(&mut Function)) -> Self {
        let function = self
            .account()
            .regions
            .iter_mut()
            .flat_map(|r| r.lambda.functions.iter_mut())
            .find(|f| f.name == name)
            .unwrap_or_else(|| panic!("no function {name}"));
        edit(function);
        self
    }

    /// Changes the EC2 data of a region.
    pub fn ec2(mut self, region: &str, edit: impl FnOnce(&mut Ec2)) -> Self {
        edit(&mut self.region(region).ec2);
        self
    }

    /// Changes the Lambda data of a region.
    pub fn lambda(mut self, region: &str, edit: impl FnOnce(&mut Lambda)) -> Self {
        edit(&mut self.region(region).lambda);
        self
    }

    /// Adds a role: [`role`] (trusts Lambda, no policy), then `edit`.
    pub fn with_role(mut self, name: &str, edit: impl FnOnce(&mut Role)) -> Self {
        let mut r = role(name);
        edit(&mut r);
        self.iam().roles.push(r);
        self
    }

    /// Changes an existing role.
    pub fn edit_role(mut self, name: &str, edit: impl FnOnce(&mut Role)) -> Self {
        let r = self
            .iam()
            .roles
            .iter_mut()
            .find(|r| r.name == name)
            .unwrap_or_else(|| panic!("no role {name}"));
        edit(r);
        self
    }

    /// Adds a user: [`user`] (no policy), then `edit`.
    pub fn with_user(mut self, name: &str, edit: impl FnOnce(&mut User)) -> Self {
        let mut u = user(name);
        edit(&mut u);
        self.iam().users.push(u);
        self
    }

    /// Adds a group with these inline policies.
    pub fn with_group(mut self, name: &str, inline_policies: Vec<InlinePolicy>) -> Self {
        self.iam().groups.push(Group {
            arn: format!("arn:aws:iam::{ACCOUNT}:group/{name}"),
            name: name.into(),
            inline_policies,
            attached_policies: vec![],
        });
        self
    }

    /// Adds a managed policy; `arn` is a full ARN, or a name for a customer policy of the account.
    pub fn with_managed_policy(mut self, arn: &str, document: Value) -> Self {
        let arn = if arn.starts_with("arn:") {
            arn.to_string()
        } else {
            policy_arn(arn)
        };
        let name = arn.rsplit('/').next().unwrap_or_default().to_string();
        self.iam().managed_policies.push(ManagedPolicy {
            arn,
            name,
            default_version_id: "v1".into(),
            document,
        });
        self
    }

    /// What Organizations shows (`None`: not collected).
    pub fn organizations(mut self, organizations: Option<Organizations>) -> Self {
        self.account().organizations = organizations;
        self
    }

    /// The date of the scan (RFC 3339).
    pub fn collected_at(mut self, timestamp: &str) -> Self {
        self.snapshot.collected_at = timestamp.into();
        self
    }

    /// A failed call with `AccessDenied` (IAM) or `AccessDeniedException` (others): see [`Self::gap_with`].
    pub fn gap(self, service: &str, operation: &str, region: &str) -> Self {
        let code = if service == "iam" {
            "AccessDenied"
        } else {
            "AccessDeniedException"
        };
        self.gap_with(service, operation, region, code)
    }

    /// A failed call, as the collector leaves it: the gap, and the data that call would have brought
    /// missing. IAM and Organizations calls are global (`region` is ignored). The per-function reads
    /// (`GetPolicy`, `GetFunctionUrlConfig`) fail for every function of the region, each with its own
    /// gap; see [`Self::function_gap`] for one function.
    pub fn gap_with(mut self, service: &str, operation: &str, region: &str, code: &str) -> Self {
        let region = if service == "iam" || service == "organizations" {
            GLOBAL_REGION
        } else {
            region
        };
        let per_function = matches!(operation, "GetPolicy" | "GetFunctionUrlConfig");
        if per_function {
            let names: Vec<String> = self
                .region(region)
                .lambda
                .functions
                .iter()
                .map(|f| f.name.clone())
                .collect();
            for name in names {
                self = self.function_gap(operation, &name, code);
            }
            return self;
        }
        let account = self.account();
        account
            .gaps
            .push(gap(service, operation, region, None, code));
        match (service, operation) {
            ("iam", _) => account.iam = None,
            ("organizations", _) => account.organizations = None,
            _ => {
                let data = self.region(region);
                match operation {
                    "ListFunctions" => {
                        data.lambda.functions.clear();
                        data.lambda.versions_listed = false;
                    }
                    "ListEventSourceMappings" => data.lambda.event_source_mappings.clear(),
                    "DescribeVpcs" => data.ec2.vpcs.clear(),
                    "DescribeSubnets" => data.ec2.subnets.clear(),
                    "DescribeSecurityGroups" => data.ec2.security_groups.clear(),
                    "DescribeNetworkInterfaces" => data.ec2.network_interfaces.clear(),
                    "DescribeRouteTables" => data.ec2.route_tables.clear(),
                    "DescribeVpcEndpoints" => data.ec2.vpc_endpoints.clear(),
                    _ => {}
                }
            }
        }
        self
    }

    /// A per-function read (`GetPolicy` or `GetFunctionUrlConfig`) that failed for one function
    /// (the first of that name): its gap, and the value not collected.
    pub fn function_gap(mut self, operation: &str, name: &str, code: &str) -> Self {
        let mut arn = String::new();
        let mut region = String::new();
        for data in &mut self.account().regions {
            if let Some(f) = data.lambda.functions.iter_mut().find(|f| f.name == name) {
                match operation {
                    "GetPolicy" => f.resource_policy = Collected::NotCollected,
                    "GetFunctionUrlConfig" => f.url_config = Collected::NotCollected,
                    other => panic!("{other} is not a per-function read"),
                }
                arn = f.arn.to_string();
                region = data.region.clone();
                break;
            }
        }
        assert!(!arn.is_empty(), "no function {name}");
        self.account()
            .gaps
            .push(gap("lambda", operation, &region, Some(arn), code));
        self
    }

    /// The snapshot, sorted as a collected one is.
    pub fn snapshot(&self) -> Snapshot {
        let mut snapshot = self.snapshot.clone();
        snapshot.normalize();
        snapshot
    }

    /// Runs one check (by slug) with the default configuration.
    pub fn run(&self, slug: &str) -> Vec<Finding> {
        self.run_with(slug, &Config::default())
    }

    /// Runs one check (by slug) with `config`.
    pub fn run_with(&self, slug: &str, config: &Config) -> Vec<Finding> {
        super::run_check_with(&self.snapshot(), slug, config)
    }
}

/// A gap record as the collector writes it.
fn gap(service: &str, operation: &str, region: &str, resource: Option<String>, code: &str) -> Gap {
    Gap {
        account_id: ACCOUNT.into(),
        region: region.into(),
        service: service.into(),
        operation: operation.into(),
        resource,
        error_code: code.into(),
        message: format!(
            "User: arn:aws:iam::{ACCOUNT}:user/auditor is not authorized to perform: {service}:{operation}"
        ),
    }
}

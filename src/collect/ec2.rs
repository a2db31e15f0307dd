//! EC2, per region: the VPC network the functions live in.

use super::{drain, gap};
use crate::snapshot::{
    CAPACITY_PROVIDER_TAG, Collected, Ec2, EniOperator, Gap, NetworkInterface, Route, RouteTable,
    SecurityGroup, SecurityGroupRule, Subnet, Vpc, VpcEndpoint,
};
use aws_sdk_ec2::Client;
use aws_sdk_ec2::types as t;

fn s(v: Option<&str>) -> String {
    v.unwrap_or_default().to_string()
}

impl From<&t::Vpc> for Vpc {
    fn from(v: &t::Vpc) -> Self {
        Vpc {
            vpc_id: s(v.vpc_id()),
            cidr_block: v.cidr_block().map(str::to_string),
            is_default: v.is_default().unwrap_or(false),
        }
    }
}

impl From<&t::Subnet> for Subnet {
    fn from(v: &t::Subnet) -> Self {
        Subnet {
            subnet_id: s(v.subnet_id()),
            vpc_id: s(v.vpc_id()),
            availability_zone: s(v.availability_zone()),
            availability_zone_id: v.availability_zone_id().map(str::to_string),
            cidr_block: v.cidr_block().map(str::to_string),
            available_ip_address_count: v.available_ip_address_count(),
        }
    }
}

impl From<&t::SecurityGroup> for SecurityGroup {
    fn from(v: &t::SecurityGroup) -> Self {
        SecurityGroup {
            group_id: s(v.group_id()),
            group_name: s(v.group_name()),
            vpc_id: v.vpc_id().map(str::to_string),
            ingress: v
                .ip_permissions()
                .iter()
                .map(|p| SecurityGroupRule {
                    ip_protocol: s(p.ip_protocol()),
                    from_port: p.from_port(),
                    to_port: p.to_port(),
                    ipv4_ranges: p
                        .ip_ranges()
                        .iter()
                        .filter_map(|r| r.cidr_ip().map(str::to_string))
                        .collect(),
                    ipv6_ranges: p
                        .ipv6_ranges()
                        .iter()
                        .filter_map(|r| r.cidr_ipv6().map(str::to_string))
                        .collect(),
                    source_groups: p
                        .user_id_group_pairs()
                        .iter()
                        .filter_map(|g| g.group_id().map(str::to_string))
                        .collect(),
                })
                .collect(),
        }
    }
}

impl From<&t::NetworkInterface> for NetworkInterface {
    fn from(v: &t::NetworkInterface) -> Self {
        NetworkInterface {
            network_interface_id: s(v.network_interface_id()),
            interface_type: v.interface_type().map(|x| x.as_str().to_string()),
            requester_managed: v.requester_managed().unwrap_or(false),
            requester_id: v.requester_id().map(str::to_string),
            owner_id: v.owner_id().map(str::to_string),
            status: v
                .status()
                .map(|x| x.as_str().to_string())
                .unwrap_or_default(),
            description: s(v.description()),
            subnet_id: s(v.subnet_id()),
            vpc_id: s(v.vpc_id()),
            security_group_ids: v
                .groups()
                .iter()
                .filter_map(|g| g.group_id().map(str::to_string))
                .collect(),
            private_ip_addresses: v
                .private_ip_addresses()
                .iter()
                .filter_map(|a| a.private_ip_address().map(str::to_string))
                .collect(),
            operator: match v.operator() {
                Some(o) => Collected::Present(EniOperator {
                    managed: o.managed().unwrap_or(false),
                    principal: o.principal().map(str::to_string),
                }),
                None => Collected::Absent,
            },
            instance_id: v
                .attachment()
                .and_then(|a| a.instance_id())
                .map(str::to_string),
            capacity_provider_tag: v
                .tag_set()
                .iter()
                .find(|t| t.key() == Some(CAPACITY_PROVIDER_TAG))
                .and_then(|t| t.value())
                .map(str::to_string),
        }
    }
}

impl From<&t::RouteTable> for RouteTable {
    fn from(v: &t::RouteTable) -> Self {
        RouteTable {
            route_table_id: s(v.route_table_id()),
            vpc_id: s(v.vpc_id()),
            main: v.associations().iter().any(|a| a.main().unwrap_or(false)),
            subnet_ids: v
                .associations()
                .iter()
                .filter_map(|a| a.subnet_id().map(str::to_string))
                .collect(),
            routes: v
                .routes()
                .iter()
                .map(|r| Route {
                    destination: r
                        .destination_cidr_block()
                        .or(r.destination_ipv6_cidr_block())
                        .or(r.destination_prefix_list_id())
                        .unwrap_or_default()
                        .to_string(),
                    target: r
                        .gateway_id()
                        .or(r.nat_gateway_id())
                        .or(r.transit_gateway_id())
                        .or(r.vpc_peering_connection_id())
                        .or(r.egress_only_internet_gateway_id())
                        .or(r.carrier_gateway_id())
                        .or(r.local_gateway_id())
                        .or(r.core_network_arn())
                        .or(r.instance_id())
                        .or(r.network_interface_id())
                        .unwrap_or_default()
                        .to_string(),
                    state: r.state().map(|x| x.as_str().to_string()),
                })
                .collect(),
        }
    }
}

impl From<&t::VpcEndpoint> for VpcEndpoint {
    fn from(v: &t::VpcEndpoint) -> Self {
        VpcEndpoint {
            vpc_endpoint_id: s(v.vpc_endpoint_id()),
            vpc_endpoint_type: v
                .vpc_endpoint_type()
                .map(|x| x.as_str().to_string())
                .unwrap_or_default(),
            service_name: s(v.service_name()),
            vpc_id: s(v.vpc_id()),
            security_group_ids: v
                .groups()
                .iter()
                .filter_map(|g| g.group_id().map(str::to_string))
                .collect(),
            subnet_ids: v.subnet_ids().to_vec(),
            // EC2 sends lower-case states that the SDK's enum does not know: keep the wire text.
            state: v.state().map(|x| x.as_str().to_string()),
            route_table_ids: crate::snapshot::Collected::Present(v.route_table_ids().to_vec()),
        }
    }
}

/// VPCs, subnets, security groups, ENIs, route tables and endpoints of a region (route targets say
/// where a route goes; the checks need nothing more of gateways), read side by side; each failed list is a gap of its own.
pub async fn network_in_region(client: &Client, account_id: &str, region: &str) -> (Ec2, Vec<Gap>) {
    let (vpcs, subnets, sgs, enis, rts, endpoints) = tokio::join!(
        drain(client.describe_vpcs().into_paginator().items().send()),
        drain(client.describe_subnets().into_paginator().items().send()),
        drain(
            client
                .describe_security_groups()
                .into_paginator()
                .items()
                .send()
        ),
        // Managed resources (the instances of Lambda Managed Instances) too, even where the
        // account hides them by default: they are recognised, not missed.
        drain(
            client
                .describe_network_interfaces()
                .include_managed_resources(true)
                .into_paginator()
                .items()
                .send()
        ),
        drain(
            client
                .describe_route_tables()
                .into_paginator()
                .items()
                .send()
        ),
        drain(
            client
                .describe_vpc_endpoints()
                .into_paginator()
                .items()
                .send()
        ),
    );
    let mut gaps = Vec::new();
    let mut note = |op: &str, failure: Option<crate::aws::ApiFailure>| {
        if let Some(f) = failure {
            gaps.push(gap(account_id, region, "ec2", op, None, &f));
        }
    };
    note("DescribeVpcs", vpcs.1);
    note("DescribeSubnets", subnets.1);
    note("DescribeSecurityGroups", sgs.1);
    note("DescribeNetworkInterfaces", enis.1);
    note("DescribeRouteTables", rts.1);
    note("DescribeVpcEndpoints", endpoints.1);
    (
        Ec2 {
            vpcs: vpcs.0.iter().map(Vpc::from).collect(),
            subnets: subnets.0.iter().map(Subnet::from).collect(),
            security_groups: sgs.0.iter().map(SecurityGroup::from).collect(),
            network_interfaces: enis.0.iter().map(NetworkInterface::from).collect(),
            route_tables: rts.0.iter().map(RouteTable::from).collect(),
            vpc_endpoints: endpoints.0.iter().map(VpcEndpoint::from).collect(),
        },
        gaps,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_eni_keeps_its_operator_instance_and_capacity_provider_tag() {
        let eni = t::NetworkInterface::builder()
            .network_interface_id("eni-0mi")
            .interface_type(t::NetworkInterfaceType::Interface)
            .status(t::NetworkInterfaceStatus::InUse)
            .subnet_id("subnet-a")
            .vpc_id("vpc-a")
            .operator(
                t::OperatorResponse::builder()
                    .managed(true)
                    .principal("scaler.lambda.amazonaws.com")
                    .build(),
            )
            .attachment(
                t::NetworkInterfaceAttachment::builder()
                    .instance_id("i-0mi")
                    .device_index(0)
                    .build(),
            )
            .tag_set(t::Tag::builder().key("team").value("payments").build())
            .tag_set(
                t::Tag::builder()
                    .key(CAPACITY_PROVIDER_TAG)
                    .value("lms-ha")
                    .build(),
            )
            .build();
        let got = NetworkInterface::from(&eni);
        assert_eq!(
            got.operator,
            Collected::Present(EniOperator {
                managed: true,
                principal: Some("scaler.lambda.amazonaws.com".into()),
            })
        );
        assert_eq!(got.instance_id.as_deref(), Some("i-0mi"));
        assert_eq!(got.capacity_provider_tag.as_deref(), Some("lms-ha"));
        assert_eq!(got.kind(), crate::snapshot::EniKind::LambdaManagedInstance);

        // No Operator element: EC2 answered, and nothing manages it.
        let plain = NetworkInterface::from(
            &t::NetworkInterface::builder()
                .network_interface_id("eni-0plain")
                .build(),
        );
        assert_eq!(plain.operator, Collected::Absent);
        assert_eq!(
            (plain.instance_id, plain.capacity_provider_tag),
            (None, None)
        );
    }
}

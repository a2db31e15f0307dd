//! The EC2 checks (`src/checks/ec2/`): the ENIs and VPC endpoints Lambda functions use, on the
//! healthy account plus one change, for a clean, a failing and an incomplete-data case each.

use crate::support::healthy::{
    ACCOUNT, ENDPOINT_SG, FUNCTION_SG, PRIVATE_A, PRIVATE_B, REGION, VPC, healthy,
    interface_endpoint, lambda_eni, managed_instance_eni, security_group, subnet, tcp_from,
};
use crate::support::{find, short};
use serde_json::json;
use vpcwarden::finding::Status::{Fail, NotEvaluated, Pass};
use vpcwarden::snapshot::{
    CapacityProvider, Collected, NetworkInterface, PublishedVersion, SecurityGroupRule, VpcConfig,
    VpcEndpoint,
};

const E1: &str = "us-east-1";

mod eni_orphaned {
    use super::*;

    const SLUG: &str = "eni-orphaned";

    /// A Lambda ENI left `available` (not in use) in `subnet-private-b`, made for orders.
    fn available(id: &str) -> NetworkInterface {
        NetworkInterface {
            status: "available".into(),
            ..lambda_eni(id, PRIVATE_B, &[FUNCTION_SG], "orders")
        }
    }

    #[test]
    fn failing_case_flags_unused_and_idle_lambda_enis_only() {
        let findings = healthy()
            .with_function("reports", |f| {
                let v = f.vpc_config.as_mut().expect("vpc");
                v.subnet_ids = vec![PRIVATE_A.into()];
                v.security_group_ids = vec!["sg-reports".into(), "sg-db".into()];
            })
            // A published version keeps its own VPC attachment, and so its pair, in use.
            .edit_function("orders", |f| {
                f.published_versions = vec![PublishedVersion {
                    version: "7".into(),
                    vpc_config: VpcConfig {
                        subnet_ids: vec![PRIVATE_B.into()],
                        security_group_ids: vec!["sg-v7".into()],
                        ..Default::default()
                    },
                }]
            })
            .ec2(REGION, |e| {
                e.network_interfaces.extend([
                    available("eni-02avail"),
                    NetworkInterface {
                        private_ip_addresses: vec!["10.0.1.11".into(), "10.0.1.12".into()],
                        ..lambda_eni("eni-03oldsg", PRIVATE_A, &["sg-old"], "retired-fn")
                    },
                    // Known by its description only; its groups in another order than the
                    // function lists them.
                    NetworkInterface {
                        interface_type: Some("interface".into()),
                        requester_managed: false,
                        ..lambda_eni("eni-04desc", PRIVATE_A, &["sg-db", "sg-reports"], "reports")
                    },
                    lambda_eni("eni-08version", PRIVATE_B, &["sg-v7"], "orders"),
                ])
            })
            .run(SLUG);
        assert_eq!(
            short(&findings),
            [
                (Fail, E1, "eni-02avail"),
                (Fail, E1, "eni-03oldsg"),
                (Pass, E1, "eni-04desc"),
                (Pass, E1, "eni-08version"),
                (Pass, E1, "eni-functions-a"),
                (Pass, E1, "eni-functions-b"),
            ],
            "the NAT gateway's and the endpoint's requester-managed ENIs are not Lambda's"
        );
        assert_eq!(
            findings[3].evidence.to_map()["functions_using_pair"],
            json!(["orders:7"])
        );
        let avail = findings[0].evidence.to_map();
        assert_eq!(avail["reason"], "not_in_use");
        assert_eq!(avail["function_name"], "orders");
        assert_eq!(avail["function_exists"], true);
        let old = findings[1].evidence.to_map();
        assert_eq!(old["reason"], "pair_unused");
        assert_eq!(old["function_name"], "retired-fn");
        assert_eq!(old["function_exists"], false);
        assert_eq!(
            old["private_ip_addresses"],
            json!(["10.0.1.11", "10.0.1.12"])
        );
        assert_eq!(
            &*findings[1].resource_arn,
            "arn:aws:ec2:us-east-1:111111111111:network-interface/eni-03oldsg"
        );
        assert_eq!(&*findings[1].resource_type, "AwsEc2NetworkInterface");
        assert_eq!(
            findings[2].evidence.to_map()["functions_using_pair"],
            json!(["reports"])
        );
        insta::assert_json_snapshot!("eni_orphaned_failing", findings);
    }

    #[test]
    fn clean_case_passes() {
        let findings = healthy().run(SLUG);
        assert_eq!(
            short(&findings),
            [(Pass, E1, "eni-functions-a"), (Pass, E1, "eni-functions-b")]
        );
        assert_eq!(
            findings[0].evidence.to_map()["functions_using_pair"],
            json!(["billing", "orders"])
        );
        insta::assert_json_snapshot!("eni_orphaned_clean", findings);
    }

    #[test]
    fn incomplete_case_never_passes_without_the_function_list() {
        let findings = healthy()
            .gap("ec2", "DescribeNetworkInterfaces", "eu-west-1")
            // us-east-2: the functions are unknown; an available ENI is unused whatever they are.
            .with_region("us-east-2")
            .gap("lambda", "ListFunctions", "us-east-2")
            .ec2("us-east-2", |e| {
                e.network_interfaces.push(available("eni-07avail"))
            })
            // us-west-2: the published versions were not read; a shared VPC's participant ENI.
            .with_region("us-west-2")
            .lambda("us-west-2", |l| l.versions_listed = false)
            .ec2("us-west-2", |e| {
                e.network_interfaces.extend([
                    lambda_eni("eni-09noversions", PRIVATE_A, &["sg-old"], "orders"),
                    NetworkInterface {
                        owner_id: Some("222222222222".into()),
                        ..lambda_eni("eni-10participant", PRIVATE_A, &["sg-x"], "theirs")
                    },
                ])
            })
            .run(SLUG);
        assert_eq!(
            short(&findings),
            [
                (Fail, "us-east-2", "eni-07avail"),
                (NotEvaluated, "eu-west-1", "root"),
                (NotEvaluated, "us-east-2", "eni-functions-a"),
                (NotEvaluated, "us-east-2", "eni-functions-b"),
                (NotEvaluated, "us-west-2", "eni-09noversions"),
                (Pass, E1, "eni-functions-a"),
                (Pass, E1, "eni-functions-b"),
                (Pass, "us-west-2", "eni-functions-a"),
                (Pass, "us-west-2", "eni-functions-b"),
            ],
            "another account's ENI in a shared VPC gets no finding"
        );
        assert_eq!(
            findings[4].evidence.to_map()["reason"],
            "published_versions_not_read"
        );
        assert_eq!(
            findings[0].evidence.to_map()["function_exists"],
            serde_json::Value::Null
        );
        assert_eq!(
            findings[1].evidence.to_map()["gap"]["operation"],
            "DescribeNetworkInterfaces"
        );
        assert_eq!(
            findings[2].evidence.to_map()["gap"]["operation"],
            "ListFunctions"
        );
        insta::assert_json_snapshot!("eni_orphaned_incomplete", findings);
    }
}

/// The interfaces of Lambda Managed Instances (a capacity provider's EC2 instances) next to the
/// healthy account's Hyperplane ENIs: `app-cp` (the healthy provider, in both private subnets with
/// `sg-functions`) has an instance on the functions' own pair, `batch-cp` one in a network of its
/// own, and one instance's ENI looks like a Lambda ENI in every classic way.
fn with_managed_instances() -> crate::support::healthy::Scenario {
    healthy()
        .lambda(REGION, |l| {
            if let Collected::Present(providers) = &mut l.capacity_providers {
                providers.push(CapacityProvider {
                    arn: format!("arn:aws:lambda:{REGION}:{ACCOUNT}:capacity-provider:batch-cp"),
                    state: Some("Active".into()),
                    vpc_config: VpcConfig {
                        subnet_ids: vec![PRIVATE_B.into()],
                        security_group_ids: vec!["sg-batch".into()],
                        ..Default::default()
                    },
                    ..Default::default()
                });
            }
        })
        .ec2(REGION, |e| {
            e.network_interfaces.extend([
                // On the very pair the functions' Hyperplane ENIs serve; told by the network.
                managed_instance_eni("eni-20mi", PRIVATE_A, &[FUNCTION_SG], "i-0app1"),
                // Left available (its instance is gone), on a pair no function uses, and Lambda's
                // type and description: still an instance's ENI, named by its tag.
                NetworkInterface {
                    status: "available".into(),
                    interface_type: Some("lambda".into()),
                    description: "AWS Lambda VPC ENI-ghost-cf215f03-44ab-4b00-a12e-00924c61d333"
                        .into(),
                    requester_managed: true,
                    instance_id: None,
                    capacity_provider_tag: Some(format!(
                        "arn:aws:lambda:{REGION}:{ACCOUNT}:capacity-provider:batch-cp"
                    )),
                    ..managed_instance_eni("eni-21mi", PRIVATE_B, &["sg-batch"], "i-0gone")
                },
                // No operator (as a service that sets none would answer), but Lambda's tag.
                NetworkInterface {
                    operator: Collected::Absent,
                    capacity_provider_tag: Some("app-cp".into()),
                    ..managed_instance_eni("eni-22mi", PRIVATE_B, &[FUNCTION_SG], "i-0app2")
                },
                // Nothing tells its provider: no tag, and no provider has its subnet with
                // exactly its groups.
                managed_instance_eni("eni-23mi", PRIVATE_A, &["sg-other"], "i-0what"),
            ])
        })
}

mod managed_instances {
    use super::*;
    use vpcwarden::snapshot::ProviderSource;

    #[test]
    fn their_enis_are_never_orphaned_lambda_enis_and_classic_verdicts_stay() {
        let findings = with_managed_instances()
            .ec2(REGION, |e| {
                e.network_interfaces.extend([
                    // The classic cases next to them keep their verdicts.
                    NetworkInterface {
                        status: "available".into(),
                        ..lambda_eni("eni-02avail", PRIVATE_B, &[FUNCTION_SG], "orders")
                    },
                    lambda_eni("eni-03oldsg", PRIVATE_A, &["sg-old"], "retired-fn"),
                ])
            })
            .run("eni-orphaned");
        assert_eq!(
            short(&findings),
            [
                (Fail, E1, "eni-02avail"),
                (Fail, E1, "eni-03oldsg"),
                (Pass, E1, "eni-functions-a"),
                (Pass, E1, "eni-functions-b"),
            ],
            "a managed instance's ENI, in use or available, gets no finding"
        );
        assert_eq!(findings[0].evidence.to_map()["reason"], "not_in_use");
        assert_eq!(findings[1].evidence.to_map()["reason"], "pair_unused");
        // On the shared pair, the Hyperplane ENI still lists the functions, not the instance.
        assert_eq!(
            find(&findings, "eni-functions-a").evidence.to_map()["functions_using_pair"],
            json!(["billing", "orders"])
        );
    }

    #[test]
    fn an_older_snapshot_without_the_operator_judges_lambda_enis_as_before() {
        // A snapshot written before the operator was collected: its Lambda ENIs are known by type
        // and description, as that build knew them.
        let findings = healthy()
            .ec2(REGION, |e| {
                e.network_interfaces.push(NetworkInterface {
                    operator: Collected::NotCollected,
                    ..lambda_eni("eni-03oldsg", PRIVATE_A, &["sg-old"], "retired-fn")
                })
            })
            .run("eni-orphaned");
        assert_eq!(find(&findings, "eni-03oldsg").status, Fail);
    }

    #[test]
    fn the_inventory_shows_them_by_capacity_provider_and_never_as_lambda_enis() {
        let snapshot = with_managed_instances().snapshot();
        let inventory = vpcwarden::inventory::enis(&snapshot);
        assert_eq!(inventory.exit(), vpcwarden::exit::Exit::Clean);
        let region = &inventory.accounts[0].regions[0];
        // The pairs' Lambda ENIs and the unused ones are Hyperplane ENIs only.
        let pair_enis: Vec<&str> = region
            .pairs
            .iter()
            .flat_map(|p| p.enis.iter().map(|e| e.network_interface_id.as_str()))
            .collect();
        assert_eq!(pair_enis, ["eni-functions-a", "eni-functions-b"]);
        assert!(region.unused_enis.is_empty(), "{:?}", region.unused_enis);
        let managed: Vec<_> = region
            .managed_instance_enis
            .iter()
            .map(|e| {
                (
                    e.network_interface_id.as_str(),
                    e.status.as_str(),
                    e.instance_id.as_deref(),
                    e.capacity_provider.as_deref(),
                    e.capacity_provider_source,
                )
            })
            .collect();
        assert_eq!(
            managed,
            [
                (
                    "eni-20mi",
                    "in-use",
                    Some("i-0app1"),
                    Some("app-cp"),
                    Some(ProviderSource::Network)
                ),
                (
                    "eni-21mi",
                    "available",
                    None,
                    Some("batch-cp"),
                    Some(ProviderSource::Tag)
                ),
                (
                    "eni-22mi",
                    "in-use",
                    Some("i-0app2"),
                    Some("app-cp"),
                    Some(ProviderSource::Tag)
                ),
                ("eni-23mi", "in-use", Some("i-0what"), None, None),
            ]
        );
        // A tag with a name gets the collected provider's ARN, and the other way round.
        let arn = |n: &str| format!("arn:aws:lambda:{REGION}:{ACCOUNT}:capacity-provider:{n}");
        assert_eq!(
            region.managed_instance_enis[2].capacity_provider_arn,
            Some(arn("app-cp"))
        );
        assert_eq!(
            region.managed_instance_enis[1].capacity_provider_arn,
            Some(arn("batch-cp"))
        );
        // JSON and table say the same.
        let json: serde_json::Value =
            serde_json::from_str(&vpcwarden::render::inventory::json(&inventory)).expect("json");
        let first = &json["accounts"][0]["regions"][0]["managed_instance_enis"][0];
        assert_eq!(first["capacity_provider"], "app-cp");
        assert_eq!(first["capacity_provider_source"], "network");
        assert_eq!(first["instance_id"], "i-0app1");
        let table = vpcwarden::render::inventory::table(&inventory);
        assert!(
            table.contains(
                "Managed instance ENI of capacity provider app-cp (by network): eni-20mi in-use (1 IP), on i-0app1, in subnet-private-a [sg-functions]"
            ),
            "{table}"
        );
        assert!(
            table.contains("Managed instance ENI of capacity provider not told: eni-23mi"),
            "{table}"
        );
        assert!(
            table.contains(
                "capacity provider batch-cp (by tag): eni-21mi available (1 IP), not attached,"
            ),
            "{table}"
        );
        assert!(!table.contains("Lambda ENI no function uses"), "{table}");
    }
}

mod vpc_endpoint_sg_open {
    use super::*;

    const SLUG: &str = "vpc-endpoint-sg-open";

    /// An endpoint of `vpc-app` for `service` behind these groups.
    fn endpoint(id: &str, service: &str, groups: &[&str]) -> VpcEndpoint {
        interface_endpoint(id, service, groups)
    }

    #[test]
    fn failing_case_flags_https_or_all_traffic_from_anywhere() {
        let findings = healthy()
            // A function in another VPC: its group is no narrower source for vpc-app's endpoints.
            .ec2(REGION, |e| {
                e.subnets
                    .push(subnet("subnet-other", "vpc-other", "us-east-1a"))
            })
            .with_function("other-vpc", |f| {
                let v = f.vpc_config.as_mut().expect("vpc");
                v.subnet_ids = vec!["subnet-other".into()];
                v.security_group_ids = vec!["sg-other".into()];
            })
            .ec2(REGION, |e| {
                e.security_groups.extend([
                    security_group("sg-open", vec![tcp_from(443, 443, &["0.0.0.0/0"])]),
                    security_group(
                        "sg-v6all",
                        vec![SecurityGroupRule {
                            ip_protocol: "-1".into(),
                            ipv6_ranges: vec!["::/0".into()],
                            ..Default::default()
                        }],
                    ),
                    security_group(
                        "sg-range",
                        vec![tcp_from(0, 65535, &["0.0.0.0/0", "10.0.0.0/16"])],
                    ),
                    security_group(
                        "sg-http",
                        vec![
                            tcp_from(80, 80, &["0.0.0.0/0"]),
                            SecurityGroupRule {
                                ip_protocol: "udp".into(),
                                ..tcp_from(443, 443, &["0.0.0.0/0"])
                            },
                        ],
                    ),
                ]);
                e.vpc_endpoints.extend([
                    endpoint("vpce-01open", "lambda", &["sg-open"]),
                    endpoint("vpce-02v6all", "secretsmanager", &["sg-v6all"]),
                    endpoint("vpce-03range", "sqs", &[ENDPOINT_SG, "sg-range"]),
                    endpoint("vpce-05http", "logs", &["sg-http"]),
                    VpcEndpoint {
                        vpc_endpoint_type: "Gateway".into(),
                        security_group_ids: vec![],
                        subnet_ids: vec![],
                        route_table_ids: Collected::Present(vec!["rtb-private".into()]),
                        ..endpoint("vpce-06gateway", "s3", &[])
                    },
                    VpcEndpoint {
                        state: Some("deleted".into()),
                        ..endpoint("vpce-07deleted", "kms", &["sg-open"])
                    },
                ]);
            })
            .run(SLUG);
        assert_eq!(
            short(&findings),
            [
                (Fail, E1, "vpce-01open"),
                (Fail, E1, "vpce-02v6all"),
                (Fail, E1, "vpce-03range"),
                (Pass, E1, "vpce-05http"),
                (Pass, E1, "vpce-lambda"),
            ],
            "gateway and deleted endpoints get no finding"
        );
        let open = findings[0].evidence.to_map();
        assert_eq!(open["open_rules"][0]["group_id"], "sg-open");
        assert_eq!(open["open_rules"][0]["source"], "0.0.0.0/0");
        assert_eq!(
            open["narrower_sources"],
            json!({"function_security_groups": [FUNCTION_SG], "vpc_cidr": "10.0.0.0/16"})
        );
        assert_eq!(
            findings[1].evidence.to_map()["open_rules"][0]["source"],
            "::/0"
        );
        assert_eq!(
            findings[2].evidence.to_map()["open_rules"]
                .as_array()
                .map(Vec::len),
            Some(1),
            "only the open source of the range rule is cited"
        );
        assert_eq!(
            &*findings[0].resource_arn,
            "arn:aws:ec2:us-east-1:111111111111:vpc-endpoint/vpce-01open"
        );
        insta::assert_json_snapshot!("vpc_endpoint_sg_open_failing", findings);
    }

    #[test]
    fn clean_case_passes() {
        let findings = healthy().run(SLUG);
        assert_eq!(short(&findings), [(Pass, E1, "vpce-lambda")]);
        assert_eq!(findings[0].evidence.to_map()["vpc_id"], VPC);
        insta::assert_json_snapshot!("vpc_endpoint_sg_open_clean", findings);
    }

    #[test]
    fn incomplete_case_is_not_evaluated_but_a_known_open_group_still_fails() {
        let findings = healthy()
            .gap("ec2", "DescribeVpcEndpoints", "eu-west-1")
            .with_region("us-east-2")
            .gap("ec2", "DescribeSecurityGroups", "us-east-2")
            .ec2(REGION, |e| {
                e.security_groups.push(security_group(
                    "sg-open",
                    vec![tcp_from(443, 443, &["0.0.0.0/0"])],
                ));
                e.vpc_endpoints.extend([
                    endpoint("vpce-09missing", "lambda", &["sg-gone"]),
                    endpoint("vpce-10missing-open", "lambda", &["sg-gone", "sg-open"]),
                ]);
            })
            .run(SLUG);
        assert_eq!(
            short(&findings),
            [
                (Fail, E1, "vpce-10missing-open"),
                (NotEvaluated, "eu-west-1", "root"),
                (NotEvaluated, E1, "vpce-09missing"),
                (NotEvaluated, "us-east-2", "vpce-lambda"),
                (Pass, E1, "vpce-lambda"),
            ]
        );
        assert_eq!(
            findings[2].evidence.to_map()["reason"],
            "security_group_not_collected"
        );
        assert_eq!(
            find(&findings, "vpce-09missing").evidence.to_map()["security_groups_not_found"],
            json!(["sg-gone"])
        );
        assert_eq!(
            findings[3].evidence.to_map()["gap"]["operation"],
            "DescribeSecurityGroups"
        );
        insta::assert_json_snapshot!("vpc_endpoint_sg_open_incomplete", findings);
    }
}

//! The network placement and ENI checks on scenario snapshots: clean, failing and incomplete cases.

use crate::support::{run_check, run_check_with, scenario, short};
use vpcwarden::finding::Status::{Fail, NotEvaluated, Pass};

const E1: &str = "us-east-1";

mod function_single_az {
    use super::*;
    use vpcwarden::config::Config;

    #[test]
    fn failing_case_flags_functions_in_one_zone() {
        let findings = run_check(&scenario("function-single-az"), "function-single-az");
        assert_eq!(
            short(&findings),
            [
                (Fail, E1, "one-az"),
                (Fail, E1, "same-az-twice"),
                (Pass, E1, "three-azs"),
                (Pass, E1, "two-azs"),
            ],
            "a function outside a VPC gets no finding"
        );
        assert_eq!(
            findings[1].evidence["availability_zones"],
            serde_json::json!(["us-east-1a"])
        );
        assert_eq!(
            findings[1].evidence["subnets"][1]["subnet_id"],
            "subnet-pub"
        );
        assert!(findings.iter().all(|f| f.compliance == ["Lambda.5"]));
        insta::assert_json_snapshot!("function_single_az_failing", findings);
    }

    #[test]
    fn min_azs_comes_from_the_config() {
        let config = Config {
            min_azs: 3,
            ..Config::default()
        };
        let findings = run_check_with(
            &scenario("function-single-az"),
            "function-single-az",
            &config,
        );
        assert_eq!(
            short(&findings),
            [
                (Fail, E1, "one-az"),
                (Fail, E1, "same-az-twice"),
                (Fail, E1, "two-azs"),
                (Pass, E1, "three-azs"),
            ]
        );
        assert_eq!(findings[2].evidence["min_azs"], 3);
    }

    #[test]
    fn clean_case_passes() {
        let findings = run_check(&scenario("function-single-az-clean"), "function-single-az");
        assert_eq!(short(&findings), [(Pass, E1, "two-azs")]);
        insta::assert_json_snapshot!("function_single_az_clean", findings);
    }

    #[test]
    fn incomplete_case_is_not_evaluated_unless_the_known_subnets_suffice() {
        let findings = run_check(
            &scenario("function-single-az-incomplete"),
            "function-single-az",
        );
        assert_eq!(
            short(&findings),
            [
                (NotEvaluated, "eu-west-1", "billing"),
                (NotEvaluated, "eu-west-2", "root"),
                (NotEvaluated, E1, "one-known-az"),
                (Pass, E1, "two-known-azs"),
            ]
        );
        assert_eq!(findings[0].evidence["gap"]["operation"], "DescribeSubnets");
        assert_eq!(findings[1].evidence["gap"]["operation"], "ListFunctions");
        assert_eq!(findings[2].evidence["reason"], "subnet_not_collected");
        assert_eq!(
            findings[2].evidence["subnets_not_found"],
            serde_json::json!(["subnet-gone"])
        );
        insta::assert_json_snapshot!("function_single_az_incomplete", findings);
    }
}

mod function_public_subnet {
    use super::*;

    #[test]
    fn failing_case_flags_explicit_main_table_and_ipv6_routes_to_an_igw() {
        let findings = run_check(
            &scenario("function-public-subnet"),
            "function-public-subnet",
        );
        assert_eq!(
            short(&findings),
            [
                (Fail, E1, "in-public"),
                (Fail, E1, "ipv6-public"),
                (Fail, E1, "legacy"),
                (Pass, E1, "main-private"),
                (Pass, E1, "private"),
            ]
        );
        let public = &findings[0].evidence["public_subnets"];
        assert_eq!(public.as_array().map(Vec::len), Some(1));
        assert_eq!(public[0]["subnet_id"], "subnet-pub");
        assert_eq!(public[0]["route_table_id"], "rtb-igw");
        assert_eq!(public[0]["route_table_source"], "explicit");
        assert_eq!(public[0]["target"], "igw-a");
        // The blackholed IPv4 route of rtb-v6 does not count; its ::/0 route does.
        assert_eq!(
            findings[1].evidence["public_subnets"][0]["destination"],
            "::/0"
        );
        let legacy = &findings[2].evidence["public_subnets"];
        assert_eq!(legacy[0]["route_table_source"], "main");
        assert_eq!(legacy[1]["route_table_id"], "rtb-main-b");
        insta::assert_json_snapshot!("function_public_subnet_failing", findings);
    }

    #[test]
    fn clean_case_passes() {
        let findings = run_check(
            &scenario("function-public-subnet-clean"),
            "function-public-subnet",
        );
        assert_eq!(
            short(&findings),
            [(Pass, E1, "main-private"), (Pass, E1, "private")]
        );
        insta::assert_json_snapshot!("function_public_subnet_clean", findings);
    }

    #[test]
    fn incomplete_case_is_not_evaluated_but_a_known_public_subnet_still_fails() {
        let findings = run_check(
            &scenario("function-public-subnet-incomplete"),
            "function-public-subnet",
        );
        assert_eq!(
            short(&findings),
            [
                (Fail, E1, "public-and-unknown"),
                (NotEvaluated, "eu-west-1", "billing"),
                (NotEvaluated, E1, "unknown-vpc"),
                (Pass, E1, "vpc-known-from-sibling"),
            ]
        );
        assert_eq!(
            findings[1].evidence["gap"]["operation"],
            "DescribeRouteTables"
        );
        assert_eq!(findings[2].evidence["reason"], "route_table_unknown");
        assert_eq!(
            findings[3].evidence["subnets"][1]["route_table_source"],
            "main"
        );
        assert_eq!(
            findings[3].evidence["subnets"][1]["route_table_id"],
            "rtb-main-a"
        );
        insta::assert_json_snapshot!("function_public_subnet_incomplete", findings);
    }
}

mod function_no_egress {
    use super::*;

    #[test]
    fn failing_case_flags_functions_with_no_way_out() {
        let findings = run_check(&scenario("function-no-egress"), "function-no-egress");
        assert_eq!(
            short(&findings),
            [
                (Fail, E1, "blackhole"),
                (Fail, E1, "igw-only"),
                (Fail, E1, "isolated"),
                (Pass, E1, "endpoints-only"),
                (Pass, E1, "ipv6-egress"),
                (Pass, E1, "nat"),
                (Pass, E1, "nat-on-one-subnet"),
                (Pass, E1, "transit"),
            ]
        );
        assert!(
            findings
                .iter()
                .all(|f| f.severity.as_str() == "informational")
        );
        // The deleted endpoint of vpc-c carries nothing.
        assert_eq!(findings[2].evidence["vpc_id"], "vpc-c");
        let services = &findings[3].evidence["reachable_services"];
        assert_eq!(
            services[0]["service_name"],
            "com.amazonaws.us-east-1.lambda"
        );
        assert_eq!(services[1]["service_name"], "com.amazonaws.us-east-1.s3");
        assert_eq!(findings[3].evidence["internet_route"], false);
        assert_eq!(
            findings[4].evidence["egress_routes"][0]["target_kind"],
            "egress_only_internet_gateway"
        );
        assert_eq!(
            findings[7].evidence["egress_routes"][0]["target_kind"],
            "transit_gateway"
        );
        insta::assert_json_snapshot!("function_no_egress_failing", findings);
    }

    #[test]
    fn clean_case_passes() {
        let findings = run_check(&scenario("function-no-egress-clean"), "function-no-egress");
        assert_eq!(
            short(&findings),
            [
                (Pass, E1, "endpoints-only"),
                (Pass, E1, "nat"),
                (Pass, E1, "transit"),
            ]
        );
        insta::assert_json_snapshot!("function_no_egress_clean", findings);
    }

    #[test]
    fn incomplete_case_is_not_evaluated_only_where_the_answer_depends_on_the_gap() {
        let findings = run_check(
            &scenario("function-no-egress-incomplete"),
            "function-no-egress",
        );
        assert_eq!(
            short(&findings),
            [
                (NotEvaluated, "eu-west-1", "eu-isolated"),
                (NotEvaluated, "eu-west-2", "routes-denied"),
                (NotEvaluated, E1, "unknown-vpc"),
                (Pass, "eu-west-1", "eu-nat"),
                (Pass, E1, "nat-and-unknown"),
            ]
        );
        assert_eq!(
            findings[0].evidence["gap"]["operation"],
            "DescribeVpcEndpoints"
        );
        assert_eq!(
            findings[1].evidence["gap"]["error_code"],
            "RequestLimitExceeded"
        );
        insta::assert_json_snapshot!("function_no_egress_incomplete", findings);
    }
}

mod eni_orphaned {
    use super::*;

    #[test]
    fn failing_case_flags_unused_and_idle_lambda_enis_only() {
        let findings = run_check(&scenario("eni-orphaned"), "eni-orphaned");
        assert_eq!(
            short(&findings),
            [
                (Fail, E1, "eni-02avail"),
                (Fail, E1, "eni-03oldsg"),
                (Pass, E1, "eni-01inuse"),
                (Pass, E1, "eni-04desc"),
                (Pass, E1, "eni-08version"),
            ],
            "the NAT gateway's and the endpoint's requester-managed ENIs are not Lambda's"
        );
        // A published version's own VPC attachment keeps its pair in use.
        assert_eq!(
            findings[4].evidence["functions_using_pair"],
            serde_json::json!(["orders:7"])
        );
        assert_eq!(findings[1].evidence["reason"], "pair_unused");
        let avail = &findings[0].evidence;
        assert_eq!(avail["reason"], "not_in_use");
        assert_eq!(avail["function_name"], "orders");
        assert_eq!(avail["function_exists"], true);
        let old = &findings[1].evidence;
        assert_eq!(old["reason"], "pair_unused");
        assert_eq!(old["function_name"], "retired-fn");
        assert_eq!(old["function_exists"], false);
        assert_eq!(
            old["private_ip_addresses"],
            serde_json::json!(["10.0.1.11", "10.0.1.12"])
        );
        assert_eq!(
            findings[1].resource_arn,
            "arn:aws:ec2:us-east-1:111111111111:network-interface/eni-03oldsg"
        );
        assert_eq!(findings[1].resource_type, "AwsEc2NetworkInterface");
        // Description-only ENI, groups in another order than the function lists them.
        assert_eq!(
            findings[3].evidence["functions_using_pair"],
            serde_json::json!(["billing"])
        );
        insta::assert_json_snapshot!("eni_orphaned_failing", findings);
    }

    #[test]
    fn clean_case_passes() {
        let findings = run_check(&scenario("eni-orphaned-clean"), "eni-orphaned");
        assert_eq!(
            short(&findings),
            [(Pass, E1, "eni-01inuse"), (Pass, E1, "eni-05inuse")]
        );
        insta::assert_json_snapshot!("eni_orphaned_clean", findings);
    }

    #[test]
    fn incomplete_case_never_passes_without_the_function_list() {
        let findings = run_check(&scenario("eni-orphaned-incomplete"), "eni-orphaned");
        assert_eq!(
            short(&findings),
            [
                // An available ENI is unused whatever the functions are.
                (Fail, "us-east-2", "eni-07avail"),
                (NotEvaluated, "eu-west-1", "root"),
                (NotEvaluated, "us-east-2", "eni-06inuse"),
                (NotEvaluated, "us-west-2", "eni-09noversions"),
            ],
            "another account's ENI in a shared VPC gets no finding"
        );
        assert_eq!(
            findings[3].evidence["reason"],
            "published_versions_not_read"
        );
        assert_eq!(
            findings[0].evidence["function_exists"],
            serde_json::Value::Null
        );
        assert_eq!(
            findings[1].evidence["gap"]["operation"],
            "DescribeNetworkInterfaces"
        );
        assert_eq!(findings[2].evidence["gap"]["operation"], "ListFunctions");
        insta::assert_json_snapshot!("eni_orphaned_incomplete", findings);
    }
}

mod vpc_endpoint_sg_open {
    use super::*;

    #[test]
    fn failing_case_flags_https_or_all_traffic_from_anywhere() {
        let findings = run_check(&scenario("vpc-endpoint-sg-open"), "vpc-endpoint-sg-open");
        assert_eq!(
            short(&findings),
            [
                (Fail, E1, "vpce-01open"),
                (Fail, E1, "vpce-02v6all"),
                (Fail, E1, "vpce-03range"),
                (Pass, E1, "vpce-04narrow"),
                (Pass, E1, "vpce-05http"),
            ],
            "gateway and deleted endpoints get no finding"
        );
        let open = &findings[0].evidence;
        assert_eq!(open["open_rules"][0]["group_id"], "sg-open");
        assert_eq!(open["open_rules"][0]["source"], "0.0.0.0/0");
        assert_eq!(
            open["narrower_sources"],
            serde_json::json!({"function_security_groups": ["sg-fn"], "vpc_cidr": "10.0.0.0/16"})
        );
        assert_eq!(findings[1].evidence["open_rules"][0]["source"], "::/0");
        assert_eq!(
            findings[2].evidence["open_rules"].as_array().map(Vec::len),
            Some(1),
            "only the open source of the range rule is cited"
        );
        assert_eq!(
            findings[0].resource_arn,
            "arn:aws:ec2:us-east-1:111111111111:vpc-endpoint/vpce-01open"
        );
        insta::assert_json_snapshot!("vpc_endpoint_sg_open_failing", findings);
    }

    #[test]
    fn clean_case_passes() {
        let findings = run_check(
            &scenario("vpc-endpoint-sg-open-clean"),
            "vpc-endpoint-sg-open",
        );
        assert_eq!(short(&findings), [(Pass, E1, "vpce-04narrow")]);
        insta::assert_json_snapshot!("vpc_endpoint_sg_open_clean", findings);
    }

    #[test]
    fn incomplete_case_is_not_evaluated_but_a_known_open_group_still_fails() {
        let findings = run_check(
            &scenario("vpc-endpoint-sg-open-incomplete"),
            "vpc-endpoint-sg-open",
        );
        assert_eq!(
            short(&findings),
            [
                (Fail, E1, "vpce-10missing-open"),
                (NotEvaluated, "eu-west-1", "root"),
                (NotEvaluated, E1, "vpce-09missing"),
                (NotEvaluated, "us-east-2", "vpce-08nosgs"),
            ]
        );
        assert_eq!(
            findings[2].evidence["reason"],
            "security_group_not_collected"
        );
        assert_eq!(
            findings[3].evidence["gap"]["operation"],
            "DescribeSecurityGroups"
        );
        insta::assert_json_snapshot!("vpc_endpoint_sg_open_incomplete", findings);
    }
}

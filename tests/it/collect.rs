//! Collector tests on canned API pages (aws-smithy-mocks): paging, throttling then success,
//! AccessDenied → gap, "not found" as a normal answer, and call counts.

use aws_sdk_lambda::config::retry::RetryConfig;
use aws_smithy_mocks::{RuleMode, mock, mock_client};
use aws_smithy_types::error::ErrorMetadata;
use std::time::Duration;
use vpcwarden::collect;
use vpcwarden::snapshot::{Collected, Organizations};

const ACCOUNT: &str = "111111111111";

fn fn_arn(name: &str) -> String {
    format!("arn:aws:lambda:us-east-1:{ACCOUNT}:function:{name}")
}

/// Standard retries with no back-off: retries happen, tests do not sleep.
fn fast_retries(attempts: u32) -> RetryConfig {
    RetryConfig::standard()
        .with_max_attempts(attempts)
        .with_initial_backoff(Duration::ZERO)
        .with_max_backoff(Duration::ZERO)
}

mod lambda {
    use super::*;
    use aws_sdk_lambda::Client;
    use aws_sdk_lambda::operation::get_function_url_config::{
        GetFunctionUrlConfigError, GetFunctionUrlConfigOutput,
    };
    use aws_sdk_lambda::operation::get_policy::{GetPolicyError, GetPolicyOutput};
    use aws_sdk_lambda::operation::list_aliases::ListAliasesOutput;
    use aws_sdk_lambda::operation::list_capacity_providers::ListCapacityProvidersOutput;
    use aws_sdk_lambda::operation::list_event_source_mappings::{
        ListEventSourceMappingsError, ListEventSourceMappingsOutput,
    };
    use aws_sdk_lambda::operation::list_functions::{ListFunctionsError, ListFunctionsOutput};
    use aws_sdk_lambda::types::error::{ResourceNotFoundException, TooManyRequestsException};
    use aws_sdk_lambda::types::{
        Cors, EventSourceMappingConfiguration, FunctionConfiguration, FunctionUrlAuthType,
        VpcConfigResponse,
    };

    fn function_builder(
        name: &str,
    ) -> aws_sdk_lambda::types::builders::FunctionConfigurationBuilder {
        FunctionConfiguration::builder()
            .function_name(name)
            .function_arn(fn_arn(name))
            .role(format!("arn:aws:iam::{ACCOUNT}:role/r"))
    }

    fn function(name: &str) -> FunctionConfiguration {
        function_builder(name).build()
    }

    fn not_found_policy() -> GetPolicyError {
        GetPolicyError::ResourceNotFoundException(
            ResourceNotFoundException::builder()
                .meta(
                    ErrorMetadata::builder()
                        .code("ResourceNotFoundException")
                        .build(),
                )
                .build(),
        )
    }

    fn not_found_url() -> GetFunctionUrlConfigError {
        GetFunctionUrlConfigError::ResourceNotFoundException(
            ResourceNotFoundException::builder()
                .meta(
                    ErrorMetadata::builder()
                        .code("ResourceNotFoundException")
                        .build(),
                )
                .build(),
        )
    }

    fn empty_mappings() -> ListEventSourceMappingsOutput {
        ListEventSourceMappingsOutput::builder().build()
    }

    fn empty_providers() -> ListCapacityProvidersOutput {
        ListCapacityProvidersOutput::builder()
            .set_capacity_providers(Some(vec![]))
            .build()
            .expect("complete")
    }

    #[tokio::test]
    async fn pages_policies_urls_and_a_denied_policy_become_data_and_one_gap() {
        let page1 = mock!(Client::list_functions)
            .match_requests(|r| r.marker().is_none())
            .then_output(|| {
                ListFunctionsOutput::builder()
                    .functions(function("a"))
                    .functions(
                        function_builder("b")
                            .vpc_config(
                                VpcConfigResponse::builder()
                                    .subnet_ids("subnet-2")
                                    .subnet_ids("subnet-1")
                                    .security_group_ids("sg-1")
                                    .vpc_id("")
                                    .build(),
                            )
                            .build(),
                    )
                    .next_marker("m1")
                    .build()
            });
        let page2 = mock!(Client::list_functions)
            .match_requests(|r| r.marker() == Some("m1"))
            .then_output(|| {
                ListFunctionsOutput::builder()
                    .functions(function("c"))
                    .next_marker("m2")
                    .build()
            });
        let page3 = mock!(Client::list_functions)
            .match_requests(|r| r.marker() == Some("m2"))
            .then_output(|| {
                // Lambda returns an empty VpcConfig for functions outside a VPC.
                ListFunctionsOutput::builder()
                    .functions(
                        function_builder("d")
                            .vpc_config(VpcConfigResponse::builder().build())
                            .build(),
                    )
                    .build()
            });
        let policy_a = mock!(Client::get_policy)
            .match_requests(|r| r.function_name() == Some(fn_arn("a").as_str()))
            .then_output(|| {
                GetPolicyOutput::builder()
                    .policy(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunction","Resource":"*"}]}"#)
                    .build()
            });
        let policy_b = mock!(Client::get_policy)
            .match_requests(|r| r.function_name() == Some(fn_arn("b").as_str()))
            .then_error(not_found_policy);
        let policy_c = mock!(Client::get_policy)
            .match_requests(|r| r.function_name() == Some(fn_arn("c").as_str()))
            .then_error(|| {
                GetPolicyError::generic(
                    ErrorMetadata::builder()
                        .code("AccessDeniedException")
                        .message("not authorized to perform: lambda:GetPolicy")
                        .build(),
                )
            });
        let policy_d = mock!(Client::get_policy)
            .match_requests(|r| r.function_name() == Some(fn_arn("d").as_str()))
            .then_output(|| GetPolicyOutput::builder().policy("not json").build());
        let url_a = mock!(Client::get_function_url_config)
            .match_requests(|r| r.function_name() == Some(fn_arn("a").as_str()))
            .then_output(|| {
                GetFunctionUrlConfigOutput::builder()
                    .function_url("https://a.lambda-url.us-east-1.on.aws/")
                    .function_arn(fn_arn("a"))
                    .auth_type(FunctionUrlAuthType::None)
                    .cors(Cors::builder().allow_origins("*").build())
                    .creation_time("2026-01-01T00:00:00Z")
                    .last_modified_time("2026-01-01T00:00:00Z")
                    .build()
                    .expect("complete")
            });
        let url_other = mock!(Client::get_function_url_config).then_error(not_found_url);
        let mappings = mock!(Client::list_event_source_mappings).then_output(|| {
            ListEventSourceMappingsOutput::builder()
                .event_source_mappings(
                    EventSourceMappingConfiguration::builder()
                        .uuid("u-1")
                        .event_source_arn(format!("arn:aws:sqs:us-east-1:{ACCOUNT}:q"))
                        .function_arn(fn_arn("c"))
                        .state("Enabled")
                        .build(),
                )
                .build()
        });
        let providers = mock!(Client::list_capacity_providers).then_output(empty_providers);
        let aliases =
            mock!(Client::list_aliases).then_output(|| ListAliasesOutput::builder().build());
        let client = mock_client!(
            aws_sdk_lambda,
            RuleMode::MatchAny,
            [
                &page1, &page2, &page3, &policy_a, &policy_b, &policy_c, &policy_d, &url_a,
                &url_other, &mappings, &providers, &aliases
            ],
            |b| b.retry_config(fast_retries(1))
        );
        let (lambda, gaps) = collect::functions_in_region(
            &client,
            &client,
            ACCOUNT,
            "us-east-1",
            2,
            collect::Plan::ALL,
        )
        .await;

        assert_eq!(
            (page1.num_calls(), page2.num_calls(), page3.num_calls()),
            (1, 1, 1)
        );
        assert_eq!(
            policy_a.num_calls()
                + policy_b.num_calls()
                + policy_c.num_calls()
                + policy_d.num_calls(),
            4,
            "one GetPolicy per function"
        );
        assert_eq!(
            url_a.num_calls() + url_other.num_calls(),
            4,
            "one URL call per function"
        );
        assert_eq!(mappings.num_calls(), 1);

        let mut names: Vec<_> = lambda.functions.iter().map(|f| f.name.as_str()).collect();
        names.sort();
        assert_eq!(names, ["a", "b", "c", "d"]);
        let get = |n: &str| {
            lambda
                .functions
                .iter()
                .find(|f| f.name == n)
                .expect("function")
        };
        assert_eq!(
            get("a").resource_policy.present().expect("policy")["Statement"][0]["Principal"],
            "*"
        );
        let url = get("a").url_config.present().expect("url");
        assert_eq!(
            (url.auth_type.as_str(), url.cors_allow_origins.as_slice()),
            ("NONE", &["*".to_string()][..])
        );
        assert_eq!(
            get("b").resource_policy,
            Collected::Absent,
            "no policy is a normal answer"
        );
        assert_eq!(get("b").url_config, Collected::Absent);
        let vpc = get("b").vpc_config.as_ref().expect("in a VPC");
        assert_eq!(vpc.vpc_id, None, "an empty VpcId is not kept");
        assert_eq!(get("c").resource_policy, Collected::NotCollected);
        assert_eq!(get("d").vpc_config, None, "an empty VpcConfig means no VPC");
        assert_eq!(
            get("d").resource_policy,
            Collected::Present(serde_json::Value::String("not json".into())),
            "a malformed document is kept for the policy engine to report"
        );
        assert_eq!(lambda.event_source_mappings.len(), 1);

        assert_eq!(gaps.len(), 1, "{gaps:?}");
        let g = &gaps[0];
        assert_eq!(
            (
                g.service.as_str(),
                g.operation.as_str(),
                g.error_code.as_str(),
                g.resource.as_deref()
            ),
            (
                "lambda",
                "GetPolicy",
                "AccessDeniedException",
                Some(fn_arn("c").as_str())
            )
        );
        assert_eq!(g.region, "us-east-1");
    }

    #[tokio::test]
    async fn published_versions_keep_their_own_vpc_attachment() {
        let vpc = |subnet: &str, sg: &str| {
            VpcConfigResponse::builder()
                .subnet_ids(subnet)
                .security_group_ids(sg)
                .vpc_id("vpc-1")
                .build()
        };
        let list = mock!(Client::list_functions)
            .match_requests(|r| {
                r.function_version() == Some(&aws_sdk_lambda::types::FunctionVersion::All)
            })
            .then_output(move || {
                ListFunctionsOutput::builder()
                    .functions(
                        function_builder("a")
                            .function_arn(format!("{}:$LATEST", fn_arn("a")))
                            .version("$LATEST")
                            .vpc_config(vpc("subnet-1", "sg-new"))
                            .build(),
                    )
                    // Published before the VPC change: its pair is still in use.
                    .functions(
                        function_builder("a")
                            .function_arn(format!("{}:3", fn_arn("a")))
                            .version("3")
                            .vpc_config(vpc("subnet-1", "sg-old"))
                            .build(),
                    )
                    // Same attachment as $LATEST: nothing to add.
                    .functions(
                        function_builder("a")
                            .function_arn(format!("{}:4", fn_arn("a")))
                            .version("4")
                            .vpc_config(vpc("subnet-1", "sg-new"))
                            .build(),
                    )
                    .build()
            });
        let policy = mock!(Client::get_policy).then_error(not_found_policy);
        let url = mock!(Client::get_function_url_config).then_error(not_found_url);
        let mappings = mock!(Client::list_event_source_mappings).then_output(empty_mappings);
        let providers = mock!(Client::list_capacity_providers).then_output(empty_providers);
        let aliases =
            mock!(Client::list_aliases).then_output(|| ListAliasesOutput::builder().build());
        let client = mock_client!(
            aws_sdk_lambda,
            RuleMode::MatchAny,
            [&list, &policy, &url, &mappings, &providers, &aliases],
            |b| b.retry_config(fast_retries(2))
        );
        let (lambda, gaps) = collect::functions_in_region(
            &client,
            &client,
            ACCOUNT,
            "us-east-1",
            2,
            collect::Plan::ALL,
        )
        .await;
        assert!(gaps.is_empty(), "{gaps:?}");
        assert!(lambda.versions_listed);
        assert_eq!(lambda.functions.len(), 1, "versions are not functions");
        let a = &lambda.functions[0];
        assert_eq!(*a.arn, fn_arn("a"), "the $LATEST qualifier is dropped");
        assert_eq!(a.published_versions.len(), 1);
        assert_eq!(a.published_versions[0].version, "3");
        assert_eq!(
            a.published_versions[0].vpc_config.security_group_ids,
            ["sg-old"]
        );
        // GetPolicy for the function and for each published version (each has a policy of its
        // own), never a read per version of what only $LATEST has (its URL).
        assert_eq!(policy.num_calls(), 3);
        assert_eq!(url.num_calls(), 1);
        let Collected::Present(qualifiers) = &a.qualifiers else {
            panic!("qualifiers read: {:?}", a.qualifiers)
        };
        let versions: Vec<&str> = qualifiers.iter().map(|q| q.qualifier.as_str()).collect();
        assert_eq!(versions, ["3", "4"]);
    }

    #[tokio::test]
    async fn per_function_reads_no_selected_check_needs_are_not_made() {
        let list = mock!(Client::list_functions).then_output(|| {
            ListFunctionsOutput::builder()
                .functions(function("a"))
                .functions(function("b"))
                .build()
        });
        let policy = mock!(Client::get_policy).then_error(not_found_policy);
        let url = mock!(Client::get_function_url_config).then_error(not_found_url);
        let mappings = mock!(Client::list_event_source_mappings).then_output(empty_mappings);
        let providers = mock!(Client::list_capacity_providers).then_output(empty_providers);
        let aliases =
            mock!(Client::list_aliases).then_output(|| ListAliasesOutput::builder().build());
        let client = mock_client!(
            aws_sdk_lambda,
            RuleMode::MatchAny,
            [&list, &policy, &url, &mappings, &providers, &aliases],
            |b| b.retry_config(fast_retries(2))
        );
        // The plan of a run of the CORS check alone: it reads URLs, not policies.
        let all = vpcwarden::checks::all().expect("catalog parses");
        let cors = vpcwarden::checks::select(all, &["function-url-cors-wildcard".into()], &[])
            .expect("known check");
        let urls_only = vpcwarden::checks::plan(&cors);
        assert!(!urls_only.function_policies && urls_only.function_urls);
        let (lambda, gaps) =
            collect::functions_in_region(&client, &client, ACCOUNT, "us-east-1", 4, urls_only)
                .await;
        assert!(gaps.is_empty(), "a skipped read is not a failure: {gaps:?}");
        assert_eq!((policy.num_calls(), url.num_calls()), (0, 2));
        // Nothing is invented for the skipped read: the checks that need it say not_collected.
        assert!(
            lambda
                .functions
                .iter()
                .all(|f| f.resource_policy == Collected::NotCollected
                    && f.url_config == Collected::Absent)
        );
    }

    #[tokio::test]
    async fn throttling_then_success_loses_nothing() {
        let list = mock!(Client::list_functions)
            .sequence()
            .error(|| {
                ListFunctionsError::TooManyRequestsException(
                    TooManyRequestsException::builder()
                        .message("Rate exceeded")
                        .meta(
                            ErrorMetadata::builder()
                                .code("TooManyRequestsException")
                                .message("Rate exceeded")
                                .build(),
                        )
                        .build(),
                )
            })
            .output(|| {
                ListFunctionsOutput::builder()
                    .functions(function("a"))
                    .build()
            })
            .build();
        let policy = mock!(Client::get_policy)
            .sequence()
            .error(|| {
                GetPolicyError::TooManyRequestsException(
                    TooManyRequestsException::builder()
                        .meta(
                            ErrorMetadata::builder()
                                .code("TooManyRequestsException")
                                .build(),
                        )
                        .build(),
                )
            })
            .error(|| {
                GetPolicyError::TooManyRequestsException(
                    TooManyRequestsException::builder()
                        .meta(
                            ErrorMetadata::builder()
                                .code("TooManyRequestsException")
                                .build(),
                        )
                        .build(),
                )
            })
            .output(|| GetPolicyOutput::builder().policy("{}").build())
            .build();
        let url = mock!(Client::get_function_url_config).then_error(not_found_url);
        let mappings = mock!(Client::list_event_source_mappings).then_output(empty_mappings);
        let providers = mock!(Client::list_capacity_providers).then_output(empty_providers);
        let aliases =
            mock!(Client::list_aliases).then_output(|| ListAliasesOutput::builder().build());
        let client = mock_client!(
            aws_sdk_lambda,
            RuleMode::MatchAny,
            [&list, &policy, &url, &mappings, &providers, &aliases],
            |b| b.retry_config(fast_retries(4))
        );
        let (lambda, gaps) = collect::functions_in_region(
            &client,
            &client,
            ACCOUNT,
            "us-east-1",
            4,
            collect::Plan::ALL,
        )
        .await;
        assert!(gaps.is_empty(), "{gaps:?}");
        assert_eq!(list.num_calls(), 2, "ListFunctions retried once");
        assert_eq!(policy.num_calls(), 3, "GetPolicy retried twice");
        assert_eq!(lambda.functions.len(), 1);
        assert_eq!(
            lambda.functions[0].resource_policy,
            Collected::Present(serde_json::json!({}))
        );
    }

    #[tokio::test]
    async fn throttling_that_outlasts_the_retries_is_a_gap_not_a_loss() {
        let list = mock!(Client::list_functions).then_output(|| {
            ListFunctionsOutput::builder()
                .functions(function("a"))
                .build()
        });
        let policy = mock!(Client::get_policy).then_error(|| {
            GetPolicyError::TooManyRequestsException(
                TooManyRequestsException::builder()
                    .meta(
                        ErrorMetadata::builder()
                            .code("TooManyRequestsException")
                            .build(),
                    )
                    .build(),
            )
        });
        let url = mock!(Client::get_function_url_config).then_error(not_found_url);
        let mappings = mock!(Client::list_event_source_mappings).then_output(empty_mappings);
        let providers = mock!(Client::list_capacity_providers).then_output(empty_providers);
        let aliases =
            mock!(Client::list_aliases).then_output(|| ListAliasesOutput::builder().build());
        let client = mock_client!(
            aws_sdk_lambda,
            RuleMode::MatchAny,
            [&list, &policy, &url, &mappings, &providers, &aliases],
            |b| b.retry_config(fast_retries(3))
        );
        let (lambda, gaps) = collect::functions_in_region(
            &client,
            &client,
            ACCOUNT,
            "us-east-1",
            4,
            collect::Plan::ALL,
        )
        .await;
        assert_eq!(policy.num_calls(), 3);
        assert_eq!(lambda.functions.len(), 1, "the function is kept");
        assert_eq!(lambda.functions[0].resource_policy, Collected::NotCollected);
        assert_eq!(gaps.len(), 1);
        assert_eq!(gaps[0].error_code, "TooManyRequestsException");
    }

    #[tokio::test]
    async fn denied_list_is_a_region_gap() {
        let list = mock!(Client::list_functions).then_error(|| {
            ListFunctionsError::generic(
                ErrorMetadata::builder()
                    .code("AccessDeniedException")
                    .message("denied")
                    .build(),
            )
        });
        let mappings = mock!(Client::list_event_source_mappings).then_error(|| {
            ListEventSourceMappingsError::generic(
                ErrorMetadata::builder()
                    .code("AccessDeniedException")
                    .message("denied")
                    .build(),
            )
        });
        let providers = mock!(Client::list_capacity_providers).then_output(empty_providers);
        let aliases =
            mock!(Client::list_aliases).then_output(|| ListAliasesOutput::builder().build());
        let client = mock_client!(
            aws_sdk_lambda,
            RuleMode::MatchAny,
            [&list, &mappings, &providers, &aliases],
            |b| b.retry_config(fast_retries(3))
        );
        let (lambda, gaps) = collect::functions_in_region(
            &client,
            &client,
            ACCOUNT,
            "eu-west-1",
            4,
            collect::Plan::ALL,
        )
        .await;
        assert!(lambda.functions.is_empty());
        assert_eq!(list.num_calls(), 1, "AccessDenied is not retried");
        let ops: Vec<_> = gaps
            .iter()
            .map(|g| {
                (
                    g.operation.as_str(),
                    g.region.as_str(),
                    g.resource.is_none(),
                )
            })
            .collect();
        assert_eq!(
            ops,
            [
                ("ListFunctions", "eu-west-1", true),
                ("ListEventSourceMappings", "eu-west-1", true)
            ]
        );
    }
}

mod ec2 {
    use super::*;
    use aws_sdk_ec2::Client;
    use aws_sdk_ec2::operation::{
        describe_network_interfaces::DescribeNetworkInterfacesOutput,
        describe_route_tables::DescribeRouteTablesError,
        describe_security_groups::DescribeSecurityGroupsOutput,
        describe_subnets::DescribeSubnetsOutput,
        describe_vpc_endpoints::DescribeVpcEndpointsOutput, describe_vpcs::DescribeVpcsOutput,
    };
    use aws_sdk_ec2::types::{
        GroupIdentifier, NetworkInterface, NetworkInterfaceStatus, NetworkInterfaceType, Subnet,
    };

    #[tokio::test]
    async fn network_lists_are_read_and_a_denied_one_is_a_gap() {
        let vpcs =
            mock!(Client::describe_vpcs).then_output(|| DescribeVpcsOutput::builder().build());
        let subnets = mock!(Client::describe_subnets)
            .match_requests(|r| r.next_token().is_none())
            .then_output(|| {
                DescribeSubnetsOutput::builder()
                    .subnets(
                        Subnet::builder()
                            .subnet_id("subnet-b")
                            .vpc_id("vpc-1")
                            .availability_zone("us-east-1b")
                            .availability_zone_id("use1-az2")
                            .build(),
                    )
                    .next_token("t1")
                    .build()
            });
        let subnets2 = mock!(Client::describe_subnets)
            .match_requests(|r| r.next_token() == Some("t1"))
            .then_output(|| {
                DescribeSubnetsOutput::builder()
                    .subnets(
                        Subnet::builder()
                            .subnet_id("subnet-a")
                            .vpc_id("vpc-1")
                            .availability_zone("us-east-1a")
                            .build(),
                    )
                    .build()
            });
        let sgs = mock!(Client::describe_security_groups)
            .then_output(|| DescribeSecurityGroupsOutput::builder().build());
        let enis = mock!(Client::describe_network_interfaces).then_output(|| {
            DescribeNetworkInterfacesOutput::builder()
                .network_interfaces(
                    NetworkInterface::builder()
                        .network_interface_id("eni-1")
                        .interface_type(NetworkInterfaceType::Lambda)
                        .requester_managed(true)
                        .status(NetworkInterfaceStatus::Available)
                        .description("AWS Lambda VPC ENI-orders-1234")
                        .subnet_id("subnet-a")
                        .vpc_id("vpc-1")
                        .groups(GroupIdentifier::builder().group_id("sg-2").build())
                        .groups(GroupIdentifier::builder().group_id("sg-1").build())
                        .build(),
                )
                .build()
        });
        let rts = mock!(Client::describe_route_tables).then_error(|| {
            DescribeRouteTablesError::generic(
                ErrorMetadata::builder()
                    .code("UnauthorizedOperation")
                    .message("You are not authorized")
                    .build(),
            )
        });
        let endpoints = mock!(Client::describe_vpc_endpoints)
            .then_output(|| DescribeVpcEndpointsOutput::builder().build());
        let client = mock_client!(
            aws_sdk_ec2,
            RuleMode::MatchAny,
            [&vpcs, &subnets, &subnets2, &sgs, &enis, &rts, &endpoints],
            |b| b.retry_config(fast_retries(2))
        );
        let (ec2, gaps) = collect::network_in_region(&client, ACCOUNT, "us-east-1").await;
        assert_eq!((subnets.num_calls(), subnets2.num_calls()), (1, 1));
        assert_eq!(ec2.subnets.len(), 2);
        assert_eq!(
            ec2.subnets[0].availability_zone_id.as_deref(),
            Some("use1-az2")
        );
        let eni = &ec2.network_interfaces[0];
        assert_eq!(eni.interface_type.as_deref(), Some("lambda"));
        assert_eq!(eni.status, "available");
        assert!(eni.requester_managed);
        assert!(ec2.route_tables.is_empty());
        assert_eq!(gaps.len(), 1);
        assert_eq!(
            (
                gaps[0].service.as_str(),
                gaps[0].operation.as_str(),
                gaps[0].error_code.as_str()
            ),
            ("ec2", "DescribeRouteTables", "UnauthorizedOperation")
        );
    }
}

mod ec2_routes {
    use super::*;
    use aws_sdk_ec2::Client;
    use aws_sdk_ec2::operation::{
        describe_network_interfaces::DescribeNetworkInterfacesOutput,
        describe_route_tables::DescribeRouteTablesOutput,
        describe_security_groups::DescribeSecurityGroupsOutput,
        describe_subnets::DescribeSubnetsOutput,
        describe_vpc_endpoints::DescribeVpcEndpointsOutput, describe_vpcs::DescribeVpcsOutput,
    };
    use aws_sdk_ec2::types::{
        GroupIdentifier, IpPermission, IpRange, Ipv6Range, NetworkInterface,
        NetworkInterfaceStatus, NetworkInterfaceType, Route, RouteState, RouteTable,
        RouteTableAssociation, SecurityGroup, UserIdGroupPair, VpcEndpoint, VpcEndpointType,
    };

    #[tokio::test]
    async fn routes_endpoints_rules_and_lambda_enis_keep_what_the_placement_checks_need() {
        let route = |dest: &str,
                     set: fn(
            aws_sdk_ec2::types::builders::RouteBuilder,
        ) -> aws_sdk_ec2::types::builders::RouteBuilder,
                     state| {
            set(Route::builder().destination_cidr_block(dest))
                .state(state)
                .build()
        };
        let rts = mock!(Client::describe_route_tables).then_output(move || {
            DescribeRouteTablesOutput::builder()
                .route_tables(
                    RouteTable::builder()
                        .route_table_id("rtb-main")
                        .vpc_id("vpc-1")
                        .associations(RouteTableAssociation::builder().main(true).build())
                        .routes(route(
                            "10.0.0.0/16",
                            |b| b.gateway_id("local"),
                            RouteState::Active,
                        ))
                        .routes(route(
                            "0.0.0.0/0",
                            |b| b.nat_gateway_id("nat-1"),
                            RouteState::Blackhole,
                        ))
                        .build(),
                )
                .route_tables(
                    RouteTable::builder()
                        .route_table_id("rtb-edge")
                        .vpc_id("vpc-1")
                        .associations(
                            RouteTableAssociation::builder()
                                .main(false)
                                .subnet_id("subnet-a")
                                .build(),
                        )
                        .routes(route(
                            "0.0.0.0/0",
                            |b| b.carrier_gateway_id("cagw-1"),
                            RouteState::Active,
                        ))
                        .routes(
                            Route::builder()
                                .destination_ipv6_cidr_block("::/0")
                                .egress_only_internet_gateway_id("eigw-1")
                                .state(RouteState::Active)
                                .build(),
                        )
                        .build(),
                )
                .build()
        });
        let enis = mock!(Client::describe_network_interfaces).then_output(|| {
            DescribeNetworkInterfacesOutput::builder()
                .network_interfaces(
                    NetworkInterface::builder()
                        .network_interface_id("eni-lambda")
                        .interface_type(NetworkInterfaceType::Lambda)
                        .requester_managed(true)
                        .status(NetworkInterfaceStatus::InUse)
                        .description("")
                        .subnet_id("subnet-a")
                        .vpc_id("vpc-1")
                        .groups(GroupIdentifier::builder().group_id("sg-1").build())
                        .build(),
                )
                .network_interfaces(
                    NetworkInterface::builder()
                        .network_interface_id("eni-nat")
                        .interface_type(NetworkInterfaceType::NatGateway)
                        .requester_managed(true)
                        .status(NetworkInterfaceStatus::InUse)
                        .description("Interface for NAT Gateway nat-1")
                        .subnet_id("subnet-a")
                        .vpc_id("vpc-1")
                        .build(),
                )
                .build()
        });
        let endpoints = mock!(Client::describe_vpc_endpoints).then_output(|| {
            DescribeVpcEndpointsOutput::builder()
                .vpc_endpoints(
                    VpcEndpoint::builder()
                        .vpc_endpoint_id("vpce-1")
                        .vpc_endpoint_type(VpcEndpointType::Interface)
                        .service_name("com.amazonaws.us-east-1.lambda")
                        .vpc_id("vpc-1")
                        .groups(
                            aws_sdk_ec2::types::SecurityGroupIdentifier::builder()
                                .group_id("sg-ep")
                                .build(),
                        )
                        .subnet_ids("subnet-a")
                        .build(),
                )
                .build()
        });
        let sgs = mock!(Client::describe_security_groups).then_output(|| {
            DescribeSecurityGroupsOutput::builder()
                .security_groups(
                    SecurityGroup::builder()
                        .group_id("sg-ep")
                        .group_name("endpoint")
                        .vpc_id("vpc-1")
                        .ip_permissions(
                            IpPermission::builder()
                                .ip_protocol("tcp")
                                .from_port(443)
                                .to_port(443)
                                .ip_ranges(IpRange::builder().cidr_ip("0.0.0.0/0").build())
                                .ipv6_ranges(Ipv6Range::builder().cidr_ipv6("::/0").build())
                                .user_id_group_pairs(
                                    UserIdGroupPair::builder().group_id("sg-1").build(),
                                )
                                .build(),
                        )
                        .build(),
                )
                .build()
        });
        let vpcs =
            mock!(Client::describe_vpcs).then_output(|| DescribeVpcsOutput::builder().build());
        let subnets = mock!(Client::describe_subnets)
            .then_output(|| DescribeSubnetsOutput::builder().build());
        let client = mock_client!(
            aws_sdk_ec2,
            RuleMode::MatchAny,
            [&vpcs, &subnets, &sgs, &enis, &rts, &endpoints],
            |b| b.retry_config(fast_retries(2))
        );
        let (ec2, gaps) = collect::network_in_region(&client, ACCOUNT, "us-east-1").await;
        assert!(gaps.is_empty(), "{gaps:?}");
        let main = &ec2.route_tables[0];
        assert!(main.main && main.subnet_ids.is_empty());
        assert_eq!(main.routes[1].target, "nat-1");
        assert_eq!(main.routes[1].state.as_deref(), Some("blackhole"));
        let edge = &ec2.route_tables[1];
        assert!(!edge.main);
        assert_eq!(edge.subnet_ids, ["subnet-a"]);
        assert_eq!(
            (
                edge.routes[0].destination.as_str(),
                edge.routes[0].target.as_str()
            ),
            ("0.0.0.0/0", "cagw-1")
        );
        assert_eq!(
            (
                edge.routes[1].destination.as_str(),
                edge.routes[1].target.as_str()
            ),
            ("::/0", "eigw-1")
        );
        // The Lambda ENI is known by its type even with an empty description; the NAT gateway's
        // requester-managed ENI is not Lambda's.
        assert!(ec2.network_interfaces[0].is_lambda());
        assert!(!ec2.network_interfaces[1].is_lambda());
        let ep = &ec2.vpc_endpoints[0];
        assert_eq!(
            (
                ep.vpc_endpoint_type.as_str(),
                ep.security_group_ids.as_slice()
            ),
            ("Interface", &["sg-ep".to_string()][..])
        );
        let rule = &ec2.security_groups[0].ingress[0];
        assert_eq!((rule.from_port, rule.to_port), (Some(443), Some(443)));
        assert_eq!(rule.ipv4_ranges, ["0.0.0.0/0"]);
        assert_eq!(rule.ipv6_ranges, ["::/0"]);
        assert_eq!(rule.source_groups, ["sg-1"]);
    }
}

mod iam {
    use super::*;
    use aws_sdk_iam::Client;
    use aws_sdk_iam::operation::get_account_authorization_details::{
        GetAccountAuthorizationDetailsError, GetAccountAuthorizationDetailsOutput,
    };
    use aws_sdk_iam::types::{
        AttachedPolicy, ManagedPolicyDetail, PolicyDetail, PolicyVersion, RoleDetail,
    };

    const ENCODED_TRUST: &str = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22lambda.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D";

    #[tokio::test]
    async fn two_pages_are_read_documents_decoded_and_unused_managed_policies_dropped() {
        let page1 = mock!(Client::get_account_authorization_details)
            .match_requests(|r| r.marker().is_none())
            .then_output(|| {
                GetAccountAuthorizationDetailsOutput::builder()
                    .role_detail_list(
                        RoleDetail::builder()
                            .role_name("app")
                            .arn(format!("arn:aws:iam::{ACCOUNT}:role/app"))
                            .path("/")
                            .assume_role_policy_document(ENCODED_TRUST)
                            .role_policy_list(PolicyDetail::builder().policy_name("inline").policy_document("%7B%22Statement%22%3A%5B%5D%7D").build())
                            .attached_managed_policies(
                                AttachedPolicy::builder()
                                    .policy_arn("arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole")
                                    .build(),
                            )
                            .build(),
                    )
                    .is_truncated(true)
                    .marker("p2")
                    .build()
            });
        let page2 = mock!(Client::get_account_authorization_details)
            .match_requests(|r| r.marker() == Some("p2"))
            .then_output(|| {
                let version = PolicyVersion::builder()
                    .version_id("v2")
                    .is_default_version(true)
                    .document("%7B%22Statement%22%3A%5B%5D%7D")
                    .build();
                GetAccountAuthorizationDetailsOutput::builder()
                    // An AWS managed policy listed without its name, as some sources do.
                    .policies(
                        ManagedPolicyDetail::builder()
                            .arn("arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole")
                            .default_version_id("v2")
                            .policy_version_list(version.clone())
                            .build(),
                    )
                    .policies(
                        ManagedPolicyDetail::builder()
                            .policy_name("Unused")
                            .arn("arn:aws:iam::aws:policy/Unused")
                            .policy_version_list(version)
                            .build(),
                    )
                    .is_truncated(false)
                    .build()
            });
        let client = mock_client!(aws_sdk_iam, RuleMode::MatchAny, [&page1, &page2]);
        let (iam, gaps) = collect::iam_of_account(&client, ACCOUNT).await;
        assert!(gaps.is_empty());
        assert_eq!(
            (page1.num_calls(), page2.num_calls()),
            (1, 1),
            "one download, no per-role calls"
        );
        let iam = iam.expect("collected");
        assert_eq!(
            iam.roles[0].trust_policy["Statement"][0]["Principal"]["Service"],
            "lambda.amazonaws.com"
        );
        assert_eq!(
            iam.roles[0].inline_policies[0].document,
            serde_json::json!({"Statement": []})
        );
        assert_eq!(
            iam.managed_policies.len(),
            1,
            "only used managed policies are kept"
        );
        assert_eq!(
            iam.managed_policies[0].name,
            "AWSLambdaVPCAccessExecutionRole"
        );
    }

    #[tokio::test]
    async fn denied_download_is_a_gap_and_no_partial_iam() {
        let page1 = mock!(Client::get_account_authorization_details)
            .match_requests(|r| r.marker().is_none())
            .then_output(|| {
                GetAccountAuthorizationDetailsOutput::builder()
                    .role_detail_list(
                        RoleDetail::builder()
                            .role_name("app")
                            .arn("arn:aws:iam::1:role/app")
                            .build(),
                    )
                    .is_truncated(true)
                    .marker("p2")
                    .build()
            });
        let page2 = mock!(Client::get_account_authorization_details)
            .match_requests(|r| r.marker() == Some("p2"))
            .then_error(|| {
                GetAccountAuthorizationDetailsError::generic(
                    ErrorMetadata::builder()
                        .code("AccessDenied")
                        .message("no")
                        .build(),
                )
            });
        let client = mock_client!(aws_sdk_iam, RuleMode::MatchAny, [&page1, &page2]);
        let (iam, gaps) = collect::iam_of_account(&client, ACCOUNT).await;
        assert!(
            iam.is_none(),
            "half an IAM picture would judge principals wrongly"
        );
        assert_eq!(gaps.len(), 1);
        assert_eq!(
            (gaps[0].region.as_str(), gaps[0].error_code.as_str()),
            ("global", "AccessDenied")
        );
    }
}

mod organizations {
    use super::*;
    use aws_sdk_organizations::Client;
    use aws_sdk_organizations::operation::describe_organization::DescribeOrganizationError;
    use aws_sdk_organizations::types::error::AwsOrganizationsNotInUseException;

    #[tokio::test]
    async fn not_in_an_organization_is_an_answer_not_a_gap() {
        let describe = mock!(Client::describe_organization).then_error(|| {
            DescribeOrganizationError::AwsOrganizationsNotInUseException(
                AwsOrganizationsNotInUseException::builder()
                    .meta(
                        ErrorMetadata::builder()
                            .code("AWSOrganizationsNotInUseException")
                            .build(),
                    )
                    .build(),
            )
        });
        let client = mock_client!(aws_sdk_organizations, RuleMode::MatchAny, [&describe]);
        let (org, gaps) = collect::organizations_of_account(&client, ACCOUNT).await;
        assert_eq!(org, Some(Organizations::NotInOrganization));
        assert!(gaps.is_empty());
    }

    #[tokio::test]
    async fn denied_is_a_gap() {
        let describe = mock!(Client::describe_organization).then_error(|| {
            DescribeOrganizationError::generic(
                ErrorMetadata::builder()
                    .code("AccessDeniedException")
                    .message("no")
                    .build(),
            )
        });
        let client = mock_client!(aws_sdk_organizations, RuleMode::MatchAny, [&describe]);
        let (org, gaps) = collect::organizations_of_account(&client, ACCOUNT).await;
        assert_eq!(org, None);
        assert_eq!(gaps[0].operation, "DescribeOrganization");
        assert_eq!(gaps[0].error_code, "AccessDeniedException");
    }
}

mod securityhub_import {
    use super::*;
    use aws_sdk_securityhub::Client;
    use aws_sdk_securityhub::operation::batch_import_findings::BatchImportFindingsOutput;
    use aws_sdk_securityhub::types::ImportFindingsError;
    use vpcwarden::render::asff::{self, AsffFinding};

    fn findings() -> Vec<AsffFinding> {
        let snapshot = crate::support::scenario("function-not-in-vpc");
        let found = crate::support::run_check(&snapshot, "function-not-in-vpc");
        let all = vpcwarden::checks::all().expect("catalog");
        let check = vpcwarden::checks::find(all, "LAMBDA003").expect("LAMBDA003");
        let report = vpcwarden::report::Report::new(
            &snapshot,
            found.into_iter().map(Box::new).collect(),
            vec![vpcwarden::report::CheckInfo::from_entry(&check.entry)],
            "snapshot",
            "2026-11-21T09:00:00Z".into(),
        );
        asff::findings(&report, &asff::AsffOptions::default())
    }

    fn refused(id: &str) -> BatchImportFindingsOutput {
        BatchImportFindingsOutput::builder()
            .failed_count(1)
            .success_count(0)
            .failed_findings(
                ImportFindingsError::builder()
                    .id(id)
                    .error_code("InvalidInput")
                    .error_message("try again")
                    .build(),
            )
            .build()
    }

    #[tokio::test]
    async fn refused_findings_are_sent_again_then_reported() {
        let all = findings();
        let first = all[0].id.clone();
        let n = all.len();
        // First call: one refused. Second call (the retry, that finding alone): taken.
        let calls = mock!(Client::batch_import_findings)
            .sequence()
            .output({
                let first = first.clone();
                move || refused(&first)
            })
            .output(move || {
                BatchImportFindingsOutput::builder()
                    .failed_count(0)
                    .success_count(1)
                    .build()
            })
            .build();
        let client = mock_client!(aws_sdk_securityhub, RuleMode::Sequential, [&calls]);
        let outcome = vpcwarden::export::securityhub::import(&client, "us-east-1", all).await;
        assert!(outcome.error.is_none());
        assert!(outcome.refused.is_empty(), "{:?}", outcome.refused);
        assert_eq!(
            outcome.taken.len(),
            n,
            "every finding taken, the refused one on the retry"
        );
        assert_eq!(calls.num_calls(), 2);
        assert!(n > 1);

        // Refused every time: reported after the retries, never dropped silently.
        let always = mock!(Client::batch_import_findings).then_output({
            let first = first.clone();
            move || refused(&first)
        });
        let client = mock_client!(aws_sdk_securityhub, RuleMode::MatchAny, [&always]);
        let outcome =
            vpcwarden::export::securityhub::import(&client, "us-east-1", findings()).await;
        let left = outcome.refused;
        assert_eq!(left.len(), 1);
        assert!(!outcome.taken.contains(&first));
        assert_eq!(
            (left[0].id.as_str(), left[0].error_code.as_str()),
            (first.as_str(), "InvalidInput")
        );
        assert_eq!(always.num_calls(), 3, "one call and two retries");
    }
}

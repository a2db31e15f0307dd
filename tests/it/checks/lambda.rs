//! The Lambda checks (`src/checks/lambda/`): the healthy account plus one change, for a clean, a
//! failing and an incomplete-data case each. The policy questions are the policy engine's; these
//! tests pin its answers on each policy shape.

use crate::support::healthy::{
    ENDPOINT_SG, REGION, Scenario, VPC, healthy, interface_endpoint, policy, role, route,
    route_table, subnet, trust,
};
use crate::support::{find, short};
use serde_json::{Value, json};
use vpcwarden::finding::Status::{Fail, NotEvaluated, Pass};
use vpcwarden::snapshot::{
    CapacityProvider, Collected, Function, FunctionUrl, Layer, Qualifier, Route, VpcConfig,
    VpcEndpoint,
};

const E1: &str = "us-east-1";
const EU: &str = "eu-west-1";

/// Places a function in these subnets (the healthy function's group).
fn in_subnets(ids: &[&str]) -> impl FnOnce(&mut Function) {
    let ids: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
    move |f| f.vpc_config.as_mut().expect("in a VPC").subnet_ids = ids
}

/// Takes a function out of its VPC.
/// Puts a function in a VPC the snapshot does not know, through `ids`.
fn in_gone_vpc(ids: &'static [&'static str]) -> impl FnOnce(&mut Function) {
    move |f: &mut Function| {
        let v = f.vpc_config.as_mut().expect("vpc");
        v.subnet_ids = ids.iter().map(|s| s.to_string()).collect();
        v.vpc_id = Some("vpc-gone".into());
    }
}

fn no_vpc(f: &mut Function) {
    f.vpc_config = None;
}

/// The healthy account with two capacity providers (Lambda Managed Instances): `cp-ha` in both
/// private subnets, `cp-public` in the public subnet only, and functions on each, with no VPC
/// configuration of their own; plus a function naming a provider nobody listed.
fn on_providers() -> Scenario {
    let provider = |name: &str, subnets: &[&str]| CapacityProvider {
        arn: format!("arn:aws:lambda:us-east-1:111111111111:capacity-provider:{name}"),
        state: Some("Active".into()),
        vpc_config: VpcConfig {
            vpc_id: None,
            subnet_ids: subnets.iter().map(|s| s.to_string()).collect(),
            security_group_ids: vec!["sg-functions".into()],
            ipv6_allowed_for_dual_stack: false,
        },
        operator_role_arn: None,
        kms_key_arn: None,
    };
    let on = |name: &'static str| {
        move |f: &mut Function| {
            f.vpc_config = None;
            f.capacity_provider_arn = Some(format!(
                "arn:aws:lambda:us-east-1:111111111111:capacity-provider:{name}"
            ));
        }
    };
    healthy()
        .lambda(E1, |l| {
            l.capacity_providers = Collected::Present(vec![
                provider("cp-ha", &["subnet-private-a", "subnet-private-b"]),
                provider("cp-public", &["subnet-public-a"]),
            ])
        })
        .with_function("mi-ha", on("cp-ha"))
        .with_function("mi-public", on("cp-public"))
        .with_function("mi-unlisted", on("cp-gone"))
}

/// A resource policy letting anyone invoke `arn`.
fn public_policy(arn: &str) -> Value {
    json!({"Version": "2012-10-17", "Statement": [{"Sid": "Anyone", "Effect": "Allow",
        "Principal": "*", "Action": "lambda:InvokeFunction", "Resource": arn}]})
}

#[test]
fn aliases_and_versions_are_judged_as_the_function() {
    let qualifier =
        |name: &str, kind: &str, policy: Collected<Value>, url: Collected<FunctionUrl>| Qualifier {
            qualifier: name.into(),
            kind: kind.into(),
            resource_policy: policy,
            url_config: url,
        };
    let arn =
        |name: &str, q: &str| format!("arn:aws:lambda:us-east-1:111111111111:function:{name}:{q}");
    let s = healthy()
        .with_function("alias-public", |f| {
            f.qualifiers = Collected::Present(vec![qualifier(
                "live",
                "alias",
                Collected::Present(public_policy(&arn("alias-public", "live"))),
                Collected::Absent,
            )])
        })
        .with_function("alias-url", |f| {
            f.qualifiers = Collected::Present(vec![qualifier(
                "live",
                "alias",
                Collected::Absent,
                Collected::Present(FunctionUrl {
                    url: "https://live.lambda-url.us-east-1.on.aws/".into(),
                    auth_type: "NONE".into(),
                    cors_allow_origins: vec![],
                }),
            )])
        })
        .with_function("version-unread", |f| {
            f.qualifiers = Collected::Present(vec![qualifier(
                "7",
                "version",
                Collected::NotCollected,
                Collected::Absent,
            )])
        })
        .with_function("aliases-unread", |f| f.qualifiers = Collected::NotCollected)
        .with_function("nothing-read", |f| {
            f.qualifiers = Collected::NotCollected;
            f.resource_policy = Collected::NotCollected;
        })
        .with_function("version-private", |f| {
            f.qualifiers = Collected::Present(vec![qualifier(
                "3",
                "version",
                Collected::Absent,
                Collected::Absent,
            )])
        });
    let public = s.run("function-policy-public");
    let f = find(&public, "alias-public");
    assert_eq!(f.status, Fail, "a public alias is a public function");
    assert_eq!(
        &*f.resource_arn,
        "arn:aws:lambda:us-east-1:111111111111:function:alias-public"
    );
    assert_eq!(f.evidence.to_map()["qualifier"], "live");
    assert!(f.message.contains("alias-public:live"), "{}", f.message);
    assert_eq!(
        f.evidence.to_map()["surfaces"],
        json!([{"qualifier": "live", "status": "fail"}])
    );
    assert_eq!(find(&public, "version-unread").status, NotEvaluated);
    assert_eq!(find(&public, "aliases-unread").status, NotEvaluated);
    // The function's own unread policy stays the reason given, not the unread aliases.
    assert_eq!(
        find(&public, "nothing-read").evidence.to_map()["reason"],
        "GetPolicy_not_collected"
    );
    assert_eq!(find(&public, "version-private").status, Pass);
    let url = s.run("function-url-auth-none");
    let f = find(&url, "alias-url");
    assert_eq!(f.status, Fail, "the alias's own URL has AuthType NONE");
    assert_eq!(f.evidence.to_map()["qualifier"], "live");
    assert_eq!(find(&url, "alias-public").status, Pass);
}

#[test]
fn functions_on_a_capacity_provider_are_placed_by_its_network() {
    let s = on_providers();
    let verdicts = |slug: &str| {
        let findings = s.run(slug);
        ["mi-ha", "mi-public", "mi-unlisted"].map(|n| find(&findings, n).status)
    };
    // Not "not in a VPC": they run in the provider's subnets.
    assert_eq!(verdicts("function-not-in-vpc"), [Pass, Pass, NotEvaluated]);
    assert_eq!(verdicts("function-single-az"), [Pass, Fail, NotEvaluated]);
    assert_eq!(
        verdicts("function-public-subnet"),
        [Pass, Fail, NotEvaluated]
    );
    assert_eq!(verdicts("function-no-egress"), [Pass, Pass, NotEvaluated]);
    let findings = s.run("function-not-in-vpc");
    let ha = find(&findings, "mi-ha");
    assert_eq!(
        ha.evidence.to_map()["capacity_provider"],
        "arn:aws:lambda:us-east-1:111111111111:capacity-provider:cp-ha"
    );
    assert_eq!(ha.evidence.to_map()["vpc_id"], "vpc-app");
    assert_eq!(
        find(&findings, "mi-unlisted").evidence.to_map()["reason"],
        "capacity_provider_unknown"
    );
    // A failed ListCapacityProviders is named as the gap.
    let denied = on_providers()
        .lambda(E1, |l| l.capacity_providers = Collected::NotCollected)
        .gap("lambda", "ListCapacityProviders", E1)
        .run("function-single-az");
    assert_eq!(
        find(&denied, "mi-ha").evidence.to_map()["gap"]["operation"],
        "ListCapacityProviders"
    );
    assert_eq!(
        find(&denied, "orders").status,
        Pass,
        "classic functions are judged as before"
    );
}

#[test]
fn capacity_providers_get_the_placement_findings_once_on_their_own_arn() {
    let s = on_providers();
    let verdicts = |slug: &str| {
        let findings = s.run(slug);
        ["cp-ha", "cp-public"].map(|n| {
            let f = find(&findings, n);
            assert_eq!(&*f.resource_type, "Other", "{slug}: {n}");
            assert!(f.resource_arn.ends_with(&format!(":capacity-provider:{n}")));
            f.status
        })
    };
    assert_eq!(verdicts("function-not-in-vpc"), [Pass, Pass]);
    assert_eq!(verdicts("function-single-az"), [Pass, Fail]);
    assert_eq!(verdicts("function-public-subnet"), [Pass, Fail]);
    assert_eq!(verdicts("function-no-egress"), [Pass, Pass]);
    let public = s.run("function-public-subnet");
    let cp = find(&public, "cp-public");
    assert_eq!(cp.evidence.to_map()["capacity_provider_name"], "cp-public");
    assert_eq!(
        cp.evidence.to_map()["public_subnets"][0]["subnet_id"],
        "subnet-public-a"
    );
    assert!(
        cp.message
            .starts_with("Capacity provider cp-public uses public subnet(s)"),
        "{}",
        cp.message
    );
    // Once: the provider is not judged again through each function that runs on it.
    assert_eq!(
        public
            .iter()
            .filter(|f| f.resource_arn.ends_with(":capacity-provider:cp-public"))
            .count(),
        1
    );

    // A failed ListFunctions does not keep the providers from being judged; a failed
    // ListCapacityProviders is one finding on the account with the other list's gap, not two with
    // the same id.
    let both = on_providers()
        .gap("lambda", "ListFunctions", E1)
        .run("function-single-az");
    assert_eq!(find(&both, "cp-public").status, Fail);
    let both = on_providers()
        .lambda(E1, |l| l.capacity_providers = Collected::NotCollected)
        .gap("lambda", "ListFunctions", E1)
        .gap("lambda", "ListCapacityProviders", E1)
        .run("function-single-az");
    let on_account: Vec<_> = both
        .iter()
        .filter(|f| &*f.resource_type == "AwsAccount")
        .collect();
    assert_eq!(on_account.len(), 1, "{both:#?}");
    assert_eq!(
        on_account[0].evidence.to_map()["gap"]["operation"],
        "ListFunctions"
    );
    assert_eq!(
        on_account[0].evidence.to_map()["further_gaps"][0]["operation"],
        "ListCapacityProviders"
    );
    assert!(on_account[0].message.contains("ListCapacityProviders"));
    // Subnets not collected: the provider is not evaluated, never passed.
    let no_subnets = on_providers()
        .ec2(E1, |e| e.subnets.clear())
        .gap("ec2", "DescribeSubnets", E1)
        .run("function-single-az");
    assert_eq!(find(&no_subnets, "cp-ha").status, NotEvaluated);
    assert_eq!(
        find(&no_subnets, "cp-ha").evidence.to_map()["gap"]["operation"],
        "DescribeSubnets"
    );
}

/// Network shapes beside the healthy VPC, in us-east-1, for the placement checks:
/// - in `vpc-app`: `subnet-main` (us-east-1c, no association: the main table, local only) and
///   `subnet-v6` (`rtb-v6`: `::/0` to the internet gateway, `0.0.0.0/0` to it blackholed);
/// - `vpc-legacy` (`legacy-a`, `legacy-b`): its main table sends `0.0.0.0/0` to an internet gateway;
/// - `vpc-isolated`: local routes only (`isolated-a`, `isolated-b`), `isolated-c` whose table has a
///   blackholed NAT route and `::/0` to an egress-only gateway, and a deleted interface endpoint;
/// - `vpc-transit` (`transit-a`, `transit-b`): its main table sends `0.0.0.0/0` to a transit gateway;
/// - `vpc-endpoints` (`endpoints-a`, `endpoints-b`): no default route, a Lambda interface endpoint
///   and an S3 gateway endpoint.
///
/// Also a corpus of the gap test (`tests/it/gaps.rs`).
pub(crate) fn network_shapes(s: Scenario) -> Scenario {
    let blackhole = |d: &str, t: &str| Route {
        state: Some("blackhole".into()),
        ..route(d, t)
    };
    s.ec2(REGION, |e| {
        e.subnets.extend([
            subnet("subnet-main", VPC, "us-east-1c"),
            subnet("subnet-v6", VPC, "us-east-1b"),
            subnet("legacy-a", "vpc-legacy", "us-east-1a"),
            subnet("legacy-b", "vpc-legacy", "us-east-1b"),
            subnet("isolated-a", "vpc-isolated", "us-east-1a"),
            subnet("isolated-b", "vpc-isolated", "us-east-1b"),
            subnet("isolated-c", "vpc-isolated", "us-east-1c"),
            subnet("transit-a", "vpc-transit", "us-east-1a"),
            subnet("transit-b", "vpc-transit", "us-east-1b"),
            subnet("endpoints-a", "vpc-endpoints", "us-east-1a"),
            subnet("endpoints-b", "vpc-endpoints", "us-east-1b"),
        ]);
        e.route_tables.extend([
            route_table(
                "rtb-v6",
                VPC,
                false,
                &["subnet-v6"],
                &[route("::/0", "igw-app"), blackhole("0.0.0.0/0", "igw-app")],
            ),
            route_table(
                "rtb-main-legacy",
                "vpc-legacy",
                true,
                &[],
                &[route("0.0.0.0/0", "igw-legacy")],
            ),
            route_table("rtb-main-isolated", "vpc-isolated", true, &[], &[]),
            route_table(
                "rtb-blackhole",
                "vpc-isolated",
                false,
                &["isolated-c"],
                &[
                    blackhole("0.0.0.0/0", "nat-gone"),
                    route("::/0", "eigw-isolated"),
                ],
            ),
            route_table(
                "rtb-main-transit",
                "vpc-transit",
                true,
                &[],
                &[route("0.0.0.0/0", "tgw-shared")],
            ),
            route_table(
                "rtb-main-endpoints",
                "vpc-endpoints",
                true,
                &[],
                &[route("pl-63a5400a", "vpce-endpoints-s3")],
            ),
        ]);
        e.vpc_endpoints.extend([
            VpcEndpoint {
                vpc_id: "vpc-endpoints".into(),
                subnet_ids: vec!["endpoints-a".into(), "endpoints-b".into()],
                ..interface_endpoint("vpce-endpoints-lambda", "lambda", &[ENDPOINT_SG])
            },
            VpcEndpoint {
                vpc_endpoint_type: "Gateway".into(),
                vpc_id: "vpc-endpoints".into(),
                security_group_ids: vec![],
                subnet_ids: vec![],
                route_table_ids: Collected::Present(vec!["rtb-main-endpoints".into()]),
                ..interface_endpoint("vpce-endpoints-s3", "s3", &[])
            },
            VpcEndpoint {
                vpc_id: "vpc-isolated".into(),
                state: Some("deleted".into()),
                ..interface_endpoint("vpce-isolated-sqs", "sqs", &[ENDPOINT_SG])
            },
        ]);
    })
}

/// A function whose resource policy has these statements, each on the function itself.
fn with_policy(s: Scenario, name: &str, statements: Value) -> Scenario {
    s.with_function(name, |f| {
        let mut statements = statements;
        for st in statements.as_array_mut().expect("statements") {
            st["Resource"] = json!(f.arn);
        }
        let mut document = policy(statements);
        document["Id"] = json!("default");
        f.resource_policy = Collected::Present(document);
    })
}

/// A function URL with this auth type and these CORS origins.
fn url(auth_type: &str, origins: &[&str]) -> Collected<FunctionUrl> {
    Collected::Present(FunctionUrl {
        url: "https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws/".into(),
        auth_type: auth_type.into(),
        cors_allow_origins: origins.iter().map(|s| s.to_string()).collect(),
    })
}

/// The two statements the console adds for a public URL (since October 2025).
fn public_url_statements() -> Value {
    json!([
        {"Sid": "FunctionURLAllowPublicAccess", "Effect": "Allow", "Principal": "*",
         "Action": "lambda:InvokeFunctionUrl",
         "Condition": {"StringEquals": {"lambda:FunctionUrlAuthType": "NONE"}}},
        {"Sid": "FunctionURLInvokeAllowPublicAccess", "Effect": "Allow", "Principal": "*",
         "Action": "lambda:InvokeFunction",
         "Condition": {"Bool": {"lambda:InvokedViaFunctionUrl": "true"}}}
    ])
}

/// The one statement the console added for a public URL before October 2025.
fn old_url_grant() -> Value {
    json!([{"Sid": "FunctionURLAllowPublicAccess", "Effect": "Allow", "Principal": "*",
            "Action": "lambda:InvokeFunctionUrl",
            "Condition": {"StringEquals": {"lambda:FunctionUrlAuthType": "NONE"}}}])
}

mod function_not_in_vpc {
    use super::*;

    const SLUG: &str = "function-not-in-vpc";

    /// A function outside any VPC whose role, `edge-role`, has this trust policy.
    fn with_edge_trust(trust_policy: Value) -> Scenario {
        healthy()
            .with_role("edge-role", |r| r.trust_policy = trust_policy)
            .with_function("edge-auth", |f| {
                no_vpc(f);
                f.role = role("edge-role").arn;
            })
    }

    fn edge_verdict(trust_policy: Value) -> vpcwarden::finding::Finding {
        find(&with_edge_trust(trust_policy).run(SLUG), "edge-auth").clone()
    }

    #[test]
    fn failing_case_flags_functions_outside_a_vpc_but_not_lambda_at_edge() {
        let scenario = with_edge_trust(json!({"Version": "2012-10-17", "Statement": {
            "Sid": "LambdaAndEdge", "Effect": "Allow",
            "Principal": {"Service": ["lambda.amazonaws.com", "edgelambda.amazonaws.com"]},
            "Action": "sts:AssumeRole"}}))
        .with_function("orphan-role", |f| {
            no_vpc(f);
            f.role = role("deleted-role").arn;
        })
        // A VpcConfig with no subnet is no VPC.
        .with_function("public-api", in_subnets(&[]))
        .with_function_in(EU, "reports-novpc", |f| {
            no_vpc(f);
            f.package_type = Some("Image".into());
            f.runtime = None;
        })
        // Lambda reports the constant VpcId of some emulators; the subnets say which VPC it is.
        .edit_function("orders", |f| {
            f.vpc_config.as_mut().expect("vpc").vpc_id = Some("vpc-123abc".into())
        });
        let findings = scenario.run(SLUG);
        assert_eq!(
            short(&findings),
            [
                (Fail, EU, "reports-novpc"),
                (Fail, E1, "orphan-role"),
                (Fail, E1, "public-api"),
                (Pass, E1, "app-cp"),
                (Pass, E1, "billing"),
                (Pass, E1, "edge-auth"),
                (Pass, E1, "orders"),
            ]
        );
        let edge = find(&findings, "edge-auth");
        assert_eq!(edge.evidence.to_map()["lambda_at_edge"], true);
        assert_eq!(
            edge.evidence.to_map()["trust_statements"][0]["sid"],
            "LambdaAndEdge"
        );
        assert_eq!(find(&findings, "orders").evidence.to_map()["vpc_id"], VPC);
        assert_eq!(
            find(&findings, "orphan-role").evidence.to_map()["role_found"],
            false
        );
        assert!(findings.iter().all(|f| f.compliance() == ["Lambda.3"]));
        insta::assert_json_snapshot!("function_not_in_vpc_failing", findings);
    }

    #[test]
    fn clean_case_passes_every_vpc_function() {
        let findings = healthy().run(SLUG);
        assert_eq!(
            short(&findings),
            [
                (Pass, E1, "app-cp"),
                (Pass, E1, "billing"),
                (Pass, E1, "orders")
            ]
        );
        insta::assert_json_snapshot!("function_not_in_vpc_clean", findings);
    }

    #[test]
    fn incomplete_case_is_not_evaluated_never_pass() {
        let findings = healthy()
            .with_function("public-api", no_vpc)
            .gap("lambda", "ListFunctions", EU)
            .gap("iam", "GetAccountAuthorizationDetails", "global")
            .run(SLUG);
        assert_eq!(
            short(&findings),
            [
                // eu-west-1: ListFunctions denied → the region is not evaluated (on the account).
                (NotEvaluated, EU, "root"),
                // Outside a VPC, and IAM denied → whether it is Lambda@Edge is unknown.
                (NotEvaluated, E1, "public-api"),
                // Attached to a VPC: IAM does not matter.
                (Pass, E1, "app-cp"),
                (Pass, E1, "billing"),
                (Pass, E1, "orders"),
            ]
        );
        assert_eq!(&*findings[0].resource_type, "AwsAccount");
        assert_eq!(
            findings[0].evidence.to_map()["gap"]["error_code"],
            "AccessDeniedException"
        );
        assert_eq!(
            findings[1].evidence.to_map()["gap"]["operation"],
            "GetAccountAuthorizationDetails"
        );
        insta::assert_json_snapshot!("function_not_in_vpc_incomplete", findings);
    }

    #[test]
    fn unreadable_trust_policy_is_not_evaluated() {
        let findings = healthy()
            .with_function("public-api", no_vpc)
            .edit_role("orders-role", |r| {
                r.trust_policy = Value::String("{not json".into())
            })
            .run(SLUG);
        let public = find(&findings, "public-api");
        assert_eq!(public.status, NotEvaluated);
        assert_eq!(
            public.evidence.to_map()["reason"],
            "trust_policy_unreadable"
        );
        assert!(
            public.evidence.to_map()["trust_policy_error"]
                .as_str()
                .expect("error")
                .contains("role/orders-role"),
            "the error names the policy: {:?}",
            public.evidence
        );
    }

    #[test]
    fn an_explicit_deny_for_the_edge_service_is_not_lambda_at_edge() {
        let f = edge_verdict(json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": ["lambda.amazonaws.com", "edgelambda.amazonaws.com"]}, "Action": "sts:AssumeRole"},
            {"Effect": "Deny", "Principal": {"Service": "edgelambda.amazonaws.com"}, "Action": "sts:*"}
        ]}));
        assert_eq!(f.status, Fail);
    }

    #[test]
    fn wildcard_actions_and_a_single_statement_object_are_read() {
        let f = edge_verdict(json!({"Version": "2012-10-17", "Statement":
            {"Effect": "Allow", "Principal": {"Service": "edgelambda.amazonaws.com"}, "Action": "sts:Assume*"}}));
        assert_eq!(f.status, Pass);
        assert_eq!(f.evidence.to_map()["lambda_at_edge"], true);
    }

    #[test]
    fn a_condition_on_an_unknown_key_is_not_evaluated_rather_than_guessed() {
        let f = edge_verdict(json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "edgelambda.amazonaws.com"}, "Action": "sts:AssumeRole",
             "Condition": {"StringEquals": {"aws:SourceAccount": "111111111111"}}}
        ]}));
        assert_eq!(f.status, NotEvaluated);
        assert_eq!(f.evidence.to_map()["reason"], "trust_policy_undecided");
    }

    #[test]
    fn a_lambda_only_role_fails() {
        let f = edge_verdict(trust(&["lambda.amazonaws.com"]));
        assert_eq!(f.status, Fail);
        assert_eq!(f.evidence.to_map()["lambda_at_edge"], false);
    }
}

mod function_single_az {
    use super::*;
    use vpcwarden::config::Config;

    const SLUG: &str = "function-single-az";

    fn failing() -> Scenario {
        network_shapes(healthy())
            .with_function("one-az", in_subnets(&["subnet-private-a"]))
            .with_function(
                "same-az-twice",
                in_subnets(&["subnet-private-a", "subnet-public-a"]),
            )
            .with_function(
                "three-azs",
                in_subnets(&["subnet-private-a", "subnet-private-b", "subnet-main"]),
            )
            .with_function("no-vpc", no_vpc)
    }

    #[test]
    fn failing_case_flags_functions_in_one_zone() {
        let findings = failing().run(SLUG);
        assert_eq!(
            short(&findings),
            [
                (Fail, E1, "one-az"),
                (Fail, E1, "same-az-twice"),
                (Pass, E1, "app-cp"),
                (Pass, E1, "billing"),
                (Pass, E1, "orders"),
                (Pass, E1, "three-azs"),
            ],
            "a function outside a VPC gets no finding"
        );
        assert_eq!(
            findings[1].evidence.to_map()["availability_zones"],
            json!(["us-east-1a"])
        );
        assert_eq!(
            findings[1].evidence.to_map()["subnets"][1]["subnet_id"],
            "subnet-public-a"
        );
        assert!(findings.iter().all(|f| f.compliance() == ["Lambda.5"]));
        insta::assert_json_snapshot!("function_single_az_failing", findings);
    }

    #[test]
    fn min_azs_comes_from_the_config() {
        let config = Config {
            min_azs: 3,
            ..Config::default()
        };
        let findings = failing().run_with(SLUG, &config);
        assert_eq!(
            short(&findings),
            [
                (Fail, E1, "app-cp"),
                (Fail, E1, "billing"),
                (Fail, E1, "one-az"),
                (Fail, E1, "orders"),
                (Fail, E1, "same-az-twice"),
                (Pass, E1, "three-azs"),
            ]
        );
        assert_eq!(findings[0].evidence.to_map()["min_azs"], 3);
    }

    #[test]
    fn clean_case_passes() {
        let findings = healthy().run(SLUG);
        assert_eq!(
            short(&findings),
            [
                (Pass, E1, "app-cp"),
                (Pass, E1, "billing"),
                (Pass, E1, "orders")
            ]
        );
        insta::assert_json_snapshot!("function_single_az_clean", findings);
    }

    #[test]
    fn incomplete_case_is_not_evaluated_unless_the_known_subnets_suffice() {
        let findings = healthy()
            .with_region(EU)
            .gap("ec2", "DescribeSubnets", EU)
            .gap("lambda", "ListFunctions", "eu-west-2")
            .with_function(
                "one-known-az",
                in_subnets(&["subnet-private-a", "subnet-gone"]),
            )
            .with_function(
                "two-known-azs",
                in_subnets(&["subnet-private-a", "subnet-private-b", "subnet-gone"]),
            )
            .run(SLUG);
        assert_eq!(
            short(&findings),
            [
                (NotEvaluated, EU, "app-cp"),
                (NotEvaluated, EU, "billing"),
                (NotEvaluated, EU, "orders"),
                (NotEvaluated, "eu-west-2", "root"),
                (NotEvaluated, E1, "one-known-az"),
                (Pass, E1, "app-cp"),
                (Pass, E1, "billing"),
                (Pass, E1, "orders"),
                (Pass, E1, "two-known-azs"),
            ]
        );
        assert_eq!(
            findings[0].evidence.to_map()["gap"]["operation"],
            "DescribeSubnets"
        );
        assert_eq!(
            findings[3].evidence.to_map()["gap"]["operation"],
            "ListFunctions"
        );
        assert_eq!(
            findings[4].evidence.to_map()["reason"],
            "subnet_not_collected"
        );
        assert_eq!(
            findings[4].evidence.to_map()["subnets_not_found"],
            json!(["subnet-gone"])
        );
        insta::assert_json_snapshot!("function_single_az_incomplete", findings);
    }
}

mod function_public_subnet {
    use super::*;

    const SLUG: &str = "function-public-subnet";

    #[test]
    fn failing_case_flags_explicit_main_table_and_ipv6_routes_to_an_igw() {
        let findings = network_shapes(healthy())
            .with_function(
                "in-public",
                in_subnets(&["subnet-public-a", "subnet-private-b"]),
            )
            .with_function("ipv6-public", in_subnets(&["subnet-v6"]))
            .with_function("legacy", in_subnets(&["legacy-a", "legacy-b"]))
            .with_function("main-private", in_subnets(&["subnet-main"]))
            .with_function("no-vpc", no_vpc)
            .run(SLUG);
        assert_eq!(
            short(&findings),
            [
                (Fail, E1, "in-public"),
                (Fail, E1, "ipv6-public"),
                (Fail, E1, "legacy"),
                (Pass, E1, "app-cp"),
                (Pass, E1, "billing"),
                (Pass, E1, "main-private"),
                (Pass, E1, "orders"),
            ]
        );
        let public = &findings[0].evidence.to_map()["public_subnets"];
        assert_eq!(public.as_array().map(Vec::len), Some(1));
        assert_eq!(public[0]["subnet_id"], "subnet-public-a");
        assert_eq!(public[0]["route_table_id"], "rtb-public");
        assert_eq!(public[0]["route_table_source"], "explicit");
        assert_eq!(public[0]["target"], "igw-app");
        // The blackholed IPv4 route of rtb-v6 does not count; its ::/0 route does.
        assert_eq!(
            findings[1].evidence.to_map()["public_subnets"][0]["destination"],
            "::/0"
        );
        let legacy = &findings[2].evidence.to_map()["public_subnets"];
        assert_eq!(legacy[0]["route_table_source"], "main");
        assert_eq!(legacy[1]["route_table_id"], "rtb-main-legacy");
        insta::assert_json_snapshot!("function_public_subnet_failing", findings);
    }

    #[test]
    fn clean_case_passes() {
        let findings = healthy().run(SLUG);
        assert_eq!(
            short(&findings),
            [
                (Pass, E1, "app-cp"),
                (Pass, E1, "billing"),
                (Pass, E1, "orders")
            ]
        );
        assert_eq!(
            findings[0].evidence.to_map()["subnets"][0]["route_table_id"],
            "rtb-private"
        );
        insta::assert_json_snapshot!("function_public_subnet_clean", findings);
    }

    #[test]
    fn incomplete_case_is_not_evaluated_but_a_known_public_subnet_still_fails() {
        let findings = healthy()
            .with_region(EU)
            .gap("ec2", "DescribeRouteTables", EU)
            .with_function("unknown-vpc", in_gone_vpc(&["subnet-gone"]))
            .with_function(
                "public-and-unknown",
                in_gone_vpc(&["subnet-public-a", "subnet-gone"]),
            )
            // Lambda's VpcId is wrong; the known subnet's VPC gives the main table of the other.
            .with_function("vpc-known-from-sibling", |f| {
                let v = f.vpc_config.as_mut().expect("vpc");
                v.subnet_ids = vec!["subnet-private-a".into(), "subnet-gone".into()];
                v.vpc_id = Some("vpc-123abc".into());
            })
            .run(SLUG);
        assert_eq!(
            short(&findings),
            [
                (Fail, E1, "public-and-unknown"),
                (NotEvaluated, EU, "app-cp"),
                (NotEvaluated, EU, "billing"),
                (NotEvaluated, EU, "orders"),
                (NotEvaluated, E1, "unknown-vpc"),
                (Pass, E1, "app-cp"),
                (Pass, E1, "billing"),
                (Pass, E1, "orders"),
                (Pass, E1, "vpc-known-from-sibling"),
            ]
        );
        assert_eq!(
            findings[1].evidence.to_map()["gap"]["operation"],
            "DescribeRouteTables"
        );
        assert_eq!(
            findings[4].evidence.to_map()["reason"],
            "route_table_unknown"
        );
        let sibling = find(&findings, "vpc-known-from-sibling");
        assert_eq!(
            sibling.evidence.to_map()["subnets"][0]["route_table_source"],
            "main"
        );
        assert_eq!(
            sibling.evidence.to_map()["subnets"][0]["route_table_id"],
            "rtb-main"
        );
        insta::assert_json_snapshot!("function_public_subnet_incomplete", findings);
    }
}

mod function_no_egress {
    use super::*;

    const SLUG: &str = "function-no-egress";

    #[test]
    fn failing_case_flags_functions_with_no_way_out() {
        let findings = network_shapes(healthy())
            .with_function("isolated", in_subnets(&["isolated-a", "isolated-b"]))
            .with_function("igw-only", in_subnets(&["legacy-a", "legacy-b"]))
            .with_function("blackhole", in_subnets(&["isolated-c"]))
            .with_function(
                "nat-on-one-subnet",
                in_subnets(&["subnet-private-a", "subnet-main"]),
            )
            .with_function("transit", in_subnets(&["transit-a", "transit-b"]))
            .with_function(
                "endpoints-only",
                in_subnets(&["endpoints-a", "endpoints-b"]),
            )
            .with_function("ipv6-egress", |f| {
                in_subnets(&["isolated-c"])(f);
                f.vpc_config
                    .as_mut()
                    .expect("vpc")
                    .ipv6_allowed_for_dual_stack = true;
            })
            .with_function("no-vpc", no_vpc)
            .run(SLUG);
        assert_eq!(
            short(&findings),
            [
                (Fail, E1, "blackhole"),
                (Fail, E1, "igw-only"),
                (Fail, E1, "isolated"),
                (Pass, E1, "app-cp"),
                (Pass, E1, "billing"),
                (Pass, E1, "endpoints-only"),
                (Pass, E1, "ipv6-egress"),
                (Pass, E1, "nat-on-one-subnet"),
                (Pass, E1, "orders"),
                (Pass, E1, "transit"),
            ]
        );
        assert!(
            findings
                .iter()
                .all(|f| f.severity.as_str() == "informational")
        );
        // The deleted endpoint of vpc-isolated carries nothing.
        assert_eq!(
            find(&findings, "isolated").evidence.to_map()["vpc_id"],
            "vpc-isolated"
        );
        let endpoints = find(&findings, "endpoints-only");
        let services = &endpoints.evidence.to_map()["reachable_services"];
        assert_eq!(
            services[0]["service_name"],
            "com.amazonaws.us-east-1.lambda"
        );
        assert_eq!(services[1]["service_name"], "com.amazonaws.us-east-1.s3");
        assert_eq!(endpoints.evidence.to_map()["internet_route"], false);
        assert_eq!(
            find(&findings, "ipv6-egress").evidence.to_map()["egress_routes"][0]["target_kind"],
            "egress_only_internet_gateway"
        );
        assert_eq!(
            find(&findings, "transit").evidence.to_map()["egress_routes"][0]["target_kind"],
            "transit_gateway"
        );
        insta::assert_json_snapshot!("function_no_egress_failing", findings);
    }

    #[test]
    fn a_gateway_endpoint_serves_only_the_subnets_of_its_route_tables() {
        // vpc-endpoints without its interface endpoint: only the S3 gateway endpoint is left.
        let only_gateway = |tables: Collected<Vec<String>>| {
            network_shapes(healthy())
                .with_function(
                    "endpoints-only",
                    in_subnets(&["endpoints-a", "endpoints-b"]),
                )
                .ec2(E1, move |e| {
                    e.vpc_endpoints
                        .retain(|v| v.vpc_endpoint_id != "vpce-endpoints-lambda");
                    for v in &mut e.vpc_endpoints {
                        if v.vpc_endpoint_id == "vpce-endpoints-s3" {
                            v.route_table_ids = tables.clone();
                        }
                    }
                })
                .run(SLUG)
        };
        let served = only_gateway(Collected::Present(vec!["rtb-main-endpoints".into()]));
        let f = find(&served, "endpoints-only");
        assert_eq!(f.status, Pass);
        assert_eq!(
            f.evidence.to_map()["reachable_services"][0]["subnets_served"],
            json!(["endpoints-a", "endpoints-b"])
        );
        // Associated with a table that governs neither subnet: it serves nothing here.
        let elsewhere = only_gateway(Collected::Present(vec!["rtb-other".into()]));
        assert_eq!(find(&elsewhere, "endpoints-only").status, Fail);
        // A snapshot that did not record the association cannot say.
        let unknown = only_gateway(Collected::NotCollected);
        let f = find(&unknown, "endpoints-only");
        assert_eq!(f.status, NotEvaluated);
        assert_eq!(
            f.evidence.to_map()["reason"],
            "endpoint_route_tables_unknown"
        );
    }

    #[test]
    fn clean_case_passes() {
        let findings = healthy().run(SLUG);
        assert_eq!(
            short(&findings),
            [
                (Pass, E1, "app-cp"),
                (Pass, E1, "billing"),
                (Pass, E1, "orders")
            ]
        );
        assert_eq!(
            findings[0].evidence.to_map()["egress_routes"][0]["target_kind"],
            "nat_gateway"
        );
        insta::assert_json_snapshot!("function_no_egress_clean", findings);
    }

    #[test]
    fn incomplete_case_is_not_evaluated_only_where_the_answer_depends_on_the_gap() {
        let findings = healthy()
            // eu-west-1: its endpoints unknown; only a function with no route out needs them.
            .with_region(EU)
            .with_function_in(EU, "eu-isolated", in_subnets(&["subnet-main"]))
            .ec2(EU, |e| {
                e.subnets.push(subnet("subnet-main", VPC, "eu-west-1c"))
            })
            .gap("ec2", "DescribeVpcEndpoints", EU)
            .with_region("eu-west-2")
            .gap_with(
                "ec2",
                "DescribeRouteTables",
                "eu-west-2",
                "RequestLimitExceeded",
            )
            .with_function("unknown-vpc", in_gone_vpc(&["subnet-gone"]))
            .with_function(
                "nat-and-unknown",
                in_gone_vpc(&["subnet-private-a", "subnet-gone"]),
            )
            .run(SLUG);
        assert_eq!(
            short(&findings),
            [
                (NotEvaluated, EU, "eu-isolated"),
                (NotEvaluated, "eu-west-2", "app-cp"),
                (NotEvaluated, "eu-west-2", "billing"),
                (NotEvaluated, "eu-west-2", "orders"),
                (NotEvaluated, E1, "unknown-vpc"),
                (Pass, EU, "app-cp"),
                (Pass, EU, "billing"),
                (Pass, EU, "orders"),
                (Pass, E1, "app-cp"),
                (Pass, E1, "billing"),
                (Pass, E1, "nat-and-unknown"),
                (Pass, E1, "orders"),
            ]
        );
        assert_eq!(
            findings[0].evidence.to_map()["gap"]["operation"],
            "DescribeVpcEndpoints"
        );
        assert_eq!(
            findings[1].evidence.to_map()["gap"]["error_code"],
            "RequestLimitExceeded"
        );
        assert_eq!(
            findings[4].evidence.to_map()["reason"],
            "route_table_unknown"
        );
        insta::assert_json_snapshot!("function_no_egress_incomplete", findings);
    }
}

mod function_policy_public {
    use super::*;

    const SLUG: &str = "function-policy-public";

    #[test]
    fn an_organization_run_says_which_named_accounts_are_members() {
        let findings = healthy()
            .edit_function("orders", |f| {
                f.resource_policy =
                    Collected::Present(json!({"Version": "2012-10-17", "Statement": [
                    {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::222222222222:root"},
                     "Action": "lambda:InvokeFunction", "Resource": "*"},
                    {"Effect": "Allow", "Principal": {"AWS": "444455556666"},
                     "Action": "lambda:InvokeFunction", "Resource": "*"}]}))
            })
            .edit(|s| s.organization_accounts = vec!["111111111111".into(), "222222222222".into()])
            .run(SLUG);
        let orders = find(&findings, "orders");
        assert_eq!(orders.status, Pass, "named accounts are not the public");
        assert_eq!(
            orders.evidence.to_map()["named_accounts"],
            json!([{"account": "222222222222", "in_organization": true},
                   {"account": "444455556666", "in_organization": false}])
        );
        let alone = healthy().run(SLUG);
        assert!(
            alone
                .iter()
                .all(|f| f.evidence.get("named_accounts").is_none())
        );
    }

    #[test]
    fn failing_case_flags_only_callers_no_condition_pins() {
        let mut s = healthy();
        for (name, statements) in [
            (
                "public-star",
                json!([{"Sid": "Public", "Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunction"}]),
            ),
            (
                "public-aws-star",
                json!([{"Sid": "AnyAccount", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "lambda:*"}]),
            ),
            ("public-url", public_url_statements()),
            ("url-old-grant", old_url_grant()),
            ("url-grant-no-url", old_url_grant()),
            (
                "org-scoped",
                json!([{"Sid": "Org", "Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunction",
                "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]),
            ),
            (
                "source-scoped",
                json!([{"Sid": "S3", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "lambda:InvokeFunction",
                "Condition": {"ArnLike": {"AWS:SourceArn": "arn:aws:s3:::uploads-bucket"}, "StringEquals": {"AWS:SourceAccount": "111111111111"}}}]),
            ),
            (
                "account-grant",
                json!([{"Sid": "Partner", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::222222222222:root"}, "Action": "lambda:InvokeFunction"}]),
            ),
            (
                "principal-account",
                json!([{"Sid": "Acct", "Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunction",
                "Condition": {"StringEquals": {"aws:PrincipalAccount": "111111111111"}}}]),
            ),
            (
                "denied-public",
                json!([
                {"Sid": "Public", "Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunction"},
                {"Sid": "DenyOutsideOrg", "Effect": "Deny", "Principal": "*", "Action": "lambda:InvokeFunction",
                 "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]),
            ),
        ] {
            s = with_policy(s, name, statements);
        }
        let findings = s
            .edit_function("public-url", |f| f.url_config = url("NONE", &[]))
            .edit_function("url-old-grant", |f| f.url_config = url("NONE", &[]))
            .run(SLUG);
        assert_eq!(
            short(&findings),
            [
                (Fail, E1, "public-aws-star"),
                (Fail, E1, "public-star"),
                (Fail, E1, "public-url"),
                (Pass, E1, "account-grant"),
                (Pass, E1, "billing"),
                (Pass, E1, "denied-public"),
                (Pass, E1, "orders"),
                (Pass, E1, "org-scoped"),
                (Pass, E1, "principal-account"),
                (Pass, E1, "source-scoped"),
                (Pass, E1, "url-grant-no-url"),
                (Pass, E1, "url-old-grant"),
            ],
            "statements scoped by organization, source or account are never public"
        );
        assert!(findings.iter().all(|f| f.compliance() == ["Lambda.1"]));
        assert_eq!(
            findings[0].evidence.to_map()["allowed_by"][0]["sid"],
            "AnyAccount"
        );
        assert_eq!(
            findings[0].evidence.to_map()["allowed_by"][0]["statement"]["Principal"]["AWS"],
            "*"
        );
        assert_eq!(
            findings[2].evidence.to_map()["public_action"],
            "lambda:InvokeFunctionUrl"
        );
        assert_eq!(
            findings[2].evidence.to_map()["allowed_by"][1]["sid"],
            "FunctionURLInvokeAllowPublicAccess"
        );
        insta::assert_json_snapshot!("function_policy_public_failing", findings);
    }

    /// Whole documents as PutResourcePolicy writes them (Deny statements, NotPrincipal, global
    /// condition keys), on the function and on an alias: the engine evaluates them as AWS does.
    #[test]
    fn whole_documents_from_put_resource_policy_are_evaluated_as_aws_does() {
        let org = "o-a1b2c3d4e5";
        let mut s = healthy();
        for (name, statements) in [
            // Anyone, then a Deny on everyone but this account: an outsider is denied.
            (
                "deny-not-principal",
                json!([
                    {"Sid": "Anyone", "Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunction"},
                    {"Sid": "OnlyUs", "Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111111111111:root"},
                     "Action": "lambda:*"}]),
            ),
            // The same Deny, but only outside the organization: the org-scoped allow stays scoped.
            (
                "org-and-deny",
                json!([
                    {"Sid": "OrgInvoke", "Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunction",
                     "Condition": {"StringEquals": {"aws:PrincipalOrgID": org}}},
                    {"Sid": "DenyOutsideOrg", "Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111111111111:root"},
                     "Action": "lambda:*", "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": org}}}]),
            ),
            // Anyone, through one VPC endpoint only: not from the internet.
            (
                "vpce-only",
                json!([{"Sid": "ThroughEndpoint", "Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunction",
                    "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-0a1b2c3d"}}}]),
            ),
            // A Deny that names another action does not take the public allow away.
            (
                "deny-other-action",
                json!([
                    {"Sid": "Anyone", "Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunction"},
                    {"Sid": "NoConfigReads", "Effect": "Deny", "Principal": "*", "Action": "lambda:GetFunction"}]),
            ),
            // A NotPrincipal Deny that spares the anonymous caller too: still public.
            (
                "deny-spares-anyone",
                json!([
                    {"Sid": "Anyone", "Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunction"},
                    {"Sid": "SpareAll", "Effect": "Deny", "NotPrincipal": {"AWS": "*"}, "Action": "lambda:*"}]),
            ),
        ] {
            s = with_policy(s, name, statements);
        }
        // An alias whose own whole document is public, under a function whose document is not.
        let alias_arn = "arn:aws:lambda:us-east-1:111111111111:function:deny-not-principal:live";
        let s = s.edit_function("deny-not-principal", |f| {
            f.qualifiers = Collected::Present(vec![Qualifier {
                qualifier: "live".into(),
                kind: "alias".into(),
                resource_policy: Collected::Present(policy(json!([
                    {"Sid": "LiveForAnyone", "Effect": "Allow", "Principal": "*",
                     "Action": "lambda:InvokeFunction", "Resource": alias_arn},
                    {"Sid": "NoDeletes", "Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111111111111:root"},
                     "Action": "lambda:DeleteFunction", "Resource": alias_arn}]))),
                url_config: Collected::Absent,
            }])
        });
        let findings = s.run(SLUG);
        let verdict = |n: &str| find(&findings, n).status;
        assert_eq!(verdict("org-and-deny"), Pass);
        assert_eq!(verdict("vpce-only"), Pass);
        assert_eq!(verdict("deny-other-action"), Fail);
        assert_eq!(verdict("deny-spares-anyone"), Fail);
        // The function's own document denies outsiders; its alias's does not.
        let f = find(&findings, "deny-not-principal");
        assert_eq!(f.status, Fail);
        assert_eq!(f.evidence.to_map()["qualifier"], "live");
        assert_eq!(f.evidence.to_map()["allowed_by"][0]["sid"], "LiveForAnyone");
        assert_eq!(
            f.evidence.to_map()["surfaces"],
            json!([{"qualifier": "live", "status": "fail"}])
        );
        // Without the alias, the Deny with NotPrincipal decides, and is cited.
        let alone = with_policy(
            healthy(),
            "deny-not-principal",
            json!([
                {"Sid": "Anyone", "Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunction"},
                {"Sid": "OnlyUs", "Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111111111111:root"},
                 "Action": "lambda:*"}]),
        )
        .run(SLUG);
        let f = find(&alone, "deny-not-principal");
        assert_eq!(f.status, Pass, "{f:#?}");
        assert!(
            json!(f.evidence).to_string().contains("OnlyUs"),
            "the Deny is cited: {f:#?}"
        );
    }

    #[test]
    fn clean_case_passes() {
        let findings = healthy().run(SLUG);
        assert_eq!(
            short(&findings),
            [(Pass, E1, "billing"), (Pass, E1, "orders")]
        );
        assert_eq!(findings[0].evidence.to_map()["resource_policy"], false);
        assert_eq!(findings[1].evidence.to_map()["resource_policy"], true);
        insta::assert_json_snapshot!("function_policy_public_clean", findings);
    }

    #[test]
    fn incomplete_case_is_not_evaluated_unless_already_public() {
        let s = with_policy(
            healthy(),
            "by-source-ip",
            json!([{"Sid": "Ip", "Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunction",
                "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}]),
        );
        let s = with_policy(s, "url-unknown", old_url_grant());
        let s = with_policy(
            s,
            "public-url-unknown",
            json!([{"Sid": "Public", "Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunction"}]),
        );
        let findings = s
            .with_function("malformed", |f| {
                f.resource_policy = Collected::Present(Value::String("{not json".into()))
            })
            .with_function("policy-denied", |_| {})
            .function_gap("GetPolicy", "policy-denied", "AccessDeniedException")
            .function_gap(
                "GetFunctionUrlConfig",
                "url-unknown",
                "TooManyRequestsException",
            )
            .function_gap(
                "GetFunctionUrlConfig",
                "public-url-unknown",
                "TooManyRequestsException",
            )
            .gap("lambda", "ListFunctions", EU)
            .run(SLUG);
        assert_eq!(
            short(&findings),
            [
                // Public through the API: the missing URL cannot make it less so.
                (Fail, E1, "public-url-unknown"),
                (NotEvaluated, EU, "root"),
                (NotEvaluated, E1, "by-source-ip"),
                (NotEvaluated, E1, "malformed"),
                (NotEvaluated, E1, "policy-denied"),
                (NotEvaluated, E1, "url-unknown"),
                (Pass, E1, "billing"),
                (Pass, E1, "orders"),
            ]
        );
        assert_eq!(findings[2].evidence.to_map()["reason"], "decision_unknown");
        assert_eq!(findings[3].evidence.to_map()["reason"], "policy_unreadable");
        assert_eq!(
            findings[4].evidence.to_map()["gap"]["operation"],
            "GetPolicy"
        );
        assert_eq!(
            findings[5].evidence.to_map()["gap"]["operation"],
            "GetFunctionUrlConfig"
        );
        insta::assert_json_snapshot!("function_policy_public_incomplete", findings);
    }
}

mod function_policy_unscoped_service {
    use super::*;

    const SLUG: &str = "function-policy-unscoped-service";

    /// A whole document (PutResourcePolicy): an unconditioned service grant that a Deny scopes to
    /// the account passes and cites the Deny; a Deny on another key does not scope it.
    #[test]
    fn a_deny_in_a_whole_document_scopes_a_service_grant() {
        let allow = json!({"Sid": "S3", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
            "Action": "lambda:InvokeFunction"});
        let s = with_policy(
            healthy(),
            "deny-scoped",
            json!([allow.clone(), {"Sid": "OnlyOurBuckets", "Effect": "Deny", "Principal": "*",
                "Action": "lambda:InvokeFunction",
                "Condition": {"StringNotEquals": {"aws:SourceAccount": "111111111111"}}}]),
        );
        let s = with_policy(
            s,
            "deny-elsewhere",
            json!([allow, {"Sid": "NoOutsideOrg", "Effect": "Deny", "NotPrincipal": {"Service": "s3.amazonaws.com"},
                "Action": "lambda:InvokeFunction",
                "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]),
        );
        let findings = s.run(SLUG);
        let scoped = find(&findings, "deny-scoped");
        assert_eq!(scoped.status, Pass);
        assert_eq!(
            scoped.evidence.to_map()["denied_by"][0]["statements"][0]["sid"],
            "OnlyOurBuckets"
        );
        assert_eq!(find(&findings, "deny-elsewhere").status, Fail);
    }

    /// One statement letting `service` invoke the function under `condition` (none when null).
    fn grant(sid: &str, service: Value, condition: Value) -> Value {
        let mut st = json!({"Sid": sid, "Effect": "Allow", "Principal": {"Service": service},
                            "Action": "lambda:InvokeFunction"});
        if !condition.is_null() {
            st["Condition"] = condition;
        }
        json!([st])
    }

    #[test]
    fn failing_case_flags_services_acting_for_anyone() {
        let mut s = healthy();
        for (name, statements) in [
            (
                "sns-unscoped",
                grant("Sns", json!("sns.amazonaws.com"), Value::Null),
            ),
            (
                "s3-wildcard-arn",
                grant(
                    "S3",
                    json!("s3.amazonaws.com"),
                    json!({"ArnLike": {"AWS:SourceArn": "arn:aws:s3:::*"}}),
                ),
            ),
            (
                "s3-scoped",
                grant(
                    "S3",
                    json!("s3.amazonaws.com"),
                    json!({"ArnLike": {"AWS:SourceArn": "arn:aws:s3:::uploads-bucket"}, "StringEquals": {"AWS:SourceAccount": "111111111111"}}),
                ),
            ),
            // A bucket name alone: anyone can own a bucket of a free name.
            (
                "s3-bucket-only",
                grant(
                    "S3",
                    json!("s3.amazonaws.com"),
                    json!({"ArnLike": {"AWS:SourceArn": "arn:aws:s3:::uploads-bucket"}}),
                ),
            ),
            (
                "sns-any-account",
                grant(
                    "Sns",
                    json!("sns.amazonaws.com"),
                    json!({"ArnLike": {"AWS:SourceArn": "arn:aws:sns:*:*:orders"}}),
                ),
            ),
            (
                "events-account",
                grant(
                    "Events",
                    json!("events.amazonaws.com"),
                    json!({"StringEquals": {"AWS:SourceAccount": "111111111111"}}),
                ),
            ),
            (
                "sns-topic",
                grant(
                    "Sns",
                    json!("sns.amazonaws.com"),
                    json!({"ArnEquals": {"AWS:SourceArn": "arn:aws:sns:us-east-1:111111111111:orders"}}),
                ),
            ),
            (
                "public-only",
                json!([{"Sid": "Public", "Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunction"}]),
            ),
        ] {
            s = with_policy(s, name, statements);
        }
        let mut two = grant(
            "Events",
            json!(["events.amazonaws.com", "apigateway.amazonaws.com"]),
            json!({"ArnLike": {"AWS:SourceArn": "arn:aws:events:us-east-1:111111111111:rule/*"}}),
        );
        two.as_array_mut().expect("array").extend(
            grant("Api", json!("apigateway.amazonaws.com"), Value::Null)
                .as_array()
                .cloned()
                .unwrap_or_default(),
        );
        let findings = with_policy(s, "two-services", two).run(SLUG);
        assert_eq!(
            short(&findings),
            [
                (Fail, E1, "s3-bucket-only"),
                (Fail, E1, "s3-wildcard-arn"),
                (Fail, E1, "sns-any-account"),
                (Fail, E1, "sns-unscoped"),
                (Fail, E1, "two-services"),
                (Pass, E1, "billing"),
                (Pass, E1, "events-account"),
                (Pass, E1, "orders"),
                (Pass, E1, "public-only"),
                (Pass, E1, "s3-scoped"),
                (Pass, E1, "sns-topic"),
            ]
        );
        let two = &findings[4].evidence.to_map()["unscoped"];
        assert_eq!(two.as_array().map(Vec::len), Some(1));
        assert_eq!(two[0]["principal"], "apigateway.amazonaws.com");
        assert_eq!(two[0]["statements"][0]["sid"], "Api");
        insta::assert_json_snapshot!("function_policy_unscoped_service_failing", findings);
    }

    #[test]
    fn clean_case_passes() {
        let findings = healthy().run(SLUG);
        assert_eq!(
            short(&findings),
            [(Pass, E1, "billing"), (Pass, E1, "orders")]
        );
        // orders lets API Gateway invoke it for its own API only.
        assert_eq!(
            findings[1].evidence.to_map()["service_principals"],
            json!(["apigateway.amazonaws.com"])
        );
        insta::assert_json_snapshot!("function_policy_unscoped_service_clean", findings);
    }

    #[test]
    fn incomplete_case_is_not_evaluated() {
        let findings = with_policy(
            healthy(),
            "by-tag",
            grant(
                "Sns",
                json!("sns.amazonaws.com"),
                json!({"StringEquals": {"aws:ResourceTag/team": "orders"}}),
            ),
        )
        .with_function("policy-denied", |_| {})
        .function_gap("GetPolicy", "policy-denied", "AccessDeniedException")
        .run(SLUG);
        assert_eq!(
            short(&findings),
            [
                (NotEvaluated, E1, "by-tag"),
                (NotEvaluated, E1, "policy-denied"),
                (Pass, E1, "billing"),
                (Pass, E1, "orders"),
            ]
        );
        assert_eq!(findings[0].evidence.to_map()["reason"], "decision_unknown");
        assert_eq!(
            findings[1].evidence.to_map()["gap"]["operation"],
            "GetPolicy"
        );
        insta::assert_json_snapshot!("function_policy_unscoped_service_incomplete", findings);
    }
}

mod function_url_auth_none {
    use super::*;
    use vpcwarden::finding::Severity;

    const SLUG: &str = "function-url-auth-none";

    #[test]
    fn failing_case_is_high_only_when_the_policy_admits_anonymous_callers() {
        let s = with_policy(healthy(), "url-public", public_url_statements());
        let findings = with_policy(s, "url-old-grant", old_url_grant())
            .edit_function("url-public", |f| f.url_config = url("NONE", &[]))
            .edit_function("url-old-grant", |f| f.url_config = url("NONE", &[]))
            .with_function("url-no-policy", |f| f.url_config = url("NONE", &[]))
            .run(SLUG);
        assert_eq!(
            short(&findings),
            [
                (Fail, E1, "url-public"),
                (Fail, E1, "url-no-policy"),
                (Fail, E1, "url-old-grant"),
                (Pass, E1, "billing"),
                (Pass, E1, "orders"),
            ]
        );
        assert_eq!(findings[0].severity, Severity::High);
        assert_eq!(findings[0].evidence.to_map()["public_invocation"], true);
        assert_eq!(
            findings[0].evidence.to_map()["allowed_by"][0]["sid"],
            "FunctionURLAllowPublicAccess"
        );
        assert_eq!(findings[1].severity, Severity::Medium);
        assert_eq!(findings[1].evidence.to_map()["public_invocation"], false);
        // The grant of before October 2025 alone no longer opens the URL.
        assert_eq!(findings[2].severity, Severity::Medium);
        insta::assert_json_snapshot!("function_url_auth_none_failing", findings);
    }

    #[test]
    fn clean_case_passes() {
        let findings = healthy().run(SLUG);
        // billing's URL requires IAM; orders has none.
        assert_eq!(
            short(&findings),
            [(Pass, E1, "billing"), (Pass, E1, "orders")]
        );
        assert_eq!(findings[0].evidence.to_map()["auth_type"], "AWS_IAM");
        assert_eq!(findings[1].evidence.to_map()["url"], Value::Null);
        insta::assert_json_snapshot!("function_url_auth_none_clean", findings);
    }

    #[test]
    fn incomplete_case_fails_without_the_policy_but_cannot_raise_the_severity() {
        let findings = healthy()
            .with_function("url-denied", |_| {})
            .function_gap(
                "GetFunctionUrlConfig",
                "url-denied",
                "AccessDeniedException",
            )
            .with_function("url-none-policy-denied", |f| {
                f.url_config = url("NONE", &[])
            })
            .function_gap(
                "GetPolicy",
                "url-none-policy-denied",
                "AccessDeniedException",
            )
            .run(SLUG);
        assert_eq!(
            short(&findings),
            [
                // AuthType NONE is the finding; only its severity needed the policy.
                (Fail, E1, "url-none-policy-denied"),
                (NotEvaluated, E1, "url-denied"),
                (Pass, E1, "billing"),
                (Pass, E1, "orders"),
            ]
        );
        assert_eq!(findings[0].severity, Severity::Medium);
        assert_eq!(
            findings[0].evidence.to_map()["policy_unavailable"]["gap"]["operation"],
            "GetPolicy"
        );
        insta::assert_json_snapshot!("function_url_auth_none_incomplete", findings);
    }
}

mod function_url_cors_wildcard {
    use super::*;

    const SLUG: &str = "function-url-cors-wildcard";

    #[test]
    fn failing_case_flags_any_wildcard_origin() {
        let findings = healthy()
            .with_function("cors-star", |f| f.url_config = url("NONE", &["*"]))
            .with_function("cors-mixed", |f| {
                f.url_config = url("AWS_IAM", &["https://app.example.com", "*"])
            })
            .run(SLUG);
        assert_eq!(
            short(&findings),
            [
                (Fail, E1, "cors-mixed"),
                (Fail, E1, "cors-star"),
                (Pass, E1, "billing"),
                (Pass, E1, "orders"),
            ]
        );
        insta::assert_json_snapshot!("function_url_cors_wildcard_failing", findings);
    }

    #[test]
    fn clean_case_passes() {
        let findings = healthy().run(SLUG);
        assert_eq!(
            short(&findings),
            [(Pass, E1, "billing"), (Pass, E1, "orders")]
        );
        assert_eq!(
            findings[0].evidence.to_map()["allow_origins"],
            json!(["https://app.example.com"])
        );
        insta::assert_json_snapshot!("function_url_cors_wildcard_clean", findings);
    }

    #[test]
    fn incomplete_case_is_not_evaluated() {
        let findings = healthy()
            .gap("lambda", "ListFunctions", EU)
            .gap("lambda", "GetFunctionUrlConfig", E1)
            .run(SLUG);
        assert_eq!(
            short(&findings),
            [
                (NotEvaluated, EU, "root"),
                (NotEvaluated, E1, "billing"),
                (NotEvaluated, E1, "orders"),
            ]
        );
        assert_eq!(
            findings[1].evidence.to_map()["gap"]["operation"],
            "GetFunctionUrlConfig"
        );
        insta::assert_json_snapshot!("function_url_cors_wildcard_incomplete", findings);
    }
}

mod function_runtime_deprecated {
    use super::*;
    use vpcwarden::finding::Severity;

    const SLUG: &str = "function-runtime-deprecated";

    fn runtime(id: &'static str) -> impl FnOnce(&mut Function) {
        move |f| f.runtime = Some(id.into())
    }

    #[test]
    fn failing_case_flags_runtimes_past_their_date() {
        let findings = healthy()
            .with_function("py37", runtime("python3.7"))
            .with_function("go1", runtime("go1.x"))
            .with_function("node18", runtime("nodejs18.x"))
            .with_function("image", |f| {
                f.runtime = None;
                f.package_type = Some("Image".into());
            })
            .run(SLUG);
        assert_eq!(
            short(&findings),
            [
                (Fail, E1, "go1"),
                (Fail, E1, "node18"),
                (Fail, E1, "py37"),
                (Pass, E1, "billing"),
                (Pass, E1, "image"),
                (Pass, E1, "orders"),
            ]
        );
        assert!(findings.iter().all(|f| f.compliance() == ["Lambda.2"]));
        assert_eq!(
            findings[2].evidence.to_map()["deprecation_date"],
            "2023-12-04"
        );
        assert!(findings[2].evidence.to_map()["days_left"].as_i64() < Some(0));
        insta::assert_json_snapshot!("function_runtime_deprecated_failing", findings);
    }

    #[test]
    fn a_deprecation_within_180_days_is_a_low_finding_with_the_days_left() {
        // Two months before python3.12's date, the same function is warned about.
        let t = vpcwarden::checks::lambda::function_runtime_deprecated::table().expect("table");
        let py312 = t
            .runtime
            .iter()
            .find(|r| r.id == "python3.12")
            .expect("python3.12");
        let date = py312
            .deprecation
            .expect("python3.12 has a date")
            .to_string();
        let (y, rest) = date.split_once('-').expect("date");
        let (m, _) = rest.split_once('-').expect("date");
        let (y, m): (i32, u32) = (y.parse().expect("y"), m.parse().expect("m"));
        let (y, m) = if m > 2 { (y, m - 2) } else { (y - 1, m + 10) };
        let findings = healthy()
            .collected_at(&format!("{y}-{m:02}-01T00:00:00Z"))
            .run(SLUG);
        let warned = find(&findings, "orders");
        assert_eq!(warned.evidence.to_map()["runtime"], "python3.12");
        assert_eq!(warned.status, Fail);
        assert_eq!(warned.severity, Severity::Low);
        let days = warned.evidence.to_map()["days_left"]
            .as_i64()
            .expect("days");
        assert!((28..=92).contains(&days), "{days}");
        assert!(warned.message.contains(&format!("{days} days left")));
    }

    #[test]
    fn clean_case_passes() {
        let findings = healthy().run(SLUG);
        assert_eq!(
            short(&findings),
            [(Pass, E1, "billing"), (Pass, E1, "orders")]
        );
        insta::assert_json_snapshot!("function_runtime_deprecated_clean", findings);
    }

    #[test]
    fn incomplete_case_is_not_evaluated() {
        let findings = healthy()
            .gap("lambda", "ListFunctions", EU)
            .with_function("future", runtime("python9.9"))
            .run(SLUG);
        assert_eq!(
            short(&findings),
            [
                (NotEvaluated, EU, "root"),
                (NotEvaluated, E1, "future"),
                (Pass, E1, "billing"),
                (Pass, E1, "orders"),
            ]
        );
        assert_eq!(findings[1].evidence.to_map()["reason"], "runtime_unknown");
        insta::assert_json_snapshot!("function_runtime_deprecated_incomplete", findings);
    }
}

mod function_layer_cross_account {
    use super::*;
    use vpcwarden::config::Config;

    const SLUG: &str = "function-layer-cross-account";

    fn layers(arns: &'static [&'static str]) -> impl FnOnce(&mut Function) {
        move |f| {
            f.layers = arns
                .iter()
                .map(|a| Layer {
                    arn: a.to_string(),
                    code_size: 1024,
                })
                .collect()
        }
    }

    fn failing() -> Scenario {
        healthy()
            .with_function(
                "foreign-layer",
                layers(&[
                    "arn:aws:lambda:us-east-1:111111111111:layer:shared-libs:3",
                    "arn:aws:lambda:us-east-1:999988887777:layer:shady-utils:3",
                ]),
            )
            .with_function(
                "trusted-layer",
                layers(&["arn:aws:lambda:us-east-1:580247275435:layer:LambdaInsightsExtension:38"]),
            )
    }

    #[test]
    fn organization_members_are_named_and_trusted_only_when_configured() {
        // An organization run listed 999988887777 as a member of the organization.
        let members = failing()
            .edit(|s| s.organization_accounts = vec!["111111111111".into(), "999988887777".into()]);
        let findings = members.run(SLUG);
        let foreign = find(&findings, "foreign-layer");
        assert_eq!(foreign.status, Fail, "members are not trusted by default");
        assert_eq!(
            foreign.evidence.to_map()["layers"][1]["in_organization"],
            true
        );
        assert_eq!(
            find(&findings, "trusted-layer").evidence.to_map()["layers"][0]["in_organization"],
            false
        );
        let config = Config {
            trust_organization_accounts: true,
            ..Config::default()
        };
        let findings = members.run_with(SLUG, &config);
        assert_eq!(find(&findings, "foreign-layer").status, Pass);
        assert_eq!(find(&findings, "trusted-layer").status, Fail);
        // Without an organization run, membership is not claimed either way.
        let findings = failing().run(SLUG);
        assert!(
            findings[0].evidence.to_map()["layers"][1]
                .get("in_organization")
                .is_none()
        );
    }

    #[test]
    fn failing_case_flags_layers_of_untrusted_accounts() {
        let findings = failing().run(SLUG);
        assert_eq!(
            short(&findings),
            [
                (Fail, E1, "foreign-layer"),
                (Fail, E1, "trusted-layer"),
                (Pass, E1, "billing"),
                (Pass, E1, "orders"),
            ]
        );
        let foreign = &findings[0].evidence.to_map()["untrusted_layers"];
        assert_eq!(foreign.as_array().map(Vec::len), Some(1));
        assert_eq!(foreign[0]["owner"], "999988887777");
        insta::assert_json_snapshot!("function_layer_cross_account_failing", findings);
    }

    #[test]
    fn trusted_layer_accounts_come_from_the_config() {
        let config = Config {
            trusted_layer_accounts: vec!["580247275435".into()],
            ..Config::default()
        };
        let findings = failing().run_with(SLUG, &config);
        assert_eq!(short(&findings)[0], (Fail, E1, "foreign-layer"));
        assert_eq!(find(&findings, "trusted-layer").status, Pass);
    }

    #[test]
    fn clean_case_passes() {
        let findings = healthy().run(SLUG);
        // orders uses a layer of its own account; billing none.
        assert_eq!(
            short(&findings),
            [(Pass, E1, "billing"), (Pass, E1, "orders")]
        );
        assert_eq!(
            findings[1].evidence.to_map()["layers"][0]["owner"],
            "111111111111"
        );
        insta::assert_json_snapshot!("function_layer_cross_account_clean", findings);
    }

    #[test]
    fn incomplete_case_is_not_evaluated_for_the_unlisted_region() {
        let findings = healthy().gap("lambda", "ListFunctions", EU).run(SLUG);
        assert_eq!(
            short(&findings),
            [
                (NotEvaluated, EU, "root"),
                (Pass, E1, "billing"),
                (Pass, E1, "orders"),
            ]
        );
        insta::assert_json_snapshot!("function_layer_cross_account_incomplete", findings);
    }
}

mod capacity_provider_shared_roles {
    use super::*;

    const SLUG: &str = "capacity-provider-shared-roles";

    #[test]
    fn failing_case_flags_a_provider_shared_by_two_roles() {
        let findings = on_providers()
            .with_function("mi-ha-billing", |f| {
                f.vpc_config = None;
                f.role = "arn:aws:iam::111111111111:role/billing-role".into();
                f.capacity_provider_arn =
                    Some("arn:aws:lambda:us-east-1:111111111111:capacity-provider:cp-ha".into());
            })
            .run(SLUG);
        assert_eq!(
            short(&findings),
            [(Fail, E1, "cp-ha"), (Pass, E1, "cp-public")]
        );
        assert_eq!(&*findings[0].resource_type, "Other");
        assert_eq!(
            findings[0].evidence.to_map()["execution_roles"]["arn:aws:iam::111111111111:role/billing-role"],
            json!(["mi-ha-billing"])
        );
        insta::assert_json_snapshot!("capacity_provider_shared_roles_failing", findings);
    }

    #[test]
    fn clean_case_passes() {
        let findings = healthy().run(SLUG);
        assert_eq!(short(&findings), [(Pass, E1, "app-cp")]);
        insta::assert_json_snapshot!("capacity_provider_shared_roles_clean", findings);
    }

    #[test]
    fn incomplete_case_is_not_evaluated() {
        // A function a failed ListFunctions did not return may run on any provider.
        let findings = healthy().gap("lambda", "ListFunctions", E1).run(SLUG);
        assert_eq!(short(&findings), [(NotEvaluated, E1, "app-cp")]);
        assert_eq!(
            findings[0].evidence.to_map()["gap"]["operation"],
            "ListFunctions"
        );
        let denied = healthy()
            .lambda(E1, |l| l.capacity_providers = Collected::NotCollected)
            .gap("lambda", "ListCapacityProviders", E1)
            .run(SLUG);
        assert_eq!(short(&denied), [(NotEvaluated, E1, "root")]);
        assert_eq!(
            denied[0].evidence.to_map()["gap"]["operation"],
            "ListCapacityProviders"
        );
        insta::assert_json_snapshot!("capacity_provider_shared_roles_incomplete", findings);
    }
}

mod capacity_provider_operator_role_broad {
    use super::*;
    use crate::support::healthy::{OPERATOR_POLICY, role_arn};

    const SLUG: &str = "capacity-provider-operator-role-broad";

    /// The healthy account with capacity providers whose operator roles carry the managed
    /// operator policy plus one extra inline statement each (`None`: the managed policy alone).
    fn operators(extra: &[(&str, Option<Value>)]) -> Scenario {
        let mut s = healthy();
        let mut providers = Vec::new();
        for (name, statement) in extra {
            let role = format!("{name}-operator");
            s = s.with_role(&role, |r| {
                r.attached_policies = vec![OPERATOR_POLICY.into()];
                if let Some(st) = statement {
                    r.inline_policies = vec![crate::support::healthy::inline(
                        "extra",
                        policy(json!([st])),
                    )];
                }
            });
            providers.push(CapacityProvider {
                arn: format!("arn:aws:lambda:us-east-1:111111111111:capacity-provider:{name}"),
                state: Some("Active".into()),
                vpc_config: VpcConfig {
                    vpc_id: None,
                    subnet_ids: vec!["subnet-private-a".into(), "subnet-private-b".into()],
                    security_group_ids: vec!["sg-functions".into()],
                    ipv6_allowed_for_dual_stack: false,
                },
                operator_role_arn: Some(role_arn(&role)),
                kms_key_arn: None,
            });
        }
        s.lambda(E1, move |l| {
            if let Collected::Present(list) = &mut l.capacity_providers {
                list.extend(providers);
            }
        })
    }

    #[test]
    fn failing_case_flags_grants_beyond_the_managed_policy() {
        let findings = operators(&[
            // Every EC2 action on everything.
            (
                "ec2-star",
                Some(json!({"Sid": "AllEc2", "Effect": "Allow", "Action": "ec2:*", "Resource": "*"})),
            ),
            // The managed policy's own action, without its managed-resource condition.
            (
                "run-any",
                Some(json!({"Effect": "Allow", "Action": "ec2:RunInstances",
                    "Resource": "arn:aws:ec2:*:*:instance/*"})),
            ),
            // A NotAction grant names nothing but reaches IAM.
            (
                "not-action",
                Some(json!({"Effect": "Allow", "NotAction": ["ec2:*", "logs:*"], "Resource": "*"})),
            ),
            // Another service, on a wildcard resource.
            (
                "s3-read",
                Some(json!({"Effect": "Allow", "Action": "s3:Get*",
                    "Resource": "arn:aws:s3:::logs-*/*"})),
            ),
            // Restating what the managed policy allows is no more than it allows.
            (
                "restated",
                Some(json!({"Effect": "Allow", "Action": ["ec2:DescribeSubnets", "ec2:DescribeInstances"],
                    "Resource": "*"})),
            ),
            // Conditioned exactly as the managed policy is.
            (
                "same-condition",
                Some(json!({"Effect": "Allow", "Action": "ec2:CreateTags",
                    "Resource": "arn:aws:ec2:*:*:instance/*",
                    "Condition": {"StringEquals": {"ec2:ManagedResourceOperator": "scaler.lambda.amazonaws.com"}}})),
            ),
            ("managed-only", None),
        ])
        .run(SLUG);
        assert_eq!(
            short(&findings),
            [
                (Fail, E1, "ec2-star"),
                (Fail, E1, "not-action"),
                (Fail, E1, "run-any"),
                (Fail, E1, "s3-read"),
                (Pass, E1, "app-cp"),
                (Pass, E1, "managed-only"),
                (Pass, E1, "restated"),
                (Pass, E1, "same-condition"),
            ]
        );
        let star = find(&findings, "ec2-star");
        assert_eq!(&*star.resource_type, "Other");
        let beyond_evidence = star.evidence.to_map();
        let beyond = beyond_evidence["beyond_reference"]
            .as_array()
            .expect("list");
        let actions: Vec<&str> = beyond.iter().filter_map(|b| b["action"].as_str()).collect();
        assert!(actions.contains(&"ec2:terminateinstances"), "{actions:?}");
        assert!(
            !actions.iter().any(|a| a.starts_with("iam:")),
            "{actions:?}"
        );
        assert_eq!(beyond[0]["granted_by"][0]["sid"], "AllEc2");
        let run_any = find(&findings, "run-any");
        let beyond_evidence = run_any.evidence.to_map();
        let beyond = beyond_evidence["beyond_reference"]
            .as_array()
            .expect("list");
        assert!(
            beyond
                .iter()
                .all(|b| b["contexts"] == json!(["unmanaged_resource"])),
            "as the scaler calls it, RunInstances on an instance is the managed policy's: {beyond:#?}"
        );
        let not_action = find(&findings, "not-action");
        let actions_evidence = not_action.evidence.to_map();
        let actions: Vec<&str> = actions_evidence["beyond_reference"]
            .as_array()
            .expect("list")
            .iter()
            .filter_map(|b| b["action"].as_str())
            .collect();
        assert!(actions.contains(&"iam:passrole"), "{actions:?}");
        assert!(
            find(&findings, "s3-read")
                .message
                .contains("s3:getvpcwarden-probe"),
            "{}",
            find(&findings, "s3-read").message
        );
        assert_eq!(
            find(&findings, "managed-only").evidence.to_map()["reference_policy_source"],
            "snapshot"
        );
        insta::assert_json_snapshot!("capacity_provider_operator_role_broad_failing", findings);
    }

    #[test]
    fn clean_case_passes() {
        let findings = healthy().run(SLUG);
        assert_eq!(short(&findings), [(Pass, E1, "app-cp")]);
        assert_eq!(
            findings[0].evidence.to_map()["operator_role_name"],
            "app-cp-operator"
        );
        // Without the snapshot's copy of the managed policy, the built-in one decides the same.
        let built_in = healthy()
            .edit(|s| {
                s.accounts[0]
                    .iam
                    .as_mut()
                    .expect("iam")
                    .managed_policies
                    .retain(|m| m.arn != OPERATOR_POLICY)
            })
            .edit_role("app-cp-operator", |r| {
                r.attached_policies.clear();
                r.inline_policies = vec![crate::support::healthy::inline(
                    "copy",
                    serde_json::from_str(include_str!(
                        "../../../checks/AWSLambdaManagedEC2ResourceOperator.json"
                    ))
                    .expect("JSON"),
                )]
            })
            .run(SLUG);
        assert_eq!(short(&built_in), [(Pass, E1, "app-cp")]);
        assert_eq!(
            built_in[0].evidence.to_map()["reference_policy_source"],
            "built_in"
        );
        // A permissions boundary of the managed policy itself takes an `"Action": "*"` away.
        let bounded = operators(&[(
            "bounded",
            Some(json!({"Effect": "Allow", "Action": "*", "Resource": "*"})),
        )])
        .edit_role("bounded-operator", |r| {
            r.permissions_boundary = Some(OPERATOR_POLICY.into())
        })
        .run(SLUG);
        let b = find(&bounded, "bounded");
        assert_eq!(b.status, Pass, "{b:#?}");
    }

    #[test]
    fn incomplete_case_is_not_evaluated() {
        // IAM denied: the operator role's policies are unknown.
        let findings = healthy()
            .edit(|s| s.accounts[0].iam = None)
            .gap("iam", "GetAccountAuthorizationDetails", "global")
            .run(SLUG);
        assert_eq!(short(&findings), [(NotEvaluated, E1, "app-cp")]);
        assert_eq!(
            findings[0].evidence.to_map()["gap"]["operation"],
            "GetAccountAuthorizationDetails"
        );
        // A grant that hinges on a tag nobody knows, and nothing else beyond the reference.
        let tagged = operators(&[(
            "tagged",
            Some(json!({"Effect": "Allow", "Action": "ec2:TerminateInstances",
                "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/team": "platform"}}})),
        )])
        .run(SLUG);
        let t = find(&tagged, "tagged");
        assert_eq!(t.status, NotEvaluated);
        assert_eq!(t.evidence.to_map()["reason"], "decision_unknown");
        // An operator role of another account; one of this account that was deleted grants nothing.
        let elsewhere = healthy()
            .lambda(E1, |l| {
                if let Collected::Present(list) = &mut l.capacity_providers {
                    list[0].operator_role_arn =
                        Some("arn:aws:iam::222222222222:role/shared-operator".into());
                }
            })
            .run(SLUG);
        assert_eq!(short(&elsewhere), [(NotEvaluated, E1, "app-cp")]);
        assert_eq!(
            elsewhere[0].evidence.to_map()["reason"],
            "operator_role_in_other_account"
        );
        let deleted = healthy()
            .edit(|s| {
                s.accounts[0]
                    .iam
                    .as_mut()
                    .expect("iam")
                    .roles
                    .retain(|r| r.name != "app-cp-operator")
            })
            .run(SLUG);
        assert_eq!(short(&deleted), [(Pass, E1, "app-cp")]);
        assert_eq!(deleted[0].evidence.to_map()["role_found"], false);
        // The providers of a region whose list failed are accounted for on the account.
        let denied = healthy()
            .lambda(E1, |l| l.capacity_providers = Collected::NotCollected)
            .gap("lambda", "ListCapacityProviders", E1)
            .run(SLUG);
        assert_eq!(short(&denied), [(NotEvaluated, E1, "root")]);
        insta::assert_json_snapshot!("capacity_provider_operator_role_broad_incomplete", findings);
    }
}

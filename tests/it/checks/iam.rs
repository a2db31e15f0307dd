//! The IAM checks (`src/checks/iam/`), decided by the policy engine: the healthy account plus one
//! change, for a clean, a failing and an incomplete-data case each.

use crate::support::healthy::{
    REGION, Scenario, allow, function_arn, healthy, inline, member_of_organization, policy,
    role_arn, scp,
};
use crate::support::{find, short};
use serde_json::{Value, json};
use vpcwarden::finding::Status::{Fail, NotEvaluated, Pass};
use vpcwarden::snapshot::{EventSourceMapping, Organizations};

const G: &str = "global";

const ADMIN: &str = "arn:aws:iam::aws:policy/AdministratorAccess";
const BASIC: &str = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";
const VPC_ACCESS: &str = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole";

/// The AWS managed policies the shapes below attach, with their documents.
fn with_aws_managed_policies(s: Scenario) -> Scenario {
    s.with_managed_policy(ADMIN, policy(json!([allow(&["*"], "*")])))
        .with_managed_policy(
            BASIC,
            policy(json!([allow(
                &[
                    "logs:CreateLogGroup",
                    "logs:CreateLogStream",
                    "logs:PutLogEvents"
                ],
                "*"
            )])),
        )
        .with_managed_policy(
            VPC_ACCESS,
            policy(json!([{
                "Sid": "AWSLambdaVPCAccessExecutionPermissions",
                "Effect": "Allow",
                "Action": [
                    "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents",
                    "ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces",
                    "ec2:DescribeSubnets", "ec2:DeleteNetworkInterface",
                    "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"
                ],
                "Resource": "*"
            }])),
        )
}

/// A role trusted by the account (not by Lambda).
fn account_trust() -> Value {
    policy(
        json!([{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"},
                   "Action": "sts:AssumeRole"}]),
    )
}

/// Adds a function that runs as `role`.
fn runs_as(s: Scenario, function: &str, role: &str) -> Scenario {
    let arn = role_arn(role);
    s.with_function(function, |f| f.role = arn)
}

/// The execution-role shapes the role checks judge: what an execution role may be granted.
/// Also a corpus of the gap test (`tests/it/gaps.rs`).
pub(crate) fn role_shapes() -> Scenario {
    let s = with_aws_managed_policies(healthy())
        .with_managed_policy("LogsOnlyBoundary", policy(json!([allow(&["logs:*"], "*")])))
        .with_role("admin-role", |r| r.attached_policies = vec![ADMIN.into()])
        // Administrator, but neither trusting Lambda nor used by a function: not judged.
        .with_role("ci-deploy-role", |r| {
            r.trust_policy = account_trust();
            r.attached_policies = vec![ADMIN.into()];
        })
        .with_role("eni-boundary-role", |r| {
            r.attached_policies = vec![VPC_ACCESS.into()];
            r.permissions_boundary = Some("arn:aws:iam::111111111111:policy/LogsOnlyBoundary".into());
        })
        .with_role("eni-denied-role", |r| {
            r.inline_policies = vec![inline(
                "eni",
                policy(json!([
                    allow(&["ec2:*"], "*"),
                    {"Sid": "NoEniFromCode", "Effect": "Deny",
                     "Action": ["ec2:*NetworkInterface*", "ec2:*PrivateIpAddresses", "ec2:*Ipv6Addresses"],
                     "Resource": "*",
                     "Condition": {"StringLike": {"lambda:SourceFunctionArn": "arn:aws:lambda:*"}}}
                ])),
            )]
        })
        .with_role("eni-ec2star-role", |r| {
            r.inline_policies = vec![inline("ec2-all", policy(json!([allow(&["ec2:*"], "*")])))];
            r.attached_policies = vec![BASIC.into()];
        })
        .with_role("eni-managed-role", |r| {
            r.attached_policies = vec![BASIC.into(), VPC_ACCESS.into()]
        })
        .with_role("eni-scoped-role", |r| {
            r.inline_policies = vec![inline(
                "eni",
                policy(json!([
                    {"Effect": "Allow", "Action": ["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface"],
                     "Resource": ["arn:aws:ec2:us-east-1:111111111111:network-interface/eni-0123456789abcdef0",
                                  "arn:aws:ec2:us-east-1:111111111111:subnet/subnet-private-a"]},
                    allow(&["ec2:DescribeNetworkInterfaces"], "*")
                ])),
            )]
        })
        .with_role("eni-wildcard-role", |r| {
            r.inline_policies = vec![inline(
                "eni",
                policy(json!([allow(&["ec2:*NetworkInterface*"], "*")])),
            )]
        })
        // Trusts the account, not Lambda, but a function runs as it: its code is what matters.
        .with_role("odd-trust-role", |r| {
            r.trust_policy = account_trust();
            r.inline_policies = vec![inline("ec2-all", policy(json!([allow(&["ec2:*"], "*")])))];
        })
        .with_role("plain-role", |r| r.attached_policies = vec![BASIC.into()])
        // Everything but IAM, Organizations and Account: broad, but not administrator access.
        .with_role("power-role", |r| {
            r.inline_policies = vec![inline(
                "power",
                policy(json!([{"Effect": "Allow", "NotAction": ["iam:*", "organizations:*", "account:*"], "Resource": "*"}])),
            )]
        });
    let s = runs_as(s, "admin-fn", "admin-role");
    let s = runs_as(s, "odd", "odd-trust-role");
    runs_as(s, "worker", "eni-managed-role")
}

mod role_eni_write_unconditioned {
    use super::*;

    const SLUG: &str = "role-eni-write-unconditioned";

    #[test]
    fn failing_case_flags_every_unguarded_grant_and_cites_it() {
        let findings = role_shapes().run(SLUG);
        assert_eq!(
            short(&findings),
            [
                (Fail, G, "admin-role"),
                (Fail, G, "eni-ec2star-role"),
                (Fail, G, "eni-managed-role"),
                (Fail, G, "eni-wildcard-role"),
                // Trusts another principal, but a function runs as it: code is what matters.
                (Fail, G, "odd-trust-role"),
                // NotAction iam:*, organizations:*, account:* still grants every ec2 action.
                (Fail, G, "power-role"),
                (Pass, G, "billing-role"),
                (Pass, G, "eni-boundary-role"),
                (Pass, G, "eni-denied-role"),
                (Pass, G, "eni-scoped-role"),
                (Pass, G, "orders-role"),
                (Pass, G, "plain-role"),
            ]
        );
        // ci-deploy-role (admin, but neither Lambda-trusting nor used by a function) is not judged.
        let managed = find(&findings, "eni-managed-role");
        assert_eq!(
            managed.evidence.to_map()["allowed_actions"],
            json!([
                "ec2:AssignPrivateIpAddresses",
                "ec2:CreateNetworkInterface",
                "ec2:DeleteNetworkInterface",
                "ec2:UnassignPrivateIpAddresses"
            ])
        );
        assert_eq!(
            managed.evidence.to_map()["granted_by"][0]["policy_id"],
            VPC_ACCESS
        );
        assert_eq!(
            managed.evidence.to_map()["remediation_statements"][0]["statement"]["Condition"]["Null"]
                ["lambda:SourceFunctionArn"],
            "true",
            "the remediation rewrites the granting statement with the guard"
        );
        assert_eq!(
            managed.evidence.to_map()["functions"],
            json!([function_arn(REGION, "worker")])
        );
        insta::assert_json_snapshot!("role_eni_write_unconditioned_failing", findings);
    }

    #[test]
    fn clean_case_passes_the_service_only_grant() {
        let findings = healthy().run(SLUG);
        assert_eq!(
            short(&findings),
            [(Pass, G, "billing-role"), (Pass, G, "orders-role")]
        );
        assert_eq!(findings[0].evidence.to_map()["scps_evaluated"], true);
        insta::assert_json_snapshot!("role_eni_write_unconditioned_clean", findings);
    }

    #[test]
    fn incomplete_case_is_not_evaluated_on_the_account() {
        let findings = healthy()
            .gap("iam", "GetAccountAuthorizationDetails", G)
            .run(SLUG);
        assert_eq!(short(&findings), [(NotEvaluated, G, "root")]);
        assert_eq!(
            findings[0].evidence.to_map()["gap"]["operation"],
            "GetAccountAuthorizationDetails"
        );
        insta::assert_json_snapshot!("role_eni_write_unconditioned_incomplete", findings);
    }

    #[test]
    fn an_scp_that_denies_eni_changes_from_code_makes_the_role_pass() {
        let no_eni = scp(
            "p-noeni",
            "NoEniFromFunctionCode",
            policy(json!([{"Sid": "NoEniFromFunctionCode", "Effect": "Deny",
                "Action": ["ec2:*NetworkInterface*", "ec2:*PrivateIpAddresses", "ec2:*Ipv6Addresses"], "Resource": "*",
                "Condition": {"Null": {"lambda:SourceFunctionArn": "false"}}}])),
        );
        let findings = role_shapes()
            .organizations(Some(member_of_organization(vec![no_eni])))
            .run(SLUG);
        assert!(
            findings.iter().all(|f| f.status == Pass),
            "{:?}",
            short(&findings)
        );
    }
}

mod role_admin_access {
    use super::*;

    const SLUG: &str = "role-admin-access";

    #[test]
    fn failing_case_flags_only_star_on_star() {
        let findings = role_shapes().run(SLUG);
        let judged: Vec<_> = short(&findings)
            .into_iter()
            .filter(|(s, _, _)| *s == Fail)
            .collect();
        assert_eq!(judged, [(Fail, G, "admin-role")]);
        // Everything but IAM and Organizations is broad, but not administrator access.
        assert_eq!(find(&findings, "power-role").status, Pass);
        assert_eq!(find(&findings, "eni-ec2star-role").status, Pass);
        assert_eq!(
            findings[0].evidence.to_map()["granted_by"][0]["policy_id"],
            ADMIN
        );
        assert!(
            !findings
                .iter()
                .any(|f| f.resource_arn.ends_with("ci-deploy-role")),
            "a role that is no execution role is not judged"
        );
        insta::assert_json_snapshot!("role_admin_access_failing", findings);
    }

    #[test]
    fn clean_case_passes() {
        let findings = healthy().run(SLUG);
        assert_eq!(
            short(&findings),
            [(Pass, G, "billing-role"), (Pass, G, "orders-role")]
        );
        insta::assert_json_snapshot!("role_admin_access_clean", findings);
    }

    #[test]
    fn incomplete_case_a_malformed_policy_makes_its_role_not_evaluated_naming_policy_and_field() {
        let findings = healthy()
            .with_role("broken-role", |r| {
                r.inline_policies = vec![inline(
                    "bad",
                    policy(json!([{"Effect": "Allow", "Action": "*", "Resource": "*",
                                   "Condition": {"StringEqualz": {"aws:username": "x"}}}])),
                )]
            })
            .run(SLUG);
        assert_eq!(
            short(&findings),
            [
                (NotEvaluated, G, "broken-role"),
                (Pass, G, "billing-role"),
                (Pass, G, "orders-role"),
            ]
        );
        let evidence = findings[0].evidence.to_map();
        let error = evidence["policy_errors"][0].as_str().expect("error text");
        assert!(error.contains("role/broken-role inline bad"), "{error}");
        assert!(
            error.contains("Statement[0].Condition.StringEqualz"),
            "{error}"
        );
        insta::assert_json_snapshot!("role_admin_access_incomplete", findings);
    }
}

mod principal_vpc_guardrail_missing {
    use super::*;
    use vpcwarden::config::Config;

    const SLUG: &str = "principal-vpc-guardrail-missing";

    /// Allow creating and reconfiguring functions, and deny it outside `vpc-app` with `operator`.
    fn guarded(operator: &str, actions: Value) -> Value {
        policy(json!([
            allow(&["lambda:CreateFunction", "lambda:UpdateFunctionConfiguration"], "*"),
            {"Sid": "OnlyApprovedVpc", "Effect": "Deny", "Action": actions, "Resource": "*",
             "Condition": {operator: {"lambda:VpcIds": ["vpc-app"]}}}
        ]))
    }

    /// Deployers with guardrails of their own, good and leaky, in an account no SCP guards.
    fn deployers() -> Scenario {
        let both = json!([
            "lambda:CreateFunction",
            "lambda:UpdateFunctionConfiguration"
        ]);
        healthy()
            .organizations(Some(Organizations::NotInOrganization))
            .with_role("deploy-anyvalue", |r| {
                r.trust_policy = account_trust();
                r.inline_policies = vec![inline(
                    "deploy",
                    guarded("ForAnyValue:StringNotEquals", both.clone()),
                )];
            })
            .with_role("deploy-create-only", |r| {
                r.trust_policy = account_trust();
                r.inline_policies = vec![inline(
                    "deploy",
                    guarded("ForAllValues:StringNotEquals", json!("lambda:CreateFunction")),
                )];
            })
            // Service-linked roles are not bound by SCPs and are not deployers.
            .with_role("AWSServiceRoleForLambdaReplicator", |r| {
                r.path = "/aws-service-role/replicator.lambda.amazonaws.com/".into();
                r.arn = "arn:aws:iam::111111111111:role/aws-service-role/replicator.lambda.amazonaws.com/AWSServiceRoleForLambdaReplicator".into();
                r.trust_policy = account_trust();
                r.inline_policies = vec![inline("x", policy(json!([allow(&["lambda:*"], "*")])))];
            })
            .with_group(
                "guarded-devs",
                vec![inline(
                    "devs",
                    guarded("ForAllValues:StringNotEquals", both.clone()),
                )],
            )
            .with_user("dev-guarded", |u| u.groups = vec!["guarded-devs".into()])
            .with_user("dev-subnet-guarded", |u| {
                u.inline_policies = vec![inline(
                    "p",
                    policy(json!([
                        allow(&["lambda:CreateFunction", "lambda:UpdateFunctionConfiguration"], "*"),
                        {"Effect": "Deny", "Action": ["lambda:CreateFunction", "lambda:UpdateFunctionConfiguration"], "Resource": "*",
                         "Condition": {"ForAllValues:StringNotEquals": {"lambda:SubnetIds": ["subnet-private-a", "subnet-private-b"]}}}
                    ])),
                )]
            })
            .with_user("dev-unguarded", |u| {
                u.inline_policies = vec![inline("p", policy(json!([allow(&["lambda:*"], "*")])))]
            })
            .with_user("reader", |u| {
                u.inline_policies = vec![inline(
                    "p",
                    policy(json!([allow(&["lambda:List*", "lambda:Get*"], "*")])),
                )]
            })
    }

    #[test]
    fn failing_case_flags_leaky_and_missing_guardrails() {
        let findings = deployers().run(SLUG);
        assert_eq!(
            short(&findings),
            [
                (Fail, G, "deploy-anyvalue"),
                (Fail, G, "deploy-create-only"),
                (Fail, G, "dev-unguarded"),
                (Pass, G, "deploy-role"),
                (Pass, G, "dev-guarded"),
                (Pass, G, "dev-subnet-guarded"),
            ],
            "reader and the execution roles have no Lambda rights; the service-linked role is skipped"
        );
        let create_only = &findings[1];
        let leaks: Vec<(String, String)> = create_only.evidence.to_map()["outcomes"]
            .as_array()
            .expect("outcomes")
            .iter()
            .filter(|o| o["decision"] == "allowed")
            .map(|o| {
                (
                    o["action"].as_str().unwrap_or_default().into(),
                    o["case"].as_str().unwrap_or_default().into(),
                )
            })
            .collect();
        assert_eq!(
            leaks,
            [
                (
                    "lambda:UpdateFunctionConfiguration".to_string(),
                    "no_vpc".to_string()
                ),
                (
                    "lambda:UpdateFunctionConfiguration".to_string(),
                    "unapproved_network".to_string()
                )
            ],
            "a guardrail on CreateFunction alone leaks through UpdateFunctionConfiguration"
        );
        // ForAnyValue:StringNotEquals is false on an absent key: no VPC at all gets through.
        let anyvalue = &findings[0];
        assert!(
            anyvalue.message.contains("with no VPC configuration"),
            "{}",
            anyvalue.message
        );
        assert_eq!(&*findings[3].resource_type, "AwsIamRole");
        assert_eq!(&*findings[4].resource_type, "AwsIamUser");
        insta::assert_json_snapshot!("principal_vpc_guardrail_missing_failing", findings);
    }

    #[test]
    fn approved_subnets_expose_the_multi_valued_for_all_values_leak() {
        let config = Config {
            approved_vpcs: vec!["vpc-app".into()],
            approved_subnets: vec!["subnet-private-a".into(), "subnet-private-b".into()],
            approved_security_groups: vec!["sg-functions".into()],
            ..Config::default()
        };
        let findings = deployers().run_with(SLUG, &config);
        let subnet_guarded = find(&findings, "dev-subnet-guarded");
        assert_eq!(subnet_guarded.status, Fail, "{}", subnet_guarded.message);
        assert!(
            subnet_guarded
                .message
                .contains("unapproved subnet or security group beside approved ones")
        );
        // A VPC-only guardrail keeps functions in the approved VPC, not in the approved subnets.
        let vpc_guarded = find(&findings, "dev-guarded");
        assert_eq!(vpc_guarded.status, Fail);
        let leaks_evidence = vpc_guarded.evidence.to_map();
        let leaks: Vec<&str> = leaks_evidence["outcomes"]
            .as_array()
            .expect("outcomes")
            .iter()
            .filter(|o| o["decision"] == "allowed")
            .filter_map(|o| o["case"].as_str())
            .collect();
        assert_eq!(
            leaks,
            ["mixed_subnets_and_groups", "mixed_subnets_and_groups"]
        );
    }

    #[test]
    fn clean_case_passes() {
        let findings = healthy().run(SLUG);
        // deploy-role is guarded by its own policy and by the organization's SCP.
        assert_eq!(short(&findings), [(Pass, G, "deploy-role")]);
        insta::assert_json_snapshot!("principal_vpc_guardrail_missing_clean", findings);
    }

    #[test]
    fn a_function_guardrail_does_not_cover_capacity_providers() {
        // lambda:* with the VPC guardrail of the seed: every function request is kept in vpc-app,
        // but a capacity provider's request has no lambda:VpcIds and picks its own subnets.
        let vpc_only = json!({"Sid": "OnlyApprovedVpc", "Effect": "Deny",
            "Action": ["lambda:CreateFunction", "lambda:UpdateFunctionConfiguration"], "Resource": "*",
            "Condition": {"ForAllValues:StringNotEquals": {"lambda:VpcIds": ["vpc-app"]}}});
        let provider_guard = json!({"Sid": "ProvidersInApprovedSubnets", "Effect": "Deny",
            "Action": "lambda:CreateCapacityProvider", "Resource": "*",
            "Condition": {"ForAnyValue:StringNotEquals": {"lambda:SubnetIds": ["subnet-private-a"]}}});
        // A Deny on lambda:VpcIds for every action: a provider request lacks the key, and
        // ForAllValues is true on an absent key, so every provider is denied.
        let everything = json!({"Sid": "AllLambda", "Effect": "Deny", "Action": "lambda:*", "Resource": "*",
            "Condition": {"ForAllValues:StringNotEquals": {"lambda:VpcIds": ["vpc-app"]}}});
        let findings = healthy()
            .organizations(Some(Organizations::NotInOrganization))
            .with_user("dev-functions-only", |u| {
                u.inline_policies = vec![inline(
                    "p",
                    policy(json!([allow(&["lambda:*"], "*"), vpc_only.clone()])),
                )]
            })
            .with_user("dev-providers-too", |u| {
                u.inline_policies = vec![inline(
                    "p",
                    policy(json!([allow(&["lambda:*"], "*"), vpc_only, provider_guard])),
                )]
            })
            .with_user("dev-all-lambda", |u| {
                u.inline_policies = vec![inline(
                    "p",
                    policy(json!([allow(&["lambda:*"], "*"), everything])),
                )]
            })
            .run(SLUG);
        assert_eq!(
            short(&findings),
            [
                (Fail, G, "dev-functions-only"),
                (Pass, G, "deploy-role"),
                (Pass, G, "dev-all-lambda"),
                (Pass, G, "dev-providers-too"),
            ]
        );
        let leaky = find(&findings, "dev-functions-only");
        assert_eq!(
            &*leaky.message,
            "User dev-functions-only may create Lambda capacity providers outside the approved network: \
             lambda:CreateCapacityProvider in an unapproved subnet and security group."
        );
        let provider = &leaky.evidence.to_map()["outcomes"]
            .as_array()
            .expect("outcomes")
            .iter()
            .find(|o| o["action"] == "lambda:CreateCapacityProvider")
            .expect("the provider probe")
            .clone();
        assert_eq!(provider["decision"], "allowed");
    }

    #[test]
    fn the_organization_scp_alone_guards_a_deployer() {
        let findings = healthy()
            .with_user("dev-unguarded", |u| {
                u.inline_policies = vec![inline("p", policy(json!([allow(&["lambda:*"], "*")])))]
            })
            .run(SLUG);
        assert_eq!(
            short(&findings),
            [(Pass, G, "deploy-role"), (Pass, G, "dev-unguarded")]
        );
    }

    #[test]
    fn incomplete_case_is_not_evaluated_with_the_reason() {
        let findings = healthy()
            .organizations(Some(Organizations::NotInOrganization))
            .with_user("dev-mfa", |u| {
                u.inline_policies = vec![inline(
                    "p",
                    policy(json!([{"Effect": "Allow",
                        "Action": ["lambda:CreateFunction", "lambda:UpdateFunctionConfiguration"], "Resource": "*",
                        "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}])),
                )]
            })
            .with_user("dev-orphan-group", |u| u.groups = vec!["deleted-group".into()])
            .run(SLUG);
        assert_eq!(
            short(&findings),
            [
                (NotEvaluated, G, "dev-mfa"),
                (NotEvaluated, G, "dev-orphan-group"),
                (Pass, G, "deploy-role"),
            ]
        );
        assert_eq!(findings[0].evidence.to_map()["reason"], "decision_unknown");
        assert!(
            findings[1].message.contains("group deleted-group"),
            "{}",
            findings[1].message
        );
        let denied = healthy()
            .gap("iam", "GetAccountAuthorizationDetails", G)
            .run(SLUG);
        assert_eq!(short(&denied), [(NotEvaluated, G, "root")]);
        insta::assert_json_snapshot!("principal_vpc_guardrail_missing_incomplete", findings);
    }
}

/// Roles of functions with what they may do with CloudWatch Logs.
/// Also a corpus of the gap test (`tests/it/gaps.rs`).
pub(crate) fn logs_shapes() -> Scenario {
    let s = with_aws_managed_policies(healthy())
        .with_role("logs-managed", |r| r.attached_policies = vec![BASIC.into()])
        .with_role("no-logs", |r| {
            r.inline_policies = vec![inline(
                "no-logs-inline",
                policy(json!([allow(
                    &["dynamodb:GetItem"],
                    "arn:aws:dynamodb:us-east-1:111111111111:table/orders"
                )])),
            )]
        })
        .with_role("logs-other-function", |r| {
            r.inline_policies = vec![inline(
                "logs-other-function-inline",
                policy(json!([allow(
                    &["logs:CreateLogStream", "logs:PutLogEvents"],
                    "arn:aws:logs:us-east-1:111111111111:log-group:/aws/lambda/checkout:*"
                )])),
            )]
        })
        .with_role("logs-denied-for-code", |r| {
            r.inline_policies = vec![inline(
                "logs-denied-for-code-inline",
                policy(json!([
                    allow(&["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                          "arn:aws:logs:*:111111111111:log-group:/aws/lambda/*:*"),
                    {"Effect": "Deny", "Action": "logs:*", "Resource": "*",
                     "Condition": {"Null": {"lambda:SourceFunctionArn": "false"}}}
                ])),
            )]
        })
        .with_role("custom-group", |r| {
            r.inline_policies = vec![inline(
                "custom-group-inline",
                policy(json!([allow(
                    &["logs:CreateLogStream", "logs:PutLogEvents"],
                    "arn:aws:logs:us-east-1:111111111111:log-group:/shared/app-logs:*"
                )])),
            )]
        })
        .with_role("unused-no-logs", |_| {});
    let s = runs_as(s, "managed", "logs-managed");
    let s = runs_as(s, "blind", "no-logs");
    let s = runs_as(s, "cart", "logs-other-function");
    let s = runs_as(s, "checkout", "logs-other-function");
    let s = runs_as(s, "guarded", "logs-denied-for-code");
    runs_as(s, "custom", "custom-group")
        .edit_function("custom", |f| f.log_group = Some("/shared/app-logs".into()))
}

mod role_logs_missing {
    use super::*;

    const SLUG: &str = "role-logs-missing";

    #[test]
    fn failing_case_flags_roles_that_cannot_write_a_function_s_log_group() {
        let findings = logs_shapes().run(SLUG);
        assert_eq!(
            short(&findings),
            [
                (Fail, G, "logs-denied-for-code"),
                (Fail, G, "logs-other-function"),
                (Fail, G, "no-logs"),
                (Pass, G, "billing-role"),
                (Pass, G, "custom-group"),
                (Pass, G, "logs-managed"),
                (Pass, G, "orders-role"),
            ],
            "a role no function uses gets no finding"
        );
        // cart cannot write its logs; checkout, on the same role, can.
        let other = &findings[1].evidence.to_map()["missing"];
        assert!(
            other
                .as_array()
                .expect("missing")
                .iter()
                .all(|m| { m["function"].as_str().is_some_and(|f| f.ends_with(":cart")) })
        );
        assert_eq!(
            findings[0].evidence.to_map()["missing"][0]["explicit_deny"],
            true
        );
        insta::assert_json_snapshot!("role_logs_missing_failing", findings);
    }

    #[test]
    fn clean_case_passes() {
        let findings = healthy().run(SLUG);
        assert_eq!(
            short(&findings),
            [(Pass, G, "billing-role"), (Pass, G, "orders-role")]
        );
        insta::assert_json_snapshot!("role_logs_missing_clean", findings);
    }

    #[test]
    fn incomplete_case_is_not_evaluated() {
        let s = healthy()
            .with_role("by-tag", |r| {
                r.inline_policies = vec![inline(
                    "by-tag-inline",
                    policy(json!([{"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                        "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/team": "orders"}}}])),
                )]
            })
            .with_role("broken", |r| {
                r.inline_policies = vec![inline("bad", Value::String("{not json".into()))]
            })
            .gap("lambda", "ListFunctions", "eu-west-1");
        let s = runs_as(s, "tagged", "by-tag");
        let s = runs_as(s, "broken-fn", "broken");
        let findings = s.run(SLUG);
        assert_eq!(
            short(&findings),
            [
                // Would pass, but eu-west-1's functions are unknown: some may use it.
                (NotEvaluated, G, "billing-role"),
                (NotEvaluated, G, "broken"),
                (NotEvaluated, G, "by-tag"),
                (NotEvaluated, G, "orders-role"),
            ]
        );
        assert_eq!(
            findings[0].evidence.to_map()["gap"]["operation"],
            "ListFunctions"
        );
        assert_eq!(findings[1].evidence.to_map()["reason"], "policy_unreadable");
        assert_eq!(findings[2].evidence.to_map()["reason"], "decision_unknown");
        // The event-source check cannot call a Lambda role free of mappings it cannot see either.
        let es = s.run("role-event-source-permission-missing");
        assert!(!es.is_empty());
        assert!(
            es.iter().all(|f| f.status == NotEvaluated),
            "{:?}",
            short(&es)
        );
        let denied = healthy()
            .gap("iam", "GetAccountAuthorizationDetails", G)
            .run(SLUG);
        assert_eq!(short(&denied), [(NotEvaluated, G, "root")]);
        insta::assert_json_snapshot!("role_logs_missing_incomplete", findings);
    }
}

/// A poll-based event source mapping of `function` (in us-east-1).
fn mapping(uuid: &str, source: &str, function: &str) -> EventSourceMapping {
    EventSourceMapping {
        uuid: uuid.into(),
        event_source_arn: Some(source.into()),
        function_arn: function_arn(REGION, function),
        state: Some("Enabled".into()),
    }
}

mod role_event_source_permission_missing {
    use super::*;

    const SLUG: &str = "role-event-source-permission-missing";

    fn reads(role: &str, statement: Value) -> impl FnOnce(&mut vpcwarden::snapshot::Role) {
        let name = format!("{role}-inline");
        move |r| r.inline_policies = vec![inline(&name, policy(json!([statement])))]
    }

    #[test]
    fn failing_case_flags_roles_the_poller_cannot_read_with() {
        let s = healthy()
            .with_role(
                "sqs-missing",
                reads(
                    "sqs-missing",
                    allow(
                        &["sqs:ReceiveMessage"],
                        "arn:aws:sqs:us-east-1:111111111111:billing-events",
                    ),
                ),
            )
            .with_role(
                "kinesis-ok",
                reads(
                    "kinesis-ok",
                    allow(
                        &[
                            "kinesis:DescribeStream",
                            "kinesis:DescribeStreamSummary",
                            "kinesis:GetRecords",
                            "kinesis:GetShardIterator",
                            "kinesis:ListShards",
                            "kinesis:ListStreams",
                        ],
                        "*",
                    ),
                ),
            )
            .with_role(
                "ddb-missing",
                reads(
                    "ddb-missing",
                    allow(
                        &["dynamodb:GetRecords", "dynamodb:GetShardIterator"],
                        "arn:aws:dynamodb:us-east-1:111111111111:table/orders/stream/*",
                    ),
                ),
            )
            .with_role("no-mappings", |_| {});
        let s = runs_as(s, "sqs-broken", "sqs-missing");
        let s = runs_as(s, "clicks", "kinesis-ok");
        let s = runs_as(s, "ddb-worker", "ddb-missing");
        let s = runs_as(s, "api", "no-mappings");
        let s = runs_as(s, "msk-consumer", "no-mappings");
        let findings = s
            .lambda(REGION, |l| {
                l.event_source_mappings.extend([
                    mapping("11111111-0000-0000-0000-000000000002", "arn:aws:sqs:us-east-1:111111111111:billing-events", "sqs-broken"),
                    // A mapping on an alias names the function qualified.
                    mapping("11111111-0000-0000-0000-000000000003", "arn:aws:kinesis:us-east-1:111111111111:stream/clicks", "clicks:live"),
                    mapping("11111111-0000-0000-0000-000000000004", "arn:aws:dynamodb:us-east-1:111111111111:table/orders/stream/2026-01-01T00:00:00.000", "ddb-worker"),
                    mapping("11111111-0000-0000-0000-000000000005", "arn:aws:kafka:us-east-1:111111111111:cluster/events/abcd-1234", "msk-consumer"),
                ])
            })
            .run(SLUG);
        assert_eq!(
            short(&findings),
            [
                (Fail, G, "ddb-missing"),
                (Fail, G, "sqs-missing"),
                (Pass, G, "billing-role"),
                (Pass, G, "kinesis-ok"),
            ],
            "an MSK mapping is not judged; a role with no poll-based mapping gets no finding"
        );
        let actions = |i: usize| -> Vec<String> {
            findings[i].evidence.to_map()["missing"]
                .as_array()
                .expect("missing")
                .iter()
                .filter_map(|m| m["action"].as_str().map(str::to_string))
                .collect()
        };
        assert_eq!(actions(1), ["sqs:DeleteMessage", "sqs:GetQueueAttributes"]);
        assert_eq!(
            actions(0),
            ["dynamodb:DescribeStream", "dynamodb:ListStreams"]
        );
        insta::assert_json_snapshot!("role_event_source_permission_missing_failing", findings);
    }

    #[test]
    fn clean_case_passes() {
        let findings = healthy().run(SLUG);
        // billing-role reads billing's queue; orders-role has no mapping.
        assert_eq!(short(&findings), [(Pass, G, "billing-role")]);
        assert_eq!(
            findings[0].evidence.to_map()["mappings"][0]["source"],
            "sqs"
        );
        insta::assert_json_snapshot!("role_event_source_permission_missing_clean", findings);
    }

    #[test]
    fn incomplete_case_is_not_evaluated() {
        let s = healthy()
            .with_function_in("eu-west-1", "eu-worker", |f| {
                f.role = role_arn("billing-role")
            })
            .gap("lambda", "ListEventSourceMappings", "eu-west-1")
            .with_role("sqs-by-tag", |r| {
                r.inline_policies = vec![inline(
                    "sqs-by-tag-inline",
                    policy(
                        json!([{"Effect": "Allow", "Action": ["sqs:*"], "Resource": "*",
                        "Condition": {"StringEquals": {"aws:ResourceTag/team": "orders"}}}]),
                    ),
                )]
            });
        let findings = runs_as(s, "tagged", "sqs-by-tag")
            .lambda(REGION, |l| {
                l.event_source_mappings.push(mapping(
                    "2222",
                    "arn:aws:sqs:us-east-1:111111111111:billing-events",
                    "tagged",
                ))
            })
            .run(SLUG);
        assert_eq!(
            short(&findings),
            [
                (NotEvaluated, G, "billing-role"),
                (NotEvaluated, G, "sqs-by-tag"),
            ]
        );
        assert_eq!(
            findings[0].evidence.to_map()["gap"]["operation"],
            "ListEventSourceMappings"
        );
        assert_eq!(findings[1].evidence.to_map()["reason"], "decision_unknown");
        insta::assert_json_snapshot!("role_event_source_permission_missing_incomplete", findings);
    }
}

mod role_invoke_any_function {
    use super::*;

    const SLUG: &str = "role-invoke-any-function";

    #[test]
    fn failing_case_flags_wildcard_invoke_grants() {
        let s = healthy()
            .with_managed_policy("logs-only", policy(json!([allow(&["logs:*"], "*")])))
            .with_role("invoker", |r| {
                r.inline_policies = vec![inline(
                    "invoker-inline",
                    policy(json!([{"Sid": "InvokeAny", "Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": "*"}])),
                )]
            })
            .with_role("lambda-star", |r| {
                r.inline_policies = vec![inline(
                    "lambda-star-inline",
                    policy(json!([allow(&["lambda:*"], "arn:aws:lambda:*:111111111111:function:*")])),
                )]
            })
            .with_role("scoped-invoker", |r| {
                r.inline_policies = vec![inline(
                    "scoped-invoker-inline",
                    policy(json!([allow(&["lambda:InvokeFunction"], "arn:aws:lambda:us-east-1:111111111111:function:orders-*")])),
                )]
            })
            .with_role("bounded-invoker", |r| {
                r.inline_policies = vec![inline(
                    "bounded-invoker-inline",
                    policy(json!([allow(&["lambda:InvokeFunction"], "*")])),
                )];
                r.permissions_boundary = Some("arn:aws:iam::111111111111:policy/logs-only".into());
            })
            // Trusts Lambda, no function yet: judged all the same.
            .with_role("unused-trusting", |_| {});
        let s = runs_as(s, "a", "invoker");
        let s = runs_as(s, "b", "lambda-star");
        let s = runs_as(s, "c", "scoped-invoker");
        let findings = runs_as(s, "d", "bounded-invoker").run(SLUG);
        assert_eq!(
            short(&findings),
            [
                (Fail, G, "invoker"),
                (Fail, G, "lambda-star"),
                (Pass, G, "billing-role"),
                (Pass, G, "bounded-invoker"),
                (Pass, G, "orders-role"),
                (Pass, G, "scoped-invoker"),
                (Pass, G, "unused-trusting"),
            ]
        );
        assert_eq!(
            findings[0].evidence.to_map()["granted_by"][0]["sid"],
            "InvokeAny"
        );
        insta::assert_json_snapshot!("role_invoke_any_function_failing", findings);
    }

    #[test]
    fn clean_case_passes() {
        let findings = healthy().run(SLUG);
        // orders-role may invoke billing, and only billing.
        assert_eq!(
            short(&findings),
            [(Pass, G, "billing-role"), (Pass, G, "orders-role")]
        );
        insta::assert_json_snapshot!("role_invoke_any_function_clean", findings);
    }

    #[test]
    fn incomplete_case_is_not_evaluated() {
        let s = healthy().with_role("tag-invoker", |r| {
            r.inline_policies = vec![inline(
                "tag-invoker-inline",
                policy(
                    json!([{"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": "*",
                    "Condition": {"StringEquals": {"aws:ResourceTag/team": "orders"}}}]),
                ),
            )]
        });
        let findings = runs_as(s, "t", "tag-invoker").run(SLUG);
        assert_eq!(
            short(&findings),
            [
                (NotEvaluated, G, "tag-invoker"),
                (Pass, G, "billing-role"),
                (Pass, G, "orders-role"),
            ]
        );
        assert_eq!(findings[0].evidence.to_map()["reason"], "decision_unknown");
        insta::assert_json_snapshot!("role_invoke_any_function_incomplete", findings);
    }
}

mod principal_layer_guardrail_missing {
    use super::*;
    use crate::support::healthy::layer_guardrail_statement;
    use vpcwarden::config::Config;

    const SLUG: &str = "principal-layer-guardrail-missing";

    /// A deployer allowed to create and reconfigure functions, with `extra` statements.
    fn deployer(extra: Vec<Value>) -> Value {
        let mut statements = vec![allow(
            &[
                "lambda:CreateFunction",
                "lambda:UpdateFunctionConfiguration",
            ],
            "*",
        )];
        statements.extend(extra);
        policy(Value::Array(statements))
    }

    /// A layer condition on both actions (`operator` over this account's layers).
    fn layer_statement(effect: &str, operator: &str, actions: Value) -> Value {
        json!({"Effect": effect, "Action": actions, "Resource": "*",
               "Condition": {operator: {"lambda:Layer": ["arn:aws:lambda:*:111111111111:layer:*"]}}})
    }

    /// Deployers with and without layer guardrails, in an account no SCP guards.
    fn deployers() -> Scenario {
        let both = json!([
            "lambda:CreateFunction",
            "lambda:UpdateFunctionConfiguration"
        ]);
        healthy()
            .organizations(Some(Organizations::NotInOrganization))
            .with_user("dev-anyvalue", |u| {
                u.inline_policies = vec![inline(
                    "p",
                    deployer(vec![layer_statement(
                        "Deny",
                        "ForAnyValue:StringNotLike",
                        both.clone(),
                    )]),
                )]
            })
            .with_user("dev-allvalues", |u| {
                u.inline_policies = vec![inline(
                    "p",
                    deployer(vec![layer_statement(
                        "Deny",
                        "ForAllValues:StringNotLike",
                        both.clone(),
                    )]),
                )]
            })
            .with_user("dev-create-only", |u| {
                u.inline_policies = vec![inline(
                    "p",
                    deployer(vec![layer_statement(
                        "Deny",
                        "ForAnyValue:StringNotLike",
                        json!("lambda:CreateFunction"),
                    )]),
                )]
            })
            // The documented allow-list form: the only Lambda allow carries the layer condition.
            .with_user("dev-allow-list", |u| {
                u.inline_policies = vec![inline(
                    "p",
                    policy(json!([layer_statement(
                        "Allow",
                        "ForAllValues:StringLike",
                        both.clone()
                    )])),
                )]
            })
            .with_user("dev-unguarded", |u| {
                u.inline_policies = vec![inline("p", policy(json!([allow(&["lambda:*"], "*")])))]
            })
            .with_user("reader", |u| {
                u.inline_policies = vec![inline(
                    "p",
                    policy(json!([allow(&["lambda:List*", "lambda:Get*"], "*")])),
                )]
            })
    }

    /// (action, case, network) of the allowed outcomes.
    fn leaks(f: &vpcwarden::finding::Finding) -> Vec<(String, String, String)> {
        f.evidence.to_map()["outcomes"]
            .as_array()
            .expect("outcomes")
            .iter()
            .filter(|o| o["decision"] == "allowed")
            .map(|o| {
                let s = |k: &str| o[k].as_str().unwrap_or_default().to_string();
                (s("action"), s("case"), s("network"))
            })
            .collect()
    }

    #[test]
    fn failing_case_flags_leaky_and_missing_layer_guardrails() {
        let findings = deployers().run(SLUG);
        assert_eq!(
            short(&findings),
            [
                (Fail, G, "dev-allvalues"),
                (Fail, G, "dev-create-only"),
                (Fail, G, "dev-unguarded"),
                (Pass, G, "deploy-role"),
                (Pass, G, "dev-allow-list"),
                (Pass, G, "dev-anyvalue"),
            ],
            "reader and the execution roles may not deploy"
        );
        let s = |a: &str, c: &str, n: &str| (a.to_string(), c.to_string(), n.to_string());
        // ForAllValues needs every layer untrusted: one own layer beside the foreign one gets through.
        assert_eq!(
            leaks(find(&findings, "dev-allvalues")),
            [
                s("lambda:CreateFunction", "mixed_layers", "no_vpc"),
                s(
                    "lambda:UpdateFunctionConfiguration",
                    "mixed_layers",
                    "no_vpc"
                ),
                s("lambda:CreateFunction", "mixed_layers", "vpc-app"),
                s(
                    "lambda:UpdateFunctionConfiguration",
                    "mixed_layers",
                    "vpc-app"
                ),
            ]
        );
        // UpdateFunctionConfiguration can add layers to an existing function.
        assert!(
            leaks(find(&findings, "dev-create-only"))
                .iter()
                .all(|(action, _, _)| action == "lambda:UpdateFunctionConfiguration")
        );
        let unguarded = find(&findings, "dev-unguarded");
        assert!(
            unguarded.message.starts_with(
                "User dev-unguarded may attach layers from untrusted accounts to Lambda functions: \
                 lambda:CreateFunction with a layer from account 999999999999 and no VPC configuration;"
            ),
            "{}",
            unguarded.message
        );
        insta::assert_json_snapshot!("principal_layer_guardrail_missing_failing", findings);
    }

    #[test]
    fn a_network_guardrail_does_not_hide_a_missing_layer_guardrail() {
        // deploy-role without its layer statement: kept to vpc-app, so the no-VPC probes test
        // nothing; the probes in vpc-app (a VPC of the account) show the missing layer guardrail.
        let findings = healthy()
            .organizations(Some(Organizations::NotInOrganization))
            .edit_role("deploy-role", |r| {
                r.inline_policies[0].document["Statement"]
                    .as_array_mut()
                    .expect("statements")
                    .retain(|st| st["Sid"] != "OnlyOwnLayers");
            })
            .run(SLUG);
        assert_eq!(short(&findings), [(Fail, G, "deploy-role")]);
        let networks: Vec<String> = leaks(&findings[0]).into_iter().map(|l| l.2).collect();
        assert!(networks.iter().all(|n| n == "vpc-app"), "{networks:?}");
        assert_eq!(networks.len(), 4);
    }

    #[test]
    fn trusted_accounts_are_not_foreign() {
        let config = Config {
            trusted_layer_accounts: vec!["999999999999".into()],
            ..Config::default()
        };
        let findings = deployers().run_with(SLUG, &config);
        let unguarded = find(&findings, "dev-unguarded");
        assert!(
            unguarded.message.contains("from account 999999999998"),
            "{}",
            unguarded.message
        );
        assert_eq!(
            unguarded.evidence.to_map()["trusted_layer_accounts"],
            json!(["999999999999"])
        );
    }

    #[test]
    fn clean_case_passes() {
        let findings = healthy().run(SLUG);
        assert_eq!(short(&findings), [(Pass, G, "deploy-role")]);
        insta::assert_json_snapshot!("principal_layer_guardrail_missing_clean", findings);
    }

    #[test]
    fn incomplete_case_is_not_evaluated_with_the_reason() {
        let findings = healthy()
            .organizations(Some(Organizations::NotInOrganization))
            .with_user("dev-mfa", |u| {
                u.inline_policies = vec![inline(
                    "p",
                    policy(json!([{"Effect": "Allow",
                        "Action": ["lambda:CreateFunction", "lambda:UpdateFunctionConfiguration"], "Resource": "*",
                        "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}])),
                )]
            })
            // Kept to a VPC vpcwarden did not collect and with no layer guardrail: no network the
            // probes can name is usable, and in an unknown network the VPC guardrail may deny.
            .with_user("dev-elsewhere", |u| {
                u.inline_policies = vec![inline(
                    "p",
                    deployer(vec![json!({"Effect": "Deny",
                        "Action": ["lambda:CreateFunction", "lambda:UpdateFunctionConfiguration"], "Resource": "*",
                        "Condition": {"ForAllValues:StringNotEquals": {"lambda:VpcIds": ["vpc-elsewhere"]}}})]),
                )]
            })
            // The same, with a layer guardrail: it denies whatever the network is.
            .with_user("dev-elsewhere-guarded", |u| {
                u.inline_policies = vec![inline(
                    "p",
                    deployer(vec![json!({"Effect": "Deny",
                        "Action": ["lambda:CreateFunction", "lambda:UpdateFunctionConfiguration"], "Resource": "*",
                        "Condition": {"ForAllValues:StringNotEquals": {"lambda:VpcIds": ["vpc-elsewhere"]}}}),
                        layer_guardrail_statement()]),
                )]
            })
            .with_user("dev-orphan-group", |u| u.groups = vec!["deleted-group".into()])
            .run(SLUG);
        assert_eq!(
            short(&findings),
            [
                (NotEvaluated, G, "dev-elsewhere"),
                (NotEvaluated, G, "dev-mfa"),
                (NotEvaluated, G, "dev-orphan-group"),
                (Pass, G, "deploy-role"),
                (Pass, G, "dev-elsewhere-guarded"),
            ]
        );
        let elsewhere = find(&findings, "dev-elsewhere");
        assert_eq!(elsewhere.evidence.to_map()["reason"], "decision_unknown");
        assert!(
            elsewhere.evidence.to_map()["outcomes"]
                .as_array()
                .expect("outcomes")
                .iter()
                .all(|o| o["network"] == "any"),
            "only the unknown network is left"
        );
        let denied = healthy()
            .gap("iam", "GetAccountAuthorizationDetails", G)
            .run(SLUG);
        assert_eq!(short(&denied), [(NotEvaluated, G, "root")]);
        insta::assert_json_snapshot!("principal_layer_guardrail_missing_incomplete", findings);
    }
}

mod principal_pass_any_capacity_provider {
    use super::*;

    const SLUG: &str = "principal-pass-any-capacity-provider";
    const APP_CP: &str = "arn:aws:lambda:us-east-1:111111111111:capacity-provider:app-cp";

    /// A deployer allowed to create and reconfigure functions, plus `extra` statements.
    fn deployer(extra: Vec<Value>) -> Value {
        let mut statements = vec![allow(
            &[
                "lambda:CreateFunction",
                "lambda:UpdateFunctionConfiguration",
            ],
            "*",
        )];
        statements.extend(extra);
        policy(Value::Array(statements))
    }

    fn with_deployer(s: Scenario, name: &str, extra: Vec<Value>) -> Scenario {
        s.with_user(name, |u| {
            u.inline_policies = vec![inline("p", deployer(extra))]
        })
    }

    #[test]
    fn failing_case_flags_grants_on_every_provider() {
        let s = healthy().organizations(Some(Organizations::NotInOrganization));
        let s = with_deployer(
            s,
            "dev-star",
            vec![allow(&["lambda:PassCapacityProvider"], "*")],
        );
        let s = with_deployer(
            s,
            "dev-any-provider",
            vec![allow(
                &["lambda:PassCapacityProvider"],
                "arn:aws:lambda:*:*:capacity-provider:*",
            )],
        );
        let s = with_deployer(s, "dev-lambda-all", vec![allow(&["lambda:*"], "*")]);
        let s = with_deployer(
            s,
            "dev-not-action",
            vec![json!({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})],
        );
        // Named providers only: a pass, and the evidence says which providers it may use.
        let s = with_deployer(
            s,
            "dev-own-provider",
            vec![allow(&["lambda:PassCapacityProvider"], APP_CP)],
        );
        // May not create or reconfigure functions at all: not judged.
        let s = s.with_user("reader", |u| {
            u.inline_policies = vec![inline(
                "p",
                policy(json!([allow(
                    &["lambda:PassCapacityProvider", "lambda:Get*"],
                    "*"
                )])),
            )]
        });
        // An allow on * that a Deny with NotResource brings back to named providers.
        let s = with_deployer(
            s,
            "dev-fenced",
            vec![
                allow(&["lambda:*"], "*"),
                json!({"Effect": "Deny", "Action": "lambda:PassCapacityProvider", "NotResource": APP_CP}),
            ],
        );
        let findings = s.run(SLUG);
        assert_eq!(
            short(&findings),
            [
                (Fail, G, "dev-any-provider"),
                (Fail, G, "dev-lambda-all"),
                (Fail, G, "dev-not-action"),
                (Fail, G, "dev-star"),
                (Pass, G, "deploy-role"),
                (Pass, G, "dev-fenced"),
                (Pass, G, "dev-own-provider"),
            ]
        );
        let star = find(&findings, "dev-star");
        assert_eq!(&*star.resource_type, "AwsIamUser");
        assert_eq!(
            star.evidence.to_map()["allowed_by"][0]["policy_id"],
            "user/dev-star inline p"
        );
        assert_eq!(star.evidence.to_map()["providers"][APP_CP], "allowed");
        let own = find(&findings, "dev-own-provider");
        assert_eq!(own.evidence.to_map()["decision"], "implicit_deny");
        assert_eq!(own.evidence.to_map()["providers"][APP_CP], "allowed");
        assert_eq!(
            find(&findings, "dev-fenced").evidence.to_map()["decision"],
            "denied"
        );
        insta::assert_json_snapshot!("principal_pass_any_capacity_provider_failing", findings);
    }

    #[test]
    fn clean_case_passes() {
        let findings = healthy().run(SLUG);
        assert_eq!(short(&findings), [(Pass, G, "deploy-role")]);
        insta::assert_json_snapshot!("principal_pass_any_capacity_provider_clean", findings);
    }

    #[test]
    fn incomplete_case_is_not_evaluated_with_the_reason() {
        let s = healthy().organizations(Some(Organizations::NotInOrganization));
        // A grant on every provider that carries the team's tag: the provider's tags are unknown.
        let s = with_deployer(
            s,
            "dev-tagged",
            vec![
                json!({"Effect": "Allow", "Action": "lambda:PassCapacityProvider", "Resource": "*",
                "Condition": {"StringEquals": {"aws:ResourceTag/team": "platform"}}}),
            ],
        );
        let s = s.with_user("dev-orphan-group", |u| {
            u.inline_policies = vec![inline("p", deployer(vec![]))];
            u.groups = vec!["deleted-group".into()];
        });
        let findings = s.run(SLUG);
        assert_eq!(
            short(&findings),
            [
                (NotEvaluated, G, "dev-orphan-group"),
                (NotEvaluated, G, "dev-tagged"),
                (Pass, G, "deploy-role"),
            ]
        );
        let tagged = find(&findings, "dev-tagged");
        assert_eq!(tagged.evidence.to_map()["reason"], "decision_unknown");
        assert!(
            tagged.evidence.to_map()["unknown"]
                .as_str()
                .is_some_and(|u| u.contains("aws:resourcetag/team")),
            "{tagged:#?}"
        );
        // IAM not read: one finding on the account, never a pass.
        let denied = healthy()
            .edit(|s| s.accounts[0].iam = None)
            .gap("iam", "GetAccountAuthorizationDetails", "global")
            .run(SLUG);
        assert_eq!(short(&denied), [(NotEvaluated, G, "root")]);
        insta::assert_json_snapshot!("principal_pass_any_capacity_provider_incomplete", findings);
    }
}

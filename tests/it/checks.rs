//! Check tests: scenario snapshot in, findings out (clean, failing and incomplete-data cases).

use crate::support::{run_check, scenario, verdicts};
use vpcwarden::finding::Status::{Fail, NotEvaluated, Pass};

mod function_not_in_vpc {
    use super::*;

    #[test]
    fn failing_case_flags_functions_outside_a_vpc_but_not_lambda_at_edge() {
        let findings = run_check(&scenario("function-not-in-vpc"), "function-not-in-vpc");
        let fn_arn = |r: &str, n: &str| format!("arn:aws:lambda:{r}:111111111111:function:{n}");
        assert_eq!(
            verdicts(&findings),
            vec![
                (Fail, fn_arn("eu-west-1", "reports-novpc")),
                (Fail, fn_arn("us-east-1", "orphan-role")),
                (Fail, fn_arn("us-east-1", "public-api")),
                (Pass, fn_arn("us-east-1", "edge-auth")),
                (Pass, fn_arn("us-east-1", "orders-vpc")),
            ]
        );
        let edge = &findings[3];
        assert_eq!(edge.evidence["lambda_at_edge"], true);
        assert_eq!(edge.evidence["trust_statements"][0]["sid"], "LambdaAndEdge");
        // Lambda reports the constant VpcId of some emulators; the subnets say which VPC it is.
        assert_eq!(findings[4].evidence["vpc_id"], "vpc-0000000000000000a");
        assert!(findings.iter().all(|f| f.compliance == ["Lambda.3"]));
        insta::assert_json_snapshot!("function_not_in_vpc_failing", findings);
    }

    #[test]
    fn clean_case_passes_every_vpc_function() {
        let findings = run_check(
            &scenario("function-not-in-vpc-clean"),
            "function-not-in-vpc",
        );
        assert_eq!(verdicts(&findings).len(), 1);
        assert!(findings.iter().all(|f| f.status == Pass));
        insta::assert_json_snapshot!("function_not_in_vpc_clean", findings);
    }

    #[test]
    fn incomplete_case_is_not_evaluated_never_pass() {
        let findings = run_check(
            &scenario("function-not-in-vpc-incomplete"),
            "function-not-in-vpc",
        );
        assert_eq!(
            verdicts(&findings),
            vec![
                // eu-west-1: ListFunctions denied → the region is not evaluated (on the account).
                (NotEvaluated, "arn:aws:iam::111111111111:root".to_string()),
                // Outside a VPC, and IAM denied → whether it is Lambda@Edge is unknown.
                (
                    NotEvaluated,
                    "arn:aws:lambda:us-east-1:111111111111:function:public-api".to_string()
                ),
                // Attached to a VPC: IAM does not matter.
                (
                    Pass,
                    "arn:aws:lambda:us-east-1:111111111111:function:orders-vpc".to_string()
                ),
            ]
        );
        assert_eq!(findings[0].region, "eu-west-1");
        assert_eq!(findings[0].resource_type, "AwsAccount");
        assert_eq!(
            findings[0].evidence["gap"]["error_code"],
            "AccessDeniedException"
        );
        assert_eq!(
            findings[1].evidence["gap"]["operation"],
            "GetAccountAuthorizationDetails"
        );
        insta::assert_json_snapshot!("function_not_in_vpc_incomplete", findings);
    }

    #[test]
    fn unreadable_trust_policy_is_not_evaluated() {
        let mut snapshot = scenario("function-not-in-vpc");
        let iam = snapshot.accounts[0].iam.as_mut().expect("iam");
        for role in &mut iam.roles {
            role.trust_policy = serde_json::Value::String("{not json".into());
        }
        let findings = run_check(&snapshot, "function-not-in-vpc");
        let public = findings
            .iter()
            .find(|f| f.resource_arn.ends_with(":function:public-api"))
            .expect("judged");
        assert_eq!(public.status, NotEvaluated);
        assert_eq!(public.evidence["reason"], "trust_policy_unreadable");
        assert!(
            public.evidence["trust_policy_error"]
                .as_str()
                .expect("error")
                .contains("role/app-role"),
            "the error names the policy: {:?}",
            public.evidence
        );
    }
}

mod demo {
    use super::*;

    #[test]
    fn demo_snapshot_loads_and_every_check_judges_it_completely() {
        let snapshot =
            vpcwarden::snapshot::Snapshot::from_json("demo", vpcwarden::app::DEMO_SNAPSHOT)
                .expect("demo loads");
        assert!(snapshot.accounts.iter().all(|a| a.gaps.is_empty()));
        let all = vpcwarden::checks::all().expect("catalog");
        let selected: Vec<_> = all.iter().collect();
        let findings =
            vpcwarden::checks::run(&snapshot, &vpcwarden::config::Config::default(), &selected)
                .expect("runs");
        assert!(
            findings.iter().any(|f| f.status == Fail),
            "the demo shows problems"
        );
        assert!(findings.iter().all(|f| f.status != NotEvaluated));
        // The demo file is exactly what `collect` would write for that account: sorted, every field
        // known (an unknown field would be dropped here and show up as a difference).
        assert_eq!(snapshot.to_json(), vpcwarden::app::DEMO_SNAPSHOT);
    }
}

mod function_not_in_vpc_trust_shapes {
    use super::*;
    use serde_json::json;

    /// The failing scenario with edge-role's trust policy replaced.
    fn with_edge_trust(trust: serde_json::Value) -> Vec<vpcwarden::finding::Finding> {
        let mut snapshot = scenario("function-not-in-vpc");
        let iam = snapshot.accounts[0].iam.as_mut().expect("iam");
        let role = iam
            .roles
            .iter_mut()
            .find(|r| r.name == "edge-role")
            .expect("edge-role");
        role.trust_policy = trust;
        run_check(&snapshot, "function-not-in-vpc")
            .into_iter()
            .filter(|f| f.resource_arn.ends_with(":function:edge-auth"))
            .collect()
    }

    #[test]
    fn an_explicit_deny_for_the_edge_service_is_not_lambda_at_edge() {
        let f = with_edge_trust(json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": ["lambda.amazonaws.com", "edgelambda.amazonaws.com"]}, "Action": "sts:AssumeRole"},
            {"Effect": "Deny", "Principal": {"Service": "edgelambda.amazonaws.com"}, "Action": "sts:*"}
        ]}));
        assert_eq!(f[0].status, Fail);
    }

    #[test]
    fn wildcard_actions_and_a_single_statement_object_are_read() {
        let f = with_edge_trust(json!({"Version": "2012-10-17", "Statement":
            {"Effect": "Allow", "Principal": {"Service": "edgelambda.amazonaws.com"}, "Action": "sts:Assume*"}}));
        assert_eq!(f[0].status, Pass);
        assert_eq!(f[0].evidence["lambda_at_edge"], true);
    }

    #[test]
    fn a_condition_on_an_unknown_key_is_not_evaluated_rather_than_guessed() {
        let f = with_edge_trust(json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "edgelambda.amazonaws.com"}, "Action": "sts:AssumeRole",
             "Condition": {"StringEquals": {"aws:SourceAccount": "111111111111"}}}
        ]}));
        assert_eq!(f[0].status, NotEvaluated);
        assert_eq!(f[0].evidence["reason"], "trust_policy_undecided");
    }

    #[test]
    fn a_lambda_only_role_fails() {
        let f = with_edge_trust(json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ]}));
        assert_eq!(f[0].status, Fail);
        assert_eq!(f[0].evidence["lambda_at_edge"], false);
    }
}

/// `(status, last ARN segment)` pairs: short, readable assertions for IAM resources.
fn short(findings: &[vpcwarden::finding::Finding]) -> Vec<(vpcwarden::finding::Status, String)> {
    findings
        .iter()
        .map(|f| {
            (
                f.status,
                f.resource_arn
                    .rsplit(':')
                    .next()
                    .unwrap_or_default()
                    .to_string(),
            )
        })
        .collect()
}

fn named(v: &[(vpcwarden::finding::Status, &str)]) -> Vec<(vpcwarden::finding::Status, String)> {
    v.iter().map(|(s, n)| (*s, n.to_string())).collect()
}

mod role_eni_write_unconditioned {
    use super::*;

    #[test]
    fn failing_case_flags_every_unguarded_grant_and_cites_it() {
        let findings = run_check(
            &scenario("role-eni-write-unconditioned"),
            "role-eni-write-unconditioned",
        );
        assert_eq!(
            short(&findings),
            named(&[
                (Fail, "role/admin-role"),
                (Fail, "role/eni-ec2star-role"),
                (Fail, "role/eni-managed-role"),
                (Fail, "role/eni-wildcard-role"),
                // Trusts another service, but a function runs as it: code is what matters.
                (Fail, "role/odd-trust-role"),
                // NotAction iam:*, organizations:*, account:* still grants every ec2 action.
                (Fail, "role/power-role"),
                (Pass, "role/eni-boundary-role"),
                (Pass, "role/eni-denied-role"),
                (Pass, "role/eni-null-role"),
                (Pass, "role/eni-scoped-role"),
                (Pass, "role/plain-role"),
            ])
        );
        // ci-deploy-role (admin, but neither Lambda-trusting nor used by a function) is not judged.
        let managed = findings
            .iter()
            .find(|f| f.resource_arn.ends_with("role/eni-managed-role"))
            .expect("judged");
        assert_eq!(
            managed.evidence["allowed_actions"],
            serde_json::json!([
                "ec2:AssignPrivateIpAddresses",
                "ec2:CreateNetworkInterface",
                "ec2:DeleteNetworkInterface",
                "ec2:UnassignPrivateIpAddresses"
            ])
        );
        assert_eq!(
            managed.evidence["granted_by"][0]["policy_id"],
            "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
        );
        assert_eq!(
            managed.evidence["remediation_statements"][0]["statement"]["Condition"]["Null"]["lambda:SourceFunctionArn"],
            "true",
            "the remediation rewrites the granting statement with the guard"
        );
        assert_eq!(
            managed.evidence["functions"],
            serde_json::json!(["arn:aws:lambda:us-east-1:111111111111:function:orders"])
        );
        insta::assert_json_snapshot!("role_eni_write_unconditioned_failing", findings);
    }

    #[test]
    fn clean_case_passes_guarded_scoped_bounded_and_denied_grants() {
        let findings = run_check(
            &scenario("role-eni-write-unconditioned-clean"),
            "role-eni-write-unconditioned",
        );
        assert!(
            !findings.is_empty() && findings.iter().all(|f| f.status == Pass),
            "{:?}",
            short(&findings)
        );
        insta::assert_json_snapshot!("role_eni_write_unconditioned_clean", findings);
    }

    #[test]
    fn incomplete_case_is_not_evaluated_on_the_account() {
        let findings = run_check(
            &scenario("role-eni-write-unconditioned-incomplete"),
            "role-eni-write-unconditioned",
        );
        assert_eq!(short(&findings), named(&[(NotEvaluated, "root")]));
        assert_eq!(
            findings[0].evidence["gap"]["operation"],
            "GetAccountAuthorizationDetails"
        );
    }

    #[test]
    fn an_scp_that_denies_eni_changes_from_code_makes_the_role_pass() {
        let mut snapshot = scenario("role-eni-write-unconditioned");
        let scp = serde_json::json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "*", "Resource": "*"},
            {"Sid": "NoEniFromFunctionCode", "Effect": "Deny",
             "Action": ["ec2:*NetworkInterface*", "ec2:*PrivateIpAddresses", "ec2:*Ipv6Addresses"], "Resource": "*",
             "Condition": {"Null": {"lambda:SourceFunctionArn": "false"}}}]});
        snapshot.accounts[0].organizations = Some(
            serde_json::from_value(serde_json::json!({
                "status": "member", "organization_id": "o-1", "management_account_id": "222222222222",
                "scps_enabled": true,
                "scp_levels": [{"target_id": "r-1", "target_type": "ROOT", "policies": [
                    {"id": "p-1", "arn": "arn:aws:organizations::222222222222:policy/o-1/service_control_policy/p-1",
                     "name": "NoEni", "document": scp}]}]
            }))
            .expect("organizations"),
        );
        let findings = run_check(&snapshot, "role-eni-write-unconditioned");
        assert!(
            findings.iter().all(|f| f.status == Pass),
            "{:?}",
            short(&findings)
        );
    }
}

mod role_admin_access {
    use super::*;

    #[test]
    fn failing_case_flags_only_star_on_star() {
        let findings = run_check(&scenario("role-admin-access"), "role-admin-access");
        assert_eq!(
            short(&findings),
            named(&[
                (Fail, "role/admin-role"),
                (Pass, "role/eni-ec2star-role"),
                (Pass, "role/plain-role"),
                // Everything but IAM and Organizations is broad, but not administrator access.
                (Pass, "role/power-role"),
            ])
        );
        assert_eq!(
            findings[0].evidence["granted_by"][0]["policy_id"],
            "arn:aws:iam::aws:policy/AdministratorAccess"
        );
        insta::assert_json_snapshot!("role_admin_access_failing", findings);
    }

    #[test]
    fn clean_case_passes() {
        let findings = run_check(&scenario("role-admin-access-clean"), "role-admin-access");
        assert_eq!(findings.len(), 3);
        assert!(findings.iter().all(|f| f.status == Pass));
    }

    #[test]
    fn a_malformed_policy_makes_its_role_not_evaluated_naming_policy_and_field() {
        let findings = run_check(
            &scenario("role-admin-access-incomplete"),
            "role-admin-access",
        );
        assert_eq!(
            short(&findings),
            named(&[
                (NotEvaluated, "role/broken-role"),
                (Pass, "role/plain-role")
            ])
        );
        let error = findings[0].evidence["policy_errors"][0]
            .as_str()
            .expect("error text");
        assert!(error.contains("role/broken-role inline bad"), "{error}");
        assert!(
            error.contains("Statement[0].Condition.StringEqualz"),
            "{error}"
        );
    }
}

mod principal_vpc_guardrail_missing {
    use super::*;
    use vpcwarden::config::Config;

    fn run_with(config: &Config, name: &str) -> Vec<vpcwarden::finding::Finding> {
        let all = vpcwarden::checks::all().expect("catalog");
        let selected =
            vpcwarden::checks::select(all, &["principal-vpc-guardrail-missing".into()], &[])
                .expect("known");
        vpcwarden::checks::run(&scenario(name), config, &selected).expect("runs")
    }

    #[test]
    fn failing_case_flags_leaky_and_missing_guardrails() {
        let findings = run_check(
            &scenario("principal-vpc-guardrail-missing"),
            "principal-vpc-guardrail-missing",
        );
        assert_eq!(
            short(&findings),
            named(&[
                (Fail, "role/deploy-anyvalue"),
                (Fail, "role/deploy-create-only"),
                (Fail, "user/dev-unguarded"),
                (Pass, "role/deploy-guarded"),
                (Pass, "user/dev-guarded"),
                (Pass, "user/dev-subnet-guarded"),
            ]),
            "reader and plain-role have no Lambda rights; the service-linked role is skipped"
        );
        let create_only = &findings[1];
        let leaks: Vec<(String, String)> = create_only.evidence["outcomes"]
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
        assert_eq!(findings[3].resource_type, "AwsIamRole");
        assert_eq!(findings[4].resource_type, "AwsIamUser");
        insta::assert_json_snapshot!("principal_vpc_guardrail_missing_failing", findings);
    }

    #[test]
    fn approved_subnets_expose_the_multi_valued_for_all_values_leak() {
        let config = Config {
            approved_vpcs: vec!["vpc-0000000000000000a".into()],
            approved_subnets: vec![
                "subnet-0000000000000000a".into(),
                "subnet-0000000000000000b".into(),
            ],
            approved_security_groups: vec!["sg-0000000000000000f".into()],
            ..Config::default()
        };
        let findings = run_with(&config, "principal-vpc-guardrail-missing");
        let subnet_guarded = findings
            .iter()
            .find(|f| f.resource_arn.ends_with("user/dev-subnet-guarded"))
            .expect("judged");
        assert_eq!(subnet_guarded.status, Fail, "{}", subnet_guarded.message);
        assert!(
            subnet_guarded
                .message
                .contains("unapproved subnet or security group beside approved ones")
        );
        // A VPC-only guardrail keeps functions in the approved VPC, not in the approved subnets.
        let vpc_guarded = findings
            .iter()
            .find(|f| f.resource_arn.ends_with("user/dev-guarded"))
            .expect("judged");
        assert_eq!(vpc_guarded.status, Fail);
        let leaks: Vec<&str> = vpc_guarded.evidence["outcomes"]
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
        let findings = run_check(
            &scenario("principal-vpc-guardrail-missing-clean"),
            "principal-vpc-guardrail-missing",
        );
        assert_eq!(
            short(&findings),
            named(&[(Pass, "role/deploy-guarded"), (Pass, "user/dev-guarded")])
        );
    }

    #[test]
    fn incomplete_case_is_not_evaluated_with_the_reason() {
        let findings = run_check(
            &scenario("principal-vpc-guardrail-missing-incomplete"),
            "principal-vpc-guardrail-missing",
        );
        assert_eq!(
            short(&findings),
            named(&[
                (NotEvaluated, "user/dev-mfa"),
                (NotEvaluated, "user/dev-orphan-group")
            ])
        );
        assert_eq!(findings[0].evidence["reason"], "decision_unknown");
        assert!(
            findings[1].message.contains("group deleted-group"),
            "{}",
            findings[1].message
        );
    }
}

mod account_vpc_guardrail_missing {
    use super::*;

    #[test]
    fn failing_case_unrelated_scps_do_not_guard() {
        let findings = run_check(
            &scenario("account-vpc-guardrail-missing"),
            "account-vpc-guardrail-missing",
        );
        assert_eq!(short(&findings), named(&[(Fail, "root")]));
        assert_eq!(findings[0].resource_type, "AwsAccount");
        assert_eq!(findings[0].evidence["scp_levels"], 3);
        insta::assert_json_snapshot!("account_vpc_guardrail_missing_failing", findings);
    }

    #[test]
    fn clean_case_an_ou_scp_guards_the_account() {
        let findings = run_check(
            &scenario("account-vpc-guardrail-missing-clean"),
            "account-vpc-guardrail-missing",
        );
        assert_eq!(short(&findings), named(&[(Pass, "root")]));
        let outcomes = findings[0].evidence["outcomes"]
            .as_array()
            .expect("outcomes");
        assert!(outcomes.iter().all(|o| o["decision"] == "denied"));
        assert_eq!(outcomes[0]["by"][0]["sid"], "OnlyApprovedVpc");
    }

    #[test]
    fn incomplete_case_is_not_evaluated() {
        let findings = run_check(
            &scenario("account-vpc-guardrail-missing-incomplete"),
            "account-vpc-guardrail-missing",
        );
        assert_eq!(short(&findings), named(&[(NotEvaluated, "root")]));
        assert_eq!(
            findings[0].evidence["gap"]["operation"],
            "ListPoliciesForTarget"
        );
    }

    #[test]
    fn management_account_and_standalone_accounts_have_no_scp_guard() {
        let mut snapshot = scenario("account-vpc-guardrail-missing-clean");
        if let Some(vpcwarden::snapshot::Organizations::Member(m)) =
            &mut snapshot.accounts[0].organizations
        {
            m.management_account_id = "111111111111".into();
        }
        let findings = run_check(&snapshot, "account-vpc-guardrail-missing");
        assert_eq!(findings[0].status, Fail);
        assert!(
            findings[0].message.contains("management account"),
            "{}",
            findings[0].message
        );
        snapshot.accounts[0].organizations =
            Some(vpcwarden::snapshot::Organizations::NotInOrganization);
        let findings = run_check(&snapshot, "account-vpc-guardrail-missing");
        assert_eq!(findings[0].status, Fail);
        assert!(
            findings[0].message.contains("not in an organization"),
            "{}",
            findings[0].message
        );
    }
}

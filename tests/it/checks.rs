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
        let findings = vpcwarden::checks::run(&snapshot, &selected).expect("runs");
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

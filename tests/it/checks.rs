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
        assert_eq!(edge.evidence["trust_statement"], "LambdaAndEdge");
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
        assert!(public.message.contains("app-role"), "{}", public.message);
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

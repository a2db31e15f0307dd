//! Function exposure and hygiene checks on scenario snapshots: clean, failing and incomplete cases.
//! The policy questions are the policy engine's; these tests pin its answers on each policy shape.

use crate::support::{run_check, run_check_with, scenario, short};
use vpcwarden::finding::Status::{Fail, NotEvaluated, Pass};

const E1: &str = "us-east-1";
const EU: &str = "eu-west-1";

mod function_policy_public {
    use super::*;

    #[test]
    fn failing_case_flags_only_callers_no_condition_pins() {
        let findings = run_check(
            &scenario("function-policy-public"),
            "function-policy-public",
        );
        assert_eq!(
            short(&findings),
            [
                (Fail, E1, "public-aws-star"),
                (Fail, E1, "public-star"),
                (Fail, E1, "public-url"),
                (Pass, E1, "account-grant"),
                (Pass, E1, "denied-public"),
                (Pass, E1, "no-policy"),
                (Pass, E1, "org-scoped"),
                (Pass, E1, "principal-account"),
                (Pass, E1, "source-scoped"),
                (Pass, E1, "url-grant-no-url"),
                (Pass, E1, "url-old-grant"),
            ],
            "statements scoped by organization, source or account are never public"
        );
        assert!(findings.iter().all(|f| f.compliance == ["Lambda.1"]));
        assert_eq!(findings[0].evidence["allowed_by"][0]["sid"], "AnyAccount");
        assert_eq!(
            findings[0].evidence["allowed_by"][0]["statement"]["Principal"]["AWS"],
            "*"
        );
        assert_eq!(
            findings[2].evidence["public_action"],
            "lambda:InvokeFunctionUrl"
        );
        assert_eq!(
            findings[2].evidence["allowed_by"][1]["sid"],
            "FunctionURLInvokeAllowPublicAccess"
        );
        insta::assert_json_snapshot!("function_policy_public_failing", findings);
    }

    #[test]
    fn clean_case_passes() {
        let findings = run_check(
            &scenario("function-policy-public-clean"),
            "function-policy-public",
        );
        assert!(findings.iter().all(|f| f.status == Pass));
        assert_eq!(findings.len(), 4);
        insta::assert_json_snapshot!("function_policy_public_clean", findings);
    }

    #[test]
    fn incomplete_case_is_not_evaluated_unless_already_public() {
        let findings = run_check(
            &scenario("function-policy-public-incomplete"),
            "function-policy-public",
        );
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
            ]
        );
        assert_eq!(findings[2].evidence["reason"], "decision_unknown");
        assert_eq!(findings[3].evidence["reason"], "policy_unreadable");
        assert_eq!(findings[4].evidence["gap"]["operation"], "GetPolicy");
        assert_eq!(
            findings[5].evidence["gap"]["operation"],
            "GetFunctionUrlConfig"
        );
        insta::assert_json_snapshot!("function_policy_public_incomplete", findings);
    }
}

mod function_policy_unscoped_service {
    use super::*;

    #[test]
    fn failing_case_flags_services_acting_for_anyone() {
        let findings = run_check(
            &scenario("function-policy-unscoped-service"),
            "function-policy-unscoped-service",
        );
        assert_eq!(
            short(&findings),
            [
                (Fail, E1, "s3-bucket-only"),
                (Fail, E1, "s3-wildcard-arn"),
                (Fail, E1, "sns-any-account"),
                (Fail, E1, "sns-unscoped"),
                (Fail, E1, "two-services"),
                (Pass, E1, "events-account"),
                (Pass, E1, "no-policy"),
                (Pass, E1, "public-only"),
                (Pass, E1, "s3-scoped"),
                (Pass, E1, "sns-topic"),
            ]
        );
        let two = &findings[4].evidence["unscoped"];
        assert_eq!(two.as_array().map(Vec::len), Some(1));
        assert_eq!(two[0]["principal"], "apigateway.amazonaws.com");
        assert_eq!(two[0]["statements"][0]["sid"], "Api");
        insta::assert_json_snapshot!("function_policy_unscoped_service_failing", findings);
    }

    #[test]
    fn clean_case_passes() {
        let findings = run_check(
            &scenario("function-policy-unscoped-service-clean"),
            "function-policy-unscoped-service",
        );
        assert!(findings.iter().all(|f| f.status == Pass));
        assert_eq!(findings.len(), 4);
        insta::assert_json_snapshot!("function_policy_unscoped_service_clean", findings);
    }

    #[test]
    fn incomplete_case_is_not_evaluated() {
        let findings = run_check(
            &scenario("function-policy-unscoped-service-incomplete"),
            "function-policy-unscoped-service",
        );
        assert_eq!(
            short(&findings),
            [
                (NotEvaluated, E1, "by-tag"),
                (NotEvaluated, E1, "policy-denied"),
            ]
        );
        insta::assert_json_snapshot!("function_policy_unscoped_service_incomplete", findings);
    }
}

mod function_url_auth_none {
    use super::*;
    use vpcwarden::finding::Severity;

    #[test]
    fn failing_case_is_high_only_when_the_policy_admits_anonymous_callers() {
        let findings = run_check(
            &scenario("function-url-auth-none"),
            "function-url-auth-none",
        );
        assert_eq!(
            short(&findings),
            [
                (Fail, E1, "url-public"),
                (Fail, E1, "url-no-policy"),
                (Fail, E1, "url-old-grant"),
                (Pass, E1, "no-url"),
                (Pass, E1, "url-iam"),
            ]
        );
        assert_eq!(findings[0].severity, Severity::High);
        assert_eq!(findings[0].evidence["public_invocation"], true);
        assert_eq!(
            findings[0].evidence["allowed_by"][0]["sid"],
            "FunctionURLAllowPublicAccess"
        );
        assert_eq!(findings[1].severity, Severity::Medium);
        assert_eq!(findings[1].evidence["public_invocation"], false);
        // The grant of before October 2025 alone no longer opens the URL.
        assert_eq!(findings[2].severity, Severity::Medium);
        insta::assert_json_snapshot!("function_url_auth_none_failing", findings);
    }

    #[test]
    fn clean_case_passes() {
        let findings = run_check(
            &scenario("function-url-auth-none-clean"),
            "function-url-auth-none",
        );
        assert_eq!(
            short(&findings),
            [(Pass, E1, "no-url"), (Pass, E1, "url-iam")]
        );
        insta::assert_json_snapshot!("function_url_auth_none_clean", findings);
    }

    #[test]
    fn incomplete_case_fails_without_the_policy_but_cannot_raise_the_severity() {
        let findings = run_check(
            &scenario("function-url-auth-none-incomplete"),
            "function-url-auth-none",
        );
        assert_eq!(
            short(&findings),
            [
                // AuthType NONE is the finding; only its severity needed the policy.
                (Fail, E1, "url-none-policy-denied"),
                (NotEvaluated, E1, "url-denied"),
            ]
        );
        assert_eq!(findings[0].severity, vpcwarden::finding::Severity::Medium);
        assert_eq!(
            findings[0].evidence["policy_unavailable"]["gap"]["operation"],
            "GetPolicy"
        );
        insta::assert_json_snapshot!("function_url_auth_none_incomplete", findings);
    }
}

mod function_url_cors_wildcard {
    use super::*;

    #[test]
    fn failing_case_flags_any_wildcard_origin() {
        let findings = run_check(
            &scenario("function-url-cors-wildcard"),
            "function-url-cors-wildcard",
        );
        assert_eq!(
            short(&findings),
            [
                (Fail, E1, "cors-mixed"),
                (Fail, E1, "cors-star"),
                (Pass, E1, "cors-app"),
                (Pass, E1, "no-url"),
            ]
        );
        insta::assert_json_snapshot!("function_url_cors_wildcard_failing", findings);
    }

    #[test]
    fn clean_case_passes() {
        let findings = run_check(
            &scenario("function-url-cors-wildcard-clean"),
            "function-url-cors-wildcard",
        );
        assert_eq!(
            short(&findings),
            [(Pass, E1, "cors-app"), (Pass, E1, "no-url")]
        );
        insta::assert_json_snapshot!("function_url_cors_wildcard_clean", findings);
    }

    #[test]
    fn incomplete_case_is_not_evaluated() {
        let findings = run_check(
            &scenario("function-url-cors-wildcard-incomplete"),
            "function-url-cors-wildcard",
        );
        assert_eq!(
            short(&findings),
            [(NotEvaluated, EU, "root"), (NotEvaluated, E1, "url-denied")]
        );
        insta::assert_json_snapshot!("function_url_cors_wildcard_incomplete", findings);
    }
}

mod function_runtime_deprecated {
    use super::*;

    #[test]
    fn failing_case_flags_runtimes_past_their_date() {
        let findings = run_check(
            &scenario("function-runtime-deprecated"),
            "function-runtime-deprecated",
        );
        assert_eq!(
            short(&findings),
            [
                (Fail, E1, "go1"),
                (Fail, E1, "node18"),
                (Fail, E1, "py37"),
                (Pass, E1, "image"),
                (Pass, E1, "py312"),
            ]
        );
        assert!(findings.iter().all(|f| f.compliance == ["Lambda.2"]));
        assert_eq!(findings[2].evidence["deprecation_date"], "2023-12-04");
        assert!(findings[2].evidence["days_left"].as_i64() < Some(0));
        insta::assert_json_snapshot!("function_runtime_deprecated_failing", findings);
    }

    #[test]
    fn a_deprecation_within_180_days_is_a_low_finding_with_the_days_left() {
        let mut snapshot = scenario("function-runtime-deprecated-clean");
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
        snapshot.collected_at = format!("{y}-{m:02}-01T00:00:00Z");
        let findings = run_check(&snapshot, "function-runtime-deprecated");
        let warned = findings
            .iter()
            .find(|f| f.resource_arn.ends_with(":py312"))
            .expect("judged");
        assert_eq!(warned.status, Fail);
        assert_eq!(warned.severity, vpcwarden::finding::Severity::Low);
        let days = warned.evidence["days_left"].as_i64().expect("days");
        assert!((28..=92).contains(&days), "{days}");
        assert!(warned.message.contains(&format!("{days} days left")));
    }

    #[test]
    fn clean_case_passes() {
        let findings = run_check(
            &scenario("function-runtime-deprecated-clean"),
            "function-runtime-deprecated",
        );
        assert_eq!(short(&findings), [(Pass, E1, "image"), (Pass, E1, "py312")]);
        insta::assert_json_snapshot!("function_runtime_deprecated_clean", findings);
    }

    #[test]
    fn incomplete_case_is_not_evaluated() {
        let findings = run_check(
            &scenario("function-runtime-deprecated-incomplete"),
            "function-runtime-deprecated",
        );
        assert_eq!(
            short(&findings),
            [(NotEvaluated, EU, "root"), (NotEvaluated, E1, "future")]
        );
        assert_eq!(findings[1].evidence["reason"], "runtime_unknown");
        insta::assert_json_snapshot!("function_runtime_deprecated_incomplete", findings);
    }
}

mod function_layer_cross_account {
    use super::*;
    use vpcwarden::config::Config;

    #[test]
    fn failing_case_flags_layers_of_untrusted_accounts() {
        let findings = run_check(
            &scenario("function-layer-cross-account"),
            "function-layer-cross-account",
        );
        assert_eq!(
            short(&findings),
            [
                (Fail, E1, "foreign-layer"),
                (Fail, E1, "trusted-layer"),
                (Pass, E1, "no-layers"),
                (Pass, E1, "own-layer"),
            ]
        );
        let foreign = &findings[0].evidence["untrusted_layers"];
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
        let findings = run_check_with(
            &scenario("function-layer-cross-account"),
            "function-layer-cross-account",
            &config,
        );
        assert_eq!(short(&findings)[0], (Fail, E1, "foreign-layer"));
        assert_eq!(short(&findings)[3], (Pass, E1, "trusted-layer"));
    }

    #[test]
    fn clean_case_passes() {
        let findings = run_check(
            &scenario("function-layer-cross-account-clean"),
            "function-layer-cross-account",
        );
        assert_eq!(
            short(&findings),
            [(Pass, E1, "no-layers"), (Pass, E1, "own-layer")]
        );
        insta::assert_json_snapshot!("function_layer_cross_account_clean", findings);
    }

    #[test]
    fn incomplete_case_is_not_evaluated_for_the_unlisted_region() {
        let findings = run_check(
            &scenario("function-layer-cross-account-incomplete"),
            "function-layer-cross-account",
        );
        assert_eq!(
            short(&findings),
            [(NotEvaluated, EU, "root"), (Pass, E1, "own-layer")]
        );
        insta::assert_json_snapshot!("function_layer_cross_account_incomplete", findings);
    }
}

mod role_logs_missing {
    use super::*;

    #[test]
    fn failing_case_flags_roles_that_cannot_write_a_function_s_log_group() {
        let findings = run_check(&scenario("role-logs-missing"), "role-logs-missing");
        assert_eq!(
            short(&findings),
            [
                (Fail, "global", "logs-denied-for-code"),
                (Fail, "global", "logs-other-function"),
                (Fail, "global", "no-logs"),
                (Pass, "global", "custom-group"),
                (Pass, "global", "logs-managed"),
                (Pass, "global", "logs-ok"),
            ],
            "a role no function uses gets no finding"
        );
        // orders cannot write its logs; billing, on the same role, can.
        let other = &findings[1].evidence["missing"];
        assert!(other.as_array().expect("missing").iter().all(|m| {
            m["function"]
                .as_str()
                .is_some_and(|f| f.ends_with(":orders"))
        }));
        assert_eq!(findings[0].evidence["missing"][0]["explicit_deny"], true);
        insta::assert_json_snapshot!("role_logs_missing_failing", findings);
    }

    #[test]
    fn clean_case_passes() {
        let findings = run_check(&scenario("role-logs-missing-clean"), "role-logs-missing");
        assert!(findings.iter().all(|f| f.status == Pass));
        assert_eq!(findings.len(), 3);
        insta::assert_json_snapshot!("role_logs_missing_clean", findings);
    }

    #[test]
    fn incomplete_case_is_not_evaluated() {
        let findings = run_check(
            &scenario("role-logs-missing-incomplete"),
            "role-logs-missing",
        );
        assert_eq!(
            short(&findings),
            [
                (NotEvaluated, "global", "broken"),
                (NotEvaluated, "global", "by-tag"),
                // Would pass, but eu-west-1's functions are unknown: some may use it.
                (NotEvaluated, "global", "logs-ok"),
            ]
        );
        assert_eq!(findings[0].evidence["reason"], "policy_unreadable");
        assert_eq!(findings[2].evidence["gap"]["operation"], "ListFunctions");
        // The event-source check cannot call a Lambda role free of mappings it cannot see either.
        let es = run_check(
            &scenario("role-logs-missing-incomplete"),
            "role-event-source-permission-missing",
        );
        assert!(!es.is_empty());
        assert!(
            es.iter().all(|f| f.status == NotEvaluated),
            "{:?}",
            short(&es)
        );
        let denied = run_check(
            &scenario("role-logs-missing-iam-denied"),
            "role-logs-missing",
        );
        assert_eq!(short(&denied), [(NotEvaluated, "global", "root")]);
        insta::assert_json_snapshot!("role_logs_missing_incomplete", findings);
    }
}

mod role_event_source_permission_missing {
    use super::*;

    #[test]
    fn failing_case_flags_roles_the_poller_cannot_read_with() {
        let findings = run_check(
            &scenario("role-event-source-permission-missing"),
            "role-event-source-permission-missing",
        );
        assert_eq!(
            short(&findings),
            [
                (Fail, "global", "ddb-missing"),
                (Fail, "global", "sqs-missing"),
                (Pass, "global", "kinesis-ok"),
                (Pass, "global", "sqs-ok"),
            ],
            "an MSK mapping is not judged; a role with no poll-based mapping gets no finding"
        );
        let missing: Vec<&str> = findings[1].evidence["missing"]
            .as_array()
            .expect("missing")
            .iter()
            .filter_map(|m| m["action"].as_str())
            .collect();
        assert_eq!(missing, ["sqs:DeleteMessage", "sqs:GetQueueAttributes"]);
        let ddb: Vec<&str> = findings[0].evidence["missing"]
            .as_array()
            .expect("missing")
            .iter()
            .filter_map(|m| m["action"].as_str())
            .collect();
        assert_eq!(ddb, ["dynamodb:DescribeStream", "dynamodb:ListStreams"]);
        insta::assert_json_snapshot!("role_event_source_permission_missing_failing", findings);
    }

    #[test]
    fn clean_case_passes() {
        let findings = run_check(
            &scenario("role-event-source-permission-missing-clean"),
            "role-event-source-permission-missing",
        );
        assert_eq!(
            short(&findings),
            [(Pass, "global", "kinesis-ok"), (Pass, "global", "sqs-ok")]
        );
        insta::assert_json_snapshot!("role_event_source_permission_missing_clean", findings);
    }

    #[test]
    fn incomplete_case_is_not_evaluated() {
        let findings = run_check(
            &scenario("role-event-source-permission-missing-incomplete"),
            "role-event-source-permission-missing",
        );
        assert_eq!(
            short(&findings),
            [
                (NotEvaluated, "global", "sqs-by-tag"),
                (NotEvaluated, "global", "sqs-ok"),
            ]
        );
        assert_eq!(
            findings[1].evidence["gap"]["operation"],
            "ListEventSourceMappings"
        );
        insta::assert_json_snapshot!("role_event_source_permission_missing_incomplete", findings);
    }
}

mod role_invoke_any_function {
    use super::*;

    #[test]
    fn failing_case_flags_wildcard_invoke_grants() {
        let findings = run_check(
            &scenario("role-invoke-any-function"),
            "role-invoke-any-function",
        );
        assert_eq!(
            short(&findings),
            [
                (Fail, "global", "invoker"),
                (Fail, "global", "lambda-star"),
                (Pass, "global", "bounded-invoker"),
                (Pass, "global", "scoped-invoker"),
                (Pass, "global", "unused-trusting"),
            ]
        );
        assert_eq!(findings[0].evidence["granted_by"][0]["sid"], "InvokeAny");
        insta::assert_json_snapshot!("role_invoke_any_function_failing", findings);
    }

    #[test]
    fn clean_case_passes() {
        let findings = run_check(
            &scenario("role-invoke-any-function-clean"),
            "role-invoke-any-function",
        );
        assert!(findings.iter().all(|f| f.status == Pass));
        insta::assert_json_snapshot!("role_invoke_any_function_clean", findings);
    }

    #[test]
    fn incomplete_case_is_not_evaluated() {
        let findings = run_check(
            &scenario("role-invoke-any-function-incomplete"),
            "role-invoke-any-function",
        );
        assert_eq!(short(&findings), [(NotEvaluated, "global", "tag-invoker")]);
        insta::assert_json_snapshot!("role_invoke_any_function_incomplete", findings);
    }
}

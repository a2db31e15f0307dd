//! The Organizations checks (`src/checks/organizations/`): the SCPs on the account's path, on the
//! healthy account plus one change, for a clean, a failing and an incomplete-data case each.

use crate::support::healthy::{ACCOUNT, deny, healthy, member_of_organization, policy, scp};
use crate::support::short;
use serde_json::json;
use vpcwarden::finding::Status::{Fail, NotEvaluated, Pass};
use vpcwarden::snapshot::Organizations;

const G: &str = "global";

mod account_vpc_guardrail_missing {
    use super::*;

    const SLUG: &str = "account-vpc-guardrail-missing";

    #[test]
    fn failing_case_unrelated_scps_do_not_guard() {
        let deny_leave = scp(
            "p-deny0leave",
            "DenyLeave",
            policy(json!([deny(&["organizations:LeaveOrganization"], "*")])),
        );
        let findings = healthy()
            .organizations(Some(member_of_organization(vec![deny_leave])))
            .run(SLUG);
        assert_eq!(short(&findings), [(Fail, G, "root")]);
        assert_eq!(&*findings[0].resource_type, "AwsAccount");
        assert_eq!(findings[0].evidence.to_map()["scp_levels"], 3);
        insta::assert_json_snapshot!("account_vpc_guardrail_missing_failing", findings);
    }

    #[test]
    fn clean_case_an_ou_scp_guards_the_account() {
        let findings = healthy().run(SLUG);
        assert_eq!(short(&findings), [(Pass, G, "root")]);
        let outcomes_evidence = findings[0].evidence.to_map();
        let outcomes = outcomes_evidence["outcomes"].as_array().expect("outcomes");
        assert!(outcomes.iter().all(|o| o["decision"] == "denied"));
        assert_eq!(outcomes[0]["by"][0]["sid"], "OnlyApprovedVpc");
        insta::assert_json_snapshot!("account_vpc_guardrail_missing_clean", findings);
    }

    #[test]
    fn incomplete_case_is_not_evaluated() {
        let findings = healthy()
            .gap("organizations", "ListPoliciesForTarget", G)
            .run(SLUG);
        assert_eq!(short(&findings), [(NotEvaluated, G, "root")]);
        assert_eq!(
            findings[0].evidence.to_map()["gap"]["operation"],
            "ListPoliciesForTarget"
        );
        insta::assert_json_snapshot!("account_vpc_guardrail_missing_incomplete", findings);
    }

    #[test]
    fn management_account_and_standalone_accounts_have_no_scp_guard() {
        let findings = healthy()
            .edit(|s| {
                if let Some(Organizations::Member(m)) = &mut s.accounts[0].organizations {
                    m.management_account_id = ACCOUNT.into();
                }
            })
            .run(SLUG);
        assert_eq!(findings[0].status, Fail);
        assert!(
            findings[0].message.contains("management account"),
            "{}",
            findings[0].message
        );
        let findings = healthy()
            .organizations(Some(Organizations::NotInOrganization))
            .run(SLUG);
        assert_eq!(findings[0].status, Fail);
        assert!(
            findings[0].message.contains("not in an organization"),
            "{}",
            findings[0].message
        );
    }
}

mod account_layer_guardrail_missing {
    use super::*;
    use crate::support::healthy::VPC;

    const SLUG: &str = "account-layer-guardrail-missing";

    /// An OU SCP with `statements`.
    fn with_ou_scp(statements: serde_json::Value) -> Organizations {
        member_of_organization(vec![scp("p-ou0lambda", "OuLambda", policy(statements))])
    }

    #[test]
    fn failing_case_a_vpc_guardrail_alone_does_not_keep_layers_trusted() {
        let findings = healthy()
            .organizations(Some(with_ou_scp(json!([{
                "Sid": "OnlyApprovedVpc", "Effect": "Deny",
                "Action": ["lambda:CreateFunction", "lambda:UpdateFunctionConfiguration"], "Resource": "*",
                "Condition": {"ForAllValues:StringNotEquals": {"lambda:VpcIds": [VPC]}}
            }]))))
            .run(SLUG);
        assert_eq!(short(&findings), [(Fail, G, "root")]);
        // The no-VPC probes meet the VPC guardrail and test nothing; vpc-app shows the gap.
        let networks_evidence = findings[0].evidence.to_map();
        let networks: Vec<&str> = networks_evidence["outcomes"]
            .as_array()
            .expect("outcomes")
            .iter()
            .filter_map(|o| o["network"].as_str())
            .collect();
        assert_eq!(networks, ["vpc-app"; 4]);
        insta::assert_json_snapshot!("account_layer_guardrail_missing_failing", findings);
    }

    #[test]
    fn a_for_all_values_scp_leaks_mixed_layers() {
        let findings = healthy()
            .organizations(Some(with_ou_scp(json!([{
                "Sid": "AllValues", "Effect": "Deny",
                "Action": ["lambda:CreateFunction", "lambda:UpdateFunctionConfiguration"], "Resource": "*",
                "Condition": {"ForAllValues:StringNotLike": {"lambda:Layer": ["arn:aws:lambda:*:${aws:PrincipalAccount}:layer:*"]}}
            }]))))
            .run(SLUG);
        assert_eq!(short(&findings), [(Fail, G, "root")]);
        assert!(
            findings[0]
                .message
                .contains("with a layer of its own account beside one from account 999999999999"),
            "{}",
            findings[0].message
        );
        assert!(
            !findings[0]
                .message
                .contains("lambda:CreateFunction with a layer from")
        );
    }

    #[test]
    fn clean_case_an_ou_scp_keeps_layers_trusted() {
        let findings = healthy().run(SLUG);
        assert_eq!(short(&findings), [(Pass, G, "root")]);
        let outcomes_evidence = findings[0].evidence.to_map();
        let outcomes = outcomes_evidence["outcomes"].as_array().expect("outcomes");
        assert!(outcomes.iter().all(|o| o["decision"] == "denied"));
        assert!(
            outcomes
                .iter()
                .all(|o| o["by"][0]["sid"] == "OnlyOwnLayers")
        );
        insta::assert_json_snapshot!("account_layer_guardrail_missing_clean", findings);
    }

    #[test]
    fn incomplete_case_is_not_evaluated() {
        let findings = healthy()
            .gap("organizations", "DescribePolicy", G)
            .run(SLUG);
        assert_eq!(short(&findings), [(NotEvaluated, G, "root")]);
        assert_eq!(
            findings[0].evidence.to_map()["gap"]["operation"],
            "DescribePolicy"
        );
        insta::assert_json_snapshot!("account_layer_guardrail_missing_incomplete", findings);
    }
}

//! Organizations, once per account: the organization, the account's path to the root, and the SCPs
//! attached at each level with their documents.

use super::{drain, gap};
use crate::aws::ApiFailure;
use crate::snapshot::{GLOBAL_REGION, Gap, OrgMembership, Organizations, Scp, ScpLevel};
use aws_sdk_organizations::Client;
use aws_sdk_organizations::types::{ParentType, PolicySummary, PolicyType};
use std::collections::BTreeMap;

/// The deepest path walked (root, five OU levels, account): AWS allows OU nesting five levels deep.
const MAX_DEPTH: usize = 8;

/// What Organizations shows this account. Not being in an organization is an answer (no SCP applies);
/// a denied or failed call is a gap and `None`.
pub async fn organizations_of_account(
    client: &Client,
    account_id: &str,
) -> (Option<Organizations>, Vec<Gap>) {
    let fail = |op: &str, f: &ApiFailure| {
        (
            None,
            vec![gap(account_id, GLOBAL_REGION, "organizations", op, None, f)],
        )
    };
    let org = match client.describe_organization().send().await {
        Ok(out) => out,
        Err(err) => {
            let f = ApiFailure::from_sdk(&err);
            if f.code == "AWSOrganizationsNotInUseException" {
                return (Some(Organizations::NotInOrganization), Vec::new());
            }
            return fail("DescribeOrganization", &f);
        }
    };
    let Some(org) = org.organization() else {
        let f = ApiFailure {
            code: "EmptyResponse".into(),
            message: "DescribeOrganization returned no organization".into(),
            class: crate::aws::ErrorClass::Other,
        };
        return fail("DescribeOrganization", &f);
    };
    let (roots, failure) = drain(client.list_roots().into_paginator().send()).await;
    if let Some(f) = failure {
        return fail("ListRoots", &f);
    }
    let scps_enabled = roots.iter().flat_map(|p| p.roots()).any(|r| {
        r.policy_types().iter().any(|t| {
            t.r#type() == Some(&PolicyType::ServiceControlPolicy)
                && t.status().map(|s| s.as_str()) == Some("ENABLED")
        })
    });

    // Walk up from the account to the root.
    let mut path = vec![(account_id.to_string(), "ACCOUNT".to_string())];
    let mut child = account_id.to_string();
    for _ in 0..MAX_DEPTH {
        let (pages, failure) = drain(
            client
                .list_parents()
                .child_id(&child)
                .into_paginator()
                .send(),
        )
        .await;
        if let Some(f) = failure {
            return fail("ListParents", &f);
        }
        let Some(parent) = pages.iter().flat_map(|p| p.parents()).next() else {
            break;
        };
        let id = parent.id().unwrap_or_default().to_string();
        let is_root = parent.r#type() == Some(&ParentType::Root);
        path.push((
            id.clone(),
            if is_root {
                "ROOT"
            } else {
                "ORGANIZATIONAL_UNIT"
            }
            .to_string(),
        ));
        if is_root {
            break;
        }
        child = id;
    }
    path.reverse();

    let mut documents: BTreeMap<String, Scp> = BTreeMap::new();
    let mut scp_levels = Vec::new();
    for (target_id, target_type) in path {
        let (pages, failure) = drain(
            client
                .list_policies_for_target()
                .target_id(&target_id)
                .filter(PolicyType::ServiceControlPolicy)
                .into_paginator()
                .send(),
        )
        .await;
        if let Some(f) = failure {
            return fail("ListPoliciesForTarget", &f);
        }
        let mut policies = Vec::new();
        for summary in pages.iter().flat_map(|p| p.policies()) {
            let id = summary.id().unwrap_or_default().to_string();
            if !documents.contains_key(&id) {
                let content = match client.describe_policy().policy_id(&id).send().await {
                    Ok(out) => out
                        .policy()
                        .and_then(|p| p.content())
                        .unwrap_or_default()
                        .to_string(),
                    Err(err) => return fail("DescribePolicy", &ApiFailure::from_sdk(&err)),
                };
                documents.insert(id.clone(), scp(summary, &content));
            }
            if let Some(scp) = documents.get(&id) {
                policies.push(scp.clone());
            }
        }
        scp_levels.push(ScpLevel {
            target_id,
            target_type,
            policies,
        });
    }
    (
        Some(Organizations::Member(OrgMembership {
            organization_id: org.id().unwrap_or_default().to_string(),
            management_account_id: org.master_account_id().unwrap_or_default().to_string(),
            scps_enabled,
            scp_levels,
        })),
        Vec::new(),
    )
}

/// An SCP as the snapshot keeps it: its summary and its document (decoded as the collector decodes
/// every policy document).
pub(super) fn scp(summary: &PolicySummary, content: &str) -> Scp {
    Scp {
        id: summary.id().unwrap_or_default().to_string(),
        arn: summary.arn().unwrap_or_default().to_string(),
        name: summary.name().unwrap_or_default().to_string(),
        aws_managed: summary.aws_managed(),
        document: super::lambda::document(content),
    }
}

//! IAM, once per account: GetAccountAuthorizationDetails (users, groups, roles, managed policies),
//! documents decoded. No per-role calls.

use super::gap;
use crate::aws::ApiFailure;
use crate::snapshot::{GLOBAL_REGION, Gap, Group, Iam, InlinePolicy, ManagedPolicy, Role, User};
use aws_sdk_iam::Client;
use aws_sdk_iam::types::{AttachedPolicy, ManagedPolicyDetail, PolicyDetail};
use percent_encoding::percent_decode_str;
use serde_json::Value;
use std::collections::BTreeSet;

/// Decodes a policy document as IAM returns it. AWS URL-encodes documents (RFC 3986); some emulators
/// return raw JSON. Raw JSON is tried first: an encoded document starts with `%7B` and is never JSON,
/// so a `%` inside a raw document's values is never decoded by mistake. Text that is JSON in neither
/// form is kept as a JSON string, for the policy engine to report against the policy.
pub fn decode_document(text: &str) -> Value {
    if let Ok(v) = serde_json::from_str::<Value>(text) {
        return v;
    }
    let decoded = percent_decode_str(text).decode_utf8_lossy();
    serde_json::from_str(&decoded).unwrap_or_else(|_| Value::String(decoded.into_owned()))
}

fn inline(list: &[PolicyDetail]) -> Vec<InlinePolicy> {
    list.iter()
        .map(|p| InlinePolicy {
            name: p.policy_name().unwrap_or_default().to_string(),
            document: decode_document(p.policy_document().unwrap_or_default()),
        })
        .collect()
}

fn attached(list: &[AttachedPolicy]) -> Vec<String> {
    list.iter()
        .filter_map(|p| p.policy_arn().map(str::to_string))
        .collect()
}

fn managed(p: &ManagedPolicyDetail) -> ManagedPolicy {
    let arn = p.arn().unwrap_or_default().to_string();
    let default_version_id = p.default_version_id().unwrap_or_default().to_string();
    let version = p
        .policy_version_list()
        .iter()
        .find(|v| v.is_default_version())
        .or_else(|| {
            p.policy_version_list()
                .iter()
                .find(|v| v.version_id() == Some(default_version_id.as_str()))
        });
    ManagedPolicy {
        // Some sources leave the name out of AWS managed policies; the ARN's last segment is the name.
        name: p
            .policy_name()
            .filter(|n| !n.is_empty())
            .map(str::to_string)
            .unwrap_or_else(|| arn.rsplit('/').next().unwrap_or_default().to_string()),
        arn,
        default_version_id,
        document: version
            .and_then(|v| v.document())
            .map_or(Value::Null, decode_document),
    }
}

/// The account's IAM, or `None` with a gap when the download failed (a partial download is not used:
/// a principal with half its policies would be judged wrongly).
pub async fn iam_of_account(client: &Client, account_id: &str) -> (Option<Iam>, Vec<Gap>) {
    let mut iam = Iam::default();
    let mut all_managed = Vec::new();
    let mut pages = client
        .get_account_authorization_details()
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = match page {
            Ok(p) => p,
            Err(err) => {
                let failure = ApiFailure::from_sdk(&err);
                let g = gap(
                    account_id,
                    GLOBAL_REGION,
                    "iam",
                    "GetAccountAuthorizationDetails",
                    None,
                    &failure,
                );
                return (None, vec![g]);
            }
        };
        for u in page.user_detail_list() {
            iam.users.push(User {
                arn: u.arn().unwrap_or_default().to_string(),
                name: u.user_name().unwrap_or_default().to_string(),
                path: u.path().unwrap_or_default().to_string(),
                groups: u.group_list().to_vec(),
                inline_policies: inline(u.user_policy_list()),
                attached_policies: attached(u.attached_managed_policies()),
                permissions_boundary: u
                    .permissions_boundary()
                    .and_then(|b| b.permissions_boundary_arn())
                    .map(str::to_string),
            });
        }
        for g in page.group_detail_list() {
            iam.groups.push(Group {
                arn: g.arn().unwrap_or_default().to_string(),
                name: g.group_name().unwrap_or_default().to_string(),
                inline_policies: inline(g.group_policy_list()),
                attached_policies: attached(g.attached_managed_policies()),
            });
        }
        for r in page.role_detail_list() {
            iam.roles.push(Role {
                arn: r.arn().unwrap_or_default().to_string(),
                name: r.role_name().unwrap_or_default().to_string(),
                path: r.path().unwrap_or_default().to_string(),
                trust_policy: decode_document(r.assume_role_policy_document().unwrap_or_default()),
                inline_policies: inline(r.role_policy_list()),
                attached_policies: attached(r.attached_managed_policies()),
                permissions_boundary: r
                    .permissions_boundary()
                    .and_then(|b| b.permissions_boundary_arn())
                    .map(str::to_string),
            });
        }
        all_managed.extend(page.policies().iter().map(managed));
    }
    // Keep the managed policies some entity uses (attached or as a boundary): the others affect nobody,
    // and AWS's ~1,300 managed policies would otherwise bloat every snapshot.
    let used: BTreeSet<&str> = iam
        .users
        .iter()
        .flat_map(|u| u.attached_policies.iter().chain(&u.permissions_boundary))
        .chain(iam.groups.iter().flat_map(|g| g.attached_policies.iter()))
        .chain(
            iam.roles
                .iter()
                .flat_map(|r| r.attached_policies.iter().chain(&r.permissions_boundary)),
        )
        .map(String::as_str)
        .collect();
    all_managed.retain(|p| used.contains(p.arn.as_str()));
    all_managed.dedup_by(|a, b| a.arn == b.arn);
    iam.managed_policies = all_managed;
    (Some(iam), Vec::new())
}

#[cfg(test)]
mod tests {
    use super::decode_document;
    use serde_json::{Value, json};

    #[test]
    fn decodes_encoded_raw_and_broken_documents() {
        let encoded = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D";
        assert_eq!(
            decode_document(encoded),
            json!({"Version":"2012-10-17","Statement":[]})
        );
        // Raw JSON (some emulators) is taken as it is; a '%' in a value is not decoded.
        let raw = r#"{"Statement":[{"Condition":{"StringLike":{"s3:prefix":"a%20b"}}}]}"#;
        assert_eq!(
            decode_document(raw)["Statement"][0]["Condition"]["StringLike"]["s3:prefix"],
            "a%20b"
        );
        // Not JSON either way: kept as text for the policy engine to report.
        assert_eq!(
            decode_document("%7Bnot json"),
            Value::String("{not json".into())
        );
    }
}

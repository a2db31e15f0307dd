//! The whole organization, read once from the management account or a delegated administrator: the
//! accounts (`ListAccounts`), the OU tree (`ListOrganizationalUnitsForParent`, `ListChildren`), and
//! the SCPs on every account's path (`ListPoliciesForTarget`, `DescribePolicy`, each target and
//! each policy once). From a member account Organizations refuses these reads; reading them here once
//! is what lets every member's IAM checks be decided with its SCPs.

use super::organizations::scp;
use super::{drain, gap};
use crate::aws::ApiFailure;
use crate::snapshot::{GLOBAL_REGION, Gap, OrgMembership, Organizations, Scp, ScpLevel};
use aws_sdk_organizations::Client;
use aws_sdk_organizations::types::{ChildType, PolicyType};
use futures::{StreamExt, stream};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// How many Organizations reads run at once (its request quotas are low and account-wide).
const ORGANIZATIONS_CONCURRENCY: usize = 4;

/// The deepest OU nesting AWS allows is five levels; anything deeper is a loop or a bug.
const MAX_DEPTH: usize = 8;

/// A failed read of the tree: which operation, and AWS's answer.
#[derive(Debug, Clone, thiserror::Error)]
#[error("organizations:{operation} failed: {failure}")]
pub struct TreeError {
    /// The operation.
    pub operation: &'static str,
    /// AWS's answer.
    pub failure: ApiFailure,
}

/// One account as `ListAccounts` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgAccount {
    /// The 12-digit id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// `ACTIVE`, `SUSPENDED`, `PENDING_CLOSURE`, ... (the `State` field, else the older `Status`).
    pub state: String,
}

/// The organization's accounts and OU tree.
#[derive(Debug, Clone, Default)]
pub struct OrgTree {
    /// `o-...`.
    pub organization_id: String,
    /// The management account.
    pub management_account_id: String,
    /// Whether the SCP policy type is enabled on the root.
    pub scps_enabled: bool,
    /// `r-...`.
    pub root_id: String,
    /// Every account, sorted by id.
    pub accounts: Vec<OrgAccount>,
    /// Child (account or OU id) → parent (OU or root id).
    parents: BTreeMap<String, String>,
    /// OU id → name.
    ou_names: BTreeMap<String, String>,
}

fn fail(operation: &'static str) -> impl Fn(ApiFailure) -> TreeError {
    move |failure| TreeError { operation, failure }
}

impl OrgTree {
    /// Reads the organization, its accounts and its OU tree.
    pub async fn read(client: &Client) -> Result<OrgTree, TreeError> {
        let org = client
            .describe_organization()
            .send()
            .await
            .map_err(|e| fail("DescribeOrganization")(ApiFailure::from_sdk(&e)))?;
        let (organization_id, management_account_id) = org
            .organization()
            .map(|o| {
                (
                    o.id().unwrap_or_default().to_string(),
                    o.master_account_id().unwrap_or_default().to_string(),
                )
            })
            .unwrap_or_default();
        let (roots, failure) = drain(client.list_roots().into_paginator().send()).await;
        if let Some(f) = failure {
            return Err(fail("ListRoots")(f));
        }
        let root = roots.iter().flat_map(|p| p.roots()).next();
        let root_id = root.and_then(|r| r.id()).unwrap_or_default().to_string();
        let scps_enabled = root.is_some_and(|r| {
            r.policy_types().iter().any(|t| {
                t.r#type() == Some(&PolicyType::ServiceControlPolicy)
                    && t.status().map(|s| s.as_str()) == Some("ENABLED")
            })
        });
        let (pages, failure) = drain(client.list_accounts().into_paginator().send()).await;
        if let Some(f) = failure {
            return Err(fail("ListAccounts")(f));
        }
        let mut accounts: Vec<OrgAccount> = pages
            .iter()
            .flat_map(|p| p.accounts())
            .map(|a| OrgAccount {
                id: a.id().unwrap_or_default().to_string(),
                name: a.name().unwrap_or_default().to_string(),
                state: a
                    .state()
                    .map(|s| s.as_str().to_string())
                    .or_else(|| a.status().map(|s| s.as_str().to_string()))
                    .unwrap_or_else(|| "UNKNOWN".into()),
            })
            .collect();
        accounts.sort_by(|a, b| a.id.cmp(&b.id));
        let mut tree = OrgTree {
            organization_id,
            management_account_id,
            scps_enabled,
            root_id,
            accounts,
            ..OrgTree::default()
        };
        // Walk the OU tree from the root, breadth first.
        let mut queue = VecDeque::from([(tree.root_id.clone(), 0usize)]);
        while let Some((parent, depth)) = queue.pop_front() {
            if depth > MAX_DEPTH {
                continue;
            }
            let (pages, failure) = drain(
                client
                    .list_organizational_units_for_parent()
                    .parent_id(&parent)
                    .into_paginator()
                    .send(),
            )
            .await;
            if let Some(f) = failure {
                return Err(fail("ListOrganizationalUnitsForParent")(f));
            }
            for ou in pages.iter().flat_map(|p| p.organizational_units()) {
                let id = ou.id().unwrap_or_default().to_string();
                tree.ou_names
                    .insert(id.clone(), ou.name().unwrap_or_default().to_string());
                tree.parents.insert(id.clone(), parent.clone());
                queue.push_back((id, depth + 1));
            }
            let (pages, failure) = drain(
                client
                    .list_children()
                    .parent_id(&parent)
                    .child_type(ChildType::Account)
                    .into_paginator()
                    .send(),
            )
            .await;
            if let Some(f) = failure {
                return Err(fail("ListChildren")(f));
            }
            for child in pages.iter().flat_map(|p| p.children()) {
                if let Some(id) = child.id() {
                    tree.parents.insert(id.to_string(), parent.clone());
                }
            }
        }
        Ok(tree)
    }

    /// Whether `id` is the root or an OU of the organization.
    pub fn has_parent_target(&self, id: &str) -> bool {
        id == self.root_id || self.ou_names.contains_key(id)
    }

    /// The account's path, root first: `(target id, ROOT | ORGANIZATIONAL_UNIT | ACCOUNT)`.
    fn path(&self, account_id: &str) -> Vec<(String, &'static str)> {
        let mut path = vec![(account_id.to_string(), "ACCOUNT")];
        let mut child = account_id;
        for _ in 0..MAX_DEPTH {
            let Some(parent) = self.parents.get(child) else {
                break;
            };
            let kind = if *parent == self.root_id {
                "ROOT"
            } else {
                "ORGANIZATIONAL_UNIT"
            };
            path.push((parent.clone(), kind));
            if kind == "ROOT" {
                break;
            }
            child = parent;
        }
        path.reverse();
        path
    }

    /// Whether the account sits under `target` (the root, an OU, or the account itself).
    pub fn is_under(&self, account_id: &str, target: &str) -> bool {
        self.path(account_id).iter().any(|(id, _)| id == target)
    }

    /// `/workloads/prod` (OU names from the root down), `/` for an account under the root.
    pub fn ou_path(&self, account_id: &str) -> String {
        let names: Vec<&str> = self
            .path(account_id)
            .iter()
            .filter(|(_, kind)| *kind == "ORGANIZATIONAL_UNIT")
            .filter_map(|(id, _)| self.ou_names.get(id).map(String::as_str))
            .collect();
        format!("/{}", names.join("/"))
    }

    /// Each account's view of the organization with the SCPs on its path, read once per target and
    /// once per policy. A failed read is a gap of every account whose path needed it (their IAM
    /// checks then say `scps_evaluated: false`, their SCP checks `not_evaluated`), never an error.
    pub async fn memberships(
        &self,
        client: &Client,
        accounts: &[String],
    ) -> BTreeMap<String, (Option<Organizations>, Vec<Gap>)> {
        let paths: BTreeMap<&String, Vec<(String, &'static str)>> =
            accounts.iter().map(|a| (a, self.path(a))).collect();
        let mut policies: BTreeMap<String, Result<Vec<Scp>, (&'static str, ApiFailure)>> =
            BTreeMap::new();
        if self.scps_enabled {
            let targets: BTreeSet<&String> = paths.values().flatten().map(|(id, _)| id).collect();
            let listed: Vec<(String, Result<Vec<_>, ApiFailure>)> = stream::iter(targets)
                .map(|target| async move {
                    let (pages, failure) = drain(
                        client
                            .list_policies_for_target()
                            .target_id(target)
                            .filter(PolicyType::ServiceControlPolicy)
                            .into_paginator()
                            .send(),
                    )
                    .await;
                    let summaries: Vec<_> =
                        pages.iter().flat_map(|p| p.policies()).cloned().collect();
                    (target.clone(), failure.map_or(Ok(summaries), Err))
                })
                .buffer_unordered(ORGANIZATIONS_CONCURRENCY)
                .collect()
                .await;
            let ids: BTreeMap<String, _> = listed
                .iter()
                .filter_map(|(_, r)| r.as_ref().ok())
                .flatten()
                .map(|s| (s.id().unwrap_or_default().to_string(), s.clone()))
                .collect();
            let documents: BTreeMap<String, Result<Scp, ApiFailure>> = stream::iter(ids)
                .map(|(id, summary)| async move {
                    let out = client.describe_policy().policy_id(&id).send().await;
                    let result = out
                        .map(|o| {
                            let content = o.policy().and_then(|p| p.content()).unwrap_or_default();
                            scp(&summary, content)
                        })
                        .map_err(|e| ApiFailure::from_sdk(&e));
                    (id, result)
                })
                .buffer_unordered(ORGANIZATIONS_CONCURRENCY)
                .collect()
                .await;
            for (target, listed) in listed {
                let resolved = match listed {
                    Err(f) => Err(("ListPoliciesForTarget", f)),
                    Ok(summaries) => summaries
                        .iter()
                        .map(|s| {
                            let id = s.id().unwrap_or_default();
                            match documents.get(id) {
                                Some(Ok(scp)) => Ok(scp.clone()),
                                Some(Err(f)) => Err(("DescribePolicy", f.clone())),
                                None => Err((
                                    "DescribePolicy",
                                    ApiFailure {
                                        code: "NotRead".into(),
                                        message: format!("policy {id} was not read"),
                                        class: crate::aws::ErrorClass::Other,
                                    },
                                )),
                            }
                        })
                        .collect(),
                };
                policies.insert(target, resolved);
            }
        }
        let mut out = BTreeMap::new();
        for (account, path) in paths {
            let mut levels = Vec::new();
            let mut failed = None;
            for (target, kind) in path {
                let scps = match policies.get(&target) {
                    Some(Ok(scps)) => scps.clone(),
                    Some(Err((operation, f))) => {
                        failed = Some((*operation, f.clone()));
                        break;
                    }
                    None => Vec::new(),
                };
                levels.push(ScpLevel {
                    target_id: target,
                    target_type: kind.to_string(),
                    policies: scps,
                });
            }
            let entry = match failed {
                Some((operation, f)) => (
                    None,
                    vec![gap(
                        account,
                        GLOBAL_REGION,
                        "organizations",
                        operation,
                        None,
                        &f,
                    )],
                ),
                None => (
                    Some(Organizations::Member(OrgMembership {
                        organization_id: self.organization_id.clone(),
                        management_account_id: self.management_account_id.clone(),
                        scps_enabled: self.scps_enabled,
                        scp_levels: levels,
                    })),
                    Vec::new(),
                ),
            };
            out.insert(account.clone(), entry);
        }
        out
    }
}

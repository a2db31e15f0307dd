//! Many accounts in one run: the members of the caller's organization and/or the accounts of an
//! accounts file. The organization (accounts, OU tree, SCPs) is read once, from the caller; each
//! account is read through a role assumed in it, accounts side by side (`--account-concurrency`),
//! regions side by side inside each, each account with rate limiters of its own.
//!
//! An account that cannot be entered (the role is missing, AssumeRole is denied, its regions cannot
//! be listed) is a gap of that account: the others go on, and every check says `not_evaluated` on
//! it. Suspended and closing accounts are listed as not scanned, with the reason.

use super::org_tree::{OrgTree, TreeError};
use super::{CollectError, RunOptions, gap, one_account};
use crate::aws::{ApiFailure, AssumeRole, ClientFactory};
use crate::snapshot::{
    Account, CollectedBy, GLOBAL_REGION, Gap, NotScanned, Organizations, SCHEMA_VERSION, Snapshot,
};
use crate::targets::Selection;
use futures::{StreamExt, stream};
use std::collections::BTreeMap;
use tracing::info;

/// Why an organization run could not start. Each is the user's to fix (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum FleetError {
    /// The caller could not be identified, or no region is set.
    #[error(transparent)]
    Collect(#[from] CollectError),
    /// Reading the organization failed.
    #[error(
        "--organization needs the organization's management account or a delegated administrator: {0}"
    )]
    Tree(TreeError),
    /// The caller's own account is not among the accounts Organizations listed.
    #[error(
        "--organization needs the organization's management account or a delegated administrator: \
         organizations:ListAccounts from account {caller} did not list that account (from a member \
         account AWS answers AccessDenied)"
    )]
    NotAdministrator {
        /// The caller's account.
        caller: String,
    },
    /// `--ou` names no OU (or root) of the organization.
    #[error("--ou {0}: no such OU or root in organization {1}")]
    UnknownOu(String, String),
    /// `--accounts` names an account that is not in the organization.
    #[error("--accounts {0}: not an account of organization {1}")]
    UnknownAccount(String, String),
}

/// One account to collect, and how.
#[derive(Debug, Clone)]
struct Planned {
    account_id: String,
    name: Option<String>,
    ou_path: Option<String>,
    /// `None`: read with the caller's own credentials (the caller's own account).
    role: Option<AssumeRole>,
    /// The account's own regions (accounts file), else the run's.
    regions: Option<Vec<String>>,
    /// What the organization read says for it; `None` asks the account itself.
    organizations: Option<(Option<Organizations>, Vec<Gap>)>,
}

/// Collects every account `selection` names, as `options` say, into one snapshot.
pub async fn collect(
    factory: &ClientFactory,
    selection: &Selection,
    options: &RunOptions,
) -> Result<Snapshot, FleetError> {
    let fleet = Fleet::prepare(factory, selection, options).await?;
    let accounts: Vec<Account> = fleet.accounts(factory, options).collect().await;
    let mut snapshot = fleet.header;
    snapshot.accounts = accounts;
    snapshot.normalize();
    Ok(snapshot)
}

/// A multi-account run, planned: the snapshot's header (who collected, what was not scanned, the
/// organization's accounts) and the accounts to read. [`Fleet::accounts`] then reads them one
/// by one, so a caller can check and drop each account before the next arrives.
pub struct Fleet {
    header: Snapshot,
    planned: Vec<Planned>,
    home: String,
    partition: String,
    concurrency: usize,
}

impl Fleet {
    /// Identifies the caller, reads the organization (with `--organization`) and the accounts
    /// file, and decides what to read.
    pub async fn prepare(
        factory: &ClientFactory,
        selection: &Selection,
        options: &RunOptions,
    ) -> Result<Fleet, FleetError> {
        let collected_at = crate::now_rfc3339();
        let first = match &options.regions {
            super::Regions::Listed(list) => list.first().cloned(),
            _ => None,
        };
        let home = factory
            .default_region()
            .or(first)
            .unwrap_or_else(|| "us-east-1".to_string());
        if matches!(options.regions, super::Regions::Configured)
            && factory.default_region().is_none()
        {
            return Err(CollectError::NoRegion.into());
        }
        let identity = factory
            .sts(Some(&home))
            .get_caller_identity()
            .send()
            .await
            .map_err(|e| CollectError::Identity(ApiFailure::from_sdk(&e)))?;
        let caller_account = identity.account().unwrap_or_default().to_string();
        let caller_arn = identity.arn().unwrap_or_default().to_string();
        let partition = caller_arn.split(':').nth(1).unwrap_or("aws").to_string();
        info!(caller = %caller_arn, "organization run");

        let (mut planned, not_scanned, organization_accounts) =
            plan(factory, selection, &caller_account, &partition, &home).await?;
        planned.sort_by(|a, b| a.account_id.cmp(&b.account_id));
        info!(accounts = planned.len(), "collecting accounts");
        if let (Some(shard), true) = (selection.shard, planned.is_empty()) {
            // Not an error: with more shards than accounts some get none. Its (empty) report
            // still tells `vpcwarden merge` that the shard ran.
            tracing::warn!(
                "shard {shard}: no account of this run falls in this shard; nothing to scan"
            );
        }
        let mut header = Snapshot {
            schema_version: SCHEMA_VERSION.to_string(),
            collected_at,
            collected_by: CollectedBy {
                tool: crate::TOOL_VERSION.to_string(),
                caller_arn,
            },
            accounts: Vec::new(),
            not_scanned,
            organization_accounts,
            shard: selection.shard,
        };
        header.normalize();
        Ok(Fleet {
            header,
            planned,
            home,
            partition,
            concurrency: selection.account_concurrency.max(1),
        })
    }

    /// The snapshot without its accounts.
    pub fn header(&self) -> &Snapshot {
        &self.header
    }

    /// Reads the planned accounts, `--account-concurrency` at a time, and yields each (normalized)
    /// in account-id order.
    pub fn accounts<'a>(
        &'a self,
        factory: &'a ClientFactory,
        options: &'a RunOptions,
    ) -> impl futures::Stream<Item = Account> + 'a {
        stream::iter(self.planned.iter().cloned())
            .map(move |p| collect_planned(factory, p, options, &self.home, &self.partition))
            .buffered(self.concurrency)
    }
}

/// The accounts to collect and the ones deliberately left out.
async fn plan(
    factory: &ClientFactory,
    selection: &Selection,
    caller_account: &str,
    partition: &str,
    home: &str,
) -> Result<(Vec<Planned>, Vec<NotScanned>, Vec<String>), FleetError> {
    let role_for = |account_id: &str| selection.role_for(account_id, caller_account, partition);
    let excluded = |id: &str| selection.exclude_accounts.iter().any(|x| x == id);
    let mut planned: BTreeMap<String, Planned> = BTreeMap::new();
    let mut not_scanned = Vec::new();
    let mut organization_accounts = Vec::new();
    if selection.organization {
        let client = factory.organizations(Some(home));
        let tree = OrgTree::read(&client).await.map_err(FleetError::Tree)?;
        organization_accounts = tree.accounts.iter().map(|a| a.id.clone()).collect();
        if !tree.accounts.iter().any(|a| a.id == caller_account) {
            return Err(FleetError::NotAdministrator {
                caller: caller_account.to_string(),
            });
        }
        for ou in &selection.ous {
            if !tree.has_parent_target(ou) {
                return Err(FleetError::UnknownOu(
                    ou.clone(),
                    tree.organization_id.clone(),
                ));
            }
        }
        for id in &selection.accounts {
            if !tree.accounts.iter().any(|a| &a.id == id) {
                return Err(FleetError::UnknownAccount(
                    id.clone(),
                    tree.organization_id.clone(),
                ));
            }
        }
        // A shard reads the memberships (SCPs on each account's path) of its own accounts only.
        let wanted = |id: &str| {
            selection.shard.is_none_or(|s| s.contains(id))
                && !excluded(id)
                && (selection.accounts.is_empty() || selection.accounts.iter().any(|a| a == id))
                && (selection.ous.is_empty()
                    || selection.ous.iter().any(|ou| tree.is_under(id, ou)))
        };
        let mut active = Vec::new();
        for account in tree.accounts.iter().filter(|a| wanted(&a.id)) {
            if account.state == "ACTIVE" {
                active.push(account.clone());
            } else {
                not_scanned.push(NotScanned {
                    account_id: account.id.clone(),
                    name: account.name.clone(),
                    state: account.state.clone(),
                    reason: format!(
                        "the account is {} in the organization; only ACTIVE accounts are scanned",
                        account.state
                    ),
                });
            }
        }
        let ids: Vec<String> = active.iter().map(|a| a.id.clone()).collect();
        let mut memberships = tree.memberships(&client, &ids).await;
        for account in active {
            let organizations = memberships.remove(&account.id);
            planned.insert(
                account.id.clone(),
                Planned {
                    role: role_for(&account.id),
                    ou_path: Some(tree.ou_path(&account.id)),
                    name: Some(account.name),
                    regions: None,
                    organizations,
                    account_id: account.id,
                },
            );
        }
    }
    for file in &selection.file_accounts {
        if excluded(&file.account_id) {
            continue;
        }
        let regions = (!file.regions.is_empty()).then(|| file.regions.clone());
        let role = role_for(&file.account_id);
        match planned.get_mut(&file.account_id) {
            // In the organization too: the file says how to enter it and what to call it.
            Some(p) => {
                p.role = role;
                p.regions = regions.or(p.regions.take());
                if file.name.is_some() {
                    p.name = file.name.clone();
                }
            }
            None => {
                planned.insert(
                    file.account_id.clone(),
                    Planned {
                        account_id: file.account_id.clone(),
                        name: file.name.clone(),
                        ou_path: None,
                        role,
                        regions,
                        organizations: None,
                    },
                );
            }
        }
    }
    if let Some(shard) = selection.shard {
        // Every shard discovered the same accounts; each keeps its own. What the organization
        // lists stays whole: membership is a fact about the organization, not about a shard.
        planned.retain(|id, _| shard.contains(id));
        not_scanned.retain(|n| shard.contains(&n.account_id));
        info!(%shard, accounts = planned.len(), "shard of the accounts");
    }
    Ok((
        planned.into_values().collect(),
        not_scanned,
        organization_accounts,
    ))
}

/// Collects one planned account; a failure to enter it becomes the account's gap.
async fn collect_planned(
    factory: &ClientFactory,
    planned: Planned,
    options: &RunOptions,
    home: &str,
    partition: &str,
) -> Account {
    let mut options = options.clone();
    if let Some(regions) = &planned.regions {
        options.regions = super::Regions::Listed(regions.clone());
    }
    let started = std::time::Instant::now();
    info!(event = "account_started", account = %planned.account_id, name = planned.name.as_deref().unwrap_or(""), "account started");
    let entered = match &planned.role {
        None => Ok(factory.clone()),
        Some(role) => match factory.check_assume_role(role, home).await {
            Ok(()) => Ok(factory.assuming(&planned.account_id, role, home).await),
            Err(f) => Err(("sts", "AssumeRole", Some(role.role_arn.clone()), f)),
        },
    };
    let result = match entered {
        Ok(member) => one_account(&member, &options, planned.organizations.clone())
            .await
            .map_err(|e| match e {
                CollectError::Identity(f) => ("sts", "GetCallerIdentity", None, f),
                CollectError::Regions(f) => ("ec2", "DescribeRegions", None, f),
                CollectError::NoRegion => (
                    "ec2",
                    "DescribeRegions",
                    None,
                    ApiFailure {
                        code: "NoRegion".into(),
                        message: CollectError::NoRegion.to_string(),
                        class: crate::aws::ErrorClass::Other,
                    },
                ),
            }),
        Err(e) => Err(e),
    };
    let mut account = match result {
        Ok(account) => account,
        Err((service, operation, resource, failure)) => {
            info!(account = %planned.account_id, %operation, code = %failure.code, "account not entered");
            Account {
                account_id: planned.account_id.clone(),
                partition: partition.to_string(),
                caller_arn: String::new(),
                regions: Vec::new(),
                iam: None,
                organizations: planned.organizations.and_then(|(o, _)| o),
                gaps: vec![gap(
                    &planned.account_id,
                    GLOBAL_REGION,
                    service,
                    operation,
                    resource.as_deref(),
                    &failure,
                )],
                name: None,
                ou_path: None,
            }
        }
    };
    account.name = planned.name;
    account.ou_path = planned.ou_path;
    account.normalize();
    for g in &account.gaps {
        info!(event = "gap", account = %g.account_id, region = %g.region, service = %g.service, operation = %g.operation, resource = g.resource.as_deref().unwrap_or(""), code = %g.error_code, "gap");
    }
    info!(
        event = "account_finished",
        account = %account.account_id,
        regions = account.regions.len(),
        functions = account.regions.iter().map(|r| r.lambda.functions.len()).sum::<usize>(),
        gaps = account.gaps.len(),
        seconds = started.elapsed().as_secs_f64(),
        "account finished"
    );
    account
}

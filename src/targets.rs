//! Which accounts a run scans: the caller's own account, the members of its AWS Organization
//! (`--organization`, narrowed by `--ou`, `--accounts`, `--exclude-accounts`), the accounts of an
//! accounts file (`--accounts-file`, the shape c7n-org users know), or both.
//!
//! This module only reads and validates what the user named; discovering an organization's members
//! is the collector's job (`collect::fleet`), and it applies [`Selection`] to what it finds.

use crate::aws::AssumeRole;
use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The role vpcwarden assumes in each member account unless told otherwise.
pub const DEFAULT_ROLE_NAME: &str = "vpcwarden-audit";

/// The session name of the assumed roles (CloudTrail shows it) unless told otherwise.
pub const DEFAULT_SESSION_NAME: &str = "vpcwarden";

/// What a run was asked to scan.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Selection {
    /// Discover the members of the caller's organization.
    pub organization: bool,
    /// Only accounts under these OUs (whole subtrees).
    pub ous: Vec<String>,
    /// Only these accounts (of the organization).
    pub accounts: Vec<String>,
    /// Never these accounts.
    pub exclude_accounts: Vec<String>,
    /// Accounts named in an accounts file, with their own role and regions.
    pub file_accounts: Vec<FileAccount>,
    /// The role to assume in each account: a name (`vpcwarden-audit`), made into
    /// `arn:PARTITION:iam::ACCOUNT:role/NAME`.
    pub role_name: String,
    /// `sts:ExternalId` for the assumed roles.
    pub external_id: Option<String>,
    /// The role session name.
    pub session_name: String,
    /// How many accounts are collected at once.
    pub account_concurrency: usize,
    /// `--shard INDEX/COUNT`: only the accounts of this shard.
    pub shard: Option<Shard>,
}

/// One shard of an organization scan split over machines: INDEX of COUNT (0-based). Each account
/// lands in one shard by a function of its id alone ([`Shard::of`]), so every shard of the same
/// COUNT agrees without talking to the others, whatever order the organization lists its members.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, Deserialize,
)]
pub struct Shard {
    /// This shard, `0..count`.
    pub index: u32,
    /// How many shards the run is split into.
    pub count: u32,
}

/// The environment variables array-job engines set to a task's index: AWS Batch array jobs, then
/// Kubernetes Indexed Jobs.
pub const SHARD_INDEX_VARIABLES: [&str; 2] = ["AWS_BATCH_JOB_ARRAY_INDEX", "JOB_COMPLETION_INDEX"];

impl Shard {
    /// The shard of `account_id` among `count`: the first 8 bytes of SHA-256 of the id, as a
    /// big-endian number, modulo `count`. Hashing spreads accounts evenly whatever their ids look
    /// like (sequential, or sharing a prefix).
    pub fn of(account_id: &str, count: u32) -> u32 {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(account_id.as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        u32::try_from(u64::from_be_bytes(first) % u64::from(count.max(1))).unwrap_or(0)
    }

    /// Whether `account_id` belongs to this shard.
    pub fn contains(&self, account_id: &str) -> bool {
        Shard::of(account_id, self.count) == self.index
    }

    /// Reads `INDEX/COUNT`.
    pub fn parse(text: &str) -> Result<Shard, String> {
        let (index, count) = text
            .split_once('/')
            .ok_or_else(|| format!("{text:?} is not INDEX/COUNT (e.g. 0/4)"))?;
        let number = |s: &str, what: &str| {
            s.trim()
                .parse::<u32>()
                .map_err(|_| format!("{text:?}: {what} {s:?} is not a whole number"))
        };
        Shard::new(number(index, "INDEX")?, number(count, "COUNT")?)
    }

    /// INDEX of COUNT, checked: COUNT at least 1, INDEX below it.
    pub fn new(index: u32, count: u32) -> Result<Shard, String> {
        if count == 0 {
            return Err("the shard COUNT must be at least 1".into());
        }
        if index >= count {
            return Err(format!(
                "shard INDEX {index} is out of range for COUNT {count} (indexes are 0 to {})",
                count - 1
            ));
        }
        Ok(Shard { index, count })
    }

    /// `--shard-count COUNT` with INDEX from the engine's environment (`lookup` reads a variable).
    pub fn from_environment(
        count: u32,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Shard, String> {
        let (name, value) = SHARD_INDEX_VARIABLES
            .iter()
            .find_map(|n| lookup(n).filter(|v| !v.trim().is_empty()).map(|v| (*n, v)))
            .ok_or_else(|| {
                format!(
                    "--shard-count {count} needs the shard's INDEX: give --shard INDEX/{count}, or run where {} is set",
                    SHARD_INDEX_VARIABLES.join(" or ")
                )
            })?;
        let index = value
            .trim()
            .parse::<u32>()
            .map_err(|_| format!("{name}={value:?} is not a shard index"))?;
        Shard::new(index, count)
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Selection {
    /// Whether the run covers more than the caller's own account.
    pub fn is_multi_account(&self) -> bool {
        self.organization || !self.file_accounts.is_empty()
    }

    /// How to enter `account_id`: the accounts file's role and external id for it, else
    /// `--role-name` and `--external-id`. `None` for the caller's own account when the file names
    /// no role for it: it is read with the caller's own credentials.
    pub fn role_for(
        &self,
        account_id: &str,
        caller_account: &str,
        partition: &str,
    ) -> Option<AssumeRole> {
        let file = self
            .file_accounts
            .iter()
            .find(|f| f.account_id == account_id);
        let role = file.and_then(|f| f.role.as_deref());
        if account_id == caller_account && role.is_none() {
            return None;
        }
        Some(AssumeRole {
            role_arn: role_arn(partition, account_id, role.unwrap_or(&self.role_name)),
            session_name: self.session_name.clone(),
            external_id: file
                .and_then(|f| f.external_id.clone())
                .or_else(|| self.external_id.clone()),
        })
    }
}

/// One account of an accounts file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileAccount {
    /// The 12-digit account id.
    pub account_id: String,
    /// A name for reports.
    #[serde(default)]
    pub name: Option<String>,
    /// The role to assume: an ARN or a role name (default: `--role-name`).
    #[serde(default)]
    pub role: Option<String>,
    /// `sts:ExternalId` for this account (default: `--external-id`).
    #[serde(default)]
    pub external_id: Option<String>,
    /// The regions to scan in this account (default: the run's regions).
    #[serde(default)]
    pub regions: Vec<String>,
    /// Free-form tags (`"env:prod"`), kept for the user's own filtering.
    #[serde(default)]
    pub tags: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AccountsFile {
    accounts: Vec<FileAccount>,
}

/// An accounts file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum TargetsError {
    /// The file cannot be read.
    #[error("cannot read accounts file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid TOML of the documented shape (unknown keys included).
    #[error("accounts file {path}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// The TOML error, with line and column.
        message: String,
    },
    /// An account entry is wrong.
    #[error("accounts file {path}: accounts[{index}] ({account_id}): {problem}")]
    Account {
        /// The file.
        path: PathBuf,
        /// The entry's position.
        index: usize,
        /// The entry's account id as written.
        account_id: String,
        /// What is wrong.
        problem: String,
    },
    /// `--shard` or `--shard-count` cannot be used as given.
    #[error("{0}")]
    Shard(String),
    /// A command-line account id is not 12 digits.
    #[error("{flag}: {value:?} is not a 12-digit account id")]
    BadAccountId {
        /// The flag.
        flag: &'static str,
        /// The value.
        value: String,
    },
}

/// Whether `id` is a 12-digit account id.
pub fn is_account_id(id: &str) -> bool {
    id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit())
}

/// Checks the account ids of a command-line flag.
pub fn check_account_ids(flag: &'static str, ids: &[String]) -> Result<(), TargetsError> {
    match ids.iter().find(|id| !is_account_id(id)) {
        Some(bad) => Err(TargetsError::BadAccountId {
            flag,
            value: bad.clone(),
        }),
        None => Ok(()),
    }
}

/// Reads and validates an accounts file: TOML, `[[accounts]]` entries with `account_id` (12
/// digits, each once), optional `name`, `role` (a role name or an IAM role ARN of that account),
/// `external_id`, `regions` and `tags`. Unknown keys are refused.
pub fn load_accounts_file(path: &Path) -> Result<Vec<FileAccount>, TargetsError> {
    let text = std::fs::read_to_string(path).map_err(|source| TargetsError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse_accounts_file(path, &text)
}

/// [`load_accounts_file`] on text already read; `path` names the source in errors.
pub fn parse_accounts_file(path: &Path, text: &str) -> Result<Vec<FileAccount>, TargetsError> {
    let file: AccountsFile = toml::from_str(text).map_err(|e| TargetsError::Parse {
        path: path.to_path_buf(),
        message: e.to_string().trim_end().to_string(),
    })?;
    let mut seen = BTreeSet::new();
    for (index, account) in file.accounts.iter().enumerate() {
        let fail = |problem: String| TargetsError::Account {
            path: path.to_path_buf(),
            index,
            account_id: account.account_id.clone(),
            problem,
        };
        if !is_account_id(&account.account_id) {
            return Err(fail("account_id must be 12 digits".into()));
        }
        if !seen.insert(account.account_id.as_str()) {
            return Err(fail("the account is listed twice".into()));
        }
        if let Some(role) = &account.role
            && role.starts_with("arn:")
            && role_arn_account(role) != Some(account.account_id.as_str())
        {
            return Err(fail(format!(
                "role {role} is not an IAM role ARN of account {}",
                account.account_id
            )));
        }
    }
    Ok(file.accounts)
}

/// The account of an IAM role ARN (`arn:aws:iam::111122223333:role/NAME`).
fn role_arn_account(arn: &str) -> Option<&str> {
    let mut parts = arn.splitn(6, ':');
    match (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) {
        (Some("arn"), Some(_), Some("iam"), Some(""), Some(account), Some(rest))
            if rest.starts_with("role/") =>
        {
            Some(account)
        }
        _ => None,
    }
}

/// The role ARN to assume in `account_id`: `role` as given when it is an ARN, else the role name
/// in the account, in the caller's partition.
pub fn role_arn(partition: &str, account_id: &str, role: &str) -> String {
    if role.starts_with("arn:") {
        role.to_string()
    } else {
        format!("arn:{partition}:iam::{account_id}:role/{role}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<FileAccount>, TargetsError> {
        parse_accounts_file(Path::new("accounts.toml"), text)
    }

    #[test]
    fn an_accounts_shard_depends_on_its_id_alone_and_spreads_evenly() {
        // Pinned: a change would move accounts between shards of running deployments.
        assert_eq!(Shard::of("123456789012", 4), Shard::of("123456789012", 4));
        let ids: Vec<String> = (0..1200u64)
            .map(|i| format!("{:012}", 210_000_000_000 + i))
            .collect();
        let mut per = [0usize; 4];
        for id in &ids {
            per[Shard::of(id, 4) as usize] += 1;
        }
        assert!(
            per.iter().all(|n| (240..=360).contains(n)),
            "sequential ids spread: {per:?}"
        );
        // Every account lands in exactly one shard.
        for id in ids.iter().take(50) {
            let owners = (0..4)
                .filter(|i| {
                    Shard {
                        index: *i,
                        count: 4,
                    }
                    .contains(id)
                })
                .count();
            assert_eq!(owners, 1);
        }
        assert!(Shard { index: 0, count: 1 }.contains("123456789012"));
    }

    #[test]
    fn shard_flags_parse_and_the_index_comes_from_the_engine() {
        assert_eq!(Shard::parse("1/4"), Ok(Shard { index: 1, count: 4 }));
        assert!(
            Shard::parse("4/4")
                .expect_err("out of range")
                .contains("out of range")
        );
        assert!(Shard::parse("0/0").is_err());
        assert!(Shard::parse("1").is_err());
        assert!(Shard::parse("a/4").is_err());
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(
            Shard::from_environment(4, env(&[("JOB_COMPLETION_INDEX", "3")])),
            Ok(Shard { index: 3, count: 4 })
        );
        assert_eq!(
            Shard::from_environment(
                4,
                env(&[
                    ("AWS_BATCH_JOB_ARRAY_INDEX", "2"),
                    ("JOB_COMPLETION_INDEX", "1")
                ])
            ),
            Ok(Shard { index: 2, count: 4 }),
            "AWS Batch's variable first"
        );
        assert!(Shard::from_environment(4, env(&[])).is_err());
        assert!(Shard::from_environment(4, env(&[("JOB_COMPLETION_INDEX", "x")])).is_err());
        assert_eq!(Shard { index: 2, count: 5 }.to_string(), "2/5");
    }

    #[test]
    fn a_c7n_org_shaped_file_reads() {
        let accounts = parse(
            r#"
[[accounts]]
account_id = "111122223333"
name = "prod"
role = "arn:aws:iam::111122223333:role/Auditor"
external_id = "x-1"
regions = ["us-east-1", "eu-west-1"]
tags = ["env:prod"]

[[accounts]]
account_id = "444455556666"
"#,
        )
        .expect("valid");
        assert_eq!(accounts.len(), 2);
        assert_eq!(accounts[0].regions, ["us-east-1", "eu-west-1"]);
        assert_eq!(accounts[1].role, None);
    }

    #[test]
    fn unknown_keys_duplicates_and_foreign_roles_are_refused_with_the_place() {
        let e = parse("[[accounts]]\naccount_id = \"111122223333\"\nrole_name = \"x\"\n")
            .expect_err("unknown key");
        let text = e.to_string();
        assert!(
            text.contains("accounts.toml") && text.contains("role_name") && text.contains("line 3"),
            "{text}"
        );
        let e = parse("[[accounts]]\naccount_id = \"111122223333\"\n[[accounts]]\naccount_id = \"111122223333\"\n")
            .expect_err("duplicate");
        assert_eq!(
            e.to_string(),
            "accounts file accounts.toml: accounts[1] (111122223333): the account is listed twice"
        );
        let e = parse("[[accounts]]\naccount_id = \"11112222333\"\n").expect_err("11 digits");
        assert!(e.to_string().contains("must be 12 digits"), "{e}");
        let e = parse(
            "[[accounts]]\naccount_id = \"111122223333\"\nrole = \"arn:aws:iam::999999999999:role/x\"\n",
        )
        .expect_err("another account's role");
        assert!(
            e.to_string()
                .contains("not an IAM role ARN of account 111122223333"),
            "{e}"
        );
    }

    #[test]
    fn role_names_become_arns_in_the_callers_partition() {
        assert_eq!(
            role_arn("aws-cn", "111122223333", "vpcwarden-audit"),
            "arn:aws-cn:iam::111122223333:role/vpcwarden-audit"
        );
        assert_eq!(
            role_arn("aws", "111122223333", "arn:aws:iam::111122223333:role/x"),
            "arn:aws:iam::111122223333:role/x"
        );
    }
}

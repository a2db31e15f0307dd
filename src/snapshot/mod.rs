//! The snapshot: a serde model of everything collected from AWS, with no SDK types in it.
//!
//! Checks read only this. A snapshot is sorted and deterministic, carries a `schema_version`, and lists
//! every collection gap, so a saved snapshot can be re-audited offline with the same results.
//!
//! The model mirrors the collectors: `lambda`, `ec2`, `iam` and `organizations` each hold the types
//! their collector fills, `region` the per-region data, and this module the account, the gaps and the
//! loading code. Every type that keeps a sorted list has its own `normalize()`; [`Snapshot::normalize`]
//! calls down the tree. All types are re-exported here, so `crate::snapshot::X` is their one path.

mod ec2;
mod iam;
mod lambda;
mod organizations;
mod region;

pub use ec2::*;
pub use iam::*;
pub use lambda::*;
pub use organizations::*;
pub use region::*;

use serde::{Deserialize, Serialize};
use std::path::Path;

/// The schema version this build writes. The major part must match for a snapshot to be read.
pub const SCHEMA_VERSION: &str = "1.0";

/// Everything one run collected: one or more accounts, each with its regions and gaps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// `MAJOR.MINOR`; a reader refuses another major version.
    pub schema_version: String,
    /// When collection started (RFC 3339, UTC).
    pub collected_at: String,
    /// The tool and the identity that collected it.
    pub collected_by: CollectedBy,
    /// The accounts collected, sorted by id.
    pub accounts: Vec<Account>,
}

/// Who collected a snapshot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CollectedBy {
    /// `vpcwarden X.Y.Z`.
    pub tool: String,
    /// The caller identity ARN (STS GetCallerIdentity) used for the first account.
    pub caller_arn: String,
}

/// One AWS account as collected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    /// The 12-digit account id.
    pub account_id: String,
    /// `aws`, `aws-cn`, `aws-us-gov`, ...
    pub partition: String,
    /// The identity the account was read with.
    pub caller_arn: String,
    /// The regions that were asked for, sorted; each has its data (possibly partial, see `gaps`).
    pub regions: Vec<RegionData>,
    /// IAM, collected once per account; `None` when the download failed (there is a gap).
    pub iam: Option<Iam>,
    /// What Organizations shows this account; `None` when it could not be read (there is a gap).
    pub organizations: Option<Organizations>,
    /// Every API call that failed, with what failed and why.
    #[serde(default)]
    pub gaps: Vec<Gap>,
}

/// A failed API call: data the checks know is missing.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Gap {
    /// The account the call was for.
    pub account_id: String,
    /// The region, or `global` for IAM and Organizations.
    pub region: String,
    /// `lambda`, `iam`, `ec2`, `organizations`, `sts`.
    pub service: String,
    /// The API operation, e.g. `GetPolicy`.
    pub operation: String,
    /// The resource the call was about (a function ARN), when the call was per resource.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// AWS's error code (`AccessDeniedException`, `ThrottlingException`, ...) or a transport class.
    pub error_code: String,
    /// The error message as AWS gave it.
    pub message: String,
}

/// The region name used for global services (IAM, Organizations) in gaps and findings.
pub const GLOBAL_REGION: &str = "global";

/// The answer to a per-resource read: a value, a normal "there is none", or a failed call.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(tag = "status", content = "value", rename_all = "snake_case")]
pub enum Collected<T> {
    /// The resource has one, and here it is.
    Present(T),
    /// AWS answered that there is none.
    Absent,
    /// The call failed or was not made; the account's gaps say why.
    #[default]
    NotCollected,
}

impl<T> Collected<T> {
    /// The value, when present.
    pub fn present(&self) -> Option<&T> {
        match self {
            Collected::Present(v) => Some(v),
            _ => None,
        }
    }
}

impl Account {
    /// Sorts regions by name and gaps (dropping repeats), then each region, IAM and Organizations.
    fn normalize(&mut self) {
        self.regions.sort_by(|a, b| a.region.cmp(&b.region));
        self.gaps.sort();
        self.gaps.dedup();
        for region in &mut self.regions {
            region.normalize();
        }
        if let Some(iam) = &mut self.iam {
            iam.normalize();
        }
        if let Some(organizations) = &mut self.organizations {
            organizations.normalize();
        }
    }

    /// The first gap for an operation in a region (`GLOBAL_REGION` for IAM/Organizations), ignoring
    /// per-resource gaps.
    pub fn gap(&self, region: &str, service: &str, operation: &str) -> Option<&Gap> {
        self.gaps.iter().find(|g| {
            g.region == region
                && g.service == service
                && g.operation == operation
                && g.resource.is_none()
        })
    }

    /// The gaps recorded for one resource (per-resource calls such as GetPolicy).
    pub fn gaps_for_resource<'a>(&'a self, arn: &'a str) -> impl Iterator<Item = &'a Gap> + 'a {
        self.gaps
            .iter()
            .filter(move |g| g.resource.as_deref() == Some(arn))
    }

    /// The role with this ARN, when IAM was collected and has it.
    pub fn role(&self, arn: &str) -> Option<&Role> {
        let iam = self.iam.as_ref()?;
        iam.roles
            .binary_search_by(|r| r.arn.as_str().cmp(arn))
            .ok()
            .map(|i| &iam.roles[i])
    }
}

/// Why a snapshot could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    /// The file could not be read.
    #[error("cannot read snapshot {path}: {error}")]
    Io {
        /// The file.
        path: String,
        /// The I/O error.
        error: std::io::Error,
    },
    /// The file is not JSON, or a field has the wrong shape.
    #[error("snapshot {path} is not a valid vpcwarden snapshot: at field `{field}`: {error}")]
    Parse {
        /// The file.
        path: String,
        /// The path of the offending field, e.g. `accounts[0].regions[1].lambda.functions[3].arn`.
        field: String,
        /// What is wrong (with line and column).
        error: serde_json::Error,
    },
    /// The field `schema_version` is missing or of a major version this build does not read.
    #[error(
        "snapshot {path} has schema_version {found:?}; this vpcwarden ({tool}) reads schema {supported}.x only: collect it again with this version"
    )]
    SchemaVersion {
        /// The file.
        path: String,
        /// What the file says (empty when the field is missing).
        found: String,
        /// The major version this build reads.
        supported: String,
        /// This tool's version.
        tool: String,
    },
}

/// Decodes JSON, naming the path of the field that does not fit.
fn decode<T: serde::de::DeserializeOwned>(path: &str, text: &str) -> Result<T, SnapshotError> {
    let de = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| SnapshotError::Parse {
        path: path.to_string(),
        field: e.path().to_string(),
        error: e.into_inner(),
    })
}

/// The major part of a `MAJOR.MINOR` schema version.
fn major(version: &str) -> &str {
    version.split('.').next().unwrap_or(version)
}

impl Snapshot {
    /// Sorts every list so that the same account always serialises to the same bytes.
    pub fn normalize(&mut self) {
        self.accounts
            .sort_by(|a, b| a.account_id.cmp(&b.account_id));
        for account in &mut self.accounts {
            account.normalize();
        }
    }

    /// Reads a snapshot from JSON text; `path` only names the source in errors.
    ///
    /// The schema version is checked before the body is decoded, so a snapshot of another major
    /// version is refused with a message that says so rather than with a confusing field error.
    pub fn from_json(path: &str, text: &str) -> Result<Snapshot, SnapshotError> {
        #[derive(serde::Deserialize)]
        struct Header {
            schema_version: Option<serde_json::Value>,
        }
        let header: Header = decode(path, text)?;
        let found = match header.schema_version {
            Some(serde_json::Value::String(s)) => s,
            Some(other) => other.to_string(),
            None => String::new(),
        };
        if found.is_empty() || major(&found) != major(SCHEMA_VERSION) {
            return Err(SnapshotError::SchemaVersion {
                path: path.to_string(),
                found,
                supported: major(SCHEMA_VERSION).to_string(),
                tool: crate::TOOL_VERSION.to_string(),
            });
        }
        let mut snapshot: Snapshot = decode(path, text)?;
        snapshot.normalize();
        Ok(snapshot)
    }

    /// Reads a snapshot file.
    pub fn load(path: &Path) -> Result<Snapshot, SnapshotError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|error| SnapshotError::Io {
            path: name.clone(),
            error,
        })?;
        Snapshot::from_json(&name, &text)
    }

    /// Serialises the snapshot as pretty JSON (sorted first, so the output is byte-stable).
    pub fn to_json(&self) -> String {
        let mut copy = self.clone();
        copy.normalize();
        // Serialising plain data with string keys cannot fail.
        let mut text = serde_json::to_string_pretty(&copy).unwrap_or_default();
        text.push('\n');
        text
    }
}

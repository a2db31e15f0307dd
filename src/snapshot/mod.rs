//! The snapshot: a serde model of everything collected from AWS, with no SDK types in it.
//!
//! Checks read only this. A snapshot is sorted and deterministic, carries a `schema_version`, and lists
//! every collection gap, so a saved snapshot can be re-audited offline with the same results.
//!
//! The model mirrors the collectors: `lambda`, `ec2`, `iam` and `organizations` each hold the types
//! their collector fills, `region` the per-region data, and this module the account, the gaps and the
//! loading code. Every type that keeps a sorted list has its own `normalize()`; [`Snapshot::normalize`]
//! calls down the tree. All types are re-exported here, so `crate::snapshot::X` is their one path.
//!
//! # Adding a field
//!
//! Snapshots saved by an older build lack a field added later, and such a file must never read as if
//! AWS had answered "none": a check would PASS on data nobody collected. So a new field is either
//! - a [`Collected<T>`] with `#[serde(default)]`: a file without it reads as
//!   [`Collected::NotCollected`], and the checks that need it say "not evaluated"
//!   (`Lambda::versions_listed` is the same rule as a flag: absent reads as "not listed"); or
//! - a field whose absence cannot be read safely, and then [`SCHEMA_VERSION`]'s major part is raised,
//!   so an old file is refused with [`SnapshotError::SchemaVersion`], which tells the user to collect
//!   again.
//!
//! A plain `Vec`, `bool` or `Option` with `#[serde(default)]` is not enough for data a check reads:
//! its default means "empty", not "unknown".

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
    /// Accounts of the organization that were found but deliberately not scanned (suspended or
    /// closing), with why; sorted by id. Empty for a single-account run.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_scanned: Vec<NotScanned>,
    /// Every account of the organization, as an organization run listed them (scanned or not),
    /// sorted. Empty when the run did not list the organization: membership is then unknown.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub organization_accounts: Vec<String>,
    /// The shard of an organization scan split over machines (`--shard INDEX/COUNT`): the
    /// accounts are that shard's only. Absent for a whole run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<crate::targets::Shard>,
}

/// An account an organization run found and did not scan.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct NotScanned {
    /// The 12-digit account id.
    pub account_id: String,
    /// The account's name in the organization.
    pub name: String,
    /// Its state as Organizations lists it (`SUSPENDED`, `PENDING_CLOSURE`, ...).
    pub state: String,
    /// Why it was not scanned.
    pub reason: String,
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
    /// The account's name (organization runs and accounts files), for reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Where the account sits in the organization (`/workloads/prod`), for reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ou_path: Option<String>,
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
///
/// `NotCollected` is the default, so a field of this type that a file lacks (with `#[serde(default)]`)
/// reads as "not collected", never as "none": see "Adding a field" above.
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
    pub fn normalize(&mut self) {
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

    /// The gap that kept the whole account from being read (its role could not be assumed, its
    /// identity or its regions could not be read): then nothing in it was collected, and every
    /// check is `not_evaluated` on the account.
    pub fn access_gap(&self) -> Option<&Gap> {
        self.gaps.iter().find(|g| {
            matches!(
                (g.service.as_str(), g.operation.as_str()),
                ("sts", "AssumeRole") | ("sts", "GetCallerIdentity") | ("ec2", "DescribeRegions")
            )
        })
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
    decode_document(text).map_err(|(field, error)| SnapshotError::Parse {
        path: path.to_string(),
        field,
        error,
    })
}

/// Decodes one whole JSON document: the value, then nothing but whitespace. A truncated file fails
/// at its end and a concatenated one at the start of the second document, each with the line and
/// column; the error names the path of the field that does not fit (`.` for the document).
pub fn decode_document<T: serde::de::DeserializeOwned>(
    text: &str,
) -> Result<T, (String, serde_json::Error)> {
    // Tracking the path of every field costs as much as the decoding itself (measured on a
    // snapshot of 100,000 functions): a document is decoded without it, and only one that fails is
    // decoded again to name the field.
    let de = &mut serde_json::Deserializer::from_str(text);
    if let Ok(value) = T::deserialize(&mut *de) {
        de.end().map_err(|e| (".".to_string(), e))?;
        return Ok(value);
    }
    let de = &mut serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut *de)
        .map_err(|e| (e.path().to_string(), e.into_inner()))?;
    de.end().map_err(|e| (".".to_string(), e))?;
    Ok(value)
}

/// The major part of a `MAJOR.MINOR` schema version.
fn major(version: &str) -> &str {
    version.split('.').next().unwrap_or(version)
}

impl Snapshot {
    /// The same snapshot header (version, time, collector, accounts not scanned) with no accounts.
    pub fn clone_without_accounts(&self) -> Snapshot {
        Snapshot {
            schema_version: self.schema_version.clone(),
            collected_at: self.collected_at.clone(),
            collected_by: self.collected_by.clone(),
            accounts: Vec::new(),
            not_scanned: self.not_scanned.clone(),
            organization_accounts: self.organization_accounts.clone(),
            shard: self.shard,
        }
    }

    /// Sorts every list so that the same account always serialises to the same bytes.
    pub fn normalize(&mut self) {
        self.accounts
            .sort_by(|a, b| a.account_id.cmp(&b.account_id));
        self.not_scanned.sort();
        self.organization_accounts.sort();
        self.organization_accounts.dedup();
        for account in &mut self.accounts {
            account.normalize();
        }
    }

    /// Reads a snapshot from JSON text; `path` only names the source in errors.
    ///
    /// A snapshot of another major version is refused with a message that says so, also when its
    /// body does not decode, rather than with a confusing field error.
    pub fn from_json(path: &str, text: &str) -> Result<Snapshot, SnapshotError> {
        #[derive(serde::Deserialize)]
        struct Header {
            schema_version: Option<serde_json::Value>,
        }
        let refuse = |found: String| -> Result<(), SnapshotError> {
            if found.is_empty() || major(&found) != major(SCHEMA_VERSION) {
                return Err(SnapshotError::SchemaVersion {
                    path: path.to_string(),
                    found,
                    supported: major(SCHEMA_VERSION).to_string(),
                    tool: crate::TOOL_VERSION.to_string(),
                });
            }
            Ok(())
        };
        // One pass over the document when it decodes: reading its version first was a second
        // pass over every byte.
        match decode::<Snapshot>(path, text) {
            Ok(mut snapshot) => {
                refuse(snapshot.schema_version.clone())?;
                snapshot.normalize();
                Ok(snapshot)
            }
            // A document of another version is refused for its version, not for a field that
            // changed with it.
            Err(error) => {
                let header: Header = decode(path, text)?;
                refuse(match header.schema_version {
                    Some(serde_json::Value::String(s)) => s,
                    Some(other) => other.to_string(),
                    None => String::new(),
                })?;
                Err(error)
            }
        }
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

/// Writes a snapshot to `out` one account at a time, in exactly the bytes of
/// [`Snapshot::to_json`], so an organization run never holds more than the accounts in flight.
/// Accounts must come in account-id order, each normalized.
pub struct SnapshotWriter<W: std::io::Write> {
    out: W,
    tail: String,
    accounts: usize,
}

impl<W: std::io::Write> SnapshotWriter<W> {
    /// Writes everything before the first account; `header` is the snapshot without accounts.
    pub fn begin(mut out: W, header: &Snapshot) -> std::io::Result<Self> {
        let mut copy = header.clone_without_accounts();
        copy.normalize();
        let text = serde_json::to_string_pretty(&copy).unwrap_or_default();
        const EMPTY: &str = "\"accounts\": []";
        let at = text.find(EMPTY).unwrap_or(text.len());
        out.write_all(&text.as_bytes()[..at])?;
        out.write_all(b"\"accounts\": [")?;
        Ok(SnapshotWriter {
            out,
            tail: text[(at + EMPTY.len()).min(text.len())..].to_string(),
            accounts: 0,
        })
    }

    /// Writes one account.
    pub fn account(&mut self, account: &Account) -> std::io::Result<()> {
        let text = serde_json::to_string_pretty(account).unwrap_or_default();
        self.out
            .write_all(if self.accounts == 0 { b"\n" } else { b",\n" })?;
        for (i, line) in text.lines().enumerate() {
            if i > 0 {
                self.out.write_all(b"\n")?;
            }
            self.out.write_all(b"    ")?;
            self.out.write_all(line.as_bytes())?;
        }
        self.accounts += 1;
        Ok(())
    }

    /// Writes the rest and flushes.
    pub fn finish(mut self) -> std::io::Result<W> {
        if self.accounts > 0 {
            self.out.write_all(b"\n  ]")?;
        } else {
            self.out.write_all(b"]")?;
        }
        self.out.write_all(self.tail.as_bytes())?;
        self.out.write_all(b"\n")?;
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A snapshot as a build before function policies and URLs were read would have saved it: the
    /// function has neither `resource_policy` nor `url_config`.
    const OLD: &str = r#"{
      "schema_version": "1.0",
      "collected_at": "2024-01-01T00:00:00Z",
      "collected_by": {"tool": "vpcwarden 0.0.1", "caller_arn": "arn:aws:iam::111122223333:user/a"},
      "accounts": [{
        "account_id": "111122223333",
        "partition": "aws",
        "caller_arn": "arn:aws:iam::111122223333:user/a",
        "regions": [{"region": "eu-west-1", "lambda": {"functions": [{
          "arn": "arn:aws:lambda:eu-west-1:111122223333:function:orders",
          "name": "orders",
          "role": "arn:aws:iam::111122223333:role/orders"
        }]}}],
        "iam": null,
        "organizations": null
      }]
    }"#;

    /// The version is checked after one pass that decodes the whole document: a document of
    /// another major version is refused whether or not its body would decode, and a minor
    /// version of this one is read and kept.
    #[test]
    fn another_major_version_is_refused_even_when_its_body_decodes() {
        let v2 = OLD.replacen("\"1.0\"", "\"2.0\"", 1);
        match Snapshot::from_json("v2.json", &v2) {
            Err(SnapshotError::SchemaVersion { found, .. }) => assert_eq!(found, "2.0"),
            other => panic!("a 2.0 snapshot must be refused for its version: {other:?}"),
        }
        let undecodable = v2.replacen("\"account_id\": \"111122223333\"", "\"account_id\": 5", 1);
        assert!(matches!(
            Snapshot::from_json("v2.json", &undecodable),
            Err(SnapshotError::SchemaVersion { .. })
        ));
        let minor = OLD.replacen("\"1.0\"", "\"1.7\"", 1);
        let read = Snapshot::from_json("v17.json", &minor).expect("a 1.x snapshot loads");
        assert_eq!(read.schema_version, "1.7");
    }

    #[test]
    fn an_old_snapshot_without_a_collected_field_reads_as_not_collected() {
        let snapshot = Snapshot::from_json("old.json", OLD).expect("an old 1.x snapshot loads");
        let f = &snapshot.accounts[0].regions[0].lambda.functions[0];
        assert_eq!(f.resource_policy, Collected::NotCollected);
        assert_eq!(f.url_config, Collected::NotCollected);
        assert!(!snapshot.accounts[0].regions[0].lambda.versions_listed);
    }

    #[test]
    fn the_streaming_writer_writes_the_bytes_of_to_json() {
        let one = Snapshot::from_json("old.json", OLD).expect("loads");
        let mut two = one.clone();
        let mut other = two.accounts[0].clone();
        other.account_id = "999999999999".into();
        other.name = Some("other".into());
        two.accounts.push(other);
        two.not_scanned = vec![NotScanned {
            account_id: "555555555555".into(),
            name: "retired".into(),
            state: "SUSPENDED".into(),
            reason: "closed".into(),
        }];
        two.organization_accounts = vec!["111122223333".into(), "999999999999".into()];
        let mut none = one.clone();
        none.accounts.clear();
        for snapshot in [one, two, none] {
            let mut sorted = snapshot.clone();
            sorted.normalize();
            let mut w = SnapshotWriter::begin(Vec::new(), &sorted).expect("begin");
            for account in &sorted.accounts {
                w.account(account).expect("account");
            }
            let bytes = w.finish().expect("finish");
            assert_eq!(String::from_utf8(bytes).expect("utf8"), snapshot.to_json());
        }
    }

    #[test]
    fn normalize_reaches_every_level() {
        let mut snapshot = Snapshot::from_json("old.json", OLD).expect("loads");
        let mut account = snapshot.accounts[0].clone();
        account.account_id = "000000000000".into();
        account.gaps = vec![gap("b"), gap("a"), gap("b")];
        let region = &mut account.regions[0];
        let f = &mut region.lambda.functions[0];
        f.vpc_config = Some(VpcConfig {
            subnet_ids: vec!["subnet-2".into(), "subnet-1".into()],
            ..Default::default()
        });
        f.url_config = Collected::Present(FunctionUrl {
            cors_allow_origins: vec!["https://b".into(), "https://a".into()],
            ..Default::default()
        });
        region.ec2.route_tables = vec![RouteTable {
            route_table_id: "rtb-1".into(),
            routes: vec![route("10.0.0.0/16", "local"), route("0.0.0.0/0", "igw-1")],
            ..Default::default()
        }];
        account.iam = Some(Iam {
            roles: vec![role("arn:b", &["p2", "p1"]), role("arn:a", &[])],
            ..Default::default()
        });
        account.organizations = Some(Organizations::Member(OrgMembership {
            organization_id: "o-1".into(),
            management_account_id: "000000000000".into(),
            scps_enabled: true,
            scp_levels: vec![ScpLevel {
                target_id: "r-1".into(),
                target_type: "ROOT".into(),
                policies: vec![scp("p-2"), scp("p-1")],
            }],
        }));
        snapshot.accounts.push(account);
        snapshot.normalize();

        let a = &snapshot.accounts[0];
        assert_eq!(a.account_id, "000000000000");
        let ops: Vec<_> = a.gaps.iter().map(|g| g.operation.as_str()).collect();
        assert_eq!(ops, ["a", "b"]);
        let f = &a.regions[0].lambda.functions[0];
        assert_eq!(f.vpc().map(|v| v.subnet_ids[0].as_str()), Some("subnet-1"));
        assert_eq!(
            f.url_config
                .present()
                .map(|u| u.cors_allow_origins[0].as_str()),
            Some("https://a")
        );
        assert_eq!(a.regions[0].ec2.route_tables[0].routes[0].target, "igw-1");
        let iam = a.iam.as_ref().expect("iam");
        assert_eq!(iam.roles[0].arn, "arn:a");
        assert_eq!(iam.roles[1].attached_policies, ["p1", "p2"]);
        let Some(Organizations::Member(m)) = &a.organizations else {
            panic!("member")
        };
        assert_eq!(m.scp_levels[0].policies[0].id, "p-1");
    }

    fn gap(operation: &str) -> Gap {
        Gap {
            account_id: "000000000000".into(),
            region: GLOBAL_REGION.into(),
            service: "iam".into(),
            operation: operation.into(),
            resource: None,
            error_code: "AccessDenied".into(),
            message: String::new(),
        }
    }

    fn route(destination: &str, target: &str) -> Route {
        Route {
            destination: destination.into(),
            target: target.into(),
            state: None,
        }
    }

    fn role(arn: &str, attached: &[&str]) -> Role {
        Role {
            arn: arn.into(),
            attached_policies: attached.iter().map(|p| p.to_string()).collect(),
            ..Default::default()
        }
    }

    fn scp(id: &str) -> Scp {
        Scp {
            id: id.into(),
            arn: String::new(),
            name: String::new(),
            aws_managed: false,
            document: serde_json::Value::Null,
        }
    }
}

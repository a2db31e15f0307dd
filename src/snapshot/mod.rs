//! The snapshot: a serde model of everything collected from AWS, with no SDK types in it.
//!
//! Checks read only this. A snapshot is sorted and deterministic, carries a `schema_version`, and lists
//! every collection gap, so a saved snapshot can be re-audited offline with the same results.

mod model;

pub use model::*;

use std::path::Path;

/// The schema version this build writes. The major part must match for a snapshot to be read.
pub const SCHEMA_VERSION: &str = "1.0";

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

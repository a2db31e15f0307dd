//! `vpcwarden.toml`: what the organisation approves (VPCs, subnets, security groups), read by checks.

use serde::{Deserialize, Serialize};
use std::path::Path;

/// The file read when `--config` is not given, if it exists in the working directory.
pub const DEFAULT_CONFIG_FILE: &str = "vpcwarden.toml";

/// Check settings. Every field is optional; unknown fields are refused so a typo is not ignored.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// VPC ids Lambda functions may be attached to (`principal-vpc-guardrail-missing`,
    /// `account-vpc-guardrail-missing`).
    pub approved_vpcs: Vec<String>,
    /// Subnet ids Lambda functions may use.
    pub approved_subnets: Vec<String>,
    /// Security group ids Lambda functions may use.
    pub approved_security_groups: Vec<String>,
}

/// A configuration file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read config file {path}: {error}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        error: std::io::Error,
    },
    /// The file is not valid TOML or has an unknown or mistyped field.
    #[error("config file {path}: {error}")]
    Parse {
        /// The file.
        path: String,
        /// What and where (toml names the key, line and column).
        error: toml::de::Error,
    },
}

impl Config {
    /// Reads a configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|error| ConfigError::Io {
            path: name.clone(),
            error,
        })?;
        toml::from_str(&text).map_err(|error| ConfigError::Parse { path: name, error })
    }

    /// `--config FILE` when given; else `vpcwarden.toml` in the working directory if it exists; else
    /// the defaults.
    pub fn resolve(explicit: Option<&Path>) -> Result<Config, ConfigError> {
        match explicit {
            Some(p) => Config::load(p),
            None if Path::new(DEFAULT_CONFIG_FILE).is_file() => {
                Config::load(Path::new(DEFAULT_CONFIG_FILE))
            }
            None => Ok(Config::default()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_approved_sets_and_refuses_unknown_keys() {
        let c: Config = toml::from_str(
            "approved_vpcs = [\"vpc-1\"]\napproved_subnets = [\"subnet-1\", \"subnet-2\"]\n",
        )
        .expect("valid");
        assert_eq!(c.approved_vpcs, ["vpc-1"]);
        assert_eq!(c.approved_subnets.len(), 2);
        assert!(c.approved_security_groups.is_empty());
        let err =
            toml::from_str::<Config>("approved_vpc = [\"vpc-1\"]\n").expect_err("typo refused");
        assert!(err.to_string().contains("approved_vpc"), "{err}");
    }
}

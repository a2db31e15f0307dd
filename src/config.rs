//! `vpcwarden.toml`: what the organisation approves (VPCs, subnets, security groups), each check's
//! own settings (`[checks.X]`), the risks it accepts for a while (`[[suppress]]`) and the request
//! rates of a live scan (`[quotas]`).
//!
//! Read in two stages: the file is parsed whole (syntax, keys, types: toml's errors name the line),
//! then `[checks.X]` and `[[suppress]]` are checked against the catalog ([`crate::checks::settings`],
//! [`crate::suppress`]). Every error names the file, the line and the key.

use serde::Deserialize;
use std::path::Path;

/// The file read when `--config` is not given, if it exists in the working directory.
pub const DEFAULT_CONFIG_FILE: &str = "vpcwarden.toml";

/// Check settings. Every field is optional; unknown fields are refused so a typo is not ignored.
/// The top-level check settings (`min_azs`, `approved_*`, `trusted_layer_accounts`, ...) are
/// shorthands that hold for every check reading them; a check's own table overrides them for it.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// VPC ids Lambda functions may be attached to (`principal-vpc-guardrail-missing`,
    /// `account-vpc-guardrail-missing`).
    pub approved_vpcs: Vec<String>,
    /// Subnet ids Lambda functions may use.
    pub approved_subnets: Vec<String>,
    /// Security group ids Lambda functions may use.
    pub approved_security_groups: Vec<String>,
    /// The fewest Availability Zones a VPC function's subnets may span (`function-single-az`); at
    /// least 1, default 2.
    pub min_azs: usize,
    /// Accounts whose Lambda layers functions may use (`function-layer-cross-account`), besides
    /// the function's own account.
    pub trusted_layer_accounts: Vec<String>,
    /// Whether the accounts of the scanned organization count as trusted layer publishers
    /// (`function-layer-cross-account`, `principal-layer-guardrail-missing`), as if listed in
    /// `trusted_layer_accounts`. Needs an `--organization` run, which lists the members.
    pub trust_organization_accounts: bool,
    /// The request rates a live scan keeps to per account and region (`[quotas]`), for accounts
    /// whose Lambda quotas were raised (or lowered).
    pub quotas: Quotas,
    /// `[checks.X]` tables as parsed in stage one; [`Config::checks`] holds them resolved.
    #[serde(rename = "checks")]
    pub checks_written: toml::Table,
    /// Each check's settings (`[checks.LAMBDA005]`, by code or slug), resolved against the catalog.
    #[serde(skip)]
    pub checks: crate::checks::settings::CheckSettings,
    /// `[[suppress]]` as parsed in stage one; [`Config::suppressions`] holds them resolved.
    #[serde(rename = "suppress")]
    pub suppress_written: Vec<crate::suppress::Entry>,
    /// The accepted risks, in file order, resolved against the catalog.
    #[serde(skip)]
    pub suppressions: Vec<crate::suppress::Suppression>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            approved_vpcs: Vec::new(),
            approved_subnets: Vec::new(),
            approved_security_groups: Vec::new(),
            min_azs: 2,
            trusted_layer_accounts: Vec::new(),
            trust_organization_accounts: false,
            quotas: Quotas::default(),
            checks_written: toml::Table::new(),
            checks: Default::default(),
            suppress_written: Vec::new(),
            suppressions: Vec::new(),
        }
    }
}

/// The request rates vpcwarden keeps to, per account and region: the documented defaults, raised
/// in `vpcwarden.toml` (`[quotas]`) for accounts whose quotas were raised.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Quotas {
    /// `lambda:GetPolicy`, requests per second (AWS default 15).
    pub lambda_get_policy: f64,
    /// The rest of Lambda's control plane, requests per second (AWS default 15).
    pub lambda_control_plane: f64,
}

impl Default for Quotas {
    fn default() -> Self {
        Quotas {
            lambda_get_policy: 15.0,
            lambda_control_plane: 15.0,
        }
    }
}

impl Quotas {
    /// The first rate that is not a positive, finite number, as `(key, value)`.
    pub fn invalid(&self) -> Option<(&'static str, f64)> {
        [
            ("quotas.lambda_get_policy", self.lambda_get_policy),
            ("quotas.lambda_control_plane", self.lambda_control_plane),
        ]
        .into_iter()
        .find(|(_, v)| !(v.is_finite() && *v > 0.0))
    }
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
    /// A key the catalog does not accept (stage two): an unknown check or option, a bad date...
    #[error("config file {path}, line {line}, key `{key}`: {problem}\n  {line} | {source_line}")]
    Located {
        /// The file.
        path: String,
        /// The line (1-based).
        line: usize,
        /// The dotted key.
        key: String,
        /// What is wrong.
        problem: String,
        /// The text of that line, to show it.
        source_line: String,
    },
    /// A value is out of its range.
    #[error("config file {path}: {problem}")]
    Invalid {
        /// The file.
        path: String,
        /// Which key and why.
        problem: String,
    },
}

impl Config {
    /// The approved VPCs, subnets and security groups, as evidence.
    pub fn approved(&self) -> serde_json::Value {
        serde_json::json!({
            "approved_vpcs": self.approved_vpcs,
            "approved_subnets": self.approved_subnets,
            "approved_security_groups": self.approved_security_groups,
        })
    }

    /// Reads a configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|error| ConfigError::Io {
            path: name.clone(),
            error,
        })?;
        let mut config: Config = toml::from_str(&text).map_err(|error| ConfigError::Parse {
            path: name.clone(),
            error,
        })?;
        config.resolve_checks(&name, &text)?;
        if config.min_azs == 0 {
            return Err(ConfigError::Invalid {
                path: name,
                problem: "min_azs must be at least 1".into(),
            });
        }
        if let Some((key, value)) = config.quotas.invalid() {
            return Err(ConfigError::Invalid {
                path: name,
                problem: format!(
                    "{key} must be a positive number of requests per second, not {value}"
                ),
            });
        }
        Ok(config)
    }

    /// Stage two: `[checks.X]` and `[[suppress]]` against the catalog.
    fn resolve_checks(&mut self, name: &str, text: &str) -> Result<(), ConfigError> {
        if self.checks_written.is_empty() && self.suppress_written.is_empty() {
            return Ok(());
        }
        let catalog = crate::checks::all().map_err(|e| ConfigError::Invalid {
            path: name.to_string(),
            problem: format!("the check catalog does not load: {e}"),
        })?;
        let located = |l: crate::checks::settings::Located| {
            let line = crate::suppress::line_of(text, l.span.start);
            ConfigError::Located {
                path: name.to_string(),
                line,
                key: l.key,
                problem: l.problem,
                source_line: text.lines().nth(line - 1).unwrap_or_default().to_string(),
            }
        };
        // Stage one parsed this text already: a failure here is the same error.
        let root = toml::de::DeTable::parse(text).map_err(|e| {
            located(crate::checks::settings::Located::from_toml(
                &e,
                String::new(),
                0..0,
            ))
        })?;
        let root = root.get_ref();
        self.checks = crate::checks::settings::resolve(root, catalog).map_err(located)?;
        self.suppressions = crate::suppress::resolve(root, &self.suppress_written, catalog, text)
            .map_err(located)?;
        Ok(())
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
        assert_eq!(c.min_azs, 2, "the default holds when the key is absent");
        let err =
            toml::from_str::<Config>("approved_vpc = [\"vpc-1\"]\n").expect_err("typo refused");
        assert!(err.to_string().contains("approved_vpc"), "{err}");
    }

    #[test]
    fn rates_must_be_positive() {
        assert_eq!(Quotas::default().invalid(), None);
        let q = Quotas {
            lambda_get_policy: 0.0,
            ..Quotas::default()
        };
        assert_eq!(q.invalid(), Some(("quotas.lambda_get_policy", 0.0)));
    }

    #[test]
    fn quotas_are_read_and_non_positive_rates_refused() {
        let c: Config = toml::from_str("[quotas]\nlambda_get_policy = 40\n").expect("valid");
        assert_eq!(c.quotas.lambda_get_policy, 40.0);
        assert_eq!(c.quotas.lambda_control_plane, 15.0, "the default holds");
        let err = toml::from_str::<Config>("[quotas]\nlambda_getpolicy = 40\n")
            .expect_err("typo refused");
        assert!(err.to_string().contains("lambda_getpolicy"), "{err}");
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("vpcwarden.toml");
        std::fs::write(&path, "[quotas]\nlambda_control_plane = 0\n").expect("write");
        let err = Config::load(&path).expect_err("zero refused");
        assert!(
            err.to_string().contains("quotas.lambda_control_plane"),
            "{err}"
        );
    }

    #[test]
    fn min_azs_is_read_and_zero_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("vpcwarden.toml");
        std::fs::write(&path, "min_azs = 3\n").expect("write");
        assert_eq!(Config::load(&path).expect("valid").min_azs, 3);
        std::fs::write(&path, "min_azs = 0\n").expect("write");
        let err = Config::load(&path).expect_err("zero refused");
        assert!(
            err.to_string().contains("min_azs must be at least 1"),
            "{err}"
        );
    }
}

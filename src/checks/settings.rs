//! `[checks.CODE]` tables of `vpcwarden.toml`: each check's own settings.
//!
//! Read in two stages, as cargo-deny and zizmor read theirs. The file is first parsed whole (syntax,
//! the top-level keys and their types); then each `[checks.X]` table is checked against the catalog:
//! `X` must be a check's code or slug, `enabled` and `severity` are common to every check, and any
//! other key must be an option of that check. A check owns its option type (a `Deserialize` struct
//! with `deny_unknown_fields` beside its code, named on its registry line), so a new setting is an
//! addition to one check, not to a central struct. Every error names the file, line and key.

use crate::checks::Check;
use crate::finding::Severity;
use std::any::Any;
use std::collections::BTreeMap;
use std::sync::Arc;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

/// A check's options as read from its table, behind the type the check declared.
pub type Options = Arc<dyn Any + Send + Sync>;

/// Reads a check's options from its table (without `enabled` and `severity`).
pub type OptionsFn = fn(ValueDeserializer<'_>) -> Result<Options, toml::de::Error>;

/// The [`OptionsFn`] of a check whose options are `T`: name it on the registry line as
/// `options: Some(settings::options::<Options>)`.
pub fn options<T>(de: ValueDeserializer<'_>) -> Result<Options, toml::de::Error>
where
    T: serde::de::DeserializeOwned + Any + Send + Sync,
{
    Ok(Arc::new(T::deserialize(de)?))
}

/// One check's settings.
#[derive(Debug, Clone)]
pub struct CheckSetting {
    /// `enabled = false` leaves the check out of an audit (unless `--checks` names it).
    pub enabled: bool,
    /// `severity = "high"`: every finding of the check is reported at this severity, the one the
    /// check gave kept in the evidence as `original_severity`.
    pub severity: Option<Severity>,
    /// The check's own options, of the type its registry line names; `None` when the table set none.
    pub options: Option<Options>,
}

/// The settings of the checks that have a `[checks.X]` table, by check code.
#[derive(Debug, Clone, Default)]
pub struct CheckSettings(BTreeMap<String, CheckSetting>);

impl CheckSettings {
    /// The settings of the check `code`, when its table exists.
    pub fn get(&self, code: &str) -> Option<&CheckSetting> {
        self.0.get(code)
    }

    /// Whether the check `code` is enabled (every check is, unless its table says otherwise).
    pub fn enabled(&self, code: &str) -> bool {
        self.get(code).is_none_or(|s| s.enabled)
    }

    /// The codes of the checks whose tables disable them.
    pub fn disabled(&self) -> impl Iterator<Item = &str> {
        self.0
            .iter()
            .filter(|(_, s)| !s.enabled)
            .map(|(c, _)| c.as_str())
    }
}

/// A located problem in the configuration file: the byte span it is about, the key, and what is
/// wrong. [`crate::config`] turns it into the error naming the file, line and key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// Byte offsets of what is wrong.
    pub span: std::ops::Range<usize>,
    /// The dotted key, e.g. `checks.LAMBDA005.min_az`.
    pub key: String,
    /// What is wrong.
    pub problem: String,
}

impl Located {
    fn new(span: std::ops::Range<usize>, key: String, problem: impl Into<String>) -> Located {
        Located {
            span,
            key,
            problem: problem.into(),
        }
    }

    /// A deserializer's error about `key`, at its own span when it has one (`fallback` otherwise).
    pub fn from_toml(
        e: &toml::de::Error,
        key: String,
        fallback: std::ops::Range<usize>,
    ) -> Located {
        Located::new(
            e.span().unwrap_or(fallback),
            key,
            e.message().trim_end().to_string(),
        )
    }
}

/// Stage two for `[checks]`: resolves each table of `root` (the whole file, parsed with spans)
/// against the catalog.
pub fn resolve(root: &DeTable<'_>, catalog: &[Check]) -> Result<CheckSettings, Located> {
    let mut out = BTreeMap::new();
    let Some(section) = root.get("checks") else {
        return Ok(CheckSettings::default());
    };
    let Some(tables) = section.get_ref().as_table() else {
        return Err(Located::new(
            section.span(),
            "checks".into(),
            "must be a table of check tables ([checks.LAMBDA005], ...)",
        ));
    };
    let mut named_by: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in tables.iter() {
        let written = name.get_ref().to_string();
        let key = format!("checks.{written}");
        let check = super::find(catalog, &written).ok_or_else(|| {
            Located::new(
                name.span(),
                key.clone(),
                format!("no check has the code or slug {written:?} (see `vpcwarden checks`)"),
            )
        })?;
        let code = check.code().to_string();
        if let Some(first) = named_by.insert(code.clone(), written.clone()) {
            return Err(Located::new(
                name.span(),
                key,
                format!("{code} already has a table, [checks.{first}]; merge the two"),
            ));
        }
        let Some(table) = value.get_ref().as_table() else {
            return Err(Located::new(
                value.span(),
                key,
                format!(
                    "must be a table of settings ([checks.{written}] with enabled, severity or the check's options)"
                ),
            ));
        };
        out.insert(code, read_table(check, &key, value.span(), table)?);
    }
    Ok(CheckSettings(out))
}

/// Reads one check's table: the common keys, then the rest as the check's options.
fn read_table(
    check: &Check,
    key: &str,
    span: std::ops::Range<usize>,
    table: &DeTable<'_>,
) -> Result<CheckSetting, Located> {
    let mut setting = CheckSetting {
        enabled: true,
        severity: None,
        options: None,
    };
    let mut rest = DeTable::new();
    for (k, v) in table.iter() {
        let full = format!("{key}.{}", k.get_ref());
        match k.get_ref().as_ref() {
            "enabled" => setting.enabled = value::<bool>(v, &full)?,
            "severity" => setting.severity = Some(value::<Severity>(v, &full)?),
            _ => {
                rest.insert(k.clone(), v.clone());
            }
        }
    }
    if rest.is_empty() {
        return Ok(setting);
    }
    let Some(read) = check.options else {
        let (k, _) = rest.iter().next().expect("not empty");
        return Err(Located::new(
            k.span(),
            format!("{key}.{}", k.get_ref()),
            format!(
                "{} has no option {:?}: its table takes `enabled` and `severity` only",
                check.code(),
                k.get_ref()
            ),
        ));
    };
    // The error's span falls in one option's key or value: name that option in the key.
    let named = |e: &toml::de::Error| {
        e.span()
            .and_then(|at| {
                rest.iter().find(|(k, v)| {
                    k.span().contains(&at.start)
                        || v.span().contains(&at.start)
                        || (at.start == v.span().start && at.is_empty())
                })
            })
            .map_or_else(
                || key.to_string(),
                |(k, _)| format!("{key}.{}", k.get_ref()),
            )
    };
    let de = ValueDeserializer::from(Spanned::new(span.clone(), DeValue::Table(rest.clone())));
    setting.options = Some(read(de).map_err(|e| Located::from_toml(&e, named(&e), span.clone()))?);
    Ok(setting)
}

/// One common value, read as `T`.
fn value<T: serde::de::DeserializeOwned>(
    v: &Spanned<DeValue<'_>>,
    key: &str,
) -> Result<T, Located> {
    T::deserialize(ValueDeserializer::from(v.clone()))
        .map_err(|e| Located::from_toml(&e, key.to_string(), v.span()))
}

/// The severity a check's findings are reported at, when its table overrides it; the evidence
/// key that keeps the one the check gave.
pub const ORIGINAL_SEVERITY: &str = "original_severity";

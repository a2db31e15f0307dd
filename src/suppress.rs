//! `[[suppress]]` entries of `vpcwarden.toml`: a known risk accepted for a while, on record.
//!
//! A suppressed finding keeps its status and gains who accepted it, why and until when; it does not
//! count towards the exit code. An entry stops suppressing after its `expires` day, judged on the
//! scan's own day (when the snapshot was collected), so a re-audit of an old snapshot gives the same
//! answer. A `not_evaluated` finding is suppressed only by an entry naming its exact check and
//! resource: nobody can accept, by a glob, a risk nobody saw. Passing findings are never suppressed:
//! there is no risk to accept, and an entry whose resources all pass has done its work (stale).

use crate::checks::Check;
use crate::checks::settings::Located;
use crate::finding::{Finding, Status};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use toml::de::DeTable;

/// One `[[suppress]]` entry as written (stage one of reading the file: keys and types).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// A check's code or slug, or `"*"` for every check.
    pub check: String,
    /// A resource ARN, or an ARN glob (`*` any run of characters, `?` one, `[...]` a class).
    pub resource: String,
    /// Only in this account.
    #[serde(default)]
    pub account: Option<String>,
    /// Only in this region (`global` for IAM and account-wide findings).
    #[serde(default)]
    pub region: Option<String>,
    /// Why the risk is accepted (required).
    pub reason: String,
    /// Who accepted it.
    #[serde(default)]
    pub owner: Option<String>,
    /// The last day it suppresses: a TOML date (`expires = 2027-03-31`) or the same as a string.
    #[serde(default)]
    pub expires: Option<DateValue>,
    /// A ticket or change reference.
    #[serde(default)]
    pub ticket: Option<String>,
}

/// A date as TOML writes it, or as a string.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum DateValue {
    /// `2027-03-31`
    Toml(toml::value::Datetime),
    /// `"2027-03-31"`
    Text(String),
}

/// What a suppressed finding carries: the entry's record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suppressed {
    /// Why.
    pub reason: String,
    /// Who.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// The last day (`YYYY-MM-DD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// A ticket or change reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket: Option<String>,
}

/// An entry checked against the catalog (stage two), ready to match findings.
#[derive(Debug, Clone)]
pub struct Suppression {
    /// The line of its `[[suppress]]` header (1-based), as reports and warnings name it.
    pub line: usize,
    /// The check as written.
    pub check: String,
    /// The check's code; `None` for `"*"`.
    pub code: Option<String>,
    /// The resource as written.
    pub resource: String,
    /// The resource as a glob, when it has glob characters; `None` when it is one exact ARN.
    pattern: Option<glob::Pattern>,
    /// Only in this account.
    pub account: Option<String>,
    /// Only in this region.
    pub region: Option<String>,
    /// The last day it suppresses.
    pub expires: Option<time::Date>,
    /// What the findings it suppresses carry.
    pub record: Arc<Suppressed>,
}

/// Stage two for `[[suppress]]`: each entry's check against the catalog, its date and its glob,
/// each error at the entry's key.
pub fn resolve(
    root: &DeTable<'_>,
    entries: &[Entry],
    catalog: &[Check],
    text: &str,
) -> Result<Vec<Suppression>, Located> {
    let spans: Vec<(std::ops::Range<usize>, Option<&DeTable<'_>>)> = root
        .get("suppress")
        .and_then(|v| v.get_ref().as_array())
        .map(|a| {
            a.iter()
                .map(|t| (t.span(), t.get_ref().as_table()))
                .collect()
        })
        .unwrap_or_default();
    entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let (span, table) = spans.get(i).cloned().unwrap_or((0..0, None));
            let at = |key: &str| -> (std::ops::Range<usize>, String) {
                let s = table
                    .and_then(|t| t.get(key))
                    .map(|v| v.span())
                    .unwrap_or_else(|| span.clone());
                (s, format!("suppress[{i}].{key}"))
            };
            let fail = |key: &str, problem: String| {
                let (s, k) = at(key);
                Located {
                    span: s,
                    key: k,
                    problem,
                }
            };
            let code = if e.check == "*" {
                None
            } else {
                Some(
                    crate::checks::find(catalog, e.check.trim())
                        .ok_or_else(|| {
                            fail(
                                "check",
                                format!(
                                    "no check has the code or slug {:?} (see `vpcwarden checks`; \"*\" is every check)",
                                    e.check
                                ),
                            )
                        })?
                        .code()
                        .to_string(),
                )
            };
            if e.reason.trim().is_empty() {
                return Err(fail(
                    "reason",
                    "must say why the risk is accepted".into(),
                ));
            }
            if e.resource.trim().is_empty() {
                return Err(fail(
                    "resource",
                    "must be an ARN or an ARN glob (\"*\" for every resource)".into(),
                ));
            }
            let pattern = if is_glob(&e.resource) {
                Some(glob::Pattern::new(&e.resource).map_err(|g| {
                    fail("resource", format!("is not a valid glob: {}", g.msg))
                })?)
            } else {
                None
            };
            let expires = match &e.expires {
                None => None,
                Some(v) => Some(parse_date(v).ok_or_else(|| {
                    fail(
                        "expires",
                        "must be a date, YYYY-MM-DD (the last day the entry suppresses)".into(),
                    )
                })?),
            };
            Ok(Suppression {
                line: line_of(text, span.start),
                check: e.check.clone(),
                code,
                resource: e.resource.clone(),
                pattern,
                account: e.account.clone(),
                region: e.region.clone(),
                expires,
                record: Arc::new(Suppressed {
                    reason: e.reason.trim().to_string(),
                    owner: e.owner.clone(),
                    expires: expires.map(|d| d.to_string()),
                    ticket: e.ticket.clone(),
                }),
            })
        })
        .collect()
}

/// The 1-based line of a byte offset.
pub fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

fn is_glob(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

fn parse_date(v: &DateValue) -> Option<time::Date> {
    let text = match v {
        DateValue::Toml(d) => {
            // A date only: a time or an offset would make "the last day" ambiguous.
            if d.time.is_some() || d.offset.is_some() {
                return None;
            }
            d.to_string()
        }
        DateValue::Text(s) => s.trim().to_string(),
    };
    time::Date::parse(
        &text,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
}

impl Suppression {
    /// Whether the entry no longer suppresses on `day` (it suppresses through its `expires` day).
    pub fn expired(&self, day: time::Date) -> bool {
        self.expires.is_some_and(|e| day > e)
    }

    /// Whether the entry covers `f` (its expiry aside). A passing finding is never covered: there is
    /// no risk to accept, and an entry whose resources all pass is stale.
    pub fn covers(&self, f: &Finding) -> bool {
        if f.status == Status::Pass
            || self.code.as_deref().is_some_and(|c| c != &*f.code)
            || self.account.as_deref().is_some_and(|a| a != f.account_id)
            || self.region.as_deref().is_some_and(|r| r != f.region)
        {
            return false;
        }
        if f.status == Status::NotEvaluated {
            // You cannot accept a risk nobody saw: only the exact check and resource do it.
            return self.code.is_some()
                && self.pattern.is_none()
                && self.resource == f.resource_arn;
        }
        match &self.pattern {
            None => self.resource == f.resource_arn,
            Some(p) => p.matches_with(
                &f.resource_arn,
                glob::MatchOptions {
                    case_sensitive: true,
                    require_literal_separator: false,
                    require_literal_leading_dot: false,
                },
            ),
        }
    }
}

/// What became of an entry in a scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryState {
    /// It suppressed findings.
    Active,
    /// Its `expires` day has passed: it suppresses nothing, and says so.
    Expired,
    /// It matched nothing in a complete scan: the risk is gone, or the entry is wrong.
    Stale,
    /// It matched nothing, in a scan with gaps: what it names may be among what was not seen.
    Unmatched,
}

impl EntryState {
    /// The snake-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            EntryState::Active => "active",
            EntryState::Expired => "expired",
            EntryState::Stale => "stale",
            EntryState::Unmatched => "unmatched",
        }
    }
}

impl EntryState {
    /// The state a report names (an unknown name, from a newer vpcwarden, reads as `unmatched`:
    /// nothing is claimed of it).
    pub fn parse(name: &str) -> EntryState {
        match name {
            "active" => EntryState::Active,
            "expired" => EntryState::Expired,
            "stale" => EntryState::Stale,
            _ => EntryState::Unmatched,
        }
    }
}

/// An entry's outcome in a scan, as the report carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The line of its `[[suppress]]` header.
    pub line: usize,
    /// The check as written.
    pub check: String,
    /// The resource as written.
    pub resource: String,
    /// What it carries.
    pub record: Suppressed,
    /// What became of it.
    pub state: EntryState,
    /// How many findings it suppressed (for an expired entry: how many it would have).
    pub matched: usize,
}

/// Marks the findings the entries suppress on `day` (the first entry in file order that covers a
/// finding wins) and says what became of each entry; `complete` is whether the scan had no gap.
pub fn apply(
    findings: &mut [Box<Finding>],
    entries: &[Suppression],
    day: time::Date,
    complete: bool,
) -> Vec<Outcome> {
    let mut matched = vec![0usize; entries.len()];
    if !entries.is_empty() {
        for f in findings.iter_mut() {
            f.suppressed = None;
            let mut suppressed = false;
            for (i, e) in entries.iter().enumerate() {
                if !e.covers(f) {
                    continue;
                }
                matched[i] += 1;
                if !suppressed && !e.expired(day) {
                    f.suppressed = Some(e.record.clone());
                    suppressed = true;
                }
            }
        }
    }
    entries
        .iter()
        .zip(matched)
        .map(|(e, n)| Outcome {
            line: e.line,
            check: e.check.clone(),
            resource: e.resource.clone(),
            record: (*e.record).clone(),
            state: if e.expired(day) {
                EntryState::Expired
            } else if n > 0 {
                EntryState::Active
            } else if complete {
                EntryState::Stale
            } else {
                EntryState::Unmatched
            },
            matched: n,
        })
        .collect()
}

/// The day a scan is judged on: the date of its start (`scan.started_at`, RFC 3339), which for an
/// offline audit is when the snapshot was collected.
pub fn scan_day(started_at: &str) -> Option<time::Date> {
    time::OffsetDateTime::parse(started_at, &time::format_description::well_known::Rfc3339)
        .ok()
        .map(|t| t.to_offset(time::UtcOffset::UTC).date())
}

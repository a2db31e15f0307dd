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
            || self.code.as_deref().is_some_and(|c| c != f.code())
            || self.account.as_deref().is_some_and(|a| a != &*f.account_id)
            || self.region.as_deref().is_some_and(|r| r != &*f.region)
        {
            return false;
        }
        if f.status == Status::NotEvaluated {
            // You cannot accept a risk nobody saw: only the exact check and resource do it.
            return self.code.is_some()
                && self.pattern.is_none()
                && *self.resource == *f.resource_arn;
        }
        match &self.pattern {
            None => *self.resource == *f.resource_arn,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;

    const CONFIG: &str = r#"approved_vpcs = []

[[suppress]]
check = "LAMBDA003"
resource = "arn:aws:lambda:us-east-1:111111111111:function:exact"
reason = "exact entry"
owner = "platform"
expires = 2026-11-30
ticket = "SEC-1"

[[suppress]]
check = "function-not-in-vpc"
resource = "arn:aws:lambda:*:111111111111:function:batch-*"
region = "eu-west-1"
reason = "glob entry"

[[suppress]]
check = "*"
resource = "arn:aws:iam::111111111111:role/nothing-*"
reason = "matches nothing"
"#;

    fn entries(text: &str) -> Result<Vec<Suppression>, Located> {
        #[derive(Deserialize)]
        struct File {
            #[serde(default)]
            suppress: Vec<Entry>,
        }
        let file: File = toml::from_str(text).map_err(|e| Located {
            span: e.span().unwrap_or(0..0),
            key: String::new(),
            problem: e.message().to_string(),
        })?;
        let root = DeTable::parse(text).expect("parses");
        let catalog = crate::checks::all().expect("catalog");
        resolve(root.get_ref(), &file.suppress, catalog, text)
    }

    fn finding(code: &str, region: &str, arn: &str, status: Status) -> Box<Finding> {
        let slug = if code == "LAMBDA003" {
            "function-not-in-vpc"
        } else {
            "other"
        };
        Box::new(Finding {
            id: crate::finding::finding_id(code, "111111111111", region, arn),
            check: Arc::new(crate::finding::CheckFacts {
                code: code.into(),
                slug: slug.into(),
                title: "t".into(),
                compliance: Vec::new(),
                remediation: "r".into(),
            }),
            severity: Severity::Low,
            status,
            account_id: "111111111111".into(),
            region: region.into(),
            resource_type: "AwsLambdaFunction".into(),
            resource_arn: arn.into(),
            message: "m".into(),
            evidence: Default::default(),
            suppressed: None,
        })
    }

    fn day(s: &str) -> time::Date {
        time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]"))
            .expect("date")
    }

    const EXACT: &str = "arn:aws:lambda:us-east-1:111111111111:function:exact";
    const BATCH: &str = "arn:aws:lambda:eu-west-1:111111111111:function:batch-7";

    #[test]
    fn entries_resolve_with_their_header_line_code_and_date() {
        let s = entries(CONFIG).expect("valid");
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].line, 3);
        assert_eq!(s[0].code.as_deref(), Some("LAMBDA003"));
        assert_eq!(s[0].expires, Some(day("2026-11-30")));
        assert_eq!(s[0].record.ticket.as_deref(), Some("SEC-1"));
        assert_eq!(
            s[1].code.as_deref(),
            Some("LAMBDA003"),
            "a slug names the check"
        );
        assert_eq!(s[1].line, 11);
        assert_eq!(s[2].code, None, "\"*\" is every check");
    }

    #[test]
    fn exact_arn_and_glob_match_failing_findings_only() {
        let s = entries(CONFIG).expect("valid");
        let exact = finding("LAMBDA003", "us-east-1", EXACT, Status::Fail);
        assert!(s[0].covers(&exact));
        assert!(!s[0].covers(&finding(
            "LAMBDA003",
            "us-east-1",
            &format!("{EXACT}2"),
            Status::Fail
        )));
        assert!(
            !s[0].covers(&finding("LAMBDA001", "us-east-1", EXACT, Status::Fail)),
            "another check"
        );
        assert!(
            !s[0].covers(&finding("LAMBDA003", "us-east-1", EXACT, Status::Pass)),
            "a pass is never suppressed"
        );
        let batch = finding("LAMBDA003", "eu-west-1", BATCH, Status::Fail);
        assert!(s[1].covers(&batch));
        let elsewhere = "arn:aws:lambda:us-east-1:111111111111:function:batch-7";
        assert!(
            !s[1].covers(&finding("LAMBDA003", "us-east-1", elsewhere, Status::Fail)),
            "region scope"
        );
        assert!(!s[1].covers(&finding(
            "LAMBDA003",
            "eu-west-1",
            "arn:aws:lambda:eu-west-1:111111111111:function:web",
            Status::Fail
        )));
    }

    #[test]
    fn not_evaluated_only_by_exact_check_and_resource() {
        let s = entries(CONFIG).expect("valid");
        assert!(s[0].covers(&finding(
            "LAMBDA003",
            "us-east-1",
            EXACT,
            Status::NotEvaluated
        )));
        assert!(
            !s[1].covers(&finding(
                "LAMBDA003",
                "eu-west-1",
                BATCH,
                Status::NotEvaluated
            )),
            "never by a glob"
        );
        let star = entries(&format!(
            "[[suppress]]\ncheck = \"*\"\nresource = \"{EXACT}\"\nreason = \"r\"\n"
        ))
        .expect("valid");
        assert!(star[0].covers(&finding("LAMBDA003", "us-east-1", EXACT, Status::Fail)));
        assert!(
            !star[0].covers(&finding(
                "LAMBDA003",
                "us-east-1",
                EXACT,
                Status::NotEvaluated
            )),
            "never by \"*\""
        );
    }

    #[test]
    fn an_entry_suppresses_through_its_last_day_then_expires() {
        let s = entries(CONFIG).expect("valid");
        let mut fs = vec![
            finding("LAMBDA003", "us-east-1", EXACT, Status::Fail),
            finding("LAMBDA003", "eu-west-1", BATCH, Status::Fail),
        ];
        let out = apply(&mut fs, &s, day("2026-11-30"), true);
        assert_eq!(
            fs[0].suppressed.as_deref().map(|r| r.reason.as_str()),
            Some("exact entry")
        );
        assert_eq!(
            fs[1].suppressed.as_deref().map(|r| r.reason.as_str()),
            Some("glob entry")
        );
        let states: Vec<_> = out.iter().map(|o| (o.state, o.matched)).collect();
        assert_eq!(
            states,
            [
                (EntryState::Active, 1),
                (EntryState::Active, 1),
                (EntryState::Stale, 0)
            ]
        );

        let out = apply(&mut fs, &s, day("2026-12-01"), true);
        assert!(
            fs[0].suppressed.is_none(),
            "the day after expires, the finding is reported as usual"
        );
        assert!(fs[1].suppressed.is_some());
        assert_eq!((out[0].state, out[0].matched), (EntryState::Expired, 1));
    }

    #[test]
    fn nothing_matched_is_stale_when_complete_and_unmatched_with_gaps() {
        let s = entries(CONFIG).expect("valid");
        let mut fs = vec![finding("LAMBDA003", "us-east-1", EXACT, Status::Pass)];
        let out = apply(&mut fs, &s, day("2026-01-01"), true);
        assert!(out.iter().all(|o| o.state == EntryState::Stale), "{out:?}");
        let out = apply(&mut fs, &s, day("2026-01-01"), false);
        assert!(
            out.iter().all(|o| o.state == EntryState::Unmatched),
            "{out:?}"
        );
    }

    #[test]
    fn the_first_unexpired_entry_in_file_order_wins() {
        let text = format!(
            "[[suppress]]\ncheck = \"*\"\nresource = \"{EXACT}\"\nreason = \"old\"\nexpires = \"2020-01-01\"\n\n[[suppress]]\ncheck = \"*\"\nresource = \"arn:aws:lambda:*\"\nreason = \"broad\"\n\n[[suppress]]\ncheck = \"*\"\nresource = \"{EXACT}\"\nreason = \"later\"\n"
        );
        let s = entries(&text).expect("valid");
        let mut fs = vec![finding("LAMBDA003", "us-east-1", EXACT, Status::Fail)];
        let out = apply(&mut fs, &s, day("2026-06-01"), true);
        assert_eq!(
            fs[0].suppressed.as_deref().map(|r| r.reason.as_str()),
            Some("broad")
        );
        assert_eq!(out[0].state, EntryState::Expired);
        assert_eq!(
            out[2].state,
            EntryState::Active,
            "it covers the finding, shadowed or not"
        );
    }

    #[test]
    fn bad_entries_name_their_key() {
        let cases = [
            (
                "check = \"LAMBDA999\"\nresource = \"x\"\nreason = \"r\"\n",
                "suppress[0].check",
                2,
            ),
            (
                "check = \"*\"\nresource = \"x\"\nreason = \"  \"\n",
                "suppress[0].reason",
                4,
            ),
            (
                "check = \"*\"\nresource = \"\"\nreason = \"r\"\n",
                "suppress[0].resource",
                3,
            ),
            (
                "check = \"*\"\nresource = \"arn:[\"\nreason = \"r\"\n",
                "suppress[0].resource",
                3,
            ),
            (
                "check = \"*\"\nresource = \"x\"\nreason = \"r\"\nexpires = \"31/12/2026\"\n",
                "suppress[0].expires",
                5,
            ),
            (
                "check = \"*\"\nresource = \"x\"\nreason = \"r\"\nexpires = 2026-12-31T10:00:00Z\n",
                "suppress[0].expires",
                5,
            ),
        ];
        for (body, key, line) in cases {
            let text = format!("[[suppress]]\n{body}");
            let e = entries(&text).expect_err(body);
            assert_eq!(e.key, key, "{body}");
            assert_eq!(line_of(&text, e.span.start), line, "{body}: {e:?}");
        }
    }

    #[test]
    fn the_scan_day_is_the_utc_date_of_its_start() {
        assert_eq!(
            scan_day("2026-11-30T23:30:00-02:00"),
            Some(day("2026-12-01"))
        );
        assert_eq!(scan_day("2026-11-30T09:00:00Z"), Some(day("2026-11-30")));
        assert_eq!(scan_day("yesterday"), None);
    }
}

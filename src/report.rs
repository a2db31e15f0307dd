//! The report: findings, gaps, scan facts and what is known of each check, the one input of every
//! renderer and export.
//!
//! The report is self-sufficient: a renderer reads it and nothing else (no check registry), so a
//! report read back from a file renders as it did when it was written. Its JSON form is frozen in
//! [`v1`]; the types here are internal and may change.

pub mod network;
pub mod v1;

use crate::checks::catalog::CatalogEntry;
use crate::finding::{Finding, FindingList, Severity, Status};
use crate::snapshot::{Gap, NotScanned, Snapshot};
use std::collections::BTreeMap;

/// The JSON schema name of the report (frozen: v1, see [`v1`]).
pub const REPORT_SCHEMA: &str = v1::SCHEMA;

/// A scan's findings and gaps, and the catalog facts of the checks behind them.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// What was scanned, when, and whether it was complete.
    pub scan: ScanInfo,
    /// What the renderers need to know of each check (ASFF types, remediation URL...), so that no
    /// renderer looks checks up in today's registry. One per code of `scan.checks` or of a finding
    /// whose catalog entry was known when the report was built; see [`Report::check`].
    pub checks: Vec<CheckInfo>,
    /// Every finding, sorted (see `checks::sort_findings`).
    pub findings: FindingList,
    /// Every collection gap, sorted.
    pub gaps: Vec<Gap>,
    /// Each `[[suppress]]` entry of the configuration and what became of it (see
    /// [`Report::suppress`]).
    pub suppressions: Vec<crate::suppress::Outcome>,
    /// Counts.
    pub summary: Summary,
    /// `audit --baseline OLD.json`: this scan compared with OLD. With it, the exit code and
    /// `--fail-on` consider only what the comparison gates on (new failures, and failures whose
    /// severity rose), and the table marks them. See [`Report::exit`].
    pub baseline: Option<Box<crate::diff::Diff>>,
    /// The network picture of each scanned account and region (see [`network`]); `None` for a
    /// report read back from a file written without it.
    pub network: Option<Vec<network::RegionNetwork>>,
}

/// One check's catalog facts as the report carries them: what ASFF, OCSF and the Security Hub
/// export need beyond the findings themselves, frozen at the time of the scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckInfo {
    /// Permanent code, e.g. `LAMBDA003`.
    pub code: String,
    /// Permanent slug, e.g. `function-not-in-vpc`.
    pub slug: String,
    /// States the problem.
    pub title: String,
    /// Default severity of a failing finding.
    pub severity: Severity,
    /// ASFF resource type of the resource the check judges.
    pub resource_type: String,
    /// ASFF finding types (`Types`).
    pub asff_types: Vec<String>,
    /// Compliance control ids, possibly empty.
    pub compliance: Vec<String>,
    /// The one-paragraph remediation, trimmed (without the URL).
    pub remediation: String,
    /// The AWS documentation page for the fix.
    pub remediation_url: String,
    /// The catalog page's whole remediation (Markdown: the paragraph, then the console, AWS CLI
    /// and Terraform steps), for the HTML report. Not part of JSON v1; a report read back gets it
    /// from today's catalog.
    pub remediation_guide: String,
}

impl CheckInfo {
    /// The facts of a catalog page: how an audit (and a report read back with today's catalog)
    /// learns about its checks.
    pub fn from_entry(entry: &CatalogEntry) -> CheckInfo {
        let meta = &entry.meta;
        CheckInfo {
            remediation_guide: entry.remediation_guide().to_string(),
            code: meta.code.clone(),
            slug: meta.slug.clone(),
            title: meta.title.clone(),
            severity: meta.severity,
            resource_type: meta.resource_type.clone(),
            asff_types: meta.asff_types.clone(),
            compliance: meta.compliance.clone(),
            remediation: meta.remediation.trim().to_string(),
            remediation_url: meta.remediation_url.clone(),
        }
    }
}

/// What was scanned.
#[derive(Debug, Clone, PartialEq)]
pub struct ScanInfo {
    /// `vpcwarden X.Y.Z`.
    pub tool_version: String,
    /// Account ids, sorted.
    pub accounts: Vec<String>,
    /// Regions, sorted.
    pub regions: Vec<String>,
    /// When collection started (RFC 3339 UTC); for an offline audit, when the snapshot was collected.
    pub started_at: String,
    /// When the checks finished (RFC 3339 UTC).
    pub finished_at: String,
    /// True when no API call failed.
    pub complete: bool,
    /// `live`, `snapshot` or `demo`.
    pub source: String,
    /// The codes of the checks that ran.
    pub checks: Vec<String>,
    /// Names and OU paths of the scanned accounts, when known (organization runs, accounts
    /// files); empty otherwise.
    pub account_details: Vec<AccountDetail>,
    /// Accounts found and deliberately not scanned, with why.
    pub not_scanned: Vec<NotScanned>,
    /// Passing findings carry only what identifies them (`audit --compact-pass`).
    pub compact_pass: bool,
    /// The shard this scan covered (`--shard INDEX/COUNT`); `None` for a whole run.
    pub shard: Option<crate::targets::Shard>,
}

/// A scanned account's counts, for the per-account views (see [`Report::account_counts`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountCounts {
    /// The 12-digit account id.
    pub account_id: String,
    /// Its name, when known.
    pub name: Option<String>,
    /// Its OU path, when known.
    pub ou_path: Option<String>,
    /// Failing findings by severity, in [`Severity::ALL_DESC`] order.
    pub failing: [usize; Severity::ALL_DESC.len()],
    /// Not-evaluated findings.
    pub not_evaluated: usize,
    /// Gaps.
    pub gaps: usize,
}

/// A scanned account's name and place in the organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountDetail {
    /// The 12-digit account id.
    pub account_id: String,
    /// Its name.
    pub name: Option<String>,
    /// Its OU path.
    pub ou_path: Option<String>,
}

/// Counts by status, and failing findings by severity.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Summary {
    /// All findings.
    pub total: usize,
    /// Findings per status (`fail`, `pass`, `not_evaluated`), every status present.
    pub by_status: BTreeMap<String, usize>,
    /// Failing findings per severity, every severity present.
    pub failing_by_severity: BTreeMap<String, usize>,
    /// Number of gaps.
    pub gaps: usize,
    /// Findings a `[[suppress]]` entry accepts (counted under their status too).
    pub suppressed: usize,
}

impl Summary {
    /// Counts the findings and gaps.
    pub fn of(findings: &[Box<Finding>], gaps: usize) -> Summary {
        // Counted in arrays (a million findings, no string per finding), named at the end.
        const STATUSES: [Status; 3] = [Status::Fail, Status::Pass, Status::NotEvaluated];
        let mut by_status = [0usize; STATUSES.len()];
        let mut by_severity = [0usize; Severity::ALL_DESC.len()];
        let mut suppressed = 0;
        for f in findings {
            suppressed += usize::from(f.suppressed.is_some());
            if let Some(i) = STATUSES.iter().position(|s| *s == f.status) {
                by_status[i] += 1;
            }
            if f.status == Status::Fail
                && let Some(i) = Severity::ALL_DESC.iter().position(|s| *s == f.severity)
            {
                by_severity[i] += 1;
            }
        }
        Summary {
            total: findings.len(),
            by_status: STATUSES
                .iter()
                .zip(by_status)
                .map(|(s, n)| (s.as_str().to_string(), n))
                .collect(),
            failing_by_severity: Severity::ALL_DESC
                .iter()
                .zip(by_severity)
                .map(|(s, n)| (s.as_str().to_string(), n))
                .collect(),
            gaps,
            suppressed,
        }
    }
}

/// What a report says about the scan itself, gathered from a whole snapshot or account by account
/// (an organization audit checks and drops each account as it arrives).
#[derive(Debug, Clone, Default)]
pub struct ScanFacts {
    accounts: Vec<String>,
    regions: std::collections::BTreeSet<String>,
    gaps: Vec<Gap>,
    details: Vec<AccountDetail>,
    named: bool,
    not_scanned: Vec<NotScanned>,
    started_at: String,
    shard: Option<crate::targets::Shard>,
    network: Vec<network::RegionNetwork>,
}

impl ScanFacts {
    /// The facts of a snapshot's header (when, what was not scanned), before any account.
    pub fn begin(header: &Snapshot) -> ScanFacts {
        ScanFacts {
            not_scanned: header.not_scanned.clone(),
            started_at: header.collected_at.clone(),
            shard: header.shard,
            ..ScanFacts::default()
        }
    }

    /// Adds one account (accounts come in account-id order).
    pub fn add(&mut self, account: &crate::snapshot::Account) {
        self.accounts.push(account.account_id.clone());
        self.regions
            .extend(account.regions.iter().map(|r| r.region.clone()));
        self.gaps.extend(account.gaps.iter().cloned());
        self.named |= account.name.is_some() || account.ou_path.is_some();
        self.details.push(AccountDetail {
            account_id: account.account_id.clone(),
            name: account.name.clone(),
            ou_path: account.ou_path.clone(),
        });
        self.network.extend(network::of_account(account));
    }

    /// The facts of a whole snapshot.
    pub fn of(snapshot: &Snapshot) -> ScanFacts {
        let mut facts = ScanFacts::begin(snapshot);
        for account in &snapshot.accounts {
            facts.add(account);
        }
        facts
    }
}

impl Report {
    /// Builds the report of a snapshot's findings by the checks that ran (in run order).
    pub fn new(
        snapshot: &Snapshot,
        findings: FindingList,
        checks: Vec<CheckInfo>,
        source: &str,
        finished_at: String,
    ) -> Report {
        Report::from_facts(
            ScanFacts::of(snapshot),
            findings,
            checks,
            source,
            finished_at,
        )
    }

    /// Builds the report from facts gathered account by account; `findings` in any order.
    pub fn from_facts(
        facts: ScanFacts,
        mut findings: FindingList,
        checks: Vec<CheckInfo>,
        source: &str,
        finished_at: String,
    ) -> Report {
        crate::checks::sort_findings(&mut findings);
        let mut gaps = facts.gaps;
        gaps.sort();
        let summary = Summary::of(&findings, gaps.len());
        Report {
            scan: ScanInfo {
                tool_version: crate::TOOL_VERSION.to_string(),
                accounts: facts.accounts,
                regions: facts.regions.into_iter().collect(),
                started_at: facts.started_at,
                finished_at,
                complete: gaps.is_empty(),
                source: source.to_string(),
                checks: checks.iter().map(|c| c.code.clone()).collect(),
                account_details: if facts.named {
                    facts.details
                } else {
                    Vec::new()
                },
                not_scanned: facts.not_scanned,
                compact_pass: false,
                shard: facts.shard,
            },
            checks,
            findings,
            gaps,
            suppressions: Vec::new(),
            summary,
            baseline: None,
            network: Some(facts.network),
        }
    }

    /// Applies the configuration's `[[suppress]]` entries, judged on the scan's day (when collection
    /// started, or the snapshot was collected), and recounts.
    pub fn suppress(&mut self, entries: &[crate::suppress::Suppression]) {
        if entries.is_empty() {
            return;
        }
        let day = crate::suppress::scan_day(&self.scan.started_at)
            .unwrap_or_else(|| time::OffsetDateTime::now_utc().date());
        self.suppressions =
            crate::suppress::apply(&mut self.findings, entries, day, self.scan.complete);
        self.summary = Summary::of(&self.findings, self.gaps.len());
    }

    /// What the report knows of the check `code`; `None` for a check this report has no catalog
    /// facts for (a report of another vpcwarden version read back), whose findings then render
    /// from their own text.
    pub fn check(&self, code: &str) -> Option<&CheckInfo> {
        self.checks.iter().find(|c| c.code == code)
    }

    /// One row per scanned account, in `scan.accounts` order: its name and OU path when known,
    /// failing findings by severity, not-evaluated findings and gaps. Counted in one pass over the
    /// findings and one over the gaps, whatever the number of accounts.
    pub fn account_counts(&self) -> Vec<AccountCounts> {
        let mut rows: Vec<AccountCounts> = self
            .scan
            .accounts
            .iter()
            .map(|id| AccountCounts {
                account_id: id.clone(),
                name: None,
                ou_path: None,
                failing: [0; Severity::ALL_DESC.len()],
                not_evaluated: 0,
                gaps: 0,
            })
            .collect();
        let index: std::collections::HashMap<&str, usize> = self
            .scan
            .accounts
            .iter()
            .enumerate()
            .map(|(i, id)| (id.as_str(), i))
            .collect();
        let at = |id: &str| index.get(id).copied();
        for d in &self.scan.account_details {
            if let Some(i) = at(&d.account_id) {
                rows[i].name = d.name.clone();
                rows[i].ou_path = d.ou_path.clone();
            }
        }
        for f in &self.findings {
            let Some(i) = at(&f.account_id) else { continue };
            match f.status {
                Status::Fail => {
                    if let Some(s) = Severity::ALL_DESC.iter().position(|s| *s == f.severity) {
                        rows[i].failing[s] += 1;
                    }
                }
                Status::NotEvaluated => rows[i].not_evaluated += 1,
                Status::Pass => {}
            }
        }
        for g in &self.gaps {
            if let Some(i) = at(&g.account_id) {
                rows[i].gaps += 1;
            }
        }
        rows
    }

    /// Whether a failing finding no `[[suppress]]` entry accepts is at or above `threshold`.
    pub fn fails_at(&self, threshold: Severity) -> bool {
        self.findings
            .iter()
            .any(|f| f.status == Status::Fail && f.severity >= threshold && f.suppressed.is_none())
    }

    /// Whether the scan counts as incomplete for the exit code: it had gaps, unless every finding
    /// they left not evaluated is suppressed by an entry naming its exact check and resource (a
    /// scan with gaps and no such finding stays incomplete).
    pub fn incomplete(&self) -> bool {
        if self.scan.complete {
            return false;
        }
        let mut unseen = self
            .findings
            .iter()
            .filter(|f| f.status == Status::NotEvaluated)
            .peekable();
        unseen.peek().is_none() || unseen.any(|f| f.suppressed.is_none())
    }
}

impl Report {
    /// The exit code of an audit that produced this report: 3 when a failing finding is at or above
    /// `fail_on` (against a baseline: a new failure, or one whose severity rose), else 4 when the scan was incomplete, else 0. Kept beside the data it reads, so a
    /// new way to fail a report changes one place.
    pub fn exit(&self, fail_on: Severity) -> crate::exit::Exit {
        let failing = match &self.baseline {
            // Against a baseline, only what is new (or worse) fails; a suppressed finding is not.
            Some(diff) => diff.fails_at(fail_on),
            None => self.fails_at(fail_on),
        };
        if failing {
            crate::exit::Exit::Failing
        } else if self.incomplete() {
            crate::exit::Exit::Incomplete
        } else {
            crate::exit::Exit::Clean
        }
    }
}

//! The report: findings, gaps and scan facts together, the one input of every renderer.

use crate::finding::{Finding, Severity, Status};
use crate::snapshot::{Gap, Snapshot};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The JSON schema name of [`Report`] (frozen: v1).
pub const REPORT_SCHEMA: &str = "vpcwarden.findings/v1";

/// A scan's findings and gaps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Always [`REPORT_SCHEMA`].
    pub schema: String,
    /// What was scanned, when, and whether it was complete.
    pub scan: ScanInfo,
    /// Every finding, sorted (see `checks::sort_findings`).
    pub findings: Vec<Finding>,
    /// Every collection gap, sorted.
    pub gaps: Vec<Gap>,
    /// Counts.
    pub summary: Summary,
}

/// What was scanned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
}

/// Counts by status, and failing findings by severity.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Summary {
    /// All findings.
    pub total: usize,
    /// Findings per status (`fail`, `pass`, `not_evaluated`), every status present.
    pub by_status: BTreeMap<String, usize>,
    /// Failing findings per severity, every severity present.
    pub failing_by_severity: BTreeMap<String, usize>,
    /// Number of gaps.
    pub gaps: usize,
}

impl Summary {
    /// Counts the findings and gaps.
    pub fn of(findings: &[Finding], gaps: usize) -> Summary {
        let mut by_status: BTreeMap<String, usize> =
            [Status::Fail, Status::Pass, Status::NotEvaluated]
                .iter()
                .map(|s| (s.as_str().to_string(), 0))
                .collect();
        let mut failing_by_severity: BTreeMap<String, usize> = Severity::ALL_DESC
            .iter()
            .map(|s| (s.as_str().to_string(), 0))
            .collect();
        for f in findings {
            *by_status.entry(f.status.as_str().to_string()).or_default() += 1;
            if f.status == Status::Fail {
                *failing_by_severity
                    .entry(f.severity.as_str().to_string())
                    .or_default() += 1;
            }
        }
        Summary {
            total: findings.len(),
            by_status,
            failing_by_severity,
            gaps,
        }
    }
}

impl Report {
    /// Builds the report of a snapshot's findings.
    pub fn new(
        snapshot: &Snapshot,
        findings: Vec<Finding>,
        checks: Vec<String>,
        source: &str,
        finished_at: String,
    ) -> Report {
        let mut gaps: Vec<Gap> = snapshot
            .accounts
            .iter()
            .flat_map(|a| a.gaps.iter().cloned())
            .collect();
        gaps.sort();
        let mut regions: Vec<String> = snapshot
            .accounts
            .iter()
            .flat_map(|a| a.regions.iter().map(|r| r.region.clone()))
            .collect();
        regions.sort();
        regions.dedup();
        let summary = Summary::of(&findings, gaps.len());
        Report {
            schema: REPORT_SCHEMA.to_string(),
            scan: ScanInfo {
                tool_version: crate::TOOL_VERSION.to_string(),
                accounts: snapshot
                    .accounts
                    .iter()
                    .map(|a| a.account_id.clone())
                    .collect(),
                regions,
                started_at: snapshot.collected_at.clone(),
                finished_at,
                complete: gaps.is_empty(),
                source: source.to_string(),
                checks,
            },
            findings,
            gaps,
            summary,
        }
    }

    /// Whether a failing finding is at or above `threshold`.
    pub fn fails_at(&self, threshold: Severity) -> bool {
        self.findings
            .iter()
            .any(|f| f.status == Status::Fail && f.severity >= threshold)
    }
}

impl Report {
    /// The exit code of an audit that produced this report: 3 when a failing finding is at or above
    /// `fail_on`, else 4 when the scan was incomplete, else 0. Kept beside the data it reads, so a
    /// new way to fail a report changes one place.
    pub fn exit(&self, fail_on: Severity) -> crate::exit::Exit {
        if self.fails_at(fail_on) {
            crate::exit::Exit::Failing
        } else if !self.scan.complete {
            crate::exit::Exit::Incomplete
        } else {
            crate::exit::Exit::Clean
        }
    }
}

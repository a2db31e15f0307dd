//! The JSON v1 report (`vpcwarden.findings/v1`): wire types of its own, frozen.
//!
//! These types are the documented format and nothing else: the internal [`Report`](internal::Report),
//! [`Finding`](crate::finding::Finding) and [`Gap`](crate::snapshot::Gap) may change freely, and
//! only the conversions here follow them. Field order is output order; a change here changes the
//! bytes of every v1 report (a golden test pins those of the demo account).

use crate::finding;
use crate::json_text::write_json_str;
use crate::report::{self as internal, CheckInfo};
use crate::snapshot;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The value of `schema`.
pub const SCHEMA: &str = "vpcwarden.findings/v1";

/// A v1 report document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Always [`SCHEMA`] when written by vpcwarden; readers check it.
    pub schema: String,
    /// What was scanned.
    pub scan: ScanInfo,
    /// Every finding, sorted.
    pub findings: Vec<Finding>,
    /// Every collection gap, sorted.
    pub gaps: Vec<Gap>,
    /// Added in 0.2 (absent when the configuration has none): each `[[suppress]]` entry and what
    /// became of it in this scan.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suppressions: Vec<Suppression>,
    /// Counts.
    pub summary: Summary,
    /// Added in 0.2: the network picture of each scanned account and region (absent from
    /// reports of earlier versions). Its shape is [`RegionNetwork`](super::network::RegionNetwork).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<Vec<super::network::RegionNetwork>>,
}

/// One entry of `suppressions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suppression {
    /// The line of its `[[suppress]]` header in the configuration file.
    pub line: usize,
    /// The check as written (code, slug or `*`).
    pub check: String,
    /// The resource ARN or glob as written.
    pub resource: String,
    /// What the findings it suppresses carry.
    #[serde(flatten)]
    pub record: Suppressed,
    /// `active`, `expired` (past its `expires` day: it suppressed nothing), `stale` (matched nothing
    /// in a complete scan) or `unmatched` (matched nothing in a scan with gaps).
    pub state: String,
    /// The failing or not-evaluated findings it covers (for an expired entry, would cover).
    pub matched: usize,
}

/// A finding's `suppressed`: the accepted risk's record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suppressed {
    /// Why the risk is accepted.
    pub reason: String,
    /// Who accepted it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// The last day the entry suppresses (`YYYY-MM-DD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// A ticket or change reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket: Option<String>,
}

impl From<&crate::suppress::Suppressed> for Suppressed {
    fn from(s: &crate::suppress::Suppressed) -> Suppressed {
        Suppressed {
            reason: s.reason.clone(),
            owner: s.owner.clone(),
            expires: s.expires.clone(),
            ticket: s.ticket.clone(),
        }
    }
}

impl From<Suppressed> for crate::suppress::Suppressed {
    fn from(s: Suppressed) -> crate::suppress::Suppressed {
        crate::suppress::Suppressed {
            reason: s.reason,
            owner: s.owner,
            expires: s.expires,
            ticket: s.ticket,
        }
    }
}

impl From<&crate::suppress::Outcome> for Suppression {
    fn from(o: &crate::suppress::Outcome) -> Suppression {
        Suppression {
            line: o.line,
            check: o.check.clone(),
            resource: o.resource.clone(),
            record: Suppressed::from(&o.record),
            state: o.state.as_str().to_string(),
            matched: o.matched,
        }
    }
}

/// `scan`: what was scanned, when, and whether it was complete.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanInfo {
    /// `vpcwarden X.Y.Z`.
    pub tool_version: String,
    /// Account ids, sorted.
    pub accounts: Vec<String>,
    /// Regions, sorted.
    pub regions: Vec<String>,
    /// When collection started (RFC 3339 UTC).
    pub started_at: String,
    /// When the checks finished (RFC 3339 UTC).
    pub finished_at: String,
    /// True when no API call failed.
    pub complete: bool,
    /// `live`, `snapshot` or `demo`.
    pub source: String,
    /// The codes of the checks that ran (v1 carries no more about them).
    pub checks: Vec<String>,
    /// Added in 0.2 (absent before, and when no account has a name): each scanned account's name
    /// and OU path, for organization runs and accounts files.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub account_details: Vec<AccountDetail>,
    /// Added in 0.2 (absent when empty): accounts an organization run found and did not scan
    /// (suspended or closing), with why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_scanned: Vec<NotScanned>,
    /// Added in 0.2 (absent unless true): `audit --compact-pass` wrote this report, so each
    /// passing finding carries only `id`, `code`, `severity`, `status`, `account_id`, `region`,
    /// `resource_type` and `resource_arn` (the catalog has the rest by code; a passing finding has
    /// no message or evidence worth a line per resource in a scan of 100,000 functions).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub compact_pass: bool,
    /// Added in 0.2 (absent for a whole run): the shard of an organization scan split over
    /// machines that this report covers, `{"index": 0, "count": 4}` (`audit --shard 0/4`);
    /// `vpcwarden merge` puts the shards back together.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<crate::targets::Shard>,
}

/// One entry of `scan.account_details`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountDetail {
    /// The 12-digit account id.
    pub account_id: String,
    /// Its name in the organization or the accounts file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its OU path (`/workloads/prod`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ou_path: Option<String>,
}

/// One entry of `scan.not_scanned`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotScanned {
    /// The 12-digit account id.
    pub account_id: String,
    /// Its name in the organization.
    pub name: String,
    /// Its state in the organization (`SUSPENDED`, ...).
    pub state: String,
    /// Why it was not scanned.
    pub reason: String,
}

/// A finding's severity as v1 spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs)]
pub enum Severity {
    Informational,
    Low,
    Medium,
    High,
    Critical,
}

/// A finding's status as v1 spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum Status {
    Fail,
    NotEvaluated,
    Pass,
}

/// One entry of `findings`. A passing finding of a compact report (`scan.compact_pass`) has no
/// `slug`, `title`, `message`, `evidence`, `compliance` or `remediation`: they read as empty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable id.
    pub id: String,
    /// Check code.
    pub code: String,
    /// Check slug.
    #[serde(default)]
    pub slug: String,
    /// Check title.
    #[serde(default)]
    pub title: String,
    /// Severity.
    pub severity: Severity,
    /// `fail`, `pass` or `not_evaluated`.
    pub status: Status,
    /// The account of the resource.
    pub account_id: String,
    /// The region of the resource, or `global`.
    pub region: String,
    /// ASFF resource type.
    pub resource_type: String,
    /// The resource's ARN.
    pub resource_arn: String,
    /// One sentence for people.
    #[serde(default)]
    pub message: String,
    /// Structured facts, keys sorted.
    #[serde(default)]
    pub evidence: Map<String, Value>,
    /// Compliance control ids.
    #[serde(default)]
    pub compliance: Vec<String>,
    /// What to do, in one paragraph.
    #[serde(default)]
    pub remediation: String,
    /// Added in 0.2 (absent unless a `[[suppress]]` entry accepts this risk): who accepted it, why
    /// and until when. The finding keeps its status; it does not count towards the exit code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<Suppressed>,
}

/// One entry of `gaps`: an API call that failed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gap {
    /// The account the call was for.
    pub account_id: String,
    /// The region, or `global`.
    pub region: String,
    /// The service.
    pub service: String,
    /// The API operation.
    pub operation: String,
    /// The resource the call was about, when the call was per resource.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// AWS's error code or a transport class.
    pub error_code: String,
    /// The error message.
    pub message: String,
}

/// `summary`: counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// All findings.
    pub total: usize,
    /// Findings per status, every status present.
    pub by_status: BTreeMap<String, usize>,
    /// Failing findings per severity, every severity present.
    pub failing_by_severity: BTreeMap<String, usize>,
    /// Number of gaps.
    pub gaps: usize,
    /// Added in 0.2 (absent when 0): findings a `[[suppress]]` entry accepts (counted in
    /// `by_status` and `failing_by_severity` too, under their own status).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub suppressed: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Report {
    /// The report as pretty JSON with a trailing newline: the `--format json` bytes.
    pub fn to_json(&self) -> String {
        // Plain data with string keys: serialisation cannot fail.
        let mut out = serde_json::to_string_pretty(self).unwrap_or_default();
        out.push('\n');
        out
    }

    /// The internal report. v1 names the checks that ran but carries none of their catalog facts
    /// (ASFF types, remediation URL), so `lookup` supplies them by code (an export passes today's
    /// registry); a code it does not know gets no [`CheckInfo`], and its findings render from
    /// their own text, as they always have.
    pub fn into_report(
        self,
        mut lookup: impl FnMut(&str) -> Option<CheckInfo>,
    ) -> internal::Report {
        let mut codes: Vec<&str> = Vec::new();
        let named = self.scan.checks.iter().map(String::as_str);
        for code in named.chain(self.findings.iter().map(|f| f.code.as_str())) {
            if !codes.contains(&code) {
                codes.push(code);
            }
        }
        let checks: Vec<CheckInfo> = codes.into_iter().filter_map(&mut lookup).collect();
        // A compact report's passing findings get their check's facts back from the catalog.
        // Findings of one check that say the same of it share one copy of what they say.
        let mut facts: Vec<Arc<finding::CheckFacts>> = Vec::new();
        let mut whole = |f: Finding| -> finding::Finding {
            let mut f = finding::Finding::from(f);
            if f.status == finding::Status::Pass
                && f.check.title.is_empty()
                && let Some(c) = checks.iter().find(|c| *c.code == *f.code())
            {
                f.check = Arc::new(finding::CheckFacts {
                    code: c.code.clone(),
                    slug: c.slug.clone(),
                    title: c.title.clone(),
                    compliance: c.compliance.clone(),
                    remediation: format!("{} See {}", c.remediation, c.remediation_url),
                });
            }
            match facts.iter().find(|known| **known == f.check) {
                Some(known) => f.check = known.clone(),
                None => facts.push(f.check.clone()),
            }
            f
        };
        let findings = self
            .findings
            .into_iter()
            .map(|f| Box::new(whole(f)))
            .collect();
        internal::Report {
            scan: internal::ScanInfo {
                tool_version: self.scan.tool_version,
                accounts: self.scan.accounts,
                regions: self.scan.regions,
                started_at: self.scan.started_at,
                finished_at: self.scan.finished_at,
                complete: self.scan.complete,
                source: self.scan.source,
                checks: self.scan.checks,
                account_details: self
                    .scan
                    .account_details
                    .into_iter()
                    .map(|a| internal::AccountDetail {
                        account_id: a.account_id,
                        name: a.name,
                        ou_path: a.ou_path,
                    })
                    .collect(),
                not_scanned: self
                    .scan
                    .not_scanned
                    .into_iter()
                    .map(|n| crate::snapshot::NotScanned {
                        account_id: n.account_id,
                        name: n.name,
                        state: n.state,
                        reason: n.reason,
                    })
                    .collect(),
                compact_pass: self.scan.compact_pass,
                shard: self.scan.shard,
            },
            checks,
            findings,
            gaps: self.gaps.into_iter().map(Into::into).collect(),
            suppressions: self
                .suppressions
                .into_iter()
                .map(|s| crate::suppress::Outcome {
                    line: s.line,
                    check: s.check,
                    resource: s.resource,
                    record: s.record.into(),
                    state: crate::suppress::EntryState::parse(&s.state),
                    matched: s.matched,
                })
                .collect(),
            summary: internal::Summary {
                total: self.summary.total,
                by_status: self.summary.by_status,
                failing_by_severity: self.summary.failing_by_severity,
                gaps: self.summary.gaps,
                suppressed: self.summary.suppressed,
            },
            baseline: None,
            network: self.network,
        }
    }
}

impl From<&internal::Report> for Report {
    fn from(r: &internal::Report) -> Report {
        Report {
            schema: SCHEMA.to_string(),
            scan: scan_of(r),
            findings: r.findings.iter().map(|f| Finding::from(&**f)).collect(),
            gaps: r.gaps.iter().map(Gap::from).collect(),
            suppressions: r.suppressions.iter().map(Suppression::from).collect(),
            summary: summary_of(r),
            network: r.network.clone(),
        }
    }
}

fn scan_of(r: &internal::Report) -> ScanInfo {
    ScanInfo {
        tool_version: r.scan.tool_version.clone(),
        accounts: r.scan.accounts.clone(),
        regions: r.scan.regions.clone(),
        started_at: r.scan.started_at.clone(),
        finished_at: r.scan.finished_at.clone(),
        complete: r.scan.complete,
        source: r.scan.source.clone(),
        checks: r.scan.checks.clone(),
        account_details: r
            .scan
            .account_details
            .iter()
            .map(|a| AccountDetail {
                account_id: a.account_id.clone(),
                name: a.name.clone(),
                ou_path: a.ou_path.clone(),
            })
            .collect(),
        not_scanned: r
            .scan
            .not_scanned
            .iter()
            .map(|n| NotScanned {
                account_id: n.account_id.clone(),
                name: n.name.clone(),
                state: n.state.clone(),
                reason: n.reason.clone(),
            })
            .collect(),
        compact_pass: r.scan.compact_pass,
        shard: r.scan.shard,
    }
}

fn summary_of(r: &internal::Report) -> Summary {
    Summary {
        total: r.summary.total,
        by_status: r.summary.by_status.clone(),
        failing_by_severity: r.summary.failing_by_severity.clone(),
        gaps: r.summary.gaps,
        suppressed: r.summary.suppressed,
    }
}

/// Writes `r` as the v1 document (the bytes of [`Report::to_json`] of its conversion) to `out`
/// as it is serialised: each finding is converted when its turn comes, so a report of a million
/// findings never exists twice in memory, nor as one string. The findings, nearly all of the
/// document, are serialised side by side, one worker per core, and written in their order.
pub fn write_json(r: &internal::Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    // The object as serde_json's pretty printer writes a struct: each field on a line of its
    // own, indented by two spaces, its value indented as deep.
    let mut first = true;
    let mut field = |out: &mut dyn std::io::Write, key: &str| -> std::io::Result<()> {
        out.write_all(if first { b"{\n  \"" } else { b",\n  \"" })?;
        first = false;
        out.write_all(key.as_bytes())?;
        out.write_all(b"\": ")
    };
    field(out, "schema")?;
    write_indented(&mut *out, &SCHEMA, 1)?;
    field(out, "scan")?;
    write_indented(&mut *out, &scan_of(r), 1)?;
    field(out, "findings")?;
    write_findings(out, &r.findings, r.scan.compact_pass)?;
    field(out, "gaps")?;
    write_indented(
        &mut *out,
        &r.gaps.iter().map(Gap::from).collect::<Vec<_>>(),
        1,
    )?;
    if !r.suppressions.is_empty() {
        let entries: Vec<Suppression> = r.suppressions.iter().map(Suppression::from).collect();
        field(out, "suppressions")?;
        write_indented(&mut *out, &entries, 1)?;
    }
    field(out, "summary")?;
    write_indented(&mut *out, &summary_of(r), 1)?;
    if let Some(network) = &r.network {
        field(out, "network")?;
        write_indented(&mut *out, network, 1)?;
    }
    out.write_all(b"\n}\n")
}

/// Writes `value` as pretty JSON nested `depth` levels deep (see [`Nested`]).
fn write_indented<W: std::io::Write>(
    out: W,
    value: &impl Serialize,
    depth: usize,
) -> std::io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(
        out,
        Nested {
            depth,
            has_value: false,
        },
    );
    value.serialize(&mut ser).map_err(std::io::Error::from)
}

/// serde_json's `PrettyFormatter` (two spaces a level) starting `depth` levels deep, so a value
/// serialised alone reads as it would inside the document.
struct Nested {
    depth: usize,
    has_value: bool,
}

impl Nested {
    fn line<W: ?Sized + std::io::Write>(&self, w: &mut W, lead: &[u8]) -> std::io::Result<()> {
        w.write_all(lead)?;
        for piece in indentation(self.depth) {
            w.write_all(piece)?;
        }
        Ok(())
    }

    fn open<W: ?Sized + std::io::Write>(&mut self, w: &mut W, b: &[u8]) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(b)
    }

    fn close<W: ?Sized + std::io::Write>(&mut self, w: &mut W, b: &[u8]) -> std::io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.line(w, b"\n")?;
        }
        w.write_all(b)
    }
}

impl serde_json::ser::Formatter for Nested {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.line(w, if first { b"\n" } else { b",\n" })
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.line(w, if first { b"\n" } else { b",\n" })
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// The `findings` array, at the first level of the document. Blocks of findings are serialised
/// by one worker per core while the blocks before them are written, so the writer holds a few
/// blocks (a few MB), not the document.
fn write_findings(
    out: &mut dyn std::io::Write,
    findings: &[Box<finding::Finding>],
    compact_pass: bool,
) -> std::io::Result<()> {
    const BLOCK: usize = 256;
    if findings.is_empty() {
        return out.write_all(b"[]");
    }
    out.write_all(b"[")?;
    let block = |from: usize,
                 part: &[Box<finding::Finding>],
                 mut buf: Vec<u8>|
     -> std::io::Result<Vec<u8>> {
        buf.clear();
        for (i, f) in part.iter().enumerate() {
            buf.extend_from_slice(if from + i == 0 { b"\n    " } else { b",\n    " });
            if compact_pass && f.status == finding::Status::Pass {
                write_compact_pass(&mut buf, f)?;
            } else {
                write_finding(&mut buf, f)?;
            }
        }
        Ok(buf)
    };
    let workers = std::thread::available_parallelism()
        .map(usize::from)
        .unwrap_or(1)
        .clamp(1, 8);
    let blocks: Vec<&[Box<finding::Finding>]> = findings.chunks(BLOCK).collect();
    std::thread::scope(|scope| -> std::io::Result<()> {
        // Worker `w` serialises blocks w, w + workers, ... and hands each over through a channel
        // of one: it runs at most a block ahead of the writer, which takes the blocks in order.
        // Each written block's buffer goes back to its worker for a later block: the writer's
        // memory stays a few buffers, however long the report.
        let lanes: Vec<_> = (0..workers)
            .map(|w| {
                let (tx, rx) = std::sync::mpsc::sync_channel::<std::io::Result<Vec<u8>>>(1);
                let (recycle, recycled) = std::sync::mpsc::channel::<Vec<u8>>();
                let blocks = &blocks;
                scope.spawn(move || {
                    for k in (w..blocks.len()).step_by(workers) {
                        let buf = recycled.try_recv().unwrap_or_default();
                        if tx.send(block(k * BLOCK, blocks[k], buf)).is_err() {
                            // The writer stopped (an error): nothing more is wanted.
                            return;
                        }
                    }
                });
                (rx, recycle)
            })
            .collect();
        for k in 0..blocks.len() {
            let (rx, recycle) = &lanes[k % workers];
            match rx.recv() {
                Ok(buf) => {
                    let buf = buf?;
                    out.write_all(&buf)?;
                    // A worker that has finished no longer takes buffers back.
                    let _ = recycle.send(buf);
                }
                // A worker that ended early panicked: the scope surfaces its panic.
                Err(_) => break,
            }
        }
        Ok(())
    })?;
    out.write_all(b"\n  ]")
}

/// A passing finding of a compact report as an element of the document's findings array: the
/// bytes [`write_indented`] writes for [`CompactPassView`] at depth 2 (a test compares them),
/// written field by field. Three of four findings of a large scan are these; through serde's
/// machinery they were most of the writer's time.
fn write_compact_pass(buf: &mut Vec<u8>, f: &finding::Finding) -> std::io::Result<()> {
    buf.push(b'{');
    // What identifies it: the finding's strings but its check's slug and title and its message.
    write_string_fields(
        buf,
        string_fields(f)
            .into_iter()
            .filter(|(key, _)| !matches!(*key, b"slug" | b"title" | b"message")),
    );
    buf.extend_from_slice(b"\n    }");
    Ok(())
}

/// A finding's members whose values are strings, in the order of [`FindingView`].
fn string_fields(f: &finding::Finding) -> [(&'static [u8], &str); 11] {
    [
        (b"id", &f.id),
        (b"code", f.code()),
        (b"slug", f.slug()),
        (b"title", f.title()),
        (b"severity", f.severity.as_str()),
        (b"status", f.status.as_str()),
        (b"account_id", &f.account_id),
        (b"region", &f.region),
        (b"resource_type", &f.resource_type),
        (b"resource_arn", &f.resource_arn),
        (b"message", &f.message),
    ]
}

/// A finding as an element of the document's findings array: the bytes [`write_indented`]
/// writes for its [`FindingView`] at depth 2 (a test compares them), written field by field, its
/// evidence re-indented from the compact text it is held as. Escaping strings through serde's
/// serializer a byte at a time, and parsing the evidence again to transcode it, were most of the
/// writer's time. A suppressed finding (few) is written through serde.
fn write_finding(buf: &mut Vec<u8>, f: &finding::Finding) -> std::io::Result<()> {
    if f.suppressed.is_some() {
        return write_indented(buf, &FindingView::from(f), 2);
    }
    buf.push(b'{');
    write_string_fields(buf, string_fields(f));
    buf.extend_from_slice(b",\n      \"evidence\": ");
    write_reindented(buf, f.evidence.as_json().as_bytes(), 3);
    buf.extend_from_slice(b",\n      \"compliance\": [");
    let compliance = f.compliance();
    for (i, item) in compliance.iter().enumerate() {
        buf.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
        indent(buf, 4);
        write_json_str(buf, item);
    }
    if !compliance.is_empty() {
        buf.push(b'\n');
        indent(buf, 3);
    }
    buf.push(b']');
    buf.extend_from_slice(b",\n      \"remediation\": ");
    write_json_str(buf, f.remediation());
    buf.extend_from_slice(b"\n    }");
    Ok(())
}

/// The members of a finding object (depth 3) whose values are strings, the first one opening it.
fn write_string_fields<'a>(
    buf: &mut Vec<u8>,
    fields: impl IntoIterator<Item = (&'static [u8], &'a str)>,
) {
    for (i, (key, value)) in fields.into_iter().enumerate() {
        buf.extend_from_slice(if i == 0 {
            b"\n      \""
        } else {
            b",\n      \""
        });
        buf.extend_from_slice(key);
        buf.extend_from_slice(b"\": ");
        write_json_str(buf, value);
    }
}

/// The indentation of a line `depth` levels deep (two spaces a level, as serde_json's pretty
/// printer), in pieces of at most 32 spaces: evidence may nest without bound.
fn indentation(depth: usize) -> impl Iterator<Item = &'static [u8]> {
    static SPACES: [u8; 32] = [b' '; 32];
    let n = 2 * depth;
    (0..n)
        .step_by(SPACES.len())
        .map(move |at| &SPACES[..(n - at).min(SPACES.len())])
}

/// [`indentation`] into a buffer.
fn indent(buf: &mut Vec<u8>, depth: usize) {
    for piece in indentation(depth) {
        buf.extend_from_slice(piece);
    }
}

/// Compact JSON text (as serde_json writes it: no whitespace) as serde_json's pretty printer
/// writes the same value starting `depth` levels deep: a member or element a line each, `": "`
/// after a key, an empty object or array as `{}` or `[]`. Strings and numbers are copied as they
/// are: serde_json wrote them, and parsing and writing them again gives the same bytes.
fn write_reindented(buf: &mut Vec<u8>, compact: &[u8], mut depth: usize) {
    let mut i = 0;
    while let Some(&b) = compact.get(i) {
        match b {
            b'"' => {
                // To the closing quote, over escaped characters.
                let mut j = i + 1;
                while let Some(&c) = compact.get(j) {
                    j += 1;
                    match c {
                        b'\\' => j += 1,
                        b'"' => break,
                        _ => {}
                    }
                }
                let end = j.min(compact.len());
                buf.extend_from_slice(&compact[i..end]);
                i = end;
                continue;
            }
            b'{' | b'[' => {
                let close = if b == b'{' { b'}' } else { b']' };
                buf.push(b);
                if compact.get(i + 1) == Some(&close) {
                    buf.push(close);
                    i += 2;
                    continue;
                }
                depth += 1;
                buf.push(b'\n');
                indent(buf, depth);
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                buf.push(b'\n');
                indent(buf, depth);
                buf.push(b);
            }
            b',' => {
                buf.extend_from_slice(b",\n");
                indent(buf, depth);
            }
            b':' => buf.extend_from_slice(b": "),
            _ => buf.push(b),
        }
        i += 1;
    }
}

/// A passing finding of a compact report: [`Finding`]'s fields that identify it, in its order
/// (what [`write_compact_pass`] writes by hand; the test that compares the two uses it).
#[cfg(test)]
#[derive(Serialize)]
struct CompactPassView<'a> {
    id: &'a str,
    code: &'a str,
    severity: Severity,
    status: Status,
    account_id: &'a str,
    region: &'a str,
    resource_type: &'a str,
    resource_arn: &'a str,
}

#[cfg(test)]
impl<'a> From<&'a finding::Finding> for CompactPassView<'a> {
    fn from(f: &'a finding::Finding) -> CompactPassView<'a> {
        CompactPassView {
            id: &f.id,
            code: f.code(),
            severity: f.severity.into(),
            status: f.status.into(),
            account_id: &f.account_id,
            region: &f.region,
            resource_type: &f.resource_type,
            resource_arn: &f.resource_arn,
        }
    }
}

/// [`Finding`] borrowed from an internal finding: the same fields in the same order, so the same
/// bytes (a test compares the two), without cloning a million findings' evidence to write them.
#[derive(Serialize)]
struct FindingView<'a> {
    id: &'a str,
    code: &'a str,
    slug: &'a str,
    title: &'a str,
    severity: Severity,
    status: Status,
    account_id: &'a str,
    region: &'a str,
    resource_type: &'a str,
    resource_arn: &'a str,
    message: &'a str,
    evidence: &'a finding::Evidence,
    compliance: &'a [String],
    remediation: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressed: Option<Suppressed>,
}

impl<'a> From<&'a finding::Finding> for FindingView<'a> {
    fn from(f: &'a finding::Finding) -> FindingView<'a> {
        FindingView {
            id: &f.id,
            code: f.code(),
            slug: f.slug(),
            title: f.title(),
            severity: f.severity.into(),
            status: f.status.into(),
            account_id: &f.account_id,
            region: &f.region,
            resource_type: &f.resource_type,
            resource_arn: &f.resource_arn,
            message: &f.message,
            evidence: &f.evidence,
            compliance: f.compliance(),
            remediation: f.remediation(),
            suppressed: f.suppressed.as_deref().map(Suppressed::from),
        }
    }
}

/// The internal finding writes as its v1 form (tests snapshot it so).
impl Serialize for finding::Finding {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        FindingView::from(self).serialize(s)
    }
}

impl<'de> Deserialize<'de> for finding::Finding {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<finding::Finding, D::Error> {
        Finding::deserialize(d).map(finding::Finding::from)
    }
}

impl From<finding::Severity> for Severity {
    fn from(s: finding::Severity) -> Severity {
        match s {
            finding::Severity::Informational => Severity::Informational,
            finding::Severity::Low => Severity::Low,
            finding::Severity::Medium => Severity::Medium,
            finding::Severity::High => Severity::High,
            finding::Severity::Critical => Severity::Critical,
        }
    }
}

impl From<Severity> for finding::Severity {
    fn from(s: Severity) -> finding::Severity {
        match s {
            Severity::Informational => finding::Severity::Informational,
            Severity::Low => finding::Severity::Low,
            Severity::Medium => finding::Severity::Medium,
            Severity::High => finding::Severity::High,
            Severity::Critical => finding::Severity::Critical,
        }
    }
}

impl From<finding::Status> for Status {
    fn from(s: finding::Status) -> Status {
        match s {
            finding::Status::Fail => Status::Fail,
            finding::Status::NotEvaluated => Status::NotEvaluated,
            finding::Status::Pass => Status::Pass,
        }
    }
}

impl From<Status> for finding::Status {
    fn from(s: Status) -> finding::Status {
        match s {
            Status::Fail => finding::Status::Fail,
            Status::NotEvaluated => finding::Status::NotEvaluated,
            Status::Pass => finding::Status::Pass,
        }
    }
}

impl From<&finding::Finding> for Finding {
    fn from(f: &finding::Finding) -> Finding {
        Finding {
            id: f.id.to_string(),
            code: f.code().to_string(),
            slug: f.slug().to_string(),
            title: f.title().to_string(),
            severity: f.severity.into(),
            status: f.status.into(),
            account_id: f.account_id.to_string(),
            region: f.region.to_string(),
            resource_type: f.resource_type.to_string(),
            resource_arn: f.resource_arn.to_string(),
            message: f.message.to_string(),
            evidence: f.evidence.to_map(),
            compliance: f.compliance().to_vec(),
            remediation: f.remediation().to_string(),
            suppressed: f.suppressed.as_deref().map(Suppressed::from),
        }
    }
}

impl From<Finding> for finding::Finding {
    fn from(f: Finding) -> finding::Finding {
        finding::Finding {
            id: f.id.into(),
            check: Arc::new(finding::CheckFacts {
                code: f.code,
                slug: f.slug,
                title: f.title,
                compliance: f.compliance,
                remediation: f.remediation,
            }),
            severity: f.severity.into(),
            status: f.status.into(),
            account_id: f.account_id.into(),
            region: f.region.into(),
            resource_type: f.resource_type.into(),
            resource_arn: f.resource_arn.into(),
            message: f.message.into(),
            evidence: finding::Evidence::from_map(&f.evidence),
            suppressed: f.suppressed.map(|s| std::sync::Arc::new(s.into())),
        }
    }
}

impl From<&snapshot::Gap> for Gap {
    fn from(g: &snapshot::Gap) -> Gap {
        Gap {
            account_id: g.account_id.clone(),
            region: g.region.clone(),
            service: g.service.clone(),
            operation: g.operation.clone(),
            resource: g.resource.clone(),
            error_code: g.error_code.clone(),
            message: g.message.clone(),
        }
    }
}

impl From<Gap> for snapshot::Gap {
    fn from(g: Gap) -> snapshot::Gap {
        snapshot::Gap {
            account_id: g.account_id,
            region: g.region,
            service: g.service,
            operation: g.operation,
            resource: g.resource,
            error_code: g.error_code,
            message: g.message,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_borrowed_finding_writes_the_bytes_of_the_owned_one() {
        let mut evidence = Map::new();
        evidence.insert("a".into(), serde_json::json!({"z": [1, "x"], "b": null}));
        evidence.insert("function_name".into(), "f\"<x>".into());
        let f = finding::Finding {
            id: "0123456789abcdef0123456789abcdef".into(),
            check: Arc::new(finding::CheckFacts {
                code: "LAMBDA001".into(),
                slug: "function-policy-public".into(),
                title: "t".into(),
                compliance: vec!["Lambda.1".into(), "X.2".into()],
                remediation: "r".into(),
            }),
            severity: finding::Severity::Critical,
            status: finding::Status::NotEvaluated,
            account_id: "123456789012".into(),
            region: "eu-west-1".into(),
            resource_type: "AwsLambdaFunction".into(),
            resource_arn: "arn:aws:lambda:eu-west-1:123456789012:function:f".into(),
            message: "m\u{e9}".into(),
            evidence: finding::Evidence::from_map(&evidence),
            suppressed: Some(std::sync::Arc::new(crate::suppress::Suppressed {
                reason: "accepted".into(),
                owner: Some("team".into()),
                expires: Some("2027-01-31".into()),
                ticket: None,
            })),
        };
        let owned = serde_json::to_string_pretty(&Finding::from(&f)).expect("owned");
        let borrowed = serde_json::to_string_pretty(&FindingView::from(&f)).expect("borrowed");
        assert_eq!(borrowed, owned);
        // And it reads back as the v1 type.
        let back: Finding = serde_json::from_str(&borrowed).expect("v1");
        assert_eq!(finding::Finding::from(back), f);
    }

    /// The hand-written compact pass has the bytes serde's pretty printer gives its view, with
    /// every string that needs escaping (a hand-written report read back can carry any text).
    #[test]
    fn a_compact_pass_is_written_as_serde_writes_its_view() {
        for (id, arn) in [
            (
                "0123456789abcdef0123456789abcdef",
                "arn:aws:lambda:eu-west-1:123456789012:function:f",
            ),
            (
                "not-hex \"id\"",
                "arn:x:\"quoted\"\\back\u{1}\u{7f}\u{e9}\u{2028}\n\t",
            ),
        ] {
            let f = finding::Finding {
                id: id.into(),
                check: Arc::new(finding::CheckFacts {
                    code: "LAMBDA\"001".into(),
                    ..finding::CheckFacts::default()
                }),
                severity: finding::Severity::Informational,
                status: finding::Status::Pass,
                account_id: "123456789012".into(),
                region: "eu-west-1".into(),
                resource_type: "Aws<Lambda>Function".into(),
                resource_arn: arn.into(),
                message: Box::default(),
                evidence: finding::Evidence::default(),
                suppressed: None,
            };
            let mut by_hand = Vec::new();
            write_compact_pass(&mut by_hand, &f).expect("to memory");
            let mut by_serde = Vec::new();
            write_indented(&mut by_serde, &CompactPassView::from(&f), 2).expect("to memory");
            assert_eq!(
                String::from_utf8(by_hand),
                String::from_utf8(by_serde),
                "{arn}"
            );
        }
    }

    #[test]
    fn indentation_is_two_spaces_a_level_at_any_depth() {
        for depth in 0..40 {
            assert_eq!(
                indentation(depth).collect::<Vec<_>>().concat(),
                vec![b' '; 2 * depth]
            );
        }
    }

    #[test]
    fn a_finding_is_written_as_serde_writes_its_view() {
        use crate::json_text::tests::{AWKWARD as awkward, awkward_object};
        let map = awkward_object();
        for (evidence, compliance, message) in [
            (
                finding::Evidence::from_map(&map),
                vec!["Lambda.1".to_string(), awkward.to_string()],
                awkward,
            ),
            (finding::Evidence::default(), Vec::new(), ""),
            (
                finding::Evidence::from_map(&Map::new()),
                vec!["one".to_string()],
                "plain",
            ),
        ] {
            for status in [
                finding::Status::Fail,
                finding::Status::NotEvaluated,
                finding::Status::Pass,
            ] {
                let f = finding::Finding {
                    id: "0123456789abcdef0123456789abcdef".into(),
                    check: Arc::new(finding::CheckFacts {
                        code: "LAMBDA001".into(),
                        slug: "function-policy-public".into(),
                        title: awkward.into(),
                        compliance: compliance.clone(),
                        remediation: "Remove it: aws lambda remove-permission \"--x\"".into(),
                    }),
                    severity: finding::Severity::Critical,
                    status,
                    account_id: "123456789012".into(),
                    region: "eu-west-1".into(),
                    resource_type: "AwsLambdaFunction".into(),
                    resource_arn: "arn:aws:lambda:eu-west-1:123456789012:function:f".into(),
                    message: message.into(),
                    evidence: evidence.clone(),
                    suppressed: None,
                };
                let mut by_hand = Vec::new();
                write_finding(&mut by_hand, &f).expect("to memory");
                let mut by_serde = Vec::new();
                write_indented(&mut by_serde, &FindingView::from(&f), 2).expect("to memory");
                assert_eq!(
                    String::from_utf8(by_hand).expect("utf-8"),
                    String::from_utf8(by_serde).expect("utf-8"),
                    "{:?}",
                    f.evidence
                );
            }
        }
    }

    #[test]
    fn severities_and_statuses_keep_their_v1_spelling() {
        for s in finding::Severity::ALL_DESC {
            let wire = serde_json::to_value(Severity::from(s)).expect("severity");
            assert_eq!(wire, s.as_str());
            assert_eq!(finding::Severity::from(Severity::from(s)), s);
        }
        for s in [
            finding::Status::Fail,
            finding::Status::NotEvaluated,
            finding::Status::Pass,
        ] {
            let wire = serde_json::to_value(Status::from(s)).expect("status");
            assert_eq!(wire, s.as_str());
            assert_eq!(finding::Status::from(Status::from(s)), s);
        }
    }
}

//! The outputs of `vpcwarden diff`: a table for the terminal, JSON (`vpcwarden.diff/v1`) for
//! programs, Markdown for a pull request or a chat message.

use super::table::{new_table, short_arn};
use crate::diff::{Category, DIFF_SCHEMA, Diff, Entry, ScanSide, Verdict};
use crate::finding::Severity;
use comfy_table::Cell;
use serde::Serialize;
use std::fmt::Write;

/// The formats of a diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// A counts line, then a table per non-empty category.
    Table,
    /// JSON (`vpcwarden.diff/v1`).
    Json,
    /// Markdown for a pull request or chat message: a heading, the counts, a table per category.
    Markdown,
}

/// The most rows a Markdown table shows; the rest are counted ("and N more").
pub const MARKDOWN_ROWS: usize = 50;

/// Writes the diff in `format` to `out`.
pub fn write(diff: &Diff, format: DiffFormat, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    match format {
        DiffFormat::Table => out.write_all(table(diff).as_bytes()),
        DiffFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &Document::of(diff))?;
            out.write_all(b"\n")
        }
        DiffFormat::Markdown => out.write_all(markdown(diff).as_bytes()),
    }
}

/// The counts, one per category and the findings not listed: `2 new, 1 resolved, ...`.
fn counts_line(diff: &Diff) -> String {
    let mut parts: Vec<String> = Category::ALL
        .iter()
        .map(|c| format!("{} {}", diff.counts.of(*c), c.label()))
        .collect();
    parts.push(format!(
        "{} not listed (passing, or gone without failing)",
        diff.counts.not_listed
    ));
    parts.join(", ")
}

/// `audit --baseline`'s one line: the baseline, the counts, and what the exit code considers.
pub fn baseline_line(diff: &Diff) -> String {
    format!(
        "Against baseline {}: {}. The exit code considers new failures (and failures whose severity rose) only.",
        side_words(&diff.old),
        counts_line(diff)
    )
}

/// `old.json (scan of 2026-11-01T09:00:00Z, vpcwarden 0.1.0, with gaps)`.
fn side_words(side: &ScanSide) -> String {
    format!(
        "{} (scan of {}, {}{})",
        side.report.as_deref().unwrap_or("-"),
        side.started_at,
        side.tool_version,
        if side.complete { "" } else { ", with gaps" }
    )
}

/// `fail (high)`, `pass`, `not_evaluated`, or `absent` (`gone` for a resolved finding's new side).
fn verdict_words(v: Option<Verdict>, gone: bool) -> String {
    match v {
        None if gone => "gone".to_string(),
        None => "absent".to_string(),
        Some(v) if v.status == crate::finding::Status::Fail => format!("fail ({})", v.severity),
        Some(v) => v.status.as_str().to_string(),
    }
}

/// `absent → fail (high)`, and `, suppressed: REASON` when NEW accepts the risk.
fn transition(e: &Entry) -> String {
    format!(
        "{} → {}{}",
        verdict_words(e.old, false),
        verdict_words(e.new, e.category == Category::Resolved),
        e.suppressed
            .as_ref()
            .map(|s| format!(", suppressed: {}", s.reason))
            .unwrap_or_default()
    )
}

/// A counts line, the two reports, then one table per non-empty category.
pub fn table(diff: &Diff) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}.", counts_line(diff));
    let _ = writeln!(out, "old: {}", side_words(&diff.old));
    let _ = writeln!(out, "new: {}", side_words(&diff.new));
    for category in Category::ALL {
        let n = diff.counts.of(category);
        if n == 0 {
            continue;
        }
        let mut table = new_table();
        let mut header = vec![
            "Severity",
            "Check",
            "Account\nRegion",
            "Resource",
            "Was → Now",
        ];
        if category == Category::NotComparable {
            header.push("Why");
        }
        table.set_header(header);
        for e in diff.of(category) {
            let check = match &e.slug {
                Some(slug) => format!("{} {slug}", e.code),
                None => e.code.clone(),
            };
            let mut row = vec![
                Cell::new(e.severity().as_str()),
                Cell::new(check),
                Cell::new(format!("{}\n{}", e.account_id, e.region)),
                Cell::new(short_arn(&e.resource_arn)),
                Cell::new(transition(e)),
            ];
            if let Some(why) = e.reason_sentence() {
                row.push(Cell::new(why));
            }
            table.add_row(row);
        }
        let _ = writeln!(out, "\n{} ({n}):\n{table}", category.heading());
    }
    out
}

/// A cell's text with what would end a Markdown table cell or line escaped.
fn md(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}

/// `text` as inline code, with a fence longer than any run of backticks inside it.
fn md_code(text: &str) -> String {
    let longest = text
        .split(|c| c != '`')
        .map(str::len)
        .max()
        .unwrap_or_default();
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    md(&format!("{fence}{pad}{text}{pad}{fence}"))
}

/// A heading, the counts, the two reports, and one table per non-empty category (at most
/// [`MARKDOWN_ROWS`] rows each): for a pull request or chat message.
pub fn markdown(diff: &Diff) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## vpcwarden: changes between two scans\n");
    let mut counts: Vec<String> = Category::ALL
        .iter()
        .map(|c| {
            let n = diff.counts.of(*c);
            if *c == Category::New && n > 0 {
                format!("**{n} {}**", c.label())
            } else {
                format!("{n} {}", c.label())
            }
        })
        .collect();
    counts.push(format!("{} not listed", diff.counts.not_listed));
    let _ = writeln!(out, "{}\n", counts.join(" · "));
    let side = |s: &ScanSide| {
        format!(
            "{}, scan of {} ({}{})",
            md_code(s.report.as_deref().unwrap_or("-")),
            md(&s.started_at),
            md(&s.tool_version),
            if s.complete { "" } else { ", with gaps" }
        )
    };
    let _ = writeln!(out, "Old: {}  \nNew: {}", side(&diff.old), side(&diff.new));
    for category in Category::ALL {
        let n = diff.counts.of(category);
        if n == 0 {
            continue;
        }
        let _ = writeln!(out, "\n### {} ({n})\n", category.heading());
        let why = category == Category::NotComparable;
        out.push_str("| Severity | Check | Resource | Account | Region | Was → Now |");
        out.push_str(if why { " Why |\n" } else { "\n" });
        out.push_str("|---|---|---|---|---|---|");
        out.push_str(if why { "---|\n" } else { "\n" });
        for e in diff.of(category).take(MARKDOWN_ROWS) {
            let check = match &e.title {
                Some(title) => format!("{} {}", md_code(&e.code), md(title)),
                None => md_code(&e.code),
            };
            let _ = write!(
                out,
                "| {} | {check} | {} | {} | {} | {} |",
                e.severity(),
                md_code(short_arn(&e.resource_arn)),
                md(&e.account_id),
                md(&e.region),
                md(&transition(e))
            );
            if let Some(reason) = e.reason_sentence() {
                let _ = write!(out, " {} |", md(&reason));
            }
            out.push('\n');
        }
        if n > MARKDOWN_ROWS {
            let _ = writeln!(
                out,
                "\n_…and {} more (`vpcwarden diff --format json` lists them all)._",
                n - MARKDOWN_ROWS
            );
        }
    }
    out
}

/// The JSON document. Field order is output order.
#[derive(Serialize)]
struct Document<'a> {
    schema: &'static str,
    old: SideView<'a>,
    new: SideView<'a>,
    summary: SummaryView,
    findings: Vec<EntryView<'a>>,
}

impl<'a> Document<'a> {
    fn of(diff: &'a Diff) -> Document<'a> {
        Document {
            schema: DIFF_SCHEMA,
            old: SideView::from(&diff.old),
            new: SideView::from(&diff.new),
            summary: SummaryView {
                new: diff.counts.new,
                resolved: diff.counts.resolved,
                changed: diff.counts.changed,
                not_comparable: diff.counts.not_comparable,
                still_failing: diff.counts.still_failing,
                not_listed: diff.counts.not_listed,
            },
            findings: diff.entries.iter().map(EntryView::from).collect(),
        }
    }
}

/// `old` and `new`: which report, and what it says of its scan.
#[derive(Serialize)]
struct SideView<'a> {
    report: Option<&'a str>,
    tool_version: &'a str,
    started_at: &'a str,
    finished_at: &'a str,
    complete: bool,
    accounts: &'a [String],
    regions: &'a [String],
}

impl<'a> From<&'a ScanSide> for SideView<'a> {
    fn from(s: &'a ScanSide) -> SideView<'a> {
        SideView {
            report: s.report.as_deref(),
            tool_version: &s.tool_version,
            started_at: &s.started_at,
            finished_at: &s.finished_at,
            complete: s.complete,
            accounts: &s.accounts,
            regions: &s.regions,
        }
    }
}

/// `summary`: a count per category, and of the findings not listed.
#[derive(Serialize)]
struct SummaryView {
    new: usize,
    resolved: usize,
    changed: usize,
    not_comparable: usize,
    still_failing: usize,
    not_listed: usize,
}

/// One entry of `findings`. Every field is always present: `null` for a side that has no such
/// finding, a title no side carries, and the reason of an entry that is comparable.
#[derive(Serialize)]
struct EntryView<'a> {
    id: &'a str,
    category: &'static str,
    code: &'a str,
    slug: Option<&'a str>,
    title: Option<&'a str>,
    severity: Severity,
    old_status: &'static str,
    new_status: &'static str,
    old_severity: Option<Severity>,
    new_severity: Option<Severity>,
    account_id: &'a str,
    region: &'a str,
    resource_type: &'a str,
    resource_arn: &'a str,
    reason: Option<ReasonView<'a>>,
    /// NEW's `[[suppress]]` record, when it accepts the risk (absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressed: Option<&'a crate::report::v1::Suppressed>,
}

/// `reason`: its kind, the sentence, and the gap it names.
#[derive(Serialize)]
struct ReasonView<'a> {
    kind: &'static str,
    message: String,
    gap: Option<&'a crate::report::v1::Gap>,
}

impl<'a> From<&'a Entry> for EntryView<'a> {
    fn from(e: &'a Entry) -> EntryView<'a> {
        let status = |v: Option<Verdict>| v.map_or("absent", |v| v.status.as_str());
        EntryView {
            id: &e.id,
            category: e.category.as_str(),
            code: &e.code,
            slug: e.slug.as_deref(),
            title: e.title.as_deref(),
            severity: e.severity(),
            old_status: status(e.old),
            new_status: status(e.new),
            old_severity: e.old.map(|v| v.severity),
            new_severity: e.new.map(|v| v.severity),
            account_id: &e.account_id,
            region: &e.region,
            resource_type: &e.resource_type,
            resource_arn: &e.resource_arn,
            reason: e.reason.as_ref().map(|r| ReasonView {
                kind: r.kind(),
                message: e.reason_sentence().unwrap_or_default(),
                gap: r.gap(),
            }),
            suppressed: e.suppressed.as_ref(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_cells_cannot_break_the_table() {
        assert_eq!(md("a|b\nc"), "a\\|b c");
        assert_eq!(md_code("x`y"), "``x`y``");
        assert_eq!(md_code("`x"), "`` `x ``");
        assert_eq!(md_code("a|b"), "`a\\|b`");
    }
}

//! Table output for people at a terminal (comfy-table).

use super::RenderOptions;
use crate::diff::Category;
use crate::finding::{Severity, Status};
use crate::report::Report;
use comfy_table::{Cell, Color, ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use std::fmt::Write;

/// Failing and not-evaluated findings (passing too with `show_passed`, suppressed too with
/// `show_suppressed`), a summary line, the suppression entries that need attention, then the gaps.
pub fn render(report: &Report, options: RenderOptions) -> String {
    let mut out = String::new();
    if report.scan.accounts.len() > 1 || !report.scan.not_scanned.is_empty() {
        accounts_summary(report, &mut out);
    }
    let rows: Vec<_> = report
        .findings
        .iter()
        .filter(|f| options.show_passed || f.status != Status::Pass)
        .filter(|f| options.show_suppressed || f.suppressed.is_none())
        .collect();
    // Against a baseline: what is new or worse since, by finding id.
    let marks: std::collections::HashMap<&str, &crate::diff::Entry> = report
        .baseline
        .iter()
        .flat_map(|d| d.entries.iter())
        .filter(|e| matches!(e.category, Category::New | Category::Changed))
        .map(|e| (e.id.as_str(), e))
        .collect();
    if rows.is_empty() {
        out.push_str("No failing findings.\n");
    } else if !options.long {
        let plain: Vec<&crate::finding::Finding> = rows.iter().map(|f| &***f).collect();
        compact(report, &plain, &marks, options, &mut out);
    } else {
        let mut table = new_table();
        table.set_header(vec![
            "Severity", "Status", "Check", "Region", "Resource", "Finding",
        ]);
        for f in rows {
            let severity = if f.status == Status::Fail {
                f.severity.as_str()
            } else {
                "-"
            };
            table.add_row(vec![
                colored(
                    Cell::new(severity),
                    severity_color(f.severity, f.status),
                    options,
                ),
                Cell::new(match marks.get(f.id.as_str()) {
                    Some(e) if e.category == Category::New => format!("{}\nNEW", f.status),
                    Some(e) => match e.old {
                        Some(old) => format!("{}\nwas {}", f.status, old.severity),
                        None => f.status.to_string(),
                    },
                    None => f.status.to_string(),
                }),
                Cell::new(format!("{} {}", f.code(), f.slug())),
                Cell::new(format!("{}\n{}", f.account_id, f.region)),
                Cell::new(short_arn(&f.resource_arn)),
                Cell::new(match &f.suppressed {
                    None => f.sentence().to_string(),
                    Some(s) => format!(
                        "{}\nSuppressed: {}{}{}",
                        f.sentence(),
                        s.reason,
                        s.owner
                            .as_deref()
                            .map(|o| format!(" ({o})"))
                            .unwrap_or_default(),
                        s.expires
                            .as_deref()
                            .map(|e| format!(", until {e}"))
                            .unwrap_or_default(),
                    ),
                }),
            ]);
        }
        let _ = writeln!(out, "{table}");
    }
    let s = &report.summary;
    let count =
        |m: &std::collections::BTreeMap<String, usize>, k: &str| m.get(k).copied().unwrap_or(0);
    let _ = writeln!(
        out,
        "{} findings: {} failing ({}), {} not evaluated, {} passing{}; {} gap(s); scan {}.",
        s.total,
        count(&s.by_status, "fail"),
        Severity::ALL_DESC
            .iter()
            .map(|sev| format!("{} {}", count(&s.failing_by_severity, sev.as_str()), sev))
            .collect::<Vec<_>>()
            .join(", "),
        count(&s.by_status, "not_evaluated"),
        count(&s.by_status, "pass"),
        if options.show_passed {
            ""
        } else {
            " (hidden; --show-passed)"
        },
        s.gaps,
        if report.scan.complete {
            "complete"
        } else {
            "INCOMPLETE"
        }
    );
    if let Some(diff) = &report.baseline {
        let _ = writeln!(out, "{}", super::diff::baseline_line(diff));
    }
    if s.suppressed > 0 {
        let _ = writeln!(
            out,
            "{} suppressed finding(s) counted above{}.",
            s.suppressed,
            if options.show_suppressed {
                ", marked in the table"
            } else {
                ", not shown (--show-suppressed)"
            }
        );
    }
    for o in &report.suppressions {
        use crate::suppress::EntryState;
        let what = format!(
            "suppression at line {} (check {}, resource {})",
            o.line, o.check, o.resource
        );
        match o.state {
            EntryState::Expired => {
                let _ = writeln!(
                    out,
                    "Warning: {what} expired on {}: its {} finding(s) are reported again.",
                    o.record.expires.as_deref().unwrap_or("?"),
                    o.matched
                );
            }
            EntryState::Stale => {
                let _ = writeln!(
                    out,
                    "Warning: {what} is stale: it matched no failing finding in a complete scan."
                );
            }
            EntryState::Active | EntryState::Unmatched => {}
        }
    }
    if !report.gaps.is_empty() {
        let mut table = new_table();
        table.set_header(vec!["Gap: account", "Region", "Call", "Resource", "Error"]);
        for g in &report.gaps {
            table.add_row(vec![
                Cell::new(&g.account_id),
                Cell::new(&g.region),
                Cell::new(format!("{}:{}", g.service, g.operation)),
                Cell::new(g.resource.as_deref().map(short_arn).unwrap_or("-")),
                Cell::new(format!("{}: {}", g.error_code, g.message)),
            ]);
        }
        let _ = writeln!(out, "\n{table}");
    }
    out
}

/// One line per finding (severity, status, check, region, resource, the check's title), the
/// title cut to the terminal's width; a table per account when the report has several.
fn compact(
    report: &Report,
    rows: &[&crate::finding::Finding],
    marks: &std::collections::HashMap<&str, &crate::diff::Entry>,
    options: RenderOptions,
    out: &mut String,
) {
    let several = report.scan.accounts.len() > 1;
    let mut groups: Vec<(Option<&str>, Vec<&crate::finding::Finding>)> = Vec::new();
    if several {
        let mut order: Vec<&str> = report.scan.accounts.iter().map(String::as_str).collect();
        for f in rows {
            if !order.contains(&&*f.account_id) {
                order.push(&f.account_id);
            }
        }
        for account in order {
            let mine: Vec<_> = rows
                .iter()
                .filter(|f| &*f.account_id == account)
                .copied()
                .collect();
            if !mine.is_empty() {
                groups.push((Some(account), mine));
            }
        }
    } else {
        groups.push((None, rows.to_vec()));
    }
    let width = Table::new().width().map(usize::from);
    for (account, findings) in groups {
        if let Some(account) = account {
            let name = report
                .scan
                .account_details
                .iter()
                .find(|d| d.account_id == account)
                .and_then(|d| d.name.as_deref())
                .map(|n| format!(" ({n})"))
                .unwrap_or_default();
            let _ = writeln!(out, "Account {account}{name}:");
        }
        let lines: Vec<[String; 6]> = findings
            .iter()
            .map(|f| {
                let mut status = f.status.to_string();
                match marks.get(f.id.as_str()) {
                    Some(e) if e.category == Category::New => status.push_str(", new"),
                    Some(e) => {
                        if let Some(old) = e.old {
                            let _ = write!(status, ", was {}", old.severity);
                        }
                    }
                    None => {}
                }
                if f.suppressed.is_some() {
                    status.push_str(", suppressed");
                }
                [
                    if f.status == Status::Fail {
                        f.severity.as_str().to_string()
                    } else {
                        "-".to_string()
                    },
                    status,
                    format!("{} {}", f.code(), f.slug()),
                    if several {
                        f.region.to_string()
                    } else {
                        format!("{} {}", f.account_id, f.region)
                    },
                    short_arn(&f.resource_arn).to_string(),
                    f.title().to_string(),
                ]
            })
            .collect();
        let header = [
            "Severity",
            "Status",
            "Check",
            if several { "Region" } else { "Account Region" },
            "Resource",
            "Title",
        ];
        // The title takes what the other columns leave of the terminal's width.
        let title_width = width.map(|w| {
            let others: usize = (0..5)
                .map(|i| {
                    lines
                        .iter()
                        .map(|l| l[i].chars().count())
                        .chain([header[i].len()])
                        .max()
                        .unwrap_or(0)
                })
                .sum();
            // Each of the six columns has a border and a space either side.
            w.saturating_sub(others + 6 * 3 + 1).max(20)
        });
        let mut table = Table::new();
        table
            .load_style(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Disabled)
            .set_header(header.to_vec());
        for (f, line) in findings.iter().zip(lines) {
            let [severity, status, check, place, resource, title] = line;
            table.add_row(vec![
                colored(
                    Cell::new(severity),
                    severity_color(f.severity, f.status),
                    options,
                ),
                Cell::new(status),
                Cell::new(check),
                Cell::new(place),
                Cell::new(resource),
                Cell::new(match title_width {
                    Some(w) => cut(&title, w),
                    None => title,
                }),
            ]);
        }
        let _ = writeln!(out, "{table}");
    }
    if rows.len() > 10 {
        let _ = writeln!(
            out,
            "Each finding's full message: --long; every detail, filterable, with the network picture: --format html --output report.html"
        );
    }
}

/// `text` cut to `width` characters, with an ellipsis when it was longer.
fn cut(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut s: String = text.chars().take(width.saturating_sub(1)).collect();
    s.push('…');
    s
}

pub(crate) fn new_table() -> Table {
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(160);
    table
}

fn colored(cell: Cell, color: Option<Color>, options: RenderOptions) -> Cell {
    match (options.color, color) {
        (true, Some(c)) => cell.fg(c),
        _ => cell,
    }
}

fn severity_color(severity: Severity, status: Status) -> Option<Color> {
    if status != Status::Fail {
        return None;
    }
    Some(match severity {
        Severity::Critical => Color::Magenta,
        Severity::High => Color::Red,
        Severity::Medium => Color::Yellow,
        Severity::Low => Color::Cyan,
        Severity::Informational => Color::Grey,
    })
}

/// The part of an ARN a person reads (`function:name`, `role/name`), the whole ARN otherwise.
pub(crate) fn short_arn(arn: &str) -> &str {
    let mut parts = arn.splitn(6, ':');
    match (parts.next(), parts.nth(4)) {
        (Some("arn"), Some(rest)) if !rest.is_empty() => rest,
        _ => arn,
    }
}

/// One row per account of a multi-account run, before the findings: name, OU path, failing
/// findings by severity, not-evaluated findings and gaps; then the accounts not scanned.
fn accounts_summary(report: &Report, out: &mut String) {
    let mut table = new_table();
    let mut header = vec!["Account".to_string(), "Name".into(), "OU path".into()];
    header.extend(Severity::ALL_DESC.iter().map(|s| s.as_str().to_string()));
    header.extend(["not evaluated".to_string(), "gaps".into()]);
    table.set_header(header);
    for a in report.account_counts() {
        let mut row = vec![
            a.account_id,
            a.name.unwrap_or_else(|| "-".into()),
            a.ou_path.unwrap_or_else(|| "-".into()),
        ];
        row.extend(a.failing.iter().map(usize::to_string));
        row.push(a.not_evaluated.to_string());
        row.push(a.gaps.to_string());
        table.add_row(row);
    }
    let _ = writeln!(out, "{table}");
    for n in &report.scan.not_scanned {
        let _ = writeln!(
            out,
            "Not scanned: {} ({}): {}.",
            n.account_id, n.name, n.reason
        );
    }
    out.push('\n');
}

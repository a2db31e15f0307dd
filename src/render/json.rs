//! JSON v1 output: the report as documented in the README (`vpcwarden.findings/v1`).

use crate::report::Report;

/// The report as pretty JSON with a trailing newline.
pub fn render(report: &Report) -> String {
    // A report is plain data with string keys; serialisation cannot fail.
    let mut out = serde_json::to_string_pretty(report).unwrap_or_default();
    out.push('\n');
    out
}

//! CSV for spreadsheets: one row per finding, a header row first.

use crate::report::Report;

/// The columns, in order.
pub const HEADER: &[&str] = &[
    "id",
    "status",
    "severity",
    "code",
    "slug",
    "title",
    "account_id",
    "region",
    "resource_type",
    "resource_arn",
    "compliance",
    "message",
    "remediation",
    "suppressed",
];

/// The findings as CSV (RFC 4180 quoting by the `csv` crate).
pub fn render(report: &Report) -> String {
    let mut out = Vec::new();
    // Writing to memory cannot fail.
    let _ = write(report, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// [`render`], written to `out` row by row: a report of a million findings is never one string.
pub fn write(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut w = csv::WriterBuilder::new().from_writer(out);
    w.write_record(HEADER)?;
    for f in &report.findings {
        w.write_record([
            f.id.as_str(),
            f.status.as_str(),
            f.severity.as_str(),
            f.code(),
            f.slug(),
            f.title(),
            &f.account_id,
            &f.region,
            &f.resource_type,
            &f.resource_arn,
            &f.compliance().join(" "),
            f.sentence(),
            f.remediation(),
            f.suppressed.as_ref().map_or("", |s| s.reason.as_str()),
        ])?;
    }
    w.flush()
}

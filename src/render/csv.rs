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
];

/// The findings as CSV (RFC 4180 quoting by the `csv` crate).
pub fn render(report: &Report) -> String {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    // Writing to memory cannot fail: the errors the writer can return are I/O errors.
    let _ = w.write_record(HEADER);
    for f in &report.findings {
        let _ = w.write_record([
            f.id.as_str(),
            f.status.as_str(),
            f.severity.as_str(),
            &f.code,
            &f.slug,
            &f.title,
            &f.account_id,
            &f.region,
            &f.resource_type,
            &f.resource_arn,
            &f.compliance.join(" "),
            f.sentence(),
            &f.remediation,
        ]);
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

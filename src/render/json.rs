//! JSON v1 output: the report as documented in the README (`vpcwarden.findings/v1`), written
//! through the frozen wire types of [`crate::report::v1`].

use crate::report::{Report, v1};

/// The report as pretty JSON with a trailing newline.
pub fn render(report: &Report) -> String {
    let mut out = Vec::new();
    // Writing to memory cannot fail, and serde_json writes UTF-8.
    let _ = v1::write_json(report, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

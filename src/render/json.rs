//! JSON v1 output: the report as documented in the README (`vpcwarden.findings/v1`), written
//! through the frozen wire types of [`crate::report::v1`].

use crate::report::{Report, v1};

/// The report as pretty JSON with a trailing newline.
pub fn render(report: &Report) -> String {
    v1::Report::from(report).to_json()
}

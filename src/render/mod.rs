//! Renderers: one module per output format, each a function over the report.
//!
//! A renderer reads findings and the report only; adding a format adds a module and a [`Format`] variant
//! and touches no check.

pub mod asff;
pub mod csv;
pub mod diff;
pub mod html;
pub mod inventory;
pub mod json;
pub mod ocsf;
pub mod table;

use crate::report::Report;

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table for the terminal: failing and not-evaluated findings, a summary line, then the gaps.
    Table,
    /// The documented JSON v1 document (`vpcwarden.findings/v1`).
    Json,
    /// A JSON array of AWS Security Finding Format findings, ready for BatchImportFindings.
    Asff,
    /// A JSON array of OCSF 1.x Detection Findings (class 2004), for data lakes and Security Lake.
    Ocsf,
    /// CSV, one row per finding, for spreadsheets.
    Csv,
    /// One self-contained HTML page: summary, gaps, a findings table that sorts and filters, and
    /// the network picture of each account and region.
    Html,
}

/// Options that change what a renderer shows (not what the report holds).
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    /// Show passing findings in the table.
    pub show_passed: bool,
    /// Show suppressed findings in the table.
    pub show_suppressed: bool,
    /// Use colour (only when writing to a terminal).
    pub color: bool,
    /// The table's full layout: each finding's whole message, wrapped (`--long`). By default a
    /// finding is one line, with its check's title.
    pub long: bool,
}

/// Writes the report in `format` to `out`. JSON (see [`write_json`](crate::report::v1::write_json)),
/// ASFF, OCSF and CSV are streamed finding by finding, so a report of a million findings is never
/// held as one string; the table is laid out whole (its columns fit the widest cell).
pub fn write(
    report: &Report,
    format: Format,
    options: RenderOptions,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Json => crate::report::v1::write_json(report, out),
        Format::Asff => asff::write(report, out),
        Format::Ocsf => ocsf::write(report, out),
        Format::Csv => csv::write(report, out),
        Format::Table => out.write_all(table::render(report, options).as_bytes()),
        Format::Html => html::write(report, options, out),
    }
}

/// Renders the report in `format`.
pub fn render(report: &Report, format: Format, options: RenderOptions) -> String {
    match format {
        Format::Table => table::render(report, options),
        Format::Json => json::render(report),
        Format::Asff => asff::render(report),
        Format::Ocsf => ocsf::render(report),
        Format::Csv => csv::render(report),
        Format::Html => html::render(report, options),
    }
}

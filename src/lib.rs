//! vpcwarden: an AWS account auditor for how Lambda functions meet VPCs, ENIs and IAM.
//!
//! The pipeline is collect → snapshot → check → render: [`aws`] and [`collect`] read AWS (the only async
//! code), [`snapshot`] is the plain data they produce, [`checks`] turn it into [`finding`]s, and
//! [`render`] shows a [`report`].

pub mod app;
pub mod aws;
pub mod checks;
pub mod cli;
pub mod collect;
pub mod config;
pub mod diff;
pub mod exit;
pub mod export;
pub mod finding;
pub mod inventory;
pub mod json_text;
pub mod merge;
pub mod policy;
mod progress;
pub mod render;
pub mod report;
pub mod snapshot;
pub mod suppress;
pub mod targets;

/// `vpcwarden X.Y.Z`, as written into snapshots and reports.
pub const TOOL_VERSION: &str = concat!("vpcwarden ", env!("CARGO_PKG_VERSION"));

/// Now, as RFC 3339 UTC with second precision. `SOURCE_DATE_EPOCH` (seconds) pins it, so two runs
/// over the same account produce byte-identical snapshots and reports.
pub fn now_rfc3339() -> String {
    let now = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|s| time::OffsetDateTime::from_unix_timestamp(s).ok())
        .unwrap_or_else(time::OffsetDateTime::now_utc);
    let now = now.replace_nanosecond(0).unwrap_or(now);
    now.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| now.unix_timestamp().to_string())
}

/// Logging on stderr: warnings by default, more with `-v`; `RUST_LOG` overrides. The SDK's own
/// warnings (a region or credentials source it tried and did not need) are not shown by default:
/// vpcwarden reports every failure that matters itself, once. `json` writes one JSON object per
/// event (JSON lines), and then includes vpcwarden's progress events (each account started and
/// finished, each gap) by default, so a headless run's log view shows where it is.
pub fn init_logging(verbose: u8, json: bool) {
    let default = match (verbose, json) {
        (0, false) => "warn,aws_config=error,aws_smithy_runtime=error",
        (0, true) | (1, _) => "vpcwarden=info,warn,aws_config=error,aws_smithy_runtime=error",
        _ => "vpcwarden=debug,info",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if json {
        builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .with_target(false)
            .try_init()
    } else {
        builder.with_target(false).try_init()
    };
}

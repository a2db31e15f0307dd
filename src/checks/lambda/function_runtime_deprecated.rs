//! LAMBDA002 `function-runtime-deprecated`: a function runs on a runtime past (or within 180 days of)
//! its deprecation date (Security Hub Lambda.2). The dates are data: `checks/lambda-runtimes.toml`.

use super::each_function;
use crate::checks::{CheckContext, CheckDef, Findings};
use crate::finding::{FindingBuilder, FindingError, Severity, Status};
use crate::snapshot::{Account, Function, RegionData};
use serde::Deserialize;
use std::sync::OnceLock;
use time::Date;

/// The registry line.
pub const CHECK: CheckDef = CheckDef {
    catalog: include_str!("../../../checks/lambda/LAMBDA002-function-runtime-deprecated.md"),
    run,
    options: Some(crate::checks::settings::options::<Options>),
};

/// `[checks.function-runtime-deprecated]` options.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// How many days before its deprecation a runtime is reported, at low severity (default
    /// [`WARN_DAYS`]; 0 reports deprecated runtimes only).
    pub warn_days: Option<u32>,
}

/// The runtime table, embedded.
pub const RUNTIMES_TOML: &str = include_str!("../../../checks/lambda-runtimes.toml");

/// How early a coming deprecation is reported (at low severity).
pub const WARN_DAYS: i64 = 180;

/// `checks/lambda-runtimes.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuntimeTable {
    /// Where the dates come from.
    pub source: String,
    /// When the table was last compared with the source.
    pub last_checked: toml::value::Datetime,
    /// One entry per runtime identifier.
    pub runtime: Vec<Runtime>,
}

/// One runtime.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Runtime {
    /// `python3.12`, ...
    pub id: String,
    /// `Python 3.12`, ...
    pub name: String,
    /// The deprecation date, when AWS has set one.
    pub deprecation: Option<toml::value::Datetime>,
    /// When creating functions with it is blocked.
    pub block_function_create: Option<toml::value::Datetime>,
    /// When updating functions that use it is blocked.
    pub block_function_update: Option<toml::value::Datetime>,
}

/// The embedded table, parsed once. A broken table is a build defect: a unit test parses it.
pub fn table() -> Result<&'static RuntimeTable, &'static str> {
    static TABLE: OnceLock<Result<RuntimeTable, String>> = OnceLock::new();
    TABLE
        .get_or_init(|| {
            toml::from_str(RUNTIMES_TOML)
                .map_err(|e| format!("checks/lambda-runtimes.toml does not parse: {e}"))
        })
        .as_ref()
        .map_err(String::as_str)
}

/// A TOML date as a calendar date.
fn date(d: &toml::value::Datetime) -> Option<Date> {
    let d = d.date?;
    Date::from_calendar_date(
        i32::from(d.year),
        time::Month::try_from(d.month).ok()?,
        d.day,
    )
    .ok()
}

/// The day of an RFC 3339 timestamp.
fn day_of(timestamp: &str) -> Option<Date> {
    Date::parse(
        timestamp.get(..10)?,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
}

fn run(ctx: &CheckContext<'_>, out: &mut Findings<'_>) -> Result<(), FindingError> {
    let today = day_of(&ctx.snapshot.collected_at);
    let table = table();
    let warn_days = out
        .options::<Options>()
        .warn_days
        .map_or(WARN_DAYS, i64::from);
    each_function(
        ctx,
        out,
        |_| true,
        |account, region, function, b, out| {
            judge(account, region, function, b, (today, warn_days), table, out)
        },
    )
}

fn judge<'t>(
    _account: &Account,
    _region: &RegionData,
    function: &Function,
    b: FindingBuilder<'t>,
    (today, warn_days): (Option<Date>, i64),
    table: Result<&RuntimeTable, &str>,
    out: &mut Findings<'t>,
) -> Result<(), FindingError> {
    let b = b
        .evidence("runtime", function.runtime.as_deref())
        .evidence("package_type", function.package_type.as_deref());
    let Some(runtime) = function.runtime.as_deref().filter(|r| !r.is_empty()) else {
        if function.package_type.as_deref() == Some("Image") {
            return out.push(b.status(Status::Pass).message(format_args!(
                "Lambda function {} is a container image: it brings its own runtime, which this check does not judge.",
                function.name
            )));
        }
        return out.push(
            b.status(Status::NotEvaluated)
                .evidence("reason", "runtime_missing")
                .message(format_args!(
                    "Not evaluated: Lambda reported no runtime for {}, and it is not a container image.",
                    function.name
                )),
        );
    };
    let table = match table {
        Ok(t) => t,
        Err(problem) => {
            return out.push(
                b.status(Status::NotEvaluated)
                    .evidence("reason", "runtime_table_unreadable")
                    .message(format_args!("Not evaluated: {problem}.")),
            );
        }
    };
    let b = b
        .evidence("table_source", table.source.as_str())
        .evidence("table_last_checked", table.last_checked.to_string());
    let Some(entry) = table.runtime.iter().find(|r| r.id == runtime) else {
        return out.push(
            b.status(Status::NotEvaluated)
                .evidence("reason", "runtime_unknown")
                .message(format_args!(
                    "Not evaluated: runtime {runtime} of {} is not in vpcwarden's runtime table (last checked {}).",
                    function.name, table.last_checked
                )),
        );
    };
    let show = |d: &Option<toml::value::Datetime>| d.as_ref().map(|d| d.to_string());
    let b = b
        .evidence("deprecation_date", show(&entry.deprecation))
        .evidence("block_function_create", show(&entry.block_function_create))
        .evidence("block_function_update", show(&entry.block_function_update));
    let Some(today) = today else {
        return out.push(
            b.status(Status::NotEvaluated)
                .evidence("reason", "collection_date_unreadable")
                .message("Not evaluated: the snapshot's collected_at is not an RFC 3339 date."),
        );
    };
    let Some(deprecation) = entry.deprecation.as_ref().and_then(date) else {
        return out.push(b.status(Status::Pass).message(format_args!(
            "{} ({runtime}) of Lambda function {} has no deprecation date set by AWS.",
            entry.name, function.name
        )));
    };
    let days_left = (deprecation - today).whole_days();
    let b = b.evidence("days_left", days_left);
    if days_left <= 0 {
        out.push(b.status(Status::Fail).message(format_args!(
            "Lambda function {} runs on {} ({runtime}), deprecated since {deprecation}: it gets no security patches or support{}.",
            function.name,
            entry.name,
            match entry.block_function_update.as_ref().and_then(date) {
                Some(d) if d <= today => format!(", and since {d} the function can no longer be updated"),
                Some(d) => format!(", and from {d} the function can no longer be updated"),
                None => String::new(),
            }
        )))
    } else if days_left <= warn_days {
        out.push(
            b.evidence("warn_days", warn_days)
                .status(Status::Fail)
                .severity(Severity::Low)
                .message(format_args!(
                    "Lambda function {} runs on {} ({runtime}), deprecated on {deprecation}: {days_left} days left to move to a supported runtime.",
                    function.name, entry.name
                )),
        )
    } else {
        out.push(b.status(Status::Pass).message(format_args!(
            "{} ({runtime}) of Lambda function {} is supported until {deprecation} ({days_left} days).",
            entry.name, function.name
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_table_parses_and_has_unique_ids() {
        let t = table().expect("parses");
        assert!(
            t.runtime.len() > 20,
            "every runtime, current and deprecated"
        );
        let mut ids: Vec<&str> = t.runtime.iter().map(|r| r.id.as_str()).collect();
        ids.sort();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n, "duplicate runtime id");
        for r in &t.runtime {
            for d in [
                &r.deprecation,
                &r.block_function_create,
                &r.block_function_update,
            ]
            .into_iter()
            .flatten()
            {
                assert!(date(d).is_some(), "{}: {d} is not a date", r.id);
            }
        }
        assert!(date(&t.last_checked).is_some());
    }

    #[test]
    fn the_collection_day_is_read_from_rfc3339() {
        assert_eq!(
            day_of("2026-11-21T09:00:00Z"),
            Date::from_calendar_date(2026, time::Month::November, 21).ok()
        );
        assert_eq!(day_of("yesterday"), None);
    }
}

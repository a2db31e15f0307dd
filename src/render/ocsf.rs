//! OCSF 1.5.0 Detection Findings (class 2004), for data lakes and Amazon Security Lake.
//!
//! One event per finding. A failing check is a new detection, a passing one is resolved, and one
//! that could not be evaluated has status Other ("Not evaluated"); one a `[[suppress]]` entry accepts
//! has status Suppressed, with the entry's record under `unmapped.suppressed`. OCSF's Detection Finding has no
//! compliance object, so the control ids and vpcwarden's evidence travel under `unmapped`.

use crate::finding::{Finding, Severity, Status};
use crate::render::asff::{AsffOptions, home_region, hub_region, partition_of};
use crate::report::{CheckInfo, Report};
use crate::snapshot::GLOBAL_REGION;
use serde_json::{Value, json};

/// The OCSF version the events follow.
pub const OCSF_VERSION: &str = "1.5.0";

/// OCSF `severity_id` and caption.
fn severity(severity: Severity) -> (u8, &'static str) {
    match severity {
        Severity::Informational => (1, "Informational"),
        Severity::Low => (2, "Low"),
        Severity::Medium => (3, "Medium"),
        Severity::High => (4, "High"),
        Severity::Critical => (5, "Critical"),
    }
}

/// Milliseconds since the epoch of an RFC 3339 timestamp (0 when it cannot be read).
fn millis(timestamp: &str) -> i64 {
    time::OffsetDateTime::parse(timestamp, &time::format_description::well_known::Rfc3339)
        .map(|t| (t.unix_timestamp_nanos() / 1_000_000) as i64)
        .unwrap_or(0)
}

/// One Detection Finding; `check` is what the report knows of its check (see [`Report::check`]),
/// `None` to use the finding's own remediation, with no types and no reference.
pub fn event(f: &Finding, check: Option<&CheckInfo>, home: &str, time: i64) -> Value {
    let (severity_id, severity_name) = match f.status {
        Status::Fail => severity(f.severity),
        _ => severity(Severity::Informational),
    };
    let (status_id, status) = match f.status {
        // An accepted risk (`[[suppress]]`): OCSF's own Suppressed status.
        _ if f.suppressed.is_some() => (3, "Suppressed"),
        Status::Fail => (1, "New"),
        Status::Pass => (4, "Resolved"),
        Status::NotEvaluated => (99, "Not evaluated"),
    };
    let region = hub_region(f, home);
    let mut resource = json!({
        "uid": f.resource_arn,
        "name": f.resource_arn.rsplit([':', '/']).next().unwrap_or_default(),
        "type": f.resource_type,
        "cloud_partition": partition_of(&f.resource_arn),
    });
    if &*f.region != GLOBAL_REGION {
        resource["region"] = json!(f.region);
    }
    let (types, remediation, url) = match check {
        Some(c) => (
            c.asff_types.clone(),
            c.remediation.clone(),
            Some(c.remediation_url.clone()),
        ),
        None => (Vec::new(), f.remediation().to_string(), None),
    };
    let mut event = json!({
        "activity_id": 1,
        "activity_name": "Create",
        "category_uid": 2,
        "category_name": "Findings",
        "class_uid": 2004,
        "class_name": "Detection Finding",
        "type_uid": 200401,
        "type_name": "Detection Finding: Create",
        "severity_id": severity_id,
        "severity": severity_name,
        "status_id": status_id,
        "status": status,
        "time": time,
        "message": f.sentence(),
        "metadata": {
            "version": OCSF_VERSION,
            "profiles": ["cloud"],
            "product": {
                "name": "vpcwarden",
                "vendor_name": "vpcwarden",
                "version": env!("CARGO_PKG_VERSION"),
                "uid": "vpcwarden",
            },
            "event_code": f.code(),
            "uid": f.id,
        },
        "finding_info": {
            "uid": f.id,
            "title": f.title(),
            "desc": f.sentence(),
            "types": types,
            "analytic": { "uid": f.code(), "name": f.slug(), "type_id": 1, "type": "Rule" },
            "created_time": time,
            "first_seen_time": time,
            "last_seen_time": time,
        },
        "cloud": {
            "provider": "AWS",
            "region": region,
            "account": { "uid": f.account_id, "type_id": 10, "type": "AWS Account" },
        },
        "resources": [resource],
        "remediation": {
            "desc": remediation,
            "references": url.into_iter().collect::<Vec<_>>(),
        },
        "unmapped": {
            "vpcwarden_status": f.status.as_str(),
            "vpcwarden_severity": f.severity.as_str(),
            "compliance": {
                "controls": f.compliance(),
                "status": match f.status {
                    Status::Fail => "FAILED",
                    Status::Pass => "PASSED",
                    Status::NotEvaluated => "NOT_AVAILABLE",
                },
            },
            "evidence": f.evidence,
        },
    });
    if let Some(s) = &f.suppressed {
        event["unmapped"]["suppressed"] = json!(s);
    }
    event
}

/// Every finding as a Detection Finding, as a JSON array.
pub fn render(report: &Report) -> String {
    let mut out = Vec::new();
    // Writing to memory cannot fail.
    let _ = write(report, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// [`render`], written to `out` event by event: the array is never one string.
pub fn write(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    use serde::Serializer as _;
    let home = home_region(report, &AsffOptions::default());
    let time = millis(&report.scan.finished_at);
    let mut ser = serde_json::Serializer::pretty(&mut *out);
    ser.collect_seq(
        report
            .findings
            .iter()
            .map(|f| event(f, report.check(f.code()), &home, time)),
    )?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_become_milliseconds() {
        assert_eq!(millis("2026-11-21T09:00:00Z"), 1_795_251_600_000);
        assert_eq!(millis("not a time"), 0);
    }
}

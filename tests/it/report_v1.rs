//! JSON v1 is frozen: the demo account's bytes are pinned, a v1 report read back writes the same
//! bytes, and it renders ASFF, OCSF and CSV as the audit that wrote it did.
//!
//! `golden/demo-v1.json` is `vpcwarden audit --demo --format json` with `SOURCE_DATE_EPOCH=1793523600`.
//! Regenerate it only for an intended change of the demo account's findings or of the version.

use crate::support::vpcwarden;
use vpcwarden::render::asff::{self, AsffOptions};
use vpcwarden::render::{self, Format, RenderOptions};
use vpcwarden::report::{CheckInfo, Report, v1};

const GOLDEN: &str = include_str!("golden/demo-v1.json");

/// `audit --demo` in `format`, as text.
fn demo(format: &str) -> String {
    let out = vpcwarden()
        .args(["audit", "--demo", "--format", format])
        .assert()
        .code(3)
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).expect("UTF-8 output")
}

/// Fails with the first line that differs (the documents are too long for a whole diff).
fn assert_same(actual: &str, expected: &str, what: &str) {
    if actual == expected {
        return;
    }
    let line = actual
        .lines()
        .zip(expected.lines())
        .position(|(a, e)| a != e)
        .unwrap_or_else(|| actual.lines().count().min(expected.lines().count()));
    panic!(
        "{what} changed at line {}:\n  now:    {:?}\n  pinned: {:?}",
        line + 1,
        actual.lines().nth(line),
        expected.lines().nth(line)
    );
}

/// Today's catalog, as `export --from-report` looks checks up.
fn registry(code: &str) -> Option<CheckInfo> {
    let all = vpcwarden::checks::all().ok()?;
    vpcwarden::checks::find(all, code).map(|c| CheckInfo::from_meta(&c.entry.meta))
}

fn read_back(lookup: impl FnMut(&str) -> Option<CheckInfo>) -> Report {
    let wire: v1::Report = serde_json::from_str(GOLDEN).expect("the golden file is v1");
    wire.into_report(lookup)
}

#[test]
fn demo_json_is_the_pinned_v1_document() {
    assert_same(&demo("json"), GOLDEN, "audit --demo --format json");
}

#[test]
fn a_v1_report_read_back_writes_the_same_bytes() {
    let report = read_back(registry);
    assert_eq!(report.checks.len(), report.scan.checks.len());
    assert_same(
        &v1::Report::from(&report).to_json(),
        GOLDEN,
        "v1 round trip",
    );
    // Without catalog facts (a report of another version) the v1 document is the same too.
    let report = read_back(|_| None);
    assert!(report.checks.is_empty());
    assert_same(
        &v1::Report::from(&report).to_json(),
        GOLDEN,
        "v1 round trip without catalog",
    );
}

#[test]
fn a_report_read_back_renders_as_the_audit_did() {
    let report = read_back(registry);
    for (format, name) in [
        (Format::Asff, "asff"),
        (Format::Ocsf, "ocsf"),
        (Format::Csv, "csv"),
        (Format::Json, "json"),
    ] {
        assert_same(
            &render::render(&report, format, RenderOptions::default()),
            &demo(name),
            name,
        );
    }
}

#[test]
fn checks_this_build_does_not_know_still_export_from_their_findings() {
    let report = read_back(|code| registry(code).filter(|c| c.code != "LAMBDA003"));
    assert!(report.check("LAMBDA003").is_none());
    let all = asff::findings(&report, &AsffOptions::default());
    let mut unknown = 0;
    for (a, f) in all.iter().zip(&report.findings) {
        let known = report.check(&f.code);
        if f.code == "LAMBDA003" {
            unknown += 1;
            assert_eq!(
                a.types,
                ["Software and Configuration Checks/AWS Security Best Practices"]
            );
            assert_eq!(a.remediation.recommendation.text, f.remediation);
            assert!(a.remediation.recommendation.url.contains("asff-top-level"));
        } else {
            let known = known.expect("catalog facts");
            assert_eq!(a.types, known.asff_types);
            assert_eq!(a.remediation.recommendation.url, known.remediation_url);
        }
    }
    assert!(unknown > 0, "the demo has LAMBDA003 findings");
}

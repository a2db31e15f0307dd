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
    vpcwarden::checks::find(all, code).map(|c| CheckInfo::from_entry(&c.entry))
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
        let known = report.check(f.code());
        if f.code() == "LAMBDA003" {
            unknown += 1;
            assert_eq!(
                a.types,
                ["Software and Configuration Checks/AWS Security Best Practices"]
            );
            assert_eq!(a.remediation.recommendation.text, f.remediation());
            assert!(a.remediation.recommendation.url.contains("asff-top-level"));
        } else {
            let known = known.expect("catalog facts");
            assert_eq!(a.types, known.asff_types);
            assert_eq!(a.remediation.recommendation.url, known.remediation_url);
        }
    }
    assert!(unknown > 0, "the demo has LAMBDA003 findings");
}

/// `audit --demo --compact-pass --format json`, parsed.
fn compact_demo() -> serde_json::Value {
    let out = vpcwarden()
        .args(["audit", "--demo", "--compact-pass", "--format", "json"])
        .assert()
        .code(3)
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).expect("a JSON report")
}

#[test]
fn a_compact_report_keeps_every_verdict_and_only_passing_findings_shrink() {
    let full: serde_json::Value = serde_json::from_str(GOLDEN).expect("golden");
    let compact = compact_demo();
    assert_eq!(compact["scan"]["compact_pass"], true);
    assert!(
        full["scan"].get("compact_pass").is_none(),
        "absent unless true"
    );
    assert_eq!(compact["summary"], full["summary"]);
    assert_eq!(compact["gaps"], full["gaps"]);
    let (c, f) = (
        compact["findings"].as_array().expect("findings"),
        full["findings"].as_array().expect("findings"),
    );
    assert_eq!(c.len(), f.len());
    let identifying = [
        "id",
        "code",
        "severity",
        "status",
        "account_id",
        "region",
        "resource_type",
        "resource_arn",
    ];
    let mut passes = 0;
    for (c, f) in c.iter().zip(f) {
        if f["status"] == "pass" {
            passes += 1;
            let keys: Vec<&str> = c
                .as_object()
                .expect("object")
                .keys()
                .map(|k| k.as_str())
                .collect();
            assert_eq!(keys, identifying, "{c}");
            for k in identifying {
                assert_eq!(c[k], f[k], "{k} of {}", f["id"]);
            }
        } else {
            assert_eq!(c, f, "failing and not-evaluated findings are whole");
        }
    }
    assert!(passes > 10, "the demo has passing findings: {passes}");
    let (cb, fb) = (compact.to_string().len(), full.to_string().len());
    assert!(cb < fb, "compact {cb} bytes, full {fb}");
}

#[test]
fn a_compact_report_read_back_exports_passing_findings_with_their_check_facts() {
    let compact = compact_demo();
    let wire: v1::Report = serde_json::from_value(compact).expect("a compact report is v1");
    let report = wire.into_report(registry);
    assert!(report.scan.compact_pass);
    let whole = read_back(registry);
    let compact_asff = asff::findings(&report, &AsffOptions::default());
    let full_asff = asff::findings(&whole, &AsffOptions::default());
    assert_eq!(compact_asff.len(), full_asff.len());
    for ((c, f), finding) in compact_asff.iter().zip(&full_asff).zip(&report.findings) {
        assert_eq!(c.id, f.id);
        assert_eq!(c.title, f.title, "the title comes back from the catalog");
        assert_eq!(c.compliance, f.compliance);
        assert_eq!(c.remediation, f.remediation);
        assert_eq!(c.resources, f.resources);
        if finding.status == vpcwarden::finding::Status::Pass {
            assert!(finding.is_compact_pass());
            assert_eq!(
                c.description,
                finding.title(),
                "no message: the title says it"
            );
        } else {
            assert_eq!(c.description, f.description);
        }
    }
    // Without the catalog (a check this build does not know) a passing finding still says something.
    let wire: v1::Report = serde_json::from_value(compact_demo()).expect("v1");
    let report = wire.into_report(|_| None);
    for a in asff::findings(&report, &AsffOptions::default()) {
        assert!(!a.description.is_empty() && !a.title.is_empty(), "{}", a.id);
        assert!(!a.title.ends_with(": "), "{}", a.title);
    }
}

/// The JSON writer serialises the findings in blocks, side by side, and indents each block as the
/// document nests it: its bytes are those of serde's pretty printer on the whole document, across
/// block boundaries (here 1,000 findings, blocks of 256), and with no finding at all.
#[test]
fn the_block_writer_writes_the_bytes_of_the_whole_document() {
    let mut report = read_back(registry);
    let one_of_each = report.findings.clone();
    assert!(!one_of_each.is_empty());
    report.findings = one_of_each.iter().cycle().take(1000).cloned().collect();
    for case in ["1000 findings", "no findings"] {
        let mut written = Vec::new();
        v1::write_json(&report, &mut written).expect("write to memory");
        let written = String::from_utf8(written).expect("UTF-8");
        assert_same(&written, &v1::Report::from(&report).to_json(), case);
        report.findings.clear();
    }
}

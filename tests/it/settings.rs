//! `vpcwarden.toml`'s `[checks.X]` settings and `[[suppress]]` entries, through the binary: every
//! error path names the file, line and key; the README's example works as it says; suppressions
//! change what counts, never what was found.

use crate::support::{root, vpcwarden};
use serde_json::Value;
use std::path::PathBuf;

/// Writes `text` as `vpcwarden.toml` in a new directory (kept alive by the returned guard).
fn config(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("vpcwarden.toml");
    std::fs::write(&path, text).expect("write");
    (dir, path)
}

/// `audit --demo --config FILE ARGS...`: (exit code, stdout, stderr).
fn demo_with(config: &PathBuf, args: &[&str]) -> (i32, String, String) {
    crate::support::outcome(
        vpcwarden()
            .args(["audit", "--demo", "--config"])
            .arg(config)
            .args(args),
    )
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("JSON output")
}

fn findings<'a>(report: &'a Value, code: &'a str) -> impl Iterator<Item = &'a Value> + 'a {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(move |f| f["code"] == code)
}

/// The first ```toml block of the README's configuration section.
fn readme_config() -> String {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let section = readme
        .split("### Configuration (`vpcwarden.toml`)")
        .nth(1)
        .expect("README has a configuration section");
    let block = section.split("```toml\n").nth(1).expect("a toml block");
    block.split("\n```").next().expect("closed").to_string() + "\n"
}

#[test]
fn the_readme_example_config_does_what_it_says() {
    let (_dir, path) = config(&readme_config());
    let (code, out, err) = demo_with(&path, &["--format", "json"]);
    assert_eq!(code, 3, "{err}");
    let r = json(&out);
    // [checks.IAM006] enabled = false: the check did not run.
    assert!(
        !r["scan"]["checks"]
            .as_array()
            .expect("checks")
            .iter()
            .any(|c| c == "IAM006")
    );
    assert_eq!(findings(&r, "IAM006").count(), 0);
    // [checks.function-runtime-deprecated] severity = "high", the original kept.
    let runtime: Vec<_> = findings(&r, "LAMBDA002")
        .filter(|f| f["status"] == "fail")
        .collect();
    assert!(!runtime.is_empty());
    for f in &runtime {
        assert_eq!(f["severity"], "high", "{f}");
        assert_eq!(f["evidence"]["original_severity"], "medium", "{f}");
    }
    // [checks.LAMBDA005] min_azs = 3 overrides the top-level 2.
    let single_az: Vec<_> = findings(&r, "LAMBDA005")
        .filter(|f| {
            f["resource_arn"]
                .as_str()
                .is_some_and(|a| a.contains(":function:"))
        })
        .collect();
    assert!(!single_az.is_empty());
    assert!(single_az.iter().all(|f| f["evidence"]["min_azs"] == 3));
    // The [[suppress]] entry: legacy-report's LAMBDA003 in us-east-1, and nothing else.
    let suppressed: Vec<_> = r["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f.get("suppressed").is_some())
        .collect();
    assert_eq!(suppressed.len(), 1, "{suppressed:?}");
    assert_eq!(suppressed[0]["code"], "LAMBDA003");
    assert_eq!(
        suppressed[0]["status"], "fail",
        "a suppressed finding keeps its status"
    );
    assert!(
        suppressed[0]["resource_arn"]
            .as_str()
            .expect("arn")
            .ends_with(":function:legacy-report")
    );
    assert_eq!(
        suppressed[0]["suppressed"]["owner"],
        "platform-team@example.com"
    );
    assert_eq!(suppressed[0]["suppressed"]["expires"], "2027-03-31");
    assert_eq!(suppressed[0]["suppressed"]["ticket"], "SEC-1234");
    assert_eq!(r["summary"]["suppressed"], 1);
    let entries = r["suppressions"].as_array().expect("suppressions");
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["state"], "active");
    assert_eq!(entries[0]["matched"], 1);
    assert_eq!(entries[0]["check"], "LAMBDA003");
}

#[test]
fn every_config_error_exits_2_naming_the_file_line_and_key() {
    let cases: &[(&str, usize, &str)] = &[
        (
            "[checks.LAMBDA999]\nenabled = false\n",
            1,
            "checks.LAMBDA999",
        ),
        (
            "[checks.function-not-a-check]\nenabled = false\n",
            1,
            "checks.function-not-a-check",
        ),
        (
            "[checks.LAMBDA005]\nmin_az = 3\n",
            2,
            "checks.LAMBDA005.min_az",
        ),
        (
            "[checks.LAMBDA005]\nmin_azs = \"three\"\n",
            2,
            "checks.LAMBDA005.min_azs",
        ),
        (
            "[checks.LAMBDA005]\nmin_azs = 0\n",
            2,
            "checks.LAMBDA005.min_azs",
        ),
        (
            "[checks.IAM006]\nwarn_days = 3\n",
            2,
            "checks.IAM006.warn_days",
        ),
        (
            "[checks.IAM006]\nenabled = \"no\"\n",
            2,
            "checks.IAM006.enabled",
        ),
        (
            "[checks.IAM006]\nseverity = \"severe\"\n",
            2,
            "checks.IAM006.severity",
        ),
        (
            "[checks.LAMBDA003]\nenabled = true\n[checks.function-not-in-vpc]\nenabled = false\n",
            3,
            "checks.function-not-in-vpc",
        ),
        (
            "\n[[suppress]]\ncheck = \"LAMBDA003\"\nresource = \"arn:x\"\nreason = \"r\"\nexpires = \"next year\"\n",
            6,
            "suppress[0].expires",
        ),
        (
            "[[suppress]]\ncheck = \"NOPE\"\nresource = \"arn:x\"\nreason = \"r\"\n",
            2,
            "suppress[0].check",
        ),
        (
            "[[suppress]]\ncheck = \"*\"\nresource = \"arn:x\"\nreason = \"\"\n",
            4,
            "suppress[0].reason",
        ),
    ];
    for (text, line, key) in cases {
        let (_dir, path) = config(text);
        let (code, _, err) = demo_with(&path, &[]);
        assert_eq!(code, 2, "{text}\n{err}");
        assert!(err.contains("vpcwarden.toml"), "{text}\n{err}");
        assert!(
            err.contains(&format!("line {line}, key `{key}`")),
            "{text}\n{err}"
        );
    }
    // A suppression without a reason fails in stage one: toml's own error names the line and key.
    let (_dir, path) = config("[[suppress]]\ncheck = \"*\"\nresource = \"arn:x\"\n");
    let (code, _, err) = demo_with(&path, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("vpcwarden.toml") && err.contains("line 1") && err.contains("reason"),
        "{err}"
    );
}

/// Suppresses every finding of the demo whose check and resource match `check`/`resource`.
fn suppress(check: &str, resource: &str, expires: &str) -> String {
    format!(
        "[[suppress]]\ncheck = \"{check}\"\nresource = \"{resource}\"\nreason = \"accepted for the test\"\nowner = \"sec\"\nexpires = {expires}\n"
    )
}

#[test]
fn suppressed_failures_do_not_count_and_the_table_hides_them() {
    let (_dir, path) = config(&suppress("*", "*", "2026-11-01"));
    let (code, out, err) = demo_with(&path, &[]);
    assert_eq!(
        code, 0,
        "every failure suppressed: nothing counts\n{out}{err}"
    );
    assert!(out.contains("43 suppressed finding(s)"), "{out}");
    assert!(
        !out.contains("function-not-in-vpc"),
        "hidden by default:\n{out}"
    );
    let (code, out, _) = demo_with(&path, &["--show-suppressed"]);
    assert_eq!(code, 0);
    assert!(out.contains("function-not-in-vpc"), "{out}");
    assert_eq!(out.matches("fail, suppressed").count(), 43, "{out}");
    let (_, out, _) = demo_with(&path, &["--show-suppressed", "--long"]);
    assert!(out.contains("Suppressed: accepted for the test"), "{out}");
    assert!(out.contains("(sec), until 2026-11-01"), "{out}");
    // JSON: status kept, the summary counts them.
    let (_, out, _) = demo_with(&path, &["--format", "json"]);
    let r = json(&out);
    assert_eq!(r["summary"]["by_status"]["fail"], 43);
    assert_eq!(r["summary"]["suppressed"], 43);
    // OCSF: Suppressed; CSV: the reason in the last column.
    let (_, out, _) = demo_with(&path, &["--format", "ocsf"]);
    let ocsf = json(&out);
    let docs = ocsf.as_array().expect("array");
    assert_eq!(
        docs.iter().filter(|d| d["status"] == "Suppressed").count(),
        43
    );
    assert!(
        docs.iter()
            .filter(|d| d["status"] == "Suppressed")
            .all(|d| d["status_id"] == 3)
    );
    let (_, out, _) = demo_with(&path, &["--format", "csv"]);
    assert!(
        out.lines().next().expect("header").ends_with(",suppressed"),
        "{out}"
    );
    assert_eq!(
        out.lines()
            .filter(|l| l.ends_with(",accepted for the test"))
            .count(),
        43
    );
    // Only the suppressed ones leave the exit code: one high failure left is exit 3 again.
    let mut text = suppress("*", "*", "2026-11-01");
    text = text.replace("resource = \"*\"", "resource = \"arn:aws:iam::*\"");
    let (_dir2, partial) = config(&text);
    let (code, _, _) = demo_with(&partial, &["--fail-on", "high"]);
    assert_eq!(
        code, 3,
        "public-webhook's LAMBDA001 (critical) is not suppressed"
    );
}

#[test]
fn an_entry_expires_after_its_day_judged_on_the_scan_day() {
    // The demo was collected on 2026-11-01: an entry through that day still holds, whatever today is.
    let (_dir, path) = config(&suppress("*", "*", "2026-11-01"));
    assert_eq!(demo_with(&path, &[]).0, 0);
    let (_dir, path) = config(&suppress("*", "*", "\"2026-10-31\""));
    let (code, out, err) = demo_with(&path, &["--format", "json"]);
    assert_eq!(code, 3, "expired: the findings count again");
    let r = json(&out);
    assert_eq!(r["summary"].get("suppressed"), None, "{}", r["summary"]);
    assert_eq!(r["suppressions"][0]["state"], "expired");
    assert_eq!(r["suppressions"][0]["matched"], 43);
    assert!(err.contains("expired"), "stderr warns: {err}");
    let (_, table, _) = demo_with(&path, &[]);
    assert!(
        table.contains("expired"),
        "the table's summary warns:\n{table}"
    );
}

#[test]
fn an_entry_that_matches_nothing_in_a_complete_scan_is_stale() {
    let (_dir, path) = config(&suppress(
        "LAMBDA003",
        "arn:aws:lambda:*:function:gone-*",
        "2030-01-01",
    ));
    let (code, out, err) = demo_with(&path, &["--format", "json"]);
    assert_eq!(code, 3);
    assert_eq!(json(&out)["suppressions"][0]["state"], "stale");
    assert!(
        err.contains("matched no failing finding"),
        "stderr warns: {err}"
    );
}

#[test]
fn not_evaluated_findings_are_suppressed_only_by_exact_entries() {
    let snapshot = root().join("mocks/snapshots/function-not-in-vpc-incomplete.json");
    let run = |text: &str| {
        let (_dir, path) = config(text);
        let out = vpcwarden()
            .args(["audit", "--format", "json", "--from-snapshot"])
            .arg(&snapshot)
            .arg("--config")
            .arg(&path)
            .output()
            .expect("runs");
        (
            out.status.code().expect("code"),
            json(&String::from_utf8(out.stdout).expect("utf8")),
        )
    };
    // A glob over everything suppresses nothing not evaluated: still incomplete, entry unmatched.
    let (code, r) = run(&suppress("*", "*", "2030-01-01"));
    assert_eq!(code, 4);
    assert_eq!(r["summary"].get("suppressed"), None);
    assert_eq!(
        r["suppressions"][0]["state"], "unmatched",
        "a scan with gaps is never stale"
    );
    // One exact entry per not-evaluated finding accepts them all: exit 4 is lifted.
    let unseen: Vec<(String, String)> = r["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["status"] == "not_evaluated")
        .map(|f| {
            (
                f["code"].as_str().expect("code").to_string(),
                f["resource_arn"].as_str().expect("arn").to_string(),
            )
        })
        .collect();
    assert!(unseen.len() > 10);
    let exact: String = unseen
        .iter()
        .map(|(c, a)| suppress(c, a, "2030-01-01"))
        .collect();
    let (code, r) = run(&exact);
    assert_eq!(code, 0, "{}", r["summary"]);
    assert_eq!(r["summary"]["suppressed"], unseen.len());
    assert_eq!(r["scan"]["complete"], false, "the gaps are still reported");
    // All but one: still incomplete.
    let (c, a) = &unseen[0];
    let first = suppress(c, a, "2030-01-01");
    let (code, _) = run(&exact.replacen(&first, "", 1));
    assert_eq!(code, 4);
}

#[test]
fn a_suppressed_report_read_back_keeps_its_suppressions() {
    let (_dir, path) = config(&suppress("LAMBDA003", "arn:aws:lambda:*", "2026-12-31"));
    let (_, out, _) = demo_with(&path, &["--format", "json"]);
    let wire: vpcwarden::report::v1::Report = serde_json::from_str(&out).expect("v1");
    let report = wire.into_report(|_| None);
    assert_eq!(
        report
            .findings
            .iter()
            .filter(|f| f.suppressed.is_some())
            .count(),
        4
    );
    assert_eq!(report.summary.suppressed, 4);
    assert_eq!(report.suppressions.len(), 1);
    assert_eq!(
        vpcwarden::report::v1::Report::from(&report).to_json(),
        out,
        "the v1 bytes survive the round trip"
    );
    assert_eq!(
        report.exit(vpcwarden::finding::Severity::Low),
        vpcwarden::exit::Exit::Failing
    );
}

#[test]
fn a_checks_own_option_changes_its_verdicts() {
    // LAMBDA002 warn_days: the demo's runtimes deprecate in 241 days at the soonest, so the
    // default window (180) flags only the four past deprecation; a ten-year window flags them all.
    let fails = |text: &str| {
        let (_dir, path) = config(text);
        let (_, out, err) = demo_with(&path, &["--format", "json"]);
        let r = json(&out);
        let warned: Vec<Value> = findings(&r, "LAMBDA002")
            .filter(|f| f["status"] == "fail")
            .filter(|f| f["evidence"].get("warn_days").is_some())
            .cloned()
            .collect();
        (
            findings(&r, "LAMBDA002")
                .filter(|f| f["status"] == "fail")
                .count(),
            warned,
            err,
        )
    };
    let (n, warned, err) = fails("");
    assert_eq!((n, warned.len()), (4, 0), "{err}");
    let (n, warned, _) = fails("[checks.LAMBDA002]\nwarn_days = 3650\n");
    assert_eq!(n, 11);
    assert_eq!(warned.len(), 7);
    assert!(warned.iter().all(|f| f["evidence"]["warn_days"] == 3650));
    // By slug, and with the severity override in the same table.
    let (n, warned, _) =
        fails("[checks.function-runtime-deprecated]\nwarn_days = 3650\nseverity = \"low\"\n");
    assert_eq!((n, warned.len()), (11, 7));
    assert!(warned.iter().all(|f| f["severity"] == "low"));
}

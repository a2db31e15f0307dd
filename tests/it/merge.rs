//! `vpcwarden merge`: shard reports (and snapshots) put back together, offline. The shards here are
//! made from the demo account's report; the moto test `a_sharded_organization_scan_merges_to_the_single_process_report`
//! runs real shards against an emulated organization.

use crate::support::{root, vpcwarden};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn demo_report() -> Value {
    crate::support::demo_json(&[])
}

/// The demo report as shard INDEX of COUNT.
fn shard(report: &Value, index: u32, count: u32) -> Value {
    let mut r = report.clone();
    r["scan"]["shard"] = json!({"index": index, "count": count});
    r
}

/// A shard that got no account.
fn empty_shard(report: &Value, index: u32, count: u32) -> Value {
    let mut r = shard(report, index, count);
    r["scan"]["accounts"] = json!([]);
    r["findings"] = json!([]);
    r["network"] = json!([]);
    r["summary"] = json!({"total": 0, "by_status": {"fail": 0, "not_evaluated": 0, "pass": 0},
        "failing_by_severity": {"critical": 0, "high": 0, "informational": 0, "low": 0, "medium": 0}, "gaps": 0});
    r
}

fn write(dir: &Path, name: &str, v: &Value) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, serde_json::to_string_pretty(v).expect("json")).expect("write");
    p
}

/// `merge ARGS...`: exit code, stdout, stderr.
fn merge(args: &[&Path], extra: &[&str]) -> (i32, String, String) {
    crate::support::outcome(vpcwarden().arg("merge").args(args).args(extra))
}

#[test]
fn shards_merge_to_the_whole_report_and_a_repeated_shard_is_harmless() {
    let demo = demo_report();
    let dir = tempfile::tempdir().expect("tempdir");
    let a = write(dir.path(), "shard-0.json", &shard(&demo, 0, 3));
    let b = write(dir.path(), "shard-1.json", &empty_shard(&demo, 1, 3));
    let c = write(dir.path(), "shard-2.json", &empty_shard(&demo, 2, 3));
    let again = write(dir.path(), "shard-0-rerun.json", &shard(&demo, 0, 3));
    let (code, out, err) = merge(&[&a, &b, &c, &again], &[]);
    assert_eq!(code, 3, "as audit would: the demo fails\n{err}");
    let merged: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(
        merged["findings"], demo["findings"],
        "same findings, same order"
    );
    assert_eq!(merged["summary"], demo["summary"]);
    assert_eq!(merged["gaps"], demo["gaps"]);
    assert_eq!(
        merged["network"], demo["network"],
        "the same network picture"
    );
    assert_eq!(merged["scan"]["accounts"], demo["scan"]["accounts"]);
    assert_eq!(merged["scan"]["complete"], true);
    assert_eq!(
        merged["scan"].get("shard"),
        None,
        "a merged report is whole"
    );
    // --dir reads every *.json of the directory but the output, without a shell's glob.
    let output = dir.path().join("merged.json");
    let (code, _, err) = merge(
        &[],
        &[
            "--dir",
            dir.path().to_str().expect("utf8"),
            "--output",
            output.to_str().expect("utf8"),
        ],
    );
    assert_eq!(code, 3, "{err}");
    let again: Value =
        serde_json::from_str(&std::fs::read_to_string(&output).expect("read")).expect("json");
    assert_eq!(again["findings"], demo["findings"]);
    // Run again with the merged report in the directory: it is the output, so it is skipped.
    let (code, _, err) = merge(
        &[],
        &[
            "--dir",
            dir.path().to_str().expect("utf8"),
            "--output",
            output.to_str().expect("utf8"),
        ],
    );
    assert_eq!(code, 3, "{err}");
}

#[test]
fn a_missing_shard_is_named_and_the_merge_is_incomplete() {
    let demo = demo_report();
    let dir = tempfile::tempdir().expect("tempdir");
    let a = write(dir.path(), "a.json", &shard(&demo, 0, 3));
    let c = write(dir.path(), "c.json", &empty_shard(&demo, 2, 3));
    let (code, out, err) = merge(&[&a, &c], &["--fail-on", "critical"]);
    assert_eq!(
        code, 4,
        "a missing shard beats failing findings: the result is not the whole run\n{err}"
    );
    assert!(err.contains("1 of 3 shard(s) missing (index 1)"), "{err}");
    let merged: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(merged["scan"]["complete"], false);
    let gaps = merged["gaps"].as_array().expect("gaps");
    assert_eq!(gaps.len(), 1);
    assert_eq!(gaps[0]["error_code"], "ShardMissing");
    assert_eq!(gaps[0]["resource"], "shard 1/3");
    // The table says so too.
    let (_, table, _) = merge(&[&a, &c], &["--format", "table"]);
    assert!(
        table.contains("INCOMPLETE") && table.contains("ShardMissing"),
        "{table}"
    );
}

#[test]
fn what_does_not_merge_exactly_is_refused_naming_the_files() {
    let demo = demo_report();
    let dir = tempfile::tempdir().expect("tempdir");
    let a = write(dir.path(), "a.json", &shard(&demo, 0, 2));
    let whole = write(dir.path(), "whole.json", &demo);
    let (code, _, err) = merge(&[&a, &whole], &[]);
    assert_eq!(code, 2);
    assert!(err.contains("whole.json is not a shard's report"), "{err}");
    let other_count = write(dir.path(), "b3.json", &empty_shard(&demo, 1, 3));
    let (code, _, err) = merge(&[&a, &other_count], &[]);
    assert_eq!(code, 2);
    assert!(
        err.contains("b3.json is shard 1/3 but") && err.contains("a.json is shard 0/2"),
        "{err}"
    );
    let mut newer = empty_shard(&demo, 1, 2);
    newer["scan"]["tool_version"] = json!("vpcwarden 9.9.9");
    let newer = write(dir.path(), "newer.json", &newer);
    let (code, _, err) = merge(&[&a, &newer], &[]);
    assert_eq!(code, 2);
    assert!(err.contains("tool version"), "{err}");
    let mut fewer = empty_shard(&demo, 1, 2);
    fewer["scan"]["checks"] = json!(["LAMBDA003"]);
    let fewer = write(dir.path(), "fewer.json", &fewer);
    let (code, _, err) = merge(&[&a, &fewer], &[]);
    assert_eq!(code, 2);
    assert!(err.contains("the checks that ran"), "{err}");
    // One account twice with different findings: not shards of one run.
    let mut changed = shard(&demo, 1, 2);
    changed["findings"][0]["severity"] = json!("low");
    let changed = write(dir.path(), "changed.json", &changed);
    let (code, _, err) = merge(&[&a, &changed], &[]);
    assert_eq!(code, 2);
    assert!(
        err.contains("account 123456789012 is in both") && err.contains("changed.json"),
        "{err}"
    );
    // A report left from yesterday's run is not part of today's.
    let mut stale = empty_shard(&demo, 1, 2);
    stale["scan"]["started_at"] = json!("2026-10-31T09:00:00Z");
    let stale = write(dir.path(), "stale.json", &stale);
    let (code, _, err) = merge(&[&a, &stale], &[]);
    assert_eq!(code, 2);
    assert!(
        err.contains("stale.json started at 2026-10-31T09:00:00Z")
            && err.contains("more than 12 h apart"),
        "{err}"
    );
    assert_eq!(
        merge(&[&a, &stale], &["--max-hours-apart", "48"]).0,
        3,
        "unless told it is"
    );
    // Reports and snapshots do not mix; nothing named is a usage error.
    let snapshot = root().join("mocks/snapshots/demo.json");
    let (code, _, err) = merge(&[&a, &snapshot], &[]);
    assert_eq!(code, 2);
    assert!(err.contains("not of one kind"), "{err}");
    assert_eq!(merge(&[], &[]).0, 2);
}

#[test]
fn shard_snapshots_merge_to_one_that_audits_as_the_whole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text =
        std::fs::read_to_string(root().join("mocks/snapshots/demo.json")).expect("demo snapshot");
    let mut snap: Value = serde_json::from_str(&text).expect("json");
    snap["shard"] = json!({"index": 0, "count": 2});
    let a = write(dir.path(), "s0.json", &snap);
    let mut empty = snap.clone();
    empty["shard"] = json!({"index": 1, "count": 2});
    empty["accounts"] = json!([]);
    let b = write(dir.path(), "s1.json", &empty);
    let merged = dir.path().join("merged.json");
    let (code, _, err) = merge(&[&a, &b], &["--output", merged.to_str().expect("utf8")]);
    assert_eq!(code, 0, "{err}");
    let audited = vpcwarden()
        .args(["audit", "--format", "json", "--from-snapshot"])
        .arg(&merged)
        .assert()
        .code(3)
        .get_output()
        .stdout
        .clone();
    let audited: Value = serde_json::from_slice(&audited).expect("json");
    assert_eq!(audited["findings"], demo_report()["findings"]);
    // A snapshot cannot say a shard is missing: the merge refuses.
    let (code, _, err) = merge(&[&a], &[]);
    assert_eq!(code, 2);
    assert!(err.contains("shard(s) 1 of 2 have no snapshot"), "{err}");
}

#[test]
fn shard_flags_are_checked_before_any_aws_call() {
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut cmd = vpcwarden();
        cmd.args([
            "audit",
            "--region",
            "us-east-1",
            "--endpoint-url",
            "http://127.0.0.1:9",
        ])
        .args(args)
        .env_remove("AWS_BATCH_JOB_ARRAY_INDEX")
        .env_remove("JOB_COMPLETION_INDEX")
        .env_remove("VPCWARDEN_SHARD_COUNT");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let (code, _, err) = crate::support::outcome(&mut cmd);
        (code, err)
    };
    let (code, err) = run(&["--shard", "0/2"], &[]);
    assert_eq!(code, 2);
    assert!(err.contains("--organization or --accounts-file"), "{err}");
    let (code, err) = run(&["--organization", "--shard", "2/2"], &[]);
    assert_eq!(code, 2);
    assert!(err.contains("out of range"), "{err}");
    let (code, err) = run(&["--organization", "--shard", "one/2"], &[]);
    assert_eq!(code, 2);
    assert!(err.contains("INDEX"), "{err}");
    let (code, err) = run(&["--organization", "--shard-count", "4"], &[]);
    assert_eq!(code, 2);
    assert!(
        err.contains("AWS_BATCH_JOB_ARRAY_INDEX or JOB_COMPLETION_INDEX"),
        "{err}"
    );
    let (code, err) = run(
        &["--organization"],
        &[
            ("VPCWARDEN_SHARD_COUNT", "4"),
            ("JOB_COMPLETION_INDEX", "7"),
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("out of range"), "{err}");
    let (code, err) = run(&["--output", "/tmp/x-{shard}.json"], &[]);
    assert_eq!(code, 2);
    assert!(
        err.contains("{shard} stands for the shard's index"),
        "{err}"
    );
}

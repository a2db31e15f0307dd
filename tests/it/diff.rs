//! `vpcwarden diff`: the binary on two reports derived from the demo account's, in each format,
//! with its exit codes and its refusals of what is not a v1 report.

use crate::support::vpcwarden;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

use crate::support::demo_json as demo;

fn write(dir: &Path, name: &str, report: &Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(report).expect("JSON")).expect("write");
    path
}

fn findings(report: &mut Value) -> &mut Vec<Value> {
    report["findings"].as_array_mut().expect("findings")
}

/// The first finding of `code` with `status` (and, if given, in `region`).
fn pick<'a>(
    report: &'a mut Value,
    code: &str,
    status: &str,
    region: Option<&str>,
) -> &'a mut Value {
    findings(report)
        .iter_mut()
        .find(|f| {
            f["code"] == code && f["status"] == status && region.is_none_or(|r| f["region"] == r)
        })
        .unwrap_or_else(|| panic!("the demo has a {status} {code}"))
}

/// Old and new reports of the demo account, and what changed between them:
/// - a passing LAMBDA001 in us-east-1 fails now (new, critical);
/// - a failing LAMBDA003 in us-east-1 passes now (resolved);
/// - a failing LAMBDA005 in us-east-1 went from medium to high (changed);
/// - eu-west-1's function list was denied: its failing findings are gone from the new report, and
///   the gap says why (not comparable, never resolved);
/// - a failing account-wide IAM004 is gone too: account-wide findings depend on every region's
///   functions, so the eu-west-1 gap makes it not comparable as well.
struct Pair {
    _dir: tempfile::TempDir,
    old: PathBuf,
    new: PathBuf,
    /// Ids per expected category.
    new_id: String,
    resolved_id: String,
    changed_id: String,
    blinded: Vec<String>,
}

fn pair() -> Pair {
    let dir = tempfile::tempdir().expect("tempdir");
    let old = demo(&[]);
    let mut new = old.clone();
    let id = |f: &Value| f["id"].as_str().expect("id").to_string();
    let added = pick(&mut new, "LAMBDA001", "pass", Some("us-east-1"));
    added["status"] = json!("fail");
    added["message"] = json!("Anyone can invoke it now.");
    let new_id = id(added);
    let fixed = pick(&mut new, "LAMBDA003", "fail", Some("us-east-1"));
    fixed["status"] = json!("pass");
    let resolved_id = id(fixed);
    let worse = pick(&mut new, "LAMBDA005", "fail", Some("us-east-1"));
    assert_eq!(worse["severity"], "medium");
    worse["severity"] = json!("high");
    let changed_id = id(worse);
    let mut blinded: Vec<String> = findings(&mut new)
        .iter()
        .filter(|f| f["region"] == "eu-west-1" && f["status"] == "fail")
        .map(id)
        .collect();
    let gone_role = id(pick(&mut new, "IAM004", "fail", None));
    blinded.push(gone_role.clone());
    assert!(blinded.len() >= 2, "{blinded:?}");
    findings(&mut new).retain(|f| !blinded.contains(&id(f)));
    new["gaps"] = json!([{
        "account_id": "123456789012",
        "region": "eu-west-1",
        "service": "lambda",
        "operation": "ListFunctions",
        "error_code": "AccessDeniedException",
        "message": "not authorized to perform: lambda:ListFunctions",
    }]);
    new["scan"]["complete"] = json!(false);
    Pair {
        old: write(dir.path(), "old.json", &old),
        new: write(dir.path(), "new.json", &new),
        _dir: dir,
        new_id,
        resolved_id,
        changed_id,
        blinded,
    }
}

fn diff_json(p: &Pair, extra: &[&str], code: i32) -> Value {
    let out = vpcwarden()
        .arg("diff")
        .arg(&p.old)
        .arg(&p.new)
        .args(["--format", "json"])
        .args(extra)
        .assert()
        .code(code)
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).expect("a JSON diff")
}

fn ids(doc: &Value, category: &str) -> Vec<String> {
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|e| e["category"] == category)
        .map(|e| e["id"].as_str().expect("id").to_string())
        .collect()
}

#[test]
fn json_lists_each_category_with_both_sides_and_the_reason() {
    let p = pair();
    let doc = diff_json(&p, &[], 3);
    assert_eq!(doc["schema"], "vpcwarden.diff/v1");
    assert_eq!(doc["old"]["report"], p.old.display().to_string());
    assert_eq!(doc["new"]["complete"], false);
    assert_eq!(doc["new"]["tool_version"], doc["old"]["tool_version"]);
    assert_eq!(ids(&doc, "new"), std::slice::from_ref(&p.new_id));
    assert_eq!(ids(&doc, "resolved"), std::slice::from_ref(&p.resolved_id));
    assert_eq!(ids(&doc, "changed"), std::slice::from_ref(&p.changed_id));
    let mut blinded = ids(&doc, "not_comparable");
    blinded.sort();
    let mut expected = p.blinded.clone();
    expected.sort();
    assert_eq!(blinded, expected);
    let s = &doc["summary"];
    assert_eq!(s["new"], 1);
    assert_eq!(s["resolved"], 1);
    assert_eq!(s["changed"], 1);
    assert_eq!(s["not_comparable"], p.blinded.len());
    let total = doc["findings"].as_array().expect("findings").len() as u64;
    let listed: u64 = [
        "new",
        "resolved",
        "changed",
        "not_comparable",
        "still_failing",
    ]
    .iter()
    .map(|k| s[k].as_u64().expect("count"))
    .sum();
    assert_eq!(listed, total);
    // Every failing finding of the demo is accounted for, and so is every other one.
    let old: Value =
        serde_json::from_str(&std::fs::read_to_string(&p.old).expect("old")).expect("JSON");
    assert_eq!(
        listed + s["not_listed"].as_u64().expect("count"),
        old["findings"].as_array().expect("findings").len() as u64
    );

    let entry = |id: &str| {
        doc["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .find(|e| e["id"] == id)
            .expect("entry")
            .clone()
    };
    let added = entry(&p.new_id);
    assert_eq!(added["code"], "LAMBDA001");
    assert_eq!(added["old_status"], "pass");
    assert_eq!(added["new_status"], "fail");
    assert_eq!(added["severity"], "critical");
    assert!(added["title"].as_str().is_some_and(|t| !t.is_empty()));
    assert_eq!(added["reason"], Value::Null);
    let worse = entry(&p.changed_id);
    assert_eq!(
        (&worse["old_severity"], &worse["new_severity"]),
        (&json!("medium"), &json!("high"))
    );
    for id in &p.blinded {
        let e = entry(id);
        assert_eq!(e["old_status"], "fail");
        assert_eq!(e["new_status"], "absent");
        assert_eq!(e["new_severity"], Value::Null);
        assert_eq!(e["reason"]["kind"], "gap", "{e}");
        assert_eq!(e["reason"]["gap"]["operation"], "ListFunctions");
        assert!(
            e["reason"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("lambda:ListFunctions")),
            "{e}"
        );
    }
    // Ordered by category (new, resolved, changed, not comparable, still failing), then most
    // severe first.
    let rank = |c: &str| {
        [
            "new",
            "resolved",
            "changed",
            "not_comparable",
            "still_failing",
        ]
        .iter()
        .position(|k| *k == c)
        .expect("known category")
    };
    let sev = |s: &str| {
        ["critical", "high", "medium", "low", "informational"]
            .iter()
            .position(|k| *k == s)
            .expect("known severity")
    };
    let keys: Vec<(usize, usize)> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|e| {
            (
                rank(e["category"].as_str().expect("category")),
                sev(e["severity"].as_str().expect("severity")),
            )
        })
        .collect();
    assert!(keys.is_sorted(), "{keys:?}");
}

#[test]
fn the_table_has_a_counts_line_and_a_section_per_category() {
    let p = pair();
    let out = vpcwarden()
        .arg("diff")
        .arg(&p.old)
        .arg(&p.new)
        .assert()
        .code(3)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).expect("utf8");
    let first = text.lines().next().expect("a counts line");
    assert!(
        first.starts_with(&format!(
            "1 new, 1 resolved, 1 changed, {} not comparable, ",
            p.blinded.len()
        )),
        "{text}"
    );
    for heading in [
        "New failures (1):",
        "Resolved (1):",
        "Severity changed (1):",
        "Not comparable (",
        "Still failing (",
    ] {
        assert!(text.contains(heading), "{heading}: {text}");
    }
    assert!(text.contains("pass → fail (critical)"), "{text}");
    assert!(text.contains("fail (medium) → fail (high)"), "{text}");
    assert!(text.contains("lambda:ListFunctions"), "{text}");
    assert!(text.contains("with gaps"), "{text}");
}

#[test]
fn markdown_has_a_heading_counts_and_capped_tables() {
    let dir = tempfile::tempdir().expect("tempdir");
    let old = demo(&[]);
    let mut new = old.clone();
    // 60 failures on functions the old scan never had: one table of 50 rows, and the rest counted.
    let template = findings(&mut new)
        .iter()
        .find(|f| f["code"] == "LAMBDA003" && f["status"] == "fail")
        .expect("a failing LAMBDA003")
        .clone();
    for i in 0..60 {
        let mut f = template.clone();
        f["id"] = json!(format!("{i:032x}"));
        f["resource_arn"] = json!(format!(
            "arn:aws:lambda:us-east-1:123456789012:function:added-{i:02}|x"
        ));
        findings(&mut new).push(f);
    }
    let (o, n) = (
        write(dir.path(), "old.json", &old),
        write(dir.path(), "new.json", &new),
    );
    let md_path = dir.path().join("diff.md");
    vpcwarden()
        .arg("diff")
        .arg(&o)
        .arg(&n)
        .args(["--format", "markdown", "--output"])
        .arg(&md_path)
        .assert()
        .code(3)
        .stdout("");
    let md = std::fs::read_to_string(&md_path).expect("written");
    assert!(md.starts_with("## "), "{md}");
    assert!(md.contains("**60 new** · 0 resolved · 0 changed"), "{md}");
    assert!(md.contains("### New failures (60)"), "{md}");
    let section = md
        .split("### ")
        .find(|s| s.starts_with("New failures"))
        .expect("section");
    let rows = section.lines().filter(|l| l.starts_with("| low ")).count();
    assert_eq!(rows, 50, "{section}");
    assert!(section.contains("and 10 more"), "{section}");
    // A pipe in a cell is escaped: every row has the header's number of cells.
    let cells = |l: &str| l.replace("\\|", "").matches('|').count();
    let header = section
        .lines()
        .find(|l| l.starts_with("| Severity"))
        .expect("header");
    for row in section.lines().filter(|l| l.starts_with("| low ")) {
        assert_eq!(cells(row), cells(header), "{row}");
    }
    assert!(md.contains("### Still failing ("), "{md}");
    assert!(
        !md.contains("### Resolved"),
        "empty sections are left out: {md}"
    );
    assert!(!md.contains("### Not comparable"), "{md}");
}

#[test]
fn fail_on_counts_new_failures_and_rises_only() {
    let p = pair();
    // The new failure is critical: every threshold fails.
    diff_json(&p, &["--fail-on", "critical"], 3);
    // Without it, only the rise from medium to high is left.
    let mut new: Value =
        serde_json::from_str(&std::fs::read_to_string(&p.new).expect("new")).expect("JSON");
    findings(&mut new).retain(|f| f["id"] != p.new_id.as_str());
    std::fs::write(&p.new, new.to_string()).expect("write");
    diff_json(&p, &["--fail-on", "high"], 3);
    diff_json(&p, &["--fail-on", "critical"], 0);
    // Still failing, resolved and not comparable never fail the gate.
    let same = vpcwarden()
        .arg("diff")
        .arg(&p.old)
        .arg(&p.old)
        .args(["--format", "json", "--fail-on", "informational"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let same: Value = serde_json::from_slice(&same).expect("JSON");
    assert_eq!(same["summary"]["new"], 0);
    assert_eq!(same["summary"]["still_failing"], 43);
}

#[test]
fn a_compact_report_compares_as_a_full_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let full = write(dir.path(), "full.json", &demo(&[]));
    let compact = demo(&["--compact-pass"]);
    assert_eq!(compact["scan"]["compact_pass"], true);
    let compact = write(dir.path(), "compact.json", &compact);
    for (old, new) in [(&full, &compact), (&compact, &full)] {
        let out = vpcwarden()
            .arg("diff")
            .arg(old)
            .arg(new)
            .args(["--format", "json"])
            .assert()
            .code(0)
            .get_output()
            .stdout
            .clone();
        let doc: Value = serde_json::from_slice(&out).expect("JSON");
        let s = &doc["summary"];
        assert_eq!(
            (
                s["new"].as_u64(),
                s["resolved"].as_u64(),
                s["not_comparable"].as_u64()
            ),
            (Some(0), Some(0), Some(0)),
            "{s}"
        );
        assert_eq!(s["still_failing"], 43);
        assert_eq!(s["not_listed"], 115);
    }
}

#[test]
fn unreadable_reports_are_refused_with_exit_2_naming_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = write(dir.path(), "good.json", &demo(&[]));
    let text = std::fs::read_to_string(&good).expect("good");
    let cut = dir.path().join("cut.json");
    std::fs::write(&cut, &text[..text.len() / 2]).expect("write");
    let mut v2: Value = serde_json::from_str(&text).expect("JSON");
    v2["schema"] = json!("vpcwarden.findings/v2");
    let v2 = write(dir.path(), "v2.json", &v2);
    // A diff document is not a report either.
    let diff_doc = vpcwarden()
        .arg("diff")
        .arg(&good)
        .arg(&good)
        .args(["--format", "json"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let diff_doc_path = dir.path().join("diff.json");
    std::fs::write(&diff_doc_path, diff_doc).expect("write");
    let missing = dir.path().join("missing.json");
    let cases: [(&Path, &str); 4] = [
        (&cut, "EOF while parsing"),
        (&v2, "schema \"vpcwarden.findings/v2\""),
        (&diff_doc_path, "schema \"vpcwarden.diff/v1\""),
        (&missing, "cannot read report"),
    ];
    for (bad, error) in cases {
        for (old, new) in [(bad, good.as_path()), (good.as_path(), bad)] {
            let out = vpcwarden()
                .arg("diff")
                .arg(old)
                .arg(new)
                .assert()
                .code(2)
                .stdout("")
                .get_output()
                .clone();
            let stderr = String::from_utf8(out.stderr).expect("utf8");
            assert!(stderr.contains(&bad.display().to_string()), "{stderr}");
            assert!(stderr.contains(error), "{error}: {stderr}");
        }
    }
}

/// `audit --demo --baseline OLD` (with `extra`): exit code, stdout, stderr.
fn audit_against(old: &Path, extra: &[&str]) -> (i32, String, String) {
    crate::support::outcome(
        vpcwarden()
            .args(["audit", "--demo", "--baseline"])
            .arg(old)
            .args(extra),
    )
}

#[test]
fn audit_against_a_baseline_gates_on_new_failures_only_and_marks_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    // The same scan as baseline: 43 failures, none new, exit 0.
    let same = write(dir.path(), "same.json", &demo(&[]));
    let (code, table, _) = audit_against(&same, &[]);
    assert_eq!(code, 0, "nothing new:\n{table}");
    assert!(table.contains("Against baseline"), "{table}");
    assert!(
        table.contains("0 new, 0 resolved, 0 changed, 0 not comparable, 43 still failing"),
        "{table}"
    );
    assert!(!table.contains(", new"), "{table}");
    // A baseline without the critical LAMBDA001 failure and with IAM003 at medium: one new, one
    // risen to high.
    let mut old = demo(&[]);
    let public = pick(&mut old, "LAMBDA001", "fail", None)["id"].clone();
    findings(&mut old).retain(|f| f["id"] != public);
    pick(&mut old, "IAM003", "fail", None)["severity"] = json!("medium");
    let old = write(dir.path(), "old.json", &old);
    let (code, table, _) = audit_against(&old, &[]);
    assert_eq!(code, 3);
    assert!(table.contains("1 new, 0 resolved, 1 changed"), "{table}");
    assert!(
        table.contains("fail, new"),
        "the new failure is marked:\n{table}"
    );
    assert!(
        table.contains("fail, was medium"),
        "the risen one is marked:\n{table}"
    );
    let (_, long, _) = audit_against(&old, &["--long"]);
    assert!(
        long.contains("NEW") && long.contains("was medium"),
        "--long marks them too:\n{long}"
    );
    // --fail-on weighs only those: critical (LAMBDA001) fails; with that one suppressed, the rise
    // to high does not reach critical, and nothing else counts.
    assert_eq!(audit_against(&old, &["--fail-on", "critical"]).0, 3);
    let config = dir.path().join("vpcwarden.toml");
    std::fs::write(
        &config,
        "[[suppress]]\ncheck = \"LAMBDA001\"\nresource = \"arn:aws:lambda:us-east-1:123456789012:function:public-webhook\"\nreason = \"r\"\n",
    )
    .expect("write");
    let cfg = config.to_str().expect("utf8 path");
    assert_eq!(
        audit_against(&old, &["--fail-on", "critical", "--config", cfg]).0,
        0
    );
    assert_eq!(
        audit_against(&old, &["--fail-on", "high", "--config", cfg]).0,
        3,
        "IAM003 rose to high"
    );
    // Another format keeps its document and says the comparison on stderr.
    let (code, out, err) = audit_against(&old, &["--format", "json"]);
    assert_eq!(code, 3);
    let report: Value = serde_json::from_str(&out).expect("the JSON report, unchanged");
    assert_eq!(report["summary"]["by_status"]["fail"], 43);
    assert!(err.contains("1 new, 0 resolved, 1 changed"), "{err}");
}

#[test]
fn an_unreadable_baseline_is_refused_before_any_aws_call() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("old.json");
    std::fs::write(&bad, "{\"schema\": \"vpcwarden.diff/v1\"}").expect("write");
    // Nothing listens on port 9: had it scanned first, the error would name sts.
    vpcwarden()
        .args([
            "audit",
            "--region",
            "us-east-1",
            "--endpoint-url",
            "http://127.0.0.1:9",
            "--baseline",
        ])
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("old.json"))
        .stderr(predicates::str::contains("vpcwarden.diff/v1"));
}

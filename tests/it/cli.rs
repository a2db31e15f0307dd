//! The binary: commands, output formats and exit codes, offline (demo and snapshot files).

use crate::support::{root, vpcwarden};
use serde_json::Value;

fn scenario_path(name: &str) -> String {
    root()
        .join("mocks/snapshots")
        .join(format!("{name}.json"))
        .display()
        .to_string()
}

fn json_of(output: &[u8]) -> Value {
    serde_json::from_slice(output).expect("JSON output")
}

#[test]
fn demo_audit_prints_a_table_and_exits_3_on_failing_findings() {
    let out = vpcwarden()
        .args(["audit", "--demo"])
        .assert()
        .code(3)
        .get_output()
        .clone();
    let text = String::from_utf8(out.stdout).expect("utf8");
    assert!(text.contains("function-not-in-vpc"), "{text}");
    assert!(text.contains("scan complete"), "{text}");
    assert!(
        !text.contains(" pass "),
        "PASS rows are hidden by default:\n{text}"
    );
}

#[test]
fn json_output_follows_schema_v1() {
    let out = vpcwarden()
        .args([
            "audit",
            "--from-snapshot",
            &scenario_path("function-not-in-vpc"),
            "--checks",
            "function-not-in-vpc",
            "--format",
            "json",
        ])
        .assert()
        .code(3)
        .get_output()
        .clone();
    let report = json_of(&out.stdout);
    assert_eq!(report["schema"], "vpcwarden.findings/v1");
    let scan = &report["scan"];
    for key in [
        "tool_version",
        "accounts",
        "regions",
        "started_at",
        "finished_at",
        "complete",
    ] {
        assert!(scan.get(key).is_some(), "scan.{key} missing");
    }
    assert_eq!(scan["complete"], true);
    assert_eq!(scan["source"], "snapshot");
    assert_eq!(
        scan["regions"],
        serde_json::json!(["eu-west-1", "us-east-1"])
    );
    let findings = report["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 5);
    for f in findings {
        for key in [
            "id",
            "code",
            "slug",
            "title",
            "severity",
            "status",
            "account_id",
            "region",
            "resource_type",
            "resource_arn",
            "evidence",
            "compliance",
            "remediation",
        ] {
            assert!(f.get(key).is_some(), "finding.{key} missing in {f}");
        }
        assert!(
            f["resource_arn"]
                .as_str()
                .expect("arn")
                .starts_with("arn:aws:lambda:")
        );
    }
    assert_eq!(report["summary"]["by_status"]["fail"], 3);
    assert_eq!(report["summary"]["failing_by_severity"]["low"], 3);
    assert_eq!(report["gaps"], serde_json::json!([]));
}

#[test]
fn output_is_byte_stable_across_runs() {
    let run = || {
        vpcwarden()
            .args(["audit", "--demo", "--format", "json"])
            .assert()
            .code(3)
            .get_output()
            .stdout
            .clone()
    };
    assert_eq!(run(), run());
}

#[test]
fn fail_on_threshold_sets_the_exit_code() {
    let path = scenario_path("function-not-in-vpc");
    let only = ["--checks", "function-not-in-vpc"];
    vpcwarden()
        .args(["audit", "--from-snapshot", &path, "--fail-on", "low"])
        .args(only)
        .assert()
        .code(3);
    vpcwarden()
        .args(["audit", "--from-snapshot", &path, "--fail-on", "medium"])
        .args(only)
        .assert()
        .code(0);
    vpcwarden()
        .args([
            "audit",
            "--from-snapshot",
            &scenario_path("function-not-in-vpc-clean"),
        ])
        .args(only)
        .assert()
        .code(0);
}

#[test]
fn incomplete_scan_exits_4_and_lists_gaps() {
    let out = vpcwarden()
        .args([
            "audit",
            "--from-snapshot",
            &scenario_path("function-not-in-vpc-incomplete"),
        ])
        .assert()
        .code(4)
        .get_output()
        .clone();
    let text = String::from_utf8(out.stdout).expect("utf8");
    assert!(text.contains("INCOMPLETE"), "{text}");
    assert!(text.contains("lambda:ListFunctions"), "{text}");
    assert!(text.contains("not_evaluated"), "{text}");
}

#[test]
fn check_selection_by_code_or_slug_and_unknown_names_are_usage_errors() {
    let path = scenario_path("function-not-in-vpc");
    vpcwarden()
        .args(["audit", "--from-snapshot", &path, "--checks", "lambda003"])
        .assert()
        .code(3);
    let out = vpcwarden()
        .args([
            "audit",
            "--from-snapshot",
            &path,
            "--exclude-checks",
            "function-not-in-vpc",
            "--format",
            "json",
        ])
        .assert()
        // ORG001 fails on this account (it is in no organization).
        .code(3)
        .get_output()
        .clone();
    let report = json_of(&out.stdout);
    let findings = report["findings"].as_array().expect("findings");
    assert!(!findings.is_empty(), "the other checks still run");
    assert!(findings.iter().all(|f| f["slug"] != "function-not-in-vpc"));
    assert!(
        report["scan"]["checks"]
            .as_array()
            .expect("checks")
            .iter()
            .all(|c| c != "LAMBDA003")
    );
    vpcwarden()
        .args([
            "audit",
            "--from-snapshot",
            &path,
            "--checks",
            "no-such-check",
        ])
        .assert()
        .code(2)
        .stderr(predicates_str("no-such-check"));
}

fn predicates_str(needle: &'static str) -> impl predicates::Predicate<str> {
    predicates::str::contains(needle)
}

#[test]
fn snapshots_of_another_schema_or_malformed_are_refused_with_the_file_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let other = dir.path().join("v2.json");
    std::fs::write(&other, r#"{"schema_version": "2.0", "accounts": []}"#).expect("write");
    vpcwarden()
        .args(["audit", "--from-snapshot", other.to_str().expect("utf8")])
        .assert()
        .code(2)
        .stderr(predicates_str("schema_version \"2.0\""))
        .stderr(predicates_str("v2.json"));
    let broken = dir.path().join("broken.json");
    std::fs::write(
        &broken,
        r#"{"schema_version": "1.0", "collected_at": "x", "collected_by": {"tool": "t", "caller_arn": "a"}, "accounts": [{"account_id": 5}]}"#,
    )
    .expect("write");
    vpcwarden()
        .args(["audit", "--from-snapshot", broken.to_str().expect("utf8")])
        .assert()
        .code(2)
        .stderr(predicates_str("broken.json"))
        .stderr(predicates_str("account_id"));
    vpcwarden()
        .args(["audit", "--from-snapshot", "/nonexistent/snap.json"])
        .assert()
        .code(2)
        .stderr(predicates_str("/nonexistent/snap.json"));
}

#[test]
fn save_snapshot_then_audit_it_gives_the_same_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let snap = dir.path().join("snap.json");
    let first = dir.path().join("first.json");
    vpcwarden()
        .args(["audit", "--demo", "--format", "json", "--output"])
        .arg(&first)
        .arg("--save-snapshot")
        .arg(&snap)
        .assert()
        .code(3);
    let again = vpcwarden()
        .args(["audit", "--format", "json", "--from-snapshot"])
        .arg(&snap)
        .assert()
        .code(3)
        .get_output()
        .stdout
        .clone();
    let mut a = json_of(&std::fs::read(&first).expect("read"));
    let mut b = json_of(&again);
    assert_eq!(a["scan"]["source"], "demo");
    assert_eq!(b["scan"]["source"], "snapshot");
    a["scan"]["source"] = Value::Null;
    b["scan"]["source"] = Value::Null;
    assert_eq!(a, b);
}

#[test]
fn checks_and_explain_come_from_the_catalog() {
    let out = vpcwarden()
        .arg("checks")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).expect("utf8");
    assert!(
        text.contains("LAMBDA003") && text.contains("function-not-in-vpc"),
        "{text}"
    );
    for name in ["function-not-in-vpc", "LAMBDA003", "lambda003"] {
        vpcwarden()
            .args(["explain", name])
            .assert()
            .success()
            .stdout(predicates_str("## Remediation"))
            .stdout(predicates_str("### Terraform"));
    }
    vpcwarden().args(["explain", "nope"]).assert().code(2);
}

#[test]
fn live_scan_without_credentials_or_region_is_a_usage_error() {
    vpcwarden()
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_WEB_IDENTITY_TOKEN_FILE")
        .env_remove("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
        .env_remove("AWS_CONTAINER_CREDENTIALS_FULL_URI")
        .args([
            "collect",
            "--region",
            "us-east-1",
            "--endpoint-url",
            "http://127.0.0.1:9",
        ])
        .assert()
        .code(2)
        .stderr(predicates_str("sts:GetCallerIdentity"));
}

#[test]
fn conflicting_sources_are_usage_errors() {
    vpcwarden()
        .args(["audit", "--demo", "--from-snapshot", "x.json"])
        .assert()
        .code(2);
    vpcwarden()
        .args(["audit", "--demo", "--region", "us-east-1"])
        .assert()
        .code(2);
}

#[test]
fn a_bad_config_file_is_refused_before_any_aws_call() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("vpcwarden.toml");
    std::fs::write(&config, "approved_vpc = [\"vpc-1\"]\n").expect("write");
    // Nothing listens on port 9: had it collected first, the error would name sts instead.
    vpcwarden()
        .args([
            "audit",
            "--region",
            "us-east-1",
            "--endpoint-url",
            "http://127.0.0.1:9",
            "--config",
        ])
        .arg(&config)
        .assert()
        .code(2)
        .stderr(predicates_str("vpcwarden.toml"))
        .stderr(predicates_str("approved_vpc"));
}

#[test]
fn inventory_enis_shows_pairs_pending_inactive_and_unused_enis() {
    let out = vpcwarden()
        .args(["inventory", "enis", "--demo", "--format", "json"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let inv = json_of(&out.stdout);
    assert_eq!(inv["schema"], "vpcwarden.inventory.enis/v1");
    assert_eq!(inv["complete"], true);
    let regions = &inv["accounts"][0]["regions"];
    let eu = &regions[0];
    assert_eq!(eu["region"], "eu-west-1");
    // billing-sync and ledger-batch share one pair, hence one ENI.
    let shared = eu["pairs"]
        .as_array()
        .expect("pairs")
        .iter()
        .find(|p| p["subnet_id"] == "subnet-0cd87b5c83a4f6ea4")
        .expect("shared pair");
    assert_eq!(
        shared["functions"],
        serde_json::json!(["billing-sync", "ledger-batch"])
    );
    assert_eq!(shared["enis"].as_array().map(Vec::len), Some(1));
    assert_eq!(shared["availability_zone"], "eu-west-1b");
    assert_eq!(eu["inactive_functions"][0]["name"], "audit-archiver");
    assert_eq!(eu["inactive_functions"][0]["state_reason_code"], "Idle");
    assert_eq!(
        eu["functions_without_eni"],
        serde_json::json!([]),
        "an Inactive function is listed as inactive, not as pending"
    );
    let us = &regions[1];
    assert_eq!(
        us["unused_enis"][0]["network_interface_id"],
        "eni-05d8f8fddfc60aee5"
    );
    assert_eq!(us["unused_enis"][0]["function_name"], "inventory-sync");

    let table = vpcwarden()
        .args(["inventory", "enis", "--demo"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(table).expect("utf8");
    assert!(
        text.contains("Inactive (ENIs reclaimed, Idle): audit-archiver"),
        "{text}"
    );
    assert!(
        text.contains("Lambda ENI no function uses: eni-05d8f8fddfc60aee5"),
        "{text}"
    );
    assert!(text.contains("Inventory complete."), "{text}");
}

#[test]
fn inventory_enis_lists_functions_without_an_eni_and_exits_4_on_gaps() {
    let out = vpcwarden()
        .args([
            "inventory",
            "enis",
            "--from-snapshot",
            &scenario_path("eni-orphaned-incomplete"),
            "--format",
            "json",
        ])
        .assert()
        .code(4)
        .get_output()
        .clone();
    let inv = json_of(&out.stdout);
    assert_eq!(inv["complete"], false);
    let eu = &inv["accounts"][0]["regions"][0];
    assert_eq!(eu["gaps"][0]["operation"], "DescribeNetworkInterfaces");
    // eu-west-1's ENIs are unknown: no function is claimed to lack one.
    assert_eq!(eu["enis_collected"], false);
    assert_eq!(eu["functions_without_eni"], serde_json::json!([]));
    assert_eq!(eu["pairs"][0]["functions"], serde_json::json!(["orders"]));
    // us-east-2's functions are unknown: only the ENI that is not in use is called unused.
    let use2 = &inv["accounts"][0]["regions"][1];
    assert_eq!(use2["functions_collected"], false);
    assert_eq!(use2["unused_enis"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        use2["unused_enis"][0]["network_interface_id"],
        "eni-07avail"
    );
    let pending = vpcwarden()
        .args([
            "inventory",
            "enis",
            "--from-snapshot",
            &scenario_path("eni-orphaned"),
            "--format",
            "json",
        ])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let inv = json_of(&pending);
    let region = &inv["accounts"][0]["regions"][0];
    // idle is Inactive; orders and billing have ENIs on every pair.
    assert_eq!(region["functions_without_eni"], serde_json::json!([]));
    assert_eq!(region["inactive_functions"][0]["name"], "idle");
    let unused: Vec<&str> = region["unused_enis"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|e| e["network_interface_id"].as_str())
        .collect();
    assert_eq!(unused, ["eni-02avail", "eni-03oldsg"]);
}

#[test]
fn csv_has_a_header_and_one_row_per_finding() {
    let out = vpcwarden()
        .args(["audit", "--demo", "--format", "csv"])
        .assert()
        .code(3)
        .get_output()
        .stdout
        .clone();
    let json = vpcwarden()
        .args(["audit", "--demo", "--format", "json"])
        .assert()
        .code(3)
        .get_output()
        .stdout
        .clone();
    let total = json_of(&json)["summary"]["total"].as_u64().expect("total");
    let mut reader = csv::Reader::from_reader(out.as_slice());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(header, vpcwarden::render::csv::HEADER);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len() as u64, total);
    // A message with commas and quotes survives the round trip.
    assert!(rows.iter().any(|r| r[11].contains(',')));
}

#[test]
fn export_refuses_what_is_not_a_report_and_live_only_flags() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, r#"{"schema": "vpcwarden.findings/v1", "scan": 3}"#).expect("write");
    vpcwarden()
        .args(["export", "securityhub", "--from-report"])
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("at field `scan`"));
    vpcwarden()
        .args(["audit", "--demo", "--export", "securityhub"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("cannot be used with"));
}

#[test]
fn offline_sources_work_with_aws_profile_and_endpoint_in_the_environment() {
    // Many shells export these for every AWS tool: the demo and saved snapshots must not refuse them.
    vpcwarden()
        .env("AWS_PROFILE", "prod")
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .args(["audit", "--demo", "--format", "json"])
        .assert()
        .code(3);
    vpcwarden()
        .env("AWS_PROFILE", "prod")
        .args([
            "audit",
            "--from-snapshot",
            &scenario_path("function-not-in-vpc-clean"),
        ])
        .args(["--checks", "function-not-in-vpc"])
        .assert()
        .code(0);
}

/// A file cut short (a run killed while writing, a copy that stopped) or two documents run
/// together (`>>` instead of `>`) is refused with the file, field and line named, exit 2; never
/// read as far as it goes.
#[test]
fn truncated_or_concatenated_snapshots_and_reports_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let snapshot = std::fs::read_to_string(scenario_path("demo")).expect("demo snapshot");
    let report = vpcwarden()
        .args(["audit", "--demo", "--format", "json"])
        .assert()
        .code(3)
        .get_output()
        .stdout
        .clone();
    let report = String::from_utf8(report).expect("utf8");
    let cases = [
        (
            "snapshot-cut.json",
            snapshot[..snapshot.len() / 2].to_string(),
            "EOF while parsing",
        ),
        (
            "snapshot-twice.json",
            format!("{snapshot}{snapshot}"),
            "trailing characters",
        ),
        (
            "report-cut.json",
            report[..report.len() / 2].to_string(),
            "EOF while parsing",
        ),
        (
            "report-twice.json",
            format!("{report}\n{report}"),
            "trailing characters",
        ),
    ];
    for (name, text, error) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        let path = path.display().to_string();
        let args: Vec<&str> = if name.starts_with("snapshot") {
            vec!["audit", "--from-snapshot", &path]
        } else {
            vec!["export", "securityhub", "--from-report", &path]
        };
        let out = vpcwarden()
            .args(&args)
            .assert()
            .code(2)
            .get_output()
            .clone();
        let stderr = String::from_utf8(out.stderr).expect("utf8");
        assert!(stderr.contains(&path), "{name}: {stderr}");
        assert!(stderr.contains(error), "{name}: {stderr}");
        assert!(stderr.contains(" line "), "{name}: {stderr}");
    }
}

/// `--output` is written whole or not at all: a run that fails leaves the previous file as it
/// was and no `.partial` beside it.
#[test]
fn output_files_are_replaced_whole_or_not_at_all() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("report.json");
    vpcwarden()
        .args(["audit", "--demo", "--format", "json", "--output"])
        .arg(&out)
        .assert()
        .code(3);
    let first = std::fs::read_to_string(&out).expect("report written");
    assert!(
        first.ends_with("}\n"),
        "whole: {}",
        &first[first.len() - 20..]
    );
    // A directory where the report should go: the write fails, and nothing is left behind.
    let blocked = dir.path().join("blocked.json");
    std::fs::create_dir(&blocked).expect("dir");
    vpcwarden()
        .args(["audit", "--demo", "--format", "json", "--output"])
        .arg(&blocked)
        .assert()
        .code(1);
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.ends_with(".partial")), "{names:?}");
    assert_eq!(std::fs::read_to_string(&out).expect("still there"), first);
}

/// `--output /dev/null` or a named pipe is written in place: the atomic rename is for files, and
/// renaming over a device or FIFO would replace it with a regular file (tried on a FIFO here, so a
/// regression cannot damage the machine's /dev/null).
#[cfg(unix)]
#[test]
fn output_to_a_named_pipe_or_device_is_written_in_place() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("report.pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).expect("read the pipe"))
    };
    vpcwarden()
        .args(["audit", "--demo", "--format", "json", "--output"])
        .arg(&fifo)
        .assert()
        .code(3);
    let text = reader.join().expect("reader");
    assert!(
        text.contains("vpcwarden.findings/v1"),
        "the report went through the pipe"
    );
    let meta = std::fs::metadata(&fifo).expect("still there");
    assert!(meta.file_type().is_fifo(), "the pipe is still a pipe");
    assert!(!dir.path().join("report.pipe.partial").exists());
}

/// `vpcwarden audit … | head`: the reader closing stdout ends the run quietly, without a panic
/// or an error message.
#[test]
fn a_closed_stdout_ends_the_run_quietly() {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("vpcwarden"))
        .args(["audit", "--demo", "--format", "json"])
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("error"), "{stderr}");
    // The scan finished before its output was refused: its verdict stands (failing findings).
    assert_eq!(out.status.code(), Some(3), "{stderr}");
}

/// Tried as a new user would: credentials in the environment, `--region` given, no region
/// configured. stderr has one line for the one real problem, not the SDK asking the instance
/// metadata service for a region nobody needs.
#[test]
fn a_live_run_with_region_given_prints_one_line_per_real_problem() {
    // A home with no ~/.aws: no profile names a region.
    let home = tempfile::tempdir().expect("tempdir");
    let out = vpcwarden()
        .args(["audit", "--region", "us-east-1", "--max-attempts", "1"])
        .args(["--endpoint-url", "http://127.0.0.1:9"])
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_EC2_METADATA_DISABLED")
        .env_remove("RUST_LOG")
        .env_remove("AWS_CONFIG_FILE")
        .env_remove("AWS_SHARED_CREDENTIALS_FILE")
        .env("HOME", home.path())
        .env("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "not-a-secret")
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(!err.contains("IMDS"), "{err}");
    assert!(err.contains("sts:GetCallerIdentity"), "{err}");
}

/// The default table is one line per finding, with the check's title; `--long` has the messages.
#[test]
fn the_default_table_is_one_line_per_finding_and_long_has_the_messages() {
    let run = |extra: &[&str]| {
        let out = vpcwarden()
            .args(["audit", "--demo"])
            .args(extra)
            .assert()
            .code(3)
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).expect("utf8")
    };
    let short = run(&[]);
    let rows: Vec<&str> = short.lines().filter(|l| l.starts_with("│ ")).collect();
    // A header and 43 failing findings, each on one line.
    assert_eq!(rows.len(), 44, "{short}");
    assert!(rows.iter().any(|r| r.contains("function:public-webhook")
        && r.contains("Lambda function policy lets anyone invoke the function")));
    assert!(
        !short.contains("its resource policy lets any"),
        "no message without --long"
    );
    assert!(
        short.contains("--long"),
        "a long report says how to see more:\n{short}"
    );
    let long = run(&["--long"]);
    assert!(long.contains("its resource policy lets any"), "{long}");
    assert!(long.lines().count() > short.lines().count() * 3);
}

#[test]
fn the_checks_list_keeps_its_columns_aligned() {
    let out = vpcwarden()
        .arg("checks")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).expect("utf8");
    // The severity column starts at the same place on every line, however long the slug.
    let starts: std::collections::BTreeSet<usize> = text
        .lines()
        .map(|l| {
            ["critical", "high", "medium", "low", "informational"]
                .iter()
                .filter_map(|s| l.find(&format!("  {s} ")))
                .min()
                .expect("a severity")
        })
        .collect();
    assert_eq!(starts.len(), 1, "{text}");
}

/// Without the published versions, the inventory calls no in-use ENI unused (a version may use
/// its pair), and says why; with them, the same ENI is unused.
#[test]
fn inventory_calls_no_in_use_eni_unused_without_the_versions() {
    use crate::support::healthy::{PRIVATE_A, REGION, healthy, lambda_eni};
    let extra = || lambda_eni("eni-version-pair", PRIVATE_A, &["sg-version"], "orders");
    let unused = |scenario: crate::support::healthy::Scenario| {
        let inv = vpcwarden::inventory::enis(&scenario.snapshot());
        let region = &inv.accounts[0].regions[0];
        let ids: Vec<String> = region
            .unused_enis
            .iter()
            .map(|e| e.network_interface_id.clone())
            .collect();
        (ids, region.versions_listed)
    };
    let listed = healthy().ec2(REGION, |ec2| ec2.network_interfaces.push(extra()));
    assert_eq!(unused(listed), (vec!["eni-version-pair".to_string()], true));
    let unlisted = healthy()
        .ec2(REGION, |ec2| ec2.network_interfaces.push(extra()))
        .lambda(REGION, |l| l.versions_listed = false);
    assert_eq!(unused(unlisted.clone()), (vec![], false));
    let table =
        vpcwarden::render::inventory::table(&vpcwarden::inventory::enis(&unlisted.snapshot()));
    assert!(
        table.contains("Published versions were not listed"),
        "{table}"
    );
}

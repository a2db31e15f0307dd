//! End-to-end: the real binary against moto in server mode on loopback, seeded by `mocks/seed.py`
//! into an account of each test's own. `scripts/test` starts moto and exports where it is; without it
//! these tests fail with a message saying so (set VPCWARDEN_SKIP_MOTO=1 to skip them, loudly).

use assert_cmd::Command;
use serde_json::Value;
use std::collections::BTreeSet;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::support::emulator::{Emulator, Faults, emulator};

/// The shared moto server and the seeding script (see [`emulator`]).
fn moto() -> Option<Emulator> {
    emulator("moto end-to-end test")
}

/// What `seed.py` printed.
struct Seeded {
    json: Value,
}

impl Seeded {
    fn account(&self) -> &str {
        self.json["account_id"].as_str().expect("account_id")
    }
    fn expected(&self, slug: &str, status: &str) -> BTreeSet<String> {
        self.json["expect"][slug][status]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }
    /// The binary, with this account's credentials and nothing of the developer's environment.
    fn vpcwarden(&self, endpoint: &str) -> Command {
        let mut cmd = Command::cargo_bin("vpcwarden").expect("binary");
        let creds = &self.json["credentials"];
        cmd.env_remove("AWS_PROFILE")
            .env(
                "AWS_ACCESS_KEY_ID",
                creds["AWS_ACCESS_KEY_ID"].as_str().expect("key"),
            )
            .env(
                "AWS_SECRET_ACCESS_KEY",
                creds["AWS_SECRET_ACCESS_KEY"].as_str().expect("secret"),
            )
            .env(
                "AWS_SESSION_TOKEN",
                creds["AWS_SESSION_TOKEN"].as_str().unwrap_or_default(),
            )
            .env("AWS_REGION", "us-east-1")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("SOURCE_DATE_EPOCH", "1793523600")
            .env("AWS_ENDPOINT_URL", endpoint);
        cmd
    }
}

fn seed(m: &Emulator, scenario: &str, account: &str, extra: &[&str]) -> Seeded {
    Seeded {
        json: m.seed(scenario, account, extra),
    }
}

fn report_of(stdout: &[u8]) -> Value {
    serde_json::from_slice(stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(stdout)))
}

fn arns(report: &Value, slug: &str, status: &str) -> BTreeSet<String> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["slug"] == slug && f["status"] == status)
        .map(|f| f["resource_arn"].as_str().expect("arn").to_string())
        .collect()
}

#[test]
fn live_audit_flags_exactly_the_functions_outside_a_vpc() {
    let Some(m) = moto() else { return };
    let s = seed(&m, "lambda-vpc-mix", "210000000101", &[]);
    let out = s
        .vpcwarden(&m.endpoint)
        .args([
            "audit",
            "--region",
            "us-east-1",
            "--region",
            "eu-west-1",
            "--format",
            "json",
            "--stats",
        ])
        .assert()
        .code(3)
        .get_output()
        .clone();
    let report = report_of(&out.stdout);
    assert_eq!(
        report["gaps"],
        serde_json::json!([]),
        "moto answers every call"
    );
    assert_eq!(report["scan"]["complete"], true);
    assert_eq!(report["scan"]["accounts"], serde_json::json!([s.account()]));
    let fail = arns(&report, "function-not-in-vpc", "fail");
    assert_eq!(fail, s.expected("function-not-in-vpc", "fail"));
    assert_eq!(fail.len(), 2);
    assert!(
        fail.iter()
            .all(|a| a.starts_with("arn:aws:lambda:") && a.contains(s.account()))
    );
    assert_eq!(
        arns(&report, "function-not-in-vpc", "pass"),
        s.expected("function-not-in-vpc", "pass")
    );
    assert!(arns(&report, "function-not-in-vpc", "not_evaluated").is_empty());
    // --stats counts calls per operation: one IAM download, one ListFunctions per region,
    // GetPolicy and GetFunctionUrlConfig once per function.
    let stats = String::from_utf8_lossy(&out.stderr);
    let count = |op: &str| -> u64 {
        stats
            .lines()
            .find(|l| l.contains(&format!(" {op} ")))
            .and_then(|l| l.split("calls=").nth(1))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no stats line for {op} in:\n{stats}"))
    };
    assert_eq!(count("GetAccountAuthorizationDetails"), 1, "{stats}");
    assert_eq!(count("ListFunctions"), 2);
    assert_eq!(count("GetPolicy"), 5);
    assert_eq!(count("GetFunctionUrlConfig"), 5);
    // Every call made is a read covered by the read-only policy the README documents.
    crate::support::assert_read_only(&crate::support::calls_from_stats(&stats), false);
}

#[test]
fn collect_then_offline_audit_equals_the_live_audit_and_snapshots_are_byte_identical() {
    let Some(m) = moto() else { return };
    let s = seed(&m, "lambda-vpc-mix", "210000000102", &[]);
    let dir = tempfile::tempdir().expect("tempdir");
    let collect = |name: &str| {
        let path = dir.path().join(name);
        s.vpcwarden(&m.endpoint)
            .args([
                "collect",
                "--region",
                "us-east-1",
                "--region",
                "eu-west-1",
                "--output",
            ])
            .arg(&path)
            .assert()
            .code(0);
        std::fs::read_to_string(&path).expect("snapshot written")
    };
    let first = collect("a.json");
    assert_eq!(
        first,
        collect("b.json"),
        "the same account gives a byte-identical snapshot"
    );
    let live = s
        .vpcwarden(&m.endpoint)
        .args([
            "audit",
            "--region",
            "eu-west-1",
            "--region",
            "us-east-1",
            "--format",
            "json",
        ])
        .assert()
        .code(3)
        .get_output()
        .stdout
        .clone();
    let offline = Command::cargo_bin("vpcwarden")
        .expect("binary")
        .env("SOURCE_DATE_EPOCH", "1793523600")
        .args(["audit", "--format", "json", "--from-snapshot"])
        .arg(dir.path().join("a.json"))
        .assert()
        .code(3)
        .get_output()
        .stdout
        .clone();
    let (live, offline) = (report_of(&live), report_of(&offline));
    assert_eq!(live["findings"], offline["findings"]);
    assert_eq!(live["summary"], offline["summary"]);
    assert_eq!(live["gaps"], offline["gaps"]);
}

/// An empty account is clean for the function checks (the organization checks fail it: it is in no
/// organization, so no SCP guards it).
#[test]
fn an_account_with_nothing_in_it_is_clean() {
    let Some(m) = moto() else { return };
    let s = seed(&m, "empty", "210000000103", &[]);
    let out = s
        .vpcwarden(&m.endpoint)
        .args([
            "audit",
            "--region",
            "us-east-1",
            "--format",
            "json",
            "--checks",
            "function-not-in-vpc",
        ])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let report = report_of(&out);
    assert_eq!(report["findings"], serde_json::json!([]));
    assert_eq!(report["scan"]["complete"], true);
}

/// A moto server of one test's own with IAM enforcement (the switch is server-wide); killed on drop.
struct AuthMoto {
    child: Child,
    endpoint: String,
}

impl Drop for AuthMoto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn auth_moto(python: &str) -> AuthMoto {
    let server = std::env::var("VPCWARDEN_MOTO_AUTH_SERVER")
        .expect("scripts/test exports VPCWARDEN_MOTO_AUTH_SERVER");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let child = std::process::Command::new(python)
        .args([server.as_str(), "-H", "127.0.0.1", "-p", &port.to_string()])
        .env("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
        .env("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the auth moto server");
    let server = AuthMoto {
        child,
        endpoint: format!("http://127.0.0.1:{port}"),
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "the auth moto server did not start on port {port}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    server
}

fn denied_audit(account: &str, deny: &str, checks: &str, expected_exit: i32) -> (Seeded, Value) {
    let m = moto().expect("checked by the caller");
    let server = auth_moto(&m.python);
    let s = Seeded {
        json: m.seed_at(
            &server.endpoint,
            "access-denied",
            account,
            &["--deny", deny],
        ),
    };
    let out = s
        .vpcwarden(&server.endpoint)
        .args([
            "audit",
            "--region",
            "us-east-1",
            "--format",
            "json",
            "--checks",
            checks,
        ])
        .assert()
        .code(expected_exit)
        .get_output()
        .stdout
        .clone();
    (s, report_of(&out))
}

fn fn_arn(account: &str, name: &str) -> String {
    format!("arn:aws:lambda:us-east-1:{account}:function:{name}")
}

#[test]
fn denied_get_policy_is_a_gap_per_function_and_the_scan_is_incomplete() {
    if moto().is_none() {
        return;
    }
    let (s, report) = denied_audit(
        "210000000104",
        "lambda:GetPolicy",
        "function-not-in-vpc,function-policy-public",
        3,
    );
    assert_eq!(report["scan"]["complete"], false);
    let gaps = report["gaps"].as_array().expect("gaps");
    let denied: BTreeSet<_> = gaps
        .iter()
        .filter(|g| g["operation"] == "GetPolicy")
        .map(|g| {
            (
                g["error_code"].as_str().unwrap_or_default().to_string(),
                g["resource"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let account = s.account();
    assert_eq!(
        denied,
        BTreeSet::from([
            (
                "AccessDeniedException".to_string(),
                fn_arn(account, "ad-public")
            ),
            (
                "AccessDeniedException".to_string(),
                fn_arn(account, "ad-vpc")
            ),
        ])
    );
    assert!(
        gaps.iter().all(|g| g["operation"] == "GetPolicy"),
        "only GetPolicy was denied: {gaps:?}"
    );
    // function-not-in-vpc does not need GetPolicy: it still judges both functions.
    assert_eq!(
        arns(&report, "function-not-in-vpc", "fail"),
        BTreeSet::from([fn_arn(account, "ad-public")])
    );
    // function-policy-public does: neither function is called private.
    assert_eq!(
        arns(&report, "function-policy-public", "not_evaluated"),
        BTreeSet::from([fn_arn(account, "ad-public"), fn_arn(account, "ad-vpc")])
    );
    assert!(arns(&report, "function-policy-public", "pass").is_empty());
}

#[test]
fn denied_list_functions_is_never_a_pass() {
    if moto().is_none() {
        return;
    }
    let (s, report) = denied_audit(
        "210000000105",
        "lambda:ListFunctions",
        "function-not-in-vpc",
        4,
    );
    let account = s.account();
    assert!(arns(&report, "function-not-in-vpc", "pass").is_empty());
    assert!(arns(&report, "function-not-in-vpc", "fail").is_empty());
    assert_eq!(
        arns(&report, "function-not-in-vpc", "not_evaluated"),
        BTreeSet::from([format!("arn:aws:iam::{account}:root")])
    );
    let gap = &report["gaps"].as_array().expect("gaps")[0];
    assert_eq!(
        (gap["service"].as_str(), gap["operation"].as_str()),
        (Some("lambda"), Some("ListFunctions"))
    );
}

#[test]
fn denied_iam_download_leaves_non_vpc_functions_not_evaluated() {
    if moto().is_none() {
        return;
    }
    let (s, report) = denied_audit(
        "210000000106",
        "iam:GetAccountAuthorizationDetails",
        "function-not-in-vpc",
        4,
    );
    let account = s.account();
    assert_eq!(
        arns(&report, "function-not-in-vpc", "pass"),
        BTreeSet::from([fn_arn(account, "ad-vpc")])
    );
    assert_eq!(
        arns(&report, "function-not-in-vpc", "not_evaluated"),
        BTreeSet::from([fn_arn(account, "ad-public")])
    );
    assert!(arns(&report, "function-not-in-vpc", "fail").is_empty());
}

#[test]
fn a_profile_supplies_credentials_and_region_and_all_regions_lists_enabled_ones() {
    let Some(m) = moto() else { return };
    let s = seed(&m, "empty", "210000000107", &[]);
    let dir = tempfile::tempdir().expect("tempdir");
    let creds = &s.json["credentials"];
    std::fs::write(
        dir.path().join("credentials"),
        format!(
            "[prod]\naws_access_key_id = {}\naws_secret_access_key = {}\naws_session_token = {}\n",
            creds["AWS_ACCESS_KEY_ID"].as_str().expect("key"),
            creds["AWS_SECRET_ACCESS_KEY"].as_str().expect("secret"),
            creds["AWS_SESSION_TOKEN"].as_str().unwrap_or_default(),
        ),
    )
    .expect("write credentials");
    std::fs::write(
        dir.path().join("config"),
        "[profile prod]\nregion = eu-west-1\n",
    )
    .expect("write config");
    let profile_cmd = || {
        let mut cmd = Command::cargo_bin("vpcwarden").expect("binary");
        for var in [
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "AWS_REGION",
            "AWS_DEFAULT_REGION",
        ] {
            cmd.env_remove(var);
        }
        cmd.env(
            "AWS_SHARED_CREDENTIALS_FILE",
            dir.path().join("credentials"),
        )
        .env("AWS_CONFIG_FILE", dir.path().join("config"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_ENDPOINT_URL", &m.endpoint);
        cmd
    };
    let out = profile_cmd()
        .args([
            "audit",
            "--profile",
            "prod",
            "--format",
            "json",
            "--checks",
            "function-not-in-vpc",
        ])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let report = report_of(&out);
    assert_eq!(
        report["scan"]["regions"],
        serde_json::json!(["eu-west-1"]),
        "the profile's region"
    );
    assert_eq!(report["scan"]["accounts"], serde_json::json!([s.account()]));

    let out = profile_cmd()
        .env("AWS_PROFILE", "prod")
        .args([
            "audit",
            "--all-regions",
            "--format",
            "json",
            "--checks",
            "function-not-in-vpc",
        ])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let report = report_of(&out);
    let regions: Vec<&str> = report["scan"]["regions"]
        .as_array()
        .expect("regions")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        regions.contains(&"us-east-1") && regions.contains(&"eu-west-1"),
        "{regions:?}"
    );
    assert!(
        regions
            .iter()
            .all(|r| !r.starts_with("cn-") && !r.starts_with("us-gov-")),
        "only the caller's partition: {regions:?}"
    );
    assert_eq!(report["scan"]["complete"], true, "{:?}", report["gaps"]);
}

/// Compares one check's fail and pass sets with what the scenario expects.
fn assert_expected(report: &Value, s: &Seeded, slug: &str) {
    for status in ["fail", "pass", "not_evaluated"] {
        assert_eq!(
            arns(report, slug, status),
            s.expected(slug, status),
            "{slug}: the {status} set differs from the scenario's expectation"
        );
    }
}

#[test]
fn iam_checks_flag_exactly_the_expected_roles_users_and_account() {
    let Some(m) = moto() else { return };
    let s = seed(
        &m,
        "iam-guardrails",
        "210000000108",
        &["--scp", "unrelated"],
    );
    let out = s
        .vpcwarden(&m.endpoint)
        .args(["audit", "--region", "us-east-1", "--format", "json"])
        .assert()
        .code(3)
        .get_output()
        .stdout
        .clone();
    let report = report_of(&out);
    assert_eq!(report["gaps"], serde_json::json!([]));
    for slug in [
        "role-eni-write-unconditioned",
        "role-admin-access",
        "principal-vpc-guardrail-missing",
        "account-vpc-guardrail-missing",
        "principal-layer-guardrail-missing",
        "account-layer-guardrail-missing",
    ] {
        assert_expected(&report, &s, slug);
    }
    // Each failure cites the deciding statement.
    let findings = report["findings"].as_array().expect("findings");
    let managed = findings
        .iter()
        .find(|f| {
            f["slug"] == "role-eni-write-unconditioned"
                && f["resource_arn"]
                    .as_str()
                    .is_some_and(|a| a.ends_with("role/eni-managed-role"))
        })
        .expect("eni-managed-role judged");
    assert_eq!(
        managed["evidence"]["granted_by"][0]["policy_id"],
        "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
    );
    let create_only = findings
        .iter()
        .find(|f| {
            f["slug"] == "principal-vpc-guardrail-missing"
                && f["resource_arn"]
                    .as_str()
                    .is_some_and(|a| a.ends_with("role/deploy-create-only"))
        })
        .expect("deploy-create-only judged");
    assert!(
        create_only["message"]
            .as_str()
            .expect("message")
            .contains("lambda:UpdateFunctionConfiguration")
    );
    // ForAnyValue ignores IfExists: the subnet guardrail lets a function without VPC config through.
    let any_value_if_exists = findings
        .iter()
        .find(|f| {
            f["slug"] == "principal-vpc-guardrail-missing"
                && f["resource_arn"]
                    .as_str()
                    .is_some_and(|a| a.ends_with("role/deploy-anyvalue-ifexists"))
        })
        .expect("deploy-anyvalue-ifexists judged");
    assert_eq!(any_value_if_exists["status"], "fail");
    assert!(
        any_value_if_exists["message"]
            .as_str()
            .expect("message")
            .contains("with no VPC configuration")
    );
    // A function guardrail on lambda:VpcIds does not reach capacity providers.
    let provider = findings
        .iter()
        .find(|f| {
            f["slug"] == "principal-vpc-guardrail-missing"
                && f["resource_arn"]
                    .as_str()
                    .is_some_and(|a| a.ends_with("role/deploy-provider-unguarded"))
        })
        .expect("deploy-provider-unguarded judged");
    assert_eq!(
        provider["message"],
        "Role deploy-provider-unguarded may create Lambda capacity providers outside the approved \
         network: lambda:CreateCapacityProvider in an unapproved subnet and security group."
    );
    // ForAllValues on the multi-valued lambda:Layer: one own layer beside an untrusted one gets through.
    let all_values = findings
        .iter()
        .find(|f| {
            f["slug"] == "principal-layer-guardrail-missing"
                && f["resource_arn"]
                    .as_str()
                    .is_some_and(|a| a.ends_with("role/deploy-layer-allvalues"))
        })
        .expect("deploy-layer-allvalues judged");
    assert!(
        all_values["evidence"]["outcomes"]
            .as_array()
            .expect("outcomes")
            .iter()
            .filter(|o| o["decision"] == "allowed")
            .all(|o| o["case"] == "mixed_layers")
    );
    // This account created the organization: SCPs never bind the management account.
    let account = findings
        .iter()
        .find(|f| f["slug"] == "account-vpc-guardrail-missing")
        .expect("account judged");
    assert!(
        account["message"]
            .as_str()
            .expect("message")
            .contains("management account")
    );
}

#[test]
fn a_member_account_that_cannot_read_scps_reports_the_gap_not_a_verdict() {
    let Some(m) = moto() else { return };
    let s = seed(
        &m,
        "iam-guardrails",
        "210000000109",
        &["--scp", "guardrail", "--member"],
    );
    let out = s
        .vpcwarden(&m.endpoint)
        .args(["audit", "--region", "us-east-1", "--format", "json"])
        .assert()
        .code(3)
        .get_output()
        .stdout
        .clone();
    let report = report_of(&out);
    let account = s.account();
    assert_eq!(
        arns(&report, "account-vpc-guardrail-missing", "not_evaluated"),
        BTreeSet::from([format!("arn:aws:iam::{account}:root")]),
        "the SCPs that guard this account are not visible from it: not evaluated, never a verdict"
    );
    let gaps = report["gaps"].as_array().expect("gaps");
    assert!(
        gaps.iter().any(|g| g["service"] == "organizations"),
        "{gaps:?}"
    );
    // Identity findings still stand, marked as evaluated without SCPs.
    let findings = report["findings"].as_array().expect("findings");
    let unguarded = findings
        .iter()
        .find(|f| {
            f["slug"] == "principal-vpc-guardrail-missing"
                && f["resource_arn"]
                    .as_str()
                    .is_some_and(|a| a.ends_with("user/dev-unguarded"))
        })
        .expect("dev-unguarded judged");
    assert_eq!(unguarded["status"], "fail");
    assert_eq!(unguarded["evidence"]["scps_evaluated"], false);
    assert!(
        arns(&report, "role-eni-write-unconditioned", "fail")
            .iter()
            .any(|a| a.ends_with("role/eni-managed-role"))
    );
}

#[test]
fn network_placement_checks_and_the_eni_inventory_match_the_account() {
    let Some(m) = moto() else { return };
    let s = seed(&m, "network-placement", "210000000110", &[]);
    let slugs = [
        "function-single-az",
        "function-public-subnet",
        "function-no-egress",
        "eni-orphaned",
        "vpc-endpoint-sg-open",
        "function-not-in-vpc",
    ];
    let out = s
        .vpcwarden(&m.endpoint)
        .args([
            "audit",
            "--region",
            "us-east-1",
            "--format",
            "json",
            "--stats",
        ])
        .args(["--checks", &slugs.join(",")])
        .assert()
        .code(3)
        .get_output()
        .clone();
    // No check here needs a function's policy or URL: those per-function calls are not made.
    let calls = crate::support::calls_from_stats(&String::from_utf8_lossy(&out.stderr));
    assert!(calls.contains_key("lambda:ListFunctions"), "{calls:?}");
    assert!(
        !calls.contains_key("lambda:GetPolicy")
            && !calls.contains_key("lambda:GetFunctionUrlConfig"),
        "{calls:?}"
    );
    let report = report_of(&out.stdout);
    assert_eq!(report["gaps"], serde_json::json!([]));
    for slug in slugs {
        assert_expected(&report, &s, slug);
    }
    let findings = report["findings"].as_array().expect("findings");
    let find = |slug: &str, arn: &str| {
        findings
            .iter()
            .find(|f| f["slug"] == slug && f["resource_arn"] == arn)
            .unwrap_or_else(|| panic!("{slug} judged {arn}"))
    };
    // Each ENI failure gives the reason the scenario built it for.
    let reasons = &s.json["resources"]["expected_reasons"]["eni-orphaned"];
    for (eni, reason) in reasons.as_object().expect("reasons") {
        let arn = format!(
            "arn:aws:ec2:us-east-1:{}:network-interface/{eni}",
            s.account()
        );
        assert_eq!(find("eni-orphaned", &arn)["evidence"]["reason"], *reason);
    }
    // The legacy VPC is public through its main route table.
    let legacy = find("function-public-subnet", &fn_arn(s.account(), "f-legacy"));
    assert_eq!(
        legacy["evidence"]["public_subnets"][0]["route_table_source"],
        "main"
    );
    // Endpoints, not routes, give f-eo its way to AWS APIs.
    let eo = find("function-no-egress", &fn_arn(s.account(), "f-eo"));
    let services: BTreeSet<&str> = eo["evidence"]["reachable_services"]
        .as_array()
        .expect("services")
        .iter()
        .filter_map(|e| e["service_name"].as_str())
        .collect();
    assert_eq!(
        services,
        BTreeSet::from([
            "com.amazonaws.us-east-1.s3",
            "com.amazonaws.us-east-1.secretsmanager"
        ])
    );

    // The inventory agrees with what the account holds.
    let inv = s
        .vpcwarden(&m.endpoint)
        .args([
            "inventory",
            "enis",
            "--region",
            "us-east-1",
            "--format",
            "json",
        ])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let inv = report_of(&inv);
    let region = &inv["accounts"][0]["regions"][0];
    let expected = &s.json["resources"]["inventory"];
    let pair_key = |p: &Value, enis: &str| {
        (
            p["subnet_id"].as_str().expect("subnet").to_string(),
            p["security_group_ids"].to_string(),
            p["functions"].to_string(),
            p[enis]
                .as_array()
                .expect("enis")
                .iter()
                .map(|e| {
                    e.as_str()
                        .or(e["network_interface_id"].as_str())
                        .expect("eni id")
                        .to_string()
                })
                .collect::<BTreeSet<_>>(),
        )
    };
    let got: Vec<_> = region["pairs"]
        .as_array()
        .expect("pairs")
        .iter()
        .map(|p| pair_key(p, "enis"))
        .collect();
    let want: Vec<_> = expected["pairs"]
        .as_array()
        .expect("pairs")
        .iter()
        .map(|p| pair_key(p, "eni_ids"))
        .collect();
    assert_eq!(got, want);
    // Compared as sets: the scenario lists by label, vpcwarden by id.
    let names = |v: &Value, key: &str| -> BTreeSet<String> {
        v.as_array()
            .expect("list")
            .iter()
            .map(|x| x[key].as_str().expect(key).to_string())
            .collect()
    };
    assert_eq!(
        names(&region["functions_without_eni"], "name"),
        names(&expected["functions_without_eni"], "name")
    );
    assert_eq!(
        names(&region["unused_enis"], "network_interface_id"),
        names(&expected["unused_enis"], "network_interface_id")
    );
    assert_eq!(region["inactive_functions"], serde_json::json!([]));
}

#[test]
fn exposure_and_hygiene_checks_flag_exactly_the_expected_functions_and_roles() {
    let Some(m) = moto() else { return };
    let s = seed(&m, "function-exposure", "210000000111", &[]);
    let slugs = [
        "function-policy-public",
        "function-policy-unscoped-service",
        "function-url-auth-none",
        "function-url-cors-wildcard",
        "function-runtime-deprecated",
        "function-layer-cross-account",
        "role-logs-missing",
        "role-event-source-permission-missing",
        "role-invoke-any-function",
    ];
    let out = s
        .vpcwarden(&m.endpoint)
        .args(["audit", "--region", "us-east-1", "--format", "json"])
        .args(["--checks", &slugs.join(",")])
        .assert()
        .code(3)
        .get_output()
        .stdout
        .clone();
    let report = report_of(&out);
    assert_eq!(report["gaps"], serde_json::json!([]));
    for slug in slugs {
        assert_expected(&report, &s, slug);
    }
    let findings = report["findings"].as_array().expect("findings");
    let resources = &s.json["resources"];
    // Severities the scenario expects (a public URL is high, a closed one medium).
    for (slug, by_arn) in resources["expected_severity"]
        .as_object()
        .expect("severities")
    {
        for (arn, severity) in by_arn.as_object().expect("by arn") {
            let f = findings
                .iter()
                .find(|f| f["slug"] == *slug && f["resource_arn"] == *arn)
                .unwrap_or_else(|| panic!("{slug} judged {arn}"));
            assert_eq!(f["severity"], *severity, "{slug} {arn}");
        }
    }
    // Each failure cites the statements that make it.
    for (slug, by_arn) in resources["expected_evidence_sids"]
        .as_object()
        .expect("sids")
    {
        for (arn, sids) in by_arn.as_object().expect("by arn") {
            let f = findings
                .iter()
                .find(|f| f["slug"] == *slug && f["resource_arn"] == *arn)
                .unwrap_or_else(|| panic!("{slug} judged {arn}"));
            let cited = f["evidence"].to_string();
            for sid in sids.as_array().expect("sids") {
                let sid = sid.as_str().expect("sid");
                assert!(
                    cited.contains(&format!("\"{sid}\"")),
                    "{slug} {arn}: {sid} not cited in {cited}"
                );
            }
        }
    }
}

impl Seeded {
    /// One boto3 call against moto with this account's credentials (`mocks/aws_call.py`).
    fn aws_call(
        &self,
        m: &Emulator,
        region: &str,
        service: &str,
        op: &str,
        params: Value,
    ) -> Value {
        let script = std::path::Path::new(&m.seed).with_file_name("aws_call.py");
        let creds = &self.json["credentials"];
        let out = std::process::Command::new(&m.python)
            .arg(script)
            .args(["--endpoint", &m.endpoint, "--region", region, service, op])
            .arg(params.to_string())
            .env(
                "AWS_ACCESS_KEY_ID",
                creds["AWS_ACCESS_KEY_ID"].as_str().expect("key"),
            )
            .env(
                "AWS_SECRET_ACCESS_KEY",
                creds["AWS_SECRET_ACCESS_KEY"].as_str().expect("secret"),
            )
            .env(
                "AWS_SESSION_TOKEN",
                creds["AWS_SESSION_TOKEN"].as_str().unwrap_or_default(),
            )
            .stderr(Stdio::inherit())
            .output()
            .expect("run aws_call.py");
        assert!(out.status.success(), "{service}:{op} failed");
        serde_json::from_slice(&out.stdout).expect("JSON")
    }

    /// What Security Hub holds for this account in these regions, by finding id.
    fn hub(&self, m: &Emulator, regions: &[&str]) -> std::collections::BTreeMap<String, Value> {
        regions
            .iter()
            .flat_map(|r| {
                self.aws_call(m, r, "securityhub", "get_findings", serde_json::json!({}))
                    ["Findings"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
            })
            .map(|f| (f["Id"].as_str().expect("Id").to_string(), f))
            .collect()
    }
}

#[test]
fn security_hub_export_keeps_created_at_archives_what_was_fixed_and_nothing_after_a_partial_scan() {
    let Some(m) = moto() else { return };
    let s = seed(&m, "lambda-vpc-mix", "210000000112", &[]);
    let dir = tempfile::tempdir().expect("tempdir");
    let regions = ["eu-west-1", "us-east-1"];
    let checks = "function-not-in-vpc,function-policy-public";
    let (t1, t2) = ("2026-11-01T09:00:00Z", "2026-11-02T09:00:00Z");
    let scan = |epoch: &str, name: &str| -> (Value, String) {
        let path = dir.path().join(name);
        let out = s
            .vpcwarden(&m.endpoint)
            .env("SOURCE_DATE_EPOCH", epoch)
            .args(["audit", "--region", "us-east-1", "--region", "eu-west-1"])
            .args(["--checks", checks, "--format", "json", "-o"])
            .arg(&path)
            .args(["--export", "securityhub", "--securityhub-only-failed"])
            .assert()
            .code(3)
            .get_output()
            .clone();
        let report: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("report")).expect("JSON");
        (report, String::from_utf8_lossy(&out.stderr).to_string())
    };
    let ids_of = |report: &Value, keep: &dyn Fn(&Value) -> bool| -> BTreeSet<String> {
        report["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter(|f| keep(f))
            .map(|f| f["id"].as_str().expect("id").to_string())
            .collect()
    };

    // 1. First scan: every failing and not-evaluated finding is imported, once.
    let (r1, err1) = scan("1793523600", "r1.json");
    let sent = ids_of(&r1, &|f| f["status"] != "pass");
    assert!(sent.len() >= 3, "{sent:?}");
    let held = s.hub(&m, &regions);
    assert_eq!(
        held.keys().cloned().collect::<BTreeSet<_>>(),
        sent,
        "{err1}"
    );
    assert!(
        held.values()
            .all(|f| f["RecordState"] == "ACTIVE" && f["CreatedAt"] == t1)
    );
    assert!(
        err1.contains(&format!("{} finding(s) imported", sent.len())),
        "{err1}"
    );
    assert!(err1.contains("0 failed"), "{err1}");

    // 2. Fix one resource (public-api moves into the VPC), rescan a day later.
    let fixed = ids_of(&r1, &|f| {
        f["code"] == "LAMBDA003"
            && f["resource_arn"]
                .as_str()
                .is_some_and(|a| a.ends_with(":public-api"))
    });
    assert_eq!(fixed.len(), 1);
    let net = &s.json["resources"]["vpc"]["us-east-1"];
    s.aws_call(
        &m,
        "us-east-1",
        "lambda",
        "update_function_configuration",
        serde_json::json!({
            "FunctionName": "public-api",
            "VpcConfig": {
                "SubnetIds": [net["private_a"], net["private_b"]],
                "SecurityGroupIds": [net["function_sg"]],
            },
        }),
    );
    let (_, err2) = scan("1793610000", "r2.json");
    let held = s.hub(&m, &regions);
    let archived: BTreeSet<String> = held
        .iter()
        .filter(|(_, f)| f["RecordState"] == "ARCHIVED")
        .map(|(id, _)| id.clone())
        .collect();
    assert_eq!(
        archived, fixed,
        "exactly the fixed finding is archived: {err2}"
    );
    let fixed_id = fixed.iter().next().expect("one");
    assert_eq!(held[fixed_id]["Compliance"]["Status"], "PASSED");
    assert_eq!(
        held[fixed_id]["CreatedAt"], t1,
        "CreatedAt kept when resolving"
    );
    for id in sent.iter().filter(|id| !fixed.contains(*id)) {
        assert_eq!(held[id]["RecordState"], "ACTIVE");
        assert_eq!(held[id]["CreatedAt"], t1, "CreatedAt kept across scans");
        assert_eq!(held[id]["UpdatedAt"], t2);
    }
    assert!(err2.contains("1 archived as PASSED"), "{err2}");

    // 3. A scan in which eu-west-1 could not be read: nothing there is archived.
    let snap = dir.path().join("snap.json");
    s.vpcwarden(&m.endpoint)
        .env("SOURCE_DATE_EPOCH", "1793696400")
        .args([
            "collect",
            "--region",
            "us-east-1",
            "--region",
            "eu-west-1",
            "-o",
        ])
        .arg(&snap)
        .assert()
        .code(0);
    let mut snapshot: Value =
        serde_json::from_str(&std::fs::read_to_string(&snap).expect("snapshot")).expect("JSON");
    let account = &mut snapshot["accounts"][0];
    for region in account["regions"].as_array_mut().expect("regions") {
        if region["region"] == "eu-west-1" {
            region["lambda"] = serde_json::json!({"functions": [], "event_source_mappings": []});
        }
    }
    account["gaps"]
        .as_array_mut()
        .expect("gaps")
        .push(serde_json::json!({
            "account_id": s.account(),
            "region": "eu-west-1",
            "service": "lambda",
            "operation": "ListFunctions",
            "error_code": "AccessDeniedException",
            "message": "not authorized to perform: lambda:ListFunctions"
        }));
    std::fs::write(&snap, snapshot.to_string()).expect("write");
    let r3 = dir.path().join("r3.json");
    s.vpcwarden(&m.endpoint)
        .env("SOURCE_DATE_EPOCH", "1793696400")
        .args(["audit", "--from-snapshot"])
        .arg(&snap)
        .args(["--checks", checks, "--format", "json", "-o"])
        .arg(&r3)
        .assert()
        // Nothing fails any more in us-east-1, and eu-west-1 is a gap: incomplete.
        .code(4);
    let before = s.hub(&m, &["eu-west-1"]);
    let active_eu: BTreeSet<&String> = before
        .iter()
        .filter(|(_, f)| f["RecordState"] == "ACTIVE")
        .map(|(id, _)| id)
        .collect();
    assert!(
        !active_eu.is_empty(),
        "eu-west-1 has failing findings to keep"
    );
    let out = s
        .vpcwarden(&m.endpoint)
        .args(["export", "securityhub", "--from-report"])
        .arg(&r3)
        .arg("--securityhub-only-failed")
        .assert()
        .code(0)
        .get_output()
        .clone();
    let err3 = String::from_utf8_lossy(&out.stderr);
    let after = s.hub(&m, &["eu-west-1"]);
    for id in active_eu {
        assert_eq!(
            after[id]["RecordState"], "ACTIVE",
            "{id} must not be archived after a partial scan: {err3}"
        );
    }
    assert!(
        err3.contains("region eu-west-1 (scanned with gaps)"),
        "{err3}"
    );
}

/// `vpcwarden diff` of two live scans of one account: between them one problem is fixed
/// (public-api moves into the VPC), one is added (orders-vpc becomes invokable by anyone), and
/// eu-west-1's function list is denied. The fix is resolved, the addition new, and what eu-west-1
/// held is not comparable, never resolved.
#[test]
fn diff_of_two_scans_tells_fixed_added_and_unseen_apart() {
    let Some(m) = moto() else { return };
    let s = seed(&m, "lambda-vpc-mix", "210000000140", &[]);
    let account = s.account().to_string();
    let dir = tempfile::tempdir().expect("tempdir");
    let scan = |name: &str| -> std::path::PathBuf {
        let path = dir.path().join(name);
        s.vpcwarden(&m.endpoint)
            .args(["audit", "--region", "us-east-1", "--region", "eu-west-1"])
            .args(["--checks", "function-not-in-vpc,function-policy-public"])
            .args(["--format", "json", "-o"])
            .arg(&path)
            .assert()
            .code(3);
        path
    };
    let before = scan("before.json");
    let eu_fn = format!("arn:aws:lambda:eu-west-1:{account}:function:reports-novpc");
    let r1: Value =
        serde_json::from_str(&std::fs::read_to_string(&before).expect("report")).expect("JSON");
    assert!(arns(&r1, "function-not-in-vpc", "fail").contains(&eu_fn));
    assert!(arns(&r1, "function-policy-public", "pass").contains(&fn_arn(&account, "orders-vpc")));

    let net = &s.json["resources"]["vpc"]["us-east-1"];
    s.aws_call(
        &m,
        "us-east-1",
        "lambda",
        "update_function_configuration",
        serde_json::json!({
            "FunctionName": "public-api",
            "VpcConfig": {
                "SubnetIds": [net["private_a"], net["private_b"]],
                "SecurityGroupIds": [net["function_sg"]],
            },
        }),
    );
    s.aws_call(
        &m,
        "us-east-1",
        "lambda",
        "add_permission",
        serde_json::json!({
            "FunctionName": "orders-vpc",
            "StatementId": "anyone",
            "Action": "lambda:InvokeFunction",
            "Principal": "*",
        }),
    );
    let after = {
        let _denied = Faults::on(
            &m,
            &account,
            serde_json::json!({"deny": ["lambda:ListFunctions"], "regions": ["eu-west-1"]}),
        );
        scan("after.json")
    };
    let r2: Value =
        serde_json::from_str(&std::fs::read_to_string(&after).expect("report")).expect("JSON");
    assert!(
        r2["gaps"]
            .as_array()
            .expect("gaps")
            .iter()
            .any(|g| { g["region"] == "eu-west-1" && g["operation"] == "ListFunctions" }),
        "{}",
        r2["gaps"]
    );

    let out = s
        .vpcwarden(&m.endpoint)
        .arg("diff")
        .arg(&before)
        .arg(&after)
        .args(["--format", "json", "--fail-on", "critical"])
        .assert()
        .code(3)
        .get_output()
        .stdout
        .clone();
    let doc = report_of(&out);
    let listed = |category: &str| -> BTreeSet<(String, String, String, String)> {
        doc["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter(|e| e["category"] == category)
            .map(|e| {
                let text = |k: &str| e[k].as_str().unwrap_or("null").to_string();
                (
                    text("code"),
                    text("resource_arn"),
                    text("old_status"),
                    text("new_status"),
                )
            })
            .collect()
    };
    // Every listed entry, in one line each, for the failure messages.
    let all: Vec<String> = [
        "new",
        "resolved",
        "changed",
        "not_comparable",
        "still_failing",
    ]
    .iter()
    .flat_map(|c| listed(c).into_iter().map(move |e| format!("{c}: {e:?}")))
    .collect();
    let entry = |code: &str, arn: &str, old: &str, new: &str| {
        (
            code.to_string(),
            arn.to_string(),
            old.to_string(),
            new.to_string(),
        )
    };
    assert_eq!(
        listed("new"),
        BTreeSet::from([entry(
            "LAMBDA001",
            &fn_arn(&account, "orders-vpc"),
            "pass",
            "fail"
        )]),
        "{all:#?}"
    );
    assert_eq!(
        listed("resolved"),
        BTreeSet::from([entry(
            "LAMBDA003",
            &fn_arn(&account, "public-api"),
            "fail",
            "pass"
        )]),
        "{all:#?}"
    );
    // public-api's policy (a service principal bounded by SourceArn only) cannot be decided in
    // either scan: not evaluated on both sides, so it stays in doubt rather than "still failing".
    assert!(listed("still_failing").is_empty(), "{all:#?}");
    assert!(listed("changed").is_empty(), "{all:#?}");
    // eu-west-1: the failure that was there is not comparable (gap); each check's finding that
    // the region could not be listed is not comparable too (not evaluated); nothing there is
    // resolved.
    let root = format!("arn:aws:iam::{account}:root");
    let public_api = fn_arn(&account, "public-api");
    assert_eq!(
        listed("not_comparable"),
        BTreeSet::from([
            entry("LAMBDA003", &eu_fn, "fail", "absent"),
            entry("LAMBDA001", &root, "absent", "not_evaluated"),
            entry("LAMBDA003", &root, "absent", "not_evaluated"),
            entry("LAMBDA001", &public_api, "not_evaluated", "not_evaluated"),
        ]),
        "{all:#?}"
    );
    for e in doc["findings"].as_array().expect("findings") {
        if e["category"] != "not_comparable" {
            assert_eq!(e["region"], "us-east-1", "{e}");
        } else if e["resource_arn"] == public_api.as_str() {
            assert_eq!(e["reason"]["kind"], "not_evaluated", "{e}");
            assert_eq!(e["reason"]["gap"], Value::Null, "no gap in us-east-1: {e}");
        } else {
            assert_eq!(e["region"], "eu-west-1", "{e}");
            assert_eq!(e["reason"]["gap"]["operation"], "ListFunctions", "{e}");
            let kind = if e["old_status"] == "fail" {
                "gap"
            } else {
                "not_evaluated"
            };
            assert_eq!(e["reason"]["kind"], kind, "{e}");
        }
    }
    assert_eq!(doc["new"]["complete"], false);
    assert_eq!(doc["old"]["complete"], true);
}

/// `[[suppress]]` reaches Security Hub's Workflow through BatchUpdateFindings: SUPPRESSED with
/// vpcwarden's note, nothing more on a re-run, back to NEW once the entry expired, and a finding a
/// user suppressed keeps the user's workflow.
#[test]
fn security_hub_export_keeps_suppression_in_the_workflow_and_never_touches_a_users() {
    let Some(m) = moto() else { return };
    let s = seed(&m, "lambda-vpc-mix", "210000000160", &[]);
    let dir = tempfile::tempdir().expect("tempdir");
    let accepted = fn_arn(s.account(), "public-api");
    let config = |expires: &str| -> std::path::PathBuf {
        let path = dir.path().join(format!("vpcwarden-{expires}.toml"));
        std::fs::write(
            &path,
            format!(
                "[[suppress]]\ncheck = \"LAMBDA003\"\nresource = \"{accepted}\"\n\
                 reason = \"accepted\"\nowner = \"team@x\"\nexpires = {expires}\nticket = \"SEC-1\"\n"
            ),
        )
        .expect("write config");
        path
    };
    let scan = |epoch: &str, config: &std::path::Path, name: &str| -> (Value, String) {
        let path = dir.path().join(name);
        let out = s
            .vpcwarden(&m.endpoint)
            .env("SOURCE_DATE_EPOCH", epoch)
            .args(["audit", "--region", "us-east-1", "--region", "eu-west-1"])
            .args(["--checks", "function-not-in-vpc", "--config"])
            .arg(config)
            .args(["--format", "json", "-o"])
            .arg(&path)
            .args(["--export", "securityhub", "--securityhub-only-failed"])
            .assert()
            // reports-novpc fails unsuppressed in every run.
            .code(3)
            .get_output()
            .clone();
        let report: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("report")).expect("JSON");
        (report, String::from_utf8_lossy(&out.stderr).to_string())
    };
    let finding_of = |report: &Value, name: &str| -> Value {
        report["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .find(|f| {
                f["code"] == "LAMBDA003"
                    && f["resource_arn"]
                        .as_str()
                        .is_some_and(|a| a.ends_with(&format!(":function:{name}")))
            })
            .cloned()
            .unwrap_or_else(|| panic!("no LAMBDA003 finding for {name}"))
    };
    let regions = ["eu-west-1", "us-east-1"];

    // 1. The entry covers public-api: SUPPRESSED, with vpcwarden's note saying why.
    let (r1, err1) = scan("1793523600", &config("2030-01-01"), "r1.json");
    let mine = finding_of(&r1, "public-api");
    assert!(mine["suppressed"].is_object(), "{mine}");
    let mine_id = mine["id"].as_str().expect("id").to_string();
    let theirs = finding_of(&r1, "reports-novpc");
    assert!(theirs["suppressed"].is_null(), "{theirs}");
    let theirs_id = theirs["id"].as_str().expect("id").to_string();
    let held = s.hub(&m, &regions);
    let workflow = &held[&mine_id]["Workflow"]["Status"];
    assert_eq!(workflow, "SUPPRESSED", "{err1}");
    let note = &held[&mine_id]["Note"];
    assert_eq!(note["UpdatedBy"], "vpcwarden");
    let text = note["Text"].as_str().expect("Note.Text");
    for part in ["accepted", "team@x", "2030-01-01", "SEC-1"] {
        assert!(text.contains(part), "{part} not in {text}");
    }
    assert_eq!(held[&theirs_id]["Workflow"]["Status"], "NEW");
    assert!(
        err1.contains("1 finding(s) set to SUPPRESSED, 0 set back to NEW"),
        "{err1}"
    );

    // 2. A user suppresses reports-novpc (no [[suppress]] entry covers it) with a note of theirs.
    let theirs_region = theirs["region"].as_str().expect("region");
    let update = s.aws_call(
        &m,
        theirs_region,
        "securityhub",
        "batch_update_findings",
        serde_json::json!({
            "FindingIdentifiers": [{"Id": theirs_id, "ProductArn": held[&theirs_id]["ProductArn"]}],
            "Workflow": {"Status": "SUPPRESSED"},
            "Note": {"Text": "known, tracked in OPS-7", "UpdatedBy": "alice"},
        }),
    );
    assert_eq!(update["UnprocessedFindings"], serde_json::json!([]));

    // 3. The same configuration again: no workflow update at all, the user's suppression kept.
    let (_, err2) = scan("1793610000", &config("2030-01-01"), "r2.json");
    assert!(
        !err2.contains("workflow:"),
        "a re-run changes no workflow: {err2}"
    );
    let held = s.hub(&m, &regions);
    assert_eq!(held[&mine_id]["Workflow"]["Status"], "SUPPRESSED");
    assert_eq!(held[&mine_id]["Note"]["Text"], text);
    assert_eq!(held[&theirs_id]["Workflow"]["Status"], "SUPPRESSED");
    assert_eq!(held[&theirs_id]["Note"]["UpdatedBy"], "alice");

    // 4. The entry expired: public-api goes back to NEW with vpcwarden's note; the user's stays.
    let (r3, err3) = scan("1793696400", &config("2020-01-01"), "r3.json");
    assert!(finding_of(&r3, "public-api")["suppressed"].is_null());
    let held = s.hub(&m, &regions);
    assert_eq!(held[&mine_id]["Workflow"]["Status"], "NEW", "{err3}");
    assert_eq!(held[&mine_id]["Note"]["UpdatedBy"], "vpcwarden");
    assert!(
        held[&mine_id]["Note"]["Text"]
            .as_str()
            .is_some_and(|t| t.contains("Suppression ended")),
        "{}",
        held[&mine_id]["Note"]
    );
    assert_eq!(held[&theirs_id]["Workflow"]["Status"], "SUPPRESSED");
    assert_eq!(
        held[&theirs_id]["Note"]["Text"], "known, tracked in OPS-7",
        "a user's workflow is never changed"
    );
    assert!(
        err3.contains(
            "0 finding(s) set to SUPPRESSED, 1 set back to NEW (suppression ended), 0 not updated"
        ),
        "{err3}"
    );
}

#[test]
fn asff_and_ocsf_documents_pass_independent_validation() {
    let Some(m) = moto() else { return };
    let validator = std::path::Path::new(&m.seed).with_file_name("validate_findings.py");
    let dir = tempfile::tempdir().expect("tempdir");
    for (format, snapshot) in [
        ("asff", None),
        ("ocsf", None),
        ("asff", Some("function-policy-public-incomplete")),
        ("ocsf", Some("role-logs-missing")),
    ] {
        let path = dir.path().join(format!("{format}.json"));
        let mut cmd = Command::cargo_bin("vpcwarden").expect("binary");
        cmd.env("SOURCE_DATE_EPOCH", "1793523600").arg("audit");
        match snapshot {
            None => cmd.arg("--demo"),
            Some(name) => cmd.arg("--from-snapshot").arg(
                std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("mocks/snapshots")
                    .join(format!("{name}.json")),
            ),
        };
        if (format, snapshot) == ("asff", None) {
            // Suppressed findings carry Workflow SUPPRESSED and a Note at its 512-character limit.
            let config = dir.path().join("vpcwarden.toml");
            std::fs::write(
                &config,
                format!(
                    "[[suppress]]\ncheck = \"*\"\nresource = \"arn:aws:lambda:*\"\n\
                     reason = \"{}\"\nowner = \"team@x\"\nexpires = 2030-01-01\n",
                    "é✓".repeat(300)
                ),
            )
            .expect("write config");
            cmd.arg("--config").arg(config);
        }
        // Every one of these has failing findings.
        cmd.args(["--format", format, "-o"])
            .arg(&path)
            .assert()
            .code(3);
        let docs: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("output")).expect("JSON");
        assert!(!docs.as_array().expect("array").is_empty());
        if (format, snapshot) == ("asff", None) {
            assert!(
                docs.as_array()
                    .expect("array")
                    .iter()
                    .any(|d| d["Workflow"]["Status"] == "SUPPRESSED"
                        && d["Note"]["Text"].as_str().map(|t| t.chars().count()) == Some(512)),
                "no suppressed finding with a full-length note"
            );
        }
        let out = std::process::Command::new(&m.python)
            .arg(&validator)
            .arg(format)
            .arg(&path)
            .output()
            .expect("run validate_findings.py");
        assert!(
            out.status.success(),
            "{format} of {snapshot:?} rejected:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn an_organization_scan_reads_every_member_through_its_role_with_its_scps() {
    let Some(m) = moto() else { return };
    let s = seed(&m, "organization", "210000000120", &[]);
    let org = &s.json["resources"]["organization"];
    let external_id = org["external_id"].as_str().expect("external_id");
    let dir = tempfile::tempdir().expect("tempdir");
    let saved = dir.path().join("org.json");
    let out = s
        .vpcwarden(&m.endpoint)
        .args([
            "audit",
            "--organization",
            "--external-id",
            external_id,
            "--region",
            "us-east-1",
            "--format",
            "json",
            "--export",
            "securityhub",
            "--stats",
        ])
        .arg("--save-snapshot")
        .arg(&saved)
        .assert()
        .code(5)
        .get_output()
        .clone();
    let report = report_of(&out.stdout);
    // Every call is in the documented policies; the tree and the SCPs are read once, not per account.
    let stats = String::from_utf8_lossy(&out.stderr);
    let calls = crate::support::calls_from_stats(&stats);
    crate::support::assert_read_only(&calls, true);
    assert_eq!(calls.get("organizations:ListAccounts"), Some(&1), "{stats}");
    assert_eq!(
        calls.get("organizations:ListParents"),
        None,
        "members never ask Organizations themselves: {stats}"
    );
    let members = org["members"].as_array().expect("members");
    // Security Hub takes an account's findings only from that account: each member's go in
    // through its own role; the member whose role is missing is named, and the export fails (5).
    let stderr = String::from_utf8_lossy(&out.stderr);
    for member in members.iter().filter(|m| m["scanned"] == true) {
        let id = member["account_id"].as_str().expect("id");
        if member["name"] == "sandbox-norole" {
            assert!(
                stderr.contains(&format!("securityhub: account {id}: not exported")),
                "{stderr}"
            );
        } else {
            assert!(
                stderr.contains(&format!("imported into account {id} ")),
                "{stderr}"
            );
        }
    }
    // The saved organization snapshot re-audits offline to the same findings, and the table
    // starts with one row per account and names the account it did not scan.
    let offline = s
        .vpcwarden(&m.endpoint)
        .args(["audit", "--format", "json", "--from-snapshot"])
        .arg(&saved)
        .assert()
        .code(3)
        .get_output()
        .stdout
        .clone();
    assert_eq!(report_of(&offline)["findings"], report["findings"]);
    // `collect` streams the same organization to a file, account by account.
    let collected = dir.path().join("collected.json");
    s.vpcwarden(&m.endpoint)
        .args([
            "collect",
            "--organization",
            "--external-id",
            external_id,
            "--region",
            "us-east-1",
            "--output",
        ])
        .arg(&collected)
        .assert()
        .code(4);
    assert!(!dir.path().join("collected.json.partial").exists());
    let recollected = s
        .vpcwarden(&m.endpoint)
        .args(["audit", "--format", "json", "--from-snapshot"])
        .arg(&collected)
        .assert()
        .code(3)
        .get_output()
        .stdout
        .clone();
    assert_eq!(report_of(&recollected)["findings"], report["findings"]);
    let table = s
        .vpcwarden(&m.endpoint)
        .args(["audit", "--from-snapshot"])
        .arg(&saved)
        .assert()
        .code(3)
        .get_output()
        .stdout
        .clone();
    let table = String::from_utf8_lossy(&table);
    let retired = members
        .iter()
        .find(|m| m["name"] == "retired")
        .expect("retired");
    assert!(
        table.contains(&format!(
            "Not scanned: {} (retired)",
            retired["account_id"].as_str().expect("id")
        )),
        "{table}"
    );
    assert!(table.contains("/workloads/prod"), "{table}");
    assert_eq!(
        report["scan"]["not_scanned"][0]["state"], "SUSPENDED",
        "{:?}",
        report["scan"]
    );
    // Every scanned account, and not the suspended one.
    let scanned: BTreeSet<String> = report["scan"]["accounts"]
        .as_array()
        .expect("accounts")
        .iter()
        .filter_map(|a| a.as_str().map(str::to_string))
        .collect();
    let mut expected: BTreeSet<String> = members
        .iter()
        .filter(|m| m["scanned"] == true)
        .map(|m| m["account_id"].as_str().expect("id").to_string())
        .collect();
    expected.insert(s.account().to_string());
    assert_eq!(
        scanned, expected,
        "the management account and every ACTIVE member"
    );
    for slug in s.json["expect"].as_object().expect("expect").keys() {
        assert_expected(&report, &s, slug);
    }
    // The member without the role: a gap of that account, and not a verdict on anything in it.
    let norole = members
        .iter()
        .find(|m| m["name"] == "sandbox-norole")
        .expect("sandbox-norole");
    let norole_id = norole["account_id"].as_str().expect("id");
    let gaps = report["gaps"].as_array().expect("gaps");
    assert!(
        gaps.iter().any(|g| g["account_id"] == norole_id
            && g["operation"] == "AssumeRole"
            && g["error_code"] == "AccessDenied"),
        "{gaps:?}"
    );
    assert_eq!(report["scan"]["complete"], false);
    let findings = report["findings"].as_array().expect("findings");
    assert!(
        findings
            .iter()
            .filter(|f| f["account_id"] == norole_id)
            .all(|f| f["status"] == "not_evaluated"
                && f["resource_arn"] == format!("arn:aws:iam::{norole_id}:root")),
        "nothing in an account that could not be entered is judged"
    );
    // Read once from the management account, the SCPs decide every member's IAM checks.
    let app = members
        .iter()
        .find(|m| m["name"] == "workload-app")
        .expect("workload-app");
    let deployer = findings
        .iter()
        .find(|f| {
            f["slug"] == "principal-vpc-guardrail-missing"
                && f["account_id"] == app["account_id"]
                && f["resource_arn"]
                    .as_str()
                    .is_some_and(|a| a.ends_with("role/lambda-deployer"))
        })
        .expect("lambda-deployer of workload-app judged");
    assert_eq!(deployer["evidence"]["scps_evaluated"], true);
}

#[test]
fn an_organization_scan_refuses_bad_targets_before_scanning() {
    let Some(m) = moto() else { return };
    let s = seed(&m, "organization", "210000000121", &[]);
    let out = s
        .vpcwarden(&m.endpoint)
        .args([
            "audit",
            "--organization",
            "--ou",
            "ou-zzzz-nothere0",
            "--region",
            "us-east-1",
        ])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--ou ou-zzzz-nothere0: no such OU"), "{err}");
}

#[test]
fn capacity_providers_aliases_and_versions_are_judged_end_to_end() {
    let Some(m) = moto() else { return };
    let s = seed(&m, "lambda-surface", "210000000130", &[]);
    let slugs = [
        "function-not-in-vpc",
        "function-single-az",
        "function-public-subnet",
        "function-no-egress",
        // Aliases and versions with policies and URLs of their own.
        "function-policy-public",
        "function-policy-unscoped-service",
        "function-url-auth-none",
        "function-url-cors-wildcard",
        // The providers' operator roles against the managed operator policy.
        "capacity-provider-operator-role-broad",
    ];
    let out = s
        .vpcwarden(&m.endpoint)
        .args([
            "audit",
            "--region",
            "us-east-1",
            "--format",
            "json",
            "--stats",
        ])
        .args(["--checks", &slugs.join(",")])
        .args(["--checks", "capacity-provider-shared-roles"])
        .assert()
        .code(3)
        .get_output()
        .clone();
    // The new reads (ListAliases, ListCapacityProviders, qualified GetPolicy) are reads, documented.
    let calls = crate::support::calls_from_stats(&String::from_utf8_lossy(&out.stderr));
    crate::support::assert_read_only(&calls, false);
    assert!(calls.contains_key("lambda:ListAliases"), "{calls:?}");
    assert!(
        calls.contains_key("lambda:ListCapacityProviders"),
        "{calls:?}"
    );
    let report = report_of(&out.stdout);
    assert_eq!(report["gaps"], serde_json::json!([]));
    // The functions' verdicts, and the providers' own placement findings.
    for slug in slugs {
        for status in ["fail", "pass", "not_evaluated"] {
            assert_eq!(
                arns(&report, slug, status),
                s.expected(slug, status),
                "{slug}: the {status} set differs from the scenario's expectation"
            );
        }
    }
    // lms-ha runs functions of two execution roles; lms-single's functions share one.
    let providers = &s.json["resources"]["capacity_providers"];
    let arn = |name: &str| {
        providers[name]["arn"]
            .as_str()
            .expect("provider arn")
            .to_string()
    };
    assert_eq!(
        arns(&report, "capacity-provider-shared-roles", "fail"),
        BTreeSet::from([arn("lms-ha")])
    );
    assert_eq!(
        arns(&report, "capacity-provider-shared-roles", "pass"),
        BTreeSet::from([arn("lms-single")])
    );
    // The providers' instances' network interfaces are theirs, never orphaned Lambda ENIs.
    let orphaned = s
        .vpcwarden(&m.endpoint)
        .args(["audit", "--region", "us-east-1", "--format", "json"])
        .args(["--checks", "eni-orphaned"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    assert_eq!(report_of(&orphaned)["findings"], serde_json::json!([]));
    let inv = s
        .vpcwarden(&m.endpoint)
        .args([
            "inventory",
            "enis",
            "--region",
            "us-east-1",
            "--format",
            "json",
        ])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let inv = report_of(&inv);
    let listed: BTreeSet<(String, String, String)> =
        inv["accounts"][0]["regions"][0]["managed_instance_enis"]
            .as_array()
            .expect("managed_instance_enis")
            .iter()
            .map(|e| {
                (
                    e["network_interface_id"].as_str().expect("id").to_string(),
                    e["capacity_provider_arn"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string(),
                    e["capacity_provider_source"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string(),
                )
            })
            .collect();
    let expected: BTreeSet<(String, String, String)> = s.json["resources"]["managed_instance_enis"]
        .as_object()
        .expect("seeded ENIs")
        .iter()
        .map(|(id, e)| {
            (
                id.clone(),
                e["capacity_provider"]
                    .as_str()
                    .expect("provider")
                    .to_string(),
                e["named_by"].as_str().expect("named_by").to_string(),
            )
        })
        .collect();
    assert_eq!(listed, expected);
}

/// The patched emulator's Security Hub `BatchUpdateFindings`, `GetFindings` filters and the
/// import rules that keep a customer's workflow (mocks/seedlib/securityhub_patch.py) answer as
/// botocore's model says: the patch's own check script, on a server of its own, in every run.
#[test]
fn the_emulators_securityhub_patch_answers_as_the_api_model_says() {
    let Some(e) = moto() else { return };
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/mocks/check_securityhub_patch.py"
    );
    let out = std::process::Command::new(&e.python)
        .arg(script)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("run check_securityhub_patch.py");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{script} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("all expectations held"), "{stdout}");
    // It checks the new call, not just that the server starts.
    assert!(
        stdout.contains("BatchUpdateFindings back to NEW"),
        "{stdout}"
    );
}

/// Issue 12's simulation of an array-job engine: four shard processes side by side, each told its
/// index the way Kubernetes tells it (JOB_COMPLETION_INDEX), then `merge`: the findings of a
/// single-process scan of the same organization, same ids, order and summary. One shard lost: the
/// merge names it and exits 4.
#[test]
fn a_sharded_organization_scan_merges_to_the_single_process_report() {
    let Some(m) = moto() else { return };
    let s = seed(
        &m,
        "bench-org",
        "210000000161",
        &["--members", "11", "--functions", "2"],
    );
    let scan = [
        "audit",
        "--organization",
        "--region",
        "us-east-1",
        "--format",
        "json",
    ];
    let whole = s.vpcwarden(&m.endpoint).args(scan).output().expect("runs");
    let whole_code = whole.status.code().expect("code");
    assert!(
        [0, 3].contains(&whole_code),
        "{}",
        String::from_utf8_lossy(&whole.stderr)
    );
    let whole = report_of(&whole.stdout);
    assert_eq!(whole["scan"]["accounts"].as_array().map(Vec::len), Some(12));
    let dir = tempfile::tempdir().expect("tempdir");
    let output = dir.path().join("shard-{shard}.json");
    let codes: Vec<(i32, String)> = std::thread::scope(|scope| {
        let runs: Vec<_> = (0..4)
            .map(|i| {
                let mut cmd = s.vpcwarden(&m.endpoint);
                cmd.args(scan)
                    .args(["--shard-count", "4", "--log-format", "json"])
                    .args(["--export", "securityhub", "--output"])
                    .arg(&output)
                    .env_remove("AWS_BATCH_JOB_ARRAY_INDEX")
                    .env("JOB_COMPLETION_INDEX", i.to_string());
                scope.spawn(move || {
                    let out = cmd.output().expect("runs");
                    (
                        out.status.code().expect("code"),
                        String::from_utf8_lossy(&out.stderr).into_owned(),
                    )
                })
            })
            .collect();
        runs.into_iter().map(|h| h.join().expect("shard")).collect()
    });
    let mut per_shard = Vec::new();
    for (i, (code, err)) in codes.iter().enumerate() {
        assert!([0, 3].contains(code), "shard {i}: {err}");
        let text = std::fs::read_to_string(dir.path().join(format!("shard-{i}.json")))
            .expect("each shard wrote its own file");
        let r: Value = serde_json::from_str(&text).expect("json");
        assert_eq!(
            r["scan"]["shard"],
            serde_json::json!({"index": i, "count": 4})
        );
        let accounts = r["scan"]["accounts"].as_array().map_or(0, Vec::len);
        per_shard.push(accounts);
        // A headless log: JSON lines, one start and one finish per account of the shard.
        let events: Vec<Value> = err
            .lines()
            .filter(|l| l.starts_with('{'))
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
            .collect();
        // Each shard exports its own accounts (through their roles) and no other's, so no shard
        // can archive another's findings.
        for account in r["scan"]["accounts"].as_array().expect("accounts") {
            let account = account.as_str().expect("id");
            assert!(
                err.contains(&format!("imported into account {account} ")),
                "shard {i}: {err}"
            );
        }
        assert_eq!(
            err.matches("imported into account").count(),
            accounts,
            "shard {i}: {err}"
        );
        let count = |name: &str| events.iter().filter(|e| e["event"] == name).count();
        assert_eq!(count("account_started"), accounts, "shard {i}: {err}");
        assert_eq!(count("account_finished"), accounts, "shard {i}: {err}");
        if accounts == 0 {
            assert!(
                err.contains("no account of this run falls in this shard"),
                "{err}"
            );
        }
    }
    assert_eq!(
        per_shard.iter().sum::<usize>(),
        12,
        "each account in one shard: {per_shard:?}"
    );
    let merged = s
        .vpcwarden(&m.endpoint)
        .args(["merge", "--dir"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(
        merged.status.code(),
        Some(whole_code),
        "{}",
        String::from_utf8_lossy(&merged.stderr)
    );
    let merged = report_of(&merged.stdout);
    assert_eq!(
        merged["findings"], whole["findings"],
        "same ids, same order"
    );
    assert_eq!(merged["summary"], whole["summary"]);
    assert_eq!(merged["gaps"], whole["gaps"]);
    for key in [
        "accounts",
        "regions",
        "checks",
        "account_details",
        "complete",
    ] {
        assert_eq!(merged["scan"][key], whole["scan"][key], "scan.{key}");
    }
    assert_eq!(
        merged["network"], whole["network"],
        "the same network picture"
    );
    // The merged organization report as a page: one row per account, each linking to its
    // network picture.
    let merged_file = dir.path().join("merged.json");
    std::fs::write(&merged_file, merged.to_string()).expect("write");
    let page = s
        .vpcwarden(&m.endpoint)
        .args(["report", "--format", "html", "--from-report"])
        .arg(&merged_file)
        .output()
        .expect("runs");
    assert_eq!(page.status.code(), Some(0));
    let page = String::from_utf8_lossy(&page.stdout);
    assert_eq!(page.matches("<tr class=\"account\"").count(), 12);
    for account in merged["scan"]["accounts"].as_array().expect("accounts") {
        let id = account.as_str().expect("id");
        assert!(
            page.contains(&format!("data-account=\"{id}\" data-region=")),
            "{id}"
        );
    }
    std::fs::remove_file(&merged_file).expect("remove");
    // A shard lost (its task killed): named, and the merged report is incomplete.
    let lost = per_shard
        .iter()
        .position(|n| *n > 0)
        .expect("a shard with accounts");
    std::fs::remove_file(dir.path().join(format!("shard-{lost}.json"))).expect("remove");
    let out = s
        .vpcwarden(&m.endpoint)
        .args(["merge", "--dir"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(4));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("(index {lost})")), "{err}");
    let partial = report_of(&out.stdout);
    assert_eq!(
        partial["scan"]["accounts"].as_array().map(Vec::len),
        Some(12 - per_shard[lost])
    );
}

//! Shared test helpers: paths, scenario loading, running checks, and the healthy account that
//! check tests mutate.

pub mod browser;
pub mod emulator;
pub mod healthy;

use std::path::PathBuf;
use vpcwarden::finding::{Finding, Status};
use vpcwarden::snapshot::Snapshot;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Loads `mocks/snapshots/NAME.json` (the demo and the end-to-end tests' files; check tests build
/// theirs from [`healthy::healthy`]).
pub fn scenario(name: &str) -> Snapshot {
    let path = root().join("mocks/snapshots").join(format!("{name}.json"));
    Snapshot::load(&path).unwrap_or_else(|e| panic!("{e}"))
}

/// Runs one check (by slug) over a snapshot.
pub fn run_check(snapshot: &Snapshot, slug: &str) -> Vec<Finding> {
    run_check_with(snapshot, slug, &vpcwarden::config::Config::default())
}

/// `(status, region, last part of the ARN)`: a function name, `eni-...`, `vpce-...`, a role name or
/// `root`, for compact assertions.
pub fn short(findings: &[Finding]) -> Vec<(Status, &str, &str)> {
    findings
        .iter()
        .map(|f| {
            let last = f.resource_arn.rsplit([':', '/']).next().unwrap_or_default();
            (f.status, &*f.region, last)
        })
        .collect()
}

/// Runs one check (by slug) over a snapshot with a given configuration.
pub fn run_check_with(
    snapshot: &Snapshot,
    slug: &str,
    config: &vpcwarden::config::Config,
) -> Vec<Finding> {
    let all = vpcwarden::checks::all().expect("catalog parses");
    let selected = vpcwarden::checks::select(all, &[slug.to_string()], &[]).expect("known check");
    vpcwarden::checks::run(snapshot, config, &selected)
        .expect("check runs")
        .into_iter()
        .map(|f| *f)
        .collect()
}

/// The finding whose resource ARN ends in `last` (a function or role name, `eni-...`, `vpce-...`).
pub fn find<'a>(findings: &'a [Finding], last: &str) -> &'a Finding {
    findings
        .iter()
        .find(|f| f.resource_arn.rsplit([':', '/']).next() == Some(last))
        .unwrap_or_else(|| panic!("no finding on {last}: {:?}", short(findings)))
}

/// The binary, offline: never real credentials, profiles or the instance metadata service, and the
/// time pinned so outputs are byte-stable.
/// `audit --demo --format json` (with `extra` flags), parsed; the demo fails, so it exits 3.
pub fn demo_json(extra: &[&str]) -> serde_json::Value {
    let out = vpcwarden()
        .args(["audit", "--demo", "--format", "json"])
        .args(extra)
        .assert()
        .code(3)
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).expect("a JSON report")
}

/// Runs `cmd` to its end: exit code, stdout and stderr as text.
pub fn outcome(cmd: &mut assert_cmd::Command) -> (i32, String, String) {
    let out = cmd.output().expect("runs");
    (
        out.status.code().expect("an exit code"),
        String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        String::from_utf8(out.stderr).expect("UTF-8 stderr"),
    )
}

pub fn vpcwarden() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("vpcwarden").expect("binary");
    cmd.env_remove("AWS_PROFILE")
        .env_remove("AWS_ENDPOINT_URL")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("SOURCE_DATE_EPOCH", "1793523600");
    cmd
}

/// The calls a run made, from its `--stats` lines on stderr: IAM action (`lambda:GetPolicy`) to
/// the number of calls.
pub fn calls_from_stats(stderr: &str) -> std::collections::BTreeMap<String, u64> {
    let mut calls = std::collections::BTreeMap::new();
    for line in stderr
        .lines()
        .filter(|l| l.starts_with("stats: ") && !l.starts_with("stats: total"))
    {
        let mut parts = line.split_whitespace().skip(1);
        let (service, op) = (
            parts.next().expect("service"),
            parts.next().expect("operation"),
        );
        let n: u64 = line
            .split("calls=")
            .nth(1)
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .expect("calls=");
        let prefix = match service {
            "EC2" => "ec2",
            "IAM" => "iam",
            "Lambda" => "lambda",
            "Organizations" => "organizations",
            "SecurityHub" => "securityhub",
            "STS" => "sts",
            other => panic!("unexpected service {other} in {line}"),
        };
        *calls.entry(format!("{prefix}:{op}")).or_default() += n;
    }
    calls
}

/// Read-only, proven: every call is in a policy the README documents, and is a `Get*`, `List*` or
/// `Describe*` call, except `sts:AssumeRole` (it obtains a member account's credentials and
/// changes nothing) and, when `export` is true, the Security Hub export's own calls.
pub fn assert_read_only(calls: &std::collections::BTreeMap<String, u64>, export: bool) {
    assert!(!calls.is_empty(), "no --stats lines");
    for action in calls.keys() {
        let a = action.as_str();
        let documented = vpcwarden::aws::REQUIRED_ACTIONS.contains(&a)
            || vpcwarden::aws::ORGANIZATION_ACTIONS.contains(&a)
            || (export && vpcwarden::aws::EXPORT_ACTIONS.contains(&a))
            || a == "sts:AssumeRole"
            || a == "sts:GetCallerIdentity";
        assert!(documented, "{a} is in no documented policy");
        let op = a.split_once(':').map_or(a, |(_, op)| op);
        let reads = ["Get", "List", "Describe"]
            .iter()
            .any(|verb| op.starts_with(verb));
        assert!(
            reads
                || a == "sts:AssumeRole"
                || (export && vpcwarden::aws::EXPORT_ACTIONS.contains(&a)),
            "{a} is not a read"
        );
    }
}

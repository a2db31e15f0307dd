//! End-to-end under faults: the real binary against the shared emulator with its fault mode
//! (`mocks/seedlib/faults.py`) switched on for one test account at a time. AWS throttles (at random
//! or by Lambda's quotas), answers 500 and 503, drops connections, answers slowly and denies single
//! operations; vpcwarden must keep every verdict it can make, retry what can be retried, and say
//! `not_evaluated` (never `pass`) for what it could not read.
//!
//! Every test seeds an account of its own (ids 210000000150-155) and scopes its faults to that account,
//! so the other tests sharing the emulator are unaffected. `scripts/test` starts the emulator; without
//! it these tests fail with a message saying so (VPCWARDEN_SKIP_MOTO=1 skips them, loudly).

use assert_cmd::Command;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

use crate::support::emulator::{Emulator, Faults};

/// The shared emulator and the seeding script (see [`crate::support::emulator::emulator`]).
fn emulator() -> Option<Emulator> {
    crate::support::emulator::emulator("fault-mode end-to-end test")
}

/// A seeded account: what `seed.py` printed.
struct Account {
    json: Value,
}

impl Account {
    fn id(&self) -> &str {
        self.json["account_id"].as_str().expect("account_id")
    }

    /// The binary with this account's credentials and nothing of the developer's environment.
    fn vpcwarden(&self, e: &Emulator) -> Command {
        let creds = &self.json["credentials"];
        let var = |k: &str| creds[k].as_str().unwrap_or_default().to_string();
        let mut cmd = Command::cargo_bin("vpcwarden").expect("binary");
        cmd.env_remove("AWS_PROFILE")
            .env("AWS_ACCESS_KEY_ID", var("AWS_ACCESS_KEY_ID"))
            .env("AWS_SECRET_ACCESS_KEY", var("AWS_SECRET_ACCESS_KEY"))
            .env("AWS_SESSION_TOKEN", var("AWS_SESSION_TOKEN"))
            .env("AWS_REGION", "us-east-1")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("SOURCE_DATE_EPOCH", "1793523600")
            .env("AWS_ENDPOINT_URL", &e.endpoint);
        cmd
    }
}

fn seed(e: &Emulator, scenario: &str, account: &str) -> Account {
    Account {
        json: e.seed(scenario, account, &[]),
    }
}

/// A finished run: exit code, the JSON document on stdout, stderr.
struct Run {
    code: i32,
    report: Value,
    stderr: String,
}

fn run(cmd: &mut Command) -> Run {
    let out = cmd.output().expect("run vpcwarden");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{stderr}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    Run {
        code: out.status.code().unwrap_or(-1),
        report,
        stderr,
    }
}

/// `(calls, requests)` of the `stats: total` line `--stats` prints on stderr.
fn stats_total(stderr: &str) -> (u64, u64) {
    let line = stderr
        .lines()
        .find(|l| l.starts_with("stats: total "))
        .unwrap_or_else(|| panic!("no stats total in:\n{stderr}"));
    let field = |name: &str| -> u64 {
        line.split_whitespace()
            .find_map(|w| w.strip_prefix(name))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no {name} in {line}"))
    };
    (field("calls="), field("requests="))
}

/// `service:Operation` of every operation `--stats` counted.
fn operations_called(stderr: &str) -> BTreeSet<String> {
    stderr
        .lines()
        .filter(|l| l.starts_with("stats: ") && !l.starts_with("stats: total"))
        .filter_map(|l| {
            let mut parts = l.split_whitespace().skip(1);
            let service = parts.next()?.to_ascii_lowercase();
            Some(format!("{service}:{}", parts.next()?))
        })
        .collect()
}

fn findings(report: &Value) -> &[Value] {
    report["findings"].as_array().expect("findings")
}

fn gaps(report: &Value) -> &[Value] {
    report["gaps"].as_array().expect("gaps")
}

/// The report without the scan's timestamps (pinned by SOURCE_DATE_EPOCH, but not what is compared).
fn untimed(report: &Value) -> Value {
    let mut r = report.clone();
    if let Some(scan) = r["scan"].as_object_mut() {
        scan.remove("started_at");
        scan.remove("finished_at");
    }
    r
}

/// Every check of the catalog (`checks/*/*.md`): code and the operations its `requires` names.
fn catalog() -> Vec<(String, Vec<String>)> {
    vpcwarden::checks::all()
        .expect("catalog parses")
        .iter()
        .map(|c| (c.code().to_string(), c.entry.meta.requires.clone()))
        .collect()
}

/// `service:Operation` of a gap, as the catalog's `requires` spells it.
fn gap_operation(gap: &Value) -> String {
    format!(
        "{}:{}",
        gap["service"].as_str().unwrap_or_default(),
        gap["operation"].as_str().unwrap_or_default()
    )
}

/// Faults may only take verdicts away: every `pass` or `fail` under faults is one the clean run gave
/// (same id, same status), and every finding of a check whose `requires` names an operation that
/// failed (`failed`) for the finding's account is `not_evaluated`. Returns what breaks that.
fn only_taken_away(
    clean: &Value,
    faulty: &Value,
    account: &str,
    failed: &BTreeSet<String>,
) -> Vec<String> {
    let requires: BTreeMap<String, Vec<String>> = catalog().into_iter().collect();
    let before: BTreeMap<&str, &Value> = findings(clean)
        .iter()
        .map(|f| (f["id"].as_str().expect("id"), f))
        .collect();
    let mut problems = Vec::new();
    for f in findings(faulty)
        .iter()
        .filter(|f| f["account_id"] == account)
    {
        let (code, status, arn) = (
            f["code"].as_str().unwrap_or_default(),
            f["status"].as_str().unwrap_or_default(),
            f["resource_arn"].as_str().unwrap_or_default(),
        );
        if status == "not_evaluated" {
            continue;
        }
        let blind = requires
            .get(code)
            .into_iter()
            .flatten()
            .filter(|op| failed.contains(*op))
            .collect::<Vec<_>>();
        if !blind.is_empty() {
            problems.push(format!("{code} says {status} on {arn} without {blind:?}"));
        }
        match before.get(f["id"].as_str().unwrap_or_default()) {
            Some(c) if c["status"] == status => {}
            Some(c) => problems.push(format!(
                "{code} says {status} on {arn}, the clean run {}",
                c["status"]
            )),
            None => problems.push(format!(
                "{code} says {status} on {arn}, which the clean run did not judge"
            )),
        }
    }
    problems
}

/// The same random draw every run (faults.py hashes it with each request); any seed would do.
const SEED: u64 = 2026;

/// 30 % of every service's requests answered with a random fault (throttling, 500, 503, a dropped
/// connection, half an answer, a slow answer): retried, they change nothing. Same findings, same gaps
/// (none), and `--stats` shows exactly one retry per failed attempt the emulator injected.
#[test]
fn thirty_percent_random_faults_change_no_finding_and_every_failure_is_retried() {
    let Some(e) = emulator() else { return };
    let a = seed(&e, "lambda-vpc-mix", "210000000150");
    let audit = || {
        let mut cmd = a.vpcwarden(&e);
        cmd.args(["audit", "--region", "us-east-1", "--region", "eu-west-1"])
            .args(["--format", "json", "--stats", "--max-attempts", "10"]);
        cmd
    };
    let clean = run(&mut audit());
    assert_eq!(clean.code, 3, "{}", clean.stderr);
    assert_eq!(
        gaps(&clean.report),
        &[] as &[Value],
        "the clean run reads everything"
    );

    let faults = Faults::on(
        &e,
        a.id(),
        json!({"rate": 0.3, "seed": SEED, "slow_ms": 100}),
    );
    let faulty = run(&mut audit());
    let injected = faults.stats();
    let report = &faulty.report;
    let gave_up: Vec<String> = gaps(report)
        .iter()
        .map(|g| {
            format!(
                "{} {} {}",
                gap_operation(g),
                g["resource"].as_str().unwrap_or(&g["region"].to_string()),
                g["error_code"]
            )
        })
        .collect();
    assert!(
        gave_up.is_empty(),
        "every fault is retryable and --max-attempts 10 allows 9 retries, yet {} call(s) gave up:\n{}\n\
         emulator: {injected}\n{}",
        gave_up.len(),
        gave_up.join("\n"),
        faulty.stderr
    );
    assert_eq!(report["scan"]["complete"], true);
    assert_eq!(faulty.code, clean.code, "{}", faulty.stderr);
    assert_eq!(
        untimed(report),
        untimed(&clean.report),
        "the same findings (ids, statuses, evidence), summary and scan"
    );

    // Every service was in the fault mode's scope, and several kinds of failure were drawn.
    let seen: BTreeSet<&str> = injected["operations"]
        .as_object()
        .expect("operations")
        .keys()
        .filter_map(|op| op.split(':').next())
        .collect();
    assert_eq!(
        seen,
        BTreeSet::from(["ec2", "iam", "lambda", "organizations", "sts"]),
        "{injected}"
    );
    let by_kind = injected["faults"].as_object().expect("faults");
    let failing: u64 = by_kind
        .iter()
        .filter(|(kind, _)| *kind != "slow")
        .map(|(_, n)| n.as_u64().unwrap_or_default())
        .sum();
    assert!(
        by_kind.keys().filter(|k| *k != "slow").count() >= 3,
        "seed {SEED} draws fewer than three kinds of failure here: {injected}"
    );

    // --stats counts every attempt the emulator saw, and one retry per failed attempt.
    let (calls, requests) = stats_total(&faulty.stderr);
    assert_eq!(
        requests,
        injected["requests"].as_u64().unwrap_or_default(),
        "{}",
        faulty.stderr
    );
    assert_eq!(
        requests - calls,
        failing,
        "retries shown by --stats vs failures injected ({injected}):\n{}",
        faulty.stderr
    );
    assert!(failing > 0, "{injected}");
}

/// Lambda's quotas enforced by the emulator (faults.py `quota`: a bucket per account, region and
/// quota holding one second of its rate). With vpcwarden's pacing set far above them (`[quotas]` at
/// 1000/s) the emulator throttles, and every throttled request is retried until the scan ends
/// complete with the findings of an unthrottled scan. With the pacing at the emulator's rates, no
/// bucket throttles after its first second, although each is busy for longer than that.
///
/// Nothing here times anything. The unpaced scan's throttles are certain: with `--concurrency 32`
/// each region sends its 20 GetPolicy and 20 GetFunctionUrlConfig calls at once, twice what a
/// bucket of 10 holds. The paced scan's buckets tolerate any request reaching the emulator up to
/// 0.9 s later than the others (one second of tokens, less the one request a pacer sends at once),
/// far more than loopback adds.
#[test]
fn lambda_quotas_throttle_an_unpaced_scan_which_ends_complete_and_spare_a_paced_one() {
    let Some(e) = emulator() else { return };
    // 20 functions in each of three regions: per region 20 GetPolicy calls and 43 other Lambda calls
    // (ListFunctions, ListAliases, GetFunctionUrlConfig, ListEventSourceMappings, ...).
    let a = Account {
        json: e.seed("bench", "210000000155", &["--functions", "60"]),
    };
    let rate = 10.0;
    let quota =
        json!({"quota": {"lambda:GetPolicy": rate, "lambda:GetFunction": 100, "lambda:*": rate}});
    let dir = tempfile::tempdir().expect("tempdir");
    let config = |name: &str, per_second: f64| {
        let path = dir.path().join(name);
        std::fs::write(
            &path,
            format!(
                "[quotas]\nlambda_get_policy = {per_second:.1}\nlambda_control_plane = {per_second:.1}\n"
            ),
        )
        .expect("write vpcwarden.toml");
        path
    };
    let (unpaced, paced) = (config("unpaced.toml", 1000.0), config("paced.toml", rate));
    let audit = |config: &std::path::Path, concurrency: &str| {
        let mut cmd = a.vpcwarden(&e);
        cmd.args(["audit", "--region", "us-east-1", "--region", "eu-west-1"])
            .args(["--region", "ap-southeast-2", "--format", "json", "--stats"])
            .args([
                "--max-attempts",
                "20",
                "--concurrency",
                concurrency,
                "--config",
            ])
            .arg(config);
        run(&mut cmd)
    };
    let clean = audit(&unpaced, "32");
    assert_eq!(gaps(&clean.report), &[] as &[Value], "{}", clean.stderr);
    assert_eq!(clean.report["scan"]["complete"], true);

    let faults = Faults::on(&e, a.id(), quota.clone());
    let throttled = audit(&unpaced, "32");
    let injected = faults.stats();
    let buckets = |stats: &Value| -> Vec<(String, Value)> {
        stats["quota"]
            .as_object()
            .expect("quota stats")
            .iter()
            .flat_map(|(region, b)| {
                b.as_object()
                    .expect("buckets")
                    .iter()
                    .map(move |(key, v)| (format!("{region} {key}"), v.clone()))
            })
            .collect()
    };
    let count = |v: &Value, k: &str| v[k].as_u64().unwrap_or_default();
    let throttles = count(&injected["faults"], "throttle");
    assert!(
        throttles > 0,
        "unpaced, the scan went over the emulator's quotas: {injected}"
    );
    let per_bucket: u64 = buckets(&injected)
        .iter()
        .map(|(_, b)| count(b, "throttled"))
        .sum();
    assert_eq!(per_bucket, throttles, "{injected}");
    assert_eq!(
        buckets(&injected).len(),
        6,
        "GetPolicy and the rest of the control plane, in each of the three regions: {injected}"
    );
    assert_eq!(
        gaps(&throttled.report),
        &[] as &[Value],
        "{}",
        throttled.stderr
    );
    assert_eq!(throttled.code, clean.code, "{}", throttled.stderr);
    assert_eq!(
        untimed(&throttled.report),
        untimed(&clean.report),
        "the same findings, summary and scan"
    );
    // Each throttled request was tried again, once: --stats shows exactly the emulator's throttles.
    let (calls, requests) = stats_total(&throttled.stderr);
    assert_eq!(
        requests,
        count(&injected, "requests"),
        "{}",
        throttled.stderr
    );
    assert_eq!(
        requests - calls,
        throttles,
        "{injected}\n{}",
        throttled.stderr
    );

    faults.set(quota);
    let spared = audit(&paced, "8");
    let injected = faults.stats();
    assert_eq!(
        untimed(&spared.report),
        untimed(&clean.report),
        "{}",
        spared.stderr
    );
    let late: Vec<String> = buckets(&injected)
        .iter()
        .filter(|(_, b)| count(b, "throttled_after") > 0)
        .map(|(name, b)| format!("{name}: {b}"))
        .collect();
    assert!(
        late.is_empty(),
        "paced at the quota, throttled after the first second:\n{}",
        late.join("\n")
    );
    // The buckets were busy past their first second (43 calls at 10/s): the pacer kept to the rate,
    // it did not merely finish inside the first second's tokens.
    let busy = buckets(&injected)
        .into_iter()
        .filter(|(name, b)| name.ends_with("lambda:*") && b["span_s"].as_f64() > Some(1.0))
        .count();
    assert_eq!(busy, 3, "{injected}");
}

/// AccessDenied on each operation a check `requires`, one operation at a time, in a loop over the
/// catalog (a new check or a new required operation is covered without a new test): every check fed
/// by it says `not_evaluated`, each finding naming the gap, none says `pass`, and the exit code is 4.
///
/// Two scenarios between them give every check something to judge: lambda-vpc-mix (VPC and non-VPC
/// functions, ENIs, endpoints; seeded into an organization with an SCP at the root, so a
/// single-account scan calls the Organizations operations ORG001/ORG002 require) and lambda-surface
/// (capacity providers, for LAMBDA107/LAMBDA108). For each operation and each check fed by it, the
/// first scenario whose clean scan calls the operation and judges something with the check is used.
#[test]
fn access_denied_on_each_required_operation_leaves_exactly_its_checks_not_evaluated() {
    let Some(e) = emulator() else { return };
    let scenarios = [
        ("lambda-vpc-mix", "210000000151"),
        ("lambda-surface", "210000000152"),
    ];
    // Each account seeded and scanned clean: what it calls, and which checks judge something there.
    let accounts: Vec<(Account, BTreeSet<String>, BTreeSet<String>)> = std::thread::scope(|s| {
        let handles: Vec<_> = scenarios
            .iter()
            .map(|(scenario, id)| {
                let e = &e;
                s.spawn(move || {
                    let a = seed(e, scenario, id);
                    let r = denied_audit_run(e, &a, None);
                    assert_eq!(gaps(&r.report), &[] as &[Value], "{scenario}: {}", r.stderr);
                    let judged = findings(&r.report)
                        .iter()
                        .filter_map(|f| f["code"].as_str().map(str::to_string))
                        .collect();
                    (a, operations_called(&r.stderr), judged)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("seeding thread"))
            .collect()
    });

    // For each required operation and each check it feeds: the first account that can show it.
    let catalog = catalog();
    let required: BTreeSet<&String> = catalog.iter().flat_map(|(_, req)| req).collect();
    let mut problems = Vec::new();
    let mut plan: Vec<Vec<(String, Vec<String>)>> = vec![Vec::new(); accounts.len()];
    for op in required {
        let mut by_account: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        for (code, _) in catalog.iter().filter(|(_, req)| req.contains(op)) {
            match accounts
                .iter()
                .position(|(_, called, judged)| called.contains(op) && judged.contains(code))
            {
                Some(i) => by_account.entry(i).or_default().push(code.clone()),
                None => problems.push(format!(
                    "{op}: no scenario's clean scan calls it and judges something with {code}; \
                     add a scenario that does to this test"
                )),
            }
        }
        for (i, checks) in by_account {
            plan[i].push((op.clone(), checks));
        }
    }
    let audits: usize = plan.iter().map(Vec::len).sum();
    // One audit per (operation, account), the accounts side by side.
    let found: Vec<Vec<String>> = std::thread::scope(|s| {
        let handles: Vec<_> = accounts
            .iter()
            .zip(&plan)
            .map(|((a, _, _), ops)| {
                let e = &e;
                s.spawn(move || {
                    ops.iter()
                        .flat_map(|(op, checks)| denied_problems(e, a, op, checks))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("audit thread"))
            .collect()
    });
    problems.extend(found.into_iter().flatten());
    assert!(
        problems.is_empty(),
        "{} problem(s) over {audits} denied audits:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// `audit --region us-east-1 --format json --stats`, restricted to `checks` if given.
fn denied_audit_run(e: &Emulator, a: &Account, checks: Option<&[String]>) -> Run {
    let mut cmd = a.vpcwarden(e);
    cmd.args([
        "audit",
        "--region",
        "us-east-1",
        "--format",
        "json",
        "--stats",
    ]);
    if let Some(checks) = checks {
        cmd.args(["--checks", &checks.join(",")]);
    }
    run(&mut cmd)
}

/// With `op` denied in `a`'s account: what is wrong with the audit of `checks` (the checks fed by it).
fn denied_problems(e: &Emulator, a: &Account, op: &str, checks: &[String]) -> Vec<String> {
    let _faults = Faults::on(e, a.id(), json!({"deny": [op]}));
    let r = denied_audit_run(e, a, Some(checks));
    let (service, operation) = op.split_once(':').expect("service:Operation");
    let mut problems = Vec::new();
    if r.code != 4 {
        problems.push(format!("{op}: exit {} (want 4) for {checks:?}", r.code));
    }
    let denied = gaps(&r.report).iter().any(|g| {
        gap_operation(g) == op
            && g["error_code"]
                .as_str()
                .is_some_and(|c| c.contains("AccessDenied") || c == "UnauthorizedOperation")
    });
    if !denied {
        problems.push(format!(
            "{op}: no AccessDenied gap in {:?}",
            gaps(&r.report)
        ));
    }
    for code in checks {
        let of_check: Vec<&Value> = findings(&r.report)
            .iter()
            .filter(|f| f["code"] == code.as_str())
            .collect();
        if of_check.is_empty() {
            problems.push(format!("{op}: {code} reported nothing"));
        }
        for f in of_check {
            let gap = &f["evidence"]["gap"];
            if f["status"] != "not_evaluated"
                || gap["service"] != service
                || gap["operation"] != operation
            {
                problems.push(format!(
                    "{op}: {code} says {} on {} (evidence gap {gap})",
                    f["status"], f["resource_arn"]
                ));
            }
        }
    }
    problems
}

/// GetPolicy of one function answered 500 on every attempt: it is retried up to --max-attempts,
/// then it is a gap naming the function; the checks that need the policy are `not_evaluated` for
/// that function alone, and `collect` still writes the function into the snapshot.
#[test]
fn a_call_failing_on_every_attempt_is_a_gap_on_its_resource_which_stays_in_the_snapshot() {
    let Some(e) = emulator() else { return };
    let a = seed(&e, "lambda-vpc-mix", "210000000153");
    let target = format!("arn:aws:lambda:us-east-1:{}:function:public-api", a.id());
    let attempts = 3;
    let live = || {
        let mut cmd = a.vpcwarden(&e);
        cmd.args(["audit", "--region", "us-east-1", "--format", "json"])
            .args(["--max-attempts", &attempts.to_string()]);
        run(&mut cmd)
    };
    let clean = live();
    assert_eq!(clean.code, 3, "{}", clean.stderr);
    // The only function of the region whose name contains "public-api".
    let rule = json!({"always_fail": [
        {"operation": "lambda:GetPolicy", "resource": "public-api", "status": 500}
    ]});
    let faults = Faults::on(&e, a.id(), rule.clone());
    let faulty = live();
    let hits = |f: &Faults| -> u64 {
        f.stats()["always_fail_hits"]
            .as_array()
            .expect("hits")
            .iter()
            .filter_map(Value::as_u64)
            .sum()
    };
    assert_eq!(hits(&faults), attempts, "every attempt was made");
    let report = &faulty.report;
    let got: Vec<(String, String, String)> = gaps(report)
        .iter()
        .map(|g| {
            (
                gap_operation(g),
                g["resource"].as_str().unwrap_or_default().to_string(),
                g["error_code"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![(
            "lambda:GetPolicy".to_string(),
            target.clone(),
            "ServiceException".to_string()
        )],
        "{}",
        faulty.stderr
    );
    assert_eq!(report["scan"]["complete"], false);
    // The checks that need the policy: not evaluated on that function, with the gap; nothing else
    // changed but verdicts withheld on it.
    let needs_policy: Vec<String> = catalog()
        .into_iter()
        .filter(|(_, req)| req.iter().any(|op| op == "lambda:GetPolicy"))
        .map(|(code, _)| code)
        .collect();
    assert!(!needs_policy.is_empty());
    for code in &needs_policy {
        let on_target: Vec<&Value> = findings(report)
            .iter()
            .filter(|f| f["code"] == code.as_str() && f["resource_arn"] == target.as_str())
            .collect();
        assert_eq!(on_target.len(), 1, "{code} on {target}: {on_target:?}");
        assert_eq!(on_target[0]["status"], "not_evaluated", "{code}");
        assert_eq!(on_target[0]["evidence"]["gap"]["operation"], "GetPolicy");
    }
    // GetPolicy failed for one function only: the others keep every verdict (checked below).
    let mut problems = only_taken_away(&clean.report, report, a.id(), &BTreeSet::new());
    let faulty_ids: BTreeMap<&str, &Value> = findings(report)
        .iter()
        .map(|f| (f["id"].as_str().expect("id"), f))
        .collect();
    for f in findings(&clean.report) {
        let same = faulty_ids.get(f["id"].as_str().unwrap_or_default()) == Some(&f);
        if !same && f["resource_arn"] != target.as_str() {
            problems.push(format!(
                "{} on {} changed although only {target} lost its policy",
                f["code"], f["resource_arn"]
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // `collect` writes the function, its policy marked as not collected, and the gap.
    faults.set(rule);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("snap.json");
    let out = a
        .vpcwarden(&e)
        .args(["collect", "--region", "us-east-1", "--max-attempts"])
        .arg(attempts.to_string())
        .arg("--output")
        .arg(&path)
        .output()
        .expect("run collect");
    assert_eq!(
        out.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(hits(&faults), attempts);
    let snapshot: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("snapshot")).expect("JSON");
    let account = &snapshot["accounts"][0];
    let functions: BTreeMap<&str, &Value> = account["regions"]
        .as_array()
        .expect("regions")
        .iter()
        .filter(|r| r["region"] == "us-east-1")
        .flat_map(|r| r["lambda"]["functions"].as_array().into_iter().flatten())
        .map(|f| (f["arn"].as_str().expect("arn"), f))
        .collect();
    let kept = functions
        .get(target.as_str())
        .unwrap_or_else(|| panic!("{target} missing from {:?}", functions.keys()));
    assert_eq!(kept["resource_policy"]["status"], "not_collected");
    assert!(
        functions
            .iter()
            .filter(|(arn, _)| **arn != target)
            .all(|(_, f)| f["resource_policy"]["status"] != "not_collected"),
        "only {target} lost its policy"
    );
    let snapshot_gaps: Vec<String> = account["gaps"]
        .as_array()
        .expect("gaps")
        .iter()
        .map(|g| {
            format!(
                "{} {}",
                gap_operation(g),
                g["resource"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(snapshot_gaps, vec![format!("lambda:GetPolicy {target}")]);
}

/// An organization scan with one member throttled hard (every Lambda request answered
/// TooManyRequestsException) and one member whose role may read nothing (every call AccessDenied):
/// every other account's findings and gaps are those of a clean scan of the same organization, and
/// the two members show their gaps and never a verdict they could not make.
#[test]
fn an_organization_scan_with_one_member_throttled_and_one_denied_leaves_the_others_unharmed() {
    let Some(e) = emulator() else { return };
    let s = seed(&e, "organization", "210000000154");
    let org = &s.json["resources"]["organization"];
    let member = |name: &str| -> String {
        org["members"]
            .as_array()
            .expect("members")
            .iter()
            .find(|m| m["name"] == name)
            .and_then(|m| m["account_id"].as_str())
            .unwrap_or_else(|| panic!("no member {name}"))
            .to_string()
    };
    let (throttled, denied) = (member("workload-app"), member("sandbox-dev"));
    // One retry is enough to show a throttled call is retried: once throttled, the SDK's adaptive
    // rate limiter makes each further retry in that account's Lambda partition wait seconds (up to
    // the 20 s max backoff), which a test should not spend.
    let scan = || {
        let mut cmd = s.vpcwarden(&e);
        cmd.args(["audit", "--organization", "--external-id"])
            .arg(org["external_id"].as_str().expect("external_id"))
            .args(["--region", "us-east-1", "--format", "json"])
            .args(["--max-attempts", "2"]);
        run(&mut cmd)
    };
    let clean = scan();
    assert_eq!(clean.code, 3, "{}", clean.stderr);

    let hard = Faults::on(
        &e,
        &throttled,
        json!({"rate": 1.0, "services": ["lambda"], "kinds": ["throttle"], "seed": SEED}),
    );
    let nothing = Faults::on(&e, &denied, json!({"deny": ["*"]}));
    let faulty = scan();
    assert_eq!(faulty.code, 3, "{}", faulty.stderr);
    let report = &faulty.report;

    let of = |r: &Value, key: &str, account: &str| -> Vec<Value> {
        r[key]
            .as_array()
            .expect("list")
            .iter()
            .filter(|x| x["account_id"] == account)
            .cloned()
            .collect()
    };
    let scanned: Vec<String> = clean.report["scan"]["accounts"]
        .as_array()
        .expect("accounts")
        .iter()
        .filter_map(|a| a.as_str().map(str::to_string))
        .collect();
    assert!(scanned.contains(&throttled) && scanned.contains(&denied));
    assert_eq!(report["scan"]["accounts"], clean.report["scan"]["accounts"]);
    for account in scanned.iter().filter(|a| **a != throttled && **a != denied) {
        assert_eq!(
            of(report, "findings", account),
            of(&clean.report, "findings", account),
            "account {account} was not faulted: its findings must not change"
        );
        assert_eq!(
            of(report, "gaps", account),
            of(&clean.report, "gaps", account)
        );
    }

    // The throttled member: each Lambda call tried twice, then a gap; no Lambda verdict.
    let throttled_gaps = of(report, "gaps", &throttled);
    assert!(!throttled_gaps.is_empty(), "{}", faulty.stderr);
    assert!(
        throttled_gaps
            .iter()
            .all(|g| g["service"] == "lambda" && g["error_code"] == "TooManyRequestsException"),
        "{throttled_gaps:?}"
    );
    let injected = hard.stats();
    let lambda_requests: u64 = injected["operations"]
        .as_object()
        .expect("operations")
        .iter()
        .filter(|(op, _)| op.starts_with("lambda:"))
        .map(|(_, o)| o["requests"].as_u64().unwrap_or_default())
        .sum();
    assert_eq!(
        injected["faults"]["throttle"].as_u64(),
        Some(lambda_requests),
        "{injected}"
    );
    assert_eq!(
        lambda_requests,
        2 * throttled_gaps.len() as u64,
        "every throttled call made both of its attempts, then became one gap: {injected}"
    );
    // The denied member: AccessDenied on every service its role reads.
    let denied_gaps = of(report, "gaps", &denied);
    let services: BTreeSet<&str> = denied_gaps
        .iter()
        .filter_map(|g| g["service"].as_str())
        .collect();
    assert_eq!(
        services,
        BTreeSet::from(["ec2", "iam", "lambda"]),
        "{denied_gaps:?}"
    );
    assert!(nothing.stats()["faults"]["access_denied"].as_u64() > Some(0));
    // Nothing of its own was read: no pass at all. (Its Organizations verdicts are made from what
    // the management account reads; in /sandbox no SCP guards it, so they fail, as in the clean scan.)
    let passes: Vec<&Value> = findings(report)
        .iter()
        .filter(|f| f["account_id"] == denied.as_str() && f["status"] == "pass")
        .collect();
    assert!(passes.is_empty(), "{passes:?}");
    let mut problems = Vec::new();
    for (account, account_gaps) in [(&throttled, &throttled_gaps), (&denied, &denied_gaps)] {
        let failed: BTreeSet<String> = account_gaps.iter().map(gap_operation).collect();
        problems.extend(only_taken_away(&clean.report, report, account, &failed));
        if !findings(report)
            .iter()
            .any(|f| f["account_id"] == account.as_str() && f["status"] == "not_evaluated")
        {
            problems.push(format!("{account}: nothing is not_evaluated"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

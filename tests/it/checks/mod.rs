//! Check tests, one file per service (`tests/it/checks/<service>.rs`, one module per check): the
//! healthy account plus one mutation in, findings out, for a clean, a failing and an incomplete-data
//! case each. This file holds what is about every check at once: the healthy account passes them
//! all, the demo is judged completely, and `checks/README.md` says where a check's files are.

mod ec2;
pub(crate) mod iam;
pub(crate) mod lambda;
mod organizations;

use crate::support::healthy::healthy;
use crate::support::root;
use std::collections::BTreeMap;
use vpcwarden::finding::Status::{Fail, NotEvaluated, Pass};

#[test]
fn healthy_account_passes_every_check() {
    let snapshot = healthy().snapshot();
    let all = vpcwarden::checks::all().expect("catalog");
    let selected: Vec<_> = all.iter().collect();
    let findings =
        vpcwarden::checks::run(&snapshot, &vpcwarden::config::Config::default(), &selected)
            .expect("runs");
    let wrong: Vec<String> = findings
        .iter()
        .filter(|f| f.status != Pass)
        .map(|f| {
            format!(
                "{} {} {}: {}",
                f.code(),
                f.status,
                f.resource_arn,
                f.message
            )
        })
        .collect();
    assert!(
        wrong.is_empty(),
        "the healthy account:\n{}",
        wrong.join("\n")
    );
    assert_unique_ids(&findings);
    // Every check judges something in it: a new check adds what a good account has for it.
    let mut judged: BTreeMap<&str, usize> = all.iter().map(|c| (c.code(), 0)).collect();
    for f in &findings {
        *judged.entry(f.code()).or_default() += 1;
    }
    let idle: Vec<&&str> = judged
        .iter()
        .filter(|(_, n)| **n == 0)
        .map(|(c, _)| c)
        .collect();
    assert!(
        idle.is_empty(),
        "checks with nothing to judge in the healthy account: {idle:?}"
    );
}

#[test]
fn demo_snapshot_loads_and_every_check_judges_it_completely() {
    let snapshot = vpcwarden::snapshot::Snapshot::from_json("demo", vpcwarden::app::DEMO_SNAPSHOT)
        .expect("demo loads");
    assert!(snapshot.accounts.iter().all(|a| a.gaps.is_empty()));
    let all = vpcwarden::checks::all().expect("catalog");
    let selected: Vec<_> = all.iter().collect();
    let findings =
        vpcwarden::checks::run(&snapshot, &vpcwarden::config::Config::default(), &selected)
            .expect("runs");
    assert!(
        findings.iter().any(|f| f.status == Fail),
        "the demo shows problems"
    );
    assert!(findings.iter().all(|f| f.status != NotEvaluated));
    assert_unique_ids(&findings);
    // The demo file is exactly what `collect` would write for that account: sorted, every field
    // known (an unknown field would be dropped here and show up as a difference).
    assert_eq!(snapshot.to_json(), vpcwarden::app::DEMO_SNAPSHOT);
}

/// No two findings of a scan share an id (the id follows the check, account, region and resource):
/// Security Hub and diffs follow findings by it, and the output order relies on it.
fn assert_unique_ids(findings: &[Box<vpcwarden::finding::Finding>]) {
    let mut seen = std::collections::BTreeSet::new();
    let repeated: Vec<String> = findings
        .iter()
        .filter(|f| !seen.insert(f.id.as_str()))
        .map(|f| format!("{} {} {}", f.id, f.code(), f.resource_arn))
        .collect();
    assert!(repeated.is_empty(), "repeated finding ids: {repeated:?}");
}

/// The code ranges `checks/README.md` documents: (prefix, first, last) of the three-digit number.
const RANGES: &[(&str, u32, u32)] = &[
    ("LAMBDA", 1, 99),
    ("LAMBDA", 101, 199),
    ("EC2", 101, 199),
    ("IAM", 1, 999),
    ("ORG", 1, 999),
];

#[test]
fn checks_readme_is_the_truth_about_every_registered_check() {
    let readme =
        std::fs::read_to_string(root().join("checks/README.md")).expect("checks/README.md");
    for range in ["LAMBDA00x", "LAMBDA1xx", "EC21xx", "IAMxxx", "ORGxxx"] {
        assert!(readme.contains(range), "checks/README.md documents {range}");
    }
    for check in vpcwarden::checks::all().expect("catalog") {
        let m = &check.entry.meta;
        let (prefix, number) = m.code.split_at(m.code.len() - 3);
        let number: u32 = number.parse().expect("three digits");
        assert!(
            RANGES
                .iter()
                .any(|(p, lo, hi)| *p == prefix && (*lo..=*hi).contains(&number)),
            "{} is in no range checks/README.md documents",
            m.code
        );
        // LAMBDA00x are Security Hub's Lambda.x; the catalog says so.
        if prefix == "LAMBDA" && number < 100 {
            assert_eq!(m.compliance, [format!("Lambda.{number}")], "{}", m.code);
        }
        let module = m.slug.replace('-', "_");
        for path in [
            format!("checks/{}/{}-{}.md", m.service, m.code, m.slug),
            format!("src/checks/{}/{module}.rs", m.service),
            format!("tests/it/checks/{}.rs", m.service),
        ] {
            assert!(
                root().join(&path).is_file(),
                "{}: {path} is missing",
                m.code
            );
        }
        let registry = std::fs::read_to_string(root().join("src/checks/mod.rs")).expect("mod.rs");
        assert!(
            registry.contains(&format!("{}::{module}::CHECK", m.service)),
            "{}: no registry line `{}::{module}::CHECK` in src/checks/mod.rs",
            m.code,
            m.service
        );
        let tests =
            std::fs::read_to_string(root().join(format!("tests/it/checks/{}.rs", m.service)))
                .expect("test file");
        assert!(
            tests.contains(&format!("mod {module} {{")),
            "{}: tests/it/checks/{}.rs has no `mod {module}`",
            m.code,
            m.service
        );
        for case in ["clean", "failing", "incomplete"] {
            let section = tests
                .split(&format!("mod {module} {{"))
                .nth(1)
                .and_then(|rest| rest.split("\nmod ").next())
                .unwrap_or_default();
            assert!(
                section.contains(&format!("fn {case}")),
                "{}: tests/it/checks/{}.rs `mod {module}` has no `fn {case}...` test",
                m.code,
                m.service
            );
        }
    }
    // Every repository path the checklist names exists (a `<placeholder>` is not a path).
    for path in readme_paths(&readme) {
        assert!(
            root().join(&path).exists(),
            "checks/README.md names {path}, which does not exist"
        );
    }
}

/// The repository paths a README names in backquotes: words with a `/` that start at a top-level
/// folder and hold no placeholder.
fn readme_paths(readme: &str) -> Vec<String> {
    readme
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|s| !s.contains(['<', '*', ' ', '{']) && s.contains('/'))
        .filter(|s| {
            [
                "src/",
                "checks/",
                "tests/",
                "mocks/",
                "scripts/",
                "README.md",
            ]
            .iter()
            .any(|p| s.starts_with(p))
        })
        .map(|s| s.trim_end_matches(['.', ',']).to_string())
        .collect()
}

#[test]
fn an_account_that_could_not_be_entered_is_not_evaluated_by_every_check() {
    let snapshot = healthy()
        .edit(|s| {
            let mut other = s.accounts[0].clone();
            other.account_id = "333333333333".into();
            other.regions.clear();
            other.iam = None;
            other.organizations = None;
            other.gaps = vec![vpcwarden::snapshot::Gap {
                account_id: "333333333333".into(),
                region: "global".into(),
                service: "sts".into(),
                operation: "AssumeRole".into(),
                resource: Some("arn:aws:iam::333333333333:role/vpcwarden-audit".into()),
                error_code: "AccessDenied".into(),
                message: "not authorized to perform sts:AssumeRole".into(),
            }];
            s.accounts.push(other);
        })
        .snapshot();
    let all = vpcwarden::checks::all().expect("catalog");
    let selected: Vec<_> = all.iter().collect();
    let findings =
        vpcwarden::checks::run(&snapshot, &vpcwarden::config::Config::default(), &selected)
            .expect("runs");
    let theirs: Vec<_> = findings
        .iter()
        .filter(|f| &*f.account_id == "333333333333")
        .collect();
    assert_eq!(theirs.len(), all.len(), "one finding per check");
    for f in &theirs {
        assert_eq!(f.status, NotEvaluated, "{}: {}", f.code(), f.message);
        assert_eq!(&*f.resource_arn, "arn:aws:iam::333333333333:root");
        assert_eq!(f.evidence.to_map()["gap"]["operation"], "AssumeRole");
    }
    // The account that was read is judged as before.
    assert!(
        findings
            .iter()
            .filter(|f| &*f.account_id != "333333333333")
            .all(|f| f.status == Pass)
    );
    let inventory = vpcwarden::inventory::enis(&snapshot);
    assert_eq!(inventory.exit(), vpcwarden::exit::Exit::Incomplete);
}

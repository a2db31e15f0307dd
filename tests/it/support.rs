//! Shared test helpers: paths, scenario loading, running checks.

use std::path::PathBuf;
use vpcwarden::finding::{Finding, Status};
use vpcwarden::snapshot::Snapshot;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Loads `mocks/snapshots/NAME.json`.
pub fn scenario(name: &str) -> Snapshot {
    let path = root().join("mocks/snapshots").join(format!("{name}.json"));
    Snapshot::load(&path).unwrap_or_else(|e| panic!("{e}"))
}

/// Runs one check (by slug) over a snapshot.
pub fn run_check(snapshot: &Snapshot, slug: &str) -> Vec<Finding> {
    let all = vpcwarden::checks::all().expect("catalog parses");
    let selected = vpcwarden::checks::select(all, &[slug.to_string()], &[]).expect("known check");
    vpcwarden::checks::run(snapshot, &vpcwarden::config::Config::default(), &selected)
        .expect("check runs")
}

/// `(status, resource_arn)` pairs, for compact assertions.
pub fn verdicts(findings: &[Finding]) -> Vec<(Status, String)> {
    findings
        .iter()
        .map(|f| (f.status, f.resource_arn.clone()))
        .collect()
}

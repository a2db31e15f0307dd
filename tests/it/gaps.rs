//! Every registered check against every input it declares: a gap on an input the check `requires` yields
//! no `pass` for the resources it affects, and a gap on any input never turns a verdict into a pass or
//! a fail it did not have (it may only withhold the verdict as `not_evaluated`, or give it marked as made
//! without that input, as the IAM checks do with `scps_evaluated: false`).
//!
//! The gap is recorded with the data left in place, as a paginated list that failed on a later page
//! leaves it: a check that forgot to gate on the input would judge that partial data as complete.

use crate::support::healthy::healthy;
use crate::support::root;
use std::collections::BTreeMap;
use vpcwarden::checks::inputs::{Input, Scope};
use vpcwarden::checks::{self, Check};
use vpcwarden::config::Config;
use vpcwarden::finding::{Finding, Status};
use vpcwarden::snapshot::{Collected, GLOBAL_REGION, Gap, Snapshot};

/// The healthy account of the check tests and its richest mutations, the demo account, and every
/// saved scenario.
fn corpus() -> Vec<(String, Snapshot)> {
    let mut out = vec![
        ("healthy".to_string(), healthy().snapshot()),
        (
            "network-shapes".to_string(),
            crate::checks::lambda::network_shapes(healthy()).snapshot(),
        ),
        (
            "role-shapes".to_string(),
            crate::checks::iam::role_shapes().snapshot(),
        ),
        (
            "logs-shapes".to_string(),
            crate::checks::iam::logs_shapes().snapshot(),
        ),
        (
            "demo".to_string(),
            Snapshot::from_json("demo", vpcwarden::app::DEMO_SNAPSHOT).expect("demo loads"),
        ),
    ];
    let dir = root().join("mocks/snapshots");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("mocks/snapshots")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .filter(|p| !p.ends_with("demo.json"))
        .collect();
    files.sort();
    for path in files {
        let name = path.file_stem().map(|s| s.to_string_lossy().into_owned());
        out.push((
            name.unwrap_or_default(),
            Snapshot::load(&path).unwrap_or_else(|e| panic!("{e}")),
        ));
    }
    out
}

/// Where one injected gap applies.
#[derive(Debug, Clone)]
struct Place {
    account: String,
    region: String,
    resource: Option<String>,
}

impl Place {
    /// Whether a finding is about a resource the gap leaves without its input.
    fn covers(&self, f: &Finding) -> bool {
        *f.account_id == *self.account
            && match &self.resource {
                Some(arn) => *f.resource_arn == **arn,
                None => self.region == GLOBAL_REGION || *f.region == *self.region,
            }
    }
}

/// Every place a gap on `input` can be recorded in `snapshot`.
fn places(snapshot: &Snapshot, input: &Input) -> Vec<Place> {
    let mut out = Vec::new();
    for account in &snapshot.accounts {
        let at = |region: &str, resource: Option<String>| Place {
            account: account.account_id.clone(),
            region: region.to_string(),
            resource,
        };
        match input.scope {
            Scope::Account => out.push(at(GLOBAL_REGION, None)),
            Scope::Region => out.extend(account.regions.iter().map(|r| at(&r.region, None))),
            Scope::Resource => out.extend(account.regions.iter().flat_map(|r| {
                r.lambda
                    .functions
                    .iter()
                    .map(|f| at(&r.region, Some(f.arn.to_string())))
            })),
        }
    }
    out
}

/// The snapshot with a gap on `input` at `place`; a per-resource read also becomes not collected.
fn with_gap(snapshot: &Snapshot, input: &Input, place: &Place) -> Snapshot {
    let mut s = snapshot.clone();
    let Some(account) = s
        .accounts
        .iter_mut()
        .find(|a| a.account_id == place.account)
    else {
        return s;
    };
    // What the collector leaves behind a failed call: a regional list keeps the pages it read; IAM and
    // Organizations are dropped whole (a principal with half its policies would be judged wrongly).
    match input.service.as_str() {
        "iam" => account.iam = None,
        "organizations" => account.organizations = None,
        _ => {}
    }
    if input.operation == "ListCapacityProviders" {
        for r in account
            .regions
            .iter_mut()
            .filter(|r| r.region == place.region)
        {
            r.lambda.capacity_providers = Collected::NotCollected;
        }
    }
    if let Some(arn) = &place.resource {
        for f in account
            .regions
            .iter_mut()
            .flat_map(|r| r.lambda.functions.iter_mut())
            .filter(|f| *f.arn == **arn)
        {
            match input.operation {
                "GetPolicy" => f.resource_policy = Collected::NotCollected,
                "GetFunctionUrlConfig" => f.url_config = Collected::NotCollected,
                "ListAliases" => f.qualifiers = Collected::NotCollected,
                other => panic!("no per-resource field for {other}: teach the gap test"),
            }
        }
    }
    account.gaps.push(Gap {
        account_id: place.account.clone(),
        region: place.region.clone(),
        service: input.service.as_str().to_string(),
        operation: input.operation.to_string(),
        resource: place.resource.clone(),
        error_code: "AccessDeniedException".to_string(),
        message: "injected by the gap test".to_string(),
    });
    account.gaps.sort();
    s
}

fn run(snapshot: &Snapshot, check: &Check) -> Vec<Finding> {
    checks::run(snapshot, &Config::default(), &[check])
        .expect("check runs")
        .into_iter()
        .map(|f| *f)
        .collect()
}

/// Whether a verdict says in its evidence that it was made without `input`. The IAM checks judge a
/// principal's own policies when the SCPs cannot be read, and say so with `scps_evaluated: false`
/// (an SCP can only take rights away: the identity verdict stands, marked; see the IAM002 page).
fn declares_without(f: &Finding, input: &Input) -> bool {
    input.service.as_str() == "organizations"
        && f.evidence.get("scps_evaluated") == Some(serde_json::Value::Bool(false))
}

type Key = (String, String, String);

fn key(f: &Finding) -> Key {
    (
        f.account_id.to_string(),
        f.region.to_string(),
        f.resource_arn.to_string(),
    )
}

/// What goes wrong for one check: `requires`-gaps that still pass, and gaps that changed a verdict.
fn problems(check: &Check, corpus: &[(String, Snapshot)]) -> Vec<String> {
    let mut found = Vec::new();
    // `requires` starts with the list whose resources the check judges: what that list did return is
    // still judged, and what it may have missed is accounted for by one finding on the account.
    let own = check.requires.first();
    let inputs = check
        .requires
        .iter()
        .map(|i| (i, Some(i) != own))
        .chain(check.reads.iter().map(|i| (i, false)));
    for (input, required) in inputs {
        for (name, snapshot) in corpus {
            let before: BTreeMap<Key, Status> = run(snapshot, check)
                .iter()
                .map(|f| (key(f), f.status))
                .collect();
            for place in places(snapshot, input) {
                let after = run(&with_gap(snapshot, input, &place), check);
                let accounted = after.iter().any(|f| {
                    f.status == Status::NotEvaluated
                        && &*f.resource_type == "AwsAccount"
                        && f.evidence
                            .get("gap")
                            .is_some_and(|g| g["operation"] == input.operation)
                        && place.covers(f)
                });
                if Some(input) == own && place.resource.is_none() && !accounted {
                    found.push(format!(
                        "{} does not account for what a failed {input} may have missed in {name} at {place:?}",
                        check.code()
                    ));
                }
                for f in after {
                    if f.status == Status::NotEvaluated {
                        continue;
                    }
                    if required && f.status == Status::Pass && place.covers(&f) {
                        found.push(format!(
                            "{} passes {} in {name} with a gap on required {input} at {place:?}",
                            check.code(),
                            f.resource_arn
                        ));
                    } else if before.get(&key(&f)) != Some(&f.status)
                        && !declares_without(&f, input)
                    {
                        found.push(format!(
                            "{} turns {} into {} (was {:?}) in {name} with a gap on {input} at {place:?}",
                            check.code(),
                            f.resource_arn,
                            f.status,
                            before.get(&key(&f))
                        ));
                    }
                }
            }
        }
    }
    found
}

#[test]
fn a_gap_on_an_input_never_makes_a_verdict_the_check_cannot_vouch_for() {
    let corpus = corpus();
    let all = checks::all().expect("catalog parses");
    let found: Vec<String> = all.iter().flat_map(|c| problems(c, &corpus)).collect();
    assert!(
        found.is_empty(),
        "{} problem(s):\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn every_check_declares_the_list_it_visits() {
    // A check with no declared input could never be gated: the catalog must say what it reads.
    for check in checks::all().expect("catalog parses") {
        assert!(
            !check.requires.is_empty(),
            "{} requires nothing",
            check.code()
        );
    }
}

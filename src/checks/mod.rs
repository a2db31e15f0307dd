//! Pure, synchronous checks: `&Snapshot` in, findings out. An explicit registry ties each check to its
//! catalog page.
//!
//! Adding a check is pure addition: one module under `src/checks/<service>/`, one page under
//! `checks/<service>/` whose `requires`/`reads` declare its inputs once (see [`inputs`]), one line in
//! [`REGISTRY`], one test module built on the healthy account; `checks/README.md` is the checklist.

pub mod catalog;
pub mod ec2;
pub mod guardrail;
pub mod iam;
pub mod inputs;
pub mod lambda;
pub mod network;
pub mod organizations;
pub mod settings;

use crate::config::Config;
use crate::finding::{
    CheckFacts, Finding, FindingBuilder, FindingError, FindingList, FindingTemplate, PassDetail,
    Severity, Status,
};
use crate::snapshot::{self, Account, Gap, Snapshot};
use catalog::{CatalogEntry, CatalogError};
use iam::principals::AccountPolicies;
use inputs::Input;
use serde_json::json;
use std::sync::Arc;
use std::sync::OnceLock;

/// What a check reads: the snapshot, the configuration, and (built on first use, shared by every
/// check) each account's policies parsed for the policy engine.
#[derive(Debug)]
pub struct CheckContext<'a> {
    /// The collected data.
    pub snapshot: &'a Snapshot,
    /// Approved networks and other settings.
    pub config: &'a Config,
    policies: OnceLock<Vec<AccountPolicies>>,
}

impl<'a> CheckContext<'a> {
    /// A context over a snapshot.
    pub fn new(snapshot: &'a Snapshot, config: &'a Config) -> Self {
        CheckContext {
            snapshot,
            config,
            policies: OnceLock::new(),
        }
    }

    /// The accounts of the scanned organization, when the run listed them (`--organization`);
    /// `None` when membership is unknown.
    pub fn organization_accounts(&self) -> Option<&[String]> {
        let members = &self.snapshot.organization_accounts;
        (!members.is_empty()).then_some(members.as_slice())
    }

    /// Whether `account` counts as trusted for being in the scanned organization
    /// (`trust_organization_accounts`).
    pub fn trusted_as_member(&self, account: &str) -> bool {
        self.config.trust_organization_accounts
            && self
                .organization_accounts()
                .is_some_and(|m| m.iter().any(|a| a == account))
    }

    /// The index in `snapshot.accounts` of `account`, which a visitor handed out from this
    /// context's snapshot (0 for an account from elsewhere, which is a bug in the check).
    pub fn account_index(&self, account: &Account) -> usize {
        let index = self
            .snapshot
            .accounts
            .iter()
            .position(|a| std::ptr::eq(a, account));
        debug_assert!(index.is_some(), "an account of another snapshot");
        index.unwrap_or_default()
    }

    /// The parsed policies of the account at `index` in `snapshot.accounts`.
    pub fn policies(&self, index: usize) -> &AccountPolicies {
        &self.policies.get_or_init(|| {
            self.snapshot
                .accounts
                .iter()
                .map(AccountPolicies::build)
                .collect()
        })[index]
    }
}

/// A check's entry point: emit one finding per resource it judges (pass, fail or not evaluated).
pub type RunFn = fn(&CheckContext<'_>, &mut Findings<'_>) -> Result<(), FindingError>;

/// A registry line: the catalog page (embedded) and the function that runs the check.
#[derive(Debug, Clone, Copy)]
pub struct CheckDef {
    /// The catalog page text.
    pub catalog: &'static str,
    /// The check.
    pub run: RunFn,
    /// How to read the check's own options from its `[checks.X]` table (`None`: it has none
    /// beyond `enabled` and `severity`); see [`settings`].
    pub options: Option<settings::OptionsFn>,
}

/// Every check vpcwarden has, in code order. One line per check.
pub static REGISTRY: &[CheckDef] = &[
    ec2::eni_orphaned::CHECK,
    ec2::vpc_endpoint_sg_open::CHECK,
    iam::role_eni_write_unconditioned::CHECK,
    iam::principal_vpc_guardrail_missing::CHECK,
    iam::role_admin_access::CHECK,
    iam::role_logs_missing::CHECK,
    iam::role_event_source_permission_missing::CHECK,
    iam::role_invoke_any_function::CHECK,
    iam::principal_layer_guardrail_missing::CHECK,
    iam::principal_pass_any_capacity_provider::CHECK,
    lambda::function_policy_public::CHECK,
    lambda::function_runtime_deprecated::CHECK,
    lambda::function_not_in_vpc::CHECK,
    lambda::function_single_az::CHECK,
    lambda::function_public_subnet::CHECK,
    lambda::function_no_egress::CHECK,
    lambda::function_policy_unscoped_service::CHECK,
    lambda::function_url_auth_none::CHECK,
    lambda::function_url_cors_wildcard::CHECK,
    lambda::function_layer_cross_account::CHECK,
    lambda::capacity_provider_shared_roles::CHECK,
    lambda::capacity_provider_operator_role_broad::CHECK,
    organizations::account_vpc_guardrail_missing::CHECK,
    organizations::account_layer_guardrail_missing::CHECK,
];

/// A registered check with its parsed catalog page.
#[derive(Debug)]
pub struct Check {
    /// The parsed catalog page.
    pub entry: CatalogEntry,
    /// The finding template derived from it.
    pub template: FindingTemplate,
    /// The inputs every verdict depends on (the page's `requires`): the visitors gate on them.
    pub requires: Vec<Input>,
    /// The inputs only some verdicts depend on (the page's `reads`): the check weighs their gaps.
    pub reads: Vec<Input>,
    /// The check.
    pub run: RunFn,
    /// Reads the check's options (see [`CheckDef::options`]).
    pub options: Option<settings::OptionsFn>,
}

impl Check {
    /// The check code.
    pub fn code(&self) -> &str {
        &self.entry.meta.code
    }
    /// The check slug.
    pub fn slug(&self) -> &str {
        &self.entry.meta.slug
    }
    /// Everything the check reads: `requires`, then `reads`.
    pub fn inputs(&self) -> impl Iterator<Item = &Input> {
        self.requires.iter().chain(&self.reads)
    }
}

/// What a run of `checks` must collect: the per-function reads and the published versions only
/// when a selected check reads them (each is one call per function against a Lambda quota).
pub fn plan(checks: &[&Check]) -> crate::collect::Plan {
    let reads = |input: Input| checks.iter().any(|c| c.inputs().any(|i| *i == input));
    crate::collect::Plan {
        function_policies: reads(inputs::GET_POLICY),
        function_urls: reads(inputs::GET_FUNCTION_URL_CONFIG),
        function_versions: reads(inputs::LIST_FUNCTION_VERSIONS),
    }
}

/// All checks with their catalog pages parsed (once per process).
pub fn all() -> Result<&'static [Check], &'static CatalogError> {
    static CHECKS: OnceLock<Result<Vec<Check>, CatalogError>> = OnceLock::new();
    CHECKS
        .get_or_init(|| {
            REGISTRY
                .iter()
                .map(|def| {
                    let entry = CatalogEntry::parse(def.catalog)?;
                    let (requires, reads) = entry.inputs()?;
                    Ok(Check {
                        template: entry.template(),
                        entry,
                        requires,
                        reads,
                        run: def.run,
                        options: def.options,
                    })
                })
                .collect()
        })
        .as_ref()
        .map(Vec::as_slice)
}

/// A `--checks`/`--exclude-checks` value that names no check.
#[derive(Debug, thiserror::Error)]
#[error("no check has the code or slug {0:?} (see `vpcwarden checks`)")]
pub struct UnknownCheck(pub String);

/// Finds one check by code (any case) or slug.
pub fn find<'a>(checks: &'a [Check], name: &str) -> Option<&'a Check> {
    checks
        .iter()
        .find(|c| c.code().eq_ignore_ascii_case(name) || c.slug() == name)
}

/// The checks to run: all, or those named in `include`, minus those named in `exclude`.
pub fn select<'a>(
    checks: &'a [Check],
    include: &[String],
    exclude: &[String],
) -> Result<Vec<&'a Check>, UnknownCheck> {
    let resolve = |names: &[String]| -> Result<Vec<&'a Check>, UnknownCheck> {
        names
            .iter()
            .map(|n| find(checks, n.trim()).ok_or_else(|| UnknownCheck(n.clone())))
            .collect()
    };
    let included = resolve(include)?;
    let excluded = resolve(exclude)?;
    Ok(checks
        .iter()
        .filter(|c| included.is_empty() || included.iter().any(|i| std::ptr::eq(*i, *c)))
        .filter(|c| !excluded.iter().any(|e| std::ptr::eq(*e, *c)))
        .collect())
}

/// [`select`], then without the checks the configuration disables (`[checks.X] enabled = false`),
/// unless `include` names them: a check asked for on the command line runs.
pub fn select_configured<'a>(
    checks: &'a [Check],
    include: &[String],
    exclude: &[String],
    settings: &settings::CheckSettings,
) -> Result<Vec<&'a Check>, UnknownCheck> {
    let mut selected = select(checks, include, exclude)?;
    selected.retain(|c| {
        settings.enabled(c.code())
            || include
                .iter()
                .any(|n| find(checks, n.trim()).is_some_and(|i| std::ptr::eq(i, *c)))
    });
    Ok(selected)
}

/// Runs the checks over a snapshot; the findings come back sorted (see [`sort_findings`]).
pub fn run(
    snapshot: &Snapshot,
    config: &Config,
    checks: &[&Check],
) -> Result<FindingList, FindingError> {
    run_with(snapshot, config, checks, PassDetail::Full)
}

/// [`run`], with passing findings carrying `detail`: compact ones lose their message and evidence
/// as they are made, so a scan's memory follows what failed.
pub fn run_with(
    snapshot: &Snapshot,
    config: &Config,
    checks: &[&Check],
    detail: PassDetail,
) -> Result<FindingList, FindingError> {
    // An account nothing could be read from (its role could not be assumed): every check says so
    // on the account, and the checks run over the others only.
    let unreachable: Vec<&Account> = snapshot
        .accounts
        .iter()
        .filter(|a| a.access_gap().is_some())
        .collect();
    let reachable;
    let snapshot = if unreachable.is_empty() {
        snapshot
    } else {
        reachable = Snapshot {
            accounts: snapshot
                .accounts
                .iter()
                .filter(|a| a.access_gap().is_none())
                .cloned()
                .collect(),
            ..snapshot.clone_without_accounts()
        };
        &reachable
    };
    let ctx = CheckContext::new(snapshot, config);
    let run_one = |check: &Check| -> Result<FindingList, FindingError> {
        let started = std::time::Instant::now();
        let mut out = Findings {
            check,
            out: Vec::new(),
            detail,
            setting: config.checks.get(check.code()),
        };
        for account in &unreachable {
            if let Some(gap) = account.access_gap() {
                out.not_evaluated(
                    account,
                    snapshot::GLOBAL_REGION,
                    Some("AwsAccount"),
                    &account_arn(account),
                    gap,
                )?;
            }
        }
        (check.run)(&ctx, &mut out)?;
        // Joined below into one list: the slack of a grown list would be held until then.
        out.out.shrink_to_fit();
        // Sorted here, by the worker, in the output order: all of one check's findings share
        // its code, so the lists are joined in order below by their runs of status and severity.
        sort_one_check(&mut out.out);
        tracing::debug!(
            check = check.code(),
            findings = out.out.len(),
            ms = started.elapsed().as_millis() as u64,
            "check ran"
        );
        Ok(out.out)
    };
    // Checks are pure and independent: they run side by side, one worker per core, each taking the
    // next check in registry order. The findings are joined in that order and then sorted, so the
    // output does not depend on which worker ran what.
    let workers = std::thread::available_parallelism()
        .map(usize::from)
        .unwrap_or(1)
        .min(checks.len())
        .max(1);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<(usize, Result<FindingList, FindingError>)> = if workers == 1 {
        checks
            .iter()
            .enumerate()
            .map(|(i, c)| (i, run_one(c)))
            .collect()
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..workers)
                .map(|_| {
                    scope.spawn(|| {
                        let mut mine = Vec::new();
                        loop {
                            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            let Some(check) = checks.get(i) else {
                                return mine;
                            };
                            mine.push((i, run_one(check)));
                        }
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| match h.join() {
                    Ok(mine) => mine,
                    // A check that panicked is a bug: let it surface as the panic it was.
                    Err(panic) => std::panic::resume_unwind(panic),
                })
                .collect()
        })
    };
    results.sort_by_key(|(i, _)| *i);
    let lists = results
        .into_iter()
        .map(|(_, r)| r)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(join_sorted(lists))
}

/// One check's findings in the output order ([`place`]), as a stable sort by it would leave them.
///
/// A check reports resources in the snapshot's order, which for most of them is already that of
/// account, region and ARN: sorting a million findings by those strings compared long ARNs some
/// twenty million times. So the list is first grouped by status and severity (a stable sort on
/// two bytes), and a group is sorted by the strings only when one pass finds it out of order.
fn sort_one_check(list: &mut FindingList) {
    list.sort_by_key(|f| (f.status, std::cmp::Reverse(f.severity)));
    for group in list.chunk_by_mut(|a, b| (a.status, a.severity) == (b.status, b.severity)) {
        if !group.is_sorted_by(|a, b| place(a) <= place(b)) {
            // Stable: two findings of one resource (which a check does not make) keep their order.
            group.sort_by(|a, b| place(a).cmp(&place(b)));
        }
    }
}

/// A finding's place in the output order (see [`sort_findings`]).
fn place(f: &Finding) -> (Status, std::cmp::Reverse<Severity>, &str, &str, &str, &str) {
    (
        f.status,
        std::cmp::Reverse(f.severity),
        f.code(),
        &f.account_id,
        &f.region,
        &f.resource_arn,
    )
}

/// One list in the output order (see [`sort_findings`]) of the checks' lists, each sorted by
/// [`place`]: each list is cut into its runs of one status, severity and code, and the
/// runs are joined in the order of those. No two findings are compared again.
fn join_sorted(lists: Vec<FindingList>) -> FindingList {
    type Run = (
        Status,
        std::cmp::Reverse<Severity>,
        Arc<CheckFacts>,
        FindingList,
    );
    fn close(run: &mut FindingList, runs: &mut Vec<Run>) {
        if let Some(first) = run.first() {
            let (status, severity, code) = (first.status, first.severity, first.check.clone());
            runs.push((
                status,
                std::cmp::Reverse(severity),
                code,
                std::mem::take(run),
            ));
        }
    }
    let total = lists.iter().map(Vec::len).sum();
    let mut runs: Vec<Run> = Vec::new();
    for list in lists {
        let mut run: FindingList = Vec::new();
        for f in list {
            if run.last().is_some_and(|l| {
                (l.status, l.severity, l.code()) != (f.status, f.severity, f.code())
            }) {
                close(&mut run, &mut runs);
            }
            run.push(f);
        }
        close(&mut run, &mut runs);
    }
    // Stable: should two runs share a place, they keep the lists' order.
    runs.sort_by(|a, b| (a.0, a.1, &a.2.code).cmp(&(b.0, b.1, &b.2.code)));
    let mut all = Vec::with_capacity(total);
    for (.., run) in runs {
        all.extend(run);
    }
    all
}

/// A finding's place in the output order, then its index: status, most severe first, and the
/// ranks of its code, account and region (which order as the strings do), then its ARN.
type SortKey<'a> = (
    Status,
    std::cmp::Reverse<Severity>,
    u32,
    u32,
    u32,
    &'a str,
    u32,
);

/// The output order: failing first, then not evaluated, then passing; within a status, most severe
/// first, then by code, account, region and resource. Output is byte-stable.
pub fn sort_findings(findings: &mut FindingList) {
    use std::collections::BTreeSet;
    // A single-snapshot audit hands `Report` the list `run` already sorted: one pass says so.
    if findings.is_sorted_by(|a, b| place(a) <= place(b)) {
        return;
    }
    // A million findings are compared about twenty million times: each comparison reads a small
    // key held in one list (ranks of the code, account and region, found once per distinct value)
    // and reaches into a finding only for its ARN, instead of following four pointers per side.
    // The ranks order as the strings do, so the order is the strings' order.
    // The distinct values are few (codes, accounts, regions) and come in runs (a check's findings
    // are together): a value equal to the one before is skipped, not sorted with the others.
    fn ranks<'a>(values: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
        let mut distinct = BTreeSet::new();
        let mut last = None;
        for v in values {
            if last != Some(v) {
                distinct.insert(v);
                last = Some(v);
            }
        }
        distinct.into_iter().collect()
    }
    let rank = |sorted: &[&str], v: &str| sorted.binary_search(&v).unwrap_or_default() as u32;
    let codes = ranks(findings.iter().map(|f| f.code()));
    let accounts = ranks(findings.iter().map(|f| &*f.account_id));
    let regions = ranks(findings.iter().map(|f| &*f.region));
    let mut keys: Vec<SortKey<'_>> = findings
        .iter()
        .enumerate()
        .map(|(i, f)| {
            (
                f.status,
                std::cmp::Reverse(f.severity),
                rank(&codes, f.code()),
                rank(&accounts, &f.account_id),
                rank(&regions, &f.region),
                &*f.resource_arn,
                i as u32,
            )
        })
        .collect();
    // The key determines the id, which a scan never repeats (the demo and healthy-account tests
    // assert it); the index breaks ties all the same, so the order never depends on the sort.
    keys.sort_unstable();
    let order: Vec<usize> = keys.into_iter().map(|k| k.6 as usize).collect();
    let mut slots: Vec<Option<Box<Finding>>> = findings.drain(..).map(Some).collect();
    findings.extend(order.into_iter().filter_map(|i| slots[i].take()));
}

/// Where a check puts its findings; it hands out builders pre-filled from the check's catalog page
/// and knows the check's inputs, so the visitors gate on what the check declared.
#[derive(Debug)]
pub struct Findings<'a> {
    check: &'a Check,
    out: FindingList,
    detail: PassDetail,
    setting: Option<&'a settings::CheckSetting>,
}

impl<'a> Findings<'a> {
    /// A builder for a finding in this account and region.
    pub fn builder(&self, account_id: &str, region: &str) -> FindingBuilder<'a> {
        FindingBuilder::new(&self.check.template, account_id, region).pass_detail(self.detail)
    }

    /// The first gap among the check's `requires` that leaves a resource of `account` in `region`
    /// without its input, other than `own` (the visitor's own lists: reported once per region, or
    /// not an input of the resources it visits).
    pub fn required_gap<'s>(
        &self,
        account: &'s Account,
        region: &str,
        own: &[Input],
    ) -> Option<&'s Gap> {
        inputs::first_gap(&self.check.requires, account, region, own)
    }

    /// As [`required_gap`](Self::required_gap), for a global resource (a role, a user): a regional
    /// input that failed in any region counts.
    pub fn required_gap_anywhere<'s>(&self, account: &'s Account, own: Input) -> Option<&'s Gap> {
        self.check
            .requires
            .iter()
            .filter(|i| !i.same_operation(&own))
            .find_map(|i| match i.scope {
                inputs::Scope::Region => i.gap_anywhere(account),
                _ => i.gap_in(account, crate::snapshot::GLOBAL_REGION),
            })
    }

    /// Adds a finding; fails when the builder is incomplete.
    pub fn push(&mut self, builder: FindingBuilder<'_>) -> Result<(), FindingError> {
        self.keep(Box::new(builder.build()?));
        Ok(())
    }

    /// The check's options from its `[checks.X]` table, or their defaults: `T` is the type its
    /// registry line names.
    pub fn options<T: std::any::Any + Clone + Default>(&self) -> T {
        self.setting
            .and_then(|s| s.options.as_ref())
            .and_then(|o| o.downcast_ref::<T>())
            .cloned()
            .unwrap_or_default()
    }

    /// Adds a built finding, at the severity the configuration sets for the check (the one the
    /// check gave kept in the evidence). Its builder (see [`Findings::builder`]) made it as lean as
    /// the run's [`PassDetail`] wants it.
    fn keep(&mut self, mut finding: Box<Finding>) {
        if let Some(severity) = self.setting.and_then(|s| s.severity)
            && severity != finding.severity
        {
            // A stripped pass (made lean by this run's builder) has no evidence to keep it in.
            if !self.detail.strips(finding.status) {
                let original = finding.severity.as_str();
                // Evidence keys stay sorted.
                finding.evidence.update(|e| {
                    e.insert(settings::ORIGINAL_SEVERITY.to_string(), json!(original));
                    e.sort_keys();
                });
            }
            finding.severity = severity;
        }
        self.out.push(finding);
    }

    /// Adds a `not_evaluated` finding for a resource whose input has a gap; the gap is the reason.
    pub fn not_evaluated(
        &mut self,
        account: &Account,
        region: &str,
        resource_type: Option<&str>,
        resource_arn: &str,
        gap: &Gap,
    ) -> Result<(), FindingError> {
        let b = self.builder(&account.account_id, region);
        let b = match resource_type {
            Some(t) => b.resource_of_type(t, resource_arn),
            None => b.resource(resource_arn),
        };
        self.push(not_evaluated_on(b, gap))
    }
}

/// A `not_evaluated` verdict, for the resource `b` is about, whose reason is a gap in its input.
pub fn not_evaluated_on<'b>(b: FindingBuilder<'b>, gap: &Gap) -> FindingBuilder<'b> {
    b.status(Status::NotEvaluated)
        .message(gap_sentence(gap))
        .evidence("gap", gap_evidence(gap))
}

impl Findings<'_> {
    /// Adds the `not_evaluated` finding, on the account, for a region whose list of some resource
    /// failed: the resources that were listed are still judged; those that were not are accounted for.
    pub fn region_not_evaluated(
        &mut self,
        account: &Account,
        region: &str,
        gap: &Gap,
    ) -> Result<(), FindingError> {
        // A check that visits two lists (functions and capacity providers) has one finding per
        // region on the account: a second failed list joins the first one's finding.
        let arn = account_arn(account);
        if let Some(f) = self.out.iter_mut().find(|f| {
            *f.resource_arn == arn && &*f.region == region && f.status == Status::NotEvaluated
        }) {
            f.message = format!("{} {}", f.message, gap_sentence(gap)).into();
            f.evidence.update(|e| {
                let further = e.entry("further_gaps").or_insert_with(|| json!([]));
                if let Some(list) = further.as_array_mut() {
                    list.push(gap_evidence(gap));
                }
            });
            return Ok(());
        }
        self.not_evaluated(account, region, Some("AwsAccount"), &arn, gap)
    }
}

/// The ARN vpcwarden uses for account-level findings.
pub fn account_arn(account: &Account) -> String {
    format!("arn:{}:iam::{}:root", account.partition, account.account_id)
}

/// A gap as finding evidence.
pub fn gap_evidence(gap: &Gap) -> serde_json::Value {
    json!({
        "service": gap.service,
        "operation": gap.operation,
        "region": gap.region,
        "error_code": gap.error_code,
        "message": gap.message,
    })
}

/// "Not evaluated: lambda:ListFunctions failed in us-east-1 (AccessDeniedException)."
pub fn gap_sentence(gap: &Gap) -> String {
    let place = if gap.region == crate::snapshot::GLOBAL_REGION {
        String::new()
    } else {
        format!(" in {}", gap.region)
    };
    format!(
        "Not evaluated: {}:{} failed{place} ({}).",
        gap.service, gap.operation, gap.error_code
    )
}

/// The Markdown checks table of the README (between the `checks:start`/`checks:end` markers).
pub fn readme_table(checks: &[Check]) -> String {
    let mut out = String::from(
        "| Code | Slug | Severity | Title | Resource | Compliance |\n|---|---|---|---|---|---|\n",
    );
    for c in checks {
        let m = &c.entry.meta;
        out.push_str(&format!(
            "| {} | `{}` | {} | {} | {} | {} |\n",
            m.code,
            m.slug,
            m.severity,
            m.title,
            m.resource_type,
            if m.compliance.is_empty() {
                "-".to_string()
            } else {
                m.compliance.join(", ")
            }
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan_of(names: &[&str]) -> crate::collect::Plan {
        let all = all().expect("catalog parses");
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        plan(&select(all, &names, &[]).expect("known checks"))
    }

    #[test]
    fn findings_sort_by_status_severity_code_account_region_and_resource() {
        use crate::finding::{FindingTemplate, Severity};
        let template = |code: &str, severity| FindingTemplate {
            facts: std::sync::Arc::new(crate::finding::CheckFacts {
                code: code.into(),
                slug: "s".into(),
                title: "t".into(),
                compliance: Vec::new(),
                remediation: "r".into(),
            }),
            severity,
            resource_type: "AwsLambdaFunction".into(),
        };
        let templates = [
            template("LAMBDA003", Severity::Low),
            template("IAM004", Severity::High),
            template("LAMBDA001", Severity::Critical),
        ];
        let mut findings: FindingList = Vec::new();
        // Every combination, in an order unlike the output's (a fixed permutation).
        let mut n = 0u32;
        for t in &templates {
            for status in [Status::Pass, Status::Fail, Status::NotEvaluated] {
                for account in ["222222222222", "111111111111"] {
                    for region in ["us-east-1", "eu-west-1", "global"] {
                        for resource in ["arn:b", "arn:a", "arn:c"] {
                            n += 1;
                            // A check's findings may differ in severity (a configured one).
                            let severity = if n.is_multiple_of(5) {
                                Severity::Medium
                            } else {
                                t.severity
                            };
                            let f = FindingBuilder::new(t, account, region)
                                .resource(&format!("{resource}{}", n % 7))
                                .status(status)
                                .severity(severity)
                                .build()
                                .expect("complete");
                            findings.push(Box::new(f));
                        }
                    }
                }
            }
        }
        let mut expected: Vec<Finding> = findings.iter().map(|f| (**f).clone()).collect();
        expected.sort_by(|a, b| {
            (
                a.status,
                std::cmp::Reverse(a.severity),
                a.code(),
                &a.account_id,
                &a.region,
                &a.resource_arn,
            )
                .cmp(&(
                    b.status,
                    std::cmp::Reverse(b.severity),
                    b.code(),
                    &b.account_id,
                    &b.region,
                    &b.resource_arn,
                ))
        });
        let want: Vec<&str> = expected.iter().map(|f| f.id.as_str()).collect();
        // As `run` joins them: each check's list (arranged by `arrange`) sorted by its worker,
        // then cut and joined.
        let run_order = |arrange: fn(&mut FindingList)| -> Vec<String> {
            let lists: Vec<FindingList> = templates
                .iter()
                .map(|t| {
                    let mut list: FindingList = findings
                        .iter()
                        .filter(|f| f.code() == t.facts.code)
                        .cloned()
                        .collect();
                    arrange(&mut list);
                    assert!(!list.is_sorted_by(|a, b| place(a) <= place(b)));
                    sort_one_check(&mut list);
                    list
                })
                .collect();
            join_sorted(lists)
                .iter()
                .map(|f| f.id.to_string())
                .collect()
        };
        // In the order made above.
        assert_eq!(run_order(|_| {}), want);
        // A check that reports in the snapshot's order (account, region, resource), its statuses
        // and severities interleaved: the groups are in order already and are not sorted again.
        assert_eq!(
            run_order(|list| list.sort_by(|a, b| {
                (&a.account_id, &a.region, &a.resource_arn).cmp(&(
                    &b.account_id,
                    &b.region,
                    &b.resource_arn,
                ))
            })),
            want
        );
        sort_findings(&mut findings);
        let got: Vec<&str> = findings.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(got, want);
        assert_eq!(got.len(), 162);
    }

    #[test]
    fn the_plan_reads_per_function_data_only_for_checks_that_read_it() {
        let none = plan_of(&["function-not-in-vpc"]);
        assert!(!none.function_policies && !none.function_urls && !none.function_versions);
        let eni = plan_of(&["eni-orphaned"]);
        assert!(eni.function_versions && !eni.function_policies && !eni.function_urls);
        // Every alias and published version has a policy of its own: the versions are listed.
        let public = plan_of(&["function-policy-public"]);
        assert!(public.function_policies && public.function_urls && public.function_versions);
        assert_eq!(plan_of(&[]), crate::collect::Plan::ALL);
    }
}

//! Two scans compared finding by finding: what is new, resolved, changed or still failing, and
//! what one of the scans could not see.
//!
//! Pure: two v1 reports in, a [`Diff`] out (`vpcwarden diff`, and later `audit --baseline`). A
//! finding is followed by its stable id (code, account, region, resource). The one rule that
//! matters most: a failure is reported resolved only when the new scan saw its scope whole (it ran
//! the check, scanned the account and region, and had no gap there); a gap on either side is never
//! a fix.

use crate::exit::Exit;
use crate::finding::{Severity, Status};
use crate::report::v1;
use crate::snapshot::GLOBAL_REGION;
use std::collections::{HashMap, HashSet};

/// The JSON schema name of a diff document (`vpcwarden diff --format json`).
pub const DIFF_SCHEMA: &str = "vpcwarden.diff/v1";

/// What became of a finding between the two scans. Ordered as the outputs list them: what needs
/// action first, the backlog last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    /// Failing in NEW and not failing in OLD (absent, passing or not evaluated there).
    New,
    /// Failing in OLD and passing in NEW, or absent from a NEW scan that saw its scope whole.
    Resolved,
    /// Failing in both, with another severity.
    Changed,
    /// One side could not see: NEW did not evaluate it, or OLD had it failing and NEW did not
    /// look (check not run, account or region not scanned, a gap).
    NotComparable,
    /// Failing in both, with the same severity.
    StillFailing,
}

impl Category {
    /// Every category, in output order.
    pub const ALL: [Category; 5] = [
        Category::New,
        Category::Resolved,
        Category::Changed,
        Category::NotComparable,
        Category::StillFailing,
    ];

    /// The snake-case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::New => "new",
            Category::Resolved => "resolved",
            Category::Changed => "changed",
            Category::NotComparable => "not_comparable",
            Category::StillFailing => "still_failing",
        }
    }

    /// The heading of the category's section in the table and Markdown outputs.
    pub fn heading(self) -> &'static str {
        match self {
            Category::New => "New failures",
            Category::Resolved => "Resolved",
            Category::Changed => "Severity changed",
            Category::NotComparable => "Not comparable",
            Category::StillFailing => "Still failing",
        }
    }

    /// The words of the counts line (`2 new`, `1 not comparable`).
    pub fn label(self) -> &'static str {
        match self {
            Category::New => "new",
            Category::Resolved => "resolved",
            Category::Changed => "changed",
            Category::NotComparable => "not comparable",
            Category::StillFailing => "still failing",
        }
    }
}

/// What one scan said of a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
    /// `fail`, `pass` or `not_evaluated`.
    pub status: Status,
    /// The finding's severity in that scan.
    pub severity: Severity,
}

/// Why a finding cannot be compared. Facts only; [`Entry::reason_sentence`] says it in words.
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    /// NEW has the finding as `not_evaluated`: its own sentence, and the gap of its scope in NEW
    /// when there is one (a finding can also be unevaluated for an unreadable document).
    NotEvaluated {
        /// The not-evaluated finding's message.
        message: String,
        /// NEW's gap for the finding's resource, region or account.
        gap: Option<v1::Gap>,
    },
    /// NEW did not run the check.
    CheckNotRun,
    /// NEW did not scan the account (or lists it as not scanned, with why).
    AccountNotScanned {
        /// `scan.not_scanned`'s reason, when NEW lists the account there.
        why: Option<String>,
    },
    /// NEW did not scan the region.
    RegionNotScanned,
    /// NEW has a gap in the finding's region (or account-wide) of its account.
    Gap {
        /// The gap, the one about the finding's resource when there is one.
        gap: v1::Gap,
    },
}

impl Reason {
    /// The snake-case name used in JSON (`reason.kind`).
    pub fn kind(&self) -> &'static str {
        match self {
            Reason::NotEvaluated { .. } => "not_evaluated",
            Reason::CheckNotRun => "check_not_run",
            Reason::AccountNotScanned { .. } => "account_not_scanned",
            Reason::RegionNotScanned => "region_not_scanned",
            Reason::Gap { .. } => "gap",
        }
    }

    /// The gap the reason names, if any.
    pub fn gap(&self) -> Option<&v1::Gap> {
        match self {
            Reason::NotEvaluated { gap, .. } => gap.as_ref(),
            Reason::Gap { gap } => Some(gap),
            _ => None,
        }
    }
}

/// One finding listed by the diff.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// What became of it.
    pub category: Category,
    /// The stable finding id both reports share.
    pub id: String,
    /// Check code.
    pub code: String,
    /// Check slug, when a side carries it (a compact report's passing findings do not).
    pub slug: Option<String>,
    /// Check title, when a side carries it.
    pub title: Option<String>,
    /// The account of the resource.
    pub account_id: String,
    /// The region of the resource, or `global`.
    pub region: String,
    /// ASFF resource type.
    pub resource_type: String,
    /// The resource's ARN.
    pub resource_arn: String,
    /// What OLD said; `None` when OLD has no such finding.
    pub old: Option<Verdict>,
    /// What NEW said; `None` when NEW has no such finding (for [`Category::Resolved`]: the
    /// resource is gone).
    pub new: Option<Verdict>,
    /// Why it is not comparable ([`Category::NotComparable`] only).
    pub reason: Option<Reason>,
    /// The `[[suppress]]` record NEW's finding carries: an accepted risk, listed but never
    /// failing the gate.
    pub suppressed: Option<v1::Suppressed>,
}

impl Entry {
    /// The severity the entry is ranked and gated by: NEW's when it fails in NEW, else OLD's when
    /// it failed there, else the severity either side carries.
    pub fn severity(&self) -> Severity {
        let failing = |v: &Option<Verdict>| v.filter(|v| v.status == Status::Fail);
        failing(&self.new)
            .or(failing(&self.old))
            .or(self.new)
            .or(self.old)
            .map_or(Severity::Informational, |v| v.severity)
    }

    /// Whether this entry fails a gate at `threshold`: a new failure at or above it, or a failure
    /// whose severity rose to at or above it. Nothing else does: a finding that got better, one
    /// already failing as badly before, one that cannot be compared, and one NEW suppresses (a
    /// risk accepted on record, as `audit` leaves it out of its exit code) leave the gate alone.
    pub fn fails_at(&self, threshold: Severity) -> bool {
        if self.suppressed.is_some() {
            return false;
        }
        match (self.category, self.old, self.new) {
            (Category::New, _, Some(new)) => new.severity >= threshold,
            (Category::Changed, Some(old), Some(new)) => {
                new.severity > old.severity && new.severity >= threshold
            }
            _ => false,
        }
    }

    /// Why the entry is not comparable, in one sentence; `None` for the other categories.
    pub fn reason_sentence(&self) -> Option<String> {
        let gap_words = |g: &v1::Gap| {
            let place = if g.region == GLOBAL_REGION {
                "account-wide".to_string()
            } else {
                format!("in {}", g.region)
            };
            format!(
                "{}:{} failed {place} ({})",
                g.service, g.operation, g.error_code
            )
        };
        Some(match self.reason.as_ref()? {
            Reason::NotEvaluated { message, gap } => {
                let mut s = format!("not evaluated in the new scan: {message}");
                if let Some(g) = gap
                    && !message.contains(&g.operation)
                {
                    s = format!("{s} (gap: {})", gap_words(g));
                }
                s
            }
            Reason::CheckNotRun => format!("the new scan did not run {}", self.code),
            Reason::AccountNotScanned { why: None } => {
                format!("the new scan did not scan account {}", self.account_id)
            }
            Reason::AccountNotScanned { why: Some(why) } => format!(
                "the new scan did not scan account {}: {why}",
                self.account_id
            ),
            Reason::RegionNotScanned => {
                format!("the new scan did not scan region {}", self.region)
            }
            Reason::Gap { gap } => format!("the new scan has a gap there: {}", gap_words(gap)),
        })
    }
}

/// What a report says of its scan, as the diff shows it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ScanSide {
    /// Where the report was read from; set by the caller (`None` for a report never written).
    pub report: Option<String>,
    /// `vpcwarden X.Y.Z` that wrote it.
    pub tool_version: String,
    /// When its collection started.
    pub started_at: String,
    /// When its checks finished.
    pub finished_at: String,
    /// Whether its scan had no gap.
    pub complete: bool,
    /// The accounts it scanned.
    pub accounts: Vec<String>,
    /// The regions it scanned.
    pub regions: Vec<String>,
}

impl ScanSide {
    fn of(report: &v1::Report) -> ScanSide {
        ScanSide {
            report: None,
            tool_version: report.scan.tool_version.clone(),
            started_at: report.scan.started_at.clone(),
            finished_at: report.scan.finished_at.clone(),
            complete: report.scan.complete,
            accounts: report.scan.accounts.clone(),
            regions: report.scan.regions.clone(),
        }
    }
}

/// How many findings went each way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    /// [`Category::New`].
    pub new: usize,
    /// [`Category::Resolved`].
    pub resolved: usize,
    /// [`Category::Changed`].
    pub changed: usize,
    /// [`Category::NotComparable`].
    pub not_comparable: usize,
    /// [`Category::StillFailing`].
    pub still_failing: usize,
    /// Counted, not listed: failing on neither side and not in doubt (passing in NEW, or
    /// absent from NEW after passing or going unevaluated in OLD).
    pub not_listed: usize,
}

impl Counts {
    /// The count of one category.
    pub fn of(&self, category: Category) -> usize {
        match category {
            Category::New => self.new,
            Category::Resolved => self.resolved,
            Category::Changed => self.changed,
            Category::NotComparable => self.not_comparable,
            Category::StillFailing => self.still_failing,
        }
    }

    fn add(&mut self, category: Category) {
        match category {
            Category::New => self.new += 1,
            Category::Resolved => self.resolved += 1,
            Category::Changed => self.changed += 1,
            Category::NotComparable => self.not_comparable += 1,
            Category::StillFailing => self.still_failing += 1,
        }
    }
}

/// Two scans compared.
#[derive(Debug, Clone, PartialEq)]
pub struct Diff {
    /// The earlier scan.
    pub old: ScanSide,
    /// The later scan.
    pub new: ScanSide,
    /// Every listed finding, sorted by category, then most severe first, code, account, region
    /// and ARN: output is byte-stable.
    pub entries: Vec<Entry>,
    /// Counts per category, and of what is not listed.
    pub counts: Counts,
}

impl Diff {
    /// The entries of one category, in order.
    pub fn of(&self, category: Category) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(move |e| e.category == category)
    }

    /// Whether an entry fails the gate at `threshold` (see [`Entry::fails_at`]).
    pub fn fails_at(&self, threshold: Severity) -> bool {
        self.entries.iter().any(|e| e.fails_at(threshold))
    }

    /// The exit code of `vpcwarden diff`: 3 when an entry fails the gate at `fail_on`, else 0.
    /// Not-comparable entries never fail it: the reports list them, and the audits' own exit
    /// codes (4) said the scans were incomplete.
    pub fn exit(&self, fail_on: Severity) -> Exit {
        if self.fails_at(fail_on) {
            Exit::Failing
        } else {
            Exit::Clean
        }
    }
}

/// What NEW looked at: where a finding absent from it may be called resolved.
struct Scope<'a> {
    checks: HashSet<&'a str>,
    accounts: HashSet<&'a str>,
    not_scanned: HashMap<&'a str, &'a v1::NotScanned>,
    regions: HashSet<&'a str>,
    gaps: &'a [v1::Gap],
}

impl<'a> Scope<'a> {
    fn of(report: &'a v1::Report) -> Scope<'a> {
        Scope {
            checks: report.scan.checks.iter().map(String::as_str).collect(),
            accounts: report.scan.accounts.iter().map(String::as_str).collect(),
            not_scanned: report
                .scan
                .not_scanned
                .iter()
                .map(|n| (n.account_id.as_str(), n))
                .collect(),
            regions: report.scan.regions.iter().map(String::as_str).collect(),
            gaps: &report.gaps,
        }
    }

    /// NEW's gap that covers the finding, the most specific first: one about its resource, then
    /// one of its region, then an account-wide one. An account-wide finding depends on the
    /// functions of every region, so any gap of its account covers it.
    fn gap_for(&self, f: &v1::Finding) -> Option<&'a v1::Gap> {
        let account = || self.gaps.iter().filter(|g| g.account_id == f.account_id);
        account()
            .find(|g| g.resource.as_deref() == Some(f.resource_arn.as_str()))
            .or_else(|| account().find(|g| g.region == f.region))
            .or_else(|| account().find(|g| g.region == GLOBAL_REGION))
            .or_else(|| {
                if f.region == GLOBAL_REGION {
                    account().next()
                } else {
                    None
                }
            })
    }

    /// Why a finding absent from NEW says nothing about whether it is fixed; `None` when NEW saw
    /// its whole scope, so absence means the resource is gone.
    fn blind_to(&self, f: &v1::Finding) -> Option<Reason> {
        if !self.checks.contains(f.code.as_str()) {
            return Some(Reason::CheckNotRun);
        }
        if let Some(n) = self.not_scanned.get(f.account_id.as_str()) {
            return Some(Reason::AccountNotScanned {
                why: Some(format!("{} ({})", n.reason, n.state)),
            });
        }
        if !self.accounts.contains(f.account_id.as_str()) {
            return Some(Reason::AccountNotScanned { why: None });
        }
        if f.region != GLOBAL_REGION && !self.regions.contains(f.region.as_str()) {
            return Some(Reason::RegionNotScanned);
        }
        self.gap_for(f).map(|g| Reason::Gap { gap: g.clone() })
    }
}

/// Compares two scans finding by finding (see [`Category`]). A compact report (`--compact-pass`)
/// compares as a full one: its stripped passing findings are passes all the same.
pub fn compare(old: &v1::Report, new: &v1::Report) -> Diff {
    let scope = Scope::of(new);
    let mut old_by_id: HashMap<&str, &v1::Finding> = HashMap::with_capacity(old.findings.len());
    for f in &old.findings {
        // A report never repeats an id; if one did, its first finding stands.
        old_by_id.entry(f.id.as_str()).or_insert(f);
    }
    let mut counts = Counts::default();
    let mut entries = Vec::new();
    let mut in_new: HashSet<&str> = HashSet::with_capacity(new.findings.len());
    // `f` is the side that has the finding (NEW's when both do: its facts are current).
    let mut judge =
        |f: &v1::Finding, o: Option<&v1::Finding>, n: Option<&v1::Finding>| match classify(
            o, n, &scope,
        ) {
            Some((category, reason)) => {
                counts.add(category);
                entries.push(entry(category, f, o, n, reason));
            }
            None => counts.not_listed += 1,
        };
    for n in &new.findings {
        if in_new.insert(n.id.as_str()) {
            judge(n, old_by_id.get(n.id.as_str()).copied(), Some(n));
        }
    }
    let mut in_old: HashSet<&str> = HashSet::new();
    for o in &old.findings {
        if !in_new.contains(o.id.as_str()) && in_old.insert(o.id.as_str()) {
            judge(o, Some(o), None);
        }
    }
    entries.sort_by(|a, b| {
        let key = |e: &Entry| {
            (
                e.category,
                std::cmp::Reverse(e.severity()),
                e.code.clone(),
                e.account_id.clone(),
                e.region.clone(),
                e.resource_arn.clone(),
            )
        };
        key(a).cmp(&key(b)).then_with(|| a.id.cmp(&b.id))
    });
    Diff {
        old: ScanSide::of(old),
        new: ScanSide::of(new),
        entries,
        counts,
    }
}

/// The category of a finding seen as `old` and `new` (`None`: absent from that report), with the
/// reason when it is not comparable; `None` when it is only counted.
fn classify(
    old: Option<&v1::Finding>,
    new: Option<&v1::Finding>,
    scope: &Scope<'_>,
) -> Option<(Category, Option<Reason>)> {
    let status = |f: Option<&v1::Finding>| f.map(|f| Status::from(f.status));
    match (status(old), status(new)) {
        (Some(Status::Fail), Some(Status::Fail)) => {
            let (o, n) = (old?, new?);
            Some(if o.severity == n.severity {
                (Category::StillFailing, None)
            } else {
                (Category::Changed, None)
            })
        }
        (_, Some(Status::Fail)) => Some((Category::New, None)),
        (Some(Status::Fail), Some(Status::Pass)) => Some((Category::Resolved, None)),
        (_, Some(Status::Pass)) => None,
        (_, Some(Status::NotEvaluated)) => {
            let n = new?;
            let message = if n.message.is_empty() {
                n.title.clone()
            } else {
                n.message.clone()
            };
            Some((
                Category::NotComparable,
                Some(Reason::NotEvaluated {
                    message,
                    gap: scope.gap_for(n).cloned(),
                }),
            ))
        }
        (Some(Status::Fail), None) => Some(match scope.blind_to(old?) {
            None => (Category::Resolved, None),
            Some(reason) => (Category::NotComparable, Some(reason)),
        }),
        (_, None) => None,
    }
}

/// The entry of finding `f` (both sides share its id, so its code, account, region and resource).
fn entry(
    category: Category,
    f: &v1::Finding,
    old: Option<&v1::Finding>,
    new: Option<&v1::Finding>,
    reason: Option<Reason>,
) -> Entry {
    let text = |pick: fn(&v1::Finding) -> &str| {
        [new, old]
            .into_iter()
            .flatten()
            .map(pick)
            .find(|s| !s.is_empty())
            .map(str::to_string)
    };
    let verdict = |f: Option<&v1::Finding>| {
        f.map(|f| Verdict {
            status: f.status.into(),
            severity: f.severity.into(),
        })
    };
    Entry {
        category,
        id: f.id.clone(),
        code: f.code.clone(),
        slug: text(|f| &f.slug),
        title: text(|f| &f.title),
        account_id: f.account_id.clone(),
        region: f.region.clone(),
        resource_type: f.resource_type.clone(),
        resource_arn: f.resource_arn.clone(),
        old: verdict(old),
        new: verdict(new),
        reason,
        suppressed: new.and_then(|n| n.suppressed.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    const ACCOUNT: &str = "111122223333";

    /// A v1 report from JSON (as a reader sees one), scanning `regions` of ACCOUNT with `checks`.
    fn report(
        regions: &[&str],
        checks: &[&str],
        findings: Vec<Value>,
        gaps: Vec<Value>,
    ) -> v1::Report {
        serde_json::from_value(json!({
            "schema": v1::SCHEMA,
            "scan": {
                "tool_version": "vpcwarden 0.1.0",
                "accounts": [ACCOUNT],
                "regions": regions,
                "started_at": "2026-11-01T09:00:00Z",
                "finished_at": "2026-11-01T09:01:00Z",
                "complete": gaps.is_empty(),
                "source": "live",
                "checks": checks,
            },
            "findings": findings,
            "gaps": gaps,
            "summary": {"total": 0, "by_status": {}, "failing_by_severity": {}, "gaps": 0},
        }))
        .expect("a v1 report")
    }

    /// A whole finding of `code` on function `name`.
    fn finding(code: &str, region: &str, name: &str, status: &str, severity: &str) -> Value {
        let arn = if region == GLOBAL_REGION {
            format!("arn:aws:iam::{ACCOUNT}:role/{name}")
        } else {
            format!("arn:aws:lambda:{region}:{ACCOUNT}:function:{name}")
        };
        json!({
            "id": crate::finding::finding_id(code, ACCOUNT, region, &arn),
            "code": code,
            "slug": "some-slug",
            "title": format!("{code} title"),
            "severity": severity,
            "status": status,
            "account_id": ACCOUNT,
            "region": region,
            "resource_type": "AwsLambdaFunction",
            "resource_arn": arn,
            "message": format!("{name} is {status}"),
            "evidence": {},
            "compliance": [],
            "remediation": "fix it",
        })
    }

    /// A passing finding as `--compact-pass` writes it.
    fn compact_pass(code: &str, region: &str, name: &str) -> Value {
        let mut f = finding(code, region, name, "pass", "low");
        let obj = f.as_object_mut().expect("object");
        for k in [
            "slug",
            "title",
            "message",
            "evidence",
            "compliance",
            "remediation",
        ] {
            obj.remove(k);
        }
        f
    }

    fn gap(region: &str, operation: &str, resource: Option<&str>) -> Value {
        let mut g = json!({
            "account_id": ACCOUNT,
            "region": region,
            "service": "lambda",
            "operation": operation,
            "error_code": "AccessDeniedException",
            "message": "denied",
        });
        if let Some(r) = resource {
            g["resource"] = json!(r);
        }
        g
    }

    const REGIONS: &[&str] = &["eu-west-1", "us-east-1"];
    const CHECKS: &[&str] = &["LAMBDA001", "LAMBDA003", "IAM001"];

    fn one(diff: &Diff) -> &Entry {
        assert_eq!(diff.entries.len(), 1, "{:#?}", diff.entries);
        &diff.entries[0]
    }

    fn fail(sev: Severity) -> Option<Verdict> {
        Some(Verdict {
            status: Status::Fail,
            severity: sev,
        })
    }

    #[test]
    fn a_failure_absent_passing_or_unevaluated_before_is_new() {
        for old_status in [None, Some("pass"), Some("not_evaluated")] {
            let old_findings = old_status
                .map(|s| vec![finding("LAMBDA003", "us-east-1", "f", s, "low")])
                .unwrap_or_default();
            let old = report(REGIONS, CHECKS, old_findings, vec![]);
            let new = report(
                REGIONS,
                CHECKS,
                vec![finding("LAMBDA003", "us-east-1", "f", "fail", "low")],
                vec![],
            );
            let d = compare(&old, &new);
            let e = one(&d);
            assert_eq!(e.category, Category::New, "old {old_status:?}");
            assert_eq!(e.old.map(|v| v.status.as_str()), old_status);
            assert_eq!(e.new, fail(Severity::Low));
            assert_eq!(d.counts.new, 1);
            assert!(e.fails_at(Severity::Low));
            assert!(!e.fails_at(Severity::Medium));
        }
    }

    #[test]
    fn a_new_failure_new_suppresses_is_listed_but_never_fails_the_gate() {
        let old = report(REGIONS, CHECKS, vec![], vec![]);
        let mut f = finding("LAMBDA003", "us-east-1", "f", "fail", "high");
        f["suppressed"] = json!({"reason": "accepted", "owner": "sec", "expires": "2027-01-31"});
        let new = report(REGIONS, CHECKS, vec![f], vec![]);
        let d = compare(&old, &new);
        let e = one(&d);
        assert_eq!(e.category, Category::New);
        assert_eq!(
            e.suppressed.as_ref().map(|s| s.reason.as_str()),
            Some("accepted")
        );
        assert!(!e.fails_at(Severity::Low));
        assert_eq!(d.exit(Severity::Low), Exit::Clean);
        // The same failure unsuppressed fails it.
        let new = report(
            REGIONS,
            CHECKS,
            vec![finding("LAMBDA003", "us-east-1", "f", "fail", "high")],
            vec![],
        );
        assert_eq!(compare(&old, &new).exit(Severity::Low), Exit::Failing);
    }

    #[test]
    fn a_failure_that_passes_now_is_resolved_even_from_a_compact_report() {
        let old = report(
            REGIONS,
            CHECKS,
            vec![finding("LAMBDA003", "us-east-1", "f", "fail", "low")],
            vec![],
        );
        let mut new = report(
            REGIONS,
            CHECKS,
            vec![compact_pass("LAMBDA003", "us-east-1", "f")],
            vec![],
        );
        new.scan.compact_pass = true;
        let d = compare(&old, &new);
        let e = one(&d);
        assert_eq!(e.category, Category::Resolved);
        assert_eq!(e.new.map(|v| v.status), Some(Status::Pass));
        // The title comes from the side that has it.
        assert_eq!(e.title.as_deref(), Some("LAMBDA003 title"));
        assert_eq!(d.counts.resolved, 1);
        assert!(!d.fails_at(Severity::Informational));
    }

    #[test]
    fn passing_on_both_sides_compact_or_not_is_counted_not_listed() {
        let old = report(
            REGIONS,
            CHECKS,
            vec![
                finding("LAMBDA003", "us-east-1", "f", "pass", "low"),
                finding("LAMBDA003", "us-east-1", "gone", "pass", "low"),
            ],
            vec![],
        );
        let new = report(
            REGIONS,
            CHECKS,
            vec![
                compact_pass("LAMBDA003", "us-east-1", "f"),
                compact_pass("LAMBDA003", "us-east-1", "added"),
            ],
            vec![],
        );
        let d = compare(&old, &new);
        assert!(d.entries.is_empty(), "{:#?}", d.entries);
        assert_eq!(d.counts.not_listed, 3);
    }

    #[test]
    fn a_failure_absent_from_a_whole_new_scan_is_resolved_as_gone() {
        let old = report(
            REGIONS,
            CHECKS,
            vec![
                finding("LAMBDA003", "us-east-1", "f", "fail", "low"),
                finding("IAM001", GLOBAL_REGION, "r", "fail", "high"),
            ],
            vec![],
        );
        let new = report(REGIONS, CHECKS, vec![], vec![]);
        let d = compare(&old, &new);
        assert_eq!(d.entries.len(), 2, "{:#?}", d.entries);
        for e in &d.entries {
            assert_eq!(e.category, Category::Resolved, "{e:#?}");
            assert_eq!(e.new, None);
        }
        // Most severe first.
        assert_eq!(d.entries[0].code, "IAM001");
    }

    /// OLD fails `f` in us-east-1 (and role `r` account-wide); NEW lacks both. Every way NEW can
    /// have missed them makes them not comparable, never resolved.
    #[test]
    fn a_failure_absent_from_a_new_scan_that_could_not_see_it_is_not_comparable() {
        let old = report(
            REGIONS,
            CHECKS,
            vec![
                finding("LAMBDA003", "us-east-1", "f", "fail", "low"),
                finding("IAM001", GLOBAL_REGION, "r", "fail", "high"),
            ],
            vec![],
        );
        let fn_arn = format!("arn:aws:lambda:us-east-1:{ACCOUNT}:function:f");
        let cases: Vec<(&str, v1::Report, &str, &str)> = vec![
            (
                "gap in the region",
                report(
                    REGIONS,
                    CHECKS,
                    vec![],
                    vec![gap("us-east-1", "ListFunctions", None)],
                ),
                "gap",
                "gap",
            ),
            (
                "gap on another resource of the region",
                report(
                    REGIONS,
                    CHECKS,
                    vec![],
                    vec![gap(
                        "us-east-1",
                        "GetPolicy",
                        Some("arn:aws:lambda:us-east-1:111122223333:function:other"),
                    )],
                ),
                "gap",
                "gap",
            ),
            (
                "gap on the resource itself",
                report(
                    REGIONS,
                    CHECKS,
                    vec![],
                    vec![gap("us-east-1", "GetPolicy", Some(&fn_arn))],
                ),
                "gap",
                "gap",
            ),
            (
                "gap in global",
                report(
                    REGIONS,
                    CHECKS,
                    vec![],
                    vec![gap(GLOBAL_REGION, "GetAccountAuthorizationDetails", None)],
                ),
                "gap",
                "gap",
            ),
            (
                "region not scanned",
                report(&["eu-west-1"], CHECKS, vec![], vec![]),
                "region_not_scanned",
                // The account-wide finding does not depend on which regions were named.
                "resolved",
            ),
            (
                "check not run",
                report(REGIONS, &["LAMBDA001"], vec![], vec![]),
                "check_not_run",
                "check_not_run",
            ),
        ];
        for (what, new, regional, global) in cases {
            let d = compare(&old, &new);
            for (code, want) in [("LAMBDA003", regional), ("IAM001", global)] {
                let e = d
                    .entries
                    .iter()
                    .find(|e| e.code == code)
                    .unwrap_or_else(|| panic!("{what}: {code} missing"));
                if want == "resolved" {
                    assert_eq!(e.category, Category::Resolved, "{what}: {e:#?}");
                    continue;
                }
                assert_eq!(e.category, Category::NotComparable, "{what}: {code}");
                let reason = e.reason.as_ref().expect("reason");
                assert_eq!(reason.kind(), want, "{what}: {code}");
                assert!(e.reason_sentence().is_some());
                assert!(!e.fails_at(Severity::Informational));
            }
        }
        // A gap in another region says nothing of us-east-1, but blinds the account-wide finding.
        let new = report(
            REGIONS,
            CHECKS,
            vec![],
            vec![gap("eu-west-1", "ListFunctions", None)],
        );
        let d = compare(&old, &new);
        let cat = |code: &str| {
            d.entries
                .iter()
                .find(|e| e.code == code)
                .map(|e| e.category)
        };
        assert_eq!(cat("LAMBDA003"), Some(Category::Resolved));
        assert_eq!(cat("IAM001"), Some(Category::NotComparable));
        // The gap named is the one about the resource, when there is one.
        let new = report(
            REGIONS,
            CHECKS,
            vec![],
            vec![
                gap("us-east-1", "ListFunctions", None),
                gap("us-east-1", "GetPolicy", Some(&fn_arn)),
            ],
        );
        let d = compare(&old, &new);
        let e = d
            .entries
            .iter()
            .find(|e| e.code == "LAMBDA003")
            .expect("entry");
        assert_eq!(
            e.reason
                .as_ref()
                .and_then(Reason::gap)
                .map(|g| g.operation.as_str()),
            Some("GetPolicy")
        );
    }

    #[test]
    fn an_account_the_new_scan_did_not_scan_is_not_comparable() {
        let old = report(
            REGIONS,
            CHECKS,
            vec![finding("LAMBDA003", "us-east-1", "f", "fail", "low")],
            vec![],
        );
        // Not among the accounts at all.
        let mut new = report(REGIONS, CHECKS, vec![], vec![]);
        new.scan.accounts = vec!["444455556666".into()];
        let d = compare(&old, &new);
        assert_eq!(one(&d).category, Category::NotComparable);
        assert_eq!(
            one(&d).reason,
            Some(Reason::AccountNotScanned { why: None })
        );
        // Listed as not scanned (an organization run skipping a suspended account).
        new.scan.not_scanned = vec![v1::NotScanned {
            account_id: ACCOUNT.into(),
            name: "old-sandbox".into(),
            state: "SUSPENDED".into(),
            reason: "the account is suspended".into(),
        }];
        let d = compare(&old, &new);
        let sentence = one(&d).reason_sentence().expect("sentence");
        assert!(sentence.contains("suspended"), "{sentence}");
    }

    #[test]
    fn unevaluated_in_the_new_scan_is_not_comparable_and_names_the_gap() {
        let ne = finding("LAMBDA003", "us-east-1", "f", "not_evaluated", "low");
        let new = report(
            REGIONS,
            CHECKS,
            vec![ne],
            vec![gap("us-east-1", "ListFunctions", None)],
        );
        for old_status in [Some("fail"), Some("pass"), Some("not_evaluated"), None] {
            let old_findings = old_status
                .map(|s| vec![finding("LAMBDA003", "us-east-1", "f", s, "low")])
                .unwrap_or_default();
            let old = report(REGIONS, CHECKS, old_findings, vec![]);
            let d = compare(&old, &new);
            let e = one(&d);
            assert_eq!(e.category, Category::NotComparable, "old {old_status:?}");
            match &e.reason {
                Some(Reason::NotEvaluated { message, gap }) => {
                    assert_eq!(message, "f is not_evaluated");
                    assert_eq!(
                        gap.as_ref().map(|g| g.operation.as_str()),
                        Some("ListFunctions")
                    );
                }
                other => panic!("{other:?}"),
            }
            let sentence = e.reason_sentence().expect("sentence");
            assert!(sentence.contains("lambda:ListFunctions"), "{sentence}");
            assert!(!d.fails_at(Severity::Informational));
        }
    }

    #[test]
    fn failing_on_both_sides_is_still_failing_or_changed() {
        let old = report(
            REGIONS,
            CHECKS,
            vec![
                finding("LAMBDA003", "us-east-1", "same", "fail", "low"),
                finding("LAMBDA003", "us-east-1", "worse", "fail", "low"),
                finding("LAMBDA003", "us-east-1", "better", "fail", "high"),
            ],
            vec![],
        );
        let new = report(
            REGIONS,
            CHECKS,
            vec![
                finding("LAMBDA003", "us-east-1", "same", "fail", "low"),
                finding("LAMBDA003", "us-east-1", "worse", "fail", "high"),
                finding("LAMBDA003", "us-east-1", "better", "fail", "medium"),
            ],
            vec![],
        );
        let d = compare(&old, &new);
        let by = |name: &str| {
            d.entries
                .iter()
                .find(|e| e.resource_arn.ends_with(&format!(":{name}")))
                .expect(name)
        };
        assert_eq!(by("same").category, Category::StillFailing);
        assert_eq!(by("worse").category, Category::Changed);
        assert_eq!(by("worse").old, fail(Severity::Low));
        assert_eq!(by("worse").new, fail(Severity::High));
        assert_eq!(by("better").category, Category::Changed);
        assert_eq!(d.counts.changed, 2);
        assert_eq!(d.counts.still_failing, 1);
        // The gate: only the rise counts, and only to at or above the threshold.
        assert!(!by("same").fails_at(Severity::Low));
        assert!(!by("better").fails_at(Severity::Low));
        assert!(by("worse").fails_at(Severity::High));
        assert!(!by("worse").fails_at(Severity::Critical));
        assert_eq!(d.exit(Severity::High), Exit::Failing);
        assert_eq!(d.exit(Severity::Critical), Exit::Clean);
    }

    #[test]
    fn entries_come_in_category_then_severity_then_code_order() {
        let old = report(
            REGIONS,
            CHECKS,
            vec![
                finding("LAMBDA003", "us-east-1", "fixed", "fail", "low"),
                finding("LAMBDA001", "us-east-1", "kept", "fail", "critical"),
            ],
            vec![],
        );
        let new = report(
            REGIONS,
            CHECKS,
            vec![
                finding("LAMBDA001", "us-east-1", "kept", "fail", "critical"),
                finding("LAMBDA003", "us-east-1", "b", "fail", "low"),
                finding("LAMBDA003", "eu-west-1", "a", "fail", "low"),
                finding("LAMBDA001", "us-east-1", "c", "fail", "high"),
                finding("LAMBDA003", "us-east-1", "fixed", "pass", "low"),
            ],
            vec![],
        );
        let d = compare(&old, &new);
        let order: Vec<(Category, &str)> = d
            .entries
            .iter()
            .map(|e| {
                (
                    e.category,
                    e.resource_arn.rsplit(':').next().unwrap_or_default(),
                )
            })
            .collect();
        assert_eq!(
            order,
            vec![
                (Category::New, "c"),
                (Category::New, "a"),
                (Category::New, "b"),
                (Category::Resolved, "fixed"),
                (Category::StillFailing, "kept"),
            ]
        );
        // The same inputs in another order give the same diff.
        let mut shuffled = new.clone();
        shuffled.findings.reverse();
        assert_eq!(compare(&old, &shuffled).entries, d.entries);
    }
}

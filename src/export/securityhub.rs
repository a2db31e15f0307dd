//! `--export securityhub`: findings into AWS Security Hub with the finding lifecycle kept right.
//!
//! - Each finding goes to its own region (account-wide ones to the home region), in
//!   `BatchImportFindings` calls of at most 100 findings and 6 MB, at most 10 calls per second;
//!   findings Security Hub reports as failed are retried, then reported.
//! - `CreatedAt` is kept: a finding Security Hub already holds keeps its first-seen time (read with
//!   `GetFindings`, at most 3 calls per second).
//! - A finding of ours that Security Hub holds as ACTIVE and this scan no longer produces is
//!   re-imported as Compliance PASSED, RecordState ARCHIVED, but only for the checks that ran and the
//!   account-regions collected without gaps. After a partial scan nothing is archived in the affected
//!   scope, and the summary says so.
//! - Security Hub only takes an account's findings from that account: findings of other accounts are
//!   refused here, not sent.
//! - Suppression (`[[suppress]]`) is kept in `Workflow` with `BatchUpdateFindings`, since an import
//!   cannot change `Workflow` once a finding exists: a suppressed finding becomes SUPPRESSED with a
//!   note of vpcwarden's saying why, and one vpcwarden suppressed goes back to NEW when its entry
//!   expired or was removed. A workflow set by anyone else is never changed.

use crate::aws::{ApiFailure, ClientFactory};
use crate::finding::Status;
use crate::render::asff::{
    self, AsffFinding, AsffNote, AsffOptions, AsffSeverity, AsffWorkflow, CODE_FIELD, NOTE_AUTHOR,
    REGION_FIELD,
};
use crate::report::Report;
use crate::snapshot::GLOBAL_REGION;
use aws_sdk_securityhub::Client;
use aws_sdk_securityhub::types::{
    AwsSecurityFinding, AwsSecurityFindingFilters, AwsSecurityFindingIdentifier, Compliance,
    ComplianceStatus, FindingProviderFields, FindingProviderSeverity, Note, NoteUpdate, Partition,
    Recommendation, RecordState, Remediation, Resource, Severity, SeverityLabel, StringFilter,
    StringFilterComparison, Workflow, WorkflowStatus, WorkflowUpdate,
};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::time::Duration;

/// At most this many findings per BatchImportFindings call.
pub const MAX_BATCH: usize = 100;
/// At most this many bytes per BatchImportFindings call (6 MB, with room for the envelope).
pub const MAX_BATCH_BYTES: usize = 6 * 1024 * 1024 - 64 * 1024;
/// Pause between BatchImportFindings calls: at most 10 per second.
const IMPORT_PACE: Duration = Duration::from_millis(100);
/// Pause between GetFindings calls: at most 3 per second.
const READ_PACE: Duration = Duration::from_millis(340);
/// How often findings Security Hub reports as failed are sent again.
const RETRIES: usize = 2;

/// How to export.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// Send failing and not-evaluated findings only (passing ones are not sent, and a finding that
    /// now passes is archived instead of updated).
    pub only_failed: bool,
    /// The Security Hub region for account-wide findings; default: the first scanned region.
    pub home_region: Option<String>,
}

/// A finding Security Hub did not take.
#[derive(Debug, Clone, Serialize)]
pub struct FailedImport {
    /// The finding id.
    pub id: String,
    /// The region it was sent to.
    pub region: String,
    /// Security Hub's error code.
    pub error_code: String,
    /// Its message.
    pub message: String,
}

/// What the export did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ExportSummary {
    /// The account the findings were imported into.
    pub account_id: String,
    /// Findings imported (created or updated), by compliance status.
    pub imported: BTreeMap<String, usize>,
    /// Findings of earlier scans archived as PASSED.
    pub archived: usize,
    /// Findings kept as they are because their scope was not fully scanned: scope → count.
    pub not_archived: BTreeMap<String, usize>,
    /// Findings Security Hub refused after the retries.
    pub failed: Vec<FailedImport>,
    /// Findings of other accounts, not sent (Security Hub takes an account's findings only from it).
    pub other_accounts: BTreeMap<String, usize>,
    /// Regions the export could not complete, with why (nothing, or not everything, was sent there).
    pub region_errors: Vec<String>,
    /// Findings set to Workflow SUPPRESSED (a `[[suppress]]` entry covers them).
    pub suppressed: usize,
    /// Findings vpcwarden had suppressed, set back to Workflow NEW (their entry expired or was
    /// removed).
    pub unsuppressed: usize,
    /// Workflow updates Security Hub refused (`UnprocessedFindings` of BatchUpdateFindings).
    pub update_failed: Vec<FailedImport>,
}

impl ExportSummary {
    /// Whether everything was imported and every workflow update made.
    pub fn ok(&self) -> bool {
        self.failed.is_empty() && self.region_errors.is_empty() && self.update_failed.is_empty()
    }
}

impl ExportSummary {
    /// One paragraph for stderr.
    pub fn render(&self) -> String {
        let imported: usize = self.imported.values().sum();
        let by: Vec<String> = self
            .imported
            .iter()
            .map(|(k, v)| format!("{v} {k}"))
            .collect();
        let mut out = format!(
            "securityhub: {imported} finding(s) imported into account {} ({}), {} archived as PASSED, {} failed.\n",
            self.account_id,
            if by.is_empty() {
                "none".to_string()
            } else {
                by.join(", ")
            },
            self.archived,
            self.failed.len()
        );
        if self.suppressed + self.unsuppressed + self.update_failed.len() > 0 {
            out.push_str(&format!(
                "securityhub: workflow: {} finding(s) set to SUPPRESSED, {} set back to NEW (suppression ended), {} not updated.\n",
                self.suppressed,
                self.unsuppressed,
                self.update_failed.len()
            ));
        }
        for (scope, n) in &self.not_archived {
            out.push_str(&format!(
                "securityhub: {n} finding(s) left as they are, not archived: {scope}.\n"
            ));
        }
        for e in &self.region_errors {
            out.push_str(&format!("securityhub: {e}\n"));
        }
        for (account, n) in &self.other_accounts {
            out.push_str(&format!(
                "securityhub: {n} finding(s) of account {account} not sent: import them with that account's credentials.\n"
            ));
        }
        for f in &self.failed {
            out.push_str(&format!(
                "securityhub: finding {} in {} refused: {}: {}\n",
                f.id, f.region, f.error_code, f.message
            ));
        }
        for f in &self.update_failed {
            out.push_str(&format!(
                "securityhub: finding {} in {}: workflow not updated: {}: {}\n",
                f.id, f.region, f.error_code, f.message
            ));
        }
        out
    }
}

/// Why the export could not run at all.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The caller could not be identified.
    #[error("securityhub export: sts:GetCallerIdentity failed: {0}")]
    Identity(ApiFailure),
    /// A GetFindings call failed: without knowing what Security Hub holds, importing could reset
    /// CreatedAt and archiving could be wrong, so nothing is sent to that region.
    #[error("securityhub export: securityhub:GetFindings failed in {region}: {failure}")]
    Read {
        /// The region.
        region: String,
        /// Why.
        failure: ApiFailure,
    },
    /// A BatchImportFindings call failed as a whole.
    #[error("securityhub export: securityhub:BatchImportFindings failed in {region}: {failure}")]
    Import {
        /// The region.
        region: String,
        /// Why.
        failure: ApiFailure,
    },
    /// A BatchUpdateFindings call failed as a whole: the workflow of its findings, and of those
    /// not yet sent, stays as it was.
    #[error(
        "securityhub export: securityhub:BatchUpdateFindings failed in {region}: {failure}; the workflow of {left} finding(s) was not updated"
    )]
    Update {
        /// The region.
        region: String,
        /// Why.
        failure: ApiFailure,
        /// How many workflow updates were not made.
        left: usize,
    },
}

/// Exports a report's findings of the caller's account.
pub async fn export(
    factory: &ClientFactory,
    report: &Report,
    options: &ExportOptions,
) -> Result<ExportSummary, ExportError> {
    let home = asff::home_region(
        report,
        &AsffOptions {
            home_region: options.home_region.clone(),
            ..AsffOptions::default()
        },
    );
    let identity = factory
        .sts(Some(&home))
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| ExportError::Identity(ApiFailure::from_sdk(&e)))?;
    let account = identity.account().unwrap_or_default().to_string();
    let mut summary = ExportSummary {
        account_id: account.clone(),
        ..ExportSummary::default()
    };
    for f in report.findings.iter().filter(|f| *f.account_id != *account) {
        *summary
            .other_accounts
            .entry(f.account_id.to_string())
            .or_default() += 1;
    }
    let sent: Vec<_> = report
        .findings
        .iter()
        .filter(|f| *f.account_id == *account)
        .filter(|f| !(options.only_failed && f.status == Status::Pass))
        .collect();
    let mut by_region: BTreeMap<String, Vec<&crate::finding::Finding>> = BTreeMap::new();
    for f in &sent {
        by_region
            .entry(asff::hub_region(f, &home).to_string())
            .or_default()
            .push(f);
    }
    // Regions whose earlier findings may need archiving, even when this scan has none there.
    let mut regions: BTreeSet<String> = by_region.keys().cloned().collect();
    regions.extend(report.scan.regions.iter().cloned());
    regions.insert(home.clone());
    let scope = Scope::of(report, &account);
    let partition = asff::partition_of(identity.arn().unwrap_or_default()).to_string();
    let now = report.scan.finished_at.clone();
    for region in &regions {
        let client = factory.securityhub(region);
        let product = asff::product_arn(&partition, region, &account);
        // Without what Security Hub holds, importing could reset CreatedAt and archiving could be
        // wrong: that region is skipped and reported; the others go on.
        let held = match held_findings(&client, region, &product, &account).await {
            Ok(h) => h,
            Err(e) => {
                summary
                    .region_errors
                    .push(format!("{e}; nothing was sent to {region}"));
                continue;
            }
        };
        let created: HashMap<&str, &str> = held
            .iter()
            .map(|h| (h.id.as_str(), h.created_at.as_str()))
            .collect();
        // Security Hub holds a newer state than this report (a later scan was exported): leave
        // those findings as they are rather than roll them back.
        let newer: HashSet<&str> = held
            .iter()
            .filter(|h| is_later(&h.updated_at, &now))
            .map(|h| h.id.as_str())
            .collect();
        let here = by_region.get(region).map(Vec::as_slice).unwrap_or_default();
        let sent_here: HashSet<&str> = here.iter().map(|f| f.id.as_str()).collect();
        let current: Vec<AsffFinding> = here
            .iter()
            .filter(|f| !newer.contains(f.id.as_str()))
            .map(|f| {
                let check = report.check(f.code());
                asff::finding(f, check, &home, created.get(f.id.as_str()).copied(), &now)
            })
            .collect();
        if !newer.is_empty() {
            *summary
                .not_archived
                .entry(format!("region {region} (Security Hub holds a newer scan)"))
                .or_default() += newer.len();
        }
        let mut resolved = Vec::new();
        for h in held.iter().filter(|h| {
            h.record_state == "ACTIVE"
                && !sent_here.contains(h.id.as_str())
                && !newer.contains(h.id.as_str())
        }) {
            match scope.blocks(h) {
                None => resolved.push(archived(h, &now)),
                Some(why) => *summary.not_archived.entry(why).or_default() += 1,
            }
        }
        let batch: Vec<AsffFinding> = current.iter().chain(&resolved).cloned().collect();
        let outcome = import(&client, region, batch).await;
        // Count what Security Hub took; what it refused is listed on its own.
        for a in current.iter().filter(|a| outcome.taken.contains(&a.id)) {
            *summary
                .imported
                .entry(a.compliance.status.clone())
                .or_default() += 1;
        }
        summary.archived += resolved
            .iter()
            .filter(|a| outcome.taken.contains(&a.id))
            .count();
        summary.failed.extend(outcome.refused);
        if let Some(e) = outcome.error {
            summary.region_errors.push(e.to_string());
        }
        // Workflow after the import: only findings Security Hub took (and so holds).
        let taken: Vec<&AsffFinding> = current
            .iter()
            .filter(|a| outcome.taken.contains(&a.id))
            .collect();
        let held_by_id: HashMap<&str, &AsffFinding> =
            held.iter().map(|h| (h.id.as_str(), h)).collect();
        let changes = workflow_changes(&taken, &held_by_id);
        let updated = update_workflow(&client, region, &changes).await;
        summary.suppressed += updated.suppressed;
        summary.unsuppressed += updated.unsuppressed;
        summary.update_failed.extend(updated.refused);
        if let Some(e) = updated.error {
            summary.region_errors.push(e.to_string());
        }
    }
    Ok(summary)
}

/// Workflow status SUPPRESSED.
const SUPPRESSED: &str = "SUPPRESSED";
/// Workflow status NEW.
const NEW: &str = "NEW";

/// One Workflow change the export makes with BatchUpdateFindings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkflowChange {
    /// The finding id.
    pub id: String,
    /// Its product ARN (BatchUpdateFindings names a finding by both).
    pub product_arn: String,
    /// SUPPRESSED or NEW.
    pub status: &'static str,
    /// The `Note.Text` written with it (`Note.UpdatedBy` is [`NOTE_AUTHOR`]).
    pub note: String,
}

/// Which of the findings just imported (`sent`) need their Workflow changed, given what Security
/// Hub held before the import (`held`, by id):
/// - a suppressed one (it carries Workflow SUPPRESSED and its note) becomes SUPPRESSED with that
///   note, unless it already is, or a user suppressed it (a note not by vpcwarden, or none);
/// - an unsuppressed one goes back to NEW only when it is SUPPRESSED with a note by vpcwarden (its
///   entry expired or was removed); any other workflow is its users' and is left alone.
pub fn workflow_changes(
    sent: &[&AsffFinding],
    held: &HashMap<&str, &AsffFinding>,
) -> Vec<WorkflowChange> {
    let mut out = Vec::new();
    for f in sent {
        let before = held.get(f.id.as_str());
        let status = before
            .and_then(|h| h.workflow.as_ref())
            .map_or(NEW, |w| w.status.as_str());
        let note = before.and_then(|h| h.note.as_ref());
        let ours = note.is_some_and(|n| n.updated_by == NOTE_AUTHOR);
        let change = |status: &'static str, note: &str| WorkflowChange {
            id: f.id.clone(),
            product_arn: f.product_arn.clone(),
            status,
            note: note.to_string(),
        };
        let wanted = f
            .workflow
            .as_ref()
            .filter(|w| w.status == SUPPRESSED)
            .and(f.note.as_ref());
        let made = match wanted {
            // Not yet SUPPRESSED, or SUPPRESSED by vpcwarden with another note; a user's
            // suppression, or ours with the same note, is left alone.
            Some(want) => (status != SUPPRESSED
                || (ours && note.is_some_and(|n| n.text != want.text)))
            .then(|| change(SUPPRESSED, &want.text)),
            // Back to NEW only what vpcwarden itself suppressed.
            None => (status == SUPPRESSED && ours).then(|| change(NEW, asff::UNSUPPRESSED_NOTE)),
        };
        out.extend(made);
    }
    out
}

/// One BatchUpdateFindings call: one status and note for all its findings.
#[derive(Debug)]
struct UpdateCall<'a> {
    status: &'static str,
    note: &'a str,
    findings: Vec<&'a WorkflowChange>,
}

/// `changes` as BatchUpdateFindings calls: one per status and note, at most [`MAX_BATCH`]
/// findings each.
fn update_calls(changes: &[WorkflowChange]) -> Vec<UpdateCall<'_>> {
    let mut groups: BTreeMap<(&'static str, &str), Vec<&WorkflowChange>> = BTreeMap::new();
    for c in changes {
        groups
            .entry((c.status, c.note.as_str()))
            .or_default()
            .push(c);
    }
    groups
        .into_iter()
        .flat_map(|((status, note), cs)| {
            cs.chunks(MAX_BATCH)
                .map(|chunk| UpdateCall {
                    status,
                    note,
                    findings: chunk.to_vec(),
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// What the workflow updates of one region did.
#[derive(Debug, Default)]
struct UpdateOutcome {
    suppressed: usize,
    unsuppressed: usize,
    refused: Vec<FailedImport>,
    error: Option<ExportError>,
}

/// Makes `changes` with BatchUpdateFindings: one call per status and note, at most [`MAX_BATCH`]
/// findings each; stops at the first call that fails as a whole.
async fn update_workflow(
    client: &Client,
    region: &str,
    changes: &[WorkflowChange],
) -> UpdateOutcome {
    let mut outcome = UpdateOutcome::default();
    let mut left = changes.len();
    for UpdateCall {
        status,
        note,
        findings: chunk,
    } in update_calls(changes)
    {
        let ids = chunk
            .iter()
            .map(|c| {
                AwsSecurityFindingIdentifier::builder()
                    .id(&c.id)
                    .product_arn(&c.product_arn)
                    .build()
            })
            .collect();
        let out = match client
            .batch_update_findings()
            .set_finding_identifiers(Some(ids))
            .workflow(
                WorkflowUpdate::builder()
                    .status(WorkflowStatus::from(status))
                    .build(),
            )
            .note(
                NoteUpdate::builder()
                    .text(note)
                    .updated_by(NOTE_AUTHOR)
                    .build(),
            )
            .send()
            .await
        {
            Ok(out) => out,
            Err(e) => {
                outcome.error = Some(ExportError::Update {
                    region: region.to_string(),
                    failure: ApiFailure::from_sdk(&e),
                    left,
                });
                return outcome;
            }
        };
        left -= chunk.len();
        let mut refused = HashSet::new();
        for u in out.unprocessed_findings() {
            let id = u
                .finding_identifier()
                .and_then(|i| i.id())
                .unwrap_or_default();
            refused.insert(id.to_string());
            outcome.refused.push(FailedImport {
                id: id.to_string(),
                region: region.to_string(),
                error_code: u.error_code().unwrap_or_default().to_string(),
                message: u.error_message().unwrap_or_default().to_string(),
            });
        }
        let done = chunk.iter().filter(|c| !refused.contains(&c.id)).count();
        if status == SUPPRESSED {
            outcome.suppressed += done;
        } else {
            outcome.unsuppressed += done;
        }
        tokio::time::sleep(IMPORT_PACE).await;
    }
    outcome
}

/// Which earlier findings this scan may archive: those of checks that ran, in regions (or the
/// account-wide scope) collected without gaps, of the caller's account.
struct Scope {
    checks: HashSet<String>,
    regions: HashSet<String>,
    with_gaps: HashSet<String>,
    account: String,
    /// Whether the report scanned the caller's account at all (a demo report, or one of another
    /// account, says nothing about what is fixed in it).
    scanned: bool,
}

impl Scope {
    fn of(report: &Report, account: &str) -> Scope {
        Scope {
            checks: report.scan.checks.iter().cloned().collect(),
            regions: report.scan.regions.iter().cloned().collect(),
            with_gaps: report
                .gaps
                .iter()
                .filter(|g| g.account_id == account)
                .map(|g| g.region.clone())
                .collect(),
            account: account.to_string(),
            scanned: report.scan.source != "demo"
                && report.scan.accounts.iter().any(|a| a == account),
        }
    }

    /// `None` when the held finding may be archived, else the scope that was not fully scanned.
    fn blocks(&self, held: &AsffFinding) -> Option<String> {
        let code = held
            .product_fields
            .get(CODE_FIELD)
            .cloned()
            .unwrap_or_else(|| {
                held.generator_id
                    .trim_start_matches("vpcwarden/")
                    .to_string()
            });
        let region = held
            .product_fields
            .get(REGION_FIELD)
            .cloned()
            .unwrap_or_else(|| held.region.clone());
        if held.aws_account_id != self.account || !self.scanned {
            return Some(format!(
                "account {} (not in this report)",
                held.aws_account_id
            ));
        }
        if !self.checks.contains(&code) {
            return Some(format!("check {code} (not run)"));
        }
        if region != GLOBAL_REGION && !self.regions.contains(&region) {
            return Some(format!("region {region} (not scanned)"));
        }
        if self.with_gaps.contains(&region) {
            return Some(format!("region {region} (scanned with gaps)"));
        }
        // Account-wide findings (IAM) depend on the functions of every region: any gap blocks them.
        if region == GLOBAL_REGION && !self.with_gaps.is_empty() {
            return Some("account-wide findings (the scan had gaps)".to_string());
        }
        None
    }
}

/// Whether RFC 3339 timestamp `a` is later than `b` (unreadable ones are not).
fn is_later(a: &str, b: &str) -> bool {
    let parse = |t: &str| {
        time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).ok()
    };
    matches!((parse(a), parse(b)), (Some(a), Some(b)) if a > b)
}

/// A held finding, re-imported as resolved: PASSED, ARCHIVED, CreatedAt kept.
fn archived(held: &AsffFinding, now: &str) -> AsffFinding {
    let mut a = held.clone();
    a.record_state = "ARCHIVED".into();
    a.compliance.status = "PASSED".into();
    a.updated_at = now.to_string();
    let severity = AsffSeverity {
        label: "INFORMATIONAL".into(),
        original: held.severity.original.clone(),
    };
    a.severity = severity.clone();
    a.finding_provider_fields.severity = severity;
    a.product_fields
        .insert("vpcwarden/Status".into(), "resolved".into());
    // Security Hub's users' (or kept by BatchUpdateFindings): not the import's to send.
    a.workflow = None;
    a.note = None;
    a
}

/// Every finding vpcwarden imported into this account and region before (any record state).
async fn held_findings(
    client: &Client,
    region: &str,
    product_arn: &str,
    account: &str,
) -> Result<Vec<AsffFinding>, ExportError> {
    let filter = |value: &str, comparison: StringFilterComparison| {
        StringFilter::builder()
            .value(value)
            .comparison(comparison)
            .build()
    };
    let filters = AwsSecurityFindingFilters::builder()
        .product_arn(filter(product_arn, StringFilterComparison::Equals))
        .aws_account_id(filter(account, StringFilterComparison::Equals))
        .generator_id(filter("vpcwarden/", StringFilterComparison::Prefix))
        .build();
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = client
            .get_findings()
            .filters(filters.clone())
            .max_results(100)
            .set_next_token(token.clone())
            .send()
            .await
            .map_err(|e| ExportError::Read {
                region: region.to_string(),
                failure: ApiFailure::from_sdk(&e),
            })?;
        out.extend(
            page.findings()
                .iter()
                // The filters again, client-side: emulators may ignore them.
                .filter(|f| {
                    f.generator_id()
                        .is_some_and(|g| g.starts_with("vpcwarden/"))
                        && f.product_arn() == Some(product_arn)
                        && f.aws_account_id() == Some(account)
                })
                .map(from_hub),
        );
        token = page
            .next_token()
            .filter(|t| !t.is_empty())
            .map(str::to_string);
        if token.is_none() {
            break;
        }
        tokio::time::sleep(READ_PACE).await;
    }
    tokio::time::sleep(READ_PACE).await;
    Ok(out)
}

/// What an import did: the ids Security Hub took, those it still refused after the retries, and
/// the error that stopped it, if a call failed as a whole (what was taken before stays counted).
#[derive(Debug, Default)]
pub struct ImportOutcome {
    /// Ids Security Hub took.
    pub taken: HashSet<String>,
    /// Findings still refused after the retries.
    pub refused: Vec<FailedImport>,
    /// The call failure that stopped the import.
    pub error: Option<ExportError>,
}

/// Imports `findings` in batches, sending refused ones again up to [`RETRIES`] times.
pub async fn import(client: &Client, region: &str, findings: Vec<AsffFinding>) -> ImportOutcome {
    let mut outcome = ImportOutcome::default();
    let mut pending = findings;
    for attempt in 0..=RETRIES {
        if pending.is_empty() {
            break;
        }
        if attempt > 0 {
            tokio::time::sleep(Duration::from_secs(attempt as u64)).await;
        }
        let by_id: HashMap<String, AsffFinding> =
            pending.iter().map(|f| (f.id.clone(), f.clone())).collect();
        outcome.refused.clear();
        for batch in batches(&pending) {
            let sdk = batch.iter().map(to_sdk).collect();
            let out = match client
                .batch_import_findings()
                .set_findings(Some(sdk))
                .send()
                .await
            {
                Ok(out) => out,
                Err(e) => {
                    outcome.error = Some(ExportError::Import {
                        region: region.to_string(),
                        failure: ApiFailure::from_sdk(&e),
                    });
                    return outcome;
                }
            };
            let refused: HashSet<&str> = out
                .failed_findings()
                .iter()
                .filter_map(|f| f.id())
                .collect();
            outcome.taken.extend(
                batch
                    .iter()
                    .filter(|f| !refused.contains(f.id.as_str()))
                    .map(|f| f.id.clone()),
            );
            for f in out.failed_findings() {
                outcome.refused.push(FailedImport {
                    id: f.id().unwrap_or_default().to_string(),
                    region: region.to_string(),
                    error_code: f.error_code().unwrap_or_default().to_string(),
                    message: f.error_message().unwrap_or_default().to_string(),
                });
            }
            tokio::time::sleep(IMPORT_PACE).await;
        }
        pending = outcome
            .refused
            .iter()
            .filter_map(|r| by_id.get(&r.id).cloned())
            .collect();
    }
    outcome
}

/// Splits findings into batches of at most [`MAX_BATCH`] findings and [`MAX_BATCH_BYTES`] bytes.
pub fn batches(findings: &[AsffFinding]) -> Vec<&[AsffFinding]> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut bytes = 0;
    for (i, f) in findings.iter().enumerate() {
        let size = serde_json::to_vec(f).map(|v| v.len()).unwrap_or(0) + 1;
        if i > start && (i - start == MAX_BATCH || bytes + size > MAX_BATCH_BYTES) {
            out.push(&findings[start..i]);
            start = i;
            bytes = 0;
        }
        bytes += size;
    }
    if start < findings.len() {
        out.push(&findings[start..]);
    }
    out
}

/// Our ASFF model as the SDK's type.
pub fn to_sdk(f: &AsffFinding) -> AwsSecurityFinding {
    let severity_label = SeverityLabel::from(f.severity.label.as_str());
    AwsSecurityFinding::builder()
        .schema_version(&f.schema_version)
        .id(&f.id)
        .product_arn(&f.product_arn)
        .product_name(&f.product_name)
        .company_name(&f.company_name)
        .generator_id(&f.generator_id)
        .aws_account_id(&f.aws_account_id)
        .region(&f.region)
        .set_types(Some(f.types.clone()))
        .created_at(&f.created_at)
        .updated_at(&f.updated_at)
        .severity(
            Severity::builder()
                .label(severity_label.clone())
                .original(&f.severity.original)
                .build(),
        )
        .finding_provider_fields(
            FindingProviderFields::builder()
                .severity(
                    FindingProviderSeverity::builder()
                        .label(SeverityLabel::from(
                            f.finding_provider_fields.severity.label.as_str(),
                        ))
                        .original(&f.finding_provider_fields.severity.original)
                        .build(),
                )
                .set_types(Some(f.finding_provider_fields.types.clone()))
                .build(),
        )
        .title(&f.title)
        .description(&f.description)
        .remediation(
            Remediation::builder()
                .recommendation(
                    Recommendation::builder()
                        .text(&f.remediation.recommendation.text)
                        .url(&f.remediation.recommendation.url)
                        .build(),
                )
                .build(),
        )
        .compliance(
            Compliance::builder()
                .status(ComplianceStatus::from(f.compliance.status.as_str()))
                .set_related_requirements(
                    (!f.compliance.related_requirements.is_empty())
                        .then(|| f.compliance.related_requirements.clone()),
                )
                .set_security_control_id(f.compliance.security_control_id.clone())
                .build(),
        )
        .record_state(RecordState::from(f.record_state.as_str()))
        .set_product_fields(Some(
            f.product_fields
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ))
        .set_resources(Some(
            f.resources
                .iter()
                .map(|r| {
                    Resource::builder()
                        .r#type(&r.r#type)
                        .id(&r.id)
                        .partition(Partition::from(r.partition.as_str()))
                        .region(&r.region)
                        .build()
                })
                .collect(),
        ))
        .set_workflow(f.workflow.as_ref().map(|w| {
            Workflow::builder()
                .status(WorkflowStatus::from(w.status.as_str()))
                .build()
        }))
        .set_note(f.note.as_ref().map(|n| {
            Note::builder()
                .text(&n.text)
                .updated_by(&n.updated_by)
                .updated_at(&n.updated_at)
                .build()
        }))
        .build()
}

/// The SDK's finding in our model (the fields vpcwarden sets; others are not carried over).
pub fn from_hub(f: &AwsSecurityFinding) -> AsffFinding {
    let severity = |label: Option<&SeverityLabel>, original: Option<&str>| AsffSeverity {
        label: label.map_or("INFORMATIONAL", |l| l.as_str()).to_string(),
        original: original.unwrap_or_default().to_string(),
    };
    let sev = f.severity();
    let provider = f.finding_provider_fields();
    let compliance = f.compliance();
    let recommendation = f.remediation().and_then(|r| r.recommendation());
    AsffFinding {
        schema_version: f.schema_version().unwrap_or_default().to_string(),
        id: f.id().unwrap_or_default().to_string(),
        product_arn: f.product_arn().unwrap_or_default().to_string(),
        product_name: f.product_name().unwrap_or("vpcwarden").to_string(),
        company_name: f.company_name().unwrap_or("vpcwarden").to_string(),
        generator_id: f.generator_id().unwrap_or_default().to_string(),
        aws_account_id: f.aws_account_id().unwrap_or_default().to_string(),
        region: f.region().unwrap_or_default().to_string(),
        types: f.types().to_vec(),
        created_at: f.created_at().unwrap_or_default().to_string(),
        updated_at: f.updated_at().unwrap_or_default().to_string(),
        severity: severity(sev.and_then(|s| s.label()), sev.and_then(|s| s.original())),
        finding_provider_fields: asff::AsffProviderFields {
            severity: severity(
                provider.and_then(|p| p.severity()).and_then(|s| s.label()),
                provider
                    .and_then(|p| p.severity())
                    .and_then(|s| s.original()),
            ),
            types: provider.map(|p| p.types().to_vec()).unwrap_or_default(),
        },
        title: f.title().unwrap_or_default().to_string(),
        description: f.description().unwrap_or_default().to_string(),
        remediation: asff::AsffRemediation {
            recommendation: asff::AsffRecommendation {
                text: recommendation
                    .and_then(|r| r.text())
                    .unwrap_or_default()
                    .to_string(),
                url: recommendation
                    .and_then(|r| r.url())
                    .unwrap_or_default()
                    .to_string(),
            },
        },
        compliance: asff::AsffCompliance {
            status: compliance
                .and_then(|c| c.status())
                .map_or("NOT_AVAILABLE", |s| s.as_str())
                .to_string(),
            related_requirements: compliance
                .map(|c| c.related_requirements().to_vec())
                .unwrap_or_default(),
            security_control_id: compliance
                .and_then(|c| c.security_control_id())
                .map(str::to_string),
        },
        record_state: f
            .record_state()
            .map_or("ACTIVE", |s| s.as_str())
            .to_string(),
        product_fields: f
            .product_fields()
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default(),
        resources: f
            .resources()
            .iter()
            .map(|r| asff::AsffResource {
                r#type: r.r#type().unwrap_or_default().to_string(),
                id: r.id().unwrap_or_default().to_string(),
                partition: r.partition().map_or("aws", |p| p.as_str()).to_string(),
                region: r.region().unwrap_or_default().to_string(),
            })
            .collect(),
        workflow: f.workflow().and_then(|w| w.status()).map(|s| AsffWorkflow {
            status: s.as_str().to_string(),
        }),
        note: f.note().map(|n| AsffNote {
            text: n.text().unwrap_or_default().to_string(),
            updated_by: n.updated_by().unwrap_or_default().to_string(),
            updated_at: n.updated_at().unwrap_or_default().to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::asff::{
        AsffCompliance, AsffProviderFields, AsffRecommendation, AsffRemediation,
    };

    fn finding(id: usize, description: usize) -> AsffFinding {
        let severity = AsffSeverity {
            label: "LOW".into(),
            original: "low".into(),
        };
        AsffFinding {
            schema_version: asff::SCHEMA_VERSION.into(),
            id: format!("id-{id}"),
            product_arn: "arn:aws:securityhub:us-east-1:1:product/1/default".into(),
            product_name: "vpcwarden".into(),
            company_name: "vpcwarden".into(),
            generator_id: "vpcwarden/LAMBDA003".into(),
            aws_account_id: "111111111111".into(),
            region: "us-east-1".into(),
            types: vec![],
            created_at: "2026-11-21T09:00:00Z".into(),
            updated_at: "2026-11-21T09:00:00Z".into(),
            severity: severity.clone(),
            finding_provider_fields: AsffProviderFields {
                severity,
                types: vec![],
            },
            title: "t".into(),
            description: "d".repeat(description),
            remediation: AsffRemediation {
                recommendation: AsffRecommendation {
                    text: "r".into(),
                    url: "https://docs.aws.amazon.com/".into(),
                },
            },
            compliance: AsffCompliance {
                status: "FAILED".into(),
                related_requirements: vec![],
                security_control_id: None,
            },
            record_state: "ACTIVE".into(),
            product_fields: BTreeMap::new(),
            resources: vec![],
            workflow: None,
            note: None,
        }
    }

    #[test]
    fn batches_hold_at_most_100_findings_and_6_mb() {
        let many: Vec<AsffFinding> = (0..250).map(|i| finding(i, 10)).collect();
        let sizes: Vec<usize> = batches(&many).iter().map(|b| b.len()).collect();
        assert_eq!(sizes, [100, 100, 50]);
        // 100 KB each: a batch is cut by bytes long before 100 findings.
        let big: Vec<AsffFinding> = (0..130).map(|i| finding(i, 100_000)).collect();
        let cut = batches(&big);
        assert!(cut.len() >= 3);
        for b in &cut {
            let bytes: usize = b
                .iter()
                .map(|f| serde_json::to_vec(f).map(|v| v.len()).unwrap_or(0))
                .sum();
            assert!(bytes <= MAX_BATCH_BYTES, "{bytes}");
        }
        assert_eq!(cut.iter().map(|b| b.len()).sum::<usize>(), 130);
        assert!(batches(&[]).is_empty());
    }

    fn report(source: &str, gaps: Vec<crate::snapshot::Gap>) -> Report {
        Report {
            scan: crate::report::ScanInfo {
                tool_version: crate::TOOL_VERSION.into(),
                accounts: vec!["111111111111".into()],
                regions: vec!["eu-west-1".into(), "us-east-1".into()],
                started_at: "2026-11-21T09:00:00Z".into(),
                finished_at: "2026-11-21T09:00:00Z".into(),
                complete: gaps.is_empty(),
                source: source.into(),
                checks: vec!["LAMBDA003".into(), "IAM004".into()],
                compact_pass: false,
                account_details: vec![],
                not_scanned: vec![],
                shard: None,
            },
            checks: vec![],
            findings: vec![],
            gaps,
            suppressions: vec![],
            summary: Default::default(),
            baseline: None,
            network: None,
        }
    }

    fn held(code: &str, region: &str) -> AsffFinding {
        let mut h = finding(1, 10);
        h.product_fields.insert(CODE_FIELD.into(), code.into());
        h.product_fields.insert(REGION_FIELD.into(), region.into());
        h
    }

    #[test]
    fn only_a_fully_scanned_scope_of_this_account_is_resolved() {
        let gap = |region: &str| crate::snapshot::Gap {
            account_id: "111111111111".into(),
            region: region.into(),
            service: "lambda".into(),
            operation: "ListFunctions".into(),
            resource: None,
            error_code: "AccessDeniedException".into(),
            message: "denied".into(),
        };
        let clean = Scope::of(&report("live", vec![]), "111111111111");
        assert_eq!(clean.blocks(&held("LAMBDA003", "us-east-1")), None);
        assert_eq!(clean.blocks(&held("IAM004", "global")), None);
        assert!(
            clean.blocks(&held("LAMBDA001", "us-east-1")).is_some(),
            "check not run"
        );
        assert!(
            clean.blocks(&held("LAMBDA003", "ap-south-1")).is_some(),
            "region not scanned"
        );
        let partial = Scope::of(&report("live", vec![gap("eu-west-1")]), "111111111111");
        assert!(partial.blocks(&held("LAMBDA003", "eu-west-1")).is_some());
        assert_eq!(partial.blocks(&held("LAMBDA003", "us-east-1")), None);
        assert!(
            partial.blocks(&held("IAM004", "global")).is_some(),
            "account-wide findings depend on every region"
        );
        // A demo report, or one of another account, resolves nothing in this account.
        let demo = Scope::of(&report("demo", vec![]), "111111111111");
        assert!(demo.blocks(&held("LAMBDA003", "us-east-1")).is_some());
        let other = Scope::of(&report("live", vec![]), "222222222222");
        let mut theirs = held("LAMBDA003", "us-east-1");
        theirs.aws_account_id = "222222222222".into();
        assert!(other.blocks(&theirs).is_some());
        assert!(is_later("2026-11-22T00:00:00.000Z", "2026-11-21T09:00:00Z"));
        assert!(!is_later("2026-11-21T09:00:00Z", "2026-11-21T09:00:00Z"));
    }

    #[test]
    fn resolving_keeps_created_at_and_marks_passed_and_archived() {
        let held = finding(1, 10);
        let a = archived(&held, "2026-11-22T09:00:00Z");
        assert_eq!(a.created_at, held.created_at);
        assert_eq!(a.updated_at, "2026-11-22T09:00:00Z");
        assert_eq!(
            (a.record_state.as_str(), a.compliance.status.as_str()),
            ("ARCHIVED", "PASSED")
        );
        assert_eq!(a.severity.label, "INFORMATIONAL");
        // Our model survives the SDK's type both ways.
        assert_eq!(from_hub(&to_sdk(&a)), a);
    }

    fn with_workflow(id: usize, status: Option<&str>, note: Option<(&str, &str)>) -> AsffFinding {
        let mut f = finding(id, 10);
        f.workflow = status.map(|s| AsffWorkflow { status: s.into() });
        f.note = note.map(|(text, by)| AsffNote {
            text: text.into(),
            updated_by: by.into(),
            updated_at: "2026-11-21T09:00:00Z".into(),
        });
        f
    }

    fn suppressed(reason: &str) -> crate::suppress::Suppressed {
        crate::suppress::Suppressed {
            reason: reason.into(),
            owner: Some("team@x".into()),
            expires: Some("2030-01-01".into()),
            ticket: Some("SEC-1".into()),
        }
    }

    #[test]
    fn workflow_changes_suppress_ours_unsuppress_ours_and_leave_users_alone() {
        let note = asff::suppression_note(&suppressed("accepted"));
        let other = asff::suppression_note(&suppressed("reason changed"));
        // (sent suppressed?, held workflow (None: not held), held note (text, by)) → change
        type Case<'a> = (
            &'a str,
            bool,
            Option<(&'a str, Option<(&'a str, &'a str)>)>,
            Option<(&'static str, String)>,
        );
        let cases: Vec<Case> = vec![
            (
                "new finding, suppressed",
                true,
                None,
                Some((SUPPRESSED, note.clone())),
            ),
            (
                "held NEW, suppressed",
                true,
                Some((NEW, None)),
                Some((SUPPRESSED, note.clone())),
            ),
            (
                "held NOTIFIED by a user, now suppressed in vpcwarden.toml",
                true,
                Some(("NOTIFIED", Some(("looking at it", "alice")))),
                Some((SUPPRESSED, note.clone())),
            ),
            (
                "already suppressed with the same note",
                true,
                Some((SUPPRESSED, Some((&note, NOTE_AUTHOR)))),
                None,
            ),
            (
                "suppressed by vpcwarden with an older note",
                true,
                Some((SUPPRESSED, Some((&other, NOTE_AUTHOR)))),
                Some((SUPPRESSED, note.clone())),
            ),
            (
                "suppressed by a user",
                true,
                Some((SUPPRESSED, Some(("mine", "alice")))),
                None,
            ),
            (
                "suppressed by a user without a note",
                true,
                Some((SUPPRESSED, None)),
                None,
            ),
            (
                "vpcwarden's suppression ended",
                false,
                Some((SUPPRESSED, Some((&note, NOTE_AUTHOR)))),
                Some((NEW, asff::UNSUPPRESSED_NOTE.to_string())),
            ),
            (
                "a user's suppression, not in vpcwarden.toml",
                false,
                Some((SUPPRESSED, Some(("mine", "alice")))),
                None,
            ),
            (
                "NOTIFIED by a user, not suppressed",
                false,
                Some(("NOTIFIED", Some(("ticket", "alice")))),
                None,
            ),
            (
                "NOTIFIED by a user after vpcwarden's note",
                false,
                Some(("NOTIFIED", Some((&note, NOTE_AUTHOR)))),
                None,
            ),
            (
                "RESOLVED, not suppressed",
                false,
                Some(("RESOLVED", None)),
                None,
            ),
            ("new finding, not suppressed", false, None, None),
            (
                "held NEW after vpcwarden ended a suppression",
                false,
                Some((NEW, Some((asff::UNSUPPRESSED_NOTE, NOTE_AUTHOR)))),
                None,
            ),
        ];
        for (what, is_suppressed, before, expected) in cases {
            let mut sent = finding(1, 10);
            if is_suppressed {
                sent.workflow = Some(AsffWorkflow {
                    status: SUPPRESSED.into(),
                });
                sent.note = Some(AsffNote {
                    text: note.clone(),
                    updated_by: NOTE_AUTHOR.into(),
                    updated_at: "2026-11-22T09:00:00Z".into(),
                });
            }
            let held_one = before.map(|(status, n)| with_workflow(1, Some(status), n));
            let held: HashMap<&str, &AsffFinding> =
                held_one.iter().map(|h| (h.id.as_str(), h)).collect();
            let got = workflow_changes(&[&sent], &held);
            let want: Vec<WorkflowChange> = expected
                .into_iter()
                .map(|(status, note)| WorkflowChange {
                    id: sent.id.clone(),
                    product_arn: sent.product_arn.clone(),
                    status,
                    note,
                })
                .collect();
            assert_eq!(got, want, "{what}");
        }
        // A held finding without a Workflow (an emulator, an old finding) counts as NEW.
        let bare = with_workflow(1, None, None);
        let held: HashMap<&str, &AsffFinding> = [(bare.id.as_str(), &bare)].into();
        assert!(workflow_changes(&[&finding(1, 10)], &held).is_empty());
    }

    #[test]
    fn the_suppression_note_says_why_who_until_when_and_fits_512_characters() {
        assert_eq!(
            asff::suppression_note(&suppressed("accepted")),
            "Suppressed in vpcwarden.toml: accepted; owner: team@x; expires: 2030-01-01; ticket: SEC-1."
        );
        let bare = crate::suppress::Suppressed {
            reason: "accepted".into(),
            owner: None,
            expires: None,
            ticket: None,
        };
        assert_eq!(
            asff::suppression_note(&bare),
            "Suppressed in vpcwarden.toml: accepted."
        );
        // Multi-byte characters across the limit: cut on a character, never inside one.
        let long = asff::suppression_note(&suppressed(&"é✓".repeat(400)));
        assert_eq!(long.chars().count(), asff::MAX_NOTE);
        assert!(long.ends_with('…'));
        assert!(asff::UNSUPPRESSED_NOTE.chars().count() <= asff::MAX_NOTE);
    }

    #[test]
    fn a_suppressed_finding_carries_its_workflow_and_note_through_the_sdk_type() {
        let a = with_workflow(
            1,
            Some(SUPPRESSED),
            Some(("Suppressed in vpcwarden.toml: accepted.", NOTE_AUTHOR)),
        );
        assert_eq!(from_hub(&to_sdk(&a)), a);
        // Archiving re-imports what Security Hub holds, but never its users' workflow.
        let resolved = archived(&a, "2026-11-22T09:00:00Z");
        assert_eq!((resolved.workflow, resolved.note), (None, None));
    }

    #[test]
    fn workflow_updates_go_in_calls_of_one_status_and_note_and_at_most_100_findings() {
        let change = |i: usize, status: &'static str, note: &str| WorkflowChange {
            id: format!("id-{i}"),
            product_arn: "arn:aws:securityhub:us-east-1:1:product/1/default".into(),
            status,
            note: note.into(),
        };
        let mut changes: Vec<WorkflowChange> =
            (0..250).map(|i| change(i, SUPPRESSED, "a")).collect();
        changes.extend((250..253).map(|i| change(i, SUPPRESSED, "b")));
        changes.extend((253..254).map(|i| change(i, NEW, "ended")));
        let calls = update_calls(&changes);
        let shape: Vec<(&str, &str, usize)> = calls
            .iter()
            .map(|c| (c.status, c.note, c.findings.len()))
            .collect();
        assert_eq!(
            shape,
            [
                (NEW, "ended", 1),
                (SUPPRESSED, "a", 100),
                (SUPPRESSED, "a", 100),
                (SUPPRESSED, "a", 50),
                (SUPPRESSED, "b", 3),
            ]
        );
        assert!(update_calls(&[]).is_empty());
    }
}

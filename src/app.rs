//! The commands: wires collect → snapshot → check → render and maps outcomes to exit codes.

use crate::aws::{ClientFactory, Target};
use crate::checks::{self, Check};
use crate::cli::{
    AuditArgs, Cli, CollectArgs, Command, DiffArgs, ExportArgs, ExportCommand, ExportTarget,
    InventoryArgs, InventoryCommand, InventoryFormat, MergeArgs, SecurityHubArgs, SourceArgs,
    TargetArgs,
};
use crate::collect::{self, Stats};
use crate::finding::PassDetail;
use crate::progress::Progress;
use crate::render::{self, RenderOptions};
use crate::report::Report;
use crate::snapshot::Snapshot;
use anyhow::Context;
use std::io::{IsTerminal, Write};
use std::path::Path;

/// The built-in demo account (`vpcwarden audit --demo`).
pub const DEMO_SNAPSHOT: &str = include_str!("../mocks/snapshots/demo.json");

pub use crate::exit::Exit;

/// An error that ends a command, with the exit code it maps to.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Bad flags or input; exit 2.
    #[error("{0}")]
    Usage(String),
    /// Anything else; exit 1.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    /// The exit code for this error.
    pub fn exit(&self) -> Exit {
        match self {
            AppError::Usage(_) => Exit::Usage,
            AppError::Internal(_) => Exit::Internal,
        }
    }

    /// Whether the error is stdout closed by its reader (`vpcwarden audit | head`): the reader's
    /// choice, which ends the run quietly rather than as a failure.
    pub fn is_broken_pipe(&self) -> bool {
        match self {
            AppError::Usage(_) => false,
            AppError::Internal(e) => e.chain().any(|cause| {
                cause
                    .downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }),
        }
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<Exit, AppError> {
    match cli.command {
        Command::Audit(args) => audit(args),
        Command::Collect(args) => collect_cmd(args),
        Command::Checks => {
            let checks = registry()?;
            let mut out = String::new();
            // Columns as wide as their longest value, so a long slug keeps the rest aligned.
            let width = |f: fn(&checks::Check) -> usize| checks.iter().map(f).max().unwrap_or(0);
            let code = width(|c| c.entry.meta.code.len());
            let slug = width(|c| c.entry.meta.slug.len());
            let severity = width(|c| c.entry.meta.severity.as_str().len());
            for c in checks {
                let m = &c.entry.meta;
                out.push_str(&format!(
                    "{:<code$}  {:<slug$}  {:<severity$}  {}\n",
                    m.code,
                    m.slug,
                    m.severity.as_str(),
                    m.title
                ));
            }
            write_output(None, &out)?;
            Ok(Exit::Clean)
        }
        Command::Inventory(InventoryCommand::Enis(args)) => inventory_enis(args),
        Command::Export(ExportCommand::Securityhub(args)) => export_cmd(args),
        Command::Diff(args) => diff_cmd(args),
        Command::Merge(args) => merge_cmd(args),
        Command::Report(args) => report_cmd(args),
        Command::Explain { check } => {
            let checks = registry()?;
            let c = checks::find(checks, &check)
                .ok_or_else(|| AppError::Usage(checks::UnknownCheck(check.clone()).to_string()))?;
            write_output(None, &c.entry.explain())?;
            Ok(Exit::Clean)
        }
    }
}

fn registry() -> Result<&'static [Check], AppError> {
    checks::all().map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))
}

fn audit(mut args: AuditArgs) -> Result<Exit, AppError> {
    let shard = shard_of(&args.source.target)?;
    with_shard(&mut args.output, shard)?;
    with_shard(&mut args.save_snapshot, shard)?;
    let all = registry()?;
    // Read before collecting: a bad config file must not cost a whole live scan first.
    let config = crate::config::Config::resolve(args.source.target.config.as_deref())
        .map_err(|e| AppError::Usage(e.to_string()))?;
    // The baseline too: a report that cannot be read fails the run before any AWS call.
    let baseline = args.baseline.as_deref().map(read_report).transpose()?;
    let selected =
        checks::select_configured(all, &args.checks, &args.exclude_checks, &config.checks)
            .map_err(|e| AppError::Usage(e.to_string()))?;
    // Only what the selected checks read; a saved snapshot says what was skipped.
    let plan = checks::plan(&selected);
    let ran = selected
        .iter()
        .map(|c| crate::report::CheckInfo::from_entry(&c.entry))
        .collect();
    let selection = args
        .source
        .target
        .selection()
        .map_err(|e| AppError::Usage(e.to_string()))?;
    let live = !args.source.demo && args.source.from_snapshot.is_none();
    let detail = if args.compact_pass {
        PassDetail::Compact
    } else {
        PassDetail::Full
    };
    let report = if live && selection.is_multi_account() {
        let mut report = audit_fleet(&args, &selection, &config, &selected, plan, ran, detail)?;
        report.scan.compact_pass = args.compact_pass;
        report
    } else {
        let mut phase = Phase::start();
        let (snapshot, source) = load_snapshot(&args.source, plan)?;
        phase.done("load");
        if let Some(path) = &args.save_snapshot {
            write_file(path, &snapshot.to_json())?;
        }
        let findings =
            checks::run_with(&snapshot, &config, &selected, detail).context("a check failed")?;
        phase.done("checks");
        let mut report = Report::new(&snapshot, findings, ran, source, crate::now_rfc3339());
        phase.done("report");
        report.scan.compact_pass = args.compact_pass;
        // The process ends after this report is written: freeing a snapshot of 100,000
        // functions piece by piece would cost seconds that exit does at once (no peak grows:
        // writing allocates little).
        std::mem::forget(snapshot);
        report
    };
    let mut report = report;
    report.suppress(&config.suppressions);
    warn_about_suppressions(&report);
    if let (Some(old), Some(path)) = (&baseline, &args.baseline) {
        let mut diff = crate::diff::compare(old, &crate::report::v1::Report::from(&report));
        diff.old.report = Some(path.display().to_string());
        if args.format != render::Format::Table {
            // The table says it in its summary; other formats keep their documents as they are.
            eprintln!("{}", render::diff::baseline_line(&diff));
        }
        report.baseline = Some(Box::new(diff));
    }
    let options = args.view.options(args.output.as_deref());
    let mut phase = Phase::start();
    write_with(args.output.as_deref(), |out| {
        render::write(&report, args.format, options, out)
    })?;
    phase.done("write");
    if args.export == Some(ExportTarget::Securityhub)
        && !export_securityhub(&args.source.target, &report, &args.securityhub)?
    {
        return Ok(Exit::ExportFailed);
    }
    let exit = report.exit(args.fail_on);
    // As for the snapshot above: a million findings are left to the process exit to free.
    std::mem::forget(report);
    Ok(exit)
}

/// Where an audit's time and memory go, logged at debug level (`-vv`): each phase's wall time
/// and the process's peak resident memory after it (Linux). How the scale bench is read.
struct Phase(std::time::Instant);

impl Phase {
    fn start() -> Phase {
        Phase(std::time::Instant::now())
    }

    /// Logs the phase that ends now and starts the next.
    fn done(&mut self, name: &str) {
        let peak_mb = std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
                let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
                Some(kb / 1024)
            });
        tracing::debug!(
            phase = name,
            ms = self.0.elapsed().as_millis() as u64,
            peak_mb,
            "phase done"
        );
        self.0 = std::time::Instant::now();
    }
}

/// Says on stderr which `[[suppress]]` entries have expired or gone stale: a scheduled run's log
/// shows it even when the report goes to a file.
fn warn_about_suppressions(report: &Report) {
    use crate::suppress::EntryState;
    for o in &report.suppressions {
        match o.state {
            EntryState::Expired => tracing::warn!(
                "suppression at line {} (check {}, resource {}) expired on {}: its findings are reported again",
                o.line,
                o.check,
                o.resource,
                o.record.expires.as_deref().unwrap_or("?"),
            ),
            EntryState::Stale => tracing::warn!(
                "suppression at line {} (check {}, resource {}) matched no failing finding in a complete scan: remove it",
                o.line,
                o.check,
                o.resource,
            ),
            EntryState::Active | EntryState::Unmatched => {}
        }
    }
}

/// A live audit of many accounts: each account is checked as soon as it is read, its findings
/// kept and its data dropped (and written to `--save-snapshot` on the way), so memory follows the
/// accounts in flight, not the organization. The snapshot file is written beside its path and
/// renamed into place at the end: a failed run leaves no half file behind.
fn audit_fleet(
    args: &AuditArgs,
    selection: &crate::targets::Selection,
    config: &crate::config::Config,
    selected: &[&Check],
    plan: collect::Plan,
    ran: Vec<crate::report::CheckInfo>,
    detail: PassDetail,
) -> Result<Report, AppError> {
    use futures::StreamExt;
    let target = &args.source.target;
    let options = target.run_options(plan);
    let result: Result<Report, AppError> = on_aws(target, true, async |factory| {
        let fleet = collect::fleet::Fleet::prepare(factory, selection, &options)
            .await
            .map_err(|e| AppError::Usage(e.to_string()))?;
        let header = fleet.header().clone_without_accounts();
        let mut writer = match &args.save_snapshot {
            Some(path) => {
                let partial = partial_path(path);
                let file = std::fs::File::create(&partial)
                    .with_context(|| format!("cannot write {}", partial.display()))?;
                Some((
                    crate::snapshot::SnapshotWriter::begin(std::io::BufWriter::new(file), &header)
                        .with_context(|| format!("cannot write {}", partial.display()))?,
                    partial,
                    path,
                ))
            }
            None => None,
        };
        let mut facts = crate::report::ScanFacts::begin(&header);
        let mut findings = Vec::new();
        // One account at a time in a snapshot that keeps the header (the organization's
        // accounts among it), so no account's data outlives its checks.
        let mut one = header.clone_without_accounts();
        let mut accounts = std::pin::pin!(fleet.accounts(factory, &options));
        while let Some(account) = accounts.next().await {
            if let Some((w, partial, _)) = &mut writer {
                w.account(&account)
                    .with_context(|| format!("cannot write {}", partial.display()))?;
            }
            facts.add(&account);
            one.accounts = vec![account];
            findings.extend(
                checks::run_with(&one, config, selected, detail).context("a check failed")?,
            );
            one.accounts.clear();
        }
        if let Some((w, partial, path)) = writer {
            w.finish()
                .with_context(|| format!("cannot write {}", partial.display()))?;
            std::fs::rename(&partial, path)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        Ok(Report::from_facts(
            facts,
            findings,
            ran,
            "live",
            crate::now_rfc3339(),
        ))
    })?;
    result
}

/// Where a file is written before it is renamed into place.
fn partial_path(path: &Path) -> std::path::PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    path.with_file_name(name)
}

/// `export securityhub --from-report FILE`: 0 when every finding was imported, else 5.
fn export_cmd(args: ExportArgs) -> Result<Exit, AppError> {
    let report = load_report(&args.from_report)?;
    Ok(
        if export_securityhub(&args.target, &report, &args.securityhub)? {
            Exit::Clean
        } else {
            Exit::ExportFailed
        },
    )
}

/// Reads a JSON report (`audit --format json`) whole: a file that cannot be read, is cut short,
/// holds two documents or a document of another schema is a usage error (exit 2) naming the file
/// and, for a bad document, the field, line and column.
/// A saved JSON report as the internal report. v1 names its checks only: their catalog facts
/// (ASFF types, remediation) come from this build's catalog, and a check it does not know renders
/// and exports from its findings' own text.
fn load_report(path: &Path) -> Result<Report, AppError> {
    let catalog = checks::all().ok();
    Ok(read_report(path)?.into_report(|code| {
        catalog
            .and_then(|c| checks::find(c, code))
            .map(|c| crate::report::CheckInfo::from_entry(&c.entry))
    }))
}

/// `vpcwarden report --from-report FILE`: a saved (or merged) JSON report in another format.
fn report_cmd(args: crate::cli::ReportArgs) -> Result<Exit, AppError> {
    let report = load_report(&args.from_report)?;
    let options = args.view.options(args.output.as_deref());
    write_with(args.output.as_deref(), |out| {
        render::write(&report, args.format, options, out)
    })?;
    Ok(Exit::Clean)
}

fn read_report(path: &Path) -> Result<crate::report::v1::Report, AppError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| AppError::Usage(format!("cannot read report {name}: {e}")))?;
    let wrong_schema = |schema: &str| {
        AppError::Usage(format!(
            "{name} has schema {schema:?}; this vpcwarden reads {} reports (audit --format json)",
            crate::report::REPORT_SCHEMA
        ))
    };
    let wire: crate::report::v1::Report = match crate::snapshot::decode_document(&text) {
        Ok(wire) => wire,
        Err((field, e)) => {
            // Another vpcwarden document (a diff, an inventory, a later report version) says so
            // by its schema, which is a better message than the first field that does not fit.
            #[derive(serde::Deserialize)]
            struct Schema {
                schema: String,
            }
            return Err(match serde_json::from_str::<Schema>(&text) {
                Ok(s) if s.schema != crate::report::REPORT_SCHEMA => wrong_schema(&s.schema),
                _ => AppError::Usage(format!(
                    "{name} is not a vpcwarden JSON report (audit --format json): at field `{field}`: {e}"
                )),
            });
        }
    };
    if wire.schema != crate::report::REPORT_SCHEMA {
        return Err(wrong_schema(&wire.schema));
    }
    Ok(wire)
}

/// `diff OLD NEW`: 3 when a new failure (or a failure whose severity rose) is at or above
/// `--fail-on`, else 0; 2 when either report cannot be read.
fn diff_cmd(args: DiffArgs) -> Result<Exit, AppError> {
    let old = read_report(&args.old)?;
    let new = read_report(&args.new)?;
    let mut diff = crate::diff::compare(&old, &new);
    diff.old.report = Some(args.old.display().to_string());
    diff.new.report = Some(args.new.display().to_string());
    write_with(args.output.as_deref(), |out| {
        render::diff::write(&diff, args.format, out)
    })?;
    Ok(diff.exit(args.fail_on))
}

/// `merge`: the shards' reports into one (exit as `audit` on it, but 4 whenever a shard is
/// missing: the result is not a scan of the whole run), or their snapshots into one (exit 0).
fn merge_cmd(args: MergeArgs) -> Result<Exit, AppError> {
    let mut files = args.files.clone();
    if let Some(dir) = &args.dir {
        let entries = std::fs::read_dir(dir).map_err(|e| {
            AppError::Usage(format!("cannot read directory {}: {e}", dir.display()))
        })?;
        let mut found: Vec<std::path::PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json") && p.is_file())
            .filter(|p| {
                args.output
                    .as_ref()
                    .is_none_or(|o| std::fs::canonicalize(o).ok() != std::fs::canonicalize(p).ok())
            })
            .collect();
        found.sort();
        files.extend(found);
    }
    if files.is_empty() {
        return Err(AppError::Usage(
            "merge: name the shards' files, or --dir with them".into(),
        ));
    }
    #[derive(serde::Deserialize)]
    struct Kind {
        schema: Option<String>,
        schema_version: Option<String>,
    }
    let kind_of = |path: &std::path::Path| -> Result<bool, AppError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| AppError::Usage(format!("cannot read {}: {e}", path.display())))?;
        match serde_json::from_str::<Kind>(&text) {
            Ok(Kind {
                schema: Some(_), ..
            }) => Ok(true),
            Ok(Kind {
                schema_version: Some(_),
                ..
            }) => Ok(false),
            _ => Err(AppError::Usage(format!(
                "{} is neither a vpcwarden JSON report nor a snapshot",
                path.display()
            ))),
        }
    };
    let reports = kind_of(&files[0])?;
    for f in &files[1..] {
        if kind_of(f)? != reports {
            return Err(AppError::Usage(format!(
                "{} and {} are not of one kind: merge reports, or snapshots, not both",
                files[0].display(),
                f.display()
            )));
        }
    }
    if !reports {
        let mut pieces = Vec::new();
        for f in &files {
            let snapshot =
                crate::snapshot::Snapshot::load(f).map_err(|e| AppError::Usage(e.to_string()))?;
            pieces.push((f.display().to_string(), snapshot));
        }
        let merged = crate::merge::snapshots(pieces).map_err(|e| AppError::Usage(e.to_string()))?;
        write_output(args.output.as_deref(), &merged.to_json())?;
        return Ok(Exit::Clean);
    }
    let mut pieces = Vec::new();
    for f in &files {
        let report = load_report(f)?;
        pieces.push(crate::merge::Piece {
            name: f.display().to_string(),
            report,
        });
    }
    let merged = crate::merge::reports(pieces, args.max_hours_apart)
        .map_err(|e| AppError::Usage(e.to_string()))?;
    if !merged.missing.is_empty() {
        eprintln!(
            "vpcwarden: merge: {} of {} shard(s) missing (index {}): their accounts were not scanned; the merged report is incomplete",
            merged.missing.len(),
            merged.count,
            merged
                .missing
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let options = RenderOptions {
        color: args.output.is_none() && std::io::stdout().is_terminal(),
        ..RenderOptions::default()
    };
    write_with(args.output.as_deref(), |out| {
        render::write(&merged.report, args.format, options, out)
    })?;
    Ok(if merged.missing.is_empty() {
        merged.report.exit(args.fail_on)
    } else {
        Exit::Incomplete
    })
}

/// Imports the report into Security Hub with the target's credentials; prints what it did on
/// stderr. `false` when the export failed or Security Hub refused findings.
fn export_securityhub(
    target: &TargetArgs,
    report: &Report,
    settings: &SecurityHubArgs,
) -> Result<bool, AppError> {
    let options = crate::export::securityhub::ExportOptions {
        only_failed: settings.securityhub_only_failed,
        home_region: settings.securityhub_region.clone(),
    };
    let selection = target
        .selection()
        .map_err(|e| AppError::Usage(e.to_string()))?;
    let ok = on_aws(target, false, async |factory| {
        if report.scan.accounts.len() <= 1 && !selection.is_multi_account() {
            return match crate::export::securityhub::export(factory, report, &options).await {
                Ok(summary) => {
                    eprint!("{}", summary.render());
                    summary.ok()
                }
                Err(e) => {
                    eprintln!("{e:#}");
                    false
                }
            };
        }
        export_per_account(factory, report, &options, &selection).await
    })?;
    Ok(ok)
}

/// Security Hub takes an account's findings only from that account (with the default product
/// ARN): each account of a multi-account report is exported through its own role (the same
/// `--role-name`/accounts file as the scan), and its lifecycle (archiving) stays its own.
async fn export_per_account(
    factory: &ClientFactory,
    report: &Report,
    options: &crate::export::securityhub::ExportOptions,
    selection: &crate::targets::Selection,
) -> bool {
    let identity = match factory.sts(None).get_caller_identity().send().await {
        Ok(identity) => identity,
        Err(e) => {
            eprintln!(
                "securityhub: cannot identify the caller (sts:GetCallerIdentity): {}",
                crate::aws::ApiFailure::from_sdk(&e)
            );
            return false;
        }
    };
    let caller = identity.account().unwrap_or_default().to_string();
    let partition = identity
        .arn()
        .and_then(|a| a.split(':').nth(1))
        .unwrap_or("aws")
        .to_string();
    let home = factory
        .default_region()
        .or_else(|| report.scan.regions.first().cloned())
        .unwrap_or_else(|| "us-east-1".to_string());
    let mut ok = true;
    for account in &report.scan.accounts {
        let member = match selection.role_for(account, &caller, &partition) {
            None => factory.clone(),
            Some(role) => match factory.check_assume_role(&role, &home).await {
                Ok(()) => factory.assuming(account, &role, &home).await,
                Err(f) => {
                    eprintln!(
                        "securityhub: account {account}: not exported, {} cannot be assumed: {f}",
                        role.role_arn
                    );
                    ok = false;
                    continue;
                }
            },
        };
        match crate::export::securityhub::export(&member, report, options).await {
            Ok(mut summary) => {
                // The other accounts are this loop's to export.
                summary.other_accounts.clear();
                eprint!("{}", summary.render());
                ok &= summary.ok();
            }
            Err(e) => {
                eprintln!("securityhub: account {account}: {e:#}");
                ok = false;
            }
        }
    }
    ok
}

/// The snapshot to work on and where it came from (`demo`, `snapshot` or `live`).
fn load_snapshot(
    source: &SourceArgs,
    plan: collect::Plan,
) -> Result<(Snapshot, &'static str), AppError> {
    if source.demo {
        Ok((
            Snapshot::from_json("built-in demo snapshot", DEMO_SNAPSHOT)
                .context("the built-in demo snapshot does not load")?,
            "demo",
        ))
    } else if let Some(path) = &source.from_snapshot {
        Ok((
            Snapshot::load(path).map_err(|e| AppError::Usage(e.to_string()))?,
            "snapshot",
        ))
    } else {
        Ok((collect_live(&source.target, plan)?, "live"))
    }
}

/// The shard the flags (or the engine's environment) name.
fn shard_of(target: &TargetArgs) -> Result<Option<crate::targets::Shard>, AppError> {
    target.shard().map_err(|e| AppError::Usage(e.to_string()))
}

/// `{shard}` in an output path becomes the shard's index, so one command line serves every task
/// of an array job (AWS Batch and Kubernetes expand no variables in a container's arguments).
fn with_shard(
    path: &mut Option<std::path::PathBuf>,
    shard: Option<crate::targets::Shard>,
) -> Result<(), AppError> {
    let Some(p) = path else {
        return Ok(());
    };
    let text = p.to_string_lossy().into_owned();
    if !text.contains("{shard}") {
        return Ok(());
    }
    let Some(shard) = shard else {
        return Err(AppError::Usage(format!(
            "{text}: {{shard}} stands for the shard's index, but neither --shard nor --shard-count was given"
        )));
    };
    *p = std::path::PathBuf::from(text.replace("{shard}", &shard.index.to_string()));
    Ok(())
}

/// `inventory enis`: exit 0, or 4 when a region's function list, ENIs or subnets are missing.
fn inventory_enis(args: InventoryArgs) -> Result<Exit, AppError> {
    // The inventory needs no function policy or URL.
    let plan = collect::Plan {
        function_policies: false,
        function_urls: false,
        function_versions: true,
    };
    let (snapshot, _) = load_snapshot(&args.source, plan)?;
    let inventory = crate::inventory::enis(&snapshot);
    let text = match args.format {
        InventoryFormat::Table => render::inventory::table(&inventory),
        InventoryFormat::Json => render::inventory::json(&inventory),
    };
    write_output(args.output.as_deref(), &text)?;
    Ok(inventory.exit())
}

fn collect_cmd(mut args: CollectArgs) -> Result<Exit, AppError> {
    let shard = shard_of(&args.target)?;
    with_shard(&mut args.output, shard)?;
    let selection = args
        .target
        .selection()
        .map_err(|e| AppError::Usage(e.to_string()))?;
    if selection.is_multi_account() {
        return collect_fleet(&args, &selection);
    }
    let snapshot = collect_live(&args.target, collect::Plan::ALL)?;
    write_output(args.output.as_deref(), &snapshot.to_json())?;
    Ok(if snapshot.accounts.iter().all(|a| a.gaps.is_empty()) {
        Exit::Clean
    } else {
        Exit::Incomplete
    })
}

/// `collect` of many accounts: each account is written as soon as it is read (to a file beside
/// `--output`, renamed into place at the end, or to stdout), never the whole organization in memory.
fn collect_fleet(
    args: &CollectArgs,
    selection: &crate::targets::Selection,
) -> Result<Exit, AppError> {
    use futures::StreamExt;
    let options = args.target.run_options(collect::Plan::ALL);
    on_aws(&args.target, true, async |factory| {
        let fleet = collect::fleet::Fleet::prepare(factory, selection, &options)
            .await
            .map_err(|e| AppError::Usage(e.to_string()))?;
        let (sink, partial): (Box<dyn Write>, Option<std::path::PathBuf>) = match &args.output {
            Some(path) => {
                let partial = partial_path(path);
                let file = std::fs::File::create(&partial)
                    .with_context(|| format!("cannot write {}", partial.display()))?;
                (Box::new(std::io::BufWriter::new(file)), Some(partial))
            }
            None => (Box::new(std::io::stdout().lock()), None),
        };
        let mut writer = crate::snapshot::SnapshotWriter::begin(sink, fleet.header())
            .context("cannot write the snapshot")?;
        let mut complete = true;
        let mut accounts = std::pin::pin!(fleet.accounts(factory, &options));
        while let Some(account) = accounts.next().await {
            complete &= account.gaps.is_empty();
            writer
                .account(&account)
                .context("cannot write the snapshot")?;
        }
        writer.finish().context("cannot write the snapshot")?;
        if let (Some(partial), Some(path)) = (partial, &args.output) {
            std::fs::rename(&partial, path)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        Ok(if complete {
            Exit::Clean
        } else {
            Exit::Incomplete
        })
    })?
}

fn collect_live(target: &TargetArgs, plan: collect::Plan) -> Result<Snapshot, AppError> {
    let options = target.run_options(plan);
    // Read before collecting: a bad accounts file must not cost a scan first.
    let selection = target
        .selection()
        .map_err(|e| AppError::Usage(e.to_string()))?;
    if selection.is_multi_account() {
        return on_aws(target, true, async |factory| {
            collect::fleet::collect(factory, &selection, &options).await
        })?
        .map_err(|e| AppError::Usage(e.to_string()));
    }
    on_aws(target, true, async |factory| {
        collect::account(factory, &options).await
    })?
    .map_err(|e| AppError::Usage(e.to_string()))
}

/// Runs `work` against AWS: the one place a tokio runtime is built and the client factory made
/// from the target flags. Shows the spinner while it runs when `progress`, and prints `--stats`
/// on stderr after (the spinner cleared first).
fn on_aws<T>(
    target: &TargetArgs,
    progress: bool,
    work: impl AsyncFnOnce(&ClientFactory) -> T,
) -> Result<T, AppError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    // The request rates come from the configuration file, like the checks' settings.
    let quotas = crate::config::Config::resolve(target.config.as_deref())
        .map_err(|e| AppError::Usage(e.to_string()))?
        .quotas;
    let aws_target = Target {
        quotas,
        ..Target::from(target)
    };
    let stats = Stats::default();
    let spinner = progress.then(|| Progress::start(&stats));
    let (result, (paced, waited)) = runtime.block_on(async {
        let factory = ClientFactory::new(&aws_target, stats.clone()).await;
        let result = work(&factory).await;
        (result, factory.pacing_cost())
    });
    if let Some(spinner) = spinner {
        spinner.finish();
    }
    if target.stats {
        eprint!("{}", stats.render());
        eprintln!(
            "pacing: {paced} request(s) waited for their quota bucket, {:.1} s in all (lambda:GetPolicy {}/s, other Lambda control-plane calls {}/s per account and region)",
            waited.as_secs_f64(),
            quotas.lambda_get_policy,
            quotas.lambda_control_plane
        );
    }
    Ok(result)
}

/// The output buffer: a report of a million findings is written in 1 MiB writes, not 8 KiB ones.
const OUTPUT_BUFFER: usize = 1 << 20;

/// Writes `text` to `path` whole or not at all (see [`write_with`]).
fn write_file(path: &Path, text: &str) -> Result<(), AppError> {
    write_with(Some(path), |out| out.write_all(text.as_bytes()))
}

/// Runs `produce` on `path`, whole or not at all: it writes to `PATH.partial` in the same
/// directory, which is flushed to disk and then renamed over `path` (atomic on one filesystem), so a
/// run that fails half way leaves the previous file, never a truncated one. Without a path it
/// writes to stdout, where a reader closing the pipe (`| head`) is its choice, not an error.
fn write_with(
    path: Option<&Path>,
    produce: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), AppError> {
    let Some(path) = path else {
        let mut out = std::io::BufWriter::with_capacity(OUTPUT_BUFFER, std::io::stdout().lock());
        return match produce(&mut out).and_then(|()| out.flush()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            other => other
                .context("cannot write to stdout")
                .map_err(AppError::Internal),
        };
    };
    // A device, FIFO or socket (`--output /dev/null`, `/dev/stdout`, a named pipe) is written in
    // place: renaming a file over it would replace the device itself.
    let special = std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir());
    if special {
        let written = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .and_then(|file| {
                let mut out = std::io::BufWriter::with_capacity(OUTPUT_BUFFER, file);
                produce(&mut out)?;
                out.flush()
            });
        return written
            .with_context(|| format!("cannot write {}", path.display()))
            .map_err(AppError::Internal);
    }
    let partial = partial_path(path);
    let written = (|| -> std::io::Result<()> {
        let mut file =
            std::io::BufWriter::with_capacity(OUTPUT_BUFFER, std::fs::File::create(&partial)?);
        produce(&mut file)?;
        file.into_inner()
            .map_err(std::io::IntoInnerError::into_error)?
            .sync_all()?;
        std::fs::rename(&partial, path)
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(AppError::Internal(
            anyhow::Error::new(e).context(format!("cannot write {}", path.display())),
        ));
    }
    Ok(())
}

fn write_output(path: Option<&Path>, text: &str) -> Result<(), AppError> {
    write_with(path, |out| out.write_all(text.as_bytes()))
}

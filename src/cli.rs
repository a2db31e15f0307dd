//! The command line (clap derive). Every flag is documented here and in the README.

use crate::aws::Target;
use crate::collect::{Plan, Regions, RunOptions};
use crate::finding::Severity;
use crate::render::Format;
use crate::render::diff::DiffFormat;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// vpcwarden audits how AWS Lambda functions meet VPCs, ENIs and IAM.
#[derive(Debug, Parser)]
#[command(name = "vpcwarden", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// More logging on stderr (-v info, -vv debug); RUST_LOG overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// How stderr's log is written: `text` for people, `json` for log systems (one JSON object
    /// per line, with each account's start, finish and gaps).
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text, env = "VPCWARDEN_LOG_FORMAT")]
    pub log_format: LogFormat,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Collect an account and run the checks (or run them on a saved snapshot or the demo account).
    Audit(AuditArgs),
    /// Collect an account into a snapshot file, without running checks.
    Collect(CollectArgs),
    /// List the checks: code, slug, severity, title.
    Checks,
    /// Show one check's catalog page (by code or slug).
    Explain {
        /// A check code (LAMBDA003) or slug (function-not-in-vpc).
        check: String,
    },
    /// Show what the account holds, for people deciding what to clean up.
    #[command(subcommand)]
    Inventory(InventoryCommand),
    /// Send a saved report's findings somewhere (`export securityhub --from-report FILE`).
    #[command(subcommand)]
    Export(ExportCommand),
    /// Compare two JSON reports (`audit --format json`): new failures, resolved, changed, still
    /// failing, and what one of the scans could not see.
    Diff(DiffArgs),
    /// Put the reports (or snapshots) of a sharded scan's shards back together (`--shard`): the
    /// findings a single process would have reported; a missing shard is named, and the merged
    /// report marked incomplete.
    Merge(MergeArgs),
    /// Render a saved or merged JSON report (`audit --format json`, `merge`) in another format,
    /// e.g. `report --from-report nightly.json --format html --output nightly.html`.
    Report(ReportArgs),
}

/// The formats of stderr's log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Lines for people.
    Text,
    /// JSON lines.
    Json,
}

/// `vpcwarden merge SHARD.json... | --dir DIR`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The shards' JSON reports (`audit --shard ... --format json`), or their snapshots
    /// (`collect --shard ...`); not both kinds.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Also every `*.json` file in this directory (but the output), for engines that run the
    /// merge without a shell to expand a glob.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Output format of a merged report (a merged snapshot is always JSON).
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
    /// Write the output to FILE instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Refuse shard reports whose scans started more than this many hours apart: a report left
    /// over from an earlier run is not part of this one.
    #[arg(long, default_value_t = 12, value_name = "HOURS")]
    pub max_hours_apart: u32,
    /// Exit 3 when a failing finding of the merged report is at or above this severity.
    #[arg(long, value_enum, default_value_t = Severity::Low)]
    pub fail_on: Severity,
}

/// `vpcwarden diff OLD.json NEW.json`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier JSON report (`vpcwarden.findings/v1`).
    #[arg(value_name = "OLD.json")]
    pub old: PathBuf,
    /// The later JSON report.
    #[arg(value_name = "NEW.json")]
    pub new: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Table)]
    pub format: DiffFormat,
    /// Write the output to FILE instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit 3 when a new failure, or a failure whose severity rose, is at or above this severity.
    #[arg(long, value_enum, default_value_t = Severity::Low)]
    pub fail_on: Severity,
}

/// Where findings can be exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportTarget {
    /// AWS Security Hub (BatchImportFindings), keeping CreatedAt and archiving resolved findings.
    Securityhub,
}

/// `vpcwarden export ...`.
#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Import a JSON report (`audit --format json`) into AWS Security Hub.
    Securityhub(ExportArgs),
}

/// Security Hub export settings, shared by `audit --export securityhub` and `export securityhub`.
#[derive(Debug, Args, Clone, Default)]
pub struct SecurityHubArgs {
    /// Send failing and not-evaluated findings only; a finding that now passes is archived instead.
    #[arg(long)]
    pub securityhub_only_failed: bool,
    /// The Security Hub region for account-wide findings (IAM, Organizations); default: the first
    /// scanned region.
    #[arg(long, value_name = "REGION")]
    pub securityhub_region: Option<String>,
}

/// What the table and the HTML page show (`audit`, `report`); the other formats always hold
/// everything.
#[derive(Debug, Args)]
pub struct ViewArgs {
    /// List passing findings too, in the table and the HTML page (JSON always has them).
    #[arg(long)]
    pub show_passed: bool,
    /// Show the findings `[[suppress]]` entries accept in the table too (they are counted in its
    /// summary either way; JSON always has them, marked `suppressed`; the HTML page marks them).
    #[arg(long)]
    pub show_suppressed: bool,
    /// The table's full layout: each finding's whole message, wrapped. By default the table has one
    /// line per finding, with its check's title (JSON, HTML, ASFF, OCSF and CSV always have the
    /// message).
    #[arg(long)]
    pub long: bool,
}

impl ViewArgs {
    /// The renderers' options; colour only when writing to a terminal (`output` is `None` and
    /// stdout is one).
    pub fn options(&self, output: Option<&std::path::Path>) -> crate::render::RenderOptions {
        use std::io::IsTerminal;
        crate::render::RenderOptions {
            show_passed: self.show_passed,
            show_suppressed: self.show_suppressed,
            color: output.is_none() && std::io::stdout().is_terminal(),
            long: self.long,
        }
    }
}

/// `vpcwarden report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The JSON report to render (`vpcwarden.findings/v1`).
    #[arg(long, value_name = "FILE")]
    pub from_report: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the output to FILE instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// What the table and the HTML page show.
    #[command(flatten)]
    pub view: ViewArgs,
}

/// `vpcwarden export securityhub`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Credentials and endpoint (the findings' account).
    #[command(flatten)]
    pub target: TargetArgs,
    /// The JSON report to export (`vpcwarden.findings/v1`).
    #[arg(long, value_name = "FILE")]
    pub from_report: PathBuf,
    /// Security Hub settings.
    #[command(flatten)]
    pub securityhub: SecurityHubArgs,
}

/// `vpcwarden inventory ...`.
#[derive(Debug, Subcommand)]
pub enum InventoryCommand {
    /// Per account and region: each (subnet, security-group set) pair VPC functions use, with its
    /// functions, the Lambda ENIs that serve it and the free IPs of the subnet; functions whose pair has
    /// no ENI (Pending on the next invoke), Inactive functions, and Lambda ENIs no function uses.
    Enis(InventoryArgs),
}

/// `vpcwarden inventory enis`.
#[derive(Debug, Args)]
pub struct InventoryArgs {
    /// Live account, snapshot or demo.
    #[command(flatten)]
    pub source: SourceArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = InventoryFormat::Table)]
    pub format: InventoryFormat,
    /// Write the output to FILE instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// The formats of an inventory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InventoryFormat {
    /// Tables for the terminal.
    Table,
    /// JSON (`vpcwarden.inventory.enis/v1`).
    Json,
}

/// Which account and regions to read, and how.
#[derive(Debug, Args, Clone, Default)]
pub struct TargetArgs {
    /// The AWS profile to use (default: the standard credential chain).
    #[arg(long, env = "AWS_PROFILE")]
    pub profile: Option<String>,
    /// A region to scan; repeat for several. Default: the profile's or environment's region.
    #[arg(long = "region", value_name = "REGION")]
    pub regions: Vec<String>,
    /// Scan every region enabled for the account (EC2 DescribeRegions).
    #[arg(long, conflicts_with = "regions")]
    pub all_regions: bool,
    /// Send every AWS request to this endpoint (an emulator such as moto).
    #[arg(long, env = "AWS_ENDPOINT_URL", value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// How many per-resource calls (GetPolicy, function URL) run at once per region.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,
    /// Attempts per API call, first try included, with exponential backoff on throttling and errors.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=20))]
    pub max_attempts: u32,
    /// Print API calls per service and operation on stderr when done.
    #[arg(long)]
    pub stats: bool,
    /// Settings: approved VPCs, subnets and security groups for the checks, and the API request
    /// rates to keep to (`[quotas]`). Default: ./vpcwarden.toml if present.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Scan every ACTIVE account of the caller's AWS Organization (run it from the management
    /// account or a delegated administrator); suspended and closing accounts are listed as not
    /// scanned.
    #[arg(long)]
    pub organization: bool,
    /// With --organization: only the accounts under this OU (its whole subtree); repeatable.
    #[arg(long = "ou", value_name = "OU_ID", requires = "organization")]
    pub ous: Vec<String>,
    /// With --organization: only these accounts (comma-separated or repeated).
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "ACCOUNT_ID",
        requires = "organization"
    )]
    pub accounts: Vec<String>,
    /// Never scan these accounts (comma-separated or repeated).
    #[arg(long, value_delimiter = ',', value_name = "ACCOUNT_ID")]
    pub exclude_accounts: Vec<String>,
    /// Scan the accounts of this TOML file (`[[accounts]]` with `account_id`, optional `name`,
    /// `role`, `external_id`, `regions`, `tags`); combines with --organization.
    #[arg(long, value_name = "FILE")]
    pub accounts_file: Option<PathBuf>,
    /// The role to assume in each account other than the caller's own.
    #[arg(long, default_value = crate::targets::DEFAULT_ROLE_NAME, value_name = "NAME")]
    pub role_name: String,
    /// `sts:ExternalId` to pass when assuming the role.
    #[arg(long, value_name = "ID")]
    pub external_id: Option<String>,
    /// The session name of the assumed roles (shown in CloudTrail).
    #[arg(long, default_value = crate::targets::DEFAULT_SESSION_NAME, value_name = "NAME")]
    pub role_session_name: String,
    /// How many accounts are collected at once (each paced on its own).
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub account_concurrency: u16,
    /// Scan only this shard's accounts: INDEX of COUNT (0-based), for an organization scan split
    /// over machines. An account's shard depends on its id alone; merge the shards' reports with
    /// `vpcwarden merge`.
    #[arg(long, value_name = "INDEX/COUNT", value_parser = parse_shard, conflicts_with = "shard_count")]
    pub shard: Option<crate::targets::Shard>,
    /// Split into COUNT shards, this one's INDEX read from AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch
    /// array jobs) or JOB_COMPLETION_INDEX (Kubernetes Indexed Jobs).
    #[arg(long, env = "VPCWARDEN_SHARD_COUNT", value_name = "COUNT", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub shard_count: Option<u32>,
}

fn parse_shard(text: &str) -> Result<crate::targets::Shard, String> {
    crate::targets::Shard::parse(text)
}

impl TargetArgs {
    /// The accounts these flags ask for; reads and validates the accounts file.
    pub fn selection(&self) -> Result<crate::targets::Selection, crate::targets::TargetsError> {
        use crate::targets::check_account_ids;
        check_account_ids("--accounts", &self.accounts)?;
        check_account_ids("--exclude-accounts", &self.exclude_accounts)?;
        let file_accounts = match &self.accounts_file {
            Some(path) => crate::targets::load_accounts_file(path)?,
            None => Vec::new(),
        };
        Ok(crate::targets::Selection {
            organization: self.organization,
            ous: self.ous.clone(),
            accounts: self.accounts.clone(),
            exclude_accounts: self.exclude_accounts.clone(),
            file_accounts,
            role_name: self.role_name.clone(),
            external_id: self.external_id.clone().filter(|e| !e.is_empty()),
            session_name: self.role_session_name.clone(),
            account_concurrency: usize::from(self.account_concurrency),
            shard: self.shard()?,
        })
    }

    /// `--shard`, or `--shard-count` with the index from the engine's environment; only for a run
    /// of many accounts.
    pub fn shard(&self) -> Result<Option<crate::targets::Shard>, crate::targets::TargetsError> {
        use crate::targets::{Shard, TargetsError};
        let shard = match (self.shard, self.shard_count) {
            (Some(s), _) => Some(s),
            (None, Some(count)) => Some(
                Shard::from_environment(count, |name| std::env::var(name).ok())
                    .map_err(TargetsError::Shard)?,
            ),
            (None, None) => None,
        };
        if shard.is_some() && !self.organization && self.accounts_file.is_none() {
            return Err(TargetsError::Shard(
                "--shard and --shard-count split a run of many accounts: give --organization or --accounts-file".into(),
            ));
        }
        Ok(shard)
    }

    /// The collection run these flags ask for, with the plan the command needs.
    pub fn run_options(&self, plan: Plan) -> RunOptions {
        RunOptions {
            regions: Regions::from_flags(self.all_regions, &self.regions),
            concurrency: usize::from(self.concurrency),
            plan,
        }
    }
}

/// The SDK side of the flags: the client layer sits below the command line and does not know it.
impl From<&TargetArgs> for Target {
    fn from(a: &TargetArgs) -> Self {
        Target {
            profile: a.profile.clone().filter(|p| !p.is_empty()),
            endpoint_url: a.endpoint_url.clone().filter(|e| !e.is_empty()),
            max_attempts: a.max_attempts,
            quotas: crate::config::Quotas::default(),
            regions: a.regions.clone(),
        }
    }
}

/// Where the data comes from: a live account (the target flags), a saved snapshot, or the demo.
#[derive(Debug, Args, Clone, Default)]
pub struct SourceArgs {
    /// Where to read from.
    #[command(flatten)]
    pub target: TargetArgs,
    /// Read a snapshot saved by `collect` or `--save-snapshot`, with no AWS calls. (`--profile` and
    /// `--endpoint-url` are ignored then: they are often set through AWS_PROFILE/AWS_ENDPOINT_URL.)
    #[arg(long, value_name = "FILE", conflicts_with_all = ["demo", "regions", "all_regions"])]
    pub from_snapshot: Option<PathBuf>,
    /// Use the built-in demo account (no credentials needed).
    #[arg(long, conflicts_with_all = ["regions", "all_regions"])]
    pub demo: bool,
}

/// `vpcwarden audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Live account, snapshot or demo.
    #[command(flatten)]
    pub source: SourceArgs,
    /// Also write the collected snapshot to FILE.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["from_snapshot"])]
    pub save_snapshot: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the output to FILE instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Run only these checks (codes or slugs, comma-separated or repeated).
    #[arg(long, value_delimiter = ',', value_name = "CHECK")]
    pub checks: Vec<String>,
    /// Skip these checks (codes or slugs).
    #[arg(long, value_delimiter = ',', value_name = "CHECK")]
    pub exclude_checks: Vec<String>,
    /// Exit 3 when a failing finding is at or above this severity.
    #[arg(long, value_enum, default_value_t = Severity::Low)]
    pub fail_on: Severity,
    /// What the table and the HTML page show.
    #[command(flatten)]
    pub view: ViewArgs,
    /// Compare with an earlier JSON report (`audit --format json`), as `vpcwarden diff` does: the
    /// exit code and `--fail-on` then consider only new failures (and failures whose severity
    /// rose), and the table marks them.
    #[arg(long, value_name = "OLD.json")]
    pub baseline: Option<PathBuf>,
    /// Passing findings carry only what identifies them (id, check, severity, status, account,
    /// region, resource): no message or evidence, and in JSON no title, slug, compliance or
    /// remediation (the catalog has them by code). For large scans, where passing findings are most
    /// of the report and of the memory it takes; failing and not-evaluated findings are unchanged.
    #[arg(long)]
    pub compact_pass: bool,
    /// After the audit, import the findings into this service (live audits; for a saved report use
    /// `vpcwarden export securityhub --from-report FILE`).
    #[arg(long, value_enum, conflicts_with_all = ["from_snapshot", "demo"])]
    pub export: Option<ExportTarget>,
    /// Security Hub settings.
    #[command(flatten)]
    pub securityhub: SecurityHubArgs,
}

/// `vpcwarden collect`.
#[derive(Debug, Args)]
pub struct CollectArgs {
    /// Where to read from.
    #[command(flatten)]
    pub target: TargetArgs,
    /// The snapshot file to write (stdout when absent).
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

//! Collectors: AWS → snapshot. Regions run concurrently, IAM and Organizations once per account,
//! per-resource calls under a bound; every failed call becomes a gap, never a silent omission.

mod ec2;
pub mod fleet;
mod iam;
mod lambda;
pub mod org_tree;
mod organizations;

pub use crate::aws::Stats;
pub use ec2::network_in_region;
pub use iam::iam_of_account;
pub use lambda::functions_in_region;
pub use organizations::organizations_of_account;

use crate::aws::{ApiFailure, ClientFactory};
use crate::snapshot::{
    Account, CollectedBy, Gap, Organizations, RegionData, SCHEMA_VERSION, Snapshot,
};
use aws_smithy_async::future::pagination_stream::PaginationStream;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use futures::future::join_all;
use tracing::info;

/// Why collection could not start (per-call failures are gaps, not errors). Each is the user's to fix:
/// credentials, region, or a permission.
#[derive(Debug, thiserror::Error)]
pub enum CollectError {
    /// STS GetCallerIdentity failed: no usable credentials.
    #[error(
        "cannot identify the AWS account (sts:GetCallerIdentity): {0}. Check the profile or credentials."
    )]
    Identity(ApiFailure),
    /// No region was given and none is configured.
    #[error(
        "no region: pass --region REGION (repeatable) or --all-regions, or set AWS_REGION or the profile's region"
    )]
    NoRegion,
    /// `--all-regions` needs ec2:DescribeRegions, and it failed.
    #[error("cannot list the account's regions for --all-regions (ec2:DescribeRegions): {0}")]
    Regions(ApiFailure),
}

/// A gap for a failed call.
pub fn gap(
    account_id: &str,
    region: &str,
    service: &str,
    operation: &str,
    resource: Option<&str>,
    failure: &ApiFailure,
) -> Gap {
    Gap {
        account_id: account_id.to_string(),
        region: region.to_string(),
        service: service.to_string(),
        operation: operation.to_string(),
        resource: resource.map(str::to_string),
        error_code: failure.code.clone(),
        message: failure.message.clone(),
    }
}

/// Reads a paginated stream to its end or its first error; what was read before an error is kept.
pub async fn drain<T, E>(
    mut stream: PaginationStream<Result<T, SdkError<E, HttpResponse>>>,
) -> (Vec<T>, Option<ApiFailure>)
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let mut items = Vec::new();
    while let Some(next) = stream.next().await {
        match next {
            Ok(item) => items.push(item),
            Err(err) => return (items, Some(ApiFailure::from_sdk(&err))),
        }
    }
    (items, None)
}

/// Whether a region belongs to a partition (`cn-*` to `aws-cn`, `us-gov-*` to `aws-us-gov`,
/// `us-iso*` to the ISO partitions, the rest to `aws`).
fn region_in_partition(region: &str, partition: &str) -> bool {
    let of_region = if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else if region.starts_with("us-isob-") {
        "aws-iso-b"
    } else if region.starts_with("us-iso-") {
        "aws-iso"
    } else {
        "aws"
    };
    of_region == partition
}

/// Which per-function reads to make. Each is one call per function against a per-region quota, so
/// a run whose checks do not need one skips it; the functions then say `not_collected` for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    /// `lambda:GetPolicy` for every function.
    pub function_policies: bool,
    /// `lambda:GetFunctionUrlConfig` for every function.
    pub function_urls: bool,
    /// `ListFunctions` with `FunctionVersion=ALL`: the published versions too, whose VPC
    /// attachments keep ENI pairs in use (more pages of the same call).
    pub function_versions: bool,
}

impl Plan {
    /// Everything (`collect`, and audits whose checks need both).
    pub const ALL: Plan = Plan {
        function_policies: true,
        function_urls: true,
        function_versions: true,
    };
}

/// Which regions a run covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Regions {
    /// The region of the profile or environment (no `--region`, no `--all-regions`).
    Configured,
    /// Every region enabled for the account, in the caller's partition (`--all-regions`).
    All,
    /// These regions (`--region`, repeatable); sorted and deduplicated by the run.
    Listed(Vec<String>),
}

impl Regions {
    /// From the command line's two region flags: `--all-regions` wins, an empty list means the
    /// configured region.
    pub fn from_flags(all_regions: bool, regions: &[String]) -> Regions {
        if all_regions {
            Regions::All
        } else if regions.is_empty() {
            Regions::Configured
        } else {
            Regions::Listed(regions.to_vec())
        }
    }
}

/// What one collection run covers and how hard it pushes, in one value so a new dimension of a run
/// (next: which accounts of an organization) is one more field, not one more argument everywhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunOptions {
    /// The regions to collect.
    pub regions: Regions,
    /// Per-resource calls (GetPolicy, function URL) in flight per region; 0 counts as 1.
    pub concurrency: usize,
    /// Which per-function reads to make.
    pub plan: Plan,
}

/// Collects one account (the one the credentials belong to) as `options` say.
pub async fn account(
    factory: &ClientFactory,
    options: &RunOptions,
) -> Result<Snapshot, CollectError> {
    let collected_at = crate::now_rfc3339();
    let account = one_account(factory, options, None).await?;
    let mut snapshot = Snapshot {
        schema_version: SCHEMA_VERSION.to_string(),
        collected_at,
        collected_by: CollectedBy {
            tool: crate::TOOL_VERSION.to_string(),
            caller_arn: account.caller_arn.clone(),
        },
        accounts: vec![account],
        not_scanned: Vec::new(),
        organization_accounts: Vec::new(),
        shard: None,
    };
    snapshot.normalize();
    Ok(snapshot)
}

/// Collects the account `factory`'s credentials belong to. `organizations`: what an organization
/// run already read for it (its SCP levels, or the gaps of that read); `None` asks Organizations
/// from the account itself.
pub(crate) async fn one_account(
    factory: &ClientFactory,
    options: &RunOptions,
    organizations: Option<(Option<Organizations>, Vec<Gap>)>,
) -> Result<Account, CollectError> {
    let plan = options.plan;
    let concurrency = options.concurrency.max(1);
    let first = match &options.regions {
        Regions::Listed(list) => list.first().map(String::as_str),
        Regions::Configured | Regions::All => None,
    };
    let identity = factory
        .sts(first)
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| CollectError::Identity(ApiFailure::from_sdk(&e)))?;
    let account_id = identity.account().unwrap_or_default().to_string();
    let caller_arn = identity.arn().unwrap_or_default().to_string();
    let partition = caller_arn.split(':').nth(1).unwrap_or("aws").to_string();
    info!(account = %account_id, caller = %caller_arn, "identified");

    let mut regions: Vec<String> = match &options.regions {
        Regions::All => {
            let home = factory
                .default_region()
                .unwrap_or_else(|| "us-east-1".to_string());
            let out = factory
                .ec2(&home)
                .describe_regions()
                .send()
                .await
                .map_err(|e| CollectError::Regions(ApiFailure::from_sdk(&e)))?;
            // Without AllRegions, AWS lists only the enabled regions; the filter also keeps an
            // emulator's not-opted-in regions out.
            out.regions()
                .iter()
                .filter(|r| {
                    matches!(
                        r.opt_in_status(),
                        None | Some("opt-in-not-required") | Some("opted-in")
                    )
                })
                .filter(|r| region_in_partition(r.region_name().unwrap_or_default(), &partition))
                .filter_map(|r| r.region_name().map(str::to_string))
                .collect()
        }
        Regions::Configured => vec![factory.default_region().ok_or(CollectError::NoRegion)?],
        Regions::Listed(list) => list.clone(),
    };
    regions.sort();
    regions.dedup();
    info!(regions = ?regions, "collecting");

    let home = regions.first().map(String::as_str);
    let iam_client = factory.iam(home);
    let org_client = factory.organizations(home);
    let iam_fut = iam_of_account(&iam_client, &account_id);
    let org_fut = async {
        match organizations {
            Some(known) => known,
            None => organizations_of_account(&org_client, &account_id).await,
        }
    };
    let regions_fut = join_all(regions.iter().map(|region| {
        let account_id = account_id.as_str();
        async move {
            let lambda_client = factory.lambda(region);
            let policy_client = factory.lambda_policy(region);
            let ec2_client = factory.ec2(region);
            let ((lambda, mut gaps), (ec2, ec2_gaps)) = tokio::join!(
                functions_in_region(
                    &lambda_client,
                    &policy_client,
                    account_id,
                    region,
                    concurrency,
                    plan,
                ),
                network_in_region(&ec2_client, account_id, region),
            );
            gaps.extend(ec2_gaps);
            (
                RegionData {
                    region: region.clone(),
                    lambda,
                    ec2,
                },
                gaps,
            )
        }
    }));
    let ((iam, iam_gaps), (organizations, org_gaps), region_results) =
        tokio::join!(iam_fut, org_fut, regions_fut);

    let mut gaps = iam_gaps;
    gaps.extend(org_gaps);
    let mut region_data = Vec::new();
    for (data, region_gaps) in region_results {
        gaps.extend(region_gaps);
        region_data.push(data);
    }
    Ok(Account {
        account_id,
        partition,
        caller_arn,
        regions: region_data,
        iam,
        organizations,
        gaps,
        name: None,
        ou_path: None,
    })
}

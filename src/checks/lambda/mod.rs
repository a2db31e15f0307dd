//! Checks on Lambda functions.

pub mod function_layer_cross_account;
pub mod function_no_egress;
pub mod function_not_in_vpc;
pub mod function_policy_public;
pub mod function_policy_unscoped_service;
pub mod function_public_subnet;
pub mod function_runtime_deprecated;
pub mod function_single_az;
pub mod function_url_auth_none;
pub mod function_url_cors_wildcard;
pub mod resource_policy;

use crate::checks::inputs::{LIST_CAPACITY_PROVIDERS, LIST_FUNCTIONS};
use crate::checks::{CheckContext, Findings};
use crate::finding::{FindingBuilder, FindingError, Status};
use crate::snapshot::{Account, Function, RegionData, VpcConfig};

/// Runs `judge` on every function of every collected region that `keep` selects, with a builder for
/// its finding (the function's ARN and name filled in).
///
/// A region whose `ListFunctions` failed gets one `not_evaluated` finding on the account (the
/// functions that were listed are still judged). A function whose region or account has a gap on
/// another input the check `requires` gets a `not_evaluated` finding naming that gap instead of a
/// verdict. Per-function reads (a policy, a URL) arrive on the function as `Collected` values, which
/// the check cannot read without saying what it does when they are missing.
pub fn each_function<'t>(
    ctx: &CheckContext<'_>,
    out: &mut Findings<'t>,
    keep: fn(&Function) -> bool,
    mut judge: impl FnMut(
        &Account,
        &RegionData,
        &Function,
        FindingBuilder<'t>,
        &mut Findings<'t>,
    ) -> Result<(), FindingError>,
) -> Result<(), FindingError> {
    for account in &ctx.snapshot.accounts {
        for region in &account.regions {
            if let Some(gap) = LIST_FUNCTIONS.gap_in(account, &region.region) {
                out.region_not_evaluated(account, &region.region, gap)?;
            }
            let missing = out.required_gap(account, &region.region, LIST_FUNCTIONS);
            for function in region.lambda.functions.iter().filter(|f| keep(f)) {
                match missing {
                    Some(gap) => {
                        out.not_evaluated(account, &region.region, None, &function.arn, gap)?
                    }
                    None => {
                        let b = function_finding(out, account, region, function);
                        judge(account, region, function, b, out)?
                    }
                }
            }
        }
    }
    Ok(())
}

/// A builder for a finding on `function`, its name as evidence.
fn function_finding<'t>(
    out: &Findings<'t>,
    account: &Account,
    region: &RegionData,
    function: &Function,
) -> FindingBuilder<'t> {
    out.builder(&account.account_id, &region.region)
        .resource(&function.arn)
        .evidence("function_name", function.name.as_str())
}

/// Functions with a network to judge: attached to a VPC (at least one subnet), or running on a
/// capacity provider (Lambda Managed Instances), whose subnets are theirs.
pub fn in_vpc(function: &Function) -> bool {
    function.vpc().is_some() || function.capacity_provider_arn.is_some()
}

/// The network `function` runs in (its VPC attachment or its capacity provider's, see
/// [`RegionData::network_of`]), with the builder carrying the provider's ARN when there is one.
/// For a function on a provider that was not collected, emits its `not_evaluated` finding (naming
/// the `ListCapacityProviders` gap when there is one) and returns `None`.
pub fn network<'r, 't>(
    account: &Account,
    region: &'r RegionData,
    function: &'r Function,
    b: FindingBuilder<'t>,
    out: &mut Findings<'t>,
) -> Result<Option<(Option<&'r VpcConfig>, FindingBuilder<'t>)>, FindingError> {
    match region.network_of(function) {
        Ok(net) => {
            let b = match &function.capacity_provider_arn {
                Some(arn) => b.evidence("capacity_provider", arn.as_str()),
                None => b,
            };
            Ok(Some((net, b)))
        }
        Err(arn) => {
            match LIST_CAPACITY_PROVIDERS.gap_in(account, &region.region) {
                Some(gap) => out.not_evaluated(account, &region.region, None, &function.arn, gap)?,
                None => out.push(
                    b.status(Status::NotEvaluated)
                        .evidence("reason", "capacity_provider_unknown")
                        .evidence("capacity_provider", arn)
                        .message(format!(
                            "Not evaluated: Lambda function {} runs on capacity provider {arn}, which was not collected, so its network is unknown.",
                            function.name
                        )),
                )?,
            }
            Ok(None)
        }
    }
}

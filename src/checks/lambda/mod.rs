//! Checks on Lambda functions.

pub mod function_no_egress;
pub mod function_not_in_vpc;
pub mod function_public_subnet;
pub mod function_single_az;

use crate::checks::{CheckContext, Findings, first_gap};
use crate::finding::FindingError;
use crate::snapshot::{Account, Function, RegionData};

/// Runs `judge` on every function of every collected region that `keep` selects.
///
/// A region whose `ListFunctions` failed gets one `not_evaluated` finding on the account (the
/// functions that were listed are still judged). A function whose region lacks one of the lists the
/// check `needs` (service, operation) gets a `not_evaluated` finding naming that gap instead of a
/// verdict.
pub fn each_function(
    ctx: &CheckContext<'_>,
    out: &mut Findings<'_>,
    keep: fn(&Function) -> bool,
    needs: &[(&str, &str)],
    mut judge: impl FnMut(
        &Account,
        &RegionData,
        &Function,
        &mut Findings<'_>,
    ) -> Result<(), FindingError>,
) -> Result<(), FindingError> {
    for account in &ctx.snapshot.accounts {
        for region in &account.regions {
            if let Some(gap) = account.gap(&region.region, "lambda", "ListFunctions") {
                out.region_not_evaluated(account, &region.region, gap)?;
            }
            let missing = first_gap(account, &region.region, needs);
            for function in region.lambda.functions.iter().filter(|f| keep(f)) {
                match missing {
                    Some(gap) => {
                        out.not_evaluated(account, &region.region, None, &function.arn, gap)?
                    }
                    None => judge(account, region, function, out)?,
                }
            }
        }
    }
    Ok(())
}

/// Functions attached to a VPC (at least one subnet).
pub fn in_vpc(function: &Function) -> bool {
    function.vpc().is_some()
}

//! Checks on EC2 network resources that Lambda functions use: their ENIs and VPC endpoints.

pub mod eni_orphaned;
pub mod vpc_endpoint_sg_open;

use crate::checks::inputs::Input;
use crate::checks::{CheckContext, Findings};
use crate::finding::FindingError;
use crate::snapshot::{Account, Gap, RegionData};

/// Runs `judge` on every collected region. A region whose `own` list (the resources the check judges)
/// failed first gets one `not_evaluated` finding on the account, and what was listed is still judged.
/// `judge` receives the region's first gap on another input the check `requires`: each resource it
/// lists is `not_evaluated` with that gap instead of a verdict.
pub fn each_region(
    ctx: &CheckContext<'_>,
    out: &mut Findings<'_>,
    own: Input,
    mut judge: impl FnMut(
        &Account,
        &RegionData,
        Option<&Gap>,
        &mut Findings<'_>,
    ) -> Result<(), FindingError>,
) -> Result<(), FindingError> {
    for account in &ctx.snapshot.accounts {
        for region in &account.regions {
            if let Some(gap) = own.gap_in(account, &region.region) {
                out.region_not_evaluated(account, &region.region, gap)?;
            }
            let gate = out.required_gap(account, &region.region, &[own]);
            judge(account, region, gate, out)?;
        }
    }
    Ok(())
}

/// The ARN of an EC2 resource (`network-interface/eni-...`, `vpc-endpoint/vpce-...`).
pub fn ec2_arn(account: &Account, region: &str, kind: &str, id: &str) -> String {
    format!(
        "arn:{}:ec2:{region}:{}:{kind}/{id}",
        account.partition, account.account_id
    )
}

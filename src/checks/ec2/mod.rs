//! Checks on EC2 network resources that Lambda functions use: their ENIs and VPC endpoints.

pub mod eni_orphaned;
pub mod vpc_endpoint_sg_open;

use crate::checks::{CheckContext, Findings};
use crate::finding::FindingError;
use crate::snapshot::{Account, RegionData};

/// Runs `judge` on every collected region; a region whose `list` (an EC2 operation) failed first gets
/// one `not_evaluated` finding on the account, and what was listed is still judged.
pub fn each_region(
    ctx: &CheckContext<'_>,
    out: &mut Findings<'_>,
    list: &str,
    mut judge: impl FnMut(&Account, &RegionData, &mut Findings<'_>) -> Result<(), FindingError>,
) -> Result<(), FindingError> {
    for account in &ctx.snapshot.accounts {
        for region in &account.regions {
            if let Some(gap) = account.gap(&region.region, "ec2", list) {
                out.region_not_evaluated(account, &region.region, gap)?;
            }
            judge(account, region, out)?;
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

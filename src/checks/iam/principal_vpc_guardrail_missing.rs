//! IAM002 `principal-vpc-guardrail-missing`: a user or role that may create or reconfigure Lambda
//! functions, or create capacity providers, is not kept to the approved VPCs, subnets and security
//! groups.

use super::guardrail;
use crate::checks::guardrail::Guardrail;
use crate::checks::{CheckContext, CheckDef, Findings};
use crate::finding::FindingError;

/// The registry line.
pub const CHECK: CheckDef = CheckDef {
    catalog: include_str!("../../../checks/iam/IAM002-principal-vpc-guardrail-missing.md"),
    run,
    options: None,
};

fn run(ctx: &CheckContext<'_>, out: &mut Findings<'_>) -> Result<(), FindingError> {
    guardrail::run(ctx, out, Guardrail::Network)
}

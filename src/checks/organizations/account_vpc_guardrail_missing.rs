//! ORG001 `account-vpc-guardrail-missing`: no SCP keeps the account's Lambda functions and capacity
//! providers in approved VPCs, so every principal with Lambda rights needs a guardrail of its own.

use super::guardrail;
use crate::checks::guardrail::Guardrail;
use crate::checks::{CheckContext, CheckDef, Findings};
use crate::finding::FindingError;

/// The registry line.
pub const CHECK: CheckDef = CheckDef {
    catalog: include_str!("../../../checks/organizations/ORG001-account-vpc-guardrail-missing.md"),
    run,
    options: None,
};

fn run(ctx: &CheckContext<'_>, out: &mut Findings<'_>) -> Result<(), FindingError> {
    guardrail::run(ctx, out, Guardrail::Network)
}

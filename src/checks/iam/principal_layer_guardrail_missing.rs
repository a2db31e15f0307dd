//! IAM007 `principal-layer-guardrail-missing`: a user or role that may create or reconfigure Lambda
//! functions may attach a layer published by an account that is neither its own nor trusted.

use super::guardrail;
use crate::checks::guardrail::Guardrail;
use crate::checks::{CheckContext, CheckDef, Findings};
use crate::finding::FindingError;

/// The registry line.
pub const CHECK: CheckDef = CheckDef {
    catalog: include_str!("../../../checks/iam/IAM007-principal-layer-guardrail-missing.md"),
    run,
    options: None,
};

fn run(ctx: &CheckContext<'_>, out: &mut Findings<'_>) -> Result<(), FindingError> {
    guardrail::run(ctx, out, Guardrail::Layer)
}

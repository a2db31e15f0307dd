//! LAMBDA107 `capacity-provider-shared-roles`: a capacity provider (Lambda Managed Instances) runs
//! functions of different execution roles, although AWS makes the provider, not the function, the
//! isolation boundary.

use super::each_provider;
use crate::checks::inputs::LIST_FUNCTIONS;
use crate::checks::{CheckContext, CheckDef, Findings, not_evaluated_on};
use crate::finding::{FindingError, Status};
use serde_json::json;
use std::collections::BTreeMap;

/// The registry line.
pub const CHECK: CheckDef = CheckDef {
    catalog: include_str!("../../../checks/lambda/LAMBDA107-capacity-provider-shared-roles.md"),
    run,
    options: None,
};

fn run(ctx: &CheckContext<'_>, out: &mut Findings<'_>) -> Result<(), FindingError> {
    each_provider(ctx, out, |account, region, provider, b, out| {
        // A function that a failed ListFunctions did not return may run on any provider.
        if let Some(gap) = LIST_FUNCTIONS.gap_in(account, &region.region) {
            return out.push(not_evaluated_on(b, gap));
        }
        let mut roles: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for f in region
            .lambda
            .functions
            .iter()
            .filter(|f| f.capacity_provider_arn.as_deref() == Some(provider.arn.as_str()))
        {
            roles
                .entry(f.role.as_str())
                .or_default()
                .push(f.name.as_str());
        }
        let b = b.evidence("execution_roles", json!(roles));
        if roles.len() > 1 {
            out.push(b.status(Status::Fail).message(format_args!(
                "Capacity provider {} runs functions of {} different execution roles ({}): functions on one provider are not isolated from each other, so each can reach what the others' roles can.",
                provider.name(),
                roles.len(),
                roles.keys().copied().collect::<Vec<_>>().join(", ")
            )))
        } else {
            out.push(b.status(Status::Pass).message(match roles.keys().next() {
                Some(role) => format!(
                    "Capacity provider {} runs functions of one execution role ({role}).",
                    provider.name()
                ),
                None => format!("Capacity provider {} runs no function.", provider.name()),
            }))
        }
    })
}

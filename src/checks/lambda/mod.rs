//! Checks on Lambda functions.

pub mod capacity_provider_operator_role_broad;
pub mod capacity_provider_shared_roles;
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

use crate::checks::inputs::{LIST_ALIASES, LIST_CAPACITY_PROVIDERS, LIST_FUNCTIONS};
use crate::checks::{CheckContext, Findings};
use crate::finding::{Finding, FindingBuilder, FindingError, Status};
use crate::snapshot::{Account, CapacityProvider, Collected, Function, RegionData, VpcConfig};

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
            let missing = out.required_gap(account, &region.region, &[LIST_FUNCTIONS]);
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

/// Like [`each_function`], for the checks of what a resource policy or a URL exposes: `judge` sees
/// each invocation surface of a function in turn (the function itself, then each alias and
/// published version as a function whose ARN and name carry the qualifier, with that qualifier's
/// policy and URL), and the function gets **one** finding, on its unqualified ARN so its id is
/// stable: the first failing surface's, else the first not evaluated one's, else the function's
/// own pass. `surfaces` in the evidence lists every qualifier with its status.
///
/// When the qualifiers were not read (`ListAliases` failed, or the published versions were not
/// listed), a failure on what was read stands, and anything else is `not_evaluated`: the alias
/// nobody read may be the public one.
pub fn each_surface<'t>(
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
    each_function(ctx, out, keep, |account, region, function, b, out| {
        let mut judged: Vec<(Option<String>, Box<Finding>)> = Vec::new();
        for view in function.surfaces() {
            let qualifier = view
                .arn
                .strip_prefix(&*function.arn)
                .and_then(|q| q.strip_prefix(':'))
                .map(str::to_string);
            // The builders are `out`'s: a pass is as lean as `out` wants it.
            let mut scratch = Findings {
                check: out.check,
                out: Vec::new(),
                detail: out.detail,
                // The configured severity is applied once, when `out` keeps the one picked.
                setting: None,
            };
            let vb = match &qualifier {
                None => b.clone(),
                Some(q) => b.clone().evidence("qualifier", q.as_str()),
            };
            judge(account, region, &view, vb, &mut scratch)?;
            judged.extend(scratch.out.into_iter().map(|f| (qualifier.clone(), f)));
        }
        let listed: Vec<serde_json::Value> = judged
            .iter()
            .filter_map(|(q, f)| {
                q.as_ref()
                    .map(|q| serde_json::json!({"qualifier": q, "status": f.status.as_str()}))
            })
            .collect();
        let pick = judged
            .iter()
            .position(|(_, f)| f.status == Status::Fail)
            .or_else(|| {
                judged
                    .iter()
                    .position(|(_, f)| f.status == Status::NotEvaluated)
            })
            .unwrap_or(0);
        if judged.is_empty() {
            return Ok(());
        }
        let (_, mut finding) = judged.swap_remove(pick);
        // Qualified views keep the function's unqualified ARN (the builder's), whatever their own.
        finding.resource_arn = function.arn.clone();
        if !listed.is_empty() && !out.detail.strips(finding.status) {
            finding.evidence.update(|e| {
                e.insert("surfaces".into(), serde_json::Value::Array(listed));
            });
        }
        // A pass on what was read is not a pass while a qualifier went unread; a not-evaluated
        // verdict keeps its own, more specific reason.
        if finding.status == Status::Pass
            && matches!(
                function.qualifiers,
                crate::snapshot::Collected::NotCollected
            )
        {
            return out.push(resource_policy::not_collected(
                account,
                function,
                LIST_ALIASES,
                b.evidence("reason_detail", "aliases and published versions not read"),
            ));
        }
        out.keep(finding);
        Ok(())
    })
}

/// A builder for a finding on `function`, its name as evidence.
fn function_finding<'t>(
    out: &Findings<'t>,
    account: &Account,
    region: &RegionData,
    function: &Function,
) -> FindingBuilder<'t> {
    out.builder(&account.account_id, &region.region)
        .resource_shared(&function.arn)
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
                        .message(format_args!(
                            "Not evaluated: Lambda function {} runs on capacity provider {arn}, which was not collected, so its network is unknown.",
                            function.name
                        )),
                )?,
            }
            Ok(None)
        }
    }
}

/// What the placement checks judge: a function in its network (its own VPC attachment, or its
/// capacity provider's), or a capacity provider itself, whose network its instances use.
#[derive(Debug, Clone, Copy)]
pub struct Placed<'r> {
    /// How messages name it: "Lambda function" or "Capacity provider".
    pub noun: &'static str,
    /// Its name.
    pub name: &'r str,
    /// Its network (`None`: no VPC).
    pub network: Option<&'r VpcConfig>,
    /// The function, when it is one.
    pub function: Option<&'r Function>,
}

impl<'r> Placed<'r> {
    /// A function in `network`.
    pub fn function(function: &'r Function, network: Option<&'r VpcConfig>) -> Self {
        Placed {
            noun: "Lambda function",
            name: &function.name,
            network,
            function: Some(function),
        }
    }

    /// A capacity provider in its own network.
    pub fn provider(provider: &'r CapacityProvider) -> Self {
        Placed {
            noun: "Capacity provider",
            name: provider.name(),
            network: Some(&provider.vpc_config).filter(|v| !v.subnet_ids.is_empty()),
            function: None,
        }
    }

    /// "Lambda function NAME", "Capacity provider NAME".
    pub fn subject(&self) -> String {
        format!("{} {}", self.noun, self.name)
    }
}

/// Runs `judge` on everything a placement check judges: each function with a network (see
/// [`in_vpc`] and [`network`]), then each capacity provider ([`each_provider`]).
pub fn each_placed<'t>(
    ctx: &CheckContext<'_>,
    out: &mut Findings<'t>,
    mut judge: impl FnMut(
        &Account,
        &RegionData,
        Placed<'_>,
        FindingBuilder<'t>,
        &mut Findings<'t>,
    ) -> Result<(), FindingError>,
) -> Result<(), FindingError> {
    each_function(ctx, out, in_vpc, |account, region, function, b, out| {
        let Some((net, b)) = network(account, region, function, b, out)? else {
            return Ok(());
        };
        judge(account, region, Placed::function(function, net), b, out)
    })?;
    each_provider(ctx, out, |account, region, provider, b, out| {
        judge(account, region, Placed::provider(provider), b, out)
    })
}

/// Runs `judge` on every capacity provider of every collected region, with a builder for its
/// finding (resource type `Other`: Security Hub has none for capacity providers; the provider's
/// name as evidence). A region whose `ListCapacityProviders` failed gets one `not_evaluated`
/// finding on the account; a provider whose region has a gap on another input the check
/// `requires` (other than `ListFunctions`, which providers do not need) is `not_evaluated` with it.
pub fn each_provider<'t>(
    ctx: &CheckContext<'_>,
    out: &mut Findings<'t>,
    mut judge: impl FnMut(
        &Account,
        &RegionData,
        &CapacityProvider,
        FindingBuilder<'t>,
        &mut Findings<'t>,
    ) -> Result<(), FindingError>,
) -> Result<(), FindingError> {
    for account in &ctx.snapshot.accounts {
        for region in &account.regions {
            if let Some(gap) = LIST_CAPACITY_PROVIDERS.gap_in(account, &region.region) {
                out.region_not_evaluated(account, &region.region, gap)?;
            }
            let Collected::Present(providers) = &region.lambda.capacity_providers else {
                continue;
            };
            let missing = out.required_gap(
                account,
                &region.region,
                &[LIST_CAPACITY_PROVIDERS, LIST_FUNCTIONS],
            );
            for provider in providers {
                match missing {
                    Some(gap) => out.not_evaluated(
                        account,
                        &region.region,
                        Some(PROVIDER_RESOURCE_TYPE),
                        &provider.arn,
                        gap,
                    )?,
                    None => {
                        let b = out
                            .builder(&account.account_id, &region.region)
                            .resource_of_type(PROVIDER_RESOURCE_TYPE, &provider.arn)
                            .evidence("capacity_provider_name", provider.name());
                        judge(account, region, provider, b, out)?
                    }
                }
            }
        }
    }
    Ok(())
}

/// The ASFF resource type of a capacity provider's findings (Security Hub has none of its own).
pub const PROVIDER_RESOURCE_TYPE: &str = "Other";

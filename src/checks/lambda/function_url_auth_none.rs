//! LAMBDA104 `function-url-auth-none`: a function URL anyone can call without signing (AuthType
//! NONE); high when the resource policy also admits anonymous URL calls.

use super::each_surface;
use super::resource_policy::{
    FunctionPolicy, cite, load_url, policy_of, unavailable, url_decision,
};
use crate::checks::{CheckContext, CheckDef, Findings};
use crate::finding::{FindingBuilder, FindingError, Severity, Status};
use crate::policy::Decision;
use crate::snapshot::{Account, Function, RegionData};

/// The registry line.
pub const CHECK: CheckDef = CheckDef {
    catalog: include_str!("../../../checks/lambda/LAMBDA104-function-url-auth-none.md"),
    run,
    options: None,
};

fn run(ctx: &CheckContext<'_>, out: &mut Findings<'_>) -> Result<(), FindingError> {
    each_surface(ctx, out, |_| true, judge)
}

fn judge<'t>(
    account: &Account,
    _region: &RegionData,
    function: &Function,
    b: FindingBuilder<'t>,
    out: &mut Findings<'t>,
) -> Result<(), FindingError> {
    let Some(url) = load_url(account, function, b.clone(), out)? else {
        return Ok(());
    };
    let b = b
        .evidence("url", url.url.as_str())
        .evidence("auth_type", url.auth_type.as_str());
    if !url.auth_type.eq_ignore_ascii_case("NONE") {
        return out.push(b.status(Status::Pass).message(format_args!(
            "The function URL of {} requires IAM authentication ({}).",
            function.name, url.auth_type
        )));
    }
    // How bad: does the resource policy let anonymous callers through? Without the policy the URL
    // still fails (AuthType NONE is the finding); only the severity cannot be raised.
    let policy = match policy_of(function) {
        Ok(p) => p,
        Err(why) => {
            let missing = unavailable(account, function, why, b.clone()).build()?;
            return out.push(
                b.status(Status::Fail)
                    .evidence("public_invocation", None::<bool>)
                    .evidence("policy_unavailable", missing.evidence.to_map())
                    .message(format_args!(
                        "The function URL {} of {} has AuthType NONE: no caller is authenticated. Whether the resource policy admits anonymous callers is unknown: {}",
                        url.url,
                        function.name,
                        missing.message.trim_start_matches("Not evaluated: ")
                    )),
            );
        }
    };
    let decision = match &policy {
        FunctionPolicy::None => None,
        FunctionPolicy::Present(p, _) => Some(url_decision(account, function, "NONE", p)),
    };
    match (&decision, &policy) {
        (Some(d @ Decision::Allowed { .. }), FunctionPolicy::Present(_, doc)) => out.push(
            b.status(Status::Fail)
                .severity(Severity::High)
                .evidence("public_invocation", true)
                .evidence("allowed_by", cite(d, doc))
                .message(format_args!(
                    "The function URL {} of {} has AuthType NONE and the resource policy admits anonymous callers: anyone on the internet can invoke the function.",
                    url.url, function.name
                )),
        ),
        (Some(d @ Decision::Unknown { reason, .. }), FunctionPolicy::Present(_, doc)) => out.push(
            b.status(Status::Fail)
                .evidence("public_invocation", None::<bool>)
                .evidence("unknown", reason.as_str())
                .evidence("statements", cite(d, doc))
                .message(format_args!(
                    "The function URL {} of {} has AuthType NONE; whether the resource policy admits anonymous callers depends on facts not known: {reason}.",
                    url.url, function.name
                )),
        ),
        _ => out.push(
            b.status(Status::Fail)
                .evidence("public_invocation", false)
                .message(format_args!(
                    "The function URL {} of {} has AuthType NONE: no caller is authenticated. The resource policy does not admit anonymous callers to both lambda:InvokeFunctionUrl and lambda:InvokeFunction, so the URL answers 403 until it does.",
                    url.url, function.name
                )),
        ),
    }
}

//! LAMBDA105 `function-url-cors-wildcard`: a function URL whose CORS configuration allows every origin.

use super::each_surface;
use super::resource_policy::load_url;
use crate::checks::{CheckContext, CheckDef, Findings};
use crate::finding::{FindingBuilder, FindingError, Status};
use crate::snapshot::{Account, Function, RegionData};
use serde_json::json;

/// The registry line.
pub const CHECK: CheckDef = CheckDef {
    catalog: include_str!("../../../checks/lambda/LAMBDA105-function-url-cors-wildcard.md"),
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
        .evidence("auth_type", url.auth_type.as_str())
        .evidence("allow_origins", json!(url.cors_allow_origins));
    if url.cors_allow_origins.iter().any(|o| o.trim() == "*") {
        out.push(b.status(Status::Fail).message(format_args!(
            "The function URL {} of {} allows cross-origin requests from every origin (AllowOrigins \"*\"): any web page can call it from a visitor's browser and read the answer.",
            url.url, function.name
        )))
    } else {
        out.push(b.status(Status::Pass).message(format_args!(
            "The function URL of {} allows no wildcard origin.",
            function.name
        )))
    }
}

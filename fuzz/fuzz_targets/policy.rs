//! Fuzz target: the IAM policy engine must never panic, whatever document and request it is given.
//!
//! Input framing: `DOCUMENT \0 ACTION \0 RESOURCE [\0 KEY \0 VALUE]...`; a value holds several
//! values joined by `\x1f`, or is `\x1d` for an unknown key or `\x1e` for an absent one; an empty
//! KEY makes VALUE the caller's
//! ARN. The document is parsed as every policy kind and evaluated as an identity policy (alone,
//! with itself as boundary and as an SCP level) and as a resource policy for several callers.
#![no_main]

#[allow(dead_code, missing_docs, unreachable_pub, unused_imports)]
#[path = "../../src/policy/mod.rs"]
mod policy;

use libfuzzer_sys::fuzz_target;
use policy::{
    CallerPrincipal, KeyState, Policy, PolicyKind, PolicySource, PrincipalPolicies, Request,
    RequestContext, evaluate_identity, evaluate_resource_policy, parse_policy,
};
use std::sync::Arc;

const KINDS: [PolicyKind; 6] = [
    PolicyKind::IdentityManaged,
    PolicyKind::IdentityInline,
    PolicyKind::Boundary,
    PolicyKind::Scp,
    PolicyKind::Resource,
    PolicyKind::Trust,
];

fn requests(fields: &[&str]) -> Vec<Request> {
    let action = fields.get(1).copied().unwrap_or("lambda:CreateFunction");
    let resource = fields.get(2).copied().unwrap_or("*");
    let mut context = RequestContext::new();
    let mut caller = None;
    for pair in fields.get(3..).unwrap_or_default().chunks(2) {
        let (key, value) = (pair[0], pair.get(1).copied().unwrap_or_default());
        if key.is_empty() {
            caller = Some(value.to_string());
        } else if value == "\u{1d}" {
            context.set(key, KeyState::Unknown);
        } else if value == "\u{1e}" {
            context.set(key, KeyState::Absent);
        } else {
            context.set(key, KeyState::Present(value.split('\u{1f}').map(str::to_string).collect()));
        }
    }
    let mut callers = vec![
        CallerPrincipal::Anonymous,
        CallerPrincipal::Service("s3.amazonaws.com".into()),
        CallerPrincipal::Federated("cognito-identity.amazonaws.com".into()),
        CallerPrincipal::Aws { arn: "arn:aws:iam::111122223333:role/r".into(), account: "111122223333".into() },
    ];
    if let Some(arn) = caller {
        let account = arn.split(':').nth(4).unwrap_or_default().to_string();
        callers.push(CallerPrincipal::Aws { arn, account });
    }
    let mut out = Vec::new();
    for ctx in [RequestContext::new(), context.clone(), context.unlisted_absent()] {
        out.push(Request::new(action, resource).with_context(ctx.clone()));
        for c in &callers {
            out.push(Request::new(action, resource).with_principal(c.clone()).with_context(ctx.clone()));
        }
    }
    out
}

fn evaluate(policy: &Arc<Policy>, requests: &[Request]) {
    let identity = [Arc::clone(policy)];
    let scps = [vec![Arc::clone(policy)]];
    for r in requests {
        let _ = evaluate_identity(r, &PrincipalPolicies { identity: &identity, boundary: None, scps: &[] });
        let _ = evaluate_identity(r, &PrincipalPolicies { identity: &identity, boundary: Some(policy), scps: &scps });
        let _ = evaluate_resource_policy(r, policy);
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let fields: Vec<&str> = text.split('\0').collect();
    let requests = requests(&fields);
    for kind in KINDS {
        let _ = parse_policy(PolicySource::new("fuzz whole input", kind), &text);
        if let Ok(policy) = parse_policy(PolicySource::new("fuzz", kind), fields[0]) {
            evaluate(&Arc::new(policy), &requests);
        }
    }
});

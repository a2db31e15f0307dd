//! Speed smoke test (ignored by default): 10,000 roles × 12 ENI actions against shared managed policies.
//!
//! Run once in release: `cargo test --release -- --ignored perf_smoke --nocapture`. It prints
//! timings and asserts nothing about them (speed is measured, never asserted).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use super::super::{
    Policy, PolicyKind, PolicySource, PrincipalPolicies, Request, RequestContext,
    evaluate_identity, parse_policy,
};

const ENI_ACTIONS: [&str; 12] = [
    "ec2:CreateNetworkInterface",
    "ec2:DeleteNetworkInterface",
    "ec2:AttachNetworkInterface",
    "ec2:DetachNetworkInterface",
    "ec2:ModifyNetworkInterfaceAttribute",
    "ec2:ResetNetworkInterfaceAttribute",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
    "ec2:AssignIpv6Addresses",
    "ec2:UnassignIpv6Addresses",
    "ec2:CreateNetworkInterfacePermission",
    "ec2:DeleteNetworkInterfacePermission",
];

const OTHER_ACTIONS: [&str; 16] = [
    "s3:GetObject",
    "s3:PutObject",
    "s3:ListBucket",
    "logs:CreateLogGroup",
    "logs:CreateLogStream",
    "logs:PutLogEvents",
    "dynamodb:GetItem",
    "dynamodb:Query",
    "sqs:SendMessage",
    "sqs:ReceiveMessage",
    "lambda:InvokeFunction",
    "ec2:DescribeSubnets",
    "ec2:DescribeNetworkInterfaces",
    "kms:Decrypt",
    "sns:Publish",
    "xray:PutTraceSegments",
];

struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

fn statement(r: &mut Lcg, i: usize) -> String {
    let pick = |r: &mut Lcg, n: usize| -> String {
        (0..n)
            .map(|_| {
                if r.below(4) == 0 {
                    format!("\"{}\"", ENI_ACTIONS[r.below(ENI_ACTIONS.len())])
                } else {
                    format!("\"{}\"", OTHER_ACTIONS[r.below(OTHER_ACTIONS.len())])
                }
            })
            .collect::<Vec<_>>()
            .join(",")
    };
    match r.below(10) {
        0 => format!(
            r#"{{"Sid":"S{i}","Effect":"Allow","Action":"ec2:*NetworkInterface*","Resource":"*"}}"#
        ),
        1 => format!(
            r#"{{"Sid":"S{i}","Effect":"Allow","Action":["ec2:*"],"Resource":"*","Condition":{{"StringEquals":{{"aws:RequestedRegion":["us-east-1","eu-west-1"]}}}}}}"#
        ),
        2 => format!(
            r#"{{"Sid":"S{i}","Effect":"Deny","Action":["ec2:*NetworkInterface*","ec2:*PrivateIpAddresses"],"Resource":"*","Condition":{{"Null":{{"lambda:SourceFunctionArn":"false"}}}}}}"#
        ),
        3 => format!(
            r#"{{"Sid":"S{i}","Effect":"Allow","NotAction":["iam:*","organizations:*"],"Resource":"*"}}"#
        ),
        4 => format!(
            r#"{{"Sid":"S{i}","Effect":"Allow","Action":[{}],"Resource":"arn:aws:ec2:*:123456789012:network-interface/*"}}"#,
            pick(r, 3)
        ),
        _ => {
            let n = 2 + r.below(8);
            format!(
                r#"{{"Sid":"S{i}","Effect":"Allow","Action":[{}],"Resource":"*"}}"#,
                pick(r, n)
            )
        }
    }
}

fn document(r: &mut Lcg) -> String {
    let n = 1 + r.below(5);
    let sts: Vec<String> = (0..n).map(|i| statement(r, i)).collect();
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        sts.join(",")
    )
}

#[test]
#[ignore = "speed smoke test: run with --release -- --ignored perf_smoke --nocapture"]
fn perf_smoke() {
    let mut r = Lcg(42);
    let managed_docs: Vec<String> = (0..2_000).map(|_| document(&mut r)).collect();
    let inline_docs: Vec<String> = (0..10_000).map(|_| document(&mut r)).collect();

    let t = Instant::now();
    let managed: Vec<Arc<Policy>> = managed_docs
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let src = PolicySource::new(
                format!("arn:aws:iam::123456789012:policy/p{i}"),
                PolicyKind::IdentityManaged,
            );
            parse_policy(src, d).map(Arc::new)
        })
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("{e}"));
    let parse_managed = t.elapsed();

    let t = Instant::now();
    let roles: Vec<Vec<Arc<Policy>>> = inline_docs
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let src =
                PolicySource::new(format!("role/r{i} inline main"), PolicyKind::IdentityInline);
            let inline = Arc::new(parse_policy(src, d).unwrap_or_else(|e| panic!("{e}")));
            let mut v: Vec<Arc<Policy>> = (0..3)
                .map(|_| managed[r.below(managed.len())].clone())
                .collect();
            v.push(inline);
            v
        })
        .collect();
    let parse_inline = t.elapsed();

    let scp = |id: &str, json: &str| {
        Arc::new(
            parse_policy(PolicySource::new(id, PolicyKind::Scp), json)
                .unwrap_or_else(|e| panic!("{e}")),
        )
    };
    let full = scp(
        "p-FullAWSAccess",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
    );
    let region = scp(
        "p-regions",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotAction":["iam:*","sts:*"],"Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["us-east-1","eu-west-1"]}}}]}"#,
    );
    let scps = vec![vec![full.clone()], vec![full, region]];

    let requests: Vec<Request> = ENI_ACTIONS
        .iter()
        .map(|a| {
            Request::new(*a, "*").with_context(
                RequestContext::new()
                    .unlisted_absent()
                    .with_value(
                        "lambda:SourceFunctionArn",
                        "arn:aws:lambda:us-east-1:123456789012:function:f",
                    )
                    .with_value("aws:RequestedRegion", "us-east-1"),
            )
        })
        .collect();

    let t = Instant::now();
    let mut tally: BTreeMap<&'static str, usize> = BTreeMap::new();
    for role in &roles {
        let pp = PrincipalPolicies {
            identity: role,
            boundary: None,
            scps: &scps,
        };
        for req in &requests {
            *tally
                .entry(evaluate_identity(req, &pp).label())
                .or_default() += 1;
        }
    }
    let eval = t.elapsed();
    let n: usize = tally.values().sum();
    println!(
        "perf_smoke: parse 2000 managed {parse_managed:?}; parse 10000 inline + wire roles {parse_inline:?}; \
         evaluate {n} requests (10000 roles x 12 ENI actions, 4 identity policies + 2 SCP levels each) {eval:?} \
         = {:.0} ns/request; outcomes {tally:?}",
        eval.as_nanos() as f64 / n as f64
    );
}

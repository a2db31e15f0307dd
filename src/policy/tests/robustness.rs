//! No panics on arbitrary input: generated and mutated documents go through parse and both evaluators.

use std::sync::Arc;

use serde_json::{Value, json};

use super::super::{
    CallerPrincipal, KeyState, PolicyKind, PolicySource, PrincipalPolicies, Request,
    RequestContext, evaluate_identity, evaluate_resource_policy, parse_policy,
};

/// A small deterministic xorshift generator: no extra crates, same inputs on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const OPERATORS: &[&str] = &[
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
    "DateEquals",
    "DateNotEquals",
    "DateLessThan",
    "DateLessThanEquals",
    "DateGreaterThan",
    "DateGreaterThanEquals",
    "Bool",
    "BinaryEquals",
    "IpAddress",
    "NotIpAddress",
    "ArnEquals",
    "ArnLike",
    "ArnNotEquals",
    "ArnNotLike",
    "Null",
    "StringLikeIfExists",
    "ForAllValues:StringNotEquals",
    "ForAnyValue:StringLike",
    "ForAllValues:ArnLike",
    "NumericEqualsIfExists",
    "BoolIfExists",
    "ForAnyValue:IpAddress",
    "Bogus",
];

const STRINGS: &[&str] = &[
    "*",
    "?",
    "",
    "ec2:*",
    "ec2:*NetworkInterface*",
    "arn:aws:s3:::b/*",
    "arn:aws:lambda:*:*:function:*",
    "${aws:username}",
    "${aws:username, 'x''y'}",
    "${*}${?}${$}",
    "${",
    "${}",
    "${ , ''}",
    "}",
    "'",
    "true",
    "false",
    "10",
    "-1.5e3",
    "2020-01-01T00:00:00Z",
    "1700000000",
    "10.0.0.0/8",
    "::/0",
    "2001:db8::/129",
    "é?*",
    "a:b:c:d:e:f:g",
    "arn:aws:iam::123456789012:root",
    "123456789012",
    "s3.amazonaws.com",
    "arn:aws:sts::1:assumed-role/r/s",
    "\u{0}",
    "**??**",
    "arn:*:*:*:*:*",
];

const KEYS: &[&str] = &[
    "aws:username",
    "aws:SourceArn",
    "lambda:SourceFunctionArn",
    "lambda:VpcIds",
    "aws:TagKeys",
    "aws:SourceIp",
    "aws:CurrentTime",
    "s3:max-keys",
    "aws:SecureTransport",
    "x:y",
];

fn random_scalar(r: &mut Rng) -> Value {
    match r.below(12) {
        0 => json!(r.below(3) == 0),
        1 => json!(r.next() as i64 % 100_000),
        2 => json!((r.next() % 1000) as f64 / 7.0),
        3 => Value::Null,
        _ => json!(*r.pick(STRINGS)),
    }
}

fn random_list(r: &mut Rng) -> Value {
    match r.below(8) {
        0 => random_scalar(r),
        1..=3 => json!(*r.pick(STRINGS)),
        _ => Value::Array((0..r.below(4)).map(|_| json!(*r.pick(STRINGS))).collect()),
    }
}

/// Values that suit the operator most of the time, so evaluation gets exercised too.
fn condition_values(r: &mut Rng, op: &str) -> Value {
    if r.below(5) == 0 {
        return random_list(r);
    }
    let pool: &[&str] = if op.contains("Numeric") {
        &["0", "10", "-2.5", "1e3"]
    } else if op.contains("Date") {
        &[
            "2020-01-01T00:00:00Z",
            "1700000000",
            "2024-02-29",
            "2023-01-01T10:00+02:00",
        ]
    } else if op.contains("Ip") {
        &["10.0.0.0/8", "203.0.113.7", "2001:db8::/32", "0.0.0.0/0"]
    } else if op.contains("Null") || op.contains("Bool") {
        &["true", "false"]
    } else {
        STRINGS
    };
    let n = 1 + r.below(3);
    Value::Array((0..n).map(|_| json!(*r.pick(pool))).collect())
}

fn random_statement(r: &mut Rng) -> Value {
    let mut st = serde_json::Map::new();
    if r.below(12) > 0 {
        st.insert(
            "Effect".into(),
            json!(if r.below(2) == 0 { "Allow" } else { "Deny" }),
        );
    }
    if r.below(3) == 0 {
        st.insert("Sid".into(), json!(*r.pick(STRINGS)));
    }
    let action_key = if r.below(4) == 0 {
        "NotAction"
    } else {
        "Action"
    };
    st.insert(action_key.into(), random_list(r));
    if r.below(8) > 0 {
        let key = if r.below(4) == 0 {
            "NotResource"
        } else {
            "Resource"
        };
        st.insert(key.into(), random_list(r));
    }
    if r.below(4) > 0 {
        let principal = match r.below(6) {
            0 | 1 => json!("*"),
            2 | 3 => json!({"AWS": [*r.pick(STRINGS), *r.pick(STRINGS)]}),
            4 => json!({"Service": *r.pick(STRINGS), "Federated": *r.pick(STRINGS)}),
            _ => random_scalar(r),
        };
        let key = if r.below(4) == 0 {
            "NotPrincipal"
        } else {
            "Principal"
        };
        st.insert(key.into(), principal);
    }
    if r.below(2) == 0 {
        let mut block = serde_json::Map::new();
        for _ in 0..=r.below(3) {
            let mut keys = serde_json::Map::new();
            let op = *r.pick(OPERATORS);
            for _ in 0..=r.below(2) {
                keys.insert((*r.pick(KEYS)).into(), condition_values(r, op));
            }
            block.insert(op.into(), Value::Object(keys));
        }
        st.insert("Condition".into(), Value::Object(block));
    }
    Value::Object(st)
}

fn random_document(r: &mut Rng) -> String {
    let statements: Vec<Value> = (0..=r.below(4)).map(|_| random_statement(r)).collect();
    let version = match r.below(4) {
        0 => json!("2008-10-17"),
        1 => Value::Null,
        _ => json!("2012-10-17"),
    };
    let mut doc = json!({"Statement": if statements.len() == 1 && r.below(2) == 0 { statements[0].clone() } else { Value::Array(statements) }});
    if !version.is_null() {
        doc["Version"] = version;
    }
    doc.to_string()
}

/// Byte-level mutations that keep the text valid UTF-8.
fn mutate(r: &mut Rng, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..=r.below(4) {
        let at = r.below(chars.len() + 1);
        match r.below(4) {
            0 if !chars.is_empty() => {
                let end = (at + r.below(8)).min(chars.len());
                chars.drain(at.min(end)..end);
            }
            1 => {
                let insert: Vec<char> = r
                    .pick(&[
                        "{", "}", "[", "]", "\"", ",", ":", "*", "${", "null", "1e999", "\\u0000",
                        "é",
                    ])
                    .chars()
                    .collect();
                for (i, c) in insert.into_iter().enumerate() {
                    chars.insert((at + i).min(chars.len()), c);
                }
            }
            2 if chars.len() > 1 => {
                let other = r.below(chars.len());
                let at = at.min(chars.len() - 1);
                chars.swap(at, other);
            }
            _ => {
                let dup: Vec<char> = chars[at.min(chars.len())..]
                    .iter()
                    .take(r.below(16))
                    .copied()
                    .collect();
                for (i, c) in dup.into_iter().enumerate() {
                    chars.insert((at + i).min(chars.len()), c);
                }
            }
        }
    }
    chars.into_iter().collect()
}

fn random_request(r: &mut Rng) -> Request {
    let mut ctx = if r.below(2) == 0 {
        RequestContext::new()
    } else {
        RequestContext::new().unlisted_absent()
    };
    for _ in 0..r.below(5) {
        let state = match r.below(4) {
            0 => KeyState::Absent,
            1 => KeyState::Unknown,
            2 => KeyState::Present(
                (0..r.below(3))
                    .map(|_| (*r.pick(STRINGS)).to_string())
                    .collect(),
            ),
            _ => KeyState::Present(vec![(*r.pick(STRINGS)).to_string()]),
        };
        let key = *r.pick(KEYS);
        ctx.set(key, state);
    }
    let principal = match r.below(5) {
        0 => None,
        1 => Some(CallerPrincipal::Anonymous),
        2 => Some(CallerPrincipal::Service((*r.pick(STRINGS)).into())),
        _ => Some(CallerPrincipal::Aws {
            arn: (*r.pick(STRINGS)).into(),
            account: (*r.pick(&["123456789012", "", "1"])).into(),
        }),
    };
    let mut req = Request::new(*r.pick(STRINGS), *r.pick(STRINGS)).with_context(ctx);
    req.principal = principal;
    req
}

#[test]
fn no_panics_on_generated_and_mutated_documents() {
    let mut r = Rng(0x9E37_79B9_7F4A_7C15);
    let kinds = [
        PolicyKind::IdentityInline,
        PolicyKind::Boundary,
        PolicyKind::Scp,
        PolicyKind::Resource,
        PolicyKind::Trust,
    ];
    let mut parsed = 0usize;
    let mut rejected = 0usize;
    let mut decisions = 0usize;
    for i in 0..800 {
        let base = random_document(&mut r);
        let text = if i % 3 == 2 {
            mutate(&mut r, &base)
        } else {
            base
        };
        for kind in kinds {
            match parse_policy(PolicySource::new(format!("gen-{i}"), kind), &text) {
                Err(e) => {
                    rejected += 1;
                    assert!(e.to_string().contains(&format!("gen-{i}")), "{e}");
                }
                Ok(p) => {
                    parsed += 1;
                    let p = Arc::new(p);
                    let identity = [p.clone()];
                    let scps = vec![vec![p.clone()]];
                    for _ in 0..4 {
                        let req = random_request(&mut r);
                        let pp = PrincipalPolicies {
                            identity: &identity,
                            boundary: Some(&p),
                            scps: &scps,
                        };
                        let d = evaluate_identity(&req, &pp);
                        let _ = serde_json::to_string(&d);
                        let _ = evaluate_resource_policy(&req, &p);
                        decisions += 2;
                    }
                }
            }
        }
    }
    println!("robustness: {parsed} parsed, {rejected} rejected, {decisions} decisions");
    assert!(
        parsed > 200,
        "generator too hostile: only {parsed} documents parsed"
    );
    assert!(
        rejected > 200,
        "generator too tame: only {rejected} documents rejected"
    );
}

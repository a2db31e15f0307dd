//! Benchmark of the policy engine through the IAM checks on a synthetic account: 10,000 roles, each
//! with 3 of 2,000 customer managed policies and one inline policy, 2,000 users, and two SCP levels.
//!
//! Run: `cargo bench --bench iam_checks` (add `-- ROLES POLICIES` to change the sizes). Prints the
//! time to parse every policy (once), the time of each IAM check, the findings, and peak memory.

use serde_json::json;
use std::time::Instant;
use vpcwarden::config::Config;
use vpcwarden::snapshot::{
    Account, CollectedBy, Iam, InlinePolicy, ManagedPolicy, OrgMembership, Organizations,
    RegionData, Role, Scp, ScpLevel, Snapshot, User,
};

const ACCOUNT: &str = "111111111111";

/// One of a few realistic policy shapes, chosen by index.
fn policy_document(i: usize) -> serde_json::Value {
    match i % 5 {
        0 => json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": [
            "ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface",
            "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"], "Resource": "*"}]}),
        1 => json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": [
            "ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface"], "Resource": "*",
            "Condition": {"Null": {"lambda:SourceFunctionArn": "true"}}}]}),
        2 => json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": format!("arn:aws:s3:::bucket-{i}/*")},
            {"Effect": "Allow", "Action": "dynamodb:*", "Resource": format!("arn:aws:dynamodb:*:{ACCOUNT}:table/t-{i}")}]}),
        3 => json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["lambda:CreateFunction", "lambda:UpdateFunctionConfiguration", "iam:PassRole"], "Resource": "*"},
            {"Effect": "Deny", "Action": ["lambda:CreateFunction", "lambda:UpdateFunctionConfiguration"], "Resource": "*",
             "Condition": {"ForAllValues:StringNotEquals": {"lambda:VpcIds": ["vpc-0a1b2c3d4e5f60001"]}}}]}),
        _ => json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": format!("arn:aws:logs:*:{ACCOUNT}:log-group:/aws/lambda/fn-{i}:*")}]}),
    }
}

fn synthetic(roles: usize, policies: usize) -> Snapshot {
    let managed: Vec<ManagedPolicy> = (0..policies)
        .map(|i| ManagedPolicy {
            arn: format!("arn:aws:iam::{ACCOUNT}:policy/p-{i:05}"),
            name: format!("p-{i:05}"),
            default_version_id: "v1".into(),
            document: policy_document(i),
        })
        .collect();
    let trust = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]});
    let roles: Vec<Role> = (0..roles)
        .map(|i| Role {
            arn: format!("arn:aws:iam::{ACCOUNT}:role/r-{i:05}"),
            name: format!("r-{i:05}"),
            path: "/".into(),
            trust_policy: trust.clone(),
            inline_policies: vec![InlinePolicy {
                name: "inline".into(),
                document: policy_document(i + 2),
            }],
            attached_policies: (0..3)
                .map(|k| managed[(i * 7 + k * 131) % policies].arn.clone())
                .collect(),
            permissions_boundary: None,
        })
        .collect();
    let users: Vec<User> = (0..roles.len() / 5)
        .map(|i| User {
            arn: format!("arn:aws:iam::{ACCOUNT}:user/u-{i:05}"),
            name: format!("u-{i:05}"),
            path: "/".into(),
            groups: vec![],
            inline_policies: vec![],
            attached_policies: vec![
                managed[(i * 3) % policies].arn.clone(),
                managed[(i * 5 + 3) % policies].arn.clone(),
            ],
            permissions_boundary: None,
        })
        .collect();
    let full = Scp {
        id: "p-FullAWSAccess".into(),
        arn: "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess".into(),
        name: "FullAWSAccess".into(),
        aws_managed: true,
        document: json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}),
    };
    let mut snapshot = Snapshot {
        schema_version: vpcwarden::snapshot::SCHEMA_VERSION.into(),
        collected_at: "2026-11-01T09:00:00Z".into(),
        collected_by: CollectedBy {
            tool: "bench".into(),
            caller_arn: "bench".into(),
        },
        accounts: vec![Account {
            account_id: ACCOUNT.into(),
            partition: "aws".into(),
            caller_arn: "bench".into(),
            regions: vec![RegionData {
                region: "us-east-1".into(),
                ..Default::default()
            }],
            iam: Some(Iam {
                users,
                groups: vec![],
                roles,
                managed_policies: managed,
            }),
            organizations: Some(Organizations::Member(OrgMembership {
                organization_id: "o-bench".into(),
                management_account_id: "222222222222".into(),
                scps_enabled: true,
                scp_levels: vec![
                    ScpLevel {
                        target_id: "r-1".into(),
                        target_type: "ROOT".into(),
                        policies: vec![full.clone()],
                    },
                    ScpLevel {
                        target_id: ACCOUNT.into(),
                        target_type: "ACCOUNT".into(),
                        policies: vec![full],
                    },
                ],
            })),
            gaps: vec![],
            name: None,
            ou_path: None,
        }],
        not_scanned: vec![],
        organization_accounts: vec![],
        shard: None,
    };
    snapshot.normalize();
    snapshot
}

/// Peak resident memory of this process (Linux), in MiB.
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let roles = args.first().copied().unwrap_or(10_000);
    let policies = args.get(1).copied().unwrap_or(2_000);
    let snapshot = synthetic(roles, policies);
    let config = Config::default();
    let all = vpcwarden::checks::all().expect("catalog");
    let iam_checks: Vec<_> = all
        .iter()
        .filter(|c| matches!(c.entry.meta.service.as_str(), "iam" | "organizations"))
        .collect();
    println!(
        "synthetic account: {roles} roles, {} users, {policies} managed policies, 2 SCP levels",
        roles / 5
    );

    let ctx = vpcwarden::checks::CheckContext::new(&snapshot, &config);
    let t = Instant::now();
    let _ = ctx.policies(0);
    println!(
        "parse every policy once: {:>8.1} ms",
        t.elapsed().as_secs_f64() * 1e3
    );

    let t_all = Instant::now();
    let mut total = 0;
    for check in &iam_checks {
        let t = Instant::now();
        let findings = vpcwarden::checks::run(&snapshot, &config, &[*check]).expect("runs");
        let fails = findings
            .iter()
            .filter(|f| f.status == vpcwarden::finding::Status::Fail)
            .count();
        total += findings.len();
        println!(
            "{:<10} {:<32} {:>8.1} ms  {:>6} findings ({fails} fail)",
            check.code(),
            check.slug(),
            t.elapsed().as_secs_f64() * 1e3,
            findings.len()
        );
    }
    println!(
        "all IAM checks (each parsing anew): {:>8.1} ms, {total} findings",
        t_all.elapsed().as_secs_f64() * 1e3
    );
    let t = Instant::now();
    let findings = vpcwarden::checks::run(&snapshot, &config, &iam_checks).expect("runs");
    println!(
        "all IAM checks in one audit (one parse): {:>8.1} ms, {} findings",
        t.elapsed().as_secs_f64() * 1e3,
        findings.len()
    );
    if let Some(mib) = peak_rss_mib() {
        println!("peak RSS: {mib:.1} MiB");
    }
}

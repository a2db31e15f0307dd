//! EC2102 `vpc-endpoint-sg-open`: an interface VPC endpoint whose security group admits HTTPS (or all
//! traffic) from anywhere.

use super::{each_region, ec2_arn};
use crate::checks::inputs::DESCRIBE_VPC_ENDPOINTS;
use crate::checks::network::{ANY_IPV4, ANY_IPV6};
use crate::checks::{CheckContext, CheckDef, Findings};
use crate::finding::{FindingError, Status};
use crate::snapshot::{Account, Gap, RegionData, SecurityGroupRule, VpcEndpoint};
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// The registry line.
pub const CHECK: CheckDef = CheckDef {
    catalog: include_str!("../../../checks/ec2/EC2102-vpc-endpoint-sg-open.md"),
    run,
    options: None,
};

/// Endpoint states in which the endpoint no longer exists or carries nothing.
const GONE: &[&str] = &["deleted", "deleting", "rejected", "failed", "expired"];

fn run(ctx: &CheckContext<'_>, out: &mut Findings<'_>) -> Result<(), FindingError> {
    each_region(ctx, out, DESCRIBE_VPC_ENDPOINTS, judge_region)
}

/// Whether a rule admits TCP 443: protocol all, or TCP with a port range that holds 443.
fn admits_https(rule: &SecurityGroupRule) -> bool {
    match rule.ip_protocol.to_ascii_lowercase().as_str() {
        "-1" | "all" => true,
        "tcp" | "6" => match (rule.from_port, rule.to_port) {
            (Some(from), Some(to)) => from <= 443 && 443 <= to,
            // A TCP rule without ports covers them all.
            _ => true,
        },
        _ => false,
    }
}

/// The open sources of a rule that admits HTTPS: `0.0.0.0/0` and `::/0`.
fn open_sources(rule: &SecurityGroupRule) -> Vec<&str> {
    if !admits_https(rule) {
        return Vec::new();
    }
    rule.ipv4_ranges
        .iter()
        .chain(&rule.ipv6_ranges)
        .map(String::as_str)
        .filter(|c| *c == ANY_IPV4 || *c == ANY_IPV6)
        .collect()
}

fn judge_region(
    account: &Account,
    region: &RegionData,
    gate: Option<&Gap>,
    out: &mut Findings<'_>,
) -> Result<(), FindingError> {
    let interface = |e: &&VpcEndpoint| {
        e.vpc_endpoint_type.eq_ignore_ascii_case("interface")
            && !e
                .state
                .as_deref()
                .is_some_and(|s| GONE.iter().any(|g| s.eq_ignore_ascii_case(g)))
    };
    for endpoint in region.ec2.vpc_endpoints.iter().filter(interface) {
        let arn = ec2_arn(
            account,
            &region.region,
            "vpc-endpoint",
            &endpoint.vpc_endpoint_id,
        );
        if let Some(gap) = gate {
            out.not_evaluated(account, &region.region, Some("Other"), &arn, gap)?;
            continue;
        }
        let mut open = Vec::new();
        let mut missing = Vec::new();
        for group_id in &endpoint.security_group_ids {
            match region
                .ec2
                .security_groups
                .iter()
                .find(|g| &g.group_id == group_id)
            {
                None => missing.push(group_id.as_str()),
                Some(group) => {
                    for rule in &group.ingress {
                        for source in open_sources(rule) {
                            open.push(json!({
                                "group_id": group.group_id,
                                "group_name": group.group_name,
                                "ip_protocol": rule.ip_protocol,
                                "from_port": rule.from_port,
                                "to_port": rule.to_port,
                                "source": source,
                            }));
                        }
                    }
                }
            }
        }
        let b = out
            .builder(&account.account_id, &region.region)
            .resource(&arn)
            .evidence("vpc_endpoint_id", endpoint.vpc_endpoint_id.as_str())
            .evidence("service_name", endpoint.service_name.as_str())
            .evidence("vpc_id", endpoint.vpc_id.as_str())
            .evidence("security_group_ids", json!(endpoint.security_group_ids));
        if !open.is_empty() {
            let narrower = narrower_sources(region, endpoint);
            out.push(
                b.status(Status::Fail)
                    .message(format_args!(
                        "Interface endpoint {} ({}) admits HTTPS from anywhere ({}); {} would do.",
                        endpoint.vpc_endpoint_id,
                        endpoint.service_name,
                        open.iter()
                            .filter_map(|o| o["source"].as_str())
                            .collect::<BTreeSet<_>>()
                            .into_iter()
                            .collect::<Vec<_>>()
                            .join(", "),
                        describe(&narrower),
                    ))
                    .evidence("open_rules", open)
                    .evidence("narrower_sources", narrower),
            )?;
        } else if !missing.is_empty() {
            out.push(
                b.status(Status::NotEvaluated)
                    .evidence("reason", "security_group_not_collected")
                    .evidence("security_groups_not_found", json!(missing))
                    .message(format_args!(
                        "Not evaluated: security group(s) {} of interface endpoint {} are not in the collected security groups.",
                        missing.join(", "),
                        endpoint.vpc_endpoint_id
                    )),
            )?;
        } else {
            out.push(b.status(Status::Pass).message(format_args!(
                "No security group of interface endpoint {} ({}) admits HTTPS from anywhere.",
                endpoint.vpc_endpoint_id, endpoint.service_name
            )))?;
        }
    }
    Ok(())
}

/// What would do instead of anywhere: the security groups of the VPC functions in the endpoint's VPC,
/// and the VPC's CIDR.
fn narrower_sources(region: &RegionData, endpoint: &VpcEndpoint) -> Value {
    let groups: BTreeSet<&str> = region
        .lambda
        .functions
        .iter()
        .filter(|f| region.function_vpc_id(f) == Some(endpoint.vpc_id.as_str()))
        .flat_map(|f| {
            f.vpc()
                .into_iter()
                .flat_map(|v| v.security_group_ids.iter())
        })
        .map(String::as_str)
        .collect();
    let cidr = region
        .ec2
        .vpcs
        .iter()
        .find(|v| v.vpc_id == endpoint.vpc_id)
        .and_then(|v| v.cidr_block.as_deref());
    json!({ "function_security_groups": groups, "vpc_cidr": cidr })
}

fn describe(narrower: &Value) -> String {
    let groups: Vec<&str> = narrower["function_security_groups"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let mut parts = Vec::new();
    if !groups.is_empty() {
        parts.push(format!(
            "the functions' security groups ({})",
            groups.join(", ")
        ));
    }
    if let Some(c) = narrower["vpc_cidr"].as_str() {
        parts.push(format!("the VPC CIDR {c}"));
    }
    if parts.is_empty() {
        "the callers' security groups or the VPC CIDR".into()
    } else {
        parts.join(" or ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(proto: &str, ports: Option<(i32, i32)>, v4: &[&str], v6: &[&str]) -> SecurityGroupRule {
        SecurityGroupRule {
            ip_protocol: proto.into(),
            from_port: ports.map(|p| p.0),
            to_port: ports.map(|p| p.1),
            ipv4_ranges: v4.iter().map(|s| s.to_string()).collect(),
            ipv6_ranges: v6.iter().map(|s| s.to_string()).collect(),
            source_groups: vec![],
        }
    }

    #[test]
    fn only_https_or_all_traffic_from_anywhere_is_open() {
        assert_eq!(
            open_sources(&rule("tcp", Some((443, 443)), &["0.0.0.0/0"], &[])),
            ["0.0.0.0/0"]
        );
        assert_eq!(open_sources(&rule("-1", None, &[], &["::/0"])), ["::/0"]);
        assert_eq!(
            open_sources(&rule("6", Some((0, 65535)), &["0.0.0.0/0"], &[])).len(),
            1
        );
        assert!(open_sources(&rule("tcp", Some((80, 80)), &["0.0.0.0/0"], &[])).is_empty());
        assert!(open_sources(&rule("udp", Some((443, 443)), &["0.0.0.0/0"], &[])).is_empty());
        assert!(open_sources(&rule("tcp", Some((443, 443)), &["10.0.0.0/16"], &[])).is_empty());
    }
}

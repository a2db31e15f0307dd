//! IAM005 `role-event-source-permission-missing`: a function has an SQS, Kinesis or DynamoDB
//! Streams event source mapping, and its execution role lacks the read actions Lambda's poller needs.

use super::{Needs, each_execution_role, functions_gap, service_context};
use crate::checks::inputs::LIST_EVENT_SOURCE_MAPPINGS;
use crate::checks::{CheckContext, CheckDef, Findings, gap_evidence};
use crate::finding::{FindingError, Status};
use crate::policy::{Request, evaluate_identity};
use crate::snapshot::{EventSourceMapping, GLOBAL_REGION};
use serde_json::json;

/// The registry line.
pub const CHECK: CheckDef = CheckDef {
    catalog: include_str!("../../../checks/iam/IAM005-role-event-source-permission-missing.md"),
    run,
    options: None,
};

/// A poll-based source and the actions the poller needs: on the source ARN, and on `*`.
struct Source {
    kind: &'static str,
    on_source: &'static [&'static str],
    on_any: &'static [&'static str],
}

/// The actions of AWSLambdaSQSQueueExecutionRole, AWSLambdaKinesisExecutionRole and
/// AWSLambdaDynamoDBExecutionRole.
const SQS: Source = Source {
    kind: "sqs",
    on_source: &[
        "sqs:ReceiveMessage",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
    ],
    on_any: &[],
};
const KINESIS: Source = Source {
    kind: "kinesis",
    on_source: &[
        "kinesis:DescribeStream",
        "kinesis:DescribeStreamSummary",
        "kinesis:GetRecords",
        "kinesis:GetShardIterator",
        "kinesis:ListShards",
    ],
    on_any: &["kinesis:ListStreams"],
};
const DYNAMODB_STREAMS: Source = Source {
    kind: "dynamodb_streams",
    on_source: &[
        "dynamodb:DescribeStream",
        "dynamodb:GetRecords",
        "dynamodb:GetShardIterator",
    ],
    on_any: &["dynamodb:ListStreams"],
};

/// Which poll-based source an event source ARN is, if it is one this check judges.
fn source_of(arn: &str) -> Option<&'static Source> {
    let service = arn.split(':').nth(2)?;
    match service {
        "sqs" => Some(&SQS),
        "kinesis" => Some(&KINESIS),
        "dynamodb" if arn.contains("/stream/") => Some(&DYNAMODB_STREAMS),
        _ => None,
    }
}

/// The unqualified function ARN of a mapping (it may name a version or alias).
fn unqualified(arn: &str) -> &str {
    match arn.match_indices(':').nth(6) {
        Some((i, _)) => &arn[..i],
        None => arn,
    }
}

fn run(ctx: &CheckContext<'_>, out: &mut Findings<'_>) -> Result<(), FindingError> {
    each_execution_role(ctx, out, |account, policies, exec, set, out| {
        // The mappings of the role's functions, and the regions whose mapping list is missing.
        let mut mappings: Vec<(&str, &EventSourceMapping, &'static Source)> = Vec::new();
        let mut missing_lists = Vec::new();
        for (region, function) in &exec.functions {
            let Some(data) = account.regions.iter().find(|r| r.region == *region) else {
                continue;
            };
            if let Some(gap) = LIST_EVENT_SOURCE_MAPPINGS.gap_in(account, region) {
                missing_lists.push(gap);
            }
            for m in &data.lambda.event_source_mappings {
                if unqualified(&m.function_arn) != &*function.arn {
                    continue;
                }
                if let Some(source) = m.event_source_arn.as_deref().and_then(source_of) {
                    mappings.push((region, m, source));
                }
            }
        }
        // Without the function list of a region, the role's functions there (and so their
        // mappings) are unknown.
        if let Some(gap) = functions_gap(account)
            && (exec.trust == "allowed" || !exec.functions.is_empty())
        {
            missing_lists.push(gap);
        }
        missing_lists.dedup();
        if mappings.is_empty() && missing_lists.is_empty() {
            return Ok(());
        }
        let scps = policies.scps_for(exec.entry);
        let engine = set.with_scps(scps.levels);
        let mut needs = Needs::default();
        for (region, m, source) in &mappings {
            let source_arn = m.event_source_arn.as_deref().unwrap_or_default();
            let context = service_context(account, exec.role, region);
            let asks = source
                .on_source
                .iter()
                .map(|a| (*a, source_arn))
                .chain(source.on_any.iter().map(|a| (*a, "*")));
            for (action, resource) in asks {
                let request = Request::new(action, resource).with_context(context.clone());
                needs.record(&evaluate_identity(&request, &engine), || {
                    json!({
                        "function": unqualified(&m.function_arn),
                        "mapping_uuid": m.uuid,
                        "source": source.kind,
                        "event_source_arn": source_arn,
                        "action": action,
                        "resource": resource,
                    })
                });
            }
        }
        let b = out
            .builder(&account.account_id, GLOBAL_REGION)
            .resource(&exec.role.arn)
            .evidence("role_name", exec.role.name.as_str())
            .evidence(
                "mappings",
                json!(
                    mappings
                        .iter()
                        .map(|(_, m, s)| json!({
                            "uuid": m.uuid,
                            "function": unqualified(&m.function_arn),
                            "source": s.kind,
                            "event_source_arn": m.event_source_arn,
                        }))
                        .collect::<Vec<_>>()
                ),
            )
            .evidence("scps_evaluated", scps.unknown.is_none());
        let b = if !needs.missing.is_empty() {
            let mut actions: Vec<&str> = needs
                .missing
                .iter()
                .filter_map(|m| m["action"].as_str())
                .collect();
            actions.sort();
            actions.dedup();
            b.status(Status::Fail)
                .evidence("missing", json!(needs.missing))
                .message(format_args!(
                    "Execution role {} lacks {} for its event source mapping(s): Lambda cannot poll the source, and its records pile up unprocessed.",
                    exec.role.name,
                    actions.join(", ")
                ))
        } else if let Some(gap) = missing_lists.first() {
            b.status(Status::NotEvaluated)
                .evidence("gap", gap_evidence(gap))
                .message(format_args!(
                    "Not evaluated: lambda:{} failed in {} ({}), so the event sources of {}'s functions are unknown.",
                    gap.operation, gap.region, gap.error_code, exec.role.name
                ))
        } else if !needs.unknown.is_empty() {
            b.status(Status::NotEvaluated)
                .evidence("reason", "decision_unknown")
                .evidence("unknown", json!(needs.unknown))
                .message(format_args!(
                    "Not evaluated: whether execution role {} may read its event sources depends on facts not known.",
                    exec.role.name
                ))
        } else {
            b.status(Status::Pass).message(format_args!(
                "Execution role {} may read every SQS, Kinesis and DynamoDB Streams source its functions are mapped to.",
                exec.role.name
            ))
        };
        out.push(b)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_known_by_their_arn() {
        assert_eq!(
            source_of("arn:aws:sqs:us-east-1:1:q").map(|s| s.kind),
            Some("sqs")
        );
        assert_eq!(
            source_of("arn:aws:dynamodb:us-east-1:1:table/t/stream/2024-01-01T00:00:00.000")
                .map(|s| s.kind),
            Some("dynamodb_streams")
        );
        assert!(source_of("arn:aws:dynamodb:us-east-1:1:table/t").is_none());
        assert!(source_of("arn:aws:kafka:us-east-1:1:cluster/c/x").is_none());
        assert_eq!(
            unqualified("arn:aws:lambda:us-east-1:1:function:f:live"),
            "arn:aws:lambda:us-east-1:1:function:f"
        );
        assert_eq!(
            unqualified("arn:aws:lambda:us-east-1:1:function:f"),
            "arn:aws:lambda:us-east-1:1:function:f"
        );
    }
}

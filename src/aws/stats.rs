//! API call counting (`--stats`): an SDK interceptor counts operations and HTTP attempts per
//! service and operation.

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeSerializationInterceptorContextRef, BeforeTransmitInterceptorContextRef,
    FinalizerInterceptorContextRef,
};
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// Counts of one operation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OpCount {
    /// Operations started (one per SDK call).
    pub calls: u64,
    /// HTTP attempts (calls plus retries).
    pub requests: u64,
    /// Attempts answered 429 or with a throttling error type.
    pub throttled: u64,
}

/// Shared counters; cloning shares them.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    counts: Arc<Mutex<BTreeMap<(String, String), OpCount>>>,
}

impl Stats {
    /// The interceptor to put on a client config.
    pub fn interceptor(&self) -> StatsInterceptor {
        StatsInterceptor {
            stats: self.clone(),
        }
    }

    fn bump(&self, cfg: &ConfigBag, f: impl FnOnce(&mut OpCount)) {
        let Some(meta) = cfg.load::<Metadata>() else {
            return;
        };
        if let Ok(mut counts) = self.counts.lock() {
            f(counts
                .entry((meta.service().to_string(), meta.name().to_string()))
                .or_default());
        }
    }

    /// A copy of the counts, keyed by (service, operation).
    pub fn snapshot(&self) -> BTreeMap<(String, String), OpCount> {
        self.counts.lock().map(|c| c.clone()).unwrap_or_default()
    }

    /// Totals over every operation.
    pub fn total(&self) -> OpCount {
        let mut total = OpCount::default();
        for c in self.snapshot().values() {
            total.calls += c.calls;
            total.requests += c.requests;
            total.throttled += c.throttled;
        }
        total
    }

    /// One line per operation, `stats: SERVICE OPERATION calls=N requests=N throttled=N`, then a total.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for ((service, op), c) in &self.snapshot() {
            out.push_str(&format!(
                "stats: {service} {op} calls={} requests={} throttled={}\n",
                c.calls, c.requests, c.throttled
            ));
        }
        let total = self.total();
        out.push_str(&format!(
            "stats: total calls={} requests={} throttled={}\n",
            total.calls, total.requests, total.throttled
        ));
        out
    }
}

/// The SDK interceptor behind [`Stats`].
#[derive(Debug)]
pub struct StatsInterceptor {
    stats: Stats,
}

impl Intercept for StatsInterceptor {
    fn name(&self) -> &'static str {
        "vpcwarden-stats"
    }

    fn read_before_serialization(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        // Once per operation (retries do not serialise again); the operation metadata is in the
        // config bag by now, unlike in read_before_execution.
        self.stats.bump(cfg, |c| c.calls += 1);
        Ok(())
    }

    fn read_before_attempt(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.stats.bump(cfg, |c| c.requests += 1);
        Ok(())
    }

    fn read_after_attempt(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(response) = context.response() {
            let status = response.status().as_u16();
            // Only error answers carry a code; a successful page is never parsed here.
            let code = (status >= 400)
                .then(|| {
                    response
                        .headers()
                        .get("x-amzn-errortype")
                        .map(str::to_string)
                        .or_else(|| response.body().bytes().and_then(error_code))
                })
                .flatten();
            let throttled = status == 429 || code.as_deref().is_some_and(is_throttling_code);
            if throttled {
                self.stats.bump(cfg, |c| c.throttled += 1);
            }
        }
        Ok(())
    }
}

/// The error codes AWS answers throttling with, across protocols (the SDK's own list of
/// throttling errors): EC2's `RequestLimitExceeded`, IAM's and STS's `Throttling`, Lambda's and
/// Organizations' `TooManyRequestsException`, ...
const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Whether an error code (possibly `Code:detail` or `namespace#Code`) is a throttling one.
fn is_throttling_code(code: &str) -> bool {
    let code = code.split(':').next().unwrap_or(code);
    let code = code.rsplit('#').next().unwrap_or(code);
    THROTTLING_CODES.contains(&code.trim())
}

/// The error code in an error body: `<Code>...</Code>` (EC2, IAM and STS query XML) or `__type` /
/// `code` of a JSON object (Organizations, JSON protocols).
fn error_code(body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    if let Some(start) = text.find("<Code>") {
        let rest = &text[start + "<Code>".len()..];
        return rest.find("</Code>").map(|end| rest[..end].to_string());
    }
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    ["__type", "code", "Code"]
        .iter()
        .find_map(|k| value.get(k).and_then(|v| v.as_str()))
        .map(str::to_string)
}

#[cfg(test)]
mod throttling_tests {
    use super::*;

    #[test]
    fn throttling_is_read_from_every_protocol() {
        let ec2 = b"<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>m</Message></Error></Errors></Response>";
        assert!(error_code(ec2).as_deref().is_some_and(is_throttling_code));
        let iam = b"<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code></Error></ErrorResponse>";
        assert!(error_code(iam).as_deref().is_some_and(is_throttling_code));
        let orgs = br#"{"__type":"TooManyRequestsException","Message":"m"}"#;
        assert!(error_code(orgs).as_deref().is_some_and(is_throttling_code));
        assert!(is_throttling_code(
            "com.amazonaws.lambda#TooManyRequestsException"
        ));
        let denied = b"<ErrorResponse><Error><Code>AccessDenied</Code></Error></ErrorResponse>";
        assert!(
            !error_code(denied)
                .as_deref()
                .is_some_and(is_throttling_code)
        );
    }
}

//! Findings: what a check concluded about one resource, with a stable id and structured evidence.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::fmt;
use std::sync::Arc;

/// How bad a failing finding is. Ordered: `Informational < Low < Medium < High < Critical`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; not a weakness by itself.
    Informational,
    /// A hardening gap.
    Low,
    /// A weakness that widens what an attacker or a mistake can do.
    Medium,
    /// A weakness that is directly usable.
    High,
    /// Exposure now.
    Critical,
}

impl Severity {
    /// The lower-case name used in every output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Informational => "informational",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// All severities, most severe first.
    pub const ALL_DESC: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Informational,
    ];
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// The outcome of a check for one resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The resource has the problem the check looks for.
    Fail,
    /// The check could not decide: its input has a gap, or a document could not be read.
    NotEvaluated,
    /// The resource does not have the problem (Security Hub needs these to resolve fixed findings).
    Pass,
}

impl Status {
    /// The snake-case name used in every output.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Fail => "fail",
            Status::Pass => "pass",
            Status::NotEvaluated => "not_evaluated",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// One check's verdict on one resource. The JSON v1 form is [`crate::report::v1::Finding`], frozen;
/// this type may change. The check's own facts (code, title, remediation...) are shared with its
/// template, not copied: a scan of 100,000 functions holds about a million findings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable id: see [`finding_id`].
    pub id: String,
    /// Check code, e.g. `LAMBDA003`.
    pub code: Arc<str>,
    /// Check slug, e.g. `function-not-in-vpc`.
    pub slug: Arc<str>,
    /// The check's title (states the problem).
    pub title: Arc<str>,
    /// Severity (the catalog's, or the check's override for this finding).
    pub severity: Severity,
    /// `fail`, `pass` or `not_evaluated`.
    pub status: Status,
    /// The account of the resource.
    pub account_id: String,
    /// The region of the resource, or `global`.
    pub region: String,
    /// ASFF resource type, e.g. `AwsLambdaFunction`.
    pub resource_type: Arc<str>,
    /// The resource's real ARN.
    pub resource_arn: String,
    /// One sentence derived from the evidence, for people.
    pub message: String,
    /// Structured facts: which statement, which policy, which subnet... Keys sorted.
    pub evidence: Map<String, Value>,
    /// Compliance control ids, e.g. `["Lambda.3"]`.
    pub compliance: Arc<[String]>,
    /// What to do, in one paragraph; the catalog (`vpcwarden explain CODE`) has the full steps.
    pub remediation: Arc<str>,
    /// The `[[suppress]]` entry that accepts this risk, when one does (see [`crate::suppress`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<Arc<crate::suppress::Suppressed>>,
}

impl Finding {
    /// The finding's sentence for people: its message, or the check's title for a passing finding
    /// of a compact report (see [`PassDetail::Compact`]), which carries no message.
    pub fn sentence(&self) -> &str {
        if self.message.is_empty() {
            &self.title
        } else {
            &self.message
        }
    }

    /// Whether this is a passing finding stripped to what identifies it.
    pub fn is_compact_pass(&self) -> bool {
        self.status == Status::Pass && self.message.is_empty() && self.evidence.is_empty()
    }
}

/// How much a passing finding carries. Failing and not-evaluated findings always carry everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PassDetail {
    /// Message and evidence, as every finding (the default).
    #[default]
    Full,
    /// What identifies it (id, check, severity, status, account, region, resource) and nothing
    /// else: `audit --compact-pass`, for scans where passing findings are the great majority and
    /// their evidence would be most of the report and of the memory it takes.
    Compact,
}

/// A scan's findings, each boxed: joining the checks' lists and sorting them move 8-byte handles,
/// not 296-byte findings (at 100,000 functions the join alone held another 0.26 GB).
#[allow(clippy::vec_box)]
pub type FindingList = Vec<Box<Finding>>;

/// The stable finding id: the first 32 hex digits of SHA-256 over the code, account, region and
/// resource ARN, each written as `LENGTH:TEXT` so that no two field tuples hash the same input.
///
/// Documented as stable: the same resource failing the same check gets the same id in every scan, so
/// Security Hub and diffs between scans can follow it.
pub fn finding_id(code: &str, account_id: &str, region: &str, resource_arn: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut h = Sha256::new();
    for part in [code, account_id, region, resource_arn] {
        h.update(part.len().to_string().as_bytes());
        h.update(b":");
        h.update(part.as_bytes());
    }
    let digest = h.finalize();
    let mut out = String::with_capacity(32);
    for b in digest.iter().take(16) {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    out
}

/// Why a finding could not be built (a bug in a check, reported as an internal error).
#[derive(Debug, thiserror::Error)]
pub enum FindingError {
    /// `build()` was called before `resource()`.
    #[error("check {code}: finding has no resource")]
    NoResource {
        /// The check.
        code: String,
    },
    /// `build()` was called before `status()`.
    #[error("check {code}: finding for {resource} has no status")]
    NoStatus {
        /// The check.
        code: String,
        /// The resource.
        resource: String,
    },
}

/// The check metadata a builder pre-fills a finding with (from the catalog).
#[derive(Debug, Clone)]
pub struct FindingTemplate {
    /// Check code.
    pub code: Arc<str>,
    /// Check slug.
    pub slug: Arc<str>,
    /// Check title.
    pub title: Arc<str>,
    /// Default severity.
    pub severity: Severity,
    /// Default resource type.
    pub resource_type: Arc<str>,
    /// Compliance ids.
    pub compliance: Arc<[String]>,
    /// Remediation summary.
    pub remediation: Arc<str>,
}

/// Builds one finding from a check's template; refuses to build without a resource and a status.
#[derive(Debug, Clone)]
pub struct FindingBuilder<'t> {
    template: &'t FindingTemplate,
    account_id: String,
    region: String,
    resource_type: Option<Arc<str>>,
    resource_arn: Option<String>,
    status: Option<Status>,
    severity: Option<Severity>,
    message: String,
    evidence: Map<String, Value>,
}

impl<'t> FindingBuilder<'t> {
    /// A builder for a finding in `account_id`/`region`.
    pub fn new(template: &'t FindingTemplate, account_id: &str, region: &str) -> Self {
        FindingBuilder {
            template,
            account_id: account_id.to_string(),
            region: region.to_string(),
            resource_type: None,
            resource_arn: None,
            status: None,
            severity: None,
            message: String::new(),
            evidence: Map::new(),
        }
    }

    /// The resource, by ARN, of the catalog's resource type.
    pub fn resource(mut self, arn: &str) -> Self {
        self.resource_arn = Some(arn.to_string());
        self
    }

    /// The resource, by ARN, with a resource type other than the catalog's (e.g. `AwsAccount` for a
    /// region-wide "not evaluated").
    pub fn resource_of_type(mut self, resource_type: &str, arn: &str) -> Self {
        self.resource_type = Some(Arc::from(resource_type));
        self.resource_arn = Some(arn.to_string());
        self
    }

    /// The outcome.
    pub fn status(mut self, status: Status) -> Self {
        self.status = Some(status);
        self
    }

    /// Overrides the catalog severity for this finding.
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = Some(severity);
        self
    }

    /// The human sentence; derive it from the same facts you put in the evidence.
    pub fn message(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
    }

    /// Adds one structured fact.
    pub fn evidence(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.evidence.insert(key.to_string(), value.into());
        self
    }

    /// The finding, or an error when the resource or status is missing.
    pub fn build(self) -> Result<Finding, FindingError> {
        let t = self.template;
        let resource_arn = self.resource_arn.ok_or_else(|| FindingError::NoResource {
            code: t.code.to_string(),
        })?;
        let status = self.status.ok_or_else(|| FindingError::NoStatus {
            code: t.code.to_string(),
            resource: resource_arn.clone(),
        })?;
        let mut evidence: Vec<(String, Value)> = self.evidence.into_iter().collect();
        evidence.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(Finding {
            id: finding_id(&t.code, &self.account_id, &self.region, &resource_arn),
            code: t.code.clone(),
            slug: t.slug.clone(),
            title: t.title.clone(),
            severity: self.severity.unwrap_or(t.severity),
            status,
            account_id: self.account_id,
            region: self.region,
            resource_type: self
                .resource_type
                .unwrap_or_else(|| t.resource_type.clone()),
            resource_arn,
            message: self.message,
            evidence: evidence.into_iter().collect(),
            compliance: t.compliance.clone(),
            remediation: t.remediation.clone(),
            suppressed: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template() -> FindingTemplate {
        FindingTemplate {
            code: "LAMBDA003".into(),
            slug: "function-not-in-vpc".into(),
            title: "t".into(),
            severity: Severity::Low,
            resource_type: "AwsLambdaFunction".into(),
            compliance: vec!["Lambda.3".into()].into(),
            remediation: "r".into(),
        }
    }

    #[test]
    fn finding_id_is_stable_and_distinguishes_fields() {
        let a = finding_id("LAMBDA003", "111111111111", "us-east-1", "arn:x");
        assert_eq!(
            a,
            finding_id("LAMBDA003", "111111111111", "us-east-1", "arn:x")
        );
        assert_eq!(a.len(), 32);
        assert_ne!(
            a,
            finding_id("LAMBDA003", "111111111111", "eu-west-1", "arn:x")
        );
        // Length prefixes keep field boundaries: moving a character across fields changes the id.
        assert_ne!(
            finding_id("A", "1|2", "r", "x"),
            finding_id("A|1", "2", "r", "x")
        );
        // Frozen value: changing the id scheme breaks Security Hub history, so this must not move.
        assert_eq!(
            finding_id(
                "LAMBDA003",
                "123456789012",
                "us-east-1",
                "arn:aws:lambda:us-east-1:123456789012:function:f"
            ),
            FROZEN_ID
        );
    }
    const FROZEN_ID: &str = "2818e9cbfe7e2792e9bff9ef84f63cf7";

    #[test]
    fn build_refuses_a_finding_without_resource_or_status() {
        let t = template();
        let err = FindingBuilder::new(&t, "1", "r")
            .status(Status::Fail)
            .build();
        assert!(matches!(err, Err(FindingError::NoResource { .. })));
        let err = FindingBuilder::new(&t, "1", "r").resource("arn:x").build();
        assert!(matches!(err, Err(FindingError::NoStatus { .. })));
        let ok = FindingBuilder::new(&t, "1", "r")
            .resource("arn:x")
            .status(Status::Pass)
            .severity(Severity::High)
            .evidence("b", 1)
            .evidence("a", "x")
            .build()
            .expect("complete");
        assert_eq!(ok.severity, Severity::High);
        assert_eq!(&*ok.resource_type, "AwsLambdaFunction");
        assert_eq!(ok.evidence.keys().collect::<Vec<_>>(), vec!["a", "b"]);
    }

    #[test]
    fn severity_orders_from_informational_to_critical() {
        assert!(Severity::Critical > Severity::High);
        assert!(Severity::Low > Severity::Informational);
    }
}

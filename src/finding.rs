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
/// this type may change. A scan of 100,000 functions holds about a million findings until its
/// report is written, so a finding is kept small: the check's own facts (title, remediation...)
/// are one pointer shared with its template, its account and region are shared with the
/// findings beside it, and its evidence is held as text (see [`Evidence`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Stable id: see [`finding_id`].
    pub id: FindingId,
    /// The check's facts every finding of it shares (code, slug, title, compliance, remediation).
    pub check: Arc<CheckFacts>,
    /// Severity (the catalog's, or the check's override for this finding).
    pub severity: Severity,
    /// `fail`, `pass` or `not_evaluated`.
    pub status: Status,
    /// The account of the resource.
    pub account_id: Arc<str>,
    /// The region of the resource, or `global`.
    pub region: Arc<str>,
    /// ASFF resource type, e.g. `AwsLambdaFunction`.
    pub resource_type: Arc<str>,
    /// The resource's real ARN (shared with the snapshot where it holds one, see
    /// [`FindingBuilder::resource_shared`]).
    pub resource_arn: Arc<str>,
    /// One sentence derived from the evidence, for people.
    pub message: Box<str>,
    /// Structured facts: which statement, which policy, which subnet... Keys sorted.
    pub evidence: Evidence,
    /// The `[[suppress]]` entry that accepts this risk, when one does (see [`crate::suppress`]).
    pub suppressed: Option<Arc<crate::suppress::Suppressed>>,
}

/// What every finding of one check says alike, shared by them all.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CheckFacts {
    /// Check code, e.g. `LAMBDA003`.
    pub code: String,
    /// Check slug, e.g. `function-not-in-vpc`.
    pub slug: String,
    /// The check's title (states the problem).
    pub title: String,
    /// Compliance control ids, e.g. `["Lambda.3"]`.
    pub compliance: Vec<String>,
    /// What to do, in one paragraph; the catalog (`vpcwarden explain CODE`) has the full steps.
    pub remediation: String,
}

impl Finding {
    /// The finding's sentence for people: its message, or the check's title for a passing finding
    /// of a compact report (see [`PassDetail::Compact`]), which carries no message.
    pub fn sentence(&self) -> &str {
        if self.message.is_empty() {
            &self.check.title
        } else {
            &self.message
        }
    }

    /// Whether this is a passing finding stripped to what identifies it.
    pub fn is_compact_pass(&self) -> bool {
        self.status == Status::Pass && self.message.is_empty() && self.evidence.is_empty()
    }

    /// Check code, e.g. `LAMBDA003`.
    pub fn code(&self) -> &str {
        &self.check.code
    }

    /// Check slug, e.g. `function-not-in-vpc`.
    pub fn slug(&self) -> &str {
        &self.check.slug
    }

    /// The check's title (states the problem).
    pub fn title(&self) -> &str {
        &self.check.title
    }

    /// Compliance control ids, e.g. `["Lambda.3"]`.
    pub fn compliance(&self) -> &[String] {
        &self.check.compliance
    }

    /// What to do, in one paragraph.
    pub fn remediation(&self) -> &str {
        &self.check.remediation
    }
}

/// A finding's evidence: a JSON object (its keys sorted by the builder; one added later goes last),
/// held as its compact JSON text.
///
/// A scan of 100,000 functions keeps some 165,000 failing findings until its report is written;
/// held as trees of JSON values their evidence was a third of the scan's memory, as text it is a
/// quarter of that. Readers get the object back with [`Evidence::to_map`]; the report writers
/// stream the text into their output as it is read (the bytes of writing the object itself).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Evidence(Option<Box<str>>);

impl Evidence {
    /// The evidence of `map`, in its key order.
    pub fn from_map(map: &Map<String, Value>) -> Evidence {
        Evidence::from_members(map.iter().map(|(k, v)| (k.as_str(), v)))
    }

    /// The evidence of these members in this order, as the compact text serde_json writes for
    /// the object they make (written by [`crate::json_text`], faster than through serde).
    fn from_members<'a>(members: impl Iterator<Item = (&'a str, &'a Value)>) -> Evidence {
        let mut text = Vec::with_capacity(128);
        for (key, value) in members {
            text.push(if text.is_empty() { b'{' } else { b',' });
            crate::json_text::write_json_str(&mut text, key);
            text.push(b':');
            crate::json_text::write_compact_value(&mut text, value);
        }
        if text.is_empty() {
            return Evidence(None);
        }
        text.push(b'}');
        // Valid UTF-8 by construction: the keys and strings were, and the rest is ASCII.
        Evidence(String::from_utf8(text).ok().map(String::into_boxed_str))
    }

    /// The evidence of `pairs`, sorted by key, a later pair replacing an earlier one of its key.
    fn from_pairs(mut pairs: Vec<(&'static str, Value)>) -> Evidence {
        if pairs.is_empty() {
            return Evidence(None);
        }
        // Stable: of two pairs with one key the later stays last, and is the one kept.
        pairs.sort_by(|a, b| a.0.cmp(b.0));
        let mut kept: Vec<(&str, Value)> = Vec::with_capacity(pairs.len());
        for pair in pairs {
            match kept.last_mut() {
                Some(last) if last.0 == pair.0 => *last = pair,
                _ => kept.push(pair),
            }
        }
        Evidence::from_members(kept.iter().map(|(k, v)| (*k, v)))
    }

    /// No facts.
    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// The facts as a JSON object.
    pub fn to_map(&self) -> Map<String, Value> {
        match &self.0 {
            // The text is one this type wrote from a map: it reads back (at any depth, and with
            // every float as it was: serde_json's `float_roundtrip`).
            Some(text) => {
                let mut de = serde_json::Deserializer::from_str(text);
                de.disable_recursion_limit();
                Map::deserialize(&mut de).unwrap_or_default()
            }
            None => Map::new(),
        }
    }

    /// One fact, if present.
    pub fn get(&self, key: &str) -> Option<Value> {
        self.to_map().remove(key)
    }

    /// Changes the facts with `change`, for the few added to a finding once it is built (a
    /// second gap, the surfaces judged). A new key goes last, as `Map::insert` puts it; `change`
    /// sorts them when it wants them sorted.
    pub fn update(&mut self, change: impl FnOnce(&mut Map<String, Value>)) {
        let mut map = self.to_map();
        change(&mut map);
        *self = Evidence::from_map(&map);
    }

    /// The compact JSON text (`{}` when empty).
    pub fn as_json(&self) -> &str {
        self.0.as_deref().unwrap_or("{}")
    }
}

impl fmt::Debug for Evidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_json())
    }
}

impl Serialize for Evidence {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match &self.0 {
            // Token by token into the serialiser at hand, so a pretty writer indents it as it
            // would the object itself.
            Some(text) => {
                let mut de = serde_json::Deserializer::from_str(text);
                de.disable_recursion_limit();
                serde_transcode::transcode(&mut de, s)
            }
            None => s.serialize_map(Some(0))?.end(),
        }
    }
}

impl<'de> Deserialize<'de> for Evidence {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Evidence, D::Error> {
        Map::deserialize(d).map(|m| Evidence::from_map(&m))
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

impl PassDetail {
    /// Whether a finding of `status` is kept without its message and evidence.
    pub fn strips(self, status: Status) -> bool {
        self == PassDetail::Compact && status == Status::Pass
    }
}

/// A scan's findings, each boxed: joining the checks' lists and sorting them move 8-byte handles,
/// not 296-byte findings (at 100,000 functions the join alone held another 0.26 GB).
#[allow(clippy::vec_box)]
pub type FindingList = Vec<Box<Finding>>;

/// A finding's id, held inline: every id this tool makes is 32 lower-case hex digits (see
/// [`finding_id`]), and a million findings then carry no million small allocations for them. An id
/// of any other text (a report written by hand, read back) is kept as it is.
#[derive(Clone)]
pub enum FindingId {
    /// 32 lower-case hex digits.
    Hex([u8; 32]),
    /// Any other text.
    Other(Box<str>),
}

impl FindingId {
    /// The id as text.
    pub fn as_str(&self) -> &str {
        match self {
            // Only ASCII hex digits are ever stored here (see `From<&str>` and `finding_id`).
            FindingId::Hex(hex) => std::str::from_utf8(hex).unwrap_or_default(),
            FindingId::Other(text) => text,
        }
    }
}

impl From<&str> for FindingId {
    fn from(text: &str) -> FindingId {
        match <[u8; 32]>::try_from(text.as_bytes()) {
            Ok(hex) if hex.iter().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) => {
                FindingId::Hex(hex)
            }
            _ => FindingId::Other(text.into()),
        }
    }
}

impl From<String> for FindingId {
    fn from(text: String) -> FindingId {
        FindingId::from(text.as_str())
    }
}

impl std::ops::Deref for FindingId {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for FindingId {
    fn eq(&self, other: &FindingId) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for FindingId {}

impl PartialEq<str> for FindingId {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for FindingId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::hash::Hash for FindingId {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl fmt::Debug for FindingId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for FindingId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl Serialize for FindingId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for FindingId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<FindingId, D::Error> {
        std::borrow::Cow::<'de, str>::deserialize(d).map(|text| FindingId::from(&*text))
    }
}

/// The stable finding id: the first 32 hex digits of SHA-256 over the code, account, region and
/// resource ARN, each written as `LENGTH:TEXT` so that no two field tuples hash the same input.
///
/// Documented as stable: the same resource failing the same check gets the same id in every scan, so
/// Security Hub and diffs between scans can follow it.
pub fn finding_id(code: &str, account_id: &str, region: &str, resource_arn: &str) -> FindingId {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut h = Sha256::new();
    for part in [code, account_id, region, resource_arn] {
        h.update(part.len().to_string().as_bytes());
        h.update(b":");
        h.update(part.as_bytes());
    }
    let digest = h.finalize();
    let mut out = [0u8; 32];
    for (i, b) in digest.iter().take(16).enumerate() {
        out[2 * i] = HEX[usize::from(b >> 4)];
        out[2 * i + 1] = HEX[usize::from(b & 0xf)];
    }
    FindingId::Hex(out)
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
    /// Code, slug, title, compliance and remediation, shared by every finding of the check.
    pub facts: Arc<CheckFacts>,
    /// Default severity.
    pub severity: Severity,
    /// Default resource type.
    pub resource_type: Arc<str>,
}

/// The shared copy of a short string that nearly every finding repeats (an account id, a
/// region): a million findings then hold a pointer each, not a million copies. Each thread keeps
/// the few it saw last; an organization's thousands of accounts pass through, not pile up.
fn shared(s: &str) -> Arc<str> {
    use std::cell::RefCell;
    const KEPT: usize = 64;
    thread_local! {
        static SEEN: RefCell<Vec<Arc<str>>> = const { RefCell::new(Vec::new()) };
    }
    SEEN.with_borrow_mut(|seen| {
        if let Some(known) = seen.iter().rev().find(|k| ***k == *s) {
            return known.clone();
        }
        if seen.len() == KEPT {
            seen.clear();
        }
        let new: Arc<str> = Arc::from(s);
        seen.push(new.clone());
        new
    })
}

/// Builds one finding from a check's template; refuses to build without a resource and a status.
#[derive(Debug, Clone)]
pub struct FindingBuilder<'t> {
    template: &'t FindingTemplate,
    account_id: Arc<str>,
    region: Arc<str>,
    resource_type: Option<Arc<str>>,
    resource_arn: Option<Arc<str>>,
    status: Option<Status>,
    severity: Option<Severity>,
    message: String,
    evidence: Vec<(&'static str, Value)>,
    detail: PassDetail,
}

impl<'t> FindingBuilder<'t> {
    /// A builder for a finding in `account_id`/`region`.
    pub fn new(template: &'t FindingTemplate, account_id: &str, region: &str) -> Self {
        FindingBuilder {
            template,
            account_id: shared(account_id),
            region: shared(region),
            resource_type: None,
            resource_arn: None,
            status: None,
            severity: None,
            message: String::new(),
            evidence: Vec::new(),
            detail: PassDetail::Full,
        }
    }

    /// How much a passing finding keeps: a compact one is built without message and evidence.
    pub fn pass_detail(mut self, detail: PassDetail) -> Self {
        self.detail = detail;
        self
    }

    /// The resource, by ARN, of the catalog's resource type.
    pub fn resource(mut self, arn: &str) -> Self {
        self.resource_arn = Some(Arc::from(arn));
        self
    }

    /// [`FindingBuilder::resource`] with an ARN the snapshot holds shared (a function's): the
    /// finding points to it instead of copying it.
    pub fn resource_shared(mut self, arn: &Arc<str>) -> Self {
        self.resource_arn = Some(arn.clone());
        self
    }

    /// The resource, by ARN, with a resource type other than the catalog's (e.g. `AwsAccount` for a
    /// region-wide "not evaluated").
    pub fn resource_of_type(mut self, resource_type: &str, arn: &str) -> Self {
        self.resource_type = Some(Arc::from(resource_type));
        self.resource_arn = Some(Arc::from(arn));
        self
    }

    /// The outcome. Set it once: a stripped pass has dropped the message and evidence given
    /// after its status, which another status would need.
    pub fn status(mut self, status: Status) -> Self {
        debug_assert!(
            !self.stripped() || self.detail.strips(status),
            "a stripped pass of {} turned {status:?}",
            self.template.facts.code
        );
        self.status = Some(status);
        self
    }

    /// Overrides the catalog severity for this finding.
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = Some(severity);
        self
    }

    /// The human sentence; derive it from the same facts you put in the evidence. Pass
    /// `format_args!(...)` rather than `format!(...)`: a pass that this run strips (see
    /// [`PassDetail`]) and whose status is already set is then never formatted, and three of four
    /// findings of a large scan are such passes.
    pub fn message(mut self, message: impl std::fmt::Display) -> Self {
        if !self.stripped() {
            self.message = message.to_string();
        }
        self
    }

    /// Adds one structured fact (a later fact of the same key replaces it).
    pub fn evidence(mut self, key: &'static str, value: impl Into<Value>) -> Self {
        if !self.stripped() {
            self.evidence.push((key, value.into()));
        }
        self
    }

    /// Whether the finding is already known to be a pass this run keeps without message and
    /// evidence ([`FindingBuilder::build`] strips one whose status comes later).
    fn stripped(&self) -> bool {
        self.status.is_some_and(|s| self.detail.strips(s))
    }

    /// The finding, or an error when the resource or status is missing.
    pub fn build(self) -> Result<Finding, FindingError> {
        let t = self.template;
        let resource_arn = self.resource_arn.ok_or_else(|| FindingError::NoResource {
            code: t.facts.code.clone(),
        })?;
        let status = self.status.ok_or_else(|| FindingError::NoStatus {
            code: t.facts.code.clone(),
            resource: resource_arn.to_string(),
        })?;
        let compact = self.detail.strips(status);
        Ok(Finding {
            id: finding_id(&t.facts.code, &self.account_id, &self.region, &resource_arn),
            check: t.facts.clone(),
            severity: self.severity.unwrap_or(t.severity),
            status,
            account_id: self.account_id,
            region: self.region,
            resource_type: self
                .resource_type
                .unwrap_or_else(|| t.resource_type.clone()),
            resource_arn,
            message: if compact {
                Box::default()
            } else {
                self.message.into_boxed_str()
            },
            evidence: if compact {
                Evidence::default()
            } else {
                Evidence::from_pairs(self.evidence)
            },
            suppressed: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template() -> FindingTemplate {
        FindingTemplate {
            facts: Arc::new(CheckFacts {
                code: "LAMBDA003".into(),
                slug: "function-not-in-vpc".into(),
                title: "t".into(),
                compliance: vec!["Lambda.3".into()],
                remediation: "r".into(),
            }),
            severity: Severity::Low,
            resource_type: "AwsLambdaFunction".into(),
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

    /// Evidence written as text reads and writes as the object it was: a key added later goes
    /// last (as `Map::insert` puts it), floats keep every digit, empty containers stay empty.
    #[test]
    fn evidence_as_text_is_the_object_it_was() {
        let t = template();
        let f = FindingBuilder::new(&t, "1", "r")
            .resource("arn:x")
            .status(Status::Fail)
            .evidence(
                "z",
                serde_json::json!({"n": 0.9770072689183194, "big": u64::MAX}),
            )
            .evidence("a", serde_json::json!([{}, [], -0.0, 1e-7]))
            .evidence("a", "replaced")
            .build()
            .expect("complete");
        // Keys sorted at the top (the builder's order); a nested object keeps its own.
        let mut expected = Map::new();
        expected.insert("a".into(), "replaced".into());
        expected.insert(
            "z".into(),
            serde_json::json!({"n": 0.9770072689183194, "big": u64::MAX}),
        );
        assert_eq!(f.evidence.to_map(), expected);
        assert_eq!(
            serde_json::to_string_pretty(&f.evidence).expect("text"),
            serde_json::to_string_pretty(&expected).expect("map")
        );
        let mut e = f.evidence.clone();
        e.update(|m| {
            m.insert("m".into(), serde_json::json!([0.1, 3600.5]));
        });
        assert_eq!(
            e.to_map().keys().map(String::as_str).collect::<Vec<_>>(),
            ["a", "z", "m"]
        );
        assert_eq!(e.get("m"), Some(serde_json::json!([0.1, 3600.5])));
        // Deeper than serde_json's default limit of 128 levels still reads back.
        let mut deep = serde_json::json!(1);
        for _ in 0..200 {
            deep = serde_json::json!([deep]);
        }
        let mut map = Map::new();
        map.insert("deep".into(), deep.clone());
        assert_eq!(Evidence::from_map(&map).get("deep"), Some(deep));
    }

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
        assert_eq!(
            ok.evidence.to_map().keys().collect::<Vec<_>>(),
            vec!["a", "b"]
        );
    }

    #[test]
    fn severity_orders_from_informational_to_critical() {
        assert!(Severity::Critical > Severity::High);
        assert!(Severity::Low > Severity::Informational);
    }
}

//! Parsing of IAM policy documents into a compiled, shareable model with typed errors.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

use super::condition::{Condition, parse_condition_block};
use super::context::Tri;
use super::matching::{Glob, Mode, Part, Template, Unknowns, has_vars, parse_parts};

/// Which kind of policy a document is, because the kind decides which elements are required
/// and how the evaluator uses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyKind {
    /// A managed policy (AWS or customer) attached to a user, group or role.
    IdentityManaged,
    /// An inline policy embedded in a user, group or role.
    IdentityInline,
    /// A permissions boundary.
    Boundary,
    /// An Organizations service control policy.
    Scp,
    /// A resource-based policy, such as a Lambda function policy.
    Resource,
    /// A role trust policy.
    Trust,
}

impl PolicyKind {
    /// Whether statements must name a `Principal` (resource-based and trust policies).
    pub fn is_resource_based(self) -> bool {
        matches!(self, PolicyKind::Resource | PolicyKind::Trust)
    }
}

/// Identifies a policy in citations and error messages.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PolicySource {
    /// A managed policy ARN, or a readable id such as `role/NAME inline POLICYNAME`.
    pub id: String,
    /// The policy's kind.
    pub kind: PolicyKind,
}

impl PolicySource {
    /// Convenience constructor.
    pub fn new(id: impl Into<String>, kind: PolicyKind) -> Self {
        Self {
            id: id.into(),
            kind,
        }
    }
}

/// A malformed policy document: names the policy and the JSON path of the fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    /// The text is not JSON.
    #[error("policy {policy}: invalid JSON at line {line}, column {column}: {message}")]
    Json {
        /// Policy id.
        policy: String,
        /// serde_json's message.
        message: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// An element has the wrong shape or value.
    #[error("policy {policy}: {path}: {message}")]
    Invalid {
        /// Policy id.
        policy: String,
        /// JSON path such as `Statement[2].Condition.StringEquals`.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// A condition operator IAM does not define.
    #[error("policy {policy}: {path}: unknown condition operator {operator:?}")]
    UnknownOperator {
        /// Policy id.
        policy: String,
        /// JSON path of the operator.
        path: String,
        /// The operator as written.
        operator: String,
    },
}

impl PolicyError {
    /// The JSON path of the fault (empty for JSON syntax errors).
    pub fn path(&self) -> &str {
        match self {
            PolicyError::Json { .. } => "",
            PolicyError::Invalid { path, .. } | PolicyError::UnknownOperator { path, .. } => path,
        }
    }
}

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Effect {
    /// Grants.
    Allow,
    /// Denies, beating any allow.
    Deny,
}

/// Immutable text shared by every citation of a statement, so a decision can cite statements
/// of a policy shared by 10,000 principals without copying strings. Serialises as a string.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SharedStr(Arc<str>);

impl Deref for SharedStr {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for SharedStr {
    fn from(s: &str) -> Self {
        SharedStr(s.into())
    }
}

impl From<String> for SharedStr {
    fn from(s: String) -> Self {
        SharedStr(s.into())
    }
}

impl Serialize for SharedStr {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

/// Points at one statement, as evidence in a decision.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct StatementRef {
    /// The policy's id.
    pub policy_id: SharedStr,
    /// The policy's kind.
    pub policy_kind: PolicyKind,
    /// The statement's `Sid`, if any.
    pub sid: Option<SharedStr>,
    /// 0-based position in the `Statement` array (0 when `Statement` is one object).
    pub index: usize,
}

/// The `Principal` element's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum PrincipalSpec {
    /// `"*"`.
    Any,
    /// `{"AWS": ..., "Service": ..., "Federated": ..., "CanonicalUser": ...}`.
    Map {
        aws: Vec<String>,
        service: Vec<String>,
        federated: Vec<String>,
        canonical: Vec<String>,
    },
}

/// `Principal` or `NotPrincipal`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PrincipalElem {
    pub(super) negated: bool,
    pub(super) spec: PrincipalSpec,
}

/// `Action` or `NotAction`, compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ActionElem {
    pub(super) negated: bool,
    pub(super) patterns: Vec<ActionPattern>,
}

/// One entry of `Action` or `NotAction`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum ActionPattern {
    /// An action pattern such as `ec2:*NetworkInterface*`.
    Glob(Glob),
    /// An entry that holds a policy variable (`${key}`, with or without a default) in a
    /// `2012-10-17` policy. AWS supports variables only in `Resource` and `Condition` ("You can use
    /// policy variables in the Resource element and in string comparisons in the Condition
    /// element", IAM User Guide, "IAM policy elements: Variables and tags"; IAM Access Analyzer
    /// reports `VARIABLE_UNSUPPORTED_IN_ELEMENT` for any other element) and documents no
    /// evaluation of one here: read literally the entry matches no action, substituted it might
    /// match, and the statement might be invalid. The readings disagree, so for an action the
    /// entry's shape covers (each variable read as `*`) the match is unknown: under `NotAction` a
    /// variable never makes a statement apply, and under `Action` it never makes a Deny vanish.
    Variable {
        /// The entry as written, for the reason of an unknown decision.
        raw: Box<str>,
        /// The entry with each variable read as `*`.
        shape: Glob,
    },
}

impl ActionPattern {
    /// Compiles one entry; `variables` is whether the policy language has them (`2012-10-17`).
    fn compile(raw: &str, variables: bool) -> Self {
        if variables {
            let parts = parse_parts(raw, true, true);
            if has_vars(&parts) {
                let starred: Vec<Part> = parts
                    .into_iter()
                    .map(|p| match p {
                        Part::Var { .. } => Part::Star,
                        other => other,
                    })
                    .collect();
                return ActionPattern::Variable {
                    raw: raw.into(),
                    shape: Glob::compile(&starred, Mode::Action),
                };
            }
        }
        ActionPattern::Glob(Glob::compile(&parse_parts(raw, false, true), Mode::Action))
    }
}

impl ActionElem {
    /// Whether the element covers `action` (case-insensitive), three-valued because of entries
    /// that hold a policy variable (see [`ActionPattern::Variable`]).
    pub(super) fn matches(&self, action: &str, unknowns: &mut Unknowns) -> Tri {
        let mut any = Tri::False;
        for p in &self.patterns {
            match p {
                ActionPattern::Glob(g) => {
                    if g.matches(action, true) {
                        any = Tri::True;
                        break;
                    }
                }
                ActionPattern::Variable { raw, shape } => {
                    if shape.matches(action, true) {
                        unknowns.push(format!(
                            "policy variable in action {raw:?} (AWS supports variables only in Resource and Condition)"
                        ));
                        any = Tri::Unknown;
                    }
                }
            }
        }
        if self.negated { any.negate() } else { any }
    }
}

/// `Resource` or `NotResource`, compiled (patterns may hold policy variables).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ResourceElem {
    pub(super) negated: bool,
    pub(super) patterns: Vec<Template<Glob>>,
}

/// One compiled statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub(super) sref: StatementRef,
    pub(super) effect: Effect,
    pub(super) principal: Option<PrincipalElem>,
    pub(super) action: ActionElem,
    pub(super) resource: Option<ResourceElem>,
    pub(super) conditions: Vec<Condition>,
}

impl Statement {
    /// The statement's citation.
    pub fn reference(&self) -> &StatementRef {
        &self.sref
    }

    /// The statement's effect.
    pub fn effect(&self) -> Effect {
        self.effect
    }

    /// The AWS service principals (`s3.amazonaws.com`, ...) a `Principal` element names; none for
    /// `NotPrincipal`, `"*"` or a statement without a principal.
    pub fn service_principals(&self) -> &[String] {
        match &self.principal {
            Some(PrincipalElem {
                negated: false,
                spec: PrincipalSpec::Map { service, .. },
            }) => service,
            _ => &[],
        }
    }

    /// The actions the `Action` element names, each wildcard filled with `fill` so that the
    /// result is an action the entry covers (`ec2:*NetworkInterface*` gives
    /// `ec2:FILLnetworkinterfaceFILL`, lower-cased; `*` gives `fill` itself): requests a check can
    /// put to the engine to learn what a grant reaches beyond a reference policy. `None` for
    /// `NotAction`, which covers every action it does not name.
    pub fn action_examples(&self, fill: &str) -> Option<Vec<String>> {
        if self.action.negated {
            return None;
        }
        Some(
            self.action
                .patterns
                .iter()
                .map(|p| match p {
                    ActionPattern::Glob(g) | ActionPattern::Variable { shape: g, .. } => {
                        g.example(fill)
                    }
                })
                .collect(),
        )
    }

    /// As [`action_examples`](Self::action_examples), for the `Resource` element (wildcards and
    /// policy variables filled with `fill`). `None` for `NotResource` or no resource element:
    /// the statement covers resources it does not name.
    pub fn resource_examples(&self, fill: &str) -> Option<Vec<String>> {
        match &self.resource {
            Some(ResourceElem {
                negated: false,
                patterns,
            }) => Some(patterns.iter().map(|p| p.example(fill)).collect()),
            _ => None,
        }
    }

    /// The `(operator, lower-cased key)` pairs of the `Condition` block, so a finding can say
    /// which context keys a statement hinges on.
    pub fn conditions(&self) -> impl Iterator<Item = (&str, &str)> {
        self.conditions.iter().map(|c| (c.operator(), c.key()))
    }
}

/// A parsed, compiled policy. Parse once and share it behind an `Arc` across every principal it
/// is attached to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    source: PolicySource,
    version: Option<String>,
    statements: Vec<Statement>,
}

impl Policy {
    /// The same policy under another kind, e.g. a managed policy used as a permissions boundary,
    /// so that citations of its statements name the role it plays.
    pub fn as_kind(&self, kind: PolicyKind) -> Policy {
        let mut copy = self.clone();
        copy.source.kind = kind;
        for st in &mut copy.statements {
            st.sref.policy_kind = kind;
        }
        copy
    }

    /// Where the policy came from.
    pub fn source(&self) -> &PolicySource {
        &self.source
    }

    /// The `Version` element, if present.
    pub fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }

    /// The compiled statements in document order.
    pub fn statements(&self) -> &[Statement] {
        &self.statements
    }
}

/// Statement `index` of a policy document as written (`Statement` may be one object), for evidence.
pub fn statement_at(document: &Value, index: usize) -> Option<Value> {
    match document.get("Statement")? {
        Value::Array(a) => a.get(index).cloned(),
        o @ Value::Object(_) if index == 0 => Some(o.clone()),
        _ => None,
    }
}

/// Parses a policy document. Every shape IAM accepts parses; anything else is a
/// [`PolicyError`] that names the policy and the path of the fault. Never panics.
pub fn parse_policy(source: PolicySource, json: &str) -> Result<Policy, PolicyError> {
    let value: Value = serde_json::from_str(json).map_err(|e| PolicyError::Json {
        policy: source.id.clone(),
        message: e.to_string(),
        line: e.line(),
        column: e.column(),
    })?;
    parse_policy_value(source, &value)
}

/// Parses an already-decoded JSON document (for callers that hold a `serde_json::Value`).
pub fn parse_policy_value(source: PolicySource, value: &Value) -> Result<Policy, PolicyError> {
    let p = Parser { source: &source };
    let obj = value
        .as_object()
        .ok_or_else(|| p.err("", "a policy document must be a JSON object"))?;
    let mut version = None;
    let mut statement = None;
    for (k, v) in obj {
        match k.as_str() {
            "Version" => {
                let s = v
                    .as_str()
                    .ok_or_else(|| p.err("Version", "must be a string"))?;
                if s != "2012-10-17" && s != "2008-10-17" {
                    return Err(p.err("Version", &format!("unsupported version {s:?}")));
                }
                version = Some(s.to_string());
            }
            "Id" => {
                if !v.is_string() {
                    return Err(p.err("Id", "must be a string"));
                }
            }
            "Statement" => statement = Some(v),
            other => {
                return Err(p.err(other, "unknown top-level element"));
            }
        }
    }
    // Variables exist only in the 2012-10-17 language; elsewhere `${...}` is literal text.
    let variables = version.as_deref() == Some("2012-10-17");
    let policy_id = SharedStr::from(source.id.as_str());
    let statements = match statement {
        None => return Err(p.err("Statement", "is required")),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, s)| p.statement(&policy_id, s, i, JsonPath::Index("Statement", i), variables))
            .collect::<Result<Vec<_>, _>>()?,
        Some(s @ Value::Object(_)) => {
            vec![p.statement(&policy_id, s, 0, JsonPath::Top("Statement"), variables)?]
        }
        Some(_) => return Err(p.err("Statement", "must be an object or an array")),
    };
    Ok(Policy {
        source,
        version,
        statements,
    })
}

/// Reads a JSON string or array of strings (the shape of `Action`, `Resource`, principals).
pub(super) fn string_list(v: &Value) -> Option<Vec<&str>> {
    match v {
        Value::String(s) => Some(vec![s.as_str()]),
        Value::Array(items) => items.iter().map(Value::as_str).collect(),
        _ => None,
    }
}

pub(super) struct Parser<'a> {
    pub(super) source: &'a PolicySource,
}

/// Where in a document the parser is (`Statement[2].Condition.StringEquals.aws:SourceArn`),
/// written out only when an error names it: formatting the path of every element of every policy
/// read was a fifth of the parser's time.
#[derive(Clone, Copy)]
pub(super) enum JsonPath<'a> {
    /// A top-level element.
    Top(&'a str),
    /// An element of a top-level array (`Statement[2]`).
    Index(&'a str, usize),
    /// A member of an object.
    Field(&'a JsonPath<'a>, &'a str),
}

impl std::fmt::Display for JsonPath<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JsonPath::Top(name) => f.write_str(name),
            JsonPath::Index(name, i) => write!(f, "{name}[{i}]"),
            JsonPath::Field(parent, name) => write!(f, "{parent}.{name}"),
        }
    }
}

impl Parser<'_> {
    pub(super) fn err(&self, path: impl std::fmt::Display, message: &str) -> PolicyError {
        PolicyError::Invalid {
            policy: self.source.id.clone(),
            path: path.to_string(),
            message: message.to_string(),
        }
    }

    fn statement(
        &self,
        policy_id: &SharedStr,
        v: &Value,
        index: usize,
        path: JsonPath<'_>,
        variables: bool,
    ) -> Result<Statement, PolicyError> {
        let obj = v
            .as_object()
            .ok_or_else(|| self.err(path, "a statement must be an object"))?;
        let mut sid = None;
        let mut effect = None;
        let mut principal = None;
        let mut action = None;
        let mut resource = None;
        let mut conditions = Vec::new();
        for (k, val) in obj {
            let fpath = JsonPath::Field(&path, k);
            match k.as_str() {
                "Sid" => {
                    sid = Some(
                        val.as_str()
                            .ok_or_else(|| self.err(fpath, "must be a string"))?
                            .into(),
                    )
                }
                "Effect" => {
                    effect = Some(match val.as_str() {
                        Some("Allow") => Effect::Allow,
                        Some("Deny") => Effect::Deny,
                        _ => return Err(self.err(fpath, "must be \"Allow\" or \"Deny\"")),
                    })
                }
                "Principal" | "NotPrincipal" => {
                    if principal.is_some() {
                        return Err(self.err(fpath, "Principal and NotPrincipal are exclusive"));
                    }
                    principal = Some(PrincipalElem {
                        negated: k == "NotPrincipal",
                        spec: self.principal(val, fpath)?,
                    });
                }
                "Action" | "NotAction" => {
                    if action.is_some() {
                        return Err(self.err(fpath, "Action and NotAction are exclusive"));
                    }
                    let list = string_list(val).ok_or_else(|| {
                        self.err(fpath, "must be a string or an array of strings")
                    })?;
                    action = Some(ActionElem {
                        negated: k == "NotAction",
                        patterns: list
                            .iter()
                            .map(|a| ActionPattern::compile(a, variables))
                            .collect(),
                    });
                }
                "Resource" | "NotResource" => {
                    if resource.is_some() {
                        return Err(self.err(fpath, "Resource and NotResource are exclusive"));
                    }
                    let list = string_list(val).ok_or_else(|| {
                        self.err(fpath, "must be a string or an array of strings")
                    })?;
                    resource = Some(ResourceElem {
                        negated: k == "NotResource",
                        patterns: list
                            .iter()
                            .map(|r| {
                                Template::new(r, variables, true, |p| {
                                    Glob::compile(p, Mode::Resource)
                                })
                            })
                            .collect(),
                    });
                }
                "Condition" => conditions = parse_condition_block(self, val, fpath, variables)?,
                other => {
                    return Err(self.err(fpath, &format!("unknown statement element {other:?}")));
                }
            }
        }
        let effect =
            effect.ok_or_else(|| self.err(JsonPath::Field(&path, "Effect"), "is required"))?;
        let action = action.ok_or_else(|| {
            self.err(
                JsonPath::Field(&path, "Action"),
                "Action or NotAction is required",
            )
        })?;
        let kind = self.source.kind;
        if kind.is_resource_based() && principal.is_none() {
            return Err(self.err(
                JsonPath::Field(&path, "Principal"),
                "Principal or NotPrincipal is required in a resource-based policy",
            ));
        }
        if !kind.is_resource_based() && resource.is_none() {
            return Err(self.err(
                JsonPath::Field(&path, "Resource"),
                "Resource or NotResource is required",
            ));
        }
        Ok(Statement {
            sref: StatementRef {
                policy_id: policy_id.clone(),
                policy_kind: kind,
                sid,
                index,
            },
            effect,
            principal,
            action,
            resource,
            conditions,
        })
    }

    fn principal(&self, v: &Value, path: JsonPath<'_>) -> Result<PrincipalSpec, PolicyError> {
        match v {
            Value::String(s) if s == "*" => Ok(PrincipalSpec::Any),
            Value::Object(map) => {
                let mut aws = Vec::new();
                let mut service = Vec::new();
                let mut federated = Vec::new();
                let mut canonical = Vec::new();
                for (k, val) in map {
                    let kpath = JsonPath::Field(&path, k);
                    let list = string_list(val).ok_or_else(|| {
                        self.err(kpath, "must be a string or an array of strings")
                    })?;
                    let target = match k.as_str() {
                        "AWS" => &mut aws,
                        "Service" => &mut service,
                        "Federated" => &mut federated,
                        "CanonicalUser" => &mut canonical,
                        _ => return Err(self.err(kpath, "unknown principal type")),
                    };
                    target.extend(list.iter().map(|s| s.to_string()));
                }
                Ok(PrincipalSpec::Map {
                    aws,
                    service,
                    federated,
                    canonical,
                })
            }
            _ => Err(self.err(path, "must be \"*\" or an object of principal types")),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn parse(kind: PolicyKind, json: &str) -> Result<Policy, PolicyError> {
        parse_policy(PolicySource::new("test-policy", kind), json)
    }

    #[test]
    fn accepts_every_shape() {
        let p = parse(
            PolicyKind::IdentityInline,
            r#"{"Statement":{"Effect":"Allow","Action":"ec2:*","Resource":"*"}}"#,
        )
        .unwrap();
        assert_eq!(p.statements().len(), 1);
        assert_eq!(p.version(), None);
        let p = parse(
            PolicyKind::Resource,
            r#"{"Version":"2008-10-17","Id":"default","Statement":[
                {"Sid":"a","Effect":"Allow","Principal":"*","Action":["lambda:InvokeFunction"]},
                {"Effect":"Deny","NotPrincipal":{"AWS":["123456789012"],"Service":"s3.amazonaws.com"},
                 "NotAction":"lambda:Get*","NotResource":["arn:aws:lambda:*"],
                 "Condition":{"Bool":{"aws:SecureTransport":false},"NumericLessThan":{"x:n":[1,2.5]}}}
            ]}"#,
        )
        .unwrap();
        assert_eq!(p.statements().len(), 2);
        assert_eq!(p.statements()[0].reference().sid.as_deref(), Some("a"));
        assert_eq!(p.statements()[1].reference().index, 1);
        assert_eq!(p.statements()[1].effect(), Effect::Deny);
        let p = parse(
            PolicyKind::Scp,
            r#"{"Version":"2012-10-17","Statement":[]}"#,
        )
        .unwrap();
        assert!(p.statements().is_empty());
    }

    #[test]
    fn errors_name_the_field() {
        let cases: &[(PolicyKind, &str, &str)] = &[
            (
                PolicyKind::IdentityInline,
                r#"{"Statement":[{"Effect":"allow","Action":"*","Resource":"*"}]}"#,
                "Statement[0].Effect",
            ),
            (
                PolicyKind::IdentityInline,
                r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Allow","Resource":"*"}]}"#,
                "Statement[1].Action",
            ),
            (
                PolicyKind::IdentityInline,
                r#"{"Statement":{"Effect":"Allow","Action":"*"}}"#,
                "Statement.Resource",
            ),
            (
                PolicyKind::IdentityInline,
                r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","NotResource":"*"}}"#,
                "Statement.NotResource",
            ),
            (
                PolicyKind::IdentityInline,
                r#"{"Statement":{"Effect":"Allow","Action":5,"Resource":"*"}}"#,
                "Statement.Action",
            ),
            (
                PolicyKind::IdentityInline,
                r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":[1]}}"#,
                "Statement.Resource",
            ),
            (
                PolicyKind::Resource,
                r#"{"Statement":[{"Effect":"Allow","Action":"*"}]}"#,
                "Statement[0].Principal",
            ),
            (
                PolicyKind::Resource,
                r#"{"Statement":[{"Effect":"Allow","Principal":"me","Action":"*"}]}"#,
                "Statement[0].Principal",
            ),
            (
                PolicyKind::Resource,
                r#"{"Statement":[{"Effect":"Allow","Principal":{"Group":"x"},"Action":"*"}]}"#,
                "Statement[0].Principal.Group",
            ),
            (
                PolicyKind::IdentityInline,
                r#"{"Version":"2012-10-18","Statement":[]}"#,
                "Version",
            ),
            (
                PolicyKind::IdentityInline,
                r#"{"Version":"2012-10-17"}"#,
                "Statement",
            ),
            (
                PolicyKind::IdentityInline,
                r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condtion":{}}]}"#,
                "Statement[0].Condtion",
            ),
            (
                PolicyKind::IdentityInline,
                r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"k":{"a":1}}}}]}"#,
                "Statement[0].Condition.StringEquals.k",
            ),
            (PolicyKind::IdentityInline, r#"[]"#, ""),
        ];
        for (kind, json, path) in cases {
            let e = parse(*kind, json).unwrap_err();
            assert_eq!(e.path(), *path, "{json} -> {e}");
            assert!(e.to_string().contains("test-policy"), "{e}");
        }
        let e = parse(PolicyKind::IdentityInline, "{").unwrap_err();
        assert!(matches!(e, PolicyError::Json { .. }), "{e}");
    }

    #[test]
    fn unknown_operator_is_named() {
        let e = parse(
            PolicyKind::IdentityInline,
            r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"a":"b"}}},{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEqualz":{"a":"b"}}}]}"#,
        )
        .unwrap_err();
        match e {
            PolicyError::UnknownOperator { path, operator, .. } => {
                assert_eq!(path, "Statement[2].Condition.StringEqualz");
                assert_eq!(operator, "StringEqualz");
            }
            other => panic!("{other}"),
        }
    }
}

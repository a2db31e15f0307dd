//! The request being authorised: action, resource, caller and the three-valued request context.

use serde::{Deserialize, Serialize};

/// Three-valued truth, because an auditor often does not know every context key of a request.
///
/// AND, OR and NOT follow Kleene's strong three-valued logic: `False AND Unknown = False`,
/// `True OR Unknown = True`, `NOT Unknown = Unknown`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tri {
    /// Certainly holds.
    True,
    /// Certainly does not hold.
    False,
    /// Depends on something the request context does not tell.
    Unknown,
}

impl Tri {
    /// Lifts a plain boolean, so known facts mix with unknown ones.
    pub fn from_bool(b: bool) -> Self {
        if b { Tri::True } else { Tri::False }
    }

    /// Kleene AND.
    pub fn and(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::False, _) | (_, Tri::False) => Tri::False,
            (Tri::True, Tri::True) => Tri::True,
            _ => Tri::Unknown,
        }
    }

    /// Kleene OR.
    pub fn or(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::True, _) | (_, Tri::True) => Tri::True,
            (Tri::False, Tri::False) => Tri::False,
            _ => Tri::Unknown,
        }
    }

    /// Kleene NOT (`not` would clash with `std::ops::Not` naming conventions).
    pub fn negate(self) -> Tri {
        match self {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            Tri::Unknown => Tri::Unknown,
        }
    }
}

/// What is known about one condition key of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyState {
    /// The key is in the request with these values (one for a single-valued key).
    ///
    /// An empty list is an empty value set. The set operators and `Null` give it the answer they
    /// give a missing key, as the IAM User Guide documents ("Single-valued vs. multivalued context
    /// keys": `ForAllValues` "also returns true if there are no context keys in the request or if
    /// the context key value resolves to a null dataset"; `ForAnyValue`: "For no matching context
    /// key or a null dataset, the condition returns false"). A plain operator over an empty set
    /// has no documented meaning and comes out unknown.
    Present(Vec<String>),
    /// The key is certainly not in the request.
    Absent,
    /// Whether the key is present, and with which value, is not known.
    Unknown,
}

/// A borrowed view of a key's state, so lookups on the hot path do not clone values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyView<'a> {
    /// Present with at least one value.
    Present(&'a [String]),
    /// Absent, or present with an empty value set (the condition evaluator tells the two apart
    /// where AWS answers them differently).
    Absent,
    /// Not known.
    Unknown,
}

/// The condition keys of a request, keyed case-insensitively as IAM does.
///
/// Keys that were never set take the `unlisted` state: [`KeyState::Unknown`] by default, so an
/// evaluation never silently assumes a key away; [`RequestContext::unlisted_absent`] switches to a
/// closed world where everything not listed is absent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestContext {
    /// Sorted by (lower-case) name, one entry per key: a request has about ten keys, which a
    /// binary search finds sooner than a hash, and a context is cloned per function (a
    /// `HashMap` was a twentieth of a 100,000-function audit).
    keys: Vec<(String, KeyState)>,
    unlisted_absent: bool,
}

impl Default for RequestContext {
    fn default() -> Self {
        Self::new()
    }
}

impl RequestContext {
    /// An empty context in which every key is unknown.
    pub fn new() -> Self {
        Self {
            keys: Vec::new(),
            unlisted_absent: false,
        }
    }

    /// Builder: keys not listed are absent instead of unknown (a fully described request).
    pub fn unlisted_absent(mut self) -> Self {
        self.unlisted_absent = true;
        self
    }

    /// Builder: sets a key to one value.
    pub fn with_value(mut self, key: &str, value: impl Into<String>) -> Self {
        self.set(key, KeyState::Present(vec![value.into()]));
        self
    }

    /// Builder: sets a key to several values (a multivalued key such as `aws:TagKeys`).
    pub fn with_values<I, S>(mut self, key: &str, values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.set(
            key,
            KeyState::Present(values.into_iter().map(Into::into).collect()),
        );
        self
    }

    /// Builder: marks a key as certainly absent.
    pub fn with_absent(mut self, key: &str) -> Self {
        self.set(key, KeyState::Absent);
        self
    }

    /// Builder: marks a key as unknown (useful when unlisted keys are absent).
    pub fn with_unknown(mut self, key: &str) -> Self {
        self.set(key, KeyState::Unknown);
        self
    }

    /// Sets the state of a key; the key name is case-insensitive.
    pub fn set(&mut self, key: &str, state: KeyState) {
        let key = key.to_ascii_lowercase();
        match self.keys.binary_search_by(|(k, _)| k.as_str().cmp(&key)) {
            Ok(at) => self.keys[at].1 = state,
            Err(at) => self.keys.insert(at, (key, state)),
        }
    }

    /// Whether keys not listed are treated as absent.
    pub fn is_unlisted_absent(&self) -> bool {
        self.unlisted_absent
    }

    /// The state of a key, case-insensitively.
    pub fn get(&self, key: &str) -> KeyView<'_> {
        if key.bytes().any(|b| b.is_ascii_uppercase()) {
            self.get_lc(&key.to_ascii_lowercase())
        } else {
            self.get_lc(key)
        }
    }

    /// The state of a key whose name is already lower-case (policy keys are lowered at parse).
    pub(super) fn get_lc(&self, key_lc: &str) -> KeyView<'_> {
        match self.lookup_lc(key_lc) {
            Lookup::Present(v) => KeyView::Present(v),
            Lookup::Empty | Lookup::Absent => KeyView::Absent,
            Lookup::Unknown => KeyView::Unknown,
        }
    }

    /// As [`RequestContext::get_lc`], but telling an empty value set from a missing key, for the
    /// few operators whose documented answers differ between the two.
    pub(super) fn lookup_lc(&self, key_lc: &str) -> Lookup<'_> {
        let found = self
            .keys
            .binary_search_by(|(k, _)| k.as_str().cmp(key_lc))
            .ok()
            .map(|at| &self.keys[at].1);
        match found {
            Some(KeyState::Present(v)) if v.is_empty() => Lookup::Empty,
            Some(KeyState::Present(v)) => Lookup::Present(v),
            Some(KeyState::Absent) => Lookup::Absent,
            Some(KeyState::Unknown) => Lookup::Unknown,
            None if self.unlisted_absent => Lookup::Absent,
            None => Lookup::Unknown,
        }
    }
}

/// A key's state as the condition evaluator sees it: [`KeyView`] with the empty value set kept
/// apart from the missing key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Lookup<'a> {
    /// Present with at least one value.
    Present(&'a [String]),
    /// Present with an empty value set.
    Empty,
    /// Certainly not in the request.
    Absent,
    /// Not known.
    Unknown,
}

/// Who makes a request, for matching the `Principal` of a resource-based policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallerPrincipal {
    /// An IAM principal: a user, a role, a role session (`arn:aws:sts::ACCT:assumed-role/R/S`),
    /// a federated user or an account root.
    Aws {
        /// The caller's ARN.
        arn: String,
        /// The caller's 12-digit account id.
        account: String,
    },
    /// An AWS service principal such as `s3.amazonaws.com`.
    Service(String),
    /// A web-identity or SAML federated caller, named by its provider.
    Federated(String),
    /// An unauthenticated caller: only `"*"` principals match it.
    Anonymous,
}

/// One authorisation question: may this caller do this action on this resource in this context?
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The action, such as `ec2:CreateNetworkInterface` (matched case-insensitively).
    pub action: String,
    /// The resource ARN, or `*` for actions that have no resource-level permissions.
    pub resource: String,
    /// The caller; needed only for resource-based policies.
    pub principal: Option<CallerPrincipal>,
    /// The request context keys.
    pub context: RequestContext,
}

impl Request {
    /// A request with no caller and an all-unknown context.
    pub fn new(action: impl Into<String>, resource: impl Into<String>) -> Self {
        Self {
            action: action.into(),
            resource: resource.into(),
            principal: None,
            context: RequestContext::new(),
        }
    }

    /// Builder: sets the caller.
    pub fn with_principal(mut self, principal: CallerPrincipal) -> Self {
        self.principal = Some(principal);
        self
    }

    /// Builder: sets the context.
    pub fn with_context(mut self, context: RequestContext) -> Self {
        self.context = context;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kleene_tables() {
        use Tri::*;
        assert_eq!(False.and(Unknown), False);
        assert_eq!(True.and(Unknown), Unknown);
        assert_eq!(True.or(Unknown), True);
        assert_eq!(False.or(Unknown), Unknown);
        assert_eq!(Unknown.negate(), Unknown);
        assert_eq!(True.negate(), False);
    }

    #[test]
    fn keys_are_case_insensitive_and_default_unknown() {
        let ctx = RequestContext::new().with_value("AWS:UserName", "bob");
        assert_eq!(
            ctx.get("aws:username"),
            KeyView::Present(&["bob".to_string()])
        );
        assert_eq!(ctx.get("aws:SourceArn"), KeyView::Unknown);
        let closed = RequestContext::new().unlisted_absent().with_unknown("x:y");
        assert_eq!(closed.get("aws:SourceArn"), KeyView::Absent);
        assert_eq!(closed.get("X:Y"), KeyView::Unknown);
        let empty = RequestContext::new().with_values("aws:TagKeys", Vec::<String>::new());
        assert_eq!(empty.get("aws:tagkeys"), KeyView::Absent);
    }
}

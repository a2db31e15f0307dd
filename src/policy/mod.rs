//! IAM policy engine: parses policy documents and decides requests as AWS does, in three-valued logic.
//!
//! Parse each document once with [`parse_policy`], share it behind an `Arc`, and ask
//! [`evaluate_identity`] (identity policies + permissions boundary + SCP levels) or
//! [`evaluate_resource_policy`] (a function or trust policy) for a [`Decision`]. A request
//! context key can be present, absent or unknown; a decision that hinges on an unknown key says
//! so instead of guessing.

mod condition;
mod context;
mod document;
mod eval;
mod matching;

#[cfg(test)]
mod tests;

pub use context::{CallerPrincipal, KeyState, KeyView, Request, RequestContext, Tri};
pub use document::{
    Effect, Policy, PolicyError, PolicyKind, PolicySource, SharedStr, Statement, StatementRef,
    parse_policy, parse_policy_value, statement_at,
};
pub use eval::{Decision, PrincipalPolicies, evaluate_identity, evaluate_resource_policy};
pub use matching::{action_matches, resource_matches};

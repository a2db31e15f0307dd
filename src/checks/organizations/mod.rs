//! Checks on the organization's service control policies.

pub mod account_layer_guardrail_missing;
pub mod account_vpc_guardrail_missing;
pub mod guardrail;

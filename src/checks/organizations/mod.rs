//! Checks on the organization's service control policies.

pub mod account_vpc_guardrail_missing;

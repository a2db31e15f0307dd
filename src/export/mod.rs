//! Exports: sending a report's findings somewhere else. The only place vpcwarden writes to AWS.

pub mod securityhub;

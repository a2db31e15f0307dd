//! Checks on Lambda functions.

pub mod function_not_in_vpc;

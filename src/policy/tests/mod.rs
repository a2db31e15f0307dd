//! Cross-module tests: the policy corpus, robustness on generated input, and a speed smoke test.

mod corpus;
mod perf;
mod robustness;

//! Integration tests: checks on scenario snapshots, the catalog, the CLI, collectors on mocked and
//! emulated AWS. One test binary, so the SDK is linked once.

mod catalog;
mod checks;
mod cli;
mod collect;
mod exposure_checks;
mod moto;
mod network_checks;
mod report_v1;
mod support;

//! Integration tests: checks on the healthy account and its mutations, the catalog, the CLI, collectors on mocked and
//! emulated AWS. One test binary, so the SDK is linked once.

mod browser;
mod catalog;
mod checks;
mod cli;
mod collect;
mod deploy;
mod diff;
mod faults;
mod gaps;
mod html;
mod merge;
mod moto;
mod report_v1;
mod settings;
mod support;

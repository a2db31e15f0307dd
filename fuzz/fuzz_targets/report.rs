//! Fuzz target: reading a JSON report back (`vpcwarden export securityhub --from-report FILE`)
//! must never panic, whatever the file holds; a bad file is refused with an error that says where.
//!
//! The input is the file's bytes. `export_cmd` (src/app.rs) reads the file with `read_to_string`
//! (which refuses invalid UTF-8 itself), decodes it with `snapshot::decode_document` as a
//! `report::v1::Report`, refuses another `schema`, and turns it into the internal report with
//! `into_report`, looking each check up in this build's catalog. That is what runs here, with the
//! real catalog pages of `checks/`. The internal report must also turn back into the same v1
//! report: an export reads exactly what the audit wrote.
#![no_main]

/// The vpcwarden sources the loader needs, compiled as they are. An inline module with a
/// directory `#[path]`: its out-of-line children resolve as in `src/` (so `report.rs` finds
/// `report/v1.rs`), which a `#[path]` on `report.rs` itself would not do.
#[allow(dead_code, missing_docs, unreachable_pub, unused_imports)]
#[path = "../../src"]
mod vpcwarden {
    pub mod exit;
    pub mod finding;
    pub mod report;
    pub mod snapshot;

    /// `crate::checks`: the real catalog parser and input table; the registry and the checks
    /// themselves (which pull in the policy engine and every check) are not compiled.
    pub mod checks {
        pub mod catalog;
        pub mod inputs;

        /// Stands in for `checks::sort_findings`, which only `Report::from_facts` (an audit
        /// building its report) calls; reading a report back never does.
        pub fn sort_findings(_: &mut [crate::finding::Finding]) {
            unimplemented!("not on the report loader's path")
        }
    }
}

pub use vpcwarden::{checks, exit, finding, report, snapshot};

/// What `crate::TOOL_VERSION` is in vpcwarden (`vpcwarden X.Y.Z`).
const TOOL_VERSION: &str = "vpcwarden (fuzz)";

use checks::catalog::CatalogEntry;
use libfuzzer_sys::fuzz_target;
use report::CheckInfo;
use std::sync::OnceLock;

/// This build's catalog: every `checks/*/*.md` page, parsed as `checks::all()` parses them.
fn catalog() -> &'static [CatalogEntry] {
    static CATALOG: OnceLock<Vec<CatalogEntry>> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../checks");
        let mut pages = Vec::new();
        let services = std::fs::read_dir(root).unwrap_or_else(|e| panic!("{root}: {e}"));
        for service in services.flatten().filter(|d| d.path().is_dir()) {
            for page in std::fs::read_dir(service.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                if page.path().extension().is_some_and(|x| x == "md") {
                    let text = std::fs::read_to_string(page.path()).unwrap_or_default();
                    match CatalogEntry::parse(&text) {
                        Ok(entry) => pages.push(entry),
                        Err(e) => panic!("{}: {e}", page.path().display()),
                    }
                }
            }
        }
        assert!(!pages.is_empty(), "no catalog pages under {root}");
        pages
    })
}

/// `checks::find`, then `CheckInfo::from_meta`: what `export_cmd` passes to `into_report`.
fn lookup(code: &str) -> Option<CheckInfo> {
    catalog()
        .iter()
        .find(|e| e.meta.code.eq_ignore_ascii_case(code) || e.meta.slug == code)
        .map(|e| CheckInfo::from_meta(&e.meta))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return; // refused by `read_to_string` before any vpcwarden code runs
    };
    let wire: report::v1::Report = match snapshot::decode_document(text) {
        Ok(wire) => wire,
        Err((field, e)) => {
            // `field` may be empty: serde_path_to_error writes a key `""` as nothing.
            assert!(
                e.line() > 0,
                "a parse error without a line: at `{field}`: {e}"
            );
            return;
        }
    };
    if wire.schema != report::REPORT_SCHEMA {
        return; // refused by `export_cmd`, naming the schema
    }
    let report = wire.clone().into_report(lookup);
    for check in &report.checks {
        assert!(report.check(&check.code).is_some());
    }
    assert_eq!(
        report::v1::Report::from(&report),
        wire,
        "v1 → internal → v1 is not the identity"
    );
});

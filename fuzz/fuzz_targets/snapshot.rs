//! Fuzz target: loading a snapshot (`vpcwarden audit --from-snapshot FILE`) must never panic,
//! whatever the file holds; a bad file is refused with an error that names it.
//!
//! The input is the file's bytes. `Snapshot::load` reads the file with `read_to_string`, which
//! refuses invalid UTF-8 itself, and hands the text to [`Snapshot::from_json`]: the schema check,
//! the whole-document decode and the normalisation. That is what runs here. A snapshot that loads
//! must also survive what vpcwarden does with it next: saved again (`to_json`, and the streaming
//! writer an organization run uses, which must write the same bytes) and read back unchanged.
#![no_main]

#[allow(dead_code, missing_docs, unreachable_pub, unused_imports)]
#[path = "../../src/snapshot/mod.rs"]
mod snapshot;

/// What `crate::TOOL_VERSION` is in vpcwarden (`vpcwarden X.Y.Z`); the schema error quotes it.
const TOOL_VERSION: &str = "vpcwarden (fuzz)";

use libfuzzer_sys::fuzz_target;
use snapshot::{Snapshot, SnapshotError, SnapshotWriter};

/// The name the errors must carry.
const PATH: &str = "fuzz/snapshot.json";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return; // refused by `read_to_string` before any vpcwarden code runs
    };
    let snapshot = match Snapshot::from_json(PATH, text) {
        Ok(snapshot) => snapshot,
        Err(e) => {
            let message = e.to_string();
            assert!(
                message.contains(PATH),
                "the error does not name the file: {message}"
            );
            if let SnapshotError::Parse { error, .. } = &e {
                assert!(error.line() > 0, "a parse error without a line: {message}");
            }
            return;
        }
    };
    // Saved and read back: the same snapshot, and the same bytes again.
    let saved = snapshot.to_json();
    let again = match Snapshot::from_json(PATH, &saved) {
        Ok(again) => again,
        Err(e) => panic!("a loaded snapshot, saved, does not load again: {e}\n{saved}"),
    };
    assert_eq!(again.to_json(), saved, "saving is not byte-stable");
    // The streaming writer writes exactly the bytes of `to_json`.
    let mut writer = match SnapshotWriter::begin(Vec::new(), &snapshot) {
        Ok(w) => w,
        Err(e) => panic!("writing to memory failed: {e}"),
    };
    for account in &snapshot.accounts {
        if let Err(e) = writer.account(account) {
            panic!("writing to memory failed: {e}");
        }
    }
    let streamed = match writer.finish() {
        Ok(bytes) => bytes,
        Err(e) => panic!("writing to memory failed: {e}"),
    };
    assert_eq!(
        String::from_utf8_lossy(&streamed),
        saved,
        "the streaming writer differs from to_json"
    );
});

//! Fuzz target: reading `vpcwarden.toml` must never panic, whatever the file holds; a bad file is
//! refused with an error that names it, and a file that is accepted is usable.
//!
//! The input is the file's bytes. The range checks (`min_azs`, `[quotas]`) live only in
//! `Config::load`, which takes a path, so the input is written to a scratch file (one per process,
//! in the system's temporary directory, removed after each run) and the real `Config::load` reads
//! it: `read_to_string`, `toml::from_str::<Config>`, then the checks.
#![no_main]

#[allow(dead_code, missing_docs, unreachable_pub, unused_imports)]
#[path = "../../src/config.rs"]
mod config;

use config::Config;
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;

/// The scratch file of this process.
fn scratch() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        std::env::temp_dir().join(format!("vpcwarden-fuzz-config-{}.toml", std::process::id()))
    })
}

fuzz_target!(|data: &[u8]| {
    let path = scratch();
    if let Err(e) = std::fs::write(path, data) {
        panic!("cannot write the scratch file {}: {e}", path.display());
    }
    let result = Config::load(path);
    let _ = std::fs::remove_file(path);
    match result {
        Ok(config) => {
            assert!(config.min_azs >= 1, "min_azs {} accepted", config.min_azs);
            assert_eq!(config.quotas.invalid(), None, "an unusable rate accepted");
            let _ = config.approved();
        }
        Err(e) => {
            let message = e.to_string();
            let name = path.display().to_string();
            assert!(
                message.contains(&name),
                "the error does not name the file: {message}"
            );
        }
    }
});

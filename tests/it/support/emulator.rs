//! The test emulator the end-to-end tests share (moto, started by `scripts/test`) and its seeding
//! script: found once here for moto.rs and faults.rs.

use serde_json::Value;
use std::process::Stdio;

/// The emulator and the seeding script, from the environment `scripts/test` sets.
pub struct Emulator {
    /// `http://127.0.0.1:PORT` of the shared server.
    pub endpoint: String,
    /// The venv's python, which runs the seeding script.
    pub python: String,
    /// `mocks/seed.py`.
    pub seed: String,
}

/// The emulator, or `None` (said on stderr, naming `what` is skipped) when VPCWARDEN_SKIP_MOTO is
/// set; without either it panics, so a plain `cargo test` cannot pass by skipping them quietly.
pub fn emulator(what: &str) -> Option<Emulator> {
    let get = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    match (
        get("VPCWARDEN_MOTO_ENDPOINT"),
        get("VPCWARDEN_PYTHON"),
        get("VPCWARDEN_SEED"),
    ) {
        (Some(endpoint), Some(python), Some(seed)) => Some(Emulator {
            endpoint,
            python,
            seed,
        }),
        _ if std::env::var_os("VPCWARDEN_SKIP_MOTO").is_some() => {
            eprintln!("SKIPPED: {what} (VPCWARDEN_SKIP_MOTO is set)");
            None
        }
        _ => panic!(
            "moto is not running: run the tests with `scripts/test` (it starts moto on loopback and \
             exports VPCWARDEN_MOTO_ENDPOINT), or set VPCWARDEN_SKIP_MOTO=1 to skip the end-to-end tests"
        ),
    }
}

impl Emulator {
    /// Seeds `scenario` into `account` on the shared server: what `seed.py` printed.
    pub fn seed(&self, scenario: &str, account: &str, extra: &[&str]) -> Value {
        self.seed_at(&self.endpoint, scenario, account, extra)
    }

    /// As [`seed`](Self::seed), on another server (a test's own).
    pub fn seed_at(&self, endpoint: &str, scenario: &str, account: &str, extra: &[&str]) -> Value {
        let out = std::process::Command::new(&self.python)
            .arg(&self.seed)
            .args(["--endpoint", endpoint, "--scenario", scenario])
            .args(["--account", account])
            .args(extra)
            .stderr(Stdio::inherit())
            .output()
            .expect("run seed.py");
        assert!(
            out.status.success(),
            "seeding {scenario} into {account} failed: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        serde_json::from_slice(&out.stdout).expect("seed.py prints JSON")
    }
}

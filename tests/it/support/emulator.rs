//! The test emulator the end-to-end tests share (moto, started by `scripts/test`), its seeding
//! script and its fault mode (`mocks/seedlib/faults.py`): found once here for moto.rs and faults.rs.

use serde_json::{Value, json};
use std::io::{Read, Write};
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

/// One request to the fault mode's control API (`/_vpcwarden/faults`, see faults.py), plain HTTP/1.1
/// over loopback: the emulator closes the connection after its answer.
fn try_control(
    endpoint: &str,
    method: &str,
    query: &str,
    body: Option<&Value>,
) -> Result<Value, String> {
    let host = endpoint
        .strip_prefix("http://")
        .ok_or_else(|| format!("not an http:// endpoint: {endpoint}"))?
        .trim_end_matches('/');
    let body = body.map(Value::to_string).unwrap_or_default();
    let mut stream = std::net::TcpStream::connect(host).map_err(|e| format!("{host}: {e}"))?;
    write!(
        stream,
        "{method} /_vpcwarden/faults{query} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .map_err(|e| format!("send: {e}"))?;
    let mut answer = String::new();
    stream
        .read_to_string(&mut answer)
        .map_err(|e| format!("read: {e}"))?;
    let (head, doc) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    if !head.starts_with("HTTP/1.1 200") && !head.starts_with("HTTP/1.0 200") {
        return Err(answer);
    }
    serde_json::from_str(doc).map_err(|e| format!("{doc:?}: {e}"))
}

/// As [`try_control`], panicking with the request and the answer.
fn control(endpoint: &str, method: &str, query: &str, body: Option<&Value>) -> Value {
    try_control(endpoint, method, query, body)
        .unwrap_or_else(|e| panic!("{method} /_vpcwarden/faults{query}: {e}"))
}

/// The fault settings of one account (AWS's failures for its requests only, so tests sharing the
/// emulator are unaffected); cleared when dropped, so a failing test leaves the emulator clean.
pub struct Faults<'a> {
    endpoint: &'a str,
    account: String,
}

impl<'a> Faults<'a> {
    /// Switches the fault mode on for `account` with `settings` (see faults.py).
    pub fn on(e: &'a Emulator, account: &str, settings: Value) -> Faults<'a> {
        let f = Faults {
            endpoint: &e.endpoint,
            account: account.to_string(),
        };
        f.set(settings);
        f
    }

    /// Replaces the settings (and zeroes the counters).
    pub fn set(&self, mut settings: Value) {
        settings["account"] = json!(self.account);
        control(self.endpoint, "POST", "", Some(&settings));
    }

    /// What the emulator saw and injected for this account since the last `set`.
    pub fn stats(&self) -> Value {
        control(
            self.endpoint,
            "GET",
            &format!("?account={}", self.account),
            None,
        )["stats"]
            .clone()
    }
}

impl Drop for Faults<'_> {
    fn drop(&mut self) {
        // Never a panic here: it may run while a failed assertion unwinds.
        let query = format!("?account={}", self.account);
        if let Err(e) = try_control(self.endpoint, "DELETE", &query, None) {
            eprintln!("could not clear the faults of {}: {e}", self.account);
        }
    }
}

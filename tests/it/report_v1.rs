//! JSON v1 is frozen: the demo account's bytes are pinned.
//!
//! `golden/demo-v1.json` is `vpcwarden audit --demo --format json` with `SOURCE_DATE_EPOCH=1793523600`.
//! Regenerate it only for an intended change of the demo account's findings or of the version.

use assert_cmd::Command;

const GOLDEN: &str = include_str!("golden/demo-v1.json");

fn vpcwarden() -> Command {
    let mut cmd = Command::cargo_bin("vpcwarden").expect("binary");
    // Never reach for real credentials, profiles or the instance metadata service; pin the time.
    cmd.env_remove("AWS_PROFILE")
        .env_remove("AWS_ENDPOINT_URL")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("SOURCE_DATE_EPOCH", "1793523600");
    cmd
}

/// `audit --demo` in `format`, as text.
fn demo(format: &str) -> String {
    let out = vpcwarden()
        .args(["audit", "--demo", "--format", format])
        .assert()
        .code(3)
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).expect("UTF-8 output")
}

/// Fails with the first line that differs (the documents are too long for a whole diff).
fn assert_same(actual: &str, expected: &str, what: &str) {
    if actual == expected {
        return;
    }
    let line = actual
        .lines()
        .zip(expected.lines())
        .position(|(a, e)| a != e)
        .unwrap_or_else(|| actual.lines().count().min(expected.lines().count()));
    panic!(
        "{what} changed at line {}:\n  now:    {:?}\n  pinned: {:?}",
        line + 1,
        actual.lines().nth(line),
        expected.lines().nth(line)
    );
}

#[test]
fn demo_json_is_the_pinned_v1_document() {
    assert_same(&demo("json"), GOLDEN, "audit --demo --format json");
}

//! The HTML report in a real browser (headless Chromium through chromedriver, see
//! support/browser.rs): what its script does, what its Content-Security-Policy lets run, and what a
//! reader without JavaScript still sees.

use crate::support::browser::{Browser, Scripts, binaries};
use serde_json::json;
use std::path::Path;

/// A page that proves the harness: a CSP that admits one inline script by nonce, that script
/// (marks the body, logs a console error, then throws), and a second inline script the policy
/// refuses (a CSP violation), which would otherwise mark the body too.
const PROBE: &str = r#"<!doctype html>
<html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-probe'">
<title>probe</title></head>
<body><p id="static">written by the server</p>
<script nonce="probe">
document.body.dataset.js = "on";
console.error("probe-console-error");
throw new Error("probe-uncaught");
</script>
<script>document.body.dataset.refused = "ran";</script>
</body></html>
"#;

/// A page with nothing wrong: its log has no SEVERE entry.
const CLEAN: &str = r#"<!doctype html>
<html><head><meta charset="utf-8"><title>clean</title></head>
<body><p id="static">clean</p><script>console.log("probe-info");</script></body></html>
"#;

/// The harness itself, on pages of its own: chromedriver starts on loopback, a `file://` page
/// loads, script errors and CSP violations reach the SEVERE log and a clean page leaves none, and a
/// session with JavaScript off runs no script but still reads the DOM.
#[tokio::test]
async fn harness_reads_console_and_runs_without_javascript() {
    let Some((chromium, driver)) = binaries("browser harness") else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let probe = dir.path().join("probe.html");
    let clean = dir.path().join("clean.html");
    std::fs::write(&probe, PROBE).expect("write probe");
    std::fs::write(&clean, CLEAN).expect("write clean");

    let b = Browser::start(&chromium, &driver, Scripts::On).await;
    b.open(&probe, "").await;
    assert_eq!(b.client().title().await.expect("title"), "probe");
    let marks = b
        .js(
            "return [document.body.dataset.js || null, document.body.dataset.refused || null]",
            vec![],
        )
        .await;
    assert_eq!(
        marks,
        json!(["on", null]),
        "the nonce'd script ran, the other did not"
    );
    let severe = b
        .until("the probe's three SEVERE entries", || async {
            let all = b.severe().await;
            let has = |s: &str| all.iter().any(|e| e.message.contains(s));
            if has("probe-console-error") && has("probe-uncaught") && has("Content Security Policy")
            {
                Ok(all)
            } else {
                Err(all)
            }
        })
        .await;
    assert!(
        severe.iter().all(|e| e.level == "SEVERE"),
        "only SEVERE entries: {severe:?}"
    );
    assert!(b.severe().await.is_empty(), "each entry is handed out once");

    b.open(&clean, "").await;
    let text = b.one("#static").await.text().await.expect("text");
    assert_eq!(text, "clean");
    let all = b.console().await;
    assert!(
        all.iter()
            .any(|e| e.message.contains("probe-info") && e.level == "INFO"),
        "console.log reaches the log as INFO: {all:?}"
    );
    assert_no_severe(&all, &clean);
    b.close().await;

    let off = Browser::start(&chromium, &driver, Scripts::Off).await;
    off.open(&probe, "").await;
    let body = off.one("body").await;
    assert_eq!(
        body.attr("data-js").await.expect("attr"),
        None,
        "no script ran"
    );
    assert_eq!(
        off.one("#static").await.text().await.expect("text"),
        "written by the server"
    );
    off.close().await;
}

/// Fails with the entries when any is SEVERE.
fn assert_no_severe(entries: &[crate::support::browser::LogEntry], page: &Path) {
    let severe: Vec<_> = entries.iter().filter(|e| e.level == "SEVERE").collect();
    assert!(
        severe.is_empty(),
        "SEVERE console entries on {}: {severe:#?}",
        page.display()
    );
}

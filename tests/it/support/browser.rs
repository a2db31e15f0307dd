//! A headless Chromium for the HTML report's tests: chromedriver on a free loopback port, one
//! WebDriver session (fantoccini), `file://` pages, and the browser's console log (CSP violations
//! and script errors are its SEVERE entries).
//!
//! `scripts/test` installs Debian's `chromium` and `chromium-driver` when they are missing.
//! `VPCWARDEN_CHROMIUM` and `VPCWARDEN_CHROMEDRIVER` name other binaries; without a browser the
//! tests panic, unless `VPCWARDEN_SKIP_BROWSER` is set (then they say so on stderr and skip).

use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use std::future::Future;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a page may take to reach what a test waits for; generous, as the machine is shared.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// The binaries: `(chromium, chromedriver)`, or `None` when `VPCWARDEN_SKIP_BROWSER` is set and one
/// is missing (said on stderr, naming `what` is skipped). Without either it panics, so a plain
/// `cargo test` cannot pass by skipping the browser quietly.
pub fn binaries(what: &str) -> Option<(PathBuf, PathBuf)> {
    let pick = |var: &str, default: &str| {
        std::env::var_os(var)
            .filter(|v| !v.is_empty())
            .map_or_else(|| PathBuf::from(default), PathBuf::from)
    };
    let chromium = pick("VPCWARDEN_CHROMIUM", "/usr/bin/chromium");
    let driver = pick("VPCWARDEN_CHROMEDRIVER", "/usr/bin/chromedriver");
    if chromium.is_file() && driver.is_file() {
        return Some((chromium, driver));
    }
    if std::env::var_os("VPCWARDEN_SKIP_BROWSER").is_some() {
        eprintln!("SKIPPED: {what} (VPCWARDEN_SKIP_BROWSER is set and there is no chromium)");
        return None;
    }
    panic!(
        "no browser: {} or {} is missing. `scripts/test` installs Debian's chromium and \
         chromium-driver; or set VPCWARDEN_SKIP_BROWSER=1 to skip the browser tests",
        chromium.display(),
        driver.display()
    )
}

/// What a session may do.
#[derive(Clone, Copy, Debug)]
pub enum Scripts {
    /// JavaScript runs as in any browser.
    On,
    /// JavaScript is off for every page (Chrome's content setting, as an administrator's policy
    /// would set it): what a reader with scripts disabled sees.
    Off,
}

/// One entry of the browser's console log, as chromedriver reports it.
#[derive(Clone, Debug, serde::Deserialize)]
pub struct LogEntry {
    /// `SEVERE`, `WARNING`, `INFO`, `DEBUG`.
    pub level: String,
    /// The text, prefixed by the page's URL and position for script errors.
    pub message: String,
}

/// chromedriver's (Selenium's) log endpoint, which W3C WebDriver lacks: the browser's console
/// entries since the last call.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({"type": "browser"}).to_string()),
        )
    }
}

/// chromedriver, its one headless Chromium session, and the session's profile directory. Dropping
/// it ends the session (chromedriver quits the browser) and kills chromedriver, so a failing test
/// leaves no browser behind.
pub struct Browser {
    client: Client,
    driver: Child,
    port: u16,
    session: String,
    log_path: PathBuf,
    /// The user-data dir and chromedriver's log; removed on drop.
    dir: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver on a free loopback port and opens a session: headless, no sandbox (CI
    /// runs as root), a fresh profile, the console log captured in full.
    pub async fn start(chromium: &Path, driver: &Path, scripts: Scripts) -> Browser {
        let dir = tempfile::tempdir().expect("a temp dir");
        let log_path = dir.path().join("chromedriver.log");
        // The port is free when asked; another process may take it before chromedriver binds it,
        // so a chromedriver that exits at once is started again on another.
        let mut attempt = 0;
        let (driver, port) = loop {
            attempt += 1;
            let port = free_port();
            let mut child = Command::new(driver)
                .arg(format!("--port={port}"))
                .arg(format!("--log-path={}", log_path.display()))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| panic!("start {}: {e}", driver.display()));
            match wait_ready(&mut child, port) {
                Ok(()) => break (child, port),
                Err(e) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    assert!(
                        attempt < 3,
                        "chromedriver did not come up on 127.0.0.1:{port}: {e}\n{}",
                        tail(&log_path)
                    );
                }
            }
        };
        let profile = dir.path().join("profile");
        let mut options = json!({
            "binary": chromium,
            "args": [
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                format!("--user-data-dir={}", profile.display()),
                "--window-size=1400,1000",
                // Nothing but the file:// pages: no update checks, sync, or first-run pages.
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
            ],
        });
        if let Scripts::Off = scripts {
            options["prefs"] = json!({"profile.managed_default_content_settings.javascript": 2});
        }
        let mut caps = Capabilities::new();
        caps.insert("browserName".into(), json!("chrome"));
        caps.insert("goog:chromeOptions".into(), options);
        caps.insert("goog:loggingPrefs".into(), json!({"browser": "ALL"}));
        let url = format!("http://127.0.0.1:{port}");
        let connected =
            ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(caps)
                .connect(&url)
                .await;
        let client = match connected {
            Ok(c) => c,
            Err(e) => {
                let log = tail(&log_path);
                let mut driver = driver;
                let _ = driver.kill();
                let _ = driver.wait();
                panic!("no WebDriver session on {url}: {e}\n{log}");
            }
        };
        let session = client
            .session_id()
            .await
            .expect("session id")
            .expect("a session");
        Browser {
            client,
            driver,
            port,
            session,
            log_path,
            dir,
        }
    }

    /// The WebDriver client, for what this harness does not wrap.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Loads `file` (an absolute path; `fragment` without `#`, or empty) and waits for its load event.
    pub async fn open(&self, file: &Path, fragment: &str) {
        let mut url = url::Url::from_file_path(file)
            .unwrap_or_else(|()| panic!("not an absolute path: {}", file.display()));
        if !fragment.is_empty() {
            url.set_fragment(Some(fragment));
        }
        self.client
            .goto(url.as_str())
            .await
            .unwrap_or_else(|e| panic!("load {url}: {e}"));
    }

    /// The console entries since the last call (chromedriver hands each out once).
    pub async fn console(&self) -> Vec<LogEntry> {
        let entries = self
            .client
            .issue_cmd(BrowserLog)
            .await
            .unwrap_or_else(|e| panic!("read the browser log: {e}"));
        serde_json::from_value(entries).expect("log entries")
    }

    /// The SEVERE console entries since the last read: script errors, CSP violations, failed loads.
    pub async fn severe(&self) -> Vec<LogEntry> {
        self.console()
            .await
            .into_iter()
            .filter(|e| e.level == "SEVERE")
            .collect()
    }

    /// Runs `script` (a function body: `return ...`) in the page, with `args` as `arguments`.
    pub async fn js(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute(script, args)
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// The elements matching `css`.
    pub async fn all(&self, css: &str) -> Vec<fantoccini::elements::Element> {
        self.client
            .find_all(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("find {css}: {e}"))
    }

    /// The one element matching `css` (the first when several do).
    pub async fn one(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("find {css}: {e}"))
    }

    /// Polls `probe` until it returns `Ok` (at most [`PATIENCE`]), and returns that; panics with
    /// `what` and the last `Err` seen otherwise. For what the page's script does after an event.
    pub async fn until<T, E, F, Fut>(&self, what: &str, mut probe: F) -> T
    where
        E: std::fmt::Debug,
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let start = Instant::now();
        loop {
            match probe().await {
                Ok(v) => return v,
                Err(last) if start.elapsed() > PATIENCE => {
                    panic!("timed out after {PATIENCE:?} waiting for {what}; last seen: {last:?}")
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    }

    /// Ends the session (the browser quits) and stops chromedriver; what dropping does, awaited.
    pub async fn close(self) {
        // Close through the client first so its background task ends cleanly; Drop then finds
        // the session gone and only stops chromedriver.
        let _ = self.client.clone().close().await;
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Never a panic here: it may run while a failed assertion unwinds. Plain HTTP, as the
        // async runtime may be gone; chromedriver quits the browser when its session ends.
        let _ = http_request(self.port, "DELETE", &format!("/session/{}", self.session));
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        if std::thread::panicking() {
            eprintln!(
                "chromedriver log ({}):\n{}",
                self.dir.path().display(),
                tail(&self.log_path)
            );
        }
    }
}

/// A port nobody listens on now, on 127.0.0.1.
fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

/// Waits until chromedriver answers `GET /status` with `ready: true`; an error if it exits first or
/// takes longer than [`PATIENCE`].
fn wait_ready(child: &mut Child, port: u16) -> Result<(), String> {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            return Err(format!("chromedriver exited: {status}"));
        }
        if let Ok(body) = http_request(port, "GET", "/status")
            && serde_json::from_str::<Value>(&body).is_ok_and(|v| v["value"]["ready"] == true)
        {
            return Ok(());
        }
        if start.elapsed() > PATIENCE {
            return Err(format!("no ready /status after {PATIENCE:?}"));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// One HTTP/1.1 request without a body to chromedriver on 127.0.0.1:`port`; the answer's body.
/// The body is read by its Content-Length: chromedriver answers `Connection: close` but keeps the
/// connection open.
fn http_request(port: u16, method: &str, path: &str) -> Result<String, String> {
    let mut stream = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(PATIENCE))
        .map_err(|e| e.to_string())?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = stream.read(&mut buf).map_err(|e| e.to_string())?;
        answer.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&answer);
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = head
                .lines()
                .filter_map(|l| l.split_once(':'))
                .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
                .and_then(|(_, v)| v.trim().parse::<usize>().ok());
            if n == 0 || length.is_some_and(|l| body.len() >= l) {
                return if head.starts_with("HTTP/1.1 200") {
                    Ok(body.to_string())
                } else {
                    Err(head.lines().next().unwrap_or_default().to_string())
                };
            }
        }
        if n == 0 {
            return Err(format!("connection closed: {text}"));
        }
    }
}

/// The last lines of chromedriver's log, for a failure's message.
fn tail(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

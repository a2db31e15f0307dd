//! The HTML report in a real browser (headless Chromium through chromedriver, see
//! support/browser.rs): what its script does, what its Content-Security-Policy lets run, and what a
//! reader without JavaScript still sees.

use crate::support::browser::{Browser, LogEntry, Scripts, binaries};
use crate::support::{demo_json, outcome, vpcwarden};
use fantoccini::elements::Element;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

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
fn assert_no_severe(entries: &[LogEntry], page: &Path) {
    let severe: Vec<_> = entries.iter().filter(|e| e.level == "SEVERE").collect();
    assert!(
        severe.is_empty(),
        "SEVERE console entries on {}: {severe:#?}",
        page.display()
    );
}

/// A finding row of the page: `tbody tr.finding` and what follows it.
#[derive(Debug, serde::Deserialize)]
struct Row {
    id: String,
    /// The `hidden` attribute is set.
    hidden: bool,
    severity: Option<String>,
    status: Option<String>,
    check: Option<String>,
    account: Option<String>,
    region: Option<String>,
    /// The next row is a `tr.detail` holding a `details.evidence`.
    detail: bool,
    /// That detail row's `hidden` attribute, when there is one.
    detail_hidden: Option<bool>,
    /// The finding row's and its detail row's text and the row's id, lowercased: what the text
    /// filter may match at most.
    text: String,
}

/// Reads every finding row in one round trip.
const ROWS_JS: &str = r##"
return Array.from(document.querySelectorAll("#findings-table tbody tr.finding")).map(function (r) {
  var d = r.nextElementSibling;
  var isDetail = !!d && d.matches("tr.detail");
  return {
    id: r.id,
    hidden: r.hasAttribute("hidden"),
    severity: r.getAttribute("data-severity"),
    status: r.getAttribute("data-status"),
    check: r.getAttribute("data-check"),
    account: r.getAttribute("data-account"),
    region: r.getAttribute("data-region"),
    detail: isDetail && !!d.querySelector("details.evidence"),
    detail_hidden: isDetail ? d.hasAttribute("hidden") : null,
    text: (r.textContent + " " + (isDetail ? d.textContent : "") + " " + r.id).toLowerCase()
  };
});
"##;

/// `data-count` key to the trimmed text, for every counted element of `#summary`.
const COUNTS_JS: &str = r##"
return Array.from(document.querySelectorAll("#summary [data-count]")).map(function (e) {
  return [e.getAttribute("data-count"), e.textContent.trim()];
});
"##;

/// The severities, highest first, as JSON and the page's `data-severity` spell them.
const SEVERITIES: [&str; 5] = ["critical", "high", "medium", "low", "informational"];

/// What the page must show for one report: its HTML file and the same report as JSON.
struct Case {
    /// What the case is, for messages.
    name: &'static str,
    html: PathBuf,
    report: Value,
}

impl Case {
    /// The report's findings.
    fn findings(&self) -> &[Value] {
        self.report["findings"].as_array().expect("findings")
    }

    /// The findings the table lists without `--show-passed`: failing and not evaluated.
    fn shown(&self) -> Vec<&Value> {
        self.findings()
            .iter()
            .filter(|f| f["status"] != "pass")
            .collect()
    }

    /// The ids of the shown findings that `keep` admits.
    fn shown_ids(&self, keep: impl Fn(&Value) -> bool) -> BTreeSet<String> {
        self.shown()
            .into_iter()
            .filter(|f| keep(f))
            .map(|f| str_of(&f["id"]))
            .collect()
    }

    /// The summary the page must show: `data-count` key to the decimal count, from the JSON.
    fn counts(&self) -> BTreeMap<String, String> {
        let r = &self.report;
        let s = &r["summary"];
        let n = |v: &Value| {
            v.as_u64()
                .unwrap_or_else(|| panic!("{}: not a count: {v}", self.name))
                .to_string()
        };
        let len = |v: &Value| v.as_array().expect("an array").len().to_string();
        assert_eq!(
            n(&s["gaps"]),
            len(&r["gaps"]),
            "{}: summary.gaps",
            self.name
        );
        let mut counts = BTreeMap::from([
            ("total".to_string(), n(&s["total"])),
            ("gaps".to_string(), n(&s["gaps"])),
            ("accounts".to_string(), len(&r["scan"]["accounts"])),
            ("regions".to_string(), len(&r["scan"]["regions"])),
            (
                "suppressed".to_string(),
                self.findings()
                    .iter()
                    .filter(|f| !f["suppressed"].is_null())
                    .count()
                    .to_string(),
            ),
        ]);
        for status in ["fail", "pass", "not_evaluated"] {
            counts.insert(status.into(), n(&s["by_status"][status]));
        }
        for severity in SEVERITIES {
            counts.insert(
                format!("fail-{severity}"),
                n(&s["failing_by_severity"][severity]),
            );
        }
        counts
    }
}

/// A JSON string's text.
fn str_of(v: &Value) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("not a string: {v}"))
        .to_string()
}

/// Runs the binary with `args` plus `--output out` and checks it wrote the page; a report with
/// failing findings or gaps exits 3 or 4, which is not an error here.
fn render(args: &[&str], out: &Path) {
    let (code, _, stderr) = outcome(vpcwarden().args(args).arg("--output").arg(out));
    assert!(
        matches!(code, 0 | 3 | 4),
        "vpcwarden {args:?} exited {code}: {stderr}"
    );
    assert!(
        out.is_file(),
        "vpcwarden {args:?} wrote no {}",
        out.display()
    );
}

/// `args` (an `audit` with `--format json`), parsed.
fn report_json(args: &[&str]) -> Value {
    let (code, stdout, stderr) = outcome(vpcwarden().args(args));
    assert!(
        matches!(code, 0 | 3 | 4),
        "vpcwarden {args:?} exited {code}: {stderr}"
    );
    serde_json::from_str(&stdout).expect("a JSON report")
}

/// The page's finding rows.
async fn rows(b: &Browser) -> Vec<Row> {
    serde_json::from_value(b.js(ROWS_JS, vec![]).await).expect("rows")
}

/// Fails unless the page has one row per shown finding (no more), each with its finding's
/// attributes and a detail row holding its evidence, all visible.
async fn assert_rows(b: &Browser, case: &Case, expected: &[&Value]) {
    let rows = rows(b).await;
    let ids: BTreeSet<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(rows.len(), ids.len(), "{}: duplicate row ids", case.name);
    let want: BTreeSet<String> = expected.iter().map(|f| str_of(&f["id"])).collect();
    let want: BTreeSet<&str> = want.iter().map(String::as_str).collect();
    assert_eq!(ids, want, "{}: the rows are the shown findings", case.name);
    let by_id: BTreeMap<&str, &&Value> = expected
        .iter()
        .map(|f| (f["id"].as_str().expect("id"), f))
        .collect();
    for r in &rows {
        let f = by_id[r.id.as_str()];
        let attr = |a: &Option<String>| a.clone().unwrap_or_default();
        assert_eq!(
            [
                attr(&r.severity),
                attr(&r.status),
                attr(&r.check),
                attr(&r.account),
                attr(&r.region)
            ],
            [
                str_of(&f["severity"]),
                str_of(&f["status"]),
                str_of(&f["code"]),
                str_of(&f["account_id"]),
                str_of(&f["region"])
            ],
            "{}: data-severity, -status, -check, -account, -region of row {}",
            case.name,
            r.id
        );
        assert!(
            r.detail,
            "{}: row {} has no tr.detail with details.evidence after it",
            case.name, r.id
        );
        assert!(
            !r.hidden && r.detail_hidden == Some(false),
            "{}: row {} is hidden before any filter",
            case.name,
            r.id
        );
    }
}

/// Fails unless every summary count the contract names is on the page, each element with that
/// `data-count` showing the JSON report's number.
async fn assert_counts(b: &Browser, case: &Case) {
    let seen: Vec<(String, String)> =
        serde_json::from_value(b.js(COUNTS_JS, vec![]).await).expect("counts");
    for (key, want) in case.counts() {
        let shown: Vec<&str> = seen
            .iter()
            .filter(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
            .collect();
        assert!(
            !shown.is_empty(),
            "{}: no #summary [data-count=\"{key}\"]",
            case.name
        );
        assert!(
            shown.iter().all(|v| *v == want),
            "{}: data-count={key} shows {shown:?}, the JSON report {want}",
            case.name
        );
    }
}

/// Fails unless `#gaps` lists each gap of the report once as a `.gap` naming its operation and
/// error code, or, with none, says so in a sentence.
async fn assert_gaps(b: &Browser, case: &Case) {
    let gaps = b.all("#gaps .gap").await;
    let want = case.report["gaps"].as_array().expect("gaps");
    assert_eq!(gaps.len(), want.len(), "{}: one .gap per gap", case.name);
    if want.is_empty() {
        let text = b.one("#gaps").await.text().await.expect("text");
        assert!(
            text.split_whitespace().count() > 3,
            "{}: #gaps says there are none: {text:?}",
            case.name
        );
        return;
    }
    let mut texts = Vec::new();
    for g in &gaps {
        texts.push(
            g.prop("textContent")
                .await
                .expect("text")
                .unwrap_or_default(),
        );
    }
    for gap in want {
        let (op, code) = (str_of(&gap["operation"]), str_of(&gap["error_code"]));
        assert!(
            texts.iter().any(|t| t.contains(&op) && t.contains(&code)),
            "{}: no .gap names {op} {code}: {texts:#?}",
            case.name
        );
    }
}

/// Polls until the visible rows are `lower` at least and `upper` at most, every detail row hidden
/// exactly when its finding row is, and `#visible-count` says how many; `what` names the state.
async fn assert_visible(
    b: &Browser,
    what: &str,
    lower: &BTreeSet<String>,
    upper: &BTreeSet<String>,
) -> BTreeSet<String> {
    b.until(what, || async {
        let rows = rows(b).await;
        let visible: BTreeSet<String> = rows
            .iter()
            .filter(|r| !r.hidden)
            .map(|r| r.id.clone())
            .collect();
        let paired = rows.iter().all(|r| r.detail_hidden == Some(r.hidden));
        let count = b
            .js(
                "var e = document.getElementById('visible-count'); return e ? e.textContent.trim() : null",
                vec![],
            )
            .await;
        let ok = visible.is_superset(lower)
            && visible.is_subset(upper)
            && paired
            && count == json!(visible.len().to_string());
        let state = format!(
            "visible {visible:?}, details paired {paired}, #visible-count {count}"
        );
        if ok { Ok(visible) } else { Err(state) }
    })
    .await
    .into_iter()
    .collect()
}

/// Chooses `value` in the `<select>` `css` as a reader would (a click on its option).
async fn choose(b: &Browser, css: &str, value: &str) {
    b.one(css)
        .await
        .select_by_value(value)
        .await
        .unwrap_or_else(|e| panic!("choose {value:?} in {css}: {e}"));
}

/// The non-empty option values of the `<select>` `css`.
async fn options(b: &Browser, css: &str) -> Vec<String> {
    let values = b
        .js(
            "return Array.from(document.querySelectorAll(arguments[0] + ' option')).map(function (o) { return o.value; })",
            vec![json!(css)],
        )
        .await;
    let values: Vec<String> = serde_json::from_value(values).expect("option values");
    assert_eq!(
        values.first().map(String::as_str),
        Some(""),
        "{css}: the first option is \"\" (all)"
    );
    values.into_iter().skip(1).collect()
}

/// The filter `css` offers every value the shown findings' `field` takes; choosing each offered
/// value that is among `values` shows exactly the shown findings with that value, and "" shows
/// them all again.
async fn assert_filter(b: &Browser, case: &Case, css: &str, field: &str, values: &[&str]) {
    let offered = options(b, css).await;
    let present: BTreeSet<String> = case.shown().iter().map(|f| str_of(&f[field])).collect();
    for v in &present {
        assert!(
            offered.contains(v),
            "{}: {css} offers {offered:?}, not {v}",
            case.name
        );
    }
    let all = case.shown_ids(|_| true);
    let tried: Vec<&String> = offered
        .iter()
        .filter(|v| values.contains(&v.as_str()))
        .collect();
    assert!(
        !tried.is_empty(),
        "{}: {css} offers none of {values:?}",
        case.name
    );
    for value in tried {
        choose(b, css, value).await;
        let want = case.shown_ids(|f| f[field] == value.as_str());
        assert_visible(b, &format!("{}: {css} = {value}", case.name), &want, &want).await;
    }
    choose(b, css, "").await;
    assert_visible(b, &format!("{}: {css} = all", case.name), &all, &all).await;
}

/// The attribute `attr` of each element, in order ("" where it is absent).
async fn attrs(elements: &[Element], attr: &str) -> Vec<String> {
    let mut out = Vec::new();
    for e in elements {
        out.push(e.attr(attr).await.expect("attr").unwrap_or_default());
    }
    out
}

/// Clicks the header `th[data-sort=key]` and waits until the rows are in order of `attr`
/// (`data-check` or `data-region`): ascending after the first click, descending after the second;
/// the first row then has the lowest, then the highest value.
async fn assert_sorts(b: &Browser, case: &Case, key: &str, attr: &str) {
    let header = format!("#findings-table th[data-sort=\"{key}\"]");
    for ascending in [true, false] {
        b.one(&header)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {header}: {e}"));
        let what = format!(
            "{}: rows by {attr} {} after a click on {header}",
            case.name,
            if ascending { "ascending" } else { "descending" }
        );
        let values = b
            .until(&what, || async {
                let rows = rows(b).await;
                let values: Vec<String> = rows
                    .iter()
                    .map(|r| match attr {
                        "data-check" => r.check.clone(),
                        "data-region" => r.region.clone(),
                        other => panic!("no sort check for {other}"),
                    })
                    .map(Option::unwrap_or_default)
                    .collect();
                let ordered = values.windows(2).all(|w| {
                    if ascending {
                        w[0] <= w[1]
                    } else {
                        w[0] >= w[1]
                    }
                });
                let paired = rows.iter().all(|r| r.detail);
                if ordered && paired {
                    Ok(values)
                } else {
                    Err(values)
                }
            })
            .await;
        let first = values.first().expect("rows");
        let want = if ascending {
            values.iter().min()
        } else {
            values.iter().max()
        };
        assert_eq!(Some(first), want, "{what}: the first row");
    }
}

/// Loads `case` at `#id` and waits until that finding's evidence is open and shown.
async fn assert_opens(b: &Browser, case: &Case, id: &str) {
    b.open(&case.html, id).await;
    assert_evidence_open(b, case, id).await;
}

/// Waits until finding `id`'s `details.evidence` is open and its `<pre>` displayed.
async fn assert_evidence_open(b: &Browser, case: &Case, id: &str) {
    let what = format!("{}: the evidence of #{id} open", case.name);
    b.until(&what, || async {
        let state = b
            .js(
                "var r = document.getElementById(arguments[0]); var d = r && r.nextElementSibling; \
                 var e = d && d.querySelector('details.evidence'); \
                 return e ? [e.open, r.hasAttribute('hidden') || d.hasAttribute('hidden')] : null",
                vec![json!(id)],
            )
            .await;
        if state == json!([true, false]) {
            Ok(())
        } else {
            Err(state)
        }
    })
    .await;
    let evidence = format!("#findings-table tr.finding[id=\"{id}\"] + tr.detail details.evidence");
    for css in [evidence.clone(), format!("{evidence} pre")] {
        let shown = b.one(&css).await.is_displayed().await.expect("displayed");
        assert!(shown, "{what}: {css} is not displayed");
    }
}

/// The page is clean: nothing SEVERE in the console since the last look.
async fn assert_quiet(b: &Browser, case: &Case, when: &str) {
    let severe = b.severe().await;
    assert!(
        severe.is_empty(),
        "{} {when}: SEVERE console entries: {severe:#?}",
        case.name
    );
}

/// The page is one file under a hash-only policy: one inline `<style>`, one inline `<script>`, and
/// a Content-Security-Policy `<meta>` with `default-src 'none'`, styles and scripts by SHA-256 only,
/// images from `data:` only (any other directive must be `'none'`).
async fn assert_shape(b: &Browser, case: &Case) {
    let shape = b
        .js(
            "var m = document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]'); \
             return [document.querySelectorAll('style').length, \
             document.querySelectorAll('script').length, \
             document.querySelectorAll('script[src], link[rel=\"stylesheet\"]').length, \
             m ? m.getAttribute('content') : null]",
            vec![],
        )
        .await;
    let shape = shape.as_array().expect("an array");
    assert_eq!(
        shape[..3],
        [json!(1), json!(1), json!(0)],
        "{}: [<style>, <script>, external scripts and styles]",
        case.name
    );
    let csp = shape[3]
        .as_str()
        .unwrap_or_else(|| panic!("{}: no CSP <meta>", case.name));
    let directives: BTreeMap<&str, Vec<&str>> = csp
        .split(';')
        .filter_map(|d| {
            let mut words = d.split_whitespace();
            words.next().map(|name| (name, words.collect()))
        })
        .collect();
    let hashes = |name: &str| {
        directives.get(name).is_some_and(|v| {
            !v.is_empty()
                && v.iter()
                    .all(|s| s.starts_with("'sha256-") && s.ends_with('\''))
        })
    };
    assert!(
        directives.get("default-src") == Some(&vec!["'none'"])
            && hashes("style-src")
            && hashes("script-src")
            && directives.get("img-src") == Some(&vec!["data:"])
            && directives
                .iter()
                .filter(|(k, _)| !["default-src", "style-src", "script-src", "img-src"].contains(k))
                .all(|(_, v)| *v == vec!["'none'"]),
        "{}: the CSP is not hash-only: {csp}",
        case.name
    );
}

/// `#network` has one `.network-region` per account and region of the report's `network`, each
/// with an `svg.vpc` per VPC and, when functions run outside any VPC, a `ul.outside-vpc` listing
/// them.
async fn assert_network(b: &Browser, case: &Case) {
    let seen = b
        .js(
            "return Array.from(document.querySelectorAll('#network .network-region[data-account][data-region]')) \
             .map(function (r) { \
               return [r.getAttribute('data-account') + ' ' + r.getAttribute('data-region'), \
                 Array.from(r.querySelectorAll('svg.vpc[data-vpc]')).map(function (s) { return s.getAttribute('data-vpc'); }).sort(), \
                 r.querySelectorAll('ul.outside-vpc li').length]; })",
            vec![],
        )
        .await;
    let seen: Vec<(String, Vec<String>, usize)> =
        serde_json::from_value(seen).expect("network regions");
    let mut want: Vec<(String, Vec<String>, usize)> = case.report["network"]
        .as_array()
        .expect("network")
        .iter()
        .map(|r| {
            let mut vpcs: Vec<String> = r["vpcs"]
                .as_array()
                .expect("vpcs")
                .iter()
                .map(|v| str_of(&v["vpc_id"]))
                .collect();
            vpcs.sort();
            let outside = r["outside_vpc"].as_array().map_or(0, Vec::len);
            (
                format!("{} {}", str_of(&r["account_id"]), str_of(&r["region"])),
                vpcs,
                outside,
            )
        })
        .collect();
    want.sort();
    let mut seen = seen;
    seen.sort();
    assert_eq!(
        seen, want,
        "{}: per account and region: its VPCs' svg.vpc and its ul.outside-vpc items",
        case.name
    );
}

/// The demo's JSON report with markup in one failing finding's resource ARN, message and evidence
/// (each would set the page title if the page ran it), and a second account that holds the last
/// failing finding. Returns the report and the marked-up finding's id.
fn crafted(mut report: Value) -> (Value, String) {
    let finding = report["findings"]
        .as_array_mut()
        .expect("findings")
        .iter_mut()
        .find(|f| f["status"] == "fail")
        .expect("a failing finding");
    let region = str_of(&finding["region"]);
    let account = str_of(&finding["account_id"]);
    finding["resource_arn"] = json!(format!(
        "arn:aws:lambda:{region}:{account}:function:{ARN_PAYLOAD}"
    ));
    finding["message"] = json!(MESSAGE_PAYLOAD);
    finding["evidence"]["note"] = json!(EVIDENCE_PAYLOAD);
    let id = str_of(&finding["id"]);
    // A second account (the last failing finding moves to it), for the accounts table and filter.
    let other = report["findings"]
        .as_array_mut()
        .expect("findings")
        .iter_mut()
        .rev()
        .find(|f| f["status"] == "fail")
        .expect("a failing finding");
    other["account_id"] = json!(SECOND_ACCOUNT);
    let arn = str_of(&other["resource_arn"]).replace(&account, SECOND_ACCOUNT);
    other["resource_arn"] = json!(arn);
    report["scan"]["accounts"]
        .as_array_mut()
        .expect("accounts")
        .push(json!(SECOND_ACCOUNT));
    (report, id)
}

/// The crafted report's second account.
const SECOND_ACCOUNT: &str = "210987654321";
/// In the crafted finding's resource ARN.
const ARN_PAYLOAD: &str = "<script>document.title='pwned-arn'</script>";
/// The crafted finding's message.
const MESSAGE_PAYLOAD: &str = "Function <img src=x onerror=\"document.title='pwned-msg'\"> is <script>document.title='pwned-msg2'</script> exposed";
/// A value in the crafted finding's evidence (no `"`: JSON would escape it in the `<pre>`).
const EVIDENCE_PAYLOAD: &str =
    "<img src=x onerror=document.title='pwned-ev'><script>document.title='pwned-ev2'</script>";

/// The HTML report of the demo account (and of a scan with gaps, and a report carrying markup) in
/// Chromium, against the renderer's DOM contract: a clean console, the JSON report's counts, the
/// filters, sorting, `#id` links to evidence, no script from the data, and everything readable
/// with JavaScript off.
#[tokio::test]
async fn html_report_in_chromium() {
    let Some((chromium, driver)) = binaries("HTML report in chromium") else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let at = |name: &str| dir.path().join(name);

    let demo = Case {
        name: "demo",
        html: at("demo.html"),
        report: demo_json(&[]),
    };
    render(&["audit", "--demo", "--format", "html"], &demo.html);
    let passed = Case {
        name: "demo --show-passed",
        html: at("passed.html"),
        report: demo.report.clone(),
    };
    render(
        &["audit", "--demo", "--format", "html", "--show-passed"],
        &passed.html,
    );
    let snapshot =
        crate::support::root().join("mocks/snapshots/function-policy-public-incomplete.json");
    let snapshot = snapshot.to_str().expect("UTF-8 path");
    let gaps = Case {
        name: "incomplete scan",
        html: at("incomplete.html"),
        report: report_json(&["audit", "--from-snapshot", snapshot, "--format", "json"]),
    };
    render(
        &["audit", "--from-snapshot", snapshot, "--format", "html"],
        &gaps.html,
    );
    assert!(
        !gaps.report["gaps"].as_array().expect("gaps").is_empty()
            && gaps.shown().iter().any(|f| f["status"] == "not_evaluated"),
        "the incomplete scenario has gaps and not-evaluated findings"
    );
    let (crafted_report, crafted_id) = crafted(demo.report.clone());
    let crafted_json = at("crafted.json");
    std::fs::write(&crafted_json, crafted_report.to_string()).expect("write crafted.json");
    let hostile = Case {
        name: "crafted report",
        html: at("crafted.html"),
        report: crafted_report,
    };
    render(
        &[
            "report",
            "--from-report",
            crafted_json.to_str().expect("UTF-8 path"),
            "--format",
            "html",
        ],
        &hostile.html,
    );

    let b = Browser::start(&chromium, &driver, Scripts::On).await;

    // The demo: counts, rows, gaps, filters and sorting.
    b.open(&demo.html, "").await;
    assert_quiet(&b, &demo, "after load").await;
    assert_counts(&b, &demo).await;
    assert_gaps(&b, &demo).await;
    assert_rows(&b, &demo, &demo.shown()).await;
    assert_shape(&b, &demo).await;
    assert_network(&b, &demo).await;
    assert_filter(&b, &demo, "select#filter-severity", "severity", &SEVERITIES).await;
    let codes: Vec<String> = demo.shown().iter().map(|f| str_of(&f["code"])).collect();
    let codes: Vec<&str> = codes.iter().map(String::as_str).collect();
    assert_filter(&b, &demo, "select#filter-check", "code", &codes).await;
    let regions: Vec<String> = demo.shown().iter().map(|f| str_of(&f["region"])).collect();
    let regions: Vec<&str> = regions.iter().map(String::as_str).collect();
    assert_filter(&b, &demo, "select#filter-region", "region", &regions).await;
    let needle = "public-webhook";
    let lower = demo.shown_ids(|f| str_of(&f["resource_arn"]).contains(needle));
    let upper: BTreeSet<String> = rows(&b)
        .await
        .into_iter()
        .filter(|r| r.text.contains(needle))
        .map(|r| r.id)
        .collect();
    assert!(
        !lower.is_empty() && upper.len() < demo.shown().len(),
        "the demo has findings on {needle}, and others"
    );
    let text = b.one("input#filter-text").await;
    text.send_keys(&needle.to_uppercase()).await.expect("type");
    assert_visible(&b, "demo: text filter PUBLIC-WEBHOOK", &lower, &upper).await;
    text.send_keys("-no-such-function").await.expect("type");
    assert_visible(
        &b,
        "demo: text filter without a match",
        &BTreeSet::new(),
        &BTreeSet::new(),
    )
    .await;
    assert_quiet(&b, &demo, "after the filters").await;

    b.open(&demo.html, "").await;
    assert_sorts(&b, &demo, "check", "data-check").await;
    assert_sorts(&b, &demo, "region", "data-region").await;
    assert_quiet(&b, &demo, "after sorting").await;

    // #id opens that finding's evidence, on load and on a change of the fragment.
    let shown = demo.shown();
    let last = str_of(&shown.last().expect("shown findings")["id"]);
    let first = str_of(&shown[0]["id"]);
    assert_opens(&b, &demo, &last).await;
    b.open(&demo.html, &first).await;
    assert_evidence_open(&b, &demo, &first).await;
    assert_quiet(&b, &demo, "after #id links").await;

    // --show-passed lists every finding.
    b.open(&passed.html, "").await;
    let all: Vec<&Value> = passed.findings().iter().collect();
    assert_rows(&b, &passed, &all).await;
    assert_quiet(&b, &passed, "after load").await;

    // A scan with gaps: the gaps, not-evaluated rows and the status filter.
    b.open(&gaps.html, "").await;
    assert_quiet(&b, &gaps, "after load").await;
    assert_counts(&b, &gaps).await;
    assert_gaps(&b, &gaps).await;
    assert_rows(&b, &gaps, &gaps.shown()).await;
    assert_filter(
        &b,
        &gaps,
        "select#filter-status",
        "status",
        &["fail", "not_evaluated"],
    )
    .await;
    assert_filter(&b, &gaps, "select#filter-severity", "severity", &SEVERITIES).await;
    assert_quiet(&b, &gaps, "after the filters").await;

    // Markup in the data is text: shown literally, never run.
    // What ran is judged first: an injected element could also break the page's own script.
    b.open(&hostile.html, &crafted_id).await;
    let state = b
        .js(
            "return [document.title, document.querySelectorAll('script').length, \
             document.querySelectorAll('[onerror]').length, \
             document.querySelectorAll('img:not([src^=\"data:\"])').length]",
            vec![],
        )
        .await;
    let state = state.as_array().expect("an array");
    let title = state[0].as_str().unwrap_or_default();
    assert!(
        title.starts_with("vpcwarden report") && !title.contains("pwned"),
        "crafted report: a payload set the title: {title:?}"
    );
    assert_eq!(
        state[1..],
        [json!(1), json!(0), json!(0)],
        "crafted report: [<script> elements, elements with onerror, <img> not data:]"
    );
    assert_quiet(&b, &hostile, "after load").await;
    assert_evidence_open(&b, &hostile, &crafted_id).await;
    assert_counts(&b, &hostile).await;
    let accounts = attrs(
        &b.all("#accounts #accounts-table tr.account[data-account]")
            .await,
        "data-account",
    )
    .await;
    let want: Vec<String> = hostile.report["scan"]["accounts"]
        .as_array()
        .expect("accounts")
        .iter()
        .map(str_of)
        .collect();
    assert_eq!(
        accounts.iter().collect::<BTreeSet<_>>(),
        want.iter().collect::<BTreeSet<_>>(),
        "crafted report: one tr.account per account"
    );
    let want: Vec<&str> = want.iter().map(String::as_str).collect();
    assert_filter(&b, &hostile, "select#filter-account", "account_id", &want).await;
    let row = format!("#findings-table tr.finding[id=\"{crafted_id}\"]");
    let mut seen = b.one(&row).await.text().await.expect("row text");
    seen.push('\n');
    seen.push_str(
        &b.one(&format!("{row} + tr.detail"))
            .await
            .text()
            .await
            .expect("detail text"),
    );
    for payload in [ARN_PAYLOAD, MESSAGE_PAYLOAD, EVIDENCE_PAYLOAD] {
        assert!(
            seen.contains(payload),
            "crafted report: {payload:?} is not shown as text in its row and evidence:\n{seen}"
        );
    }
    b.close().await;

    // JavaScript off: the summary, the gaps and every row are in the page as served.
    let off = Browser::start(&chromium, &driver, Scripts::Off).await;
    for case in [&demo, &gaps] {
        off.open(&case.html, "").await;
        let mut seen = BTreeMap::new();
        for e in off.all("#summary [data-count]").await {
            let key = e
                .attr("data-count")
                .await
                .expect("attr")
                .unwrap_or_default();
            let text = e
                .prop("textContent")
                .await
                .expect("text")
                .unwrap_or_default();
            seen.insert(key, text.trim().to_string());
        }
        for (key, want) in case.counts() {
            assert_eq!(
                seen.get(&key),
                Some(&want),
                "{} without JavaScript: data-count={key}",
                case.name
            );
        }
        let gap_count = off.all("#gaps .gap").await.len();
        assert_eq!(
            gap_count,
            case.report["gaps"].as_array().expect("gaps").len(),
            "{} without JavaScript: the gaps",
            case.name
        );
        let rows = off.all("#findings-table tbody tr.finding").await;
        let ids: BTreeSet<String> = attrs(&rows, "id").await.into_iter().collect();
        assert_eq!(
            ids,
            case.shown_ids(|_| true),
            "{} without JavaScript: the rows",
            case.name
        );
        for r in [rows.first(), rows.last()].into_iter().flatten() {
            assert!(
                r.is_displayed().await.expect("displayed"),
                "{} without JavaScript: a row is not displayed",
                case.name
            );
        }
        let hidden = attrs(&rows, "hidden").await;
        assert!(
            hidden.iter().all(String::is_empty)
                && off
                    .all("#findings-table tr.finding[hidden]")
                    .await
                    .is_empty(),
            "{} without JavaScript: hidden rows",
            case.name
        );
        assert!(
            off.one("#findings")
                .await
                .is_displayed()
                .await
                .expect("displayed"),
            "{} without JavaScript: #findings is not displayed",
            case.name
        );
    }
    off.close().await;
}

/// The demo's JSON report with its failing findings copied until `rows` fail, each copy on a
/// resource of its own (so its id is its own), and the summary counted again.
fn many_rows(mut report: Value, rows: usize) -> Value {
    let failing: Vec<Value> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["status"] == "fail")
        .cloned()
        .collect();
    let findings = report["findings"].as_array_mut().expect("findings");
    let mut n = failing.len();
    while n < rows {
        let mut copy = failing[n % failing.len()].clone();
        copy["id"] = json!(format!("{:032x}", n + 1));
        copy["resource_arn"] = json!(format!("{}-copy-{n}", str_of(&copy["resource_arn"])));
        findings.push(copy);
        n += 1;
    }
    findings.sort_by_key(|f| f["status"] != "fail");
    let fail = findings.iter().filter(|f| f["status"] == "fail").count();
    let mut by_severity = BTreeMap::new();
    for f in findings.iter().filter(|f| f["status"] == "fail") {
        *by_severity.entry(str_of(&f["severity"])).or_insert(0usize) += 1;
    }
    let total = findings.len();
    report["summary"]["total"] = json!(total);
    report["summary"]["by_status"]["fail"] = json!(fail);
    for (severity, count) in by_severity {
        report["summary"]["failing_by_severity"][severity] = json!(count);
    }
    report
}

/// A table of more than a thousand rows shows the first thousand that match, and a button for
/// the rest; a sort keeps to a thousand; `#id` of a row beyond them shows it and opens it.
#[tokio::test]
async fn a_large_table_shows_a_thousand_rows_at_a_time() {
    let Some((chromium, driver)) = binaries("a large HTML report in chromium") else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let report = many_rows(demo_json(&[]), 1_250);
    let json_path = dir.path().join("large.json");
    std::fs::write(&json_path, report.to_string()).expect("write");
    let case = Case {
        name: "1,250 rows",
        html: dir.path().join("large.html"),
        report,
    };
    render(
        &[
            "report",
            "--from-report",
            json_path.to_str().expect("UTF-8 path"),
            "--format",
            "html",
        ],
        &case.html,
    );
    let shown = case.shown();
    assert_eq!(shown.len(), 1_250);
    let b = Browser::start(&chromium, &driver, Scripts::On).await;
    let state = "return [document.querySelectorAll('#findings-table tr.finding:not([hidden])').length, \
                 Number(document.getElementById('visible-count').textContent), \
                 document.getElementById('show-more').hidden]";
    let wait_for = |want: Value, what: &'static str| {
        let b = &b;
        async move {
            b.until(what, || {
                let want = want.clone();
                async move {
                    let seen = b.js(state, vec![]).await;
                    if seen == want { Ok(()) } else { Err(seen) }
                }
            })
            .await
        }
    };
    b.open(&case.html, "").await;
    assert_quiet(&b, &case, "after load").await;
    assert_counts(&b, &case).await;
    wait_for(json!([1000, 1000, false]), "a thousand rows and the button").await;
    b.one("#findings-table th[data-sort=\"check\"]")
        .await
        .click()
        .await
        .expect("click");
    wait_for(json!([1000, 1000, false]), "still a thousand after a sort").await;
    b.one("#show-more").await.click().await.expect("click");
    wait_for(json!([1250, 1250, true]), "all after one more page").await;
    // A sort starts again from the first page of its new order.
    b.one("#findings-table th[data-sort=\"region\"]")
        .await
        .click()
        .await
        .expect("click");
    wait_for(json!([1000, 1000, false]), "a page again after a sort").await;
    b.one("#show-more").await.click().await.expect("click");
    wait_for(json!([1250, 1250, true]), "all again").await;
    // A filter starts again from the first page of what it matches.
    choose(&b, "select#filter-status", "fail").await;
    wait_for(json!([1000, 1000, false]), "a page of failing rows").await;
    choose(&b, "select#filter-severity", "medium").await;
    let medium = shown.iter().filter(|f| f["severity"] == "medium").count();
    assert!(medium < 1000, "fewer medium rows than a page");
    wait_for(json!([medium, medium, true]), "every medium row").await;
    // A link to a row beyond the first page shows it, opened.
    let last = str_of(&shown.last().expect("rows")["id"]);
    b.open(&case.html, &last).await;
    assert_evidence_open(&b, &case, &last).await;
    assert_quiet(&b, &case, "after paging").await;
    b.close().await;
}

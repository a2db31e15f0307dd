//! Runs every case of every policy corpus file in `mocks/policies/` and reports failures by file and index.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use serde_json::Value;

use super::super::{
    CallerPrincipal, Decision, KeyState, Policy, PolicyKind, PolicySource, PrincipalPolicies,
    Request, RequestContext, evaluate_identity, evaluate_resource_policy, parse_policy,
};

/// One corpus file (schema documented in `mocks/policies/README.md`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CorpusFile {
    description: String,
    source: String,
    /// Citation key → the AWS page and sentence a case rests on. When a file has citations (or
    /// `undocumented` reasons), every case must name one or the other.
    #[serde(default)]
    citations: BTreeMap<String, String>,
    /// Reason key → why AWS documentation does not decide a case; such a case must expect
    /// `unknown`.
    #[serde(default)]
    undocumented: BTreeMap<String, String>,
    #[serde(default)]
    policies: BTreeMap<String, CorpusPolicy>,
    #[serde(default)]
    cases: Vec<Case>,
    #[serde(default)]
    malformed: Vec<Malformed>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CorpusPolicy {
    kind: PolicyKind,
    #[serde(default)]
    id: Option<String>,
    document: Value,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    #[serde(default)]
    identity: Vec<String>,
    #[serde(default)]
    boundary: Option<String>,
    #[serde(default)]
    scps: Vec<Vec<String>>,
    #[serde(default)]
    resource_policy: Option<String>,
    request: CaseRequest,
    expect: String,
    /// Sids that must be cited by the decision (allowed/denied/unknown), in any order.
    #[serde(default)]
    expect_sids: Option<Vec<String>>,
    /// The AWS documentation the expectation rests on: a key of the file's `citations`, or free
    /// text (a page title or URL) in a file without them.
    #[serde(default)]
    cites: Option<String>,
    /// AWS documents nothing for this case: a key of the file's `undocumented` (or free text);
    /// the case must expect `unknown`.
    #[serde(default)]
    undocumented: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseRequest {
    action: String,
    #[serde(default = "star")]
    resource: String,
    #[serde(default)]
    principal: Option<CallerPrincipal>,
    /// key → string (one value), array (values) or null (absent).
    #[serde(default)]
    context: BTreeMap<String, Value>,
    /// Keys whose state is unknown.
    #[serde(default)]
    unknown: Vec<String>,
    /// `absent` (default) or `unknown`: the state of keys not listed.
    #[serde(default)]
    unlisted: Option<String>,
}

fn star() -> String {
    "*".to_string()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Malformed {
    name: String,
    kind: PolicyKind,
    /// A JSON document, or raw text when the fault is in the JSON itself.
    #[serde(default)]
    document: Option<Value>,
    #[serde(default)]
    text: Option<String>,
    /// The error's path must equal this.
    error_path: String,
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("mocks/policies")
}

fn build_request(r: &CaseRequest) -> Result<Request, String> {
    let mut ctx = RequestContext::new();
    match r.unlisted.as_deref() {
        None | Some("absent") => ctx = ctx.unlisted_absent(),
        Some("unknown") => {}
        Some(other) => return Err(format!("bad unlisted {other:?}")),
    }
    for (k, v) in &r.context {
        let state = match v {
            Value::Null => KeyState::Absent,
            Value::String(s) => KeyState::Present(vec![s.clone()]),
            Value::Array(items) => KeyState::Present(
                items
                    .iter()
                    .map(|i| i.as_str().map(str::to_string).ok_or("non-string value"))
                    .collect::<Result<_, _>>()?,
            ),
            other => return Err(format!("bad context value {other}")),
        };
        ctx.set(k, state);
    }
    for k in &r.unknown {
        ctx.set(k, KeyState::Unknown);
    }
    let mut req = Request::new(r.action.clone(), r.resource.clone()).with_context(ctx);
    req.principal = r.principal.clone();
    Ok(req)
}

fn run_case(policies: &BTreeMap<String, Arc<Policy>>, case: &Case) -> Result<Decision, String> {
    let get = |name: &String| {
        policies
            .get(name)
            .cloned()
            .ok_or_else(|| format!("no policy named {name:?}"))
    };
    let request = build_request(&case.request)?;
    if let Some(rp) = &case.resource_policy {
        return Ok(evaluate_resource_policy(&request, &*get(rp)?));
    }
    let identity = case
        .identity
        .iter()
        .map(get)
        .collect::<Result<Vec<_>, _>>()?;
    let boundary = case.boundary.as_ref().map(get).transpose()?;
    let scps = case
        .scps
        .iter()
        .map(|level| level.iter().map(get).collect::<Result<Vec<_>, _>>())
        .collect::<Result<Vec<_>, _>>()?;
    let pp = PrincipalPolicies {
        identity: &identity,
        boundary: boundary.as_deref(),
        scps: &scps,
    };
    Ok(evaluate_identity(&request, &pp))
}

fn cited_sids(d: &Decision) -> Vec<String> {
    let mut v: Vec<String> = d
        .cited()
        .iter()
        .filter_map(|r| r.sid.as_deref().map(str::to_string))
        .collect();
    v.sort();
    v
}

/// A case's `cites` or `undocumented` must name an entry of the file's maps (or be free text in a
/// file without them); a file with maps must give every case one of the two; an undocumented case
/// must expect `unknown`, so the engine never answers on a guess where AWS says nothing.
fn citation_failures(fname: &str, file: &CorpusFile) -> Vec<String> {
    let mut failures = Vec::new();
    let tabled = !file.citations.is_empty() || !file.undocumented.is_empty();
    let known = |map: &BTreeMap<String, String>, key: &str| {
        if map.is_empty() {
            !key.trim().is_empty()
        } else {
            map.contains_key(key)
        }
    };
    let mut used = std::collections::BTreeSet::new();
    for (i, case) in file.cases.iter().enumerate() {
        let at = format!("{fname} case[{i}] {:?}", case.name);
        match (&case.cites, &case.undocumented) {
            (Some(_), Some(_)) => failures.push(format!("{at}: both cites and undocumented")),
            (None, None) if tabled => {
                failures.push(format!("{at}: needs cites or undocumented"));
            }
            (Some(c), None) => {
                if !known(&file.citations, c) {
                    failures.push(format!("{at}: unknown citation {c:?}"));
                }
                used.insert(c.as_str());
            }
            (None, Some(u)) => {
                if !known(&file.undocumented, u) {
                    failures.push(format!("{at}: unknown undocumented reason {u:?}"));
                }
                if case.expect != "unknown" {
                    failures.push(format!(
                        "{at}: AWS documents nothing here, so the case must expect unknown"
                    ));
                }
                used.insert(u.as_str());
            }
            (None, None) => {}
        }
    }
    for key in file.citations.keys().chain(file.undocumented.keys()) {
        if !used.contains(key.as_str()) {
            failures.push(format!("{fname}: citation {key:?} is never used"));
        }
    }
    failures
}

/// Returns (cases run, failure messages) for one file.
fn run_file(path: &Path) -> (usize, Vec<String>) {
    let fname = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut failures = Vec::new();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => return (0, vec![format!("{fname}: unreadable: {e}")]),
    };
    let file: CorpusFile = match serde_json::from_str(&text) {
        Ok(f) => f,
        Err(e) => return (0, vec![format!("{fname}: bad corpus file: {e}")]),
    };
    if file.description.trim().is_empty() || file.source.trim().is_empty() {
        failures.push(format!("{fname}: description and source are required"));
    }
    let mut policies = BTreeMap::new();
    for (name, p) in &file.policies {
        let id = p.id.clone().unwrap_or_else(|| name.clone());
        match parse_policy(PolicySource::new(id, p.kind), &p.document.to_string()) {
            Ok(parsed) => {
                policies.insert(name.clone(), Arc::new(parsed));
            }
            Err(e) => failures.push(format!("{fname}: policy {name:?} does not parse: {e}")),
        }
    }
    failures.extend(citation_failures(&fname, &file));
    for (i, case) in file.cases.iter().enumerate() {
        match run_case(&policies, case) {
            Err(e) => failures.push(format!("{fname} case[{i}] {:?}: {e}", case.name)),
            Ok(d) => {
                if d.label() != case.expect {
                    failures.push(format!(
                        "{fname} case[{i}] {:?}: expected {}, got {}",
                        case.name,
                        case.expect,
                        serde_json::to_string(&d).unwrap_or_default()
                    ));
                } else if let Some(want) = &case.expect_sids {
                    let mut want = want.clone();
                    want.sort();
                    let got = cited_sids(&d);
                    if got != want {
                        failures.push(format!(
                            "{fname} case[{i}] {:?}: expected sids {want:?}, got {got:?}",
                            case.name
                        ));
                    }
                }
            }
        }
    }
    for (i, m) in file.malformed.iter().enumerate() {
        let text = match (&m.text, &m.document) {
            (Some(t), None) => t.clone(),
            (None, Some(d)) => d.to_string(),
            _ => {
                failures.push(format!(
                    "{fname} malformed[{i}]: give exactly one of text/document"
                ));
                continue;
            }
        };
        match parse_policy(PolicySource::new(m.name.clone(), m.kind), &text) {
            Ok(_) => failures.push(format!(
                "{fname} malformed[{i}] {:?}: parsed but should fail at {}",
                m.name, m.error_path
            )),
            Err(e) => {
                if e.path() != m.error_path || !e.to_string().contains(&m.name) {
                    failures.push(format!(
                        "{fname} malformed[{i}] {:?}: expected error at {:?}, got {e}",
                        m.name, m.error_path
                    ));
                }
            }
        }
    }
    (file.cases.len() + file.malformed.len(), failures)
}

#[test]
fn policy_corpus() {
    let mut files: Vec<PathBuf> = match std::fs::read_dir(corpus_dir()) {
        Ok(rd) => rd
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect(),
        Err(e) => panic!("cannot read {}: {e}", corpus_dir().display()),
    };
    files.sort();
    assert!(files.len() >= 10, "corpus has only {} files", files.len());
    let mut total = 0;
    let mut failures = Vec::new();
    for f in &files {
        let (n, mut fails) = run_file(f);
        total += n;
        failures.append(&mut fails);
    }
    println!("policy corpus: {} files, {total} cases", files.len());
    assert!(
        failures.is_empty(),
        "{} of {total} corpus cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

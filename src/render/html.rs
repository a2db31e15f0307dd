//! The HTML report: one self-contained file (no CDN, font or script from elsewhere) that opens
//! offline and from a mail attachment, under a strict Content-Security-Policy whose only
//! allowances are the SHA-256 hashes of its one inline style sheet and its one inline script.
//!
//! The page is a minijinja template (`html/report.html`) over a view of the report built here.
//! Every value that came from AWS (names, ARNs, messages, evidence, tags, policy text) is escaped
//! by the template engine's HTML auto-escaping; the only markup not escaped is the catalog's own
//! remediation (vpcwarden's Markdown, rendered with raw HTML turned into text) and the two inline
//! assets. Without JavaScript the summary, the gaps, the findings (each expandable, a `<details>`)
//! and the network picture are all there; the script adds sorting, filtering and opening a
//! finding from its `#id` anchor.

use super::RenderOptions;
use crate::finding::{Finding, Severity, Status};
use crate::report::Report;
use crate::report::network::{Egress, RegionNetwork, SubnetPicture, VpcPicture};
use base64::Engine as _;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, HashMap};

const TEMPLATE: &str = include_str!("html/report.html");
const STYLE: &str = include_str!("html/style.css");
const SCRIPT: &str = include_str!("html/report.js");

/// How many function names a subnet box shows before "and N more" (the rest are listed, and
/// searchable, beside the diagram).
const NAMES_PER_SUBNET: usize = 6;

/// Writes the HTML report.
pub fn write(
    report: &Report,
    options: RenderOptions,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    out.write_all(render(report, options).as_bytes())
}

/// Renders the HTML report.
pub fn render(report: &Report, options: RenderOptions) -> String {
    let mut env = minijinja::Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    // The template is part of the binary and tested: an error in it is a bug of ours.
    env.add_template("report.html", TEMPLATE)
        .expect("the HTML report template parses");
    let page = Page::of(report, options);
    env.get_template("report.html")
        .and_then(|t| t.render(minijinja::context! { page => page }))
        .expect("the HTML report template renders")
}

/// `'sha256-…'` of an inline asset, as a CSP source.
fn csp_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The page's Content-Security-Policy.
pub fn content_security_policy() -> String {
    format!(
        "default-src 'none'; style-src {}; script-src {}; img-src data:; base-uri 'none'; form-action 'none'",
        csp_hash(STYLE),
        csp_hash(SCRIPT)
    )
}

#[derive(Serialize)]
struct Page {
    csp: minijinja::Value,
    style: minijinja::Value,
    script: minijinja::Value,
    title: String,
    tool_version: String,
    started_at: String,
    finished_at: String,
    source: String,
    complete: bool,
    accounts: Vec<String>,
    regions: Vec<String>,
    counts: Vec<(String, usize)>,
    chart: Chart,
    gaps: Vec<GapView>,
    not_scanned: Vec<NotScannedView>,
    checks: Vec<CheckRow>,
    findings: Vec<FindingView>,
    hidden_passing: usize,
    filter: Filters,
    network: Option<Vec<RegionView>>,
    guides: Vec<Guide>,
    account_rows: Vec<AccountRow>,
    suppressions: Vec<SuppressionView>,
}

#[derive(Serialize)]
struct Chart {
    height: usize,
    bars: Vec<Bar>,
}

#[derive(Serialize)]
struct Bar {
    severity: &'static str,
    count: usize,
    y: usize,
    width: usize,
    label_x: usize,
}

#[derive(Serialize)]
struct GapView {
    account_id: String,
    region: String,
    call: String,
    resource: Option<String>,
    error_code: String,
    message: String,
}

#[derive(Serialize)]
struct NotScannedView {
    account_id: String,
    name: String,
    state: String,
    reason: String,
}

#[derive(Serialize)]
struct CheckRow {
    code: String,
    slug: String,
    title: String,
    fail: usize,
    not_evaluated: usize,
    pass: usize,
}

#[derive(Serialize)]
struct FindingView {
    id: String,
    code: String,
    title: String,
    severity: &'static str,
    /// The severity shown: a passing or not-evaluated finding has none.
    severity_shown: &'static str,
    severity_rank: u8,
    status: &'static str,
    status_rank: u8,
    account_id: String,
    region: String,
    resource_short: String,
    resource_arn: String,
    message: String,
    /// Pretty JSON, escaped for element content (it is only ever written inside `<pre>`).
    evidence: Option<minijinja::Value>,
    compliance: Vec<String>,
    /// The one-paragraph remediation; the check's whole guide is in `Page::guides`, once.
    remediation: String,
    /// Whether its check has a guide on the page.
    guide: bool,
    suppressed: Option<SuppressedView>,
    /// "new" or "was SEVERITY" against a baseline.
    baseline: Option<String>,
}

/// A check's whole remediation (console, AWS CLI, Terraform), written once per check and opened
/// from each of its findings.
#[derive(Serialize)]
struct Guide {
    code: String,
    slug: String,
    title: String,
    html: minijinja::Value,
    url: String,
}

#[derive(Serialize)]
struct SuppressedView {
    reason: String,
    owner: Option<String>,
    expires: Option<String>,
    ticket: Option<String>,
}

#[derive(Serialize)]
struct SuppressionView {
    line: usize,
    check: String,
    resource: String,
    reason: String,
    owner: Option<String>,
    expires: Option<String>,
    state: String,
    matched: usize,
}

#[derive(Serialize)]
struct Filters {
    checks: Vec<(String, String)>,
    accounts: Vec<String>,
    regions: Vec<String>,
}

#[derive(Serialize)]
struct AccountRow {
    account_id: String,
    name: Option<String>,
    ou_path: Option<String>,
    failing: Vec<(&'static str, usize)>,
    not_evaluated: usize,
    gaps: usize,
    network_anchor: Option<String>,
}

#[derive(Serialize)]
struct RegionView {
    anchor: String,
    account_id: String,
    region: String,
    missing: Vec<String>,
    /// Whether the region's functions were listed (else its counts are no counts).
    functions_listed: bool,
    open: bool,
    function_count: usize,
    vpcs: Vec<VpcView>,
    outside_vpc: Vec<Placed>,
    network_unknown: Vec<Placed>,
}

#[derive(Serialize)]
struct VpcView {
    vpc_id: String,
    cidr_block: Option<String>,
    is_default: bool,
    width: usize,
    height: usize,
    zone_width: usize,
    box_width: usize,
    zones: Vec<ZoneView>,
    listed: Vec<SubnetList>,
}

#[derive(Serialize)]
struct ZoneView {
    name: String,
    x: usize,
    text_x: usize,
    subnets: Vec<SubnetBox>,
}

#[derive(Serialize)]
struct SubnetBox {
    subnet_id: String,
    known: bool,
    cidr_block: Option<String>,
    egress: &'static str,
    egress_class: &'static str,
    egress_target: Option<String>,
    endpoints: Vec<String>,
    free_ips: Option<i32>,
    x: usize,
    y: usize,
    text_x: usize,
    height: usize,
    lines: Vec<BoxLine>,
}

/// One line of text in a subnet box, at its own y.
#[derive(Serialize)]
struct BoxLine {
    y: usize,
    text: String,
    class: &'static str,
    href: Option<String>,
    /// The whole name of the function or provider the line shows (the text may be cut), for
    /// *Find a function*.
    name: Option<String>,
}

#[derive(Serialize)]
struct SubnetList {
    anchor: String,
    subnet_id: String,
    functions: Vec<Placed>,
}

/// A function or capacity provider placed in the picture, with its worst finding.
#[derive(Serialize, Clone)]
struct Placed {
    name: String,
    /// The id of its worst failing (else not-evaluated) finding shown in the table.
    finding: Option<String>,
    mark: &'static str,
}

impl Page {
    fn of(report: &Report, options: RenderOptions) -> Page {
        let scan = &report.scan;
        let s = &report.summary;
        let status = |k: &str| s.by_status.get(k).copied().unwrap_or_default();
        let failing = |sev: Severity| {
            s.failing_by_severity
                .get(sev.as_str())
                .copied()
                .unwrap_or_default()
        };
        let mut counts = vec![
            ("total".to_string(), s.total),
            ("fail".into(), status("fail")),
            ("pass".into(), status("pass")),
            ("not_evaluated".into(), status("not_evaluated")),
            ("suppressed".into(), s.suppressed),
            ("gaps".into(), s.gaps),
            ("accounts".into(), scan.accounts.len()),
            ("regions".into(), scan.regions.len()),
        ];
        counts.extend(
            Severity::ALL_DESC
                .iter()
                .map(|sev| (format!("fail-{}", sev.as_str()), failing(*sev))),
        );
        let shown: Vec<&Finding> = report
            .findings
            .iter()
            .map(|f| &**f)
            .filter(|f| options.show_passed || f.status != Status::Pass)
            .collect();
        let marks: HashMap<&str, String> = report
            .baseline
            .iter()
            .flat_map(|d| d.entries.iter())
            .filter_map(|e| match e.category {
                crate::diff::Category::New => Some((e.id.as_str(), "new".to_string())),
                crate::diff::Category::Changed => e
                    .old
                    .map(|o| (e.id.as_str(), format!("was {}", o.severity))),
                _ => None,
            })
            .collect();
        let guides = guides(report, &shown);
        let guided: BTreeSet<&str> = guides.iter().map(|g| g.code.as_str()).collect();
        let findings: Vec<FindingView> = shown
            .iter()
            .map(|f| FindingView {
                id: f.id.to_string(),
                code: f.code().to_string(),
                title: f.title().to_string(),
                severity: f.severity.as_str(),
                severity_shown: if f.status == Status::Fail {
                    f.severity.as_str()
                } else {
                    ""
                },
                severity_rank: severity_rank(f),
                status: f.status.as_str(),
                status_rank: match f.status {
                    Status::Fail => 0,
                    Status::NotEvaluated => 1,
                    Status::Pass => 2,
                },
                account_id: f.account_id.to_string(),
                region: f.region.to_string(),
                resource_short: super::table::short_arn(&f.resource_arn).to_string(),
                resource_arn: f.resource_arn.to_string(),
                message: f.sentence().to_string(),
                evidence: (!f.evidence.is_empty()).then(|| {
                    minijinja::Value::from_safe_string(escape_text(
                        &serde_json::to_string_pretty(&f.evidence).unwrap_or_default(),
                    ))
                }),
                compliance: f.compliance().to_vec(),
                remediation: f.remediation().to_string(),
                guide: guided.contains(f.code()),
                suppressed: f.suppressed.as_ref().map(|s| SuppressedView {
                    reason: s.reason.clone(),
                    owner: s.owner.clone(),
                    expires: s.expires.clone(),
                    ticket: s.ticket.clone(),
                }),
                baseline: marks.get(f.id.as_str()).cloned(),
            })
            .collect();
        let worst = worst_findings(&shown);
        let network = report.network.as_ref().map(|regions| {
            regions
                .iter()
                .map(|r| region_view(r, &worst))
                .collect::<Vec<_>>()
        });
        // Each account's first region in the picture, to link to.
        let mut with_network: HashMap<&str, String> = HashMap::new();
        for r in report.network.iter().flatten() {
            with_network
                .entry(r.account_id.as_str())
                .or_insert_with(|| region_anchor(r));
        }
        Page {
            // Ours alone (hashes in base64): written as it is, since a browser reads the
            // attribute's entities back anyway and the test compares the bytes.
            csp: minijinja::Value::from_safe_string(content_security_policy()),
            style: minijinja::Value::from_safe_string(STYLE.to_string()),
            script: minijinja::Value::from_safe_string(SCRIPT.to_string()),
            title: title(report),
            tool_version: scan.tool_version.clone(),
            started_at: scan.started_at.clone(),
            finished_at: scan.finished_at.clone(),
            source: scan.source.clone(),
            complete: scan.complete,
            accounts: scan.accounts.clone(),
            regions: scan.regions.clone(),
            counts,
            chart: chart(report),
            gaps: report
                .gaps
                .iter()
                .map(|g| GapView {
                    account_id: g.account_id.clone(),
                    region: g.region.clone(),
                    call: format!("{}:{}", g.service, g.operation),
                    resource: g.resource.clone(),
                    error_code: g.error_code.clone(),
                    message: g.message.clone(),
                })
                .collect(),
            not_scanned: scan
                .not_scanned
                .iter()
                .map(|n| NotScannedView {
                    account_id: n.account_id.clone(),
                    name: n.name.clone(),
                    state: n.state.clone(),
                    reason: n.reason.clone(),
                })
                .collect(),
            checks: check_rows(report),
            hidden_passing: report.findings.len() - shown.len(),
            filter: Filters {
                checks: {
                    let codes: BTreeSet<&str> = shown.iter().map(|f| f.code()).collect();
                    codes
                        .into_iter()
                        .map(|c| {
                            let title = report.check(c).map(|i| i.slug.clone()).unwrap_or_default();
                            (c.to_string(), title)
                        })
                        .collect()
                },
                // Every scanned account, so the accounts table's links always find theirs.
                accounts: distinct(
                    shown
                        .iter()
                        .map(|f| &*f.account_id)
                        .chain(scan.accounts.iter().map(String::as_str)),
                ),
                regions: distinct(shown.iter().map(|f| &*f.region)),
            },
            findings,
            guides,
            network,
            account_rows: account_rows(report, &with_network),
            suppressions: report
                .suppressions
                .iter()
                .map(|o| SuppressionView {
                    line: o.line,
                    check: o.check.clone(),
                    resource: o.resource.clone(),
                    reason: o.record.reason.clone(),
                    owner: o.record.owner.clone(),
                    expires: o.record.expires.clone(),
                    state: o.state.as_str().to_string(),
                    matched: o.matched,
                })
                .collect(),
        }
    }
}

/// The guides of the checks whose findings are listed, in code order.
fn guides(report: &Report, shown: &[&Finding]) -> Vec<Guide> {
    let codes: BTreeSet<&str> = shown.iter().map(|f| f.code()).collect();
    codes
        .into_iter()
        .filter_map(|code| {
            let c = report.check(code)?;
            (!c.remediation_guide.is_empty()).then(|| Guide {
                code: c.code.clone(),
                slug: c.slug.clone(),
                title: c.title.clone(),
                html: minijinja::Value::from_safe_string(markdown(&c.remediation_guide)),
                url: c.remediation_url.clone(),
            })
        })
        .collect()
}

fn title(report: &Report) -> String {
    match report.scan.accounts.as_slice() {
        [one] => format!("vpcwarden report: account {one}"),
        many => format!("vpcwarden report: {} accounts", many.len()),
    }
}

fn distinct<'a>(values: impl Iterator<Item = &'a str>) -> Vec<String> {
    values
        .collect::<BTreeSet<_>>()
        .into_iter()
        .map(str::to_string)
        .collect()
}

/// 0 for a critical failure … 4 for informational; 5 not evaluated, 6 pass: the table's
/// severity order.
fn severity_rank(f: &Finding) -> u8 {
    match f.status {
        Status::Fail => match f.severity {
            Severity::Critical => 0,
            Severity::High => 1,
            Severity::Medium => 2,
            Severity::Low => 3,
            Severity::Informational => 4,
        },
        Status::NotEvaluated => 5,
        Status::Pass => 6,
    }
}

/// The failing findings by severity, as horizontal bars.
fn chart(report: &Report) -> Chart {
    const ROW: usize = 26;
    const WIDTH: usize = 360;
    let counts: Vec<(Severity, usize)> = Severity::ALL_DESC
        .iter()
        .map(|s| {
            let n = report
                .summary
                .failing_by_severity
                .get(s.as_str())
                .copied()
                .unwrap_or_default();
            (*s, n)
        })
        .collect();
    let max = counts.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    Chart {
        height: counts.len() * ROW + 4,
        bars: counts
            .iter()
            .enumerate()
            .map(|(i, (s, n))| {
                let width = if *n == 0 { 0 } else { (n * WIDTH / max).max(2) };
                Bar {
                    severity: s.as_str(),
                    count: *n,
                    y: i * ROW + 2,
                    width,
                    label_x: 120 + width + 6,
                }
            })
            .collect(),
    }
}

fn check_rows(report: &Report) -> Vec<CheckRow> {
    let mut rows: BTreeMap<&str, CheckRow> = BTreeMap::new();
    for code in &report.scan.checks {
        let info = report.check(code);
        rows.insert(
            code,
            CheckRow {
                code: code.clone(),
                slug: info.map(|c| c.slug.clone()).unwrap_or_default(),
                title: info.map(|c| c.title.clone()).unwrap_or_default(),
                fail: 0,
                not_evaluated: 0,
                pass: 0,
            },
        );
    }
    for f in &report.findings {
        let row = rows.entry(f.code()).or_insert_with(|| CheckRow {
            code: f.code().to_string(),
            slug: f.slug().to_string(),
            title: f.title().to_string(),
            fail: 0,
            not_evaluated: 0,
            pass: 0,
        });
        match f.status {
            Status::Fail => row.fail += 1,
            Status::NotEvaluated => row.not_evaluated += 1,
            Status::Pass => row.pass += 1,
        }
    }
    rows.into_values().collect()
}

fn account_rows(report: &Report, with_network: &HashMap<&str, String>) -> Vec<AccountRow> {
    report
        .account_counts()
        .into_iter()
        .map(|a| AccountRow {
            network_anchor: with_network.get(a.account_id.as_str()).cloned(),
            failing: Severity::ALL_DESC
                .iter()
                .map(|s| s.as_str())
                .zip(a.failing)
                .collect(),
            account_id: a.account_id,
            name: a.name,
            ou_path: a.ou_path,
            not_evaluated: a.not_evaluated,
            gaps: a.gaps,
        })
        .collect()
}

/// For each resource ARN with a shown failing or not-evaluated finding: its worst one.
fn worst_findings<'a>(shown: &[&'a Finding]) -> HashMap<&'a str, &'a Finding> {
    let mut worst: HashMap<&str, &Finding> = HashMap::new();
    for f in shown.iter().filter(|f| f.status != Status::Pass) {
        let slot = worst.entry(&*f.resource_arn).or_insert(f);
        if severity_rank(f) < severity_rank(slot) {
            *slot = f;
        }
    }
    worst
}

/// The last part of an ARN (`function:NAME` → `NAME`, `subnet/ID` → `ID`).
fn arn_name(arn: &str) -> &str {
    let tail = arn.rsplit([':', '/']).next().unwrap_or(arn);
    if tail.is_empty() { arn } else { tail }
}

/// Failing first, then not evaluated, then the rest.
fn mark_rank(mark: &str) -> u8 {
    match mark {
        "fail" => 0,
        "not-evaluated" => 1,
        _ => 2,
    }
}

fn placed(arn: &str, worst: &HashMap<&str, &Finding>) -> Placed {
    let w = worst.get(arn);
    Placed {
        name: arn_name(arn).to_string(),
        finding: w.map(|f| f.id.to_string()),
        mark: match w {
            Some(f) if f.status == Status::Fail => "fail",
            Some(_) => "not-evaluated",
            None => "ok",
        },
    }
}

fn region_anchor(r: &RegionNetwork) -> String {
    format!("net-{}-{}", r.account_id, r.region)
}

fn region_view(r: &RegionNetwork, worst: &HashMap<&str, &Finding>) -> RegionView {
    let function_count = r.outside_vpc.len()
        + r.network_unknown.len()
        + r.vpcs
            .iter()
            .flat_map(|v| v.subnets.iter().chain(&v.unknown_subnets))
            .flat_map(|s| &s.functions)
            .collect::<BTreeSet<_>>()
            .len();
    let missing = |call: &str| r.missing.iter().any(|m| m == call);
    let known = Known {
        enis: !missing("ec2:DescribeNetworkInterfaces"),
        anchor: region_anchor(r),
    };
    RegionView {
        anchor: region_anchor(r),
        account_id: r.account_id.clone(),
        region: r.region.clone(),
        missing: r.missing.clone(),
        functions_listed: !missing("lambda:ListFunctions"),
        open: function_count <= 50,
        function_count,
        vpcs: r.vpcs.iter().map(|v| vpc_view(v, worst, &known)).collect(),
        outside_vpc: r.outside_vpc.iter().map(|a| placed(a, worst)).collect(),
        network_unknown: r.network_unknown.iter().map(|a| placed(a, worst)).collect(),
    }
}

/// What a region's boxes need to know besides their subnet.
struct Known {
    /// Whether the region's ENIs were read (else no pair is said to lack one).
    enis: bool,
    /// The region's anchor, which makes the ids of its subnet lists unique on the page (a shared
    /// VPC's subnet is drawn in the owner's picture and in each participant's).
    anchor: String,
}

const COL_WIDTH: usize = 280;
/// A subnet box's width, inside its zone's column.
const BOX_WIDTH: usize = COL_WIDTH - 16;
const COL_GAP: usize = 16;
const LINE: usize = 15;
/// Characters of text that fit a subnet box's width.
const BOX_CHARS: usize = 36;

/// `text` cut to `max` characters, with an ellipsis when cut.
fn fit(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max - 1).collect();
    cut.push('…');
    cut
}

fn vpc_view(v: &VpcPicture, worst: &HashMap<&str, &Finding>, known: &Known) -> VpcView {
    let mut zones: BTreeMap<String, Vec<&SubnetPicture>> = BTreeMap::new();
    for s in v.subnets.iter().chain(&v.unknown_subnets) {
        let zone = if s.availability_zone.is_empty() {
            "unknown zone".to_string()
        } else {
            s.availability_zone.clone()
        };
        zones.entry(zone).or_default().push(s);
    }
    let mut height = 0;
    let zones: Vec<ZoneView> = zones
        .into_iter()
        .enumerate()
        .map(|(i, (name, subnets))| {
            let x = 8 + i * (COL_WIDTH + COL_GAP);
            let mut y = 40;
            let boxes = subnets
                .into_iter()
                .map(|s| {
                    let b = subnet_box(s, x + 8, y, worst, known);
                    y += b.height + 10;
                    b
                })
                .collect();
            height = height.max(y);
            ZoneView {
                name,
                x,
                text_x: x + 8,
                subnets: boxes,
            }
        })
        .collect();
    let listed = v
        .subnets
        .iter()
        .chain(&v.unknown_subnets)
        .filter(|s| s.functions.len() > NAMES_PER_SUBNET)
        .map(|s| SubnetList {
            anchor: list_anchor(known, &s.subnet_id),
            subnet_id: s.subnet_id.clone(),
            functions: s.functions.iter().map(|a| placed(a, worst)).collect(),
        })
        .collect();
    VpcView {
        vpc_id: v.vpc_id.clone(),
        cidr_block: v.cidr_block.clone(),
        is_default: v.is_default,
        width: 16 + zones.len().max(1) * (COL_WIDTH + COL_GAP),
        height: height + 4,
        zone_width: COL_WIDTH,
        box_width: BOX_WIDTH,
        zones,
        listed,
    }
}

fn list_anchor(known: &Known, subnet_id: &str) -> String {
    format!("list-{}-{subnet_id}", known.anchor)
}

/// What kind of subnet its egress makes it, as the box says it and as its CSS class.
fn subnet_kind(s: &SubnetPicture) -> (&'static str, &'static str) {
    match s.egress {
        Egress::InternetGateway => ("public", "public"),
        Egress::None => ("isolated", "isolated"),
        // Its route table was not read (or is the VPC owner's, in a shared VPC): no claim.
        Egress::Unknown => ("route table unknown", "unknown"),
        _ => ("private", "private"),
    }
}

fn subnet_box(
    s: &SubnetPicture,
    x: usize,
    y: usize,
    worst: &HashMap<&str, &Finding>,
    known: &Known,
) -> SubnetBox {
    let mut lines: Vec<BoxLine> = Vec::new();
    let mut line =
        |text: String, class: &'static str, href: Option<String>, name: Option<String>| {
            lines.push(BoxLine {
                y: 0,
                text: fit(&text, BOX_CHARS),
                class,
                href,
                name,
            });
        };
    let (kind, kind_class) = subnet_kind(s);
    line(
        match s.egress {
            Egress::Unknown => kind.to_string(),
            Egress::None if !s.endpoints.is_empty() => format!("{kind} · endpoints only"),
            e => format!("{kind} · egress: {}", e.label()),
        },
        if s.egress == Egress::Unknown {
            "not-evaluated"
        } else {
            "egress"
        },
        None,
        None,
    );
    if !s.endpoints.is_empty() {
        let names: Vec<&str> = s.endpoints.iter().map(|e| arn_name_dot(e)).collect();
        line(
            format!("endpoints: {}", names.join(", ")),
            "meta",
            None,
            None,
        );
    }
    for p in &s.capacity_providers {
        let pl = placed(p, worst);
        line(
            format!("▣ provider {}", pl.name),
            pl.mark,
            pl.finding.as_ref().map(|id| format!("#{id}")),
            Some(pl.name),
        );
    }
    // Those with failing findings first, so a crowded subnet still shows what is wrong.
    let mut functions: Vec<Placed> = s.functions.iter().map(|f| placed(f, worst)).collect();
    functions.sort_by_key(|p| mark_rank(p.mark));
    let crowded = functions.len() > NAMES_PER_SUBNET;
    if crowded {
        let failing = functions.iter().filter(|p| p.mark == "fail").count();
        line(
            format!("λ {} functions, {failing} failing", functions.len()),
            if failing > 0 { "fail" } else { "meta" },
            None,
            None,
        );
    }
    for pl in functions.iter().take(NAMES_PER_SUBNET) {
        line(
            format!("λ {}", pl.name),
            pl.mark,
            pl.finding.as_ref().map(|id| format!("#{id}")),
            Some(pl.name.clone()),
        );
    }
    if crowded {
        line(
            format!("… and {} more", functions.len() - NAMES_PER_SUBNET),
            "meta",
            Some(format!("#{}", list_anchor(known, &s.subnet_id))),
            None,
        );
    }
    if !s.eni_pairs.is_empty() {
        let enis: usize = s.eni_pairs.iter().map(|p| p.enis.len()).sum();
        let pending = s.eni_pairs.iter().filter(|p| p.enis.is_empty()).count();
        if !known.enis {
            line(
                format!("ENI pairs {} · ENIs not read", s.eni_pairs.len()),
                "not-evaluated",
                None,
                None,
            );
        } else {
            line(
                format!(
                    "ENI pairs {} · ENIs {enis}{}",
                    s.eni_pairs.len(),
                    if pending > 0 {
                        format!(" · {pending} lack an ENI")
                    } else {
                        String::new()
                    }
                ),
                if pending > 0 { "not-evaluated" } else { "meta" },
                None,
                None,
            );
        }
    }
    for eni in s.unused_enis.iter().take(3) {
        line(format!("orphaned ENI {eni}"), "fail", None, None);
    }
    if s.unused_enis.len() > 3 {
        line(
            format!("… and {} more orphaned ENIs", s.unused_enis.len() - 3),
            "fail",
            None,
            None,
        );
    }
    if !s.enis_of_unknown_use.is_empty() {
        line(
            format!(
                "Lambda ENIs of unknown use: {}",
                s.enis_of_unknown_use.len()
            ),
            "not-evaluated",
            None,
            None,
        );
    }
    if s.managed_instance_enis > 0 {
        line(
            format!("managed-instance ENIs: {}", s.managed_instance_enis),
            "meta",
            None,
            None,
        );
    }
    let top = y + 3 * LINE + 2;
    for (i, l) in lines.iter_mut().enumerate() {
        l.y = top + i * LINE;
    }
    let height = 3 * LINE + 8 + lines.len() * LINE;
    SubnetBox {
        subnet_id: s.subnet_id.clone(),
        known: !s.availability_zone.is_empty(),
        cidr_block: s.cidr_block.clone(),
        egress: s.egress.label(),
        egress_class: kind_class,
        egress_target: s.egress_target.clone(),
        endpoints: s.endpoints.clone(),
        free_ips: s.free_ips,
        x,
        y,
        text_x: x + 8,
        height,
        lines,
    }
}

/// `com.amazonaws.eu-west-1.s3` → `s3`.
fn arn_name_dot(service: &str) -> &str {
    service.rsplit('.').next().unwrap_or(service)
}

/// Text escaped for an element's content (never an attribute's): `&`, `<` and `>`, which is all
/// that can end text there. JSON's many `"` stay as they are instead of costing six bytes each.
fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// The catalog's Markdown as HTML. Raw HTML in the text is shown as text, never passed through.
fn markdown(text: &str) -> String {
    use pulldown_cmark::{Event, Parser};
    let events = Parser::new(text).map(|e| match e {
        Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
        e => e,
    });
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, events);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_turns_raw_html_into_text() {
        let html = markdown("Fix it <script>alert(1)</script> now.\n\n```sh\naws x <y>\n```\n");
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(
            html.contains("<pre><code class=\"language-sh\">aws x &lt;y&gt;"),
            "{html}"
        );
    }

    #[test]
    fn element_text_is_escaped_where_it_could_end() {
        assert_eq!(
            escape_text(r#"{"a": "</pre><script>x</script> & \"q\""}"#),
            r#"{"a": "&lt;/pre&gt;&lt;script&gt;x&lt;/script&gt; &amp; \"q\""}"#
        );
    }

    #[test]
    fn the_policy_allows_exactly_the_inline_assets() {
        let csp = content_security_policy();
        assert!(csp.starts_with("default-src 'none'; "), "{csp}");
        assert!(csp.contains(&csp_hash(STYLE)) && csp.contains(&csp_hash(SCRIPT)));
        assert!(!csp.contains("unsafe"), "{csp}");
    }

    #[test]
    fn names_come_from_the_end_of_arns() {
        assert_eq!(arn_name("arn:aws:lambda:eu-west-1:1:function:api"), "api");
        assert_eq!(
            arn_name("arn:aws:ec2:eu-west-1:1:subnet/subnet-1"),
            "subnet-1"
        );
        assert_eq!(arn_name_dot("com.amazonaws.eu-west-1.s3"), "s3");
    }
}

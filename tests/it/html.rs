//! The HTML report without a browser: the page is self-contained, its policy allows exactly its
//! inline assets, it escapes what came from AWS, its counts and rows are the JSON report's, and a
//! saved report renders the page the audit wrote. The network picture it draws is built from the
//! snapshot; its model is tested here on the healthy account. (`browser.rs` drives the page in
//! Chromium.)

use crate::support::healthy::{
    ACCOUNT, FUNCTION_SG, PRIVATE_A, PRIVATE_B, PUBLIC_A, REGION, VPC, healthy, lambda_eni,
};
use crate::support::{demo_json, outcome, vpcwarden};
use base64::Engine as _;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use vpcwarden::report::network::{Egress, RegionNetwork, of_account};

fn demo_html(extra: &[&str]) -> String {
    let (code, out, err) = outcome(
        vpcwarden()
            .args(["audit", "--demo", "--format", "html"])
            .args(extra),
    );
    assert_eq!(code, 3, "the demo fails as audit does in any format\n{err}");
    out
}

/// The text between `start` and the next `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap_or_else(|| panic!("no {start}")) + start.len();
    let len = text[from..].find(end).unwrap_or_else(|| panic!("no {end}"));
    &text[from..from + len]
}

fn sha256(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()))
}

#[test]
fn the_page_loads_nothing_and_its_policy_allows_only_its_own_inline_assets() {
    let html = demo_html(&[]);
    let csp = between(
        &html,
        "http-equiv=\"Content-Security-Policy\" content=\"",
        "\"",
    );
    let style = between(&html, "<style>", "</style>");
    let script = between(&html, "<script>", "</script>");
    assert_eq!(
        csp,
        format!(
            "default-src 'none'; style-src 'sha256-{}'; script-src 'sha256-{}'; img-src data:; base-uri 'none'; form-action 'none'",
            sha256(style),
            sha256(script)
        ),
        "the hashes are those of the page's own style and script"
    );
    assert_eq!(html.matches("<script").count(), 1, "one inline script");
    assert_eq!(html.matches("<style").count(), 1, "one inline style sheet");
    for external in [" src=", "<link", "@import", "url(", "<iframe", "<object"] {
        assert!(!html.contains(external), "nothing is loaded: {external}");
    }
    // Inline handlers and style attributes would be blocked by the policy: there are none.
    for blocked in [
        " onclick=",
        " onload=",
        " onerror=",
        " style=\"",
        "javascript:",
    ] {
        assert!(!html.contains(blocked), "{blocked}");
    }
}

#[test]
fn counts_and_rows_are_the_json_reports() {
    let html = demo_html(&[]);
    let json = demo_json(&[]);
    let count = |key: &str| -> u64 {
        between(&html, &format!("data-count=\"{key}\">"), "<")
            .trim()
            .parse()
            .unwrap_or_else(|e| panic!("{key}: {e}"))
    };
    let s = &json["summary"];
    assert_eq!(count("total"), s["total"].as_u64().unwrap_or(0));
    for status in ["fail", "pass", "not_evaluated"] {
        assert_eq!(count(status), s["by_status"][status].as_u64().unwrap_or(99));
    }
    for (severity, n) in s["failing_by_severity"].as_object().expect("severities") {
        assert_eq!(count(&format!("fail-{severity}")), n.as_u64().unwrap_or(99));
    }
    assert_eq!(count("gaps"), s["gaps"].as_u64().unwrap_or(99));
    // Every finding that does not pass is a row, with its id as anchor; passing ones are not.
    let findings = json["findings"].as_array().expect("findings");
    let rows = html.matches("<tr class=\"finding ").count();
    let listed: Vec<&Value> = findings.iter().filter(|f| f["status"] != "pass").collect();
    assert_eq!(rows, listed.len());
    for f in &listed {
        let id = f["id"].as_str().expect("id");
        assert!(
            html.contains(&format!(
                "id=\"{id}\" data-severity=\"{}\"",
                f["severity"].as_str().unwrap_or("?")
            )),
            "{id}"
        );
    }
    let passing = findings
        .iter()
        .find(|f| f["status"] == "pass")
        .expect("a pass");
    assert!(!html.contains(&format!("id=\"{}\"", passing["id"].as_str().unwrap_or("?"))));
    // --show-passed lists them all.
    let all = demo_html(&["--show-passed"]);
    assert_eq!(all.matches("<tr class=\"finding ").count(), findings.len());
}

#[test]
fn remediation_comes_from_the_catalog_in_console_cli_and_terraform_form() {
    let html = demo_html(&[]);
    let row = html
        .find("data-check=\"LAMBDA003\"")
        .expect("the demo has a function outside any VPC");
    let slot = between(&html[row..], "<div class=\"guide-slot\"", "</div>");
    assert!(
        slot.contains("data-guide=\"LAMBDA003\"") && slot.contains("href=\"#fix-LAMBDA003\""),
        "{slot}"
    );
    // Each check's guide is written once, and each of its findings opens it.
    assert_eq!(html.matches("id=\"fix-LAMBDA003\"").count(), 1);
    let guide = &html[html.find("id=\"fix-LAMBDA003\"").expect("guide")..];
    let detail = between(guide, "<div class=\"remediation\">", "</div>");
    for heading in ["<h3>Console</h3>", "<h3>AWS CLI</h3>", "<h3>Terraform</h3>"] {
        assert!(detail.contains(heading), "{heading}\n{detail}");
    }
    assert!(
        detail.contains("<pre><code class=\"language-hcl\">"),
        "{detail}"
    );
}

/// What an attacker may name (a resource, a tag, a policy) is shown as text and never runs.
#[test]
fn values_from_aws_are_escaped() {
    let mut report = demo_json(&[]);
    let payload = "<script>document.title='pwned'</script><img src=x onerror=alert(1)>\"'&";
    let f = report["findings"]
        .as_array_mut()
        .and_then(|f| f.iter_mut().find(|f| f["status"] == "fail"))
        .expect("a failing finding");
    f["resource_arn"] = json!(format!(
        "arn:aws:lambda:eu-west-1:123456789012:function:{payload}"
    ));
    f["message"] = json!(format!("message {payload}"));
    f["evidence"]["tag"] = json!(payload);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("crafted.json");
    std::fs::write(&path, report.to_string()).expect("write");
    let (code, html, err) = outcome(
        vpcwarden()
            .args(["report", "--format", "html", "--from-report"])
            .arg(&path),
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        html.matches("<script").count(),
        1,
        "only the page's own script"
    );
    assert!(!html.contains("<img"), "no element from the data");
    // Quotes are escaped too, so a value never leaves the attribute it is written in.
    assert!(html.contains("title=\"arn:aws:lambda:eu-west-1:123456789012:function:&lt;script&gt;"));
    assert!(html.contains("&quot;&#x27;&amp;"), "quotes and ampersands");
    assert!(
        html.contains("&lt;script&gt;document.title="),
        "shown as text"
    );
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
}

/// `report --from-report` renders a saved report as the audit did: the JSON carries the network
/// picture, and the catalog gives back what JSON v1 does not carry.
#[test]
fn a_saved_report_renders_the_page_the_audit_wrote() {
    let dir = tempfile::tempdir().expect("tempdir");
    let saved = dir.path().join("demo.json");
    let (_, json, _) = outcome(
        vpcwarden()
            .args(["audit", "--demo", "--format", "json", "--output"])
            .arg(&saved),
    );
    assert!(json.is_empty());
    let (code, from_report, err) = outcome(
        vpcwarden()
            .args(["report", "--format", "html", "--from-report"])
            .arg(&saved),
    );
    assert_eq!(code, 0, "{err}");
    let direct = demo_html(&[]);
    // The finish time differs between the two runs of the demo; the rest is the same page.
    let strip = |s: &str| {
        let at = s.find(" to ").expect("scan times");
        let end = s[at..].find(" (").expect("source");
        format!("{}{}", &s[..at], &s[at + end..])
    };
    assert_eq!(strip(&from_report), strip(&direct));

    // A report of a version without the picture says so, and renders the rest.
    let mut old: Value =
        serde_json::from_str(&std::fs::read_to_string(&saved).expect("read")).expect("json");
    old.as_object_mut().expect("object").remove("network");
    std::fs::write(&saved, old.to_string()).expect("write");
    let (code, html, err) = outcome(
        vpcwarden()
            .args(["report", "--format", "html", "--from-report"])
            .arg(&saved),
    );
    assert_eq!(code, 0, "{err}");
    assert!(html.contains("carries no network picture"), "{html}");
    assert!(!html.contains("<svg class=\"vpc\""));
    assert_eq!(
        html.matches("<tr class=\"finding ").count(),
        direct.matches("<tr class=\"finding ").count()
    );
}

/// The picture of the healthy account's only region.
fn picture(scenario: crate::support::healthy::Scenario) -> RegionNetwork {
    let snapshot = scenario.snapshot();
    let mut regions = of_account(&snapshot.accounts[0]);
    assert_eq!(regions.len(), 1);
    regions.remove(0)
}

#[test]
fn the_picture_places_functions_in_their_subnets_with_their_egress() {
    let p = picture(healthy());
    assert_eq!(
        (p.account_id.as_str(), p.region.as_str()),
        (ACCOUNT, REGION)
    );
    assert!(p.missing.is_empty() && p.outside_vpc.is_empty() && p.network_unknown.is_empty());
    let vpc = match p.vpcs.as_slice() {
        [vpc] => vpc,
        other => panic!("one VPC: {other:?}"),
    };
    assert_eq!(vpc.vpc_id, VPC);
    let subnet = |id: &str| {
        vpc.subnets
            .iter()
            .find(|s| s.subnet_id == id)
            .unwrap_or_else(|| panic!("{id}"))
    };
    for id in [PRIVATE_A, PRIVATE_B] {
        let s = subnet(id);
        assert_eq!(s.egress, Egress::NatGateway, "{id}");
        assert_eq!(s.egress_target.as_deref(), Some("nat-app"));
        assert_eq!(
            s.functions.len(),
            2,
            "orders and billing: {:?}",
            s.functions
        );
        assert_eq!(s.eni_pairs.len(), 1);
        assert_eq!(
            s.eni_pairs[0].security_group_ids,
            vec![FUNCTION_SG.to_string()]
        );
        assert!(!s.eni_pairs[0].enis.is_empty(), "the pair has its ENI");
        assert!(s.unused_enis.is_empty());
    }
    let public = subnet(PUBLIC_A);
    assert_eq!(public.egress, Egress::InternetGateway);
    assert!(public.functions.is_empty());
    // Subnets by Availability Zone, then id.
    let order: Vec<(&str, &str)> = vpc
        .subnets
        .iter()
        .map(|s| (s.availability_zone.as_str(), s.subnet_id.as_str()))
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
}

#[test]
fn the_picture_shows_what_is_wrong_where_it_is() {
    let p = picture(
        healthy()
            .edit_function("orders", |f| f.vpc_config = None)
            .ec2(REGION, |ec2| {
                let mut orphan = lambda_eni("eni-orphan", PRIVATE_A, &["sg-gone"], "removed");
                orphan.status = "available".into();
                ec2.network_interfaces.push(orphan);
                // billing's pair in subnet B loses its ENI.
                ec2.network_interfaces.retain(|e| e.subnet_id != PRIVATE_B);
                // subnet A's table loses its default route.
                for t in &mut ec2.route_tables {
                    if t.subnet_ids.iter().any(|s| s == PRIVATE_A) {
                        t.routes.retain(|r| r.destination != "0.0.0.0/0");
                    }
                }
            }),
    );
    assert_eq!(p.outside_vpc.len(), 1);
    assert!(p.outside_vpc[0].ends_with(":function:orders"));
    let vpc = &p.vpcs[0];
    let a = vpc
        .subnets
        .iter()
        .find(|s| s.subnet_id == PRIVATE_A)
        .expect("a");
    let b = vpc
        .subnets
        .iter()
        .find(|s| s.subnet_id == PRIVATE_B)
        .expect("b");
    assert_eq!(a.unused_enis, vec!["eni-orphan".to_string()]);
    assert_eq!(a.functions.len(), 1, "billing only");
    assert_eq!(a.egress, Egress::None, "no default route");
    assert!(
        b.eni_pairs.iter().all(|p| p.enis.is_empty()),
        "pending: {:?}",
        b.eni_pairs
    );
}

#[test]
fn a_failed_source_marks_the_picture_partial() {
    let p = picture(healthy().gap("ec2", "DescribeRouteTables", REGION));
    assert_eq!(p.missing, vec!["ec2:DescribeRouteTables".to_string()]);
    let vpc = &p.vpcs[0];
    assert!(
        vpc.subnets.iter().all(|s| s.egress == Egress::Unknown),
        "without route tables no egress is claimed: {:?}",
        vpc.subnets.iter().map(|s| s.egress).collect::<Vec<_>>()
    );
    // Without the function list no in-use ENI is called orphaned: it may serve an unlisted one.
    let p = picture(healthy().gap("lambda", "ListFunctions", REGION));
    assert!(p.missing.contains(&"lambda:ListFunctions".to_string()));
    let subnets: Vec<_> = p.vpcs.iter().flat_map(|v| &v.subnets).collect();
    assert!(
        subnets.iter().all(|s| s.unused_enis.is_empty()),
        "{subnets:?}"
    );
    for id in [PRIVATE_A, PRIVATE_B] {
        let s = subnets
            .iter()
            .find(|s| s.subnet_id == id)
            .expect("still drawn, for its ENIs");
        assert!(
            !s.enis_of_unknown_use.is_empty(),
            "its ENI is shown, of unknown use: {s:?}"
        );
    }
    let p = picture(healthy().gap("ec2", "DescribeSubnets", REGION));
    assert!(p.missing.contains(&"ec2:DescribeSubnets".to_string()));
    let vpc = &p.vpcs[0];
    assert!(vpc.subnets.is_empty());
    let named: Vec<&str> = vpc
        .unknown_subnets
        .iter()
        .map(|s| s.subnet_id.as_str())
        .collect();
    assert_eq!(
        named,
        vec![PRIVATE_A, PRIVATE_B],
        "the subnets functions name are still drawn"
    );
}

#[test]
fn egress_is_decided_by_the_working_default_route() {
    use vpcwarden::snapshot::{Route, RouteTable};
    let table = |routes: &[(&str, &str, Option<&str>)]| RouteTable {
        route_table_id: "rtb-1".into(),
        vpc_id: "vpc-1".into(),
        main: false,
        subnet_ids: vec![],
        routes: routes
            .iter()
            .map(|(d, t, state)| Route {
                destination: d.to_string(),
                target: t.to_string(),
                state: state.map(str::to_string),
            })
            .collect(),
    };
    let cases = [
        (vec![("10.0.0.0/16", "local", None)], Egress::None),
        (vec![("0.0.0.0/0", "nat-1", None)], Egress::NatGateway),
        (
            vec![("0.0.0.0/0", "nat-1", Some("blackhole"))],
            Egress::None,
        ),
        (vec![("0.0.0.0/0", "tgw-1", None)], Egress::TransitGateway),
        (
            vec![("::/0", "eigw-1", None), ("0.0.0.0/0", "nat-1", None)],
            Egress::NatGateway,
        ),
        (vec![("::/0", "eigw-1", None)], Egress::EgressOnlyIpv6),
        (vec![("0.0.0.0/0", "igw-1", None)], Egress::InternetGateway),
        (vec![("0.0.0.0/0", "eni-1", None)], Egress::NatInstance),
    ];
    for (routes, want) in cases {
        assert_eq!(Egress::of(Some(&table(&routes))), want, "{routes:?}");
    }
    assert_eq!(Egress::of(None), Egress::Unknown);
}

/// A finding a `[[suppress]]` entry accepts is listed, marked, with its record; the entries
/// are listed with what became of them.
#[test]
fn suppressed_findings_are_shown_as_such() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("vpcwarden.toml");
    std::fs::write(
        &config,
        "[[suppress]]\ncheck = \"LAMBDA003\"\nresource = \"arn:aws:lambda:us-east-1:123456789012:function:legacy-report\"\nreason = \"retired in Q1\"\nowner = \"platform-team\"\nexpires = 2099-01-01\n",
    )
    .expect("write");
    let html = demo_html(&["--config", config.to_str().expect("UTF-8")]);
    let json = demo_json(&["--config", config.to_str().expect("UTF-8")]);
    let id = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f.get("suppressed").is_some())
        .and_then(|f| f["id"].as_str())
        .expect("the entry suppresses a finding")
        .to_string();
    let row = between(&html, &format!("id=\"{id}\""), "</tr>");
    assert!(row.contains("data-suppressed=\"true\""), "{row}");
    assert!(
        row.contains("<span class=\"tag\">suppressed</span>"),
        "{row}"
    );
    let detail = between(
        &html[html.find(&format!("id=\"{id}\"")).expect("row")..],
        "<tr class=\"detail\"",
        "</tr>",
    );
    assert!(
        detail.contains("retired in Q1")
            && detail.contains("platform-team")
            && detail.contains("2099-01-01"),
        "{detail}"
    );
    assert_eq!(
        html.matches("data-suppressed=\"true\"").count(),
        1,
        "only that one"
    );
    let entries = between(&html, "<table class=\"suppressions\">", "</table>");
    assert!(
        entries.contains("retired in Q1") && entries.contains("active"),
        "{entries}"
    );
    let count = between(&html, "data-count=\"suppressed\">", "<");
    assert_eq!(count.trim(), "1");
}

/// Published versions not listed: a version may still use a pair no function uses, so its ENI is
/// of unknown use, not orphaned (as EC2101 says `not_evaluated`).
#[test]
fn without_the_versions_no_in_use_eni_is_called_orphaned() {
    let extra = || lambda_eni("eni-version-pair", PRIVATE_A, &["sg-version"], "orders");
    let listed = picture(healthy().ec2(REGION, |ec2| ec2.network_interfaces.push(extra())));
    let a = |p: &RegionNetwork| {
        p.vpcs[0]
            .subnets
            .iter()
            .find(|s| s.subnet_id == PRIVATE_A)
            .cloned()
            .expect("a")
    };
    assert_eq!(a(&listed).unused_enis, vec!["eni-version-pair".to_string()]);
    let unlisted = picture(
        healthy()
            .ec2(REGION, |ec2| ec2.network_interfaces.push(extra()))
            .lambda(REGION, |l| l.versions_listed = false),
    );
    assert!(a(&unlisted).unused_enis.is_empty());
    assert_eq!(
        a(&unlisted).enis_of_unknown_use,
        vec!["eni-version-pair".to_string()]
    );
}

/// What the scan could not read is drawn as unknown, never as a fact: a region whose function
/// list, ENIs and route tables failed.
#[test]
fn the_page_claims_nothing_a_failed_call_would_have_told() {
    let dir = tempfile::tempdir().expect("tempdir");
    let render = |scenario: crate::support::healthy::Scenario, name: &str| {
        let path = dir.path().join(format!("{name}.json"));
        std::fs::write(&path, scenario.snapshot().to_json()).expect("write");
        let (code, html, err) = outcome(
            vpcwarden()
                .args(["audit", "--format", "html", "--from-snapshot"])
                .arg(&path),
        );
        assert!(matches!(code, 0 | 3 | 4), "{err}");
        html
    };
    let network = |html: &str| between(html, "<section id=\"network\">", "</section>").to_string();
    let whole = network(&render(healthy(), "whole"));
    assert!(
        whole.contains("egress: NAT gateway") && whole.contains("ENI pairs 1 · ENIs 1"),
        "{whole}"
    );
    let broken = network(&render(
        healthy()
            .gap("ec2", "DescribeNetworkInterfaces", REGION)
            .gap("ec2", "DescribeRouteTables", REGION),
        "broken",
    ));
    assert!(broken.contains("route table unknown"), "{broken}");
    assert!(broken.contains("ENIs not read"), "{broken}");
    for claim in [
        "lack an ENI",
        "orphaned ENI",
        "egress: ",
        "private ·",
        "isolated ·",
    ] {
        assert!(!broken.contains(claim), "{claim}: {broken}");
    }
    assert!(broken.contains("Partial picture"), "{broken}");
    let unlisted = network(&render(
        healthy().gap("lambda", "ListFunctions", REGION),
        "unlisted",
    ));
    assert!(unlisted.contains("functions not listed"), "{unlisted}");
    assert!(!unlisted.contains("No Lambda functions here"), "{unlisted}");
    assert!(!unlisted.contains("orphaned ENI"), "{unlisted}");
}

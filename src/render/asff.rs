//! AWS Security Finding Format (ASFF), ready for `securityhub:BatchImportFindings`.
//!
//! One typed model serves the `--format asff` output and the Security Hub export, so what is printed
//! is exactly what would be sent. Everything comes from the report: its findings and the catalog
//! facts it carries for each check.

use crate::finding::{Finding, Severity, Status};
use crate::report::{CheckInfo, Report};
use crate::snapshot::GLOBAL_REGION;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// The ASFF schema version Security Hub accepts.
pub const SCHEMA_VERSION: &str = "2018-10-08";
/// The FSBP standard's name in `Compliance.RelatedRequirements`.
pub const FSBP: &str = "AWS Foundational Security Best Practices v1.0.0";
/// ProductFields key holding the region vpcwarden judged the resource in (`global` for IAM), which
/// decides the archiving scope on later scans.
pub const REGION_FIELD: &str = "vpcwarden/Region";
/// ProductFields key holding the check code.
pub const CODE_FIELD: &str = "vpcwarden/Code";

/// Where ASFF findings go and when they were first seen.
#[derive(Debug, Clone, Default)]
pub struct AsffOptions {
    /// The Security Hub region for account-wide findings (IAM, Organizations); default: the first
    /// scanned region.
    pub home_region: Option<String>,
    /// `CreatedAt` of findings Security Hub already holds, by finding id (kept across scans).
    pub created_at: HashMap<String, String>,
}

/// One ASFF finding (the fields vpcwarden sets).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct AsffFinding {
    pub schema_version: String,
    pub id: String,
    pub product_arn: String,
    pub product_name: String,
    pub company_name: String,
    pub generator_id: String,
    pub aws_account_id: String,
    pub region: String,
    pub types: Vec<String>,
    pub created_at: String,
    pub updated_at: String,
    pub severity: AsffSeverity,
    pub finding_provider_fields: AsffProviderFields,
    pub title: String,
    pub description: String,
    pub remediation: AsffRemediation,
    pub compliance: AsffCompliance,
    pub record_state: String,
    pub product_fields: BTreeMap<String, String>,
    pub resources: Vec<AsffResource>,
    /// `Workflow`: SUPPRESSED for a suppressed finding. Security Hub takes it only when it creates
    /// the finding; after that it is its users' (the export keeps it with BatchUpdateFindings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workflow: Option<AsffWorkflow>,
    /// `Note`: why a suppressed finding is suppressed (same rule as `workflow`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<AsffNote>,
}

/// `Workflow`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct AsffWorkflow {
    pub status: String,
}

/// `Note`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct AsffNote {
    pub text: String,
    pub updated_by: String,
    pub updated_at: String,
}

/// `Note.UpdatedBy` of the notes vpcwarden writes: how the export tells its own workflow changes
/// from those of Security Hub's users.
pub const NOTE_AUTHOR: &str = "vpcwarden";
/// `Note.Text` holds at most this many characters.
pub const MAX_NOTE: usize = 512;

/// The `Note.Text` of a suppressed finding: the `[[suppress]]` entry's record, cut to [`MAX_NOTE`]
/// characters. The export compares it with what Security Hub holds, so it depends on nothing but
/// the record.
pub fn suppression_note(s: &crate::suppress::Suppressed) -> String {
    let mut text = format!("Suppressed in vpcwarden.toml: {}", s.reason.trim());
    for (key, value) in [
        ("owner", &s.owner),
        ("expires", &s.expires),
        ("ticket", &s.ticket),
    ] {
        if let Some(v) = value {
            text.push_str(&format!("; {key}: {v}"));
        }
    }
    text.push('.');
    clip(&text, MAX_NOTE)
}

/// The `Note.Text` vpcwarden writes when a finding it suppressed is suppressed no longer.
pub const UNSUPPRESSED_NOTE: &str = "Suppression ended: the [[suppress]] entry of vpcwarden.toml \
    that covered this finding expired or was removed.";

/// `Severity`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct AsffSeverity {
    pub label: String,
    pub original: String,
}

/// `FindingProviderFields`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct AsffProviderFields {
    pub severity: AsffSeverity,
    pub types: Vec<String>,
}

/// `Remediation`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct AsffRemediation {
    pub recommendation: AsffRecommendation,
}

/// `Remediation.Recommendation`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct AsffRecommendation {
    pub text: String,
    pub url: String,
}

/// `Compliance`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct AsffCompliance {
    pub status: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related_requirements: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_control_id: Option<String>,
}

/// One entry of `Resources`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct AsffResource {
    pub r#type: String,
    pub id: String,
    pub partition: String,
    pub region: String,
}

/// ASFF's severity label.
pub fn label(severity: Severity) -> &'static str {
    match severity {
        Severity::Informational => "INFORMATIONAL",
        Severity::Low => "LOW",
        Severity::Medium => "MEDIUM",
        Severity::High => "HIGH",
        Severity::Critical => "CRITICAL",
    }
}

/// The Security Hub region of a finding: its own, or the home region for account-wide ones.
pub fn hub_region<'a>(finding: &'a Finding, home: &'a str) -> &'a str {
    if &*finding.region == GLOBAL_REGION {
        home
    } else {
        &finding.region
    }
}

/// The partition of an ARN (`aws`, `aws-cn`, `aws-us-gov`), `aws` when it has none.
pub fn partition_of(arn: &str) -> &str {
    arn.split(':')
        .nth(1)
        .filter(|p| !p.is_empty())
        .unwrap_or("aws")
}

/// The default product ARN of an account in a region (findings imported by the account itself).
pub fn product_arn(partition: &str, region: &str, account: &str) -> String {
    format!("arn:{partition}:securityhub:{region}:{account}:product/{account}/default")
}

/// Cuts `text` to at most `max` characters (ASFF's field limits), marking the cut.
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// The home region: the given one, else the first scanned region.
pub fn home_region(report: &Report, options: &AsffOptions) -> String {
    options
        .home_region
        .clone()
        .or_else(|| report.scan.regions.first().cloned())
        .unwrap_or_else(|| "us-east-1".to_string())
}

/// The ASFF types of a finding whose check the report has no catalog facts for.
const FALLBACK_TYPE: &str = "Software and Configuration Checks/AWS Security Best Practices";
/// The remediation URL of a finding whose check the report has no catalog facts for.
const FALLBACK_URL: &str =
    "https://docs.aws.amazon.com/securityhub/latest/userguide/asff-top-level-attributes.html";

/// The ASFF form of one finding; `check` is what the report knows of its check (see
/// [`Report::check`]), `None` to use the finding's own remediation and generic types.
pub fn finding(
    f: &Finding,
    check: Option<&CheckInfo>,
    home: &str,
    created_at: Option<&str>,
    updated_at: &str,
) -> AsffFinding {
    let region = hub_region(f, home).to_string();
    let partition = partition_of(&f.resource_arn).to_string();
    let (types, remediation_text, url) = match check {
        Some(c) => (
            c.asff_types.clone(),
            c.remediation.clone(),
            c.remediation_url.clone(),
        ),
        None => (
            vec![FALLBACK_TYPE.to_string()],
            f.remediation().to_string(),
            FALLBACK_URL.to_string(),
        ),
    };
    let (status, shown) = match f.status {
        Status::Fail => ("FAILED", label(f.severity)),
        // Security Hub shows passed and unavailable control findings as informational.
        Status::Pass => ("PASSED", "INFORMATIONAL"),
        Status::NotEvaluated => ("NOT_AVAILABLE", "INFORMATIONAL"),
    };
    let severity = AsffSeverity {
        label: shown.to_string(),
        original: f.severity.as_str().to_string(),
    };
    let mut product_fields = BTreeMap::new();
    product_fields.insert(CODE_FIELD.to_string(), f.code().to_string());
    product_fields.insert("vpcwarden/Slug".to_string(), f.slug().to_string());
    product_fields.insert(
        "vpcwarden/Status".to_string(),
        f.status.as_str().to_string(),
    );
    product_fields.insert(REGION_FIELD.to_string(), f.region.to_string());
    product_fields.insert(
        "vpcwarden/ToolVersion".to_string(),
        crate::TOOL_VERSION.to_string(),
    );
    AsffFinding {
        schema_version: SCHEMA_VERSION.to_string(),
        id: f.id.to_string(),
        product_arn: product_arn(&partition, &region, &f.account_id),
        product_name: "vpcwarden".to_string(),
        company_name: "vpcwarden".to_string(),
        generator_id: format!("vpcwarden/{}", f.code()),
        aws_account_id: f.account_id.to_string(),
        region: region.clone(),
        types: types.clone(),
        created_at: created_at.unwrap_or(updated_at).to_string(),
        updated_at: updated_at.to_string(),
        severity: severity.clone(),
        finding_provider_fields: AsffProviderFields { severity, types },
        title: clip(&title(f), 256),
        description: clip(&description(f), 1024),
        remediation: AsffRemediation {
            recommendation: AsffRecommendation {
                text: clip(&remediation_text, 512),
                url,
            },
        },
        compliance: AsffCompliance {
            status: status.to_string(),
            related_requirements: f
                .compliance()
                .iter()
                .map(|c| format!("{FSBP}/{c}"))
                .collect(),
            security_control_id: f.compliance().first().cloned(),
        },
        record_state: "ACTIVE".to_string(),
        product_fields,
        resources: vec![AsffResource {
            r#type: f.resource_type.to_string(),
            id: f.resource_arn.to_string(),
            partition,
            region,
        }],
        workflow: f.suppressed.as_ref().map(|_| AsffWorkflow {
            status: "SUPPRESSED".to_string(),
        }),
        note: f.suppressed.as_ref().map(|s| AsffNote {
            text: suppression_note(s),
            updated_by: NOTE_AUTHOR.to_string(),
            updated_at: updated_at.to_string(),
        }),
    }
}

/// Every finding of the report in ASFF, with `CreatedAt` from `options` where known.
pub fn findings(report: &Report, options: &AsffOptions) -> Vec<AsffFinding> {
    each_finding(report, options).collect()
}

/// [`findings`], one at a time.
fn each_finding<'a>(
    report: &'a Report,
    options: &'a AsffOptions,
) -> impl Iterator<Item = AsffFinding> + 'a {
    let home = home_region(report, options);
    report.findings.iter().map(move |f| {
        finding(
            f,
            report.check(f.code()),
            &home,
            options.created_at.get(f.id.as_str()).map(String::as_str),
            &report.scan.finished_at,
        )
    })
}

/// `--format asff`: a JSON array for BatchImportFindings.
pub fn render(report: &Report) -> String {
    let mut out = Vec::new();
    // Writing to memory cannot fail.
    let _ = write(report, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// [`render`], written to `out` finding by finding: the array is never one string.
pub fn write(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    use serde::Serializer as _;
    let options = AsffOptions::default();
    let mut ser = serde_json::Serializer::pretty(&mut *out);
    ser.collect_seq(each_finding(report, &options))?;
    out.write_all(b"\n")
}

/// `CODE: title`; a passing finding of a compact report of a check this build does not know has
/// no title, and is titled by its code alone.
fn title(f: &Finding) -> String {
    if f.title().is_empty() {
        f.code().to_string()
    } else {
        format!("{}: {}", f.code(), f.title())
    }
}

/// The finding's sentence; Security Hub requires a description, which a compact passing finding
/// of an unknown check (no message, no title) gets from its verdict.
fn description(f: &Finding) -> String {
    match f.sentence() {
        "" => format!("{} passed on {}.", f.code(), f.resource_arn),
        s => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_clipped_to_the_limit() {
        assert_eq!(clip("abc", 3), "abc");
        let c = clip(&"x".repeat(2000), 1024);
        assert_eq!(c.chars().count(), 1024);
        assert!(c.ends_with('…'));
    }

    #[test]
    fn partitions_come_from_the_arn() {
        assert_eq!(
            partition_of("arn:aws-cn:lambda:cn-north-1:1:function:f"),
            "aws-cn"
        );
        assert_eq!(partition_of("not-an-arn"), "aws");
    }
}

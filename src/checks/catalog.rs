//! The check catalog: one Markdown file per check under `checks/`, TOML front matter plus fixed sections.
//!
//! The files are embedded in the binary by the registry (`include_str!`), so `vpcwarden checks`,
//! `vpcwarden explain` and the README table all come from the same text.

use crate::checks::inputs::Input;
use crate::finding::{FindingTemplate, Severity};
use serde::{Deserialize, Serialize};

/// The sections every catalog page has, in this order.
pub const REQUIRED_SECTIONS: &[&str] = &[
    "## What it checks",
    "## Why it matters",
    "## Example",
    "## Remediation",
    "### Console",
    "### AWS CLI",
    "### Terraform",
    "## References",
];

/// The front matter of a catalog page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckMeta {
    /// Permanent code, e.g. `LAMBDA003` (never renumbered).
    pub code: String,
    /// Permanent slug, e.g. `function-not-in-vpc`.
    pub slug: String,
    /// States the problem, e.g. "Lambda function is not attached to a VPC".
    pub title: String,
    /// Default severity of a failing finding.
    pub severity: Severity,
    /// `lambda`, `iam`, `ec2`, `organizations`.
    pub service: String,
    /// ASFF resource type of the resource the check judges.
    pub resource_type: String,
    /// ASFF finding types.
    pub asff_types: Vec<String>,
    /// Compliance control ids (AWS Foundational Security Best Practices), possibly empty.
    #[serde(default)]
    pub compliance: Vec<String>,
    /// The API operations every verdict of the check depends on (`service:Operation`, see
    /// [`inputs`](crate::checks::inputs)): they are collected, and a gap on one makes each resource
    /// it affects `not_evaluated` before the check looks at it (the visitors gate on them).
    pub requires: Vec<String>,
    /// The API operations only some verdicts depend on: collected too, but a gap on one is the
    /// check's to weigh per resource (a function in a VPC needs no IAM to pass LAMBDA003; an SCP
    /// can only take rights away). It may never turn into a pass or fail the data would not give.
    #[serde(default)]
    pub reads: Vec<String>,
    /// One-paragraph remediation used in findings.
    pub remediation: String,
    /// The AWS documentation page for the fix.
    pub remediation_url: String,
}

/// A parsed catalog page.
#[derive(Debug, Clone)]
pub struct CatalogEntry {
    /// The front matter.
    pub meta: CheckMeta,
    /// The Markdown body after the front matter.
    pub body: String,
}

/// Why a catalog page is not valid.
#[derive(Debug, thiserror::Error)]
#[error("catalog page {page}: {problem}")]
pub struct CatalogError {
    /// The page (its code if known, else its first line).
    pub page: String,
    /// What is wrong.
    pub problem: String,
}

impl CatalogEntry {
    /// Parses a page: `+++` TOML front matter `+++`, then the Markdown body with the required sections.
    pub fn parse(text: &str) -> Result<CatalogEntry, CatalogError> {
        let err = |page: &str, problem: String| CatalogError {
            page: page.to_string(),
            problem,
        };
        let first = text.lines().next().unwrap_or_default();
        let rest = text.strip_prefix("+++\n").ok_or_else(|| {
            err(
                first,
                "does not start with a `+++` front matter line".into(),
            )
        })?;
        let end = rest
            .find("\n+++\n")
            .ok_or_else(|| err(first, "front matter has no closing `+++` line".into()))?;
        let meta: CheckMeta = toml::from_str(&rest[..end + 1])
            .map_err(|e| err(first, format!("front matter: {e}")))?;
        let body = rest[end + 5..].to_string();
        let page = meta.code.clone();
        let mut at = 0;
        for section in REQUIRED_SECTIONS {
            match body[at..].find(&format!("{section}\n")) {
                Some(pos) => at += pos + section.len(),
                None => {
                    return Err(err(
                        &page,
                        format!("section `{section}` is missing or out of order"),
                    ));
                }
            }
        }
        if meta.title.starts_with("Ensure") {
            return Err(err(
                &page,
                "title must state the problem, not an order".into(),
            ));
        }
        Ok(CatalogEntry { meta, body })
    }

    /// The page's `requires` and `reads`, resolved; an operation vpcwarden does not know is an
    /// error naming the page, so a misspelt input cannot leave a gate open.
    pub fn inputs(&self) -> Result<(Vec<Input>, Vec<Input>), CatalogError> {
        let resolve = |names: &[String], key: &str| -> Result<Vec<Input>, CatalogError> {
            names
                .iter()
                .map(|n| {
                    Input::parse(n).ok_or_else(|| CatalogError {
                        page: self.meta.code.clone(),
                        problem: format!(
                            "`{key}` names {n:?}, which is not an input vpcwarden collects (see src/checks/inputs.rs)"
                        ),
                    })
                })
                .collect()
        };
        Ok((
            resolve(&self.meta.requires, "requires")?,
            resolve(&self.meta.reads, "reads")?,
        ))
    }

    /// The finding template for this check.
    pub fn template(&self) -> FindingTemplate {
        let m = &self.meta;
        FindingTemplate {
            facts: std::sync::Arc::new(crate::finding::CheckFacts {
                code: m.code.clone(),
                slug: m.slug.clone(),
                title: m.title.clone(),
                compliance: m.compliance.clone(),
                remediation: format!("{} See {}", m.remediation.trim(), m.remediation_url),
            }),
            severity: m.severity,
            resource_type: m.resource_type.as_str().into(),
        }
    }

    /// The page's `## Remediation` section without its heading: the paragraph, then the
    /// `### Console`, `### AWS CLI` and `### Terraform` steps (Markdown).
    pub fn remediation_guide(&self) -> &str {
        let Some(start) = self.body.find("## Remediation\n") else {
            return "";
        };
        let rest = &self.body[start + "## Remediation\n".len()..];
        let end = rest.find("\n## ").map_or(rest.len(), |e| e + 1);
        rest[..end].trim()
    }

    /// The page as `vpcwarden explain` prints it.
    pub fn explain(&self) -> String {
        let m = &self.meta;
        let compliance = if m.compliance.is_empty() {
            "none".to_string()
        } else {
            m.compliance.join(", ")
        };
        format!(
            "{code} {slug}: {title}\nseverity: {sev}   service: {svc}   resource: {rt}   compliance: {compliance}\nneeds: {req}\n{body}",
            code = m.code,
            slug = m.slug,
            title = m.title,
            sev = m.severity,
            svc = m.service,
            rt = m.resource_type,
            req = if m.reads.is_empty() {
                m.requires.join(", ")
            } else {
                format!(
                    "{}\nreads where a verdict needs it: {}",
                    m.requires.join(", "),
                    m.reads.join(", ")
                )
            },
            body = self.body.trim_end(),
        ) + "\n"
    }
}

//! The container image and the deploy recipes (deploy/): `scripts/validate-deploy` passes (cfn-lint,
//! kubernetes-validate, yamllint and static checks, offline), and the recipes' IAM roles allow what
//! README.md says vpcwarden calls, so the two cannot drift. The validators live in the venv that
//! `scripts/test` sets up; VPCWARDEN_SKIP_MOTO=1 skips these tests (loudly) as it does the
//! emulator's.

use serde_json::Value;
use std::collections::BTreeSet;
use std::process::Command;

use crate::support::{self, emulator::emulator};

/// The venv's python, or `None` when the emulator tests are skipped.
fn python() -> Option<String> {
    emulator("deploy/ validation").map(|e| e.python)
}

/// The actions of the `n`th JSON block between README.md's `<!-- MARKER:start` and
/// `<!-- MARKER:end -->`.
fn readme_actions(marker: &str, n: usize) -> BTreeSet<String> {
    let readme = std::fs::read_to_string(support::root().join("README.md")).expect("README.md");
    let start = readme
        .find(&format!("<!-- {marker}:start"))
        .unwrap_or_else(|| panic!("README.md has no {marker}:start"));
    let end = readme[start..]
        .find(&format!("<!-- {marker}:end -->"))
        .unwrap_or_else(|| panic!("README.md has no {marker}:end"));
    let section = &readme[start..start + end];
    let block = section
        .split("```json")
        .nth(n + 1)
        .and_then(|b| b.split("```").next())
        .unwrap_or_else(|| panic!("README.md's {marker} section has no JSON block {n}"));
    let policy: Value = serde_json::from_str(block).expect("README policy is JSON");
    let mut actions = BTreeSet::new();
    for statement in policy["Statement"].as_array().expect("Statement") {
        match &statement["Action"] {
            Value::String(a) => {
                actions.insert(a.clone());
            }
            Value::Array(list) => {
                actions.extend(list.iter().map(|a| a.as_str().expect("action").to_string()));
            }
            other => panic!("{marker}: Action is {other}"),
        }
    }
    assert!(!actions.is_empty(), "{marker}: no actions");
    actions
}

/// The actions each IAM role of a template allows (both branches of a conditional policy).
fn template_roles(python: &str, template: &str) -> Value {
    let out = Command::new(python)
        .arg(support::root().join("deploy/check_static.py"))
        .arg("--policies")
        .arg(support::root().join(template))
        .output()
        .expect("run deploy/check_static.py");
    assert!(
        out.status.success(),
        "check_static.py --policies {template}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn role_actions(roles: &Value, template: &str, role: &str) -> BTreeSet<String> {
    roles[role]
        .as_array()
        .unwrap_or_else(|| panic!("{template} has no role {role}: {roles}"))
        .iter()
        .map(|a| a.as_str().expect("action").to_string())
        .collect()
}

#[test]
fn validate_deploy_passes() {
    if python().is_none() {
        return;
    }
    let out = Command::new(support::root().join("scripts/validate-deploy"))
        .current_dir(support::root())
        .output()
        .expect("run scripts/validate-deploy");
    assert!(
        out.status.success(),
        "scripts/validate-deploy failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("validate-deploy: ok"));
}

#[test]
fn roles_allow_what_the_readme_lists() {
    let Some(python) = python() else {
        return;
    };
    let read_only = readme_actions("permissions", 0);
    let organization = readme_actions("organization-permissions", 0);
    let export = readme_actions("export-permissions", 0);
    assert!(read_only.contains("lambda:ListFunctions"), "{read_only:?}");
    assert!(organization.contains("sts:AssumeRole"), "{organization:?}");
    assert!(
        export.contains("securityhub:BatchImportFindings"),
        "{export:?}"
    );

    // The member role: exactly the read-only policy, plus the export, which an organization run
    // makes through each account's role.
    let template = "deploy/member-role/template.yaml";
    let member = role_actions(&template_roles(&python, template), template, "AuditRole");
    let want: BTreeSet<String> = read_only.union(&export).cloned().collect();
    assert_eq!(member, want, "{template}: AuditRole");

    // The scanners: the read-only policy (their own account), the organization's, and the export
    // where the recipe runs it.
    for (template, role, with_export) in [
        ("deploy/ecs-scheduled/template.yaml", "TaskRole", true),
        ("deploy/batch-sharded/template.yaml", "JobRole", false),
    ] {
        let have = role_actions(&template_roles(&python, template), template, role);
        let mut want: BTreeSet<String> = read_only.union(&organization).cloned().collect();
        if with_export {
            want.extend(export.iter().cloned());
        }
        let missing: Vec<_> = want.difference(&have).collect();
        assert!(missing.is_empty(), "{template}: {role} lacks {missing:?}");
    }
}

//! The catalog: registry ↔ `checks/` files one to one, codes and slugs unique and well formed,
//! and the README's generated table up to date.

use crate::support::root;
use std::collections::BTreeSet;
use vpcwarden::checks;

const START: &str =
    "<!-- checks:start (generated from checks/ by `VPCWARDEN_BLESS=1 scripts/test catalog`) -->\n";
const END: &str = "<!-- checks:end -->";

fn catalog_files() -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for service in std::fs::read_dir(root().join("checks")).expect("checks/ exists") {
        let service = service.expect("entry").path();
        if !service.is_dir() {
            continue;
        }
        for page in std::fs::read_dir(&service).expect("service dir") {
            let page = page.expect("entry").path();
            if page.extension().is_some_and(|e| e == "md") {
                files.push(page);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn registry_and_catalog_files_match_one_to_one() {
    let all = checks::all().unwrap_or_else(|e| panic!("{e}"));
    let files = catalog_files();
    assert_eq!(
        all.len(),
        files.len(),
        "one catalog page per registered check"
    );
    let mut codes = BTreeSet::new();
    let mut slugs = BTreeSet::new();
    for check in all {
        let m = &check.entry.meta;
        assert!(codes.insert(m.code.clone()), "duplicate code {}", m.code);
        assert!(slugs.insert(m.slug.clone()), "duplicate slug {}", m.slug);
        let expected = root()
            .join("checks")
            .join(&m.service)
            .join(format!("{}-{}.md", m.code, m.slug));
        assert!(
            files.contains(&expected),
            "{} has no page at {}",
            m.code,
            expected.display()
        );
        // The registered text is the file's text (include_str! of the right file).
        assert_eq!(
            std::fs::read_to_string(&expected).expect("read"),
            check_text(m.code.as_str())
        );
        assert!(
            m.code.len() > 3
                && m.code[m.code.len() - 3..]
                    .chars()
                    .all(|c| c.is_ascii_digit()),
            "code {} ends in three digits",
            m.code
        );
        assert!(
            m.slug
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "slug {} is kebab-case",
            m.slug
        );
        assert!(!m.asff_types.is_empty() && !m.requires.is_empty() && !m.remediation.is_empty());
        assert!(
            m.remediation_url
                .starts_with("https://docs.aws.amazon.com/")
        );
        assert!(!m.title.starts_with("Ensure"));
    }
}

fn check_text(code: &str) -> String {
    checks::REGISTRY
        .iter()
        .find(|d| d.catalog.contains(&format!("code = \"{code}\"")))
        .map(|d| d.catalog.to_string())
        .expect("registered")
}

#[test]
fn a_page_missing_a_section_is_refused() {
    let text = check_text("LAMBDA003").replace("### Terraform\n", "### Pulumi\n");
    let err = checks::catalog::CatalogEntry::parse(&text).expect_err("must refuse");
    assert!(err.to_string().contains("### Terraform"), "{err}");
    let err = checks::catalog::CatalogEntry::parse("no front matter").expect_err("must refuse");
    assert!(err.to_string().contains("+++"), "{err}");
}

#[test]
fn readme_checks_table_is_generated_from_the_catalog() {
    let path = root().join("README.md");
    let readme = std::fs::read_to_string(&path).expect("README.md");
    let table = checks::readme_table(checks::all().expect("catalog"));
    let (Some(start), Some(end)) = (readme.find(START), readme.find(END)) else {
        panic!("README.md lacks the generated checks table markers:\n{START}{END}");
    };
    let current = &readme[start + START.len()..end];
    if current != table {
        if std::env::var_os("VPCWARDEN_BLESS").is_some() {
            let updated = format!("{}{START}{table}{}", &readme[..start], &readme[end..]);
            std::fs::write(&path, updated).expect("write README.md");
        } else {
            panic!(
                "README.md checks table is stale; regenerate with `VPCWARDEN_BLESS=1 scripts/test catalog`.\nExpected:\n{table}"
            );
        }
    }
}

//! `vpcwarden merge`: the reports of an organization scan's shards put back together.
//!
//! Pure: shard reports in, one report out. The merged findings are those a single process would
//! have reported for the same accounts: the same ids, in the same order (the audit's own sort),
//! with the same summary; only the scan's timestamps differ. What cannot be merged exactly is
//! refused: reports of different vpcwarden versions, check sets or shard counts, a report that is
//! not a shard's, and one account reported twice with different content. A shard with no report is
//! named, and the merged report carries a gap for it, so it is marked incomplete rather than
//! passing for whole.

use crate::checks::sort_findings;
use crate::finding::FindingList;
use crate::report::network::RegionNetwork;
use crate::report::{Report, Summary};
use crate::snapshot::{GLOBAL_REGION, Gap, Snapshot};
use crate::suppress::{EntryState, Outcome};
use crate::targets::Shard;
use std::collections::{BTreeMap, BTreeSet};

/// One input: a shard's report and the file it came from (for error messages).
pub struct Piece {
    /// The file, as given.
    pub name: String,
    /// Its report.
    pub report: Report,
}

/// Why reports cannot be merged.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MergeError {
    /// Nothing to merge.
    #[error("no report to merge")]
    Empty,
    /// A report of a whole run, not of a shard.
    #[error(
        "{name} is not a shard's report (it has no scan.shard; shards are written by audit --shard or --shard-count)"
    )]
    NotAShard {
        /// The file.
        name: String,
    },
    /// Two reports of different splits.
    #[error(
        "{name} is shard {shard} but {first} is shard {first_shard}: shards of different COUNTs do not merge"
    )]
    Count {
        /// The file.
        name: String,
        /// Its shard.
        shard: Shard,
        /// The first file.
        first: String,
        /// The first file's shard.
        first_shard: Shard,
    },
    /// Two reports that would not compare finding for finding.
    #[error(
        "{name} differs from {first} in {what} ({theirs} vs {ours}): merge the shards of one run only"
    )]
    Mismatch {
        /// The file.
        name: String,
        /// The first file.
        first: String,
        /// What differs.
        what: &'static str,
        /// Its value.
        theirs: String,
        /// The first file's value.
        ours: String,
    },
    /// Snapshots of some shards only: a snapshot has no place to say what is missing.
    #[error(
        "shard(s) {missing} of {count} have no snapshot here: a merged snapshot must hold every shard (merge the shards' reports instead to get one marked incomplete)"
    )]
    MissingSnapshots {
        /// The missing indexes, comma-separated.
        missing: String,
        /// The COUNT.
        count: u32,
    },
    /// Shards that started too far apart to be one run (a report left over from an earlier run).
    #[error(
        "{name} started at {theirs} and {first} at {ours}, more than {hours} h apart: not shards of one run (a report left from an earlier run?); remove it, or give --max-hours-apart"
    )]
    Apart {
        /// The later or earlier file.
        name: String,
        /// Its start.
        theirs: String,
        /// The first file.
        first: String,
        /// The first file's start.
        ours: String,
        /// The limit.
        hours: u32,
    },
    /// One account in two reports, with different findings, gaps or network pictures.
    #[error(
        "account {account} is in both {first} and {name} with different findings, gaps or network picture: they are not shards of one run"
    )]
    Overlap {
        /// The account.
        account: String,
        /// The file that had it first.
        first: String,
        /// The other file.
        name: String,
    },
}

/// The merged report, and what was missing.
pub struct Merged {
    /// One report of every account the shards scanned.
    pub report: Report,
    /// How many shards the run was split into.
    pub count: u32,
    /// The shards no report was given for, by index.
    pub missing: Vec<u32>,
}

/// The gap that marks a missing shard (its accounts are unknown: no report names them).
pub fn missing_shard_gap(shard: Shard) -> Gap {
    Gap {
        account_id: String::new(),
        region: GLOBAL_REGION.to_string(),
        service: "vpcwarden".to_string(),
        operation: "merge".to_string(),
        resource: Some(format!("shard {shard}")),
        error_code: "ShardMissing".to_string(),
        message: format!(
            "no report of shard {shard} was given to vpcwarden merge: the accounts of that shard were not scanned"
        ),
    }
}

/// One account's part of a report: its findings and gaps, and the file it came from.
struct AccountPart {
    file: String,
    findings: FindingList,
    gaps: Vec<Gap>,
    network: Vec<RegionNetwork>,
}

/// Merges shard reports whose scans started at most `max_hours_apart` hours apart.
pub fn reports(pieces: Vec<Piece>, max_hours_apart: u32) -> Result<Merged, MergeError> {
    let first = pieces.first().ok_or(MergeError::Empty)?;
    let first_name = first.name.clone();
    let first_shard = first
        .report
        .scan
        .shard
        .ok_or_else(|| MergeError::NotAShard {
            name: first_name.clone(),
        })?;
    let mut sorted_checks = first.report.scan.checks.clone();
    sorted_checks.sort();
    for p in &pieces {
        let shard = p.report.scan.shard.ok_or_else(|| MergeError::NotAShard {
            name: p.name.clone(),
        })?;
        if shard.count != first_shard.count {
            return Err(MergeError::Count {
                name: p.name.clone(),
                shard,
                first: first_name.clone(),
                first_shard,
            });
        }
        let mismatch = |what, theirs: String, ours: String| MergeError::Mismatch {
            name: p.name.clone(),
            first: first_name.clone(),
            what,
            theirs,
            ours,
        };
        let scan = &p.report.scan;
        if scan.tool_version != first.report.scan.tool_version {
            return Err(mismatch(
                "tool version",
                scan.tool_version.clone(),
                first.report.scan.tool_version.clone(),
            ));
        }
        let mut checks = scan.checks.clone();
        checks.sort();
        if checks != sorted_checks {
            return Err(mismatch(
                "the checks that ran",
                checks.join(","),
                sorted_checks.join(","),
            ));
        }
        let start = |s: &str| {
            time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok()
        };
        if let (Some(a), Some(b)) = (
            start(&scan.started_at),
            start(&first.report.scan.started_at),
        ) && (a - b).abs() > time::Duration::hours(i64::from(max_hours_apart))
        {
            return Err(MergeError::Apart {
                name: p.name.clone(),
                theirs: scan.started_at.clone(),
                first: first_name.clone(),
                ours: first.report.scan.started_at.clone(),
                hours: max_hours_apart,
            });
        }
        if scan.compact_pass != first.report.scan.compact_pass {
            return Err(mismatch(
                "--compact-pass",
                scan.compact_pass.to_string(),
                first.report.scan.compact_pass.to_string(),
            ));
        }
    }

    let count = first_shard.count;
    let seen: BTreeSet<u32> = pieces
        .iter()
        .filter_map(|p| p.report.scan.shard.map(|s| s.index))
        .collect();
    let missing: Vec<u32> = (0..count).filter(|i| !seen.contains(i)).collect();

    // The first piece gives what every shard shares: the checks' facts and the source.
    let mut base = Report {
        scan: first.report.scan.clone(),
        checks: first.report.checks.clone(),
        findings: Vec::new(),
        gaps: Vec::new(),
        suppressions: Vec::new(),
        summary: Summary::default(),
        baseline: None,
        network: None,
    };
    let drawn = first.report.network.is_some();
    let mut accounts: BTreeMap<String, AccountPart> = BTreeMap::new();
    let mut regions: BTreeSet<String> = BTreeSet::new();
    let mut details = BTreeMap::new();
    let mut not_scanned = BTreeMap::new();
    let mut suppressions: Vec<Outcome> = Vec::new();
    let mut complete = missing.is_empty();
    for piece in pieces {
        let Piece { name, report } = piece;
        let scan = report.scan;
        complete &= scan.complete;
        regions.extend(scan.regions);
        if scan.started_at < base.scan.started_at {
            base.scan.started_at = scan.started_at;
        }
        if scan.finished_at > base.scan.finished_at {
            base.scan.finished_at = scan.finished_at;
        }
        for d in scan.account_details {
            details.entry(d.account_id.clone()).or_insert(d);
        }
        for n in scan.not_scanned {
            not_scanned.entry(n.account_id.clone()).or_insert(n);
        }
        combine_suppressions(&mut suppressions, report.suppressions);
        // This piece's accounts: the ones it scanned, and any its findings or gaps name.
        let mut parts: BTreeMap<String, AccountPart> = scan
            .accounts
            .into_iter()
            .map(|a| {
                (
                    a,
                    AccountPart {
                        file: name.clone(),
                        findings: Vec::new(),
                        gaps: Vec::new(),
                        network: Vec::new(),
                    },
                )
            })
            .collect();
        let part = |parts: &mut BTreeMap<String, AccountPart>, account: &str| {
            if !parts.contains_key(account) {
                parts.insert(
                    account.to_string(),
                    AccountPart {
                        file: name.clone(),
                        findings: Vec::new(),
                        gaps: Vec::new(),
                        network: Vec::new(),
                    },
                );
            }
        };
        for f in report.findings {
            part(&mut parts, &f.account_id);
            if let Some(p) = parts.get_mut(&*f.account_id) {
                p.findings.push(f);
            }
        }
        for g in report.gaps {
            part(&mut parts, &g.account_id);
            if let Some(p) = parts.get_mut(&g.account_id) {
                p.gaps.push(g);
            }
        }
        for n in report.network.into_iter().flatten() {
            part(&mut parts, &n.account_id);
            if let Some(p) = parts.get_mut(&n.account_id) {
                p.network.push(n);
            }
        }
        for (account, part) in parts {
            match accounts.get(&account) {
                None => {
                    accounts.insert(account, part);
                }
                // The same shard given twice, or a re-run: the same content is the same account.
                Some(held)
                    if held.findings == part.findings
                        && held.gaps == part.gaps
                        && held.network == part.network => {}
                Some(held) => {
                    return Err(MergeError::Overlap {
                        account,
                        first: held.file.clone(),
                        name: part.file,
                    });
                }
            }
        }
    }
    let mut findings: FindingList = Vec::new();
    let mut gaps: Vec<Gap> = Vec::new();
    let mut network: Vec<RegionNetwork> = Vec::new();
    let mut scanned = Vec::new();
    for (account, part) in accounts {
        if !account.is_empty() {
            scanned.push(account);
        }
        findings.extend(part.findings);
        gaps.extend(part.gaps);
        network.extend(part.network);
    }
    for &index in &missing {
        gaps.push(missing_shard_gap(Shard { index, count }));
    }
    sort_findings(&mut findings);
    gaps.sort();
    base.scan.accounts = scanned;
    base.scan.regions = regions.into_iter().collect();
    base.scan.account_details = details.into_values().collect();
    base.scan.not_scanned = not_scanned.into_values().collect();
    base.scan.complete = complete && gaps.is_empty();
    base.scan.shard = None;
    base.summary = Summary::of(&findings, gaps.len());
    base.findings = findings;
    base.gaps = gaps;
    // Accounts come in id order, each with its regions in the order it was scanned.
    base.network = drawn.then_some(network);
    if !missing.is_empty() {
        // An entry that matched nothing may name an account of a missing shard.
        for o in &mut suppressions {
            if o.state == EntryState::Stale {
                o.state = EntryState::Unmatched;
            }
        }
    }
    base.suppressions = suppressions;
    Ok(Merged {
        report: base,
        count,
        missing,
    })
}

/// Adds one shard's suppression outcomes to the merged ones: the same entry (line, check,
/// resource) in every shard, its matches summed. It is active when it suppressed anything in any
/// shard, expired when it expired in any (shards may straddle midnight), stale only when it matched
/// nothing in any shard, each of which scanned whole; otherwise unmatched.
fn combine_suppressions(into: &mut Vec<Outcome>, more: Vec<Outcome>) {
    for o in more {
        match into
            .iter_mut()
            .find(|h| h.line == o.line && h.check == o.check && h.resource == o.resource)
        {
            None => into.push(o),
            Some(h) => {
                h.matched += o.matched;
                h.state = match (h.state, o.state) {
                    (EntryState::Expired, _) | (_, EntryState::Expired) => EntryState::Expired,
                    (EntryState::Active, _) | (_, EntryState::Active) => EntryState::Active,
                    (EntryState::Stale, EntryState::Stale) => EntryState::Stale,
                    _ => EntryState::Unmatched,
                };
            }
        }
    }
    into.sort_by_key(|o| o.line);
}

/// Merges shard snapshots (`collect --shard`) into the snapshot one process would have collected:
/// every shard must be there, and an account in two of them must be the same.
pub fn snapshots(pieces: Vec<(String, Snapshot)>) -> Result<Snapshot, MergeError> {
    let (first_name, first) = pieces.first().ok_or(MergeError::Empty)?;
    let first_name = first_name.clone();
    let first_shard = first.shard.ok_or_else(|| MergeError::NotAShard {
        name: first_name.clone(),
    })?;
    let mut merged = first.clone_without_accounts();
    merged.shard = None;
    let mut seen = BTreeSet::new();
    let mut accounts: BTreeMap<String, (String, crate::snapshot::Account)> = BTreeMap::new();
    let mut not_scanned = BTreeMap::new();
    let mut organization: BTreeSet<String> = BTreeSet::new();
    for (name, snapshot) in pieces {
        let shard = snapshot
            .shard
            .ok_or_else(|| MergeError::NotAShard { name: name.clone() })?;
        if shard.count != first_shard.count {
            return Err(MergeError::Count {
                name,
                shard,
                first: first_name,
                first_shard,
            });
        }
        if snapshot.collected_by.tool != merged.collected_by.tool {
            return Err(MergeError::Mismatch {
                name,
                first: first_name,
                what: "tool version",
                theirs: snapshot.collected_by.tool,
                ours: merged.collected_by.tool,
            });
        }
        seen.insert(shard.index);
        if snapshot.collected_at < merged.collected_at {
            merged.collected_at = snapshot.collected_at.clone();
        }
        organization.extend(snapshot.organization_accounts);
        for n in snapshot.not_scanned {
            not_scanned.entry(n.account_id.clone()).or_insert(n);
        }
        for account in snapshot.accounts {
            match accounts.get(&account.account_id) {
                None => {
                    accounts.insert(account.account_id.clone(), (name.clone(), account));
                }
                Some((_, held)) if *held == account => {}
                Some((file, _)) => {
                    return Err(MergeError::Overlap {
                        account: account.account_id,
                        first: file.clone(),
                        name,
                    });
                }
            }
        }
    }
    let missing: Vec<String> = (0..first_shard.count)
        .filter(|i| !seen.contains(i))
        .map(|i| i.to_string())
        .collect();
    if !missing.is_empty() {
        return Err(MergeError::MissingSnapshots {
            missing: missing.join(", "),
            count: first_shard.count,
        });
    }
    merged.accounts = accounts.into_values().map(|(_, a)| a).collect();
    merged.not_scanned = not_scanned.into_values().collect();
    merged.organization_accounts = organization.into_iter().collect();
    merged.normalize();
    Ok(merged)
}

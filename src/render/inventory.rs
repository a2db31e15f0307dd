//! The ENI inventory as tables or JSON.

use super::table::new_table;
use crate::inventory::{EniInventory, EniRef, ManagedInstanceEni};
use comfy_table::Cell;
use std::fmt::Write;

/// Pretty JSON with a trailing newline.
pub fn json(inventory: &EniInventory) -> String {
    // Plain data with string keys: serialisation cannot fail.
    let mut out = serde_json::to_string_pretty(inventory).unwrap_or_default();
    out.push('\n');
    out
}

/// One section per account and region: the pairs in use, then what needs attention, then the gaps.
pub fn table(inventory: &EniInventory) -> String {
    let mut out = String::new();
    for account in &inventory.accounts {
        if let Some(gap) = &account.not_read {
            let _ = writeln!(
                out,
                "Account {}: NOT READ: {}:{} failed ({}): {}\n",
                account.account_id, gap.service, gap.operation, gap.error_code, gap.message
            );
        }
        for region in &account.regions {
            let _ = writeln!(out, "Account {} / {}", account.account_id, region.region);
            if region.pairs.is_empty() {
                out.push_str("  No VPC functions.\n");
            } else {
                let mut t = new_table();
                t.set_header(vec![
                    "Subnet (AZ)",
                    "Security groups",
                    "Functions",
                    "Lambda ENIs",
                    "Free IPs",
                ]);
                for p in &region.pairs {
                    t.add_row(vec![
                        Cell::new(format!(
                            "{}\n{}",
                            p.subnet_id,
                            p.availability_zone.as_deref().unwrap_or("?")
                        )),
                        Cell::new(p.security_group_ids.join("\n")),
                        Cell::new(p.functions.join("\n")),
                        Cell::new(if !region.enis_collected {
                            "? (not collected)".to_string()
                        } else if p.enis.is_empty() {
                            "none".to_string()
                        } else {
                            p.enis.iter().map(eni_line).collect::<Vec<_>>().join("\n")
                        }),
                        Cell::new(
                            p.subnet_free_ips
                                .map_or_else(|| "?".to_string(), |n| n.to_string()),
                        ),
                    ]);
                }
                let _ = writeln!(out, "{t}");
            }
            for f in &region.functions_without_eni {
                let pairs: Vec<String> = f
                    .pairs_without_eni
                    .iter()
                    .map(|p| format!("{} [{}]", p.subnet_id, p.security_group_ids.join(", ")))
                    .collect();
                let _ = writeln!(
                    out,
                    "  No ENI yet (Pending on next invoke): {} for {}",
                    f.function.name,
                    pairs.join("; ")
                );
            }
            for f in &region.inactive_functions {
                let _ = writeln!(
                    out,
                    "  Inactive (ENIs reclaimed{}): {}",
                    f.state_reason_code
                        .as_deref()
                        .map(|r| format!(", {r}"))
                        .unwrap_or_default(),
                    f.name
                );
            }
            for e in &region.unused_enis {
                let _ = writeln!(
                    out,
                    "  Lambda ENI no function uses: {} in {} [{}]",
                    eni_line(e),
                    e.subnet_id,
                    e.security_group_ids.join(", ")
                );
            }
            for e in &region.managed_instance_enis {
                let _ = writeln!(out, "  {}", managed_line(e));
            }
            for g in &region.gaps {
                let _ = writeln!(
                    out,
                    "  INCOMPLETE: {}:{} failed ({}: {})",
                    g.service, g.operation, g.error_code, g.message
                );
            }
            if !region.versions_listed {
                let _ = writeln!(
                    out,
                    "  Published versions were not listed: an in-use Lambda ENI whose pair no function uses is not called unused (a version may use it)."
                );
            }
            out.push('\n');
        }
    }
    let _ = writeln!(
        out,
        "Inventory {}.",
        if inventory.complete {
            "complete"
        } else {
            "INCOMPLETE (see the gaps above)"
        }
    );
    out
}

fn eni_line(e: &EniRef) -> String {
    format!(
        "{} {} ({} IP{})",
        e.network_interface_id,
        e.status,
        e.private_ip_addresses.len(),
        if e.private_ip_addresses.len() == 1 {
            ""
        } else {
            "s"
        }
    )
}

/// A managed instance's ENI: whose it is first, then the ENI as the other lines show it.
fn managed_line(e: &ManagedInstanceEni) -> String {
    let provider = match (&e.capacity_provider, e.capacity_provider_source) {
        (Some(name), Some(source)) => format!(
            "capacity provider {name} (by {})",
            match source {
                crate::snapshot::ProviderSource::Tag => "tag",
                crate::snapshot::ProviderSource::Network => "network",
            }
        ),
        _ => "capacity provider not told".to_string(),
    };
    let n = e.private_ip_addresses.len();
    format!(
        "Managed instance ENI of {provider}: {} {} ({n} IP{}), {}, in {} [{}]",
        e.network_interface_id,
        e.status,
        if n == 1 { "" } else { "s" },
        e.instance_id
            .as_deref()
            .map_or_else(|| "not attached".to_string(), |i| format!("on {i}")),
        e.subnet_id,
        e.security_group_ids.join(", ")
    )
}

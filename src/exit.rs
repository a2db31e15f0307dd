//! Process exit codes: one enum the report, the inventory and the commands all answer in.

/// Process exit codes (documented in the README). Defined apart from `app` so the report and the
/// inventory can state their own exit rules without depending on the command layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Exit {
    /// Nothing failing at or above `--fail-on`, and the scan was complete.
    Clean = 0,
    /// An internal error (a bug, or an I/O failure writing output).
    Internal = 1,
    /// A usage or input error (bad flag, unreadable snapshot, no credentials or region).
    Usage = 2,
    /// Failing findings at or above `--fail-on`.
    Failing = 3,
    /// No such findings, but the scan was incomplete (collection gaps).
    Incomplete = 4,
    /// The export to Security Hub failed, or Security Hub refused some findings.
    ExportFailed = 5,
}

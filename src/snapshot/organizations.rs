//! Organizations as the snapshot holds it: whether the account is a member, and the SCPs on its path
//! (the answer of `collect::organizations`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What AWS Organizations shows about the account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Organizations {
    /// The account belongs to no organization: no SCP applies to it.
    NotInOrganization,
    /// The account is a member; SCPs on its path are listed from the root down to the account.
    Member(OrgMembership),
}

impl Organizations {
    /// Sorts the SCPs of every level of a member's path; the levels keep their root-to-account order.
    pub(super) fn normalize(&mut self) {
        if let Organizations::Member(m) = self {
            m.normalize();
        }
    }
}

/// The organization and the SCPs that apply to the account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrgMembership {
    /// `o-...`.
    pub organization_id: String,
    /// The management account id.
    pub management_account_id: String,
    /// Whether the SERVICE_CONTROL_POLICY type is enabled on the root.
    pub scps_enabled: bool,
    /// The levels of the account's path, root first, the account last; each must allow an action.
    pub scp_levels: Vec<ScpLevel>,
}

impl OrgMembership {
    /// Sorts each level's SCPs; the levels themselves are a path and keep their order.
    fn normalize(&mut self) {
        for level in &mut self.scp_levels {
            level.normalize();
        }
    }
}

/// One level of the account's path (root, OU, or the account) and the SCPs attached there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScpLevel {
    /// `r-...`, `ou-...`, or the account id.
    pub target_id: String,
    /// `ROOT`, `ORGANIZATIONAL_UNIT`, `ACCOUNT`.
    pub target_type: String,
    /// SCPs attached to this target, sorted by id.
    pub policies: Vec<Scp>,
}

impl ScpLevel {
    /// Sorts the SCPs by id.
    fn normalize(&mut self) {
        self.policies.sort_by(|a, b| a.id.cmp(&b.id));
    }
}

/// A service control policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scp {
    /// `p-...`.
    pub id: String,
    /// Policy ARN.
    pub arn: String,
    /// Policy name.
    pub name: String,
    /// Whether AWS manages it (`FullAWSAccess`).
    #[serde(default)]
    pub aws_managed: bool,
    /// The decoded document.
    pub document: Value,
}

//! IAM as the snapshot holds it: one account's users, groups, roles and the managed policies they use
//! (the answer of `collect::iam`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// IAM of one account (GetAccountAuthorizationDetails), policy documents decoded.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Iam {
    /// Users, sorted by ARN.
    pub users: Vec<User>,
    /// Groups, sorted by ARN.
    pub groups: Vec<Group>,
    /// Roles, sorted by ARN.
    pub roles: Vec<Role>,
    /// Managed policies that an entity uses (attached or as a boundary), with their default version's
    /// document, sorted by ARN.
    pub managed_policies: Vec<ManagedPolicy>,
}

impl Iam {
    /// Sorts users, groups, roles and managed policies by ARN, and each principal's own lists.
    pub(super) fn normalize(&mut self) {
        self.users.sort_by(|a, b| a.arn.cmp(&b.arn));
        self.groups.sort_by(|a, b| a.arn.cmp(&b.arn));
        self.roles.sort_by(|a, b| a.arn.cmp(&b.arn));
        self.managed_policies.sort_by(|a, b| a.arn.cmp(&b.arn));
        for u in &mut self.users {
            u.normalize();
        }
        for g in &mut self.groups {
            g.normalize();
        }
        for r in &mut self.roles {
            r.normalize();
        }
    }
}

/// An inline policy. The document is decoded JSON; text that is not JSON is kept as a JSON string so the
/// policy engine can report it against the policy's name.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct InlinePolicy {
    /// The policy name.
    pub name: String,
    /// The decoded document.
    pub document: Value,
}

/// An IAM role.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Role {
    /// Role ARN.
    pub arn: String,
    /// Role name.
    pub name: String,
    /// Path, e.g. `/service-role/`.
    #[serde(default)]
    pub path: String,
    /// The trust policy (AssumeRolePolicyDocument), decoded.
    pub trust_policy: Value,
    /// Inline policies, sorted by name.
    #[serde(default)]
    pub inline_policies: Vec<InlinePolicy>,
    /// Attached managed policy ARNs, sorted.
    #[serde(default)]
    pub attached_policies: Vec<String>,
    /// The permissions boundary policy ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions_boundary: Option<String>,
}

impl Role {
    /// Sorts the attached policy ARNs, and the inline policies by name.
    fn normalize(&mut self) {
        self.attached_policies.sort();
        self.inline_policies.sort_by(|a, b| a.name.cmp(&b.name));
    }
}

/// An IAM user.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct User {
    /// User ARN.
    pub arn: String,
    /// User name.
    pub name: String,
    /// Path.
    #[serde(default)]
    pub path: String,
    /// Group names, sorted.
    #[serde(default)]
    pub groups: Vec<String>,
    /// Inline policies, sorted by name.
    #[serde(default)]
    pub inline_policies: Vec<InlinePolicy>,
    /// Attached managed policy ARNs, sorted.
    #[serde(default)]
    pub attached_policies: Vec<String>,
    /// The permissions boundary policy ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions_boundary: Option<String>,
}

impl User {
    /// Sorts the group names and attached policy ARNs, and the inline policies by name.
    fn normalize(&mut self) {
        self.groups.sort();
        self.attached_policies.sort();
        self.inline_policies.sort_by(|a, b| a.name.cmp(&b.name));
    }
}

/// An IAM group.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Group {
    /// Group ARN.
    pub arn: String,
    /// Group name.
    pub name: String,
    /// Inline policies, sorted by name.
    #[serde(default)]
    pub inline_policies: Vec<InlinePolicy>,
    /// Attached managed policy ARNs, sorted.
    #[serde(default)]
    pub attached_policies: Vec<String>,
}

impl Group {
    /// Sorts the attached policy ARNs, and the inline policies by name.
    fn normalize(&mut self) {
        self.attached_policies.sort();
        self.inline_policies.sort_by(|a, b| a.name.cmp(&b.name));
    }
}

/// A managed policy (AWS or customer) with its default version's document.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ManagedPolicy {
    /// Policy ARN.
    pub arn: String,
    /// Policy name (derived from the ARN when AWS leaves it out).
    pub name: String,
    /// The default version id, e.g. `v3`.
    #[serde(default)]
    pub default_version_id: String,
    /// The default version's decoded document.
    pub document: Value,
}

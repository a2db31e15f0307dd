//! Lambda as the snapshot holds it: functions, their VPC attachment, URLs, layers and event source
//! mappings (the answers of `collect::lambda`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Collected;

/// Lambda data of one region.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Lambda {
    /// Functions ($LATEST configuration), sorted by ARN.
    pub functions: Vec<Function>,
    /// Event source mappings, sorted by UUID.
    pub event_source_mappings: Vec<EventSourceMapping>,
    /// Whether the functions' published versions were listed (`ListFunctions` with
    /// `FunctionVersion=ALL`, complete): only then does `published_versions` say all there is.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub versions_listed: bool,
    /// Capacity providers (Lambda Managed Instances), sorted by ARN. `NotCollected` when the list
    /// failed or the snapshot predates them.
    #[serde(default)]
    pub capacity_providers: Collected<Vec<CapacityProvider>>,
}

/// A capacity provider (Lambda Managed Instances): Lambda runs the functions that name it on EC2
/// instances it manages in these subnets, with these security groups.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CapacityProvider {
    /// `arn:aws:lambda:REGION:ACCOUNT:capacity-provider:NAME`.
    pub arn: String,
    /// `Pending`, `Active`, `Failed`, `Deleting`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Where its instances run (no `vpc_id`: the provider does not report it).
    pub vpc_config: VpcConfig,
    /// The role Lambda uses to manage its instances.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator_role_arn: Option<String>,
    /// The KMS key of its data, when one is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kms_key_arn: Option<String>,
}

impl CapacityProvider {
    /// The provider's name, the last part of its ARN.
    pub fn name(&self) -> &str {
        self.arn.rsplit(':').next().unwrap_or(&self.arn)
    }
}

impl Lambda {
    /// Sorts functions by ARN and mappings by UUID, and each function's own lists.
    pub(super) fn normalize(&mut self) {
        self.functions.sort_by(|a, b| a.arn.cmp(&b.arn));
        for f in &mut self.functions {
            f.normalize();
        }
        self.event_source_mappings
            .sort_by(|a, b| a.uuid.cmp(&b.uuid));
        if let Collected::Present(providers) = &mut self.capacity_providers {
            providers.sort_by(|a, b| a.arn.cmp(&b.arn));
            for p in providers {
                p.vpc_config.normalize();
            }
        }
    }

    /// The capacity provider a function runs on, when it names one: `Ok(Some)` found,
    /// `Ok(None)` a classic function, `Err(arn)` it names a provider that was not collected.
    pub fn provider_of<'a>(
        &'a self,
        function: &'a Function,
    ) -> Result<Option<&'a CapacityProvider>, &'a str> {
        let Some(arn) = function.capacity_provider_arn.as_deref() else {
            return Ok(None);
        };
        match &self.capacity_providers {
            Collected::Present(list) => list.iter().find(|p| p.arn == arn).map(Some).ok_or(arn),
            _ => Err(arn),
        }
    }
}

/// One Lambda function as ListFunctions, GetPolicy and GetFunctionUrlConfig describe it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Function {
    /// The unqualified function ARN; shared with the findings on the function (ten checks make a
    /// finding on each function: one copy of its ARN, not ten).
    pub arn: std::sync::Arc<str>,
    /// The function name.
    pub name: String,
    /// The execution role ARN.
    pub role: String,
    /// `python3.12`, ...; absent for container images.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime: Option<String>,
    /// `Zip` or `Image`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package_type: Option<String>,
    /// `x86_64`, `arm64`.
    #[serde(default)]
    pub architectures: Vec<String>,
    /// The VPC attachment; `None` when the function is not attached to a VPC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_config: Option<VpcConfig>,
    /// Layer version ARNs the function uses.
    #[serde(default)]
    pub layers: Vec<Layer>,
    /// `Pending`, `Active`, `Inactive`, `Failed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Why the function is in its state (e.g. `Idle` for Inactive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_reason_code: Option<String>,
    /// `Successful`, `Failed`, `InProgress`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_update_status: Option<String>,
    /// When the function was last changed, as Lambda reports it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    /// Published versions whose VPC attachment differs from none (each keeps its own ENI pairs in
    /// use), sorted by version number.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub published_versions: Vec<PublishedVersion>,
    /// The CloudWatch Logs group the function writes to, when it is not `/aws/lambda/NAME`
    /// (`LoggingConfig.LogGroup`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_group: Option<String>,
    /// The resource-based policy (GetPolicy). `Absent` is a normal answer; `NotCollected` means there is
    /// a gap for this function.
    #[serde(default)]
    pub resource_policy: Collected<Value>,
    /// The function URL (GetFunctionUrlConfig) of the unqualified function.
    #[serde(default)]
    pub url_config: Collected<FunctionUrl>,
    /// The capacity provider the function runs on (`CapacityProviderConfig`), when it runs on Lambda
    /// Managed Instances: its network is the provider's, not a VPC attachment of its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity_provider_arn: Option<String>,
    /// The function's aliases and published versions, each with its own resource policy and (an
    /// alias) its own URL: `AddPermission` and `CreateFunctionUrlConfig` with a `Qualifier` write
    /// those, not the function's. `NotCollected` when they were not read (older snapshots too).
    #[serde(default)]
    pub qualifiers: Collected<Vec<Qualifier>>,
}

/// An alias or a published version of a function, as an invocation surface of its own.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Qualifier {
    /// The alias name or the version number.
    pub qualifier: String,
    /// `alias` or `version`.
    pub kind: String,
    /// Its resource-based policy (`GetPolicy` with `Qualifier`).
    #[serde(default)]
    pub resource_policy: Collected<Value>,
    /// Its function URL (aliases only; `GetFunctionUrlConfig` with `Qualifier`).
    #[serde(default)]
    pub url_config: Collected<FunctionUrl>,
}

impl Function {
    /// The CloudWatch Logs group the function writes to.
    pub fn log_group_name(&self) -> String {
        self.log_group
            .clone()
            .unwrap_or_else(|| format!("/aws/lambda/{}", self.name))
    }

    /// Sorts the VPC attachment's subnets and groups and the URL's CORS origins, and the
    /// qualifiers (aliases by name, then versions by number). Published versions are left in the
    /// order the collector gave them (it sorts them by version number).
    fn normalize(&mut self) {
        if let Some(v) = &mut self.vpc_config {
            v.normalize();
        }
        if let Collected::Present(u) = &mut self.url_config {
            u.normalize();
        }
        if let Collected::Present(qualifiers) = &mut self.qualifiers {
            qualifiers.sort_by(|a, b| {
                (
                    a.kind.as_str(),
                    a.qualifier.parse::<u64>().ok(),
                    a.qualifier.as_str(),
                )
                    .cmp(&(
                        b.kind.as_str(),
                        b.qualifier.parse::<u64>().ok(),
                        b.qualifier.as_str(),
                    ))
            });
            for q in qualifiers {
                if let Collected::Present(u) = &mut q.url_config {
                    u.normalize();
                }
            }
        }
    }

    /// The function as each of its invocation surfaces: itself (unqualified: the function as it
    /// is, borrowed; a surface's `qualifiers` are not part of it and judges do not read them), then
    /// each alias and published version as a function of its own whose ARN and name carry the
    /// qualifier, with that qualifier's policy and URL and no qualifiers.
    pub fn surfaces(&self) -> Vec<std::borrow::Cow<'_, Function>> {
        let mut out = vec![std::borrow::Cow::Borrowed(self)];
        if let Collected::Present(qualifiers) = &self.qualifiers
            && !qualifiers.is_empty()
        {
            let mut base = self.clone();
            base.qualifiers = Collected::Absent;
            for q in qualifiers {
                let mut view = base.clone();
                view.arn = format!("{}:{}", self.arn, q.qualifier).into();
                view.name = format!("{}:{}", self.name, q.qualifier);
                view.resource_policy = q.resource_policy.clone();
                view.url_config = q.url_config.clone();
                out.push(std::borrow::Cow::Owned(view));
            }
        }
        out
    }

    /// The VPC attachment, when the function has one with at least one subnet.
    pub fn vpc(&self) -> Option<&VpcConfig> {
        self.vpc_config
            .as_ref()
            .filter(|v| !v.subnet_ids.is_empty())
    }

    /// The (subnet, security-group set) pairs this function needs a Lambda ENI for: one per subnet.
    pub fn eni_pairs(&self) -> Vec<EniPair> {
        self.vpc().map(VpcConfig::eni_pairs).unwrap_or_default()
    }
}

/// A published version of a function, as far as its network placement goes.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PublishedVersion {
    /// The version number.
    pub version: String,
    /// Its VPC attachment, fixed when it was published.
    pub vpc_config: VpcConfig,
}

/// A function's VPC attachment.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct VpcConfig {
    /// The VPC as Lambda reports it; may be empty (derive it from the subnets).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    /// Subnets, sorted.
    pub subnet_ids: Vec<String>,
    /// Security groups, sorted.
    pub security_group_ids: Vec<String>,
    /// Whether IPv6 outbound traffic is allowed on dual-stack subnets.
    #[serde(default)]
    pub ipv6_allowed_for_dual_stack: bool,
}

impl VpcConfig {
    /// One pair per subnet.
    pub fn eni_pairs(&self) -> Vec<EniPair> {
        self.subnet_ids
            .iter()
            .map(|s| EniPair::new(s, &self.security_group_ids))
            .collect()
    }

    /// Sorts subnets and security groups.
    fn normalize(&mut self) {
        self.subnet_ids.sort();
        self.security_group_ids.sort();
    }
}

/// A (subnet, security-group set) pair: Lambda creates one Hyperplane ENI per pair in use, shared by
/// every function of the account with that pair.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct EniPair {
    /// The subnet.
    pub subnet_id: String,
    /// The security groups, sorted and without repeats.
    pub security_group_ids: Vec<String>,
}

impl EniPair {
    /// A pair; the security groups are sorted so that the same set always compares equal.
    pub fn new(subnet_id: &str, security_group_ids: &[String]) -> EniPair {
        let mut groups = security_group_ids.to_vec();
        groups.sort();
        groups.dedup();
        EniPair {
            subnet_id: subnet_id.to_string(),
            security_group_ids: groups,
        }
    }
}

/// A layer version a function uses.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Layer {
    /// The layer version ARN.
    pub arn: String,
    /// Its size in bytes.
    #[serde(default)]
    pub code_size: i64,
}

/// A function URL.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct FunctionUrl {
    /// The HTTPS URL.
    pub url: String,
    /// `NONE` or `AWS_IAM`.
    pub auth_type: String,
    /// CORS allowed origins.
    #[serde(default)]
    pub cors_allow_origins: Vec<String>,
}

impl FunctionUrl {
    /// Sorts the CORS allowed origins.
    fn normalize(&mut self) {
        self.cors_allow_origins.sort();
    }
}

/// An event source mapping (SQS, Kinesis, DynamoDB Streams, ...).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EventSourceMapping {
    /// The mapping's id.
    pub uuid: String,
    /// The source ARN (queue, stream); absent for self-managed sources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_source_arn: Option<String>,
    /// The function it invokes.
    pub function_arn: String,
    /// `Enabled`, `Disabled`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_compare_as_sets_of_groups() {
        let a = EniPair::new("subnet-1", &["sg-2".into(), "sg-1".into(), "sg-2".into()]);
        let b = EniPair::new("subnet-1", &["sg-1".into(), "sg-2".into()]);
        assert_eq!(a, b);
        let f = Function {
            vpc_config: Some(VpcConfig {
                subnet_ids: vec!["subnet-1".into(), "subnet-2".into()],
                security_group_ids: vec!["sg-2".into(), "sg-1".into()],
                ..Default::default()
            }),
            ..Default::default()
        };
        assert_eq!(f.eni_pairs().len(), 2);
        assert_eq!(f.eni_pairs()[0], b);
        let none = Function {
            vpc_config: Some(VpcConfig::default()),
            ..Default::default()
        };
        assert!(none.vpc().is_none() && none.eni_pairs().is_empty());
    }
}

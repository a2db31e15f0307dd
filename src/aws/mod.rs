//! The only place that configures AWS SDK clients: one `SdkConfig`, one client factory, error classes.
//!
//! Credentials come from aws-config's standard chain (environment, profiles, SSO, web identity, IMDS).
//! Every client shares one rustls (ring) HTTPS client, adaptive retries and timeouts, and the endpoint
//! override that lets the same binary run against an emulator.

mod errors;
mod stats;

pub use errors::{ApiFailure, ErrorClass};
pub use stats::Stats;

use stats::StatsInterceptor;

use aws_config::{BehaviorVersion, Region, SdkConfig, retry::RetryConfig, timeout::TimeoutConfig};
use aws_smithy_http_client::{Builder as HttpBuilder, tls};
use std::time::Duration;

/// What to connect to and how hard to try: everything the SDK configuration needs, and nothing a
/// collection run decides (regions, concurrency, plan: see `collect::RunOptions`).
#[derive(Debug, Clone, Default)]
pub struct Target {
    /// Profile name; `None` uses the default chain.
    pub profile: Option<String>,
    /// Endpoint override for every service (an emulator).
    pub endpoint_url: Option<String>,
    /// Attempts per call (adaptive retry mode).
    pub max_attempts: u32,
}

/// A role to assume in another account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssumeRole {
    /// `arn:PARTITION:iam::ACCOUNT:role/NAME`.
    pub role_arn: String,
    /// The session name CloudTrail shows.
    pub session_name: String,
    /// `sts:ExternalId`, when the role's trust policy asks for one.
    pub external_id: Option<String>,
}

/// Makes every SDK client vpcwarden uses, from one loaded `SdkConfig`.
#[derive(Debug, Clone)]
pub struct ClientFactory {
    config: SdkConfig,
    stats: Stats,
    /// The account the clients read when the factory was made for one (an assumed role): each
    /// account gets retry partitions (adaptive rate limiters) of its own, because Lambda's quotas
    /// are per account and region.
    account: Option<String>,
}

impl ClientFactory {
    /// Loads the shared configuration (credentials chain, default region, retries, timeouts, endpoint).
    /// It cannot fail: credentials are resolved lazily, so a missing or bad profile shows up at the
    /// first call (STS GetCallerIdentity), where the collector reports it.
    pub async fn new(target: &Target, stats: Stats) -> ClientFactory {
        let http = HttpBuilder::new()
            .tls_provider(tls::Provider::Rustls(
                tls::rustls_provider::CryptoMode::Ring,
            ))
            .build_https();
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .http_client(http)
            .retry_config(
                RetryConfig::adaptive()
                    .with_max_attempts(target.max_attempts.max(1))
                    .with_initial_backoff(Duration::from_millis(200))
                    .with_max_backoff(Duration::from_secs(20)),
            )
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(Duration::from_secs(5))
                    .operation_attempt_timeout(Duration::from_secs(30))
                    .operation_timeout(Duration::from_secs(180))
                    .build(),
            );
        if let Some(profile) = &target.profile {
            loader = loader.profile_name(profile);
        }
        if let Some(endpoint) = &target.endpoint_url {
            loader = loader.endpoint_url(endpoint);
        }
        ClientFactory {
            config: loader.load().await,
            stats,
            account: None,
        }
    }

    /// A factory over an existing configuration (tests).
    pub fn from_config(config: SdkConfig, stats: Stats) -> ClientFactory {
        ClientFactory {
            config,
            stats,
            account: None,
        }
    }

    /// A factory whose clients act as `role_arn` of `account_id`, assumed with this factory's
    /// credentials through the SDK's own assume-role provider: the credentials are cached and
    /// refreshed before they expire, however long the scan runs. STS is called in `region` (the
    /// run's home region). Nothing is called yet; see [`ClientFactory::check_assume_role`].
    pub async fn assuming(
        &self,
        account_id: &str,
        role: &AssumeRole,
        region: &str,
    ) -> ClientFactory {
        let mut builder = aws_config::sts::AssumeRoleProvider::builder(role.role_arn.clone())
            .session_name(role.session_name.clone())
            .region(Region::new(region.to_string()))
            .configure(&self.config);
        if let Some(id) = &role.external_id {
            builder = builder.external_id(id.clone());
        }
        let provider = builder.build().await;
        let config = self
            .config
            .clone()
            .into_builder()
            .credentials_provider(aws_types::sdk_config::SharedCredentialsProvider::new(
                provider,
            ))
            .build();
        ClientFactory {
            config,
            stats: self.stats.clone(),
            account: Some(account_id.to_string()),
        }
    }

    /// Calls `sts:AssumeRole` once with this factory's credentials, so a role that cannot be
    /// assumed is reported with AWS's own answer (code and message) rather than as a credentials
    /// error at the account's first call.
    pub async fn check_assume_role(
        &self,
        role: &AssumeRole,
        region: &str,
    ) -> Result<(), ApiFailure> {
        self.sts(Some(region))
            .assume_role()
            .role_arn(&role.role_arn)
            .role_session_name(&role.session_name)
            .set_external_id(role.external_id.clone())
            .send()
            .await
            .map(|_| ())
            .map_err(|e| ApiFailure::from_sdk(&e))
    }

    /// The retry partition of a per-account, per-region limiter.
    fn partition(&self, name: &str, region: &str) -> String {
        match &self.account {
            Some(account) => format!("{name}-{account}-{region}"),
            None => format!("{name}-{region}"),
        }
    }

    /// The region of the profile or environment, if any.
    pub fn default_region(&self) -> Option<String> {
        self.config.region().map(|r| r.as_ref().to_string())
    }

    /// The region global services (IAM, STS, Organizations) are called in: the default region, else
    /// the first scanned one, else `us-east-1`.
    fn home_region(&self, fallback: Option<&str>) -> Region {
        let name = self
            .default_region()
            .or_else(|| fallback.map(str::to_string))
            .unwrap_or_else(|| "us-east-1".to_string());
        Region::new(name)
    }

    /// The one way a client is made: the shared configuration, a region, the `--stats` counter and,
    /// when given, a retry partition (an adaptive rate limiter) of its own.
    fn client<C: SdkClient>(&self, region: Region, partition: Option<String>) -> C {
        C::build(&self.config, region, self.stats.interceptor(), partition)
    }

    /// STS (caller identity).
    pub fn sts(&self, fallback_region: Option<&str>) -> aws_sdk_sts::Client {
        self.client(self.home_region(fallback_region), None)
    }

    /// IAM (global).
    pub fn iam(&self, fallback_region: Option<&str>) -> aws_sdk_iam::Client {
        self.client(self.home_region(fallback_region), None)
    }

    /// Organizations (global).
    pub fn organizations(&self, fallback_region: Option<&str>) -> aws_sdk_organizations::Client {
        self.client(self.home_region(fallback_region), None)
    }

    /// EC2 in one region.
    pub fn ec2(&self, region: &str) -> aws_sdk_ec2::Client {
        self.client(Region::new(region.to_string()), None)
    }

    /// Lambda in one region, for the list calls and per-function calls other than GetPolicy.
    pub fn lambda(&self, region: &str) -> aws_sdk_lambda::Client {
        self.client(
            Region::new(region.to_string()),
            Some(self.partition("lambda", region)),
        )
    }

    /// Lambda in one region, for GetPolicy only. AWS gives GetPolicy a request quota of its own, so it
    /// gets its own adaptive rate limiter (retry partition): throttling on one does not slow the other.
    pub fn lambda_policy(&self, region: &str) -> aws_sdk_lambda::Client {
        self.client(
            Region::new(region.to_string()),
            Some(self.partition("lambda-getpolicy", region)),
        )
    }

    /// Security Hub in one region (the export only: the one write vpcwarden makes).
    pub fn securityhub(&self, region: &str) -> aws_sdk_securityhub::Client {
        self.client(Region::new(region.to_string()), None)
    }
}

/// An SDK client the factory can build. Every `aws_sdk_*` crate has the same config builder, but
/// no trait says so; `sdk_client!` states it once per crate, so a new service is one word.
trait SdkClient {
    /// The client over `config` in `region`, counted by `stats`, in its own retry `partition` if given.
    fn build(
        config: &SdkConfig,
        region: Region,
        stats: StatsInterceptor,
        partition: Option<String>,
    ) -> Self;
}

/// Implements `SdkClient` for the `Client` of each named SDK crate.
macro_rules! sdk_client {
    ($($sdk:ident),+ $(,)?) => {$(
        impl SdkClient for $sdk::Client {
            fn build(
                config: &SdkConfig,
                region: Region,
                stats: StatsInterceptor,
                partition: Option<String>,
            ) -> Self {
                let mut builder = $sdk::config::Builder::from(config).region(region);
                if let Some(partition) = partition {
                    builder = builder
                        .retry_partition($sdk::config::retry::RetryPartition::new(partition));
                }
                $sdk::Client::from_conf(builder.interceptor(stats).build())
            }
        }
    )+};
}

sdk_client!(
    aws_sdk_sts,
    aws_sdk_iam,
    aws_sdk_organizations,
    aws_sdk_ec2,
    aws_sdk_lambda,
    aws_sdk_securityhub,
);

/// Every IAM action vpcwarden calls, sorted: the read-only policy the README gives (a test keeps the
/// two equal, and the end-to-end test checks that every call made is in this list).
pub const REQUIRED_ACTIONS: &[&str] = &[
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeRegions",
    "ec2:DescribeRouteTables",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeSubnets",
    "ec2:DescribeVpcEndpoints",
    "ec2:DescribeVpcs",
    "iam:GetAccountAuthorizationDetails",
    "lambda:GetFunctionUrlConfig",
    "lambda:GetPolicy",
    "lambda:ListAliases",
    "lambda:ListCapacityProviders",
    "lambda:ListEventSourceMappings",
    "lambda:ListFunctions",
    "organizations:DescribeOrganization",
    "organizations:DescribePolicy",
    "organizations:ListParents",
    "organizations:ListPoliciesForTarget",
    "organizations:ListRoots",
];

/// The IAM actions of the Security Hub export (`--export securityhub`), sorted.
pub const EXPORT_ACTIONS: &[&str] = &["securityhub:BatchImportFindings", "securityhub:GetFindings"];

/// The IAM actions of an organization run (`--organization`), besides the read-only ones, for the
/// identity vpcwarden starts with (management account or delegated administrator), sorted.
pub const ORGANIZATION_ACTIONS: &[&str] = &[
    "organizations:ListAccounts",
    "organizations:ListChildren",
    "organizations:ListOrganizationalUnitsForParent",
];

/// The policy of the identity an organization run starts with, besides the read-only one: read
/// the organization, and assume `role_name` in every account.
pub fn organization_policy(role_name: &str) -> String {
    let doc = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "VpcwardenReadOrganization",
                "Effect": "Allow",
                "Action": ORGANIZATION_ACTIONS,
                "Resource": "*"
            },
            {
                "Sid": "VpcwardenEnterAccounts",
                "Effect": "Allow",
                "Action": "sts:AssumeRole",
                "Resource": format!("arn:aws:iam::*:role/{role_name}")
            }
        ]
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// The trust policy of `role_name` in each member account: the management account (or the
/// delegated administrator) `admin_account` may assume it, with `sts:ExternalId` if one is used.
pub fn member_trust_policy(admin_account: &str) -> String {
    let doc = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"AWS": format!("arn:aws:iam::{admin_account}:root")},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"sts:ExternalId": "CHOOSE-AN-EXTERNAL-ID"}}
        }]
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// The read-only IAM policy document vpcwarden needs, as pretty JSON.
pub fn required_policy() -> String {
    policy("VpcwardenReadOnly", REQUIRED_ACTIONS)
}

/// The IAM policy document the Security Hub export needs besides the read-only one.
pub fn export_policy() -> String {
    policy("VpcwardenSecurityHubExport", EXPORT_ACTIONS)
}

fn policy(sid: &str, actions: &[&str]) -> String {
    let doc = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": sid,
            "Effect": "Allow",
            "Action": actions,
            "Resource": "*"
        }]
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

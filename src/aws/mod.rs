//! The only place that configures AWS SDK clients: one `SdkConfig`, one client factory, error classes.
//!
//! Credentials come from aws-config's standard chain (environment, profiles, SSO, web identity, IMDS).
//! Every client shares one rustls (ring) HTTPS client, standard retries and timeouts, and the endpoint
//! override that lets the same binary run against an emulator.

mod errors;
pub mod pace;
mod stats;

pub use errors::{ApiFailure, ErrorClass};
pub use stats::Stats;

use stats::StatsInterceptor;

use aws_config::{BehaviorVersion, Region, SdkConfig, retry::RetryConfig, timeout::TimeoutConfig};
use aws_sdk_sts::config::retry::{RetryPartition, TokenBucket};
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
    /// Attempts per call (standard retry mode: exponential backoff with jitter).
    pub max_attempts: u32,
    /// The request rates to keep to per account and region (`vpcwarden.toml` `[quotas]`).
    pub quotas: crate::config::Quotas,
    /// The regions named on the command line (`--region`). With them, the default region comes
    /// from the environment or the profile, else the first of them: the instance metadata service
    /// is never asked for a region nobody needs.
    pub regions: Vec<String>,
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
    /// account gets retry partitions and pacers of its own, because Lambda's quotas
    /// are per account and region.
    account: Option<String>,
    /// The retry partitions handed out so far, by name, shared by every factory derived from this
    /// one: clients of one name share one rate limiter (see [`ClientFactory::retry_partition`]).
    partitions: Partitions,
    /// The pacers of the quota buckets, by the same names as the partitions.
    pacers: Pacers,
    /// The rates the pacers keep to.
    quotas: crate::config::Quotas,
}

/// Pacers by name.
type Pacers = std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, pace::Pacer>>>;

/// Retry partitions by name.
type Partitions =
    std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, RetryPartition>>>;

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
                // Standard, not adaptive: the pacers keep each quota bucket at its rate up front.
                // The SDK's adaptive limiter (aws-smithy-runtime 1.16) starts every partition at
                // its 0.5 tokens/s floor, so the first throttle of a scan cost a 20 s wait (the
                // fault tests measured 3.5 s clean against 26-50 s with four throttled answers).
                RetryConfig::standard()
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
        if let Some(first) = target.regions.first() {
            use aws_config::meta::region::RegionProviderChain;
            let mut profile = aws_config::profile::ProfileFileRegionProvider::builder();
            if let Some(name) = &target.profile {
                profile = profile.profile_name(name);
            }
            loader = loader.region(
                RegionProviderChain::first_try(
                    aws_config::environment::EnvironmentVariableRegionProvider::new(),
                )
                .or_else(profile.build())
                .or_else(Region::new(first.clone())),
            );
        }
        if let Some(endpoint) = &target.endpoint_url {
            loader = loader.endpoint_url(endpoint);
        }
        ClientFactory {
            config: loader.load().await,
            stats,
            account: None,
            partitions: Partitions::default(),
            pacers: Pacers::default(),
            quotas: target.quotas,
        }
    }

    /// A factory over an existing configuration (tests).
    pub fn from_config(config: SdkConfig, stats: Stats) -> ClientFactory {
        ClientFactory {
            config,
            stats,
            account: None,
            partitions: Partitions::default(),
            pacers: Pacers::default(),
            quotas: crate::config::Quotas::default(),
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
            partitions: self.partitions.clone(),
            pacers: self.pacers.clone(),
            quotas: self.quotas,
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

    /// The retry partition of one quota bucket (`name`) of this factory's account in `region`,
    /// shared by every client of that bucket, account and region.
    ///
    /// Its retry token bucket is unlimited. The SDK's default bucket (500 tokens per partition, 5
    /// to 14 per retry, none back on success) is a client-wide retry quota: under sustained
    /// throttling, a scan that makes thousands of calls through one partition drains it, and from
    /// then on every failed call is returned after a single attempt whatever `--max-attempts`
    /// says. vpcwarden bounds retries per call instead (`--max-attempts`, with backoff), and paces
    /// each account-region quota bucket (see [`pace`]), so a call that is throttled waits and is
    /// retried rather than turned into a gap.
    fn retry_partition(&self, name: &str, region: &str) -> RetryPartition {
        let key = self.bucket_key(name, region);
        let mut partitions = self
            .partitions
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        partitions
            .entry(key.clone())
            .or_insert_with(|| {
                RetryPartition::custom(key)
                    .token_bucket(TokenBucket::unlimited())
                    .build()
            })
            .clone()
    }

    /// The name of a quota bucket of this factory's account in `region`.
    fn bucket_key(&self, name: &str, region: &str) -> String {
        match &self.account {
            Some(account) => format!("{name}-{account}-{region}"),
            None => format!("{name}-{region}"),
        }
    }

    /// The pacer of quota bucket `name` of this factory's account in `region`, at `per_second`.
    fn pacer(&self, name: &str, region: &str, per_second: f64) -> pace::Pacer {
        let key = self.bucket_key(name, region);
        let mut pacers = self
            .pacers
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        pacers
            .entry(key)
            .or_insert_with(|| pace::Pacer::new(per_second))
            .clone()
    }

    /// How much pacing cost so far: `(requests that waited, total wait)` over every bucket.
    pub fn pacing_cost(&self) -> (u64, Duration) {
        let pacers = self
            .pacers
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        pacers.values().fold((0, Duration::ZERO), |(n, t), p| {
            let (pn, pt) = p.cost();
            (n + pn, t + pt)
        })
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

    /// The one way a client is made: the shared configuration, a region, the `--stats` counter and
    /// the retry partition of its quota bucket (`bucket`) in that region.
    fn client<C: SdkClient>(&self, region: Region, bucket: &str) -> C {
        let partition = self.retry_partition(bucket, region.as_ref());
        C::build(
            &self.config,
            region,
            self.stats.interceptor(),
            partition,
            None,
        )
    }

    /// As [`client`](Self::client), with every request paced at `per_second` for the bucket.
    fn paced_client<C: SdkClient>(&self, region: Region, bucket: &str, per_second: f64) -> C {
        let partition = self.retry_partition(bucket, region.as_ref());
        let pacer = self.pacer(bucket, region.as_ref(), per_second);
        C::build(
            &self.config,
            region,
            self.stats.interceptor(),
            partition,
            Some(pacer),
        )
    }

    /// STS (caller identity).
    pub fn sts(&self, fallback_region: Option<&str>) -> aws_sdk_sts::Client {
        self.client(self.home_region(fallback_region), "sts")
    }

    /// IAM (global).
    pub fn iam(&self, fallback_region: Option<&str>) -> aws_sdk_iam::Client {
        self.client(self.home_region(fallback_region), "iam")
    }

    /// Organizations (global).
    pub fn organizations(&self, fallback_region: Option<&str>) -> aws_sdk_organizations::Client {
        self.client(self.home_region(fallback_region), "organizations")
    }

    /// EC2 in one region.
    pub fn ec2(&self, region: &str) -> aws_sdk_ec2::Client {
        self.client(Region::new(region.to_string()), "ec2")
    }

    /// Lambda in one region, for the list calls and per-function calls other than GetPolicy.
    pub fn lambda(&self, region: &str) -> aws_sdk_lambda::Client {
        self.paced_client(
            Region::new(region.to_string()),
            "lambda",
            self.quotas.lambda_control_plane,
        )
    }

    /// Lambda in one region, for GetPolicy only. AWS gives GetPolicy a request quota of its own, so it
    /// gets its own pacer and retry partition: throttling on one does not slow the other.
    pub fn lambda_policy(&self, region: &str) -> aws_sdk_lambda::Client {
        self.paced_client(
            Region::new(region.to_string()),
            "lambda-getpolicy",
            self.quotas.lambda_get_policy,
        )
    }

    /// Security Hub in one region (the export only: the one write vpcwarden makes).
    pub fn securityhub(&self, region: &str) -> aws_sdk_securityhub::Client {
        self.client(Region::new(region.to_string()), "securityhub")
    }
}

/// An SDK client the factory can build. Every `aws_sdk_*` crate has the same config builder, but
/// no trait says so; `sdk_client!` states it once per crate, so a new service is one word.
trait SdkClient {
    /// The client over `config` in `region`, counted by `stats`, in retry `partition`, its
    /// requests paced by `pacer` when given.
    fn build(
        config: &SdkConfig,
        region: Region,
        stats: StatsInterceptor,
        partition: RetryPartition,
        pacer: Option<pace::Pacer>,
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
                partition: RetryPartition,
                pacer: Option<pace::Pacer>,
            ) -> Self {
                let mut builder = $sdk::config::Builder::from(config)
                    .region(region)
                    .retry_partition(partition);
                if let (Some(pacer), Some(http)) = (pacer, config.http_client()) {
                    builder = builder.http_client(pacer.wrap(http));
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
pub const EXPORT_ACTIONS: &[&str] = &[
    "securityhub:BatchImportFindings",
    "securityhub:BatchUpdateFindings",
    "securityhub:GetFindings",
];

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

#[cfg(test)]
mod tests {
    use super::*;
    use aws_smithy_http_client::test_util::infallible_client_fn;
    use aws_smithy_types::body::SdkBody;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Many calls throttled at once, each retried once: every call gets the attempts it was
    /// allowed. With the SDK's default retry quota (500 tokens per partition, 5 per throttled
    /// retry) 150 concurrent retries would leave 50 calls failed after a single attempt.
    #[tokio::test]
    async fn a_throttling_storm_does_not_drain_retries_across_calls() {
        const CALLS: usize = 150;
        let seen = std::sync::Arc::new(AtomicUsize::new(0));
        let counter = seen.clone();
        let http = infallible_client_fn(move |_req| {
            if counter.fetch_add(1, Ordering::SeqCst) < CALLS {
                http::Response::builder()
                    .status(400)
                    .body(SdkBody::from(
                        "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r</RequestId></ErrorResponse>",
                    ))
                    .expect("response")
            } else {
                http::Response::builder()
                    .status(200)
                    .body(SdkBody::from(
                        "<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::111111111111:user/a</Arn><UserId>A</UserId><Account>111111111111</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>",
                    ))
                    .expect("response")
            }
        });
        let config = SdkConfig::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(aws_types::sdk_config::SharedCredentialsProvider::new(
                aws_sdk_sts::config::Credentials::new("AKIDTEST", "secret", None, None, "test"),
            ))
            .http_client(http)
            .retry_config(
                RetryConfig::standard()
                    .with_max_attempts(3)
                    .with_initial_backoff(Duration::from_millis(1))
                    .with_max_backoff(Duration::from_millis(5)),
            )
            .sleep_impl(aws_smithy_async::rt::sleep::default_async_sleep().expect("tokio sleep"))
            .build();
        let factory = ClientFactory::from_config(config, Stats::default());
        let client = factory.sts(None);
        let calls = (0..CALLS).map(|_| {
            let client = client.clone();
            async move { client.get_caller_identity().send().await }
        });
        let results = futures::future::join_all(calls).await;
        let failed = results.iter().filter(|r| r.is_err()).count();
        assert_eq!(failed, 0, "calls given up: {failed} of {CALLS}");
        assert_eq!(seen.load(Ordering::SeqCst), 2 * CALLS, "one retry each");
    }
}

//! Lambda, per region: functions, their resource policies and URLs, and event source mappings.

use super::{drain, gap};
use crate::aws::{ApiFailure, ErrorClass};
use crate::snapshot::{
    CapacityProvider, Collected, EventSourceMapping, Function, FunctionUrl, Gap, Lambda, Layer,
    PublishedVersion, Qualifier, VpcConfig,
};
use aws_sdk_lambda::Client;
use aws_sdk_lambda::types::{
    EventSourceMappingConfiguration, FunctionConfiguration, FunctionVersion,
};
use futures::{StreamExt, stream};
use serde_json::Value;

impl From<&FunctionConfiguration> for Function {
    fn from(f: &FunctionConfiguration) -> Self {
        let vpc_config = f
            .vpc_config()
            .filter(|v| !v.subnet_ids().is_empty())
            .map(|v| VpcConfig {
                vpc_id: v.vpc_id().filter(|id| !id.is_empty()).map(str::to_string),
                subnet_ids: v.subnet_ids().to_vec(),
                security_group_ids: v.security_group_ids().to_vec(),
                ipv6_allowed_for_dual_stack: v.ipv6_allowed_for_dual_stack().unwrap_or(false),
            });
        Function {
            arn: f.function_arn().unwrap_or_default().into(),
            name: f.function_name().unwrap_or_default().to_string(),
            role: f.role().unwrap_or_default().to_string(),
            runtime: f.runtime().map(|r| r.as_str().to_string()),
            package_type: f.package_type().map(|p| p.as_str().to_string()),
            architectures: f
                .architectures()
                .iter()
                .map(|a| a.as_str().to_string())
                .collect(),
            vpc_config,
            layers: f
                .layers()
                .iter()
                .map(|l| Layer {
                    arn: l.arn().unwrap_or_default().to_string(),
                    code_size: l.code_size(),
                })
                .collect(),
            state: f.state().map(|s| s.as_str().to_string()),
            state_reason_code: f.state_reason_code().map(|s| s.as_str().to_string()),
            last_update_status: f.last_update_status().map(|s| s.as_str().to_string()),
            last_modified: f.last_modified().map(str::to_string),
            published_versions: Vec::new(),
            log_group: f
                .logging_config()
                .and_then(|l| l.log_group())
                .filter(|g| !g.is_empty())
                .map(str::to_string),
            resource_policy: Collected::NotCollected,
            url_config: Collected::NotCollected,
            qualifiers: Collected::NotCollected,
            capacity_provider_arn: f
                .capacity_provider_config()
                .and_then(|c| c.lambda_managed_instances_capacity_provider_config())
                .map(|c| c.capacity_provider_arn().to_string())
                .filter(|a| !a.is_empty()),
        }
    }
}

impl From<&aws_sdk_lambda::types::CapacityProvider> for CapacityProvider {
    fn from(p: &aws_sdk_lambda::types::CapacityProvider) -> Self {
        CapacityProvider {
            arn: p.capacity_provider_arn().to_string(),
            state: Some(p.state().as_str().to_string()),
            vpc_config: VpcConfig {
                vpc_id: None,
                subnet_ids: p
                    .vpc_config()
                    .map(|v| v.subnet_ids().to_vec())
                    .unwrap_or_default(),
                security_group_ids: p
                    .vpc_config()
                    .map(|v| v.security_group_ids().to_vec())
                    .unwrap_or_default(),
                ipv6_allowed_for_dual_stack: false,
            },
            operator_role_arn: p
                .permissions_config()
                .map(|c| c.capacity_provider_operator_role_arn().to_string()),
            kms_key_arn: p.kms_key_arn().map(str::to_string),
        }
    }
}

impl From<&EventSourceMappingConfiguration> for EventSourceMapping {
    fn from(m: &EventSourceMappingConfiguration) -> Self {
        EventSourceMapping {
            uuid: m.uuid().unwrap_or_default().to_string(),
            event_source_arn: m.event_source_arn().map(str::to_string),
            function_arn: m.function_arn().unwrap_or_default().to_string(),
            state: m.state().map(str::to_string),
        }
    }
}

/// The functions of a ListFunctions answer: the `$LATEST` entries, each with the published
/// versions (listed with `FunctionVersion=ALL`) whose VPC attachment differs from its own.
fn with_versions(configs: &[FunctionConfiguration]) -> Vec<Function> {
    let mut functions = Vec::new();
    let mut versions: std::collections::HashMap<String, Vec<PublishedVersion>> =
        std::collections::HashMap::new();
    let mut all_versions: std::collections::HashMap<String, Vec<String>> =
        std::collections::HashMap::new();
    for c in configs {
        match c.version() {
            None | Some("$LATEST") => {
                let mut f = Function::from(c);
                // With FunctionVersion=ALL the $LATEST entry's ARN carries the qualifier.
                if let Some(unqualified) = f.arn.strip_suffix(":$LATEST") {
                    f.arn = unqualified.into();
                }
                functions.push(f);
            }
            Some(version) => {
                all_versions
                    .entry(c.function_name().unwrap_or_default().to_string())
                    .or_default()
                    .push(version.to_string());
                if let Some(vpc) = Function::from(c).vpc_config {
                    versions
                        .entry(c.function_name().unwrap_or_default().to_string())
                        .or_default()
                        .push(PublishedVersion {
                            version: version.to_string(),
                            vpc_config: vpc,
                        });
                }
            }
        }
    }
    for f in &mut functions {
        let own = f.vpc_config.as_ref().map(|v| {
            let mut pairs = v.eni_pairs();
            pairs.sort();
            pairs
        });
        let mut list = versions.remove(&f.name).unwrap_or_default();
        list.retain(|v| {
            let mut pairs = v.vpc_config.eni_pairs();
            pairs.sort();
            Some(pairs) != own
        });
        list.sort_by_key(|v| v.version.parse::<u64>().unwrap_or(u64::MAX));
        f.published_versions = list;
        // Every published version is an invocation surface with a policy of its own.
        f.qualifiers = Collected::Present(
            all_versions
                .remove(&f.name)
                .unwrap_or_default()
                .into_iter()
                .map(|v| Qualifier {
                    qualifier: v,
                    kind: "version".into(),
                    resource_policy: Collected::NotCollected,
                    url_config: Collected::Absent,
                })
                .collect(),
        );
    }
    functions
}

/// Parses a JSON policy document; text that is not JSON is kept as a JSON string so the checks can
/// report it against the resource instead of losing it.
pub fn document(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_string()))
}

/// Functions of one region with their policies and URLs, and the region's event source mappings.
///
/// `policy_client` is used for GetPolicy only (it has its own quota, hence its own rate limiter);
/// at most `concurrency` functions are being read at once.
pub async fn functions_in_region(
    client: &Client,
    policy_client: &Client,
    account_id: &str,
    region: &str,
    concurrency: usize,
    plan: super::Plan,
) -> (Lambda, Vec<Gap>) {
    let mut gaps = Vec::new();
    let mut list = client.list_functions();
    if plan.function_versions {
        list = list.function_version(FunctionVersion::All);
    }
    let (configs, failure) = drain(list.into_paginator().items().send()).await;
    let versions_listed = plan.function_versions && failure.is_none();
    if let Some(f) = failure {
        gaps.push(gap(account_id, region, "lambda", "ListFunctions", None, &f));
    }
    let mut functions = with_versions(&configs);
    if !versions_listed {
        // Without every version listed, the qualifiers are not all known.
        for f in &mut functions {
            f.qualifiers = Collected::NotCollected;
        }
    }
    let per_function = stream::iter(functions)
        .map(|function| async move { details(client, policy_client, function, plan).await })
        .buffer_unordered(concurrency.max(1));
    let mapping_fut = drain(
        client
            .list_event_source_mappings()
            .into_paginator()
            .items()
            .send(),
    );
    let providers_fut = drain(
        client
            .list_capacity_providers()
            .into_paginator()
            .items()
            .send(),
    );
    let (details, (mappings, mapping_failure), (providers, provider_failure)) =
        tokio::join!(per_function.collect::<Vec<_>>(), mapping_fut, providers_fut);
    let capacity_providers = match provider_failure {
        None => Collected::Present(providers.iter().map(CapacityProvider::from).collect()),
        Some(f) => {
            gaps.push(gap(
                account_id,
                region,
                "lambda",
                "ListCapacityProviders",
                None,
                &f,
            ));
            Collected::NotCollected
        }
    };
    let mut functions = Vec::with_capacity(details.len());
    for (function, failures) in details {
        for (operation, failure, resource) in failures {
            gaps.push(gap(
                account_id,
                region,
                "lambda",
                operation,
                Some(resource.as_deref().unwrap_or(&function.arn)),
                &failure,
            ));
        }
        functions.push(function);
    }
    if let Some(f) = mapping_failure {
        gaps.push(gap(
            account_id,
            region,
            "lambda",
            "ListEventSourceMappings",
            None,
            &f,
        ));
    }
    (
        Lambda {
            functions,
            versions_listed,
            event_source_mappings: mappings.iter().map(EventSourceMapping::from).collect(),
            capacity_providers,
        },
        gaps,
    )
}

/// GetPolicy and GetFunctionUrlConfig for one function, side by side. "Not found" is a normal answer.
async fn details(
    client: &Client,
    policy_client: &Client,
    mut function: Function,
    plan: super::Plan,
) -> (Function, Vec<(&'static str, ApiFailure, Option<String>)>) {
    let mut failures = Vec::new();
    let arn = function.arn.clone();
    let (policy, url) = tokio::join!(
        async {
            if plan.function_policies {
                Some(policy_client.get_policy().function_name(&*arn).send().await)
            } else {
                None
            }
        },
        async {
            if plan.function_urls {
                Some(
                    client
                        .get_function_url_config()
                        .function_name(&*arn)
                        .send()
                        .await,
                )
            } else {
                None
            }
        },
    );
    function.resource_policy = match policy {
        None => Collected::NotCollected,
        Some(Ok(out)) => match out.policy() {
            Some(text) => Collected::Present(document(text)),
            None => Collected::Absent,
        },
        Some(Err(err)) => {
            let failure = ApiFailure::from_sdk(&err);
            if failure.class == ErrorClass::NotFound {
                Collected::Absent
            } else {
                failures.push(("GetPolicy", failure, None));
                Collected::NotCollected
            }
        }
    };
    function.url_config = match url {
        None => Collected::NotCollected,
        Some(answer) => url_of(answer, &mut |f| {
            failures.push(("GetFunctionUrlConfig", f, None))
        }),
    };
    if (plan.function_policies || plan.function_urls)
        && matches!(function.qualifiers, Collected::Present(_))
    {
        qualified(client, policy_client, &mut function, plan, &mut failures).await;
    } else {
        function.qualifiers = Collected::NotCollected;
    }
    (function, failures)
}

/// The aliases of a function (`ListAliases`) beside its published versions, and the policy (and,
/// for an alias, the URL) of each: `GetPolicy`/`GetFunctionUrlConfig` with `Qualifier`.
/// `ListAliases` is asked of every function, versions or not: an alias may point at `$LATEST`, so
/// a function with no published version can still have an alias with a policy and a URL of its
/// own. The per-qualifier calls are spent only on the aliases and versions found.
async fn qualified(
    client: &Client,
    policy_client: &Client,
    function: &mut Function,
    plan: super::Plan,
    failures: &mut Vec<(&'static str, ApiFailure, Option<String>)>,
) {
    let arn = function.arn.clone();
    // The function's name (AWS takes a name or an ARN here; the name is the form every
    // implementation of the API reads).
    let (aliases, failure) = drain(
        client
            .list_aliases()
            .function_name(&function.name)
            .into_paginator()
            .items()
            .send(),
    )
    .await;
    if let Some(f) = failure {
        failures.push(("ListAliases", f, None));
        function.qualifiers = Collected::NotCollected;
        return;
    }
    let Collected::Present(list) = &mut function.qualifiers else {
        return;
    };
    for alias in &aliases {
        list.push(Qualifier {
            qualifier: alias.name().unwrap_or_default().to_string(),
            kind: "alias".into(),
            resource_policy: Collected::NotCollected,
            url_config: Collected::NotCollected,
        });
    }
    for q in list.iter_mut() {
        let qualified_arn = format!("{arn}:{}", q.qualifier);
        if plan.function_policies {
            let policy = policy_client
                .get_policy()
                .function_name(&*arn)
                .qualifier(&q.qualifier)
                .send()
                .await;
            q.resource_policy = match policy {
                Ok(out) => match out.policy() {
                    Some(text) => Collected::Present(document(text)),
                    None => Collected::Absent,
                },
                Err(err) => {
                    let failure = ApiFailure::from_sdk(&err);
                    if failure.class == ErrorClass::NotFound {
                        Collected::Absent
                    } else {
                        failures.push(("GetPolicy", failure, Some(qualified_arn.clone())));
                        Collected::NotCollected
                    }
                }
            };
        }
        if q.kind == "alias" && plan.function_urls {
            let url = client
                .get_function_url_config()
                .function_name(&*arn)
                .qualifier(&q.qualifier)
                .send()
                .await;
            q.url_config = url_of(url, &mut |f| {
                failures.push(("GetFunctionUrlConfig", f, Some(qualified_arn.clone())))
            });
        }
    }
}

/// A `GetFunctionUrlConfig` answer as the snapshot keeps it: "not found" is a normal answer (no
/// URL), any other failure is reported to `fail` and reads as not collected.
fn url_of<E, R>(
    answer: Result<
        aws_sdk_lambda::operation::get_function_url_config::GetFunctionUrlConfigOutput,
        aws_smithy_runtime_api::client::result::SdkError<E, R>,
    >,
    fail: &mut impl FnMut(ApiFailure),
) -> Collected<FunctionUrl>
where
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    match answer {
        Ok(out) => Collected::Present(FunctionUrl {
            url: out.function_url().to_string(),
            auth_type: out.auth_type().as_str().to_string(),
            cors_allow_origins: out
                .cors()
                .map(|c| c.allow_origins().to_vec())
                .unwrap_or_default(),
        }),
        Err(err) => {
            let failure = ApiFailure::from_sdk(&err);
            if failure.class == ErrorClass::NotFound {
                Collected::Absent
            } else {
                fail(failure);
                Collected::NotCollected
            }
        }
    }
}

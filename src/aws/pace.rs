//! Pacing: client-side rate limits per quota bucket of each account and region, so a scan asks
//! at the pace AWS allows instead of being throttled and retrying.
//!
//! Lambda's control-plane quotas are per account and region: `GetPolicy` has a bucket of its own
//! (15 requests per second by default), and the rest of the control plane (every call vpcwarden
//! makes but `GetPolicy`: `ListFunctions`, `ListAliases`, `GetFunctionUrlConfig`,
//! `ListEventSourceMappings`, `ListCapacityProviders`) shares another (15 per second). Each client
//! of a bucket sends its requests through a GCRA limiter (the `governor` crate) at the transport, so
//! every attempt (pages and retries included) is paced, at the rates of `config::Quotas`. Retries
//! with exponential backoff are the safety net for accounts whose quota is lower than configured,
//! or shared with other callers.

use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// One quota bucket's limiter, with what it cost: how many requests waited, and how long in all.
#[derive(Debug, Clone)]
pub struct Pacer {
    limiter: Arc<DefaultDirectRateLimiter>,
    waits: Arc<AtomicU64>,
    waited_micros: Arc<AtomicU64>,
}

impl Pacer {
    /// A pacer of `per_second` requests, evenly spaced (a burst of one: AWS's buckets are not
    /// documented to allow more).
    pub fn new(per_second: f64) -> Pacer {
        let period = Duration::from_secs_f64(1.0 / per_second.max(1e-3));
        let quota = Quota::with_period(period).unwrap_or_else(|| {
            Quota::with_period(Duration::from_nanos(1)).expect("a positive period")
        });
        Pacer {
            limiter: Arc::new(RateLimiter::direct(quota)),
            waits: Arc::default(),
            waited_micros: Arc::default(),
        }
    }

    /// Waits for this bucket's next slot.
    pub async fn ready(&self) {
        if self.limiter.check().is_ok() {
            return;
        }
        let start = Instant::now();
        self.limiter.until_ready().await;
        self.waits.fetch_add(1, Ordering::Relaxed);
        self.waited_micros
            .fetch_add(start.elapsed().as_micros() as u64, Ordering::Relaxed);
    }

    /// `(requests that waited, total wait)`.
    pub fn cost(&self) -> (u64, Duration) {
        (
            self.waits.load(Ordering::Relaxed),
            Duration::from_micros(self.waited_micros.load(Ordering::Relaxed)),
        )
    }

    /// `inner`, with every request it sends waiting for this pacer first.
    pub fn wrap(&self, inner: SharedHttpClient) -> SharedHttpClient {
        SharedHttpClient::new(PacedClient {
            inner,
            pacer: self.clone(),
        })
    }
}

/// An HTTP client whose connectors wait for a pacer before each request.
#[derive(Debug)]
struct PacedClient {
    inner: SharedHttpClient,
    pacer: Pacer,
}

impl HttpClient for PacedClient {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(PacedConnector {
            inner: self.inner.http_connector(settings, components),
            pacer: self.pacer.clone(),
        })
    }
}

#[derive(Debug)]
struct PacedConnector {
    inner: SharedHttpConnector,
    pacer: Pacer,
}

impl HttpConnector for PacedConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let inner = self.inner.clone();
        let pacer = self.pacer.clone();
        HttpConnectorFuture::new(async move {
            pacer.ready().await;
            inner.call(request).await
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_pacer_spaces_requests_at_its_rate() {
        let pacer = Pacer::new(200.0);
        let start = Instant::now();
        for _ in 0..21 {
            pacer.ready().await;
        }
        // 20 intervals of 5 ms after the first request: at least 100 ms (no upper bound asserted:
        // a loaded machine may be slower, never faster).
        assert!(
            start.elapsed() >= Duration::from_millis(95),
            "{:?}",
            start.elapsed()
        );
        assert!(pacer.cost().0 >= 19, "{:?}", pacer.cost());
    }
}

//! Runtime of the generated `*-client` crates.
//!
//! A generated client holds its credentials in [`Settings`], is built on
//! [`http_client`] (or [`ClientOptions::http_client`]) and sends every
//! request through [`execute`]: credentials stay on the origin they were
//! set for, response bodies are bounded, idempotent requests are retried
//! ([`Retry`]), and each request is a `tracing` span. [`RequestId`] reads
//! the vendor's request id from answers and errors.
//!
//! [`Error`] is the operations' error, whose `Display` says what went
//! wrong in one line ([`Describe`]); [`paginate`] reads every
//! row of an `offset`/`limit` operation. `reqwest` is
//! re-exported, for building a client by hand; `cli` (feature `cli`) is
//! the runtime of the generated command lines.

pub use reqwest;

#[cfg(feature = "cli")]
pub mod cli;
mod cookie;
mod describe;
mod error;
mod pages;
mod query;
mod redact;

pub use cookie::append_cookie;
pub use describe::{Describe, body_summary, cause_chain};
pub use error::Error;
pub use pages::{Page, PageRequest, Rows, paginate};
pub use query::{QueryStyle, StyledQuery};
pub use redact::redact_urls;

use std::time::Duration;

/// The most response body bytes a client reads unless told otherwise.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

/// How long a generated client waits to connect, and for a whole answer.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);

/// Redirects followed before giving up.
const MAX_REDIRECTS: usize = 10;

/// A client's credentials and limits: the `inner` value of a generated
/// client, set once when the client is built.
#[derive(Debug, Clone)]
pub struct Settings<A> {
    /// How the client authenticates.
    pub auth: A,
    /// The largest response body read; a larger one fails to read.
    pub max_response_bytes: usize,
    /// When a failed request is sent again.
    pub retry: Retry,
}

impl<A> From<A> for Settings<A> {
    fn from(auth: A) -> Self {
        Settings {
            auth,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            retry: Retry::default(),
        }
    }
}

/// When a request is sent again: only for idempotent methods (`GET`,
/// `HEAD`, `PUT`, `DELETE`, `OPTIONS`, `TRACE`), after a connection that
/// could not be made or an answer of 429 or 503, waiting an exponentially
/// growing, jittered delay, or the answer's `Retry-After` when it says
/// (up to [`Retry::max_delay`]; longer, and the answer is handed back).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    /// Sends after the first; `0` turns retrying off.
    pub max_retries: u32,
    /// The first delay's upper bound; each retry doubles it.
    pub base_delay: Duration,
    /// The longest wait, for backoff and for `Retry-After` alike.
    pub max_delay: Duration,
}

impl Default for Retry {
    /// Two retries, from up to 200 ms, waiting at most 10 s.
    fn default() -> Self {
        Retry {
            max_retries: 2,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(10),
        }
    }
}

impl Retry {
    /// No retries.
    pub const NONE: Retry = Retry {
        max_retries: 0,
        base_delay: Duration::ZERO,
        max_delay: Duration::ZERO,
    };

    /// The wait before retry number `attempt` (1 for the first), "full
    /// jitter": uniformly random up to `base_delay * 2^(attempt-1)`, capped.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let ceiling = self
            .base_delay
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(16))
            .min(self.max_delay);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(if nanos == 0 {
            0
        } else {
            random() % (nanos + 1)
        })
    }
}

/// A random number from std's randomly keyed hasher (no RNG dependency for
/// jitter that needs no cryptographic quality).
fn random() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.finish()
}

/// How long an answer's `Retry-After` asks to wait: delay-seconds or an
/// HTTP date. `None` when absent or unreadable.
pub fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// An array header parameter's value as OpenAPI's `simple` style sends
/// it: the items joined by commas (`1,2,3`).
pub fn header_list<T: std::fmt::Display>(values: &[T]) -> String {
    values
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// The vendor's request id of an answer (`X-Request-Id`), for support
/// tickets and logs.
pub fn request_id(headers: &reqwest::header::HeaderMap) -> Option<&str> {
    headers.get("x-request-id")?.to_str().ok()
}

/// The request id of a generated client's answer or error, where the
/// server sent one.
pub trait RequestId {
    /// The `X-Request-Id` the server answered with.
    fn request_id(&self) -> Option<&str>;
}

impl<T> RequestId for progenitor_client::ResponseValue<T> {
    fn request_id(&self) -> Option<&str> {
        request_id(self.headers())
    }
}

impl<E> RequestId for Error<E> {
    fn request_id(&self) -> Option<&str> {
        match self {
            Error::ErrorResponse(response) => response.request_id(),
            Error::UnexpectedResponse(response) => request_id(response.headers()),
            Error::InvalidUpgrade(_)
            | Error::InvalidRequest(_)
            | Error::CommunicationError(_)
            | Error::ResponseBodyError(_)
            | Error::InvalidResponsePayload(_, _)
            | Error::Custom(_) => None,
        }
    }
}

/// Timeouts, retries and limits of a client, for the generated crates'
/// `Client::with_options`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientOptions {
    /// How long to wait for a connection.
    pub connect_timeout: Duration,
    /// How long a whole answer may take, body included (per attempt).
    pub timeout: Duration,
    /// When a failed request is sent again.
    pub retry: Retry,
    /// The largest response body read.
    pub max_response_bytes: usize,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            connect_timeout: DEFAULT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            retry: Retry::default(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
        }
    }
}

impl ClientOptions {
    /// Sets the connect timeout.
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets the timeout of a whole answer.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the retry policy ([`Retry::NONE`] turns retries off).
    #[must_use]
    pub fn retry(mut self, retry: Retry) -> Self {
        self.retry = retry;
        self
    }

    /// Sets the largest response body read.
    #[must_use]
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// The HTTP client these options describe, with
    /// [`same_origin_redirects`].
    pub fn http_client(&self) -> reqwest::Result<reqwest::Client> {
        reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .timeout(self.timeout)
            .redirect(same_origin_redirects())
            .build()
    }

    /// The [`Settings`] of a client with credentials `auth` and these options.
    pub fn settings<A>(&self, auth: A) -> Settings<A> {
        Settings {
            auth,
            max_response_bytes: self.max_response_bytes,
            retry: self.retry,
        }
    }
}

/// Follows a redirect only to the origin (scheme, host, port) the request
/// was first sent to. Credentials are set on the request before it is sent,
/// and reqwest strips only standard sensitive headers (`Authorization`,
/// `Cookie`) on a cross-origin redirect: an API key header such as
/// `X-Auth-Token` would follow the redirect to any host. A cross-origin
/// redirect is not followed; the caller gets the 3xx answer instead.
pub fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt
            .previous()
            .first()
            .is_some_and(|first| first.origin() == attempt.url().origin());
        if !same_origin || attempt.previous().len() > MAX_REDIRECTS {
            attempt.stop()
        } else {
            attempt.follow()
        }
    })
}

/// The builder of the HTTP client a generated `Client::new` uses:
/// [`DEFAULT_TIMEOUT`] to connect and for a whole answer, and
/// [`same_origin_redirects`]. Start from it to change a setting without
/// losing the redirect policy.
pub fn http_client_builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .connect_timeout(DEFAULT_TIMEOUT)
        .timeout(DEFAULT_TIMEOUT)
        .redirect(same_origin_redirects())
}

/// [`http_client_builder`], built.
///
/// # Panics
///
/// When the TLS backend cannot be initialised, as `reqwest::Client::new`
/// does: no client of this process could then make a request.
pub fn http_client() -> reqwest::Client {
    match http_client_builder().build() {
        Ok(client) => client,
        Err(error) => panic!("cannot build an HTTP client (TLS backend): {error}"),
    }
}

/// Sends `request` (of the operation `operation`) on `client` under
/// `settings`: retried as [`Retry`] says, the response's body bounded by
/// `max_response_bytes` (failing at once when its `Content-Length` says
/// so), and traced as a `tracing` span `request` with the operation,
/// method, path, attempts, status, duration and request id (never headers,
/// query or body, which may hold credentials).
pub async fn execute<A>(
    client: &reqwest::Client,
    request: reqwest::Request,
    settings: &Settings<A>,
    operation: &str,
) -> reqwest::Result<reqwest::Response> {
    use tracing::Instrument as _;
    let span = tracing::info_span!(
        "request",
        operation,
        method = %request.method(),
        path = request.url().path(),
        attempts = tracing::field::Empty,
        status = tracing::field::Empty,
        duration_ms = tracing::field::Empty,
        request_id = tracing::field::Empty,
    );
    let started = std::time::Instant::now();
    let result = send_with_retries(client, request, settings)
        .instrument(span.clone())
        .await;
    span.record(
        "duration_ms",
        u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
    );
    match &result {
        Ok((response, attempts)) => {
            span.record("attempts", attempts);
            span.record("status", response.status().as_u16());
            if let Some(id) = request_id(response.headers()) {
                span.record("request_id", id);
            }
            tracing::debug!(parent: &span, "answered");
        }
        Err(error) => {
            tracing::debug!(parent: &span, error = %error, "failed");
        }
    }
    let (response, _) = result?;
    Ok(bounded(response, settings.max_response_bytes))
}

async fn send_with_retries<A>(
    client: &reqwest::Client,
    request: reqwest::Request,
    settings: &Settings<A>,
) -> reqwest::Result<(reqwest::Response, u32)> {
    let idempotent = matches!(
        *request.method(),
        reqwest::Method::GET
            | reqwest::Method::HEAD
            | reqwest::Method::PUT
            | reqwest::Method::DELETE
            | reqwest::Method::OPTIONS
            | reqwest::Method::TRACE
    );
    let retry = settings.retry;
    let mut attempt: u32 = 0;
    let mut request = request;
    loop {
        // A body that is a stream cannot be sent twice.
        let spare = (idempotent && attempt < retry.max_retries)
            .then(|| request.try_clone())
            .flatten();
        let outcome = client.execute(request).await;
        attempt += 1;
        let Some(next) = spare else {
            return outcome.map(|response| (response, attempt));
        };
        let wait = match &outcome {
            Err(error) if error.is_connect() => retry.backoff(attempt),
            Ok(response) if matches!(response.status().as_u16(), 429 | 503) => {
                match retry_after(response.headers()) {
                    Some(asked) if asked > retry.max_delay => {
                        return outcome.map(|response| (response, attempt));
                    }
                    Some(asked) => asked,
                    None => retry.backoff(attempt),
                }
            }
            _ => return outcome.map(|response| (response, attempt)),
        };
        tracing::debug!(attempt, wait_ms = wait.as_millis() as u64, "retrying");
        tokio::time::sleep(wait).await;
        request = next;
    }
}

/// `response` whose body fails to read past `max_response_bytes`.
fn bounded(response: reqwest::Response, max_response_bytes: usize) -> reqwest::Response {
    use reqwest::ResponseBuilderExt as _;
    // A declared length within the limit bounds the body already: hyper
    // and h2 refuse a body longer than its `Content-Length`. Only other
    // answers (chunked, or declaring more) pay for the wrapper.
    if response
        .content_length()
        .is_some_and(|length| length <= max_response_bytes as u64)
    {
        return response;
    }
    let url = response.url().clone();
    let (mut parts, body) = http::Response::<reqwest::Body>::from(response).into_parts();
    // The conversion back to a reqwest response reads the URL from here.
    if let Ok(carrier) = http::Response::builder().url(url).body(()) {
        parts.extensions.extend(carrier.into_parts().0.extensions);
    }
    let limited = http_body_util::Limited::new(body, max_response_bytes);
    reqwest::Response::from(http::Response::from_parts(
        parts,
        reqwest::Body::wrap(limited),
    ))
}

/// At most `max` characters of `text`, with `…` when cut: error messages
/// quote response bodies without growing with them.
pub fn excerpt(bytes: &[u8], max: usize) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut cut: String = text.chars().take(max).collect();
    if text.chars().nth(max).is_some() {
        cut.push('…');
    }
    cut
}

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;
    use std::sync::{Arc, Mutex};

    use super::*;

    #[test]
    fn header_lists_are_joined_by_commas() {
        assert_eq!(header_list(&[1, 2, 3]), "1,2,3");
        assert_eq!(header_list::<String>(&[]), "");
        assert_eq!(header_list(&["a b"]), "a b");
    }

    async fn serve(router: axum::Router) -> SocketAddr {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let address = listener.local_addr().expect("address");
        tokio::spawn(async move { axum::serve(listener, router).await });
        address
    }

    /// A server that records the `x-auth-token` of every request it gets.
    async fn recorder() -> (SocketAddr, Arc<Mutex<Vec<Option<String>>>>) {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&seen);
        let router = axum::Router::new().fallback(move |headers: axum::http::HeaderMap| {
            let record = Arc::clone(&record);
            async move {
                let token = headers
                    .get("x-auth-token")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned);
                record.lock().expect("lock").push(token);
                "landed"
            }
        });
        (serve(router).await, seen)
    }

    fn redirecting_to(target: String) -> axum::Router {
        axum::Router::new().route(
            "/start",
            axum::routing::get(move || {
                let target = target.clone();
                async move {
                    (
                        axum::http::StatusCode::TEMPORARY_REDIRECT,
                        [(axum::http::header::LOCATION, target)],
                    )
                }
            }),
        )
    }

    async fn get_with_token(url: String) -> reqwest::Response {
        let client = http_client();
        let request = client
            .get(url)
            .header("x-auth-token", "secret-token")
            .build()
            .expect("request");
        execute(&client, request, &Settings::from(()), "test")
            .await
            .expect("sent")
    }

    #[tokio::test]
    async fn credentials_never_follow_a_redirect_to_another_origin() {
        let (elsewhere, seen) = recorder().await;
        let origin = serve(redirecting_to(format!("http://{elsewhere}/stolen"))).await;
        let response = get_with_token(format!("http://{origin}/start")).await;
        assert_eq!(response.status(), 307, "the redirect is handed back");
        assert!(
            seen.lock().expect("lock").is_empty(),
            "the other origin got a request"
        );
    }

    #[tokio::test]
    async fn a_redirect_within_the_origin_is_followed() {
        let seen = Arc::new(Mutex::new(0usize));
        let count = Arc::clone(&seen);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let address = listener.local_addr().expect("address");
        let router = redirecting_to(format!("http://{address}/landed")).route(
            "/landed",
            axum::routing::get(move || {
                *count.lock().expect("lock") += 1;
                async { "landed" }
            }),
        );
        tokio::spawn(async move { axum::serve(listener, router).await });
        let response = get_with_token(format!("http://{address}/start")).await;
        assert_eq!(response.status(), 200);
        assert_eq!(*seen.lock().expect("lock"), 1);
    }

    #[tokio::test]
    async fn response_bodies_are_bounded() {
        let router = axum::Router::new()
            .route(
                "/sized",
                axum::routing::get(|| async { vec![b'1'; 64 * 1024] }),
            )
            .route(
                "/streamed",
                axum::routing::get(|| async {
                    let chunks = (0..64).map(|_| Ok::<_, std::io::Error>(vec![b'1'; 1024]));
                    axum::body::Body::from_stream(tokio_stream_iter(chunks))
                }),
            );
        let address = serve(router).await;
        let client = http_client();
        for path in ["sized", "streamed"] {
            let request = client
                .get(format!("http://{address}/{path}"))
                .build()
                .expect("request");
            let response = execute(&client, request, &limited(4096), "test")
                .await
                .expect("sent");
            assert!(response.bytes().await.is_err(), "{path}: read past the cap");
            let request = client
                .get(format!("http://{address}/{path}"))
                .build()
                .expect("request");
            let response = execute(&client, request, &limited(1 << 20), "test")
                .await
                .expect("sent");
            assert_eq!(response.bytes().await.expect(path).len(), 64 * 1024);
        }
    }

    /// A stream over an iterator, without a futures dependency.
    fn tokio_stream_iter<I: Iterator + Unpin>(iter: I) -> IterStream<I> {
        IterStream(iter)
    }

    struct IterStream<I>(I);

    impl<I: Iterator + Unpin> futures_core_stream::Stream for IterStream<I> {
        type Item = I::Item;
        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<I::Item>> {
            std::task::Poll::Ready(self.0.next())
        }
    }

    use futures_core as futures_core_stream;

    fn limited(max_response_bytes: usize) -> Settings<()> {
        Settings {
            max_response_bytes,
            ..Settings::from(())
        }
    }

    /// A server answering the `statuses` in turn (then 200), each with its
    /// headers; it counts the requests it got.
    async fn scripted(
        answers: Vec<(u16, Vec<(&'static str, String)>)>,
    ) -> (SocketAddr, Arc<Mutex<usize>>) {
        let count = Arc::new(Mutex::new(0usize));
        let seen = Arc::clone(&count);
        let answers = Arc::new(answers);
        let router = axum::Router::new().fallback(move || {
            let seen = Arc::clone(&seen);
            let answers = Arc::clone(&answers);
            async move {
                let index = {
                    let mut seen = seen.lock().expect("lock");
                    *seen += 1;
                    *seen - 1
                };
                let (status, headers) = answers.get(index).cloned().unwrap_or((200, Vec::new()));
                let mut response = axum::response::Response::new(axum::body::Body::from("answer"));
                *response.status_mut() = axum::http::StatusCode::from_u16(status).expect("status");
                for (name, value) in headers {
                    response
                        .headers_mut()
                        .insert(name, value.parse().expect("header value"));
                }
                response
            }
        });
        (serve(router).await, count)
    }

    fn quick() -> Retry {
        Retry {
            max_retries: 2,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_secs(2),
        }
    }

    async fn send(address: SocketAddr, method: reqwest::Method, retry: Retry) -> reqwest::Response {
        let client = http_client();
        let request = client
            .request(method, format!("http://{address}/x"))
            .build()
            .expect("request");
        let settings = Settings {
            retry,
            ..Settings::from(())
        };
        execute(&client, request, &settings, "test")
            .await
            .expect("sent")
    }

    #[tokio::test]
    async fn a_503_then_a_200_is_retried_for_an_idempotent_request() {
        let (address, count) = scripted(vec![(503, Vec::new())]).await;
        let response = send(address, reqwest::Method::GET, quick()).await;
        assert_eq!(response.status(), 200);
        assert_eq!(*count.lock().expect("lock"), 2);
    }

    #[tokio::test]
    async fn retry_after_is_honoured_and_bounded() {
        let (address, count) = scripted(vec![(429, vec![("retry-after", "1".into())])]).await;
        let started = std::time::Instant::now();
        let response = send(address, reqwest::Method::GET, quick()).await;
        assert_eq!(response.status(), 200);
        assert!(
            started.elapsed() >= Duration::from_millis(950),
            "waited {:?}",
            started.elapsed()
        );
        assert_eq!(*count.lock().expect("lock"), 2);

        // Longer than `max_delay`: the 429 is handed back at once.
        let (address, count) = scripted(vec![(429, vec![("retry-after", "3600".into())])]).await;
        let response = send(address, reqwest::Method::GET, quick()).await;
        assert_eq!(response.status(), 429);
        assert_eq!(*count.lock().expect("lock"), 1);
    }

    #[tokio::test]
    async fn non_idempotent_requests_and_other_statuses_are_not_retried() {
        let (address, count) = scripted(vec![(503, Vec::new())]).await;
        let response = send(address, reqwest::Method::POST, quick()).await;
        assert_eq!(response.status(), 503);
        assert_eq!(*count.lock().expect("lock"), 1);

        let (address, count) = scripted(vec![(500, Vec::new())]).await;
        let response = send(address, reqwest::Method::GET, quick()).await;
        assert_eq!(response.status(), 500);
        assert_eq!(*count.lock().expect("lock"), 1);

        let (address, count) = scripted(vec![(503, Vec::new()); 4]).await;
        let response = send(address, reqwest::Method::GET, Retry::NONE).await;
        assert_eq!(response.status(), 503, "retries off");
        assert_eq!(*count.lock().expect("lock"), 1);

        let response = send(address, reqwest::Method::GET, quick()).await;
        assert_eq!(response.status(), 503, "gives up after max_retries");
        assert_eq!(*count.lock().expect("lock"), 4);
    }

    #[tokio::test]
    async fn a_refused_connection_is_retried_then_reported() {
        // A port nobody listens on: bind, note it, close.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let address = listener.local_addr().expect("address");
        drop(listener);
        let client = http_client();
        let request = client
            .get(format!("http://{address}/x"))
            .build()
            .expect("request");
        let settings = Settings {
            retry: quick(),
            ..Settings::from(())
        };
        let error = execute(&client, request, &settings, "test")
            .await
            .expect_err("nobody listens");
        assert!(error.is_connect(), "{error}");
    }

    #[tokio::test]
    async fn timeouts_bound_a_slow_answer() {
        let router = axum::Router::new().fallback(|| async {
            tokio::time::sleep(Duration::from_secs(5)).await;
            "late"
        });
        let address = serve(router).await;
        let options = ClientOptions::default()
            .timeout(Duration::from_millis(200))
            .retry(Retry::NONE);
        let client = options.http_client().expect("client");
        let request = client
            .get(format!("http://{address}/x"))
            .build()
            .expect("request");
        let started = std::time::Instant::now();
        let error = execute(&client, request, &options.settings(()), "test")
            .await
            .expect_err("too slow");
        assert!(error.is_timeout(), "{error}");
        assert!(started.elapsed() < Duration::from_secs(3));
    }

    #[test]
    fn backoff_grows_and_stays_under_its_cap() {
        let retry = Retry {
            max_retries: 10,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(500),
        };
        for attempt in 1..=10 {
            let ceiling = Duration::from_millis(100 * (1 << (attempt - 1))).min(retry.max_delay);
            assert!(retry.backoff(attempt) <= ceiling, "attempt {attempt}");
        }
        assert_eq!(Retry::NONE.backoff(3), Duration::ZERO);
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("retry-after", "7".parse().expect("value"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        let later = std::time::SystemTime::now() + Duration::from_secs(120);
        headers.insert(
            "retry-after",
            httpdate::fmt_http_date(later).parse().expect("value"),
        );
        let asked = retry_after(&headers).expect("a date");
        assert!(asked > Duration::from_secs(100) && asked <= Duration::from_secs(120));
        headers.insert("retry-after", "soon".parse().expect("value"));
        assert_eq!(retry_after(&headers), None);
    }

    #[test]
    fn excerpts_are_bounded() {
        assert_eq!(excerpt(b"short", 10), "short");
        assert_eq!(excerpt(&[b'1'; 1000], 5), "11111…");
    }
}

//! Runtime of the generated `*-client` crates.
//!
//! A generated client holds its credentials in [`Settings`], is built on
//! [`http_client`] and sends every request through [`execute`]; the two
//! keep credentials on the origin they were set for and bound what a
//! response can make the client read.

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
}

impl<A> From<A> for Settings<A> {
    fn from(auth: A) -> Self {
        Settings {
            auth,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
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

/// Sends `request` on `client`; the response's body fails to read past
/// `max_response_bytes` (at once when its `Content-Length` says so) instead
/// of filling memory.
pub async fn execute(
    client: &reqwest::Client,
    request: reqwest::Request,
    max_response_bytes: usize,
) -> reqwest::Result<reqwest::Response> {
    use reqwest::ResponseBuilderExt as _;
    let response = client.execute(request).await?;
    let url = response.url().clone();
    let (mut parts, body) = http::Response::<reqwest::Body>::from(response).into_parts();
    // The conversion back to a reqwest response reads the URL from here.
    if let Ok(carrier) = http::Response::builder().url(url).body(()) {
        parts.extensions.extend(carrier.into_parts().0.extensions);
    }
    let limited = http_body_util::Limited::new(body, max_response_bytes);
    Ok(reqwest::Response::from(http::Response::from_parts(
        parts,
        reqwest::Body::wrap(limited),
    )))
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
        execute(&client, request, DEFAULT_MAX_RESPONSE_BYTES)
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
            let response = execute(&client, request, 4096).await.expect("sent");
            assert!(response.bytes().await.is_err(), "{path}: read past the cap");
            let request = client
                .get(format!("http://{address}/{path}"))
                .build()
                .expect("request");
            let response = execute(&client, request, 1 << 20).await.expect("sent");
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

    #[test]
    fn excerpts_are_bounded() {
        assert_eq!(excerpt(b"short", 10), "short");
        assert_eq!(excerpt(&[b'1'; 1000], 5), "11111…");
    }
}

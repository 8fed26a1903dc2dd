//! Hostile input against the generated crates (issue 12): each test here
//! failed before its fix.

mod support;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use dbss_client::Error;
use dbss_server::dbss_types::DbssError;
use huawei_signer::Credentials;
use serde_json::Value;

const PROJECT: &str = "b9351f98c724428794ba7d105fa3558d";
const INSTANCE: &str = "e0f8c6d4a2b7495f8a3c1d2e4f6a8b0c";

fn trend_path() -> String {
    format!("/v2/{PROJECT}/audit/{INSTANCE}/statistics/trend/history")
}

/// A raw GET with `headers`, whose values may be any bytes: (status, JSON).
async fn get(address: SocketAddr, path: &str, headers: &[(&str, &[u8])]) -> (u16, Value) {
    support::raw_get(address, path, headers).await
}

fn code(body: &Value) -> &str {
    body["error_code"].as_str().unwrap_or_default()
}

/// Missing credentials get the gateway's 401 (403 where the operation
/// documents no 401), not the 400 of an invalid request.
#[tokio::test]
async fn dbss_without_credentials_gets_401_where_documented() {
    let address = support::serve(dbss_server::mock::router()).await;
    let (status, body) = get(address, &trend_path(), &[]).await;
    assert_eq!((status, code(&body)), (401, "APIGW.0301"), "{body}");
    let summary = format!("/v2/{PROJECT}/audit/summary/info");
    let (status, body) = get(address, &summary, &[]).await;
    assert_eq!(
        (status, code(&body)),
        (403, "APIGW.0301"),
        "page 002 documents no 401: {body}"
    );
}

#[tokio::test]
async fn dbss_unreadable_credentials_are_refused() {
    let address = support::serve(dbss_server::mock::router()).await;
    for name in ["X-Auth-Token", "Authorization"] {
        let (status, body) = get(address, &trend_path(), &[(name, b"a\x80b")]).await;
        assert_eq!(
            (status, code(&body)),
            (401, "DBSS.10020100"),
            "{name}: {body}"
        );
    }
}

#[tokio::test]
async fn the_token_mode_accepts_only_its_token() {
    let router = dbss_server::require_token(dbss_server::mock::router(), "the-token");
    let address = support::serve(router).await;
    let (status, _) = get(address, &trend_path(), &[("X-Auth-Token", b"the-token")]).await;
    assert_eq!(status, 200);
    let (status, body) = get(address, &trend_path(), &[("X-Auth-Token", b"the-tokeN")]).await;
    assert_eq!((status, code(&body)), (401, "DBSS.10020100"), "{body}");
    let (status, body) = get(address, &trend_path(), &[]).await;
    assert_eq!((status, code(&body)), (401, "APIGW.0301"), "{body}");
    let (status, body) = get(
        address,
        &trend_path(),
        &[("Authorization", b"SDK-HMAC-SHA256 Access=AK")],
    )
    .await;
    assert_eq!(
        (status, code(&body)),
        (401, "DBSS.10020100"),
        "a signature where only a token is accepted: {body}"
    );
}

fn error_message<T: std::fmt::Debug>(result: Result<T, Error<DbssError>>) -> String {
    match result {
        Err(Error::ErrorResponse(response)) => response.into_inner().error_msg.unwrap_or_default(),
        other => panic!("expected a documented refusal, got {other:?}"),
    }
}

/// "unknown access key NOPE" told which keys exist.
#[tokio::test]
async fn unknown_access_keys_and_wrong_signatures_read_the_same() {
    let router = dbss_server::require_signatures(
        dbss_server::mock::router(),
        dbss_server::SingleKey::new("AK", "SK"),
    );
    let address = support::serve(router).await;
    let base = format!("http://{address}");
    let mut messages = Vec::new();
    for credentials in [Credentials::new("NOPE", "SK"), Credentials::new("AK", "XX")] {
        let client = dbss_client::Client::with_access_key(&base, credentials, PROJECT);
        messages.push(error_message(
            client
                .list_audit_trend_history()
                .project_id(PROJECT)
                .instance_id(INSTANCE)
                .send()
                .await,
        ));
    }
    assert_eq!(messages[0], messages[1]);
    assert!(!messages[0].contains("NOPE"), "{}", messages[0]);
}

/// `{"time":{}} <html>` once got 200.
#[tokio::test]
async fn json_bodies_with_trailing_garbage_are_refused() {
    let address = support::serve(dbss_server::mock::router()).await;
    let path = format!("/v1/{PROJECT}/audit/{INSTANCE}/statistics/session/db-client");
    for (body, expected) in [(r#"{"time":{}}"#, 200), (r#"{"time":{}} <html>"#, 400)] {
        let response = reqwest::Client::new()
            .post(format!("http://{address}{path}"))
            .header("X-Auth-Token", "token")
            .header("Content-Type", "application/json")
            .body(body)
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status().as_u16(), expected, "{body}");
    }
}

/// `{"time":{},"x":1,"x":2}` once got 200: a member given twice, known
/// or not and at any depth, gets the documented 400 `DBSS.10000001`.
#[tokio::test]
async fn json_bodies_with_a_member_given_twice_are_refused() {
    let address = support::serve(dbss_server::mock::router()).await;
    let path = format!("/v1/{PROJECT}/audit/{INSTANCE}/statistics/session/db-client");
    for (body, expected) in [
        (r#"{"time":{},"x":1}"#, 200),
        (r#"{"time":{},"x":1,"x":2}"#, 400),
        (r#"{"time":{},"time":{}}"#, 400),
        (r#"{"time":{"time_range":"MONTH","time_range":"DAY"}}"#, 400),
        (r#"{"time":{},"x":{"y":[{"z":1,"\u007a":2}]}}"#, 400),
    ] {
        let response = reqwest::Client::new()
            .post(format!("http://{address}{path}"))
            .header("X-Auth-Token", "token")
            .header("Content-Type", "application/json")
            .body(body)
            .send()
            .await
            .expect("sent");
        let status = response.status().as_u16();
        let answer: Value = response.json().await.expect("a JSON answer");
        assert_eq!(status, expected, "{body}: {answer}");
        if expected == 400 {
            assert_eq!(code(&answer), "DBSS.10000001", "{body}: {answer}");
        }
    }
}

/// Raw headers, each value any bytes.
type Headers<'a> = Vec<(&'a str, &'a [u8])>;

/// 404, 405, 414 and 431 had no body; each gets the API's error shape.
#[tokio::test]
async fn routing_and_size_refusals_have_the_documented_body() {
    let dbss = support::serve(dbss_server::mock::router()).await;
    let obshell = support::serve(obshell_server::mock::router()).await;
    // Past the router's 60 KiB, within hyper's 64 KiB.
    let long_path = format!("{}?x={}", trend_path(), "a".repeat(62 * 1024));
    let large_header = "b".repeat(40 * 1024);
    let cases: [(&str, String, Headers<'_>, u16); 4] = [
        ("unknown path", "/v9/nothing".to_owned(), vec![], 404),
        ("long URI", long_path, vec![("X-Auth-Token", b"t")], 414),
        (
            "large headers",
            trend_path(),
            vec![
                ("X-Auth-Token", b"t"),
                ("X-Filler", large_header.as_bytes()),
            ],
            431,
        ),
        (
            "unknown path with credentials",
            "/".to_owned(),
            vec![("X-Auth-Token", b"t")],
            404,
        ),
    ];
    for (what, path, headers, expected) in &cases {
        let (status, body) = get(dbss, path, headers).await;
        assert_eq!(status, *expected, "{what}: {body}");
        assert!(
            body["error_code"].is_string() && body["error_msg"].is_string(),
            "{what}: {body}"
        );
    }
    let response = reqwest::Client::new()
        .delete(format!("http://{dbss}{}", trend_path()))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 405);
    assert!(
        response.headers().contains_key("allow"),
        "405 says what is allowed"
    );
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(code(&body), "APIGW.0101");

    let (status, body) = get(obshell, "/api/v9/nothing", &[]).await;
    assert_eq!(status, 404);
    assert_eq!(body["successful"], false, "obshell's envelope: {body}");
    assert_eq!(body["error"]["errCode"], "Common.NotFound", "{body}");
}

/// A server that records the credential headers of every request it gets.
async fn recorder() -> (SocketAddr, Arc<Mutex<Vec<String>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&seen);
    let router = axum::Router::new().fallback(move |headers: axum::http::HeaderMap| {
        let record = Arc::clone(&record);
        async move {
            for name in ["x-auth-token", "authorization", "x-ocs-header"] {
                if headers.contains_key(name) {
                    record.lock().expect("lock").push(name.to_owned());
                }
            }
            "[]"
        }
    });
    (support::serve(router).await, seen)
}

/// A server that redirects every request to `target` with 307.
async fn redirector(target: SocketAddr) -> SocketAddr {
    let router = axum::Router::new().fallback(move |uri: axum::http::Uri| async move {
        (
            axum::http::StatusCode::TEMPORARY_REDIRECT,
            [(
                axum::http::header::LOCATION,
                format!("http://{target}{uri}"),
            )],
        )
    });
    support::serve(router).await
}

/// The DBSS client sent `X-Auth-Token` to another origin after a 307.
#[tokio::test]
async fn credentials_never_follow_a_redirect_to_another_origin() {
    let (elsewhere, seen) = recorder().await;
    let origin = format!("http://{}", redirector(elsewhere).await);
    let token = dbss_client::Client::with_token(&origin, "secret-token");
    let signed =
        dbss_client::Client::with_access_key(&origin, Credentials::new("AK", "SK"), PROJECT);
    for client in [token, signed] {
        let result = client
            .list_audit_trend_history()
            .project_id(PROJECT)
            .instance_id(INSTANCE)
            .send()
            .await;
        assert!(
            matches!(&result, Err(Error::UnexpectedResponse(r)) if r.status() == 307),
            "{result:?}"
        );
    }
    assert_eq!(*seen.lock().expect("lock"), Vec::<String>::new());
}

/// A 1 GiB answer took 1 GB of memory; bodies are now bounded.
#[tokio::test]
async fn response_bodies_are_bounded() {
    let router =
        axum::Router::new().fallback(|| async { format!("[{}1]", "1,".repeat(512 * 1024)) });
    let address = support::serve(router).await;
    let client = dbss_client::Client::with_token(&format!("http://{address}"), "t")
        .with_max_response_bytes(64 * 1024);
    let result = client
        .list_audit_trend_history()
        .project_id(PROJECT)
        .instance_id(INSTANCE)
        .send()
        .await;
    match result {
        Err(Error::ResponseBodyError(error)) => {
            assert!(error.to_string().len() < 200, "{error}");
        }
        other => panic!("expected a body error, got {:?}", other.map(|_| ())),
    }
}

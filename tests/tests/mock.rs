//! The generated mocks: documented examples by default, `Prefer` to pick
//! another documented answer, the same validation as the real router, and
//! the obshell mock behind a password.

mod support;

use support::serve;

use std::net::SocketAddr;

use dbss_server::dbss_types::{DbssError, ReportClientSessionNew};
use serde_json::Value;

const SESSIONS: &str = "/v1/b9351f98c724428794ba7d105fa3558d/audit/e0f8c6d4a2b7495f8a3c1d2e4f6a8b0c/statistics/session/db-client";

async fn post(address: SocketAddr, prefer: Option<&str>) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .post(format!("http://{address}{SESSIONS}"))
        .header("x-auth-token", "token")
        .header("content-type", "application/json")
        .body(r#"{"time":{"time_range":"MONTH"}}"#);
    if let Some(prefer) = prefer {
        request = request.header("prefer", prefer);
    }
    let response = request.send().await.expect("sent");
    (
        response.status().as_u16(),
        response.json().await.unwrap_or(Value::Null),
    )
}

fn example(pointer: &str) -> Value {
    let root = support::load("dbss.yaml");
    root.pointer(pointer)
        .unwrap_or_else(|| panic!("{pointer} exists"))
        .clone()
}

#[tokio::test]
async fn the_dbss_mock_answers_documented_examples() {
    let address = serve(dbss_server::mock::router()).await;
    let client = dbss_client::Client::with_token(&format!("http://{address}"), "token");
    let sessions: Vec<ReportClientSessionNew> = client
        .count_db_client_session()
        .project_id("b9351f98c724428794ba7d105fa3558d")
        .instance_id("e0f8c6d4a2b7495f8a3c1d2e4f6a8b0c")
        .body(dbss_client::dbss_types::SqlSessionStatisticsRequest::new(
            Default::default(),
        ))
        .send()
        .await
        .expect("the 200 example")
        .into_inner();
    let documented = example(
        "/paths/~1v1~1{project_id}~1audit~1{instance_id}~1statistics~1session~1db-client/post/responses/200/content/application~1json/examples/two_clients/value",
    );
    assert_eq!(
        serde_json::to_value(&sessions).expect("encodes"),
        documented
    );

    let (status, body) = post(address, Some("code=401")).await;
    assert_eq!(
        (status, body.clone()),
        (
            401,
            example("/components/examples/TokenRejectedError/value")
        )
    );
    let (status, body) = post(address, Some("example=gateway")).await;
    assert_eq!(
        (status, body),
        (401, example("/components/examples/GatewayError/value"))
    );

    // A documented status without an example answers the request-error body shape.
    let (status, body) = post(address, Some("code=403")).await;
    assert_eq!(status, 403);
    assert!(
        serde_json::from_value::<DbssError>(body)
            .expect("a DbssError")
            .error_msg
            .is_some_and(|m| m.contains("no example"))
    );

    for undocumented in ["code=418", "example=nonexistent"] {
        let (status, body) = post(address, Some(undocumented)).await;
        let error: DbssError = serde_json::from_value(body).expect("a DbssError");
        assert_eq!(
            (status, error.error_code.as_deref()),
            (400, Some("DBSS.10000001")),
            "{undocumented}"
        );
        assert!(
            error
                .error_msg
                .unwrap_or_default()
                .contains("documents no such answer")
        );
    }
}

#[tokio::test]
async fn the_mock_validates_like_the_router() {
    let address = serve(dbss_server::mock::router()).await;
    let response = reqwest::Client::new()
        .get(format!(
            "http://{address}/v2/b9351f98c724428794ba7d105fa3558d/audit/summary/info?limit=0"
        ))
        .header("x-auth-token", "token")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 400);
    let error: DbssError = response.json().await.expect("a DbssError");
    assert_eq!(error.error_code.as_deref(), Some("DBSS.10000001"));
}

#[test]
fn every_mock_answer_decodes() {
    // The mock panics on an answer that does not decode; prove none does.
    for (operation, status, name, json) in dbss_server::mock::EXAMPLES {
        let body: Value = serde_json::from_str(json).expect("JSON");
        let decoded = match *operation {
            "count_db_client_session" => {
                dbss_server::CountDbClientSessionOutput::from_wire(*status, Some(body)).map(|_| ())
            }
            "count_operation_statistics" => {
                dbss_server::CountOperationStatisticsOutput::from_wire(*status, Some(body))
                    .map(|_| ())
            }
            "list_audit_summary_infos" => {
                dbss_server::ListAuditSummaryInfosOutput::from_wire(*status, Some(body)).map(|_| ())
            }
            "list_audit_trend_history" => {
                dbss_server::ListAuditTrendHistoryOutput::from_wire(*status, Some(body)).map(|_| ())
            }
            other => panic!("unregistered operation {other}"),
        };
        decoded.unwrap_or_else(|error| panic!("{operation} {status} {name}: {error}"));
    }
    for (operation, status, name, json) in obshell_server::mock::EXAMPLES {
        let body: Value = serde_json::from_str(json).expect("JSON");
        let decoded = match *operation {
            "get_secret" => {
                obshell_server::GetSecretOutput::from_wire(*status, Some(body)).map(|_| ())
            }
            "get_tenant_sessions_stats" => {
                obshell_server::GetTenantSessionsStatsOutput::from_wire(*status, Some(body))
                    .map(|_| ())
            }
            other => panic!("unregistered operation {other}"),
        };
        decoded.unwrap_or_else(|error| panic!("{operation} {status} {name}: {error}"));
    }
    assert_eq!(
        dbss_server::mock::EXAMPLES.len(),
        26,
        "7 per operation, 5 for the one without a 401"
    );
    assert_eq!(obshell_server::mock::EXAMPLES.len(), 6);
}

/// The obshell mock as `obshell-mock --password` composes it.
struct WithKey(String);

impl obshell_server::Obshell for WithKey {
    async fn get_secret(
        &self,
        _: obshell_server::GetSecretInput,
    ) -> obshell_server::GetSecretOutput {
        obshell_server::GetSecretOutput::Ok(obshell_server::obshell_types::AgentSecret::new(
            "127.0.0.1".into(),
            2886,
            self.0.clone(),
        ))
    }
    async fn get_tenant_sessions_stats(
        &self,
        input: obshell_server::GetTenantSessionsStatsInput,
    ) -> obshell_server::GetTenantSessionsStatsOutput {
        obshell_server::mock::Mock
            .get_tenant_sessions_stats(input)
            .await
    }
}

#[tokio::test]
async fn the_obshell_mock_with_a_password() {
    use obshell_server::obshell_auth::{AgentKey, Credential};
    let key = AgentKey::generate(1024).expect("key");
    let public_key = key.public_key_base64().expect("public key");
    let router =
        obshell_server::mock::with_preferences(obshell_server::router(WithKey(public_key)));
    let auth = obshell_server::AgentAuth::new(key, Some("root".to_owned().into()), None);
    let address = serve(obshell_server::require_password(router, auth)).await;

    let client = obshell_client::Client::for_agent(
        "127.0.0.1",
        address.port(),
        Credential::RootPassword("root".into()),
    );
    let answer = client
        .get_tenant_sessions_stats()
        .name("t1")
        .send()
        .await
        .expect("the 200 example")
        .into_inner();
    assert_eq!(
        answer.data.flatten().expect("payload").total_count,
        10,
        "page 004's example"
    );

    let wrong = obshell_client::Client::for_agent(
        "127.0.0.1",
        address.port(),
        Credential::RootPassword("guess".into()),
    );
    match wrong.get_tenant_sessions_stats().name("t1").send().await {
        Err(obshell_client::Error::ErrorResponse(response)) => assert_eq!(response.status(), 401),
        other => panic!("expected 401, got {other:?}"),
    }
}

const SUMMARY: &str = "/v2/b9351f98c724428794ba7d105fa3558d/audit/summary/info";

async fn get_summary(address: SocketAddr, query: &str, prefer: Option<&str>) -> reqwest::Response {
    let mut request = reqwest::Client::new()
        .get(format!("http://{address}{SUMMARY}{query}"))
        .header("x-auth-token", "token");
    if let Some(prefer) = prefer {
        request = request.header("prefer", prefer);
    }
    request.send().await.expect("sent")
}

#[tokio::test]
async fn the_dbss_mock_pages_sends_headers_and_says_why_a_prefer_is_unusable() {
    let address = serve(dbss_server::mock::router()).await;
    let documented = example(
        "/paths/~1v2~1{project_id}~1audit~1summary~1info/get/responses/200/content/application~1json/examples/two_instances/value/data_list",
    );
    let page: Value = get_summary(address, "?offset=1&limit=1", None)
        .await
        .json()
        .await
        .expect("JSON");
    assert_eq!(page["data_list"], Value::Array(vec![documented[1].clone()]));

    let ids: Vec<String> = request_ids(address).await;
    assert_eq!(ids.len(), 2, "every documented 403 carries X-Request-Id");
    assert_ne!(ids[0], ids[1], "a new request id per answer");

    let unusable = get_summary(address, "", Some("code=abc")).await;
    assert_eq!(unusable.status().as_u16(), 400);
    let body: Value = unusable.json().await.expect("the documented error body");
    assert!(
        serde_json::from_value::<DbssError>(body.clone()).is_ok(),
        "{body}"
    );
    assert!(body.to_string().contains("code=abc"), "{body}");
}

async fn request_ids(address: SocketAddr) -> Vec<String> {
    let mut ids = Vec::new();
    for _ in 0..2 {
        let answer = get_summary(address, "", Some("code=403")).await;
        assert_eq!(answer.status().as_u16(), 403);
        if let Some(id) = answer.headers().get("x-request-id") {
            ids.push(id.to_str().unwrap_or_default().to_owned());
        }
    }
    ids
}

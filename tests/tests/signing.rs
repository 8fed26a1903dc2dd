//! DBSS access key signing end to end: the generated client signing with
//! `SDK-HMAC-SHA256`, the generated router behind `require_signatures`.

mod support;

use std::net::SocketAddr;

use dbss_client::Error;
use dbss_server::dbss_types::{
    CountOperationStatisticsResponse, DbssError, Duration, GeneralRequest, InstanceId,
    ListAuditSummaryInfosResponse, Regenerate, SqlSessionStatisticsRequest,
};
use dbss_server::*;
use huawei_signer::Credentials;
use zeroize::Zeroizing;

const PROJECT: &str = "b9351f98c724428794ba7d105fa3558d";
const INSTANCE: &str = "e0f8c6d4a2b7495f8a3c1d2e4f6a8b0c";

struct Audit;

impl Dbss for Audit {
    async fn count_db_client_session(
        &self,
        _: CountDbClientSessionInput,
    ) -> CountDbClientSessionOutput {
        CountDbClientSessionOutput::Ok(Vec::new())
    }
    async fn count_operation_statistics(
        &self,
        input: CountOperationStatisticsInput,
    ) -> CountOperationStatisticsOutput {
        let mut answer = CountOperationStatisticsResponse::new();
        answer.generate_time = input.body.db_id;
        CountOperationStatisticsOutput::Ok(answer)
    }
    async fn list_audit_summary_infos(
        &self,
        input: ListAuditSummaryInfosInput,
    ) -> ListAuditSummaryInfosOutput {
        let mut answer = ListAuditSummaryInfosResponse::new();
        answer.project_id = input.limit.map(|limit| limit.to_string());
        ListAuditSummaryInfosOutput::Ok(answer)
    }
    async fn list_audit_trend_history(
        &self,
        _: ListAuditTrendHistoryInput,
    ) -> ListAuditTrendHistoryOutput {
        ListAuditTrendHistoryOutput::Ok(Vec::new())
    }
}

async fn serve() -> SocketAddr {
    let keys = |access_key: &str| (access_key == "AK").then(|| Zeroizing::new("SK".to_owned()));
    let router = require_signatures(router(Audit), keys);
    support::serve(router).await
}

fn error_code<T: std::fmt::Debug>(result: Result<T, Error<DbssError>>) -> (u16, String) {
    match result {
        Err(Error::ErrorResponse(response)) => (
            response.status().as_u16(),
            response.into_inner().error_code.unwrap_or_default(),
        ),
        other => panic!("expected a documented authentication failure, got {other:?}"),
    }
}

#[tokio::test]
async fn signed_requests_reach_every_operation() {
    let address = serve().await;
    let base = format!("http://{address}");
    for credentials in [
        Credentials::new("AK", "SK"),
        Credentials::temporary("AK", "SK", "security-token"),
    ] {
        let client = dbss_client::Client::with_access_key(&base, credentials, PROJECT);
        client
            .count_db_client_session()
            .project_id(PROJECT)
            .instance_id(INSTANCE)
            .body(
                SqlSessionStatisticsRequest::new(Duration::default())
                    .with_db_id(vec!["db001".into()]),
            )
            .send()
            .await
            .expect("signed POST with a body");
        let statistics = client
            .count_operation_statistics()
            .project_id(PROJECT)
            .instance_id(INSTANCE)
            .body(
                GeneralRequest::new(Regenerate::Yes, Duration::default())
                    .with_db_id("db 001/ü".into()),
            )
            .send()
            .await
            .expect("signed POST with non-ASCII in the body")
            .into_inner();
        assert_eq!(statistics.generate_time.as_deref(), Some("db 001/ü"));
        let summary = client
            .list_audit_summary_infos()
            .project_id(PROJECT)
            .limit(20)
            .offset(40)
            .send()
            .await
            .expect("signed GET with a query")
            .into_inner();
        assert_eq!(summary.project_id.as_deref(), Some("20"));
        client
            .list_audit_trend_history()
            .project_id(PROJECT)
            .instance_id(INSTANCE)
            .send()
            .await
            .expect("signed GET");
    }
}

#[tokio::test]
async fn bad_signatures_get_the_documented_failure() {
    let address = serve().await;
    let base = format!("http://{address}");
    let body = || SqlSessionStatisticsRequest::new(Duration::default());

    let wrong_secret =
        dbss_client::Client::with_access_key(&base, Credentials::new("AK", "not-SK"), PROJECT);
    let sessions = wrong_secret
        .count_db_client_session()
        .project_id(PROJECT)
        .instance_id(INSTANCE)
        .body(body())
        .send()
        .await;
    assert_eq!(error_code(sessions), (401, "DBSS.10020100".into()));
    // Page 002 documents no 401: its authentication failure is the 403.
    let summary = wrong_secret
        .list_audit_summary_infos()
        .project_id(PROJECT)
        .send()
        .await;
    assert_eq!(error_code(summary), (403, "DBSS.10020100".into()));

    let unknown =
        dbss_client::Client::with_access_key(&base, Credentials::new("nobody", "SK"), PROJECT);
    let history = unknown
        .list_audit_trend_history()
        .project_id(PROJECT)
        .instance_id(INSTANCE)
        .send()
        .await;
    assert_eq!(error_code(history), (401, "DBSS.10020100".into()));

    let token_only = dbss_client::Client::with_token(&base, "token");
    let history = token_only
        .list_audit_trend_history()
        .project_id(PROJECT)
        .instance_id(INSTANCE)
        .send()
        .await;
    assert_eq!(error_code(history), (401, "DBSS.10020100".into()));
}

/// Signs one request by hand, then lets `tamper` change it before sending.
async fn tampered(
    address: SocketAddr,
    signed_at: chrono::DateTime<chrono::Utc>,
    tamper: impl FnOnce(&mut Raw),
) -> (u16, String) {
    let mut raw = Raw {
        path: format!("/v1/{PROJECT}/audit/{INSTANCE}/statistics/trend/risk-operation"),
        query: None,
        body: br#"{"regenerate":0,"time":{}}"#.to_vec(),
        headers: http::HeaderMap::new(),
    };
    raw.headers.insert(
        http::header::HOST,
        address.to_string().parse().expect("host"),
    );
    raw.headers.insert(
        http::header::CONTENT_TYPE,
        "application/json".parse().expect("type"),
    );
    Credentials::new("AK", "SK")
        .sign_at(
            "POST",
            &raw.path,
            raw.query.as_deref(),
            &mut raw.headers,
            &raw.body,
            signed_at,
        )
        .expect("signs");
    tamper(&mut raw);
    let url = match &raw.query {
        Some(query) => format!("http://{address}{}?{query}", raw.path),
        None => format!("http://{address}{}", raw.path),
    };
    let response = reqwest::Client::new()
        .post(url)
        .headers(raw.headers)
        .body(raw.body)
        .send()
        .await
        .expect("sent");
    let status = response.status().as_u16();
    let error: DbssError = response.json().await.unwrap_or_default();
    (status, error.error_msg.unwrap_or_default())
}

struct Raw {
    path: String,
    query: Option<String>,
    body: Vec<u8>,
    headers: http::HeaderMap,
}

#[tokio::test]
async fn tampered_or_stale_requests_are_refused() {
    let address = serve().await;
    let now = chrono::Utc::now();
    assert_eq!(
        tampered(address, now, |_| {}).await.0,
        200,
        "the untampered request is accepted"
    );

    let (status, message) = tampered(address, now, |raw| {
        raw.body = br#"{"regenerate":1,"time":{}}"#.to_vec()
    })
    .await;
    assert_eq!(
        (status, message.as_str()),
        (401, "the signature does not match the request")
    );
    let (status, _) = tampered(address, now, |raw| {
        raw.path = raw
            .path
            .replace(INSTANCE, &"f".repeat(InstanceId::MIN_LENGTH))
    })
    .await;
    assert_eq!(status, 401, "path");
    let (status, _) = tampered(address, now, |raw| raw.query = Some("extra=1".into())).await;
    assert_eq!(status, 401, "query");
    let (status, _) = tampered(address, now, |raw| {
        raw.headers.insert(
            http::header::CONTENT_TYPE,
            "application/json; charset=latin1".parse().expect("type"),
        );
    })
    .await;
    assert_eq!(status, 401, "signed header");
    let (status, message) = tampered(address, now - chrono::Duration::minutes(20), |_| {}).await;
    assert_eq!(status, 401);
    assert!(
        message.contains("away from the server's clock"),
        "{message}"
    );
}

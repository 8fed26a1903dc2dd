//! Client-server conformance: the generated routers, serving small
//! implementations on 127.0.0.1, answered through the generated clients and
//! through raw HTTP requests that break the specs.

mod support;

use support::serve;

use dbss_client::Error;
use dbss_server::dbss_types::{
    AuditSummaryResponseDataList, AuditSummaryStatus, CountOperationStatisticsResponse, DbssError,
    Duration, GeneralRequest, Limit, ListAuditSummaryInfosResponse, ProjectId, Regenerate,
    ReportClientSessionNew, SqlSessionStatisticsRequest, StatisticsJobStatus, StatisticsType,
    TimeRange, TrendStatusResponse,
};
use dbss_server::*;
use obshell_server::obshell_types::{ApiError, TenantSessionDbStats, TenantSessionStats};
use obshell_server::{GetTenantSessionsStatsInput, GetTenantSessionsStatsOutput, Obshell};

const TOKEN: &str = "MIIZtoken-for-tests";
const PROJECT: &str = "b9351f98c724428794ba7d105fa3558d";
const INSTANCE: &str = "e0f8c6d4a2b7495f8a3c1d2e4f6a8b0c";

fn error(code: &str) -> DbssError {
    DbssError::new()
        .with_error_code(code.into())
        .with_error_msg(format!("{code} from the test service"))
}

/// The `X-Request-Id` the test service answers a bad token with.
const REQUEST_ID: &str = "req-0123456789abcdef";

/// Answers from its inputs, so the tests see what the router passed on.
struct Audit;

impl Dbss for Audit {
    async fn count_db_client_session(
        &self,
        input: CountDbClientSessionInput,
    ) -> CountDbClientSessionOutput {
        if input.x_auth_token.as_deref() != Some(TOKEN) {
            return CountDbClientSessionOutput::Unauthorized {
                body: error("DBSS.10020100"),
                headers: dbss_server::XRequestIdHeaders::default()
                    .with_x_request_id(REQUEST_ID.into()),
            };
        }
        let sessions = input
            .body
            .db_id
            .unwrap_or_default()
            .into_iter()
            .enumerate()
            .map(|(index, db_id)| {
                ReportClientSessionNew::new()
                    .with_db_id(Some(db_id))
                    .with_db_ip(format!("100.79.0.{index}"))
                    .with_db_name(None)
                    .with_session_num(i64::try_from(index).unwrap_or_default() * 10)
            })
            .collect();
        CountDbClientSessionOutput::Ok(sessions)
    }

    async fn count_operation_statistics(
        &self,
        input: CountOperationStatisticsInput,
    ) -> CountOperationStatisticsOutput {
        let status = match input.body.regenerate {
            Regenerate::Yes => StatisticsJobStatus::Running,
            Regenerate::No => StatisticsJobStatus::Unknown("finished".into()),
        };
        let mut answer = CountOperationStatisticsResponse::new()
            .with_operation_statistics(Vec::new())
            .with_status(status);
        answer.generate_time = input.body.time.time_range.map(|range| range.to_string());
        CountOperationStatisticsOutput::Ok(answer)
    }

    async fn list_audit_summary_infos(
        &self,
        input: ListAuditSummaryInfosInput,
    ) -> ListAuditSummaryInfosOutput {
        if input.project_id.starts_with("f") {
            return ListAuditSummaryInfosOutput::Forbidden {
                body: error("DBSS.403"),
                headers: Default::default(),
            };
        }
        // Integers in Rust, decimal strings on the wire.
        let limit: i64 = input.limit.unwrap_or(Limit::DEFAULT).get().into();
        let offset: i64 = input.offset.map_or(0, |offset| offset.get());
        ListAuditSummaryInfosOutput::Ok(
            ListAuditSummaryInfosResponse::new()
                .with_project_id(input.project_id.into_inner())
                .with_total(i32::try_from(limit).unwrap_or_default())
                .with_data_list(vec![
                    AuditSummaryResponseDataList::new()
                        .with_id(offset)
                        .with_status(AuditSummaryStatus::Unknown("3".into()))
                        .with_reserve1(None),
                ]),
        )
    }

    async fn list_audit_trend_history(
        &self,
        input: ListAuditTrendHistoryInput,
    ) -> ListAuditTrendHistoryOutput {
        ListAuditTrendHistoryOutput::Ok(vec![
            TrendStatusResponse::new()
                .with_db_id(input.instance_id.into_inner())
                .with_statistics_type(StatisticsType::Unknown("LATENCY".into())),
        ])
    }
}

struct Agent(obshell_server::obshell_auth::AgentKey);

impl Obshell for Agent {
    async fn get_secret(
        &self,
        _: obshell_server::GetSecretInput,
    ) -> obshell_server::GetSecretOutput {
        obshell_server::GetSecretOutput::Ok(obshell_server::obshell_types::AgentSecret::new(
            "127.0.0.1".into(),
            2886,
            self.0.public_key_base64().expect("public key"),
        ))
    }

    async fn get_tenant_sessions_stats(
        &self,
        input: GetTenantSessionsStatsInput,
    ) -> GetTenantSessionsStatsOutput {
        if input.name != "t1" {
            return GetTenantSessionsStatsOutput::BadRequest(ApiError::new(
                "OB.Tenant.NotExist".into(),
                format!("Tenant '{}' not exist.", input.name),
            ));
        }
        GetTenantSessionsStatsOutput::Ok(TenantSessionStats::new(
            10,
            5,
            3600.5,
            vec![TenantSessionDbStats::new(
                input.x_ocs_header.unwrap_or_default(),
                8,
                4,
            )],
            Vec::new(),
            Vec::new(),
        ))
    }
}

fn month() -> Duration {
    Duration::new().with_time_range(TimeRange::Month)
}

#[tokio::test]
async fn every_dbss_operation_through_the_generated_client() {
    let address = serve(router(Audit)).await;
    let client = dbss_client::Client::with_token(&format!("http://{address}"), TOKEN);

    let sessions = client
        .count_db_client_session()
        .project_id(PROJECT)
        .instance_id(INSTANCE)
        .body(SqlSessionStatisticsRequest::new(month()).with_db_id(vec!["a".into(), "b".into()]))
        .send()
        .await
        .expect("count_db_client_session");
    assert_eq!(sessions.status(), 200);
    let sessions = sessions.into_inner();
    assert_eq!(sessions.len(), 2);
    assert_eq!(sessions[1].db_id, Some(Some("b".into())));
    assert_eq!(sessions[1].db_name, Some(None), "null survives the trip");
    assert_eq!(sessions[1].session_num, Some(10));

    let statistics = client
        .count_operation_statistics()
        .project_id(PROJECT)
        .instance_id(INSTANCE)
        .body(GeneralRequest::new(Regenerate::No, month()))
        .send()
        .await
        .expect("count_operation_statistics")
        .into_inner();
    assert_eq!(
        statistics.status,
        Some(StatisticsJobStatus::Unknown("finished".into()))
    );
    assert!(
        statistics
            .status
            .as_ref()
            .is_some_and(StatisticsJobStatus::is_finished)
    );
    assert_eq!(
        statistics.generate_time.as_deref(),
        Some(TimeRange::Month.as_str())
    );

    let summary = client
        .list_audit_summary_infos()
        .project_id(PROJECT)
        .limit(Limit::MAX)
        .offset(5)
        .send()
        .await
        .expect("list_audit_summary_infos")
        .into_inner();
    assert_eq!(summary.total, Some(Limit::MAX));
    let row = &summary.data_list.as_ref().expect("rows")[0];
    assert_eq!(row.id, Some(5));
    assert_eq!(row.status, Some(AuditSummaryStatus::Unknown("3".into())));
    assert_eq!(row.reserve1, Some(None));
    assert_eq!(row.reserve2, None, "absent stays absent");

    let history = client
        .list_audit_trend_history()
        .project_id(PROJECT)
        .instance_id(INSTANCE)
        .send()
        .await
        .expect("list_audit_trend_history")
        .into_inner();
    assert_eq!(history[0].db_id.as_deref(), Some(INSTANCE));
    assert_eq!(
        history[0].statistics_type,
        Some(StatisticsType::Unknown("LATENCY".into()))
    );
}

#[tokio::test]
async fn documented_error_statuses_are_typed_errors() {
    let address = serve(router(Audit)).await;
    let base = format!("http://{address}");

    let wrong_token = dbss_client::Client::with_token(&base, "not-the-token");
    let failure = wrong_token
        .count_db_client_session()
        .project_id(PROJECT)
        .instance_id(INSTANCE)
        .body(SqlSessionStatisticsRequest::new(month()))
        .send()
        .await
        .expect_err("401");
    match failure {
        Error::ErrorResponse(response) => {
            assert_eq!(response.status(), 401);
            // The documented response header the service set reaches the client.
            assert_eq!(response.headers()["x-request-id"], REQUEST_ID);
            assert_eq!(
                response.into_inner().error_code.as_deref(),
                Some("DBSS.10020100")
            );
        }
        other => panic!("expected a documented error, got {other:?}"),
    }

    let client = dbss_client::Client::with_token(&base, TOKEN);
    let forbidden = client
        .list_audit_summary_infos()
        .project_id("f".repeat(ProjectId::MIN_LENGTH))
        .send()
        .await
        .expect_err("403");
    assert_eq!(forbidden.status().map(|s| s.as_u16()), Some(403));
    assert!(matches!(forbidden, Error::ErrorResponse(_)));
}

#[tokio::test]
async fn the_client_refuses_values_the_spec_forbids_before_sending() {
    // No server: the request must fail before any connection is attempted.
    let client = dbss_client::Client::with_token("http://127.0.0.1:9", TOKEN);
    let short = client
        .list_audit_trend_history()
        .project_id("a".repeat(ProjectId::MIN_LENGTH - 1))
        .instance_id(INSTANCE)
        .send()
        .await;
    assert!(matches!(short, Err(Error::InvalidRequest(_))), "{short:?}");
    for outside in [Limit::MIN - 1, Limit::MAX + 1] {
        let refused = client
            .list_audit_summary_infos()
            .project_id(PROJECT)
            .limit(outside)
            .send()
            .await;
        assert!(
            matches!(refused, Err(Error::InvalidRequest(_))),
            "{outside}: {refused:?}"
        );
    }
}

#[tokio::test]
async fn obshell_answers_in_its_envelope() {
    let key = obshell_server::obshell_auth::AgentKey::generate(1024).expect("key");
    let address = serve(obshell_server::router(Agent(key))).await;
    let credential = obshell_server::obshell_auth::Credential::RootPassword("password".into());
    let client = obshell_client::Client::for_agent("127.0.0.1", address.port(), credential);

    let answer = client
        .get_tenant_sessions_stats()
        .name("t1")
        .send()
        .await
        .expect("200")
        .into_inner();
    assert!(answer.successful);
    assert_eq!(answer.status, 200);
    assert_eq!(answer.trace_id.len(), 16);
    assert!(answer.error.is_none());
    let stats = answer.data.flatten().expect("payload");
    assert_eq!(stats.max_active_time, 3600.5);
    // The sealed credential reached the service: base64 of two or more
    // 128-byte RSA blocks.
    let header = &stats.db_stats[0].db_name;
    assert!(
        header.len() >= 344 && !header.contains("password"),
        "{header}"
    );

    match client.get_tenant_sessions_stats().name("t2").send().await {
        Err(obshell_client::Error::ErrorResponse(response)) => {
            assert_eq!(response.status(), 400);
            let envelope = response.into_inner();
            assert!(!envelope.successful);
            assert_eq!(envelope.status, 400);
            assert_eq!(envelope.data, None);
            assert_eq!(
                envelope.error.expect("error member").err_code,
                "OB.Tenant.NotExist"
            );
        }
        other => panic!("expected the documented 400, got {other:?}"),
    }

    let response = reqwest::get(format!("http://{address}/api/v1/tenant/t1/sessions/stats"))
        .await
        .expect("request");
    assert_eq!(response.status(), 400);
    let envelope: obshell_server::obshell_types::OcsAgentResponse =
        response.json().await.expect("an OcsAgentResponse");
    assert!(!envelope.successful);
    assert_eq!(envelope.status, 400);
    assert_eq!(
        envelope.error.expect("error").err_code,
        "Request.Header.NotFound"
    );
}

#[tokio::test]
async fn undocumented_statuses_and_malformed_bodies_are_typed_errors() {
    use axum::routing::get;
    let history = "/v2/{project_id}/audit/{instance_id}/statistics/trend/history";
    let summary = "/v2/{project_id}/audit/summary/info";
    let impostor = axum::Router::new()
        .route(
            history,
            get(|| async { (axum::http::StatusCode::IM_A_TEAPOT, "short and stout") }),
        )
        .route(
            summary,
            get(|| async {
                (
                    [("content-type", "application/json")],
                    "{\"total\": \"many\"}",
                )
            }),
        );
    let address = serve(impostor).await;
    let client = dbss_client::Client::with_token(&format!("http://{address}"), TOKEN);

    let teapot = client
        .list_audit_trend_history()
        .project_id(PROJECT)
        .instance_id(INSTANCE)
        .send()
        .await;
    match teapot {
        Err(Error::UnexpectedResponse(response)) => assert_eq!(response.status(), 418),
        other => panic!("expected an unexpected-response error, got {other:?}"),
    }
    let malformed = client
        .list_audit_summary_infos()
        .project_id(PROJECT)
        .send()
        .await;
    assert!(
        matches!(malformed, Err(Error::InvalidResponsePayload(..))),
        "{malformed:?}"
    );
}

//! Serves both generated routers with small implementations on 127.0.0.1
//! and calls every operation through the generated clients.

use std::error::Error;
use std::net::SocketAddr;

use dbss_server::dbss_types::{
    CountOperationStatisticsResponse, Duration, GeneralRequest, ListAuditSummaryInfosResponse,
    Regenerate, ReportClientSessionNew, SqlSessionStatisticsRequest, StatisticsJobStatus,
    StatisticsType, TimeRange, TrendStatusResponse,
};
use dbss_server::{
    CountDbClientSessionInput, CountDbClientSessionOutput, CountOperationStatisticsInput,
    CountOperationStatisticsOutput, Dbss, ListAuditSummaryInfosInput, ListAuditSummaryInfosOutput,
    ListAuditTrendHistoryInput, ListAuditTrendHistoryOutput,
};
use obshell_server::obshell_types::TenantSessionStats;
use obshell_server::{GetTenantSessionsStatsInput, GetTenantSessionsStatsOutput, Obshell};

const PROJECT: &str = "b9351f98c724428794ba7d105fa3558d";
const INSTANCE: &str = "e0f8c6d4a2b7495f8a3c1d2e4f6a8b0c";

struct Audit;

impl Dbss for Audit {
    async fn count_db_client_session(
        &self,
        _: CountDbClientSessionInput,
    ) -> CountDbClientSessionOutput {
        CountDbClientSessionOutput::Ok(vec![
            ReportClientSessionNew::new()
                .with_db_ip("100.79.0.248".into())
                .with_session_num(16),
        ])
    }

    async fn count_operation_statistics(
        &self,
        _: CountOperationStatisticsInput,
    ) -> CountOperationStatisticsOutput {
        CountOperationStatisticsOutput::Ok(
            CountOperationStatisticsResponse::new().with_status(StatisticsJobStatus::Finished),
        )
    }

    async fn list_audit_summary_infos(
        &self,
        input: ListAuditSummaryInfosInput,
    ) -> ListAuditSummaryInfosOutput {
        ListAuditSummaryInfosOutput::Ok(
            ListAuditSummaryInfosResponse::new()
                .with_project_id(input.project_id.into_inner())
                .with_total(0)
                .with_data_list(Vec::new()),
        )
    }

    async fn list_audit_trend_history(
        &self,
        _: ListAuditTrendHistoryInput,
    ) -> ListAuditTrendHistoryOutput {
        ListAuditTrendHistoryOutput::Ok(vec![
            TrendStatusResponse::new().with_statistics_type(StatisticsType::Risk),
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
            self.0.public_key_base64().unwrap_or_default(),
        ))
    }

    async fn get_tenant_sessions_stats(
        &self,
        _: GetTenantSessionsStatsInput,
    ) -> GetTenantSessionsStatsOutput {
        GetTenantSessionsStatsOutput::Ok(TenantSessionStats::new(
            1,
            1,
            0.5,
            Vec::new(),
            Vec::new(),
            Vec::new(),
        ))
    }
}

/// An open enum is matched with a wildcard arm (it is `#[non_exhaustive]`):
/// a value a later spec lists cannot break this match.
fn describe(status: &StatisticsJobStatus) -> &'static str {
    match status {
        StatisticsJobStatus::Finished => "finished",
        StatisticsJobStatus::Running => "running",
        _ => "a status this consumer does not know",
    }
}

async fn serve(router: axum::Router) -> std::io::Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, router).await });
    Ok(address)
}

fn month() -> Duration {
    Duration::new().with_time_range(TimeRange::Month)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let dbss = serve(dbss_server::router(Audit)).await?;
    let client = dbss_client::Client::with_token(&format!("http://{dbss}"), "token");

    let sessions = client
        .count_db_client_session()
        .project_id(PROJECT)
        .instance_id(INSTANCE)
        .body(SqlSessionStatisticsRequest::new(month()))
        .send()
        .await?
        .into_inner();
    println!("count_db_client_session: {} client(s)", sessions.len());

    let statistics = client
        .count_operation_statistics()
        .project_id(PROJECT)
        .instance_id(INSTANCE)
        .body(GeneralRequest::new(Regenerate::Yes, month()))
        .send()
        .await?
        .into_inner();
    println!(
        "count_operation_statistics: {}",
        statistics.status.as_ref().map_or("no status", describe)
    );

    let summary = client
        .list_audit_summary_infos()
        .project_id(PROJECT)
        .limit(10)
        .send()
        .await?
        .into_inner();
    println!("list_audit_summary_infos: project {:?}", summary.project_id);

    let history = client
        .list_audit_trend_history()
        .project_id(PROJECT)
        .instance_id(INSTANCE)
        .send()
        .await?
        .into_inner();
    println!("list_audit_trend_history: {} record(s)", history.len());

    let key = obshell_server::obshell_auth::AgentKey::generate(1024)?;
    let password =
        obshell_server::obshell_auth::Credential::RootPassword("root@sys password".into());
    let obshell = serve(obshell_server::router(Agent(key))).await?;
    let agent = obshell_client::Client::for_agent("127.0.0.1", obshell.port(), password);
    let answer = agent
        .get_tenant_sessions_stats()
        .name("t1")
        .send()
        .await?
        .into_inner();
    println!(
        "get_tenant_sessions_stats: successful={} at {} ({} session(s))",
        answer.successful,
        answer.timestamp,
        answer.data.flatten().map_or(0, |stats| stats.total_count)
    );

    let all_answered = sessions.len() == 1
        && statistics.status == Some(StatisticsJobStatus::Finished)
        && summary.project_id.as_deref() == Some(PROJECT)
        && history.len() == 1
        && answer.successful;
    if !all_answered {
        return Err("an operation did not answer as served".into());
    }
    println!("all 5 operations answered through the generated clients");
    Ok(())
}

//! For every operation and every status it documents, a server answering
//! with that status's documented example (through the generated router) is
//! read back by the generated client as the matching typed success or typed
//! error, with an equal body.

mod support;

use support::serve;

use std::sync::{Arc, Mutex};

use serde::Serialize;
use serde_json::Value;

/// The answer the scripted services give next: status and wire body.
type Script = Arc<Mutex<Option<(u16, Option<Value>)>>>;

fn next<T>(
    script: &Script,
    from_wire: fn(u16, Option<Value>) -> Result<T, bindings_server::WireError>,
) -> T {
    let (status, body) = script
        .lock()
        .expect("script lock")
        .take()
        .expect("a scripted answer");
    from_wire(status, body).unwrap_or_else(|error| {
        panic!("the documented {status} example is not a typed answer: {error}")
    })
}

struct ScriptedDbss(Script);

impl dbss_server::Dbss for ScriptedDbss {
    async fn count_db_client_session(
        &self,
        _: dbss_server::CountDbClientSessionInput,
    ) -> dbss_server::CountDbClientSessionOutput {
        next(&self.0, dbss_server::CountDbClientSessionOutput::from_wire)
    }
    async fn count_operation_statistics(
        &self,
        _: dbss_server::CountOperationStatisticsInput,
    ) -> dbss_server::CountOperationStatisticsOutput {
        next(
            &self.0,
            dbss_server::CountOperationStatisticsOutput::from_wire,
        )
    }
    async fn list_audit_summary_infos(
        &self,
        _: dbss_server::ListAuditSummaryInfosInput,
    ) -> dbss_server::ListAuditSummaryInfosOutput {
        next(&self.0, dbss_server::ListAuditSummaryInfosOutput::from_wire)
    }
    async fn list_audit_trend_history(
        &self,
        _: dbss_server::ListAuditTrendHistoryInput,
    ) -> dbss_server::ListAuditTrendHistoryOutput {
        next(&self.0, dbss_server::ListAuditTrendHistoryOutput::from_wire)
    }
}

/// The scripted answer, and the operation the script is for.
struct ScriptedObshell(Script, Arc<Mutex<Option<String>>>);

fn agent_key() -> &'static obshell_server::obshell_auth::AgentKey {
    static KEY: std::sync::OnceLock<obshell_server::obshell_auth::AgentKey> =
        std::sync::OnceLock::new();
    KEY.get_or_init(|| obshell_server::obshell_auth::AgentKey::generate(1024).expect("key"))
}

impl obshell_server::Obshell for ScriptedObshell {
    async fn get_secret(
        &self,
        _: obshell_server::GetSecretInput,
    ) -> obshell_server::GetSecretOutput {
        // The client fetches the key before its first credentialed call;
        // answer that with a real key, and the scripted call with the script.
        if self.1.lock().expect("operation lock").as_deref() == Some("get_secret") {
            return next(&self.0, obshell_server::GetSecretOutput::from_wire);
        }
        obshell_server::GetSecretOutput::Ok(obshell_server::obshell_types::AgentSecret::new(
            "127.0.0.1".into(),
            2886,
            agent_key().public_key_base64().expect("public key"),
        ))
    }
    async fn get_tenant_sessions_stats(
        &self,
        _: obshell_server::GetTenantSessionsStatsInput,
    ) -> obshell_server::GetTenantSessionsStatsOutput {
        next(
            &self.0,
            obshell_server::GetTenantSessionsStatsOutput::from_wire,
        )
    }
}

/// What the client made of an answer: its status and body, re-encoded.
fn outcome<T: Serialize, E: Serialize + std::fmt::Debug>(
    result: Result<progenitor_client::ResponseValue<T>, bindings_client::Error<E>>,
) -> (u16, Value) {
    match result {
        Ok(response) => (
            response.status().as_u16(),
            serde_json::to_value(response.into_inner()).expect("encodes"),
        ),
        Err(bindings_client::Error::ErrorResponse(response)) => (
            response.status().as_u16(),
            serde_json::to_value(response.into_inner()).expect("encodes"),
        ),
        Err(other) => panic!("expected a documented answer, got {other:?}"),
    }
}

const PROJECT: &str = "b9351f98c724428794ba7d105fa3558d";
const INSTANCE: &str = "e0f8c6d4a2b7495f8a3c1d2e4f6a8b0c";

async fn call_dbss(client: &dbss_client::Client, operation: &str) -> (u16, Value) {
    use dbss_client::dbss_types::{
        Duration, GeneralRequest, Regenerate, SqlSessionStatisticsRequest,
    };
    match operation {
        "count_db_client_session" => outcome(
            client
                .count_db_client_session()
                .project_id(PROJECT)
                .instance_id(INSTANCE)
                .body(SqlSessionStatisticsRequest::new(Duration::default()))
                .send()
                .await,
        ),
        "count_operation_statistics" => outcome(
            client
                .count_operation_statistics()
                .project_id(PROJECT)
                .instance_id(INSTANCE)
                .body(GeneralRequest::new(Regenerate::No, Duration::default()))
                .send()
                .await,
        ),
        "list_audit_summary_infos" => outcome(
            client
                .list_audit_summary_infos()
                .project_id(PROJECT)
                .send()
                .await,
        ),
        "list_audit_trend_history" => outcome(
            client
                .list_audit_trend_history()
                .project_id(PROJECT)
                .instance_id(INSTANCE)
                .send()
                .await,
        ),
        other => panic!("no client call registered for dbss operation `{other}`"),
    }
}

async fn call_obshell(client: &obshell_client::Client, operation: &str) -> (u16, Value) {
    match operation {
        "get_tenant_sessions_stats" => {
            outcome(client.get_tenant_sessions_stats().name("t1").send().await)
        }
        "get_secret" => outcome(client.get_secret().send().await),
        other => panic!("no client call registered for obshell operation `{other}`"),
    }
}

/// (operationId, status, body) for every documented status of a spec: the
/// status's first documented example, or, where the pages show none, the
/// first corpus payload of its schema whose own `status` (in an envelope)
/// matches.
fn documented_answers(spec: &str) -> Vec<(String, u16, Option<Value>)> {
    let root = support::load(spec);
    let resolve = |node: &Value| -> Value {
        match node.get("$ref").and_then(Value::as_str) {
            Some(reference) => root
                .pointer(reference.trim_start_matches('#'))
                .expect("resolves")
                .clone(),
            None => node.clone(),
        }
    };
    let mut answers = Vec::new();
    for item in root["paths"].as_object().expect("paths").values() {
        for operation in item.as_object().expect("path item").values() {
            let id = operation["operationId"].as_str().expect("operationId");
            for (status, response) in operation["responses"].as_object().expect("responses") {
                let status: u16 = status.parse().expect("numeric status");
                let response = resolve(response);
                let Some(media) = response.pointer("/content/application~1json") else {
                    answers.push((id.to_owned(), status, None));
                    continue;
                };
                let example = media
                    .get("examples")
                    .and_then(Value::as_object)
                    .and_then(|examples| examples.values().next())
                    .map(|example| resolve(example)["value"].clone())
                    .or_else(|| media.get("example").cloned());
                let body = example.unwrap_or_else(|| {
                    corpus_payload(spec, &support::schema_name(&media["schema"]), status)
                });
                answers.push((id.to_owned(), status, Some(body)));
            }
        }
    }
    answers
}

fn corpus_payload(spec: &str, schema: &str, status: u16) -> Value {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(spec.trim_end_matches(".yaml"))
        .join(schema);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|_| panic!("no example and no corpus for `{schema}` ({status})"))
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    let payloads: Vec<Value> = files
        .iter()
        .map(|path| {
            serde_json::from_str(&std::fs::read_to_string(path).expect("readable")).expect("JSON")
        })
        .collect();
    payloads
        .iter()
        .find(|payload| payload.get("status").and_then(Value::as_u64) == Some(u64::from(status)))
        .or_else(|| {
            payloads
                .iter()
                .find(|payload| payload.get("status").is_none())
        })
        .cloned()
        .unwrap_or_else(|| panic!("no corpus payload for `{schema}` fits status {status}"))
}

/// In an envelope answer the server fills the bookkeeping itself; what must
/// come back unchanged is the status and the payload or error member.
fn envelope_core(body: &Value) -> Value {
    serde_json::json!({
        "successful": body["successful"],
        "status": body["status"],
        "data": body.get("data").cloned().unwrap_or(Value::Null),
        "error": body.get("error").cloned().unwrap_or(Value::Null),
    })
}

#[tokio::test]
async fn every_documented_dbss_status_reaches_the_client_typed() {
    let script = Script::default();
    let address = serve(dbss_server::router(ScriptedDbss(script.clone()))).await;
    let client = dbss_client::Client::with_token(&format!("http://{address}"), "token");
    let answers = documented_answers("dbss.yaml");
    assert_eq!(
        answers.len(),
        19,
        "4 + 5 + 5 + 5 documented statuses (page 002 has no 401)"
    );
    for (operation, status, body) in answers {
        *script.lock().expect("script lock") = Some((status, body.clone()));
        let (got_status, got_body) = call_dbss(&client, &operation).await;
        assert_eq!(got_status, status, "{operation}");
        let body = body.expect("DBSS documents a body for every status");
        assert_eq!(
            support::first_difference(&body, &got_body),
            None,
            "{operation} {status}: {body} became {got_body}"
        );
    }
}

#[tokio::test]
async fn every_documented_obshell_status_reaches_the_client_typed() {
    let script = Script::default();
    let scripted_operation = Arc::new(Mutex::new(None));
    let service = ScriptedObshell(script.clone(), scripted_operation.clone());
    let address = serve(obshell_server::router(service)).await;
    let credential = obshell_server::obshell_auth::Credential::RootPassword("password".into());
    let client = obshell_client::Client::for_agent("127.0.0.1", address.port(), credential);
    let answers = documented_answers("obshell.yaml");
    eprintln!(
        "obshell: {} documented statuses answered through router and client",
        answers.len()
    );
    assert_eq!(
        answers.len(),
        6,
        "get_tenant_sessions_stats 200, 400, 401, 500; get_secret 200, 500"
    );
    for (operation, status, body) in answers {
        *script.lock().expect("script lock") = Some((status, body.clone()));
        *scripted_operation.lock().expect("operation lock") = Some(operation.clone());
        let (got_status, got_body) = call_obshell(&client, &operation).await;
        assert_eq!(got_status, status, "{operation}");
        let body = body.expect("obshell answers every status in its envelope");
        assert_eq!(
            envelope_core(&got_body),
            envelope_core(&body),
            "{operation} {status}"
        );
        assert!(
            got_body["timestamp"]
                .as_str()
                .is_some_and(|t| t.parse::<bindings_wire::Timestamp>().is_ok())
        );
    }
}

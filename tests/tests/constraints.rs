//! Every constraint the specs put on a request, broken one at a time in an
//! otherwise valid raw request, gets the spec's documented request-error
//! status and a body that decodes as the spec's error schema, with the code
//! `x-request-errors` names for that kind of problem.
//!
//! The cases are derived from the specs (lengths, patterns, bounds, required
//! headers and members, enums, member types), plus what every JSON body can
//! get wrong (malformed, wrong content type, empty, over the size limit):
//! a constraint added to a spec is tested without touching this file.

mod support;

use support::serve;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;

use dbss_types::{Limit, ProjectId, Regenerate};
use serde_json::{Value, json};

/// Answers every operation with its documented 200 example.
struct Documented(Arc<BTreeMap<String, Value>>);

impl Documented {
    fn answer<T>(
        &self,
        operation: &str,
        from_wire: fn(u16, Option<Value>) -> Result<T, bindings_server::WireError>,
    ) -> T {
        let body = self.0.get(operation).cloned();
        from_wire(200, body).unwrap_or_else(|error| {
            panic!("{operation}: the 200 example is not a typed answer: {error}")
        })
    }
}

impl dbss_server::Dbss for Documented {
    async fn count_db_client_session(
        &self,
        _: dbss_server::CountDbClientSessionInput,
    ) -> dbss_server::CountDbClientSessionOutput {
        self.answer(
            "count_db_client_session",
            dbss_server::CountDbClientSessionOutput::from_wire,
        )
    }
    async fn count_operation_statistics(
        &self,
        _: dbss_server::CountOperationStatisticsInput,
    ) -> dbss_server::CountOperationStatisticsOutput {
        self.answer(
            "count_operation_statistics",
            dbss_server::CountOperationStatisticsOutput::from_wire,
        )
    }
    async fn list_audit_summary_infos(
        &self,
        _: dbss_server::ListAuditSummaryInfosInput,
    ) -> dbss_server::ListAuditSummaryInfosOutput {
        self.answer(
            "list_audit_summary_infos",
            dbss_server::ListAuditSummaryInfosOutput::from_wire,
        )
    }
    async fn list_audit_trend_history(
        &self,
        _: dbss_server::ListAuditTrendHistoryInput,
    ) -> dbss_server::ListAuditTrendHistoryOutput {
        self.answer(
            "list_audit_trend_history",
            dbss_server::ListAuditTrendHistoryOutput::from_wire,
        )
    }
}

impl obshell_server::Obshell for Documented {
    async fn get_secret(
        &self,
        _: obshell_server::GetSecretInput,
    ) -> obshell_server::GetSecretOutput {
        self.answer("get_secret", obshell_server::GetSecretOutput::from_wire)
    }
    async fn get_tenant_sessions_stats(
        &self,
        _: obshell_server::GetTenantSessionsStatsInput,
    ) -> obshell_server::GetTenantSessionsStatsOutput {
        self.answer(
            "get_tenant_sessions_stats",
            obshell_server::GetTenantSessionsStatsOutput::from_wire,
        )
    }
}

/// One raw request.
#[derive(Clone, Debug)]
struct Request {
    method: String,
    path: Vec<(String, String)>,
    template: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    content_type: Option<String>,
    body: Option<Vec<u8>>,
}

impl Request {
    async fn send(&self, address: SocketAddr) -> (u16, Value) {
        let mut path = self.template.clone();
        for (name, value) in &self.path {
            path = path.replace(&format!("{{{name}}}"), value);
        }
        let method =
            reqwest::Method::from_bytes(self.method.to_uppercase().as_bytes()).expect("method");
        let mut request = reqwest::Client::new()
            .request(method, format!("http://{address}{path}"))
            .query(&self.query);
        for (name, value) in &self.headers {
            request = request.header(name, value);
        }
        if let Some(content_type) = &self.content_type {
            request = request.header("content-type", content_type);
        }
        if let Some(body) = &self.body {
            request = request.body(body.clone());
        }
        let response = request.send().await.expect("the router answers");
        let status = response.status().as_u16();
        let bytes = response.bytes().await.expect("body");
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }
}

/// A request that breaks one constraint, and the problem kind it is.
struct Broken {
    what: String,
    kind: &'static str,
    request: Request,
}

struct Spec {
    root: Value,
}

impl Spec {
    fn resolve<'v>(&'v self, node: &'v Value) -> &'v Value {
        match node.get("$ref").and_then(Value::as_str) {
            Some(reference) => self.resolve(
                self.root
                    .pointer(reference.trim_start_matches('#'))
                    .expect("resolves"),
            ),
            None => node,
        }
    }

    /// A valid value for a parameter: its example, its schema's default, or
    /// the shortest string its length allows.
    fn valid_value(&self, parameter: &Value) -> String {
        let schema = self.resolve(&parameter["schema"]);
        parameter
            .get("example")
            .or_else(|| schema.get("default"))
            .and_then(Value::as_str)
            .map(str::to_owned)
            .unwrap_or_else(|| {
                "a".repeat(
                    schema
                        .get("minLength")
                        .and_then(Value::as_u64)
                        .unwrap_or(1)
                        .max(1) as usize,
                )
            })
    }

    /// Values that break a string schema's length or pattern.
    fn invalid_values(&self, schema: &Value) -> Vec<(String, String)> {
        let schema = self.resolve(schema);
        let mut values = Vec::new();
        if let Some(min) = schema
            .get("minLength")
            .and_then(Value::as_u64)
            .filter(|min| *min > 0)
        {
            values.push((
                format!("{} characters (minLength {min})", min - 1),
                "a".repeat(min as usize - 1),
            ));
        }
        if let Some(max) = schema.get("maxLength").and_then(Value::as_u64) {
            values.push((
                format!("{} characters (maxLength {max})", max + 1),
                "a".repeat(max as usize + 1),
            ));
        }
        if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
            let regex = regress::Regex::new(pattern).expect("the spec's pattern compiles");
            for candidate in [
                "",
                "-1",
                "0",
                "01",
                "x",
                "1e3",
                "10001",
                "9999999999999999999",
            ] {
                if regex.find(candidate).is_none() {
                    values.push((
                        format!("`{candidate}` (pattern {pattern})"),
                        candidate.to_owned(),
                    ));
                }
            }
        }
        // The bounds of an integer (or of an integer written as a string),
        // just outside them.
        if let Some(min) = schema.get("minimum").and_then(Value::as_i64) {
            values.push((
                format!("`{}` (minimum {min})", min - 1),
                (min - 1).to_string(),
            ));
        }
        if let Some(max) = schema.get("maximum").and_then(Value::as_i64) {
            values.push((
                format!("`{}` (maximum {max})", max + 1),
                (max + 1).to_string(),
            ));
        }
        values
    }

    /// Each constraint of each operation, broken in turn.
    fn broken_requests(&self, body_limit: usize) -> Vec<Broken> {
        let mut broken = Vec::new();
        for (template, item) in self.root["paths"].as_object().expect("paths") {
            for (method, operation) in item.as_object().expect("path item") {
                let id = operation["operationId"].as_str().expect("operationId");
                let parameters: Vec<&Value> = operation
                    .get("parameters")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(|p| self.resolve(p))
                    .collect();
                let mut valid = Request {
                    method: method.clone(),
                    path: Vec::new(),
                    template: template.clone(),
                    query: Vec::new(),
                    headers: Vec::new(),
                    content_type: None,
                    body: None,
                };
                for parameter in &parameters {
                    let entry = (
                        parameter["name"].as_str().expect("name").to_owned(),
                        self.valid_value(parameter),
                    );
                    match parameter["in"].as_str() {
                        Some("path") => valid.path.push(entry),
                        Some("query") => valid.query.push(entry),
                        Some("header") => valid.headers.push(entry),
                        other => panic!("parameter location {other:?}"),
                    }
                }
                let credential_headers = self.credential_headers(operation);
                if !credential_headers.is_empty() {
                    let mut request = valid.clone();
                    request.headers.retain(|(name, _)| {
                        !credential_headers.contains(&name.to_ascii_lowercase())
                    });
                    broken.push(Broken {
                        what: format!("{id}: no credentials"),
                        kind: "missing-credentials",
                        request,
                    });
                }
                let body = operation
                    .get("requestBody")
                    .map(|body| &self.resolve(body)["content"]["application/json"]);
                if let Some(media) = body {
                    let example = media["examples"]
                        .as_object()
                        .and_then(|e| e.values().next())
                        .expect("a body example");
                    valid.content_type = Some("application/json".into());
                    valid.body = Some(self.resolve(example)["value"].to_string().into_bytes());
                }
                broken.push(Broken {
                    what: format!("{id}: valid"),
                    kind: "none",
                    request: valid.clone(),
                });

                for parameter in &parameters {
                    let name = parameter["name"].as_str().expect("name");
                    let location = parameter["in"].as_str().expect("in");
                    let kind = match location {
                        "path" => "invalid-path",
                        "query" => "invalid-query",
                        _ => "invalid-header",
                    };
                    for (what, value) in self.invalid_values(&parameter["schema"]) {
                        if location == "path" && value.is_empty() {
                            continue; // an empty segment matches no route at all
                        }
                        let mut request = valid.clone();
                        let list = match location {
                            "path" => &mut request.path,
                            "query" => &mut request.query,
                            _ => &mut request.headers,
                        };
                        list.iter_mut()
                            .filter(|(n, _)| n == name)
                            .for_each(|(_, v)| *v = value.clone());
                        broken.push(Broken {
                            what: format!("{id}: {location} `{name}` {what}"),
                            kind,
                            request,
                        });
                    }
                    if location == "query" {
                        // Given twice, a parameter is ambiguous: refused, not guessed.
                        let mut request = valid.clone();
                        let value = self.valid_value(parameter);
                        request.query.push((name.to_owned(), value));
                        broken.push(Broken {
                            what: format!("{id}: query `{name}` given twice"),
                            kind,
                            request,
                        });
                    }
                    if location == "header" && parameter["required"] == true {
                        let mut request = valid.clone();
                        request.headers.retain(|(n, _)| n != name);
                        broken.push(Broken {
                            what: format!("{id}: header `{name}` missing"),
                            kind: "missing-header",
                            request,
                        });
                    }
                }

                if let Some(media) = body {
                    let example: Value =
                        serde_json::from_slice(valid.body.as_deref().expect("body")).expect("JSON");
                    for (what, mutated) in self.body_mutations(&media["schema"], &example, "") {
                        let mut request = valid.clone();
                        request.body = Some(mutated.to_string().into_bytes());
                        broken.push(Broken {
                            what: format!("{id}: body {what}"),
                            kind: "invalid-body",
                            request,
                        });
                    }
                    let raw = valid.body.clone().expect("body");
                    let mut cases = vec![
                        (
                            "malformed JSON",
                            "invalid-body",
                            Some("application/json"),
                            raw[..raw.len() / 2].to_vec(),
                        ),
                        (
                            "empty body",
                            "invalid-body",
                            Some("application/json"),
                            Vec::new(),
                        ),
                        (
                            "text/plain body",
                            "unsupported-media-type",
                            Some("text/plain"),
                            raw.clone(),
                        ),
                        (
                            "no content type",
                            "unsupported-media-type",
                            None,
                            raw.clone(),
                        ),
                    ];
                    let mut oversized = raw.clone();
                    oversized.resize(body_limit + 1, b' ');
                    cases.push((
                        "body over the size limit",
                        "body-too-large",
                        Some("application/json"),
                        oversized,
                    ));
                    for (what, kind, content_type, bytes) in cases {
                        let mut request = valid.clone();
                        request.content_type = content_type.map(str::to_owned);
                        request.body = Some(bytes);
                        broken.push(Broken {
                            what: format!("{id}: {what}"),
                            kind,
                            request,
                        });
                    }
                }
            }
        }
        broken
    }

    /// Lower-case names of the headers that carry the credentials of any of
    /// the operation's security alternatives (none when one needs nothing).
    fn credential_headers(&self, operation: &Value) -> Vec<String> {
        let requirements = operation
            .get("security")
            .or_else(|| self.root.get("security"));
        let mut names = Vec::new();
        for requirement in requirements.and_then(Value::as_array).into_iter().flatten() {
            let Some(requirement) = requirement.as_object() else {
                continue;
            };
            if requirement.is_empty() {
                return Vec::new();
            }
            for scheme in requirement.keys() {
                let scheme = &self.root["components"]["securitySchemes"][scheme];
                if scheme["in"] == "header" {
                    names.push(
                        scheme["name"]
                            .as_str()
                            .expect("header name")
                            .to_ascii_lowercase(),
                    );
                }
            }
        }
        names
    }

    /// Copies of `value` that each break one rule of `schema`: a required
    /// member removed, an enum value outside the set, a member of the wrong
    /// JSON type (recursing into members that are objects).
    fn body_mutations(&self, schema: &Value, value: &Value, at: &str) -> Vec<(String, Value)> {
        let schema = self.resolve(schema);
        let mut mutations = Vec::new();
        let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
            return mutations;
        };
        for required in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let name = required.as_str().expect("required name");
            let mut mutated = value.clone();
            mutated.as_object_mut().expect("object").remove(name);
            mutations.push((format!("without required `{at}{name}`"), mutated));
        }
        for (name, property) in properties {
            let property = self.resolve(property);
            let mut set = |what: String, replacement: Value| {
                let mut mutated = value.clone();
                mutated
                    .as_object_mut()
                    .expect("object")
                    .insert(name.clone(), replacement);
                mutations.push((format!("`{at}{name}` {what}"), mutated));
            };
            if let Some(values) = property.get("enum").and_then(Value::as_array) {
                let outside = match values.iter().filter_map(Value::as_i64).max() {
                    Some(max) => json!(max + 1),
                    None => json!("NOT-A-LISTED-VALUE"),
                };
                set(format!("{outside} outside its enum"), outside);
            }
            let wrong = match property.get("type").and_then(Value::as_str) {
                Some("string") => json!(5),
                Some("integer" | "number" | "array" | "object" | "boolean") => json!("x"),
                _ => Value::Null,
            };
            if !wrong.is_null() {
                set(format!("of the wrong type ({wrong})"), wrong);
            }
            if property.get("type").and_then(Value::as_str) == Some("object") {
                let inner = value.get(name).cloned().unwrap_or_else(|| json!({}));
                for (what, mutated_inner) in
                    self.body_mutations(property, &inner, &format!("{at}{name}."))
                {
                    let mut mutated = value.clone();
                    mutated
                        .as_object_mut()
                        .expect("object")
                        .insert(name.clone(), mutated_inner);
                    mutations.push((what, mutated));
                }
            }
        }
        mutations
    }

    /// (status, code) `x-request-errors` gives a problem kind of the
    /// operation `id`: a list of statuses means the first it documents.
    fn expected(&self, kind: &str, id: &str) -> (u16, String) {
        let problems = &self.root["x-request-errors"]["problems"];
        let answer = problems.get(kind).unwrap_or(&problems["default"]);
        let candidates: Vec<u64> = match &answer["status"] {
            Value::Array(list) => list.iter().filter_map(Value::as_u64).collect(),
            single => single.as_u64().into_iter().collect(),
        };
        let operation = self.operation(id);
        let status = candidates
            .iter()
            .copied()
            .find(|status| operation["responses"].get(status.to_string()).is_some())
            .or(candidates.first().copied())
            .expect("status");
        (
            status as u16,
            answer["code"].as_str().expect("code").to_owned(),
        )
    }

    /// The operation whose `operationId` is `id`.
    fn operation(&self, id: &str) -> &Value {
        self.root["paths"]
            .as_object()
            .into_iter()
            .flatten()
            .flat_map(|(_, item)| item.as_object().into_iter().flatten())
            .map(|(_, operation)| operation)
            .find(|operation| operation["operationId"] == id)
            .expect("an operation with that id")
    }

    /// Where the code sits in an error body: the template's `{code}`,
    /// inside the envelope's error member when the API has an envelope.
    fn code_pointer(&self) -> String {
        fn find(value: &Value, at: String) -> Option<String> {
            match value {
                Value::String(s) if s == "{code}" => Some(at),
                Value::Object(members) => members
                    .iter()
                    .find_map(|(k, v)| find(v, format!("{at}/{k}"))),
                _ => None,
            }
        }
        let inner = find(&self.root["x-request-errors"]["body"], String::new())
            .expect("the template has {code}");
        let envelope = self.root["components"]["schemas"]
            .as_object()
            .into_iter()
            .flatten()
            .find_map(|(_, schema)| schema.get("x-envelope").and_then(|e| e["error"].as_str()));
        match envelope {
            Some(member) => format!("/{member}{inner}"),
            None => inner,
        }
    }
}

async fn check_spec(file: &str, router: axum::Router, body_limit: usize) -> usize {
    let spec = Spec {
        root: support::load(file),
    };
    let address = serve(router).await;
    let code_pointer = spec.code_pointer();
    let mut broken_count = 0;
    for Broken {
        what,
        kind,
        request,
    } in spec.broken_requests(body_limit)
    {
        let (status, body) = request.send(address).await;
        if kind == "none" {
            assert_eq!(status, 200, "{what}: {body}");
            continue;
        }
        broken_count += 1;
        let operation = what.split(':').next().expect("operation id");
        let (expected_status, expected_code) = spec.expected(kind, operation);
        assert_eq!(status, expected_status, "{what}: {body}");
        // The documented schema of that status, as the client reads it.
        let error_schema = error_schema_name(&spec, operation, status);
        if let Err(error) = support::decoder(file)(&error_schema, &body) {
            panic!("{what}: the {status} body is not a `{error_schema}`: {error}: {body}");
        }
        assert_eq!(
            body.pointer(&code_pointer).and_then(Value::as_str),
            Some(expected_code.as_str()),
            "{what}: {body}"
        );
    }
    eprintln!(
        "{file}: {broken_count} requests, each breaking one constraint, got the documented error"
    );
    broken_count
}

fn error_schema_name(spec: &Spec, operation_id: &str, status: u16) -> String {
    for item in spec.root["paths"].as_object().expect("paths").values() {
        for operation in item.as_object().expect("path item").values() {
            if operation["operationId"] == operation_id {
                let response = spec.resolve(&operation["responses"][status.to_string()]);
                return support::schema_name(&response["content"]["application/json"]["schema"]);
            }
        }
    }
    panic!("no operation `{operation_id}`")
}

fn answers_200(file: &str) -> Arc<BTreeMap<String, Value>> {
    let spec = Spec {
        root: support::load(file),
    };
    let mut answers = BTreeMap::new();
    for item in spec.root["paths"].as_object().expect("paths").values() {
        for operation in item.as_object().expect("path item").values() {
            let media =
                &spec.resolve(&operation["responses"]["200"])["content"]["application/json"];
            let example = media["examples"]
                .as_object()
                .and_then(|e| e.values().next())
                .expect("a 200 example");
            answers.insert(
                operation["operationId"].as_str().expect("id").to_owned(),
                spec.resolve(example)["value"].clone(),
            );
        }
    }
    Arc::new(answers)
}

#[tokio::test]
async fn every_dbss_constraint_gets_the_documented_400() {
    let router = dbss_server::router(Documented(answers_200("dbss.yaml")));
    let count = check_spec("dbss.yaml", router, dbss_server::BODY_LIMIT).await;
    assert!(
        count >= 50,
        "only {count} broken requests derived from dbss.yaml"
    );
}

#[tokio::test]
async fn every_obshell_constraint_gets_the_documented_400() {
    let router = obshell_server::router(Documented(answers_200("obshell.yaml")));
    let count = check_spec("obshell.yaml", router, obshell_server::BODY_LIMIT).await;
    assert!(
        count >= 2,
        "only {count} broken requests derived from obshell.yaml"
    );
}

#[test]
fn the_cases_issue_4_names_are_among_the_derived_ones() {
    let spec = Spec {
        root: support::load("dbss.yaml"),
    };
    let whats: Vec<String> = spec
        .broken_requests(1)
        .into_iter()
        .map(|b| b.what)
        .collect();
    let (limit, project_id) = (
        "list_audit_summary_infos: query `limit`",
        "list_audit_summary_infos: path `project_id`",
    );
    let (min, max, min_length) = (Limit::MIN, Limit::MAX, ProjectId::MIN_LENGTH);
    let outside = Regenerate::VALUES.iter().max().map_or(0, |max| max + 1);
    for expected in [
        format!("{limit} `0` (pattern"),
        format!("{limit} `{}` (minimum {min})", min - 1),
        format!("{limit} `{}` (maximum {max})", max + 1),
        format!(
            "{project_id} {} characters (minLength {min_length})",
            min_length - 1
        ),
        "count_db_client_session: no credentials".to_owned(),
        "count_db_client_session: malformed JSON".to_owned(),
        format!("count_operation_statistics: body `regenerate` {outside} outside its enum"),
    ] {
        assert!(
            whats.iter().any(|what| what.starts_with(&expected)),
            "no derived case `{expected}` in {whats:#?}"
        );
    }
}

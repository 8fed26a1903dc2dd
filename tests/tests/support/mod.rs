//! Shared by the workspace tests: the specs as JSON, loopback servers, and
//! the registry (`spec_tests::apis`, generated from `xtask/apis.toml`) that
//! maps each component schema to its generated Rust type.

#![allow(dead_code)] // each test file uses its own part

pub mod flaky;

use serde::de::DeserializeOwned;
use serde_json::Value;

/// Serves `router` on a free port of 127.0.0.1; returns its address.
pub async fn serve(router: axum::Router) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, router).await });
    address
}

/// A GET of `path` carrying `headers`, whose values may be any bytes (an
/// attacker's): the status and the body decoded as `T`.
pub async fn raw_get<T: DeserializeOwned>(
    address: std::net::SocketAddr,
    path: &str,
    headers: &[(&str, &[u8])],
) -> (u16, T) {
    let mut request = reqwest::Client::new().get(format!("http://{address}{path}"));
    for (name, value) in headers {
        request = request.header(
            *name,
            reqwest::header::HeaderValue::from_bytes(value).expect("a header value"),
        );
    }
    let response = request.send().await.expect("sent");
    let status = response.status().as_u16();
    let body = response.bytes().await.expect("body");
    let decoded = serde_json::from_slice(&body)
        .unwrap_or_else(|error| panic!("{status}: {error}: {:?}", String::from_utf8_lossy(&body)));
    (status, decoded)
}

/// The spec `openapi/<file>` as JSON.
pub fn load(file: &str) -> Value {
    let path = xtask::workspace_root().join("openapi").join(file);
    let text = std::fs::read_to_string(&path).expect("spec is readable");
    openapi_source::SourceDoc::parse(&text)
        .expect("spec parses")
        .value()
        .clone()
}

pub use spec_tests::Decoded;

/// The first JSON Pointer at which `left` and `right` differ, if any.
/// Numbers differ when their kinds do (`0` is not `0.0`).
pub fn first_difference(left: &Value, right: &Value) -> Option<String> {
    match (left, right) {
        (Value::Object(a), Value::Object(b)) => {
            for key in a.keys().chain(b.keys()) {
                match (a.get(key), b.get(key)) {
                    (Some(x), Some(y)) => {
                        if let Some(path) = first_difference(x, y) {
                            return Some(format!("/{key}{path}"));
                        }
                    }
                    _ => return Some(format!("/{key}")),
                }
            }
            None
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                return Some(format!(" (length {} against {})", a.len(), b.len()));
            }
            a.iter().zip(b).enumerate().find_map(|(index, (x, y))| {
                first_difference(x, y).map(|path| format!("/{index}{path}"))
            })
        }
        (Value::Number(a), Value::Number(b)) => {
            let same = a == b && a.is_f64() == b.is_f64() && a.is_i64() == b.is_i64();
            (!same).then(String::new)
        }
        (a, b) => (a != b).then(String::new),
    }
}

/// The decoder of a spec file's types (`dbss.yaml`).
pub fn decoder(spec: &str) -> fn(&str, &Value) -> Result<Decoded, String> {
    spec_tests::Api::by_spec_file(spec).decode
}

/// `X` for `$ref: .../X`, `[X]` for an array of them, else the JSON type.
pub fn schema_name(schema: &Value) -> String {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        return reference.rsplit('/').next().unwrap_or_default().to_owned();
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("array") => format!("[{}]", schema_name(&schema["items"])),
        Some(other) => other.to_owned(),
        None => panic!("schema without type or $ref: {schema}"),
    }
}

//! The requests `cargo xtask corpus` drives a generated mock with.

use serde_json::json;
use xtask::corpus::drive_requests;

/// A mock forgets what a DELETE removed, and what lies under it: the
/// DELETEs go after every other request, the deepest path first.
#[test]
fn deletes_go_last_deepest_first() {
    let spec = json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/boards/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string", "enum": ["b"]}}],
                "get": {"operationId": "getBoard", "responses": {"200": {"description": "ok"}}},
                "delete": {"operationId": "deleteBoard", "responses": {"204": {"description": "gone"}}}
            },
            "/boards/{id}/labels/{label}": {
                "parameters": [
                    {"name": "id", "in": "path", "required": true, "schema": {"type": "string", "enum": ["b"]}},
                    {"name": "label", "in": "path", "required": true, "schema": {"type": "string", "enum": ["l"]}}
                ],
                "delete": {"operationId": "deleteLabel", "responses": {"204": {"description": "gone"}}},
                "get": {"operationId": "getLabel", "responses": {"200": {"description": "ok"}}}
            }
        }
    });
    let order: Vec<(String, String)> = drive_requests(&spec)
        .into_iter()
        .map(|(id, method, ..)| (id, method))
        .collect();
    let expected = [
        ("getBoard", "GET"),
        ("getLabel", "GET"),
        ("deleteLabel", "DELETE"),
        ("deleteBoard", "DELETE"),
    ];
    assert_eq!(
        order,
        expected.map(|(id, method)| (id.to_owned(), method.to_owned()))
    );
}

/// An upload is sent as a multipart body with a boundary, a part per
/// member (an array's items a part each): the server reads and checks it.
#[test]
fn a_multipart_body_is_sent_as_parts() {
    let spec = json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/imports": {"post": {
            "operationId": "createImport",
            "requestBody": {"required": true, "content": {"multipart/form-data": {"schema": {
                "type": "object", "required": ["file", "tags"],
                "properties": {
                    "file": {"type": "string", "format": "binary", "enum": ["a,b"]},
                    "tags": {"type": "array", "items": {"type": "string", "enum": ["x"]},
                             "minItems": 2}}}}}},
            "responses": {"201": {"description": "created"}}}}}
    });
    let drives = drive_requests(&spec);
    let (_, _, _, headers, body) = &drives[0];
    let content_type = headers.iter().find(|(name, _)| name == "content-type");
    let boundary = "corpus-drive-boundary";
    assert_eq!(
        content_type.map(|(_, value)| value.as_str()),
        Some("multipart/form-data; boundary=corpus-drive-boundary")
    );
    let part = |name: &str, text: &str| {
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{text}\r\n")
    };
    let expected = [part("file", "a,b"), part("tags", "x"), part("tags", "x")].concat()
        + &format!("--{boundary}--\r\n");
    assert_eq!(body.as_deref(), Some(expected.as_str()));
}

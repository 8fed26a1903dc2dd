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

//! The behaviour test of all-of-through-an-alias.yaml (the corpus run puts
//! it in the scratch server crate's `tests/`): the member of the part
//! beside the alias is checked, and answered.

mod common;

async fn status(body: &str) -> u16 {
    let url = format!("{}/teams", common::mock().await);
    let headers = [("content-type", "application/json")];
    common::send(reqwest::Method::POST, &url, &headers, Some(body.as_bytes()))
        .await
        .0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_member_beside_the_alias_is_checked() {
    assert_eq!(status(r#"{"data": {"gid": "1", "endorsed": true}}"#).await, 201);
    assert_eq!(status(r#"{"data": {"gid": "1", "endorsed": {}}}"#).await, 400);
    assert_eq!(status(r#"{"data": {"gid": 1}}"#).await, 400);
}

#[test]
fn the_merged_type_keeps_both_parts_members() {
    let written = serde_json::json!({"gid": "1", "endorsed": true});
    let team: corpus_types::TeamRequest =
        serde_json::from_value(written.clone()).expect("a team");
    let json = serde_json::to_value(&team).expect("serializes");
    assert_eq!(json, written);
}

//! The behaviour test of all-of-member-in-two-parts.yaml (the corpus run
//! puts it in the scratch server crate's `tests/`): the mock's answer,
//! made from the merged schema, gives `ipv4` the first part's shape.

mod common;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_keeps_the_shape_an_earlier_part_gives_it() {
    let answer = reqwest::get(format!("{}/clusters/1/acl", common::mock().await))
        .await
        .expect("answered");
    assert_eq!(answer.status().as_u16(), 200);
    let body: serde_json::Value = answer.json().await.expect("JSON");
    let ipv4 = &body["acl"]["addresses"]["ipv4"];
    assert!(
        ipv4.as_array().is_some_and(|items| items.iter().all(serde_json::Value::is_string)),
        "ipv4 is not an array of strings: {body}"
    );
}

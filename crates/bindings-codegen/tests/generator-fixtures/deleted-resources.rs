//! The behaviour test of deleted-resources.yaml (the corpus run puts it in
//! the scratch server crate's `tests/`): the generated mock remembers
//! what it deleted.

mod common;

use common::mock;
use reqwest::Method;

/// The status of `method url`; a POST carries a pet.
async fn status(method: Method, url: &str) -> u16 {
    if method == Method::POST {
        common::post(url, "application/json", r#"{"id": 1, "name": "Rex"}"#).await
    } else {
        common::send(method, url, &[], None).await.0
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_pet_is_gone_until_one_is_created() {
    let base = mock().await;
    let pet = format!("{base}/pets/1");
    assert_eq!(status(Method::GET, &pet).await, 200);
    assert_eq!(status(Method::DELETE, &pet).await, 204);
    assert_eq!(status(Method::GET, &pet).await, 404);
    assert_eq!(status(Method::DELETE, &pet).await, 404);
    // Another pet, and an operation that documents no 404, as before.
    assert_eq!(status(Method::GET, &format!("{base}/pets/2")).await, 200);
    assert_eq!(status(Method::GET, &format!("{pet}/photo")).await, 200);
    // Asked for by `Prefer`, the documented 200 still.
    let (preferred, _) = common::send(Method::GET, &pet, &[("prefer", "code=200")], None).await;
    assert_eq!(preferred, 200);
    assert_eq!(status(Method::POST, &format!("{base}/pets")).await, 201);
    assert_eq!(status(Method::GET, &pet).await, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_toy_gets_the_default_answer_as_404() {
    let base = mock().await;
    let toy = format!("{base}/toys/ball");
    assert_eq!(status(Method::DELETE, &toy).await, 204);
    let (code, text) = common::send(Method::GET, &toy, &[], None).await;
    assert_eq!(code, 404);
    let body: serde_json::Value = serde_json::from_str(&text).expect("the default answer's JSON");
    assert!(body.get("message").is_some(), "{body}");
}

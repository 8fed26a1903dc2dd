//! The behaviour test of wildcard-answer.yaml (the corpus run puts it in
//! the scratch server crate's `tests/`): a `*/*` answer carries a media
//! type.

mod common;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_star_star_answer_is_octet_stream() {
    let answer = reqwest::get(format!("{}/debug/binary", common::mock().await))
        .await
        .expect("answered");
    assert!(answer.status().is_success(), "{}", answer.status());
    assert_eq!(answer.headers()["content-type"], "application/octet-stream");
}

//! The behaviour test of allow-empty-value-flag.yaml (the corpus run puts
//! it in the scratch server crate's `tests/`): an empty value is taken
//! where the parameter `allowEmptyValue`, and only there.

mod common;

async fn status(query: &str) -> u16 {
    let url = format!("{}/tasks?{query}", common::mock().await);
    common::send(reqwest::Method::GET, &url, &[], None).await.0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_value_is_taken_where_it_is_allowed() {
    assert_eq!(status("opt_pretty=").await, 200);
    assert_eq!(status("opt_pretty").await, 200);
    assert_eq!(status("opt_pretty=true").await, 200);
    assert_eq!(status("name=").await, 200);
    assert_eq!(status("status=").await, 200);
    assert_eq!(status("status=open&status=done").await, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_values_are_still_checked() {
    assert_eq!(status("opt_pretty=maybe").await, 400);
    assert_eq!(status("opt_pretty=&opt_pretty=true").await, 400);
    assert_eq!(status("limit=").await, 400);
    assert_eq!(status("status=later").await, 400);
    assert_eq!(status("status=&status=open").await, 400);
}

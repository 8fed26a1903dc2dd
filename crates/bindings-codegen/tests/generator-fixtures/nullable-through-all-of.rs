//! The behaviour test of nullable-through-all-of.yaml (the corpus run puts
//! it in the scratch server crate's `tests/`): `null` is a value of an
//! `allOf` of a nullable schema.

mod common;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn null_is_taken_through_an_all_of() {
    let url = format!("{}/rules", common::mock().await);
    for body in [
        r#"{"target_issue_type": null}"#,
        r#"{"target_issue_type": {"id": "10004"}}"#,
        r#"{"target_project": null}"#,
        r#"{}"#,
    ] {
        assert_eq!(common::post(&url, "application/json", body).await, 200, "{body}");
    }
    for body in [r#"{"target_issue_type": 5}"#, r#"{"target_issue_type": {}}"#] {
        assert_eq!(common::post(&url, "application/json", body).await, 400, "{body}");
    }
}

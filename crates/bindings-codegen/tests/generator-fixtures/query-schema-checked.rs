//! The behaviour test of query-schema-checked.yaml (the corpus run puts it
//! in the scratch server crate's `tests/`): a query its Rust types take but
//! its schema refuses gets the documented 400.

mod common;

async fn status(query: &str) -> u16 {
    let url = format!("{}/points?{query}", common::mock().await);
    common::send(reqwest::Method::GET, &url, &[], None).await.0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_query_that_fits_is_answered() {
    assert_eq!(status("limit=5").await, 200);
    assert_eq!(status("limit=5&consistency=all").await, 200);
    assert_eq!(status("limit=5&consistency=3").await, 200);
    assert_eq!(status("limit=5&results=vectors&results=payload").await, 200);
    assert_eq!(status("limit=5&since=2026-12-06").await, 200);
    // `7` is text for a union of strings, as its schema takes it.
    assert_eq!(status("limit=5&id=7").await, 200);
    assert_eq!(status("limit=5&id=7&id=8").await, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_query_its_schema_refuses_gets_the_documented_400() {
    // Below the union's minimum, one value given twice, an item outside
    // the enum (an empty one among them), not a date, past the maximum,
    // the required one missing.
    for query in [
        "limit=5&consistency=0",
        "limit=5&consistency=3&consistency=all",
        "limit=5&results=",
        "limit=5&results=vectors&results=other",
        "limit=5&since=yesterday",
        "limit=101",
        "consistency=all",
    ] {
        assert_eq!(status(query).await, 400, "{query}");
    }
}

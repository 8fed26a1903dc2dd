//! The behaviour test of form-body-closed-without-members.yaml (the
//! corpus run puts it in the scratch server crate's `tests/`): a form body
//! whose schema names no member and takes no other is taken empty or
//! left out, and refused with any pair.

mod common;

async fn delete(body: Option<&str>) -> u16 {
    let url = format!("{}/v1/accounts/acct_1", common::mock().await);
    let form = [("content-type", "application/x-www-form-urlencoded")];
    let headers: &[(&str, &str)] = if body.is_some() { &form } else { &[] };
    let body = body.map(str::as_bytes);
    common::send(reqwest::Method::DELETE, &url, headers, body).await.0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_body_or_none_is_taken() {
    assert_eq!(delete(None).await, 200);
    assert_eq!(delete(Some("")).await, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn any_pair_is_refused() {
    assert_eq!(delete(Some("x-schemathesis-unknown-property=42")).await, 400);
    assert_eq!(delete(Some("expand[]=a")).await, 400);
}

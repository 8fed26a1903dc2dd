//! The behaviour test of form-body-deep-objects.yaml (the corpus run puts
//! it in the scratch server crate's `tests/`): bracketed members read by
//! their schema and checked against it, however deep.

mod common;

async fn status(body: &str) -> u16 {
    let url = format!("{}/customers", common::mock().await);
    common::post(&url, "application/x-www-form-urlencoded", body).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bracketed_members_that_keep_their_schema_are_taken() {
    let body = "email=a&shipping[name]=n&shipping[address][country]=NO\
                &items[0][price]=p&items[0][quantity]=2&items[1][price]=q\
                &expand[]=x&expand[]=y&metadata[k]=v";
    assert_eq!(status(body).await, 200);
    assert_eq!(status("email=a&metadata=").await, 200);
    // An empty list two brackets deep, as a nested empty list is written.
    assert_eq!(status("email=a&shipping[name]=n&shipping[address]=").await, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_constraint_broken_inside_brackets_gets_the_documented_400() {
    for body in [
        "email=a&shipping[name]=n&shipping[address][country]=NOR",
        "email=a&items[0][price]=p&items[0][quantity]=101",
        "email=a&shipping[address][city]=x",
        "email=a&metadata=x",
        "email=a&shipping=x&shipping[name]=n",
    ] {
        assert_eq!(status(body).await, 400, "{body}");
    }
}

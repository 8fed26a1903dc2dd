//! The behaviour test of path-segment-several-parameters.yaml (the corpus
//! run puts it in the scratch server crate's `tests/`): each parameter of
//! a segment is taken out of it and checked by its own schema.

mod common;

async fn status(url: String) -> u16 {
    common::send(reqwest::Method::GET, &url, &[], None).await.0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn segments_that_fit_their_template_are_answered() {
    let mock = common::mock().await;
    assert_eq!(status(format!("{mock}/names/22474.json")).await, 200);
    assert_eq!(status(format!("{mock}/names/-1.xml")).await, 200);
    assert_eq!(status(format!("{mock}/tiles/(1-2).png")).await, 200);
    // The last parameter takes what the others leave.
    assert_eq!(status(format!("{mock}/tiles/(1-2).tar.gz")).await, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_parameter_is_checked_by_its_schema() {
    let mock = common::mock().await;
    assert_eq!(status(format!("{mock}/names/abc.json")).await, 400);
    assert_eq!(status(format!("{mock}/names/22474.pdf")).await, 400);
    // The first `.` ends `nameId`: `1` then `5.json`, not an enum value.
    assert_eq!(status(format!("{mock}/names/1.5.json")).await, 400);
    assert_eq!(status(format!("{mock}/tiles/(1-x).png")).await, 400);
    assert_eq!(status(format!("{mock}/tiles/(-1-2).png")).await, 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn segments_without_their_text_are_refused() {
    let mock = common::mock().await;
    assert_eq!(status(format!("{mock}/names/22474")).await, 400);
    assert_eq!(status(format!("{mock}/tiles/1-2.png")).await, 400);
}

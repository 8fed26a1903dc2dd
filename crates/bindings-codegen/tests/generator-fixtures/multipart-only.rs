//! The behaviour test of multipart-only.yaml (the corpus run puts it in
//! the scratch server crate's `tests/`): an upload is checked against its
//! schema part by part, whatever bytes its file holds.

mod common;

async fn post(parts: &[(&str, Option<&str>, &[u8])]) -> u16 {
    let (content_type, body) = common::multipart(parts);
    send(&content_type, body).await
}

async fn send(content_type: &str, body: Vec<u8>) -> u16 {
    let url = format!("{}/imports", common::mock().await);
    common::post(&url, content_type, body).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_that_fit_are_taken() {
    let csv: &[u8] = &[0xff, 0xfe, b'a', b',', 0x00];
    assert_eq!(post(&[("file", Some("text/csv"), csv)]).await, 201);
    let full: [(&str, Option<&str>, &[u8]); 3] = [
        ("file", None, csv),
        ("on_conflict", None, b"upsert"),
        ("limit", None, b"5"),
    ];
    assert_eq!(post(&full).await, 201);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_the_schema_refuses_get_400() {
    // The required file missing, a value outside the enum, a limit below
    // its minimum, a limit that is not a number.
    let cases: [&[(&str, Option<&str>, &[u8])]; 4] = [
        &[("on_conflict", None, b"skip")],
        &[("file", None, b"a"), ("on_conflict", None, b"never")],
        &[("file", None, b"a"), ("limit", None, b"0")],
        &[("file", None, b"a"), ("limit", None, b"five")],
    ];
    for parts in cases {
        assert_eq!(post(parts).await, 400, "{parts:?}");
    }
    // Not multipart, though its content type says so (schemathesis' `[]`).
    let broken = b"--b0und\r\n[]--b0und--\r\n".to_vec();
    assert_eq!(send("multipart/form-data; boundary=b0und", broken).await, 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_in_a_media_type_not_documented_gets_the_documented_400() {
    // The operation documents no 415: its documented client error answers.
    assert_eq!(send("application/json", br#"{"file": "a"}"#.to_vec()).await, 400);
}

async fn post_item(parts: &[(&str, Option<&str>, &[u8])]) -> u16 {
    let (content_type, body) = common::multipart(parts);
    let url = format!("{}/items", common::mock().await);
    common::post(&url, &content_type, body).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_union_upload_is_checked_through_its_alternatives() {
    let drink: [(&str, Option<&str>, &[u8]); 3] = [
        ("category", None, b"drink"),
        ("name", None, b"coffee"),
        ("volume", None, b"0.3"),
    ];
    assert_eq!(post_item(&drink).await, 201);
    let cake: [(&str, Option<&str>, &[u8]); 3] = [
        ("category", None, b"cake"),
        ("name", None, b"tart"),
        ("photo", Some("image/webp"), &[0x52, 0xff]),
    ];
    assert_eq!(post_item(&cake).await, 201);
    // No `category`, a drink without its volume, a category of neither.
    let cases: [&[(&str, Option<&str>, &[u8])]; 3] = [
        &[("name", None, b"coffee"), ("volume", None, b"0.3")],
        &[("category", None, b"drink"), ("name", None, b"coffee")],
        &[("category", None, b"tea"), ("name", None, b"x")],
    ];
    for parts in cases {
        assert_eq!(post_item(parts).await, 400, "{parts:?}");
    }
}

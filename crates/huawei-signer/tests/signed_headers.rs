//! A signature must cover what a replay could otherwise change: `Host`,
//! `X-Project-Id` when sent, and `X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD`
//! when sent (else anyone could drop the body from the signature).

use chrono::{DateTime, Utc};
use http::{HeaderMap, HeaderValue};
use huawei_signer::{Credentials, Received, VerifyError, verify};
use zeroize::Zeroizing;

const PATH: &str = "/v1/project/audit";

fn now() -> DateTime<Utc> {
    Utc::now()
}

/// `headers` signed by AK/SK over `body`, as the signer signs every header
/// present at the time.
fn signed(mut headers: HeaderMap, body: &[u8]) -> HeaderMap {
    Credentials::new("AK", "SK")
        .sign_at("POST", PATH, None, &mut headers, body, now())
        .expect("signs");
    headers
}

fn verified(headers: &HeaderMap, body: &[u8]) -> Result<String, VerifyError> {
    let request = Received {
        method: "POST",
        path: PATH,
        query: None,
        headers,
        body,
    };
    verify(&request, now(), chrono::Duration::minutes(15), |key| {
        (key == "AK").then(|| Zeroizing::new("SK".to_owned()))
    })
}

fn with(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for (name, value) in pairs {
        headers.insert(*name, HeaderValue::from_static(value));
    }
    headers
}

#[test]
fn a_signature_over_host_and_project_verifies() {
    let headers = signed(with(&[("host", "h"), ("x-project-id", "p")]), b"{}");
    assert_eq!(verified(&headers, b"{}"), Ok("AK".into()));
}

#[test]
fn a_signature_without_host_is_refused() {
    let headers = signed(HeaderMap::new(), b"{}");
    assert_eq!(
        verified(&headers, b"{}"),
        Err(VerifyError::UnsignedHeader("host"))
    );
}

#[test]
fn a_host_added_after_signing_is_refused() {
    let mut headers = signed(HeaderMap::new(), b"{}");
    headers.insert("host", HeaderValue::from_static("another-endpoint"));
    assert_eq!(
        verified(&headers, b"{}"),
        Err(VerifyError::UnsignedHeader("host"))
    );
}

#[test]
fn a_project_id_added_after_signing_is_refused() {
    let mut headers = signed(with(&[("host", "h")]), b"{}");
    headers.insert("x-project-id", HeaderValue::from_static("another-project"));
    assert_eq!(
        verified(&headers, b"{}"),
        Err(VerifyError::UnsignedHeader("x-project-id"))
    );
}

#[test]
fn an_unsigned_payload_marker_added_after_signing_is_refused() {
    let mut headers = signed(with(&[("host", "h")]), b"{}");
    headers.insert(
        "x-sdk-content-sha256",
        HeaderValue::from_static("UNSIGNED-PAYLOAD"),
    );
    assert_eq!(
        verified(&headers, b"another body"),
        Err(VerifyError::UnsignedHeader("x-sdk-content-sha256"))
    );
}

#[test]
fn a_signed_unsigned_payload_marker_is_honoured() {
    let headers = signed(
        with(&[("host", "h"), ("x-sdk-content-sha256", "UNSIGNED-PAYLOAD")]),
        b"{}",
    );
    assert_eq!(verified(&headers, b"any body"), Ok("AK".into()));
}

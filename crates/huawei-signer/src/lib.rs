//! Huawei Cloud `SDK-HMAC-SHA256` request signing (access key / secret key),
//! as the vendor's SDKs implement it (`core/auth/signer/signer.go`), and its
//! verification on the server side.
//!
//! 1. `X-Sdk-Date: YYYYMMDDTHHMMSSZ` (UTC) is set and always signed.
//! 2. The canonical request joins with `\n`: the method; the canonical URI
//!    (each path segment percent-encoded, all but `A-Za-z0-9-_.~` as
//!    upper-case `%XX`, with a trailing `/`); the canonical query (names and
//!    values encoded the same way, sorted by name then value); one
//!    `name:value\n` line per signed header, sorted; the signed header names
//!    joined by `;`; the hex SHA-256 of the body (or `UNSIGNED-PAYLOAD` when
//!    `X-Sdk-Content-Sha256` says so).
//! 3. The string to sign is `SDK-HMAC-SHA256\n{date}\n{hex sha256(canonical)}`.
//! 4. The signature is the hex HMAC-SHA256 of it under the secret key, sent as
//!    `Authorization: SDK-HMAC-SHA256 Access={ak}, SignedHeaders={names}, Signature={sig}`.
//!
//! ```
//! use huawei_signer::Credentials;
//!
//! let credentials = Credentials::new("AccessKey", "SecretKey");
//! let mut headers = http::HeaderMap::new();
//! let when = chrono::DateTime::parse_from_rfc3339("2006-01-02T15:04:05Z").unwrap().to_utc();
//! credentials.sign_at("GET", "/path", Some("limit=1"), &mut headers, b"", when).unwrap();
//! assert_eq!(
//!     headers["authorization"],
//!     "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, \
//!      Signature=5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624"
//! );
//! ```

use std::fmt;

use chrono::{DateTime, NaiveDateTime, Utc};
use hmac::{Hmac, Mac};
use http::{HeaderMap, HeaderName, HeaderValue};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// The algorithm name, first word of the `Authorization` header.
pub const ALGORITHM: &str = "SDK-HMAC-SHA256";
/// The header that carries the signing time.
pub const DATE_HEADER: &str = "x-sdk-date";
/// The header that, set to [`UNSIGNED_PAYLOAD`], leaves the body unsigned.
pub const CONTENT_SHA256_HEADER: &str = "x-sdk-content-sha256";
/// See [`CONTENT_SHA256_HEADER`].
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
/// The header temporary credentials add.
pub const SECURITY_TOKEN_HEADER: &str = "x-security-token";

const DATE_FORMAT: &str = "%Y%m%dT%H%M%SZ";

/// Everything but the unreserved characters of RFC 3986 is encoded.
const ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// An access key / secret key pair, with the security token of temporary
/// credentials. The secret parts never appear in `Debug` output and are
/// zeroized on drop.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Credentials {
    access_key: String,
    secret_key: String,
    security_token: Option<String>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key", &self.access_key)
            .field("secret_key", &"<redacted>")
            .field(
                "security_token",
                &self.security_token.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// Why a request could not be signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignError {
    /// A value cannot travel in an HTTP header (the access key or token).
    InvalidHeaderValue(&'static str),
}

impl fmt::Display for SignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignError::InvalidHeaderValue(what) => {
                write!(f, "the {what} is not a valid HTTP header value")
            }
        }
    }
}

impl std::error::Error for SignError {}

impl Credentials {
    /// Permanent credentials.
    pub fn new(access_key: impl Into<String>, secret_key: impl Into<String>) -> Self {
        Credentials {
            access_key: access_key.into(),
            secret_key: secret_key.into(),
            security_token: None,
        }
    }

    /// Temporary credentials: requests also carry `X-Security-Token`.
    pub fn temporary(
        access_key: impl Into<String>,
        secret_key: impl Into<String>,
        security_token: impl Into<String>,
    ) -> Self {
        Credentials {
            access_key: access_key.into(),
            secret_key: secret_key.into(),
            security_token: Some(security_token.into()),
        }
    }

    /// The access key (not secret: it names the key pair).
    pub fn access_key(&self) -> &str {
        &self.access_key
    }

    /// Signs a request now; see [`Credentials::sign_at`].
    pub fn sign(
        &self,
        method: &str,
        path: &str,
        query: Option<&str>,
        headers: &mut HeaderMap,
        body: &[u8],
    ) -> Result<(), SignError> {
        self.sign_at(method, path, query, headers, body, Utc::now())
    }

    /// Signs a request as of `now`: sets `X-Sdk-Date` (and `X-Security-Token`
    /// for temporary credentials), then `Authorization` over every header
    /// already in `headers`. `path` and `query` are as on the wire
    /// (percent-encoded); set `Host` first for it to be signed.
    pub fn sign_at(
        &self,
        method: &str,
        path: &str,
        query: Option<&str>,
        headers: &mut HeaderMap,
        body: &[u8],
        now: DateTime<Utc>,
    ) -> Result<(), SignError> {
        let date = now.format(DATE_FORMAT).to_string();
        headers.insert(
            HeaderName::from_static(DATE_HEADER),
            header_value(&date, "date")?,
        );
        if let Some(token) = &self.security_token {
            let mut value = header_value(token, "security token")?;
            value.set_sensitive(true);
            headers.insert(HeaderName::from_static(SECURITY_TOKEN_HEADER), value);
        }
        headers.remove(http::header::AUTHORIZATION);
        let signed = signed_header_names(headers);
        let canonical = canonical_request(method, path, query, headers, &signed, body);
        let signature = signature(
            self.secret_key.as_bytes(),
            &string_to_sign(&date, &canonical),
        );
        let authorization = format!(
            "{ALGORITHM} Access={}, SignedHeaders={}, Signature={signature}",
            self.access_key,
            signed.join(";")
        );
        headers.insert(
            http::header::AUTHORIZATION,
            header_value(&authorization, "access key")?,
        );
        Ok(())
    }
}

fn header_value(value: &str, what: &'static str) -> Result<HeaderValue, SignError> {
    HeaderValue::from_str(value).map_err(|_| SignError::InvalidHeaderValue(what))
}

/// Lower-case names of every header, sorted, without duplicates.
fn signed_header_names(headers: &HeaderMap) -> Vec<String> {
    let mut names: Vec<String> = headers
        .keys()
        .map(|name| name.as_str().to_ascii_lowercase())
        .collect();
    names.sort();
    names.dedup();
    names
}

fn encode(text: &str) -> String {
    utf8_percent_encode(text, ENCODE).to_string()
}

/// The canonical URI: each segment decoded then encoded, ending in `/`.
pub fn canonical_uri(path: &str) -> String {
    let segments: Vec<String> = path
        .split('/')
        .map(|segment| encode(&percent_decode_str(segment).decode_utf8_lossy()))
        .collect();
    let mut uri = segments.join("/");
    if !uri.starts_with('/') {
        uri.insert(0, '/');
    }
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// The canonical query: pairs encoded, sorted by name then value.
pub fn canonical_query(query: Option<&str>) -> String {
    let mut pairs: Vec<(String, String)> =
        form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .map(|(name, value)| (encode(&name), encode(&value)))
            .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// The canonical request over the `signed` headers.
pub fn canonical_request(
    method: &str,
    path: &str,
    query: Option<&str>,
    headers: &HeaderMap,
    signed: &[String],
    body: &[u8],
) -> String {
    let mut canonical_headers = String::new();
    for name in signed {
        let value = headers
            .get(name.as_str())
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        canonical_headers.push_str(&format!("{name}:{}\n", value.trim()));
    }
    let unsigned = headers
        .get(CONTENT_SHA256_HEADER)
        .is_some_and(|value| value.as_bytes() == UNSIGNED_PAYLOAD.as_bytes());
    let body_hash = if unsigned {
        UNSIGNED_PAYLOAD.to_owned()
    } else {
        hex::encode(Sha256::digest(body))
    };
    [
        method.to_ascii_uppercase(),
        canonical_uri(path),
        canonical_query(query),
        canonical_headers,
        signed.join(";"),
        body_hash,
    ]
    .join("\n")
}

/// `SDK-HMAC-SHA256\n{date}\n{hex sha256(canonical request)}`.
pub fn string_to_sign(date: &str, canonical_request: &str) -> String {
    format!(
        "{ALGORITHM}\n{date}\n{}",
        hex::encode(Sha256::digest(canonical_request.as_bytes()))
    )
}

/// Lower-case hex HMAC-SHA256 of `string_to_sign` under `secret_key`.
pub fn signature(secret_key: &[u8], string_to_sign: &str) -> String {
    hex::encode(mac(secret_key, string_to_sign).finalize().into_bytes())
}

fn mac(secret_key: &[u8], string_to_sign: &str) -> Hmac<Sha256> {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret_key)
        .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
    mac.update(string_to_sign.as_bytes());
    mac
}

/// Why a signed request was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyError {
    /// No `Authorization` header, or not an `SDK-HMAC-SHA256` one.
    MissingSignature,
    /// The `Authorization` header does not parse.
    MalformedAuthorization,
    /// No `X-Sdk-Date`, it does not parse, or it is not signed.
    MissingDate,
    /// `X-Sdk-Date` is further from now than allowed.
    StaleDate { skew_seconds: i64 },
    /// A header the signature must cover is not among `SignedHeaders`:
    /// `host` always, `x-project-id` and `x-sdk-content-sha256` when the
    /// request carries them (else a replay could change them).
    UnsignedHeader(&'static str),
    /// The signature does not match the request, or its access key is
    /// unknown: the two are one error, so that a caller cannot tell which
    /// access keys exist.
    SignatureMismatch,
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyError::MissingSignature => {
                write!(f, "the request is not signed with {ALGORITHM}")
            }
            VerifyError::MalformedAuthorization => {
                f.write_str("the Authorization header is malformed")
            }
            VerifyError::MissingDate => {
                f.write_str("X-Sdk-Date is missing, malformed or not signed")
            }
            VerifyError::StaleDate { skew_seconds } => write!(
                f,
                "X-Sdk-Date is {skew_seconds} s away from the server's clock"
            ),
            VerifyError::UnsignedHeader(name) => {
                write!(f, "`{name}` must be among the signed headers")
            }
            VerifyError::SignatureMismatch => {
                f.write_str("the signature does not match the request")
            }
        }
    }
}

impl std::error::Error for VerifyError {}

/// The parts of an `Authorization: SDK-HMAC-SHA256 ...` header.
struct Authorization {
    access_key: String,
    signed_headers: Vec<String>,
    signature: Vec<u8>,
}

fn parse_authorization(headers: &HeaderMap) -> Result<Authorization, VerifyError> {
    let value = headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or(VerifyError::MissingSignature)?;
    let rest = value
        .strip_prefix(ALGORITHM)
        .and_then(|rest| rest.strip_prefix(' '))
        .ok_or(VerifyError::MissingSignature)?;
    let (mut access_key, mut signed_headers, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let (name, value) = part
            .trim()
            .split_once('=')
            .ok_or(VerifyError::MalformedAuthorization)?;
        match name {
            "Access" => access_key = Some(value.to_owned()),
            "SignedHeaders" => {
                signed_headers = Some(value.split(';').map(str::to_owned).collect::<Vec<_>>())
            }
            "Signature" => {
                signature =
                    Some(hex::decode(value).map_err(|_| VerifyError::MalformedAuthorization)?)
            }
            _ => return Err(VerifyError::MalformedAuthorization),
        }
    }
    match (access_key, signed_headers, signature) {
        (Some(access_key), Some(signed_headers), Some(signature)) => Ok(Authorization {
            access_key,
            signed_headers,
            signature,
        }),
        _ => Err(VerifyError::MalformedAuthorization),
    }
}

/// Headers whose change would change the request's meaning must be
/// signed: `host` (another endpoint), and when present `x-project-id`
/// (another project) and `x-sdk-content-sha256` (an unsigned body).
fn require_signed(headers: &HeaderMap, signed: &[String]) -> Result<(), VerifyError> {
    let is_signed = |name: &str| signed.iter().any(|signed| signed == name);
    if !is_signed("host") {
        return Err(VerifyError::UnsignedHeader("host"));
    }
    for name in [PROJECT_ID_HEADER, CONTENT_SHA256_HEADER] {
        if headers.contains_key(name) && !is_signed(name) {
            return Err(VerifyError::UnsignedHeader(name));
        }
    }
    Ok(())
}

/// The header the SDKs send the project ID in.
const PROJECT_ID_HEADER: &str = "x-project-id";

/// A received request, as far as its signature covers it. `path` and
/// `query` are as on the wire (percent-encoded).
#[derive(Debug, Clone, Copy)]
pub struct Received<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: Option<&'a str>,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

/// Checks a request's signature as of `now`: `secret_key_of` gives the
/// secret key of an access key; `max_skew` bounds how far `X-Sdk-Date` may
/// be from `now`. Returns the access key that signed the request.
pub fn verify(
    request: &Received<'_>,
    now: DateTime<Utc>,
    max_skew: chrono::Duration,
    secret_key_of: impl FnOnce(&str) -> Option<Zeroizing<String>>,
) -> Result<String, VerifyError> {
    let headers = request.headers;
    let authorization = parse_authorization(headers)?;
    if !authorization
        .signed_headers
        .iter()
        .any(|name| name == DATE_HEADER)
    {
        return Err(VerifyError::MissingDate);
    }
    require_signed(headers, &authorization.signed_headers)?;
    let date = headers
        .get(DATE_HEADER)
        .and_then(|v| v.to_str().ok())
        .ok_or(VerifyError::MissingDate)?;
    let signed_at = NaiveDateTime::parse_from_str(date, DATE_FORMAT)
        .map_err(|_| VerifyError::MissingDate)?
        .and_utc();
    let skew = (now - signed_at).num_seconds();
    if skew.abs() > max_skew.num_seconds() {
        return Err(VerifyError::StaleDate { skew_seconds: skew });
    }
    // An unknown access key costs the same MAC as a known one and fails
    // the same way, so neither message nor timing tells them apart.
    let secret_key = secret_key_of(&authorization.access_key);
    let known = secret_key.is_some();
    let secret_key = secret_key.unwrap_or_else(|| Zeroizing::new(String::new()));
    let canonical = canonical_request(
        request.method,
        request.path,
        request.query,
        headers,
        &authorization.signed_headers,
        request.body,
    );
    // Constant-time comparison, through the MAC itself.
    let matches = mac(secret_key.as_bytes(), &string_to_sign(date, &canonical))
        .verify_slice(&authorization.signature)
        .is_ok();
    if !(matches & known) {
        return Err(VerifyError::SignatureMismatch);
    }
    Ok(authorization.access_key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        NaiveDateTime::parse_from_str(text, DATE_FORMAT)
            .expect("date")
            .and_utc()
    }

    #[test]
    fn published_vector_string_to_sign() {
        let string_to_sign = "SDK-HMAC-SHA256\n20191115T033655Z\nb25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a";
        assert_eq!(
            signature(b"MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc", string_to_sign),
            "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe"
        );
    }

    #[test]
    fn published_vector_get_with_query() {
        let mut headers = HeaderMap::new();
        headers.insert(DATE_HEADER, HeaderValue::from_static("20060102T150405Z"));
        let signed = signed_header_names(&headers);
        let canonical = canonical_request("GET", "/path", Some("limit=1"), &headers, &signed, b"");
        assert_eq!(
            canonical,
            format!(
                "GET\n/path/\nlimit=1\nx-sdk-date:20060102T150405Z\n\nx-sdk-date\n{}",
                hex::encode(Sha256::digest(b""))
            )
        );
        let mut headers = HeaderMap::new();
        Credentials::new("AccessKey", "SecretKey")
            .sign_at(
                "GET",
                "/path",
                Some("limit=1"),
                &mut headers,
                b"",
                at("20060102T150405Z"),
            )
            .expect("signs");
        assert_eq!(
            headers[http::header::AUTHORIZATION],
            "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature=5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624"
        );
    }

    #[test]
    fn canonical_forms() {
        assert_eq!(canonical_uri("/v1/a b/%7Ex"), "/v1/a%20b/~x/");
        assert_eq!(canonical_uri("/"), "/");
        assert_eq!(
            canonical_query(Some("b=2&a=2&a=1&c=x%2Fy")),
            "a=1&a=2&b=2&c=x%2Fy"
        );
        assert_eq!(canonical_query(None), "");
    }

    fn signed_request(credentials: &Credentials, body: &[u8]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::HOST,
            HeaderValue::from_static("dbss.cn-north-4.myhuaweicloud.com"),
        );
        headers.insert(
            http::header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        credentials
            .sign_at(
                "POST",
                "/v1/p/audit/i/statistics",
                Some("limit=10"),
                &mut headers,
                body,
                at("20250820T075858Z"),
            )
            .expect("signs");
        headers
    }

    fn check(
        path: &str,
        query: Option<&str>,
        headers: &HeaderMap,
        body: &[u8],
        now: &str,
    ) -> Result<String, VerifyError> {
        let request = Received {
            method: "POST",
            path,
            query,
            headers,
            body,
        };
        verify(&request, at(now), chrono::Duration::minutes(15), |key| {
            (key == "AK").then(|| Zeroizing::new("SK".to_owned()))
        })
    }

    #[test]
    fn a_signed_request_verifies_and_tampering_does_not() {
        let credentials = Credentials::new("AK", "SK");
        let body = br#"{"time":{"time_range":"MONTH"}}"#;
        let headers = signed_request(&credentials, body);
        let path = "/v1/p/audit/i/statistics";
        assert_eq!(
            check(path, Some("limit=10"), &headers, body, "20250820T080000Z"),
            Ok("AK".into())
        );

        assert_eq!(
            check(path, Some("limit=10"), &headers, b"{}", "20250820T080000Z"),
            Err(VerifyError::SignatureMismatch)
        );
        assert_eq!(
            check(
                "/v1/q/audit/i/statistics",
                Some("limit=10"),
                &headers,
                body,
                "20250820T080000Z"
            ),
            Err(VerifyError::SignatureMismatch)
        );
        assert_eq!(
            check(path, Some("limit=11"), &headers, body, "20250820T080000Z"),
            Err(VerifyError::SignatureMismatch)
        );
        let mut tampered = headers.clone();
        tampered.insert(http::header::HOST, HeaderValue::from_static("evil.example"));
        assert_eq!(
            check(path, Some("limit=10"), &tampered, body, "20250820T080000Z"),
            Err(VerifyError::SignatureMismatch)
        );
        assert_eq!(
            check(path, Some("limit=10"), &headers, body, "20250820T081500Z"),
            Err(VerifyError::StaleDate { skew_seconds: 962 })
        );
        let stranger = signed_request(&Credentials::new("XX", "SK"), body);
        assert_eq!(
            check(path, Some("limit=10"), &stranger, body, "20250820T080000Z"),
            Err(VerifyError::SignatureMismatch),
            "an unknown key fails as a wrong signature does"
        );
        let wrong_secret = signed_request(&Credentials::new("AK", "not-SK"), body);
        assert_eq!(
            check(
                path,
                Some("limit=10"),
                &wrong_secret,
                body,
                "20250820T080000Z"
            ),
            Err(VerifyError::SignatureMismatch)
        );
        assert_eq!(
            check(path, None, &HeaderMap::new(), body, "20250820T080000Z"),
            Err(VerifyError::MissingSignature)
        );
    }

    #[test]
    fn temporary_credentials_sign_their_token() {
        let headers = signed_request(&Credentials::temporary("AK", "SK", "token"), b"");
        assert_eq!(headers[SECURITY_TOKEN_HEADER], "token");
        let authorization = headers[http::header::AUTHORIZATION]
            .to_str()
            .expect("ASCII");
        assert!(
            authorization.contains("SignedHeaders=content-type;host;x-sdk-date;x-security-token"),
            "{authorization}"
        );
    }

    #[test]
    fn secrets_stay_out_of_debug_output() {
        let debug = format!(
            "{:?}",
            Credentials::temporary("AK", "the-secret-key", "the-token")
        );
        assert!(debug.contains("AK"));
        assert!(
            !debug.contains("the-secret-key") && !debug.contains("the-token"),
            "{debug}"
        );
    }
}

//! Cookie parameters, which progenitor does not send: a generated client
//! adds each to the request's one `Cookie` header with [`append_cookie`].

use progenitor_client::Error;
use reqwest::header::{COOKIE, HeaderMap, HeaderValue};
use serde::Serialize;

/// Adds the cookie `name` with `value` (OpenAPI's `form` style: a scalar
/// as itself, an array's items joined by commas; percent-encoded where a
/// cookie value cannot hold a character) to the `Cookie` header of
/// `headers`, after the cookies already there. Nothing is added for
/// `None`.
///
/// # Errors
///
/// `Error::InvalidRequest` when the value has no text form (an object
/// inside an array), as progenitor's builders report a value they cannot
/// send.
#[allow(
    clippy::result_large_err,
    reason = "progenitor's error, which the builder's `?` passes on"
)]
pub fn append_cookie<T: Serialize + ?Sized, E>(
    headers: &mut HeaderMap,
    name: &str,
    value: &T,
) -> Result<(), Error<E>> {
    let invalid = |message: String| Error::InvalidRequest(format!("cookie `{name}`: {message}"));
    let value = serde_json::to_value(value).map_err(|error| invalid(error.to_string()))?;
    if value.is_null() {
        return Ok(());
    }
    let text = crate::query::flat_text(name, value, ",").map_err(invalid)?;
    let pair = cookie::Cookie::new(name, text).encoded().to_string();
    let joined = match headers.get(COOKIE).map(HeaderValue::as_bytes) {
        Some(before) => [before, b"; ", pair.as_bytes()].concat(),
        None => pair.into_bytes(),
    };
    let joined = HeaderValue::from_bytes(&joined).map_err(|error| invalid(error.to_string()))?;
    headers.insert(COOKIE, joined);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::append_cookie;
    use reqwest::header::{COOKIE, HeaderMap};

    fn cookie_header(cookies: &[(&str, serde_json::Value)]) -> String {
        let mut headers = HeaderMap::new();
        for (name, value) in cookies {
            append_cookie::<_, ()>(&mut headers, name, value).expect("a cookie");
        }
        let header = headers
            .get(COOKIE)
            .map(|value| value.to_str().expect("text"));
        header.unwrap_or_default().to_owned()
    }

    #[test]
    fn cookies_share_one_header() {
        let cookies = [
            ("session", serde_json::json!("a b;c")),
            ("ids", serde_json::json!([1, 2])),
            ("absent", serde_json::Value::Null),
        ];
        assert_eq!(cookie_header(&cookies), "session=a%20b%3Bc; ids=1%2C2");
    }

    #[test]
    fn a_value_without_text_form_is_refused() {
        let mut headers = HeaderMap::new();
        let nested = serde_json::json!([[1]]);
        assert!(append_cookie::<_, ()>(&mut headers, "n", &nested).is_err());
    }
}

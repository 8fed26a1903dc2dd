//! The error of a generated client's operations: progenitor's variants,
//! with a `Display` that says what went wrong in one line, causes
//! included (`connection refused: is the server running at ...?`,
//! `403 Forbidden: DBSS.10020100 the signature does not match`), where
//! progenitor's says `Communication Error: error sending request for url
//! (...)` and dumps headers for an error answer.

use bytes::Bytes;
use progenitor_client::ResponseValue;

/// Why an operation of a generated client failed. The variants are
/// progenitor's (`progenitor_client::Error`), so a typed error body is
/// [`Error::ErrorResponse`]; the difference is the message: `Display` is
/// one line with the causes (what [`crate::Describe::describe`] says),
/// and `source()` is `None` because the message already holds them (the
/// `reqwest::Error` stays in its variant).
pub enum Error<E = ()> {
    /// The request did not conform to API requirements: a builder value
    /// its type refuses (the type's message), a credential that is not a
    /// header value.
    InvalidRequest(String),
    /// No answer: the connection failed, timed out, or the request could
    /// not be sent.
    CommunicationError(reqwest::Error),
    /// An expected response when upgrading connection.
    InvalidUpgrade(reqwest::Error),
    /// A documented error answer, with its decoded body.
    ErrorResponse(ResponseValue<E>),
    /// An expected answer whose body could not be read.
    ResponseBodyError(reqwest::Error),
    /// An expected answer whose body does not decode.
    InvalidResponsePayload(Bytes, serde_json::Error),
    /// An answer the spec does not document; check
    /// `status().is_success()`.
    UnexpectedResponse(reqwest::Response),
    /// A custom error from a client's hooks.
    Custom(String),
}

impl<E> Error<E> {
    /// The status code, when the error comes from an answer.
    pub fn status(&self) -> Option<reqwest::StatusCode> {
        match self {
            Error::ErrorResponse(response) => Some(response.status()),
            Error::UnexpectedResponse(response) => Some(response.status()),
            Error::CommunicationError(error)
            | Error::InvalidUpgrade(error)
            | Error::ResponseBodyError(error) => error.status(),
            Error::InvalidRequest(_) | Error::InvalidResponsePayload(..) | Error::Custom(_) => None,
        }
    }

    /// Whether the failure may be transient, as progenitor judges it: no
    /// answer, or 408, 429, 502, 503 or 504.
    pub fn is_retryable(&self) -> bool {
        let transient =
            |status: reqwest::StatusCode| matches!(status.as_u16(), 408 | 429 | 502 | 503 | 504);
        match self {
            Error::CommunicationError(_) => true,
            Error::ErrorResponse(response) => transient(response.status()),
            Error::UnexpectedResponse(response) => transient(response.status()),
            Error::InvalidUpgrade(error) | Error::ResponseBodyError(error) => {
                error.status().is_some_and(transient)
            }
            Error::InvalidRequest(_) | Error::InvalidResponsePayload(..) | Error::Custom(_) => {
                false
            }
        }
    }

    /// This error without its typed body, to handle errors of operations
    /// with different error types together.
    pub fn into_untyped(self) -> Error {
        progenitor_client::Error::from(self).into_untyped().into()
    }
}

impl<E> From<progenitor_client::Error<E>> for Error<E> {
    fn from(error: progenitor_client::Error<E>) -> Self {
        use progenitor_client::Error as P;
        match error {
            P::InvalidRequest(message) => Error::InvalidRequest(message),
            P::CommunicationError(error) => Error::CommunicationError(error),
            P::InvalidUpgrade(error) => Error::InvalidUpgrade(error),
            P::ErrorResponse(response) => Error::ErrorResponse(response),
            P::ResponseBodyError(error) => Error::ResponseBodyError(error),
            P::InvalidResponsePayload(bytes, error) => Error::InvalidResponsePayload(bytes, error),
            P::UnexpectedResponse(response) => Error::UnexpectedResponse(response),
            P::Custom(message) => Error::Custom(message),
        }
    }
}

impl<E> From<Error<E>> for progenitor_client::Error<E> {
    fn from(error: Error<E>) -> Self {
        use progenitor_client::Error as P;
        match error {
            Error::InvalidRequest(message) => P::InvalidRequest(message),
            Error::CommunicationError(error) => P::CommunicationError(error),
            Error::InvalidUpgrade(error) => P::InvalidUpgrade(error),
            Error::ErrorResponse(response) => P::ErrorResponse(response),
            Error::ResponseBodyError(error) => P::ResponseBodyError(error),
            Error::InvalidResponsePayload(bytes, error) => P::InvalidResponsePayload(bytes, error),
            Error::UnexpectedResponse(response) => P::UnexpectedResponse(response),
            Error::Custom(message) => P::Custom(message),
        }
    }
}

impl<E> From<reqwest::Error> for Error<E> {
    fn from(error: reqwest::Error) -> Self {
        Error::CommunicationError(error)
    }
}

/// One line: the status and the error body's code and message, or the
/// cause of a failure to get an answer at all ([`crate::Describe`]).
impl<E: serde::Serialize> std::fmt::Display for Error<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::describe::describe(self))
    }
}

impl<E: std::fmt::Debug> std::fmt::Debug for Error<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::InvalidRequest(message) => {
                f.debug_tuple("InvalidRequest").field(message).finish()
            }
            Error::CommunicationError(error) => {
                f.debug_tuple("CommunicationError").field(error).finish()
            }
            Error::InvalidUpgrade(error) => f.debug_tuple("InvalidUpgrade").field(error).finish(),
            Error::ErrorResponse(response) => f
                .debug_struct("ErrorResponse")
                .field("status", &response.status())
                .field("body", response.as_ref())
                .finish(),
            Error::ResponseBodyError(error) => {
                f.debug_tuple("ResponseBodyError").field(error).finish()
            }
            Error::InvalidResponsePayload(bytes, error) => f
                .debug_tuple("InvalidResponsePayload")
                .field(bytes)
                .field(error)
                .finish(),
            Error::UnexpectedResponse(response) => f
                .debug_struct("UnexpectedResponse")
                .field("status", &response.status())
                .finish(),
            Error::Custom(message) => f.debug_tuple("Custom").field(message).finish(),
        }
    }
}

/// `source()` is `None`: the message already says every cause, and a
/// reporter that walks sources would say them twice.
impl<E: serde::Serialize + std::fmt::Debug> std::error::Error for Error<E> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_answer_is_its_status_code_and_message_without_headers() {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("x-request-id", "0ab1".parse().expect("header"));
        let body = serde_json::json!({"error_code": "DBSS.10020100", "error_msg": "the signature does not match"});
        let error: Error<serde_json::Value> = Error::ErrorResponse(ResponseValue::new(
            body,
            reqwest::StatusCode::UNAUTHORIZED,
            headers,
        ));
        assert_eq!(
            error.to_string(),
            "401 Unauthorized: DBSS.10020100 the signature does not match"
        );
        assert!(error.status() == Some(reqwest::StatusCode::UNAUTHORIZED) && !error.is_retryable());
        assert!(std::error::Error::source(&error).is_none());
        assert!(format!("{error:?}").starts_with("ErrorResponse { status: 401"));
    }
}

//! [`MediaBody`]: the body of an operation that takes media types of its
//! own beside JSON which no reader here decodes into the JSON body's type
//! (influxdb's `POST /query`: a `Query` object as JSON, or Flux source as
//! `application/vnd.flux`; PagerDuty's enrichment schemas as `text/csv`).

use axum::body::Bytes;

/// A request body in one of the media types its operation documents.
#[derive(Debug, Clone, PartialEq)]
pub enum MediaBody<T> {
    /// JSON, or another encoding of the same schema the operation takes (a
    /// form, a multipart body, XML, YAML), decoded.
    Decoded(T),
    /// A body in one of the operation's other media types, as sent.
    Other {
        /// The media type's essence, lower case (`application/vnd.flux`).
        media_type: String,
        /// The body's bytes.
        bytes: Bytes,
    },
}

impl<T> MediaBody<T> {
    /// The decoded body, where it is one.
    pub fn decoded(&self) -> Option<&T> {
        match self {
            MediaBody::Decoded(body) => Some(body),
            MediaBody::Other { .. } => None,
        }
    }

    /// The body as UTF-8 text, where it is another media type's and text.
    pub fn text(&self) -> Option<&str> {
        match self {
            MediaBody::Decoded(_) => None,
            MediaBody::Other { bytes, .. } => std::str::from_utf8(bytes).ok(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_is_decoded_or_kept_as_sent() {
        let decoded: MediaBody<u8> = MediaBody::Decoded(7);
        assert_eq!(decoded.decoded(), Some(&7));
        assert_eq!(decoded.text(), None);
        let flux: MediaBody<u8> = MediaBody::Other {
            media_type: "application/vnd.flux".into(),
            bytes: Bytes::from_static(b"from(bucket: \"b\")"),
        };
        assert_eq!(flux.decoded(), None);
        assert_eq!(flux.text(), Some("from(bucket: \"b\")"));
        let binary: MediaBody<u8> = MediaBody::Other {
            media_type: "application/octet-stream".into(),
            bytes: Bytes::from_static(&[0xff]),
        };
        assert_eq!(binary.text(), None);
    }
}

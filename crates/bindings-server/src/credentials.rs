//! The credential check every generated route makes before it reads its
//! input: the request must carry the credentials of one of the
//! operation's security alternatives, each readable. What the values are
//! worth is the implementation's (or a mock's credential mode's) to say;
//! this check refuses what no scheme could read: a credential header that
//! is not visible ASCII, or an `Authorization` value that does not name
//! the HTTP authentication scheme the spec declares (`Bearer`, `Basic`;
//! RFC 9110 §11.4).

use axum::http::HeaderMap;

use crate::{Problem, ProblemKind};

/// One credential a security scheme needs: the header it travels in and,
/// for an HTTP authentication scheme (`type: http`, and OAuth 2 or OpenID
/// Connect, whose tokens are bearer tokens), the scheme its value names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Credential {
    header: &'static str,
    scheme: Option<&'static str>,
}

impl Credential {
    /// An API key in header `name` (lower case): any visible value.
    pub const fn header(name: &'static str) -> Self {
        Credential {
            header: name,
            scheme: None,
        }
    }

    /// `Authorization: <scheme> <credentials>`, the scheme (`bearer`,
    /// `basic`) matched without regard to case.
    pub const fn authorization(scheme: &'static str) -> Self {
        Credential {
            header: "authorization",
            scheme: Some(scheme),
        }
    }

    /// How the request presents this credential.
    fn presented(&self, headers: &HeaderMap) -> Presented {
        let mut values = headers.get_all(self.header).iter().peekable();
        if values.peek().is_none() {
            return Presented::Missing;
        }
        let mut texts = Vec::new();
        for value in values {
            match value.to_str() {
                Ok(text) => texts.push(text),
                Err(_) => return Presented::NotAscii,
            }
        }
        match self.scheme {
            Some(scheme) if !texts.iter().all(|text| names_scheme(text, scheme)) => {
                Presented::OtherScheme
            }
            _ => Presented::Readable,
        }
    }
}

/// Whether `value` is `<scheme> <credentials>` with credentials that are
/// not empty.
fn names_scheme(value: &str, scheme: &str) -> bool {
    value
        .split_once(' ')
        .is_some_and(|(named, rest)| named.eq_ignore_ascii_case(scheme) && !rest.trim().is_empty())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Presented {
    Missing,
    NotAscii,
    OtherScheme,
    Readable,
}

/// Checks that the request carries every credential of at least one of
/// the operation's security `alternatives`, each readable. A credential
/// header that is present but not visible ASCII is refused rather than
/// skipped: presence alone must never pass for a credential. Where no
/// alternative is met and one of them was presented in another scheme,
/// the credentials are invalid; else they are missing.
pub fn require_credentials(
    headers: &HeaderMap,
    alternatives: &[&[Credential]],
) -> Result<(), Problem> {
    if alternatives.is_empty() {
        return Ok(());
    }
    let all = alternatives.iter().flat_map(|each| each.iter());
    if let Some(unreadable) = all
        .clone()
        .find(|credential| credential.presented(headers) == Presented::NotAscii)
    {
        return Err(Problem::new(
            ProblemKind::InvalidCredentials,
            format!(
                "credential header `{}` is not visible ASCII",
                unreadable.header
            ),
        ));
    }
    let met = |each: &&[Credential]| {
        each.iter()
            .all(|credential| credential.presented(headers) == Presented::Readable)
    };
    if alternatives.iter().any(met) {
        return Ok(());
    }
    if let Some(other) = all
        .clone()
        .find(|credential| credential.presented(headers) == Presented::OtherScheme)
    {
        let scheme = other.scheme.unwrap_or_default();
        return Err(Problem::new(
            ProblemKind::InvalidCredentials,
            format!(
                "credential header `{}` holds no `{scheme}` credential",
                other.header
            ),
        ));
    }
    let names: Vec<String> = alternatives
        .iter()
        .map(|each| {
            let names: Vec<&str> = each.iter().map(|credential| credential.header).collect();
            format!("`{}`", names.join("` + `"))
        })
        .collect();
    Err(Problem::new(
        ProblemKind::MissingCredentials,
        format!("credentials are required: one of {}", names.join(", ")),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &[u8])]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            let value = axum::http::HeaderValue::from_bytes(value).expect("a header value");
            headers.append(*name, value);
        }
        headers
    }

    const TOKEN_OR_SIGNED: &[&[Credential]] = &[
        &[Credential::header("x-auth-token")],
        &[
            Credential::header("authorization"),
            Credential::header("x-sdk-date"),
        ],
    ];

    fn kind(headers: &HeaderMap, alternatives: &[&[Credential]]) -> Result<(), ProblemKind> {
        require_credentials(headers, alternatives).map_err(|problem| problem.kind())
    }

    #[test]
    fn one_alternative_whole_is_enough() {
        let problem = require_credentials(&HeaderMap::new(), TOKEN_OR_SIGNED).expect_err("none");
        assert_eq!(problem.kind(), ProblemKind::MissingCredentials);
        let named = "`x-auth-token`, `authorization` + `x-sdk-date`";
        assert!(problem.message().contains(named), "{problem}");
        let half = headers(&[("authorization", b"x")]);
        assert_eq!(
            kind(&half, TOKEN_OR_SIGNED),
            Err(ProblemKind::MissingCredentials)
        );
        let whole = headers(&[("authorization", b"x"), ("x-sdk-date", b"x")]);
        assert_eq!(kind(&whole, TOKEN_OR_SIGNED), Ok(()));
        assert_eq!(
            kind(&HeaderMap::new(), &[]),
            Ok(()),
            "no security requirement"
        );
    }

    #[test]
    fn a_present_but_unreadable_credential_is_refused_not_skipped() {
        // Though the other alternative is met.
        let unreadable = headers(&[
            ("x-auth-token", b"a\x80b"),
            ("authorization", b"x"),
            ("x-sdk-date", b"1"),
        ]);
        let refused = kind(&unreadable, TOKEN_OR_SIGNED);
        assert_eq!(refused, Err(ProblemKind::InvalidCredentials));
    }

    #[test]
    fn an_http_credential_must_name_its_scheme() {
        let bearer: &[&[Credential]] = &[&[Credential::authorization("bearer")]];
        for good in [&b"Bearer abc"[..], b"bearer abc", b"BEARER a.b-c"] {
            assert_eq!(kind(&headers(&[("authorization", good)]), bearer), Ok(()));
        }
        for bad in [
            &b"Z}S7"[..],
            b"Basic dXNlcjpwYXNz",
            b"Bearer ",
            b"Bearer",
            b"Bearerabc",
        ] {
            let presented = headers(&[("authorization", bad)]);
            let problem = require_credentials(&presented, bearer).expect_err("refused");
            assert_eq!(problem.kind(), ProblemKind::InvalidCredentials, "{bad:?}");
            assert!(
                problem.message().contains("no `bearer` credential"),
                "{problem}"
            );
        }
        // Another alternative met wins over a credential in another scheme.
        let either: &[&[Credential]] = &[
            &[Credential::authorization("basic")],
            &[Credential::authorization("bearer")],
        ];
        let basic = headers(&[("authorization", b"Basic dXNlcjpwYXNz")]);
        assert_eq!(kind(&basic, either), Ok(()));
    }
}

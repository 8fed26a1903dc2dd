//! The credential check every generated route makes before it reads its
//! input: the request must carry the credentials of one of the
//! operation's security alternatives, each readable. What the values are
//! worth is the implementation's (or a mock's credential mode's) to say;
//! this check refuses what no scheme could read: a credential header or
//! `Cookie` header that is not visible ASCII, or an `Authorization` value
//! that does not name the HTTP authentication scheme the spec declares
//! (`Bearer`, `Basic`; RFC 9110 §11.4). API keys travel where the spec
//! puts them: a header, a query parameter or a cookie.

use axum::http::HeaderMap;

use crate::{Problem, ProblemKind};

/// Where a credential travels (OpenAPI's `in` of an API key).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Header,
    Query,
    Cookie,
}

/// One credential a security scheme needs: where it travels and, for an
/// HTTP authentication scheme (`type: http`, and OAuth 2 or OpenID
/// Connect, whose tokens are bearer tokens), the scheme its value names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Credential {
    place: Place,
    name: &'static str,
    scheme: Option<&'static str>,
}

/// What a request presents: its headers and its query's pairs
/// (percent-decoded).
struct Request<'a> {
    headers: &'a HeaderMap,
    query: &'a [(String, String)],
}

impl Credential {
    /// An API key in header `name` (lower case): any visible value.
    pub const fn header(name: &'static str) -> Self {
        Credential {
            place: Place::Header,
            name,
            scheme: None,
        }
    }

    /// An API key in query parameter `name` (matched exactly): any value.
    pub const fn query(name: &'static str) -> Self {
        Credential {
            place: Place::Query,
            name,
            scheme: None,
        }
    }

    /// An API key in cookie `name` (matched exactly): any value.
    pub const fn cookie(name: &'static str) -> Self {
        Credential {
            place: Place::Cookie,
            name,
            scheme: None,
        }
    }

    /// `Authorization: <scheme> <credentials>`, the scheme (`bearer`,
    /// `basic`) matched without regard to case.
    pub const fn authorization(scheme: &'static str) -> Self {
        Credential {
            place: Place::Header,
            name: "authorization",
            scheme: Some(scheme),
        }
    }

    /// How the credential is listed among those missing: a header by its
    /// name alone (`` `x-key` ``), others with their place.
    fn listed(&self) -> String {
        match self.place {
            Place::Header => format!("`{}`", self.name),
            Place::Query | Place::Cookie => self.described(),
        }
    }

    /// How the credential is named in a refusal: `` header `x-key` ``.
    fn described(&self) -> String {
        let place = match self.place {
            Place::Header => "header",
            Place::Query => "query parameter",
            Place::Cookie => "cookie",
        };
        format!("{place} `{}`", self.name)
    }

    /// How the request presents this credential.
    fn presented(&self, request: &Request<'_>) -> Presented {
        match self.place {
            Place::Header => self.in_header(request.headers),
            Place::Query => match request.query.iter().any(|(name, _)| name == self.name) {
                true => Presented::Readable,
                false => Presented::Missing,
            },
            Place::Cookie => in_cookie(request.headers, self.name),
        }
    }

    fn in_header(&self, headers: &HeaderMap) -> Presented {
        let mut values = headers.get_all(self.name).iter().peekable();
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

/// Whether the request's `Cookie` headers hold cookie `name`; a `Cookie`
/// header that is not visible ASCII cannot be read for it.
fn in_cookie(headers: &HeaderMap, name: &str) -> Presented {
    let mut presented = Presented::Missing;
    for value in headers.get_all(axum::http::header::COOKIE) {
        let Ok(text) = value.to_str() else {
            return Presented::NotAscii;
        };
        if cookie::Cookie::split_parse_encoded(text)
            .flatten()
            .any(|pair| pair.name() == name)
        {
            presented = Presented::Readable;
        }
    }
    presented
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

/// Checks that the request (its `headers` and its `query` pairs) carries
/// every credential of at least one of the operation's security
/// `alternatives`, each readable. A credential that is present but not
/// visible ASCII is refused rather than skipped: presence alone must never
/// pass for a credential. Where no alternative is met and one of them was
/// presented in another scheme, the credentials are invalid; else they
/// are missing.
pub fn require_credentials(
    headers: &HeaderMap,
    query: &[(String, String)],
    alternatives: &[&[Credential]],
) -> Result<(), Problem> {
    if alternatives.is_empty() {
        return Ok(());
    }
    let request = Request { headers, query };
    let all = alternatives.iter().flat_map(|each| each.iter());
    if let Some(unreadable) = all
        .clone()
        .find(|credential| credential.presented(&request) == Presented::NotAscii)
    {
        return Err(Problem::new(
            ProblemKind::InvalidCredentials,
            format!("credential {} is not visible ASCII", unreadable.described()),
        ));
    }
    let met = |each: &&[Credential]| {
        each.iter()
            .all(|credential| credential.presented(&request) == Presented::Readable)
    };
    if alternatives.iter().any(met) {
        return Ok(());
    }
    if let Some(other) = all
        .clone()
        .find(|credential| credential.presented(&request) == Presented::OtherScheme)
    {
        let scheme = other.scheme.unwrap_or_default();
        return Err(Problem::new(
            ProblemKind::InvalidCredentials,
            format!(
                "credential {} holds no `{scheme}` credential",
                other.described()
            ),
        ));
    }
    let names: Vec<String> = alternatives
        .iter()
        .map(|each| {
            let names: Vec<String> = each.iter().map(Credential::listed).collect();
            names.join(" + ")
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
        require_credentials(headers, &[], alternatives).map_err(|problem| problem.kind())
    }

    #[test]
    fn one_alternative_whole_is_enough() {
        let problem =
            require_credentials(&HeaderMap::new(), &[], TOKEN_OR_SIGNED).expect_err("none");
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
            let problem = require_credentials(&presented, &[], bearer).expect_err("refused");
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

    #[test]
    fn an_api_key_in_the_query_must_be_given() {
        let key: &[&[Credential]] = &[&[Credential::query("api_key")]];
        let given = [("api_key".to_owned(), String::new())];
        assert_eq!(require_credentials(&HeaderMap::new(), &given, key), Ok(()));
        let other = [("API_KEY".to_owned(), "x".to_owned())];
        let problem = require_credentials(&HeaderMap::new(), &other, key).expect_err("none");
        assert_eq!(problem.kind(), ProblemKind::MissingCredentials);
        assert!(
            problem.message().contains("query parameter `api_key`"),
            "{problem}"
        );
    }

    #[test]
    fn an_api_key_in_a_cookie_must_be_given() {
        let key: &[&[Credential]] = &[&[Credential::cookie("sid")]];
        for given in [&b"sid=abc"[..], b"a=1; sid=", b"a=1; sid=x%20y"] {
            assert_eq!(
                kind(&headers(&[("cookie", given)]), key),
                Ok(()),
                "{given:?}"
            );
        }
        for missing in [&b"a=1"[..], b"SID=abc", b"sidx=1"] {
            let presented = headers(&[("cookie", missing)]);
            assert_eq!(
                kind(&presented, key),
                Err(ProblemKind::MissingCredentials),
                "{missing:?}"
            );
        }
        assert_eq!(
            kind(&HeaderMap::new(), key),
            Err(ProblemKind::MissingCredentials)
        );
        let unreadable = headers(&[("cookie", b"sid=a\x80")]);
        assert_eq!(kind(&unreadable, key), Err(ProblemKind::InvalidCredentials));
    }
}

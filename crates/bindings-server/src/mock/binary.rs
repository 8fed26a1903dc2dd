//! The generated `<api>-mock` binaries: flags, credential modes and
//! serving, declared per API by a [`Binary`] in the generated `mock`
//! module and run by [`run`].
//!
//! Host and port default to `127.0.0.1` and the spec's first server URL's
//! port (else 8080); the API is served under that URL's path. Each security
//! scheme the spec declares is a credential mode: `--<scheme>-file FILE`
//! or `$<API>_MOCK_<SCHEME>` makes the mock accept only that credential
//! (API key, bearer or OAuth2 token, `user:password` for basic); without
//! any, every present credential is accepted.

use std::path::PathBuf;
use std::process::ExitCode;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;

use super::Mock;
use crate::{Operation, Problem, ProblemKind};

/// How a security scheme presents its credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presented {
    /// `in: header`, the header's name.
    Header(&'static str),
    /// `in: query`, the parameter's name.
    Query(&'static str),
    /// `in: cookie`, the cookie's name.
    Cookie(&'static str),
    /// `Authorization: Bearer <token>` (HTTP bearer, OAuth2, OpenID Connect).
    Bearer,
    /// `Authorization: Basic <base64 of user:password>`.
    Basic,
}

/// One security scheme the spec declares: its name and how it is sent.
pub type Scheme = (&'static str, Presented);

/// What a generated mock binary serves, declared once per API.
#[derive(Debug)]
pub struct Binary {
    /// `<api>-mock`.
    pub name: &'static str,
    /// The API's title.
    pub title: &'static str,
    /// The spec's first server URL (empty when it names none).
    pub server_url: &'static str,
    /// The spec's security schemes.
    pub schemes: &'static [Scheme],
    /// The mock's data.
    pub mock: &'static Mock,
    /// The generated `mock::router`.
    pub router: fn() -> axum::Router,
    /// Each documented example of each webhook (`--send-webhooks URL`).
    pub webhooks: &'static [super::WebhookExample],
}

/// Runs the binary with the process's arguments.
pub fn run(binary: &'static Binary) -> ExitCode {
    let options = match Options::parse(binary, std::env::args().skip(1)) {
        Ok(Some(options)) => options,
        Ok(None) => {
            println!("{}", usage(binary));
            return ExitCode::SUCCESS;
        }
        Err(error) => {
            eprintln!("{}: {error}", binary.name);
            return ExitCode::FAILURE;
        }
    };
    if let Some(url) = &options.send_webhooks {
        return super::webhooks::send_all(binary.name, url, binary.webhooks);
    }
    let accepted = match accepted(binary, &options.files) {
        Ok(accepted) => accepted,
        Err(error) => {
            eprintln!("{}: {error}", binary.name);
            return ExitCode::FAILURE;
        }
    };
    let mut router = (binary.router)();
    if !accepted.is_empty() && router.has_routes() {
        let state = Credentials {
            mock: binary.mock,
            accepted,
        };
        router = router.route_layer(axum::middleware::from_fn_with_state(
            std::sync::Arc::new(state),
            check,
        ));
    }
    let router = super::base::under(&options.base_path, router);
    crate::serve_blocking(binary.name, &options.host, options.port, router)
}

struct Options {
    host: String,
    port: u16,
    base_path: String,
    /// Per scheme (by index), the file its credential is read from.
    files: Vec<Option<PathBuf>>,
    /// Send the webhook examples to this URL instead of serving.
    send_webhooks: Option<String>,
}

impl Options {
    fn parse(
        binary: &Binary,
        mut args: impl Iterator<Item = String>,
    ) -> Result<Option<Options>, String> {
        let (port, base_path) = server_defaults(binary.server_url);
        let mut options = Options {
            host: "127.0.0.1".to_owned(),
            port,
            base_path,
            files: vec![None; binary.schemes.len()],
            send_webhooks: None,
        };
        while let Some(flag) = args.next() {
            if flag == "--help" || flag == "-h" {
                return Ok(None);
            }
            let value = args
                .next()
                .ok_or_else(|| format!("{flag} needs a value (see --help)"))?;
            match flag.as_str() {
                "--host" => options.host = value,
                "--port" => options.port = value.parse().map_err(|e| format!("--port: {e}"))?,
                "--base-path" => options.base_path = value,
                "--send-webhooks" => options.send_webhooks = Some(value),
                other => {
                    let index = binary
                        .schemes
                        .iter()
                        .position(|(name, _)| other == format!("--{}-file", kebab(name)))
                        .ok_or_else(|| format!("unknown argument `{other}` (see --help)"))?;
                    options.files[index] = Some(value.into());
                }
            }
        }
        Ok(Some(options))
    }
}

/// The port and path of a server URL (`https://host:8443/api/v3`).
fn server_defaults(url: &str) -> (u16, String) {
    // `https://host/path`, or scheme-relative `//host/path` (RFC 3986).
    let rest = (url.split_once("://").map(|(_, rest)| rest))
        .unwrap_or(url.strip_prefix("//").unwrap_or(url));
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let port = authority
        .rsplit_once(':')
        .and_then(|(_, port)| port.parse().ok())
        .unwrap_or(8080);
    let path = path.trim_end_matches('/');
    // A templated path (`/{version}`) cannot be served as it is.
    let path = if path.contains('{') { "" } else { path };
    (port, path.to_owned())
}

fn kebab(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            'A'..='Z' => c.to_ascii_lowercase(),
            'a'..='z' | '0'..='9' => c,
            _ => '-',
        })
        .collect()
}

fn variable(binary: &Binary, scheme: &str) -> String {
    format!("{}_{}", binary.name, scheme)
        .chars()
        .map(|c| match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' => c.to_ascii_uppercase(),
            _ => '_',
        })
        .collect()
}

/// Each configured scheme with the value a request must present.
fn accepted(
    binary: &Binary,
    files: &[Option<PathBuf>],
) -> Result<Vec<(Presented, String)>, String> {
    let mut accepted = Vec::new();
    for ((name, presented), file) in binary.schemes.iter().zip(files) {
        let secret = crate::secret_from(None, file.as_deref(), &variable(binary, name))
            .map_err(|e| e.to_string())?;
        if let Some(secret) = secret {
            if *presented == Presented::Basic && !secret.contains(':') {
                return Err(format!("{name}: a basic credential is `user:password`"));
            }
            accepted.push((*presented, secret));
        }
    }
    Ok(accepted)
}

struct Credentials {
    mock: &'static Mock,
    accepted: Vec<(Presented, String)>,
}

async fn check(
    State(state): State<std::sync::Arc<Credentials>>,
    request: Request,
    next: Next,
) -> Response {
    let operation = request
        .extensions()
        .get::<MatchedPath>()
        .and_then(|matched| {
            Operation::find(
                state.mock.operations,
                request.method().as_str(),
                matched.as_str(),
                request.uri().query(),
            )
        });
    let Some(operation) = operation.filter(|op| op.credentials) else {
        return next.run(request).await;
    };
    if state
        .accepted
        .iter()
        .any(|(presented, value)| presents(&request, *presented, value))
    {
        return next.run(request).await;
    }
    let problem = Problem::new(
        ProblemKind::InvalidCredentials,
        "the credentials are not the ones this mock accepts",
    );
    let envelope = state
        .mock
        .envelopes
        .iter()
        .find(|(id, _)| *id == operation.id)
        .and_then(|(_, envelope)| *envelope);
    (state.mock.request_error)(&problem, std::time::Instant::now(), envelope, operation)
}

/// Whether `request` presents `value` the way the scheme sends it.
fn presents(request: &Request, presented: Presented, value: &str) -> bool {
    let header = |name: &str| {
        request
            .headers()
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    match presented {
        Presented::Header(name) => header(name).iter().any(|v| v == value),
        Presented::Query(name) => crate::query_pairs(request.uri().query())
            .iter()
            .any(|(key, v)| key == name && v == value),
        Presented::Cookie(name) => header("cookie").iter().any(|cookies| {
            cookies
                .split(';')
                .filter_map(|pair| pair.trim().split_once('='))
                .any(|(key, v)| key == name && v == value)
        }),
        Presented::Bearer => authorization(&header("authorization"), "bearer", value),
        Presented::Basic => {
            authorization(&header("authorization"), "basic", &base64(value.as_bytes()))
        }
    }
}

fn authorization(values: &[String], scheme: &str, expected: &str) -> bool {
    values.iter().any(|v| {
        v.split_once(' ').is_some_and(|(s, credential)| {
            s.eq_ignore_ascii_case(scheme) && credential.trim() == expected
        })
    })
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Which operations answer which status for a wrong credential, one line
/// per status: `401: a, b`.
pub fn wrong_credential_statuses(mock: &Mock) -> String {
    let mut lines: Vec<(u16, Vec<&str>)> = Vec::new();
    let problem = Problem::new(ProblemKind::InvalidCredentials, "");
    for operation in mock.operations.iter().filter(|op| op.credentials) {
        let status = (mock.request_error)(&problem, std::time::Instant::now(), None, operation)
            .status()
            .as_u16();
        match lines.iter_mut().find(|(s, _)| *s == status) {
            Some((_, ids)) => ids.push(operation.id),
            None => lines.push((status, vec![operation.id])),
        }
    }
    lines.sort();
    lines
        .iter()
        .map(|(status, ids)| format!("    {status}: {}", ids.join(", ")))
        .collect::<Vec<_>>()
        .join("\n")
}

fn usage(binary: &Binary) -> String {
    let (port, base) = server_defaults(binary.server_url);
    let mut schemes = String::new();
    for (name, presented) in binary.schemes {
        let what = match presented {
            Presented::Header(header) => format!("API key in header `{header}`"),
            Presented::Query(query) => format!("API key in query parameter `{query}`"),
            Presented::Cookie(cookie) => format!("API key in cookie `{cookie}`"),
            Presented::Bearer => "bearer token (`Authorization: Bearer`)".to_owned(),
            Presented::Basic => "`user:password` (`Authorization: Basic`)".to_owned(),
        };
        schemes.push_str(&format!(
            "  --{}-file FILE / ${}\n      accept only this {what}\n",
            kebab(name),
            variable(binary, name)
        ));
    }
    if schemes.is_empty() {
        schemes.push_str("  (the spec declares no security scheme)\n");
    }
    format!(
        "usage: {name} [--host HOST] [--port PORT] [--base-path PATH] [--<scheme>-file FILE]
       {name} --send-webhooks URL

Serves {title} from its spec: the documented examples, else values
generated from the response schemas, behind the same request validation
as the generated router.

  --host HOST        default 127.0.0.1
  --port PORT        default {port} (the spec's first server URL, else 8080)
  --base-path PATH   default `{base}` (that URL's path)
  --send-webhooks URL
                     instead of serving, send each documented webhook example
                     ({webhooks}) to URL followed by `/<webhook name>`, as the
                     client crate's `webhooks::router` serves them; fails
                     unless each is answered 2xx

Credentials (one mode per security scheme; files or the environment, never
the command line; an empty or unpresentable value is refused at start):
{schemes}By default any present credential is accepted; a request without one, or
with a wrong one in a credential mode, gets:
{statuses}

Answers:
  Prefer: code=STATUS    the operation's answer of that documented status
  Prefer: example=NAME   the documented example of that name
  An answer the operation does not document, or an unusable Prefer, gets
  the operation's documented request-error answer saying why.",
        name = binary.name,
        title = binary.title,
        statuses = wrong_credential_statuses(binary.mock),
        webhooks = binary.webhooks.len(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_server_urls_and_encodes_basic_credentials() {
        assert_eq!(
            server_defaults("https://petstore3.swagger.io/api/v3"),
            (8080, "/api/v3".to_owned())
        );
        assert_eq!(
            server_defaults("http://localhost:4433/"),
            (4433, String::new())
        );
        assert_eq!(server_defaults("/v1/{x}"), (8080, String::new()));
        assert_eq!(
            server_defaults("//api.rebilly.com/v2.1"),
            (8080, "/v2.1".to_owned())
        );
        assert_eq!(base64(b"user:pass"), "dXNlcjpwYXNz");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(kebab("petstore_auth"), "petstore-auth");
    }

    #[test]
    fn a_credential_counts_only_as_its_scheme_presents_it() {
        let request = axum::http::Request::builder()
            .uri("/pets?key=q1")
            .header("api_key", "k1")
            .header("authorization", "Basic dXNlcjpwYXNz")
            .header("cookie", "a=1; session=c1")
            .body(axum::body::Body::empty())
            .expect("a request");
        assert!(presents(&request, Presented::Header("api_key"), "k1"));
        assert!(!presents(&request, Presented::Header("api_key"), "k2"));
        assert!(presents(&request, Presented::Query("key"), "q1"));
        assert!(presents(&request, Presented::Cookie("session"), "c1"));
        assert!(presents(&request, Presented::Basic, "user:pass"));
        assert!(!presents(&request, Presented::Bearer, "user:pass"));
    }
}

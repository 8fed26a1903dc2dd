//! The runtime of the generated `mock` modules (feature `mock`): which
//! answer a request gets, `Prefer: code=` / `example=`, and the middleware
//! that refuses a preference the operation does not document.
//!
//! A generated mock declares its data ([`Mock`]: the answers table, the
//! operations, a decoder per operation, the documented response headers,
//! the paged operations) and calls [`answer`] once per operation. The
//! table holds every documented example and, for each documented status
//! without one, a value the generator computed from the response schema
//! (valid against it; the same for every request, like Prism's dynamic
//! mode made deterministic), so `Prefer: code=` can ask for any
//! documented status.
//!
//! Behind [`with_preferences`] (which every generated `mock::router`
//! has), each answer carries every documented response header (a request
//! id generated per answer; the body's framing headers are hyper's), a list answer is paged by `limit` / `offset`
//! where the operation declares both, an unusable `Prefer`
//! (`code=abc`) gets the operation's request-error answer saying why, and
//! a path the mock answered a `DELETE` for gets its documented `404`
//! afterwards ([`Memory`]).
//!
//! The mock never panics. A request the table cannot answer (an example
//! that does not decode into the generated type) gets the spec's internal
//! error answer saying why. Called without the middleware, [`answer`]
//! answers the first of the operation's documented examples that decodes.
//!
//! [`run`] is the `<api>-mock` binaries' main ([`Binary`]).

mod base;
mod binary;
mod finish;
mod memory;
mod webhooks;

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use serde_json::Value;

use crate::{Envelope, Operation, Problem, ProblemKind, RequestError, WireError};

pub use base::under;
pub use binary::{Binary, Presented, Scheme, run, wrong_credential_statuses};
pub use finish::Header;
pub use memory::{MAX_REMEMBERED, Memory};
pub use webhooks::WebhookExample;

/// (operation, status, example name, JSON) of one answer the mock can
/// give; an unnamed one stands for a documented status the spec shows no
/// example of, and empty JSON for an answer without a body.
pub type Example = (&'static str, u16, &'static str, &'static str);

/// Whether `(status, body)` decodes into an operation's typed output
/// (`|status, body| Output::from_wire(status, body).map(drop)`).
pub type Decode = fn(u16, Option<Value>) -> Result<(), WireError>;

/// What a generated mock answers from: its data, declared once per API.
#[derive(Debug)]
pub struct Mock {
    /// Every answer the mock can give.
    pub examples: &'static [Example],
    /// The API's operations (the generated `OPERATIONS`).
    pub operations: &'static [Operation],
    /// Per operation, the envelope its request errors are wrapped in.
    pub envelopes: &'static [(&'static str, Option<&'static Envelope>)],
    /// Per operation, in the order of `operations`, whether an example
    /// decodes into its output.
    pub decoders: &'static [Decode],
    /// The API's answer to a request that breaks the spec.
    pub request_error: RequestError,
    /// Every documented response header, with a value to send.
    pub headers: &'static [Header],
    /// The operations that declare `limit` and `offset` query parameters,
    /// with `limit`'s default: their documented lists are paged (by the
    /// default when a request gives no `limit`).
    pub paged: &'static [(&'static str, Option<usize>)],
}

/// A request's `Prefer`: a status, an example name.
type Preference = (Option<u16>, Option<String>);

tokio::task_local! {
    static PREFER: Preference;
}

impl Mock {
    fn examples_of<'a>(
        &'a self,
        operation: &'a str,
    ) -> impl Iterator<Item = &'static Example> + Clone + 'a {
        self.examples
            .iter()
            .filter(move |(op, ..)| *op == operation)
    }

    /// The example `preference` picks for `operation`; without one, its
    /// first 2xx example, else its first 3xx one (an operation that only
    /// redirects), else its first.
    fn chosen(&self, operation: &str, preference: &Preference) -> Option<&'static Example> {
        let mut candidates = self.examples_of(operation);
        match preference {
            (_, Some(name)) => candidates.find(|(_, _, example, _)| example == name),
            (Some(code), None) => candidates.find(|(_, status, ..)| status == code),
            (None, None) => {
                let all: Vec<&'static Example> = candidates.collect();
                let within = |range: std::ops::Range<u16>| {
                    all.iter()
                        .find(|(_, status, ..)| range.contains(status))
                        .copied()
                };
                // With no success documented, an answer a valid request can
                // get (the resource is not there, a conflict, too many
                // requests) rather than one that calls the request wrong.
                within(200..300)
                    .or_else(|| within(300..400))
                    .or_else(|| within(404..405))
                    .or_else(|| within(409..410))
                    .or_else(|| within(429..430))
                    .or_else(|| all.first().copied())
            }
        }
    }
}

fn body_of(json: &str) -> Option<Value> {
    serde_json::from_str(json).ok()
}

/// The mock's answer to `operation`: the example the request prefers, else
/// its first 2xx one (see `Mock::chosen`), decoded with the output's `from_wire`. Where that
/// one is missing or does not decode (which [`with_preferences`] answers
/// before the operation is called), the first documented example that
/// decodes.
///
/// # Panics
///
/// Never behind [`with_preferences`]. Without it, only for an operation
/// none of whose documented examples decodes into its output, which the
/// generator's tests refuse.
pub fn answer<T>(
    mock: &Mock,
    operation: &str,
    from_wire: fn(u16, Option<Value>) -> Result<T, WireError>,
) -> T {
    let preference = PREFER.try_with(Clone::clone).unwrap_or_default();
    let preferred = mock
        .chosen(operation, &preference)
        .and_then(|(_, status, _, json)| from_wire(*status, body_of(json)).ok());
    if let Some(answer) = preferred {
        return answer;
    }
    let mut fallback = mock
        .examples_of(operation)
        .filter_map(|(_, status, _, json)| from_wire(*status, body_of(json)).ok());
    match fallback.next() {
        Some(answer) => answer,
        #[allow(clippy::panic)]
        None => panic!("mock: `{operation}` documents no answer its output decodes"),
    }
}

/// Parses `Prefer: code=401` / `Prefer: example=name`; a preference the
/// mock cannot use (`code=abc`, a value that is not visible ASCII) is an
/// error saying why.
pub fn preference(headers: &HeaderMap) -> Result<(Option<u16>, Option<String>), Problem> {
    let mut preference = (None, None);
    for value in headers.get_all("prefer") {
        let value = value
            .to_str()
            .map_err(|_| unusable("is not visible ASCII"))?;
        for part in value.split([',', ';']).map(str::trim) {
            if let Some(code) = part.strip_prefix("code=") {
                let code = code.trim_matches('"');
                let status = code.parse().ok().filter(|s| (100..=599).contains(s));
                preference.0 =
                    Some(status.ok_or_else(|| {
                        unusable(&format!("`code={code}` is not an HTTP status"))
                    })?);
            } else if let Some(name) = part.strip_prefix("example=") {
                preference.1 = Some(name.trim_matches('"').to_owned());
            }
        }
    }
    Ok(preference)
}

fn unusable(why: &str) -> Problem {
    Problem::new(
        ProblemKind::InvalidHeader,
        format!("header `Prefer`: {why}; the mock takes `code=<status>` or `example=<name>`"),
    )
}

/// `router` with `Prefer` honoured and checked: a preference the
/// operation does not document gets the spec's request-error answer saying
/// so, and an answer the examples cannot give the spec's internal error.
pub fn with_preferences(router: axum::Router, mock: &'static Mock) -> axum::Router {
    // A spec of webhooks alone has no route, and axum refuses (panics on)
    // a route layer over none.
    if !router.has_routes() {
        return router;
    }
    let state = (mock, Memory::default());
    router.route_layer(axum::middleware::from_fn_with_state(state, prefer))
}

async fn prefer(
    State((mock, memory)): State<(&'static Mock, Memory)>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let operation = request
        .extensions()
        .get::<MatchedPath>()
        .and_then(|matched| {
            Operation::find(
                mock.operations,
                request.method().as_str(),
                matched.as_str(),
                request.uri().query(),
            )
        });
    let path = request.uri().path().to_owned();
    let method = request.method().clone();
    let preference = preference(request.headers());
    // A deleted path is gone only to a request the router accepts: one it
    // refuses (a missing header, say) gets that refusal first.
    let deleted = operation.filter(|operation| {
        preference
            .as_ref()
            .is_ok_and(|preference| gone(operation, &memory, &method, &path, preference))
    });
    let checked = preference.clone().and_then(|preference| match operation {
        Some(_) if deleted.is_some() => Ok(()),
        Some(operation) => check(mock, operation.id, &preference),
        None => Ok(()),
    });
    let refuse = |problem: &Problem, operation: &'static Operation| {
        let envelope = mock
            .envelopes
            .iter()
            .find(|(op, _)| *op == operation.id)
            .and_then(|(_, envelope)| *envelope);
        (mock.request_error)(problem, started, envelope, operation)
    };
    if let (Some(operation), Err(problem)) = (operation, checked) {
        return refuse(&problem, operation);
    }
    let query = request.uri().query().map(str::to_owned);
    let response = PREFER
        .scope(preference.unwrap_or_default(), next.run(request))
        .await;
    if let Some(operation) = deleted
        && response.status().is_success()
    {
        let problem = Problem::new(ProblemKind::NotFound, format!("`{path}` was deleted"));
        return refuse(&problem, operation);
    }
    let item = operation.is_some_and(|o| o.path.trim_end_matches('/').ends_with('}'));
    memory.record((&method, item), &path, response.status());
    match operation {
        Some(operation) => finish::finish(mock, operation, query.as_deref(), response).await,
        None => response,
    }
}

/// Whether a request that prefers nothing goes to a path the mock deleted,
/// of an operation (not a create) that documents an answer for a resource
/// that is not there (`404`, `4XX` or `default`): then it gets that.
fn gone(
    operation: &Operation,
    memory: &Memory,
    method: &axum::http::Method,
    path: &str,
    preference: &Preference,
) -> bool {
    let documents_not_found = operation.statuses.contains(&404)
        || operation
            .refusals
            .iter()
            .any(|refusal| matches!(refusal.key, "404" | "4XX" | "default"));
    *preference == (None, None)
        && *method != axum::http::Method::POST
        && documents_not_found
        && memory.is_deleted(path)
}

/// Whether the mock can give `operation` the answer `preference` asks for.
fn check(mock: &Mock, operation: &str, preference: &Preference) -> Result<(), Problem> {
    let Some((_, status, name, json)) = mock.chosen(operation, preference) else {
        if *preference == (None, None) {
            return Err(Problem::new(
                ProblemKind::Internal,
                format!(
                    "the mock has no documented example of `{operation}`; pick an answer with `Prefer`"
                ),
            ));
        }
        let documented: Vec<String> = mock
            .examples_of(operation)
            .map(|(_, status, name, _)| {
                if name.is_empty() {
                    status.to_string()
                } else {
                    format!("{status} ({name})")
                }
            })
            .collect();
        return Err(Problem::new(
            ProblemKind::InvalidHeader,
            format!(
                "`{operation}` documents no such answer; it documents {}",
                documented.join(", ")
            ),
        ));
    };
    let decodes = mock
        .operations
        .iter()
        .position(|op| op.id == operation)
        .and_then(|index| mock.decoders.get(index))
        .map_or(Ok(()), |decode| decode(*status, body_of(json)));
    decodes.map_err(|error| {
        Problem::new(
            ProblemKind::Internal,
            format!(
                "the mock's example `{name}` ({status}) of `{operation}` does not decode: {error}"
            ),
        )
    })
}

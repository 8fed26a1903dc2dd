//! What a generated handler reads a request from, and how it answers:
//! [`Incoming`] (parameters, headers and body, each failure a
//! [`Problem`]), [`Answer`] (an operation's typed output, one line per
//! documented status) and [`Incoming::answer`], which runs the operation
//! and encodes what it returns.

use std::future::Future;
use std::sync::Mutex;
use std::time::Instant;

use axum::body::Body;
use axum::extract::rejection::RawPathParamsRejection;

use crate::path_segment::Capture;
use axum::extract::{FromRequest, FromRequestParts, RawPathParams};
use axum::http::request::Parts;
use axum::response::Response;
use bindings_wire::StringConstraints;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::{BodySchema, Envelope, FromParam, Member, Operation, Problem, ProblemKind};

/// The spec's answer to a request that breaks it (the generated
/// `request_error`): the problem, when the request arrived, the envelope
/// the operation's errors are wrapped in and the operation (its documented
/// statuses and refusals; [`Operation::NONE`] for no operation).
pub type RequestError = fn(&Problem, Instant, Option<&Envelope>, &Operation) -> Response;

/// A request as a generated handler reads it: path parameters, query,
/// headers and body, each read into its typed value or refused with the
/// An encoding of a request body besides JSON that an operation takes for
/// the same schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `application/xml`, `text/xml`, `*+xml`, read by the body's schema
    /// (JSON, its references inlined), which says how its members are
    /// written in XML.
    Xml(&'static str),
    /// `multipart/form-data`, each part a member (see
    /// [`crate::multipart_body`]).
    Multipart,
    /// YAML in the media types listed (the operation's, each one that
    /// [`crate::is_yaml_media`] takes: `text/yml`, `*+yaml`), whose value
    /// is the JSON one.
    Yaml(&'static [&'static str]),
}

/// The body schema of `also`'s XML encoding, if it has one.
fn xml_schema(also: &[BodyEncoding]) -> Option<&'static str> {
    also.iter().find_map(|encoding| match encoding {
        BodyEncoding::Xml(schema) => Some(*schema),
        BodyEncoding::Form | BodyEncoding::Multipart | BodyEncoding::Yaml(_) => None,
    })
}

/// The YAML media types of `also`, if it takes YAML.
fn yaml_media(also: &[BodyEncoding]) -> Option<&'static [&'static str]> {
    also.iter().find_map(|encoding| match encoding {
        BodyEncoding::Yaml(media) => Some(*media),
        _ => None,
    })
}

/// [`Problem`] the spec's error answer is built from.
#[derive(Debug)]
pub struct Incoming {
    started: Instant,
    parts: Parts,
    params: Result<RawPathParams, RawPathParamsRejection>,
    query: Vec<(String, String)>,
    // Behind a lock (never contended: only `&mut self` takes it) so that a
    // handler's future holding `&Incoming` stays `Send`.
    body: Mutex<Body>,
}

impl<S: Send + Sync> FromRequest<S> for Incoming {
    type Rejection = std::convert::Infallible;

    async fn from_request(
        request: axum::extract::Request,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        let started = Instant::now();
        let (mut parts, body) = request.into_parts();
        let params = RawPathParams::from_request_parts(&mut parts, state).await;
        let query = match parts.uri.query() {
            Some(query) => crate::query_pairs(Some(query)),
            None => Vec::new(),
        };
        Ok(Incoming {
            started,
            parts,
            params,
            query,
            body: Mutex::new(body),
        })
    }
}

impl Incoming {
    /// When the request arrived.
    pub fn started(&self) -> Instant {
        self.started
    }

    /// The request's headers.
    pub fn headers(&self) -> &axum::http::HeaderMap {
        &self.parts.headers
    }

    /// Refuses a request that carries none of the credential `alternatives`
    /// (see [`crate::require_credentials`]).
    pub fn require_credentials(
        &self,
        alternatives: &[&[crate::Credential]],
    ) -> Result<(), Problem> {
        crate::require_credentials(&self.parts.headers, &self.query, alternatives)
    }

    /// Refuses a request whose path parameters cannot be read (not UTF-8).
    pub fn check_path(&self) -> Result<(), Problem> {
        match &self.params {
            Ok(_) => Ok(()),
            Err(rejection) => Err(Problem::new(
                ProblemKind::InvalidPath,
                rejection.body_text(),
            )),
        }
    }

    /// Refuses a request whose path parameters `schema` (an object of
    /// them, see [`crate::BodySchema::check_path`]) refuses; one whose
    /// parameters cannot be read is [`Incoming::check_path`]'s.
    pub fn check_path_schema(&self, schema: &crate::BodySchema) -> Result<(), Problem> {
        let Ok(params) = &self.params else {
            return Ok(());
        };
        let pairs: Vec<(String, String)> = params
            .iter()
            .map(|(name, text)| (name.to_owned(), text.to_owned()))
            .collect();
        schema.check_path(&pairs)
    }

    /// The path parameter `name`, parsed.
    pub fn path<T: FromParam>(&self, name: &str) -> Result<T, Problem> {
        match &self.params {
            Ok(params) => crate::path_param(params, name),
            Err(rejection) => Err(Problem::new(
                ProblemKind::InvalidPath,
                rejection.body_text(),
            )),
        }
    }

    /// The path parameter `name`, which the route captures as `capture`
    /// says, parsed.
    pub fn captured_path<T: FromParam>(
        &self,
        name: &str,
        capture: Capture<'_>,
    ) -> Result<T, Problem> {
        match &self.params {
            Ok(params) => crate::captured_path_param(params, name, capture),
            Err(rejection) => Err(Problem::new(
                ProblemKind::InvalidPath,
                rejection.body_text(),
            )),
        }
    }

    /// `Ok` when the query fits `schema` (see [`BodySchema::check_query`]).
    pub fn check_query(&self, schema: &BodySchema) -> Result<(), Problem> {
        schema.check_query(&self.query)
    }

    /// The query parameter `name`, parsed; `None` when absent.
    pub fn query<T: FromParam>(&self, name: &str) -> Result<Option<T>, Problem> {
        crate::query_param(&self.query, name)
    }

    /// The query parameter `name` of a parameter that `allowEmptyValue`
    /// (see [`crate::query_param_allowing_empty`]).
    pub fn query_allowing_empty<T: FromParam>(&self, name: &str) -> Result<Option<T>, Problem> {
        crate::query_param_allowing_empty(&self.query, name)
    }

    /// The required query parameter `name`, parsed.
    pub fn required_query<T: FromParam>(&self, name: &str) -> Result<T, Problem> {
        crate::required_query_param(&self.query, name)
    }

    /// The query parameter `name` of a union with an array alternative
    /// (see [`crate::query_union`]).
    pub fn query_union<T: FromParam + serde::de::DeserializeOwned>(
        &self,
        name: &str,
    ) -> Result<Option<T>, Problem> {
        crate::query_union(&self.query, name)
    }

    /// The required query parameter `name` of a union with an array
    /// alternative.
    pub fn required_query_union<T: FromParam + serde::de::DeserializeOwned>(
        &self,
        name: &str,
    ) -> Result<T, Problem> {
        crate::required_query_union(&self.query, name)
    }

    /// The query list `name` (`form` style, `explode` as the spec says).
    pub fn query_list<T: FromParam>(
        &self,
        name: &str,
        explode: bool,
    ) -> Result<Option<Vec<T>>, Problem> {
        crate::query_list(&self.query, name, explode)
    }

    /// The query list `name` of a parameter that `allowEmptyValue` (see
    /// [`crate::query_list_allowing_empty`]).
    pub fn query_list_allowing_empty<T: FromParam>(
        &self,
        name: &str,
        explode: bool,
    ) -> Result<Option<Vec<T>>, Problem> {
        crate::query_list_allowing_empty(&self.query, name, explode)
    }

    /// The required query list `name`.
    pub fn required_query_list<T: FromParam>(
        &self,
        name: &str,
        explode: bool,
    ) -> Result<Vec<T>, Problem> {
        crate::required_query_list(&self.query, name, explode)
    }

    /// The query list `name` as one value split at `delimiter`
    /// (`spaceDelimited`, `pipeDelimited`), or with `None` exploded.
    pub fn split_query_list<T: FromParam>(
        &self,
        name: &str,
        delimiter: Option<char>,
    ) -> Result<Option<Vec<T>>, Problem> {
        crate::split_query_list(&self.query, name, delimiter)
    }

    /// The free-form object query parameter `name`: every query
    /// parameter not in `known` (`form` style, `explode`).
    pub fn other_query_object<T: serde::de::DeserializeOwned>(
        &self,
        name: &str,
        known: &[&str],
    ) -> Result<Option<T>, Problem> {
        crate::other_query_object(&self.query, name, known)
    }

    /// The object query parameter `name` as one `name=x,1,y,2` (`form`
    /// style without `explode`).
    pub fn flat_query_object<T: serde::de::DeserializeOwned>(
        &self,
        name: &str,
    ) -> Result<Option<T>, Problem> {
        crate::flat_query_object(&self.query, name)
    }

    /// The query parameter `name` in `deepObject` style
    /// (`name[x]=1&name[y][z]=2`).
    pub fn deep_object<T: serde::de::DeserializeOwned>(
        &self,
        name: &str,
    ) -> Result<Option<T>, Problem> {
        crate::deep_object(&self.query, name)
    }

    /// The object query parameter `name`, its `members` each a query
    /// parameter (`form` style, `explode`).
    pub fn query_object<T: serde::de::DeserializeOwned>(
        &self,
        name: &str,
        members: &[&str],
    ) -> Result<Option<T>, Problem> {
        crate::query_object(&self.query, name, members)
    }

    /// The required object query parameter `name`.
    pub fn required_query_object<T: serde::de::DeserializeOwned>(
        &self,
        name: &str,
        members: &[&str],
    ) -> Result<T, Problem> {
        crate::required_query_object(&self.query, name, members)
    }

    /// The cookie `name`, parsed; `None` when absent.
    pub fn cookie<T: FromParam>(&self, name: &str) -> Result<Option<T>, Problem> {
        crate::cookie(&self.parts.headers, name)
    }

    /// The required cookie `name`, parsed.
    pub fn required_cookie<T: FromParam>(&self, name: &str) -> Result<T, Problem> {
        crate::required_cookie(&self.parts.headers, name)
    }

    /// The array cookie `name` (items joined by commas), each parsed.
    pub fn cookie_list<T: FromParam>(&self, name: &str) -> Result<Option<Vec<T>>, Problem> {
        crate::cookie_list(&self.parts.headers, name)
    }

    /// The required array cookie `name`.
    pub fn required_cookie_list<T: FromParam>(&self, name: &str) -> Result<Vec<T>, Problem> {
        crate::required_cookie_list(&self.parts.headers, name)
    }

    /// The header `name`, parsed; `None` when absent.
    pub fn header<T: FromParam>(&self, name: &str) -> Result<Option<T>, Problem> {
        crate::header(&self.parts.headers, name)
    }

    /// The array header `name`, its comma-separated items parsed.
    pub fn header_list<T: FromParam>(&self, name: &str) -> Result<Option<Vec<T>>, Problem> {
        crate::header_list(&self.parts.headers, name)
    }

    /// The required array header `name`.
    pub fn required_header_list<T: FromParam>(&self, name: &str) -> Result<Vec<T>, Problem> {
        crate::required_header_list(&self.parts.headers, name)
    }

    /// The negotiating header parameter `name` (`Accept`, `Accept-Encoding`,
    /// ...), negotiated among `offered`
    /// (see [`crate::accept_header`]).
    pub fn accept_header<T: FromParam>(
        &self,
        name: &str,
        offered: &[&str],
    ) -> Result<Option<T>, Problem> {
        crate::accept_header(&self.parts.headers, name, offered)
    }

    /// The required negotiating header parameter `name` (see
    /// [`crate::accept_header`]).
    pub fn required_accept_header<T: FromParam>(
        &self,
        name: &str,
        offered: &[&str],
    ) -> Result<T, Problem> {
        crate::required_accept_header(&self.parts.headers, name, offered)
    }

    /// The required header `name`, parsed.
    pub fn required_header<T: FromParam>(&self, name: &str) -> Result<T, Problem> {
        crate::required_header(&self.parts.headers, name)
    }

    fn take_body(&mut self) -> Body {
        let body = self
            .body
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        std::mem::take(body)
    }

    /// The JSON body (see [`crate::checked_json_body`]), checked against
    /// its `schema` when it has one; `None` when the request has none.
    pub async fn json_body<T: DeserializeOwned>(
        &mut self,
        limit: usize,
        schema: Option<&crate::BodySchema>,
    ) -> Result<Option<T>, Problem> {
        let body = self.take_body();
        crate::checked_json_body(&self.parts.headers, body, limit, schema).await
    }

    /// The body of an operation that takes JSON and other encodings of
    /// the same schema (`also`: a form, a multipart body, XML, YAML): read as the request's
    /// content type says, JSON unless it is one of those.
    pub async fn json_body_or<T: DeserializeOwned>(
        &mut self,
        limit: usize,
        schema: Option<&crate::BodySchema>,
        also: &[BodyEncoding],
    ) -> Result<Option<T>, Problem> {
        let headers = &self.parts.headers;
        if also.contains(&BodyEncoding::Form) && crate::request::is_form(headers) {
            self.form_body(limit, schema).await
        } else if also.contains(&BodyEncoding::Multipart) && crate::request::is_multipart(headers) {
            let body = self.take_body();
            crate::multipart_body(&self.parts.headers, body, limit, schema).await
        } else if yaml_media(also).is_some_and(|media| crate::request::is_in(headers, media)) {
            let body = self.take_body();
            crate::yaml_body(&self.parts.headers, body, limit, schema).await
        } else if let Some(schema) = xml_schema(also)
            && crate::request::is_xml(headers)
        {
            let body = self.take_body();
            crate::xml_body(&self.parts.headers, body, limit, schema).await
        } else {
            self.json_body(limit, schema).await
        }
    }

    /// The body of an operation that takes JSON (and the encodings `also`
    /// of its schema) beside media types `other` (essences, lower case)
    /// that no reader decodes: a body in one of `other` kept as sent, any
    /// other read as [`Incoming::json_body_or`] reads it.
    pub async fn media_body<T: DeserializeOwned>(
        &mut self,
        limit: usize,
        schema: Option<&crate::BodySchema>,
        also: &[BodyEncoding],
        other: &[&str],
    ) -> Result<Option<crate::MediaBody<T>>, Problem> {
        if crate::request::is_in(&self.parts.headers, other) {
            let media_type = crate::request::content_essence(&self.parts.headers).into_owned();
            let body = self.take_body();
            let bytes = crate::raw_body(&self.parts.headers, body, limit, other).await?;
            return Ok(bytes.map(|bytes| crate::MediaBody::Other { media_type, bytes }));
        }
        let decoded = self.json_body_or(limit, schema, also).await?;
        Ok(decoded.map(crate::MediaBody::Decoded))
    }

    /// The form body (see [`crate::form_body`]), read by its `schema`
    /// when it has one.
    pub async fn form_body<T: DeserializeOwned>(
        &mut self,
        limit: usize,
        schema: Option<&crate::BodySchema>,
    ) -> Result<Option<T>, Problem> {
        let body = self.take_body();
        crate::form_body(&self.parts.headers, body, limit, schema).await
    }

    /// The text body (see [`crate::text_body`]).
    pub async fn text_body(
        &mut self,
        limit: usize,
        declared: &[&str],
    ) -> Result<Option<String>, Problem> {
        let body = self.take_body();
        crate::text_body(&self.parts.headers, body, limit, declared).await
    }

    /// The body as sent (see [`crate::raw_body`]).
    pub async fn raw_body(
        &mut self,
        limit: usize,
        declared: &[&str],
    ) -> Result<Option<axum::body::Bytes>, Problem> {
        let body = self.take_body();
        crate::raw_body(&self.parts.headers, body, limit, declared).await
    }

    /// The body as sent, a multipart one checked against its schema (see
    /// [`crate::checked_raw_body`]).
    pub async fn checked_raw_body(
        &mut self,
        limit: usize,
        declared: &[&str],
        multipart: Option<&crate::BodySchema>,
    ) -> Result<Option<axum::body::Bytes>, Problem> {
        let body = self.take_body();
        crate::checked_raw_body(&self.parts.headers, body, limit, declared, multipart).await
    }

    /// Runs the operation (`call`) on the request's `input`, or answers the
    /// problem that kept the input from being read, and encodes the answer.
    /// `operation` is the one answered (`OPERATIONS[i]`) and `envelope` the one its
    /// errors are wrapped in; an answer that cannot be encoded (a header
    /// value with a line break) gets the spec's internal error.
    pub async fn answer<I, O, F>(
        self,
        input: Result<I, Problem>,
        operation: &'static Operation,
        envelope: Option<&'static Envelope>,
        request_error: RequestError,
        call: impl FnOnce(I) -> F,
    ) -> Response
    where
        O: Answer,
        F: Future<Output = O>,
    {
        let started = self.started;
        let input = match input {
            Ok(input) => input,
            Err(problem) => {
                let mut response = request_error(&problem, started, envelope, operation);
                response
                    .extensions_mut()
                    .insert(crate::RefusedBecause(problem.message().to_owned()));
                return response;
            }
        };
        let Reply(answer) = call(input).await.reply(Replier { started });
        answer.unwrap_or_else(|message| {
            request_error(
                &Problem::new(ProblemKind::Internal, message),
                started,
                envelope,
                operation,
            )
        })
    }
}

/// `value` (a parameter an inline schema constrains), checked against
/// `constraints`; a failure is a problem of `kind`.
pub fn checked<T: std::ops::Deref<Target = str>>(
    value: T,
    constraints: &StringConstraints,
    kind: ProblemKind,
) -> Result<T, Problem> {
    check(&value, constraints, kind)?;
    Ok(value)
}

/// [`checked`] for an optional parameter: `None` passes.
pub fn checked_optional<T: std::ops::Deref<Target = str>>(
    value: Option<T>,
    constraints: &StringConstraints,
    kind: ProblemKind,
) -> Result<Option<T>, Problem> {
    if let Some(text) = value.as_deref() {
        check(text, constraints, kind)?;
    }
    Ok(value)
}

fn check(text: &str, constraints: &StringConstraints, kind: ProblemKind) -> Result<(), Problem> {
    constraints.check(text).map_err(|error| {
        Problem::new(
            kind,
            format!("{}: {}", constraints.type_name, error.problem()),
        )
    })
}

/// An operation's typed answer, as the router encodes it: generated output
/// enums implement it with one line per documented status.
pub trait Answer: Send {
    /// Encodes the answer with `reply`.
    fn reply(self, reply: Replier) -> Reply;
}

/// A documented set of response headers (a generated `...Headers` struct),
/// written onto the answer that carries it.
pub trait ResponseHeaders {
    /// Writes the headers that are set onto `response`; a value that cannot
    /// be a header is an error, answered as an internal one.
    fn write(&self, response: &mut Response) -> Result<(), String>;
}

/// Builds an [`Answer`]'s response (it knows when the request arrived, for
/// an envelope's bookkeeping).
#[derive(Debug, Clone, Copy)]
pub struct Replier {
    started: Instant,
}

/// An encoded answer, or why it could not be encoded.
#[derive(Debug)]
pub struct Reply(Result<Response, String>);

impl Replier {
    /// `status` with a JSON payload (a success body), in `envelope` when given.
    pub fn payload<T: Serialize + ?Sized>(
        self,
        status: u16,
        envelope: Option<&Envelope>,
        body: &T,
    ) -> Reply {
        self.json(status, envelope, Member::Payload, body)
    }

    /// `status` with a JSON error body, in `envelope` when given.
    pub fn error<T: Serialize + ?Sized>(
        self,
        status: u16,
        envelope: Option<&Envelope>,
        body: &T,
    ) -> Reply {
        self.json(status, envelope, Member::Error, body)
    }

    fn json<T: Serialize + ?Sized>(
        self,
        status: u16,
        envelope: Option<&Envelope>,
        member: Member,
        body: &T,
    ) -> Reply {
        Reply(crate::respond_json(
            crate::status(status),
            self.started,
            envelope,
            member,
            body,
        ))
    }

    /// `status` without a body (in an envelope, only its bookkeeping).
    pub fn empty(self, status: u16, envelope: Option<&Envelope>) -> Reply {
        Reply(Ok(crate::respond(
            crate::status(status),
            self.started,
            envelope,
            Member::Payload,
            None,
        )))
    }

    /// `status` with a body that is not JSON, as the documented `media_type`.
    pub fn raw(self, status: u16, media_type: &'static str, body: impl Into<Body>) -> Reply {
        Reply(Ok(crate::respond_raw(
            crate::status(status),
            media_type,
            body,
        )))
    }
}

impl Reply {
    /// The answer with `media_type` as its `Content-Type`: the documented
    /// JSON media type where it is not `application/json`
    /// (`application/scim+json`).
    pub fn media_type(self, media_type: &'static str) -> Reply {
        Reply(self.0.and_then(|mut response| {
            let value = axum::http::HeaderValue::from_str(media_type)
                .map_err(|_| format!("`{media_type}` is not a media type a header can carry"))?;
            response
                .headers_mut()
                .insert(axum::http::header::CONTENT_TYPE, value);
            Ok(response)
        }))
    }

    /// The answer with the documented `headers` the service set.
    pub fn headers(self, headers: &impl ResponseHeaders) -> Reply {
        Reply(self.0.and_then(|mut response| {
            headers.write(&mut response)?;
            Ok(response)
        }))
    }

    /// The response, or why it could not be encoded.
    pub fn into_result(self) -> Result<Response, String> {
        self.0
    }
}

//! The `<api>-server` crate: one async trait per API, typed inputs and
//! outputs per operation, and an axum router that validates requests from
//! the spec's constraints before the trait sees them.
//!
//! Spec extensions the server honours (see ARCHITECTURE.md):
//! - `x-request-errors` (root): the documented status and body for a
//!   request that breaks the spec, per problem kind;
//! - `x-envelope` (on a component schema): the object every answer is
//!   wrapped in, with the members the server fills itself.

use anyhow::{Context as _, Result, bail};
use openapiv3::{
    OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, RequestBody, Response, Schema,
    StatusCode,
};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use super::body_schemas::BodySchemas;
use super::naming::{ident, pascal_case, snake_case, type_prefix};
use super::routes::{AxumRoutes, Capture, QueryValue, Route, Routes};
use super::types::{TypeGen, component_name};
use super::{Context, CrateKind, docs};

/// Where `parameter` is, as the readers of `bindings_server::Incoming`
/// name it (`header`, `cookie`, ...).
fn place(parameter: &Parameter) -> &'static str {
    match parameter {
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Path { .. } => "path",
        Parameter::Cookie { .. } => "cookie",
    }
}

/// The `Incoming` reader `base` (`header`, `cookie_list`), or its
/// `required_` form.
fn reader(base: &str, required: bool) -> Ident {
    if required {
        format_ident!("required_{base}")
    } else {
        format_ident!("{base}")
    }
}

/// How deep references are inlined into an XML body's schema, and how
/// many in all; past either a member reads as text.
const XML_SCHEMA_DEPTH: usize = 8;
const XML_SCHEMA_INLINED: usize = 2_000;

/// The schema of a raw request body's XML media type (`application/xml`,
/// `text/xml`, `*+xml`), if it documents one.
fn xml_body_schema(raw_body: &Value) -> Option<&Value> {
    raw_body
        .get("content")?
        .as_object()?
        .iter()
        .find(|(name, _)| {
            let essence = name.split(';').next().unwrap_or_default().trim();
            is_xml_essence(&essence.to_ascii_lowercase())
        })?
        .1
        .get("schema")
}

/// The YAML media types (`text/yml`, `application/yaml`, `*+yaml`), as
/// essences, that the raw request body `raw_body` documents with the same
/// schema as its JSON media type `json`: the server reads a YAML body in
/// one of them into the JSON body's type.
fn yaml_of_same_schema(raw_body: &Value, json: &str) -> Vec<String> {
    let Some(content) = raw_body.get("content").and_then(Value::as_object) else {
        return Vec::new();
    };
    let json_schema = content.get(json).and_then(|media| media.get("schema"));
    let mut found: Vec<String> = content
        .iter()
        .filter(|(_, media)| media.get("schema") == json_schema)
        .map(|(name, _)| {
            let essence = name.split(';').next().unwrap_or_default().trim();
            essence.to_ascii_lowercase()
        })
        .filter(|essence| openapi_source::is_yaml_media(essence))
        .collect();
    found.dedup();
    found
}

/// A media type's essence: lower case, without parameters.
fn media_essence(name: &str) -> String {
    name.split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// The Rust type of a request body in `media` (`serde_json::Value` where
/// it has no schema).
fn typed_body(types: &mut TypeGen<'_>, media: &openapiv3::MediaType) -> Result<TokenStream> {
    match &media.schema {
        Some(schema) => types.type_of(&boxed(schema), "Body"),
        None => Ok(quote! { ::serde_json::Value }),
    }
}

/// How a body that the operation takes as JSON (`json`, typed `ty`,
/// checked by `schema`) is read: its type, the read and its doc. A form,
/// a multipart body, YAML and XML of the same schema are read into it
/// too; a media type among the `declared` no reader decodes
/// (`application/vnd.flux`, `text/csv`) makes it a
/// `bindings_server::MediaBody`, that media type's body kept as sent.
fn json_read(
    ty: TokenStream,
    schema: TokenStream,
    declared: &[&str],
    (raw, raw_body, json): (&Value, Option<&Value>, &str),
) -> Result<(TokenStream, TokenStream, &'static str)> {
    let essences: Vec<String> = declared.iter().map(|name| media_essence(name)).collect();
    let mut also = Vec::new();
    if essences
        .iter()
        .any(|e| e == "application/x-www-form-urlencoded")
    {
        also.push(quote! { ::bindings_server::BodyEncoding::Form });
    }
    if essences.iter().any(|e| e == "multipart/form-data") {
        also.push(quote! { ::bindings_server::BodyEncoding::Multipart });
    }
    let yaml = raw_body.map_or_else(Vec::new, |raw_body| yaml_of_same_schema(raw_body, json));
    if !yaml.is_empty() {
        also.push(quote! { ::bindings_server::BodyEncoding::Yaml(&[#(#yaml),*]) });
    }
    let xml = raw_body.and_then(xml_body_schema);
    if let Some(schema) = xml {
        let schema = xml_schema(raw, schema)?;
        also.push(quote! { ::bindings_server::BodyEncoding::Xml(#schema) });
    }
    let read_elsewhere = |e: &String| {
        e.contains('*')
            || is_json_media(e)
            || yaml.contains(e)
            || (xml.is_some() && is_xml_essence(e))
            || e == "application/x-www-form-urlencoded"
            || e == "multipart/form-data"
    };
    let mut other: Vec<&String> = essences.iter().filter(|e| !read_elsewhere(e)).collect();
    other.dedup();
    Ok(if !other.is_empty() {
        (
            quote! { ::bindings_server::MediaBody<#ty> },
            quote! { request.media_body(BODY_LIMIT, #schema, &[#(#also),*], &[#(#other),*]).await? },
            "The request body: JSON or another encoding of its schema, decoded, or as sent in another media type the operation takes.",
        )
    } else if also.is_empty() {
        (
            ty,
            quote! { request.json_body(BODY_LIMIT, #schema).await? },
            "The decoded JSON request body.",
        )
    } else {
        (
            ty,
            quote! { request.json_body_or(BODY_LIMIT, #schema, &[#(#also),*]).await? },
            "The decoded request body, JSON or another encoding the operation takes.",
        )
    })
}

/// Whether a media type essence is XML (`application/xml`, `text/xml`,
/// `*+xml`), as `bindings_server::is_xml_media` decides.
fn is_xml_essence(essence: &str) -> bool {
    essence == "application/xml" || essence == "text/xml" || essence.ends_with("+xml")
}

/// A request body's schema as the JSON the server's XML reader takes
/// (`bindings_server::xml`): its `xml` names and layout, with its
/// references inlined.
fn xml_schema(raw: &Value, schema: &Value) -> Result<String> {
    let components = raw
        .pointer("/components/schemas")
        .cloned()
        .unwrap_or(Value::Null);
    let mut value = schema.clone();
    let mut budget = XML_SCHEMA_INLINED;
    inline_refs(&mut value, &components, XML_SCHEMA_DEPTH, &mut budget);
    Ok(serde_json::to_string(&value)?)
}

fn inline_refs(value: &mut Value, components: &Value, depth: usize, budget: &mut usize) {
    if let Some(reference) = value.get("$ref").and_then(Value::as_str) {
        let name = reference.trim_start_matches("#/components/schemas/");
        let name = openapi_source::unescape_token(name);
        let target = components.get(&*name).filter(|_| depth > 0 && *budget > 0);
        *value = target
            .cloned()
            .unwrap_or_else(|| Value::Object(serde_json::Map::new()));
        if target.is_some() {
            *budget -= 1;
            inline_refs(value, components, depth - 1, budget);
        }
        return;
    }
    match value {
        Value::Object(members) => {
            for (key, member) in members.iter_mut() {
                if !matches!(key.as_str(), "example" | "examples" | "default" | "enum") {
                    inline_refs(member, components, depth, budget);
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| inline_refs(item, components, depth, budget)),
        _ => {}
    }
}

/// Whether `schema` is a union (`oneOf`, `anyOf`) with an array
/// alternative: given more than once in the query, it is that array.
fn union_with_array(spec: &openapiv3::OpenAPI, schema: &ReferenceOr<Schema>) -> bool {
    let branches = match openapi_source::spec::resolve(spec, schema).map(|s| &s.schema_kind) {
        Some(openapiv3::SchemaKind::OneOf { one_of }) => one_of,
        Some(openapiv3::SchemaKind::AnyOf { any_of }) => any_of,
        _ => return false,
    };
    branches.iter().any(|branch| {
        matches!(
            openapi_source::spec::resolve(spec, branch).map(|s| &s.schema_kind),
            Some(openapiv3::SchemaKind::Type(openapiv3::Type::Array(_)))
        )
    })
}

/// The delimiter of an array query parameter in `spaceDelimited` or
/// `pipeDelimited` style.
fn query_delimiter(parameter: &Parameter) -> Option<char> {
    match parameter {
        Parameter::Query {
            style: openapiv3::QueryStyle::SpaceDelimited,
            ..
        } => Some(' '),
        Parameter::Query {
            style: openapiv3::QueryStyle::PipeDelimited,
            ..
        } => Some('|'),
        _ => None,
    }
}

/// Largest request body the generated routers read.
const BODY_LIMIT: usize = 1 << 20;

pub fn generate(ctx: &Context<'_>) -> Result<super::Code> {
    render(ctx, Flavour::Server)
}

/// The receiver of the API's webhooks, for the client crate's `webhooks`
/// module: `ctx` is the webhooks' own document
/// ([`super::webhooks::view`]); the trait is `Receiver`, one method per
/// webhook, served by `router` with the same validation as operations,
/// and there is no mock.
pub fn receiver(ctx: &Context<'_>) -> Result<super::Code> {
    render(ctx, Flavour::Receiver)
}

/// What the emitter renders: the API's server, or a webhook receiver.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flavour {
    Server,
    Receiver,
}

fn render(ctx: &Context<'_>, flavour: Flavour) -> Result<super::Code> {
    let types_crate = ctx.crate_ident(CrateKind::Types);
    let mut types = TypeGen::outside(ctx.spec, quote! { ::#types_crate:: });
    let envelopes = Envelope::find(ctx)?;
    let header_sets = HeaderSets::collect(ctx.spec, &mut types)?;
    let trait_name = match flavour {
        Flavour::Server => ident(&pascal_case(&ctx.api.name)),
        Flavour::Receiver => ident("Receiver"),
    };

    // Each operation's items are printed as soon as they are built: the
    // bulk of the crate, and no token stream of it all is held.
    let mut printed = String::new();
    let mut methods = Vec::new();
    let mut axum_routes = AxumRoutes::default();
    let mut table = Vec::new();
    let mut mock_methods = Vec::new();
    let mut mock_decoders = Vec::new();
    let mut operation_envelopes = Vec::new();
    let mut error_envelopes: Vec<Option<Ident>> = Vec::new();
    let mut mock_examples = Vec::new();
    let mut mock_headers = Vec::new();
    let mut paged = Vec::new();
    let mut routes = Routes::default();
    let examples = Examples::new(ctx.raw);
    let mut bodies = BodySchemas::new(examples.validator.as_ref());
    let mut not_found_answers = NotFoundAnswers::default();
    for (path, method, operation) in ctx.spec.operations() {
        let route = routes.add(path, method).map_err(|error| {
            super::at(error, || {
                format!("/paths/{}", openapi_source::escape_token(path))
            })
        })?;
        let id = operation
            .operation_id
            .as_deref()
            .context("operation without operationId")?;
        let op = Operation::build(
            ctx,
            (&mut types, &mut bodies),
            (&envelopes, &header_sets),
            &route,
            method,
            operation,
        )
        .with_context(|| format!("operation `{id}`"))
        .map_err(|error| {
            super::at(error, || {
                format!("/paths/{}/{method}", openapi_source::escape_token(path))
            })
        })?;
        let (input, output, answer, handler) = (
            op.input_struct(),
            op.output_enum(),
            op.answer_impl(),
            op.handler(&trait_name, table.len()),
        );
        let body_schema = op.schema_statics();
        printed.push_str(&super::print_items(
            quote! { #input #body_schema #output #answer #handler },
        )?);
        methods.push(op.trait_method());
        mock_methods.push(op.mock_method());
        let output = &op.output;
        mock_decoders.push(quote! { |s, b| #output::from_wire(s, b).map(drop) });
        let error_envelope = op.error_envelope();
        error_envelopes.push(op.error_envelope_name().cloned());
        operation_envelopes.push(quote! { (#id, #error_envelope) });
        mock_examples.extend(mock_examples_of(ctx, &examples, path, method, &op)?);
        mock_headers.extend(mock_headers_of(ctx, &examples, (path, method), &op)?);
        if let Some(default_limit) = paging(ctx, path, method)? {
            let id = &op.id;
            let default_limit = match default_limit {
                Some(limit) => quote! { ::std::option::Option::Some(#limit) },
                None => quote! { ::std::option::Option::None },
            };
            paged.push(quote! { (#id, #default_limit) });
        }
        let statuses: Vec<u16> = op.variants.iter().map(|v| v.status).collect();
        let upper = method.to_uppercase();
        let credentials = !op.security.is_empty();
        let refusals = refusals_of(ctx, &examples, path, method, &op)?;
        let keys: Vec<String> = op.variants.iter().map(response_key).collect();
        not_found_answers.offer(table.len(), &keys);
        let (route_path, query) = (&route.axum, route.query_tokens());
        table.push(quote! {
            ::bindings_server::Operation {
                id: #id, method: #upper, path: #route_path, query: #query, statuses: &[#(#statuses),*],
                credentials: #credentials, refusals: &[#(#refusals),*],
            }
        });
        axum_routes.add(&route, method, id, &op.handler_name);
    }
    let (axum_routes, dispatchers) = axum_routes.render(&trait_name);

    let fallback_operation = not_found_answers.fallback_operation();
    let request_error = request_error_fn(ctx.raw)?;
    let refusal_doc = refusal_doc(ctx.raw);
    let header_structs = header_sets.definitions();
    let fallback_envelope = envelope_expr(most_common(&error_envelopes));
    let (mock, operation_envelopes) = match flavour {
        Flavour::Server => {
            let binary = mock_binary(ctx);
            let mock = mock_module(
                &trait_name,
                (&mock_methods, &mock_decoders),
                (&mock_examples, &mock_headers, &paged),
                &binary,
            );
            let envelopes = quote! {
                /// The envelope each operation's request errors are wrapped in (the
                /// mock's answers to a `Prefer` it cannot meet).
                #[cfg(feature = "mock")]
                const OPERATION_ENVELOPES: &[(&str, ::std::option::Option<&::bindings_server::Envelope>)] = &[#(#operation_envelopes),*];
            };
            (mock, envelopes)
        }
        Flavour::Receiver => (TokenStream::new(), TokenStream::new()),
    };
    let envelope_consts = envelopes
        .iter()
        .map(|envelope| {
            let (name, value) = (&envelope.const_name, envelope.constant()?);
            let doc = format!(" The `{}` envelope (`x-envelope`).", envelope.schema);
            Ok(quote! { #[doc = #doc] pub const #name: &::bindings_server::Envelope = &#value; })
        })
        .collect::<Result<Vec<_>>>()?;
    let trait_doc = docs(Some(&match flavour {
        Flavour::Server => format!(
            "The {} API, one method per operation.\n\nImplement it with business logic only and serve it with [`router`]: requests are\nvalidated against the spec before a method is called, and answers are encoded\nas the spec documents.",
            ctx.spec.info.title
        ),
        Flavour::Receiver => format!(
            "The webhooks of the {} API, one method per webhook.\n\nImplement it and serve it with [`router`] under the URL the API sends to: each\nwebhook arrives at that URL followed by `/` and its name, is validated against\nthe spec before its method is called, and the answer is encoded as the spec\ndocuments.",
            ctx.spec.info.title
        ),
    }));
    let body_limit_doc = format!(
        " Largest request body a router reads ({BODY_LIMIT} bytes); larger ones get the spec's request-error answer."
    );
    let request_schemas = if bodies.is_empty() {
        TokenStream::new()
    } else {
        let document = super::body_schemas::raw_literal(&bodies.document(ctx.raw));
        quote! {
            /// The schemas the JSON request bodies and the queries are checked
            /// against before they are decoded, translated to JSON Schema 2020-12:
            /// what a request must be, which its Rust types alone do not check
            /// (formats, unique items, a value that fits two `oneOf` variants).
            static REQUEST_SCHEMAS: ::bindings_server::Schemas =
                ::bindings_server::Schemas::new(#document);
        }
    };
    let tokens = quote! {
        #[doc = #body_limit_doc]
        pub const BODY_LIMIT: usize = #BODY_LIMIT;

        #request_schemas

        #(#envelope_consts)*

        /// Every operation of the spec: id, method, path template and the
        /// statuses it documents.
        pub const OPERATIONS: &[::bindings_server::Operation] = &[#(#table),*];

        #operation_envelopes

        #(#header_structs)*

        #trait_doc
        pub trait #trait_name: Send + Sync + 'static {
            #(#methods)*
        }

        /// An axum router that serves `service` on the spec's paths.
        ///
        /// Requests that break the spec (a missing header, a parameter out of
        /// its bounds, a body that is not the documented JSON) are answered with
        /// the spec's documented error status and body; the service never sees
        /// them.
        ///
        /// A path no operation has, a method a path does not take, a URI or
        /// headers beyond [`bindings_server::RequestLimits`] get the same
        /// documented error body (with 404, 405, 414 and 431).
        #refusal_doc
        pub fn router<S: #trait_name>(service: S) -> ::axum::Router {
            ::axum::Router::new()
                #(#axum_routes)*
                .fallback(not_found)
                .method_not_allowed_fallback(method_not_allowed)
                .layer(::bindings_server::RequestLimitsLayer::new(::bindings_server::RequestLimits::DEFAULT, beyond_limits))
                .with_state(::std::sync::Arc::new(service))
        }

        /// The envelope of answers that belong to no operation.
        const FALLBACK_ENVELOPE: ::std::option::Option<&::bindings_server::Envelope> = #fallback_envelope;

        #fallback_operation

        /// A path no route has; one that leaves a path parameter empty gets the
        /// refusal of the operation it was meant for.
        async fn not_found(method: ::axum::http::Method, uri: ::axum::http::Uri) -> ::axum::response::Response {
            let started = ::std::time::Instant::now();
            match ::bindings_server::meant_operation(OPERATIONS, &method, &uri) {
                ::std::option::Option::Some(operation) => request_error(&::bindings_server::empty_path_parameter(&uri, operation), started, FALLBACK_ENVELOPE, operation),
                ::std::option::Option::None => request_error(&::bindings_server::not_found(&uri), started, FALLBACK_ENVELOPE, &FALLBACK_OPERATION),
            }
        }

        async fn method_not_allowed(method: ::axum::http::Method, uri: ::axum::http::Uri) -> ::axum::response::Response {
            request_error(&::bindings_server::method_not_allowed(&method, &uri), ::std::time::Instant::now(), FALLBACK_ENVELOPE, &FALLBACK_OPERATION)
        }

        fn beyond_limits(problem: &::bindings_server::Problem) -> ::axum::response::Response {
            request_error(problem, ::std::time::Instant::now(), FALLBACK_ENVELOPE, &FALLBACK_OPERATION)
        }

        #(#dispatchers)*

        #request_error

        #mock
    };
    Ok(super::Code {
        tokens,
        items: Vec::new(),
        printed,
    })
}

/// The parts of an envelope schema the server needs.
struct Envelope {
    /// Component name of the envelope schema.
    schema: String,
    /// The generated constant that describes it.
    const_name: Ident,
    fill: Vec<(String, String)>,
    payload: String,
    error: String,
    payload_type: TokenStream,
    error_type: TokenStream,
}

impl Envelope {
    fn find(ctx: &Context<'_>) -> Result<Vec<Envelope>> {
        let Some(Value::Object(schemas)) = ctx.raw.pointer("/components/schemas") else {
            return Ok(Vec::new());
        };
        let mut found = Vec::new();
        for (name, schema) in schemas {
            let Some(extension) = schema.get("x-envelope") else {
                continue;
            };
            let member = |key: &str| -> Result<String> {
                let member = extension
                    .get(key)
                    .and_then(Value::as_str)
                    .with_context(|| format!("x-envelope of `{name}` needs `{key}`"))?;
                if schema.pointer(&format!("/properties/{member}")).is_none() {
                    bail!("x-envelope of `{name}`: `{member}` is not a property");
                }
                Ok(member.to_owned())
            };
            let (payload, error) = (member("payload")?, member("error")?);
            let mut fill = Vec::new();
            for (property, kind) in extension
                .get("fill")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                if schema.pointer(&format!("/properties/{property}")).is_none() {
                    bail!("x-envelope of `{name}`: fill member `{property}` is not a property");
                }
                let kind = kind.as_str().context("fill kinds are strings")?;
                fill.push((property.clone(), kind.to_owned()));
            }
            let typed = ctx
                .spec
                .components
                .as_ref()
                .and_then(|c| c.schemas.get(name))
                .and_then(|s| s.as_item());
            let Some(openapiv3::Schema {
                schema_kind: openapiv3::SchemaKind::Type(openapiv3::Type::Object(object)),
                ..
            }) = typed
            else {
                bail!("`{name}` has x-envelope but is not an object schema");
            };
            let types_crate = ctx.crate_ident(CrateKind::Types);
            let mut types = TypeGen::outside(ctx.spec, quote! { ::#types_crate:: });
            let member_type = |types: &mut TypeGen<'_>, member: &str| {
                let schema = object.properties.get(member).context("envelope member")?;
                types.type_of(schema, member)
            };
            let payload_type = member_type(&mut types, &payload)?;
            let error_type = member_type(&mut types, &error)?;
            found.push(Envelope {
                schema: name.clone(),
                const_name: format_ident!("ENVELOPE_{}", snake_case(name).to_ascii_uppercase()),
                fill,
                payload,
                error,
                payload_type,
                error_type,
            });
        }
        Ok(found)
    }

    fn constant(&self) -> Result<TokenStream> {
        let mut fill = Vec::new();
        for (member, kind) in &self.fill {
            let kind = match kind.as_str() {
                "success" => quote! { Success },
                "timestamp" => quote! { Timestamp },
                "duration-ms" => quote! { DurationMs },
                "status" => quote! { Status },
                "trace-id" => quote! { TraceId },
                other => bail!(
                    "x-envelope fill `{member}`: unknown kind `{other}` (the lint's `envelope` rule)"
                ),
            };
            fill.push(quote! { (#member, ::bindings_server::Fill::#kind) });
        }
        let (payload, error) = (&self.payload, &self.error);
        Ok(quote! {
            ::bindings_server::Envelope { fill: &[#(#fill),*], payload: #payload, error: #error }
        })
    }
}

/// One type per distinct set of documented response headers, shared by
/// every answer that documents the same set.
struct HeaderSets {
    /// Each set's key, type name and definition, in order of first use.
    sets: Vec<(String, Ident, TokenStream)>,
}

/// A header set's key, fields, the component responses that use it (`None`
/// for an inline one) and its first user's name.
type FoundSet = (String, Vec<HeaderField>, Vec<Option<String>>, String);

/// One documented response header: wire name, field, type, description.
struct HeaderField {
    wire_name: String,
    field: Ident,
    ty: TokenStream,
    doc: String,
    /// An array, sent as its items joined by commas (`simple` style).
    list: bool,
}

impl HeaderSets {
    /// The header sets of every response of `spec`: one type per distinct
    /// set, named from the component response that documents it (when
    /// only one does), else from its headers' names.
    fn collect(spec: &OpenAPI, types: &mut TypeGen<'_>) -> Result<Self> {
        // key -> (fields, component responses using it, first user's name)
        let mut found: Vec<FoundSet> = Vec::new();
        for (path, method, operation) in spec.operations() {
            let id = operation.operation_id.as_deref().unwrap_or_default();
            let responses = operation
                .responses
                .responses
                .iter()
                .map(|(status, response)| (status.to_string(), response))
                .chain(
                    operation
                        .responses
                        .default
                        .iter()
                        .map(|r| ("default".to_owned(), r)),
                );
            for (status, reference) in responses {
                let response = resolve(spec, reference)?;
                if response.headers.is_empty() {
                    continue;
                }
                let fields = header_fields(types, spec, response).map_err(|error| {
                    super::at(error.context(format!("operation `{id}`")), || {
                        format!(
                            "/paths/{}/{method}/responses/{status}",
                            openapi_source::escape_token(path)
                        )
                    })
                })?;
                let key = header_key(&fields);
                let component = match reference {
                    ReferenceOr::Reference { reference } => reference
                        .strip_prefix("#/components/responses/")
                        .map(str::to_owned),
                    ReferenceOr::Item(_) => None,
                };
                match found.iter_mut().find(|(k, ..)| *k == key) {
                    Some((_, _, uses, _)) => uses.push(component),
                    None => {
                        let variant = match status.parse::<u16>() {
                            Ok(code) => status_variant(code),
                            Err(_) => pascal_case(&status),
                        };
                        let first = format!("{}{variant}", type_prefix(id));
                        found.push((key, fields, vec![component], first));
                    }
                }
            }
        }
        let mut taken = std::collections::BTreeSet::new();
        let mut sets = Vec::new();
        for (key, fields, uses, first) in found {
            let one_component = match uses.first() {
                // `200WebhookDataReceivedOk` (Xero) gives `V200...Headers`.
                Some(Some(name)) if uses.iter().all(|u| u.as_deref() == Some(name)) => {
                    Some(super::naming::type_prefix(name))
                }
                _ => None,
            };
            let from_names = (fields.len() <= 2)
                .then(|| {
                    fields
                        .iter()
                        .map(|f| pascal_case(&f.wire_name))
                        .collect::<String>()
                })
                .map(|stem| super::naming::type_prefix(&stem));
            let name = [one_component, from_names, Some(first.clone())]
                .into_iter()
                .flatten()
                .map(|stem| format!("{stem}Headers"))
                .find(|name| !taken.contains(name))
                .unwrap_or_else(|| format!("{first}Headers{}", sets.len()));
            taken.insert(name.clone());
            let name = format_ident!("{name}");
            let definition = header_struct(&name, &fields);
            sets.push((key, name, definition));
        }
        Ok(HeaderSets { sets })
    }

    /// The type of `response`'s documented headers, if it documents any.
    fn name_of(
        &self,
        types: &mut TypeGen<'_>,
        spec: &OpenAPI,
        response: &Response,
    ) -> Result<Option<Ident>> {
        if response.headers.is_empty() {
            return Ok(None);
        }
        let key = header_key(&header_fields(types, spec, response)?);
        self.sets
            .iter()
            .find(|(k, ..)| *k == key)
            .map(|(_, name, _)| Some(name.clone()))
            .context("a header set the first pass did not see")
    }

    fn definitions(&self) -> impl Iterator<Item = &TokenStream> {
        self.sets.iter().map(|(_, _, definition)| definition)
    }
}

fn header_key(fields: &[HeaderField]) -> String {
    fields
        .iter()
        .map(|f| format!("{}\u{0}{}\u{0}{}\u{1}", f.wire_name, f.ty, f.doc))
        .collect()
}

/// A response's documented headers (each optional: the service sets what
/// it has).
fn header_fields(
    types: &mut TypeGen<'_>,
    spec: &OpenAPI,
    response: &Response,
) -> Result<Vec<HeaderField>> {
    let mut fields = Vec::new();
    let mut field_names = std::collections::BTreeSet::new();
    for (wire_name, header) in &response.headers {
        let header = resolve(spec, header)?;
        let list = match &header.format {
            openapiv3::ParameterSchemaOrContent::Schema(schema) => {
                resolve(spec, schema).is_ok_and(|schema| {
                    matches!(
                        schema.schema_kind,
                        openapiv3::SchemaKind::Type(openapiv3::Type::Array(_))
                    )
                })
            }
            openapiv3::ParameterSchemaOrContent::Content(_) => false,
        };
        let ty = match &header.format {
            openapiv3::ParameterSchemaOrContent::Schema(schema) => {
                types.type_of(&boxed(schema), &format!("{}Header", pascal_case(wire_name)))?
            }
            openapiv3::ParameterSchemaOrContent::Content(_) => quote! { ::std::string::String },
        };
        let lower = wire_name.to_ascii_lowercase();
        // RFC 9110 token characters: what `HeaderName::from_static` takes.
        if lower.is_empty()
            || !lower
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
        {
            bail!("response header `{wire_name}` is not a valid HTTP header name");
        }
        let mut text = header.description.clone().unwrap_or_default();
        if header.required {
            text.push_str("\n\nThe spec says every such answer carries it.");
        }
        // Headers one Rust name apart (`X-Foo`, `X_Foo`) get a numbered
        // field; each keeps its wire name.
        let mut field = ident(&snake_case(wire_name));
        let mut counter = 2;
        while !field_names.insert(field.to_string()) {
            field = ident(&format!("{}_{counter}", snake_case(wire_name)));
            counter += 1;
        }
        fields.push(HeaderField {
            wire_name: wire_name.clone(),
            field,
            ty,
            doc: format!("`{wire_name}`: {}", text.trim()),
            list,
        });
    }
    Ok(fields)
}

/// The struct of one header set, with a setter per header and
/// `ResponseHeaders`, through which the router writes the ones set.
fn header_struct(name: &Ident, fields: &[HeaderField]) -> TokenStream {
    let mut setter_names = std::collections::BTreeSet::new();
    let names: Vec<String> = fields
        .iter()
        .map(|f| format!("`{}`", f.wire_name))
        .collect();
    let doc = format!(
        " Documented response headers: {}. Each is optional: the router writes those that are set.",
        names.join(", ")
    );
    let members = fields.iter().map(|HeaderField { field, ty, doc, .. }| {
        let doc = docs(Some(doc));
        quote! { #doc pub #field: ::std::option::Option<#ty>, }
    });
    let setters: Vec<TokenStream> = fields
        .iter()
        .map(|f| super::setter_method(&f.field, &f.wire_name, &f.ty, &mut setter_names))
        .collect();
    let writes = fields.iter().map(
        |HeaderField {
             wire_name,
             field,
             list,
             ..
         }| {
            let lower = wire_name.to_ascii_lowercase();
            if *list {
                quote! { ::bindings_server::set_header_list(response, #lower, self.#field.as_deref())?; }
            } else {
                quote! { ::bindings_server::set_header(response, #lower, self.#field.as_ref())?; }
            }
        },
    );
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, Default)]
        #[non_exhaustive]
        pub struct #name { #(#members)* }

        impl #name {
            #(#setters)*
        }

        impl ::bindings_server::ResponseHeaders for #name {
            fn write(&self, response: &mut ::axum::response::Response) -> ::std::result::Result<(), ::std::string::String> {
                #(#writes)*
                Ok(())
            }
        }
    }
}

struct Field {
    name: Ident,
    doc: TokenStream,
    ty: TokenStream,
    extract: TokenStream,
}

struct Variant {
    name: Ident,
    /// The documented status; for a range or `default`, a representative
    /// one (the range's first, or 200/500), used by mocks and `OPERATIONS`.
    status: u16,
    /// `Some(n)` for the range `nXX`, `Some(0)` for `default`: the answer
    /// then carries its own status.
    range: Option<u16>,
    doc: TokenStream,
    /// `None` for a response without a body.
    body: Option<TokenStream>,
    /// The media type of a body that is not JSON (`String` for `text/*`,
    /// else `Vec<u8>`), answered as it is.
    raw: Option<String>,
    /// The documented JSON media type where it is not `application/json`
    /// (`application/scim+json`): the answer's `Content-Type`.
    json_media: Option<String>,
    /// The struct of the documented response headers, if any: its name and
    /// definition.
    headers: Option<Ident>,
    member: TokenStream,
    /// The envelope member that carries the body, in an envelope API.
    envelope_member: Option<String>,
    /// The constant of the envelope the answer is wrapped in, if any.
    envelope: Option<Ident>,
}

struct Operation {
    id: String,
    doc: TokenStream,
    input: Ident,
    output: Ident,
    handler_name: Ident,
    fields: Vec<Field>,
    variants: Vec<Variant>,
    has_path: bool,
    has_body: bool,
    /// The credentials of each security alternative; empty when the
    /// operation needs no credentials.
    security: Vec<Vec<Needed>>,
    /// The path parameters the route captures other than as `{name}`.
    captures: std::collections::BTreeMap<String, Capture>,
    /// The path parameters the path's query part carries, and their keys.
    query_captures: std::collections::BTreeMap<String, String>,
    /// The query parameter names the operation gives a meaning, the
    /// members of an exploded object among them.
    query_names: Vec<String>,
    /// How many of its query parameters are objects without named members
    /// in `form` style with `explode`.
    free_form_queries: usize,
    /// The static its JSON body is checked against, and that schema (JSON
    /// Schema, as JSON text).
    body_schema: Option<(Ident, String)>,
    /// The static its query is checked against, and that schema.
    query_schema: Option<(Ident, String)>,
    /// The static its path parameters are checked against, and that
    /// schema.
    path_schema: Option<(Ident, String)>,
}

impl Operation {
    fn build(
        ctx: &Context<'_>,
        (types, bodies): (&mut TypeGen<'_>, &mut BodySchemas<'_>),
        (envelopes, header_sets): (&[Envelope], &HeaderSets),
        route: &Route,
        method: &str,
        operation: &openapiv3::Operation,
    ) -> Result<Self> {
        let spec = ctx.spec;
        let path = route.path.as_str();
        let id = operation.operation_id.clone().context("operationId")?;
        let pascal = type_prefix(&id);
        let mut summary = operation.summary.clone().unwrap_or_default();
        if let Some(description) = &operation.description {
            summary.push_str("\n\n");
            summary.push_str(description.trim_end());
        }
        summary.push_str(&format!("\n\n`{} {path}`", method.to_uppercase()));
        let mut op = Operation {
            doc: docs(Some(&summary)),
            input: format_ident!("{pascal}Input"),
            output: format_ident!("{pascal}Output"),
            handler_name: format_ident!("handle_{}", snake_case(&id)),
            id,
            fields: Vec::new(),
            variants: Vec::new(),
            has_path: false,
            has_body: false,
            security: security_alternatives(spec, operation),
            captures: route.captures.clone(),
            query_captures: route
                .query
                .iter()
                .filter_map(|item| match &item.value {
                    QueryValue::Parameter(name) => Some((name.clone(), item.key.clone())),
                    _ => None,
                })
                .collect(),
            query_names: Vec::new(),
            free_form_queries: 0,
            body_schema: None,
            query_schema: None,
            path_schema: None,
        };
        (op.query_names, op.free_form_queries) = query_names(spec, operation);
        op.query_names
            .extend(route.query.iter().map(|item| item.key.clone()));
        for (index, parameter) in operation.parameters.iter().enumerate() {
            let parameter = resolve(spec, parameter)?;
            if let Parameter::Path { parameter_data, .. } = parameter
                && !super::routes::captures(path, &parameter_data.name)
            {
                // Never in a request (lint: `path-parameter-unused`).
                continue;
            }
            op.parameter(types, parameter).map_err(|error| {
                super::at(error, || {
                    format!(
                        "/paths/{}/{method}/parameters/{index}",
                        openapi_source::escape_token(path)
                    )
                })
            })?;
        }
        op.parameter_schemas_of(ctx, bodies, path, method);
        if let Some(body) = &operation.request_body {
            let body = resolve(spec, body)?;
            // The body as written: `xml` (names, wrapping) is not in the
            // parsed model.
            let raw_body = raw_operation(ctx, path, method)
                .ok()
                .and_then(|raw| raw.get("requestBody"))
                .map(|raw| resolve_raw(ctx.raw, raw));
            op.body((types, bodies), body, ctx.raw, raw_body.as_ref())?;
        }
        let has_success = openapi_source::spec::documents_success(&operation.responses);
        for (status, response) in &operation.responses.responses {
            let response = resolve(spec, response)?;
            match status {
                StatusCode::Code(code) => {
                    op.variant(types, spec, (envelopes, header_sets), *code, None, response)?
                }
                StatusCode::Range(range @ 1..=5) => op.variant(
                    types,
                    spec,
                    (envelopes, header_sets),
                    range * 100,
                    Some(*range),
                    response,
                )?,
                StatusCode::Range(range) => bail!("`{range}XX` is not a status range"),
            }
        }
        if operation.responses.responses.is_empty() && operation.responses.default.is_none() {
            // OpenAPI requires a response (lint: `responses-empty`); read as
            // "any answer, no body documented", as progenitor reads it.
            let any = Response {
                description: "No response is documented.".into(),
                ..Default::default()
            };
            op.variant(types, spec, (envelopes, header_sets), 200, Some(0), &any)?;
        }
        if let Some(default) = &operation.responses.default {
            let response = resolve(spec, default)?;
            // `default` stands for the errors beside documented successes,
            // and for every answer where none is documented.
            let representative = if has_success { 500 } else { 200 };
            op.variant(
                types,
                spec,
                (envelopes, header_sets),
                representative,
                Some(0),
                response,
            )?;
        }
        Ok(op)
    }

    fn parameter(&mut self, types: &mut TypeGen<'_>, parameter: &Parameter) -> Result<()> {
        let data = parameter.parameter_data_ref();
        let ParameterSchemaOrContent::Schema(schema) = &data.format else {
            bail!(
                "parameter `{}` uses `content`, which the server generator does not support",
                data.name
            );
        };
        let name = ident(&snake_case(&data.name));
        let wire_name = &data.name;
        let required = data.required || matches!(parameter, Parameter::Path { .. });
        if let Parameter::Query {
            style: openapiv3::QueryStyle::DeepObject,
            ..
        } = parameter
        {
            let read = quote! { request.deep_object(#wire_name)? };
            return self.query_read(types, data, schema, read, "In `deepObject` style.");
        }
        // An array in the query (`form` style) or a header (`simple`):
        // each item parsed.
        let array_items = match (
            parameter,
            openapi_source::spec::resolve(types.spec(), schema),
        ) {
            (
                Parameter::Query { .. } | Parameter::Header { .. } | Parameter::Cookie { .. },
                Some(Schema {
                    schema_kind: openapiv3::SchemaKind::Type(openapiv3::Type::Array(array)),
                    ..
                }),
            ) => Some(array.items.clone()),
            _ => None,
        };
        if let Some(items) = array_items {
            let item = match &items {
                Some(items) => types.type_of(items, &format!("{}Item", pascal_case(&data.name)))?,
                None => quote! { ::std::string::String },
            };
            let explode = data.explode.unwrap_or(true);
            let extract = match (parameter, query_delimiter(parameter)) {
                (Parameter::Query { .. }, Some(delimiter)) => {
                    let list = quote! { request.split_query_list(#wire_name, Some(#delimiter))? };
                    if required {
                        quote! { ::bindings_server::required_in_query(#list, #wire_name)? }
                    } else {
                        list
                    }
                }
                // An empty value of one that `allowEmptyValue` may be the
                // parameter left out (see below).
                (
                    Parameter::Query {
                        allow_empty_value: Some(true),
                        ..
                    },
                    None,
                ) if !required => {
                    quote! { request.query_list_allowing_empty(#wire_name, #explode)? }
                }
                (Parameter::Query { .. }, None) => {
                    let read = reader("query_list", required);
                    quote! { request.#read(#wire_name, #explode)? }
                }
                _ => {
                    let read = reader(&format!("{}_list", place(parameter)), required);
                    quote! { request.#read(#wire_name)? }
                }
            };
            let ty = if required {
                quote! { ::std::vec::Vec<#item> }
            } else {
                quote! { ::std::option::Option<::std::vec::Vec<#item>> }
            };
            let mut description = data.description.clone().unwrap_or_default();
            if !required {
                description.push_str("\n\nOptional: `None` when the request leaves it out.");
            }
            self.push_field(Field {
                name,
                doc: docs(Some(&description)),
                ty,
                extract,
            });
            return Ok(());
        }
        if let Parameter::Query { .. } = parameter
            && let Some(members) = object_members(types.spec(), schema)
        {
            return self.query_object(types, data, schema, required, &members);
        }
        let ty = types.type_of(&boxed(schema), &pascal_case(&data.name))?;
        let (kind, raw) = match (parameter, required) {
            (Parameter::Path { .. }, _) if self.query_captures.contains_key(wire_name) => {
                let key = &self.query_captures[wire_name];
                (
                    quote! { InvalidQuery },
                    quote! { request.required_query(#key)? },
                )
            }
            (Parameter::Path { .. }, _) => {
                self.has_path = true;
                let read = match self.captures.get(wire_name) {
                    None => quote! { request.path(#wire_name)? },
                    Some(Capture {
                        route_name,
                        template,
                    }) => quote! {
                        request.captured_path(#wire_name, ::bindings_server::Capture {
                            route_name: #route_name, template: #template,
                        })?
                    },
                };
                (quote! { InvalidPath }, read)
            }
            // An empty value of a parameter that `allowEmptyValue` is valid;
            // where its type reads none (`opt_pretty=` for a boolean,
            // Asana), it is the parameter left out.
            (
                Parameter::Query {
                    allow_empty_value: Some(true),
                    ..
                },
                false,
            ) if !union_with_array(types.spec(), schema) => (
                quote! { InvalidQuery },
                quote! { request.query_allowing_empty(#wire_name)? },
            ),
            (Parameter::Query { .. }, _) => {
                let base = if union_with_array(types.spec(), schema) {
                    "query_union"
                } else {
                    "query"
                };
                let read = reader(base, required);
                (
                    quote! { InvalidQuery },
                    quote! { request.#read(#wire_name)? },
                )
            }
            (Parameter::Header { .. }, _)
                if let Some(values) = accept_values(types.spec(), parameter, schema) =>
            {
                let read = reader("accept_header", required);
                (
                    quote! { InvalidHeader },
                    quote! { request.#read(#wire_name, &[#(#values),*])? },
                )
            }
            (Parameter::Header { .. } | Parameter::Cookie { .. }, _) => {
                let read = reader(place(parameter), required);
                (
                    quote! { InvalidHeader },
                    quote! { request.#read(#wire_name)? },
                )
            }
        };
        let label = match parameter {
            Parameter::Path { .. } => format!("path parameter `{wire_name}`"),
            Parameter::Query { .. } => format!("query parameter `{wire_name}`"),
            Parameter::Cookie { .. } => format!("cookie `{wire_name}`"),
            Parameter::Header { .. } => format!("header `{wire_name}`"),
        };
        let check = inline_constraints(schema, &label);
        let bounds = number_bounds(types.spec(), schema, &label);
        let field_ty = if required {
            ty.clone()
        } else {
            quote! { ::std::option::Option<#ty> }
        };
        // `raw` ends in `?`; the check takes the value it gives.
        let extract = match (check, bounds) {
            (None, Some(bounds)) => {
                let within = if required {
                    quote! { within }
                } else {
                    quote! { within_optional }
                };
                quote! {{
                    #bounds
                    ::bindings_server::#within(#raw, &BOUNDS, ::bindings_server::ProblemKind::#kind)?
                }}
            }
            (None, None) => raw,
            (Some(constraints), _) => {
                let check = if required {
                    quote! { checked }
                } else {
                    quote! { checked_optional }
                };
                quote! {{
                    #constraints
                    ::bindings_server::#check(#raw, &CONSTRAINTS, ::bindings_server::ProblemKind::#kind)?
                }}
            }
        };
        let mut description = data.description.clone().unwrap_or_default();
        if !required {
            description.push_str("\n\nOptional: `None` when the request leaves it out.");
        }
        self.push_field(Field {
            name,
            doc: docs(Some(&description)),
            ty: field_ty,
            extract,
        });
        Ok(())
    }

    /// An object in the query, `form` style with `explode` (OpenAPI's
    /// default): its members are the query parameters.
    fn query_object(
        &mut self,
        types: &mut TypeGen<'_>,
        data: &openapiv3::ParameterData,
        schema: &ReferenceOr<Schema>,
        required: bool,
        members: &[String],
    ) -> Result<()> {
        let wire_name = &data.name;
        if data.explode == Some(false) {
            let read = quote! { request.flat_query_object(#wire_name)? };
            let doc = "An object, its members and values in turn: `name=x,1,y,2`.";
            return self.query_read(types, data, schema, read, doc);
        }
        if members.is_empty() {
            // A free-form object: every query parameter not named otherwise.
            if self.free_form_queries > 1 {
                bail!(
                    "query parameter `{wire_name}` is one of {} objects without named members \
                     in `form` style with `explode`, whose query parameters the server \
                     generator cannot tell apart",
                    self.free_form_queries
                );
            }
            let known = self.query_names.iter().filter(|name| *name != wire_name);
            let read = quote! { request.other_query_object(#wire_name, &[#(#known),*])? };
            let doc = "An object: each query parameter the operation does not name otherwise \
                       is one of its members.";
            return self.query_read(types, data, schema, read, doc);
        }
        let ty = types.type_of(&boxed(schema), &pascal_case(wire_name))?;
        let (ty, extract) = if required {
            (
                ty,
                quote! { request.required_query_object(#wire_name, &[#(#members),*])? },
            )
        } else {
            (
                quote! { ::std::option::Option<#ty> },
                quote! { request.query_object(#wire_name, &[#(#members),*])? },
            )
        };
        let mut description = data.description.clone().unwrap_or_default();
        description.push_str(&format!(
            "\n\nAn object: each of its members is a query parameter of its own ({})",
            members
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        if !required {
            description.push_str("\n\nOptional: `None` when the request gives none of them.");
        }
        self.push_field(Field {
            name: ident(&snake_case(wire_name)),
            doc: docs(Some(&description)),
            ty,
            extract,
        });
        Ok(())
    }

    /// A query parameter `read` gives as an `Option` of its type, required
    /// or not as the spec says.
    fn query_read(
        &mut self,
        types: &mut TypeGen<'_>,
        data: &openapiv3::ParameterData,
        schema: &ReferenceOr<Schema>,
        read: TokenStream,
        how: &str,
    ) -> Result<()> {
        let wire_name = &data.name;
        let ty = types.type_of(&boxed(schema), &pascal_case(wire_name))?;
        let mut description = data.description.clone().unwrap_or_default();
        description.push_str(&format!("\n\n{how}"));
        let (ty, extract) = if data.required {
            (
                ty,
                quote! { ::bindings_server::required_in_query(#read, #wire_name)? },
            )
        } else {
            description.push_str("\n\nOptional: `None` when the request leaves it out.");
            (quote! { ::std::option::Option<#ty> }, read)
        };
        self.push_field(Field {
            name: ident(&snake_case(wire_name)),
            doc: docs(Some(&description)),
            ty,
            extract,
        });
        Ok(())
    }

    /// Adds a field of the input; one whose name a field has already (a
    /// header and a path parameter both `menuId`, a parameter `body`
    /// beside the body) gets a number, and keeps its wire name.
    fn push_field(&mut self, mut field: Field) {
        let taken = |fields: &[Field], name: &Ident| fields.iter().any(|f| f.name == *name);
        let name = field.name.to_string();
        let base = name.trim_start_matches("r#").trim_end_matches('_');
        let mut counter = 2;
        while taken(&self.fields, &field.name) {
            field.name = ident(&format!("{base}_{counter}"));
            counter += 1;
        }
        self.fields.push(field);
    }

    fn body(
        &mut self,
        (types, bodies): (&mut TypeGen<'_>, &mut BodySchemas<'_>),
        body: &RequestBody,
        raw: &Value,
        raw_body: Option<&Value>,
    ) -> Result<()> {
        // One media type is read: JSON if offered (and the other encodings
        // of its schema beside it), else a form, else text, else the bytes
        // as they are (of any declared type; a multipart body checked
        // against its schema on the way).
        let declared: Vec<&str> = body.content.keys().map(String::as_str).collect();
        let (ty, read, what) = if let Some((name, media)) =
            body.content.iter().find(|(name, _)| is_json_media(name))
        {
            let ty = typed_body(types, media)?;
            let schema = self.body_schema_of(bodies, raw_body, name);
            json_read(ty, schema, &declared, (raw, raw_body, name))?
        } else if let Some((name, media)) = body
            .content
            .iter()
            .find(|(name, _)| media_essence(name) == "application/x-www-form-urlencoded")
        {
            let ty = typed_body(types, media)?;
            let schema = self.body_schema_of(bodies, raw_body, name);
            (
                ty,
                quote! { request.form_body(BODY_LIMIT, #schema).await? },
                "The decoded form request body.",
            )
        } else if !declared.is_empty()
            && declared
                .iter()
                .all(|name| media_essence(name).starts_with("text/"))
        {
            (
                quote! { ::std::string::String },
                quote! { request.text_body(BODY_LIMIT, &[#(#declared),*]).await? },
                "The text request body.",
            )
        } else if let Some(name) = declared
            .iter()
            .find(|name| media_essence(name) == "multipart/form-data")
        {
            let schema = self.body_schema_of(bodies, raw_body, name);
            (
                quote! { ::axum::body::Bytes },
                quote! { request.checked_raw_body(BODY_LIMIT, &[#(#declared),*], #schema).await? },
                "The request body, as sent (a multipart one checked against its schema).",
            )
        } else {
            (
                quote! { ::axum::body::Bytes },
                quote! { request.raw_body(BODY_LIMIT, &[#(#declared),*]).await? },
                "The request body, as sent.",
            )
        };
        self.push_body(body, ty, read, what);
        Ok(())
    }

    /// Adds the body's field: `ty` read by `read` (`None` when the request
    /// has none), required as `body` says.
    fn push_body(&mut self, body: &RequestBody, ty: TokenStream, read: TokenStream, what: &str) {
        self.has_body = true;
        let (ty, extract) = if body.required {
            (ty, quote! { ::bindings_server::required_body(#read)? })
        } else {
            (quote! { ::std::option::Option<#ty> }, read)
        };
        self.push_field(Field {
            name: format_ident!("body"),
            doc: docs(Some(body.description.as_deref().unwrap_or(what))),
            ty,
            extract,
        });
    }

    fn variant(
        &mut self,
        types: &mut TypeGen<'_>,
        spec: &OpenAPI,
        (envelopes, header_sets): (&[Envelope], &HeaderSets),
        status: u16,
        range: Option<u16>,
        response: &Response,
    ) -> Result<()> {
        if !(100..=599).contains(&status) {
            bail!("status {status} is not an HTTP status");
        }
        let (name, shown) = match range {
            None => (
                format_ident!("{}", status_variant(status)),
                status.to_string(),
            ),
            Some(0) => (format_ident!("Default"), "default".to_owned()),
            Some(range) => (format_ident!("Range{range}xx"), format!("{range}XX")),
        };
        let mut doc = format!("{shown}: {}", response.description.trim());
        let mut envelope_member = None;
        let mut envelope_const = None;
        let json = response
            .content
            .iter()
            .find(|(media_type, media)| media.schema.is_some() && is_json_media(media_type));
        let raw = match json {
            Some(_) => None,
            None => response.content.keys().next().cloned(),
        };
        let (body, member) = match json.and_then(|(_, m)| m.schema.as_ref()) {
            None if raw.is_some() => {
                let text = raw
                    .as_deref()
                    .is_some_and(|media| media.starts_with("text/"));
                let body = if text {
                    quote! { ::std::string::String }
                } else {
                    quote! { ::std::vec::Vec<u8> }
                };
                doc.push_str(&format!(
                    "\n\nAnswered as `{}`.",
                    raw.as_deref().unwrap_or_default()
                ));
                (Some(body), quote! { Payload })
            }
            None => (None, quote! { Payload }),
            Some(schema) => {
                let envelope = match schema {
                    ReferenceOr::Reference { reference } => {
                        let name = component_name(reference).ok();
                        envelopes.iter().find(|e| Some(e.schema.as_str()) == name)
                    }
                    ReferenceOr::Item(_) => None,
                };
                match envelope {
                    Some(envelope) => {
                        envelope_const = Some(envelope.const_name.clone());
                        doc.push_str(&format!(
                            "\n\nThe router wraps this in `{}`, filling its bookkeeping members.",
                            envelope.schema
                        ));
                        if (200..300).contains(&status) {
                            envelope_member = Some(envelope.payload.clone());
                            (Some(envelope.payload_type.clone()), quote! { Payload })
                        } else {
                            envelope_member = Some(envelope.error.clone());
                            (Some(envelope.error_type.clone()), quote! { Error })
                        }
                    }
                    _ => {
                        let ty = types.type_of(
                            &boxed(schema),
                            &format!("{}Status{status}", pascal_case(&self.id)),
                        )?;
                        let member = if (200..300).contains(&status) {
                            quote! { Payload }
                        } else {
                            quote! { Error }
                        };
                        (Some(ty), member)
                    }
                }
            }
        };
        let headers = header_sets.name_of(types, spec, response)?;
        let json_media = json
            .map(|(media_type, _)| media_type.clone())
            .filter(|media_type| media_type != "application/json");
        self.variants.push(Variant {
            name,
            status,
            range,
            doc: docs(Some(&doc)),
            body,
            raw,
            json_media,
            headers,
            member,
            envelope_member,
            envelope: envelope_const,
        });
        Ok(())
    }

    /// The argument naming the static the body of media type `media` is
    /// checked against (`None` when it is not checked), that static kept
    /// for [`Self::schema_statics`].
    fn body_schema_of(
        &mut self,
        bodies: &mut BodySchemas<'_>,
        raw_body: Option<&Value>,
        media: &str,
    ) -> TokenStream {
        let raw_schema = raw_body.and_then(|raw| raw.get("content")?.get(media)?.get("schema"));
        match bodies.add(raw_schema) {
            Some(text) => {
                // After `handle_`, the id is a Rust identifier.
                let snake = snake_case(&self.id).to_uppercase();
                let name = format_ident!("BODY_OF_{snake}");
                self.body_schema = Some((name.clone(), text));
                quote! { ::std::option::Option::Some(&#name) }
            }
            None => quote! { ::std::option::Option::None },
        }
    }

    /// The schemas the operation's query and path parameters are checked
    /// against, kept for [`Self::schema_statics`] (none where no parameter
    /// is read so, or the schema does not compile). The path's are the
    /// parameters the route captures as whole segments (not split from a
    /// segment of several, nor from the path's query part).
    fn parameter_schemas_of(
        &mut self,
        ctx: &Context<'_>,
        bodies: &mut BodySchemas<'_>,
        path: &str,
        method: &str,
    ) {
        let raw = raw_operation(ctx, path, method).ok();
        let plain = |name: &str| {
            super::routes::captures(path, name)
                && !self.captures.contains_key(name)
                && !self.query_captures.contains_key(name)
        };
        let query = raw.and_then(|raw| super::query_schema::query_schema(ctx.raw, raw));
        let path = raw.and_then(|raw| super::query_schema::path_schema(ctx.raw, raw, plain));
        let snake = snake_case(&self.id).to_uppercase();
        if let Some(text) = bodies.add(query.as_ref()) {
            self.query_schema = Some((format_ident!("QUERY_OF_{snake}"), text));
        }
        if let Some(text) = bodies.add(path.as_ref()) {
            self.path_schema = Some((format_ident!("PATH_OF_{snake}"), text));
        }
    }

    /// The statics the operation's JSON body, query and path parameters
    /// are checked against.
    fn schema_statics(&self) -> TokenStream {
        let statics = [
            (
                &self.body_schema,
                "request body is read by and checked against",
            ),
            (&self.query_schema, "query parameters are checked against"),
            (&self.path_schema, "path parameters are checked against"),
        ];
        let statics = statics.into_iter().filter_map(|(found, what)| {
            let (name, schema) = found.as_ref()?;
            let schema = super::body_schemas::raw_literal(schema);
            let doc = format!(
                " The JSON Schema `{}`'s {what} (see [`REQUEST_SCHEMAS`]).",
                self.id
            );
            Some(quote! {
                #[doc = #doc]
                static #name: ::bindings_server::BodySchema =
                    ::bindings_server::BodySchema::new(&REQUEST_SCHEMAS, #schema);
            })
        });
        quote! { #(#statics)* }
    }

    fn input_struct(&self) -> TokenStream {
        let input = &self.input;
        let doc = format!(" The validated request of `{}`.", self.id);
        let fields = self
            .fields
            .iter()
            .map(|Field { name, doc, ty, .. }| quote! { #doc pub #name: #ty, });
        quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, PartialEq)]
            #[non_exhaustive]
            pub struct #input { #(#fields)* }
        }
    }

    fn output_enum(&self) -> TokenStream {
        let output = &self.output;
        let doc = format!(
            " The answers `{}` documents, one variant per status.",
            self.id
        );
        // A variant with documented headers is a struct variant with a
        // `headers` member beside its status and body.
        let variants = self.variants.iter().map(
            |Variant {
                 name,
                 doc,
                 body,
                 range,
                 headers,
                 ..
             }| match (body, range, headers) {
                (Some(body), None, None) => quote! { #doc #name(#body), },
                (None, None, None) => quote! { #doc #name, },
                (body, range, headers) => {
                    let status = range.map(|_| quote! { status: u16, });
                    let body = body.as_ref().map(|body| quote! { body: #body, });
                    let headers = headers.as_ref().map(|ty| quote! { headers: #ty, });
                    quote! { #doc #name { #status #body #headers }, }
                }
            },
        );
        let status_arms = self.variants.iter().map(
            |Variant {
                 name,
                 status,
                 body,
                 range,
                 headers,
                 ..
             }| match (body, range, headers) {
                (Some(_), None, None) => quote! { Self::#name(_) => #status, },
                (None, None, None) => quote! { Self::#name => #status, },
                (_, Some(_), _) => quote! { Self::#name { status, .. } => *status, },
                (_, None, Some(_)) => quote! { Self::#name { .. } => #status, },
            },
        );
        // Answers without a body never read it.
        let body_binding = if self.variants.iter().any(|v| v.body.is_some()) {
            format_ident!("body")
        } else {
            format_ident!("_body")
        };
        // Single statuses first, then ranges, then `default`: the most
        // specific documented answer wins.
        let mut ordered: Vec<&Variant> = self.variants.iter().collect();
        ordered.sort_by_key(|variant| match variant.range {
            None => 0,
            Some(0) => 2,
            Some(_) => 1,
        });
        let has_default = self.variants.iter().any(|v| v.range == Some(0));
        let wire_arms = ordered.into_iter().map(
            |Variant {
                 name,
                 status,
                 body,
                 envelope_member,
                 range,
                 raw,
                 headers,
                 ..
             }| {
                let member = match envelope_member {
                    Some(member) => quote! { Some(#member) },
                    None => quote! { None },
                };
                let pattern = match range {
                    None => quote! { #status },
                    Some(0) => quote! { status },
                    Some(range) => {
                        let (low, high) = (range * 100, range * 100 + 99);
                        quote! { status @ #low..=#high }
                    }
                };
                let decode = match raw {
                    Some(_) => quote! { ::bindings_server::decode_raw(body) },
                    None => quote! { ::bindings_server::decode_body(body, #member) },
                };
                // An example carries no headers: they start unset.
                let headers = headers
                    .as_ref()
                    .map(|_| quote! { headers: ::std::default::Default::default(), });
                let status_member = range.map(|_| quote! { status, });
                match (body, range, &headers) {
                    (Some(_), None, None) => quote! { #pattern => #decode.map(Self::#name), },
                    (None, None, None) => quote! { #pattern => Ok(Self::#name), },
                    (Some(_), _, _) => quote! {
                        #pattern => #decode.map(|body| Self::#name { #status_member body, #headers }),
                    },
                    (None, _, _) => quote! { #pattern => Ok(Self::#name { #status_member #headers }), },
                }
            },
        );

        let statuses: Vec<u16> = self.variants.iter().map(|v| v.status).collect();
        let id = &self.id;
        let unknown_arm = (!has_default).then(|| {
            quote! { other => Err(::bindings_server::WireError::undocumented(#id, other, &[#(#statuses),*])), }
        });
        quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, PartialEq)]
            pub enum #output { #(#variants)* }

            impl #output {
                /// The HTTP status of this answer.
                pub fn status(&self) -> u16 {
                    match self { #(#status_arms)* }
                }

                /// The answer for `status` built from its body as the wire
                /// carries it (in an envelope API, the whole envelope): how a
                /// documented example becomes a typed answer.
                pub fn from_wire(
                    status: u16,
                    #body_binding: ::std::option::Option<::serde_json::Value>,
                ) -> ::std::result::Result<Self, ::bindings_server::WireError> {
                    match status {
                        #(#wire_arms)*
                        #unknown_arm
                    }
                }
            }
        }
    }

    /// Request errors are wrapped like the operation's other error answers.
    fn error_envelope(&self) -> TokenStream {
        envelope_expr(self.error_envelope_name())
    }

    /// The envelope this operation's errors are wrapped in, if any.
    fn error_envelope_name(&self) -> Option<&Ident> {
        self.variants
            .iter()
            .find(|v| v.status >= 400)
            .or(self.variants.first())
            .and_then(|v| v.envelope.as_ref())
    }

    fn mock_method(&self) -> TokenStream {
        let (name, input, output, id) = (
            ident(&snake_case(&self.id)),
            &self.input,
            &self.output,
            &self.id,
        );
        quote! {
            async fn #name(&self, _: #input) -> #output {
                answer(&MOCK, #id, #output::from_wire)
            }
        }
    }

    fn trait_method(&self) -> TokenStream {
        let (doc, name, input, output) = (
            &self.doc,
            ident(&snake_case(&self.id)),
            &self.input,
            &self.output,
        );
        quote! {
            #doc
            fn #name(&self, input: #input) -> impl ::std::future::Future<Output = #output> + Send;
        }
    }

    /// `impl Answer`: each documented status as the router encodes it.
    fn answer_impl(&self) -> TokenStream {
        let output = &self.output;
        let arms = self.variants.iter().map(
            |Variant {
                 name,
                 status,
                 body,
                 member,
                 envelope,
                 range,
                 raw,
                 json_media,
                 headers,
                 ..
             }| {
                // `self` is matched by value: a range's status is a `u16`.
                let status = match range {
                    None => quote! { #status },
                    Some(_) => quote! { status },
                };
                let envelope = envelope_expr(envelope.as_ref());
                let pattern = match (body, range, headers) {
                    (Some(_), None, None) => quote! { Self::#name(body) },
                    (None, None, None) => quote! { Self::#name },
                    (body, range, headers) => {
                        let status = range.map(|_| quote! { status, });
                        let body = body.as_ref().map(|_| quote! { body, });
                        let headers = headers.as_ref().map(|_| quote! { headers, });
                        quote! { Self::#name { #status #body #headers } }
                    }
                };
                let member = if member.to_string() == "Error" {
                    quote! { error }
                } else {
                    quote! { payload }
                };
                let answer = match (body, raw, json_media) {
                    (Some(_), Some(media_type), _) => {
                        quote! { reply.raw(#status, #media_type, body) }
                    }
                    (Some(_), None, Some(media_type)) => quote! {
                        reply.#member(#status, #envelope, &body).media_type(#media_type)
                    },
                    (Some(_), None, None) => quote! { reply.#member(#status, #envelope, &body) },
                    (None, ..) => quote! { reply.empty(#status, #envelope) },
                };
                match headers {
                    None => quote! { #pattern => #answer, },
                    Some(_) => quote! { #pattern => #answer.headers(&headers), },
                }
            },
        );
        // `self` is matched by value: a range's status is a `u16`.
        quote! {
            impl ::bindings_server::Answer for #output {
                fn reply(self, reply: ::bindings_server::Replier) -> ::bindings_server::Reply {
                    match self { #(#arms)* }
                }
            }
        }
    }

    fn handler(&self, trait_name: &Ident, index: usize) -> TokenStream {
        let (handler, input, method) = (
            &self.handler_name,
            &self.input,
            ident(&snake_case(&self.id)),
        );
        let path_check = self.has_path.then(|| quote! { request.check_path()?; });
        let query_check = self
            .query_schema
            .as_ref()
            .map(|(name, _)| quote! { request.check_query(&#name)?; });
        let credentials_check = (!self.security.is_empty()).then(|| {
            let alternatives = self.security.iter().map(|each| {
                let credentials = each.iter().map(Needed::tokens);
                quote! { &[#(#credentials),*] }
            });
            quote! { request.require_credentials(&[#(#alternatives),*])?; }
        });
        let mutable = self.has_body.then(|| quote! { mut });
        let fields = self
            .fields
            .iter()
            .map(|Field { name, extract, .. }| quote! { #name: #extract, });
        // Path parameters are checked by their schema once their Rust types
        // have read them: a type's refusal says more of what it wants.
        let read = match &self.path_schema {
            Some((name, _)) => quote! {
                let input = #input { #(#fields)* };
                request.check_path_schema(&#name)?;
                Ok(input)
            },
            None => quote! { Ok(#input { #(#fields)* }) },
        };
        let error_envelope = self.error_envelope();
        quote! {
            async fn #handler<S: #trait_name>(
                ::axum::extract::State(service): ::axum::extract::State<::std::sync::Arc<S>>,
                #mutable request: ::bindings_server::Incoming,
            ) -> ::axum::response::Response {
                let input = async {
                    #credentials_check
                    #path_check
                    #query_check
                    #read
                }
                .await;
                request.answer(input, &OPERATIONS[#index], #error_envelope, request_error, |input| service.#method(input)).await
            }
        }
    }
}

/// The `CONSTRAINTS` static of an inline string schema's own constraints
/// (component schemas enforce theirs in the types crate), if it has any.
fn inline_constraints(schema: &ReferenceOr<Schema>, label: &str) -> Option<TokenStream> {
    let ReferenceOr::Item(Schema {
        schema_kind: openapiv3::SchemaKind::Type(openapiv3::Type::String(string)),
        ..
    }) = schema
    else {
        return None;
    };
    if string.min_length.is_none() && string.max_length.is_none() && string.pattern.is_none() {
        return None;
    }
    // A timestamp, date or UUID is a type of its own, checked as it is
    // parsed (a UUID's 36 characters, say); an enum's values are its check.
    let typed = matches!(
        &string.format,
        openapiv3::VariantOrUnknownOrEmpty::Item(
            openapiv3::StringFormat::DateTime | openapiv3::StringFormat::Date
        )
    ) || matches!(&string.format, openapiv3::VariantOrUnknownOrEmpty::Unknown(f) if f == "uuid");
    if typed || !string.enumeration.is_empty() {
        return None;
    }
    let option = |v: Option<usize>| match v {
        Some(v) => quote! { Some(#v) },
        None => quote! { None },
    };
    let (min, max) = (option(string.min_length), option(string.max_length));
    let pattern = match &string.pattern {
        Some(p) => quote! { Some(#p) },
        None => quote! { None },
    };
    Some(quote! {
        static CONSTRAINTS: ::bindings_wire::StringConstraints =
            ::bindings_wire::StringConstraints::new(#label, #min, #max, #pattern);
    })
}

/// What the router's docs say of refusals: where they come from (the
/// spec's `x-request-errors`, else each operation's documented answers)
/// and which operations leave the choice to the server.
fn refusal_doc(raw: &Value) -> Option<TokenStream> {
    if raw.get("x-request-errors").is_some() {
        return None;
    }
    let doc = " Without `x-request-errors` in the spec, a refused request gets the answer its operation documents ([`bindings_server::refuse`]): 401 (or a lone 403) without credentials, 400 / 422 / `4XX` / `default` when invalid, with the documented body and media type.";
    let undocumented = super::refusals::router_doc(raw);
    let undocumented =
        (!undocumented.is_empty()).then(|| quote! { #[doc = ""] #[doc = #undocumented] });
    Some(quote! { #[doc = ""] #[doc = #doc] #undocumented })
}

/// The `BOUNDS` static of a numeric parameter's `minimum` / `maximum` /
/// `multipleOf` (following a `$ref`), if it has any.
fn number_bounds(spec: &OpenAPI, schema: &ReferenceOr<Schema>, label: &str) -> Option<TokenStream> {
    use openapiv3::{SchemaKind, Type};
    let schema = openapi_source::spec::resolve(spec, schema)?;
    let float = |v: Option<f64>| match v {
        Some(v) => quote! { Some(#v) },
        None => quote! { None },
    };
    let int = |v: Option<i64>| float(v.map(|v| v as f64));
    let (min, max, exclusive_min, exclusive_max, multiple) = match &schema.schema_kind {
        SchemaKind::Type(Type::Integer(t)) => (
            int(t.minimum),
            int(t.maximum),
            t.exclusive_minimum,
            t.exclusive_maximum,
            int(t.multiple_of),
        ),
        SchemaKind::Type(Type::Number(t)) => (
            float(t.minimum),
            float(t.maximum),
            t.exclusive_minimum,
            t.exclusive_maximum,
            float(t.multiple_of),
        ),
        _ => return None,
    };
    if [&min, &max, &multiple]
        .iter()
        .all(|v| v.to_string() == "None")
    {
        return None;
    }
    Some(quote! {
        static BOUNDS: ::bindings_server::NumberBounds = ::bindings_server::NumberBounds {
            label: #label, minimum: #min, maximum: #max,
            exclusive_minimum: #exclusive_min, exclusive_maximum: #exclusive_max, multiple_of: #multiple,
        };
    })
}

/// `request_error(problem, started, envelope, documented)`, from the spec's
/// `x-request-errors`. A problem's `status` is a number, or a list in order
/// of preference of which the first the operation documents is answered.
fn request_error_fn(raw: &Value) -> Result<TokenStream> {
    let Some(extension) = raw.get("x-request-errors") else {
        return Ok(quote! {
            /// The answer to a request that breaks the spec: the one its
            /// operation documents ([`bindings_server::refuse`]), RFC 9457
            /// problem details where it documents none.
            fn request_error(
                problem: &::bindings_server::Problem,
                _started: ::std::time::Instant,
                _envelope: ::std::option::Option<&::bindings_server::Envelope>,
                operation: &::bindings_server::Operation,
            ) -> ::axum::response::Response {
                ::bindings_server::refuse(problem, operation)
            }
        });
    };
    let template = extension
        .get("body")
        .context("x-request-errors needs a `body` template")?;
    let problems = extension
        .get("problems")
        .and_then(Value::as_object)
        .context("x-request-errors needs `problems`")?;
    let mut arms = Vec::new();
    let mut default = None;
    let mut prefers = false;
    for (kind, answer) in problems {
        let statuses = openapi_source::spec::problem_statuses(answer).with_context(|| {
            format!("problem `{kind}` needs a `status`: an HTTP status or a list of them")
        })?;
        let code = answer
            .get("code")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let status = match statuses.as_slice() {
            [status] => quote! { #status },
            candidates => {
                prefers = true;
                quote! { ::bindings_server::first_documented(&[#(#candidates),*], operation.statuses) }
            }
        };
        if kind == "default" {
            default = Some(quote! { _ => (#status, #code), });
        } else {
            arms.push(quote! { #kind => (#status, #code), });
        }
    }
    let default = default.context("x-request-errors needs a `default` problem")?;
    let body = json_tokens(template);
    let operation = if prefers {
        format_ident!("operation")
    } else {
        format_ident!("_operation")
    };
    Ok(quote! {
        /// The spec's documented answer (`x-request-errors`) to a request
        /// that breaks it; `operation` is the one it was meant for (its
        /// documented statuses choose among a problem's candidates).
        fn request_error(
            problem: &::bindings_server::Problem,
            started: ::std::time::Instant,
            envelope: ::std::option::Option<&::bindings_server::Envelope>,
            #operation: &::bindings_server::Operation,
        ) -> ::axum::response::Response {
            let (status, code): (u16, &str) = match problem.kind().name() {
                #(#arms)*
                #default
            };
            let status = problem.kind().fixed_status().unwrap_or(status);
            let message = problem.message();
            let body = ::serde_json::json!(#body);
            let status = ::axum::http::StatusCode::from_u16(status).unwrap_or(::axum::http::StatusCode::BAD_REQUEST);
            ::bindings_server::respond(status, started, envelope, ::bindings_server::Member::Error, Some(body))
        }
    })
}

/// Tokens for `json!` that build `template`, with the strings `{code}` and
/// `{message}` replaced by the variables of those names.
fn json_tokens(template: &Value) -> TokenStream {
    match template {
        Value::Null => quote! { null },
        Value::Bool(b) => quote! { #b },
        Value::Number(n) => n.to_string().parse().unwrap_or_else(|_| quote! { null }),
        Value::String(s) if s == "{code}" => quote! { code },
        Value::String(s) if s == "{message}" => quote! { message },
        Value::String(s) if s.contains("{code}") || s.contains("{message}") => {
            quote! { format!(#s) }
        }
        Value::String(s) => quote! { #s },
        Value::Array(items) => {
            let items = items.iter().map(json_tokens);
            quote! { [#(#items),*] }
        }
        Value::Object(members) => {
            let members = members.iter().map(|(key, value)| {
                let value = json_tokens(value);
                quote! { #key: #value }
            });
            quote! { { #(#members),* } }
        }
    }
}

fn status_variant(status: u16) -> String {
    match status {
        200 => "Ok".into(),
        201 => "Created".into(),
        202 => "Accepted".into(),
        204 => "NoContent".into(),
        400 => "BadRequest".into(),
        401 => "Unauthorized".into(),
        403 => "Forbidden".into(),
        404 => "NotFound".into(),
        409 => "Conflict".into(),
        422 => "UnprocessableEntity".into(),
        429 => "TooManyRequests".into(),
        500 => "InternalServerError".into(),
        502 => "BadGateway".into(),
        503 => "ServiceUnavailable".into(),
        other => format!("Status{other}"),
    }
}

/// One credential an operation's security alternative needs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Needed {
    /// An API key in the header of this (lower-case) name; also two
    /// schemes of one requirement in one header, which cannot both be
    /// sent: the header is needed, in no particular scheme.
    Header(String),
    /// `Authorization: <scheme> …` (`bearer` for OAuth 2 and OpenID
    /// Connect).
    Authorization(String),
    /// An API key in the query parameter of this name.
    Query(String),
    /// An API key in the cookie of this name.
    Cookie(String),
}

impl Needed {
    /// The scheme's credential.
    fn of(scheme: &openapiv3::SecurityScheme) -> Needed {
        use openapiv3::{APIKeyLocation, SecurityScheme};
        match scheme {
            SecurityScheme::APIKey { location, name, .. } => match location {
                APIKeyLocation::Header => Needed::Header(name.to_ascii_lowercase()),
                APIKeyLocation::Query => Needed::Query(name.clone()),
                APIKeyLocation::Cookie => Needed::Cookie(name.clone()),
            },
            SecurityScheme::HTTP { scheme, .. } => {
                Needed::Authorization(scheme.to_ascii_lowercase())
            }
            SecurityScheme::OAuth2 { .. } | SecurityScheme::OpenIDConnect { .. } => {
                Needed::Authorization("bearer".to_owned())
            }
        }
    }

    /// The header this credential travels in, if any.
    fn header(&self) -> Option<&str> {
        match self {
            Needed::Header(name) => Some(name),
            Needed::Authorization(_) => Some("authorization"),
            Needed::Query(_) | Needed::Cookie(_) => None,
        }
    }

    /// The runtime's `Credential` for it.
    fn tokens(&self) -> TokenStream {
        match self {
            Needed::Header(name) => quote! { ::bindings_server::Credential::header(#name) },
            Needed::Authorization(scheme) => {
                quote! { ::bindings_server::Credential::authorization(#scheme) }
            }
            Needed::Query(name) => quote! { ::bindings_server::Credential::query(#name) },
            Needed::Cookie(name) => quote! { ::bindings_server::Credential::cookie(#name) },
        }
    }
}

/// The credentials each security alternative of `operation` needs (its
/// own `security`, else the spec's); empty when one alternative needs
/// nothing, or there is no requirement at all.
fn security_alternatives(spec: &OpenAPI, operation: &openapiv3::Operation) -> Vec<Vec<Needed>> {
    let Some(requirements) = operation.security.as_ref().or(spec.security.as_ref()) else {
        return Vec::new();
    };
    let schemes = spec.components.as_ref().map(|c| &c.security_schemes);
    let mut alternatives = Vec::new();
    for requirement in requirements {
        let mut needed: Vec<Needed> = requirement
            .keys()
            .filter_map(|name| Some(Needed::of(schemes?.get(name)?.as_item()?)))
            .collect();
        needed.sort();
        needed.dedup();
        // Two schemes of one requirement in one header (an API key named
        // `Authorization` beside a bearer token) cannot both be sent.
        let mut merged: Vec<Needed> = Vec::new();
        for each in needed {
            let shared = each.header().and_then(|header| {
                let at = merged
                    .iter()
                    .position(|kept| kept.header() == Some(header))?;
                Some((at, Needed::Header(header.to_owned())))
            });
            match shared {
                Some((at, both)) => merged[at] = both,
                None => merged.push(each),
            }
        }
        if merged.is_empty() {
            // An alternative that needs nothing the check can see.
            return Vec::new();
        }
        alternatives.push(merged);
    }
    alternatives
}

/// The raw operation at `path` and `method`.
fn raw_operation<'a>(ctx: &'a Context<'_>, path: &str, method: &str) -> Result<&'a Value> {
    ctx.raw
        .pointer(&format!(
            "/paths/{}/{method}",
            openapi_source::escape_token(path)
        ))
        .context("operation in the raw spec")
}

/// `node`, or what its `$ref` points to.
/// The Example Objects of a media type (`examples`), by name, each's
/// `value` (a `$ref` to `components/examples` followed); `None` for one
/// without a `value` (an `externalValue`).
pub(super) fn named_examples(raw: &Value, media: &Value) -> Vec<(String, Option<Value>)> {
    media
        .get("examples")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(name, example)| {
            let value = resolve_raw(raw, example).get("value").cloned();
            (name.clone(), value)
        })
        .collect()
}

/// Which operation's documented error answers a request no operation
/// takes (a path or a method no route has) is given: the first that
/// documents a 404, else the first with a `4XX` or `default` answer.
#[derive(Debug, Default)]
struct NotFoundAnswers {
    with_404: Option<usize>,
    with_range: Option<usize>,
}

impl NotFoundAnswers {
    /// Offers the operation at `index` of `OPERATIONS`, which documents
    /// the answers `keys`.
    fn offer(&mut self, index: usize, keys: &[String]) {
        if keys.iter().any(|key| key == "404") {
            self.with_404.get_or_insert(index);
        }
        if keys
            .iter()
            .any(|key| matches!(key.as_str(), "4XX" | "default"))
        {
            self.with_range.get_or_insert(index);
        }
    }

    /// The `FALLBACK_OPERATION` declaration.
    fn fallback_operation(&self) -> TokenStream {
        let refusals = match self.with_404.or(self.with_range) {
            Some(index) => quote! { OPERATIONS[#index].refusals },
            None => quote! { &[] },
        };
        quote! {
            /// What a request no operation takes is answered as: no operation, with
            /// the error answers the spec documents for a resource that is not there
            /// (the first operation's that documents a 404, else a `4XX` or
            /// `default` answer).
            const FALLBACK_OPERATION: ::bindings_server::Operation = ::bindings_server::Operation {
                refusals: #refusals,
                ..::bindings_server::Operation::NONE
            };
        }
    }
}

/// The string values a negotiating header parameter's schema lists
/// (`Accept`, `Accept-Encoding`, `Accept-Charset`, `Accept-Language`),
/// which the server negotiates (`*/*`, `gzip, deflate` pick one); `None`
/// for any other parameter, or one without an `enum`.
fn accept_values(
    spec: &OpenAPI,
    parameter: &Parameter,
    schema: &ReferenceOr<Schema>,
) -> Option<Vec<String>> {
    let Parameter::Header { parameter_data, .. } = parameter else {
        return None;
    };
    const NEGOTIATING: [&str; 4] = [
        "accept",
        "accept-encoding",
        "accept-charset",
        "accept-language",
    ];
    if !NEGOTIATING
        .iter()
        .any(|name| parameter_data.name.eq_ignore_ascii_case(name))
    {
        return None;
    }
    match &openapi_source::spec::resolve(spec, schema)?.schema_kind {
        openapiv3::SchemaKind::Type(openapiv3::Type::String(string)) => {
            let values: Vec<String> = string.enumeration.iter().flatten().cloned().collect();
            (!values.is_empty()).then_some(values)
        }
        _ => None,
    }
}

fn resolve_raw(raw: &Value, node: &Value) -> Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(reference) => raw
            .pointer(reference.trim_start_matches('#'))
            .cloned()
            .unwrap_or(Value::Null),
        None => node.clone(),
    }
}

/// The spec's examples as the mock answers with them: each checked
/// against its schema.
struct Examples<'a> {
    raw: &'a Value,
    /// The spec's schemas, compiled by the linter; `None` where they cannot
    /// be (lint reports that), and then every example is taken as it is.
    validator: Option<openapi_lint::SchemaValidator>,
    /// Values made from the schemas, where the spec shows none.
    answers: super::sample::Answers<'a>,
    /// The schemas a made value may fit twice (see `one_of_reach.rs`).
    one_of: super::one_of_reach::OneOfReach,
    /// The spec's schemas read as JSON Schema alone reads a discriminated
    /// `oneOf` (exactly one variant), as test tools check answers; made
    /// when a made answer is first checked, `None` where they cannot be
    /// compiled or the spec has no discriminator.
    one_variant: std::cell::OnceCell<Option<openapi_lint::SchemaValidator>>,
}

impl<'a> Examples<'a> {
    fn new(raw: &'a Value) -> Self {
        let validator = openapi_lint::SchemaValidator::new(raw).ok();
        let answers = super::sample::Answers::new(raw);
        Examples {
            raw,
            validator,
            answers,
            one_of: super::one_of_reach::OneOfReach::new(raw),
            one_variant: std::cell::OnceCell::new(),
        }
    }

    /// [`Examples::one_variant`], made on first use.
    fn one_variant(&self) -> Option<&openapi_lint::SchemaValidator> {
        self.one_variant
            .get_or_init(|| {
                let mut discriminated = false;
                super::walk::objects(self.raw, &mut |_, object| {
                    discriminated |= object.contains_key("discriminator");
                });
                let reading = openapi_lint::Discriminated::OneOf;
                discriminated
                    .then(|| openapi_lint::SchemaValidator::reading(self.raw, reading).ok())
                    .flatten()
            })
            .as_ref()
    }

    /// Of `first` and the values `made` makes by the sampler's other
    /// choices, in turn, the first that fits `schema` as JSON Schema reads
    /// a discriminated `oneOf` (exactly one variant: a test tool's
    /// reading), else the first that fits as OpenAPI reads it (the
    /// discriminator's property picks the variant), else `first`.
    fn first_fitting(
        &self,
        schema: &Value,
        first: Value,
        made: impl Fn(super::sample::Choices) -> Value,
    ) -> Value {
        let mut values = vec![first];
        let readings = [self.one_variant(), self.validator.as_ref()];
        for validator in readings.into_iter().flatten() {
            let Ok(compiled) = validator.compiled(schema) else {
                continue;
            };
            for (index, choices) in super::sample::Choices::in_turn().enumerate() {
                if index == values.len() {
                    values.push(made(choices));
                }
                if compiled.fits(&values[index]) {
                    return values.swap_remove(index);
                }
            }
        }
        values.swap_remove(0)
    }

    /// Whether `value` fits `schema` (lint's `example-invalid` reports
    /// one that does not).
    fn fits(&self, schema: Option<&Value>, value: &Value) -> bool {
        match (&self.validator, schema) {
            (Some(validator), Some(schema)) => validator
                .mismatches(schema, value)
                .map_or(true, |mismatches| mismatches.is_empty()),
            _ => true,
        }
    }
}

/// The media type `variant` answers in, and its documented examples
/// (name, value), the first that fits its schema first: the mock's answer
/// when no `Prefer` names one of the others. Where none fits (a vendor
/// example that contradicts its schema, which lint reports as
/// `example-invalid`), a value generated from the schema comes first,
/// unnamed.
fn documented_examples(
    checker: &Examples<'_>,
    (path, raw_operation): (&str, &Value),
    variant: &Variant,
) -> (String, Vec<(String, Value)>) {
    let raw = checker.raw;
    let response = resolve_raw(raw, response_of(raw_operation, variant));
    let (name, media) = json_media(&response);
    let mut examples: Vec<(String, Value)> = named_examples(raw, &media)
        .into_iter()
        .map(|(name, value)| (name, value.unwrap_or(Value::Null)))
        .collect();
    if let Some(example) = media.get("example") {
        examples.push(("example".to_owned(), example.clone()));
    }
    let schema = media.get("schema");
    if variant.raw.is_none() && variant.body.is_some() && !examples.is_empty() {
        // The answer when no `Prefer` names one: the first example that
        // fits (Twilio's `update` of a SIM, `reset_status: null` for a
        // string, comes before `updateResetConnectivity`), else a value
        // generated from the schema.
        let first = match examples
            .iter()
            .position(|(_, value)| checker.fits(schema, value))
        {
            Some(at) => examples.remove(at),
            None => (
                String::new(),
                generated_body(checker, path, &media, variant),
            ),
        };
        examples.insert(0, first);
    }
    if variant.raw.is_some() {
        // An answer kept as it is (no schema, or not JSON) is sent as the
        // example's text: a JSON example as JSON text.
        for (_, value) in &mut examples {
            if !value.is_string() {
                *value = Value::String(value.to_string());
            }
        }
    }
    if examples.is_empty() && variant.body.is_some() {
        // No example: a value generated from the schema (Prism's dynamic
        // mode, fixed at generation time), under no name.
        examples.push((
            String::new(),
            generated_body(checker, path, &media, variant),
        ));
    }
    (name, examples)
}

/// `Refusal`s for each error answer `op` documents (specs without
/// `x-request-errors`, whose routers refuse in the spec's own terms).
fn refusals_of(
    ctx: &Context<'_>,
    checker: &Examples<'_>,
    path: &str,
    method: &str,
    op: &Operation,
) -> Result<Vec<TokenStream>> {
    if ctx.raw.get("x-request-errors").is_some() {
        return Ok(Vec::new());
    }
    let raw_operation = raw_operation(ctx, path, method)?;
    let mut rows = Vec::new();
    for variant in op
        .variants
        .iter()
        .filter(|v| v.status >= 400 || v.range == Some(0))
    {
        let key = response_key(variant);
        let (media, examples) = documented_examples(checker, (path, raw_operation), variant);
        let body = match (examples.into_iter().next(), &variant.raw) {
            (None, _) => String::new(),
            (Some((_, Value::String(text))), Some(_)) => text,
            (Some((_, value)), _) => serde_json::to_string(&value)?,
        };
        let media = if variant.body.is_some() {
            media
        } else {
            String::new()
        };
        rows.push(quote! { ::bindings_server::Refusal { key: #key, media: #media, body: #body } });
    }
    Ok(rows)
}

/// (operation, status, example name, JSON) for every documented example of
/// an operation; for each documented status without one, a value generated
/// from its schema (or, in an `x-request-errors` API, the spec's
/// request-error body saying so, wrapped in the envelope member the status
/// carries), so a mock can answer every documented status.
fn mock_examples_of(
    ctx: &Context<'_>,
    checker: &Examples<'_>,
    path: &str,
    method: &str,
    op: &Operation,
) -> Result<Vec<TokenStream>> {
    let raw_operation = raw_operation(ctx, path, method)?;
    let template = ctx
        .raw
        .pointer("/x-request-errors/body")
        .cloned()
        .unwrap_or(Value::Null);
    let default_code = ctx
        .raw
        .pointer("/x-request-errors/problems/default/code")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let mut rows = Vec::new();
    for variant in &op.variants {
        let status = variant.status;
        let (_, mut examples) = documented_examples(checker, (path, raw_operation), variant);
        let generated = matches!(examples.as_slice(), [(name, _)] if name.is_empty());
        if generated && !template.is_null() && status >= 400 {
            let message = format!("the spec documents no example answer for status {status}");
            let body = fill(&template, &default_code, &message);
            let body = match &variant.envelope_member {
                Some(member) => serde_json::json!({ member.as_str(): body }),
                None => body,
            };
            examples = vec![(String::new(), body)];
        }
        if examples.is_empty() && variant.body.is_none() && variant.envelope.is_none() {
            // An answer without a body needs no example.
            let id = &op.id;
            rows.push(quote! { (#id, #status, "", "") });
        }
        for (name, body) in examples {
            let id = &op.id;
            let json = serde_json::to_string(&body)?;
            rows.push(quote! { (#id, #status, #name, #json) });
        }
    }
    Ok(rows)
}

/// (operation, status, name, value) of each documented response header,
/// its value generated from its schema.
fn mock_headers_of(
    ctx: &Context<'_>,
    examples: &Examples<'_>,
    (path, method): (&str, &str),
    op: &Operation,
) -> Result<Vec<TokenStream>> {
    let raw_operation = raw_operation(ctx, path, method)?;
    let mut rows = Vec::new();
    for variant in &op.variants {
        let response = resolve_raw(ctx.raw, response_of(raw_operation, variant));
        let headers = response.get("headers").and_then(Value::as_object);
        for (name, header) in headers.into_iter().flatten() {
            let header = resolve_raw(ctx.raw, header);
            let schema = header.get("schema").cloned().unwrap_or(Value::Null);
            let name = name.to_ascii_lowercase();
            let value = match name.as_str() {
                // The mock's bodies are as they are: `identity` where the
                // schema takes it (else the runtime leaves it out).
                "content-encoding" if takes_identity(&schema) => "identity".to_owned(),
                _ => simple_style(&examples.answers.value(&schema)),
            };
            let (id, status) = (&op.id, variant.status);
            rows.push(quote! { (#id, #status, #name, #value) });
        }
    }
    Ok(rows)
}

/// Whether a `Content-Encoding` header's schema takes `identity` (it lists
/// no values, or lists it).
fn takes_identity(schema: &Value) -> bool {
    schema
        .get("enum")
        .and_then(Value::as_array)
        .is_none_or(|values| values.iter().any(|value| value == "identity"))
}

/// A header value as OpenAPI's `simple` style writes it: an array's items
/// and an object's members and values in turn joined by commas, text
/// without quotes.
fn simple_style(value: &Value) -> String {
    let text = |item: &Value| match item {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    match value {
        Value::Array(items) => items.iter().map(text).collect::<Vec<_>>().join(","),
        Value::Object(members) => members
            .iter()
            .flat_map(|(key, value)| [key.clone(), text(value)])
            .collect::<Vec<_>>()
            .join(","),
        scalar => text(scalar),
    }
}

/// Whether the operation declares both `limit` and `offset` query
/// parameters (its own or its path's).
/// Whether the operation pages (it declares `limit` and `offset` query
/// parameters), and then `limit`'s default, when it has one.
fn paging(ctx: &Context<'_>, path: &str, method: &str) -> Result<Option<Option<usize>>> {
    let raw_operation = raw_operation(ctx, path, method)?;
    let item = ctx
        .raw
        .pointer(&format!("/paths/{}", openapi_source::escape_token(path)));
    let parameters: Vec<Value> = [item, Some(raw_operation)]
        .into_iter()
        .flatten()
        .filter_map(|node| node.get("parameters").and_then(Value::as_array))
        .flatten()
        .map(|parameter| resolve_raw(ctx.raw, parameter))
        .collect();
    let declared = |name: &str| {
        parameters
            .iter()
            .find(|p| p["in"] == "query" && p["name"] == name)
    };
    let (Some(limit), Some(_)) = (declared("limit"), declared("offset")) else {
        return Ok(None);
    };
    let schema = resolve_raw(ctx.raw, &limit["schema"]);
    // An integer, or an integer written as a string (`"100"`).
    let default = schema.get("default").and_then(|value| {
        value
            .as_u64()
            .or_else(|| value.as_str()?.parse().ok())
            .and_then(|limit| usize::try_from(limit).ok())
    });
    Ok(Some(default))
}

/// A variant's key in `responses`: `"404"`, `"4XX"`, `"default"`.
fn response_key(variant: &Variant) -> String {
    match variant.range {
        None => variant.status.to_string(),
        Some(0) => "default".to_owned(),
        Some(range) => format!("{range}XX"),
    }
}

/// The raw response a variant stands for.
fn response_of<'a>(raw_operation: &'a Value, variant: &Variant) -> &'a Value {
    let key = response_key(variant);
    let responses = &raw_operation["responses"];
    responses
        .get(&key)
        .or_else(|| responses.get(key.to_ascii_lowercase()))
        .unwrap_or(&Value::Null)
}

/// The JSON media type of a raw response that has a schema, else its
/// first one: its name and object.
fn json_media(response: &Value) -> (String, Value) {
    let content = response.get("content").and_then(Value::as_object);
    let mut media = content.into_iter().flatten();
    media
        .clone()
        .find(|(name, media)| is_json_media(name) && media.get("schema").is_some())
        .or_else(|| media.next())
        .map_or((String::new(), Value::Null), |(name, media)| {
            (name.clone(), media.clone())
        })
}

/// A value of `media`'s schema (an answer of an operation on `path`) for
/// the mock's answer: JSON for a JSON answer, a string for any other
/// (what `decode_raw` takes). Where the schema reaches a `oneOf`, the
/// first of the sampler's choices ([`super::sample::Choices::in_turn`])
/// whose value fits it ([`Examples::first_fitting`]: a union's first
/// variant may make a value that fits two of them, which `oneOf`
/// refuses), else the first made.
fn generated_body(checker: &Examples<'_>, path: &str, media: &Value, variant: &Variant) -> Value {
    let schema = media.get("schema").cloned().unwrap_or(Value::Null);
    let made = |choices| checker.answers.at(path, &schema, choices);
    let first = made(super::sample::Choices::default());
    let value = if checker.one_of.reaches(&schema) {
        checker.first_fitting(&schema, first, made)
    } else {
        first
    };
    match (&variant.raw, value) {
        (None, value) => value,
        (Some(_), Value::String(text)) => Value::String(text),
        (Some(_), _) => Value::String(String::new()),
    }
}

/// `template` with the strings `{code}` and `{message}` filled in.
fn fill(template: &Value, code: &str, message: &str) -> Value {
    match template {
        Value::String(text) => {
            Value::String(text.replace("{code}", code).replace("{message}", message))
        }
        Value::Array(items) => {
            Value::Array(items.iter().map(|item| fill(item, code, message)).collect())
        }
        Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|(key, value)| (key.clone(), fill(value, code, message)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The `mock::BINARY` declaration: what `<api>-mock` serves.
fn mock_binary(ctx: &Context<'_>) -> TokenStream {
    use openapiv3::{APIKeyLocation, SecurityScheme};
    let name = format!("{}-mock", ctx.api.name);
    let title = &ctx.spec.info.title;
    let server_url = ctx
        .spec
        .servers
        .first()
        .map(|s| s.url.clone())
        .unwrap_or_default();
    let schemes = ctx
        .spec
        .components
        .iter()
        .flat_map(|c| &c.security_schemes)
        .filter_map(|(scheme, item)| {
            let presented = match item.as_item()? {
                SecurityScheme::APIKey { location, name, .. } => {
                    let variant = match location {
                        APIKeyLocation::Header => format_ident!("Header"),
                        APIKeyLocation::Query => format_ident!("Query"),
                        APIKeyLocation::Cookie => format_ident!("Cookie"),
                    };
                    quote! { #variant(#name) }
                }
                SecurityScheme::HTTP { scheme: http, .. } if http.eq_ignore_ascii_case("basic") => {
                    quote! { Basic }
                }
                _ => quote! { Bearer },
            };
            Some(quote! { (#scheme, ::bindings_server::mock::Presented::#presented) })
        });
    let webhooks = super::webhooks::examples(ctx.raw).into_iter().map(|e| {
        let (webhook, example, method, route, content_type, body) = (
            e.webhook,
            e.example,
            e.method,
            e.route,
            e.content_type,
            e.body,
        );
        quote! {
            ::bindings_server::mock::WebhookExample {
                webhook: #webhook, example: #example, method: #method, route: #route,
                content_type: #content_type, body: #body,
            }
        }
    });
    let doc = format!(
        " What the `{name}` binary serves: its flags, a credential mode per security scheme, the server URL it is served under, the webhook examples it sends."
    );
    quote! {
        #[doc = #doc]
        pub static BINARY: ::bindings_server::mock::Binary = ::bindings_server::mock::Binary {
            name: #name,
            title: #title,
            server_url: #server_url,
            schemes: &[#(#schemes),*],
            mock: &MOCK,
            router,
            webhooks: &[#(#webhooks),*],
        };
    }
}

fn mock_module(
    trait_name: &Ident,
    (methods, decoders): (&[TokenStream], &[TokenStream]),
    (examples, headers, paged): (&[TokenStream], &[TokenStream], &[TokenStream]),
    binary: &TokenStream,
) -> TokenStream {
    // A spec of webhooks alone has no operation to answer.
    let answer = (!methods.is_empty()).then(|| quote! { use ::bindings_server::mock::answer; });
    quote! {
        /// A mock of the API that answers every operation with the spec's
        /// documented examples, behind the same validation as [`router`].
        ///
        /// By default an operation answers its first 2xx example. A request
        /// picks another with `Prefer: code=<status>` or
        /// `Prefer: example=<name>` (Prism's convention); one the operation
        /// does not document gets the spec's request-error answer saying so.
        /// The mock never panics: an answer its examples cannot give (no
        /// documented 2xx example, or one that does not decode) is the
        /// spec's internal error (500) saying why. See
        /// [`bindings_server::mock`].
        ///
        /// Feature `mock`.
        #[cfg(feature = "mock")]
        pub mod mock {
            use super::*;
            #answer

            /// (operation, status, example name, JSON) of every answer the
            /// mock can give; an unnamed one stands for a documented status
            /// the spec shows no example of, empty JSON for no body.
            pub const EXAMPLES: &[::bindings_server::mock::Example] = &[#(#examples),*];

            /// What the mock answers from.
            pub static MOCK: ::bindings_server::mock::Mock = ::bindings_server::mock::Mock {
                examples: EXAMPLES,
                operations: OPERATIONS,
                envelopes: OPERATION_ENVELOPES,
                // In the order of `OPERATIONS`.
                decoders: &[#(#decoders),*],
                request_error,
                headers: &[#(#headers),*],
                paged: &[#(#paged),*],
            };

            #binary

            /// The mock service; serve it with [`router`].
            #[derive(Debug, Clone, Copy, Default)]
            pub struct Mock;

            impl #trait_name for Mock {
                #(#methods)*
            }

            /// [`super::router`] serving [`Mock`], with `Prefer` honoured.
            pub fn router() -> ::axum::Router {
                with_preferences(super::router(Mock))
            }

            /// `router` with `Prefer` honoured: for a service that answers
            /// some operations itself and hands the rest to [`Mock`].
            pub fn with_preferences(router: ::axum::Router) -> ::axum::Router {
                ::bindings_server::mock::with_preferences(router, &MOCK)
            }
        }
    }
}

/// The envelope most operations wrap their errors in (the first on a tie),
/// for answers that belong to no operation.
fn most_common(envelopes: &[Option<Ident>]) -> Option<&Ident> {
    let count = |wanted: &Option<Ident>| envelopes.iter().filter(|e| *e == wanted).count();
    envelopes
        .iter()
        .fold(None::<&Option<Ident>>, |best, candidate| match best {
            Some(best) if count(best) >= count(candidate) => Some(best),
            _ => Some(candidate),
        })
        .and_then(Option::as_ref)
}

/// `Some(ENVELOPE_X)` or `None`.
fn envelope_expr(envelope: Option<&Ident>) -> TokenStream {
    match envelope {
        Some(name) => quote! { Some(#name) },
        None => quote! { None },
    }
}

/// `ReferenceOr<Schema>` as [`TypeGen::type_of`] takes it.
fn boxed(schema: &ReferenceOr<Schema>) -> ReferenceOr<Box<Schema>> {
    match schema {
        ReferenceOr::Reference { reference } => ReferenceOr::Reference {
            reference: reference.clone(),
        },
        ReferenceOr::Item(schema) => ReferenceOr::Item(Box::new(schema.clone())),
    }
}

/// The query parameter names `operation` gives a meaning (each
/// parameter's, or for an object in `form` style with `explode`, its
/// members'), and how many of its parameters are such objects without
/// named members (each would claim every query parameter not named).
fn query_names(spec: &OpenAPI, operation: &openapiv3::Operation) -> (Vec<String>, usize) {
    let mut names = Vec::new();
    let mut free_form = 0;
    for parameter in &operation.parameters {
        let Some(Parameter::Query {
            parameter_data,
            style,
            ..
        }) = openapi_source::spec::resolve(spec, parameter)
        else {
            continue;
        };
        let exploded =
            matches!(style, openapiv3::QueryStyle::Form) && parameter_data.explode != Some(false);
        let members = match &parameter_data.format {
            ParameterSchemaOrContent::Schema(schema) if exploded => object_members(spec, schema),
            _ => None,
        };
        match members {
            Some(members) if members.is_empty() => free_form += 1,
            Some(members) => names.extend(members),
            None => names.push(parameter_data.name.clone()),
        }
    }
    (names, free_form)
}

/// The member names of an object schema (after `allOf` merging, an
/// object with `properties`); `None` for any other schema.
fn object_members(spec: &OpenAPI, schema: &ReferenceOr<Schema>) -> Option<Vec<String>> {
    let schema = openapi_source::spec::resolve(spec, schema)?;
    let properties = match &schema.schema_kind {
        openapiv3::SchemaKind::Type(openapiv3::Type::Object(object)) => &object.properties,
        openapiv3::SchemaKind::Any(any) if !any.properties.is_empty() => &any.properties,
        _ => return None,
    };
    Some(properties.keys().cloned().collect())
}

/// Follows a `$ref` into `components`, or says which one does not resolve.
fn resolve<'a, T: openapi_source::spec::Component>(
    spec: &'a OpenAPI,
    item: &'a ReferenceOr<T>,
) -> Result<&'a T> {
    openapi_source::spec::resolve(spec, item).with_context(|| match item {
        ReferenceOr::Reference { reference } => format!("unresolved `{reference}`"),
        ReferenceOr::Item(_) => "unresolved item".to_owned(),
    })
}

/// Whether a media type carries JSON (`application/json`, with parameters,
/// or any `+json` type), as `bindings_server::is_json_media` decides.
fn is_json_media(media_type: &str) -> bool {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

#[cfg(test)]
mod tests {
    use super::{simple_style, takes_identity};
    use serde_json::json;

    #[test]
    fn an_encoding_header_takes_identity_unless_its_values_leave_it_out() {
        assert!(takes_identity(&json!({"type": "string"})));
        assert!(takes_identity(
            &json!({"type": "string", "enum": ["gzip", "identity"]})
        ));
        assert!(!takes_identity(
            &json!({"type": "string", "enum": ["gzip"]})
        ));
    }

    #[test]
    fn header_values_are_written_in_simple_style() {
        assert_eq!(simple_style(&json!([1, "a"])), "1,a");
        assert_eq!(simple_style(&json!({"x": 1, "y": "b"})), "x,1,y,b");
        assert_eq!(simple_style(&json!("text")), "text");
        assert_eq!(simple_style(&json!(2.5)), "2.5");
    }
}

//! The `<api>-client` crate: progenitor's builder-style client over the
//! types crate's types, plus credential and base-URL helpers.
//!
//! Credentials are per client, not per call: header parameters that a
//! header `apiKey` security scheme names are taken out of the operations
//! handed to progenitor and sent as default headers instead.

use anyhow::{Context as _, Result, bail};
use openapiv3::{OpenAPI, Parameter, ReferenceOr, SecurityScheme};
use proc_macro2::TokenStream;
use progenitor_impl::{
    GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypeImpl,
};
use quote::{format_ident, quote};

use super::client_params::{self, Renamed};
use super::naming::{ident, progenitor_parameter_name, snake_case, type_ident, typify_type_name};
use super::{Context, CrateKind, docs};

/// The spec exactly as progenitor sees it, for the command line to call
/// the builder progenitor generates from it.
pub(super) fn progenitor_spec(ctx: &Context<'_>) -> Result<OpenAPI> {
    settings(ctx).map(|(spec, _, _)| spec)
}

/// Runs progenitor (and typify inside it) on `spec`, turning a panic into
/// an error: they assert on shapes they do not support. On a failure, each
/// operation is tried alone to name (and locate) the one that caused it.
fn run_progenitor(
    spec: &OpenAPI,
    what: &str,
    run: impl Fn(&OpenAPI) -> Result<TokenStream>,
) -> Result<TokenStream> {
    // progenitor appends a `Debug` dump of the node to some messages.
    let first_line = |text: &str| {
        let line = text.lines().next().unwrap_or_default().trim();
        match line.strip_suffix('{') {
            Some(dump) => dump
                .trim_end()
                .rsplit_once(' ')
                .map_or(line, |(m, _)| m)
                .to_owned(),
            None => line.to_owned(),
        }
    };
    let failure = match guarded(|| run(spec)) {
        Ok(Ok(tokens)) => return Ok(tokens),
        Ok(Err(error)) => first_line(&error.to_string()),
        Err(panic) => first_line(&panic),
    };
    // Each operation alone names the one that fails.
    for (path, method, _) in spec.operations() {
        let mut alone = spec.clone();
        for (other, item) in alone.paths.paths.iter_mut() {
            let ReferenceOr::Item(item) = item else {
                continue;
            };
            for (name, slot) in [
                ("get", &mut item.get),
                ("put", &mut item.put),
                ("post", &mut item.post),
                ("delete", &mut item.delete),
                ("options", &mut item.options),
                ("head", &mut item.head),
                ("patch", &mut item.patch),
                ("trace", &mut item.trace),
            ] {
                if other != path || name != method {
                    *slot = None;
                }
            }
        }
        let alone_failure = match guarded(|| run(&alone)) {
            Ok(Ok(_)) => continue,
            Ok(Err(error)) => first_line(&error.to_string()),
            Err(panic) => first_line(&panic),
        };
        return Err(anyhow::anyhow!(
            "{what} cannot generate `{} {path}`: {alone_failure}",
            method.to_uppercase(),
        ))
        .context(super::At(format!(
            "/paths/{}/{method}",
            openapi_source::escape_token(path)
        )));
    }
    bail!("{what} failed on this spec: {failure}")
}

/// `run`, with a panic caught and returned as its message. The panic hook
/// is the process's own business: a library never swaps it, so the hook
/// in place reports the panic as usual (the `vendor-bindings` command line
/// installs one that stays quiet while [`in_guarded_render`] holds).
pub(super) fn guarded<T>(run: impl FnOnce() -> T) -> std::result::Result<T, String> {
    let outer = GUARDED.replace(true);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(run));
    GUARDED.set(outer);
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|message| (*message).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_owned())
    })
}

thread_local! {
    static GUARDED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether this thread is inside a render whose panics the generator
/// catches and reports as errors (progenitor and typify assert on shapes
/// they do not support). A panic hook can read it to stay quiet there.
pub fn in_guarded_render() -> bool {
    GUARDED.get()
}

/// The spec as progenitor sees it, and its settings.
fn settings(ctx: &Context<'_>) -> Result<(OpenAPI, GenerationSettings, Renamed)> {
    let types_crate = ctx.crate_ident(CrateKind::Types);
    let credentials = credential_headers(ctx.spec);
    let mut spec = for_progenitor(without_credential_parameters(ctx.spec, &credentials));
    let renamed = client_params::apart(&mut spec);
    let mut settings = GenerationSettings::default();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged);
    if let Some(auth) = &ctx.api.client_auth {
        let auth: TokenStream = auth
            .parse()
            .map_err(|_| anyhow::anyhow!("client-auth `{auth}` is not a Rust path"))?;
        // The credentials travel with the client's limits; the hand-written
        // hooks send every request through `bindings_client::execute`.
        settings
            .with_inner_type(quote! { ::bindings_client::Settings<#auth> })
            .with_hooks(HooksMode::Expected);
    }
    if let Some(components) = &spec.components {
        let mut keys = std::collections::BTreeMap::new();
        for (name, schema) in &components.schemas {
            let key = typify_type_name(name);
            if let Some(other) = keys.insert(key.clone(), name) {
                bail!(
                    "components `{other}` and `{name}` are both `{key}` to typify, so \
                     progenitor's client cannot tell them apart; rename one"
                );
            }
            let path = format!("::{types_crate}::{}", type_ident(name));
            settings.with_replacement(key, path, replacement_impls(schema).into_iter());
        }
    }
    Ok((spec, settings, renamed))
}

/// The client crate's code: progenitor's client, parsed once and rewritten
/// as a syntax tree (its HTTP client, its builders, its parameter names,
/// its tag features, the constructors first), then the server URLs.
pub fn generate(ctx: &Context<'_>) -> Result<super::Code> {
    let credentials = credential_headers(ctx.spec);
    let (spec, settings, renamed) = settings(ctx)?;
    let client = run_progenitor(&spec, "progenitor", |spec| {
        Generator::new(&settings)
            .generate_tokens(spec)
            .map_err(|error| anyhow::anyhow!("{error}"))
    })?;
    let mut file: syn::File = syn::parse2(client)
        .map_err(|error| anyhow::anyhow!("progenitor's output does not parse: {error}"))?;
    with_safe_http_client(&mut file)?;
    finished(&mut file, &spec, &ctx.crate_ident(CrateKind::Types));
    client_params::restore(&mut file, &renamed);
    ctx.tags.gate_client(&mut file);

    // With a hand-written auth type, its `ClientHooks` apply the
    // credentials and send through `bindings_client::execute`, which reads
    // the retry policy and limits from the settings built here.
    let credentials_code = match &ctx.api.client_auth {
        Some(auth) => {
            let auth: TokenStream = auth
                .parse()
                .map_err(|_| anyhow::anyhow!("client-auth `{auth}` is not a Rust path"))?;
            quote! {
                impl Client {
                    /// A client for `baseurl` with the credentials `auth` and
                    /// `options`: connect and total timeouts, retries of
                    /// idempotent requests (`bindings_client::Retry`), and the
                    /// response body limit.
                    ///
                    /// # Errors
                    ///
                    /// When the HTTP client cannot be built (its TLS backend).
                    pub fn with_options(
                        baseurl: &str,
                        auth: #auth,
                        options: ::bindings_client::ClientOptions,
                    ) -> ::std::result::Result<Self, ::bindings_client::reqwest::Error> {
                        Ok(Self::new_with_client(baseurl, options.http_client()?, options.settings(auth)))
                    }
                }
            }
        }
        None => credentials_constructor(&credentials)?,
    };
    with_constructors_first(&mut file, credentials_code)?;
    let servers: syn::File =
        syn::parse2(server_urls(ctx.spec)?).context("the server URLs do not parse")?;
    let mut items = file.items;
    items.extend(servers.items);
    Ok(super::Code {
        tokens: file.attrs.iter().map(|attr| quote! { #attr }).collect(),
        items,
        printed: String::new(),
    })
}

/// progenitor's client with `constructors` right before its own
/// `Client::new` block, so that the documentation lists the ways to build
/// a client from credentials first (`Client::new` takes progenitor's
/// inner settings) and every constructor before the operations.
fn with_constructors_first(file: &mut syn::File, constructors: TokenStream) -> Result<()> {
    let constructors: syn::File =
        syn::parse2(constructors).context("the constructors do not parse")?;
    let first_inherent = file.items.iter().position(|item| {
        matches!(item, syn::Item::Impl(block) if block.trait_.is_none()
            && matches!(&*block.self_ty, syn::Type::Path(path) if path.path.is_ident("Client")))
    });
    let at = first_inherent.unwrap_or(file.items.len());
    file.items.splice(at..at, constructors.items);
    Ok(())
}

/// progenitor's client with its builders finished (documented setters,
/// the types' own conversion errors, `bindings_client::Error`) and its
/// `types` module re-exporting the types crate, which holds every type an
/// operation takes or returns (progenitor's would hold only its unused
/// `error` module).
fn finished(file: &mut syn::File, spec: &OpenAPI, types_crate: &proc_macro2::Ident) {
    super::client_builders::finish(file, spec);
    for item in &mut file.items {
        if let syn::Item::Mod(module) = item
            && module.ident == "types"
            && let Some((_, items)) = &mut module.content
        {
            // Listed as a re-export: the types are documented once, in
            // their crate.
            items.insert(
                0,
                syn::parse_quote! {
                    #[doc(no_inline)]
                    pub use ::#types_crate::*;
                },
            );
        }
    }
}

/// progenitor's client with its `Client::new` building the HTTP client
/// with `bindings_client::http_client()`: progenitor's own follows
/// redirects to any origin, with whatever credential headers the request
/// carries.
fn with_safe_http_client(file: &mut syn::File) -> Result<()> {
    let mut replaced = false;
    for item in &mut file.items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let is_client = block.trait_.is_none()
            && matches!(&*block.self_ty, syn::Type::Path(path) if path.path.is_ident("Client"));
        if !is_client {
            continue;
        }
        for member in &mut block.items {
            let syn::ImplItem::Fn(function) = member else {
                continue;
            };
            if function.sig.ident != "new" {
                continue;
            }
            // `new(baseurl, inner...)` hands every argument on after the client.
            let rest: Vec<&syn::Pat> = function
                .sig
                .inputs
                .iter()
                .skip(1)
                .filter_map(|argument| match argument {
                    syn::FnArg::Typed(typed) => Some(&*typed.pat),
                    syn::FnArg::Receiver(_) => None,
                })
                .collect();
            function.block = syn::parse_quote! {{
                Self::new_with_client(baseurl, ::bindings_client::http_client(), #(#rest),*)
            }};
            function
                .attrs
                .retain(|attribute| !attribute.path().is_ident("doc"));
            for line in [
                " A client for `baseurl` (scheme, host, port and any path stem),",
                " with 15 s timeouts and redirects followed only within `baseurl`'s",
                " origin, so that credentials never reach another host.",
                " [`Client::new_with_client`] takes a `reqwest::Client` of your own;",
                " start it from `bindings_client::http_client_builder()` to keep that.",
            ] {
                function.attrs.push(syn::parse_quote!(#[doc = #line]));
            }
            replaced = true;
        }
    }
    if !replaced {
        bail!("progenitor's output has no `Client::new` to build the HTTP client in");
    }
    Ok(())
}

/// (scheme name, header name, description) of each header `apiKey` scheme.
fn credential_headers(spec: &OpenAPI) -> Vec<(String, String, Option<String>)> {
    let Some(components) = &spec.components else {
        return Vec::new();
    };
    components
        .security_schemes
        .iter()
        .filter_map(|(scheme, item)| match item.as_item()? {
            SecurityScheme::APIKey {
                location: openapiv3::APIKeyLocation::Header,
                name,
                description,
                ..
            } => Some((scheme.clone(), name.clone(), description.clone())),
            _ => None,
        })
        .collect()
}

fn without_credential_parameters(
    spec: &OpenAPI,
    credentials: &[(String, String, Option<String>)],
) -> OpenAPI {
    let is_credential = |parameter: &ReferenceOr<Parameter>| {
        matches!(openapi_source::spec::resolve(spec, parameter), Some(Parameter::Header { parameter_data, .. })
            if credentials.iter().any(|(_, header, _)| header.eq_ignore_ascii_case(&parameter_data.name)))
    };
    let mut spec = spec.clone();
    // progenitor lists parameters as `- name: description`; a description
    // wrapped over several lines would continue that list item lazily, which
    // rustdoc renders badly (and clippy denies), so paragraphs become lines.
    if let Some(components) = spec.components.as_mut() {
        for parameter in components.parameters.values_mut() {
            if let ReferenceOr::Item(parameter) = parameter {
                unwrap_description(parameter);
            }
        }
    }
    for (_, item) in spec.paths.paths.iter_mut() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        item.parameters.retain(|p| !is_credential(p));
        for operation in operations_mut(item) {
            operation.parameters.retain(|p| !is_credential(p));
            for parameter in &mut operation.parameters {
                if let ReferenceOr::Item(parameter) = parameter {
                    unwrap_description(parameter);
                }
            }
        }
    }
    spec
}

fn unwrap_description(parameter: &mut Parameter) {
    let data = match parameter {
        Parameter::Query { parameter_data, .. }
        | Parameter::Header { parameter_data, .. }
        | Parameter::Path { parameter_data, .. }
        | Parameter::Cookie { parameter_data, .. } => parameter_data,
    };
    if let Some(description) = &mut data.description {
        *description = description
            .split("\n\n")
            .map(|paragraph| paragraph.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
            .join(" ");
    }
}

/// The trait impls typify may rely on for a replaced type.
fn replacement_impls(schema: &ReferenceOr<openapiv3::Schema>) -> Vec<TypeImpl> {
    use openapiv3::{SchemaKind, Type};
    let Some(schema) = schema.as_item() else {
        return Vec::new();
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(_)) => vec![TypeImpl::Display, TypeImpl::FromStr],
        SchemaKind::Type(Type::Object(object)) if object.required.is_empty() => {
            vec![TypeImpl::Default]
        }
        _ => Vec::new(),
    }
}

/// `Client::with_credentials(base_url, ...)`: one argument per header scheme.
fn credentials_constructor(
    credentials: &[(String, String, Option<String>)],
) -> Result<TokenStream> {
    if credentials.is_empty() {
        return Ok(TokenStream::new());
    }
    let mut arguments = Vec::new();
    let mut inserts = Vec::new();
    let mut argument_docs = Vec::new();
    for (scheme, header, description) in credentials {
        let argument = ident(&snake_case(header));
        let header_lower = header.to_ascii_lowercase();
        arguments.push(quote! { #argument: &str });
        inserts.push(quote! {
            let mut value = ::reqwest::header::HeaderValue::from_str(#argument)
                .map_err(|_| CredentialError { header: #header })?;
            value.set_sensitive(true);
            headers.insert(::reqwest::header::HeaderName::from_static(#header_lower), value);
        });
        let line = format!(
            " - `{argument}`: sent as `{header}` on every request (security scheme `{scheme}`){}",
            description
                .as_deref()
                .map(|d| format!(": {}", d.lines().next().unwrap_or_default()))
                .unwrap_or_default()
        );
        argument_docs.push(quote! { #[doc = #line] });
    }
    Ok(quote! {
        /// A credential that cannot travel in an HTTP header.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct CredentialError {
            /// The header the credential was meant for.
            pub header: &'static str,
        }

        impl ::std::fmt::Display for CredentialError {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "the {} credential is not a valid HTTP header value", self.header)
            }
        }

        impl ::std::error::Error for CredentialError {}

        impl Client {
            /// A client that authenticates every request with the given
            /// credentials, set once here rather than per call:
            ///
            #(#argument_docs)*
            ///
            /// Credentials are marked sensitive, so they are left out of
            /// debug output.
            pub fn with_credentials(
                baseurl: &str,
                #(#arguments),*
            ) -> ::std::result::Result<Self, CredentialError> {
                let mut headers = ::reqwest::header::HeaderMap::new();
                #(#inserts)*
                let client = ::bindings_client::http_client_builder()
                    .default_headers(headers)
                    .build()
                    .map_err(|_| CredentialError { header: "(client)" })?;
                Ok(Self::new_with_client(baseurl, client))
            }
        }
    })
}

/// `server_url(...)` from the spec's first server: one argument per URL
/// variable, each validated against the variable's `enum` when it has one.
fn server_urls(spec: &OpenAPI) -> Result<TokenStream> {
    let Some(server) = spec.servers.first() else {
        return Ok(TokenStream::new());
    };
    let variables = server.variables.clone().unwrap_or_default();
    let mut arguments = Vec::new();
    let mut checks = Vec::new();
    let mut constants = Vec::new();
    let mut argument_docs = Vec::new();
    let mut format = server.url.clone();
    for (name, variable) in &variables {
        if !format.contains(&format!("{{{name}}}")) {
            bail!(
                "server variable `{name}` does not appear in `{}`",
                server.url
            );
        }
        let argument = ident(&snake_case(name));
        format = format.replace(&format!("{{{name}}}"), &format!("{{{argument}}}"));
        arguments.push(quote! { #argument: &str });
        let mut line = format!(" - `{argument}`");
        if let Some(description) = &variable.description {
            line.push_str(&format!(": {}", description.trim()));
        }
        line.push_str(&format!(" (default `{}`)", variable.default));
        argument_docs.push(quote! { #[doc = #line] });
        if !variable.enumeration.is_empty() {
            let constant = format_ident!("{}S", snake_case(name).to_ascii_uppercase());
            let values = &variable.enumeration;
            let doc = format!("The values of the server variable `{name}` the spec lists.");
            constants.push(quote! {
                #[doc = #doc]
                pub const #constant: &[&str] = &[#(#values),*];
            });
            checks.push(quote! {
                if !#constant.contains(&#argument) {
                    return Err(ServerUrlError { variable: #name, value: #argument.to_owned() });
                }
            });
        }
    }
    let doc = docs(server.description.as_deref());
    let template_doc = format!(" The URL of `{}`:", server.url);
    // `format!` captures the arguments by the names in the template; a URL
    // without variables is a plain string.
    let url = if variables.is_empty() {
        quote! { #format.to_owned() }
    } else {
        quote! { format!(#format) }
    };
    // `format!` captures the arguments by the names in the template.
    Ok(quote! {
        #(#constants)*

        /// A server URL argument the spec does not allow.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct ServerUrlError {
            /// The server variable.
            pub variable: &'static str,
            /// The value given for it.
            pub value: ::std::string::String,
        }

        impl ::std::fmt::Display for ServerUrlError {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "`{}` is not an allowed value of the server variable `{}`", self.value, self.variable)
            }
        }

        impl ::std::error::Error for ServerUrlError {}

        #[doc = #template_doc]
        ///
        #doc
        ///
        #(#argument_docs)*
        pub fn server_url(#(#arguments),*) -> ::std::result::Result<::std::string::String, ServerUrlError> {
            #(#checks)*
            Ok(#url)
        }
    })
}

/// The spec as progenitor can take it. progenitor decodes every success
/// response of an operation as one type and every error response as one
/// type, treats `default` as both, reads only `application/json` bodies as
/// typed, and asserts (panics) on much else; each rewrite here keeps what
/// the wire carries and gives progenitor a shape it supports:
///
/// - `default` is the ranges it stands for: `4XX` and `5XX` beside a
///   documented success, and `2XX` too without one;
/// - success (or error) answers of different types are all read raw;
/// - `+json` and parameterised JSON media types are `application/json`,
///   and a JSON body without a schema is any JSON;
/// - a request body keeps one media type: JSON, form or plain text if
///   offered, otherwise raw bytes (`application/octet-stream`).
fn for_progenitor(mut spec: OpenAPI) -> OpenAPI {
    operations_apart_from_constructors(&mut spec);
    let components = spec.components.clone();
    for (path, item) in spec.paths.paths.iter_mut() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for operation in operations_mut(item) {
            operation
                .parameters
                .retain(|parameter| in_its_path(path, parameter, &components));
            normalise_responses(operation, &components);
            if let Some(body) = &operation.request_body
                && let Some(body) = openapi_source::spec::resolve_in(&components, body)
            {
                let mut body = body.clone();
                body.content = one_request_media(&body.content);
                body.description = body.description.as_deref().map(as_list_item);
                operation.request_body = Some(ReferenceOr::Item(body));
            }
            for parameter in &mut operation.parameters {
                if let Some(resolved) = openapi_source::spec::resolve_in(&components, parameter) {
                    let mut resolved = resolved.clone();
                    let data = parameter_data_mut(&mut resolved);
                    data.description = data.description.as_deref().map(as_list_item);
                    in_progenitor_style(&mut resolved);
                    header_not_null(&mut resolved);
                    *parameter = ReferenceOr::Item(resolved);
                }
            }
        }
    }
    spec
}

/// The extension by which a query parameter handed to progenitor as
/// `form` (the one style it takes) keeps its own style: the variant of
/// `bindings_client::QueryStyle` that `client_builders` sends it in.
pub(super) const QUERY_STYLE: &str = "x-bindings-query-style";

/// The extension by which a cookie parameter handed to progenitor as a
/// header (it refuses cookies) is known for one: `client_builders` sends
/// it with `bindings_client::append_cookie`.
pub(super) const COOKIE: &str = "x-bindings-cookie";

/// A cookie parameter goes to progenitor as a header marked [`COOKIE`].
/// A query parameter in a style progenitor refuses (`deepObject`,
/// `spaceDelimited`, `pipeDelimited`) or writes wrong (`form` without
/// `explode`: progenitor explodes every array) goes to it as `form`,
/// marked with its style ([`QUERY_STYLE`]).
fn in_progenitor_style(parameter: &mut Parameter) {
    if let Parameter::Cookie { parameter_data, .. } = parameter {
        let mut parameter_data = parameter_data.clone();
        parameter_data
            .extensions
            .insert(COOKIE.to_owned(), serde_json::Value::Bool(true));
        *parameter = Parameter::Header {
            parameter_data,
            style: openapiv3::HeaderStyle::Simple,
        };
        return;
    }
    let Parameter::Query {
        parameter_data,
        style,
        ..
    } = parameter
    else {
        return;
    };
    let styled = match style {
        openapiv3::QueryStyle::Form if parameter_data.explode == Some(false) => "FormFlat",
        openapiv3::QueryStyle::Form => return,
        openapiv3::QueryStyle::SpaceDelimited => "SpaceDelimited",
        openapiv3::QueryStyle::PipeDelimited => "PipeDelimited",
        openapiv3::QueryStyle::DeepObject => "DeepObject",
    };
    *style = openapiv3::QueryStyle::Form;
    parameter_data.explode = None;
    parameter_data
        .extensions
        .insert(QUERY_STYLE.to_owned(), serde_json::Value::from(styled));
}

/// Whether `parameter` is not a path parameter its `path` has no
/// `{name}` for (Garage's v2 admin spec declares `id` on
/// `/v2/DeleteKey`): progenitor's client would take a value it cannot
/// send.
fn in_its_path(
    path: &str,
    parameter: &ReferenceOr<Parameter>,
    components: &Option<openapiv3::Components>,
) -> bool {
    match openapi_source::spec::resolve_in(components, parameter) {
        Some(Parameter::Path { parameter_data, .. }) => {
            super::routes::captures(path, &parameter_data.name)
        }
        _ => true,
    }
}

/// A header (or a cookie, handed to progenitor as one) has no `null`:
/// absent is its only missing value. progenitor would give a nullable
/// header `Option<Option<T>>` and send it with `to_string()`, which an
/// `Option` has not (Prefect's 3.1 `anyOf: [boolean, null]` header).
fn header_not_null(parameter: &mut Parameter) {
    if let Parameter::Header { parameter_data, .. } = parameter
        && let openapiv3::ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) =
            &mut parameter_data.format
    {
        schema.schema_data.nullable = false;
    }
}

/// The client's own associated functions: progenitor's constructors and
/// the ones `generate` adds.
const CLIENT_FUNCTIONS: &[&str] = &["new", "new_with_client", "with_options", "with_credentials"];

/// An operation progenitor would name like one of [`CLIENT_FUNCTIONS`]
/// (`operationId: new`) is `<id>_operation` in the client and its command
/// line; the wire is unchanged.
fn operations_apart_from_constructors(spec: &mut OpenAPI) {
    let mut taken: std::collections::BTreeSet<String> = spec
        .operations()
        .filter_map(|(_, _, operation)| operation.operation_id.as_deref())
        .map(progenitor_parameter_name)
        .collect();
    for (_, item) in spec.paths.paths.iter_mut() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for operation in operations_mut(item) {
            let Some(id) = &mut operation.operation_id else {
                continue;
            };
            if !CLIENT_FUNCTIONS.contains(&progenitor_parameter_name(id).as_str()) {
                continue;
            }
            let mut renamed = format!("{id}_operation");
            let mut counter = 2;
            while taken.contains(&progenitor_parameter_name(&renamed)) {
                renamed = format!("{id}_operation{counter}");
                counter += 1;
            }
            taken.insert(progenitor_parameter_name(&renamed));
            *id = renamed;
        }
    }
}

/// progenitor writes each parameter's and the body's description as an
/// item of an `Arguments:` list in the operation's docs: its later lines
/// go under the item, two spaces in (their own common indentation taken
/// off), so that rustdoc reads one item (clippy's `doc_lazy_continuation`
/// and `doc_overindented_list_items`).
fn as_list_item(description: &str) -> String {
    let mut lines = description.trim_end().lines();
    let first = lines.next().unwrap_or_default().trim_end();
    let rest: Vec<&str> = lines.map(str::trim_end).collect();
    let indent = rest
        .iter()
        .filter(|line| !line.is_empty())
        .map(|line| line.len() - line.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut item = first.to_owned();
    for line in rest {
        item.push('\n');
        if !line.is_empty() {
            item.push_str("  ");
            item.push_str(line.get(indent..).unwrap_or(line.trim_start()));
        }
    }
    item
}

pub(super) fn parameter_data_mut(parameter: &mut Parameter) -> &mut openapiv3::ParameterData {
    match parameter {
        Parameter::Query { parameter_data, .. }
        | Parameter::Header { parameter_data, .. }
        | Parameter::Path { parameter_data, .. }
        | Parameter::Cookie { parameter_data, .. } => parameter_data,
    }
}

/// A schema that accepts any JSON.
fn any_schema() -> ReferenceOr<openapiv3::Schema> {
    ReferenceOr::Item(openapiv3::Schema {
        schema_data: Default::default(),
        schema_kind: openapiv3::SchemaKind::Any(Default::default()),
    })
}

/// Raw bytes, as progenitor takes them.
fn binary_media() -> openapiv3::MediaType {
    openapiv3::MediaType {
        schema: Some(ReferenceOr::Item(openapiv3::Schema {
            schema_data: Default::default(),
            schema_kind: openapiv3::SchemaKind::Type(openapiv3::Type::String(
                openapiv3::StringType {
                    format: openapiv3::VariantOrUnknownOrEmpty::Item(
                        openapiv3::StringFormat::Binary,
                    ),
                    ..Default::default()
                },
            )),
        })),
        ..Default::default()
    }
}

fn media_essence(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

fn is_json(media: &str) -> bool {
    let essence = media_essence(media);
    essence == "application/json" || essence.ends_with("+json")
}

/// The JSON media of `content` under progenitor's one name, without
/// encodings and with a schema; else `content` unchanged.
fn json_content(
    content: &indexmap::IndexMap<String, openapiv3::MediaType>,
) -> indexmap::IndexMap<String, openapiv3::MediaType> {
    match content.iter().find(|(name, _)| is_json(name)) {
        Some((_, media)) => {
            let mut media = media.clone();
            media.encoding.clear();
            media.schema.get_or_insert_with(any_schema);
            indexmap::IndexMap::from([("application/json".to_owned(), media)])
        }
        None => content.clone(),
    }
}

/// One request media type progenitor can send.
fn one_request_media(
    content: &indexmap::IndexMap<String, openapiv3::MediaType>,
) -> indexmap::IndexMap<String, openapiv3::MediaType> {
    let json = json_content(content);
    if json.contains_key("application/json") {
        return json;
    }
    let pick = |wanted: &str| {
        content
            .iter()
            .find(|(name, _)| media_essence(name) == wanted)
            .map(|(_, media)| media.clone())
    };
    if let Some(mut media) = pick("application/x-www-form-urlencoded") {
        media.encoding.clear();
        media.schema.get_or_insert_with(any_schema);
        return indexmap::IndexMap::from([("application/x-www-form-urlencoded".to_owned(), media)]);
    }
    let plain_string = |media: &openapiv3::MediaType| {
        matches!(
            media.schema.as_ref().and_then(ReferenceOr::as_item),
            Some(openapiv3::Schema {
                schema_data: openapiv3::SchemaData { nullable: false, default: None, discriminator: None, .. },
                schema_kind: openapiv3::SchemaKind::Type(openapiv3::Type::String(openapiv3::StringType {
                    format: openapiv3::VariantOrUnknownOrEmpty::Empty,
                    pattern: None,
                    min_length: None,
                    max_length: None,
                    enumeration,
                })),
            }) if enumeration.is_empty()
        )
    };
    if let Some(media) = pick("text/plain").filter(plain_string) {
        return indexmap::IndexMap::from([("text/plain".to_owned(), media)]);
    }
    indexmap::IndexMap::from([("application/octet-stream".to_owned(), binary_media())])
}

/// How progenitor would read a response: its JSON schema, raw, or nothing.
fn response_kind(response: &openapiv3::Response) -> String {
    match response.content.get("application/json") {
        Some(media) => serde_json::to_string(&media.schema).unwrap_or_default(),
        None if response.content.is_empty() => "none".into(),
        None => "raw".into(),
    }
}

fn normalise_responses(
    operation: &mut openapiv3::Operation,
    components: &Option<openapiv3::Components>,
) {
    use openapiv3::StatusCode;
    // An older Dropshot wrote a websocket's upgrade as `default`; progenitor
    // reads it as the 101 it is (and requires a 101), so say it that way
    // before `default` is spread over ranges below.
    if operation.extensions.contains_key("x-dropshot-websocket")
        && !operation
            .responses
            .responses
            .contains_key(&StatusCode::Code(101))
        && let Some(default) = operation.responses.default.take()
    {
        operation
            .responses
            .responses
            .insert(StatusCode::Code(101), default);
    }
    // (status, response); `None` is `default`.
    let mut answers: Vec<(Option<StatusCode>, openapiv3::Response)> = operation
        .responses
        .responses
        .iter()
        .filter_map(|(status, response)| {
            Some((
                Some(status.clone()),
                openapi_source::spec::resolve_in(components, response)?.clone(),
            ))
        })
        .chain(operation.responses.default.iter().filter_map(|response| {
            Some((
                None,
                openapi_source::spec::resolve_in(components, response)?.clone(),
            ))
        }))
        .collect();
    let is_success = |status: &Option<StatusCode>| match status {
        None => true,
        Some(StatusCode::Code(code)) => *code == 101 || (200..300).contains(code),
        Some(StatusCode::Range(range)) => *range == 2,
    };
    let is_error = |status: &Option<StatusCode>| match status {
        None => true,
        Some(StatusCode::Code(code)) => (400..600).contains(code),
        Some(StatusCode::Range(range)) => (4..=5).contains(range),
    };
    // `default` becomes the ranges it stands for: the errors beside an
    // explicit success, successes and errors otherwise. (progenitor matches
    // `default` with a catch-all beside its own, which is unreachable.)
    let explicit_success = answers
        .iter()
        .any(|(status, _)| status.is_some() && is_success(status));
    if let Some(index) = answers.iter().position(|(status, _)| status.is_none()) {
        let (_, default) = answers.remove(index);
        let ranges: &[u16] = if explicit_success {
            &[4, 5]
        } else {
            &[2, 4, 5]
        };
        for &range in ranges {
            let status = Some(StatusCode::Range(range));
            if !answers.iter().any(|(other, _)| *other == status) {
                answers.push((status, default.clone()));
            }
        }
    }
    // progenitor matches ranges before single codes, so a code inside a
    // documented range would be unreachable: the range answers for it.
    let ranges: Vec<u16> = answers
        .iter()
        .filter_map(|(status, _)| match status {
            Some(StatusCode::Range(range)) => Some(*range),
            _ => None,
        })
        .collect();
    answers.retain(|(status, _)| match status {
        Some(StatusCode::Code(code)) => !ranges.contains(&(code / 100)),
        _ => true,
    });
    for (_, response) in &mut answers {
        response.content = json_content(&response.content);
    }
    // A side whose answers progenitor would read as different types is read
    // raw; `default` may sit on both sides, so repeat until both agree.
    for _ in 0..2 {
        for side in [is_success, is_error] {
            let kinds: std::collections::BTreeSet<String> = answers
                .iter()
                .filter(|(status, _)| side(status))
                .map(|(_, response)| response_kind(response))
                .collect();
            if kinds.len() > 1 {
                for (status, response) in &mut answers {
                    if side(status) {
                        response.content = indexmap::IndexMap::from([(
                            "application/octet-stream".to_owned(),
                            binary_media(),
                        )]);
                    }
                }
            }
        }
    }
    operation.responses.default = None;
    operation.responses.responses = Default::default();
    for (status, response) in answers {
        match status {
            Some(status) => {
                operation
                    .responses
                    .responses
                    .insert(status, ReferenceOr::Item(response));
            }
            None => operation.responses.default = Some(ReferenceOr::Item(response)),
        }
    }
}

/// The operations of a path item, to rewrite.
pub(super) fn operations_mut(
    item: &mut openapiv3::PathItem,
) -> impl Iterator<Item = &mut openapiv3::Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.options,
        &mut item.head,
        &mut item.patch,
        &mut item.trace,
    ]
    .into_iter()
    .flatten()
}

#[cfg(test)]
mod tests {
    use super::as_list_item;

    #[test]
    fn one_line_stays_as_it_is() {
        assert_eq!(as_list_item("The zone."), "The zone.");
    }

    #[test]
    fn later_lines_go_under_the_item() {
        assert_eq!(
            as_list_item(
                "Set the values.\nTo remove a node, pass `remove`.\n\nAll are required.\n"
            ),
            "Set the values.\n  To remove a node, pass `remove`.\n\n  All are required."
        );
    }

    #[test]
    fn their_own_indentation_is_taken_off() {
        assert_eq!(
            as_list_item("One of:\n    - a\n      nested\n    - b"),
            "One of:\n  - a\n    nested\n  - b"
        );
    }

    #[test]
    fn wide_leading_whitespace_is_not_cut_inside_a_character() {
        assert_eq!(as_list_item("A\n\u{3000}b\n c"), "A\n  b\n  c");
    }
}

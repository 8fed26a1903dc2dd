//! The `<api>-client` crate's command line (feature `cli`): one clap
//! subcommand per operation, from the same spec progenitor's client is
//! generated from, calling that client. Flags are the operation's
//! parameters (credential headers are the client's, not flags), the body
//! from `--json-body FILE|-` or one flag per member, `--example` printing a
//! body to start from; reading, checking and printing are
//! `bindings_client::cli`'s, the same for every API.

use anyhow::{Context as _, Result};
use heck::{ToKebabCase as _, ToSnakeCase as _};
use openapiv3::{
    OpenAPI, Operation, Parameter, ParameterSchemaOrContent, ReferenceOr, Schema, SchemaKind, Type,
};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use super::naming::{KEYWORDS, pascal_case};
use super::types::TypeGen;
use super::{Context, CrateKind};

/// Flags every subcommand may have besides its parameters.
const RESERVED_FLAGS: &[&str] = &["json-body", "body-file", "example", "help"];

pub fn generate(ctx: &Context<'_>) -> Result<TokenStream> {
    let spec = super::client::progenitor_spec(ctx)?;
    let types_crate = ctx.crate_ident(CrateKind::Types);
    let mut types = TypeGen::outside(&spec, quote! { ::#types_crate:: });
    let mut subcommands = Vec::new();
    let mut arms = Vec::new();
    let mut examples = Vec::new();
    for (path, item) in spec.paths.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (method, operation) in item.iter() {
            let at = || format!("/paths/{}/{method}", openapi_source::escape_token(path));
            let command = Command::build(&spec, &mut types, &item.parameters, operation)
                .map_err(|error| super::at(error, at))?;
            let Some(command) = command else {
                continue;
            };
            subcommands.push(command.clap());
            arms.push(command.arm());
            if let Some(example) = &command.example {
                let name = &command.name;
                examples.push(quote! { #name => Some(#example), });
            }
        }
    }
    let example_body = if examples.is_empty() {
        quote! {
            let _ = matches;
            None
        }
    } else {
        quote! {
            let (name, matches) = matches.subcommand()?;
            if !matches.try_get_one::<bool>("example").ok().flatten().copied().unwrap_or(false) {
                return None;
            }
            match name {
                #(#examples)*
                _ => None,
            }
        }
    };
    Ok(quote! {
        use ::bindings_client::cli::{
            self, Failure, JsonAnswer as _, JsonFailure as _, Kind, Member, Outcome,
            RawAnswer as _, RawFailure as _,
        };

        /// One subcommand per operation, to add to a command of your own
        /// (which picks the base URL and credentials).
        pub fn subcommands() -> ::std::vec::Vec<::clap::Command> {
            ::std::vec![#(#subcommands),*]
        }

        /// The body `--example` asked for: the operation's documented
        /// example, else a skeleton from its schema.
        pub fn example(matches: &::clap::ArgMatches) -> ::std::option::Option<&'static str> {
            #example_body
        }

        /// Calls the operation `matches` names, with its flags, on `client`.
        ///
        /// # Errors
        ///
        /// A flag or body the operation does not accept (a usage failure),
        /// or a call that fails, each as one line.
        pub async fn execute(
            client: &crate::Client,
            matches: &::clap::ArgMatches,
        ) -> ::std::result::Result<cli::Answer, Failure> {
            let Some((name, matches)) = matches.subcommand() else {
                return Err(Failure::usage("name an operation (see --help)"));
            };
            match name {
                #(#arms)*
                other => Err(Failure::usage(::std::format!("no operation `{other}`"))),
            }
        }
    })
}

/// One operation as a subcommand.
struct Command {
    name: String,
    method: Ident,
    about: String,
    long_about: String,
    params: Vec<Flag>,
    body: Body,
    example: Option<String>,
}

/// A parameter's flag.
struct Flag {
    flag: String,
    setter: Ident,
    rust_type: TokenStream,
    kind: &'static str,
    list: bool,
    required: bool,
    help: String,
    values: Vec<String>,
}

enum Body {
    None,
    /// JSON (or form) typed as `rust_type`, with flags for its members.
    Typed {
        rust_type: TokenStream,
        members: Vec<(Flag, Vec<String>)>,
        required: bool,
    },
    Text {
        required: bool,
    },
    Bytes {
        required: bool,
    },
}

impl Command {
    fn build(
        spec: &OpenAPI,
        types: &mut TypeGen<'_>,
        path_parameters: &[ReferenceOr<Parameter>],
        operation: &Operation,
    ) -> Result<Option<Command>> {
        let id = operation
            .operation_id
            .as_deref()
            .context("operation without operationId")?;
        let method = format_ident!("{}", progenitor_name(id));
        let name = progenitor_name(id).to_kebab_case();
        // Operation parameters override the path item's, by name and place.
        let mut parameters: Vec<&Parameter> = Vec::new();
        for parameter in path_parameters.iter().chain(&operation.parameters) {
            let parameter = openapi_source::spec::resolve(spec, parameter)
                .context("a parameter does not resolve")?;
            let data = parameter.parameter_data_ref();
            parameters.retain(|seen| {
                let seen_data = seen.parameter_data_ref();
                !(seen_data.name == data.name
                    && std::mem::discriminant(*seen) == std::mem::discriminant(parameter))
            });
            parameters.push(parameter);
        }
        let mut params = Vec::new();
        let mut taken: Vec<String> = RESERVED_FLAGS.iter().map(|f| (*f).to_owned()).collect();
        for parameter in parameters {
            let (place, required) = match parameter {
                Parameter::Path { .. } => ("path", true),
                Parameter::Query { parameter_data, .. } => ("query", parameter_data.required),
                Parameter::Header { parameter_data, .. } => ("header", parameter_data.required),
                // The lint refuses cookie parameters before generation.
                Parameter::Cookie { .. } => return Ok(None),
            };
            let data = parameter.parameter_data_ref();
            let ParameterSchemaOrContent::Schema(schema) = &data.format else {
                // progenitor types a content parameter its own way.
                return Ok(None);
            };
            let mut flag = data.name.to_kebab_case();
            if flag.is_empty() || taken.contains(&flag) {
                flag = format!("{place}-{flag}");
            }
            taken.push(flag.clone());
            let boxed = match schema {
                ReferenceOr::Item(schema) => ReferenceOr::Item(Box::new(schema.clone())),
                ReferenceOr::Reference { reference } => ReferenceOr::Reference {
                    reference: reference.clone(),
                },
            };
            let rust_type = types.type_of(&boxed, &pascal_case(&data.name))?;
            let resolved = openapi_source::spec::resolve(spec, schema);
            let (kind, list, values) = shape(spec, resolved);
            let help = help_text(data.description.as_deref(), resolved, &values);
            params.push(Flag {
                setter: format_ident!("{}", progenitor_name(&data.name)),
                flag,
                rust_type,
                kind,
                list,
                required,
                help,
                values,
            });
        }
        let (body, example) = match &operation.request_body {
            None => (Body::None, None),
            Some(body) => {
                let body = openapi_source::spec::resolve(spec, body)
                    .context("the body does not resolve")?;
                let Some((media_type, media)) = body.content.first() else {
                    return Ok(None);
                };
                let required = body.required;
                match media_type.as_str() {
                    "application/json" | "application/x-www-form-urlencoded" => {
                        let schema = media.schema.clone().unwrap_or_else(|| {
                            ReferenceOr::Item(Schema {
                                schema_data: Default::default(),
                                schema_kind: SchemaKind::Any(Default::default()),
                            })
                        });
                        let boxed = match &schema {
                            ReferenceOr::Item(schema) => {
                                ReferenceOr::Item(Box::new(schema.clone()))
                            }
                            ReferenceOr::Reference { reference } => ReferenceOr::Reference {
                                reference: reference.clone(),
                            },
                        };
                        let rust_type = types.type_of(&boxed, "Body")?;
                        let resolved = openapi_source::spec::resolve(spec, &schema);
                        let members = member_flags(spec, resolved, &mut taken);
                        let example = documented_example(spec, media)
                            .or_else(|| resolved.map(|schema| skeleton(spec, schema, 0)))
                            .and_then(|value| serde_json::to_string_pretty(&value).ok());
                        (
                            Body::Typed {
                                rust_type,
                                members,
                                required,
                            },
                            example,
                        )
                    }
                    "text/plain" => (Body::Text { required }, None),
                    _ => (Body::Bytes { required }, None),
                }
            }
        };
        let summary = operation
            .summary
            .as_deref()
            .map(one_line)
            .filter(|s| !s.is_empty())
            .or_else(|| operation.description.as_deref().map(first_sentence))
            .unwrap_or_default();
        let long_about = match operation.description.as_deref().map(str::trim) {
            Some(description) if !description.is_empty() && !summary.is_empty() => {
                format!("{summary}\n\n{description}")
            }
            Some(description) if !description.is_empty() => description.to_owned(),
            _ => summary.clone(),
        };
        Ok(Some(Command {
            name,
            method,
            about: summary,
            long_about,
            params,
            body,
            example,
        }))
    }

    /// The clap subcommand.
    fn clap(&self) -> TokenStream {
        let name = &self.name;
        let about = &self.about;
        let long_about = &self.long_about;
        let mut args: Vec<TokenStream> = self.params.iter().map(Flag::arg).collect();
        match &self.body {
            Body::None => {}
            Body::Typed { members, .. } => {
                args.push(quote! {
                    ::clap::Arg::new("json-body")
                        .long("json-body")
                        .value_name("FILE")
                        .help("The request body as JSON, from FILE or from stdin for `-`; member flags set members over it")
                });
                args.push(quote! {
                    ::clap::Arg::new("example")
                        .long("example")
                        .action(::clap::ArgAction::SetTrue)
                        .exclusive(true)
                        .help("Print an example body (the spec's, else a skeleton of its schema) and exit")
                });
                args.extend(members.iter().map(|(flag, _)| flag.arg()));
            }
            Body::Text { .. } | Body::Bytes { .. } => args.push(quote! {
                ::clap::Arg::new("body-file")
                    .long("body-file")
                    .value_name("FILE")
                    .help("The request body, from FILE or from stdin for `-`")
            }),
        }
        quote! {
            ::clap::Command::new(#name)
                .about(#about)
                .long_about(#long_about)
                #(.arg(#args))*
        }
    }

    /// The match arm of `execute`.
    fn arm(&self) -> TokenStream {
        let name = &self.name;
        let method = &self.method;
        let params = self.params.iter().map(|flag| {
            let (name, setter, rust_type, kind, list) = (
                &flag.flag,
                &flag.setter,
                &flag.rust_type,
                format_ident!("{}", flag.kind),
                flag.list,
            );
            quote! {
                if let Some(value) = cli::param::<#rust_type>(matches, #name, Kind::#kind, #list)? {
                    request = request.#setter(value);
                }
            }
        });
        let missing = format!(
            "`{name}` needs a body: --json-body FILE (or - for stdin), or its member flags; --example prints one"
        );
        let missing_raw = format!("`{name}` needs a body: --body-file FILE (or - for stdin)");
        let body = match &self.body {
            Body::None => TokenStream::new(),
            Body::Typed {
                rust_type,
                members,
                required,
            } => {
                let members = members.iter().map(|(flag, path)| {
                    let (name, kind, list) =
                        (&flag.flag, format_ident!("{}", flag.kind), flag.list);
                    quote! { Member { flag: #name, path: &[#(#path),*], kind: Kind::#kind, list: #list } }
                });
                quote! {
                    match cli::body::<#rust_type>(matches, &[#(#members),*])? {
                        Some(body) => request = request.body(body),
                        None if #required => return Err(Failure::usage(#missing)),
                        None => {}
                    }
                }
            }
            Body::Text { required } => quote! {
                match cli::text_body(matches)? {
                    Some(body) => request = request.body(body),
                    None if #required => return Err(Failure::usage(#missing_raw)),
                    None => {}
                }
            },
            Body::Bytes { required } => quote! {
                match cli::raw_body(matches)? {
                    Some(body) => request = request.body(body),
                    None if #required => return Err(Failure::usage(#missing_raw)),
                    None => {}
                }
            },
        };
        quote! {
            #name => {
                #[allow(unused_mut)]
                let mut request = client.#method();
                #(#params)*
                #body
                match request.send().await {
                    Ok(answer) => (&Outcome::new(answer)).answer().await,
                    Err(error) => Err((&Outcome::new(error)).failure().await),
                }
            }
        }
    }
}

impl Flag {
    fn arg(&self) -> TokenStream {
        let name = &self.flag;
        let help = &self.help;
        let value_name = self.flag.to_uppercase();
        let required = self.required;
        let action = if self.list {
            quote! { .action(::clap::ArgAction::Append) }
        } else {
            TokenStream::new()
        };
        let values = &self.values;
        let parser = if values.is_empty() {
            TokenStream::new()
        } else {
            quote! { .value_parser(::clap::builder::PossibleValuesParser::new([#(#values),*])) }
        };
        quote! {
            ::clap::Arg::new(#name)
                .long(#name)
                .value_name(#value_name)
                .required(#required)
                .help(#help)
                #action
                #parser
        }
    }
}

/// (JSON kind, whether a list, closed enum values) of a parameter or member.
fn shape(spec: &OpenAPI, schema: Option<&Schema>) -> (&'static str, bool, Vec<String>) {
    let Some(schema) = schema else {
        return ("Json", false, Vec::new());
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::Array(array)) => {
            let items = array
                .items
                .as_ref()
                .and_then(|items| resolve_boxed(spec, items));
            // A list of scalars; a list of lists (or of itself, `Tree`)
            // is JSON, so its items are not followed further.
            match items.map(scalar_shape) {
                Some((kind, values)) if kind != "Json" => (kind, true, values),
                _ => ("Json", false, Vec::new()),
            }
        }
        _ => {
            let (kind, values) = scalar_shape(schema);
            (kind, false, values)
        }
    }
}

/// (JSON kind, closed enum values) of a scalar schema; `Json` for any other.
fn scalar_shape(schema: &Schema) -> (&'static str, Vec<String>) {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => {
            let values = string.enumeration.iter().flatten().cloned().collect();
            ("String", values)
        }
        SchemaKind::Type(Type::Integer(_)) => ("Integer", Vec::new()),
        SchemaKind::Type(Type::Number(_)) => ("Number", Vec::new()),
        SchemaKind::Type(Type::Boolean(_)) => ("Boolean", Vec::new()),
        _ => ("Json", Vec::new()),
    }
}

/// A flag for each scalar member of an object body, and of its object
/// members one level down (`--time-range` sets `time.time_range`), named
/// by the member where that name is free, else by its path.
fn member_flags(
    spec: &OpenAPI,
    schema: Option<&Schema>,
    taken: &mut Vec<String>,
) -> Vec<(Flag, Vec<String>)> {
    let mut flags = Vec::new();
    let Some(SchemaKind::Type(Type::Object(object))) = schema.map(|s| &s.schema_kind) else {
        return flags;
    };
    let mut candidates: Vec<(Vec<String>, &Schema, bool)> = Vec::new();
    for (name, member) in &object.properties {
        let Some(member) = resolve_boxed(spec, member) else {
            continue;
        };
        let required = object.required.contains(name);
        match &member.schema_kind {
            SchemaKind::Type(Type::Object(inner)) => {
                for (inner_name, inner_member) in &inner.properties {
                    if let Some(inner_member) = resolve_boxed(spec, inner_member) {
                        candidates.push((
                            vec![name.clone(), inner_name.clone()],
                            inner_member,
                            false,
                        ));
                    }
                }
            }
            _ => candidates.push((vec![name.clone()], member, required)),
        }
    }
    for (path, member, required) in candidates {
        let (kind, list, values) = shape(spec, Some(member));
        if kind == "Json" {
            continue;
        }
        let leaf = path
            .last()
            .map(|leaf| leaf.to_kebab_case())
            .unwrap_or_default();
        let full = path.join("-").to_kebab_case();
        let Some(flag) = [leaf, full]
            .into_iter()
            .find(|flag| !flag.is_empty() && !taken.contains(flag))
        else {
            continue;
        };
        taken.push(flag.clone());
        let mut help = help_text(
            member.schema_data.description.as_deref(),
            Some(member),
            &values,
        );
        if required {
            help.push_str(" (required unless in --json-body)");
        }
        flags.push((
            Flag {
                flag,
                setter: format_ident!("body"),
                rust_type: TokenStream::new(),
                kind,
                list,
                required: false,
                help,
                values,
            },
            path,
        ));
    }
    flags
}

/// One line of help: the description's first paragraph, the known values
/// of an open enum, and the default.
fn help_text(description: Option<&str>, schema: Option<&Schema>, closed: &[String]) -> String {
    let mut help = description
        .and_then(|d| d.split("\n\n").next())
        .map(one_line)
        .unwrap_or_default();
    if let Some(schema) = schema {
        let open: Vec<String> = match schema.schema_data.extensions.get("x-extensible-enum") {
            Some(Value::Array(values)) if closed.is_empty() => values
                .iter()
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                .collect(),
            _ => Vec::new(),
        };
        if !open.is_empty() {
            help.push_str(&format!(" (known values: {})", open.join(", ")));
        }
        if let Some(default) = &schema.schema_data.default {
            let default = default
                .as_str()
                .map_or_else(|| default.to_string(), str::to_owned);
            help.push_str(&format!(" [default: {default}]"));
        }
    }
    help.trim().to_owned()
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn first_sentence(text: &str) -> String {
    let line = one_line(text.split("\n\n").next().unwrap_or_default());
    match line.find(". ") {
        Some(end) => line[..=end].to_owned(),
        None => line,
    }
}

/// The media type's own example, or its first named one.
fn documented_example(spec: &OpenAPI, media: &openapiv3::MediaType) -> Option<Value> {
    if let Some(example) = &media.example {
        return Some(example.clone());
    }
    media.examples.values().find_map(|example| {
        let example = match example {
            ReferenceOr::Item(example) => example,
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix("#/components/examples/")?;
                spec.components.as_ref()?.examples.get(name)?.as_item()?
            }
        };
        example.value.clone()
    })
}

/// A value of `schema` with its required members (or all, when none is
/// required), each at its example, default, first enum value or zero.
fn skeleton(spec: &OpenAPI, schema: &Schema, depth: usize) -> Value {
    if let Some(value) = schema
        .schema_data
        .example
        .clone()
        .or_else(|| schema.schema_data.default.clone())
    {
        return value;
    }
    if depth > 8 {
        return Value::Null;
    }
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => {
            let all = object.required.is_empty();
            Value::Object(
                object
                    .properties
                    .iter()
                    .filter(|(name, _)| all || object.required.contains(name))
                    .filter_map(|(name, member)| {
                        let member = resolve_boxed(spec, member)?;
                        Some((name.clone(), skeleton(spec, member, depth + 1)))
                    })
                    .collect(),
            )
        }
        SchemaKind::Type(Type::Array(_)) => Value::Array(Vec::new()),
        SchemaKind::Type(Type::String(string)) => {
            string.enumeration.iter().flatten().next().map_or_else(
                || Value::String(String::new()),
                |v| Value::String(v.clone()),
            )
        }
        SchemaKind::Type(Type::Integer(integer)) => {
            integer.enumeration.iter().flatten().next().map_or_else(
                || Value::from(integer.minimum.unwrap_or(0)),
                |v| Value::from(*v),
            )
        }
        SchemaKind::Type(Type::Number(_)) => Value::from(0),
        SchemaKind::Type(Type::Boolean(_)) => Value::Bool(false),
        _ => Value::Null,
    }
}

/// The schema a member or item is, following a `$ref`.
fn resolve_boxed<'a>(
    spec: &'a OpenAPI,
    schema: &'a ReferenceOr<Box<Schema>>,
) -> Option<&'a Schema> {
    match schema {
        ReferenceOr::Item(schema) => Some(schema),
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/schemas/")?;
            spec.components.as_ref()?.schemas.get(name)?.as_item()
        }
    }
}

/// The name progenitor gives an operation's method or a parameter's
/// setter (progenitor-impl's `sanitize` in snake case), so that the command
/// line calls the builder progenitor generated.
pub fn progenitor_name(input: &str) -> String {
    let out = match input {
        "+1" => "plus1".to_owned(),
        "-1" => "minus1".to_owned(),
        _ => input
            .replace('\'', "")
            .replace(|c: char| !unicode_ident::is_xid_continue(c), "-")
            .to_snake_case(),
    };
    let out = match out.chars().next() {
        None => "x".to_owned(),
        Some(c) if unicode_ident::is_xid_start(c) => out,
        Some(_) => format!("_{out}"),
    };
    if out == "_"
        || KEYWORDS.contains(&out.as_str())
        || ["self", "Self", "super", "crate"].contains(&out.as_str())
    {
        format!("{out}_")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_progenitors() {
        assert_eq!(
            progenitor_name("getTenantSessionsStats"),
            "get_tenant_sessions_stats"
        );
        assert_eq!(progenitor_name("X-Request-Id"), "x_request_id");
        assert_eq!(progenitor_name("type"), "type_");
        assert_eq!(progenitor_name("9lives"), "_9lives");
        assert_eq!(progenitor_name("$ref"), "ref_");
    }
}

//! Generation: the crates under `crates/` of an output root, from specs.
//!
//! Everything is rendered in memory first; only when every API rendered
//! without error are files written, and only those whose content changed,
//! through a journaled switch that a kill cannot split ([`write()`]).
//! `--check` renders the same way and compares instead of writing.
//! [`render_changed`] skips an API whose stamp says nothing it is generated
//! from changed (`stamp.rs`); `--check` never does.

mod body_schemas;
mod cli;
mod client;
mod client_builders;
mod client_params;
mod deep_refs;
mod defaults;
mod deletions;
mod discriminator_optional;
mod discriminators;
mod forms;
mod framing;
mod identifiers;
mod integers;
mod manifest;
pub mod naming;
mod normalize;
mod nullable;
mod object_types;
mod one_of_reach;
mod pattern;
mod query_schema;
mod recursion;
mod refusals;
mod routes;
mod rustdoc;
pub mod sample;
mod server;
mod size;
mod stamp;
mod support;
mod tags;
mod type_keywords;
mod types;
mod upgrades;
mod varnames;
mod walk;
pub mod webhooks;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use proc_macro2::TokenStream;
use quote::quote;
use serde::{Deserialize, Serialize};

use openapi_lint as lint;
use openapi_source::SourceDoc;

pub use client::in_guarded_render;
pub use deletions::{Unanswerable, unanswerable as not_found_unanswerable};
pub use discriminator_optional::{OptionalProperty, optional_properties};
pub use discriminators::{
    Contradiction as DiscriminatorContradiction, contradictions as discriminator_contradictions,
};
pub use forms::{
    Ambiguous, ambiguous as ambiguous_forms, ambiguous_empty_arrays, ambiguous_query_objects,
};
pub use framing::{FramingParameter, framing_parameters, reserved_parameters};
pub use identifiers::{WiderIdentifier, wider_identifiers};
pub use integers::{Unstated, unstated as unstated_integers, unstated_floats};
pub use nullable::{Nullable, nullable_all_of_parts, nullable_enums};
pub use object_types::{ImpliedObject, implied as implied_objects};
pub use refusals::{Refused, Undocumented, forbidden_only, undocumented as undocumented_refusals};
pub use stamp::{STAMP_SUFFIX, render_changed, stamp_path};
pub use support::{
    ARRAY_PARAMETER_EMPTY_AMBIGUOUS, DISCRIMINATOR_PROPERTY_OPTIONAL,
    DISCRIMINATOR_VALUE_CONTRADICTION, FLOAT_RANGE_UNSTATED, FORM_BODY_AMBIGUOUS,
    FRAMING_HEADER_PARAMETER, GENERATOR_DEFAULT_DROPPED, GENERATOR_SUPPORT, GENERATOR_UNTYPED,
    GENERATOR_VARNAMES_IGNORED, IDENTIFIER_WIDER_THAN_PARAMETER, INTEGER_FORMAT_ON_STRING,
    INTEGER_RANGE_UNSTATED, KEYWORD_OF_ANOTHER_TYPE, NOT_FOUND_UNDOCUMENTED,
    NULLABLE_ENUM_WITHOUT_NULL, OBJECT_TYPE_IMPLIED, QUERY_OBJECT_AMBIGUOUS,
    RESERVED_HEADER_PARAMETER, SERVER_REFUSAL_UNDOCUMENTED, SUCCESS_IS_UPGRADE, SupportCheck,
    UNAUTHORIZED_UNDOCUMENTED,
};
pub use type_keywords::integer_string_unpatterned;
pub use upgrades::{UpgradeOnly, upgrade_only};
pub use walk::responses_pointer;

/// One API to generate: an `[[api]]` entry of a project configuration
/// (this repository's `xtask/apis.toml`, another's `vendor-bindings.toml`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ApiConfig {
    /// Crate name prefix: `<name>-types`, `<name>-client`, `<name>-server`.
    pub name: String,
    /// The spec, relative to the output root.
    pub spec: PathBuf,
    /// One line describing the API, used in crate descriptions.
    pub description: String,
    /// A hand-written type in the client's `lib.rs` that holds its
    /// credentials and implements progenitor's `ClientHooks` to apply them
    /// (signing, encryption). Without it, header `apiKey` credentials are
    /// sent as default headers (`Client::with_credentials`).
    #[serde(default)]
    pub client_auth: Option<String>,
    /// Extra dependency lines for the client crate's hand-written code.
    #[serde(default)]
    pub client_dependencies: Vec<String>,
    /// Extra dependency lines for the server crate's hand-written code.
    #[serde(default)]
    pub server_dependencies: Vec<String>,
    /// Cargo features of the client crate's hand-written code (an optional
    /// dependency of `client-dependencies` behind each), by name.
    #[serde(default)]
    pub client_features: BTreeMap<String, Feature>,
    /// Tags whose operations or types the client crate's hand-written code
    /// uses: their tag features are always on in the client crate.
    #[serde(default)]
    pub client_uses_tags: Vec<String>,
    /// The lint ruleset the spec is held to: `standard` (the default, for
    /// specs written elsewhere) or `project` (the house rules too).
    #[serde(default)]
    pub lint_ruleset: lint::Ruleset,
    /// Per-rule severities (`error`, `warn`, `off`) replacing the ruleset's.
    #[serde(default)]
    pub lint_rules: BTreeMap<String, lint::Severity>,
    /// The version of the API's three crates; `cargo xtask release` bumps
    /// it by the compatibility policy.
    #[serde(default = "initial_version")]
    pub version: String,
    /// Where the generated crates find the runtime crates
    /// (`bindings-wire`, `bindings-client`, `bindings-server`).
    #[serde(default)]
    pub runtime: Runtime,
    /// Whether the crates take `edition`, `rust-version`, `license`,
    /// `repository` and `[lints]` from the workspace they are generated
    /// into (the default), or state an edition and lints of their own.
    #[serde(default = "inherit_by_default")]
    pub inherit_workspace: bool,
}

fn inherit_by_default() -> bool {
    true
}

/// Where generated crates find the runtime crates they depend on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub enum Runtime {
    /// Beside the generated crates (`path = "../bindings-wire"`), as in
    /// this repository's `crates/`.
    #[default]
    Sibling,
    /// In the directory at this path, relative to a generated crate's
    /// directory (`<path>/bindings-wire`).
    Path(String),
    /// In this git repository (`git = "<url>"`).
    Git(String),
}

impl Runtime {
    /// The dependency line on the runtime crate `krate`.
    pub fn dependency(&self, krate: &str) -> String {
        let version = env!("CARGO_PKG_VERSION");
        match self {
            Runtime::Sibling => {
                format!(r#"{krate} = {{ version = "{version}", path = "../{krate}" }}"#)
            }
            Runtime::Path(dir) => {
                let dir = dir.trim_end_matches('/');
                format!(
                    r#"{krate} = {{ version = "{version}", path = {:?} }}"#,
                    format!("{dir}/{krate}")
                )
            }
            Runtime::Git(url) => format!(r#"{krate} = {{ version = "{version}", git = {url:?} }}"#),
        }
    }
}

/// A Cargo feature a hand-written part of a crate declares.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Feature {
    /// What the feature turns on (`dep:<crate>`, `<crate>/<feature>`).
    pub enables: Vec<String>,
    /// Whether it is a default feature.
    #[serde(default)]
    pub default: bool,
    /// One line for the manifest: what the feature gives.
    pub doc: String,
}

fn initial_version() -> String {
    "0.1.0".to_owned()
}

impl ApiConfig {
    /// The settings of an API named `name` with the spec at `spec` and
    /// everything else at its default.
    pub fn new(name: impl Into<String>, spec: impl Into<PathBuf>) -> Self {
        ApiConfig {
            name: name.into(),
            spec: spec.into(),
            description: String::new(),
            client_auth: None,
            client_dependencies: Vec::new(),
            server_dependencies: Vec::new(),
            client_features: BTreeMap::new(),
            client_uses_tags: Vec::new(),
            lint_ruleset: lint::Ruleset::Standard,
            lint_rules: BTreeMap::new(),
            version: initial_version(),
            runtime: Runtime::default(),
            inherit_workspace: true,
        }
    }

    /// How this API's spec is linted (the generator's own rules may be
    /// named in `lint-rules` too).
    pub fn lint_config(&self) -> Result<lint::LintConfig> {
        lint::LintConfig::from_names(self.lint_ruleset, &self.lint_rules, SupportCheck::RULES)
            .map_err(|error| anyhow::anyhow!("API `{}`: {error}", self.name))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    pub api: Vec<ApiConfig>,
}

/// Reads a project configuration: `[[api]]` entries.
pub fn read_config(path: &Path) -> Result<Vec<ApiConfig>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let config: ConfigFile = toml::from_str(&text)
        .with_context(|| format!("{}: invalid configuration", path.display()))?;
    Ok(config.api)
}

/// The files generation produces, by path relative to the output root.
#[derive(Debug, Default)]
pub struct Output {
    /// Rewritten on every run and checked for drift.
    pub generated: BTreeMap<PathBuf, String>,
    /// Hand-written files: created when missing, never touched afterwards.
    pub scaffolds: BTreeMap<PathBuf, String>,
    /// Each API rendered or skipped, by name: its component schema names.
    pub components: BTreeMap<String, Vec<String>>,
    /// Each rendered API's stamp ([`render_changed`]): written with the
    /// generated files, never checked.
    pub stamps: BTreeMap<PathBuf, String>,
    /// The APIs [`render_changed`] skipped, unchanged since their stamps.
    pub skipped: Vec<String>,
}

/// Lints the specs and renders every API's crates in memory, the two at
/// once; a spec that does not lint clean fails with lint's findings, and
/// nothing rendered is kept. Each API's `spec` is relative to `specs`;
/// the output is relative to `out` (the directory holding `crates/`),
/// where hand-written binaries are looked for.
pub fn render(specs: &Path, out: &Path, apis: &[ApiConfig]) -> Result<Output> {
    let (linted, rendered) = std::thread::scope(|scope| {
        let lint = scope.spawn(|| lint_before_generation(specs, apis));
        let rendered = render_all(specs, out, apis);
        (lint.join(), rendered)
    });
    linted.unwrap_or_else(|_| Err(anyhow::anyhow!("linting the specs panicked")))?;
    rendered
}

/// Fails with every finding that blocks generation; prints the errors
/// that do not.
fn lint_before_generation(root: &Path, apis: &[ApiConfig]) -> Result<()> {
    let mut findings = Vec::new();
    for api in apis {
        // The built-in rules only: rendering, alongside, is the
        // generator's own check, its failures located as lint would.
        let config = api.lint_config()?;
        for finding in lint::lint_file(&root.join(&api.spec), &config) {
            let finding = lint::Finding {
                file: api.spec.clone(),
                ..finding
            };
            if finding.severity != lint::Severity::Error {
                continue;
            }
            if finding.rule.blocks_generation() {
                findings.push(finding);
            } else {
                eprintln!("generate: generating despite {finding}");
            }
        }
    }
    if !findings.is_empty() {
        let mut message = String::from(
            "nothing is generated from a spec with these errors (the model cannot be read, or would be generated wrong):",
        );
        for finding in &findings {
            let _ = write!(message, "\n{finding}");
        }
        let rules: std::collections::BTreeSet<&str> =
            findings.iter().map(|finding| finding.rule.name()).collect();
        let _ = write!(
            message,
            "\nfix the spec where each finding points; or, to generate anyway from what the spec says, turn the rule off for this API in its configuration: lint-rules = {{ {} }}",
            rules
                .iter()
                .map(|rule| format!("{rule} = \"off\""))
                .collect::<Vec<_>>()
                .join(", ")
        );
        bail!(message);
    }
    Ok(())
}

fn render_all(root: &Path, out: &Path, apis: &[ApiConfig]) -> Result<Output> {
    let mut output = Output::default();
    for api in apis {
        match render_api(root, out, api, &mut output) {
            Ok(components) => {
                output.components.insert(api.name.clone(), components);
            }
            Err(error) => bail!("{}", located(root, api, &error)),
        }
    }
    Ok(output)
}

/// The spec at `path`, parsed once and normalised: the one model every
/// crate is rendered from, as JSON and as `openapiv3`'s typed document.
pub fn load_model(path: &Path) -> Result<(serde_json::Value, openapiv3::OpenAPI)> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let source =
        SourceDoc::parse(&text).map_err(|e| anyhow::anyhow!("{}: {}", e.position, e.message))?;
    model(source.value().clone())
}

/// Normalises a parsed spec into the model (see [`load_model`]).
pub fn model(mut raw: serde_json::Value) -> Result<(serde_json::Value, openapiv3::OpenAPI)> {
    // Webhooks read as operations, so that all below reads them too; kept
    // apart again at the end (`x-webhooks`).
    webhooks::into_paths(&mut raw);
    // OpenAPI 3.1 and 3.2 in the 3.0 form (what it drops, lint's
    // generator-untyped reports).
    openapi_source::version::to_30(&mut raw);
    // `$ref` fragments as plain JSON Pointers; callbacks written as
    // `$ref`s, inline (`openapiv3` holds no other).
    openapi_source::version::decode_ref_fragments(&mut raw);
    openapi_source::version::inline_callback_refs(&mut raw);
    // Required parts people leave out read as empty (lint reports them).
    openapi_source::version::fill_required(&mut raw);
    // A Rust field's default must be a value of its type (lint reports
    // the ones left out).
    defaults::drop_nonconforming(&mut raw);
    // `properties` without `type` read as an object (lint reports them).
    object_types::imply(&mut raw);
    // Keywords of a type the schema does not have (lint reports them).
    type_keywords::drop_misplaced(&mut raw);
    // `enum` values of another type than the schema's, which no value
    // fits (lint reports them).
    type_keywords::drop_enum_values_of_other_types(&mut raw);
    // `$ref`s into a parameter, a body or a member: component schemas.
    deep_refs::hoist_deep_schema_refs(&mut raw);
    deep_refs::foreign_component_refs(&mut raw);
    normalize::distinct_component_names(&mut raw);
    normalize::fill_operation_ids(&mut raw);
    normalize::path_item_parameters_into_operations(&mut raw);
    normalize::merge_all_of(&mut raw);
    normalize::integer_string_bounds(&mut raw);
    normalize::formats_only_on_scalars(&mut raw);
    normalize::bounds_that_bound_nothing(&mut raw);
    normalize::hoist_inline_schemas(&mut raw);
    // Lazy Markdown continuations made explicit (clippy's doc lints).
    rustdoc::descriptions(&mut raw);
    webhooks::out_of_paths(&mut raw);
    let spec: openapiv3::OpenAPI = serde_json::from_value(raw.clone())?;
    Ok((raw, spec))
}

/// A generation error as a lint finding would print it:
/// `spec:line:col: generator-support: message`.
fn located(root: &Path, api: &ApiConfig, error: &anyhow::Error) -> String {
    let message: Vec<String> = error
        .chain()
        .map(ToString::to_string)
        .filter(|text| !text.starts_with("at /"))
        .collect();
    let position = error_pointer(error).and_then(|pointer| {
        let text = std::fs::read_to_string(root.join(&api.spec)).ok()?;
        let source = SourceDoc::parse(&text).ok()?;
        let (model, _) = model(source.value().clone()).ok()?;
        Some(source.position(&source_pointer(&model, pointer)))
    });
    let at = position.map_or_else(String::new, |p| format!(":{}:{}", p.line, p.col));
    format!(
        "{}{at}: {}: {}",
        api.spec.display(),
        GENERATOR_SUPPORT.name,
        message.join(": ")
    )
}

/// Where a generation error is: a JSON Pointer into the model, attached to
/// the error as context so that lint and `generate` can both print it as
/// `file:line:col` ([`source_pointer`] maps it back to the spec as written).
#[derive(Debug, Clone)]
pub struct At(pub String);

impl std::fmt::Display for At {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pointer = if self.0.is_empty() { "/" } else { &self.0 };
        write!(f, "at {pointer}")
    }
}

/// `error`, located at `pointer` unless something inside located it more
/// precisely already.
pub fn at(error: anyhow::Error, pointer: impl FnOnce() -> String) -> anyhow::Error {
    if error_pointer(&error).is_some() {
        error
    } else {
        error.context(At(pointer()))
    }
}

/// The pointer an error was located at, if any.
pub fn error_pointer(error: &anyhow::Error) -> Option<&str> {
    error.downcast_ref::<At>().map(|at| at.0.as_str())
}

/// `pointer` (into the normalised model) as a pointer into the spec as
/// written: a schema the normaliser moved into `components/schemas` points
/// back to where it was (`x-hoisted-from`).
pub fn source_pointer(model: &serde_json::Value, pointer: &str) -> String {
    let Some(rest) = pointer.strip_prefix("/components/schemas/") else {
        return pointer.to_owned();
    };
    let (name, tail) = rest.split_once('/').map_or((rest, ""), |(n, t)| (n, t));
    match model
        .pointer(&format!("/components/schemas/{name}/x-hoisted-from"))
        .and_then(serde_json::Value::as_str)
    {
        Some(origin) if tail.is_empty() => origin.to_owned(),
        Some(origin) => format!("{origin}/{tail}"),
        None => pointer.to_owned(),
    }
}

/// The Rust type, as code outside the types crate `types_crate` names it,
/// of a schema (JSON) of the normalised `spec`: what a body or member of
/// that schema decodes into (`Option` of it where the schema is nullable).
/// An inline schema that needs a type of its own is named as the types
/// crate names it when it meets the schema as `suggested` (a member of a
/// component `Order` called `status` is `OrderStatus`).
pub fn rust_type(
    spec: &openapiv3::OpenAPI,
    types_crate: &str,
    schema: &serde_json::Value,
    suggested: &str,
) -> Result<String> {
    let schema: openapiv3::ReferenceOr<Box<openapiv3::Schema>> =
        serde_json::from_value(schema.clone()).context("not a Schema Object")?;
    let krate = naming::ident(types_crate);
    let mut types = types::TypeGen::naming_like_types_crate(spec, quote! { ::#krate:: });
    let rust_type = types.type_of(&schema, suggested)?;
    // A nullable schema's values are held as `Option` of its type, as a
    // member, item or map value of it is.
    Ok(if types.is_nullable(&schema) {
        quote! { ::std::option::Option<#rust_type> }
    } else {
        rust_type
    }
    .to_string())
}

/// The name the types crate suggests for the member `member` of the
/// component `component`, as its own struct generator does.
pub fn member_type_name(component: &str, member: &str) -> String {
    format!("{component}{}", naming::member_suffix(member))
}

/// Renders one API's crates into `output`; returns its component names.
fn render_api(
    root: &Path,
    out: &Path,
    api: &ApiConfig,
    output: &mut Output,
) -> Result<Vec<String>> {
    let (raw, spec) = load_model(&root.join(&api.spec))?;
    let spec_path = api.spec.to_string_lossy().replace('\\', "/");
    let tags = tags::TagFeatures::of(&raw)
        .always_on(&api.client_uses_tags)
        .with_context(|| format!("API `{}`: client-uses-tags", api.name))?;
    let ctx = Context {
        api,
        spec: &spec,
        raw: &raw,
        spec_path: &spec_path,
        tags: &tags,
    };

    // The three crates render on threads of their own: each reads the one
    // model and writes only its own files (the wall time of a large spec is
    // the slowest crate, not the sum).
    let ctx = &ctx;
    let crates: Vec<Result<Output>> = std::thread::scope(|scope| {
        let handles: Vec<_> = [CrateKind::Types, CrateKind::Client, CrateKind::Server]
            .into_iter()
            .map(|crate_kind| {
                // progenitor and typify recurse as deep as a spec's schemas
                // nest; a main thread's stack, not a spawned thread's
                // default 2 MiB.
                std::thread::Builder::new()
                    .name(format!("render-{}", crate_kind.suffix()))
                    .stack_size(RENDER_STACK)
                    .spawn_scoped(scope, move || render_crate(out, ctx, crate_kind))
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| match handle {
                Ok(handle) => handle
                    .join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("rendering a crate panicked"))),
                Err(error) => Err(anyhow::anyhow!("cannot start a rendering thread: {error}")),
            })
            .collect()
    });
    for rendered in crates {
        let rendered = rendered?;
        output.generated.extend(rendered.generated);
        output.scaffolds.extend(rendered.scaffolds);
    }
    Ok(spec
        .components
        .as_ref()
        .map(|components| components.schemas.keys().cloned().collect())
        .unwrap_or_default())
}

/// The stack of each thread that renders a crate.
const RENDER_STACK: usize = 64 * 1024 * 1024;

/// One crate of an API: its generated files and its hand-written scaffold.
fn render_crate(root: &Path, ctx: &Context<'_>, crate_kind: CrateKind) -> Result<Output> {
    let mut output = Output::default();
    let dir = PathBuf::from("crates").join(ctx.crate_name(crate_kind));
    let Code {
        tokens,
        mut items,
        printed,
    } = match crate_kind {
        CrateKind::Types => types::generate(ctx.spec, ctx.tags)?,
        CrateKind::Client => client::generate(ctx)?,
        CrateKind::Server => server::generate(ctx)?,
    };
    // The webhooks: the client crate receives them, the server crate sends
    // them, each in a module of its own behind the feature `webhooks`.
    let hooks = webhooks::render(ctx, crate_kind)?;
    if hooks.is_some() {
        items.push(syn::parse2(webhooks::module_declaration())?);
    }
    // progenitor's `Client::new` unwraps `reqwest::ClientBuilder::build`
    // (it fails only when the TLS backend cannot start), and its
    // `builder` module imports `types` even when the types crate
    // replaces every type; the client file alone allows both.
    // Every name comes from the spec: a member `foo` is the vendor's
    // choice, not a placeholder (clippy's `disallowed_names`).
    let allow = match crate_kind {
        CrateKind::Client => {
            quote! { #![allow(clippy::disallowed_names, clippy::unwrap_used, unused_imports)] }
        }
        // Output enums hold each answer's body by value, as the spec
        // gives it; boxing some would make the API depend on sizes.
        // An operation documenting only `default` has one arm. The trait's
        // methods are the operationIds (`new`, `fromTemplate`), each
        // taking `&self` whatever its name's convention.
        CrateKind::Server => quote! {
            #![allow(
                clippy::disallowed_names,
                clippy::large_enum_variant,
                clippy::match_single_binding,
                clippy::wrong_self_convention
            )]
        },
        // Unions hold each variant by value, as the spec gives it, for
        // the reason above (influxdb's `common.yml`).
        CrateKind::Types => {
            quote! { #![allow(clippy::disallowed_names, clippy::large_enum_variant)] }
        }
    };
    let rendered = render_rust(
        ctx,
        Code {
            tokens: quote! { #allow #tokens },
            items,
            printed,
        },
    )?;
    let mut all_code = rendered.clone();
    output
        .generated
        .insert(dir.join("src/generated.rs"), rendered);
    if let Some(hooks) = hooks {
        let rendered = render_rust(ctx, hooks)?;
        all_code.push_str(&rendered);
        output
            .generated
            .insert(dir.join(webhooks::MODULE_FILE), rendered);
    }
    if crate_kind == CrateKind::Client {
        let cli = cli::generate(ctx)?;
        // Method resolution picks the JSON or the raw reading of each
        // answer; an API whose answers are all JSON uses one of the two.
        let allow = quote! { #![allow(unused_imports)] };
        let rendered = render_rust(ctx, quote! { #allow #cli })?;
        all_code.push_str(&rendered);
        output
            .generated
            .insert(dir.join("src/generated_cli.rs"), rendered);
    }
    let has_bin = |bin: &str| {
        root.join(&dir)
            .join("src/bin")
            .join(format!("{bin}.rs"))
            .is_file()
    };
    if crate_kind == CrateKind::Server && !has_bin(&format!("{}-mock", ctx.api.name)) {
        output
            .generated
            .insert(dir.join(manifest::MOCK_MAIN), manifest::mock_main(ctx));
    }
    output.generated.insert(
        dir.join("Cargo.toml"),
        manifest::cargo_toml(ctx, crate_kind, &all_code, has_bin),
    );
    output
        .generated
        .insert(dir.join("README.md"), manifest::readme(ctx, crate_kind));
    output
        .scaffolds
        .insert(dir.join("src/lib.rs"), manifest::lib_rs(ctx, crate_kind));
    Ok(output)
}

/// What generation knows about one API while rendering it.
#[derive(Debug)]
pub struct Context<'a> {
    pub api: &'a ApiConfig,
    pub spec: &'a openapiv3::OpenAPI,
    /// The spec as JSON, for extensions the typed model does not keep.
    pub raw: &'a serde_json::Value,
    /// The spec's path as shown in headers (forward slashes).
    pub spec_path: &'a str,
    /// Its Cargo features per tag, and what each gates.
    pub tags: &'a tags::TagFeatures,
}

impl Context<'_> {
    pub fn crate_name(&self, kind: CrateKind) -> String {
        format!("{}-{}", self.api.name, kind.suffix())
    }

    /// The crate's name as a Rust path segment.
    pub fn crate_ident(&self, kind: CrateKind) -> proc_macro2::Ident {
        naming::ident(&self.crate_name(kind).replace('-', "_"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrateKind {
    Types,
    Client,
    Server,
}

impl CrateKind {
    pub fn suffix(self) -> &'static str {
        match self {
            CrateKind::Types => "types",
            CrateKind::Client => "client",
            CrateKind::Server => "server",
        }
    }
}

/// The header every generated file starts with.
pub fn header(ctx: &Context<'_>, comment: &str) -> String {
    format!(
        "{comment} @generated by bindings-codegen from {}.\n{comment} Do not edit: change the spec or the generator and regenerate.\n",
        ctx.spec_path
    )
}

/// A crate's code: items still as tokens, then items already parsed (the
/// client's, which its emitter rewrites as a syntax tree: parsed once),
/// then items a generator has already printed (the server prints each
/// operation's items as it goes, so that no whole-crate token stream is
/// held).
pub struct Code {
    pub tokens: TokenStream,
    pub items: Vec<syn::Item>,
    pub printed: String,
}

impl std::fmt::Debug for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Code")
            .field("tokens", &self.tokens)
            .field("items", &self.items.len())
            .field("printed", &self.printed.len())
            .finish()
    }
}

impl From<TokenStream> for Code {
    fn from(tokens: TokenStream) -> Self {
        Code {
            tokens,
            items: Vec::new(),
            printed: String::new(),
        }
    }
}

/// The file for `code`: its header, then the tokens printed, then the
/// parsed items, then the already printed items.
fn render_rust(ctx: &Context<'_>, code: impl Into<Code>) -> Result<String> {
    let Code {
        tokens,
        items,
        printed,
    } = code.into();
    let mut text = format!("{}\n", header(ctx, "//"));
    text.push_str(&print_items(quote! {
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #tokens
    })?);
    for item in items {
        text.push_str(&print_one(Vec::new(), item));
    }
    text.push_str(&printed);
    Ok(text)
}

/// One item printed (after `attrs`, a file's inner attributes).
fn print_one(attrs: Vec<syn::Attribute>, item: syn::Item) -> String {
    prettyplease::unparse(&syn::File {
        shebang: None,
        attrs,
        items: vec![item],
    })
}

/// Parses and prints `code` (items), each under `attr` when given.
pub fn print_items_under(code: TokenStream, attr: Option<&syn::Attribute>) -> Result<String> {
    let file: syn::File = syn::parse2(code).context("generated code does not parse")?;
    let mut text = String::new();
    for mut item in file.items {
        if let Some(attr) = attr {
            tags::push_attr(&mut item, attr.clone());
        }
        text.push_str(&print_one(Vec::new(), item));
    }
    Ok(text)
}

/// Parses and prints `code` (inner attributes, then items) one item at a
/// time, so that only one item's syntax tree is alive at once (a whole
/// crate's tree was the generator's largest allocation); the text is what
/// printing them as one file prints.
pub fn print_items(code: TokenStream) -> Result<String> {
    use syn::parse::Parser as _;
    let mut text = String::new();
    let items = |input: syn::parse::ParseStream<'_>| -> syn::Result<()> {
        // The inner attributes print with the first item, as in a whole file.
        let mut attrs = input.call(syn::Attribute::parse_inner)?;
        if input.is_empty() && !attrs.is_empty() {
            text.push_str(&prettyplease::unparse(&syn::File {
                shebang: None,
                attrs: std::mem::take(&mut attrs),
                items: Vec::new(),
            }));
        }
        while !input.is_empty() {
            text.push_str(&print_one(std::mem::take(&mut attrs), input.parse()?));
        }
        Ok(())
    };
    items
        .parse2(code)
        .context("generated code does not parse")?;
    Ok(text)
}

/// `pub fn with_x(mut self, value: T) -> Self` for the optional `field`
/// (documented as setting `wire_name`), named distinctly among `taken`.
pub fn setter_method(
    field: &proc_macro2::Ident,
    wire_name: &str,
    argument: &TokenStream,
    taken: &mut std::collections::BTreeSet<String>,
) -> TokenStream {
    let setter = naming::setter_ident(field, taken);
    let doc = format!(" Sets `{wire_name}`.");
    quote! {
        #[doc = #doc]
        #[must_use]
        pub fn #setter(mut self, value: #argument) -> Self {
            self.#field = Some(value);
            self
        }
    }
}

/// `#[doc]` attributes for a description, one per line.
pub fn docs(description: Option<&str>) -> TokenStream {
    let Some(description) = description else {
        return TokenStream::new();
    };
    let lines = description.trim_end().lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote! { #[doc = #line] }
    });
    quote! { #(#lines)* }
}

/// A file whose checked-in content differs from what the spec gives.
#[derive(Debug)]
pub struct Stale {
    pub path: PathBuf,
    /// A short line diff, or why the file could not be compared.
    pub diff: String,
}

/// Compares rendered output with the files under `root`.
pub fn check(root: &Path, output: &Output) -> Vec<Stale> {
    let mut stale = Vec::new();
    for (path, want) in &output.generated {
        match std::fs::read_to_string(root.join(path)) {
            Ok(have) if have == *want => {}
            Ok(have) => stale.push(Stale {
                path: path.clone(),
                diff: short_diff(&have, want),
            }),
            Err(error) => stale.push(Stale {
                path: path.clone(),
                diff: format!("cannot read: {error}"),
            }),
        }
    }
    for path in output.scaffolds.keys() {
        if !root.join(path).exists() {
            stale.push(Stale {
                path: path.clone(),
                diff: "missing (generation creates it)".into(),
            });
        }
    }
    stale
}

/// The journal of a generate run that has staged every file and is
/// switching them in; its presence is the commit point.
pub const JOURNAL: &str = ".generate-journal";

/// Suffix of a staged file beside its target.
const STAGED_SUFFIX: &str = "generated.tmp";

/// Writes every changed generated file and stamp and every missing
/// scaffold; returns the paths written.
///
/// Atomic across a kill at any instant: every file is staged beside its
/// target and synced; then the list of (staged, target) pairs is written to
/// [`JOURNAL`] under another name, synced, and renamed into place (the
/// commit point); only then are the staged files renamed over their
/// targets, and the journal removed. [`recover`], run first by every
/// generate, finishes a committed switch or discards an uncommitted one.
pub fn write(root: &Path, output: &Output) -> Result<Vec<PathBuf>> {
    recover(root)?;
    let pending = pending(root, output);
    let staged = stage(root, &pending)?;
    commit(root, &staged)?;
    switch(root, &staged)?;
    Ok(pending.into_iter().map(|(path, _)| path.clone()).collect())
}

/// The files whose content differs from the rendered output.
fn pending<'a>(root: &Path, output: &'a Output) -> Vec<(&'a PathBuf, &'a String)> {
    let mut pending = Vec::new();
    for (path, content) in output.generated.iter().chain(&output.stamps) {
        if std::fs::read_to_string(root.join(path)).ok().as_deref() != Some(content.as_str()) {
            pending.push((path, content));
        }
    }
    for (path, content) in &output.scaffolds {
        if !root.join(path).exists() {
            pending.push((path, content));
        }
    }
    pending
}

/// Writes and syncs each file beside its target; returns the (staged,
/// target) pairs, relative to `root`. On failure nothing staged remains.
fn stage(root: &Path, pending: &[(&PathBuf, &String)]) -> Result<Vec<(PathBuf, PathBuf)>> {
    let mut staged = Vec::new();
    for (path, content) in pending {
        let target = root.join(path);
        let result = (|| -> Result<PathBuf> {
            let dir = target.parent().context("generated file has no directory")?;
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            let temporary = path.with_extension(STAGED_SUFFIX);
            write_synced(&root.join(&temporary), content.as_bytes())?;
            Ok(temporary)
        })();
        match result {
            Ok(temporary) => staged.push((temporary, (*path).clone())),
            Err(error) => {
                for (temporary, _) in &staged {
                    let _ = std::fs::remove_file(root.join(temporary));
                }
                return Err(error);
            }
        }
    }
    Ok(staged)
}

/// Records the switch about to happen; the rename is the commit point.
fn commit(root: &Path, staged: &[(PathBuf, PathBuf)]) -> Result<()> {
    if staged.is_empty() {
        return Ok(());
    }
    let mut journal = String::new();
    for (temporary, target) in staged {
        let _ = writeln!(journal, "{}\t{}", temporary.display(), target.display());
    }
    let uncommitted = root.join(format!("{JOURNAL}.tmp"));
    write_synced(&uncommitted, journal.as_bytes())?;
    std::fs::rename(&uncommitted, root.join(JOURNAL)).context("cannot commit the journal")?;
    sync_dir(root);
    Ok(())
}

/// Renames every staged file over its target, then drops the journal.
fn switch(root: &Path, staged: &[(PathBuf, PathBuf)]) -> Result<()> {
    for (temporary, target) in staged {
        let (temporary, target) = (root.join(temporary), root.join(target));
        // Already switched by an earlier, interrupted run.
        if !temporary.exists() {
            continue;
        }
        std::fs::rename(&temporary, &target)
            .with_context(|| format!("cannot replace {}", target.display()))?;
        if let Some(dir) = target.parent() {
            sync_dir(dir);
        }
    }
    match std::fs::remove_file(root.join(JOURNAL)) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
            Err(error).context("cannot remove the generate journal")
        }
        _ => Ok(()),
    }
}

/// Finishes or discards what an interrupted generate left: a committed
/// journal's switch is completed; staged files without a journal, and an
/// uncommitted journal, are removed.
pub fn recover(root: &Path) -> Result<()> {
    let journal = root.join(JOURNAL);
    if let Ok(text) = std::fs::read_to_string(&journal) {
        let staged: Vec<(PathBuf, PathBuf)> = text
            .lines()
            .filter_map(|line| line.split_once('\t'))
            .map(|(temporary, target)| (PathBuf::from(temporary), PathBuf::from(target)))
            // Only files this tool stages, inside the workspace.
            .filter(|(temporary, target)| {
                temporary.is_relative()
                    && target.is_relative()
                    && temporary.extension().is_some_and(|e| e == "tmp")
                    && !temporary
                        .components()
                        .any(|c| c == std::path::Component::ParentDir)
                    && !target
                        .components()
                        .any(|c| c == std::path::Component::ParentDir)
            })
            .collect();
        eprintln!(
            "generate: finishing an interrupted run ({} file(s))",
            staged.len()
        );
        switch(root, &staged)?;
    }
    let _ = std::fs::remove_file(root.join(format!("{JOURNAL}.tmp")));
    for stale in staged_files(&root.join("crates")) {
        let _ = std::fs::remove_file(stale);
    }
    Ok(())
}

/// `*.generated.tmp` files under `dir`, a few levels deep.
fn staged_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![(dir.to_owned(), 0)];
    while let Some((dir, depth)) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() && depth < 4 {
                pending.push((path, depth + 1));
            } else if kind.is_file()
                && path
                    .file_name()
                    .and_then(|name| name.to_str())
                    .is_some_and(|name| name.ends_with(".generated.tmp"))
            {
                found.push(path);
            }
        }
    }
    found
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write as _;
    let mut file =
        std::fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Makes a directory's entries (renames) durable; best effort, as some
/// platforms cannot open directories.
fn sync_dir(dir: &Path) {
    if let Ok(handle) = std::fs::File::open(dir) {
        let _ = handle.sync_all();
    }
}

/// The first few differing lines, `-` checked in, `+` generated.
fn short_diff(have: &str, want: &str) -> String {
    const CONTEXT_LINES: usize = 6;
    let have: Vec<&str> = have.lines().collect();
    let want: Vec<&str> = want.lines().collect();
    let first = have
        .iter()
        .zip(&want)
        .position(|(a, b)| a != b)
        .unwrap_or(have.len().min(want.len()));
    let (mut have_end, mut want_end) = (have.len(), want.len());
    while have_end > first && want_end > first && have[have_end - 1] == want[want_end - 1] {
        have_end -= 1;
        want_end -= 1;
    }
    let mut diff = format!("@@ line {} @@\n", first + 1);
    for line in have[first..have_end].iter().take(CONTEXT_LINES) {
        let _ = writeln!(diff, "-{line}");
    }
    if have_end - first > CONTEXT_LINES {
        let _ = writeln!(
            diff,
            "-... ({} more lines)",
            have_end - first - CONTEXT_LINES
        );
    }
    for line in want[first..want_end].iter().take(CONTEXT_LINES) {
        let _ = writeln!(diff, "+{line}");
    }
    if want_end - first > CONTEXT_LINES {
        let _ = writeln!(
            diff,
            "+... ({} more lines)",
            want_end - first - CONTEXT_LINES
        );
    }
    diff
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-journal-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("crates/a/src")).expect("scratch dir");
        dir
    }

    fn output(files: &[(&str, &str)]) -> Output {
        Output {
            generated: files
                .iter()
                .map(|(path, content)| (PathBuf::from(path), content.to_string()))
                .collect(),
            ..Output::default()
        }
    }

    fn read(root: &Path, path: &str) -> String {
        std::fs::read_to_string(root.join(path)).expect("readable")
    }

    const FILES: [&str; 2] = ["crates/a/src/one.rs", "crates/a/src/two.rs"];

    /// A kill after the commit point: the next run switches every file.
    #[test]
    fn a_committed_switch_is_finished_by_the_next_run() {
        let root = scratch("committed");
        write(&root, &output(&[(FILES[0], "old 1"), (FILES[1], "old 2")])).expect("first");
        let new = output(&[(FILES[0], "new 1"), (FILES[1], "new 2")]);
        let pending = pending(&root, &new);
        let staged = stage(&root, &pending).expect("staged");
        commit(&root, &staged).expect("committed");
        // Killed here, after switching only the first file.
        std::fs::rename(root.join(&staged[0].0), root.join(&staged[0].1)).expect("one switched");
        assert_eq!(
            (
                read(&root, FILES[0]).as_str(),
                read(&root, FILES[1]).as_str()
            ),
            ("new 1", "old 2")
        );
        recover(&root).expect("recovers");
        assert_eq!(
            (
                read(&root, FILES[0]).as_str(),
                read(&root, FILES[1]).as_str()
            ),
            ("new 1", "new 2")
        );
        assert!(!root.join(JOURNAL).exists());
        assert!(staged_files(&root.join("crates")).is_empty());
        let _ = std::fs::remove_dir_all(&root);
    }

    /// A kill before the commit point: the next run discards what was staged.
    #[test]
    fn an_uncommitted_switch_is_discarded_by_the_next_run() {
        let root = scratch("uncommitted");
        write(&root, &output(&[(FILES[0], "old 1"), (FILES[1], "old 2")])).expect("first");
        let new = output(&[(FILES[0], "new 1"), (FILES[1], "new 2")]);
        let pending = pending(&root, &new);
        stage(&root, &pending).expect("staged");
        std::fs::write(root.join(format!("{JOURNAL}.tmp")), "partial").expect("half a journal");
        recover(&root).expect("recovers");
        assert_eq!(
            (
                read(&root, FILES[0]).as_str(),
                read(&root, FILES[1]).as_str()
            ),
            ("old 1", "old 2")
        );
        assert!(
            staged_files(&root.join("crates")).is_empty(),
            "stale temporaries cleaned"
        );
        assert!(!root.join(format!("{JOURNAL}.tmp")).exists());
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn short_diff_shows_the_changed_lines() {
        let diff = short_diff("a\nb\nc\nd\n", "a\nB\nc\nd\n");
        assert_eq!(diff, "@@ line 2 @@\n-b\n+B\n");
    }
}

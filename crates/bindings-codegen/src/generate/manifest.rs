//! Each generated crate's `Cargo.toml` and `README.md`, and the first
//! version of its hand-written `lib.rs`.

use std::fmt::Write as _;

use super::{Context, CrateKind, Feature, header};

/// Versions of the dependencies generated crates use, in one place.
const SERDE: &str = r#"serde = { version = "1.0.200", features = ["derive"] }"#;
const SERDE_JSON: &str = r#"serde_json = "1""#;
const AXUM: &str = r#"axum = { version = "0.8.4", default-features = false, features = ["http1", "tokio", "matched-path"] }"#;
const PROGENITOR_CLIENT: &str = r#"progenitor-client = "0.15""#;
const REQWEST: &str = r#"reqwest = { version = "0.13", default-features = false, features = ["json", "query", "stream", "http2"] }"#;

/// Crates generated code may name by path (typify's choices for string
/// formats and patterns), with the dependency line each needs.
const USED_BY_PATH: &[(&str, &str)] = &[
    (
        "::uuid::",
        r#"uuid = { version = "1", features = ["serde"] }"#,
    ),
    (
        "::chrono::",
        r#"chrono = { version = "0.4.40", default-features = false, features = ["std", "serde"] }"#,
    ),
    ("::regress::", r#"regress = "0.10""#),
    // progenitor's client for Dropshot websocket operations.
    ("::base64::", r#"base64 = "0.22""#),
    ("::rand::", r#"rand = "0.9""#),
];

/// The crate's `Cargo.toml`; `code` is its generated Rust, whose paths say
/// which crates beyond the fixed ones it needs.
/// `has_bin(name)` says whether the crate has the hand-written
/// `src/bin/<name>.rs` a `[[bin]]` entry would point to.
pub fn cargo_toml(
    ctx: &Context<'_>,
    kind: CrateKind,
    code: &str,
    has_bin: impl Fn(&str) -> bool,
) -> String {
    let name = ctx.crate_name(kind);
    let types = ctx.crate_name(CrateKind::Types);
    let hooks = super::webhooks::present(ctx.raw);
    let (what, mut dependencies, features) = match kind {
        CrateKind::Types => (
            "Types (serde; schemars with feature `schemars`)",
            vec![
                ctx.api.runtime.dependency("bindings-wire"),
                r#"schemars = { version = "1.0", default-features = false, features = ["std", "derive"], optional = true }"#.to_owned(),
                SERDE.to_owned(),
                SERDE_JSON.to_owned(),
            ],
            Some(format!(
                "[features]\n{}# `schemars::JsonSchema` for every type (JSON Schema of the wire format).\nschemars = [\"dep:schemars\", \"bindings-wire/schemars\"]\n",
                tag_features(ctx, None)
            )),
        ),
        CrateKind::Client => (
            "Async client (progenitor, reqwest)",
            vec![
                format!(
                    r#"{types} = {{ version = "{version}", path = "../{types}"{} }}"#,
                    types_features(ctx),
                    version = ctx.api.version
                ),
                ctx.api.runtime.dependency("bindings-client"),
                PROGENITOR_CLIENT.to_owned(),
                r#"clap = { version = "4.5", optional = true, features = ["env", "string"] }"#.to_owned(),
                REQWEST.to_owned(),
                SERDE.to_owned(),
                SERDE_JSON.to_owned(),
            ],
            Some({
                let name = &ctx.api.name;
                let all_tags = (!ctx.tags.is_empty()).then_some(ALL_TAGS);
                let defaults: Vec<String> = std::iter::once("rustls")
                    .chain(all_tags)
                    .chain(
                        ctx.api
                            .client_features
                            .iter()
                            .filter(|(_, feature)| feature.default)
                            .map(|(name, _)| name.as_str()),
                    )
                    .map(|name| format!("{name:?}"))
                    .collect();
                let mut features = format!(
                    "[features]\ndefault = [{}]\n# TLS through rustls (the default); turn default features off to pick another backend on reqwest.\nrustls = [\"reqwest/rustls\"]\n# The command line: a clap subcommand per operation over this client (`cli::subcommands`, `cli::execute`).\ncli = [\"bindings-client/cli\", \"dep:clap\"{}]\n{}",
                    defaults.join(", "),
                    all_tags.map(|all| format!(", {all:?}")).unwrap_or_default(),
                    tag_features(ctx, Some(&types))
                );
                for (feature, Feature { enables, doc, .. }) in &ctx.api.client_features {
                    let enables: Vec<String> = enables.iter().map(|e| format!("{e:?}")).collect();
                    let _ = writeln!(features, "# {doc}\n{feature} = [{}]", enables.join(", "));
                }
                if hooks {
                    features.push_str(RECEIVER_FEATURE);
                }
                if has_bin(name) {
                    let _ = write!(
                        features,
                        "\n[[bin]]\nname = \"{name}\"\npath = \"src/bin/{name}.rs\"\nrequired-features = [\"cli\"]\n"
                    );
                }
                features
            }),
        ),
        CrateKind::Server => (
            "Server trait and axum router",
            vec![
                format!(
                    r#"{types} = {{ version = "{version}", path = "../{types}"{} }}"#,
                    // Every tag, as the client's `all-tags` asks for it: one
                    // build of the types crate serves both.
                    if ctx.tags.is_empty() { "" } else { r#", default-features = false, features = ["all-tags"]"# },
                    version = ctx.api.version
                ),
                AXUM.to_owned(),
                ctx.api.runtime.dependency("bindings-server"),
                ctx.api.runtime.dependency("bindings-wire"),
                SERDE_JSON.to_owned(),
                // The mock's `Prefer` is task-local; its binary runs a runtime.
                r#"tokio = { version = "1", features = ["rt", "rt-multi-thread", "macros", "net", "io-util"] }"#.to_owned(),
            ],
            Some({
                let mut features = String::from(
                    "[features]\n# `mock`: a server that answers every operation with the spec's examples.\nmock = [\"bindings-server/mock\"]\n",
                );
                if hooks {
                    features.push_str(SENDER_FEATURE);
                }
                // A hand-written mock binary, else the generated one.
                let bin = format!("{}-mock", ctx.api.name);
                let path = if has_bin(&bin) {
                    format!("src/bin/{bin}.rs")
                } else {
                    MOCK_MAIN.to_owned()
                };
                let _ = write!(
                    features,
                    "\n[[bin]]\nname = \"{bin}\"\npath = \"{path}\"\nrequired-features = [\"mock\"]\n"
                );
                features
            }),
        ),
    };
    let mut out = header(ctx, "#");
    let _ = write!(
        out,
        r#"
[package]
name = "{name}"
version = "{version}"
description = "{what} for {}, generated from its OpenAPI spec."
{package}readme = "README.md"
keywords = ["openapi", "{}", "api"]
categories = ["api-bindings"]

[dependencies]
"#,
        ctx.api.description,
        ctx.api.name,
        version = ctx.api.version,
        package = if ctx.api.inherit_workspace {
            "edition.workspace = true\nrust-version.workspace = true\nlicense.workspace = true\nrepository.workspace = true\n"
        } else {
            "edition = \"2024\"\nrust-version = \"1.88\"\n"
        },
    );
    if hooks {
        dependencies.extend(webhook_dependencies(ctx, kind));
    }
    let extra = match kind {
        CrateKind::Types => &[][..],
        CrateKind::Client => &ctx.api.client_dependencies[..],
        CrateKind::Server => &ctx.api.server_dependencies[..],
    };
    let used = USED_BY_PATH
        .iter()
        .filter(|(path, _)| code.contains(path) || code.contains(&path.replace("::", ":: ")))
        .map(|(_, line)| (*line).to_owned());
    let mut dependencies: Vec<String> = dependencies
        .into_iter()
        .chain(extra.iter().cloned())
        .chain(used)
        .collect();
    dependencies.sort();
    dependencies.dedup();
    for dependency in dependencies {
        let _ = writeln!(out, "{dependency}");
    }
    if let Some(features) = features {
        out.push('\n');
        out.push_str(&features);
    }
    // docs.rs shows what every feature adds (the mock, the command line).
    out.push_str("\n[package.metadata.docs.rs]\nall-features = true\n");
    if ctx.api.inherit_workspace {
        out.push_str("\n[lints]\nworkspace = true\n");
    } else {
        out.push_str("\n[lints.rust]\nunsafe_code = \"forbid\"\n");
    }
    out
}

/// The client crate's `webhooks` feature: the receiver.
const RECEIVER_FEATURE: &str = "# `webhooks`: a trait with one method per webhook and an axum router that validates each incoming webhook request (`webhooks::router`).\nwebhooks = [\"dep:axum\", \"dep:bindings-server\", \"dep:bindings-wire\"]\n";

/// The server crate's `webhooks` feature: the sender.
const SENDER_FEATURE: &str = "# `webhooks`: a client that sends each webhook to a consumer's URL (`webhooks::Client`).\nwebhooks = [\"dep:bindings-client\", \"dep:progenitor-client\", \"dep:reqwest\", \"dep:serde\"]\n";

/// The optional dependencies of a crate's `webhooks` module: the server's
/// runtime for the receiver, the client's for the sender.
/// How the client crate takes the types crate: every tag feature on by
/// default, or only those the client's own features turn on (and those of
/// `client-uses-tags`).
fn types_features(ctx: &Context<'_>) -> String {
    if ctx.tags.is_empty() {
        return String::new();
    }
    let always: Vec<String> = ctx.tags.always().map(|f| format!("{f:?}")).collect();
    if always.is_empty() {
        ", default-features = false".to_owned()
    } else {
        format!(
            ", default-features = false, features = [{}]",
            always.join(", ")
        )
    }
}

/// The feature that turns every tag feature on.
const ALL_TAGS: &str = "all-tags";

/// The types or client crate's tag features (see [`super::tags`]), each
/// with the tags it stands for; in the client crate (`types` given), each
/// turns on the types crate's feature of the same name. Empty without tag
/// features.
fn tag_features(ctx: &Context<'_>, types: Option<&str>) -> String {
    if ctx.tags.is_empty() {
        return String::new();
    }
    let names: Vec<String> = ctx
        .tags
        .features()
        .map(|(name, _)| format!("{name:?}"))
        .collect();
    let what = match types {
        Some(_) => "operations",
        None => "types of the operations",
    };
    let mut out = String::new();
    if types.is_none() {
        let _ = writeln!(out, "default = [{ALL_TAGS:?}]");
    }
    let mut all = names;
    if let Some(types) = types {
        all.push(format!("\"{types}/{ALL_TAGS}\""));
    }
    let _ = writeln!(
        out,
        "# The {what} of every tag; with default features off, turn on only the tags you call.\n{ALL_TAGS} = [{}]",
        all.join(", ")
    );
    for (name, tags) in ctx.tags.features() {
        let tags: Vec<String> = tags
            .iter()
            .map(|tag| {
                let tag: String = tag
                    .chars()
                    .map(|c| if c.is_control() { ' ' } else { c })
                    .collect();
                format!("`{tag}`")
            })
            .collect();
        let enables = types
            .map(|types| format!("\"{types}/{name}\""))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "# The {what} tagged {}.\n{name} = [{enables}]",
            tags.join(", ")
        );
    }
    out
}

fn webhook_dependencies(ctx: &Context<'_>, kind: CrateKind) -> Vec<String> {
    // `name = { ... }` or `name = "version"`.
    let optional = |line: String| match line.strip_suffix(" }") {
        Some(start) => format!("{start}, optional = true }}"),
        None => match line.split_once(" = ") {
            Some((name, version)) => format!("{name} = {{ version = {version}, optional = true }}"),
            None => line,
        },
    };
    match kind {
        CrateKind::Types => Vec::new(),
        CrateKind::Client => vec![
            optional(AXUM.to_owned()),
            optional(ctx.api.runtime.dependency("bindings-server")),
            optional(ctx.api.runtime.dependency("bindings-wire")),
        ],
        CrateKind::Server => vec![
            optional(ctx.api.runtime.dependency("bindings-client")),
            optional(PROGENITOR_CLIENT.to_owned()),
            optional(REQWEST.to_owned()),
            optional(SERDE.to_owned()),
        ],
    }
}

pub fn readme(ctx: &Context<'_>, kind: CrateKind) -> String {
    let name = ctx.crate_name(kind);
    let title = &ctx.spec.info.title;
    let body = match kind {
        CrateKind::Types => format!(
            "Every schema of the {title} spec as a Rust type with serde and schemars\nderives. Decoding is lossless: absent members stay absent, `null` stays\n`null`, timestamps and enum values the spec does not know re-encode exactly\nas received, and members the spec does not list are kept\n(`additional_properties`)."
        ),
        CrateKind::Client => {
            // With a hand-written auth type, the constructors are the
            // crate's own (`lib.rs`), not `with_credentials`.
            let credentials = match ctx.api.client_auth {
                Some(_) => {
                    "Set credentials once, when a client is\nbuilt (the crate documentation lists the constructors first;\n`Client::with_options` adds timeouts, retries and a body limit)"
                }
                None => "Set credentials once with\n`Client::with_credentials`",
            };
            format!(
                "An async client for {title}, generated by progenitor with a builder\ninterface over the types of `{}`. {credentials}; build the base URL with\n`server_url`.",
                ctx.crate_name(CrateKind::Types)
            )
        }
        CrateKind::Server => format!(
            "A trait with one async method per operation of {title}, and `router`,\nwhich serves an implementation with axum after validating every request\nagainst the spec."
        ),
    };
    let spec = ctx.spec_path;
    format!(
        "<!-- @generated by bindings-codegen from {spec}. Do not edit: change the spec or the generator and regenerate. -->\n\n# {name}\n\n{body}\n\nGenerated by bindings-codegen (`vendor-bindings generate`) from\n`{spec}`. MIT OR Apache-2.0.\n"
    )
}

pub fn lib_rs(ctx: &Context<'_>, kind: CrateKind) -> String {
    let title = &ctx.spec.info.title;
    let what = match kind {
        CrateKind::Types => "Types",
        CrateKind::Client => "Async client",
        CrateKind::Server => "Server trait and router",
    };
    format!(
        "//! {what} for {title}.\n//!\n//! Generated from `{}` into `generated.rs`; this file is hand-written\n//! and regeneration never touches it.\n\nmod generated;\n\npub use generated::*;\n",
        ctx.spec_path
    )
}

/// Where the generated mock binary of a server crate lives (when the
/// crate has no hand-written `src/bin/<api>-mock.rs`).
pub const MOCK_MAIN: &str = "src/generated_mock.rs";

/// The generated `<api>-mock` binary: the runtime's, over the API's
/// declared `mock::BINARY`.
pub fn mock_main(ctx: &Context<'_>) -> String {
    let server = ctx.crate_name(CrateKind::Server).replace('-', "_");
    format!(
        "{header}\n//! `{api}-mock`: the {title} API answered from its spec (see `--help`).\n\nfn main() -> std::process::ExitCode {{\n    bindings_server::mock::run(&{server}::mock::BINARY)\n}}\n",
        header = header(ctx, "//"),
        api = ctx.api.name,
        title = ctx.spec.info.title.replace('\n', " "),
    )
}

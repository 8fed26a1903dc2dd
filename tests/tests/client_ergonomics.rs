//! The generated clients as a user meets them (issue 26): builder errors
//! say the value and the bound, `Display` names the cause in one line,
//! every setter is documented, the friendly constructors come first, and
//! `types` holds what the operations take.

use std::path::Path;

use dbss_client::Error;

const PROJECT: &str = "b9351f98c724428794ba7d105fa3558d";

/// A base URL where nothing listens (a port just bound and released).
fn closed_port() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    drop(listener);
    format!("http://{address}")
}

#[tokio::test]
async fn an_out_of_range_builder_value_fails_with_the_types_message() {
    let client = dbss_client::Client::with_token(&closed_port(), "token");
    let result = client
        .list_audit_summary_infos()
        .project_id(PROJECT)
        .limit(100_000)
        .send()
        .await;
    let Err(Error::InvalidRequest(message)) = result else {
        panic!("expected an invalid request, got {result:?}");
    };
    assert_eq!(
        message,
        "limit: invalid Limit: `100000` is not an integer from 1 to 10000"
    );
    let short = client.list_audit_trend_history().project_id("short");
    let Err(error) = short.instance_id(PROJECT).send().await else {
        panic!("a 5-character project ID was accepted");
    };
    let line = error.to_string();
    assert!(
        line.starts_with("invalid request: project_id: invalid ProjectId: ") && line.contains("32"),
        "{line}"
    );
    assert!(!line.contains(":: "), "{line}");
}

#[tokio::test]
async fn a_refused_connection_says_so_in_one_line() {
    let base = closed_port();
    let client = dbss_client::Client::with_token(&base, "token");
    let error = client
        .list_audit_trend_history()
        .project_id(PROJECT)
        .instance_id(PROJECT)
        .send()
        .await
        .expect_err("nothing listens");
    assert!(matches!(error, Error::CommunicationError(_)), "{error:?}");
    let line = format!("{error}");
    assert_eq!(
        line,
        format!("connection refused: is the server running at {base}?")
    );
    // Through `?` into a boxed error, as a `main` would print it.
    let boxed: Box<dyn std::error::Error> = Box::new(error);
    assert!(boxed.to_string().contains("connection refused"), "{boxed}");
}

/// The client's error and progenitor's (which hooks build) convert both
/// ways, variant for variant; typed error bodies are matched against the
/// mock in `conformance.rs`.
#[test]
fn the_error_converts_to_and_from_progenitors() {
    let error: Error<()> = progenitor_client::Error::<()>::InvalidRequest("x".into()).into();
    assert_eq!(error.to_string(), "invalid request: x");
    let back: progenitor_client::Error<()> = error.into();
    assert!(matches!(back, progenitor_client::Error::InvalidRequest(_)));
}

/// Every setter of every builder of every generated client has rustdoc
/// saying where its value goes: the parameter's place and name, or the
/// request body.
#[test]
fn every_builder_setter_is_documented_from_the_spec() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut setters = 0;
    for api in spec_tests::apis::APIS {
        let path = root.join(format!("crates/{}-client/src/generated.rs", api.name));
        let source = std::fs::read_to_string(&path).expect("generated client");
        let file = syn::parse_file(&source).expect("parses");
        for (builder, setter, doc) in builder_setters(&file) {
            setters += 1;
            assert!(
                doc.contains(" parameter `") || doc.contains("The request body"),
                "{}: {builder}::{setter} has no spec docs: {doc:?}",
                path.display()
            );
        }
    }
    assert!(setters >= 10, "only {setters} setters found");
}

/// (builder, setter, doc text) of each setter of `mod builder`.
fn builder_setters(file: &syn::File) -> Vec<(String, String, String)> {
    let mut found = Vec::new();
    for item in &file.items {
        let syn::Item::Mod(module) = item else {
            continue;
        };
        let Some((_, items)) = &module.content else {
            continue;
        };
        if module.ident != "builder" {
            continue;
        }
        for item in items {
            let syn::Item::Impl(block) = item else {
                continue;
            };
            let builder = quote_type(&block.self_ty);
            for member in &block.items {
                let syn::ImplItem::Fn(function) = member else {
                    continue;
                };
                let name = function.sig.ident.to_string();
                let public = matches!(function.vis, syn::Visibility::Public(_));
                if !public || ["new", "send", "stream", "body_map"].contains(&name.as_str()) {
                    continue;
                }
                found.push((builder.clone(), name, doc_text(&function.attrs)));
            }
        }
    }
    found
}

fn quote_type(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Path(path) => path
            .path
            .segments
            .last()
            .map(|segment| segment.ident.to_string())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

fn doc_text(attrs: &[syn::Attribute]) -> String {
    attrs
        .iter()
        .filter_map(|attribute| match &attribute.meta {
            syn::Meta::NameValue(pair) if pair.path.is_ident("doc") => match &pair.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(text),
                    ..
                }) => Some(text.value()),
                _ => None,
            },
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `dbss_client::types` holds the types the operations take and return
/// (the types crate's), not only progenitor's unused `error` module.
#[test]
fn the_types_module_holds_the_operations_types() {
    let limit: dbss_client::types::Limit =
        dbss_client::dbss_types::Limit::try_from(100).expect("in range");
    assert_eq!(limit.get(), 100);
    let _: Option<dbss_client::types::DbssError> = None;
    let _: Option<obshell_client::types::OcsAgentResponse> = None;
}

/// rustdoc lists a type's methods module by module, child modules in
/// declaration order before their parent's own items: the hand-written
/// constructors (`with_token`, `for_region`, `for_agent`) sit in a module
/// declared before `generated`, and in `generated.rs` the generator's
/// constructor (`with_options`) comes before progenitor's `Client::new`.
#[test]
fn the_friendly_constructors_come_first_in_the_docs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for api in spec_tests::apis::APIS {
        let dir = root.join(format!("crates/{}-client/src", api.name));
        let lib = std::fs::read_to_string(dir.join("lib.rs")).expect("lib.rs");
        let lib = syn::parse_file(&lib).expect("parses");
        let modules: Vec<String> = lib
            .items
            .iter()
            .filter_map(|item| match item {
                syn::Item::Mod(module) => Some(module.ident.to_string()),
                _ => None,
            })
            .collect();
        let position = |name: &str| modules.iter().position(|m| m == name);
        assert!(
            position("constructors").is_some() && position("constructors") < position("generated"),
            "{}: modules {modules:?}",
            api.name
        );
        let generated = std::fs::read_to_string(dir.join("generated.rs")).expect("generated");
        let generated = syn::parse_file(&generated).expect("parses");
        let first = generated.items.iter().find_map(|item| match item {
            syn::Item::Impl(block) if block.trait_.is_none() => {
                block.items.iter().find_map(|member| match member {
                    syn::ImplItem::Fn(function) => Some(function.sig.ident.to_string()),
                    _ => None,
                })
            }
            _ => None,
        });
        assert_eq!(first.as_deref(), Some("with_options"), "{}", api.name);
    }
}

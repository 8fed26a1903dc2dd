//! Webhooks: the requests the API sends its consumer (OpenAPI 3.1's
//! `webhooks`, and the `x-webhooks` extension 3.0 documents use).
//!
//! The model reads each webhook as an operation: [`into_paths`] puts them
//! among the paths (under a key no path has) before the model is
//! normalised, so that their schemas are read as 3.0, their inline bodies
//! named and their types generated once in the types crate with the rest;
//! [`out_of_paths`] then keeps them apart under `x-webhooks`, normalised,
//! so that nothing that serves or calls the API's operations sees them.
//! [`view`] is the document of the webhooks alone, each at `/<name>`: the
//! server emitter renders its receiver (the client crate's `webhooks`
//! module) and the client emitter its sender (the server crate's).

use anyhow::{Context as _, Result};
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::{Map, Value};

use super::walk::resolve;
use super::{ApiConfig, Code, Context, CrateKind};

/// The file of the `webhooks` module, beside `generated.rs`.
pub const MODULE_FILE: &str = "src/generated_webhooks.rs";

/// The extension on each operation read from a webhook: its name.
pub const WEBHOOK: &str = "x-webhook";

/// The key of the normalised webhooks in the model.
pub const WEBHOOKS: &str = "x-webhooks";

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Moves the document's webhooks (`webhooks`, else `x-webhooks`) among its
/// paths, each operation marked with [`WEBHOOK`] and given an
/// `operationId` (the webhook's name) when it has none. A webhook that is
/// a `$ref` to a `pathItems` component is read from it.
pub fn into_paths(raw: &mut Value) {
    let Value::Object(document) = raw else {
        return;
    };
    let from = if document.contains_key("webhooks") {
        "webhooks"
    } else {
        WEBHOOKS
    };
    let hooks = match document.remove("webhooks") {
        Some(Value::Object(hooks)) => hooks,
        Some(other) => {
            document.insert("webhooks".into(), other);
            return;
        }
        None => match document.remove(WEBHOOKS) {
            Some(Value::Object(hooks)) => hooks,
            Some(other) => {
                document.insert(WEBHOOKS.into(), other);
                return;
            }
            None => return,
        },
    };
    let resolved: Vec<(String, Value)> = hooks
        .into_iter()
        .map(|(name, item)| {
            let item = path_item_component(document, &item).unwrap_or(item);
            (name, item)
        })
        .collect();
    let paths = document
        .entry("paths")
        .or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(paths) = paths else {
        return;
    };
    let prefix = free_prefix(paths);
    let mut moved = Vec::new();
    for (name, mut item) in resolved {
        mark(&mut item, &name);
        let key = format!("{prefix}{}", route(&name));
        moved.push((
            format!("#/{from}/{}", openapi_source::escape_token(&name)),
            format!("#/paths/{}", openapi_source::escape_token(&key)),
        ));
        paths.insert(key, item);
    }
    // A `$ref` into a webhook (a schema under its body) follows it.
    openapi_source::version::move_refs(raw, &moved);
}

/// The `pathItems` component a webhook written as `$ref` names.
fn path_item_component(document: &Map<String, Value>, item: &Value) -> Option<Value> {
    let reference = item.get("$ref")?.as_str()?;
    // `x-pathItems`: where the 3.0 form of a 3.1 document keeps them.
    let components = document.get("components")?;
    ["pathItems", "x-pathItems"].iter().find_map(|key| {
        let name = reference.strip_prefix(&format!("#/components/{key}/"))?;
        components
            .get(*key)?
            .get(openapi_source::unescape_token(name))
            .cloned()
    })
}

/// A path prefix no path of the document starts with.
fn free_prefix(paths: &Map<String, Value>) -> String {
    let mut prefix = "/x-webhook".to_owned();
    while paths.keys().any(|path| path.starts_with(&prefix)) {
        prefix.push('_');
    }
    prefix
}

fn mark(item: &mut Value, name: &str) {
    let Value::Object(item) = item else {
        return;
    };
    let methods: Vec<&str> = METHODS
        .into_iter()
        .filter(|m| item.get(*m).is_some_and(Value::is_object))
        .collect();
    let single = methods.len() == 1;
    for method in methods {
        let Some(Value::Object(operation)) = item.get_mut(method) else {
            continue;
        };
        operation.insert(WEBHOOK.into(), Value::from(name));
        if !operation.contains_key("operationId") {
            let id = if single {
                name.to_owned()
            } else {
                format!("{name} {method}")
            };
            operation.insert("operationId".into(), Value::from(id));
        }
    }
}

/// Moves the paths read from webhooks back out, under [`WEBHOOKS`] by
/// name, as the model normalised them.
pub fn out_of_paths(raw: &mut Value) {
    let Some(Value::Object(paths)) = raw.get_mut("paths") else {
        return;
    };
    let keys: Vec<String> = paths
        .iter()
        .filter_map(|(path, item)| webhook_name(item).map(|_| path.clone()))
        .collect();
    let mut hooks = Map::new();
    let mut moved = Vec::new();
    for key in keys {
        if let Some(item) = paths.remove(&key)
            && let Some(name) = webhook_name(&item)
        {
            moved.push((
                format!("#/paths/{}", openapi_source::escape_token(&key)),
                format!("#/{WEBHOOKS}/{}", openapi_source::escape_token(&name)),
            ));
            hooks.insert(name, item);
        }
    }
    if !hooks.is_empty() {
        if let Value::Object(document) = &mut *raw {
            document.insert(WEBHOOKS.into(), Value::Object(hooks));
        }
        openapi_source::version::move_refs(raw, &moved);
    }
}

fn webhook_name(item: &Value) -> Option<String> {
    METHODS
        .iter()
        .find_map(|m| item.get(*m)?.get(WEBHOOK)?.as_str())
        .map(str::to_owned)
}

/// The path a receiver serves a webhook on, and its sender sends it to
/// (below the receiver's base URL): `/` and the name, each character
/// outside `A-Z a-z 0-9 - . _ ~` percent-encoded.
pub fn route(name: &str) -> String {
    let mut path = String::from("/");
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            path.push(char::from(byte));
        } else {
            path.push_str(&format!("%{byte:02X}"));
        }
    }
    path
}

/// The document of the model's webhooks alone, each at [`route`] of its
/// name, with the model's components; `None` when it has none.
pub fn view(raw: &Value) -> Option<Value> {
    let hooks = raw.get(WEBHOOKS)?.as_object()?;
    if hooks.is_empty() {
        return None;
    }
    let mut document = raw.as_object()?.clone();
    document.remove(WEBHOOKS);
    let paths: Map<String, Value> = hooks
        .iter()
        .map(|(name, item)| (route(name), item.clone()))
        .collect();
    document.insert("paths".into(), Value::Object(paths));
    Some(Value::Object(document))
}

/// One documented example of a webhook's request, as the mock sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    pub webhook: String,
    /// Its name under `examples`, `example`, or empty for a value
    /// generated from the schema.
    pub example: String,
    pub method: String,
    pub route: String,
    pub content_type: String,
    pub body: String,
}

/// Every example of every webhook's request body in the model: the
/// documented ones (`examples`, `example`, the schema's `example`), else a
/// value generated from the schema; a webhook without a body, once with
/// none.
pub fn examples(raw: &Value) -> Vec<Example> {
    let Some(hooks) = raw.get(WEBHOOKS).and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut all = Vec::new();
    for (name, item) in hooks {
        for method in METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let example = |example: String, content_type: &str, body: String| Example {
                webhook: name.clone(),
                example,
                method: method.to_ascii_uppercase(),
                route: route(name),
                content_type: content_type.to_owned(),
                body,
            };
            let body = operation.get("requestBody").map(|b| resolve(raw, b));
            let Some((content_type, media)) = body.and_then(preferred_media) else {
                all.push(example(String::new(), "", String::new()));
                continue;
            };
            let json = content_type.contains("json");
            for (label, value) in media_examples(raw, media) {
                let body = match (&value, json) {
                    (Value::String(text), false) => text.clone(),
                    _ => value.to_string(),
                };
                all.push(example(label, content_type, body));
            }
        }
    }
    all
}

/// The JSON media type of a body, else its first.
fn preferred_media(body: &Value) -> Option<(&str, &Value)> {
    let content = body.get("content")?.as_object()?;
    content
        .iter()
        .find(|(media, _)| media.contains("json"))
        .or_else(|| content.iter().next())
        .map(|(media, value)| (media.as_str(), value))
}

/// The documented examples of `media` by name, else one generated from
/// its schema.
fn media_examples(raw: &Value, media: &Value) -> Vec<(String, Value)> {
    let mut found: Vec<(String, Value)> = super::server::named_examples(raw, media)
        .into_iter()
        .filter_map(|(name, value)| Some((name, value?)))
        .collect();
    if let Some(example) = media.get("example") {
        found.push(("example".to_owned(), example.clone()));
    }
    let schema = media.get("schema").map(|s| resolve(raw, s));
    if found.is_empty()
        && let Some(example) = schema.and_then(|s| s.get("example"))
    {
        found.push(("example".to_owned(), example.clone()));
    }
    if found.is_empty() {
        let value = schema.map_or(Value::Null, |schema| {
            super::sample::sample(raw, schema, super::sample::Direction::Request)
        });
        found.push((String::new(), value));
    }
    found
}

/// Whether the model has webhooks.
pub fn present(raw: &Value) -> bool {
    raw.get(WEBHOOKS)
        .and_then(Value::as_object)
        .is_some_and(|hooks| !hooks.is_empty())
}

/// `generated.rs`'s declaration of the `webhooks` module.
pub fn module_declaration() -> TokenStream {
    // Its documentation is the module file's own (links resolve there).
    quote! {
        #[cfg(feature = "webhooks")]
        #[path = "generated_webhooks.rs"]
        pub mod webhooks;
    }
}

/// The `webhooks` module of `kind`'s crate: the receiver (client crate)
/// or the sender (server crate); `None` for the types crate or a spec
/// without webhooks.
pub fn render(ctx: &Context<'_>, kind: CrateKind) -> Result<Option<Code>> {
    if kind == CrateKind::Types {
        return Ok(None);
    }
    let Some(raw) = present(ctx.raw).then(|| view(ctx.raw)).flatten() else {
        return Ok(None);
    };
    let spec: openapiv3::OpenAPI =
        serde_json::from_value(raw.clone()).context("the webhooks' document")?;
    // The sender sends to whatever URL the consumer registered: no
    // credentials of the API's own client, no features of it.
    let api = ApiConfig {
        client_auth: None,
        client_features: Default::default(),
        client_uses_tags: Vec::new(),
        ..ctx.api.clone()
    };
    // Webhooks are always compiled: no tag features of their own.
    let tags = super::tags::TagFeatures::default();
    let hooks = Context {
        api: &api,
        spec: &spec,
        raw: &raw,
        spec_path: ctx.spec_path,
        tags: &tags,
    };
    let code = match kind {
        CrateKind::Client => super::server::receiver(&hooks)?,
        _ => super::client::generate(&hooks)?,
    };
    let allow = match kind {
        CrateKind::Client => quote! {
            #![allow(clippy::disallowed_names, clippy::large_enum_variant, clippy::match_single_binding, clippy::wrong_self_convention)]
        },
        _ => quote! { #![allow(clippy::disallowed_names, clippy::unwrap_used, unused_imports)] },
    };
    let doc = match kind {
        CrateKind::Client => format!(
            " The webhooks {} sends, received: implement [`Receiver`] and serve it with\n [`router`] under the URL the API sends to (each webhook at that URL followed\n by `/` and its name).\n\n Feature `webhooks`.",
            ctx.spec.info.title
        ),
        _ => format!(
            " The webhooks of {}, sent: [`Client`] sends each to a consumer's URL\n followed by `/` and the webhook's name, where `{}`'s\n `webhooks::router` receives it.\n\n Feature `webhooks`.",
            ctx.spec.info.title,
            ctx.crate_name(CrateKind::Client)
        ),
    };
    let Code {
        tokens,
        items,
        printed,
    } = code;
    Ok(Some(Code {
        tokens: quote! { #![doc = #doc] #allow #tokens },
        items,
        printed,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn webhooks_go_through_the_paths_and_come_back_by_name() {
        let mut raw = json!({
            "openapi": "3.1.0",
            "paths": {"/x-webhook/taken": {}},
            "webhooks": {
                "pet.new": {"post": {"requestBody": {}}},
                "pet.sold": {"post": {"requestBody": {"content": {"application/json": {"schema": {
                    "$ref": "#/webhooks/pet.new/post/requestBody/content/application~1json/schema"}}}}}},
                "byRef": {"$ref": "#/components/pathItems/Shared"}
            },
            "components": {"pathItems": {"Shared": {"put": {}, "post": {}}}}
        });
        let mut as_30 = raw.clone();
        openapi_source::version::to_30(&mut as_30);
        into_paths(&mut as_30);
        assert!(
            as_30.pointer("/paths/~1x-webhook_~1byRef/put").is_some(),
            "{as_30:#}"
        );
        into_paths(&mut raw);
        assert!(raw.get("webhooks").is_none());
        let new = &raw["paths"]["/x-webhook_/pet.new"]["post"];
        assert_eq!(new[WEBHOOK], "pet.new");
        assert_eq!(new["operationId"], "pet.new");
        assert_eq!(
            raw["paths"]["/x-webhook_/byRef"]["put"]["operationId"],
            "byRef put"
        );
        out_of_paths(&mut raw);
        assert_eq!(raw["paths"].as_object().map(Map::len), Some(1));
        let hooks = raw[WEBHOOKS].as_object().expect("kept apart");
        assert_eq!(
            hooks.keys().collect::<Vec<_>>(),
            ["pet.new", "pet.sold", "byRef"]
        );
        assert_eq!(
            hooks["pet.sold"].pointer("/post/requestBody/content/application~1json/schema/$ref"),
            Some(&json!(
                "#/x-webhooks/pet.new/post/requestBody/content/application~1json/schema"
            ))
        );
        let view = view(&raw).expect("a view");
        assert!(view["paths"].get("/pet.new").is_some());
        assert!(view.get(WEBHOOKS).is_none());
        assert_eq!(route("a b/{c}"), "/a%20b%2F%7Bc%7D");
    }

    #[test]
    fn a_document_without_webhooks_is_untouched() {
        let mut raw = json!({"openapi": "3.0.3", "paths": {"/a": {"get": {}}}});
        let before = raw.clone();
        into_paths(&mut raw);
        out_of_paths(&mut raw);
        assert_eq!(raw, before);
        assert_eq!(view(&raw), None);
    }
}

//! Cargo features per tag: a consumer that calls one part of a large API
//! compiles only that part (the lesson of aws-sdk-rust and k8s-openapi).
//!
//! Each tag the spec's operations use is a feature `tag-<name>` of the
//! types and client crates, all of them on by default (`all-tags`). An
//! operation's client method and builder are compiled when one of its tags'
//! features is on; a component schema's types when one of the features of
//! the operations that reach it (through any chain of `$ref`s) is on. An
//! untagged operation, a webhook, and whatever they reach are always
//! compiled, and so is a type every feature reaches or no operation does.
//! A spec with fewer than two such features gets none.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;
use serde_json::Value;

use super::naming::snake_case;

/// At most this many tag features (crates.io takes 300 features a crate,
/// and the crates have a few of their own); a spec with more gets none.
const MAX_FEATURES: usize = 250;

/// The tag features of one API, and what each gates.
#[derive(Debug, Default)]
pub struct TagFeatures {
    /// Feature name: the tags it stands for, as the spec spells them.
    features: BTreeMap<String, Vec<String>>,
    /// operationId: the features it is compiled under (absent: always).
    operations: BTreeMap<String, BTreeSet<String>>,
    /// Component schema: the features its types are compiled under
    /// (absent: always).
    schemas: BTreeMap<String, BTreeSet<String>>,
    /// Features always on in the client crate (its hand-written code uses
    /// their operations or types).
    always: BTreeSet<String>,
}

/// What reaches a component schema: features, or something always compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Reach {
    Always,
    Features(BTreeSet<String>),
}

impl TagFeatures {
    /// The tag features of the normalised spec `raw` (as JSON).
    pub fn of(raw: &Value) -> Self {
        let operations = operations(raw);
        let features: BTreeMap<String, Vec<String>> = operations
            .iter()
            .flat_map(|op| &op.tags)
            .fold(BTreeMap::new(), |mut features, tag| {
                let tags: &mut Vec<String> = features.entry(feature_name(tag)).or_default();
                if !tags.contains(tag) {
                    tags.push(tag.clone());
                }
                features
            });
        if features.len() < 2 || features.len() > MAX_FEATURES {
            return TagFeatures::default();
        }
        let mut reach: BTreeMap<String, Reach> = BTreeMap::new();
        let mut gated_operations = BTreeMap::new();
        for op in &operations {
            let of_op: BTreeSet<String> = op.tags.iter().map(|tag| feature_name(tag)).collect();
            let this = if of_op.is_empty() {
                Reach::Always
            } else {
                gated_operations.insert(op.id.clone(), of_op.clone());
                Reach::Features(of_op)
            };
            for schema in reached_schemas(raw, op.refs.clone()) {
                merge(
                    reach
                        .entry(schema)
                        .or_insert(Reach::Features(BTreeSet::new())),
                    &this,
                );
            }
        }
        // Webhooks and root extensions: always compiled.
        let mut outside = Vec::new();
        if let Some(root) = raw.as_object() {
            for (key, value) in root {
                if key != "paths" && key != "components" {
                    collect_refs(value, &mut outside);
                }
            }
        }
        // A component schema no operation reaches is always compiled, and
        // so is every type it reaches.
        let unreached = raw["components"]["schemas"]
            .as_object()
            .into_iter()
            .flat_map(|schemas| schemas.keys())
            .filter(|name| !reach.contains_key(*name))
            .map(|name| {
                format!(
                    "#/components/schemas/{}",
                    openapi_source::escape_token(name)
                )
            });
        outside.extend(unreached);
        for schema in reached_schemas(raw, outside) {
            reach.insert(schema, Reach::Always);
        }
        let schemas = reach
            .into_iter()
            .filter_map(|(schema, reach)| match reach {
                Reach::Features(set) if !set.is_empty() && set.len() < features.len() => {
                    Some((schema, set))
                }
                _ => None,
            })
            .collect();
        TagFeatures {
            features,
            operations: gated_operations,
            schemas,
            always: BTreeSet::new(),
        }
    }

    /// These features with the features of `tags` always on in the client
    /// crate: their operations are not gated there, and the client turns
    /// them on in the types crate. A tag no operation has is an error.
    pub fn always_on(mut self, tags: &[String]) -> Result<Self> {
        if self.is_empty() {
            return Ok(self);
        }
        for tag in tags {
            let feature = feature_name(tag);
            if !self
                .features
                .get(&feature)
                .is_some_and(|of| of.contains(tag))
            {
                anyhow::bail!("no operation is tagged `{tag}`");
            }
            self.always.insert(feature);
        }
        let always = &self.always;
        self.operations
            .retain(|_, features| features.is_disjoint(always));
        Ok(self)
    }

    /// The features always on in the client crate.
    pub fn always(&self) -> impl Iterator<Item = &str> {
        self.always.iter().map(String::as_str)
    }

    /// Whether the API has tag features.
    pub fn is_empty(&self) -> bool {
        self.features.is_empty()
    }

    /// The features and the tags each stands for, by feature name.
    pub fn features(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.features
            .iter()
            .map(|(feature, tags)| (feature.as_str(), tags.as_slice()))
    }

    /// The `#[cfg(...)]` of a component schema's types, if gated.
    pub fn schema_cfg(&self, component: &str) -> Option<syn::Attribute> {
        self.schemas.get(component).map(cfg)
    }

    /// Puts each gated operation's method on `Client` and its builder
    /// (struct and impls in `mod builder`) of progenitor's client under the
    /// operation's features.
    pub fn gate_client(&self, file: &mut syn::File) {
        if self.operations.is_empty() {
            return;
        }
        let by_method: BTreeMap<String, &BTreeSet<String>> = self
            .operations
            .iter()
            .map(|(id, features)| (super::cli::progenitor_name(id), features))
            .collect();
        let mut builders: BTreeMap<String, syn::Attribute> = BTreeMap::new();
        for item in &mut file.items {
            let syn::Item::Impl(block) = item else {
                continue;
            };
            if block.trait_.is_some() || !is_client(&block.self_ty) {
                continue;
            }
            for member in &mut block.items {
                let syn::ImplItem::Fn(function) = member else {
                    continue;
                };
                let Some(features) = by_method.get(&function.sig.ident.to_string()) else {
                    continue;
                };
                let cfg = cfg(features);
                function.attrs.insert(0, cfg.clone());
                if let Some(builder) = returned_type(&function.sig.output) {
                    builders.insert(builder, cfg);
                }
            }
        }
        for item in &mut file.items {
            if let syn::Item::Mod(module) = item
                && module.ident == "builder"
                && let Some((_, items)) = &mut module.content
            {
                for item in items {
                    if let Some(cfg) = item_type_name(item).and_then(|name| builders.get(&name)) {
                        push_attr(item, cfg.clone());
                    }
                }
            }
        }
    }
}

/// `tag-<tag in kebab case>`; a tag with no ASCII letter or digit is named
/// by its characters' code points.
pub fn feature_name(tag: &str) -> String {
    let words = snake_case(tag).replace('_', "-");
    if words.is_empty() {
        let points: Vec<String> = tag.chars().map(|c| format!("{:x}", u32::from(c))).collect();
        format!("tag-u{}", points.join("-"))
    } else {
        format!("tag-{words}")
    }
}

/// `#[cfg(feature = "a")]`, or `#[cfg(any(feature = "a", ...))]`.
fn cfg(features: &BTreeSet<String>) -> syn::Attribute {
    match features.first() {
        Some(feature) if features.len() == 1 => syn::parse_quote! { #[cfg(feature = #feature)] },
        _ => syn::parse_quote! { #[cfg(any(#(feature = #features),*))] },
    }
}

/// Merges what reaches a schema from one more operation.
fn merge(into: &mut Reach, from: &Reach) {
    match (into, from) {
        (Reach::Always, _) => {}
        (into, Reach::Always) => *into = Reach::Always,
        (Reach::Features(set), Reach::Features(more)) => set.extend(more.iter().cloned()),
    }
}

/// One operation: its id, its tags, the `$ref`s it holds (its path item's
/// parameters included).
#[derive(Debug)]
struct Operation {
    id: String,
    tags: Vec<String>,
    refs: Vec<String>,
}

/// The operations of `raw`'s paths that have an operationId.
fn operations(raw: &Value) -> Vec<Operation> {
    let mut operations = Vec::new();
    for item in raw["paths"]
        .as_object()
        .into_iter()
        .flat_map(|p| p.values())
    {
        let mut shared = Vec::new();
        collect_refs(&item["parameters"], &mut shared);
        for method in openapi_source::version::METHODS {
            let op = &item[*method];
            let Some(id) = op["operationId"].as_str() else {
                continue;
            };
            let mut refs = shared.clone();
            collect_refs(op, &mut refs);
            let tags = op["tags"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect();
            operations.push(Operation {
                id: id.to_owned(),
                tags,
                refs,
            });
        }
    }
    operations
}

/// Every `$ref` string under `value`.
fn collect_refs(value: &Value, into: &mut Vec<String>) {
    match value {
        Value::Object(members) => {
            for (key, member) in members {
                match (key.as_str(), member) {
                    ("$ref", Value::String(reference)) => into.push(reference.clone()),
                    _ => collect_refs(member, into),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_refs(item, into)),
        _ => {}
    }
}

/// The component schemas `refs` reach, through any chain of `$ref`s into
/// the document.
fn reached_schemas(raw: &Value, mut refs: Vec<String>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut schemas = BTreeSet::new();
    while let Some(reference) = refs.pop() {
        if !seen.insert(reference.clone()) {
            continue;
        }
        let Some(pointer) = reference.strip_prefix('#') else {
            continue;
        };
        if let Some(name) = pointer.strip_prefix("/components/schemas/")
            && !name.contains('/')
        {
            schemas.insert(name.replace("~1", "/").replace("~0", "~"));
        }
        if let Some(target) = raw.pointer(pointer) {
            collect_refs(target, &mut refs);
        }
    }
    schemas
}

/// Whether `ty` is `Client`.
fn is_client(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(path) if path.path.is_ident("Client"))
}

/// The last segment of a function's return type (`builder::Op<'_>`: `Op`).
fn returned_type(output: &syn::ReturnType) -> Option<String> {
    let syn::ReturnType::Type(_, ty) = output else {
        return None;
    };
    let syn::Type::Path(path) = &**ty else {
        return None;
    };
    path.path.segments.last().map(|s| s.ident.to_string())
}

/// The type a struct, enum or inherent or trait impl is about.
fn item_type_name(item: &syn::Item) -> Option<String> {
    match item {
        syn::Item::Struct(item) => Some(item.ident.to_string()),
        syn::Item::Enum(item) => Some(item.ident.to_string()),
        syn::Item::Impl(block) => match &*block.self_ty {
            syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        },
        _ => None,
    }
}

/// Adds `attr` before an item's other attributes (a `cfg` first, so that
/// nothing else is expanded for an item it leaves out).
pub(super) fn push_attr(item: &mut syn::Item, attr: syn::Attribute) {
    use syn::Item;
    let attrs = match item {
        Item::Const(item) => &mut item.attrs,
        Item::Enum(item) => &mut item.attrs,
        Item::Fn(item) => &mut item.attrs,
        Item::Impl(item) => &mut item.attrs,
        Item::Macro(item) => &mut item.attrs,
        Item::Mod(item) => &mut item.attrs,
        Item::Static(item) => &mut item.attrs,
        Item::Struct(item) => &mut item.attrs,
        Item::Trait(item) => &mut item.attrs,
        Item::Type(item) => &mut item.attrs,
        Item::Union(item) => &mut item.attrs,
        Item::Use(item) => &mut item.attrs,
        _ => return,
    };
    attrs.insert(0, attr);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec() -> Value {
        json!({
            "paths": {
                "/a": {"get": {"operationId": "getA", "tags": ["Alpha"], "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}}}},
                "/b": {"get": {"operationId": "getB", "tags": ["Beta Things"], "responses": {"200": {"$ref": "#/components/responses/B"}}}},
                "/c": {"get": {"operationId": "getC", "tags": ["Gamma"], "parameters": [{"$ref": "#/components/parameters/Shared"}], "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Both"}}}}}}},
                "/d": {"get": {"operationId": "getD", "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Untagged"}}}}}}}
            },
            "components": {
                "schemas": {
                    "A": {"properties": {"inner": {"$ref": "#/components/schemas/Inner"}}},
                    "B": {"properties": {"inner": {"$ref": "#/components/schemas/Inner"}, "both": {"$ref": "#/components/schemas/Both"}}},
                    "Both": {"type": "string"},
                    "Inner": {"type": "string"},
                    "SharedValue": {"type": "string"},
                    "Untagged": {"properties": {"a": {"$ref": "#/components/schemas/A"}}},
                    "Unused": {"type": "string"}
                },
                "responses": {"B": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/B"}}}}},
                "parameters": {"Shared": {"name": "s", "in": "query", "schema": {"$ref": "#/components/schemas/SharedValue"}}}
            }
        })
    }

    fn features(set: &[&str]) -> BTreeSet<String> {
        set.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn each_tag_is_a_kebab_case_feature() {
        let tags = TagFeatures::of(&spec());
        let names: Vec<&str> = tags.features().map(|(name, _)| name).collect();
        assert_eq!(names, ["tag-alpha", "tag-beta-things", "tag-gamma"]);
        assert_eq!(feature_name("数据"), "tag-u6570-636e");
    }

    #[test]
    fn operations_are_gated_by_their_tags_and_untagged_ones_are_not() {
        let tags = TagFeatures::of(&spec());
        assert_eq!(tags.operations.get("getA"), Some(&features(&["tag-alpha"])));
        assert_eq!(tags.operations.get("getD"), None);
    }

    #[test]
    fn schemas_follow_every_chain_of_refs() {
        let tags = TagFeatures::of(&spec());
        // Through a response component, and through a parameter component.
        assert_eq!(tags.schemas.get("B"), Some(&features(&["tag-beta-things"])));
        assert_eq!(
            tags.schemas.get("SharedValue"),
            Some(&features(&["tag-gamma"]))
        );
        assert_eq!(
            tags.schemas.get("Both"),
            Some(&features(&["tag-beta-things", "tag-gamma"]))
        );
    }

    #[test]
    fn what_an_untagged_operation_or_nothing_reaches_is_always_compiled() {
        let tags = TagFeatures::of(&spec());
        assert_eq!(tags.schemas.get("Untagged"), None);
        assert_eq!(
            tags.schemas.get("A"),
            None,
            "getD reaches A through Untagged"
        );
        assert_eq!(tags.schemas.get("Inner"), None, "and Inner through A");
        assert_eq!(tags.schemas.get("Unused"), None);
    }

    #[test]
    fn what_a_schema_no_operation_reaches_refers_to_is_always_compiled() {
        let mut spec = spec();
        spec["components"]["schemas"]["Orphan"] =
            json!({"properties": {"b": {"$ref": "#/components/schemas/B"}}});
        let tags = TagFeatures::of(&spec);
        assert_eq!(
            tags.schemas.get("B"),
            None,
            "Orphan, always compiled, reaches B"
        );
        assert_eq!(tags.schemas.get("Both"), None, "and Both through B");
        assert_eq!(
            tags.schemas.get("SharedValue"),
            Some(&features(&["tag-gamma"]))
        );
    }

    #[test]
    fn one_tag_gives_no_features() {
        let mut spec = spec();
        for path in ["/b", "/c"] {
            spec["paths"][path]["get"]["tags"] = json!(["Alpha"]);
        }
        assert!(TagFeatures::of(&spec).is_empty());
    }
}

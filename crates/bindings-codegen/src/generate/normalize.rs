//! What OpenAPI lets people write several ways, or leave out, made
//! explicit once, before any crate is rendered: every consumer (types,
//! client, server) then reads the same, complete model.

use std::collections::BTreeSet;

use serde_json::Value;

use super::naming::{
    pascal_case, progenitor_parameter_name, snake_case, type_ident, typify_type_name,
};

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Gives every operation without an `operationId` one made from its method
/// and path (`GET /pets/{petId}` is `get_pets_pet_id`), and an operation
/// whose `operationId` is another's in Rust (`getThing`, `get_thing`: one
/// method and one builder) a numbered one (`get_thing_2`): unique in the
/// spec by every Rust spelling. Ids are not on the wire.
pub fn fill_operation_ids(spec: &mut Value) {
    // Ours (the server's methods) and progenitor's (the client's methods
    // and builders).
    let spellings = |id: &str| {
        [
            snake_case(id),
            progenitor_parameter_name(id),
            typify_type_name(id),
        ]
    };
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let Some(Value::Object(paths)) = spec.get_mut("paths") else {
        return;
    };
    // The ids people chose first, so that a made-up one never takes theirs.
    for chosen in [true, false] {
        for (path, item) in paths.iter_mut() {
            let Value::Object(item) = item else {
                continue;
            };
            for method in METHODS {
                let Some(Value::Object(operation)) = item.get_mut(*method) else {
                    continue;
                };
                let base = match operation.get("operationId").and_then(Value::as_str) {
                    Some(id) if chosen => id.to_owned(),
                    None if !chosen => snake_case(&format!("{method} {path}")),
                    _ => continue,
                };
                let free = |id: &str| spellings(id).iter().all(|s| !taken.contains(s));
                let mut id = base.clone();
                let mut counter = 2;
                while !free(&id) {
                    id = format!("{base}_{counter}");
                    counter += 1;
                }
                taken.extend(spellings(&id));
                operation.insert("operationId".into(), Value::String(id));
            }
        }
    }
}

/// Moves the parameters a path item declares into each of its operations
/// (an operation's own parameter of the same name and place wins), so
/// that every consumer reads one list per operation: OpenAPI lets a
/// parameter be written on either.
pub fn path_item_parameters_into_operations(spec: &mut Value) {
    let components = spec.pointer("/components/parameters").cloned();
    let identity = |parameter: &Value| -> Option<(String, String)> {
        let parameter = match parameter.get("$ref").and_then(Value::as_str) {
            Some(reference) => components
                .as_ref()?
                .get(reference.strip_prefix("#/components/parameters/")?)?,
            None => parameter,
        };
        Some((
            parameter.get("name")?.as_str()?.to_owned(),
            parameter.get("in")?.as_str()?.to_owned(),
        ))
    };
    let Some(Value::Object(paths)) = spec.get_mut("paths") else {
        return;
    };
    for item in paths.values_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        let Some(Value::Array(shared)) = item.remove("parameters") else {
            continue;
        };
        for method in METHODS {
            let Some(Value::Object(operation)) = item.get_mut(*method) else {
                continue;
            };
            let own: Vec<Option<(String, String)>> = operation
                .get("parameters")
                .and_then(Value::as_array)
                .map(|own| own.iter().map(identity).collect())
                .unwrap_or_default();
            let inherited: Vec<Value> = shared
                .iter()
                .filter(|parameter| {
                    let id = identity(parameter);
                    id.is_none() || !own.contains(&id)
                })
                .cloned()
                .collect();
            if inherited.is_empty() {
                continue;
            }
            let list = operation
                .entry("parameters")
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(list) = list {
                let mut merged = inherited;
                merged.append(list);
                *list = merged;
            }
        }
    }
}

/// Moves every inline schema of an operation (a parameter's, a request or
/// response body's) that needs a Rust type of its own into
/// `components/schemas`, named from where it was (`FindPetsByStatusStatus`,
/// `EnrolBody`, `ListPetsResponse200`), and refers to it there: the types
/// crate then holds every type, and client and server share it. Call after
/// [`fill_operation_ids`].
pub fn hoist_inline_schemas(spec: &mut Value) {
    // By the Rust name each becomes: `status` and `Status` are one type.
    let taken: BTreeSet<String> = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| {
            schemas
                .keys()
                .map(|name| type_ident(name).to_string())
                .collect()
        })
        .unwrap_or_default();
    let mut hoister = Hoister {
        hoisted: Vec::new(),
        taken,
    };
    if let Some(Value::Object(paths)) = spec.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            hoist_from_path_item(&mut hoister, path, item);
        }
    }
    if let Some(Value::Object(components)) = spec.get_mut("components") {
        hoist_from_components(&mut hoister, components);
    }
    let hoisted = hoister.hoisted;
    if hoisted.is_empty() {
        return;
    }
    let Some(root) = spec.as_object_mut() else {
        return;
    };
    let components = root
        .entry("components")
        .or_insert_with(|| Value::Object(Default::default()));
    let Some(components) = components.as_object_mut() else {
        return;
    };
    let schemas = components
        .entry("schemas")
        .or_insert_with(|| Value::Object(Default::default()));
    if let Some(schemas) = schemas.as_object_mut() {
        schemas.extend(hoisted);
    }
}

/// Inline schemas moved into `components/schemas`, and the Rust type names
/// taken.
struct Hoister {
    hoisted: Vec<(String, Value)>,
    taken: BTreeSet<String>,
}

impl Hoister {
    /// Moves `schema` into `components/schemas` under `name` (made
    /// distinct), leaving a reference; `from` is where it was.
    fn hoist(&mut self, schema: &mut Value, name: String, from: String) {
        let mut unique = name.clone();
        let mut counter = 2;
        while self.taken.contains(&type_ident(&unique).to_string()) {
            unique = format!("{name}{counter}");
            counter += 1;
        }
        self.taken.insert(type_ident(&unique).to_string());
        let reference = serde_json::json!({"$ref": format!("#/components/schemas/{unique}")});
        let mut moved = std::mem::replace(schema, reference);
        // Where it was, so that a problem with it is reported there.
        if let Some(moved) = moved.as_object_mut() {
            moved.insert("x-hoisted-from".into(), Value::String(from));
        }
        self.hoisted.push((unique, moved));
    }

    /// A parameter's (or header's) schema, named `name`; an array keeps
    /// its array and its items get the type.
    fn parameter(&mut self, parameter: &mut Value, name: String, at: &str) {
        let Some(schema) = parameter.get_mut("schema") else {
            return;
        };
        if schema.get("type").and_then(Value::as_str) == Some("array")
            && let Some(items) = schema.get_mut("items")
        {
            if needs_type(items, false) {
                self.hoist(items, format!("{name}Item"), format!("{at}/schema/items"));
            }
        } else if needs_type(schema, true) {
            self.hoist(schema, name, format!("{at}/schema"));
        }
    }

    /// The schemas of a body's or response's media types.
    fn content(&mut self, node: &mut Value, name: &str, at: &str) {
        let Some(Value::Object(content)) = node.get_mut("content") else {
            return;
        };
        for (media_type, media) in content.iter_mut() {
            if let Some(schema) = media.get_mut("schema")
                && needs_type(schema, false)
            {
                let from = format!(
                    "{at}/content/{}/schema",
                    openapi_source::escape_token(media_type)
                );
                self.hoist(schema, name.to_owned(), from);
            }
        }
    }

    /// A response's media types and headers.
    fn response(&mut self, response: &mut Value, name: &str, at: &str) {
        self.content(response, name, at);
        if let Some(Value::Object(headers)) = response.get_mut("headers") {
            for (header, node) in headers.iter_mut() {
                let here = format!("{at}/headers/{}", openapi_source::escape_token(header));
                self.parameter(node, format!("{name}{}", pascal_case(header)), &here);
            }
        }
    }
}

fn hoist_from_path_item(hoister: &mut Hoister, path: &str, item: &mut Value) {
    let Value::Object(item) = item else {
        return;
    };
    for method in METHODS {
        let Some(Value::Object(operation)) = item.get_mut(*method) else {
            continue;
        };
        let at = format!("/paths/{}/{method}", openapi_source::escape_token(path));
        let id = pascal_case(
            operation
                .get("operationId")
                .and_then(Value::as_str)
                .unwrap_or(method),
        );
        for (index, parameter) in operation
            .get_mut("parameters")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let name = pascal_case(
                parameter
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("Parameter"),
            );
            hoister.parameter(
                parameter,
                format!("{id}{name}"),
                &format!("{at}/parameters/{index}"),
            );
        }
        if let Some(body) = operation.get_mut("requestBody") {
            hoister.content(body, &format!("{id}Body"), &format!("{at}/requestBody"));
        }
        if let Some(Value::Object(responses)) = operation.get_mut("responses") {
            for (status, response) in responses.iter_mut() {
                let here = format!("{at}/responses/{}", openapi_source::escape_token(status));
                hoister.response(
                    response,
                    &format!("{id}Response{}", pascal_case(status)),
                    &here,
                );
            }
        }
    }
}

/// Inline schemas of component parameters, headers, bodies and responses
/// (used by many operations: one type each, named after the component).
fn hoist_from_components(hoister: &mut Hoister, components: &mut serde_json::Map<String, Value>) {
    let at = |section: &str, name: &str| {
        format!(
            "/components/{section}/{}",
            openapi_source::escape_token(name)
        )
    };
    for section in ["parameters", "headers"] {
        if let Some(Value::Object(members)) = components.get_mut(section) {
            for (name, node) in members.iter_mut() {
                hoister.parameter(node, pascal_case(name), &at(section, name));
            }
        }
    }
    if let Some(Value::Object(bodies)) = components.get_mut("requestBodies") {
        for (name, node) in bodies.iter_mut() {
            hoister.content(node, &pascal_case(name), &at("requestBodies", name));
        }
    }
    if let Some(Value::Object(responses)) = components.get_mut("responses") {
        for (name, node) in responses.iter_mut() {
            hoister.response(node, &pascal_case(name), &at("responses", name));
        }
    }
}

/// Moves `minimum` and `maximum` of integers written as strings
/// (`type: string, format: int64`) to `x-minimum` and `x-maximum`: the
/// typed model has no bounds on strings (and reads such a schema as
/// untyped). Examples, defaults and enums
/// are values, not schemas, and are left alone.
pub fn integer_string_bounds(value: &mut Value) {
    each_schema_object(value, &mut |object| {
        let integer_string = object.get("type").and_then(Value::as_str) == Some("string")
            && object
                .get("format")
                .and_then(Value::as_str)
                .is_some_and(|f| openapi_source::spec::INTEGER_STRING_FORMATS.contains(&f));
        if integer_string {
            for (bound, kept) in [("minimum", "x-minimum"), ("maximum", "x-maximum")] {
                if let Some(limit) = object.remove(bound) {
                    object.entry(kept).or_insert(limit);
                }
            }
        }
    });
}

/// Calls `visit` on every object of the document that may be a schema:
/// values (`example`, `examples`, `default`, `enum`) and extensions are
/// not descended into. Bounded at the reader's nesting depth.
fn each_schema_object(
    value: &mut Value,
    visit: &mut impl FnMut(&mut serde_json::Map<String, Value>),
) {
    fn walk(
        value: &mut Value,
        depth: usize,
        visit: &mut impl FnMut(&mut serde_json::Map<String, Value>),
    ) {
        if depth > 128 {
            return;
        }
        match value {
            Value::Object(object) => {
                visit(object);
                for (key, child) in object.iter_mut() {
                    if !matches!(key.as_str(), "example" | "examples" | "default" | "enum")
                        && !key.starts_with("x-")
                    {
                        walk(child, depth + 1, visit);
                    }
                }
            }
            Value::Array(items) => items
                .iter_mut()
                .for_each(|item| walk(item, depth + 1, visit)),
            _ => {}
        }
    }
    walk(value, 0, visit);
}

/// Whether an inline schema (or one inside it) needs a Rust type of its
/// own: an object with properties or a title, an enum. A string whose only
/// constraints are length and pattern does not at the top of a parameter,
/// where it is checked as it is extracted.
fn needs_type(schema: &Value, parameter: bool) -> bool {
    fn inner(schema: &Value, top: bool, parameter: bool, depth: usize) -> bool {
        let Some(object) = schema.as_object() else {
            return false;
        };
        if object.contains_key("$ref") || depth > 32 {
            return false;
        }
        let kind = object.get("type").and_then(Value::as_str);
        let has_enum = object.contains_key("enum") || object.contains_key("x-extensible-enum");
        let constrained = ["minLength", "maxLength", "pattern"]
            .iter()
            .any(|key| object.contains_key(*key));
        if ["oneOf", "anyOf"].iter().any(|key| {
            object
                .get(*key)
                .and_then(Value::as_array)
                .is_some_and(|v| !v.is_empty())
        }) {
            return true;
        }
        // An `allOf` that `merge_all_of` could not merge: typify makes one
        // type of its parts (kin-openapi's petstore: `Pet` with
        // `PetRequiredProperties`, inline in a request body).
        if object
            .get("allOf")
            .and_then(Value::as_array)
            .is_some_and(|parts| parts.len() > 1)
        {
            return true;
        }
        let here = match kind {
            Some("object") | None
                if object
                    .get("properties")
                    .is_some_and(|p| p.as_object().is_some_and(|p| !p.is_empty())) =>
            {
                true
            }
            Some("object") => object.contains_key("title"),
            // An integer in a string is a type of its own (the integer).
            Some("string")
                if object
                    .get("format")
                    .and_then(Value::as_str)
                    .is_some_and(|f| openapi_source::spec::INTEGER_STRING_FORMATS.contains(&f))
                    && !has_enum =>
            {
                true
            }
            Some("string") => has_enum || (constrained && !(top && parameter)),
            Some("integer") => object.contains_key("enum"),
            _ => false,
        };
        here || ["items", "additionalProperties"]
            .iter()
            .filter_map(|key| object.get(*key))
            .chain(
                object
                    .get("properties")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flat_map(|p| p.values()),
            )
            .any(|child| inner(child, false, parameter, depth + 1))
    }
    inner(schema, true, parameter, 0)
}

/// Keys of a Schema Object that describe rather than constrain: an `allOf`
/// part made only of these does not change the shape.
const ANNOTATIONS: &[&str] = &[
    "description",
    "title",
    "nullable",
    "readOnly",
    "writeOnly",
    "deprecated",
    "example",
    "default",
    "externalDocs",
];

/// Merges every `allOf` into one schema, so the types crate gets one struct
/// with every member instead of an untyped value: properties of all parts
/// (a member in several parts merged the same way, a later part's keyword
/// winning: [`absorb_member`]), `required` united, other keywords from the
/// first part that has them, and the schema's own keywords over all of
/// them. A part's `title`, `discriminator` and examples stay with the part
/// (they name or describe the parent, not the merged child).
///
/// Two shapes are left alone: `allOf` over one `$ref` beside annotations
/// only (how a nullable or described reference is written; it stays that
/// reference, so the type is shared), and parts that cannot be merged
/// (different `type`s, a reference cycle): the generator-support lint names
/// those. Call before [`hoist_inline_schemas`], which names the results.
pub fn merge_all_of(spec: &mut Value) {
    let components = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut merger = AllOfMerger {
        merged: components.clone(),
        components,
        in_progress: BTreeSet::new(),
        done: BTreeSet::new(),
    };
    let names: Vec<String> = merger.components.keys().cloned().collect();
    for name in &names {
        merger.component(name);
    }
    // The paths' schemas read the merged components: a copy goes in.
    if let Some(Value::Object(schemas)) = spec.pointer_mut("/components/schemas") {
        schemas.clone_from(&merger.merged);
    }
    // Bodies, answers, parameters and headers written once as components
    // hold inline schemas too.
    for section in ["requestBodies", "responses", "parameters", "headers"] {
        let pointer = format!("/components/{section}");
        if let Some(Value::Object(members)) = spec.pointer_mut(&pointer) {
            for node in members.values_mut() {
                merge_in_node(&mut merger, node);
            }
        }
    }
    let Some(Value::Object(paths)) = spec.get_mut("paths") else {
        return;
    };
    for item in paths.values_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for parameter in item
            .get_mut("parameters")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            merge_in_node(&mut merger, parameter);
        }
        for method in METHODS {
            let Some(Value::Object(operation)) = item.get_mut(*method) else {
                continue;
            };
            for parameter in operation
                .get_mut("parameters")
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
            {
                merge_in_node(&mut merger, parameter);
            }
            if let Some(body) = operation.get_mut("requestBody") {
                merge_in_node(&mut merger, body);
            }
            for response in operation
                .get_mut("responses")
                .and_then(Value::as_object_mut)
                .into_iter()
                .flat_map(|responses| responses.values_mut())
            {
                merge_in_node(&mut merger, response);
            }
        }
    }
}

/// Merges the `allOf`s of a parameter's, header's, body's or answer's
/// schemas (its `schema`, each media type's under `content`, and an
/// answer's headers').
fn merge_in_node(merger: &mut AllOfMerger, node: &mut Value) {
    if let Some(schema) = node.get_mut("schema") {
        merger.schema(schema, 0);
    }
    for header in node
        .get_mut("headers")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flat_map(|headers| headers.values_mut())
    {
        merge_in_node(merger, header);
    }
    for media in node
        .get_mut("content")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flat_map(|content| content.values_mut())
    {
        if let Some(schema) = media.get_mut("schema") {
            merger.schema(schema, 0);
        }
    }
}

struct AllOfMerger {
    /// The component schemas as written.
    components: serde_json::Map<String, Value>,
    /// The component schemas with their `allOf`s merged (once `done`).
    merged: serde_json::Map<String, Value>,
    in_progress: BTreeSet<String>,
    done: BTreeSet<String>,
}

impl AllOfMerger {
    /// The merged form of component `name`; `None` inside a cycle.
    fn component(&mut self, name: &str) -> Option<Value> {
        if self.done.contains(name) {
            return self.merged.get(name).cloned();
        }
        if !self.in_progress.insert(name.to_owned()) {
            return None;
        }
        let mut schema = self.components.get(name)?.clone();
        self.schema(&mut schema, 0);
        self.in_progress.remove(name);
        self.done.insert(name.to_owned());
        self.merged.insert(name.to_owned(), schema.clone());
        Some(schema)
    }

    /// Merges the `allOf`s in `schema` and in every schema inside it.
    fn schema(&mut self, schema: &mut Value, depth: usize) {
        if depth > openapi_source::MAX_DEPTH {
            return;
        }
        let Some(object) = schema.as_object_mut() else {
            return;
        };
        for key in ["items", "additionalProperties", "not"] {
            if let Some(child) = object.get_mut(key) {
                self.schema(child, depth + 1);
            }
        }
        for key in ["properties"] {
            for child in object
                .get_mut(key)
                .and_then(Value::as_object_mut)
                .into_iter()
                .flat_map(|children| children.values_mut())
            {
                self.schema(child, depth + 1);
            }
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            for child in object
                .get_mut(key)
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
            {
                self.schema(child, depth + 1);
            }
        }
        if let Some(merged) = self.merge(object) {
            *schema = merged;
        }
    }

    /// The merged component a part's `$ref` names, followed through
    /// components that are only a reference to another (asana's
    /// `TeamBase: {$ref: TeamCompact}`): merged as a part, such a
    /// component's `$ref` would stand beside the other parts' members,
    /// and a `$ref` takes no siblings (OpenAPI 3.0), so the merged
    /// schema was the reference alone and lost them. Its `title`,
    /// `discriminator` and examples are left out; `None` for a reference
    /// outside the components, a cycle, or a chain past a few steps.
    fn referenced(&mut self, reference: &str) -> Option<Value> {
        let mut reference = reference.to_owned();
        for _ in 0..8 {
            let name = reference.strip_prefix("#/components/schemas/")?;
            let name = openapi_source::unescape_token(name);
            let mut target = self.component(&name)?;
            if let Some(next) = target.get("$ref").and_then(Value::as_str) {
                reference = next.to_owned();
                continue;
            }
            if let Some(target) = target.as_object_mut() {
                for key in ["title", "discriminator", "example", "examples"] {
                    target.remove(key);
                }
            }
            return Some(target);
        }
        None
    }

    /// `object` with its `allOf` merged, when that is a change to make.
    fn merge(&mut self, object: &serde_json::Map<String, Value>) -> Option<Value> {
        let parts = object.get("allOf")?.as_array()?;
        let is_annotation_only = |part: &Value| {
            part.as_object().is_some_and(|part| {
                part.keys()
                    .all(|key| ANNOTATIONS.contains(&key.as_str()) || key.starts_with("x-"))
            })
        };
        let shaping: Vec<&Value> = parts.iter().filter(|p| !is_annotation_only(p)).collect();
        let own_shape = object.contains_key("properties") || object.contains_key("required");
        if shaping.len() == 1 && shaping[0].get("$ref").is_some() && !own_shape {
            // A described or nullable reference: keep the reference, lift
            // the annotations beside it.
            if shaping.len() == parts.len() {
                return None;
            }
            let mut kept = object.clone();
            for part in parts.iter().filter(|p| is_annotation_only(p)) {
                for (key, value) in part.as_object().into_iter().flatten() {
                    kept.entry(key.clone()).or_insert_with(|| value.clone());
                }
            }
            kept.insert("allOf".into(), Value::Array(vec![shaping[0].clone()]));
            return Some(Value::Object(kept));
        }
        let mut merged = serde_json::Map::new();
        for part in parts {
            let part = match part.get("$ref").and_then(Value::as_str) {
                Some(reference) => self.referenced(reference)?,
                None => part.clone(),
            };
            let Value::Object(part) = part else {
                return None;
            };
            if part.contains_key("allOf") {
                // A part that could not be merged itself.
                return None;
            }
            absorb(&mut merged, part, false)?;
        }
        let mut own = object.clone();
        own.remove("allOf");
        absorb(&mut merged, own, true)?;
        if merged.contains_key("properties") && !merged.contains_key("type") {
            merged.insert("type".into(), Value::String("object".into()));
        }
        Some(Value::Object(merged))
    }
}

/// Adds `part`'s keywords to `merged`: properties and `required` united,
/// others kept from whoever came first unless `overrides`. `None` when the
/// two disagree on `type`.
fn absorb(
    merged: &mut serde_json::Map<String, Value>,
    part: serde_json::Map<String, Value>,
    overrides: bool,
) -> Option<()> {
    for (key, value) in part {
        match key.as_str() {
            "properties" => {
                let target = merged
                    .entry("properties")
                    .or_insert_with(|| Value::Object(Default::default()));
                if let (Some(target), Value::Object(members)) = (target.as_object_mut(), value) {
                    for (name, member) in members {
                        match target.get_mut(&name) {
                            Some(earlier) => absorb_member(earlier, member),
                            None => {
                                target.insert(name, member);
                            }
                        }
                    }
                }
            }
            "required" => {
                let target = merged
                    .entry("required")
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let (Some(target), Value::Array(names)) = (target.as_array_mut(), value) {
                    for name in names {
                        if !target.contains(&name) {
                            target.push(name);
                        }
                    }
                }
            }
            "type" => match merged.get("type") {
                Some(existing) if *existing != value => return None,
                _ => {
                    merged.insert(key, value);
                }
            },
            _ if overrides => {
                merged.insert(key, value);
            }
            _ => {
                merged.entry(key).or_insert(value);
            }
        }
    }
    Some(())
}

/// Merges a later part's schema of a member into an earlier part's: both
/// apply (JSON Schema checks every part), so what the later one leaves
/// out is kept (`ipv4: {}` beside `ipv4: {type: array}` stays an array)
/// and what it says wins. A reference on either side, or parts that
/// disagree on `type`, are not merged: the later part's schema wins, as
/// it did before, unless it says nothing of the shape (`{}`, a
/// description).
fn absorb_member(earlier: &mut Value, later: Value) {
    let says_nothing = later.as_object().is_some_and(|later| {
        later
            .keys()
            .all(|key| ANNOTATIONS.contains(&key.as_str()) || key.starts_with("x-"))
    });
    let (Some(before), Value::Object(after)) = (earlier.as_object(), &later) else {
        *earlier = later;
        return;
    };
    if before.contains_key("$ref") || after.contains_key("$ref") {
        if !says_nothing {
            *earlier = later;
        }
        return;
    }
    let mut merged = before.clone();
    *earlier = match absorb(&mut merged, after.clone(), true) {
        Some(()) => Value::Object(merged),
        None => later,
    };
}

/// Shapes left in the normalised model that the types crate can only hold
/// as `serde_json::Value`: an `allOf` that could not be merged, a `not`.
/// (JSON Pointer into the spec as written, message) pairs.
pub fn untyped_shapes(model: &Value) -> Vec<(String, String)> {
    fn walk(schema: &Value, pointer: String, depth: usize, found: &mut Vec<(String, String)>) {
        let Some(object) = schema.as_object() else {
            return;
        };
        if depth > openapi_source::MAX_DEPTH {
            return;
        }
        if let Some(parts) = object.get("allOf").and_then(Value::as_array)
            && (parts.len() > 1 || object.contains_key("properties"))
        {
            found.push((
                format!("{pointer}/allOf"),
                "the allOf parts cannot be merged into one schema (their types differ, or they \
                 reference each other in a cycle); the value is untyped (serde_json::Value)"
                    .into(),
            ));
        }
        if object.contains_key("not") {
            found.push((
                format!("{pointer}/not"),
                "`not` has no Rust type; the value is untyped (serde_json::Value)".into(),
            ));
        }
        for key in ["items", "additionalProperties"] {
            if let Some(child) = object.get(key) {
                walk(child, format!("{pointer}/{key}"), depth + 1, found);
            }
        }
        for (name, child) in object
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let pointer = format!(
                "{pointer}/properties/{}",
                openapi_source::escape_token(name)
            );
            walk(child, pointer, depth + 1, found);
        }
        for key in ["oneOf", "anyOf", "allOf"] {
            for (index, child) in object
                .get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                walk(child, format!("{pointer}/{key}/{index}"), depth + 1, found);
            }
        }
    }
    let mut found = Vec::new();
    for (name, schema) in model
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let pointer = schema
            .get("x-hoisted-from")
            .and_then(Value::as_str)
            .map_or_else(
                || format!("/components/schemas/{}", openapi_source::escape_token(name)),
                str::to_owned,
            );
        walk(schema, pointer, 0, &mut found);
    }
    found
}

/// Renames component schemas whose Rust type names would collide
/// (`NullTime` and `nullTime` are both `NullTime`), in the types crate or
/// to typify (`__` and `x` are both `X` there): the later one gets a
/// number (`nullTime2`), and every `$ref` to it follows. Names are not on
/// the wire, so nothing a client or server sends changes.
pub fn distinct_component_names(spec: &mut Value) {
    let Some(Value::Object(schemas)) = spec.pointer_mut("/components/schemas") else {
        return;
    };
    // Both spellings: ours (the types crate) and typify's (the name
    // progenitor's client looks the types crate's type up by).
    let spellings = |name: &str| [type_ident(name).to_string(), typify_type_name(name)];
    let mut rust_names: [BTreeSet<String>; 2] = Default::default();
    let mut renames: Vec<(String, String)> = Vec::new();
    let names: Vec<String> = schemas.keys().cloned().collect();
    for name in &names {
        let free = |names: &[BTreeSet<String>; 2], name: &str| {
            spellings(name)
                .iter()
                .zip(names)
                .all(|(spelling, taken)| !taken.contains(spelling))
        };
        let renamed = if free(&rust_names, name) {
            name.clone()
        } else {
            let mut counter = 2;
            loop {
                let candidate = format!("{name}{counter}");
                if !schemas.contains_key(&candidate) && free(&rust_names, &candidate) {
                    break candidate;
                }
                counter += 1;
            }
        };
        for (spelling, taken) in spellings(&renamed).into_iter().zip(&mut rust_names) {
            taken.insert(spelling);
        }
        if renamed != *name {
            renames.push((name.clone(), renamed));
        }
    }
    if renames.is_empty() {
        return;
    }
    let renamed_schemas: serde_json::Map<String, Value> = std::mem::take(schemas)
        .into_iter()
        .map(|(name, schema)| {
            let name = renames
                .iter()
                .find(|(old, _)| *old == name)
                .map_or(name, |(_, new)| new.clone());
            (name, schema)
        })
        .collect();
    *schemas = renamed_schemas;
    let targets: Vec<(String, String)> = renames
        .into_iter()
        .map(|(old, new)| {
            (
                format!(
                    "#/components/schemas/{}",
                    openapi_source::escape_token(&old)
                ),
                format!(
                    "#/components/schemas/{}",
                    openapi_source::escape_token(&new)
                ),
            )
        })
        .collect();
    rewrite_refs(spec, &targets, 0);
}

fn rewrite_refs(value: &mut Value, targets: &[(String, String)], depth: usize) {
    if depth > openapi_source::MAX_DEPTH {
        return;
    }
    match value {
        Value::Object(members) => {
            if let Some(Value::String(reference)) = members.get_mut("$ref")
                && let Some((_, new)) = targets.iter().find(|(old, _)| old == reference)
            {
                *reference = new.clone();
            }
            for member in members.values_mut() {
                rewrite_refs(member, targets, depth + 1);
            }
        }
        Value::Array(items) => {
            for item in items {
                rewrite_refs(item, targets, depth + 1);
            }
        }
        _ => {}
    }
}

/// Drops `format` from objects, arrays and booleans (`type: object,
/// format: uri-map` in Twilio's specs): it says nothing any tool reads
/// there, and typify refuses such a schema outright.
pub fn formats_only_on_scalars(value: &mut Value) {
    each_schema_object(value, &mut |object| {
        let structural = matches!(
            object.get("type").and_then(Value::as_str),
            Some("object" | "array" | "boolean")
        );
        if structural && object.get("format").is_some_and(Value::is_string) {
            object.remove("format");
        }
    });
}

/// Drops lower bounds of zero on lengths and counts (`minLength: 0`,
/// `minItems: 0`, `minProperties: 0`): they admit every value, and a
/// generated check of one compares an unsigned count with zero, which
/// rustc's `unused_comparisons` refuses (progenitor's `< 0usize`).
pub fn bounds_that_bound_nothing(value: &mut Value) {
    each_schema_object(value, &mut |object| {
        for key in ["minLength", "minItems", "minProperties"] {
            if object
                .get(key)
                .and_then(Value::as_f64)
                .is_some_and(|bound| bound == 0.0)
            {
                object.remove(key);
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_of_zero_are_dropped_and_others_kept() {
        let mut spec = serde_json::json!({
            "type": "object",
            "minProperties": 0,
            "properties": {
                "minLength": {"type": "string", "minLength": 0, "maxLength": 0},
                "list": {"type": "array", "minItems": 0, "items": {"type": "string", "minLength": 1}},
            },
        });
        bounds_that_bound_nothing(&mut spec);
        assert_eq!(
            spec,
            serde_json::json!({
                "type": "object",
                "properties": {
                    "minLength": {"type": "string", "maxLength": 0},
                    "list": {"type": "array", "items": {"type": "string", "minLength": 1}},
                },
            })
        );
    }

    #[test]
    fn component_names_that_collide_in_rust_are_made_distinct() {
        let mut spec = serde_json::json!({
            "components": {"schemas": {
                "NullTime": {"type": "string"},
                "nullTime": {"type": "string", "format": "date-time"},
                "Holder": {"properties": {"at": {"$ref": "#/components/schemas/nullTime"}}},
            }},
        });
        distinct_component_names(&mut spec);
        let schemas = spec["components"]["schemas"].as_object().expect("schemas");
        assert!(schemas.contains_key("NullTime") && schemas.contains_key("nullTime2"));
        assert_eq!(
            spec["components"]["schemas"]["Holder"]["properties"]["at"]["$ref"],
            "#/components/schemas/nullTime2"
        );
    }

    /// `__` and `x` are distinct in the types crate (`V`, `X`) and both `X`
    /// to typify, which would give the client one type for both.
    #[test]
    fn component_names_that_collide_for_typify_are_made_distinct() {
        let mut spec = serde_json::json!({
            "components": {"schemas": {
                "__": {"type": "string"},
                "x": {"type": "integer"},
                "Holder": {"properties": {"x": {"$ref": "#/components/schemas/x"}}},
            }},
        });
        distinct_component_names(&mut spec);
        let schemas = spec["components"]["schemas"].as_object().expect("schemas");
        assert!(
            schemas.contains_key("__") && schemas.contains_key("x2"),
            "{schemas:?}"
        );
        assert_eq!(
            spec["components"]["schemas"]["Holder"]["properties"]["x"]["$ref"],
            "#/components/schemas/x2"
        );
    }

    /// The components were handed back before the operations' schemas were
    /// merged, so a reference in an operation's `allOf` found nothing and
    /// stayed unmerged (typify then rendered the response itself).
    #[test]
    fn all_of_in_an_operation_merges_with_the_component_it_names() {
        let mut spec = serde_json::json!({
            "paths": {"/items": {"get": {"responses": {"200": {"description": "An item.",
                "content": {"application/json": {"schema": {"allOf": [
                    {"$ref": "#/components/schemas/Item"},
                    {"type": "object", "properties": {"more": {"type": "string"}}},
                ]}}}}}}}},
            "components": {"schemas": {"Item": {"type": "object",
                "properties": {"kind": {"type": "string"}}}}},
        });
        merge_all_of(&mut spec);
        let schema = &spec["paths"]["/items"]["get"]["responses"]["200"]["content"]["application/json"]
            ["schema"];
        assert!(schema.get("allOf").is_none(), "{schema}");
        let members: Vec<&String> = schema["properties"]
            .as_object()
            .expect("merged")
            .keys()
            .collect();
        assert_eq!(members, ["kind", "more"]);
        assert!(spec["components"]["schemas"]["Item"]["properties"]["kind"].is_object());
    }

    #[test]
    fn all_of_in_a_component_body_answer_or_parameter_merges_too() {
        // kin-openapi's petstore: a request body component of `Pet` with
        // `PetRequiredProperties`.
        let all_of = serde_json::json!({"allOf": [
            {"$ref": "#/components/schemas/Item"},
            {"type": "object", "required": ["kind"]},
        ]});
        let mut spec = serde_json::json!({
            "components": {
                "schemas": {"Item": {"type": "object", "properties": {"kind": {"type": "string"}}}},
                "requestBodies": {"New": {"content": {"application/json": {"schema": all_of}}}},
                "responses": {"Made": {"description": "Made.",
                    "content": {"application/json": {"schema": all_of}},
                    "headers": {"X-Item": {"schema": all_of}}}},
                "parameters": {"Filter": {"name": "filter", "in": "query", "schema": all_of}},
            },
        });
        merge_all_of(&mut spec);
        for pointer in [
            "/components/requestBodies/New/content/application~1json/schema",
            "/components/responses/Made/content/application~1json/schema",
            "/components/responses/Made/headers/X-Item/schema",
            "/components/parameters/Filter/schema",
        ] {
            let schema = spec.pointer(pointer).expect(pointer);
            assert!(schema.get("allOf").is_none(), "{pointer}: {schema}");
            assert_eq!(schema["required"], serde_json::json!(["kind"]), "{pointer}");
        }
    }

    #[test]
    fn an_all_of_left_unmerged_is_hoisted_to_a_type_of_its_own() {
        let schema = serde_json::json!({"allOf": [
            {"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}]});
        assert!(needs_type(&schema, false));
        let one = serde_json::json!({"allOf": [{"$ref": "#/components/schemas/A"}],
                                     "nullable": true});
        assert!(
            !needs_type(&one, false),
            "a nullable reference is that reference"
        );
    }

    #[test]
    fn a_part_naming_a_component_that_is_a_reference_is_followed() {
        // asana: `TeamRequest` is `allOf: [$ref TeamBase, {members}]` and
        // `TeamBase` is `$ref: TeamCompact`; it had become TeamCompact,
        // its own members lost.
        let mut spec = serde_json::json!({"components": {"schemas": {
            "TeamCompact": {"type": "object", "properties": {"gid": {"type": "string"}}},
            "TeamBase": {"$ref": "#/components/schemas/TeamCompact"},
            "TeamRequest": {"allOf": [
                {"$ref": "#/components/schemas/TeamBase"},
                {"type": "object", "properties": {"endorsed": {"type": "boolean"}}}]}
        }}});
        merge_all_of(&mut spec);
        let merged = &spec["components"]["schemas"]["TeamRequest"];
        assert_eq!(merged.get("$ref"), None, "{merged}");
        assert_eq!(merged["properties"]["gid"]["type"], "string");
        assert_eq!(merged["properties"]["endorsed"]["type"], "boolean");
    }

    #[test]
    fn all_of_parts_merge_into_one_schema() {
        let mut spec = serde_json::json!({
            "components": {"schemas": {
                "Pet": {"type": "object", "title": "A pet", "required": ["name"],
                        "discriminator": {"propertyName": "kind"},
                        "properties": {"name": {"type": "string"}, "kind": {"type": "string"}}},
                "Cat": {"description": "A cat.", "allOf": [
                    {"$ref": "#/components/schemas/Pet"},
                    {"required": ["claws"], "properties": {"claws": {"type": "integer"}}},
                ]},
                "Kitten": {"allOf": [{"$ref": "#/components/schemas/Cat"}, {"properties": {"age": {"type": "integer"}}}]},
                "Described": {"allOf": [{"$ref": "#/components/schemas/Pet"}, {"description": "Only words."}]},
                "Loop": {"allOf": [{"$ref": "#/components/schemas/Loop"}, {"properties": {"a": {}}}]},
                "Clash": {"allOf": [{"type": "string"}, {"type": "object"}]},
                "Acl": {"allOf": [
                    {"properties": {"acl": {"type": "object", "properties": {
                        "ipv4": {"type": "array", "items": {"type": "string"}},
                        "id": {"type": "string", "maxLength": 9}}}}},
                    {"additionalProperties": false, "properties": {"acl": {"properties": {
                        "ipv4": {}, "id": {"maxLength": 4}, "more": {"type": "integer"}}}}},
                ]},
            }},
        });
        merge_all_of(&mut spec);
        let acl = &spec["components"]["schemas"]["Acl"]["properties"]["acl"];
        assert_eq!(
            acl["properties"]["ipv4"],
            serde_json::json!({"type": "array", "items": {"type": "string"}}),
            "a member written `{{}}` in a later part keeps the earlier part's shape"
        );
        assert_eq!(
            acl["properties"]["id"],
            serde_json::json!({"type": "string", "maxLength": 4}),
            "what a later part says of a member wins"
        );
        assert_eq!(acl["type"], "object");
        assert_eq!(acl["properties"]["more"]["type"], "integer");
        let cat = &spec["components"]["schemas"]["Cat"];
        assert_eq!(cat["type"], "object");
        assert_eq!(cat["required"], serde_json::json!(["name", "claws"]));
        assert_eq!(cat["description"], "A cat.");
        assert!(cat.get("title").is_none() && cat.get("discriminator").is_none());
        let kitten = &spec["components"]["schemas"]["Kitten"];
        let members: Vec<&String> = kitten["properties"]
            .as_object()
            .expect("merged")
            .keys()
            .collect();
        assert_eq!(
            members,
            ["name", "kind", "claws", "age"],
            "a merged parent merges again"
        );
        let described = &spec["components"]["schemas"]["Described"];
        assert_eq!(
            described["allOf"],
            serde_json::json!([{"$ref": "#/components/schemas/Pet"}])
        );
        assert_eq!(described["description"], "Only words.");
        assert!(
            spec["components"]["schemas"]["Loop"].get("allOf").is_some(),
            "a cycle stays"
        );
        assert!(
            spec["components"]["schemas"]["Clash"]
                .get("allOf")
                .is_some(),
            "a type clash stays"
        );
    }

    #[test]
    fn path_item_parameters_move_into_each_operation() {
        let mut spec = serde_json::json!({
            "components": {"parameters": {"Trace": {"name": "X-Trace", "in": "header"}}},
            "paths": {"/items/{kind}": {
                "parameters": [
                    {"name": "kind", "in": "path", "required": true, "schema": {"type": "string"}},
                    {"$ref": "#/components/parameters/Trace"}
                ],
                "get": {"parameters": [{"name": "X-Trace", "in": "header", "schema": {"type": "boolean"}}]},
                "post": {}
            }}
        });
        path_item_parameters_into_operations(&mut spec);
        let item = &spec["paths"]["/items/{kind}"];
        assert!(item.get("parameters").is_none());
        let names = |method: &str| -> Vec<String> {
            item[method]["parameters"]
                .as_array()
                .expect("parameters")
                .iter()
                .map(|p| {
                    p.get("name")
                        .or_else(|| p.get("$ref"))
                        .expect("named")
                        .as_str()
                        .expect("text")
                        .to_owned()
                })
                .collect()
        };
        // The operation's own `X-Trace` wins over the path item's.
        assert_eq!(names("get"), ["kind", "X-Trace"]);
        assert_eq!(item["get"]["parameters"][1]["schema"]["type"], "boolean");
        assert_eq!(names("post"), ["kind", "#/components/parameters/Trace"]);
    }

    #[test]
    fn operations_without_an_id_are_named_from_method_and_path() {
        let mut spec = serde_json::json!({"paths": {
            "/pets/{petId}": {"get": {}, "delete": {"operationId": "get_pets_pet_id"}},
            "/pets": {"get": {"operationId": "listPets"}},
        }});
        fill_operation_ids(&mut spec);
        assert_eq!(
            spec["paths"]["/pets/{petId}"]["get"]["operationId"], "get_pets_pet_id_2",
            "unique even against an id someone chose"
        );
        assert_eq!(spec["paths"]["/pets"]["get"]["operationId"], "listPets");
    }

    /// `getThing` and `get_thing` are one method in Rust (server and
    /// client) and one builder (`GetThing`).
    #[test]
    fn operation_ids_the_same_in_rust_are_numbered() {
        let mut spec = serde_json::json!({"paths": {
            "/a": {"get": {"operationId": "getThing"}},
            "/b": {"get": {"operationId": "get_thing"}, "put": {"operationId": "GetThing"}},
        }});
        fill_operation_ids(&mut spec);
        assert_eq!(spec["paths"]["/a"]["get"]["operationId"], "getThing");
        assert_eq!(spec["paths"]["/b"]["get"]["operationId"], "get_thing_2");
        assert_eq!(spec["paths"]["/b"]["put"]["operationId"], "GetThing_3");
    }
}

//! `$ref` resolution and unused components.

use std::collections::BTreeSet;

use serde_json::Value;

use super::{Report, Rule};
use openapi_source::{child, escape_token, unescape_token};

/// The extension naming the schema of a string's content.
pub const CONTENT_SCHEMA: &str = "x-content-schema";

/// Component sections whose members are used through `$ref`.
const REFERENCED_SECTIONS: &[&str] = &[
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "links",
    "callbacks",
];

pub(super) fn check(report: &mut Report<'_>) {
    let root = report.root();
    let mut refs = Vec::new();
    collect_refs(root, String::new(), &mut refs);
    // Callbacks written as `$ref`s are read inline (`as_30`); they still
    // use, or miss, what they name.
    refs.extend(openapi_source::version::callback_refs(
        report.source.value(),
    ));

    let mut used = BTreeSet::new();
    for (pointer, target) in &refs {
        match target.strip_prefix('#') {
            Some(fragment) if root.pointer(fragment).is_some() => {
                used.insert(component_of(fragment));
                if let Some(kind) = foreign_to_schema(pointer, fragment) {
                    report.at(
                        pointer,
                        Rule::RefKind,
                        format!("a schema's `$ref` points at `{target}`, a component of `{kind}`, not a schema"),
                    );
                }
            }
            Some(_) => report.at(
                pointer,
                Rule::RefUnresolved,
                format!("`{target}` does not resolve to anything in this document"),
            ),
            None => report.at(
                pointer,
                Rule::RefUnresolved,
                format!("`{target}` points outside this document; only local `#/...` references are allowed"),
            ),
        }
    }

    let components = root.get("components");
    for section in REFERENCED_SECTIONS {
        let Some(Value::Object(members)) = components.and_then(|c| c.get(section)) else {
            continue;
        };
        for name in members.keys() {
            let component = format!("/components/{section}/{}", escape_token(name));
            if !used.contains(&Some(component.clone())) {
                report.at(
                    &component,
                    Rule::UnusedComponent,
                    format!("component `{section}/{name}` is never referenced"),
                );
            }
        }
    }

    report_alias_cycles(report, root);

    let schemes_in_use = security_scheme_names(root);
    if let Some(Value::Object(schemes)) = components.and_then(|c| c.get("securitySchemes")) {
        for name in schemes.keys() {
            if !schemes_in_use.contains(name.as_str()) {
                report.at(
                    &format!("/components/securitySchemes/{}", escape_token(name)),
                    Rule::UnusedComponent,
                    format!("security scheme `{name}` is named by no security requirement"),
                );
            }
        }
    }
}

/// Components that are nothing but a `$ref` to each other in a ring
/// (`A: {$ref: B}`, `B: {$ref: A}`, or `A: {$ref: A}`): no type can stand
/// for them, and generation would emit `type A = B; type B = A;`. A cycle
/// through a property or an array item is a recursive type, and fine.
fn report_alias_cycles(report: &mut Report<'_>, root: &Value) {
    let Some(Value::Object(components)) = root.get("components") else {
        return;
    };
    let alias_of = |pointer: &str| -> Option<String> {
        let target = root.pointer(pointer)?.get("$ref")?.as_str()?;
        Some(target.strip_prefix('#')?.to_owned())
    };
    for (section, members) in components {
        let Value::Object(members) = members else {
            continue;
        };
        for name in members.keys() {
            let start = format!(
                "/components/{}/{}",
                escape_token(section),
                escape_token(name)
            );
            let mut chain = vec![start.clone()];
            let mut current = start.clone();
            while let Some(next) = alias_of(&current) {
                if next == start {
                    // Reported once, at the cycle's smallest member.
                    if chain.iter().all(|member| *member >= start) {
                        let names: Vec<&str> = chain
                            .iter()
                            .chain(std::iter::once(&start))
                            .filter_map(|p| p.rsplit('/').next())
                            .collect();
                        report.at(
                            &child(&start, "$ref"),
                            Rule::RefCycle,
                            format!(
                                "`$ref` cycle {}: each is only a reference to the next, so no type can represent them",
                                names.join(" -> ")
                            ),
                        );
                    }
                    break;
                }
                if chain.contains(&next) || chain.len() > 64 {
                    break;
                }
                chain.push(next.clone());
                current = next;
            }
        }
    }
}

/// `/components/<section>/<name>` for a pointer into a component, else `None`.
fn component_of(fragment: &str) -> Option<String> {
    let mut tokens = fragment.strip_prefix('/')?.splitn(4, '/');
    match (tokens.next(), tokens.next(), tokens.next()) {
        (Some("components"), Some(section), Some(name)) => {
            Some(format!("/components/{section}/{name}"))
        }
        _ => None,
    }
}

/// Every `$ref` outside example payloads and extensions, with its pointer.
/// The component section (`responses`, `parameters`, ...) of `fragment`
/// when the `$ref` at `pointer` stands where a schema belongs (a `schema`,
/// a property, `items`, an `allOf` member) and `fragment` is a component
/// of another kind.
fn foreign_to_schema(pointer: &str, fragment: &str) -> Option<&'static str> {
    let holder = pointer.strip_suffix("/$ref")?;
    let mut segments = holder.rsplit('/');
    let last = segments.next()?;
    let parent = segments.next().unwrap_or_default();
    let schema_slot = matches!(last, "schema" | "items" | "additionalProperties" | "not")
        || matches!(parent, "properties" | "allOf" | "oneOf" | "anyOf");
    if !schema_slot || holder.starts_with("/components/schemas/") && parent == "schemas" {
        return None;
    }
    // The component itself (`/components/responses/E`), not a schema
    // inside one (`/components/parameters/p/schema`).
    let mut parts = fragment.strip_prefix("/components/")?.split('/');
    let section = parts.next()?;
    if parts.count() != 1 {
        return None;
    }
    REFERENCED_SECTIONS
        .iter()
        .copied()
        .find(|kind| *kind == section && *kind != "schemas")
}

fn collect_refs(value: &Value, pointer: String, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(members) => {
            if let Some(Value::String(target)) = members.get("$ref") {
                out.push((child(&pointer, "$ref"), target.clone()));
            }
            for (key, member) in members {
                if is_payload(&pointer, key) {
                    continue;
                }
                collect_refs(member, child(&pointer, key), out);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                collect_refs(item, format!("{pointer}/{index}"), out);
            }
        }
        _ => {}
    }
}

/// Members of OpenAPI objects whose keys are names chosen by the author.
const NAME_MAPS: &[&str] = &[
    "properties",
    "responses",
    "examples",
    "headers",
    "schemas",
    "parameters",
    "requestBodies",
    "securitySchemes",
    "links",
    "callbacks",
    "content",
    "encoding",
    "paths",
];

/// Whether `key` under the node at `parent` holds free-form data (an example
/// payload, a default, an extension) rather than OpenAPI structure.
pub(super) fn is_payload(parent: &str, key: &str) -> bool {
    // Members of a map of names (`responses.default`, a property called
    // `example`, an example called `default`) are OpenAPI structure.
    let parent_token = parent.rsplit('/').next().map(unescape_token);
    if parent_token
        .as_deref()
        .is_some_and(|token| NAME_MAPS.contains(&token))
    {
        return false;
    }
    // Webhooks are structure: 3.1's `webhooks`, in the 3.0 form every rule
    // reads, and 3.0's own extension, are where the generator reads them.
    if parent.is_empty() && key == "x-webhooks" {
        return false;
    }
    // `x-content-schema` (what `docs import` writes for a string whose
    // content a page's table describes: 3.1's `contentSchema` in a 3.0
    // document) is a Schema Object, its `$ref`s references.
    if key == CONTENT_SCHEMA {
        return false;
    }
    if key == "example" || key == "default" || key == "enum" || key.starts_with("x-") {
        return true;
    }
    // The `value` of an Example Object: `.../examples/<name>/value`.
    key == "value"
        && parent
            .rsplit('/')
            .nth(1)
            .is_some_and(|grandparent| unescape_token(grandparent) == "examples")
}

/// Names of the security schemes any security requirement mentions.
fn security_scheme_names(root: &Value) -> BTreeSet<&str> {
    fn add<'v>(names: &mut BTreeSet<&'v str>, requirements: Option<&'v Value>) {
        for requirement in requirements.and_then(Value::as_array).into_iter().flatten() {
            if let Some(object) = requirement.as_object() {
                names.extend(object.keys().map(String::as_str));
            }
        }
    }
    let mut names = BTreeSet::new();
    add(&mut names, root.get("security"));
    for item in root
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|paths| paths.values())
    {
        for operation in item.as_object().into_iter().flat_map(|item| item.values()) {
            add(&mut names, operation.get("security"));
        }
    }
    names
}

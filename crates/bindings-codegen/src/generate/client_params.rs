//! Parameters progenitor would give one Rust name: a header and a path
//! parameter both `menuId`, Twilio's `StartTime<` and `StartTime>`, a
//! query parameter `body` beside a request body. progenitor names a
//! builder's fields and setters after the wire name alone, so its client
//! kept one of such parameters and dropped the other without a word, or
//! did not compile.
//!
//! Before progenitor runs, each such parameter after the first is given a
//! placeholder wire name whose Rust name is free (`menu_id__2`, which
//! progenitor calls `menu_id_2`, as the server crate numbers its field);
//! afterwards every string literal that is a placeholder is the parameter's
//! wire name again, so the client sends what the spec says.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{OpenAPI, Parameter, ReferenceOr};

use super::naming::progenitor_parameter_name;

/// Placeholder wire names, each with the wire name it stands for.
#[derive(Debug, Default)]
pub(super) struct Renamed(BTreeMap<String, String>);

/// Gives every parameter of `spec` that progenitor would name like an
/// earlier one of its operation a placeholder wire name (a path
/// parameter's in the path template too).
pub(super) fn apart(spec: &mut OpenAPI) -> Renamed {
    let written = serde_json::to_string(&*spec).unwrap_or_default();
    let components = spec.components.clone();
    let mut renamed = Renamed::default();
    let mut templates = Vec::new();
    for (path, item) in spec.paths.paths.iter_mut() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        let (in_path, path_names) = path_apart(path, &written, &mut renamed);
        if in_path.values().any(|placeholder| placeholder.is_some()) {
            templates.push((path.clone(), with_placeholders(path, &in_path)));
        }
        for operation in super::client::operations_mut(item) {
            let mut taken = path_names.clone();
            if operation.request_body.is_some() {
                taken.insert("body".to_owned());
            }
            for parameter in &mut operation.parameters {
                let Some(resolved) = openapi_source::spec::resolve_in(&components, parameter)
                else {
                    continue;
                };
                let name = resolved.parameter_data_ref().name.clone();
                let placeholder = match resolved {
                    // The path's own name for it, placeholder or not.
                    Parameter::Path { .. } => in_path.get(&name).cloned().flatten(),
                    _ if taken.insert(progenitor_parameter_name(&name)) => None,
                    _ => {
                        let placeholder = free_placeholder(&name, &taken, &written, &renamed);
                        taken.insert(progenitor_parameter_name(&placeholder));
                        renamed.0.insert(placeholder.clone(), name);
                        Some(placeholder)
                    }
                };
                if let Some(placeholder) = placeholder {
                    let mut inline = resolved.clone();
                    super::client::parameter_data_mut(&mut inline).name = placeholder;
                    *parameter = ReferenceOr::Item(inline);
                }
            }
        }
    }
    if !templates.is_empty() {
        let templates: BTreeMap<String, String> = templates.into_iter().collect();
        spec.paths.paths = std::mem::take(&mut spec.paths.paths)
            .into_iter()
            .map(|(path, item)| (templates.get(&path).cloned().unwrap_or(path), item))
            .collect();
    }
    renamed
}

/// The variables of `path`'s template, each with its placeholder if an
/// earlier one has its Rust name, and the Rust names they take.
fn path_apart(
    path: &str,
    written: &str,
    renamed: &mut Renamed,
) -> (BTreeMap<String, Option<String>>, BTreeSet<String>) {
    let mut taken = BTreeSet::new();
    let mut in_path = BTreeMap::new();
    for variable in template_variables(path) {
        if in_path.contains_key(variable) {
            continue;
        }
        let placeholder = if taken.insert(progenitor_parameter_name(variable)) {
            None
        } else {
            let placeholder = free_placeholder(variable, &taken, written, renamed);
            taken.insert(progenitor_parameter_name(&placeholder));
            renamed.0.insert(placeholder.clone(), variable.to_owned());
            Some(placeholder)
        };
        in_path.insert(variable.to_owned(), placeholder);
    }
    (in_path, taken)
}

/// The `{name}`s of a path template, in order.
fn template_variables(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

/// `path` with each renamed variable's placeholder.
fn with_placeholders(path: &str, in_path: &BTreeMap<String, Option<String>>) -> String {
    let mut template = path.to_owned();
    for (variable, placeholder) in in_path {
        if let Some(placeholder) = placeholder {
            template = template.replace(&format!("{{{variable}}}"), &format!("{{{placeholder}}}"));
        }
    }
    template
}

/// A placeholder for `name` whose Rust name is not `taken` and which the
/// spec nowhere writes as a string.
fn free_placeholder(
    name: &str,
    taken: &BTreeSet<String>,
    written: &str,
    renamed: &Renamed,
) -> String {
    let base = progenitor_parameter_name(name);
    let base = base.trim_end_matches('_');
    let mut counter = 2;
    loop {
        let candidate = format!("{base}__{counter}");
        if !taken.contains(&progenitor_parameter_name(&candidate))
            && !written.contains(&format!("\"{candidate}\""))
            && !renamed.0.contains_key(&candidate)
        {
            return candidate;
        }
        counter += 1;
    }
}

/// `client` with every string literal that is a placeholder of `renamed`
/// the wire name it stands for.
pub(super) fn restore(file: &mut syn::File, renamed: &Renamed) {
    struct Restore<'a>(&'a Renamed);
    impl syn::visit_mut::VisitMut for Restore<'_> {
        fn visit_lit_str_mut(&mut self, literal: &mut syn::LitStr) {
            let value = literal.value();
            if let Some(name) = self.0.0.get(&value) {
                *literal = syn::LitStr::new(name, literal.span());
            } else if value.contains('`') {
                // Docs name the parameter in code spans.
                let mut text = value.clone();
                for (placeholder, name) in &self.0.0 {
                    text = text.replace(&format!("`{placeholder}`"), &format!("`{name}`"));
                }
                if text != value {
                    *literal = syn::LitStr::new(&text, literal.span());
                }
            }
        }
    }
    if renamed.0.is_empty() {
        return;
    }
    syn::visit_mut::VisitMut::visit_file_mut(&mut Restore(renamed), file);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(json: serde_json::Value) -> OpenAPI {
        serde_json::from_value(json).expect("a spec")
    }

    fn names(spec: &OpenAPI) -> Vec<String> {
        spec.operations()
            .flat_map(|(_, _, operation)| &operation.parameters)
            .filter_map(|p| openapi_source::spec::resolve(spec, p))
            .map(|p| p.parameter_data_ref().name.clone())
            .collect()
    }

    #[test]
    fn a_header_named_like_a_path_parameter_gets_a_placeholder() {
        let mut spec = spec(serde_json::json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/menus/{menuId}": {"get": {"parameters": [
                {"name": "menuId", "in": "header", "schema": {"type": "string"}},
                {"name": "menuId", "in": "path", "required": true, "schema": {"type": "string"}},
                {"name": "StartTime<", "in": "query", "schema": {"type": "string"}},
                {"name": "StartTime>", "in": "query", "schema": {"type": "string"}},
            ], "responses": {"200": {"description": "ok"}}}}},
        }));
        let renamed = apart(&mut spec);
        assert_eq!(
            names(&spec),
            ["menu_id__2", "menuId", "StartTime<", "start_time__2"]
        );
        let mut client: syn::File = syn::parse_quote! {
            /// Header parameter `menu_id__2`, optional.
            fn f() { send("menu_id__2", "start_time__2", "menuId"); }
        };
        restore(&mut client, &renamed);
        let restored = quote::quote! { #client }.to_string();
        assert!(
            restored.contains(r#"send ("menuId" , "StartTime>" , "menuId")"#),
            "{restored}"
        );
        assert!(restored.contains("Header parameter `menuId`"), "{restored}");
    }

    #[test]
    fn a_path_variable_named_like_another_gets_a_placeholder_in_the_template_too() {
        let mut spec = spec(serde_json::json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/items/{self}/{Self}": {"get": {"parameters": [
                {"name": "Self", "in": "path", "required": true, "schema": {"type": "string"}},
                {"name": "self", "in": "path", "required": true, "schema": {"type": "string"}},
            ], "responses": {"200": {"description": "ok"}}}}},
        }));
        apart(&mut spec);
        let paths: Vec<&String> = spec.paths.paths.keys().collect();
        assert_eq!(paths, ["/items/{self}/{self__2}"]);
        assert_eq!(names(&spec), ["self__2", "self"]);
    }

    #[test]
    fn a_parameter_body_beside_a_body_gets_a_placeholder() {
        let mut spec = spec(serde_json::json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"post": {
                "parameters": [{"name": "body", "in": "query", "schema": {"type": "string"}}],
                "requestBody": {"content": {"application/json": {"schema": {}}}},
                "responses": {"200": {"description": "ok"}}}}},
        }));
        apart(&mut spec);
        assert_eq!(names(&spec), ["body__2"]);
    }

    #[test]
    fn distinct_names_are_left_alone() {
        let mut spec = spec(serde_json::json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {
                "parameters": [{"name": "a", "in": "query", "schema": {"type": "string"}},
                               {"name": "b", "in": "query", "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok"}}}}},
        }));
        let renamed = apart(&mut spec);
        assert!(renamed.0.is_empty());
        assert_eq!(names(&spec), ["a", "b"]);
    }
}

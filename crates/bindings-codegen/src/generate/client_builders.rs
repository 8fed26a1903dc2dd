//! progenitor's operation builders, finished for this project's clients:
//!
//! - each setter is documented from its parameter (or request body) in the
//!   spec: the description, where it goes, and its constraints in words;
//! - a value the parameter's type refuses fails `send()` with that type's
//!   own message (`limit: invalid Limit: `0` is not an integer from 1 to
//!   10000`), where progenitor drops it for ``conversion to `:: T` failed``;
//! - `send()` answers `bindings_client::Error`, whose `Display` names the
//!   cause in one line, where progenitor's says `Communication Error:`.
//!
//! progenitor has no setting for any of these, so they are rewrites of the
//! syntax tree it returns; each leaves progenitor's code alone where it
//! does not find the shape it expects.

use std::collections::BTreeMap;

use openapiv3::{OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, Schema, SchemaKind};
use proc_macro2::{TokenStream, TokenTree};
use quote::quote;
use serde_json::Value;

use super::cli::progenitor_name;

/// Finishes the builders of `file`, progenitor's client for `spec`.
pub(super) fn finish(file: &mut syn::File, spec: &OpenAPI) {
    let operations = builder_operations(file, spec);
    let runtime_error = with_runtime_error(file);
    let Some(builders) = module_mut(file, "builder") else {
        return;
    };
    for item in builders {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let operation = self_ident(&block.self_ty).and_then(|name| operations.get(&name));
        if let Some(operation) = operation {
            styled_queries(block, operation);
            cookies(block, operation);
        }
        let mut added = Vec::new();
        for member in &mut block.items {
            if let syn::ImplItem::Fn(function) = member {
                added.extend(finish_method(function, spec, operation, runtime_error));
            }
        }
        block.items.extend(added);
    }
    header_lists(file, spec);
}

/// progenitor sends a header parameter as `value.to_string()`, which an
/// array has not: an array header (`simple` style) is sent as its items
/// joined by commas, `bindings_client::header_list(&value)`.
fn header_lists(file: &mut syn::File, spec: &OpenAPI) {
    struct Lists(std::collections::BTreeSet<String>);
    impl syn::visit_mut::VisitMut for Lists {
        fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
            syn::visit_mut::visit_expr_method_call_mut(self, call);
            let named = match call.args.first() {
                Some(syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(name),
                    ..
                })) => self.0.contains(&name.value()),
                _ => false,
            };
            if call.method == "append"
                && call.args.len() == 2
                && named
                && let Some(value) = call.args.iter_mut().nth(1)
            {
                joined(value);
            }
        }
    }
    /// `x.to_string()` somewhere in `expr` becomes the joined list.
    fn joined(expr: &mut syn::Expr) {
        match expr {
            syn::Expr::MethodCall(call) if call.method == "to_string" && call.args.is_empty() => {
                let receiver = &call.receiver;
                *expr = syn::parse_quote! { ::bindings_client::header_list(&#receiver) };
            }
            syn::Expr::MethodCall(call) => joined(&mut call.receiver),
            syn::Expr::Try(attempt) => joined(&mut attempt.expr),
            _ => {}
        }
    }
    let names = array_headers(spec);
    if !names.is_empty() {
        syn::visit_mut::VisitMut::visit_file_mut(&mut Lists(names), file);
    }
}

/// progenitor sends every query parameter as `form` with `explode`
/// (`QueryParam::new(name, &value)`); one whose spec says otherwise
/// (`client::QUERY_STYLE`) is sent in its style,
/// `bindings_client::StyledQuery::new(name, &value, style)`.
fn styled_queries(block: &mut syn::ItemImpl, operation: &BuilderOperation<'_>) {
    struct Styled(BTreeMap<String, syn::Ident>);
    impl syn::visit_mut::VisitMut for Styled {
        fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
            syn::visit_mut::visit_expr_call_mut(self, call);
            let syn::Expr::Path(function) = &*call.func else {
                return;
            };
            let segments: Vec<String> = function
                .path
                .segments
                .iter()
                .map(|segment| segment.ident.to_string())
                .collect();
            if !segments.ends_with(&["QueryParam".to_owned(), "new".to_owned()]) {
                return;
            }
            let Some(syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(name),
                ..
            })) = call.args.first()
            else {
                return;
            };
            if let Some(style) = self.0.get(&name.value()) {
                let args = &call.args;
                *call = syn::parse_quote! {
                    ::bindings_client::StyledQuery::new(#args, ::bindings_client::QueryStyle::#style)
                };
            }
        }
    }
    let styles: BTreeMap<String, syn::Ident> = operation
        .parameters
        .values()
        .filter_map(|parameter| {
            let data = parameter.parameter_data_ref();
            let style = data.extensions.get(super::client::QUERY_STYLE)?.as_str()?;
            Some((data.name.clone(), quote::format_ident!("{style}")))
        })
        .collect();
    if !styles.is_empty() {
        syn::visit_mut::VisitMut::visit_item_impl_mut(&mut Styled(styles), block);
    }
}

/// progenitor sends a cookie parameter, handed to it as a header
/// (`client::COOKIE`), as `header_map.append(name, value.to_string()...)`;
/// it goes into the one `Cookie` header instead,
/// `bindings_client::append_cookie(&mut header_map, name, &value)?`.
fn cookies(block: &mut syn::ItemImpl, operation: &BuilderOperation<'_>) {
    struct Cookies(std::collections::BTreeSet<String>);
    impl syn::visit_mut::VisitMut for Cookies {
        fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
            syn::visit_mut::visit_expr_mut(self, expr);
            let syn::Expr::MethodCall(call) = expr else {
                return;
            };
            let (Some(syn::Expr::Lit(name)), Some(value)) = (call.args.first(), call.args.last())
            else {
                return;
            };
            let syn::Lit::Str(wire_name) = &name.lit else {
                return;
            };
            if call.method != "append"
                || call.args.len() != 2
                || !self.0.contains(&wire_name.value())
            {
                return;
            }
            let Some(value) = to_string_receiver(value) else {
                return;
            };
            let headers = &call.receiver;
            *expr = syn::parse_quote! {
                ::bindings_client::append_cookie(&mut #headers, #wire_name, &#value)?
            };
        }
    }
    let names: std::collections::BTreeSet<String> = operation
        .parameters
        .values()
        .map(|parameter| parameter.parameter_data_ref())
        .filter(|data| data.extensions.contains_key(super::client::COOKIE))
        .map(|data| data.name.clone())
        .collect();
    if !names.is_empty() {
        syn::visit_mut::VisitMut::visit_item_impl_mut(&mut Cookies(names), block);
    }
}

/// `x` of progenitor's `x.to_string().try_into()?`.
fn to_string_receiver(expr: &syn::Expr) -> Option<syn::Expr> {
    match expr {
        syn::Expr::MethodCall(call) if call.method == "to_string" && call.args.is_empty() => {
            Some((*call.receiver).clone())
        }
        syn::Expr::MethodCall(call) => to_string_receiver(&call.receiver),
        syn::Expr::Try(attempt) => to_string_receiver(&attempt.expr),
        _ => None,
    }
}

/// The names of the header parameters whose schema is an array.
fn array_headers(spec: &OpenAPI) -> std::collections::BTreeSet<String> {
    let mut names = std::collections::BTreeSet::new();
    for (_, _, operation) in spec.operations() {
        for parameter in &operation.parameters {
            let Some(Parameter::Header { parameter_data, .. }) =
                openapi_source::spec::resolve(spec, parameter)
            else {
                continue;
            };
            if parameter_data
                .extensions
                .contains_key(super::client::COOKIE)
            {
                continue;
            }
            let ParameterSchemaOrContent::Schema(schema) = &parameter_data.format else {
                continue;
            };
            if openapi_source::spec::resolve(spec, schema).is_some_and(|schema| {
                matches!(
                    schema.schema_kind,
                    SchemaKind::Type(openapiv3::Type::Array(_))
                )
            }) {
                names.insert(parameter_data.name.clone());
            }
        }
    }
    names
}

/// One method of a builder: `send()` answers the crate's error (and
/// returns progenitor's, renamed, to add beside it), a setter keeps its
/// type's message and gets its docs.
fn finish_method(
    function: &mut syn::ImplItemFn,
    spec: &OpenAPI,
    operation: Option<&BuilderOperation<'_>>,
    runtime_error: bool,
) -> Option<syn::ImplItem> {
    let name = function.sig.ident.to_string();
    match name.as_str() {
        "new" | "body_map" => {}
        "send" if runtime_error => return Some(syn::ImplItem::Fn(wrap_send(function))),
        "stream" if runtime_error => to_runtime_error(&mut function.sig.output),
        "send" | "stream" => {}
        _ if has_try_into(function) => {
            with_type_message(function, &name);
            if let Some(operation) = operation {
                let docs = setter_docs(spec, operation, &name);
                function.attrs.splice(0..0, docs);
            }
        }
        _ => {}
    }
    None
}

/// An operation as its builder sees it: parameters by setter name, and
/// the request body.
struct BuilderOperation<'a> {
    parameters: BTreeMap<String, &'a Parameter>,
    body: Option<&'a openapiv3::RequestBody>,
}

/// The operation of each builder struct, by the struct's name: the
/// `Client` method returning `builder::Name` is the operation whose
/// `operationId` progenitor named it after.
fn builder_operations<'a>(
    file: &syn::File,
    spec: &'a OpenAPI,
) -> BTreeMap<String, BuilderOperation<'a>> {
    let mut by_method = BTreeMap::new();
    for (_, item) in spec.paths.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (_, operation) in item.iter() {
            let Some(id) = &operation.operation_id else {
                continue;
            };
            let mut parameters = BTreeMap::new();
            for parameter in item.parameters.iter().chain(&operation.parameters) {
                if let Some(parameter) = openapi_source::spec::resolve(spec, parameter) {
                    let name = progenitor_name(&parameter.parameter_data_ref().name);
                    parameters.insert(name, parameter);
                }
            }
            let body = operation
                .request_body
                .as_ref()
                .and_then(|body| openapi_source::spec::resolve(spec, body));
            by_method.insert(progenitor_name(id), BuilderOperation { parameters, body });
        }
    }
    let mut by_builder = BTreeMap::new();
    for item in &file.items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        if block.trait_.is_some() || self_ident(&block.self_ty).as_deref() != Some("Client") {
            continue;
        }
        for member in &block.items {
            let syn::ImplItem::Fn(function) = member else {
                continue;
            };
            let syn::ReturnType::Type(_, output) = &function.sig.output else {
                continue;
            };
            let Some(builder) = self_ident(output) else {
                continue;
            };
            if let Some(operation) = by_method.remove(&function.sig.ident.to_string()) {
                by_builder.insert(builder, operation);
            }
        }
    }
    by_builder
}

/// The last segment's name of a path type (`builder::Name<'_>` is `Name`).
fn self_ident(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// The items of the top-level module `name`.
fn module_mut<'f>(file: &'f mut syn::File, name: &str) -> Option<&'f mut Vec<syn::Item>> {
    file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == name => {
            module.content.as_mut().map(|(_, items)| items)
        }
        _ => None,
    })
}

/// The crate's `Error` is `bindings_client::Error`; inside `builder`,
/// where progenitor's code builds progenitor's, `Error` stays that one.
/// Without progenitor's `pub use progenitor_client::{.., Error, ..}`,
/// nothing changes (and `false` says so).
fn with_runtime_error(file: &mut syn::File) -> bool {
    let reexport = file.items.iter_mut().position(|item| match item {
        syn::Item::Use(import) => without_error(&mut import.tree),
        _ => false,
    });
    if reexport.is_none() {
        return false;
    }
    file.items
        .insert(0, syn::parse_quote! { pub use ::bindings_client::Error; });
    if let Some(builders) = module_mut(file, "builder") {
        for item in builders.iter_mut() {
            if let syn::Item::Use(import) = item {
                without_error(&mut import.tree);
            }
        }
        builders.insert(0, syn::parse_quote! { use ::progenitor_client::Error; });
    }
    true
}

/// Removes `Error` from a `use a::{..., Error, ...}`; whether it was there.
fn without_error(tree: &mut syn::UseTree) -> bool {
    match tree {
        syn::UseTree::Path(path) => without_error(&mut path.tree),
        syn::UseTree::Group(group) => {
            let before = group.items.len();
            group.items = std::mem::take(&mut group.items)
                .into_iter()
                .filter(|item| !matches!(item, syn::UseTree::Name(name) if name.ident == "Error"))
                .collect();
            group.items.len() != before
        }
        _ => false,
    }
}

/// `Error<...>` in a return type becomes the crate's (`super::Error`).
fn to_runtime_error(output: &mut syn::ReturnType) {
    fn rewrite(tokens: TokenStream) -> TokenStream {
        let mut out = TokenStream::new();
        let mut after_colons = false;
        for token in tokens {
            match token {
                TokenTree::Ident(ident) if ident == "Error" && !after_colons => {
                    out.extend(quote! { super::Error });
                    after_colons = false;
                }
                TokenTree::Group(group) => {
                    let mut inner =
                        proc_macro2::Group::new(group.delimiter(), rewrite(group.stream()));
                    inner.set_span(group.span());
                    out.extend([TokenTree::Group(inner)]);
                    after_colons = false;
                }
                TokenTree::Punct(punct) => {
                    after_colons = punct.as_char() == ':';
                    out.extend([TokenTree::Punct(punct)]);
                }
                other => {
                    after_colons = false;
                    out.extend([other]);
                }
            }
        }
        out
    }
    if let Ok(rewritten) = syn::parse2(rewrite(quote! { #output })) {
        *output = rewritten;
    }
}

/// `send()` answers the crate's `Error`: progenitor's `send()` becomes the
/// private `progenitor_send()`, unchanged, and `send()` converts its error.
fn wrap_send(function: &mut syn::ImplItemFn) -> syn::ImplItemFn {
    let mut progenitor = function.clone();
    progenitor.sig.ident = syn::parse_quote!(progenitor_send);
    progenitor.vis = syn::Visibility::Inherited;
    progenitor
        .attrs
        .retain(|attribute| !attribute.path().is_ident("doc"));
    to_runtime_error(&mut function.sig.output);
    function.block = syn::parse_quote! {{
        self.progenitor_send().await.map_err(super::Error::from)
    }};
    progenitor
}

/// Whether `function` is a setter: generic over a value `TryInto` its type.
fn has_try_into(function: &syn::ImplItemFn) -> bool {
    !try_into_bounds(function).is_empty()
}

/// `(V, TryInto<T>)` of each `V: TryInto<T>` in the where clause.
fn try_into_bounds(function: &syn::ImplItemFn) -> Vec<(syn::Type, syn::Path)> {
    let Some(clause) = &function.sig.generics.where_clause else {
        return Vec::new();
    };
    let mut bounds = Vec::new();
    for predicate in &clause.predicates {
        let syn::WherePredicate::Type(predicate) = predicate else {
            continue;
        };
        for bound in &predicate.bounds {
            if let syn::TypeParamBound::Trait(bound) = bound
                && bound
                    .path
                    .segments
                    .last()
                    .is_some_and(|segment| segment.ident == "TryInto")
            {
                bounds.push((predicate.bounded_ty.clone(), bound.path.clone()));
            }
        }
    }
    bounds
}

/// The setter keeps the conversion's own error, prefixed by the setter's
/// name, instead of progenitor's ``conversion to `T` for x failed``; the
/// error must then be `Display` (it is for every type of the types crate,
/// `&str` and `String` conversions, and `Infallible`).
fn with_type_message(function: &mut syn::ImplItemFn, setter: &str) {
    let format = format!("{setter}: {{}}");
    let closure: syn::Expr = syn::parse_quote! {
        |error| ::std::format!(#format, error)
    };
    let mut replaced = false;
    for statement in &mut function.block.stmts {
        if let syn::Stmt::Expr(expr, _) = statement {
            replaced |= replace_conversion_error(expr, &closure);
        }
    }
    if !replaced {
        return;
    }
    let bounds = try_into_bounds(function);
    let clause = function.sig.generics.make_where_clause();
    for (value, conversion) in bounds {
        clause.predicates.push(syn::parse_quote! {
            <#value as #conversion>::Error: ::std::fmt::Display
        });
    }
}

/// Replaces the closure of a `.map_err(...)` whose message is progenitor's
/// ``conversion to `T` ...``, anywhere in `expr`'s chain of calls.
fn replace_conversion_error(expr: &mut syn::Expr, closure: &syn::Expr) -> bool {
    match expr {
        syn::Expr::Assign(assign) => replace_conversion_error(&mut assign.right, closure),
        syn::Expr::MethodCall(call) => {
            let mut replaced = false;
            if call.method == "map_err"
                && let Some(argument) = call.args.first_mut()
                && matches!(argument, syn::Expr::Closure(_))
                && quote! { #argument }.to_string().contains("conversion to `")
            {
                *argument = closure.clone();
                replaced = true;
            }
            replace_conversion_error(&mut call.receiver, closure) || replaced
        }
        _ => false,
    }
}

/// `#[doc]` attributes for the setter `setter` of `operation`.
fn setter_docs(
    spec: &OpenAPI,
    operation: &BuilderOperation<'_>,
    setter: &str,
) -> Vec<syn::Attribute> {
    let lines = if let Some(parameter) = operation.parameters.get(setter) {
        parameter_doc(spec, parameter)
    } else if setter == "body"
        && let Some(body) = operation.body
    {
        body_doc(spec, body)
    } else {
        return Vec::new();
    };
    lines
        .into_iter()
        .map(|line| {
            let line = if line.is_empty() {
                line
            } else {
                format!(" {line}")
            };
            syn::parse_quote!(#[doc = #line])
        })
        .collect()
}

/// The parameter's description, then where it goes and its constraints.
fn parameter_doc(spec: &OpenAPI, parameter: &Parameter) -> Vec<String> {
    let data = parameter.parameter_data_ref();
    let place = match parameter {
        Parameter::Query { .. } => "Query",
        Parameter::Header { .. } => "Header",
        Parameter::Path { .. } => "Path",
        Parameter::Cookie { .. } => "Cookie",
    };
    let schema = match &data.format {
        ParameterSchemaOrContent::Schema(schema) => openapi_source::spec::resolve(spec, schema),
        ParameterSchemaOrContent::Content(_) => None,
    };
    let required = if data.required {
        "required"
    } else {
        "optional"
    };
    let mut summary = format!("{place} parameter `{}`, {required}", data.name);
    if let Some(schema) = schema {
        let constraints = constraints(schema);
        if !constraints.is_empty() {
            summary.push_str(": ");
            summary.push_str(&constraints.join(", "));
        }
    }
    summary.push('.');
    let mut lines = description_lines(data.description.as_deref());
    if !lines.is_empty() {
        lines.push(String::new());
    }
    lines.push(summary);
    lines
}

/// The request body's description, its media type and whether required.
fn body_doc(spec: &OpenAPI, body: &openapiv3::RequestBody) -> Vec<String> {
    let mut lines = description_lines(body.description.as_deref());
    if let Some((media, content)) = body.content.first() {
        let schema = content
            .schema
            .as_ref()
            .and_then(|schema| openapi_source::spec::resolve(spec, schema));
        if lines.is_empty()
            && let Some(description) = schema.and_then(|s| s.schema_data.description.as_deref())
        {
            lines = description_lines(Some(description));
        }
        if !lines.is_empty() {
            lines.push(String::new());
        }
        let required = if body.required {
            "required"
        } else {
            "optional"
        };
        lines.push(format!("The request body (`{media}`), {required}."));
    }
    lines
}

/// A description's lines, trimmed at the end.
fn description_lines(description: Option<&str>) -> Vec<String> {
    description
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| d.lines().map(|line| line.trim_end().to_owned()).collect())
        .unwrap_or_default()
}

/// What `schema` allows, in words: bounds, lengths, pattern, values,
/// default.
fn constraints(schema: &Schema) -> Vec<String> {
    use openapiv3::Type;
    let mut said = Vec::new();
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => string_constraints(schema, string, &mut said),
        SchemaKind::Type(Type::Integer(integer)) => {
            let bound = |value: Option<i64>| value.map(|v| v.to_string());
            said.extend(range(
                "an integer",
                bound(integer.minimum),
                integer.exclusive_minimum,
                bound(integer.maximum),
                integer.exclusive_maximum,
            ));
            if let Some(step) = integer.multiple_of {
                said.push(format!("a multiple of {step}"));
            }
            said.extend(values(integer.enumeration.iter().flatten()));
        }
        SchemaKind::Type(Type::Number(number)) => {
            let bound = |value: Option<f64>| value.map(|v| v.to_string());
            said.extend(range(
                "a number",
                bound(number.minimum),
                number.exclusive_minimum,
                bound(number.maximum),
                number.exclusive_maximum,
            ));
            if let Some(step) = number.multiple_of {
                said.push(format!("a multiple of {step}"));
            }
            said.extend(values(number.enumeration.iter().flatten()));
        }
        SchemaKind::Type(Type::Array(array)) => {
            if let Some(count) = count_words(array.min_items, array.max_items, "item") {
                said.push(count);
            }
            if array.unique_items {
                said.push("items distinct".to_owned());
            }
        }
        _ => {}
    }
    if let Some(default) = &schema.schema_data.default {
        let default = default
            .as_str()
            .map_or_else(|| default.to_string(), str::to_owned);
        said.push(format!("default `{default}`"));
    }
    said
}

fn string_constraints(schema: &Schema, string: &openapiv3::StringType, said: &mut Vec<String>) {
    use openapiv3::VariantOrUnknownOrEmpty;
    let extension = |name: &str| {
        schema
            .schema_data
            .extensions
            .get(name)
            .map(Value::to_string)
    };
    match &string.format {
        VariantOrUnknownOrEmpty::Unknown(format)
            if openapi_source::spec::INTEGER_STRING_FORMATS.contains(&format.as_str()) =>
        {
            // The normaliser keeps an integer string's bounds as extensions.
            let bounds = range(
                "an integer",
                extension("x-minimum"),
                false,
                extension("x-maximum"),
                false,
            );
            said.push(format!(
                "{} written as a decimal string",
                bounds.unwrap_or_else(|| "an integer".to_owned())
            ));
        }
        VariantOrUnknownOrEmpty::Unknown(format) => said.push(format!("format `{format}`")),
        VariantOrUnknownOrEmpty::Item(format) => {
            let format = serde_json::to_value(format)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            if !format.is_empty() {
                said.push(format!("format `{format}`"));
            }
        }
        VariantOrUnknownOrEmpty::Empty => {}
    }
    if let Some(length) = count_words(string.min_length, string.max_length, "character") {
        said.push(length);
    }
    if let Some(pattern) = &string.pattern {
        said.push(format!("matching `{pattern}`"));
    }
    let closed: Vec<&String> = string.enumeration.iter().flatten().collect();
    said.extend(values(closed));
    if let Some(Value::Array(open)) = schema.schema_data.extensions.get("x-extensible-enum") {
        let known: Vec<String> = open
            .iter()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
            .map(|v| format!("`{v}`"))
            .collect();
        said.push(format!(
            "known values {} (others are kept)",
            known.join(", ")
        ));
    }
}

/// `what from A to B`, `what greater than A`, ..., or `None` unbounded.
fn range(
    what: &str,
    minimum: Option<String>,
    exclusive_minimum: bool,
    maximum: Option<String>,
    exclusive_maximum: bool,
) -> Option<String> {
    if let (Some(low), Some(high), false, false) =
        (&minimum, &maximum, exclusive_minimum, exclusive_maximum)
    {
        return Some(format!("{what} from {low} to {high}"));
    }
    let low = minimum.map(|m| match exclusive_minimum {
        true => format!("greater than {m}"),
        false => format!("of at least {m}"),
    });
    let high = maximum.map(|m| match exclusive_maximum {
        true => format!("less than {m}"),
        false => format!("of at most {m}"),
    });
    match (low, high) {
        (Some(low), Some(high)) => Some(format!("{what} {low} and {high}")),
        (Some(bound), None) | (None, Some(bound)) => Some(format!("{what} {bound}")),
        (None, None) => None,
    }
}

/// `1 to 64 characters`, `at least 1 item`, ...
fn count_words(min: Option<usize>, max: Option<usize>, unit: &str) -> Option<String> {
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    match (min, max) {
        (Some(min), Some(max)) if min == max => {
            Some(format!("exactly {min} {unit}{}", plural(max)))
        }
        (Some(min), Some(max)) => Some(format!("{min} to {max} {unit}s")),
        (Some(min), None) => Some(format!("at least {min} {unit}{}", plural(min))),
        (None, Some(max)) => Some(format!("at most {max} {unit}{}", plural(max))),
        (None, None) => None,
    }
}

/// `one of `a`, `b``, for a closed set of values.
fn values<T: std::fmt::Display>(values: impl IntoIterator<Item = T>) -> Option<String> {
    let values: Vec<String> = values.into_iter().map(|v| format!("`{v}`")).collect();
    (!values.is_empty()).then(|| format!("one of {}", values.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(json: &str) -> Schema {
        serde_json::from_str(json).expect("a schema")
    }

    #[test]
    fn constraints_are_said_in_words() {
        let limit = schema(
            r#"{"type": "string", "format": "int32", "x-minimum": 1, "x-maximum": 10000,
                "pattern": "^[0-9]+$", "default": "100"}"#,
        );
        assert_eq!(
            constraints(&limit),
            [
                "an integer from 1 to 10000 written as a decimal string",
                "matching `^[0-9]+$`",
                "default `100`"
            ]
        );
        let id = schema(r#"{"type": "string", "minLength": 32, "maxLength": 64}"#);
        assert_eq!(constraints(&id), ["32 to 64 characters"]);
        let page = schema(
            r#"{"type": "integer", "minimum": 0, "exclusiveMinimum": true, "multipleOf": 5}"#,
        );
        assert_eq!(
            constraints(&page),
            ["an integer greater than 0", "a multiple of 5"]
        );
        let status = schema(r#"{"type": "string", "x-extensible-enum": ["A", "B"]}"#);
        assert_eq!(
            constraints(&status),
            ["known values `A`, `B` (others are kept)"]
        );
        let tags = schema(r#"{"type": "array", "items": {}, "minItems": 1, "uniqueItems": true}"#);
        assert_eq!(constraints(&tags), ["at least 1 item", "items distinct"]);
    }

    #[test]
    fn a_setter_keeps_the_conversions_message() {
        let mut setter: syn::ImplItemFn = syn::parse_quote! {
            pub fn limit<V>(mut self, value: V) -> Self
            where
                V: std::convert::TryInto<::t::Limit>,
            {
                self.limit = value.try_into().map(Some).map_err(|_| {
                    "conversion to `:: t :: Limit` for limit failed".to_string()
                });
                self
            }
        };
        with_type_message(&mut setter, "limit");
        let text = quote! { #setter }.to_string();
        assert!(text.contains(r#"format ! ("limit: {}" , error)"#), "{text}");
        assert!(text.contains("Error : :: std :: fmt :: Display"), "{text}");
        assert!(!text.contains("conversion to"), "{text}");
    }
}

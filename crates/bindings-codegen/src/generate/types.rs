//! The `<api>-types` crate: one Rust type per component schema.
//!
//! Mapping (see ARCHITECTURE.md): objects become structs; `int32`/`int64`
//! become `i32`/`i64` (`uint32` `u32` and the like; no format `i64`), `double` `f64`;
//! `date-time`, `date` and `uuid` strings `bindings_wire::{Timestamp, Date, Uuid}`
//! (checked, re-encoded as received), other formats `String`;
//! `x-extensible-enum` strings become open enums, `enum`s closed ones;
//! constrained strings become validated newtypes. Optional members are
//! `Option<T>` and skipped when absent; optional *nullable* members are
//! `Option<Option<T>>`, so absent and `null` both survive a round trip.

use std::collections::BTreeMap;

use anyhow::{Context, Result, bail};
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ObjectType, OpenAPI, ReferenceOr, Schema,
    SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs;
use super::naming::{ident, member_suffix, pascal_case, snake_case, type_ident};

/// Emits the types of every component schema, each under the tag features
/// that gate its component (see [`super::tags`]); the items are printed
/// one at a time, each parsed once.
pub fn generate(spec: &OpenAPI, tags: &super::tags::TagFeatures) -> Result<super::Code> {
    let mut types = TypeGen::new(spec);
    if let Some(components) = &spec.components {
        for (name, schema) in &components.schemas {
            types.current = Some(name.clone());
            let schema = match schema {
                ReferenceOr::Item(schema) => schema,
                ReferenceOr::Reference { reference } => {
                    let target = component_name(reference)?;
                    let (alias, target) = (type_ident(name), type_ident(target));
                    types
                        .items
                        .insert(name.clone(), quote! { pub type #alias = #target; });
                    types.owners.insert(name.clone(), name.clone());
                    continue;
                }
            };
            types.named(name, schema, true).map_err(|error| {
                super::at(error, || {
                    format!("/components/schemas/{}", openapi_source::escape_token(name))
                })
            })?;
        }
    }
    let owners = std::mem::take(&mut types.owners);
    let mut printed = String::new();
    for (name, item) in std::mem::take(&mut types.items) {
        let cfg = owners.get(&name).and_then(|owner| tags.schema_cfg(owner));
        printed.push_str(&super::print_items_under(item, cfg.as_ref())?);
    }
    let version = &spec.info.version;
    Ok(super::Code {
        tokens: quote! {
            /// The version of the spec (`info.version`) these types come from.
            pub const API_VERSION: &str = #version;
        },
        items: Vec::new(),
        printed,
    })
}

/// The name of a `#/components/schemas/<name>` reference.
pub fn component_name(reference: &str) -> Result<&str> {
    reference
        .strip_prefix("#/components/schemas/")
        .with_context(|| format!("`{reference}` is not a reference to a component schema"))
}

/// The most items one spec's types crate holds (a bound, so that no
/// schema can make the generator name items without end).
const MAX_ITEMS: usize = 100_000;

/// clippy's `type_complexity` threshold (its default): a member type
/// scoring more makes its struct allow the lint.
const COMPLEX_TYPE: usize = 250;

/// clippy's `type_complexity` score of `ty`: each named type, slice, tuple
/// or array ten times how deep it is nested (an optional map of maps of
/// maps scores 270).
fn type_complexity(ty: &TokenStream) -> usize {
    fn score(ty: &syn::Type, nest: usize) -> usize {
        match ty {
            syn::Type::Path(path) => {
                let arguments =
                    path.path
                        .segments
                        .iter()
                        .flat_map(|segment| match &segment.arguments {
                            syn::PathArguments::AngleBracketed(arguments) => {
                                arguments.args.iter().collect::<Vec<_>>()
                            }
                            _ => Vec::new(),
                        });
                10 * nest
                    + arguments
                        .map(|argument| match argument {
                            syn::GenericArgument::Type(inner) => score(inner, nest + 1),
                            _ => 0,
                        })
                        .sum::<usize>()
            }
            syn::Type::Slice(slice) => 10 * nest + score(&slice.elem, nest + 1),
            syn::Type::Array(array) => 10 * nest + score(&array.elem, nest + 1),
            syn::Type::Tuple(tuple) => {
                10 * nest
                    + tuple
                        .elems
                        .iter()
                        .map(|e| score(e, nest + 1))
                        .sum::<usize>()
            }
            syn::Type::Reference(reference) => score(&reference.elem, nest),
            _ => 0,
        }
    }
    syn::parse2::<syn::Type>(ty.clone()).map_or(0, |ty| score(&ty, 1))
}

/// Builds Rust types for schemas, collecting the named items it needs.
#[derive(Debug)]
pub struct TypeGen<'a> {
    spec: &'a OpenAPI,
    /// Path to the types crate (`::dbss_types::`), empty inside it.
    prefix: TokenStream,
    /// Named items, keyed (and so ordered) by type name.
    items: BTreeMap<String, TokenStream>,
    /// Outside the types crate, name an inline schema's item as the types
    /// crate does (through `prefix`) instead of refusing it.
    names_like_types_crate: bool,
    /// Inline references that recursion makes boxed.
    boxed: super::recursion::Boxed,
    /// The component whose items are being emitted.
    current: Option<String>,
    /// Each item's component, by item name.
    owners: BTreeMap<String, String>,
    /// How many arrays or maps deep the type being built is (their
    /// elements are on the heap: no box needed).
    on_heap: usize,
    /// Size estimates, to box a union's far larger variants.
    sizes: super::size::Sizes<'a>,
    /// The Rust names of the component schemas, which no inline schema's
    /// item may take (Stripe's `issuing_card` has a member `wallets`
    /// beside a component `issuing_card_wallets`).
    component_types: std::collections::BTreeSet<String>,
}

impl<'a> TypeGen<'a> {
    pub fn new(spec: &'a OpenAPI) -> Self {
        let boxed = super::recursion::Boxed::of(spec);
        TypeGen {
            spec,
            prefix: TokenStream::new(),
            items: BTreeMap::new(),
            names_like_types_crate: false,
            boxed: boxed.clone(),
            current: None,
            owners: BTreeMap::new(),
            on_heap: 0,
            sizes: super::size::Sizes::new(spec, boxed),
            component_types: component_types(spec),
        }
    }

    /// A generator for code outside the types crate that names the types
    /// the crate made for inline schemas (`OrderStatus` for `Order`'s
    /// inline `status` enum) through `prefix`: to refer to a member's type
    /// from outside.
    pub fn naming_like_types_crate(spec: &'a OpenAPI, prefix: TokenStream) -> Self {
        TypeGen {
            spec,
            prefix,
            items: BTreeMap::new(),
            names_like_types_crate: true,
            boxed: super::recursion::Boxed::default(),
            current: None,
            owners: BTreeMap::new(),
            on_heap: 0,
            sizes: super::size::Sizes::new(spec, super::recursion::Boxed::default()),
            component_types: component_types(spec),
        }
    }

    /// A generator for code outside the types crate: component types are
    /// named through `prefix`, and an inline schema that would need an item
    /// of its own is an error (it belongs in `components/schemas`).
    pub fn outside(spec: &'a OpenAPI, prefix: TokenStream) -> Self {
        TypeGen {
            spec,
            prefix,
            items: BTreeMap::new(),
            names_like_types_crate: false,
            boxed: super::recursion::Boxed::default(),
            current: None,
            owners: BTreeMap::new(),
            on_heap: 0,
            sizes: super::size::Sizes::new(spec, super::recursion::Boxed::default()),
            component_types: component_types(spec),
        }
    }

    /// The spec the types come from.
    pub fn spec(&self) -> &'a OpenAPI {
        self.spec
    }

    /// The Rust type for a schema used in a member, naming any item it needs
    /// after `suggested` (or the schema's `title`).
    pub fn type_of(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        suggested: &str,
    ) -> Result<TokenStream> {
        match schema {
            ReferenceOr::Reference { reference } => {
                let target = component_name(reference)?;
                let name = type_ident(target);
                let prefix = &self.prefix;
                Ok(if self.boxes(target) {
                    quote! { ::std::boxed::Box<#prefix #name> }
                } else {
                    quote! { #prefix #name }
                })
            }
            ReferenceOr::Item(schema) => self.inline(schema, suggested),
        }
    }

    /// Whether a reference to the component `target` here is boxed, to
    /// break a recursion (not needed on the heap, in an array or a map).
    fn boxes(&self, target: &str) -> bool {
        self.on_heap == 0
            && self
                .current
                .as_deref()
                .is_some_and(|holder| self.boxed.contains(holder, target))
    }

    /// The name of an inline schema's item: its `title`, else `suggested`;
    /// when a component or another item has that name already, the
    /// suggested name, made distinct with a number.
    fn item_name(&self, title: Option<&str>, suggested: &str) -> String {
        // Outside the types crate, only the components are known: its
        // other items are numbered in the order it meets them.
        let taken = |name: &str| {
            self.component_types.contains(&type_ident(name).to_string())
                || (!self.names_like_types_crate && self.items.contains_key(name))
        };
        let wanted = pascal_case(title.unwrap_or(suggested));
        if !taken(&wanted) {
            return wanted;
        }
        let base = pascal_case(suggested);
        let mut name = base.clone();
        let mut number = 2;
        while taken(&name) {
            name = format!("{base}{number}");
            number += 1;
        }
        name
    }

    /// `build`, run as the element type of an array or a map.
    fn on_heap<T>(&mut self, build: impl FnOnce(&mut Self) -> T) -> T {
        self.on_heap += 1;
        let built = build(self);
        self.on_heap -= 1;
        built
    }

    fn inline(&mut self, schema: &Schema, suggested: &str) -> Result<TokenStream> {
        // Outside the types crate, an inline string's length and pattern are
        // checked where it is extracted, so it stays a `String`.
        let constrained_only = matches!(&schema.schema_kind, SchemaKind::Type(Type::String(string))
            if string.enumeration.is_empty() && !schema.schema_data.extensions.contains_key("x-extensible-enum"));
        let checked_where_extracted = constrained_only && !self.prefix.is_empty();
        if needs_item(schema) && (!checked_where_extracted || self.names_like_types_crate) {
            if !self.prefix.is_empty() && !self.names_like_types_crate {
                bail!(
                    "`{suggested}`: an inline schema that needs a Rust type of its own must be a component schema"
                );
            }
            let name = self.item_name(schema.schema_data.title.as_deref(), suggested);
            if !self.names_like_types_crate {
                self.named(&name, schema, false)?;
            }
            let name = type_ident(&name);
            let prefix = &self.prefix;
            return Ok(quote! { #prefix #name });
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => Ok(match &string.format {
                VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => {
                    quote! { ::bindings_wire::Timestamp }
                }
                VariantOrUnknownOrEmpty::Item(StringFormat::Date) => {
                    quote! { ::bindings_wire::Date }
                }
                VariantOrUnknownOrEmpty::Unknown(format) if format == "uuid" => {
                    quote! { ::bindings_wire::Uuid }
                }
                // `uri`, `byte` (base64), `binary` inside JSON, `password`
                // and the rest stay text: their parsed forms would not
                // re-encode as received (`url::Url` normalises).
                _ => quote! { ::std::string::String },
            }),
            SchemaKind::Type(Type::Integer(integer)) => {
                let (rust, _, _) =
                    openapi_source::spec::integer_type(integer_format(&integer.format));
                let rust = proc_macro2::Ident::new(rust, proc_macro2::Span::call_site());
                Ok(quote! { #rust })
            }
            SchemaKind::Type(Type::Number(number)) => Ok(match number.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => quote! { f32 },
                _ => quote! { f64 },
            }),
            SchemaKind::Type(Type::Boolean(_)) => Ok(quote! { bool }),
            SchemaKind::Type(Type::Array(array)) => {
                let item = match &array.items {
                    Some(items) => self.element_type_of(items, &format!("{suggested}Item"))?,
                    None => quote! { ::serde_json::Value },
                };
                Ok(quote! { ::std::vec::Vec<#item> })
            }
            SchemaKind::Type(Type::Object(object)) => match &object.additional_properties {
                Some(AdditionalProperties::Schema(values)) => {
                    let value =
                        self.element_type_of(&boxed(values), &format!("{suggested}Value"))?;
                    Ok(quote! { ::std::collections::BTreeMap<::std::string::String, #value> })
                }
                _ => Ok(quote! { ::serde_json::Map<::std::string::String, ::serde_json::Value> }),
            },
            // `type: object` beside `allOf: [one reference]` (how a nullable
            // reference carries a `type` sibling) is that reference.
            SchemaKind::Any(any) if any.all_of.len() == 1 && any.properties.is_empty() => {
                self.type_of(&boxed(&any.all_of[0]), suggested)
            }
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
                self.type_of(&boxed(&all_of[0]), suggested)
            }
            _ => Ok(quote! { ::serde_json::Value }),
        }
    }

    /// Emits the item `name` for `schema`. A component schema that needs no
    /// item of its own becomes a type alias.
    fn named(&mut self, name: &str, schema: &Schema, component: bool) -> Result<()> {
        if self.items.contains_key(name) {
            bail!("two schemas want the Rust name `{name}`; give one a distinct `title`");
        }
        // Reserve the name first, so that recursive schemas terminate.
        self.items.insert(name.to_owned(), TokenStream::new());
        if let Some(owner) = &self.current {
            self.owners.insert(name.to_owned(), owner.clone());
        }
        if self.items.len() > MAX_ITEMS {
            bail!("more than {MAX_ITEMS} types for one spec: a schema names itself endlessly");
        }
        let doc = docs(schema.schema_data.description.as_deref());
        let type_name = type_ident(name);
        let item = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => self.object(name, &doc, object)?,
            SchemaKind::OneOf { one_of: variants } | SchemaKind::AnyOf { any_of: variants }
                if !variants.is_empty() =>
            {
                self.union(
                    name,
                    &doc,
                    variants,
                    schema.schema_data.discriminator.as_ref(),
                )?
            }
            SchemaKind::Type(Type::String(string)) => {
                if let Some(values) = schema.schema_data.extensions.get("x-extensible-enum") {
                    let variants = variants(schema, values)?;
                    quote! {
                        ::bindings_wire::open_enum! {
                            #doc
                            pub enum #type_name { #(#variants),* }
                        }
                    }
                } else if string.enumeration.iter().any(Option::is_some) {
                    let values: Vec<serde_json::Value> = string
                        .enumeration
                        .iter()
                        .flatten()
                        .map(|v| serde_json::Value::String(v.clone()))
                        .collect();
                    let names = variant_names(schema, &values)?;
                    let variants = values.iter().zip(&names).map(|(value, variant)| {
                        let value = value.as_str().unwrap_or_default();
                        quote! { #[serde(rename = #value)] #variant }
                    });
                    let texts: Vec<&str> = values
                        .iter()
                        .map(|v| v.as_str().unwrap_or_default())
                        .collect();
                    let known = texts.join(", ");
                    let to_text = names
                        .iter()
                        .zip(&texts)
                        .map(|(variant, text)| quote! { Self::#variant => #text, });
                    let from_text = names
                        .iter()
                        .zip(&texts)
                        .map(|(variant, text)| quote! { #text => Ok(Self::#variant), });
                    // Text forms too: a closed enum may be a path, query or
                    // header parameter.
                    quote! {
                        #doc
                        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
                        #[cfg_attr(feature = "schemars", derive(::schemars::JsonSchema))]
                        pub enum #type_name { #(#variants),* }

                        impl #type_name {
                            /// The values the spec allows, as the wire carries them.
                            pub const VALUES: &'static [&'static str] = &[#(#texts),*];

                            /// The variants, in the spec's order.
                            pub const ALL: &'static [Self] = &[#(Self::#names),*];

                            /// The value as the wire carries it.
                            pub fn as_str(&self) -> &'static str {
                                match self { #(#to_text)* }
                            }
                        }

                        impl ::std::fmt::Display for #type_name {
                            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                                f.write_str(self.as_str())
                            }
                        }

                        impl ::std::str::FromStr for #type_name {
                            type Err = ::std::string::String;
                            fn from_str(value: &str) -> ::std::result::Result<Self, ::std::string::String> {
                                match value {
                                    #(#from_text)*
                                    other => Err(format!("`{other}` is not one of {}", #known)),
                                }
                            }
                        }
                    }
                } else if let Some(format) = openapi_source::spec::integer_string_format(string) {
                    let (repr, _, _) = openapi_source::spec::integer_type(Some(format));
                    let repr = proc_macro2::Ident::new(repr, proc_macro2::Span::call_site());
                    let keywords = integer_string_keywords(schema, string, format)?;
                    quote! {
                        #doc
                        pub struct #type_name(#repr);
                        ::bindings_wire::integer_string!(#type_name, #repr, format: #format #(, #keywords)*);
                    }
                } else if has_string_constraints(string) {
                    let keywords = string_keywords(string)?;
                    quote! {
                        #doc
                        pub struct #type_name(::std::string::String);
                        ::bindings_wire::constrained_string!(#type_name #(, #keywords)*);
                    }
                } else {
                    self.alias(&doc, &type_name, schema, name)?
                }
            }
            SchemaKind::Type(Type::Integer(integer)) if !integer.enumeration.is_empty() => {
                let (repr, _, _) =
                    openapi_source::spec::integer_type(integer_format(&integer.format));
                let repr = proc_macro2::Ident::new(repr, proc_macro2::Span::call_site());
                let values: Vec<serde_json::Value> = integer
                    .enumeration
                    .iter()
                    .flatten()
                    .map(|v| serde_json::Value::from(*v))
                    .collect();
                let names = variant_names(schema, &values)?;
                let variants =
                    integer
                        .enumeration
                        .iter()
                        .flatten()
                        .zip(&names)
                        .map(|(value, variant)| {
                            let value = proc_macro2::Literal::i64_unsuffixed(*value);
                            quote! { #variant = #value }
                        });
                quote! {
                    ::bindings_wire::int_enum! {
                        #doc
                        pub enum #type_name: #repr { #(#variants),* }
                    }
                }
            }
            _ if component => self.alias(&doc, &type_name, schema, name)?,
            _ => bail!("internal: `{name}` needs no item"),
        };
        self.items.insert(name.to_owned(), item);
        Ok(())
    }

    fn alias(
        &mut self,
        doc: &TokenStream,
        type_name: &proc_macro2::Ident,
        schema: &Schema,
        name: &str,
    ) -> Result<TokenStream> {
        let target = self.inline(schema, name)?;
        if !self.alias_of_itself(name) {
            return Ok(quote! { #doc pub type #type_name = #target; });
        }
        // `type Tree = Vec<Tree>` is an alias rustc cannot expand (E0391):
        // a newtype, the same on the wire.
        Ok(quote! {
            #doc
            #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
            #[cfg_attr(feature = "schemars", derive(::schemars::JsonSchema))]
            #[serde(transparent)]
            pub struct #type_name(pub #target);
        })
    }

    /// Whether the component `name` reaches itself through arrays, maps
    /// and references alone (no struct or enum between), so that as an
    /// alias it would be defined by itself.
    fn alias_of_itself(&self, name: &str) -> bool {
        let Some(start) = self.component(&format!(
            "#/components/schemas/{}",
            openapi_source::escape_token(name)
        )) else {
            return false;
        };
        let mut seen = std::collections::BTreeSet::new();
        let mut pending: Vec<&Schema> = vec![start];
        while let Some(schema) = pending.pop() {
            // Each child: the reference it is, or the schema written there.
            let next: Vec<(Option<&str>, Option<&Schema>)> = match &schema.schema_kind {
                SchemaKind::Type(Type::Array(array)) => array
                    .items
                    .iter()
                    .map(|items| match items {
                        ReferenceOr::Reference { reference } => (Some(reference.as_str()), None),
                        ReferenceOr::Item(item) => (None, Some(item.as_ref())),
                    })
                    .collect(),
                SchemaKind::Type(Type::Object(object)) if object.properties.is_empty() => {
                    match &object.additional_properties {
                        Some(AdditionalProperties::Schema(values)) => match values.as_ref() {
                            ReferenceOr::Reference { reference } => {
                                vec![(Some(reference.as_str()), None)]
                            }
                            ReferenceOr::Item(item) => vec![(None, Some(item))],
                        },
                        _ => Vec::new(),
                    }
                }
                _ => Vec::new(),
            };
            for (reference, item) in next {
                if let Some(reference) = reference {
                    if component_name(reference).is_ok_and(|target| target == name) {
                        return true;
                    }
                    if seen.insert(reference.to_owned())
                        && let Some(target) = self.component(reference)
                    {
                        pending.push(target);
                    }
                }
                pending.extend(item);
            }
        }
        false
    }

    /// `oneOf` / `anyOf`: an enum with a variant per alternative. With a
    /// discriminator over component alternatives, decoding picks the
    /// variant by the discriminating member's value (its `mapping`, else
    /// the component's name); otherwise the first alternative that decodes
    /// wins. Encoding writes the alternative as it is.
    fn union(
        &mut self,
        name: &str,
        doc: &TokenStream,
        alternatives: &[ReferenceOr<Schema>],
        discriminator: Option<&openapiv3::Discriminator>,
    ) -> Result<TokenStream> {
        let type_name = type_ident(name);
        let mut variants = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        let mut tags = Vec::new();
        // The discriminator values a variant took already: a value two
        // variants' schemas allow (PagerDuty's runners share one `enum` of
        // runner types) goes to the first, whose schema takes it.
        let mut claimed = std::collections::BTreeSet::new();
        // The variants recursion boxes, as `boxes` decides: none inside an
        // array or a map (on the heap already).
        let holder = self.current.clone().filter(|_| self.on_heap == 0);
        let sizes: Vec<usize> = alternatives
            .iter()
            .map(|a| self.sizes.of(a, holder.as_deref()))
            .collect();
        let far_larger = super::size::Sizes::to_box(&sizes);
        for (index, alternative) in alternatives.iter().enumerate() {
            let (variant_name, component) = match alternative {
                ReferenceOr::Reference { reference } => {
                    let component = component_name(reference)?;
                    (
                        pascal_case(component),
                        Some((component, reference.as_str())),
                    )
                }
                ReferenceOr::Item(item) => (
                    item.schema_data
                        .title
                        .as_deref()
                        .map_or_else(|| format!("Variant{}", index + 1), pascal_case),
                    None,
                ),
            };
            let mut variant_name = variant_name;
            if variant_name.is_empty() || !seen.insert(variant_name.clone()) {
                variant_name = format!("Variant{}", index + 1);
                seen.insert(variant_name.clone());
            }
            let suggested = match alternative {
                ReferenceOr::Reference { .. } => variant_name.clone(),
                ReferenceOr::Item(_) => format!("{name}{variant_name}"),
            };
            let ty = self.type_of(&boxed(alternative), &suggested)?;
            // A variant far larger than the others is boxed (clippy's
            // `large_enum_variant`), unless recursion boxed it already.
            let ty = match component {
                Some((target, _)) if self.boxes(target) => ty,
                _ if far_larger[index] => quote! { ::std::boxed::Box<#ty> },
                _ => ty,
            };
            let variant = type_ident(&variant_name);
            if let (Some(discriminator), Some((component, reference))) = (discriminator, component)
            {
                let mapped: Vec<&String> = discriminator
                    .mapping
                    .iter()
                    .filter(|(_, target)| *target == reference || target.as_str() == component)
                    .map(|(value, _)| value)
                    .collect();
                // Without a mapping, OpenAPI names the variant by its schema's
                // name; specs that give the variant's property its own
                // values (OpenAI's `ActiveStatus` has `type: [active]`) are
                // answered with those, which are taken too.
                let values: Vec<String> = if mapped.is_empty() {
                    let mut values = vec![component.to_owned()];
                    values.extend(super::discriminators::own_values(
                        self.spec(),
                        component,
                        &discriminator.property_name,
                    ));
                    values.dedup();
                    values
                } else {
                    mapped.into_iter().cloned().collect()
                };
                let values: Vec<String> = values
                    .into_iter()
                    .filter(|value| claimed.insert(value.clone()))
                    .collect();
                if !values.is_empty() {
                    tags.push(quote! { #(Some(#values))|* => ::serde_json::from_value(value).map(Self::#variant), });
                }
            }
            // Integral doubles keep the integer form they travel in, as
            // members do (see `bindings_wire::double`).
            let serialize = (self.is_number(&boxed(alternative)) && !far_larger[index]).then(
                || quote! { #[serde(serialize_with = "::bindings_wire::double::serialize")] },
            );
            variants.push(quote! { #serialize #variant(#ty) });
        }
        let derive_deserialize = discriminator.is_none() || tags.len() != alternatives.len();
        let deserialize = if derive_deserialize {
            quote! { ::serde::Deserialize, }
        } else {
            TokenStream::new()
        };
        let dispatch = (!derive_deserialize).then(|| {
            let property = discriminator.map(|d| d.property_name.as_str()).unwrap_or_default();
            quote! {
                impl<'de> ::serde::Deserialize<'de> for #type_name {
                    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                        use ::serde::de::Error as _;
                        let value = ::serde_json::Value::deserialize(deserializer)?;
                        let tag = value.get(#property).and_then(::serde_json::Value::as_str).map(str::to_owned);
                        match tag.as_deref() {
                            #(#tags)*
                            Some(other) => return Err(D::Error::custom(format!("`{}` is not a known `{}`", other, #property))),
                            None => return Err(D::Error::custom(format!("the discriminator `{}` is missing", #property))),
                        }
                        .map_err(D::Error::custom)
                    }
                }
            }
        });
        Ok(quote! {
            #doc
            #[derive(Debug, Clone, PartialEq, ::serde::Serialize, #deserialize)]
            #[cfg_attr(feature = "schemars", derive(::schemars::JsonSchema))]
            #[serde(untagged)]
            pub enum #type_name { #(#variants),* }
            #dispatch

            /// As a parameter: the text is tried as a string, then as JSON
            /// (`5`, `true`, `[..]`).
            impl ::std::str::FromStr for #type_name {
                type Err = ::std::string::String;
                fn from_str(text: &str) -> ::std::result::Result<Self, ::std::string::String> {
                    ::serde_json::from_value(::serde_json::Value::String(text.to_owned()))
                        .or_else(|_| {
                            ::serde_json::from_str::<::serde_json::Value>(text)
                                .and_then(::serde_json::from_value)
                        })
                        .map_err(|_| format!("`{text}` is none of the alternatives"))
                }
            }

            /// As a parameter: a string alternative as it is, any other as JSON.
            impl ::std::fmt::Display for #type_name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    match ::serde_json::to_value(self) {
                        Ok(::serde_json::Value::String(text)) => f.write_str(&text),
                        Ok(other) => write!(f, "{other}"),
                        Err(_) => Err(::std::fmt::Error),
                    }
                }
            }
        })
    }

    fn object(
        &mut self,
        name: &str,
        doc: &TokenStream,
        object: &ObjectType,
    ) -> Result<TokenStream> {
        let type_name = type_ident(name);
        let mut fields = Vec::new();
        let mut constructor_args = Vec::new();
        let mut constructor_fields = Vec::new();
        let mut setters = Vec::new();
        let mut setter_names = std::collections::BTreeSet::new();
        let mut field_names = std::collections::BTreeSet::new();
        // (wire name, field, required, nullable, value type) for the
        // generated `Deserialize`.
        let mut decoded: Vec<(String, proc_macro2::Ident, bool, bool, TokenStream)> = Vec::new();
        let mut all_optional = true;
        let mut complex = false;
        for (member, schema) in &object.properties {
            let one_sided = one_sided(schema);
            let required = !one_sided && object.required.iter().any(|r| r == member);
            all_optional &= !required;
            let nullable = self.is_nullable(schema);
            let description = match schema {
                ReferenceOr::Item(schema) => schema.schema_data.description.as_deref(),
                ReferenceOr::Reference { .. } => None,
            };
            let field_doc = docs(description);
            let field_doc = if one_sided && object.required.iter().any(|r| r == member) {
                quote! {
                    #field_doc
                    #[doc = ""]
                    #[doc = " Required on one side of the wire only (`readOnly`: in answers; `writeOnly`: in requests), so optional here."]
                }
            } else {
                field_doc
            };
            let rust_type = self.type_of(schema, &format!("{name}{}", member_suffix(member)))?;
            let value_type = rust_type.clone();
            // Integral doubles keep the integer form they travel in (see
            // `bindings_wire::double`).
            let is_double = self.is_number(schema);
            // Members one Rust name apart (`domainName`, `domain_name`)
            // get a numbered field; each keeps its wire name.
            let mut field = ident(&snake_case(member));
            let mut counter = 2;
            while field_names.contains(&field.to_string()) {
                field = ident(&format!("{}_{counter}", snake_case(member)));
                counter += 1;
            }
            field_names.insert(field.to_string());
            decoded.push((
                member.clone(),
                field.clone(),
                required,
                nullable,
                rust_type.clone(),
            ));
            // serde names a field by its identifier without `r#`; any other
            // change (`self_`, `_9lives`, `trace_id`) needs the wire name.
            let rename = (field.to_string().trim_start_matches("r#") != member.as_str())
                .then(|| quote! { #[serde(rename = #member)] });
            let (field_type, serde): (TokenStream, TokenStream) = match (required, nullable) {
                (true, false) if is_double => (
                    rust_type,
                    quote! { #[serde(serialize_with = "::bindings_wire::double::serialize")] },
                ),
                (false, false) if is_double => (
                    quote! { ::std::option::Option<#rust_type> },
                    quote! {
                        #[serde(
                            default,
                            skip_serializing_if = "::std::option::Option::is_none",
                            serialize_with = "::bindings_wire::double::serialize_option",
                            deserialize_with = "::bindings_wire::non_null::deserialize"
                        )]
                    },
                ),
                (true, false) => (rust_type, quote! {}),
                (true, true) => (quote! { ::std::option::Option<#rust_type> }, quote! {}),
                (false, false) => (
                    quote! { ::std::option::Option<#rust_type> },
                    quote! {
                        #[serde(
                            default,
                            skip_serializing_if = "::std::option::Option::is_none",
                            deserialize_with = "::bindings_wire::non_null::deserialize"
                        )]
                    },
                ),
                (false, true) => {
                    let schemars_with =
                        format!("::std::option::Option<{rust_type}>").replace(' ', "");
                    (
                        quote! { ::std::option::Option<::std::option::Option<#rust_type>> },
                        quote! {
                            #[serde(default, skip_serializing_if = "::std::option::Option::is_none", with = "::bindings_wire::double_option")]
                            #[cfg_attr(feature = "schemars", schemars(with = #schemars_with))]
                        },
                    )
                }
            };
            complex |= type_complexity(&field_type) > COMPLEX_TYPE;
            // The constructor takes required members; optional ones start
            // absent and have a setter taking the value itself.
            match (required, nullable) {
                (true, _) => {
                    constructor_args.push(quote! { #field: #field_type });
                    constructor_fields.push(quote! { #field, });
                }
                (false, _) => {
                    let argument = if nullable {
                        quote! { ::std::option::Option<#value_type> }
                    } else {
                        value_type.clone()
                    };
                    setters.push(super::setter_method(
                        &field,
                        member,
                        &argument,
                        &mut setter_names,
                    ));
                    constructor_fields.push(quote! { #field: None, });
                }
            }
            fields.push(quote! {
                #field_doc
                #rename
                #serde
                pub #field: #field_type,
            });
        }
        // A member the spec names `additional_properties` keeps its name.
        let mut additional = String::from("additional_properties");
        while field_names.contains(&additional) {
            additional.push('_');
        }
        let additional = format_ident!("{additional}");
        // How members the spec does not list are read: kept as JSON, kept
        // as the `additionalProperties` type, or skipped.
        let mut keep_others: Option<TokenStream> = None;
        match &object.additional_properties {
            // OpenAPI allows members a schema does not list unless it says
            // `additionalProperties: false`: a newer server's members are
            // kept, so re-encoding an answer loses nothing.
            None | Some(AdditionalProperties::Any(true)) => {
                keep_others = Some(quote! { ::serde_json::Value });
                constructor_fields
                    .push(quote! { #additional: ::std::default::Default::default(), });
                fields.push(quote! {
                    /// Members the spec does not list, kept as received.
                    #[serde(flatten)]
                    pub #additional: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
                });
            }
            Some(AdditionalProperties::Schema(values)) => {
                let value = self.element_type_of(&boxed(values), &format!("{name}Value"))?;
                keep_others = Some(value.clone());
                constructor_fields
                    .push(quote! { #additional: ::std::default::Default::default(), });
                fields.push(quote! {
                    /// Members the spec does not list by name, each of the
                    /// `additionalProperties` schema.
                    #[serde(flatten)]
                    pub #additional: ::std::collections::BTreeMap<::std::string::String, #value>,
                });
            }
            _ => {}
        }
        let default = all_optional.then(|| quote! { Default, });
        let deserialize = deserialize_impl(
            &type_name,
            &decoded,
            keep_others.as_ref().map(|value| (&additional, value)),
        );
        // `#[non_exhaustive]` with a constructor and setters: a member the
        // spec adds later is a new setter, not a broken struct literal in
        // consumers' code (the compatibility policy, ARCHITECTURE.md).
        // An optional map of maps of maps is the spec's shape spelled out;
        // clippy's `type_complexity` would have it renamed.
        let allow = complex.then(|| quote! { #[allow(clippy::type_complexity)] });
        Ok(quote! {
            #doc
            #[derive(Debug, Clone, PartialEq, #default ::serde::Serialize)]
            #[cfg_attr(feature = "schemars", derive(::schemars::JsonSchema))]
            #[non_exhaustive]
            #allow
            pub struct #type_name { #(#fields)* }

            #deserialize

            impl #type_name {
                /// A value with the required members; optional ones absent.
                #[allow(clippy::too_many_arguments, clippy::new_without_default)]
                pub fn new(#(#constructor_args),*) -> Self {
                    Self { #(#constructor_fields)* }
                }
                #(#setters)*
            }
        })
    }

    /// Whether `schema`, or the component it names, is `nullable`.
    /// Whether the member's Rust type is a float: a number schema, or a
    /// reference to a number component (an alias of `f64` or `f32`).
    fn is_number(&self, schema: &ReferenceOr<Box<Schema>>) -> bool {
        let number =
            |schema: &Schema| matches!(schema.schema_kind, SchemaKind::Type(Type::Number(_)));
        match schema {
            ReferenceOr::Item(schema) => number(schema),
            ReferenceOr::Reference { reference } => self.component(reference).is_some_and(number),
        }
    }

    /// Whether `null` is a value of the schema: it says `nullable`, or it
    /// is a union one of whose alternatives does (PagerDuty's custom field
    /// `value`, `anyOf: [{type: object, nullable: true}, {type: string}]`),
    /// or an `allOf` every part of which does (PagerDuty Jira's
    /// `target_issue_type`, `allOf: [$ref: IssueType]`, a nullable object).
    pub(crate) fn is_nullable(&self, schema: &ReferenceOr<Box<Schema>>) -> bool {
        let schema = match schema {
            ReferenceOr::Item(schema) => Some(&**schema),
            ReferenceOr::Reference { reference } => self.component(reference),
        };
        schema.is_some_and(|schema| self.takes_null(schema, 0))
    }

    fn takes_null(&self, schema: &Schema, depth: usize) -> bool {
        if schema.schema_data.nullable {
            return true;
        }
        let nullable = |part: &ReferenceOr<Schema>| {
            let part = match part {
                ReferenceOr::Item(schema) => Some(schema),
                ReferenceOr::Reference { reference } => self.component(reference),
            };
            part.is_some_and(|part| self.takes_null(part, depth + 1))
        };
        depth < 8
            && match &schema.schema_kind {
                SchemaKind::OneOf { one_of: parts } | SchemaKind::AnyOf { any_of: parts } => {
                    parts.iter().any(nullable)
                }
                SchemaKind::AllOf { all_of } => !all_of.is_empty() && all_of.iter().all(nullable),
                _ => false,
            }
    }

    /// The type of an array's items or a map's values (on the heap):
    /// `Option` of it when the schema is nullable, since there `null` is a
    /// value the collection holds, not an absence.
    fn element_type_of(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        suggested: &str,
    ) -> Result<TokenStream> {
        let rust = self.on_heap(|types| types.type_of(schema, suggested))?;
        Ok(if self.is_nullable(schema) {
            quote! { ::std::option::Option<#rust> }
        } else {
            rust
        })
    }

    fn component(&self, reference: &str) -> Option<&'a Schema> {
        let name = component_name(reference).ok()?;
        self.spec.components.as_ref()?.schemas.get(name)?.as_item()
    }
}

/// Whether a member's own schema is `readOnly` or `writeOnly`: OpenAPI
/// (3.0.3, 4.7.25.1) makes such a member's `required` hold on one side of
/// the wire only, so the one type both sides share holds it as optional.
/// A `$ref`'s target is not looked into, as the server's body check
/// (`body_schemas.rs`) does not either.
fn one_sided(schema: &ReferenceOr<Box<Schema>>) -> bool {
    match schema {
        ReferenceOr::Item(schema) => schema.schema_data.read_only || schema.schema_data.write_only,
        ReferenceOr::Reference { .. } => false,
    }
}

/// `Deserialize` for an object struct, by `bindings_wire::deserialize_object!`
/// (one pass over the members, unknown ones kept; see there).
fn deserialize_impl(
    type_name: &proc_macro2::Ident,
    decoded: &[(String, proc_macro2::Ident, bool, bool, TokenStream)],
    keep_others: Option<(&proc_macro2::Ident, &TokenStream)>,
) -> TokenStream {
    let group = |want_required: bool, want_nullable: bool| {
        let members = decoded
            .iter()
            .filter(|(_, _, required, nullable, _)| {
                *required == want_required && *nullable == want_nullable
            })
            .map(|(wire, field, _, _, value)| quote! { #wire => #field: #value });
        quote! { [#(#members),*] }
    };
    let (required, required_nullable, optional, optional_nullable) = (
        group(true, false),
        group(true, true),
        group(false, false),
        group(false, true),
    );
    let others = match keep_others {
        Some((field, value)) => quote! { (#field: #value) },
        None => quote! { () },
    };
    quote! {
        ::bindings_wire::deserialize_object!(#type_name,
            required: #required,
            required_nullable: #required_nullable,
            optional: #optional,
            optional_nullable: #optional_nullable,
            others: #others);
    }
}

/// An integer schema's `format` as written.
fn integer_format(format: &VariantOrUnknownOrEmpty<IntegerFormat>) -> Option<&str> {
    match format {
        VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => Some("int32"),
        VariantOrUnknownOrEmpty::Item(IntegerFormat::Int64) => Some("int64"),
        VariantOrUnknownOrEmpty::Unknown(format) => Some(format),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

/// A schema as a member holds it (`openapiv3` boxes items only there).
fn boxed(schema: &ReferenceOr<Schema>) -> ReferenceOr<Box<Schema>> {
    match schema {
        ReferenceOr::Reference { reference } => ReferenceOr::Reference {
            reference: reference.clone(),
        },
        ReferenceOr::Item(item) => ReferenceOr::Item(Box::new(item.clone())),
    }
}

/// Whether a schema becomes an item of its own (struct, enum, newtype).
fn needs_item(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => {
            !object.properties.is_empty() || schema.schema_data.title.is_some()
        }
        SchemaKind::Type(Type::String(string)) => {
            schema
                .schema_data
                .extensions
                .contains_key("x-extensible-enum")
                || string.enumeration.iter().any(Option::is_some)
                || has_string_constraints(string)
                || openapi_source::spec::integer_string_format(string).is_some()
        }
        SchemaKind::Type(Type::Integer(integer)) => !integer.enumeration.is_empty(),
        SchemaKind::OneOf { one_of: variants } | SchemaKind::AnyOf { any_of: variants } => {
            !variants.is_empty()
        }
        _ => false,
    }
}

/// The Rust names of `spec`'s component schemas.
fn component_types(spec: &OpenAPI) -> std::collections::BTreeSet<String> {
    spec.components
        .iter()
        .flat_map(|components| components.schemas.keys())
        .map(|name| type_ident(name).to_string())
        .collect()
}

fn has_string_constraints(string: &openapiv3::StringType) -> bool {
    string.min_length.is_some() || string.max_length.is_some() || string.pattern.is_some()
}

/// The compiled pattern, once it compiles as ECMA-262.
fn compiled_pattern(pattern: &str) -> Result<regress::Regex> {
    regress::Regex::new(pattern)
        .with_context(|| format!("pattern `{pattern}` is not an ECMA-262 regular expression"))
}

/// `min_length: 32`, `max_length: 64`, `pattern: "..."`: the keywords of
/// a constrained string the spec gives, for `constrained_string!`.
fn string_keywords(string: &openapiv3::StringType) -> Result<Vec<TokenStream>> {
    let mut keywords = Vec::new();
    if let Some(min) = string.min_length {
        let min = proc_macro2::Literal::usize_unsuffixed(min);
        keywords.push(quote! { min_length: #min });
    }
    if let Some(max) = string.max_length {
        let max = proc_macro2::Literal::usize_unsuffixed(max);
        keywords.push(quote! { max_length: #max });
    }
    if let Some(pattern) = &string.pattern {
        compiled_pattern(pattern)?;
        keywords.push(quote! { pattern: #pattern });
    }
    Ok(keywords)
}

/// `minimum: 1`, `maximum: 10000`, `pattern: "..."`, `default: 100`: the
/// keywords of an integer string the spec gives, for `integer_string!`.
/// A bound the Rust type cannot hold is left out (the type's own bound is
/// the tighter one), and so is a default the other keywords refuse.
fn integer_string_keywords(
    schema: &Schema,
    string: &openapiv3::StringType,
    format: &str,
) -> Result<Vec<TokenStream>> {
    let (_, type_min, type_max) = openapi_source::spec::integer_type(Some(format));
    let representable = |value: &i128| (type_min..=type_max).contains(value);
    let bound = |key: &str| -> Result<Option<i128>> {
        let Some(value) = schema.schema_data.extensions.get(key) else {
            return Ok(None);
        };
        let bound = value
            .as_i64()
            .map(i128::from)
            .or_else(|| value.as_u64().map(i128::from))
            .with_context(|| {
                let keyword = key.trim_start_matches("x-");
                format!("`{keyword}` of an integer string is not an integer")
            })?;
        Ok(Some(bound).filter(representable))
    };
    let (min, max) = (bound("x-minimum")?, bound("x-maximum")?);
    let pattern = string
        .pattern
        .as_deref()
        .map(compiled_pattern)
        .transpose()?;
    let default = schema
        .schema_data
        .default
        .as_ref()
        .and_then(serde_json::Value::as_str)
        .filter(|text| {
            pattern
                .as_ref()
                .is_none_or(|regex| regex.find(text).is_some())
        })
        .and_then(|text| {
            text.parse::<i128>()
                .ok()
                .filter(|value| value.to_string() == text)
        })
        .filter(|value| representable(value) && min.is_none_or(|min| *value >= min))
        .filter(|value| max.is_none_or(|max| *value <= max));
    let literal = proc_macro2::Literal::i128_unsuffixed;
    let mut keywords = Vec::new();
    keywords.extend(min.map(literal).map(|min| quote! { minimum: #min }));
    keywords.extend(max.map(literal).map(|max| quote! { maximum: #max }));
    keywords.extend(string.pattern.as_deref().map(|p| quote! { pattern: #p }));
    keywords.extend(default.map(literal).map(|value| quote! { default: #value }));
    Ok(keywords)
}

/// `Variant = "value"` pairs of an open enum.
fn variants(schema: &Schema, values: &serde_json::Value) -> Result<Vec<TokenStream>> {
    let values = values
        .as_array()
        .context("x-extensible-enum must be a list")?;
    let names = variant_names(schema, values)?;
    values
        .iter()
        .zip(names)
        .map(|(value, name)| {
            let value = value
                .as_str()
                .context("x-extensible-enum values must be strings")?;
            Ok(quote! { #name = #value })
        })
        .collect()
}

/// Variant names: `x-enum-varnames` when usable, else the values in PascalCase.
fn variant_names(schema: &Schema, values: &[serde_json::Value]) -> Result<Vec<proc_macro2::Ident>> {
    let given = schema
        .schema_data
        .extensions
        .get("x-enum-varnames")
        .and_then(|names| super::varnames::usable(names, values).ok());
    if let Some(names) = given {
        return Ok(names.iter().map(|n| type_ident(n)).collect());
    }
    // Absent or unusable (lint's `generator-varnames-ignored` says why).
    let mut taken = std::collections::BTreeSet::new();
    let mut names = Vec::new();
    for (index, value) in values.iter().enumerate() {
        let text = value
            .as_str()
            .map_or_else(|| value.to_string(), str::to_owned);
        let mut name = type_ident(&value_variant_name(&text)).to_string();
        if name == "Unknown" {
            name = "UnknownValue".to_owned();
        }
        // Values that differ only in case or symbols (`a`, `A`; `a-b`,
        // `a_b`) get their position as a suffix.
        if taken.contains(&name) {
            name = format!("{name}{}", index + 1);
        }
        taken.insert(name.clone());
        names.push(name);
    }
    Ok(names.iter().map(|n| type_ident(n)).collect())
}

/// A variant name for an enum value that keeps what its symbols mean:
/// `+1` is `Plus1`, `-1` `Minus1`, `""` `Empty`, `>=` `GtEq`.
fn value_variant_name(text: &str) -> String {
    let spelled = |c: char| match c {
        '+' => Some("Plus"),
        '-' => Some("Minus"),
        '<' => Some("Lt"),
        '>' => Some("Gt"),
        '=' => Some("Eq"),
        '!' => Some("Not"),
        '*' => Some("Star"),
        '/' => Some("Slash"),
        '.' => Some("Dot"),
        '%' => Some("Percent"),
        '&' => Some("And"),
        '|' => Some("Or"),
        '@' => Some("At"),
        '#' => Some("Hash"),
        '$' => Some("Dollar"),
        '~' => Some("Tilde"),
        '^' => Some("Caret"),
        '?' => Some("Question"),
        ' ' => Some("Space"),
        '_' => Some("Underscore"),
        _ => None,
    };
    if text.is_empty() {
        return "Empty".to_owned();
    }
    if !pascal_case(text).is_empty() {
        // A leading sign is meaning, not a separator: `-1` and `1` differ.
        return match text.chars().next() {
            Some(sign @ ('+' | '-')) => format!("{} {text}", spelled(sign).unwrap_or_default()),
            _ => text.to_owned(),
        };
    }
    let words: Vec<&str> = text.chars().filter_map(spelled).collect();
    if words.is_empty() {
        "Value".to_owned()
    } else {
        words.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Scores as clippy's `type_complexity` does (qdrant's optional map of
    /// maps of maps scores 270 and fails; one map fewer passes).
    #[test]
    fn type_complexity_scores_like_clippy() {
        let three = quote! {
            ::std::option::Option<::std::collections::BTreeMap<::std::string::String,
                ::std::collections::BTreeMap<::std::string::String,
                    ::std::collections::BTreeMap<::std::string::String, Stats>>>>
        };
        assert_eq!(type_complexity(&three), 270);
        let two = quote! {
            ::std::option::Option<::std::collections::BTreeMap<::std::string::String,
                ::std::collections::BTreeMap<::std::string::String, Stats>>>
        };
        assert_eq!(type_complexity(&two), 170);
        assert_eq!(type_complexity(&quote! { i64 }), 10);
    }

    fn keywords(schema: serde_json::Value) -> Vec<String> {
        let schema: Schema = serde_json::from_value(schema).expect("a schema");
        let SchemaKind::Type(Type::String(string)) = &schema.schema_kind else {
            panic!("a string schema");
        };
        integer_string_keywords(&schema, string, "int32")
            .expect("keywords")
            .iter()
            .map(|keyword| keyword.to_string().replace(' ', ""))
            .collect()
    }

    #[test]
    fn an_integer_strings_keywords_are_the_ones_the_spec_gives() {
        let limit = serde_json::json!({"type": "string", "format": "int32", "x-minimum": 1,
            "x-maximum": 1000, "pattern": "^[1-9][0-9]{0,3}$", "default": "100"});
        assert_eq!(
            keywords(limit),
            [
                "minimum:1",
                "maximum:1000",
                "pattern:\"^[1-9][0-9]{0,3}$\"",
                "default:100"
            ]
        );
        assert_eq!(
            keywords(serde_json::json!({"type": "string", "format": "int32", "x-minimum": -5})),
            ["minimum:-5"]
        );
    }

    #[test]
    fn a_bound_the_type_cannot_hold_and_an_invalid_default_are_left_out() {
        let wide = serde_json::json!({"type": "string", "format": "int32",
            "x-maximum": 5_000_000_000_i64, "default": "100"});
        assert_eq!(keywords(wide), ["default:100"]);
        for default in ["0", "1001", "007", "-0", "x", "50"] {
            let schema = serde_json::json!({"type": "string", "format": "int32", "x-minimum": 1,
                "x-maximum": 1000, "pattern": "^[1-9][0-9]{2,3}$", "default": default});
            assert_eq!(keywords(schema).len(), 3, "default {default}");
        }
    }
}

//! The generator's own lint check: what it cannot turn into Rust, found by
//! rendering the crates in memory from the same model `generate` uses, so
//! that lint and `generate` refuse exactly the same specs at the same
//! `file:line:col`.

use std::path::PathBuf;

use anyhow::Result;
use openapi_lint::{Check, ExtraRule, Report, Rule, Severity};

use super::{
    ApiConfig, Code, Context, CrateKind, cli, client, error_pointer, model, normalize, render_rust,
    server, source_pointer, types,
};

/// A schema or operation the generator cannot turn into Rust.
pub static GENERATOR_SUPPORT: ExtraRule = ExtraRule {
    name: "generator-support",
    summary: "the generator turns every schema and operation into Rust",
    standard: Severity::Error,
    blocks_generation: true,
};

/// A schema that generates, but only as an untyped `serde_json::Value`.
pub static GENERATOR_UNTYPED: ExtraRule = ExtraRule {
    name: "generator-untyped",
    summary: "every schema gets a Rust type (not `serde_json::Value`)",
    standard: Severity::Warn,
    blocks_generation: false,
};

/// An operation that documents no answer for a request the generated
/// server refuses (an invalid one, or one without credentials), so the
/// server chooses RFC 9457 problem details.
pub static SERVER_REFUSAL_UNDOCUMENTED: ExtraRule = ExtraRule {
    name: "server-refusal-undocumented",
    summary: "every operation documents its answer to a request the server refuses",
    standard: Severity::Warn,
    blocks_generation: false,
};

/// An operation that needs credentials and documents 403 but no 401 for a
/// request without them (see `refusals.rs`).
pub static UNAUTHORIZED_UNDOCUMENTED: ExtraRule = ExtraRule {
    name: "unauthorized-undocumented",
    summary: "every operation that needs credentials documents its 401 (not only a 403)",
    standard: Severity::Warn,
    blocks_generation: false,
};

/// A form body with array or object members and no `encoding` for them:
/// no form writes them unambiguously (see `forms.rs`).
pub static FORM_BODY_AMBIGUOUS: ExtraRule = ExtraRule {
    name: "form-body-ambiguous",
    summary: "every form body member is a scalar, or says its `encoding`",
    standard: Severity::Warn,
    blocks_generation: false,
};

/// An object query parameter in `form` style with `explode`, or in
/// `deepObject` style, that has array or object members (see `forms.rs`).
pub static QUERY_OBJECT_AMBIGUOUS: ExtraRule = ExtraRule {
    name: "query-object-ambiguous",
    summary: "every member of an object query parameter written member by member (`form` with `explode`, or `deepObject`) is a scalar",
    standard: Severity::Warn,
    blocks_generation: false,
};

/// An array query parameter written as one value, or an array header,
/// that may be empty and whose items cannot be (see `forms.rs`).
pub static ARRAY_PARAMETER_EMPTY_AMBIGUOUS: ExtraRule = ExtraRule {
    name: "array-parameter-empty-ambiguous",
    summary: "every array query parameter written as one value, and every array header, says `minItems: 1` or allows an empty item",
    standard: Severity::Warn,
    blocks_generation: false,
};

/// An integer a request carries whose range neither its bounds nor a
/// standard format states (see `integers.rs`).
pub static INTEGER_RANGE_UNSTATED: ExtraRule = ExtraRule {
    name: "integer-range-unstated",
    summary: "every integer a request carries states its range (`minimum` and `maximum`, or `int32`/`int64`)",
    standard: Severity::Warn,
    blocks_generation: false,
};

/// A `format: float` number a request carries without both bounds (see
/// `integers.rs`).
pub static FLOAT_RANGE_UNSTATED: ExtraRule = ExtraRule {
    name: "float-range-unstated",
    summary: "every `format: float` number a request carries states its range (`minimum` and `maximum`)",
    standard: Severity::Warn,
    blocks_generation: false,
};

/// An operation on a path a `DELETE` removes that documents no answer for
/// a resource that is not there (see `deletions.rs`).
pub static NOT_FOUND_UNDOCUMENTED: ExtraRule = ExtraRule {
    name: "not-found-undocumented",
    summary: "every operation on a path a `DELETE` removes documents its answer once the resource is gone (404, 4XX or default)",
    standard: Severity::Warn,
    blocks_generation: false,
};

/// A discriminator without a mapping that names a variant by its schema's
/// name, where the variant's schema allows the property only other values
/// (see `discriminators.rs`).
pub static DISCRIMINATOR_VALUE_CONTRADICTION: ExtraRule = ExtraRule {
    name: "discriminator-value-contradiction",
    summary: "every variant a discriminator names implicitly (by its schema's name) allows that name as the property's value",
    standard: Severity::Warn,
    blocks_generation: false,
};

/// A discriminator whose property some variant does not require (see
/// `discriminator_optional.rs`).
pub static DISCRIMINATOR_PROPERTY_OPTIONAL: ExtraRule = ExtraRule {
    name: "discriminator-property-optional",
    summary: "every variant of a discriminated union requires the discriminator's property",
    standard: Severity::Warn,
    blocks_generation: false,
};

/// An operation whose only documented success is `101 Switching
/// Protocols` (see `upgrades.rs`).
pub static SUCCESS_IS_UPGRADE: ExtraRule = ExtraRule {
    name: "success-is-upgrade",
    summary: "every operation documents a success HTTP can read (2xx or 3xx), not only `101 Switching Protocols`",
    standard: Severity::Warn,
    blocks_generation: false,
};

/// A creating operation whose body takes the new item's identifier as any
/// string, where the parameter addressing the item is narrower (see
/// `identifiers.rs`).
pub static IDENTIFIER_WIDER_THAN_PARAMETER: ExtraRule = ExtraRule {
    name: "identifier-wider-than-parameter",
    summary: "an identifier a creating operation takes in its body (`id`, or named like the item's path parameter) is `readOnly` or no wider than the parameter that addresses the item",
    standard: Severity::Warn,
    blocks_generation: false,
};

/// A nullable schema whose `enum` does not list `null` (see
/// `nullable.rs`).
pub static NULLABLE_ENUM_WITHOUT_NULL: ExtraRule = ExtraRule {
    name: "nullable-enum-without-null",
    summary: "a nullable schema with an `enum` lists `null` in it",
    standard: Severity::Warn,
    blocks_generation: false,
};

/// `nullable: true` in one `allOf` part beside a part that refuses `null`
/// (see `nullable.rs`).
pub static NULLABLE_ALL_OF_PART: ExtraRule = ExtraRule {
    name: "nullable-all-of-part",
    summary: "`nullable: true` stands beside an `allOf`, not in one of its parts",
    standard: Severity::Warn,
    blocks_generation: false,
};

/// A header parameter HTTP reads itself to frame or route the request
/// (see `framing.rs`).
pub static FRAMING_HEADER_PARAMETER: ExtraRule = ExtraRule {
    name: "framing-header-parameter",
    summary: "no parameter is a header HTTP frames or routes the request by (`Content-Length`, `Transfer-Encoding`, `Connection`, `Host`)",
    standard: Severity::Warn,
    blocks_generation: false,
};

/// A header parameter OpenAPI says SHALL be ignored (see `framing.rs`).
pub static RESERVED_HEADER_PARAMETER: ExtraRule = ExtraRule {
    name: "reserved-header-parameter",
    summary: "no header parameter is named `Accept`, `Content-Type` or `Authorization`, which OpenAPI says SHALL be ignored",
    standard: Severity::Warn,
    blocks_generation: false,
};

/// A schema with `properties` and no `type`, read as an object (see
/// `object_types.rs`).
pub static OBJECT_TYPE_IMPLIED: ExtraRule = ExtraRule {
    name: "object-type-implied",
    summary: "a schema with `properties` says `type: object`",
    standard: Severity::Warn,
    blocks_generation: false,
};

/// A schema with keywords of a type it does not have (see
/// `type_keywords.rs`).
pub static KEYWORD_OF_ANOTHER_TYPE: ExtraRule = ExtraRule {
    name: "keyword-of-another-type",
    summary: "a schema with a `type` has only keywords that constrain that type (no `uniqueItems` on a string)",
    standard: Severity::Warn,
    blocks_generation: false,
};

/// A string with an integer `format` and no `pattern` (see
/// `type_keywords.rs`).
pub static INTEGER_FORMAT_ON_STRING: ExtraRule = ExtraRule {
    name: "integer-format-on-string",
    summary: "a string with an integer `format` (`int64`) says which text it takes by a `pattern`",
    standard: Severity::Warn,
    blocks_generation: false,
};

/// A request body the generated server reads by its type alone, its
/// schema not compiling (see `body_schemas.rs`).
pub static GENERATOR_BODY_UNCHECKED: ExtraRule = ExtraRule {
    name: "generator-body-unchecked",
    summary: "every request body's schema compiles as JSON Schema, so that the generated server checks bodies against it",
    standard: Severity::Warn,
    blocks_generation: false,
};

/// A schema `default` its own schema refuses, left out of the generated
/// code.
pub static GENERATOR_DEFAULT_DROPPED: ExtraRule = ExtraRule {
    name: "generator-default-dropped",
    summary: "every schema `default` fits its schema, so the generated field has it",
    standard: Severity::Warn,
    blocks_generation: false,
};

/// An `x-enum-varnames` that cannot name its enum's variants (a count that
/// differs, names that collide in Rust): the variants are named from their
/// values instead.
pub static GENERATOR_VARNAMES_IGNORED: ExtraRule = ExtraRule {
    name: "generator-varnames-ignored",
    summary: "every `x-enum-varnames` names each value once, with distinct Rust names",
    standard: Severity::Warn,
    blocks_generation: false,
};

/// The generator's support check, for [`openapi_lint::lint_file_with`].
#[derive(Debug, Clone, Copy, Default)]
pub struct SupportCheck;

impl SupportCheck {
    /// The rules it reports under.
    pub const RULES: &'static [&'static ExtraRule] = &[
        &GENERATOR_SUPPORT,
        &GENERATOR_UNTYPED,
        &SERVER_REFUSAL_UNDOCUMENTED,
        &UNAUTHORIZED_UNDOCUMENTED,
        &FORM_BODY_AMBIGUOUS,
        &QUERY_OBJECT_AMBIGUOUS,
        &ARRAY_PARAMETER_EMPTY_AMBIGUOUS,
        &INTEGER_RANGE_UNSTATED,
        &FLOAT_RANGE_UNSTATED,
        &NOT_FOUND_UNDOCUMENTED,
        &DISCRIMINATOR_VALUE_CONTRADICTION,
        &SUCCESS_IS_UPGRADE,
        &DISCRIMINATOR_PROPERTY_OPTIONAL,
        &IDENTIFIER_WIDER_THAN_PARAMETER,
        &NULLABLE_ENUM_WITHOUT_NULL,
        &NULLABLE_ALL_OF_PART,
        &OBJECT_TYPE_IMPLIED,
        &KEYWORD_OF_ANOTHER_TYPE,
        &INTEGER_FORMAT_ON_STRING,
        &FRAMING_HEADER_PARAMETER,
        &RESERVED_HEADER_PARAMETER,
        &GENERATOR_DEFAULT_DROPPED,
        &GENERATOR_VARNAMES_IGNORED,
        &GENERATOR_BODY_UNCHECKED,
    ];
}

impl Check for SupportCheck {
    fn rules(&self) -> &'static [&'static ExtraRule] {
        Self::RULES
    }

    fn check(&self, report: &mut Report<'_>) {
        let (errors, untyped, unchecked) = support_problems(report.root());
        for (pointer, message) in errors {
            report.at(&pointer, Rule::Extra(&GENERATOR_SUPPORT), message);
        }
        for (pointer, message) in unchecked {
            report.at(&pointer, Rule::Extra(&GENERATOR_BODY_UNCHECKED), message);
        }
        for (pointer, message) in untyped {
            report.at(&pointer, Rule::Extra(&GENERATOR_UNTYPED), message);
        }
        for (pointer, message) in report.version_notes() {
            report.at(pointer, Rule::Extra(&GENERATOR_UNTYPED), message.clone());
        }
        let root = report.root();
        let located: [(&'static ExtraRule, Vec<Located>); 21] = [
            (
                &GENERATOR_DEFAULT_DROPPED,
                super::defaults::nonconforming(root),
            ),
            (&GENERATOR_VARNAMES_IGNORED, super::varnames::ignored(root)),
            (
                &FORM_BODY_AMBIGUOUS,
                super::forms::ambiguous(root)
                    .into_iter()
                    .map(|a| (a.pointer, a.message))
                    .collect(),
            ),
            (
                &INTEGER_RANGE_UNSTATED,
                super::integers::unstated(root)
                    .into_iter()
                    .map(|u| (u.pointer, u.message))
                    .collect(),
            ),
            (
                &FLOAT_RANGE_UNSTATED,
                super::integers::unstated_floats(root)
                    .into_iter()
                    .map(|u| (u.pointer, u.message))
                    .collect(),
            ),
            (
                &DISCRIMINATOR_VALUE_CONTRADICTION,
                super::discriminators::contradictions(root)
                    .into_iter()
                    .map(|c| (c.pointer, c.message))
                    .collect(),
            ),
            (
                &NOT_FOUND_UNDOCUMENTED,
                super::deletions::unanswerable(root)
                    .into_iter()
                    .map(|u| (u.pointer, u.message))
                    .collect(),
            ),
            (
                &DISCRIMINATOR_PROPERTY_OPTIONAL,
                super::discriminator_optional::optional_properties(root)
                    .into_iter()
                    .map(|o| (o.pointer, o.message))
                    .collect(),
            ),
            (
                &SUCCESS_IS_UPGRADE,
                super::upgrades::upgrade_only(root)
                    .into_iter()
                    .map(|u| (u.pointer, u.message))
                    .collect(),
            ),
            (
                &IDENTIFIER_WIDER_THAN_PARAMETER,
                super::identifiers::wider_identifiers(root)
                    .into_iter()
                    .map(|w| (w.pointer, w.message))
                    .collect(),
            ),
            (
                &NULLABLE_ENUM_WITHOUT_NULL,
                super::nullable::nullable_enums(root)
                    .into_iter()
                    .map(|n| (n.pointer, n.message))
                    .collect(),
            ),
            (
                &NULLABLE_ALL_OF_PART,
                super::nullable::nullable_all_of_parts(root)
                    .into_iter()
                    .map(|n| (n.pointer, n.message))
                    .collect(),
            ),
            (
                &FRAMING_HEADER_PARAMETER,
                super::framing::framing_parameters(root)
                    .into_iter()
                    .map(|f| (f.pointer, f.message))
                    .collect(),
            ),
            (
                &RESERVED_HEADER_PARAMETER,
                super::framing::reserved_parameters(root)
                    .into_iter()
                    .map(|f| (f.pointer, f.message))
                    .collect(),
            ),
            (
                &OBJECT_TYPE_IMPLIED,
                super::object_types::implied(root)
                    .into_iter()
                    .map(|i| (i.pointer, i.message))
                    .collect(),
            ),
            (
                &KEYWORD_OF_ANOTHER_TYPE,
                super::type_keywords::misplaced(root)
                    .into_iter()
                    .map(|m| (m.pointer, m.message))
                    .collect(),
            ),
            (
                &INTEGER_FORMAT_ON_STRING,
                super::type_keywords::integer_formats_on_strings(root)
                    .into_iter()
                    .map(|m| (m.pointer, m.message))
                    .collect(),
            ),
            (
                &SERVER_REFUSAL_UNDOCUMENTED,
                super::refusals::undocumented(root)
                    .into_iter()
                    .map(|u| (u.pointer, u.message))
                    .collect(),
            ),
            (
                &QUERY_OBJECT_AMBIGUOUS,
                super::forms::ambiguous_query_objects(root)
                    .into_iter()
                    .map(|a| (a.pointer, a.message))
                    .collect(),
            ),
            (
                &ARRAY_PARAMETER_EMPTY_AMBIGUOUS,
                super::forms::ambiguous_empty_arrays(root)
                    .into_iter()
                    .map(|a| (a.pointer, a.message))
                    .collect(),
            ),
            (
                &UNAUTHORIZED_UNDOCUMENTED,
                super::refusals::forbidden_only(root)
                    .into_iter()
                    .map(|u| (u.pointer, u.message))
                    .collect(),
            ),
        ];
        for (rule, found) in located {
            for (pointer, message) in found {
                report.at(&pointer, Rule::Extra(rule), message);
            }
        }
    }
}

/// A JSON Pointer into the spec as written, and what is wrong there.
type Located = (String, String);

/// What the generator cannot turn into Rust in the parsed spec `raw`:
/// errors from rendering the three crates in memory (a panic in
/// progenitor or typify included), then shapes that render but lose their
/// types, then request bodies the server cannot check against their
/// schema.
fn support_problems(raw: &serde_json::Value) -> (Vec<Located>, Vec<Located>, Vec<Located>) {
    let (model, spec) = match model(raw.clone()) {
        Ok(model) => model,
        Err(error) => {
            let error = vec![(String::new(), format!("{error:#}"))];
            return (error, Vec::new(), Vec::new());
        }
    };
    let api = ApiConfig::new("lint", PathBuf::from("spec.yaml"));
    let tags = super::tags::TagFeatures::of(&model);
    let ctx = Context {
        api: &api,
        spec: &spec,
        raw: &model,
        spec_path: "spec.yaml",
        tags: &tags,
    };
    let mut errors = Vec::new();
    let webhooks = |kind| {
        super::webhooks::render(&ctx, kind)
            .map(|code| code.unwrap_or_else(|| proc_macro2::TokenStream::new().into()))
    };
    let renders: [(&str, &dyn Fn() -> Result<Code>); 6] = [
        ("types", &|| types::generate(&spec, &tags)),
        ("client", &|| client::generate(&ctx)),
        ("command line", &|| cli::generate(&ctx).map(Code::from)),
        ("server", &|| server::generate(&ctx)),
        ("client (its webhook receiver)", &|| {
            webhooks(CrateKind::Client)
        }),
        ("server (its webhook sender)", &|| {
            webhooks(CrateKind::Server)
        }),
    ];
    for (what, render) in renders {
        if what == "command line" && !errors.is_empty() {
            // The same engine as the client: the same failure again.
            continue;
        }
        let result = client::guarded(|| render().and_then(|code| render_rust(&ctx, code)));
        let error = match result {
            Ok(Ok(_)) => continue,
            Ok(Err(error)) => error,
            Err(panic) => anyhow::anyhow!("the generator panicked: {panic}"),
        };
        let pointer = error_pointer(&error).map(|p| source_pointer(&model, p));
        let message = error
            .chain()
            .map(ToString::to_string)
            .filter(|text| !text.starts_with("at /"))
            .collect::<Vec<_>>()
            .join(": ");
        errors.push((
            pointer.unwrap_or_default(),
            format!("the {what} crate cannot be generated: {message}"),
        ));
    }
    let unchecked = super::body_schemas::unchecked_bodies(&model);
    (errors, normalize::untyped_shapes(&model), unchecked)
}

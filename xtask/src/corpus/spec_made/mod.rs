//! schemathesis failures the spec itself makes unavoidable, each named by
//! the lint rule that reports its cause (issue #28: "any failure left is
//! one the spec itself makes unavoidable, named ... with the lint warning
//! that reports it"). Only what the spec decides counts:
//!
//! - ST103 (an undocumented status) for a 400/422 of an operation that
//!   documents no answer to an invalid request, or a 401/403 of one that
//!   needs credentials and documents no answer without them: the server
//!   must refuse the request and the spec gives it no documented status
//!   (`server-refusal-undocumented`).
//! - ST103 of an operation whose `responses` is empty: no status is
//!   documented at all (`responses-empty`).
//! - ST201 or ST202 of a form request to an operation whose form body has
//!   array or object members without an `encoding`: a form writes an
//!   array of one item as a string, an empty one as nothing, an object in
//!   no standard way, so the server cannot tell a valid request from an
//!   invalid one (`form-body-ambiguous`).
//! - ST201 or ST202 of an object query parameter written member by
//!   member (`form`, `explode`) that has array or object members, whose
//!   writing OpenAPI leaves undefined: schemathesis writes an empty one
//!   `name=`, which the server reads as a string
//!   (`query-object-ambiguous`).
//! - ST201 of an array query parameter written as one value (`form`
//!   without `explode`, `pipeDelimited`), or an array header, that may be
//!   empty and whose items cannot be, sent empty (`name=`, `-H 'Name;'`):
//!   the bytes of both the empty array, which the server accepts, and of
//!   an array of one empty item, which schemathesis meant
//!   (`array-parameter-empty-ambiguous`).
//! - ST202 refused for a parameter that is a string with an integer
//!   `format` and no `pattern` (influxdb's `seconds`): schemathesis takes
//!   any text, the server an integer's (`integer-format-on-string`).
//! - ST202 refused for an integer past its Rust type, of an operation that
//!   takes integers whose range the spec does not state: the server's type
//!   comes from the `format` (or none), and schemathesis reads neither
//!   (`integer-range-unstated`). So a `format: float` number past an
//!   `f32`, where no bounds state the range (`float-range-unstated`).
//! - ST108 (an answer that breaks its schema) where the schema schemathesis
//!   names contradicts itself (an `enum` of integers for a string): no
//!   answer fits it (`constraint-contradiction`). So is ST101 (a server
//!   error) where the mock could make no answer of a status that decodes,
//!   and that status's schema contradicts itself.
//! - Any check of a `101 Switching Protocols` answer to an operation whose
//!   only success is that upgrade: what follows is not HTTP, which
//!   schemathesis cannot read (`success-is-upgrade`).
//! - ST202 refused for a missing discriminator property that some variant
//!   does not require: the body fits the schema, but no reader can tell
//!   its variant (`discriminator-property-optional`).
//! - ST111 (a discriminator value its mapping does not know) where the
//!   spec names a variant implicitly but gives its property other values:
//!   the answer carries the variant's own value, which schemathesis reads
//!   against the schema names (`discriminator-value-contradiction`).
//! - ST202 in a stateful test, refused for the path parameter of an item
//!   whose creating operation took its identifier as any string: the test
//!   addressed the item by the key it sent (`identifier-wider-than-parameter`).
//! - Any check of a stateful test whose path holds an array's Python text
//!   (`%5B'a',%20'b'%5D`) where the spec creates an item with an array or
//!   object key and addresses it by one path segment: the test made the
//!   path from the key, in no way the spec states
//!   (`identifier-wider-than-parameter`).
//! - ST202 refused for its body's media type where the operation
//!   declares a `Content-Type` header parameter, whose value schemathesis
//!   sends in place of the body's (`reserved-header-parameter`).
//! - ST201 accepting `null` for a body member whose schema is nullable
//!   with an `enum` that does not list `null`: OpenAPI 3.0.3's text takes
//!   it, its clarification and schemathesis do not
//!   (`nullable-enum-without-null`).
//! - ST201 accepting `null` for a body member whose `allOf` says
//!   `nullable: true` in one part beside a part that refuses `null`: the
//!   author means a nullable reference, JSON Schema refuses `null`
//!   (`nullable-all-of-part`).
//! - ST201 or ST202 of a parameter whose schema contradicts itself (an
//!   integer whose `enum` lists strings: no value fits it), so that no
//!   server can take the values the spec means and refuse the others by
//!   it, and ST202 of a body whose schema does (a `required` member that
//!   `additionalProperties: false` forbids): no body is valid
//!   (`constraint-contradiction`).
//! - ST104, ST105, ST108 or ST109 of a 204 (205, 304, 1xx) answer whose
//!   response the operation documents with content: HTTP sends those
//!   statuses without any (`bodyless-status-content`).
//! - ST108 of an answer that fits two variants of a `oneOf` where one
//!   variant's every value fits another (influxdb's
//!   `DashboardWithViewProperties` within `Dashboard`): the answer is a
//!   value of the `oneOf`'s variant, and no value of that variant fits the
//!   `oneOf` (`one-of-overlap`).
//! - ST202, or ST103 of its 400, in a stateful test, refused for a path
//!   parameter whose schema on that path differs from the same
//!   parameter's on another (SendGrid's `template_id`: any string on the
//!   template, a UUID on its versions): the test carried a value one path
//!   takes to the other (`path-parameter-inconsistent`).
//! - ST202 (a valid request refused), or ST302 (an item just created
//!   not found), answered with a status the operation documents where it
//!   documents no answer a valid request gets, no 1xx, 2xx, 3xx or
//!   `default` (`success-undocumented`).
//! - ST203 (a missing `Authorization` answered other than 401) answered
//!   403 by an operation that documents 403 and no 401 for a request
//!   without credentials: the server answers as the spec documents
//!   (`unauthorized-undocumented`).
//! - ST301 (a deleted resource still there) of an operation, on the
//!   deleted path or under it, that documents no answer for a resource
//!   that is not there (404, 4XX or default):
//!   the server has no documented way to say it is gone
//!   (`not-found-undocumented`).
//!
//! Errors (schemathesis could not test an operation) count likewise
//! ([`count_errors`]): a `Schema Error` making no value of a parameter
//! whose schema contradicts itself, or a failed health check (values
//! made filtered out) of an operation with such a parameter
//! (`constraint-contradiction`), and a
//! read timed out of an operation with a `Content-Length` parameter,
//! whose value a test sets unlike the body's length, so the server waits
//! for bytes that never come (`framing-header-parameter`), and links
//! refused where a link leads to no operation (`link-target-unknown`).
//!
//! Everything else is the generated server's or mock's to fix.

mod answers;
mod bodies;
mod errors;
mod forms;
mod identifiers;
mod integers;
mod locate;
mod parameters;
mod refusals;

use serde_json::Value;

use super::schemathesis::{ErrorCase, Failure};
use bindings_codegen::generate::{
    ambiguous_forms, not_found_unanswerable, undocumented_refusals, unstated_integers,
};

/// What the spec's lint findings say of its operations, found once per
/// spec and asked of each failure.
struct Causes {
    refusals: Vec<bindings_codegen::generate::Undocumented>,
    forbidden: Vec<bindings_codegen::generate::Undocumented>,
    inconsistent: Vec<openapi_lint::Inconsistent>,
    forms: Vec<bindings_codegen::generate::Ambiguous>,
    query_objects: Vec<bindings_codegen::generate::Ambiguous>,
    empty_arrays: Vec<bindings_codegen::generate::Ambiguous>,
    integers: Vec<bindings_codegen::generate::Unstated>,
    floats: Vec<bindings_codegen::generate::Unstated>,
    deletions: Vec<bindings_codegen::generate::Unanswerable>,
    contradictions: openapi_lint::Contradictions,
    discriminators: Vec<bindings_codegen::generate::DiscriminatorContradiction>,
    upgrades: Vec<bindings_codegen::generate::UpgradeOnly>,
    optional_tags: Vec<bindings_codegen::generate::OptionalProperty>,
    identifiers: Vec<bindings_codegen::generate::WiderIdentifier>,
    nullable_enums: Vec<bindings_codegen::generate::Nullable>,
    nullable_parts: Vec<bindings_codegen::generate::Nullable>,
    implied_objects: Vec<bindings_codegen::generate::ImpliedObject>,
    framing: Vec<bindings_codegen::generate::FramingParameter>,
    reserved: Vec<bindings_codegen::generate::FramingParameter>,
    /// The spec as written (schemathesis reads it so: its `allOf`s not
    /// merged), and its contradictions, where known.
    written: Option<(Value, openapi_lint::Contradictions)>,
}

impl Causes {
    fn of(spec: &Value) -> Causes {
        Causes {
            refusals: undocumented_refusals(spec),
            forbidden: bindings_codegen::generate::forbidden_only(spec),
            inconsistent: openapi_lint::inconsistent_path_parameters(spec),
            forms: ambiguous_forms(spec),
            query_objects: bindings_codegen::generate::ambiguous_query_objects(spec),
            empty_arrays: bindings_codegen::generate::ambiguous_empty_arrays(spec),
            integers: unstated_integers(spec),
            floats: bindings_codegen::generate::unstated_floats(spec),
            deletions: not_found_unanswerable(spec),
            contradictions: openapi_lint::Contradictions::new(spec),
            discriminators: bindings_codegen::generate::discriminator_contradictions(spec),
            upgrades: bindings_codegen::generate::upgrade_only(spec),
            optional_tags: bindings_codegen::generate::optional_properties(spec),
            identifiers: bindings_codegen::generate::wider_identifiers(spec),
            nullable_enums: bindings_codegen::generate::nullable_enums(spec),
            nullable_parts: bindings_codegen::generate::nullable_all_of_parts(spec),
            implied_objects: bindings_codegen::generate::implied_objects(spec),
            framing: bindings_codegen::generate::framing_parameters(spec),
            reserved: bindings_codegen::generate::reserved_parameters(spec),
            written: None,
        }
    }
}

/// One failure, of the operation it is of, asked of the spec's causes.
struct Case<'a> {
    spec: &'a Value,
    causes: &'a Causes,
    /// The operation's method (lower case) and path template.
    method: String,
    path: String,
    failure: &'a Failure,
}

impl Case<'_> {
    /// Whether the failure is of one of `checks` (`ST202`).
    fn check_is(&self, checks: &[&str]) -> bool {
        checks.contains(&self.failure.check.as_str())
    }

    /// Its spec, causes, method, path and failure, for a test that reads
    /// them all.
    fn parts(&self) -> (&Value, &Causes, &str, &str, &Failure) {
        let Case {
            spec,
            causes,
            failure,
            ..
        } = *self;
        (spec, causes, &self.method, &self.path, failure)
    }

    /// Whether a finding at `path` and `method` is of this operation.
    fn is_of(&self, path: &str, method: &str) -> bool {
        self.path == path && self.method == method
    }
}

/// Whether a failure is one a rule explains.
type Fits = fn(&Case) -> bool;

/// Each rule with the test of a failure it explains, asked in turn: the
/// first that fits names the failure.
const RULES: [(&str, Fits); 26] = [
    ("form-body-ambiguous", forms::form_ambiguous),
    ("query-object-ambiguous", forms::query_object_ambiguous),
    (
        "array-parameter-empty-ambiguous",
        forms::array_parameter_empty,
    ),
    ("integer-format-on-string", parameters::integer_string),
    ("integer-range-unstated", integers::past_its_type),
    ("float-range-unstated", integers::float_past_f32),
    ("constraint-contradiction", answers::schema_contradicts),
    ("constraint-contradiction", parameters::contradicting),
    ("constraint-contradiction", bodies::body_contradicts),
    ("bodyless-status-content", answers::bodyless_content),
    ("one-of-overlap", answers::one_of_overlapping),
    (
        "discriminator-value-contradiction",
        answers::discriminator_contradicted,
    ),
    ("success-is-upgrade", answers::upgraded),
    (
        "discriminator-property-optional",
        bodies::discriminator_missing,
    ),
    (
        "identifier-wider-than-parameter",
        identifiers::wider_identifier,
    ),
    ("framing-header-parameter", parameters::framing_header),
    (
        "reserved-header-parameter",
        parameters::content_type_missing,
    ),
    (
        "reserved-header-parameter",
        parameters::content_type_replaced,
    ),
    ("object-type-implied", bodies::object_implied),
    ("nullable-enum-without-null", bodies::nullable_enum),
    ("nullable-all-of-part", bodies::nullable_all_of_part),
    ("constraint-contradiction", answers::undecodable),
    (
        "path-parameter-inconsistent",
        identifiers::inconsistent_parameter,
    ),
    ("success-undocumented", refusals::success_undocumented),
    (
        "unauthorized-undocumented",
        refusals::unauthorized_undocumented,
    ),
    ("not-found-undocumented", refusals::not_found_undocumented),
];

/// The lint rule of a failure the spec makes unavoidable.
pub fn explain(spec: &Value, failure: &Failure) -> Option<&'static str> {
    explain_by(spec, &Causes::of(spec), failure)
}

fn explain_by(spec: &Value, causes: &Causes, failure: &Failure) -> Option<&'static str> {
    // A path of the test's own making is of no operation.
    if identifiers::composite_key_in_path(causes, failure) {
        return Some("identifier-wider-than-parameter");
    }
    if refusals::allow_of_identical_paths(spec, failure) {
        return Some("path-template-duplicate");
    }
    let (method, path) = locate::operation_of(spec, failure)?;
    let case = Case {
        spec,
        causes,
        method,
        path,
        failure,
    };
    RULES
        .iter()
        .find(|(_, fits)| fits(&case))
        .map(|(rule, _)| *rule)
        .or_else(|| refusals::undocumented_status(&case))
}

/// The failures of `each` the spec explains, counted by rule.
pub fn count(
    spec: &Value,
    written: Option<&Value>,
    each: &[Failure],
) -> Vec<(&'static str, usize)> {
    tally_rules(rules(spec, written, each))
}

/// The rules of [`rules`]' answer, counted (those of failures the spec
/// explains).
pub fn tally_rules(rules: Vec<Option<&'static str>>) -> Vec<(&'static str, usize)> {
    tally(rules.into_iter().flatten())
}

/// Each rule of `rules` with how many times it comes, in the order each
/// first comes.
fn tally(rules: impl Iterator<Item = &'static str>) -> Vec<(&'static str, usize)> {
    let mut counts: Vec<(&'static str, usize)> = Vec::new();
    for rule in rules {
        match counts.iter_mut().find(|(name, _)| *name == rule) {
            Some((_, n)) => *n += 1,
            None => counts.push((rule, 1)),
        }
    }
    counts
}

/// The lint rule of each of `each` that the spec makes unavoidable, in
/// order (`None` for the rest). `spec` is the generator's model of it;
/// `written`, the spec as written, where schemathesis' pointers into it
/// name schemas the model has merged.
pub fn rules(spec: &Value, written: Option<&Value>, each: &[Failure]) -> Vec<Option<&'static str>> {
    let mut causes = Causes::of(spec);
    if let Some(written) = written {
        // The model says `type: object` where the spec implied it, and
        // has merged the `allOf`s.
        causes.implied_objects = bindings_codegen::generate::implied_objects(written);
        causes.nullable_parts = bindings_codegen::generate::nullable_all_of_parts(written);
    }
    causes.written = written.map(|w| (w.clone(), openapi_lint::Contradictions::new(w)));
    each.iter()
        .map(|failure| explain_by(spec, &causes, failure))
        .collect()
}

/// The errors of `each` the spec explains, counted by rule.
pub fn count_errors(spec: &Value, each: &[ErrorCase]) -> Vec<(&'static str, usize)> {
    let causes = Causes::of(spec);
    tally(each.iter().filter_map(|e| errors::rule(spec, &causes, e)))
}

#[cfg(test)]
fn failure(operation: &str, check: &str, received: u16) -> Failure {
    Failure {
        operation: operation.into(),
        check: check.into(),
        received: Some(received),
        media: None,
        answer: String::new(),
        request: None,
        body: None,
        component: None,
        schema_at: None,
        violation: None,
        discriminator: None,
        target: None,
        reason: None,
        case: None,
        empty_headers: Vec::new(),
    }
}

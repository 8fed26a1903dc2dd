//! An OpenAPI 3.0 linter: [`lint_file`] reads a spec (bounded, located)
//! and checks it against the built-in rules plus any [`Check`] the caller
//! adds ([`lint_file_with`]); [`output`] prints findings as text, JSON,
//! SARIF or GitHub Actions annotations.
//!
//! Each rule has a stable kebab-case name ([`Rule::name`]) that tools and
//! fixtures rely on. A finding points at the offending node of the YAML file
//! as `path:line:col: rule: message`.
//!
//! Rules come in two rulesets ([`Ruleset`]): `standard`, what OpenAPI 3.0
//! itself requires plus correctness any tool should flag, and `project`,
//! which adds this project's house style. Each rule's severity can be
//! changed per spec ([`LintConfig`]).
//!
//! ```
//! use std::path::Path;
//! use openapi_lint::{LintConfig, Ruleset, lint_text};
//!
//! let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";
//! let findings = lint_text(Path::new("api.yaml"), spec, &LintConfig::new(Ruleset::Standard));
//! assert!(findings.is_empty());
//! ```

mod consistency;
mod containment;
mod decimal;
mod examples;
mod extensions;
mod links;
mod oas_schema;
mod operations;
mod path_parameters;
mod paths;
pub use links::unknown_link_targets;
pub use path_parameters::{Inconsistent, inconsistent_path_parameters};
pub use paths::{Duplicate, duplicate_templates};
pub mod output;
mod refs;
pub use refs::CONTENT_SCHEMA;
pub use schemas::SchemaSites;
mod schemas;
mod servers;
mod structure;
pub mod testing;
mod values;

pub use consistency::{Contradiction, Contradictions};
pub use examples::{Discriminated, to_json_schema, to_json_schema_reading};
pub use values::{
    CompiledSchema, Mismatch, SchemaValidator, absolute_json_schema, json_schema_document,
};

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use openapi_source::version::Note;
use openapi_source::{Position, SourceDoc};

/// The rules, each with a stable name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// The file could not be read.
    UnreadableFile,
    /// The file is not valid YAML.
    YamlSyntax,
    /// The YAML is not an OpenAPI document at all.
    NotOpenapi,
    /// The `openapi` version is not 3.0.x.
    OpenapiVersion,
    /// The document does not have the structure OpenAPI 3.0 requires.
    OpenapiStructure,
    /// A 3.1 or 3.2 document breaks its version's own schema (the OpenAPI
    /// Initiative's, Schema Objects aside).
    OpenapiSchema,
    /// A schema of `type: array` has no `items` (OpenAPI 3.0 requires it).
    ArrayItemsMissing,
    /// A `$ref` does not resolve inside the document.
    RefUnresolved,
    /// Components that only reference each other in a ring.
    RefCycle,
    /// A schema's `$ref` resolves to a component that is not a schema (a
    /// response, a parameter): no tool can read what it points at as one.
    RefKind,
    /// A Parameter or Response Object has a field OpenAPI 3.0 does not
    /// define (every tool ignores it, so what it says is lost).
    UnknownField,
    /// A member OpenAPI requires is missing (an operation's `responses`, a
    /// response's `description`, `info`'s `title` or `version`); every
    /// command reads it as empty.
    RequiredMissing,
    /// An operation's `responses` documents no response.
    ResponsesEmpty,
    /// A security requirement names a scheme that is not declared.
    SecuritySchemeUndefined,
    /// A component is never referenced.
    UnusedComponent,
    /// An operation lacks an `operationId`, or it is not snake_case.
    OperationId,
    /// Two operations share an `operationId`.
    OperationIdDuplicate,
    /// An operation lacks a summary.
    OperationSummary,
    /// An operation has no tag.
    OperationTags,
    /// An operation documents no 2xx response.
    OperationSuccessResponse,
    /// A response whose status HTTP sends without content (1xx, 204,
    /// 205, 304) documents content.
    BodylessStatusContent,
    /// An operation documents responses, none of which a valid request
    /// gets: no 1xx, 2xx, 3xx or `default`.
    SuccessUndocumented,
    /// One path parameter (a name at one place of nested paths) has
    /// schemas that take different values on different paths.
    PathParameterInconsistent,
    /// A link names its target by an `operationId` no operation has, or by
    /// a local `operationRef` that points at nothing.
    LinkTargetUnknown,
    /// Two paths that are one with their parameters named apart.
    PathTemplateDuplicate,
    /// A path template variable is not declared as a required path parameter.
    PathParameterUndeclared,
    /// A declared path parameter does not appear in the path template.
    PathParameterUnused,
    /// A schema property (or array item) has no type.
    SchemaUntyped,
    /// An `enum` (or `x-extensible-enum`) is empty or repeats a value.
    EnumValues,
    /// Constraints of one schema contradict each other: bounds that leave
    /// no value, a `pattern` that disagrees with the bounds of an integer
    /// string, an `enum` value or `default` the schema refuses.
    ConstraintContradiction,
    /// A `oneOf` variant every value of which fits another variant too, so
    /// that `oneOf` (which takes a value fitting exactly one) refuses them
    /// all.
    OneOfOverlap,
    /// An integer schema has no `format`.
    IntegerFormat,
    /// An example does not validate against its schema.
    ExampleInvalid,
    /// A schema keyword of another OpenAPI version: 3.0's `nullable` or
    /// boolean `exclusiveMinimum` in a 3.1 document, which JSON Schema
    /// 2020-12 reads as no keyword or as a number.
    VersionKeyword,
    /// A 3.0 schema says `nullable` without a `type` beside it, which
    /// OpenAPI 3.0.3 gives no effect.
    NullableWithoutType,
    /// A server URL ends in `/`, so a path (which starts with `/`) joined
    /// to it holds `//`.
    ServerTrailingSlash,
    /// A schema with `properties` requires a member it does not define.
    RequiredUndefined,
    /// An operation is covered by no security requirement.
    SecurityMissing,
    /// `x-request-errors` is malformed, names an undocumented status, or its
    /// body does not fit the documented error schema.
    RequestErrors,
    /// `x-envelope` names a member the schema lacks, or an unknown fill kind.
    Envelope,
    /// A rule another crate checks, through a [`Check`].
    Extra(&'static ExtraRule),
}

impl Rule {
    /// The rule's stable name, as printed in findings.
    pub fn name(self) -> &'static str {
        match self {
            Rule::UnreadableFile => "unreadable-file",
            Rule::YamlSyntax => "yaml-syntax",
            Rule::NotOpenapi => "not-openapi",
            Rule::OpenapiVersion => "openapi-version",
            Rule::OpenapiStructure => "openapi-structure",
            Rule::OpenapiSchema => "openapi-schema",
            Rule::ArrayItemsMissing => "array-items-missing",
            Rule::RefUnresolved => "ref-unresolved",
            Rule::RefCycle => "ref-cycle",
            Rule::RefKind => "ref-kind",
            Rule::UnknownField => "unknown-field",
            Rule::RequiredMissing => "required-missing",
            Rule::ResponsesEmpty => "responses-empty",
            Rule::SecuritySchemeUndefined => "security-scheme-undefined",
            Rule::UnusedComponent => "unused-component",
            Rule::OperationId => "operation-id",
            Rule::OperationIdDuplicate => "operation-id-duplicate",
            Rule::OperationSummary => "operation-summary",
            Rule::OperationTags => "operation-tags",
            Rule::OperationSuccessResponse => "operation-success-response",
            Rule::BodylessStatusContent => "bodyless-status-content",
            Rule::SuccessUndocumented => "success-undocumented",
            Rule::PathParameterInconsistent => "path-parameter-inconsistent",
            Rule::LinkTargetUnknown => "link-target-unknown",
            Rule::PathTemplateDuplicate => "path-template-duplicate",
            Rule::PathParameterUndeclared => "path-parameter-undeclared",
            Rule::PathParameterUnused => "path-parameter-unused",
            Rule::SchemaUntyped => "schema-untyped",
            Rule::EnumValues => "enum-values",
            Rule::ConstraintContradiction => "constraint-contradiction",
            Rule::OneOfOverlap => "one-of-overlap",
            Rule::IntegerFormat => "integer-format",
            Rule::ExampleInvalid => "example-invalid",
            Rule::VersionKeyword => "version-keyword",
            Rule::NullableWithoutType => "nullable-without-type",
            Rule::ServerTrailingSlash => "server-trailing-slash",
            Rule::RequiredUndefined => "required-undefined",
            Rule::SecurityMissing => "security-missing",
            Rule::RequestErrors => "request-errors",
            Rule::Envelope => "envelope",
            Rule::Extra(rule) => rule.name,
        }
    }
}

impl Rule {
    /// Every rule, in the order of the table in ARCHITECTURE.md.
    pub const ALL: &[Rule] = &[
        Rule::UnreadableFile,
        Rule::YamlSyntax,
        Rule::NotOpenapi,
        Rule::OpenapiVersion,
        Rule::OpenapiStructure,
        Rule::OpenapiSchema,
        Rule::ArrayItemsMissing,
        Rule::RefUnresolved,
        Rule::RefCycle,
        Rule::RefKind,
        Rule::UnknownField,
        Rule::RequiredMissing,
        Rule::ResponsesEmpty,
        Rule::SecuritySchemeUndefined,
        Rule::UnusedComponent,
        Rule::OperationId,
        Rule::OperationIdDuplicate,
        Rule::OperationSummary,
        Rule::OperationTags,
        Rule::OperationSuccessResponse,
        Rule::BodylessStatusContent,
        Rule::SuccessUndocumented,
        Rule::PathParameterInconsistent,
        Rule::LinkTargetUnknown,
        Rule::PathTemplateDuplicate,
        Rule::PathParameterUndeclared,
        Rule::PathParameterUnused,
        Rule::SchemaUntyped,
        Rule::EnumValues,
        Rule::ConstraintContradiction,
        Rule::OneOfOverlap,
        Rule::IntegerFormat,
        Rule::ExampleInvalid,
        Rule::VersionKeyword,
        Rule::NullableWithoutType,
        Rule::ServerTrailingSlash,
        Rule::RequiredUndefined,
        Rule::SecurityMissing,
        Rule::RequestErrors,
        Rule::Envelope,
    ];

    /// The rule named `name`.
    pub fn from_name(name: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|rule| rule.name() == name)
    }

    /// Whether the rule is this project's house style rather than OpenAPI's
    /// requirement or a correctness problem.
    pub fn is_house_rule(self) -> bool {
        matches!(
            self,
            Rule::OperationId
                | Rule::OperationSummary
                | Rule::OperationTags
                | Rule::OperationSuccessResponse
                | Rule::SchemaUntyped
                | Rule::IntegerFormat
                | Rule::SecurityMissing
        )
    }

    /// Whether an error under this rule stops `generate`: the document
    /// cannot be read into the model, or what it says would be generated
    /// wrong. The others do not change the generated code (an invalid
    /// example, a style rule) or are mistakes every tool reads past (an
    /// unknown field is ignored, a missing `description` is empty, an
    /// undeclared scheme sends no credentials, an array without `items`
    /// holds any value), so generation goes on and prints them.
    ///
    /// Contradicting constraints do not stop it either: the generated
    /// types enforce every constraint the spec states, which is what the
    /// spec says, however wrong; only the spec's author can tell which
    /// constraint is meant, and `lint` fails until one is changed.
    pub fn blocks_generation(self) -> bool {
        if let Rule::Extra(rule) = self {
            return rule.blocks_generation;
        }
        !matches!(
            self,
            Rule::UnknownField
                | Rule::OpenapiSchema
                | Rule::RequiredMissing
                | Rule::ResponsesEmpty
                | Rule::SecuritySchemeUndefined
                | Rule::UnusedComponent
                | Rule::ExampleInvalid
                | Rule::VersionKeyword
                | Rule::NullableWithoutType
                | Rule::ServerTrailingSlash
                | Rule::RequiredUndefined
                | Rule::ArrayItemsMissing
                | Rule::ConstraintContradiction
                | Rule::OneOfOverlap
                | Rule::BodylessStatusContent
                | Rule::SuccessUndocumented
                | Rule::PathParameterInconsistent
                | Rule::PathParameterUnused
                | Rule::LinkTargetUnknown
                | Rule::PathTemplateDuplicate
                | Rule::OperationId
                | Rule::OperationSummary
                | Rule::OperationTags
                | Rule::OperationSuccessResponse
                | Rule::SchemaUntyped
                | Rule::IntegerFormat
                | Rule::SecurityMissing
        )
    }

    /// The rule's severity in `ruleset` unless configured otherwise.
    pub fn default_severity(self, ruleset: Ruleset) -> Severity {
        match (ruleset, self) {
            // The house rule `operation-success-response` (a 2xx) is
            // stricter and reports every operation this one would.
            (Ruleset::Project, Rule::SuccessUndocumented) => Severity::Off,
            (Ruleset::Project, _) => Severity::Error,
            (Ruleset::Standard, rule) if rule.is_house_rule() => Severity::Off,
            // Unused components are dead weight, and an untyped member
            // still carries its data: worth knowing, not an error.
            (Ruleset::Standard, Rule::UnusedComponent) => Severity::Warn,
            // Read the 3.0 way by this project's tools, a JSON Schema
            // 2020-12 validator reads it otherwise.
            // Tools read these otherwise than their authors meant, or the
            // author likely meant something else: worth knowing, and each
            // has one reading this project's tools take (nullable; the
            // server URL without its slash; a required member of any type;
            // overlapping `oneOf` variants read as `anyOf`, as clients
            // that take the first variant that decodes do; a 204's content
            // read as none, which is all HTTP sends).
            (
                Ruleset::Standard,
                Rule::VersionKeyword
                | Rule::NullableWithoutType
                | Rule::ServerTrailingSlash
                | Rule::RequiredUndefined
                | Rule::OneOfOverlap
                | Rule::BodylessStatusContent
                | Rule::SuccessUndocumented
                | Rule::PathParameterInconsistent,
            ) => Severity::Warn,
            (Ruleset::Standard, Rule::Extra(rule)) => rule.standard,
            (Ruleset::Standard, _) => Severity::Error,
        }
    }

    /// One line on what the rule checks, for `--help`-like listings and
    /// SARIF rule descriptions.
    pub fn summary(self) -> &'static str {
        match self {
            Rule::UnreadableFile => "the file can be read as UTF-8 text",
            Rule::YamlSyntax => "the file is one YAML document within the reading bounds",
            Rule::NotOpenapi => "the document has a top-level `openapi` member",
            Rule::OpenapiVersion => "`openapi` is 3.0.x",
            Rule::OpenapiStructure => "the document has the structure OpenAPI 3.0 requires",
            Rule::OpenapiSchema => "a 3.1 or 3.2 document fits its version's own OpenAPI schema",
            Rule::ArrayItemsMissing => "every schema of `type: array` has `items`",
            Rule::RefUnresolved => "every `$ref` is local and resolves",
            Rule::RefCycle => "no components that only reference each other in a ring",
            Rule::RefKind => {
                "a schema's `$ref` points at a schema, not at another kind of component"
            }
            Rule::UnknownField => "Parameter and Response Objects have only OpenAPI's fields",
            Rule::RequiredMissing => "members OpenAPI requires are present",
            Rule::ResponsesEmpty => "every operation documents at least one response",
            Rule::SecuritySchemeUndefined => "security requirements name declared schemes",
            Rule::UnusedComponent => "every component is used",
            Rule::OperationId => "every operation has a snake_case `operationId`",
            Rule::OperationIdDuplicate => "`operationId`s are unique",
            Rule::OperationSummary => "every operation has a summary",
            Rule::OperationTags => "every operation has a tag",
            Rule::OperationSuccessResponse => "every operation documents a 2xx response",
            Rule::PathParameterInconsistent => {
                "a path parameter has one schema on every path it addresses an item in"
            }
            Rule::SuccessUndocumented => {
                "every operation documents an answer a valid request gets (1xx, 2xx, 3xx or default)"
            }
            Rule::BodylessStatusContent => {
                "a 1xx, 204, 205 or 304 response documents no content (HTTP sends none)"
            }
            Rule::LinkTargetUnknown => "every link leads to an operation of the document",
            Rule::PathTemplateDuplicate => "no two paths are one with their parameters named apart",
            Rule::PathParameterUndeclared => "every path template variable is a path parameter",
            Rule::PathParameterUnused => "every path parameter appears in its template",
            Rule::SchemaUntyped => "every property and array item has a type",
            Rule::EnumValues => "enums are non-empty, without duplicates",
            Rule::ConstraintContradiction => "the constraints of each schema agree with each other",
            Rule::OneOfOverlap => "no `oneOf` variant takes only values another variant takes too",
            Rule::IntegerFormat => "every integer has a format",
            Rule::ExampleInvalid => "every example validates against its schema",
            Rule::VersionKeyword => "schemas use their OpenAPI version's keywords",
            Rule::NullableWithoutType => "`nullable` stands beside a `type`",
            Rule::ServerTrailingSlash => "no server URL ends in `/`",
            Rule::RequiredUndefined => {
                "every required member of a schema with `properties` is one of them"
            }
            Rule::SecurityMissing => "every operation is covered by a security requirement",
            Rule::RequestErrors => "`x-request-errors` is well-formed and documented",
            Rule::Envelope => "`x-envelope` names existing members and known fill kinds",
            Rule::Extra(rule) => rule.summary,
        }
    }
}

/// A rule checked outside this crate, through a [`Check`]: its stable
/// name, what it checks, and how it behaves in the rulesets.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ExtraRule {
    /// The stable kebab-case name findings print.
    pub name: &'static str,
    /// One line on what the rule checks.
    pub summary: &'static str,
    /// Its severity in the `standard` ruleset (in `project`, every rule
    /// is an error).
    pub standard: Severity,
    /// Whether an error under it stops generation.
    pub blocks_generation: bool,
}

/// Rules another crate adds to the linter. A check runs after the
/// built-in rules, only on a document they found sound (nothing that
/// blocks generation), and only when one of its rules is not `off`.
pub trait Check: Sync {
    /// The rules this check reports findings under.
    fn rules(&self) -> &'static [&'static ExtraRule];

    /// Checks the document behind `report`, recording each finding with
    /// [`Report::at`] under one of [`Check::rules`].
    fn check(&self, report: &mut Report<'_>);
}

/// A named set of rules with their default severities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Ruleset {
    /// What OpenAPI 3.0 requires, plus correctness any tool should flag.
    #[default]
    Standard,
    /// `standard` plus this project's house rules, all errors.
    Project,
}

impl Ruleset {
    pub fn name(self) -> &'static str {
        match self {
            Ruleset::Standard => "standard",
            Ruleset::Project => "project",
        }
    }
}

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Not checked.
    Off,
    /// Reported; fails the run only with `--deny-warnings`.
    Warn,
    /// Reported; fails the run.
    Error,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Off => "off",
            Severity::Warn => "warning",
            Severity::Error => "error",
        }
    }
}

/// Which rules apply to a spec, and how severe each is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LintConfig {
    pub ruleset: Ruleset,
    /// Severities that replace the ruleset's, by rule.
    pub overrides: std::collections::BTreeMap<Rule, Severity>,
}

impl LintConfig {
    /// `ruleset` with its default severities.
    pub fn new(ruleset: Ruleset) -> Self {
        LintConfig {
            ruleset,
            overrides: Default::default(),
        }
    }

    /// The severity of `rule` under this configuration.
    pub fn severity(&self, rule: Rule) -> Severity {
        self.overrides
            .get(&rule)
            .copied()
            .unwrap_or_else(|| rule.default_severity(self.ruleset))
    }

    /// `ruleset` with per-rule severities given by name (as in a
    /// project's configuration); `extra` are the rules of the [`Check`]s
    /// the caller runs besides the built-in ones. An unknown rule name is
    /// an error.
    pub fn from_names(
        ruleset: Ruleset,
        severities: &std::collections::BTreeMap<String, Severity>,
        extra: &[&'static ExtraRule],
    ) -> Result<Self, String> {
        let mut config = LintConfig::new(ruleset);
        let known = || {
            Rule::ALL
                .iter()
                .copied()
                .chain(extra.iter().map(|rule| Rule::Extra(rule)))
        };
        for (name, severity) in severities {
            let rule = known().find(|rule| rule.name() == name).ok_or_else(|| {
                let known: Vec<&str> = known().map(Rule::name).collect();
                format!("`{name}` is not a lint rule; known: {}", known.join(", "))
            })?;
            config.overrides.insert(rule, *severity);
        }
        Ok(config)
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// One problem found in a spec.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub file: PathBuf,
    /// `None` when the problem concerns the whole file (it could not be read).
    #[serde(flatten)]
    pub position: Option<JsonPosition>,
    pub rule: Rule,
    pub severity: Severity,
    pub message: String,
}

/// A [`Position`] as it appears in `--format json` output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct JsonPosition {
    pub line: usize,
    pub column: usize,
}

/// One line, whatever the spec's names hold: control characters in the
/// file name or the message (a path with a line break and `::error`, an
/// escape sequence) are escaped, so a CI log reads no command from it.
impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self.file.display().to_string();
        write!(f, "{}", openapi_source::printable(&file))?;
        if let Some(position) = self.position {
            write!(f, ":{}:{}", position.line, position.column)?;
        }
        write!(
            f,
            ": {}: {}",
            self.rule,
            openapi_source::printable(&self.message)
        )?;
        if self.severity == Severity::Warn {
            f.write_str(" (warning)")?;
        }
        Ok(())
    }
}

/// Collects the findings of one spec, locating JSON pointers in its source.
#[derive(Debug)]
pub struct Report<'a> {
    source: &'a SourceDoc,
    /// The document the rules read: the source's, in OpenAPI 3.0 form.
    root: &'a Value,
    /// What that form does not carry of a 3.1 or 3.2 document.
    notes: &'a [Note],
    /// Required parts that were missing and are read as empty.
    filled: &'a [Note],
    findings: Vec<(Position, Rule, String)>,
}

impl<'a> Report<'a> {
    fn new(source: &'a SourceDoc, root: &'a Value, notes: &'a [Note], filled: &'a [Note]) -> Self {
        Report {
            source,
            root,
            notes,
            filled,
            findings: Vec::new(),
        }
    }

    /// `pointer` as the file spells it: an `example` read from a 3.1
    /// schema's `examples` array is its first item.
    fn as_written(&self, pointer: &str) -> String {
        // A 3.1 document's `webhooks` are `x-webhooks` in the 3.0 form.
        if let Some(rest) = pointer.strip_prefix("/x-webhooks")
            && self.source.has("/webhooks")
            && (rest.is_empty() || rest.starts_with('/'))
        {
            return self.as_written(&format!("/webhooks{rest}"));
        }
        // A schema's `example` the 3.0 form took from its `examples` array
        // (a mismatch inside it too: `.../example/currentStatus`).
        if !self.source.has(pointer) {
            let at = pointer
                .match_indices("/example")
                .map(|(at, _)| at)
                .filter(|at| {
                    let rest = &pointer[at + "/example".len()..];
                    rest.is_empty() || rest.starts_with('/')
                })
                .find(|at| !self.source.has(&pointer[..at + "/example".len()]));
            if let Some(at) = at {
                let first = format!(
                    "{}/examples/0{}",
                    &pointer[..at],
                    &pointer[at + "/example".len()..]
                );
                if self.source.has(&format!("{}/examples/0", &pointer[..at])) {
                    return first;
                }
            }
        }
        pointer.to_owned()
    }

    /// Whether the document left out the node at `pointer` (or a part of
    /// it) and it is read as empty.
    pub(crate) fn left_out(&self, pointer: &str) -> bool {
        self.filled.iter().any(|(at, _)| at == pointer)
    }

    /// What the 3.0 form of a 3.1 or 3.2 document does not carry (kept
    /// under an `x-` name, or a JSON Schema keyword dropped): (pointer,
    /// what), for a check that cares (the generator's).
    pub fn version_notes(&self) -> &'a [Note] {
        self.notes
    }

    /// Where the node `pointer` names is written.
    pub(crate) fn position_of(&self, pointer: &str) -> Position {
        self.source.position(&self.as_written(pointer))
    }

    /// Records a finding at the node `pointer` (a JSON Pointer into the
    /// document) names.
    pub fn at(&mut self, pointer: &str, rule: Rule, message: impl Into<String>) {
        let position = self.source.position(&self.as_written(pointer));
        self.findings.push((position, rule, message.into()));
    }

    /// The document as read (JSON, whatever the file's syntax), a 3.1 or
    /// 3.2 document in the 3.0 form every rule reads
    /// ([`openapi_source::version::to_30`]); pointers into it are pointers
    /// into the file.
    pub fn root(&self) -> &'a Value {
        self.root
    }
}

/// Largest spec file read (GitHub's published spec is about 12 MB).
pub const MAX_SPEC_BYTES: u64 = 64 * 1024 * 1024;

/// Lints the spec at `path` under `config`. Anything that is not a regular
/// file (a directory, a FIFO, a device) is refused before it is opened, so
/// linting never blocks; text that is not UTF-8 is located at its first
/// bad byte.
pub fn lint_file(path: &Path, config: &LintConfig) -> Vec<Finding> {
    lint_file_with(path, config, &[])
}

/// [`lint_file`], with `checks` run after the built-in rules.
pub fn lint_file_with(path: &Path, config: &LintConfig, checks: &[&dyn Check]) -> Vec<Finding> {
    let unreadable = |message: String| {
        vec![Finding {
            file: path.to_owned(),
            position: None,
            rule: Rule::UnreadableFile,
            severity: Severity::Error,
            message,
        }]
    };
    let metadata = match std::fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return unreadable("no such file".into());
        }
        Err(error) => return unreadable(format!("cannot read the file: {error}")),
    };
    if metadata.is_dir() {
        return unreadable("a directory, not a spec file".into());
    }
    if !metadata.is_file() {
        return unreadable("not a regular file (a FIFO, socket or device)".into());
    }
    if metadata.len() > MAX_SPEC_BYTES {
        return unreadable(format!(
            "{} bytes; specs of at most {MAX_SPEC_BYTES} bytes are read",
            metadata.len()
        ));
    }
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) => return unreadable(format!("cannot read the file: {error}")),
    };
    match std::str::from_utf8(&bytes) {
        Ok(text) => lint_text_with(path, text, config, checks),
        Err(error) => {
            let valid = &bytes[..error.valid_up_to()];
            let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(&valid[line_start..])
                .chars()
                .count()
                + 1;
            vec![Finding {
                file: path.to_owned(),
                position: Some(JsonPosition { line, column }),
                rule: Rule::UnreadableFile,
                severity: Severity::Error,
                message: format!(
                    "not UTF-8 text: byte 0x{:02x} at offset {}",
                    bytes[error.valid_up_to()],
                    error.valid_up_to()
                ),
            }]
        }
    }
}

/// Lints spec text under `config`; `path` only names the file in findings.
pub fn lint_text(path: &Path, text: &str, config: &LintConfig) -> Vec<Finding> {
    lint_text_with(path, text, config, &[])
}

/// [`lint_text`], with `checks` run after the built-in rules.
pub fn lint_text_with(
    path: &Path,
    text: &str,
    config: &LintConfig,
    checks: &[&dyn Check],
) -> Vec<Finding> {
    let finding = |position: Position, rule: Rule, message: String| Finding {
        file: path.to_owned(),
        position: Some(JsonPosition {
            line: position.line,
            column: position.col,
        }),
        rule,
        severity: config.severity(rule),
        message,
    };
    let source = match SourceDoc::parse(text) {
        Ok(source) => source,
        Err(error) => return vec![finding(error.position, Rule::YamlSyntax, error.message)],
    };
    let (converted, notes, filled) = as_30(source.value());
    let mut report = Report::new(&source, converted.as_ref(), &notes, &filled);
    if let Some(document) = check_document(&mut report) {
        oas_schema::check(&mut report);
        refs::check(&mut report);
        structure::check_required_parts(&mut report);
        operations::check(&mut report, &document);
        links::check(&mut report);
        path_parameters::check(&mut report);
        paths::check(&mut report);
        // Every Schema Object of the document, found once for the rules
        // that read them all.
        let sites = schemas::SchemaSites::collect(report.root());
        schemas::check(&mut report, &sites);
        servers::check(&mut report);
        // One pass: a schema that reaches a dangling `$ref` or an unknown
        // `type` cannot be compiled, so values checked against it are
        // skipped (each with a finding saying so); all others are checked.
        let broken = report
            .findings
            .iter()
            .any(|(_, rule, _)| matches!(rule, Rule::RefUnresolved | Rule::OpenapiStructure));
        let components = examples::components_for_validation(report.root(), broken);
        examples::check(&mut report, &components, &sites);
        extensions::check(&mut report, &components);
        let rules = [Rule::ConstraintContradiction, Rule::OneOfOverlap];
        if rules
            .iter()
            .any(|rule| config.severity(*rule) != Severity::Off)
        {
            consistency::check(&mut report, &components, &sites);
        }
        // Added checks (the generator's, say) are the costliest and only
        // meaningful on a spec that is otherwise sound.
        let sound = !report.findings.iter().any(|(_, rule, _)| {
            rule.blocks_generation() && config.severity(*rule) == Severity::Error
        });
        if sound {
            for check in checks {
                let wanted = check
                    .rules()
                    .iter()
                    .any(|rule| config.severity(Rule::Extra(rule)) != Severity::Off);
                if wanted {
                    check.check(&mut report);
                }
            }
        }
    }
    let mut findings = report.findings;
    findings.sort();
    findings.dedup();
    findings
        .into_iter()
        .map(|(position, rule, message)| finding(position, rule, message))
        .filter(|finding| finding.severity != Severity::Off)
        .collect()
}

/// The document-level rules; returns the typed document when the rest can run.
fn check_document(report: &mut Report<'_>) -> Option<openapiv3::OpenAPI> {
    let root = report.root();
    let Some(version) = root.get("openapi") else {
        let what = match root {
            Value::Object(_) => "a mapping without a top-level `openapi` member",
            Value::Null => "an empty document",
            _ => "not a mapping",
        };
        report.at(
            "",
            Rule::NotOpenapi,
            format!("not an OpenAPI document: {what}"),
        );
        return None;
    };
    match version.as_str() {
        Some(_)
            if root
                .get(openapi_source::version::ORIGINAL_VERSION)
                .is_some() => {}
        Some(v) if openapi_source::version::Version::of(v).is_some() => {}
        _ => {
            report.at(
                "/openapi",
                Rule::OpenapiVersion,
                format!("`openapi` is {version}; read here: 3.0.x, 3.1.x and 3.2.x"),
            );
            return None;
        }
    }
    // 3.1 and 3.2 let an operation leave `responses` out; 3.0 does not.
    let converted = root
        .get(openapi_source::version::ORIGINAL_VERSION)
        .is_some();
    for (pointer, message) in report.filled {
        if !(converted && message.contains("`responses`")) {
            report.at(
                pointer,
                Rule::RequiredMissing,
                format!("{message} (read as empty)"),
            );
        }
    }
    match typed_without_paths(root) {
        Ok(document) => Some(document),
        Err(error) => {
            // serde stops at the first untagged enum (`ReferenceOr<T>`) on
            // the way down; deserializing the typed nodes one by one finds
            // the innermost object that is actually wrong.
            let (pointer, message) = structure::deepest_error(root)
                .unwrap_or_else(|| (serde_path_pointer(error.path()), error.inner().to_string()));
            let shown = if pointer.is_empty() {
                "/"
            } else {
                pointer.as_str()
            };
            report.at(
                &pointer,
                Rule::OpenapiStructure,
                format!("invalid OpenAPI 3.0 object at `{shown}`: {message}"),
            );
            None
        }
    }
}

/// The typed document with empty `paths` (the operation rules read each
/// path item on its own, see `operations`), after checking that every
/// path item reads: the error of the first one that does not.
fn typed_without_paths(
    root: &Value,
) -> Result<openapiv3::OpenAPI, serde_path_to_error::Error<serde_json::Error>> {
    let Value::Object(members) = root else {
        return serde_path_to_error::deserialize(root);
    };
    if let Some(Value::Object(paths)) = members.get("paths") {
        for item in paths.values() {
            if let Err(error) = serde_path_to_error::deserialize::<
                _,
                openapiv3::ReferenceOr<openapiv3::PathItem>,
            >(item)
            {
                // Read the whole document to have the error's full path.
                return serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(root)
                    .and(Err(error));
            }
        }
    }
    let skeleton: serde_json::Map<String, Value> = members
        .iter()
        .map(|(key, value)| match key.as_str() {
            "paths" => (key.clone(), Value::Object(Default::default())),
            _ => (key.clone(), value.clone()),
        })
        .collect();
    serde_path_to_error::deserialize(&Value::Object(skeleton))
}

/// The document in the 3.0 form the rules read (a 3.1 or 3.2 document
/// rewritten; `$ref` fragments percent-decoded; callbacks written as
/// `$ref`s inline; required parts people leave out filled in, so the rest
/// is still checked), what that form drops of a 3.1/3.2 document, and
/// what was filled in that the document's version requires.
fn as_30(root: &Value) -> (std::borrow::Cow<'_, Value>, Vec<Note>, Vec<Note>) {
    use openapi_source::version::{
        Version, decode_ref_fragments, fill_required, has_callback_refs, has_encoded_ref_fragments,
        has_numeric_bounds, inline_callback_refs, lacks_required, to_30,
    };
    let rewritten = matches!(
        Version::of_document(root),
        Some(Version::V31 | Version::V32)
    );
    if !rewritten
        && !lacks_required(root)
        && !has_callback_refs(root)
        && !has_encoded_ref_fragments(root)
        && !has_numeric_bounds(root)
    {
        // A 3.0 document with every required part, every callback inline
        // and every `$ref` a plain pointer: read as it is, no copy.
        return (std::borrow::Cow::Borrowed(root), Vec::new(), Vec::new());
    }
    let mut copy = root.clone();
    let notes = to_30(&mut copy);
    decode_ref_fragments(&mut copy);
    inline_callback_refs(&mut copy);
    let filled = fill_required(&mut copy);
    (std::borrow::Cow::Owned(copy), notes, filled)
}

/// Turns serde_path_to_error's path into a JSON Pointer.
pub(crate) fn serde_path_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Map { key } => pointer = openapi_source::child(&pointer, key),
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    pointer
}

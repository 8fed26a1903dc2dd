//! `cargo xtask lint`: checks an OpenAPI 3.0 spec against the project's rules.
//!
//! Each rule has a stable kebab-case name ([`Rule::name`]) that tools and
//! fixtures rely on. A finding points at the offending node of the YAML file
//! as `path:line:col: rule: message`.

mod examples;
mod extensions;
mod operations;
mod refs;
mod schemas;
mod structure;

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;

use crate::source::{Position, SourceDoc};

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
    /// A `$ref` does not resolve inside the document.
    RefUnresolved,
    /// Components that only reference each other in a ring.
    RefCycle,
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
    /// A path template variable is not declared as a required path parameter.
    PathParameterUndeclared,
    /// A declared path parameter does not appear in the path template.
    PathParameterUnused,
    /// A schema property (or array item) has no type.
    SchemaUntyped,
    /// An `enum` (or `x-extensible-enum`) is empty or repeats a value.
    EnumValues,
    /// An integer schema has no `format`.
    IntegerFormat,
    /// An example does not validate against its schema.
    ExampleInvalid,
    /// An operation is covered by no security requirement.
    SecurityMissing,
    /// `x-request-errors` is malformed, names an undocumented status, or its
    /// body does not fit the documented error schema.
    RequestErrors,
    /// `x-envelope` names a member the schema lacks, or an unknown fill kind.
    Envelope,
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
            Rule::RefUnresolved => "ref-unresolved",
            Rule::RefCycle => "ref-cycle",
            Rule::UnusedComponent => "unused-component",
            Rule::OperationId => "operation-id",
            Rule::OperationIdDuplicate => "operation-id-duplicate",
            Rule::OperationSummary => "operation-summary",
            Rule::OperationTags => "operation-tags",
            Rule::OperationSuccessResponse => "operation-success-response",
            Rule::PathParameterUndeclared => "path-parameter-undeclared",
            Rule::PathParameterUnused => "path-parameter-unused",
            Rule::SchemaUntyped => "schema-untyped",
            Rule::EnumValues => "enum-values",
            Rule::IntegerFormat => "integer-format",
            Rule::ExampleInvalid => "example-invalid",
            Rule::SecurityMissing => "security-missing",
            Rule::RequestErrors => "request-errors",
            Rule::Envelope => "envelope",
        }
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
    pub message: String,
}

/// A [`Position`] as it appears in `--format json` output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct JsonPosition {
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(position) = self.position {
            write!(f, ":{}:{}", position.line, position.column)?;
        }
        write!(f, ": {}: {}", self.rule, self.message)
    }
}

/// Collects the findings of one spec, locating JSON pointers in its source.
#[derive(Debug)]
pub(crate) struct Report<'a> {
    source: &'a SourceDoc,
    findings: Vec<(Position, Rule, String)>,
}

impl<'a> Report<'a> {
    fn new(source: &'a SourceDoc) -> Self {
        Report {
            source,
            findings: Vec::new(),
        }
    }

    /// Records a finding at the node `pointer` names.
    pub(crate) fn at(&mut self, pointer: &str, rule: Rule, message: impl Into<String>) {
        let position = self.source.position(pointer);
        self.findings.push((position, rule, message.into()));
    }

    pub(crate) fn root(&self) -> &'a Value {
        self.source.value()
    }
}

/// Lints the spec at `path`.
pub fn lint_file(path: &Path) -> Vec<Finding> {
    match std::fs::read_to_string(path) {
        Ok(text) => lint_text(path, &text),
        Err(error) => vec![Finding {
            file: path.to_owned(),
            position: None,
            rule: Rule::UnreadableFile,
            message: format!("cannot read the file: {error}"),
        }],
    }
}

/// Lints spec text; `path` only names the file in findings.
pub fn lint_text(path: &Path, text: &str) -> Vec<Finding> {
    let finding = |position: Position, rule: Rule, message: String| Finding {
        file: path.to_owned(),
        position: Some(JsonPosition {
            line: position.line,
            column: position.col,
        }),
        rule,
        message,
    };
    let source = match SourceDoc::parse(text) {
        Ok(source) => source,
        Err(error) => return vec![finding(error.position, Rule::YamlSyntax, error.message)],
    };
    let mut report = Report::new(&source);
    if let Some(document) = check_document(&mut report) {
        refs::check(&mut report);
        operations::check(&mut report, &document);
        schemas::check(&mut report);
        // Example schemas cannot be compiled around a dangling `$ref`; that
        // is already reported, so don't report it twice.
        if !report
            .findings
            .iter()
            .any(|(_, rule, _)| *rule == Rule::RefUnresolved)
        {
            examples::check(&mut report);
            extensions::check(&mut report);
        }
    }
    let mut findings = report.findings;
    findings.sort();
    findings.dedup();
    findings
        .into_iter()
        .map(|(position, rule, message)| finding(position, rule, message))
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
        Some(v) if is_openapi_30(v) => {}
        _ => {
            report.at(
                "/openapi",
                Rule::OpenapiVersion,
                format!("`openapi` is {version}; this project's tooling accepts 3.0.x only"),
            );
            return None;
        }
    }
    match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(root.clone()) {
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

fn is_openapi_30(version: &str) -> bool {
    version
        .strip_prefix("3.0.")
        .is_some_and(|patch| !patch.is_empty() && patch.bytes().all(|b| b.is_ascii_digit()))
}

/// Turns serde_path_to_error's path into a JSON Pointer.
pub(crate) fn serde_path_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Map { key } => pointer = crate::source::child(&pointer, key),
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    pointer
}

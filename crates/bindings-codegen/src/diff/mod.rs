//! `diff`: every change between two versions of a spec, where
//! it is in each, and what it means for clients and servers of the wire API
//! and for Rust code using the generated crates.
//!
//! Both versions are read into the same normalised model `generate` renders
//! from (`allOf` merged, inline schemas named), so a change is classified
//! as the crates will see it; locations point into the files as written.
//! The kinds of change and their classification are [`kinds::KINDS`].

pub mod kinds;
mod report;

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Result, anyhow};
use serde::Serialize;
use serde_json::Value;

pub use kinds::{KINDS, Kind, Level};
use openapi_source::{SourceDoc, escape_token};
pub use report::{Format, markdown, render};

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// A place in one version of the spec.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// One change between the two versions.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub id: &'static str,
    pub client: Level,
    pub server: Level,
    pub rust: Level,
    /// The operations it concerns (`GET /path`), empty for the document.
    pub operations: Vec<String>,
    /// What changed, in words.
    pub message: String,
    pub old: Option<Location>,
    pub new: Option<Location>,
}

impl Change {
    /// The most severe effect on any audience.
    pub fn worst(&self) -> Level {
        self.client.max(self.server).max(self.rust)
    }
}

/// One version of a spec: its file name, source positions and model.
struct Version {
    file: String,
    source: SourceDoc,
    model: Value,
}

impl Version {
    fn read(file: &str, text: &str) -> Result<Self> {
        let source =
            SourceDoc::parse(text).map_err(|e| anyhow!("{file}:{}: {}", e.position, e.message))?;
        let (model, _) = crate::generate::model(tolerant(source.value().clone()))
            .map_err(|error| anyhow!("{file}: not an OpenAPI 3.0 document: {error:#}"))?;
        Ok(Version {
            file: file.to_owned(),
            source,
            model,
        })
    }

    fn locate(&self, pointer: &str) -> Location {
        let pointer = crate::generate::source_pointer(&self.model, pointer);
        let position = self.source.position(&pointer);
        Location {
            file: self.file.clone(),
            line: position.line,
            column: position.col,
        }
    }

    fn at(&self, pointer: &str) -> Option<&Value> {
        self.model.pointer(pointer)
    }

    /// `node` with local `$ref`s followed (a few hops), and the pointer of
    /// what it resolved to.
    fn resolve<'a>(&'a self, pointer: &str, node: &'a Value) -> (String, &'a Value) {
        let mut pointer = pointer.to_owned();
        let mut node = node;
        for _ in 0..8 {
            // `allOf` of one reference beside annotations only is how a
            // described reference is written: the same schema.
            let described_reference = match node.get("allOf") {
                Some(Value::Array(parts))
                    if parts.len() == 1
                        && node.as_object().is_some_and(|object| {
                            object.keys().all(|key| {
                                key.starts_with("x-")
                                    || matches!(
                                        key.as_str(),
                                        "allOf"
                                            | "description"
                                            | "title"
                                            | "example"
                                            | "deprecated"
                                    )
                            })
                        }) =>
                {
                    parts[0].get("$ref")
                }
                _ => None,
            };
            let Some(reference) = node
                .get("$ref")
                .or(described_reference)
                .and_then(Value::as_str)
            else {
                break;
            };
            let Some(target) = reference
                .strip_prefix('#')
                .and_then(|p| self.model.pointer(p))
            else {
                break;
            };
            pointer = reference.trim_start_matches('#').to_owned();
            node = target;
        }
        (pointer, node)
    }
}

/// Compares two versions of a spec given as text; `old_file` and
/// `new_file` name them in locations.
/// `value` with each local `$ref` replaced by what it points at, up to
/// [`MAX_HOPS`] references deep and [`MAX_EXPANDED`] nodes in all
/// (beyond, and in a recursive schema, a `$ref` stays as written), so that
/// two versions compare by what they say, not by where.
fn expanded(version: &Version, value: &Value, hops: usize, budget: &mut usize) -> Value {
    *budget = budget.saturating_sub(1);
    match value {
        Value::Object(object) => {
            if hops < MAX_HOPS
                && *budget > 0
                && let Some(target) = object.get("$ref").and_then(Value::as_str)
                && let Some(resolved) = target.strip_prefix('#').and_then(|p| version.at(p))
            {
                return expanded(version, resolved, hops + 1, budget);
            }
            Value::Object(
                object
                    .iter()
                    .map(|(key, member)| (key.clone(), expanded(version, member, hops, budget)))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| expanded(version, item, hops, budget))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The `$ref` targets (JSON Pointers) reachable from the node at
/// `pointer` of `version`, through the components they name in turn.
fn referenced_from(version: &Version, pointer: &str) -> BTreeSet<String> {
    let mut reached = BTreeSet::new();
    let mut pending: Vec<&Value> = version.at(pointer).into_iter().collect();
    while let Some(node) = pending.pop() {
        match node {
            Value::Object(members) => {
                if let Some(target) = members.get("$ref").and_then(Value::as_str)
                    && let Some(target) = target.strip_prefix('#')
                    && reached.insert(target.to_owned())
                {
                    pending.extend(version.at(target));
                }
                pending.extend(members.values());
            }
            Value::Array(items) => pending.extend(items),
            _ => {}
        }
    }
    reached
}

/// How many `$ref`s deep [`expanded`] follows.
const MAX_HOPS: usize = 8;
/// How many nodes [`expanded`] writes before it stops following `$ref`s.
const MAX_EXPANDED: usize = 100_000;

pub fn diff_texts(old_file: &str, old: &str, new_file: &str, new: &str) -> Result<Vec<Change>> {
    let old = Version::read(old_file, old)?;
    let new = Version::read(new_file, new)?;
    let mut differ = Differ {
        old: &old,
        new: &new,
        changes: Vec::new(),
        index: BTreeMap::new(),
        visited: BTreeSet::new(),
        off_the_wire: false,
        compared: BTreeMap::new(),
        comparing: Vec::new(),
    };
    differ.document();
    Ok(differ.changes)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Direction {
    Request,
    Response,
}

impl Direction {
    fn prefix(self) -> &'static str {
        match self {
            Direction::Request => "request",
            Direction::Response => "response",
        }
    }
}

struct Differ<'a> {
    old: &'a Version,
    new: &'a Version,
    changes: Vec<Change>,
    /// (id, old pointer, new pointer) to the change's index: a change in a
    /// shared schema is reported once, listing every operation it reaches.
    index: BTreeMap<(String, String, String), usize>,
    /// Schema pairs compared already in a direction (cycles, sharing).
    visited: BTreeSet<(Direction, String, String, String)>,
    /// Comparing what no request or response carries: changes found
    /// affect Rust code only, never the wire.
    off_the_wire: bool,
    /// Schema pairs compared whole in a direction, with the changes found
    /// in them: another operation reaching the pair is added to those
    /// changes instead of comparing the pair again (Stripe's shared
    /// schemas, compared once per operation, took minutes).
    compared: BTreeMap<(Direction, String, String), Vec<usize>>,
    /// The pairs being compared, innermost last: each with the changes
    /// found in it so far, and whether its comparison was cut short (by a
    /// cycle back into a pair outside it, or by depth), which keeps it out
    /// of `compared`.
    comparing: Vec<Comparing>,
}

/// A schema pair being compared ([`Differ::comparing`]).
struct Comparing {
    pair: (Direction, String, String),
    found: Vec<usize>,
    cut_short: bool,
}

impl Differ<'_> {
    fn emit(
        &mut self,
        id: &str,
        operation: Option<&str>,
        message: String,
        old: Option<&str>,
        new: Option<&str>,
    ) {
        let Some(kind) = kinds::kind_of(id) else {
            debug_assert!(false, "unknown change id {id}");
            return;
        };
        let key = (
            id.to_owned(),
            old.unwrap_or_default().to_owned(),
            new.unwrap_or_default().to_owned(),
        );
        if let Some(&index) = self.index.get(&key) {
            if let Some(operation) = operation {
                self.concerns(index, operation);
            }
            if let Some(innermost) = self.comparing.last_mut() {
                innermost.found.push(index);
            }
            return;
        }
        if let Some(innermost) = self.comparing.last_mut() {
            innermost.found.push(self.changes.len());
        }
        self.index.insert(key, self.changes.len());
        let wire = |level| {
            if self.off_the_wire {
                Level::Info
            } else {
                level
            }
        };
        self.changes.push(Change {
            id: kind.id,
            client: wire(kind.client),
            server: wire(kind.server),
            rust: kind.rust,
            operations: operation.map(str::to_owned).into_iter().collect(),
            message,
            old: old.map(|p| self.old.locate(p)),
            new: new.map(|p| self.new.locate(p)),
        });
    }

    fn document(&mut self) {
        let version = |v: &Version| v.at("/info/version").cloned().unwrap_or(Value::Null);
        let (old_version, new_version) = (version(self.old), version(self.new));
        if old_version != new_version {
            self.emit(
                "api-version-changed",
                None,
                format!("`info.version` {old_version} -> {new_version}"),
                Some("/info/version"),
                Some("/info/version"),
            );
        }
        self.servers();
        self.components();
        self.operations();
        self.webhooks();
        self.unreached_components();
    }

    /// Component schemas in both versions that no operation or webhook
    /// reaches: the types crate declares each all the same, so a change
    /// to one is compared as a request and as a response would see it
    /// (a member removed breaks Rust code that names it either way), its
    /// effect on clients and servers `info` (nothing on the wire moves).
    fn unreached_components(&mut self) {
        // Webhooks are compared whole (`webhook-changed`), not member by
        // member: what they reach counts as reached.
        let mut reached = referenced_from(self.old, "/x-webhooks");
        reached.extend(self.visited.iter().map(|(_, old, _, _)| old.clone()));
        let schemas = |v: &Version| {
            v.at("/components/schemas")
                .and_then(Value::as_object)
                .cloned()
        };
        let (Some(old), Some(new)) = (schemas(self.old), schemas(self.new)) else {
            return;
        };
        self.off_the_wire = true;
        for (name, old_schema) in &old {
            let pointer = format!("/components/schemas/{}", escape_token(name));
            let Some(new_schema) = new.get(name) else {
                continue;
            };
            if reached.contains(&pointer) || old_schema == new_schema {
                continue;
            }
            let label = format!("schema `{name}` (no operation uses it)");
            for direction in [Direction::Request, Direction::Response] {
                self.schema(
                    direction,
                    &label,
                    &format!("`{name}`"),
                    (&pointer, old_schema),
                    (&pointer, new_schema),
                    0,
                );
            }
        }
        self.off_the_wire = false;
    }

    /// Webhooks (3.1), by name and method: `(label, source pointer)` and
    /// the operation with every `$ref` followed. The model keeps them
    /// under `x-webhooks` (they are not generated); the source has them
    /// under `webhooks`.
    fn webhook_index(version: &Version) -> BTreeMap<(String, String), (String, String, Value)> {
        let mut index = BTreeMap::new();
        for (name, item) in version
            .at("/x-webhooks")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            for method in METHODS {
                if let Some(operation) = item.get(*method) {
                    index.insert(
                        (name.clone(), (*method).to_owned()),
                        (
                            format!("webhook `{name}` ({})", method.to_uppercase()),
                            format!("/webhooks/{}/{method}", escape_token(name)),
                            expanded(version, operation, 0, &mut MAX_EXPANDED.clone()),
                        ),
                    );
                }
            }
        }
        index
    }

    fn webhooks(&mut self) {
        let old = Self::webhook_index(self.old);
        let new = Self::webhook_index(self.new);
        for (key, (label, pointer, operation)) in &old {
            match new.get(key) {
                None => self.emit(
                    "webhook-removed",
                    Some(label),
                    format!("{label} removed"),
                    Some(pointer),
                    None,
                ),
                Some((_, new_pointer, new_operation)) if new_operation != operation => self.emit(
                    "webhook-changed",
                    Some(label),
                    format!("{label} changed"),
                    Some(pointer),
                    Some(new_pointer),
                ),
                Some(_) => {}
            }
        }
        for (key, (label, pointer, _)) in &new {
            if !old.contains_key(key) {
                self.emit(
                    "webhook-added",
                    Some(label),
                    format!("{label} added"),
                    None,
                    Some(pointer),
                );
            }
        }
    }

    fn servers(&mut self) {
        let urls = |v: &Version| -> BTreeMap<String, String> {
            v.at("/servers")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
                .filter_map(|(i, s)| {
                    Some((s.get("url")?.as_str()?.to_owned(), format!("/servers/{i}")))
                })
                .collect()
        };
        let (old, new) = (urls(self.old), urls(self.new));
        for (url, pointer) in &old {
            if !new.contains_key(url) {
                self.emit(
                    "server-removed",
                    None,
                    format!("server `{url}` removed"),
                    Some(pointer),
                    None,
                );
            }
        }
        for (url, pointer) in &new {
            if !old.contains_key(url) {
                self.emit(
                    "server-added",
                    None,
                    format!("server `{url}` added"),
                    None,
                    Some(pointer),
                );
            }
        }
    }

    fn components(&mut self) {
        let names = |v: &Version| -> BTreeSet<String> {
            v.at("/components/schemas")
                .and_then(Value::as_object)
                .map(|schemas| schemas.keys().cloned().collect())
                .unwrap_or_default()
        };
        let (old, new) = (names(self.old), names(self.new));
        for name in old.difference(&new) {
            let pointer = format!("/components/schemas/{}", escape_token(name));
            self.emit(
                "component-schema-removed",
                None,
                format!("schema `{name}` removed"),
                Some(&pointer),
                None,
            );
        }
        for name in new.difference(&old) {
            let pointer = format!("/components/schemas/{}", escape_token(name));
            self.emit(
                "component-schema-added",
                None,
                format!("schema `{name}` added"),
                None,
                Some(&pointer),
            );
        }
    }

    /// Operations keyed by method and path template (variable names do
    /// not matter on the wire): `(label, pointer)`.
    fn operation_index(version: &Version) -> BTreeMap<(String, String), (String, String)> {
        let mut index = BTreeMap::new();
        for (path, item) in version
            .at("/paths")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let template = normalized_template(path);
            for method in METHODS {
                if item.get(*method).is_some() {
                    index.insert(
                        (template.clone(), (*method).to_owned()),
                        (
                            format!("{} {path}", method.to_uppercase()),
                            format!("/paths/{}/{method}", escape_token(path)),
                        ),
                    );
                }
            }
        }
        index
    }

    fn operations(&mut self) {
        let old = Self::operation_index(self.old);
        let new = Self::operation_index(self.new);
        for (key, (label, pointer)) in &old {
            match new.get(key) {
                None => self.emit(
                    "operation-removed",
                    Some(label),
                    format!("{label} removed"),
                    Some(pointer),
                    None,
                ),
                Some((new_label, new_pointer)) => {
                    self.operation(new_label, pointer, new_pointer);
                }
            }
        }
        for (key, (label, pointer)) in &new {
            if !old.contains_key(key) {
                self.emit(
                    "operation-added",
                    Some(label),
                    format!("{label} added"),
                    None,
                    Some(pointer),
                );
            }
        }
    }

    fn operation(&mut self, label: &str, old_pointer: &str, new_pointer: &str) {
        let (old, new) = (self.old, self.new);
        let (Some(old_op), Some(new_op)) = (old.at(old_pointer), new.at(new_pointer)) else {
            return;
        };
        let text = |op: &Value, key: &str| op.get(key).and_then(Value::as_str).map(str::to_owned);
        if text(old_op, "operationId") != text(new_op, "operationId") {
            self.emit(
                "operation-id-changed",
                Some(label),
                format!(
                    "operationId `{}` -> `{}`",
                    text(old_op, "operationId").unwrap_or_default(),
                    text(new_op, "operationId").unwrap_or_default()
                ),
                Some(&format!("{old_pointer}/operationId")),
                Some(&format!("{new_pointer}/operationId")),
            );
        }
        let deprecated = |op: &Value| op.get("deprecated") == Some(&Value::Bool(true));
        if !deprecated(old_op) && deprecated(new_op) {
            self.emit(
                "operation-deprecated",
                Some(label),
                format!("{label} deprecated"),
                Some(old_pointer),
                Some(&format!("{new_pointer}/deprecated")),
            );
        }
        for key in ["summary", "description"] {
            if text(old_op, key) != text(new_op, key) {
                self.emit(
                    "operation-description-changed",
                    Some(label),
                    format!("{label}: `{key}` changed"),
                    Some(&format!("{old_pointer}/{key}")),
                    Some(&format!("{new_pointer}/{key}")),
                );
            }
        }
        self.security(label, old_pointer, new_pointer);
        self.parameters(label, old_pointer, new_pointer);
        self.request_body(label, old_pointer, new_pointer);
        self.responses(label, old_pointer, new_pointer);
    }

    /// The security requirement alternatives in force for an operation.
    fn security_of(version: &Version, pointer: &str) -> BTreeSet<Vec<String>> {
        let requirements = version
            .at(&format!("{pointer}/security"))
            .or_else(|| version.at("/security"));
        requirements
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|alternative| {
                let mut names: Vec<String> = alternative
                    .as_object()
                    .map(|a| a.keys().cloned().collect())
                    .unwrap_or_default();
                names.sort();
                names
            })
            .collect()
    }

    fn security(&mut self, label: &str, old_pointer: &str, new_pointer: &str) {
        let old = Self::security_of(self.old, old_pointer);
        let new = Self::security_of(self.new, new_pointer);
        // No requirement, or an empty alternative, means anonymous access.
        let anonymous = |set: &BTreeSet<Vec<String>>| set.is_empty() || set.contains(&Vec::new());
        let (was_open, is_open) = (anonymous(&old), anonymous(&new));
        let where_old = format!("{old_pointer}/security");
        let where_new = format!("{new_pointer}/security");
        if was_open && !is_open
            || (!is_open && !old.is_empty() && !new.iter().any(|a| old.contains(a)))
        {
            self.emit(
                "security-requirement-added",
                Some(label),
                format!("{label} now needs one of {new:?}"),
                Some(&where_old),
                Some(&where_new),
            );
        } else if !was_open && is_open {
            self.emit(
                "security-requirement-removed",
                Some(label),
                format!("{label} no longer needs credentials"),
                Some(&where_old),
                Some(&where_new),
            );
        }
    }

    /// Parameters in force for an operation (path item's, overridden by
    /// the operation's), keyed by location and name.
    fn parameters_of(
        version: &Version,
        op_pointer: &str,
    ) -> BTreeMap<(String, String), (String, Value)> {
        let mut found = BTreeMap::new();
        let item_pointer = op_pointer.rsplit_once('/').map_or("", |(item, _)| item);
        for base in [item_pointer, op_pointer] {
            for (index, parameter) in version
                .at(&format!("{base}/parameters"))
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                let (pointer, parameter) =
                    version.resolve(&format!("{base}/parameters/{index}"), parameter);
                let (Some(name), Some(place)) = (
                    parameter.get("name").and_then(Value::as_str),
                    parameter.get("in").and_then(Value::as_str),
                ) else {
                    continue;
                };
                // Header names are case-insensitive.
                let name = if place == "header" {
                    name.to_ascii_lowercase()
                } else {
                    name.to_owned()
                };
                found.insert((place.to_owned(), name), (pointer, parameter.clone()));
            }
        }
        found
    }

    fn parameters(&mut self, label: &str, old_pointer: &str, new_pointer: &str) {
        let old = Self::parameters_of(self.old, old_pointer);
        let new = Self::parameters_of(self.new, new_pointer);
        let required = |p: &Value| p.get("required") == Some(&Value::Bool(true));
        for ((place, name), (pointer, parameter)) in &old {
            let subject = format!("{place} parameter `{name}`");
            match new.get(&(place.clone(), name.clone())) {
                None => self.emit(
                    "parameter-removed",
                    Some(label),
                    format!("{subject} removed"),
                    Some(pointer),
                    None,
                ),
                Some((new_pointer, new_parameter)) => {
                    match (required(parameter), required(new_parameter)) {
                        (false, true) => self.emit(
                            "parameter-became-required",
                            Some(label),
                            format!("{subject} became required"),
                            Some(pointer),
                            Some(new_pointer),
                        ),
                        (true, false) => self.emit(
                            "parameter-became-optional",
                            Some(label),
                            format!("{subject} became optional"),
                            Some(pointer),
                            Some(new_pointer),
                        ),
                        _ => {}
                    }
                    if let (Some(a), Some(b)) =
                        (parameter.get("schema"), new_parameter.get("schema"))
                    {
                        self.schema(
                            Direction::Request,
                            label,
                            &subject,
                            (&format!("{pointer}/schema"), a),
                            (&format!("{new_pointer}/schema"), b),
                            0,
                        );
                    }
                }
            }
        }
        for ((place, name), (pointer, parameter)) in &new {
            if old.contains_key(&(place.clone(), name.clone())) {
                continue;
            }
            let id = if required(parameter) {
                "parameter-added-required"
            } else {
                "parameter-added-optional"
            };
            self.emit(
                id,
                Some(label),
                format!("{place} parameter `{name}` added"),
                None,
                Some(pointer),
            );
        }
    }

    fn request_body(&mut self, label: &str, old_pointer: &str, new_pointer: &str) {
        let body = |v: &'_ Version, op: &str| -> Option<(String, Value)> {
            let pointer = format!("{op}/requestBody");
            let node = v.at(&pointer)?;
            let (pointer, node) = v.resolve(&pointer, node);
            Some((pointer, node.clone()))
        };
        let required = |b: &Value| b.get("required") == Some(&Value::Bool(true));
        match (body(self.old, old_pointer), body(self.new, new_pointer)) {
            (None, None) => {}
            (Some((pointer, _)), None) => self.emit(
                "request-body-removed",
                Some(label),
                format!("{label}: request body removed"),
                Some(&pointer),
                None,
            ),
            (None, Some((pointer, body))) => {
                let id = if required(&body) {
                    "request-body-added-required"
                } else {
                    "request-body-added-optional"
                };
                self.emit(
                    id,
                    Some(label),
                    format!("{label}: request body added"),
                    None,
                    Some(&pointer),
                );
            }
            (Some((old_body_pointer, old_body)), Some((new_body_pointer, new_body))) => {
                match (required(&old_body), required(&new_body)) {
                    (false, true) => self.emit(
                        "request-body-became-required",
                        Some(label),
                        format!("{label}: request body became required"),
                        Some(&old_body_pointer),
                        Some(&new_body_pointer),
                    ),
                    (true, false) => self.emit(
                        "request-body-became-optional",
                        Some(label),
                        format!("{label}: request body became optional"),
                        Some(&old_body_pointer),
                        Some(&new_body_pointer),
                    ),
                    _ => {}
                }
                self.content(
                    Direction::Request,
                    label,
                    "request body",
                    (&old_body_pointer, &old_body),
                    (&new_body_pointer, &new_body),
                );
            }
        }
    }

    /// Media types of a body and their schemas.
    fn content(
        &mut self,
        direction: Direction,
        label: &str,
        subject: &str,
        (old_pointer, old): (&str, &Value),
        (new_pointer, new): (&str, &Value),
    ) {
        let media = |body: &Value| -> BTreeMap<String, (String, Value)> {
            body.get("content")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(name, media)| {
                    let essence = name
                        .split(';')
                        .next()
                        .unwrap_or_default()
                        .trim()
                        .to_ascii_lowercase();
                    (essence, (name.clone(), media.clone()))
                })
                .collect()
        };
        let (old_media, new_media) = (media(old), media(new));
        let prefix = direction.prefix();
        for (essence, (name, old_media_object)) in &old_media {
            let old_at = format!("{old_pointer}/content/{}", escape_token(name));
            match new_media.get(essence) {
                None => self.emit(
                    &format!("{prefix}-media-type-removed"),
                    Some(label),
                    format!("{subject}: `{name}` removed"),
                    Some(&old_at),
                    None,
                ),
                Some((new_name, new_media_object)) => {
                    let new_at = format!("{new_pointer}/content/{}", escape_token(new_name));
                    if let (Some(a), Some(b)) = (
                        old_media_object.get("schema"),
                        new_media_object.get("schema"),
                    ) {
                        self.schema(
                            direction,
                            label,
                            subject,
                            (&format!("{old_at}/schema"), a),
                            (&format!("{new_at}/schema"), b),
                            0,
                        );
                    }
                }
            }
        }
        for (essence, (name, _)) in &new_media {
            if !old_media.contains_key(essence) {
                self.emit(
                    &format!("{prefix}-media-type-added"),
                    Some(label),
                    format!("{subject}: `{name}` added"),
                    None,
                    Some(&format!("{new_pointer}/content/{}", escape_token(name))),
                );
            }
        }
    }

    fn responses(&mut self, label: &str, old_pointer: &str, new_pointer: &str) {
        let statuses = |v: &Version, op: &str| -> BTreeMap<String, (String, Value)> {
            v.at(&format!("{op}/responses"))
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(status, response)| {
                    let pointer = format!("{op}/responses/{}", escape_token(status));
                    let (pointer, response) = v.resolve(&pointer, response);
                    (status.to_ascii_uppercase(), (pointer, response.clone()))
                })
                .collect()
        };
        let old = statuses(self.old, old_pointer);
        let new = statuses(self.new, new_pointer);
        for (status, (pointer, response)) in &old {
            let subject = format!("response {status}");
            match new.get(status) {
                None => self.emit(
                    "response-status-removed",
                    Some(label),
                    format!("{label}: {subject} removed"),
                    Some(pointer),
                    None,
                ),
                Some((new_pointer, new_response)) => {
                    self.response_headers(
                        label,
                        &subject,
                        (pointer, response),
                        (new_pointer, new_response),
                    );
                    self.content(
                        Direction::Response,
                        label,
                        &subject,
                        (pointer, response),
                        (new_pointer, new_response),
                    );
                }
            }
        }
        for (status, (pointer, _)) in &new {
            if !old.contains_key(status) {
                self.emit(
                    "response-status-added",
                    Some(label),
                    format!("{label}: response {status} added"),
                    None,
                    Some(pointer),
                );
            }
        }
    }

    fn response_headers(
        &mut self,
        label: &str,
        subject: &str,
        (old_pointer, old): (&str, &Value),
        (new_pointer, new): (&str, &Value),
    ) {
        let headers = |response: &Value| -> BTreeMap<String, String> {
            response
                .get("headers")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(name, _)| (name.to_ascii_lowercase(), name.clone()))
                .collect()
        };
        let (old_headers, new_headers) = (headers(old), headers(new));
        let required = |h: &Value| h.get("required") == Some(&Value::Bool(true));
        for (lower, name) in &old_headers {
            let old_at = format!("{old_pointer}/headers/{}", escape_token(name));
            let Some(new_name) = new_headers.get(lower) else {
                self.emit(
                    "response-header-removed",
                    Some(label),
                    format!("{subject}: header `{name}` removed"),
                    Some(&old_at),
                    None,
                );
                continue;
            };
            let new_at = format!("{new_pointer}/headers/{}", escape_token(new_name));
            let (Some(old_header), Some(new_header)) = (
                old.pointer(&format!("/headers/{}", escape_token(name))),
                new.pointer(&format!("/headers/{}", escape_token(new_name))),
            ) else {
                continue;
            };
            let (old_at, old_header) = self.old.resolve(&old_at, old_header);
            let (new_at, new_header) = self.new.resolve(&new_at, new_header);
            let header_subject = format!("{subject}: header `{name}`");
            match (required(old_header), required(new_header)) {
                (false, true) => self.emit(
                    "response-header-became-required",
                    Some(label),
                    format!("{header_subject} became required"),
                    Some(&old_at),
                    Some(&new_at),
                ),
                (true, false) => self.emit(
                    "response-header-became-optional",
                    Some(label),
                    format!("{header_subject} became optional"),
                    Some(&old_at),
                    Some(&new_at),
                ),
                _ => {}
            }
            if let (Some(a), Some(b)) = (old_header.get("schema"), new_header.get("schema")) {
                self.schema(
                    Direction::Response,
                    label,
                    &header_subject,
                    (&format!("{old_at}/schema"), a),
                    (&format!("{new_at}/schema"), b),
                    0,
                );
            }
        }
        for (lower, name) in &new_headers {
            if !old_headers.contains_key(lower) {
                self.emit(
                    "response-header-added",
                    Some(label),
                    format!("{subject}: header `{name}` added"),
                    None,
                    Some(&format!("{new_pointer}/headers/{}", escape_token(name))),
                );
            }
        }
    }

    /// Records that the change `index` concerns `operation` too.
    fn concerns(&mut self, index: usize, operation: &str) {
        let operations = &mut self.changes[index].operations;
        if !operations.iter().any(|o| o == operation) {
            operations.push(operation.to_owned());
        }
    }

    /// Compares two schemas as `direction` sees them. A pair compared
    /// whole before, for another operation, is not compared again: what
    /// was found in it concerns this operation too.
    fn schema(
        &mut self,
        direction: Direction,
        label: &str,
        subject: &str,
        (old_pointer, old): (&str, &Value),
        (new_pointer, new): (&str, &Value),
        depth: usize,
    ) {
        if depth > 64 {
            self.comparing
                .iter_mut()
                .for_each(|pair| pair.cut_short = true);
            return;
        }
        let (old_pointer, old) = self.old.resolve(old_pointer, old);
        let (new_pointer, new) = self.new.resolve(new_pointer, new);
        let pair = (direction, old_pointer.clone(), new_pointer.clone());
        if let Some(found) = self.compared.get(&pair).cloned() {
            for &index in &found {
                self.concerns(index, label);
            }
            if let Some(innermost) = self.comparing.last_mut() {
                innermost.found.extend(found);
            }
            return;
        }
        let visit = (
            direction,
            old_pointer.clone(),
            new_pointer.clone(),
            label.to_owned(),
        );
        if !self.visited.insert(visit) {
            // Compared already for this operation: a cycle, whose pairs
            // inside the one it returns to are not compared whole from
            // where they stand; or a pair cut short before, which leaves
            // every pair around this one short of its changes.
            let inside = match self.comparing.iter().position(|c| c.pair == pair) {
                Some(at) => at + 1,
                None => 0,
            };
            self.comparing[inside..]
                .iter_mut()
                .for_each(|pair| pair.cut_short = true);
            return;
        }
        self.comparing.push(Comparing {
            pair,
            found: Vec::new(),
            cut_short: false,
        });
        self.schema_pair(
            direction,
            label,
            subject,
            (&old_pointer, old),
            (&new_pointer, new),
            depth,
        );
        if let Some(done) = self.comparing.pop() {
            if let Some(outer) = self.comparing.last_mut() {
                outer.found.extend(done.found.iter().copied());
            }
            if !done.cut_short {
                self.compared.insert(done.pair, done.found);
            }
        }
    }

    /// [`Differ::schema`] of one pair, resolved.
    fn schema_pair(
        &mut self,
        direction: Direction,
        label: &str,
        subject: &str,
        (old_pointer, old): (&str, &Value),
        (new_pointer, new): (&str, &Value),
        depth: usize,
    ) {
        let prefix = direction.prefix();
        let emit = |this: &mut Self,
                    id: &str,
                    message: String,
                    old_at: Option<String>,
                    new_at: Option<String>| {
            this.emit(
                &format!("{prefix}-{id}"),
                Some(label),
                message,
                old_at.as_deref(),
                new_at.as_deref(),
            );
        };
        let both = |key: &str| {
            (
                Some(format!("{old_pointer}/{key}")),
                Some(format!("{new_pointer}/{key}")),
            )
        };

        let text = |s: &Value, key: &str| s.get(key).and_then(Value::as_str).map(str::to_owned);
        let old_type = text(old, "type");
        let new_type = text(new, "type");
        if old_type.is_some() && new_type.is_some() && old_type != new_type {
            let (a, b) = both("type");
            emit(
                self,
                "type-changed",
                format!(
                    "{subject}: type {} -> {}",
                    old_type.unwrap_or_default(),
                    new_type.unwrap_or_default()
                ),
                a,
                b,
            );
            return;
        }
        if text(old, "format") != text(new, "format") {
            let (a, b) = both("format");
            emit(
                self,
                "format-changed",
                format!(
                    "{subject}: format {} -> {}",
                    text(old, "format").unwrap_or_else(|| "none".into()),
                    text(new, "format").unwrap_or_else(|| "none".into())
                ),
                a,
                b,
            );
        }
        let nullable = |s: &Value| s.get("nullable") == Some(&Value::Bool(true));
        match (nullable(old), nullable(new)) {
            (false, true) => {
                let (a, b) = both("nullable");
                emit(
                    self,
                    "became-nullable",
                    format!("{subject}: may now be null"),
                    a,
                    b,
                );
            }
            (true, false) => {
                let (a, b) = both("nullable");
                emit(
                    self,
                    "became-non-nullable",
                    format!("{subject}: may no longer be null"),
                    a,
                    b,
                );
            }
            _ => {}
        }
        if old.get("default") != new.get("default") {
            let (a, b) = both("default");
            emit(
                self,
                "default-changed",
                format!(
                    "{subject}: default {} -> {}",
                    old.get("default")
                        .map_or_else(|| "none".to_owned(), Value::to_string),
                    new.get("default")
                        .map_or_else(|| "none".to_owned(), Value::to_string)
                ),
                a,
                b,
            );
        }
        // `readOnly` members are not sent in requests, `writeOnly` ones not
        // in responses; the other flag means nothing in that direction.
        let (flag, became, no_longer) = match direction {
            Direction::Request => ("readOnly", "became-read-only", "no-longer-read-only"),
            Direction::Response => ("writeOnly", "became-write-only", "no-longer-write-only"),
        };
        let flagged = |s: &Value| s.get(flag) == Some(&Value::Bool(true));
        match (flagged(old), flagged(new)) {
            (false, true) => {
                let (a, b) = both(flag);
                emit(self, became, format!("{subject}: now `{flag}`"), a, b);
            }
            (true, false) => {
                let (a, b) = both(flag);
                emit(
                    self,
                    no_longer,
                    format!("{subject}: no longer `{flag}`"),
                    a,
                    b,
                );
            }
            _ => {}
        }
        if text(old, "description") != text(new, "description") {
            let (a, b) = both("description");
            self.emit(
                "schema-description-changed",
                Some(label),
                format!("{subject}: description changed"),
                a.as_deref(),
                b.as_deref(),
            );
        }
        self.enums(
            direction,
            label,
            subject,
            (old_pointer, old),
            (new_pointer, new),
        );
        self.constraints(
            direction,
            label,
            subject,
            (old_pointer, old),
            (new_pointer, new),
        );
        self.properties(
            direction,
            label,
            subject,
            (old_pointer, old),
            (new_pointer, new),
            depth,
        );
        for key in ["items", "additionalProperties"] {
            if let (Some(a), Some(b)) = (old.get(key), new.get(key))
                && a.is_object()
                && b.is_object()
            {
                self.schema(
                    direction,
                    label,
                    &format!("{subject}[{key}]"),
                    (&format!("{old_pointer}/{key}"), a),
                    (&format!("{new_pointer}/{key}"), b),
                    depth + 1,
                );
            }
        }
        self.alternatives(
            direction,
            label,
            subject,
            (old_pointer, old),
            (new_pointer, new),
            depth,
        );
    }

    fn enums(
        &mut self,
        direction: Direction,
        label: &str,
        subject: &str,
        (old_pointer, old): (&str, &Value),
        (new_pointer, new): (&str, &Value),
    ) {
        for (key, open) in [("enum", false), ("x-extensible-enum", true)] {
            // `const` is an enum of one value.
            let values = |s: &Value| -> Option<Vec<Value>> {
                match s.get(key) {
                    Some(values) => values.as_array().cloned(),
                    None if !open => Some(vec![s.get("const")?.clone()]),
                    None => None,
                }
            };
            let (Some(old_values), Some(new_values)) = (values(old), values(new)) else {
                continue;
            };
            let kind = if open { "open-enum" } else { "enum" };
            let prefix = direction.prefix();
            for value in &new_values {
                if !old_values.contains(value) {
                    self.emit(
                        &format!("{prefix}-{kind}-value-added"),
                        Some(label),
                        format!("{subject}: value {value} added"),
                        Some(&format!("{old_pointer}/{key}")),
                        Some(&format!("{new_pointer}/{key}")),
                    );
                }
            }
            for value in &old_values {
                if !new_values.contains(value) {
                    self.emit(
                        &format!("{prefix}-{kind}-value-removed"),
                        Some(label),
                        format!("{subject}: value {value} removed"),
                        Some(&format!("{old_pointer}/{key}")),
                        Some(&format!("{new_pointer}/{key}")),
                    );
                }
            }
        }
    }

    /// Every keyword that narrows or widens what a value admits, compared
    /// keyword by keyword: a stricter one is `-constraint-tightened`, a
    /// looser one `-constraint-loosened`, one that is neither both.
    fn constraints(
        &mut self,
        direction: Direction,
        label: &str,
        subject: &str,
        (old_pointer, old): (&str, &Value),
        (new_pointer, new): (&str, &Value),
    ) {
        let prefix = direction.prefix();
        let show = |s: &Value, key: &str| {
            s.get(key)
                .map_or_else(|| "none".to_owned(), Value::to_string)
        };
        let mut found: Vec<(&'static str, &'static str, String)> = Vec::new();
        // Lengths and counts: (keyword, whether a larger value is stricter).
        for (key, larger_is_stricter) in [
            ("minLength", true),
            ("maxLength", false),
            ("minItems", true),
            ("maxItems", false),
            ("minProperties", true),
            ("maxProperties", false),
        ] {
            let number = |s: &Value| s.get(key).and_then(Value::as_f64);
            let verdict = match (number(old), number(new)) {
                (None, None) => continue,
                (Some(a), Some(b)) if a == b => continue,
                (None, Some(_)) => TIGHTENED,
                (Some(_), None) => LOOSENED,
                (Some(a), Some(b)) if (b > a) == larger_is_stricter => TIGHTENED,
                (Some(_), Some(_)) => LOOSENED,
            };
            found.push((
                verdict,
                key,
                format!("{subject}: {key} {} -> {}", show(old, key), show(new, key)),
            ));
        }
        // Ranges, with their exclusive forms; an integer string's bounds
        // are `x-minimum`/`x-maximum` in the model (see
        // `normalize::integer_string_bounds`).
        for (key, lower) in [("minimum", true), ("maximum", false)] {
            let (a, b) = (bound(old, key), bound(new, key));
            let verdict = match (a, b) {
                (None, None) => continue,
                (Some(a), Some(b)) if a == b => continue,
                (None, Some(_)) => TIGHTENED,
                (Some(_), None) => LOOSENED,
                (Some((a, a_exclusive)), Some((b, b_exclusive))) => {
                    let stricter = if lower { b > a } else { b < a }
                        || (b == a && b_exclusive && !a_exclusive);
                    if stricter { TIGHTENED } else { LOOSENED }
                }
            };
            let describe = |bound: Option<(f64, bool)>| match bound {
                None => "none".to_owned(),
                Some((value, true)) => format!("{value} (exclusive)"),
                Some((value, false)) => value.to_string(),
            };
            found.push((
                verdict,
                bound_key(old, key),
                format!("{subject}: {key} {} -> {}", describe(a), describe(b)),
            ));
        }
        let number = |s: &Value| s.get("multipleOf").and_then(Value::as_f64);
        match (number(old), number(new)) {
            (None, None) => {}
            (Some(a), Some(b)) if a == b => {}
            (a, b) => {
                let message = format!(
                    "{subject}: multipleOf {} -> {}",
                    show(old, "multipleOf"),
                    show(new, "multipleOf")
                );
                let divides = |whole: f64, part: f64| {
                    let ratio = whole / part;
                    part != 0.0 && (ratio - ratio.round()).abs() < 1e-9
                };
                let verdicts: &[&'static str] = match (a, b) {
                    (None, _) => &[TIGHTENED],
                    (_, None) => &[LOOSENED],
                    (Some(a), Some(b)) if divides(b, a) => &[TIGHTENED],
                    (Some(a), Some(b)) if divides(a, b) => &[LOOSENED],
                    _ => &[TIGHTENED, LOOSENED],
                };
                for verdict in verdicts {
                    found.push((verdict, "multipleOf", message.clone()));
                }
            }
        }
        let unique = |s: &Value| s.get("uniqueItems") == Some(&Value::Bool(true));
        match (unique(old), unique(new)) {
            (false, true) => found.push((
                TIGHTENED,
                "uniqueItems",
                format!("{subject}: items must now be unique"),
            )),
            (true, false) => found.push((
                LOOSENED,
                "uniqueItems",
                format!("{subject}: items need no longer be unique"),
            )),
            _ => {}
        }
        // `additionalProperties`: false < a schema < anything (absent,
        // `true`, `{}`); two schemas are compared member by member.
        let openness = |s: &Value| match s.get("additionalProperties") {
            Some(Value::Bool(false)) => 0,
            Some(Value::Object(schema)) if !schema.is_empty() => 1,
            _ => 2,
        };
        let (a, b) = (openness(old), openness(new));
        if a != b {
            found.push((
                if b < a { TIGHTENED } else { LOOSENED },
                "additionalProperties",
                format!(
                    "{subject}: additionalProperties {} -> {}",
                    show(old, "additionalProperties"),
                    show(new, "additionalProperties")
                ),
            ));
        }
        // A keyword that constrains where there was none, or is gone.
        // (`oneOf`/`anyOf` where there was none: a value must now match
        // one of them; their members are compared in `alternatives`.)
        for key in ["type", "enum", "pattern", "items", "not", "oneOf", "anyOf"] {
            match (old.get(key).is_some(), new.get(key).is_some()) {
                (false, true) => found.push((
                    TIGHTENED,
                    key,
                    format!("{subject}: {key} {} added", show(new, key)),
                )),
                (true, false) => found.push((
                    LOOSENED,
                    key,
                    format!("{subject}: {key} {} removed", show(old, key)),
                )),
                _ => {}
            }
        }
        if let (Some(a), Some(b)) = (old.get("pattern"), new.get("pattern"))
            && a != b
        {
            self.emit(
                &format!("{prefix}-pattern-changed"),
                Some(label),
                format!("{subject}: pattern {a} -> {b}"),
                Some(&format!("{old_pointer}/pattern")),
                Some(&format!("{new_pointer}/pattern")),
            );
        }
        if let (Some(a), Some(b)) = (old.get("not"), new.get("not"))
            && a != b
        {
            // What `not` refuses changed: it admits more and less at once.
            for verdict in [TIGHTENED, LOOSENED] {
                found.push((verdict, "not", format!("{subject}: `not` changed")));
            }
        }
        // JSON Schema keywords the model does not interpret (most are 3.1):
        // any change to one is taken to narrow and widen at once.
        for key in UNMODELLED_KEYWORDS {
            if old.get(*key) != new.get(*key) {
                for verdict in [TIGHTENED, LOOSENED] {
                    found.push((
                        verdict,
                        key,
                        format!("{subject}: `{key}` changed (not modelled: taken as both stricter and looser)"),
                    ));
                }
            }
        }
        for (verdict, key, message) in found {
            self.emit(
                &format!("{prefix}-constraint-{verdict}"),
                Some(label),
                message,
                Some(&format!("{old_pointer}/{key}")),
                Some(&format!("{new_pointer}/{key}")),
            );
        }
    }

    fn properties(
        &mut self,
        direction: Direction,
        label: &str,
        subject: &str,
        (old_pointer, old): (&str, &Value),
        (new_pointer, new): (&str, &Value),
        depth: usize,
    ) {
        let members = |s: &Value| -> BTreeMap<String, Value> {
            s.get("properties")
                .and_then(Value::as_object)
                .map(|p| p.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default()
        };
        let required = |s: &Value| -> BTreeSet<String> {
            s.get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        };
        let (old_members, new_members) = (members(old), members(new));
        let (old_required, new_required) = (required(old), required(new));
        let prefix = direction.prefix();
        let at = |pointer: &str, name: &str| format!("{pointer}/properties/{}", escape_token(name));
        for (name, old_member) in &old_members {
            let member_subject = format!("{subject} member `{name}`");
            match new_members.get(name) {
                None => self.emit(
                    &format!("{prefix}-property-removed"),
                    Some(label),
                    format!("{member_subject} removed"),
                    Some(&at(old_pointer, name)),
                    None,
                ),
                Some(new_member) => {
                    match (old_required.contains(name), new_required.contains(name)) {
                        (false, true) => self.emit(
                            &format!("{prefix}-property-became-required"),
                            Some(label),
                            format!("{member_subject} became required"),
                            Some(&at(old_pointer, name)),
                            Some(&at(new_pointer, name)),
                        ),
                        (true, false) => self.emit(
                            &format!("{prefix}-property-became-optional"),
                            Some(label),
                            format!("{member_subject} became optional"),
                            Some(&at(old_pointer, name)),
                            Some(&at(new_pointer, name)),
                        ),
                        _ => {}
                    }
                    self.schema(
                        direction,
                        label,
                        &member_subject,
                        (&at(old_pointer, name), old_member),
                        (&at(new_pointer, name), new_member),
                        depth + 1,
                    );
                }
            }
        }
        for name in new_members.keys() {
            if old_members.contains_key(name) {
                continue;
            }
            let id = if new_required.contains(name) {
                "property-added-required"
            } else {
                "property-added-optional"
            };
            self.emit(
                &format!("{prefix}-{id}"),
                Some(label),
                format!("{subject} member `{name}` added"),
                Some(old_pointer),
                Some(&at(new_pointer, name)),
            );
        }
    }

    fn alternatives(
        &mut self,
        direction: Direction,
        label: &str,
        subject: &str,
        (old_pointer, old): (&str, &Value),
        (new_pointer, new): (&str, &Value),
        depth: usize,
    ) {
        for key in ["oneOf", "anyOf"] {
            let list = |s: &Value| {
                s.get(key)
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default()
            };
            let (old_list, new_list) = (list(old), list(new));
            if old_list.is_empty() && new_list.is_empty() {
                continue;
            }
            // Alternatives are matched by reference, else by position.
            let identity = |s: &Value, index: usize| {
                s.get("$ref")
                    .and_then(Value::as_str)
                    .map_or_else(|| format!("#{index}"), str::to_owned)
            };
            let old_ids: Vec<String> = old_list
                .iter()
                .enumerate()
                .map(|(i, s)| identity(s, i))
                .collect();
            let new_ids: Vec<String> = new_list
                .iter()
                .enumerate()
                .map(|(i, s)| identity(s, i))
                .collect();
            let prefix = direction.prefix();
            for (index, id) in old_ids.iter().enumerate() {
                match new_ids.iter().position(|n| n == id) {
                    None => self.emit(
                        &format!("{prefix}-alternative-removed"),
                        Some(label),
                        format!("{subject}: alternative {id} removed"),
                        Some(&format!("{old_pointer}/{key}/{index}")),
                        Some(&format!("{new_pointer}/{key}")),
                    ),
                    Some(new_index) => self.schema(
                        direction,
                        label,
                        subject,
                        (&format!("{old_pointer}/{key}/{index}"), &old_list[index]),
                        (
                            &format!("{new_pointer}/{key}/{new_index}"),
                            &new_list[new_index],
                        ),
                        depth + 1,
                    ),
                }
            }
            for (index, id) in new_ids.iter().enumerate() {
                if !old_ids.contains(id) {
                    self.emit(
                        &format!("{prefix}-alternative-added"),
                        Some(label),
                        format!("{subject}: alternative {id} added"),
                        Some(&format!("{old_pointer}/{key}")),
                        Some(&format!("{new_pointer}/{key}/{index}")),
                    );
                }
            }
        }
    }
}

/// The document as the diff reads it: an operation without `responses`
/// has none, a response without `description` an empty one (the model
/// `generate` renders from refuses both; a diff of such a spec still means
/// something). Nothing else is changed.
fn tolerant(mut document: Value) -> Value {
    let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) else {
        return document;
    };
    for item in paths.values_mut() {
        for method in METHODS {
            let Some(operation) = item.get_mut(*method).and_then(Value::as_object_mut) else {
                continue;
            };
            let responses = operation
                .entry("responses")
                .or_insert_with(|| Value::Object(serde_json::Map::new()));
            for response in responses
                .as_object_mut()
                .into_iter()
                .flat_map(|r| r.values_mut())
            {
                if let Some(response) = response.as_object_mut()
                    && !response.contains_key("$ref")
                {
                    response
                        .entry("description")
                        .or_insert_with(|| Value::String(String::new()));
                }
            }
        }
    }
    if let Some(responses) = document
        .pointer_mut("/components/responses")
        .and_then(Value::as_object_mut)
    {
        for response in responses.values_mut() {
            if let Some(response) = response.as_object_mut()
                && !response.contains_key("$ref")
            {
                response
                    .entry("description")
                    .or_insert_with(|| Value::String(String::new()));
            }
        }
    }
    document
}

/// Validation keywords `diff` compares only as "changed or not".
const UNMODELLED_KEYWORDS: &[&str] = &[
    "contains",
    "minContains",
    "maxContains",
    "prefixItems",
    "additionalItems",
    "unevaluatedItems",
    "unevaluatedProperties",
    "patternProperties",
    "propertyNames",
    "dependentRequired",
    "dependentSchemas",
    "dependencies",
    "if",
    "then",
    "else",
    "contentSchema",
    "contentMediaType",
    "contentEncoding",
];

const TIGHTENED: &str = "tightened";
const LOOSENED: &str = "loosened";

/// A schema's lower (`minimum`) or upper (`maximum`) bound and whether it
/// is exclusive: the 3.0 boolean `exclusiveMinimum`, the 3.1 numeric one,
/// or an integer string's `x-minimum` (as the model keeps it).
fn bound(schema: &Value, key: &str) -> Option<(f64, bool)> {
    let exclusive_key = if key == "minimum" {
        "exclusiveMinimum"
    } else {
        "exclusiveMaximum"
    };
    let number = |value: &Value| {
        value
            .as_f64()
            .or_else(|| value.as_str().and_then(|text| text.trim().parse().ok()))
    };
    if let Some(value) = schema.get(exclusive_key).and_then(number) {
        return Some((value, true));
    }
    let value = schema
        .get(key)
        .or_else(|| schema.get(format!("x-{key}").as_str()))
        .and_then(number)?;
    Some((value, schema.get(exclusive_key) == Some(&Value::Bool(true))))
}

/// The keyword a bound is written with in `schema`, to locate it (an
/// integer string's `x-maximum` is `maximum` in the file).
fn bound_key(schema: &Value, key: &'static str) -> &'static str {
    match key {
        "minimum" if schema.get("exclusiveMinimum").is_some_and(Value::is_number) => {
            "exclusiveMinimum"
        }
        "maximum" if schema.get("exclusiveMaximum").is_some_and(Value::is_number) => {
            "exclusiveMaximum"
        }
        _ => key,
    }
}

/// `/pets/{petId}` and `/pets/{id}` are the same path on the wire.
fn normalized_template(path: &str) -> String {
    let mut out = String::new();
    let mut in_variable = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_variable = true;
                out.push_str("{}");
            }
            '}' => in_variable = false,
            _ if in_variable => {}
            _ => out.push(c),
        }
    }
    out
}

/// The text of `path` (relative to the workspace root) at git revision
/// `rev`; `None` when the file did not exist there.
pub fn file_at_revision(root: &std::path::Path, rev: &str, path: &str) -> Result<Option<String>> {
    if rev.starts_with('-') {
        return Err(anyhow!("`{rev}` is not a git revision"));
    }
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["show", &format!("{rev}:{path}")])
        .output()
        .map_err(|error| anyhow!("cannot run git: {error}"))?;
    if output.status.success() {
        return Ok(Some(String::from_utf8_lossy(&output.stdout).into_owned()));
    }
    // Tell a missing file from a bad revision.
    let known = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ])
        .output()
        .map_err(|error| anyhow!("cannot run git: {error}"))?;
    if known.status.success() {
        Ok(None)
    } else {
        Err(anyhow!(
            "`{rev}` is not a git revision of {}",
            root.display()
        ))
    }
}

/// Each API's spec at `rev` against the working tree: (spec path, changes).
/// An API that did not exist at `rev` is compared with an empty spec.
pub fn diff_against_revision(
    root: &std::path::Path,
    rev: &str,
    apis: &[crate::generate::ApiConfig],
) -> Result<Vec<(String, Vec<Change>)>> {
    let mut reports = Vec::new();
    for api in apis {
        let path = api.spec.to_string_lossy().replace('\\', "/");
        let new = std::fs::read_to_string(root.join(&api.spec))
            .map_err(|error| anyhow!("cannot read {path}: {error}"))?;
        let old = file_at_revision(root, rev, &path)?.unwrap_or_else(|| {
            "openapi: 3.0.3\ninfo: {title: none, version: none}\npaths: {}\n".to_owned()
        });
        let changes = diff_texts(&format!("{rev}:{path}"), &old, &path, &new)?;
        reports.push((path, changes));
    }
    Ok(reports)
}

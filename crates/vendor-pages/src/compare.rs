//! A page against the spec: every disagreement, located on both sides,
//! unless the spec explains it on the node with `x-page-deviations`.

use std::collections::BTreeSet;

use serde_json::Value;

use super::page::{Field, Page, PageType, Place, Table};
use openapi_lint::SchemaValidator;
use openapi_source::{SourceDoc, child};

/// How deep object tables are followed (they may reference each other).
const MAX_DEPTH: usize = 8;

/// A spec, read with the position of every node.
#[derive(Debug)]
pub struct Spec {
    /// As shown in findings (`openapi/dbss.yaml`).
    pub file: String,
    pub doc: SourceDoc,
}

/// One disagreement between a page and a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub page: String,
    pub line: usize,
    pub rule: &'static str,
    pub message: String,
    /// `file:line:col` of the spec node it concerns.
    pub spec: Option<String>,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}",
            self.page, self.line, self.rule, self.message
        )?;
        if let Some(spec) = &self.spec {
            write!(f, " ({spec})")?;
        }
        Ok(())
    }
}

/// The rules `docs check` reports, each a stable name.
pub const RULES: &[&str] = &[
    "operation-missing",
    "parameter-missing",
    "parameter-extra",
    "member-missing",
    "member-extra",
    "required-mismatch",
    "type-mismatch",
    "constraint-mismatch",
    "constraint-contradiction",
    "default-mismatch",
    "enum-mismatch",
    "status-missing",
    "status-extra",
    "example-mismatch",
    "example-invalid",
    "page-updated",
    "deviation-stale",
];

struct Checker<'a> {
    page_path: &'a str,
    spec: &'a Spec,
    findings: Vec<Finding>,
    /// (pointer, index) of every deviation that explained a finding.
    used: BTreeSet<(String, usize)>,
    /// Nodes compared, whose deviations must each explain something.
    visited: BTreeSet<String>,
    /// The linter's `constraint-contradiction` rule, on the spec.
    contradictions: openapi_lint::Contradictions,
    /// The spec's schemas, to check the page's examples against (none
    /// when they do not compile: the linter reports that).
    validator: Option<SchemaValidator>,
}

/// Compares `page` with the operation of the same method and path in one
/// of `specs`.
pub fn check(page_path: &str, page: &Page, specs: &[Spec]) -> Vec<Finding> {
    let wanted = template(&page.uri);
    let found = specs.iter().find_map(|spec| {
        let paths = spec.doc.value().get("paths")?.as_object()?;
        paths.iter().find_map(|(path, item)| {
            let method = page.method.to_ascii_lowercase();
            (template(path) == wanted && item.get(&method).is_some()).then(|| {
                (
                    spec,
                    child(&child("/paths", path), &method),
                    child("/paths", path),
                )
            })
        })
    });
    let Some((spec, operation, path_item)) = found else {
        return vec![Finding {
            page: page_path.to_owned(),
            line: page.uri_line,
            rule: "operation-missing",
            message: format!("`{} {}` is in no spec", page.method, page.uri),
            spec: None,
        }];
    };
    let mut checker = Checker {
        page_path,
        spec,
        findings: Vec::new(),
        used: BTreeSet::new(),
        visited: BTreeSet::new(),
        contradictions: openapi_lint::Contradictions::new(spec.doc.value()),
        validator: SchemaValidator::new(spec.doc.value()).ok(),
    };
    checker.visit(&operation);
    checker.updated(page, &operation);
    checker.parameters(page, &operation, &path_item);
    checker.request_body(page, &operation);
    checker.responses(page, &operation);
    checker.stale_deviations(page.uri_line);
    checker.findings
}

/// A path with its parameter names blanked: `/v1/{}/audit`.
fn template(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            if segment.starts_with('{') && segment.ends_with('}') {
                "{}"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

impl Checker<'_> {
    fn root(&self) -> &Value {
        self.spec.doc.value()
    }

    fn node(&self, pointer: &str) -> Option<&Value> {
        self.root().pointer(pointer)
    }

    /// `pointer` with every `$ref` followed (bounded).
    fn deref(&self, pointer: &str) -> String {
        let mut pointer = pointer.to_owned();
        for _ in 0..16 {
            match self
                .node(&pointer)
                .and_then(|node| node.get("$ref"))
                .and_then(Value::as_str)
                .and_then(|reference| reference.strip_prefix('#'))
            {
                Some(target) => pointer = target.to_owned(),
                None => break,
            }
        }
        pointer
    }

    fn visit(&mut self, pointer: &str) {
        self.visited.insert(pointer.to_owned());
    }

    fn location(&self, pointer: &str) -> String {
        format!("{}:{}", self.spec.file, self.spec.doc.position(pointer))
    }

    /// Reports a disagreement about the node at `pointer` (and, for a
    /// member or parameter, its `name`), unless one of its
    /// `x-page-deviations` explains it.
    fn report(
        &mut self,
        line: usize,
        rule: &'static str,
        pointer: &str,
        name: Option<&str>,
        message: String,
    ) {
        self.report_at(line, rule, pointer, pointer, name, message);
    }

    /// [`Checker::report`], located at `at` (a keyword of the node at
    /// `pointer`, whose `x-page-deviations` may explain it).
    fn report_at(
        &mut self,
        line: usize,
        rule: &'static str,
        pointer: &str,
        at: &str,
        name: Option<&str>,
        message: String,
    ) {
        if let Some(Value::Array(deviations)) =
            self.node(pointer).and_then(|n| n.get("x-page-deviations"))
        {
            let explained = deviations.iter().position(|deviation| {
                deviation.get("rule").and_then(Value::as_str) == Some(rule)
                    && deviation
                        .get("name")
                        .and_then(Value::as_str)
                        .is_none_or(|expected| Some(expected) == name)
            });
            if let Some(index) = explained {
                self.used.insert((pointer.to_owned(), index));
                return;
            }
        }
        let spec = Some(self.location(at));
        self.findings.push(Finding {
            page: self.page_path.to_owned(),
            line,
            rule,
            message,
            spec,
        });
    }

    /// Every deviation on a compared node that explained nothing: the page
    /// or the spec changed, and the note is out of date.
    fn stale_deviations(&mut self, line: usize) {
        let visited: Vec<String> = self.visited.iter().cloned().collect();
        for pointer in visited {
            let Some(Value::Array(deviations)) = self
                .node(&pointer)
                .and_then(|n| n.get("x-page-deviations"))
                .cloned()
            else {
                continue;
            };
            for (index, deviation) in deviations.iter().enumerate() {
                if self.used.contains(&(pointer.clone(), index)) {
                    continue;
                }
                let rule = deviation.get("rule").and_then(Value::as_str).unwrap_or("?");
                let at = child(&child(&pointer, "x-page-deviations"), &index.to_string());
                self.findings.push(Finding {
                    page: self.page_path.to_owned(),
                    line,
                    rule: "deviation-stale",
                    message: format!(
                        "the spec explains a `{rule}` difference that this page no longer shows"
                    ),
                    spec: Some(self.location(&at)),
                });
            }
        }
    }

    fn updated(&mut self, page: &Page, operation: &str) {
        let Some((date, line)) = &page.updated else {
            return;
        };
        let recorded = self
            .node(operation)
            .and_then(|op| op.get("x-page-updated"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        match recorded {
            Some(recorded) if &recorded == date => {}
            Some(recorded) => self.report(
                *line,
                "page-updated",
                &child(operation, "x-page-updated"),
                None,
                format!("the page was updated on {date}; the spec follows the page of {recorded}"),
            ),
            None => self.report(
                *line,
                "page-updated",
                operation,
                None,
                format!(
                    "the page was updated on {date}; the spec records no date (`x-page-updated`)"
                ),
            ),
        }
    }

    fn parameters(&mut self, page: &Page, operation: &str, path_item: &str) {
        // (place, name, pointer) of every spec parameter, the operation's
        // overriding the path item's.
        let mut spec_parameters: Vec<(String, String, String)> = Vec::new();
        for owner in [path_item, operation] {
            let list = child(owner, "parameters");
            let count = self
                .node(&list)
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            for index in 0..count {
                let pointer = self.deref(&child(&list, &index.to_string()));
                let Some(parameter) = self.node(&pointer) else {
                    continue;
                };
                let name = parameter
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                let place = parameter
                    .get("in")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                spec_parameters.retain(|(p, n, _)| !(p == &place && n.eq_ignore_ascii_case(&name)));
                spec_parameters.push((place, name, pointer));
            }
        }
        let mut matched = BTreeSet::new();
        for (place, field) in &page.parameters {
            let found = spec_parameters.iter().find(|(p, n, _)| {
                p == place.as_str()
                    && match place {
                        Place::Header => n.eq_ignore_ascii_case(&field.name),
                        _ => n == &field.name,
                    }
            });
            let subject = format!("{} parameter `{}`", place.as_str(), field.name);
            match found {
                Some((_, _, pointer)) => {
                    let pointer = pointer.clone();
                    matched.insert(pointer.clone());
                    self.visit(&pointer);
                    let required = self
                        .node(&pointer)
                        .and_then(|p| p.get("required"))
                        .and_then(Value::as_bool)
                        .unwrap_or(false);
                    self.required(field, &pointer, required, &subject);
                    let schema = child(&pointer, "schema");
                    self.field(field, &schema, &subject);
                }
                None => self.report(
                    field.line,
                    "parameter-missing",
                    &child(operation, "parameters"),
                    Some(&field.name),
                    format!("the page documents {subject}; the spec does not"),
                ),
            }
        }
        for (place, name, pointer) in &spec_parameters {
            if matched.contains(pointer) || place == "cookie" {
                continue;
            }
            let pointer = pointer.clone();
            self.visit(&pointer);
            self.report(
                page.uri_line,
                "parameter-extra",
                &pointer,
                Some(name),
                format!("the spec has {place} parameter `{name}`; the page does not list it"),
            );
        }
    }

    fn required(&mut self, field: &Field, pointer: &str, required: bool, subject: &str) {
        if let Some(mandatory) = field.mandatory
            && mandatory != required
        {
            let (page, spec) = if mandatory {
                ("Yes", "optional")
            } else {
                ("No", "required")
            };
            self.report(
                field.line,
                "required-mismatch",
                pointer,
                Some(&field.name),
                format!("{subject}: the page says Mandatory `{page}`, the spec makes it {spec}"),
            );
        }
    }

    /// The component a member refers to (`$ref`, or an `allOf` of one
    /// reference, how a nullable reference is written), by name: the name
    /// its page gives it (`x-page-name`, when the component has another
    /// because two pages give different tables that name), else its own.
    fn component_name(&self, pointer: &str) -> Option<String> {
        let node = self.node(pointer)?;
        let reference = node.get("$ref").or_else(|| match node.get("allOf") {
            Some(Value::Array(parts)) if parts.len() == 1 => parts[0].get("$ref"),
            _ => None,
        })?;
        let reference = reference.as_str()?;
        let page_name = reference
            .strip_prefix('#')
            .and_then(|target| self.node(target)?.get("x-page-name")?.as_str());
        match page_name {
            Some(name) => Some(name.to_owned()),
            None => Some(reference.rsplit('/').next()?.to_owned()),
        }
    }

    /// The pointer of what `pointer` stands for: through `$ref`s and an
    /// `allOf` of one reference.
    fn target(&self, pointer: &str) -> String {
        let pointer = self.deref(pointer);
        match self.node(&pointer).and_then(|n| n.get("allOf")) {
            Some(Value::Array(parts)) if parts.len() == 1 => {
                self.deref(&child(&child(&pointer, "allOf"), "0"))
            }
            _ => pointer,
        }
    }

    /// Type, values, constraints and default of one parameter or member.
    fn field(&mut self, field: &Field, schema: &str, subject: &str) {
        // The page names object types; so does the spec, by component.
        let named = match &field.ty {
            PageType::Object(name) => Some((name, schema.to_owned())),
            PageType::Array(inner) => match &**inner {
                PageType::Object(name) => Some((name, child(&self.target(schema), "items"))),
                _ => None,
            },
            _ => None,
        };
        if let Some((page_name, at)) = named
            && !page_name.is_empty()
            && let Some(spec_name) = self.component_name(&at)
            && &spec_name != page_name
        {
            self.report(
                field.line,
                "type-mismatch",
                schema,
                Some(&field.name),
                format!("{subject}: the page names the type `{page_name}`, the spec `{spec_name}`"),
            );
        }
        let schema = self.target(schema);
        self.visit(&schema);
        let Some(node) = self.node(&schema).cloned() else {
            return;
        };
        if let Some(spec_type) = type_mismatch(
            &field.ty,
            &node,
            |pointer| self.node(&self.deref(pointer)).cloned(),
            &schema,
        ) {
            self.report(
                field.line,
                "type-mismatch",
                &schema,
                Some(&field.name),
                format!(
                    "{subject}: the page says `{}`, the spec {spec_type}",
                    field.type_text
                ),
            );
        }
        if !field.values.is_empty() {
            // Values of an array's items may be listed on the array.
            let items = node.get("items");
            let spec_values: Vec<String> = node
                .get("enum")
                .or_else(|| node.get("x-extensible-enum"))
                .or_else(|| items.and_then(|i| i.get("enum")))
                .or_else(|| items.and_then(|i| i.get("x-extensible-enum")))
                .and_then(Value::as_array)
                .map(|values| values.iter().map(text).collect())
                .unwrap_or_default();
            let page_only: Vec<&String> = field
                .values
                .iter()
                .filter(|v| !spec_values.contains(v))
                .collect();
            let spec_only: Vec<&String> = spec_values
                .iter()
                .filter(|v| !field.values.contains(v))
                .collect();
            if !page_only.is_empty() || !spec_only.is_empty() {
                let mut parts = Vec::new();
                if !page_only.is_empty() {
                    parts.push(format!("only on the page: {}", list(&page_only)));
                }
                if !spec_only.is_empty() {
                    parts.push(format!("only in the spec: {}", list(&spec_only)));
                }
                self.report(
                    field.line,
                    "enum-mismatch",
                    &schema,
                    Some(&field.name),
                    format!("{subject}: values differ ({})", parts.join("; ")),
                );
            }
        }
        let integer = node.get("type").and_then(Value::as_str) == Some("integer")
            || node
                .get("format")
                .and_then(Value::as_str)
                .is_some_and(|f| f.starts_with("int") || f.starts_with("uint"));
        // (what the page says it is, keyword, page value, spec value); a
        // bound "greater than 0" of an integer is "at least 1" on both sides.
        let bound =
            |page: Option<super::page::Bound>, key: &str, exclusive_key: &str, step: f64| {
                let page = page.map(|b| {
                    if b.exclusive && integer {
                        b.value + step
                    } else {
                        b.value
                    }
                });
                let exclusive = node
                    .get(exclusive_key)
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                let spec = node
                    .get(key)
                    .and_then(Value::as_f64)
                    .map(|v| if exclusive && integer { v + step } else { v });
                (page, spec)
            };
        // No `minLength` is a minimum length 0 (JSON Schema's default).
        let length = |page: Option<u64>, key: &str| {
            let spec = node.get(key).and_then(Value::as_f64);
            (
                page.map(|v| v as f64),
                spec.or((key == "minLength").then_some(0.0)),
            )
        };
        let constraints = [
            (
                "minimum length",
                "minLength",
                length(field.min_length, "minLength"),
            ),
            (
                "maximum length",
                "maxLength",
                length(field.max_length, "maxLength"),
            ),
            (
                "minimum",
                "minimum",
                bound(field.minimum, "minimum", "exclusiveMinimum", 1.0),
            ),
            (
                "maximum",
                "maximum",
                bound(field.maximum, "maximum", "exclusiveMaximum", -1.0),
            ),
        ];
        for (what, key, (page_value, spec_value)) in constraints {
            if page_value.is_some() && page_value != spec_value {
                self.report(
                    field.line,
                    "constraint-mismatch",
                    &schema,
                    Some(&field.name),
                    format!(
                        "{subject}: the page says {what} {}, the spec {}",
                        show(page_value),
                        key_value(key, spec_value)
                    ),
                );
            }
        }
        // What the page says may agree with one constraint of the spec and
        // not with another (a lowered `maximum`, a pattern left as it was).
        for found in self.contradictions.of(self.root(), &schema) {
            self.report_at(
                field.line,
                "constraint-contradiction",
                &schema,
                &found.pointer,
                Some(&field.name),
                format!("{subject}: the spec contradicts itself: {}", found.message),
            );
        }
        if let Some(default) = &field.default {
            let spec_default = node.get("default");
            if !spec_default.is_some_and(|d| field.ty.same_value(d, default)) {
                self.report(
                    field.line,
                    "default-mismatch",
                    &schema,
                    Some(&field.name),
                    format!(
                        "{subject}: the page says default {default}, the spec {}",
                        spec_default
                            .map_or_else(|| "has none".to_owned(), |d| format!("`{}`", text(d)))
                    ),
                );
            }
        }
    }

    /// The members of `table` against the object schema at `schema`,
    /// following object tables named in `objects`.
    fn members(
        &mut self,
        table: &[Field],
        schema: &str,
        objects: &[Table],
        subject: &str,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        let schema = self.target(schema);
        self.visit(&schema);
        let Some(node) = self.node(&schema).cloned() else {
            return;
        };
        if let Some(branch) = self.closest_branch(&schema, &node, table) {
            return self.members(table, &branch, objects, subject, depth + 1);
        }
        if let [field] = table
            && field.name == "[items]"
        {
            // `[items]` names the body itself, an array.
            let subject = format!("{subject} (array)");
            self.field(field, &schema, &subject);
            self.nested(field, &schema, objects, &subject, depth);
            return;
        }
        let required: Vec<String> = node
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().map(text).collect())
            .unwrap_or_default();
        let properties = node
            .get("properties")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        for field in table {
            let member_subject = format!("{subject} member `{}`", field.name);
            if super::page::placeholder(&field.name).is_some() {
                self.any_member(field, &schema, objects, &member_subject, depth);
                continue;
            }
            if !properties.contains_key(&field.name) {
                self.report(
                    field.line,
                    "member-missing",
                    &schema,
                    Some(&field.name),
                    format!("the page documents {member_subject}; the spec does not"),
                );
                continue;
            }
            let member = child(&child(&schema, "properties"), &field.name);
            self.visit(&member);
            self.required(
                field,
                &member,
                required.contains(&field.name),
                &member_subject,
            );
            self.field(field, &member, &member_subject);
            self.nested(field, &member, objects, &member_subject, depth);
        }
        let line = table.first().map_or(0, |field| field.line);
        for name in properties.keys() {
            if table.iter().any(|field| &field.name == name) {
                continue;
            }
            let member = child(&child(&schema, "properties"), name);
            self.visit(&member);
            self.report(
                line,
                "member-extra",
                &member,
                Some(name),
                format!("the spec has {subject} member `{name}`; the page does not list it"),
            );
        }
    }

    /// Of a `oneOf` (pages of one operation imported together, each page's
    /// body a branch), the branch whose members are most of `table`'s.
    fn closest_branch(&self, schema: &str, node: &Value, table: &[Field]) -> Option<String> {
        let branches = node.get("oneOf")?.as_array()?;
        let score = |index: usize| {
            let branch = self.target(&child(&child(schema, "oneOf"), &index.to_string()));
            let properties = self
                .node(&branch)
                .and_then(|b| b.get("properties"))
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            let shared = table
                .iter()
                .filter(|f| properties.contains_key(&f.name))
                .count();
            (shared, usize::MAX - properties.len().abs_diff(table.len()))
        };
        let best = (0..branches.len()).max_by_key(|i| score(*i))?;
        Some(child(&child(schema, "oneOf"), &best.to_string()))
    }

    /// A row standing for any member name (`<operator>`) against the
    /// object's `additionalProperties`.
    fn any_member(
        &mut self,
        field: &Field,
        schema: &str,
        objects: &[Table],
        subject: &str,
        depth: usize,
    ) {
        let member = child(schema, "additionalProperties");
        if !self.node(&member).is_some_and(Value::is_object) {
            self.report(
                field.line,
                "member-missing",
                schema,
                Some(&field.name),
                format!(
                    "the page documents {subject} (any member name); the spec has no `additionalProperties` schema"
                ),
            );
            return;
        }
        self.visit(&member);
        self.field(field, &member, subject);
        self.nested(field, &member, objects, subject, depth);
    }

    /// Follows a member whose type is an object table of the page (found by
    /// the page's type name, else by the spec's component name).
    fn nested(
        &mut self,
        field: &Field,
        member: &str,
        objects: &[Table],
        subject: &str,
        depth: usize,
    ) {
        let (name, schema) = match (&field.ty, &field.content) {
            (_, Some(name)) => (name, child(member, openapi_lint::CONTENT_SCHEMA)),
            (PageType::Object(name), None) => (name, member.to_owned()),
            (PageType::Array(inner), None) => match &**inner {
                PageType::Object(name) => (name, child(&self.target(member), "items")),
                _ => return,
            },
            _ => return,
        };
        let spec_name = self.component_name(&schema);
        let table = objects
            .iter()
            .find(|table| &table.name == name)
            .or_else(|| {
                objects
                    .iter()
                    .find(|table| Some(&table.name) == spec_name.as_ref())
            });
        if let Some(table) = table {
            let fields = table.fields.clone();
            self.members(&fields, &schema, objects, subject, depth + 1);
        }
    }

    fn request_body(&mut self, page: &Page, operation: &str) {
        let body = self.deref(&child(operation, "requestBody"));
        let media = child(&child(&body, "content"), "application/json");
        if let Some(table) = &page.body {
            self.members(
                &table.fields.clone(),
                &child(&media, "schema"),
                &page.request_objects.clone(),
                "request body",
                0,
            );
        }
        if let Some(example) = &page.request_example {
            let documented = self.examples(&media);
            if !documented.contains(&example.value) {
                self.report(
                    example.line,
                    "example-mismatch",
                    &media,
                    None,
                    format!(
                        "the page's example request body is {}",
                        not_among(documented.len())
                    ),
                );
            }
            self.example_fits(example, &media, "the page's example request body");
        }
    }

    fn responses(&mut self, page: &Page, operation: &str) {
        let responses = child(operation, "responses");
        let documented: Vec<String> = self
            .node(&responses)
            .and_then(Value::as_object)
            .map(|r| r.keys().cloned().collect())
            .unwrap_or_default();
        let mut page_statuses: Vec<(u16, usize)> = page.status_codes.clone();
        for section in &page.responses {
            if !page_statuses
                .iter()
                .any(|(code, _)| *code == section.status)
            {
                page_statuses.push((section.status, section.line));
            }
        }
        for (status, line) in &page_statuses {
            if !documented.contains(&status.to_string()) {
                self.report(
                    *line,
                    "status-missing",
                    &responses,
                    Some(&status.to_string()),
                    format!("the page documents status {status}; the spec does not"),
                );
            }
        }
        if !page.status_codes.is_empty() {
            for status in &documented {
                // The status code table is the page's list: a status the
                // spec documents and the table no longer lists is a
                // finding, even where a section still describes it.
                if status
                    .parse::<u16>()
                    .is_ok_and(|code| page.status_codes.iter().any(|(c, _)| *c == code))
                {
                    continue;
                }
                let pointer = child(&responses, status);
                self.visit(&pointer);
                self.report(
                    page.status_codes
                        .first()
                        .map_or(page.uri_line, |(_, line)| *line),
                    "status-extra",
                    &pointer,
                    Some(status),
                    format!(
                        "the spec documents status {status}; the page's status code table does not"
                    ),
                );
            }
        }
        for section in &page.responses {
            let status = section.status.to_string();
            if !documented.contains(&status) {
                continue;
            }
            let response = self.deref(&child(&responses, &status));
            self.visit(&response);
            let media = child(&child(&response, "content"), "application/json");
            if let Some(table) = &section.body {
                let subject = format!("response {status}");
                self.members(
                    &table.fields.clone(),
                    &child(&media, "schema"),
                    &section.objects.clone(),
                    &subject,
                    0,
                );
            }
        }
        for (status, example) in &page.response_examples {
            let key = status.to_string();
            if !documented.contains(&key) {
                continue;
            }
            let response = self.deref(&child(&responses, &key));
            let media = child(&child(&response, "content"), "application/json");
            let examples = self.examples(&media);
            if !examples.contains(&example.value) {
                self.report(
                    example.line,
                    "example-mismatch",
                    &media,
                    Some(&key),
                    format!(
                        "the page's example answer for status {status} is {}",
                        not_among(examples.len())
                    ),
                );
            }
            let subject = format!("the page's example answer for status {status}");
            self.example_fits(example, &media, &subject);
        }
    }

    /// The page's example against the spec's schema of its media type: each
    /// place it does not fit, under `example-invalid` (named by its JSON
    /// Pointer into the example, which an `x-page-deviations` entry of the
    /// media type names to explain it).
    fn example_fits(&mut self, example: &super::page::Example, media: &str, subject: &str) {
        self.visit(media);
        let Some(schema) = self.node(&child(media, "schema")).cloned() else {
            return;
        };
        let Some(Ok(mismatches)) = self
            .validator
            .as_ref()
            .map(|validator| validator.mismatches(&schema, &example.value))
        else {
            return;
        };
        for mismatch in mismatches {
            let place = if mismatch.at.is_empty() {
                String::new()
            } else {
                format!(" at `{}`", mismatch.at)
            };
            self.report(
                example.line,
                "example-invalid",
                media,
                Some(&mismatch.at),
                format!(
                    "{subject} does not fit the spec's schema{place}: {}",
                    mismatch.message
                ),
            );
        }
    }

    /// The example values of a Media Type Object, the page's example kept
    /// beside it (`x-page-example`: it contradicts the page's tables) too.
    fn examples(&self, media: &str) -> Vec<Value> {
        let Some(node) = self.node(media) else {
            return Vec::new();
        };
        let mut values: Vec<Value> = ["example", "x-page-example"]
            .iter()
            .filter_map(|key| node.get(*key).cloned())
            .collect();
        if let Some(Value::Object(examples)) = node.get("examples") {
            for name in examples.keys() {
                let example = self.deref(&child(&child(media, "examples"), name));
                if let Some(value) = self.node(&example).and_then(|e| e.get("value")) {
                    values.push(value.clone());
                }
            }
        }
        values
    }
}

/// What the spec says instead, when `ty` does not fit `schema`.
fn type_mismatch(
    ty: &PageType,
    schema: &Value,
    resolve: impl Fn(&str) -> Option<Value> + Copy,
    pointer: &str,
) -> Option<String> {
    let kind = schema
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_else(|| {
            if schema.get("properties").is_some() {
                "object"
            } else {
                ""
            }
        });
    let format = schema.get("format").and_then(Value::as_str);
    let describe = || match format {
        Some(format) => format!("`{kind}` ({format})"),
        None if kind.is_empty() => "no type".to_owned(),
        None => format!("`{kind}`"),
    };
    let fits = match ty {
        PageType::String => kind == "string",
        PageType::Integer => kind == "integer" && matches!(format, None | Some("int32")),
        PageType::Long => kind == "integer" && matches!(format, None | Some("int64")),
        PageType::Boolean => kind == "boolean",
        PageType::Double => kind == "number" && matches!(format, None | Some("double")),
        PageType::Float => kind == "number" && matches!(format, None | Some("float")),
        PageType::Number => kind == "number",
        PageType::Time => kind == "string",
        PageType::Object(_) => kind == "object" || kind.is_empty(),
        PageType::Array(inner) => {
            if kind != "array" {
                false
            } else {
                let items = child(pointer, "items");
                let items_schema = resolve(&items)?;
                return type_mismatch(inner, &items_schema, resolve, &items)
                    .map(|inner| format!("an array of {inner}"));
            }
        }
        PageType::Other(_) => true,
    };
    (!fits).then(describe)
}

fn text(value: &Value) -> String {
    value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_owned)
}

fn list(values: &[&String]) -> String {
    values
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn show(value: Option<f64>) -> String {
    value.map_or_else(|| "none".to_owned(), |v| v.to_string())
}

fn key_value(key: &str, value: Option<f64>) -> String {
    match value {
        Some(value) => format!("`{key}: {value}`"),
        None => format!("has no `{key}`"),
    }
}

fn not_among(n: usize) -> String {
    match n {
        0 => "not in the spec, which has no example here".to_owned(),
        1 => "not the spec's example".to_owned(),
        n => format!("none of the spec's {n} examples"),
    }
}

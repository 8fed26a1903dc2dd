//! Findings in the formats CI systems read: plain text, JSON, SARIF 2.1.0
//! (code scanning) and GitHub Actions workflow commands. Every format
//! carries the same findings.

use serde_json::{Value, json};

use super::{Finding, Rule, Severity};

/// How findings are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `path:line:col: rule: message`, one finding a line.
    Text,
    /// A JSON array of findings.
    Json,
    /// A SARIF 2.1.0 log.
    Sarif,
    /// GitHub Actions `::error file=...,line=...,col=...::` annotations.
    Github,
}

/// The findings as `format`, ending in a newline unless empty.
pub fn render(findings: &[Finding], format: Format) -> String {
    match format {
        Format::Text => findings.iter().map(|f| format!("{f}\n")).collect(),
        Format::Json => {
            serde_json::to_string_pretty(findings).unwrap_or_else(|_| "[]".into()) + "\n"
        }
        Format::Sarif => serde_json::to_string_pretty(&sarif(findings)).unwrap_or_default() + "\n",
        Format::Github => findings.iter().map(github).collect(),
    }
}

fn github(finding: &Finding) -> String {
    let command = match finding.severity {
        Severity::Error => "error",
        _ => "warning",
    };
    let mut properties = format!(
        "file={}",
        escape_property(&finding.file.display().to_string())
    );
    if let Some(position) = finding.position {
        properties.push_str(&format!(",line={},col={}", position.line, position.column));
    }
    properties.push_str(&format!(",title={}", escape_property(finding.rule.name())));
    format!(
        "::{command} {properties}::{}\n",
        escape_data(&format!("{}: {}", finding.rule, finding.message))
    )
}

/// Workflow command data escaping (GitHub's `toolkit/core`), after every
/// other control character is escaped as text.
fn escape_data(text: &str) -> String {
    openapi_source::printable(text)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Workflow command property escaping.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn sarif(findings: &[Finding]) -> Value {
    // The built-in rules, then those of added checks that have findings.
    let mut all: Vec<Rule> = Rule::ALL.to_vec();
    for finding in findings {
        if !all.contains(&finding.rule) {
            all.push(finding.rule);
        }
    }
    let rules: Vec<Value> = all
        .iter()
        .map(|rule| {
            json!({
                "id": rule.name(),
                "shortDescription": {"text": rule.summary()},
            })
        })
        .collect();
    let results: Vec<Value> = findings
        .iter()
        .map(|finding| {
            let mut location = json!({
                "physicalLocation": {
                    "artifactLocation": {"uri": finding.file.display().to_string().replace('\\', "/")},
                }
            });
            if let Some(position) = finding.position {
                location["physicalLocation"]["region"] = json!({
                    "startLine": position.line,
                    "startColumn": position.column,
                });
            }
            json!({
                "ruleId": finding.rule.name(),
                "ruleIndex": all.iter().position(|rule| *rule == finding.rule),
                "level": match finding.severity {
                    Severity::Error => "error",
                    _ => "warning",
                },
                "message": {"text": finding.message},
                "locations": [location],
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "vendor-bindings lint",
                "informationUri": "https://github.com/vendor-bindings/vendor-bindings",
                "rules": rules,
            }},
            "results": results,
        }],
    })
}

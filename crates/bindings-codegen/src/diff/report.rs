//! The diff as text (one line per change, `file:line:col` first), markdown
//! (a table for a pull request or a changelog) or JSON (for tools).

use std::fmt::Write as _;

use openapi_source::printable;

use super::{Change, Level};

/// Output format of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Json,
}

/// Counts by the most severe effect.
fn summary(changes: &[Change]) -> String {
    let count = |level: Level| changes.iter().filter(|c| c.worst() == level).count();
    format!(
        "{} change(s): {} breaking, {} compatible, {} info",
        changes.len(),
        count(Level::Breaking),
        count(Level::Compatible),
        count(Level::Info)
    )
}

fn location(change: &Change) -> String {
    match (&change.old, &change.new) {
        (_, Some(new)) => new.to_string(),
        (Some(old), None) => old.to_string(),
        (None, None) => String::new(),
    }
}

/// Renders `changes` (of the spec named `title`) in `format`.
pub fn render(title: &str, changes: &[Change], format: Format) -> String {
    match format {
        Format::Json => {
            let value = serde_json::json!({
                "spec": title,
                "changes": changes,
            });
            serde_json::to_string_pretty(&value).unwrap_or_default()
        }
        Format::Text => {
            let mut out = String::new();
            for change in changes {
                let _ = write!(
                    out,
                    "{}: {}: {} [client {}, server {}, rust {}]",
                    printable(&location(change)),
                    change.id,
                    printable(&change.message),
                    change.client.name(),
                    change.server.name(),
                    change.rust.name()
                );
                if let Some(old) = &change.old
                    && change.new.is_some()
                {
                    let _ = write!(out, " (was {})", printable(&old.to_string()));
                }
                out.push('\n');
            }
            let _ = writeln!(out, "{}: {}", printable(title), summary(changes));
            out
        }
        Format::Markdown => {
            let mut out = format!("### {}\n\n{}\n\n", markdown(title), summary(changes));
            if changes.is_empty() {
                return out;
            }
            out.push_str("| change | operations | clients | servers | Rust | where (old → new) |\n|---|---|---|---|---|---|\n");
            for change in changes {
                let place = |l: &Option<super::Location>| {
                    l.as_ref().map_or_else(
                        || "–".to_owned(),
                        |l| format!("`{}`", markdown(&l.to_string())),
                    )
                };
                let _ = writeln!(
                    out,
                    "| `{}`: {} | {} | {} | {} | {} | {} → {} |",
                    change.id,
                    markdown(&change.message),
                    markdown(&change.operations.join(", ")),
                    change.client.name(),
                    change.server.name(),
                    change.rust.name(),
                    place(&change.old),
                    place(&change.new)
                );
            }
            out
        }
    }
}

/// Text from a spec, safe in a markdown table cell: control characters
/// escaped, `|` escaped, backticks made harmless.
pub fn markdown(text: &str) -> String {
    printable(text).replace('|', "\\|").replace('`', "'")
}

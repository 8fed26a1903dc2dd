//! Rust names for spec names.

use proc_macro2::{Ident, Span};

/// `PascalCase` from snake_case, kebab-case, camelCase, SCREAMING_CASE or
/// space-separated words.
pub fn pascal_case(name: &str) -> String {
    words(name)
        .iter()
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => {
                    first.to_ascii_uppercase().to_string() + &chars.as_str().to_ascii_lowercase()
                }
                None => String::new(),
            }
        })
        .collect()
}

/// `snake_case` from any of the forms [`pascal_case`] accepts.
pub fn snake_case(name: &str) -> String {
    words(name)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_")
}

/// Splits on separators and on lower-to-upper case changes (`traceId` is
/// `trace`, `Id`; `HTTPStatus` is `HTTP`, `Status`).
fn words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (index, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        let previous = index.checked_sub(1).map(|i| chars[i]);
        let next = chars.get(index + 1);
        let boundary = c.is_ascii_uppercase()
            && previous.is_some_and(|p| {
                p.is_ascii_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
            });
        if boundary && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        current.push(c);
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

pub const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be raw identifiers either.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// An identifier for `name`, whatever it is: characters that cannot be in
/// an identifier become `_` (`$ref` is `_ref`, `@id` is `_id`), a leading
/// digit gets a `_` before it, a keyword is raw (`r#type`), a keyword
/// that cannot be raw gets a `_` after it (`self_`), and a name without an
/// ASCII letter gets a `v` before it (`名前` is `v__`, `_` is `v_`).
pub fn ident(name: &str) -> Ident {
    let mut cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !cleaned.chars().any(|c| c.is_ascii_alphabetic()) {
        // Nothing but `_` and digits (`名前`, `_`, `1`, an empty name):
        // clippy's `just_underscores_and_digits` refuses such a binding.
        cleaned.insert(0, 'v');
    }
    if cleaned.starts_with(|c: char| c.is_ascii_digit()) {
        cleaned.insert(0, '_');
    }
    if NOT_RAW.contains(&cleaned.as_str()) {
        cleaned.push('_');
    }
    if KEYWORDS.contains(&cleaned.as_str()) {
        Ident::new_raw(&cleaned, Span::call_site())
    } else {
        Ident::new(&cleaned, Span::call_site())
    }
}

/// A type or variant identifier: PascalCase, `V`-prefixed when the name
/// starts with a digit.
pub fn type_ident(name: &str) -> Ident {
    let pascal = pascal_case(name);
    if pascal.starts_with(|c: char| c.is_ascii_digit()) || pascal.is_empty() {
        Ident::new(&format!("V{pascal}"), Span::call_site())
    } else {
        ident(&pascal)
    }
}

/// What a member adds to its holder's name to name the member's own type:
/// its PascalCase, or for a name without an ASCII letter or digit
/// (`名前`) its code points (`U540d524d`), so that it is never empty (the
/// holder's own name) and two such members differ.
pub fn member_suffix(member: &str) -> String {
    let pascal = pascal_case(member);
    if !pascal.is_empty() {
        return pascal;
    }
    let points: String = member
        .chars()
        .map(|c| format!("{:x}", u32::from(c)))
        .collect();
    format!("U{points}")
}

/// The name typify looks a component's replacement up by: its own
/// `sanitize(name, Case::Pascal)` (private to typify-impl 0.8, `util.rs`),
/// so that a component whose name is not already typify's PascalCase
/// (`A_b`, `auto-merge`) is still replaced by the types crate's type
/// instead of rendered a second time by progenitor.
pub fn typify_type_name(name: &str) -> String {
    typify_sanitize(name, heck::ToPascalCase::to_pascal_case, "X")
}

/// The Rust name progenitor gives a parameter: typify's
/// `sanitize(name, Case::Snake)`.
pub fn progenitor_parameter_name(name: &str) -> String {
    typify_sanitize(name, heck::ToSnakeCase::to_snake_case, "x")
}

fn typify_sanitize(name: &str, to_case: fn(&str) -> String, prefix: &str) -> String {
    let out = match name {
        "+1" => "plus1".to_owned(),
        "-1" => "minus1".to_owned(),
        _ => to_case(
            &name
                .replace('\'', "")
                .replace(|c| !unicode_ident::is_xid_continue(c), "-"),
        ),
    };
    let out = match out.chars().next() {
        Some(c) if unicode_ident::is_xid_start(c) => out,
        _ => format!("{prefix}{out}"),
    };
    if syn::parse_str::<Ident>(&out).is_ok() && out != "gen" {
        out
    } else {
        format!("{out}_")
    }
}

/// The start of a type name made by appending words (`{prefix}Input`):
/// PascalCase, `V`-prefixed when it would start with a digit or be empty
/// (an `operationId` like `1op` or `größe`), so that the whole is an
/// identifier.
pub fn type_prefix(name: &str) -> String {
    let pascal = pascal_case(name);
    if pascal.starts_with(|c: char| c.is_ascii_digit()) || pascal.is_empty() {
        format!("V{pascal}")
    } else {
        pascal
    }
}

/// The `with_*` setter for `field`, snake case even when the field is not
/// (`_9lives` and `_ref` give `with_9lives` and `with_ref`); a name already
/// in `taken` gets a numeric suffix so that two fields never share a setter.
pub fn setter_ident(field: &Ident, taken: &mut std::collections::BTreeSet<String>) -> Ident {
    let field = field.to_string();
    let words: Vec<&str> = field
        .trim_start_matches("r#")
        .split('_')
        .filter(|word| !word.is_empty())
        .collect();
    let base = if words.is_empty() {
        "with".to_owned()
    } else {
        format!("with_{}", words.join("_"))
    };
    let mut name = base.clone();
    let mut suffix = 2;
    while !taken.insert(name.clone()) {
        name = format!("{base}_{suffix}");
        suffix += 1;
    }
    Ident::new(&name, Span::call_site())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// typify's own spelling of a component's type name, which its
    /// replacements are looked up by.
    #[test]
    fn typify_type_names() {
        assert_eq!(typify_type_name("A_b"), "AB");
        assert_eq!(typify_type_name("nullable-milestone"), "NullableMilestone");
        assert_eq!(typify_type_name("HTTPStatus"), "HttpStatus");
        assert_eq!(typify_type_name("Pet"), "Pet");
        assert_eq!(typify_type_name("1st.thing"), "X1stThing");
        assert_eq!(typify_type_name("it's"), "Its");
        assert_eq!(typify_type_name("+1"), "plus1");
        assert_eq!(typify_type_name(""), "X");
        assert_eq!(typify_type_name("self"), "Self_");
    }

    #[test]
    fn member_suffixes() {
        assert_eq!(member_suffix("trace_id"), "TraceId");
        assert_eq!(member_suffix("名前"), "U540d524d");
        assert_eq!(member_suffix("_"), "U5f");
        assert_eq!(member_suffix(""), "U");
    }

    /// progenitor's spelling of a parameter's name.
    #[test]
    fn progenitor_parameter_names() {
        assert_eq!(progenitor_parameter_name("menuId"), "menu_id");
        assert_eq!(progenitor_parameter_name("X-Menu-Id"), "x_menu_id");
        assert_eq!(progenitor_parameter_name("1st"), "x1st");
        assert_eq!(progenitor_parameter_name("type"), "type_");
    }

    #[test]
    fn cases() {
        assert_eq!(snake_case("traceId"), "trace_id");
        assert_eq!(snake_case("errCode"), "err_code");
        assert_eq!(snake_case("X-Auth-Token"), "x_auth_token");
        assert_eq!(snake_case("db_stats"), "db_stats");
        assert_eq!(pascal_case("HALF_HOUR"), "HalfHour");
        assert_eq!(
            pascal_case("count_db_client_session"),
            "CountDbClientSession"
        );
        assert_eq!(
            pascal_case("ReportClientSessionNew"),
            "ReportClientSessionNew"
        );
        assert_eq!(pascal_case("HTTPStatus"), "HttpStatus");
        assert_eq!(type_prefix("1op"), "V1op");
        // Never only `_` and digits, which clippy refuses as a binding.
        for (name, rust) in [("名前", "v__"), ("_", "v_"), ("", "v"), ("1", "v1")] {
            assert_eq!(ident(name).to_string(), rust);
        }
        assert_eq!(type_prefix("名前"), "V");
        assert_eq!(type_prefix("get_thing"), "GetThing");
        assert_eq!(type_ident("1").to_string(), "V1");
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("self").to_string(), "self_");
        assert_eq!(ident("Self").to_string(), "Self_");
        assert_eq!(ident("$ref").to_string(), "_ref");
        assert_eq!(ident("@id").to_string(), "_id");
        assert_eq!(ident("9lives").to_string(), "_9lives");
        assert_eq!(type_ident("self").to_string(), "Self_");
    }

    #[test]
    fn setters_are_snake_case_and_distinct() {
        let mut taken = std::collections::BTreeSet::new();
        let names: Vec<String> = ["_9lives", "_ref", "r#type", "a", "_a", "a_"]
            .iter()
            .map(|field| {
                setter_ident(&ident(field.trim_start_matches("r#")), &mut taken).to_string()
            })
            .collect();
        assert_eq!(
            names,
            [
                "with_9lives",
                "with_ref",
                "with_type",
                "with_a",
                "with_a_2",
                "with_a_3"
            ]
        );
    }
}

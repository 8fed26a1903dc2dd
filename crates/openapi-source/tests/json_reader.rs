//! JSON documents take their own reader; it must give exactly what the
//! YAML reader gives (values and the position of every node), for every
//! JSON spec of the shared corpus and for the shapes below.

use std::path::Path;

use openapi_source::SourceDoc;

fn same(name: &str, text: &str) {
    let json = SourceDoc::parse(text);
    let yaml = SourceDoc::parse_yaml(text);
    match (json, yaml) {
        (Ok(json), Ok(yaml)) => {
            if let Some(pointer) = first_difference(json.value(), yaml.value(), String::new()) {
                panic!(
                    "{name}: values differ at {pointer}: JSON reader {:?}, YAML reader {:?}",
                    json.value().pointer(&pointer),
                    yaml.value().pointer(&pointer)
                );
            }
            for pointer in pointers(yaml.value(), String::new()) {
                assert_eq!(
                    json.position(&pointer),
                    yaml.position(&pointer),
                    "{name}: {pointer}"
                );
            }
        }
        (Err(json), Err(yaml)) => assert_eq!(json.position.line, yaml.position.line, "{name}"),
        // yaml-rust2 cannot decode a UTF-16 surrogate pair escape
        // (`\ud83d\ude00`), which is valid JSON: the JSON reader reads it.
        (Ok(_), Err(yaml)) if yaml.message.contains("Unicode character escape") => {}
        (json, yaml) => panic!(
            "{name}: JSON reader {:?}, YAML reader {:?}",
            json.err(),
            yaml.err()
        ),
    }
}

/// The first pointer where `a` and `b` differ.
fn first_difference(a: &serde_json::Value, b: &serde_json::Value, at: String) -> Option<String> {
    use serde_json::Value;
    match (a, b) {
        (Value::Object(x), Value::Object(y)) if x.len() == y.len() => {
            x.iter().find_map(|(key, value)| {
                let here = openapi_source::child(&at, key);
                match y.get(key) {
                    Some(other) => first_difference(value, other, here),
                    None => Some(here),
                }
            })
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(index, (p, q))| first_difference(p, q, format!("{at}/{index}"))),
        _ if a == b => None,
        _ => Some(at),
    }
}

fn pointers(value: &serde_json::Value, at: String) -> Vec<String> {
    let mut all = vec![at.clone()];
    match value {
        serde_json::Value::Object(members) => {
            for (key, member) in members {
                all.extend(pointers(member, openapi_source::child(&at, key)));
            }
        }
        serde_json::Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                all.extend(pointers(item, format!("{at}/{index}")));
            }
        }
        _ => {}
    }
    all
}

#[test]
fn the_shared_corpus_json_specs_read_the_same() {
    same_for_every_json_in("../../../shared/openapi-corpus");
}

/// The published-spec corpus, where its files were synced (not in CI).
#[test]
fn the_synced_corpus_json_specs_read_the_same() {
    same_for_every_json_in("../../corpus/specs/files");
}

fn same_for_every_json_in(relative: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("{} is absent: skipped", dir.display());
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|ext| ext == "json") {
            let text = std::fs::read_to_string(&path).expect("readable");
            same(&path.display().to_string(), &text);
        }
    }
}

#[test]
fn shapes_read_the_same() {
    let cases = [
        (
            "minified",
            r#"{"a":[1,2.5,-3,1e3,true,false,null],"b":{"c":"d\n\u00e9\"x"}}"#,
        ),
        (
            "pretty",
            "{\n  \"a\": [\n    {\"k\": 18446744073709551615}\n  ],\n  \"é\": \"ü\"\n}\n",
        ),
        (
            "empty containers",
            "{\"a\": {}, \"b\": [], \"c\": [[], {}]}",
        ),
        ("top array", "[1, {\"a\": 2}]"),
        ("pointer escapes", "{\"/paths~x\": {\"a/b\": 1}}"),
    ];
    for (name, text) in cases {
        same(name, text);
    }
}

#[test]
fn a_duplicate_key_is_refused_where_it_is() {
    let Err(error) = SourceDoc::parse("{\n  \"a\": 1,\n  \"a\": 2\n}") else {
        panic!("a duplicate key was accepted");
    };
    assert_eq!((error.position.line, error.position.col), (3, 3));
    assert!(error.message.contains("duplicate mapping key `a`"));
}

#[test]
fn yaml_flow_documents_still_read() {
    let doc = SourceDoc::parse("{a: 1, b: [x, y]}").expect("YAML flow mapping");
    assert_eq!(doc.value()["b"][1], "y");
}

#[test]
fn nesting_is_bounded() {
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    assert!(SourceDoc::parse(&deep).is_err());
}

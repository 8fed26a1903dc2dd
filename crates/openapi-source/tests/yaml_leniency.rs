//! What libyaml, js-yaml and PyYAML read and YAML 1.2 calls too little
//! indentation: a flow collection written as a block value that closes at
//! its key's indentation (Apache Iceberg's REST catalog spec). It reads,
//! every node where it was written; any other indentation error stands.

use openapi_source::SourceDoc;
use serde_json::json;

/// As Iceberg writes it: the closing brace at `example`'s indentation.
const CLOSING_AT_THE_KEY: &str = "\
outer:
  example: {
    \"overrides\": {
      \"warehouse\": \"s3://bucket/\"
    },
    \"endpoints\": [
      \"GET /v1/config\"
    ]
  }
  next: 1
";

#[test]
fn a_flow_mapping_closing_at_its_key_reads() {
    let source = SourceDoc::parse(CLOSING_AT_THE_KEY).expect("reads as libyaml does");
    assert_eq!(
        source.value(),
        &json!({"outer": {"example": {"overrides": {"warehouse": "s3://bucket/"},
            "endpoints": ["GET /v1/config"]}, "next": 1}})
    );
    let position = source.position("/outer/example/endpoints/0");
    assert_eq!((position.line, position.col), (7, 7));
    let position = source.position("/outer/next");
    assert_eq!((position.line, position.col), (10, 3));
}

#[test]
fn other_bad_indentation_is_still_an_error_where_it_is() {
    let text = "a:\n  b: 1\n c: 2\n";
    let Err(error) = SourceDoc::parse(text) else {
        panic!("read as YAML: {text}");
    };
    assert_eq!(error.position.line, 3, "{error:?}");
}

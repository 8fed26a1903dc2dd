//! The behaviour test of yaml-beside-json.yaml (the corpus run puts it in
//! the scratch server crate's `tests/`): a YAML body is read into the JSON
//! body's type and checked against its schema, as a JSON body is.

mod common;

async fn send(content_type: &str, body: &str) -> u16 {
    let url = format!("{}/templates/apply", common::mock().await);
    common::post(&url, content_type, body).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn yaml_bodies_that_fit_are_taken() {
    assert_eq!(send("text/yml", "orgID: o1\n").await, 201);
    let full = "orgID: o1\ndryRun: true\nretries: 3\nenvRefs:\n  region: eu\n";
    assert_eq!(send("text/yml", full).await, 201);
    // YAML's flow style is JSON's syntax.
    assert_eq!(send("text/yml", r#"{"orgID": "o1"}"#).await, 201);
    assert_eq!(send("application/json", r#"{"orgID": "o1"}"#).await, 201);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn yaml_bodies_the_schema_refuses_get_400() {
    // The required member missing, empty, past the maximum, not a number,
    // a map value that is not a string, not YAML, two documents, an alias
    // bomb.
    let bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n\
                c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n\
                e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n\
                orgID: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n";
    let cases = [
        "dryRun: true\n",
        "orgID: ''\n",
        "orgID: o1\nretries: 9\n",
        "orgID: o1\nretries: three\n",
        "orgID: o1\nenvRefs:\n  region: [eu]\n",
        "orgID: [o1\n",
        "orgID: o1\n---\norgID: o2\n",
        bomb,
    ];
    for body in cases {
        assert_eq!(send("text/yml", body).await, 400, "{body}");
    }
    // A YAML media type the operation does not document: refused with its
    // documented client error (it documents no 415).
    assert_eq!(send("application/x-yaml", "orgID: o1\n").await, 400);
}

//! Integers past the server's Rust type, where the spec states their
//! range only by a `format` (or not at all), which schemathesis does not
//! read.

use serde_json::Value;

use super::{Case, Causes, Failure};

/// ST202 refusing an integer past its Rust type, of an operation that
/// takes integers of unstated range.
pub(super) fn past_its_type(case: &Case) -> bool {
    case.check_is(&["ST202"])
        && integer_past_its_type(case.causes, &case.method, &case.path, case.failure)
}

/// Whether `failure` is a refused integer past the Rust type of an
/// operation that takes integers of unstated range.
fn integer_past_its_type(causes: &Causes, method: &str, path: &str, failure: &Failure) -> bool {
    // What std's and serde's integer parsing say of such a value, and the
    // body check of its bounds (the type's, which lint's translation
    // states: `to_json_schema`).
    const PAST: [&str; 6] = [
        "number too large to fit in target type",
        "number too small to fit in target type",
        "invalid value: integer",
        "invalid digit found in string",
        "is greater than the maximum of",
        "is less than the minimum of",
    ];
    // An answer that does not say why (the spec's error body, filled): the
    // request's JSON body holding a whole number no 64-bit integer holds.
    // Or a union of the body refusing such a number where the body was
    // cut for display (qdrant's `has_id` deep in a filter): the body
    // check writes the value (`5.725930641391392e+25 is not valid under
    // any of the schemas listed in the 'anyOf' keyword`).
    let union_past = super::bodies::union_refused(failure)
        .and_then(|value| serde_json::from_str::<Value>(value).ok())
        .is_some_and(|value| holds_integer_past_64_bits(&value));
    let said =
        PAST.iter().any(|said| failure.says(said)) || float_past_its_type(failure) || union_past;
    // A body schemathesis cut short for display, or with lone surrogates,
    // does not parse: its text is read for such a number instead.
    let sent = failure.body.as_deref().is_some_and(|body| {
        serde_json::from_str::<Value>(body).map_or_else(
            |_| writes_integer_past_64_bits(body),
            |body| holds_integer_past_64_bits(&body),
        )
    });
    // A query's union refused without a reason (Stripe's `created`, an
    // integer or a range: "did not match any variant"): its text holds
    // such a number.
    let queried = failure
        .target
        .as_deref()
        .and_then(|target| target.split_once('?'))
        .is_some_and(|(_, query)| writes_integer_past_64_bits(query));
    // So a path parameter's union (qdrant's `id`, an unsigned integer or a
    // UUID), refused as none of its alternatives.
    let union_refused =
        failure.says("is none of the alternatives") || failure.says("did not match any variant");
    let in_path = union_refused
        && failure
            .request
            .as_ref()
            .is_some_and(|(_, path)| writes_integer_past_64_bits(path));
    (said || sent || queried || in_path)
        && causes
            .integers
            .iter()
            .any(|u| u.path == path && u.method == method)
}

/// ST202 refusing a number past what an `f32` holds (serde_json: "number
/// out of range"), of an operation that takes `format: float` numbers
/// without bounds.
pub(super) fn float_past_f32(case: &Case) -> bool {
    case.check_is(&["ST202"])
        && case.failure.says("number out of range")
        && case
            .causes
            .floats
            .iter()
            .any(|u| case.is_of(&u.path, &u.method))
}

/// Whether `failure` says serde refused a whole floating point number
/// for an integer type it is past (`invalid type: floating point
/// `36616423.0`, expected u16`): serde_json reads a number past 64 bits,
/// or one written with a fraction, as a float. One the type holds
/// (`443.0`) is the server's to take, since JSON Schema calls it an
/// integer.
fn float_past_its_type(failure: &Failure) -> bool {
    const SAID: &str = "invalid type: floating point `";
    [Some(failure.answer.as_str()), failure.reason.as_deref()]
        .into_iter()
        .flatten()
        .filter_map(|text| text.split_once(SAID))
        .filter_map(|(_, rest)| {
            let (number, rest) = rest.split_once('`')?;
            let expected = rest.strip_prefix(", expected ")?;
            let ty: String = expected
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect();
            Some((number.parse::<f64>().ok()?, ty))
        })
        .any(|(float, ty)| {
            let (least, most) = match ty.as_str() {
                "i8" => (i8::MIN as f64, i8::MAX as f64),
                "i16" => (i16::MIN as f64, i16::MAX as f64),
                "i32" => (i32::MIN as f64, i32::MAX as f64),
                "u8" => (0.0, u8::MAX as f64),
                "u16" => (0.0, u16::MAX as f64),
                "u32" => (0.0, u32::MAX as f64),
                "u64" => (0.0, 18_446_744_073_709_551_615.0),
                _ => (-9_223_372_036_854_775_808.0, 9_223_372_036_854_775_807.0),
            };
            float.fract() == 0.0 && !(least..=most).contains(&float)
        })
}

/// Whether `text` writes a whole number of 20 digits or more (past every
/// 64-bit integer but `u64`'s top, which no random value hits) outside
/// a fraction: the number itself, not a decimal's digits.
fn writes_integer_past_64_bits(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut start = 0;
    while start < bytes.len() {
        if !bytes[start].is_ascii_digit() {
            start += 1;
            continue;
        }
        let end = start
            + bytes[start..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
        let before = start.checked_sub(1).map(|i| bytes[i]);
        let after = bytes.get(end).copied();
        let standalone = !matches!(before, Some(b'.' | b'e' | b'E' | b'\\'))
            && !before.is_some_and(|b| b.is_ascii_alphanumeric())
            && !matches!(after, Some(b'.' | b'e' | b'E'));
        if standalone && end - start >= 20 {
            return true;
        }
        start = end;
    }
    false
}

/// Whether `value` holds, at any depth, a whole number at or past 2^64
/// (or below -2^63): no Rust integer holds it.
fn holds_integer_past_64_bits(value: &Value) -> bool {
    match value {
        Value::Number(number) => number.as_f64().is_some_and(|float| {
            number.is_f64()
                && float.fract() == 0.0
                && !(-9_223_372_036_854_775_808.0..18_446_744_073_709_551_616.0).contains(&float)
        }),
        Value::Array(items) => items.iter().any(holds_integer_past_64_bits),
        Value::Object(members) => members.values().any(holds_integer_past_64_bits),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{explain, failure};
    use super::writes_integer_past_64_bits;
    use serde_json::json;

    #[test]
    fn a_query_integer_past_its_format_is_the_spec_s() {
        // omicron's sled agent: `generation` is a `uint64` by `$ref`.
        let sled = json!({"paths": {"/artifacts/{sha256}/copy-from-depot": {"post": {
            "parameters": [
                {"in": "path", "name": "sha256", "required": true, "schema": {"type": "string"}},
                {"in": "query", "name": "generation", "required": true,
                 "schema": {"$ref": "#/components/schemas/Generation"}}
            ],
            "responses": {"default": {"description": "error"}}
        }}}, "components": {"schemas": {"Generation": {
            "type": "integer", "format": "uint64", "minimum": 0
        }}}});
        let mut refused = failure("POST /artifacts/{sha256}/copy-from-depot", "ST202", 400);
        refused.answer = "`{\"message\":\"the query does not fit its schema at `/generation`: 3.1e+33 is greater than the maximum of 18446744073709551615\"}`".into();
        assert_eq!(explain(&sled, &refused), Some("integer-range-unstated"));
    }

    #[test]
    fn a_float_refused_for_an_integer_is_the_spec_s_only_past_64_bits() {
        let spec = json!({"paths": {"/tables": {"post": {
            "requestBody": {"content": {"application/json": {"schema": {"type": "object",
                "properties": {"rows": {"type": "integer"}}}}}},
            "responses": {"200": {"description": ""}, "400": {"description": ""}}}}}});
        let mut past = failure("POST /tables", "ST202", 400);
        past.answer = "`{\"message\":\"invalid body at `rows`: invalid type: floating point `-1.2975596165174815e+30`, expected i64\"}`".into();
        assert_eq!(explain(&spec, &past), Some("integer-range-unstated"));
        let mut whole = failure("POST /tables", "ST202", 400);
        whole.answer = "`{\"message\":\"invalid body at `rows`: invalid type: floating point `443.0`, expected i64\"}`".into();
        assert_eq!(explain(&spec, &whole), None, "an integer JSON Schema takes");
        let mut narrow = failure("POST /tables", "ST202", 400);
        narrow.answer = "`{\"detail\":\"invalid body at `rate`: invalid type: floating point `36616423.0`, expected u16 at line 1\"}`".into();
        assert_eq!(explain(&spec, &narrow), Some("integer-range-unstated"));
    }

    #[test]
    fn a_float_past_f32_is_the_spec_s_where_no_bounds_state_it() {
        // museum's `price`, `format: float` of no bound.
        let spec = |price: serde_json::Value| {
            json!({"paths": {"/special-events": {"post": {
                "requestBody": {"content": {"application/json": {"schema": {"type": "object",
                    "properties": {"price": price}}}}},
                "responses": {"201": {"description": ""}, "400": {"description": ""}}}}}})
        };
        let mut past = failure("POST /special-events", "ST202", 400);
        past.reason =
            Some("invalid body at `price`: number out of range at line 1 column 368".into());
        let unbounded = spec(json!({"type": "number", "format": "float"}));
        assert_eq!(explain(&unbounded, &past), Some("float-range-unstated"));
        let bounded =
            spec(json!({"type": "number", "format": "float", "minimum": 0, "maximum": 1e6}));
        assert_eq!(explain(&bounded, &past), None, "the server's own");
    }

    #[test]
    fn a_body_union_refusing_a_number_past_64_bits_is_the_spec_s() {
        // qdrant: `has_id` items are an unsigned integer or a UUID, deep
        // in a filter; the body is cut for display.
        let spec = json!({"paths": {"/points/payload/clear": {"post": {
            "requestBody": {"content": {"application/json": {"schema": {"type": "object",
                "properties": {"has_id": {"type": "array", "items": {"anyOf": [
                    {"type": "integer", "format": "uint64", "minimum": 0},
                    {"type": "string", "format": "uuid"}]}}}}}}},
            "responses": {"200": {"description": ""}, "422": {"description": ""}}}}}});
        let mut past = failure("POST /points/payload/clear", "ST202", 422);
        past.body = Some("{\"filter\": {\"should\": [{\"has_id\": [1, ".into());
        past.reason = Some("the request body does not fit its schema at `/has_id/0`: 5.725930641391392e+25 is not valid under any of the schemas listed in the 'anyOf' keyword".into());
        assert_eq!(explain(&spec, &past), Some("integer-range-unstated"));
        let mut small = past.clone();
        small.reason = Some("the request body does not fit its schema at `/has_id/0`: 5.5 is not valid under any of the schemas listed in the 'anyOf' keyword".into());
        assert_eq!(explain(&spec, &small), None, "a fraction");
    }

    #[test]
    fn a_query_holding_a_number_past_64_bits_is_the_spec_s() {
        // Stripe: `created` is an integer or a range of integers, of no
        // format; the union's refusal names no member.
        let spec = json!({"paths": {"/v1/events": {"get": {"parameters": [
            {"name": "created", "in": "query", "style": "deepObject", "explode": true,
             "schema": {"anyOf": [{"type": "integer"}, {"type": "object",
                "properties": {"gt": {"type": "integer"}}}]}}],
            "responses": {"200": {"description": ""}}}}}});
        let mut refused = failure("GET /v1/events", "ST202", 400);
        refused.reason = Some(
            "query parameter `created`: data did not match any variant of untagged enum".into(),
        );
        refused.target = Some("/v1/events?created%5Bgte%5D=1417222603268349088497664".into());
        assert_eq!(explain(&spec, &refused), Some("integer-range-unstated"));
        refused.target = Some("/v1/events?created%5Bgte%5D=14172226".into());
        assert_eq!(explain(&spec, &refused), None, "a number that fits");
    }

    #[test]
    fn a_path_union_refused_for_a_number_past_64_bits_is_the_spec_s() {
        // qdrant: a point's `id` is an unsigned integer (of no bound) or a
        // UUID; a stateful test's path gave it 23 digits.
        let spec = json!({"paths": {"/points/{id}": {"get": {"parameters": [
            {"name": "id", "in": "path", "required": true, "schema": {"anyOf": [
                {"type": "integer", "format": "uint64", "minimum": 0},
                {"type": "string", "format": "uuid"}]}}],
            "responses": {"200": {"description": ""}}}}}});
        let mut refused = failure("Stateful tests", "ST202", 400);
        refused.reason = Some(
            "path parameter `id`: `10496243562247931035648` is none of the alternatives".into(),
        );
        refused.request = Some(("GET".into(), "/points/10496243562247931035648".into()));
        assert_eq!(explain(&spec, &refused), Some("integer-range-unstated"));
        refused.request = Some(("GET".into(), "/points/104962435622479".into()));
        assert_eq!(explain(&spec, &refused), None, "a number that fits");
    }

    #[test]
    fn a_body_cut_short_is_read_for_a_number_past_64_bits() {
        assert!(writes_integer_past_64_bits(
            r#"{"fields": [194, 9106647920712789310570496, -2"#
        ));
        assert!(!writes_integer_past_64_bits(
            r#"{"a": 0.12345678901234567890123}"#
        ));
        assert!(!writes_integer_past_64_bits(
            r#"{"a": "\u00e9", "b": 12345}"#
        ));
    }

    #[test]
    fn a_refused_integer_past_an_unstated_range_is_the_spec_s() {
        // buildomat: `minseq` is a `format: uint` with no maximum.
        let buildomat = json!({"paths": {"/events": {"get": {
            "parameters": [{"name": "minseq", "in": "query",
                            "schema": {"type": "integer", "format": "uint", "minimum": 0}}],
            "responses": {"200": {"description": "ok"}}
        }}}});
        let mut large = failure("GET /events", "ST202", 400);
        assert_eq!(explain(&buildomat, &large), None, "no integer refusal said");
        large.answer =
            "`{\"detail\":\"query parameter `minseq`: number too large to fit in target type\"}`"
                .into();
        assert_eq!(explain(&buildomat, &large), Some("integer-range-unstated"));
        // qdrant: the spec's error body says nothing; the request shows it.
        let mut silent = failure("GET /events", "ST202", 400);
        silent.body = Some(r#"{"vector_size": 745316922658611789824}"#.into());
        assert_eq!(explain(&buildomat, &silent), Some("integer-range-unstated"));
        silent.body = Some(r#"{"vector_size": 7}"#.into());
        assert_eq!(explain(&buildomat, &silent), None, "an integer that fits");
        // linode: the spec's error body says nothing; the mock's log does.
        silent.answer = "`{\"errors\":[{\"reason\":\"fieldname must be a valid value\"}]}`".into();
        silent.reason =
            Some("query parameter `minseq`: number too large to fit in target type".into());
        assert_eq!(explain(&buildomat, &silent), Some("integer-range-unstated"));
    }
}

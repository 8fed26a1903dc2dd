//! Serializing JSON doubles the way their producers write them.
//!
//! A `double` that holds an integral value travels without a fraction from
//! Go (obshell's `encoding/json`) and JavaScript: `0`, `12`, not `0.0`. serde
//! would write `f64` `0.0` as `0.0`, changing the number's kind on a round
//! trip; these helpers write integral values in the integer form instead, and
//! everything else exactly as serde does. Generated structs use them with
//! `#[serde(serialize_with = "...")]`.

use serde::Serializer;

/// Largest integer every `f64` below it represents exactly (2^53).
const EXACT: f64 = 9_007_199_254_740_992.0;

/// Serializes an `f64`, integral values in the integer form.
pub fn serialize<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    if value.fract() == 0.0 && value.abs() <= EXACT {
        // Exact: |value| <= 2^53 fits i64 and has no fraction.
        #[allow(clippy::cast_possible_truncation)]
        serializer.serialize_i64(*value as i64)
    } else {
        serializer.serialize_f64(*value)
    }
}

/// [`serialize`] for an optional member.
pub fn serialize_option<S: Serializer>(
    value: &Option<f64>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(value) => serialize(value, serializer),
        None => serializer.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    #[derive(serde::Serialize)]
    struct Wrapper(#[serde(serialize_with = "super::serialize")] f64);

    fn encode(value: f64) -> String {
        serde_json::to_string(&Wrapper(value)).expect("encodes")
    }

    #[test]
    fn integral_values_lose_the_fraction_others_keep_it() {
        assert_eq!(encode(0.0), "0");
        assert_eq!(encode(12.0), "12");
        assert_eq!(encode(-3.0), "-3");
        assert_eq!(encode(3600.5), "3600.5");
        assert_eq!(encode(0.1), "0.1");
        assert_eq!(encode(1e300), "1e+300");
        assert_eq!(encode(f64::NAN), "null");
    }
}

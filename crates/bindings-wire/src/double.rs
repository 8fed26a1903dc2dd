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

/// A floating-point member (`f64` for `double` and plain `number`, `f32`
/// for `format: float`).
pub trait Float: Copy {
    /// The value, exactly, as an `f64`.
    fn to_f64(self) -> f64;
    /// Serializes a non-integral value as serde does for this type (an
    /// `f32` in its own shortest form, not its `f64` widening).
    fn serialize_float<S: Serializer>(self, serializer: S) -> Result<S::Ok, S::Error>;
}

impl Float for f64 {
    fn to_f64(self) -> f64 {
        self
    }
    fn serialize_float<S: Serializer>(self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self)
    }
}

impl Float for f32 {
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
    fn serialize_float<S: Serializer>(self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f32(self)
    }
}

/// Serializes a float, integral values in the integer form.
pub fn serialize<F: Float, S: Serializer>(value: &F, serializer: S) -> Result<S::Ok, S::Error> {
    let wide = value.to_f64();
    if wide.fract() == 0.0 && wide.abs() <= EXACT {
        // Exact: |value| <= 2^53 fits i64 and has no fraction.
        #[allow(clippy::cast_possible_truncation)]
        serializer.serialize_i64(wide as i64)
    } else {
        value.serialize_float(serializer)
    }
}

/// [`serialize`] for an optional member.
pub fn serialize_option<F: Float, S: Serializer>(
    value: &Option<F>,
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

    #[derive(serde::Serialize)]
    struct Single(#[serde(serialize_with = "super::serialize")] f32);

    #[test]
    fn a_single_keeps_its_own_shortest_form() {
        let encode = |value: f32| serde_json::to_string(&Single(value)).expect("encodes");
        assert_eq!(encode(2.0), "2");
        assert_eq!(encode(0.1), "0.1");
        assert_eq!(encode(-1.5), "-1.5");
    }
}

//! Optional members that the spec does not make nullable: absent is `None`,
//! and an explicit `null` is refused rather than read as absent (which would
//! both accept what the spec forbids and lose the `null` on re-encoding).
//! Generated structs use it with `#[serde(default, deserialize_with = "...")]`.

use serde::{Deserialize, Deserializer};

/// Deserializes a present member as `Some(T)`, refusing `null`.
pub fn deserialize<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    #[derive(Debug, serde::Deserialize)]
    struct Member {
        #[serde(default, deserialize_with = "super::deserialize")]
        name: Option<String>,
    }

    #[test]
    fn absent_is_none_and_null_is_refused() {
        assert_eq!(
            serde_json::from_str::<Member>("{}").expect("absent").name,
            None
        );
        assert_eq!(
            serde_json::from_str::<Member>(r#"{"name":"x"}"#)
                .expect("present")
                .name
                .as_deref(),
            Some("x")
        );
        let error = serde_json::from_str::<Member>(r#"{"name":null}"#).expect_err("null");
        assert!(error.to_string().contains("null"), "{error}");
    }
}

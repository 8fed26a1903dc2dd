//! What the workspace tests (in `tests/`) share about the APIs: the
//! registry of every API of `xtask/apis.toml` ([`apis::APIS`], generated),
//! and decoding a JSON value into the type generated for a schema.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

pub mod apis;

/// One API of `xtask/apis.toml`, as the tests see it.
#[derive(Debug)]
pub struct Api {
    /// The crate name prefix (`dbss` for `dbss-types`).
    pub name: &'static str,
    /// The spec, relative to the workspace root.
    pub spec: &'static str,
    /// Decodes a value as the type generated for a component schema (`X`,
    /// or `[X]` for an array of them; `string` for a plain string).
    pub decode: fn(&str, &Value) -> Result<Decoded, String>,
    /// schemars' schema of the type generated for a component schema.
    pub schema: fn(&str) -> Option<Value>,
    /// Every component schema of the (normalised) spec.
    pub components: &'static [&'static str],
}

impl Api {
    /// The API whose spec file is named `file` (`dbss.yaml`).
    pub fn by_spec_file(file: &str) -> &'static Api {
        apis::APIS
            .iter()
            .find(|api| api.spec.rsplit('/').next() == Some(file))
            .unwrap_or_else(|| panic!("no API in xtask/apis.toml has the spec {file}"))
    }

    /// The spec's file name (`dbss.yaml`).
    pub fn spec_file(&self) -> &'static str {
        self.spec.rsplit('/').next().unwrap_or(self.spec)
    }
}

/// What one generated type does with a JSON value.
#[derive(Debug)]
pub struct Decoded {
    pub rust_type: &'static str,
    pub debug: String,
    pub reencoded: Value,
}

/// Decodes `value` as `T` (naming the failing path), and re-encodes it.
pub fn decode<T: DeserializeOwned + Serialize + std::fmt::Debug>(
    value: &Value,
) -> Result<Decoded, String> {
    let decoded: T = serde_path_to_error::deserialize(value.clone())
        .map_err(|error| format!("at `{}`: {}", error.path(), error.inner()))?;
    let reencoded = serde_json::to_value(&decoded).map_err(|error| error.to_string())?;
    Ok(Decoded {
        rust_type: std::any::type_name::<T>(),
        debug: format!("{decoded:#?}"),
        reencoded,
    })
}

/// A registry module's `decode`, `schema` and `COMPONENTS` for the types
/// crate `$krate`, from `"schema name" => RustType` pairs.
#[macro_export]
macro_rules! registry {
    ($krate:ident: $($name:literal => $type:ident),+ $(,)?) => {
        use ::serde_json::Value;

        /// Decodes `value` as the type of the component schema `name`.
        pub fn decode(name: &str, value: &Value) -> Result<$crate::Decoded, String> {
            match name {
                $(
                    $name => $crate::decode::<::$krate::$type>(value),
                    concat!("[", $name, "]") => $crate::decode::<Vec<::$krate::$type>>(value),
                )+
                "string" => $crate::decode::<String>(value),
                other => Err(format!("no generated type for the schema `{other}`")),
            }
        }

        /// schemars' schema of the type of the component schema `name`.
        pub fn schema(name: &str) -> Option<Value> {
            let generator = ::schemars::generate::SchemaSettings::openapi3().into_generator();
            match name {
                $( $name => Some(generator.into_root_schema_for::<::$krate::$type>().to_value()), )+
                _ => None,
            }
        }

        /// The component schemas, as the spec names them.
        pub const COMPONENTS: &[&str] = &[$($name),+];
    };
}

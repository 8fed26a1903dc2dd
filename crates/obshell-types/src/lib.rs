//! Types for the OceanBase obshell agent's tenant session statistics: every
//! schema of `openapi/obshell.yaml`, with serde and schemars.
//!
//! The types are generated into `generated.rs`; this file is hand-written
//! and regeneration never touches it.
//!
//! Decoding is lossless: the envelope's nanosecond `+08:00` timestamps
//! ([`bindings_wire::Timestamp`]) re-encode exactly, and `data` tells an
//! absent payload (`None`) from a `null` one (`Some(None)`).
//!
//! ```
//! use obshell_types::OcsAgentResponse;
//!
//! let wire = r#"{"successful":false,"timestamp":"2025-10-14T15:16:01.277047628+08:00","duration":1,"status":400,"traceId":"e6f64ba7f54e7a4a","error":{"errCode":"OB.Tenant.NotExist","message":"Tenant 't2' not exist."}}"#;
//! let answer: OcsAgentResponse = serde_json::from_str(wire).unwrap();
//! assert_eq!(answer.error.as_ref().unwrap().err_code, "OB.Tenant.NotExist");
//! assert_eq!(answer.data, None);
//! assert_eq!(serde_json::to_string(&answer).unwrap(), wire);
//! ```

mod generated;

pub use bindings_wire;
pub use generated::*;

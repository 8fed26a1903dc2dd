//! Async client for OceanBase obshell agent, tenant session statistics.
//!
//! Generated from `openapi/obshell.yaml` into `generated.rs`; this file is hand-written
//! and regeneration never touches it.

mod generated;

pub use generated::*;

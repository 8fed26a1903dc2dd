//! Types for Huawei Cloud Database Security Service (DBSS) audit reports and dashboard.
//!
//! Generated from `openapi/dbss.yaml` into `generated.rs`; this file is hand-written
//! and regeneration never touches it.

mod generated;

pub use generated::*;

//! Types for Huawei Cloud Database Security Service (DBSS) audit reports and
//! dashboard: every schema of `openapi/dbss.yaml`, with serde and schemars.
//!
//! The types are generated into `generated.rs`; this file is hand-written
//! and regeneration never touches it.
//!
//! Decoding is lossless, so a value read from the wire re-encodes as it
//! came:
//! - enum-like strings ([`TimeRange`], [`StatisticsJobStatus`],
//!   [`StatisticsType`], [`AuditSummaryStatus`]) keep values the spec does
//!   not list in their `Unknown` variant;
//! - members that may be `null` are `Option<Option<T>>`: `None` when absent,
//!   `Some(None)` when `null`.
//!
//! ```
//! use dbss_types::{CountOperationStatisticsResponse, StatisticsJobStatus};
//!
//! // Page 001's own example answers a lowercase status.
//! let answer: CountOperationStatisticsResponse =
//!     serde_json::from_str(r#"{"status": "finished"}"#).unwrap();
//! let status = answer.status.as_ref().unwrap();
//! assert_eq!(status, &StatisticsJobStatus::Unknown("finished".into()));
//! assert!(status.is_finished());
//! assert_eq!(serde_json::to_string(&answer).unwrap(), r#"{"status":"finished"}"#);
//! ```

mod generated;

pub use generated::*;

impl StatisticsJobStatus {
    /// Whether the job is complete, whatever the casing: the page lists
    /// `FINISHED` but its example answers `finished`.
    pub fn is_finished(&self) -> bool {
        self.as_str().eq_ignore_ascii_case("FINISHED")
    }

    /// Whether the job is still running, whatever the casing.
    pub fn is_running(&self) -> bool {
        self.as_str().eq_ignore_ascii_case("RUNNING")
    }
}

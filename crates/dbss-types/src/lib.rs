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
//! The spec's numbers and values are constants of their types (`Limit::MIN`,
//! `Limit::MAX`, `Limit::DEFAULT`, `ProjectId::MIN_LENGTH`,
//! `TimeRange::KNOWN`, `Regenerate::VALUES`, ...), so code that needs one
//! names it instead of repeating it, and a spec change reaches it:
//!
//! ```
//! use dbss_types::{Limit, TimeRange};
//!
//! assert!(Limit::try_from(Limit::MAX).is_ok());
//! assert!(Limit::try_from(Limit::MAX + 1).is_err());
//! assert!((Limit::MIN..=Limit::MAX).contains(&Limit::DEFAULT.get()));
//! assert!(TimeRange::KNOWN.contains(&TimeRange::Month.as_str()));
//! ```
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

#[cfg(feature = "tag-data-reports")]
impl StatisticsJobStatus {
    /// Whether the job is complete, whatever the casing: the page lists
    /// `FINISHED` but its example answers `finished`.
    pub fn is_finished(&self) -> bool {
        self.as_str().eq_ignore_ascii_case(Self::Finished.as_str())
    }

    /// Whether the job is still running, whatever the casing.
    pub fn is_running(&self) -> bool {
        self.as_str().eq_ignore_ascii_case(Self::Running.as_str())
    }
}

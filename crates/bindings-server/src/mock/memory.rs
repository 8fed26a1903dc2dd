//! What a mock remembers between requests: the paths it answered a
//! `DELETE` for. A later request to such a path or one under it, of an
//! operation that documents `404` (or `4XX`, or `default`), gets that
//! answer with status 404 (unless it asks for another with `Prefer`), as
//! the deleted resource's server would; a `POST` answered 2xx under the
//! path, or a `PUT` to it, makes it exist again. An operation that documents none of them answers as before: the
//! spec gives the mock no other answer.
//!
//! The memory belongs to one router (no process-wide state) and is
//! bounded: past [`MAX_REMEMBERED`] paths it starts afresh.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};

use axum::http::{Method, StatusCode};

/// The most paths one mock remembers as deleted.
pub const MAX_REMEMBERED: usize = 4096;

/// The deleted paths of one mock router.
#[derive(Debug, Clone, Default)]
pub struct Memory {
    deleted: Arc<Mutex<HashSet<String>>>,
}

impl Memory {
    /// Whether `path`, or a path it is under, was deleted (and not made
    /// again since): what was under a deleted resource is gone with it.
    pub fn is_deleted(&self, path: &str) -> bool {
        let deleted = self.deleted.lock().unwrap_or_else(PoisonError::into_inner);
        let mut under = path
            .match_indices('/')
            .map(|(at, _)| &path[..at])
            .filter(|ancestor| !ancestor.is_empty());
        deleted.contains(path) || under.any(|ancestor| deleted.contains(ancestor))
    }

    /// Records what a request to `path` answered `status` did.
    pub fn record(&self, method: &Method, path: &str, status: StatusCode) {
        if !status.is_success() {
            return;
        }
        let mut deleted = self.deleted.lock().unwrap_or_else(PoisonError::into_inner);
        if *method == Method::DELETE {
            if deleted.len() >= MAX_REMEMBERED {
                deleted.clear();
            }
            deleted.insert(path.to_owned());
        } else if *method == Method::POST {
            let under = format!("{}/", path.trim_end_matches('/'));
            deleted.retain(|gone| gone != path && !gone.starts_with(&under));
        } else if *method == Method::PUT {
            deleted.remove(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deleted_path_stays_deleted_until_made_again() {
        let memory = Memory::default();
        memory.record(&Method::DELETE, "/pets/1", StatusCode::NO_CONTENT);
        assert!(memory.is_deleted("/pets/1"));
        assert!(!memory.is_deleted("/pets/2"));
        // A refused delete deletes nothing; a GET changes nothing.
        memory.record(&Method::DELETE, "/pets/2", StatusCode::NOT_FOUND);
        memory.record(&Method::GET, "/pets/1", StatusCode::OK);
        assert!(!memory.is_deleted("/pets/2"));
        assert!(memory.is_deleted("/pets/1"));
        // A create under the collection makes it again.
        memory.record(&Method::POST, "/pets", StatusCode::CREATED);
        assert!(!memory.is_deleted("/pets/1"));
        memory.record(&Method::DELETE, "/pets/1", StatusCode::OK);
        memory.record(&Method::PUT, "/pets/1", StatusCode::OK);
        assert!(!memory.is_deleted("/pets/1"));
    }

    #[test]
    fn what_is_under_a_deleted_path_is_gone_with_it() {
        let memory = Memory::default();
        memory.record(&Method::DELETE, "/subs/a", StatusCode::NO_CONTENT);
        assert!(memory.is_deleted("/subs/a/status"));
        assert!(memory.is_deleted("/subs/a/"));
        assert!(!memory.is_deleted("/subs/ab/status"));
        assert!(!memory.is_deleted("/subs"));
    }

    #[test]
    fn the_memory_is_bounded() {
        let memory = Memory::default();
        for n in 0..=MAX_REMEMBERED {
            memory.record(&Method::DELETE, &format!("/pets/{n}"), StatusCode::OK);
        }
        let held = memory
            .deleted
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len();
        assert!(held <= MAX_REMEMBERED, "{held}");
    }
}

//! What a mock remembers between requests: the paths it answered a
//! `DELETE` for. A later request to such a path, or one under it where
//! the `DELETE` removed an item (its path ends in a parameter:
//! `/subs/{id}`, not an action on a collection such as `/sessions`), of an
//! operation that documents `404` (or `4XX`, or `default`), gets that
//! answer with status 404 (unless it asks for another with `Prefer`), as
//! the deleted resource's server would; a `POST` answered 2xx under the
//! path, or a `PUT` to it, makes it exist again. An operation that documents none of them answers as before: the
//! spec gives the mock no other answer.
//!
//! The memory belongs to one router (no process-wide state) and is
//! bounded: past [`MAX_REMEMBERED`] paths it starts afresh.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use axum::http::{Method, StatusCode};

/// The most paths one mock remembers as deleted.
pub const MAX_REMEMBERED: usize = 4096;

/// The deleted paths of one mock router, each with whether it was an
/// item's (what is under it is gone with it).
#[derive(Debug, Clone, Default)]
pub struct Memory {
    deleted: Arc<Mutex<HashMap<String, bool>>>,
}

impl Memory {
    /// Whether `path`, or an item's path it is under, was deleted (and
    /// not made again since): what was under a deleted item is gone with
    /// it.
    pub fn is_deleted(&self, path: &str) -> bool {
        let deleted = self.deleted.lock().unwrap_or_else(PoisonError::into_inner);
        let mut under = path
            .match_indices('/')
            .map(|(at, _)| &path[..at])
            .filter(|ancestor| !ancestor.is_empty());
        deleted.contains_key(path) || under.any(|ancestor| deleted.get(ancestor) == Some(&true))
    }

    /// Records what a request to `path` answered `status` did; `item`:
    /// whether its operation's path template ends in a parameter.
    pub fn record(&self, (method, item): (&Method, bool), path: &str, status: StatusCode) {
        if !status.is_success() {
            return;
        }
        let mut deleted = self.deleted.lock().unwrap_or_else(PoisonError::into_inner);
        if *method == Method::DELETE {
            if deleted.len() >= MAX_REMEMBERED {
                deleted.clear();
            }
            deleted.insert(path.to_owned(), item);
        } else if *method == Method::POST {
            let under = format!("{}/", path.trim_end_matches('/'));
            deleted.retain(|gone, _| gone != path && !gone.starts_with(&under));
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
        memory.record((&Method::DELETE, true), "/pets/1", StatusCode::NO_CONTENT);
        assert!(memory.is_deleted("/pets/1"));
        assert!(!memory.is_deleted("/pets/2"));
        // A refused delete deletes nothing; a GET changes nothing.
        memory.record((&Method::DELETE, true), "/pets/2", StatusCode::NOT_FOUND);
        memory.record((&Method::GET, true), "/pets/1", StatusCode::OK);
        assert!(!memory.is_deleted("/pets/2"));
        assert!(memory.is_deleted("/pets/1"));
        // A create under the collection makes it again.
        memory.record((&Method::POST, true), "/pets", StatusCode::CREATED);
        assert!(!memory.is_deleted("/pets/1"));
        memory.record((&Method::DELETE, true), "/pets/1", StatusCode::OK);
        memory.record((&Method::PUT, true), "/pets/1", StatusCode::OK);
        assert!(!memory.is_deleted("/pets/1"));
    }

    #[test]
    fn what_is_under_a_deleted_path_is_gone_with_it() {
        let memory = Memory::default();
        memory.record((&Method::DELETE, true), "/subs/a", StatusCode::NO_CONTENT);
        assert!(memory.is_deleted("/subs/a/status"));
        assert!(memory.is_deleted("/subs/a/"));
        assert!(!memory.is_deleted("/subs/ab/status"));
        assert!(!memory.is_deleted("/subs"));
        // An action on a collection (kratos' `DELETE /sessions`) leaves
        // what is under it.
        memory.record(
            (&Method::DELETE, false),
            "/sessions",
            StatusCode::NO_CONTENT,
        );
        assert!(memory.is_deleted("/sessions"));
        assert!(!memory.is_deleted("/sessions/whoami"));
    }

    #[test]
    fn the_memory_is_bounded() {
        let memory = Memory::default();
        for n in 0..=MAX_REMEMBERED {
            memory.record(
                (&Method::DELETE, true),
                &format!("/pets/{n}"),
                StatusCode::OK,
            );
        }
        let held = memory
            .deleted
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len();
        assert!(held <= MAX_REMEMBERED, "{held}");
    }
}

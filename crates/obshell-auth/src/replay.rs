//! A bounded memory of the first blocks of accepted headers.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::{AuthError, Opened};

/// First blocks of accepted headers, each remembered until no header
/// with it can still be accepted: until its `Ts` when the block holds
/// `Ts` whole, else for `retention` seconds (or until its `Ts`, if later).
/// A header whose first block is remembered is refused: a replay, or
/// blocks spliced onto a captured first block.
///
/// Bounded: at most `capacity` blocks; when full of blocks not yet
/// forgotten, new headers are refused ([`AuthError::ReplayCacheFull`])
/// rather than letting an old one through. Only accepted headers are
/// remembered, so only clients with the password can fill it.
#[derive(Debug)]
pub struct ReplayCache {
    seen: Mutex<HashMap<[u8; 32], u64>>,
    capacity: usize,
    retention: u64,
}

impl ReplayCache {
    /// Remembers at most `capacity` blocks; a block whose header's `Ts`
    /// is not in it is remembered `retention` seconds.
    pub fn new(capacity: usize, retention: u64) -> Self {
        ReplayCache {
            seen: Mutex::new(HashMap::new()),
            capacity: capacity.max(1),
            retention,
        }
    }

    /// Refuses `opened` if its first block was accepted before and is
    /// still remembered; otherwise remembers it. `now` in unix seconds.
    pub fn admit(&self, opened: &Opened, now: u64) -> Result<(), AuthError> {
        let mut seen = self
            .seen
            .lock()
            .map_err(|_| AuthError::Crypto("the replay cache is poisoned".into()))?;
        let block = opened.first_block();
        if seen.get(&block).is_some_and(|&until| until >= now) {
            return Err(AuthError::Replayed);
        }
        if seen.len() >= self.capacity {
            seen.retain(|_, until| *until >= now);
        }
        if seen.len() >= self.capacity {
            return Err(AuthError::ReplayCacheFull);
        }
        let until = if opened.ts_in_first_block() {
            opened.expires_at
        } else {
            opened.expires_at.max(now.saturating_add(self.retention))
        };
        seen.insert(block, until);
        Ok(())
    }

    /// How many first blocks are remembered now.
    pub fn len(&self) -> usize {
        self.seen.lock().map_or(0, |seen| seen.len())
    }

    /// Whether no block is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Forgets every block: after the agent's key changed, no old block
    /// decrypts anyway.
    pub fn clear(&self) {
        if let Ok(mut seen) = self.seen.lock() {
            seen.clear();
        }
    }
}

impl Default for ReplayCache {
    /// 65,536 blocks (about 3 MiB), retained an hour when `Ts` is not in
    /// the first block.
    fn default() -> Self {
        ReplayCache::new(65_536, 3_600)
    }
}

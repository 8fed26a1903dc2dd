//! A limit on failed credential checks per source address, so that a
//! password or token cannot be guessed at the rate the server can check.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How many credential checks may fail per source address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GuessLimits {
    /// Failed checks an address may have within `window`; past them its
    /// requests are refused without checking until the window ends.
    pub max_failures: u32,
    /// The window failures are counted in, from an address's first
    /// failure in it.
    pub window: Duration,
    /// Addresses remembered at once (about 64 bytes each); when full, the
    /// one whose window started first is forgotten.
    pub max_addresses: usize,
}

impl Default for GuessLimits {
    /// 10 failed checks per minute per address, 4,096 addresses.
    fn default() -> Self {
        GuessLimits {
            max_failures: 10,
            window: Duration::from_secs(60),
            max_addresses: 4096,
        }
    }
}

impl GuessLimits {
    /// No limit: every check is made.
    pub const UNLIMITED: GuessLimits = GuessLimits {
        max_failures: u32::MAX,
        window: Duration::ZERO,
        max_addresses: 1,
    };
}

/// Counts failed credential checks per source address (IPv4, or the /64
/// prefix of IPv6, which one host usually has whole) and refuses checks
/// from an address past [`GuessLimits::max_failures`] within the window.
///
/// A check in progress counts as failed until it
/// [succeeds](Attempt::succeeded), so concurrent guesses cannot run past
/// the limit. Requests without a known source address (no
/// `axum::extract::ConnectInfo<SocketAddr>`, which
/// [`serve`](crate::serve) provides) are not limited.
#[derive(Debug)]
pub struct GuessLimiter {
    limits: GuessLimits,
    seen: Mutex<HashMap<IpAddr, Window>>,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    started: Instant,
    failures: u32,
}

/// A check an address was allowed to make: it counts as failed unless
/// [`succeeded`](Attempt::succeeded) is called.
#[derive(Debug)]
#[must_use = "an attempt not marked as succeeded counts as a failure"]
pub struct Attempt {
    limiter: Option<(Arc<GuessLimiter>, IpAddr, Instant)>,
}

impl Attempt {
    /// The credentials were right: the attempt does not count.
    pub fn succeeded(mut self) {
        if let Some((limiter, address, started)) = self.limiter.take() {
            limiter.refund(address, started);
        }
    }
}

impl Default for GuessLimiter {
    fn default() -> Self {
        GuessLimiter::new(GuessLimits::default())
    }
}

impl GuessLimiter {
    pub fn new(limits: GuessLimits) -> Self {
        GuessLimiter {
            limits,
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// The limits this limiter applies.
    pub fn limits(&self) -> GuessLimits {
        self.limits
    }

    /// A check from `peer`, counted as failed until it succeeds; or, when
    /// `peer` has failed too often, how long until it may try again.
    pub fn attempt(self: &Arc<Self>, peer: Option<SocketAddr>) -> Result<Attempt, Duration> {
        let Some(peer) = peer else {
            return Ok(Attempt { limiter: None });
        };
        if self.limits.max_failures == u32::MAX {
            return Ok(Attempt { limiter: None });
        }
        let address = source(peer.ip());
        let now = Instant::now();
        let mut seen = self
            .seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let window = self.limits.window;
        let current = match seen.get_mut(&address) {
            Some(entry) if now.duration_since(entry.started) < window => entry,
            Some(entry) => {
                *entry = Window {
                    started: now,
                    failures: 0,
                };
                entry
            }
            None => {
                if seen.len() >= self.limits.max_addresses {
                    seen.retain(|_, entry| now.duration_since(entry.started) < window);
                }
                if seen.len() >= self.limits.max_addresses
                    && let Some(oldest) = seen
                        .iter()
                        .min_by_key(|(_, entry)| entry.started)
                        .map(|(address, _)| *address)
                {
                    seen.remove(&oldest);
                }
                seen.entry(address).or_insert(Window {
                    started: now,
                    failures: 0,
                })
            }
        };
        if current.failures >= self.limits.max_failures {
            let waited = now.duration_since(current.started);
            return Err(window.saturating_sub(waited).max(Duration::from_secs(1)));
        }
        current.failures += 1;
        Ok(Attempt {
            limiter: Some((Arc::clone(self), address, current.started)),
        })
    }

    fn refund(&self, address: IpAddr, started: Instant) {
        let mut seen = self
            .seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(entry) = seen.get_mut(&address)
            && entry.started == started
        {
            entry.failures = entry.failures.saturating_sub(1);
        }
    }

    /// Addresses remembered now.
    pub fn addresses(&self) -> usize {
        self.seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .len()
    }
}

/// The address a client is counted under: IPv4 as is (also when mapped
/// into IPv6), IPv6 by its /64 prefix.
fn source(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let prefix = u128::from(v6) & !((1u128 << 64) - 1);
                IpAddr::V6(prefix.into())
            }
        },
    }
}

/// The `Retry-After` value (whole seconds, rounded up) for `wait`.
pub fn retry_after(wait: Duration) -> axum::http::HeaderValue {
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    axum::http::HeaderValue::from(seconds.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peer(text: &str) -> Option<SocketAddr> {
        Some(SocketAddr::new(text.parse().expect("an address"), 1234))
    }

    #[test]
    fn failures_past_the_limit_are_refused_per_address() {
        let limiter = Arc::new(GuessLimiter::new(GuessLimits {
            max_failures: 3,
            window: Duration::from_secs(60),
            max_addresses: 16,
        }));
        for _ in 0..3 {
            drop(limiter.attempt(peer("10.0.0.1")).expect("allowed"));
        }
        let wait = limiter.attempt(peer("10.0.0.1")).expect_err("throttled");
        assert!(wait > Duration::from_secs(58), "{wait:?}");
        assert!(limiter.attempt(peer("10.0.0.2")).is_ok(), "another address");
        assert!(limiter.attempt(None).is_ok(), "an unknown address");
        assert!(
            limiter.attempt(peer("::ffff:10.0.0.1")).is_err(),
            "the same address mapped into IPv6"
        );
    }

    #[test]
    fn successes_do_not_count() {
        let limiter = Arc::new(GuessLimiter::new(GuessLimits {
            max_failures: 2,
            window: Duration::from_secs(60),
            max_addresses: 16,
        }));
        for _ in 0..10 {
            limiter
                .attempt(peer("10.0.0.1"))
                .expect("allowed")
                .succeeded();
        }
        // Two in flight at once use up the limit until they finish.
        let first = limiter.attempt(peer("10.0.0.1")).expect("allowed");
        let second = limiter.attempt(peer("10.0.0.1")).expect("allowed");
        assert!(limiter.attempt(peer("10.0.0.1")).is_err());
        first.succeeded();
        drop(second);
        assert!(limiter.attempt(peer("10.0.0.1")).is_ok());
    }

    #[test]
    fn an_ipv6_host_is_counted_by_its_64_prefix() {
        let limiter = Arc::new(GuessLimiter::new(GuessLimits {
            max_failures: 1,
            window: Duration::from_secs(60),
            max_addresses: 16,
        }));
        drop(limiter.attempt(peer("2001:db8:1:2::1")).expect("allowed"));
        assert!(limiter.attempt(peer("2001:db8:1:2:ffff::9")).is_err());
        assert!(limiter.attempt(peer("2001:db8:1:3::1")).is_ok());
    }

    #[test]
    fn memory_is_bounded() {
        let limiter = Arc::new(GuessLimiter::new(GuessLimits {
            max_failures: 1,
            window: Duration::from_secs(60),
            max_addresses: 100,
        }));
        for n in 0..10_000u32 {
            let address = SocketAddr::new(IpAddr::V4(n.into()), 1);
            drop(limiter.attempt(Some(address)));
        }
        assert_eq!(limiter.addresses(), 100);
    }

    #[test]
    fn the_window_ends() {
        let limiter = Arc::new(GuessLimiter::new(GuessLimits {
            max_failures: 1,
            window: Duration::from_millis(50),
            max_addresses: 16,
        }));
        drop(limiter.attempt(peer("10.0.0.1")).expect("allowed"));
        assert!(limiter.attempt(peer("10.0.0.1")).is_err());
        std::thread::sleep(Duration::from_millis(60));
        assert!(limiter.attempt(peer("10.0.0.1")).is_ok());
    }
}

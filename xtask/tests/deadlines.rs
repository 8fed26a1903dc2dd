//! A corpus spec's steps get deadlines in proportion to its size.

use std::time::Duration;
use xtask::corpus::scaled;

#[test]
fn a_deadline_is_given_for_each_started_two_hundred_operations() {
    let base = Duration::from_secs(600);
    assert_eq!(scaled(base, 0), base);
    assert_eq!(scaled(base, 200), base);
    assert_eq!(scaled(base, 201), base * 2);
    // Stripe's spec3.json of 2022-04-12.
    assert_eq!(scaled(base, 417), base * 3);
    assert_eq!(scaled(base, usize::MAX), base.saturating_mul(u32::MAX));
}

//! obshell encrypts a header's blocks independently: a captured first
//! block (the password) can be followed by blocks anyone encrypts with the
//! agent's public key. What this crate refuses of that.

mod support;

use obshell_auth::{AuthError, ReplayCache};
use support::{agent, blocks, encode, header_json};

const URI: &str = "/api/v1/tenant/t1/sessions/stats";
const TS: u64 = 1_900_000_060;
const NOW: u64 = 1_900_000_000;

/// The honest header's blocks, and the JSON it encrypts.
fn captured() -> (Vec<u8>, String) {
    let json = header_json("p", TS, URI);
    (blocks(json.as_bytes()), json)
}

/// The captured first block followed by `tail`, encrypted by the
/// attacker: the tail continues the JSON where the first block's 53 bytes
/// end.
fn spliced(first: &[u8], tail: &str) -> String {
    let mut header = first[..128].to_vec();
    header.extend(blocks(tail.as_bytes()));
    encode(&header)
}

/// The honest JSON's text after its first block, with the tenant changed.
fn tail_for_another_tenant(json: &str) -> String {
    // The first block ends inside the URI: `.../tenant/t`.
    json[53..].replacen("1/sessions", "2/sessions", 1)
}

#[test]
fn the_first_block_of_a_short_password_holds_ts() {
    let (header, _) = captured();
    let opened = agent().open(&encode(&header)).expect("opens");
    assert!(opened.ts_in_first_block());
}

#[test]
fn a_splice_onto_a_used_first_block_is_refused() {
    let cache = ReplayCache::default();
    let (header, json) = captured();
    let honest = agent().open(&encode(&header)).expect("opens");
    cache.admit(&honest, NOW).expect("first use");
    let splice = agent()
        .open(&spliced(&header, &tail_for_another_tenant(&json)))
        .expect("a well-formed splice still decrypts");
    assert_eq!(splice.uri, URI.replace("t1", "t2"));
    assert_eq!(cache.admit(&splice, NOW), Err(AuthError::Replayed));
}

#[test]
fn a_replayed_header_is_refused() {
    let cache = ReplayCache::default();
    let (header, _) = captured();
    let opened = agent().open(&encode(&header)).expect("opens");
    cache.admit(&opened, NOW).expect("first use");
    assert_eq!(cache.admit(&opened, NOW + 1), Err(AuthError::Replayed));
}

#[test]
fn a_splice_cannot_override_the_first_blocks_ts() {
    let (header, json) = captured();
    // Keep the first block, then add a later expiry under another case.
    let tail = json[53..].replace(r#","Keys""#, r#","ts":"1999999999","Keys""#);
    assert!(matches!(
        agent().open(&spliced(&header, &tail)),
        Err(AuthError::Decrypt(_))
    ));
}

#[test]
fn a_first_block_is_forgotten_once_its_ts_has_passed() {
    let cache = ReplayCache::new(1, 3_600);
    let (header, _) = captured();
    let opened = agent().open(&encode(&header)).expect("opens");
    cache.admit(&opened, NOW).expect("first use");
    let (other, _) = captured();
    let other = agent().open(&encode(&other)).expect("opens");
    assert_eq!(cache.admit(&other, NOW), Err(AuthError::ReplayCacheFull));
    assert_eq!(cache.admit(&other, TS + 1), Ok(()));
}

#[test]
fn without_ts_in_the_first_block_a_block_is_kept_for_the_retention() {
    let cache = ReplayCache::new(8, 3_600);
    let long = "a-password-long-enough-to-push-ts-out";
    let json = header_json(long, TS, URI);
    let opened = agent()
        .open(&encode(&blocks(json.as_bytes())))
        .expect("opens");
    assert!(!opened.ts_in_first_block());
    cache.admit(&opened, NOW).expect("first use");
    assert_eq!(cache.admit(&opened, TS + 600), Err(AuthError::Replayed));
    assert_eq!(cache.admit(&opened, NOW + 3_601), Ok(()));
}

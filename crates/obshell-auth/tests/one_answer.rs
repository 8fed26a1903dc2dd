//! Every way a header can fail to decrypt or parse gets the same error,
//! with the same words: bad padding, good padding but not JSON, cut JSON,
//! a missing or repeated member. (Before: `decryption error`, `expected
//! value ...`, `EOF while parsing ...`: a padding oracle.)

mod support;

use obshell_auth::AuthError;
use support::{agent, blocks, decode, encode, header_json};

fn failure(header: &str) -> AuthError {
    agent().open(header).expect_err("refused")
}

/// The error every unreadable header gets.
fn the_one_answer() -> AuthError {
    failure(&encode(&blocks(b"not JSON at all")))
}

#[test]
fn good_padding_but_not_json() {
    assert!(matches!(the_one_answer(), AuthError::Decrypt(_)));
}

#[test]
fn bad_padding_reads_the_same() {
    let valid = blocks(header_json("p", 1, "/x").as_bytes());
    let mut bad = valid[..128].to_vec();
    bad[1] ^= 0xff; // the padding's second byte: no longer 0x02
    bad[60] ^= 0x55;
    let mut header = bad;
    header.extend_from_slice(&valid[128..]);
    assert_eq!(failure(&encode(&header)), the_one_answer());
}

#[test]
fn random_blocks_read_the_same() {
    let mut block = vec![0u8; 128];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut block[1..]);
    assert_eq!(failure(&encode(&block)), the_one_answer());
}

#[test]
fn cut_json_reads_the_same() {
    let json = header_json("p", 1, "/x");
    assert_eq!(
        failure(&encode(&blocks(&json.as_bytes()[..json.len() - 5]))),
        the_one_answer()
    );
}

#[test]
fn a_missing_member_reads_the_same() {
    assert_eq!(
        failure(&encode(&blocks(br#"{"Auth":"p","Ts":"1","Uri":"/x"}"#))),
        the_one_answer()
    );
}

#[test]
fn a_member_given_twice_reads_the_same() {
    let json = header_json("p", 1, "/x").replace(r#""Uri""#, r#""ts":"2","Uri""#);
    assert_eq!(failure(&encode(&blocks(json.as_bytes()))), the_one_answer());
}

#[test]
fn a_json_array_reads_the_same() {
    assert_eq!(failure(&encode(&blocks(b"[1,2]"))), the_one_answer());
}

#[test]
fn a_bad_keys_member_reads_the_same() {
    let json = r#"{"Auth":"p","Ts":"1","Uri":"/x","Keys":"AAAA"}"#;
    assert_eq!(failure(&encode(&blocks(json.as_bytes()))), the_one_answer());
}

#[test]
fn a_partial_block_reads_the_same() {
    let valid = blocks(header_json("p", 1, "/x").as_bytes());
    assert_eq!(
        failure(&encode(&valid[..valid.len() - 1])),
        the_one_answer()
    );
}

#[test]
fn text_that_is_not_base64_reads_the_same() {
    assert_eq!(failure("not base64!"), the_one_answer());
}

#[test]
fn the_same_bad_block_gives_the_same_synthetic_plaintext() {
    // Implicit rejection is deterministic: sending a bad block twice shows
    // nothing that a good block would not.
    let block = decode(&encode(&[7u8; 128]));
    assert_eq!(failure(&encode(&block)), failure(&encode(&block)));
}

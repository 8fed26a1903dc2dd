//! What the tests of this directory share: one agent key, and encrypting
//! chosen plaintexts block by block as an attacker with the public key can.
#![allow(dead_code)]

use std::sync::OnceLock;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use obshell_auth::AgentKey;
use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::{Pkcs1v15Encrypt, RsaPublicKey};

pub fn agent() -> &'static AgentKey {
    static AGENT: OnceLock<AgentKey> = OnceLock::new();
    AGENT.get_or_init(|| AgentKey::generate(1024).expect("key generation"))
}

pub fn public_key() -> RsaPublicKey {
    let der = BASE64
        .decode(agent().public_key_base64().expect("public key"))
        .expect("base64");
    RsaPublicKey::from_pkcs1_der(&der).expect("PKCS#1")
}

/// `plaintext` encrypted in 53-byte chunks, as the SDKs do, unencoded.
pub fn blocks(plaintext: &[u8]) -> Vec<u8> {
    let key = public_key();
    let mut out = Vec::new();
    for chunk in plaintext.chunks(53) {
        out.extend(
            key.encrypt(&mut rand::rngs::OsRng, Pkcs1v15Encrypt, chunk)
                .expect("encrypts"),
        );
    }
    out
}

pub fn encode(bytes: &[u8]) -> String {
    BASE64.encode(bytes)
}

pub fn decode(text: &str) -> Vec<u8> {
    BASE64.decode(text).expect("base64")
}

/// A header JSON with every member, for `uri`, expiring at `ts`.
pub fn header_json(password: &str, ts: u64, uri: &str) -> String {
    format!(
        r#"{{"Auth":"{password}","Ts":"{ts}","Uri":"{uri}","Keys":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}}"#
    )
}

//! OceanBase obshell's "API hybrid encryption" (vendor facts; obshell's
//! `ob/agent/secure/`, the Go SDK's `sdk/auth/passwod_v2.go`, the Python
//! SDK's `obshell/auth/password.py`).
//!
//! - The agent publishes a PKCS#1 RSA public key (`GET /api/v1/secret`,
//!   base64 DER; 1024-bit, 512-bit on old agents).
//! - The client sends `X-OCS-Header` (root@sys password) or
//!   `X-OCS-Agent-Header` (agent password): base64 of the RSA PKCS#1 v1.5
//!   encryption, in plaintext chunks of at most 53 bytes, of the JSON
//!   `{"Auth": password, "Ts": "<expiry, unix seconds>", "Uri": "<request
//!   URI with query>", "Keys": "<base64 of AES key then IV>"}`.
//! - A non-empty body travels AES-128-CBC encrypted (PKCS#5 padding) with
//!   that key and IV, base64 encoded.
//! - The agent rejects a header whose `Ts` has passed or whose `Uri` is not
//!   the request's.
//!
//! ```
//! use obshell_auth::{AgentKey, Credential, HeaderRequest};
//!
//! let agent = AgentKey::generate(1024).unwrap();
//! let public_key = agent.public_key_base64().unwrap();
//! let request = HeaderRequest { uri: "/api/v1/tenant/t1/sessions/stats", expires_at: 1_900_000_000 };
//! let sealed = Credential::RootPassword("secret".into()).seal(&public_key, &request).unwrap();
//! let opened = agent.open(&sealed.header_value).unwrap();
//! assert_eq!(opened.uri, "/api/v1/tenant/t1/sessions/stats");
//! assert!(opened.check("secret", "/api/v1/tenant/t1/sessions/stats", 1_899_999_970).is_ok());
//! ```

use std::fmt;

mod open;
mod replay;

pub use replay::ReplayCache;

use aes::cipher::block_padding::Pkcs7;
use aes::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use rand::RngCore;
use rsa::pkcs1::{DecodeRsaPublicKey, EncodeRsaPublicKey};
use rsa::traits::PublicKeyParts;
use rsa::{Pkcs1v15Encrypt, RsaPrivateKey, RsaPublicKey};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// The header that carries the root@sys password.
pub const OCS_HEADER: &str = "X-OCS-Header";
/// The header that carries the agent password.
pub const OCS_AGENT_HEADER: &str = "X-OCS-Agent-Header";
/// Plaintext bytes per RSA block, as both vendor SDKs use.
const CHUNK: usize = 53;
/// How long a header stays valid after it is built, as the SDKs set it.
pub const VALIDITY_SECONDS: u64 = 60;
/// The most RSA blocks a header may hold. The SDKs' headers take a few
/// (the JSON is a password, a timestamp, a URI and a key); the bound is
/// checked before any RSA work, so a huge header costs nothing.
pub const MAX_HEADER_BLOCKS: usize = 32;
/// How far in the future a header's `Ts` may lie by default. obshell
/// itself sets no bound (a header with `Ts` far ahead never expires); this
/// is stricter, and an agent can choose another ([`Opened::check_within`]).
pub const DEFAULT_MAX_AHEAD_SECONDS: u64 = 300;

/// What went wrong building or opening a header or body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthError {
    /// The agent's public key does not decode.
    PublicKey(String),
    /// The header or body is not base64, not RSA/AES ciphertext for this
    /// key, or not the expected JSON.
    Decrypt(String),
    /// The header's `Ts` has passed.
    Expired { expired_at: u64, now: u64 },
    /// The header's `Ts` lies further ahead than the agent accepts.
    TooFarAhead {
        expires_at: u64,
        now: u64,
        max_ahead: u64,
    },
    /// The header is longer than any honest client sends.
    TooLarge { bytes: usize, max_bytes: usize },
    /// The header was built for another request URI.
    UriMismatch { header: String, request: String },
    /// The password does not match.
    WrongPassword,
    /// The header's first block was accepted before (a replay, or blocks
    /// spliced onto a captured one).
    Replayed,
    /// The replay cache is full of headers not yet expired.
    ReplayCacheFull,
    /// Key generation or encryption failed.
    Crypto(String),
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuthError::PublicKey(why) => write!(f, "the agent's public key is not usable: {why}"),
            AuthError::Decrypt(why) => write!(f, "cannot decrypt: {why}"),
            AuthError::Expired { expired_at, now } => {
                write!(f, "the header expired at {expired_at} (now {now})")
            }
            AuthError::TooFarAhead {
                expires_at,
                now,
                max_ahead,
            } => write!(
                f,
                "the header expires at {expires_at}, more than {max_ahead} s after now ({now})"
            ),
            AuthError::TooLarge { bytes, max_bytes } => {
                write!(
                    f,
                    "the header is {bytes} bytes; at most {max_bytes} are read"
                )
            }
            AuthError::UriMismatch { header, request } => {
                write!(f, "the header was built for `{header}`, not `{request}`")
            }
            AuthError::WrongPassword => f.write_str("the password does not match"),
            AuthError::Replayed => f.write_str("the header was already used"),
            AuthError::ReplayCacheFull => {
                f.write_str("too many recent headers to check this one for replay")
            }
            AuthError::Crypto(why) => write!(f, "cryptography failed: {why}"),
        }
    }
}

impl std::error::Error for AuthError {}

/// A password a client authenticates with; never in `Debug` output,
/// zeroized on drop.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub enum Credential {
    /// The root@sys password, sent in [`OCS_HEADER`].
    RootPassword(String),
    /// The agent password, sent in [`OCS_AGENT_HEADER`].
    AgentPassword(String),
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credential::RootPassword(_) => f.write_str("RootPassword(<redacted>)"),
            Credential::AgentPassword(_) => f.write_str("AgentPassword(<redacted>)"),
        }
    }
}

/// The request a header is built for.
#[derive(Debug, Clone, Copy)]
pub struct HeaderRequest<'a> {
    /// The request URI, path and query, exactly as sent.
    pub uri: &'a str,
    /// Unix seconds after which the agent refuses the header.
    pub expires_at: u64,
}

/// A built header and the AES key that encrypts the request's body.
#[derive(Debug)]
pub struct Sealed {
    /// The header's name, [`OCS_HEADER`] or [`OCS_AGENT_HEADER`].
    pub header_name: &'static str,
    /// The header's value.
    pub header_value: String,
    /// Encrypts the body that goes with the header.
    pub body_key: BodyKey,
}

impl Credential {
    /// The header this credential travels in.
    pub fn header_name(&self) -> &'static str {
        match self {
            Credential::RootPassword(_) => OCS_HEADER,
            Credential::AgentPassword(_) => OCS_AGENT_HEADER,
        }
    }

    fn password(&self) -> &str {
        match self {
            Credential::RootPassword(password) | Credential::AgentPassword(password) => password,
        }
    }

    /// Builds the header for `request` with the agent's public key (base64
    /// PKCS#1 DER, as `GET /api/v1/secret` answers it) and a fresh AES key.
    pub fn seal(&self, public_key: &str, request: &HeaderRequest<'_>) -> Result<Sealed, AuthError> {
        let der = BASE64
            .decode(public_key.trim())
            .map_err(|e| AuthError::PublicKey(e.to_string()))?;
        let key =
            RsaPublicKey::from_pkcs1_der(&der).map_err(|e| AuthError::PublicKey(e.to_string()))?;
        let body_key = BodyKey::generate();
        let plaintext = header_json(self.password(), request, &body_key);
        let mut rng = rand::rngs::OsRng;
        let mut ciphertext = Vec::new();
        for chunk in plaintext.as_bytes().chunks(CHUNK) {
            let block = key
                .encrypt(&mut rng, Pkcs1v15Encrypt, chunk)
                .map_err(|e| AuthError::Crypto(e.to_string()))?;
            ciphertext.extend_from_slice(&block);
        }
        Ok(Sealed {
            header_name: self.header_name(),
            header_value: BASE64.encode(ciphertext),
            body_key,
        })
    }
}

/// An agent's public key in one spelling, for comparing a key an agent
/// serves with one a client pinned: `text` is base64 PKCS#1 DER (as
/// `GET /api/v1/secret` answers it, white space allowed) or the same in a
/// PEM `RSA PUBLIC KEY` block; the answer is the key re-encoded as base64
/// PKCS#1 DER.
pub fn canonical_public_key(text: &str) -> Result<String, AuthError> {
    let base64: String = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.starts_with("-----"))
        .collect();
    let der = BASE64
        .decode(base64.as_bytes())
        .map_err(|e| AuthError::PublicKey(e.to_string()))?;
    let key =
        RsaPublicKey::from_pkcs1_der(&der).map_err(|e| AuthError::PublicKey(e.to_string()))?;
    let der = key
        .to_pkcs1_der()
        .map_err(|e| AuthError::PublicKey(e.to_string()))?;
    Ok(BASE64.encode(der.as_bytes()))
}

/// The header JSON, members in the SDKs' order (`Auth`, `Ts`, `Uri`,
/// `Keys`) whatever `serde_json`'s features: with a password of up to 25
/// bytes the first block then holds `Ts` whole, and binds the expiry.
fn header_json(
    password: &str,
    request: &HeaderRequest<'_>,
    body_key: &BodyKey,
) -> Zeroizing<String> {
    let quoted = |text: &str| serde_json::Value::from(text).to_string();
    Zeroizing::new(format!(
        "{{\"Auth\":{},\"Ts\":\"{}\",\"Uri\":{},\"Keys\":\"{}\"}}",
        Zeroizing::new(quoted(password)).as_str(),
        request.expires_at,
        quoted(request.uri),
        body_key.to_base64(),
    ))
}

/// The AES-128 key and IV a header carries for the body.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct BodyKey {
    key: [u8; 16],
    iv: [u8; 16],
}

impl fmt::Debug for BodyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BodyKey(<redacted>)")
    }
}

type Encryptor = cbc::Encryptor<aes::Aes128>;
type Decryptor = cbc::Decryptor<aes::Aes128>;

impl BodyKey {
    fn generate() -> Self {
        let mut key = BodyKey {
            key: [0; 16],
            iv: [0; 16],
        };
        rand::rngs::OsRng.fill_bytes(&mut key.key);
        rand::rngs::OsRng.fill_bytes(&mut key.iv);
        key
    }

    /// Base64 of key then IV, the header's `Keys`.
    fn to_base64(&self) -> String {
        let mut both = Zeroizing::new([0u8; 32]);
        both[..16].copy_from_slice(&self.key);
        both[16..].copy_from_slice(&self.iv);
        BASE64.encode(*both)
    }

    fn from_base64(text: &str) -> Result<Self, AuthError> {
        let both = Zeroizing::new(
            BASE64
                .decode(text)
                .map_err(|e| AuthError::Decrypt(format!("Keys: {e}")))?,
        );
        if both.len() != 32 {
            return Err(AuthError::Decrypt(format!(
                "Keys holds {} bytes, not 32",
                both.len()
            )));
        }
        let mut key = BodyKey {
            key: [0; 16],
            iv: [0; 16],
        };
        key.key.copy_from_slice(&both[..16]);
        key.iv.copy_from_slice(&both[16..]);
        Ok(key)
    }

    /// The body as sent: base64 of its AES-128-CBC encryption. An empty
    /// body is sent as is.
    pub fn encrypt_body(&self, body: &[u8]) -> Vec<u8> {
        if body.is_empty() {
            return Vec::new();
        }
        let ciphertext =
            Encryptor::new(&self.key.into(), &self.iv.into()).encrypt_padded_vec_mut::<Pkcs7>(body);
        BASE64.encode(ciphertext).into_bytes()
    }

    /// The body a client sent, decrypted.
    pub fn decrypt_body(&self, sent: &[u8]) -> Result<Vec<u8>, AuthError> {
        if sent.is_empty() {
            return Ok(Vec::new());
        }
        let ciphertext = BASE64
            .decode(sent)
            .map_err(|e| AuthError::Decrypt(format!("body: {e}")))?;
        Decryptor::new(&self.key.into(), &self.iv.into())
            .decrypt_padded_vec_mut::<Pkcs7>(&ciphertext)
            .map_err(|e| AuthError::Decrypt(format!("body: {e}")))
    }
}

/// An agent's RSA key pair.
#[derive(Clone)]
pub struct AgentKey {
    private: RsaPrivateKey,
    /// The secret behind the synthetic plaintexts of implicit rejection.
    rejection_secret: Zeroizing<[u8; 32]>,
}

impl fmt::Debug for AgentKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "AgentKey({} bits, <private key redacted>)",
            self.private.size() * 8
        )
    }
}

/// A decrypted header.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Opened {
    /// The password it carries.
    auth: String,
    /// Unix seconds after which it is refused.
    pub expires_at: u64,
    /// The request URI it was built for.
    pub uri: String,
    /// The key of the body that goes with it.
    body_key: BodyKey,
    /// SHA-256 of the first RSA block, for a replay cache.
    first_block: [u8; 32],
    /// Whether the first block holds `Ts` whole (then every header with
    /// this first block expires when this one does).
    ts_in_first_block: bool,
}

impl fmt::Debug for Opened {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Opened")
            .field("auth", &"<redacted>")
            .field("expires_at", &self.expires_at)
            .field("uri", &self.uri)
            .finish()
    }
}

impl Opened {
    /// Checks the header against the agent's password and the request, as
    /// of `now` (unix seconds), accepting a `Ts` at most
    /// [`DEFAULT_MAX_AHEAD_SECONDS`] ahead; passwords compare in constant
    /// time.
    pub fn check(&self, password: &str, request_uri: &str, now: u64) -> Result<(), AuthError> {
        self.check_within(password, request_uri, now, DEFAULT_MAX_AHEAD_SECONDS)
    }

    /// [`check`](Self::check) with the agent's own bound on how far ahead
    /// (seconds after `now`) a header's `Ts` may lie.
    pub fn check_within(
        &self,
        password: &str,
        request_uri: &str,
        now: u64,
        max_ahead: u64,
    ) -> Result<(), AuthError> {
        if now > self.expires_at {
            return Err(AuthError::Expired {
                expired_at: self.expires_at,
                now,
            });
        }
        if self.expires_at - now > max_ahead {
            return Err(AuthError::TooFarAhead {
                expires_at: self.expires_at,
                now,
                max_ahead,
            });
        }
        if self.uri != request_uri {
            return Err(AuthError::UriMismatch {
                header: self.uri.clone(),
                request: request_uri.to_owned(),
            });
        }
        if !constant_time_eq(self.auth.as_bytes(), password.as_bytes()) {
            return Err(AuthError::WrongPassword);
        }
        Ok(())
    }

    /// The key that decrypts the request's body.
    pub fn body_key(&self) -> &BodyKey {
        &self.body_key
    }

    /// SHA-256 of the header's first RSA block. obshell encrypts blocks
    /// independently, so a captured first block (which holds the
    /// password) can be followed by blocks anyone encrypts; an agent that
    /// refuses a first block seen before ([`ReplayCache`]) refuses both a
    /// replay and such a splice of a header already used.
    pub fn first_block(&self) -> [u8; 32] {
        self.first_block
    }

    /// Whether the first block holds the header's `Ts` whole, so that no
    /// header spliced onto it can carry another expiry.
    pub fn ts_in_first_block(&self) -> bool {
        self.ts_in_first_block
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl AgentKey {
    /// A fresh key pair of `bits` bits (obshell uses 1024).
    pub fn generate(bits: usize) -> Result<Self, AuthError> {
        let mut rejection_secret = Zeroizing::new([0u8; 32]);
        rand::rngs::OsRng.fill_bytes(&mut rejection_secret[..]);
        RsaPrivateKey::new(&mut rand::rngs::OsRng, bits)
            .map(|private| AgentKey {
                private,
                rejection_secret,
            })
            .map_err(|e| AuthError::Crypto(e.to_string()))
    }

    /// The public key as `GET /api/v1/secret` publishes it: base64 PKCS#1 DER.
    pub fn public_key_base64(&self) -> Result<String, AuthError> {
        let der = self
            .private
            .to_public_key()
            .to_pkcs1_der()
            .map_err(|e| AuthError::Crypto(e.to_string()))?;
        Ok(BASE64.encode(der.as_bytes()))
    }

    /// The longest header value [`open`](Self::open) reads: the base64 of
    /// [`MAX_HEADER_BLOCKS`] blocks of this key.
    pub fn max_header_bytes(&self) -> usize {
        (MAX_HEADER_BLOCKS * self.private.size()).div_ceil(3) * 4
    }
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use super::*;

    fn agent() -> &'static AgentKey {
        static AGENT: OnceLock<AgentKey> = OnceLock::new();
        AGENT.get_or_init(|| AgentKey::generate(1024).expect("key generation"))
    }

    fn seal(credential: &Credential, uri: &str, expires_at: u64) -> Sealed {
        let public_key = agent().public_key_base64().expect("public key");
        credential
            .seal(&public_key, &HeaderRequest { uri, expires_at })
            .expect("seals")
    }

    #[test]
    fn headers_round_trip_and_check() {
        // Long enough to need several RSA blocks.
        let uri = "/api/v1/tenant/a-tenant-with-a-long-name/sessions/stats?with=query&and=more";
        let sealed = seal(
            &Credential::RootPassword("root-password".into()),
            uri,
            1_000,
        );
        assert_eq!(sealed.header_name, OCS_HEADER);
        let opened = agent().open(&sealed.header_value).expect("opens");
        assert_eq!((opened.uri.as_str(), opened.expires_at), (uri, 1_000));
        assert_eq!(opened.check("root-password", uri, 999), Ok(()));
        assert_eq!(
            opened.check("root-password", uri, 1_001),
            Err(AuthError::Expired {
                expired_at: 1_000,
                now: 1_001
            })
        );
        assert!(matches!(
            opened.check("root-password", "/api/v1/other", 999),
            Err(AuthError::UriMismatch { .. })
        ));
        assert_eq!(
            opened.check("guess", uri, 999),
            Err(AuthError::WrongPassword)
        );
        assert_eq!(
            seal(&Credential::AgentPassword("x".into()), "/", 1).header_name,
            OCS_AGENT_HEADER
        );
    }

    #[test]
    fn a_header_far_in_the_future_is_refused() {
        let uri = "/api/v1/x";
        let opened = agent()
            .open(&seal(&Credential::RootPassword("p".into()), uri, u64::MAX).header_value)
            .expect("opens");
        assert_eq!(
            opened.check("p", uri, 1_000),
            Err(AuthError::TooFarAhead {
                expires_at: u64::MAX,
                now: 1_000,
                max_ahead: DEFAULT_MAX_AHEAD_SECONDS
            })
        );
        let soon = agent()
            .open(&seal(&Credential::RootPassword("p".into()), uri, 1_060).header_value)
            .expect("opens");
        assert_eq!(soon.check("p", uri, 1_000), Ok(()));
        assert!(soon.check_within("p", uri, 1_000, 30).is_err());
    }

    #[test]
    fn an_oversized_header_is_refused_before_any_rsa_work() {
        let huge = "A".repeat(agent().max_header_bytes() + 4);
        let started = std::time::Instant::now();
        assert!(matches!(
            agent().open(&huge),
            Err(AuthError::TooLarge { .. })
        ));
        // 1,133 blocks took 769 ms before the bound; refusing takes none.
        assert!(started.elapsed() < std::time::Duration::from_millis(50));
    }

    #[test]
    fn bodies_round_trip_with_the_header_key() {
        let sealed = seal(&Credential::RootPassword("p".into()), "/api/v1/x", 1);
        let sent = sealed.body_key.encrypt_body(br#"{"name":"t1"}"#);
        assert_ne!(sent, br#"{"name":"t1"}"#.to_vec());
        let opened = agent().open(&sealed.header_value).expect("opens");
        assert_eq!(
            opened.body_key().decrypt_body(&sent).expect("decrypts"),
            br#"{"name":"t1"}"#.to_vec()
        );
        assert!(
            sealed.body_key.encrypt_body(b"").is_empty(),
            "an empty body is not encrypted"
        );
    }

    #[test]
    fn corrupted_or_foreign_headers_do_not_open() {
        let sealed = seal(&Credential::RootPassword("p".into()), "/api/v1/x", 1);
        let mut bytes = BASE64.decode(&sealed.header_value).expect("base64");
        bytes[10] ^= 0x55;
        assert!(matches!(
            agent().open(&BASE64.encode(&bytes)),
            Err(AuthError::Decrypt(_))
        ));
        assert!(matches!(
            agent().open("not base64!"),
            Err(AuthError::Decrypt(_))
        ));
        assert!(matches!(
            agent().open(&BASE64.encode([1, 2, 3])),
            Err(AuthError::Decrypt(_))
        ));
        let other = AgentKey::generate(1024).expect("key generation");
        assert!(matches!(
            other.open(&sealed.header_value),
            Err(AuthError::Decrypt(_))
        ));
    }

    #[test]
    fn member_names_match_case_insensitively() {
        let public = agent().private.to_public_key();
        let json = br#"{"auth":"p","TS":"5","uri":"/x","KEYS":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}"#;
        let mut ciphertext = Vec::new();
        for chunk in json.chunks(CHUNK) {
            ciphertext.extend(
                public
                    .encrypt(&mut rand::rngs::OsRng, Pkcs1v15Encrypt, chunk)
                    .expect("encrypts"),
            );
        }
        let opened = agent().open(&BASE64.encode(ciphertext)).expect("opens");
        assert_eq!(opened.check("p", "/x", 5), Ok(()));
    }

    #[test]
    fn public_keys_compare_in_one_spelling() {
        let served = agent().public_key_base64().expect("public key");
        let wrapped: Vec<String> = served
            .as_bytes()
            .chunks(64)
            .map(|line| String::from_utf8_lossy(line).into_owned())
            .collect();
        let pem = format!(
            "-----BEGIN RSA PUBLIC KEY-----\n{}\n-----END RSA PUBLIC KEY-----\n",
            wrapped.join("\n")
        );
        assert_eq!(canonical_public_key(&served).as_ref(), Ok(&served));
        assert_eq!(canonical_public_key(&pem).as_ref(), Ok(&served));
        assert!(canonical_public_key("not a key").is_err());
    }

    #[test]
    fn secrets_stay_out_of_debug_output() {
        let sealed = seal(&Credential::RootPassword("the-password".into()), "/x", 1);
        let opened = agent().open(&sealed.header_value).expect("opens");
        let debug = format!(
            "{:?} {:?} {:?} {:?}",
            Credential::RootPassword("the-password".into()),
            sealed.body_key,
            opened,
            agent()
        );
        assert!(!debug.contains("the-password"), "{debug}");
        assert!(!debug.contains(&sealed.body_key.to_base64()), "{debug}");
    }
}

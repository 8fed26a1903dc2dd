//! Opening a credential header on the agent's side, with one answer for
//! every way it can fail to decrypt or parse.
//!
//! - Every block is decrypted with blinding, whatever happened to the
//!   blocks before it.
//! - A block whose padding is wrong decrypts to a synthetic plaintext
//!   (implicit rejection, as TLS does for RSA key exchange): a pseudorandom
//!   function of the block under a secret of the key, of a pseudorandom
//!   length, so that it looks like the plaintext of a block with good
//!   padding and the same block always gives the same one.
//! - Parsing the joined plaintext then fails, or not, with no trace of
//!   which block was bad: every failure is the one [`AuthError::Decrypt`]
//!   with the same words.
//! - Member names match case-insensitively, as obshell matches them, and a
//!   member given twice (`Ts` and `ts`) is refused, so that blocks appended
//!   to a captured first block cannot override what it holds.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, Mac};
use rsa::Pkcs1v15Encrypt;
use rsa::traits::PublicKeyParts;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::{AgentKey, AuthError, BodyKey, MAX_HEADER_BLOCKS, Opened};

/// The words of every decryption or parsing failure.
pub(crate) const UNREADABLE: &str = "the header does not decrypt to obshell's header JSON";

/// The one error for everything that fails after the size check.
fn unreadable() -> AuthError {
    AuthError::Decrypt(UNREADABLE.into())
}

impl AgentKey {
    /// Decrypts a header value. JSON member names match case-insensitively,
    /// as the agent matches them; a member given twice is refused. A value
    /// longer than [`max_header_bytes`](Self::max_header_bytes) is refused
    /// before any decoding; after that, every failure (base64, block
    /// count, padding, JSON, members) is the same [`AuthError::Decrypt`],
    /// decided after decrypting every block. RSA decryption costs about a
    /// millisecond per block: call it off an async runtime's workers.
    pub fn open(&self, header_value: &str) -> Result<Opened, AuthError> {
        let max_bytes = self.max_header_bytes();
        if header_value.len() > max_bytes {
            return Err(AuthError::TooLarge {
                bytes: header_value.len(),
                max_bytes,
            });
        }
        let ciphertext = BASE64
            .decode(header_value.trim())
            .map_err(|_| unreadable())?;
        let block = self.private.size();
        if ciphertext.is_empty() || ciphertext.len() % block != 0 {
            return Err(unreadable());
        }
        let mut plaintext = Zeroizing::new(Vec::new());
        let mut first_block_bytes = 0;
        for (index, chunk) in ciphertext.chunks(block).enumerate() {
            let part = self.decrypt_block(chunk);
            plaintext.extend_from_slice(&part);
            if index == 0 {
                first_block_bytes = part.len();
            }
        }
        let fields = parse(&plaintext).ok_or_else(unreadable)?;
        let first = &plaintext[..first_block_bytes];
        if committed_ts(first).is_some_and(|ts| ts != fields.ts) {
            return Err(unreadable());
        }
        let expires_at = fields.ts.parse().map_err(|_| unreadable())?;
        let body_key = BodyKey::from_base64(&fields.keys).map_err(|_| unreadable())?;
        Ok(Opened {
            auth: String::clone(&fields.auth),
            expires_at,
            uri: fields.uri.clone(),
            body_key,
            first_block: Sha256::digest(&ciphertext[..block]).into(),
            ts_in_first_block: committed_ts(first).is_some(),
        })
    }

    /// One block's plaintext, or its synthetic stand-in when the padding
    /// is wrong; the stand-in is computed either way.
    fn decrypt_block(&self, block: &[u8]) -> Zeroizing<Vec<u8>> {
        let synthetic = self.synthetic_plaintext(block);
        match self
            .private
            .decrypt_blinded(&mut rand::rngs::OsRng, Pkcs1v15Encrypt, block)
        {
            Ok(plain) => Zeroizing::new(plain),
            Err(_) => synthetic,
        }
    }

    /// A pseudorandom plaintext for `block`: HMAC-SHA256 under the key's
    /// rejection secret, stretched by a counter, of a pseudorandom length
    /// up to the longest a block can hold.
    fn synthetic_plaintext(&self, block: &[u8]) -> Zeroizing<Vec<u8>> {
        let max_len = self.private.size().saturating_sub(11);
        let prf = |counter: u32| {
            let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.rejection_secret[..])
                .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
            mac.update(&counter.to_be_bytes());
            mac.update(block);
            mac.finalize().into_bytes()
        };
        let length_bytes = prf(0);
        let length =
            usize::from(u16::from_be_bytes([length_bytes[0], length_bytes[1]])) % (max_len + 1);
        let mut out = Zeroizing::new(Vec::with_capacity(max_len + 32));
        let mut counter = 1;
        while out.len() < length {
            out.extend_from_slice(&prf(counter));
            counter += 1;
        }
        out.truncate(length);
        out
    }
}

/// The members a header must carry, as strings.
struct Fields {
    auth: Zeroizing<String>,
    ts: String,
    uri: String,
    keys: Zeroizing<String>,
}

/// The header JSON's members, matched case-insensitively; `None` when it
/// is not an object of strings with each of them exactly once.
fn parse(plaintext: &[u8]) -> Option<Fields> {
    let members: Members = serde_json::from_slice(plaintext).ok()?;
    let find = |name: &str| {
        let mut matching = members
            .0
            .iter()
            .filter(|(key, _)| key.eq_ignore_ascii_case(name));
        let (_, value) = matching.next()?;
        let value = value.as_str()?.to_owned();
        matching.next().is_none().then_some(value)
    };
    let fields = Fields {
        auth: Zeroizing::new(find("Auth")?),
        ts: find("Ts")?,
        uri: find("Uri")?,
        keys: Zeroizing::new(find("Keys")?),
    };
    Some(fields)
}

/// A JSON object's members in order, duplicates kept (a `serde_json` map
/// keeps only the last).
struct Members(Vec<(String, serde_json::Value)>);

impl<'de> serde::Deserialize<'de> for Members {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Members;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Members, A::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry::<String, serde_json::Value>()? {
                    if members.len() >= MAX_MEMBERS {
                        return Err(serde::de::Error::custom("too many members"));
                    }
                    members.push(member);
                }
                Ok(Members(members))
            }
        }
        deserializer.deserialize_map(Visitor)
    }
}

/// More members than any SDK sends (four) by far.
const MAX_MEMBERS: usize = 4 * MAX_HEADER_BLOCKS;

/// The `Ts` the first block's plaintext holds whole (`"Ts":"<digits>"`,
/// name in any case), if it does: what the block commits to.
fn committed_ts(first: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(first).ok().or_else(|| {
        // A block may end inside a character: look at its valid prefix.
        let valid = std::str::from_utf8(first).err()?.valid_up_to();
        std::str::from_utf8(&first[..valid]).ok()
    })?;
    let lower = text.to_ascii_lowercase();
    let start = lower.find("\"ts\":\"")? + 6;
    let rest = &text[start..];
    let end = rest.find('"')?;
    let digits = &rest[..end];
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then(|| digits.to_owned())
}

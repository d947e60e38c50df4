//! The wire format, version 1. Big-endian integers; every length is fixed except the ciphertext,
//! which runs to the end of the input, so there is nothing to trust in a length field.
//!
//! A normal message (`kind = 0x01`), 58 bytes + plaintext length:
//!
//! | offset | size | field |
//! |---|---|---|
//! | 0 | 1 | version = 1 |
//! | 1 | 1 | kind = 0x01 |
//! | 2 | 32 | sender's ratchet public key (DHs) |
//! | 34 | 4 | PN: length of the sender's previous sending chain |
//! | 38 | 4 | N: index of this message in its chain |
//! | 42 | len | AES-256-GCM ciphertext |
//! | 42 + len | 16 | GCM tag |
//!
//! Bytes 0..42 are the *header*; the AEAD's associated data is the X3DH associated data followed
//! by the header, so version, kind, key and counters are all authenticated.
//!
//! An initial (prekey) message (`kind = 0x02`) wraps the first normal messages of an initiator
//! until it hears back (X3DH §3.3, Double Ratchet §5.1 note):
//!
//! | offset | size | field |
//! |---|---|---|
//! | 0 | 1 | version = 1 |
//! | 1 | 1 | kind = 0x02 |
//! | 2 | 32 | initiator's identity key IK_A (X25519) |
//! | 34 | 32 | initiator's ephemeral (base) key EK_A |
//! | 66 | 4 | signed prekey id |
//! | 70 | 1 | one-time prekey flag: 0 absent, 1 present |
//! | 71 | 0 or 4 | one-time prekey id, if the flag is 1 |
//! | 71 or 75 | … | the embedded normal message |
//!
//! The prekey fields are authenticated through the key they derive: any change to IK_A or EK_A
//! yields another SK and the embedded message fails to open. Keys must be canonical (bit 255
//! clear, u < p), so no two encodings name the same key.

use x25519_dalek::PublicKey;

use super::{aead::TAG_LEN, error::DecodeError};

/// The wire-format version this build writes and accepts.
pub const VERSION: u8 = 1;
const KIND_MESSAGE: u8 = 0x01;
const KIND_PREKEY: u8 = 0x02;
/// Length of an encoded [`Header`].
pub const HEADER_LEN: usize = 42;
/// Bytes a normal message adds to its plaintext: header and tag.
pub const MESSAGE_OVERHEAD: usize = HEADER_LEN + TAG_LEN;
/// Bytes an initial message adds around its embedded message, with a one-time prekey.
pub const PREKEY_PREFIX_MAX: usize = 75;

/// The clear header of a normal message (spec §3.1: dh, pn, n).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// The sender's current ratchet public key.
    pub ratchet_key: PublicKey,
    /// Number of messages in the sender's previous sending chain.
    pub previous_chain_length: u32,
    /// Index of this message in the sender's current chain.
    pub index: u32,
}

impl Header {
    /// The header's 42 bytes, which also enter the associated data.
    pub fn encode(&self) -> [u8; HEADER_LEN] {
        let mut out = [0u8; HEADER_LEN];
        out[0] = VERSION;
        out[1] = KIND_MESSAGE;
        out[2..34].copy_from_slice(self.ratchet_key.as_bytes());
        out[34..38].copy_from_slice(&self.previous_chain_length.to_be_bytes());
        out[38..42].copy_from_slice(&self.index.to_be_bytes());
        out
    }
}

/// A decoded normal message, borrowing the input bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Message<'a> {
    /// The parsed header.
    pub header: Header,
    /// The header exactly as received, for the associated data.
    pub header_bytes: &'a [u8; HEADER_LEN],
    /// The ciphertext without its tag.
    pub ciphertext: &'a [u8],
    /// The GCM tag.
    pub tag: &'a [u8; TAG_LEN],
}

/// The fields an initiator adds to its first messages so the responder can run X3DH.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PreKeyFields {
    /// The initiator's X25519 identity key IK_A.
    pub identity_key: PublicKey,
    /// The initiator's ephemeral key EK_A; it also names the session.
    pub base_key: PublicKey,
    /// Which signed prekey of the responder was used.
    pub signed_prekey_id: u32,
    /// Which one-time prekey, if any.
    pub one_time_prekey_id: Option<u32>,
}

impl PreKeyFields {
    /// Appends the encoded prefix (version, kind and the fields) to `out`.
    pub fn encode_into(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&[VERSION, KIND_PREKEY]);
        out.extend_from_slice(self.identity_key.as_bytes());
        out.extend_from_slice(self.base_key.as_bytes());
        out.extend_from_slice(&self.signed_prekey_id.to_be_bytes());
        match self.one_time_prekey_id {
            None => out.push(0),
            Some(id) => {
                out.push(1);
                out.extend_from_slice(&id.to_be_bytes());
            }
        }
    }
}

/// A decoded initial message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PreKeyMessage<'a> {
    /// The X3DH fields.
    pub fields: PreKeyFields,
    /// The embedded normal message.
    pub message: Message<'a>,
}

/// Any message on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WireMessage<'a> {
    /// An initial message carrying X3DH fields.
    PreKey(PreKeyMessage<'a>),
    /// A normal Double Ratchet message.
    Normal(Message<'a>),
}

impl<'a> WireMessage<'a> {
    /// The Double Ratchet message inside, whatever the kind.
    pub fn message(&self) -> &Message<'a> {
        match self {
            WireMessage::PreKey(prekey) => &prekey.message,
            WireMessage::Normal(message) => message,
        }
    }
}

/// A bounds-checked cursor over untrusted bytes.
struct Reader<'a> {
    bytes: &'a [u8],
    offset: usize,
}

impl<'a> Reader<'a> {
    fn take<const N: usize>(&mut self, field: &'static str) -> Result<&'a [u8; N], DecodeError> {
        let end = self.offset + N;
        let slice = self
            .bytes
            .get(self.offset..end)
            .ok_or(DecodeError::Truncated {
                field,
                offset: self.offset,
                end,
                len: self.bytes.len(),
            })?;
        self.offset = end;
        // `get` returned exactly N bytes, so the conversion cannot fail.
        slice.try_into().map_err(|_| DecodeError::Truncated {
            field,
            offset: self.offset,
            end,
            len: self.bytes.len(),
        })
    }

    fn u8(&mut self, field: &'static str) -> Result<u8, DecodeError> {
        Ok(self.take::<1>(field)?[0])
    }

    fn u32(&mut self, field: &'static str) -> Result<u32, DecodeError> {
        Ok(u32::from_be_bytes(*self.take::<4>(field)?))
    }

    /// A public key in its canonical encoding. X25519 ignores bit 255 and reduces u mod p, so
    /// without this check two encodings would name one key and a flipped bit would go unnoticed.
    fn key(&mut self, field: &'static str) -> Result<PublicKey, DecodeError> {
        let offset = self.offset;
        let bytes = self.take::<32>(field)?;
        let reduced_or_high = bytes[31] & 0x80 != 0
            || (bytes[31] == 0x7F && bytes[1..31].iter().all(|&b| b == 0xFF) && bytes[0] >= 0xED);
        if reduced_or_high {
            return Err(DecodeError::NonCanonicalKey { field, offset });
        }
        Ok(PublicKey::from(*bytes))
    }

    fn version_and_kind(&mut self) -> Result<u8, DecodeError> {
        let version = self.u8("version")?;
        if version != VERSION {
            return Err(DecodeError::UnsupportedVersion {
                found: version,
                expected: VERSION,
            });
        }
        self.u8("kind")
    }
}

fn decode_message<'a>(bytes: &'a [u8], start: usize) -> Result<Message<'a>, DecodeError> {
    let mut reader = Reader {
        bytes,
        offset: start,
    };
    let header_bytes = bytes.get(start..start + HEADER_LEN);
    let kind = reader.version_and_kind()?;
    if kind != KIND_MESSAGE {
        return Err(DecodeError::UnexpectedKind {
            found: kind,
            offset: start + 1,
            expected: "0x01 (message)",
        });
    }
    let header = Header {
        ratchet_key: reader.key("ratchet key")?,
        previous_chain_length: reader.u32("previous chain length")?,
        index: reader.u32("message index")?,
    };
    let body = &bytes[reader.offset..];
    let tag_start = body
        .len()
        .checked_sub(TAG_LEN)
        .ok_or(DecodeError::Truncated {
            field: "tag",
            offset: reader.offset,
            end: reader.offset + TAG_LEN,
            len: bytes.len(),
        })?;
    let (ciphertext, tag) = body.split_at(tag_start);
    let truncated = DecodeError::Truncated {
        field: "header",
        offset: start,
        end: start + HEADER_LEN,
        len: 0,
    };
    Ok(Message {
        header,
        header_bytes: header_bytes
            .and_then(|h| h.try_into().ok())
            .ok_or(truncated)?,
        ciphertext,
        tag: tag.try_into().map_err(|_| truncated)?,
    })
}

impl<'a> TryFrom<&'a [u8]> for Message<'a> {
    type Error = DecodeError;

    fn try_from(bytes: &'a [u8]) -> Result<Self, DecodeError> {
        decode_message(bytes, 0)
    }
}

impl<'a> TryFrom<&'a [u8]> for PreKeyMessage<'a> {
    type Error = DecodeError;

    fn try_from(bytes: &'a [u8]) -> Result<Self, DecodeError> {
        let mut reader = Reader { bytes, offset: 0 };
        let kind = reader.version_and_kind()?;
        if kind != KIND_PREKEY {
            return Err(DecodeError::UnexpectedKind {
                found: kind,
                offset: 1,
                expected: "0x02 (initial message)",
            });
        }
        let identity_key = reader.key("identity key")?;
        let base_key = reader.key("base key")?;
        let signed_prekey_id = reader.u32("signed prekey id")?;
        let flag_offset = reader.offset;
        let one_time_prekey_id = match reader.u8("one-time prekey flag")? {
            0 => None,
            1 => Some(reader.u32("one-time prekey id")?),
            found => {
                return Err(DecodeError::InvalidFlag {
                    found,
                    offset: flag_offset,
                });
            }
        };
        Ok(PreKeyMessage {
            fields: PreKeyFields {
                identity_key,
                base_key,
                signed_prekey_id,
                one_time_prekey_id,
            },
            message: decode_message(bytes, reader.offset)?,
        })
    }
}

impl<'a> TryFrom<&'a [u8]> for WireMessage<'a> {
    type Error = DecodeError;

    fn try_from(bytes: &'a [u8]) -> Result<Self, DecodeError> {
        match bytes.get(1) {
            Some(&KIND_PREKEY) => PreKeyMessage::try_from(bytes).map(WireMessage::PreKey),
            _ => Message::try_from(bytes).map(WireMessage::Normal),
        }
    }
}

#[cfg(test)]
mod test {
    use super::*;

    fn sample() -> Vec<u8> {
        let header = Header {
            ratchet_key: PublicKey::from([9u8; 32]),
            previous_chain_length: 3,
            index: 5,
        };
        let mut bytes = header.encode().to_vec();
        bytes.extend_from_slice(b"hello");
        bytes.extend_from_slice(&[0xAA; TAG_LEN]);
        bytes
    }

    #[test]
    fn normal_message_round_trips_its_fields() {
        let bytes = sample();
        let message = Message::try_from(&bytes[..]).unwrap();
        assert_eq!(message.header.previous_chain_length, 3);
        assert_eq!(message.header.index, 5);
        assert_eq!(message.ciphertext, b"hello");
        assert_eq!(message.tag, &[0xAA; TAG_LEN]);
        assert_eq!(&message.header_bytes[..], &bytes[..HEADER_LEN]);
    }

    #[test]
    fn every_truncation_is_a_typed_error() {
        let bytes = sample();
        for len in 0..HEADER_LEN + TAG_LEN {
            assert!(
                WireMessage::try_from(&bytes[..len]).is_err(),
                "length {len} accepted"
            );
        }
    }

    #[test]
    fn truncated_header_names_the_field_and_offsets() {
        let bytes = sample();
        assert_eq!(
            Message::try_from(&bytes[..36]),
            Err(DecodeError::Truncated {
                field: "previous chain length",
                offset: 34,
                end: 38,
                len: 36
            })
        );
    }

    #[test]
    fn prekey_message_with_bad_flag_is_refused_at_its_offset() {
        let fields = PreKeyFields {
            identity_key: PublicKey::from([1u8; 32]),
            base_key: PublicKey::from([2u8; 32]),
            signed_prekey_id: 4,
            one_time_prekey_id: Some(8),
        };
        let mut bytes = Vec::new();
        fields.encode_into(&mut bytes);
        assert_eq!(bytes.len(), PREKEY_PREFIX_MAX);
        bytes.extend_from_slice(&sample());
        assert_eq!(PreKeyMessage::try_from(&bytes[..]).unwrap().fields, fields);
        bytes[70] = 2;
        assert_eq!(
            PreKeyMessage::try_from(&bytes[..]),
            Err(DecodeError::InvalidFlag {
                found: 2,
                offset: 70
            })
        );
    }

    #[test]
    fn wrong_version_is_refused() {
        let mut bytes = sample();
        bytes[0] = 2;
        assert_eq!(
            Message::try_from(&bytes[..]),
            Err(DecodeError::UnsupportedVersion {
                found: 2,
                expected: 1
            })
        );
    }
}

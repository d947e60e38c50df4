//! How a design's extra field travels with a protocol message.
//!
//! | offset | size | field |
//! |---|---|---|
//! | 0 | 2 | length L of the design field (big-endian; 0 in `plain`) |
//! | 2 | L | design field (an escrow field) |
//! | 2 + L | … | the protocol message, unchanged |

use super::DesignError;

/// Prepends `field` (possibly empty) to a protocol message.
pub fn seal(field: &[u8], message: &[u8]) -> Result<Vec<u8>, DesignError> {
    let len = u16::try_from(field.len()).map_err(|_| DesignError::InvalidParameter {
        field: "escrow field",
        expected: "at most 65,535 bytes",
    })?;
    let mut out = Vec::with_capacity(2 + field.len() + message.len());
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(field);
    out.extend_from_slice(message);
    Ok(out)
}

/// Splits an envelope into (design field, protocol message).
pub fn open(bytes: &[u8]) -> Result<(&[u8], &[u8]), DesignError> {
    let len = bytes.get(..2).ok_or(DesignError::Malformed {
        what: "envelope",
        offset: 0,
        expected: "a 2-byte field length",
    })?;
    let len = usize::from(u16::from_be_bytes([len[0], len[1]]));
    let field = bytes.get(2..2 + len).ok_or(DesignError::Malformed {
        what: "envelope",
        offset: 2,
        expected: "as many field bytes as the length says",
    })?;
    Ok((field, &bytes[2 + len..]))
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn round_trips_and_refuses_short_input() {
        let sealed = seal(b"field", b"message").unwrap();
        assert_eq!(open(&sealed).unwrap(), (&b"field"[..], &b"message"[..]));
        assert!(open(&sealed[..1]).is_err());
        assert!(open(&sealed[..5]).is_err());
        assert_eq!(
            open(&seal(b"", b"m").unwrap()).unwrap(),
            (&b""[..], &b"m"[..])
        );
    }
}

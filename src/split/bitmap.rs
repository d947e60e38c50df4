//! A set of users in a task file: its bitmap as lowercase hex, 16 digits per 64 users, so that
//! tasks merge the set by union exactly (the summary keeps only its size). A million users take
//! 250 KB.

use crate::{adversary::UserSet, scenario::MAX_USERS};

/// The set as hex: word `k` (users `64k` to `64k + 63`) as 16 digits, most significant first.
pub(crate) fn to_hex(set: &UserSet) -> String {
    set.words()
        .iter()
        .map(|word| format!("{word:016x}"))
        .collect()
}

/// The set written by [`to_hex`], or what is wrong with the text, with its offset.
pub(crate) fn from_hex(text: &str) -> Result<UserSet, String> {
    if !text.len().is_multiple_of(16) {
        return Err(format!(
            "expected 16 hex digits per 64 users, found {} digits",
            text.len()
        ));
    }
    let most = MAX_USERS.div_ceil(64) as usize;
    if text.len() / 16 > most {
        return Err(format!(
            "{} words, more than the {most} of {MAX_USERS} users",
            text.len() / 16
        ));
    }
    let words = text
        .as_bytes()
        .chunks(16)
        .enumerate()
        .map(|(k, chunk)| {
            let digits = std::str::from_utf8(chunk).unwrap_or("");
            let lower = chunk
                .iter()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b));
            match u64::from_str_radix(digits, 16) {
                Ok(word) if lower => Ok(word),
                _ => Err(format!(
                    "expected lowercase hex digits at offset {}, found {:?}",
                    16 * k,
                    String::from_utf8_lossy(chunk)
                )),
            }
        })
        .collect::<Result<Vec<u64>, String>>()?;
    if words.last() == Some(&0) {
        return Err("the last word is zero: not written by doormat".into());
    }
    Ok(UserSet::from_words(words))
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn a_set_reads_back_from_its_hex() {
        let mut set = UserSet::default();
        for user in [0, 1, 63, 64, 200] {
            set.insert(user);
        }
        let hex = to_hex(&set);
        assert_eq!(&hex[..16], "8000000000000003");
        let back = from_hex(&hex).unwrap();
        assert_eq!(back, set);
        assert_eq!(back.len(), 5);
        assert_eq!(from_hex("").unwrap(), UserSet::default());
    }

    #[test]
    fn malformed_hex_is_refused_with_its_offset() {
        assert!(from_hex("123").unwrap_err().contains("16 hex digits"));
        let error = from_hex("0000000000000001000000000000000G").unwrap_err();
        assert!(error.contains("offset 16"), "{error}");
        assert!(from_hex("000000000000000A").is_err(), "uppercase");
        assert!(from_hex("+000000000000001").is_err(), "a sign");
        assert!(from_hex("0000000000000000").unwrap_err().contains("zero"));
    }
}

//! A set of users in a task file, so that tasks merge the set by union exactly (the summary
//! keeps only its size). Written in whichever of two forms is shorter:
//!
//! - `runs:` then comma-separated `gap+length` runs of consecutive users, each gap counted from
//!   the end of the previous run (from user 0 for the first): short for the sparse sets of a
//!   task's share of a large population, and for contiguous ones;
//! - `bits:` then the bitmap in lowercase hex, 16 digits per 64 users (word `k` holds users `64k`
//!   to `64k + 63`, most significant digit first): at most 250 KB per million users, whatever
//!   the set.
//!
//! The empty set is `runs:`.

use crate::{adversary::UserSet, scenario::MAX_USERS};

/// The set in its shorter form.
pub(crate) fn encode(set: &UserSet) -> String {
    let runs = runs(set);
    let bits_len = 5 + 16 * set.words().len();
    // Each run takes at least 4 characters ("0+1,"): a cheap bound before building the text.
    if runs.len() * 4 > bits_len {
        return bits(set);
    }
    let mut text = String::from("runs:");
    let mut end = 0u64;
    for (k, (start, length)) in runs.iter().enumerate() {
        if k > 0 {
            text.push(',');
        }
        text.push_str(&format!("{}+{length}", start - end));
        end = start + length;
    }
    if text.len() > bits_len {
        bits(set)
    } else {
        text
    }
}

fn bits(set: &UserSet) -> String {
    let mut text = String::from("bits:");
    for word in set.words() {
        text.push_str(&format!("{word:016x}"));
    }
    text
}

/// The runs of consecutive users: `(first, length)`.
fn runs(set: &UserSet) -> Vec<(u64, u64)> {
    let mut runs: Vec<(u64, u64)> = Vec::new();
    for (k, &word) in set.words().iter().enumerate() {
        let mut word = word;
        while word != 0 {
            let bit = u64::from(word.trailing_zeros());
            word &= word - 1;
            let user = 64 * k as u64 + bit;
            match runs.last_mut() {
                Some((start, length)) if *start + *length == user => *length += 1,
                _ => runs.push((user, 1)),
            }
        }
    }
    runs
}

/// The set written by [`encode`], or what is wrong with the text, with its offset.
pub(crate) fn decode(text: &str) -> Result<UserSet, String> {
    if let Some(hex) = text.strip_prefix("bits:") {
        return from_hex(hex);
    }
    let Some(list) = text.strip_prefix("runs:") else {
        return Err("expected `runs:` or `bits:` at offset 0".into());
    };
    let mut words: Vec<u64> = Vec::new();
    let mut end = 0u64;
    let mut offset = 5;
    for run in list.split(',').filter(|_| !list.is_empty()) {
        let bad = || {
            format!("expected `gap+length` (decimal, length ≥ 1) at offset {offset}, found {run:?}")
        };
        let (gap, length) = run.split_once('+').ok_or_else(bad)?;
        let number = |digits: &str| {
            (!digits.is_empty() && digits.len() <= 9 && digits.bytes().all(|b| b.is_ascii_digit()))
                .then(|| digits.parse::<u64>().ok())
                .flatten()
        };
        let (Some(gap), Some(length)) = (number(gap), number(length)) else {
            return Err(bad());
        };
        if length == 0 || (end > 0 && gap == 0) {
            return Err(format!(
                "a run of no users, or touching the previous one, at offset {offset}: not written by doormat"
            ));
        }
        let start = end + gap;
        end = start + length;
        if end > MAX_USERS {
            return Err(format!(
                "users up to {end} at offset {offset}, more than the {MAX_USERS} a scenario may have"
            ));
        }
        words.resize(end.div_ceil(64) as usize, 0);
        for user in start..end {
            words[(user / 64) as usize] |= 1 << (user % 64);
        }
        offset += run.len() + 1;
    }
    Ok(UserSet::from_words(words))
}

fn from_hex(text: &str) -> Result<UserSet, String> {
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
            let lower = chunk
                .iter()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b));
            let digits = std::str::from_utf8(chunk).unwrap_or("");
            match u64::from_str_radix(digits, 16) {
                Ok(word) if lower => Ok(word),
                _ => Err(format!(
                    "expected lowercase hex digits at offset {}, found {:?}",
                    5 + 16 * k,
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

    fn set(users: impl IntoIterator<Item = u32>) -> UserSet {
        let mut set = UserSet::default();
        for user in users {
            set.insert(user);
        }
        set
    }

    #[test]
    fn sparse_and_contiguous_sets_are_runs_dense_ones_bits() {
        let sparse = set([3, 4, 5, 100, 1_000_000]);
        assert_eq!(encode(&sparse), "runs:3+3,94+1,999899+1");
        assert_eq!(encode(&set(0..100_000)), "runs:0+100000");
        // Every other user: 500 runs, against 16 digits per 64 users.
        let alternate = set((0..1000).step_by(2));
        assert!(
            encode(&alternate).starts_with("bits:"),
            "{}",
            encode(&alternate)
        );
        assert_eq!(encode(&UserSet::default()), "runs:");
        for s in [
            sparse,
            alternate,
            set(0..100_000),
            UserSet::default(),
            set([63, 64]),
        ] {
            assert_eq!(decode(&encode(&s)).unwrap(), s);
            assert_eq!(decode(&bits(&s)).unwrap(), s);
        }
    }

    #[test]
    fn malformed_sets_are_refused_with_their_offset() {
        assert!(decode("3+1").unwrap_err().contains("offset 0"));
        assert!(decode("bits:123").unwrap_err().contains("16 hex digits"));
        let error = decode("bits:0000000000000001000000000000000G").unwrap_err();
        assert!(error.contains("offset 21"), "{error}");
        assert!(decode("bits:000000000000000A").is_err(), "uppercase");
        assert!(decode("bits:+000000000000001").is_err(), "a sign");
        assert!(
            decode("bits:0000000000000000")
                .unwrap_err()
                .contains("zero")
        );
        let error = decode("runs:3+1,x+2").unwrap_err();
        assert!(error.contains("offset 9"), "{error}");
        assert!(decode("runs:3+0").is_err(), "an empty run");
        assert!(decode("runs:3+1,0+2").is_err(), "runs that touch");
        assert!(decode("runs:+1").is_err());
        assert!(
            decode("runs:99999999+99999999")
                .unwrap_err()
                .contains("more than")
        );
        assert!(decode("runs:3+1,").is_err(), "a trailing comma");
    }
}

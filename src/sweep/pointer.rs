//! JSON pointers (RFC 6901): where a sweep parameter goes in a scenario, and where a metric is
//! read in a summary. serde_json reads pointers; this adds checked syntax and writing.

use serde_json::Value;

/// A pointer split into its unescaped tokens (`~1` is `/`, `~0` is `~`).
pub(crate) fn tokens(pointer: &str) -> Result<Vec<String>, String> {
    let Some(rest) = pointer.strip_prefix('/') else {
        return Err(format!(
            "expected a JSON pointer starting with '/', found {pointer:?}"
        ));
    };
    rest.split('/')
        .map(|token| {
            let mut out = String::with_capacity(token.len());
            let mut chars = token.chars();
            while let Some(c) = chars.next() {
                if c != '~' {
                    out.push(c);
                    continue;
                }
                match chars.next() {
                    Some('0') => out.push('~'),
                    Some('1') => out.push('/'),
                    _ => {
                        return Err(format!(
                            "{pointer:?}: '~' must be followed by 0 or 1 (RFC 6901)"
                        ));
                    }
                }
            }
            Ok(out)
        })
        .collect()
}

/// Checks a pointer's syntax.
pub(crate) fn check(pointer: &str) -> Result<(), String> {
    tokens(pointer).map(|_| ())
}

/// An array index token: decimal, no leading zero (RFC 6901).
fn index(token: &str) -> Option<usize> {
    let canonical = token == "0" || !token.starts_with('0');
    (canonical && !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit()))
        .then(|| token.parse().ok())
        .flatten()
}

/// The value `pointer` designates in `document`, if it resolves.
pub(crate) fn get<'a>(document: &'a Value, pointer: &str) -> Option<&'a Value> {
    let tokens = tokens(pointer).ok()?;
    tokens
        .iter()
        .try_fold(document, |value, token| match value {
            Value::Object(map) => map.get(token),
            Value::Array(items) => index(token).and_then(|i| items.get(i)),
            _ => None,
        })
}

/// Where a write may land.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Write {
    /// The target must already exist (a sweep parameter: a typo must not pass silently).
    Replace,
    /// The target's parent must exist; an object member may be added (an override may add a
    /// block that the base scenario leaves out).
    Add,
}

/// Writes `new` at `pointer` in `document`; on failure says which prefix did not resolve.
pub(crate) fn set(
    document: &mut Value,
    pointer: &str,
    new: Value,
    mode: Write,
) -> Result<(), String> {
    let tokens = tokens(pointer)?;
    let Some((last, parents)) = tokens.split_last() else {
        return Err(format!("{pointer:?} designates nothing"));
    };
    let mut value = document;
    let mut walked = String::new();
    for token in parents {
        walked.push('/');
        walked.push_str(&escape(token));
        value = match value {
            Value::Object(map) => map.get_mut(token),
            Value::Array(items) => index(token).and_then(|i| items.get_mut(i)),
            _ => None,
        }
        .ok_or_else(|| format!("{walked} does not exist"))?;
    }
    let missing = || format!("{pointer} does not exist");
    match value {
        Value::Object(map) => match (map.get_mut(last), mode) {
            (Some(slot), _) => *slot = new,
            (None, Write::Add) => {
                map.insert(last.clone(), new);
            }
            (None, Write::Replace) => return Err(missing()),
        },
        Value::Array(items) => {
            let slot = index(last)
                .and_then(|i| items.get_mut(i))
                .ok_or_else(missing)?;
            *slot = new;
        }
        _ => return Err(format!("{walked} is not an object or an array")),
    }
    Ok(())
}

/// Escapes one token back into pointer syntax.
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod test {
    use serde_json::json;

    use super::*;

    #[test]
    fn escapes_follow_rfc_6901() {
        assert_eq!(tokens("/a~1b/c~0d").unwrap(), vec!["a/b", "c~d"]);
        assert!(tokens("a").is_err());
        assert!(tokens("/a~2").is_err());
    }

    #[test]
    fn get_reads_objects_and_arrays() {
        let doc = json!({"designs": [{"scope": {"length_hours": 24}}]});
        assert_eq!(get(&doc, "/designs/0/scope/length_hours"), Some(&json!(24)));
        assert_eq!(get(&doc, "/designs/01/scope"), None);
        assert_eq!(get(&doc, "/designs/1"), None);
    }

    #[test]
    fn replace_needs_the_target_and_add_only_its_parent() {
        let mut doc = json!({"population": {"users": 10}, "designs": [1]});
        set(&mut doc, "/population/users", json!(20), Write::Replace).unwrap();
        assert_eq!(doc["population"]["users"], 20);
        let error = set(&mut doc, "/population/userz", json!(1), Write::Replace).unwrap_err();
        assert!(error.contains("/population/userz"), "{error}");
        set(&mut doc, "/population/extra", json!(1), Write::Add).unwrap();
        assert_eq!(doc["population"]["extra"], 1);
        let error = set(&mut doc, "/nothing/here", json!(1), Write::Add).unwrap_err();
        assert!(error.contains("/nothing"), "{error}");
        assert!(set(&mut doc, "/designs/1", json!(1), Write::Add).is_err());
    }
}

//! JSON text written by hand where serde_json's serializer was measured to dominate: a million
//! findings' strings, escaped by serde_json a byte at a time, were a fifth of a large audit's
//! instructions. Every function here writes exactly the bytes serde_json writes (the tests
//! compare them).

use serde_json::Value;

/// `s` as a JSON string, escaped exactly as serde_json escapes it: `"` and `\\` with a
/// backslash, backspace, tab, line feed, form feed and carriage return by their short escapes,
/// other control characters as `\u00XX`, everything else as it is. Eight bytes are checked at a
/// time: most strings need no escape and are copied whole.
pub fn write_json_str(buf: &mut Vec<u8>, s: &str) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Whether any of eight bytes is below 0x20, a quote or a backslash (exact: a borrow only
    // flags a byte above one that is flagged already).
    fn any_special(x: u64) -> bool {
        let below_space = x.wrapping_sub(ONES * 0x20) & !x;
        let quote = x ^ (ONES * u64::from(b'"'));
        let backslash = x ^ (ONES * u64::from(b'\\'));
        let zero = |v: u64| v.wrapping_sub(ONES) & !v;
        (below_space | zero(quote) | zero(backslash)) & HIGH != 0
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = s.as_bytes();
    buf.reserve(bytes.len() + 2);
    buf.push(b'"');
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if let Some(chunk) = bytes.get(i..i + 8)
            && let Ok(eight) = <[u8; 8]>::try_from(chunk)
            && !any_special(u64::from_le_bytes(eight))
        {
            i += 8;
            continue;
        }
        let b = bytes[i];
        let short = match b {
            b'"' => Some(b'"'),
            b'\\' => Some(b'\\'),
            0x08 => Some(b'b'),
            b'\t' => Some(b't'),
            b'\n' => Some(b'n'),
            0x0c => Some(b'f'),
            b'\r' => Some(b'r'),
            0x00..=0x1f => None,
            _ => {
                i += 1;
                continue;
            }
        };
        buf.extend_from_slice(&bytes[start..i]);
        match short {
            Some(c) => buf.extend_from_slice(&[b'\\', c]),
            None => buf.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xf)],
            ]),
        }
        i += 1;
        start = i;
    }
    buf.extend_from_slice(&bytes[start..]);
    buf.push(b'"');
}

/// `value` as compact JSON text, the bytes `serde_json::to_vec` writes for it (object members in
/// the map's order).
pub fn write_compact_value(buf: &mut Vec<u8>, value: &Value) {
    match value {
        Value::Null => buf.extend_from_slice(b"null"),
        Value::Bool(true) => buf.extend_from_slice(b"true"),
        Value::Bool(false) => buf.extend_from_slice(b"false"),
        // A number is written by serde_json itself (integers as they are, floats shortest
        // round-trip); writing to memory cannot fail.
        Value::Number(n) => {
            let _ = serde_json::to_writer(&mut *buf, n);
        }
        Value::String(s) => write_json_str(buf, s),
        Value::Array(items) => {
            buf.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    buf.push(b',');
                }
                write_compact_value(buf, item);
            }
            buf.push(b']');
        }
        Value::Object(map) => {
            buf.push(b'{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    buf.push(b',');
                }
                write_json_str(buf, key);
                buf.push(b':');
                write_compact_value(buf, item);
            }
            buf.push(b'}');
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        // Every ASCII character and some beyond, at every place of an eight-byte check.
        let mut cases: Vec<String> = vec![String::new(), "é\u{2028}😀\u{7f}".into()];
        for c in (0u8..=0x7f).map(char::from).chain(['é', '\u{2028}', '😀']) {
            for at in 0..18 {
                let mut s: String = "abcdefghijklmnopq".chars().take(at).collect();
                s.push(c);
                s.push_str("rstuvwxyz012345");
                cases.push(s);
            }
        }
        for s in cases {
            let mut by_hand = Vec::new();
            write_json_str(&mut by_hand, &s);
            let by_serde = serde_json::to_string(&s).expect("a string serialises");
            assert_eq!(
                String::from_utf8(by_hand).expect("utf-8"),
                by_serde,
                "{s:?}"
            );
        }
    }

    /// A string with every kind of character a JSON writer treats apart.
    pub(crate) const AWKWARD: &str =
        "q\"b\\c\u{1}\u{1f}\u{7f}é\u{2028}\n\t\r\u{8}\u{c}/<>&'😀 and more than eight";

    /// An object of nested, empty and awkward values and numbers, as evidence may hold.
    pub(crate) fn awkward_object() -> serde_json::Map<String, Value> {
        let value = serde_json::json!({
            "statement": {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::1:root"]},
                "Condition": {"StringEquals": {"aws:SourceAccount": ["1", "2"]}}},
            "empty_object": {},
            "empty_array": [],
            "nested_empty": [[], {}, [[]], {"a": {}}],
            "numbers": [0, -1, 1.5, 1e300, -0.0, 2.5e-8, 0.1, 1e-7, 123456789.125, u64::MAX, i64::MIN],
            "flags": [true, false, null],
            AWKWARD: [AWKWARD, {AWKWARD: AWKWARD}],
            "text:with,colons{and}[brackets]": "a,b:c{d}[e]",
        });
        match value {
            Value::Object(map) => map,
            _ => serde_json::Map::new(),
        }
    }

    #[test]
    fn values_are_written_as_serde_json_writes_them() {
        for v in [
            Value::Object(awkward_object()),
            Value::Null,
            serde_json::json!("plain"),
            serde_json::json!([]),
        ] {
            let mut by_hand = Vec::new();
            write_compact_value(&mut by_hand, &v);
            let by_serde = serde_json::to_vec(&v).expect("a value serialises");
            assert_eq!(String::from_utf8(by_hand), String::from_utf8(by_serde));
        }
    }
}

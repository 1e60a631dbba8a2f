//! Reading request bodies: JSON whose objects repeat no key. `serde_json` keeps the last of
//! two equal keys, so `{"email": "a", "email": "b"}` would be read silently as `"b"`; the fake
//! refuses it instead, naming the key.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// A JSON value read with every object's keys checked for repeats.
struct Strict(Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Strict, D::Error> {
        d.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Strict(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(de::Error::custom(format!(
                    "'{}' is repeated",
                    crate::validate::excerpt(&key)
                )));
            }
            let Strict(v) = map.next_value()?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

/// Parses `raw` as JSON, refusing an object that repeats a key; the error says where.
pub(crate) fn parse(raw: &[u8]) -> Result<Value, String> {
    let mut d = serde_json::Deserializer::from_slice(raw);
    let Strict(v) = Strict::deserialize(&mut d).map_err(|e| e.to_string())?;
    d.end().map_err(|e| e.to_string())?;
    Ok(v)
}

#[cfg(test)]
mod tests {
    #[test]
    fn repeated_keys_are_refused_at_any_depth() {
        assert!(super::parse(br#"{"a": 1, "b": {"c": [1, {"d": 2}]}}"#).is_ok());
        let e = super::parse(br#"{"email": "a", "email": "b"}"#).unwrap_err();
        assert!(e.contains("'email' is repeated"), "{e}");
        let e = super::parse(br#"{"x": [{"k": 1, "k": 2}]}"#).unwrap_err();
        assert!(e.contains("'k' is repeated"), "{e}");
        assert!(super::parse(b"{} {}").is_err(), "trailing data");
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(
            super::parse(deep.as_bytes()).is_err(),
            "recursion is limited"
        );
    }
}

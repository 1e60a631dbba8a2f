//! Decoding models: the generic half of every model's `Deserialize`.
//!
//! Each model implements [`Model`] with the part that names its fields (emitted by the
//! generator); the rest is here, once. A model decodes as serde's derive would decode it with
//! `#[serde(flatten)] extra`, but without the derive's buffering: with `flatten`, serde first
//! copies every key and every unknown value into its private `Content` type, where here known
//! keys are matched in place and unknown ones go straight into `extra`.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, Error, MapAccess, Visitor};

use crate::json::{JsonMap, RawJson};

/// The part of a model's decoder that knows its fields.
pub(crate) trait Model: Sized {
    /// The Rust type's name, for "expected struct …" in errors.
    const NAME: &'static str;

    /// The model's fields, one variant each (named as the field, so adding one renumbers
    /// nothing in the emitted code).
    type Field: Copy;

    /// The field whose JSON key is `key`, as [`next_field`] answers it.
    fn field(key: &str) -> Option<Self::Field>;

    /// Reads the object's entries (with [`next_field`], [`value`] and [`required`]) into the
    /// model.
    fn visit<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// Decodes a model from a map, as `#[derive(Deserialize)]` with a flattened field does (a
/// map is asked for, not a struct: an array of the fields in order is not accepted).
pub(crate) fn deserialize<'de, D: Deserializer<'de>, T: Model>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_map(ModelVisitor(PhantomData))
}

struct ModelVisitor<T>(PhantomData<T>);

impl<'de, T: Model> Visitor<'de> for ModelVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", T::NAME)
    }

    // `#[inline]` here and on the key's seed and visitor, as the derive marks its own: without
    // them a page of rewards took 4-8% more instructions to decode (`benches/walk.rs`).
    #[inline]
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::visit(map)
    }
}

/// The field ([`Model::field`]) the next key names, or `None` at the
/// end of the object. Entries with other keys are put into `extra` on the way.
///
/// A key repeated in one object is an error (`duplicate field`), whether the model names it
/// ([`value`]) or not: which copy is meant is ambiguous, and parsers disagree (serde_json's
/// `Value` keeps the last, others the first), so none is picked silently. API responses and
/// deliveries are decoded by this same code, so they agree.
#[inline]
pub(crate) fn next_field<'de, T: Model, A: MapAccess<'de>>(
    map: &mut A,
    extra: &mut JsonMap,
) -> Result<Option<T::Field>, A::Error> {
    loop {
        match map.next_key_seed(KeySeed::<T>(PhantomData))? {
            None => return Ok(None),
            Some(Key::Field(field)) => return Ok(Some(field)),
            Some(Key::Other(key)) => keep(map, extra, key)?,
        }
    }
}

/// Reads the value of a known field into its slot; a field seen twice is an error, as with
/// the derive (`duplicate field`), whose path names the field.
#[inline]
pub(crate) fn value<'de, A: MapAccess<'de>, T: serde::Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error> {
    map.next_value_seed(Once { slot, name })
}

/// Reads a value into an empty slot. The check runs inside the value's own deserialization, so
/// that a tracked path (`data.key`) ends in the repeated key.
struct Once<'a, T> {
    slot: &'a mut Option<T>,
    name: &'static str,
}

impl<'de, T: serde::Deserialize<'de>> DeserializeSeed<'de> for Once<'_, T> {
    type Value = ();

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        let value = T::deserialize(deserializer)?;
        if self.slot.is_some() {
            return Err(D::Error::duplicate_field(self.name));
        }
        *self.slot = Some(value);
        Ok(())
    }
}

/// Puts the value of a key no field names into `extra` (a repeated key is an error, whose
/// tracked path ends in the key).
#[inline]
pub(crate) fn keep<'de, A: MapAccess<'de>>(
    map: &mut A,
    extra: &mut JsonMap,
    key: String,
) -> Result<(), A::Error> {
    map.next_value_seed(Keep { extra, key })
}

struct Keep<'a> {
    extra: &'a mut JsonMap,
    key: String,
}

impl<'de> DeserializeSeed<'de> for Keep<'_> {
    type Value = ();

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        let value = RawJson::deserialize(deserializer)?;
        if self.extra.contains_key(&self.key) {
            return Err(D::Error::custom(format_args!(
                "duplicate field `{}`",
                self.key
            )));
        }
        self.extra.insert(self.key, value);
        Ok(())
    }
}

/// The value of a field that must be present (`missing field` when it was not).
///
/// Only fields whose type is not `Option` are required: the derive lets an absent `Option`
/// be `None` even without `#[serde(default)]`, which the emitted code keeps by taking
/// `unwrap_or_default()` for every other field.
#[inline]
pub(crate) fn required<T, E: Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    match slot {
        Some(value) => Ok(value),
        None => Err(E::missing_field(name)),
    }
}

/// A key read by [`KeySeed`]: a known field, or a key to keep in `extra`.
enum Key<F> {
    Field(F),
    Other(String),
}

/// Reads a key and looks it up among a model's fields, allocating only for an unknown key
/// (and not even then when the deserializer hands over an owned `String`).
struct KeySeed<T>(PhantomData<T>);

impl<'de, T: Model> DeserializeSeed<'de> for KeySeed<T> {
    type Value = Key<T::Field>;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key<T::Field>, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de, T: Model> Visitor<'de> for KeySeed<T> {
    type Value = Key<T::Field>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("field identifier")
    }

    #[inline]
    fn visit_str<E: Error>(self, key: &str) -> Result<Key<T::Field>, E> {
        Ok(match T::field(key) {
            Some(field) => Key::Field(field),
            None => Key::Other(key.to_owned()),
        })
    }

    fn visit_string<E: Error>(self, key: String) -> Result<Key<T::Field>, E> {
        Ok(match T::field(&key) {
            Some(field) => Key::Field(field),
            None => Key::Other(key),
        })
    }
}

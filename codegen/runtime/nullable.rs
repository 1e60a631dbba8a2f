//! The three states of a JSON field that may be both absent and null.

/// A field that may be left out, be `null`, or hold a value.
///
/// Used where the spec says a field is both optional and nullable, because there the
/// difference matters: in an update, [`Absent`](Nullable::Absent) leaves the stored value
/// unchanged while [`Null`](Nullable::Null) clears it. Every other optional field is an
/// `Option`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Nullable<T> {
    /// Not in the JSON at all (in an update: leave unchanged).
    #[default]
    Absent,
    /// `null` (in an update: clear the value).
    Null,
    /// A value.
    Value(T),
}

impl<T> Nullable<T> {
    /// True when the field is left out.
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// True when the field is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// The value, if there is one.
    pub fn value(&self) -> Option<&T> {
        match self {
            Nullable::Value(v) => Some(v),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// The value, if there is one; absent and null both become `None`.
    pub fn into_option(self) -> Option<T> {
        match self {
            Nullable::Value(v) => Some(v),
            Nullable::Absent | Nullable::Null => None,
        }
    }
}

impl<T> From<Option<T>> for Nullable<T> {
    /// `Some` is a value, `None` is `null`.
    fn from(value: Option<T>) -> Self {
        value.map_or(Nullable::Null, Nullable::Value)
    }
}

impl<T: serde::Serialize> serde::Serialize for Nullable<T> {
    /// `null` or the value; fields skip `Absent` with
    /// `#[serde(skip_serializing_if = "Nullable::is_absent")]`.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Value(v) => serializer.serialize_some(v),
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Nullable<T> {
    /// `null` or a value; a missing field is `Absent` through `#[serde(default)]`.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(Nullable::from)
    }
}

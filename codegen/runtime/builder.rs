//! What model builders are made of: the state of a required field not set yet, and the bound
//! `build()` puts on every required field.
//!
//! A model with two or more required fields has no positional `new(…)` (two strings in a row
//! are easy to swap): its `builder()` takes each by name, in any order, and its `build()`
//! exists only once every one is set. The builder's type parameters are named after the
//! fields, so a type like `CustomerCreateBuilder<String, Missing>` says which is left.

/// A required field a model builder has not been given yet.
///
/// Each type parameter of a builder starts as `Missing` and becomes the field's type when its
/// setter is called; `build()` needs none of them left `Missing`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Missing;

/// A builder's field state that holds a value of type `T`: `T` itself (and never
/// [`Missing`]). `build()` requires it of each required field, so forgetting one is a compile
/// error naming that field's type parameter.
#[diagnostic::on_unimplemented(
    message = "a required field of this builder is not set",
    label = "called before every required field is set",
    note = "call the setter named after the `Missing` type parameter before `build()`"
)]
pub trait IsSet<T> {
    /// The value.
    fn into_value(self) -> T;
}

impl<T> IsSet<T> for T {
    fn into_value(self) -> T {
        self
    }
}

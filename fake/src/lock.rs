//! Locking the fake's shared state.

use std::sync::{Mutex, MutexGuard};

/// Locks a mutex, taking its data even when a panicking holder poisoned it (every holder leaves
/// the data consistent between statements).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

//! Writing generated files: only files whose bytes changed are touched, files the spec no
//! longer produces are removed, and `check` reports drift without writing.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// One generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the output directory, with `/` separators.
    pub path: String,
    /// Full contents.
    pub contents: String,
}

/// What [`write()`] changed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// Files created or rewritten.
    pub written: Vec<String>,
    /// Stale generated files removed.
    pub removed: Vec<String>,
}

/// How a file in the output directory differs from what the spec gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drift {
    /// The spec gives it, the directory lacks it.
    Missing(String),
    /// Both have it, with different bytes.
    Differs(String),
    /// The directory has a generated file the spec no longer gives.
    Extra(String),
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Drift::Missing(p) => write!(f, "{p}: missing"),
            Drift::Differs(p) => write!(f, "{p}: differs from the spec"),
            Drift::Extra(p) => write!(f, "{p}: no longer generated"),
        }
    }
}

/// Writes `files` under `dir`, touching only files whose contents differ, and removes generated
/// files that are no longer produced. A build that changes nothing writes nothing.
pub fn write(dir: &Path, files: &[OutputFile]) -> io::Result<WriteReport> {
    let mut report = WriteReport::default();
    for file in files {
        let path = dir.join(&file.path);
        if fs::read(&path).ok().as_deref() == Some(file.contents.as_bytes()) {
            continue;
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, &file.contents)?;
        report.written.push(file.path.clone());
    }
    for stale in stale_files(dir, files)? {
        fs::remove_file(dir.join(&stale))?;
        report.removed.push(stale);
    }
    remove_empty_dirs(dir)?;
    Ok(report)
}

/// Compares `dir` with `files` without writing anything.
pub fn check(dir: &Path, files: &[OutputFile]) -> io::Result<Vec<Drift>> {
    let mut drift = Vec::new();
    for file in files {
        match fs::read(dir.join(&file.path)) {
            Ok(bytes) if bytes == file.contents.as_bytes() => {}
            Ok(_) => drift.push(Drift::Differs(file.path.clone())),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                drift.push(Drift::Missing(file.path.clone()))
            }
            Err(e) => return Err(e),
        }
    }
    drift.extend(stale_files(dir, files)?.into_iter().map(Drift::Extra));
    Ok(drift)
}

/// Generated files (they start with the `@generated` header) under `dir` not in `files`.
fn stale_files(dir: &Path, files: &[OutputFile]) -> io::Result<Vec<String>> {
    let wanted: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let mut found = Vec::new();
    walk(dir, dir, &mut found)?;
    found.sort();
    Ok(found
        .into_iter()
        .filter(|rel| !wanted.contains(rel.as_str()))
        .filter(|rel| {
            fs::read_to_string(dir.join(rel)).is_ok_and(|t| t.starts_with("// @generated"))
        })
        .collect())
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) -> io::Result<()> {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let path = entry?.path();
        if path.is_dir() {
            walk(root, &path, out)?;
        } else if let Ok(rel) = path.strip_prefix(root) {
            out.push(slash_path(rel));
        }
    }
    Ok(())
}

fn remove_empty_dirs(dir: &Path) -> io::Result<()> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Ok(());
    };
    let subdirs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    for sub in subdirs {
        remove_empty_dirs(&sub)?;
        if fs::read_dir(&sub)?.next().is_none() {
            fs::remove_dir(&sub)?;
        }
    }
    Ok(())
}

fn slash_path(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

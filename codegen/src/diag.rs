//! Diagnostics: what is wrong with a spec, and where.
//!
//! Every stage collects problems instead of stopping at the first, so a user fixing a spec sees
//! all of them at once, each as `file:line:col: message` with an optional hint.

use std::fmt;

/// A position in a spec file (1-based line and column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Loc {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub col: u32,
}

/// One problem found in a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The spec file, as shown to the user (for example `spec/partner.yaml`).
    pub file: String,
    /// Where in the file.
    pub loc: Loc,
    /// What is wrong.
    pub message: String,
    /// How to fix it, where the generator can tell.
    pub hint: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.loc.line, self.loc.col, self.message
        )?;
        if let Some(hint) = &self.hint {
            write!(f, "\n    hint: {hint}")?;
        }
        Ok(())
    }
}

/// Every problem found in a spec, sorted by file and position.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// True when nothing was reported.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Sorted by file then position, so output is stable whatever order the checks ran in.
    pub fn sorted(mut self) -> Self {
        self.0
            .sort_by(|a, b| (&a.file, a.loc).cmp(&(&b.file, b.loc)));
        self.0.dedup();
        self
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        let n = self.0.len();
        write!(f, "{n} problem{} found", if n == 1 { "" } else { "s" })
    }
}

impl std::error::Error for Diagnostics {}

/// Collects diagnostics for one spec file.
#[derive(Debug)]
pub struct Reporter {
    file: String,
    found: Vec<Diagnostic>,
}

impl Reporter {
    /// A reporter for the file shown to users as `file`.
    pub fn new(file: impl Into<String>) -> Self {
        Reporter {
            file: file.into(),
            found: Vec::new(),
        }
    }

    /// Reports a problem.
    pub fn error(&mut self, loc: Loc, message: impl Into<String>) {
        self.push(loc, message.into(), None);
    }

    /// Reports a problem with a hint on how to fix it.
    pub fn error_hint(&mut self, loc: Loc, message: impl Into<String>, hint: impl Into<String>) {
        self.push(loc, message.into(), Some(hint.into()));
    }

    fn push(&mut self, loc: Loc, message: String, hint: Option<String>) {
        self.found.push(Diagnostic {
            file: self.file.clone(),
            loc,
            message,
            hint,
        });
    }

    /// True when at least one problem was reported.
    pub fn has_errors(&self) -> bool {
        !self.found.is_empty()
    }

    /// The problems found so far.
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.found
    }
}

/// The closest candidate to `word`, if one is close enough to be a likely typo.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::damerau_levenshtein(&lower, &c.to_ascii_lowercase()),
                c,
            )
        })
        .filter(|(d, c)| *d <= (c.len().max(word.len()) / 3).max(1))
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let known = ["nullable", "required", "doc", "type"];
        assert_eq!(suggest("nulable", known), Some("nullable"));
        assert_eq!(suggest("Rewrd", ["Reward", "Payout"]), Some("Reward"));
        assert_eq!(suggest("zzzzzz", known), None);
    }
}

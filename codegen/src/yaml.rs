//! The only place that knows which YAML library is used.
//!
//! [`parse`] turns text into a small tree of [`Node`]s, each with its source position. Keeping
//! mappings as ordered lists of pairs (not hash maps) preserves spec order and lets the loader
//! report duplicate keys, which a map-based YAML value would silently drop. To swap the YAML
//! library, rewrite this file; nothing else imports it.

use crate::diag::{Diagnostic, Loc};
use saphyr_parser::{Event, Parser, ScalarStyle, Span};

/// A YAML node with the position where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Where the node starts.
    pub loc: Loc,
    /// What it holds.
    pub kind: NodeKind,
}

/// The three shapes of YAML data the spec uses.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// A scalar.
    Scalar {
        /// Its text.
        value: String,
        /// False when it was quoted or a block scalar (so `"true"` stays text).
        plain: bool,
    },
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in source order, duplicates kept.
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// The scalar's text, if this is a scalar.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    /// True for `~`, `null` or an empty plain scalar.
    pub fn is_null(&self) -> bool {
        matches!(&self.kind, NodeKind::Scalar { value, plain: true } if matches!(value.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    /// A short name of the node's shape, for error messages.
    pub fn shape(&self) -> &'static str {
        match self.kind {
            NodeKind::Scalar { .. } if self.is_null() => "nothing",
            NodeKind::Scalar { .. } => "a scalar",
            NodeKind::Seq(_) => "a list",
            NodeKind::Map(_) => "a mapping",
        }
    }
}

/// Parses one YAML document. An empty file is an empty mapping.
///
/// Anchors, aliases and tags are rejected: the spec is meant to be read top to bottom by a
/// person, and aliases would let a small file expand without bound.
pub fn parse(file: &str, text: &str) -> Result<Node, Diagnostic> {
    let mut builder = Builder {
        file,
        stack: Vec::new(),
        root: None,
    };
    let mut parser = Parser::new_from_str(text);
    let mut documents = 0;
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| {
            let m = e.marker();
            builder.error(
                within(text, loc_of(m.line(), m.col())),
                format!("YAML syntax error: {}", e.info()),
            )
        })?;
        if let Event::DocumentStart(_) = event {
            documents += 1;
            if documents > 1 {
                return Err(builder.error(
                    loc(span),
                    "a spec file holds one YAML document; found a second `---`",
                ));
            }
        }
        builder.event(event, span)?;
    }
    Ok(builder.root.unwrap_or(Node {
        loc: Loc { line: 1, col: 1 },
        kind: NodeKind::Map(Vec::new()),
    }))
}

fn loc_of(line: usize, col0: usize) -> Loc {
    Loc {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        col: u32::try_from(col0.saturating_add(1)).unwrap_or(u32::MAX),
    }
}

/// The position, moved back to the end of the text when the scanner points past it (it does
/// for errors at the end of input), so an editor can jump there.
fn within(text: &str, at: Loc) -> Loc {
    let normalized = text.replace("\r\n", "\n").replace('\r', "\n");
    let last_line = normalized.split('\n').count();
    if (at.line as usize) <= last_line {
        return at;
    }
    let last_len = normalized
        .rsplit('\n')
        .next()
        .map_or(0, |l| l.chars().count());
    Loc {
        line: u32::try_from(last_line).unwrap_or(u32::MAX),
        col: u32::try_from(last_len + 1).unwrap_or(u32::MAX),
    }
}

fn loc(span: Span) -> Loc {
    loc_of(span.start.line(), span.start.col())
}

enum Open {
    Seq(Loc, Vec<Node>),
    Map(Loc, Vec<(Node, Node)>, Option<Node>),
}

struct Builder<'f> {
    file: &'f str,
    stack: Vec<Open>,
    root: Option<Node>,
}

impl Builder<'_> {
    fn error(&self, loc: Loc, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: self.file.to_string(),
            loc,
            message: message.into(),
            hint: None,
        }
    }

    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), Diagnostic> {
        let at = loc(span);
        match event {
            Event::Scalar(value, style, anchor, tag) => {
                self.no_anchor_or_tag(at, anchor, tag.is_some())?;
                let node = Node {
                    loc: at,
                    kind: NodeKind::Scalar {
                        value: value.into_owned(),
                        plain: style == ScalarStyle::Plain,
                    },
                };
                self.add(node);
            }
            Event::SequenceStart(anchor, tag) => {
                self.no_anchor_or_tag(at, anchor, tag.is_some())?;
                self.stack.push(Open::Seq(at, Vec::new()));
            }
            Event::MappingStart(anchor, tag) => {
                self.no_anchor_or_tag(at, anchor, tag.is_some())?;
                self.stack.push(Open::Map(at, Vec::new(), None));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let node = match self.stack.pop() {
                    Some(Open::Seq(loc, items)) => Node {
                        loc,
                        kind: NodeKind::Seq(items),
                    },
                    Some(Open::Map(loc, pairs, _)) => Node {
                        loc,
                        kind: NodeKind::Map(pairs),
                    },
                    None => return Err(self.error(at, "unbalanced YAML structure")),
                };
                self.add(node);
            }
            Event::Alias(_) => {
                return Err(self.error(at, "YAML aliases (`*name`) are not supported in a spec"));
            }
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd => {}
        }
        Ok(())
    }

    fn no_anchor_or_tag(&self, at: Loc, anchor: usize, tagged: bool) -> Result<(), Diagnostic> {
        if anchor != 0 {
            return Err(self.error(at, "YAML anchors (`&name`) are not supported in a spec"));
        }
        if tagged {
            return Err(self.error(at, "YAML tags (`!tag`) are not supported in a spec"));
        }
        Ok(())
    }

    fn add(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Open::Seq(_, items)) => items.push(node),
            Some(Open::Map(_, pairs, pending)) => match pending.take() {
                None => *pending = Some(node),
                Some(key) => pairs.push((key, node)),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_duplicates_and_positions() {
        let node = parse("t.yaml", "a: 1\nb:\n  - x\na: \"true\"\n").unwrap();
        let NodeKind::Map(pairs) = node.kind else {
            panic!("not a map")
        };
        let keys: Vec<_> = pairs.iter().map(|(k, _)| k.as_str().unwrap()).collect();
        assert_eq!(keys, ["a", "b", "a"]);
        assert_eq!(pairs[1].1.loc, Loc { line: 3, col: 3 });
        assert!(matches!(
            &pairs[2].1.kind,
            NodeKind::Scalar { plain: false, .. }
        ));
    }

    #[test]
    fn reports_syntax_errors_with_position() {
        let err = parse("t.yaml", "a: [1, 2\nb: 3\n").unwrap_err();
        assert_eq!(err.file, "t.yaml");
        assert!(err.message.starts_with("YAML syntax error"), "{err}");
        assert!(err.loc.line >= 1);
    }

    #[test]
    fn error_at_end_of_input_points_inside_the_file() {
        let err = parse("t.yaml", "api:\n  auth: bearer\n  en").unwrap_err();
        assert_eq!(err.loc, Loc { line: 3, col: 5 }, "{err}");
    }

    #[test]
    fn rejects_aliases() {
        let err = parse("t.yaml", "a: &x 1\nb: *x\n").unwrap_err();
        assert!(err.message.contains("anchors"), "{err}");
    }
}

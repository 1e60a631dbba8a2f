//! The only place that knows which YAML library is used.
//!
//! [`parse`] turns text into a small tree of [`Node`]s, each with its source position. Keeping
//! mappings as ordered lists of pairs (not hash maps) preserves spec order and lets the loader
//! report duplicate keys, which a map-based YAML value would silently drop. To swap the YAML
//! library, rewrite this file; nothing else imports it.

use crate::diag::{Diagnostic, Loc};
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span};

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
        last_scalar: None,
    };
    let mut parser = Parser::new_from_str(text);
    let mut documents = 0;
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| builder.syntax_error(text, &e))?;
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
    /// Where the last scalar read starts, for [`locate`].
    last_scalar: Option<Loc>,
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

    /// The diagnostic for the syntax error `e`, placed where the fault is (see [`locate`]).
    fn syntax_error(&self, text: &str, e: &ScanError) -> Diagnostic {
        let m = e.marker();
        let open: Vec<Loc> = self
            .stack
            .iter()
            .map(|o| match o {
                Open::Seq(at, _) | Open::Map(at, ..) => *at,
            })
            .collect();
        let fault = locate(
            &Lines::new(text),
            loc_of(m.line(), m.col()),
            e.info(),
            &open,
            self.last_scalar,
        );
        Diagnostic {
            file: self.file.to_string(),
            loc: fault.loc,
            message: fault.message,
            hint: fault.hint,
        }
    }

    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), Diagnostic> {
        let at = loc(span);
        match event {
            Event::Scalar(value, style, anchor, tag) => {
                self.no_anchor_or_tag(at, anchor, tag.is_some())?;
                self.last_scalar = Some(at);
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

/// A syntax error as shown: where, what, and how to fix it.
struct Fault {
    loc: Loc,
    message: String,
    hint: Option<String>,
}

/// Where the syntax error the parser reported at `at` with `info` really is. `open` holds where
/// each collection still open starts (outermost first), `last_scalar` where the last scalar
/// read starts.
///
/// saphyr-parser reports an error at the token where it noticed it. For most errors that is the
/// fault (`key: value: x`, a bad indentation, a stray bracket, the opening quote of an unclosed
/// string), and the position is kept. These it is not, and they are moved:
///
/// - Something missing at the end of a line: the `:` of a key, or the `]`/`}` of a `[`/`{`.
///   The parser only notices at the next token, after skipping line breaks, blank lines and
///   comments, so it points at the start of a later line (the next one, or further). The fault
///   is the last line with content before it.
/// - A tab in a line's indentation: reported after the tabs, or a line early at the start of
///   the scalar that line would continue. The fault is the tab.
/// - A list item among a mapping's keys: reported after the `- `. The fault is the `-`.
/// - The end of input: reported one past the last line; moved to the end of the text.
///
/// The rules go by the parser's messages (saphyr-parser 0.3); the tests below pin each case, so
/// an upgrade that rewords or moves one fails there.
fn locate(lines: &Lines, at: Loc, info: &str, open: &[Loc], last_scalar: Option<Loc>) -> Fault {
    unclosed_flow(lines, at, open)
        .or_else(|| missing_colon(lines, at, info, last_scalar))
        .unwrap_or_else(|| as_reported(lines, at, info))
}

/// A key without its `:`. The parser notices when the line ended without one (`simple key
/// expect ':'`, at the next token), or at a `:` on the next line when it read that line as the
/// key's continuation (`mapping values are not allowed`).
fn missing_colon(lines: &Lines, at: Loc, info: &str, last_scalar: Option<Loc>) -> Option<Fault> {
    let loc = if info.starts_with("simple key expect") && lines.first_token(at) {
        lines.content_before(at.line).map(|line| Loc {
            line,
            col: column(content_start(lines.get(line))),
        })
    } else if info.starts_with("mapping values are not allowed") {
        last_scalar.filter(|&key| continued_key(lines, key, at))
    } else {
        None
    }?;
    Some(Fault {
        loc,
        message: "YAML syntax error: this line has no `:`, but a `key: value` is expected here"
            .into(),
        hint: Some(
            "add the `:` after the key; a line continuing the text above must be indented further"
                .into(),
        ),
    })
}

/// The parser's own message, at its position unless a tab or a `-` it is about is nearby, with
/// a hint where one helps.
fn as_reported(lines: &Lines, at: Loc, info: &str) -> Fault {
    let (loc, hint) = if info.contains("tab") {
        (
            lines.tab_near(at).unwrap_or(at),
            Some("indent with spaces: YAML does not allow tabs in indentation"),
        )
    } else if info.contains("did not find expected key")
        && let Some(dash) = lines.dash_before(at)
    {
        (
            dash,
            Some("a list item (`- `) cannot stand among the keys of a mapping"),
        )
    } else if info.contains("quoted scalar")
        && (info.contains("end of stream") || info.contains("invalid indentation"))
    {
        (
            at,
            Some(
                "is the closing quote missing? Quoted text continued on later lines must be \
                 indented further than its key",
            ),
        )
    } else {
        (at, None)
    };
    Fault {
        loc: lines.within(loc),
        message: format!("YAML syntax error: {info}"),
        hint: hint.map(str::to_string),
    }
}

/// A `[` or `{` left open: the parser fails once the block structure resumes, on a later line
/// indented no deeper than the one that opened it, or at the end of input. The fault is the end
/// of the last content before that, where the bracket should have closed.
fn unclosed_flow(lines: &Lines, at: Loc, open: &[Loc]) -> Option<Fault> {
    let (opener, bracket) = open.iter().rev().find_map(|&start| {
        lines
            .char_at(start)
            .filter(|c| matches!(c, '[' | '{'))
            .map(|c| (start, c))
    })?;
    let resumed =
        at.line > opener.line && indent(lines.get(at.line)) <= indent(lines.get(opener.line));
    if !resumed {
        return None;
    }
    let line = lines
        .content_before(at.line)
        .filter(|&line| line >= opener.line)?;
    let end = content_end(lines.get(line))?;
    let (close, what) = if bracket == '[' {
        (']', "list")
    } else {
        ('}', "mapping")
    };
    Some(Fault {
        loc: Loc {
            line,
            col: column(end),
        },
        message: format!(
            "YAML syntax error: the `{bracket}` at {}:{} is not closed",
            opener.line, opener.col
        ),
        hint: Some(format!(
            "close the {what} with `{close}`; lines continuing it must be indented further than \
             the line opening it"
        )),
    })
}

/// Whether the scalar starting at `key` was a key missing its `:` that the parser read on into
/// the next line (`Foo` above `Bar: 1` reads as the key `Foo Bar`): it starts its line's
/// content on an earlier line than the `:` at `at`, and that line is indented as much.
fn continued_key(lines: &Lines, key: Loc, at: Loc) -> bool {
    let colon_line = lines.get(at.line);
    let start = content_start(lines.get(key.line));
    let before_colon: String = colon_line
        .chars()
        .take(
            usize::try_from(at.col)
                .unwrap_or(usize::MAX)
                .saturating_sub(1),
        )
        .collect();
    key.line < at.line
        && column(start) == key.col
        && indent(colon_line) == start
        && !before_colon.contains(": ")
}

/// A 0-based character index as a 1-based column.
fn column(index: usize) -> u32 {
    u32::try_from(index.saturating_add(1)).unwrap_or(u32::MAX)
}

/// The 0-based character index of a 1-based column.
fn index(col: u32) -> usize {
    usize::try_from(col).unwrap_or(usize::MAX).saturating_sub(1)
}

fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// How many blanks a line starts with.
fn indent(line: &str) -> usize {
    line.chars().take_while(|&c| is_blank(c)).count()
}

/// Where a line's content starts (a 0-based character index): after its indentation and any
/// list item markers (`- `).
fn content_start(line: &str) -> usize {
    let chars: Vec<char> = line.chars().collect();
    let blank_at = |i: usize| chars.get(i).is_some_and(|&c| is_blank(c));
    let mut i = indent(line);
    while chars.get(i) == Some(&'-') && blank_at(i + 1) {
        i += 1;
        while blank_at(i) {
            i += 1;
        }
    }
    i
}

/// Just past the last character of a line's content (a 0-based character index), a comment
/// left out; `None` for a line of blanks and comments. A `#` inside quotes is content.
fn content_end(line: &str) -> Option<usize> {
    let mut end = None;
    let mut quote = None;
    let mut prev: Option<char> = None;
    let mut chars = line.chars().enumerate().peekable();
    while let Some((i, c)) = chars.next() {
        match quote {
            Some('"') if c == '\\' => {
                if let Some((escaped, _)) = chars.next() {
                    end = Some(escaped + 1);
                    continue;
                }
            }
            Some('"') if c == '"' => quote = None,
            Some('\'') if c == '\'' => {
                if chars.peek().is_some_and(|&(_, next)| next == '\'') {
                    chars.next();
                } else {
                    quote = None;
                }
            }
            Some(_) => {}
            None => {
                let token_start = prev.is_none_or(|p| is_blank(p) || "[{,".contains(p));
                if c == '#' && prev.is_none_or(is_blank) {
                    break;
                }
                if matches!(c, '"' | '\'') && token_start {
                    quote = Some(c);
                }
            }
        }
        if !is_blank(c) {
            end = Some(i + 1);
        }
        prev = Some(c);
    }
    end
}

/// The text's lines, split where the parser counts a line break (`\n`, `\r\n` or `\r`).
struct Lines<'t>(Vec<&'t str>);

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Self {
        let mut lines = Vec::new();
        let mut rest = text;
        while let Some(at) = rest.find(['\n', '\r']) {
            lines.push(&rest[..at]);
            let width = if rest[at..].starts_with("\r\n") { 2 } else { 1 };
            rest = &rest[at + width..];
        }
        lines.push(rest);
        Lines(lines)
    }

    /// How many lines there are (a text ending in a line break has an empty last line).
    fn count(&self) -> u32 {
        u32::try_from(self.0.len()).unwrap_or(u32::MAX)
    }

    /// Line `n` (1-based); empty outside the text.
    fn get(&self, n: u32) -> &'t str {
        let i = usize::try_from(n).unwrap_or(usize::MAX).wrapping_sub(1);
        self.0.get(i).copied().unwrap_or("")
    }

    fn char_at(&self, at: Loc) -> Option<char> {
        self.get(at.line).chars().nth(index(at.col))
    }

    /// Whether only blanks come before `at` on its line.
    fn first_token(&self, at: Loc) -> bool {
        self.get(at.line).chars().take(index(at.col)).all(is_blank)
    }

    /// The last line before `line` holding more than blanks and a comment.
    fn content_before(&self, line: u32) -> Option<u32> {
        (1..line.min(self.count().saturating_add(1)))
            .rev()
            .find(|&n| content_end(self.get(n)).is_some())
    }

    /// The tab an error about tabs at `at` is about: at `at`, in the indentation before it, or
    /// in the indentation of the next line with content (the parser points at the start of the
    /// scalar that line would continue).
    fn tab_near(&self, at: Loc) -> Option<Loc> {
        let tab_in = |line: u32, upto: usize| {
            self.get(line)
                .chars()
                .take(upto)
                .take_while(|&c| is_blank(c))
                .position(|c| c == '\t')
                .map(|i| Loc {
                    line,
                    col: column(i),
                })
        };
        if self.char_at(at) == Some('\t') {
            return Some(at);
        }
        if let Some(tab) = tab_in(at.line, index(at.col)) {
            return Some(tab);
        }
        let next = (at.line.saturating_add(1)..=self.count())
            .find(|&n| content_end(self.get(n)).is_some())?;
        tab_in(next, usize::MAX)
    }

    /// The `-` of a list item marker when only it and blanks come before `at` on its line.
    fn dash_before(&self, at: Loc) -> Option<Loc> {
        let before: Vec<char> = self.get(at.line).chars().take(index(at.col)).collect();
        let dash = before.iter().position(|&c| !is_blank(c))?;
        let rest_blank = before
            .get(dash + 1..)
            .is_some_and(|r| r.iter().all(|&c| is_blank(c)));
        (before.get(dash) == Some(&'-') && rest_blank && dash + 1 < before.len()).then_some(Loc {
            line: at.line,
            col: column(dash),
        })
    }

    /// `at`, moved back to the end of the text when it is past it (the parser points one line
    /// past the last for errors at the end of input), so an editor can jump there.
    fn within(&self, at: Loc) -> Loc {
        if at.line <= self.count() {
            return at;
        }
        Loc {
            line: self.count(),
            col: column(self.get(self.count()).chars().count()),
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

    /// The position and message of the syntax error in `text`.
    fn syntax_error(text: &str) -> (u32, u32, String) {
        let err = parse("t.yaml", text).unwrap_err();
        assert_eq!(err.file, "t.yaml");
        assert!(err.message.starts_with("YAML syntax error"), "{err}");
        (err.loc.line, err.loc.col, err.to_string())
    }

    #[track_caller]
    fn assert_at(text: &str, line: u32, col: u32, says: &str) {
        let (l, c, shown) = syntax_error(text);
        assert_eq!((l, c), (line, col), "{text:?}: {shown}");
        assert!(shown.contains(says), "{text:?}: {shown}");
    }

    #[test]
    fn errors_the_parser_notices_at_the_fault_keep_their_position() {
        // A key indented less than its siblings.
        assert_at(
            "a:\n  b: 1\n c: 2\nd: 3\n",
            3,
            2,
            "did not find expected key",
        );
        // A key indented more than its siblings: the line that is wrong is the deeper one.
        assert_at(
            "a:\n  b: 1\n    c: 2\n",
            3,
            6,
            "mapping values are not allowed",
        );
        assert_at("a: value: x\n", 1, 9, "mapping values are not allowed");
        assert_at("top:\n  a: value: x\n  b: 1\n", 2, 11, "not allowed");
        assert_at("a: [1]]\n", 1, 7, "misplaced bracket");
        // `-` inside a flow list: the fault is on the later line, and it stays there.
        assert_at("a: [\n  - 1]\n", 2, 3, "only valid inside a block");
    }

    #[test]
    fn an_unclosed_quote_points_at_its_opening_quote_with_a_hint() {
        assert_at(
            "a:\n  b: \"abc\n  c: 1\nd: 2\n",
            2,
            6,
            "hint: is the closing quote missing?",
        );
        assert_at("a: 'abc\nb: 1\n", 1, 4, "closing quote");
        assert_at("a: \"abc\n", 1, 4, "closing quote");
    }

    #[test]
    fn an_unclosed_bracket_points_where_it_should_close() {
        // The parser notices at `b` on the next line (2:2).
        assert_at(
            "a: [1, 2\nb: 3\n",
            1,
            9,
            "the `[` at 1:4 is not closed\n    hint: close the list with `]`",
        );
        // Blank lines and comments between: the parser notices lines later (4:1); a trailing
        // comment is not content.
        assert_at("a: [1, 2  # two\n\n# c\nb: 3\n", 1, 9, "`[` at 1:4");
        assert_at("a: [\"x # y\"\nb: 1\n", 1, 12, "`[` at 1:4");
        // At the end of input the parser points past the text (2:1).
        assert_at("a: [1, 2\n", 1, 9, "`[` at 1:4");
        assert_at("a: [1", 1, 6, "`[` at 1:4");
        // Nested, multi-line, and an implicit `k: v` pair inside the list.
        assert_at("x:\n  a: [1, 2\n  b: 3\n", 2, 11, "`[` at 2:6");
        assert_at("a: [1,\n    2\nb: 4\n", 2, 6, "`[` at 1:4");
        assert_at("a: [b: 1\nc: 2\n", 1, 9, "`[` at 1:4");
        // The broken fixture: the inner mapping closes, the outer one does not.
        let fixture = "types:\n  Thing:\n    doc: A thing.\n    \
                       fields: {key: {type: string, doc: Key.}\nresources: {}\n";
        assert_at(
            fixture,
            4,
            44,
            "the `{` at 4:13 is not closed\n    hint: close the mapping with `}`",
        );
        // Closed, but on a line not indented into it: the same fault for the parser.
        assert_at("a: [1,\n2]\n", 1, 7, "must be indented further");
        // Every line break the parser counts.
        assert_at("a: [1, 2\r\nb: 3\r\n", 1, 9, "`[` at 1:4");
        assert_at("a: [1, 2\rb: 3\r", 1, 9, "`[` at 1:4");
    }

    #[test]
    fn a_key_without_colon_is_reported_on_its_own_line() {
        // The parser notices at `doc` (4:3).
        assert_at(
            "api:\n  name: fixture\n  title Fixture API\n  doc: x\n",
            3,
            3,
            "this line has no `:`",
        );
        // At the end of input (4:1), and past blank and comment lines (4:1).
        assert_at(
            "api:\n  name: fixture\n  title Fixture API\n",
            3,
            3,
            "no `:`",
        );
        assert_at("a: 1\nb\n\n# c\n\nc: 2\n", 2, 1, "no `:`");
        assert_at("- a: 1\n  b\n  c: 2\n", 2, 3, "no `:`");
        assert_at("a: 1\nb :2\n", 2, 1, "no `:`");
        // `Foo` and `Bar: 1` read as the key `Foo Bar` (the parser notices at 4:8).
        assert_at("api:\n  types:\n    Foo\n    Bar: 1\n", 3, 5, "no `:`");
        assert_at("a\nb: 1\n", 1, 1, "no `:`");
    }

    #[test]
    fn a_tab_in_the_indentation_is_pointed_at() {
        let hint = "hint: indent with spaces";
        // After the tab (2:2).
        assert_at("a:\n\tb: 1\n", 2, 1, hint);
        // A line early, at the start of the scalar the tabbed line would continue (2:6, 2:5).
        assert_at("a:\n  b: 1\n\tc: 2\n", 3, 1, hint);
        assert_at("a:\n  b: 1\n  \tc: 2\n", 3, 3, hint);
        assert_at("a:\n  - 1\n\n\t- 2\n", 4, 1, hint);
        // At the block scalar's `|` (1:4).
        assert_at("a: |\n\tx\n", 2, 1, hint);
    }

    #[test]
    fn a_list_item_among_keys_points_at_its_dash() {
        // The parser points after the `- ` (2:3, 3:5).
        assert_at("a: 1\n- b\n", 2, 1, "hint: a list item");
        assert_at("x:\n  a: 1\n  - b\n", 3, 3, "a list item");
    }

    #[test]
    fn error_at_end_of_input_points_inside_the_file() {
        // The parser points past the text (4:1); the fault is the key `en` without `:`.
        assert_at("api:\n  auth: bearer\n  en", 3, 3, "no `:`");
        let lines = Lines::new("a\nbc\n");
        assert_eq!(
            lines.within(Loc { line: 9, col: 1 }),
            Loc { line: 3, col: 1 }
        );
        assert_eq!(
            lines.within(Loc { line: 2, col: 3 }),
            Loc { line: 2, col: 3 }
        );
        let lines = Lines::new("a\nbc");
        assert_eq!(
            lines.within(Loc { line: 3, col: 1 }),
            Loc { line: 2, col: 3 }
        );
    }

    #[test]
    fn content_ends_before_comments_and_not_inside_quotes() {
        assert_eq!(content_end("  a: b  # c"), Some(6));
        assert_eq!(content_end("  # c"), None);
        assert_eq!(content_end("   "), None);
        assert_eq!(content_end("a: \"x # y\" # z"), Some(10));
        assert_eq!(content_end("a: 'it''s # x'"), Some(14));
        assert_eq!(content_end("a: it's # x"), Some(7));
        assert_eq!(content_end("a: b#c"), Some(6));
        assert_eq!(content_start("  - - a: 1"), 6);
    }

    #[test]
    fn rejects_aliases() {
        let err = parse("t.yaml", "a: &x 1\nb: *x\n").unwrap_err();
        assert!(err.message.contains("anchors"), "{err}");
    }
}

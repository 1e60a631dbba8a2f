//! The terminal: whether to use colour, how wide a table may be, and the messages on stderr
//! (`error:`, `warning:`, `note:`), which never fail the command and never panic, whatever
//! became of stderr.

use std::io::{IsTerminal, Write};

/// An output stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
}

impl Stream {
    fn is_terminal(self) -> bool {
        match self {
            Stream::Stdout => std::io::stdout().is_terminal(),
            Stream::Stderr => std::io::stderr().is_terminal(),
        }
    }
}

fn set(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// Whether to colour what goes to `stream`: never with `NO_COLOR` set (to anything but the
/// empty string), always with `CLICOLOR_FORCE` set (other than `0`), else only on a terminal
/// that is not `TERM=dumb`.
pub fn colour(stream: Stream) -> bool {
    if set("NO_COLOR").is_some() {
        return false;
    }
    if set("CLICOLOR_FORCE").is_some_and(|v| v != "0") {
        return true;
    }
    stream.is_terminal() && set("TERM").is_none_or(|t| t != "dumb")
}

/// Whether stdout is a terminal (the default format is then the table).
pub fn stdout_is_terminal() -> bool {
    Stream::Stdout.is_terminal()
}

/// How many columns a table may take: `COLUMNS` when it holds a positive number, else the
/// width of the terminal stdout is; `None` (no limit) when stdout is not a terminal.
pub fn width() -> Option<usize> {
    if let Some(columns) = set("COLUMNS").and_then(|c| c.trim().parse::<usize>().ok())
        && columns > 0
    {
        return Some(columns);
    }
    if !stdout_is_terminal() {
        return None;
    }
    console::Term::stdout()
        .size_checked()
        .map(|(_, cols)| usize::from(cols))
        .filter(|c| *c > 0)
}

/// A style of [`paint`].
#[derive(Debug, Clone, Copy)]
pub enum Style {
    /// `error:`.
    Error,
    /// `warning:`.
    Warning,
    /// `note:`.
    Note,
    /// Table headers.
    Header,
}

/// `text` in `style` when `on`.
pub fn paint(text: &str, style: Style, on: bool) -> String {
    if !on {
        return text.to_string();
    }
    let code = match style {
        Style::Error => "1;31",
        Style::Warning => "1;33",
        Style::Note => "1;36",
        Style::Header => "1",
    };
    format!("\u{1b}[{code}m{text}\u{1b}[0m")
}

/// `text` with what could drive a terminal escaped (`\u{1b}`): control characters other than
/// newlines, and the Unicode controls that reorder or hide text. A message may quote the
/// server.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            if (c.is_control() && c != '\n') || is_format_control(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The Unicode controls that reorder text (bidi) or break lines outside of `\n`.
pub fn is_format_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
            | '\u{2028}' | '\u{2029}'
    )
}

/// Writes `text` (already styled) to stderr with secrets hidden; a stderr that cannot be
/// written is ignored: the exit status still says what happened.
pub fn stderr(text: &str) {
    let text = crate::redact::global().apply_str(text);
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
    let _ = err.flush();
}

fn message(label: &str, style: Style, text: &str) {
    let label = paint(label, style, colour(Stream::Stderr));
    // Hidden first, so a secret cut by the escaping is still recognised.
    let text = crate::redact::global().apply_str(text);
    stderr(&format!("{label} {}\n", printable(&text)));
}

/// `error: …` on stderr.
pub fn error(text: &str) {
    message("error:", Style::Error, text);
}

/// `warning: …` on stderr.
pub fn warn(text: &str) {
    message("warning:", Style::Warning, text);
}

/// `note: …` on stderr.
pub fn note(text: &str) {
    message("note:", Style::Note, text);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_cannot_drive_the_terminal() {
        assert_eq!(
            printable("a\u{1b}]0;x\u{7}b\nc\r\u{202e}d\u{85}"),
            "a\\u{1b}]0;x\\u{7}b\nc\\u{d}\\u{202e}d\\u{85}"
        );
    }

    #[test]
    fn paint_only_when_on() {
        assert_eq!(paint("error:", Style::Error, false), "error:");
        assert_eq!(
            paint("error:", Style::Error, true),
            "\u{1b}[1;31merror:\u{1b}[0m"
        );
    }
}

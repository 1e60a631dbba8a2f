//! The table of `-f table`: a header, a rule and aligned rows that fit the terminal.
//!
//! Hand-rolled rather than a crate: it is small, and every cell is cleaned here (control, C1
//! and bidi characters replaced) so text from the server cannot drive the terminal or reorder
//! what is shown. Widths are display widths (`unicode-width`: wide East Asian characters take
//! two columns). When the rows are wider than the terminal, the widest column is cut first
//! (cells end in `…`), down to a few characters; columns that still do not fit are left out,
//! and the caller says so.

use unicode_width::UnicodeWidthChar;

/// The widest a cell is shown when there is no terminal width to fit (a pipe, a file).
const MAX_CELL: usize = 60;

/// The narrowest a column is cut to before columns are left out.
const MIN_CELL: usize = 4;

/// Between two columns.
const GAP: usize = 2;

/// `text` safe for a terminal: secrets hidden (before the layout, so columns stay aligned),
/// tabs and line breaks become spaces, other control characters (C0, DEL, C1) and the Unicode
/// controls that reorder or break text become `�`.
pub fn clean(text: &str) -> String {
    crate::redact::global()
        .apply_str(text)
        .chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => ' ',
            c if c.is_control() || crate::term::is_format_control(c) => '\u{FFFD}',
            c => c,
        })
        .collect()
}

fn width_of(text: &str) -> usize {
    text.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// `text` cut to `width` columns, ending in `…` when cut, padded with spaces.
fn fit(text: &str, width: usize) -> String {
    let full = width_of(text);
    let mut out = String::with_capacity(text.len() + width);
    if full <= width {
        out.push_str(text);
        out.extend(std::iter::repeat_n(' ', width - full));
        return out;
    }
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    if width > 0 {
        out.push('…');
        used += 1;
    }
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(used)));
    out
}

/// What [`render`] made.
#[derive(Debug, PartialEq)]
pub struct Rendered {
    /// The table's lines, each ending in `\n`.
    pub text: String,
    /// Columns left out because the terminal is too narrow (their headers).
    pub left_out: Vec<String>,
}

/// The widths of the columns shown: the natural widths, the widest cut first until the line
/// fits `limit`, then columns from the right left out.
fn widths(natural: &[usize], limit: Option<usize>) -> Vec<usize> {
    let mut widths: Vec<usize> = match limit {
        Some(_) => natural.to_vec(),
        None => natural.iter().map(|w| (*w).min(MAX_CELL)).collect(),
    };
    let Some(limit) = limit else {
        return widths;
    };
    let total = |w: &[usize]| w.iter().sum::<usize>() + GAP * w.len().saturating_sub(1);
    while total(&widths) > limit {
        // The widest column that can still give a character (the rightmost among equals).
        let widest = widths
            .iter()
            .enumerate()
            .filter(|(_, w)| **w > MIN_CELL)
            .max_by_key(|(i, w)| (**w, *i))
            .map(|(i, _)| i);
        match widest {
            Some(i) => {
                // Down to the next widest at once, or as far as the line needs.
                let next = widths
                    .iter()
                    .filter(|w| **w < widths[i])
                    .max()
                    .copied()
                    .unwrap_or(MIN_CELL)
                    .max(MIN_CELL);
                let excess = total(&widths) - limit;
                widths[i] -= (widths[i] - next).min(excess).max(1);
            }
            None if widths.len() > 1 => {
                widths.pop();
            }
            None => {
                // One column narrower than a few characters: cut to the limit.
                widths[0] = limit;
                break;
            }
        }
    }
    widths
}

/// The table of `header` and `rows` (cells not yet cleaned), at most `limit` columns wide, the
/// header styled when `colour`.
pub fn render(
    header: &[String],
    rows: &[Vec<String>],
    limit: Option<usize>,
    colour: bool,
) -> Rendered {
    let header: Vec<String> = header.iter().map(|h| clean(h)).collect();
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| clean(c)).collect())
        .collect();
    let mut natural: Vec<usize> = header.iter().map(|h| width_of(h)).collect();
    for row in &rows {
        for (w, c) in natural.iter_mut().zip(row) {
            *w = (*w).max(width_of(c));
        }
    }
    // However narrow the limit, the first column shows (one character and `…` at least).
    let widths = widths(&natural, limit.map(|l| l.max(1)));
    let left_out = header[widths.len()..].to_vec();
    let line = |row: &[String], style: bool| -> String {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(c, w)| fit(c, (*w).min(limit.unwrap_or(usize::MAX))))
            .collect();
        let text = cells.join(&" ".repeat(GAP));
        let text = text.trim_end();
        let text = if style {
            crate::term::paint(text, crate::term::Style::Header, true)
        } else {
            text.to_string()
        };
        format!("{text}\n")
    };
    let mut text = line(&header, colour);
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    text.push_str(&line(&rule, false));
    for row in &rows {
        text.push_str(&line(row, false));
    }
    Rendered { text, left_out }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn cells_cannot_drive_the_terminal() {
        let t = render(
            &s(&["name", "n"]),
            &[s(&["\u{1b}]0;pwned\u{7}\nline\u{202e}x\u{85}", "1"])],
            None,
            false,
        );
        assert!(
            !t.text
                .chars()
                .any(|c| (c.is_control() && c != '\n') || crate::term::is_format_control(c)),
            "{:?}",
            t.text
        );
        assert_eq!(t.text.lines().count(), 3);
    }

    #[test]
    fn the_widest_column_is_cut_first_and_no_line_is_wider_than_the_limit() {
        let header = s(&["key", "email", "description"]);
        let rows = vec![s(&[
            "rwrd_1",
            "someone@example.com",
            "a long description that goes on and on and on",
        ])];
        for limit in [1, 3, 8, 10, 20, 40, 60, 80, 200] {
            let t = render(&header, &rows, Some(limit), false);
            for line in t.text.lines() {
                assert!(width_of(line) <= limit, "{limit}: {line:?}");
            }
        }
        let t = render(&header, &rows, Some(40), false);
        let row = t.text.lines().nth(2).unwrap();
        assert!(
            row.starts_with("rwrd_1  someone@example.com  a long"),
            "{row}"
        );
        assert!(row.ends_with('…'), "{row}");
        let t = render(&header, &rows, Some(10), false);
        assert_eq!(t.left_out, s(&["description"]));
        let t = render(&header, &rows, Some(8), false);
        assert_eq!(t.left_out, s(&["email", "description"]));
        assert_eq!(t.text.lines().nth(2), Some("rwr…"));
        let t = render(&header, &rows, None, false);
        assert!(t.left_out.is_empty());
    }

    #[test]
    fn wide_characters_take_two_columns() {
        let t = render(&s(&["名前"]), &[s(&["日本語のテキスト"])], Some(7), false);
        for line in t.text.lines() {
            assert!(width_of(line) <= 7, "{line:?}");
        }
        assert!(t.text.contains('…'));
    }
}

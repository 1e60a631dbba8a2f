//! Printing answers: `json` (one document), `ndjson` (one item per line), `csv` and `table`.
//!
//! JSON and NDJSON stream: with `--all`, items are written as pages arrive and memory holds
//! one page. CSV and tables need every column before the first row, so they hold all items.
//! The table is hand-rolled (about forty lines) rather than a crate: it needs no terminal
//! handling, and it replaces control characters so text from the server cannot drive the
//! terminal.

use std::io::{IsTerminal, Write};

use futures_util::{Stream, StreamExt};
use partnerstack::Page;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::exit::{Failure, UNEXPECTED};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON document: the object, or an array of items.
    Json,
    /// One JSON document per line: each item.
    Ndjson,
    /// A header of the items' fields, then one row per item; nested values as JSON.
    Csv,
    /// Aligned columns for a terminal.
    Table,
}

impl Format {
    /// Every format's name, for `--format`.
    pub const NAMES: [&'static str; 4] = ["json", "ndjson", "csv", "table"];

    /// The format of a name from [`Format::NAMES`].
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "json" => Some(Format::Json),
            "ndjson" => Some(Format::Ndjson),
            "csv" => Some(Format::Csv),
            "table" => Some(Format::Table),
            _ => None,
        }
    }
}

/// Writes answers to stdout in one format.
pub struct Printer {
    format: Format,
    out: Box<dyn Write>,
    /// Items kept for CSV and tables.
    rows: Vec<Value>,
    /// Whether the JSON array of a walk has been opened, and whether an item was written.
    array: Option<bool>,
}

fn to_json<T: Serialize>(value: &T) -> Result<Value, Failure> {
    serde_json::to_value(value)
        .map_err(|e| Failure::new(UNEXPECTED, format!("cannot write the answer as JSON: {e}")))
}

impl Printer {
    /// A printer writing to stdout.
    pub fn stdout(format: Format) -> Self {
        Self::new(format, Box::new(std::io::BufWriter::new(std::io::stdout())))
    }

    /// A printer writing to `out`.
    pub fn new(format: Format, out: Box<dyn Write>) -> Self {
        Printer {
            format,
            out,
            rows: Vec::new(),
            array: None,
        }
    }

    /// Prints one answer.
    ///
    /// # Errors
    ///
    /// The call's error, or a failure to write.
    pub fn value<T: Serialize>(&mut self, answer: partnerstack::Result<T>) -> Result<(), Failure> {
        let value = answer?;
        match self.format {
            Format::Json => self.json_document(&value),
            _ => self.item(&value),
        }
    }

    /// Prints a list answer.
    ///
    /// # Errors
    ///
    /// The call's error, or a failure to write.
    pub fn list<T: Serialize>(
        &mut self,
        answer: partnerstack::Result<Vec<T>>,
    ) -> Result<(), Failure> {
        let items = answer?;
        if self.format == Format::Json {
            return self.json_document(&items);
        }
        for item in &items {
            self.item(item)?;
        }
        Ok(())
    }

    /// Prints one page's items; says on stderr when more follow.
    ///
    /// # Errors
    ///
    /// The call's error, or a failure to write.
    pub fn page<T: Serialize>(
        &mut self,
        answer: partnerstack::Result<Page<T>>,
    ) -> Result<(), Failure> {
        let page = answer?;
        if page.has_more {
            eprintln!(
                "note: more items follow; add --all, or --starting-after with the last item's key"
            );
        }
        self.list(Ok(page.items))
    }

    /// Prints every item of every page, as the pages arrive; a progress bar on stderr when it
    /// is a terminal.
    ///
    /// # Errors
    ///
    /// The first page that fails (items before it are already written), or a failure to
    /// write.
    pub async fn pages<T: Serialize>(
        &mut self,
        pages: impl Stream<Item = partnerstack::Result<Page<T>>>,
    ) -> Result<(), Failure> {
        let progress = std::io::stderr().is_terminal().then(|| {
            let bar = indicatif::ProgressBar::new_spinner();
            bar.set_message("items");
            bar
        });
        let walked = self.walk(pages, progress.as_ref()).await;
        if let Some(bar) = progress {
            bar.finish_and_clear();
        }
        walked
    }

    async fn walk<T: Serialize>(
        &mut self,
        pages: impl Stream<Item = partnerstack::Result<Page<T>>>,
        progress: Option<&indicatif::ProgressBar>,
    ) -> Result<(), Failure> {
        let mut pages = std::pin::pin!(pages);
        if self.format == Format::Json {
            self.array = Some(false);
            self.out.write_all(b"[").map_err(Failure::output)?;
        }
        while let Some(page) = pages.next().await {
            let page = page?;
            if let (Some(bar), Some(total)) = (progress, page.total)
                && bar.length().is_none()
            {
                bar.set_length(u64::try_from(total).unwrap_or(0));
                bar.set_style(indicatif::ProgressStyle::default_bar());
            }
            for item in &page.items {
                self.item(item)?;
            }
            if let Some(bar) = progress {
                bar.inc(page.items.len() as u64);
            }
        }
        if self.format == Format::Json {
            self.out.write_all(b"\n]\n").map_err(Failure::output)?;
            self.array = None;
        }
        Ok(())
    }

    /// Prints PartnerStack's confirmation message, as `{"message": …}`.
    ///
    /// # Errors
    ///
    /// The call's error, or a failure to write.
    pub fn message(&mut self, answer: partnerstack::Result<String>) -> Result<(), Failure> {
        let message = answer?;
        self.value(Ok(serde_json::json!({ "message": message })))
    }

    /// Prints nothing for an empty answer.
    ///
    /// # Errors
    ///
    /// The call's error.
    pub fn empty(&mut self, answer: partnerstack::Result<()>) -> Result<(), Failure> {
        answer.map_err(Failure::from)
    }

    /// Pretty JSON; fields in the order of the model (a `Value` would sort them).
    fn json_document<T: Serialize>(&mut self, value: &T) -> Result<(), Failure> {
        let text = serde_json::to_string_pretty(value)
            .map_err(|e| Failure::new(UNEXPECTED, format!("cannot write JSON: {e}")))?;
        writeln!(self.out, "{text}").map_err(Failure::output)
    }

    /// One item: streamed (JSON array, NDJSON) or kept for the end (CSV, table).
    fn item<T: Serialize>(&mut self, value: &T) -> Result<(), Failure> {
        match self.format {
            Format::Json => {
                let text = serde_json::to_string(value)
                    .map_err(|e| Failure::new(UNEXPECTED, format!("cannot write JSON: {e}")))?;
                let separator = match self.array {
                    Some(true) => ",\n",
                    Some(false) => "\n",
                    None => "",
                };
                self.array = self.array.map(|_| true);
                write!(self.out, "{separator}{text}").map_err(Failure::output)?;
                if self.array.is_none() {
                    writeln!(self.out).map_err(Failure::output)?;
                }
                Ok(())
            }
            Format::Ndjson => {
                let text = serde_json::to_string(value)
                    .map_err(|e| Failure::new(UNEXPECTED, format!("cannot write JSON: {e}")))?;
                writeln!(self.out, "{text}").map_err(Failure::output)
            }
            Format::Csv | Format::Table => {
                self.rows.push(to_json(value)?);
                Ok(())
            }
        }
    }

    /// Writes what was kept (CSV, table) and flushes.
    ///
    /// # Errors
    ///
    /// A failure to write.
    pub fn finish(&mut self) -> Result<(), Failure> {
        let rows = std::mem::take(&mut self.rows);
        let (header, cells) = tabulate(&rows);
        match self.format {
            Format::Csv if !rows.is_empty() => {
                let mut writer = csv::Writer::from_writer(&mut self.out);
                let csv_error = |e: csv::Error| match e.into_kind() {
                    csv::ErrorKind::Io(io) => Failure::output(io),
                    other => Failure::new(UNEXPECTED, format!("cannot write CSV: {other:?}")),
                };
                writer.write_record(&header).map_err(csv_error)?;
                for row in &cells {
                    writer.write_record(row).map_err(csv_error)?;
                }
                writer.flush().map_err(Failure::output)?;
            }
            Format::Table if !rows.is_empty() => {
                write_table(&mut self.out, &header, &cells).map_err(Failure::output)?;
            }
            _ => {}
        }
        self.out.flush().map_err(Failure::output)
    }
}

/// The columns (every field of any item: `key` first when there is one, then by name) and
/// each item's cells:
/// text as is, `null` and missing fields empty, anything else as JSON. Items that are not
/// objects are one column, `value`.
pub fn tabulate(rows: &[Value]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header: Vec<String> = Vec::new();
    let objects = rows.iter().all(Value::is_object);
    if objects {
        let names: std::collections::BTreeSet<&String> = rows
            .iter()
            .filter_map(Value::as_object)
            .flat_map(|row| row.keys())
            .collect();
        header.extend(
            names
                .iter()
                .filter(|n| n.as_str() == "key")
                .map(|n| n.to_string()),
        );
        header.extend(
            names
                .iter()
                .filter(|n| n.as_str() != "key")
                .map(|n| n.to_string()),
        );
    } else {
        header.push("value".into());
    }
    let empty = Map::new();
    let cells = rows
        .iter()
        .map(|row| {
            if objects {
                let row = row.as_object().unwrap_or(&empty);
                header.iter().map(|k| cell(row.get(k))).collect()
            } else {
                vec![cell(Some(row))]
            }
        })
        .collect();
    (header, cells)
}

fn cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// The widest a table cell is shown; longer text ends in `…`.
const MAX_CELL: usize = 48;

/// Text for a terminal cell: control characters (escape sequences, newlines) become spaces,
/// long text is cut.
fn shown(text: &str) -> String {
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if clean.chars().count() > MAX_CELL {
        let mut cut: String = clean.chars().take(MAX_CELL - 1).collect();
        cut.push('…');
        cut
    } else {
        clean
    }
}

fn write_table(
    out: &mut dyn Write,
    header: &[String],
    cells: &[Vec<String>],
) -> std::io::Result<()> {
    let header: Vec<String> = header.iter().map(|h| shown(h)).collect();
    let cells: Vec<Vec<String>> = cells
        .iter()
        .map(|row| row.iter().map(|c| shown(c)).collect())
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &cells {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |out: &mut dyn Write, row: &[String]| -> std::io::Result<()> {
        let mut text = String::new();
        for (i, (c, w)) in row.iter().zip(&widths).enumerate() {
            if i > 0 {
                text.push_str("  ");
            }
            text.push_str(c);
            text.extend(std::iter::repeat_n(' ', w - c.chars().count()));
        }
        writeln!(out, "{}", text.trim_end())
    };
    line(out, &header)?;
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    line(out, &rule)?;
    for row in &cells {
        line(out, row)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn columns_are_the_union_of_fields_and_nested_values_are_json() {
        let rows = [
            json!({"key": "a", "amount": 5, "meta": {"x": [1]}}),
            json!({"key": "b", "note": null, "extra": "e"}),
        ];
        let (header, cells) = tabulate(&rows);
        assert_eq!(header, ["key", "amount", "extra", "meta", "note"]);
        assert_eq!(cells[0], ["a", "5", "", r#"{"x":[1]}"#, ""]);
        assert_eq!(cells[1], ["b", "", "e", "", ""]);
    }

    #[test]
    fn table_cells_cannot_drive_the_terminal() {
        let mut out = Vec::new();
        let long = "x".repeat(100);
        write_table(
            &mut out,
            &["name".into(), "n".into()],
            &[vec!["\u{1b}]0;pwned\u{7}\nline".into(), long]],
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{text:?}"
        );
        assert_eq!(text.lines().count(), 3);
        assert!(text.contains('…'));
    }
}

//! Printing answers: `json` (one document), `ndjson` (one item per line), `csv` and `table`.
//!
//! JSON and NDJSON stream: with `--all`, each page's items are written as the page arrives and
//! memory holds about one page; each item is the server's own JSON text (its field order and
//! number spelling), made one line. CSV and tables need every column before the first row, so they
//! hold the items. Whatever the format, nothing printed can drive a terminal or a spreadsheet:
//! JSON escapes every C0 and C1 control character in strings (and the Unicode controls that reorder
//! text), CSV escapes control characters and neutralises formulas, tables replace them; and
//! every byte passes the [`crate::redact`] filter on its way out.

use std::io::Write;

use futures_util::{Stream, StreamExt};
use partnerstack::Page;
use serde::Serialize;
use serde_json::Value;

use crate::exit::{Failure, UNEXPECTED};
use crate::view::{Column, Model};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON document: the object, or an array of items.
    Json,
    /// One JSON document per line: each item.
    Ndjson,
    /// A header of the items' fields, then one row per item; nested values as JSON.
    Csv,
    /// Aligned columns for a person: the model's summary fields, fitted to the terminal.
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

/// How answers are printed.
#[derive(Debug, Clone)]
pub struct Options {
    /// The format.
    pub format: Format,
    /// `--columns`: field paths for `table` and `csv`.
    pub columns: Option<Vec<String>>,
    /// `--csv-formulas`: CSV cells that start like a formula are written unchanged.
    pub csv_formulas: bool,
    /// Colour for table headers.
    pub colour: bool,
    /// The widest a table line may be.
    pub width: Option<usize>,
}

/// Writes answers to stdout in one format.
pub struct Printer {
    options: Options,
    out: Box<dyn Write + Send>,
    /// What is written next, before secrets are hidden in it.
    buf: Vec<u8>,
    /// Items kept for CSV and tables.
    rows: Vec<Value>,
    /// The model the answer shows, when the spec describes it.
    model: Option<&'static Model>,
    /// `--columns`, checked against the model.
    columns: Option<Vec<Column>>,
    /// Whether the answer is a list (an empty one still gets its table header).
    listing: bool,
}

impl Printer {
    /// A printer writing to stdout.
    pub fn stdout(options: Options) -> Self {
        Self::new(options, Box::new(std::io::stdout()))
    }

    /// A printer writing to `out`.
    pub fn new(options: Options, out: Box<dyn Write + Send>) -> Self {
        Printer {
            options,
            out,
            buf: Vec::with_capacity(64 << 10),
            rows: Vec::new(),
            model: None,
            columns: None,
            listing: false,
        }
    }

    /// Says which model the answer shows (`None`: not one the spec describes), and checks
    /// `--columns` against it before anything is sent.
    ///
    /// # Errors
    ///
    /// Status 2 for a column the model does not have, naming the fields there.
    pub fn model(&mut self, model: Option<&'static Model>) -> Result<(), Failure> {
        self.model = model;
        if let Some(paths) = &self.options.columns {
            let columns = paths
                .iter()
                .map(|p| match model {
                    Some(m) => m
                        .column(p)
                        .map_err(|e| Failure::usage(format!("--columns: {e}"))),
                    None => Ok(Column::plain(p)),
                })
                .collect::<Result<Vec<_>, _>>()?;
            self.columns = Some(columns);
        }
        Ok(())
    }

    /// Prints one answer.
    ///
    /// # Errors
    ///
    /// The call's error, or a failure to write.
    pub fn value<T: Serialize>(&mut self, answer: partnerstack::Result<T>) -> Result<(), Failure> {
        let value = answer?;
        match self.options.format {
            Format::Json => {
                json(&mut self.buf, &value, true)?;
                self.buf.push(b'\n');
                self.emit()
            }
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
        self.listing = true;
        if self.options.format == Format::Json {
            json(&mut self.buf, &items, true)?;
            self.buf.push(b'\n');
            return self.emit();
        }
        for item in &items {
            self.item(item)?;
        }
        self.emit()
    }

    /// Prints one page's items; says on stderr when more follow, naming the flag that walks
    /// on (`after_flag`, without `--`).
    ///
    /// # Errors
    ///
    /// The call's error, or a failure to write.
    pub fn page<T: Serialize>(
        &mut self,
        answer: partnerstack::Result<Page<T>>,
        after_flag: &str,
    ) -> Result<(), Failure> {
        let page = answer?;
        if page.has_more {
            crate::term::note(&format!(
                "more items follow; add --all, or --{after_flag} with the last item's key"
            ));
        }
        self.list(Ok(page.items))
    }

    /// Prints every item of every page, as the pages arrive; a progress bar on stderr when it
    /// is a terminal. The walk's items are the server's JSON texts (`json_pages()`): JSON and
    /// NDJSON write each as the server sent it, on one line, escaped and filtered as any
    /// output, without decoding and serializing it again.
    ///
    /// # Errors
    ///
    /// The first page that fails (items before it are already written), or a failure to
    /// write.
    pub async fn pages<T: Serialize + Send + 'static>(
        &mut self,
        pages: impl Stream<Item = partnerstack::Result<Page<T>>>,
    ) -> Result<(), Failure> {
        self.batches(pages.map(|page| {
            page.map(|p| Batch {
                total: p.total,
                items: p.items,
            })
        }))
        .await
    }

    /// Walks a stream of items (`--all --concurrency N`: a partitioned walk, whose windows
    /// interleave) and prints them as [`pages`](Self::pages) prints a page walk's, in batches
    /// of the items that are ready; the first error stops it with what came before it printed.
    ///
    /// # Errors
    ///
    /// The walk's first error, or a failure to write.
    pub async fn items<T: Serialize + Send + 'static>(
        &mut self,
        items: impl Stream<Item = partnerstack::Result<T>>,
    ) -> Result<(), Failure> {
        let batches = items.ready_chunks(ITEMS_BATCH).flat_map(|chunk| {
            // The items before an error are printed, then the error.
            let mut out = Vec::with_capacity(2);
            let mut ready = Vec::with_capacity(chunk.len());
            for item in chunk {
                match item {
                    Ok(item) => ready.push(item),
                    Err(e) => {
                        out.push(Ok(Batch {
                            items: std::mem::take(&mut ready),
                            total: None,
                        }));
                        out.push(Err(e));
                        break;
                    }
                }
            }
            if !ready.is_empty() {
                out.push(Ok(Batch {
                    items: ready,
                    total: None,
                }));
            }
            futures_util::stream::iter(out)
        });
        self.batches(batches).await
    }

    async fn batches<T: Serialize + Send + 'static>(
        &mut self,
        pages: impl Stream<Item = partnerstack::Result<Batch<T>>>,
    ) -> Result<(), Failure> {
        use std::io::IsTerminal;
        self.listing = true;
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

    async fn walk<T: Serialize + Send + 'static>(
        &mut self,
        pages: impl Stream<Item = partnerstack::Result<Batch<T>>>,
        progress: Option<&indicatif::ProgressBar>,
    ) -> Result<(), Failure> {
        if matches!(self.options.format, Format::Json | Format::Ndjson) {
            return self.stream(pages, progress).await;
        }
        let mut pages = std::pin::pin!(pages);
        while let Some(page) = pages.next().await {
            let page = page?;
            show_total(progress, page.total);
            for item in &page.items {
                self.item(item)?;
            }
            self.emit()?;
            if let Some(bar) = progress {
                bar.inc(page.items.len() as u64);
            }
        }
        Ok(())
    }

    /// A JSON or NDJSON walk: each page's items go to a thread of their own that writes
    /// them, so writing one page and decoding the next run at once; two pages wait at most,
    /// so memory stays flat. A page that fails stops the walk with what came before it
    /// written (a JSON array is then left open, so no reader takes it for the whole list).
    async fn stream<T: Serialize + Send + 'static>(
        &mut self,
        pages: impl Stream<Item = partnerstack::Result<Batch<T>>>,
        progress: Option<&indicatif::ProgressBar>,
    ) -> Result<(), Failure> {
        enum Message<T> {
            Items(Vec<T>),
            End,
        }
        let format = self.options.format;
        let out = std::mem::replace(&mut self.out, Box::new(std::io::sink()));
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Message<T>>(2);
        let writer = std::thread::Builder::new()
            .name("partnerstack-out".into())
            .spawn(move || {
                let mut w = Lines {
                    out,
                    buf: Vec::with_capacity(256 << 10),
                    format,
                    array: (format == Format::Json).then_some(false),
                };
                let written = (|| {
                    if format == Format::Json {
                        w.buf.push(b'[');
                    }
                    while let Some(message) = rx.blocking_recv() {
                        match message {
                            Message::Items(items) => {
                                for item in &items {
                                    w.item(item)?;
                                }
                                w.emit()?;
                            }
                            Message::End => {
                                if format == Format::Json {
                                    w.buf.extend_from_slice(b"\n]\n");
                                }
                                w.emit()?;
                                break;
                            }
                        }
                    }
                    // Pages that failed leave what was written as it is.
                    w.emit()
                })();
                (w.out, written)
            })
            .map_err(|e| {
                Failure::new(UNEXPECTED, format!("cannot start the output thread: {e}"))
            })?;
        let mut pages = std::pin::pin!(pages);
        let mut walked = Ok(());
        let mut ended = false;
        while !ended {
            let message = match pages.next().await {
                Some(Ok(page)) => {
                    show_total(progress, page.total);
                    if let Some(bar) = progress {
                        bar.inc(page.items.len() as u64);
                    }
                    Message::Items(page.items)
                }
                Some(Err(e)) => {
                    walked = Err(Failure::from(e));
                    break;
                }
                None => {
                    ended = true;
                    Message::End
                }
            };
            // The writer stopped (stdout went away): what it met says why.
            if tx.send(message).await.is_err() {
                break;
            }
        }
        drop(tx);
        let (out, written) = writer
            .join()
            .map_err(|_| Failure::new(UNEXPECTED, "the output stopped unexpectedly"))?;
        self.out = out;
        written.and(walked)
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

    /// One item: into the buffer (JSON array, NDJSON) or kept for the end (CSV, table).
    fn item<T: Serialize>(&mut self, value: &T) -> Result<(), Failure> {
        match self.options.format {
            Format::Json | Format::Ndjson => json_line(&mut self.buf, &mut None, value),
            Format::Csv | Format::Table => {
                let value = serde_json::to_value(value).map_err(|e| {
                    Failure::new(UNEXPECTED, format!("cannot write the answer: {e}"))
                })?;
                self.rows.push(value);
                Ok(())
            }
        }
    }

    /// Writes the buffer, secrets hidden, to stdout.
    fn emit(&mut self) -> Result<(), Failure> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let text = crate::redact::global().apply(&self.buf);
        let written = self.out.write_all(&text);
        self.buf.clear();
        written.map_err(Failure::output)
    }

    /// The columns of a table or CSV: `--columns`, else the model's default, else every
    /// field of any item (`key` first, then by name).
    fn columns(&self, table: bool) -> Vec<Column> {
        if let Some(columns) = &self.columns {
            return columns.clone();
        }
        if table && let Some(model) = self.model {
            return model.default_columns();
        }
        union(&self.rows).iter().map(|p| Column::plain(p)).collect()
    }

    /// Writes what was kept (CSV, table) and flushes.
    ///
    /// # Errors
    ///
    /// A failure to write.
    pub fn finish(&mut self) -> Result<(), Failure> {
        let rows = std::mem::take(&mut self.rows);
        match self.options.format {
            Format::Csv if !rows.is_empty() || self.columns.is_some() => {
                self.rows = rows;
                let columns = self.columns(false);
                let rows = std::mem::take(&mut self.rows);
                self.csv(&columns, &rows)?;
            }
            Format::Table => {
                self.rows = rows;
                let columns = self.columns(true);
                let rows = std::mem::take(&mut self.rows);
                self.table(&columns, &rows);
            }
            _ => {}
        }
        self.emit()?;
        self.out.flush().map_err(Failure::output)
    }

    fn csv(&mut self, columns: &[Column], rows: &[Value]) -> Result<(), Failure> {
        let formulas = self.options.csv_formulas;
        let mut writer = csv::Writer::from_writer(&mut self.buf);
        let csv_error = |e: csv::Error| Failure::new(UNEXPECTED, format!("cannot write CSV: {e}"));
        let header: Vec<String> = columns
            .iter()
            .map(|c| csv_cell(&c.header, false, formulas))
            .collect();
        writer.write_record(&header).map_err(csv_error)?;
        for row in rows {
            let cells: Vec<String> = columns
                .iter()
                .map(|c| {
                    let number = matches!(lookup_value(row, &c.path), Some(Value::Number(_)));
                    csv_cell(&crate::view::raw_cell(row, c), number, formulas)
                })
                .collect();
            writer.write_record(&cells).map_err(csv_error)?;
        }
        writer
            .flush()
            .map_err(|e| Failure::new(UNEXPECTED, format!("cannot write CSV: {e}")))
    }

    fn table(&mut self, columns: &[Column], rows: &[Value]) {
        if columns.is_empty() {
            if self.listing && rows.is_empty() {
                crate::term::note("no items matched");
            }
            return;
        }
        let header: Vec<String> = columns.iter().map(|c| c.header.clone()).collect();
        let cells: Vec<Vec<String>> = rows
            .iter()
            .map(|row| columns.iter().map(|c| crate::view::cell(row, c)).collect())
            .collect();
        let rendered =
            crate::table::render(&header, &cells, self.options.width, self.options.colour);
        self.buf.extend_from_slice(rendered.text.as_bytes());
        if rows.is_empty() && self.listing {
            crate::term::note("no items matched");
        }
        if !rendered.left_out.is_empty() {
            crate::term::note(&format!(
                "{} column{} left out to fit {} columns: {} (pick fewer with --columns)",
                rendered.left_out.len(),
                if rendered.left_out.len() == 1 {
                    ""
                } else {
                    "s"
                },
                self.options.width.unwrap_or_default(),
                rendered.left_out.join(", ")
            ));
        }
    }
}

/// One page of a list, each item the server's JSON text, so that a page prints as a walk's
/// pages do (the server's field order): the first page of `pages`, asking for nothing more.
///
/// # Errors
///
/// The page's.
pub async fn first_page(
    pages: partnerstack::Pages<partnerstack::JsonItem>,
) -> partnerstack::Result<Page<partnerstack::JsonItem>> {
    let mut pages = pages.prefetch(false);
    match pages.next().await {
        Some(page) => page,
        // A walk's first poll always answers; an empty page if it ever did not.
        None => Ok(Page::new(Vec::new(), false, None)),
    }
}

/// The most items of a partitioned walk printed as one batch.
const ITEMS_BATCH: usize = 250;

/// Items to print together: a page's, or those of a partitioned walk that were ready.
struct Batch<T> {
    items: Vec<T>,
    /// The list's total, when a page said.
    total: Option<i64>,
}

/// Sets the progress bar's length from the first page that says how many items there are.
fn show_total(progress: Option<&indicatif::ProgressBar>, total: Option<i64>) {
    if let (Some(bar), Some(total)) = (progress, total)
        && bar.length().is_none()
    {
        bar.set_length(u64::try_from(total).unwrap_or(0));
        bar.set_style(indicatif::ProgressStyle::default_bar());
    }
}

/// One item as a JSON line into `buf`: an element of an open array (`array` says whether one
/// was written already), or a line of its own.
fn json_line<T: Serialize>(
    buf: &mut Vec<u8>,
    array: &mut Option<bool>,
    value: &T,
) -> Result<(), Failure> {
    let separator: &[u8] = match array {
        Some(true) => b",\n",
        Some(false) => b"\n",
        None => b"",
    };
    buf.extend_from_slice(separator);
    json(buf, value, false)?;
    match array {
        Some(written) => *written = true,
        None => buf.push(b'\n'),
    }
    Ok(())
}

/// The writer of a streamed walk, on its own thread.
struct Lines {
    out: Box<dyn Write + Send>,
    buf: Vec<u8>,
    format: Format,
    array: Option<bool>,
}

impl Lines {
    fn item<T: Serialize>(&mut self, value: &T) -> Result<(), Failure> {
        match self.format {
            Format::Json => json_line(&mut self.buf, &mut self.array, value),
            _ => json_line(&mut self.buf, &mut None, value),
        }
    }

    fn emit(&mut self) -> Result<(), Failure> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let text = crate::redact::global().apply(&self.buf);
        let written = self.out.write_all(&text).and_then(|()| self.out.flush());
        self.buf.clear();
        written.map_err(Failure::output)
    }
}

fn lookup_value<'v>(item: &'v Value, path: &[String]) -> Option<&'v Value> {
    path.iter().try_fold(item, |v, part| v.get(part))
}

/// Every field of any item: `key` first when there is one, then by name. Items that are not
/// objects are one column, `value`.
fn union(rows: &[Value]) -> Vec<String> {
    if !rows.iter().all(Value::is_object) {
        return vec!["value".into()];
    }
    let names: std::collections::BTreeSet<&String> = rows
        .iter()
        .filter_map(Value::as_object)
        .flat_map(|row| row.keys())
        .collect();
    let key = names.iter().filter(|n| n.as_str() == "key");
    let rest = names.iter().filter(|n| n.as_str() != "key");
    key.chain(rest).map(|n| n.to_string()).collect()
}

/// A CSV cell that cannot attack a spreadsheet or a terminal: control characters (and the
/// Unicode controls that reorder text) escaped as `\u{1b}`, tabs and newlines kept (the CSV
/// writer quotes them); and, unless `formulas`, a cell a spreadsheet would run as a formula
/// (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) prefixed with `'`, as OWASP
/// recommends; numbers are left as they are.
pub fn csv_cell(text: &str, number: bool, formulas: bool) -> String {
    let risky = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let mut out = String::with_capacity(text.len() + 1);
    if risky && !formulas && !number && !is_number(text) {
        out.push('\'');
    }
    for c in text.chars() {
        if (c.is_control() && c != '\t' && c != '\n')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether `text` is a plain decimal number (`-12`, `+3.5`, `1e9`), which no spreadsheet runs.
fn is_number(text: &str) -> bool {
    let t = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (mantissa, exponent) = match t.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e.strip_prefix(['+', '-']).unwrap_or(e))),
        None => (t, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some((i, f)) => digits(i) && (f.is_empty() || digits(f)),
        None => digits(mantissa),
    };
    mantissa_ok && exponent.is_none_or(digits)
}

/// Serializes `value` into `buf` as JSON (pretty or compact) with every control character
/// escaped: serde_json escapes `"`, `\\` and C0; [`escape_controls`] the rest. Text kept as the
/// server sent it ([`partnerstack::JsonItem`]) is laid out the same way as the rest: compact
/// output on one line, pretty output indented (its own whitespace dropped), with the server's
/// field order and number spelling kept.
fn json<T: Serialize + ?Sized>(buf: &mut Vec<u8>, value: &T, pretty: bool) -> Result<(), Failure> {
    let from = buf.len();
    serde_json::to_writer(&mut *buf, value)
        .map_err(|e| Failure::new(UNEXPECTED, format!("cannot write JSON: {e}")))?;
    canonical_escapes(buf, from);
    if pretty {
        indent(buf, from);
    } else {
        strip_line_breaks(buf, from);
    }
    escape_controls(buf, from);
    Ok(())
}

/// Lays the JSON text `buf[from..]` out as serde_json's pretty printer does (two spaces a
/// level, `": "`, empty arrays and objects as `[]` and `{}`), whatever whitespace it had.
fn indent(buf: &mut Vec<u8>, from: usize) {
    let Some(text) = buf.get(from..) else {
        return;
    };
    let blank = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    let mut out = Vec::with_capacity(text.len() + text.len() / 2);
    let newline = |out: &mut Vec<u8>, depth: usize| {
        out.push(b'\n');
        out.extend(std::iter::repeat_n(b' ', depth * 2));
    };
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(&b) = text.get(i) {
        match b {
            b'"' => {
                let end = string_end(text, i);
                out.extend_from_slice(text.get(i..end).unwrap_or_default());
                i = end;
                continue;
            }
            b'{' | b'[' => {
                let close = if b == b'{' { b'}' } else { b']' };
                let next = i
                    + 1
                    + text
                        .get(i + 1..)
                        .map_or(0, |t| t.iter().take_while(|c| blank(c)).count());
                out.push(b);
                if text.get(next) == Some(&close) {
                    out.push(close);
                    i = next;
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(b);
            }
            b',' => {
                out.push(b);
                newline(&mut out, depth);
            }
            b':' => out.extend_from_slice(b": "),
            _ if blank(&b) => {}
            _ => out.push(b),
        }
        i += 1;
    }
    buf.truncate(from);
    buf.extend_from_slice(&out);
}

/// Where the JSON string whose opening quote is `text[start]` ends: just after its closing
/// quote (or at the end of `text`).
fn string_end(text: &[u8], start: usize) -> usize {
    let mut end = start + 1;
    while let Some(&c) = text.get(end) {
        match c {
            b'\\' => end += 2,
            b'"' => return end + 1,
            _ => end += 1,
        }
    }
    text.len()
}

/// Rewrites each JSON string of `buf[from..]` that holds an escape in serde_json's spelling
/// (only `"`, `\\` and C0 escaped), so that text kept as the server sent it (an item's
/// [`partnerstack::JsonItem`], a model's unknown fields) cannot spell a credential with escapes
/// (`\/`, `\u0041`) past the secret filter, which matches bytes. Strings without a backslash,
/// nearly all of them, are left as they are, and text without one is not copied. A lone
/// surrogate escape (`\udc00`: valid JSON, but no character) becomes U+FFFD, as the rest of
/// its string is rewritten: no string is ever written back with its escapes as they came.
fn canonical_escapes(buf: &mut Vec<u8>, from: usize) {
    let Some(text) = buf.get(from..) else {
        return;
    };
    if !text.contains(&b'\\') {
        return;
    }
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while let Some(&b) = text.get(i) {
        if b != b'"' {
            out.push(b);
            i += 1;
            continue;
        }
        // A string (outside strings, JSON text has no quote): up to its closing quote.
        let end = string_end(text, i).min(text.len());
        let literal = text.get(i..end).unwrap_or_default();
        if literal.contains(&b'\\') {
            // Decoded as serde_json reads a byte string, which takes lone surrogates (a
            // `String` refuses them, and the literal, escapes and all, would be kept).
            let bytes = serde::Deserializer::deserialize_bytes(
                &mut serde_json::Deserializer::from_slice(literal),
                StringBytes,
            )
            .unwrap_or_default();
            let text = well_formed(&bytes);
            // Writing a `str` into a `Vec` cannot fail.
            let _ = serde_json::to_writer(&mut out, &text);
        } else {
            out.extend_from_slice(literal);
        }
        i = end;
    }
    buf.truncate(from);
    buf.extend_from_slice(&out);
}

/// `bytes` (UTF-8, but for lone surrogates in WTF-8: `ED A0..BF 80..BF`) as text, each lone
/// surrogate as one U+FFFD, as JavaScript's `toWellFormed` writes it.
fn well_formed(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    let mut rest = bytes;
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(text) => {
                out.push_str(text);
                break;
            }
            Err(e) => {
                let (valid, bad) = rest.split_at(e.valid_up_to());
                out.push_str(std::str::from_utf8(valid).unwrap_or_default());
                out.push('\u{FFFD}');
                // A surrogate's three bytes at once; any other invalid run as UTF-8 says.
                let skip = match bad {
                    [0xED, 0xA0..=0xBF, 0x80..=0xBF, ..] => 3,
                    _ => e.error_len().unwrap_or(bad.len()),
                };
                rest = bad.get(skip..).unwrap_or_default();
            }
        }
    }
    out
}

/// A JSON string's bytes, its escapes decoded ([`canonical_escapes`]).
struct StringBytes;

impl serde::de::Visitor<'_> for StringBytes {
    type Value = Vec<u8>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON string")
    }

    fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Vec<u8>, E> {
        Ok(v.to_vec())
    }
}

/// Removes every CR and LF byte from the JSON text `buf[from..]`, so that it is one line: an
/// item the server sent pretty-printed ([`partnerstack::JsonItem`] keeps its text) may span
/// several. In valid JSON a raw CR or LF can only be whitespace between tokens (inside a
/// string it must be escaped, and no byte of a multibyte UTF-8 character is one), so the text
/// stays valid and means the same. serde_json's own compact output never has one.
fn strip_line_breaks(buf: &mut Vec<u8>, from: usize) {
    let is_break = |b: &u8| matches!(b, b'\n' | b'\r');
    let Some(first) = buf
        .get(from..)
        .and_then(|text| text.iter().position(is_break))
    else {
        return;
    };
    let start = from + first;
    let mut kept = start;
    for read in start..buf.len() {
        let b = buf[read];
        if !is_break(&b) {
            buf[kept] = b;
            kept += 1;
        }
    }
    buf.truncate(kept);
}

/// Whether JSON text must not carry `c` raw: DEL, the C1 controls, the Unicode controls that
/// reorder text and the line and paragraph separators (JSON itself escapes only C0).
fn must_escape(c: char) -> bool {
    matches!(c, '\u{7F}'..='\u{9F}') || crate::term::is_format_control(c)
}

/// Escapes as `\uXXXX` what [`must_escape`] names in the JSON text `buf[from..]` wrote.
/// Outside its strings JSON text is ASCII without DEL, so each such character is inside a
/// string, where the escape stands for the same character.
fn escape_controls(buf: &mut Vec<u8>, from: usize) {
    let text = &buf[from..];
    // The usual case, checked a word at a time: nothing to do.
    if text.is_ascii() && !text.contains(&0x7F) {
        return;
    }
    let Ok(text) = std::str::from_utf8(text) else {
        return;
    };
    if !text.chars().any(must_escape) {
        return;
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if must_escape(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    buf.truncate(from);
    buf.extend_from_slice(out.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_escapes_every_control_character() {
        let mut buf = Vec::new();
        let text = "a\u{1b}b\u{7f}c\u{85}d\u{9b}e\u{202e}f\u{2028}g é 日";
        json(&mut buf, &json!({ text: text }), false).unwrap();
        let out = String::from_utf8(buf).unwrap();
        assert!(
            !out.chars()
                .any(|c| c.is_control() || crate::term::is_format_control(c)),
            "{out:?}"
        );
        assert_eq!(
            serde_json::from_str::<Value>(&out).unwrap(),
            json!({ text: text })
        );
        assert!(out.contains("é 日"), "{out}");
    }

    #[test]
    fn a_servers_item_text_is_one_line_with_escapes_spelt_one_way() {
        let text = "{\r\n  \"key\" : \"r\\u0031\",\n  \"url\": \"a\\/b\",\n\t\"n\": [1,\n 2.50],
            \"s\": \"x\\n\\\"y\\\\\u{85}\", \"k\\u00e9\": \"\\ud83d\\ude00\"\n}";
        let item = partnerstack::JsonItem::from_json(text).unwrap();
        let mut buf = b"before".to_vec();
        json(&mut buf, &item, false).unwrap();
        let out = std::str::from_utf8(&buf[6..]).unwrap();
        assert_eq!(
            out,
            "{  \"key\" : \"r1\",  \"url\": \"a/b\",\t\"n\": [1, 2.50],            \"s\": \
             \"x\\n\\\"y\\\\\\u0085\", \"ké\": \"😀\"}"
        );
        assert_eq!(
            serde_json::from_str::<Value>(out).unwrap(),
            serde_json::from_str::<Value>(text).unwrap()
        );
        // Nothing to change: not copied, not changed.
        let mut buf = Vec::new();
        json(&mut buf, &json!({"a": "b c"}), false).unwrap();
        assert_eq!(buf, br#"{"a":"b c"}"#);
    }

    #[test]
    fn pretty_output_is_serde_jsons_and_lays_out_a_servers_text_alike() {
        let value = json!({"a": [1, {"b": [], "c": {}}, "x,y:{[\"]"], "d": {"e": null}, "f": []});
        let mut buf = Vec::new();
        json(&mut buf, &value, true).unwrap();
        assert_eq!(buf, serde_json::to_vec_pretty(&value).unwrap());
        let item = partnerstack::JsonItem::from_json(
            "{\"z\":1.50 ,\r\n \"a\" : [ ] , \"n\":{ \"k\":\"v\" }}",
        )
        .unwrap();
        let mut buf = Vec::new();
        json(&mut buf, &[item], true).unwrap();
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "[\n  {\n    \"z\": 1.50,\n    \"a\": [],\n    \"n\": {\n      \"k\": \"v\"\n    }\n  }\n]"
        );
    }

    #[test]
    fn csv_neutralises_formulas_and_escapes_controls() {
        assert_eq!(
            csv_cell("=HYPERLINK(\"x\")", false, false),
            "'=HYPERLINK(\"x\")"
        );
        for risky in ["+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert!(csv_cell(risky, false, false).starts_with('\''), "{risky}");
        }
        assert_eq!(csv_cell("=1+1", false, true), "=1+1");
        assert_eq!(csv_cell("-12.50", false, false), "-12.50");
        assert_eq!(csv_cell("-5", true, false), "-5");
        assert_eq!(
            csv_cell("a\u{1b}[2Jb\u{85}\u{202e}", false, false),
            "a\\u{1b}[2Jb\\u{85}\\u{202e}"
        );
        assert_eq!(
            csv_cell("two\nlines\tand tab", false, false),
            "two\nlines\tand tab"
        );
        assert!(is_number("1e-9") && !is_number("1-1") && !is_number("-") && !is_number("."));
    }

    #[test]
    fn columns_are_the_union_of_fields_key_first() {
        let rows = [
            json!({"key": "a", "amount": 5, "meta": {"x": [1]}}),
            json!({"key": "b", "note": null, "extra": "e"}),
        ];
        assert_eq!(union(&rows), ["key", "amount", "extra", "meta", "note"]);
        assert_eq!(union(&[json!(1)]), ["value"]);
    }
}

//! Hiding credentials in everything the command line prints.
//!
//! A server can echo the `Authorization` header back (in an error message, an HTML page, a
//! field of an answer), cut short or padded, and it arrives in whatever encoding the server
//! chose. So every byte written to stdout and stderr goes through [`Redactor::apply`], which
//! replaces any run of 8 or more characters of a secret's forms with `<redacted>`: the value
//! itself, JSON-escaped, percent-encoded, and base64 (standard and URL-safe, at each of the
//! three alignments) both alone and as the HTTP Basic pair `public:secret`. A secret shorter
//! than 8 characters is replaced only whole (4 characters or more; shorter ones would hide
//! ordinary words). Secrets are the credential variables' values and the parts of
//! `--base-url` that must not be shown (user info, query, fragment).
//!
//! Scanning costs little when nothing matches: a run of 8 characters always holds a 4-byte
//! group starting at a multiple of 4, so only those groups are looked up in a 64 Kibit filter
//! of the forms' 4-grams, and the 8-byte windows around a hit are then compared exactly.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::OnceLock;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};

/// The shortest run of a secret's characters that is hidden wherever it appears.
pub const RUN: usize = 8;

/// The shortest secret hidden at all (whole).
const SHORTEST: usize = 4;

/// What replaces a secret.
pub const MARK: &[u8] = b"<redacted>";

/// Bits of the 4-gram filter (a power of two).
const FILTER_BITS: usize = 1 << 16;

/// Hides secrets in text.
pub struct Redactor {
    /// The 4-grams of every form of every secret, hashed.
    filter: Box<[u64]>,
    /// Every 8-byte window of every form, as a big-endian number.
    windows: HashSet<u64>,
    /// Forms shorter than [`RUN`]: hidden only whole.
    short: Vec<Vec<u8>>,
}

static GLOBAL: OnceLock<Redactor> = OnceLock::new();

/// Sets the process's redactor (the first call wins).
pub fn install(redactor: Redactor) {
    let _ = GLOBAL.set(redactor);
}

/// The process's redactor; one hiding nothing before [`install`].
pub fn global() -> &'static Redactor {
    GLOBAL.get_or_init(|| Redactor::new(&[], &[]))
}

fn gram_hash(gram: u32) -> usize {
    (gram.wrapping_mul(0x9E37_79B1) >> 16) as usize & (FILTER_BITS - 1)
}

impl Redactor {
    /// A redactor hiding `secrets`, and each `pairs` element as the HTTP Basic credentials
    /// `user:password` (both parts are also in `secrets`).
    pub fn new(secrets: &[String], pairs: &[(String, String)]) -> Self {
        let mut forms: Vec<Vec<u8>> = Vec::new();
        for secret in secrets {
            let secret = secret.trim();
            if secret.len() < SHORTEST {
                continue;
            }
            forms.extend(encodings(secret.as_bytes()));
            let json = serde_json::to_string(secret).unwrap_or_default();
            if let Some(escaped) = json.strip_prefix('"').and_then(|j| j.strip_suffix('"')) {
                forms.push(escaped.as_bytes().to_vec());
            }
            forms.extend(percent_encodings(secret));
        }
        for (user, password) in pairs {
            let pair = format!("{}:{}", user.trim(), password.trim());
            if pair.len() > SHORTEST {
                forms.extend(encodings(pair.as_bytes()));
            }
        }
        let mut filter = vec![0u64; FILTER_BITS / 64].into_boxed_slice();
        let mut windows = HashSet::new();
        let mut short = Vec::new();
        for form in forms {
            if form.len() < RUN {
                if form.len() >= SHORTEST && !short.contains(&form) {
                    short.push(form);
                }
                continue;
            }
            for w in form.windows(4) {
                let h = gram_hash(u32::from_le_bytes([w[0], w[1], w[2], w[3]]));
                filter[h / 64] |= 1 << (h % 64);
            }
            for w in form.windows(RUN) {
                windows.insert(window(w));
            }
        }
        Redactor {
            filter,
            windows,
            short,
        }
    }

    /// Whether there is nothing to hide.
    pub fn is_empty(&self) -> bool {
        self.windows.is_empty() && self.short.is_empty()
    }

    /// `text` with every secret run replaced by `<redacted>` (borrowed when there is none).
    pub fn apply<'a>(&self, text: &'a [u8]) -> Cow<'a, [u8]> {
        if self.is_empty() {
            return Cow::Borrowed(text);
        }
        let mut marks: Vec<(usize, usize)> = Vec::new();
        if !self.windows.is_empty() && text.len() >= RUN {
            for (i, gram) in text.chunks_exact(4).enumerate() {
                let h = gram_hash(u32::from_le_bytes([gram[0], gram[1], gram[2], gram[3]]));
                if self.filter[h / 64] & (1 << (h % 64)) == 0 {
                    continue;
                }
                let q = i * 4;
                for p in q.saturating_sub(4)..=q {
                    if let Some(w) = text.get(p..p + RUN)
                        && self.windows.contains(&window(w))
                    {
                        marks.push((p, p + RUN));
                    }
                }
            }
        }
        for form in &self.short {
            let mut from = 0;
            while let Some(at) = find(&text[from..], form) {
                marks.push((from + at, from + at + form.len()));
                from += at + 1;
            }
        }
        if marks.is_empty() {
            return Cow::Borrowed(text);
        }
        marks.sort_unstable();
        let mut out = Vec::with_capacity(text.len());
        let mut done = 0;
        let mut i = 0;
        while i < marks.len() {
            let (mut start, mut end) = marks[i];
            i += 1;
            while i < marks.len() && marks[i].0 <= end {
                end = end.max(marks[i].1);
                i += 1;
            }
            // Whole characters only: a secret's bytes may sit inside a multi-byte one.
            start = start.max(done);
            while start > done && is_continuation(text[start]) {
                start -= 1;
            }
            while end < text.len() && is_continuation(text[end]) {
                end += 1;
            }
            out.extend_from_slice(&text[done..start]);
            out.extend_from_slice(MARK);
            done = end;
        }
        out.extend_from_slice(&text[done..]);
        Cow::Owned(out)
    }

    /// [`Redactor::apply`] for text.
    pub fn apply_str<'a>(&self, text: &'a str) -> Cow<'a, str> {
        match self.apply(text.as_bytes()) {
            Cow::Borrowed(_) => Cow::Borrowed(text),
            Cow::Owned(bytes) => Cow::Owned(String::from_utf8_lossy(&bytes).into_owned()),
        }
    }
}

fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

fn window(w: &[u8]) -> u64 {
    w.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The value and its base64 forms: for each alphabet and each of the three positions the
/// value can start at in a longer encoded text, the characters that depend on the value's
/// bytes only.
fn encodings(value: &[u8]) -> Vec<Vec<u8>> {
    let mut out = vec![value.to_vec()];
    for engine in [&STANDARD_NO_PAD, &URL_SAFE_NO_PAD] {
        for lead in 0..3usize {
            let mut input = vec![0u8; lead];
            input.extend_from_slice(value);
            let encoded = engine.encode(&input);
            // Characters carry 6 bits: those wholly inside the value's bits.
            let first = (lead * 8).div_ceil(6);
            let last = ((lead + value.len()) * 8) / 6;
            if let Some(core) = encoded.as_bytes().get(first..last) {
                out.push(core.to_vec());
            }
        }
    }
    out
}

/// The value percent-encoded as a URL or a form would carry it (upper- and lower-case hex,
/// space as `%20` or `+`).
fn percent_encodings(value: &str) -> Vec<Vec<u8>> {
    let unreserved = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~');
    let mut upper = String::new();
    let mut lower = String::new();
    let mut form = String::new();
    for b in value.bytes() {
        if unreserved(b) {
            for s in [&mut upper, &mut lower, &mut form] {
                s.push(char::from(b));
            }
        } else {
            upper.push_str(&format!("%{b:02X}"));
            lower.push_str(&format!("%{b:02x}"));
            if b == b' ' {
                form.push('+');
            } else {
                form.push_str(&format!("%{b:02X}"));
            }
        }
    }
    [upper, lower, form]
        .into_iter()
        .filter(|s| s != value)
        .map(String::into_bytes)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "pk-test-API-KEY-7c1e9d";

    fn hides(r: &Redactor, text: &str) -> String {
        String::from_utf8(r.apply(text.as_bytes()).into_owned()).unwrap()
    }

    #[test]
    fn every_form_and_every_run_of_eight_is_hidden() {
        let public = "pub-test-PUBLIC-4b2a".to_string();
        let secret = "sec/test+SECRET 93fd".to_string();
        let r = Redactor::new(
            &[KEY.into(), public.clone(), secret.clone()],
            &[(public.clone(), secret.clone())],
        );
        let basic = STANDARD_NO_PAD.encode(format!("{public}:{secret}"));
        let cases = [
            format!("Bearer {KEY}"),
            format!("echo: Basic {basic}=="),
            "sec%2Ftest%2BSECRET%2093fd".to_string(),
            "sec%2ftest%2bSECRET%2093fd".to_string(),
            "sec%2Ftest%2BSECRET+93fd".to_string(),
            format!("{}…", &KEY[..12]),
            format!("padding {}", &KEY[5..13]),
            format!("x{}", STANDARD_NO_PAD.encode(format!("ab{KEY}"))),
            URL_SAFE_NO_PAD.encode(secret.as_bytes()),
            "sec/test+SECRET 93fd".into(),
        ];
        for case in &cases {
            let out = hides(&r, case);
            assert!(out.contains("<redacted>"), "{case:?} gave {out:?}");
            for value in [KEY, &public, &secret, &basic] {
                for run in value.as_bytes().windows(RUN) {
                    assert!(
                        !out.as_bytes().windows(RUN).any(|w| w == run),
                        "{case:?} gave {out:?}"
                    );
                }
            }
        }
        assert_eq!(hides(&r, "nothing secret here"), "nothing secret here");
        // Seven characters of a key are not a run.
        assert_eq!(hides(&r, &KEY[..7]), &KEY[..7]);
    }

    #[test]
    fn runs_at_every_offset_and_in_multibyte_text_are_hidden() {
        let r = Redactor::new(&[KEY.into()], &[]);
        for lead in 0..9 {
            let text = format!("{}é{}ü", "x".repeat(lead), &KEY[3..15]);
            let out = hides(&r, &text);
            assert_eq!(out, format!("{}é<redacted>ü", "x".repeat(lead)), "{lead}");
        }
    }

    #[test]
    fn short_secrets_are_hidden_whole_and_tiny_ones_not_at_all() {
        let r = Redactor::new(&["abcde".into(), "ab".into()], &[]);
        assert_eq!(hides(&r, "x abcde y ab"), "x <redacted> y ab");
        assert!(Redactor::new(&[], &[]).is_empty());
    }
}

//! Spec doc text made safe for rustdoc, in one place: every `doc:` of the spec passes here.
//!
//! Doc text is Markdown, and rustdoc reads some of it as more than prose: `list<Reward>` is an
//! unclosed HTML tag, `[x]` a link to an item `x`, an indented or fenced block a doctest that
//! is compiled and run, a bare URL a lint. Those become text; control and bidirectional
//! characters (which can make text read differently from what it is) are dropped, and every
//! line break becomes `\n`.

/// The doc text as rustdoc should read it.
pub(crate) fn clean(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in text.lines() {
        let line: String = line
            .chars()
            .map(|c| if c == '\t' { ' ' } else { c })
            .filter(|c| !is_hidden(*c))
            .collect();
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let fence = &trimmed[..3];
            // An opening fence shows its block as text, never as a doctest.
            out.push(if in_fence {
                fence.to_string()
            } else {
                format!("{fence}text")
            });
            in_fence = !in_fence;
        } else if in_fence {
            out.push(line);
        } else {
            // Leading spaces would make an indented code block (a doctest).
            out.push(prose(trimmed));
        }
    }
    if in_fence {
        out.push("```".to_string());
    }
    out.join("\n")
}

/// Characters that are not shown, or change how the text around them is shown.
fn is_hidden(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}' | '\u{FEFF}')
}

/// One line of prose: outside code spans, `<`, `>` and brackets that do not open a Markdown
/// link are escaped, and bare URLs are marked as URLs.
fn prose(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_code = false;
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            in_code = !in_code;
            out.push(c);
        } else if in_code {
            out.push(c);
        } else if c == '<' || c == '>' {
            out.push('\\');
            out.push(c);
        } else if c == '[' && !opens_link(&chars[i..]) {
            out.push_str("\\[");
        } else if c == ']' && chars.get(i + 1) != Some(&'(') {
            out.push_str("\\]");
        } else if starts_url(&chars[i..]) && (i == 0 || chars[i - 1].is_whitespace()) {
            let end = chars[i..]
                .iter()
                .position(|c| c.is_whitespace())
                .map_or(chars.len(), |n| i + n);
            let url: String = chars[i..end].iter().collect();
            let (url, tail) = match url.strip_suffix(['.', ',', ';', ')']) {
                Some(u) => (u.to_string(), url[u.len()..].to_string()),
                None => (url, String::new()),
            };
            out.push_str(&format!("<{url}>{tail}"));
            i = end;
            continue;
        } else {
            out.push(c);
        }
        i += 1;
    }
    // An unclosed code span would swallow what follows it in rustdoc's eyes; close it.
    if in_code {
        out.push('`');
    }
    out
}

/// Whether `[` starts a Markdown link `[text](target)` on this line.
fn opens_link(rest: &[char]) -> bool {
    let text: String = rest.iter().collect();
    match text.find("](") {
        Some(close) => !text[1..close].contains(['[', ']']) && text[close..].contains(')'),
        None => false,
    }
}

fn starts_url(rest: &[char]) -> bool {
    let head: String = rest.iter().take(8).collect();
    head.starts_with("https://") || head.starts_with("http://")
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn markup_rustdoc_would_misread_becomes_text() {
        assert_eq!(
            clean("A list<Reward> of [x]."),
            "A list\\<Reward\\> of \\[x\\]."
        );
        assert_eq!(
            clean("Code `list<Reward>` stays."),
            "Code `list<Reward>` stays."
        );
        assert_eq!(
            clean("A [link](https://example.com)."),
            "A [link](https://example.com)."
        );
        assert_eq!(
            clean("See https://example.com."),
            "See <https://example.com>."
        );
        assert_eq!(clean("a\r\nb\rc"), "a\nb\nc");
        assert_eq!(clean("x\u{202E}y\u{0}z"), "xyz");
        assert_eq!(
            clean("Example:\n\n    {\"a\": 1}"),
            "Example:\n\n{\"a\": 1}"
        );
        assert_eq!(clean("```\nfn x() {}\n```"), "```text\nfn x() {}\n```");
        assert_eq!(clean("```json\n{}"), "```text\n{}\n```");
        assert_eq!(clean("an `open span"), "an `open span`");
    }
}

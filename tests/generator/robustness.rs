//! The loader and validator never panic: truncated and garbled versions of the real spec give
//! diagnostics (with positions inside the file) or a valid API, which then emits.

use crate::root;

/// A small deterministic generator, so a failure names a reproducible case.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn must_not_panic(case: &str, text: &str) {
    let name = "spec/partner.yaml";
    let outcome = std::panic::catch_unwind(|| partnerstack_codegen::load(name, text));
    let result = outcome.unwrap_or_else(|_| panic!("the loader panicked on {case}"));
    match result {
        // Emitting is a pure function of the IR: an IR already emitted needs no second run
        // (most garbled and cut specs validate to the same few IRs, and emitting is the slow part).
        Ok(api) if !first_time(&api) => {}
        Ok(_) => {
            let emitted = std::panic::catch_unwind(|| {
                partnerstack_codegen::generate_sources(&[(name.to_string(), text.to_string())])
            })
            .unwrap_or_else(|_| panic!("emitting panicked on {case}"));
            if let Err(e) = emitted {
                panic!("{case} validated but did not emit: {e}");
            }
        }
        Err(diags) => {
            assert!(!diags.is_empty(), "{case}: error without diagnostics");
            let lines = yaml_lines(text);
            for d in &diags.0 {
                assert!(
                    d.loc.line >= 1 && d.loc.line <= lines,
                    "{case}: line {} outside the file ({lines} lines)",
                    d.loc.line
                );
            }
        }
    }
}

/// Whether this IR is seen for the first time in this test thread.
fn first_time(api: &partnerstack_codegen::ir::Api) -> bool {
    use std::hash::{Hash, Hasher};
    thread_local! {
        static SEEN: std::cell::RefCell<std::collections::HashSet<u64>> = Default::default();
    }
    let mut h = std::collections::hash_map::DefaultHasher::new();
    format!("{api:?}").hash(&mut h);
    let key = h.finish();
    SEEN.with(|seen| seen.borrow_mut().insert(key))
}

/// Lines as YAML counts them: `\r\n`, `\n` and a lone `\r` each end a line.
fn yaml_lines(text: &str) -> u32 {
    let breaks = text.replace("\r\n", "\n").matches(['\n', '\r']).count();
    breaks as u32 + 1
}

fn spec() -> String {
    std::fs::read_to_string(root().join("spec/partner.yaml")).unwrap()
}

#[test]
fn truncated_spec() {
    let text = spec();
    let cuts = (0..text.len())
        .step_by(59)
        .filter(|i| text.is_char_boundary(*i));
    for cut in cuts {
        must_not_panic(&format!("the spec cut at byte {cut}"), &text[..cut]);
    }
}

#[test]
fn garbled_spec() {
    let text = spec();
    let lines: Vec<&str> = text.lines().collect();
    let noise = [
        ":", "{", "}", "[", "]", "- ", "#", "&a ", "*a", "!t ", "|", ">", "'", "\"", "\t", "~",
        "é", "\u{0}", "{x}", "list<", "\\",
    ];
    let mut rng = Rng(0x5eed_cafe_f00d_1234);
    for case in 0..500 {
        let mut l: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
        for _ in 0..=rng.below(3) {
            let i = rng.below(l.len());
            match rng.below(6) {
                0 => {
                    l.remove(i);
                }
                1 => {
                    let dup = l[i].clone();
                    l.insert(i, dup);
                }
                2 => {
                    let j = rng.below(l.len());
                    l.swap(i, j);
                }
                3 => {
                    let at = rng.below(l[i].len() + 1);
                    let at = (0..=at)
                        .rev()
                        .find(|k| l[i].is_char_boundary(*k))
                        .unwrap_or(0);
                    l[i].insert_str(at, noise[rng.below(noise.len())]);
                }
                4 => l[i] = format!("  {}", l[i]),
                _ => l[i] = l[i].trim_start().to_string(),
            }
        }
        must_not_panic(&format!("garble case {case}"), &l.join("\n"));
    }
}

/// Inputs the fuzzer (`fuzz/`) found crashing, kept so they stay fixed.
#[test]
fn fuzzer_findings() {
    let found = crate::fixtures("fuzz");
    assert!(!found.is_empty());
    for (name, text) in found {
        must_not_panic(&name, &text);
    }
}

#[test]
fn arbitrary_bytes() {
    let mut rng = Rng(42);
    for case in 0..300 {
        let len = rng.below(400);
        let bytes: Vec<u8> = (0..len).map(|_| (rng.next() & 0x7f) as u8).collect();
        let text = String::from_utf8_lossy(&bytes);
        must_not_panic(&format!("random text {case}"), &text);
    }
}

/// Deep nesting is refused with a position, not a stack overflow: in a type expression, and in
/// the YAML itself.
#[test]
fn deep_nesting() {
    let header = "api: {name: x, title: X, doc: X., base_url: 'https://x.example', auth: bearer}\n";
    let deep_type = format!(
        "{header}types:\n  T:\n    doc: Deep.\n    alias: {}string{}\n",
        "list<".repeat(2000),
        ">".repeat(2000)
    );
    let diags = partnerstack_codegen::load("deep.yaml", &deep_type).unwrap_err();
    assert!(
        diags
            .to_string()
            .contains("deep.yaml:5:12: type `list<list<"),
        "{diags}"
    );
    assert!(diags.to_string().contains("nests more than 8"), "{diags}");
    let deep_yaml = format!("{header}types: {}{}\n", "[".repeat(5000), "]".repeat(5000));
    let outcome = std::panic::catch_unwind(|| partnerstack_codegen::load("deep.yaml", &deep_yaml));
    assert!(outcome.is_ok_and(|r| r.is_err()));
}

/// Every spec name the generator turns into an identifier yields one, or a diagnostic: names
/// made only of punctuation, keywords, digits and mixed case, everywhere a name is read.
#[test]
fn odd_names_everywhere() {
    let odd = [
        "---",
        "_",
        "__",
        "self",
        "Self",
        "super",
        "crate",
        "type",
        "mod",
        "fn",
        "1",
        "a b",
        "é",
        "new",
        "send",
        "extra",
        "Unknown",
        "clone",
        "request",
        "transport",
        "body",
        "r#x",
    ];
    for name in odd {
        let spec = format!(
            r#"api:
  name: fixture
  title: X
  doc: X.
  base_url: https://x.example
  auth: bearer
  pagination: {{limit: {{param: "{name}", min: 1, max: 9}}, after: "{name}a", before: "{name}b", cursor: "{name}"}}
types:
  "{name}":
    doc: X.
    enum: ["{name}", "x{name}"]
resources:
  "{name}":
    doc: X.
    types:
      T:
        doc: X.
        fields:
          "{name}": {{type: string, doc: X.}}
    operations:
      "{name}":
        doc: X.
        method: POST
        path: "/x/{{p}}"
        path_params:
          p: {{type: string, rust_name: "{name}", doc: X.}}
        query:
          "{name}": {{type: string, doc: X.}}
        body: T
        request_name: "{name}"
        response: {{page: T}}
"#
        );
        must_not_panic(&format!("the name {name:?}"), &spec);
    }
}

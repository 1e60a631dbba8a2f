//! One page of a cursor-paginated list.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::request::PageRules;

/// One page of a list, as PartnerStack returned it.
///
/// Items come in the API's order (newest first unless an `order_by` says otherwise). To fetch
/// the next page yourself, pass the last item's key to the list request's forward cursor
/// setter (`starting_after` on PartnerStack's APIs); or let `.pages()` / `.items()` on the list
/// request do it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items on this page.
    pub items: Vec<T>,
    /// Whether more items exist in the direction of travel.
    pub has_more: bool,
    /// The total number of matching items, on the lists that report it.
    pub total: Option<i64>,
}

impl<T> Page<T> {
    /// A page with these items, for tests of code that takes pages (the API's own pages come
    /// from `send()` and `.pages()`).
    ///
    /// ```
    /// use partnerstack::Page;
    ///
    /// let page = Page::new(vec!["rwrd_1", "rwrd_2"], true, Some(40));
    /// assert!(page.has_more);
    /// let keys: Vec<_> = page.into_iter().collect();
    /// assert_eq!(keys, ["rwrd_1", "rwrd_2"]);
    /// ```
    pub fn new(items: Vec<T>, has_more: bool, total: Option<i64>) -> Self {
        Page {
            items,
            has_more,
            total,
        }
    }
}

impl<T> IntoIterator for Page<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// Decodes the page object of a list response (inside the envelope's `data`), whose keys the
/// API's spec names ([`PageRules`]: `items`, `has_more` and `total` for PartnerStack). Other
/// keys are skipped; a missing total is `None`.
pub(crate) struct PageSeed<T> {
    rules: &'static PageRules,
    /// How many items to make room for at once, when known (from a scan of the same body).
    capacity: usize,
    item: PhantomData<fn() -> T>,
}

impl<T> PageSeed<T> {
    pub(crate) fn new(rules: &'static PageRules) -> Self {
        PageSeed {
            rules,
            capacity: 0,
            item: PhantomData,
        }
    }

    /// Makes room for `items` items at once (at most [`MAX_ROOM`]) instead of growing the
    /// list as items come: no copies of the items decoded so far, and no moment with two
    /// lists in memory.
    pub(crate) fn with_capacity(mut self, items: usize) -> Self {
        self.capacity = items.min(MAX_ROOM);
        self
    }
}

/// The most items a page makes room for before decoding them (more grow the list as usual).
const MAX_ROOM: usize = 1024;

impl<T> Clone for PageSeed<T> {
    fn clone(&self) -> Self {
        PageSeed::new(self.rules).with_capacity(self.capacity)
    }
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for PageSeed<T> {
    type Value = Page<T>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Page<T>, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for PageSeed<T> {
    type Value = Page<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "a page object with `{}` and `{}`",
            self.rules.items_key, self.rules.has_more_key
        )
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Page<T>, A::Error> {
        let rules = self.rules;
        let (mut items, mut has_more, mut total) = (None, None, None);
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == rules.items_key && items.is_none() {
                items = Some(map.next_value_seed(Items::<T>(self.capacity, PhantomData))?);
            } else if key == rules.has_more_key && has_more.is_none() {
                has_more = Some(map.next_value::<bool>()?);
            } else if key == rules.total_key && total.is_none() {
                total = map.next_value::<Option<i64>>()?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(Page {
            items: items.ok_or_else(|| de::Error::missing_field(rules.items_key))?,
            has_more: has_more.ok_or_else(|| de::Error::missing_field(rules.has_more_key))?,
            total,
        })
    }
}

/// A page's item list, decoded into a list with room for `.0` items from the start.
struct Items<T>(usize, PhantomData<fn() -> T>);

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for Items<T> {
    type Value = Vec<T>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Vec<T>, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for Items<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut items = Vec::with_capacity(self.0);
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(items)
    }
}

/// What a quick pass over a page's JSON found, without decoding its items.
#[derive(Debug, Default)]
pub(crate) struct Scanned {
    /// Where the next page starts: the edge item's cursor (the last item's, or the first's
    /// walking backward), when the page says more items follow.
    pub next: Option<String>,
    /// A fingerprint of each item's cursor, for the walk's loop guard.
    pub prints: Vec<u64>,
}

/// Finds where the next page starts without decoding the items: `has_more` and every item's
/// cursor, skipping everything else. A walk sends the next page's request from this while the
/// page itself decodes, so the server's time overlaps the decoding.
///
/// Lenient by design: a value of an unexpected type makes it find nothing rather than fail,
/// and only broken JSON is an error (which is how a page cut short is recognised and
/// retried). The decoded page has the last word: the walk uses a page requested from a scan
/// only if the decoded page leads to the same cursor.
#[derive(Clone, Copy)]
pub(crate) struct PageScan<'a> {
    pub rules: &'static PageRules,
    pub backward: bool,
    pub fingerprint: &'a (dyn Fn(&str) -> u64 + Sync),
}

/// Visitor methods for the JSON values a scan does not look into: each answers `$nothing`
/// (arrays and objects are skipped whole by the visitors that do not look into them).
macro_rules! finds_nothing_in_scalars {
    ($nothing:expr) => {
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok($nothing)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok($nothing)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok($nothing)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok($nothing)
        }
        fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
            Ok($nothing)
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok($nothing)
        }
    };
}

impl<'de> DeserializeSeed<'de> for PageScan<'_> {
    type Value = Scanned;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Scanned, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for PageScan<'_> {
    type Value = Scanned;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    finds_nothing_in_scalars!(Scanned::default());

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Scanned, A::Error> {
        IgnoredAny.visit_seq(seq).map(|_| Scanned::default())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scanned, A::Error> {
        let rules = self.rules;
        // The first of each key counts, as in the page's decoding (`PageSeed`).
        let (mut items, mut has_more) = (None, None);
        let keys = [rules.items_key, rules.has_more_key];
        while let Some(key) = map.next_key_seed(KeyScan(&keys))? {
            match key {
                Some(0) if items.is_none() => items = Some(map.next_value_seed(ItemsScan(self))?),
                Some(1) if has_more.is_none() => has_more = Some(map.next_value_seed(LeafScan)?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let (edge, prints) = items.unwrap_or_default();
        let more = matches!(has_more, Some(Leaf::Bool(true)));
        Ok(Scanned {
            next: edge.filter(|_| more).map(std::borrow::Cow::into_owned),
            prints,
        })
    }
}

/// The item list: the edge item's cursor and every item's fingerprint.
struct ItemsScan<'a>(PageScan<'a>);

type ItemsFound<'de> = (Option<std::borrow::Cow<'de, str>>, Vec<u64>);

impl<'de> DeserializeSeed<'de> for ItemsScan<'_> {
    type Value = ItemsFound<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ItemsScan<'_> {
    type Value = ItemsFound<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    finds_nothing_in_scalars!((None, Vec::new()));

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        IgnoredAny.visit_map(map).map(|_| (None, Vec::new()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let scan = self.0;
        let mut prints = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        let mut edge = None;
        let mut first = true;
        while let Some(key) = seq.next_element_seed(ItemScan(scan.rules.cursor_key))? {
            if let Some(key) = &key {
                prints.push((scan.fingerprint)(key));
            }
            // An item without a cursor leaves no edge: nothing to start the next page from.
            if first || !scan.backward {
                edge = key;
            }
            first = false;
        }
        Ok((edge, prints))
    }
}

/// One item: the string under the cursor's key, if it is an object that has one.
struct ItemScan(&'static str);

impl<'de> DeserializeSeed<'de> for ItemScan {
    type Value = Option<std::borrow::Cow<'de, str>>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ItemScan {
    type Value = Option<std::borrow::Cow<'de, str>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    finds_nothing_in_scalars!(None);

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        IgnoredAny.visit_seq(seq).map(|_| None)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut cursor = None;
        while let Some(key) = map.next_key_seed(KeyScan(&[self.0]))? {
            match key {
                Some(_) if cursor.is_none() => {
                    cursor = Some(match map.next_value_seed(LeafScan)? {
                        Leaf::Str(s) => Some(s),
                        _ => None,
                    });
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(cursor.flatten())
    }
}

/// An object key: its index among the keys looked for, if it is one of them. Compared as
/// bytes, which spares checking that every key skipped is valid UTF-8 (`serde_json` hands a
/// key over as bytes when asked, escapes resolved).
struct KeyScan<'a>(&'a [&'static str]);

impl<'de> DeserializeSeed<'de> for KeyScan<'_> {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_bytes(self)
    }
}

impl<'de> Visitor<'de> for KeyScan<'_> {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_bytes<E: de::Error>(self, key: &[u8]) -> Result<Self::Value, E> {
        Ok(self.0.iter().position(|k| k.as_bytes() == key))
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
        self.visit_bytes(key.as_bytes())
    }
}

/// A string or a boolean; anything else is skipped.
enum Leaf<'de> {
    Str(std::borrow::Cow<'de, str>),
    Bool(bool),
    Other,
}

struct LeafScan;

impl<'de> DeserializeSeed<'de> for LeafScan {
    type Value = Leaf<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for LeafScan {
    type Value = Leaf<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Leaf<'de>, E> {
        Ok(Leaf::Bool(b))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Leaf<'de>, E> {
        Ok(Leaf::Other)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Leaf<'de>, E> {
        Ok(Leaf::Other)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Leaf<'de>, E> {
        Ok(Leaf::Other)
    }
    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Leaf<'de>, E> {
        Ok(Leaf::Str(std::borrow::Cow::Borrowed(s)))
    }
    fn visit_str<E>(self, s: &str) -> Result<Leaf<'de>, E> {
        Ok(Leaf::Str(std::borrow::Cow::Owned(s.to_owned())))
    }
    fn visit_unit<E>(self) -> Result<Leaf<'de>, E> {
        Ok(Leaf::Other)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Leaf<'de>, A::Error> {
        IgnoredAny.visit_seq(seq).map(|_| Leaf::Other)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Leaf<'de>, A::Error> {
        IgnoredAny.visit_map(map).map(|_| Leaf::Other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static RULES: PageRules = PageRules {
        limit_param: "limit",
        limit_min: 1,
        limit_max: 250,
        after_param: "starting_after",
        before_param: "ending_before",
        items_key: "items",
        has_more_key: "has_more",
        total_key: "total",
        cursor_key: "key",
    };

    /// Scans `json`, with each key's fingerprint its length (enough to count and tell them
    /// apart here).
    fn scan(json: &str, backward: bool) -> serde_json::Result<Scanned> {
        let fingerprint = |key: &str| key.len() as u64;
        let scan = PageScan {
            rules: &RULES,
            backward,
            fingerprint: &fingerprint,
        };
        let mut de = serde_json::Deserializer::from_str(json);
        let scanned = scan.deserialize(&mut de)?;
        de.end()?;
        Ok(scanned)
    }

    #[test]
    fn the_next_page_starts_at_the_edge_item_when_more_follow() {
        let page = r#"{"total": 3, "items": [{"key": "a", "n": {"key": "no"}}, {"x": [1, "key"], "key": "bb"},
            {"key": "ccc", "key": "dup"}], "has_more": true, "extra": {"items": []}}"#;
        let forward = scan(page, false).unwrap();
        assert_eq!(
            forward.next.as_deref(),
            Some("ccc"),
            "the first of repeated keys"
        );
        assert_eq!(
            forward.prints,
            [1, 2, 3],
            "one per item, nested keys ignored"
        );
        assert_eq!(scan(page, true).unwrap().next.as_deref(), Some("a"));

        let last = r#"{"has_more": false, "items": [{"key": "a"}]}"#;
        assert_eq!(
            scan(last, false).unwrap().next,
            None,
            "no more: no next page"
        );
        assert_eq!(
            scan(r#"{"has_more": true, "items": []}"#, false)
                .unwrap()
                .next,
            None
        );
        let escaped = r#"{"has_more": true, "items": [{"k\u0065y": "r\u00e9\n"}]}"#;
        assert_eq!(scan(escaped, false).unwrap().next.as_deref(), Some("ré\n"));
    }

    #[test]
    fn anything_unexpected_finds_nothing_rather_than_failing() {
        for odd in [
            r#"null"#,
            r#"[1, 2]"#,
            r#""page""#,
            r#"{"has_more": "yes", "items": [{"key": "a"}]}"#,
            r#"{"has_more": true, "items": {"key": "a"}}"#,
            r#"{"has_more": true, "items": [{"key": "a"}, {"key": 7}]}"#,
            r#"{"has_more": true, "items": [{"key": "a"}, ["key", "b"]]}"#,
            r#"{"has_more": true, "items": [{"key": "a"}, {"id": "b"}]}"#,
            r#"{"has_more": true}"#,
        ] {
            assert_eq!(scan(odd, false).unwrap().next, None, "{odd}");
        }
    }

    #[test]
    fn a_scanned_page_decodes_into_a_list_made_to_size_within_a_bound() {
        let decode = |seed: PageSeed<u32>, json: &str| {
            seed.deserialize(&mut serde_json::Deserializer::from_str(json))
                .unwrap()
        };
        let json = r#"{"items": [1, 2, 3], "has_more": false}"#;
        let page = decode(PageSeed::new(&RULES).with_capacity(3), json);
        assert_eq!(
            (page.items.as_slice(), page.items.capacity()),
            (&[1, 2, 3][..], 3)
        );
        // A count is only a hint: too small grows, too large is bounded.
        assert_eq!(
            decode(PageSeed::new(&RULES).with_capacity(1), json).items,
            [1, 2, 3]
        );
        let huge = decode(PageSeed::new(&RULES).with_capacity(usize::MAX), json);
        assert_eq!(huge.items, [1, 2, 3]);
        assert!(huge.items.capacity() <= MAX_ROOM);
    }

    #[test]
    fn only_broken_json_is_an_error_and_a_cut_is_recognised() {
        let cut = r#"{"has_more": true, "items": [{"key": "a"}, {"ke"#;
        assert!(scan(cut, false).unwrap_err().is_eof());
        let broken = r#"{"has_more": true, "items": [{"key": "a"},, ]}"#;
        let error = scan(broken, false).unwrap_err();
        assert!(!error.is_eof() && error.is_syntax(), "{error}");
    }
}

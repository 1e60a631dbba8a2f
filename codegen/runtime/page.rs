//! One page of a cursor-paginated list.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;

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
    item: PhantomData<fn() -> T>,
}

impl<T> PageSeed<T> {
    pub(crate) fn new(rules: &'static PageRules) -> Self {
        PageSeed {
            rules,
            item: PhantomData,
        }
    }
}

impl<T> Clone for PageSeed<T> {
    fn clone(&self) -> Self {
        PageSeed::new(self.rules)
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
                items = Some(map.next_value::<Vec<T>>()?);
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

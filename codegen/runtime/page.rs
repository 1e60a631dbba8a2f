//! One page of a cursor-paginated list.

/// One page of a list, as PartnerStack returned it.
///
/// Items come in the API's order (newest first unless an `order_by` says otherwise). To fetch
/// the next page yourself, pass the last item's key as `starting_after`; or let
/// `.pages()` / `.items()` on the list request do it.
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

impl<T> IntoIterator for Page<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// The `data` of a list response.
#[derive(serde::Deserialize)]
pub(crate) struct PageData<T> {
    items: Vec<T>,
    has_more: bool,
    #[serde(default)]
    total: Option<i64>,
}

impl<T> From<PageData<T>> for Page<T> {
    fn from(d: PageData<T>) -> Self {
        Page {
            items: d.items,
            has_more: d.has_more,
            total: d.total,
        }
    }
}

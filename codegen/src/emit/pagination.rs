//! Pagination: the API's page rules, and the page-size, cursor and streaming methods every list
//! request has.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{doc, ident, link};
use crate::ir::{Api, PageItem, Pagination};

/// `static PAGE_RULES`, emitted once per API into `endpoints/mod.rs`.
pub fn page_rules(p: &Pagination) -> TokenStream {
    let (limit, min, max, after, before) = (
        &p.limit.wire,
        p.limit_min,
        p.limit_max,
        &p.after.wire,
        &p.before.wire,
    );
    let (items, has_more, total, cursor) =
        (&p.items_key, &p.has_more_key, &p.total_key, &p.cursor_field);
    quote! {
        /// How this API pages its lists, from the spec.
        pub(crate) static PAGE_RULES: crate::request::PageRules = crate::request::PageRules {
            limit_param: #limit,
            limit_min: #min,
            limit_max: #max,
            after_param: #after,
            before_param: #before,
            items_key: #items,
            has_more_key: #has_more,
            total_key: #total,
            cursor_key: #cursor,
        };
    }
}

/// Page size and cursor setters, plus `pages()` and `items()`, for a list of `item`.
pub fn list_methods(api: &Api, item: &PageItem) -> TokenStream {
    let Some(p) = &api.pagination else {
        return TokenStream::new();
    };
    let partitioned = items_partitioned(item);
    let cursor = ident(&item.cursor);
    let item = ident(&item.ty);
    let (limit, after, before) = (
        ident(&p.limit.setter),
        ident(&p.after.setter),
        ident(&p.before.setter),
    );
    let limit_doc = doc(&format!(
        "Items per page, from {} to {}. Checked before sending: a value outside the range is an \
         [`Error::InvalidArgument`](crate::Error::InvalidArgument).",
        p.limit_min, p.limit_max
    ));
    let after_doc = doc(&format!(
        "Start after the item with this key and walk forward (`{}`). Cannot be combined with \
         {}.",
        p.after.wire,
        link(&p.before.setter, &format!("Self::{}", p.before.setter))
    ));
    let before_doc = doc(&format!(
        "Start before the item with this key and walk backward (`{}`): `pages()` and `items()` \
         then follow the first key of each page. Cannot be combined with {}.",
        p.before.wire,
        link(&p.after.setter, &format!("Self::{}", p.after.setter))
    ));
    quote! {
        #limit_doc
        pub fn #limit(mut self, #limit: u32) -> Self {
            self.page.limit = Some(#limit);
            self
        }

        #after_doc
        pub fn #after(mut self, key: impl Into<String>) -> Self {
            self.page.after = Some(key.into());
            self
        }

        #before_doc
        pub fn #before(mut self, key: impl Into<String>) -> Self {
            self.page.before = Some(key.into());
            self
        }

        /// Every page, fetched as the stream is polled; see [`Pages`](crate::Pages) for when
        /// it stops.
        pub fn pages(self) -> crate::Pages<models::#item> {
            crate::Pages::new(
                self.transport,
                self.request,
                &super::PAGE_RULES,
                self.page,
                |item: &models::#item| Some(item.#cursor.as_str().into()),
            )
        }

        /// Every item of every page, in order; memory holds about two pages at a time (see
        /// [`Pages`](crate::Pages)).
        pub fn items(self) -> crate::Items<models::#item> {
            self.pages().items()
        }

        /// Every page, as [`pages`](Self::pages) walks them (prefetch, retries, deadline,
        /// loop guard, `max_pages`), each item kept as the JSON text the server sent
        /// ([`JsonItem`](crate::JsonItem)) instead of decoded: for passing items on
        /// unread, at a fraction of the cost. Only each item's cursor is read; an item
        /// without one ends the walk with [`Error::Decode`](crate::Error::Decode).
        pub fn json_pages(self) -> crate::Pages<crate::JsonItem> {
            crate::Pages::new(
                self.transport,
                self.request,
                &super::PAGE_RULES,
                self.page,
                |item: &crate::JsonItem| item.field_str(super::PAGE_RULES.cursor_key),
            )
        }

        /// Every item of every page, in order, as the JSON text the server sent; see
        /// [`json_pages`](Self::json_pages).
        pub fn json_items(self) -> crate::Items<crate::JsonItem> {
            self.json_pages().items()
        }

        #partitioned
    }
}

/// `items_partitioned(n)`, for a list whose spec declares a creation-time range filter.
fn items_partitioned(item: &PageItem) -> TokenStream {
    let Some(range) = &item.created else {
        return TokenStream::new();
    };
    let (ty, cursor, field) = (ident(&item.ty), ident(&item.cursor), ident(&range.field));
    let (min, max) = (&range.min, &range.max);
    let sort = match &range.sort {
        None => quote!(None),
        Some(s) => {
            let param = &s.param;
            let newest = option_str(s.newest_first.as_deref());
            let oldest = option_str(s.oldest_first.as_deref());
            quote!(Some(crate::partition::CreatedSort {
                param: #param,
                newest_first: #newest,
                oldest_first: #oldest,
            }))
        }
    };
    let summary = doc(&format!(
        "Every item, the creation-time range (`{min}` to `{max}`, or the whole list) walked as \
         up to `windows` disjoint time windows at once: many times faster than \
         [`items`](Self::items) against a distant server, each item once. **Items of one \
         window come newest first; windows interleave**, so the stream as a whole is in no \
         particular order. A window that turns out to hold many pages is split again. \
         `windows` is 1 to 64 (another number fails before anything is sent). Fails \
         with [`Error::PartitionedWalkStopped`](crate::Error::PartitionedWalkStopped), which \
         lists the windows left to walk. See [`PartitionedItems`](crate::PartitionedItems)."
    ));
    let json_name = &range.json_name;
    let range_static = quote! {
        static RANGE: crate::partition::CreatedRange = crate::partition::CreatedRange {
            field: #json_name,
            min_param: #min,
            max_param: #max,
            sort: #sort,
        };
    };
    quote! {
        #summary
        pub fn items_partitioned(self, windows: usize) -> crate::PartitionedItems<models::#ty> {
            #range_static
            crate::PartitionedItems::new(
                self.transport,
                self.request,
                &super::PAGE_RULES,
                self.page,
                |item: &models::#ty| Some(item.#cursor.as_str().into()),
                |item: &models::#ty| Some(item.#field),
                &RANGE,
                windows,
            )
        }

        /// Every item, walked in time windows as [`items_partitioned`](Self::items_partitioned)
        /// walks them, each kept as the JSON text the server sent
        /// ([`JsonItem`](crate::JsonItem)) instead of decoded. Only each item's cursor and
        /// creation time are read; an item without them stops the walk with a decode error.
        pub fn json_items_partitioned(
            self,
            windows: usize,
        ) -> crate::PartitionedItems<crate::JsonItem> {
            #range_static
            crate::PartitionedItems::new(
                self.transport,
                self.request,
                &super::PAGE_RULES,
                self.page,
                |item: &crate::JsonItem| item.field_str(super::PAGE_RULES.cursor_key),
                |item: &crate::JsonItem| item.field::<crate::Timestamp>(RANGE.field),
                &RANGE,
                windows,
            )
        }
    }
}

fn option_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    }
}

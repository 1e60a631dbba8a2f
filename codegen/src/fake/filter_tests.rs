//! The generated test of every list filter: one `#[tokio::test]` per filter of every list
//! (and per sort field), each calling the hand-written checker in `fake/tests/filters.rs`,
//! which walks the list against a real fake server and checks every item with its own
//! predicate, independent of the fake's.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::{Api, FilterOp, NamedKind, QueryFilter, Response, Ty};

/// The test file's tokens for `apis`, in module and spec order.
pub(super) fn file(apis: &[&Api]) -> TokenStream {
    let mut tests = Vec::new();
    for api in apis {
        let module = api.module.as_str();
        for op in api.resources.iter().flat_map(|r| &r.operations) {
            if !matches!(op.response, Response::Page(_)) || !op.path_params.is_empty() {
                continue;
            }
            let path = &op.path_template;
            for p in &op.query {
                let name = &p.wire;
                let base = format!("{module}_{}_{}", op.id.replace('.', "_"), name);
                match &p.filter {
                    Some(QueryFilter::Field {
                        path: field,
                        op: fop,
                    }) => {
                        let test = format_ident!("{}", sanitize(&base));
                        let op_tokens = match fop {
                            FilterOp::Equals => quote!(Op::Equals),
                            FilterOp::OneOf => quote!(Op::OneOf),
                            FilterOp::AtLeast => quote!(Op::AtLeast),
                            FilterOp::AtMost => quote!(Op::AtMost),
                            FilterOp::Contains => quote!(Op::Contains),
                        };
                        let enum_param = matches!(
                            &p.ty,
                            Ty::Named(_, NamedKind::Enum) | Ty::List(_)
                                if matches!(inner(&p.ty), Ty::Named(_, NamedKind::Enum))
                        );
                        tests.push(quote! {
                            #[tokio::test]
                            async fn #test() {
                                check(Case {
                                    api: #module,
                                    path: #path,
                                    param: #name,
                                    field: &[#(#field),*],
                                    op: #op_tokens,
                                    enum_param: #enum_param,
                                })
                                .await;
                            }
                        });
                    }
                    Some(QueryFilter::Sort { fields }) => {
                        for f in fields {
                            let test = format_ident!("{}", sanitize(&format!("{base}_by_{f}")));
                            tests.push(quote! {
                                #[tokio::test]
                                async fn #test() {
                                    check_sort(#module, #path, #name, #f).await;
                                }
                            });
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    quote! {
        //! Every filter of every list of every API, checked against a running fake (see
        //! `fake/tests/filters.rs`): emitted from the spec's `filter:` declarations.
        use super::{Case, Op, check, check_sort};
        #(#tests)*
    }
}

fn inner(t: &Ty) -> &Ty {
    match t {
        Ty::List(i) => i,
        other => other,
    }
}

/// A test function name: lowercase ASCII letters, digits and `_`.
fn sanitize(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}

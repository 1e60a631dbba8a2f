//! Every operation of the reference's endpoint index (Part C.0, V1-V77) exists in the specs
//! with its method and exact path, and nothing else does.

use std::collections::BTreeSet;

use crate::root;

/// The reference's index: (number, method, path). Paths are the reference's, `{}` names
/// included, so a renamed parameter fails this test too.
const INDEX: &[(&str, &str, &str)] = &[
    ("V1", "GET", "/api/v2/partnerships"),
    ("V2", "POST", "/api/v2/partnerships"),
    ("V3", "PATCH", "/api/v2/partnerships"),
    ("V4", "GET", "/api/v2/partnerships/{unique_identifier}"),
    ("V5", "PATCH", "/api/v2/partnerships/{partnership_key}"),
    ("V6", "DELETE", "/api/v2/partnerships/{partnership_key}"),
    ("V7", "PATCH", "/api/v2/partnerships/{partnership_key}/tags"),
    ("V8", "POST", "/api/v2/partnerships/{partner_key}/member"),
    ("V9", "GET", "/api/v2/partner-team/{team_key}"),
    ("V10", "GET", "/api/v2/links/{partnership_identifier}"),
    ("V11", "GET", "/api/v2/customers"),
    ("V12", "POST", "/api/v2/customers"),
    ("V13", "GET", "/api/v2/customers/{customer_key}"),
    ("V14", "PATCH", "/api/v2/customers/{customer_key}"),
    ("V15", "DELETE", "/api/v2/customers/{customer_key}"),
    ("V16", "GET", "/api/v2/transactions"),
    ("V17", "POST", "/api/v2/transactions"),
    ("V18", "DELETE", "/api/v2/transactions/{transaction_key}"),
    ("V19", "GET", "/api/v2/rewards"),
    ("V20", "POST", "/api/v2/rewards"),
    ("V21", "GET", "/api/v2/actions"),
    ("V22", "POST", "/api/v2/actions"),
    ("V23", "DELETE", "/api/v2/actions/{action_key}"),
    ("V24", "GET", "/api/v2/deals"),
    ("V25", "POST", "/api/v2/deals"),
    ("V26", "GET", "/api/v2/deals/form-templates"),
    ("V27", "GET", "/api/v2/deals/{deal_key}"),
    ("V28", "PATCH", "/api/v2/deals/{deal_key}"),
    ("V29", "DELETE", "/api/v2/deals/{deal_key}"),
    ("V30", "POST", "/api/v2/deals/{deal_key}/convert"),
    ("V31", "GET", "/api/v2/deals/{deal_key}/files"),
    ("V32", "GET", "/api/deals/{deal_key}/file/{file_key}"),
    (
        "V33",
        "POST",
        "/api/deals/{deal_key}/assignment/{partnership_key}/{stack_key}",
    ),
    ("V34", "GET", "/api/v2/leads"),
    ("V35", "POST", "/api/v2/leads"),
    ("V36", "GET", "/api/v2/leads/form-templates"),
    ("V37", "GET", "/api/v2/leads/{lead_key}"),
    ("V38", "PATCH", "/api/v2/leads/{lead_key}"),
    ("V39", "DELETE", "/api/v2/leads/{lead_key}"),
    ("V40", "POST", "/api/v2/leads/{lead_key}/convert"),
    ("V41", "GET", "/api/v2/groups"),
    ("V42", "GET", "/api/v2/form-templates"),
    ("V43", "GET", "/api/v2/applications"),
    ("V44", "POST", "/api/v2/applications"),
    ("V45", "PATCH", "/api/v2/applications/decision"),
    (
        "V46",
        "PATCH",
        "/api/v2/applications/{application_key}/decision",
    ),
    ("V47", "GET", "/api/v2/webhooks"),
    ("V48", "POST", "/api/v2/webhooks"),
    ("V49", "GET", "/api/v2/webhooks/{webhook_key}"),
    ("V50", "PATCH", "/api/v2/webhooks/{webhook_key}"),
    ("V51", "DELETE", "/api/v2/webhooks/{webhook_key}"),
    ("V52", "GET", "/api/v2/tiers"),
    ("V53", "POST", "/api/v2/tiers"),
    ("V54", "GET", "/api/v2/tiers/{tier_key}"),
    ("V55", "PATCH", "/api/v2/tiers/{tier_key}"),
    ("V56", "GET", "/api/v2/tiers/collection"),
    ("V57", "POST", "/api/v2/tiers/collection"),
    ("V58", "GET", "/api/v2/tiers/collection/{collection_key}"),
    ("V59", "PATCH", "/api/v2/tiers/collection/{collection_key}"),
    ("V60", "GET", "/api/v2/products"),
    ("V61", "POST", "/api/v2/products"),
    ("V62", "GET", "/api/v2/products/{unique_identifier}"),
    ("V63", "PATCH", "/api/v2/products/{unique_identifier}"),
    ("V64", "DELETE", "/api/v2/products/{unique_identifier}"),
    ("V65", "GET", "/api/v2/product-book"),
    ("V66", "POST", "/api/v2/product-book"),
    ("V67", "GET", "/api/v2/product-book/{unique_identifier}"),
    ("V68", "PATCH", "/api/v2/product-book/{unique_identifier}"),
    ("V69", "DELETE", "/api/v2/product-book/{unique_identifier}"),
    ("V70", "GET", "/api/v2/vendor_report_configuration/list"),
    (
        "V71",
        "GET",
        "/api/v2/vendor_report_configuration/{vendor_report_configuration_key}",
    ),
    (
        "V72",
        "POST",
        "/api/v2/vendor_report_export/{vendor_report_configuration_key}",
    ),
    (
        "V73",
        "GET",
        "/api/v2/vendor_report_export/export/{vendor_report_export_key}",
    ),
    ("V74", "POST", "/api/v2/exports/base-records"),
    ("V75", "GET", "/api/v2/sales-cycles/{object_type}/stages"),
    ("V76", "GET", "/api/disti/listings/categories"),
];

/// The Partner API's index (Part B, P1-P8).
const PARTNER_INDEX: &[(&str, &str, &str)] = &[
    ("P1", "GET", "/api/v2/actions"),
    ("P2", "GET", "/api/v2/customers"),
    ("P3", "GET", "/api/v2/marketplace/programs"),
    ("P4", "GET", "/api/v2/marketplace/programs/{company_key}"),
    ("P5", "GET", "/api/v2/partnerships"),
    ("P6", "GET", "/api/v2/payouts"),
    ("P7", "GET", "/api/v2/rewards"),
    ("P8", "GET", "/api/v2/transactions"),
];

fn operations(file: &str) -> (partnerstack_codegen::ir::Api, BTreeSet<(String, String)>) {
    let text = std::fs::read_to_string(root().join("spec").join(file)).unwrap();
    let api = partnerstack_codegen::load(&format!("spec/{file}"), &text).unwrap();
    let ops = api
        .resources
        .iter()
        .flat_map(|r| &r.operations)
        .map(|op| {
            (
                op.http_method.as_str().to_string(),
                op.path_template.clone(),
            )
        })
        .collect();
    (api, ops)
}

fn assert_same(file: &str, index: &[(&str, &str, &str)]) {
    let (api, ops) = operations(file);
    let wanted: BTreeSet<(String, String)> = index
        .iter()
        .map(|(_, m, p)| (m.to_string(), p.to_string()))
        .collect();
    let missing: Vec<_> = index
        .iter()
        .filter(|(_, m, p)| !ops.contains(&(m.to_string(), p.to_string())))
        .collect();
    let extra: Vec<_> = ops.difference(&wanted).collect();
    assert!(
        missing.is_empty(),
        "{file}: operations of the index missing from the spec: {missing:?}"
    );
    assert!(
        extra.is_empty(),
        "{file}: operations not in the index: {extra:?}"
    );
    let count: usize = api.resources.iter().map(|r| r.operations.len()).sum();
    assert_eq!(count, index.len(), "{file}: one operation per index entry");
}

#[test]
fn vendor_spec_has_every_operation_of_the_index() {
    assert_eq!(INDEX.len(), 76);
    assert_same("vendor.yaml", INDEX);
}

#[test]
fn partner_spec_has_every_operation_of_the_index() {
    assert_same("partner.yaml", PARTNER_INDEX);
}

#[test]
fn conversion_spec_is_the_s2s_call_on_its_own_host() {
    let (api, ops) = operations("conversion.yaml");
    assert_eq!(api.base_url, "https://partnerlinks.io");
    assert_eq!(
        ops,
        BTreeSet::from([("POST".to_string(), "/conversion/xid".to_string())])
    );
}

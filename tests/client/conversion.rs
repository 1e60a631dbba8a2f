//! The conversion call: its own host, its own Bearer tracking token, and a 200 with an empty
//! body that means success.

use partnerstack::conversion::{Client, models::Conversion};
use serde_json::json;

use crate::support::{Reply, Server};

fn client(server: &Server) -> Client {
    Client::builder()
        .tracking_token("trk_live_abc")
        .base_url(&server.url)
        .build()
        .unwrap()
}

#[tokio::test]
async fn an_empty_200_is_success() {
    let server = Server::start(|_| Reply::raw(200, "text/plain", "")).await;
    let conversion = Conversion::builder()
        .xid("xid_f00d")
        .customer_key("acme-user-81723")
        .build()
        .email("jane@example.com")
        .sub_ids(["spring", "banner-2"]);
    client(&server)
        .conversions()
        .create(conversion)
        .send()
        .await
        .unwrap();
    let seen = &server.requests()[0];
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str()),
        ("POST", "/conversion/xid")
    );
    assert_eq!(seen.header("authorization"), Some("Bearer trk_live_abc"));
    assert_eq!(
        seen.json(),
        json!({"xid": "xid_f00d", "customer_key": "acme-user-81723", "email": "jane@example.com", "sub_ids": ["spring", "banner-2"]})
    );
}

#[tokio::test]
async fn an_error_status_is_still_an_error() {
    let server = Server::start(|_| Reply::raw(401, "text/plain", "invalid token")).await;
    let err = client(&server)
        .conversions()
        .create(Conversion::builder().xid("xid").customer_key("c").build())
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(err.request().unwrap().operation, "conversions.create");
}

#[test]
fn the_default_host_is_partnerlinks() {
    assert_eq!(Client::DEFAULT_BASE_URL, "https://partnerlinks.io");
}

//! PartnerStack never redirects, so the client follows no redirect: a 3xx is an error naming
//! where it pointed, is not retried, and nothing (key, body) is sent to the new location.

use partnerstack::Error;
use serde_json::json;

use crate::support::{Reply, Server, partner, vendor};

#[tokio::test]
async fn a_redirect_is_an_error_and_is_not_followed() {
    let elsewhere = Server::start(|_| Reply::json(200, json!({"message": "stolen"}))).await;
    let target = format!("{}/steal?email=jane.doe%40example.com", elsewhere.url);
    for status in [301, 302, 303, 307, 308] {
        let location = target.clone();
        let server = Server::start(move |_| {
            Reply::raw(status, "text/plain", "moved").header("location", location.clone())
        })
        .await;
        let get = partner(&server).rewards().list().send().await.unwrap_err();
        let body = partnerstack::vendor::models::CustomerCreate::builder()
            .email("a@b.co")
            .partner_key("gstest")
            .build();
        let post = vendor(&server)
            .customers()
            .create(body)
            .send()
            .await
            .unwrap_err();
        for err in [get, post] {
            let Error::Redirect {
                status: got,
                location,
                ..
            } = &err
            else {
                panic!("{status}: {err:?}")
            };
            assert_eq!(got.as_u16(), status);
            assert_eq!(
                location.as_deref(),
                Some(format!("{}/steal?…", elsewhere.url).as_str())
            );
            assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
            assert!(!err.is_retryable());
            assert!(!format!("{err} {err:?}").contains("jane"), "{err}");
            assert!(err.to_string().contains("not followed"), "{err}");
        }
        assert_eq!(
            server.requests().len(),
            2,
            "{status}: each sent once, not retried"
        );
    }
    assert!(
        elsewhere.requests().is_empty(),
        "nothing reached the new location"
    );
}

#[tokio::test]
async fn a_redirect_without_location_or_with_a_relative_one() {
    let server = Server::start(|seen| match seen.path.as_str() {
        "/api/v2/rewards" => Reply::raw(302, "text/plain", ""),
        _ => Reply::raw(301, "text/plain", "").header("location", "../v3/payouts?key=cus_1"),
    })
    .await;
    let err = partner(&server).rewards().list().send().await.unwrap_err();
    assert!(
        matches!(&err, Error::Redirect { location: None, .. }),
        "{err:?}"
    );
    let err = partner(&server).payouts().list().send().await.unwrap_err();
    let Error::Redirect { location, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        location.as_deref(),
        Some(format!("{}/api/v3/payouts?…", server.url).as_str())
    );
}

//! The TLS the default features choose (rustls with the ring provider, handed to reqwest as a
//! finished config) is wired in: an https base URL gets a TLS handshake for the right host,
//! offering HTTP/1.1, and a certificate no trusted root vouches for is refused before any
//! request is sent.
//!
//! The server's certificate (`tls/untrusted-localhost.*`) is self-signed for `localhost` and
//! trusted by nothing: a throwaway made for this test.

use std::sync::Arc;

use partnerstack::{Error, RetryPolicy, TransportErrorKind};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;

use crate::support::KEY;

const CERT: &[u8] = include_bytes!("tls/untrusted-localhost.crt");
const PRIVATE_KEY: &[u8] = include_bytes!("tls/untrusted-localhost.key");

fn server_config() -> Arc<rustls::ServerConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let cert = CertificateDer::from_pem_slice(CERT).unwrap();
    let key = PrivateKeyDer::from_pem_slice(PRIVATE_KEY).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .unwrap();
    Arc::new(config)
}

/// What the server saw of one connection: the host the client asked for, the protocols it
/// offered, how the handshake ended, and whether any request bytes followed.
struct Seen {
    server_name: Option<String>,
    alpn: Vec<Vec<u8>>,
    handshake: Result<(), String>,
    request_bytes: usize,
}

async fn serve_one(listener: TcpListener) -> Seen {
    let (stream, _) = listener.accept().await.unwrap();
    let acceptor =
        tokio_rustls::LazyConfigAcceptor::new(rustls::server::Acceptor::default(), stream);
    let start = acceptor.await.unwrap();
    let hello = start.client_hello();
    let server_name = hello.server_name().map(str::to_owned);
    let alpn = hello
        .alpn()
        .map(|protocols| protocols.map(<[u8]>::to_vec).collect())
        .unwrap_or_default();
    match start.into_stream(server_config()).await {
        Ok(mut tls) => {
            let mut buf = Vec::new();
            let request_bytes = tls.read_to_end(&mut buf).await.unwrap_or(0);
            Seen {
                server_name,
                alpn,
                handshake: Ok(()),
                request_bytes,
            }
        }
        Err(e) => Seen {
            server_name,
            alpn,
            handshake: Err(e.to_string()),
            request_bytes: 0,
        },
    }
}

#[tokio::test]
async fn https_speaks_tls_and_refuses_an_untrusted_certificate() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = tokio::spawn(serve_one(listener));
    let client = partnerstack::partner::Client::builder()
        .api_key(KEY)
        .base_url(format!("https://localhost:{port}"))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();

    let err = client.rewards().list().send().await.unwrap_err();

    let seen = server.await.unwrap();
    assert_eq!(seen.server_name.as_deref(), Some("localhost"));
    assert_eq!(seen.alpn, vec![b"http/1.1".to_vec()]);
    let refused = seen
        .handshake
        .expect_err("the client must refuse the certificate");
    assert!(
        ["UnknownCA", "BadCertificate", "CertificateUnknown"]
            .iter()
            .any(|alert| refused.contains(alert)),
        "the client's alert: {refused}"
    );
    assert_eq!(
        seen.request_bytes, 0,
        "no request after a refused handshake"
    );
    match err {
        Error::Transport { kind, .. } => assert_eq!(kind, TransportErrorKind::Tls),
        other => panic!("expected a TLS failure, got {other:?}"),
    }
}

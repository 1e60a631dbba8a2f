//! Addresses on 127.0.0.1 where no HTTP server answers: for the failures before an answer.

use std::time::Duration;

use tokio::net::{TcpListener, TcpSocket, TcpStream};

/// A URL on 127.0.0.1 where nothing listens: connecting is refused. The port stays bound
/// (never listening) for the rest of the process, so no other test's server can take it.
pub fn refused_url() -> String {
    let socket = TcpSocket::new_v4().expect("a socket");
    socket
        .bind("127.0.0.1:0".parse().expect("an address"))
        .expect("a free local port");
    let url = format!(
        "http://{}",
        socket.local_addr().expect("a bound socket's address")
    );
    // Kept bound and never listening: connecting is refused, and the port is never reused.
    std::mem::forget(socket);
    url
}

/// A listener on 127.0.0.1 whose accept queue is full, so a new connection is never accepted:
/// connecting to it times out. It stays so while this value lives.
pub struct Unanswered {
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    _fillers: Vec<TcpStream>,
    _listener: TcpListener,
}

impl Unanswered {
    /// Listens with a backlog of one and fills it.
    pub async fn start() -> Unanswered {
        let socket = TcpSocket::new_v4().expect("a socket");
        socket
            .bind(([127, 0, 0, 1], 0).into())
            .expect("a free local port");
        let listener = socket.listen(1).expect("a listener");
        let addr = listener.local_addr().expect("a bound listener's address");
        let mut fillers = Vec::new();
        // The kernel may take a few connections beyond the backlog: fill until one hangs.
        let mut full = false;
        for _ in 0..8 {
            match tokio::time::timeout(Duration::from_millis(200), TcpStream::connect(addr)).await {
                Ok(Ok(stream)) => fillers.push(stream),
                _ => {
                    full = true;
                    break;
                }
            }
        }
        // Otherwise the test that uses it would fail later, as if the client were wrong.
        assert!(full, "could not fill the accept queue of {addr}");
        Unanswered {
            url: format!("http://{addr}"),
            _fillers: fillers,
            _listener: listener,
        }
    }
}

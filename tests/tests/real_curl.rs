//! `curl`'s `Easy::write_function` as a stream of body chunks, from an HTTP/1.1 server the test
//! runs on 127.0.0.1. Checks that the chunks, in order, are exactly the body the server sent
//! (several hundred KB, so several chunks), and that the stream ends when the `Easy` handle that
//! owns the callback is dropped.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::thread::JoinHandle;

use callback_async::CallbackStream;
use callback_async::promisify;
use curl::easy::{Easy, WriteError};
use futures::StreamExt;

#[path = "support/real.rs"]
mod support;
use support::watchdog;

/// The body the server sends: 300 KB that no chunk boundary could shift unnoticed.
fn body() -> Vec<u8> {
    (0..300_000_u32).map(|i| (i % 251) as u8).collect()
}

/// Serves one request on 127.0.0.1 (an ephemeral port) with `body()`, then closes. Returns the
/// URL and the server's thread, which yields the request line it read.
fn serve_once() -> (String, JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/data", listener.local_addr().unwrap());
    let server = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream);
        let mut request_line = String::new();
        reader.read_line(&mut request_line).unwrap();
        // The rest of the request's head, up to the empty line.
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap() > 2 {
            line.clear();
        }
        let body = body();
        let mut stream = reader.into_inner();
        write!(
            stream,
            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nContent-Type: application/octet-stream\r\n\
             Connection: close\r\n\r\n",
            body.len()
        )
        .unwrap();
        stream.write_all(&body).unwrap();
        request_line
    });
    (url, server)
}

/// The body form: the callback's parameter and return type are the user's, and `write_function`
/// returns `Result<(), curl::Error>`, so the call evaluates to that and the stream.
#[test]
fn body_chunks_as_a_stream() {
    watchdog(|| async {
        let (url, server) = serve_once();
        let mut easy = Easy::new();
        easy.url(&url).unwrap();
        let (set, chunks) = promisify!(stream easy.write_function(
            |data: &[u8]| -> Result<usize, WriteError> {
                _(data.to_vec());
                Ok(data.len())
            }
        ));
        let set: Result<(), curl::Error> = set;
        set.unwrap();
        let chunks: CallbackStream<Vec<u8>> = chunks;
        easy.perform().unwrap();
        assert_eq!(easy.response_code().unwrap(), 200);
        // The handle owns the callback: dropping it ends the stream.
        drop(easy);
        let chunks = chunks.collect::<Vec<_>>().await;
        assert!(chunks.len() > 1, "{} chunk(s)", chunks.len());
        assert_eq!(chunks.concat(), body());
        assert_eq!(server.join().unwrap().trim_end(), "GET /data HTTP/1.1");
    });
}

//! The reverse direction: new async code offered to legacy callback-based callers:
//! `cargo run --example reverse`.

use std::sync::mpsc;
use std::time::Duration;

use callback_async::callbackify;

/// New async code.
#[callbackify(spawn = tokio::spawn)]
async fn resolve_host(name: String) -> Result<String, String> {
    tokio::time::sleep(Duration::from_millis(5)).await;
    match name.as_str() {
        "localhost" => Ok("127.0.0.1".to_owned()),
        other => Err(format!("unknown host {other}")),
    }
}

/// Legacy code that only knows callbacks.
fn legacy_caller(done: mpsc::Sender<String>) {
    for host in ["localhost", "example.invalid"] {
        let done = done.clone();
        resolve_host_callback(host.to_owned(), move |result| {
            done.send(format!("{host} -> {result:?}")).unwrap();
        });
    }
}

fn main() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let _inside = runtime.enter();
    let (sender, receiver) = mpsc::channel();
    legacy_caller(sender);
    let mut lines: Vec<String> = receiver.iter().take(2).collect();
    lines.sort();
    for line in lines {
        println!("callback received: {line}");
    }
}

//! `git2`'s `RemoteCallbacks::transfer_progress` as a stream, during a real clone: a repository
//! made in a temporary directory is cloned over `file://` (a plain path would be copied without
//! a transfer) with `git2::build::RepoBuilder`. Checks that the stream reports the received
//! objects rising to the number of objects in the source repository, that it ends when the
//! builder that owns the callback is dropped, and that the clone has the files.

use std::path::Path;

use callback_async::CallbackStream;
use callback_async::promisify;
use futures::StreamExt;
use git2::build::RepoBuilder;
use git2::{FetchOptions, Progress, RemoteCallbacks, Repository, Signature};

#[path = "support/real.rs"]
mod support;
use support::{TempDir, watchdog};

const FILES: [(&str, &str); 3] = [
    ("README.md", "# cloned\n"),
    ("src/lib.rs", "pub fn answer() -> u32 {\n    42\n}\n"),
    ("src/deep/data.txt", "some data\n"),
];

/// Makes a repository in `dir/source` with one commit of `FILES`; returns its `file://` URL and
/// the number of objects in it (the commit, its trees and its blobs).
fn source_repository(dir: &TempDir) -> (String, usize) {
    let path = dir.path().join("source");
    let repo = Repository::init(&path).unwrap();
    let mut index = repo.index().unwrap();
    for (file, contents) in FILES {
        dir.write(&format!("source/{file}"), contents);
        index.add_path(Path::new(file)).unwrap();
    }
    index.write().unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let signature = Signature::now("Test", "test@example.com").unwrap();
    repo.commit(Some("HEAD"), &signature, &signature, "Initial", &tree, &[])
        .unwrap();
    let mut objects = 0;
    repo.odb()
        .unwrap()
        .foreach(|_| {
            objects += 1;
            true
        })
        .unwrap();
    (format!("file://{}", path.display()), objects)
}

/// The received-object counts never go down and end at `objects`.
fn check_progress(received: &[usize], objects: usize) {
    assert!(!received.is_empty(), "no progress reported");
    assert!(received.is_sorted(), "{received:?}");
    assert_eq!(received.last(), Some(&objects), "{received:?}");
}

fn check_clone(clone: &Repository) {
    let workdir = clone.workdir().unwrap();
    for (file, contents) in FILES {
        assert_eq!(
            std::fs::read_to_string(workdir.join(file)).unwrap(),
            contents
        );
    }
    let head = clone.head().unwrap().peel_to_commit().unwrap();
    assert_eq!(head.message().unwrap(), "Initial");
}

/// The body form: `transfer_progress` returns `&mut RemoteCallbacks`, so the call evaluates to
/// that and the stream; the callback's `Progress<'_>` parameter and `bool` return are the user's.
#[test]
fn clone_progress_as_a_stream() {
    watchdog(|| async {
        let dir = TempDir::new("git2");
        let (url, objects) = source_repository(&dir);
        let mut callbacks = RemoteCallbacks::new();
        let (_, received) = promisify!(stream callbacks.transfer_progress(|p: Progress<'_>| {
            _(p.received_objects());
            true
        }));
        let received: CallbackStream<usize> = received;
        let mut fetch = FetchOptions::new();
        fetch.remote_callbacks(callbacks);
        let mut builder = RepoBuilder::new();
        builder.fetch_options(fetch);
        let clone = builder.clone(&url, &dir.path().join("clone")).unwrap();
        drop(builder);
        check_progress(&received.collect::<Vec<_>>().await, objects);
        check_clone(&clone);
    });
}

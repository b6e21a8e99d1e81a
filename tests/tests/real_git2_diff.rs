//! `git2`'s `Diff::foreach(file_cb, binary_cb, hunk_cb, line_cb)`: three of its callbacks (Rust
//! `&mut dyn FnMut`, two inside `Some(&mut ..)`) feed one stream of the user's enum, in the order
//! libgit2 called them, on a diff between two trees of a repository made in a temporary
//! directory; or, marked `stream(..)`, one stream each.

use std::path::Path;

use callback_async::{CallbackStream, promisify};
use futures::StreamExt;
use git2::{Diff, DiffDelta, DiffHunk, DiffLine, Repository, Tree};

#[path = "support/real.rs"]
mod support;
use support::{TempDir, watchdog};

#[derive(Debug, PartialEq)]
enum Item {
    File(String),
    Hunk(u32),
    Line(char, String),
}

/// Writes `files` into the repository's work tree and index, and returns the index's tree.
fn tree<'r>(repo: &'r Repository, dir: &TempDir, files: &[(&str, &str)]) -> Tree<'r> {
    let mut index = repo.index().unwrap();
    for (file, contents) in files {
        dir.write(file, contents);
        index.add_path(Path::new(file)).unwrap();
    }
    index.write().unwrap();
    repo.find_tree(index.write_tree().unwrap()).unwrap()
}

/// The diff from a tree with `a.txt` to one where `a.txt` gained a line and `b.txt` is new.
fn diff<'r>(repo: &'r Repository, dir: &TempDir) -> Diff<'r> {
    let old = tree(repo, dir, &[("a.txt", "one\n")]);
    let new = tree(repo, dir, &[("a.txt", "one\ntwo\n"), ("b.txt", "new\n")]);
    repo.diff_tree_to_tree(Some(&old), Some(&new), None)
        .unwrap()
}

fn path(delta: &DiffDelta<'_>) -> String {
    let file = delta.new_file().path().unwrap();
    file.display().to_string()
}

#[test]
fn file_hunk_and_line_callbacks_feed_one_stream() {
    watchdog(|| async {
        let dir = TempDir::new("git2-diff");
        let repo = Repository::init(dir.path()).unwrap();
        let diff = diff(&repo, &dir);

        let (result, items): (Result<(), git2::Error>, CallbackStream<Item>) = promisify!(stream diff.foreach(
            &mut |delta: DiffDelta<'_>, _: f32| -> bool {
                _(Item::File(path(&delta)));
                true
            },
            None,
            Some(&mut |_: DiffDelta<'_>, hunk: DiffHunk<'_>| -> bool {
                _(Item::Hunk(hunk.new_lines()));
                true
            }),
            Some(&mut |_: DiffDelta<'_>, _: Option<DiffHunk<'_>>, line: DiffLine<'_>| -> bool {
                let content = String::from_utf8_lossy(line.content()).into_owned();
                _(Item::Line(line.origin(), content));
                true
            }),
        ));
        result.unwrap();
        assert_eq!(
            items.collect::<Vec<_>>().await,
            [
                Item::File("a.txt".into()),
                Item::Hunk(2),
                Item::Line(' ', "one\n".into()),
                Item::Line('+', "two\n".into()),
                Item::File("b.txt".into()),
                Item::Hunk(1),
                Item::Line('+', "new\n".into()),
            ]
        );
    });
}

#[test]
fn each_marked_callback_feeds_a_stream_of_its_own() {
    watchdog(|| async {
        let dir = TempDir::new("git2-diff-streams");
        let repo = Repository::init(dir.path()).unwrap();
        let diff = diff(&repo, &dir);

        // No completion: `(R, S1, S2)`, each stream ending when libgit2 is done with its callback.
        let (result, files, lines): (_, CallbackStream<String>, CallbackStream<char>) =
            promisify!(diff.foreach(
                &mut stream(|delta: DiffDelta<'_>, _: f32| -> bool {
                    _(path(&delta));
                    true
                }),
                None,
                None,
                Some(&mut stream(
                    |_: DiffDelta<'_>, _: Option<DiffHunk<'_>>, line: DiffLine<'_>| -> bool {
                        _(line.origin());
                        true
                    }
                )),
            ));
        result.unwrap();
        assert_eq!(files.collect::<Vec<_>>().await, ["a.txt", "b.txt"]);
        assert_eq!(lines.collect::<Vec<_>>().await, [' ', '+', '+']);
    });
}

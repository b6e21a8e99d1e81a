//! `ignore`'s parallel directory walk as a stream: `WalkParallel::run` takes a factory that it
//! calls once per walking thread, and each visitor it returns is called once per entry. Checks
//! that the stream yields exactly the entries the walk keeps (the files that `.gitignore`,
//! `.ignore` and the hidden-file rule leave), whichever walking thread visits them, and ends
//! when `run` returns.

use std::collections::BTreeSet;
use std::path::PathBuf;

use callback_async::CallbackStream;
use callback_async::promisify;
use futures::StreamExt;
use ignore::{WalkBuilder, WalkState};

#[path = "support/real.rs"]
mod support;
use support::{TempDir, watchdog};

/// A tree with files that each rule removes: `.gitignore` (outside a git repository, so only
/// with `require_git(false)`), `.ignore`, a negation, and a hidden file.
fn tree() -> TempDir {
    let dir = TempDir::new("ignore");
    dir.write(".gitignore", "*.log\n!keep.log\n");
    dir.write(".ignore", "target/\n");
    dir.write(".hidden", "");
    for file in [
        "a.txt",
        "b.log",
        "keep.log",
        "src/lib.rs",
        "src/debug.log",
        "src/deep/mod.rs",
        "target/out.txt",
    ] {
        dir.write(file, file);
    }
    dir
}

/// What the walk must keep, relative to the tree's root.
const KEPT: [&str; 4] = ["a.txt", "keep.log", "src/deep/mod.rs", "src/lib.rs"];

/// The files among the paths the walk yielded, relative to `dir` (the walk yields directories
/// too, the root among them).
fn files(dir: &TempDir, paths: Vec<PathBuf>) -> BTreeSet<String> {
    let relative: Vec<String> = paths
        .iter()
        .filter(|path| path.is_file())
        .map(|path| {
            let relative = path.strip_prefix(dir.path()).unwrap();
            relative.to_str().unwrap().replace('\\', "/")
        })
        .collect();
    let set: BTreeSet<String> = relative.iter().cloned().collect();
    assert_eq!(set.len(), relative.len(), "a file was visited twice");
    set
}

fn walker(dir: &TempDir) -> ignore::WalkParallel {
    WalkBuilder::new(dir.path())
        .require_git(false)
        .threads(4)
        .build_parallel()
}

/// The body form, with `_(..)` in the visitor nested in the factory: every visitor hands its
/// entries to the one stream, which ends when `run` has dropped them all.
#[test]
fn parallel_walk_as_a_stream() {
    watchdog(|| async {
        let dir = tree();
        let walker = walker(&dir);
        let paths: CallbackStream<PathBuf> = promisify!(stream walker.run(|| Box::new(|entry| {
            if let Ok(e) = entry {
                _(e.into_path())
            }
            WalkState::Continue
        })));
        let paths = paths.collect::<Vec<_>>().await;
        assert_eq!(files(&dir, paths), KEPT.map(String::from).into());
    });
}

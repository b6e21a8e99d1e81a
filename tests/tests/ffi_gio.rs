//! `promisify!(unsafe { .. })` on GLib and GIO (the system libraries, through `glib-sys`,
//! `gobject-sys` and `gio-sys`): `GSourceFunc`s with GLib's `GDestroyNotify` as a future and as a
//! stream, and `g_file_load_contents_async`'s `GAsyncReadyCallback`, each called by a `GMainLoop`
//! that runs on its own thread.
//!
//! Needs GLib's headers and pkg-config: `cargo test -p callback-async-tests --features gio`.
#![cfg(feature = "gio")]

use std::ffi::{CStr, CString, c_uint};
use std::panic::resume_unwind;
use std::path::PathBuf;
use std::ptr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::{self, JoinHandle, ThreadId};
use std::time::{Duration, Instant};

use callback_async::Dropped;
use callback_async::promisify;
use callback_async::{CallbackStream, Promise};
use futures::StreamExt;
use futures::executor::block_on;
use gio_sys as gio;
use glib_sys as glib;
use gobject_sys as gobject;

/// How long a test waits for GLib before it fails instead of hanging.
const PATIENCE: Duration = Duration::from_secs(10);

/// A `GMainLoop` pointer that may cross threads.
#[derive(Clone, Copy)]
struct MainLoop(*mut glib::GMainLoop);

// SAFETY: `GMainLoop` and its `GMainContext` are reference-counted GLib objects whose functions
// may be called from any thread.
unsafe impl Send for MainLoop {}

impl MainLoop {
    fn context(self) -> *mut glib::GMainContext {
        // SAFETY: a live loop (its `LoopThread` holds a reference); returns a borrowed pointer.
        unsafe { glib::g_main_loop_get_context(self.0) }
    }

    fn run(self) {
        let context = self.context();
        // SAFETY: a live loop and its context. Made the thread-default context so that the GIO
        // operations started on this thread deliver their results here.
        unsafe {
            glib::g_main_context_push_thread_default(context);
            glib::g_main_loop_run(self.0);
            glib::g_main_context_pop_thread_default(context);
        }
    }
}

/// A `GMainLoop` running on a thread of its own; quit and joined on drop.
struct LoopThread {
    main_loop: MainLoop,
    thread: Option<JoinHandle<()>>,
}

impl LoopThread {
    /// A loop on GLib's global default context, where `g_timeout_add_full` attaches its sources.
    fn on_the_default_context() -> LoopThread {
        // SAFETY: no arguments; returns the global default context, never freed.
        LoopThread::spawn(unsafe { glib::g_main_context_default() })
    }

    /// A loop on a context of its own, that no other test iterates.
    fn on_a_new_context() -> LoopThread {
        // SAFETY: no arguments; returns a new context with one reference, ours.
        let context = unsafe { glib::g_main_context_new() };
        let spawned = LoopThread::spawn(context);
        // SAFETY: ours, released once; the loop holds its own reference.
        unsafe { glib::g_main_context_unref(context) };
        spawned
    }

    fn spawn(context: *mut glib::GMainContext) -> LoopThread {
        // SAFETY: a live context; the loop takes a reference to it.
        let main_loop = MainLoop(unsafe { glib::g_main_loop_new(context, glib::GFALSE) });
        LoopThread {
            main_loop,
            thread: Some(thread::spawn(move || main_loop.run())),
        }
    }

    fn context(&self) -> *mut glib::GMainContext {
        self.main_loop.context()
    }

    fn id(&self) -> ThreadId {
        self.thread.as_ref().unwrap().thread().id()
    }
}

unsafe extern "C" fn quit(main_loop: glib::gpointer) -> glib::gboolean {
    // SAFETY: the loop given to `g_source_set_callback` below, alive until it is joined.
    unsafe { glib::g_main_loop_quit(main_loop.cast()) };
    glib::G_SOURCE_REMOVE
}

impl Drop for LoopThread {
    fn drop(&mut self) {
        // Quit from inside the loop: a `g_main_loop_quit` that comes before the thread enters
        // `g_main_loop_run` would be lost, and the join would hang.
        // SAFETY: a new idle source, attached to the loop's live context and released once;
        // `quit` takes the loop, which outlives the source (it is freed after the join).
        unsafe {
            let source = glib::g_idle_source_new();
            glib::g_source_set_callback(source, Some(quit), self.main_loop.0.cast(), None);
            glib::g_source_attach(source, self.context());
            glib::g_source_unref(source);
        }
        let joined = self.thread.take().unwrap().join();
        // SAFETY: ours, released once, after its thread returned from `g_main_loop_run`.
        unsafe { glib::g_main_loop_unref(self.main_loop.0) };
        // Not a let chain: this file runs on edition 2021 too (`tests/edition2021`).
        if let Err(panic) = joined {
            if !thread::panicking() {
                resume_unwind(panic);
            }
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Event {
    Called(ThreadId),
    Dropped(ThreadId),
}

/// Moved into a callback's state: reports each call, and the drop of the state, with the thread
/// each happened on.
struct Witness {
    events: Sender<Event>,
    calls: AtomicUsize,
}

impl Witness {
    fn new() -> (Witness, Receiver<Event>) {
        let (events, received) = mpsc::channel();
        let witness = Witness {
            events,
            calls: AtomicUsize::new(0),
        };
        (witness, received)
    }

    /// Reports a call; returns how many there were so far.
    fn called(&self) -> usize {
        // (The test may have stopped listening after a failure.)
        let _ = self.events.send(Event::Called(thread::current().id()));
        self.calls.fetch_add(1, Ordering::SeqCst) + 1
    }
}

impl Drop for Witness {
    fn drop(&mut self) {
        let _ = self.events.send(Event::Dropped(thread::current().id()));
    }
}

/// Every event until the witness is gone (its drop closes the channel): a state freed twice
/// would report two drops, a leaked one would time out.
fn all_events(events: &Receiver<Event>) -> Vec<Event> {
    let mut all = Vec::new();
    loop {
        match events.recv_timeout(PATIENCE) {
            Ok(event) => all.push(event),
            Err(RecvTimeoutError::Disconnected) => return all,
            Err(RecvTimeoutError::Timeout) => {
                panic!("the callback's state was not freed; events so far: {all:?}")
            }
        }
    }
}

/// `g_timeout_add_full` with `G_SOURCE_REMOVE`: one call, then GLib's destroy notify frees the
/// state.
#[test]
fn timeout_as_a_future_on_the_default_context() {
    let main_loop = LoopThread::on_the_default_context();
    let (witness, events) = Witness::new();
    let start = Instant::now();
    let (id, fired): (c_uint, Promise<ThreadId>) = promisify!(unsafe {
        glib::g_timeout_add_full(
            glib::G_PRIORITY_DEFAULT,
            20,
            Some(|_| -> glib::gboolean {
                witness.called();
                _(thread::current().id());
                glib::G_SOURCE_REMOVE
            }),
            _,
            Some(|_| drop(_)),
        )
    });
    assert_ne!(id, 0);
    let fired_on = block_on(fired);
    assert!(start.elapsed() >= Duration::from_millis(20));
    let on = main_loop.id();
    assert_eq!(fired_on, on);
    assert_ne!(fired_on, thread::current().id());
    assert_eq!(all_events(&events), [Event::Called(on), Event::Dropped(on)]);
}

/// A timeout source that returns `G_SOURCE_CONTINUE` twice, then `G_SOURCE_REMOVE`: three items,
/// and the stream ends when the destroy notify frees its sender.
#[test]
fn timeout_as_a_stream_until_removed() {
    let main_loop = LoopThread::on_a_new_context();
    let (witness, events) = Witness::new();
    let (id, ticks): (c_uint, CallbackStream<(usize, ThreadId)>) = promisify!(stream unsafe {
        let source = glib::g_timeout_source_new(5);
        glib::g_source_set_callback(
            source,
            Some(|_| -> glib::gboolean {
                let n = witness.called();
                _(n, thread::current().id());
                if n < 3 { glib::G_SOURCE_CONTINUE } else { glib::G_SOURCE_REMOVE }
            }),
            _,
            Some(|_| drop(_)),
        );
        let id = glib::g_source_attach(source, main_loop.context());
        glib::g_source_unref(source);
        id
    });
    assert_ne!(id, 0);
    let ticks = block_on(ticks.collect::<Vec<_>>());
    let on = main_loop.id();
    assert_ne!(on, thread::current().id());
    assert_eq!(ticks, [(1, on), (2, on), (3, on)]);
    // Joined: the loop can no longer call, so these are all the events there will be.
    drop(main_loop);
    assert_eq!(
        all_events(&events),
        [
            Event::Called(on),
            Event::Called(on),
            Event::Called(on),
            Event::Dropped(on)
        ]
    );
}

/// The promise is dropped before its source is even attached; the callback then settles a
/// promise nobody awaits, and the destroy notify frees the state once.
#[test]
fn promise_dropped_before_the_timeout_fires() {
    let main_loop = LoopThread::on_a_new_context();
    let (witness, events) = Witness::new();
    let (source, promise): (*mut glib::GSource, Promise<()>) = promisify!(unsafe {
        let source = glib::g_timeout_source_new(1);
        glib::g_source_set_callback(
            source,
            Some(|_| -> glib::gboolean {
                witness.called();
                _(());
                glib::G_SOURCE_REMOVE
            }),
            _,
            Some(|_| drop(_)),
        );
        source
    });
    drop(promise);
    // SAFETY: the new source above, attached to a live context, our reference released once.
    unsafe {
        glib::g_source_attach(source, main_loop.context());
        glib::g_source_unref(source);
    }
    let on = main_loop.id();
    assert_eq!(all_events(&events), [Event::Called(on), Event::Dropped(on)]);
}

/// `g_source_remove` before the source fires calls the destroy notify right away, on the calling
/// thread: the state is freed once, whether the promise was dropped or is still awaited (it then
/// ends as dropped). No loop is needed, and one iterating the default context (another test's)
/// would not reach a 60 s timeout.
#[test]
fn source_removed_before_it_fires() {
    for drop_the_promise_first in [true, false] {
        let (witness, events) = Witness::new();
        let (id, promise): (c_uint, Promise<()>) = promisify!(unsafe {
            glib::g_timeout_add_full(
                glib::G_PRIORITY_DEFAULT,
                60_000,
                Some(|_| -> glib::gboolean {
                    witness.called();
                    _(());
                    glib::G_SOURCE_REMOVE
                }),
                _,
                Some(|_| drop(_)),
            )
        });
        let promise = (!drop_the_promise_first).then_some(promise);
        // SAFETY: a source of the default context, added above and not removed yet.
        assert_eq!(unsafe { glib::g_source_remove(id) }, glib::GTRUE);
        assert_eq!(
            all_events(&events),
            [Event::Dropped(thread::current().id())]
        );
        if let Some(promise) = promise {
            assert_eq!(block_on(promise.or_dropped()), Err(Dropped));
        }
    }
}

/// A file in the temporary directory, removed on drop.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str) -> TempFile {
        let name = format!("callback-async-gio-{}-{name}", std::process::id());
        TempFile(std::env::temp_dir().join(name))
    }

    fn c_path(&self) -> CString {
        CString::new(self.0.to_str().unwrap()).unwrap()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Takes the result of `g_file_load_contents_async` as owned bytes or GIO's error message,
/// freeing what GIO allocated for the caller.
///
/// # Safety
///
/// `result` is the `GAsyncResult` that `g_file_load_contents_async` on `file` passed to its
/// callback, finished once.
unsafe fn finish_loading(
    file: *mut gio::GFile,
    result: *mut gio::GAsyncResult,
) -> Result<Vec<u8>, String> {
    let (mut contents, mut length, mut error) = (ptr::null_mut(), 0, ptr::null_mut());
    // SAFETY: forwarded to the caller; valid out-pointers, and no entity tag wanted.
    let ok = unsafe {
        gio::g_file_load_contents_finish(
            file,
            result,
            &mut contents,
            &mut length,
            ptr::null_mut(),
            &mut error,
        )
    };
    if ok == glib::GFALSE {
        // SAFETY: on failure GIO sets `error` to a new `GError`, ours, with a UTF-8 message.
        let message = unsafe { CStr::from_ptr((*error).message) }
            .to_string_lossy()
            .into_owned();
        // SAFETY: ours, freed once, after its message was copied.
        unsafe { glib::g_error_free(error) };
        return Err(message);
    }
    // SAFETY: on success `contents` is a new buffer of `length` bytes (and a NUL), ours.
    let bytes = unsafe { std::slice::from_raw_parts(contents, length) }.to_vec();
    // SAFETY: ours, freed once, after it was copied.
    unsafe { glib::g_free(contents.cast()) };
    Ok(bytes)
}

/// The thread the `GAsyncReadyCallback` ran on, and what it read.
type Loaded = (ThreadId, Result<Vec<u8>, String>);

/// Starts loading `path`; GIO calls back on the calling thread's thread-default main context.
fn load_contents(path: &CStr) -> Promise<Loaded> {
    // SAFETY: a NUL-terminated path; returns a new `GFile`, ours (it need not exist).
    let file = unsafe { gio::g_file_new_for_path(path.as_ptr()) };
    let loaded = promisify!(unsafe {
        gio::g_file_load_contents_async(
            file,
            ptr::null_mut(),
            Some(
                |source_object: *mut gobject::GObject, result: *mut gio::GAsyncResult, _| {
                    // SAFETY: GIO passes the file the operation started on, and its result.
                    let read = unsafe { finish_loading(source_object.cast(), result) };
                    _(thread::current().id(), read);
                },
            ),
            _,
        )
    });
    // SAFETY: ours, released once; the operation holds its own reference until it calls back.
    unsafe { gobject::g_object_unref(file.cast()) };
    loaded
}

/// Loads `path` from the loop's thread: GIO calls back on the thread-default context of the
/// thread that started the operation, so the test thread (which has none, and may not take the
/// loop's context as its own while the loop runs it) hands the start to the loop with
/// `g_main_context_invoke_full`, and gets the operation's promise back.
fn load_on(main_loop: &LoopThread, path: &CStr) -> Loaded {
    let path = path.to_owned();
    let started: Promise<Promise<Loaded>> = promisify!(unsafe {
        glib::g_main_context_invoke_full(
            main_loop.context(),
            glib::G_PRIORITY_DEFAULT,
            Some(|_| -> glib::gboolean {
                _(load_contents(&path));
                glib::G_SOURCE_REMOVE
            }),
            _,
            Some(|_| drop(_)),
        )
    });
    block_on(async { started.await.await })
}

#[test]
fn load_contents_of_a_file() {
    let file = TempFile::new("load_contents_of_a_file");
    // Not UTF-8, with a NUL: GIO's length, not a C string's.
    let written = b"callback-async \x00\xff\xfe over GIO\n".repeat(1000);
    std::fs::write(&file.0, &written).unwrap();
    let main_loop = LoopThread::on_a_new_context();
    let (on, read) = load_on(&main_loop, &file.c_path());
    assert_eq!(read.as_deref(), Ok(&written[..]));
    assert_eq!(on, main_loop.id());
    assert_ne!(on, thread::current().id());
}

#[test]
fn load_contents_of_a_missing_file_is_gios_error() {
    let missing = TempFile::new("load_contents_of_a_missing_file");
    let main_loop = LoopThread::on_a_new_context();
    let (on, read) = load_on(&main_loop, &missing.c_path());
    let message = read.unwrap_err();
    assert!(message.contains(missing.0.to_str().unwrap()), "{message}");
    assert!(message.contains("No such file or directory"), "{message}");
    assert_eq!(on, main_loop.id());
}

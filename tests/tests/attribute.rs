//! `#[callback_async]` on free functions: every callback form, value shape and option.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use callback_async::{Dropped, Promise, callback_async};
use futures::executor::block_on;

#[path = "support/panics.rs"]
mod panics;
use panics::panic_message;

// --- callback forms -------------------------------------------------------------------------

#[callback_async]
fn impl_once(n: u32, done: impl FnOnce(u32) + Send + 'static) {
    done(n + 1);
}

#[callback_async]
fn impl_mut(n: u32, mut each: impl FnMut(u32) + Send + 'static) {
    each(n);
    each(n + 100); // ignored: the promise is settled
}

#[callback_async]
fn impl_shared(n: u32, each: impl Fn(u32) + Send + Sync + 'static) {
    let each = Arc::new(each);
    let handles: Vec<_> = (0..3)
        .map(|i| {
            let each = Arc::clone(&each);
            thread::spawn(move || each(n + i))
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
}

#[callback_async]
fn inline_param<F: FnOnce(&str) + Send + 'static>(done: F) {
    done("inline");
}

#[callback_async]
fn where_param<F>(done: F)
where
    F: FnMut(String) + Send + 'static,
{
    let mut done = done;
    done("where".to_owned());
}

#[callback_async]
fn boxed(done: Box<dyn FnOnce(u8) + Send>) {
    thread::spawn(move || done(8));
}

#[callback_async]
fn boxed_fn(done: Box<dyn Fn(u8) + Send + Sync>) {
    done(9);
    done(10);
}

#[test]
fn every_callback_form() {
    assert_eq!(block_on(impl_once_async(1)), 2);
    assert_eq!(block_on(impl_mut_async(5)), 5);
    assert!((7..10).contains(&block_on(impl_shared_async(7))));
    assert_eq!(block_on(inline_param_async()), "inline");
    assert_eq!(block_on(where_param_async()), "where");
    assert_eq!(block_on(boxed_async()), 8);
    assert_eq!(block_on(boxed_fn_async()), 9);
}

// --- value shapes ---------------------------------------------------------------------------

#[callback_async]
fn no_args(done: impl FnOnce()) {
    done();
}

#[callback_async]
fn three_args(done: impl FnOnce(u8, &str, Vec<u8>)) {
    done(1, "two", vec![3]);
}

#[callback_async]
fn borrowed(done: impl FnOnce(&str, &[u16], &std::path::Path, &mut Vec<u8>)) {
    let mut scratch = vec![4];
    done("s", &[1, 2], std::path::Path::new("/tmp"), &mut scratch);
}

#[callback_async]
fn static_str(done: impl FnOnce(&'static str, Option<&'static str>)) {
    done("kept", Some("also kept"));
}

#[callback_async]
fn higher_ranked(done: impl for<'a> FnOnce(&'a str)) {
    let owned = String::from("temporary");
    done(&owned);
}

#[test]
fn value_is_unit_single_or_tuple_with_owned_borrows() {
    let () = block_on(no_args_async());
    assert_eq!(block_on(three_args_async()), (1, "two".to_owned(), vec![3]));
    let (s, slice, path, vec): (String, Vec<u16>, std::path::PathBuf, Vec<u8>) =
        block_on(borrowed_async());
    assert_eq!(
        (s.as_str(), slice, path.to_str(), vec),
        ("s", vec![1, 2], Some("/tmp"), vec![4])
    );
    let (kept, also): (&'static str, Option<&'static str>) = block_on(static_str_async());
    assert_eq!((kept, also), ("kept", Some("also kept")));
    assert_eq!(block_on(higher_ranked_async()), "temporary");
}

// --- what is and is not the callback --------------------------------------------------------

#[callback_async]
fn with_predicate(items: Vec<u32>, keep: impl Fn(u32) -> bool, done: impl FnOnce(Vec<u32>)) {
    done(items.into_iter().filter(|&i| keep(i)).collect());
}

#[callback_async(callback = on_done)]
fn chosen(on_progress: impl FnMut(u8), on_done: impl FnOnce(&str)) {
    let mut on_progress = on_progress;
    on_progress(50);
    on_done("finished");
}

#[test]
fn predicates_are_ordinary_arguments_and_callback_picks_one() {
    assert_eq!(
        block_on(with_predicate_async(vec![1, 2, 3, 4], |i| i % 2 == 0)),
        vec![2, 4]
    );
    let progress = |_percent: u8| {};
    assert_eq!(block_on(chosen_async(progress)), "finished");
}

// --- options --------------------------------------------------------------------------------

#[derive(Debug, PartialEq)]
enum FetchError {
    NotFound,
    Cancelled,
}

#[callback_async(ok = on_ok, err = on_err)]
fn ok_err(
    key: u32,
    on_ok: impl FnOnce(String) + Send + 'static,
    on_err: Box<dyn FnOnce(FetchError) + Send>,
) {
    thread::spawn(move || {
        if key == 1 {
            on_ok("one".to_owned())
        } else {
            on_err(FetchError::NotFound)
        }
    });
}

#[callback_async(ok = on_ok, err = on_err)]
fn ok_err_both_called(
    on_ok: impl Fn(u8) + Send + Sync + 'static,
    on_err: impl Fn(u8) + Send + Sync + 'static,
) {
    on_err(1);
    on_ok(2);
    on_err(3);
}

#[callback_async(name = "compute_later")]
fn compute(n: u64, done: impl FnOnce(u64)) {
    done(n * n);
}

#[callback_async(dropped = Err(FetchError::Cancelled))]
fn maybe_drops(call: bool, done: impl FnOnce(Result<u8, FetchError>) + Send + 'static) {
    if call {
        done(Ok(1));
    } else {
        thread::spawn(move || drop(done)).join().unwrap();
    }
}

static FALLBACKS: AtomicUsize = AtomicUsize::new(0);

fn counted_fallback() -> Option<u8> {
    FALLBACKS.fetch_add(1, Ordering::SeqCst);
    None
}

#[callback_async(dropped = counted_fallback())]
fn lazily_dropped(call: bool, done: impl FnOnce(Option<u8>)) {
    if call {
        done(Some(1));
    }
}

#[test]
fn ok_err_name_and_dropped_options() {
    assert_eq!(block_on(ok_err_async(1)), Ok("one".to_owned()));
    assert_eq!(block_on(ok_err_async(2)), Err(FetchError::NotFound));
    assert_eq!(
        block_on(ok_err_both_called_async()),
        Err(1),
        "first call of either wins"
    );
    assert_eq!(block_on(compute_later(12)), 144);
    assert_eq!(block_on(maybe_drops_async(true)), Ok(1));
    assert_eq!(
        block_on(maybe_drops_async(false)),
        Err(FetchError::Cancelled)
    );
    assert_eq!(block_on(lazily_dropped_async(true)), Some(1));
    assert_eq!(
        FALLBACKS.load(Ordering::SeqCst),
        0,
        "the fallback is evaluated only when dropped"
    );
    assert_eq!(block_on(lazily_dropped_async(false)), None);
    assert_eq!(FALLBACKS.load(Ordering::SeqCst), 1);
}

// --- settling: synchronous, from threads, dropped, polled again ---------------------------

#[callback_async]
fn later(delay_ms: u64, done: impl FnOnce(u64) + Send + 'static) {
    thread::spawn(move || {
        thread::sleep(Duration::from_millis(delay_ms));
        done(delay_ms);
    });
}

#[callback_async]
fn never_calls(done: impl FnOnce(u8) + Send + 'static) {
    thread::spawn(move || {
        thread::sleep(Duration::from_millis(10));
        drop(done);
    });
}

#[test]
fn settles_synchronously_or_from_another_thread() {
    assert_eq!(block_on(impl_once_async(0)), 1);
    assert_eq!(block_on(later_async(15)), 15);
}

#[test]
fn dropped_callback_panics_naming_the_function_or_yields_dropped() {
    let message = panic_message(
        catch_unwind(AssertUnwindSafe(|| block_on(never_calls_async()))).unwrap_err(),
    );
    assert!(message.contains("dropped"), "{message}");
    assert!(message.contains("never_calls"), "{message}");
    assert_eq!(block_on(never_calls_async().or_dropped()), Err(Dropped));
}

#[test]
fn polled_again_after_completion_panics_saying_so() {
    use std::future::Future;
    let mut promise = impl_once_async(1);
    let waker = futures::task::noop_waker();
    let mut cx = std::task::Context::from_waker(&waker);
    assert_eq!(
        std::pin::Pin::new(&mut promise).poll(&mut cx),
        std::task::Poll::Ready(2)
    );
    let again = catch_unwind(AssertUnwindSafe(|| {
        std::pin::Pin::new(&mut promise).poll(&mut cx)
    }));
    let message = panic_message(again.unwrap_err());
    assert!(message.contains("polled after completion"), "{message}");
    assert!(!message.contains("dropped"), "{message}");
}

#[test]
fn the_call_is_eager() {
    let (sender, receiver) = mpsc::channel();
    #[callback_async]
    fn records(sender: mpsc::Sender<&'static str>, done: impl FnOnce()) {
        sender.send("called").unwrap();
        done();
    }
    let promise = records_async(sender);
    assert_eq!(
        receiver.try_recv(),
        Ok("called"),
        "called before the first poll"
    );
    block_on(promise);
}

#[test]
fn the_promise_outlives_borrowed_arguments() {
    #[callback_async]
    fn echo(text: &str, done: impl FnOnce(String) + Send + 'static) {
        let text = text.to_owned();
        thread::spawn(move || done(text));
    }
    let promise: Promise<String> = {
        let temporary = String::from("borrowed only during the call");
        echo_async(&temporary)
    };
    assert_eq!(block_on(promise), "borrowed only during the call");
}

// --- return values, signatures --------------------------------------------------------------

struct Handle(u32);

#[callback_async]
fn returns_handle(id: u32, done: impl FnOnce(u32)) -> Handle {
    done(id);
    Handle(id)
}

#[callback_async]
fn returns_result(ok: bool, done: impl FnOnce(&str) + Send + 'static) -> Result<(), String> {
    if ok {
        done("ok");
        Ok(())
    } else {
        Err("refused".to_owned())
    }
}

#[allow(clippy::unused_unit)]
#[callback_async]
fn explicit_unit(done: impl FnOnce(u8)) -> () {
    done(1)
}

#[test]
fn non_unit_returns_come_first_in_a_tuple() {
    let (handle, promise) = returns_handle_async(4);
    assert_eq!(handle.0, 4);
    assert_eq!(block_on(promise), 4);
    let (result, promise) = returns_result_async(true);
    assert_eq!(result, Ok(()));
    assert_eq!(block_on(promise), "ok");
    let (result, promise) = returns_result_async(false);
    assert_eq!(result, Err("refused".to_owned()));
    assert_eq!(block_on(promise.or_dropped()), Err(Dropped));
    assert_eq!(block_on(explicit_unit_async()), 1);
}

#[callback_async]
fn patterns((a, b): (u8, u8), mut total: u8, _: (), done: impl FnOnce(u8)) {
    total += a + b;
    done(total);
}

#[callback_async]
fn impl_trait_arg(item: impl std::fmt::Display, done: impl FnOnce(String)) {
    done(item.to_string());
}

#[callback_async]
fn lifetimes<'a, 'b: 'a>(first: &'a str, second: &'b str, done: impl FnOnce(&'a str) + 'a) {
    done(if first.len() > second.len() {
        first
    } else {
        second
    });
}

#[callback_async]
fn generic<T: Clone + Send + 'static>(value: &T, done: impl FnOnce(T) + Send + 'static) {
    let value = value.clone();
    thread::spawn(move || done(value));
}

#[callback_async]
fn const_generic<const N: usize>(values: [u8; N], done: impl FnOnce(usize)) {
    done(values.len());
}

/// # Safety
/// Always safe; `unsafe` only to test that it is kept.
#[callback_async]
unsafe fn unsafe_legacy(done: impl FnOnce(u8)) {
    done(3);
}

#[cfg(test)]
#[callback_async]
fn configured(done: impl FnOnce(u8)) {
    done(4);
}

/// A parameter named like its function must not shadow it in the generated call.
#[callback_async]
fn scale(scale: u32, done: impl FnOnce(u32)) {
    done(scale * 10);
}

#[test]
fn signatures_are_forwarded() {
    assert_eq!(block_on(scale_async(3)), 30);
    assert_eq!(block_on(patterns_async((1, 2), 3, ())), 6);
    assert_eq!(block_on(impl_trait_arg_async(42)), "42");
    assert_eq!(block_on(lifetimes_async("ab", "abc")), "abc");
    assert_eq!(block_on(generic_async(&vec![1, 2])), vec![1, 2]);
    assert_eq!(block_on(const_generic_async([0; 5])), 5);
    // SAFETY: `unsafe_legacy` has no preconditions.
    assert_eq!(block_on(unsafe { unsafe_legacy_async() }), 3);
    assert_eq!(block_on(configured_async()), 4);
}

// --- executors ------------------------------------------------------------------------------

#[test]
fn generated_promise_is_send_static_for_tokio_spawn() {
    fn assert_send_static<T: Send + 'static>(_: &T) {}
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    let value = runtime.block_on(async {
        let promise = later_async(5);
        assert_send_static(&promise);
        tokio::spawn(promise).await.unwrap()
    });
    assert_eq!(value, 5);
}

#[test]
#[cfg_attr(
    miri,
    ignore = "smol's reactor needs `timerfd_create`, which Miri does not support"
)]
fn generated_promise_on_smol_and_tokio_current_thread() {
    assert_eq!(smol::block_on(smol::spawn(later_async(3))), 3);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    assert_eq!(runtime.block_on(later_async(2)), 2);
}

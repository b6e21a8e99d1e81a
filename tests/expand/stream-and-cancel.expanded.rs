fn count_to(n: u32, mut each: impl FnMut(u32) + Send + 'static) {
    thread::spawn(move || (1..=n).for_each(&mut each));
}
#[inline]
#[track_caller]
fn count_to_stream(n: u32) -> ::callback_async::__private::CallbackStream<u32> {
    let (callback, promise) = ::callback_async::__private::stream_send::<u32>();
    count_to(n, move |value| (&callback).send(value));
    promise
}
fn run(ms: u64, done: impl FnOnce(u64) + Send + 'static) -> Job {
    start(ms, done)
}
#[inline]
#[track_caller]
fn run_async(ms: u64) -> ::callback_async::__private::Promise<u64> {
    let (callback, promise) = ::callback_async::__private::promise_once_send::<
        u64,
    >(&::core::concat!(::core::module_path!(), "::run"));
    let ret = run(ms, move |value| callback.resolve(value));
    ::callback_async::__private::cancel_promise(promise, ret, Job::cancel)
}
fn ticks(each: impl Fn(&str) + Send + Sync + 'static) -> Job {
    start_ticking(each)
}
#[inline]
#[track_caller]
fn ticks_stream() -> ::callback_async::__private::CallbackStream<
    ::callback_async::__private::String,
> {
    let (callback, promise) = ::callback_async::__private::stream_send::<
        ::callback_async::__private::String,
    >();
    let ret = ticks(move |value| {
        (&callback)
            .send(<str as ::callback_async::__private::OwnedCopy>::owned_copy(value))
    });
    ::callback_async::__private::cancel_stream(promise, ret, |j: Job| j.stop())
}

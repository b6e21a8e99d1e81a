use callback_async::promisify;
fn write_chunks(easy: &mut Easy) -> CallbackStream<Vec<u8>> {
    let (_, chunks) = {
        let (callback, promise) = ::callback_async::__private::stream();
        ::callback_async::__private::finish(
                easy
                    .write_function({
                        let stream = callback;
                        move |data: &[u8]| -> Result<usize, WriteError> {
                            (stream).send(data.to_vec());
                            Ok(data.len())
                        }
                    }),
                promise,
            )
            .callback_async_finish()
    };
    chunks
}
fn walk(walker: WalkParallel) -> CallbackStream<PathBuf> {
    {
        let (callback, promise) = ::callback_async::__private::stream();
        ::callback_async::__private::finish(
                walker
                    .run({
                        let stream = ::callback_async::__private::Arc::new(callback);
                        move || Box::new({
                            let stream = ::callback_async::__private::Arc::clone(
                                &stream,
                            );
                            move |entry| {
                                if let Ok(e) = entry {
                                    (*stream).send(e.into_path())
                                }
                                WalkState::Continue
                            }
                        })
                    }),
                promise,
            )
            .callback_async_finish()
    }
}
fn copy(
    file: &File,
    dest: &File,
) -> (CallbackStream<(i64, i64)>, Promise<Result<bool, Error>>) {
    {
        let (callback, promise) = ::callback_async::__private::promise_shared(
            &"file.copy_async(dest, stream(|current: i64, total: i64| _), |result| _(result))",
        );
        let (progress, progress_stream) = ::callback_async::__private::stream();
        let callback = ::callback_async::__private::completion(callback, &progress);
        ::callback_async::__private::finish_pair(
                file
                    .copy_async(
                        dest,
                        move |value_1: i64, value_2: i64| {
                            (&progress).send((value_1, value_2))
                        },
                        {
                            let promise = callback;
                            move |result| (promise).resolve(result)
                        },
                    ),
                progress_stream,
                promise,
            )
            .callback_async_finish()
    }
}
fn signals() -> (Result<SigId, Error>, CallbackStream<()>) {
    {
        let (callback, promise) = ::callback_async::__private::stream();
        ::callback_async::__private::finish(
                unsafe {
                    register(
                        SIGUSR1,
                        {
                            let stream = callback;
                            move || (stream).send(())
                        },
                    )
                },
                promise,
            )
            .callback_async_finish()
    }
}
fn copy_file(
    path: &str,
    on_progress: impl FnMut(u64, u64) + Send + 'static,
    done: impl FnOnce(Result<u64, Error>) + Send + 'static,
) {}
#[inline]
#[track_caller]
fn copy_file_async(
    path: &str,
) -> (
    ::callback_async::__private::CallbackStream<(u64, u64)>,
    ::callback_async::__private::Promise<Result<u64, Error>>,
) {
    let (callback, promise) = ::callback_async::__private::promise_shared::<
        Result<u64, Error>,
    >(&::core::concat!(::core::module_path!(), "::copy_file"));
    ::callback_async::__private::require_send::<Result<u64, Error>>();
    let (progress, progress_stream) = ::callback_async::__private::stream_send::<
        (u64, u64),
    >();
    let callback = ::callback_async::__private::completion(callback, &progress);
    copy_file(
        path,
        move |value_1, value_2| (&progress).send((value_1, value_2)),
        move |value| (&callback).resolve(value),
    );
    (progress_stream, promise)
}

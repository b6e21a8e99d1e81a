use callback_async::promisify;

// A callback that returns a value to its API.
fn write_chunks(easy: &mut Easy) -> CallbackStream<Vec<u8>> {
    let (_, chunks) = promisify!(stream easy.write_function(|data: &[u8]| -> Result<usize, WriteError> {
        _(data.to_vec());
        Ok(data.len())
    }));
    chunks
}

// A factory of visitors: each visitor owns a clone of the handle.
fn walk(walker: WalkParallel) -> CallbackStream<PathBuf> {
    promisify!(stream walker.run(|| Box::new(|entry| {
        if let Ok(e) = entry {
            _(e.into_path())
        }
        WalkState::Continue
    })))
}

// Progress with completion.
fn copy(file: &File, dest: &File) -> (CallbackStream<(i64, i64)>, Promise<Result<bool, Error>>) {
    promisify!(file.copy_async(dest, stream(|current: i64, total: i64| _), |result| _(result)))
}

// A Rust callback of an `unsafe fn`.
fn signals() -> (Result<SigId, Error>, CallbackStream<()>) {
    promisify!(stream unsafe { register(SIGUSR1, || _(())) })
}

#[callback_async(callback = done, progress = on_progress)]
fn copy_file(
    path: &str,
    on_progress: impl FnMut(u64, u64) + Send + 'static,
    done: impl FnOnce(Result<u64, Error>) + Send + 'static,
) {
}

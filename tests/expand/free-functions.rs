/// Fetches a URL.
#[callback_async]
pub fn fetch(url: &str, done: impl FnOnce(std::io::Result<Vec<u8>>) + Send + 'static) {
    let _ = (url, done);
}

#[callback_async]
fn lookup<F>(key: u32, cb: F) -> Handle
where
    F: FnMut(&str, u32) + Send + 'static,
{
    let _ = (key, cb);
    Handle
}

#[callback_async(ok = on_done, err = on_error, name = "connect_later", dropped = Err(Error::Cancelled))]
fn connect(
    (host, port): (&str, u16),
    on_done: Box<dyn FnOnce(Connection) + Send>,
    on_error: impl Fn(Error) + Send + Sync + 'static,
) {
    let _ = (host, port, on_done, on_error);
}

#[callback_async]
fn generic<'a, T: Clone + 'static>(item: &'a T, cb: impl FnOnce(&T) + Send + 'a) {
    cb(item)
}

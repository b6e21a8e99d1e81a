fn placeholder() -> Promise<u32> {
    promisify!(legacy::once(1, _))
}

fn no_arguments(pool: &Pool) {
    let promise = promisify!(pool.execute(|| _));
    block_on(promise);
}

fn several_arguments() -> Promise<(u8, String)> {
    promisify!(legacy::pair(|a, b| _))
}

fn typed_borrowed_arguments() -> Promise<(String, u8)> {
    promisify!(legacy::borrowed(|s: &str, n: u8| _))
}

fn nested() -> (usize, Promise<u16>) {
    promisify!(legacy::boxed(Box::new(_)))
}

fn ok_err() -> Promise<Result<u8, String>> {
    promisify!(legacy::fallible(true, Ok(_), Err(|e: &str| _)))
}

fn method_with_turbofish(client: &Client) -> (Handle, Promise<Vec<u8>>) {
    promisify!(client.fetch::<Vec<u8>>("/index", _))
}

fn stream_mode() -> CallbackStream<u32> {
    promisify!(stream timer.every(Duration::from_secs(1), _))
}

fn statement_position() {
    promisify!(legacy::fire_and_forget(_));
}

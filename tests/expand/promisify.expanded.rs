fn placeholder() -> Promise<u32> {
    {
        let (callback, promise) = ::callback_async::__private::promise_shared(
            &"legacy::once(1, _)",
        );
        ::callback_async::__private::finish(
                legacy::once(1, move |value| (&callback).resolve(value)),
                promise,
            )
            .callback_async_finish()
    }
}
fn no_arguments(pool: &Pool) {
    let promise = {
        let (callback, promise) = ::callback_async::__private::promise_shared(
            &"pool.execute(|| _)",
        );
        ::callback_async::__private::finish(
                pool.execute(move || (&callback).resolve(())),
                promise,
            )
            .callback_async_finish()
    };
    block_on(promise);
}
fn several_arguments() -> Promise<(u8, String)> {
    {
        let (callback, promise) = ::callback_async::__private::promise_shared(
            &"legacy::pair(|a, b| _)",
        );
        ::callback_async::__private::finish(
                legacy::pair(move |value_1, value_2| {
                    (&callback).resolve((value_1, value_2))
                }),
                promise,
            )
            .callback_async_finish()
    }
}
fn typed_borrowed_arguments() -> Promise<(String, u8)> {
    {
        let (callback, promise) = ::callback_async::__private::promise_shared(
            &"legacy::borrowed(|s: &str, n: u8| _)",
        );
        ::callback_async::__private::finish(
                legacy::borrowed(move |value_1: &str, value_2: u8| {
                    (&callback)
                        .resolve((
                            <str as ::callback_async::__private::OwnedCopy>::owned_copy(
                                value_1,
                            ),
                            value_2,
                        ))
                }),
                promise,
            )
            .callback_async_finish()
    }
}
fn nested() -> (usize, Promise<u16>) {
    {
        let (callback, promise) = ::callback_async::__private::promise_shared(
            &"legacy::boxed(Box::new(_))",
        );
        ::callback_async::__private::finish(
                legacy::boxed(Box::new(move |value| (&callback).resolve(value))),
                promise,
            )
            .callback_async_finish()
    }
}
fn ok_err() -> Promise<Result<u8, String>> {
    {
        let (callback, promise) = ::callback_async::__private::promise_shared(
            &"legacy::fallible(true, Ok(_), Err(|e: &str| _))",
        );
        let ok = ::callback_async::__private::Arc::new(callback);
        let err = ::callback_async::__private::Arc::clone(&ok);
        ::callback_async::__private::finish(
                legacy::fallible(
                    true,
                    move |value| (&*ok).resolve(::core::result::Result::Ok(value)),
                    move |value: &str| {
                        (&*err)
                            .resolve(
                                ::core::result::Result::Err(
                                    <str as ::callback_async::__private::OwnedCopy>::owned_copy(
                                        value,
                                    ),
                                ),
                            )
                    },
                ),
                promise,
            )
            .callback_async_finish()
    }
}
fn method_with_turbofish(client: &Client) -> (Handle, Promise<Vec<u8>>) {
    {
        let (callback, promise) = ::callback_async::__private::promise_shared(
            &"client.fetch::<Vec<u8>>(\"/index\", _)",
        );
        ::callback_async::__private::finish(
                client
                    .fetch::<Vec<u8>>("/index", move |value| (&callback).resolve(value)),
                promise,
            )
            .callback_async_finish()
    }
}
fn stream_mode() -> CallbackStream<u32> {
    {
        let (callback, promise) = ::callback_async::__private::stream();
        ::callback_async::__private::finish(
                timer
                    .every(Duration::from_secs(1), move |value| (&callback).send(value)),
                promise,
            )
            .callback_async_finish()
    }
}
fn statement_position() {
    {
        let (callback, promise) = ::callback_async::__private::promise_shared(
            &"legacy::fire_and_forget(_)",
        );
        ::callback_async::__private::finish(
                legacy::fire_and_forget(move |value| (&callback).resolve(value)),
                promise,
            )
            .callback_async_finish()
    };
}

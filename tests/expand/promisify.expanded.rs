fn placeholder() -> Promise<u32> {
    {
        let (resolver, promise) = ::callback_async::__private::promise_shared(
            &"legacy::once(1, _)",
        );
        ::callback_async::__private::finish(
                legacy::once(1, move |arg0| (&resolver).settle(arg0)),
                promise,
            )
            .finish()
    }
}
fn no_arguments(pool: &Pool) {
    let promise = {
        let (resolver, promise) = ::callback_async::__private::promise_shared(
            &"pool.execute(|| _)",
        );
        ::callback_async::__private::finish(
                pool.execute(move || (&resolver).settle(())),
                promise,
            )
            .finish()
    };
    block_on(promise);
}
fn several_arguments() -> Promise<(u8, String)> {
    {
        let (resolver, promise) = ::callback_async::__private::promise_shared(
            &"legacy::pair(|a, b| _)",
        );
        ::callback_async::__private::finish(
                legacy::pair(move |arg0, arg1| (&resolver).settle((arg0, arg1))),
                promise,
            )
            .finish()
    }
}
fn typed_borrowed_arguments() -> Promise<(String, u8)> {
    {
        let (resolver, promise) = ::callback_async::__private::promise_shared(
            &"legacy::borrowed(|s: &str, n: u8| _)",
        );
        ::callback_async::__private::finish(
                legacy::borrowed(move |arg0: &str, arg1: u8| {
                    (&resolver)
                        .settle((
                            <str as ::callback_async::__private::ToOwned>::to_owned(
                                arg0,
                            ),
                            arg1,
                        ))
                }),
                promise,
            )
            .finish()
    }
}
fn nested() -> (usize, Promise<u16>) {
    {
        let (resolver, promise) = ::callback_async::__private::promise_shared(
            &"legacy::boxed(Box::new(_))",
        );
        ::callback_async::__private::finish(
                legacy::boxed(Box::new(move |arg0| (&resolver).settle(arg0))),
                promise,
            )
            .finish()
    }
}
fn ok_err() -> Promise<Result<u8, String>> {
    {
        let (resolver, promise) = ::callback_async::__private::promise_shared(
            &"legacy::fallible(true, Ok(_), Err(|e: &str| _))",
        );
        let ok = ::callback_async::__private::Arc::new(resolver);
        let err = ::callback_async::__private::Arc::clone(&ok);
        ::callback_async::__private::finish(
                legacy::fallible(
                    true,
                    move |arg0| (&*ok).settle(::core::result::Result::Ok(arg0)),
                    move |arg0: &str| {
                        (&*err)
                            .settle(
                                ::core::result::Result::Err(
                                    <str as ::callback_async::__private::ToOwned>::to_owned(
                                        arg0,
                                    ),
                                ),
                            )
                    },
                ),
                promise,
            )
            .finish()
    }
}
fn method_with_turbofish(client: &Client) -> (Handle, Promise<Vec<u8>>) {
    {
        let (resolver, promise) = ::callback_async::__private::promise_shared(
            &"client.fetch::<Vec<u8>>(\"/index\", _)",
        );
        ::callback_async::__private::finish(
                client.fetch::<Vec<u8>>("/index", move |arg0| (&resolver).settle(arg0)),
                promise,
            )
            .finish()
    }
}
fn stream_mode() -> CallbackStream<u32> {
    {
        let (resolver, promise) = ::callback_async::__private::stream();
        ::callback_async::__private::finish(
                timer.every(Duration::from_secs(1), move |arg0| (&resolver).send(arg0)),
                promise,
            )
            .finish()
    }
}
fn statement_position() {
    {
        let (resolver, promise) = ::callback_async::__private::promise_shared(
            &"legacy::fire_and_forget(_)",
        );
        ::callback_async::__private::finish(
                legacy::fire_and_forget(move |arg0| (&resolver).settle(arg0)),
                promise,
            )
            .finish()
    };
}

fn placeholder() -> Promise<u32> {
    {
        let (resolver, promise) = ::callback_async::__private::promise_shared(
            &"legacy::once(1, _)",
        );
        #[allow(unused_imports)]
        use ::callback_async::__private::FinishWithValue as _;
        ::callback_async::__private::Finish {
            ret: legacy::once(
                1,
                move |arg0| ::callback_async::__private::Shared::settle(&resolver, arg0),
            ),
            promise: promise,
        }
            .finish()
    }
}
fn no_arguments(pool: &Pool) {
    let promise = {
        let (resolver, promise) = ::callback_async::__private::promise_shared(
            &"pool.execute(|| _)",
        );
        #[allow(unused_imports)]
        use ::callback_async::__private::FinishWithValue as _;
        ::callback_async::__private::Finish {
            ret: pool
                .execute(move || ::callback_async::__private::Shared::settle(
                    &resolver,
                    (),
                )),
            promise: promise,
        }
            .finish()
    };
    block_on(promise);
}
fn several_arguments() -> Promise<(u8, String)> {
    {
        let (resolver, promise) = ::callback_async::__private::promise_shared(
            &"legacy::pair(|a, b| _)",
        );
        #[allow(unused_imports)]
        use ::callback_async::__private::FinishWithValue as _;
        ::callback_async::__private::Finish {
            ret: legacy::pair(move |arg0, arg1| ::callback_async::__private::Shared::settle(
                &resolver,
                (arg0, arg1),
            )),
            promise: promise,
        }
            .finish()
    }
}
fn typed_borrowed_arguments() -> Promise<(String, u8)> {
    {
        let (resolver, promise) = ::callback_async::__private::promise_shared(
            &"legacy::borrowed(|s: &str, n: u8| _)",
        );
        #[allow(unused_imports)]
        use ::callback_async::__private::FinishWithValue as _;
        ::callback_async::__private::Finish {
            ret: legacy::borrowed(move |arg0: &str, arg1: u8| ::callback_async::__private::Shared::settle(
                &resolver,
                (<str as ::callback_async::__private::ToOwned>::to_owned(arg0), arg1),
            )),
            promise: promise,
        }
            .finish()
    }
}
fn nested() -> (usize, Promise<u16>) {
    {
        let (resolver, promise) = ::callback_async::__private::promise_shared(
            &"legacy::boxed(Box::new(_))",
        );
        #[allow(unused_imports)]
        use ::callback_async::__private::FinishWithValue as _;
        ::callback_async::__private::Finish {
            ret: legacy::boxed(
                Box::new(move |arg0| ::callback_async::__private::Shared::settle(
                    &resolver,
                    arg0,
                )),
            ),
            promise: promise,
        }
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
        #[allow(unused_imports)]
        use ::callback_async::__private::FinishWithValue as _;
        ::callback_async::__private::Finish {
            ret: legacy::fallible(
                true,
                move |arg0| ::callback_async::__private::Shared::settle(
                    &*ok,
                    ::core::result::Result::Ok(arg0),
                ),
                move |arg0: &str| ::callback_async::__private::Shared::settle(
                    &*err,
                    ::core::result::Result::Err(
                        <str as ::callback_async::__private::ToOwned>::to_owned(arg0),
                    ),
                ),
            ),
            promise: promise,
        }
            .finish()
    }
}
fn method_with_turbofish(client: &Client) -> (Handle, Promise<Vec<u8>>) {
    {
        let (resolver, promise) = ::callback_async::__private::promise_shared(
            &"client.fetch::<Vec<u8>>(\"/index\", _)",
        );
        #[allow(unused_imports)]
        use ::callback_async::__private::FinishWithValue as _;
        ::callback_async::__private::Finish {
            ret: client
                .fetch::<
                    Vec<u8>,
                >(
                    "/index",
                    move |arg0| ::callback_async::__private::Shared::settle(
                        &resolver,
                        arg0,
                    ),
                ),
            promise: promise,
        }
            .finish()
    }
}
fn stream_mode() -> CallbackStream<u32> {
    {
        let (resolver, promise) = ::callback_async::__private::stream();
        #[allow(unused_imports)]
        use ::callback_async::__private::FinishWithValue as _;
        ::callback_async::__private::Finish {
            ret: timer
                .every(
                    Duration::from_secs(1),
                    move |arg0| ::callback_async::__private::StreamSender::send(
                        &resolver,
                        arg0,
                    ),
                ),
            promise: promise,
        }
            .finish()
    }
}
fn statement_position() {
    {
        let (resolver, promise) = ::callback_async::__private::promise_shared(
            &"legacy::fire_and_forget(_)",
        );
        #[allow(unused_imports)]
        use ::callback_async::__private::FinishWithValue as _;
        ::callback_async::__private::Finish {
            ret: legacy::fire_and_forget(move |arg0| ::callback_async::__private::Shared::settle(
                &resolver,
                arg0,
            )),
            promise: promise,
        }
            .finish()
    };
}

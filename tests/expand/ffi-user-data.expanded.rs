fn accessor(db: *mut sqlite3) -> (c_int, CallbackStream<c_int>) {
    {
        #[allow(clippy::too_many_arguments)]
        extern "C" fn callback_async_trampoline<D>(
            ctx: *mut sqlite3_context,
            arg1: c_int,
            values: *mut *mut sqlite3_value,
        )
        where
            D: ::callback_async::__private::ffi::CallShared<
                (*mut sqlite3_context, c_int, *mut *mut sqlite3_value),
                Output = (),
            >,
        {
            unsafe {
                ::callback_async::__private::ffi::call_shared::<
                    D,
                    _,
                >(sqlite3_user_data(ctx), (ctx, arg1, values));
            }
        }
        #[inline]
        fn callback_async_instantiate<D>(
            _: &D,
        ) -> extern "C" fn(*mut sqlite3_context, c_int, *mut *mut sqlite3_value)
        where
            D: ::callback_async::__private::ffi::CallShared<
                (*mut sqlite3_context, c_int, *mut *mut sqlite3_value),
                Output = (),
            >,
        {
            callback_async_trampoline::<D>
        }
        #[allow(clippy::too_many_arguments)]
        extern "C" fn callback_async_destroy<D>(arg0: *mut ::core::ffi::c_void)
        where
            D: ::core::marker::Sized,
        {
            unsafe {
                ::callback_async::__private::ffi::destroy::<D>(arg0);
            }
        }
        #[inline]
        fn callback_async_instantiate_destroy<D>(
            _: &D,
        ) -> extern "C" fn(*mut ::core::ffi::c_void) {
            callback_async_destroy::<D>
        }
        let (sink, promise) = ::callback_async::__private::ffi::stream();
        let state = ::callback_async::__private::ffi::shared(
            sink,
            move |
                sink,
                (ctx, _, values): (*mut sqlite3_context, c_int, *mut *mut sqlite3_value)|
            {
                let _ = &ctx;
                {
                    let n = unsafe { sqlite3_value_int(*values) };
                    ::callback_async::__private::ffi::send(sink, n);
                    unsafe { sqlite3_result_int(ctx, 2 * n) };
                }
            },
        );
        let callback = callback_async_instantiate(&state);
        let destroy = callback_async_instantiate_destroy(&state);
        let user_data = ::callback_async::__private::ffi::into_raw_shared(state);
        ::callback_async::__private::finish(
                unsafe {
                    sqlite3_create_function_v2(
                        db,
                        c"twice".as_ptr(),
                        1,
                        SQLITE_UTF8,
                        user_data,
                        Some(callback),
                        None,
                        None,
                        Some(destroy),
                    )
                },
                promise,
            )
            .callback_async_finish()
    }
}
fn paired(db: *mut sqlite3) -> (CallbackStream<bool>, Registration) {
    {
        let (sink, promise) = ::callback_async::__private::ffi::stream();
        let sink = ::callback_async::__private::Arc::new(sink);
        let state = ::callback_async::__private::ffi::shared(
            ::callback_async::__private::Arc::clone(&sink),
            move |sink, (): ()| -> c_int {
                ::callback_async::__private::ffi::send(sink, true);
                0
            },
        );
        let callback = {
            #[allow(clippy::too_many_arguments)]
            extern "C" fn callback_async_trampoline<D>(
                arg0: *mut ::core::ffi::c_void,
            ) -> c_int
            where
                D: ::callback_async::__private::ffi::CallShared<(), Output = c_int>,
            {
                unsafe {
                    ::callback_async::__private::ffi::call_shared::<D, _>(arg0, ())
                }
            }
            #[inline]
            fn callback_async_instantiate<D>(
                _: &D,
            ) -> extern "C" fn(*mut ::core::ffi::c_void) -> c_int
            where
                D: ::callback_async::__private::ffi::CallShared<(), Output = c_int>,
            {
                callback_async_trampoline::<D>
            }
            callback_async_instantiate(&state)
        };
        let (user_data, registration) = ::callback_async::__private::ffi::registration(
            state,
        );
        let state_2 = ::callback_async::__private::ffi::shared(
            ::callback_async::__private::Arc::clone(&sink),
            move |sink, (): ()| ::callback_async::__private::ffi::send(sink, false),
        );
        let callback_2 = {
            #[allow(clippy::too_many_arguments)]
            extern "C" fn callback_async_trampoline<D>(arg0: *mut ::core::ffi::c_void)
            where
                D: ::callback_async::__private::ffi::CallShared<(), Output = ()>,
            {
                unsafe {
                    ::callback_async::__private::ffi::call_shared::<D, _>(arg0, ());
                }
            }
            #[inline]
            fn callback_async_instantiate<D>(
                _: &D,
            ) -> extern "C" fn(*mut ::core::ffi::c_void)
            where
                D: ::callback_async::__private::ffi::CallShared<(), Output = ()>,
            {
                callback_async_trampoline::<D>
            }
            callback_async_instantiate(&state_2)
        };
        let (user_data_2, registration_2) = ::callback_async::__private::ffi::registration(
            state_2,
        );
        ::callback_async::__private::finish_flat(
                unsafe {
                    sqlite3_commit_hook(db, Some(callback), user_data);
                    sqlite3_rollback_hook(db, Some(callback_2), user_data_2);
                },
                (
                    promise,
                    ::callback_async::__private::ffi::join(registration, registration_2),
                ),
            )
            .callback_async_finish()
    }
}
fn ignored(pool: &Pool) -> Promise<u8> {
    {
        let (callback, promise) = ::callback_async::__private::promise_shared(
            &"pool.pair(|n: u8, _: &str| _)",
        );
        ::callback_async::__private::finish(
                pool
                    .pair(move |value_1: u8, _value_2: &str| {
                        (&callback).resolve(value_1)
                    }),
                promise,
            )
            .callback_async_finish()
    }
}
unsafe fn watch_two(
    on_a: Option<Callback>,
    a: *mut c_void,
    on_b: Option<Callback>,
    b: *mut c_void,
) {
    register(on_a, a, on_b, b)
}
/// The stream version of [`watch_two`], generated by `#[callback_async]`: it calls `watch_two` at once with a generated `extern "C"` callback whose every `_(..)` is an item of the returned stream.
///
/// # Safety
///
/// The contract of [`watch_two`] for its other arguments, and: for each of its callbacks and the user data paired with it, C calls the callback only until the returned `Registration` is released. See `callback_async::ffi`.
#[inline]
#[track_caller]
unsafe fn watch_two_stream() -> (
    ::callback_async::__private::CallbackStream<c_int>,
    ::callback_async::__private::Registration,
) {
    {
        let (sink, promise) = ::callback_async::__private::ffi::stream();
        let sink = ::callback_async::__private::Arc::new(sink);
        let state = ::callback_async::__private::ffi::shared(
            ::callback_async::__private::Arc::clone(&sink),
            move |sink, (n,): (c_int,)| ::callback_async::__private::ffi::send(sink, n),
        );
        let callback = {
            #[allow(clippy::too_many_arguments)]
            extern "C" fn callback_async_trampoline<D>(
                arg0: *mut ::core::ffi::c_void,
                arg1: c_int,
            )
            where
                D: ::callback_async::__private::ffi::CallShared<(c_int,), Output = ()>,
            {
                unsafe {
                    ::callback_async::__private::ffi::call_shared::<D, _>(arg0, (arg1,));
                }
            }
            #[inline]
            fn callback_async_instantiate<D>(
                _: &D,
            ) -> extern "C" fn(*mut ::core::ffi::c_void, c_int)
            where
                D: ::callback_async::__private::ffi::CallShared<(c_int,), Output = ()>,
            {
                callback_async_trampoline::<D>
            }
            callback_async_instantiate(&state)
        };
        let (user_data, registration) = ::callback_async::__private::ffi::registration(
            state,
        );
        let state_2 = ::callback_async::__private::ffi::shared(
            ::callback_async::__private::Arc::clone(&sink),
            move |sink, (n,): (c_int,)| ::callback_async::__private::ffi::send(sink, n),
        );
        let callback_2 = {
            #[allow(clippy::too_many_arguments)]
            extern "C" fn callback_async_trampoline<D>(
                arg0: *mut ::core::ffi::c_void,
                arg1: c_int,
            )
            where
                D: ::callback_async::__private::ffi::CallShared<(c_int,), Output = ()>,
            {
                unsafe {
                    ::callback_async::__private::ffi::call_shared::<D, _>(arg0, (arg1,));
                }
            }
            #[inline]
            fn callback_async_instantiate<D>(
                _: &D,
            ) -> extern "C" fn(*mut ::core::ffi::c_void, c_int)
            where
                D: ::callback_async::__private::ffi::CallShared<(c_int,), Output = ()>,
            {
                callback_async_trampoline::<D>
            }
            callback_async_instantiate(&state_2)
        };
        let (user_data_2, registration_2) = ::callback_async::__private::ffi::registration(
            state_2,
        );
        ::callback_async::__private::finish_flat(
                unsafe {
                    watch_two(Some(callback), user_data, Some(callback_2), user_data_2)
                },
                (
                    promise,
                    ::callback_async::__private::ffi::join(registration, registration_2),
                ),
            )
            .callback_async_finish()
    }
}

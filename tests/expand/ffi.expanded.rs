fn once(thread: &mut libc::pthread_t) -> (c_int, Promise<ThreadId>) {
    {
        #[allow(clippy::too_many_arguments)]
        extern "C" fn callback_async_trampoline<D>(
            arg0: *mut ::core::ffi::c_void,
        ) -> *mut c_void
        where
            D: ::callback_async::__private::ffi::CallOnce<(), Output = *mut c_void>,
        {
            unsafe { ::callback_async::__private::ffi::call_once::<D, _>(arg0, ()) }
        }
        #[inline]
        fn callback_async_instantiate<D>(
            _: &D,
        ) -> extern "C" fn(*mut ::core::ffi::c_void) -> *mut c_void
        where
            D: ::callback_async::__private::ffi::CallOnce<(), Output = *mut c_void>,
        {
            callback_async_trampoline::<D>
        }
        let (sink, promise) = ::callback_async::__private::ffi::promise_shared(
            &"unsafe { libc::pthread_create(thread, ptr::null(), |_| -> * mut c_void { _(thread::current().id()); ptr::null_mut() }, _,) }",
        );
        let state = ::callback_async::__private::ffi::once(
            sink,
            move |sink, (): ()| -> *mut c_void {
                ::callback_async::__private::ffi::send(sink, thread::current().id());
                ptr::null_mut()
            },
        );
        let callback = callback_async_instantiate(&state);
        let user_data = ::callback_async::__private::ffi::into_raw_once(state);
        ::callback_async::__private::finish(
                unsafe {
                    libc::pthread_create(thread, ptr::null(), callback, user_data)
                },
                promise,
            )
            .callback_async_finish()
    }
}
fn scoped_stream(db: *mut sqlite3) -> (c_int, CallbackStream<Vec<Option<String>>>) {
    {
        #[allow(clippy::too_many_arguments)]
        extern "C" fn callback_async_trampoline<D>(
            arg0: *mut ::core::ffi::c_void,
            arg1: c_int,
            arg2: *mut *mut c_char,
            arg3: *mut *mut c_char,
        ) -> c_int
        where
            D: ::callback_async::__private::ffi::CallShared<
                (c_int, *mut *mut c_char, *mut *mut c_char),
                Output = c_int,
            >,
        {
            unsafe {
                ::callback_async::__private::ffi::call_shared::<
                    D,
                    _,
                >(arg0, (arg1, arg2, arg3))
            }
        }
        #[inline]
        fn callback_async_instantiate<D>(
            _: &D,
        ) -> extern "C" fn(
            *mut ::core::ffi::c_void,
            c_int,
            *mut *mut c_char,
            *mut *mut c_char,
        ) -> c_int
        where
            D: ::callback_async::__private::ffi::CallShared<
                (c_int, *mut *mut c_char, *mut *mut c_char),
                Output = c_int,
            >,
        {
            callback_async_trampoline::<D>
        }
        let (sink, promise) = ::callback_async::__private::ffi::stream();
        let state = ::callback_async::__private::ffi::shared(
            sink,
            move |
                sink,
                (n, values, _): (c_int, *mut *mut c_char, *mut *mut c_char),
            | -> c_int {
                ::callback_async::__private::ffi::send(
                    sink,
                    unsafe { strings(n, values) },
                );
                0
            },
        );
        let callback = callback_async_instantiate(&state);
        let user_data = ::callback_async::__private::ffi::borrow_raw(&state);
        ::callback_async::__private::finish(
                unsafe {
                    sqlite3_exec(
                        db,
                        sql.as_ptr(),
                        Some(callback),
                        user_data,
                        ptr::null_mut(),
                    )
                },
                promise,
            )
            .callback_async_finish()
    }
}
fn destroy_notify(db: *mut sqlite3) -> (c_int, CallbackStream<(String, String)>) {
    {
        #[allow(clippy::too_many_arguments)]
        extern "C" fn callback_async_trampoline<D>(
            arg0: *mut ::core::ffi::c_void,
            arg1: c_int,
            arg2: *const c_void,
            arg3: c_int,
            arg4: *const c_void,
        ) -> c_int
        where
            D: ::callback_async::__private::ffi::CallShared<
                (c_int, *const c_void, c_int, *const c_void),
                Output = c_int,
            >,
        {
            unsafe {
                ::callback_async::__private::ffi::call_shared::<
                    D,
                    _,
                >(arg0, (arg1, arg2, arg3, arg4))
            }
        }
        #[inline]
        fn callback_async_instantiate<D>(
            _: &D,
        ) -> extern "C" fn(
            *mut ::core::ffi::c_void,
            c_int,
            *const c_void,
            c_int,
            *const c_void,
        ) -> c_int
        where
            D: ::callback_async::__private::ffi::CallShared<
                (c_int, *const c_void, c_int, *const c_void),
                Output = c_int,
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
                (n1, s1, n2, s2): (c_int, *const c_void, c_int, *const c_void),
            | -> c_int {
                ::callback_async::__private::ffi::send(
                    sink,
                    (text(s1, n1), text(s2, n2)),
                );
                0
            },
        );
        let callback = callback_async_instantiate(&state);
        let destroy = callback_async_instantiate_destroy(&state);
        let user_data = ::callback_async::__private::ffi::into_raw_shared(state);
        ::callback_async::__private::finish(
                unsafe {
                    sqlite3_create_collation_v2(
                        db,
                        c"rust".as_ptr(),
                        SQLITE_UTF8,
                        user_data,
                        Some(callback),
                        Some(destroy),
                    )
                },
                promise,
            )
            .callback_async_finish()
    }
}
fn registration(
    db: *mut sqlite3,
) -> (*mut c_void, CallbackStream<(c_int, i64)>, Registration) {
    {
        #[allow(clippy::too_many_arguments)]
        extern "C" fn callback_async_trampoline<D>(
            arg0: *mut ::core::ffi::c_void,
            arg1: c_int,
            arg2: *const c_char,
            arg3: *const c_char,
            arg4: i64,
        )
        where
            D: ::callback_async::__private::ffi::CallShared<
                (c_int, *const c_char, *const c_char, i64),
                Output = (),
            >,
        {
            unsafe {
                ::callback_async::__private::ffi::call_shared::<
                    D,
                    _,
                >(arg0, (arg1, arg2, arg3, arg4));
            }
        }
        #[inline]
        fn callback_async_instantiate<D>(
            _: &D,
        ) -> extern "C" fn(
            *mut ::core::ffi::c_void,
            c_int,
            *const c_char,
            *const c_char,
            i64,
        )
        where
            D: ::callback_async::__private::ffi::CallShared<
                (c_int, *const c_char, *const c_char, i64),
                Output = (),
            >,
        {
            callback_async_trampoline::<D>
        }
        let (sink, promise) = ::callback_async::__private::ffi::stream();
        let state = ::callback_async::__private::ffi::shared(
            sink,
            move |sink, (op, _, _, rowid): (c_int, *const c_char, *const c_char, i64)| ::callback_async::__private::ffi::send(
                sink,
                (op, rowid),
            ),
        );
        let callback = callback_async_instantiate(&state);
        let (user_data, registration) = ::callback_async::__private::ffi::registration(
            state,
        );
        ::callback_async::__private::finish_flat(
                unsafe { sqlite3_update_hook(db, Some(callback), user_data) },
                (promise, registration),
            )
            .callback_async_finish()
    }
}
fn carrier(timer: &mut libc::timer_t) -> (c_int, Promise<()>) {
    {
        #[allow(clippy::too_many_arguments)]
        extern "C" fn callback_async_trampoline<D>(arg0: libc::sigval)
        where
            D: ::callback_async::__private::ffi::CallOnce<(), Output = ()>,
        {
            unsafe {
                ::callback_async::__private::ffi::call_once::<D, _>(arg0.sival_ptr, ());
            }
        }
        #[inline]
        fn callback_async_instantiate<D>(_: &D) -> extern "C" fn(libc::sigval)
        where
            D: ::callback_async::__private::ffi::CallOnce<(), Output = ()>,
        {
            callback_async_trampoline::<D>
        }
        let (sink, promise) = ::callback_async::__private::ffi::promise_shared(
            &"unsafe { let mut event = SigEvent::thread(libc::sigval { sival_ptr: _ }, |libc::sigval { sival_ptr: _ }| _()); libc::timer_create(libc::CLOCK_MONOTONIC, (&raw mut event).cast(), timer) }",
        );
        let state = ::callback_async::__private::ffi::once(
            sink,
            move |sink, (): ()| ::callback_async::__private::ffi::send(sink, ()),
        );
        let callback = callback_async_instantiate(&state);
        let user_data = ::callback_async::__private::ffi::into_raw_once(state);
        ::callback_async::__private::finish(
                unsafe {
                    let mut event = SigEvent::thread(
                        libc::sigval {
                            sival_ptr: user_data,
                        },
                        callback,
                    );
                    libc::timer_create(
                        libc::CLOCK_MONOTONIC,
                        (&raw mut event).cast(),
                        timer,
                    )
                },
                promise,
            )
            .callback_async_finish()
    }
}

fn two_handlers_one_stream() -> CallbackStream<Event> {
    {
        let (callback, promise) = ::callback_async::__private::stream();
        let callback = ::callback_async::__private::Arc::new(callback);
        ::callback_async::__private::finish(
                parse(
                    {
                        let stream = ::callback_async::__private::Arc::clone(&callback);
                        move |name: &str| {
                            (*stream).send(Event::Start(name.to_owned()))
                        }
                    },
                    {
                        let stream = ::callback_async::__private::Arc::clone(&callback);
                        move |name: &str| { (*stream).send(Event::End(name.to_owned())) }
                    },
                ),
                promise,
            )
            .callback_async_finish()
    }
}
fn two_bodies_one_promise() -> (u32, Promise<u8>) {
    {
        let (callback, promise) = ::callback_async::__private::promise_shared(
            &"race(|n| { _(n) }, |n| { _(n + 1) })",
        );
        let callback = ::callback_async::__private::Arc::new(callback);
        ::callback_async::__private::finish(
                race(
                    {
                        let promise = ::callback_async::__private::Arc::clone(&callback);
                        move |n| { (*promise).resolve(n) }
                    },
                    {
                        let promise = ::callback_async::__private::Arc::clone(&callback);
                        move |n| { (*promise).resolve(n + 1) }
                    },
                ),
                promise,
            )
            .callback_async_finish()
    }
}
fn two_streams_and_a_completion() -> (
    &'static str,
    CallbackStream<u32>,
    CallbackStream<u64>,
    Promise<bool>,
) {
    {
        let (callback, promise) = ::callback_async::__private::promise_shared(
            &"transfer(3, stream(_), stream(_, bound = 16), _)",
        );
        let (progress, progress_stream) = ::callback_async::__private::stream();
        let (progress_2, progress_stream_2) = {
            let bound: ::core::primitive::usize = 16;
            ::callback_async::__private::stream_bounded(
                bound,
                ::callback_async::__private::Overflow::DropOldest,
            )
        };
        let callback = ::callback_async::__private::completion_many(
            callback,
            (
                ::callback_async::__private::closer(&progress),
                ::callback_async::__private::closer(&progress_2),
            ),
        );
        ::callback_async::__private::finish_flat(
                transfer(
                    3,
                    move |value| (&progress).send(value),
                    move |value| (&progress_2).send(value),
                    move |value| (&callback).resolve(value),
                ),
                (progress_stream, progress_stream_2, promise),
            )
            .callback_async_finish()
    }
}
fn two_streams_alone() -> (CallbackStream<String>, CallbackStream<String>) {
    {
        let (progress, progress_stream) = ::callback_async::__private::stream();
        let (progress_2, progress_stream_2) = ::callback_async::__private::stream();
        ::callback_async::__private::finish_flat(
                watch(
                    move |value| (&progress).send(value),
                    move |value| (&progress_2).send(value),
                ),
                (progress_stream, progress_stream_2),
            )
            .callback_async_finish()
    }
}
fn two_c_callbacks_one_stream(
    parser: XML_Parser,
) -> (CallbackStream<Event>, Registration) {
    {
        #[allow(clippy::too_many_arguments)]
        extern "C" fn callback_async_trampoline_0<D>(
            arg0: *mut ::core::ffi::c_void,
            arg1: *const c_char,
            arg2: *mut *const c_char,
        )
        where
            D: ::callback_async::__private::ffi::CallSharedAt<
                0,
                (*const c_char, *mut *const c_char),
                Output = (),
            >,
        {
            unsafe {
                ::callback_async::__private::ffi::call_shared_at::<
                    0,
                    D,
                    _,
                >(arg0, (arg1, arg2));
            }
        }
        #[inline]
        fn callback_async_instantiate_0<D>(
            _: &D,
        ) -> extern "C" fn(*mut ::core::ffi::c_void, *const c_char, *mut *const c_char)
        where
            D: ::callback_async::__private::ffi::CallSharedAt<
                0,
                (*const c_char, *mut *const c_char),
                Output = (),
            >,
        {
            callback_async_trampoline_0::<D>
        }
        #[allow(clippy::too_many_arguments)]
        extern "C" fn callback_async_trampoline_1<D>(
            arg0: *mut ::core::ffi::c_void,
            arg1: *const c_char,
        )
        where
            D: ::callback_async::__private::ffi::CallSharedAt<
                1,
                (*const c_char,),
                Output = (),
            >,
        {
            unsafe {
                ::callback_async::__private::ffi::call_shared_at::<
                    1,
                    D,
                    _,
                >(arg0, (arg1,));
            }
        }
        #[inline]
        fn callback_async_instantiate_1<D>(
            _: &D,
        ) -> extern "C" fn(*mut ::core::ffi::c_void, *const c_char)
        where
            D: ::callback_async::__private::ffi::CallSharedAt<
                1,
                (*const c_char,),
                Output = (),
            >,
        {
            callback_async_trampoline_1::<D>
        }
        let (sink, promise) = ::callback_async::__private::ffi::stream();
        let parts = (
            ::callback_async::__private::ffi::part(
                &sink,
                move |sink, (name, _): (*const c_char, *mut *const c_char)| ::callback_async::__private::ffi::send(
                    sink,
                    Event::Start(owned(name)),
                ),
            ),
            ::callback_async::__private::ffi::part(
                &sink,
                move |sink, (name,): (*const c_char,)| ::callback_async::__private::ffi::send(
                    sink,
                    Event::End(owned(name)),
                ),
            ),
        );
        let state = ::callback_async::__private::ffi::shared_parts(sink, parts);
        let callback = callback_async_instantiate_0(&state);
        let callback_2 = callback_async_instantiate_1(&state);
        let (user_data, registration) = ::callback_async::__private::ffi::registration(
            state,
        );
        ::callback_async::__private::finish_flat(
                unsafe {
                    XML_SetUserData(parser, user_data);
                    XML_SetElementHandler(parser, callback, callback_2)
                },
                (promise, registration),
            )
            .callback_async_finish()
    }
}

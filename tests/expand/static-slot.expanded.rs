use std::ffi::c_int;
use std::time::Duration;
use callback_async::{CallbackStream, promisify};
use rusqlite::backup::{Backup, Progress};
fn backup_progress(
    backup: &Backup<'_, '_>,
) -> (rusqlite::Result<()>, CallbackStream<Progress>) {
    {
        static CALLBACK_ASYNC_SLOT: ::callback_async::__private::slot::Slot = ::callback_async::__private::slot::Slot::new();
        #[allow(clippy::too_many_arguments)]
        fn callback_async_trampoline<CallbackAsyncState>(arg0: Progress)
        where
            CallbackAsyncState: ::callback_async::__private::ffi::CallShared<
                (Progress,),
                Output = (),
            >,
            CallbackAsyncState: 'static,
        {
            ::callback_async::__private::slot::call::<
                CallbackAsyncState,
                _,
            >(&CALLBACK_ASYNC_SLOT, (arg0,))
        }
        #[inline]
        fn callback_async_instantiate<CallbackAsyncState>(
            _: &CallbackAsyncState,
        ) -> fn(Progress)
        where
            CallbackAsyncState: ::callback_async::__private::ffi::CallShared<
                (Progress,),
                Output = (),
            >,
            CallbackAsyncState: 'static,
        {
            callback_async_trampoline::<CallbackAsyncState>
        }
        let (sink, stream) = ::callback_async::__private::slot::stream(
            ::callback_async::__private::slot::DEFAULT_BOUND,
            ::callback_async::__private::Overflow::DropOldest,
        );
        let state = ::callback_async::__private::ffi::shared(
            sink,
            move |sink, (p,): (Progress,)| ::callback_async::__private::ffi::send(
                sink,
                p,
            ),
        );
        let callback = callback_async_instantiate(&state);
        let stream = ::callback_async::__private::slot::claim(
            &CALLBACK_ASYNC_SLOT,
            state,
            stream,
            &"stream backup.run_to_completion(1, Duration::ZERO, Some(static |p: Progress| _(p)))",
        );
        ::callback_async::__private::finish(
                backup.run_to_completion(1, Duration::ZERO, Some(callback)),
                stream,
            )
            .callback_async_finish()
    }
}
fn signals() -> (libc::sighandler_t, CallbackStream<c_int>) {
    {
        static CALLBACK_ASYNC_SLOT: ::callback_async::__private::slot::Slot = ::callback_async::__private::slot::Slot::new();
        #[allow(clippy::too_many_arguments)]
        extern "C" fn callback_async_trampoline<CallbackAsyncState>(arg0: c_int)
        where
            CallbackAsyncState: ::callback_async::__private::ffi::CallShared<
                (c_int,),
                Output = (),
            >,
            CallbackAsyncState: 'static,
        {
            ::callback_async::__private::slot::call::<
                CallbackAsyncState,
                _,
            >(&CALLBACK_ASYNC_SLOT, (arg0,))
        }
        #[inline]
        fn callback_async_instantiate<CallbackAsyncState>(
            _: &CallbackAsyncState,
        ) -> extern "C" fn(c_int)
        where
            CallbackAsyncState: ::callback_async::__private::ffi::CallShared<
                (c_int,),
                Output = (),
            >,
            CallbackAsyncState: 'static,
        {
            callback_async_trampoline::<CallbackAsyncState>
        }
        let (sink, stream) = {
            let bound: ::core::primitive::usize = 64;
            ::callback_async::__private::slot::stream(
                bound,
                ::callback_async::__private::Overflow::DropOldest,
            )
        };
        let state = ::callback_async::__private::ffi::shared(
            sink,
            move |sink, (sig,): (c_int,)| ::callback_async::__private::ffi::send(
                sink,
                sig,
            ),
        );
        let callback = callback_async_instantiate(&state);
        let stream = ::callback_async::__private::slot::claim(
            &CALLBACK_ASYNC_SLOT,
            state,
            stream,
            &"stream(bound = 64) unsafe { libc::signal(libc::SIGUSR1, (static |sig: c_int| _(sig)) as libc::sighandler_t) }",
        );
        ::callback_async::__private::finish(
                unsafe { libc::signal(libc::SIGUSR1, (callback) as libc::sighandler_t) },
                stream,
            )
            .callback_async_finish()
    }
}

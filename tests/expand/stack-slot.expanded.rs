fn parse(text: &str, done: impl FnOnce(Result<u32, String>)) {
    done(text.parse().map_err(|_| text.to_owned()));
}
#[inline]
#[track_caller]
fn parse_async(text: &str) -> ::callback_async::__private::Promise<Result<u32, String>> {
    let mut slot = ::core::option::Option::<Result<u32, String>>::None;
    parse(
        text,
        |value| ::callback_async::__private::resolve_slot_once(&mut slot, value),
    );
    ::callback_async::__private::settled(
        slot,
        &::core::concat!(::core::module_path!(), "::parse"),
    )
}
fn each_line<F: FnMut(&str)>(text: &str, mut each: F) -> usize {
    text.lines().for_each(&mut each);
    text.lines().count()
}
#[inline]
#[track_caller]
fn each_line_async(
    text: &str,
) -> (usize, ::callback_async::__private::Promise<::callback_async::__private::String>) {
    let mut slot = ::core::option::Option::<::callback_async::__private::String>::None;
    let ret = each_line(
        text,
        |value| ::callback_async::__private::resolve_slot(
            &mut slot,
            &::core::concat!(::core::module_path!(), "::each_line"),
            || <str as ::callback_async::__private::OwnedCopy>::owned_copy(value),
        ),
    );
    (
        ret,
        ::callback_async::__private::settled(
            slot,
            &::core::concat!(::core::module_path!(), "::each_line"),
        ),
    )
}
fn shared(done: impl Fn(Option<u8>)) {
    done(Some(1));
}
#[inline]
#[track_caller]
fn shared_async() -> ::callback_async::__private::Promise<Option<u8>> {
    let slot = ::callback_async::__private::OnceCell::<Option<u8>>::new();
    shared(|value| ::callback_async::__private::resolve_cell(
        &slot,
        &::core::concat!(::core::module_path!(), "::shared"),
        || value,
    ));
    ::callback_async::__private::settled_or(slot.into_inner(), || None)
}
fn escapes(done: impl FnOnce(u8) + 'static) {
    done(1);
}
#[inline]
#[track_caller]
fn escapes_async() -> ::callback_async::__private::Promise<u8> {
    let (callback, promise) = ::callback_async::__private::promise_once::<
        u8,
    >(&::core::concat!(::core::module_path!(), "::escapes"));
    escapes(move |value| callback.resolve(value));
    promise
}

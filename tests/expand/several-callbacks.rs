fn two_handlers_one_stream() -> CallbackStream<Event> {
    promisify!(stream parse(
        |name: &str| { _(Event::Start(name.to_owned())) },
        |name: &str| { _(Event::End(name.to_owned())) },
    ))
}

fn two_bodies_one_promise() -> (u32, Promise<u8>) {
    promisify!(race(|n| { _(n) }, |n| { _(n + 1) }))
}

fn two_streams_and_a_completion() -> (&'static str, CallbackStream<u32>, CallbackStream<u64>, Promise<bool>) {
    promisify!(transfer(3, stream(_), stream(_, bound = 16), _))
}

fn two_streams_alone() -> (CallbackStream<String>, CallbackStream<String>) {
    promisify!(watch(stream(_), stream(_)))
}

fn two_c_callbacks_one_stream(parser: XML_Parser) -> (CallbackStream<Event>, Registration) {
    promisify!(stream unsafe {
        XML_SetUserData(parser, _);
        XML_SetElementHandler(
            parser,
            |_, name: *const c_char, _: *mut *const c_char| _(Event::Start(owned(name))),
            |_, name: *const c_char| _(Event::End(owned(name))),
        )
    })
}

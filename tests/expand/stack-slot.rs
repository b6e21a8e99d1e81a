// Callbacks that cannot outlive the call: the value goes into a slot on the caller's stack.

#[callback_async]
fn parse(text: &str, done: impl FnOnce(Result<u32, String>)) {
    done(text.parse().map_err(|_| text.to_owned()));
}

#[callback_async]
fn each_line<F: FnMut(&str)>(text: &str, mut each: F) -> usize {
    text.lines().for_each(&mut each);
    text.lines().count()
}

#[callback_async(dropped = None)]
fn shared(done: impl Fn(Option<u8>)) {
    done(Some(1));
}

// Disqualified by the `'static` bound: back to the channel.
#[callback_async]
fn escapes(done: impl FnOnce(u8) + 'static) {
    done(1);
}

#[callback_async(stream)]
fn count_to(n: u32, mut each: impl FnMut(u32) + Send + 'static) {
    thread::spawn(move || (1..=n).for_each(&mut each));
}

#[callback_async(cancel = Job::cancel)]
fn run(ms: u64, done: impl FnOnce(u64) + Send + 'static) -> Job {
    start(ms, done)
}

#[callback_async(stream, cancel = |j: Job| j.stop())]
fn ticks(each: impl Fn(&str) + Send + Sync + 'static) -> Job {
    start_ticking(each)
}

use callback_async::callback_async;

struct Job;

#[callback_async(cancel)]
fn run(done: impl FnOnce(u8)) -> Job {
    done(1);
    Job
}

fn main() {
    run(|_| {});
}

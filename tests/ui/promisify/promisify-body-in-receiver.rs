use callback_async::promisify;

struct Job;

impl Job {
    fn run(self) {}
}

fn make(_: impl FnOnce(u8)) -> Job {
    Job
}

fn main() {
    let _ = promisify!(make(|n| _(n)).run());
}

use callback_async::promisify;

struct Runner;

impl Runner {
    fn run(&self, done: impl FnOnce(u8)) {
        done(1);
    }
}

fn make(_: impl FnOnce(u8)) -> Runner {
    Runner
}

fn main() {
    let _ = promisify!(make(_).run(_));
}

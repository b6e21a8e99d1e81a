use callback_async::promisify;

fn run(mut factory: impl FnMut() -> Box<dyn FnMut(u8) + Send>) {
    let mut visit = factory();
    visit(1);
}

fn main() {
    let _ = promisify!(stream run(|| Box::new(|n| _)));
}

use callback_async::promisify;

fn main() {
    let _ = promisify!(unsafe {
        let _n = 1;
    });
}

use callback_async::callback_async;

#[callback_async(callback = pred)]
fn filter(items: Vec<u32>, pred: impl Fn(u32) -> bool, done: impl FnOnce(Vec<u32>)) {
    done(items.into_iter().filter(|&item| pred(item)).collect());
}

fn main() {
    filter(vec![1], |_| true, |_| {});
}

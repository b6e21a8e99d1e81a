#[callback_async]
impl Client {
    /// Gets a value.
    pub fn get(&self, key: u32, done: impl FnOnce(u32) + Send + 'static) {
        done(key);
    }

    pub fn count(&mut self, done: impl FnOnce(u32)) {
        self.calls += 1;
        done(self.calls);
    }

    pub fn close(self, done: Box<dyn FnOnce() + Send>) {
        done();
    }

    pub fn shared(self: Arc<Self>, done: impl FnOnce(bool)) {
        done(true);
    }

    pub fn open(done: impl FnOnce(Self)) {
        done(Client::default());
    }

    #[callback_async(callback = done, name = "x")]
    pub fn explicit(&self, progress: impl FnMut(u8), done: impl FnOnce(&str)) {
        let _ = progress;
        done("finished");
    }

    pub fn left_alone(&self) -> u32 {
        self.calls
    }
}

#[callback_async]
pub trait Store {
    /// Loads.
    fn load(&self, key: &str, done: Box<dyn FnOnce(Option<String>) + Send>);

    fn finish(self, done: impl FnOnce(bool));

    fn provided(&mut self, done: impl FnOnce(u8) + Send + 'static) {
        done(0);
    }

    fn left_alone(&self) -> usize;
}

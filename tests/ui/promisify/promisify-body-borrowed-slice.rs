// The docs' body form with the borrowed argument handed over as it is: `_(data)`, not
// `_(data.to_vec())`. rustc names the stream the value escapes into, never a generated local.
use callback_async::promisify;

struct Easy(Option<Box<dyn FnMut(&[u8]) -> Result<usize, String> + Send>>);

impl Easy {
    fn write_function(
        &mut self,
        f: impl FnMut(&[u8]) -> Result<usize, String> + Send + 'static,
    ) -> Result<(), String> {
        self.0 = Some(Box::new(f));
        Ok(())
    }
}

fn main() {
    let mut easy = Easy(None);
    let (set, body) = promisify!(stream easy.write_function(
        |data: &[u8]| -> Result<usize, String> { _(data); Ok(data.len()) }
    ));
    let _ = (set, body);
}

//! expat, through the system library (`libexpat1-dev`): `XML_SetElementHandler(parser, start,
//! end)` takes two handlers that share the user data set by `XML_SetUserData`. Both hand a
//! `Event::Start(name)` / `Event::End(name)` into one stream, in document order.

use std::ffi::{CStr, c_char, c_int, c_void};

use callback_async::ffi::Registration;
use callback_async::{CallbackStream, promisify};
use futures::StreamExt;

#[path = "support/real.rs"]
mod support;
use support::watchdog;

#[allow(non_camel_case_types)]
type XML_Parser = *mut c_void;
type StartHandler = extern "C" fn(*mut c_void, *const c_char, *mut *const c_char);
type EndHandler = extern "C" fn(*mut c_void, *const c_char);

#[link(name = "expat")]
unsafe extern "C" {
    fn XML_ParserCreate(encoding: *const c_char) -> XML_Parser;
    fn XML_ParserFree(parser: XML_Parser);
    fn XML_SetUserData(parser: XML_Parser, user_data: *mut c_void);
    fn XML_SetElementHandler(parser: XML_Parser, start: StartHandler, end: EndHandler);
    fn XML_Parse(parser: XML_Parser, s: *const c_char, len: c_int, is_final: c_int) -> c_int;
}

/// `XML_STATUS_OK`.
const OK: c_int = 1;

#[derive(Debug, PartialEq)]
enum Event {
    Start(String),
    End(String),
}

/// An element's name, as expat hands it (a NUL-terminated UTF-8 string valid during the call).
fn name(name: *const c_char) -> String {
    // SAFETY: expat passes a valid NUL-terminated string, alive during the handler's call.
    unsafe { CStr::from_ptr(name) }
        .to_string_lossy()
        .into_owned()
}

const DOCUMENT: &str = "<doc><p>text</p><br/></doc>";

fn expected() -> Vec<Event> {
    vec![
        Event::Start("doc".into()),
        Event::Start("p".into()),
        Event::End("p".into()),
        Event::Start("br".into()),
        Event::End("br".into()),
        Event::End("doc".into()),
    ]
}

/// A parser, freed when dropped.
struct Parser(XML_Parser);

impl Parser {
    fn new() -> Self {
        // SAFETY: a null encoding lets expat detect it; the parser is checked below.
        let parser = unsafe { XML_ParserCreate(std::ptr::null()) };
        assert!(!parser.is_null());
        Parser(parser)
    }

    /// Parses the whole of `DOCUMENT`.
    fn parse(&self) -> c_int {
        let len = c_int::try_from(DOCUMENT.len()).unwrap();
        // SAFETY: a live parser, and a buffer of `len` bytes.
        unsafe { XML_Parse(self.0, DOCUMENT.as_ptr().cast(), len, 1) }
    }
}

impl Drop for Parser {
    fn drop(&mut self) {
        // SAFETY: created by `XML_ParserCreate`, freed once.
        unsafe { XML_ParserFree(self.0) };
    }
}

#[test]
fn start_and_end_handlers_lent_for_the_parse_make_one_stream() {
    watchdog(|| async {
        let parser = Parser::new();
        let p = parser.0;
        // `&_`: expat calls the handlers only while `XML_Parse` runs, inside the block.
        let (status, events): (c_int, CallbackStream<Event>) = promisify!(stream unsafe {
            XML_SetUserData(p, &_);
            XML_SetElementHandler(
                p,
                |_, element: *const c_char, _: *mut *const c_char| _(Event::Start(name(element))),
                |_, element: *const c_char| _(Event::End(name(element))),
            );
            let len = c_int::try_from(DOCUMENT.len()).unwrap();
            XML_Parse(p, DOCUMENT.as_ptr().cast(), len, 1)
        });
        assert_eq!(status, OK);
        assert_eq!(events.collect::<Vec<_>>().await, expected());
    });
}

#[test]
fn start_and_end_handlers_registered_until_released() {
    watchdog(|| async {
        let parser = Parser::new();
        let p = parser.0;
        // `_` in a stream: the state lives until the registration is released, one flat tuple.
        let (events, registration): (CallbackStream<Event>, Registration) = promisify!(stream unsafe {
            XML_SetUserData(p, _);
            XML_SetElementHandler(
                p,
                |_, element: *const c_char, _: *mut *const c_char| _(Event::Start(name(element))),
                |_, element: *const c_char| _(Event::End(name(element))),
            )
        });
        assert_eq!(parser.parse(), OK);
        drop(parser);
        // SAFETY: the parser is freed: expat can no longer call either handler.
        unsafe { registration.release() };
        assert_eq!(events.collect::<Vec<_>>().await, expected());
    });
}

//! A fake vendor driver with a C API, as an SDK's header declares it:
//!
//! ```c
//! typedef void (*sensor_done_t)(void *user_data, int32_t status, uint32_t value);
//! int32_t sensor_read(uint32_t channel, sensor_done_t done, void *user_data);
//! void sensor_subscribe(uint32_t count, sensor_done_t on_sample, void *user_data,
//!                       void (*release)(void *user_data));
//! ```
//!
//! Both return at once and call back later from the driver's interrupt handler (SysTick here,
//! pended by software as a peripheral would raise its interrupt): `sensor_read` once;
//! `sensor_subscribe` once per sample, `count` times, then `release`.

use core::cell::Cell;
use core::ffi::c_void;

use cortex_m::peripheral::SCB;
use cortex_m_rt::exception;
use critical_section::Mutex;

/// `sensor_done_t`.
pub type Done = unsafe extern "C" fn(user_data: *mut c_void, status: i32, value: u32);
/// The `release` of `sensor_subscribe`.
pub type Release = unsafe extern "C" fn(user_data: *mut c_void);

/// What the interrupt handler will do. The user data is kept as an address: the driver only
/// hands it back.
#[derive(Clone, Copy)]
enum Request {
    Read {
        done: Done,
        user_data: usize,
        value: u32,
    },
    Subscribe {
        on_sample: Done,
        user_data: usize,
        next: u32,
        count: u32,
        release: Release,
    },
}

static PENDING: Mutex<Cell<Option<Request>>> = Mutex::new(Cell::new(None));

/// Queues `request` for the interrupt handler and raises its interrupt; `false` if busy.
fn start(request: Request) -> bool {
    let started = critical_section::with(|cs| {
        let pending = PENDING.borrow(cs);
        pending.get().is_none() && {
            pending.set(Some(request));
            true
        }
    });
    if started {
        SCB::set_pendst();
    }
    started
}

#[unsafe(no_mangle)]
extern "C" fn sensor_read(channel: u32, done: Done, user_data: *mut c_void) -> i32 {
    let value = 100 + channel;
    let user_data = user_data as usize;
    if start(Request::Read {
        done,
        user_data,
        value,
    }) {
        0
    } else {
        -1
    }
}

#[unsafe(no_mangle)]
extern "C" fn sensor_subscribe(
    count: u32,
    on_sample: Done,
    user_data: *mut c_void,
    release: Release,
) {
    let user_data = user_data as usize;
    let next = 0;
    start(Request::Subscribe {
        on_sample,
        user_data,
        next,
        count,
        release,
    });
}

/// The driver's interrupt: delivers one result, as the SDK's handler would, outside any critical
/// section (callbacks run with interrupts enabled).
#[exception]
fn SysTick() {
    let Some(request) = critical_section::with(|cs| PENDING.borrow(cs).take()) else {
        return;
    };
    match request {
        // SAFETY: `done` and `user_data` came together from `sensor_read`, whose caller vouches
        // that `done` accepts `user_data` once.
        Request::Read {
            done,
            user_data,
            value,
        } => unsafe { done(user_data as *mut c_void, 0, value) },
        Request::Subscribe {
            on_sample,
            user_data,
            next,
            count,
            release,
        } => {
            let user_data_ptr = user_data as *mut c_void;
            if next == count {
                // SAFETY: the subscriber's `release`, last, once.
                return unsafe { release(user_data_ptr) };
            }
            // SAFETY: as for a read: the subscriber's callback, with its user data, before `release`.
            unsafe { on_sample(user_data_ptr, 0, next * 10) };
            start(Request::Subscribe {
                on_sample,
                user_data,
                next: next + 1,
                count,
                release,
            });
        }
    }
}

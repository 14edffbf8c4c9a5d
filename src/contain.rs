//! Panic policy: panics of third-party converters are contained silently; any other panic restores the terminal first.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Mutex, Once};

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Run before the default panic report when a panic is not contained.
static CLEANUP: Mutex<Option<fn()>> = Mutex::new(None);

fn install_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if QUIET.with(Cell::get) {
                return;
            }
            let cleanup = CLEANUP.lock().ok().and_then(|c| *c);
            if let Some(cleanup) = cleanup {
                cleanup();
            }
            previous(info);
        }));
    });
}

/// Runs `f`, turning a panic into `Err(message)` without printing anything: a panic
/// message on stderr would corrupt the browser's screen.
pub fn quietly<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    install_hook();
    let was_quiet = QUIET.with(|q| q.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(was_quiet));
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".to_owned())
    })
}

/// Makes every uncontained panic call `cleanup` before it is reported (`None` to stop).
pub fn on_panic(cleanup: Option<fn()>) {
    install_hook();
    if let Ok(mut slot) = CLEANUP.lock() {
        *slot = cleanup;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contained_panics_become_errors() {
        assert_eq!(quietly(|| 1), Ok(1));
        let err = quietly(|| -> u8 { panic!("boom") }).unwrap_err();
        assert_eq!(err, "boom");
        let err = quietly(|| -> u8 { panic!("{}", String::from("formatted")) }).unwrap_err();
        assert_eq!(err, "formatted");
    }
}

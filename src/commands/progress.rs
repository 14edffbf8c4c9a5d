//! A one-line load progress meter on stderr, redrawn at most ten times a second.

use std::io::{self, Write};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::loader::Progress;

const EVERY: Duration = Duration::from_millis(100);

/// Shows `loading 1,234/100,000 files (56 MB/s)` while a load runs.
pub struct ProgressMeter {
    started: Instant,
    last: Mutex<Option<Instant>>,
}

impl Default for ProgressMeter {
    fn default() -> Self {
        Self::new()
    }
}

impl ProgressMeter {
    pub fn new() -> Self {
        ProgressMeter {
            started: Instant::now(),
            last: Mutex::new(None),
        }
    }

    /// Called from the loader's threads after each file.
    pub fn update(&self, p: Progress) {
        let Ok(mut last) = self.last.try_lock() else {
            return;
        };
        let now = Instant::now();
        if last.is_some_and(|t| now - t < EVERY) || now - self.started < EVERY {
            return;
        }
        *last = Some(now);
        let _ = write!(
            io::stderr(),
            "\rfolio: loading {}/{} files ({:.0} MB/s)\x1b[K",
            p.files_done,
            p.files_total,
            p.mb_per_s()
        );
    }

    /// Clears the meter's line if it was drawn.
    pub fn finish(&self) {
        if self.last.lock().is_ok_and(|l| l.is_some()) {
            let _ = write!(io::stderr(), "\r\x1b[K");
        }
    }
}

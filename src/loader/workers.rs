//! Loads files on threads of its own and gives up on a file whose read hangs, so that one dead file never stops a load.
//!
//! Each worker takes the next file, reads and converts it, and sends the result
//! to the calling thread, which hands results on as they come. While a worker
//! reads, its slot says which file and since when; the calling thread looks at
//! the slots whenever no result has come for a while, reports a file whose read
//! has passed its deadline as not responding, and starts a worker in place of the
//! blocked one (a thread blocked in the kernel cannot be stopped, only left).

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::read;
use super::{Pending, convert};
use crate::contain::quietly;
use crate::error::SkipReason;

/// A file's result: its article, or why it was skipped.
pub type Outcome = Result<convert::Output, SkipReason>;

/// A file's result, and whether the store should keep it.
pub struct Done {
    pub outcome: Outcome,
    /// Asked for, and the same bytes would always give this outcome.
    pub kept: bool,
}

/// Reads a file's bytes, at most a limit of them.
pub type ReadFn = fn(&Path, u64) -> read::Bytes;

/// How to run a load.
#[derive(Clone, Copy)]
pub struct Options {
    pub threads: usize,
    pub read: ReadFn,
    /// How long reading a file of a given size may take.
    pub deadline: fn(u64) -> Duration,
    /// Say which outcomes the store should keep.
    pub keep: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            threads: std::thread::available_parallelism().map_or(2, |n| n.get()),
            read: read::read_bounded,
            deadline: read::deadline,
            keep: false,
        }
    }
}

/// Workers that may be left blocked in reads; beyond this many, the files still
/// waiting are reported instead of read.
const MAX_STUCK: usize = 8;

/// How often the slots are looked at while no result comes.
const CHECK_EVERY: Duration = Duration::from_millis(200);

/// Stack for each worker: html2text's layout recurses as deep as the page nests.
const STACK: usize = 16 * 1024 * 1024;

struct Shared {
    inputs: Arc<[Pending]>,
    /// The inputs to load, by number.
    todo: Vec<usize>,
    keep: bool,
    next: AtomicUsize,
    /// Per worker: the file it is reading and since when.
    reading: Vec<Mutex<Option<(usize, Instant)>>>,
}

/// Loads the inputs numbered in `todo` on `threads` threads (plus replacements for
/// blocked ones), calling `done` on this thread with each file's number and
/// outcome, in the order they finish. Every input of `todo` gets exactly one.
pub fn run(
    inputs: Arc<[Pending]>,
    todo: Vec<usize>,
    options: Options,
    mut done: impl FnMut(usize, Done),
) {
    let total = todo.len();
    if total == 0 {
        return;
    }
    let Options {
        threads,
        read,
        deadline,
        keep,
    } = options;
    let threads = threads.clamp(1, total);
    let shared = Arc::new(Shared {
        inputs,
        todo,
        keep,
        next: AtomicUsize::new(0),
        reading: (0..threads + MAX_STUCK).map(|_| Mutex::new(None)).collect(),
    });
    let (tx, rx) = mpsc::channel();
    let started = (0..threads)
        .filter(|&slot| spawn(&shared, slot, read, &tx))
        .count();
    if started == 0 {
        // No thread could start: load here, without a deadline.
        for &i in &shared.todo {
            let outcome = load_one(&shared.inputs[i], &read);
            let kept = keep_of(&outcome, keep);
            done(i, Done { outcome, kept });
        }
        return;
    }
    // By position in `todo`.
    let mut finished = vec![false; total];
    let mut remaining = total;
    let mut slots = threads;
    let mut stuck = 0;
    while remaining > 0 && stuck < MAX_STUCK {
        match rx.recv_timeout(CHECK_EVERY) {
            Ok((k, result)) => {
                if !finished[k] {
                    finished[k] = true;
                    remaining -= 1;
                    done(shared.todo[k], result);
                }
            }
            Err(RecvTimeoutError::Timeout) => {
                let mut replaced = 0;
                for slot in 0..slots {
                    let Some((k, since)) = *lock(&shared.reading[slot]) else {
                        continue;
                    };
                    let i = shared.todo[k];
                    let deadline = deadline(shared.inputs[i].size());
                    if finished[k] || since.elapsed() < deadline {
                        continue;
                    }
                    finished[k] = true;
                    remaining -= 1;
                    stuck += 1;
                    let outcome = Err(SkipReason::TimedOut {
                        seconds: deadline.as_secs(),
                    });
                    done(
                        i,
                        Done {
                            outcome,
                            kept: false,
                        },
                    );
                    let next = slots + replaced;
                    if next < shared.reading.len() && spawn(&shared, next, read, &tx) {
                        replaced += 1;
                    }
                }
                slots += replaced;
            }
            // Every worker is gone: what is left is reported below.
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    // Too many reads blocked (the filesystem stopped answering), or no worker
    // left: the files not read yet are reported, not waited for.
    shared.next.store(total, Ordering::Relaxed);
    for (k, finished) in finished.iter().enumerate() {
        if !finished {
            let outcome = Err(SkipReason::NotRead);
            done(
                shared.todo[k],
                Done {
                    outcome,
                    kept: false,
                },
            );
        }
    }
}

/// Whether the store keeps an outcome: articles, and skips that the same bytes
/// would always give (an unreadable or vanished file may read next time).
fn keep_of(outcome: &Outcome, keep: bool) -> bool {
    keep && matches!(
        outcome,
        Ok(_) | Err(SkipReason::Empty | SkipReason::Binary | SkipReason::Panic(_))
    )
}

/// Starts the worker of `slot`; false when the thread could not be started.
fn spawn(shared: &Arc<Shared>, slot: usize, read: ReadFn, tx: &Sender<(usize, Done)>) -> bool {
    let shared = Arc::clone(shared);
    let tx = tx.clone();
    std::thread::Builder::new()
        .name(format!("folio-load-{slot}"))
        .stack_size(STACK)
        .spawn(move || {
            loop {
                let k = shared.next.fetch_add(1, Ordering::Relaxed);
                let Some(input) = shared.todo.get(k).and_then(|&i| shared.inputs.get(i)) else {
                    return;
                };
                let reading = &shared.reading[slot];
                let outcome = load_one(input, &|path, limit| {
                    *lock(reading) = Some((k, Instant::now()));
                    let bytes = read(path, limit);
                    *lock(reading) = None;
                    bytes
                });
                let kept = keep_of(&outcome, shared.keep);
                if tx.send((k, Done { outcome, kept })).is_err() {
                    return;
                }
            }
        })
        .is_ok()
}

/// One file, read with `read` and converted; a panic anywhere becomes a skip.
fn load_one(input: &Pending, read: &dyn Fn(&Path, u64) -> read::Bytes) -> Outcome {
    quietly(|| input.load(read))
        .unwrap_or_else(|msg| Err(SkipReason::Panic(crate::sanitize::line(&msg))))
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_input_gets_one_outcome_in_any_order() {
        let dir = tempfile::tempdir().unwrap();
        let mut inputs = Vec::new();
        for i in 0..50 {
            let path = dir.path().join(format!("{i}.md"));
            if i % 7 != 0 {
                std::fs::write(&path, format!("# 标题{i}\n\n正文")).unwrap();
            }
            inputs.push(Pending::File(super::super::walk::Candidate {
                display: path.display().to_string(),
                key: format!("{i}.md"),
                store_key: path.clone(),
                path,
                size: 20,
                stamp: crate::store::Stamp { size: 20, mtime: 0 },
            }));
        }
        let mut seen = vec![0; 50];
        let options = Options {
            threads: 3,
            ..Options::default()
        };
        run(inputs.into(), (0..50).collect(), options, |i, done| {
            seen[i] += 1;
            assert_eq!(done.outcome.is_err(), i % 7 == 0, "{i}");
        });
        assert!(seen.iter().all(|&n| n == 1), "{seen:?}");
    }

    #[test]
    fn a_read_that_never_returns_is_given_up_and_the_rest_loads() {
        use std::sync::Condvar;
        static RELEASED: (Mutex<bool>, Condvar) = (Mutex::new(false), Condvar::new());
        // Files named `dead*` stand for files on a dead network mount: their read
        // returns only when released.
        fn read(path: &Path, limit: u64) -> Result<Vec<u8>, SkipReason> {
            if path.to_string_lossy().contains("dead") {
                let (lock, cvar) = &RELEASED;
                let mut released = lock.lock().unwrap();
                while !*released {
                    released = cvar.wait(released).unwrap();
                }
            }
            read::read_bounded(path, limit)
        }
        let dir = tempfile::tempdir().unwrap();
        let mut inputs = Vec::new();
        for i in 0..20 {
            let name = if i % 5 == 0 {
                format!("dead{i}.md")
            } else {
                format!("{i}.md")
            };
            let path = dir.path().join(&name);
            std::fs::write(&path, "正文").unwrap();
            inputs.push(Pending::File(super::super::walk::Candidate {
                display: name.clone(),
                key: name,
                store_key: path.clone(),
                path,
                size: 0,
                stamp: crate::store::Stamp { size: 0, mtime: 0 },
            }));
        }
        let mut outcomes = vec![None; 20];
        let options = Options {
            threads: 2,
            read,
            deadline: |_| Duration::from_millis(50),
            keep: false,
        };
        run(inputs.into(), (0..20).collect(), options, |i, done| {
            assert!(outcomes[i].is_none());
            outcomes[i] = Some(done.outcome.err());
        });
        for (i, outcome) in outcomes.iter().enumerate() {
            let outcome = outcome.as_ref().expect("every file has an outcome");
            if i % 5 == 0 {
                assert!(
                    matches!(outcome, Some(SkipReason::TimedOut { .. })),
                    "{i}: {outcome:?}"
                );
            } else {
                assert_eq!(outcome, &None, "{i}");
            }
        }
        let (lock, cvar) = &RELEASED;
        *lock.lock().unwrap() = true;
        cvar.notify_all();
    }
}

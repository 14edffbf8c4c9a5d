//! The state's writer: a thread that takes changes as they happen and writes them at most about once a second, merged with what other folio processes wrote.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::file::{self, Lock, StateError};
use super::{Change, FILE_NAME, Marks};

/// Changes are written this long after the last write, at the soonest.
const EVERY: Duration = Duration::from_secs(1);
/// …and this long after the first change since then, so a burst of keys is one write.
const GATHER: Duration = Duration::from_millis(300);

/// What the writer has to tell the user (once, in the status line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreReport {
    /// The state file could not be read and was moved aside to this name.
    MovedAside(PathBuf),
    /// Writing failed (the changes stay in memory and are tried again).
    WriteFailed(String),
}

impl std::fmt::Display for StoreReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreReport::MovedAside(to) => write!(
                f,
                "the state file was damaged: kept as {}",
                crate::sanitize::line(&to.display().to_string())
            ),
            StoreReport::WriteFailed(why) => {
                write!(f, "cannot save state: {}", crate::sanitize::line(why))
            }
        }
    }
}

enum Message {
    Change(Change),
    /// Write now, and say when done.
    Flush(mpsc::Sender<()>),
}

/// The state of one folio process: read at start, written by a thread of its own.
pub struct Store {
    outbox: Option<mpsc::Sender<Message>>,
    reports: mpsc::Receiver<StoreReport>,
    thread: Option<JoinHandle<()>>,
}

impl Store {
    /// Reads the state in `dir` (creating the folder). A damaged file is moved aside and
    /// reported; a file that cannot be read at all (permissions) leaves the store
    /// read-only, so that it is never overwritten.
    pub fn open(dir: &Path) -> (Store, Marks, Vec<StoreReport>) {
        let (report_out, reports) = mpsc::channel();
        let mut said = Vec::new();
        let path = dir.join(FILE_NAME);
        let loaded = std::fs::create_dir_all(dir)
            .map_err(|e| StateError::Io {
                path: dir.display().to_string(),
                source: e,
            })
            .and_then(|()| file::read_file(&path));
        file::remove_leftovers(dir);
        let marks = match loaded {
            Ok(marks) => marks,
            Err(StateError::Corrupt { .. }) => {
                match file::move_aside(&path) {
                    Ok(aside) => said.push(StoreReport::MovedAside(aside)),
                    Err(e) => {
                        said.push(StoreReport::WriteFailed(format!("{}: {e}", path.display())));
                        return (Store::read_only(reports), Marks::default(), said);
                    }
                }
                Marks::default()
            }
            Err(e) => {
                said.push(StoreReport::WriteFailed(e.to_string()));
                return (Store::read_only(reports), Marks::default(), said);
            }
        };
        let (outbox, inbox) = mpsc::channel();
        let all = marks.clone();
        let thread = std::thread::Builder::new()
            .name("folio-state".to_owned())
            .spawn(move || write_loop(&path, all, &inbox, &report_out))
            .ok();
        let store = Store {
            outbox: thread.as_ref().map(|_| outbox),
            reports,
            thread,
        };
        (store, marks, said)
    }

    /// A store that remembers nothing (no state folder, or a file it must not touch).
    fn read_only(reports: mpsc::Receiver<StoreReport>) -> Store {
        Store {
            outbox: None,
            reports,
            thread: None,
        }
    }

    /// Queues a change, stamped with the time now; it is written within about a second.
    pub fn record(&self, change: Change) {
        let now = super::now_ms();
        let change = match change {
            Change::Entry(id, entry) => Change::Entry(
                id,
                super::Entry {
                    changed: now,
                    ..entry
                },
            ),
            Change::Last(last) => Change::Last(super::Last {
                changed: now,
                ..last
            }),
        };
        if let Some(outbox) = &self.outbox {
            let _ = outbox.send(Message::Change(change));
        }
    }

    /// Writes every change recorded so far, and waits for it.
    pub fn flush(&self) {
        if let Some(outbox) = &self.outbox {
            let (done, wait) = mpsc::channel();
            if outbox.send(Message::Flush(done)).is_ok() {
                let _ = wait.recv();
            }
        }
    }

    /// Something to tell the user, if the writer has anything.
    pub fn report(&self) -> Option<StoreReport> {
        self.reports.try_recv().ok()
    }
}

impl Drop for Store {
    /// Writes what is left and ends the writer.
    fn drop(&mut self) {
        self.outbox = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Takes changes until the store is dropped, writing them in batches.
fn write_loop(
    path: &Path,
    mut all: Marks,
    inbox: &mpsc::Receiver<Message>,
    reports: &mpsc::Sender<StoreReport>,
) {
    let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let mut written = Instant::now() - EVERY;
    let mut due: Option<Instant> = None;
    let mut seen: Option<Seen> = None;
    loop {
        let message = match due {
            Some(at) => inbox.recv_timeout(at.saturating_duration_since(Instant::now())),
            None => inbox.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        let ack = match message {
            Ok(Message::Change(change)) => {
                all.apply(change);
                if due.is_none() {
                    due = Some((Instant::now() + GATHER).max(written + EVERY));
                }
                continue;
            }
            Ok(Message::Flush(ack)) => Some(ack),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => {
                if due.is_some() {
                    let _ = save(&dir, path, &mut all, &mut seen, reports);
                }
                return;
            }
        };
        if due.is_some() {
            match save(&dir, path, &mut all, &mut seen, reports) {
                Ok(()) => due = None,
                Err(e) => {
                    let _ = reports.send(StoreReport::WriteFailed(e.to_string()));
                    // Try again later; the changes are still in memory.
                    due = Some(Instant::now() + EVERY * 5);
                }
            }
            written = Instant::now();
        }
        if let Some(ack) = ack {
            let _ = ack.send(());
        }
    }
}

/// What the file looked like after this process last wrote it: if it still does,
/// no other process has written since, and it need not be read again.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Seen {
    len: u64,
    modified: Option<std::time::SystemTime>,
}

fn seen(path: &Path) -> Option<Seen> {
    let meta = std::fs::metadata(path).ok()?;
    Some(Seen {
        len: meta.len(),
        modified: meta.modified().ok(),
    })
}

/// Merges in what other processes wrote since, and writes everything, under the lock.
fn save(
    dir: &Path,
    path: &Path,
    all: &mut Marks,
    last_seen: &mut Option<Seen>,
    reports: &mpsc::Sender<StoreReport>,
) -> Result<(), StateError> {
    let _lock = Lock::take(dir)?;
    if seen(path) != *last_seen {
        match file::read_file(path) {
            Ok(theirs) => all.merge(theirs),
            Err(StateError::Corrupt { .. }) => {
                if let Ok(aside) = file::move_aside(path) {
                    let _ = reports.send(StoreReport::MovedAside(aside));
                }
            }
            Err(e) => return Err(e),
        }
    }
    file::write_atomically(path, all)?;
    *last_seen = seen(path);
    Ok(())
}

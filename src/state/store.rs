//! The state's writer: a thread that takes changes as they happen and writes them at most about once a second, merged with what other folio processes wrote.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::file::{self, Lock, StateError};
use super::{Change, FILE_NAME, Marks};
use crate::contain::quietly;

/// Changes are written this long after the last write, at the soonest.
const EVERY: Duration = Duration::from_secs(1);
/// …and this long after the first change since then, so a burst of keys is one write.
const GATHER: Duration = Duration::from_millis(300);

/// How long a save waits for another process's save to end.
const LOCK_PATIENCE: Duration = Duration::from_secs(3);

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
    /// A change and when it was made.
    Change(Change, u64),
    /// Write now, and say when done.
    Flush(mpsc::Sender<()>),
}

/// The state of one folio process: read at start, written by a thread of its own.
pub struct Store {
    outbox: Option<mpsc::Sender<Message>>,
    /// Behind a lock so that the store can be shared with the hang-up watcher.
    reports: Mutex<mpsc::Receiver<StoreReport>>,
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
        let loaded = match loaded {
            Err(StateError::Corrupt { .. }) => move_damaged_aside(dir, &path),
            other => other.map(|marks| (marks, None)),
        };
        let marks = match loaded {
            Ok((marks, aside)) => {
                said.extend(aside.map(StoreReport::MovedAside));
                marks
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
            .spawn(move || {
                // A bug here must not take the screen with it: the state is just not saved.
                if let Err(why) = quietly(|| write_loop(&path, all, &inbox, &report_out)) {
                    let _ = report_out.send(StoreReport::WriteFailed(why));
                }
            })
            .ok();
        let store = Store {
            outbox: thread.as_ref().map(|_| outbox),
            reports: Mutex::new(reports),
            thread,
        };
        (store, marks, said)
    }

    /// A store that remembers nothing (no state folder, or a file it must not touch).
    fn read_only(reports: mpsc::Receiver<StoreReport>) -> Store {
        Store {
            outbox: None,
            reports: Mutex::new(reports),
            thread: None,
        }
    }

    /// Queues a change, stamped with the time now; it is written within about a second.
    pub fn record(&self, change: Change) {
        if let Some(outbox) = &self.outbox {
            let _ = outbox.send(Message::Change(change, super::now_ms()));
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
        self.reports.lock().ok()?.try_recv().ok()
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

/// Moves a damaged state file aside, under the lock so that two processes starting
/// together move it once; the marks to start with, and where the file went.
fn move_damaged_aside(dir: &Path, path: &Path) -> Result<(Marks, Option<PathBuf>), StateError> {
    let _lock = Lock::take(dir, LOCK_PATIENCE)?;
    match file::read_file(path) {
        // Another process replaced it in the meantime.
        Ok(marks) => Ok((marks, None)),
        Err(_) => match file::move_aside(path) {
            Ok(aside) => Ok((Marks::default(), Some(aside))),
            Err(e) => Err(StateError::Io {
                path: path.display().to_string(),
                source: e,
            }),
        },
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
    let mut written = Instant::now()
        .checked_sub(EVERY)
        .unwrap_or_else(Instant::now);
    let mut due: Option<Instant> = None;
    let mut seen: Option<Seen> = None;
    loop {
        let message = match due {
            Some(at) => inbox.recv_timeout(at.saturating_duration_since(Instant::now())),
            None => inbox.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        let ack = match message {
            Ok(Message::Change(change, at)) => {
                all.apply(change, at);
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
    /// Every write is a rename of a new file: a new inode, whatever the clock says.
    inode: u64,
}

fn seen(path: &Path) -> Option<Seen> {
    let meta = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&meta);
    #[cfg(not(unix))]
    let inode = 0;
    Some(Seen {
        len: meta.len(),
        modified: meta.modified().ok(),
        inode,
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
    let _lock = Lock::take(dir, LOCK_PATIENCE)?;
    if seen(path) != *last_seen {
        match file::read_file(path) {
            Ok(theirs) => all.merge(theirs),
            Err(StateError::Corrupt { .. }) => {
                // Never written over: kept aside, or not written at all.
                let aside = file::move_aside(path).map_err(|e| StateError::Io {
                    path: path.display().to_string(),
                    source: e,
                })?;
                let _ = reports.send(StoreReport::MovedAside(aside));
            }
            Err(e) => return Err(e),
        }
    }
    file::write_atomically(path, all)?;
    *last_seen = seen(path);
    Ok(())
}

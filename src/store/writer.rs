//! Writes to the store on a thread of its own, in batches, giving way to other processes instead of waiting for them.
//!
//! Nothing here can stop folio: a batch that another process keeps locked out is
//! dropped (it is only a cache), and a store that cannot be written any more (a
//! full or read-only disk) is left alone for the rest of the run, said once.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, SyncSender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rusqlite::{Connection, ErrorCode, OpenFlags, params};

use super::{Entry, FILE_NAME, Stamp, Store, codec, key_of};
use crate::article::Article;

/// Entries written in one transaction at most.
const BATCH: usize = 512;
/// How long a batch may wait for another process's write before it is dropped.
const PATIENCE: Duration = Duration::from_millis(1_500);
/// How often folders that no longer exist are looked for.
const SWEEP_EVERY_SECS: i64 = 24 * 3600;

enum Op {
    Put {
        key: Vec<u8>,
        stamp: Stamp,
        converter: u32,
        entry: Entry,
    },
    /// An article to encode here, off the loader's threads.
    Keep {
        key: Vec<u8>,
        stamp: Stamp,
        converter: u32,
        article: Arc<Article>,
        degraded: Option<String>,
    },
    Forget(Vec<u8>),
    /// Forgets the entries under `roots` whose files were not found.
    Prune {
        roots: Vec<PathBuf>,
        found: HashSet<Vec<u8>>,
    },
    /// Forgets the entries under `roots` before `first` or after `last`.
    PruneOutside {
        roots: Vec<PathBuf>,
        first: Vec<u8>,
        last: Vec<u8>,
    },
    Archive {
        root: Vec<u8>,
        files: u64,
    },
    /// Drops the entries of folders that no longer exist (at most once a day).
    Sweep,
    /// Answers when everything sent before it is written (or given up).
    Flush(SyncSender<()>),
}

/// The store's writing thread.
pub struct Writer {
    /// Unbounded: what is sent is mostly shared articles, and the loader must never
    /// wait for the disk.
    tx: Option<Sender<Op>>,
    thread: Option<JoinHandle<()>>,
}

impl Writer {
    /// Starts writing to `store`'s file with a connection of its own. Without a
    /// thread or a connection, writes are quietly dropped.
    pub fn start(store: &Arc<Store>) -> Writer {
        let (tx, rx) = mpsc::channel();
        let store = Arc::clone(store);
        let thread = std::thread::Builder::new()
            .name("folio-store".into())
            .spawn(move || run(&store, &rx))
            .ok();
        Writer {
            tx: thread.as_ref().map(|_| tx),
            thread,
        }
    }

    fn send(&self, op: Op) {
        if let Some(tx) = &self.tx {
            let _ = tx.send(op);
        }
    }

    /// Keeps `entry` for the file at `key` as it is now.
    pub fn put(&self, key: Vec<u8>, stamp: Stamp, converter: u32, entry: Entry) {
        self.send(Op::Put {
            key,
            stamp,
            converter,
            entry,
        });
    }

    /// Forgets the entries under `roots` (canonical folders or files) whose keys
    /// are not in `found`: files that are gone.
    pub fn prune(&self, roots: Vec<PathBuf>, found: HashSet<Vec<u8>>) {
        self.send(Op::Prune { roots, found });
    }

    /// Forgets the entries under `roots` that sort before `first` or after `last`
    /// (the keys of the files found, first and last: what lies between is known).
    pub fn prune_outside(&self, roots: Vec<PathBuf>, first: Vec<u8>, last: Vec<u8>) {
        self.send(Op::PruneOutside { roots, first, last });
    }

    /// Keeps `article` for the file at `key` as it is now, encoding it on the
    /// writer's thread.
    pub fn keep(
        &self,
        key: Vec<u8>,
        stamp: Stamp,
        converter: u32,
        article: Arc<Article>,
        degraded: Option<String>,
    ) {
        self.send(Op::Keep {
            key,
            stamp,
            converter,
            article,
            degraded,
        });
    }

    /// Forgets the entry of a file that is gone.
    pub fn forget(&self, key: Vec<u8>) {
        self.send(Op::Forget(key));
    }

    /// Records that `root` (a canonical folder or file) was opened, holding `files` files.
    pub fn archive(&self, root: &std::path::Path, files: u64) {
        self.send(Op::Archive {
            root: key_of(root),
            files,
        });
    }

    /// Drops the entries of folders that no longer exist, if that was not done today.
    pub fn sweep(&self) {
        self.send(Op::Sweep);
    }

    /// Waits until everything sent so far is written (or given up).
    pub fn flush(&self) {
        let (done, wait) = mpsc::sync_channel(1);
        self.send(Op::Flush(done));
        let _ = wait.recv();
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        // Closing the channel ends the thread once it has written what it has.
        self.tx = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn run(store: &Store, rx: &Receiver<Op>) {
    let file: PathBuf = store.dir.join(FILE_NAME);
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = match Connection::open_with_flags(&file, flags) {
        Ok(conn) => conn,
        Err(e) => {
            store.note(format!(
                "the archive store cannot be written ({e}): folio works without it"
            ));
            return rx.iter().for_each(answer_flush);
        }
    };
    let _ = conn.busy_timeout(Duration::from_millis(50));
    let _ = conn.pragma_update(None, "synchronous", "OFF");
    // Fewer, larger checkpoints.
    let _ = conn.pragma_update(None, "wal_autocheckpoint", 8192);
    let mut writing = true;
    loop {
        let Ok(first) = rx.recv() else { return };
        let mut batch = vec![first];
        // Take what else is waiting, up to a batch, without waiting long.
        while batch.len() < BATCH {
            match rx.recv_timeout(Duration::from_millis(20)) {
                Ok(op) => batch.push(op),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        if writing && let Err(e) = write(&conn, &batch) {
            if matches!(
                e.sqlite_error_code(),
                Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
            ) {
                // Another process kept the store locked: this batch is dropped.
            } else {
                writing = false;
                store.note(crate::sanitize::line(&format!(
                    "the archive store cannot be written ({e}): folio works without it"
                )));
            }
        }
        batch.into_iter().for_each(answer_flush);
    }
}

fn answer_flush(op: Op) {
    if let Op::Flush(done) = op {
        let _ = done.send(());
    }
}

/// Writes a batch in one transaction, waiting a little for another process's lock.
fn write(conn: &Connection, batch: &[Op]) -> rusqlite::Result<()> {
    let give_up = Instant::now() + PATIENCE;
    loop {
        match try_write(conn, batch) {
            Err(e)
                if matches!(
                    e.sqlite_error_code(),
                    Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
                ) && Instant::now() < give_up =>
            {
                std::thread::sleep(Duration::from_millis(25));
            }
            other => return other,
        }
    }
}

fn try_write(conn: &Connection, batch: &[Op]) -> rusqlite::Result<()> {
    if !batch.iter().any(|op| !matches!(op, Op::Flush(_))) {
        return Ok(());
    }
    let tx = conn.unchecked_transaction()?;
    {
        let mut put_head = tx.prepare_cached(
            "INSERT INTO entries (path, size, mtime, converter, head) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime = excluded.mtime,
                 converter = excluded.converter, head = excluded.head",
        )?;
        let mut put_text = tx.prepare_cached(
            "INSERT INTO texts (path, size, mtime, tail, body) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime = excluded.mtime,
                 tail = excluded.tail, body = excluded.body",
        )?;
        let mut put =
            |key: &[u8], stamp: &Stamp, converter: &u32, head: &[u8], tail: &[u8], body: &str| {
                put_head.execute(params![
                    key,
                    stamp.size as i64,
                    stamp.mtime,
                    converter,
                    head
                ])?;
                put_text.execute(params![key, stamp.size as i64, stamp.mtime, tail, body])
            };
        let mut archive = tx.prepare_cached(
            "INSERT INTO archives (root, files, used) VALUES (?1, ?2, ?3)
             ON CONFLICT(root) DO UPDATE SET files = excluded.files, used = excluded.used",
        )?;
        let now = super::now_secs();
        for op in batch {
            match op {
                Op::Put {
                    key,
                    stamp,
                    converter,
                    entry,
                } => {
                    put(key, stamp, converter, &entry.head, &entry.tail, &entry.body)?;
                }
                Op::Keep {
                    key,
                    stamp,
                    converter,
                    article,
                    degraded,
                } => {
                    let head = codec::head_of(article, degraded.as_deref());
                    put(
                        key,
                        stamp,
                        converter,
                        &head,
                        &codec::tail_of(article),
                        article.body(),
                    )?;
                }
                Op::Prune { roots, found } => prune(&tx, roots, found)?,
                Op::PruneOutside { roots, first, last } => prune_outside(&tx, roots, first, last)?,
                Op::Forget(key) => forget(&tx, key)?,
                Op::Archive { root, files } => {
                    archive.execute(params![root, *files as i64, now])?;
                }
                Op::Sweep => sweep(&tx, now)?,
                Op::Flush(_) => {}
            }
        }
    }
    tx.commit()
}

/// Forgets the entries under `roots` whose keys are not in `found`.
fn prune(conn: &Connection, roots: &[PathBuf], found: &HashSet<Vec<u8>>) -> rusqlite::Result<()> {
    let mut gone = Vec::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT path FROM entries WHERE (path >= ?1 AND path < ?2) OR path = ?3",
        )?;
        for root in roots {
            let (low, high, exact) = super::under(root);
            let mut rows = stmt.query(params![low, high, exact])?;
            while let Some(row) = rows.next()? {
                let key = row.get_ref(0)?.as_blob().map_err(rusqlite::Error::from)?;
                if !found.contains(key) {
                    gone.push(key.to_vec());
                }
            }
        }
    }
    for key in gone {
        forget(conn, &key)?;
    }
    Ok(())
}

/// Forgets the entries under `roots` that sort before `first` or after `last`.
fn prune_outside(
    conn: &Connection,
    roots: &[PathBuf],
    first: &[u8],
    last: &[u8],
) -> rusqlite::Result<()> {
    for root in roots {
        let (low, high, exact) = super::under(root);
        for table in ["entries", "texts"] {
            conn.execute(
                &format!(
                    "DELETE FROM {table} WHERE ((path >= ?1 AND path < ?2) OR path = ?3)
                     AND (path < ?4 OR path > ?5)"
                ),
                params![low, high, exact, first, last],
            )?;
        }
    }
    Ok(())
}

/// Forgets the entry (head and text) of `key`.
fn forget(conn: &Connection, key: &[u8]) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM entries WHERE path = ?1")?
        .execute(params![key])?;
    conn.prepare_cached("DELETE FROM texts WHERE path = ?1")?
        .execute(params![key])?;
    Ok(())
}

/// Drops the entries of opened folders (or files) that no longer exist, once a day.
fn sweep(conn: &Connection, now: i64) -> rusqlite::Result<()> {
    let last: i64 = conn
        .query_row("SELECT value FROM meta WHERE name = 'swept'", [], |r| {
            r.get(0)
        })
        .unwrap_or(0);
    if now - last < SWEEP_EVERY_SECS {
        return Ok(());
    }
    let roots: Vec<Vec<u8>> = {
        let mut stmt = conn.prepare("SELECT root FROM archives")?;
        stmt.query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    for root in roots {
        let path = PathBuf::from(String::from_utf8_lossy(&root).into_owned());
        if path.exists() {
            continue;
        }
        let (low, high, exact) = super::under(&path);
        for table in ["entries", "texts"] {
            conn.execute(
                &format!("DELETE FROM {table} WHERE (path >= ?1 AND path < ?2) OR path = ?3"),
                params![low, high, exact],
            )?;
        }
        conn.execute("DELETE FROM archives WHERE root = ?1", params![root])?;
    }
    conn.execute(
        "INSERT INTO meta (name, value) VALUES ('swept', ?1)
         ON CONFLICT(name) DO UPDATE SET value = excluded.value",
        params![now],
    )?;
    Ok(())
}

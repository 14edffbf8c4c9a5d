//! The archive store: what the loader made of each file, kept on disk (SQLite) and reused while the file is unchanged.
//!
//! It is a cache: deleting it loses nothing but time. An entry is reused only for
//! the same file (the path under its folder's canonical path), size, modification
//! time and converter version. A store that cannot be read — damaged, cut short,
//! of another version, not a store at all — is set aside under another name and
//! a new one is made; a store that cannot be written (a read-only or full disk)
//! is done without. Writes happen on a thread of their own, in batches, and give
//! way to other processes rather than wait for them.

mod codec;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, params};

pub use codec::{
    Entry, Outcome, decode, decode_head, decode_text, encode, encode_skip, head_of, tail_of,
};
pub use writer::Writer;

/// The store's file in its folder.
pub const FILE_NAME: &str = "articles.sqlite";

/// Bumped whenever the tables change: a store of another version is set aside.
const SCHEMA: i64 = 4;

/// How long a read waits for another process's write before giving up.
const READ_PATIENCE: Duration = Duration::from_millis(2_000);

/// Why the store cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot use the archive store in {dir}: {why}")]
    Unavailable { dir: String, why: String },
    #[error("the archive store failed: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("the archive store holds something unexpected: {0}")]
    Value(#[from] rusqlite::types::FromSqlError),
}

/// Seconds since the epoch.
fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// What identifies a file's contents, as far as a `stat` can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stamp {
    pub size: u64,
    /// Modification time in nanoseconds since the epoch.
    pub mtime: i64,
}

impl Stamp {
    pub fn of(meta: &std::fs::Metadata) -> Stamp {
        let mtime = meta
            .modified()
            .ok()
            .and_then(|t| match t.duration_since(std::time::UNIX_EPOCH) {
                Ok(d) => i64::try_from(d.as_nanos()).ok(),
                Err(e) => i64::try_from(e.duration().as_nanos()).ok().map(|n| -n),
            })
            .unwrap_or(0);
        Stamp {
            size: meta.len(),
            mtime,
        }
    }
}

/// The archive store.
pub struct Store {
    dir: PathBuf,
    reader: Mutex<Connection>,
    /// Things to tell the user once (a store set aside, writes given up).
    notes: Mutex<Vec<String>>,
}

/// The default folder: `$FOLIO_CACHE_DIR`, else `$XDG_CACHE_HOME/folio`, else
/// `~/.cache/folio` (`~/Library/Caches/folio` on macOS).
pub fn default_dir() -> Option<PathBuf> {
    let env = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(dir) = env("FOLIO_CACHE_DIR") {
        return Some(dir);
    }
    if cfg!(target_os = "macos") {
        return env("HOME").map(|h| h.join("Library/Caches/folio"));
    }
    if let Some(dir) = env("XDG_CACHE_HOME").filter(|d| d.is_absolute()) {
        return Some(dir.join("folio"));
    }
    env("HOME").map(|h| h.join(".cache/folio"))
}

/// The keys of everything under `root` (from `root/` up to, excluding, `root0`),
/// and of `root` itself (a single file).
fn under(root: &Path) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let exact = key_of(root);
    let mut low = exact.clone();
    low.push(b'/');
    let mut high = exact.clone();
    high.push(b'/' + 1);
    (low, high, exact)
}

/// Bytes of a path, as stored.
pub fn key_of(path: &Path) -> Vec<u8> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        path.as_os_str().as_bytes().to_vec()
    }
    #[cfg(not(unix))]
    {
        path.to_string_lossy().into_owned().into_bytes()
    }
}

fn unavailable(dir: &Path, why: impl std::fmt::Display) -> StoreError {
    StoreError::Unavailable {
        dir: crate::sanitize::line(&dir.display().to_string()),
        why: crate::sanitize::line(&why.to_string()),
    }
}

/// Opens the database at `file`, making its tables, for a store of this version.
fn connect(file: &Path, flags: OpenFlags) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(file, flags)?;
    conn.busy_timeout(READ_PATIENCE)?;
    // Large pages: entries are a few kilobytes each.
    conn.pragma_update(None, "page_size", 8192)?;
    // WAL: readers never wait for the writer, and a killed writer leaves the
    // last committed state. No fsync: the store is a cache, and a store damaged
    // by a power cut is noticed and made anew.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "OFF")?;
    Ok(conn)
}

/// Checks that `conn` holds a store of this version (making one in an empty file).
fn check_schema(conn: &Connection) -> Result<(), String> {
    // One statement, so one snapshot: read apart, another folio making the store
    // at that moment could commit between the two, and its tables would be seen
    // without its version ("made by another version (schema 0)").
    let (version, tables): (i64, i64) = conn
        .query_row(
            "SELECT user_version, (SELECT count(*) FROM sqlite_master) FROM pragma_user_version",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(|e| e.to_string())?;
    if tables > 0 && version != SCHEMA {
        return Err(format!("made by another version (schema {version})"));
    }
    if tables == 0 {
        conn.execute_batch(&format!(
            "BEGIN IMMEDIATE;
             -- Heads apart from texts: a list reads a few megabytes, not the bodies.
             CREATE TABLE IF NOT EXISTS entries (
                 path BLOB PRIMARY KEY,
                 size INTEGER NOT NULL,
                 mtime INTEGER NOT NULL,
                 converter INTEGER NOT NULL,
                 head BLOB NOT NULL
             ) WITHOUT ROWID;
             -- The stamp again: a text read after its head is checked against it.
             CREATE TABLE IF NOT EXISTS texts (
                 path BLOB PRIMARY KEY,
                 size INTEGER NOT NULL,
                 mtime INTEGER NOT NULL,
                 tail BLOB NOT NULL,
                 body TEXT NOT NULL
             );
             CREATE TABLE IF NOT EXISTS archives (
                 root BLOB PRIMARY KEY,
                 files INTEGER NOT NULL,
                 used INTEGER NOT NULL
             );
             CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
             PRAGMA user_version = {SCHEMA};
             COMMIT;"
        ))
        .map_err(|e| e.to_string())?;
    }
    // The tables must be ours, whatever made the file.
    conn.prepare("SELECT path, size, mtime, converter, head FROM entries LIMIT 0")
        .and_then(|_| conn.prepare("SELECT path, size, mtime, tail, body FROM texts LIMIT 0"))
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// Moves a store that cannot be used aside, with the time in its name; returns the new name.
fn set_aside(file: &Path) -> std::io::Result<PathBuf> {
    let secs = now_secs();
    let stamp = chrono::DateTime::from_timestamp(secs, 0).map_or_else(
        || secs.to_string(),
        |t| t.format("%Y%m%dT%H%M%SZ").to_string(),
    );
    let mut aside = file.with_file_name(format!("{FILE_NAME}.corrupt-{stamp}"));
    let mut n = 1;
    while aside.exists() {
        aside = file.with_file_name(format!("{FILE_NAME}.corrupt-{stamp}-{n}"));
        n += 1;
    }
    std::fs::rename(file, &aside)?;
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", file.display()));
        let _ = std::fs::remove_file(side);
    }
    Ok(aside)
}

impl Store {
    /// Opens (or makes) the store in `dir`. A store that cannot be read is set
    /// aside and a new one made (see [`Store::take_notes`]); an error means the
    /// store cannot be used at all (folio then works without it).
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| unavailable(dir, e))?;
        let file = dir.join(FILE_NAME);
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut notes = Vec::new();
        let attempt = || {
            connect(&file, flags)
                .map_err(|e| e.to_string())
                .and_then(|c| {
                    check_schema(&c)?;
                    Ok(c)
                })
        };
        // Another folio making the same store at this moment holds it a while: that
        // is waited for, never taken for damage.
        let busy = |why: &str| why.contains("locked") || why.contains("busy");
        let mut opened = attempt();
        for _ in 0..20 {
            match &opened {
                Err(why) if busy(why) => {
                    std::thread::sleep(std::time::Duration::from_millis(50));
                    opened = attempt();
                }
                _ => break,
            }
        }
        let conn = match opened {
            Ok(conn) => conn,
            Err(why) if busy(&why) => return Err(unavailable(dir, why)),
            Err(why) if file.exists() => {
                let aside = set_aside(&file).map_err(|e| unavailable(dir, e))?;
                notes.push(format!(
                    "the archive store could not be read ({}): kept as {} and made anew",
                    crate::sanitize::line(&why),
                    crate::sanitize::line(&aside.display().to_string())
                ));
                let conn = connect(&file, flags).map_err(|e| unavailable(dir, e))?;
                check_schema(&conn).map_err(|e| unavailable(dir, e))?;
                conn
            }
            Err(why) => return Err(unavailable(dir, why)),
        };
        Ok(Store {
            dir: dir.to_owned(),
            reader: Mutex::new(conn),
            notes: Mutex::new(notes),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Things the user should be told once, since the last call.
    pub fn take_notes(&self) -> Vec<String> {
        self.notes
            .lock()
            .map(|mut n| std::mem::take(&mut *n))
            .unwrap_or_default()
    }

    fn note(&self, note: String) {
        if let Ok(mut notes) = self.notes.lock()
            && !notes.contains(&note)
        {
            notes.push(note);
        }
    }

    /// A connection of this thread's own, for reading while others read.
    fn read_connection(&self) -> Result<Connection, StoreError> {
        let conn = Connection::open_with_flags(
            self.dir.join(FILE_NAME),
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(READ_PATIENCE)?;
        Ok(conn)
    }

    /// Calls `found` with the head of each entry kept for a path from `low` to
    /// `to.0` (included when `to.1`), in the order of their paths: its key, stamp,
    /// converter version and head. Reads with a connection of its own, so that
    /// several ranges can be read at once; the texts are not touched.
    pub fn scan_heads(
        &self,
        low: &[u8],
        to: (&[u8], bool),
        mut found: impl FnMut(&[u8], Stamp, u32, &[u8]),
    ) -> Result<(), StoreError> {
        let conn = self.read_connection()?;
        let (high, inclusive) = to;
        let below = if inclusive { "<=" } else { "<" };
        let mut stmt = conn.prepare(&format!(
            "SELECT path, size, mtime, converter, head FROM entries WHERE path >= ?1 AND path {below} ?2"
        ))?;
        let mut rows = stmt.query(params![low, high])?;
        while let Some(row) = rows.next()? {
            let path = row.get_ref(0)?.as_blob()?;
            let stamp = Stamp {
                size: row.get::<_, i64>(1)? as u64,
                mtime: row.get(2)?,
            };
            let converter: i64 = row.get(3)?;
            let head = row.get_ref(4)?.as_blob()?;
            found(path, stamp, converter as u32, head);
        }
        Ok(())
    }

    /// The first and last row number of the texts kept for paths from `low` to
    /// `high` (both included), read from the index alone.
    pub fn text_rows(&self, low: &[u8], high: &[u8]) -> Result<Option<(i64, i64)>, StoreError> {
        let conn = self.reader.lock().unwrap_or_else(|p| p.into_inner());
        let mut stmt = conn.prepare_cached(
            "SELECT min(rowid), max(rowid) FROM texts WHERE path >= ?1 AND path <= ?2",
        )?;
        let rows: (Option<i64>, Option<i64>) =
            stmt.query_row(params![low, high], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(match rows {
            (Some(first), Some(last)) => Some((first, last)),
            _ => None,
        })
    }

    /// Calls `found` with each text kept in rows `first` to `last` (both included),
    /// in the order they were written (which is the order they lie on disk): its
    /// key, stamp, tail and body (`None` when the body is not text: a damaged
    /// entry). Reads with a connection of its own, so that several ranges can be
    /// read at once.
    pub fn scan_texts(
        &self,
        first: i64,
        last: i64,
        mut found: impl FnMut(&[u8], Stamp, &[u8], Option<&str>),
    ) -> Result<(), StoreError> {
        let conn = self.read_connection()?;
        let mut stmt = conn.prepare(
            "SELECT path, size, mtime, tail, body FROM texts WHERE rowid >= ?1 AND rowid <= ?2",
        )?;
        let mut rows = stmt.query(params![first, last])?;
        while let Some(row) = rows.next()? {
            let path = row.get_ref(0)?.as_blob()?;
            let stamp = Stamp {
                size: row.get::<_, i64>(1)? as u64,
                mtime: row.get(2)?,
            };
            let tail = row.get_ref(3)?.as_blob()?;
            // Checked with SIMD: several times faster than `as_str` on Chinese.
            let body = simdutf8::basic::from_utf8(row.get_ref(4)?.as_bytes()?).ok();
            found(path, stamp, tail, body);
        }
        Ok(())
    }

    /// The tail and body kept for `key`, if the entry is still for `stamp`.
    pub fn text_of(
        &self,
        key: &[u8],
        stamp: Stamp,
    ) -> Result<Option<(Vec<u8>, String)>, StoreError> {
        let conn = self.reader.lock().unwrap_or_else(|p| p.into_inner());
        let mut stmt =
            conn.prepare_cached("SELECT size, mtime, tail, body FROM texts WHERE path = ?1")?;
        let mut rows = stmt.query(params![key])?;
        let Some(row) = rows.next()? else {
            return Ok(None);
        };
        let kept = Stamp {
            size: row.get::<_, i64>(0)? as u64,
            mtime: row.get(1)?,
        };
        if kept != stamp {
            return Ok(None);
        }
        let tail = row.get_ref(2)?.as_blob()?.to_vec();
        let Ok(body) = simdutf8::basic::from_utf8(row.get_ref(3)?.as_bytes()?) else {
            return Ok(None);
        };
        Ok(Some((tail, body.to_owned())))
    }

    /// Sets a store that failed while being read aside, so that the next run
    /// makes a new one; says so once.
    pub fn failed(&self, error: &StoreError) {
        let file = self.dir.join(FILE_NAME);
        let note = match set_aside(&file) {
            Ok(aside) => format!(
                "the archive store failed ({error}): kept as {} and made anew next time",
                aside.display()
            ),
            Err(e) => {
                format!("the archive store failed ({error}), and could not be set aside: {e}")
            }
        };
        self.note(crate::sanitize::line(&note));
    }
}

/// A store and its writer, as a load and a running browser use them.
pub struct Archive {
    pub store: Arc<Store>,
    pub writer: Writer,
}

impl Archive {
    /// Opens the store in `dir` and starts its writer.
    pub fn open(dir: &Path) -> Result<Archive, StoreError> {
        let store = Arc::new(Store::open(dir)?);
        let writer = Writer::start(&store);
        Ok(Archive { store, writer })
    }
}

/// What `folio cache status` reports.
#[derive(Debug, Clone, Default)]
pub struct Status {
    pub dir: PathBuf,
    /// Bytes on disk: the database and its write-ahead log.
    pub bytes: u64,
    pub entries: u64,
    /// Folders (or single files) opened, with their file counts, most recent first.
    pub archives: Vec<(String, u64)>,
}

/// The store in `dir`, as `folio cache status` shows it (without opening it for writing).
pub fn status(dir: &Path) -> Result<Status, StoreError> {
    let file = dir.join(FILE_NAME);
    let mut status = Status {
        dir: dir.to_owned(),
        ..Status::default()
    };
    if !file.exists() {
        return Ok(status);
    }
    for suffix in ["", "-wal"] {
        let part = PathBuf::from(format!("{}{suffix}", file.display()));
        status.bytes += std::fs::metadata(part).map(|m| m.len()).unwrap_or(0);
    }
    let conn = Connection::open_with_flags(&file, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    conn.busy_timeout(READ_PATIENCE)?;
    status.entries = conn
        .query_row("SELECT count(*) FROM entries", [], |r| r.get::<_, i64>(0))
        .map_err(StoreError::from)? as u64;
    let mut stmt = conn.prepare("SELECT root, files FROM archives ORDER BY used DESC")?;
    let rows = stmt.query_map([], |r| {
        let root: Vec<u8> = r.get(0)?;
        let files: i64 = r.get(1)?;
        Ok((String::from_utf8_lossy(&root).into_owned(), files as u64))
    })?;
    for row in rows {
        status.archives.push(row?);
    }
    Ok(status)
}

/// Deletes the store in `dir` (and what was set aside); the next run makes a new one.
/// Returns how many bytes were freed.
pub fn clear(dir: &Path) -> std::io::Result<u64> {
    let mut freed = 0;
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with(FILE_NAME) {
            freed += entry.metadata().map(|m| m.len()).unwrap_or(0);
            std::fs::remove_file(entry.path())?;
        }
    }
    Ok(freed)
}

#[cfg(test)]
mod tests;

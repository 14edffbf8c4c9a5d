//! What folio remembers between sessions: read marks, stars, reading positions and the last article, keyed by article id.

mod file;
mod store;

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

pub use file::{FILE_NAME, StateError, read_file};
pub use store::{Store, StoreReport};

/// Where the reader left an article: a paragraph, and a byte offset in it (so the
/// same place is found again at any width).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    pub para: u32,
    pub offset: u32,
}

/// What is remembered of one article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Entry {
    pub read: bool,
    pub starred: bool,
    /// Where reading stopped; `None` at the top.
    pub position: Option<Position>,
    pub stamps: Stamps,
}

/// When each field of an entry last changed (ms since the Unix epoch, 0 for never):
/// when two folio processes changed the same article, each field keeps the later
/// change, so one process's star never undoes the other's read mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stamps {
    pub read: u64,
    pub starred: u64,
    pub position: u64,
}

impl Entry {
    /// Takes each field of `theirs` that changed later than ours.
    fn merge(&mut self, theirs: &Entry) {
        if theirs.stamps.read > self.stamps.read {
            self.read = theirs.read;
            self.stamps.read = theirs.stamps.read;
        }
        if theirs.stamps.starred > self.stamps.starred {
            self.starred = theirs.starred;
            self.stamps.starred = theirs.stamps.starred;
        }
        if theirs.stamps.position > self.stamps.position {
            self.position = theirs.position;
            self.stamps.position = theirs.stamps.position;
        }
    }
}

/// The last selected article, and when it was selected.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Last {
    pub id: String,
    pub changed: u64,
}

/// Everything remembered, for every collection the user opens.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Marks {
    pub entries: HashMap<String, Entry>,
    pub last: Option<Last>,
}

impl Marks {
    pub fn get(&self, id: &str) -> Entry {
        self.entries.get(id).copied().unwrap_or_default()
    }

    pub fn is_read(&self, id: &str) -> bool {
        self.entries.get(id).is_some_and(|e| e.read)
    }

    pub fn is_starred(&self, id: &str) -> bool {
        self.entries.get(id).is_some_and(|e| e.starred)
    }

    /// When the article was marked read (ms since the epoch, at least 1), or 0 when
    /// it is not read: what the `read` sort order sorts by.
    pub fn read_at(&self, id: &str) -> u64 {
        self.entries
            .get(id)
            .filter(|e| e.read)
            .map_or(0, |e| e.stamps.read.max(1))
    }

    /// Takes in what `other` changed later than we did, field by field (another
    /// process's changes).
    pub fn merge(&mut self, other: Marks) {
        for (id, theirs) in other.entries {
            match self.entries.get_mut(&id) {
                Some(ours) => ours.merge(&theirs),
                None => {
                    self.entries.insert(id, theirs);
                }
            }
        }
        if let Some(theirs) = other.last
            && self
                .last
                .as_ref()
                .is_none_or(|ours| ours.changed < theirs.changed)
        {
            self.last = Some(theirs);
        }
    }

    /// Applies one change made at time `at` (ms since the epoch).
    pub fn apply(&mut self, change: Change, at: u64) {
        match change {
            Change::Read(id, read) => {
                let e = self.entries.entry(id).or_default();
                e.read = read;
                e.stamps.read = at;
            }
            Change::Starred(id, starred) => {
                let e = self.entries.entry(id).or_default();
                e.starred = starred;
                e.stamps.starred = at;
            }
            Change::Position(id, position) => {
                let e = self.entries.entry(id).or_default();
                e.position = position;
                e.stamps.position = at;
            }
            Change::Last(id) => self.last = Some(Last { id, changed: at }),
        }
    }
}

/// One change, of one field, for the store to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Read(String, bool),
    Starred(String, bool),
    Position(String, Option<Position>),
    /// The article selected last.
    Last(String),
}

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// The folder state lives in: `$FOLIO_STATE_DIR`, else the platform's state folder
/// (`$XDG_STATE_HOME/folio`, `~/.local/state/folio`; on macOS
/// `~/Library/Application Support/folio`). `None` when there is no home to put it in.
pub fn default_dir() -> Option<PathBuf> {
    let env = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(dir) = env("FOLIO_STATE_DIR") {
        return Some(dir);
    }
    if cfg!(target_os = "macos") {
        return env("HOME").map(|h| h.join("Library/Application Support/folio"));
    }
    if let Some(dir) = env("XDG_STATE_HOME").filter(|d| d.is_absolute()) {
        return Some(dir.join("folio"));
    }
    env("HOME").map(|h| h.join(".local/state/folio"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merging_keeps_the_later_change_of_each_field() {
        let mut ours = Marks::default();
        ours.apply(Change::Read("a".into(), true), 10);
        ours.apply(Change::Starred("b".into(), true), 10);
        let mut theirs = Marks::default();
        theirs.apply(Change::Read("a".into(), false), 5);
        theirs.apply(Change::Read("b".into(), true), 20);
        theirs.apply(Change::Read("c".into(), true), 1);
        theirs.apply(Change::Last("c".into()), 3);
        ours.merge(theirs);
        assert!(ours.is_read("a"), "our later read mark stays");
        assert!(
            ours.is_read("b") && ours.is_starred("b"),
            "their read and our star"
        );
        assert!(ours.is_read("c"));
        assert_eq!(ours.last.map(|l| l.id), Some("c".to_owned()));
    }
}

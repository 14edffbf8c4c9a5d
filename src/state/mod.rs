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
    /// When this entry last changed (ms since the Unix epoch): the newer one wins
    /// when two folio processes changed the same article.
    pub changed: u64,
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

    /// Takes in `other`'s entries where they are newer than ours (another process's
    /// changes, or changes made since a save began).
    pub fn merge(&mut self, other: Marks) {
        for (id, theirs) in other.entries {
            match self.entries.get(&id) {
                Some(ours) if ours.changed >= theirs.changed => {}
                _ => {
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

    /// Applies one change.
    pub fn apply(&mut self, change: Change) {
        match change {
            Change::Entry(id, entry) => {
                self.entries.insert(id, entry);
            }
            Change::Last(last) => self.last = Some(last),
        }
    }
}

/// One change for the store to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Entry(String, Entry),
    Last(Last),
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

    fn entry(read: bool, changed: u64) -> Entry {
        Entry {
            read,
            changed,
            ..Entry::default()
        }
    }

    #[test]
    fn merging_keeps_the_newer_change_of_each_article() {
        let mut ours = Marks::default();
        ours.entries.insert("a".into(), entry(true, 10));
        ours.entries.insert("b".into(), entry(false, 10));
        let mut theirs = Marks::default();
        theirs.entries.insert("a".into(), entry(false, 5));
        theirs.entries.insert("b".into(), entry(true, 20));
        theirs.entries.insert("c".into(), entry(true, 1));
        theirs.last = Some(Last {
            id: "c".into(),
            changed: 3,
        });
        ours.merge(theirs);
        assert!(ours.is_read("a") && ours.is_read("b") && ours.is_read("c"));
        assert_eq!(ours.last.map(|l| l.id), Some("c".to_owned()));
    }
}

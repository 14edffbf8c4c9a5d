//! The list's search box: the query and its cursor, titles or full text, what to return to when it is cancelled.

use std::sync::Arc;

/// What the search box searches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SearchMode {
    #[default]
    Titles,
    /// The full text of every article.
    Bodies,
}

/// The list's search box.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchBox {
    pub query: String,
    pub mode: SearchMode,
    /// Keys go to the box (it has the focus).
    pub typing: bool,
    /// The article selected when the search began, restored on cancel.
    pub before: Option<usize>,
    /// Where the cursor is in the query (a byte offset).
    pub cursor: usize,
}

/// The title searches made lately, newest last, to answer a key typed at the end
/// from the hits before it and a key deleted from memory.
#[derive(Debug, Clone, Default)]
pub struct Recent {
    /// The index they were made on (by address): another index, another cache.
    index: usize,
    /// Shared with the caller, never copied: a one-letter query has as many hits
    /// as there are titles.
    entries: Vec<(String, Arc<Vec<crate::search::Hit>>)>,
}

/// How many searches are remembered.
const REMEMBERED: usize = 12;

impl Recent {
    /// The hits of `query` on `index`.
    pub fn search(
        &mut self,
        index: &std::sync::Arc<crate::search::TitleIndex>,
        query: &str,
    ) -> Arc<Vec<crate::search::Hit>> {
        let id = std::sync::Arc::as_ptr(index) as usize;
        if self.index != id {
            self.index = id;
            self.entries.clear();
        }
        if let Some(at) = self.entries.iter().position(|(q, _)| q == query) {
            let entry = self.entries.remove(at);
            let hits = Arc::clone(&entry.1);
            self.entries.push(entry);
            return hits;
        }
        // Another browser over the same index (a served archive) may have asked.
        let hits = match index.remembered(query) {
            Some(hits) => hits,
            None => {
                let before = self
                    .entries
                    .iter()
                    .filter(|(q, _)| crate::search::narrows(q, query))
                    .max_by_key(|(q, _)| q.len())
                    .map(|(q, hits)| (q.as_str(), hits.as_slice()));
                let hits = Arc::new(index.search_after(query, before));
                index.remember(query, &hits);
                hits
            }
        };
        if self.entries.len() == REMEMBERED {
            let (_, forgotten) = self.entries.remove(0);
            index.recycle(forgotten);
        }
        self.entries.push((query.to_owned(), Arc::clone(&hits)));
        hits
    }
}

impl SearchBox {
    /// Shown while typing, and while its filter applies.
    pub fn is_visible(&self) -> bool {
        self.typing || !self.query.is_empty()
    }
}

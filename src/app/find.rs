//! The reader's find box: a query searched in the open article, its matches, and which one is current.

use std::ops::Range;

use crate::search::find_in_text;

/// Searching inside the open article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FindBox {
    pub query: String,
    /// Where the cursor is in the query (a byte offset).
    pub cursor: usize,
    /// Keys go to the box.
    pub typing: bool,
    /// Byte ranges of the matches in the article's body, in order.
    pub matches: Vec<Range<usize>>,
    /// Index of the current match.
    pub current: usize,
}

impl FindBox {
    /// Shown while typing, and while it has a query.
    pub fn is_visible(&self) -> bool {
        self.typing || !self.query.is_empty()
    }

    /// Matches exist to move between.
    pub fn is_active(&self) -> bool {
        !self.typing && !self.matches.is_empty()
    }

    /// Recomputes the matches in `body`; the current one becomes the first at or after `from`.
    pub fn search(&mut self, body: &str, from: usize) {
        self.matches = if self.query.trim().is_empty() {
            Vec::new()
        } else {
            find_in_text(body, self.query.trim())
        };
        self.current = self
            .matches
            .iter()
            .position(|m| m.start >= from)
            .unwrap_or(0);
    }

    pub fn current_match(&self) -> Option<Range<usize>> {
        self.matches.get(self.current).cloned()
    }

    pub fn step(&mut self, forward: bool) {
        let n = self.matches.len();
        if n > 0 {
            self.current = if forward {
                (self.current + 1) % n
            } else {
                (self.current + n - 1) % n
            };
        }
    }

    /// `match 3/17`, or `no match`.
    pub fn counter(&self) -> String {
        if self.matches.is_empty() {
            if self.query.trim().is_empty() {
                String::new()
            } else {
                "no match".to_owned()
            }
        } else {
            format!("match {}/{}", self.current + 1, self.matches.len())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_wrap_around() {
        let mut f = FindBox {
            query: "中俄".into(),
            ..FindBox::default()
        };
        let body = "中俄关系。中俄貿易。中俄";
        f.search(body, 4);
        assert_eq!(f.matches.len(), 3);
        assert_eq!(
            f.current, 1,
            "the first match at or after the top of the screen"
        );
        f.step(true);
        f.step(true);
        assert_eq!(f.current, 0);
        f.step(false);
        assert_eq!(f.counter(), "match 3/3");
    }
}

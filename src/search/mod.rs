//! Title search over the collection: the fuzzy matching the search box and `folio search` share.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use rayon::prelude::*;

use crate::collection::Collection;

/// One matching article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Index of the article in the collection.
    pub article: u32,
    pub score: i64,
}

/// Titles prepared for searching, built once per collection.
pub struct TitleIndex {
    /// Lower-cased titles, in collection order.
    titles: Vec<String>,
    matcher: SkimMatcherV2,
}

impl TitleIndex {
    pub fn new(collection: &Collection) -> Self {
        TitleIndex {
            titles: collection.iter().map(|a| a.title.to_lowercase()).collect(),
            matcher: SkimMatcherV2::default().ignore_case(),
        }
    }

    /// The articles whose titles match `query`, best first; ties keep collection
    /// order (newest first). An empty query matches nothing.
    pub fn search(&self, query: &str) -> Vec<Hit> {
        let pattern = query.trim().to_lowercase();
        if pattern.is_empty() {
            return Vec::new();
        }
        let mut hits: Vec<Hit> = self
            .titles
            .par_iter()
            .enumerate()
            .filter(|(_, title)| is_subsequence(&pattern, title))
            .filter_map(|(i, title)| {
                self.matcher.fuzzy_match(title, &pattern).map(|score| Hit {
                    article: i as u32,
                    score,
                })
            })
            .collect();
        hits.sort_by(|a, b| b.score.cmp(&a.score).then(a.article.cmp(&b.article)));
        hits
    }

    /// Character positions in the article's title that `query` matched, for highlighting.
    pub fn positions(&self, article: usize, query: &str) -> Vec<usize> {
        let pattern = query.trim().to_lowercase();
        match self.titles.get(article) {
            Some(title) if !pattern.is_empty() => self
                .matcher
                .fuzzy_indices(title, &pattern)
                .map(|(_, p)| p)
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }
}

/// The matcher needs every pattern character in order: checking that first is cheap.
fn is_subsequence(pattern: &str, text: &str) -> bool {
    let mut text = text.chars();
    pattern
        .chars()
        .filter(|c| !c.is_whitespace())
        .all(|p| text.any(|t| t == p))
}

//! The loaded articles, shared between threads, in display order, looked up by index or by id (prefix).

use std::sync::Arc;

use crate::article::Article;
use crate::error::FindError;

/// The articles of one load, in display order: newest first, then by path once
/// the load has finished; in the order they were read while it runs.
///
/// Articles are shared (`Arc`), so a copy of a collection costs a pointer per
/// article: the browser keeps one that grows while a background load goes on,
/// and hands snapshots to full-text searches.
#[derive(Debug, Default, Clone)]
pub struct Collection {
    articles: Vec<Arc<Article>>,
}

impl Collection {
    /// Builds a collection from articles already in display order with unique ids.
    pub fn new(articles: Vec<Article>) -> Self {
        Collection {
            articles: articles.into_iter().map(Arc::new).collect(),
        }
    }

    /// Builds a collection from shared articles already in display order with unique ids.
    pub fn from_shared(articles: Vec<Arc<Article>>) -> Self {
        Collection { articles }
    }

    /// Adds articles at the end.
    pub fn extend(&mut self, articles: impl IntoIterator<Item = Arc<Article>>) {
        self.articles.extend(articles);
    }

    pub fn len(&self) -> usize {
        self.articles.len()
    }

    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }

    pub fn get(&self, index: usize) -> Option<&Article> {
        self.articles.get(index).map(|a| &**a)
    }

    pub fn articles(&self) -> &[Arc<Article>] {
        &self.articles
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = &Article> + DoubleEndedIterator {
        self.articles.iter().map(|a| &**a)
    }

    /// The index of the article whose id is `id`, or the only one whose id starts with it.
    /// A linear scan: it runs once per command, never per keystroke.
    pub fn find(&self, id: &str) -> Result<usize, FindError> {
        let id = id.trim();
        if let Some(i) = self.articles.iter().position(|a| a.id == id) {
            return Ok(i);
        }
        let matches: Vec<usize> = if id.is_empty() {
            Vec::new()
        } else {
            (0..self.articles.len())
                .filter(|&i| self.articles[i].id.starts_with(id))
                .collect()
        };
        match matches.as_slice() {
            [] => Err(FindError::NotFound(id.to_owned())),
            [one] => Ok(*one),
            many => Err(FindError::Ambiguous {
                prefix: id.to_owned(),
                count: many.len(),
                examples: many
                    .iter()
                    .take(3)
                    .map(|&i| self.articles[i].id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            }),
        }
    }
}

impl<'a> IntoIterator for &'a Collection {
    type Item = &'a Article;
    type IntoIter =
        std::iter::Map<std::slice::Iter<'a, Arc<Article>>, fn(&Arc<Article>) -> &Article>;

    fn into_iter(self) -> Self::IntoIter {
        self.articles.iter().map(|a| &**a)
    }
}

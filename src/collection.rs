//! The loaded articles: immutable after load, newest first, looked up by id or id prefix.

use std::collections::HashMap;

use crate::article::Article;
use crate::error::FindError;

/// All articles of one load, in display order (newest first, then by path).
#[derive(Debug, Default)]
pub struct Collection {
    articles: Vec<Article>,
    by_id: HashMap<String, usize>,
}

impl Collection {
    /// Builds a collection from articles already in display order with unique ids.
    pub fn new(articles: Vec<Article>) -> Self {
        let by_id = articles
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.clone(), i))
            .collect();
        Collection { articles, by_id }
    }

    pub fn len(&self) -> usize {
        self.articles.len()
    }

    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }

    pub fn get(&self, index: usize) -> Option<&Article> {
        self.articles.get(index)
    }

    pub fn articles(&self) -> &[Article] {
        &self.articles
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Article> {
        self.articles.iter()
    }

    /// The index of the article whose id is `id`, or the only one whose id starts with it.
    pub fn find(&self, id: &str) -> Result<usize, FindError> {
        let id = id.trim();
        if let Some(&i) = self.by_id.get(id) {
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
    type IntoIter = std::slice::Iter<'a, Article>;

    fn into_iter(self) -> Self::IntoIter {
        self.articles.iter()
    }
}

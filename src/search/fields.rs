//! Every article's sources, tags, authors and dates as small numbers, made with the title index: what the filter terms test and the facet panel counts, in a pass over integers.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::Datelike;

use crate::article::Article;
use crate::collection::Collection;

/// What an entry of the panel stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Group {
    Saved,
    Source,
    Tag,
    Author,
    Year,
    Month,
}

impl Group {
    pub fn title(self) -> &'static str {
        match self {
            Group::Saved => "saved",
            Group::Source => "sources",
            Group::Tag => "tags",
            Group::Author => "authors",
            Group::Year => "years",
            Group::Month => "months",
        }
    }
}

/// One entry: `@voachinese  1,234`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facet {
    pub group: Group,
    /// What the panel shows: the term itself (`@voachinese`, `on:2023-10`), or a
    /// saved search's name.
    pub label: String,
    /// What choosing it puts in the search box.
    pub term: String,
    /// Articles of the list that have it (0 for saved searches: not counted).
    pub count: usize,
}

/// Every article's sources, tags, authors and months as numbers, made once per
/// collection so that counting what a list shows is a pass over small integers.
#[derive(Debug, Clone, Default)]
pub struct Fields {
    /// The names, by number; names that fold alike share a number.
    names: Vec<String>,
    source: Vec<u32>,
    author: Vec<u32>,
    /// Where each article's tags start in `tag_ids`.
    tag_start: Vec<u32>,
    tag_ids: Vec<u32>,
    /// `year * 100 + month`, 0 when undated.
    month: Vec<u32>,
    /// The numbers of the names, by their folded form.
    folded: HashMap<String, u32>,
}

/// The fields of an article that hold names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Source,
    Tag,
    Author,
}

/// No source or author.
const NONE: u32 = u32::MAX;

impl Fields {
    pub fn new(collection: &Collection) -> Fields {
        let mut table = Fields::default();
        table.extend(collection.articles());
        table
    }

    /// Adds articles after those it has (articles appended to the collection).
    pub fn extend<'a>(&mut self, articles: &'a [Arc<Article>]) {
        // Names as written map to their number without folding again (this load).
        let mut written: HashMap<&'a str, u32> = HashMap::new();
        let (names, folded) = (&mut self.names, &mut self.folded);
        let mut intern = |name: &'a str| -> u32 {
            if let Some(&id) = written.get(name) {
                return id;
            }
            let id = *folded
                .entry(crate::search::fold_str(name))
                .or_insert_with(|| {
                    names.push(name.to_owned());
                    (names.len() - 1) as u32
                });
            written.insert(name, id);
            id
        };
        // The sentinel after the last article's tags comes back at the end.
        self.tag_start.pop();
        self.source.reserve(articles.len());
        for a in articles {
            let source = a.source.as_deref().filter(|s| !s.is_empty());
            self.source.push(source.map_or(NONE, &mut intern));
            let author = a.author.as_deref().filter(|s| !s.is_empty());
            self.author.push(author.map_or(NONE, &mut intern));
            let start = self.tag_ids.len();
            self.tag_start.push(start as u32);
            for tag in a.tags.iter().filter(|t| !t.is_empty()) {
                let id = intern(tag);
                if !self.tag_ids[start..].contains(&id) {
                    self.tag_ids.push(id);
                }
            }
            self.month.push(a.date.map_or(0, |d| {
                let d = d.date_naive();
                d.year().max(0) as u32 * 100 + d.month()
            }));
        }
        self.tag_start.push(self.tag_ids.len() as u32);
    }

    /// For each name, whether the folded `value` begins it or one of its words (see
    /// [`super::filter::value_matches`]): what a filter term tests, name by name.
    pub fn names_matching(&self, value: &str) -> Vec<bool> {
        self.names
            .iter()
            .map(|name| super::filter::value_matches(name, value))
            .collect()
    }

    /// Whether article `i`'s source (or author, or one of its tags) is among `names`.
    pub fn has(&self, field: Field, i: usize, names: &[bool]) -> bool {
        let named = |id: u32| id != NONE && names.get(id as usize).copied().unwrap_or(false);
        match field {
            Field::Source => self.source.get(i).is_some_and(|&id| named(id)),
            Field::Author => self.author.get(i).is_some_and(|&id| named(id)),
            Field::Tag => match (self.tag_start.get(i), self.tag_start.get(i + 1)) {
                (Some(&start), Some(&end)) => self.tag_ids[start as usize..end as usize]
                    .iter()
                    .any(|&id| named(id)),
                _ => false,
            },
        }
    }

    pub fn len(&self) -> usize {
        self.source.len()
    }

    pub fn is_empty(&self) -> bool {
        self.source.is_empty()
    }

    /// The entries for the articles `rows` (every article when `None`), counted.
    pub fn count(&self, rows: Option<&[u32]>) -> Vec<Facet> {
        let n = self.names.len();
        let mut sources = vec![0usize; n];
        let mut authors = vec![0usize; n];
        let mut tags = vec![0usize; n];
        let mut months: HashMap<u32, usize> = HashMap::new();
        let mut add = |i: usize| {
            if let Some(&s) = self.source.get(i)
                && s != NONE
            {
                sources[s as usize] += 1;
            }
            if let Some(&a) = self.author.get(i)
                && a != NONE
            {
                authors[a as usize] += 1;
            }
            if let (Some(&start), Some(&end)) = (self.tag_start.get(i), self.tag_start.get(i + 1)) {
                for &t in &self.tag_ids[start as usize..end as usize] {
                    tags[t as usize] += 1;
                }
            }
            if let Some(&m) = self.month.get(i)
                && m != 0
            {
                *months.entry(m).or_default() += 1;
            }
        };
        match rows {
            Some(rows) => rows.iter().for_each(|&i| add(i as usize)),
            None => (0..self.len()).for_each(add),
        }
        let mut out = Vec::new();
        for (group, counts, op) in [
            (Group::Source, &sources, "@"),
            (Group::Tag, &tags, "#"),
            (Group::Author, &authors, "by:"),
        ] {
            for (id, &count) in counts.iter().enumerate().filter(|(_, c)| **c > 0) {
                let label = term(op, &self.names[id]);
                // Exactly this name (`$`): the count is of this name only.
                out.push(Facet {
                    group,
                    term: format!("{label}$"),
                    label,
                    count,
                });
            }
        }
        let mut years: HashMap<u32, usize> = HashMap::new();
        for (&m, &count) in &months {
            *years.entry(m / 100).or_default() += count;
            let term = format!("on:{:04}-{:02}", m / 100, m % 100);
            out.push(Facet {
                group: Group::Month,
                label: term.clone(),
                term,
                count,
            });
        }
        for (y, count) in years {
            let term = format!("on:{y:04}");
            out.push(Facet {
                group: Group::Year,
                label: term.clone(),
                term,
                count,
            });
        }
        out
    }
}

/// The query term for a value: `@voa`, `by:"Maria Repnikova"` (quoted when it
/// holds spaces; quotes in names are left out).
pub fn term(op: &str, value: &str) -> String {
    let value = value.replace('"', "");
    if value.contains(char::is_whitespace) {
        format!("{op}\"{value}\"")
    } else {
        format!("{op}{value}")
    }
}

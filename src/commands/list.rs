//! `folio list`: one line (or one JSON object) per article, newest first or in the order and through the filter asked for.

use std::io::{self, Write};

use serde::Serialize;

use crate::article::Article;
use crate::collection::Collection;
use crate::search::{Parsed, TitleIndex};
use crate::sort::SortOrder;
use crate::state::Marks;

/// Every metadata field of an article, as `folio list --json` prints it.
#[derive(Debug, Serialize)]
pub struct ArticleJson<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub url: Option<&'a str>,
    /// RFC 3339, or null.
    pub date: Option<String>,
    pub author: Option<&'a str>,
    pub source: Option<&'a str>,
    pub tags: &'a [String],
    pub path: &'a str,
    /// Characters of plain text in the body.
    pub body_length: usize,
    pub link_count: usize,
    /// From the state (see `--state-dir`).
    pub read: bool,
    pub starred: bool,
}

impl<'a> ArticleJson<'a> {
    pub fn new(a: &'a Article, marks: &Marks) -> Self {
        ArticleJson {
            id: &a.id,
            title: &a.title,
            url: a.url.as_deref(),
            date: a.date_rfc3339(),
            author: a.author.as_deref(),
            source: a.source.as_deref(),
            tags: &a.tags,
            path: &a.path,
            body_length: a.body_chars as usize,
            link_count: a.link_count as usize,
            read: marks.is_read(&a.id),
            starred: marks.is_starred(&a.id),
        }
    }
}

/// Which articles `folio list` prints, and how.
#[derive(Debug, Clone, Default)]
pub struct ListOptions {
    pub json: bool,
    /// Only articles not read yet.
    pub unread: bool,
    /// Only starred articles.
    pub starred: bool,
    /// The query (filter terms, and title terms that rank the list), parsed.
    pub query: Parsed,
    /// The order when no title terms rank the list.
    pub sort: SortOrder,
}

/// The articles `query` selects, as the browser lists them: title matches best
/// first when it has title terms, else every article in `order`; those its filter
/// terms leave.
pub fn select(
    collection: &Collection,
    marks: &Marks,
    query: &Parsed,
    order: SortOrder,
) -> Vec<u32> {
    let ranked = !query.title.trim().is_empty();
    let index = ranked.then(|| TitleIndex::new(collection));
    let fields = match &index {
        Some(index) => std::borrow::Cow::Borrowed(&index.fields),
        None => std::borrow::Cow::Owned(crate::search::fields::Fields::new(collection)),
    };
    let filter = query.filter.compile(&fields);
    let keeps = |i: u32| {
        filter.is_empty()
            || collection.get(i as usize).is_some_and(|a| {
                filter.matches(i as usize, a, marks.is_read(&a.id), marks.is_starred(&a.id))
            })
    };
    match &index {
        Some(index) => index
            .search(&query.title)
            .into_iter()
            .map(|h| h.article)
            .filter(|&i| keeps(i))
            .collect(),
        None => crate::sort::arrange(collection, order, |a| marks.read_at(&a.id))
            .into_iter()
            .filter(|&i| keeps(i))
            .collect(),
    }
}

/// Writes `id<TAB>date<TAB>source<TAB>title<TAB>path` per article, or JSON Lines.
/// Fields never contain tabs or newlines: they were sanitised at load.
pub fn list(
    collection: &Collection,
    marks: &Marks,
    options: &ListOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut out = io::BufWriter::with_capacity(64 * 1024, out);
    let shown = select(collection, marks, &options.query, options.sort)
        .into_iter()
        .filter_map(|i| collection.get(i as usize))
        .filter(|a| {
            (!options.unread || !marks.is_read(&a.id))
                && (!options.starred || marks.is_starred(&a.id))
        });
    for a in shown {
        if options.json {
            serde_json::to_writer(&mut out, &ArticleJson::new(a, marks))?;
            out.write_all(b"\n")?;
        } else {
            writeln!(
                out,
                "{}\t{}\t{}\t{}\t{}",
                a.id,
                a.date_ymd(),
                a.source.as_deref().unwrap_or(""),
                a.title,
                a.path
            )?;
        }
    }
    out.flush()
}

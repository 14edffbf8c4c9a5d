//! `folio search`: the same engine as the browser's search box, for scripts and tests.

use std::io::{self, Write};

use serde::Serialize;

use super::list::ArticleJson;
use crate::collection::Collection;
use crate::search::{TitleIndex, search_bodies};
use crate::state::Marks;

/// What to search and how to print it.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    /// Search article bodies instead of titles.
    pub body: bool,
    /// At most this many results per query.
    pub limit: Option<usize>,
    pub json: bool,
    /// Prefix every result with its query (several queries in one run).
    pub tag_query: bool,
}

#[derive(Serialize)]
struct TitleResult<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    query: Option<&'a str>,
    #[serde(flatten)]
    article: ArticleJson<'a>,
    score: i64,
    /// Character indices in the title that matched.
    positions: Vec<usize>,
}

#[derive(Serialize)]
struct BodyResult<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    query: Option<&'a str>,
    #[serde(flatten)]
    article: ArticleJson<'a>,
    /// Byte offset of the first match in the plain-text body.
    offset: usize,
    snippet: String,
    /// Character indices in the snippet that matched.
    positions: Vec<usize>,
}

/// Prints the results of each query: `[query<TAB>]id<TAB>date<TAB>title<TAB>path`
/// (body searches add `<TAB>snippet`), or JSON Lines.
pub fn search(
    collection: &Collection,
    marks: &Marks,
    queries: &[String],
    options: &SearchOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut out = io::BufWriter::with_capacity(64 * 1024, out);
    let index = (!options.body).then(|| TitleIndex::new(collection));
    let limit = options.limit.unwrap_or(usize::MAX);
    for query in queries {
        let tag = options.tag_query.then_some(query.as_str());
        let prefix = tag
            .map(|q| format!("{}\t", query_column(q)))
            .unwrap_or_default();
        // Filter terms select, title (or text) terms rank: as in the browser.
        let parsed = crate::search::filter::parse(query, crate::search::filter::today());
        let keeps = |i: u32| {
            collection.get(i as usize).is_some_and(|a| {
                parsed
                    .filter
                    .matches(a, marks.is_read(&a.id), marks.is_starred(&a.id))
            })
        };
        let terms = parsed.title.as_str();
        if terms.trim().is_empty() {
            // Only filter terms: what they select, newest first.
            for i in super::select(collection, marks, &parsed, crate::sort::SortOrder::Newest)
                .into_iter()
                .take(limit)
            {
                let Some(article) = collection.get(i as usize) else {
                    continue;
                };
                if options.json {
                    let result = TitleResult {
                        query: tag,
                        article: ArticleJson::new(article, marks),
                        score: 0,
                        positions: Vec::new(),
                    };
                    serde_json::to_writer(&mut out, &result)?;
                    out.write_all(b"\n")?;
                } else {
                    writeln!(out, "{prefix}{}", columns(article))?;
                }
            }
        } else if let Some(index) = &index {
            let hits = index.search(terms).into_iter().filter(|h| keeps(h.article));
            for hit in hits.take(limit) {
                let Some(article) = collection.get(hit.article as usize) else {
                    continue;
                };
                if options.json {
                    let result = TitleResult {
                        query: tag,
                        article: ArticleJson::new(article, marks),
                        score: hit.score,
                        positions: index.positions(hit.article as usize, terms),
                    };
                    serde_json::to_writer(&mut out, &result)?;
                    out.write_all(b"\n")?;
                } else {
                    writeln!(out, "{prefix}{}", columns(article))?;
                }
            }
        } else {
            let hits = search_bodies(collection, terms)
                .into_iter()
                .filter(|h| keeps(h.article));
            for hit in hits.take(limit) {
                let Some(article) = collection.get(hit.article as usize) else {
                    continue;
                };
                let (snippet, highlight) = hit.snippet(article.body());
                if options.json {
                    let start = snippet[..highlight.start].chars().count();
                    let len = snippet[highlight].chars().count();
                    let result = BodyResult {
                        query: tag,
                        article: ArticleJson::new(article, marks),
                        offset: hit.offset,
                        snippet: snippet.clone(),
                        positions: (start..start + len).collect(),
                    };
                    serde_json::to_writer(&mut out, &result)?;
                    out.write_all(b"\n")?;
                } else {
                    let snippet = snippet.replace('\t', " ");
                    writeln!(out, "{prefix}{}\t{snippet}", columns(article))?;
                }
            }
        }
    }
    out.flush()
}

/// `id<TAB>date<TAB>title<TAB>path`: sanitised fields hold no tabs.
fn columns(a: &crate::article::Article) -> String {
    format!("{}\t{}\t{}\t{}", a.id, a.date_ymd(), a.title, a.path)
}

/// A query as a column: tabs would break the columns.
fn query_column(q: &str) -> String {
    q.replace('\t', " ")
}

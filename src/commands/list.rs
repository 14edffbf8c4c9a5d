//! `folio list`: one line (or one JSON object) per article, newest first.

use std::io::{self, Write};

use serde::Serialize;

use crate::article::Article;
use crate::collection::Collection;

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
}

impl<'a> From<&'a Article> for ArticleJson<'a> {
    fn from(a: &'a Article) -> Self {
        ArticleJson {
            id: &a.id,
            title: &a.title,
            url: a.url.as_deref(),
            date: a.date_rfc3339(),
            author: a.author.as_deref(),
            source: a.source.as_deref(),
            tags: &a.tags,
            path: &a.path,
            body_length: a.body.chars().count(),
            link_count: a.links.len(),
        }
    }
}

/// Writes `id<TAB>date<TAB>source<TAB>title<TAB>path` per article, or JSON Lines.
/// Fields never contain tabs or newlines: they were sanitised at load.
pub fn list(collection: &Collection, json: bool, out: &mut dyn Write) -> io::Result<()> {
    let mut out = io::BufWriter::with_capacity(64 * 1024, out);
    for a in collection {
        if json {
            serde_json::to_writer(&mut out, &ArticleJson::from(a))?;
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

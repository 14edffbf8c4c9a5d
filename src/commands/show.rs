//! `folio show`: one article as wrapped plain text, header first and numbered links last.

use std::io::{self, Write};

use crate::article::Article;
use crate::wrap::wrap;

/// Writes the article wrapped to `width` columns.
pub fn show(article: &Article, width: usize, out: &mut dyn Write) -> io::Result<()> {
    let mut out = io::BufWriter::new(out);
    for line in render(article, width) {
        writeln!(out, "{line}")?;
    }
    out.flush()
}

/// The article's lines at `width` columns: title, date · source · author, URL,
/// a blank line, the body, then the links.
pub fn render(article: &Article, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let push_wrapped = |lines: &mut Vec<String>, text: &str| {
        lines.extend(wrap(text, width).into_iter().map(str::to_owned));
    };
    push_wrapped(&mut lines, &article.title);
    let byline = article.byline();
    if !byline.is_empty() {
        push_wrapped(&mut lines, &byline);
    }
    if let Some(url) = &article.url {
        push_wrapped(&mut lines, url);
    }
    lines.push(String::new());
    for paragraph in article.body().split('\n') {
        push_wrapped(&mut lines, paragraph);
    }
    if !article.links().is_empty() {
        lines.push(String::new());
        push_wrapped(&mut lines, "Links:");
        for (i, link) in article.links().iter().enumerate() {
            push_wrapped(&mut lines, &format!("[{}] {}", i + 1, link.url));
        }
    }
    lines
}

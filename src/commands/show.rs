//! `folio show`: one article as wrapped plain text, header first and numbered links last.

use std::io::{self, Write};

use crate::article::Article;
use crate::body::{self, Kind};
use crate::html::readable_url;
use crate::wrap::{str_width, wrap};

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
///
/// Plain-text conventions: a heading is followed by a line of `=` (level 1) or
/// `-` (levels 2 to 6) as wide as it; a rule is a line of `─`; quoted lines
/// begin with `> ` and the wrapped lines of a quote or a list item keep the
/// quote marks and hang under the item's text. URLs are never broken: each is
/// on a line of its own, wider than `width` if it must be.
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
        lines.push(readable_url(url));
    }
    lines.push(String::new());
    let text = article.body();
    for (range, shape) in body::shapes(text, article.spans()) {
        let line = &text[range];
        let prefix = &line[..shape.prefix];
        match shape.kind {
            Kind::Rule => {
                let rule = "─".repeat(width.saturating_sub(str_width(prefix)).max(1));
                lines.push(format!("{prefix}{rule}"));
                continue;
            }
            Kind::Heading(level) => {
                let first = lines.len();
                push_pieces(&mut lines, line, &shape, width);
                let wide = lines[first..]
                    .iter()
                    .map(|l| str_width(l).saturating_sub(str_width(prefix)))
                    .max()
                    .unwrap_or(0);
                let mark = if level <= 1 { "=" } else { "-" };
                lines.push(format!("{}{}", shape.lead, mark.repeat(wide.max(1))));
            }
            Kind::Text | Kind::Table => push_pieces(&mut lines, line, &shape, width),
        }
    }
    if !article.links().is_empty() {
        lines.push(String::new());
        lines.push("Links:".to_owned());
        for (i, link) in article.links().iter().enumerate() {
            lines.push(format!("[{}] {}", i + 1, readable_url(&link.url)));
        }
    }
    lines
}

/// The rows of one body line, each with its lead.
fn push_pieces(lines: &mut Vec<String>, line: &str, shape: &body::Shape, width: usize) {
    for piece in body::pieces(line, shape, width) {
        let text = &line[piece.range];
        let row = if piece.lead {
            format!("{}{text}", shape.lead)
        } else {
            text.to_owned()
        };
        lines.push(row.trim_end().to_owned());
    }
}

//! `folio show --format markdown|json`: an article taken out whole, as Markdown (emphasis, links, headings, quotes and lists kept) or as JSON with every field.

use std::io::{self, Write};

use serde::Serialize;

use crate::article::{Article, SpanStyle};
use crate::body::{self, Kind};
use crate::state::Marks;

/// How `folio show` writes an article.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Wrapped plain text, as the reader sets it.
    #[default]
    Text,
    /// Markdown, unwrapped.
    Markdown,
    /// One JSON object: every field of `folio list --json`, the text and the links.
    Json,
}

/// The article as Markdown: the title as a heading, the byline in italics, the
/// URL, then the body with its emphasis, links (`[text](url)`), headings, quotes,
/// lists and rules, and the numbered links at the end.
pub fn markdown(article: &Article) -> String {
    let mut out = format!("# {}\n\n", escape(&article.title));
    let byline = article.byline();
    if !byline.is_empty() {
        out.push_str(&format!("*{}*\n\n", escape(&byline)));
    }
    if let Some(url) = &article.url {
        out.push_str(&format!("<{url}>\n\n"));
    }
    let text = article.body();
    let spans = article.spans();
    let lines = body::shapes(text, spans);
    for (n, (range, shape)) in lines.iter().enumerate() {
        let line = &text[range.clone()];
        let prefix = &line[..shape.prefix];
        match shape.kind {
            Kind::Rule => out.push_str("---"),
            Kind::Heading(level) => {
                out.push_str(prefix);
                out.push_str(&"#".repeat(usize::from(level.clamp(1, 6))));
                out.push(' ');
                out.push_str(&inline(article, range.start + shape.prefix, range.end));
            }
            Kind::Text | Kind::Table => {
                out.push_str(prefix);
                out.push_str(&inline(article, range.start + shape.prefix, range.end));
                // Lines of one paragraph (a <br>) stay lines: a hard break.
                let next_is_text = lines
                    .get(n + 1)
                    .is_some_and(|(r, s)| !r.is_empty() && s.prefix == 0 && s.kind == Kind::Text);
                if !line.is_empty() && shape.prefix == 0 && next_is_text {
                    out.push_str("  ");
                }
            }
        }
        out.push('\n');
    }
    if !article.links().is_empty() {
        out.push_str("\n## Links\n\n");
        for (i, link) in article.links().iter().enumerate() {
            out.push_str(&format!("{}. <{}>\n", i + 1, link.url));
        }
    }
    out
}

/// The body's bytes `start..end` with the spans inside them as Markdown marks; a
/// link's `[n]` mark gives way to `[text](url)`.
fn inline(article: &Article, start: usize, end: usize) -> String {
    let text = article.body();
    // (where, opens, order among marks at one place, the mark)
    let mut marks: Vec<(usize, bool, (usize, usize), String)> = Vec::new();
    let mut skip: Vec<std::ops::Range<usize>> = Vec::new();
    for (k, span) in article.spans().iter().enumerate() {
        let (s, e) = (span.start as usize, span.end as usize);
        if s < start || e > end || s >= e {
            continue;
        }
        let (open, close) = match span.style {
            SpanStyle::Emphasis => ("*".to_owned(), "*".to_owned()),
            SpanStyle::Strong => ("**".to_owned(), "**".to_owned()),
            SpanStyle::Code => ("`".to_owned(), "`".to_owned()),
            SpanStyle::Link(n) => {
                let Some(link) = article.links().get((n as usize).wrapping_sub(1)) else {
                    continue;
                };
                // The reader's `[n]` after (or at the end of) the linked words.
                let mark = format!("[{n}]");
                let mut text_end = e;
                if text[s..e].ends_with(&mark) {
                    text_end = e - mark.len();
                    skip.push(text_end..e);
                } else if text[e..end].starts_with(&mark) {
                    skip.push(e..e + mark.len());
                }
                marks.push((s, true, (usize::MAX - text_end, k), "[".to_owned()));
                let close = format!("]({})", link.url.replace(')', "%29"));
                marks.push((text_end, false, (usize::MAX - s, usize::MAX - k), close));
                continue;
            }
            SpanStyle::Heading(_) | SpanStyle::Prefix | SpanStyle::Rule | SpanStyle::Cell => {
                continue;
            }
        };
        marks.push((s, true, (usize::MAX - e, k), open));
        marks.push((e, false, (usize::MAX - s, usize::MAX - k), close));
    }
    // At one place, closing marks before opening ones; spans nest: the longer one
    // opens first, the one opened last closes first.
    marks.sort_by_key(|(at, open, order, _)| (*at, *open, *order));
    let mut out = String::new();
    let mut at = start;
    let push_text = |out: &mut String, from: usize, to: usize| {
        let mut i = from;
        while i < to {
            if let Some(r) = skip.iter().find(|r| r.start == i) {
                i = r.end.min(to).max(i + 1);
                continue;
            }
            let next = skip
                .iter()
                .map(|r| r.start)
                .filter(|&s| s > i && s < to)
                .min()
                .unwrap_or(to);
            out.push_str(&escape(&text[i..next]));
            i = next;
        }
    };
    for (pos, _, _, mark) in marks {
        if pos > at {
            push_text(&mut out, at, pos);
            at = pos;
        }
        out.push_str(&mark);
    }
    push_text(&mut out, at, end);
    out
}

/// Text with the characters Markdown would read as marks escaped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[derive(Serialize)]
struct Whole<'a> {
    #[serde(flatten)]
    fields: super::list::ArticleJson<'a>,
    text: &'a str,
    links: Vec<LinkJson<'a>>,
}

#[derive(Serialize)]
struct LinkJson<'a> {
    n: usize,
    text: &'a str,
    url: &'a str,
}

/// The article as one JSON object: every field `folio list --json` prints, its
/// text and its numbered links.
pub fn json(article: &Article, marks: &Marks, out: &mut dyn Write) -> io::Result<()> {
    let whole = Whole {
        fields: super::list::ArticleJson::new(article, marks),
        text: article.body(),
        links: article
            .links()
            .iter()
            .enumerate()
            .map(|(i, l)| LinkJson {
                n: i + 1,
                text: &l.text,
                url: &l.url,
            })
            .collect(),
    };
    serde_json::to_writer(&mut *out, &whole)?;
    out.write_all(b"\n")
}

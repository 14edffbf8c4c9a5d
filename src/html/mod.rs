//! Converts an HTML body to clean plain text with numbered links, in time and memory proportional to the page.
//!
//! html5ever parses the page into a compact tree under budgets ([`dom`]): nesting
//! depth as the parser builds it, elements and tree surgery for the page's size,
//! attributes per tag. [`render`] lays the tree out as text in one linear walk. A
//! page over a budget is converted by a plainer tag-stripping pass instead, which
//! keeps its text.

use std::collections::HashMap;

use crate::article::{Link, Span, SpanStyle};
use crate::sanitize;

mod blocks;
pub mod dom;
mod render;
mod scan;
mod url;

pub use dom::Cost;
pub use scan::{max_attributes, meta, strip_tags, title};
pub use url::{readable_url, resolve, web_url};

/// Deeper nesting than this is pathological (real pages stay well under 100); the
/// layout walk keeps its own stack, so this bounds only what a page may cost.
pub const MAX_DEPTH: usize = 256;

/// More attributes than this on one tag is not markup anybody wrote (real tags have
/// a handful), and html5ever's duplicate check is quadratic in their number.
pub const MAX_ATTRIBUTES: usize = 256;

/// The plain text of an HTML body.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Converted {
    /// Paragraphs separated by one blank line; link texts followed by `[n]`.
    pub text: String,
    pub links: Vec<Link>,
    pub spans: Vec<Span>,
    /// Set when the plainer conversion had to be used, saying why.
    pub degraded: Option<String>,
}

/// Converts `html` to text. Relative links are resolved against `base_url`.
/// Never panics, and costs time and memory close to linear in the input size.
pub fn to_text(html: &str, base_url: Option<&str>) -> Converted {
    to_text_with_cost(html, base_url, None).0
}

/// Converts an article's `html`: like [`to_text`], leaving out a heading or
/// paragraph near the top that repeats the article's `title`.
pub fn article_text(html: &str, base_url: Option<&str>, title: &str) -> Converted {
    to_text_with_cost(html, base_url, Some(title)).0
}

/// Like [`article_text`] (with a title) or [`to_text`], also saying what parsing
/// the page cost (for tests that bound work rather than time).
pub fn to_text_with_cost(
    html: &str,
    base_url: Option<&str>,
    title: Option<&str>,
) -> (Converted, Cost) {
    let (tree, cost) = parse(html);
    match tree {
        Ok(tree) => (render::render(&tree, base_url, title), cost),
        Err(reason) => {
            let mut c = strip_tags(html);
            c.degraded = Some(sanitize::line(&format!(
                "{reason}; converted without layout"
            )));
            (c, cost)
        }
    }
}

/// Parses under budgets, or says why the page is not parsed.
fn parse(html: &str) -> (Result<dom::Dom, String>, Cost) {
    let attributes = max_attributes(html);
    if attributes > MAX_ATTRIBUTES {
        return (
            Err(format!("HTML tag with {attributes} attributes")),
            Cost::default(),
        );
    }
    let (parsed, cost) = dom::parse(html, dom::Limits::for_len(html.len(), MAX_DEPTH));
    (parsed.map_err(|e| e.to_string()), cost)
}

/// Accumulates lines, collapsing blank runs, and keeps span offsets right.
#[derive(Default)]
struct TextBuilder {
    text: String,
    line: String,
    /// Spans of the current line, with offsets relative to the line.
    line_spans: Vec<Span>,
    spans: Vec<Span>,
    links: Vec<Link>,
    numbers: HashMap<String, u32>,
    /// Blank lines owed before the next line: one between paragraphs, two after
    /// a spacer paragraph, never more.
    blank_pending: u8,
}

/// How far the text had got, to take back what came after.
#[derive(Debug)]
struct Mark {
    text: usize,
    spans: usize,
    links: usize,
    blank_pending: u8,
}

impl TextBuilder {
    fn mark(&self) -> Mark {
        Mark {
            text: self.text.len(),
            spans: self.spans.len(),
            links: self.links.len(),
            blank_pending: self.blank_pending,
        }
    }

    /// The lines written since `mark`.
    fn since(&self, mark: &Mark) -> &str {
        self.text.get(mark.text..).unwrap_or("")
    }

    /// Takes back every line written since `mark` (which added no link).
    fn rollback(&mut self, mark: Mark) {
        self.text.truncate(mark.text);
        self.spans.truncate(mark.spans);
        self.blank_pending = mark.blank_pending;
    }

    /// One blank line more before the next line (a spacer paragraph).
    fn spacer(&mut self) {
        if !self.text.is_empty() {
            self.blank_pending = 2;
        }
    }

    fn link_number(&mut self, url: String, text: &str) -> u32 {
        if let Some(&n) = self.numbers.get(&url) {
            return n;
        }
        let n = self.links.len() as u32 + 1;
        self.links.push(Link {
            text: sanitize::line(text),
            url: sanitize::line(&url),
        });
        self.numbers.insert(url, n);
        n
    }

    /// Puts the link's `[n]` right after its text, before any trailing spaces.
    fn close_link(&mut self, number: Option<u32>) {
        if let Some(n) = number {
            let at = self.line.trim_end().len();
            self.line.insert_str(at, &format!("[{n}]"));
        }
    }

    fn style(&mut self, start: usize, end: usize, style: SpanStyle) {
        if start >= end {
            return;
        }
        let (start, end) = (start as u32, end as u32);
        if let Some(last) = self.line_spans.last_mut()
            && last.style == style
            && last.end == start
        {
            last.end = end;
            return;
        }
        self.line_spans.push(Span { start, end, style });
    }

    fn end_line(&mut self) {
        let kept = self.line.trim_end().len();
        if kept == 0 {
            if !self.text.is_empty() {
                self.blank_pending = self.blank_pending.max(1);
            }
        } else {
            for _ in 0..self.blank_pending {
                self.text.push('\n');
            }
            self.blank_pending = 0;
            let base = self.text.len() as u32;
            self.text.push_str(&self.line[..kept]);
            self.text.push('\n');
            for mut span in self.line_spans.drain(..) {
                span.end = span.end.min(kept as u32);
                if span.start < span.end {
                    span.start += base;
                    span.end += base;
                    self.spans.push(span);
                }
            }
        }
        self.line.clear();
        self.line_spans.clear();
    }

    fn finish(mut self) -> Converted {
        if !self.line.is_empty() {
            self.end_line();
        }
        let kept = self.text.trim_end().len();
        self.text.truncate(kept);
        // Bodies stay in memory for the whole session: give back the growth slack.
        self.text.shrink_to_fit();
        self.spans.shrink_to_fit();
        self.links.shrink_to_fit();
        Converted {
            text: self.text,
            links: self.links,
            spans: self.spans,
            degraded: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_links_and_styles() {
        let c = to_text(
            "<p>第一段 <b>重要</b></p><p>见<a href=\"/a/1.html\">这里</a>和<a href=\"https://x.org/\">那里</a>。</p><p><a href=\"/a/1.html\">again</a></p>",
            Some("https://www.voachinese.com/a/story.html"),
        );
        assert_eq!(c.text, "第一段 重要\n\n见这里[1]和那里[2]。\n\nagain[1]");
        assert_eq!(c.links[0].url, "https://www.voachinese.com/a/1.html");
        assert_eq!(c.links[0].text, "这里");
        assert_eq!(c.links[1].url, "https://x.org/");
        let strong = c
            .spans
            .iter()
            .find(|s| s.style == SpanStyle::Strong)
            .unwrap();
        assert_eq!(&c.text[strong.start as usize..strong.end as usize], "重要");
        let link = c
            .spans
            .iter()
            .find(|s| s.style == SpanStyle::Link(2))
            .unwrap();
        assert_eq!(&c.text[link.start as usize..link.end as usize], "那里");
        assert_eq!(c.degraded, None);
    }

    #[test]
    fn spanning_cells_are_laid_out() {
        // A table that crashed html2text's layout.
        let c = to_text(
            "<table><tr><td colspan=2>a</td><td rowspan=2>b</td></tr></table>",
            None,
        );
        assert_eq!(c.degraded, None);
        assert_eq!(c.text, "a\nb");
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let html = "<div>".repeat(40_000) + "深处" + &"</div>".repeat(40_000);
        let c = to_text(&html, None);
        assert_eq!(c.text, "深处");
        assert!(c.degraded.is_some());
    }

    #[test]
    fn control_characters_from_character_references_never_survive() {
        // html5ever drops the ESC itself; what is left of the sequence is inert text.
        let c = to_text(
            "<p>safe&#x1b;[2J&#27;]52;c;ZXZpbA==&#7;text&#x9b;2J&#x202e;</p>",
            None,
        );
        assert!(c.text.starts_with("safe"));
        assert!(
            !c.text.chars().any(|ch| ch.is_control() || ch == '\u{202e}'),
            "{:?}",
            c.text
        );
    }
}

//! Converts an HTML body to clean plain text with numbered links, containing html2text's failures.
//!
//! html5ever parses the page into a compact tree under budgets ([`dom`]); html2text
//! lays that tree out as text. Around them: a bound on nesting depth (html2text's
//! renderer is recursive), on elements and tree surgery for the page's size, on
//! attributes per tag, a contained panic (some tables crash html2text), and a
//! plainer tag-stripping conversion used whenever they cannot be trusted.

use std::collections::HashMap;

use html2text::render::RichAnnotation;
use html5ever::interface::{ElementFlags, NodeOrText, TreeSink};

use crate::article::{Link, Span, SpanStyle};
use crate::contain::quietly;
use crate::sanitize;

pub mod dom;
mod scan;
mod url;

pub use dom::Cost;
pub use scan::{max_attributes, max_depth, meta, strip_tags, title};
pub use url::{resolve, web_url};

/// Deeper nesting than this is pathological (real pages stay well under 100).
pub const MAX_DEPTH: usize = 256;

/// More attributes than this on one tag is not markup anybody wrote (real tags have
/// a handful), and html5ever's duplicate check is quadratic in their number.
pub const MAX_ATTRIBUTES: usize = 256;

/// html2text wraps at this width; it is wide enough that a paragraph stays one line,
/// so folio can wrap it later to whatever width the reader has.
const NO_WRAP_WIDTH: usize = 1 << 24;

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
    to_text_with_cost(html, base_url).0
}

/// Like [`to_text`], also saying what parsing the page cost (for tests that bound
/// work rather than time).
pub fn to_text_with_cost(html: &str, base_url: Option<&str>) -> (Converted, Cost) {
    let mut cost = Cost::default();
    let reason = match render(html, &mut cost) {
        Ok(lines) => return (from_lines(&lines, base_url), cost),
        Err(reason) => reason,
    };
    let mut c = strip_tags(html);
    c.degraded = Some(sanitize::line(&format!(
        "{reason}; converted without layout"
    )));
    (c, cost)
}

type Lines = Vec<html2text::render::TaggedLine<Vec<RichAnnotation>>>;

/// Parses under budgets and lays the page out, or says why it could not.
fn render(html: &str, cost: &mut Cost) -> Result<Lines, String> {
    let attributes = max_attributes(html);
    if attributes > MAX_ATTRIBUTES {
        return Err(format!("HTML tag with {attributes} attributes"));
    }
    let (parsed, spent) = dom::parse(html, dom::Limits::for_len(html.len(), MAX_DEPTH));
    *cost = spent;
    let tree = parsed.map_err(|e| e.to_string())?;
    // The running check sees depths as nodes are attached; moves can deepen a
    // subtree afterwards, so the finished tree is measured once more.
    if tree.max_depth() > MAX_DEPTH {
        return Err(dom::Exceeded::Depth(MAX_DEPTH).to_string());
    }
    let rc = to_rcdom(&tree);
    drop(tree);
    let rendered = quietly(move || {
        let config = html2text::config::rich().raw_mode(true);
        let layout = config.dom_to_render_tree(&rc)?;
        drop(rc);
        config.render_to_lines(layout, NO_WRAP_WIDTH)
    });
    match rendered {
        Ok(Ok(lines)) => Ok(lines),
        Ok(Err(e)) => Err(format!("HTML converter failed ({e})")),
        Err(msg) => Err(format!("HTML converter crashed ({msg})")),
    }
}

/// html2text's own tree, built from ours (without templates, comments or doctypes).
fn to_rcdom(tree: &dom::Dom) -> html2text::RcDom {
    let rc = html2text::RcDom::default();
    let mut stack = vec![(dom::DOCUMENT, rc.get_document())];
    while let Some((id, handle)) = stack.pop() {
        for child in tree.children(id) {
            match &tree.node(child).data {
                dom::Data::Element(e) => {
                    let made =
                        rc.create_element(e.name.clone(), e.attrs.clone(), ElementFlags::default());
                    rc.append(&handle, NodeOrText::AppendNode(made.clone()));
                    stack.push((child, made));
                }
                dom::Data::Text(t) => rc.append(&handle, NodeOrText::AppendText(t.clone())),
                dom::Data::Document | dom::Data::Other => {}
            }
        }
    }
    rc
}

/// Builds the text from html2text's annotated lines, numbering links as they come.
fn from_lines(
    lines: &[html2text::render::TaggedLine<Vec<RichAnnotation>>],
    base_url: Option<&str>,
) -> Converted {
    let mut out = TextBuilder::default();
    for line in lines {
        let mut open_link: Option<u32> = None;
        for piece in line.tagged_strings() {
            let link = piece.tag.iter().find_map(|a| match a {
                RichAnnotation::Link(url) => resolve(base_url, url),
                _ => None,
            });
            let number = link.map(|url| out.link_number(url, &piece.s));
            if open_link.is_some() && open_link != number {
                out.close_link(open_link.take());
            }
            let start = out.line.len();
            sanitize::push_text(&mut out.line, &piece.s);
            let end = out.line.len();
            for a in &piece.tag {
                let style = match a {
                    RichAnnotation::Emphasis => SpanStyle::Emphasis,
                    RichAnnotation::Strong => SpanStyle::Strong,
                    RichAnnotation::Code => SpanStyle::Code,
                    _ => continue,
                };
                out.style(start, end, style);
            }
            if let Some(n) = number {
                out.style(start, end, SpanStyle::Link(n));
                open_link = Some(n);
            }
        }
        out.close_link(open_link);
        out.end_line();
    }
    out.finish()
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
    blank_pending: bool,
}

impl TextBuilder {
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
            self.blank_pending = !self.text.is_empty();
        } else {
            if self.blank_pending {
                self.text.push('\n');
                self.blank_pending = false;
            }
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
    fn crashing_table_falls_back() {
        let c = to_text(
            "<table><tr><td colspan=2>a</td><td rowspan=2>b</td></tr></table>",
            None,
        );
        assert!(c.degraded.is_some());
        assert_eq!(c.text, "a b");
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let html = "<div>".repeat(40_000) + "深处" + &"</div>".repeat(40_000);
        assert_eq!(max_depth(&html), 40_000);
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

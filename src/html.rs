//! Converts an HTML body to clean plain text with numbered links, containing html2text's failures.
//!
//! html2text does the real work. Around it: a bound on nesting depth (its parser is
//! quadratic in depth and its renderer recursive), a contained panic (some tables
//! crash it), and a plainer tag-stripping conversion used whenever it cannot be trusted.

use std::cell::Cell;
use std::collections::HashMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use html2text::render::RichAnnotation;

use crate::article::{Link, Span, SpanStyle};
use crate::sanitize;

/// Deeper nesting than this is pathological (real pages stay well under 100).
pub const MAX_DEPTH: usize = 256;

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
/// Never panics and never takes more than linear time in the input size.
pub fn to_text(html: &str, base_url: Option<&str>) -> Converted {
    let depth = max_depth(html);
    if depth > MAX_DEPTH {
        let mut c = strip_tags(html);
        c.degraded = Some(format!(
            "HTML nested more than {MAX_DEPTH} levels deep; converted without layout"
        ));
        return c;
    }
    let rendered = quietly(|| {
        html2text::config::rich()
            .raw_mode(true)
            .lines_from_read(html.as_bytes(), NO_WRAP_WIDTH)
    });
    let reason = match rendered {
        Ok(Ok(lines)) => return from_lines(&lines, base_url),
        Ok(Err(e)) => format!("HTML converter failed ({e}); converted without layout"),
        Err(msg) => format!("HTML converter crashed ({msg}); converted without layout"),
    };
    let mut c = strip_tags(html);
    c.degraded = Some(sanitize::line(&reason));
    c
}

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`, turning a panic into `Err(message)` without printing it: a panic
/// message on stderr would corrupt the screen of the browser.
pub fn quietly<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let was_quiet = QUIET.with(|q| q.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(was_quiet));
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".to_owned())
    })
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

/// Makes `href` absolute against `base`. In-page anchors and scripts are not links.
pub fn resolve(base: Option<&str>, href: &str) -> Option<String> {
    let href = href.trim();
    let lower = href.get(..11).unwrap_or(href).to_ascii_lowercase();
    if href.is_empty() || href.starts_with('#') || lower.starts_with("javascript:") {
        return None;
    }
    if has_scheme(href) {
        return Some(href.to_owned());
    }
    let Some(base) = base.filter(|b| has_scheme(b)) else {
        return Some(href.to_owned());
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let origin_end = base[scheme_end..]
        .find(['/', '?', '#'])
        .map_or(base.len(), |i| scheme_end + i);
    let resolved = if let Some(rest) = href.strip_prefix("//") {
        format!("{}//{rest}", &base[..scheme_end.saturating_sub(2)])
    } else if href.starts_with('/') {
        format!("{}{href}", &base[..origin_end])
    } else {
        let path_end = base.find(['?', '#']).unwrap_or(base.len());
        let dir_end = base[..path_end].rfind('/').filter(|&i| i >= origin_end);
        match dir_end {
            Some(i) => format!("{}{href}", &base[..=i]),
            None => format!("{}/{href}", &base[..origin_end]),
        }
    };
    Some(resolved)
}

fn has_scheme(s: &str) -> bool {
    match s.find(':') {
        Some(i) if i > 0 => {
            s[..i]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                && s[..i].starts_with(|c: char| c.is_ascii_alphabetic())
        }
        _ => false,
    }
}

/// Elements that never have content, or whose end tag is optional: neither nests.
const NON_NESTING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "rb", "rt", "rp",
    "thead", "tbody", "tfoot", "colgroup", "caption", "html", "head", "body",
];

/// An estimate of the deepest element nesting in `html`, in one linear pass.
pub fn max_depth(html: &str) -> usize {
    let mut depth = 0usize;
    let mut max = 0usize;
    for tag in Tags::new(html) {
        if let Tag::Element {
            name,
            closing,
            self_closing,
            ..
        } = tag
        {
            if self_closing || NON_NESTING.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                continue;
            }
            if closing {
                depth = depth.saturating_sub(1);
            } else {
                depth += 1;
                max = max.max(depth);
            }
        }
    }
    max
}

/// A piece of HTML as the fallback scanner sees it.
enum Tag<'a> {
    Text(&'a str),
    Element {
        name: &'a str,
        raw: &'a str,
        closing: bool,
        self_closing: bool,
    },
}

/// A forgiving, linear HTML tokenizer: text runs and tags; comments, doctypes and
/// the contents of `<script>`/`<style>` are skipped.
struct Tags<'a> {
    html: &'a str,
    pos: usize,
}

impl<'a> Tags<'a> {
    fn new(html: &'a str) -> Self {
        Tags { html, pos: 0 }
    }

    /// Moves past the first case-insensitive occurrence of `needle`, or to the end.
    fn skip_past(&mut self, needle: &str) {
        let rest = &self.html.as_bytes()[self.pos..];
        let n = needle.as_bytes();
        let found = rest
            .windows(n.len())
            .position(|w| w.eq_ignore_ascii_case(n));
        self.pos = found.map_or(self.html.len(), |i| self.pos + i + n.len());
    }
}

impl<'a> Iterator for Tags<'a> {
    type Item = Tag<'a>;

    fn next(&mut self) -> Option<Tag<'a>> {
        loop {
            let rest = self.html.get(self.pos..).filter(|r| !r.is_empty())?;
            if !rest.starts_with('<') {
                let len = rest.find('<').unwrap_or(rest.len());
                self.pos += len;
                return Some(Tag::Text(&rest[..len]));
            }
            if rest.starts_with("<!--") {
                self.pos += 4;
                self.skip_past("-->");
                continue;
            }
            let bytes = rest.as_bytes();
            let closing = bytes.get(1) == Some(&b'/');
            let name_start = 1 + usize::from(closing);
            let starts_name = bytes.get(name_start).is_some_and(u8::is_ascii_alphabetic);
            if !starts_name {
                if bytes.get(1).is_some_and(|&b| b == b'!' || b == b'?') {
                    self.pos += 1;
                    self.skip_past(">");
                    continue;
                }
                // A lone '<' is text.
                self.pos += 1;
                return Some(Tag::Text("<"));
            }
            let name_len = rest[name_start..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':'))
                .unwrap_or(rest.len() - name_start);
            let name = &rest[name_start..name_start + name_len];
            let end = rest.find('>').map_or(rest.len(), |i| i + 1);
            let raw = &rest[..end];
            self.pos += end;
            let self_closing = raw.ends_with("/>");
            if !closing
                && !self_closing
                && (name.eq_ignore_ascii_case("script") || name.eq_ignore_ascii_case("style"))
            {
                self.skip_past(if name.eq_ignore_ascii_case("script") {
                    "</script"
                } else {
                    "</style"
                });
                self.skip_past(">");
                continue;
            }
            return Some(Tag::Element {
                name,
                raw,
                closing,
                self_closing,
            });
        }
    }
}

/// Block elements: the fallback starts a new line at each of them.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tr",
    "ul",
    "title",
];

/// The plainer conversion: tags dropped, blocks become lines, entities decoded.
/// Linear in the input and cannot fail.
pub fn strip_tags(html: &str) -> Converted {
    let mut raw = String::with_capacity(html.len() / 2);
    for tag in Tags::new(html) {
        match tag {
            Tag::Text(t) => {
                let decoded = html_escape::decode_html_entities(t);
                let mut last_space = raw.ends_with([' ', '\n']) || raw.is_empty();
                for c in decoded.chars() {
                    if c.is_ascii_whitespace() {
                        if !last_space {
                            raw.push(' ');
                            last_space = true;
                        }
                    } else {
                        raw.push(c);
                        last_space = false;
                    }
                }
            }
            Tag::Element { name, closing, .. } => {
                if BLOCKS.iter().any(|b| b.eq_ignore_ascii_case(name)) {
                    raw.push('\n');
                } else if (name.eq_ignore_ascii_case("td") || name.eq_ignore_ascii_case("th"))
                    && !closing
                    && !raw.ends_with([' ', '\n'])
                {
                    raw.push(' ');
                }
            }
        }
    }
    let mut out = TextBuilder::default();
    for line in raw.split('\n') {
        sanitize::push_text(&mut out.line, line.trim());
        out.end_line();
    }
    out.finish()
}

/// The document title of a full HTML page: `<title>`, else the first `<h1>`.
pub fn title(html: &str) -> Option<String> {
    let mut in_title: Option<&str> = None;
    let mut text = String::new();
    for tag in Tags::new(html) {
        match tag {
            Tag::Text(t) if in_title.is_some() => text.push_str(t),
            Tag::Element { name, closing, .. } => {
                let is_title =
                    name.eq_ignore_ascii_case("title") || name.eq_ignore_ascii_case("h1");
                match (in_title, closing) {
                    (None, false) if is_title => in_title = Some(name),
                    (Some(open), true) if open.eq_ignore_ascii_case(name) => {
                        let t = sanitize::line(&html_escape::decode_html_entities(&text));
                        if !t.is_empty() {
                            return Some(t);
                        }
                        text.clear();
                        in_title = None;
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    None
}

/// The value of `<meta property|name="key" content="…">`, for dates and canonical URLs.
pub fn meta(html: &str, keys: &[&str]) -> Option<String> {
    for tag in Tags::new(html) {
        let Tag::Element {
            name,
            raw,
            closing: false,
            ..
        } = tag
        else {
            continue;
        };
        if name.eq_ignore_ascii_case("body") {
            return None;
        }
        if !name.eq_ignore_ascii_case("meta") {
            continue;
        }
        let key = attribute(raw, "property").or_else(|| attribute(raw, "name"));
        if key.is_some_and(|k| keys.iter().any(|want| want.eq_ignore_ascii_case(k))) {
            return attribute(raw, "content")
                .map(|v| sanitize::line(&html_escape::decode_html_entities(v)));
        }
    }
    None
}

/// The value of attribute `name` in a raw start tag.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(name) {
        let at = from + i;
        from = at + name.len();
        let before_ok = at > 0 && lower.as_bytes()[at - 1].is_ascii_whitespace();
        let after = lower[from..].trim_start();
        if !before_ok || !after.starts_with('=') {
            continue;
        }
        let value_start = tag.len() - after.len() + 1;
        let value = tag[value_start..].trim_start();
        return Some(match value.chars().next() {
            Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or(""),
            _ => value
                .split(|c: char| c.is_ascii_whitespace() || c == '>')
                .next()
                .unwrap_or(""),
        });
    }
    None
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
    fn optional_end_tags_do_not_count_as_nesting() {
        let html = "<p>a".repeat(10_000) + &"<li>b".repeat(10_000);
        assert!(max_depth(&html) < 3);
    }

    #[test]
    fn strip_tags_skips_scripts_and_decodes() {
        let c = strip_tags(
            "<script>var x = '<p>';</script><p>a &amp; b</p><!-- <p>no</p> --><div>c&nbsp;d</div>",
        );
        assert_eq!(c.text, "a & b\n\nc\u{a0}d");
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

    #[test]
    fn titles_and_meta() {
        let html = "<html><head><title>A &amp; B</title><meta property=\"article:published_time\" content=\"2020-01-02\"></head><body><h1>H</h1></body></html>";
        assert_eq!(title(html).as_deref(), Some("A & B"));
        assert_eq!(
            title("<h1 class=x>Only <i>h1</i></h1>").as_deref(),
            Some("Only h1")
        );
        assert_eq!(
            meta(html, &["article:published_time"]).as_deref(),
            Some("2020-01-02")
        );
    }

    #[test]
    fn resolving_links() {
        let base = Some("https://a.org/x/y.html?q=1");
        assert_eq!(
            resolve(base, "z.html").as_deref(),
            Some("https://a.org/x/z.html")
        );
        assert_eq!(resolve(base, "/z").as_deref(), Some("https://a.org/z"));
        assert_eq!(
            resolve(base, "//cdn.org/z").as_deref(),
            Some("https://cdn.org/z")
        );
        assert_eq!(resolve(base, "#top"), None);
        assert_eq!(resolve(base, "javascript:void(0)"), None);
        assert_eq!(resolve(None, "/z").as_deref(), Some("/z"));
        assert_eq!(
            resolve(Some("https://a.org"), "z").as_deref(),
            Some("https://a.org/z")
        );
    }
}

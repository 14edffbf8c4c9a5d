//! A forgiving, linear scanner of HTML for what needs no parse: attribute counts, the plain fallback, titles and meta tags.

use super::{Converted, TextBuilder};
use crate::sanitize;

/// The most attributes any one tag of `html` has, as an HTML tokenizer reads tags
/// (quoted values may hold `>`; comments and `<!…>`/`<?…>` declarations hold no tags).
/// html5ever checks each new attribute against the tag's others, so one tag with
/// very many attributes costs time quadratic in their number.
pub fn max_attributes(html: &str) -> usize {
    let bytes = html.as_bytes();
    let mut max = 0;
    let mut i = 0;
    // Where each way of ending a comment next occurs: searching again from every
    // comment would be quadratic when one of them never occurs.
    let mut ends = [Next::new(b"-->"), Next::new(b"--!>")];
    while let Some(found) = memchr::memchr(b'<', &bytes[i..]) {
        i += found + 1;
        match bytes.get(i) {
            Some(b'!') if bytes[i..].starts_with(b"!--") => {
                // `<!-->` and `<!--->` end at once; otherwise at `-->` or `--!>`.
                let body = i + 3;
                i = if bytes[body..].starts_with(b">") {
                    body + 1
                } else if bytes[body..].starts_with(b"->") {
                    body + 2
                } else {
                    ends.iter_mut()
                        .filter_map(|end| end.after(bytes, body))
                        .min()
                        .unwrap_or(bytes.len())
                };
            }
            Some(b'!' | b'?') => {
                i = memchr::memchr(b'>', &bytes[i..]).map_or(bytes.len(), |at| i + at + 1);
            }
            Some(b'/') if bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic) => {
                let (count, end) = tag_attributes(bytes, i + 1);
                max = max.max(count);
                i = end;
            }
            Some(c) if c.is_ascii_alphabetic() => {
                let (count, end) = tag_attributes(bytes, i);
                max = max.max(count);
                i = end;
            }
            _ => {}
        }
    }
    max
}

/// The next occurrence of a pattern, remembered between searches that only move forward.
struct Next {
    pattern: &'static [u8],
    /// Where the last search started, and where it found the pattern (`None`: nowhere after).
    cache: Option<(usize, Option<usize>)>,
}

impl Next {
    fn new(pattern: &'static [u8]) -> Self {
        Next {
            pattern,
            cache: None,
        }
    }

    /// The position just past the first occurrence at or after `from`.
    fn after(&mut self, bytes: &[u8], from: usize) -> Option<usize> {
        let at = match self.cache {
            Some((searched, at)) if searched <= from && at.is_none_or(|at| at >= from) => at,
            _ => {
                let at = memchr::memmem::find(&bytes[from..], self.pattern).map(|at| from + at);
                self.cache = Some((from, at));
                at
            }
        };
        at.map(|at| at + self.pattern.len())
    }
}

/// Counts the attributes of the tag whose name starts at `start`, up to its `>`,
/// and returns where the tag ends.
fn tag_attributes(bytes: &[u8], start: usize) -> (usize, usize) {
    let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\x0c' | b'\r');
    let mut i = start;
    // The tag name.
    while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'>' && bytes[i] != b'/' {
        i += 1;
    }
    let mut count = 0;
    loop {
        while i < bytes.len() && (is_space(bytes[i]) || bytes[i] == b'/') {
            i += 1;
        }
        match bytes.get(i) {
            None => return (count, bytes.len()),
            Some(b'>') => return (count, i + 1),
            Some(_) => {}
        }
        // An attribute name: its first character may be `=`.
        count += 1;
        i += 1;
        while i < bytes.len() && !is_space(bytes[i]) && !matches!(bytes[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        while i < bytes.len() && is_space(bytes[i]) {
            i += 1;
        }
        if bytes.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while i < bytes.len() && is_space(bytes[i]) {
            i += 1;
        }
        match bytes.get(i) {
            Some(&q @ (b'"' | b'\'')) => {
                i = memchr::memchr(q, &bytes[i + 1..]).map_or(bytes.len(), |at| i + 1 + at + 1);
            }
            _ => {
                while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'>' {
                    i += 1;
                }
            }
        }
    }
}

/// A piece of HTML as the fallback scanner sees it.
enum Tag<'a> {
    Text(&'a str),
    Element {
        name: &'a str,
        raw: &'a str,
        closing: bool,
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
            return Some(Tag::Element { name, raw, closing });
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
    fn attributes_are_counted_as_a_tokenizer_reads_tags() {
        assert_eq!(max_attributes("<p>x</p>"), 0);
        assert_eq!(max_attributes("<a href='/x' class=c data-x>t</a>"), 3);
        // A `>` inside a quoted value does not end the tag.
        let hidden = format!(
            "<p a=\">\" {}>",
            (0..500)
                .map(|i| format!("b{i}"))
                .collect::<Vec<_>>()
                .join(" ")
        );
        assert_eq!(max_attributes(&hidden), 501);
        assert_eq!(max_attributes("<!-- <p a b c d> --><p x>"), 1);
        assert_eq!(max_attributes("<!--><p a b>"), 2);
        assert_eq!(max_attributes("<!x a b c><p/ y z>"), 2);
        assert_eq!(max_attributes("</p a b c>"), 3);
        assert_eq!(max_attributes("<p a b"), 2);
    }

    #[test]
    fn strip_tags_skips_scripts_and_decodes() {
        let c = strip_tags(
            "<script>var x = '<p>';</script><p>a &amp; b</p><!-- <p>no</p> --><div>c&nbsp;d</div>",
        );
        assert_eq!(c.text, "a & b\n\nc\u{a0}d");
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
}

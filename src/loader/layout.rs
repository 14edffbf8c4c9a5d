//! Recognises an article file's layout from its content: front matter, the seed header, and the body's format.

use super::front_matter::{self, FrontMatter};

/// What the layout of one file says, before any conversion.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Layout<'a> {
    pub front_matter: Option<FrontMatter>,
    /// The `<!--…-->` stamp of the seed layout, raw (`1690562527000`, `NaN`).
    pub stamp: Option<&'a str>,
    /// Title and URL of a `[title](url)` header line, raw.
    pub header_title: Option<&'a str>,
    pub header_url: Option<&'a str>,
    pub body: &'a str,
    pub format: Format,
}

/// How the body is written.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    #[default]
    Html,
    Markdown,
    Plain,
}

/// Reads the layout of `text` (already decoded, `\n` line ends).
pub fn read(text: &str) -> Layout<'_> {
    let mut layout = Layout::default();
    let mut rest = text.trim_start_matches('\u{feff}');
    if let Some((fm, after)) = front_matter::split(rest) {
        layout.front_matter = Some(fm);
        rest = after;
    }
    rest = skip_blank_lines(rest);
    if let Some((line, after)) = first_line(rest)
        && let Some(stamp) = line
            .trim()
            .strip_prefix("<!--")
            .and_then(|l| l.strip_suffix("-->"))
        && is_stamp(stamp)
    {
        layout.stamp = Some(stamp.trim());
        rest = skip_blank_lines(after);
    }
    if let Some((line, after)) = first_line(rest)
        && let Some((title, url)) = header_line(line)
    {
        layout.header_title = Some(title);
        layout.header_url = Some(url);
        rest = after;
        if let Some((line, after)) = first_line(rest)
            && is_rule(line)
        {
            rest = after;
        }
    }
    layout.body = rest.trim_matches('\n');
    layout.format = format_of(layout.body);
    layout
}

fn first_line(text: &str) -> Option<(&str, &str)> {
    if text.is_empty() {
        return None;
    }
    Some(match text.split_once('\n') {
        Some((line, rest)) => (line, rest),
        None => (text, ""),
    })
}

fn skip_blank_lines(mut text: &str) -> &str {
    while let Some((line, rest)) = first_line(text) {
        if !line.trim().is_empty() {
            break;
        }
        text = rest;
    }
    text
}

/// A stamp is short and has no markup; an HTML comment that merely starts a body is not one.
fn is_stamp(s: &str) -> bool {
    let s = s.trim();
    s.len() <= 40 && !s.contains(['<', '>'])
}

/// Splits `[title](url)`. The title may itself contain brackets
/// (`[[環球大廈專題]環球大廈經濟學…](url)`), so the split is at the last `](`.
fn header_line(line: &str) -> Option<(&str, &str)> {
    let line = line.trim();
    let inner = line.strip_prefix('[')?.strip_suffix(')')?;
    let split = inner.rfind("](")?;
    let url = inner[split + 2..].trim();
    if url.contains(char::is_whitespace) {
        return None;
    }
    Some((&inner[..split], url))
}

/// The `------` line under a seed header.
fn is_rule(line: &str) -> bool {
    let line = line.trim();
    line.len() >= 3 && (line.bytes().all(|b| b == b'-') || line.bytes().all(|b| b == b'='))
}

/// HTML when tags dominate the start, Markdown when Markdown constructs appear, else plain text.
pub fn format_of(body: &str) -> Format {
    let head = prefix(body, 16 * 1024);
    if looks_like_html(head) {
        Format::Html
    } else if looks_like_markdown(head) {
        Format::Markdown
    } else {
        Format::Plain
    }
}

fn prefix(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

const COMMON_TAGS: &[&str] = &[
    "p",
    "div",
    "br",
    "a",
    "span",
    "img",
    "b",
    "i",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "section",
    "article",
    "html",
    "body",
    "head",
    "main",
    "figure",
    "blockquote",
    "pre",
    "iframe",
    "video",
    "small",
    "time",
    "address",
    "header",
    "picture",
];

fn looks_like_html(head: &str) -> bool {
    let trimmed = head.trim_start();
    let lower_start = prefix(trimmed, 16).to_ascii_lowercase();
    if lower_start.starts_with("<!doctype") || lower_start.starts_with("<html") {
        return true;
    }
    let mut tags = 0;
    let bytes = head.as_bytes();
    for (i, _) in head.match_indices('<') {
        let start = i + 1 + usize::from(bytes.get(i + 1) == Some(&b'/'));
        let name_len = bytes[start.min(bytes.len())..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        let name = &head[start.min(head.len())..(start + name_len).min(head.len())];
        let ends = bytes
            .get(start + name_len)
            .is_some_and(|&b| b == b'>' || b == b'/' || b.is_ascii_whitespace());
        if ends && COMMON_TAGS.iter().any(|t| t.eq_ignore_ascii_case(name)) {
            tags += 1;
            if tags >= 2 || (tags == 1 && trimmed.starts_with('<')) {
                return true;
            }
        }
    }
    false
}

fn looks_like_markdown(head: &str) -> bool {
    head.lines().any(|line| {
        let l = line.trim_start();
        let heading = l.starts_with('#') && l.trim_start_matches('#').starts_with(' ');
        let list =
            (l.starts_with("- ") || l.starts_with("* ") || l.starts_with("+ ")) && line.len() > 2;
        heading
            || list
            || l.starts_with("```")
            || l.starts_with("> ")
            || (l.contains("](") && l.contains('['))
            || (l.contains("**") && l.matches("**").count() >= 2)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_layout() {
        let l = read(
            "<!--1690562527000-->\n[美最新情报](https://www.rfa.org/a.html)\n------\n\n<p>正文</p>\n",
        );
        assert_eq!(l.stamp, Some("1690562527000"));
        assert_eq!(l.header_title, Some("美最新情报"));
        assert_eq!(l.header_url, Some("https://www.rfa.org/a.html"));
        assert_eq!(l.body, "<p>正文</p>");
        assert_eq!(l.format, Format::Html);
    }

    #[test]
    fn front_matter_then_seed_layout() {
        let l =
            read("---\ntitle: \"T\"\n---\n<!--NaN-->\n[](https://x.org/1)\n------\n\n<div>b</div>");
        assert_eq!(l.front_matter.unwrap().title.as_deref(), Some("T"));
        assert_eq!(l.stamp, Some("NaN"));
        assert_eq!(l.header_title, Some(""));
        assert_eq!(l.body, "<div>b</div>");
    }

    #[test]
    fn front_matter_then_html() {
        let l = read("---\ntitle: T\n---\n\n<section class=\"x\">\n <div>body</div></section>");
        assert_eq!(l.stamp, None);
        assert_eq!(l.header_title, None);
        assert!(l.body.starts_with("<section"));
        assert_eq!(l.format, Format::Html);
    }

    #[test]
    fn bracketed_titles() {
        let l = read("<!--1-->\n[[環球大廈專題]環球大廈經濟學](https://m.org/p(1))\n------\n\nx");
        assert_eq!(l.header_title, Some("[環球大廈專題]環球大廈經濟學"));
        assert_eq!(l.header_url, Some("https://m.org/p(1)"));
    }

    #[test]
    fn body_formats() {
        assert_eq!(format_of("<p>a</p>"), Format::Html);
        assert_eq!(format_of("text with <br> and <b>bold</b>"), Format::Html);
        assert_eq!(format_of("# Title\n\nSome *text*."), Format::Markdown);
        assert_eq!(format_of("See [this](http://x.org)."), Format::Markdown);
        assert_eq!(format_of("Just words.\nMore words, 1 < 2."), Format::Plain);
    }

    #[test]
    fn an_html_comment_is_not_a_stamp() {
        let l = read("<!-- <div>generated by x</div> -->\n<p>a</p>");
        assert_eq!(l.stamp, None);
    }
}

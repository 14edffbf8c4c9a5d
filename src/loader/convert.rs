//! Turns one file's bytes into an [`Article`]: decode, read the layout, fill the metadata, convert the body.

use super::layout::{self, Format};
use super::{date, decode};
use crate::article::{Article, make_id};
use crate::error::SkipReason;
use crate::html::{self, Converted};
use crate::sanitize;

/// The version of what conversion makes of a file. Bump it whenever the output
/// changes (text, spans, links, metadata): the store then converts every file
/// again as it is next opened.
pub const CONVERTER_VERSION: u32 = 3;

/// One file to convert.
pub struct Input<'a> {
    /// Owned when read from a file: decoding then reuses the buffer.
    pub bytes: std::borrow::Cow<'a, [u8]>,
    /// The file name, for the fallback title and date.
    pub file_name: &'a str,
    /// Relative path: the id's key when the article has no URL.
    pub key: &'a str,
    /// Sanitised path for display.
    pub display: &'a str,
}

/// A converted article, and why its conversion was degraded, if it was.
pub struct Output {
    pub article: Article,
    pub degraded: Option<String>,
}

const META_DATE_KEYS: &[&str] = &[
    "article:published_time",
    "og:published_time",
    "date",
    "pubdate",
    "dc.date",
    "publishdate",
];
const META_URL_KEYS: &[&str] = &["og:url"];
const META_AUTHOR_KEYS: &[&str] = &["author", "article:author"];

pub fn convert(input: Input<'_>) -> Result<Output, SkipReason> {
    let decoded = decode::decode(input.bytes)?;
    let mut notes = Vec::new();
    if decoded.lossy {
        notes.push(format!(
            "some bytes were not valid {} and were replaced",
            decoded.encoding.name()
        ));
    }
    // Everything below reads text that can no longer hold an escape sequence.
    let text = sanitize::into_clean(decoded.text);
    let layout = layout::read(&text);
    let fm = layout.front_matter.clone().unwrap_or_default();
    let is_page = layout.format == Format::Html;

    let url = non_empty(layout.header_url.map(sanitize::line))
        .or_else(|| non_empty(fm.url.as_deref().map(sanitize::line)))
        .or_else(|| {
            is_page
                .then(|| html::meta(layout.body, META_URL_KEYS))
                .flatten()
        })
        .filter(|u| !u.is_empty());

    let title = non_empty(layout.header_title.map(clean_title))
        .or_else(|| non_empty(fm.title.as_deref().map(clean_title)))
        .or_else(|| match layout.format {
            Format::Html => html::title(layout.body),
            Format::Markdown => markdown_title(layout.body),
            Format::Plain => None,
        })
        .unwrap_or_else(|| title_from_file_name(input.file_name));

    let date = layout
        .stamp
        .and_then(date::parse)
        .or_else(|| fm.date.as_deref().and_then(date::parse))
        .or_else(|| {
            is_page
                .then(|| html::meta(layout.body, META_DATE_KEYS))
                .flatten()
                .and_then(|d| date::parse(&d))
        })
        .or_else(|| date::from_file_name(input.file_name));

    let author = non_empty(fm.author.as_deref().map(field)).or_else(|| {
        is_page
            .then(|| html::meta(layout.body, META_AUTHOR_KEYS))
            .flatten()
            .filter(|a| !a.is_empty())
    });
    let tags: Vec<String> = fm
        .tags
        .iter()
        .map(|t| field(t))
        .filter(|t| !t.is_empty())
        .collect();
    let source = tags
        .first()
        .cloned()
        .or_else(|| url.as_deref().and_then(site_name));

    let body = convert_body(layout.body, layout.format, url.as_deref(), &title);
    notes.extend(body.degraded);

    let id = make_id(&match &url {
        Some(u) => format!("url:{u}"),
        None => format!("path:{}", input.key),
    });
    let mut article = Article {
        id,
        title,
        url,
        date,
        author,
        source,
        tags,
        path: input.display.to_owned(),
        ..Article::default()
    };
    article.set_text(body.text, body.links, body.spans);
    Ok(Output {
        article,
        degraded: (!notes.is_empty()).then(|| notes.join("; ")),
    })
}

fn convert_body(body: &str, format: Format, url: Option<&str>, title: &str) -> Converted {
    match format {
        Format::Html => html::article_text(body, url, title),
        Format::Markdown => {
            let parser = pulldown_cmark::Parser::new_ext(body, pulldown_cmark::Options::all());
            let mut page = String::with_capacity(body.len() * 3 / 2);
            pulldown_cmark::html::push_html(&mut page, parser);
            html::article_text(&page, url, title)
        }
        Format::Plain => Converted {
            text: tidy_plain(body),
            ..Converted::default()
        },
    }
}

/// Plain text keeps its lines; trailing spaces go and blank runs become one blank line.
/// `body` is already sanitised (the whole file was, right after decoding).
fn tidy_plain(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut blank = false;
    for line in body.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if blank {
            out.push('\n');
            blank = false;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.truncate(out.trim_end().len());
    out.shrink_to_fit();
    out
}

/// A metadata field as it reads: entities decoded (`&#38;` is `&`), one clean line.
fn field(raw: &str) -> String {
    sanitize::line(&html_escape::decode_html_entities(raw))
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.is_empty())
}

/// Titles may carry entities (`&amp;`) and stray tags; both are resolved here.
fn clean_title(raw: &str) -> String {
    let decoded = html_escape::decode_html_entities(raw);
    if decoded.contains('<') && decoded.contains('>') {
        return html::strip_tags(&decoded).text.replace('\n', " ");
    }
    sanitize::line(&decoded)
}

fn markdown_title(body: &str) -> Option<String> {
    body.lines()
        .take(20)
        .find_map(|l| l.trim().strip_prefix("# "))
        .map(clean_title)
        .filter(|t| !t.is_empty())
}

/// The file name without its extension and without a leading `YYYY-MM-DD-`.
pub fn title_from_file_name(name: &str) -> String {
    let stem = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && ext.len() <= 8 => stem,
        _ => name,
    };
    let stem = match date::from_file_name(stem) {
        Some(_) => stem[10..].trim_start_matches(['-', '_', ' ']),
        None => stem,
    };
    let title = sanitize::line(&stem.replace('_', " "));
    if title.is_empty() {
        sanitize::line(name)
    } else {
        title
    }
}

/// A site's name from its URL: `https://www.bbc.co.uk/…` → `bbc`, `cn.nytimes.com` → `nytimes`.
pub fn site_name(url: &str) -> Option<String> {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = after_scheme.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    let host = host
        .split(':')
        .next()?
        .trim_end_matches('.')
        .to_ascii_lowercase();
    if host.is_empty() {
        return None;
    }
    if host.parse::<std::net::Ipv4Addr>().is_ok() || !host.contains('.') {
        return Some(host);
    }
    let labels: Vec<&str> = host.split('.').collect();
    let n = labels.len();
    const SECOND_LEVEL: &[&str] = &["co", "com", "org", "net", "gov", "edu", "ac", "or", "ne"];
    let name = if n >= 3 && labels[n - 1].len() == 2 && SECOND_LEVEL.contains(&labels[n - 2]) {
        labels[n - 3]
    } else {
        labels[n - 2]
    };
    Some(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert_str(text: &str, name: &str) -> Output {
        convert(Input {
            bytes: text.as_bytes().into(),
            file_name: name,
            key: name,
            display: name,
        })
        .unwrap()
    }

    #[test]
    fn file_name_titles() {
        assert_eq!(
            title_from_file_name("2014-02-04-北风专栏：你的电子信息.md"),
            "北风专栏：你的电子信息"
        );
        assert_eq!(title_from_file_name("notes_on_x.txt"), "notes on x");
        assert_eq!(title_from_file_name("README"), "README");
    }

    #[test]
    fn site_names() {
        assert_eq!(
            site_name("https://www.rfa.org/mandarin/x.html").as_deref(),
            Some("rfa")
        );
        assert_eq!(
            site_name("https://cn.nytimes.com/usa/").as_deref(),
            Some("nytimes")
        );
        assert_eq!(
            site_name("https://www.bbc.co.uk/news").as_deref(),
            Some("bbc")
        );
        assert_eq!(
            site_name("http://user@pao-pao.net:8080/a").as_deref(),
            Some("pao-pao")
        );
        assert_eq!(site_name("/relative/path"), None);
    }

    #[test]
    fn header_fills_before_front_matter() {
        let out = convert_str(
            "---\ntitle: \"FM title\"\ndate: 2014-02-04\nauthor: 某人\nfrom: https://a.org/1\ntags: [ 泡泡 ]\n---\n<!--NaN-->\n[Header &amp; title](https://b.org/2)\n------\n\n<p>正文</p>",
            "x.md",
        );
        let a = out.article;
        assert_eq!(a.title, "Header & title");
        assert_eq!(a.url.as_deref(), Some("https://b.org/2"));
        assert_eq!(a.date_ymd(), "2014-02-04");
        assert_eq!(a.author.as_deref(), Some("某人"));
        assert_eq!(a.source.as_deref(), Some("泡泡"));
        assert_eq!(a.body(), "正文");
        assert_eq!(a.id, make_id("url:https://b.org/2"));
    }

    #[test]
    fn empty_title_falls_back_to_front_matter_then_file_name() {
        let a = convert_str(
            "<!--1-->\n[](https://b.org/2)\n------\n\n<p>x</p>",
            "2020-01-01-名字.txt",
        )
        .article;
        assert_eq!(a.title, "名字");
        let a = convert_str("just some text", "2020-01-01-名字.txt").article;
        assert_eq!(a.title, "名字");
        assert_eq!(a.date_ymd(), "2020-01-01");
        assert_eq!(a.id, make_id("path:2020-01-01-名字.txt"));
    }

    #[test]
    fn html_pages_and_markdown() {
        let a = convert_str("<!DOCTYPE html><html><head><title>Page</title><meta name=\"date\" content=\"2021-05-06\"></head><body><p>Hi</p></body></html>", "p.html").article;
        assert_eq!(a.title, "Page");
        assert_eq!(a.date_ymd(), "2021-05-06");
        assert_eq!(a.body(), "Hi");
        let a = convert_str(
            "# 标题\n\n一段 **粗体** 和 [链接](https://x.org)。\n",
            "n.md",
        )
        .article;
        assert_eq!(a.title, "标题");
        assert!(a.body().contains("一段 粗体 和 链接[1]。"), "{}", a.body());
        assert_eq!(a.links()[0].url, "https://x.org");
    }

    #[test]
    fn no_date_means_none() {
        let a = convert_str("<p>x</p>", "x.html").article;
        assert_eq!(a.date, None);
    }
}

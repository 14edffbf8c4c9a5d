//! How a converted file is kept in the store: a small head, the body as text, and the links and spans beside it, each under a checksum, so that a damaged entry is noticed and converted again.
//!
//! The head (title, date, the body's length, …) is all a list needs; the text is
//! read only when it is wanted. Head and tail are one byte of format, a CRC-32 (the
//! tail's also covers the body), then a postcard encoding. The article's id and
//! display path are not kept: both depend on how the folder was opened, and are made
//! again at load. Chinese text in UTF-8 hardly compresses with fast compressors, so
//! nothing is compressed.

use chrono::{FixedOffset, TimeZone};
use serde::{Deserialize, Serialize};

use crate::article::{Article, Link, Span, SpanStyle, make_id};

/// Bumped whenever the layout of an entry changes.
const FORMAT: u8 = 4;

/// A file's conversion as the loader made it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(clippy::large_enum_variant)] // Made once per file, and mostly articles.
pub enum Outcome {
    Article {
        article: Article,
        /// Why the conversion was degraded, if it was.
        degraded: Option<String>,
    },
    /// Why the file was skipped.
    Skipped(String),
}

#[derive(Serialize, Deserialize)]
enum Head<'a> {
    Article {
        /// The id made from the URL, when there is one (it does not depend on how
        /// the folder was opened, and making it again costs a hash per article).
        id: Option<&'a str>,
        title: &'a str,
        url: Option<&'a str>,
        /// Milliseconds since the epoch, and the offset in seconds.
        date: Option<(i64, i32)>,
        author: Option<&'a str>,
        source: Option<&'a str>,
        tags: Vec<&'a str>,
        body_chars: u32,
        link_count: u32,
        degraded: Option<&'a str>,
    },
    Skipped(&'a str),
}

#[derive(Serialize, Deserialize)]
struct Tail<'a> {
    #[serde(borrow)]
    links: Vec<(&'a str, &'a str)>,
    /// Start, end and style code of each span.
    spans: Vec<(u32, u32, u32)>,
}

/// Codes below this are styles; from it on, links (the code minus it).
const LINK_CODES: u32 = 16;

fn style_code(style: SpanStyle) -> u32 {
    match style {
        SpanStyle::Emphasis => 0,
        SpanStyle::Strong => 1,
        SpanStyle::Code => 2,
        SpanStyle::Prefix => 3,
        SpanStyle::Rule => 4,
        SpanStyle::Cell => 5,
        SpanStyle::Heading(level) => 8 + u32::from(level.min(7)),
        SpanStyle::Link(n) => LINK_CODES.saturating_add(n),
    }
}

/// The style of a code; `None` for a code no folio writes (a damaged entry).
fn style_of(code: u32) -> Option<SpanStyle> {
    Some(match code {
        0 => SpanStyle::Emphasis,
        1 => SpanStyle::Strong,
        2 => SpanStyle::Code,
        3 => SpanStyle::Prefix,
        4 => SpanStyle::Rule,
        5 => SpanStyle::Cell,
        8..=15 => SpanStyle::Heading((code - 8) as u8),
        n if n >= LINK_CODES => SpanStyle::Link(n - LINK_CODES),
        _ => return None,
    })
}

/// An entry as the store holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub head: Vec<u8>,
    pub tail: Vec<u8>,
    /// The article's body (empty for a skipped file).
    pub body: String,
}

/// The entry kept for `outcome`.
pub fn encode(outcome: &Outcome) -> Entry {
    match outcome {
        Outcome::Article { article, degraded } => Entry {
            head: head_of(article, degraded.as_deref()),
            tail: tail_of(article),
            body: article.body().to_owned(),
        },
        Outcome::Skipped(reason) => encode_skip(reason),
    }
}

/// The entry kept for a file skipped for `reason`.
pub fn encode_skip(reason: &str) -> Entry {
    Entry {
        head: pack(&Head::Skipped(reason), ""),
        tail: Vec::new(),
        body: String::new(),
    }
}

/// The head kept for an article (and why its conversion was degraded).
pub fn head_of(a: &Article, degraded: Option<&str>) -> Vec<u8> {
    let url_id = a.url.as_ref().map(|url| make_id(&format!("url:{url}")));
    let head = Head::Article {
        id: url_id.as_deref(),
        title: &a.title,
        url: a.url.as_deref(),
        date: a
            .date
            .map(|d| (d.timestamp_millis(), d.offset().local_minus_utc())),
        author: a.author.as_deref(),
        source: a.source.as_deref(),
        tags: a.tags.iter().map(String::as_str).collect(),
        body_chars: a.body_chars,
        link_count: a.link_count,
        degraded,
    };
    pack(&head, "")
}

/// The links and spans kept beside an article's body (checked with it).
pub fn tail_of(a: &Article) -> Vec<u8> {
    let tail = Tail {
        links: a
            .links()
            .iter()
            .map(|l| (l.text.as_str(), l.url.as_str()))
            .collect(),
        spans: a
            .spans()
            .iter()
            .map(|s| (s.start, s.end, style_code(s.style)))
            .collect(),
    };
    pack(&tail, a.body())
}

/// Format byte, CRC-32 of what follows and of `body`, then the encoding.
fn pack<T: Serialize>(value: &T, body: &str) -> Vec<u8> {
    let Ok(mut out) = postcard::to_extend(value, vec![FORMAT, 0, 0, 0, 0]) else {
        return Vec::new();
    };
    let crc = checksum(&out[5..], body);
    out[1..5].copy_from_slice(&crc.to_le_bytes());
    out
}

fn checksum(packed: &[u8], body: &str) -> u32 {
    let mut crc = crc32fast::Hasher::new();
    crc.update(packed);
    crc.update(body.as_bytes());
    crc.finalize()
}

/// What follows the format and checksum, when both are right.
fn unpack<'a>(bytes: &'a [u8], body: &str) -> Option<&'a [u8]> {
    let (&format, rest) = bytes.split_first()?;
    if format != FORMAT || rest.len() < 4 {
        return None;
    }
    let (crc, packed) = rest.split_at(4);
    (checksum(packed, body).to_le_bytes() == crc).then_some(packed)
}

/// The outcome kept in `head`, an article without its text (see [`decode_text`]),
/// with `id` and `path` given back; `None` when the head is damaged.
pub fn decode_head(
    head: &[u8],
    id: impl FnOnce(Option<&str>) -> String,
    path: &str,
) -> Option<Outcome> {
    let head: Head = postcard::from_bytes(unpack(head, "")?).ok()?;
    Some(match head {
        Head::Skipped(reason) => Outcome::Skipped(reason.to_owned()),
        Head::Article {
            id: kept_id,
            title,
            url,
            date,
            author,
            source,
            tags,
            body_chars,
            link_count,
            degraded,
        } => {
            let date = match date {
                Some((millis, offset)) => Some(
                    FixedOffset::east_opt(offset)?
                        .timestamp_millis_opt(millis)
                        .single()?,
                ),
                None => None,
            };
            Outcome::Article {
                article: Article {
                    id: match kept_id {
                        Some(kept) if url.is_some() => kept.to_owned(),
                        _ => id(url),
                    },
                    title: title.to_owned(),
                    url: url.map(str::to_owned),
                    date,
                    author: author.map(str::to_owned),
                    source: source.map(str::to_owned),
                    tags: tags.into_iter().map(str::to_owned).collect(),
                    path: path.to_owned(),
                    body_chars,
                    link_count,
                    ..Article::default()
                },
                degraded: degraded.map(str::to_owned),
            }
        }
    })
}

/// An article's text kept as `tail` and `body`: the body, links and spans;
/// `None` when either is damaged.
pub fn decode_text(tail: &[u8], body: &str) -> Option<(String, Vec<Link>, Vec<Span>)> {
    let tail: Tail = postcard::from_bytes(unpack(tail, body)?).ok()?;
    let spans: Vec<Span> = tail
        .spans
        .iter()
        .map(|&(start, end, code)| {
            Some(Span {
                start,
                end,
                style: style_of(code)?,
            })
        })
        .collect::<Option<_>>()?;
    // A damaged entry must never hand the reader a span outside its body.
    let spans_fit = spans.iter().all(|s| {
        s.start < s.end
            && body.is_char_boundary(s.start as usize)
            && body.is_char_boundary(s.end as usize)
    });
    if !spans_fit {
        return None;
    }
    let links = tail
        .links
        .into_iter()
        .map(|(text, url)| Link {
            text: text.to_owned(),
            url: url.to_owned(),
        })
        .collect();
    Some((body.to_owned(), links, spans))
}

/// The whole outcome kept as `head`, `tail` and `body`.
pub fn decode(
    head: &[u8],
    tail: &[u8],
    body: &str,
    id: impl FnOnce(Option<&str>) -> String,
    path: &str,
) -> Option<Outcome> {
    match decode_head(head, id, path)? {
        Outcome::Article {
            mut article,
            degraded,
        } => {
            let (body, links, spans) = decode_text(tail, body)?;
            article.set_text(body, links, spans);
            Some(Outcome::Article { article, degraded })
        }
        skipped => Some(skipped),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Article {
        let mut a = Article {
            id: "abc".into(),
            title: "中俄关系".into(),
            url: Some("https://x.org/1".into()),
            date: Some(
                FixedOffset::east_opt(8 * 3600)
                    .unwrap()
                    .timestamp_millis_opt(1_690_562_527_000)
                    .unwrap(),
            ),
            author: Some("某人".into()),
            source: Some("voa".into()),
            tags: vec!["a".into(), "b".into()],
            path: "/x/a.md".into(),
            ..Article::default()
        };
        a.set_text(
            "正文 链接[1] **粗**".into(),
            vec![Link {
                text: "链接".into(),
                url: "https://x.org/2".into(),
            }],
            vec![
                Span {
                    start: 7,
                    end: 13,
                    style: SpanStyle::Link(1),
                },
                Span {
                    start: 19,
                    end: 22,
                    style: SpanStyle::Strong,
                },
            ],
        );
        a
    }

    #[test]
    fn an_article_comes_back_whole_or_head_first() {
        let outcome = Outcome::Article {
            article: sample(),
            degraded: Some("why".into()),
        };
        let e = encode(&outcome);
        let id = |url: Option<&str>| format!("id of {url:?}");
        let Some(Outcome::Article { article, degraded }) =
            decode(&e.head, &e.tail, &e.body, id, "/x/a.md")
        else {
            panic!("not an article");
        };
        assert_eq!(degraded.as_deref(), Some("why"));
        // An id made from the URL is kept; only an id made from the path is made again.
        assert_eq!(article.id, make_id("url:https://x.org/1"));
        assert_eq!(
            Article {
                id: "abc".into(),
                ..article
            },
            sample()
        );

        let Some(Outcome::Article { article: head, .. }) =
            decode_head(&e.head, |_| "abc".into(), "/x/a.md")
        else {
            panic!("no head");
        };
        assert!(!head.has_text() && head.body().is_empty());
        assert_eq!((head.body_chars, head.link_count), (sample().body_chars, 1));
        assert_eq!(head.title, "中俄关系");

        let skipped = Outcome::Skipped("empty file".into());
        let e = encode(&skipped);
        assert_eq!(
            decode(&e.head, &e.tail, &e.body, |_| String::new(), ""),
            Some(skipped)
        );
    }

    #[test]
    fn any_damage_is_noticed() {
        let e = encode(&Outcome::Article {
            article: sample(),
            degraded: None,
        });
        let decodes = |head: &[u8], tail: &[u8], body: &str| {
            decode(head, tail, body, |_| String::new(), "").is_some()
        };
        assert!(decodes(&e.head, &e.tail, &e.body));
        for at in 0..e.head.len() {
            let mut damaged = e.head.clone();
            damaged[at] ^= 0x20;
            assert!(!decodes(&damaged, &e.tail, &e.body), "head byte {at}");
        }
        for at in 0..e.tail.len() {
            let mut damaged = e.tail.clone();
            damaged[at] ^= 0x20;
            assert!(!decodes(&e.head, &damaged, &e.body), "tail byte {at}");
        }
        for cut in 0..e.head.len() {
            assert!(
                !decodes(&e.head[..cut], &e.tail, &e.body),
                "head cut at {cut}"
            );
        }
        // A damaged body: another character, or cut short.
        let other = e.body.replacen('正', "止", 1);
        assert!(!decodes(&e.head, &e.tail, &other));
        assert!(!decodes(&e.head, &e.tail, &e.body[..e.body.len() - 1]));
    }
}

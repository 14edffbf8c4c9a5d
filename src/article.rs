//! One article as folio holds it: clean metadata, plain-text body, numbered links.

use chrono::{DateTime, FixedOffset};

/// A loaded article. Every string in it has been sanitised (see [`crate::sanitize`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// Short, stable identifier: derived from the URL, else from the path relative
    /// to the folder it was loaded from.
    pub id: String,
    pub title: String,
    pub url: Option<String>,
    pub date: Option<DateTime<FixedOffset>>,
    pub author: Option<String>,
    /// Site or channel name: front-matter tags, else the URL's host.
    pub source: Option<String>,
    pub tags: Vec<String>,
    /// Where it was loaded from, for display.
    pub path: String,
    /// Plain text: paragraphs separated by blank lines; link texts followed by `[n]`.
    pub body: String,
    /// The body's links, numbered from 1 in order of first appearance.
    pub links: Vec<Link>,
    /// Styled ranges of the body (emphasis, links), in order.
    pub spans: Vec<Span>,
}

/// A link of the body. Its number is its index in [`Article::links`] plus one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub text: String,
    pub url: String,
}

/// A styled byte range of [`Article::body`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: u32,
    pub end: u32,
    pub style: SpanStyle,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpanStyle {
    Emphasis,
    Strong,
    Code,
    /// Text of link number `n` (1-based).
    Link(u32),
}

impl Article {
    /// The date as `YYYY-MM-DD` in the article's own offset, or "" when it has none.
    pub fn date_ymd(&self) -> String {
        self.date
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    }

    /// `2023-07-28 · rfa · author`: the date, source and author it has (the author
    /// left out when it is the source), or "" when it has none of them.
    pub fn byline(&self) -> String {
        let author = self
            .author
            .as_ref()
            .filter(|a| Some(*a) != self.source.as_ref());
        let parts: Vec<String> = [
            Some(self.date_ymd()).filter(|d| !d.is_empty()),
            self.source.clone(),
            author.cloned(),
        ]
        .into_iter()
        .flatten()
        .collect();
        parts.join(" · ")
    }

    /// The date as RFC 3339, or `None`.
    pub fn date_rfc3339(&self) -> Option<String> {
        self.date
            .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
    }
}

/// A stable short id: the first 12 hex digits of the SHA-1 of `key`.
pub fn make_id(key: &str) -> String {
    let digest = sha1_smol::Sha1::from(key).digest().to_string();
    digest[..12].to_owned()
}

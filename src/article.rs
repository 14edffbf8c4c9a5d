//! One article as folio holds it: clean metadata, plain-text body, numbered links.

use std::fmt::Write as _;
use std::sync::OnceLock;

use chrono::format::{Item, StrftimeItems};
use chrono::{DateTime, FixedOffset, TimeZone};
use unicode_width::UnicodeWidthStr;

/// A loaded article. Every string in it has been sanitised (see [`crate::sanitize`]).
///
/// An article taken from the archive store may come without its text (body, links
/// and spans), which is filled in after it, in place (see [`Article::fill_text`]);
/// what the list shows of the text (its length, its number of links) is known
/// either way.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
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
    /// The body and its links and spans, once loaded (see [`Article::body`]).
    pub text: OnceLock<Text>,
    /// The body's length in characters.
    pub body_chars: u32,
    /// How many links the body has.
    pub link_count: u32,
    /// The file it was made from, as the archive store knows it (`None` for the
    /// bundled articles).
    pub origin: Option<Origin>,
}

/// The file an article was made from, and its size and time when it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The path under its folder's canonical path: its name in the store.
    pub path: std::path::PathBuf,
    pub stamp: crate::store::Stamp,
}

/// An article's text: what the reader shows and full-text search reads.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text {
    pub body: String,
    pub links: Vec<Link>,
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
    /// A heading's text, of level 1 to 6.
    Heading(u8),
    /// The marks that begin a line of a quote or a list (`> `, `* `, `1. `, the
    /// indentation of nested lists): a wrapped line repeats the quote marks and
    /// indents under the text.
    Prefix,
    /// A horizontal rule: the line is drawn across the width.
    Rule,
    /// One cell of a table row, the row's cells aligned by spaces: a row too wide
    /// for the screen shows one cell per line instead.
    Cell,
}

impl Article {
    /// Sets the text, and what is known of it.
    pub fn set_text(&mut self, body: String, links: Vec<Link>, spans: Vec<Span>) {
        self.body_chars = u32::try_from(body.chars().count()).unwrap_or(u32::MAX);
        self.link_count = u32::try_from(links.len()).unwrap_or(u32::MAX);
        self.text = OnceLock::from(Text { body, links, spans });
    }

    /// Fills in the text of an article that came without it (its counts are known
    /// already), where it is shared; false when it had its text already.
    pub fn fill_text(&self, text: Text) -> bool {
        self.text.set(text).is_ok()
    }

    /// Whether the text is here (an article from the store may come without it).
    pub fn has_text(&self) -> bool {
        self.text.get().is_some()
    }

    /// Plain text: paragraphs separated by blank lines; link texts followed by `[n]`.
    /// Empty until the text is loaded.
    pub fn body(&self) -> &str {
        self.text.get().map_or("", |t| t.body.as_str())
    }

    /// The body's links, numbered from 1 in order of first appearance.
    pub fn links(&self) -> &[Link] {
        self.text.get().map_or(&[], |t| t.links.as_slice())
    }

    /// Styled ranges of the body (emphasis, links), in order.
    pub fn spans(&self) -> &[Span] {
        self.text.get().map_or(&[], |t| t.spans.as_slice())
    }

    /// The date as `YYYY-MM-DD` in the article's own offset, or "" when it has none.
    pub fn date_ymd(&self) -> String {
        use chrono::Datelike;
        self.date
            .map(|d| format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()))
            .unwrap_or_default()
    }

    /// The date written in `format`, or "" when it has none.
    pub fn date_in(&self, format: &DateFormat) -> String {
        self.date.map(|d| format.write(&d)).unwrap_or_default()
    }

    /// `2023-07-28 · rfa · author`: the date, source and author it has (the author
    /// left out when it is the source), or "" when it has none of them.
    pub fn byline(&self) -> String {
        self.byline_in(&DateFormat::default())
    }

    /// [`Article::byline`] with the date written in `format`.
    pub fn byline_in(&self, format: &DateFormat) -> String {
        let author = self
            .author
            .as_ref()
            .filter(|a| Some(*a) != self.source.as_ref());
        let parts: Vec<String> = [
            Some(self.date_in(format)).filter(|d| !d.is_empty()),
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

/// How the browser writes dates: a checked strftime format (chrono's dialect).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateFormat {
    format: String,
    /// The widest the format writes any date, in columns: with ambiguous-width
    /// characters narrow, and wide (see [`crate::wrap::set_ambiguous_wide`]).
    width: (usize, usize),
}

impl Default for DateFormat {
    fn default() -> Self {
        DateFormat {
            format: DateFormat::DEFAULT.to_owned(),
            width: (10, 10),
        }
    }
}

impl DateFormat {
    pub const DEFAULT: &'static str = "%Y-%m-%d";

    /// Checks `format`: every specifier must be known to chrono, and what it writes
    /// must be one line of visible text. The error says what is wrong.
    pub fn new(format: &str) -> Result<DateFormat, String> {
        let items = StrftimeItems::new(format).parse().map_err(|_| {
            format!("invalid date format {format:?} (see chrono's strftime specifiers)")
        })?;
        if items.iter().any(|i| matches!(i, Item::Error)) {
            return Err(format!("invalid date format {format:?}"));
        }
        let mut width = (0, 0);
        // A date of every month, morning and evening: the names and numbers it can write.
        for month in 1..=12 {
            for hour in [9, 21] {
                let sample = FixedOffset::east_opt(8 * 3600)
                    .and_then(|tz| tz.with_ymd_and_hms(2023, month, 28, hour, 30, 45).single())
                    .ok_or_else(|| "cannot make a sample date".to_owned())?;
                let mut text = String::new();
                write!(text, "{}", sample.format_with_items(items.iter()))
                    .map_err(|_| format!("the date format {format:?} cannot write a date"))?;
                if text.chars().any(char::is_control) {
                    return Err(format!(
                        "the date format {format:?} writes control characters (such as %n or %t)"
                    ));
                }
                if text.trim().is_empty() {
                    return Err(format!("the date format {format:?} writes nothing"));
                }
                width.0 = width.0.max(text.width());
                width.1 = width.1.max(text.width_cjk());
            }
        }
        Ok(DateFormat {
            format: format.to_owned(),
            width,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.format
    }

    /// The most columns a date written in this format takes, as the terminal draws it.
    pub fn width(&self) -> usize {
        if crate::wrap::ambiguous_wide() {
            self.width.1
        } else {
            self.width.0
        }
    }

    fn write(&self, date: &DateTime<FixedOffset>) -> String {
        let mut text = String::new();
        // Checked in `new`; should a date still fail, the plain form is shown.
        if write!(text, "{}", date.format(&self.format)).is_err() {
            return date.format(Self::DEFAULT).to_string();
        }
        text
    }
}

/// A stable short id: the first 12 hex digits of the SHA-1 of `key`.
pub fn make_id(key: &str) -> String {
    let digest = sha1_smol::Sha1::from(key).digest().to_string();
    digest[..12].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dated(rfc3339: &str) -> Article {
        Article {
            id: String::new(),
            title: String::new(),
            url: None,
            date: DateTime::parse_from_rfc3339(rfc3339).ok(),
            author: None,
            source: Some("rfa".into()),
            tags: Vec::new(),
            path: String::new(),
            ..Article::default()
        }
    }

    #[test]
    fn dates_in_a_chosen_format() {
        let a = dated("2023-07-28T10:00:00+08:00");
        let format = DateFormat::new("%d %b %Y").unwrap();
        assert_eq!(a.date_in(&format), "28 Jul 2023");
        assert_eq!(a.byline_in(&format), "28 Jul 2023 · rfa");
        assert_eq!(a.byline(), "2023-07-28 · rfa");
        assert_eq!(format.width(), 11);
        assert_eq!(
            DateFormat::new("%B %-d").unwrap().width(),
            "September 28".len()
        );
        assert_eq!(DateFormat::default(), DateFormat::new("%Y-%m-%d").unwrap());
    }

    #[test]
    fn bad_date_formats_are_refused() {
        for bad in ["%Q", "%", "%Y%n%m", "%t", "", "  "] {
            assert!(DateFormat::new(bad).is_err(), "{bad:?}");
        }
    }
}

//! Full-text search: the bodies that contain every term of a query, each with its first match and a one-line snippet around it.

use std::ops::Range;

use rayon::prelude::*;

use super::query::Query;
use super::text::Finder;
use crate::collection::Collection;

/// Characters of context kept before the match in a snippet.
const BEFORE: usize = 24;
/// Characters of context kept after the match in a snippet.
const AFTER: usize = 48;
/// Marks text left out at either end of a snippet.
const ELLIPSIS: &str = "…";

/// An article whose body contains the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyHit {
    /// Index of the article in the collection.
    pub article: u32,
    /// Byte offset of the first match in the article's body.
    pub offset: usize,
    /// Byte range of that match in the body (it starts at `offset`).
    pub matched: Range<usize>,
    /// Byte range of the body to show around the match: its line, cut to a few dozen
    /// characters either side. [`BodyHit::snippet`] makes it into one display line.
    pub context: Range<usize>,
}

impl BodyHit {
    /// The snippet as one line of text (`…` where the line was cut, line breaks as
    /// spaces) and the byte range of the match in it. `body` is the article's body.
    pub fn snippet(&self, body: &str) -> (String, Range<usize>) {
        let (start, end) = (self.context.start, self.context.end);
        let (Some(before), Some(text), Some(after)) =
            (body.get(..start), body.get(start..end), body.get(end..))
        else {
            return (String::new(), 0..0);
        };
        let mut out = String::with_capacity(text.len() + 2 * ELLIPSIS.len());
        if !before.is_empty() && !before.ends_with('\n') {
            out.push_str(ELLIPSIS);
        }
        let shift = out.len();
        out.extend(
            text.chars()
                .map(|c| if c == '\n' || c == '\r' { ' ' } else { c }),
        );
        if !after.is_empty() && !after.starts_with('\n') {
            out.push_str(ELLIPSIS);
        }
        let inside = |at: usize| at.clamp(start, end) - start + shift;
        (out, inside(self.matched.start)..inside(self.matched.end))
    }
}

/// The articles whose bodies contain every term of `query` (space-separated, as in
/// the title search; `!term` leaves out bodies that contain the term; each term is
/// matched literally), ignoring case, width and traditional/simplified differences.
/// In collection order, each with the earliest first match of its terms. A query
/// without a positive term matches nothing.
pub fn search_bodies(collection: &Collection, query: &str) -> Vec<BodyHit> {
    let query = Query::parse(query);
    let finders = |negated: bool| -> Vec<Finder> {
        query
            .terms
            .iter()
            .filter(|t| t.negated == negated)
            .filter_map(|t| Finder::new(&t.text))
            .collect()
    };
    let (wanted, unwanted) = (finders(false), finders(true));
    if wanted.is_empty() {
        return Vec::new();
    }
    collection
        .articles()
        .par_iter()
        .enumerate()
        .filter_map(|(i, article)| {
            let body = article.body();
            let mut first: Option<Range<usize>> = None;
            for finder in &wanted {
                let found = finder.find_from(body, 0)?;
                if first.as_ref().is_none_or(|f| found.start < f.start) {
                    first = Some(found);
                }
            }
            if unwanted.iter().any(|f| f.find_from(body, 0).is_some()) {
                return None;
            }
            let matched = first?;
            Some(BodyHit {
                article: i as u32,
                offset: matched.start,
                context: context(body, matched.clone()),
                matched,
            })
        })
        .collect()
}

/// The byte range of `text` to show around `matched`: its line, cut to [`BEFORE`]
/// characters before and [`AFTER`] after.
fn context(text: &str, matched: Range<usize>) -> Range<usize> {
    let before = &text[..matched.start];
    let mut start = matched.start;
    for (i, c) in before.char_indices().rev().take(BEFORE) {
        if c == '\n' {
            break;
        }
        start = i;
    }
    let mut end = matched.end;
    for c in text[matched.end..].chars().take(AFTER) {
        if c == '\n' {
            break;
        }
        end += c.len_utf8();
    }
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str, phrase: &str) -> (String, String) {
        let m = text.find(phrase).unwrap_or(0);
        let matched = m..m + phrase.len();
        let hit = BodyHit {
            article: 0,
            offset: m,
            context: context(text, matched.clone()),
            matched,
        };
        let (line, h) = hit.snippet(text);
        let highlighted = line[h].to_owned();
        (line, highlighted)
    }

    #[test]
    fn a_short_line_is_kept_whole() {
        let (line, h) = shown("first line\n中俄關係升温\nlast", "關係");
        assert_eq!((line.as_str(), h.as_str()), ("中俄關係升温", "關係"));
    }

    #[test]
    fn a_long_line_is_cut_around_the_match() {
        let text = format!("{}中俄{}", "前".repeat(100), "后".repeat(100));
        let (line, h) = shown(&text, "中俄");
        assert_eq!(h, "中俄");
        assert!(
            line.starts_with(ELLIPSIS) && line.ends_with(ELLIPSIS),
            "{line}"
        );
        let (left, right) = line.split_once("中俄").unwrap_or_default();
        assert_eq!(left.chars().count(), BEFORE + 1);
        assert_eq!(right.chars().count(), AFTER + 1);
    }

    #[test]
    fn a_match_at_the_very_start_or_end() {
        assert_eq!(shown("中俄", "中俄"), ("中俄".into(), "中俄".into()));
    }

    #[test]
    fn a_hit_shown_with_another_body_shows_nothing_rather_than_panicking() {
        let hit = BodyHit {
            article: 0,
            offset: 1,
            matched: 1..4,
            context: 1..4,
        };
        assert_eq!(hit.snippet("中俄"), (String::new(), 0..0));
        assert_eq!(hit.snippet(""), (String::new(), 0..0));
    }

    #[test]
    fn line_breaks_inside_the_match_become_spaces() {
        assert_eq!(
            shown("蔡奇\n学者", "蔡奇\n学者"),
            ("蔡奇 学者".into(), "蔡奇 学者".into())
        );
    }
}

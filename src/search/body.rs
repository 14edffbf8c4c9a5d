//! Full-text search: the first match of a phrase in every article body, with a one-line snippet around it.

use std::ops::Range;

use rayon::prelude::*;

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
    /// One line of the body around the match.
    pub snippet: String,
    /// Byte range of the match inside `snippet`.
    pub highlight: Range<usize>,
}

/// The articles whose bodies contain `query` as a phrase (ignoring case, width and
/// traditional/simplified differences), in collection order, each with its first
/// match. An empty query matches nothing.
pub fn search_bodies(collection: &Collection, query: &str) -> Vec<BodyHit> {
    let Some(finder) = Finder::new(query) else {
        return Vec::new();
    };
    collection
        .articles()
        .par_iter()
        .enumerate()
        .filter_map(|(i, article)| {
            let matched = finder.find_from(&article.body, 0)?;
            let (snippet, highlight) = snippet(&article.body, matched.clone());
            Some(BodyHit {
                article: i as u32,
                offset: matched.start,
                matched,
                snippet,
                highlight,
            })
        })
        .collect()
}

/// The line of `text` around `matched`, cut to a few dozen characters either side,
/// and where the match lies in it. Line breaks inside the match become spaces.
pub fn snippet(text: &str, matched: Range<usize>) -> (String, Range<usize>) {
    let line_start = text[..matched.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[matched.end..]
        .find('\n')
        .map_or(text.len(), |i| matched.end + i);
    let start = text[line_start..matched.start]
        .char_indices()
        .rev()
        .nth(BEFORE - 1)
        .map_or(line_start, |(i, _)| line_start + i);
    let end = text[matched.end..line_end]
        .char_indices()
        .nth(AFTER)
        .map_or(line_end, |(i, _)| matched.end + i);
    let mut out = String::with_capacity(end - start + 2 * ELLIPSIS.len());
    if start > line_start {
        out.push_str(ELLIPSIS);
    }
    let offset = out.len();
    out.extend(
        text[start..end]
            .chars()
            .map(|c| if c == '\n' || c == '\r' { ' ' } else { c }),
    );
    if end < line_end {
        out.push_str(ELLIPSIS);
    }
    let highlight = matched.start - start + offset..matched.end - start + offset;
    (out, highlight)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_line_is_kept_whole() {
        let text = "first line\n中俄關係升温\nlast";
        let m = text.find("關係").unwrap_or(0);
        let (s, h) = snippet(text, m..m + "關係".len());
        assert_eq!(s, "中俄關係升温");
        assert_eq!(&s[h], "關係");
    }

    #[test]
    fn a_long_line_is_cut_around_the_match() {
        let text = format!("{}中俄{}", "前".repeat(100), "后".repeat(100));
        let m = text.find("中俄").unwrap_or(0);
        let (s, h) = snippet(&text, m..m + "中俄".len());
        assert_eq!(&s[h.clone()], "中俄");
        assert!(s.starts_with(ELLIPSIS) && s.ends_with(ELLIPSIS), "{s}");
        assert_eq!(s[..h.start].chars().count(), BEFORE + 1);
        assert_eq!(s[h.end..].chars().count(), AFTER + 1);
    }

    #[test]
    fn a_match_at_the_very_start_or_end() {
        let (s, h) = snippet("中俄", 0..6);
        assert_eq!((s.as_str(), h), ("中俄", 0..6));
    }

    #[test]
    fn line_breaks_inside_the_match_become_spaces() {
        let text = "蔡奇\n学者";
        let (s, h) = snippet(text, 0..text.len());
        assert_eq!(s, "蔡奇 学者");
        assert_eq!(h, 0..text.len());
    }
}

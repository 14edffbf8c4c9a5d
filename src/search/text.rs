//! Finding a folded phrase in raw text without folding the text: an Aho-Corasick scan for every spelling of its start, then a check of the rest.

use std::ops::Range;

use aho_corasick::{AhoCorasick, Input, MatchKind};

use super::fold::{fold_char, fold_str, variants};

/// At most this many spellings of the start of a phrase go into the automaton; the
/// rest of the phrase is checked character by character after each hit.
const MAX_PATTERNS: usize = 64;

/// A phrase compiled for searching raw (unfolded) text.
pub struct Finder {
    /// The phrase, folded.
    phrase: Vec<char>,
    /// How many characters of `phrase` the automaton's patterns cover.
    covered: usize,
    automaton: AhoCorasick,
}

impl Finder {
    /// A finder for `query` taken as one phrase (trimmed, then folded); `None` when
    /// it is empty.
    pub fn new(query: &str) -> Option<Finder> {
        let phrase: Vec<char> = fold_str(query.trim()).chars().collect();
        if phrase.is_empty() {
            return None;
        }
        // Spell out as much of the phrase's start as fits in MAX_PATTERNS variants:
        // for Chinese that is usually the whole phrase, so nothing is left to check.
        let mut patterns: Vec<String> = vec![String::new()];
        let mut covered = 0;
        for &c in &phrase {
            let spellings = variants(c);
            if covered > 0 && patterns.len() * spellings.len() > MAX_PATTERNS {
                break;
            }
            patterns = patterns
                .iter()
                .flat_map(|p| {
                    spellings.iter().map(move |s| {
                        let mut longer = p.clone();
                        longer.push(*s);
                        longer
                    })
                })
                .take(MAX_PATTERNS)
                .collect();
            covered += 1;
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .build(&patterns)
            .ok()?;
        Some(Finder {
            phrase,
            covered,
            automaton,
        })
    }

    /// The first match at or after byte `from` of `text`, as a byte range.
    pub fn find_from(&self, text: &str, mut from: usize) -> Option<Range<usize>> {
        while from < text.len() {
            let hit = self.automaton.find(Input::new(text).range(from..))?;
            if let Some(end) = self.rest_matches(text, hit.end()) {
                return Some(hit.start()..end);
            }
            // Try again one character later: another spelling may start inside this hit.
            let step = text[hit.start()..].chars().next().map_or(1, char::len_utf8);
            from = hit.start() + step;
        }
        None
    }

    /// Every match in `text`, in order and not overlapping.
    pub fn find_all(&self, text: &str) -> Vec<Range<usize>> {
        let mut found = Vec::new();
        let mut from = 0;
        while let Some(m) = self.find_from(text, from) {
            from = m.end.max(m.start + 1);
            found.push(m);
        }
        found
    }

    /// Where the phrase ends if its uncovered characters follow byte `at` of `text`.
    fn rest_matches(&self, text: &str, at: usize) -> Option<usize> {
        let mut chars = text[at..].char_indices();
        for &want in &self.phrase[self.covered..] {
            let (_, c) = chars.next()?;
            if fold_char(c) != want {
                return None;
            }
        }
        Some(chars.next().map_or(text.len(), |(i, _)| at + i))
    }
}

/// Every match of `query` in `text` as byte ranges into `text`, ignoring case, width
/// and traditional/simplified differences: for the reader's `/`, `n` and `N`.
pub fn find_in_text(text: &str, query: &str) -> Vec<Range<usize>> {
    Finder::new(query).map_or_else(Vec::new, |f| f.find_all(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found<'t>(text: &'t str, query: &str) -> Vec<&'t str> {
        find_in_text(text, query)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn finds_every_spelling() {
        let text = "中俄關係與中俄关系；APEC、apec 和 ＡＰＥＣ";
        assert_eq!(found(text, "关系"), ["關係", "关系"]);
        assert_eq!(found(text, "關係"), ["關係", "关系"]);
        assert_eq!(found(text, "apec"), ["APEC", "apec", "ＡＰＥＣ"]);
        assert_eq!(found(text, "ＡＰＥＣ"), ["APEC", "apec", "ＡＰＥＣ"]);
    }

    #[test]
    fn ranges_are_byte_ranges_of_the_original() {
        let text = "x ＡＰＥＣ y";
        assert_eq!(find_in_text(text, "apec"), vec![2..14]);
    }

    #[test]
    fn long_latin_phrases_are_checked_past_the_automaton() {
        let text = "The Shanghai Cooperation Organisation met; SHANGHAI COOPERATION again";
        assert_eq!(
            found(text, "shanghai cooperation"),
            ["Shanghai Cooperation", "SHANGHAI COOPERATION"]
        );
        assert_eq!(found(text, "shanghai cooperationx"), Vec::<&str>::new());
    }

    #[test]
    fn overlapping_starts_are_retried() {
        assert_eq!(find_in_text("aaab", "aab"), vec![1..4]);
        assert_eq!(find_in_text("ａａａb", "aab"), vec![3..10]);
    }

    #[test]
    fn matches_do_not_overlap() {
        assert_eq!(find_in_text("aaaa", "aa"), vec![0..2, 2..4]);
    }

    #[test]
    fn empty_queries_find_nothing() {
        assert!(find_in_text("abc", "").is_empty());
        assert!(find_in_text("abc", "  ").is_empty());
        assert!(find_in_text("", "a").is_empty());
    }

    #[test]
    fn white_space_in_the_phrase_matches_any_white_space() {
        assert_eq!(found("蔡奇\u{3000}学者", "蔡奇 学者"), ["蔡奇\u{3000}学者"]);
    }
}

//! Finding a folded phrase in raw text without folding the text: a fast scan for one part of it, then a check of the rest around each hit.
//!
//! The part scanned for is the longest run of characters that have one spelling only
//! (most Chinese characters: 中, 俄, 普, 京), found with `memchr`'s SIMD `memmem`.
//! When every character has several spellings (Latin letters: a, A, ａ, Ａ), an
//! Aho-Corasick automaton looks for all spellings of the phrase's first characters.

use std::ops::Range;

use aho_corasick::{AhoCorasick, Input, MatchKind};
use memchr::arch::all::packedpair::HeuristicFrequencyRank;
use memchr::memmem;

use super::fold::{fold_char, fold_str, variants};

/// At most this many spellings of the start of a phrase go into the automaton.
const MAX_PATTERNS: usize = 64;

/// A phrase compiled for searching raw (unfolded) text.
pub struct Finder {
    /// The phrase, folded.
    phrase: Vec<char>,
    /// The characters `phrase[from..to]` are what `scan` finds; the others are
    /// checked around each hit.
    from: usize,
    to: usize,
    scan: Scan,
}

enum Scan {
    /// One exact byte string.
    Exact(Box<memmem::Finder<'static>>),
    /// Any of several spellings.
    Spellings(AhoCorasick),
}

impl Finder {
    /// A finder for `query` taken as one phrase (trimmed, then folded); `None` when
    /// it is empty.
    pub fn new(query: &str) -> Option<Finder> {
        let phrase: Vec<char> = fold_str(query.trim()).chars().collect();
        if phrase.is_empty() {
            return None;
        }
        let spellings: Vec<Vec<char>> = phrase.iter().map(|&c| variants(c)).collect();
        let (from, to) = longest_single_spelled_run(&phrase, &spellings);
        let (from, to, scan) = if to > from {
            let exact: String = phrase[from..to].iter().collect();
            let scan = Scan::Exact(Box::new(
                memmem::FinderBuilder::new()
                    .build_forward_with_ranker(ChineseText, exact.as_bytes())
                    .into_owned(),
            ));
            (from, to, scan)
        } else {
            let (covered, patterns) = spelled_prefixes(&spellings);
            let automaton = AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostFirst)
                .build(&patterns)
                .ok()?;
            (0, covered, Scan::Spellings(automaton))
        };
        Some(Finder {
            phrase,
            from,
            to,
            scan,
        })
    }

    /// The first match that starts at or after byte `from` of `text`, as a byte range.
    pub fn find_from(&self, text: &str, from: usize) -> Option<Range<usize>> {
        let mut at = from;
        while at < text.len() {
            let (hit_start, hit_end) = self.scan(text, at)?;
            if let Some(start) = self.before_matches(text, hit_start)
                && start >= from
                && let Some(end) = self.after_matches(text, hit_end)
            {
                return Some(start..end);
            }
            // Try again one character later: another hit may start inside this one.
            let step = text[hit_start..].chars().next().map_or(1, char::len_utf8);
            at = hit_start + step;
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

    /// The next hit of the scanned part at or after byte `at`.
    fn scan(&self, text: &str, at: usize) -> Option<(usize, usize)> {
        match &self.scan {
            Scan::Exact(finder) => {
                let start = at + finder.find(&text.as_bytes()[at..])?;
                Some((start, start + finder.needle().len()))
            }
            Scan::Spellings(automaton) => {
                let hit = automaton.find(Input::new(text).range(at..))?;
                Some((hit.start(), hit.end()))
            }
        }
    }

    /// Where the match starts if the phrase's characters before the scanned part
    /// come right before byte `at`.
    fn before_matches(&self, text: &str, at: usize) -> Option<usize> {
        let mut chars = text[..at].char_indices().rev();
        let mut start = at;
        for &want in self.phrase[..self.from].iter().rev() {
            let (i, c) = chars.next()?;
            if fold_char(c) != want {
                return None;
            }
            start = i;
        }
        Some(start)
    }

    /// Where the match ends if the phrase's characters after the scanned part follow
    /// byte `at`.
    fn after_matches(&self, text: &str, at: usize) -> Option<usize> {
        let mut chars = text[at..].char_indices();
        for &want in &self.phrase[self.to..] {
            let (_, c) = chars.next()?;
            if fold_char(c) != want {
                return None;
            }
        }
        Some(chars.next().map_or(text.len(), |(i, _)| at + i))
    }
}

/// How common each byte is in UTF-8 Chinese text, for `memmem` to pick the rarest
/// bytes of a needle to look for first. Its default ranking, made for English, takes
/// every byte above 0x7F for rare, but in Chinese text the lead bytes of three-byte
/// characters are the commonest of all, and continuation bytes are common too.
struct ChineseText;

impl HeuristicFrequencyRank for ChineseText {
    fn rank(&self, byte: u8) -> u8 {
        match byte {
            0xE0..=0xEF => 255,
            b' ' | b'\n' | b'e' | b't' | b'a' | b'o' | b'i' | b'n' | b's' => 240,
            b'0'..=b'9' | b'a'..=b'z' | b'.' | b',' | b'[' | b']' => 200,
            0x80..=0xBF => 160,
            b'A'..=b'Z' => 150,
            _ => 100,
        }
    }
}

/// The longest run `(from, to)` of characters with one spelling each (by bytes), or an
/// empty run when none is worth scanning for (a lone ASCII character would stop the
/// scan at every space or digit).
fn longest_single_spelled_run(phrase: &[char], spellings: &[Vec<char>]) -> (usize, usize) {
    let mut best = (0, 0, 0);
    let mut run_start = 0;
    let mut bytes = 0;
    for (i, (c, s)) in phrase.iter().zip(spellings).enumerate() {
        if s.len() == 1 {
            bytes += c.len_utf8();
            if bytes > best.2 {
                best = (run_start, i + 1, bytes);
            }
        } else {
            run_start = i + 1;
            bytes = 0;
        }
    }
    if best.2 >= 2 {
        (best.0, best.1)
    } else {
        (0, 0)
    }
}

/// Every spelling of as many of the phrase's first characters as fit in
/// [`MAX_PATTERNS`] (at least the first), and how many characters they cover.
fn spelled_prefixes(spellings: &[Vec<char>]) -> (usize, Vec<String>) {
    let mut patterns: Vec<String> = vec![String::new()];
    let mut covered = 0;
    for options in spellings {
        if covered > 0 && patterns.len() * options.len() > MAX_PATTERNS {
            break;
        }
        patterns = patterns
            .iter()
            .flat_map(|p| {
                options.iter().map(move |&c| {
                    let mut longer = p.clone();
                    longer.push(c);
                    longer
                })
            })
            .take(MAX_PATTERNS)
            .collect();
        covered += 1;
    }
    (covered, patterns)
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
    fn the_scanned_part_can_sit_in_the_middle() {
        // 关 and 系 have traditional spellings, 中 and 俄 do not.
        let text = "两国：中俄關係，关系中俄关系";
        assert_eq!(found(text, "中俄关系"), ["中俄關係", "中俄关系"]);
        assert_eq!(found(text, "系中"), ["系中"]);
        assert_eq!(
            found("2023年　２０２３年", "2023年"),
            ["2023年", "２０２３年"]
        );
    }

    #[test]
    fn a_match_never_starts_before_from() {
        let text = "中俄中俄";
        let finder = Finder::new("中俄");
        assert_eq!(finder.and_then(|f| f.find_from(text, 3)), Some(6..12));
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

//! The title index: folded titles with a per-title prefilter, searched in parallel and ranked.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use memchr::memmem;
use rayon::prelude::*;

use super::fold::fold_char;
use super::pinyin::{Spelled, Speller, readings};
use super::postings::Postings;
use super::query::{Mode, Query, Term};
use super::rank;
use crate::collection::Collection;

/// One matching article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Index of the article in the collection.
    pub article: u32,
    /// Higher is better; only the order means anything (`rank.rs` explains the
    /// tiers). Always below 2³².
    pub score: i64,
}

/// Titles prepared for searching, built once per collection.
pub struct TitleIndex {
    /// Every title folded, one after the other.
    text: String,
    /// Where each title ends in `text` (it starts where the previous one ends).
    ends: Vec<usize>,
    /// Every title's characters as pinyin table codes (see [`super::pinyin::Readings::code`]),
    /// one after the other; title `i` has `filters[i].len` of them.
    codes: Vec<u16>,
    /// Where each title ends in `codes`.
    code_ends: Vec<usize>,
    filters: Vec<Filter>,
    postings: Postings,
    matcher: SkimMatcherV2,
}

/// What a title contains, in a few bits: a term whose bits are not all there cannot match.
#[derive(Debug, Clone, Copy, Default)]
struct Filter {
    /// One bit per folded character (hashed into 64).
    chars: u64,
    /// First letters of the pinyin readings of the title's characters.
    initials: u32,
    /// All letters of those readings.
    letters: u32,
    /// Length in characters.
    len: u32,
}

/// A term ready to test against titles.
struct Compiled<'q> {
    term: &'q Term,
    finder: memmem::Finder<'q>,
    chars: Vec<char>,
    mask: u64,
    /// Set when the term can be pinyin.
    pinyin: Option<Speller>,
}

/// Where a term matched a title.
#[derive(Debug, Clone, Copy)]
enum Found {
    /// The term's own characters, from char `start`.
    Contiguous { start: usize, len: usize },
    /// The term's characters with gaps (see [`rank::compact_positions`]).
    Scattered,
    /// Characters the term spelled in pinyin.
    Spelled(Spelled),
}

impl TitleIndex {
    pub fn new(collection: &Collection) -> Self {
        let mut index = TitleIndex {
            text: String::new(),
            ends: Vec::with_capacity(collection.len()),
            codes: Vec::new(),
            code_ends: Vec::with_capacity(collection.len()),
            filters: Vec::with_capacity(collection.len()),
            postings: Postings::new(),
            matcher: SkimMatcherV2::default().respect_case(),
        };
        index.extend(collection.iter().map(|a| a.title.as_str()));
        index
    }

    /// Adds titles after the ones indexed already (articles appended to the collection).
    pub fn extend<'t>(&mut self, titles: impl IntoIterator<Item = &'t str>) {
        let readings = readings();
        for title in titles {
            let i = self.ends.len();
            let start = self.text.len();
            let mut filter = Filter::default();
            for c in title.chars() {
                let folded = fold_char(c);
                self.text.push(folded);
                self.codes.push(readings.code(folded));
                filter.chars |= char_bit(folded);
                let (initials, letters) = readings.letter_masks(folded);
                filter.initials |= initials;
                filter.letters |= letters;
                filter.len += 1;
            }
            self.ends.push(self.text.len());
            self.code_ends.push(self.codes.len());
            self.filters.push(filter);
            self.postings.add(i as u32, &self.text[start..]);
        }
    }

    /// Heap memory the index holds, in bytes (the shared folding and pinyin tables,
    /// under a megabyte, not included).
    pub fn memory_bytes(&self) -> usize {
        self.text.capacity()
            + self.ends.capacity() * std::mem::size_of::<usize>()
            + self.codes.capacity() * std::mem::size_of::<u16>()
            + self.code_ends.capacity() * std::mem::size_of::<usize>()
            + self.filters.capacity() * std::mem::size_of::<Filter>()
            + self.postings.memory_bytes()
    }

    /// Number of titles.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The pinyin table codes of the characters of title `i`.
    fn codes(&self, i: usize) -> &[u16] {
        let start = if i == 0 { 0 } else { self.code_ends[i - 1] };
        &self.codes[start..self.code_ends[i]]
    }

    /// The folded title of article `i`.
    fn title(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }

    /// The articles whose titles match `query` (see [`super::SYNTAX_HELP`]), best first;
    /// ties keep collection order (newest first). An empty query matches nothing.
    pub fn search(&self, query: &str) -> Vec<Hit> {
        self.search_query(&Query::parse(query))
    }

    /// [`TitleIndex::search`] for a query already parsed.
    pub fn search_query(&self, query: &Query) -> Vec<Hit> {
        if query.is_empty() {
            return Vec::new();
        }
        if let [term] = &query.terms[..]
            && let Some(hits) = self.search_one_char(term)
        {
            return hits;
        }
        self.scan(query)
    }

    /// A query of one Chinese character, from its postings: it can only match
    /// contiguously, so the postings hold all its score needs.
    fn search_one_char(&self, term: &Term) -> Option<Vec<Hit>> {
        let mut chars = term.text.chars();
        let (Some(c), None) = (chars.next(), chars.next()) else {
            return None;
        };
        if term.negated || !matches!(term.mode, Mode::Fuzzy | Mode::Exact) {
            return None;
        }
        let postings = self.postings.of(c)?;
        let mut keys: Vec<u64> = postings
            .iter()
            .map(|p| {
                let len = self.filters[p.title as usize].len as usize;
                let score = rank::contiguous(p.boundary, usize::from(p.start), len);
                sort_key(score, p.title as usize)
            })
            .collect();
        Some(hits_of(&mut keys))
    }

    /// Any query, by testing every title.
    fn scan(&self, query: &Query) -> Vec<Hit> {
        let compiled: Vec<Compiled> = query.terms.iter().map(compile).collect();
        let mut keys: Vec<u64> = (0..self.len())
            .into_par_iter()
            .with_min_len(1024)
            .filter_map(|i| Some(sort_key(self.score(i, &compiled)?, i)))
            .collect();
        hits_of(&mut keys)
    }

    /// Character positions in the article's original title that `query` matched, for
    /// highlighting; empty when it does not match.
    pub fn positions(&self, article: usize, query: &str) -> Vec<usize> {
        let query = Query::parse(query);
        let compiled: Vec<Compiled> = query.terms.iter().map(compile).collect();
        if article >= self.len() || self.score(article, &compiled).is_none() {
            return Vec::new();
        }
        let title = self.title(article);
        let filter = self.filters[article];
        let mut positions = Vec::new();
        for term in compiled.iter().filter(|t| !t.term.negated) {
            match self
                .best(article, title, filter, term)
                .map(|(_, found)| found)
            {
                Some(Found::Contiguous { start, len }) => positions.extend(start..start + len),
                Some(Found::Spelled(s)) => positions.extend(s.start..s.start + s.len),
                Some(Found::Scattered) => positions
                    .extend(rank::compact_positions(title, &term.chars).unwrap_or_default()),
                None => {}
            }
        }
        positions.sort_unstable();
        positions.dedup();
        positions
    }

    /// The score of title `i` for the query, if it matches.
    fn score(&self, i: usize, terms: &[Compiled]) -> Option<i64> {
        let filter = self.filters[i];
        // The filters alone rule out most titles, before the title is even read.
        if !terms.iter().all(|t| t.term.negated || t.may_match(filter)) {
            return None;
        }
        let title = self.title(i);
        let mut total = 0;
        for term in terms {
            if term.term.negated {
                if literal(title, term.term).is_some() {
                    return None;
                }
            } else {
                total += self.best(i, title, filter, term)?.0;
            }
        }
        Some(total)
    }

    /// The best way `term` matches title `i` (which is `title`), with its score.
    fn best(&self, i: usize, title: &str, filter: Filter, term: &Compiled) -> Option<(i64, Found)> {
        let len = filter.len as usize;
        let mut best: Option<(i64, Found)> = None;
        let mut offer = |score: i64, found: Found| {
            if best.is_none_or(|(b, _)| score > b) {
                best = Some((score, found));
            }
        };
        if term.mask & filter.chars == term.mask {
            if let Some((score, start)) = contiguous(title, term, len) {
                offer(
                    score,
                    Found::Contiguous {
                        start,
                        len: term.chars.len(),
                    },
                );
            } else if term.term.mode == Mode::Fuzzy
                && let Some(span) = rank::compact_span(title, &term.chars)
            {
                // Skim scores the span only: what lies outside it does not make the
                // match better or worse, and a short text is quick to score.
                let skim = self.matcher.fuzzy_match(&title[span], &term.term.text);
                offer(rank::scattered(skim.unwrap_or(0)), Found::Scattered);
            }
        }
        if let Some(speller) = &term.pinyin
            && speller.letters & filter.letters == speller.letters
            && speller.first & filter.initials != 0
        {
            let anchored = term.term.mode == Mode::Prefix;
            if let Some(s) = speller.spell(self.codes(i), anchored) {
                let boundary = s.start == 0 || at_char_boundary(title, s.start);
                let letters = term.term.text.len();
                let score = rank::spelled(boundary, s.start, s.len, letters, s.full, len);
                offer(score, Found::Spelled(s));
            }
        }
        best
    }
}

impl Compiled<'_> {
    /// Whether the title's filter leaves a chance for this (positive) term.
    fn may_match(&self, filter: Filter) -> bool {
        self.mask & filter.chars == self.mask
            || self.pinyin.as_ref().is_some_and(|s| {
                s.letters & filter.letters == s.letters && s.first & filter.initials != 0
            })
    }
}

fn compile(term: &Term) -> Compiled<'_> {
    let chars: Vec<char> = term.text.chars().collect();
    let mask = chars.iter().fold(0, |m, &c| m | char_bit(c));
    let pinyin = (matches!(term.mode, Mode::Fuzzy | Mode::Prefix) && !term.negated)
        .then(|| Speller::new(&term.text))
        .flatten();
    Compiled {
        term,
        finder: memmem::Finder::new(term.text.as_bytes()),
        chars,
        mask,
        pinyin,
    }
}

/// A hit as one integer: the score's complement above the article, so that one
/// integer sort puts higher scores first and, among equal ones, lower articles first.
fn sort_key(score: i64, article: usize) -> u64 {
    let score = u32::try_from(score).unwrap_or(if score < 0 { 0 } else { u32::MAX });
    u64::from(u32::MAX - score) << 32 | article as u64
}

/// The hits of `keys` (see [`sort_key`]), best first.
fn hits_of(keys: &mut Vec<u64>) -> Vec<Hit> {
    rank::sort_keys(keys);
    keys.iter()
        .map(|&key| Hit {
            article: key as u32,
            score: i64::from(u32::MAX - (key >> 32) as u32),
        })
        .collect()
}

/// The bit of a folded character in [`Filter::chars`]; spaces have none.
fn char_bit(c: char) -> u64 {
    if c == ' ' {
        0
    } else {
        1 << ((c as u32).wrapping_mul(0x9E37_79B1) >> 26)
    }
}

/// Where the term occurs literally in the title, as the match's byte range, according
/// to its mode (anywhere, at the start, at the end, or the whole title).
fn literal(title: &str, term: &Term) -> Option<usize> {
    let text = term.text.as_str();
    match term.mode {
        Mode::Fuzzy | Mode::Exact => title.find(text),
        Mode::Prefix => title.starts_with(text).then_some(0),
        Mode::Suffix => title.ends_with(text).then(|| title.len() - text.len()),
        Mode::Whole => (title == text).then_some(0),
    }
}

/// The best contiguous occurrence of the term, by its mode: its score and start (in chars).
fn contiguous(title: &str, term: &Compiled, len: usize) -> Option<(i64, usize)> {
    let at = match term.term.mode {
        Mode::Fuzzy | Mode::Exact => {
            let bytes = title.as_bytes();
            let first = term.finder.find(bytes)?;
            // A later occurrence at a boundary beats an earlier one inside a word.
            if rank::at_boundary(title, first) {
                first
            } else {
                term.finder
                    .find_iter(bytes)
                    .skip(1)
                    .find(|&at| rank::at_boundary(title, at))
                    .unwrap_or(first)
            }
        }
        _ => literal(title, term.term)?,
    };
    let start = title[..at].chars().count();
    Some((
        rank::contiguous(rank::at_boundary(title, at), start, len),
        start,
    ))
}

/// Whether character `start` of `title` follows a space or punctuation.
fn at_char_boundary(title: &str, start: usize) -> bool {
    title
        .char_indices()
        .nth(start)
        .is_some_and(|(at, _)| rank::at_boundary(title, at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Article;

    fn index(titles: &[&str]) -> TitleIndex {
        let articles = titles
            .iter()
            .enumerate()
            .map(|(i, t)| Article {
                id: i.to_string(),
                title: (*t).to_owned(),
                url: None,
                date: None,
                author: None,
                source: None,
                tags: Vec::new(),
                path: String::new(),
                ..Article::default()
            })
            .collect();
        TitleIndex::new(&Collection::new(articles))
    }

    #[test]
    fn one_character_queries_from_postings_equal_a_scan() {
        let index = index(&[
            "中国：中俄关系",
            "美中",
            "关於中國的報導",
            "apec 中",
            "习近平祝贺普京“连任” 中俄联手",
            "",
            "中",
        ]);
        for q in ["中", "俄", "国", "國", "'中", "京", "a"] {
            let query = Query::parse(q);
            assert_eq!(index.search_query(&query), index.scan(&query), "{q}");
        }
        assert!(
            index
                .search_one_char(&Query::parse("中").terms[0])
                .is_some()
        );
        assert!(index.search_one_char(&Query::parse("a").terms[0]).is_none());
        assert!(
            index
                .search_one_char(&Query::parse("^中").terms[0])
                .is_none()
        );
    }
}

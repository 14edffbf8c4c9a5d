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
    /// The first letters of each of those characters' readings (see
    /// [`super::pinyin::letter_bit`]), beside `codes`: what a pinyin query tests
    /// first at every character, read in order instead of looked up.
    initials: Vec<u32>,
    /// Where each title ends in `codes`.
    code_ends: Vec<usize>,
    filters: Vec<Filter>,
    postings: Postings,
    /// For each letter a–z, the titles it can match alone (the first key of most
    /// Latin queries, which matches most titles): see [`Letter`].
    letters: Vec<Vec<Letter>>,
    matcher: SkimMatcherV2,
    /// The articles' sources, tags, authors and months, for the filter terms and
    /// the facet panel.
    pub fields: super::fields::Fields,
    /// The answer to each one-letter query, once made (see [`TitleIndex::warm`]):
    /// the first key of most Latin and pinyin queries, and among the slowest.
    answers: Vec<std::sync::OnceLock<Vec<Hit>>>,
    /// Searches made lately by any browser over this index (readers of one served
    /// archive type the same first keys): the newest last.
    shared: std::sync::Mutex<Vec<(String, std::sync::Arc<Vec<Hit>>)>>,
}

/// How many searches the index remembers for all its browsers.
const SHARED: usize = 64;

/// Where a one-letter query matches one title: the letter itself, and the first
/// character it spells by a common reading, else by any.
#[derive(Debug, Clone, Copy)]
struct Letter {
    title: u32,
    /// The letter as typed (first at a boundary, else first), or `NONE`.
    literal: u16,
    literal_boundary: bool,
    common: u16,
    rare: u16,
}

const NONE: u16 = u16::MAX;

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
            initials: Vec::new(),
            code_ends: Vec::with_capacity(collection.len()),
            filters: Vec::with_capacity(collection.len()),
            postings: Postings::new(),
            letters: vec![Vec::new(); 26],
            matcher: SkimMatcherV2::default().respect_case(),
            fields: super::fields::Fields::default(),
            answers: Vec::new(),
            shared: std::sync::Mutex::new(Vec::new()),
        };
        index.extend_articles(collection.articles());
        index
    }

    /// Adds articles after the ones indexed already (appended to the collection):
    /// their titles and their fields.
    pub fn extend_articles(&mut self, articles: &[std::sync::Arc<crate::article::Article>]) {
        self.extend(articles.iter().map(|a| a.title.as_str()));
        self.fields.extend(articles);
        // New titles, new answers.
        self.answers = (0..26).map(|_| std::sync::OnceLock::new()).collect();
        if let Ok(shared) = self.shared.get_mut() {
            shared.clear();
        }
    }

    /// The hits of `query`, if a browser over this index searched for it lately.
    pub fn remembered(&self, query: &str) -> Option<std::sync::Arc<Vec<Hit>>> {
        let shared = self.shared.lock().ok()?;
        shared
            .iter()
            .rev()
            .find(|(q, _)| q == query)
            .map(|(_, hits)| std::sync::Arc::clone(hits))
    }

    /// Remembers the hits of `query` for every browser over this index.
    pub fn remember(&self, query: &str, hits: &std::sync::Arc<Vec<Hit>>) {
        if let Ok(mut shared) = self.shared.lock() {
            shared.retain(|(q, _)| q != query);
            if shared.len() == SHARED {
                shared.remove(0);
            }
            shared.push((query.to_owned(), std::sync::Arc::clone(hits)));
        }
    }

    /// Answers every one-letter query now (off the UI thread, once a load is
    /// indexed), so that the first key of a query is answered from memory.
    pub fn warm(&self) {
        (b'a'..=b'z')
            .collect::<Vec<u8>>()
            .par_iter()
            .for_each(|&letter| {
                let _ = self.search_one_letter_cached(letter);
            });
    }

    /// Adds titles after the ones indexed already (articles appended to the collection).
    fn extend<'t>(&mut self, titles: impl IntoIterator<Item = &'t str>) {
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
                self.initials.push(initials);
                filter.initials |= initials;
                filter.letters |= letters;
                filter.len += 1;
            }
            self.ends.push(self.text.len());
            self.code_ends.push(self.codes.len());
            self.filters.push(filter);
            self.postings.add(i as u32, &self.text[start..]);
            self.add_letters(i as u32, start);
        }
    }

    /// Records where each letter alone matches title `i` (its text from byte `start`).
    fn add_letters(&mut self, i: u32, start: usize) {
        let readings = readings();
        let text = &self.text[start..];
        let codes = &self.codes[self.codes.len() - self.filters[i as usize].len as usize..];
        let mut found = [Letter {
            title: i,
            literal: NONE,
            literal_boundary: false,
            common: NONE,
            rare: NONE,
        }; 26];
        let mut any = 0u32;
        for (k, ((at, c), &code)) in text.char_indices().zip(codes).enumerate() {
            let k = u16::try_from(k).unwrap_or(NONE - 1);
            if c.is_ascii_lowercase() {
                let slot = &mut found[usize::from(c as u8 - b'a')];
                let boundary = rank::at_boundary(text, at);
                if slot.literal == NONE || (boundary && !slot.literal_boundary) {
                    slot.literal = k;
                    slot.literal_boundary = boundary;
                }
                any |= 1 << (c as u8 - b'a');
            }
            if code == super::pinyin::NO_CODE {
                continue;
            }
            if let Some(first) = readings.common_initial(code).filter(u8::is_ascii_lowercase) {
                let slot = &mut found[usize::from(first - b'a')];
                if slot.common == NONE {
                    slot.common = k;
                }
            }
            let (mut initials, _) = readings.letter_masks(c);
            while initials != 0 {
                let letter = initials.trailing_zeros() as usize;
                initials &= initials - 1;
                if letter < 26 && found[letter].rare == NONE {
                    found[letter].rare = k;
                    any |= 1 << letter;
                }
            }
        }
        while any != 0 {
            let letter = any.trailing_zeros() as usize;
            any &= any - 1;
            self.letters[letter].push(found[letter]);
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
            + self
                .letters
                .iter()
                .map(|l| l.capacity() * std::mem::size_of::<Letter>())
                .sum::<usize>()
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

    /// The first letters of the readings of title `i`'s characters.
    fn initials(&self, i: usize) -> &[u32] {
        let start = if i == 0 { 0 } else { self.code_ends[i - 1] };
        &self.initials[start..self.code_ends[i]]
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
            && let Some(hits) = self
                .search_one_char(term)
                .or_else(|| self.search_one_letter(term))
        {
            return hits;
        }
        self.scan(query)
    }

    /// A query of one Latin letter (most keystrokes that begin a query, and most
    /// titles match it), from the letters' lists: scored as [`TitleIndex::best`]
    /// would score it, without spelling a title.
    fn search_one_letter(&self, term: &Term) -> Option<Vec<Hit>> {
        let bytes = term.text.as_bytes();
        let (&[letter], Mode::Fuzzy, false) = (bytes, term.mode, term.negated) else {
            return None;
        };
        self.search_one_letter_cached(letter).cloned()
    }

    /// The hits of the one-letter query `letter`, made once.
    fn search_one_letter_cached(&self, letter: u8) -> Option<&Vec<Hit>> {
        let slot = self.answers.get(usize::from(letter.checked_sub(b'a')?))?;
        if let Some(hits) = slot.get() {
            return Some(hits);
        }
        let hits = self.score_one_letter(letter)?;
        Some(slot.get_or_init(|| hits))
    }

    /// Scores every title for the one-letter query `letter`.
    fn score_one_letter(&self, letter: u8) -> Option<Vec<Hit>> {
        let list = self.letters.get(usize::from(letter.checked_sub(b'a')?))?;
        let mut keys: Vec<u64> = list
            .par_iter()
            .with_min_len(4096)
            .map(|l| {
                let i = l.title as usize;
                let len = self.filters[i].len as usize;
                let literal = (l.literal != NONE)
                    .then(|| rank::contiguous(l.literal_boundary, usize::from(l.literal), len));
                let (start, common) = if l.common != NONE {
                    (l.common, true)
                } else {
                    (l.rare, false)
                };
                let spelled = (start != NONE).then(|| {
                    let start = usize::from(start);
                    let boundary = start == 0 || at_char_boundary(self.title(i), start);
                    rank::spelled(boundary, start, 1, 1, true, common, len)
                });
                let score = literal.into_iter().chain(spelled).max().unwrap_or(0);
                sort_key(score, i)
            })
            .collect();
        Some(hits_of(&mut keys))
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

    /// Any query, by testing every title that may match: those holding the rarest
    /// Chinese character of a term when a term has one, else all of them.
    fn scan(&self, query: &Query) -> Vec<Hit> {
        match self.candidates(query) {
            Some(titles) => self.score_titles(query, &titles),
            None => {
                let compiled: Vec<Compiled> = query.terms.iter().map(compile).collect();
                let mut keys: Vec<u64> = (0..self.len())
                    .into_par_iter()
                    .with_min_len(1024)
                    .filter_map(|i| Some(sort_key(self.score(i, &compiled)?, i)))
                    .collect();
                hits_of(&mut keys)
            }
        }
    }

    /// The titles a match needs: every positive term's characters are all in a
    /// title it matches (a Chinese term has no pinyin to match otherwise), so the
    /// postings of the rarest of them hold every title that can match.
    fn candidates(&self, query: &Query) -> Option<Vec<u32>> {
        query
            .terms
            .iter()
            .filter(|t| !t.negated)
            .flat_map(|t| t.text.chars().filter_map(|c| self.postings.of(c)))
            .min_by_key(|list| list.len())
            .map(|list| list.iter().map(|p| p.title).collect())
    }

    /// The articles among `titles` (ascending) that match `query`, best first.
    fn score_titles(&self, query: &Query, titles: &[u32]) -> Vec<Hit> {
        let compiled: Vec<Compiled> = query.terms.iter().map(compile).collect();
        let mut keys: Vec<u64> = titles
            .par_iter()
            .with_min_len(1024)
            .filter(|&&i| (i as usize) < self.len())
            .filter_map(|&i| Some(sort_key(self.score(i as usize, &compiled)?, i as usize)))
            .collect();
        hits_of(&mut keys)
    }

    /// [`TitleIndex::search`] for a query typed after `before`, whose hits are known:
    /// when the new query can only match fewer titles (a key typed at the end), only
    /// those hits are tried again.
    pub fn search_after(&self, query: &str, before: Option<(&str, &[Hit])>) -> Vec<Hit> {
        let parsed = Query::parse(query);
        if parsed.is_empty() {
            return Vec::new();
        }
        match before {
            Some((old, hits)) if narrows(old, query) => {
                // In article order (ties rank by it), without sorting them: marked
                // in a bitmap, then read back in order.
                let mut marked = vec![0u64; self.len().div_ceil(64)];
                for h in hits {
                    if let Some(word) = marked.get_mut(h.article as usize / 64) {
                        *word |= 1 << (h.article % 64);
                    }
                }
                let mut titles: Vec<u32> = Vec::with_capacity(hits.len());
                for (w, &word) in marked.iter().enumerate() {
                    let mut bits = word;
                    while bits != 0 {
                        titles.push((w * 64) as u32 + bits.trailing_zeros());
                        bits &= bits - 1;
                    }
                }
                self.score_titles(&parsed, &titles)
            }
            _ => self.search_query(&parsed),
        }
    }

    /// Character positions in the article's original title that `query` matched, for
    /// highlighting; empty when it does not match.
    pub fn positions(&self, article: usize, query: &str) -> Vec<usize> {
        self.positions_of(&[article], query)
            .pop()
            .unwrap_or_default()
    }

    /// [`TitleIndex::positions`] for several articles (the rows on screen), the
    /// query compiled once.
    pub fn positions_of(&self, articles: &[usize], query: &str) -> Vec<Vec<usize>> {
        let query = Query::parse(query);
        let compiled: Vec<Compiled> = query.terms.iter().map(compile).collect();
        articles
            .iter()
            .map(|&article| self.matched(article, &compiled))
            .collect()
    }

    fn matched(&self, article: usize, compiled: &[Compiled]) -> Vec<usize> {
        if article >= self.len() || self.score(article, compiled).is_none() {
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
            if let Some(s) = speller.spell(self.codes(i), self.initials(i), anchored) {
                let boundary = s.start == 0 || at_char_boundary(title, s.start);
                let letters = term.term.text.len();
                let score = rank::spelled(boundary, s.start, s.len, letters, s.full, s.common, len);
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

/// Whether every title matching query `new` also matches `old`: `new` is `old` with
/// more typed at its end, and `old` has no term whose meaning more text would widen
/// (a negation, `term$`).
pub fn narrows(old: &str, new: &str) -> bool {
    let old = old.trim_end();
    if old.is_empty() || !new.starts_with(old) {
        return false;
    }
    Query::parse(old)
        .terms
        .iter()
        .all(|t| !t.negated && matches!(t.mode, Mode::Fuzzy | Mode::Exact | Mode::Prefix))
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
    fn one_letter_queries_from_the_letter_lists_equal_a_scan() {
        let index = index(&[
            "中国：中俄关系",
            "习近平与普京会面 xi",
            "apec 中",
            "Trump 特朗普",
            "意大利副总理",
            "重庆火锅",
            "x",
            "",
            "银行 hang",
        ]);
        for q in "abcdefghijklmnopqrstuvwxyz".chars() {
            let query = Query::parse(&q.to_string());
            assert_eq!(index.search_query(&query), index.scan(&query), "{q}");
        }
        assert!(
            index
                .search_one_letter(&Query::parse("x").terms[0])
                .is_some()
        );
        assert!(
            index
                .search_one_letter(&Query::parse("^x").terms[0])
                .is_none()
        );
    }

    #[test]
    fn narrowing_from_the_hits_before_gives_the_same_hits() {
        let index = index(&[
            "中国：中俄关系",
            "美中",
            "习近平与普京会面",
            "apec 中",
            "习近平祝贺普京“连任” 中俄联手",
            "普通的北京",
            "中",
        ]);
        let typing = [
            "x",
            "xj",
            "xjp",
            "中",
            "中俄",
            "中俄 ",
            "中俄 p",
            "中俄 pj",
            "p",
            "pu",
            "puj",
            "'中",
            "'中俄",
        ];
        for pair in typing.windows(2) {
            let before = index.search(pair[0]);
            let after = index.search_after(pair[1], Some((pair[0], &before)));
            assert_eq!(
                after,
                index.search(pair[1]),
                "{} after {}",
                pair[1],
                pair[0]
            );
        }
        assert!(narrows("中", "中俄"));
        assert!(!narrows("中俄", "中"), "a key deleted");
        assert!(!narrows("!中", "!中俄"), "a negation widens as it grows");
        assert!(!narrows("中$", "中$ 俄"));
    }

    #[test]
    fn initials_through_common_readings_rank_first() {
        let index = index(&[
            "意大利副总理访华",
            "美国总统特朗普再度参选",
            "微信红包新玩法",
            "性价比之王",
            "如何解决问题",
            "国台办称与习近平打擂台",
        ]);
        let top = |q: &str| index.search(q).first().map(|h| h.article);
        assert_eq!(top("tlp"), Some(1), "特朗普, not 大(tai)利副(pi)");
        assert_eq!(top("xjp"), Some(5), "习近平");
        assert_eq!(top("xijinping"), Some(5));
        // Rare readings still match, lower.
        assert!(index.search("tlp").iter().any(|h| h.article == 0));
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

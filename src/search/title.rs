//! The title index: folded titles with a per-title prefilter, searched in parallel and ranked.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use memchr::memmem;
use rayon::prelude::*;

use super::alphabet::Alphabet;
use super::fold::fold_char;
use super::pinyin::{Hint, Spelled, Speller, readings};
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
    /// What spelling the query's last term in pinyin found in the title, which
    /// spares work when the next key is typed at its end.
    pub hint: Hint,
}

/// Titles prepared for searching, built once per collection.
pub struct TitleIndex {
    /// Every title folded, one after the other.
    text: String,
    /// Where each title ends in `text` (it starts where the previous one ends).
    ends: Vec<usize>,
    /// Every title's characters as numbered by `alphabet`, one after the other;
    /// title `i` has `filters[i].len` of them. What pinyin spelling reads.
    numbers: Vec<u16>,
    /// Where each title ends in `numbers`.
    number_ends: Vec<usize>,
    alphabet: Alphabet,
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
    scratch: std::sync::Mutex<Vec<Scratch>>,
    /// Vectors of hits no one holds any more, to be filled again (see [`Scratch`]
    /// for why): the largest first out.
    spent: std::sync::Mutex<Vec<Vec<Hit>>>,
}

/// Buffers a search works in, kept by the index between searches: a keystroke
/// that writes fresh memory pays a page fault every 4 KiB (the allocator hands
/// freed pages back to the system while the user reads), which cost as much as
/// the search itself.
#[derive(Default)]
struct Scratch {
    /// By article, the titles to try and their hints; all `None` between searches.
    marked: Vec<Option<Hint>>,
    /// The titles to try, ascending, and their hints.
    titles: Vec<(u32, Hint)>,
    /// What each of them scored, if it matches.
    scored: Vec<Option<Hit>>,
    /// The sort's keys, and its room to work.
    keys: Vec<u64>,
    spare: Vec<u64>,
}

/// How many sets of buffers the index keeps (searches at once, by several readers).
const SCRATCHES: usize = 2;

/// How many spent vectors of hits the index keeps for the next searches.
const SPENT: usize = 4;

/// How many hits the searches remembered for all browsers may hold together
/// (16 bytes each): a few large answers, or many small ones.
const SHARED_HITS: usize = 1 << 20;

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
    /// The term's characters as the alphabet numbers them, when each is a Chinese
    /// character of its own number (most Chinese terms): then titles are searched
    /// by number, two bytes a character, and not as text.
    numbers: Option<Vec<u16>>,
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
            numbers: Vec::new(),
            number_ends: Vec::with_capacity(collection.len()),
            alphabet: Alphabet::default(),
            filters: Vec::with_capacity(collection.len()),
            postings: Postings::new(),
            letters: vec![Vec::new(); 26],
            matcher: SkimMatcherV2::default().respect_case(),
            fields: super::fields::Fields::default(),
            answers: Vec::new(),
            shared: std::sync::Mutex::new(Vec::new()),
            scratch: std::sync::Mutex::new(Vec::new()),
            spent: std::sync::Mutex::new(Vec::new()),
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
        let mut forgotten = Vec::new();
        if let Ok(mut shared) = self.shared.lock() {
            shared.retain(|(q, _)| q != query);
            shared.push((query.to_owned(), std::sync::Arc::clone(hits)));
            let mut held: usize = shared.iter().map(|(_, h)| h.len()).sum();
            while shared.len() > SHARED || (held > SHARED_HITS && shared.len() > 1) {
                let (_, old) = shared.remove(0);
                held -= old.len();
                forgotten.push(old);
            }
        }
        for old in forgotten {
            self.recycle(old);
        }
    }

    /// Takes back hits a browser no longer remembers: when no one else holds them,
    /// their vector is filled again by a later search.
    pub fn recycle(&self, hits: std::sync::Arc<Vec<Hit>>) {
        let Ok(mut hits) = std::sync::Arc::try_unwrap(hits) else {
            return;
        };
        hits.clear();
        if let Ok(mut spent) = self.spent.lock() {
            spent.push(hits);
            spent.sort_by_key(Vec::capacity);
            if spent.len() > SPENT {
                spent.remove(0);
            }
        }
    }

    /// An empty vector for `len` hits: a spent one that holds them if there is one,
    /// and not one far larger (what a cache keeps is its whole capacity).
    fn hits_buffer(&self, len: usize) -> Vec<Hit> {
        let fits = |v: &Vec<Hit>| v.capacity() >= len && v.capacity() <= 2 * len + 4096;
        self.spent
            .lock()
            .ok()
            .and_then(|mut spent| {
                let at = spent.iter().position(fits)?;
                Some(spent.remove(at))
            })
            .unwrap_or_else(|| Vec::with_capacity(len))
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
        // And buffers for the second key, written once so that their pages are
        // the process's already.
        let len = self.len();
        let mut scratch = Scratch::default();
        scratch.marked.resize(len, None);
        scratch.titles.resize(len, (0, Hint::Unknown));
        scratch.titles.clear();
        scratch.scored.resize(len, None);
        scratch.scored.clear();
        for keys in [&mut scratch.keys, &mut scratch.spare] {
            keys.resize(len, 0);
            keys.clear();
        }
        if let Ok(mut kept) = self.scratch.lock()
            && kept.is_empty()
        {
            kept.push(scratch);
        }
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
                self.numbers.push(self.alphabet.number(folded));
                filter.chars |= char_bit(folded);
                let (initials, letters) = readings.letter_masks(folded);
                filter.initials |= initials;
                filter.letters |= letters;
                filter.len += 1;
            }
            self.ends.push(self.text.len());
            self.number_ends.push(self.numbers.len());
            self.filters.push(filter);
            self.postings.add(i as u32, &self.text[start..]);
            self.add_letters(i as u32, start);
        }
    }

    /// Records where each letter alone matches title `i` (its text from byte `start`).
    fn add_letters(&mut self, i: u32, start: usize) {
        let text = &self.text[start..];
        let numbers = &self.numbers[self.numbers.len() - self.filters[i as usize].len as usize..];
        let mut found = [Letter {
            title: i,
            literal: NONE,
            literal_boundary: false,
            common: NONE,
            rare: NONE,
        }; 26];
        let mut any = 0u32;
        for (k, ((at, c), &number)) in text.char_indices().zip(numbers).enumerate() {
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
            let initials = self.alphabet.initials(number);
            let common = initials.common;
            let mut initials = initials.all;
            if common != 0 {
                let slot = &mut found[common.trailing_zeros() as usize % 26];
                if slot.common == NONE {
                    slot.common = k;
                }
            }
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
            + self.numbers.capacity() * std::mem::size_of::<u16>()
            + self.number_ends.capacity() * std::mem::size_of::<usize>()
            + self.alphabet.memory_bytes()
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

    /// The characters of title `i` as `alphabet` numbers them.
    fn numbers(&self, i: usize) -> &[u16] {
        let start = if i == 0 { 0 } else { self.number_ends[i - 1] };
        &self.numbers[start..self.number_ends[i]]
    }

    /// Whether the Chinese character `start` of title `i` starts a word.
    fn starts_word(&self, i: usize, start: usize) -> bool {
        start == 0
            || self
                .numbers(i)
                .get(start - 1)
                .is_none_or(|&number| self.alphabet.breaks(number))
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
        let answer = self.search_one_letter_cached(letter)?;
        let mut hits = self.hits_buffer(answer.len());
        hits.extend_from_slice(answer);
        Some(hits)
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
        let hits: Vec<Hit> = list
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
                    let boundary = self.starts_word(i, start);
                    rank::spelled(boundary, start, 1, 1, true, common, len)
                });
                let score = literal.into_iter().chain(spelled).max().unwrap_or(0);
                let at = |k: u16| (k != NONE).then_some(usize::from(k));
                Hit {
                    article: l.title,
                    score,
                    hint: Hint::of_letter(at(l.common), at(l.rare)),
                }
            })
            .collect();
        Some(ranked(
            hits.len(),
            |k| hits.get(k).copied(),
            (&mut Vec::new(), &mut Vec::new()),
            Vec::with_capacity,
        ))
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
        Some(self.with_scratch(|s| {
            let Scratch {
                scored,
                keys,
                spare,
                ..
            } = s;
            scored.clear();
            scored.extend(postings.iter().map(|p| {
                let len = self.filters.get(p.title as usize)?.len as usize;
                Some(Hit {
                    article: p.title,
                    score: rank::contiguous(p.boundary, usize::from(p.start), len),
                    hint: Hint::Unknown,
                })
            }));
            let at = |k: usize| scored.get(k).copied().flatten();
            ranked(scored.len(), at, (keys, spare), |len| self.hits_buffer(len))
        }))
    }

    /// Any query, by testing every title that may match: those holding the rarest
    /// Chinese character of a term when a term has one, else all of them.
    fn scan(&self, query: &Query) -> Vec<Hit> {
        self.with_scratch(|s| {
            s.titles.clear();
            match self.candidates(query) {
                Some(list) => s
                    .titles
                    .extend(list.iter().map(|p| (p.title, Hint::Unknown))),
                None => s
                    .titles
                    .extend((0..self.len() as u32).map(|t| (t, Hint::Unknown))),
            }
            self.score_titles(query, s)
        })
    }

    /// The postings of the rarest Chinese character of the query's positive terms:
    /// every positive term's characters are all in a title it matches (a Chinese
    /// term has no pinyin to match otherwise), so they hold every title that can.
    fn candidates(&self, query: &Query) -> Option<&[super::postings::Posting]> {
        query
            .terms
            .iter()
            .filter(|t| !t.negated)
            .flat_map(|t| t.text.chars().filter_map(|c| self.postings.of(c)))
            .min_by_key(|list| list.len())
    }

    /// The articles among the scratch's titles (ascending, each with the hint for
    /// the query's last term) that match `query`, best first.
    fn score_titles(&self, query: &Query, s: &mut Scratch) -> Vec<Hit> {
        let compiled = self.compile(query);
        let Scratch {
            titles,
            scored,
            keys,
            spare,
            ..
        } = s;
        titles
            .par_iter()
            .with_min_len(1024)
            .map(|&(i, hint)| {
                let (score, hint) = self.score(i as usize, &compiled, hint)?;
                Some(Hit {
                    article: i,
                    score,
                    hint,
                })
            })
            .collect_into_vec(scored);
        let at = |k: usize| scored.get(k).copied().flatten();
        ranked(scored.len(), at, (keys, spare), |len| self.hits_buffer(len))
    }

    /// [`TitleIndex::search`] for a query typed after `before`, whose hits are known:
    /// when the new query can only match fewer titles (a key typed at the end), only
    /// those hits are tried again, and what they found of the last term is used.
    pub fn search_after(&self, query: &str, before: Option<(&str, &[Hit])>) -> Vec<Hit> {
        let parsed = Query::parse(query);
        if parsed.is_empty() {
            return Vec::new();
        }
        match before {
            Some((old, hits)) if narrows(old, query) => {
                let hinted = extends_last_term(&Query::parse(old), &parsed);
                self.with_scratch(|s| {
                    // In article order (ties rank by it), without sorting them:
                    // marked in a table by article, then read back in order.
                    s.marked.resize(self.len(), None);
                    for h in hits {
                        if let Some(mark) = s.marked.get_mut(h.article as usize) {
                            *mark = Some(if hinted { h.hint } else { Hint::Unknown });
                        }
                    }
                    s.titles.clear();
                    for (i, mark) in s.marked.iter_mut().enumerate() {
                        if mark.is_some()
                            && let Some(hint) = mark.take()
                        {
                            s.titles.push((i as u32, hint));
                        }
                    }
                    self.score_titles(&parsed, s)
                })
            }
            _ => self.search_query(&parsed),
        }
    }

    /// Runs `work` with buffers of an earlier search (see [`Scratch`]).
    fn with_scratch<R>(&self, work: impl FnOnce(&mut Scratch) -> R) -> R {
        let mut scratch = self
            .scratch
            .lock()
            .ok()
            .and_then(|mut kept| kept.pop())
            .unwrap_or_default();
        let result = work(&mut scratch);
        if let Ok(mut kept) = self.scratch.lock()
            && kept.len() < SCRATCHES
        {
            kept.push(scratch);
        }
        result
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
        let compiled = self.compile(&query);
        articles
            .iter()
            .map(|&article| self.matched(article, &compiled))
            .collect()
    }

    fn matched(&self, article: usize, compiled: &[Compiled]) -> Vec<usize> {
        if article >= self.len() || self.score(article, compiled, Hint::Unknown).is_none() {
            return Vec::new();
        }
        let title = self.title(article);
        let filter = self.filters[article];
        let mut positions = Vec::new();
        for term in compiled.iter().filter(|t| !t.term.negated) {
            match self
                .best(article, filter, term, Hint::Unknown)
                .0
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

    /// Where the characters `numbers` occur together in `letters` (a title's): the
    /// first occurrence, or a later one that starts a word when the first does not.
    fn contiguous_numbers(&self, letters: &[u16], numbers: &[u16]) -> Option<usize> {
        let (&head, tail) = numbers.split_first()?;
        let mut first = None;
        for (k, &number) in letters.iter().enumerate() {
            // Compared one by one: the terms are a few characters, too short for a
            // call to compare memory.
            let rest = |j: usize, &t: &u16| letters.get(k + 1 + j) == Some(&t);
            if number != head || !tail.iter().enumerate().all(|(j, t)| rest(j, t)) {
                continue;
            }
            let word = k == 0 || self.alphabet.breaks(letters[k - 1]);
            if word {
                return Some(k);
            }
            first = first.or(Some(k));
        }
        first
    }

    /// The terms of `query`, ready to test against these titles.
    fn compile<'q>(&self, query: &'q Query) -> Vec<Compiled<'q>> {
        query
            .terms
            .iter()
            .map(|term| compile(term, &self.alphabet))
            .collect()
    }

    /// The score of title `i` for the query, if it matches, and the hint for its
    /// last term; `hint` is what is known of that term already.
    fn score(&self, i: usize, terms: &[Compiled], hint: Hint) -> Option<(i64, Hint)> {
        let filter = *self.filters.get(i)?;
        // The filters alone rule out most titles, before the title is even read.
        if !terms.iter().all(|t| t.term.negated || t.may_match(filter)) {
            return None;
        }
        let mut total = 0;
        let mut last = Hint::Unknown;
        for (k, term) in terms.iter().enumerate() {
            if term.term.negated {
                if literal(self.title(i), term.term).is_some() {
                    return None;
                }
            } else {
                let known = if k + 1 == terms.len() {
                    hint
                } else {
                    Hint::Unknown
                };
                let (best, spelled) = self.best(i, filter, term, known);
                total += best?.0;
                last = spelled;
            }
        }
        if terms.last().is_some_and(|t| t.term.negated) {
            last = Hint::Unknown;
        }
        Some((total, last))
    }

    /// The best way `term` matches title `i`, with its score, and
    /// what spelling it in pinyin found; `hint` is what is known of that already.
    fn best(
        &self,
        i: usize,
        filter: Filter,
        term: &Compiled,
        hint: Hint,
    ) -> (Option<(i64, Found)>, Hint) {
        // The text is read only when the title holds the term's characters: most
        // titles are ruled out, or spelled, without it.
        let title = || self.title(i);
        let len = filter.len as usize;
        let mut best: Option<(i64, Found)> = None;
        let mut offer = |score: i64, found: Found| {
            if best.is_none_or(|(b, _)| score > b) {
                best = Some((score, found));
            }
        };
        if term.mask & filter.chars == term.mask
            && let Some(numbers) = &term.numbers
        {
            let letters = self.numbers(i);
            if let Some(start) = self.contiguous_numbers(letters, numbers) {
                let boundary = self.starts_word(i, start);
                offer(
                    rank::contiguous(boundary, start, len),
                    Found::Contiguous {
                        start,
                        len: numbers.len(),
                    },
                );
            } else if term.term.mode == Mode::Fuzzy
                && let Some(span) = rank::compact_span_of(letters, numbers)
                && let Some(span) = byte_range(title(), span)
            {
                let skim = self.matcher.fuzzy_match(&title()[span], &term.term.text);
                offer(rank::scattered(skim.unwrap_or(0)), Found::Scattered);
            }
        } else if term.mask & filter.chars == term.mask {
            let title = title();
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
        let mut spelled = Hint::Unknown;
        if let Some(speller) = &term.pinyin {
            spelled = Hint::Unspelled;
            if speller.letters & filter.letters == speller.letters
                && speller.first & filter.initials != 0
            {
                let anchored = term.term.mode == Mode::Prefix;
                if let Some(s) = speller.spell(self.numbers(i), anchored, hint) {
                    let boundary = self.starts_word(i, s.start);
                    let letters = term.term.text.len();
                    let score =
                        rank::spelled(boundary, s.start, s.len, letters, s.full, s.common, len);
                    offer(score, Found::Spelled(s));
                    spelled = s.hint();
                }
            }
        }
        (best, spelled)
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

/// A term ready to test against the titles spelled in `alphabet`.
fn compile<'q>(term: &'q Term, alphabet: &Alphabet) -> Compiled<'q> {
    let chars: Vec<char> = term.text.chars().collect();
    let mask = chars.iter().fold(0, |m, &c| m | char_bit(c));
    let pinyin = (matches!(term.mode, Mode::Fuzzy | Mode::Prefix) && !term.negated)
        .then(|| Speller::new(&term.text, alphabet))
        .flatten();
    let numbers = matches!(term.mode, Mode::Fuzzy | Mode::Exact)
        .then(|| chars.iter().map(|&c| alphabet.find(c)).collect())
        .flatten()
        .filter(|numbers: &Vec<u16>| !numbers.is_empty());
    Compiled {
        term,
        finder: memmem::Finder::new(term.text.as_bytes()),
        chars,
        mask,
        pinyin,
        numbers,
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
    // A query of no term (`^` alone) matched nothing because it asked nothing.
    let terms = Query::parse(old).terms;
    !terms.is_empty()
        && terms
            .iter()
            .all(|t| !t.negated && matches!(t.mode, Mode::Fuzzy | Mode::Exact | Mode::Prefix))
}

/// The hits `at(0..count)` (in article order; `None` for titles that do not
/// match), best first, into a vector `room(n)` gives for `n` hits; equal scores
/// keep article order. The sort works in `keys` and `spare`.
fn ranked(
    count: usize,
    at: impl Fn(usize) -> Option<Hit>,
    (keys, spare): (&mut Vec<u64>, &mut Vec<u64>),
    room: impl FnOnce(usize) -> Vec<Hit>,
) -> Vec<Hit> {
    // Each hit as one integer, the score's complement above the hit's place, so
    // that one integer sort puts higher scores first and, among equal ones,
    // earlier articles first.
    keys.clear();
    keys.extend((0..count).filter_map(|k| {
        let hit = at(k)?;
        let score = u32::try_from(hit.score).unwrap_or(if hit.score < 0 { 0 } else { u32::MAX });
        Some(u64::from(u32::MAX - score) << 32 | k as u64)
    }));
    rank::sort_keys(keys, spare);
    // Sized at once: a vector grown as it fills is copied at each doubling, into
    // fresh pages each time.
    let mut hits = room(keys.len());
    hits.clear();
    hits.reserve(keys.len());
    hits.extend(keys.iter().filter_map(|&key| at(key as u32 as usize)));
    hits
}

/// The bytes of `title` that hold its characters `chars`.
fn byte_range(title: &str, chars: std::ops::Range<usize>) -> Option<std::ops::Range<usize>> {
    let mut at = title.char_indices().map(|(at, _)| at).chain([title.len()]);
    let start = at.nth(chars.start)?;
    let end = at.nth(chars.end.checked_sub(chars.start + 1)?)?;
    Some(start..end)
}

/// Whether the hints of a search for `old` hold for `new`: the same terms, but the
/// last one, which `new` continues (what [`narrows`] allows, and more).
fn extends_last_term(old: &Query, new: &Query) -> bool {
    let (Some((old_last, old_rest)), Some((new_last, new_rest))) =
        (old.terms.split_last(), new.terms.split_last())
    else {
        return false;
    };
    old_rest == new_rest
        && old_last.mode == new_last.mode
        && !old_last.negated
        && !new_last.negated
        && new_last.text.starts_with(&old_last.text)
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
        assert!(!narrows("^", "^中"), "no term matched nothing");
        assert!(!narrows("'", "'中"));
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
    fn spent_hits_are_filled_again_and_shared_searches_stay_bounded() {
        use std::sync::Arc;
        let index = index(&["中国", "中俄", "美中", "apec"]);
        let first = Arc::new(index.search("中"));
        let held = first.as_ptr();
        index.recycle(Arc::clone(&first));
        assert!(index.spent.lock().unwrap().is_empty(), "still held: kept");
        index.recycle(first);
        let again = index.search("中");
        assert_eq!(again.as_ptr(), held, "filled again");
        // However few searches, their hits together stay under the bound.
        let big = |n: usize| {
            Arc::new(vec![
                Hit {
                    article: 0,
                    score: 1,
                    hint: Hint::Unknown
                };
                n
            ])
        };
        index.remember("a", &big(SHARED_HITS / 2 + 1));
        index.remember("b", &big(SHARED_HITS / 2 + 1));
        assert!(index.remembered("a").is_none());
        assert!(index.remembered("b").is_some());
        assert_eq!(
            index.spent.lock().unwrap().len(),
            1,
            "a's vector kept for reuse"
        );
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

    use proptest::prelude::*;

    /// Characters with several readings, Latin letters, spaces, punctuation.
    const POOL: &[char] = &[
        '中', '重', '行', '大', '副', '特', '朗', '普', '京', '习', '近', '平', '俄', '国', '系',
        '给', '家', '解', '的', '和', '会', '关', '美', '选', '举', 'a', 'p', 'x', 'i', ' ', '：',
        'の',
    ];

    fn titles() -> impl Strategy<Value = Vec<String>> {
        let title = prop::collection::vec(prop::sample::select(POOL), 0..10)
            .prop_map(|c| c.into_iter().collect::<String>());
        prop::collection::vec(title, 1..40)
    }

    fn typed() -> impl Strategy<Value = String> {
        let key = prop_oneof![
            4 => prop::sample::select(&['z', 'h', 'o', 'n', 'g', 'x', 'j', 'p', 'i', 'a', 't', 'l'][..]),
            2 => prop::sample::select(POOL),
            1 => prop::sample::select(&['^', '\'', '!', '$'][..]),
        ];
        prop::collection::vec(key, 1..8).prop_map(|c| c.into_iter().collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        /// What the hits before a key carry (their hints, the one-letter lists)
        /// never changes the hits after it.
        #[test]
        fn typing_from_the_hits_before_gives_the_same_hits(titles in titles(), query in typed()) {
            let refs: Vec<&str> = titles.iter().map(String::as_str).collect();
            let index = index(&refs);
            let mut before: Option<(String, Vec<Hit>)> = None;
            let chars: Vec<char> = query.chars().collect();
            for n in 1..=chars.len() {
                let typed: String = chars[..n].iter().collect();
                let hits = index.search_after(&typed, before.as_ref().map(|(q, h)| (q.as_str(), h.as_slice())));
                prop_assert_eq!(&hits, &index.search(&typed), "{:?}", typed);
                let parsed = Query::parse(&typed);
                if !parsed.is_empty() {
                    prop_assert_eq!(&hits, &index.scan(&parsed), "{:?} by a scan", typed);
                }
                before = Some((typed, hits));
            }
        }

        /// Chinese terms are matched by number as they would be as text.
        #[test]
        fn chinese_terms_by_number_match_as_text(titles in titles(), term in prop::collection::vec(prop::sample::select(&POOL[..20]), 1..4)) {
            let refs: Vec<&str> = titles.iter().map(String::as_str).collect();
            let index = index(&refs);
            let term: String = term.into_iter().collect();
            let query = Query::parse(&term);
            for compiled in index.compile(&query) {
                let as_text = Compiled { numbers: None, finder: memmem::Finder::new(compiled.term.text.as_bytes()), chars: compiled.chars.clone(), pinyin: None, ..compiled };
                let as_number = Compiled { pinyin: None, finder: memmem::Finder::new(compiled.term.text.as_bytes()), chars: compiled.chars.clone(), numbers: compiled.numbers.clone(), ..compiled };
                for i in 0..index.len() {
                    let title = index.title(i);
                    let filter = index.filters[i];
                    let text = index.best(i, filter, &as_text, Hint::Unknown).0;
                    let number = index.best(i, filter, &as_number, Hint::Unknown).0;
                    prop_assert_eq!(format!("{text:?}"), format!("{number:?}"), "{:?} in {:?}", term, title);
                }
            }
        }
    }
}

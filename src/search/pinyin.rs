//! Pinyin: every reading of each Chinese character, and Latin queries spelled against them.
//!
//! A query spells a run of consecutive characters when it splits into one group of
//! letters per character, each group starting with the first letter of one of that
//! character's readings and taken from that reading in order. So `pujing`, `pjing`
//! and `pj` all spell 普京, and `zhonge`, `zge` and `ze` spell 中俄; a polyphonic
//! character accepts each of its readings (重庆 is `chongqing` and `zhongqing`).

use std::collections::HashMap;
use std::sync::OnceLock;

use pinyin::ToPinyinMulti;

use super::alphabet::Alphabet;
use super::fold::fold_char;

/// Code points with readings: CJK Extension A and the Unified Ideographs.
const START: u32 = 0x3400;
const END: u32 = 0xA000;

/// How many codes there are: every code is below.
pub const CODES: usize = (END - START) as usize;

/// The code of characters without readings (see [`Readings::code`]).
pub const NO_CODE: u16 = u16::MAX;

/// Longest query tried as pinyin: positions are tracked in a 64-bit set.
pub const MAX_LETTERS: usize = 63;

/// The readings of every folded character, as ids into a list of syllables.
pub struct Readings {
    /// One entry per code point from [`START`].
    entries: Box<[Entry]>,
    ids: Box<[u16]>,
    /// Syllables in lower-case ASCII, ü written `v`.
    syllables: Box<[Syllable]>,
}

/// What the table knows of one character, together, so one look-up fetches it all.
#[derive(Debug, Clone, Copy, Default)]
struct Entry {
    /// Bits of its readings' first letters (see [`letter_bit`]).
    initials: u32,
    /// Bits of all letters of its readings.
    letters: u32,
    /// Where its syllable ids start in [`Readings::ids`], and how many there are.
    start: u32,
    count: u32,
}

/// One syllable, stored inline: the longest (zhuang, shuang, chuang) have six letters.
#[derive(Debug, Clone, Copy)]
struct Syllable {
    letters: [u8; 7],
    len: u8,
}

impl Syllable {
    fn new(spelled: &[u8]) -> Syllable {
        let mut letters = [0; 7];
        let len = spelled.len().min(letters.len());
        letters[..len].copy_from_slice(&spelled[..len]);
        Syllable {
            letters,
            len: len as u8,
        }
    }

    fn as_bytes(&self) -> &[u8] {
        &self.letters[..self.len as usize]
    }
}

/// The readings table, made once from the `pinyin` crate's data.
pub fn readings() -> &'static Readings {
    static READINGS: OnceLock<Readings> = OnceLock::new();
    READINGS.get_or_init(Readings::build)
}

impl Readings {
    fn build() -> Readings {
        let mut interned: HashMap<String, u16> = HashMap::new();
        let mut syllables: Vec<Syllable> = Vec::new();
        let mut per_char: Vec<Vec<u16>> = vec![Vec::new(); (END - START) as usize];
        for cp in START..END {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let Some(multi) = c.to_pinyin_multi() else {
                continue;
            };
            // A traditional character's readings also go to the simplified one it
            // folds to, so that titles (which are folded) keep them: 乾隆 is qianlong.
            let folded = fold_char(c) as u32;
            for p in multi {
                let spelled: String = p
                    .plain()
                    .chars()
                    .map(|l| if l == 'ü' { 'v' } else { l })
                    .filter(char::is_ascii_lowercase)
                    .collect();
                if spelled.is_empty() {
                    continue;
                }
                let next = syllables.len() as u16;
                let id = *interned.entry(spelled).or_insert_with_key(|s| {
                    syllables.push(Syllable::new(s.as_bytes()));
                    next
                });
                for target in [cp, folded] {
                    if !(START..END).contains(&target) {
                        continue;
                    }
                    let list = &mut per_char[(target - START) as usize];
                    if !list.contains(&id) {
                        list.push(id);
                    }
                }
            }
        }
        let mut entries = Vec::with_capacity(per_char.len());
        let mut ids = Vec::new();
        for list in per_char {
            let mut entry = Entry {
                start: ids.len() as u32,
                count: list.len() as u32,
                ..Entry::default()
            };
            for &id in &list {
                let syllable = syllables[id as usize].as_bytes();
                entry.initials |= syllable.first().map_or(0, |&b| letter_bit(b));
                entry.letters |= letters_mask(syllable);
            }
            ids.extend_from_slice(&list);
            entries.push(entry);
        }
        Readings {
            entries: entries.into_boxed_slice(),
            ids: ids.into_boxed_slice(),
            syllables: syllables.into_boxed_slice(),
        }
    }

    /// The code of the folded character `c`: its place in the table, or [`NO_CODE`]
    /// for a character without readings.
    pub fn code(&self, c: char) -> u16 {
        let cp = c as u32;
        if (START..END).contains(&cp) {
            (cp - START) as u16
        } else {
            NO_CODE
        }
    }

    fn entry(&self, code: u16) -> Entry {
        self.entries
            .get(usize::from(code))
            .copied()
            .unwrap_or_default()
    }

    /// The syllable ids of the readings of the character with `code`.
    pub(super) fn ids(&self, code: u16) -> &[u16] {
        let entry = self.entry(code);
        let start = entry.start as usize;
        self.ids
            .get(start..start + entry.count as usize)
            .unwrap_or(&[])
    }

    /// The letters of syllable `id`.
    pub(super) fn syllable(&self, id: u16) -> &[u8] {
        self.syllables
            .get(usize::from(id))
            .map_or(&[], Syllable::as_bytes)
    }

    /// Bit sets of the first letters and of all letters of the readings of `c`.
    pub fn letter_masks(&self, c: char) -> (u32, u32) {
        let entry = self.entry(self.code(c));
        (entry.initials, entry.letters)
    }

    /// The common reading of the folded character `c` (`zhong` for 中), if it has one.
    pub fn common_reading(&self, c: char) -> Option<&[u8]> {
        let id = *self.ids(self.code(c)).first()?;
        Some(self.syllables.get(usize::from(id))?.as_bytes())
    }

    /// The first letter of the common reading of the character with `code`.
    pub fn common_initial(&self, code: u16) -> Option<u8> {
        let id = *self.ids(code).first()?;
        self.syllables
            .get(usize::from(id))?
            .as_bytes()
            .first()
            .copied()
    }
}

/// The bit of a lower-case ASCII letter (0 for anything else).
pub fn letter_bit(b: u8) -> u32 {
    if b.is_ascii_lowercase() {
        1 << (b - b'a')
    } else {
        0
    }
}

pub fn letters_mask(text: &[u8]) -> u32 {
    text.iter().fold(0, |m, &b| m | letter_bit(b))
}

/// Whether `term` (folded) can be tried as pinyin: letters only, not too long.
pub fn is_pinyin_term(term: &str) -> bool {
    !term.is_empty() && term.len() <= MAX_LETTERS && term.bytes().all(|b| b.is_ascii_lowercase())
}

/// A run of characters a query spelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spelled {
    /// Index of the first character of the run in the title.
    pub start: usize,
    /// Number of characters in the run.
    pub len: usize,
    /// Whether each character was spelled with a whole syllable (the last one may be
    /// cut short), rather than with initials or parts.
    pub full: bool,
    /// Whether each character was spelled by its common reading (the first the
    /// table gives), not a rare one: 大 as da, not tai.
    pub common: bool,
    /// Where the first run of the same kind (common or rare) starts, full pinyin
    /// or not: `start` is later when a full-pinyin run comes after it.
    pub first: usize,
}

impl Spelled {
    /// What this says of longer terms (see [`Hint`]).
    pub fn hint(&self) -> Hint {
        Hint::at(self.first, self.common)
    }
}

/// What spelling a term found in one title, kept for the next key typed at the
/// term's end: a longer term spells a run in a title only if this one does, never
/// earlier, and by common readings only if this one does (its spelling begins with
/// one of this term's).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Hint {
    /// Nothing is known.
    #[default]
    Unknown,
    /// The term spells no run in the title.
    Unspelled,
    /// Its first run through common readings starts at this character.
    Common(u16),
    /// It spells no run through common readings; its first run starts here.
    Rare(u16),
}

impl Hint {
    /// A first run from character `first`, through common readings or not
    /// (characters that far into a title say nothing).
    fn at(first: usize, common: bool) -> Hint {
        match u16::try_from(first) {
            Ok(first) if common => Hint::Common(first),
            Ok(first) => Hint::Rare(first),
            Err(_) => Hint::Unknown,
        }
    }

    /// The hint of a one-letter term from the first character whose common reading
    /// starts with the letter and the first whose any reading does.
    pub fn of_letter(common: Option<usize>, rare: Option<usize>) -> Hint {
        match (common, rare) {
            (Some(at), _) => Hint::at(at, true),
            (None, Some(at)) => Hint::at(at, false),
            (None, None) => Hint::Unspelled,
        }
    }
}

/// A Latin query compiled for spelling titles.
pub struct Speller {
    query: Vec<u8>,
    /// Bit of the query's first letter, and bits of all its letters, for the filters.
    pub first: u32,
    pub letters: u32,
    /// Rows of `2 * query.len()` sets, one per syllable and then one per character
    /// whose rare readings add to its common one: in row `r` and for query position
    /// `i`, `rows[r * 2 * query.len() + i]` holds the positions one character read
    /// so can take the spelling to from `i`; after them, the same in full pinyin,
    /// where every character's group is its whole syllable but the last group may
    /// be the start of one (typing is under way).
    rows: Vec<u64>,
    /// By character number (see [`Alphabet`]): its row through its common reading,
    /// and through all its readings; [`DEAD`] when it takes no step at all.
    common: Vec<u16>,
    any: Vec<u16>,
    /// Whether the query splits into syllables at all, so that `full` may match.
    splits: bool,
    /// By character number (see [`Alphabet`]): [`COMMON_START`] when its common
    /// reading starts with the query's first letter, [`RARE_START`] when another
    /// does, and [`RARE_USEFUL`].
    starts: Vec<u8>,
}

/// See [`Speller::starts`].
const COMMON_START: u8 = 1;
const RARE_START: u8 = 2;
/// A character with a rare reading that begins with one of the query's letters.
const RARE_USEFUL: u8 = 4;

/// The row of a character that no spelling goes through (see [`Speller::common`]).
const DEAD: u16 = u16::MAX;

impl Speller {
    /// `None` unless `query` is lower-case ASCII letters, at most [`MAX_LETTERS`];
    /// made for the titles whose characters `alphabet` numbers.
    pub fn new(query: &str, alphabet: &Alphabet) -> Option<Speller> {
        if !is_pinyin_term(query) {
            return None;
        }
        let query = query.as_bytes().to_vec();
        let readings = readings();
        let width = query.len();
        let mut rows = Vec::with_capacity(readings.syllables.len() * 2 * width);
        // Bit i: the first i letters split into whole syllables.
        let mut split = vec![0u64; width];
        for syllable in readings.syllables.iter() {
            let syllable = syllable.as_bytes();
            for i in 0..width {
                let taken = group_len(&query, i, syllable);
                // Any 1..=taken letters from i form a valid group.
                rows.push(((1u64 << taken) - 1) << (i + 1));
            }
            for i in 0..width {
                let rest = &query[i..];
                let step = if rest.starts_with(syllable) {
                    1u64 << (i + syllable.len())
                } else if syllable.starts_with(rest) {
                    1u64 << width
                } else {
                    0
                };
                rows.push(step);
                split[i] |= step;
            }
        }
        // A syllable takes a step only from a position holding its first letter
        // (and a full-pinyin step is a step).
        let live: Vec<bool> = rows
            .chunks(2 * width)
            .map(|row| row[..width].iter().any(|&step| step != 0))
            .collect();
        let live = |id: u16| live.get(usize::from(id)).copied().unwrap_or(false);
        let mut common = Vec::with_capacity(alphabet.len());
        let mut any = Vec::with_capacity(alphabet.len());
        for number in 0..alphabet.len() {
            let ids = alphabet.readings(number as u16);
            common.push(ids.first().copied().filter(|&id| live(id)).unwrap_or(DEAD));
            let mut useful = ids.iter().copied().filter(|&id| live(id));
            any.push(match (useful.next(), useful.next()) {
                (None, _) => DEAD,
                (Some(id), None) => id,
                (Some(_), Some(_)) => {
                    // A row of its own: the union of its readings' rows.
                    let merged = rows.len() / (2 * width);
                    let mut row = vec![0u64; 2 * width];
                    for id in ids.iter().copied().filter(|&id| live(id)) {
                        let at = usize::from(id) * 2 * width;
                        for (set, step) in row.iter_mut().zip(&rows[at..at + 2 * width]) {
                            *set |= step;
                        }
                    }
                    rows.extend_from_slice(&row);
                    u16::try_from(merged)
                        .ok()
                        .filter(|&r| r != DEAD)
                        .unwrap_or(DEAD)
                }
            });
        }
        let mut reach = 1u64;
        for (i, &step) in split.iter().enumerate() {
            if reach & (1 << i) != 0 {
                reach |= step;
            }
        }
        let first = letter_bit(query[0]);
        let letters = letters_mask(&query);
        let starts = (0..alphabet.len())
            .map(|number| {
                let initials = alphabet.initials(number as u16);
                let start = if initials.common & first != 0 {
                    COMMON_START
                } else if initials.rare & first != 0 {
                    RARE_START
                } else {
                    0
                };
                // A rare reading that begins with none of the query's letters
                // never takes a step: only characters with another one can make a
                // run the common readings do not.
                if initials.rare & letters != 0 {
                    start | RARE_USEFUL
                } else {
                    start
                }
            })
            .collect();
        Some(Speller {
            first,
            starts,
            letters,
            query,
            rows,
            common,
            any,
            splits: reach & (1 << width) != 0,
        })
    }

    /// The run of consecutive characters of a title that the query spells: the first
    /// one in full pinyin if there is one, else the first one at all. With `anchored`,
    /// only a run starting at the first character. `letters` are the title's
    /// characters as numbered by the alphabet the speller was made for; `hint` what
    /// the query without its last letters found in the title, if it is known.
    pub fn spell(&self, letters: &[u16], anchored: bool, hint: Hint) -> Option<Spelled> {
        // A run through the characters' common readings is what was meant, wherever
        // it lies: it is looked for first, and a run that needs a rare reading only
        // when there is none. Any full-pinyin run is also a run at all, so it is
        // looked for from where the first run starts, and only when the query splits
        // into syllables (zhonge does, zge does not).
        let (common_from, rare_from) = match hint {
            Hint::Unknown => (Some(0), 0),
            Hint::Unspelled => return None,
            Hint::Common(at) => (Some(usize::from(at)), 0),
            Hint::Rare(at) => (None, usize::from(at)),
        };
        let end = if anchored {
            letters.len().min(1)
        } else {
            letters.len()
        };
        for (common, from) in [(true, common_from), (false, Some(rare_from))] {
            let Some(from) = from else {
                continue;
            };
            // A run through rare readings needs a character with a rare reading
            // that can spell part of the query.
            if !common
                && !letters[from.min(letters.len())..].iter().any(|&n| {
                    self.starts.get(usize::from(n)).copied().unwrap_or(0) & RARE_USEFUL != 0
                })
            {
                return None;
            }
            let run = Run {
                letters,
                common,
                end,
            };
            let Some((first, len, full)) = self.first_run(&run, from, true, self.splits) else {
                continue;
            };
            let spelled = |start: usize, len: usize, full: bool| Spelled {
                start,
                len,
                full,
                common,
                first,
            };
            if full != 0 {
                return Some(spelled(first, full, true));
            }
            if self.splits
                && let Some((start, _, full)) = self.first_run(&run, first + 1, false, true)
            {
                return Some(spelled(start, full, true));
            }
            return Some(spelled(first, len, false));
        }
        None
    }

    /// The first run from character `from` on that spells the query: with `any`,
    /// in any way (and then, with `full`, also whether in full pinyin from there);
    /// without, in full pinyin. Its start, and its lengths spelled each way (0:
    /// not spelled so).
    fn first_run(
        &self,
        run: &Run,
        from: usize,
        any: bool,
        full: bool,
    ) -> Option<(usize, usize, usize)> {
        let wanted = if run.common {
            COMMON_START
        } else {
            COMMON_START | RARE_START
        };
        let letters = run.letters.get(from..run.end)?;
        for (k, &number) in letters.iter().enumerate() {
            if self.starts.get(usize::from(number)).copied().unwrap_or(0) & wanted == 0 {
                continue;
            }
            let (len, len_full) = self.run_from(run, from + k, any, full);
            if (if any { len } else { len_full }) != 0 {
                return Some((from + k, len, len_full));
            }
        }
        None
    }

    /// How many characters from character `start` the whole query spells (with
    /// `any`), and spells in full pinyin (with `full`), 0 when it does not: both
    /// followed at once, a character at a time, until each is known.
    #[inline]
    fn run_from(&self, run: &Run, start: usize, any: bool, full: bool) -> (usize, usize) {
        let width = self.query.len();
        let done = 1u64 << width;
        let table = if run.common { &self.common } else { &self.any };
        // Bit i: the first i letters of the query are spelled by the characters so far.
        let mut reach = u64::from(any);
        let mut reach_full = u64::from(full);
        let (mut spelled, mut spelled_full) = (0, 0);
        for (k, &number) in run.letters.get(start..).unwrap_or(&[]).iter().enumerate() {
            let row = table.get(usize::from(number)).copied().unwrap_or(DEAD);
            if row == DEAD {
                break;
            }
            let at = usize::from(row) * 2 * width;
            let mut next = follow(self.rows.get(at..at + width), reach);
            let mut next_full = follow(self.rows.get(at + width..at + 2 * width), reach_full);
            if next & done != 0 {
                spelled = k + 1;
                next = 0;
            }
            if next_full & done != 0 {
                spelled_full = k + 1;
                next_full = 0;
            }
            if next | next_full == 0 {
                break;
            }
            reach = next;
            reach_full = next_full;
        }
        (spelled, spelled_full)
    }
}

/// Where one character with a reading whose step row is `row` takes a spelling
/// that has reached the query positions in `reach`.
#[inline]
fn follow(row: Option<&[u64]>, mut reach: u64) -> u64 {
    let Some(row) = row else {
        return 0;
    };
    let mut next = 0;
    while reach != 0 {
        next |= row
            .get(reach.trailing_zeros() as usize)
            .copied()
            .unwrap_or(0);
        reach &= reach - 1;
    }
    next
}

/// One title being spelled, and how.
struct Run<'a> {
    letters: &'a [u16],
    /// By each character's common reading only.
    common: bool,
    /// Runs start before this character.
    end: usize,
}

/// The most letters of `query` from `at` that `syllable` can account for: they must
/// start with its first letter and appear in it in order.
fn group_len(query: &[u8], at: usize, syllable: &[u8]) -> usize {
    match (query.get(at), syllable.split_first()) {
        (Some(q), Some((s, rest))) if q == s => {
            let mut taken = 1;
            for &s in rest {
                if query.get(at + taken) == Some(&s) {
                    taken += 1;
                }
            }
            taken
        }
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spell(title: &str, query: &str, anchored: bool) -> Option<Spelled> {
        let mut alphabet = Alphabet::default();
        let letters: Vec<u16> = title.chars().map(|c| alphabet.number(c)).collect();
        Speller::new(query, &alphabet)?.spell(&letters, anchored, Hint::Unknown)
    }

    fn speller(query: &str) -> Option<Speller> {
        Speller::new(query, &Alphabet::default())
    }

    fn spelled(title: &str, query: &str) -> Option<(usize, usize)> {
        spell(title, query, false).map(|s| (s.start, s.len))
    }

    #[test]
    fn full_pinyin_and_initials_spell_the_characters() {
        assert_eq!(spelled("普京访问朝鲜", "pujing"), Some((0, 2)));
        assert_eq!(spelled("普京访问朝鲜", "pj"), Some((0, 2)));
        assert_eq!(spelled("拜登阻数据流向中俄", "zhonge"), Some((7, 2)));
        assert_eq!(spelled("拜登阻数据流向中俄", "zge"), Some((7, 2)));
        assert_eq!(spelled("拜登阻数据流向中俄", "ze"), Some((7, 2)));
    }

    #[test]
    fn a_partly_typed_last_syllable_already_matches() {
        assert_eq!(spelled("普京访问", "pujin"), Some((0, 2)));
        assert_eq!(spelled("普京访问", "pu"), Some((0, 1)));
    }

    #[test]
    fn polyphonic_characters_accept_every_reading() {
        assert_eq!(spelled("重庆火锅", "chongqing"), Some((0, 2)));
        assert_eq!(spelled("重庆火锅", "cq"), Some((0, 2)));
        assert_eq!(spelled("重要会议", "zhongyao"), Some((0, 2)));
        assert_eq!(spelled("银行", "yinhang"), Some((0, 2)));
        assert_eq!(spelled("行走", "xingzou"), Some((0, 2)));
    }

    #[test]
    fn traditional_readings_survive_folding() {
        // 乾 folds to 干, which keeps the reading qian.
        let folded = super::super::fold::fold_str("乾隆");
        assert_eq!(spelled(&folded, "qianlong"), Some((0, 2)));
    }

    #[test]
    fn full_pinyin_is_preferred_and_told_apart() {
        // zhon-g-e spells 中国而 too, but zhong-e spells 中俄 in full.
        let title = "弃中国而去，中俄";
        let s = spell(title, "zhonge", false);
        assert_eq!(s.map(|s| (s.start, s.len, s.full)), Some((6, 2, true)));
        let s = spell("弃中国而去", "zhonge", false);
        assert_eq!(s.map(|s| (s.start, s.len, s.full)), Some((1, 3, false)));
        assert_eq!(spell("普京", "pujin", false).map(|s| s.full), Some(true));
        assert_eq!(spell("普京", "pj", false).map(|s| s.full), Some(false));
        assert!(speller("zhonge").is_some_and(|s| s.splits));
        assert!(speller("zhong").is_some_and(|s| s.splits));
        assert!(speller("zg").is_some_and(|s| !s.splits));
    }

    #[test]
    fn the_characters_must_be_consecutive() {
        assert_eq!(spelled("普通的北京", "pj"), None);
        assert_eq!(spelled("普京", "jp"), None);
        assert_eq!(spelled("apec 普京", "pujingx"), None);
    }

    #[test]
    fn anchored_spelling_starts_at_the_first_character() {
        assert!(spell("普京访问", "pj", true).is_some());
        assert!(spell("访问普京", "pj", true).is_none());
    }

    #[test]
    fn common_readings_come_before_rare_ones() {
        // 大 is da (tai is rare) and 副 is fu (pi is rare): tlp spells 特朗普 by the
        // common readings, 大利副 only by rare ones.
        let s = spell("意大利副总理特朗普", "tlp", false).unwrap();
        assert_eq!((s.start, s.len, s.common), (6, 3, true));
        let s = spell("意大利副总理", "tlp", false).unwrap();
        assert_eq!((s.start, s.len, s.common), (1, 3, false));
        assert!(spell("重庆", "zhongqing", false).unwrap().common);
    }

    #[test]
    fn lu_with_umlaut_is_spelled_v() {
        assert_eq!(spelled("绿色", "lvse"), Some((0, 2)));
    }

    #[test]
    fn letters_of_readings() {
        let (initials, letters) = readings().letter_masks('中');
        assert_eq!(initials, letter_bit(b'z'));
        assert_eq!(letters, letters_mask(b"zhong"));
        assert_eq!(readings().letter_masks('a'), (0, 0));
    }

    /// The readings of `c` as the table gives them, the common one first.
    fn syllables_of(c: char, common: bool) -> Vec<Vec<u8>> {
        let table = readings();
        let ids = table.ids(table.code(c));
        let ids = if common {
            &ids[..ids.len().min(1)]
        } else {
            ids
        };
        ids.iter().map(|&id| table.syllable(id).to_vec()).collect()
    }

    fn is_subsequence(part: &[u8], of: &[u8]) -> bool {
        let mut rest = of.iter();
        part.iter().all(|b| rest.any(|x| x == b))
    }

    /// The fewest characters from `k` on that spell `query[i..]` to its end: the
    /// definition, tried every way.
    fn fewest(
        chars: &[char],
        k: usize,
        query: &[u8],
        i: usize,
        common: bool,
        full: bool,
    ) -> Option<usize> {
        if i == query.len() {
            return Some(0);
        }
        let c = *chars.get(k)?;
        let mut best: Option<usize> = None;
        let mut offer = |n: Option<usize>| {
            if let Some(n) = n {
                best = Some(best.map_or(n, |b| b.min(n)));
            }
        };
        for syllable in syllables_of(c, common) {
            let rest = &query[i..];
            if full {
                if rest.starts_with(&syllable) {
                    offer(
                        fewest(chars, k + 1, query, i + syllable.len(), common, full)
                            .map(|n| n + 1),
                    );
                } else if syllable.starts_with(rest) {
                    offer(Some(1));
                }
            } else if syllable.first() == rest.first() {
                for t in 1..=rest.len() {
                    if is_subsequence(&rest[..t], &syllable) {
                        offer(fewest(chars, k + 1, query, i + t, common, full).map(|n| n + 1));
                    }
                }
            }
        }
        best
    }

    /// What [`Speller::spell`] must answer, found the slow way: (start, len, full, common).
    fn slowly(title: &str, query: &str, anchored: bool) -> Option<(usize, usize, bool, bool)> {
        let chars: Vec<char> = title.chars().collect();
        let query = query.as_bytes();
        let last = if anchored {
            chars.len().min(1)
        } else {
            chars.len()
        };
        for common in [true, false] {
            let first = |full: bool, from: usize| {
                (from..last).find_map(|s| fewest(&chars, s, query, 0, common, full).map(|n| (s, n)))
            };
            if let Some((start, len)) = first(false, 0) {
                return Some(match first(true, start) {
                    Some((start, len)) => (start, len, true, common),
                    None => (start, len, false, common),
                });
            }
        }
        None
    }

    /// Characters with several readings, rare readings that share letters with
    /// common ones, and characters with none.
    const POOL: &[char] = &[
        '中', '重', '行', '长', '大', '副', '特', '朗', '普', '京', '习', '近', '平', '俄', '国',
        '系', '给', '期', '家', '解', '见', '的', '了', '和', '都', '会', '为', '发', '还', '乐',
        '朝', '鲜', '银', '庆', '绿', '色', '总', '理', '意', '利', 'a', 'x', ' ', '：', 'の',
    ];

    fn title() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(POOL), 0..9)
            .prop_map(|c| c.into_iter().collect())
    }

    /// Mostly the readings of characters of the pool, cut and joined, so that many
    /// queries spell something; sometimes any letters.
    fn query() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            (prop::sample::select(POOL), 0..4usize, 1..7usize).prop_map(|(c, which, keep)| {
                let syllables = syllables_of(c, false);
                syllables
                    .get(which % syllables.len().max(1))
                    .map(|s| String::from_utf8_lossy(&s[..keep.min(s.len())]).into_owned())
                    .unwrap_or_default()
            }),
            "[a-z]{1,2}",
        ];
        prop::collection::vec(piece, 1..4)
            .prop_map(|parts| parts.concat())
            .prop_filter("a pinyin term", |q| is_pinyin_term(q) && q.len() <= 12)
    }

    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        #[test]
        fn spelling_agrees_with_the_definition(t in title(), q in query(), anchored in any::<bool>()) {
            let got = spell(&t, &q, anchored).map(|s| (s.start, s.len, s.full, s.common));
            prop_assert_eq!(got, slowly(&t, &q, anchored), "{:?} in {:?}", q, t);
        }

        #[test]
        fn hints_from_a_shorter_term_change_nothing(t in title(), q in query(), more in "[a-z]{1,3}", anchored in any::<bool>()) {
            let mut alphabet = Alphabet::default();
            let letters: Vec<u16> = t.chars().map(|c| alphabet.number(c)).collect();
            let (Some(short), Some(long)) = (Speller::new(&q, &alphabet), Speller::new(&format!("{q}{more}"), &alphabet)) else {
                return Ok(());
            };
            let hint = short.spell(&letters, anchored, Hint::Unknown).map_or(Hint::Unspelled, |s| s.hint());
            prop_assert_eq!(
                long.spell(&letters, anchored, hint),
                long.spell(&letters, anchored, Hint::Unknown),
                "{:?} then {:?} in {:?}", q, more, t
            );
        }
    }
}

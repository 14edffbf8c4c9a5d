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

use super::fold::fold_char;

/// Code points with readings: CJK Extension A and the Unified Ideographs.
const START: u32 = 0x3400;
const END: u32 = 0xA000;

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
    fn ids(&self, code: u16) -> &[u16] {
        let entry = self.entry(code);
        let start = entry.start as usize;
        self.ids
            .get(start..start + entry.count as usize)
            .unwrap_or(&[])
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
}

/// A Latin query compiled for spelling titles.
pub struct Speller {
    query: Vec<u8>,
    /// Bit of the query's first letter, and bits of all its letters, for the filters.
    pub first: u32,
    pub letters: u32,
    /// For syllable `id` and query position `i`, `steps[id * query.len() + i]`: the
    /// positions one character with that reading can take the spelling to from `i`.
    steps: Vec<u64>,
    /// The same when every character's group is its whole syllable, but the last
    /// group may be the start of one (typing is under way): full pinyin.
    full: Vec<u64>,
    /// Whether the query splits into syllables at all, so that `full` may match.
    splits: bool,
}

impl Speller {
    /// `None` unless `query` is lower-case ASCII letters, at most [`MAX_LETTERS`].
    pub fn new(query: &str) -> Option<Speller> {
        if !is_pinyin_term(query) {
            return None;
        }
        let query = query.as_bytes().to_vec();
        let readings = readings();
        let width = query.len();
        let mut steps = Vec::with_capacity(readings.syllables.len() * width);
        let mut full = Vec::with_capacity(readings.syllables.len() * width);
        // Bit i: the first i letters split into whole syllables.
        let mut split = vec![0u64; width];
        for syllable in readings.syllables.iter() {
            let syllable = syllable.as_bytes();
            for i in 0..width {
                let taken = group_len(&query, i, syllable);
                // Any 1..=taken letters from i form a valid group.
                steps.push(((1u64 << taken) - 1) << (i + 1));
                let rest = &query[i..];
                let step = if rest.starts_with(syllable) {
                    1u64 << (i + syllable.len())
                } else if syllable.starts_with(rest) {
                    1u64 << width
                } else {
                    0
                };
                full.push(step);
                split[i] |= step;
            }
        }
        let mut reach = 1u64;
        for (i, &step) in split.iter().enumerate() {
            if reach & (1 << i) != 0 {
                reach |= step;
            }
        }
        Some(Speller {
            first: letter_bit(query[0]),
            letters: letters_mask(&query),
            query,
            steps,
            full,
            splits: reach & (1 << width) != 0,
        })
    }

    /// The run of consecutive characters of a title that the query spells: the first
    /// one in full pinyin if there is one, else the first one at all. With `anchored`,
    /// only a run starting at the first character. `codes` are the title's characters
    /// as [`Readings::code`]s, which spare decoding and looking up the text again.
    pub fn spell(&self, codes: &[u16], initials: &[u32], anchored: bool) -> Option<Spelled> {
        // A run through the characters' common readings is what was meant, wherever
        // it lies: it is looked for first, and a run that needs a rare reading only
        // when there is none. Any full-pinyin run is also a run at all, so it is
        // looked for only in the titles that match, from where the first run starts,
        // and only when the query splits into syllables (zhonge does, zge does not).
        for common in [true, false] {
            let Some(any) = self.first_run(codes, initials, anchored, &self.steps, 0, common)
            else {
                continue;
            };
            let any = Spelled { common, ..any };
            if !self.splits {
                return Some(any);
            }
            return Some(
                self.first_run(codes, initials, anchored, &self.full, any.start, common)
                    .map_or(any, |full| Spelled {
                        full: true,
                        common,
                        ..full
                    }),
            );
        }
        None
    }

    /// The first run of characters from character `from` on that spells the query by
    /// the step table `steps`; with `common`, by each character's common reading only.
    fn first_run(
        &self,
        codes: &[u16],
        initials: &[u32],
        anchored: bool,
        steps: &[u64],
        from: usize,
        common: bool,
    ) -> Option<Spelled> {
        let readings = readings();
        let last = if anchored { 1 } else { codes.len() };
        (from..last.min(codes.len())).find_map(|start| {
            if initials.get(start).copied().unwrap_or(0) & self.first == 0 {
                return None;
            }
            let len = self.run_from(readings, &codes[start..], steps, common)?;
            Some(Spelled {
                start,
                len,
                full: false,
                common,
            })
        })
    }

    /// How many characters from the start of `codes` the whole query spells, if it does.
    fn run_from(
        &self,
        readings: &Readings,
        codes: &[u16],
        steps: &[u64],
        common: bool,
    ) -> Option<usize> {
        let width = self.query.len();
        let done = 1u64 << width;
        // Bit i: the first i letters of the query are spelled by the characters so far.
        let mut reach = 1u64;
        for (k, &code) in codes.iter().enumerate() {
            let mut next = 0u64;
            let ids = readings.ids(code);
            let ids = if common {
                &ids[..ids.len().min(1)]
            } else {
                ids
            };
            for &id in ids {
                let row = &steps[id as usize * width..][..width];
                let mut from = reach;
                while from != 0 {
                    next |= row[from.trailing_zeros() as usize];
                    from &= from - 1;
                }
            }
            if next & done != 0 {
                return Some(k + 1);
            }
            if next == 0 {
                return None;
            }
            reach = next;
        }
        None
    }
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
        let codes: Vec<u16> = title.chars().map(|c| readings().code(c)).collect();
        let initials: Vec<u32> = title
            .chars()
            .map(|c| readings().letter_masks(c).0)
            .collect();
        Speller::new(query)?.spell(&codes, &initials, anchored)
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
        assert!(Speller::new("zhonge").is_some_and(|s| s.splits));
        assert!(Speller::new("zhong").is_some_and(|s| s.splits));
        assert!(Speller::new("zg").is_some_and(|s| !s.splits));
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
}

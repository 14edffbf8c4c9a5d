//! The distinct characters of an index's titles, numbered densely, with what pinyin spelling needs of each.
//!
//! Titles are kept as these numbers, so spelling a title reads two bytes per
//! character and looks the rest up in tables small enough to stay in cache, where
//! the pinyin table of every code point would not.

use super::pinyin::{CODES, letter_bit, readings};
use super::rank::is_han;

/// The number of every character without readings after which a Chinese character
/// starts a word (spaces, punctuation, Latin letters, digits).
pub const BREAK: u16 = 0;
/// The number of every other character without readings (kana, say), which a
/// Chinese character after it continues.
pub const JOIN: u16 = 1;

/// The first letters of one character's readings, as bits (see [`letter_bit`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct Initials {
    pub all: u32,
    /// Of its common reading.
    pub common: u32,
    /// Of its other readings.
    pub rare: u32,
}

/// The characters seen so far, numbered in order of appearance after the two
/// classes above.
pub struct Alphabet {
    /// The number of each character of the pinyin table by its code; 0: not seen.
    numbers: Vec<u16>,
    /// By number: where its syllable ids start in `syllables`, and how many there
    /// are (its common reading first).
    spans: Vec<(u32, u32)>,
    /// By number: the first letters of its readings.
    initials: Vec<Initials>,
    /// By number: whether a Chinese character after it starts a word.
    breaks: Vec<bool>,
    syllables: Vec<u16>,
}

impl Default for Alphabet {
    fn default() -> Self {
        Alphabet {
            numbers: vec![0; CODES],
            spans: vec![(0, 0); 2],
            initials: vec![Initials::default(); 2],
            breaks: vec![true, false],
            syllables: Vec::new(),
        }
    }
}

impl Alphabet {
    /// The number of the folded character `c`, which is given one if it has none yet.
    pub fn number(&mut self, c: char) -> u16 {
        let readings = readings();
        let code = readings.code(c);
        let Some(slot) = self.numbers.get(usize::from(code)).copied() else {
            return if breaks_before_han(c) { BREAK } else { JOIN };
        };
        if slot != 0 {
            return slot;
        }
        let Ok(number) = u16::try_from(self.spans.len()) else {
            // More distinct characters than numbers: never with the table's codes.
            return JOIN;
        };
        let ids = readings.ids(code);
        self.spans
            .push((self.syllables.len() as u32, ids.len() as u32));
        self.syllables.extend_from_slice(ids);
        let first = |id: &u16| readings.syllable(*id).first().copied();
        let common = ids.first().and_then(first).map_or(0, letter_bit);
        let rare = ids
            .iter()
            .skip(1)
            .filter_map(first)
            .fold(0, |m, b| m | letter_bit(b));
        self.initials.push(Initials {
            all: common | rare,
            common,
            rare,
        });
        self.breaks.push(breaks_before_han(c));
        self.numbers[usize::from(code)] = number;
        number
    }

    /// The number of the folded character `c` if it is a Chinese character already
    /// numbered (characters of the two classes have none of their own).
    pub fn find(&self, c: char) -> Option<u16> {
        let code = readings().code(c);
        self.numbers
            .get(usize::from(code))
            .copied()
            .filter(|&number| number != 0)
    }

    /// How many numbers are given (the two classes included).
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// The syllable ids of the readings of character `number`, the common one first.
    pub fn readings(&self, number: u16) -> &[u16] {
        let (start, count) = self
            .spans
            .get(usize::from(number))
            .copied()
            .unwrap_or_default();
        self.syllables
            .get(start as usize..(start + count) as usize)
            .unwrap_or(&[])
    }

    /// The first letters of character `number`'s readings.
    pub fn initials(&self, number: u16) -> Initials {
        self.initials
            .get(usize::from(number))
            .copied()
            .unwrap_or_default()
    }

    /// Whether a Chinese character after character `number` starts a word.
    pub fn breaks(&self, number: u16) -> bool {
        self.breaks
            .get(usize::from(number))
            .copied()
            .unwrap_or(true)
    }

    /// Heap memory held, in bytes.
    pub fn memory_bytes(&self) -> usize {
        self.numbers.capacity() * 2
            + self.spans.capacity() * 8
            + self.initials.capacity() * std::mem::size_of::<Initials>()
            + self.breaks.capacity()
            + self.syllables.capacity() * 2
    }
}

/// Whether a Chinese character right after `c` starts a word, as
/// [`super::rank::at_boundary`] decides.
fn breaks_before_han(c: char) -> bool {
    let alphanumeric = if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphanumeric()
    };
    !alphanumeric || !is_han(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_are_numbered_once_in_order() {
        let mut alphabet = Alphabet::default();
        let a = alphabet.number('中');
        let b = alphabet.number('俄');
        assert_eq!((a, b), (2, 3));
        assert_eq!(alphabet.number('中'), a);
        assert_eq!(alphabet.number(' '), BREAK);
        assert_eq!(alphabet.number('a'), BREAK);
        assert_eq!(alphabet.number('の'), JOIN);
        assert_eq!(alphabet.len(), 4);
        assert!(!alphabet.readings(a).is_empty());
        assert!(alphabet.readings(BREAK).is_empty());
        let initials = alphabet.initials(a);
        assert_eq!(initials.common, letter_bit(b'z'));
        assert_eq!(initials.all & initials.common, initials.common);
        // 行 is xing, and hang less often.
        let xing = alphabet.number('行');
        let initials = alphabet.initials(xing);
        assert_eq!(initials.common, letter_bit(b'x'));
        assert_eq!(initials.rare & letter_bit(b'h'), letter_bit(b'h'));
    }

    #[test]
    fn word_breaks_agree_with_the_ranking() {
        for text in ["中俄", "a中", " 中", "の中", "：中", "中国中", "䷀中", "1中"] {
            let mut alphabet = Alphabet::default();
            let (at, _) = text.char_indices().last().unwrap_or_default();
            let prev = text[..at].chars().next_back().unwrap_or(' ');
            let number = alphabet.number(prev);
            assert_eq!(
                alphabet.breaks(number),
                super::super::rank::at_boundary(text, at),
                "{text}"
            );
        }
    }
}

//! Postings: for each Chinese character, the titles that contain it and where, so that a one-character query (every search's first keystroke) is answered without reading a title.

use super::rank;

/// Characters with postings: CJK Extension A and the Unified Ideographs (titles are
/// folded, so traditional characters appear as their simplified forms).
const START: u32 = 0x3400;
const END: u32 = 0xA000;

/// One title that contains a character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posting {
    pub title: u32,
    /// Character index of the occurrence the title search would pick: the first one
    /// at a boundary, else the first one (capped at `u16::MAX`, far past where the
    /// position stops counting in the score).
    pub start: u16,
    pub boundary: bool,
}

/// Postings lists, indexed by code point.
pub struct Postings {
    lists: Vec<Vec<Posting>>,
}

impl Postings {
    pub fn new() -> Postings {
        Postings {
            lists: vec![Vec::new(); (END - START) as usize],
        }
    }

    /// Records title number `title`, already folded. Titles must come in order.
    pub fn add(&mut self, title: u32, text: &str) {
        for (k, (at, c)) in text.char_indices().enumerate() {
            let Some(list) = self.list_mut(c) else {
                continue;
            };
            let boundary = rank::at_boundary(text, at);
            let start = u16::try_from(k).unwrap_or(u16::MAX);
            match list.last_mut() {
                Some(p) if p.title == title => {
                    if boundary && !p.boundary {
                        *p = Posting {
                            title,
                            start,
                            boundary,
                        };
                    }
                }
                _ => list.push(Posting {
                    title,
                    start,
                    boundary,
                }),
            }
        }
    }

    /// The titles that contain the folded character `c`, in order; `None` when `c` has
    /// no postings kept (anything but a Chinese character).
    pub fn of(&self, c: char) -> Option<&[Posting]> {
        let cp = c as u32;
        (START..END)
            .contains(&cp)
            .then(|| self.lists[(cp - START) as usize].as_slice())
    }

    fn list_mut(&mut self, c: char) -> Option<&mut Vec<Posting>> {
        let cp = c as u32;
        if (START..END).contains(&cp) {
            Some(&mut self.lists[(cp - START) as usize])
        } else {
            None
        }
    }

    pub fn memory_bytes(&self) -> usize {
        self.lists.capacity() * std::mem::size_of::<Vec<Posting>>()
            + self
                .lists
                .iter()
                .map(|l| l.capacity() * std::mem::size_of::<Posting>())
                .sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_title_once_at_its_best_occurrence() {
        let mut postings = Postings::new();
        postings.add(0, "中国：中俄");
        postings.add(1, "美中");
        postings.add(2, "apec");
        let list = postings.of('中').unwrap_or_default();
        assert_eq!(
            list,
            [
                Posting {
                    title: 0,
                    start: 0,
                    boundary: true
                },
                Posting {
                    title: 1,
                    start: 1,
                    boundary: false
                },
            ]
        );
        assert_eq!(postings.of('俄').map(<[Posting]>::len), Some(1));
        assert_eq!(postings.of('a'), None);
        assert_eq!(postings.of('京'), Some(&[][..]));
    }
}

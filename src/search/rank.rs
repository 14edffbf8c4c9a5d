//! Ranking tiers: contiguous beats scattered, a match at the start or after punctuation beats one inside.
//!
//! A term's score is its tier times [`TIER`] plus a score inside the tier, which is
//! always below [`TIER`], so no bonus inside a tier can lift a match past a better
//! tier. Fuzzy matches are scored inside their tier by `fuzzy-matcher`'s Skim
//! algorithm; contiguous ones by where they start and how long the title is.

/// Size of one tier.
pub const TIER: i64 = 1 << 24;

/// The kinds of match, worst to best.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tier {
    /// The characters in order, close together, with gaps.
    Scattered = 1,
    /// Contiguous (the text itself, or consecutive characters spelled in pinyin).
    Contiguous = 2,
    /// Contiguous, at the start of the title or right after a space or punctuation.
    Boundary = 3,
}

/// At most this many characters may lie between two consecutive characters of a
/// fuzzy match: a query's characters spread over a long title are noise, not a match.
pub const MAX_GAP: usize = 4;

/// Score of a contiguous match of the query's own text starting at character `start`
/// of a title of `title_len` characters: earlier and in shorter titles is better, and
/// the text as typed beats the same place spelled in pinyin.
pub fn contiguous(boundary: bool, start: usize, title_len: usize) -> i64 {
    placed(boundary, start, title_len) + 256
}

/// Score of a pinyin match of `chars` characters from `start`: like a contiguous one,
/// plus a bonus for full pinyin and a little for every letter typed per character.
/// A match that needs a rare reading of a character (`common` false) ranks below
/// every contiguous match through common readings, above any scattered one.
pub fn spelled(
    boundary: bool,
    start: usize,
    chars: usize,
    letters: usize,
    full: bool,
    common: bool,
    title_len: usize,
) -> i64 {
    let score = placed(boundary, start, title_len)
        + if full { 128 } else { 0 }
        + (8 * letters / chars.max(1)).min(64) as i64;
    if common {
        score
    } else {
        // Below the contiguous tier, whatever the boundary.
        Tier::Contiguous as i64 * TIER - RARE + (score % TIER) / 2
    }
}

/// How far below the contiguous tier a match through a rare reading lies (more than
/// any score inside a tier, so none catches up; far less than a tier).
const RARE: i64 = 1 << 16;

/// The tier of a contiguous match and how early it starts in how short a title.
fn placed(boundary: bool, start: usize, title_len: usize) -> i64 {
    let tier = if boundary {
        Tier::Boundary
    } else {
        Tier::Contiguous
    };
    tier as i64 * TIER + 4096 - 16 * start.min(200) as i64 - title_len.min(500) as i64
}

/// Score of a scattered match whose span (see [`compact_span`]) the Skim algorithm
/// scored `skim`.
pub fn scattered(skim: i64) -> i64 {
    // The lower half of the tier: matches through rare readings sit above.
    Tier::Scattered as i64 * TIER + skim.clamp(0, TIER / 2 - 1)
}

/// Whether a match starting at byte `at` of `text` starts the text, follows a space or
/// punctuation, or starts a word of another script (AI in 中国AI芯片).
pub fn at_boundary(text: &str, at: usize) -> bool {
    let Some(prev) = text[..at].chars().next_back() else {
        return true;
    };
    let next = text[at..].chars().next();
    // Chinese ideographs are alphanumeric: asked first, the Unicode tables are
    // looked up only for other characters (this runs for every pinyin match).
    let ideograph = matches!(prev as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF);
    let alphanumeric = ideograph
        || if prev.is_ascii() {
            prev.is_ascii_alphanumeric()
        } else {
            prev.is_alphanumeric()
        };
    !alphanumeric || next.is_some_and(|next| is_han(prev) != is_han(next))
}

/// Whether `c` belongs to the wide East Asian scripts (Chinese characters, kana).
pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

/// The byte range of a compact match of `query` in `text`: `query`'s characters in
/// order with at most [`MAX_GAP`] characters between consecutive ones. Of all such
/// matches, the one that ends first, each character taken as late as possible.
pub fn compact_span(text: &str, query: &[char]) -> Option<std::ops::Range<usize>> {
    let m = query.len();
    if m == 0 || m > 64 {
        return None;
    }
    // last[j]: index of the latest character that ends a valid match of query[..=j],
    // and from[j]: the byte where that match starts. The latest is always the best one
    // to continue from, as gaps only limit distance.
    let mut last = [usize::MAX; 64];
    let mut from = [0usize; 64];
    for (i, (at, c)) in text.char_indices().enumerate() {
        for j in (0..m).rev() {
            if query[j] == c && (j == 0 || reaches(last[j - 1], i)) {
                last[j] = i;
                from[j] = if j == 0 { at } else { from[j - 1] };
                if j == m - 1 {
                    return Some(from[j]..at + c.len_utf8());
                }
            }
        }
    }
    None
}

/// [`compact_span`] over items (a title's characters as numbers): the range of
/// item indices.
pub fn compact_span_of<T: PartialEq>(items: &[T], query: &[T]) -> Option<std::ops::Range<usize>> {
    let m = query.len();
    if m == 0 || m > 64 {
        return None;
    }
    let mut last = [usize::MAX; 64];
    let mut from = [0usize; 64];
    for (i, item) in items.iter().enumerate() {
        for j in (0..m).rev() {
            if query[j] == *item && (j == 0 || reaches(last[j - 1], i)) {
                last[j] = i;
                from[j] = if j == 0 { i } else { from[j - 1] };
                if j == m - 1 {
                    return Some(from[j]..i + 1);
                }
            }
        }
    }
    None
}

/// The character indices of the tightest compact match of `query` in `text`: the one
/// that ends first, each character taken as late as the gaps allow.
pub fn compact_positions(text: &str, query: &[char]) -> Option<Vec<usize>> {
    let chars: Vec<char> = text.chars().collect();
    let m = query.len();
    if m == 0 {
        return None;
    }
    // ok[j][i]: query[..=j] can end at character i.
    let mut ok = vec![vec![false; chars.len()]; m];
    for (i, &c) in chars.iter().enumerate() {
        ok[0][i] = c == query[0];
    }
    for j in 1..m {
        let mut last = usize::MAX;
        for (i, &c) in chars.iter().enumerate() {
            ok[j][i] = c == query[j] && reaches(last, i);
            if ok[j - 1][i] {
                last = i;
            }
        }
    }
    let end = ok[m - 1].iter().position(|&b| b)?;
    let mut positions = vec![end];
    for j in (0..m - 1).rev() {
        let next = positions[positions.len() - 1];
        let prev = (next.saturating_sub(MAX_GAP + 1)..next)
            .rev()
            .find(|&i| ok[j][i])?;
        positions.push(prev);
    }
    positions.reverse();
    Some(positions)
}

/// Sorts `keys` (a score's complement in the upper 32 bits, an article in the lower
/// ones) by their upper halves, keeping the order of equal ones: a radix sort, one pass
/// per byte that differs among the keys, which beats a comparison sort on the tens of
/// thousands of hits a one-character query gets.
pub fn sort_keys(keys: &mut Vec<u64>, scratch: &mut Vec<u64>) {
    let Some(&first) = keys.first() else { return };
    let differ = keys.iter().fold(0u64, |d, &k| d | (k ^ first));
    scratch.resize(keys.len(), 0);
    for shift in (32..64).step_by(8) {
        if (differ >> shift) & 0xFF == 0 {
            continue;
        }
        let mut counts = [0usize; 257];
        for &k in keys.iter() {
            counts[((k >> shift) & 0xFF) as usize + 1] += 1;
        }
        for b in 0..256 {
            counts[b + 1] += counts[b];
        }
        for &k in keys.iter() {
            let b = ((k >> shift) & 0xFF) as usize;
            scratch[counts[b]] = k;
            counts[b] += 1;
        }
        std::mem::swap(keys, scratch);
    }
}

/// Whether a match ending at character `prev` may continue at character `next`.
fn reaches(prev: usize, next: usize) -> bool {
    prev != usize::MAX && prev < next && next - prev - 1 <= MAX_GAP
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries_are_as_the_unicode_tables_say() {
        let slow = |text: &str, at: usize| {
            let Some(prev) = text[..at].chars().next_back() else {
                return true;
            };
            let next = text[at..].chars().next();
            !prev.is_alphanumeric() || next.is_some_and(|next| is_han(prev) != is_han(next))
        };
        for text in [
            "中俄。关系",
            "「中」国",
            "a中b",
            "ab",
            "日本・東京",
            "かな漢字",
            "x，y",
            "㐀中",
        ] {
            for (at, _) in text.char_indices() {
                assert_eq!(at_boundary(text, at), slow(text, at), "{text:?} at {at}");
            }
        }
    }

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn tiers_never_overlap() {
        let worst_contiguous = contiguous(false, 10_000, 10_000);
        let best_scattered = scattered(i64::MAX);
        assert!(worst_contiguous > best_scattered);
        assert!(contiguous(true, 10_000, 10_000) > contiguous(false, 0, 0));
        assert!(spelled(false, 0, 1, 63, true, true, 0) < contiguous(true, 10_000, 10_000));
        assert!(spelled(true, 0, 1, 63, true, true, 0) < contiguous(true, 0, 0));
        // A rare reading: below every common contiguous match, above any scattered one.
        let rare_best = spelled(true, 0, 1, 63, true, false, 0);
        assert!(rare_best < worst_contiguous);
        assert!(spelled(false, 10_000, 1, 1, false, false, 10_000) > best_scattered);
    }

    #[test]
    fn boundaries_are_the_start_spaces_and_punctuation() {
        let t = "美国：中俄 关系,apec";
        assert!(at_boundary(t, 0));
        assert!(at_boundary(t, t.find("中").unwrap_or(0)));
        assert!(at_boundary(t, t.find("关").unwrap_or(0)));
        assert!(at_boundary(t, t.find("apec").unwrap_or(0)));
        assert!(!at_boundary(t, t.find("国").unwrap_or(0)));
        assert!(!at_boundary(t, t.find("俄").unwrap_or(0)));
        let mixed = "中国AI芯片";
        assert!(at_boundary(mixed, mixed.find("AI").unwrap_or(0)));
        assert!(at_boundary(mixed, mixed.find("芯").unwrap_or(0)));
        assert!(!at_boundary(mixed, mixed.find("I").unwrap_or(0)));
    }

    fn span<'t>(text: &'t str, query: &str) -> Option<&'t str> {
        compact_span(text, &chars(query)).map(|r| &text[r])
    }

    #[test]
    fn compact_allows_small_gaps_only() {
        assert_eq!(
            span("两国：中国与俄罗斯的关系", "中俄关系"),
            Some("中国与俄罗斯的关系")
        );
        assert_eq!(span("中俄", "中俄"), Some("中俄"));
        assert_eq!(span("中国经济在今年增长放缓俄", "中俄"), None);
        assert_eq!(span("俄中", "中俄"), None);
        // The first 中 is too far from 俄, the second is close enough.
        assert_eq!(span("中一二三四五六中七俄", "中俄"), Some("中七俄"));
        assert_eq!(span("apple pie", "ape"), Some("apple"));
    }

    #[test]
    fn keys_sort_by_their_upper_half_and_keep_the_order_of_ties() {
        let key = |score: u32, article: u32| u64::from(score) << 32 | u64::from(article);
        let mut keys = vec![
            key(3, 0),
            key(1, 1),
            key(0x300, 2),
            key(1, 3),
            key(3, 4),
            key(0, 5),
        ];
        let mut expected = keys.clone();
        expected.sort_by_key(|k| k >> 32);
        sort_keys(&mut keys, &mut Vec::new());
        assert_eq!(keys, expected);
        let mut empty = Vec::new();
        sort_keys(&mut empty, &mut Vec::new());
        assert!(empty.is_empty());
    }

    #[test]
    fn compact_positions_are_the_tightest_match() {
        assert_eq!(
            compact_positions("中一二三四五六中七俄", &chars("中俄")),
            Some(vec![7, 9])
        );
        assert_eq!(
            compact_positions("中国与俄罗斯的关系", &chars("中俄关系")),
            Some(vec![0, 3, 7, 8])
        );
        assert_eq!(compact_positions("中国", &chars("中俄")), None);
        assert_eq!(compact_positions("aab", &chars("ab")), Some(vec![1, 2]));
    }
}

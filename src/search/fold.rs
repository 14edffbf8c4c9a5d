//! Folding: the one form titles, bodies and queries are compared in (lower case, half-width, simplified).
//!
//! Every character folds to exactly one character, so a character index means the
//! same place in the folded and the original text: the map back to the original for
//! highlighting is the identity, and nothing needs to be stored for it.

use std::sync::OnceLock;

/// First code point of the traditional → simplified table (CJK Extension A).
const TABLE_START: u32 = 0x3400;
/// One past the last code point of the table (end of the CJK Compatibility Ideographs).
const TABLE_END: u32 = 0xFB00;

/// The folded form of `c`: lower case, half-width, simplified Chinese, and every
/// kind of white space as a plain space.
pub fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let cp = c as u32;
    match cp {
        // Full-width ASCII (！ to ～) sits at a fixed offset from ASCII.
        0xFF01..=0xFF5E => char::from_u32(cp - 0xFEE0).map_or(c, |h| h.to_ascii_lowercase()),
        TABLE_START..TABLE_END => t2s_table()[(cp - TABLE_START) as usize],
        _ if c.is_whitespace() => ' ',
        _ => single_lowercase(c),
    }
}

/// `text` folded character by character.
pub fn fold_str(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

/// The lower-case form of `c` when it is a single character, else `c` itself (so
/// that folding never changes the number of characters).
fn single_lowercase(c: char) -> char {
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// Traditional → simplified for every code point from [`TABLE_START`] to [`TABLE_END`],
/// made once from the `fast2s` crate's character table.
fn t2s_table() -> &'static [char] {
    static TABLE: OnceLock<Box<[char]>> = OnceLock::new();
    TABLE.get_or_init(build_t2s_table)
}

fn build_t2s_table() -> Box<[char]> {
    // Surrogate code points are no characters: an 'x' holds their places.
    let originals: Vec<char> = (TABLE_START..TABLE_END)
        .map(|cp| char::from_u32(cp).unwrap_or('x'))
        .collect();
    // One call over all characters, each between spaces: fast2s converts character
    // by character except for a few two-character words, which spaces rule out, so
    // the result is the context-free mapping and has one character per input one.
    let mut joined = String::with_capacity(originals.len() * 4);
    for &c in &originals {
        joined.push(c);
        joined.push(' ');
    }
    let converted: Vec<char> = fast2s::convert(&joined)
        .chars()
        .filter(|&c| c != ' ')
        .collect();
    let mut table: Vec<char> = if converted.len() == originals.len() {
        converted
    } else {
        originals.clone()
    };
    // Make folding idempotent: a simplified character that the table maps on again
    // (a chain like A → B → C) folds straight to the end of its chain.
    for i in 0..table.len() {
        let mut c = table[i];
        for _ in 0..4 {
            let next = lookup(&table, c);
            if next == c {
                break;
            }
            c = next;
        }
        table[i] = c;
    }
    table.into_boxed_slice()
}

fn lookup(table: &[char], c: char) -> char {
    let cp = c as u32;
    if (TABLE_START..TABLE_END).contains(&cp) {
        table[(cp - TABLE_START) as usize]
    } else {
        c
    }
}

/// Every character that folds to `folded` (itself included when it folds to itself),
/// for searching raw text for a folded query.
pub fn variants(folded: char) -> Vec<char> {
    let mut out = Vec::new();
    let mut push = |c: char| {
        if fold_char(c) == folded && !out.contains(&c) {
            out.push(c);
        }
    };
    push(folded);
    for u in folded.to_uppercase() {
        push(u);
    }
    if folded.is_ascii_graphic() {
        let wide = |c: char| char::from_u32(c as u32 + 0xFEE0);
        if let Some(w) = wide(folded) {
            push(w);
        }
        if let Some(w) = wide(folded.to_ascii_uppercase()) {
            push(w);
        }
    }
    if folded == ' ' {
        for c in ['\t', '\n', '\r', '\u{a0}', '\u{3000}'] {
            push(c);
        }
    }
    if let Some(traditional) = traditional_of().get(&folded) {
        for &t in traditional {
            push(t);
        }
    }
    out
}

/// For each simplified character, the characters of the table that fold to it.
fn traditional_of() -> &'static std::collections::HashMap<char, Vec<char>> {
    static INVERSE: OnceLock<std::collections::HashMap<char, Vec<char>>> = OnceLock::new();
    INVERSE.get_or_init(|| {
        let mut inverse: std::collections::HashMap<char, Vec<char>> =
            std::collections::HashMap::new();
        for (i, &to) in t2s_table().iter().enumerate() {
            let Some(from) = char::from_u32(TABLE_START + i as u32) else {
                continue;
            };
            if from != to {
                inverse.entry(to).or_default().push(from);
            }
        }
        inverse
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_and_width_fold_to_ascii_lower_case() {
        assert_eq!(fold_str("ＡＰＥＣ１２"), "apec12");
        assert_eq!(fold_str("APEC12"), "apec12");
        assert_eq!(fold_str("Ｎｖｉｄｉａ：ＡＩ"), "nvidia:ai");
        assert_eq!(fold_str("ÉCOLE"), "école");
    }

    #[test]
    fn traditional_folds_to_simplified() {
        assert_eq!(fold_str("關係"), "关系");
        assert_eq!(fold_str("关系"), "关系");
        assert_eq!(fold_str("臺灣與中國"), "台湾与中国");
        assert_eq!(fold_str("習近平"), "习近平");
        assert_eq!(fold_str("反間諜法"), "反间谍法");
    }

    #[test]
    fn white_space_folds_to_a_plain_space() {
        assert_eq!(fold_str("蔡奇\u{3000}学者\u{a0}x"), "蔡奇 学者 x");
    }

    #[test]
    fn folding_keeps_the_character_count() {
        for s in [
            "ＡＰＥＣ１２",
            "關係　中國",
            "İstanbul",
            "ß and ﬁ",
            "😀 emoji",
        ] {
            assert_eq!(fold_str(s).chars().count(), s.chars().count(), "{s}");
        }
    }

    #[test]
    fn folding_is_idempotent_over_the_whole_table() {
        for cp in (TABLE_START..TABLE_END).chain(0xFF00..0xFF70) {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let once = fold_char(c);
            assert_eq!(fold_char(once), once, "{c} → {once}");
        }
    }

    #[test]
    fn variants_are_every_spelling_that_folds_alike() {
        let a = variants('a');
        for c in ['a', 'A', 'ａ', 'Ａ'] {
            assert!(a.contains(&c), "{c} in {a:?}");
        }
        let guan = variants('关');
        assert!(guan.contains(&'关') && guan.contains(&'關'), "{guan:?}");
        assert!(variants('系').contains(&'係'));
        assert!(variants(' ').contains(&'\u{3000}'));
    }
}

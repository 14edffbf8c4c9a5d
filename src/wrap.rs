//! Display-width-aware line wrapping and truncation for mixed Chinese/Japanese/Korean and Latin text.
//!
//! Text is measured in *units*: a base character together with the zero-width characters that
//! follow it (combining marks, variation selectors, joiners) and, for emoji, whole ZWJ sequences,
//! modifier sequences and flags. Units are never split. Lines break at whitespace, around CJK and
//! other wide characters, and after a hyphen inside a Latin word; a closing mark never starts a
//! line and an opening mark never ends one (kinsoku) unless the width leaves no other way.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

const ZWJ: char = '\u{200D}';

const SPACE: u8 = 1;
const WIDE: u8 = 1 << 1;
const CLOSING: u8 = 1 << 2;
const OPENING: u8 = 1 << 3;
const HYPHEN: u8 = 1 << 4;
const ALNUM: u8 = 1 << 5;
/// The unit ends with a zero width space: a break is allowed after it.
const BREAK_AFTER: u8 = 1 << 6;
/// The unit ends with a word joiner: no natural break after it.
const NO_BREAK_AFTER: u8 = 1 << 7;

/// One unbreakable piece of text: `start..end` in bytes, `width` in columns.
#[derive(Clone, Copy, Debug)]
struct Unit {
    start: usize,
    end: usize,
    width: usize,
    flags: u8,
}

impl Unit {
    fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }
}

/// Whether characters of ambiguous East Asian width (“ ” … — · and the like) take two
/// columns, as they do in some CJK terminals. One switch for the whole process: the
/// terminal is one.
static AMBIGUOUS_WIDE: AtomicBool = AtomicBool::new(false);

/// Counts ambiguous-width characters as two columns (`true`) or one (the default)
/// everywhere text is measured, wrapped, cut and drawn.
pub fn set_ambiguous_wide(wide: bool) {
    AMBIGUOUS_WIDE.store(wide, Ordering::Relaxed);
}

/// Whether ambiguous-width characters count as two columns.
pub fn ambiguous_wide() -> bool {
    AMBIGUOUS_WIDE.load(Ordering::Relaxed)
}

/// Display width of a string in terminal columns (unicode-width, control chars count 0).
pub fn str_width(s: &str) -> usize {
    if s.is_ascii() {
        return s.bytes().filter(|b| (0x20..0x7F).contains(b)).count();
    }
    let mut pos = 0;
    let mut width = 0;
    while pos < s.len() {
        let unit = unit_at(s, pos);
        width += unit.width;
        pos = unit.end;
    }
    width
}

/// Wraps one paragraph (text without '\n'; treat any '\n' as a forced break) to `width` columns.
/// Returns byte ranges into `text`, one per line, in order. Whitespace at a break is dropped
/// (not included in either line); all other characters appear in exactly one range, in order.
///
/// Leading whitespace of a paragraph is kept as indentation when the first unit still fits
/// after it; a paragraph that is empty or only whitespace gives one empty range.
pub fn wrap_ranges(text: &str, width: usize) -> Vec<Range<usize>> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut start = 0;
    for paragraph in text.split('\n') {
        let end = start + paragraph.len();
        wrap_paragraph(text, start, end, width, &mut lines);
        start = end + 1;
    }
    lines
}

/// Convenience: the wrapped lines as slices.
pub fn wrap(text: &str, width: usize) -> Vec<&str> {
    wrap_ranges(text, width)
        .into_iter()
        .map(|range| text.get(range).unwrap_or_default())
        .collect()
}

/// Cuts `text` to at most `width` columns, ending with '…' when something was cut
/// (the result including '…' never exceeds width; "" when not even '…' fits). Never
/// splits a char.
pub fn truncate(text: &str, width: usize) -> Cow<'_, str> {
    if width == 0 {
        return Cow::Borrowed("");
    }
    if str_width(text) <= width {
        return Cow::Borrowed(text);
    }
    let ellipsis = char_width('…');
    let Some(budget) = width.checked_sub(ellipsis) else {
        return Cow::Borrowed("");
    };
    let mut used = 0;
    let mut cut = 0;
    let mut pos = 0;
    while pos < text.len() {
        let unit = unit_at(text, pos);
        if used + unit.width > budget {
            break;
        }
        used += unit.width;
        pos = unit.end;
        if !unit.has(SPACE) {
            cut = unit.end;
        }
    }
    let kept = text.get(..cut).unwrap_or_default();
    let mut out = String::with_capacity(kept.len() + '…'.len_utf8());
    out.push_str(kept);
    out.push('…');
    Cow::Owned(out)
}

/// Where a line scan stopped.
enum LineEnd {
    /// The rest of the paragraph fits; the line ends at this byte.
    Paragraph(usize),
    /// Break: the line ends at `line_end`, the next one starts at `next_start`. `natural` is
    /// false when a word had to be split or kinsoku could not be honoured.
    Break {
        line_end: usize,
        next_start: usize,
        natural: bool,
    },
}

fn wrap_paragraph(
    text: &str,
    start: usize,
    end: usize,
    width: usize,
    lines: &mut Vec<Range<usize>>,
) {
    let mut pos = start;
    let mut indent = 0;
    let first = loop {
        if pos >= end {
            lines.push(start..start);
            return;
        }
        let unit = unit_at(text, pos);
        if !unit.has(SPACE) {
            break unit;
        }
        indent += unit.width;
        pos = unit.end;
    };
    // Indentation is kept only while it does not force the first word to be split.
    let indented = (indent > 0 && indent + first.width <= width)
        .then(|| scan_line(text, first.start, end, width, indent))
        .filter(|scan| !matches!(scan, LineEnd::Break { natural: false, .. }));
    let (mut line_start, mut scan) = match indented {
        Some(scan) => (start, scan),
        None => (first.start, scan_line(text, first.start, end, width, 0)),
    };
    loop {
        match scan {
            LineEnd::Paragraph(line_end) => {
                lines.push(line_start..line_end);
                return;
            }
            LineEnd::Break {
                line_end,
                next_start,
                ..
            } => {
                lines.push(line_start..line_end);
                line_start = next_start;
                scan = scan_line(text, next_start, end, width, 0);
            }
        }
    }
}

/// Greedily fills one line starting at the non-space unit at `pos`, with `used` columns already
/// taken by indentation. On overflow it breaks at the last natural break that respects kinsoku;
/// failing that at the last kinsoku-respecting position between units (splitting a long word);
/// failing that right before the unit that did not fit.
///
/// Only the units between the chosen break and the overflow are scanned again for the next line,
/// and they hold no break of the class chosen, so every unit is scanned a bounded number of times.
fn scan_line(text: &str, mut pos: usize, end: usize, width: usize, mut used: usize) -> LineEnd {
    let mut prev: Option<Unit> = None;
    // Whether `prev` directly follows a letter or digit (for breaks after hyphens).
    let mut prev_in_word = false;
    let mut space_before = false;
    let mut space_width = 0;
    let mut last_natural: Option<(usize, usize)> = None;
    let mut last_allowed: Option<(usize, usize)> = None;
    while pos < end {
        let unit = unit_at(text, pos);
        pos = unit.end;
        if unit.has(SPACE) {
            space_before = true;
            space_width += unit.width;
            continue;
        }
        if let Some(p) = prev {
            let gap = (p.end, unit.start);
            // A link's `[n]` stays with the word it follows.
            let link_mark = !space_before && is_link_mark(text, unit.start);
            if !unit.has(CLOSING) && !p.has(OPENING) && !link_mark {
                if natural_break(&p, prev_in_word, space_before, &unit) {
                    last_natural = Some(gap);
                } else {
                    last_allowed = Some(gap);
                }
            }
            if used + space_width + unit.width > width {
                let ((line_end, next_start), natural) = match (last_natural, last_allowed) {
                    (Some(at), _) => (at, true),
                    (None, Some(at)) => (at, false),
                    (None, None) => (gap, false),
                };
                return LineEnd::Break {
                    line_end,
                    next_start,
                    natural,
                };
            }
            used += space_width + unit.width;
            prev_in_word = p.has(ALNUM) && !space_before;
        } else {
            used += unit.width;
        }
        prev = Some(unit);
        space_before = false;
        space_width = 0;
    }
    LineEnd::Paragraph(prev.map_or(pos, |p| p.end))
}

/// Whether a link's number, `[n]`, starts at byte `at`.
fn is_link_mark(text: &str, at: usize) -> bool {
    let bytes = text.as_bytes();
    if bytes.get(at) != Some(&b'[') {
        return false;
    }
    let digits = bytes[at + 1..]
        .iter()
        .take(6)
        .take_while(|b| b.is_ascii_digit())
        .count();
    digits > 0 && bytes.get(at + 1 + digits) == Some(&b']')
}

/// A break between `prev` and `next` that needs no excuse (kinsoku is checked separately).
fn natural_break(prev: &Unit, prev_in_word: bool, space_between: bool, next: &Unit) -> bool {
    if space_between {
        return true;
    }
    if prev.has(NO_BREAK_AFTER) {
        return false;
    }
    prev.has(WIDE)
        || next.has(WIDE)
        || prev.has(BREAK_AFTER)
        || (prev.has(HYPHEN) && prev_in_word && next.has(ALNUM))
}

/// Display width of one character in terminal columns (control chars count 0).
pub fn char_width(c: char) -> usize {
    if ambiguous_wide() {
        c.width_cjk().unwrap_or(0)
    } else {
        c.width().unwrap_or(0)
    }
}

/// Whitespace that allows a break; no-break spaces are treated as part of a word.
fn is_break_space(c: char) -> bool {
    c.is_whitespace() && !matches!(c, '\u{A0}' | '\u{2007}' | '\u{202F}')
}

fn is_regional_indicator(c: char) -> bool {
    matches!(c, '\u{1F1E6}'..='\u{1F1FF}')
}

fn is_emoji_modifier(c: char) -> bool {
    matches!(c, '\u{1F3FB}'..='\u{1F3FF}')
}

/// Flags of ASCII characters that form a unit on their own.
const ASCII_FLAGS: [u8; 128] = {
    let mut table = [0; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = match b as u8 {
            b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' => SPACE,
            b'!' | b'%' | b')' | b',' | b'.' | b':' | b';' | b'?' | b']' | b'}' => CLOSING,
            b'(' | b'[' | b'{' => OPENING,
            b'-' => HYPHEN,
            b'0'..=b'9' | b'A'..=b'Z' | b'a'..=b'z' => ALNUM,
            _ => 0,
        };
        b += 1;
    }
    table
};

/// The unit starting at byte `start` (a char boundary before the end of `text`).
fn unit_at(text: &str, start: usize) -> Unit {
    // Fast path: an ASCII whitespace, or a printable ASCII char that nothing can attach to.
    let bytes = text.as_bytes();
    if let Some(&b) = bytes.get(start).filter(|b| b.is_ascii()) {
        let flags = ASCII_FLAGS[usize::from(b)];
        let printable = (0x20..0x7F).contains(&b);
        let alone = bytes.get(start + 1).is_none_or(|&next| {
            (0x20..0x7F).contains(&next)
                || (next.is_ascii() && ASCII_FLAGS[usize::from(next)] == SPACE)
        });
        if flags == SPACE || (printable && alone) {
            return Unit {
                start,
                end: start + 1,
                width: usize::from(printable),
                flags,
            };
        }
    }
    unit_at_general(text, start)
}

fn unit_at_general(text: &str, start: usize) -> Unit {
    let rest = text.get(start..).unwrap_or_default();
    let mut chars = rest.char_indices();
    let Some((_, base)) = chars.next() else {
        return Unit {
            start,
            end: text.len().max(start + 1),
            width: 0,
            flags: SPACE,
        };
    };
    let base_width = char_width(base);
    let mut len = base.len_utf8();
    if is_break_space(base) {
        return Unit {
            start,
            end: start + len,
            width: base_width,
            flags: SPACE,
        };
    }
    let mut last = base;
    let mut pair_flag = is_regional_indicator(base);
    for (offset, c) in chars {
        let attach = if c.is_ascii_graphic() || is_ideograph_or_syllable(c) {
            last == ZWJ
        } else if is_break_space(c) {
            false
        } else {
            last == ZWJ
                || (pair_flag && is_regional_indicator(c))
                || is_emoji_modifier(c)
                || char_width(c) == 0
        };
        if !attach {
            break;
        }
        pair_flag = false;
        last = c;
        len = offset + c.len_utf8();
    }
    let width = if len == base.len_utf8() {
        base_width
    } else {
        let s = rest.get(..len).unwrap_or_default();
        if s.chars().any(char::is_control) {
            s.chars().map(char_width).sum()
        } else if ambiguous_wide() {
            s.width_cjk()
        } else {
            s.width()
        }
    };
    let mut flags = 0;
    if width >= 2 || is_cjk(base) {
        flags |= WIDE;
    }
    if is_closing(base) {
        flags |= CLOSING;
    } else if is_opening(base) {
        flags |= OPENING;
    } else if matches!(base, '-' | '\u{2010}') {
        flags |= HYPHEN;
    } else if flags & WIDE == 0 && base.is_alphanumeric() {
        flags |= ALNUM;
    }
    match last {
        '\u{200B}' => flags |= BREAK_AFTER,
        '\u{2060}' | '\u{FEFF}' => flags |= NO_BREAK_AFTER,
        _ => {}
    }
    Unit {
        start,
        end: start + len,
        width,
        flags,
    }
}

/// Han, kana, hangul, bopomofo, Yi, CJK punctuation and symbols, fullwidth and halfwidth forms.
fn is_cjk(c: char) -> bool {
    matches!(
        c as u32,
        0x1100..=0x11FF
            | 0x2E80..=0x9FFF
            | 0xA000..=0xA4CF
            | 0xA960..=0xA97F
            | 0xAC00..=0xD7FF
            | 0xF900..=0xFAFF
            | 0xFE10..=0xFE1F
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFFEF
            | 0x1B000..=0x1B16F
            | 0x20000..=0x3FFFF
    )
}

/// Marks that must not start a line, sorted for binary search.
const CLOSING_MARKS: &[char] = &[
    '!', '%', ')', ',', '.', ':', ';', '?', ']', '}', '·', '—', '’', '”', '‥', '…', '‼', '⁇', '⁈',
    '⁉', '、', '。', '々', '〉', '》', '」', '』', '】', '〕', '〗', '〙', '〜', '〟', 'ぁ', 'ぃ',
    'ぅ', 'ぇ', 'ぉ', 'っ', 'ゃ', 'ゅ', 'ょ', 'ゎ', 'ゕ', 'ゖ', 'ゝ', 'ゞ', 'ァ', 'ィ', 'ゥ', 'ェ',
    'ォ', 'ッ', 'ャ', 'ュ', 'ョ', 'ヮ', 'ヵ', 'ヶ', '・', 'ー', 'ヽ', 'ヾ', 'ㇰ', 'ㇱ', 'ㇲ', 'ㇳ',
    'ㇴ', 'ㇵ', 'ㇶ', 'ㇷ', 'ㇸ', 'ㇹ', 'ㇺ', 'ㇻ', 'ㇼ', 'ㇽ', 'ㇾ', 'ㇿ', '！', '％', '）', '，',
    '．', '：', '；', '？', '］', '｝', '｡', '｣', '､',
];

/// Marks that must not end a line, sorted for binary search.
const OPENING_MARKS: &[char] = &[
    '(', '[', '{', '‘', '“', '〈', '《', '「', '『', '【', '〔', '〖', '〘', '〝', '（', '［',
    '｛', '｢',
];

/// Han ideographs and hangul syllables: the bulk of CJK text, and never a mark.
fn is_ideograph_or_syllable(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7A3}')
}

fn is_closing(c: char) -> bool {
    !is_ideograph_or_syllable(c) && CLOSING_MARKS.binary_search(&c).is_ok()
}

fn is_opening(c: char) -> bool {
    !is_ideograph_or_syllable(c) && OPENING_MARKS.binary_search(&c).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn str_width_counts_columns() {
        assert_eq!(str_width(""), 0);
        assert_eq!(str_width("abc"), 3);
        assert_eq!(str_width("a\tb\x07"), 2);
        assert_eq!(str_width("中文，"), 6);
        assert_eq!(str_width("e\u{301}"), 1);
        assert_eq!(str_width("👨‍👩‍👧"), 2);
        assert_eq!(str_width("🇯🇵🇺🇸"), 4);
        assert_eq!(str_width("❤\u{FE0F}"), 2);
        assert_eq!(str_width("\u{3000}"), 2);
    }

    #[test]
    fn chinese_sentence_at_several_widths() {
        let text = "中俄关系，历史最好时期。";
        // At 4 the comma cannot start a line, so "系" is pulled down with it.
        assert_eq!(
            wrap(text, 4),
            ["中俄", "关", "系，", "历史", "最好", "时", "期。"]
        );
        assert_eq!(wrap(text, 6), ["中俄关", "系，历", "史最好", "时期。"]);
        assert_eq!(wrap(text, 10), ["中俄关系，", "历史最好时", "期。"]);
        assert_eq!(wrap(text, 24), [text]);
    }

    #[test]
    fn latin_sentence_breaks_at_spaces() {
        assert_eq!(
            wrap("The quick brown fox jumps over the lazy dog.", 10),
            ["The quick", "brown fox", "jumps over", "the lazy", "dog."]
        );
        assert_eq!(wrap("a  b", 10), ["a  b"]);
    }

    #[test]
    fn long_url_is_split_by_characters() {
        let url = "https://example.com/news/2023/06/a-very-long-article-title-here.html?id=42";
        let lines = wrap(url, 20);
        assert_eq!(
            lines,
            [
                "https://example.com/",
                "news/2023/06/a-very-",
                "long-article-title-",
                "here.html?id=42"
            ]
        );
        assert_eq!(lines.concat(), url);
    }

    #[test]
    fn hyphen_is_a_break_inside_words_only() {
        assert_eq!(wrap("a well-known fact", 8), ["a well-", "known", "fact"]);
        assert_eq!(wrap("x -1234567", 8), ["x", "-1234567"]);
    }

    #[test]
    fn width_one_puts_each_wide_char_alone() {
        assert_eq!(wrap("中文，好", 1), ["中", "文", "，", "好"]);
        assert_eq!(wrap("中文", 0), ["中", "文"]);
        assert_eq!(wrap("ab", 0), ["a", "b"]);
    }

    #[test]
    fn closing_mark_starts_a_line_only_when_unavoidable() {
        // "中，" is 4 columns, so at 3 the comma has nowhere else to go.
        assert_eq!(wrap("中中，", 3), ["中", "中", "，"]);
        assert_eq!(wrap("。。。。。。", 4), ["。。", "。。", "。。"]);
        // A word is split rather than starting a line with the period.
        assert_eq!(wrap("hello.", 5), ["hell", "o."]);
    }

    #[test]
    fn opening_mark_never_ends_a_line() {
        assert_eq!(
            wrap("他说：“你好。”我说：「再见」。", 8),
            ["他说：", "“你好。”", "我说：", "「再", "见」。"]
        );
        assert_eq!(wrap("see (the) end", 6), ["see", "(the)", "end"]);
    }

    #[test]
    fn mixed_digits_and_han() {
        let text = "2023年中俄关系：没有最高只有更高？";
        assert_eq!(
            wrap(text, 10),
            ["2023年中俄", "关系：没有", "最高只有更", "高？"]
        );
        assert_eq!(
            wrap(text, 7),
            ["2023年", "中俄关", "系：没", "有最高", "只有更", "高？"]
        );
    }

    #[test]
    fn ideographic_spaces() {
        assert_eq!(
            wrap("　　中文段落开头有两个全角空格。", 10),
            ["　　中文段", "落开头有两", "个全角空", "格。"]
        );
        assert_eq!(wrap("中文　中文　中文", 6), ["中文", "中文", "中文"]);
        assert_eq!(wrap("中文　中文", 10), ["中文　中文"]);
    }

    #[test]
    fn indentation_is_dropped_rather_than_splitting_a_word() {
        assert_eq!(wrap("  indented text", 8), ["indented", "text"]);
        assert_eq!(wrap("  in text", 8), ["  in", "text"]);
        assert_eq!(wrap("    中 文", 4), ["中", "文"]);
    }

    #[test]
    fn emoji_sequences_stay_whole() {
        let family = "👨‍👩‍👧";
        assert_eq!(wrap("家庭👨‍👩‍👧好", 4), ["家庭", "👨‍👩‍👧好"]);
        assert_eq!(
            wrap("👨‍👩‍👧👨‍👩‍👧🇯🇵❤\u{FE0F}", 3),
            [family, family, "🇯🇵", "❤\u{FE0F}"]
        );
        assert_eq!(wrap("🇯🇵🇺🇸", 1), ["🇯🇵", "🇺🇸"]);
        assert_eq!(wrap("ok👍🏽", 2), ["ok", "👍🏽"]);
        assert_eq!(wrap("e\u{301}e\u{301}", 1), ["e\u{301}", "e\u{301}"]);
        // Conjoining jamo: the vowel and final consonant have width 0 and stay with the initial.
        let syllable = "\u{1100}\u{1161}\u{11A8}";
        assert_eq!(wrap(&syllable.repeat(2), 2), [syllable, syllable]);
        assert_eq!(
            wrap("\u{1100}\u{D7B0}\u{1100}", 2),
            ["\u{1100}\u{D7B0}", "\u{1100}"]
        );
    }

    #[test]
    fn blank_and_multi_paragraph_text() {
        assert_eq!(wrap_ranges("", 5), vec![0..0]);
        assert_eq!(wrap_ranges("   ", 5), vec![0..0]);
        assert_eq!(wrap("a\n\nb  \n  c", 5), ["a", "", "b", "  c"]);
        assert_eq!(wrap_ranges("ab\r\ncd", 5), [0..2, 4..6]);
        assert_eq!(wrap("abc   ", 2), ["ab", "c"]);
    }

    #[test]
    fn no_break_space_and_zero_width_space() {
        assert_eq!(wrap("aa\u{A0}bb cc", 5), ["aa\u{A0}bb", "cc"]);
        assert_eq!(wrap("abc\u{200B}def", 4), ["abc\u{200B}", "def"]);
    }

    #[test]
    fn truncate_cuts_with_ellipsis() {
        assert_eq!(truncate("Hello world", 8), "Hello w…");
        assert_eq!(truncate("Hello world", 7), "Hello…");
        assert_eq!(truncate("Hello", 5), "Hello");
        assert!(matches!(truncate("Hello", 5), Cow::Borrowed(_)));
        assert_eq!(truncate("中俄关系", 5), "中俄…");
        assert_eq!(truncate("中俄关系", 1), "…");
        assert_eq!(truncate("中俄关系", 0), "");
        assert_eq!(truncate("家庭👨‍👩‍👧好", 5), "家庭…");
        assert_eq!(truncate("家庭👨‍👩‍👧好", 7), "家庭👨‍👩‍👧…");
    }

    #[test]
    fn ascii_fast_path_agrees_with_general_rules() {
        for b in 0u8..0x80 {
            for next in ["", "a", " ", "\t", ",", "\u{301}", "\u{7}", "中"] {
                let text = format!("{}{next}", char::from(b));
                let (fast, general) = (unit_at(&text, 0), unit_at_general(&text, 0));
                assert_eq!(
                    (fast.end, fast.width, fast.flags),
                    (general.end, general.width, general.flags),
                    "{text:?}"
                );
            }
        }
    }

    #[test]
    fn marks_tables_are_sorted() {
        assert!(CLOSING_MARKS.windows(2).all(|w| w[0] < w[1]));
        assert!(OPENING_MARKS.windows(2).all(|w| w[0] < w[1]));
        assert!(is_closing('，') && is_closing('ッ') && is_closing('.'));
        assert!(is_opening('「') && is_opening('(') && !is_opening('a'));
    }

    #[test]
    fn long_paragraph_stays_within_width() {
        let text = "中俄关系，历史最好时期。Latin words-and-more. ".repeat(20_000);
        let lines = wrap(&text, 37);
        assert!(lines.len() > 20_000);
        assert!(lines.iter().all(|line| str_width(line) <= 37));
    }
}

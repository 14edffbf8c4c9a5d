//! Property tests for `wrap`: width limits, lossless ranges, kinsoku and truncation.

use std::ops::Range;

use folio::wrap::{str_width, truncate, wrap, wrap_ranges};
use proptest::prelude::*;
use unicode_width::UnicodeWidthChar;

const HAN: &[&str] = &[
    "中", "俄", "关", "系", "历", "史", "最", "好", "时", "期", "没", "有", "高", "只", "更", "年",
    "日", "本", "語", "の", "テ", "キ", "ス", "ト", "한", "국", "어",
];
/// The closing marks the wrapper must not put at the start of a line.
const CLOSING: &str = "，。、；：？！）」』》〉】〕”’…—·‥々〜ー,.;:?!)]}%．］｝％\
    ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ";
/// The opening marks the wrapper must not put at the end of a line.
const OPENING: &str = "（「『《〈【〔“‘([{［｛";
const EMOJI: &[&str] = &["😀", "👍🏽", "👨‍👩‍👧", "👩‍💻", "🏳️‍🌈", "🇯🇵", "🇺🇸", "❤️"];
const SPACES: &[&str] = &[" ", " ", "  ", "\u{3000}", "\t", " \u{3000}"];
const ASCII_PUNCT: &[&str] = &[
    ",", ".", ";", ":", "?", "!", "(", ")", "[", "]", "{", "}", "%", "-", "\"", "'", "/",
];

fn pick(set: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::sample::select(set).prop_map(str::to_owned)
}

fn pick_char(set: &'static str) -> impl Strategy<Value = String> {
    prop::sample::select(set.chars().collect::<Vec<_>>()).prop_map(String::from)
}

fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => pick(HAN),
        3 => pick_char(CLOSING),
        2 => pick_char(OPENING),
        4 => "[a-zA-Z0-9]{1,12}",
        1 => "[a-z]{13,40}",
        1 => "[a-z]{1,8}-[a-z]{1,8}",
        2 => pick(ASCII_PUNCT),
        5 => pick(SPACES),
        2 => pick(EMOJI),
        1 => Just("\n".to_owned()),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(token(), 0..80).prop_map(|tokens| tokens.concat())
}

fn width() -> impl Strategy<Value = usize> {
    prop_oneof![1usize..=12, 1usize..=120]
}

fn is_break_space(c: char) -> bool {
    c.is_whitespace() && !matches!(c, '\u{A0}' | '\u{2007}' | '\u{202F}')
}

fn is_closing(unit: &str) -> bool {
    unit.chars().next().is_some_and(|c| CLOSING.contains(c))
}

fn is_opening(unit: &str) -> bool {
    unit.chars().next().is_some_and(|c| OPENING.contains(c))
}

/// Splits `s` into the units the wrapper must never split: a base character with the
/// zero-width characters after it, emoji ZWJ and modifier sequences, and flag pairs.
/// Whitespace is always a unit of its own. Ranges are offset by `base`.
fn units(s: &str, base: usize) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut prev: Option<char> = None;
    let mut flag_open = false;
    for (i, c) in s.char_indices() {
        let attach = prev.is_some_and(|p| {
            !is_break_space(p)
                && !is_break_space(c)
                && (p == '\u{200D}'
                    || (flag_open && ('\u{1F1E6}'..='\u{1F1FF}').contains(&c))
                    || ('\u{1F3FB}'..='\u{1F3FF}').contains(&c)
                    || c.width().unwrap_or(0) == 0)
        });
        match out.last_mut() {
            Some(last) if attach => {
                last.end = base + i + c.len_utf8();
                flag_open = false;
            }
            _ => {
                out.push(base + i..base + i + c.len_utf8());
                flag_open = ('\u{1F1E6}'..='\u{1F1FF}').contains(&c);
            }
        }
        prev = Some(c);
    }
    out
}

/// Non-whitespace units of `text[range]`, as absolute ranges.
fn solid_units(text: &str, range: &Range<usize>) -> Vec<Range<usize>> {
    units(&text[range.clone()], range.start)
        .into_iter()
        .filter(|u| !text[u.clone()].chars().all(is_break_space))
        .collect()
}

fn strip_ws(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A kinsoku-legal break inside `line` (between two of its units, the later one not closing
/// and the earlier one not opening) after which the text up to `until` fits in `width`. If one
/// exists, the wrapper had another way than breaking next to the mark it was avoiding.
fn alternative_break(
    text: &str,
    line: &[Range<usize>],
    until: usize,
    width: usize,
) -> Option<usize> {
    line.windows(2)
        .filter(|pair| !is_opening(&text[pair[0].clone()]) && !is_closing(&text[pair[1].clone()]))
        .map(|pair| pair[1].start)
        .find(|&start| str_width(&text[start..until]) <= width)
}

proptest! {
    #[test]
    fn lines_fit_the_width(text in text(), width in width()) {
        for line in wrap(&text, width) {
            let lone_unit = units(line, 0).len() == 1;
            prop_assert!(
                str_width(line) <= width || lone_unit,
                "{line:?} is {} columns, width {width}", str_width(line)
            );
        }
    }

    #[test]
    fn ranges_give_back_the_text(text in text(), width in width()) {
        let ranges = wrap_ranges(&text, width);
        prop_assert!(!ranges.is_empty());
        prop_assert!(ranges.len() > text.matches('\n').count());
        let mut previous_end = 0;
        for (i, range) in ranges.iter().enumerate() {
            prop_assert!(previous_end <= range.start && range.start <= range.end);
            prop_assert!(range.end <= text.len());
            prop_assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
            let dropped = &text[previous_end..range.start];
            prop_assert!(dropped.chars().all(is_break_space), "dropped {dropped:?}");
            let line = &text[range.clone()];
            prop_assert!(!line.contains('\n'));
            prop_assert!(!line.ends_with(is_break_space), "line {line:?} ends with whitespace");
            let paragraph_start = i == 0 || dropped.contains('\n');
            prop_assert!(
                paragraph_start || !line.starts_with(is_break_space),
                "line {line:?} starts with whitespace mid-paragraph"
            );
            previous_end = range.end;
        }
        prop_assert!(text[previous_end..].chars().all(is_break_space));
        let joined: String = ranges.iter().map(|r| &text[r.clone()]).collect();
        prop_assert_eq!(strip_ws(&joined), strip_ws(&text));
    }

    #[test]
    fn emoji_sequences_are_never_split(text in text(), width in width()) {
        let ranges = wrap_ranges(&text, width);
        for emoji in EMOJI {
            for (at, _) in text.match_indices(emoji) {
                let inside = at + 1..at + emoji.len();
                prop_assert!(
                    !ranges.iter().any(|r| inside.contains(&r.start) || inside.contains(&r.end)),
                    "{emoji:?} at {at} split by {ranges:?}"
                );
            }
        }
    }

    /// A closing mark may start a line (other than a paragraph's first) only when no
    /// kinsoku-legal break in the previous line would let the mark follow a character on its
    /// own line within the width. Likewise an opening mark may end a line only when no legal
    /// break in that line would let it share the next line with what follows it.
    #[test]
    fn kinsoku_holds_unless_impossible(text in text(), width in width()) {
        let ranges = wrap_ranges(&text, width);
        for pair in ranges.windows(2) {
            let (above, below) = (&pair[0], &pair[1]);
            if text[above.end..below.start].contains('\n') {
                continue;
            }
            let above_units = solid_units(&text, above);
            let below_units = solid_units(&text, below);
            let (Some(first), Some(last)) = (below_units.first(), above_units.last()) else {
                continue;
            };
            if is_closing(&text[first.clone()]) {
                let other = alternative_break(&text, &above_units, first.end, width);
                prop_assert!(
                    other.is_none(),
                    "{:?} starts a line after {:?} at width {width}; could break at {other:?}",
                    &text[below.clone()], &text[above.clone()]
                );
            }
            if is_opening(&text[last.clone()]) {
                let other = alternative_break(&text, &above_units, first.end, width);
                prop_assert!(
                    other.is_none(),
                    "{:?} ends a line before {:?} at width {width}; could break at {other:?}",
                    &text[above.clone()], &text[below.clone()]
                );
            }
        }
    }

    #[test]
    fn truncate_fits_and_is_a_prefix(text in text(), width in 0usize..=120) {
        let cut = truncate(&text, width);
        prop_assert!(str_width(&cut) <= width, "{cut:?} wider than {width}");
        if width == 0 {
            prop_assert_eq!(cut.as_ref(), "");
        } else if str_width(&text) <= width {
            prop_assert_eq!(cut.as_ref(), text.as_str());
        } else {
            let kept = cut.strip_suffix('…');
            prop_assert!(kept.is_some(), "{cut:?} lacks the ellipsis");
            let kept = kept.unwrap_or_default();
            prop_assert!(text.starts_with(kept));
            let boundaries: Vec<usize> = units(&text, 0).iter().map(|u| u.start).collect();
            prop_assert!(kept.is_empty() || boundaries.contains(&kept.len()), "{kept:?} splits a unit");
        }
    }
}

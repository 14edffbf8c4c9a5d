//! Text helpers for drawing: cutting to a display width and highlighting matched characters.

use crate::wrap::char_width;
pub use crate::wrap::truncate;
use ratatui::style::Style;
use ratatui::text::Span;

/// `text` cut to `width` columns (ending in `…` when cut) as spans, with the characters
/// at `positions` (char indices, sorted) in `matched` style, padded with spaces to `width`.
/// When the first match would be cut off, the text shown starts (after a `…`) a
/// little before it instead, so that every row shows why it matched.
pub fn fit_highlighted(
    text: &str,
    width: usize,
    positions: &[usize],
    base: Style,
    matched: Style,
) -> Vec<Span<'static>> {
    if let Some((shifted, moved)) = around_first_match(text, width, positions) {
        return fit_plain(&shifted, width, &moved, base, matched);
    }
    fit_plain(text, width, positions, base, matched)
}

/// `…` and `text` from a little before its first match (char index `positions[0]`)
/// with the positions moved along, when the match would not show in `width`
/// columns from the start.
fn around_first_match(
    text: &str,
    width: usize,
    positions: &[usize],
) -> Option<(String, Vec<usize>)> {
    let &first = positions.first()?;
    if width < 6 || crate::wrap::str_width(text) <= width {
        return None;
    }
    let chars: Vec<char> = text.chars().collect();
    // The first match: the run of consecutive matched characters from `first`.
    let run_end = positions
        .iter()
        .zip(first..)
        .take_while(|(p, expected)| **p == *expected)
        .count()
        + first;
    let shown: usize = chars[..run_end.min(chars.len())]
        .iter()
        .map(|&c| char_width(c))
        .sum();
    if shown < width {
        return None;
    }
    // Some context before the match: a third of the width.
    let context = width / 3;
    let mut start = first.min(chars.len());
    let mut used = 0;
    while start > 0 {
        let w = char_width(chars[start - 1]);
        if used + w > context {
            break;
        }
        used += w;
        start -= 1;
    }
    let mut out = String::from("…");
    out.extend(&chars[start..]);
    let moved = positions
        .iter()
        .filter(|&&p| p >= start)
        .map(|&p| p - start + 1)
        .collect();
    Some((out, moved))
}

fn fit_plain(
    text: &str,
    width: usize,
    positions: &[usize],
    base: Style,
    matched: Style,
) -> Vec<Span<'static>> {
    let cut = truncate(text, width);
    // When cut, the last char is the added '…', which matched nothing.
    let ellipsis_at = (cut.len() != text.len()).then(|| cut.chars().count() - 1);
    let mut spans = Vec::new();
    let mut run = String::new();
    let mut run_matched = false;
    let mut used = 0;
    let mut next = positions.iter().peekable();
    for (i, c) in cut.chars().enumerate() {
        while next.peek().is_some_and(|&&p| p < i) {
            next.next();
        }
        let is_match = next.peek() == Some(&&i) && ellipsis_at != Some(i);
        if is_match != run_matched && !run.is_empty() {
            spans.push(Span::styled(
                std::mem::take(&mut run),
                if run_matched { matched } else { base },
            ));
        }
        run_matched = is_match;
        run.push(c);
        used += char_width(c);
    }
    if !run.is_empty() {
        spans.push(Span::styled(run, if run_matched { matched } else { base }));
    }
    if used < width {
        spans.push(Span::styled(" ".repeat(width - used), base));
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Modifier;

    #[test]
    fn highlights_and_pads() {
        let m = Style::new().add_modifier(Modifier::BOLD);
        let spans = fit_highlighted("中俄关系", 10, &[0, 1], Style::new(), m);
        assert_eq!(spans[0].content, "中俄");
        assert_eq!(spans[0].style, m);
        assert_eq!(spans[1].content, "关系");
        assert_eq!(spans[2].content, "  ");
    }

    #[test]
    fn a_match_beyond_the_cut_is_brought_into_view() {
        let m = Style::new().add_modifier(Modifier::BOLD);
        let title = "中俄相互借力各取所需？中俄關係｜普京訪華";
        // 普京 is at characters 16 and 17: past what 20 columns show from the start.
        let spans = fit_highlighted(title, 20, &[16, 17], Style::new(), m);
        let text: String = spans.iter().map(|s| s.content.as_ref()).collect();
        assert!(text.starts_with('…') && text.contains("普京"), "{text}");
        assert_eq!(crate::wrap::str_width(&text), 20);
        let bold: String = spans
            .iter()
            .filter(|s| s.style == m)
            .map(|s| s.content.as_ref())
            .collect();
        assert_eq!(bold, "普京");
        // A match in view is left where it is.
        let spans = fit_highlighted(title, 20, &[0, 1], Style::new(), m);
        assert_eq!(spans[0].content, "中俄");
    }

    #[test]
    fn cuts_by_display_width() {
        let spans = fit_highlighted("中俄关系历史", 7, &[], Style::new(), Style::new());
        let text: String = spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(text, "中俄关…");
    }
}

//! Text helpers for drawing: cutting to a display width and highlighting matched characters.

use crate::wrap::char_width;
pub use crate::wrap::truncate;
use ratatui::style::Style;
use ratatui::text::Span;

/// `text` cut to `width` columns (ending in `…` when cut) as spans, with the characters
/// at `positions` (char indices, sorted) in `matched` style, padded with spaces to `width`.
pub fn fit_highlighted(
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
    fn cuts_by_display_width() {
        let spans = fit_highlighted("中俄关系历史", 7, &[], Style::new(), Style::new());
        let text: String = spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(text, "中俄关…");
    }
}

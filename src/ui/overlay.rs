//! Draws the pop-ups: the link picker and the list of skipped files.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::Theme;
use super::text::fit_highlighted;
use crate::app::App;
use crate::app::overlay::Overlay;
use crate::wrap::str_width;

/// Returns where it drew.
pub fn draw(frame: &mut Frame, screen: Rect, app: &App, theme: &Theme) -> Option<Rect> {
    let Some(overlay) = &app.overlay else {
        return None;
    };
    let max_width = screen.width.saturating_sub(4).min(100);
    let max_height = screen.height.saturating_sub(4).min(30);
    let (title, lines, content_width) = match overlay {
        Overlay::Links { selected, typed } => {
            let links = app.open_article().map(|a| a.links()).unwrap_or(&[]);
            let texts: Vec<String> = links
                .iter()
                .enumerate()
                .map(|(i, link)| {
                    let url = crate::html::readable_url(&link.url);
                    if link.text.is_empty() || link.text == link.url || link.text == url {
                        format!("[{}] {url}", i + 1)
                    } else {
                        format!("[{}] {} — {url}", i + 1, link.text)
                    }
                })
                .collect();
            // As tall and as wide as its links need, no more.
            let rows = usize::from(max_height.saturating_sub(2))
                .min(texts.len())
                .max(1);
            let widest = texts.iter().map(|t| str_width(t)).max().unwrap_or(0);
            let title = if typed.is_empty() {
                format!(" Links ({}) ", links.len())
            } else {
                format!(" Links ({}) · {typed} ", links.len())
            };
            let first = selected.saturating_sub(rows.saturating_sub(1));
            let inner = widest
                .max(str_width(&title) + 2)
                .min(usize::from(max_width.saturating_sub(2)));
            let lines: Vec<Line> = texts
                .iter()
                .enumerate()
                .skip(first)
                .take(rows)
                .map(|(i, text)| {
                    let style = if i == *selected {
                        theme.selected
                    } else {
                        Style::new()
                    };
                    Line::from(fit_highlighted(text, inner, &[], style, style))
                })
                .collect();
            (title, lines, inner)
        }
        Overlay::Skipped { scroll } => {
            let (rows, width) = crate::app::overlay::report_size((screen.width, screen.height));
            let lines = crate::app::overlay::report_lines(app, width)
                .into_iter()
                .skip(*scroll)
                .take(rows)
                .map(|(text, heading)| {
                    let style = if heading { theme.title } else { Style::new() };
                    Line::from(fit_highlighted(&text, width, &[], style, style))
                })
                .collect();
            (
                " Messages and skipped files ".to_owned(),
                lines,
                usize::from(max_width),
            )
        }
    };
    let width = (content_width as u16)
        .saturating_add(2)
        .min(max_width)
        .max(3);
    let height = (lines.len() as u16)
        .saturating_add(2)
        .min(max_height)
        .max(3);
    let height = match overlay {
        Overlay::Skipped { .. } => max_height,
        Overlay::Links { .. } => height,
    };
    let area = Rect::new(
        screen.x + (screen.width.saturating_sub(width)) / 2,
        screen.y + (screen.height.saturating_sub(1).saturating_sub(height)) / 2,
        width,
        height,
    );
    if area.width < 3 || area.height < 3 {
        return None;
    }
    frame.render_widget(Clear, area);
    let block =
        super::pane(theme.border_focused).title(Line::from(Span::styled(title, theme.title)));
    frame.render_widget(Paragraph::new(lines).block(block), area);
    Some(area)
}

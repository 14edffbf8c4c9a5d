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

/// Returns where it drew.
pub fn draw(frame: &mut Frame, screen: Rect, app: &App, theme: &Theme) -> Option<Rect> {
    let Some(overlay) = &app.overlay else {
        return None;
    };
    let width = screen.width.saturating_sub(4).min(100);
    let height = screen.height.saturating_sub(4).min(30);
    let area = Rect::new(
        screen.x + (screen.width - width) / 2,
        screen.y + (screen.height.saturating_sub(1) - height) / 2,
        width,
        height,
    );
    if area.width < 3 || area.height < 3 {
        return None;
    }
    let inner_width = usize::from(area.width - 2);
    let rows = usize::from(area.height - 2);
    let (title, lines) = match overlay {
        Overlay::Links { selected, typed } => {
            let links = app.open_article().map(|a| a.links()).unwrap_or(&[]);
            let first = selected.saturating_sub(rows.saturating_sub(1));
            let lines: Vec<Line> = links
                .iter()
                .enumerate()
                .skip(first)
                .take(rows)
                .map(|(i, link)| {
                    let style = if i == *selected {
                        theme.selected
                    } else {
                        Style::new()
                    };
                    let text = if link.text.is_empty() || link.text == link.url {
                        format!("[{}] {}", i + 1, link.url)
                    } else {
                        format!("[{}] {} — {}", i + 1, link.text, link.url)
                    };
                    Line::from(fit_highlighted(&text, inner_width, &[], style, style))
                })
                .collect();
            let title = if typed.is_empty() {
                format!(" Links ({}) ", links.len())
            } else {
                format!(" Links ({}) · {typed} ", links.len())
            };
            (title, lines)
        }
        Overlay::Skipped { scroll } => {
            let lines = app
                .skipped
                .iter()
                .skip(*scroll)
                .take(rows)
                .map(|p| {
                    let text = format!("{}: {}", p.path, p.reason);
                    Line::from(fit_highlighted(
                        &text,
                        inner_width,
                        &[],
                        Style::new(),
                        Style::new(),
                    ))
                })
                .collect();
            (format!(" Skipped files ({}) ", app.skipped.len()), lines)
        }
    };
    frame.render_widget(Clear, area);
    let block =
        super::pane(theme.border_focused).title(Line::from(Span::styled(title, theme.title)));
    frame.render_widget(Paragraph::new(lines).block(block), area);
    Some(area)
}

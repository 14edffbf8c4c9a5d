//! Draws the help overlay laid out by [`crate::app::help`], scrolled when it is taller than the screen.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::Theme;
use crate::app::App;
use crate::app::help::{GUTTER, layout};
use crate::wrap::{str_width, truncate};

/// Returns where it drew.
pub fn draw(frame: &mut Frame, screen: Rect, app: &App, theme: &Theme) -> Option<Rect> {
    let help = layout(app);
    let columns = help.columns.len();
    let inner_width = columns * help.column_width + GUTTER * columns.saturating_sub(1);
    let width = (inner_width as u16).saturating_add(2).min(screen.width);
    let shown = help.height.min(help.visible);
    let height = (shown as u16)
        .saturating_add(2)
        .min(screen.height.saturating_sub(1));
    let area = Rect::new(
        screen.x + (screen.width - width) / 2,
        screen.y + (screen.height.saturating_sub(1) - height) / 2,
        width,
        height,
    );
    if area.is_empty() {
        return None;
    }
    let scroll = app.help_scroll.min(help.max_scroll());
    let rows: Vec<Line> = (scroll..scroll + shown)
        .map(|row| {
            let mut spans = Vec::new();
            for (i, column) in help.columns.iter().enumerate() {
                let (text, heading, name_at) = column.get(row).map_or(("", false, None), |l| {
                    (l.text.as_str(), l.heading, l.name_at)
                });
                let text = truncate(text, help.column_width);
                let pad = if i + 1 < columns {
                    help.column_width - str_width(&text) + GUTTER
                } else {
                    0
                };
                let style = if heading { theme.title } else { theme.status };
                // The action's name, for a config file, dimmed after its description.
                let split = name_at
                    .filter(|&at| text.is_char_boundary(at))
                    .unwrap_or(text.len());
                spans.push(Span::styled(text[..split].to_owned(), style));
                spans.push(Span::styled(
                    format!("{}{}", &text[split..], " ".repeat(pad)),
                    if split < text.len() {
                        theme.meta
                    } else {
                        style
                    },
                ));
            }
            Line::from(spans)
        })
        .collect();
    let more = if help.max_scroll() == 0 {
        String::new()
    } else if scroll < help.max_scroll() {
        " j/↓ more ".to_owned()
    } else {
        " end ".to_owned()
    };
    frame.render_widget(Clear, area);
    let block = super::pane(theme.border_focused)
        .title(Line::from(" Keys "))
        .title_bottom(Line::from(more))
        .title_bottom(Line::from(" ? or Esc to close ").right_aligned());
    frame.render_widget(Paragraph::new(rows).block(block), area);
    Some(area)
}

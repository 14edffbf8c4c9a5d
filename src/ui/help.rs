//! The help overlay: every binding of the keymap, grouped by where it applies, generated from the table itself.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::Theme;
use crate::app::{App, Context};
use crate::wrap::str_width;

const CONTEXTS: [Context; 4] = [
    Context::List,
    Context::Reader,
    Context::Search,
    Context::Global,
];

/// One line of the overlay: a heading or a binding.
pub struct HelpLine {
    pub heading: bool,
    pub text: String,
}

/// The overlay's sections: a heading per context, then `keys  description` per binding.
pub fn sections(app: &App) -> Vec<Vec<HelpLine>> {
    let mut out = Vec::new();
    for context in CONTEXTS {
        let mut lines = vec![HelpLine {
            heading: true,
            text: context.title().to_owned(),
        }];
        for b in app
            .keymap
            .bindings()
            .iter()
            .filter(|b| b.context == context)
        {
            if b.keys.is_empty() {
                continue;
            }
            let keys: Vec<String> = b.keys.iter().map(ToString::to_string).collect();
            let keys = keys.join(" ");
            let pad = 18usize.saturating_sub(str_width(&keys));
            lines.push(HelpLine {
                heading: false,
                text: format!("  {keys}{} {}", " ".repeat(pad), b.action.describe()),
            });
        }
        if context == Context::Search {
            lines.push(HelpLine {
                heading: false,
                text: "  other keys         typed into the box".to_owned(),
            });
        }
        if lines.len() > 1 {
            out.push(lines);
        }
    }
    out
}

/// Packs sections into as few columns as the height allows.
fn columns(sections: Vec<Vec<HelpLine>>, max_height: usize) -> Vec<Vec<HelpLine>> {
    let mut columns: Vec<Vec<HelpLine>> = Vec::new();
    for section in sections {
        match columns.last_mut() {
            Some(col) if col.len() + 1 + section.len() <= max_height => {
                col.push(HelpLine {
                    heading: false,
                    text: String::new(),
                });
                col.extend(section);
            }
            _ => columns.push(section),
        }
    }
    columns
}

pub fn draw(frame: &mut Frame, screen: Rect, app: &App, theme: &Theme) {
    let max_height = usize::from(screen.height.saturating_sub(3)).max(1);
    let columns = columns(sections(app), max_height);
    let widths: Vec<usize> = columns
        .iter()
        .map(|c| c.iter().map(|l| str_width(&l.text)).max().unwrap_or(0))
        .collect();
    let inner_width = widths.iter().sum::<usize>() + 3 * widths.len().saturating_sub(1);
    let inner_height = columns.iter().map(Vec::len).max().unwrap_or(0);
    let width = (inner_width as u16).saturating_add(4).min(screen.width);
    let height = (inner_height as u16)
        .saturating_add(2)
        .min(screen.height.saturating_sub(1));
    let area = Rect::new(
        screen.x + (screen.width - width) / 2,
        screen.y + (screen.height.saturating_sub(1) - height) / 2,
        width,
        height,
    );
    if area.is_empty() {
        return;
    }
    let rows: Vec<Line> = (0..inner_height)
        .map(|row| {
            let mut spans = Vec::new();
            for (col, column) in columns.iter().enumerate() {
                let (text, heading) = column
                    .get(row)
                    .map_or(("", false), |l| (l.text.as_str(), l.heading));
                let pad = if col + 1 < columns.len() {
                    widths[col] - str_width(text) + 3
                } else {
                    0
                };
                let style = if heading { theme.title } else { theme.status };
                spans.push(Span::styled(format!("{text}{}", " ".repeat(pad)), style));
            }
            Line::from(spans)
        })
        .collect();
    frame.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border_focused)
        .title(Line::from(" Keys "))
        .title_bottom(Line::from(" ? or Esc to close ").right_aligned());
    frame.render_widget(Paragraph::new(rows).block(block), area);
}

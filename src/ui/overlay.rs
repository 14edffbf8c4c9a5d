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
        Overlay::Facets(panel) => {
            let inner = usize::from(max_width.saturating_sub(2)).min(64);
            let rows = crate::app::overlay::facet_rows((screen.width, screen.height));
            let mut lines = vec![Line::from(vec![
                Span::styled("> ", theme.title),
                Span::raw(panel.query.clone()),
            ])];
            let first = panel.selected.saturating_sub(rows.saturating_sub(1));
            let group_width = 9;
            for (row, &i) in panel.shown.iter().enumerate().skip(first).take(rows) {
                let facet = &panel.all[i];
                let style = if row == panel.selected {
                    theme.selected
                } else {
                    Style::new()
                };
                let new_group = row == first
                    || panel
                        .shown
                        .get(row.wrapping_sub(1))
                        .is_none_or(|&p| panel.all[p].group != facet.group);
                let group = if new_group { facet.group.title() } else { "" };
                let right = if facet.group == crate::app::facets::Group::Saved {
                    facet.term.clone()
                } else {
                    crate::format::thousands(facet.count)
                };
                let room = inner.saturating_sub(group_width);
                let right_width = str_width(&right).min(room / 2);
                let label_room = room.saturating_sub(right_width + 1);
                let mut spans = vec![Span::styled(format!("{group:<group_width$}"), theme.meta)];
                spans.extend(fit_highlighted(&facet.label, label_room, &[], style, style));
                // The label comes padded to its room; then the count, flush right.
                let right = crate::wrap::truncate(&right, right_width).into_owned();
                let pad = 1 + right_width - str_width(&right).min(right_width);
                spans.push(Span::styled(" ".repeat(pad), style));
                spans.push(Span::styled(right, style.patch(theme.meta)));
                lines.push(Line::from(spans));
            }
            if panel.shown.is_empty() {
                lines.push(Line::from(Span::styled("  nothing matches", theme.meta)));
            }
            let order = if panel.by_name { "by name" } else { "by count" };
            (
                format!(" Filters · {order} · {} ", panel.shown.len()),
                lines,
                inner,
            )
        }
        Overlay::History { entries, selected } => {
            let inner = usize::from(max_width.saturating_sub(2));
            let rows = crate::app::overlay::facet_rows((screen.width, screen.height)) + 1;
            let first = selected.saturating_sub(rows.saturating_sub(1));
            let lines = entries
                .iter()
                .enumerate()
                .skip(first)
                .take(rows)
                .map(|(row, &(article, at))| {
                    let style = if row == *selected {
                        theme.selected
                    } else {
                        Style::new()
                    };
                    let when = read_when(at);
                    let title = app.article(article).map_or("", |a| a.title.as_str());
                    let mut spans = vec![Span::styled(format!("{when:<17}"), theme.meta)];
                    spans.extend(fit_highlighted(
                        title,
                        inner.saturating_sub(17),
                        &[],
                        style,
                        style,
                    ));
                    Line::from(spans)
                })
                .collect();
            (format!(" History ({}) ", entries.len()), lines, inner)
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
        Overlay::Skipped { .. } | Overlay::Facets(_) | Overlay::History { .. } => max_height,
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
    if let Overlay::Facets(panel) = overlay {
        // The cursor in the panel's box, where typing goes.
        let before = panel.query.get(..panel.cursor).unwrap_or(&panel.query);
        let x = area.x + 1 + 2 + str_width(before) as u16;
        if x < area.right().saturating_sub(1) {
            frame.set_cursor_position((x, area.y + 1));
        }
    }
    Some(area)
}

/// When an article was marked read, in local time: `2024-06-30 14:02`; `earlier`
/// when the state does not say.
fn read_when(ms: u64) -> String {
    let Some(at) = i64::try_from(ms)
        .ok()
        .filter(|&ms| ms > 1)
        .and_then(chrono::DateTime::from_timestamp_millis)
    else {
        return "earlier".to_owned();
    };
    at.with_timezone(&chrono::Local)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

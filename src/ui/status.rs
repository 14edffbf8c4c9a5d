//! The status line: the keys that matter in the current focus, and the latest message.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Theme;
use crate::app::{Action, App, Context};
use crate::wrap::str_width;

/// The few actions worth a hint in each context.
fn hints(context: Context) -> &'static [Action] {
    match context {
        Context::List => &[
            Action::SelectNext,
            Action::FocusReader,
            Action::SearchStart,
            Action::SearchBodies,
            Action::ToggleHelp,
            Action::Quit,
        ],
        Context::Reader => &[
            Action::ScrollPageDown,
            Action::NextArticle,
            Action::FindStart,
            Action::FocusList,
            Action::ToggleHelp,
        ],
        Context::Search => &[
            Action::SelectNext,
            Action::SearchAccept,
            Action::SearchToggleMode,
            Action::SearchCancel,
        ],
        Context::Find => &[Action::SearchAccept, Action::SearchCancel],
        Context::Finding => &[
            Action::FindNext,
            Action::FindPrev,
            Action::FindClear,
            Action::FocusList,
        ],
        Context::Links => &[
            Action::PickerNext,
            Action::PickerCopy,
            Action::PickerOpen,
            Action::CloseOverlay,
        ],
        Context::Skipped => &[Action::ScrollDown, Action::CloseOverlay],
        Context::Question => &[Action::Confirm, Action::Decline],
        Context::Prompt => &[Action::PipeRun, Action::PipeCancel],
        Context::History => &[
            Action::PickerNext,
            Action::HistoryOpen,
            Action::CloseOverlay,
        ],
        Context::Facets => &[
            Action::PickerNext,
            Action::FacetChoose,
            Action::FacetOrder,
            Action::CloseOverlay,
        ],
        Context::Help | Context::Global => &[Action::ToggleHelp],
    }
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let context = app.context();
    if let Some((text, cursor)) = &app.prompt {
        // `| command▏`, the hints after it.
        let lead = "pipe to: ";
        let shown = if text.is_empty() { "" } else { text.as_str() };
        let mut spans = vec![
            Span::styled(lead, theme.prompt),
            Span::raw(shown.to_owned()),
        ];
        if text.is_empty() {
            spans.push(Span::styled("$PAGER or less", theme.meta));
        }
        let used = str_width(lead) + str_width(shown) + if text.is_empty() { 14 } else { 0 };
        let hints = hint_spans(
            app,
            context,
            usize::from(area.width).saturating_sub(used + 2),
            theme,
        );
        let hints_width: usize = hints.iter().map(|s| str_width(&s.content)).sum();
        if hints_width > 0 {
            spans.push(Span::raw(" ".repeat(
                usize::from(area.width).saturating_sub(used + hints_width),
            )));
            spans.extend(hints);
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), area);
        let before = text.get(..*cursor).unwrap_or(text);
        let x = area.x + (str_width(lead) + str_width(before)) as u16;
        if x < area.right() {
            frame.set_cursor_position((x, area.y));
        }
        return;
    }
    let counter = app
        .find
        .is_visible()
        .then(|| app.find.counter())
        .filter(|c| !c.is_empty());
    let message = counter
        .as_ref()
        .or(app.warning.as_ref())
        .or(app.message.as_ref());
    let width = usize::from(area.width);
    // A fresh message (or a question, or a warning) takes the line first; the hints
    // get what room is left. Older messages give way to the hints.
    let first = app.question.is_some() || app.warning.is_some() || app.said.fresh(app.clock());
    let mut spans = Vec::new();
    let mut used = 0;
    if let (true, Some(message)) = (first, message) {
        let message = crate::wrap::truncate(message, width);
        used = str_width(&message);
        spans.push(Span::styled(message.into_owned(), theme.message));
    }
    let hints = hint_spans(app, context, width.saturating_sub(used + 2), theme);
    let hints_width: usize = hints.iter().map(|s| str_width(&s.content)).sum();
    if first && message.is_some() {
        if hints_width > 0 {
            spans.push(Span::raw(" ".repeat(width - used - hints_width)));
            spans.extend(hints);
        }
    } else {
        spans.extend(hints);
        if let Some(message) = message {
            let room = width.saturating_sub(hints_width + 2);
            let message = crate::wrap::truncate(message, room);
            if !message.is_empty() {
                let pad = width - hints_width - str_width(&message);
                spans.push(Span::raw(" ".repeat(pad)));
                spans.push(Span::styled(message.into_owned(), theme.message));
            }
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The hints that fit in `room` columns.
fn hint_spans(app: &App, context: Context, room: usize, theme: &Theme) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    let mut used = 0;
    for action in hints(context) {
        let Some(key) = app.keymap.key_for(context, action) else {
            continue;
        };
        let what = if context == Context::Help {
            "close"
        } else {
            action.describe()
        };
        let key = key.to_string();
        let gap = if spans.is_empty() { "" } else { "  " };
        let width = str_width(gap) + str_width(&key) + 1 + str_width(what);
        if used + width > room {
            break;
        }
        used += width;
        spans.push(Span::styled(gap, theme.status));
        spans.push(Span::styled(key, theme.key));
        spans.push(Span::styled(format!(" {what}"), theme.status));
    }
    spans
}

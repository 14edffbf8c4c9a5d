//! The help overlay's content and layout: every binding of the keymap and the search syntax, in columns that fit the screen.

use super::App;
use super::keymap::Context;
use crate::wrap::{str_width, wrap};

/// Width of the keys column of a line.
const KEYS_WIDTH: usize = 20;
/// Preferred widest column.
const MAX_COLUMN: usize = 52;
/// Space between columns.
pub const GUTTER: usize = 3;

/// One line of the overlay: a heading or a binding.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HelpLine {
    pub heading: bool,
    pub text: String,
    /// Where, in `text`, the action's name begins (drawn dimmed): the name a
    /// config file binds keys to.
    pub name_at: Option<usize>,
}

/// The overlay laid out for a screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpLayout {
    pub columns: Vec<Vec<HelpLine>>,
    pub column_width: usize,
    /// Lines of the tallest column.
    pub height: usize,
    /// Lines that fit on screen at once.
    pub visible: usize,
}

impl HelpLayout {
    pub fn max_scroll(&self) -> usize {
        self.height.saturating_sub(self.visible)
    }
}

/// Keys, what they do, and the action's name (for a config file).
type Entry = (String, String, Option<&'static str>);

fn line(keys: &str, what: &str) -> Entry {
    (format!("  {keys}"), what.to_owned(), None)
}

/// Sections: a heading per context with `keys  description  name` per binding, then
/// the query syntax.
fn sections(app: &App) -> Vec<(String, Vec<Entry>)> {
    let mut out = Vec::new();
    // The help overlay's own keys are in its border.
    for context in Context::ALL.into_iter().filter(|&c| c != Context::Help) {
        let mut lines: Vec<Entry> = app
            .keymap
            .bindings()
            .iter()
            .filter(|b| b.context == context && !b.keys.is_empty())
            .map(|b| {
                let keys: Vec<String> = b.keys.iter().map(ToString::to_string).collect();
                let (keys, what, _) = line(&keys.join(" "), b.action.describe());
                (keys, what, Some(b.action.name()))
            })
            .collect();
        if matches!(context, Context::Search | Context::Find) {
            lines.push(line("other keys", "typed into the box"));
        }
        if context == Context::Links {
            lines.push(line("1 2 …", "pick a link by its number"));
        }
        if !lines.is_empty() {
            out.push((context.title().to_owned(), lines));
        }
    }
    let syntax = crate::search::SYNTAX_HELP
        .iter()
        .map(|(pattern, meaning)| line(pattern, meaning))
        .collect();
    out.push(("Search syntax".to_owned(), syntax));
    let filters = crate::search::filter::FILTER_HELP
        .iter()
        .map(|(pattern, meaning)| line(pattern, meaning))
        .collect();
    out.push(("Filters (in the search box)".to_owned(), filters));
    if !app.searches.is_empty() {
        let saved = app
            .searches
            .iter()
            .map(|(name, query)| line(name, query))
            .collect();
        out.push(("Saved searches ([searches])".to_owned(), saved));
    }
    out
}

/// Lays the sections out in as many columns as `width` allows, wrapping long
/// descriptions under their own column.
pub fn layout(app: &App) -> HelpLayout {
    let (width, height) = (usize::from(app.size.0), usize::from(app.size.1));
    let inner_width = width.saturating_sub(4).max(1);
    let widest = sections(app)
        .iter()
        .flat_map(|(_, lines)| {
            lines.iter().map(|(k, w, n)| {
                KEYS_WIDTH.max(str_width(k) + 1) + str_width(w) + n.map_or(0, |n| n.len() + 2)
            })
        })
        .max()
        .unwrap_or(0);
    let column_width = widest.min(MAX_COLUMN).min(inner_width).max(1);
    let count = ((inner_width + GUTTER) / (column_width + GUTTER)).max(1);

    let mut sections: Vec<Vec<HelpLine>> = sections(app)
        .into_iter()
        .map(|(title, lines)| {
            let mut out = vec![HelpLine {
                heading: true,
                text: title,
                name_at: None,
            }];
            for (keys, what, name) in lines {
                out.extend(binding_lines(&keys, &what, name, column_width));
            }
            out
        })
        .collect();
    let total: usize = sections.iter().map(|s| s.len() + 1).sum();
    let target = total.div_ceil(count);
    let mut columns: Vec<Vec<HelpLine>> = vec![Vec::new()];
    for section in sections.drain(..) {
        let current = columns.len() - 1;
        let column = &mut columns[current];
        if !column.is_empty() && column.len() + section.len() > target && current + 1 < count {
            columns.push(section);
        } else {
            if !column.is_empty() {
                column.push(HelpLine::default());
            }
            column.extend(section);
        }
    }
    let tallest = columns.iter().map(Vec::len).max().unwrap_or(0);
    HelpLayout {
        columns,
        column_width,
        height: tallest,
        visible: height.saturating_sub(3).max(1),
    }
}

/// A binding as lines of at most `width` columns: keys, then the description, which
/// wraps under itself, then the action's name (on a line of its own if it must).
fn binding_lines(keys: &str, what: &str, name: Option<&str>, width: usize) -> Vec<HelpLine> {
    let key_col = KEYS_WIDTH.max(str_width(keys) + 1);
    let (mut out, indent, room) = if key_col + 8 > width {
        // Too narrow for two columns: keys on one line, the description under them.
        let mut out = vec![HelpLine {
            text: keys.to_owned(),
            ..HelpLine::default()
        }];
        let room = width.saturating_sub(4).max(1);
        out.extend(wrap(what, room).into_iter().map(|l| HelpLine {
            text: format!("    {l}"),
            ..HelpLine::default()
        }));
        (out, 4, room)
    } else {
        let room = width - key_col;
        let out = wrap(what, room)
            .into_iter()
            .enumerate()
            .map(|(i, l)| {
                let lead = if i == 0 {
                    format!("{keys}{}", " ".repeat(key_col - str_width(keys)))
                } else {
                    " ".repeat(key_col)
                };
                HelpLine {
                    text: format!("{lead}{l}"),
                    ..HelpLine::default()
                }
            })
            .collect();
        (out, key_col, room)
    };
    if let Some(name) = name {
        let last = out
            .last_mut()
            .filter(|l| str_width(&l.text).saturating_sub(indent) + 2 + name.len() <= room);
        match last {
            Some(line) => {
                line.text.push_str("  ");
                line.name_at = Some(line.text.len());
                line.text.push_str(name);
            }
            None => {
                let text = format!("{}{name}", " ".repeat(indent));
                out.push(HelpLine {
                    name_at: Some(indent),
                    text,
                    ..HelpLine::default()
                });
            }
        }
    }
    out
}

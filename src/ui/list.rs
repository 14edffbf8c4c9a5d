//! The list pane: the search box, one row per article (date, source, title), the count in the border.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Theme;
use super::text::{fit_highlighted, truncate};
use crate::app::loading::Loading;
use crate::app::search::SearchMode;
use crate::app::{App, Focus, layout};
use crate::format::thousands;
use crate::wrap::str_width;

/// Source names are cut to this many columns so titles line up.
const SOURCE_WIDTH: usize = 10;
/// Dates (in the configured format) are cut to this many columns.
const MAX_DATE_WIDTH: usize = 24;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let focused = app.focus == Focus::List || app.search.typing;
    // A search or a filter shows how many of all; a sort order alone hides none.
    let count = if app.list.filter.is_some()
        && (app.search.is_visible() || app.list.len() != app.list.total)
    {
        format!(
            " {}/{} ",
            thousands(app.list.len()),
            thousands(app.list.total)
        )
    } else {
        format!(" {} ", thousands(app.list.total))
    };
    let full_text = app.search.mode == SearchMode::Bodies && app.search.is_visible();
    let title_terms = app.title_terms();
    let what = if full_text { "Full text" } else { "Articles" };
    let filters = match (app.only_unread, app.only_starred) {
        (false, false) => "",
        (true, false) => " (unread)",
        (false, true) => " (starred)",
        (true, true) => " (unread, starred)",
    };
    // The order the rows are in: a search ranks them, else the sort order does.
    let ranked = app.search.is_visible() && (full_text || !title_terms.is_empty());
    let order = if ranked {
        "best first"
    } else {
        app.sort.name()
    };
    let title = format!(" {what}{filters} · {order} ");
    let block = super::pane(if focused {
        theme.border_focused
    } else {
        theme.border
    })
    .title(Line::from(title))
    .title(Line::from(count).right_aligned());
    frame.render_widget(block, area);
    let mut inner = layout::inner(area);
    if inner.is_empty() {
        return;
    }
    if app.search.is_visible() {
        draw_search_box(frame, Rect { height: 1, ..inner }, app, theme);
        inner.y += 1;
        inner.height = inner.height.saturating_sub(1);
    }
    if let Some(loading) = &app.loading
        && inner.height > 0
    {
        inner.height -= 1;
        let bar = Rect {
            y: inner.bottom(),
            height: 1,
            ..inner
        };
        frame.render_widget(
            Paragraph::new(progress_bar(loading, bar.width, app.skipped.len())),
            bar,
        );
    }
    let width = usize::from(inner.width);
    let date_format = &app.appearance.date_format;
    let date_width = date_format.width().min(MAX_DATE_WIDTH);
    let (date_width, source_width) = match width {
        w if w >= 50 + date_width => (date_width, SOURCE_WIDTH),
        w if w >= 30 + date_width => (date_width, 0),
        _ => (0, 0),
    };
    let query = title_terms.trim();
    let lines_per_item = app.list.lines_per_item.max(1);
    let visible: Vec<usize> = (app.list.offset..app.list.len())
        .take(usize::from(inner.height) / lines_per_item)
        .collect();
    // The matched characters of every row on screen, the query compiled once.
    let matched = if query.is_empty() || full_text {
        Vec::new()
    } else {
        let articles: Vec<usize> = visible
            .iter()
            .filter_map(|&r| app.list.article_at(r))
            .collect();
        app.index.positions_of(&articles, query)
    };
    let mut rows: Vec<Line> = Vec::new();
    for (k, &row) in visible.iter().enumerate() {
        let Some(index) = app.list.article_at(row) else {
            break;
        };
        let Some(article) = app.article(index) else {
            break;
        };
        let selected = row == app.list.selected;
        let base = match (selected, focused) {
            (true, true) => theme.selected,
            (true, false) => theme.selected_unfocused,
            _ => Style::new(),
        };
        let mut spans = Vec::new();
        // N for unread (as in mutt and newsboat), * for starred: seen without colour.
        let read = app.is_read(index);
        let marker = match (read, app.is_starred(index)) {
            (false, true) => "N*",
            (false, false) => "N ",
            (true, true) => " *",
            (true, false) => "  ",
        };
        spans.push(Span::styled(marker, base.patch(theme.marker)));
        let mut used = 2;
        let base = if read { base } else { base.patch(theme.unread) };
        if date_width > 0 {
            let date = article.date_in(date_format);
            let date = truncate(&date, date_width);
            let pad = date_width.saturating_sub(str_width(&date));
            spans.push(Span::styled(
                format!("{date}{} ", " ".repeat(pad)),
                base.patch(theme.date),
            ));
            used += date_width + 1;
        }
        if source_width > 0 {
            let source = truncate(article.source.as_deref().unwrap_or(""), source_width);
            let pad = source_width - str_width(&source);
            spans.push(Span::styled(
                format!("{source}{} ", " ".repeat(pad)),
                base.patch(theme.source),
            ));
            used += source_width + 1;
        }
        let positions = matched.get(k).map_or(&[][..], Vec::as_slice);
        spans.extend(fit_highlighted(
            &article.title,
            width.saturating_sub(used),
            positions,
            base,
            base.patch(theme.matched),
        ));
        rows.push(Line::from(spans));
        if lines_per_item > 1 {
            let hit = app.body_hits.get(row).map(|h| h.snippet(article.body()));
            rows.push(snippet_line(hit, width, base, theme));
        }
    }
    frame.render_widget(Paragraph::new(rows), inner);
}

/// The load's progress as a bar `width` columns wide, its figures written over it:
/// the part done in reverse video (no block characters, whose width varies between terminals).
fn progress_bar(loading: &Loading, width: u16, skipped: usize) -> Line<'static> {
    let p = &loading.progress;
    let skipped = if skipped > 0 {
        format!(", {skipped} skipped")
    } else {
        String::new()
    };
    // The longest wording that fits.
    let label = if loading.found {
        let (done, total) = (thousands(p.files_done), thousands(p.files_total));
        let rate = p.mb_per_s();
        [
            format!(" loading {done}/{total} files, {rate:.0} MB/s{skipped}"),
            format!(" loading {done}/{total}, {rate:.0} MB/s{skipped}"),
            format!(" {done}/{total}, {rate:.0} MB/s{skipped}"),
            format!(" {done}/{total}{skipped}"),
        ]
        .into_iter()
        .find(|l| l.len() <= usize::from(width))
        .unwrap_or_else(|| format!(" {done}/{total}"))
    } else {
        format!(" looking for articles...{skipped}")
    };
    let width = usize::from(width);
    let label = format!("{label:<width$}");
    let label = truncate(&label, width).into_owned();
    let done = (loading.ratio() * width as f64).round() as usize;
    let split = label
        .char_indices()
        .nth(done)
        .map_or(label.len(), |(at, _)| at);
    Line::from(vec![
        Span::styled(
            label[..split].to_owned(),
            Style::new().add_modifier(Modifier::REVERSED),
        ),
        Span::styled(
            label[split..].to_owned(),
            Style::new().add_modifier(Modifier::DIM),
        ),
    ])
}

/// The second line of a full-text result: the text around the match, match highlighted.
fn snippet_line(
    hit: Option<(String, std::ops::Range<usize>)>,
    width: usize,
    base: Style,
    theme: &Theme,
) -> Line<'static> {
    let Some((snippet, highlight)) = hit else {
        return Line::default();
    };
    let start = snippet
        .get(..highlight.start)
        .map_or(0, |s| s.chars().count());
    let len = snippet.get(highlight).map_or(0, |s| s.chars().count());
    let positions: Vec<usize> = (start..start + len).collect();
    let mut spans = vec![Span::styled("  ", base)];
    spans.extend(fit_highlighted(
        &snippet,
        width.saturating_sub(2),
        &positions,
        base.patch(theme.meta),
        base.patch(theme.matched),
    ));
    Line::from(spans)
}

fn draw_search_box(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let prompt = match app.search.mode {
        SearchMode::Titles => "/ ",
        SearchMode::Bodies => "f/ ",
    };
    let room = usize::from(area.width).saturating_sub(prompt.len() + 1);
    let (shown, cursor_x) = window(&app.search.query, app.search.cursor, room);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(prompt, theme.prompt),
            Span::raw(shown.to_owned()),
        ])),
        area,
    );
    if app.search.typing && !app.help {
        let x = area.x + (prompt.len() + cursor_x) as u16;
        frame.set_cursor_position((x.min(area.right().saturating_sub(1)), area.y));
    }
}

/// The part of a box's `text` shown in `room` columns with its cursor at byte
/// `cursor` in sight (the end of a long text, unless the cursor is further
/// back), and the cursor's column in it.
pub fn window(text: &str, cursor: usize, room: usize) -> (&str, usize) {
    let cursor = cursor.min(text.len());
    let cursor = (0..=cursor)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    if str_width(text) <= room {
        return (text, str_width(&text[..cursor]));
    }
    // Start as late as keeps the cursor (and the end, if it can) in view.
    let mut start = cursor;
    let mut used = 0;
    for (i, c) in text[..cursor].char_indices().rev() {
        used += crate::wrap::char_width(c);
        if used >= room {
            break;
        }
        start = i;
    }
    // Room left after the cursor shows what follows it.
    let mut end = cursor;
    let mut used = str_width(&text[start..cursor]);
    for (i, c) in text[cursor..].char_indices() {
        used += crate::wrap::char_width(c);
        if used > room {
            break;
        }
        end = cursor + i + c.len_utf8();
    }
    (&text[start..end], str_width(&text[start..cursor]))
}

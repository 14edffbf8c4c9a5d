//! The reader pane: the open article's wrapped rows, styled, with the reading position in the border.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Hyperlink, Theme};
use crate::app::reader::{ParaKind, ParaText, Row};
use crate::app::{App, Focus, layout};
use crate::article::{Article, SpanStyle};
use crate::body::Kind;
use crate::wrap::str_width;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let focused = app.focus == Focus::Reader && !app.search.typing;
    let mut block = super::pane(if focused {
        theme.border_focused
    } else {
        theme.border
    });
    let article = app.open_article();
    if let Some(article) = article {
        let source = article.source.as_deref().unwrap_or("Reader");
        // Its file is gone: the reader keeps it until the user moves, and says so.
        let gone = if app.orphan.is_some() {
            " · file removed"
        } else {
            ""
        };
        block = block
            .title(Line::from(format!(" {source}{gone} ")))
            .title_bottom(Line::from(format!(" {} ", app.reader.position())).right_aligned());
    }
    let room = usize::from(area.width).saturating_sub(24);
    let (query, cursor_x) = super::list::window(&app.find.query, app.find.cursor, room);
    if app.find.is_visible() {
        block = block.title_bottom(Line::from(vec![
            Span::styled(" / ", theme.prompt),
            Span::raw(format!("{query} ")),
        ]));
    }
    frame.render_widget(block, area);
    if app.find.typing && !app.help {
        let x = area.x + 4 + cursor_x as u16;
        frame.set_cursor_position((
            x.min(area.right().saturating_sub(1)),
            area.bottom().saturating_sub(1),
        ));
    }
    let inner = layout::reader_text(area);
    if inner.is_empty() {
        return;
    }
    let Some(article) = article else {
        let note = if app.list.is_empty() {
            "No matching titles"
        } else {
            "No article"
        };
        let y = inner.y + inner.height / 2;
        frame.render_widget(
            Paragraph::new(note).alignment(Alignment::Center),
            Rect::new(inner.x, y, inner.width, 1),
        );
        return;
    };
    let lines: Vec<Line> = app
        .reader
        .rows
        .iter()
        .skip(app.reader.scroll)
        .take(usize::from(inner.height))
        .map(|row| row_line(app, article, row, theme, usize::from(inner.width)))
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Where the reader shows links on screen, for terminals that take OSC 8 hyperlinks:
/// the URL line, linked words of the body, and the numbered links at the end.
pub fn hyperlinks(app: &App) -> Vec<Hyperlink> {
    let (Some(area), Some(article)) = (app.areas().reader, app.open_article()) else {
        return Vec::new();
    };
    if app.help || app.overlay.is_some() {
        // Something is drawn over the reader.
        return Vec::new();
    }
    let inner = layout::reader_text(area);
    let first_link_para = app
        .reader
        .paras
        .iter()
        .position(|p| p.kind == ParaKind::Link);
    let mut out = Vec::new();
    let rows = app.reader.rows.iter().skip(app.reader.scroll);
    for (y, row) in (inner.y..inner.bottom()).zip(rows) {
        let Some(para) = app.reader.paras.get(row.para as usize) else {
            continue;
        };
        let text = para.text_in(article);
        let (start, end) = (row.start as usize, row.end as usize);
        let slice = text.get(start..end).unwrap_or("");
        let lead = match (&para.shape, row.lead) {
            (Some(shape), true) => str_width(&shape.lead) as u16,
            _ => 0,
        };
        let columns = |from: usize, to: usize| {
            let x = |at: usize| inner.x + lead + str_width(slice.get(..at).unwrap_or(slice)) as u16;
            x(from)..x(to).min(inner.right())
        };
        let mut link = |x: std::ops::Range<u16>, url: &str| {
            if !x.is_empty() {
                out.push(Hyperlink {
                    y,
                    x,
                    url: url.to_owned(),
                });
            }
        };
        match (&para.text, para.kind) {
            (ParaText::Owned(_), ParaKind::Url) => {
                if let Some(url) = &article.url {
                    link(columns(0, slice.len()), url);
                }
            }
            (ParaText::Owned(_), ParaKind::Link) => {
                let number = first_link_para.map_or(0, |f| row.para as usize - f);
                if let Some(l) = article.links().get(number) {
                    link(columns(0, slice.len()), &l.url);
                }
            }
            (ParaText::Body(range), _) => {
                let offset = range.start + start;
                let end = offset + slice.len();
                let first = article
                    .spans()
                    .partition_point(|s| (s.end as usize) <= offset);
                for span in article.spans()[first..]
                    .iter()
                    .take_while(|s| (s.start as usize) < end)
                {
                    let SpanStyle::Link(n) = span.style else {
                        continue;
                    };
                    // Links are numbered from 1.
                    let Some(l) = article.links().get((n as usize).wrapping_sub(1)) else {
                        continue;
                    };
                    let from = (span.start as usize).clamp(offset, end) - offset;
                    let to = (span.end as usize).clamp(offset, end) - offset;
                    link(columns(from, to), &l.url);
                }
            }
            _ => {}
        }
    }
    out
}

fn row_line<'a>(
    app: &'a App,
    article: &'a Article,
    row: &Row,
    theme: &Theme,
    width: usize,
) -> Line<'a> {
    let Some(para) = app.reader.paras.get(row.para as usize) else {
        return Line::default();
    };
    let text = para.text_in(article);
    let (start, end) = (row.start as usize, row.end as usize);
    let slice = text.get(start..end).unwrap_or("");
    let style = match para.kind {
        ParaKind::Title => theme.title,
        ParaKind::Meta => theme.meta,
        ParaKind::Url => theme.url,
        ParaKind::LinksHeading => theme.title,
        ParaKind::Link => theme.link,
        ParaKind::Blank | ParaKind::Body => Style::new(),
    };
    let ParaText::Body(range) = &para.text else {
        return Line::from(Span::styled(slice, style));
    };
    let shape = para.shape.as_deref();
    if shape.is_some_and(|s| s.kind == Kind::Rule) {
        let prefix = shape.map_or("", |s| &text[..s.prefix.min(text.len())]);
        let rule = "─".repeat(width.saturating_sub(str_width(prefix)));
        return Line::from(vec![
            Span::styled(prefix, theme.meta),
            Span::styled(rule, theme.meta),
        ]);
    }
    let mut line = styled_body(app, article, range.start + start, slice, theme);
    if let Some(Kind::Heading(_)) = shape.map(|s| s.kind) {
        line = line.patch_style(theme.title);
    }
    match shape {
        Some(shape) if row.lead => {
            let mut spans = vec![Span::styled(shape.lead.clone(), theme.meta)];
            spans.extend(line.spans);
            Line::from(spans)
        }
        _ => line,
    }
}

/// A body row with the article's emphasis and link spans applied, and the find
/// box's matches highlighted (the current one in reverse video).
fn styled_body<'a>(
    app: &App,
    article: &Article,
    offset: usize,
    slice: &'a str,
    theme: &Theme,
) -> Line<'a> {
    let end = offset + slice.len();
    let first_span = article
        .spans()
        .partition_point(|s| (s.end as usize) <= offset);
    let spans: Vec<(usize, usize, Style)> = article.spans()[first_span..]
        .iter()
        .take_while(|s| (s.start as usize) < end)
        .map(|s| {
            let style = match s.style {
                SpanStyle::Strong => theme.strong,
                SpanStyle::Emphasis => theme.emphasis,
                SpanStyle::Code => theme.code,
                SpanStyle::Link(_) => theme.link,
                SpanStyle::Heading(_) => theme.title,
                SpanStyle::Prefix | SpanStyle::Rule => theme.meta,
                SpanStyle::Cell => Style::new(),
            };
            (s.start as usize, s.end as usize, style)
        })
        .collect();
    let matches = &app.find.matches;
    let first_match = matches.partition_point(|m| m.end <= offset);
    let current = app.find.current_match();
    let found: Vec<(usize, usize, Style)> = matches[first_match..]
        .iter()
        .take_while(|m| m.start < end)
        .map(|m| {
            let style = if Some(m) == current.as_ref() {
                theme.matched.add_modifier(Modifier::REVERSED)
            } else {
                theme.matched
            };
            (m.start, m.end, style)
        })
        .collect();
    if spans.is_empty() && found.is_empty() {
        return Line::from(slice);
    }
    // Cut the row wherever a style starts or ends, and style each piece.
    let mut cuts: Vec<usize> = vec![offset, end];
    for &(a, b, _) in spans.iter().chain(&found) {
        cuts.extend([a.clamp(offset, end), b.clamp(offset, end)]);
    }
    cuts.sort_unstable();
    cuts.dedup();
    let style_at = |at: usize| {
        let mut style = Style::new();
        for &(a, b, s) in spans.iter().chain(&found) {
            if a <= at && at < b {
                style = style.patch(s);
            }
        }
        style
    };
    let pieces = cuts.windows(2).filter_map(|w| {
        let text = slice.get(w[0] - offset..w[1] - offset)?;
        Some(Span::styled(text, style_at(w[0])))
    });
    Line::from(pieces.collect::<Vec<_>>())
}

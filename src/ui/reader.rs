//! The reader pane: the open article's wrapped rows, styled, with the reading position in the border.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::Theme;
use crate::app::reader::{ParaKind, ParaText, Row};
use crate::app::{App, Focus, layout};
use crate::article::{Article, SpanStyle};

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let focused = app.focus == Focus::Reader && !app.search.typing;
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(if focused {
            theme.border_focused
        } else {
            theme.border
        });
    let article = app.open_article();
    if let Some(article) = article {
        let source = article.source.as_deref().unwrap_or("Reader");
        block = block
            .title(Line::from(format!(" {source} ")))
            .title_bottom(Line::from(format!(" {} ", app.reader.position())).right_aligned());
    }
    frame.render_widget(block, area);
    let inner = layout::inner(area);
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
        .map(|row| row_line(app, article, row, theme))
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn row_line<'a>(app: &'a App, article: &'a Article, row: &Row, theme: &Theme) -> Line<'a> {
    let Some(para) = app.reader.paras.get(row.para as usize) else {
        return Line::default();
    };
    let text = app.reader.para_text(para, article);
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
    match &para.text {
        ParaText::Body(range) => styled_body(article, range.start + start, slice, theme),
        ParaText::Owned(_) => Line::from(Span::styled(slice, style)),
    }
}

/// A body row with the article's emphasis and link spans applied.
fn styled_body<'a>(article: &Article, offset: usize, slice: &'a str, theme: &Theme) -> Line<'a> {
    let end = offset + slice.len();
    let first = article
        .spans
        .partition_point(|s| (s.end as usize) <= offset);
    let mut spans = Vec::new();
    let mut at = offset;
    for s in article.spans[first..]
        .iter()
        .take_while(|s| (s.start as usize) < end)
    {
        let (s_start, s_end) = ((s.start as usize).max(at), (s.end as usize).min(end));
        if s_start >= s_end {
            continue;
        }
        if s_start > at {
            spans.push(Span::raw(&slice[at - offset..s_start - offset]));
        }
        let style = match s.style {
            SpanStyle::Strong => theme.strong,
            SpanStyle::Emphasis => theme.emphasis,
            SpanStyle::Code => theme.code,
            SpanStyle::Link(_) => theme.link,
        };
        if let Some(text) = slice.get(s_start - offset..s_end - offset) {
            spans.push(Span::styled(text, style));
        }
        at = s_end;
    }
    if at < end {
        spans.push(Span::raw(slice.get(at - offset..).unwrap_or("")));
    }
    Line::from(spans)
}

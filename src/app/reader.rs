//! The reader pane's state: the open article laid out as wrapped rows, and where it is scrolled to.

use std::ops::Range;

use crate::article::{Article, DateFormat};
use crate::body::{self, Shape};
use crate::wrap::wrap_ranges;

/// What a paragraph of the reader is, for its style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParaKind {
    Title,
    Meta,
    Url,
    Blank,
    Body,
    LinksHeading,
    Link,
}

/// A paragraph: header fields are owned, body paragraphs are ranges of the article's body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Para {
    pub kind: ParaKind,
    pub text: ParaText,
    /// A body line's structure, when it has any (a heading, a rule, quote or
    /// list marks, a table row).
    pub shape: Option<Box<Shape>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParaText {
    Owned(String),
    /// A byte range of [`Article::body`].
    Body(Range<usize>),
}

impl Para {
    /// The paragraph's text; body paragraphs are read from `article`.
    pub fn text_in<'a>(&'a self, article: &'a Article) -> &'a str {
        match &self.text {
            ParaText::Owned(s) => s,
            ParaText::Body(r) => article.body().get(r.clone()).unwrap_or(""),
        }
    }
}

/// One screen row: a byte range of one paragraph, after the paragraph's lead
/// (its quote marks and indentation) when `lead` is set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub para: u32,
    pub start: u32,
    pub end: u32,
    pub lead: bool,
}

/// The open article, wrapped for the pane's width.
#[derive(Debug, Clone, Default)]
pub struct Reader {
    /// Index of the open article in the collection.
    pub article: Option<usize>,
    pub paras: Vec<Para>,
    pub rows: Vec<Row>,
    /// Width the rows were wrapped to.
    pub width: u16,
    /// Height of the text area, for paging.
    pub height: u16,
    /// First visible row.
    pub scroll: usize,
    /// How the byline writes the date.
    pub date_format: DateFormat,
    /// The article was laid out before its text was loaded.
    pub missing_text: bool,
}

impl Reader {
    /// Opens `article` (index `index`) at the top.
    pub fn open(&mut self, index: usize, article: &Article) {
        self.article = Some(index);
        self.missing_text = !article.has_text();
        self.paras = paragraphs(article, &self.date_format);
        self.scroll = 0;
        self.rows = layout(&self.paras, article, self.width);
    }

    pub fn close(&mut self) {
        *self = Reader {
            width: self.width,
            height: self.height,
            date_format: std::mem::take(&mut self.date_format),
            ..Reader::default()
        };
    }

    /// Re-wraps for a new size, keeping the top of the screen on the same paragraph
    /// (and the same place in it), whatever line number that now is.
    pub fn resize(&mut self, width: u16, height: u16, article: Option<&Article>) {
        self.height = height;
        if width == self.width {
            self.clamp();
            return;
        }
        self.width = width;
        let anchor = self.rows.get(self.scroll).map(|r| (r.para, r.start));
        if let Some(article) = article {
            self.rows = layout(&self.paras, article, width);
        }
        if let Some((para, offset)) = anchor {
            self.scroll = self.row_at(para, offset);
        }
        self.clamp();
    }

    /// The row showing byte `offset` of paragraph `para`.
    fn row_at(&self, para: u32, offset: u32) -> usize {
        self.rows
            .partition_point(|r| r.para < para || (r.para == para && r.end <= offset))
    }

    /// Where the top of the screen is, as a paragraph and an offset in it, which
    /// any width can find again; `None` at the top.
    pub fn place(&self) -> Option<(u32, u32)> {
        if self.scroll == 0 {
            return None;
        }
        self.rows.get(self.scroll).map(|r| (r.para, r.start))
    }

    /// Scrolls to a place given by [`Reader::place`].
    pub fn go_to_place(&mut self, para: u32, offset: u32) {
        self.scroll = self.row_at(para, offset);
        self.clamp();
    }

    /// The last row that may be at the top of the screen.
    pub fn max_scroll(&self) -> usize {
        self.rows
            .len()
            .saturating_sub(usize::from(self.height.max(1)))
    }

    pub fn scroll_by(&mut self, delta: isize) {
        self.scroll = self.scroll.saturating_add_signed(delta);
        self.clamp();
    }

    pub fn scroll_to(&mut self, row: usize) {
        self.scroll = row;
        self.clamp();
    }

    fn clamp(&mut self) {
        self.scroll = self.scroll.min(self.max_scroll());
    }

    /// The text of paragraph `para`.
    /// The row showing byte `offset` of the article's body.
    pub fn row_of_body_offset(&self, offset: usize) -> Option<usize> {
        let para = self.paras.iter().position(|p| match &p.text {
            ParaText::Body(r) => r.start <= offset && offset <= r.end,
            ParaText::Owned(_) => false,
        })? as u32;
        let local = match &self.paras[para as usize].text {
            ParaText::Body(r) => (offset - r.start) as u32,
            ParaText::Owned(_) => 0,
        };
        let first = self.rows.partition_point(|r| r.para < para);
        let after = self
            .rows
            .partition_point(|r| r.para < para || (r.para == para && r.end <= local));
        let row = after.min(
            self.rows
                .partition_point(|r| r.para <= para)
                .saturating_sub(1),
        );
        Some(row.max(first))
    }

    /// The body offset where row `row` starts, if it is a body row.
    pub fn body_offset_of_row(&self, row: usize) -> Option<usize> {
        let row = self.rows.get(row)?;
        match &self.paras.get(row.para as usize)?.text {
            ParaText::Body(r) => Some(r.start + row.start as usize),
            ParaText::Owned(_) => None,
        }
    }

    /// Scrolls so that `row` is on screen: left alone when it already is,
    /// otherwise placed a third of the way down.
    pub fn show_row(&mut self, row: usize) {
        let height = usize::from(self.height.max(1));
        if row < self.scroll || row >= self.scroll + height {
            self.scroll = row.saturating_sub(height / 3);
            self.clamp();
        }
    }

    /// "lines 1–37/53 70%" for the pane's border, as `less` says it: the lines on
    /// screen, of how many, and how far the bottom of the screen is.
    pub fn position(&self) -> String {
        let total = self.rows.len();
        if total == 0 {
            return String::new();
        }
        let top = self.scroll.min(total - 1) + 1;
        let bottom = (self.scroll + usize::from(self.height.max(1))).min(total);
        let percent = bottom * 100 / total;
        format!("lines {top}–{bottom}/{total} {percent}%")
    }
}

/// The article as the reader shows it: title, byline, URL, body, links.
fn paragraphs(article: &Article, date_format: &DateFormat) -> Vec<Para> {
    let owned = |kind, s: String| Para {
        kind,
        text: ParaText::Owned(s),
        shape: None,
    };
    let mut paras = vec![owned(ParaKind::Title, article.title.clone())];
    let byline = article.byline_in(date_format);
    if !byline.is_empty() {
        paras.push(owned(ParaKind::Meta, byline));
    }
    if let Some(url) = &article.url {
        paras.push(owned(ParaKind::Url, crate::html::readable_url(url)));
    }
    paras.push(owned(ParaKind::Blank, String::new()));
    if !article.has_text() {
        paras.push(owned(ParaKind::Meta, "reading the text…".to_owned()));
    }
    for (range, shape) in body::shapes(article.body(), article.spans()) {
        let plain = shape.kind == body::Kind::Text && shape.prefix == 0;
        paras.push(Para {
            kind: if range.is_empty() {
                ParaKind::Blank
            } else {
                ParaKind::Body
            },
            text: ParaText::Body(range),
            shape: (!plain).then(|| Box::new(shape)),
        });
    }
    if !article.links().is_empty() {
        paras.push(owned(ParaKind::Blank, String::new()));
        paras.push(owned(ParaKind::LinksHeading, "Links".to_owned()));
        for (i, link) in article.links().iter().enumerate() {
            let url = crate::html::readable_url(&link.url);
            let text = if link.text.is_empty() || link.text == link.url || link.text == url {
                format!("[{}] {url}", i + 1)
            } else {
                format!("[{}] {} — {url}", i + 1, link.text)
            };
            paras.push(owned(ParaKind::Link, text));
        }
    }
    paras
}

fn layout(paras: &[Para], article: &Article, width: u16) -> Vec<Row> {
    let width = usize::from(width.max(1));
    let mut rows = Vec::new();
    for (i, para) in paras.iter().enumerate() {
        let text = para.text_in(article);
        match &para.shape {
            Some(shape) => {
                rows.extend(body::pieces(text, shape, width).into_iter().map(|p| Row {
                    para: i as u32,
                    start: p.range.start as u32,
                    end: p.range.end as u32,
                    lead: p.lead,
                }));
            }
            None => rows.extend(wrap_ranges(text, width).into_iter().map(|range| Row {
                para: i as u32,
                start: range.start as u32,
                end: range.end as u32,
                lead: false,
            })),
        }
    }
    rows
}

//! How each line of an article's body is set at a width, for the reader and `folio show` alike: headings, rules, quotes and lists whose wrapped lines keep their marks and hang under their text, and table rows that fall back to one cell per line.

use std::ops::Range;

use crate::article::{Span, SpanStyle};
use crate::wrap::{str_width, wrap_ranges};

/// What a line of the body is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// A heading of level 1 to 6.
    Heading(u8),
    /// A horizontal rule, drawn across the width.
    Rule,
    /// A table row, its cells aligned by spaces.
    Table,
}

/// A line's structure, read from the article's spans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shape {
    pub kind: Kind,
    /// Bytes of the line's quote and list marks.
    pub prefix: usize,
    /// What the line's wrapped rows begin with instead: its quote marks, and
    /// spaces under the rest, so that the text hangs under itself.
    pub lead: String,
    /// A table row's cells (bytes of the line).
    pub cells: Vec<Range<usize>>,
    /// A table row: the width of its table's widest row (all rows of a table
    /// are set alike).
    pub table_width: usize,
    /// The last row of its table.
    pub table_end: bool,
}

/// One row of a line set at a width: bytes of the line, after [`Shape::lead`]
/// when `lead` is set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub range: Range<usize>,
    pub lead: bool,
}

/// The spans of the article that fall in the line at body bytes `line`
/// (spans never cross lines, and lines' spans come in order).
pub fn spans_in(spans: &[Span], line: Range<usize>) -> &[Span] {
    let first = spans.partition_point(|s| (s.start as usize) < line.start);
    let last = spans.partition_point(|s| (s.start as usize) < line.end.max(line.start + 1));
    spans.get(first..last.max(first)).unwrap_or(&[])
}

/// The shape of `line`, which starts at body byte `at`; `spans` are the line's
/// (see [`spans_in`]).
pub fn shape(line: &str, at: usize, spans: &[Span]) -> Shape {
    let local = |s: &Span| {
        let start = (s.start as usize).saturating_sub(at).min(line.len());
        let end = (s.end as usize).saturating_sub(at).min(line.len());
        start..end
    };
    let prefix = spans
        .iter()
        .filter(|s| s.style == SpanStyle::Prefix && s.start as usize == at)
        .map(|s| local(s).end)
        .max()
        .filter(|&end| line.is_char_boundary(end))
        .unwrap_or(0);
    let content = at + prefix;
    let mut kind = Kind::Text;
    let mut cells = Vec::new();
    for s in spans {
        match s.style {
            SpanStyle::Rule => kind = Kind::Rule,
            SpanStyle::Heading(level)
                if kind == Kind::Text
                    && (s.start as usize) <= content
                    && content < s.end as usize =>
            {
                kind = Kind::Heading(level);
            }
            SpanStyle::Cell => {
                let cell = local(s);
                if line.is_char_boundary(cell.start) && line.is_char_boundary(cell.end) {
                    cells.push(cell);
                }
            }
            _ => {}
        }
    }
    if !cells.is_empty() && kind == Kind::Text {
        kind = Kind::Table;
        cells.sort_by_key(|c| c.start);
    }
    let lead = line[..prefix]
        .chars()
        .map(|c| if c == '>' { '>' } else { ' ' })
        .collect();
    let table_width = if kind == Kind::Table {
        str_width(line)
    } else {
        0
    };
    Shape {
        kind,
        prefix,
        lead,
        cells,
        table_width,
        table_end: true,
    }
}

/// Every line of `body` with its byte range and shape; the rows of a table
/// learn the width of the table's widest row.
pub fn shapes(body: &str, spans: &[Span]) -> Vec<(Range<usize>, Shape)> {
    let mut out: Vec<(Range<usize>, Shape)> = Vec::new();
    let mut at = 0;
    for line in body.split('\n') {
        let range = at..at + line.len();
        at += line.len() + 1;
        let shape = shape(line, range.start, spans_in(spans, range.clone()));
        out.push((range, shape));
    }
    let mut i = 0;
    while i < out.len() {
        if out[i].1.kind != Kind::Table {
            i += 1;
            continue;
        }
        let end = (i..out.len())
            .find(|&j| out[j].1.kind != Kind::Table)
            .unwrap_or(out.len());
        let widest = out[i..end]
            .iter()
            .map(|(_, s)| s.table_width)
            .max()
            .unwrap_or(0);
        for (_, shape) in &mut out[i..end] {
            shape.table_width = widest;
            shape.table_end = false;
        }
        out[end - 1].1.table_end = true;
        i = end;
    }
    out
}

/// The rows of `line` at `width` columns. A rule is one row (drawn across);
/// a table row that fits is one row, else each cell takes rows of its own and
/// a blank row ends the table row.
pub fn pieces(line: &str, shape: &Shape, width: usize) -> Vec<Piece> {
    let width = width.max(1);
    let lead_width = str_width(&shape.lead);
    // Too narrow to hang the text: it wraps from the edge.
    let (prefix, avail) = if lead_width + 4 <= width {
        (shape.prefix, width - lead_width)
    } else {
        (0, width)
    };
    match shape.kind {
        Kind::Rule => vec![Piece {
            range: 0..line.len(),
            lead: false,
        }],
        Kind::Table if shape.table_width.max(str_width(line)) > width => {
            let mut out = Vec::new();
            for cell in &shape.cells {
                let text = &line[cell.clone()];
                for (i, r) in wrap_ranges(text, avail).into_iter().enumerate() {
                    let first = out.is_empty() && i == 0;
                    out.push(Piece {
                        range: if first {
                            0..cell.start + r.end
                        } else {
                            cell.start + r.start..cell.start + r.end
                        },
                        lead: !first && prefix > 0,
                    });
                }
            }
            // A blank row before the next row keeps rows apart.
            if !shape.table_end {
                out.push(Piece {
                    range: line.len()..line.len(),
                    lead: prefix > 0,
                });
            }
            out
        }
        Kind::Table => vec![Piece {
            range: 0..line.len(),
            lead: false,
        }],
        Kind::Text | Kind::Heading(_) => {
            let content = &line[prefix..];
            let ranges = wrap_ranges(content, avail);
            if ranges.is_empty() {
                return vec![Piece {
                    range: 0..line.len(),
                    lead: false,
                }];
            }
            ranges
                .into_iter()
                .enumerate()
                .map(|(i, r)| Piece {
                    range: if i == 0 {
                        0..prefix + r.end
                    } else {
                        prefix + r.start..prefix + r.end
                    },
                    lead: i > 0 && prefix > 0,
                })
                .collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start: usize, end: usize, style: SpanStyle) -> Span {
        Span {
            start: start as u32,
            end: end as u32,
            style,
        }
    }

    fn rows(line: &str, spans: &[Span], width: usize) -> Vec<String> {
        let shape = shape(line, 0, spans);
        pieces(line, &shape, width)
            .into_iter()
            .map(|p| {
                let lead = if p.lead { shape.lead.as_str() } else { "" };
                format!("{lead}{}", &line[p.range])
            })
            .collect()
    }

    #[test]
    fn quotes_and_list_items_hang() {
        let line = "> 1. 一二三四五六七八九十一二三四五六七八九十";
        let spans = [span(0, 5, SpanStyle::Prefix)];
        let got = rows(line, &spans, 16);
        assert_eq!(got[0], "> 1. 一二三四五");
        assert!(
            got[1..]
                .iter()
                .all(|r| r.starts_with(">    ") && str_width(r) <= 16),
            "{got:?}"
        );
        let all: String = got
            .iter()
            .map(|r| r.trim_start_matches(['>', ' ']))
            .collect();
        assert_eq!(all, "1. 一二三四五六七八九十一二三四五六七八九十");
    }

    #[test]
    fn a_table_row_too_wide_shows_its_cells_one_per_line() {
        let line = "名称    数量  备注";
        let spans = [
            span(0, 6, SpanStyle::Cell),
            span(10, 16, SpanStyle::Cell),
            span(18, 24, SpanStyle::Cell),
        ];
        assert_eq!(shape(line, 0, &spans).kind, Kind::Table);
        assert_eq!(rows(line, &spans, 40), vec![line.to_owned()]);
        assert_eq!(rows(line, &spans, 10), vec!["名称", "数量", "备注"]);
    }

    #[test]
    fn rules_and_headings_are_known() {
        assert_eq!(
            shape("───", 0, &[span(0, 9, SpanStyle::Rule)]).kind,
            Kind::Rule
        );
        assert_eq!(
            shape("标题", 0, &[span(0, 6, SpanStyle::Heading(2))]).kind,
            Kind::Heading(2)
        );
    }
}

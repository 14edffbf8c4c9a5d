//! For terminals that draw ambiguous-width characters (“ ” … — · and box lines) two columns wide: the screen buffer laid out as they draw it.
//!
//! ratatui gives every such character one cell. Text was already measured and
//! wrapped as two columns each (see `wrap::set_ambiguous_wide`), so here each one is
//! followed by a cell that is never written (its right half), and the row gives back
//! the same number of blank or fill cells before its last cell. Borders are drawn
//! in ASCII, whose width no terminal disputes.

use ratatui::buffer::{Buffer, Cell, CellDiffOption};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::symbols::border;
use ratatui::widgets::{Block, Borders};
use unicode_width::UnicodeWidthStr;

/// Pane borders in ASCII.
pub const ASCII_BORDER: border::Set<'static> = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

/// The border for panes: box drawing, or ASCII where box lines would be drawn double.
fn border_set() -> border::Set<'static> {
    if crate::wrap::ambiguous_wide() {
        ASCII_BORDER
    } else {
        border::PLAIN
    }
}

/// A bordered pane (list, reader, overlays) with its border in `style`.
pub fn pane(style: Style) -> Block<'static> {
    Block::default()
        .borders(Borders::ALL)
        .border_set(border_set())
        .border_style(style)
}

/// Whether the terminal draws `symbol` wider than ratatui counts it.
pub fn is_ambiguous(symbol: &str) -> bool {
    symbol.width() == 1 && symbol.width_cjk() == 2
}

const TWO: std::num::NonZeroU16 = std::num::NonZeroU16::MIN.saturating_add(1);

/// A right half: never written.
fn is_half(cell: &Cell) -> bool {
    cell.diff_option == CellDiffOption::Skip
}

/// Blanks every wide character whose right half something else was drawn over (a
/// pop-up's border, a pane beside it): a terminal draws a wide character on both
/// its cells, so written, it would wipe what covers its right half, and the frame
/// on screen would differ from the one drawn. A wide character cut by the screen's
/// right edge goes too.
pub fn no_split_wide(buffer: &mut Buffer) {
    let area = buffer.area;
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            if buffer[(x, y)].symbol().width() < 2 {
                continue;
            }
            let covered = x + 1 >= area.right() || {
                let next = &buffer[(x + 1, y)];
                !is_half(next) && next.symbol() != " "
            };
            if covered {
                buffer[(x, y)].set_symbol(" ");
            }
        }
    }
}

/// Lays out the rows of `area` for a terminal that draws ambiguous-width characters
/// two columns wide (nothing to do for other terminals).
pub fn widen(buffer: &mut Buffer, area: Rect) {
    if crate::wrap::ambiguous_wide() {
        widen_always(buffer, area);
    }
}

/// [`widen`], whatever the terminal.
fn widen_always(buffer: &mut Buffer, area: Rect) {
    let area = area.intersection(buffer.area);
    let width = usize::from(area.width);
    for y in area.top()..area.bottom() {
        let row: Vec<Cell> = (area.left()..area.right())
            .map(|x| buffer[(x, y)].clone())
            .collect();
        if !row.iter().any(|c| is_ambiguous(c.symbol())) {
            continue;
        }
        let mut out = Vec::with_capacity(row.len() + 8);
        for mut cell in row {
            let ambiguous = is_ambiguous(cell.symbol()) && !is_half(&cell);
            if ambiguous {
                // Written as a wide character: the diff then steps over its right half.
                cell.set_diff_option(CellDiffOption::ForcedWidth(TWO));
            }
            out.push(cell);
            if ambiguous {
                let mut half = Cell::default();
                half.set_diff_option(CellDiffOption::Skip);
                out.push(half);
            }
        }
        // Give back room: blanks or border fill, the rightmost first, never the last cell.
        while out.len() > width {
            let last = out.len() - 1;
            let fill = (0..last)
                .rev()
                .find(|&i| !is_half(&out[i]) && matches!(out[i].symbol(), " " | "-"));
            out.remove(fill.unwrap_or(last.saturating_sub(1)));
        }
        for (x, cell) in (area.left()..area.right()).zip(out) {
            buffer[(x, y)] = cell;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_ambiguous_character_gets_its_right_half() {
        let area = Rect::new(0, 0, 10, 1);
        let mut b = Buffer::empty(area);
        b.set_string(0, 0, "|“a”b    |", Style::new());
        widen_always(&mut b, area);
        let cells: Vec<(&str, bool)> = b.content.iter().map(|c| (c.symbol(), is_half(c))).collect();
        assert_eq!(
            &cells[..8],
            &[
                ("|", false),
                ("“", false),
                (" ", true),
                ("a", false),
                ("”", false),
                (" ", true),
                ("b", false),
                (" ", false),
            ]
        );
        assert_eq!(cells[9], ("|", false), "the border stays where it was");
    }
}

//! Finds rows that moved up or down together between two frames, so the terminal can scroll them (a few bytes) instead of redrawing them.

use ratatui::buffer::{Buffer, Cell};

/// Rows `top..bottom` of the screen (0-based, bottom exclusive) scrolled by `by`
/// rows: up when positive (content moves up, blank rows appear at the bottom).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shift {
    pub top: u16,
    pub bottom: u16,
    pub by: i16,
}

impl Shift {
    /// The control sequence: a scroll region, the scroll, the region reset. The
    /// cursor is left at the top left (DECSTBM moves it there).
    pub fn sequence(&self) -> String {
        let amount = self.by.unsigned_abs();
        let direction = if self.by > 0 { 'S' } else { 'T' };
        format!(
            "\x1b[{};{}r\x1b[{amount}{direction}\x1b[r",
            self.top + 1,
            self.bottom
        )
    }

    /// Does to `buffer` what the sequence does to the screen.
    pub fn apply(&self, buffer: &mut Buffer) {
        let width = usize::from(buffer.area.width);
        let (top, bottom) = (usize::from(self.top), usize::from(self.bottom));
        let amount = usize::from(self.by.unsigned_abs()).min(bottom - top);
        let rows = &mut buffer.content[top * width..bottom * width];
        if self.by > 0 {
            rows.rotate_left(amount * width);
            let len = rows.len();
            rows[len - amount * width..].fill(Cell::default());
        } else {
            rows.rotate_right(amount * width);
            rows[..amount * width].fill(Cell::default());
        }
    }
}

/// The scroll that saves the most redrawing between `old` (on screen) and `new`,
/// if one saves at least a few rows. Only whole rows move: a scroll region spans
/// the full width of the screen.
pub fn find(old: &Buffer, new: &Buffer) -> Option<Shift> {
    if old.area != new.area || old.area.width == 0 {
        return None;
    }
    let width = usize::from(old.area.width);
    let height = usize::from(old.area.height);
    fn row(b: &Buffer, r: usize, width: usize) -> &[Cell] {
        &b.content[r * width..(r + 1) * width]
    }
    let changed: Vec<bool> = (0..height)
        .map(|r| row(old, r, width) != row(new, r, width))
        .collect();
    if changed.iter().filter(|&&c| c).count() < MIN_SAVED {
        return None;
    }
    let mut best: Option<(usize, Shift)> = None;
    for by in 1..=(height / 2) as i16 {
        for by in [by, -by] {
            let reach = usize::from(by.unsigned_abs());
            // New row r shows old row r + by.
            let from = |r: usize| {
                if by > 0 {
                    (r + reach < height).then_some(r + reach)
                } else {
                    r.checked_sub(reach)
                }
            };
            let mut r = 0;
            while r < height {
                let start = r;
                let mut saved = 0;
                while r < height
                    && from(r).is_some_and(|f| row(old, f, width) == row(new, r, width))
                {
                    saved += usize::from(changed[r]);
                    r += 1;
                }
                if r > start && saved >= MIN_SAVED && best.is_none_or(|(s, _)| saved > s) {
                    // The region spans the moved rows and the rows they came from.
                    let (top, bottom) = if by > 0 {
                        (start, r + reach)
                    } else {
                        (start - reach, r)
                    };
                    best = Some((
                        saved,
                        Shift {
                            top: top as u16,
                            bottom: bottom as u16,
                            by,
                        },
                    ));
                }
                r = r.max(start + 1);
            }
        }
    }
    best.map(|(_, shift)| shift)
}

/// A scroll is worth its dozen bytes when it saves redrawing this many rows.
const MIN_SAVED: usize = 2;

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    fn screen(rows: &[&str]) -> Buffer {
        let mut b = Buffer::empty(Rect::new(0, 0, 10, rows.len() as u16));
        for (y, text) in rows.iter().enumerate() {
            b.set_string(0, y as u16, text, Style::new());
        }
        b
    }

    #[test]
    fn a_line_scrolled_in_a_framed_pane() {
        let old = screen(&[
            "+--------+",
            "|a       |",
            "|b       |",
            "|c       |",
            "|d       |",
            "+--1/9---+",
        ]);
        let new = screen(&[
            "+--------+",
            "|b       |",
            "|c       |",
            "|d       |",
            "|e       |",
            "+--2/9---+",
        ]);
        let shift = find(&old, &new).unwrap();
        assert_eq!(
            shift,
            Shift {
                top: 1,
                bottom: 5,
                by: 1
            }
        );
        let mut moved = old.clone();
        shift.apply(&mut moved);
        assert_eq!(moved.content[10..40], new.content[10..40]);
        assert_eq!(shift.sequence(), "\x1b[2;5r\x1b[1S\x1b[r");
    }

    #[test]
    fn scrolling_back_moves_down() {
        let old = screen(&["b", "c", "d", "e", "f"]);
        let new = screen(&["a", "b", "c", "d", "e"]);
        let shift = find(&old, &new).unwrap();
        assert_eq!(
            shift,
            Shift {
                top: 0,
                bottom: 5,
                by: -1
            }
        );
        let mut moved = old.clone();
        shift.apply(&mut moved);
        assert_eq!(moved.content[10..], new.content[10..]);
    }

    #[test]
    fn nothing_moved_nothing_found() {
        let old = screen(&["a", "b", "c", "d"]);
        assert_eq!(find(&old, &old), None);
        let other = screen(&["w", "x", "y", "z"]);
        assert_eq!(find(&old, &other), None);
    }
}

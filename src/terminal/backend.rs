//! A ratatui backend that writes as few bytes as it can, for slow SSH links.
//!
//! Compared with ratatui's crossterm backend: it knows a CJK character (and, when the
//! user's terminal draws them so, an ambiguous-width one) moves the cursor two columns
//! (so no cursor move after each one), writes the 16 ANSI colours as the classic SGR
//! codes every terminal knows, never repeats a cursor command the terminal already
//! obeyed, and writes nothing at all for a frame that changed nothing.

use std::fmt::Write as _;
use std::io::{self, Write};

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::{Buffer, Cell, CellDiffOption};
use ratatui::crossterm::{queue, terminal};
use ratatui::layout::{Position, Rect, Size};
use ratatui::style::{Color, Modifier};
use unicode_width::UnicodeWidthStr;

use super::scroll;
use crate::ui::Hyperlink;

/// The terminal's drawing state as far as this backend knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pen {
    fg: Color,
    bg: Color,
    modifier: Modifier,
}

const PLAIN: Pen = Pen {
    fg: Color::Reset,
    bg: Color::Reset,
    modifier: Modifier::empty(),
};

pub struct LeanBackend<W: Write> {
    out: W,
    /// Where the terminal's cursor is, when known.
    cursor: Option<Position>,
    cursor_visible: Option<bool>,
    width: u16,
    /// Cells written as OSC 8 hyperlinks in the next frame.
    links: Vec<Hyperlink>,
    /// The hyperlinks of the frame on screen: a cell whose link changed is written
    /// again even if its text did not.
    shown_links: Vec<Hyperlink>,
    /// The terminal draws ambiguous-width characters two columns wide.
    ambiguous_wide: bool,
    /// What the screen shows, when known (after a clear): lets a frame whose rows
    /// moved scroll them instead of writing them again.
    shown: Option<Buffer>,
    /// Ask the kernel for the terminal's size before each frame (off when the output
    /// is not the terminal, as in tests).
    query_size: bool,
    /// The size of a terminal that is not this process's (an SSH session's), as its
    /// client last said.
    fixed: Option<(u16, u16)>,
}

impl<W: Write> LeanBackend<W> {
    pub fn new(out: W, width: u16) -> Self {
        LeanBackend {
            out,
            cursor: None,
            cursor_visible: None,
            width,
            links: Vec::new(),
            shown_links: Vec::new(),
            ambiguous_wide: crate::wrap::ambiguous_wide(),
            shown: None,
            query_size: true,
            fixed: None,
        }
    }

    /// A backend for a terminal elsewhere (an SSH session), of the size its
    /// client says: `width`×`height` until [`LeanBackend::resize_to`].
    pub fn remote(out: W, width: u16, height: u16) -> Self {
        LeanBackend {
            query_size: false,
            fixed: Some((width, height)),
            ..LeanBackend::new(out, width)
        }
    }

    /// The remote terminal's new size.
    pub fn resize_to(&mut self, width: u16, height: u16) {
        self.fixed = Some((width, height));
        self.width = width;
    }

    /// The bytes written so far, taken.
    pub fn out_mut(&mut self) -> &mut W {
        &mut self.out
    }

    /// A backend writing somewhere other than the terminal: it never asks for the size.
    #[cfg(test)]
    pub fn detached(out: W, width: u16) -> Self {
        LeanBackend {
            query_size: false,
            ..LeanBackend::new(out, width)
        }
    }

    fn kernel_size(&self) -> Option<(u16, u16)> {
        self.fixed
            .or_else(|| self.query_size.then(|| terminal::size().ok()).flatten())
    }

    /// Tells the backend the screen is blank at this size (after a clear).
    pub fn blank(&mut self, width: u16, height: u16) {
        self.shown = Some(Buffer::empty(Rect::new(0, 0, width, height)));
    }

    /// The hyperlinks of the next frame (none unless the user turned them on).
    pub fn set_links(&mut self, links: Vec<Hyperlink>) {
        self.links = links;
    }

    /// Adds to `updates` the cells of `next` whose hyperlink changed since the frame
    /// on screen (same text, another link, or a link added or gone).
    fn relink<'a>(&self, next: &'a Buffer, updates: &mut Vec<(u16, u16, &'a Cell)>) {
        if self.links == self.shown_links {
            return;
        }
        fn url(links: &[Hyperlink], x: u16, y: u16) -> Option<&str> {
            links
                .iter()
                .find(|l| l.y == y && l.x.contains(&x))
                .map(|l| l.url.as_str())
        }
        let area = next.area;
        let mut cells: Vec<(u16, u16)> = self
            .links
            .iter()
            .chain(&self.shown_links)
            .filter(|l| l.y < area.bottom())
            .flat_map(|l| (l.x.start..l.x.end.min(area.right())).map(move |x| (x, l.y)))
            .filter(|&(x, y)| url(&self.links, x, y) != url(&self.shown_links, x, y))
            // Not the right half of a wide character.
            .filter(|&(x, y)| x == 0 || next[(x - 1, y)].symbol().width() < 2)
            .filter(|&(x, y)| !updates.iter().any(|&(ux, uy, _)| (ux, uy) == (x, y)))
            .collect();
        cells.sort_unstable_by_key(|&(x, y)| (y, x));
        cells.dedup();
        updates.extend(cells.into_iter().map(|(x, y)| (x, y, &next[(x, y)])));
        updates.sort_by_key(|&(x, y, _)| (y, x));
    }

    /// The hyperlink over cell (`x`, `y`), if any.
    fn link_at(&self, x: u16, y: u16) -> Option<usize> {
        self.links
            .iter()
            .position(|l| l.y == y && l.x.contains(&x) && l.url.len() <= MAX_URL)
    }
}

/// Terminals drop longer hyperlink targets (and the sequence with them).
const MAX_URL: usize = 2000;

impl<W: Write> Backend for LeanBackend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        // The width decides when the cursor sits in the ambiguous last column; a resize
        // can land between an event and this frame, so ask the kernel (no round trip).
        let size = self.kernel_size();
        if let Some((width, _)) = size
            && width != self.width
        {
            self.set_width(width);
        }
        let mut content = content.peekable();
        if content.peek().is_none() && self.links == self.shown_links {
            // Nothing changed: nothing to write, nothing to compare.
            return Ok(());
        }
        let mut frame = String::new();
        let Some(mut shown) = self.shown.take() else {
            // The screen is not known: write what ratatui says changed.
            self.write_cells(&mut frame, content);
            return self.out.write_all(frame.as_bytes());
        };
        if size.is_some_and(|(w, h)| Rect::new(0, 0, w, h) != shown.area) {
            // Resized under us: unknown until the next clear.
            self.write_cells(&mut frame, content);
            return self.out.write_all(frame.as_bytes());
        }
        let mut next = shown.clone();
        let mut changes = 0;
        for (x, y, cell) in content {
            put(&mut next, x, y, cell);
            changes += 1;
        }
        if changes > usize::from(shown.area.width)
            && let Some(shift) = scroll::find(&shown, &next)
        {
            frame.push_str(&shift.sequence());
            self.cursor = None;
            shift.apply(&mut shown);
        }
        let mut updates = shown.diff(&next);
        self.relink(&next, &mut updates);
        self.write_cells(&mut frame, updates.into_iter());
        self.shown = Some(next);
        self.shown_links = self.links.clone();
        self.out.write_all(frame.as_bytes())
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        if self.cursor_visible != Some(false) {
            self.out.write_all(b"\x1b[?25l")?;
            self.cursor_visible = Some(false);
        }
        Ok(())
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        if self.cursor_visible != Some(true) {
            self.out.write_all(b"\x1b[?25h")?;
            self.cursor_visible = Some(true);
        }
        Ok(())
    }

    /// Where this backend last left the cursor. Asking the terminal would cost a round
    /// trip over the network (and fail on terminals that do not answer); a full-screen
    /// app never needs more.
    fn get_cursor_position(&mut self) -> io::Result<Position> {
        Ok(self.cursor.unwrap_or_default())
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        let p = position.into();
        if self.cursor != Some(p) {
            write!(self.out, "\x1b[{};{}H", p.y + 1, p.x + 1)?;
            self.cursor = Some(p);
        }
        Ok(())
    }

    fn clear(&mut self) -> io::Result<()> {
        self.clear_region(ClearType::All)
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        // After a whole clear the screen is known to be blank; after a partial one, not known.
        self.shown = None;
        if clear_type == ClearType::All
            && let Some((width, height)) = self.kernel_size()
        {
            self.blank(width, height);
        }
        if clear_type == ClearType::All {
            // Home, then erase to the end: the same as "erase all" (ESC [2J), in a form
            // the tests can tell apart from an article trying to clear the screen.
            self.cursor = Some(Position { x: 0, y: 0 });
            return self.out.write_all(b"\x1b[H\x1b[J");
        }
        let kind = match clear_type {
            ClearType::All => terminal::ClearType::All,
            ClearType::AfterCursor => terminal::ClearType::FromCursorDown,
            ClearType::BeforeCursor => terminal::ClearType::FromCursorUp,
            ClearType::CurrentLine => terminal::ClearType::CurrentLine,
            ClearType::UntilNewLine => terminal::ClearType::UntilNewLine,
        };
        queue!(self.out, terminal::Clear(kind))
    }

    fn size(&self) -> io::Result<Size> {
        let (width, height) = match self.fixed {
            Some(size) => size,
            None => terminal::size()?,
        };
        Ok(Size { width, height })
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        if let Some((width, height)) = self.fixed {
            return Ok(WindowSize {
                columns_rows: Size { width, height },
                pixels: Size::default(),
            });
        }
        let size = terminal::window_size()?;
        self.width = size.columns;
        Ok(WindowSize {
            columns_rows: Size {
                width: size.columns,
                height: size.rows,
            },
            pixels: Size {
                width: size.width,
                height: size.height,
            },
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

impl<W: Write> LeanBackend<W> {
    /// Appends to `frame` what writes `cells`: cursor moves only where the cursor is
    /// not already, pen changes only where the pen changes, hyperlinks around their
    /// cells; ends with the pen reset and no hyperlink open.
    fn write_cells<'a>(
        &mut self,
        frame: &mut String,
        cells: impl Iterator<Item = (u16, u16, &'a Cell)>,
    ) {
        let start = frame.len();
        let mut pen = PLAIN;
        let mut link = None;
        for (x, y, cell) in cells {
            let want_link = self.link_at(x, y);
            if want_link != link {
                match want_link.and_then(|i| self.links.get(i)) {
                    Some(l) => {
                        let _ = write!(frame, "\x1b]8;;{}\x1b\\", l.url);
                    }
                    None => frame.push_str("\x1b]8;;\x1b\\"),
                }
                link = want_link;
            }
            let at = Position { x, y };
            if self.cursor != Some(at) {
                let _ = write!(frame, "\x1b[{};{}H", y + 1, x + 1);
            }
            let want = Pen {
                fg: cell.fg,
                bg: cell.bg,
                modifier: cell.modifier,
            };
            if want != pen {
                sgr(frame, pen, want);
                pen = want;
            }
            let symbol = cell.symbol();
            frame.push_str(symbol);
            // As wide as the terminal draws it: ambiguous-width characters take two
            // columns when the user says their terminal does so.
            let drawn = if self.ambiguous_wide {
                symbol.width_cjk()
            } else {
                symbol.width()
            };
            let next = x.saturating_add(drawn.max(1) as u16);
            // At the last column the terminal's cursor position is ambiguous (pending wrap).
            self.cursor = (next < self.width).then_some(Position { x: next, y });
        }
        if frame.len() == start {
            return;
        }
        if pen != PLAIN {
            frame.push_str("\x1b[0m");
        }
        if link.is_some() {
            frame.push_str("\x1b]8;;\x1b\\");
        }
    }

    /// Writes a control sequence of folio's own (never article content) and flushes it.
    pub fn send(&mut self, sequence: &[u8]) -> io::Result<()> {
        self.out.write_all(sequence)?;
        self.out.flush()
    }

    /// Tells the backend the screen's width (after a resize).
    pub fn set_width(&mut self, width: u16) {
        self.width = width;
        self.cursor = None;
    }
}

/// Sets a cell of `buffer` as ratatui does: the cells a wide character covers are reset.
fn put(buffer: &mut Buffer, x: u16, y: u16, cell: &Cell) {
    let area = buffer.area;
    if x >= area.right() || y >= area.bottom() {
        return;
    }
    buffer[(x, y)] = cell.clone();
    // A cell given a width of its own (an ambiguous-width character the terminal draws
    // double) covers a right half that is never written, as the screen buffer has it.
    let (width, half) = match cell.diff_option {
        CellDiffOption::ForcedWidth(w) => (w.get(), true),
        _ => (cell.symbol().width() as u16, false),
    };
    for covered in x.saturating_add(1)..x.saturating_add(width).min(area.right()) {
        let covered = &mut buffer[(covered, y)];
        covered.reset();
        if half {
            covered.set_diff_option(CellDiffOption::Skip);
        }
    }
}

/// Appends the SGR sequence that turns pen `from` into `to`: only what changed,
/// or a reset and the whole pen when an attribute must be switched off.
fn sgr(out: &mut String, from: Pen, to: Pen) {
    let mut codes: Vec<String> = Vec::new();
    let from = if from.modifier.difference(to.modifier).is_empty() {
        from
    } else {
        codes.push("0".into());
        PLAIN
    };
    for (flag, code) in [
        (Modifier::BOLD, "1"),
        (Modifier::DIM, "2"),
        (Modifier::ITALIC, "3"),
        (Modifier::UNDERLINED, "4"),
        (Modifier::SLOW_BLINK, "5"),
        (Modifier::RAPID_BLINK, "6"),
        (Modifier::REVERSED, "7"),
        (Modifier::HIDDEN, "8"),
        (Modifier::CROSSED_OUT, "9"),
    ] {
        if to.modifier.contains(flag) && !from.modifier.contains(flag) {
            codes.push(code.into());
        }
    }
    if to.fg != from.fg {
        codes.push(color_code(to.fg, false));
    }
    if to.bg != from.bg {
        codes.push(color_code(to.bg, true));
    }
    if !codes.is_empty() {
        let _ = write!(out, "\x1b[{}m", codes.join(";"));
    }
}

/// The SGR parameter for a colour: 30–37 and 90–97 for the 16 ANSI colours.
fn color_code(color: Color, background: bool) -> String {
    let base = if background { 10 } else { 0 };
    let ansi = |n: u8| (n + base).to_string();
    match color {
        Color::Reset => ansi(39),
        Color::Black => ansi(30),
        Color::Red => ansi(31),
        Color::Green => ansi(32),
        Color::Yellow => ansi(33),
        Color::Blue => ansi(34),
        Color::Magenta => ansi(35),
        Color::Cyan => ansi(36),
        Color::Gray => ansi(37),
        Color::DarkGray => ansi(90),
        Color::LightRed => ansi(91),
        Color::LightGreen => ansi(92),
        Color::LightYellow => ansi(93),
        Color::LightBlue => ansi(94),
        Color::LightMagenta => ansi(95),
        Color::LightCyan => ansi(96),
        Color::White => ansi(97),
        Color::Indexed(i) => format!("{};5;{i}", 38 + base),
        Color::Rgb(r, g, b) => format!("{};2;{r};{g};{b}", 38 + base),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::Terminal;
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::style::Style;
    use ratatui::widgets::Paragraph;

    fn frame(text: &str, style: Style) -> Vec<u8> {
        let mut backend = LeanBackend::detached(Vec::new(), 20);
        let mut buffer = Buffer::empty(Rect::new(0, 0, 20, 1));
        buffer.set_string(0, 0, text, style);
        let empty = Buffer::empty(Rect::new(0, 0, 20, 1));
        backend.draw(empty.diff(&buffer).into_iter()).unwrap();
        backend.out
    }

    /// A pane of `lines` from `first` on, framed, with a position in its border.
    fn pane(lines: &[String], first: usize, width: u16, height: u16) -> Buffer {
        let mut b = Buffer::empty(Rect::new(0, 0, width, height));
        let inner = width as usize - 2;
        b.set_string(0, 0, format!("┌{}┐", "─".repeat(inner)), Style::new());
        for y in 1..height - 1 {
            let line = lines
                .get(first + usize::from(y) - 1)
                .map_or("", String::as_str);
            b.set_string(0, y, "│", Style::new());
            b.set_stringn(1, y, line, inner, Style::new().fg(Color::Cyan));
            b.set_string(width - 1, y, "│", Style::new());
        }
        let bottom = format!("└{:─^1$}┘", format!(" {first} "), inner);
        b.set_string(0, height - 1, bottom, Style::new());
        b
    }

    /// Row `y` of what the emulated terminal shows, `width` columns of it.
    fn shown<C: vt100::Callbacks>(terminal: &vt100::Parser<C>, y: u16, width: u16) -> String {
        terminal
            .screen()
            .rows(0, width)
            .nth(usize::from(y))
            .unwrap_or_default()
    }

    fn text_of(buffer: &Buffer, y: u16) -> String {
        let mut out = String::new();
        let mut skip = 0;
        for x in 0..buffer.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let symbol = buffer[(x, y)].symbol();
            skip = symbol.width().saturating_sub(1);
            out.push_str(symbol);
        }
        out.trim_end().to_owned()
    }

    #[test]
    fn moved_rows_are_scrolled_and_the_screen_stays_right() {
        let (width, height) = (30u16, 10u16);
        let words = [
            "中俄关系",
            "trade",
            "普京訪華",
            "energy",
            "一带一路",
            "talks",
            "贸易",
        ];
        let lines: Vec<String> = (0..60usize)
            .map(|i| {
                let pick = |k: usize| words[(i * 3 + k) % words.len()];
                format!("{i:02} {} {} {}", pick(1), pick(2), pick(i % 5))
            })
            .collect();
        let mut backend = LeanBackend::detached(Vec::new(), width);
        backend.blank(width, height);
        let nz = |n: u16| std::num::NonZeroU16::new(n).unwrap();
        let mut terminal = vt100::Parser::new(nz(height), nz(width), 0);
        let mut previous = Buffer::empty(Rect::new(0, 0, width, height));
        // Line by line, back, by half pages, by pages, a jump.
        for (step, first) in [0, 1, 2, 3, 2, 1, 5, 9, 17, 16, 40, 41, 0]
            .into_iter()
            .enumerate()
        {
            let next = pane(&lines, first, width, height);
            let before = backend.out.len();
            backend.draw(previous.diff(&next).into_iter()).unwrap();
            let written = &backend.out[before..];
            terminal.process(written);
            for y in 0..height {
                let row = shown(&terminal, y, width);
                assert_eq!(row.trim_end(), text_of(&next, y), "step {step}, row {y}");
            }
            if step == 1 {
                assert!(
                    written.len() < 120,
                    "a line scrolled in {} bytes: {:?}",
                    written.len(),
                    String::from_utf8_lossy(written)
                );
                assert!(String::from_utf8_lossy(written).contains("\x1b[2;9r\x1b[1S"));
            }
            previous = next;
        }
    }

    #[test]
    fn a_box_over_the_right_half_of_a_wide_character_keeps_its_border() {
        use ratatui::widgets::{Block, Borders, Clear, Widget};
        let (width, height) = (24u16, 6u16);
        let text = "中俄关系历史最好时期中俄";
        let mut under = Buffer::empty(Rect::new(0, 0, width, height));
        for y in 0..height {
            under.set_string(0, y, text, Style::new());
        }
        let nz = |n: u16| std::num::NonZeroU16::new(n).unwrap();
        // Each box position, odd ones over the right half of a character.
        for x in 1..8u16 {
            let mut backend = LeanBackend::detached(Vec::new(), width);
            backend.blank(width, height);
            let mut terminal = vt100::Parser::new(nz(height), nz(width), 0);
            let empty = Buffer::empty(Rect::new(0, 0, width, height));
            backend.draw(empty.diff(&under).into_iter()).unwrap();
            let mut over = under.clone();
            let area = Rect::new(x, 1, 11, 4);
            Clear.render(area, &mut over);
            Block::default()
                .borders(Borders::ALL)
                .render(area, &mut over);
            crate::ui::no_split_wide(&mut over);
            backend.draw(under.diff(&over).into_iter()).unwrap();
            terminal.process(&backend.out);
            for y in 1..5u16 {
                let row = shown(&terminal, y, width);
                let columns: Vec<char> = row.chars().collect();
                let border_at = row
                    .chars()
                    .take_while(|c| !matches!(c, '│' | '┌' | '└'))
                    .map(|c| unicode_width::UnicodeWidthChar::width(c).unwrap_or(1))
                    .sum::<usize>();
                assert_eq!(
                    border_at,
                    usize::from(x),
                    "box at {x}, row {y}: {row:?} {columns:?}"
                );
                assert_eq!(row.trim_end(), text_of(&over, y), "box at {x}, row {y}");
            }
        }
    }

    /// The whole screen of `app`, as `ui::draw` makes it.
    fn screen_of(app: &crate::app::App) -> Buffer {
        let (w, h) = app.size;
        let mut terminal =
            ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
        terminal.draw(|f| crate::ui::draw(f, app)).unwrap();
        terminal.backend().buffer().clone()
    }

    #[test]
    fn pop_ups_over_chinese_text_keep_their_borders_on_screen() {
        use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
        let loaded = crate::loader::load(&crate::loader::Source::Bundled, &|_| {});
        let collection = std::sync::Arc::new(loaded.collection);
        let nz = |n: u16| std::num::NonZeroU16::new(n).unwrap();
        // Widths of both parities, one pane and two: some border lands on the right
        // half of a wide character in each.
        let sizes =
            (40u16..=72)
                .map(|w| (w, 20u16))
                .chain([(80, 24), (100, 30), (120, 40), (93, 27)]);
        for (width, height) in sizes {
            let mut app = crate::app::App::new(std::sync::Arc::clone(&collection), (width, height));
            let mut backend = LeanBackend::detached(Vec::new(), width);
            backend.blank(width, height);
            let mut terminal = vt100::Parser::new(nz(height), nz(width), 0);
            let mut previous = Buffer::empty(Rect::new(0, 0, width, height));
            // Every pop-up, over the list and over the reader, opened and closed.
            for (step, keys) in [
                "", "L", "\x1b", "?", "\x1b", "!", "\x1b", "\r", "L", "j", "\x1b", "?", "j",
                "\x1b", "!", "\x1b", "jL", "\x1b",
            ]
            .into_iter()
            .enumerate()
            {
                for c in keys.chars() {
                    let code = match c {
                        '\x1b' => KeyCode::Esc,
                        '\r' => KeyCode::Enter,
                        c => KeyCode::Char(c),
                    };
                    crate::app::press_key(&mut app, &KeyEvent::new(code, KeyModifiers::NONE));
                }
                let next = screen_of(&app);
                backend.draw(previous.diff(&next).into_iter()).unwrap();
                terminal.process(&std::mem::take(&mut backend.out));
                for y in 0..height {
                    let row = shown(&terminal, y, width);
                    assert_eq!(
                        row.trim_end(),
                        text_of(&next, y),
                        "{width}x{height}, step {step} ({keys:?}), row {y}"
                    );
                    // Every border drawn is on screen: none hides behind a wide
                    // character whose right half it covers.
                    let drawn = (0..width)
                        .filter(|&x| matches!(next[(x, y)].symbol(), "│" | "┌" | "└" | "┐" | "┘"))
                        .count();
                    let shown = row
                        .chars()
                        .filter(|c| matches!(c, '│' | '┌' | '└' | '┐' | '┘'))
                        .count();
                    assert_eq!(
                        shown, drawn,
                        "{width}x{height}, step {step} ({keys:?}), row {y}: {row}"
                    );
                }
                previous = next;
            }
        }
    }

    #[test]
    fn hyperlinks_wrap_exactly_their_cells() {
        let mut backend = LeanBackend::detached(Vec::new(), 20);
        backend.set_links(vec![Hyperlink {
            y: 0,
            x: 2..4,
            url: "https://example.com/a".into(),
        }]);
        let mut buffer = Buffer::empty(Rect::new(0, 0, 20, 1));
        buffer.set_string(0, 0, "a 中 b", Style::new());
        let empty = Buffer::empty(Rect::new(0, 0, 20, 1));
        backend.draw(empty.diff(&buffer).into_iter()).unwrap();
        assert_eq!(
            String::from_utf8(backend.out).unwrap(),
            // Blank cells are not written: the cursor jumps over them.
            "\x1b[1;1Ha\x1b]8;;https://example.com/a\x1b\\\x1b[1;3H中\x1b]8;;\x1b\\\x1b[1;6Hb"
        );
    }

    #[test]
    fn a_link_that_changes_under_the_same_text_is_written_again() {
        let mut backend = LeanBackend::detached(Vec::new(), 20);
        backend.blank(20, 1);
        let mut buffer = Buffer::empty(Rect::new(0, 0, 20, 1));
        buffer.set_string(0, 0, "Read more", Style::new());
        let link = |url: &str| Hyperlink {
            y: 0,
            x: 0..9,
            url: url.into(),
        };
        backend.set_links(vec![link("https://a.example/")]);
        let empty = Buffer::empty(Rect::new(0, 0, 20, 1));
        backend.draw(empty.diff(&buffer).into_iter()).unwrap();
        let before = backend.out.len();
        backend.set_links(vec![link("https://b.example/")]);
        backend.draw(std::iter::empty()).unwrap();
        let again = String::from_utf8_lossy(&backend.out[before..]).into_owned();
        assert_eq!(
            again,
            "\x1b]8;;https://b.example/\x1b\\\x1b[1;1HRead more\x1b]8;;\x1b\\"
        );
    }

    #[test]
    fn wide_characters_need_no_cursor_moves() {
        let out = frame("中俄关系", Style::new());
        assert_eq!(String::from_utf8(out).unwrap(), "\x1b[1;1H中俄关系");
    }

    #[test]
    fn ambiguous_characters_move_the_cursor_as_the_terminal_draws_them() {
        let mut buffer = Buffer::empty(Rect::new(0, 0, 20, 1));
        buffer.set_string(0, 0, "“a", Style::new());
        let empty = Buffer::empty(Rect::new(0, 0, 20, 1));
        let mut narrow = LeanBackend::detached(Vec::new(), 20);
        narrow.ambiguous_wide = false;
        narrow.draw(empty.diff(&buffer).into_iter()).unwrap();
        assert_eq!(String::from_utf8(narrow.out).unwrap(), "\x1b[1;1H“a");
        // Two columns wide: the terminal's cursor is past the next cell, so it is placed.
        let mut wide = LeanBackend::detached(Vec::new(), 20);
        wide.ambiguous_wide = true;
        wide.draw(empty.diff(&buffer).into_iter()).unwrap();
        assert_eq!(wide.cursor, Some(Position { x: 2, y: 0 }));
        assert_eq!(String::from_utf8(wide.out).unwrap(), "\x1b[1;1H“\x1b[1;2Ha");
    }

    #[test]
    fn ansi_colours_use_classic_codes() {
        let out = frame("x", Style::new().fg(Color::Cyan).bg(Color::Blue));
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\x1b[1;1H\x1b[36;44mx\x1b[0m"
        );
    }

    #[test]
    fn switching_an_attribute_off_resets() {
        let mut s = String::new();
        let bold = Pen {
            modifier: Modifier::BOLD,
            ..PLAIN
        };
        sgr(&mut s, PLAIN, bold);
        sgr(
            &mut s,
            bold,
            Pen {
                fg: Color::Red,
                ..PLAIN
            },
        );
        assert_eq!(s, "\x1b[1m\x1b[0;31m");
    }

    #[test]
    fn an_unchanged_frame_writes_nothing() {
        let mut terminal = Terminal::new(LeanBackend::detached(Vec::new(), 20)).unwrap();
        let draw = |t: &mut Terminal<LeanBackend<Vec<u8>>>| {
            t.draw(|f| f.render_widget(Paragraph::new("中俄"), f.area()))
                .unwrap();
        };
        draw(&mut terminal);
        let first = terminal.backend().out.len();
        assert!(first > 0);
        draw(&mut terminal);
        assert_eq!(terminal.backend().out.len(), first);
    }
}

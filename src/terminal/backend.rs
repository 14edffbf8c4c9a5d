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
use ratatui::buffer::Cell;
use ratatui::crossterm::{queue, terminal};
use ratatui::layout::{Position, Size};
use ratatui::style::{Color, Modifier};
use unicode_width::UnicodeWidthStr;

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
    /// The terminal draws ambiguous-width characters two columns wide.
    ambiguous_wide: bool,
}

impl<W: Write> LeanBackend<W> {
    pub fn new(out: W, width: u16) -> Self {
        LeanBackend {
            out,
            cursor: None,
            cursor_visible: None,
            width,
            links: Vec::new(),
            ambiguous_wide: crate::wrap::ambiguous_wide(),
        }
    }

    /// The hyperlinks of the next frame (none unless the user turned them on).
    pub fn set_links(&mut self, links: Vec<Hyperlink>) {
        self.links = links;
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
        if let Ok((width, _)) = terminal::size()
            && width != self.width
        {
            self.set_width(width);
        }
        let mut frame = String::new();
        let mut pen = PLAIN;
        let mut link = None;
        for (x, y, cell) in content {
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
                sgr(&mut frame, pen, want);
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
        if frame.is_empty() {
            return Ok(());
        }
        if pen != PLAIN {
            frame.push_str("\x1b[0m");
        }
        if link.is_some() {
            frame.push_str("\x1b]8;;\x1b\\");
        }
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
        let (width, height) = terminal::size()?;
        Ok(Size { width, height })
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
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
        let mut backend = LeanBackend::new(Vec::new(), 20);
        let mut buffer = Buffer::empty(Rect::new(0, 0, 20, 1));
        buffer.set_string(0, 0, text, style);
        let empty = Buffer::empty(Rect::new(0, 0, 20, 1));
        backend.draw(empty.diff(&buffer).into_iter()).unwrap();
        backend.out
    }

    #[test]
    fn hyperlinks_wrap_exactly_their_cells() {
        let mut backend = LeanBackend::new(Vec::new(), 20);
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
    fn wide_characters_need_no_cursor_moves() {
        let out = frame("中俄关系", Style::new());
        assert_eq!(String::from_utf8(out).unwrap(), "\x1b[1;1H中俄关系");
    }

    #[test]
    fn ambiguous_characters_move_the_cursor_as_the_terminal_draws_them() {
        let mut buffer = Buffer::empty(Rect::new(0, 0, 20, 1));
        buffer.set_string(0, 0, "“a", Style::new());
        let empty = Buffer::empty(Rect::new(0, 0, 20, 1));
        let mut narrow = LeanBackend::new(Vec::new(), 20);
        narrow.ambiguous_wide = false;
        narrow.draw(empty.diff(&buffer).into_iter()).unwrap();
        assert_eq!(String::from_utf8(narrow.out).unwrap(), "\x1b[1;1H“a");
        // Two columns wide: the terminal's cursor is past the next cell, so it is placed.
        let mut wide = LeanBackend::new(Vec::new(), 20);
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
        let mut terminal = Terminal::new(LeanBackend::new(Vec::new(), 20)).unwrap();
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

//! Removes everything from untrusted text that could drive a terminal: escape sequences, control characters and bidi overrides.
//!
//! Article text comes from the web and from unknown files. It is cleaned once, at
//! load, so that nothing downstream (the screen, stdout, a terminal title) can ever
//! receive an escape sequence or a character that reorders what is displayed.

/// Cleans text that keeps its line structure (an article body): newlines survive,
/// tabs become four spaces, and every control sequence disappears.
pub fn text(s: &str) -> String {
    let mut out = String::new();
    push_text(&mut out, s);
    out
}

/// Like [`text`], but reuses `s` when it is already clean (the usual case).
pub fn into_clean(s: String) -> String {
    if s.chars().all(|c| is_plain(c) || c == '\n') {
        return s;
    }
    text(&s)
}

/// Appends `s`, cleaned as by [`text`], to `out`.
pub fn push_text(out: &mut String, s: &str) {
    clean_into(out, s, Mode::MultiLine);
}

/// Cleans a one-line field (title, URL, author, path): newlines and tabs become
/// single spaces, runs of whitespace collapse to one, and the ends are trimmed.
pub fn line(s: &str) -> String {
    // Most fields are clean already: one pass to tell, no copy but the result.
    let plain = s.chars().all(|c| is_plain(c) && c != '\u{a0}');
    if plain && !s.starts_with(' ') && !s.ends_with(' ') && !s.contains("  ") {
        return s.to_owned();
    }
    let mut cleaned = String::new();
    clean_into(&mut cleaned, s, Mode::SingleLine);
    let mut out = String::with_capacity(cleaned.len());
    let mut pending_space = false;
    for c in cleaned.chars() {
        if c == ' ' || c == '\u{a0}' {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    match out.trim() {
        trimmed if trimmed.len() == out.len() => out,
        trimmed => trimmed.to_owned(),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    SingleLine,
    MultiLine,
    /// What folio prints: lines and tab-separated columns survive.
    Output,
}

/// Cleans everything written through it, as [`text`] does but keeping tabs: the
/// last line of defence for what folio prints (listings, messages, errors that
/// repeat a path or a value from a file), whatever it came from. Text is cleaned a
/// line at a time, so a sequence split across writes is still caught.
pub struct Writer<W: std::io::Write> {
    inner: W,
    pending: Vec<u8>,
}

impl<W: std::io::Write> Writer<W> {
    pub fn new(inner: W) -> Self {
        Writer {
            inner,
            pending: Vec::new(),
        }
    }

    fn emit(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        let text = String::from_utf8_lossy(bytes);
        let mut clean = String::with_capacity(text.len());
        clean_into(&mut clean, &text, Mode::Output);
        self.inner.write_all(clean.as_bytes())
    }
}

impl<W: std::io::Write> std::io::Write for Writer<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        if let Some(end) = memchr::memrchr(b'\n', &self.pending) {
            let rest = self.pending.split_off(end + 1);
            let lines = std::mem::replace(&mut self.pending, rest);
            self.emit(&lines)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let pending = std::mem::take(&mut self.pending);
        self.emit(&pending)?;
        self.inner.flush()
    }
}

impl<W: std::io::Write> Drop for Writer<W> {
    fn drop(&mut self) {
        let _ = std::io::Write::flush(self);
    }
}

/// How the characters after an introducer are consumed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Text,
    /// After ESC: decides which kind of sequence follows.
    Escape,
    /// Inside a CSI sequence (parameters and intermediates) until its final byte.
    Csi,
    /// Inside an OSC, DCS, SOS, PM or APC string until BEL or ST.
    ControlString,
    /// After ESC inside a control string: a `\` ends it (ST).
    ControlStringEscape,
}

fn clean_into(out: &mut String, s: &str, mode: Mode) {
    if s.chars().all(|c| {
        is_plain(c)
            || (c == '\n' && mode != Mode::SingleLine)
            || (c == '\t' && mode == Mode::Output)
    }) {
        out.push_str(s);
        return;
    }
    out.reserve(s.len());
    let mut state = State::Text;
    for c in s.chars() {
        state = match state {
            State::Text => text_char(c, mode, out),
            State::Escape => match c {
                '[' => State::Csi,
                ']' | 'P' | 'X' | '^' | '_' => State::ControlString,
                // Intermediate bytes of an nF sequence (e.g. `ESC ( B`): keep consuming.
                ' '..='/' => State::Escape,
                '\u{1b}' => State::Escape,
                // Any other printable final byte ends a two-character sequence.
                '0'..='~' => State::Text,
                _ => text_char(c, mode, out),
            },
            State::Csi => match c {
                '0'..='?' | ' '..='/' => State::Csi,
                '@'..='~' => State::Text,
                '\u{1b}' => State::Escape,
                _ => text_char(c, mode, out),
            },
            State::ControlString => match c {
                '\u{7}' | '\u{9c}' => State::Text,
                '\u{1b}' => State::ControlStringEscape,
                // A control string never spans lines in practice; ending it at a newline
                // keeps an unterminated one from swallowing the rest of the article.
                '\n' => text_char(c, mode, out),
                _ => State::ControlString,
            },
            State::ControlStringEscape => match c {
                '\\' => State::Text,
                '[' => State::Csi,
                ']' | 'P' | 'X' | '^' | '_' => State::ControlString,
                _ => State::ControlString,
            },
        };
    }
}

/// Handles one character outside any escape sequence and returns the next state.
fn text_char(c: char, mode: Mode, out: &mut String) -> State {
    match c {
        '\u{1b}' => return State::Escape,
        // A CSI sequence ends at its first letter: little text is at stake.
        '\u{9b}' => return State::Csi,
        '\n' | '\u{2028}' | '\u{2029}' | '\u{85}' | '\u{b}' | '\u{c}' => match mode {
            Mode::MultiLine | Mode::Output => out.push('\n'),
            Mode::SingleLine => out.push(' '),
        },
        '\t' => match mode {
            Mode::MultiLine => out.push_str("    "),
            Mode::Output => out.push('\t'),
            Mode::SingleLine => out.push(' '),
        },
        c if is_plain(c) => out.push(c),
        _ => {}
    }
    State::Text
}

/// True for characters that may reach the screen unchanged.
///
/// C1 controls (U+0080–U+009F) other than CSI are dropped one by one rather than
/// read as the start of a string (OSC, DCS…): in text they are mojibake far more
/// often than commands, and a string runs to the end of the line, losing the text. Soft hyphens (U+00AD) are
/// invisible break hints that some terminals draw and others do not.
fn is_plain(c: char) -> bool {
    !(c.is_control()
        || is_bidi_control(c)
        || matches!(c, '\u{feff}' | '\u{2028}' | '\u{2029}' | '\u{ad}'))
}

/// Bidirectional formatting characters: they can make text display in an order
/// different from the one it is stored in (the "Trojan Source" trick).
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_untouched() {
        assert_eq!(text("中俄关系\n第二行"), "中俄关系\n第二行");
        assert_eq!(line("  中俄  关系 "), "中俄 关系");
    }

    #[test]
    fn csi_sequences_vanish_whole() {
        assert_eq!(line("a\u{1b}[2Jb\u{1b}[1;31mc\u{1b}[0m"), "abc");
        assert_eq!(line("x\u{9b}2Jy"), "xy");
    }

    #[test]
    fn osc_strings_vanish_whole() {
        assert_eq!(line("a\u{1b}]52;c;aGVsbG8=\u{7}b"), "ab");
        assert_eq!(line("a\u{1b}]0;evil title\u{1b}\\b"), "ab");
        assert_eq!(
            line("\u{1b}]8;;http://x\u{1b}\\link\u{1b}]8;;\u{1b}\\"),
            "link"
        );
        // A C1 string introducer is dropped alone: what follows it is text.
        assert_eq!(line("a\u{9d}0;t\u{9c}b"), "a0;tb");
        assert_eq!(text("乱码\u{9d}后面的字\n下一行"), "乱码后面的字\n下一行");
    }

    #[test]
    fn unterminated_osc_stops_at_the_line_end() {
        assert_eq!(text("a\u{1b}]0;never ends\nnext line"), "a\nnext line");
    }

    #[test]
    fn other_controls_and_bidi_are_removed() {
        assert_eq!(line("a\u{7}b\u{8}c\u{7f}d\u{85}e"), "abcd e");
        assert_eq!(line("x\u{202e}evil\u{202c}y\u{2066}z\u{2069}"), "xevilyz");
        assert_eq!(line("\u{feff}title"), "title");
        assert_eq!(line("a\u{1b}7b\u{1b}(Bc"), "abc");
    }

    #[test]
    fn the_output_writer_cleans_across_writes_and_keeps_columns() {
        use std::io::Write;
        let mut out = Vec::new();
        {
            let mut w = Writer::new(&mut out);
            w.write_all(b"id\ttitle \x1b]0;pw").unwrap();
            w.write_all(b"ned\x07\xe2\x80").unwrap();
            w.write_all(b"\xaeevil\n").unwrap();
            w.write_all("中文\t\u{202e}x".as_bytes()).unwrap();
        }
        assert_eq!(String::from_utf8(out).unwrap(), "id\ttitle evil\n中文\tx");
    }

    #[test]
    fn soft_hyphens_are_dropped() {
        assert_eq!(text("inter\u{ad}national"), "international");
    }

    #[test]
    fn tabs_become_spaces() {
        assert_eq!(text("a\tb"), "a    b");
        assert_eq!(line("a\t\tb"), "a b");
    }

    #[test]
    fn single_line_fields_lose_newlines() {
        assert_eq!(line("one\ntwo\r\nthree"), "one two three");
    }
}

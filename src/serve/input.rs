//! Keys from the raw bytes an SSH client sends, through termwiz's input parser, as the key events the browser's keymap reads.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use termwiz::input::{InputEvent, InputParser, KeyCode as Code, Modifiers};

/// What a session's bytes said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Said {
    Key(KeyEvent),
    Paste(String),
}

/// A parser for one session's input.
pub struct Keys {
    parser: InputParser,
    /// The start of a character cut off at the end of the last bytes.
    carry: Vec<u8>,
    /// Bytes taken in since the parser last said anything: a paste never ended.
    silent: usize,
}

/// A paste (or anything) longer than this without an end is dropped.
const MAX_SILENT: usize = 1 << 20;

impl Default for Keys {
    fn default() -> Self {
        Keys {
            parser: InputParser::new(),
            carry: Vec::new(),
            silent: 0,
        }
    }
}

/// `bytes` as valid UTF-8 (a bad byte becomes U+FFFD), less a character cut off at
/// the end, which is left in `carry` for the next bytes.
fn whole_characters(carry: &mut Vec<u8>, bytes: &[u8]) -> Vec<u8> {
    let mut input = std::mem::take(carry);
    input.extend_from_slice(bytes);
    let mut out = Vec::with_capacity(input.len());
    let mut rest = &input[..];
    loop {
        match std::str::from_utf8(rest) {
            Ok(text) => {
                out.extend_from_slice(text.as_bytes());
                break;
            }
            Err(e) => {
                let (good, after) = rest.split_at(e.valid_up_to());
                out.extend_from_slice(good);
                match e.error_len() {
                    Some(bad) => {
                        out.extend_from_slice("\u{fffd}".as_bytes());
                        rest = &after[bad..];
                    }
                    None => {
                        carry.extend_from_slice(after);
                        break;
                    }
                }
            }
        }
    }
    out
}

impl Keys {
    /// The keys and pastes in `bytes`. A lone Esc at the end is a key: over a
    /// network, what follows it would have come with it.
    pub fn parse(&mut self, bytes: &[u8]) -> Vec<Said> {
        // No key sends a string sequence (OSC, DCS, APC, PM, SOS): one would make the
        // parser wait for its terminator and swallow every key after it. Their Esc
        // is dropped, so the rest reads as the characters it is.
        // The parser waits for a character's missing bytes: bad ones would stop it.
        let bytes = whole_characters(&mut self.carry, bytes);
        let mut clean = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            let string_start = bytes[i] == 0x1b
                && matches!(bytes.get(i + 1), Some(b']' | b'P' | b'_' | b'^' | b'X'));
            if !string_start {
                clean.push(bytes[i]);
            }
            i += 1;
        }
        let mut out = Vec::new();
        self.parser.parse(
            &clean,
            |event| match event {
                InputEvent::Key(key) => {
                    if let Some(key) = key_event(key.key, key.modifiers) {
                        out.push(Said::Key(key));
                    }
                }
                InputEvent::Paste(text) => out.push(Said::Paste(text)),
                _ => {}
            },
            false,
        );
        if out.is_empty() {
            self.silent += bytes.len();
            if self.silent > MAX_SILENT {
                // Nothing said for a megabyte: what the parser holds is dropped.
                self.parser = InputParser::new();
                self.silent = 0;
            }
        } else {
            self.silent = 0;
        }
        out
    }
}

/// The crossterm key for a termwiz one; `None` for keys the browser has no use for.
fn key_event(code: Code, modifiers: Modifiers) -> Option<KeyEvent> {
    let mut mods = KeyModifiers::NONE;
    if modifiers.contains(Modifiers::SHIFT) {
        mods |= KeyModifiers::SHIFT;
    }
    if modifiers.contains(Modifiers::CTRL) {
        mods |= KeyModifiers::CONTROL;
    }
    if modifiers.contains(Modifiers::ALT) {
        mods |= KeyModifiers::ALT;
    }
    let code = match code {
        // Control characters arrive as such: Ctrl-A is 0x01 (as crossterm reads
        // them: 0x00 is Ctrl-Space, 0x1c to 0x1f are Ctrl-4 to Ctrl-7).
        Code::Char(c) if (c as u32) < 0x20 && !matches!(c, '\r' | '\n' | '\t' | '\x1b') => {
            mods |= KeyModifiers::CONTROL;
            match c as u8 {
                0 => KeyCode::Char(' '),
                b @ 0x01..=0x1a => KeyCode::Char(char::from(b'a' + b - 1)),
                b => KeyCode::Char(char::from(b'4' + b - 0x1c)),
            }
        }
        Code::Char('\r' | '\n') | Code::Enter => KeyCode::Enter,
        Code::Char('\t') | Code::Tab => KeyCode::Tab,
        Code::Char('\x1b') | Code::Escape => KeyCode::Esc,
        Code::Char('\x7f') | Code::Backspace => KeyCode::Backspace,
        Code::Char(c) => KeyCode::Char(c),
        Code::Delete => KeyCode::Delete,
        Code::Insert => KeyCode::Insert,
        Code::Home | Code::KeyPadHome => KeyCode::Home,
        Code::End | Code::KeyPadEnd => KeyCode::End,
        Code::PageUp | Code::KeyPadPageUp => KeyCode::PageUp,
        Code::PageDown | Code::KeyPadPageDown => KeyCode::PageDown,
        Code::LeftArrow | Code::ApplicationLeftArrow => KeyCode::Left,
        Code::RightArrow | Code::ApplicationRightArrow => KeyCode::Right,
        Code::UpArrow | Code::ApplicationUpArrow => KeyCode::Up,
        Code::DownArrow | Code::ApplicationDownArrow => KeyCode::Down,
        Code::Function(n) => KeyCode::F(n),
        _ => return None,
    };
    Some(KeyEvent::new(code, mods))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(bytes: &[u8]) -> Vec<Said> {
        Keys::default().parse(bytes)
    }

    fn key(code: KeyCode, mods: KeyModifiers) -> Said {
        Said::Key(KeyEvent::new(code, mods))
    }

    #[test]
    fn bytes_become_the_keys_a_local_terminal_gives() {
        assert_eq!(keys(b"j"), [key(KeyCode::Char('j'), KeyModifiers::NONE)]);
        assert_eq!(keys(b"\r"), [key(KeyCode::Enter, KeyModifiers::NONE)]);
        assert_eq!(keys(b"\x7f"), [key(KeyCode::Backspace, KeyModifiers::NONE)]);
        assert_eq!(keys(b"\x1b[A"), [key(KeyCode::Up, KeyModifiers::NONE)]);
        assert_eq!(
            keys(b"\x1b[6~"),
            [key(KeyCode::PageDown, KeyModifiers::NONE)]
        );
        assert_eq!(
            keys(b"\x03"),
            [key(KeyCode::Char('c'), KeyModifiers::CONTROL)]
        );
        assert_eq!(keys(b"\x1b"), [key(KeyCode::Esc, KeyModifiers::NONE)]);
        assert_eq!(
            keys("中".as_bytes()),
            [key(KeyCode::Char('中'), KeyModifiers::NONE)]
        );
        // Esc and a key in one read: Alt and the key (the browser takes an unbound
        // Alt-key as Esc then the key).
        assert_eq!(keys(b"\x1bq"), [key(KeyCode::Char('q'), KeyModifiers::ALT)]);
        assert_eq!(
            keys(b"\x1b[200~a\nb\x1b[201~"),
            [Said::Paste("a\nb".to_owned())]
        );
        // A character cut between two packets is one key.
        let mut k = Keys::default();
        assert!(k.parse(&"中".as_bytes()[..2]).is_empty());
        assert_eq!(
            k.parse(&"中".as_bytes()[2..]),
            [key(KeyCode::Char('中'), KeyModifiers::NONE)]
        );
    }
}

#[cfg(test)]
mod wedge {
    use super::*;

    #[test]
    fn random_bytes_never_wedge_the_parser() {
        let mut seed: u32 = 12345;
        let mut bytes = Vec::new();
        for _ in 0..4000 {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            let b = (seed >> 16) as u8;
            if b != 3 && b != b'q' && b != b'Q' {
                bytes.push(b);
            }
        }
        let mut keys = Keys::default();
        for chunk in bytes.chunks(37) {
            keys.parse(chunk);
        }
        let after = keys.parse(b"\x1b[201~j");
        let after: Vec<Said> = after
            .into_iter()
            .filter(|s| !matches!(s, Said::Paste(_)))
            .collect();
        assert_eq!(
            after,
            [Said::Key(KeyEvent::new(
                KeyCode::Char('j'),
                KeyModifiers::NONE
            ))]
        );
    }
}

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
}

impl Default for Keys {
    fn default() -> Self {
        Keys {
            parser: InputParser::new(),
        }
    }
}

impl Keys {
    /// The keys and pastes in `bytes`. A lone Esc at the end is a key: over a
    /// network, what follows it would have come with it.
    pub fn parse(&mut self, bytes: &[u8]) -> Vec<Said> {
        let mut out = Vec::new();
        self.parser.parse(
            bytes,
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
        // Control characters arrive as such: Ctrl-A is 0x01.
        Code::Char(c) if (c as u32) < 0x20 && !matches!(c, '\r' | '\n' | '\t' | '\x1b') => {
            mods |= KeyModifiers::CONTROL;
            KeyCode::Char(char::from(b'a' + (c as u8).saturating_sub(1)))
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
    }
}

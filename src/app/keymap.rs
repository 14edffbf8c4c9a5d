//! The key bindings as a table: which key does which [`Action`] in which part of the screen.

use std::collections::HashMap;
use std::fmt;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;

/// Where the keyboard focus is; each has its own bindings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    /// Keys that work everywhere.
    Global,
    List,
    Reader,
    /// The search box: keys not bound here are typed into it.
    Search,
    /// The reader's find box: keys not bound here are typed into it.
    Find,
    /// The reader while it shows matches: keys not bound here act as in the reader.
    Finding,
    /// The help overlay.
    Help,
    /// The link picker: digits not bound here pick a link by number.
    Links,
    /// The messages and the list of skipped files.
    Skipped,
    /// A question in the status line (`y` or `n`).
    Question,
    /// The facet panel: keys not bound here are typed into its box.
    Facets,
    /// The history of what was read.
    History,
    /// The command prompt of `|`: keys not bound here are typed into it.
    Prompt,
}

impl Context {
    /// Every part of the screen with bindings, in the order the help overlay and the
    /// default config file list them.
    pub const ALL: [Context; 13] = [
        Context::List,
        Context::Reader,
        Context::Finding,
        Context::Search,
        Context::Find,
        Context::Links,
        Context::Facets,
        Context::History,
        Context::Prompt,
        Context::Skipped,
        Context::Question,
        Context::Help,
        Context::Global,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::List => "List",
            Context::Reader => "Reader",
            Context::Search => "Search box",
            Context::Find => "Find box",
            Context::Finding => "Reader, after finding",
            Context::Help => "Help",
            Context::Links => "Link picker",
            Context::Skipped => "Messages and skipped files",
            Context::Question => "A question",
            Context::Facets => "Facet panel",
            Context::History => "History",
            Context::Prompt => "Command prompt (|)",
        }
    }
}

/// A key with its modifiers, normalised so that `G` is `G` whether or not Shift is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    pub fn from_event(event: &KeyEvent) -> Self {
        let mut mods =
            event.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match event.code {
            KeyCode::Char(c) => {
                mods.remove(KeyModifiers::SHIFT);
                // Ctrl+letter arrives as the lower-case letter.
                if mods.contains(KeyModifiers::CONTROL) {
                    KeyCode::Char(c.to_ascii_lowercase())
                } else {
                    KeyCode::Char(c)
                }
            }
            KeyCode::BackTab => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            other => other,
        };
        Key { code, mods }
    }

    /// Parses `j`, `G`, `?`, `space`, `enter`, `pgdn`, `ctrl-c`, `alt-x`, `f1`, ….
    pub fn parse(s: &str) -> Option<Key> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = s;
        loop {
            let lower = rest.to_ascii_lowercase();
            // Each modifier once: `ctrl-ctrl-x` is a typo, not a key.
            let (modifier, len) = if lower.starts_with("ctrl-") {
                (KeyModifiers::CONTROL, 5)
            } else if lower.starts_with("alt-") {
                (KeyModifiers::ALT, 4)
            } else {
                break;
            };
            if rest.len() == len {
                break;
            }
            if mods.contains(modifier) {
                return None;
            }
            mods |= modifier;
            rest = &rest[len..];
        }
        let code = match rest.to_ascii_lowercase().as_str() {
            "space" => KeyCode::Char(' '),
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" | "shift-tab" => KeyCode::BackTab,
            "backspace" => KeyCode::Backspace,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "pgup" | "pageup" => KeyCode::PageUp,
            "pgdn" | "pagedown" => KeyCode::PageDown,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "delete" | "del" => KeyCode::Delete,
            "insert" | "ins" => KeyCode::Insert,
            f if f.len() > 1
                && f.starts_with('f')
                && f[1..].bytes().all(|b| b.is_ascii_digit()) =>
            {
                // Function keys F1 to F24; `f0` and `f99` are not keys.
                let n = f[1..].parse::<u8>().ok().filter(|n| (1..=24).contains(n))?;
                KeyCode::F(n)
            }
            _ => {
                let mut chars = rest.chars();
                let c = chars.next()?;
                // One printable character: NUL, ESC and other controls are not keys.
                if chars.next().is_some() || c.is_control() || c.is_whitespace() {
                    return None;
                }
                if mods.contains(KeyModifiers::CONTROL) {
                    KeyCode::Char(c.to_ascii_lowercase())
                } else {
                    KeyCode::Char(c)
                }
            }
        };
        Some(Key { code, mods })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("Alt-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("Shift-Tab"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::Delete => f.write_str("Del"),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// The default bindings, in the order the help overlay shows them.
fn defaults() -> Vec<(Context, &'static [&'static str], Action)> {
    use Action::*;
    use Context::*;
    vec![
        (Global, &["ctrl-c"], ForceQuit),
        (Global, &["ctrl-l"], Redraw),
        (Global, &["ctrl-z"], Suspend),
        (List, &["j", "down"], SelectNext),
        (List, &["k", "up"], SelectPrev),
        (List, &["g", "home"], SelectFirst),
        (List, &["G", "end"], SelectLast),
        (List, &["pgdn", "ctrl-f", "space"], SelectPageDown),
        (List, &["pgup", "ctrl-b", "b"], SelectPageUp),
        (List, &["ctrl-d"], SelectHalfPageDown),
        (List, &["ctrl-u"], SelectHalfPageUp),
        (List, &["enter", "tab", "l", "right"], FocusReader),
        (List, &["n", "."], NextUnread),
        (List, &["z"], ToggleFullWidth),
        (List, &["O"], CycleSort),
        (List, &["F"], OpenFacets),
        (List, &["H"], ShowHistory),
        (List, &["|"], PipeStart),
        (List, &["ctrl-o"], JumpBack),
        (List, &["ctrl-i", "alt-i"], JumpForward),
        (List, &["/"], SearchStart),
        (List, &["f"], SearchBodies),
        (List, &["esc"], SearchCancel),
        (List, &["y"], CopyUrl),
        (List, &["Y"], CopyTitleUrl),
        (List, &["o"], OpenUrl),
        (List, &["L"], OpenLinks),
        (List, &["m"], ToggleRead),
        (List, &["M"], MarkAllRead),
        (List, &["s"], ToggleStar),
        (List, &["u"], Undo),
        (List, &["U"], FilterUnread),
        (List, &["S"], FilterStarred),
        (List, &["!"], ShowSkipped),
        (List, &["r"], Rescan),
        (List, &["?"], ToggleHelp),
        (List, &["q"], Quit),
        (Reader, &["j", "down"], ScrollDown),
        (Reader, &["k", "up"], ScrollUp),
        (Reader, &["space", "pgdn", "ctrl-f"], ScrollPageDown),
        (Reader, &["b", "pgup", "ctrl-b"], ScrollPageUp),
        (Reader, &["d", "ctrl-d"], ScrollHalfDown),
        (Reader, &["ctrl-u"], ScrollHalfUp),
        (Reader, &["g", "home"], ScrollTop),
        (Reader, &["G", "end"], ScrollBottom),
        (Reader, &["n", "J"], NextArticle),
        (Reader, &["p", "N", "K"], PrevArticle),
        (Reader, &["."], NextUnread),
        (Reader, &["z"], ToggleFullWidth),
        (Reader, &["F"], OpenFacets),
        (Reader, &["H"], ShowHistory),
        (Reader, &["|"], PipeStart),
        (Reader, &["ctrl-o"], JumpBack),
        (Reader, &["ctrl-i", "alt-i"], JumpForward),
        (Reader, &["/"], FindStart),
        (Reader, &["tab", "esc", "h", "left", "q"], FocusList),
        (Reader, &["y"], CopyUrl),
        (Reader, &["Y"], CopyTitleUrl),
        (Reader, &["o"], OpenUrl),
        (Reader, &["L"], OpenLinks),
        (Reader, &["m"], ToggleRead),
        (Reader, &["s"], ToggleStar),
        (Reader, &["u"], Undo),
        (Reader, &["!"], ShowSkipped),
        (Reader, &["r"], Rescan),
        (Reader, &["?"], ToggleHelp),
        (Search, &["down", "ctrl-n"], SelectNext),
        (Search, &["up", "ctrl-p"], SelectPrev),
        (Search, &["pgdn"], SelectPageDown),
        (Search, &["pgup"], SelectPageUp),
        (Search, &["backspace", "ctrl-h"], SearchBackspace),
        (Search, &["ctrl-w", "alt-backspace"], SearchDeleteWord),
        (Search, &["left"], CursorLeft),
        (Search, &["right"], CursorRight),
        (Search, &["home", "ctrl-a"], CursorStart),
        (Search, &["end", "ctrl-e"], CursorEnd),
        (Search, &["alt-b", "ctrl-left"], CursorWordLeft),
        (Search, &["alt-f", "ctrl-right"], CursorWordRight),
        (Search, &["delete"], DeleteChar),
        (Search, &["ctrl-u"], DeleteToStart),
        (Search, &["ctrl-k"], DeleteToEnd),
        (Search, &["ctrl-t"], SearchToggleMode),
        (Search, &["enter", "tab"], SearchAccept),
        (Search, &["esc"], SearchCancel),
        (Find, &["backspace", "ctrl-h"], SearchBackspace),
        (Find, &["ctrl-w", "alt-backspace"], SearchDeleteWord),
        (Find, &["left"], CursorLeft),
        (Find, &["right"], CursorRight),
        (Find, &["home", "ctrl-a"], CursorStart),
        (Find, &["end", "ctrl-e"], CursorEnd),
        (Find, &["alt-b", "ctrl-left"], CursorWordLeft),
        (Find, &["alt-f", "ctrl-right"], CursorWordRight),
        (Find, &["delete"], DeleteChar),
        (Find, &["ctrl-u"], DeleteToStart),
        (Find, &["ctrl-k"], DeleteToEnd),
        (Find, &["enter", "tab"], SearchAccept),
        (Find, &["esc"], SearchCancel),
        (Finding, &["n", "enter"], FindNext),
        (Finding, &["N"], FindPrev),
        (Finding, &["esc"], FindClear),
        (Links, &["j", "down", "ctrl-n"], PickerNext),
        (Links, &["k", "up", "ctrl-p"], PickerPrev),
        (Links, &["enter", "y"], PickerCopy),
        (Links, &["o"], PickerOpen),
        (Links, &["esc", "q", "L"], CloseOverlay),
        (Facets, &["down", "ctrl-n"], PickerNext),
        (Facets, &["up", "ctrl-p"], PickerPrev),
        (Facets, &["pgdn"], SelectPageDown),
        (Facets, &["pgup"], SelectPageUp),
        (Facets, &["enter"], FacetChoose),
        (Facets, &["ctrl-t"], FacetOrder),
        (Facets, &["backspace", "ctrl-h"], SearchBackspace),
        (Facets, &["ctrl-w", "alt-backspace"], SearchDeleteWord),
        (Facets, &["ctrl-u"], DeleteToStart),
        (Facets, &["esc"], CloseOverlay),
        (Prompt, &["enter"], PipeRun),
        (Prompt, &["esc"], PipeCancel),
        (Prompt, &["backspace", "ctrl-h"], SearchBackspace),
        (Prompt, &["ctrl-w", "alt-backspace"], SearchDeleteWord),
        (Prompt, &["left"], CursorLeft),
        (Prompt, &["right"], CursorRight),
        (Prompt, &["home", "ctrl-a"], CursorStart),
        (Prompt, &["end", "ctrl-e"], CursorEnd),
        (Prompt, &["ctrl-u"], DeleteToStart),
        (Prompt, &["ctrl-k"], DeleteToEnd),
        (History, &["j", "down", "ctrl-n"], PickerNext),
        (History, &["k", "up", "ctrl-p"], PickerPrev),
        (History, &["space", "pgdn"], SelectPageDown),
        (History, &["b", "pgup"], SelectPageUp),
        (History, &["enter", "l"], HistoryOpen),
        (History, &["esc", "q", "H"], CloseOverlay),
        (Skipped, &["j", "down"], ScrollDown),
        (Skipped, &["k", "up"], ScrollUp),
        (Skipped, &["space", "pgdn"], ScrollPageDown),
        (Skipped, &["b", "pgup"], ScrollPageUp),
        (Skipped, &["esc", "q", "!"], CloseOverlay),
        (Question, &["y", "Y"], Confirm),
        (Question, &["n", "N", "esc", "q"], Decline),
        (Help, &["j", "down"], ScrollDown),
        (Help, &["k", "up"], ScrollUp),
        (Help, &["space", "pgdn"], ScrollPageDown),
        (Help, &["b", "pgup"], ScrollPageUp),
        (Help, &["?", "esc", "q", "enter"], ToggleHelp),
    ]
}

/// One action's keys in one context, for the help overlay.
#[derive(Debug, Clone)]
pub struct Binding {
    pub context: Context,
    pub keys: Vec<Key>,
    pub action: Action,
}

/// Key → action lookup, built from the binding table.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<Binding>,
    lookup: HashMap<(Context, Key), Action>,
}

impl Default for Keymap {
    fn default() -> Self {
        let bindings = defaults()
            .into_iter()
            .map(|(context, keys, action)| Binding {
                context,
                keys: keys.iter().filter_map(|k| Key::parse(k)).collect(),
                action,
            })
            .collect();
        Keymap::from_bindings(bindings)
    }
}

impl Keymap {
    pub fn from_bindings(bindings: Vec<Binding>) -> Self {
        let lookup = bindings
            .iter()
            .flat_map(|b| {
                b.keys
                    .iter()
                    .map(move |k| ((b.context, *k), b.action.clone()))
            })
            .collect();
        Keymap { bindings, lookup }
    }

    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }

    /// The action for `event` with the focus in `context`. In the search box,
    /// printable keys that are not bound are typed; everywhere, global keys apply last.
    pub fn action(&self, context: Context, event: &KeyEvent) -> Option<Action> {
        let key = Key::from_event(event);
        if let Some(action) = self.lookup.get(&(context, key)) {
            return Some(action.clone());
        }
        if context == Context::Finding
            && let Some(action) = self.lookup.get(&(Context::Reader, key))
        {
            return Some(action.clone());
        }
        if context == Context::Links
            && let KeyCode::Char(c @ '0'..='9') = event.code
        {
            return Some(Action::PickerDigit(c as u8 - b'0'));
        }
        if matches!(
            context,
            Context::Search | Context::Find | Context::Facets | Context::Prompt
        ) && let KeyCode::Char(c) = event.code
            && !key
                .mods
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            return Some(Action::SearchInput(c.to_string()));
        }
        self.lookup.get(&(Context::Global, key)).cloned()
    }

    /// The first key bound to `action` in `context`, for the status line.
    pub fn key_for(&self, context: Context, action: &Action) -> Option<Key> {
        let find = |context: Context| {
            self.bindings
                .iter()
                .find(|b| b.context == context && &b.action == action)
                .and_then(|b| b.keys.first().copied())
        };
        find(context).or_else(|| {
            (context == Context::Finding)
                .then(|| find(Context::Reader))
                .flatten()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn every_default_key_parses() {
        for (_, keys, action) in defaults() {
            for k in keys {
                assert!(Key::parse(k).is_some(), "{k} for {}", action.name());
            }
        }
    }

    #[test]
    fn malformed_key_names_are_refused() {
        for bad in [
            "ctrl-ctrl-x",
            "alt-alt-x",
            "ctrl-alt-ctrl-x",
            "f0",
            "f25",
            "f999",
            "a\0",
            "\0",
            "\u{1b}",
            "\u{1b}[2J",
            "ctrl-\u{7}",
            "\t",
            "",
            "xy",
        ] {
            assert_eq!(Key::parse(bad), None, "{bad:?}");
        }
        for good in ["f1", "F24", "ctrl-alt-x", "ctrl--", "-", "中", "alt-enter"] {
            assert!(Key::parse(good).is_some(), "{good:?}");
        }
    }

    #[test]
    fn shifted_letters_and_control_keys() {
        let map = Keymap::default();
        let shift_g = ev(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(
            map.action(Context::List, &shift_g),
            Some(Action::SelectLast)
        );
        let ctrl_c = ev(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(
            map.action(Context::Reader, &ctrl_c),
            Some(Action::ForceQuit)
        );
        assert_eq!(
            map.action(Context::Search, &ctrl_c),
            Some(Action::ForceQuit)
        );
    }

    #[test]
    fn search_box_types_unbound_keys() {
        let map = Keymap::default();
        let q = ev(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(
            map.action(Context::Search, &q),
            Some(Action::SearchInput("q".into()))
        );
        let zh = ev(KeyCode::Char('中'), KeyModifiers::NONE);
        assert_eq!(
            map.action(Context::Search, &zh),
            Some(Action::SearchInput("中".into()))
        );
        assert_eq!(map.action(Context::List, &q), Some(Action::Quit));
    }

    #[test]
    fn keys_display_as_they_parse() {
        for s in ["j", "G", "Ctrl-c", "Space", "PgDn", "Enter", "F1"] {
            let key = Key::parse(s).unwrap();
            assert_eq!(Key::parse(&key.to_string()), Some(key), "{s}");
        }
    }
}

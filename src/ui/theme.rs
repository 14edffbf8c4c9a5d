//! The styles of the screen: the 16 ANSI colours plus bold and reverse, or no colour at all under `NO_COLOR`.

use ratatui::style::{Color, Modifier, Style};

/// Every style the drawing code uses.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub selected: Style,
    pub selected_unfocused: Style,
    pub matched: Style,
    pub date: Style,
    pub source: Style,
    pub title: Style,
    pub meta: Style,
    pub url: Style,
    pub link: Style,
    pub strong: Style,
    pub emphasis: Style,
    pub code: Style,
    pub border: Style,
    pub border_focused: Style,
    pub status: Style,
    pub key: Style,
    pub message: Style,
    pub prompt: Style,
    /// The unread/starred column of the list.
    pub marker: Style,
    /// Rows of unread articles.
    pub unread: Style,
}

impl Theme {
    /// ANSI colours that read on light and dark backgrounds alike (no yellow, white
    /// or black); `color: false` keeps only bold, underline and reverse video.
    pub fn new(color: bool) -> Self {
        let plain = Style::new();
        let fg = |c: Color| if color { plain.fg(c) } else { plain };
        let bold = plain.add_modifier(Modifier::BOLD);
        Theme {
            selected: plain.add_modifier(Modifier::REVERSED | Modifier::BOLD),
            selected_unfocused: plain.add_modifier(Modifier::REVERSED),
            matched: fg(Color::Red).add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            date: fg(Color::Cyan),
            source: fg(Color::Green),
            title: bold,
            meta: fg(Color::Cyan),
            url: fg(Color::Blue).add_modifier(Modifier::UNDERLINED),
            link: fg(Color::Blue).add_modifier(Modifier::UNDERLINED),
            strong: bold,
            emphasis: bold,
            code: fg(Color::Magenta),
            border: plain,
            border_focused: fg(Color::Cyan).add_modifier(Modifier::BOLD),
            status: plain,
            key: bold,
            message: fg(Color::Magenta).add_modifier(Modifier::BOLD),
            prompt: fg(Color::Magenta).add_modifier(Modifier::BOLD),
            marker: fg(Color::Magenta).add_modifier(Modifier::BOLD),
            unread: bold,
        }
    }
}

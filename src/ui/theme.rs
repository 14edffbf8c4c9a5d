//! The styles of the screen: the 16 ANSI colours plus bold and reverse, a high-contrast set, or no colour at all (`NO_COLOR`).

use std::fmt;

use ratatui::style::{Color, Modifier, Style};

/// The themes a user can choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Palette {
    /// ANSI colours that read on light and dark backgrounds alike.
    #[default]
    Default,
    /// The terminal's own foreground for text, bold for emphasis, and matches in
    /// black on yellow: for low vision and washed-out screens.
    HighContrast,
    /// No colour at all: bold, underline and reverse video only (as under `NO_COLOR`).
    Mono,
}

impl Palette {
    pub const ALL: [Palette; 3] = [Palette::Default, Palette::HighContrast, Palette::Mono];

    /// The name a config file uses.
    pub fn name(self) -> &'static str {
        match self {
            Palette::Default => "default",
            Palette::HighContrast => "high-contrast",
            Palette::Mono => "mono",
        }
    }

    pub fn from_name(name: &str) -> Option<Palette> {
        Palette::ALL.into_iter().find(|p| p.name() == name)
    }
}

impl fmt::Display for Palette {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

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
    pub fn of(palette: Palette) -> Self {
        match palette {
            Palette::Default => Theme::new(true),
            Palette::HighContrast => Theme::high_contrast(),
            Palette::Mono => Theme::new(false),
        }
    }

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

    /// Text in the terminal's own foreground colour (the most contrast it has), every
    /// accent in bold, links underlined, and matches black on bright yellow, which
    /// stands out on any background.
    fn high_contrast() -> Self {
        let plain = Style::new();
        let bold = plain.add_modifier(Modifier::BOLD);
        let underlined = bold.add_modifier(Modifier::UNDERLINED);
        Theme {
            selected: plain.add_modifier(Modifier::REVERSED | Modifier::BOLD),
            selected_unfocused: plain.add_modifier(Modifier::REVERSED),
            matched: plain
                .fg(Color::Black)
                .bg(Color::LightYellow)
                .add_modifier(Modifier::BOLD),
            date: bold,
            source: bold,
            title: bold,
            meta: bold,
            url: underlined,
            link: underlined,
            strong: bold,
            emphasis: plain.add_modifier(Modifier::UNDERLINED),
            code: bold,
            border: plain,
            border_focused: bold,
            status: plain,
            key: plain.add_modifier(Modifier::REVERSED | Modifier::BOLD),
            message: bold,
            prompt: bold,
            marker: bold,
            unread: bold,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for palette in Palette::ALL {
            assert_eq!(Palette::from_name(palette.name()), Some(palette));
        }
        assert_eq!(Palette::from_name("neon"), None);
    }

    #[test]
    fn mono_and_high_contrast_use_no_colour_for_text() {
        let mono = Theme::of(Palette::Mono);
        assert_eq!(mono.date.fg, None);
        assert_eq!(mono.matched.bg, None);
        let high = Theme::of(Palette::HighContrast);
        assert_eq!(
            (high.date.fg, high.title.fg, high.url.fg),
            (None, None, None)
        );
        assert_eq!(high.matched.bg, Some(Color::LightYellow));
        assert_eq!(Theme::of(Palette::Default).date.fg, Some(Color::Cyan));
    }
}

//! Drawing: pure functions from the browser's state to a frame. Nothing here changes state.

mod ambiguous;
mod help;
mod list;
mod overlay;
mod reader;
mod status;
mod text;
pub mod theme;

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::app::App;
pub use ambiguous::pane;
pub use reader::hyperlinks;
pub use theme::Theme;

/// A run of cells on one screen row that links to a URL (drawn as an OSC 8 hyperlink
/// where the terminal supports it and the user asked for it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hyperlink {
    pub y: u16,
    pub x: std::ops::Range<u16>,
    /// Sanitised at load: no control character can end the sequence early.
    pub url: String,
}

/// Draws the whole screen for `app`.
pub use ambiguous::no_split_wide;

pub fn draw(frame: &mut Frame, app: &App) {
    let screen = frame.area();
    let theme = Theme::of(app.appearance.palette);
    let areas = app.areas();
    if !areas.usable {
        too_small(frame, screen);
        return;
    }
    let fit = |r: Rect| r.intersection(screen);
    // Each part is laid out for the terminal's ambiguous width once drawn, before
    // anything is drawn over it.
    if let Some(area) = areas.list {
        list::draw(frame, fit(area), app, &theme);
        ambiguous::widen(frame.buffer_mut(), fit(area));
    }
    if let Some(area) = areas.reader {
        reader::draw(frame, fit(area), app, &theme);
        ambiguous::widen(frame.buffer_mut(), fit(area));
    }
    status::draw(frame, fit(areas.status), app, &theme);
    ambiguous::widen(frame.buffer_mut(), fit(areas.status));
    if app.overlay.is_some()
        && let Some(area) = overlay::draw(frame, screen, app, &theme)
    {
        ambiguous::widen(frame.buffer_mut(), area);
    }
    if app.help
        && let Some(area) = help::draw(frame, screen, app, &theme)
    {
        ambiguous::widen(frame.buffer_mut(), area);
    }
    ambiguous::no_split_wide(frame.buffer_mut());
}

fn too_small(frame: &mut Frame, area: Rect) {
    if area.is_empty() {
        return;
    }
    let note = text::truncate("terminal too small", usize::from(area.width));
    let y = area.y + area.height / 2;
    frame.render_widget(
        Paragraph::new(Line::from(note.into_owned())).alignment(Alignment::Center),
        Rect::new(area.x, y, area.width, 1),
    );
}

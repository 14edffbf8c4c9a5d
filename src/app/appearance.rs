//! How the browser looks, as the config file sets it: theme, list width, date format.

use super::App;
use crate::article::DateFormat;
use crate::ui::theme::Palette;

/// The user's choices for the screen; the defaults are folio's own look.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Appearance {
    pub palette: Palette,
    /// Columns of the list pane beside the reader; `None` for the automatic width.
    pub list_width: Option<u16>,
    /// How the list and the reader write dates.
    pub date_format: DateFormat,
}

impl App {
    /// Applies `appearance`, laying the screen out again for it.
    pub fn set_appearance(&mut self, appearance: Appearance) {
        self.reader.date_format = appearance.date_format.clone();
        self.appearance = appearance;
        // The open article's byline carries a date: lay it out anew.
        self.reader.close();
        self.relayout();
        self.open_selected();
    }
}

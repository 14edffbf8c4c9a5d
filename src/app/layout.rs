//! Where each pane goes for a terminal size: shared by `update` (to wrap and page) and by drawing.

use ratatui::layout::Rect;

/// Below this width the list and the reader take turns on the whole screen.
pub const TWO_PANE_MIN_WIDTH: u16 = 90;
/// Below this size only a "terminal too small" note is shown.
pub const MIN_WIDTH: u16 = 20;
pub const MIN_HEIGHT: u16 = 6;

/// The screen's regions. A pane that is not shown is `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Areas {
    /// The list pane, border included.
    pub list: Option<Rect>,
    /// The reader pane, border included.
    pub reader: Option<Rect>,
    /// The bottom line: key hints and messages.
    pub status: Rect,
    /// False when the terminal is too small for anything but a note.
    pub usable: bool,
}

/// Which pane is in front when only one fits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Front {
    List,
    Reader,
}

/// The reader keeps at least this many columns beside a list of a configured width.
pub const MIN_READER_WIDTH: u16 = 30;
/// The narrowest list pane a config may ask for.
pub const MIN_LIST_WIDTH: u16 = 20;

pub fn areas(width: u16, height: u16, front: Front) -> Areas {
    areas_with(width, height, front, None)
}

/// [`areas`] with the list `list_width` columns wide when both panes show (narrowed
/// if the reader would get fewer than [`MIN_READER_WIDTH`]); `None` for the automatic
/// width, two fifths of the screen.
pub fn areas_with(width: u16, height: u16, front: Front, list_width: Option<u16>) -> Areas {
    let screen = Rect::new(0, 0, width, height);
    if width < MIN_WIDTH || height < MIN_HEIGHT {
        return Areas {
            status: screen,
            ..Areas::default()
        };
    }
    let main = Rect::new(0, 0, width, height - 1);
    let status = Rect::new(0, height - 1, width, 1);
    let (list, reader) = if width >= TWO_PANE_MIN_WIDTH {
        let list_width = match list_width {
            Some(w) => w
                .min(width.saturating_sub(MIN_READER_WIDTH))
                .max(MIN_LIST_WIDTH),
            None => (width * 2 / 5).clamp(36, 72),
        };
        (
            Some(Rect::new(0, 0, list_width, main.height)),
            Some(Rect::new(list_width, 0, width - list_width, main.height)),
        )
    } else {
        match front {
            Front::List => (Some(main), None),
            Front::Reader => (None, Some(main)),
        }
    };
    Areas {
        list,
        reader,
        status,
        usable: true,
    }
}

/// The reader alone on the whole screen (the list hidden, whatever the width).
pub fn areas_alone(width: u16, height: u16) -> Areas {
    let mut areas = areas_with(width, height, Front::Reader, None);
    if areas.usable {
        areas.list = None;
        areas.reader = Some(Rect::new(0, 0, width, height - 1));
    }
    areas
}

/// The inside of a bordered pane.
pub fn inner(area: Rect) -> Rect {
    Rect::new(
        area.x.saturating_add(1),
        area.y.saturating_add(1),
        area.width.saturating_sub(2),
        area.height.saturating_sub(2),
    )
}

/// Where the reader's text goes in its pane: inside the border, with a column
/// of margin on each side (when the pane is wide enough to spare them).
pub fn reader_text(area: Rect) -> Rect {
    let inner = inner(area);
    if inner.width < 24 {
        return inner;
    }
    Rect::new(inner.x + 1, inner.y, inner.width - 2, inner.height)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_panes_when_wide_one_when_narrow() {
        let a = areas(120, 40, Front::List);
        assert_eq!(a.list.unwrap().width + a.reader.unwrap().width, 120);
        let a = areas(80, 24, Front::Reader);
        assert_eq!((a.list, a.reader.unwrap().width), (None, 80));
        assert!(!areas(10, 3, Front::List).usable);
    }

    #[test]
    fn a_configured_list_width_leaves_the_reader_room() {
        let list = |w, cols| {
            areas_with(w, 40, Front::List, Some(cols))
                .list
                .unwrap()
                .width
        };
        assert_eq!(list(120, 50), 50);
        assert_eq!(list(100, 90), 100 - MIN_READER_WIDTH);
        assert_eq!(list(200, 150), 150);
        let a = areas_with(80, 24, Front::List, Some(50));
        assert_eq!(
            a.list.unwrap().width,
            80,
            "one pane at a time below 90 columns"
        );
    }
}

//! Pop-ups over the panes (the link picker, the skipped files) and the effects `update` asks the terminal loop to carry out.

/// A pop-up that takes the keyboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    /// The open article's links; `typed` holds the digits of a number being typed.
    Links { selected: usize, typed: String },
    /// The recent messages, the files the load skipped and those it converted with
    /// problems, scrolled to `scroll`.
    Skipped { scroll: usize },
    /// The facet panel.
    Facets(Box<super::facets::Panel>),
    /// The articles read, the most recent first: (article, when it was marked read,
    /// ms since the epoch), and the selected row.
    History {
        entries: Vec<(usize, u64)>,
        selected: usize,
    },
}

/// Something only the terminal loop can do, asked for by `update`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Put text on the clipboard of the computer the user sits at (OSC 52).
    Copy(String),
    /// Open a URL with the local opener.
    Open(String),
    /// Draw the whole screen again.
    Redraw,
    /// Give the terminal back to the shell until folio is resumed.
    Suspend,
    /// Hand the terminal to `command` (`None`: `$PAGER`, else `less`), run by the
    /// shell with `text` on its standard input, then take it back.
    Pipe {
        command: Option<String>,
        text: String,
    },
}

/// Rows of entries the facet panel shows on a screen of `size` (its box less the
/// query line).
pub fn facet_rows(size: (u16, u16)) -> usize {
    usize::from(size.1.saturating_sub(4).min(30).saturating_sub(3)).max(1)
}

/// Rows and columns inside the messages and skipped files pop-up on a screen of `size`.
pub fn report_size(size: (u16, u16)) -> (usize, usize) {
    let width = size.0.saturating_sub(4).min(100).saturating_sub(2);
    let height = size.1.saturating_sub(4).min(30).saturating_sub(2);
    (usize::from(height).max(1), usize::from(width))
}

/// The lines of the messages and skipped files pop-up at `width` columns: the
/// recent messages in full (newest first), the files skipped and the files
/// converted with problems, each section under its heading (`true`).
pub fn report_lines(app: &super::App, width: usize) -> Vec<(String, bool)> {
    let width = width.max(10);
    let mut out = Vec::new();
    let section =
        |out: &mut Vec<(String, bool)>, title: String, items: Vec<String>, empty: &str| {
            if !out.is_empty() {
                out.push((String::new(), false));
            }
            out.push((title, true));
            if items.is_empty() {
                out.push((format!("  {empty}"), false));
            }
            for item in items {
                for (i, line) in crate::wrap::wrap(&item, width - 4).into_iter().enumerate() {
                    let lead = if i == 0 { "  " } else { "    " };
                    out.push((format!("{lead}{line}"), false));
                }
            }
        };
    let messages = app
        .said
        .recent(app.clock())
        .map(|(ago, text)| match ago {
            0 => format!("now: {text}"),
            s if s < 60 => format!("{s} s ago: {text}"),
            s => format!("{} min ago: {text}", s / 60),
        })
        .collect();
    section(
        &mut out,
        format!("Messages ({})", app.said.len()),
        messages,
        "No message yet",
    );
    let skipped = app
        .skipped
        .iter()
        .map(|p| format!("{}: {}", p.path, p.reason))
        .collect();
    section(
        &mut out,
        format!("Skipped files ({})", app.skipped.len()),
        skipped,
        "No file was skipped",
    );
    let degraded = app
        .degraded
        .iter()
        .map(|p| format!("{}: {}", p.path, p.reason))
        .collect();
    section(
        &mut out,
        format!("Converted with problems ({})", app.degraded.len()),
        degraded,
        "None",
    );
    out
}

/// The link number typed so far, extended by `digit`; a number past the last link
/// starts again from the digit.
pub fn type_digit(typed: &mut String, digit: u8, links: usize) -> Option<usize> {
    typed.push(char::from(b'0' + digit));
    let fits = |t: &str| t.parse::<usize>().ok().filter(|n| (1..=links).contains(n));
    if fits(typed).is_none() {
        typed.clear();
        typed.push(char::from(b'0' + digit));
    }
    fits(typed).map(|n| n - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_link_numbers() {
        let mut t = String::new();
        assert_eq!(type_digit(&mut t, 1, 12), Some(0));
        assert_eq!(type_digit(&mut t, 2, 12), Some(11));
        assert_eq!(
            type_digit(&mut t, 3, 12),
            Some(2),
            "13 is past the end: starts again at 3"
        );
        assert_eq!(type_digit(&mut t, 0, 12), None);
    }
}

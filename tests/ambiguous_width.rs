//! Ambiguous-width characters counted two columns wide, as some CJK terminals draw them.
//!
//! The switch is process-wide, so these tests live in a test binary of their own, and
//! every test here turns it on.

use folio::wrap::{set_ambiguous_wide, str_width, truncate, wrap};

#[test]
fn quotes_and_ellipses_count_two_columns() {
    set_ambiguous_wide(true);
    assert_eq!(str_width("“中”"), 6);
    assert_eq!(str_width("a…b—c·d"), 7 + 3);
    assert_eq!(str_width("plain"), 5);
}

#[test]
fn wrapping_makes_room_for_wide_quotes() {
    set_ambiguous_wide(true);
    // “ab” is 6 columns wide here: it does not fit in 5 beside anything else.
    assert_eq!(wrap("“ab” cd", 6), ["“ab”", "cd"]);
    assert_eq!(wrap("“ab” cd", 9), ["“ab” cd"]);
    for line in wrap("他说：“中俄关系……历史最好。”——据报道", 7) {
        assert!(str_width(line) <= 7, "{line:?}");
    }
}

#[test]
fn truncation_counts_the_ellipsis_as_two() {
    set_ambiguous_wide(true);
    assert_eq!(truncate("abcdef", 5), "abc…");
    assert_eq!(truncate("“quoted”", 6), "“qu…");
    assert_eq!(truncate("abcdef", 1), "");
    assert!(str_width(&truncate("中俄关系历史", 7)) <= 7);
}

/// What a terminal that draws ambiguous-width characters double shows for a row of
/// the buffer: each written cell's symbol at the column the cursor reached.
fn as_drawn(buffer: &ratatui::buffer::Buffer, y: u16) -> Vec<(usize, String)> {
    use ratatui::buffer::CellDiffOption;
    use unicode_width::UnicodeWidthStr;
    let mut out = Vec::new();
    let mut column = 0;
    let mut x = 0;
    while x < buffer.area.width {
        let cell = &buffer[(x, y)];
        if cell.diff_option == CellDiffOption::Skip {
            x += 1;
            continue;
        }
        out.push((column, cell.symbol().to_owned()));
        let drawn = cell.symbol().width_cjk().max(1);
        column += drawn;
        x += match cell.diff_option {
            CellDiffOption::ForcedWidth(w) => w.get(),
            _ => cell.symbol().width().max(1) as u16,
        };
    }
    out
}

#[test]
fn the_screen_is_laid_out_as_such_a_terminal_draws_it() {
    set_ambiguous_wide(true);
    let loaded = folio::load(&folio::Source::Bundled, &|_| {});
    let mut app = folio::app::App::new(std::sync::Arc::new(loaded.collection), (100, 30));
    for key in ["j", "\r"] {
        let key = ratatui::crossterm::event::KeyEvent::from(match key {
            "\r" => ratatui::crossterm::event::KeyCode::Enter,
            k => ratatui::crossterm::event::KeyCode::Char(k.chars().next().unwrap()),
        });
        if let Some(action) = app.action_for(&key) {
            folio::app::update(&mut app, action);
        }
    }
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(100, 30)).unwrap();
    terminal.draw(|f| folio::ui::draw(f, &app)).unwrap();
    let buffer = terminal.backend().buffer().clone();
    let reader = app.areas().reader.unwrap();
    let mut quotes = 0;
    for y in 0..29 {
        let row = as_drawn(&buffer, y);
        let end = row.last().map_or(0, |(column, symbol)| {
            column + unicode_width::UnicodeWidthStr::width_cjk(symbol.as_str()).max(1)
        });
        assert!(end <= 100, "row {y} runs past the screen: {row:?}");
        // The reader's right border is where the pane ends, whatever the row holds.
        let border = row
            .iter()
            .find(|(c, _)| *c == usize::from(reader.right() - 1));
        assert!(
            border.is_some_and(|(_, s)| s == "|" || s == "+"),
            "row {y}: {row:?}"
        );
        quotes += row.iter().filter(|(_, s)| s == "“").count();
    }
    assert!(quotes > 0, "the article's quotes are on screen");
}

//! Whole screens drawn into a test terminal and compared with reviewed snapshots.

mod common;

use common::{browser, press, render, screen};
use folio::app::{Action, update};
use ratatui::style::{Color, Modifier};

#[test]
fn start_screen_80x24() {
    insta::assert_snapshot!(screen(&browser(80, 24)));
}

#[test]
fn start_screen_120x40() {
    insta::assert_snapshot!(screen(&browser(120, 40)));
}

#[test]
fn search_for_zhong_e_highlights_matches() {
    let mut app = browser(120, 40);
    press(&mut app, "/中俄");
    insta::assert_snapshot!(screen(&app));
    // The matched characters of every row are drawn in the highlight style.
    let terminal = render(&app);
    let buffer = terminal.backend().buffer();
    let row_y = 3; // border, search box, first result
    let highlighted: String = (1..47u16)
        .map(|x| &buffer[(x, row_y)])
        .filter(|c| c.modifier.contains(Modifier::UNDERLINED))
        .map(|c| c.symbol().to_owned())
        .collect();
    assert!(
        highlighted.contains('中') && highlighted.contains('俄'),
        "{highlighted:?}"
    );
    // The cursor sits in the search box, after the query.
    let mut terminal = terminal;
    assert_eq!(terminal.get_cursor_position().unwrap().y, 1);
}

#[test]
fn reader_scrolled_into_an_article() {
    let mut app = browser(120, 40);
    press(&mut app, "j<enter>jjjjjjjjjj");
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn help_overlay() {
    let mut app = browser(120, 40);
    press(&mut app, "?");
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn narrow_single_pane_40x12() {
    let mut app = browser(40, 12);
    insta::assert_snapshot!("narrow_list_40x12", screen(&app));
    press(&mut app, "<enter>");
    insta::assert_snapshot!("narrow_reader_40x12", screen(&app));
}

#[test]
fn no_color_screen_keeps_the_selection_visible() {
    let mut app = browser(80, 24);
    app.appearance.palette = folio::ui::theme::Palette::Mono;
    press(&mut app, "j/中");
    insta::assert_snapshot!(screen(&app));
    let terminal = render(&app);
    let buffer = terminal.backend().buffer();
    for cell in buffer.content() {
        assert!(
            matches!(cell.fg, Color::Reset) && matches!(cell.bg, Color::Reset),
            "a colour under NO_COLOR"
        );
    }
    let selected_row = 2u16;
    assert!(
        buffer[(5, selected_row)]
            .modifier
            .contains(Modifier::REVERSED)
    );
}

#[test]
fn too_small_terminals_say_so() {
    let app = browser(12, 4);
    assert!(screen(&app).contains("terminal to"));
}

#[test]
fn no_size_panics() {
    let mut app = browser(80, 24);
    press(&mut app, "/中<enter><enter>jj");
    let mut sizes: Vec<(u16, u16)> = Vec::new();
    for w in (1..=400)
        .step_by(13)
        .chain([1, 2, 19, 20, 21, 89, 90, 91, 400])
    {
        for h in (1..=120).step_by(11).chain([1, 2, 5, 6, 7, 120]) {
            sizes.push((w, h));
        }
    }
    for (w, h) in sizes {
        update(&mut app, Action::Resize(w, h));
        for keys in ["", "?", "?"] {
            press(&mut app, keys);
            let _ = render(&app);
        }
    }
}

#[test]
fn full_text_results_with_snippets() {
    let mut app = browser(120, 40);
    press(&mut app, "f莫斯科");
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn finding_in_the_reader() {
    let mut app = browser(100, 30);
    press(&mut app, "<enter>/普京<enter>n");
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn link_picker() {
    let mut app = browser(100, 30);
    press(&mut app, "jjj<enter>Ljj");
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn the_configured_look_theme_list_width_and_dates() {
    let mut app = browser(120, 40);
    let config = folio::config::Config::parse(
        "theme = \"high-contrast\"\nlist_width = 50\ndate_format = \"%d %b %Y\"\n",
        std::path::Path::new("config.toml"),
    )
    .unwrap();
    app.set_appearance(config.appearance());
    let shown = screen(&app);
    // Dates in the chosen format, in the list and in the reader's byline (the list is
    // too narrow for the source column).
    assert!(shown.contains("│N 22 Dec 2023 2023年中俄关系"), "{shown}");
    assert!(shown.contains("│ 22 Dec 2023 · dw"), "{shown}");
    press(&mut app, "/中俄");
    let terminal = render(&app);
    let buffer = terminal.backend().buffer();
    // The list is 50 columns wide: its right corner, then the reader's left one.
    assert_eq!(buffer[(49, 0)].symbol(), "┐", "{shown}");
    assert_eq!(buffer[(50, 0)].symbol(), "┌", "{shown}");
    // High contrast: matches black on yellow, no colour on text.
    let matched: Vec<_> = buffer
        .content()
        .iter()
        .filter(|c| c.bg == Color::LightYellow)
        .map(|c| c.symbol().to_owned())
        .collect();
    assert!(matched.contains(&"中".to_owned()), "{matched:?}");
    assert!(
        buffer
            .content()
            .iter()
            .all(|c| matches!(c.fg, Color::Reset | Color::Black)),
        "text in the terminal's own colour"
    );
}

//! The details a daily user notices: each numbered defect of the browser, and the
//! habits of less, vim and newsboat, driven by keys through `update`.

mod common;

use std::sync::Arc;

use common::{browser, press, render, screen};
use folio::app::overlay::Effect;
use folio::app::{Action, App, Focus, update};

/// The browser over `count` generated articles at `width`×`height`.
fn big_browser(count: usize, width: u16, height: u16) -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    common::generate_corpus(dir.path(), count);
    let loaded = folio::load(
        &folio::loader::Source::Paths(vec![dir.path().to_owned()]),
        &|_| {},
    );
    assert_eq!(loaded.collection.len(), count);
    let app = App::new(Arc::new(loaded.collection), (width, height));
    (dir, app)
}

fn reader_title(app: &App) -> String {
    app.open_article()
        .map(|a| a.title.clone())
        .unwrap_or_default()
}

fn unread(app: &App) -> usize {
    (0..app.collection.len())
        .filter(|&i| !app.is_read(i))
        .count()
}

#[test]
fn esc_with_no_search_keeps_the_place() {
    let mut app = browser(120, 40);
    press(&mut app, "jj<esc>");
    assert_eq!(app.list.selected, 2, "Esc in the list moves nothing");
    // The natural second Esc after leaving the reader.
    press(&mut app, "<enter><esc><esc>");
    assert_eq!(app.focus, Focus::List);
    assert_eq!(app.list.selected, 2);
    // With only unread articles shown (`is:unread` in the box), Esc clears the box
    // and the place is kept.
    let selected = app.list.selected_article();
    press(&mut app, "U");
    assert!(app.only_unread);
    assert_eq!(app.search.query, "is:unread");
    press(&mut app, "<esc>");
    assert!(!app.only_unread);
    assert_eq!(app.list.selected_article(), selected);
    press(&mut app, "<esc><esc>");
    assert_eq!(app.list.selected_article(), selected);
    // A search still clears, and the place before it comes back.
    press(&mut app, "/中俄<enter><esc>");
    assert_eq!(app.list.len(), 5);
    assert_eq!(app.list.selected, 2);
}

#[test]
fn the_search_box_edits_like_a_shell() {
    let mut app = browser(120, 40);
    press(&mut app, "/abcd<left><left>X");
    assert_eq!(app.search.query, "abXcd");
    press(&mut app, "<home>1<end>2");
    assert_eq!(app.search.query, "1abXcd2");
    press(&mut app, "<c-a><del><c-e><bs>");
    assert_eq!(app.search.query, "abXcd");
    press(&mut app, "<left><left><c-k>");
    assert_eq!(app.search.query, "abX");
    press(&mut app, "<left><c-u>");
    assert_eq!(app.search.query, "X");
    press(&mut app, "<c-u><c-k>中俄 关系 taiwan<a-b><a-b>|<a-f>!");
    assert_eq!(app.search.query, "中俄 |关系! taiwan");
    press(&mut app, "<c-left><c-right><right>.");
    assert_eq!(app.search.query, "中俄 |关系! .taiwan");
    // The cursor is drawn where the next character goes: after "/ " and "中俄 |".
    press(&mut app, "<c-u><c-k>中俄x<left>");
    let mut terminal = render(&app);
    let cursor = terminal.get_cursor_position().expect("a cursor");
    let line = screen(&app)
        .lines()
        .nth(usize::from(cursor.y))
        .map(str::to_owned)
        .unwrap_or_default();
    let before_cursor: String = {
        let mut width = 0;
        line.chars()
            .take_while(|c| {
                width += unicode_width::UnicodeWidthChar::width(*c).unwrap_or(0);
                width <= usize::from(cursor.x)
            })
            .collect()
    };
    assert!(
        before_cursor.ends_with("/ 中俄"),
        "cursor at {cursor:?} after {before_cursor:?}"
    );
}

#[test]
fn the_find_box_edits_the_same_way() {
    let mut app = browser(120, 40);
    press(&mut app, "<enter>/普京x<left><bs>");
    assert_eq!(app.find.query, "普x");
    press(&mut app, "<del>京<home>!<c-k>");
    assert_eq!(app.find.query, "!");
    press(&mut app, "<c-u>普京<enter>");
    assert!(!app.find.matches.is_empty());
    assert!(
        screen(&app).contains("match 1/"),
        "the counter says what it counts"
    );
}

#[test]
fn esc_and_a_key_in_one_read_are_both_kept() {
    // "Esc q" arriving at once parses as Alt-q, which nothing binds.
    let mut app = browser(120, 40);
    press(&mut app, "<enter><a-j>");
    assert_eq!(app.focus, Focus::List, "Esc left the reader");
    assert_eq!(app.list.selected, 1, "and j moved in the list");
    press(&mut app, "/中俄<a-q>");
    assert!(app.quit, "Esc closed the search, q quit");
    // Bound Alt keys keep their meaning.
    let mut app = browser(120, 40);
    press(&mut app, "/ab cd<a-b>X");
    assert_eq!(app.search.query, "ab Xcd");
}

#[test]
fn undo_takes_back_the_last_marking() {
    let mut app = browser(120, 40);
    press(&mut app, "s");
    assert!(app.is_starred(0));
    press(&mut app, "u");
    assert!(!app.is_starred(0), "the star is taken back");
    press(&mut app, "jm");
    assert!(app.is_read(1));
    press(&mut app, "u");
    assert!(!app.is_read(1));
    press(&mut app, "u");
    assert_eq!(app.message.as_deref(), Some("nothing to undo"));
    // Fewer than a screenful: no question.
    let before = unread(&app);
    assert!(before > 1);
    press(&mut app, "M");
    assert_eq!(unread(&app), 0);
    press(&mut app, "u");
    assert_eq!(unread(&app), before, "every article is as it was");
}

#[test]
fn marking_more_than_a_screenful_read_asks_first() {
    let (_dir, mut app) = big_browser(60, 120, 14);
    press(&mut app, "M");
    assert_eq!(unread(&app), 60, "nothing marked before the answer");
    assert!(
        screen(&app).contains("mark 60 articles read? (y/n"),
        "{}",
        screen(&app)
    );
    press(&mut app, "n");
    assert_eq!(unread(&app), 60);
    assert!(app.question.is_none());
    press(&mut app, "My");
    assert_eq!(unread(&app), 0);
    press(&mut app, "u");
    assert_eq!(unread(&app), 60);
}

#[test]
fn next_unread_skips_what_was_read() {
    let mut app = browser(120, 40);
    press(&mut app, "jmjmgn");
    assert_eq!(app.list.selected, 3, "rows 1 and 2 are read");
    // In the reader too.
    press(&mut app, "g<enter>.");
    assert_eq!(app.focus, Focus::Reader);
    assert_eq!(app.list.selected, 3);
}

#[test]
fn one_key_shows_the_reader_full_width_and_brings_the_list_back() {
    let mut app = browser(120, 40);
    press(&mut app, "<enter>z");
    let alone = screen(&app);
    assert!(!alone.contains("Articles"), "{alone}");
    assert!(alone.lines().any(|l| l.starts_with("┌ dw ")), "{alone}");
    press(&mut app, "z");
    assert!(screen(&app).contains("Articles"));
    press(&mut app, "z<tab>");
    assert!(
        screen(&app).contains("Articles"),
        "focusing the list shows it"
    );
}

#[test]
fn half_pages_and_pages_in_the_list() {
    let (_dir, mut app) = big_browser(100, 120, 24);
    let height = app.list.height;
    assert!(height > 4);
    press(&mut app, "<c-d>");
    assert_eq!(app.list.selected, height / 2);
    press(&mut app, "<c-d><c-u>");
    assert_eq!(app.list.selected, height / 2);
    press(&mut app, "<c-u>");
    assert_eq!(app.list.selected, 0);
    press(&mut app, "<c-f>");
    assert!(app.list.selected >= height - 1);
    press(&mut app, "<c-b>");
    assert_eq!(app.list.selected, 0);
    press(&mut app, "<end>");
    assert_eq!(app.list.selected, 99);
}

#[test]
fn the_ends_of_the_list_are_said() {
    let mut app = browser(120, 40);
    press(&mut app, "G<enter>n");
    assert_eq!(app.message.as_deref(), Some("last article"));
    assert!(screen(&app).contains("last article"));
    press(&mut app, "<tab>g<enter>N");
    assert_eq!(app.message.as_deref(), Some("first article"));
}

#[test]
fn n_in_the_reader_steps_through_search_results() {
    let mut app = browser(120, 40);
    press(&mut app, "/中俄<enter>");
    let results: Vec<usize> = (0..app.list.len())
        .filter_map(|r| app.list.article_at(r))
        .collect();
    assert!(results.len() >= 2, "{results:?}");
    press(&mut app, "<enter>n");
    assert_eq!(app.reader.article, Some(results[1]));
    press(&mut app, "N");
    assert_eq!(app.reader.article, Some(results[0]));
}

#[test]
fn a_fresh_message_wins_over_hints_and_all_of_it_is_kept() {
    let mut app = browser(60, 20);
    let long = "the state file was damaged: kept as /home/u/.local/state/folio/marks.toml.damaged-20261205";
    update(&mut app, Action::Notify(long.to_owned()));
    let status = screen(&app).lines().last().unwrap_or_default().to_owned();
    assert!(
        status.starts_with("the state file was damaged"),
        "{status:?}"
    );
    // Later, hints come back; the message is one key away, whole.
    let later = app.clock() + 60_000;
    update(&mut app, Action::Tick(later));
    press(&mut app, "!");
    let shown = screen(&app);
    assert!(shown.contains("Messages"), "{shown}");
    let joined: String = shown
        .lines()
        .filter_map(|l| l.split('│').nth(2))
        .map(str::trim)
        .collect();
    assert!(
        joined.contains("marks.toml.damaged-20261205"),
        "the message is shown whole:\n{shown}"
    );
}

#[test]
fn the_help_names_each_action() {
    let mut app = browser(160, 60);
    press(&mut app, "?");
    let shown = screen(&app);
    for name in [
        "select_next",
        "focus_reader",
        "toggle_star",
        "undo",
        "next_unread",
    ] {
        assert!(shown.contains(name), "{name} missing:\n{shown}");
    }
}

#[test]
fn the_reader_position_reads_as_less_does() {
    let mut app = browser(120, 40);
    press(&mut app, "<enter>");
    let shown = screen(&app);
    assert!(shown.contains("lines 1–37/"), "{shown}");
    press(&mut app, "G");
    let shown = screen(&app);
    assert!(shown.contains("100% ┘"), "{shown}");
}

#[test]
fn titles_cut_to_fit_show_their_match() {
    // `pj` matches 普京 far into this title, beyond a 46-column list's cut.
    let mut app = browser(120, 40);
    press(&mut app, "/pj");
    let shown = screen(&app);
    let row = shown
        .lines()
        .find(|l| l.starts_with("│N "))
        .unwrap_or_default()
        .to_owned();
    let list_part: String = row.split("││").next().unwrap_or_default().to_owned();
    assert!(list_part.contains("普京"), "{list_part:?}\n{shown}");
}

#[test]
fn full_text_snippets_show_their_match_at_every_width() {
    for width in [60u16, 80, 100, 120, 160] {
        let mut app = browser(width, 40);
        press(&mut app, "f普京");
        let hits = app.body_hits.len();
        assert!(hits >= 3, "{hits}");
        let shown = screen(&app);
        let snippets = shown
            .lines()
            .filter(|l| l.starts_with("│  …") || l.starts_with("│  "))
            .filter(|l| l.contains('…'))
            .count();
        let with_match = shown
            .lines()
            .filter(|l| l.starts_with("│  "))
            .filter(|l| l.split("││").next().is_some_and(|p| p.contains("普京")))
            .count();
        assert!(
            with_match >= hits.min(snippets),
            "{width}: {with_match} of {snippets} snippets show 普京\n{shown}"
        );
    }
}

#[test]
fn the_link_picker_is_as_tall_as_its_links() {
    let mut app = browser(100, 40);
    press(&mut app, "jjj<enter>L");
    let links = app.open_article().map(|a| a.links().len()).unwrap_or(0);
    assert!(links > 0);
    let shown = screen(&app);
    let top = shown
        .lines()
        .position(|l| l.contains("┌ Links ("))
        .expect("the picker");
    let bottom = shown
        .lines()
        .skip(top + 1)
        .position(|l| l.contains("└────"))
        .map(|n| n + top + 1)
        .expect("its bottom");
    assert_eq!(bottom - top - 1, links, "{shown}");
}

#[test]
fn ctrl_l_redraws_and_ctrl_z_suspends() {
    let mut app = browser(120, 40);
    press(&mut app, "<c-l>");
    assert!(app.effects.contains(&Effect::Redraw));
    app.effects.clear();
    press(&mut app, "<enter><c-z>");
    assert!(app.effects.contains(&Effect::Suspend));
    assert_eq!(reader_title(&app), "2023年中俄关系：没有最高只有更高？");
}

#[test]
fn a_query_that_begins_with_its_mode_finds_what_it_asks() {
    // `^` or `'` alone asks nothing and matches nothing; the key after it must
    // search the whole archive again, not the nothing before it.
    let mut app = browser(120, 40);
    let first = app
        .collection
        .articles()
        .iter()
        .find_map(|a| a.title.chars().next().filter(|c| c.is_alphabetic()))
        .expect("a title that begins with a letter");
    for sign in ['^', '\''] {
        press(&mut app, &format!("/{sign}"));
        assert_eq!(app.list.len(), 0, "{sign} alone");
        press(&mut app, &first.to_string());
        let query = format!("{sign}{first}");
        let expected = app.index.search(&query).len();
        assert!(expected > 0, "{query} matches the title it was taken from");
        assert_eq!(app.list.len(), expected, "{query} typed a key at a time");
        press(&mut app, "<esc>");
    }
}

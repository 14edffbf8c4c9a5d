//! What folio remembers: read marks, stars, positions and the last article, through
//! `update` and through the state file (two processes, damaged files).

mod common;

use std::sync::Arc;

use common::{browser, press};
use folio::app::marks::READ_AFTER_MS;
use folio::app::{Action, App, update};
use folio::state::{self, Change, Marks, Store, StoreReport};

fn selected_id(app: &App) -> String {
    let i = app.list.selected_article().unwrap();
    app.article(i).unwrap().id.clone()
}

fn open_id(app: &App) -> String {
    app.open_article().unwrap().id.clone()
}

#[test]
fn an_article_becomes_read_after_a_second_in_the_reader_not_in_passing() {
    let mut app = browser(120, 40);
    let first = open_id(&app);
    update(&mut app, Action::Tick(READ_AFTER_MS / 2));
    assert!(!app.marks.is_read(&first), "half a second is not reading");
    press(&mut app, "j");
    let second = open_id(&app);
    update(&mut app, Action::Tick(READ_AFTER_MS + 100));
    assert!(!app.marks.is_read(&first), "passed over");
    assert!(!app.marks.is_read(&second), "shown for less than a second");
    update(&mut app, Action::Tick(2 * READ_AFTER_MS + 600));
    assert!(app.marks.is_read(&second));
    assert!(app.changes.contains(&Change::Read(second.clone(), true)));
    // Marked unread by hand while open: it stays unread.
    press(&mut app, "m");
    update(&mut app, Action::Tick(10 * READ_AFTER_MS));
    assert!(!app.marks.is_read(&second));
}

#[test]
fn a_narrow_screen_reads_only_what_the_reader_shows() {
    let mut app = browser(60, 20);
    let first = open_id(&app);
    update(&mut app, Action::Tick(5 * READ_AFTER_MS));
    assert!(!app.marks.is_read(&first), "the list hides the reader");
    press(&mut app, "<enter>");
    update(&mut app, Action::Tick(5 * READ_AFTER_MS + 10));
    update(&mut app, Action::Tick(6 * READ_AFTER_MS + 20));
    assert!(app.marks.is_read(&first));
}

#[test]
fn marking_starring_and_filtering() {
    let mut app = browser(120, 40);
    press(&mut app, "m");
    let first = selected_id(&app);
    assert!(app.marks.is_read(&first));
    press(&mut app, "jjs");
    let third = selected_id(&app);
    assert!(app.marks.is_starred(&third));
    let s = common::screen(&app);
    assert!(s.contains("│  2023-12-22"), "read row without N:\n{s}");
    assert!(s.contains("│N*"), "starred unread row:\n{s}");

    press(&mut app, "U");
    assert_eq!(app.list.len(), 4);
    assert!(common::screen(&app).contains(" Articles (unread) "));
    assert_eq!(selected_id(&app), third, "the selection stays");
    press(&mut app, "S");
    assert_eq!(app.list.len(), 1);
    assert!(common::screen(&app).contains(" Articles (unread, starred) "));
    press(&mut app, "US");
    assert_eq!(app.list.len(), 5);

    // Filters combine with the search box: they are terms in it.
    press(&mut app, "S/中俄<enter>");
    assert_eq!(app.search.query, "is:starred 中俄");
    assert_eq!(app.list.len(), 1);
    press(&mut app, "<esc>");
    assert!(!app.only_starred, "Esc clears every term");
    press(&mut app, "/中俄<enter>");
    assert!(app.list.len() > 1);
    press(&mut app, "M");
    assert!((0..app.list.len()).all(|r| app.is_read(app.list.article_at(r).unwrap())));
    press(&mut app, "<esc>U");
    assert_eq!(
        app.list.len(),
        5 - app.marks.entries.values().filter(|e| e.read).count()
    );
}

#[test]
fn reopening_returns_to_the_paragraph_at_any_width() {
    let mut app = browser(120, 40);
    press(&mut app, "<enter>jjjjjjjjjjjj");
    let place = app.reader.place().unwrap();
    let id = open_id(&app);
    press(&mut app, "n");
    assert_ne!(open_id(&app), id);
    update(&mut app, Action::Resize(100, 30));
    press(&mut app, "p");
    assert_eq!(open_id(&app), id);
    let (para, offset) = app.reader.place().unwrap();
    assert_eq!(para, place.0, "the same paragraph");
    let row = &app.reader.rows[app.reader.scroll];
    assert!(row.start <= place.1 && place.1 <= row.end.max(row.start));
    let _ = offset;
    // And in a new session.
    let marks = app.marks.clone();
    let mut again = browser(90, 30);
    again.remember(marks);

    press(&mut again, "");
    assert_eq!(open_id(&again), id, "the last article is selected again");
    assert_eq!(again.reader.place().map(|p| p.0), Some(place.0));
}

/// The bundled articles as a background load sends them: each with the number of
/// the file it came from, in final order.
fn with_files(loaded: &folio::Loaded) -> Vec<(u32, Arc<folio::Article>)> {
    loaded
        .collection
        .articles()
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let file = loaded
                .placed
                .iter()
                .position(|p| *p == Some(i as u32))
                .expect("every article has its file");
            (file as u32, Arc::clone(a))
        })
        .collect()
}

/// What the previous session left: its last article was `id`.
fn last_session(id: &str) -> Marks {
    Marks {
        last: Some(state::Last {
            id: id.to_owned(),
            changed: 1,
        }),
        ..Marks::default()
    }
}

#[test]
fn the_last_article_is_selected_again_when_it_arrives_unless_the_user_moved() {
    use folio::app::loading::Arrivals;
    let loaded = folio::load(&folio::Source::Bundled, &|_| {});
    let last = loaded.collection.articles()[3].id.clone();
    let marks = last_session(&last);
    let articles = with_files(&loaded);
    let batch = |range: std::ops::Range<usize>| Arrivals {
        articles: articles[range].to_vec(),
        ..Arrivals::default()
    };
    let mut app = App::loading((120, 40));
    app.remember(marks.clone());
    update(&mut app, Action::Arrived(batch(0..2)));
    update(&mut app, Action::Arrived(batch(2..5)));
    assert_eq!(selected_id(&app), last);

    let mut moved = App::loading((120, 40));
    moved.remember(marks);
    update(&mut moved, Action::Arrived(batch(0..2)));
    press(&mut moved, "j");
    update(&mut moved, Action::Arrived(batch(2..5)));
    assert_eq!(moved.list.selected, 1, "the user's move wins");
}

fn starred(id: &str) -> Change {
    Change::Starred(id.to_owned(), true)
}

#[test]
fn the_store_writes_changes_and_two_processes_keep_each_others() {
    let dir = tempfile::tempdir().unwrap();
    let (a, marks_a, said) = Store::open(dir.path());
    assert!(marks_a.entries.is_empty() && said.is_empty());
    let (b, _, _) = Store::open(dir.path());
    a.record(starred("aaaaaaaaaaaa"));
    a.flush();
    b.record(starred("bbbbbbbbbbbb"));
    b.flush();
    a.record(starred("cccccccccccc"));
    drop(a);
    drop(b);
    let marks = state::read_file(&dir.path().join(state::FILE_NAME)).unwrap();
    for id in ["aaaaaaaaaaaa", "bbbbbbbbbbbb", "cccccccccccc"] {
        assert!(marks.is_starred(id), "{id} lost: {marks:?}");
    }
    // The same article changed by both: each field keeps its later change, so one
    // process's star does not undo the other's read mark.
    let (a, _, _) = Store::open(dir.path());
    let (b, _, _) = Store::open(dir.path());
    a.record(Change::Starred("aaaaaaaaaaaa".into(), false));
    a.flush();
    std::thread::sleep(std::time::Duration::from_millis(5));
    b.record(Change::Read("aaaaaaaaaaaa".into(), true));
    b.record(Change::Position(
        "aaaaaaaaaaaa".into(),
        Some(state::Position { para: 4, offset: 2 }),
    ));
    b.flush();
    std::thread::sleep(std::time::Duration::from_millis(5));
    a.record(starred("aaaaaaaaaaaa"));
    drop(a);
    drop(b);
    let marks = state::read_file(&dir.path().join(state::FILE_NAME)).unwrap();
    let e = marks.get("aaaaaaaaaaaa");
    assert!(e.starred && e.read, "{e:?}");
    assert_eq!(e.position, Some(state::Position { para: 4, offset: 2 }));
}

#[test]
fn a_damaged_state_file_is_moved_aside_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(state::FILE_NAME);
    std::fs::write(&path, "folio-state 1\nabc\tr\t0\t0\t1\t0\t0\n").unwrap();
    let (store, marks, said) = Store::open(dir.path());
    assert!(marks.entries.is_empty());
    let [StoreReport::MovedAside(aside)] = said.as_slice() else {
        panic!("not reported: {said:?}");
    };
    assert_eq!(
        std::fs::read_to_string(aside).unwrap(),
        "folio-state 1\nabc\tr\t0\t0\t1\t0\t0\n",
        "the damaged file is kept as it was"
    );
    assert!(said[0].to_string().contains("state.tsv.corrupt-"));
    store.record(starred("aaaaaaaaaaaa"));
    drop(store);
    assert!(state::read_file(&path).unwrap().is_starred("aaaaaaaaaaaa"));
}

#[test]
fn an_unreadable_state_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(state::FILE_NAME);
    // A folder where the file should be: it cannot be read, nor replaced.
    std::fs::create_dir(&path).unwrap();
    let (store, marks, said) = Store::open(dir.path());
    assert!(marks.entries.is_empty());
    assert!(matches!(said.as_slice(), [StoreReport::WriteFailed(_)]));
    store.record(starred("aaaaaaaaaaaa"));
    drop(store);
    assert!(path.is_dir());
}

#[test]
fn resuming_survives_the_end_of_the_load_and_nothing_unchosen_is_read() {
    use folio::app::loading::{Arrivals, Finished, Handover};
    let loaded = folio::load(&folio::Source::Bundled, &|_| {});
    let last = loaded.collection.articles()[3].id.clone();
    let marks = last_session(&last);
    // Arriving newest last, so that arrival order is not the final one.
    let mut articles = with_files(&loaded);
    articles.reverse();
    let mut app = App::loading((120, 40));
    app.remember(marks);
    let first = Arrivals {
        articles: articles[..1].to_vec(),
        ..Arrivals::default()
    };
    update(&mut app, Action::Arrived(first));
    update(&mut app, Action::Tick(5 * READ_AFTER_MS));
    assert!(
        app.marks.entries.is_empty(),
        "nobody chose what arrived first"
    );
    let rest = Arrivals {
        articles: articles[1..].to_vec(),
        ..Arrivals::default()
    };
    update(&mut app, Action::Arrived(rest));
    assert_eq!(selected_id(&app), last);
    let finished = Finished::new(loaded);
    update(&mut app, Action::Loaded(Handover(Arc::new(finished))));
    assert_eq!(
        selected_id(&app),
        last,
        "still the last article after the final order"
    );
    assert_eq!(open_id(&app), last);
}

#[test]
fn with_the_unread_filter_what_is_shown_does_not_vanish_while_loading() {
    use folio::app::loading::{Arrivals, Finished, Handover};
    let loaded = folio::load(&folio::Source::Bundled, &|_| {});
    let articles = with_files(&loaded);
    let batch = |range: std::ops::Range<usize>| Arrivals {
        articles: articles[range].to_vec(),
        ..Arrivals::default()
    };
    let mut app = App::loading((120, 40));
    update(&mut app, Action::Arrived(batch(0..3)));
    press(&mut app, "Uj");
    let reading = selected_id(&app);
    update(&mut app, Action::Tick(READ_AFTER_MS));
    update(&mut app, Action::Tick(3 * READ_AFTER_MS));
    assert!(app.marks.is_read(&reading));
    update(&mut app, Action::Arrived(batch(3..5)));
    assert_eq!(selected_id(&app), reading, "read, but still on screen");
    assert_eq!(app.list.len(), 5);
    let finished = Finished::new(loaded);
    update(&mut app, Action::Loaded(Handover(Arc::new(finished))));
    assert_eq!(selected_id(&app), reading);
    assert_eq!(app.list.len(), 5);
    // Turning the filter off and on again applies it afresh.
    press(&mut app, "UU");
    assert_eq!(app.list.len(), 4);
}

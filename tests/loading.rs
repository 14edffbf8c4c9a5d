//! The browser while a background load runs: articles arrive in batches, in any
//! order, and the final order replaces them without moving what the user looks at.

mod common;

use std::sync::{Arc, Mutex};

use common::{corpus, press, screen};
use folio::Source;
use folio::app::loading::{Arrivals, Finished, Handover};
use folio::app::{Action, App, update};
use folio::loader::{Event, Loaded, load_with_events};

/// A real load of the corpus fixtures, as the events the loader sent (the files read
/// in reverse, so arrival order differs from the final order) and its result.
fn recorded_load() -> (Event, Vec<Event>, Loaded) {
    let events = Mutex::new(Vec::new());
    let loaded = load_with_events(&Source::Paths(vec![corpus("")]), &|e| {
        events.lock().unwrap().push(e)
    });
    let mut events = events.into_inner().unwrap();
    events.retain(|e| !matches!(e, Event::Converting { .. }));
    let found = events.remove(
        events
            .iter()
            .position(|e| matches!(e, Event::Found { .. }))
            .expect("a found event"),
    );
    let file = |e: &Event| match e {
        Event::Read { file, .. } => *file,
        _ => u32::MAX,
    };
    events.sort_by_key(|e| std::cmp::Reverse(file(e)));
    (found, events, loaded)
}

fn arrive(app: &mut App, events: impl IntoIterator<Item = Event>) {
    let mut arrivals = Arrivals::default();
    for event in events {
        arrivals.take(event);
    }
    update(app, Action::Arrived(arrivals));
}

fn finish(app: &mut App, loaded: Loaded) {
    update(
        app,
        Action::Loaded(Handover(Arc::new(Finished::new(loaded)))),
    );
}

fn selected_id(app: &App) -> Option<String> {
    let i = app.list.selected_article()?;
    Some(app.article(i)?.id.clone())
}

fn screen_line(app: &App) -> usize {
    app.list.selected - app.list.offset
}

#[test]
fn the_first_frame_needs_no_article() {
    let app = App::loading((100, 30));
    let s = screen(&app);
    assert!(s.contains("looking for articles..."), "{s}");
    assert!(s.contains(" Articles "), "{s}");
}

#[test]
fn arrivals_never_move_the_selection_and_the_final_order_keeps_it_in_place() {
    let (found, mut events, loaded) = recorded_load();
    let total = loaded.collection.len();
    assert_eq!(total, 56);
    // A short screen, so that the article picked below can keep its screen line
    // in the final order (near the end of a short list it could not).
    let mut app = App::loading((100, 16));
    let first: Vec<Event> = events.drain(..15).collect();
    arrive(&mut app, std::iter::once(found).chain(first));
    assert_eq!(app.list.total, 15);
    assert!(
        app.open_article().is_some(),
        "the reader shows the first arrival"
    );
    let s = screen(&app);
    assert!(s.contains(" loading ") && s.contains("/56 files"), "{s}");

    press(&mut app, "jjjjjjj<enter>jjj");
    let id = selected_id(&app);
    let line = screen_line(&app);
    let scroll = app.reader.scroll;
    assert!(id.is_some() && line == 7 && scroll == 3);
    while !events.is_empty() {
        let batch: Vec<Event> = events.drain(..events.len().min(7)).collect();
        arrive(&mut app, batch);
        assert_eq!(selected_id(&app), id);
        assert_eq!(screen_line(&app), line);
    }
    assert_eq!(app.list.total, total);

    let expected: Vec<String> = loaded.collection.iter().map(|a| a.id.clone()).collect();
    finish(&mut app, loaded);
    assert!(app.loading.is_none());
    let ids: Vec<String> = app.collection.iter().map(|a| a.id.clone()).collect();
    assert_eq!(ids, expected, "the final order is the load's order");
    assert_eq!(selected_id(&app), id, "the same article is selected");
    assert_eq!(screen_line(&app), line, "on the same screen line");
    assert_eq!(
        app.open_article().map(|a| a.id.clone()),
        id,
        "the reader still shows it"
    );
    assert_eq!(app.reader.scroll, scroll, "scrolled as before");
    let message = app.message.clone().unwrap_or_default();
    assert!(message.starts_with("56 articles loaded in"), "{message}");
    let s = screen(&app);
    assert!(!s.contains("loading"), "{s}");
}

#[test]
fn a_title_search_takes_in_articles_as_they_arrive() {
    let (found, mut events, loaded) = recorded_load();
    let mut app = App::loading((100, 30));
    arrive(&mut app, std::iter::once(found).chain(events.drain(..20)));
    press(&mut app, "/中俄<enter>");
    let early = app.list.len();
    arrive(&mut app, events.drain(..));
    let late = app.list.len();
    assert!(late > early, "more matches arrived: {early} → {late}");
    for row in 0..app.list.len() {
        let article = app.article(app.list.article_at(row).unwrap()).unwrap();
        assert!(
            article.title.contains('中') && article.title.contains('俄'),
            "{}",
            article.title
        );
    }
    press(&mut app, "jj");
    let id = selected_id(&app);
    finish(&mut app, loaded);
    assert_eq!(app.list.len(), late);
    assert_eq!(selected_id(&app), id);
    let best: Vec<u32> = app.index.search("中俄").iter().map(|h| h.article).collect();
    assert_eq!(app.list.filter.as_deref(), Some(best.as_slice()));
}

#[test]
fn a_full_text_search_runs_again_over_the_finished_load() {
    let (found, mut events, loaded) = recorded_load();
    let mut app = App::loading((100, 30));
    arrive(&mut app, std::iter::once(found).chain(events.drain(..30)));
    press(&mut app, "f普京<enter>");
    let early = app.list.len();
    assert!(early > 0);
    press(&mut app, "j");
    let id = selected_id(&app);
    arrive(&mut app, events.drain(..));
    assert_eq!(
        app.list.len(),
        early,
        "full-text results stay until run again"
    );
    finish(&mut app, loaded);
    assert!(app.body_request.is_some(), "run again over every article");
    assert_eq!(selected_id(&app), id);
    press(&mut app, "");
    let (generation, query) = app.body_request.take().unwrap();
    let hits = folio::search::search_bodies(&app.collection, &query);
    update(&mut app, Action::BodyResults(generation, hits));
    assert!(app.list.len() > early);
    assert_eq!(
        selected_id(&app),
        id,
        "the rerun does not move the selection"
    );
}

#[test]
fn skipped_files_are_counted_while_loading_and_listed_after() {
    let dir = common::fixture("hostile");
    let events = Mutex::new(Vec::new());
    let loaded = load_with_events(
        &Source::Paths(vec![dir, common::fixture("encodings")]),
        &|e| events.lock().unwrap().push(e),
    );
    let skipped = loaded.report.skipped.len();
    assert!(skipped > 0);
    let mut app = App::loading((100, 30));
    arrive(&mut app, events.into_inner().unwrap());
    assert_eq!(app.skipped.len(), skipped);
    assert!(screen(&app).contains(&format!("{skipped} skipped")));
    finish(&mut app, loaded);
    assert_eq!(app.skipped.len(), skipped);
    assert!(
        app.message
            .as_deref()
            .unwrap_or("")
            .contains("skipped — ! lists them")
    );
}

#[test]
fn untouched_the_browser_ends_on_the_newest_article() {
    let (found, events, loaded) = recorded_load();
    let newest = loaded.collection.articles()[0].id.clone();
    let mut app = App::loading((100, 30));
    arrive(&mut app, std::iter::once(found).chain(events));
    finish(&mut app, loaded);
    assert_eq!(app.list.selected, 0);
    assert_eq!(selected_id(&app).as_deref(), Some(newest.as_str()));
    assert_eq!(app.open_article().map(|a| a.id.clone()), Some(newest));
}

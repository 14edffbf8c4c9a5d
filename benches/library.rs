//! Library benchmarks over the 100,000 generated articles: a filter of each kind, the facet panel (made, counted, opened in the browser, typed in), and each sort order.
//!
//! The collection comes from `../shared/bench/gen_corpus.py` (cached under
//! `target/bench-corpus/100000/`), or the folder `FOLIO_BENCH_CORPUS` names. Run with
//! `cargo bench --bench library`.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use folio::app::{Action, App, update};
use folio::search::filter::{parse, today};
use folio::sort::SortOrder;
use folio::state::Marks;
use folio::{Collection, Source};

#[path = "support/corpus.rs"]
mod corpus;

const COUNT: usize = 100_000;

/// One query per kind of filter term (the generated sources, tags and authors).
const FILTERS: &[&str] = &[
    "@voa",
    "#中国",
    "by:王",
    "after:2023-06",
    "on:2023",
    "before:2022",
    "is:unread",
    "!@rfa",
    "@voa after:2023 !#中国",
];

fn main() {
    divan::main();
}

fn corpus_dir() -> PathBuf {
    match std::env::var_os("FOLIO_BENCH_CORPUS") {
        Some(dir) => dir.into(),
        None => corpus::generated(COUNT),
    }
}

fn collection() -> &'static Arc<Collection> {
    static COLLECTION: OnceLock<Arc<Collection>> = OnceLock::new();
    COLLECTION.get_or_init(|| {
        let loaded = folio::load(&Source::Paths(vec![corpus_dir()]), &|_| {});
        Arc::new(loaded.collection)
    })
}

/// The browser over the collection, at 120×40.
fn browser() -> App {
    App::new(Arc::clone(collection()), (120, 40))
}

#[divan::bench(args = FILTERS, sample_count = 20, sample_size = 1)]
fn filter(bencher: divan::Bencher, query: &str) {
    let collection = collection();
    let marks = Marks::default();
    let parsed = parse(query, today());
    bencher.bench(|| folio::commands::select(collection, &marks, &parsed, SortOrder::Newest));
}

/// A filter typed into the browser's search box: the list as it is drawn.
#[divan::bench(args = FILTERS, sample_count = 20, sample_size = 1)]
fn filter_in_the_browser(bencher: divan::Bencher, query: &str) {
    let mut app = browser();
    bencher.bench_local(|| {
        update(&mut app, Action::SearchStart);
        update(&mut app, Action::SearchInput(query.to_owned()));
        update(&mut app, Action::SearchCancel);
    });
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn facet_table_made(bencher: divan::Bencher) {
    let collection = collection();
    bencher.bench(|| folio::search::fields::Fields::new(collection));
}

#[divan::bench(sample_count = 20, sample_size = 1)]
fn facet_panel_opened(bencher: divan::Bencher) {
    let mut app = browser();
    // The first opening makes the table (once per collection).
    update(&mut app, Action::OpenFacets);
    update(&mut app, Action::CloseOverlay);
    bencher.bench_local(|| {
        update(&mut app, Action::OpenFacets);
        update(&mut app, Action::CloseOverlay);
    });
}

#[divan::bench(sample_count = 20, sample_size = 1)]
fn facet_panel_keystroke(bencher: divan::Bencher) {
    let mut app = browser();
    update(&mut app, Action::OpenFacets);
    bencher.bench_local(|| {
        update(&mut app, Action::SearchInput("v".to_owned()));
        update(&mut app, Action::SearchBackspace);
    });
}

#[divan::bench(args = SortOrder::ALL.map(SortOrder::name), sample_count = 10, sample_size = 1)]
fn sort_order(bencher: divan::Bencher, name: &str) {
    let collection = collection();
    let order = SortOrder::parse(name).unwrap_or_default();
    bencher.bench(|| folio::sort::arrange(collection, order, |_| 0));
}

/// `O` in the browser: the next order, the selection kept.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn sort_key_in_the_browser(bencher: divan::Bencher) {
    let mut app = browser();
    bencher.bench_local(|| update(&mut app, Action::CycleSort));
}

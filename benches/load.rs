//! Load benchmarks over generated collections of 10,000 and 100,000 articles.
//!
//! The collections come from `../shared/bench/gen_corpus.py` and are cached under
//! `target/bench-corpus/` (never committed). Run with `cargo bench --bench load`;
//! set `FOLIO_BENCH_COUNTS=10000` to run only the smaller one.

use folio::Source;

#[path = "support/corpus.rs"]
mod corpus;

fn main() {
    divan::main();
}

fn counts() -> Vec<usize> {
    std::env::var("FOLIO_BENCH_COUNTS")
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![10_000, 100_000])
}

#[divan::bench(args = counts(), sample_count = 3, sample_size = 1)]
fn load_folder(bencher: divan::Bencher, count: usize) {
    let dir = corpus::generated(count);
    bencher.bench(|| {
        let loaded = folio::load(&Source::Paths(vec![dir.clone()]), &|_| {});
        assert_eq!(loaded.collection.len(), count);
        loaded
    });
}

//! Load benchmarks over generated collections of 10,000 and 100,000 articles.
//!
//! The collections come from `../shared/bench/gen_corpus.py` and are cached under
//! `target/bench-corpus/` (never committed). Run with `cargo bench --bench load`;
//! set `FOLIO_BENCH_COUNTS=10000` to run only the smaller one.

use std::path::{Path, PathBuf};
use std::process::Command;

use folio::Source;

fn main() {
    divan::main();
}

fn counts() -> Vec<usize> {
    std::env::var("FOLIO_BENCH_COUNTS")
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![10_000, 100_000])
}

/// The generated collection of `count` articles, made once.
fn corpus(count: usize) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("target/bench-corpus").join(count.to_string());
    let done = dir.join(".complete");
    if !done.exists() {
        let status = Command::new("python3")
            .arg(root.join("../shared/bench/gen_corpus.py"))
            .args(["--count", &count.to_string(), "--out"])
            .arg(&dir)
            .status()
            .expect("python3 runs the corpus generator");
        assert!(status.success(), "gen_corpus.py failed");
        std::fs::write(&done, b"").expect("marker written");
    }
    dir
}

#[divan::bench(args = counts(), sample_count = 3, sample_size = 1)]
fn load_folder(bencher: divan::Bencher, count: usize) {
    let dir = corpus(count);
    bencher.bench(|| {
        let loaded = folio::load(&Source::Paths(vec![dir.clone()]), &|_| {});
        assert_eq!(loaded.collection.len(), count);
        loaded
    });
}

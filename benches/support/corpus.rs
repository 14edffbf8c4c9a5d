//! The generated collections the benchmarks run on, made once with `../shared/bench/gen_corpus.py`.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The collection of `count` generated articles under `target/bench-corpus/`
/// (never committed), made on first use.
pub fn generated(count: usize) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("target/bench-corpus").join(count.to_string());
    let done = dir.join(".complete");
    if !done.exists() {
        // FOLIO_GEN_CORPUS names the generator; by default it is the one beside
        // the repository (see README.md, "Benchmarks").
        let generator = std::env::var_os("FOLIO_GEN_CORPUS")
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join("../shared/bench/gen_corpus.py"));
        if !generator.is_file() {
            eprintln!(
                "benchmark input missing: no corpus generator at {}.\n\
                 The benchmarks run on generated collections: set FOLIO_GEN_CORPUS to \
                 gen_corpus.py (see README.md, \"Benchmarks\"), or put collections \
                 made by it under {}/<count>/ with an empty .complete file.",
                generator.display(),
                root.join("target/bench-corpus").display()
            );
            std::process::exit(2);
        }
        let status = Command::new("python3")
            .arg(&generator)
            .args(["--count", &count.to_string(), "--out"])
            .arg(&dir)
            .status()
            .unwrap_or_else(|e| {
                eprintln!(
                    "benchmark input: cannot run python3 {}: {e}",
                    generator.display()
                );
                std::process::exit(2);
            });
        assert!(status.success(), "gen_corpus.py failed");
        std::fs::write(&done, b"").expect("marker written");
    }
    dir
}

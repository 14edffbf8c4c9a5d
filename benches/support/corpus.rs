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

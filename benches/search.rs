//! Search benchmarks over the 100,000 generated articles: title index build, keystroke filtering per query class, body search.
//!
//! The collection comes from `../shared/bench/gen_corpus.py` and is cached under
//! `target/bench-corpus/100000/` (never committed), or is read from the folder named
//! by `FOLIO_BENCH_CORPUS`. Run with `cargo bench --bench search`. After divan's
//! table, a summary types every query one character at a time and reports, per
//! query class, the median and worst time of one keystroke's filtering; when `fzf`
//! is installed, `fzf --filter` over the same titles is timed for comparison.
//! `FOLIO_BENCH_PARTS=titles,bodies,fzf` picks parts of the summary, and
//! `FOLIO_BENCH_QUICK=1` times each full query alone, without divan (the queries of
//! `FOLIO_BENCH_QUERIES=a,b,c` if set).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use folio::search::{TitleIndex, search_bodies};
use folio::{Collection, Source};

#[path = "support/corpus.rs"]
mod corpus;

const COUNT: usize = 100_000;

/// Title queries by class, as a person would type them.
const CLASSES: &[(&str, &[&str])] = &[
    ("cjk-1", &["中", "俄", "芯"]),
    ("cjk-2", &["中俄", "普京", "关系"]),
    (
        "cjk-3..6",
        &["习近平", "中俄关系", "俄罗斯经济", "美国情报机构", "關係"],
    ),
    ("latin", &["apec", "nvidia", "tiktok", "covid", "ai"]),
    ("pinyin-full", &["pujing", "zhonge", "xijinping", "eluosi"]),
    ("pinyin-initials", &["pj", "zge", "xjp", "elsjj"]),
    (
        "multi-term",
        &["中俄 贸易", "普京 !习近平", "apec 中国", "pj 2023"],
    ),
];

/// Body queries: common, rare, absent (a full scan), Latin, traditional.
const BODY_QUERIES: &[&str] = &["中俄", "布林肯", "不存在的词语", "nbc", "關係"];

fn main() {
    // The folding and pinyin tables are made on first use, once per process.
    let start = Instant::now();
    TitleIndex::new(&Collection::default());
    println!(
        "folding and pinyin tables made in {:.1} ms",
        ms(start.elapsed())
    );
    if std::env::var_os("FOLIO_BENCH_QUICK").is_some() {
        quick();
        return;
    }
    divan::main();
    summary();
}

/// `FOLIO_BENCH_QUICK=1`: only the median wall and CPU time of each full query.
fn quick() {
    let index = index();
    let one_thread = rayon::ThreadPoolBuilder::new().num_threads(1).build().ok();
    // FOLIO_BENCH_QUERIES=中,zhonge: other queries than the classes' own.
    let chosen: Vec<String> = match std::env::var("FOLIO_BENCH_QUERIES") {
        Ok(list) => list.split(',').map(str::to_owned).collect(),
        Err(_) => all_queries().into_iter().map(str::to_owned).collect(),
    };
    for query in chosen.iter().map(String::as_str) {
        let mut wall = Vec::new();
        let mut cpu = Vec::new();
        let mut hits = 0;
        for _ in 0..7 {
            let start = Instant::now();
            hits = index.search(query).len();
            wall.push(start.elapsed());
        }
        if let Some(pool) = &one_thread {
            cpu.push(one_core(pool, 20, || index.search(query)));
        }
        wall.sort();
        cpu.sort();
        println!(
            "{query:<14} wall {:>7.2} ms  1-core {:>7.2} ms  hits {hits}",
            ms(median(&wall)),
            ms(median(&cpu))
        );
    }
}

fn corpus_dir() -> PathBuf {
    match std::env::var_os("FOLIO_BENCH_CORPUS") {
        Some(dir) => dir.into(),
        None => corpus::generated(COUNT),
    }
}

fn collection() -> &'static Collection {
    static COLLECTION: OnceLock<Collection> = OnceLock::new();
    COLLECTION.get_or_init(|| {
        let loaded = folio::load(&Source::Paths(vec![corpus_dir()]), &|_| {});
        assert_eq!(loaded.collection.len(), COUNT);
        loaded.collection
    })
}

fn index() -> &'static TitleIndex {
    static INDEX: OnceLock<TitleIndex> = OnceLock::new();
    INDEX.get_or_init(|| TitleIndex::new(collection()))
}

fn all_queries() -> Vec<&'static str> {
    CLASSES
        .iter()
        .flat_map(|(_, qs)| qs.iter().copied())
        .collect()
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn build_title_index(bencher: divan::Bencher) {
    let collection = collection();
    bencher.bench(|| TitleIndex::new(collection));
}

#[divan::bench(args = all_queries(), sample_count = 50, sample_size = 1)]
fn title_search(bencher: divan::Bencher, query: &str) {
    let index = index();
    bencher.bench(|| index.search(query));
}

#[divan::bench(args = BODY_QUERIES, sample_count = 5, sample_size = 1)]
fn body_search(bencher: divan::Bencher, query: &str) {
    let collection = collection();
    bencher.bench(|| search_bodies(collection, query));
}

/// Every prefix of `query` by characters: what the search box holds key by key.
fn keystrokes(query: &str) -> Vec<&str> {
    query
        .char_indices()
        .map(|(i, c)| &query[..i + c.len_utf8()])
        .filter(|q| !q.trim().is_empty())
        .collect()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(sorted: &[Duration]) -> Duration {
    sorted.get(sorted.len() / 2).copied().unwrap_or_default()
}

fn summary() {
    // FOLIO_BENCH_PARTS=titles,bodies,fzf (the default: all three) picks the parts.
    let parts = std::env::var("FOLIO_BENCH_PARTS").unwrap_or_else(|_| "titles,bodies,fzf".into());
    if parts.contains("titles") {
        title_summary();
    }
    if parts.contains("bodies") {
        body_summary();
    }
    if parts.contains("fzf") {
        fzf_comparison();
    }
}

fn title_summary() {
    let collection = collection();
    let start = Instant::now();
    let index = TitleIndex::new(collection);
    println!(
        "\ntitle index of {COUNT} titles built in {:.1} ms, {:.1} MB",
        ms(start.elapsed()),
        index.memory_bytes() as f64 / 1e6
    );
    println!(
        "\nkeystroke filtering over {COUNT} titles (every prefix of every query, 5 runs each)"
    );
    println!("wall: elapsed time with rayon's two threads, the machine's load included;");
    println!("1-core: CPU time of the same search on one thread (mean of 20 runs per keystroke),");
    println!("which load hardly changes; median and worst over the keystrokes");
    println!(
        "{:<16} {:>11} {:>11} {:>11} {:>13} {:>12} {:>7}",
        "class", "wall median", "wall p95", "wall worst", "1-core median", "1-core worst", "hits"
    );
    let one_thread = rayon::ThreadPoolBuilder::new().num_threads(1).build().ok();
    for (class, queries) in CLASSES {
        let mut times = Vec::new();
        let mut cpu = Vec::new();
        let mut hits = 0;
        for query in *queries {
            for typed in keystrokes(query) {
                for _ in 0..5 {
                    let start = Instant::now();
                    let found = index.search(typed);
                    times.push(start.elapsed());
                    if typed == *query {
                        hits = hits.max(found.len());
                    }
                }
                if let Some(pool) = &one_thread {
                    cpu.push(one_core(pool, 20, || index.search(typed)));
                }
            }
        }
        times.sort();
        cpu.sort();
        let p95 = times[(times.len() * 95 / 100).min(times.len() - 1)];
        println!(
            "{:<16} {:>11.2} {:>11.2} {:>11.2} {:>13.2} {:>12.2} {:>7}",
            class,
            ms(median(&times)),
            ms(p95),
            ms(times[times.len() - 1]),
            ms(median(&cpu)),
            ms(cpu.last().copied().unwrap_or_default()),
            hits
        );
    }
}

/// The CPU time of one `run` on one thread, averaged over `times` runs: the kernel
/// brings a thread's CPU time up to date only at scheduler ticks and switches, which is
/// too coarse for one run of a few milliseconds but exact enough over a batch.
fn one_core<R>(pool: &rayon::ThreadPool, times: u32, run: impl Fn() -> R + Sync) -> Duration {
    pool.install(|| {
        let start = thread_cpu_ns();
        for _ in 0..times {
            std::hint::black_box(run());
        }
        Duration::from_nanos(thread_cpu_ns().saturating_sub(start) / u64::from(times.max(1)))
    })
}

/// CPU time used so far by the calling thread, in nanoseconds (Linux).
fn thread_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

fn body_summary() {
    let collection = collection();
    let bytes: usize = collection.iter().map(|a| a.body().len()).sum();
    println!(
        "\nbody search over {COUNT} bodies, {:.0} MB in all (median of 5)",
        bytes as f64 / 1e6
    );
    println!(
        "wall: with rayon's two threads, load included; 1-core: CPU time on one thread (mean of 3)"
    );
    println!(
        "{:<16} {:>11} {:>13} {:>10} {:>8}",
        "query", "wall median", "1-core median", "GB/s wall", "hits"
    );
    let one_thread = rayon::ThreadPoolBuilder::new().num_threads(1).build().ok();
    for query in BODY_QUERIES {
        let mut times = Vec::new();
        let mut cpu = Vec::new();
        let mut hits = 0;
        for _ in 0..5 {
            let start = Instant::now();
            hits = search_bodies(collection, query).len();
            times.push(start.elapsed());
        }
        if let Some(pool) = &one_thread {
            cpu.push(one_core(pool, 3, || search_bodies(collection, query)));
        }
        times.sort();
        cpu.sort();
        let t = median(&times);
        println!(
            "{:<16} {:>11.2} {:>13.2} {:>10.2} {:>8}",
            query,
            ms(t),
            ms(median(&cpu)),
            bytes as f64 / 1e9 / t.as_secs_f64(),
            hits
        );
    }
}

/// `fzf --filter` over the same titles, one process per query (its time includes
/// reading the 100,000 lines, as its own search box would have them already).
fn fzf_comparison() {
    if Command::new("fzf").arg("--version").output().is_err() {
        println!("\nfzf not installed: no comparison");
        return;
    }
    let titles: String = collection()
        .iter()
        .map(|a| a.title.clone() + "\n")
        .collect();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-corpus");
    let path = dir.join("titles.txt");
    if let Err(e) = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, &titles)) {
        println!("\ncannot write {}: {e}", path.display());
        return;
    }
    println!("\nfzf --filter over the same titles (whole process: reading 100,000 lines included)");
    println!("the first row matches nothing: it is the cost of starting and reading alone");
    println!(
        "{:<16} {:<14} {:>11} {:>10} {:>8}",
        "class", "query", "wall median", "cpu median", "hits"
    );
    let baseline: &[(&str, &[&str])] = &[("no match", &["qqqqqqqqqq"])];
    for (class, queries) in baseline.iter().chain(CLASSES) {
        for query in *queries {
            let mut times = Vec::new();
            let mut cpu = Vec::new();
            let mut hits = 0;
            for _ in 0..5 {
                let Ok(input) = std::fs::File::open(&path) else {
                    return;
                };
                let cpu_start = children_cpu_ms();
                let start = Instant::now();
                let out = Command::new("fzf")
                    .args(["--filter", query])
                    .stdin(input)
                    .stderr(Stdio::null())
                    .output();
                times.push(start.elapsed());
                cpu.push(children_cpu_ms().saturating_sub(cpu_start));
                hits = out.map_or(0, |o| o.stdout.split(|&b| b == b'\n').count() - 1);
            }
            times.sort();
            cpu.sort();
            println!(
                "{:<16} {:<14} {:>11.2} {:>10} {:>8}",
                class,
                query,
                ms(median(&times)),
                cpu[cpu.len() / 2],
                hits
            );
        }
    }
}

/// CPU time of the finished child processes, in milliseconds (Linux, 10 ms steps).
fn children_cpu_ms() -> u64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0;
    };
    // Fields after the command name's closing parenthesis start with the third;
    // cutime and cstime are the 16th and 17th, in clock ticks of 10 ms.
    let Some((_, rest)) = stat.rsplit_once(')') else {
        return 0;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    (ticks(13) + ticks(14)) * 10
}

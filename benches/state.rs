//! State benchmarks with 100,000 remembered articles: reading the state at start, and one save (alone, and merged after another process wrote).
//!
//! Run with `cargo bench --bench state`. The state is written to a temporary folder.

use folio::state::{Change, Position, Store};

const COUNT: usize = 100_000;

fn main() {
    divan::main();
}

/// A state folder holding `COUNT` entries, one in three read, one in fifty starred.
fn filled() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let (store, _, _) = Store::open(dir.path());
    for i in 0..COUNT {
        for c in change(i, i.is_multiple_of(3)) {
            store.record(c);
        }
    }
    drop(store);
    dir
}

fn change(i: usize, read: bool) -> [Change; 3] {
    let id = format!("{:012x}", i * 7919);
    [
        Change::Read(id.clone(), read),
        Change::Starred(id.clone(), i.is_multiple_of(50)),
        Change::Position(
            id,
            i.is_multiple_of(7).then_some(Position {
                para: (i % 40) as u32,
                offset: (i % 500) as u32,
            }),
        ),
    ]
}

/// Start-up: read, check and parse the file, and start the writer.
#[divan::bench(sample_count = 20)]
fn open_100k(bencher: divan::Bencher) {
    let dir = filled();
    bencher.bench(|| {
        let (store, marks, _) = Store::open(dir.path());
        assert_eq!(marks.entries.len(), COUNT);
        drop(store);
    });
}

/// One change written: lock, format, checksum, fsync, rename (on the writer's thread).
#[divan::bench(sample_count = 20)]
fn save_100k(bencher: divan::Bencher) {
    let dir = filled();
    let (store, _, _) = Store::open(dir.path());
    let mut i = 0;
    bencher.bench_local(|| {
        i += 1;
        let [read, _, _] = change(i, i.is_multiple_of(2));
        store.record(read);
        store.flush();
    });
}

/// One save after another process wrote: the file is read again and merged first.
#[divan::bench(sample_count = 20)]
fn merge_and_save_100k(bencher: divan::Bencher) {
    let dir = filled();
    let (ours, _, _) = Store::open(dir.path());
    let (theirs, _, _) = Store::open(dir.path());
    let mut i = 0;
    bencher.bench_local(|| {
        i += 1;
        let [read, _, _] = change(i, true);
        theirs.record(read);
        theirs.flush();
        let [_, star, _] = change(i + 1, true);
        ours.record(star);
        ours.flush();
    });
}

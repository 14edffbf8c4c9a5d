//! The store on its own: entries kept and found, damaged stores set aside, unwritable ones done without.

use std::collections::HashSet;
use std::sync::Arc;

use super::*;
use crate::article::Article;

fn article(title: &str) -> Article {
    let mut a = Article {
        title: title.into(),
        ..Article::default()
    };
    a.set_text(format!("{title}的正文"), Vec::new(), Vec::new());
    a
}

fn keep(store: &Arc<Store>, entries: &[(&str, u64)]) {
    let writer = Writer::start(store);
    for (path, size) in entries {
        let outcome = Outcome::Article {
            article: article(path),
            degraded: None,
        };
        let stamp = Stamp {
            size: *size,
            mtime: 7,
        };
        writer.put(path.as_bytes().to_vec(), stamp, 3, encode(&outcome));
    }
    writer.flush();
}

/// What the store holds for paths from `low` to `high` (excluded): path, size
/// and title, each entry read whole (head and text).
fn scanned(store: &Store, low: &str, high: &str) -> Vec<(String, u64, String)> {
    let mut heads = Vec::new();
    store
        .scan_heads(
            low.as_bytes(),
            (high.as_bytes(), false),
            |key, stamp, converter, head| {
                assert_eq!(converter, 3);
                heads.push((key.to_vec(), stamp, head.to_vec()));
            },
        )
        .unwrap();
    heads
        .into_iter()
        .map(|(key, stamp, head)| {
            let (tail, body) = store.text_of(&key, stamp).unwrap().expect("a text");
            let Some(Outcome::Article { article, .. }) =
                decode(&head, &tail, &body, |_| String::new(), "")
            else {
                panic!("undecodable");
            };
            assert!(article.body().ends_with("的正文"));
            (
                String::from_utf8_lossy(&key).into_owned(),
                stamp.size,
                article.title,
            )
        })
        .collect()
}

#[test]
fn entries_are_kept_and_found_under_their_folder() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(dir.path()).unwrap());
    keep(
        &store,
        &[
            ("/a/x.md", 1),
            ("/a/sub/y.md", 2),
            ("/ab/z.md", 3),
            ("/b.md", 4),
        ],
    );
    assert_eq!(
        scanned(&store, "/a/", "/a0"),
        [
            ("/a/sub/y.md".to_owned(), 2, "/a/sub/y.md".to_owned()),
            ("/a/x.md".to_owned(), 1, "/a/x.md".to_owned())
        ]
    );
    assert_eq!(scanned(&store, "/b.md", "/b.md\0").len(), 1, "one file");
    assert_eq!(scanned(&store, "/a/sub/y.md", "/ab/z.md\0").len(), 3);
    // Replaced, then forgotten.
    keep(&store, &[("/a/x.md", 10)]);
    assert_eq!(scanned(&store, "/a/", "/a0")[1].1, 10);
    let writer = Writer::start(&store);
    writer.forget(b"/a/x.md".to_vec());
    writer.flush();
    assert_eq!(scanned(&store, "/a/", "/a0").len(), 1);
    // What is gone under a folder is pruned.
    writer.prune(vec![PathBuf::from("/a")], HashSet::new());
    writer.flush();
    assert!(scanned(&store, "/a/", "/a0").is_empty());
    assert_eq!(
        scanned(&store, "/ab/", "/ab0").len(),
        1,
        "a folder beside it is not"
    );
    assert!(store.take_notes().is_empty());
}

#[test]
fn a_damaged_or_foreign_store_is_set_aside_and_made_anew() {
    for damage in [
        b"this is not a database at all".to_vec(),
        // A real SQLite header, cut short.
        {
            let dir = tempfile::tempdir().unwrap();
            let store = Arc::new(Store::open(dir.path()).unwrap());
            keep(&store, &[("/a/x.md", 1)]);
            drop(store);
            let bytes = std::fs::read(dir.path().join(FILE_NAME)).unwrap();
            bytes[..100].to_vec()
        },
    ] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE_NAME), &damage).unwrap();
        let store = Arc::new(Store::open(dir.path()).unwrap());
        let notes = store.take_notes();
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].contains("kept as"), "{notes:?}");
        // What was there is kept, byte for byte.
        let aside: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".corrupt-"))
            .collect();
        assert_eq!(aside.len(), 1);
        assert_eq!(std::fs::read(dir.path().join(&aside[0])).unwrap(), damage);
        keep(&store, &[("/a/x.md", 1)]);
        assert_eq!(
            scanned(&store, "/a/", "/a0").len(),
            1,
            "the new store works"
        );
    }
}

#[test]
fn a_store_of_another_version_is_set_aside() {
    let dir = tempfile::tempdir().unwrap();
    {
        let conn = Connection::open(dir.path().join(FILE_NAME)).unwrap();
        conn.execute_batch("CREATE TABLE entries (x); PRAGMA user_version = 99;")
            .unwrap();
    }
    let store = Store::open(dir.path()).unwrap();
    assert!(store.take_notes()[0].contains("another version"));
}

#[cfg(unix)]
#[test]
fn a_read_only_folder_means_no_store() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o500)).unwrap();
    // Root ignores permissions: the test then only checks that opening works.
    let is_root = std::fs::write(locked.join("probe"), "").is_ok();
    match Store::open(&locked.join("cache")) {
        Err(StoreError::Unavailable { .. }) => {}
        Ok(_) if is_root => {}
        other => panic!("{:?}", other.map(|_| ())),
    }
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o700)).unwrap();
}

#[test]
fn status_and_clear() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(status(dir.path()).unwrap().entries, 0);
    let store = Arc::new(Store::open(dir.path()).unwrap());
    keep(&store, &[("/a/x.md", 1), ("/a/y.md", 1)]);
    let writer = Writer::start(&store);
    writer.archive(Path::new("/a"), 2);
    writer.flush();
    let s = status(dir.path()).unwrap();
    assert_eq!(s.entries, 2);
    assert_eq!(s.archives, [("/a".to_owned(), 2)]);
    assert!(s.bytes > 0);
    drop(writer);
    drop(store);
    assert!(clear(dir.path()).unwrap() > 0);
    assert_eq!(status(dir.path()).unwrap().entries, 0);
}

#[test]
fn two_processes_write_one_store_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let a = Arc::new(Store::open(dir.path()).unwrap());
    let b = Arc::new(Store::open(dir.path()).unwrap());
    let paths: Vec<String> = (0..2000).map(|i| format!("/a/{i}.md")).collect();
    let (wa, wb) = (Writer::start(&a), Writer::start(&b));
    for (i, p) in paths.iter().enumerate() {
        let outcome = encode(&Outcome::Article {
            article: article(p),
            degraded: None,
        });
        let w = if i % 2 == 0 { &wa } else { &wb };
        w.put(
            p.as_bytes().to_vec(),
            Stamp { size: 1, mtime: 7 },
            3,
            outcome,
        );
    }
    wa.flush();
    wb.flush();
    // Batches another process kept locked out may be dropped; whatever is kept is whole.
    let found = scanned(&a, "/a/", "/a0");
    assert!(found.len() > 1000, "{}", found.len());
    for (key, _, title) in found {
        assert_eq!(key, title);
    }
}

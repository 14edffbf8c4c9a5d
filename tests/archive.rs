//! The archive store as a user meets it: unchanged files reused between runs,
//! changed, new and removed files seen, files that change while the browser
//! runs taken in without moving the reader, and a damaged store, or one used by
//! several processes at once, that never breaks a run.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;
use std::time::Duration;

use common::{corpus, generate_corpus, press};
use folio::app::loading::{Finished, Handover};
use folio::app::{Action, App, update};
use folio::loader::{self, Changes, Options, Source};
use folio::store::Archive;
use folio::{Article, Loaded};

/// A copy of the real fixture articles in a folder of its own, and a cache folder.
struct Setup {
    dir: tempfile::TempDir,
}

impl Setup {
    fn new() -> Setup {
        let dir = tempfile::tempdir().expect("a temporary folder");
        copy_dir(&corpus(""), &dir.path().join("news"));
        Setup { dir }
    }

    fn news(&self) -> PathBuf {
        self.dir.path().join("news")
    }

    fn cache(&self) -> PathBuf {
        self.dir.path().join("cache")
    }

    fn source(&self) -> Source {
        Source::Paths(vec![self.news()])
    }

    /// Loads as a new run of folio does: a store opened afresh, and every write
    /// done before it returns (as when folio exits).
    fn run(&self, rescan: bool) -> Loaded {
        let archive = Arc::new(Archive::open(&self.cache()).expect("a store"));
        let options = Options {
            archive: Some(Arc::clone(&archive)),
            rescan,
            heads_only: false,
        };
        let loaded = loader::load_with(&self.source(), &options, &|_| {});
        archive.writer.flush();
        loaded
    }

    fn folio(&self, args: &[&str]) -> Output {
        folio_in(&self.cache(), self.dir.path(), args)
    }
}

fn folio_in(cache: &Path, state: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(args)
        .env("XDG_CONFIG_HOME", state)
        .env("FOLIO_STATE_DIR", state.join("state"))
        .env("FOLIO_CACHE_DIR", cache)
        .env_remove("COLUMNS")
        .output()
        .expect("the folio binary runs")
}

/// What a run said on stderr besides its summary line ("56 articles loaded, …").
fn notes(out: &Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| !l.contains(" loaded, "))
        .map(str::to_owned)
        .collect()
}

/// The id of row `n` of a `folio list` output.
fn id_at(list: &Output, n: usize) -> String {
    String::from_utf8_lossy(&list.stdout)
        .lines()
        .nth(n)
        .and_then(|l| l.split('\t').next())
        .expect("a row")
        .to_owned()
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("a folder");
    for entry in fs::read_dir(from).expect("the fixtures") {
        let entry = entry.expect("an entry");
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(entry.file_name()));
        } else {
            fs::copy(&path, to.join(entry.file_name())).expect("copied");
        }
    }
}

/// The files under a folder, in a stable order.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).expect("a folder") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            found.extend(files(&path));
        } else {
            found.push(path);
        }
    }
    found.sort();
    found
}

/// What a user sees of an article: everything but where it was read from.
fn shown(a: &Article) -> (String, String, String, Vec<folio::Link>, Vec<folio::Span>) {
    (
        a.id.clone(),
        a.title.clone(),
        a.body().to_owned(),
        a.links().to_vec(),
        a.spans().to_vec(),
    )
}

fn by_file<'a>(loaded: &'a Loaded, file: &Path) -> Option<&'a Article> {
    let name = file.file_name()?.to_string_lossy().into_owned();
    loaded.collection.iter().find(|a| a.path.ends_with(&name))
}

/// Appends to a file: its size (and so its stamp) changes.
fn append(file: &Path, text: &str) {
    let mut body = fs::read_to_string(file).expect("a fixture");
    body.push_str(text);
    fs::write(file, body).expect("written");
}

#[test]
fn unchanged_files_are_taken_from_the_store_as_they_were_converted() {
    let s = Setup::new();
    let first = s.run(false);
    let total = first.collection.len() + first.report.skipped.len();
    assert!(first.collection.len() > 40, "{:?}", first.report);
    assert_eq!(first.report.from_store, 0, "an empty store gives nothing");
    let second = s.run(false);
    assert_eq!(second.report.from_store, total, "nothing converted again");
    assert_eq!(second.report.skipped, first.report.skipped);
    let a: Vec<_> = first.collection.iter().map(shown).collect();
    let b: Vec<_> = second.collection.iter().map(shown).collect();
    assert_eq!(
        a, b,
        "the same articles, text, links and styles, in the same order"
    );
    assert!(second.collection.iter().all(|a| a.has_text()));
}

#[test]
fn changed_new_and_removed_files_are_seen_on_the_next_run() {
    let s = Setup::new();
    let first = s.run(false);
    let total = first.collection.len() + first.report.skipped.len();
    let all = files(&s.news());
    let (changed, removed) = (&all[0], &all[1]);
    append(changed, "\n\n<p>后来补充的一段。</p>\n");
    fs::remove_file(removed).expect("removed");
    fs::write(
        s.news().join("zz-new.md"),
        "---\ntitle: 新来的文章\ndate: 2030-05-05\n---\n<p>全新的内容。</p>\n",
    )
    .expect("a new file");

    let second = s.run(false);
    assert_eq!(
        second.report.from_store,
        total - 2,
        "all but the changed and the removed file from the store"
    );
    assert!(
        by_file(&second, removed).is_none(),
        "the removed file is gone"
    );
    let changed = by_file(&second, changed).expect("the changed article");
    assert!(
        changed.body().contains("后来补充的一段"),
        "{}",
        changed.body()
    );
    let new = by_file(&second, Path::new("zz-new.md")).expect("the new article");
    assert_eq!(new.body(), "全新的内容。");
    assert_eq!(
        second.collection.articles()[0].title,
        "新来的文章",
        "newest first"
    );

    // The changes are kept: a third run converts nothing.
    let third = s.run(false);
    assert_eq!(
        third.report.from_store,
        third.collection.len() + third.report.skipped.len()
    );
}

/// Rewrites a file with other contents of the same length, and puts its
/// modification time back: the store's blind spot.
fn change_in_place(file: &Path, from: &str, to: &str) {
    assert_eq!(from.len(), to.len());
    let mtime = fs::metadata(file)
        .expect("a file")
        .modified()
        .expect("an mtime");
    let body = fs::read_to_string(file).expect("a file");
    assert!(body.contains(from));
    fs::write(file, body.replacen(from, to, 1)).expect("written");
    let f = fs::File::options().write(true).open(file).expect("opened");
    f.set_modified(mtime).expect("mtime put back");
}

#[test]
fn a_file_changed_in_place_is_the_blind_spot_that_rescan_sees() {
    let s = Setup::new();
    let file = s.news().join("same-size.md");
    fs::write(
        &file,
        "---\ntitle: 同样大小\ndate: 2024-01-01\n---\n<p>原来的第一版文字。</p>\n",
    )
    .expect("written");
    s.run(false);
    change_in_place(&file, "第一版", "第二版");
    let unseen = s.run(false);
    assert!(
        by_file(&unseen, &file)
            .expect("the article")
            .body()
            .contains("第一版"),
        "same size and time: the store's entry is taken (the documented blind spot)"
    );
    let rescanned = s.run(true);
    assert_eq!(
        rescanned.report.from_store, 0,
        "--rescan converts every file"
    );
    assert!(
        by_file(&rescanned, &file)
            .expect("the article")
            .body()
            .contains("第二版")
    );
    // And the store was refreshed for the runs after it.
    let after = s.run(false);
    assert!(
        by_file(&after, &file)
            .expect("the article")
            .body()
            .contains("第二版")
    );
    assert!(after.report.from_store > 0);
}

#[test]
fn entries_of_another_converter_version_are_converted_again() {
    let s = Setup::new();
    let first = s.run(false);
    let total = first.collection.len() + first.report.skipped.len();
    // As if a few entries had been made by an older folio.
    let db = rusqlite::Connection::open(s.cache().join("articles.sqlite")).expect("the store");
    let older = db
        .execute(
            "UPDATE entries SET converter = converter - 1 WHERE rowid IN \
             (SELECT rowid FROM entries ORDER BY path LIMIT 5)",
            [],
        )
        .or_else(|_| {
            // A table without rowid: by path instead.
            db.execute(
                "UPDATE entries SET converter = converter - 1 WHERE path IN \
                 (SELECT path FROM entries ORDER BY path LIMIT 5)",
                [],
            )
        })
        .expect("entries made older");
    assert_eq!(older, 5);
    drop(db);
    let second = s.run(false);
    assert_eq!(
        second.report.from_store,
        total - 5,
        "the older entries converted again"
    );
    let a: Vec<_> = first.collection.iter().map(shown).collect();
    let b: Vec<_> = second.collection.iter().map(shown).collect();
    assert_eq!(a, b);
    let third = s.run(false);
    assert_eq!(
        third.report.from_store, total,
        "and kept with the current version"
    );
}

/// A browser over `setup`'s folder, loaded, with `keys` pressed.
fn browser(s: &Setup, archive: &Arc<Archive>) -> App {
    let options = Options {
        archive: Some(Arc::clone(archive)),
        ..Options::default()
    };
    let loaded = loader::load_with(&s.source(), &options, &|_| {});
    let mut app = App::loading((120, 30));
    update(
        &mut app,
        Action::Loaded(Handover(Arc::new(Finished::new(loaded)))),
    );
    app
}

/// What the watcher's thread does when the folder changes: load again over the
/// articles the browser holds, and hand the result to `update`.
fn reload(app: &mut App, s: &Setup, archive: &Arc<Archive>) -> Changes {
    let options = Options {
        archive: Some(Arc::clone(archive)),
        ..Options::default()
    };
    let (loaded, changes) = loader::reload(&s.source(), &options, &app.collection, &|_| {});
    update(
        app,
        Action::Updated(Handover(Arc::new(Finished::new(loaded))), changes.clone()),
    );
    changes
}

fn selected_title(app: &App) -> String {
    let i = app.list.selected_article().expect("a selection");
    app.collection.get(i).expect("an article").title.clone()
}

#[test]
fn a_running_browser_takes_in_changes_without_moving_the_reader() {
    let s = Setup::new();
    let archive = Arc::new(Archive::open(&s.cache()).expect("a store"));
    let mut app = browser(&s, &archive);
    let before = app.collection.len();
    press(&mut app, "jjjjj<enter>jj");
    let title = selected_title(&app);
    let line = app.list.selected - app.list.offset;
    let scroll = app.reader.scroll;
    assert!(scroll > 0);

    // Nothing changed: nothing moves, and the store is not asked again.
    let nothing = reload(&mut app, &s, &archive);
    assert_eq!(nothing, Changes::default());

    fs::write(
        s.news().join("zz-new.md"),
        "---\ntitle: 新来的文章\ndate: 2030-05-05\n---\n<p>全新的内容。</p>\n",
    )
    .expect("a new file");
    let other = files(&s.news())
        .into_iter()
        .find(|f| {
            let name = f.file_name().unwrap().to_string_lossy().into_owned();
            let open = app.open_article().unwrap();
            !open.path.ends_with(&name) && !name.starts_with("zz-")
        })
        .expect("another file");
    append(&other, "\n\n<p>后来补充的一段。</p>\n");
    let changes = reload(&mut app, &s, &archive);
    assert_eq!(
        changes,
        Changes {
            added: 1,
            changed: 1,
            removed: 0
        }
    );
    assert_eq!(app.message.as_deref(), Some("1 new, 1 changed"));
    assert_eq!(app.collection.len(), before + 1);
    assert_eq!(selected_title(&app), title, "the same article is selected");
    assert_eq!(
        app.list.selected - app.list.offset,
        line,
        "on the same line"
    );
    assert_eq!(app.reader.scroll, scroll, "the reader where it was");
    assert_eq!(
        app.open_article().map(|a| a.title.clone()),
        Some(title.clone())
    );
    let changed_name = other.file_name().unwrap().to_string_lossy().into_owned();
    let changed = app
        .collection
        .iter()
        .find(|a| a.path.ends_with(&changed_name))
        .expect("the changed article");
    assert!(changed.body().contains("后来补充的一段"));
    assert!(
        app.collection.articles()[0].title == "新来的文章",
        "the new article in its place (the newest: first)"
    );

    // The file of the article being read goes: the reader keeps it, marked, until
    // the user moves.
    let open = app.open_article().expect("an open article").path.clone();
    let open_file = files(&s.news())
        .into_iter()
        .find(|f| open.ends_with(&*f.file_name().unwrap().to_string_lossy()))
        .expect("the open article's file");
    fs::remove_file(&open_file).expect("removed");
    let changes = reload(&mut app, &s, &archive);
    assert_eq!(changes.removed, 1);
    assert_eq!(app.message.as_deref(), Some("1 removed"));
    assert_eq!(app.collection.len(), before);
    assert_eq!(
        app.open_article().map(|a| a.title.clone()),
        Some(title.clone())
    );
    assert!(app.orphan.is_some());
    assert!(common::screen(&app).contains("file removed"));
    assert!(
        !app.collection
            .iter()
            .any(|a| a.title == title && a.path == open)
    );
    press(&mut app, "<tab>j");
    assert!(app.orphan.is_none(), "moving lets it go");
    assert_ne!(app.open_article().map(|a| a.path.clone()), Some(open));
}

#[test]
fn a_search_stays_on_and_takes_in_new_matches() {
    let s = Setup::new();
    let archive = Arc::new(Archive::open(&s.cache()).expect("a store"));
    let mut app = browser(&s, &archive);
    press(&mut app, "/斑马");
    assert!(app.list.is_empty());
    fs::write(
        s.news().join("zz-zebra.md"),
        "---\ntitle: 斑马新闻\ndate: 2030-05-05\n---\n<p>斑马。</p>\n",
    )
    .expect("a new file");
    reload(&mut app, &s, &archive);
    assert_eq!(app.search.query, "斑马", "the search box is as it was");
    assert_eq!(app.list.len(), 1);
    assert_eq!(selected_title(&app), "斑马新闻");
}

#[test]
fn the_watcher_wakes_for_a_new_article_file() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = fs::canonicalize(dir.path()).expect("a real path");
    let (send, wakes) = std::sync::mpsc::channel();
    let watching = folio::watch::watch(std::slice::from_ref(&root), send);
    assert!(watching.note.is_none(), "{:?}", watching.note);
    fs::write(root.join("new.md"), "# 新\n\n正文").expect("a new file");
    // Generous: waits for the event, never for a fixed time.
    let wake = wakes.recv_timeout(Duration::from_secs(30));
    assert_eq!(wake, Ok(folio::watch::Wake::Changed));
    assert_eq!(
        folio::watch::next(&wakes, Some(Duration::from_millis(1))),
        Some(false)
    );
}

#[test]
fn the_cli_reuses_the_store_and_sees_changes() {
    let s = Setup::new();
    let news = s.news().display().to_string();
    let cold = s.folio(&["list", "-v", &news]);
    assert!(cold.status.success());
    let warm = s.folio(&["list", "-v", &news]);
    assert_eq!(warm.stdout, cold.stdout, "the same list from the store");
    let err = String::from_utf8_lossy(&warm.stderr);
    assert!(err.contains("from the store: "), "{err}");
    let id = id_at(&warm, 0);
    let fresh = folio_in(
        &s.dir.path().join("other-cache"),
        s.dir.path(),
        &["show", &id, &news],
    );
    let shown = s.folio(&["show", &id, &news]);
    assert!(shown.status.success());
    assert_eq!(
        shown.stdout, fresh.stdout,
        "show from the store is show converted"
    );
    let search = s.folio(&["search", "--body", "中国", &news]);
    let fresh_search = folio_in(
        &s.dir.path().join("third-cache"),
        s.dir.path(),
        &["search", "--body", "中国", &news],
    );
    assert!(search.status.success());
    assert_eq!(search.stdout, fresh_search.stdout);
    assert!(!search.stdout.is_empty());
}

#[test]
fn a_corrupt_store_is_set_aside_once_and_rebuilt() {
    let s = Setup::new();
    let news = s.news().display().to_string();
    let expected = s.folio(&["list", &news]);
    for damage in [
        b"this is not a database at all".to_vec(),
        // A real store cut short.
        {
            let whole = fs::read(s.cache().join("articles.sqlite")).expect("the store");
            whole[..whole.len() / 3].to_vec()
        },
    ] {
        let _ = fs::remove_file(s.cache().join("articles.sqlite-wal"));
        let _ = fs::remove_file(s.cache().join("articles.sqlite-shm"));
        fs::write(s.cache().join("articles.sqlite"), damage).expect("damaged");
        let out = s.folio(&["list", &news]);
        assert!(out.status.success());
        assert_eq!(out.stdout, expected.stdout, "the same articles");
        let said = notes(&out);
        assert_eq!(said.len(), 1, "{said:?}");
        assert!(
            said[0].contains("kept as") && said[0].contains("made anew"),
            "{said:?}"
        );
        let again = s.folio(&["list", &news]);
        assert_eq!(again.stdout, expected.stdout);
        assert_eq!(notes(&again), Vec::<String>::new(), "said once");
    }
    let aside = fs::read_dir(s.cache())
        .expect("the cache folder")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.file_name().to_string_lossy().contains(".corrupt-"))
        })
        .count();
    assert!(aside >= 1, "the damaged store is kept aside for a look");
}

#[test]
fn an_unwritable_cache_folder_means_no_store_and_one_note() {
    let s = Setup::new();
    let news = s.news().display().to_string();
    let blocker = s.dir.path().join("not-a-folder");
    fs::write(&blocker, "a file where the cache folder would be").expect("written");
    let expected = s.folio(&["list", &news]);
    for _ in 0..2 {
        let out = folio_in(&blocker.join("cache"), s.dir.path(), &["list", &news]);
        assert!(out.status.success());
        assert_eq!(out.stdout, expected.stdout);
        let said = notes(&out);
        assert_eq!(said.len(), 1, "one note: {said:?}");
        assert!(said[0].contains("working without it"), "{said:?}");
    }
}

#[test]
fn many_processes_on_one_cold_store_all_see_correct_articles() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let news = dir.path().join("news");
    generate_corpus(&news, 1500);
    let news = news.display().to_string();
    let reference = folio_in(&dir.path().join("alone"), dir.path(), &["list", &news]);
    let id = id_at(&reference, 1234);
    let shown_ref = folio_in(
        &dir.path().join("alone"),
        dir.path(),
        &["show", "--width", "60", &id, &news],
    );
    assert!(shown_ref.status.success());
    let cache = dir.path().join("one-store");
    let spawn = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_folio"))
            .args(args)
            .env("XDG_CONFIG_HOME", dir.path())
            .env("FOLIO_STATE_DIR", dir.path().join("state"))
            .env("FOLIO_CACHE_DIR", &cache)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("folio starts")
    };
    let children: Vec<_> = (0..6)
        .map(|i| {
            if i % 2 == 0 {
                spawn(&["list", &news])
            } else {
                spawn(&["show", "--width", "60", &id, &news])
            }
        })
        .collect();
    for (i, child) in children.into_iter().enumerate() {
        let out = child.wait_with_output().expect("folio ends");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let expected = if i % 2 == 0 { &reference } else { &shown_ref };
        assert_eq!(out.stdout, expected.stdout, "process {i}");
        assert_eq!(notes(&out), Vec::<String>::new(), "process {i}");
    }
    // And the store they wrote together serves them all.
    let after = folio_in(&cache, dir.path(), &["list", &news]);
    assert_eq!(after.stdout, reference.stdout);
}

#[test]
fn a_store_killed_while_writing_opens_and_serves_correct_text() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let news = dir.path().join("news");
    generate_corpus(&news, 3000);
    let news = news.display().to_string();
    let reference = folio_in(&dir.path().join("alone"), dir.path(), &["list", &news]);
    let id = id_at(&reference, 2345);
    let shown_ref = folio_in(
        &dir.path().join("alone"),
        dir.path(),
        &["show", "--width", "60", &id, &news],
    );
    assert!(shown_ref.status.success());
    // Killed at a few moments of its first run on an empty store: while it
    // converts, and once it has printed the list, while it writes the store.
    for (n, wait) in [(false, 30), (true, 0), (true, 3), (true, 15), (true, 60)]
        .into_iter()
        .enumerate()
    {
        let cache = dir.path().join(format!("cache-{n}"));
        let mut child = Command::new(env!("CARGO_BIN_EXE_folio"))
            .args(["list", &news])
            .env("XDG_CONFIG_HOME", dir.path())
            .env("FOLIO_STATE_DIR", dir.path().join("state"))
            .env("FOLIO_CACHE_DIR", &cache)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("folio starts");
        if wait.0 {
            let mut first = [0u8; 1];
            let mut stdout = child.stdout.take().expect("its output");
            let _ = std::io::Read::read(&mut stdout, &mut first);
            std::thread::sleep(Duration::from_millis(wait.1));
            let _ = child.kill();
            drop(stdout);
        } else {
            std::thread::sleep(Duration::from_millis(wait.1));
            let _ = child.kill();
        }
        let _ = child.wait();
        for run in 0..2 {
            let out = folio_in(&cache, dir.path(), &["list", &news]);
            assert!(out.status.success());
            assert_eq!(out.stdout, reference.stdout, "kill {n}, run {run}");
            let shown = folio_in(&cache, dir.path(), &["show", "--width", "60", &id, &news]);
            assert_eq!(shown.stdout, shown_ref.stdout, "kill {n}, run {run}");
        }
    }
}

#[test]
fn cache_status_and_clear() {
    let s = Setup::new();
    let news = s.news().display().to_string();
    s.folio(&["list", &news]);
    let status = s.folio(&["cache", "status"]);
    assert!(status.status.success());
    let text = String::from_utf8_lossy(&status.stdout);
    assert!(text.contains("articles.sqlite"), "{text}");
    assert!(text.contains("entries: "), "{text}");
    assert!(text.contains("archives: 1"), "{text}");
    assert!(
        text.contains(&*fs::canonicalize(s.news()).unwrap().to_string_lossy()),
        "{text}"
    );
    let cleared = s.folio(&["cache", "clear"]);
    assert!(cleared.status.success());
    assert!(!s.cache().join("articles.sqlite").exists());
    let status = s.folio(&["cache", "status"]);
    let text = String::from_utf8_lossy(&status.stdout);
    assert!(
        text.contains("entries: 0") || text.contains("no store"),
        "{text}"
    );
}

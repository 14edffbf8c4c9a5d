//! The real binary in a real pseudo-terminal: typing, reading, quitting, and the terminal left clean.
//!
//! A `vt100` emulator reads what folio writes; a wrapper shell in the same terminal
//! reports folio's exit status and the terminal mode (`stty`) once it has ended.

mod common;

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, MasterPty, PtySize, native_pty_system};

/// Generous: these tests wait for a screen to appear, never for a fixed time.
const TIMEOUT: Duration = Duration::from_secs(30);

/// What the terminal was asked to do besides drawing.
#[derive(Default)]
struct Recorder {
    titles: Vec<Vec<u8>>,
    clipboard: Vec<Vec<u8>>,
    bells: usize,
}

impl vt100::Callbacks for Recorder {
    fn audible_bell(&mut self, _: &mut vt100::Screen) {
        self.bells += 1;
    }
    fn visual_bell(&mut self, _: &mut vt100::Screen) {
        self.bells += 1;
    }
    fn set_window_title(&mut self, _: &mut vt100::Screen, title: &[u8]) {
        self.titles.push(title.to_vec());
    }
    fn set_window_icon_name(&mut self, _: &mut vt100::Screen, name: &[u8]) {
        self.titles.push(name.to_vec());
    }
    fn copy_to_clipboard(&mut self, _: &mut vt100::Screen, _ty: &[u8], data: &[u8]) {
        self.clipboard.push(data.to_vec());
    }
}

struct Pty {
    parser: Arc<Mutex<vt100::Parser<Recorder>>>,
    /// Every byte folio wrote.
    raw: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    master: Box<dyn MasterPty + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    dir: tempfile::TempDir,
}

fn size(width: u16, height: u16) -> PtySize {
    PtySize {
        rows: height,
        cols: width,
        pixel_width: 0,
        pixel_height: 0,
    }
}

fn nz(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).expect("a non-zero size")
}

impl Pty {
    /// Runs `folio ARGS` in a `width`×`height` terminal.
    fn start(width: u16, height: u16, args: &str) -> Pty {
        Pty::start_in(width, height, args, None, &[])
    }

    /// Runs `folio ARGS` with the working folder `cwd` (a temporary one if `None`).
    fn start_in(
        width: u16,
        height: u16,
        args: &str,
        cwd: Option<&std::path::Path>,
        env: &[(&str, &str)],
    ) -> Pty {
        let run = format!(
            "sh -c 'echo $$ > {{pid}}; exec {bin} {args}'",
            bin = env!("CARGO_BIN_EXE_folio"),
        );
        Pty::script(width, height, &run, cwd, env)
    }

    /// Runs the shell commands `run` (where `{pid}` is a file for folio's pid), then
    /// prints folio's exit status and the terminal mode.
    fn script(
        width: u16,
        height: u16,
        run: &str,
        cwd: Option<&std::path::Path>,
        env: &[(&str, &str)],
    ) -> Pty {
        let pair = native_pty_system()
            .openpty(size(width, height))
            .expect("a pty");
        let dir = tempfile::tempdir().expect("a temporary folder");
        let script = format!(
            "{run}; echo \"EXIT=$?\"; \
             echo \"STTY=$(stty -a | tr ' ' '\\n' | grep -x -- '-\\{{0,1\\}}icanon')\"",
            run = run.replace("{pid}", &dir.path().join("pid").display().to_string()),
        );
        let mut cmd = CommandBuilder::new("sh");
        cmd.args(["-c", &script]);
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("NO_COLOR");
        // Never the user's own state, nor archive store.
        cmd.env("FOLIO_STATE_DIR", dir.path().join("state"));
        cmd.env("FOLIO_CACHE_DIR", dir.path().join("cache"));
        // No config file there: the defaults, never the user's own config.
        cmd.env("XDG_CONFIG_HOME", dir.path());
        for (name, value) in env {
            cmd.env(name, value);
        }
        cmd.cwd(cwd.unwrap_or(dir.path()));
        let child = pair.slave.spawn_command(cmd).expect("folio starts");
        drop(pair.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new_with_callbacks(
            nz(height),
            nz(width),
            0,
            Recorder::default(),
        )));
        let raw = common::pump(pair.master.try_clone_reader().expect("a reader"), &parser);
        let writer = pair.master.take_writer().expect("a writer");
        Pty {
            parser,
            raw,
            writer,
            master: pair.master,
            child,
            dir,
        }
    }

    fn type_text(&mut self, text: &str) {
        self.writer.write_all(text.as_bytes()).expect("typed");
        self.writer.flush().expect("flushed");
    }

    fn screen(&self) -> String {
        self.parser.lock().expect("parser").screen().contents()
    }

    /// Waits for the background load to finish (the progress line gone).
    fn wait_loaded(&self) -> String {
        self.wait_for("the load to finish", |s| {
            s.contains("Articles")
                && !s.contains("looking for articles")
                && !s.contains(" loading ")
        })
    }

    fn wait_for(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        common::wait_until(what, TIMEOUT, || self.screen(), ok)
    }

    fn resize(&mut self, width: u16, height: u16) {
        self.parser
            .lock()
            .expect("parser")
            .set_size(nz(height), nz(width));
        self.master.resize(size(width, height)).expect("resized");
    }

    /// Sends folio signal `name` (TERM, INT, KILL…).
    fn signal(&self, name: &str) {
        let status = std::process::Command::new("sh")
            .args(["-c", &format!("kill -{name} {}", self.pid())])
            .status()
            .expect("kill runs");
        assert!(status.success());
    }

    fn pid(&self) -> String {
        let path = self.dir.path().join("pid");
        let start = Instant::now();
        loop {
            if let Ok(pid) = std::fs::read_to_string(&path)
                && !pid.trim().is_empty()
            {
                return pid.trim().to_owned();
            }
            assert!(start.elapsed() < TIMEOUT, "no pid file");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// After folio ended: its exit status, and the terminal as it was before.
    fn assert_restored(&self, expected_exit: &str) {
        let screen = self.wait_for("folio to end", |s| s.contains("STTY="));
        assert!(
            screen.contains(&format!("EXIT={expected_exit}")),
            "{screen}"
        );
        assert!(
            screen.contains("STTY=icanon"),
            "raw mode left on:\n{screen}"
        );
        let parser = self.parser.lock().expect("parser");
        assert!(
            !parser.screen().alternate_screen(),
            "still on the alternate screen"
        );
        assert!(!parser.screen().hide_cursor(), "cursor left hidden");
        assert!(
            !screen.contains("Articles"),
            "the browser's screen was left behind:\n{screen}"
        );
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

#[test]
fn a_bad_config_stops_folio_before_it_touches_the_terminal() {
    let home = tempfile::tempdir().expect("a temporary folder");
    std::fs::create_dir(home.path().join("folio")).expect("a folio folder");
    std::fs::write(home.path().join("folio/config.toml"), "theme = \"neon\"\n")
        .expect("the config is written");
    let config_home = home.path().to_str().expect("a UTF-8 path");
    let t = Pty::start_in(80, 24, "", None, &[("XDG_CONFIG_HOME", config_home)]);
    t.assert_restored("2");
    let raw = String::from_utf8_lossy(&t.raw.lock().expect("raw output")).into_owned();
    assert!(
        raw.contains("config.toml:1: theme: unknown theme \"neon\""),
        "{raw:?}"
    );
    // No alternate screen, no hidden cursor, no mode switched: not one escape sequence.
    assert!(!raw.contains('\x1b'), "{raw:?}");
}

#[test]
fn search_open_scroll_and_quit() {
    let mut t = Pty::start(100, 30, "");
    t.wait_loaded();
    t.wait_for("the browser", |s| {
        s.contains("Articles") && s.contains("2023年中俄关系")
    });
    assert!(t.parser.lock().unwrap().screen().alternate_screen());

    t.type_text("/普京");
    let screen = t.wait_for("the search box", |s| s.contains("/ 普京"));
    assert!(screen.contains(" 1/5 "), "one title matches:\n{screen}");
    t.type_text("\r");
    t.wait_for("the search to be kept", |s| s.contains("Enter read"));
    t.type_text("\r");
    t.wait_for("the reader's position", |s| s.contains("lines 1–"));
    t.type_text("jjj ");
    let screen = t.wait_for("the reader to scroll", |s| {
        s.contains("lines ") && !s.contains("lines 1–")
    });
    assert!(screen.contains("老楊到處說"), "{screen}");

    t.type_text("?");
    t.wait_for("the help overlay", |s| {
        s.contains(" Keys ") && s.contains("search titles")
    });
    t.type_text("\x1b");
    t.wait_for("the help to close", |s| !s.contains(" Keys "));

    t.type_text("q");
    t.wait_for("the list focus", |s| s.contains("Enter read"));
    t.type_text("q");
    t.assert_restored("0");
}

#[test]
fn ctrl_c_quits_from_the_search_box() {
    let mut t = Pty::start(80, 24, "");
    t.wait_loaded();
    t.type_text("/中俄");
    t.wait_for("the search box", |s| s.contains("/ 中俄"));
    t.type_text("\x03");
    t.assert_restored("0");
}

#[test]
fn sigterm_restores_the_terminal() {
    let t = Pty::start(80, 24, "");
    t.wait_loaded();
    t.signal("TERM");
    t.assert_restored("143");
}

#[test]
fn sigint_restores_the_terminal() {
    let t = Pty::start(80, 24, "");
    t.wait_loaded();
    t.signal("INT");
    t.assert_restored("130");
}

#[test]
fn a_panic_restores_the_terminal_and_says_why() {
    // Debug builds panic on purpose after the first frame when asked to.
    let t = Pty::start_in(80, 24, "", None, &[("FOLIO_DEBUG_PANIC", "1")]);
    t.assert_restored("101");
    let screen = t.screen();
    assert!(screen.contains("FOLIO_DEBUG_PANIC"), "{screen}");
}

#[test]
fn an_error_restores_the_terminal_and_says_why() {
    // Debug builds fail on purpose after the first frame when asked to.
    let t = Pty::start_in(80, 24, "", None, &[("FOLIO_DEBUG_ERROR", "1")]);
    t.assert_restored("1");
    let screen = t.screen();
    assert!(screen.contains("FOLIO_DEBUG_ERROR"), "{screen}");
}

#[test]
fn a_large_folder_opens_at_once_and_loads_behind() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    common::generate_corpus(dir.path(), 3000);
    let mut t = Pty::start(100, 30, &dir.path().display().to_string());
    let screen = t.wait_loaded();
    assert!(
        screen.contains(" 3,000 "),
        "the count in the border:\n{screen}"
    );
    t.type_text("/中俄");
    t.wait_for("the search over every article", |s| {
        s.contains("/ 中俄") && s.contains("/3,000 ")
    });
    t.type_text("\x1b");
    t.wait_for("the search to close", |s| !s.contains("/ 中俄"));
    t.type_text("q");
    t.assert_restored("0");
}

#[test]
fn files_added_changed_and_removed_under_a_running_folio_show_up() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    common::generate_corpus(dir.path(), 30);
    let mut t = Pty::start(100, 30, &dir.path().display().to_string());
    t.wait_loaded();
    // Written elsewhere and moved in, as a download or rsync does.
    let new = "---\ntitle: 斑马新闻第一篇\ndate: 2099-01-01\n---\n<p>斑马有条纹。</p>\n";
    let staged = dir.path().join(".incoming.md");
    std::fs::write(&staged, new).expect("a new article");
    std::fs::rename(&staged, dir.path().join("000/zebra.md")).expect("moved in");
    t.wait_for("the new article", |s| {
        s.contains(" 31 ") && s.contains("1 new")
    });
    // The newest article is at the top, above the selection, which did not move.
    t.type_text("g");
    t.wait_for("the new article in the reader", |s| {
        s.contains("斑马新闻第一篇") && s.contains("斑马有条纹")
    });
    std::fs::write(
        dir.path().join("000/zebra.md"),
        new.replace("斑马有条纹", "斑马的条纹是黑白的"),
    )
    .expect("changed");
    t.wait_for("the changed text", |s| {
        s.contains("斑马的条纹是黑白的") && s.contains("1 changed")
    });
    std::fs::remove_file(dir.path().join("000/zebra.md")).expect("removed");
    let screen = t.wait_for("the removal", |s| {
        s.contains(" 30 ") && s.contains("1 removed")
    });
    assert!(
        screen.contains("file removed") && screen.contains("斑马的条纹是黑白的"),
        "the reader keeps the removed article, marked:\n{screen}"
    );
    t.type_text("q");
    t.assert_restored("0");
}

#[test]
fn hyperlinks_when_asked_for_and_well_formed() {
    let mut t = Pty::start(120, 40, "--hyperlinks");
    t.wait_loaded();
    t.wait_for("the reader", |s| s.contains("lines "));
    t.type_text("q");
    t.assert_restored("0");
    let raw = String::from_utf8_lossy(&t.raw.lock().unwrap()).into_owned();
    let opened: Vec<&str> = raw.split("\x1b]8;;").skip(1).collect();
    assert!(
        opened.iter().any(|o| o.starts_with("https://")),
        "no hyperlink written"
    );
    for o in opened {
        // Each target runs to the string terminator with no control character in it.
        let end = o.find("\x1b\\").expect("terminated");
        assert!(!o[..end].chars().any(char::is_control), "{:?}", &o[..end]);
    }
    // Off by default.
    let plain = Pty::start(120, 40, "");
    plain.wait_loaded();
    assert!(!String::from_utf8_lossy(&plain.raw.lock().unwrap()).contains("\x1b]8;"));
}

/// Waits for the state file to satisfy `ok` (the writer saves about once a second).
fn wait_for_state(dir: &std::path::Path, ok: impl Fn(&folio::state::Marks) -> bool) {
    let path = dir.join(folio::state::FILE_NAME);
    let start = Instant::now();
    loop {
        if let Ok(marks) = folio::state::read_file(&path)
            && ok(&marks)
        {
            return;
        }
        assert!(
            start.elapsed() < TIMEOUT,
            "the state file never showed the change"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn stars(marks: &folio::state::Marks) -> usize {
    marks.entries.values().filter(|e| e.starred).count()
}

#[test]
fn sigkill_at_any_moment_leaves_a_readable_state_that_lost_little() {
    let state = tempfile::tempdir().expect("a temporary folder");
    let dir = state.path().to_str().expect("a UTF-8 path").to_owned();
    for round in 0..5 {
        let mut t = Pty::start_in(120, 40, "", None, &[("FOLIO_STATE_DIR", &dir)]);
        t.wait_loaded();
        // Star one more article, and wait until it is on disk.
        t.type_text(&format!("g{}s", "j".repeat(round)));
        wait_for_state(state.path(), |m| stars(m) == round + 1);
        // Then keep changing things, and kill in the middle of it.
        t.type_text("jmkmjmkm");
        t.signal("KILL");
        t.wait_for("the shell after the kill", |s| s.contains("EXIT=137"));
        let marks = folio::state::read_file(&state.path().join(folio::state::FILE_NAME))
            .expect("the state file is readable after SIGKILL");
        assert_eq!(stars(&marks), round + 1, "no confirmed change was lost");
    }
    // A clean start afterwards clears what the kills left behind.
    let t = Pty::start_in(120, 40, "", None, &[("FOLIO_STATE_DIR", &dir)]);
    t.wait_loaded();
    let names: Vec<String> = std::fs::read_dir(state.path())
        .expect("listed")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
}

#[test]
fn a_damaged_state_file_is_reported_and_kept() {
    let state = tempfile::tempdir().expect("a temporary folder");
    let file = state.path().join(folio::state::FILE_NAME);
    std::fs::write(&file, "folio-state 1\ntruncat").expect("written");
    let dir = state.path().to_str().expect("a UTF-8 path").to_owned();
    let mut t = Pty::start_in(150, 40, "", None, &[("FOLIO_STATE_DIR", &dir)]);
    t.wait_loaded();
    t.wait_for("the report", |s| s.contains("state file was damaged"));
    t.type_text("s");
    wait_for_state(state.path(), |m| stars(m) == 1);
    t.type_text("q");
    t.assert_restored("0");
    let kept: Vec<_> = std::fs::read_dir(state.path())
        .expect("listed")
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("state.tsv.corrupt-")
        })
        .collect();
    assert_eq!(kept.len(), 1);
    assert_eq!(
        std::fs::read_to_string(kept[0].path()).expect("read"),
        "folio-state 1\ntruncat"
    );
}

#[test]
fn resizing_redraws_for_the_new_size() {
    let mut t = Pty::start(120, 40, "");
    t.wait_for("two panes", |s| {
        s.contains("Articles") && s.contains("lines ")
    });
    t.resize(60, 20);
    let screen = t.wait_for("one pane", |s| {
        s.contains("Articles") && !s.contains("lines ")
    });
    assert!(
        screen
            .lines()
            .all(|l| unicode_width::UnicodeWidthStr::width(l) <= 60)
    );
    t.type_text("\r");
    t.wait_for("the reader alone", |s| {
        s.contains("lines ") && !s.contains("Articles")
    });
    t.type_text("qq");
    t.assert_restored("0");
}

#[test]
fn a_long_load_in_a_terminal_shows_progress_and_finishes() {
    // stderr is a terminal here, so the progress meter runs as the files are read.
    let dir = tempfile::tempdir().expect("a temporary folder");
    common::generate_corpus(dir.path(), 3000);
    let t = Pty::start(
        100,
        30,
        &format!("list {} > /dev/null", dir.path().display()),
    );
    let screen = t.wait_for("the load to end", |s| s.contains("STTY="));
    assert!(screen.contains("EXIT=0"), "{screen}");
    assert!(
        screen.contains("folio: 3000 articles loaded, 0 files skipped"),
        "{screen}"
    );
    assert!(
        !screen.contains("loading"),
        "the meter's line is cleared:\n{screen}"
    );
}

#[test]
fn a_dropped_connection_ends_folio_at_once() {
    // Like an SSH session that drops: the terminal's other side closes.
    let pair = native_pty_system().openpty(size(120, 40)).expect("a pty");
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_folio"));
    cmd.env("TERM", "xterm-256color");
    let state = tempfile::tempdir().expect("a temporary folder");
    cmd.env("FOLIO_STATE_DIR", state.path());
    cmd.env("FOLIO_CACHE_DIR", state.path().join("cache"));
    let config_home = tempfile::tempdir().expect("a temporary folder");
    cmd.env("XDG_CONFIG_HOME", config_home.path());
    let mut child = pair.slave.spawn_command(cmd).expect("folio starts");
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().expect("a reader");
    let mut screen = vt100::Parser::new(nz(40), nz(120), 0);
    let mut buf = [0u8; 4096];
    // The screen as drawn, not the bytes: the diffing backend writes only changed cells.
    let mut read_until = |what: &str| {
        while !screen.screen().contents().contains(what) {
            let n = reader.read(&mut buf).expect("folio draws");
            assert!(n > 0, "folio ended before drawing");
            screen.process(&buf[..n]);
        }
    };
    read_until(" loaded in ");
    // A change made just before the connection drops is saved all the same, and so
    // is the place in the article being read (saved only as folio ends).
    let mut writer = pair.master.take_writer().expect("a writer");
    // Keys are applied in order: once the star shows, the reader has scrolled.
    writer.write_all(b"\rjjjjjs").expect("typed");
    read_until("starred");
    drop(writer);
    drop(reader);
    drop(pair.master);
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("waitable") {
            break status;
        }
        assert!(
            start.elapsed() < TIMEOUT,
            "folio kept running after its terminal went away"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.exit_code(), 129, "ended as by SIGHUP");
    let marks = folio::state::read_file(&state.path().join(folio::state::FILE_NAME))
        .expect("the state was written");
    assert_eq!(stars(&marks), 1, "the star made before the drop was saved");
    assert!(
        marks.entries.values().any(|e| e.position.is_some()),
        "the reading position was saved: {marks:?}"
    );
}

/// Bytes that must never reach the terminal from article content.
fn assert_no_content_controls(raw: &[u8], what: &str) {
    let text = String::from_utf8_lossy(raw);
    for (needle, name) in [
        ("\u{1b}]0;", "OSC 0 (window title)"),
        ("\u{1b}]2;", "OSC 2 (window title)"),
        ("\u{1b}]8;", "OSC 8 (hyperlink)"),
        ("\u{1b}[2J", "clear screen"),
        ("ZXZpbA==", "the hostile clipboard payload"),
        ("pwned", "the hostile title text"),
    ] {
        assert!(
            !text.contains(needle),
            "{what}: {name} reached the terminal"
        );
    }
    for c in text.chars() {
        let bad =
            matches!(c, '\u{80}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        assert!(!bad, "{what}: {c:?} reached the terminal");
    }
}

#[test]
fn hostile_content_never_reaches_the_terminal() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/hostile");
    for name in ["control-chars.md", "malformed.html", "colspan-panic.html"] {
        std::fs::copy(format!("{fixtures}/{name}"), dir.path().join(name)).expect("copied");
    }
    // A file name carrying escape sequences and a bidi override.
    std::fs::write(
        dir.path()
            .join("evil\u{1b}]0;pwned\u{7}\u{202e}name\u{1b}[2J.txt"),
        "plain text with a \u{1b}]52;c;ZXZpbA==\u{7} payload",
    )
    .expect("written");
    let path = dir.path().display().to_string();

    let mut t = Pty::start(100, 30, &path);
    t.wait_loaded();
    t.wait_for("the list", |s| s.contains("标题反转隔离 Tab"));
    t.type_text("jjjkkk");
    t.type_text("/evil");
    t.wait_for("the search", |s| {
        s.contains("/ evil") && s.contains("evilname")
    });
    t.type_text("\r\r");
    t.wait_for("the reader", |s| s.contains("plain text with a"));
    // Esc alone (a key right after it would read as Alt+key): back to the list, then clear.
    t.type_text("\x1b");
    t.wait_for("the list focus", |s| s.contains("Enter read"));
    t.type_text("\x1b");
    t.wait_for("the full list", |s| !s.contains("/ evil"));
    t.type_text("/标题");
    t.wait_for("another search", |s| s.contains("/ 标题"));
    t.type_text("\r\rjj y");
    t.wait_for("the copy", |s| s.contains("copied the URL"));
    t.type_text("qq");
    t.assert_restored("0");
    let raw = t.raw.lock().unwrap().clone();
    assert_no_content_controls(&raw, "the browser");
    let parser = t.parser.lock().unwrap();
    let recorder = parser.callbacks();
    assert!(recorder.titles.is_empty(), "the window title was set");
    assert_eq!(recorder.bells, 0, "the bell rang");
    // The only clipboard write is folio's own copy of the article's (cleaned) URL.
    assert_eq!(
        recorder.clipboard,
        vec![b"aHR0cHM6Ly9leGFtcGxlLm9yZy9jdGwveA==".to_vec()]
    );
    drop(parser);

    for args in [
        format!("list {path}"),
        format!("list --json {path}"),
        format!("search 标题 {path}"),
    ] {
        let t = Pty::start(100, 30, &args);
        t.wait_for("the command to end", |s| s.contains("STTY="));
        assert_no_content_controls(&t.raw.lock().unwrap(), &args);
        assert!(t.parser.lock().unwrap().callbacks().titles.is_empty());
    }
    let t = Pty::start(100, 30, &format!("list {path}"));
    let screen = t.wait_for("the list", |s| s.contains("STTY="));
    let id = screen
        .lines()
        .find(|l| l.contains("标题反转隔离"))
        .and_then(|l| l.split_whitespace().next())
        .expect("the hostile article is listed")
        .to_owned();
    let t = Pty::start(100, 30, &format!("show {id} {path}"));
    let screen = t.wait_for("the article", |s| s.contains("STTY="));
    assert!(screen.contains("正文清屏剪贴板"), "{screen}");
    assert_no_content_controls(&t.raw.lock().unwrap(), "folio show");
}

#[test]
fn resize_storms_and_held_keys_stay_correct() {
    let mut t = Pty::start(100, 30, "");
    t.wait_loaded();
    for i in 0..40u16 {
        let (w, h) = if i % 2 == 0 {
            (1 + i * 3, 1 + i)
        } else {
            (140 - i, 45 - i / 2)
        };
        t.resize(w, h);
    }
    t.resize(100, 30);
    // Hundreds of keys queued at once, as when a key is held down.
    t.type_text(&"j".repeat(300));
    t.type_text("kkk");
    let screen = t.wait_for("the queued keys to be applied", |s| {
        s.contains("Articles") && s.contains("中国东北成为中俄贸易新战略口岸")
    });
    assert!(
        screen
            .lines()
            .all(|l| unicode_width::UnicodeWidthStr::width(l) <= 100)
    );
    // The selection stopped at the last row, then came back three: the second article.
    t.type_text("\r");
    t.wait_for("the reader on the second article", |s| {
        s.contains("voachinese") && s.contains("lines ")
    });
    t.type_text("qq");
    t.assert_restored("0");
}

#[test]
fn a_mistyped_path_is_an_error_before_the_terminal_is_touched() {
    let t = Pty::start(80, 24, "/nonexistent/archive");
    t.assert_restored("1");
    let screen = t.screen();
    assert!(
        screen.contains("folio: /nonexistent/archive"),
        "the error names the path:\n{screen}"
    );
    let raw = String::from_utf8_lossy(&t.raw.lock().unwrap()).into_owned();
    assert!(
        !raw.contains("\x1b[?1049h"),
        "no browser was drawn: {raw:?}"
    );
}

#[test]
fn ctrl_z_gives_the_terminal_back_and_fg_brings_folio_back() {
    // A shell with job control, as the user's: Ctrl-Z stops folio, `fg` resumes it.
    let run = format!(
        "set -m; {bin}; echo \"STOPPED=$?\"; \
         echo \"MODE=$(stty -a | tr ' ' '\\n' | grep -x -- '-\\{{0,1\\}}icanon')\"; fg",
        bin = env!("CARGO_BIN_EXE_folio"),
    );
    let mut t = Pty::script(100, 30, &run, None, &[]);
    t.wait_loaded();
    t.type_text("j\x1a");
    // Read from the bytes: the shell's lines are on the main screen, which `fg`
    // soon covers again.
    let raw = || String::from_utf8_lossy(&t.raw.lock().unwrap()).into_owned();
    let start = Instant::now();
    while !raw().contains("MODE=") {
        assert!(
            start.elapsed() < TIMEOUT,
            "the shell never took over: {:?}",
            raw()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let all = raw();
    let (before, after) = all.split_once("STOPPED=").expect("the shell's line");
    assert!(after.starts_with("148"), "stopped by SIGTSTP: {after:?}");
    assert!(
        before.rfind("\x1b[?1049l") > before.rfind("\x1b[?1049h"),
        "the main screen back before the shell spoke"
    );
    assert!(
        after.contains("MODE=icanon"),
        "the terminal restored: {after:?}"
    );
    // `fg` ran: folio takes the terminal again and draws it whole.
    while !raw()
        .split_once("MODE=")
        .is_some_and(|(_, after)| after.contains("\x1b[?1049h") && after.contains("Articles"))
    {
        assert!(
            start.elapsed() < TIMEOUT,
            "folio never came back: {:?}",
            raw()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(t.parser.lock().unwrap().screen().alternate_screen());
    t.type_text("j");
    t.wait_for("keys to work again", |s| s.contains("中俄相互借力"));
    t.type_text("q");
    t.assert_restored("0");
}

#[test]
fn open_without_a_browser_copies_the_link() {
    let mut t = Pty::start_in(
        120,
        40,
        "",
        None,
        &[
            ("BROWSER", "/nonexistent/browser"),
            ("SSH_CONNECTION", ""),
            ("SSH_TTY", ""),
            ("SSH_CLIENT", ""),
        ],
    );
    t.wait_loaded();
    t.type_text("o");
    let screen = t.wait_for("the fallback", |s| s.contains("copied the link instead"));
    assert!(screen.contains("/nonexistent/browser"), "{screen}");
    t.type_text("q");
    t.assert_restored("0");
    let parser = t.parser.lock().unwrap();
    let copied = &parser.callbacks().clipboard;
    assert_eq!(copied.len(), 1, "{copied:?}");
}

#[test]
fn a_piped_article_reaches_the_command_and_the_terminal_comes_back() {
    let out = tempfile::tempdir().expect("a temporary folder");
    let file = out.path().join("article.txt");
    let mut t = Pty::start(100, 30, "");
    t.wait_loaded();
    t.type_text("|");
    t.wait_for("the prompt", |s| s.contains("pipe to:"));
    t.type_text(&format!("cat > {}\r", file.display()));
    t.wait_for("the outcome", |s| s.contains(": done"));
    let text = std::fs::read_to_string(&file).expect("the command wrote it");
    assert!(
        text.starts_with("2023年中俄关系：没有最高只有更高？\n"),
        "{text}"
    );
    t.type_text("|false\r");
    t.wait_for("the failure", |s| s.contains("| false: exit status 1"));
    assert!(t.parser.lock().unwrap().screen().alternate_screen());
    t.type_text("j");
    t.wait_for("keys to work", |s| {
        s.contains("中国东北成为中俄贸易新战略口岸，继续向俄输血")
    });
    t.type_text("q");
    t.assert_restored("0");
}

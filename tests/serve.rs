//! `folio serve` through a real OpenSSH client in a pseudo-terminal: who gets in, what they see and type, what is refused, and how the server stops.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::num::NonZeroU16;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const TIMEOUT: Duration = Duration::from_secs(30);

/// A running `folio serve` on a free local port.
struct Server {
    child: Child,
    port: u16,
    log: Arc<Mutex<String>>,
    dir: tempfile::TempDir,
}

impl Server {
    /// Serves the bundled articles with `args` (`--open`, or keys).
    fn start(args: &[&str]) -> Server {
        Server::start_with(args, &[])
    }

    /// [`Server::start`] with more environment.
    fn start_with(args: &[&str], env: &[(&str, &str)]) -> Server {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let mut child = Command::new(env!("CARGO_BIN_EXE_folio"))
            .arg("serve")
            .args(["--listen", "127.0.0.1:0", "--host-key"])
            .arg(dir.path().join("host_key"))
            .args(args)
            .env("FOLIO_STATE_DIR", dir.path().join("state"))
            .env("FOLIO_CACHE_DIR", dir.path().join("cache"))
            .env("XDG_CONFIG_HOME", dir.path())
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("folio serve starts");
        let log = Arc::new(Mutex::new(String::new()));
        let stderr = child.stderr.take().expect("its stderr");
        let (tx, rx) = std::sync::mpsc::channel();
        let sink = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some((_, addr)) = line.split_once("folio serve: listening on ") {
                    let _ = tx.send(addr.trim().to_owned());
                }
                if let Ok(mut log) = sink.lock() {
                    log.push_str(&line);
                    log.push('\n');
                }
            }
        });
        let addr = rx.recv_timeout(TIMEOUT).expect("folio serve listens");
        let port = addr
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .expect("a port");
        Server {
            child,
            port,
            log,
            dir,
        }
    }

    fn log(&self) -> String {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// The arguments of an `ssh` to this server (host keys not remembered).
    fn ssh_args(&self, key: Option<&Path>) -> Vec<String> {
        let mut args: Vec<String> = [
            "-p",
            &self.port.to_string(),
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "LogLevel=ERROR",
            "-o",
            "BatchMode=yes",
            "-o",
            "IdentitiesOnly=yes",
            "-F",
            "/dev/null",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        match key {
            Some(key) => {
                args.push("-i".into());
                args.push(key.display().to_string());
            }
            None => {
                args.push("-o".into());
                args.push("PreferredAuthentications=none".into());
            }
        }
        args.push("reader@127.0.0.1".into());
        args
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An ssh key pair made with ssh-keygen.
fn keypair(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    let status = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(&path)
        .status()
        .expect("ssh-keygen runs (.ci/run installs openssh-client)");
    assert!(status.success());
    path
}

/// An interactive `ssh -tt` in a pty, its screen read with vt100.
struct Reader {
    parser: Arc<Mutex<vt100::Parser>>,
    /// Every byte the session sent.
    raw: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    master: Box<dyn portable_pty::MasterPty + Send>,
}

fn nz(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).expect("not zero")
}

impl Reader {
    fn connect(server: &Server, key: Option<&Path>, width: u16, height: u16) -> Reader {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: height,
                cols: width,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pty");
        let mut cmd = CommandBuilder::new("ssh");
        cmd.arg("-tt");
        cmd.args(server.ssh_args(key));
        cmd.env("TERM", "xterm-256color");
        let child = pair.slave.spawn_command(cmd).expect("ssh starts");
        drop(pair.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new(nz(height), nz(width), 0)));
        let raw = common::pump(pair.master.try_clone_reader().expect("a reader"), &parser);
        let writer = pair.master.take_writer().expect("a writer");
        Reader {
            parser,
            raw,
            writer,
            child,
            master: pair.master,
        }
    }

    fn screen(&self) -> String {
        self.parser.lock().expect("parser").screen().contents()
    }

    fn raw(&self) -> String {
        String::from_utf8_lossy(&self.raw.lock().expect("raw")).into_owned()
    }

    fn resize(&mut self, width: u16, height: u16) {
        self.parser
            .lock()
            .expect("parser")
            .set_size(nz(height), nz(width));
        self.master
            .resize(PtySize {
                rows: height,
                cols: width,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resized");
    }

    fn wait_for(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        common::wait_until(what, TIMEOUT, || self.screen(), ok)
    }

    fn type_text(&mut self, text: &str) {
        self.writer.write_all(text.as_bytes()).expect("typed");
        self.writer.flush().expect("flushed");
    }

    fn wait_exit(&mut self) -> u32 {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("waitable") {
                return status.exit_code();
            }
            assert!(start.elapsed() < TIMEOUT, "ssh kept running");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Reader {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `ssh` without a terminal, its output and exit status.
fn ssh_plain(server: &Server, key: Option<&Path>, extra: &[&str]) -> (String, i32) {
    let mut cmd = Command::new("ssh");
    cmd.arg("-T").args(server.ssh_args(key)).args(extra);
    let out = cmd.stdin(Stdio::null()).output().expect("ssh runs");
    (
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn an_admitted_key_reads_in_its_own_browser() {
    let keys = tempfile::tempdir().expect("a temporary folder");
    let key = keypair(keys.path(), "reader");
    let stranger = keypair(keys.path(), "stranger");
    let authorized = keys.path().join("authorized_keys");
    std::fs::copy(key.with_extension("pub"), &authorized).expect("authorized");
    let server = Server::start(&["--authorized-keys", authorized.to_str().unwrap()]);

    let mut one = Reader::connect(&server, Some(&key), 100, 30);
    one.wait_for("the browser", |s| {
        s.contains("Articles") && s.contains("2023年中俄关系")
    });
    let mut two = Reader::connect(&server, Some(&key), 80, 24);
    two.wait_for("a second browser", |s| s.contains("Articles"));
    // Each has its own place and search.
    one.type_text("/普京");
    one.wait_for("a search", |s| s.contains("/ 普京"));
    two.type_text("G");
    let screen = two.wait_for("the last article", |s| s.contains("美警告中国向俄提供武器"));
    assert!(!screen.contains("/ 普京"), "{screen}");
    // Chinese input and a resize-free redraw keep working; q quits that session only.
    two.type_text("q");
    two.wait_for("the goodbye", |s| s.contains("folio: the reader quit"));
    assert_eq!(two.wait_exit(), 0);
    one.type_text("\x1b");
    one.wait_for("the search cleared", |s| !s.contains("/ 普京"));

    // A key not in the file is refused, and so is no key at all.
    let (said, status) = ssh_plain(&server, Some(&stranger), &[]);
    assert_eq!(status, 255, "{said}");
    assert!(said.contains("Permission denied"), "{said}");
    let (said, status) = ssh_plain(&server, None, &[]);
    assert_eq!(status, 255, "{said}");
    // A star made now is this key's: it is there at the next connection.
    one.type_text("s");
    one.wait_for("the star", |s| s.contains("starred"));
    one.type_text("q");
    assert_eq!(one.wait_exit(), 0);
    let log = server.log();
    assert!(log.contains("session of SHA256:"), "{log}");
    let again = Reader::connect(&server, Some(&key), 100, 30);
    again.wait_for("the star kept", |s| s.contains("│N*") || s.contains("│ *"));
    let readers = server.dir.path().join("state/readers");
    let folders: Vec<_> = std::fs::read_dir(&readers)
        .expect("a folder per key")
        .filter_map(Result::ok)
        .collect();
    assert_eq!(folders.len(), 1);
}

#[test]
fn an_anonymous_reader_keeps_nothing() {
    let server = Server::start(&["--open"]);
    let mut reader = Reader::connect(&server, None, 100, 30);
    reader.wait_for("the browser", |s| s.contains("Articles"));
    reader.type_text("s");
    reader.wait_for("the star", |s| s.contains("starred"));
    reader.type_text("q");
    assert_eq!(reader.wait_exit(), 0);
    assert!(!server.dir.path().join("state/readers").exists());
    let again = Reader::connect(&server, None, 100, 30);
    let screen = again.wait_for("the browser", |s| s.contains("Articles"));
    assert!(!screen.contains('*'), "{screen}");
}

#[test]
fn nothing_but_the_browser_is_served() {
    let server = Server::start(&["--open"]);
    // A command is refused and nothing runs.
    let marker = server.dir.path().join("ran");
    let (said, status) = ssh_plain(&server, None, &[&format!("touch {}", marker.display())]);
    assert_ne!(status, 0, "{said}");
    assert!(!marker.exists(), "a command ran on the server");
    // sftp (a subsystem) is refused.
    let (said, status) = ssh_plain(&server, None, &["-s", "sftp"]);
    assert_ne!(status, 0, "{said}");
    // Without a terminal: one line saying how to connect.
    let (said, _) = ssh_plain(&server, None, &[]);
    assert!(said.contains("connect with ssh -t"), "{said}");
    // Forwarding is refused: remote (the server would listen) and local (the
    // server would connect).
    let (said, status) = ssh_plain(
        &server,
        None,
        &[
            "-o",
            "ExitOnForwardFailure=yes",
            "-R",
            "0:127.0.0.1:9",
            "-N",
        ],
    );
    assert_ne!(status, 0, "{said}");
    let (said, status) = ssh_plain(&server, None, &["-W", "127.0.0.1:9"]);
    assert_ne!(status, 0, "{said}");
}

#[test]
fn stopping_the_server_tells_every_reader() {
    let server = Server::start(&["--open"]);
    let mut reader = Reader::connect(&server, None, 100, 30);
    reader.wait_for("the browser", |s| s.contains("Articles"));
    let pid = server.child.id();
    let status = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    reader.wait_for("the goodbye", |s| s.contains("the server is stopping"));
    let _ = reader.wait_exit();
    let mut server = server;
    let start = Instant::now();
    let code = loop {
        if let Some(status) = server.child.try_wait().expect("waitable") {
            break status.code();
        }
        assert!(start.elapsed() < TIMEOUT, "the server kept running");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(code, Some(0));
}

#[test]
fn serve_needs_a_way_in_and_checks_its_keys() {
    let run = |args: &[&str]| {
        let dir = tempfile::tempdir().expect("a temporary folder");
        Command::new(env!("CARGO_BIN_EXE_folio"))
            .arg("serve")
            .args(args)
            .env("FOLIO_STATE_DIR", dir.path().join("state"))
            .env("XDG_CONFIG_HOME", dir.path())
            // A home without ~/.ssh/authorized_keys.
            .env("HOME", dir.path())
            .output()
            .expect("folio runs")
    };
    // A public address needs a way in said.
    let out = run(&["--listen", "0.0.0.0:0", "--check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--authorized-keys FILE"));
    // This machine only, with no keys of one's own: anyone on it may read.
    let out = run(&["--check"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("open to anyone on 127.0.0.1:2222"));
    let out = run(&["--authorized-keys", "/nonexistent/keys"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/keys"));
    // The config file's [serve] table gives the defaults; flags win.
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::create_dir_all(dir.path().join("folio")).unwrap();
    std::fs::write(
        dir.path().join("folio/config.toml"),
        "[serve]\nopen = true\nmax_sessions = 7\nlisten = \"127.0.0.1:2345\"\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["serve", "--check", "--max-sessions", "9"])
        .env("FOLIO_STATE_DIR", dir.path().join("state"))
        .env("XDG_CONFIG_HOME", dir.path())
        .env("HOME", dir.path())
        .output()
        .expect("folio runs");
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        said.contains("open to anyone on 127.0.0.1:2345, at most 9 readers"),
        "{said}"
    );
    let out = run(&["--open", "--check"]);
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(said.contains("host key SHA256:"), "{said}");
    assert!(said.contains("open to anyone on 127.0.0.1:2222"), "{said}");
}

#[test]
fn limits_per_address_and_on_authentication() {
    let server = Server::start(&["--open", "--per-address", "2", "--auth-timeout", "1"]);
    let a = Reader::connect(&server, None, 80, 24);
    a.wait_for("a first browser", |s| s.contains("Articles"));
    let b = Reader::connect(&server, None, 80, 24);
    b.wait_for("a second browser", |s| s.contains("Articles"));
    // A third at once from the same address is refused before any handshake.
    let (said, status) = ssh_plain(&server, None, &[]);
    assert_eq!(status, 255, "{said}");
    assert!(server.log().contains("refused: too many connections"));
    drop((a, b));
    let start = Instant::now();
    while server.log().matches(" left after ").count() < 2 {
        assert!(
            start.elapsed() < TIMEOUT,
            "the connections were never let go"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // A connection that never authenticates is closed.
    let mut idle = std::net::TcpStream::connect(("127.0.0.1", server.port)).expect("connects");
    idle.set_read_timeout(Some(TIMEOUT)).expect("a timeout");
    let mut seen = Vec::new();
    let start = Instant::now();
    let _ = idle.read_to_end(&mut seen);
    assert!(
        start.elapsed() < TIMEOUT,
        "the silent connection was never closed"
    );
    assert!(String::from_utf8_lossy(&seen).starts_with("SSH-2.0-"));
}

#[test]
fn a_dropped_connection_ends_its_session() {
    let server = Server::start(&["--open"]);
    let mut reader = Reader::connect(&server, None, 80, 24);
    reader.wait_for("the browser", |s| s.contains("Articles"));
    let _ = reader.child.kill();
    let start = Instant::now();
    while !server.log().contains("ended after") {
        assert!(
            start.elapsed() < TIMEOUT,
            "the session outlived its connection"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        server.log().contains("the connection closed"),
        "{}",
        server.log()
    );
}

#[test]
fn keys_keep_their_own_marks_and_copies_reach_the_readers_clipboard() {
    let keys = tempfile::tempdir().expect("a temporary folder");
    let alice = keypair(keys.path(), "alice");
    let bob = keypair(keys.path(), "bob");
    let authorized = keys.path().join("authorized_keys");
    let both = format!(
        "{}{}",
        std::fs::read_to_string(alice.with_extension("pub")).unwrap(),
        std::fs::read_to_string(bob.with_extension("pub")).unwrap()
    );
    std::fs::write(&authorized, both).unwrap();
    let server = Server::start(&["--authorized-keys", authorized.to_str().unwrap()]);
    let mut a = Reader::connect(&server, Some(&alice), 100, 30);
    a.wait_for("alice's browser", |s| s.contains("Articles"));
    a.type_text("s");
    a.wait_for("alice's star", |s| s.contains("starred"));
    // y copies the URL down the session (OSC 52), to the reader's own clipboard.
    a.type_text("y");
    a.wait_for("the copy", |s| s.contains("copied the URL"));
    assert!(
        a.raw().contains("\x1b]52;c;"),
        "no OSC 52 in the session's bytes"
    );
    a.type_text("q");
    assert_eq!(a.wait_exit(), 0);
    let b = Reader::connect(&server, Some(&bob), 100, 30);
    let screen = b.wait_for("bob's browser", |s| s.contains("Articles"));
    assert!(!screen.contains('*'), "bob sees alice's star:\n{screen}");
    // A password is never asked for.
    let (said, status) = ssh_plain(
        &server,
        None,
        &[
            "-o",
            "PreferredAuthentications=password,keyboard-interactive",
        ],
    );
    assert_eq!(status, 255, "{said}");
}

#[test]
fn a_resize_redraws_at_the_new_size() {
    let server = Server::start(&["--open"]);
    let mut reader = Reader::connect(&server, None, 120, 40);
    reader.wait_for("two panes", |s| {
        s.contains("Articles") && s.contains("lines ")
    });
    reader.resize(60, 20);
    reader.wait_for("one pane", |s| {
        s.contains("Articles") && !s.contains("lines ")
    });
}

#[test]
fn sessions_are_counted_and_idle_ones_end() {
    let server = Server::start(&["--open", "--max-sessions", "1", "--idle-timeout", "2"]);
    let first = Reader::connect(&server, None, 80, 24);
    first.wait_for("a browser", |s| s.contains("Articles"));
    // One reader at most: the second is turned away.
    let mut second = Reader::connect(&server, None, 80, 24);
    assert_ne!(second.wait_exit(), 0);
    // The first, without a key, is warned and then ended.
    first.wait_for("the end for idleness", |s| {
        s.contains("folio: idle for too long")
    });
}

#[test]
fn random_bytes_and_a_panic_end_one_session_only() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let server = Server::start_with(&["--open"], &[("FOLIO_TEST_PANIC_ON", "F12")]);
    let mut noisy = Reader::connect(&server, None, 80, 24);
    noisy.wait_for("a browser", |s| s.contains("Articles"));
    let calm = Reader::connect(&server, None, 80, 24);
    calm.wait_for("another browser", |s| s.contains("Articles"));
    // Bytes of every kind, in pieces: nothing breaks.
    let mut seed: u32 = 12345;
    let mut bytes = Vec::new();
    for _ in 0..4000 {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
        let b = (seed >> 16) as u8;
        // Not Ctrl-C or q: the session should stay.
        if b != 3 && b != b'q' && b != b'Q' {
            bytes.push(b);
        }
    }
    noisy.writer.write_all(&bytes).expect("typed");
    // Whatever state they left (a paste begun, a sequence cut), it ends here.
    noisy.type_text("\x1b[201~\x1b\x1b");
    std::thread::sleep(Duration::from_millis(300));
    // A panic (F12 here) ends that session with a message; the other goes on.
    noisy.type_text("\x1b[24~");
    noisy.wait_for("the panic's message", |s| {
        s.contains("this session ended on an internal error")
    });
    let mut calm = calm;
    calm.type_text("j");
    calm.wait_for("the other session", |s| {
        s.contains("中国东北成为中俄贸易新战略口岸")
    });
    let _ = dir;
}

#[test]
fn hostile_article_text_never_reaches_a_session() {
    let articles = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(
        articles.path().join("evil.md"),
        "<!--1700000000000-->\n[evil \x1b]0;pwned\x07 title](https://example.org/x)\n------\n\n\
         <p>text \x1b]52;c;ZXZpbA==\x07 and \x1b[2J more \u{202e}</p>\n",
    )
    .unwrap();
    let server = Server::start(&["--open", articles.path().to_str().unwrap()]);
    let mut reader = Reader::connect(&server, None, 100, 30);
    reader.wait_for("the article", |s| s.contains("evil"));
    reader.type_text("\r");
    reader.wait_for("the reader", |s| s.contains("more"));
    let raw = reader.raw();
    assert!(!raw.contains("\x1b]0;"), "a window title from the article");
    assert!(
        !raw.contains("ZXZpbA=="),
        "a clipboard write from the article"
    );
    assert!(!raw.contains('\u{202e}'));
}

#[test]
fn a_new_file_reaches_every_session() {
    let articles = tempfile::tempdir().expect("a temporary folder");
    let write = |name: &str, title: &str, stamp: u64| {
        std::fs::write(
            articles.path().join(name),
            format!(
                "<!--{stamp}-->\n[{title}](https://example.org/{name})\n------\n\n<p>正文</p>\n"
            ),
        )
        .unwrap();
    };
    write("a.md", "第一篇文章", 1_700_000_000_000);
    let server = Server::start(&["--open", articles.path().to_str().unwrap()]);
    let one = Reader::connect(&server, None, 100, 30);
    one.wait_for("the first article", |s| s.contains("第一篇文章"));
    let two = Reader::connect(&server, None, 80, 24);
    two.wait_for("the first article", |s| s.contains("第一篇文章"));
    write("b.md", "新来的文章", 1_700_000_100_000);
    one.wait_for("the new article", |s| s.contains("新来的文章"));
    two.wait_for("the new article", |s| s.contains("新来的文章"));
    // A session that starts now has it too.
    let three = Reader::connect(&server, None, 80, 24);
    three.wait_for("the new article", |s| s.contains("新来的文章"));
}

//! Helpers shared by the integration tests: fixture paths, loading, and cleanliness checks.
#![allow(dead_code)]

use std::path::PathBuf;

use folio::{Article, Loaded, Source};

pub fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

/// The five sample articles bundled in folio (the archive format's seeds).
pub fn seeds() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/articles")
}

/// Real articles copied into `tests/fixtures/corpus` (see its README).
pub fn corpus(rel: &str) -> PathBuf {
    fixture("corpus").join(rel)
}

/// Writes `count` generated articles in the seed layout under `dir` (titles and
/// bodies vary; a few in ten mention 中俄), for tests that need a large folder.
pub fn generate_corpus(dir: &std::path::Path, count: usize) {
    const WORDS: &[&str] = &[
        "中俄",
        "关系",
        "经济",
        "贸易",
        "合作",
        "美国",
        "欧洲",
        "台湾",
        "选举",
        "科技",
        "能源",
        "战争",
        "和平",
        "外交",
        "峰会",
        "市场",
        "人民币",
        "新闻",
        "评论",
        "分析",
    ];
    for i in 0..count {
        let word = |k: usize| WORDS[(i * 7 + k * 13 + i / 3) % WORDS.len()];
        let title = format!("{}{}与{}的第{i}篇报道", word(0), word(1), word(2));
        let body = format!(
            "<p>{}{}：{}，{}。</p><p>第二段，编号 {i}。</p>",
            word(3),
            word(4),
            word(5),
            word(6)
        );
        let stamp = 1_600_000_000_000u64 + i as u64 * 3_600_000;
        let text = format!(
            "<!--{stamp}-->\n[{title}](https://example.org/generated/{i})\n------\n\n{body}\n"
        );
        let sub = dir.join(format!("{:03}", i / 1000));
        std::fs::create_dir_all(&sub).expect("a folder for generated articles");
        std::fs::write(sub.join(format!("{i:06}.md")), text).expect("a generated article");
    }
}

pub fn load(paths: &[PathBuf]) -> Loaded {
    folio::load(&Source::Paths(paths.to_vec()), &|_| {})
}

/// The article loaded from the file whose path ends with `suffix`.
pub fn by_path<'a>(loaded: &'a Loaded, suffix: &str) -> &'a Article {
    loaded
        .collection
        .iter()
        .find(|a| a.path.ends_with(suffix))
        .unwrap_or_else(|| panic!("no article from {suffix}; report: {:?}", loaded.report))
}

/// Characters that must never reach a terminal from article content.
pub fn is_dangerous(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}')
}

pub fn assert_clean(a: &Article) {
    let one_line = [
        Some(a.title.as_str()),
        a.url.as_deref(),
        a.author.as_deref(),
        a.source.as_deref(),
        Some(a.path.as_str()),
    ];
    for field in one_line
        .into_iter()
        .flatten()
        .chain(a.tags.iter().map(String::as_str))
    {
        assert!(
            !field.chars().any(|c| is_dangerous(c) || c == '\n'),
            "unclean field {field:?} in {}",
            a.path
        );
    }
    for link in a.links() {
        assert!(
            !format!("{}{}", link.text, link.url)
                .chars()
                .any(|c| is_dangerous(c) || c == '\n')
        );
    }
    assert!(
        !a.body().chars().any(is_dangerous),
        "unclean body in {}",
        a.path
    );
    for span in a.spans() {
        assert!(
            a.body().is_char_boundary(span.start as usize)
                && a.body().is_char_boundary(span.end as usize)
        );
        assert!(span.start < span.end && span.end as usize <= a.body().len());
    }
}

use std::sync::Arc;

use folio::app::{self, App};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The browser on the bundled articles at `width`×`height`.
pub fn browser(width: u16, height: u16) -> App {
    let loaded = folio::load(&Source::Bundled, &|_| {});
    App::new(Arc::new(loaded.collection), (width, height))
}

/// Keys written as a person types them: `"/中俄<enter>j"`, `"<c-c>"`, `"<a-b>"`, `"<pgdn>"`.
pub fn keys(s: &str) -> Vec<KeyEvent> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if c == '<'
            && let Some(end) = rest.find('>')
            && end > 1
        {
            let name = &rest[1..end];
            let (mods, name) = match (name.strip_prefix("c-"), name.strip_prefix("a-")) {
                (Some(n), _) => (KeyModifiers::CONTROL, n),
                (_, Some(n)) => (KeyModifiers::ALT, n),
                _ => (KeyModifiers::NONE, name),
            };
            let code = match name {
                "enter" => KeyCode::Enter,
                "esc" => KeyCode::Esc,
                "tab" => KeyCode::Tab,
                "bs" => KeyCode::Backspace,
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "pgup" => KeyCode::PageUp,
                "pgdn" => KeyCode::PageDown,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "del" => KeyCode::Delete,
                "space" => KeyCode::Char(' '),
                other => KeyCode::Char(other.chars().next().expect("a key name")),
            };
            out.push(KeyEvent::new(code, mods));
            rest = &rest[end + 1..];
            continue;
        }
        let mods = if c.is_ascii_uppercase() {
            KeyModifiers::SHIFT
        } else {
            KeyModifiers::NONE
        };
        out.push(KeyEvent::new(KeyCode::Char(c), mods));
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Feeds keys to the browser the way the event loop does; a full-text search runs
/// at once here instead of on its own thread.
pub fn press(app: &mut App, s: &str) {
    for key in keys(s) {
        app::press_key(app, &key);
        if let Some((generation, query)) = app.body_request.take() {
            let hits = folio::search::search_bodies(&app.collection, &query);
            app::update(app, app::Action::BodyResults(generation, hits));
        }
    }
}

/// Draws the browser into a test terminal of its size.
pub fn render(app: &App) -> Terminal<TestBackend> {
    let mut terminal =
        Terminal::new(TestBackend::new(app.size.0, app.size.1)).expect("a test terminal");
    terminal.draw(|f| folio::ui::draw(f, app)).expect("drawn");
    terminal
}

/// The screen's text, one line per row, trailing spaces kept.
pub fn screen(app: &App) -> String {
    let terminal = render(app);
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let mut skip = 0;
        for x in 0..buffer.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let symbol = buffer[(x, y)].symbol();
            skip = unicode_width::UnicodeWidthStr::width(symbol).saturating_sub(1);
            out.push_str(symbol);
        }
        out.push('\n');
    }
    out
}

/// Reads a terminal's output on a thread of its own until it closes: into
/// `screen` (what the terminal shows), and into the log returned (every byte as
/// it came).
pub fn pump<C>(
    mut output: Box<dyn std::io::Read + Send>,
    screen: &std::sync::Arc<std::sync::Mutex<vt100::Parser<C>>>,
) -> std::sync::Arc<std::sync::Mutex<Vec<u8>>>
where
    C: vt100::Callbacks + Send + 'static,
{
    let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let (screen, sink) = (std::sync::Arc::clone(screen), std::sync::Arc::clone(&log));
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = output.read(&mut buf) {
            if n == 0 {
                break;
            }
            if let Ok(mut p) = screen.lock() {
                p.process(&buf[..n]);
            }
            if let Ok(mut r) = sink.lock() {
                r.extend_from_slice(&buf[..n]);
            }
        }
    });
    log
}

/// Looks at `screen` every 20 ms until `ok` holds of it, and returns it; the test
/// fails after `timeout`, showing the screen and what it waited for.
pub fn wait_until(
    what: &str,
    timeout: std::time::Duration,
    screen: impl Fn() -> String,
    ok: impl Fn(&str) -> bool,
) -> String {
    let start = std::time::Instant::now();
    loop {
        let shown = screen();
        if ok(&shown) {
            return shown;
        }
        assert!(
            start.elapsed() < timeout,
            "timed out waiting for {what}; screen:\n{shown}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

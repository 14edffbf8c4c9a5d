//! One reader's session: a browser of its own over the shared archive, fed the keys of its SSH channel and drawn into the bytes sent back, on a thread of its own.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use ratatui::Terminal;
use tokio::sync::mpsc::Sender;
use tokio::sync::mpsc::error::TrySendError;

use super::input::{Keys, Said};
use crate::app::overlay::Effect;
use crate::app::{Action, App, appearance::Appearance, keymap::Keymap, press_key, update};
use crate::collection::Collection;
use crate::search::TitleIndex;
use crate::terminal::backend::LeanBackend;

/// What the connection tells a session.
#[derive(Debug)]
pub enum Input {
    /// Bytes the reader typed (or pasted), counted in the connection's queue.
    Bytes(Vec<u8>, Arc<std::sync::atomic::AtomicUsize>),
    /// The reader's terminal has a new size.
    Resize(u16, u16),
    /// The server is stopping: say this and end.
    Stop(String),
    /// The folders changed: the new archive, as the local browser takes it.
    Update(Action),
}

/// Everything a session starts from.
pub struct Start {
    pub collection: Arc<Collection>,
    pub index: Arc<TitleIndex>,
    pub keymap: Keymap,
    pub appearance: Appearance,
    pub size: (u16, u16),
    /// Ends the session after this long without a key (a warning a minute before).
    pub idle: Duration,
    /// Where this reader's marks, stars and places are kept (per verified key);
    /// `None`: for this session only.
    pub state: Option<std::path::PathBuf>,
}

/// How often the browser's clock ticks (articles become read, messages age).
const TICK: Duration = Duration::from_millis(250);

/// The terminal set up as the local browser sets it: the alternate screen, bracketed
/// paste, no cursor.
const ENTER: &[u8] = b"\x1b[?1049h\x1b[?2004h\x1b[?25l";
/// And given back.
const LEAVE: &[u8] = b"\x1b[?2004l\x1b[?25h\x1b[?1049l";

/// Runs the session until the reader quits, goes, idles out or the server stops;
/// returns why it ended. Frames go to `frames`, which holds only a couple: a reader
/// slower than the frames gets fewer of them (the next one drawn whole), never a
/// growing queue.
pub fn run(start: Start, input: Receiver<Input>, frames: Sender<Vec<u8>>) -> String {
    let (width, height) = start.size;
    let mut app = App::with_index(start.collection, start.index, (width, height));
    app.keymap = start.keymap;
    app.set_appearance(start.appearance);
    // Over SSH: `o` copies the link to the reader's clipboard, never runs anything here.
    app.ssh = true;
    // The reader's own state, as the local browser keeps it (merged with other
    // sessions of the same key as it is written).
    let store = start.state.as_deref().map(|dir| {
        let (store, marks, _) = crate::state::Store::open(dir);
        app.remember(marks);
        store
    });
    let Ok(mut terminal) = Terminal::new(LeanBackend::remote(Vec::new(), width, height)) else {
        return "cannot draw".to_owned();
    };
    terminal.backend_mut().out_mut().extend_from_slice(ENTER);
    let mut resync = true;
    let mut keys = Keys::default();
    let started = Instant::now();
    let mut last_key = Instant::now();
    let mut warned = false;
    let mut extra: Vec<u8> = Vec::new();
    // When the first frame went out, and how long each key took, from its bytes
    // coming in to its frame going out (what the log reports).
    let mut first_frame: Option<Duration> = None;
    let mut pending_key: Option<Instant> = None;
    let mut answers: Vec<Duration> = Vec::new();
    let mut wait = Duration::ZERO;
    let ending = loop {
        let mut changed = false;
        // The first frame at once; then a tick unless keys come.
        let received = input.recv_timeout(wait);
        wait = TICK;
        match received {
            Ok(Input::Bytes(bytes, queued)) => {
                queued.fetch_sub(bytes.len(), std::sync::atomic::Ordering::Relaxed);
                last_key = Instant::now();
                pending_key.get_or_insert(last_key);
                warned = false;
                for said in keys.parse(&bytes) {
                    // Tests check that a panic stays in its session (debug builds only).
                    #[cfg(debug_assertions)]
                    if let Said::Key(key) = &said
                        && std::env::var_os("FOLIO_TEST_PANIC_ON")
                            .is_some_and(|c| c.to_str() == Some(&key.code.to_string()))
                    {
                        panic!("a test asked for a panic");
                    }
                    match said {
                        Said::Key(key) => press_key(&mut app, &key),
                        Said::Paste(text) => update(&mut app, Action::SearchInput(text)),
                    }
                    if app.quit {
                        break;
                    }
                }
                changed = true;
            }
            Ok(Input::Resize(w, h)) => {
                terminal.backend_mut().resize_to(w, h);
                update(&mut app, Action::Resize(w, h));
                resync = true;
            }
            Ok(Input::Stop(why)) => break why,
            Ok(Input::Update(action)) => {
                update(&mut app, action);
                changed = true;
            }
            Err(RecvTimeoutError::Disconnected) => break "the connection closed".to_owned(),
            Err(RecvTimeoutError::Timeout) => {}
        }
        update(&mut app, Action::Tick(started.elapsed().as_millis() as u64));
        keep(&mut app, store.as_ref());
        for effect in std::mem::take(&mut app.effects) {
            match effect {
                // To the reader's own clipboard.
                Effect::Copy(text) => extra
                    .extend_from_slice(crate::terminal::effects::osc52(&text, false).as_bytes()),
                Effect::Redraw => resync = true,
                Effect::Open(_) | Effect::Suspend | Effect::Pipe { .. } => {
                    update(
                        &mut app,
                        Action::Notify(
                            "not over folio serve: nothing runs on the server".to_owned(),
                        ),
                    );
                }
            }
        }
        if app.quit {
            break "the reader quit".to_owned();
        }
        let idle = last_key.elapsed();
        if idle >= start.idle {
            break "idle for too long".to_owned();
        }
        if !warned && idle + Duration::from_secs(60) >= start.idle {
            warned = true;
            update(
                &mut app,
                Action::Notify(
                    "idle: this session ends in a minute unless a key is pressed".to_owned(),
                ),
            );
        }
        let _ = changed;
        if resync {
            // The whole screen, from blank: after a resize, or frames dropped.
            let _ = terminal.clear();
            resync = false;
        }
        if terminal.draw(|f| crate::ui::draw(f, &app)).is_err() {
            break "cannot draw".to_owned();
        }
        let mut bytes = std::mem::take(terminal.backend_mut().out_mut());
        let copies = std::mem::take(&mut extra);
        bytes.extend_from_slice(&copies);
        if bytes.is_empty() {
            pending_key = None;
            continue;
        }
        match frames.try_send(bytes) {
            Ok(()) => {
                first_frame.get_or_insert_with(|| started.elapsed());
                if let Some(key) = pending_key.take() {
                    answers.push(key.elapsed());
                }
            }
            // The reader is behind: this frame is dropped, the next one is whole
            // (a copy to the clipboard waits for it).
            Err(TrySendError::Full(_)) => {
                resync = true;
                extra = copies;
            }
            Err(TrySendError::Closed(_)) => break "the connection closed".to_owned(),
        }
    };
    app.closing();
    keep(&mut app, store.as_ref());
    if let Some(store) = &store {
        store.flush();
    }
    let mut bytes = std::mem::take(terminal.backend_mut().out_mut());
    bytes.extend_from_slice(&goodbye(&ending));
    // Said if the reader takes it within a second; a stalled one is not waited for.
    let deadline = Instant::now() + Duration::from_secs(1);
    let mut goodbye_bytes = bytes;
    while let Err(TrySendError::Full(back)) = frames.try_send(goodbye_bytes) {
        if Instant::now() >= deadline {
            break;
        }
        goodbye_bytes = back;
        std::thread::sleep(Duration::from_millis(20));
    }
    answers.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |q: f64| {
        answers
            .get(((answers.len() as f64 - 1.0) * q).round() as usize)
            .copied()
    };
    format!(
        "{ending}; first frame {:.1} ms; {} keys answered, p50 {:.2} ms, p99 {:.2} ms",
        first_frame.map_or(f64::NAN, ms),
        answers.len(),
        at(0.5).map_or(f64::NAN, ms),
        at(0.99).map_or(f64::NAN, ms),
    )
}

/// The terminal given back, and why the session ended.
pub fn goodbye(why: &str) -> Vec<u8> {
    let mut bytes = LEAVE.to_vec();
    bytes.extend_from_slice(format!("folio: {why}\r\n").as_bytes());
    bytes
}

/// Hands the session's changes to its state writer (or forgets them: a session-only
/// state).
fn keep(app: &mut App, store: Option<&crate::state::Store>) {
    let changes = std::mem::take(&mut app.changes);
    if let Some(store) = store {
        for change in changes {
            store.record(change);
        }
    }
}

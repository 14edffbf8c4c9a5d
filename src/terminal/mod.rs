//! The only module that touches the terminal: setup, restore on every exit path, the event loop, and the bytes it writes.

mod backend;
mod effects;

use std::io::{self, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use ratatui::Terminal;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, EnableBracketedPaste, Event, KeyEventKind, MouseButton,
    MouseEventKind,
};
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::crossterm::{cursor, execute};
use rustix::event::{PollFd, PollFlags};

use backend::LeanBackend;

use crate::app::{self, Action, App};
use crate::collection::Collection;
use crate::contain;
use crate::search::{BodyHit, search_bodies};
use crate::ui;

/// How often the loop wakes without input to notice a signal.
const TICK: Duration = Duration::from_millis(200);
/// How often it wakes while a full-text search runs.
const SEARCH_TICK: Duration = Duration::from_millis(10);

/// Puts the terminal back as it was: main screen, cursor shown, cooked mode.
/// Safe to call more than once and from a panic hook.
pub fn restore() {
    let mut out = io::stdout();
    let _ = execute!(
        out,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = disable_raw_mode();
    let _ = out.flush();
}

/// Restores the terminal when dropped, whichever way the loop ends.
struct Session;

impl Session {
    fn start() -> io::Result<Session> {
        contain::on_panic(Some(restore));
        enable_raw_mode()?;
        let session = Session;
        execute!(
            io::stdout(),
            EnterAlternateScreen,
            EnableBracketedPaste,
            cursor::Hide
        )?;
        Ok(session)
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        restore();
        contain::on_panic(None);
    }
}

/// How the browser ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The user quit.
    Quit,
    /// A signal (SIGTERM, SIGHUP, SIGINT, SIGQUIT) asked it to stop; its number.
    Signal(i32),
}

/// How the terminal is used.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Capture the mouse (wheel scrolls, click selects). Off by default, so the
    /// terminal's own text selection keeps working.
    pub mouse: bool,
}

/// Runs the browser until the user quits, a signal asks it to stop, or input ends.
pub fn run(mut app: App, options: Options) -> io::Result<Outcome> {
    let signalled = Arc::new(AtomicUsize::new(0));
    for signal in [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGQUIT,
    ] {
        signal_hook::flag::register_usize(signal, Arc::clone(&signalled), signal as usize)?;
    }
    let _session = Session::start()?;
    if options.mouse {
        execute!(io::stdout(), event::EnableMouseCapture)?;
    }
    watch_for_hangup();
    let (width, _) = ratatui::crossterm::terminal::size()?;
    let out = io::BufWriter::with_capacity(64 * 1024, io::stdout());
    let mut terminal = Terminal::new(LeanBackend::new(out, width))?;
    let size = terminal.size()?;
    app::update(&mut app, Action::Resize(size.width, size.height));
    terminal.draw(|frame| ui::draw(frame, &app))?;
    let searcher = BodySearcher::start(Arc::clone(&app.collection));
    loop {
        let signal = signalled.load(Ordering::Relaxed);
        if signal != 0 {
            return Ok(Outcome::Signal(signal as i32));
        }
        if app.quit {
            return Ok(Outcome::Quit);
        }
        let mut changed = false;
        let mut resized = false;
        if let Some(request) = app.body_request.take() {
            searcher.ask(request);
        }
        while let Some((generation, hits)) = searcher.answer() {
            app::update(&mut app, Action::BodyResults(generation, hits));
            changed = true;
        }
        // While a full-text search runs, wake up often to show its results.
        let wait = if searcher.busy(app.body_generation) {
            SEARCH_TICK
        } else {
            TICK
        };
        if event::poll(wait)? {
            // Apply everything already queued (a held key, a paste) before drawing once.
            loop {
                let event = event::read()?;
                if let Event::Resize(width, _) = event {
                    terminal.backend_mut().set_width(width);
                    resized = true;
                }
                if let Some(action) = action_for(&app, event) {
                    app::update(&mut app, action);
                    changed = true;
                }
                if app.quit || !event::poll(Duration::ZERO)? {
                    break;
                }
            }
        }
        for effect in std::mem::take(&mut app.effects) {
            if let Err(message) = effects::carry_out(effect, terminal.backend_mut()) {
                app::update(&mut app, Action::Notify(message));
            }
            changed = true;
        }
        if resized {
            // The terminal may have cut or reflowed what was on screen, whatever size
            // it ends at: paint everything again.
            terminal.clear()?;
        }
        if changed && !app.quit {
            terminal.draw(|frame| ui::draw(frame, &app))?;
        }
    }
}

/// Runs full-text searches on a thread of their own, so typing never waits for one.
/// Only the latest query matters: older ones still queued are skipped.
struct BodySearcher {
    requests: mpsc::Sender<(u64, String)>,
    answers: mpsc::Receiver<(u64, Vec<BodyHit>)>,
    answered: std::cell::Cell<u64>,
}

impl BodySearcher {
    fn start(collection: Arc<Collection>) -> Self {
        let (requests, inbox) = mpsc::channel::<(u64, String)>();
        let (outbox, answers) = mpsc::channel();
        std::thread::spawn(move || {
            while let Ok(mut request) = inbox.recv() {
                while let Ok(newer) = inbox.try_recv() {
                    request = newer;
                }
                let hits = search_bodies(&collection, &request.1);
                if outbox.send((request.0, hits)).is_err() {
                    break;
                }
            }
        });
        BodySearcher {
            requests,
            answers,
            answered: std::cell::Cell::new(0),
        }
    }

    fn ask(&self, request: (u64, String)) {
        let _ = self.requests.send(request);
    }

    fn answer(&self) -> Option<(u64, Vec<BodyHit>)> {
        let answer = self.answers.try_recv().ok()?;
        self.answered.set(self.answered.get().max(answer.0));
        Some(answer)
    }

    /// A search newer than the last answer is running.
    fn busy(&self, latest: u64) -> bool {
        latest > self.answered.get()
    }
}

/// Ends folio when its terminal hangs up (a dropped SSH connection, a closed pty).
/// crossterm's reader spins on a hung-up terminal without ever returning, so the
/// event loop cannot be relied on to notice: a thread of its own waits for the hang-up.
fn watch_for_hangup() {
    std::thread::spawn(|| {
        let stdin = io::stdin();
        let gone = PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL;
        loop {
            // No events asked for: poll reports only hang-ups and errors, and sleeps until one.
            let mut fds = [PollFd::new(&stdin, PollFlags::empty())];
            match rustix::event::poll(&mut fds, None) {
                Ok(_) if fds[0].revents().intersects(gone) => break,
                Ok(_) => continue,
                Err(e) if e == rustix::io::Errno::INTR => continue,
                Err(_) => break,
            }
        }
        restore();
        std::process::exit(HANGUP_EXIT);
    });
}

/// The shell convention for "ended by SIGHUP".
const HANGUP_EXIT: i32 = 128 + 1;

fn action_for(app: &App, event: Event) -> Option<Action> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => app.action_for(&key),
        Event::Paste(text) if !app.help => Some(Action::SearchInput(text)),
        Event::Resize(width, height) => Some(Action::Resize(width, height)),
        Event::Mouse(mouse) => match mouse.kind {
            MouseEventKind::ScrollDown => Some(Action::Wheel(mouse.column, mouse.row, 1)),
            MouseEventKind::ScrollUp => Some(Action::Wheel(mouse.column, mouse.row, -1)),
            MouseEventKind::Down(MouseButton::Left) => Some(Action::Click(mouse.column, mouse.row)),
            _ => None,
        },
        _ => None,
    }
}

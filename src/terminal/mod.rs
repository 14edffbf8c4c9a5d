//! The only module that touches the terminal: setup, restore on every exit path, the event loop, and the bytes it writes.

pub(crate) mod backend;
pub(crate) mod effects;
mod helpers;
mod scroll;

use std::io::{self, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
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

use crate::app::overlay::Effect;
use crate::app::{self, Action, App};
use crate::background::{BodySearcher, LoadFeed};
use crate::contain;
use crate::state::Store;
use crate::ui;

/// How often the loop wakes without input to notice a signal.
const TICK: Duration = Duration::from_millis(200);
/// How often it wakes while a full-text search runs.
const SEARCH_TICK: Duration = Duration::from_millis(10);
/// How often it takes in articles while a background load runs (and redraws the progress).
const LOAD_TICK: Duration = Duration::from_millis(25);

/// Puts the terminal back as it was: main screen, cursor shown, cooked mode.
/// Safe to call more than once and from a panic hook.
pub fn restore() {
    let mut out = io::stdout();
    // Mouse reports off whether or not they were on: harmless if they were not.
    let _ = execute!(
        out,
        event::DisableMouseCapture,
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
    fn start(mouse: bool) -> io::Result<Session> {
        contain::on_panic(Some(restore));
        enable_raw_mode()?;
        // Made before the rest of the set-up: if that fails, dropping it restores.
        let session = Session;
        set_up(mouse)?;
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
    /// Write the reader's links as OSC 8 hyperlinks (clickable in terminals that know them).
    pub hyperlinks: bool,
}

/// Runs the browser until the user quits, a signal asks it to stop, or input ends.
/// With a `feed`, articles are taken in as it loads them.
/// What folio remembers is recorded in `store` as it changes.
pub fn run(
    app: &mut App,
    options: Options,
    feed: Option<LoadFeed>,
    store: Option<Arc<Store>>,
) -> io::Result<Outcome> {
    let outcome = match run_session(app, options, feed, store.clone()) {
        // Reading or writing failed because the terminal went away: a hang-up, not an error.
        Err(_) if hung_up() => Ok(Outcome::Signal(signal_hook::consts::SIGHUP)),
        outcome => outcome,
    };
    if !app.quit {
        // Ended by a signal or an error: remember where the reader was all the same.
        app.closing();
    }
    remember(app, store.as_deref());
    outcome
}

/// Hands the browser's changes to the state writer.
fn remember(app: &mut App, store: Option<&Store>) {
    let changes = std::mem::take(&mut app.changes);
    if let Some(store) = store {
        for change in changes {
            store.record(change);
        }
    }
}

fn run_session(
    app: &mut App,
    options: Options,
    mut feed: Option<LoadFeed>,
    shared_store: Option<Arc<Store>>,
) -> io::Result<Outcome> {
    let store = shared_store.as_deref();
    let started = std::time::Instant::now();
    let signalled = Arc::new(AtomicUsize::new(0));
    for signal in [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGQUIT,
    ] {
        signal_hook::flag::register_usize(signal, Arc::clone(&signalled), signal as usize)?;
    }
    let winched = Arc::new(AtomicBool::new(false));
    signal_hook::flag::register(signal_hook::consts::SIGWINCH, Arc::clone(&winched))?;
    let _session = Session::start(options.mouse)?;
    watch_for_hangup(Arc::clone(&signalled), shared_store.clone());
    let (width, _) = ratatui::crossterm::terminal::size()?;
    let out = io::BufWriter::with_capacity(64 * 1024, io::stdout());
    let mut terminal = Terminal::new(LeanBackend::new(out, width))?;
    // A known blank screen: from here on, rows that move are scrolled, not redrawn.
    terminal.clear()?;
    let size = terminal.size()?;
    app::update(app, Action::Resize(size.width, size.height));
    draw(&mut terminal, app, options)?;
    // For the end-to-end tests that a panic and an error leave the terminal restored.
    #[cfg(debug_assertions)]
    if std::env::var_os("FOLIO_DEBUG_PANIC").is_some() {
        panic!("panicking as FOLIO_DEBUG_PANIC asks");
    }
    #[cfg(debug_assertions)]
    if std::env::var_os("FOLIO_DEBUG_ERROR").is_some() {
        return Err(io::Error::other("failing as FOLIO_DEBUG_ERROR asks"));
    }
    let searcher = BodySearcher::start();
    // Searches typed here are shared with helper threads (see `helpers.rs`).
    let mut helpers = helpers::Helpers::start();
    // The last article whose missing text was asked of the store.
    let mut text_tried = None;
    loop {
        let signal = signalled.load(Ordering::Relaxed);
        if signal != 0 {
            return Ok(Outcome::Signal(signal as i32));
        }
        if app.quit {
            return Ok(Outcome::Quit);
        }
        let mut resized = false;
        app::update(app, Action::Tick(started.elapsed().as_millis() as u64));
        // An article that became read changes its row.
        let mut changed = !app.changes.is_empty();
        remember(app, store);
        if let Some(report) = store.and_then(Store::report) {
            app.warning = Some(report.to_string());
            changed = true;
        }
        if let Some((generation, query)) = app.body_request.take() {
            searcher.ask(generation, query, Arc::clone(&app.collection));
        }
        while let Some(action) = searcher.answer() {
            app::update(app, action);
            changed = true;
        }
        if let Some(feed) = &mut feed {
            if std::mem::take(&mut app.rescan_requested)
                && let Some(why) = feed.rescan()
            {
                app::update(app, Action::Notify(why.to_owned()));
                changed = true;
            }
            for action in feed.poll() {
                app::update(app, action);
                changed = true;
            }
            // The open article came without its text, which the load reads later:
            // it is read now (once per article), so the reader never waits for it.
            if let Some(index) = app.reader.article
                && text_tried != Some(index)
                && let Some(article) = app.open_article()
                && !article.has_text()
            {
                text_tried = Some(index);
                if feed.fill_text(article) {
                    app::update(app, Action::TextFilled);
                    changed = true;
                }
            }
        }
        // What changed is drawn before waiting for input; while a full-text search
        // or a load runs, wake up often to show its results.
        let wait = if changed {
            Duration::ZERO
        } else if searcher.busy(app.body_generation) {
            SEARCH_TICK
        } else if feed.as_ref().is_some_and(LoadFeed::running) {
            LOAD_TICK
        } else {
            TICK
        };
        if hung_up() {
            return Ok(Outcome::Signal(signal_hook::consts::SIGHUP));
        }
        if event::poll(wait)? {
            helpers.follow();
            // Apply everything already queued (a held key, a paste) before drawing once.
            loop {
                let event = event::read()?;
                if let Event::Resize(width, _) = event {
                    terminal.backend_mut().set_width(width);
                    resized = true;
                }
                match event {
                    Event::Key(key) if key.kind != KeyEventKind::Release => {
                        app::press_key(app, &key);
                        changed = true;
                    }
                    event => {
                        if let Some(action) = action_for(app, event) {
                            app::update(app, action);
                            changed = true;
                        }
                    }
                }
                if app.quit || !event::poll(Duration::ZERO)? {
                    break;
                }
            }
        }
        // crossterm misses resizes in a storm of them, and a terminal that shrank and
        // grew back to the same size has lost what it showed: every SIGWINCH repaints,
        // at the size the kernel gives (an ioctl, no round trip).
        if winched.swap(false, Ordering::Relaxed) {
            if let Ok((width, height)) = ratatui::crossterm::terminal::size() {
                terminal.backend_mut().set_width(width);
                app::update(app, Action::Resize(width, height));
            }
            resized = true;
            changed = true;
        }
        for effect in std::mem::take(&mut app.effects) {
            match effect {
                Effect::Redraw => resized = true,
                Effect::Pipe { command, text } => {
                    let before = signalled.load(Ordering::Relaxed);
                    let outcome = pipe(options.mouse, command.as_deref(), &text)?;
                    // Ctrl-C or Ctrl-\ typed to the command reached folio too (one
                    // process group, one terminal): they were the command's.
                    let now = signalled.load(Ordering::Relaxed);
                    let interactive = [signal_hook::consts::SIGINT, signal_hook::consts::SIGQUIT]
                        .map(|s| s as usize);
                    if now != before && interactive.contains(&now) {
                        signalled.store(before, Ordering::Relaxed);
                    }
                    app::update(app, Action::Notify(outcome));
                    if let Ok((width, height)) = ratatui::crossterm::terminal::size() {
                        terminal.backend_mut().set_width(width);
                        app::update(app, Action::Resize(width, height));
                    }
                    resized = true;
                }
                Effect::Suspend => {
                    suspend(options.mouse)?;
                    // Back from `fg`: the terminal may be any size by now.
                    if let Ok((width, height)) = ratatui::crossterm::terminal::size() {
                        terminal.backend_mut().set_width(width);
                        app::update(app, Action::Resize(width, height));
                    }
                    resized = true;
                }
                Effect::Open(url) => {
                    if let Err(why) =
                        effects::carry_out(Effect::Open(url.clone()), terminal.backend_mut())
                    {
                        // No browser here: the link goes to the clipboard instead.
                        let copied = effects::carry_out(Effect::Copy(url), terminal.backend_mut());
                        let message = match copied {
                            Ok(()) => format!("{why}: copied the link instead"),
                            Err(_) => why,
                        };
                        app::update(app, Action::Notify(message));
                    }
                }
                effect => {
                    if let Err(message) = effects::carry_out(effect, terminal.backend_mut()) {
                        app::update(app, Action::Notify(message));
                    }
                }
            }
            changed = true;
        }
        if resized {
            // The terminal may have cut or reflowed what was on screen, whatever size
            // it ends at: paint everything again.
            terminal.clear()?;
        }
        if changed && !app.quit {
            draw(&mut terminal, app, options)?;
        }
    }
}

type Screen = Terminal<LeanBackend<io::BufWriter<io::Stdout>>>;

/// Draws a frame: only the cells that changed, links as hyperlinks if asked for.
fn draw(terminal: &mut Screen, app: &App, options: Options) -> io::Result<()> {
    if options.hyperlinks {
        terminal.backend_mut().set_links(ui::hyperlinks(app));
    }
    terminal.draw(|frame| ui::draw(frame, app))?;
    Ok(())
}

/// Ends folio when its terminal hangs up (a dropped SSH connection, a closed pty).
/// crossterm's reader spins on a hung-up terminal without ever returning, so the
/// event loop cannot be relied on to notice: a thread of its own waits for the hang-up.
///
/// It writes what the loop has handed to the state writer (the loop hands over
/// every change, the reading position included, each time it wakes), asks the loop
/// to end as for SIGHUP, and if the loop is stuck in crossterm, ends folio itself.
fn watch_for_hangup(signalled: Arc<AtomicUsize>, store: Option<Arc<Store>>) {
    std::thread::spawn(move || {
        // Sleeps in poll until the terminal hangs up.
        while !wait_for_hangup(None) {}
        signalled.store(signal_hook::consts::SIGHUP as usize, Ordering::Relaxed);
        if let Some(store) = store {
            store.flush();
        }
        std::thread::sleep(HANGUP_GRACE);
        restore();
        std::process::exit(HANGUP_EXIT);
    });
}

/// How long the loop has to end by itself after a hang-up, once the state is
/// written (the whole exit must take under a second).
const HANGUP_GRACE: Duration = Duration::from_millis(300);

/// The terminal (stdin) has hung up already.
fn hung_up() -> bool {
    wait_for_hangup(Some(&rustix::event::Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    }))
}

/// Waits up to `timeout` (for ever if `None`) for stdin to hang up; true if it has.
fn wait_for_hangup(timeout: Option<&rustix::event::Timespec>) -> bool {
    let stdin = io::stdin();
    let gone = PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL;
    // No events asked for: poll reports only hang-ups and errors.
    let mut fds = [PollFd::new(&stdin, PollFlags::empty())];
    match rustix::event::poll(&mut fds, timeout) {
        Ok(_) => fds[0].revents().intersects(gone),
        Err(e) => e != rustix::io::Errno::INTR,
    }
}

/// The shell convention for "ended by SIGHUP".
const HANGUP_EXIT: i32 = 128 + 1;

/// Hands the terminal to `command` run by the shell (`$PAGER`, else `less`, when
/// `None`) with `text` on its standard input, and takes it back when it ends, as
/// after Ctrl-Z. Returns what to say of how it ended.
fn pipe(mouse: bool, command: Option<&str>, text: &str) -> io::Result<String> {
    let command = command.map(str::to_owned).unwrap_or_else(|| {
        std::env::var("PAGER")
            .ok()
            .filter(|p| !p.trim().is_empty())
            .unwrap_or_else(|| "less".to_owned())
    });
    restore();
    let outcome = match std::process::Command::new("sh")
        .arg("-c")
        .arg(&command)
        .stdin(std::process::Stdio::piped())
        .spawn()
    {
        Ok(mut child) => {
            // Written from its own thread: a pager reads as it pages. Not waited
            // for: something the command left running may hold the pipe unread.
            if let Some(mut stdin) = child.stdin.take() {
                let text = text.to_owned();
                std::thread::spawn(move || {
                    let _ = stdin.write_all(text.as_bytes());
                });
            }
            let status = child.wait();
            match status {
                Ok(s) if s.success() => format!("| {command}: done"),
                Ok(s) => match s.code() {
                    Some(code) => format!("| {command}: exit status {code}"),
                    None => format!("| {command}: ended by a signal"),
                },
                Err(e) => format!("| {command}: {e}"),
            }
        }
        Err(e) => format!("cannot run sh: {e}"),
    };
    take_terminal(mouse)?;
    Ok(crate::sanitize::line(&outcome))
}

/// Takes the terminal again after handing it over: the same set-up as at the start.
fn take_terminal(mouse: bool) -> io::Result<()> {
    enable_raw_mode()?;
    set_up(mouse)
}

/// The screen folio draws on, in raw mode already: the alternate screen,
/// bracketed paste, no cursor, and the mouse if asked for.
fn set_up(mouse: bool) -> io::Result<()> {
    execute!(
        io::stdout(),
        EnterAlternateScreen,
        EnableBracketedPaste,
        cursor::Hide
    )?;
    if mouse {
        execute!(io::stdout(), event::EnableMouseCapture)?;
    }
    Ok(())
}

/// Gives the terminal back to the shell (Ctrl-Z): restores it as on exit, stops
/// folio as the shell's Ctrl-Z would, and takes the terminal again on `fg`.
fn suspend(mouse: bool) -> io::Result<()> {
    restore();
    signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)?;
    // Resumed (SIGCONT).
    take_terminal(mouse)
}

/// The action for an event other than a key (keys go through [`app::press_key`]).
fn action_for(app: &App, event: Event) -> Option<Action> {
    match event {
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

//! The only module that touches the terminal: setup, restore on every exit path, and the event loop.

use std::io::{self, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, EnableBracketedPaste, Event, KeyEventKind,
};
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::crossterm::{cursor, execute};

use crate::app::{self, Action, App};
use crate::contain;
use crate::ui;

/// How often the loop wakes without input to notice a signal.
const TICK: Duration = Duration::from_millis(200);

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

/// Runs the browser until the user quits, a signal asks it to stop, or input ends.
pub fn run(mut app: App) -> io::Result<()> {
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGQUIT,
    ] {
        signal_hook::flag::register(signal, Arc::clone(&stop))?;
    }
    let _session = Session::start()?;
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    let size = terminal.size()?;
    app::update(&mut app, Action::Resize(size.width, size.height));
    terminal.draw(|frame| ui::draw(frame, &app))?;
    while !app.quit && !stop.load(Ordering::Relaxed) {
        if !event::poll(TICK)? {
            continue;
        }
        // Apply everything already queued (a held key, a paste) before drawing once.
        let mut changed = false;
        loop {
            if let Some(action) = action_for(&app, event::read()?) {
                app::update(&mut app, action);
                changed = true;
            }
            if app.quit || !event::poll(Duration::ZERO)? {
                break;
            }
        }
        if changed && !app.quit {
            terminal.draw(|frame| ui::draw(frame, &app))?;
        }
    }
    Ok(())
}

fn action_for(app: &App, event: Event) -> Option<Action> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => app.action_for(&key),
        Event::Paste(text) if !app.help => Some(Action::SearchInput(text)),
        Event::Resize(width, height) => Some(Action::Resize(width, height)),
        _ => None,
    }
}

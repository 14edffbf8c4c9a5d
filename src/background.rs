//! Threads that feed the browser: the background load, and full-text searches. They talk to the event loop through channels and never touch the terminal.

use std::cell::Cell;
use std::sync::{Arc, mpsc};

use crate::app::Action;
use crate::app::loading::{Arrivals, Finished, Handover};
use crate::collection::Collection;
use crate::contain::quietly;
use crate::loader::{self, Event, Source};
use crate::search::{BodyHit, search_bodies};
use crate::watch::{self, Wake};

enum Message {
    Event(Event),
    /// The load is done.
    Finished(Box<Finished>),
    /// The load stopped on a bug (contained): why.
    Failed(String),
    /// The folders changed while the browser runs: the new order, and what changed.
    Updated(Box<Finished>, loader::Changes),
    /// Something to tell the user.
    Note(String),
}

/// A reload converting at least this many files says so first (it takes a moment).
const BUSY_RELOAD: usize = 200;

/// A load running on threads of its own, sending articles as they are read; then,
/// if asked, the folders watched and looked at again as files come and go.
pub struct LoadFeed {
    /// The archive store the load uses, for a text wanted before the load reads it.
    archive: Option<Arc<crate::store::Archive>>,
    inbox: mpsc::Receiver<Message>,
    /// Wakes the thread to look at the folders again (or to stop).
    wake: mpsc::Sender<Wake>,
    /// The folders can be looked at again after the load (they are files and folders).
    watching: bool,
    running: bool,
}

impl LoadFeed {
    /// Starts loading `source`; [`LoadFeed::poll`] collects what has arrived. With
    /// `watch`, the folders are then watched: files that arrive, change or leave
    /// are taken in (as [`Action::Updated`]) until the feed is dropped; without,
    /// only when the user asks ([`LoadFeed::rescan`]).
    pub fn start(source: Source, options: loader::Options, watch: bool) -> LoadFeed {
        let (outbox, inbox) = mpsc::channel();
        let (wake, wakes) = mpsc::channel();
        let archive = options.archive.clone();
        let watching = matches!(source, Source::Paths(_));
        let wake_watch = wake.clone();
        std::thread::Builder::new()
            .name("folio-loader".to_owned())
            .spawn(move || {
                // A panic here must not restore the terminal under the running browser.
                let result = quietly(|| {
                    let loaded = loader::load_with(&source, &options, &|event| {
                        let _ = outbox.send(Message::Event(event));
                    });
                    // The final order's index is built here, so the browser never waits for it.
                    let finished = Finished::new(loaded);
                    let current = Arc::clone(&finished.collection);
                    let _ = outbox.send(Message::Finished(Box::new(finished)));
                    if watching {
                        let wake = watch.then_some(wake_watch);
                        follow(&source, &options, current, &wakes, wake, &outbox);
                    }
                });
                if let Err(why) = result {
                    let _ = outbox.send(Message::Failed(why));
                }
            })
            .map_or_else(
                |_| LoadFeed::failed(),
                |_| LoadFeed {
                    archive,
                    inbox,
                    wake,
                    watching,
                    running: true,
                },
            )
    }

    /// A feed that will never send anything (the thread could not start).
    fn failed() -> LoadFeed {
        let (_, inbox) = mpsc::channel();
        let (wake, _) = mpsc::channel();
        LoadFeed {
            archive: None,
            inbox,
            wake,
            watching: false,
            running: false,
        }
    }

    /// Reads the text of `article` from the store now, if it came without it and
    /// the store holds it (one entry: a fraction of a millisecond); whether it has
    /// its text now.
    pub fn fill_text(&self, article: &crate::article::Article) -> bool {
        self.archive
            .as_deref()
            .is_some_and(|archive| loader::fill_text(archive, article))
    }

    /// The load has not finished yet.
    pub fn running(&self) -> bool {
        self.running
    }

    /// Looks at the folders again now (the user asked); what it says, if it cannot.
    pub fn rescan(&self) -> Option<&'static str> {
        if !self.watching {
            return Some("the bundled articles do not change");
        }
        self.wake
            .send(Wake::Rescan)
            .err()
            .map(|_| "the folders cannot be looked at again (the loader has stopped)")
    }

    /// Everything that arrived since the last call, as actions for `update`: the
    /// articles read as one batch, then the finished load; later, the folders' changes.
    pub fn poll(&mut self) -> Vec<Action> {
        let mut actions = Vec::new();
        let mut arrivals = Arrivals::default();
        let mut any = false;
        loop {
            let message = match self.inbox.try_recv() {
                Ok(message) => message,
                Err(mpsc::TryRecvError::Empty) => break,
                Err(mpsc::TryRecvError::Disconnected) => {
                    if self.running {
                        flush(&mut actions, &mut arrivals, &mut any);
                        actions.push(Action::LoadFailed("the loader ended early".to_owned()));
                    }
                    self.running = false;
                    break;
                }
            };
            match message {
                Message::Event(event) => {
                    any = true;
                    arrivals.take(event);
                }
                Message::Finished(done) => {
                    flush(&mut actions, &mut arrivals, &mut any);
                    self.running = false;
                    actions.push(Action::Loaded(Handover(Arc::from(done))));
                }
                Message::Failed(why) => {
                    flush(&mut actions, &mut arrivals, &mut any);
                    self.running = false;
                    actions.push(Action::LoadFailed(crate::sanitize::line(&why)));
                }
                Message::Updated(done, changes) => {
                    actions.push(Action::Updated(Handover(Arc::from(done)), changes));
                }
                Message::Note(note) => actions.push(Action::Notify(note)),
            }
        }
        flush(&mut actions, &mut arrivals, &mut any);
        actions
    }
}

impl Drop for LoadFeed {
    fn drop(&mut self) {
        let _ = self.wake.send(Wake::Stop);
    }
}

/// Adds the articles gathered so far as one action.
fn flush(actions: &mut Vec<Action>, arrivals: &mut Arrivals, any: &mut bool) {
    if std::mem::take(any) {
        actions.push(Action::Arrived(std::mem::take(arrivals)));
    }
}

/// Watches the folders of `source` (when given a `wake` to send changes to) and
/// looks at them again whenever they change or the user asks, sending what
/// changed, until the browser closes. `current` is the collection the browser
/// holds: unchanged files are not read again.
fn follow(
    source: &Source,
    options: &loader::Options,
    mut current: Arc<Collection>,
    wakes: &mpsc::Receiver<Wake>,
    wake: Option<mpsc::Sender<Wake>>,
    outbox: &mpsc::Sender<Message>,
) {
    let Source::Paths(paths) = source else {
        return;
    };
    // Watched by their real paths, the ones the walk names files by.
    let roots: Vec<_> = paths
        .iter()
        .map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()))
        .collect();
    let watching = wake.map(|wake| watch::watch(&roots, wake));
    let poll = watching.as_ref().and_then(|w| w.poll);
    if let Some(note) = watching.as_ref().and_then(|w| w.note.clone()) {
        let _ = outbox.send(Message::Note(note));
    }
    // Only the load itself reads everything again (`--rescan`).
    let options = loader::Options {
        rescan: false,
        heads_only: false,
        ..options.clone()
    };
    // Files that arrived between the load's walk and the start of the watch are
    // looked for once, at once.
    let mut asked = watching.is_some().then_some(false);
    loop {
        let Some(user) = asked.take().or_else(|| watch::next(wakes, poll)) else {
            return;
        };
        let (loaded, changes) = loader::reload(source, &options, &current, &|event| {
            if let Event::Converting { files } = event
                && files >= BUSY_RELOAD
            {
                let _ = outbox.send(Message::Note(format!(
                    "reading {} new or changed files…",
                    crate::format::thousands(files)
                )));
            }
        });
        if changes.is_empty() {
            if user {
                let _ = outbox.send(Message::Note("nothing changed in the folders".to_owned()));
            }
            continue;
        }
        let finished = Finished::new(loaded);
        current = Arc::clone(&finished.collection);
        if outbox
            .send(Message::Updated(Box::new(finished), changes))
            .is_err()
        {
            return;
        }
    }
}

/// Runs full-text searches on a thread of their own, so typing never waits for one.
/// Only the latest query matters: older ones still queued are skipped.
pub struct BodySearcher {
    requests: mpsc::Sender<Request>,
    answers: mpsc::Receiver<(u64, Vec<BodyHit>)>,
    answered: Cell<u64>,
}

struct Request {
    generation: u64,
    query: String,
    collection: Arc<Collection>,
}

impl Default for BodySearcher {
    fn default() -> Self {
        Self::start()
    }
}

impl BodySearcher {
    pub fn start() -> Self {
        let (requests, inbox) = mpsc::channel::<Request>();
        let (outbox, answers) = mpsc::channel();
        let _ = std::thread::Builder::new()
            .name("folio-search".to_owned())
            .spawn(move || {
                while let Ok(mut request) = inbox.recv() {
                    while let Ok(newer) = inbox.try_recv() {
                        request = newer;
                    }
                    // A bug in one search must not take the screen with it: no results.
                    let hits = quietly(|| search_bodies(&request.collection, &request.query))
                        .unwrap_or_default();
                    if outbox.send((request.generation, hits)).is_err() {
                        break;
                    }
                }
            });
        BodySearcher {
            requests,
            answers,
            answered: Cell::new(0),
        }
    }

    /// Searches `collection` (the articles as they are now) for search number `generation`.
    pub fn ask(&self, generation: u64, query: String, collection: Arc<Collection>) {
        let _ = self.requests.send(Request {
            generation,
            query,
            collection,
        });
    }

    /// The next answer, as an action for `update`.
    pub fn answer(&self) -> Option<Action> {
        let (generation, hits) = self.answers.try_recv().ok()?;
        self.answered.set(self.answered.get().max(generation));
        Some(Action::BodyResults(generation, hits))
    }

    /// A search newer than the last answer is running.
    pub fn busy(&self, latest: u64) -> bool {
        latest > self.answered.get()
    }
}

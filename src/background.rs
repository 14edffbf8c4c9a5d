//! Threads that feed the browser: the background load, and full-text searches. They talk to the event loop through channels and never touch the terminal.

use std::cell::Cell;
use std::sync::{Arc, mpsc};

use crate::app::Action;
use crate::app::loading::{Arrivals, Finished, Handover};
use crate::collection::Collection;
use crate::contain::quietly;
use crate::loader::{self, Event, Source};
use crate::search::{BodyHit, search_bodies};

enum Message {
    Event(Event),
    /// The load is done; whether texts left in the store are still to come.
    Finished(Box<Finished>, bool),
    /// The texts the load left in the archive store are filled in, so long after the start.
    Texts(std::time::Duration),
    /// The load stopped on a bug (contained): why.
    Failed(String),
}

/// A load running on threads of its own, sending articles as they are read.
pub struct LoadFeed {
    /// The archive store the load uses, for a text wanted before the load reads it.
    archive: Option<Arc<crate::store::Archive>>,
    inbox: mpsc::Receiver<Message>,
    running: bool,
    /// The load finished, and its texts may still come.
    texts_coming: bool,
}

impl LoadFeed {
    /// Starts loading `source`; [`LoadFeed::poll`] collects what has arrived.
    pub fn start(source: Source, options: loader::Options) -> LoadFeed {
        let (outbox, inbox) = mpsc::channel();
        let archive = options.archive.clone();
        std::thread::Builder::new()
            .name("folio-loader".to_owned())
            .spawn(move || {
                let started = std::time::Instant::now();
                // A panic here must not restore the terminal under the running browser.
                let result = quietly(|| {
                    let loaded = loader::load_with(&source, &options, &|event| {
                        let _ = outbox.send(Message::Event(event));
                    });
                    // Texts the store holds are read while the index is built.
                    let collection = loaded.collection.clone();
                    let wanted = collection.iter().any(|a| !a.has_text());
                    std::thread::scope(|scope| {
                        let texts = options
                            .archive
                            .as_deref()
                            .filter(|_| wanted)
                            .map(|archive| {
                                scope.spawn(|| loader::fill_texts(archive, &collection))
                            });
                        // The final order's index is built here, so the browser never waits for it.
                        let finished = Finished::new(loaded);
                        let _ = outbox.send(Message::Finished(Box::new(finished), texts.is_some()));
                        if let Some(texts) = texts {
                            let _ = texts.join();
                            let _ = outbox.send(Message::Texts(started.elapsed()));
                        }
                    });
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
                    running: true,
                    texts_coming: false,
                },
            )
    }

    /// A feed that will never send anything (the thread could not start).
    fn failed() -> LoadFeed {
        let (_, inbox) = mpsc::channel();
        LoadFeed {
            archive: None,
            inbox,
            running: false,
            texts_coming: false,
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

    /// The load has not finished yet (or its texts have not come).
    pub fn running(&self) -> bool {
        self.running || self.texts_coming
    }

    /// Everything that arrived since the last call, as actions for `update`: at
    /// most one batch of articles, then the finished load.
    pub fn poll(&mut self) -> Vec<Action> {
        if self.texts_coming {
            return match self.inbox.try_recv() {
                Ok(Message::Texts(elapsed)) => {
                    self.texts_coming = false;
                    vec![Action::TextsLoaded(elapsed)]
                }
                Ok(_) | Err(mpsc::TryRecvError::Empty) => Vec::new(),
                Err(mpsc::TryRecvError::Disconnected) => {
                    self.texts_coming = false;
                    Vec::new()
                }
            };
        }
        if !self.running {
            return Vec::new();
        }
        let mut arrivals = Arrivals::default();
        let mut any = false;
        let mut finished = None;
        loop {
            match self.inbox.try_recv() {
                Ok(Message::Event(event)) => {
                    any = true;
                    arrivals.take(event);
                }
                Ok(Message::Finished(done, texts_coming)) => {
                    self.texts_coming = texts_coming;
                    finished = Some(Ok(done));
                    break;
                }
                Ok(Message::Failed(why)) => {
                    finished = Some(Err(why));
                    break;
                }
                Ok(Message::Texts(_)) => {}
                Err(mpsc::TryRecvError::Empty) => break,
                Err(mpsc::TryRecvError::Disconnected) => {
                    finished = Some(Err("the loader ended early".to_owned()));
                    break;
                }
            }
        }
        let mut actions = Vec::new();
        if any {
            actions.push(Action::Arrived(arrivals));
        }
        match finished {
            Some(Ok(done)) => actions.push(Action::Loaded(Handover(Arc::from(done)))),
            Some(Err(why)) => actions.push(Action::LoadFailed(crate::sanitize::line(&why))),
            None => return actions,
        }
        self.running = false;
        actions
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

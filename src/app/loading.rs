//! A load running in the background, as the browser sees it: how far it has got, what has arrived, and the hand-over of the final order.

use std::sync::Arc;

use crate::article::Article;
use crate::collection::Collection;
use crate::loader::{Event, Loaded, Problem, Progress, Report};
use crate::search::TitleIndex;

/// The state of a load that has not finished.
#[derive(Debug, Clone, Default)]
pub struct Loading {
    /// Files read so far, of how many, and how fast.
    pub progress: Progress,
    /// False until the folders have been walked (the total is not known before).
    pub found: bool,
    /// For each article of the growing collection, in order of arrival, the
    /// number of the file it came from: how the final order is matched up.
    pub files: Vec<u32>,
}

impl Loading {
    /// How much of the load is done, from 0 to 1 (by bytes: big files take longer).
    pub fn ratio(&self) -> f64 {
        let p = &self.progress;
        if p.bytes_total == 0 {
            if p.files_total == 0 {
                return 0.0;
            }
            return p.files_done as f64 / p.files_total as f64;
        }
        (p.bytes_done as f64 / p.bytes_total as f64).clamp(0.0, 1.0)
    }
}

/// What the loader sent since the browser last looked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Arrivals {
    /// Articles read, each with the number of the file it came from.
    pub articles: Vec<(u32, Arc<Article>)>,
    /// Files that could not be read.
    pub skipped: Vec<Problem>,
    /// How far the load has got (`None` until the folders have been walked).
    pub progress: Option<Progress>,
}

impl Arrivals {
    /// Adds one loader event to the batch.
    pub fn take(&mut self, event: Event) {
        match event {
            Event::Found {
                files,
                bytes,
                skipped,
            } => {
                self.skipped.extend(skipped);
                self.progress = Some(Progress {
                    files_total: files,
                    bytes_total: bytes,
                    ..Progress::default()
                });
            }
            Event::Converting { .. } => {}
            Event::Read {
                file,
                article,
                progress,
            } => {
                match article {
                    Ok(article) => self.articles.push((file, article)),
                    Err(problem) => self.skipped.push(problem),
                }
                // Files finish on several threads: keep the furthest figures.
                if self
                    .progress
                    .is_none_or(|p| p.files_done <= progress.files_done)
                {
                    self.progress = Some(progress);
                }
            }
        }
    }
}

/// A finished load: every article in its final order, indexed, and what was skipped.
pub struct Finished {
    pub collection: Arc<Collection>,
    pub index: Arc<TitleIndex>,
    pub report: Report,
    /// For each file found, the index of its article in `collection`.
    pub placed: Vec<Option<u32>>,
}

impl Finished {
    /// Indexes a finished load (slow for a large one: done off the UI thread).
    pub fn new(loaded: Loaded) -> Finished {
        let index = Arc::new(TitleIndex::new(&loaded.collection));
        // The one-letter answers are made beside the browser taking the load over.
        let warming = Arc::clone(&index);
        let _ = std::thread::Builder::new()
            .name("folio-warm".into())
            .spawn(move || warming.warm());
        Finished {
            collection: Arc::new(loaded.collection),
            index,
            report: loaded.report,
            placed: loaded.placed,
        }
    }
}

/// A finished load handed to `update`; compared by identity (an index has no
/// meaningful equality).
#[derive(Clone)]
pub struct Handover(pub Arc<Finished>);

impl PartialEq for Handover {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for Handover {}

impl std::fmt::Debug for Handover {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Handover({} articles)", self.0.collection.len())
    }
}

//! Loads article files into a [`Collection`] in parallel, skipping and reporting what it cannot read.

mod convert;
pub mod date;
pub mod decode;
pub mod front_matter;
pub mod layout;
pub mod read;
mod walk;
mod workers;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub use convert::{site_name, title_from_file_name};

use crate::article::{Article, make_id};
use crate::assets::SAMPLE_ARTICLES;
use crate::collection::Collection;
use crate::error::SkipReason;

/// Files larger than this are not articles (or not ones anybody can read in a terminal).
pub const MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

/// Where articles come from.
#[derive(Debug, Clone)]
pub enum Source {
    /// The sample articles built into the binary.
    Bundled,
    /// Files and folders (read recursively).
    Paths(Vec<PathBuf>),
}

/// How far a load has got; passed to the progress callback after each file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    pub files_done: usize,
    pub files_total: usize,
    pub bytes_done: u64,
    pub bytes_total: u64,
    /// Time since the load started.
    pub elapsed: Duration,
}

impl Progress {
    /// Megabytes read per second so far.
    pub fn mb_per_s(&self) -> f64 {
        self.bytes_done as f64 / self.elapsed.as_secs_f64().max(1e-3) / 1e6
    }
}

/// Something that happened during a load, reported as it happens (from the
/// loader's threads, in no particular order).
#[derive(Debug)]
pub enum Event {
    /// The folders were walked: this many files are to be read, and these
    /// could not even be looked at (broken links, unreadable folders).
    Found {
        files: usize,
        bytes: u64,
        skipped: Vec<Problem>,
    },
    /// A file was read: its number among the files found, the article made of
    /// it or why it was skipped, and how far the load has got.
    Read {
        file: u32,
        article: Result<Arc<Article>, Problem>,
        progress: Progress,
    },
}

/// A file that was skipped, or loaded in a degraded way, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Sanitised path.
    pub path: String,
    pub reason: String,
}

/// What happened during a load, besides the articles.
#[derive(Debug, Default, Clone)]
pub struct Report {
    /// Files that could not be loaded.
    pub skipped: Vec<Problem>,
    /// Files loaded with a plainer conversion or with undecodable bytes replaced.
    pub degraded: Vec<Problem>,
    /// Files of other kinds in the folders (images, JSON, …), skipped quietly.
    pub ignored: usize,
    pub bytes: u64,
    pub elapsed: Duration,
}

/// The result of a load.
#[derive(Debug, Default)]
pub struct Loaded {
    pub collection: Collection,
    pub report: Report,
    /// For each file found (by its number in [`Event::Read`]), the index of its
    /// article in the collection, or `None` when it was skipped.
    pub placed: Vec<Option<u32>>,
}

/// Reads every article of `source`, in parallel, calling `progress` after each file.
/// Never fails: what cannot be read is counted in the report.
pub fn load(source: &Source, progress: &(dyn Fn(Progress) + Sync)) -> Loaded {
    load_with_events(source, &|event| {
        if let Event::Read { progress: p, .. } = event {
            progress(p);
        }
    })
}

/// Like [`load`], reporting each file and article as soon as it is read, for a
/// browser that shows them while the load goes on.
pub fn load_with_events(source: &Source, on_event: &(dyn Fn(Event) + Sync)) -> Loaded {
    let started = Instant::now();
    let (inputs, mut report) = match source {
        Source::Bundled => (bundled_inputs(), Report::default()),
        Source::Paths(paths) => {
            let found = walk::discover(paths);
            let report = Report {
                skipped: found.problems,
                ignored: found.ignored,
                ..Report::default()
            };
            (found.files.into_iter().map(Pending::File).collect(), report)
        }
    };
    let files_total = inputs.len();
    let bytes_total = inputs.iter().map(Pending::size).sum();
    on_event(Event::Found {
        files: files_total,
        bytes: bytes_total,
        skipped: report.skipped.clone(),
    });
    let inputs: Arc<[Pending]> = inputs.into();
    let mut files_done = 0;
    let mut bytes_done = 0;
    let mut articles = Vec::with_capacity(files_total);
    workers::run(
        Arc::clone(&inputs),
        workers::Options::default(),
        |file, outcome| {
            let input = &inputs[file];
            files_done += 1;
            bytes_done += input.size();
            let progress = Progress {
                files_done,
                files_total,
                bytes_done,
                bytes_total,
                elapsed: started.elapsed(),
            };
            match outcome {
                Ok(out) => {
                    let article = Arc::new(out.article);
                    on_event(Event::Read {
                        file: file as u32,
                        article: Ok(Arc::clone(&article)),
                        progress,
                    });
                    if let Some(reason) = out.degraded {
                        report.degraded.push(Problem {
                            path: article.path.clone(),
                            reason,
                        });
                    }
                    articles.push(Placed {
                        key: input.key(),
                        file,
                        article,
                    });
                }
                Err(reason) => {
                    let problem = Problem {
                        path: input.display().to_owned(),
                        reason: reason.to_string(),
                    };
                    on_event(Event::Read {
                        file: file as u32,
                        article: Err(problem.clone()),
                        progress,
                    });
                    report.skipped.push(problem);
                }
            }
        },
    );
    report.bytes = bytes_total;
    // Results come in the order files finish; reports list them in file order.
    let order = |p: &Problem| p.path.clone();
    report.degraded.sort_by_key(order);
    report.skipped.sort_by_key(order);
    articles.sort_by_key(|a| a.file);
    let articles = order_and_identify(articles);
    let mut placed = vec![None; files_total];
    for (index, a) in articles.iter().enumerate() {
        placed[a.file] = Some(index as u32);
    }
    report.elapsed = started.elapsed();
    Loaded {
        collection: Collection::from_shared(articles.into_iter().map(|a| a.article).collect()),
        report,
        placed,
    }
}

/// An article and the file it came from.
struct Placed<'a> {
    key: &'a str,
    file: usize,
    article: Arc<Article>,
}

/// Newest first (undated last), then by path; ids made unique without
/// changing any id that was already unique.
fn order_and_identify(mut articles: Vec<Placed>) -> Vec<Placed> {
    articles.sort_by(|a, b| {
        let (a, b) = (&a.article, &b.article);
        let newest_first = b
            .date
            .map(|d| d.timestamp_millis())
            .cmp(&a.date.map(|d| d.timestamp_millis()));
        let undated_last = a.date.is_none().cmp(&b.date.is_none());
        undated_last
            .then(newest_first)
            .then_with(|| a.path.cmp(&b.path))
    });
    let mut seen = HashSet::with_capacity(articles.len());
    for placed in &mut articles {
        if !seen.insert(placed.article.id.clone()) {
            // The same URL in two files: the later one is told apart by its path.
            let article = Arc::make_mut(&mut placed.article);
            let mut salt = 0u32;
            while !seen.insert(article.id.clone()) {
                article.id = make_id(&format!("dup:{}:{salt}:{}", placed.key, article.id));
                salt += 1;
            }
        }
    }
    articles
}

/// One file waiting to be loaded.
enum Pending {
    File(walk::Candidate),
    Bundled {
        name: &'static str,
        bytes: &'static [u8],
        display: String,
    },
}

fn bundled_inputs() -> Vec<Pending> {
    SAMPLE_ARTICLES
        .iter()
        .map(|&(name, bytes)| Pending::Bundled {
            name,
            bytes,
            display: format!("bundled:{name}"),
        })
        .collect()
}

impl Pending {
    fn size(&self) -> u64 {
        match self {
            Pending::File(c) => c.size,
            Pending::Bundled { bytes, .. } => bytes.len() as u64,
        }
    }

    fn key(&self) -> &str {
        match self {
            Pending::File(c) => &c.key,
            Pending::Bundled { name, .. } => name,
        }
    }

    fn display(&self) -> &str {
        match self {
            Pending::File(c) => &c.display,
            Pending::Bundled { display, .. } => display,
        }
    }

    /// Reads (with `read`) and converts the file.
    fn load(
        &self,
        read: &dyn Fn(&Path, u64) -> read::Bytes,
    ) -> Result<convert::Output, SkipReason> {
        let owned;
        let (bytes, file_name) = match self {
            Pending::File(c) => {
                if c.size > MAX_FILE_SIZE {
                    return Err(SkipReason::TooLarge {
                        size_mb: c.size / (1024 * 1024),
                        limit_mb: MAX_FILE_SIZE / (1024 * 1024),
                    });
                }
                owned = read(&c.path, MAX_FILE_SIZE)?;
                let name = c.path.file_name().map(|n| n.to_string_lossy());
                (owned.as_slice(), name.unwrap_or_default())
            }
            Pending::Bundled { name, bytes, .. } => (*bytes, (*name).into()),
        };
        let input = convert::Input {
            bytes,
            file_name: &file_name,
            key: self.key(),
            display: self.display(),
        };
        convert::convert(&input)
    }
}

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
use crate::contain::quietly;
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
    let (inputs, report) = match source {
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
    load_inputs(inputs, report, started, on_event)
}

/// Loads files already found (or bundled), reporting as [`load_with_events`] does.
fn load_inputs(
    inputs: Vec<Pending>,
    mut report: Report,
    started: Instant,
    on_event: &(dyn Fn(Event) + Sync),
) -> Loaded {
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

/// Converts one file's bytes as the loader does (`file_name` stands for its path):
/// the article and why its conversion was degraded, or why it was skipped. Never
/// panics.
pub fn convert_bytes(
    bytes: &[u8],
    file_name: &str,
) -> Result<(Article, Option<String>), SkipReason> {
    let input = convert::Input {
        bytes: bytes.into(),
        file_name,
        key: file_name,
        display: file_name,
    };
    quietly(|| convert::convert(input))
        .unwrap_or_else(|msg| Err(SkipReason::Panic(crate::sanitize::line(&msg))))
        .map(|out| (out.article, out.degraded))
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
        let (bytes, file_name): (std::borrow::Cow<[u8]>, _) = match self {
            Pending::File(c) => {
                if c.size > MAX_FILE_SIZE {
                    return Err(SkipReason::TooLarge {
                        size_mb: c.size / (1024 * 1024),
                        limit_mb: MAX_FILE_SIZE / (1024 * 1024),
                    });
                }
                let bytes = read(&c.path, MAX_FILE_SIZE)?;
                let name = c.path.file_name().map(|n| n.to_string_lossy());
                (bytes.into(), name.unwrap_or_default())
            }
            Pending::Bundled { name, bytes, .. } => ((*bytes).into(), (*name).into()),
        };
        let input = convert::Input {
            bytes,
            file_name: &file_name,
            key: self.key(),
            display: self.display(),
        };
        convert::convert(input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed(title: &str) -> String {
        format!(
            "<!--1690562527000-->\n[{title}](https://example.org/{title})\n------\n\n<p>正文</p>\n"
        )
    }

    /// Files swapped between the folder walk and the read: what was seen during the
    /// walk is not trusted.
    #[cfg(unix)]
    #[test]
    fn files_swapped_after_the_walk_are_judged_when_opened() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["grown.md", "to-zero.md", "to-fifo.md", "fine.md"] {
            std::fs::write(dir.path().join(name), seed(name)).unwrap();
        }
        let found = walk::discover(&[dir.path().to_path_buf()]);
        assert_eq!(found.files.len(), 4);
        // Grown past the limit (sparse: nothing is written).
        let grown = std::fs::OpenOptions::new()
            .write(true)
            .open(dir.path().join("grown.md"))
            .unwrap();
        grown.set_len(MAX_FILE_SIZE + 16 * 1024 * 1024).unwrap();
        // Swapped for a link to an endless device, and for a FIFO nobody writes.
        let zero = dir.path().join("to-zero.md");
        std::fs::remove_file(&zero).unwrap();
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        let fifo = dir.path().join("to-fifo.md");
        std::fs::remove_file(&fifo).unwrap();
        rustix::fs::mkfifoat(
            rustix::fs::CWD,
            &fifo,
            rustix::fs::Mode::RUSR | rustix::fs::Mode::WUSR,
        )
        .unwrap();

        let inputs = found.files.into_iter().map(Pending::File).collect();
        let loaded = load_inputs(inputs, Report::default(), Instant::now(), &|_| {});
        assert_eq!(loaded.collection.len(), 1);
        let reason = |name: &str| {
            loaded
                .report
                .skipped
                .iter()
                .find(|p| p.path.ends_with(name))
                .map(|p| p.reason.clone())
                .unwrap_or_default()
        };
        assert!(
            reason("grown.md").starts_with("too large (80 MB"),
            "{:?}",
            loaded.report
        );
        assert_eq!(reason("to-zero.md"), "not a regular file");
        assert_eq!(reason("to-fifo.md"), "not a regular file");
    }
}

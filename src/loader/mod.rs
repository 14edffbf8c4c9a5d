//! Loads article files into a [`Collection`] in parallel, skipping and reporting what it cannot read.

mod cached;
mod convert;
pub mod date;
pub mod decode;
pub mod front_matter;
pub mod layout;
pub mod read;
mod walk;
mod workers;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub use convert::{CONVERTER_VERSION, site_name, title_from_file_name};

use crate::article::{Article, Text, make_id};
use crate::assets::SAMPLE_ARTICLES;
use crate::collection::Collection;
use crate::contain::quietly;
use crate::error::SkipReason;
use crate::store::{self, Archive, Stamp};

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
    /// This many of the files found are new or changed: they are being converted
    /// (the others came from the store, or from the articles a browser holds).
    Converting { files: usize },
}

/// A file that was skipped, or loaded in a degraded way, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Sanitised path.
    pub path: String,
    pub reason: String,
}

/// How a load uses the archive store.
#[derive(Clone, Default)]
pub struct Options {
    /// The store to take unchanged files from and keep converted ones in.
    pub archive: Option<Arc<Archive>>,
    /// Convert every file again, refreshing the store.
    pub rescan: bool,
    /// Take only the heads of unchanged files from the store (what a list needs):
    /// their texts come later, one by one, with [`fill_text`].
    pub heads_only: bool,
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
    /// Files whose conversion was taken from the store.
    pub from_store: usize,
    /// Things about the store to tell the user once.
    pub notes: Vec<String>,
    /// How long each part of the load took: finding the files, taking unchanged
    /// ones from the store, converting the others, ordering.
    pub phases: Vec<(&'static str, Duration)>,
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
    load_with(source, &Options::default(), on_event)
}

/// Like [`load_with_events`], taking unchanged files from the archive store and
/// keeping what is converted in it.
pub fn load_with(source: &Source, options: &Options, on_event: &(dyn Fn(Event) + Sync)) -> Loaded {
    let started = Instant::now();
    let (inputs, report, roots) = match source {
        Source::Bundled => (bundled_inputs(), Report::default(), Vec::new()),
        Source::Paths(paths) => {
            let found = walk::discover(paths);
            let report = Report {
                skipped: found.problems,
                ignored: found.ignored,
                phases: vec![("walk", started.elapsed())],
                ..Report::default()
            };
            let inputs = found.files.into_iter().map(Pending::File).collect();
            (inputs, report, found.roots)
        }
    };
    let archive = options.archive.as_deref().filter(|_| !roots.is_empty());
    let store_options = StoreUse {
        archive,
        roots: &roots,
        rescan: options.rescan,
        text: !options.heads_only,
        live: None,
    };
    load_inputs(inputs, report, started, store_options, on_event)
}

/// How many articles taken as they were are shown while the load goes on.
const FIRST_ARRIVALS: usize = 256;

/// How one load uses the store.
#[derive(Clone, Copy, Default)]
struct StoreUse<'a> {
    archive: Option<&'a Archive>,
    roots: &'a [PathBuf],
    rescan: bool,
    /// Take texts with the heads.
    text: bool,
    /// Articles a running browser holds, by the file they came from: reused as
    /// they are while their file is unchanged.
    live: Option<&'a HashMap<&'a Path, &'a Arc<Article>>>,
}

pub use walk::{could_be_article, display as display_path};

/// What a reload found changed since the articles it was given.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.added + self.changed + self.removed == 0
    }
}

/// Loads `source` again, reusing the articles of `live` whose files are unchanged
/// (their texts included) and taking the rest from the store or converting them;
/// says what changed. For a browser that sees files arrive while it runs.
pub fn reload(
    source: &Source,
    options: &Options,
    live: &Collection,
    on_event: &(dyn Fn(Event) + Sync),
) -> (Loaded, Changes) {
    let started = Instant::now();
    let Source::Paths(paths) = source else {
        return (load_with(source, options, on_event), Changes::default());
    };
    let found = walk::discover(paths);
    let report = Report {
        skipped: found.problems,
        ignored: found.ignored,
        phases: vec![("walk", started.elapsed())],
        ..Report::default()
    };
    let inputs = found.files.into_iter().map(Pending::File).collect();
    let by_origin: HashMap<&Path, &Arc<Article>> = live
        .articles()
        .iter()
        .filter_map(|a| Some((a.origin.as_ref()?.path.as_path(), a)))
        .collect();
    let store_use = StoreUse {
        archive: options.archive.as_deref(),
        roots: &found.roots,
        rescan: options.rescan,
        text: true,
        live: Some(&by_origin),
    };
    let loaded = load_inputs(inputs, report, started, store_use, on_event);
    let mut changes = Changes::default();
    let mut still: HashSet<&Path> = HashSet::with_capacity(loaded.collection.len());
    for article in loaded.collection.iter() {
        let Some(origin) = &article.origin else {
            continue;
        };
        still.insert(&origin.path);
        match by_origin
            .get(origin.path.as_path())
            .and_then(|a| a.origin.as_ref())
        {
            None => changes.added += 1,
            Some(before) if before.stamp != origin.stamp => changes.changed += 1,
            Some(_) => {}
        }
    }
    changes.removed = by_origin.keys().filter(|p| !still.contains(*p)).count();
    (loaded, changes)
}

/// Fills in the text of `article` from the store, if it came without it and the
/// store still holds it; whether the article has its text now.
pub fn fill_text(archive: &Archive, article: &Article) -> bool {
    if article.has_text() {
        return true;
    }
    let Some(origin) = article.origin.as_ref() else {
        return false;
    };
    let Ok(Some((tail, body))) = archive
        .store
        .text_of(&store::key_of(&origin.path), origin.stamp)
    else {
        return false;
    };
    let Some((body, links, spans)) = store::decode_text(&tail, &body) else {
        return false;
    };
    article.fill_text(Text { body, links, spans });
    article.has_text()
}

/// Loads files already found (or bundled), reporting as [`load_with_events`] does.
fn load_inputs(
    inputs: Vec<Pending>,
    mut report: Report,
    started: Instant,
    store_use: StoreUse,
    on_event: &(dyn Fn(Event) + Sync),
) -> Loaded {
    let StoreUse {
        archive,
        roots,
        rescan,
        text,
        live,
    } = store_use;
    let files_total = inputs.len();
    let bytes_total = inputs.iter().map(Pending::size).sum();
    on_event(Event::Found {
        files: files_total,
        bytes: bytes_total,
        skipped: report.skipped.clone(),
    });
    let inputs: Arc<[Pending]> = inputs.into();
    let mut phases = std::mem::take(&mut report.phases);
    let mut files_done = 0;
    let mut bytes_done = 0;
    let mut articles = Vec::with_capacity(files_total);
    // Hands a file's outcome on; returns the article (and why it was degraded).
    // Articles taken as they were (from the store, or held by a browser) come too
    // fast to be worth showing one by one: the first screenful is, the rest comes
    // with the final order.
    let mut record = |file: usize,
                      outcome: Result<(Arc<Article>, Option<String>), String>,
                      kept: bool|
     -> Option<(Arc<Article>, Option<String>)> {
        let input = &inputs[file];
        files_done += 1;
        let announce = !kept || files_done <= FIRST_ARRIVALS;
        bytes_done += input.size();
        let progress = Progress {
            files_done,
            files_total,
            bytes_done,
            bytes_total,
            elapsed: started.elapsed(),
        };
        match outcome {
            Ok((article, degraded)) => {
                if announce {
                    on_event(Event::Read {
                        file: file as u32,
                        article: Ok(Arc::clone(&article)),
                        progress,
                    });
                }
                if let Some(reason) = &degraded {
                    report.degraded.push(Problem {
                        path: article.path.clone(),
                        reason: reason.clone(),
                    });
                }
                articles.push(Placed {
                    key: input.key(),
                    file,
                    article: Arc::clone(&article),
                });
                Some((article, degraded))
            }
            Err(reason) => {
                let problem = Problem {
                    path: input.display().to_owned(),
                    reason,
                };
                on_event(Event::Read {
                    file: file as u32,
                    article: Err(problem.clone()),
                    progress,
                });
                report.skipped.push(problem);
                None
            }
        }
    };

    let mut taken = vec![false; files_total];
    // Unchanged files a browser holds already: as they are.
    if let Some(live) = live.filter(|_| !rescan) {
        for (file, input) in inputs.iter().enumerate() {
            let held = input.store_key().and_then(|k| live.get(k)).copied();
            if let Some(article) =
                held.filter(|a| a.origin.as_ref().map(|o| o.stamp) == input.stamp())
            {
                taken[file] = true;
                let _ = record(file, Ok((Arc::clone(article), None)), true);
            }
        }
    }
    // Then unchanged files from the store: their heads at once (the browser shows
    // them while the texts are read), then, if wanted, their texts.
    let mut from_store = 0;
    let mut seen = None;
    let mut stored: Vec<(usize, Arc<Article>)> = Vec::new();
    // (With every file held already, the store has nothing to add, and nothing of
    // it needs pruning that the load before did not prune.)
    if let Some(archive) = archive.filter(|_| !rescan && taken.contains(&false)) {
        let wanted: Vec<bool> = taken.iter().map(|t| !t).collect();
        let scanned = cached::take(&archive.store, &inputs, &wanted, |file, outcome| {
            from_store += 1;
            taken[file] = true;
            let recorded = record(
                file,
                match outcome {
                    store::Outcome::Article { article, degraded } => {
                        Ok((Arc::new(article), degraded))
                    }
                    store::Outcome::Skipped(reason) => Err(reason),
                },
                true,
            );
            if let (true, Some((article, _))) = (text, recorded) {
                stored.push((file, article));
            }
        });
        match scanned {
            Ok(s) => seen = Some(s),
            Err(e) => archive.store.failed(&e),
        }
        if !stored.is_empty() {
            let articles: Vec<Arc<Article>> = stored.iter().map(|(_, a)| Arc::clone(a)).collect();
            if let Err(e) = cached::fill_texts(&archive.store, &articles) {
                archive.store.failed(&e);
            }
        }
    }
    // A text the store could not give (damaged, or gone since its head was read):
    // the file is converted again, and that article replaces the one without text.
    let mut refill = vec![false; files_total];
    for (file, article) in &stored {
        if !article.has_text() {
            refill[*file] = true;
            taken[*file] = false;
            from_store -= 1;
        }
    }
    let phase = |phases: &mut Vec<(&'static str, Duration)>, name: &'static str| {
        let before: Duration = phases.iter().map(|(_, d)| *d).sum();
        phases.push((name, started.elapsed().saturating_sub(before)));
    };
    phase(&mut phases, "store");
    // Then everything else, converted and kept.
    let todo: Vec<usize> = (0..files_total).filter(|&i| !taken[i]).collect();
    on_event(Event::Converting { files: todo.len() });
    let options = workers::Options {
        keep: archive.is_some(),
        ..workers::Options::default()
    };
    // What to keep, sent to the writer once the load is done: encoding and
    // writing would otherwise take the cores the conversion needs.
    let mut to_keep: Vec<(usize, Kept)> = Vec::new();
    workers::run(Arc::clone(&inputs), todo, options, |file, done| {
        let worth_keeping = done.kept;
        let outcome = done
            .outcome
            .map(|mut out| {
                out.article.origin = cached::origin_of(&inputs[file]);
                (Arc::new(out.article), out.degraded)
            })
            .map_err(|reason| reason.to_string());
        if archive.is_some() && worth_keeping {
            match &outcome {
                Ok(_) => {}
                Err(reason) => to_keep.push((file, Err(reason.clone()))),
            }
        }
        let article = record(file, outcome, false);
        if let (true, Some((article, degraded))) = (archive.is_some() && worth_keeping, article) {
            to_keep.push((file, Ok((article, degraded))));
        }
    });
    if let Some(archive) = archive {
        for (file, kept) in to_keep {
            let (Some(key), Some(stamp)) = (inputs[file].store_key(), inputs[file].stamp()) else {
                continue;
            };
            let key = store::key_of(key);
            match kept {
                Ok((article, degraded)) => {
                    archive
                        .writer
                        .keep(key, stamp, CONVERTER_VERSION, article, degraded)
                }
                Err(reason) => {
                    archive
                        .writer
                        .put(key, stamp, CONVERTER_VERSION, store::encode_skip(&reason))
                }
            }
        }
        // Not on the way to the first screen: the writer does these after the rest.
        match seen {
            // Entries between the first and last file found were looked at: those
            // not found are gone; the rest is what sorts outside them.
            Some(seen) => {
                for key in seen.gone {
                    archive.writer.forget(key);
                }
                if let Some((first, last)) = seen.bounds {
                    archive.writer.prune_outside(roots.to_vec(), first, last);
                }
            }
            // Every file was held by the browser: the entries of the files it held
            // that are gone are forgotten.
            None if !rescan && live.is_some() => {
                let found: HashSet<&Path> = inputs.iter().filter_map(Pending::store_key).collect();
                for gone in live.into_iter().flat_map(|l| l.keys()) {
                    if !found.contains(gone) {
                        archive.writer.forget(store::key_of(gone));
                    }
                }
            }
            None => {
                let found = inputs
                    .iter()
                    .filter_map(|p| p.store_key().map(store::key_of))
                    .collect();
                archive.writer.prune(roots.to_vec(), found);
            }
        }
        for root in roots {
            let files = inputs
                .iter()
                .filter(|p| p.store_key().is_some_and(|k| k.starts_with(root)))
                .count();
            archive.writer.archive(root, files as u64);
        }
        archive.writer.sweep();
        report.notes = archive.store.take_notes();
    }
    if refill.contains(&true) {
        articles.retain(|a| !refill[a.file] || a.article.has_text());
    }
    report.from_store = from_store;
    report.bytes = bytes_total;
    // Results come in the order files finish; reports list them in file order.
    let order = |p: &Problem| p.path.clone();
    report.degraded.sort_by_key(order);
    report.skipped.sort_by_key(order);
    phase(&mut phases, "convert");
    articles.sort_by_key(|a| a.file);
    let articles = order_and_identify(articles);
    let mut placed = vec![None; files_total];
    for (index, a) in articles.iter().enumerate() {
        placed[a.file] = Some(index as u32);
    }
    report.elapsed = started.elapsed();
    phase(&mut phases, "order");
    report.phases = phases;
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

/// What the store keeps of a file: its article (and why it was degraded), or why
/// it was skipped.
type Kept = Result<(Arc<Article>, Option<String>), String>;

/// An article and the file it came from.
struct Placed<'a> {
    key: &'a str,
    file: usize,
    article: Arc<Article>,
}

/// Newest first (undated last), then by path; ids made unique without
/// changing any id that was already unique.
fn order_and_identify(articles: Vec<Placed>) -> Vec<Placed> {
    // Undated last, then newest first, then by path.
    let mut keyed: Vec<((bool, std::cmp::Reverse<i64>), Placed)> = articles
        .into_iter()
        .map(|p| {
            let date = p.article.date.map(|d| d.timestamp_millis());
            ((date.is_none(), std::cmp::Reverse(date.unwrap_or(0))), p)
        })
        .collect();
    keyed.sort_unstable_by(|(ka, a), (kb, b)| {
        ka.cmp(kb).then_with(|| a.article.path.cmp(&b.article.path))
    });
    let mut articles: Vec<Placed> = keyed.into_iter().map(|(_, p)| p).collect();
    let mut seen: HashSet<String> = HashSet::with_capacity(articles.len());
    let mut renamed = Vec::new();
    {
        let mut taken: HashSet<&str> = HashSet::with_capacity(articles.len());
        for (i, placed) in articles.iter().enumerate() {
            if !taken.insert(&placed.article.id) {
                renamed.push(i);
            }
        }
        if !renamed.is_empty() {
            seen.extend(taken.into_iter().map(str::to_owned));
        }
    }
    for i in renamed {
        // The same URL in two files: the later one is told apart by its path.
        let placed = &mut articles[i];
        let article = Arc::make_mut(&mut placed.article);
        let mut salt = 0u32;
        loop {
            article.id = make_id(&format!("dup:{}:{salt}:{}", placed.key, article.id));
            if seen.insert(article.id.clone()) {
                break;
            }
            salt += 1;
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

    /// The file's name in the store (bundled articles are not kept).
    fn store_key(&self) -> Option<&Path> {
        match self {
            Pending::File(c) => Some(&c.store_key),
            Pending::Bundled { .. } => None,
        }
    }

    fn stamp(&self) -> Option<Stamp> {
        match self {
            Pending::File(c) => Some(c.stamp),
            Pending::Bundled { .. } => None,
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
        let loaded = load_inputs(
            inputs,
            Report::default(),
            Instant::now(),
            StoreUse::default(),
            &|_| {},
        );
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

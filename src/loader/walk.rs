//! Finds the article files under the paths given: recursive, deterministic, never following a loop or entering a hidden folder.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::Problem;
use crate::error::SkipReason;
use crate::sanitize;

/// Extensions of files read inside a folder. Files without an extension are read too.
const ARTICLE_EXTENSIONS: &[&str] = &["md", "markdown", "html", "htm", "xhtml", "txt"];

/// A file to load.
#[derive(Debug)]
pub struct Candidate {
    pub path: PathBuf,
    /// Path relative to the folder it was found in, with `/` separators: the id's
    /// fallback key, the same on every machine.
    pub key: String,
    /// Sanitised path for display.
    pub display: String,
    pub size: u64,
}

/// What a walk found.
#[derive(Debug, Default)]
pub struct Found {
    pub files: Vec<Candidate>,
    pub problems: Vec<Problem>,
    /// Files of other kinds (images, JSON, …), skipped quietly.
    pub ignored: usize,
}

/// Lists the article files under `roots`, in a stable order.
pub fn discover(roots: &[PathBuf]) -> Found {
    let mut found = Found::default();
    let mut seen = HashSet::new();
    for root in roots {
        let meta = match std::fs::metadata(root) {
            Ok(meta) => meta,
            Err(e) => {
                found.problems.push(problem(root, reason_for(root, &e)));
                continue;
            }
        };
        if meta.is_file() {
            let key = root
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            push(&mut found, &mut seen, root.clone(), key, &meta);
        } else if meta.is_dir() {
            walk_dir(root, &mut found, &mut seen);
        } else {
            found.problems.push(problem(root, SkipReason::NotAFile));
        }
    }
    found
}

fn walk_dir(root: &Path, found: &mut Found, seen: &mut HashSet<(u64, u64)>) {
    let walker = WalkDir::new(root)
        .follow_links(true)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e.path().unwrap_or(root).to_path_buf();
                let reason = if e.loop_ancestor().is_some() {
                    SkipReason::SymlinkLoop
                } else {
                    match e.io_error() {
                        Some(io) => reason_for(&path, io),
                        None => SkipReason::Io(sanitize::line(&e.to_string())),
                    }
                };
                found.problems.push(problem(&path, reason));
                continue;
            }
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let path = entry.path();
        if !has_article_extension(path) {
            found.ignored += 1;
            continue;
        }
        // Decided by what a link resolves to: a FIFO, a device or a socket named
        // like an article is reported, never opened.
        if !entry.file_type().is_file() {
            found.problems.push(problem(path, SkipReason::NotAFile));
            continue;
        }
        let meta = match entry.metadata() {
            Ok(meta) => meta,
            Err(e) => {
                let reason = e
                    .io_error()
                    .map_or(SkipReason::NotFound, |io| reason_for(path, io));
                found.problems.push(problem(path, reason));
                continue;
            }
        };
        let key = path
            .strip_prefix(root)
            .unwrap_or(path)
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        push(found, seen, path.to_path_buf(), key, &meta);
    }
}

fn push(
    found: &mut Found,
    seen: &mut HashSet<(u64, u64)>,
    path: PathBuf,
    key: String,
    meta: &std::fs::Metadata,
) {
    if let Some(identity) = file_identity(meta)
        && !seen.insert(identity)
    {
        // The same file reached twice (two overlapping paths, or a symlink).
        return;
    }
    found.files.push(Candidate {
        display: display(&path),
        path,
        key,
        size: meta.len(),
    });
}

#[cfg(unix)]
fn file_identity(meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn file_identity(_meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    None
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

fn has_article_extension(path: &Path) -> bool {
    match path.extension() {
        None => true,
        Some(ext) => {
            let ext = ext.to_string_lossy();
            ARTICLE_EXTENSIONS
                .iter()
                .any(|known| known.eq_ignore_ascii_case(&ext))
        }
    }
}

/// A dangling symlink reports "not found"; say what it really is.
fn reason_for(path: &Path, err: &std::io::Error) -> SkipReason {
    let is_symlink = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    match SkipReason::from_io(err) {
        SkipReason::NotFound if is_symlink => SkipReason::BrokenSymlink,
        reason => reason,
    }
}

pub fn display(path: &Path) -> String {
    sanitize::line(&path.to_string_lossy())
}

fn problem(path: &Path, reason: SkipReason) -> Problem {
    Problem {
        path: display(path),
        reason: reason.to_string(),
    }
}

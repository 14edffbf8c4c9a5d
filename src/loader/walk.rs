//! Finds the article files under the paths given: recursive, deterministic, never following a loop or entering a hidden folder.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::Problem;
use crate::error::SkipReason;
use crate::sanitize;
use crate::store::Stamp;

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
    /// Size and modification time when the folder was walked.
    pub stamp: Stamp,
    /// The path under its folder's canonical path: the file's name in the store.
    pub store_key: PathBuf,
}

/// What a walk found.
#[derive(Debug, Default)]
pub struct Found {
    pub files: Vec<Candidate>,
    pub problems: Vec<Problem>,
    /// Files of other kinds (images, JSON, …), skipped quietly.
    pub ignored: usize,
    /// The canonical paths of the folders (and single files) walked.
    pub roots: Vec<PathBuf>,
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
        // Symlinks and `..` resolved once per root: the store knows files by it.
        let canonical = std::fs::canonicalize(root).unwrap_or_else(|_| root.clone());
        if meta.is_file() {
            let key = root
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            push(
                &mut found,
                &mut seen,
                root.clone(),
                key,
                canonical.clone(),
                &meta,
            );
            found.roots.push(canonical);
        } else if meta.is_dir() {
            walk_dir(root, &canonical, &mut found, &mut seen);
            found.roots.push(canonical);
        } else {
            found.problems.push(problem(root, SkipReason::NotAFile));
        }
    }
    found
}

/// What the walk met, in the order a sorted depth-first walk meets it.
enum Met {
    File(Candidate, Option<(u64, u64)>),
    Problem(PathBuf, SkipReason),
    Ignored,
}

/// Walks `root` (a folder): in name order, depth first, like a sorted `find`, but
/// reading folders and stat-ing files on every core.
fn walk_dir(root: &Path, canonical: &Path, found: &mut Found, seen: &mut HashSet<(u64, u64)>) {
    let ancestors: Vec<(u64, u64)> = std::fs::metadata(root)
        .ok()
        .and_then(|m| file_identity(&m))
        .into_iter()
        .collect();
    for met in visit(root, canonical, "", &ancestors) {
        match met {
            Met::File(candidate, identity) => {
                // The same file reached twice (two overlapping paths, or a symlink).
                if identity.is_none_or(|id| seen.insert(id)) {
                    found.files.push(candidate);
                }
            }
            Met::Problem(path, reason) => found.problems.push(problem(&path, reason)),
            Met::Ignored => found.ignored += 1,
        }
    }
}

/// What folder `dir` (whose key is `prefix`) holds, sorted by name, its subfolders
/// walked in place; `ancestors` are the folders above it (a link to one is a loop).
fn visit(dir: &Path, store_dir: &Path, prefix: &str, ancestors: &[(u64, u64)]) -> Vec<Met> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => return vec![Met::Problem(dir.to_path_buf(), reason_for(dir, &e))],
    };
    let mut entries: Vec<(std::ffi::OsString, std::fs::DirEntry)> = entries
        .filter_map(Result::ok)
        .map(|e| (e.file_name(), e))
        .filter(|(name, _)| !is_hidden(name))
        .collect();
    entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    entries
        .par_iter()
        .map(|(name, entry)| {
            let path = entry.path();
            let key = if prefix.is_empty() {
                name.to_string_lossy().into_owned()
            } else {
                format!("{prefix}/{}", name.to_string_lossy())
            };
            // A link is judged by what it points to.
            let is_link = entry.file_type().is_ok_and(|t| t.is_symlink());
            let file_type = if is_link {
                std::fs::metadata(&path).map(|m| m.file_type())
            } else {
                entry.file_type()
            };
            let file_type = match file_type {
                Ok(t) => t,
                Err(e) => return vec![Met::Problem(path.clone(), reason_for(&path, &e))],
            };
            // Not a link: the entry's own stat (relative to its folder, no path walk).
            let meta = |entry: &std::fs::DirEntry, path: &Path| {
                if is_link {
                    std::fs::metadata(path)
                } else {
                    entry.metadata()
                }
            };
            if file_type.is_dir() {
                let identity = meta(entry, &path).ok().and_then(|m| file_identity(&m));
                if identity.is_some_and(|id| ancestors.contains(&id)) {
                    return vec![Met::Problem(path, SkipReason::SymlinkLoop)];
                }
                let mut below = ancestors.to_vec();
                below.extend(identity);
                return visit(&path, &store_dir.join(name), &key, &below);
            }
            if !has_article_extension(&path) {
                return vec![Met::Ignored];
            }
            // Decided by what a link resolves to: a FIFO, a device or a socket named
            // like an article is reported, never opened.
            if !file_type.is_file() {
                return vec![Met::Problem(path, SkipReason::NotAFile)];
            }
            match meta(entry, &path) {
                Ok(meta) => vec![Met::File(
                    Candidate {
                        display: display(&path),
                        store_key: store_dir.join(name),
                        path,
                        key,
                        size: meta.len(),
                        stamp: Stamp::of(&meta),
                    },
                    file_identity(&meta),
                )],
                Err(e) => vec![Met::Problem(path.clone(), reason_for(&path, &e))],
            }
        })
        .collect::<Vec<Vec<Met>>>()
        .into_iter()
        .flatten()
        .collect()
}

fn push(
    found: &mut Found,
    seen: &mut HashSet<(u64, u64)>,
    path: PathBuf,
    key: String,
    store_key: PathBuf,
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
        stamp: Stamp::of(meta),
        store_key,
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

/// Whether a change at `path` could touch an article under one of `roots`: a
/// file the walk would read, or a folder it would enter (or the root itself).
/// `gone`: the path no longer exists, so it may have been a folder of any name.
pub fn could_be_article(path: &Path, roots: &[PathBuf], gone: bool) -> bool {
    let Some(inside) = roots.iter().find_map(|root| path.strip_prefix(root).ok()) else {
        return false;
    };
    !inside.iter().any(is_hidden) && (gone || has_article_extension(path) || path.is_dir())
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

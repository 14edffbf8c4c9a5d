//! The state file: a checksummed text format, read strictly, written atomically (temporary file, fsync, rename) under a lock shared by every folio process.
//!
//! ```text
//! (→ is a tab)
//! folio-state 1
//! last → <id> → <changed>
//! <id> → <flags: r read, s starred, - neither> → <para> → <offset> → <when read changed> → <when starred changed> → <when position changed>
//! …
//! end → <entries> → <sha1 of everything above>
//! ```
//! A file cut short or changed by hand fails the check and is never half read.

use std::fmt::Write as _;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::{Entry, Last, Marks, Position, Stamps};

pub const FILE_NAME: &str = "state.tsv";
const LOCK_NAME: &str = "state.lock";
const HEADER: &str = "folio-state 1";

/// Why the state could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: io::Error,
    },
    #[error("{path}: held by another folio process that does not let go")]
    Locked { path: String },
    #[error("{path}:{line}: {what}")]
    Corrupt {
        path: String,
        line: usize,
        what: String,
    },
}

impl StateError {
    fn io(path: &Path, source: io::Error) -> Self {
        StateError::Io {
            path: path.display().to_string(),
            source,
        }
    }
}

/// Reads the state file at `path`; a missing file is an empty state.
pub fn read_file(path: &Path) -> Result<Marks, StateError> {
    match fs::read(path) {
        Ok(bytes) => parse(&bytes).map_err(|(line, what)| StateError::Corrupt {
            path: path.display().to_string(),
            line,
            what,
        }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Marks::default()),
        Err(e) => Err(StateError::io(path, e)),
    }
}

/// Parses the whole file, or says at which line it is broken.
fn parse(bytes: &[u8]) -> Result<Marks, (usize, String)> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| (line_at(bytes, e.valid_up_to()), "not UTF-8".to_owned()))?;
    if !text.ends_with('\n') {
        return Err((
            line_at(bytes, bytes.len()),
            "the file was cut short".to_owned(),
        ));
    }
    let body_end = text
        .trim_end_matches('\n')
        .rfind('\n')
        .map(|i| i + 1)
        .ok_or((1, "no end line: the file was cut short".to_owned()))?;
    let (body, end_line) = text.split_at(body_end);
    let lines = body.lines().count();
    let mut end = end_line.trim_end_matches('\n').split('\t');
    let (Some("end"), Some(count), Some(sum), None) =
        (end.next(), end.next(), end.next(), end.next())
    else {
        return Err((lines + 1, "no end line: the file was cut short".to_owned()));
    };
    if sha1_smol::Sha1::from(body).digest().to_string() != sum {
        return Err((
            lines + 1,
            "checksum does not match: the file was changed or damaged".to_owned(),
        ));
    }
    let mut marks = Marks::default();
    marks.entries.reserve(lines);
    let mut body_lines = body.lines().enumerate().map(|(i, l)| (i + 1, l));
    match body_lines.next() {
        Some((_, HEADER)) => {}
        _ => return Err((1, format!("not a folio state file (expected {HEADER:?})"))),
    }
    for (n, line) in body_lines {
        let mut fields = [""; 8];
        let mut found = 0;
        for field in line.split('\t').take(8) {
            fields[found] = field;
            found += 1;
        }
        let fields = &fields[..found];
        let bad = |what: &str| (n, what.to_owned());
        let number = |s: &str| s.parse::<u64>().map_err(|_| bad("a number was expected"));
        match fields {
            ["last", id, changed] => {
                marks.last = Some(Last {
                    id: (*id).to_owned(),
                    changed: number(changed)?,
                })
            }
            [id, flags, para, offset, read_at, starred_at, position_at] => {
                if id.is_empty() || !flags.chars().all(|c| matches!(c, 'r' | 's' | '-')) {
                    return Err(bad("bad entry"));
                }
                let (para, offset) = (number(para)?, number(offset)?);
                let position = (para > 0 || offset > 0).then(|| Position {
                    para: para.min(u64::from(u32::MAX)) as u32,
                    offset: offset.min(u64::from(u32::MAX)) as u32,
                });
                let entry = Entry {
                    read: flags.contains('r'),
                    starred: flags.contains('s'),
                    position,
                    stamps: Stamps {
                        read: number(read_at)?,
                        starred: number(starred_at)?,
                        position: number(position_at)?,
                    },
                };
                marks.entries.insert((*id).to_owned(), entry);
            }
            _ => return Err(bad("bad line")),
        }
    }
    if count.parse::<usize>().ok() != Some(marks.entries.len()) {
        return Err((lines + 1, "entry count does not match".to_owned()));
    }
    Ok(marks)
}

fn line_at(bytes: &[u8], at: usize) -> usize {
    bytes[..at.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The file's text for `marks`.
fn format(marks: &Marks) -> String {
    let mut out = String::with_capacity(64 + marks.entries.len() * 40);
    out.push_str(HEADER);
    out.push('\n');
    if let Some(last) = &marks.last {
        out.push_str("last\t");
        push_id(&mut out, &last.id);
        let _ = writeln!(out, "\t{}", last.changed);
    }
    // In no particular order: sorting 100,000 ids would cost more than the rest.
    for (id, e) in &marks.entries {
        let flags = match (e.read, e.starred) {
            (true, true) => "rs",
            (true, false) => "r",
            (false, true) => "s",
            (false, false) => "-",
        };
        let p = e.position.unwrap_or_default();
        push_id(&mut out, id);
        let t = &e.stamps;
        let _ = writeln!(
            out,
            "\t{flags}\t{}\t{}\t{}\t{}\t{}",
            p.para, p.offset, t.read, t.starred, t.position
        );
    }
    let sum = sha1_smol::Sha1::from(&out).digest().to_string();
    out.push_str(&format!("end\t{}\t{sum}\n", marks.entries.len()));
    out
}

/// Ids are hex digits; anything else is kept off the format's separators.
fn push_id(out: &mut String, id: &str) {
    if id.contains(['\t', '\n', '\r']) {
        out.push_str(&id.replace(['\t', '\n', '\r'], " "));
    } else {
        out.push_str(id);
    }
}

/// Writes `marks` to `path` so that the file is always either the old one or the
/// new one, whole: a temporary file beside it, fsync, rename, fsync of the folder.
///
/// The temporary file is always a new file (`O_EXCL`, no symlink followed), so a
/// link planted at its name is never written through. When `path` itself is a
/// symlink (a user's state kept in a synced folder), the file it points to is
/// replaced, and the link stays.
pub(super) fn write_atomically(path: &Path, marks: &Marks) -> Result<(), StateError> {
    let target = resolve_link(path);
    let dir = target.parent().unwrap_or(Path::new("."));
    let (mut file, tmp) = create_temporary(dir).map_err(|e| StateError::io(path, e))?;
    let result = (|| {
        file.write_all(format(marks).as_bytes())?;
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, &target)?;
        // The rename itself must reach the disk.
        if let Ok(dir) = File::open(dir) {
            let _ = dir.sync_all();
        }
        Ok(())
    })();
    result.map_err(|e| {
        let _ = fs::remove_file(&tmp);
        StateError::io(path, e)
    })
}

/// The file a symlink at `path` finally points to (the path itself when it is not
/// a link, or when the chain cannot be followed).
fn resolve_link(path: &Path) -> PathBuf {
    let mut current = path.to_path_buf();
    for _ in 0..16 {
        let is_link = fs::symlink_metadata(&current).is_ok_and(|m| m.file_type().is_symlink());
        if !is_link {
            return current;
        }
        let Ok(next) = fs::read_link(&current) else {
            return current;
        };
        current = match current.parent() {
            Some(dir) if next.is_relative() => dir.join(next),
            _ => next,
        };
    }
    path.to_path_buf()
}

/// A new, empty temporary file in `dir`, created exclusively and never through a symlink.
fn create_temporary(dir: &Path) -> io::Result<(File, PathBuf)> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options
            .mode(0o600)
            .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
    }
    let pid = std::process::id();
    let mut last = io::Error::other("no temporary name was free");
    for n in 0..64u32 {
        let tmp = dir.join(format!(".{FILE_NAME}.{pid}.{n}.tmp"));
        match options.open(&tmp) {
            Ok(file) => return Ok((file, tmp)),
            // Taken (by a leftover, or a planted link): try the next name.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = e,
            Err(e) => return Err(e),
        }
    }
    Err(last)
}

/// Removes temporary files left by a process killed while writing. A live writer
/// holds the lock while its temporary file exists, so under the lock any is a leftover.
pub(super) fn remove_leftovers(dir: &Path) {
    let Ok(_lock) = Lock::take(dir, Duration::ZERO) else {
        return;
    };
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let prefix = format!(".{FILE_NAME}.");
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(&prefix) && name.ends_with(".tmp") {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Moves a damaged file aside, with the time in its name, so nothing is lost;
/// returns the new name.
pub(super) fn move_aside(path: &Path) -> io::Result<PathBuf> {
    let secs = super::now_ms() / 1000;
    let stamp = chrono::DateTime::from_timestamp(secs as i64, 0).map_or_else(
        || secs.to_string(),
        |t| t.format("%Y%m%dT%H%M%SZ").to_string(),
    );
    let mut aside = path.with_file_name(format!("{FILE_NAME}.corrupt-{stamp}"));
    let mut n = 1;
    while aside.exists() {
        aside = path.with_file_name(format!("{FILE_NAME}.corrupt-{stamp}-{n}"));
        n += 1;
    }
    fs::rename(path, &aside)?;
    Ok(aside)
}

/// An exclusive lock on the state folder, held while a process reads, merges and
/// writes, so that two processes never write over each other's changes.
pub(super) struct Lock {
    _file: File,
}

impl Lock {
    /// Takes the lock, waiting up to `patience` for another process to let it go (a
    /// process stopped with Ctrl-Z in the middle of a save must not hang this one).
    pub(super) fn take(dir: &Path, patience: Duration) -> Result<Lock, StateError> {
        let path = dir.join(LOCK_NAME);
        let mut options = OpenOptions::new();
        options.create(true).truncate(false).write(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
        }
        let file = options.open(&path).map_err(|e| StateError::io(&path, e))?;
        let give_up = Instant::now() + patience;
        loop {
            match rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockExclusive) {
                // Unlocked when the file is closed.
                Ok(()) => return Ok(Lock { _file: file }),
                Err(rustix::io::Errno::WOULDBLOCK) if Instant::now() < give_up => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(rustix::io::Errno::WOULDBLOCK) => {
                    return Err(StateError::Locked {
                        path: path.display().to_string(),
                    });
                }
                Err(e) => return Err(StateError::io(&path, e.into())),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Marks {
        let mut m = Marks::default();
        m.entries.insert(
            "0123456789ab".into(),
            Entry {
                read: true,
                starred: true,
                position: Some(Position {
                    para: 12,
                    offset: 345,
                }),
                stamps: Stamps {
                    read: 1_700_000_000_000,
                    starred: 3,
                    position: 4,
                },
            },
        );
        m.entries.insert(
            "ba9876543210".into(),
            Entry {
                read: false,
                starred: false,
                position: None,
                stamps: Stamps::default(),
            },
        );
        m.last = Some(Last {
            id: "0123456789ab".into(),
            changed: 7,
        });
        m
    }

    #[test]
    fn round_trips() {
        let m = sample();
        assert_eq!(parse(format(&m).as_bytes()), Ok(m));
        assert_eq!(
            parse(format(&Marks::default()).as_bytes()),
            Ok(Marks::default())
        );
    }

    #[test]
    fn any_cut_or_change_is_caught() {
        let text = format(&sample());
        for cut in 0..text.len() {
            assert!(parse(&text.as_bytes()[..cut]).is_err(), "cut at {cut}");
        }
        let changed = text.replacen("\tr", "\t-", 1);
        assert!(parse(changed.as_bytes()).is_err());
        assert!(parse(b"\xff\xfe garbage").is_err());
    }

    #[test]
    fn written_atomically_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        assert_eq!(read_file(&path).unwrap(), Marks::default());
        write_atomically(&path, &sample()).unwrap();
        assert_eq!(read_file(&path).unwrap(), sample());
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, [FILE_NAME], "no temporary file left");
        fs::write(&path, "garbage").unwrap();
        assert!(matches!(
            read_file(&path),
            Err(StateError::Corrupt { line: 1, .. })
        ));
        let aside = move_aside(&path).unwrap();
        assert!(!path.exists() && aside.exists());
        assert!(
            aside
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("state.tsv.corrupt-")
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_link_planted_at_a_temporary_name_is_never_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim.txt");
        fs::write(&victim, "precious").unwrap();
        for n in 0..3 {
            let planted = dir
                .path()
                .join(format!(".{FILE_NAME}.{}.{n}.tmp", std::process::id()));
            std::os::unix::fs::symlink(&victim, &planted).unwrap();
        }
        let path = dir.path().join(FILE_NAME);
        write_atomically(&path, &sample()).unwrap();
        assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
        assert_eq!(read_file(&path).unwrap(), sample());
        assert!(
            !fs::symlink_metadata(&path)
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_users_own_link_to_a_synced_folder_keeps_working() {
        let dir = tempfile::tempdir().unwrap();
        let synced = tempfile::tempdir().unwrap();
        let real = synced.path().join("folio-state.tsv");
        write_atomically(&real, &Marks::default()).unwrap();
        let path = dir.path().join(FILE_NAME);
        std::os::unix::fs::symlink(&real, &path).unwrap();
        write_atomically(&path, &sample()).unwrap();
        assert!(
            fs::symlink_metadata(&path)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(read_file(&real).unwrap(), sample());
        assert_eq!(read_file(&path).unwrap(), sample());
        // The temporary file was made beside the target, and is gone.
        assert_eq!(fs::read_dir(synced.path()).unwrap().count(), 1);
    }
}

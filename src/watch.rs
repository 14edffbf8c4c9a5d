//! Notices files arriving, changing and leaving in the opened folders while the browser runs, and says when to look at them again.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, EventKind, ModifyKind};
use notify::{RecommendedWatcher, RecursiveMode, Watcher};

/// Why the folders should be looked at again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wake {
    /// Something changed in a watched folder.
    Changed,
    /// The user asked (the `rescan` key).
    Rescan,
    /// The browser is closing.
    Stop,
}

/// How long the folders must be quiet before a change is taken in: a copy of many
/// files is read once, not once per file.
pub const QUIET: Duration = Duration::from_millis(250);
/// The longest a change waits for quiet: files copied for minutes still show up.
pub const PATIENCE: Duration = Duration::from_millis(1000);
/// How often the folders are looked at when they cannot be watched.
pub const POLL_EVERY: Duration = Duration::from_secs(15);

/// The folders being watched, or why they are looked at every so often instead.
pub struct Watching {
    /// Kept alive while the folders are watched.
    _watcher: Option<RecommendedWatcher>,
    /// Look at the folders this often (they cannot all be watched).
    pub poll: Option<Duration>,
    /// Said once to the user when watching is not possible.
    pub note: Option<String>,
}

/// Watches `roots` (recursively), sending [`Wake::Changed`] to `wake` whenever a
/// file that could be an article, or a folder, changes under them. Where watching
/// cannot work (a network filesystem, the system's limit on watches), the folders
/// are to be looked at every [`POLL_EVERY`] instead, and the note says so.
pub fn watch(roots: &[PathBuf], wake: mpsc::Sender<Wake>) -> Watching {
    let polling = |why: String| Watching {
        _watcher: None,
        poll: Some(POLL_EVERY),
        note: Some(format!(
            "{why}: new files are looked for every {} s (r looks now)",
            POLL_EVERY.as_secs()
        )),
    };
    if roots.iter().any(|r| on_network_filesystem(r)) {
        return polling(
            "the folders are on a network filesystem, which cannot be watched".to_owned(),
        );
    }
    let watched: Vec<PathBuf> = roots.to_vec();
    let handler = move |event: notify::Result<notify::Event>| {
        let relevant = match &event {
            Ok(event) => matters(event, &watched),
            // A lost event (the kernel's queue overflowed): look at everything again.
            Err(_) => true,
        };
        if relevant {
            let _ = wake.send(Wake::Changed);
        }
    };
    let mut watcher = match notify::recommended_watcher(handler) {
        Ok(watcher) => watcher,
        Err(e) => return polling(format!("cannot watch the folders ({})", reason(&e))),
    };
    for root in roots {
        if let Err(e) = watcher.watch(root, RecursiveMode::Recursive) {
            return polling(format!("cannot watch the folders ({})", reason(&e)));
        }
    }
    Watching {
        _watcher: Some(watcher),
        poll: None,
        note: None,
    }
}

/// Waits for the next reason to look at the folders, then for them to be quiet:
/// returns `Some(true)` if the user asked, `Some(false)` for a change (or when it
/// is time to poll), `None` when the browser is closing.
pub fn next(wakes: &mpsc::Receiver<Wake>, poll: Option<Duration>) -> Option<bool> {
    let first = match poll {
        Some(every) => match wakes.recv_timeout(every) {
            Ok(wake) => wake,
            Err(mpsc::RecvTimeoutError::Timeout) => Wake::Changed,
            Err(mpsc::RecvTimeoutError::Disconnected) => return None,
        },
        None => wakes.recv().ok()?,
    };
    let mut asked = match first {
        Wake::Stop => return None,
        Wake::Rescan => return Some(true),
        Wake::Changed => false,
    };
    // Changes come in bursts: wait for a quiet moment, but not for ever.
    let started = Instant::now();
    loop {
        let left = PATIENCE.saturating_sub(started.elapsed());
        if left.is_zero() {
            break;
        }
        match wakes.recv_timeout(QUIET.min(left)) {
            Ok(Wake::Changed) => {}
            Ok(Wake::Rescan) => {
                asked = true;
                break;
            }
            Ok(Wake::Stop) | Err(mpsc::RecvTimeoutError::Disconnected) => return None,
            Err(mpsc::RecvTimeoutError::Timeout) => break,
        }
    }
    // What piled up while waiting is covered by the look about to be taken.
    while let Ok(wake) = wakes.try_recv() {
        match wake {
            Wake::Stop => return None,
            Wake::Rescan => asked = true,
            Wake::Changed => {}
        }
    }
    Some(asked)
}

/// Whether a change could alter the articles: not a file merely read, not
/// something the walk never looks at (hidden files and folders, other kinds of file).
pub fn matters(event: &notify::Event, roots: &[PathBuf]) -> bool {
    let gone = match event.kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => false,
        EventKind::Access(_) => return false,
        EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(_)) => true,
        _ => false,
    };
    // No path: something happened that the system could not say; look again.
    event.paths.is_empty()
        || event
            .paths
            .iter()
            .any(|path| crate::loader::could_be_article(path, roots, gone))
}

fn reason(e: &notify::Error) -> String {
    match &e.kind {
        notify::ErrorKind::MaxFilesWatch => {
            "the system's limit on watched folders is reached".to_owned()
        }
        notify::ErrorKind::PathNotFound => "a folder is missing".to_owned(),
        notify::ErrorKind::Io(io) => crate::sanitize::line(&io.to_string()),
        notify::ErrorKind::Generic(why) => crate::sanitize::line(why),
        _ => crate::sanitize::line(&e.to_string()),
    }
}

/// Network filesystems send no change events for changes made by other machines.
#[cfg(target_os = "linux")]
// `f_type` is i64 on some targets and 32 bits on others.
#[allow(clippy::unnecessary_cast)]
fn on_network_filesystem(path: &Path) -> bool {
    const NETWORK_FILESYSTEMS: &[i64] = &[
        0x6969,      // nfs
        0x517b,      // smb
        0xff53_4d42, // cifs
        0xfe53_4d42, // smb2
        0x0102_1997, // 9p (v9fs)
        0x6573_5546, // fuse (sshfs, rclone, …)
        0x5346_414f, // afs
        0x00c3_6400, // ceph
        0x0bd0_0bd0, // lustre
        0x4750_4653, // gpfs
    ];
    rustix::fs::statfs(path).is_ok_and(|fs| NETWORK_FILESYSTEMS.contains(&(fs.f_type as i64)))
}

#[cfg(not(target_os = "linux"))]
fn on_network_filesystem(_path: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, RemoveKind};

    fn event(kind: EventKind, path: &str) -> notify::Event {
        notify::Event::new(kind).add_path(PathBuf::from(path))
    }

    #[test]
    fn reads_and_hidden_files_do_not_matter() {
        let roots = [PathBuf::from("/news")];
        let created = EventKind::Create(CreateKind::File);
        assert!(matters(&event(created, "/news/2024/a.html"), &roots));
        assert!(matters(&event(created, "/news/2024/no-extension"), &roots));
        assert!(!matters(&event(created, "/news/2024/.a.html.Xy12"), &roots));
        assert!(!matters(&event(created, "/news/.git/index"), &roots));
        assert!(!matters(&event(created, "/news/2024/photo.jpg"), &roots));
        let opened = EventKind::Access(AccessKind::Open(AccessMode::Any));
        assert!(!matters(&event(opened, "/news/2024/a.html"), &roots));
        let written = EventKind::Access(AccessKind::Close(AccessMode::Write));
        assert!(matters(&event(written, "/news/2024/a.html"), &roots));
        let changed = EventKind::Modify(ModifyKind::Any);
        assert!(matters(&event(changed, "/news/a.md"), &roots));
        // A folder removed may have had any name.
        let removed = EventKind::Remove(RemoveKind::Any);
        assert!(matters(&event(removed, "/news/2024.01"), &roots));
        assert!(!matters(&event(removed, "/news/.cache"), &roots));
        assert!(!matters(&event(created, "/elsewhere/a.md"), &roots));
        // A hidden folder above the root is the user's choice, not hidden.
        let roots = [PathBuf::from("/home/u/.news")];
        assert!(matters(&event(created, "/home/u/.news/a.md"), &roots));
    }

    #[test]
    fn a_burst_is_one_wake() {
        let (send, wakes) = mpsc::channel();
        for _ in 0..1000 {
            send.send(Wake::Changed).unwrap();
        }
        assert_eq!(next(&wakes, None), Some(false));
        assert!(wakes.try_recv().is_err());
        send.send(Wake::Changed).unwrap();
        send.send(Wake::Rescan).unwrap();
        assert_eq!(next(&wakes, None), Some(true));
        send.send(Wake::Stop).unwrap();
        assert_eq!(next(&wakes, None), None);
        drop(send);
        assert_eq!(next(&wakes, Some(Duration::from_millis(1))), None);
    }

    #[test]
    fn polling_wakes_on_time() {
        let (_send, wakes) = mpsc::channel();
        assert_eq!(next(&wakes, Some(Duration::from_millis(1))), Some(false));
    }
}

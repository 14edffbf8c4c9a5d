//! Error types of the library: why a file was skipped, and why an article could not be found.

use std::io;

/// Why one file was not turned into an article. The load goes on without it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SkipReason {
    #[error("empty file")]
    Empty,
    #[error("binary file (not text)")]
    Binary,
    #[error("permission denied")]
    PermissionDenied,
    #[error("no such file or directory")]
    NotFound,
    #[error("broken symlink")]
    BrokenSymlink,
    #[error("symlink loop")]
    SymlinkLoop,
    #[error("too large ({size_mb} MB; the limit is {limit_mb} MB)")]
    TooLarge { size_mb: u64, limit_mb: u64 },
    #[error("not a regular file")]
    NotAFile,
    #[error("not ready to be read (a device or a pipe?)")]
    NotReady,
    #[error("not responding: gave up after {seconds} s")]
    TimedOut { seconds: u64 },
    #[error("not read: the filesystem stopped responding")]
    NotRead,
    #[error("read error: {0}")]
    Io(String),
    #[error("internal error while reading: {0}")]
    Panic(String),
}

impl SkipReason {
    /// Maps an I/O error to the reason a user can act on.
    pub fn from_io(err: &io::Error) -> Self {
        match err.kind() {
            io::ErrorKind::PermissionDenied => SkipReason::PermissionDenied,
            io::ErrorKind::NotFound => SkipReason::NotFound,
            io::ErrorKind::IsADirectory => SkipReason::NotAFile,
            _ if err.raw_os_error() == Some(LOOP_ERRNO) => SkipReason::SymlinkLoop,
            _ => SkipReason::Io(crate::sanitize::line(&err.to_string())),
        }
    }
}

/// `ELOOP` on Linux and the BSDs: too many levels of symbolic links.
#[cfg(any(target_os = "linux", target_os = "android"))]
const LOOP_ERRNO: i32 = 40;
#[cfg(not(any(target_os = "linux", target_os = "android")))]
const LOOP_ERRNO: i32 = 62;

/// Why looking an article up by id failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FindError {
    #[error("no article has the id {0:?}")]
    NotFound(String),
    #[error("the id {prefix:?} is ambiguous: it starts {count} ids ({examples})")]
    Ambiguous {
        prefix: String,
        count: usize,
        examples: String,
    },
}

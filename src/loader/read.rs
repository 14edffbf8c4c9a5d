//! Reads one file's bytes with bounded effort: only regular files, opened without blocking, at most the size limit, within a deadline.
//!
//! What the folder walk saw may have changed by the time a file is read: a file
//! may have grown, or been swapped for a FIFO, a device or a link to `/dev/zero`.
//! So the decision is made again on the opened file itself (`fstat`), the open
//! never waits for a writer or a device, and no more than the limit plus one byte
//! is ever read. A read that hangs anyway (a dead network mount) is given up after
//! [`deadline`] by the loader's workers.

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::path::Path;
use std::time::Duration;

use crate::error::SkipReason;

/// A file's bytes, or why they could not be read.
pub type Bytes = Result<Vec<u8>, SkipReason>;

/// Reads `path` if it is a regular file of at most `limit` bytes, without ever
/// blocking on a FIFO or a device and without reading more than `limit + 1` bytes.
pub fn read_bounded(path: &Path, limit: u64) -> Bytes {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let flags = rustix::fs::OFlags::NONBLOCK | rustix::fs::OFlags::NOCTTY;
        options.custom_flags(flags.bits() as i32);
    }
    let file = options.open(path).map_err(|e| SkipReason::from_io(&e))?;
    read_open(file, limit)
}

fn read_open(file: File, limit: u64) -> Bytes {
    let meta = file.metadata().map_err(|e| SkipReason::from_io(&e))?;
    if !meta.is_file() || is_kernel_file(&file) {
        return Err(SkipReason::NotAFile);
    }
    let too_large = |size: u64| SkipReason::TooLarge {
        size_mb: size / (1024 * 1024),
        limit_mb: limit / (1024 * 1024),
    };
    if meta.len() > limit {
        return Err(too_large(meta.len()));
    }
    // The size is a hint (it can change, and /proc files say 0); the limit is not.
    let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::WouldBlock => SkipReason::NotReady,
            _ => SkipReason::from_io(&e),
        })?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Files of the kernel's own filesystems (`/proc`, `/sys`, …) look regular but are
/// not: reading `/proc/kmsg` waits for kernel messages and takes them from syslog.
#[cfg(target_os = "linux")]
// `f_type` is i64 on some targets and 32 bits on others.
#[allow(clippy::unnecessary_cast)]
fn is_kernel_file(file: &File) -> bool {
    const KERNEL_FILESYSTEMS: &[i64] = &[
        0x9fa0,      // proc
        0x6265_6572, // sysfs
        0x6462_6720, // debugfs
        0x7472_6163, // tracefs
        0x7363_6673, // securityfs
        0x6265_6570, // configfs
        0x0027_e0eb, // cgroup
        0x6367_7270, // cgroup2
        0xcafe_4a11, // bpf
        0x6165_676c, // pstore
        0xde5e_81e4, // efivarfs
    ];
    rustix::fs::fstatfs(file).is_ok_and(|fs| KERNEL_FILESYSTEMS.contains(&(fs.f_type as i64)))
}

#[cfg(not(target_os = "linux"))]
fn is_kernel_file(_file: &File) -> bool {
    false
}

/// How long a read may take: generous for a slow disk, short of forever.
pub fn deadline(size: u64) -> Duration {
    Duration::from_secs(5) + Duration::from_millis(size / 4096)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        std::fs::write(&file, "正文").unwrap();
        assert_eq!(read_bounded(&file, 100).unwrap(), "正文".as_bytes());
        assert_eq!(
            read_bounded(dir.path(), 100).unwrap_err(),
            SkipReason::NotAFile
        );
        #[cfg(unix)]
        {
            assert_eq!(
                read_bounded(Path::new("/dev/zero"), 100).unwrap_err(),
                SkipReason::NotAFile
            );
            #[cfg(target_os = "linux")]
            assert_eq!(
                read_bounded(Path::new("/proc/self/status"), 100_000).unwrap_err(),
                SkipReason::NotAFile,
                "a kernel file that looks regular"
            );
            let fifo = dir.path().join("pipe.md");
            rustix::fs::mkfifoat(
                rustix::fs::CWD,
                &fifo,
                rustix::fs::Mode::RUSR | rustix::fs::Mode::WUSR,
            )
            .unwrap();
            // Nobody writes to it: the open must not wait for a writer.
            assert_eq!(read_bounded(&fifo, 100).unwrap_err(), SkipReason::NotAFile);
        }
    }

    #[test]
    fn no_more_than_the_limit_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("big.md");
        std::fs::write(&file, vec![b'x'; 3 * 1024 * 1024]).unwrap();
        assert_eq!(
            read_bounded(&file, 1024 * 1024).unwrap_err(),
            SkipReason::TooLarge {
                size_mb: 3,
                limit_mb: 1
            }
        );
        assert_eq!(
            read_bounded(&file, 4 * 1024 * 1024).unwrap().len(),
            3 * 1024 * 1024
        );
    }
}

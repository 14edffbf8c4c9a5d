//! The server's host key (made once, kept with mode 0600) and the public keys admitted to read.

use std::path::{Path, PathBuf};

use russh::keys::ssh_key::{LineEnding, rand_core::OsRng};
use russh::keys::{Algorithm, HashAlg, PrivateKey, PublicKey};

/// What went wrong with a key file; the message names the file.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("{path}: {message}")]
    File { path: String, message: String },
}

fn problem(path: &Path, message: impl std::fmt::Display) -> KeyError {
    KeyError::File {
        path: crate::loader::display_path(path),
        message: message.to_string(),
    }
}

/// The host key at `path`, made (Ed25519) and written with mode 0600 when there is
/// none yet.
pub fn host_key(path: &Path) -> Result<PrivateKey, KeyError> {
    if path.exists() {
        return PrivateKey::read_openssh_file(path).map_err(|e| problem(path, e));
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| problem(dir, e))?;
    }
    let key = PrivateKey::random(&mut OsRng, Algorithm::Ed25519).map_err(|e| problem(path, e))?;
    // Written with mode 0600 by the key's own writer.
    key.write_openssh_file(path, LineEnding::LF)
        .map_err(|e| problem(path, e))?;
    Ok(key)
}

/// Where the host key is kept by default: beside the state.
pub fn default_host_key(state_dir: Option<&Path>) -> Option<PathBuf> {
    state_dir
        .map(Path::to_path_buf)
        .or_else(crate::state::default_dir)
        .map(|dir| dir.join("ssh_host_ed25519_key"))
}

/// The public keys of an `authorized_keys` file. A key with options (`from=`,
/// `command=`, `restrict`, `cert-authority`…) is left out: folio cannot honour
/// them, and admitting such a key without its limits would admit more than meant.
pub fn authorized_keys(path: &Path) -> Result<Vec<PublicKey>, KeyError> {
    let text = std::fs::read_to_string(path).map_err(|e| problem(path, e))?;
    let mut keys = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        // A line that starts with its key type has no options.
        let Some(kind) = line.split_whitespace().next() else {
            continue;
        };
        let is_key_type =
            kind.starts_with("ssh-") || kind.starts_with("ecdsa-") || kind.starts_with("sk-");
        if !is_key_type {
            continue;
        }
        let key = PublicKey::from_openssh(line)
            .map_err(|e| problem(path, format!("line {}: {e}", n + 1)))?;
        keys.push(key);
    }
    Ok(keys)
}

/// `SHA256:…`, as `ssh-keygen -l` writes it.
pub fn fingerprint(key: &PublicKey) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}

/// Whether `key` is one of `admitted` (compared by key, not by comment).
pub fn admitted(admitted: &[PublicKey], key: &PublicKey) -> bool {
    admitted.iter().any(|k| k.key_data() == key.key_data())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_host_key_is_made_once_with_mode_0600() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state/ssh_host_ed25519_key");
        let first = host_key(&path).unwrap();
        let again = host_key(&path).unwrap();
        assert_eq!(
            fingerprint(first.public_key()),
            fingerprint(again.public_key())
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        assert!(fingerprint(first.public_key()).starts_with("SHA256:"));
    }

    #[test]
    fn authorized_keys_are_read_and_compared_by_key() {
        let dir = tempfile::tempdir().unwrap();
        let key = PrivateKey::random(&mut OsRng, Algorithm::Ed25519).unwrap();
        let other = PrivateKey::random(&mut OsRng, Algorithm::Ed25519).unwrap();
        let line = key.public_key().to_openssh().unwrap();
        let file = dir.path().join("authorized_keys");
        std::fs::write(&file, format!("# readers\n{line} someone@example\n")).unwrap();
        let keys = authorized_keys(&file).unwrap();
        assert!(admitted(&keys, key.public_key()));
        assert!(!admitted(&keys, other.public_key()));
        // A key with options is left out.
        std::fs::write(&file, format!("no-pty,no-port-forwarding {line}\n")).unwrap();
        assert!(authorized_keys(&file).unwrap().is_empty());
        std::fs::write(&file, "ssh-ed25519 not-a-key\n").unwrap();
        assert!(authorized_keys(&file).is_err());
    }
}

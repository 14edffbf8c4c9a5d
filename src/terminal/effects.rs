//! Carries out what `update` asked for beyond the screen: copying to the user's clipboard (OSC 52) and opening a browser.

use std::io::Write;
use std::process::{Command, Stdio};

use base64::Engine;

use super::backend::LeanBackend;
use crate::app::overlay::Effect;

/// Does `effect`; the error is a message for the status line.
pub fn carry_out<W: Write>(effect: Effect, backend: &mut LeanBackend<W>) -> Result<(), String> {
    match effect {
        Effect::Copy(text) => {
            let in_tmux = std::env::var_os("TMUX").is_some_and(|v| !v.is_empty());
            backend
                .send(osc52(&text, in_tmux).as_bytes())
                .map_err(|e| format!("cannot copy: {e}"))
        }
        Effect::Open(url) => open(&url),
        // The event loop does these itself.
        Effect::Redraw | Effect::Suspend | Effect::Pipe { .. } => Ok(()),
    }
}

/// The OSC 52 sequence that puts `text` on the clipboard of the terminal the user
/// sits at, even over SSH. Inside tmux it is sent twice: as it is, which tmux takes
/// with `set-clipboard on` (into its buffer and on to the outer terminal), and
/// wrapped, which tmux passes through with `allow-passthrough on`.
pub fn osc52(text: &str, in_tmux: bool) -> String {
    let payload = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    let osc = format!("\x1b]52;c;{payload}\x07");
    if in_tmux {
        // tmux's passthrough: a DCS whose inner escapes are doubled.
        format!("{osc}\x1bPtmux;{}\x1b\\", osc.replace('\x1b', "\x1b\x1b"))
    } else {
        osc
    }
}

/// Opens `url` with `$BROWSER`, else the platform's opener, detached from the terminal.
/// Only absolute web URLs are handed over (never one a browser could read as an option).
fn open(url: &str) -> Result<(), String> {
    let Some(url) = crate::html::web_url(url) else {
        return Err("not a web link: not opened".to_owned());
    };
    let opener = std::env::var("BROWSER")
        .ok()
        .filter(|b| !b.trim().is_empty())
        .unwrap_or_else(|| {
            if cfg!(target_os = "macos") {
                "open"
            } else {
                "xdg-open"
            }
            .to_owned()
        });
    let mut child = Command::new(&opener)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => format!("no browser to open it ({opener} not found)"),
            _ => format!("cannot run {opener}: {e}"),
        })?;
    // Reap it whenever it ends, so no zombie is left behind.
    std::thread::spawn(move || child.wait());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clipboard_sequences() {
        assert_eq!(osc52("hi", false), "\x1b]52;c;aGk=\x07");
        assert_eq!(
            osc52("hi", true),
            "\x1b]52;c;aGk=\x07\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\"
        );
        let zh = osc52("中俄", false);
        assert!(zh.is_ascii(), "the payload is base64 whatever the text");
    }
}

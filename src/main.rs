//! The `folio` binary: parses the command line and hands it to the library.
#![forbid(unsafe_code)]

use std::io::{self, ErrorKind, Write};
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use folio::sanitize::Writer;
use mimalloc::MiMalloc;

/// Many threads allocate the articles' texts at once, and free them together: an
/// allocator made for that (glibc's grows each thread's heap a page run at a time).
#[global_allocator]
static ALLOCATOR: MiMalloc = MiMalloc;

fn main() -> ExitCode {
    // The allocator asks for transparent huge pages: a fresh 2 MiB page is zeroed
    // whole on its first touch, even for a few small objects, which made a search
    // keystroke wait milliseconds on the kernel and the load slower. Off for this
    // process only; nothing else changes if the kernel refuses.
    #[cfg(target_os = "linux")]
    let _ = nix::sys::prctl::set_thp_disable(true);
    match try_main() {
        Ok(code) => code,
        // `folio list | head` closes the pipe early: that is not an error.
        Err(e)
            if e.downcast_ref::<io::Error>()
                .is_some_and(|io| io.kind() == ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            // Not eprintln!: with the terminal gone (a dropped connection) it would panic.
            let _ = writeln!(Writer::new(io::stderr()), "folio: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn try_main() -> anyhow::Result<ExitCode> {
    // Everything printed passes the sanitiser: arguments, paths and values read
    // from files are repeated in messages.
    let cli = match folio::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let text = e.render().to_string();
            if e.use_stderr() {
                Writer::new(io::stderr()).write_all(text.as_bytes())?;
            } else {
                Writer::new(io::stdout()).write_all(text.as_bytes())?;
            }
            return Ok(ExitCode::from(e.exit_code().clamp(0, 255) as u8));
        }
    };
    // Unlocked handles: the load reports progress on stderr from worker threads.
    let mut out = Writer::new(io::stdout());
    let mut err = Writer::new(io::stderr());
    let code = folio::cli::run(cli, &mut out, &mut err).context("cannot write the output")?;
    // The commands flush what they print; a terminal gone by now (a hang-up) must
    // not turn the exit status into an error.
    let _ = out.flush();
    let _ = err.flush();
    Ok(code)
}

//! The `folio` binary: parses the command line and hands it to the library.
#![forbid(unsafe_code)]

use std::io::{self, ErrorKind, Write};
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;

fn main() -> ExitCode {
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
            let _ = writeln!(io::stderr(), "folio: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn try_main() -> anyhow::Result<ExitCode> {
    let cli = folio::cli::Cli::parse();
    // Unlocked handles: the load reports progress on stderr from worker threads.
    folio::cli::run(cli, &mut io::stdout(), &mut io::stderr()).context("cannot write the output")
}

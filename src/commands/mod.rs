//! The non-interactive commands: `list`, `show`, and the load summary they print.

mod export;
mod list;
mod progress;
mod search;
mod show;

use std::io::{self, IsTerminal, Write};

pub use export::{Format, json as show_json, markdown};
pub use list::{ListOptions, list, select};
pub use progress::ProgressMeter;
pub use search::{SearchOptions, search};
pub use show::{render, show};

use crate::loader::Report;

/// One summary line on `err`; with `verbose`, every skipped or degraded file and why.
pub fn report(
    report: &Report,
    loaded: usize,
    verbose: bool,
    err: &mut dyn Write,
) -> io::Result<()> {
    let mut line = format!(
        "folio: {loaded} article{} loaded, {} file{} skipped",
        plural(loaded),
        report.skipped.len(),
        plural(report.skipped.len()),
    );
    if !report.degraded.is_empty() {
        line += &format!(", {} converted with problems", report.degraded.len());
    }
    if report.ignored > 0 {
        line += &format!(
            ", {} other file{} ignored",
            report.ignored,
            plural(report.ignored)
        );
    }
    line += &format!(", {:.2} s", report.elapsed.as_secs_f64());
    let has_details = !report.skipped.is_empty() || !report.degraded.is_empty();
    if has_details && !verbose {
        line += " (-v for details)";
    }
    writeln!(err, "{line}")?;
    if verbose {
        if !report.phases.is_empty() {
            let phases: Vec<String> = report
                .phases
                .iter()
                .map(|(name, d)| format!("{name} {:.3} s", d.as_secs_f64()))
                .collect();
            writeln!(
                err,
                "folio: {} (from the store: {})",
                phases.join(", "),
                report.from_store
            )?;
        }
        for p in &report.skipped {
            writeln!(err, "skipped: {}: {}", p.path, p.reason)?;
        }
        for p in &report.degraded {
            writeln!(err, "degraded: {}: {}", p.path, p.reason)?;
        }
    }
    Ok(())
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The width to wrap to: $COLUMNS, else the terminal's (even when stdout is a pipe), else 80.
pub fn terminal_width() -> usize {
    // $COLUMNS first (a shell sets it for the terminal; `COLUMNS=60 folio show …`).
    if let Some(cols) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0)
    {
        return cols;
    }
    // Piped (`folio show ID | less`): still the terminal's width, asked of the
    // terminal stderr goes to, or the controlling one.
    let on_terminal = io::stdout().is_terminal()
        || io::stderr().is_terminal()
        || std::fs::File::open("/dev/tty").is_ok();
    if on_terminal
        && let Ok((cols, _)) = ratatui::crossterm::terminal::size()
        && cols > 0
    {
        return usize::from(cols);
    }
    80
}

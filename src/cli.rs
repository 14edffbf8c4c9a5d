//! The command line: arguments, validated into commands, and their dispatch.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::app::App;
use crate::background::LoadFeed;
use crate::commands;
use crate::loader::{self, Loaded, Source};
use crate::terminal;

/// A terminal browser for large archives of news articles.
///
/// With no PATH, folio opens the sample articles built into it. Without a
/// subcommand it opens the browser (press ? in it for the keys).
#[derive(Debug, Parser)]
#[command(name = "folio", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Article files or folders (read recursively).
    pub paths: Vec<PathBuf>,

    /// List every skipped or degraded file and why.
    #[arg(short, long, global = true)]
    pub verbose: bool,

    /// In the browser, let the mouse scroll and select (this turns off the
    /// terminal's own text selection).
    #[arg(long)]
    pub mouse: bool,

    /// In the reader, make links clickable (OSC 8 hyperlinks), for terminals that
    /// support them.
    #[arg(long)]
    pub hyperlinks: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print one line per article, newest first: id, date, source, title, path.
    List(ListArgs),
    /// Print one article as plain text, wrapped to a width, with its links.
    Show(ShowArgs),
    /// Print the articles matching a query, best first, as the browser's search finds them.
    ///
    /// Query syntax (as in fzf): space-separated terms must all match; 'term exact
    /// substring; ^term prefix; term$ suffix; !term excludes. Chinese is matched in
    /// traditional and simplified script, and by pinyin (pujing, pj).
    Search(SearchArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Article files or folders (default: the bundled sample articles).
    pub paths: Vec<PathBuf>,

    /// Print JSON Lines with every metadata field instead.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The article's id, or an unambiguous prefix of it (see `folio list`).
    pub id: String,

    /// Article files or folders (default: the bundled sample articles).
    pub paths: Vec<PathBuf>,

    /// Wrap to this many columns (default: the terminal's width, or 80).
    #[arg(long, short, value_parser = clap::value_parser!(u16).range(1..))]
    pub width: Option<u16>,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query (omit it with --queries).
    #[arg(required_unless_present = "queries")]
    pub query: Option<String>,

    /// Article files or folders (default: the bundled sample articles).
    pub paths: Vec<PathBuf>,

    /// Search the text of the articles instead of their titles.
    #[arg(long)]
    pub body: bool,

    /// Print at most N results per query.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,

    /// Print JSON Lines with every field of `folio list --json`, the score and the matched positions.
    #[arg(long)]
    pub json: bool,

    /// Run one query per line of FILE over a single load; each result carries its query.
    #[arg(long, value_name = "FILE")]
    pub queries: Option<PathBuf>,
}

/// Runs the command line, writing results to `out` and messages to `err`.
/// The exit code is 0 when articles were loaded, 1 when none could be.
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<ExitCode> {
    match cli.command {
        Some(Command::List(args)) => {
            let Some(loaded) = load_reporting(&args.paths, cli.verbose, err)? else {
                return Ok(ExitCode::FAILURE);
            };
            commands::list(&loaded.collection, args.json, out)?;
        }
        Some(Command::Show(args)) => {
            let Some(loaded) = load_reporting(&args.paths, cli.verbose, err)? else {
                return Ok(ExitCode::FAILURE);
            };
            let width = args
                .width
                .map_or_else(commands::terminal_width, usize::from);
            match loaded.collection.find(&args.id) {
                Ok(index) => commands::show(&loaded.collection.articles()[index], width, out)?,
                Err(e) => {
                    writeln!(err, "folio: {e}")?;
                    return Ok(ExitCode::FAILURE);
                }
            }
        }
        Some(Command::Search(args)) => return run_search(args, cli.verbose, out, err),
        None => {
            if !(io::stdin().is_terminal() && io::stdout().is_terminal()) {
                // Not in a terminal (a pipe, a script): the list is what can be shown.
                let Some(loaded) = load_reporting(&cli.paths, cli.verbose, err)? else {
                    return Ok(ExitCode::FAILURE);
                };
                commands::list(&loaded.collection, false, out)?;
                return Ok(ExitCode::SUCCESS);
            }
            // The browser opens at once; the articles arrive while it runs.
            let feed = LoadFeed::start(source_of(&cli.paths));
            let mut app = App::loading((80, 24));
            if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
                app.appearance.palette = crate::ui::theme::Palette::Mono;
            }
            app.ssh = ["SSH_CONNECTION", "SSH_TTY", "SSH_CLIENT"]
                .iter()
                .any(|v| std::env::var_os(v).is_some_and(|v| !v.is_empty()));
            let options = terminal::Options {
                mouse: cli.mouse,
                hyperlinks: cli.hyperlinks,
            };
            return Ok(match terminal::run(app, options, Some(feed))? {
                terminal::Outcome::Quit => ExitCode::SUCCESS,
                // The shell convention for "ended by signal N".
                terminal::Outcome::Signal(n) => ExitCode::from(128u8.saturating_add(n as u8)),
            });
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn run_search(
    args: SearchArgs,
    verbose: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<ExitCode> {
    let mut paths = args.paths;
    let queries: Vec<String> = match &args.queries {
        Some(file) => {
            // With --queries, a first positional argument is a path, not a query.
            if let Some(first) = args.query {
                paths.insert(0, PathBuf::from(first));
            }
            match std::fs::read_to_string(file) {
                Ok(text) => text
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_owned)
                    .collect(),
                Err(e) => {
                    writeln!(err, "folio: cannot read {}: {e}", file.display())?;
                    return Ok(ExitCode::from(2));
                }
            }
        }
        None => args.query.into_iter().collect(),
    };
    let Some(loaded) = load_reporting(&paths, verbose, err)? else {
        return Ok(ExitCode::FAILURE);
    };
    let options = commands::SearchOptions {
        body: args.body,
        limit: args.limit,
        json: args.json,
        tag_query: args.queries.is_some(),
    };
    commands::search(&loaded.collection, &queries, &options, out)?;
    Ok(ExitCode::SUCCESS)
}

/// The bundled articles when no path is given.
fn source_of(paths: &[PathBuf]) -> Source {
    if paths.is_empty() {
        Source::Bundled
    } else {
        Source::Paths(paths.to_vec())
    }
}

/// Loads `paths` (the bundled articles when empty) and reports on `err`.
/// `None` when no article could be loaded.
fn load_reporting(
    paths: &[PathBuf],
    verbose: bool,
    err: &mut dyn Write,
) -> io::Result<Option<Loaded>> {
    let source = source_of(paths);
    let loaded = if io::stderr().is_terminal() {
        let meter = commands::ProgressMeter::new();
        let loaded = loader::load(&source, &|p| meter.update(p));
        meter.finish();
        loaded
    } else {
        loader::load(&source, &|_| {})
    };
    commands::report(&loaded.report, loaded.collection.len(), verbose, err)?;
    if loaded.collection.is_empty() {
        writeln!(err, "folio: no articles could be loaded")?;
        if !verbose && !loaded.report.skipped.is_empty() {
            writeln!(err, "folio: run with -v to see why each file was skipped")?;
        }
        return Ok(None);
    }
    Ok(Some(loaded))
}

//! The command line: arguments, validated into commands, and their dispatch.

use std::io::{self, IsTerminal, Write};
use std::mem::ManuallyDrop;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand};

use crate::app::App;
use crate::article::Article;
use crate::background::LoadFeed;
use crate::commands;
use crate::config::{self, Config};
use crate::format;
use crate::loader::{self, Loaded, Source};
use crate::state::{self, Marks, Store};
use crate::store::{self, Archive};
use crate::terminal;
use crate::ui::theme::Palette;

/// A terminal browser for large archives of news articles.
///
/// With no PATH, folio opens the paths of its config file, or else the sample
/// articles built into it. Without a subcommand it opens the browser (press ? in it
/// for the keys).
#[derive(Debug, Parser)]
#[command(name = "folio", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Article files or folders (read recursively).
    pub paths: Vec<PathBuf>,

    /// List every skipped or degraded file and why.
    #[arg(short, long, global = true)]
    pub verbose: bool,

    /// Read this config file instead of $XDG_CONFIG_HOME/folio/config.toml
    /// (or ~/.config/folio/config.toml).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// In the browser, let the mouse scroll and select (this turns off the
    /// terminal's own text selection). Also a config setting.
    #[arg(long)]
    pub mouse: bool,

    /// In the reader, make links clickable (OSC 8 hyperlinks), for terminals that
    /// support them. Also a config setting.
    #[arg(long)]
    pub hyperlinks: bool,

    /// Keep read marks, stars and reading positions in DIR (default: $FOLIO_STATE_DIR,
    /// else $XDG_STATE_HOME/folio or ~/.local/state/folio).
    #[arg(long, global = true, value_name = "DIR")]
    pub state_dir: Option<PathBuf>,

    /// Keep the archive store (converted articles, reused while their files are
    /// unchanged) in DIR (default: $FOLIO_CACHE_DIR, else $XDG_CACHE_HOME/folio or
    /// ~/.cache/folio).
    #[arg(long, global = true, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,

    /// Read and convert every file again, refreshing the archive store (for files
    /// changed without their size or modification time changing).
    #[arg(long, global = true)]
    pub rescan: bool,

    /// In the browser, do not watch the folders for new, changed and removed files
    /// (`r` still looks at them again).
    #[arg(long)]
    pub no_watch: bool,
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
    /// Print the default config file, or check one.
    Config(ConfigArgs),
    /// The archive store: where it is and what it holds, or clear it.
    Cache(CacheArgs),
    /// Serve the articles over SSH: `ssh -p 2222 reader@host` opens the browser.
    ///
    /// One loaded archive, every reader in a browser of their own; nothing else is
    /// served (no shell, no commands, no forwarding). Give --authorized-keys FILE to
    /// admit those keys, or --open to admit anyone.
    Serve(ServeArgs),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Article files or folders (default: the config's paths, else the bundled ones).
    pub paths: Vec<PathBuf>,

    /// Where to listen (default 127.0.0.1:2222). A public address must be asked for.
    #[arg(long, value_name = "ADDR:PORT")]
    pub listen: Option<std::net::SocketAddr>,

    /// Admit only the public keys in FILE (OpenSSH authorized_keys format).
    #[arg(long, value_name = "FILE", conflicts_with = "open")]
    pub authorized_keys: Option<PathBuf>,

    /// Admit anyone (a public reading room); a key offered is still verified.
    #[arg(long)]
    pub open: bool,

    /// The host key (made, Ed25519, with mode 0600 if missing; default: in the
    /// state folder).
    #[arg(long, value_name = "FILE")]
    pub host_key: Option<PathBuf>,

    /// At most N readers at once (default 64).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub max_sessions: Option<u32>,

    /// End a session after SECONDS without a key (default 1800; a warning a minute
    /// before).
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u32).range(1..=604_800))]
    pub idle_timeout: Option<u32>,

    /// At most N connections at once from one address (default 8).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub per_address: Option<u32>,

    /// At most N new connections a minute from one address (default 30).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub per_minute: Option<u32>,

    /// Close a connection not authenticated after SECONDS (default 10).
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u32).range(1..=600))]
    pub auth_timeout: Option<u32>,

    /// Check the options and keys, print what would be served, and exit.
    #[arg(long)]
    pub check: bool,
}

#[derive(Debug, Args)]
pub struct CacheArgs {
    #[command(subcommand)]
    pub action: CacheAction,
}

#[derive(Debug, Subcommand)]
pub enum CacheAction {
    /// Where the store is, its size, entries and the archives it serves.
    Status,
    /// Delete the store (it is only a cache: the next run makes it again).
    Clear,
}

#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct ConfigArgs {
    /// Print the default config file: every setting, its default value and what it does.
    #[arg(long)]
    pub default: bool,

    /// Check a config file (default: --config FILE, or the default location): print
    /// `ok`, or the error and exit with status 2.
    #[arg(long, value_name = "FILE", num_args = 0..=1)]
    pub check: Option<Option<PathBuf>>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Article files or folders (default: the bundled sample articles).
    pub paths: Vec<PathBuf>,

    /// Print JSON Lines with every metadata field instead.
    #[arg(long)]
    pub json: bool,

    /// text (the default) or json (as --json).
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,

    /// Only articles not read yet (in the browser, or marked with m).
    #[arg(long)]
    pub unread: bool,

    /// Only starred articles.
    #[arg(long)]
    pub starred: bool,

    /// A query in the search box's language: @source, #tag, by:author,
    /// after:/before:/on: DATE (2023, 2023-10, 2023-10-21, today, 7d, 4w),
    /// is:unread|read|starred, ! to negate, and title terms (which rank the list).
    #[arg(long, value_name = "QUERY")]
    pub filter: Option<String>,

    /// Run the saved search NAME (the config file's [searches]).
    #[arg(long, value_name = "NAME")]
    pub search: Option<String>,

    #[command(flatten)]
    pub shorthands: Shorthands,
}

/// How `folio list` writes its lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

/// Flags for the filter terms, for scripts: each adds one term to the query.
#[derive(Debug, Args, Default)]
pub struct Shorthands {
    /// Only articles from this source (as @SOURCE).
    #[arg(long, value_name = "SOURCE")]
    pub source: Option<String>,

    /// Only articles with this tag (as #TAG).
    #[arg(long, value_name = "TAG")]
    pub tag: Option<String>,

    /// Only articles by this author (as by:AUTHOR).
    #[arg(long, value_name = "AUTHOR")]
    pub author: Option<String>,

    /// Only articles dated DATE or later (as after:DATE).
    #[arg(long, value_name = "DATE")]
    pub after: Option<String>,

    /// Only articles dated before DATE (as before:DATE).
    #[arg(long, value_name = "DATE")]
    pub before: Option<String>,

    /// The order: newest, oldest, title, source or read (default: the config's sort).
    #[arg(long, value_name = "NAME")]
    pub sort: Option<String>,
}

impl Shorthands {
    /// The filter terms the flags stand for, written in the query language.
    fn terms(&self) -> String {
        let quoted = |op: &str, v: &Option<String>| {
            v.as_ref()
                .map(|v| format!("{op}\"{}\"", v.replace('"', "")))
        };
        [
            quoted("@", &self.source),
            quoted("#", &self.tag),
            quoted("by:", &self.author),
            quoted("after:", &self.after),
            quoted("before:", &self.before),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
    }
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

    /// text (wrapped, as the reader sets it), markdown (emphasis, links, headings,
    /// quotes and lists kept) or json (every field, the text and the links).
    #[arg(long, value_enum, default_value_t = commands::Format::Text)]
    pub format: commands::Format,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query. With --queries there is none: every argument is then a PATH.
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

    /// Run one query per line of FILE over a single load; each result carries its
    /// query. Give no QUERY with it: `folio search --queries q.txt PATH…`.
    #[arg(long, value_name = "FILE")]
    pub queries: Option<PathBuf>,
}

/// `folio serve`: checks the keys and options before loading anything, then loads
/// the archive once and serves it until stopped.
fn run_serve(
    args: ServeArgs,
    config: &Config,
    cache: &Cache,
    state_dir: Option<&std::path::Path>,
    verbose: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<ExitCode> {
    // Flags win over the config file's [serve] table, which wins over the defaults.
    let settings = &config.serve;
    let listen = args
        .listen
        .or(settings.listen)
        .unwrap_or_else(|| std::net::SocketAddr::from(([127, 0, 0, 1], 2222)));
    let mut args = args;
    args.listen = Some(listen);
    args.authorized_keys = args
        .authorized_keys
        .take()
        .or_else(|| settings.authorized_keys.clone());
    args.open = args.open || settings.open;
    args.host_key = args.host_key.take().or_else(|| settings.host_key.clone());
    let max_sessions = args
        .max_sessions
        .or(settings.max_sessions)
        .unwrap_or(64)
        .max(1);
    let per_address = args
        .per_address
        .or(settings.per_address)
        .unwrap_or(8)
        .max(1);
    let per_minute = args.per_minute.or(settings.per_minute).unwrap_or(30).max(1);
    let auth_timeout = args
        .auth_timeout
        .or(settings.auth_timeout)
        .unwrap_or(10)
        .max(1);
    let idle_timeout = args
        .idle_timeout
        .or(settings.idle_timeout)
        .unwrap_or(1800)
        .max(1);
    // Without --authorized-keys or --open: the keys the user's own sshd account
    // admits, else (listening on this machine only) anyone who can reach it.
    let own_keys = std::env::var_os("HOME")
        .map(|home| PathBuf::from(home).join(".ssh/authorized_keys"))
        .filter(|p| p.is_file());
    let (keys_file, open) = match (&args.authorized_keys, args.open, own_keys) {
        (Some(file), _, _) => (Some(file.clone()), false),
        (None, true, _) => (None, true),
        (None, false, Some(own)) => (Some(own), false),
        (None, false, None) if listen.ip().is_loopback() => (None, true),
        (None, false, None) => {
            writeln!(
                err,
                "folio: serve on {} needs --authorized-keys FILE (those keys may read) or --open (anyone may)",
                listen
            )?;
            return Ok(ExitCode::from(USAGE));
        }
    };
    let authorized = match &keys_file {
        Some(file) => match crate::serve::keys::authorized_keys(file) {
            Ok(keys) if keys.is_empty() => {
                writeln!(
                    err,
                    "folio: {}: no public key in it",
                    loader::display_path(file)
                )?;
                return Ok(ExitCode::from(USAGE));
            }
            Ok(keys) => Some(keys),
            Err(e) => {
                writeln!(err, "folio: {e}")?;
                return Ok(ExitCode::from(USAGE));
            }
        },
        None => None,
    };
    let Some(key_path) = args
        .host_key
        .clone()
        .or_else(|| crate::serve::keys::default_host_key(state_dir))
    else {
        writeln!(
            err,
            "folio: no state folder for the host key: give --host-key FILE"
        )?;
        return Ok(ExitCode::from(USAGE));
    };
    let host_key = match crate::serve::keys::host_key(&key_path) {
        Ok(key) => key,
        Err(e) => {
            writeln!(err, "folio: host key: {e}")?;
            return Ok(ExitCode::from(USAGE));
        }
    };
    writeln!(
        out,
        "folio serve: host key {} ({})",
        crate::serve::keys::fingerprint(host_key.public_key()),
        loader::display_path(&key_path)
    )?;
    writeln!(
        out,
        "folio serve: {} on {}, at most {} readers",
        match &authorized {
            Some(keys) => format!("{} admitted keys", keys.len()),
            None => "open to anyone".to_owned(),
        },
        listen,
        max_sessions
    )?;
    out.flush()?;
    if args.check {
        return Ok(ExitCode::SUCCESS);
    }
    let paths = if args.paths.is_empty() {
        config.paths.clone()
    } else {
        args.paths.clone()
    };
    // Loaded once, on the loader's threads, then watched: new, changed and removed
    // files reach every session as they do the local browser.
    let _ = verbose;
    let load_options = cache.options(&paths, Needs::Texts, err)?;
    let mut feed = crate::background::LoadFeed::start(source_of(&paths), load_options, true);
    let finished = loop {
        let mut finished = None;
        for action in feed.poll() {
            match action {
                crate::app::Action::Loaded(handover) => finished = Some(handover),
                crate::app::Action::LoadFailed(why) => {
                    writeln!(err, "folio: {why}")?;
                    return Ok(ExitCode::FAILURE);
                }
                _ => {}
            }
        }
        if let Some(finished) = finished {
            break finished;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    writeln!(
        err,
        "folio: {}",
        crate::app::loaded_message(finished.0.collection.len(), &finished.0.report)
    )?;
    // The readers' own NO_COLOR counts (sent by their ssh), not the server's.
    let appearance = config.appearance();
    let options = crate::serve::Options {
        listen,
        authorized,
        open,
        host_key,
        max_sessions: max_sessions as usize,
        idle: std::time::Duration::from_secs(u64::from(idle_timeout)),
        state_dir: state_dir
            .map(std::path::Path::to_path_buf)
            .or_else(crate::state::default_dir),
        per_address: per_address as usize,
        per_minute: per_minute as usize,
        auth_timeout: std::time::Duration::from_secs(u64::from(auth_timeout)),
    };
    if let Err(e) = crate::serve::run(
        options,
        feed,
        Arc::clone(&finished.0.collection),
        Arc::clone(&finished.0.index),
        config.keymap.clone(),
        appearance,
    ) {
        writeln!(err, "folio: serve: {e}")?;
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

/// Parses a query and a sort order given on the command line; an error is written
/// to `err` (and `None` returned: a usage error).
fn parse_query(
    text: &str,
    sort: Option<&str>,
    config: &Config,
    err: &mut dyn Write,
) -> io::Result<Option<(crate::search::Parsed, crate::sort::SortOrder)>> {
    let query = crate::search::filter::parse(text, crate::search::filter::today());
    if let Some(e) = query.error() {
        writeln!(err, "folio: {e}")?;
        return Ok(None);
    }
    let sort = match sort {
        None => config.sort,
        Some(name) => match crate::sort::SortOrder::parse(name) {
            Some(order) => order,
            None => {
                writeln!(
                    err,
                    "folio: --sort {name}: unknown order (expected {})",
                    crate::sort::SortOrder::names()
                )?;
                return Ok(None);
            }
        },
    };
    Ok(Some((query, sort)))
}

/// The exit status of a usage or config error.
const USAGE: u8 = 2;

/// Runs the command line, writing results to `out` and messages to `err`.
/// The exit code is 0 when articles were loaded, 1 when none could be, 2 when the
/// config file is wrong (before anything else happens).
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<ExitCode> {
    if let Some(Command::Config(args)) = &cli.command {
        return run_config(args, cli.config.as_deref(), out, err);
    }
    if let Some(Command::Cache(args)) = &cli.command {
        return run_cache(&args.action, cli.cache_dir.as_deref(), out, err);
    }
    let config = match Config::load(cli.config.as_deref()) {
        Ok(config) => config,
        Err(e) => {
            writeln!(err, "folio: {e}")?;
            return Ok(ExitCode::from(USAGE));
        }
    };
    crate::wrap::set_ambiguous_wide(config.ambiguous_wide);
    // Paths on the command line win over the config's.
    let paths_or_config = |paths: Vec<PathBuf>| {
        if paths.is_empty() {
            config.paths.clone()
        } else {
            paths
        }
    };
    let cache = Cache {
        dir: cli.cache_dir.clone(),
        rescan: cli.rescan,
    };
    match cli.command {
        Some(Command::Config(_) | Command::Cache(_)) => {}
        Some(Command::List(args)) => {
            let mut text = String::new();
            if let Some(name) = &args.search {
                match config.searches.iter().find(|(n, _)| n == name) {
                    Some((_, query)) => text.push_str(query),
                    None => {
                        let names: Vec<&str> =
                            config.searches.iter().map(|(n, _)| n.as_str()).collect();
                        writeln!(
                            err,
                            "folio: no saved search named {name:?} (the config file's [searches] has {})",
                            if names.is_empty() {
                                "none".to_owned()
                            } else {
                                names.join(", ")
                            }
                        )?;
                        return Ok(ExitCode::from(USAGE));
                    }
                }
            }
            for part in [
                args.filter.clone().unwrap_or_default(),
                args.shorthands.terms(),
            ] {
                text.push(' ');
                text.push_str(&part);
            }
            let Some((query, sort)) =
                parse_query(&text, args.shorthands.sort.as_deref(), &config, err)?
            else {
                return Ok(ExitCode::from(USAGE));
            };
            let paths = paths_or_config(args.paths);
            let Some((loaded, _)) = load_reporting(&paths, &cache, Needs::Heads, cli.verbose, err)?
            else {
                return Ok(ExitCode::FAILURE);
            };
            let marks = read_marks(cli.state_dir.as_deref(), err)?;
            let options = commands::ListOptions {
                json: args.json || args.format == ListFormat::Json,
                unread: args.unread,
                starred: args.starred,
                query,
                sort,
            };
            commands::list(&loaded.collection, &marks, &options, out)?;
        }
        Some(Command::Show(args)) => {
            let paths = paths_or_config(args.paths);
            let Some((loaded, options)) =
                load_reporting(&paths, &cache, Needs::Heads, cli.verbose, err)?
            else {
                return Ok(ExitCode::FAILURE);
            };
            let width = args
                .width
                .map_or_else(commands::terminal_width, usize::from);
            let index = match loaded.collection.find(&args.id) {
                Ok(index) => index,
                Err(e) => {
                    writeln!(err, "folio: {e}")?;
                    return Ok(ExitCode::FAILURE);
                }
            };
            let article = &loaded.collection.articles()[index];
            // Loaded without its text: read it now, or convert the file again.
            let whole = match &options.archive {
                Some(archive) if !article.has_text() => {
                    loader::fill_text(archive, article).then(|| (**article).clone())
                }
                _ => Some((**article).clone()),
            };
            let whole = match whole {
                Some(whole) => whole,
                None => {
                    let options = loader::Options {
                        heads_only: false,
                        rescan: true,
                        ..options.clone()
                    };
                    let path = article.origin.as_ref().map(|o| o.path.clone());
                    let again = path.and_then(|p| {
                        loader::load_with(&Source::Paths(vec![p]), &options, &|_| {})
                            .collection
                            .articles()
                            .first()
                            .map(|a| (**a).clone())
                    });
                    match again {
                        Some(a) => Article {
                            id: article.id.clone(),
                            path: article.path.clone(),
                            ..a
                        },
                        None => {
                            writeln!(err, "folio: the article's file can no longer be read")?;
                            return Ok(ExitCode::FAILURE);
                        }
                    }
                }
            };
            match args.format {
                commands::Format::Text => commands::show(&whole, width, out)?,
                commands::Format::Markdown => {
                    out.write_all(commands::markdown(&whole).as_bytes())?
                }
                commands::Format::Json => {
                    let marks = read_marks(cli.state_dir.as_deref(), err)?;
                    commands::show_json(&whole, &marks, out)?;
                }
            }
        }
        Some(Command::Search(args)) => {
            let marks = read_marks(cli.state_dir.as_deref(), err)?;
            return run_search(args, &config.paths, &cache, &marks, cli.verbose, out, err);
        }
        Some(Command::Serve(args)) => {
            return run_serve(
                args,
                &config,
                &cache,
                cli.state_dir.as_deref(),
                cli.verbose,
                out,
                err,
            );
        }
        None => {
            // A mistyped path must not open an empty browser: say which, before the
            // terminal is touched.
            let given = cli.paths.clone();
            if !given.is_empty() && !given.iter().any(|p| std::fs::metadata(p).is_ok()) {
                for path in &given {
                    let why = match std::fs::metadata(path) {
                        Err(e) => crate::error::SkipReason::from_io(&e).to_string(),
                        Ok(_) => "cannot be read".to_owned(),
                    };
                    writeln!(err, "folio: {}: {why}", crate::loader::display_path(path))?;
                }
                writeln!(err, "folio: no articles could be loaded")?;
                return Ok(ExitCode::FAILURE);
            }
            let paths = paths_or_config(cli.paths);
            if !(io::stdin().is_terminal() && io::stdout().is_terminal()) {
                // Not in a terminal (a pipe, a script): the list is what can be shown.
                let Some((loaded, _)) =
                    load_reporting(&paths, &cache, Needs::Heads, cli.verbose, err)?
                else {
                    return Ok(ExitCode::FAILURE);
                };
                let marks = read_marks(cli.state_dir.as_deref(), err)?;
                let options = commands::ListOptions {
                    sort: config.sort,
                    ..commands::ListOptions::default()
                };
                commands::list(&loaded.collection, &marks, &options, out)?;
                return Ok(ExitCode::SUCCESS);
            }
            // The browser opens at once; the articles arrive while it runs (their
            // texts with them: full-text search is ready when the load is).
            let options = cache.options(&paths, Needs::Texts, err)?;
            let feed = LoadFeed::start(source_of(&paths), options, !cli.no_watch);
            let mut app = App::loading((80, 24));
            let mut appearance = config.appearance();
            // NO_COLOR is the user's word for every program: it wins over the config.
            if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
                appearance.palette = Palette::Mono;
            }
            app.set_appearance(appearance);
            app.keymap = config.keymap.clone();
            app.sort = config.sort;
            app.searches = config.searches.clone();
            app.ssh = ["SSH_CONNECTION", "SSH_TTY", "SSH_CLIENT"]
                .iter()
                .any(|v| std::env::var_os(v).is_some_and(|v| !v.is_empty()));
            // A flag turns a setting on for this run; it cannot turn the config's off.
            let options = terminal::Options {
                mouse: cli.mouse || config.mouse,
                hyperlinks: cli.hyperlinks || config.hyperlinks,
            };
            let state_dir = cli.state_dir.clone().or_else(state::default_dir);
            let store = state_dir.map(|dir| {
                let (store, marks, reports) = Store::open(&dir);
                app.remember(marks);
                if let Some(first) = reports.first() {
                    app.warning = Some(first.to_string());
                }
                Arc::new(store)
            });
            let outcome = terminal::run(&mut app, options, Some(feed), store.clone());
            // The last changes are written before folio ends (the hang-up watcher
            // holds the store too, so dropping it here would not).
            if let Some(store) = &store {
                store.flush();
            }
            return Ok(match outcome? {
                terminal::Outcome::Quit => ExitCode::SUCCESS,
                // The shell convention for "ended by signal N".
                terminal::Outcome::Signal(n) => ExitCode::from(128u8.saturating_add(n as u8)),
            });
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `folio config --default` and `folio config --check [FILE]`.
fn run_config(
    args: &ConfigArgs,
    global: Option<&std::path::Path>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<ExitCode> {
    if args.default {
        out.write_all(config::default_text().as_bytes())?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let file = args
        .check
        .clone()
        .flatten()
        .or_else(|| global.map(ToOwned::to_owned));
    let checked = match file {
        Some(file) => Config::read(&file),
        None => match config::default_path() {
            Some(path) if path.exists() => Config::read(&path),
            Some(path) => {
                writeln!(
                    err,
                    "folio: no config file at {}: the defaults apply",
                    path.display()
                )?;
                Ok(Config::default())
            }
            None => Ok(Config::default()),
        },
    };
    match checked {
        Ok(config) => {
            for warning in &config.warnings {
                writeln!(err, "folio: warning: {warning}")?;
            }
            writeln!(out, "ok")?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            writeln!(err, "folio: {e}")?;
            Ok(ExitCode::from(USAGE))
        }
    }
}

fn run_search(
    args: SearchArgs,
    config_paths: &[PathBuf],
    cache: &Cache,
    marks: &Marks,
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
                // Queries are printed back beside their results: cleaned here, once.
                Ok(text) => text
                    .lines()
                    .map(crate::sanitize::line)
                    .filter(|l| !l.is_empty())
                    .collect(),
                Err(e) => {
                    writeln!(err, "folio: cannot read {}: {e}", file.display())?;
                    return Ok(ExitCode::from(USAGE));
                }
            }
        }
        None => args.query.into_iter().collect(),
    };
    if paths.is_empty() {
        paths = config_paths.to_vec();
    }
    let needs = if args.body {
        Needs::Texts
    } else {
        Needs::Heads
    };
    let Some((loaded, _)) = load_reporting(&paths, cache, needs, verbose, err)? else {
        return Ok(ExitCode::FAILURE);
    };
    let options = commands::SearchOptions {
        body: args.body,
        limit: args.limit,
        json: args.json,
        tag_query: args.queries.is_some(),
    };
    for query in &queries {
        if let Some(e) = crate::search::filter::parse(query, crate::search::filter::today()).error()
        {
            writeln!(err, "folio: {e}")?;
            return Ok(ExitCode::from(USAGE));
        }
    }
    commands::search(&loaded.collection, marks, &queries, &options, out)?;
    Ok(ExitCode::SUCCESS)
}

/// The remembered marks, for printing; never changed here. A state that cannot be
/// read is reported and taken as empty.
fn read_marks(dir: Option<&Path>, err: &mut dyn Write) -> io::Result<Marks> {
    let Some(dir) = dir.map(Path::to_path_buf).or_else(state::default_dir) else {
        return Ok(Marks::default());
    };
    match state::read_file(&dir.join(state::FILE_NAME)) {
        Ok(marks) => Ok(marks),
        Err(e) => {
            writeln!(err, "folio: cannot read the state: {e}")?;
            Ok(Marks::default())
        }
    }
}

/// The bundled articles when no path is given (on the command line or in the config).
fn source_of(paths: &[PathBuf]) -> Source {
    if paths.is_empty() {
        Source::Bundled
    } else {
        Source::Paths(paths.to_vec())
    }
}

/// How this run uses the archive store.
struct Cache {
    dir: Option<PathBuf>,
    rescan: bool,
}

/// What a command needs of each article.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Needs {
    /// What a list shows: the text is not read from the store.
    Heads,
    /// The texts too.
    Texts,
}

impl Cache {
    /// The load options for `paths`: the store, when there are files to keep and it
    /// can be used (said on `err` when it cannot; folio works without it).
    fn options(
        &self,
        paths: &[PathBuf],
        needs: Needs,
        err: &mut dyn Write,
    ) -> io::Result<loader::Options> {
        let mut options = loader::Options {
            archive: None,
            rescan: self.rescan,
            heads_only: needs == Needs::Heads,
        };
        if paths.is_empty() {
            // The bundled articles: nothing to keep.
            return Ok(options);
        }
        let Some(dir) = self.dir.clone().or_else(store::default_dir) else {
            return Ok(options);
        };
        match Archive::open(&dir) {
            Ok(archive) => options.archive = Some(Arc::new(archive)),
            Err(e) => writeln!(err, "folio: {e}; working without it")?,
        }
        Ok(options)
    }
}

/// `folio cache status` and `folio cache clear`.
fn run_cache(
    action: &CacheAction,
    dir: Option<&Path>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<ExitCode> {
    let Some(dir) = dir.map(ToOwned::to_owned).or_else(store::default_dir) else {
        writeln!(
            err,
            "folio: no cache folder: set --cache-dir, FOLIO_CACHE_DIR or HOME"
        )?;
        return Ok(ExitCode::from(USAGE));
    };
    match action {
        CacheAction::Status => match store::status(&dir) {
            Ok(status) => {
                writeln!(out, "location: {}", dir.join(store::FILE_NAME).display())?;
                writeln!(out, "size: {}", format::bytes(status.bytes))?;
                writeln!(
                    out,
                    "entries: {}",
                    format::thousands(status.entries as usize)
                )?;
                writeln!(out, "archives: {}", status.archives.len())?;
                for (root, files) in &status.archives {
                    writeln!(
                        out,
                        "  {root} ({} files)",
                        format::thousands(*files as usize)
                    )?;
                }
            }
            Err(e) => {
                writeln!(err, "folio: {e}")?;
                return Ok(ExitCode::FAILURE);
            }
        },
        CacheAction::Clear => match store::clear(&dir) {
            Ok(freed) => writeln!(out, "cleared {} ({})", dir.display(), format::bytes(freed))?,
            Err(e) => {
                writeln!(err, "folio: cannot clear {}: {e}", dir.display())?;
                return Ok(ExitCode::FAILURE);
            }
        },
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Loads `paths` (the bundled articles when empty) and reports on `err`.
/// `None` when no article could be loaded.
fn load_reporting(
    paths: &[PathBuf],
    cache: &Cache,
    needs: Needs,
    verbose: bool,
    err: &mut dyn Write,
) -> io::Result<Option<(ManuallyDrop<Loaded>, loader::Options)>> {
    let source = source_of(paths);
    let options = cache.options(paths, needs, err)?;
    let loaded = if io::stderr().is_terminal() {
        let meter = commands::ProgressMeter::new();
        let loaded = loader::load_with(&source, &options, &|event| {
            if let loader::Event::Read { progress, .. } = event {
                meter.update(progress);
            }
        });
        meter.finish();
        loaded
    } else {
        loader::load_with(&source, &options, &|_| {})
    };
    for note in &loaded.report.notes {
        writeln!(err, "folio: {note}")?;
    }
    commands::report(&loaded.report, loaded.collection.len(), verbose, err)?;
    if loaded.collection.is_empty() {
        writeln!(err, "folio: no articles could be loaded")?;
        if !verbose && !loaded.report.skipped.is_empty() {
            writeln!(err, "folio: run with -v to see why each file was skipped")?;
        }
        return Ok(None);
    }
    // A command ends the process once it has printed: freeing a large archive's
    // articles one by one would take a good part of its run, and the system takes
    // the memory back at once.
    Ok(Some((ManuallyDrop::new(loaded), options)))
}

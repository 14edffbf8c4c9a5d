//! The config file: where it is, its settings checked into a [`Config`], and errors that name the file, line and key.

mod keys;
mod template;

use std::fmt;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::app::{Appearance, Keymap};
use crate::article::DateFormat;
use crate::ui::theme::Palette;

pub use keys::{context_name, key_name};
pub use template::default_text;

/// The biggest list width a config may ask for.
pub const MAX_LIST_WIDTH: u16 = 500;

/// Every setting, checked. [`Config::default`] is folio without a config file.
#[derive(Debug, Clone)]
pub struct Config {
    /// Articles to open when no PATH is given; empty for the bundled ones.
    pub paths: Vec<PathBuf>,
    pub palette: Palette,
    /// Columns of the list beside the reader; `None` for the automatic width.
    pub list_width: Option<u16>,
    pub date_format: DateFormat,
    /// The list's order when no search ranks it.
    pub sort: crate::sort::SortOrder,
    /// Named queries (`[searches]`), by name.
    pub searches: Vec<(String, String)>,
    /// `folio serve`'s settings (`[serve]`); flags win over them.
    pub serve: ServeSettings,
    /// The terminal draws ambiguous-width characters two columns wide.
    pub ambiguous_wide: bool,
    pub mouse: bool,
    pub hyperlinks: bool,
    pub keymap: Keymap,
    /// Settings that do nothing as written (`folio config --check` says so).
    pub warnings: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            paths: Vec::new(),
            palette: Palette::Default,
            list_width: None,
            date_format: DateFormat::default(),
            sort: crate::sort::SortOrder::default(),
            searches: Vec::new(),
            serve: ServeSettings::default(),
            ambiguous_wide: false,
            mouse: false,
            hyperlinks: false,
            keymap: Keymap::default(),
            warnings: Vec::new(),
        }
    }
}

impl Config {
    /// The settings of the screen's look.
    pub fn appearance(&self) -> Appearance {
        Appearance {
            palette: self.palette,
            list_width: self.list_width,
            date_format: self.date_format.clone(),
        }
    }

    /// Parses and checks the text of a config file read from `path` (which names it
    /// in errors and anchors relative article paths).
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let raw: Raw = toml::from_str(text).map_err(|e| {
            let problem = Problem {
                span: e.span(),
                key: None,
                message: tidy_toml_message(e.message()),
            };
            problem.locate(text, path)
        })?;
        raw.check(path).map_err(|p| p.locate(text, path))
    }

    /// Reads the config: `explicit` if given (it must exist), else the default file
    /// if there is one, else the defaults.
    pub fn load(explicit: Option<&Path>) -> Result<Config, ConfigError> {
        match explicit {
            Some(path) => Config::read(path),
            None => match default_path() {
                Some(path) if path.exists() => Config::read(&path),
                _ => Ok(Config::default()),
            },
        }
    }

    /// Reads and checks the file at `path`.
    pub fn read(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            path: path.to_owned(),
            line: None,
            key: None,
            message: read_error(&e),
        })?;
        Config::parse(&text, path)
    }
}

/// `$XDG_CONFIG_HOME/folio/config.toml`, else `~/.config/folio/config.toml`; `None`
/// when neither variable says where that is.
pub fn default_path() -> Option<PathBuf> {
    let xdg = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        // The XDG rules: a relative path is to be ignored.
        .filter(|p| p.is_absolute());
    let base = xdg.or_else(|| home().map(|h| h.join(".config")))?;
    Some(base.join("folio").join("config.toml"))
}

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
}

fn read_error(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file".to_owned(),
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        io::ErrorKind::InvalidData => "not UTF-8 text".to_owned(),
        _ => format!("cannot read it: {e}"),
    }
}

/// A config that cannot be used: the file, and where in it, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ConfigError {
    pub path: PathBuf,
    /// 1-based.
    pub line: Option<usize>,
    /// The setting, dotted as in the file: `theme`, `keys.select_next`.
    pub key: Option<String>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        f.write_str(": ")?;
        if let Some(key) = &self.key {
            write!(f, "{key}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// What is wrong, and where in the text (a byte range), before the line is counted.
#[derive(Debug)]
struct Problem {
    span: Option<Range<usize>>,
    key: Option<String>,
    message: String,
}

impl Problem {
    fn at(span: Range<usize>, key: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            span: Some(span),
            key: Some(key.into()),
            message: message.into(),
        }
    }

    fn locate(self, text: &str, path: &Path) -> ConfigError {
        let line = self.span.as_ref().map(|s| line_of(text, s.start));
        let key = self.key.or_else(|| line.and_then(|l| key_on_line(text, l)));
        let list = match key.as_deref() {
            Some(k) if k.starts_with("keys") => "expected a list of keys, like [\"j\", \"down\"]",
            Some("paths") => "expected a list of paths, like [\"~/news\"]",
            _ => "expected a list",
        };
        ConfigError {
            path: path.to_owned(),
            line,
            key,
            message: self.message.replace("expected a sequence", list),
        }
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The dotted key that line `line` (1-based) sets, as far as a glance can tell:
/// the table it is in, then the name before `=`; or a `[table]` header itself.
fn key_on_line(text: &str, line: usize) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let this = lines.get(line.checked_sub(1)?)?.trim();
    let header = |l: &str| {
        l.strip_prefix('[')
            .and_then(|l| l.split(']').next())
            .map(|l| l.trim_matches(|c| c == '[' || c == ' ').to_owned())
    };
    if this.starts_with('[') {
        return header(this).filter(|h| !h.is_empty());
    }
    let name = this.split('=').next()?.trim().trim_matches('"');
    if name.is_empty() || name.len() == this.len() || name.contains(char::is_whitespace) {
        return None;
    }
    let table = lines[..line - 1]
        .iter()
        .rev()
        .map(|l| l.trim())
        .find(|l| l.starts_with('['))
        .and_then(header);
    Some(match table {
        Some(table) => format!("{table}.{name}"),
        None => name.to_owned(),
    })
}

/// toml's wording, in folio's: "unknown field `x`, expected one of `a`, `b`" becomes
/// "unknown setting (expected one of a, b)"; line breaks are dropped.
fn tidy_toml_message(message: &str) -> String {
    let message = message.trim().replace('\n', " ");
    if let Some(rest) = message.strip_prefix("unknown field `")
        && let Some((_, expected)) = rest.split_once("`, ")
    {
        return format!("unknown setting ({})", expected.replace('`', ""));
    }
    // A number too large for TOML: "invalid type: integer 999… as i128, expected …".
    if let Some(rest) = message.strip_prefix("invalid type: integer ")
        && let Some((number, _)) = rest.split_once(" as i128")
    {
        return format!("the number {} is too large", number.trim_matches('`'));
    }
    message.replace('`', "")
}

/// `[serve]`: `folio serve`'s settings, each one a flag's default.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServeSettings {
    pub listen: Option<std::net::SocketAddr>,
    pub authorized_keys: Option<PathBuf>,
    #[serde(default)]
    pub open: bool,
    pub host_key: Option<PathBuf>,
    pub max_sessions: Option<u32>,
    pub per_address: Option<u32>,
    pub per_minute: Option<u32>,
    pub auth_timeout: Option<u32>,
    pub idle_timeout: Option<u32>,
}

/// The file as written, with where each value is.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    paths: Option<Vec<Spanned<String>>>,
    theme: Option<Spanned<String>>,
    list_width: Option<Spanned<toml::Value>>,
    date_format: Option<Spanned<String>>,
    sort: Option<Spanned<String>>,
    searches: Option<toml::Spanned<toml::Table>>,
    serve: Option<ServeSettings>,
    ambiguous_wide: Option<bool>,
    mouse: Option<bool>,
    hyperlinks: Option<bool>,
    keys: Option<keys::RawKeys>,
}

impl Raw {
    fn check(self, path: &Path) -> Result<Config, Problem> {
        let mut config = Config::default();
        if let Some(paths) = self.paths {
            let base = path.parent().unwrap_or(Path::new(""));
            config.paths = paths
                .into_iter()
                .map(|p| expand_path(&p, base))
                .collect::<Result<_, _>>()?;
        }
        if let Some(theme) = self.theme {
            config.palette = Palette::from_name(theme.get_ref()).ok_or_else(|| {
                Problem::at(
                    theme.span(),
                    "theme",
                    format!(
                        "unknown theme {:?} (expected default, high-contrast or mono)",
                        theme.get_ref()
                    ),
                )
            })?;
        }
        if let Some(width) = self.list_width {
            config.list_width = list_width(&width)?;
        }
        if let Some(format) = self.date_format {
            config.date_format = DateFormat::new(format.get_ref())
                .map_err(|message| Problem::at(format.span(), "date_format", message))?;
        }
        if let Some(sort) = self.sort {
            config.sort = crate::sort::SortOrder::parse(sort.get_ref()).ok_or_else(|| {
                Problem::at(
                    sort.span(),
                    "sort",
                    format!(
                        "unknown order {:?} (expected {})",
                        sort.get_ref(),
                        crate::sort::SortOrder::names()
                    ),
                )
            })?;
        }
        if let Some(searches) = self.searches {
            let span = searches.span();
            for (name, query) in searches.into_inner() {
                let Some(query) = query.as_str() else {
                    return Err(Problem::at(
                        span,
                        "searches",
                        format!("{name}: a search is a query in quotes"),
                    ));
                };
                config
                    .searches
                    .push((crate::sanitize::line(&name), crate::sanitize::line(query)));
            }
        }
        if let Some(serve) = self.serve {
            config.serve = serve;
        }
        config.ambiguous_wide = self.ambiguous_wide.unwrap_or(false);
        config.mouse = self.mouse.unwrap_or(false);
        config.hyperlinks = self.hyperlinks.unwrap_or(false);
        if let Some(keys) = self.keys {
            config.warnings = keys.shadowed();
            config.keymap = keys.keymap()?;
        }
        Ok(config)
    }
}

/// `~` and `~/…` are the home folder; a relative path is relative to the config's folder.
fn expand_path(path: &Spanned<String>, base: &Path) -> Result<PathBuf, Problem> {
    let text = path.get_ref();
    let problem = |message: &str| Problem::at(path.span(), "paths", message);
    if text.is_empty() {
        return Err(problem("an empty path"));
    }
    let expanded = if text == "~" || text.starts_with("~/") {
        let home = home().ok_or_else(|| problem("cannot expand ~: HOME is not set"))?;
        home.join(text.trim_start_matches('~').trim_start_matches('/'))
    } else if text.starts_with('~') {
        return Err(problem(&format!(
            "{text:?}: only ~ and ~/ are expanded (to your home folder)"
        )));
    } else {
        PathBuf::from(text)
    };
    Ok(if expanded.is_absolute() {
        expanded
    } else {
        base.join(expanded)
    })
}

fn list_width(value: &Spanned<toml::Value>) -> Result<Option<u16>, Problem> {
    let range = u64::from(crate::app::layout::MIN_LIST_WIDTH)..=u64::from(MAX_LIST_WIDTH);
    let wrong = |shown: String| {
        Problem::at(
            value.span(),
            "list_width",
            format!(
                "expected \"auto\" or a number of columns from {} to {}, not {shown}",
                range.start(),
                range.end()
            ),
        )
    };
    match value.get_ref() {
        toml::Value::String(s) if s == "auto" => Ok(None),
        toml::Value::Integer(n) => u64::try_from(*n)
            .ok()
            .filter(|n| range.contains(n))
            .and_then(|n| u16::try_from(n).ok())
            .map(Some)
            .ok_or_else(|| wrong(n.to_string())),
        other => Err(wrong(other.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("/home/u/.config/folio/config.toml"))
    }

    fn error(text: &str) -> String {
        parse(text).expect_err("an error").to_string()
    }

    #[test]
    fn an_empty_file_is_the_defaults() {
        let config = parse("").unwrap();
        assert_eq!(config.palette, Palette::Default);
        assert_eq!(config.list_width, None);
        assert_eq!(config.date_format, DateFormat::default());
        assert!(config.paths.is_empty() && !config.mouse && !config.ambiguous_wide);
    }

    #[test]
    fn every_setting_is_read() {
        let config = parse(
            r#"
paths = ["~/news", "/srv/archive", "relative"]
theme = "high-contrast"
list_width = 50
date_format = "%d.%m.%Y"
ambiguous_wide = true
mouse = true
hyperlinks = true
"#,
        )
        .unwrap();
        let home = home().unwrap();
        assert_eq!(
            config.paths,
            [
                home.join("news"),
                PathBuf::from("/srv/archive"),
                PathBuf::from("/home/u/.config/folio/relative")
            ]
        );
        assert_eq!(config.palette, Palette::HighContrast);
        assert_eq!(config.list_width, Some(50));
        assert_eq!(config.date_format.as_str(), "%d.%m.%Y");
        assert!(config.ambiguous_wide && config.mouse && config.hyperlinks);
        assert_eq!(parse("list_width = \"auto\"").unwrap().list_width, None);
    }

    #[test]
    fn errors_name_the_file_line_and_key() {
        assert_eq!(
            error("# colours\n\nmouse = true\n\n\n\ntheme = \"neon\"\n"),
            "/home/u/.config/folio/config.toml:7: theme: unknown theme \"neon\" \
             (expected default, high-contrast or mono)"
        );
        assert_eq!(
            error("mouse = true\nlist_width = 5"),
            "/home/u/.config/folio/config.toml:2: list_width: expected \"auto\" or a \
             number of columns from 20 to 500, not 5"
        );
        assert!(
            error("\n\ndate_format = \"%Y-%Q\"").contains(":3: date_format: invalid date format")
        );
        assert!(error("paths = [\n  \"~x/news\",\n]").contains(":2: paths: \"~x/news\""));
        assert_eq!(
            error("list_width = 99999999999999999999"),
            "/home/u/.config/folio/config.toml:1: list_width: the number 99999999999999999999 \
             is too large"
        );
        assert_eq!(
            error("paths = 1"),
            "/home/u/.config/folio/config.toml:1: paths: invalid type: integer 1, expected a \
             list of paths, like [\"~/news\"]"
        );
        assert!(
            error("[keys]\nquit = 1").ends_with("expected a list of keys, like [\"j\", \"down\"]")
        );
        assert!(error("[keys]\nquit = [\"ctrl-ctrl-x\"]").contains("unknown key \"ctrl-ctrl-x\""));
        assert!(error("[keys]\nquit = [\"f0\"]").contains("unknown key \"f0\""));
    }

    #[test]
    fn unknown_settings_are_errors() {
        let e = error("mouse = true\nthem = \"mono\"\n");
        assert!(
            e.starts_with(
                "/home/u/.config/folio/config.toml:2: them: unknown setting (expected one of"
            ),
            "{e}"
        );
        assert!(e.contains("theme"), "{e}");
    }

    #[test]
    fn type_and_syntax_errors_have_a_line() {
        let e = error("mouse = true\n\nhyperlinks = \"yes\"\n");
        assert!(
            e.starts_with("/home/u/.config/folio/config.toml:3: hyperlinks: "),
            "{e}"
        );
        let e = error("mouse = true\ntheme = \n");
        assert!(
            e.starts_with("/home/u/.config/folio/config.toml:2: "),
            "{e}"
        );
        let e = error("[keys]\nselect_next = \"j\"\n");
        assert!(
            e.starts_with("/home/u/.config/folio/config.toml:2: keys.select_next: "),
            "{e}"
        );
    }

    #[test]
    fn the_default_file_parses_to_the_defaults() {
        let config = parse(&default_text()).unwrap();
        let defaults = Config::default();
        assert_eq!(config.palette, defaults.palette);
        assert_eq!(config.list_width, defaults.list_width);
        assert_eq!(config.date_format, defaults.date_format);
        assert_eq!(
            (config.mouse, config.hyperlinks, config.ambiguous_wide),
            (false, false, false)
        );
        assert!(config.paths.is_empty());
        let shape = |k: &Keymap| {
            k.bindings()
                .iter()
                .map(|b| (b.context, b.keys.clone(), b.action.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(shape(&config.keymap), shape(&defaults.keymap));
    }

    #[test]
    fn a_missing_file_named_on_the_command_line_is_an_error() {
        let e = Config::load(Some(Path::new("/nonexistent/folio.toml"))).unwrap_err();
        assert_eq!(e.to_string(), "/nonexistent/folio.toml: no such file");
    }

    #[test]
    fn the_default_path_follows_xdg() {
        // Read only: the variables are whatever the test runner has.
        if let Some(path) = default_path() {
            assert!(path.ends_with("folio/config.toml"));
        }
    }
}

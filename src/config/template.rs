//! The default config file, every setting with its default value and what it does (`folio config --default`).

use std::fmt::Write as _;

use super::keys::{CONTEXTS, context_name, key_name};
use crate::app::keymap::{Binding, Keymap};

const SETTINGS: &str = r#"# folio's config file.
#
# folio reads $XDG_CONFIG_HOME/folio/config.toml, else ~/.config/folio/config.toml
# (no file there: these defaults); `folio --config FILE` reads FILE instead.
# `folio config --check [FILE]` checks a file. Every setting below has its default
# value; delete the ones you do not change. A setting folio does not know is an error.

# Article files or folders to open when no PATH is given on the command line.
# "~/" is your home folder; a relative path is relative to this file's folder.
# Empty: the sample articles built into folio.
paths = []

# Colours: "default" (ANSI colours that read on light and dark backgrounds),
# "high-contrast" (the terminal's own text colour, bold, matches black on yellow)
# or "mono" (no colour: bold, underline and reverse only). A non-empty NO_COLOR
# in the environment means "mono" whatever this says.
theme = "default"

# Width of the list pane in columns when the list and the reader are side by side
# (from 20 to 500; the reader keeps at least 30). "auto": two fifths of the
# screen, from 36 to 72 columns.
list_width = "auto"

# How the browser's list and reader write dates: strftime as chrono knows it,
# e.g. "%d %b %Y" or "%Y/%m/%d %H:%M". `folio list` and `folio search` always
# write YYYY-MM-DD.
date_format = "%Y-%m-%d"

# The list's order when no search ranks it: "newest", "oldest", "title" (Chinese
# by pinyin, Latin alphabetically), "source" (then newest) or "read" (recently
# read first). O in the list takes the next one.
sort = "newest"

# true if your terminal draws characters of ambiguous width (“ ” ‘ ’ … — · and the
# like) two columns wide, as some CJK terminals and fonts do: folio then measures,
# wraps, cuts and draws text the same way, with pane borders in ASCII.
ambiguous_wide = false

# Let the mouse scroll and select (this turns off the terminal's own text
# selection). --mouse turns it on for one run.
mouse = false

# Make the reader's links clickable (OSC 8 hyperlinks), for terminals that support
# them. --hyperlinks turns them on for one run.
hyperlinks = false

# Saved searches: a name and a query in the search box's language (title terms,
# @source, #tag, by:author, after:/before:/on: DATE, is:unread...). `folio list
# --search NAME` runs one; ? lists them.
[searches]
# russia-this-year = "中俄 after:2023"
# voa-week = "@voa after:7d"

# folio serve: each setting is a flag's default (the flag wins).
[serve]
# listen = "127.0.0.1:2222"          # a public address must be asked for
# authorized_keys = "/etc/folio/readers"  # or: open = true (anyone may read)
# host_key = "/var/lib/folio/ssh_host_ed25519_key"
# max_sessions = 64
# per_address = 8                     # connections at once from one address
# per_minute = 30                     # new connections a minute from one address
# auth_timeout = 10                   # seconds
# idle_timeout = 1800                 # seconds without a key

# Key bindings, by the action names the help overlay (?) shows.
#
# In [keys], `action = ["key", ...]` replaces the action's keys in every part of
# the screen where it has keys, e.g. `select_next = ["j", "down", "ctrl-j"]`; in
# the search and find boxes a plain character from [keys] is still typed.
# A table [keys.PART] binds keys in that part of the screen only and wins over
# [keys]. Every default binding is listed below, commented out: uncomment a table
# and a line to change that binding in that part only.
#
# Keys: a character (j, G, ?, /), ctrl-x, alt-x, enter, esc, tab, backtab,
# backspace, space, up, down, left, right, pgup, pgdn, home, end, del, f1 to f12.
# [] leaves an action without keys (except force_quit, the way out).
# A key you bind is taken from the action that had it by default in that part of
# the screen (a key bound in [keys.everywhere], from every part). Two of your
# bindings giving one key to two actions in one part of the screen are an error.
[keys]
"#;

/// The whole default file: the settings, then every default binding by part of the screen.
pub fn default_text() -> String {
    let mut out = SETTINGS.to_owned();
    let keymap = Keymap::default();
    let line = |binding: &Binding| {
        let keys: Vec<String> = binding
            .keys
            .iter()
            .map(|k| toml::Value::String(key_name(k)).to_string())
            .collect();
        format!("{} = [{}]", binding.action.name(), keys.join(", "))
    };
    // The descriptions in one column.
    let column = keymap
        .bindings()
        .iter()
        .map(|b| line(b).len())
        .max()
        .unwrap_or(0)
        + 1;
    for context in CONTEXTS {
        let bindings: Vec<_> = keymap
            .bindings()
            .iter()
            .filter(|b| b.context == context)
            .collect();
        if bindings.is_empty() {
            continue;
        }
        let _ = write!(
            out,
            "\n# {}.\n# [keys.{}]\n",
            context.title(),
            context_name(context)
        );
        for binding in bindings {
            let line = line(binding);
            let _ = writeln!(out, "# {line:<column$}# {}", binding.action.describe());
        }
    }
    out
}

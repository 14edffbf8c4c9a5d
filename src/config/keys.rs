//! The `[keys]` tables of the config file: key bindings by action name, checked and merged over the default keymap.
//!
//! The rules, in order:
//! 1. `[keys]` `action = [...]` replaces the action's keys in every part of the screen
//!    where it has keys by default. In the search and find boxes a plain character
//!    (no Ctrl or Alt) from `[keys]` is left out: there it is typed.
//! 2. `[keys.PART]` (`[keys.list]`, `[keys.search_box]`, …) replaces the action's keys
//!    in that part only, and wins over `[keys]`; the action must have keys there by default.
//! 3. A key the user binds is taken away from whichever default binding had it in the
//!    same part (a key bound `everywhere` from every part).
//! 4. Two user bindings that give one key to two actions in the same part are an error.

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;

use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use toml::Spanned;

use super::Problem;
use crate::app::Action;
use crate::app::keymap::{Binding, Context, Key, Keymap};

/// Every part of the screen with bindings, in the order the default file lists them.
pub const CONTEXTS: [Context; 13] = Context::ALL;

/// The table name of a part of the screen: `[keys.search_box]`. None is an action name.
pub fn context_name(context: Context) -> &'static str {
    match context {
        Context::Global => "everywhere",
        Context::List => "list",
        Context::Reader => "reader",
        Context::Search => "search_box",
        Context::Find => "find_box",
        Context::Finding => "finding",
        Context::Help => "help_overlay",
        Context::Links => "link_picker",
        Context::Skipped => "skipped_files",
        Context::Question => "question",
        Context::Facets => "facet_panel",
        Context::History => "history",
        Context::Prompt => "command_prompt",
    }
}

fn context_named(name: &str) -> Option<Context> {
    CONTEXTS.into_iter().find(|c| context_name(*c) == name)
}

/// A key as the config file writes it (the form [`Key::parse`] reads back).
pub fn key_name(key: &Key) -> String {
    let mut out = String::new();
    if key.mods.contains(KeyModifiers::CONTROL) {
        out.push_str("ctrl-");
    }
    if key.mods.contains(KeyModifiers::ALT) {
        out.push_str("alt-");
    }
    match key.code {
        KeyCode::Char(' ') => out.push_str("space"),
        KeyCode::Char(c) => out.push(c),
        KeyCode::Enter => out.push_str("enter"),
        KeyCode::Esc => out.push_str("esc"),
        KeyCode::Tab => out.push_str("tab"),
        KeyCode::BackTab => out.push_str("backtab"),
        KeyCode::Backspace => out.push_str("backspace"),
        KeyCode::Up => out.push_str("up"),
        KeyCode::Down => out.push_str("down"),
        KeyCode::Left => out.push_str("left"),
        KeyCode::Right => out.push_str("right"),
        KeyCode::PageUp => out.push_str("pgup"),
        KeyCode::PageDown => out.push_str("pgdn"),
        KeyCode::Home => out.push_str("home"),
        KeyCode::End => out.push_str("end"),
        KeyCode::Delete => out.push_str("del"),
        KeyCode::F(n) => out.push_str(&format!("f{n}")),
        other => out.push_str(&format!("{other:?}").to_ascii_lowercase()),
    }
    out
}

/// One `action = ["key", …]` line.
#[derive(Debug)]
struct Entry {
    name: String,
    value: EntryValue,
}

#[derive(Debug)]
enum EntryValue {
    Keys(Spanned<Vec<Spanned<String>>>),
    /// A name that is no action (nor a part of the screen): where it is, for the error.
    Unknown {
        span: Range<usize>,
        table: bool,
    },
}

/// The `[keys]` table as written: entries for every part, then tables for one part each.
#[derive(Debug, Default)]
pub struct RawKeys {
    everywhere: Vec<Entry>,
    parts: Vec<(Context, Vec<Entry>)>,
}

/// Names of the actions keys can do: those with a default key somewhere.
fn bindable() -> HashMap<&'static str, Action> {
    Keymap::default()
        .bindings()
        .iter()
        .map(|b| (b.action.name(), b.action.clone()))
        .collect()
}

struct EntriesVisitor {
    /// `[keys]` itself, where `[keys.PART]` tables may appear.
    top: bool,
}

/// What a map visitor read: entries, and the part tables (at the top only).
type Read = (Vec<Entry>, Vec<(Context, Vec<Entry>)>);

impl<'de> Visitor<'de> for EntriesVisitor {
    type Value = Read;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a table of action = [\"key\", …]")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Read, A::Error> {
        let actions = bindable();
        let mut entries = Vec::new();
        let mut parts = Vec::new();
        while let Some(name) = map.next_key::<String>()? {
            if self.top
                && let Some(context) = context_named(&name)
            {
                let (table, _) = map.next_value::<Part>()?.0;
                parts.push((context, table));
            } else if actions.contains_key(name.as_str()) {
                let keys = map.next_value::<Spanned<Vec<Spanned<String>>>>()?;
                entries.push(Entry {
                    name,
                    value: EntryValue::Keys(keys),
                });
            } else {
                let value = map.next_value::<Spanned<toml::Value>>()?;
                entries.push(Entry {
                    name,
                    value: EntryValue::Unknown {
                        span: value.span(),
                        table: value.get_ref().is_table(),
                    },
                });
            }
        }
        Ok((entries, parts))
    }
}

/// A `[keys.PART]` table.
struct Part(Read);

impl<'de> Deserialize<'de> for Part {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Part, D::Error> {
        d.deserialize_map(EntriesVisitor { top: false }).map(Part)
    }
}

impl<'de> Deserialize<'de> for RawKeys {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<RawKeys, D::Error> {
        let (everywhere, parts) = d.deserialize_map(EntriesVisitor { top: true })?;
        Ok(RawKeys { everywhere, parts })
    }
}

/// A user's keys for one binding, and where they were written.
#[derive(Debug, Clone)]
struct Chosen {
    /// `keys.select_next` or `keys.list.select_next`.
    label: String,
    keys: Vec<(Key, Range<usize>)>,
}

impl RawKeys {
    /// Entries of `[keys]` that do nothing: in every part of the screen where the
    /// action has keys, a `[keys.PART]` table binds it too, and wins.
    pub fn shadowed(&self) -> Vec<String> {
        let defaults = Keymap::default();
        let mut out = Vec::new();
        for entry in &self.everywhere {
            let parts: Vec<Context> = defaults
                .bindings()
                .iter()
                .filter(|b| b.action.name() == entry.name)
                .map(|b| b.context)
                .collect();
            let overridden: Vec<&str> = parts
                .iter()
                .filter(|c| {
                    self.parts.iter().any(|(part, entries)| {
                        part == *c && entries.iter().any(|e| e.name == entry.name)
                    })
                })
                .map(|c| context_name(*c))
                .collect();
            if !parts.is_empty() && overridden.len() == parts.len() {
                let tables: Vec<String> =
                    overridden.iter().map(|p| format!("[keys.{p}]")).collect();
                out.push(format!(
                    "keys.{}: does nothing, {} {} it too and {} (remove {} from {})",
                    entry.name,
                    tables.join(" and "),
                    if tables.len() == 1 { "binds" } else { "bind" },
                    if tables.len() == 1 { "wins" } else { "win" },
                    entry.name,
                    if tables.len() == 1 {
                        "that table"
                    } else {
                        "those tables"
                    },
                ));
            }
        }
        out
    }

    /// The default keymap with these bindings over it (see the module's rules).
    pub fn keymap(self) -> Result<Keymap, Problem> {
        let mut bindings: Vec<Binding> = Keymap::default().bindings().to_vec();
        let mut chosen: Vec<Option<Chosen>> = vec![None; bindings.len()];

        for entry in &self.everywhere {
            let label = format!("keys.{}", entry.name);
            let keys = parse_keys(entry, &label)?;
            for (i, binding) in bindings.iter().enumerate() {
                if binding.action.name() != entry.name {
                    continue;
                }
                let typed_there = matches!(binding.context, Context::Search | Context::Find);
                let keys = keys
                    .iter()
                    .filter(|(k, _)| !(typed_there && is_plain_char(k)))
                    .cloned()
                    .collect();
                chosen[i] = Some(Chosen {
                    label: label.clone(),
                    keys,
                });
            }
        }
        for (context, entries) in &self.parts {
            let part = context_name(*context);
            for entry in entries {
                let label = format!("keys.{part}.{}", entry.name);
                let keys = parse_keys(entry, &label)?;
                let Some(i) = bindings
                    .iter()
                    .position(|b| b.context == *context && b.action.name() == entry.name)
                else {
                    return Err(not_bound_there(entry, &label, *context, &bindings));
                };
                chosen[i] = Some(Chosen { label, keys });
            }
        }

        check_collisions(&bindings, &chosen)?;

        // The user's keys, and the defaults that lose theirs to them.
        let claimed: Vec<(Context, Key)> = bindings
            .iter()
            .zip(&chosen)
            .filter_map(|(b, c)| c.as_ref().map(|c| (b.context, c)))
            .flat_map(|(context, c)| c.keys.iter().map(move |(k, _)| (context, *k)))
            .collect();
        for (binding, choice) in bindings.iter_mut().zip(&chosen) {
            match choice {
                Some(choice) => binding.keys = dedup(choice.keys.iter().map(|(k, _)| *k)),
                None => binding.keys.retain(|k| {
                    !claimed.iter().any(|(context, claimed)| {
                        claimed == k && (*context == binding.context || *context == Context::Global)
                    })
                }),
            }
        }
        if let Some((binding, Some(choice))) = bindings
            .iter()
            .zip(&chosen)
            .find(|(b, _)| b.action == Action::ForceQuit)
            && binding.keys.is_empty()
        {
            let span = self
                .everywhere
                .iter()
                .chain(self.parts.iter().flat_map(|(_, e)| e))
                .find_map(|e| match &e.value {
                    EntryValue::Keys(k) if e.name == "force_quit" => Some(k.span()),
                    _ => None,
                })
                .unwrap_or(0..0);
            return Err(Problem::at(
                span,
                choice.label.clone(),
                "force_quit needs a key: it is the way out from anywhere",
            ));
        }
        Ok(Keymap::from_bindings(bindings))
    }
}

fn parse_keys(entry: &Entry, label: &str) -> Result<Vec<(Key, Range<usize>)>, Problem> {
    let keys = match &entry.value {
        EntryValue::Keys(keys) => keys,
        EntryValue::Unknown { span, table: true } => {
            let parts: Vec<&str> = CONTEXTS.into_iter().map(context_name).collect();
            return Err(Problem::at(
                span.clone(),
                label,
                format!(
                    "unknown part of the screen {:?} (expected one of {})",
                    entry.name,
                    parts.join(", ")
                ),
            ));
        }
        EntryValue::Unknown { span, .. } => {
            return Err(Problem::at(
                span.clone(),
                label,
                format!(
                    "unknown action {:?} (the names are those of the help overlay, ? in folio, \
                     and of `folio config --default`)",
                    entry.name
                ),
            ));
        }
    };
    keys.get_ref()
        .iter()
        .map(|k| {
            Key::parse(k.get_ref())
                .map(|key| (key, k.span()))
                .ok_or_else(|| {
                    Problem::at(
                        k.span(),
                        label,
                        format!(
                            "unknown key {:?} (keys look like j, G, ?, ctrl-f, alt-x, enter, esc, \
                         tab, space, up, pgdn, home, f1)",
                            k.get_ref()
                        ),
                    )
                })
        })
        .collect()
}

fn not_bound_there(entry: &Entry, label: &str, context: Context, bindings: &[Binding]) -> Problem {
    let parts: Vec<&str> = bindings
        .iter()
        .filter(|b| b.action.name() == entry.name)
        .map(|b| context_name(b.context))
        .collect();
    let span = match &entry.value {
        EntryValue::Keys(k) => k.span(),
        EntryValue::Unknown { span, .. } => span.clone(),
    };
    Problem::at(
        span,
        label,
        format!(
            "{} has no keys in {} (it has in: {})",
            entry.name,
            context_name(context),
            parts.join(", ")
        ),
    )
}

/// Two user bindings giving one key to two actions in one part: an error at the later.
fn check_collisions(bindings: &[Binding], chosen: &[Option<Chosen>]) -> Result<(), Problem> {
    let mut seen: HashMap<(Context, Key), (&Binding, &Chosen)> = HashMap::new();
    let mut uses: Vec<(Context, Key, &Binding, &Chosen, Range<usize>)> = bindings
        .iter()
        .zip(chosen)
        .filter_map(|(b, c)| c.as_ref().map(|c| (b, c)))
        .flat_map(|(b, c)| {
            c.keys
                .iter()
                .map(move |(k, span)| (b.context, *k, b, c, span.clone()))
        })
        .collect();
    uses.sort_by_key(|u| u.4.start);
    for (context, key, binding, choice, span) in uses {
        match seen.get(&(context, key)) {
            Some((other, other_choice)) if other.action != binding.action => {
                let where_other = if other_choice.label == choice.label {
                    String::new()
                } else {
                    format!(" by {}", other_choice.label)
                };
                return Err(Problem::at(
                    span,
                    choice.label.clone(),
                    format!(
                        "{:?} is already bound to {}{where_other} in {}: a key can do one \
                         thing in one part of the screen",
                        key_name(&key),
                        other.action.name(),
                        context_name(context),
                    ),
                ));
            }
            Some(_) => {}
            None => {
                seen.insert((context, key), (binding, choice));
            }
        }
    }
    Ok(())
}

/// A key that types a character in the search and find boxes.
fn is_plain_char(key: &Key) -> bool {
    matches!(key.code, KeyCode::Char(_))
        && !key
            .mods
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
}

fn dedup(keys: impl Iterator<Item = Key>) -> Vec<Key> {
    let mut out: Vec<Key> = Vec::new();
    for key in keys {
        if !out.contains(&key) {
            out.push(key);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use ratatui::crossterm::event::KeyEvent;

    use super::*;
    use crate::config::Config;

    fn keymap(text: &str) -> Result<Keymap, String> {
        Config::parse(text, Path::new("config.toml"))
            .map(|c| c.keymap)
            .map_err(|e| e.to_string())
    }

    fn act(map: &Keymap, context: Context, key: &str) -> Option<Action> {
        let key = Key::parse(key).unwrap();
        map.action(context, &KeyEvent::new(key.code, key.mods))
    }

    #[test]
    fn an_action_gets_new_keys_everywhere_it_has_keys() {
        let map = keymap("[keys]\nselect_next = [\"x\", \"ctrl-j\"]\n").unwrap();
        assert_eq!(act(&map, Context::List, "x"), Some(Action::SelectNext));
        assert_eq!(act(&map, Context::List, "ctrl-j"), Some(Action::SelectNext));
        assert_eq!(act(&map, Context::List, "j"), None, "the old keys are gone");
        assert_eq!(
            act(&map, Context::Search, "ctrl-j"),
            Some(Action::SelectNext)
        );
        // In the search box plain characters are still typed.
        assert_eq!(
            act(&map, Context::Search, "x"),
            Some(Action::SearchInput("x".into()))
        );
        assert_eq!(act(&map, Context::Search, "down"), None);
    }

    #[test]
    fn a_part_table_binds_in_that_part_only_and_wins() {
        let map = keymap(
            "[keys]\nselect_next = [\"x\"]\n[keys.search_box]\nselect_next = [\"ctrl-j\"]\n",
        )
        .unwrap();
        assert_eq!(act(&map, Context::List, "x"), Some(Action::SelectNext));
        assert_eq!(
            act(&map, Context::Search, "ctrl-j"),
            Some(Action::SelectNext)
        );
        assert_eq!(act(&map, Context::Search, "ctrl-n"), None);
        let e = keymap("[keys.reader]\nselect_next = [\"x\"]\n").unwrap_err();
        assert_eq!(
            e,
            "config.toml:2: keys.reader.select_next: select_next has no keys in reader \
             (it has in: list, search_box)"
        );
    }

    #[test]
    fn a_user_key_is_taken_from_the_default_that_had_it() {
        let map = keymap("[keys]\nquit = [\"j\"]\n").unwrap();
        assert_eq!(act(&map, Context::List, "j"), Some(Action::Quit));
        assert_eq!(act(&map, Context::List, "down"), Some(Action::SelectNext));
        assert_eq!(act(&map, Context::List, "q"), None);
        // Only in the parts where quit has keys: j still scrolls the reader.
        assert_eq!(act(&map, Context::Reader, "j"), Some(Action::ScrollDown));
        let map = keymap("[keys]\nforce_quit = [\"ctrl-q\", \"q\"]\n").unwrap();
        assert_eq!(act(&map, Context::List, "q"), Some(Action::ForceQuit));
        assert_eq!(act(&map, Context::Reader, "q"), Some(Action::ForceQuit));
        assert_eq!(act(&map, Context::Reader, "ctrl-c"), None);
    }

    #[test]
    fn one_key_for_two_actions_is_an_error_at_the_later_line() {
        let e = keymap("[keys]\nselect_next = [\"x\"]\n\nquit = [\"j\", \"x\"]\n").unwrap_err();
        assert_eq!(
            e,
            "config.toml:4: keys.quit: \"x\" is already bound to select_next by \
             keys.select_next in list: a key can do one thing in one part of the screen"
        );
        // Different parts of the screen do not collide.
        assert!(keymap("[keys]\nselect_next = [\"x\"]\nscroll_down = [\"x\"]\n").is_ok());
        // Nor does repeating a key for one action.
        assert!(keymap("[keys]\nselect_next = [\"x\", \"x\"]\n").is_ok());
    }

    #[test]
    fn unknown_actions_and_keys_name_the_key() {
        assert_eq!(
            keymap("[keys]\n\nselect_nxt = [\"j\"]\n").unwrap_err(),
            "config.toml:3: keys.select_nxt: unknown action \"select_nxt\" (the names are \
             those of the help overlay, ? in folio, and of `folio config --default`)"
        );
        let e = keymap("[keys]\nselect_next = [\n  \"j\",\n  \"ctrl-shift-j\",\n]\n").unwrap_err();
        assert!(
            e.starts_with("config.toml:4: keys.select_next: unknown key \"ctrl-shift-j\""),
            "{e}"
        );
        let e = keymap("[keys.lst]\nquit = [\"x\"]\n").unwrap_err();
        assert!(
            e.starts_with("config.toml:1: keys.lst: unknown part of the screen \"lst\" (expected one of list, reader,"),
            "{e}"
        );
        let e = keymap("[keys]\nclick = [\"x\"]\n").unwrap_err();
        assert!(e.contains("unknown action \"click\""), "{e}");
    }

    #[test]
    fn force_quit_keeps_a_key() {
        let e = keymap("[keys]\nforce_quit = []\n").unwrap_err();
        assert!(e.contains("force_quit needs a key"), "{e}");
        assert!(keymap("[keys]\nquit = []\n").is_ok());
    }

    #[test]
    fn part_names_are_no_action_names() {
        let actions = bindable();
        for context in CONTEXTS {
            assert!(!actions.contains_key(context_name(context)));
        }
    }

    #[test]
    fn key_names_read_back() {
        for binding in Keymap::default().bindings() {
            for key in &binding.keys {
                assert_eq!(Key::parse(&key_name(key)), Some(*key), "{key}");
            }
        }
    }
}

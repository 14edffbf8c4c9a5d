//! Reads the YAML front matter of Jekyll-style articles, tolerating YAML that a strict parser rejects.
//!
//! The YAML parser's events are read one by one and only the fields folio uses are
//! kept. Aliases are never expanded (an alias of a plain value is that value): a few
//! hundred bytes of nested aliases ("billion laughs") would otherwise expand into
//! gigabytes. The work is linear in the size of the block, which is itself capped.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, Parser};

/// The fields folio uses from a front-matter block, as raw (unsanitised) strings.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub date: Option<String>,
    pub author: Option<String>,
    pub url: Option<String>,
    /// `tags`, then `categories`, without duplicates.
    pub tags: Vec<String>,
}

/// Front matter larger than this is not front matter but a document that starts with `---`.
const MAX_LEN: usize = 64 * 1024;
/// YAML events read at most: far more than any real front matter has.
const MAX_EVENTS: usize = 20_000;

const TITLE_KEYS: &[&str] = &["title"];
const DATE_KEYS: &[&str] = &["date", "published", "pubDate", "created"];
const AUTHOR_KEYS: &[&str] = &["author", "authors", "by"];
const URL_KEYS: &[&str] = &[
    "from",
    "url",
    "link",
    "source_url",
    "canonical_url",
    "original",
];
const TAG_KEYS: &[&str] = &["tags", "categories"];

/// Splits `text` into its front matter and the rest, when it starts with a `---` line
/// and a closing `---` (or `...`) line follows.
pub fn split(text: &str) -> Option<(FrontMatter, &str)> {
    let after_open = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("--- \n"))?;
    let mut offset = 0;
    for line in after_open.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            let block = &after_open[..offset];
            let rest = &after_open[offset + line.len()..];
            return Some((parse_block(block), rest));
        }
        offset += line.len();
        if offset > MAX_LEN {
            return None;
        }
    }
    None
}

fn parse_block(block: &str) -> FrontMatter {
    match from_events(block) {
        Some(pairs) => from_pairs(&pairs),
        None => from_lines(block),
    }
}

/// The fields from top-level pairs, each from the first of its keys present.
fn from_pairs(pairs: &[(String, Vec<String>)]) -> FrontMatter {
    let get = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_slice())
    };
    let first = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| get(k).and_then(|v| v.first()).cloned())
    };
    let mut tags = Vec::new();
    for key in TAG_KEYS {
        push_unique(&mut tags, get(key).unwrap_or_default().to_vec());
    }
    FrontMatter {
        title: first(TITLE_KEYS),
        date: first(DATE_KEYS),
        author: first(AUTHOR_KEYS),
        url: first(URL_KEYS),
        tags,
    }
}

/// A value at the top level of the front matter.
enum Value {
    Scalar(String),
    List(Vec<String>),
    /// A mapping, a nested list, an alias of one: nothing folio reads.
    Other,
}

/// Reads the top-level `key: value` pairs from the parser's events (values that are
/// plain or lists of plain values), or `None` when the block is not a YAML mapping
/// (or not valid YAML): then it is read line by line.
fn from_events(block: &str) -> Option<Vec<(String, Vec<String>)>> {
    let mut parser = Parser::new_from_str(block);
    let mut pairs = Vec::new();
    // Anchored plain values, for aliases of them.
    let mut anchored: HashMap<usize, String> = HashMap::new();
    // How deep in collections the parser is: 1 is the top-level mapping.
    let mut depth = 0usize;
    let mut key: Option<String> = None;
    // The top-level list being read, and whether it held only plain values.
    let mut list: Option<(Vec<String>, bool)> = None;
    let mut seen_top = false;
    for _ in 0..MAX_EVENTS {
        let (event, _) = parser.next_token().ok()?;
        // What the event completes at the top level, if anything.
        let mut value: Option<Value> = None;
        match event {
            Event::StreamStart | Event::DocumentStart | Event::Nothing => {}
            Event::DocumentEnd | Event::StreamEnd => return seen_top.then_some(pairs),
            Event::MappingStart(..) => {
                if depth == 0 {
                    if seen_top {
                        return Some(pairs);
                    }
                    seen_top = true;
                } else if depth == 1 {
                    value = Some(Value::Other);
                } else if let Some((_, plain)) = &mut list {
                    *plain = false;
                }
                depth += 1;
            }
            Event::SequenceStart(..) => {
                if depth == 0 {
                    // A document that is a list is not front matter.
                    return None;
                }
                if depth == 1 {
                    list = Some((Vec::new(), true));
                } else if let Some((_, plain)) = &mut list {
                    *plain = false;
                }
                depth += 1;
            }
            Event::MappingEnd => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(pairs);
                }
            }
            Event::SequenceEnd => {
                depth = depth.checked_sub(1)?;
                if depth == 1 {
                    value = Some(match list.take() {
                        Some((items, true)) => Value::List(items),
                        _ => Value::Other,
                    });
                }
            }
            Event::Scalar(text, _, anchor, _) => {
                if anchor > 0 && text.len() <= 1024 && anchored.len() < 1024 {
                    anchored.insert(anchor, text.clone());
                }
                match depth {
                    0 => return None,
                    1 => value = Some(Value::Scalar(text)),
                    2 => {
                        if let Some((items, _)) = &mut list {
                            items.push(text);
                        }
                    }
                    _ => {}
                }
            }
            Event::Alias(anchor) => {
                let text = anchored.get(&anchor).cloned();
                match (depth, text) {
                    (0, _) => return None,
                    (1, Some(text)) => value = Some(Value::Scalar(text)),
                    (1, None) => value = Some(Value::Other),
                    (2, Some(text)) => {
                        if let Some((items, _)) = &mut list {
                            items.push(text);
                        }
                    }
                    (2, None) => {
                        if let Some((_, plain)) = &mut list {
                            *plain = false;
                        }
                    }
                    _ => {}
                }
            }
        }
        // At the top level, values alternate between keys and what they hold.
        if let Some(value) = value {
            match key.take() {
                None => match value {
                    Value::Scalar(k) => key = Some(k),
                    // A key that is not a plain value: skip the pair.
                    _ => key = Some(String::new()),
                },
                Some(k) => {
                    let values = match value {
                        Value::Scalar(v) => vec![v],
                        Value::List(items) => items,
                        Value::Other => continue,
                    };
                    let values: Vec<String> = values
                        .into_iter()
                        .map(|v| v.trim().to_owned())
                        .filter(|v| !v.is_empty() && v != "~" && v != "null")
                        .collect();
                    if !values.is_empty() && pairs.len() < 256 {
                        pairs.push((k, values));
                    }
                }
            }
        }
    }
    // More events than any front matter has: not read as YAML.
    None
}

fn push_unique(tags: &mut Vec<String>, new: Vec<String>) {
    for tag in new {
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
}

/// The fallback for YAML a strict parser rejects (an unescaped quote in a title):
/// each top-level `key: value` line is read on its own.
fn from_lines(block: &str) -> FrontMatter {
    let mut fm = FrontMatter::default();
    let mut list_key: Option<&str> = None;
    for line in block.lines() {
        if let Some(item) = line.trim_start().strip_prefix("- ")
            && line.starts_with([' ', '-'])
            && let Some(key) = list_key
        {
            assign(&mut fm, key, vec![unquote(item).into_owned()]);
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        if key.starts_with([' ', '\t']) || key.contains(' ') {
            continue;
        }
        let value = value.trim();
        list_key = value.is_empty().then_some(key);
        if value.is_empty() {
            continue;
        }
        let values = match value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
            Some(inner) => inner
                .split(',')
                .map(|v| unquote(v.trim()).into_owned())
                .filter(|v| !v.is_empty())
                .collect(),
            None => vec![unquote(value).into_owned()],
        };
        assign(&mut fm, key, values);
    }
    fm
}

fn assign(fm: &mut FrontMatter, key: &str, values: Vec<String>) {
    let first = || values.iter().find(|v| !v.is_empty()).cloned();
    if TITLE_KEYS.contains(&key) && fm.title.is_none() {
        fm.title = first();
    } else if DATE_KEYS.contains(&key) && fm.date.is_none() {
        fm.date = first();
    } else if AUTHOR_KEYS.contains(&key) && fm.author.is_none() {
        fm.author = first();
    } else if URL_KEYS.contains(&key) && fm.url.is_none() {
        fm.url = first();
    } else if TAG_KEYS.contains(&key) {
        push_unique(&mut fm.tags, values);
    }
}

/// Strips one pair of matching outer quotes, unescaping what YAML would in a double-quoted string.
fn unquote(v: &str) -> std::borrow::Cow<'_, str> {
    if v.len() >= 2 && v.starts_with('"') && v.ends_with('"') {
        let inner = &v[1..v.len() - 1];
        if inner.contains('\\') {
            return inner.replace("\\\"", "\"").replace("\\\\", "\\").into();
        }
        return inner.into();
    }
    if v.len() >= 2 && v.starts_with('\'') && v.ends_with('\'') {
        return v[1..v.len() - 1].replace("''", "'").into();
    }
    v.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &str = "---\nlayout: post\ntitle: \"中俄相互借力各取所需？\"\ndate: 2023-10-21T12:00:09.000Z\nauthor: 老楊到處說\nfrom: https://www.youtube.com/watch?v=C1FlKcdjvLc\ntags: [ 老楊到處說 ]\ncomments: True\ncategories: [ 老楊到處說 ]\n---\n<!--1697889609000-->\n";

    #[test]
    fn reads_jekyll_front_matter() {
        let (fm, rest) = split(SEED).unwrap();
        assert_eq!(fm.title.as_deref(), Some("中俄相互借力各取所需？"));
        assert_eq!(fm.date.as_deref(), Some("2023-10-21T12:00:09.000Z"));
        assert_eq!(fm.author.as_deref(), Some("老楊到處說"));
        assert_eq!(
            fm.url.as_deref(),
            Some("https://www.youtube.com/watch?v=C1FlKcdjvLc")
        );
        assert_eq!(fm.tags, vec!["老楊到處說"]);
        assert_eq!(rest, "<!--1697889609000-->\n");
    }

    #[test]
    fn falls_back_on_invalid_yaml() {
        let text = "---\ntitle: \"他说\"不\"的时候\"\ndate: 2014-02-04\ntags: [ a, \"b\" ]\ncategories:\n  - c\n---\nbody";
        let (fm, rest) = split(text).unwrap();
        assert_eq!(fm.title.as_deref(), Some("他说\"不\"的时候"));
        assert_eq!(fm.date.as_deref(), Some("2014-02-04"));
        assert_eq!(fm.tags, vec!["a", "b", "c"]);
        assert_eq!(rest, "body");
    }

    #[test]
    fn aliases_are_never_expanded() {
        // Ten levels of ten aliases each: 10^10 values if expanded.
        let mut block =
            String::from("---\ntitle: laughs\na0: &a0 [lol,lol,lol,lol,lol,lol,lol,lol,lol,lol]\n");
        for i in 1..10 {
            let refs = vec![format!("*a{}", i - 1); 10].join(",");
            block += &format!("a{i}: &a{i} [{refs}]\n");
        }
        block += "author: &who 某人\nby: *who\ntags: [*who, x]\n---\nbody";
        let (fm, rest) = split(&block).unwrap();
        assert_eq!(fm.title.as_deref(), Some("laughs"));
        assert_eq!(fm.author.as_deref(), Some("某人"));
        assert_eq!(fm.tags, vec!["某人", "x"]);
        assert_eq!(rest, "body");
    }

    #[test]
    fn keys_keep_their_priority_and_nesting_is_ignored() {
        let (fm, _) = split("---\npublished: 2020-01-01\ndate: 2021-02-02\nmeta: {title: no, list: [a, [b]]}\ncategories: [c]\ntags: [t, c]\n---\n").unwrap();
        assert_eq!(fm.date.as_deref(), Some("2021-02-02"));
        assert_eq!(fm.title, None);
        assert_eq!(fm.tags, vec!["t", "c"]);
        let deep = format!(
            "---\ntitle: deep\nx: {}{}\n---\n",
            "[".repeat(5000),
            "]".repeat(5000)
        );
        assert_eq!(split(&deep).unwrap().0.title.as_deref(), Some("deep"));
    }

    #[test]
    fn numbers_and_missing_fields() {
        let (fm, _) = split("---\ntitle: 2024\n---\n").unwrap();
        assert_eq!(fm.title.as_deref(), Some("2024"));
        assert_eq!(fm.date, None);
        assert!(split("no front matter").is_none());
        assert!(split("---\nnever closed\n").is_none());
    }
}

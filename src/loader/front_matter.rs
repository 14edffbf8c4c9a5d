//! Reads the YAML front matter of Jekyll-style articles, tolerating YAML that a strict parser rejects.

use yaml_rust2::{Yaml, YamlLoader};

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
/// Above this many brackets the strict parser is not trusted with the input (deep nesting).
const MAX_BRACKETS: usize = 256;

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
    let brackets = block.bytes().filter(|b| matches!(b, b'[' | b'{')).count();
    if brackets <= MAX_BRACKETS
        && let Ok(docs) = YamlLoader::load_from_str(block)
        && let Some(Yaml::Hash(_)) = docs.first()
    {
        return from_yaml(&docs[0]);
    }
    from_lines(block)
}

fn from_yaml(doc: &Yaml) -> FrontMatter {
    let first = |keys: &[&str]| keys.iter().find_map(|k| scalar(&doc[*k]));
    let mut tags = Vec::new();
    for key in TAG_KEYS {
        push_unique(&mut tags, list(&doc[*key]));
    }
    FrontMatter {
        title: first(TITLE_KEYS),
        date: first(DATE_KEYS),
        author: AUTHOR_KEYS
            .iter()
            .find_map(|k| scalar(&doc[*k]).or_else(|| list(&doc[*k]).into_iter().next())),
        url: first(URL_KEYS),
        tags,
    }
}

fn scalar(value: &Yaml) -> Option<String> {
    let s = match value {
        Yaml::String(s) | Yaml::Real(s) => s.clone(),
        Yaml::Integer(i) => i.to_string(),
        Yaml::Boolean(b) => b.to_string(),
        _ => return None,
    };
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

fn list(value: &Yaml) -> Vec<String> {
    match value {
        Yaml::Array(items) => items.iter().filter_map(scalar).collect(),
        other => scalar(other).into_iter().collect(),
    }
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
    fn numbers_and_missing_fields() {
        let (fm, _) = split("---\ntitle: 2024\n---\n").unwrap();
        assert_eq!(fm.title.as_deref(), Some("2024"));
        assert_eq!(fm.date, None);
        assert!(split("no front matter").is_none());
        assert!(split("---\nnever closed\n").is_none());
    }
}

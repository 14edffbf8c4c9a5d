//! The orders the list can take — newest, oldest, title (Chinese by pinyin), source, recently read — the same in the browser and the CLI.

use std::cmp::Reverse;
use std::collections::HashMap;

use rayon::prelude::*;

use crate::article::Article;
use crate::collection::Collection;

/// An order of the articles.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum SortOrder {
    /// Newest first: the collection's own order once loaded.
    #[default]
    Newest,
    /// Oldest first; undated articles last.
    Oldest,
    /// By title: Chinese by the pinyin of each character's common reading, Latin
    /// letters alphabetically, case and width ignored.
    Title,
    /// By source, then newest first.
    Source,
    /// The most recently read first (when it was marked read); unread ones after,
    /// newest first.
    Read,
}

impl SortOrder {
    pub const ALL: [SortOrder; 5] = [
        SortOrder::Newest,
        SortOrder::Oldest,
        SortOrder::Title,
        SortOrder::Source,
        SortOrder::Read,
    ];

    pub fn name(self) -> &'static str {
        match self {
            SortOrder::Newest => "newest",
            SortOrder::Oldest => "oldest",
            SortOrder::Title => "title",
            SortOrder::Source => "source",
            SortOrder::Read => "read",
        }
    }

    pub fn parse(name: &str) -> Option<SortOrder> {
        SortOrder::ALL
            .into_iter()
            .find(|o| o.name().eq_ignore_ascii_case(name.trim()))
    }

    /// The order after this one, round.
    pub fn next(self) -> SortOrder {
        let at = SortOrder::ALL.iter().position(|&o| o == self).unwrap_or(0);
        SortOrder::ALL[(at + 1) % SortOrder::ALL.len()]
    }

    /// The names, for messages: `newest, oldest, title, source or read`.
    pub fn names() -> String {
        let names: Vec<&str> = SortOrder::ALL.iter().map(|o| o.name()).collect();
        format!(
            "{} or {}",
            names[..names.len() - 1].join(", "),
            names[names.len() - 1]
        )
    }
}

/// The articles of `collection` (indexes) in `order`. The collection is newest
/// first, so its index breaks every tie newest first. `read_at` says when an
/// article was marked read (ms since the epoch; 0 when it is not read).
pub fn arrange(
    collection: &Collection,
    order: SortOrder,
    read_at: impl Fn(&Article) -> u64,
) -> Vec<u32> {
    let articles = collection.articles();
    let mut rows: Vec<u32> = (0..articles.len() as u32).collect();
    match order {
        SortOrder::Newest => {}
        SortOrder::Oldest => {
            rows.sort_by_key(|&i| {
                let a = &articles[i as usize];
                (a.date.is_none(), a.date, Reverse(i))
            });
        }
        SortOrder::Title => {
            // Each key looks up every character's reading: made on every core.
            let keys: Vec<String> = articles.par_iter().map(|a| title_key(&a.title)).collect();
            rows.sort_by(|&a, &b| keys[a as usize].cmp(&keys[b as usize]).then(a.cmp(&b)));
        }
        SortOrder::Source => {
            // A few hundred sources among many articles: each folded once, ranked,
            // then the articles sorted by their source's rank.
            let mut folded: HashMap<&str, String> = HashMap::new();
            for a in articles.iter() {
                let name = a.source.as_deref().unwrap_or("");
                folded
                    .entry(name)
                    .or_insert_with(|| crate::search::fold_str(name));
            }
            let mut names: Vec<(&String, &str)> = folded.iter().map(|(n, f)| (f, *n)).collect();
            // Articles without a source go last.
            names.sort_by(|a, b| (a.0.is_empty(), a.0, a.1).cmp(&(b.0.is_empty(), b.0, b.1)));
            let rank: HashMap<&str, u32> = names
                .iter()
                .enumerate()
                .map(|(r, (_, n))| (*n, r as u32))
                .collect();
            let ranks: Vec<u32> = articles
                .iter()
                .map(|a| {
                    rank.get(a.source.as_deref().unwrap_or(""))
                        .copied()
                        .unwrap_or(0)
                })
                .collect();
            rows.sort_by_key(|&i| (ranks[i as usize], i));
        }
        SortOrder::Read => {
            let stamps: Vec<u64> = articles.iter().map(|a| read_at(a)).collect();
            rows.sort_by_key(|&i| (Reverse(stamps[i as usize]), i));
        }
    }
    rows
}

/// What titles sort by: each letter or digit folded, each Chinese character as the
/// pinyin of its common reading followed by a space (so that `a` comes before `an`),
/// everything else left out; then, to keep homophones apart, the folded title.
pub fn title_key(title: &str) -> String {
    let readings = crate::search::pinyin::readings();
    let folded = crate::search::fold_str(title);
    let mut key = String::with_capacity(title.len() * 3);
    for c in folded.chars() {
        if let Some(reading) = readings.common_reading(c) {
            key.extend(reading.iter().map(|&b| char::from(b)));
            key.push(' ');
        } else if c.is_alphanumeric() {
            key.push(c);
        }
    }
    key.push('\u{1}');
    key.push_str(&folded);
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_cycle() {
        for o in SortOrder::ALL {
            assert_eq!(SortOrder::parse(o.name()), Some(o));
        }
        assert_eq!(SortOrder::parse("TITLE"), Some(SortOrder::Title));
        assert_eq!(SortOrder::parse("best"), None);
        assert_eq!(SortOrder::Read.next(), SortOrder::Newest);
        assert_eq!(SortOrder::names(), "newest, oldest, title, source or read");
    }

    #[test]
    fn titles_sort_by_pinyin_beside_latin() {
        let mut titles = vec!["中国", "Apple", "北京", "安全", "zoo", "「阿」", "Ｂanana"];
        titles.sort_by_key(|t| title_key(t));
        // a(阿) < an(安) < apple < banana < bei(北) < zhong(中) < zoo
        assert_eq!(
            titles,
            ["「阿」", "安全", "Apple", "Ｂanana", "北京", "中国", "zoo"]
        );
        // Traditional and simplified sort together.
        assert_eq!(title_key("關係"), title_key("关系"));
    }
}

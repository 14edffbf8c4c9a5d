//! How well pinyin queries find the title they were typed for: for words taken from
//! real titles, their initials (`xjp`) and their full pinyin (`xijinping`) by each
//! character's common reading, searched over all the titles; the share of queries
//! whose top 3 results include a title with the word, and whose first result is one.
//!
//!     cargo bench --bench pinyin_rank            # titles of ../shared/corpus
//!     FOLIO_RANK_CORPUS=DIR cargo bench --bench pinyin_rank

use pinyin::ToPinyin;

use folio::Source;
use folio::search::TitleIndex;

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF)
}

/// The words a query is made for: in each title, the first run of Chinese
/// characters long enough, cut to 2, 3 and 4 characters.
fn words(title: &str) -> Vec<String> {
    let chars: Vec<char> = title.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !is_han(chars[i]) {
            i += 1;
            continue;
        }
        let run = chars[i..].iter().take_while(|c| is_han(**c)).count();
        if run >= 2 {
            for len in [2, 3, 4] {
                if run >= len {
                    out.push(chars[i..i + len].iter().collect());
                }
            }
            break;
        }
        i += run;
    }
    out
}

/// The word's pinyin by each character's common reading: initials, and in full.
fn spellings(word: &str) -> Option<(String, String)> {
    let mut initials = String::new();
    let mut full = String::new();
    for c in word.chars() {
        let p = c.to_pinyin()?;
        let plain: String = p
            .plain()
            .chars()
            .map(|l| if l == 'ü' { 'v' } else { l })
            .collect();
        initials.push(plain.chars().next()?);
        full.push_str(&plain);
    }
    Some((initials, full))
}

fn main() {
    let corpus = std::env::var("FOLIO_RANK_CORPUS").unwrap_or_else(|_| "../shared/corpus".into());
    if !std::path::Path::new(&corpus).exists() {
        eprintln!("no corpus at {corpus}: set FOLIO_RANK_CORPUS to a folder of articles");
        return;
    }
    let loaded = folio::load(&Source::Paths(vec![corpus.clone().into()]), &|_| {});
    let collection = loaded.collection;
    let index = TitleIndex::new(&collection);
    let titles: Vec<&str> = collection.iter().map(|a| a.title.as_str()).collect();
    // Compared folded: traditional and simplified are the same word.
    let folded: Vec<String> = titles.iter().map(|t| folio::search::fold_str(t)).collect();
    for (kind, pick) in [("initials", 0usize), ("full pinyin", 1)] {
        let (mut queries, mut top1, mut top3) = (0, 0, 0);
        let mut misses = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for title in &titles {
            for word in words(title) {
                let Some(spelled) = spellings(&word) else {
                    continue;
                };
                let query = if pick == 0 { spelled.0 } else { spelled.1 };
                if !seen.insert(query.clone()) {
                    continue;
                }
                queries += 1;
                let hits = index.search(&query);
                let word_folded = folio::search::fold_str(&word);
                let has = |i: usize| {
                    hits.get(i)
                        .is_some_and(|h| folded[h.article as usize].contains(&word_folded))
                };
                if has(0) {
                    top1 += 1;
                }
                if (0..3).any(has) {
                    top3 += 1;
                } else if misses.len() < 8 {
                    let first = hits.first().map_or("", |h| titles[h.article as usize]);
                    misses.push(format!("{query} ({word}) → {first}"));
                }
            }
        }
        let pct = |n: usize| 100.0 * n as f64 / queries.max(1) as f64;
        println!(
            "{kind}: {queries} queries from {} titles: top 3 {:.1}%, first {:.1}%",
            titles.len(),
            pct(top3),
            pct(top1)
        );
        for miss in misses {
            println!("  missed: {miss}");
        }
    }
}

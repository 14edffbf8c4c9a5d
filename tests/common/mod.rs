//! Helpers shared by the integration tests: fixture paths, loading, and cleanliness checks.
#![allow(dead_code)]

use std::path::PathBuf;

use folio::{Article, Loaded, Source};

pub fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

pub fn shared(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(rel)
}

pub fn load(paths: &[PathBuf]) -> Loaded {
    folio::load(&Source::Paths(paths.to_vec()), &|_| {})
}

/// The article loaded from the file whose path ends with `suffix`.
pub fn by_path<'a>(loaded: &'a Loaded, suffix: &str) -> &'a Article {
    loaded
        .collection
        .iter()
        .find(|a| a.path.ends_with(suffix))
        .unwrap_or_else(|| panic!("no article from {suffix}; report: {:?}", loaded.report))
}

/// Characters that must never reach a terminal from article content.
pub fn is_dangerous(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}')
}

pub fn assert_clean(a: &Article) {
    let one_line = [
        Some(a.title.as_str()),
        a.url.as_deref(),
        a.author.as_deref(),
        a.source.as_deref(),
        Some(a.path.as_str()),
    ];
    for field in one_line
        .into_iter()
        .flatten()
        .chain(a.tags.iter().map(String::as_str))
    {
        assert!(
            !field.chars().any(|c| is_dangerous(c) || c == '\n'),
            "unclean field {field:?} in {}",
            a.path
        );
    }
    for link in &a.links {
        assert!(
            !format!("{}{}", link.text, link.url)
                .chars()
                .any(|c| is_dangerous(c) || c == '\n')
        );
    }
    assert!(
        !a.body.chars().any(is_dangerous),
        "unclean body in {}",
        a.path
    );
    for span in &a.spans {
        assert!(
            a.body.is_char_boundary(span.start as usize)
                && a.body.is_char_boundary(span.end as usize)
        );
        assert!(span.start < span.end && span.end as usize <= a.body.len());
    }
}

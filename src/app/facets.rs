//! The facet panel: the saved searches, then the sources, tags, authors, years and months of the articles the list shows, with their counts; choosing one puts its term in the search box (or takes it out).

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

pub use crate::search::fields::{Facet, Group, term};

/// The panel's state.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Panel {
    /// What is typed to narrow the entries (fuzzy, as titles are).
    pub query: String,
    pub cursor: usize,
    /// The selected row among those shown.
    pub selected: usize,
    /// Sorted by name instead of count.
    pub by_name: bool,
    /// Every entry, by group.
    pub all: Vec<Facet>,
    /// The entries the query leaves, as indexes into `all`, in order.
    pub shown: Vec<usize>,
}

impl Panel {
    /// The entries, narrowed by the query and sorted; the selection kept in range.
    pub fn refresh(&mut self) {
        let by_name = self.by_name;
        self.all.sort_by(|a, b| {
            a.group.cmp(&b.group).then_with(|| {
                if by_name || a.group == Group::Saved {
                    natural(a, b)
                } else {
                    b.count.cmp(&a.count).then_with(|| natural(a, b))
                }
            })
        });
        let query = self.query.trim();
        self.shown = if query.is_empty() {
            (0..self.all.len()).collect()
        } else {
            let matcher = SkimMatcherV2::default().ignore_case();
            let folded = crate::search::fold_str(query);
            self.all
                .iter()
                .enumerate()
                .filter(|(_, f)| {
                    matcher
                        .fuzzy_match(&crate::search::fold_str(&f.label), &folded)
                        .is_some()
                })
                .map(|(i, _)| i)
                .collect()
        };
        self.selected = self.selected.min(self.shown.len().saturating_sub(1));
    }

    pub fn chosen(&self) -> Option<&Facet> {
        self.all.get(*self.shown.get(self.selected)?)
    }
}

/// Names sort by name; years and months newest first.
fn natural(a: &Facet, b: &Facet) -> std::cmp::Ordering {
    match a.group {
        Group::Year | Group::Month => b.label.cmp(&a.label),
        _ => crate::search::fold_str(&a.label).cmp(&crate::search::fold_str(&b.label)),
    }
}

/// `query` with `term` added at the end, or taken out when it is there already.
pub fn toggle_term(query: &str, term: &str) -> String {
    let mut rest = query.trim().to_owned();
    // Terms may hold quoted spaces: look for the whole term between spaces.
    let padded = format!(" {rest} ");
    let needle = format!(" {term} ");
    if let Some(at) = padded.find(&needle) {
        let mut out = padded.clone();
        out.replace_range(at..at + needle.len(), " ");
        return out.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    if !rest.is_empty() {
        rest.push(' ');
    }
    rest.push_str(term);
    rest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_toggle_in_and_out_of_a_query() {
        assert_eq!(toggle_term("", "@voa"), "@voa");
        assert_eq!(toggle_term("中俄", "@voa"), "中俄 @voa");
        assert_eq!(toggle_term("中俄 @voa", "@voa"), "中俄");
        assert_eq!(
            toggle_term("@voa by:\"Maria R\" x", "by:\"Maria R\""),
            "@voa x"
        );
        assert_eq!(term("by:", "Maria \"R\""), "by:\"Maria R\"");
        assert_eq!(term("#", "中国"), "#中国");
    }
}

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
    /// Every entry, by group, sorted.
    pub all: Vec<Facet>,
    /// Each entry's label folded, beside `all`: what typing narrows by and names
    /// sort by, folded once.
    folded: Vec<String>,
    /// The entries the query leaves, as indexes into `all`, in order.
    pub shown: Vec<usize>,
}

impl Panel {
    /// A panel of `all`, sorted and shown.
    pub fn new(all: Vec<Facet>) -> Panel {
        let mut panel = Panel::default();
        panel.set_entries(all);
        panel
    }

    /// New entries (counted again): sorted, narrowed by the query, the selected
    /// entry still selected when it is still there.
    pub fn set_entries(&mut self, all: Vec<Facet>) {
        let chosen = self.chosen_key();
        self.folded = all
            .iter()
            .map(|f| crate::search::fold_str(&f.label))
            .collect();
        self.all = all;
        self.sort();
        self.reselect(chosen);
    }

    /// By count ⇄ by name, the selection kept.
    pub fn toggle_order(&mut self) {
        let chosen = self.chosen_key();
        self.by_name = !self.by_name;
        self.sort();
        self.reselect(chosen);
    }

    /// The entries the query leaves (after typing: the first one selected).
    pub fn narrow(&mut self) {
        let query = self.query.trim();
        self.shown = if query.is_empty() {
            (0..self.all.len()).collect()
        } else {
            let matcher = SkimMatcherV2::default().ignore_case();
            let query = crate::search::fold_str(query);
            self.folded
                .iter()
                .enumerate()
                .filter(|(_, label)| matcher.fuzzy_match(label, &query).is_some())
                .map(|(i, _)| i)
                .collect()
        };
        self.selected = self.selected.min(self.shown.len().saturating_sub(1));
    }

    pub fn chosen(&self) -> Option<&Facet> {
        self.all.get(*self.shown.get(self.selected)?)
    }

    fn chosen_key(&self) -> Option<(Group, String)> {
        self.chosen().map(|f| (f.group, f.term.clone()))
    }

    fn reselect(&mut self, chosen: Option<(Group, String)>) {
        self.narrow();
        if let Some((group, term)) = chosen
            && let Some(row) = self
                .shown
                .iter()
                .position(|&i| self.all[i].group == group && self.all[i].term == term)
        {
            self.selected = row;
        }
    }

    /// By group; within one, by count (then name) or by name; saved searches by
    /// name, years and months newest first.
    fn sort(&mut self) {
        let by_name = self.by_name;
        let mut entries: Vec<(Facet, String)> = std::mem::take(&mut self.all)
            .into_iter()
            .zip(std::mem::take(&mut self.folded))
            .collect();
        let natural = |a: &(Facet, String), b: &(Facet, String)| match a.0.group {
            Group::Year | Group::Month => b.0.label.cmp(&a.0.label),
            _ => a.1.cmp(&b.1),
        };
        entries.sort_by(|a, b| {
            a.0.group.cmp(&b.0.group).then_with(|| {
                if by_name || a.0.group == Group::Saved {
                    natural(a, b)
                } else {
                    b.0.count.cmp(&a.0.count).then_with(|| natural(a, b))
                }
            })
        });
        (self.all, self.folded) = entries.into_iter().unzip();
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

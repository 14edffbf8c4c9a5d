//! The list pane's state: which articles are shown (all, or a search's results), which is selected, what is scrolled into view.

/// The rows of the list pane.
#[derive(Debug, Clone, Default)]
pub struct ListView {
    /// Collection indices of the rows when a search filters the list; `None` shows every article.
    pub filter: Option<Vec<u32>>,
    /// Total number of articles in the collection.
    pub total: usize,
    /// Selected row.
    pub selected: usize,
    /// First visible row.
    pub offset: usize,
    /// Items that fit in the pane.
    pub height: usize,
    /// Screen lines per item: 1, or 2 when full-text results show a snippet.
    pub lines_per_item: usize,
}

impl ListView {
    pub fn new(total: usize) -> Self {
        ListView {
            total,
            lines_per_item: 1,
            ..ListView::default()
        }
    }

    pub fn len(&self) -> usize {
        self.filter.as_ref().map_or(self.total, Vec::len)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The collection index of row `row`.
    pub fn article_at(&self, row: usize) -> Option<usize> {
        match &self.filter {
            Some(rows) => rows.get(row).map(|&i| i as usize),
            None => (row < self.total).then_some(row),
        }
    }

    pub fn selected_article(&self) -> Option<usize> {
        self.article_at(self.selected)
    }

    /// The row showing collection index `article`, if it is shown.
    pub fn row_of(&self, article: usize) -> Option<usize> {
        match &self.filter {
            Some(rows) => rows.iter().position(|&i| i as usize == article),
            None => (article < self.total).then_some(article),
        }
    }

    pub fn select(&mut self, row: usize) {
        self.selected = row.min(self.len().saturating_sub(1));
        self.scroll_into_view();
    }

    pub fn move_by(&mut self, delta: isize) {
        self.select(self.selected.saturating_add_signed(delta));
    }

    /// Shows the rows `filter` (every article when `None`) from the top; the rows
    /// shown before are handed back.
    pub fn set_filter(&mut self, filter: Option<Vec<u32>>) -> Option<Vec<u32>> {
        self.selected = 0;
        self.offset = 0;
        std::mem::replace(&mut self.filter, filter)
    }

    /// Replaces the rows (more articles, a new order) keeping `article` selected,
    /// on the same screen line, when it is still shown.
    pub fn replace(&mut self, total: usize, filter: Option<Vec<u32>>, article: Option<usize>) {
        let line = self.selected.saturating_sub(self.offset);
        self.total = total;
        self.filter = filter;
        match article.and_then(|a| self.row_of(a)) {
            Some(row) => {
                self.selected = row;
                self.offset = row.saturating_sub(line);
                self.scroll_into_view();
            }
            None => self.select(self.selected),
        }
    }

    pub fn set_height(&mut self, height: usize) {
        self.height = height;
        self.scroll_into_view();
    }

    /// Keeps the selected row visible, scrolling as little as possible.
    fn scroll_into_view(&mut self) {
        let height = self.height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        let max_offset = self.len().saturating_sub(height);
        self.offset = self.offset.min(max_offset);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_stays_in_bounds_and_in_view() {
        let mut l = ListView::new(100);
        l.set_height(10);
        l.move_by(-1);
        assert_eq!(l.selected, 0);
        l.move_by(15);
        assert_eq!((l.selected, l.offset), (15, 6));
        l.select(1000);
        assert_eq!((l.selected, l.offset), (99, 90));
        l.set_filter(Some(vec![]));
        l.move_by(1);
        assert_eq!((l.selected, l.selected_article()), (0, None));
    }
}

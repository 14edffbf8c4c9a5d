//! Read marks, stars, reading positions and the unread/starred filters: the browser's side of what folio remembers.

use crate::state::{Change, Marks, Position};

use super::App;

/// An article shown this long (in the reader, on screen) becomes read.
pub const READ_AFTER_MS: u64 = 1000;

/// A marking by hand, as it can be taken back: what it was, and each article's
/// read and starred marks before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marking {
    pub what: String,
    before: Vec<(String, bool, bool)>,
}

/// A question waiting for `y` or `n`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Question {
    /// Mark these many articles read (more than a screenful)?
    MarkAllRead(usize),
}

impl Question {
    pub fn text(&self) -> String {
        match self {
            Question::MarkAllRead(n) => format!(
                "mark {} articles read? (y/n; u takes it back)",
                crate::format::thousands(*n)
            ),
        }
    }
}

impl App {
    /// Takes the remembered state: marks for the rows, and the last article of the
    /// previous session, selected again as soon as it is loaded (unless the user
    /// has moved by then).
    pub fn remember(&mut self, marks: Marks) {
        self.resume = marks.last.as_ref().map(|l| l.id.clone());
        self.marks = marks;
        self.resume_from(0);
        if let Some(index) = self.reader.article {
            // Opened before the marks were known.
            self.opened(index, false);
        }
        self.refilter();
    }

    /// Selects the article to resume at, if it is among the articles from `first` on.
    pub(super) fn resume_from(&mut self, first: usize) {
        let Some(id) = &self.resume else {
            return;
        };
        let Some(index) = self.collection.articles()[first.min(self.collection.len())..]
            .iter()
            .position(|a| &a.id == id)
            .map(|i| first + i)
        else {
            return;
        };
        self.resume = None;
        if let Some(row) = self.list.row_of(index) {
            self.settled = true;
            self.list.select(row);
            self.open_selected();
        }
    }

    fn id_of(&self, index: usize) -> Option<String> {
        self.collection.get(index).map(|a| a.id.clone())
    }

    /// Changes what is remembered of article `index` (the change made for its id),
    /// and queues the change for the state file if it changes anything.
    fn change(&mut self, index: usize, make: impl FnOnce(String) -> Change) {
        if let Some(id) = self.id_of(index) {
            self.change_id(id, make);
        }
    }

    /// [`App::change`] for the article with `id`.
    fn change_id(&mut self, id: String, make: impl FnOnce(String) -> Change) {
        let existed = self.marks.entries.contains_key(&id);
        let before = self.marks.get(&id);
        let change = make(id.clone());
        // Stamped when made, later than any change before it: the `read` order sorts
        // by these, and a merge with another process's file compares them.
        if !self.one_stamp {
            self.stamp = crate::state::now_ms().max(self.stamp + 1);
        }
        self.marks.apply(change.clone(), self.stamp);
        let after = self.marks.get(&id);
        if (before.read, before.starred, before.position)
            != (after.read, after.starred, after.position)
        {
            self.changes.push(change);
        } else if !existed {
            // Nothing to remember.
            self.marks.entries.remove(&id);
        }
    }

    pub fn is_read(&self, index: usize) -> bool {
        self.collection
            .get(index)
            .is_some_and(|a| self.marks.is_read(&a.id))
    }

    pub fn is_starred(&self, index: usize) -> bool {
        self.collection
            .get(index)
            .is_some_and(|a| self.marks.is_starred(&a.id))
    }

    /// The article the marking keys act on: the reader's when it has the keyboard,
    /// else the list's selection.
    fn marked_article(&self) -> Option<usize> {
        match self.focus {
            super::Focus::Reader => self.reader.article,
            super::Focus::List => self.list.selected_article(),
        }
    }

    /// Remembers the marks of `indices` before a marking, for `undo`.
    fn before_marking(&mut self, what: String, indices: &[usize]) {
        let before = indices
            .iter()
            .filter_map(|&i| {
                let id = self.id_of(i)?;
                let marks = self.marks.get(&id);
                Some((id, marks.read, marks.starred))
            })
            .collect();
        self.last_marking = Some(Marking { what, before });
    }

    /// Takes back the last marking.
    pub(super) fn undo(&mut self) {
        let Some(marking) = self.last_marking.take() else {
            self.message = Some("nothing to undo".to_owned());
            return;
        };
        // Only what the marking changed is changed back (and stamped): undoing a
        // star does not make the article read just now.
        for (id, read, starred) in marking.before {
            let now = self.marks.get(&id);
            if now.read != read {
                self.change_id(id.clone(), |id| Change::Read(id, read));
            }
            if now.starred != starred {
                self.change_id(id, |id| Change::Starred(id, starred));
            }
        }
        self.reading_since = None;
        self.message = Some(format!("undone: {}", marking.what));
        self.refilter();
    }

    /// The answer to the question in the status line.
    pub(super) fn answer(&mut self, yes: bool) {
        match self.question.take() {
            Some(Question::MarkAllRead(_)) if yes => self.mark_all_read(true),
            Some(Question::MarkAllRead(_)) => self.message = Some("nothing marked".to_owned()),
            None => {}
        }
    }

    pub(super) fn toggle_read(&mut self) {
        let Some(index) = self.marked_article() else {
            return;
        };
        let read = !self.is_read(index);
        let what = if read { "marked read" } else { "marked unread" };
        self.before_marking(what.to_owned(), &[index]);
        self.change(index, |id| Change::Read(id, read));
        // Marked unread by hand: it stays unread while it stays open.
        self.reading_since = None;
        self.message = Some(if read { "marked read" } else { "marked unread" }.to_owned());
    }

    /// Marks every article shown read; more than a screenful only once confirmed.
    pub(super) fn mark_all_read(&mut self, confirmed: bool) {
        let unread: Vec<usize> = (0..self.list.len())
            .filter_map(|row| self.list.article_at(row))
            .filter(|&i| !self.is_read(i))
            .collect();
        if !confirmed && unread.len() > self.list.height.max(1) {
            let question = Question::MarkAllRead(unread.len());
            self.message = Some(question.text());
            self.question = Some(question);
            return;
        }
        let what = format!("marked {} read", crate::format::thousands(unread.len()));
        self.before_marking(what.clone(), &unread);
        // One stamp for them all: they were marked at one moment.
        self.stamp = crate::state::now_ms().max(self.stamp + 1);
        self.one_stamp = true;
        for index in unread {
            self.change(index, |id| Change::Read(id, true));
        }
        self.one_stamp = false;
        self.message = Some(what);
    }

    pub(super) fn toggle_star(&mut self) {
        let Some(index) = self.marked_article() else {
            return;
        };
        let starred = !self.is_starred(index);
        let what = if starred {
            "starred"
        } else {
            "star taken away"
        };
        self.before_marking(what.to_owned(), &[index]);
        self.change(index, |id| Change::Starred(id, starred));
        self.message = Some(
            if starred {
                "starred"
            } else {
                "star taken away"
            }
            .to_owned(),
        );
    }

    /// `U` and `S`: adds `is:unread` (or `is:starred`) to the search box's query, or
    /// takes it out, so that what filters the list is always in the box. The
    /// selected article stays selected when it is still shown.
    pub(super) fn toggle_filter(&mut self, unread: bool) {
        let term = if unread { "is:unread" } else { "is:starred" };
        // Whatever spelling the box holds it in (`is:u`, `is:UNREAD`), the term
        // is taken out; a negated one (`!is:unread`) is another term and stays.
        let kind = if unread {
            crate::search::filter::Kind::Unread
        } else {
            crate::search::filter::Kind::Starred
        };
        let today = chrono::NaiveDate::default();
        let words: Vec<&str> = self.search.query.split_whitespace().collect();
        let kept: Vec<&str> = words
            .iter()
            .copied()
            .filter(|w| {
                let parsed = crate::search::filter::parse(w, today);
                !parsed
                    .filter
                    .conditions
                    .iter()
                    .any(|c| !c.negated && c.kind == kind)
            })
            .collect();
        let mut query = kept.join(" ");
        if kept.len() == words.len() {
            if !query.is_empty() {
                query.push(' ');
            }
            query.push_str(term);
        }
        self.replace_query(query);
        if self.list.is_empty() {
            self.message = Some(
                match (self.only_unread, self.only_starred) {
                    (true, true) => "no unread starred article",
                    (true, false) => "no unread article",
                    (false, true) => "no starred article",
                    (false, false) => "no article",
                }
                .to_owned(),
            );
        }
    }

    /// Shows the rows the search and the filters ask for, keeping the selection.
    pub(super) fn refilter(&mut self) {
        if self.searching_bodies() {
            // Full-text results are filtered as they come: search again.
            self.body_generation += 1;
            self.body_request = Some((self.body_generation, self.title_terms()));
            self.body_keep = true;
            return;
        }
        let selected = self.list.selected_article();
        let rows = self.current_rows();
        let rows = self.filtered(rows);
        self.list.replace(self.collection.len(), rows, selected);
        self.open_selected();
        self.recount_facets();
    }

    /// Whether article `index` passes the unread/starred filters.
    pub(super) fn passes(&self, index: usize) -> bool {
        (!self.only_unread || !self.is_read(index))
            && (!self.only_starred || self.is_starred(index))
    }

    /// `rows` (every article when `None`) less what the filters hide, except the
    /// articles in `shown`: what is on screen does not vanish because it was read.
    pub(super) fn filtered_keeping(
        &self,
        rows: Option<Vec<u32>>,
        shown: &std::collections::HashSet<u32>,
    ) -> Option<Vec<u32>> {
        if !self.only_unread && !self.only_starred {
            return rows;
        }
        let rows = rows.unwrap_or_else(|| (0..self.collection.len() as u32).collect());
        Some(
            rows.into_iter()
                .filter(|&i| shown.contains(&i) || self.passes(i as usize))
                .collect(),
        )
    }

    /// `rows` (every article when `None`) less what the filters hide.
    pub(super) fn filtered(&self, rows: Option<Vec<u32>>) -> Option<Vec<u32>> {
        if !self.only_unread && !self.only_starred {
            return rows;
        }
        let rows = match rows {
            Some(rows) => rows,
            None => (0..self.collection.len() as u32).collect(),
        };
        Some(
            rows.into_iter()
                .filter(|&i| self.passes(i as usize))
                .collect(),
        )
    }

    /// Time passes: the article shown for a second becomes read.
    /// The reading position is noted too, so that a dropped connection loses at
    /// most the last tick's scrolling.
    pub(super) fn tick(&mut self, now: u64) {
        self.clock = now;
        self.note_position();
        let Some((index, since)) = self.reading_since else {
            return;
        };
        if self.reader.article != Some(index) {
            self.reading_since = None;
        } else if self.areas().reader.is_none() || self.help {
            // Not on screen: the second starts when it is.
            self.reading_since = Some((index, now));
        } else if now.saturating_sub(since) >= READ_AFTER_MS {
            self.reading_since = None;
            self.change(index, |id| Change::Read(id, true));
        }
    }

    /// Called when the reader opens article `index`: back to where reading stopped,
    /// and the clock starts for marking it read.
    pub(super) fn opened(&mut self, index: usize, at_match: bool) {
        if !at_match
            && let Some(id) = self.id_of(index)
            && let Some(p) = self.marks.get(&id).position
        {
            self.reader.go_to_place(p.para, p.offset);
        }
        self.reading_since = None;
        if self.loading.is_none() || self.settled {
            self.start_reading(index);
        }
        // While a load runs unsettled, whatever arrived first is open: nobody chose it.
    }

    /// Article `index` is being read: it becomes read after a second on screen, and
    /// it is the article to come back to.
    pub(super) fn start_reading(&mut self, index: usize) {
        if self.reading_since.is_none_or(|(i, _)| i != index) {
            self.reading_since = (!self.is_read(index)).then_some((index, self.clock));
        }
        if let Some(id) = self.id_of(index)
            && self.marks.last.as_ref().is_none_or(|l| l.id != id)
        {
            self.marks.apply(Change::Last(id.clone()), 0);
            self.changes.push(Change::Last(id));
        }
    }

    /// Remembers where the reader is in its article (before it shows another, or quits).
    pub(super) fn note_position(&mut self) {
        let Some(index) = self.reader.article else {
            return;
        };
        let position = self
            .reader
            .place()
            .map(|(para, offset)| Position { para, offset });
        self.change(index, |id| Change::Position(id, position));
    }

    /// Before folio ends: remembers the reading position.
    pub fn closing(&mut self) {
        self.note_position();
    }
}

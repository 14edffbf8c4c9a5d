//! The browser's state and `update`, the one place it changes: pure, driven by [`Action`]s, testable without a terminal.

pub mod action;
pub mod appearance;
pub mod editing;
pub mod facets;
pub mod find;
pub mod help;
pub mod keymap;
pub mod layout;
pub mod list;
pub mod loading;
pub mod marks;
pub mod messages;
pub mod overlay;
pub mod reader;
pub mod search;

use std::collections::HashSet;
use std::sync::Arc;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub use action::Action;
pub use appearance::Appearance;
use editing::Edit;
use find::FindBox;
pub use keymap::{Context, Keymap};
use layout::{Areas, Front};
use list::ListView;
use loading::{Arrivals, Finished, Loading};
use marks::{Marking, Question};
use messages::Said;
use overlay::{Effect, Overlay};
use reader::Reader;
use search::{Recent, SearchBox, SearchMode};

use crate::article::Article;
use crate::collection::Collection;
use crate::loader::{Problem, Report};
use crate::search::filter::Kind as FilterKind;
use crate::search::{BodyHit, TitleIndex};
use crate::sort::SortOrder;
use crate::state::{Change, Marks};

/// Which pane has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    List,
    Reader,
}

/// Everything the screen shows, and nothing about the terminal.
pub struct App {
    pub collection: Arc<Collection>,
    pub index: Arc<TitleIndex>,
    pub keymap: Keymap,
    /// Terminal size: columns, rows.
    pub size: (u16, u16),
    pub focus: Focus,
    pub help: bool,
    /// First line of the help overlay shown (when it is taller than the screen).
    pub help_scroll: usize,
    pub list: ListView,
    pub search: SearchBox,
    /// Full-text results shown in the list, row for row, while the search box is in full-text mode.
    pub body_hits: Vec<BodyHit>,
    /// A full-text search waiting to run off the UI thread: its number and query.
    pub body_request: Option<(u64, String)>,
    /// Number of the latest full-text search; older results are dropped.
    pub body_generation: u64,
    pub reader: Reader,
    pub find: FindBox,
    /// A message for the status line (files skipped, nothing found, …).
    pub message: Option<String>,
    /// A warning shown in the status line before any message, until the next key
    /// (a damaged state file).
    pub warning: Option<String>,
    /// Theme, list width and date format (from the config file).
    pub appearance: Appearance,
    /// Running over SSH: links are copied rather than opened on the server.
    pub ssh: bool,
    /// The link picker or the skipped files, when shown.
    pub overlay: Option<Overlay>,
    /// What the terminal loop must do after this update (copy, open).
    pub effects: Vec<Effect>,
    /// Files the load skipped, and why.
    pub skipped: Vec<Problem>,
    /// The background load, while it runs.
    pub loading: Option<Loading>,
    /// Read marks, stars and reading positions (from the state file).
    pub marks: Marks,
    /// Changes to the marks, for the state file (taken by the event loop).
    pub changes: Vec<Change>,
    /// Show only unread articles.
    pub only_unread: bool,
    /// Show only starred articles.
    pub only_starred: bool,
    /// The filter terms of the search box's query, less `is:unread` and `is:starred`.
    pub filter: crate::search::Filter,
    /// What the query's filter terms could not understand, for the status line.
    pub filter_error: Option<String>,
    /// The list's order when no title search ranks it.
    pub sort: SortOrder,
    /// Every article in [`App::sort`], as made last, with what it was made for.
    order: Option<(OrderKey, Arc<Vec<u32>>)>,
    /// When the last change to the marks was made (ms since the epoch).
    stamp: u64,
    /// Changes being made together share [`App::stamp`] (`M`).
    one_stamp: bool,
    /// The command prompt of `|`: what is typed, and the cursor.
    pub prompt: Option<(String, usize)>,
    /// Articles to go back to (Ctrl-O), the last on top, and forward to (Ctrl-I).
    jumps_back: Vec<usize>,
    jumps_forward: Vec<usize>,
    /// The config file's saved searches (name, query).
    pub searches: Vec<(String, String)>,
    /// The day `today` and `7d` count from; `None`: the clock's (tests fix it).
    pub today: Option<chrono::NaiveDate>,
    /// Milliseconds since start, as of the last [`Action::Tick`].
    clock: u64,
    /// The reader's article and since when it has been on screen, until it becomes read.
    reading_since: Option<(usize, u64)>,
    /// The last article of the previous session, selected again once it has loaded
    /// (unless the user moved first).
    resume: Option<String>,
    /// The selection was chosen, by the user (a key, the mouse) or by resuming the
    /// last session: the final order of a load keeps it. Until then, the load ends
    /// on the first row.
    settled: bool,
    /// The next full-text results replace the rows without moving the selection
    /// (the same search run again over a finished load).
    body_keep: bool,
    /// The article the reader shows whose file was removed, kept until the user moves.
    pub orphan: Option<Arc<Article>>,
    /// Files the load converted with problems, and what they were.
    pub degraded: Vec<Problem>,
    /// The messages said so far.
    pub said: Said,
    /// The last marking, to be taken back by `undo`.
    pub last_marking: Option<Marking>,
    /// A question waiting for `y` or `n` in the status line.
    pub question: Option<Question>,
    /// The reader takes the whole screen (the list hidden).
    pub full_width: bool,
    /// The title searches made lately.
    recent: Recent,
    /// The rows a search showed before, kept to hold the next search's: memory in
    /// use already, where fresh memory costs a page fault every 4 KiB.
    spare_rows: Vec<u32>,
    /// The user asked for the folders to be looked at again (taken by the event loop).
    pub rescan_requested: bool,
    pub quit: bool,
}

/// How many jumps back are remembered.
const MAX_JUMPS: usize = 100;

/// What an order was made for: the order, the marks (for the read order) and the
/// collection's length (the order is forgotten when the collection is replaced).
type OrderKey = (SortOrder, usize, usize);

impl App {
    pub fn new(collection: Arc<Collection>, size: (u16, u16)) -> Self {
        let index = Arc::new(TitleIndex::new(&collection));
        App::with_index(collection, index, size)
    }

    /// A browser over a collection and its index made already (shared by many).
    pub fn with_index(
        collection: Arc<Collection>,
        index: Arc<TitleIndex>,
        size: (u16, u16),
    ) -> Self {
        let mut app = App {
            list: ListView::new(collection.len()),
            collection,
            index,
            keymap: Keymap::default(),
            size,
            focus: Focus::List,
            help: false,
            help_scroll: 0,
            search: SearchBox::default(),
            body_hits: Vec::new(),
            body_request: None,
            body_generation: 0,
            reader: Reader::default(),
            find: FindBox::default(),
            message: None,
            warning: None,
            appearance: Appearance::default(),
            ssh: false,
            overlay: None,
            effects: Vec::new(),
            skipped: Vec::new(),
            loading: None,
            marks: Marks::default(),
            changes: Vec::new(),
            only_unread: false,
            only_starred: false,
            filter: crate::search::Filter::default(),
            filter_error: None,
            sort: SortOrder::default(),
            order: None,
            searches: Vec::new(),
            prompt: None,
            jumps_back: Vec::new(),
            jumps_forward: Vec::new(),
            stamp: 0,
            one_stamp: false,
            today: None,
            clock: 0,
            reading_since: None,
            resume: None,
            settled: false,
            body_keep: false,
            orphan: None,
            degraded: Vec::new(),
            said: Said::default(),
            last_marking: None,
            question: None,
            full_width: false,
            recent: Recent::default(),
            spare_rows: Vec::new(),
            rescan_requested: false,
            quit: false,
        };
        app.relayout();
        app.open_selected();
        app
    }

    /// A browser with no article yet, waiting for a background load to send them
    /// ([`Action::Arrived`], then [`Action::Loaded`]).
    pub fn loading(size: (u16, u16)) -> Self {
        let mut app = App::new(Arc::new(Collection::default()), size);
        app.loading = Some(Loading::default());
        app.relayout();
        app
    }

    /// The bindings that apply now.
    pub fn context(&self) -> Context {
        if self.prompt.is_some() {
            Context::Prompt
        } else if self.help {
            Context::Help
        } else if self.question.is_some() {
            Context::Question
        } else if let Some(overlay) = &self.overlay {
            match overlay {
                Overlay::Links { .. } => Context::Links,
                Overlay::Skipped { .. } => Context::Skipped,
                Overlay::Facets(_) => Context::Facets,
                Overlay::History { .. } => Context::History,
            }
        } else if self.search.typing {
            Context::Search
        } else {
            match self.focus {
                Focus::List => Context::List,
                Focus::Reader if self.find.typing => Context::Find,
                Focus::Reader if self.find.is_active() => Context::Finding,
                Focus::Reader => Context::Reader,
            }
        }
    }

    /// The action a key asks for here, if any.
    pub fn action_for(&self, key: &KeyEvent) -> Option<Action> {
        self.keymap.action(self.context(), key)
    }

    /// Where the panes are on the current screen.
    pub fn areas(&self) -> Areas {
        let front = match self.focus {
            Focus::Reader if !self.search.typing => Front::Reader,
            _ => Front::List,
        };
        if self.full_width && front == Front::Reader {
            return layout::areas_alone(self.size.0, self.size.1);
        }
        layout::areas_with(self.size.0, self.size.1, front, self.appearance.list_width)
    }

    /// Milliseconds since start, as of the last tick.
    pub fn clock(&self) -> u64 {
        self.clock
    }

    pub fn article(&self, index: usize) -> Option<&Article> {
        self.collection.get(index)
    }

    pub fn open_article(&self) -> Option<&Article> {
        self.orphan
            .as_deref()
            .or_else(|| self.reader.article.and_then(|i| self.collection.get(i)))
    }

    /// Shows the selected article in the reader, unless it is already there. In a
    /// full-text search, the reader finds the query in it and shows the first match.
    fn open_selected(&mut self) {
        match self.list.selected_article() {
            Some(i) if self.reader.article != Some(i) || self.orphan.is_some() => {
                self.orphan = None;
                self.note_position();
                if let Some(article) = self.collection.get(i) {
                    self.reader.open(i, article);
                }
                self.find = FindBox::default();
                let hit = self.body_hits.get(self.list.selected).map(|h| h.offset);
                self.opened(i, hit.is_some());
                if let Some(offset) = hit {
                    self.find.query = self.title_terms();
                    self.refind(offset);
                }
            }
            Some(_) => {}
            None => {
                self.orphan = None;
                self.note_position();
                self.reader.close();
                self.find = FindBox::default();
            }
        }
    }

    /// Takes in what a reload of the folders found (files added, changed or
    /// removed while folio runs): nothing the user looks at moves. The selected
    /// article stays selected on its screen line, the reader where it was, a search
    /// or filter stays on (run again over the new articles); an article being read
    /// whose file was removed stays in the reader until the user moves.
    pub fn apply_update(&mut self, finished: &Finished, changes: &crate::loader::Changes) {
        if self.loading.is_some() {
            return;
        }
        // An article is the same article while it comes from the same file (its id
        // may change with its contents); one from no file, while its id is the same.
        let mut files = std::collections::HashMap::new();
        let mut ids = std::collections::HashMap::new();
        for (i, article) in finished.collection.iter().enumerate() {
            match &article.origin {
                Some(origin) => files.insert(origin.path.as_path(), i),
                None => ids.insert(article.id.as_str(), i),
            };
        }
        let old = Arc::clone(&self.collection);
        let place = |i: usize| -> Option<usize> {
            let article = old.get(i)?;
            match &article.origin {
                Some(origin) => files.get(origin.path.as_path()).copied(),
                None => ids.get(article.id.as_str()).copied(),
            }
        };
        if let Some(open) = self.reader.article {
            match place(open) {
                Some(i) => {
                    self.reader.article = Some(i);
                    // The same article; if its file changed, its text is shown anew
                    // at the same place.
                    if let (Some(before), Some(now)) = (old.get(open), finished.collection.get(i))
                        && before.origin != now.origin
                    {
                        let at = self.reader.place();
                        self.reader.open(i, now);
                        if let Some((para, offset)) = at {
                            self.reader.go_to_place(para, offset);
                        }
                    }
                }
                None => {
                    // The reader's title says its file is gone.
                    self.orphan = old.articles().get(open).cloned();
                    self.reader.article = None;
                }
            }
        }
        self.take_order(finished, &place);
        if self.orphan.is_none() && self.reader.article.is_none() {
            self.open_selected();
        }
        self.skipped = finished.report.skipped.clone();
        self.degraded = finished.report.degraded.clone();
        self.message = Some(changes_message(changes));
    }

    /// Swaps in a new order of the articles, `place` saying where each old index
    /// went: the selection, the filters and searches follow their articles (a
    /// full-text search runs again over the new articles).
    fn take_order(&mut self, finished: &Finished, place: &dyn Fn(usize) -> Option<usize>) {
        let selected = self.list.selected_article().and_then(place);
        let shown: HashSet<u32> = self
            .shown_articles()
            .into_iter()
            .filter_map(|i| place(i as usize))
            .map(|i| i as u32)
            .collect();
        self.search.before = self.search.before.and_then(place);
        self.reading_since = self
            .reading_since
            .and_then(|(i, since)| Some((place(i)?, since)));
        self.body_hits
            .retain_mut(|hit| match place(hit.article as usize) {
                Some(i) => {
                    hit.article = i as u32;
                    true
                }
                None => false,
            });
        // The jumps and the history name articles by place: they move with them.
        for jumps in [&mut self.jumps_back, &mut self.jumps_forward] {
            *jumps = jumps.iter().filter_map(|&i| place(i)).collect();
        }
        if let Some(Overlay::History { entries, .. }) = &mut self.overlay {
            *entries = entries
                .iter()
                .filter_map(|&(i, at)| Some((place(i)?, at)))
                .collect();
        }
        // Searches and orders made over the old collection are of no use now.
        self.recent = Recent::default();
        self.order = None;
        let old = (
            std::mem::replace(&mut self.collection, Arc::clone(&finished.collection)),
            std::mem::replace(&mut self.index, Arc::clone(&finished.index)),
        );
        // Freeing a large index takes longer than a keystroke may wait.
        drop_elsewhere(old);
        let rows = if self.searching_bodies() {
            self.body_generation += 1;
            self.body_request = Some((self.body_generation, self.title_terms()));
            self.body_keep = true;
            self.list
                .filter
                .as_ref()
                .map(|_| self.body_hits.iter().map(|h| h.article).collect())
        } else {
            let rows = self.current_rows();
            self.filtered_keeping(rows, &shown)
        };
        self.list.replace(self.collection.len(), rows, selected);
        self.recount_facets();
    }

    /// Searches the open article for the find query, from body offset `from`,
    /// and shows the current match.
    fn refind(&mut self, from: usize) {
        let Some(article) = self.reader.article.and_then(|i| self.collection.get(i)) else {
            return;
        };
        self.find.search(article.body(), from);
        self.show_current_match();
    }

    fn show_current_match(&mut self) {
        if let Some(m) = self.find.current_match()
            && let Some(row) = self.reader.row_of_body_offset(m.start)
        {
            self.reader.show_row(row);
        }
    }

    /// The body offset at the top of the reader's screen.
    fn reader_top_offset(&self) -> usize {
        self.reader
            .body_offset_of_row(self.reader.scroll)
            .unwrap_or(0)
    }

    /// Recomputes what depends on the screen size and the visible panes.
    fn relayout(&mut self) {
        let areas = self.areas();
        let list_height = areas
            .list
            .map_or(0, |a| layout::inner(a).height)
            .saturating_sub(u16::from(self.search.is_visible()))
            .saturating_sub(u16::from(self.loading.is_some()));
        self.list
            .set_height(usize::from(list_height) / self.list.lines_per_item.max(1));
        // Sized as if in front even when hidden, so that a narrow screen does not
        // wrap the article twice (and never to a width of nothing).
        let reader_area = if self.full_width {
            layout::areas_alone(self.size.0, self.size.1)
        } else {
            layout::areas_with(
                self.size.0,
                self.size.1,
                Front::Reader,
                self.appearance.list_width,
            )
        }
        .reader;
        let (width, height) = reader_area
            .map(layout::reader_text)
            .map_or((self.reader.width.max(1), self.reader.height), |r| {
                (r.width, r.height)
            });
        let article = self.orphan.clone().or_else(|| {
            let i = self.reader.article?;
            self.collection.articles().get(i).cloned()
        });
        self.reader.resize(width.max(1), height, article.as_deref());
    }

    fn run_search(&mut self) {
        let query = self.search.query.trim().to_owned();
        self.body_keep = false;
        self.body_hits.clear();
        self.body_request = None;
        let title = self.parse_query();
        let error = self.filter_error.clone();
        if query.is_empty() {
            let rows = self.rows_for(&title, false);
            self.list.set_filter(self.filtered(rows));
            if let Some(row) = self.search.before.and_then(|a| self.list.row_of(a)) {
                self.list.select(row);
            }
            self.message = None;
        } else if self.search.mode == SearchMode::Bodies && !title.is_empty() {
            // Runs off the UI thread; the list keeps its rows until the results arrive.
            self.body_generation += 1;
            self.body_request = Some((self.body_generation, title));
            self.message = Some(error.unwrap_or_else(|| "searching…".to_owned()));
            return;
        } else {
            let rows = self.rows_for(&title, true);
            let shown = self.filtered(rows);
            if let Some(before) = self.list.set_filter(shown) {
                self.spare_rows = before;
            }
            self.message = error.or_else(|| {
                self.list.is_empty().then(|| {
                    if title.is_empty() {
                        "no article passes the filter".to_owned()
                    } else {
                        "no matching titles".to_owned()
                    }
                })
            });
        }
        self.list.lines_per_item = 1;
        self.open_selected();
    }

    /// Puts `query` in the search box (not being typed in) and shows what it asks
    /// for, the selection kept; the article selected first is remembered, for Esc.
    pub(super) fn replace_query(&mut self, query: String) {
        if !self.search.is_visible() {
            self.search.before = self.list.selected_article();
        }
        self.search.cursor = query.len();
        self.search.query = query;
        self.search.typing = false;
        if self.search.query.is_empty() {
            let before = self.search.before;
            self.search = SearchBox {
                before,
                ..SearchBox::default()
            };
        }
        self.refilter();
        // The filters' flags, also when a full-text search runs again.
        self.parse_query();
    }

    /// Takes the search box's query apart: its filter terms become [`App::filter`]
    /// (`is:unread` and `is:starred` the list's unread and starred filters), and the
    /// title terms are returned.
    pub(super) fn parse_query(&mut self) -> String {
        let parsed = crate::search::filter::parse(&self.search.query, self.today());
        self.filter_error = parsed.error().map(ToString::to_string);
        let mut filter = parsed.filter;
        self.only_unread = filter.has(&FilterKind::Unread);
        self.only_starred = filter.has(&FilterKind::Starred);
        // Those two are the list's own filters, which keep what is on screen shown.
        filter
            .conditions
            .retain(|c| c.negated || !matches!(c.kind, FilterKind::Unread | FilterKind::Starred));
        self.filter = filter;
        parsed.title
    }

    /// The title terms of the search box's query (what the title index and the
    /// highlighting see).
    pub fn title_terms(&self) -> String {
        crate::search::filter::parse(&self.search.query, self.today()).title
    }

    /// Today's date, for `today`, `7d` and the like.
    fn today(&self) -> chrono::NaiveDate {
        self.today.unwrap_or_else(crate::search::filter::today)
    }

    /// Whether article `i` passes the query's filter terms, `filter` compiled.
    fn keeps(&self, filter: &crate::search::filter::Compiled, i: usize) -> bool {
        if filter.is_empty() {
            return true;
        }
        let Some(a) = self.collection.get(i) else {
            return false;
        };
        // The marks are looked up only for an `is:` term.
        let (read, starred) = if filter.needs_marks() {
            (self.is_read(i), self.is_starred(i))
        } else {
            (false, false)
        };
        filter.matches(i, a, read, starred)
    }

    /// The rows the query asks for, before the unread and starred filters: title
    /// matches best first, or every article in the list's order; those the filter
    /// terms leave. `None`: every article, in the collection's order. `remembered`
    /// answers from (and adds to) the searches made lately.
    fn query_rows(&mut self, remembered: bool) -> Option<Vec<u32>> {
        let title = self.parse_query();
        self.rows_for(&title, remembered)
    }

    /// [`App::query_rows`] for the query parsed already, `title` its title terms.
    fn rows_for(&mut self, title: &str, remembered: bool) -> Option<Vec<u32>> {
        let hits = (!title.is_empty()).then(|| {
            if remembered {
                self.recent.search(&self.index, title)
            } else {
                Arc::new(self.index.search(title))
            }
        });
        let order = if hits.is_none() { self.ordered() } else { None };
        let filter = self.filter.compile(&self.index.fields);
        if let Some(hits) = hits {
            // Sized at once, not grown (and copied) as it fills.
            let mut rows = std::mem::take(&mut self.spare_rows);
            rows.clear();
            rows.reserve(hits.len());
            rows.extend(
                hits.iter()
                    .map(|h| h.article)
                    .filter(|&a| self.keeps(&filter, a as usize)),
            );
            return Some(rows);
        }
        if filter.is_empty() {
            return order.map(|o| o.to_vec());
        }
        Some(match order {
            Some(order) => order
                .iter()
                .copied()
                .filter(|&a| self.keeps(&filter, a as usize))
                .collect(),
            None => (0..self.collection.len() as u32)
                .filter(|&a| self.keeps(&filter, a as usize))
                .collect(),
        })
    }

    /// Every article in the sort order (`None` for newest first, the collection's
    /// own order). Kept until the collection or the order changes; the order of
    /// reading changes with every mark, so it is made each time.
    fn ordered(&mut self) -> Option<Arc<Vec<u32>>> {
        if self.sort == SortOrder::Newest {
            return None;
        }
        // The read order changes with every mark: it is keyed by their number too.
        let marked = if self.sort == SortOrder::Read {
            self.stamp as usize
        } else {
            0
        };
        let key = (self.sort, marked, self.collection.len());
        if let Some((k, order)) = &mut self.order {
            if *k == key {
                return Some(Arc::clone(order));
            }
            // While the load runs, articles that arrive go at the end: the order is
            // made again once, when it ends (and the collection is replaced).
            if self.loading.is_some() && (k.0, k.1) == (key.0, key.1) && k.2 < key.2 {
                let grown = Arc::make_mut(order);
                grown.extend(k.2 as u32..key.2 as u32);
                *k = key;
                return Some(Arc::clone(order));
            }
        }
        let marks = &self.marks;
        let order = Arc::new(crate::sort::arrange(&self.collection, self.sort, |a| {
            marks.read_at(&a.id)
        }));
        self.order = Some((key, Arc::clone(&order)));
        Some(order)
    }

    /// Lists what was read, the most recent first (when, from the state's times).
    pub(super) fn show_history(&mut self) {
        let mut entries: Vec<(usize, u64)> = self
            .collection
            .iter()
            .enumerate()
            .filter_map(|(i, a)| {
                let at = self.marks.read_at(&a.id);
                (at > 0).then_some((i, at))
            })
            .collect();
        entries.sort_by_key(|&(i, at)| (std::cmp::Reverse(at), i));
        if entries.is_empty() {
            self.message = Some("nothing read yet".to_owned());
            return;
        }
        self.overlay = Some(Overlay::History {
            entries,
            selected: 0,
        });
    }

    /// Selects and opens `article`; when the list does not show it, the search and
    /// filters are cleared first so that it does.
    pub(super) fn go_to(&mut self, article: usize) {
        if self.list.row_of(article).is_none() {
            self.search = SearchBox::default();
            self.body_hits.clear();
            self.list.lines_per_item = 1;
            let rows = self.query_rows(false);
            let rows = self.filtered(rows);
            self.list.set_filter(rows);
        }
        if let Some(row) = self.list.row_of(article) {
            self.list.select(row);
            self.open_selected();
        }
    }

    /// Remembers the article being read before a jump (n/p, a search result, the
    /// history), for Ctrl-O; a new jump forgets the way forward.
    pub(super) fn note_jump(&mut self) {
        if let Some(at) = self.reader.article {
            if self.jumps_back.last() != Some(&at) {
                self.jumps_back.push(at);
            }
            if self.jumps_back.len() > MAX_JUMPS {
                self.jumps_back.remove(0);
            }
            self.jumps_forward.clear();
        }
    }

    /// Ctrl-O (`back`) and Ctrl-I: to the article before the last jump, or after.
    pub(super) fn jump(&mut self, back: bool) {
        let (from, to) = if back {
            (&mut self.jumps_back, &mut self.jumps_forward)
        } else {
            (&mut self.jumps_forward, &mut self.jumps_back)
        };
        let here = self.reader.article;
        let target = loop {
            match from.pop() {
                Some(a) if Some(a) == here => continue,
                other => break other,
            }
        };
        let Some(target) = target.filter(|&a| a < self.collection.len()) else {
            self.message = Some(
                if back {
                    "no jump to go back to"
                } else {
                    "no jump to go forward to"
                }
                .to_owned(),
            );
            return;
        };
        if let Some(here) = here {
            to.push(here);
        }
        self.go_to(target);
    }

    /// Opens the facet panel over the list as it stands.
    pub(super) fn open_facets(&mut self) {
        let panel = facets::Panel::new(self.facet_entries());
        self.overlay = Some(Overlay::Facets(Box::new(panel)));
    }

    /// The saved searches, then every facet of the rows the list shows, counted.
    fn facet_entries(&mut self) -> Vec<facets::Facet> {
        let mut all: Vec<facets::Facet> = self
            .searches
            .iter()
            .map(|(name, query)| facets::Facet {
                group: facets::Group::Saved,
                label: name.clone(),
                term: query.clone(),
                count: 0,
            })
            .collect();
        all.extend(self.index.fields.count(self.list.filter.as_deref()));
        all
    }

    /// Counts the open facet panel again (the list changed under it).
    pub(super) fn recount_facets(&mut self) {
        if matches!(self.overlay, Some(Overlay::Facets(_))) {
            let all = self.facet_entries();
            if let Some(Overlay::Facets(panel)) = &mut self.overlay {
                panel.set_entries(all);
            }
        }
    }

    /// Puts the selected facet's term in the search box, or takes it out; a saved
    /// search becomes the query. The panel stays open, counted again.
    pub(super) fn choose_facet(&mut self) {
        let Some(Overlay::Facets(panel)) = &self.overlay else {
            return;
        };
        let Some(facet) = panel.chosen().cloned() else {
            return;
        };
        let query = if facet.group == facets::Group::Saved {
            if self.search.query.trim() == facet.term.trim() {
                String::new()
            } else {
                facet.term.clone()
            }
        } else {
            facets::toggle_term(&self.search.query, &facet.term)
        };
        self.replace_query(query);
        self.message = self.filter_error.clone().or_else(|| {
            Some(format!(
                "{} articles",
                crate::format::thousands(self.list.len())
            ))
        });
        self.recount_facets();
    }

    /// Takes the next sort order (or `to`), keeping the selected article selected and
    /// on screen.
    pub(super) fn sort_by(&mut self, to: Option<SortOrder>) {
        self.sort = to.unwrap_or(self.sort.next());
        self.refilter();
        self.message = Some(format!("sorted by {}", self.sort.name()));
    }

    fn apply_body_results(&mut self, generation: u64, mut hits: Vec<BodyHit>) {
        if generation != self.body_generation || self.search.mode != SearchMode::Bodies {
            return;
        }
        let filter = self.filter.compile(&self.index.fields);
        hits.retain(|h| self.passes(h.article as usize) && self.keeps(&filter, h.article as usize));
        let rows = Some(hits.iter().map(|h| h.article).collect());
        if std::mem::take(&mut self.body_keep) {
            let selected = self.list.selected_article();
            self.list.replace(self.collection.len(), rows, selected);
        } else {
            self.list.set_filter(rows);
            self.note_position();
            self.reader.article = None;
        }
        self.message = hits
            .is_empty()
            .then(|| "no article contains that".to_owned());
        self.body_hits = hits;
        self.list.lines_per_item = 2;
        self.open_selected();
    }

    /// Whether the search box holds a full-text search (with text to search for).
    pub(super) fn searching_bodies(&self) -> bool {
        self.search.mode == SearchMode::Bodies && !self.title_terms().is_empty()
    }

    /// The rows the search box asks for now: title matches by rank, the full-text
    /// results as they stand, or every article in the list's order.
    fn current_rows(&mut self) -> Option<Vec<u32>> {
        if self.searching_bodies() {
            return self.list.filter.clone();
        }
        self.query_rows(false)
    }

    /// Adds the articles a background load sent, at the end of the list; nothing
    /// shown moves, and a title search takes them in at once.
    fn arrive(&mut self, arrivals: Arrivals) {
        let Some(loading) = &mut self.loading else {
            return;
        };
        if let Some(progress) = arrivals.progress {
            loading.progress = progress;
            loading.found = true;
        }
        self.skipped.extend(arrivals.skipped);
        if arrivals.articles.is_empty() {
            return;
        }
        let before = self.collection.len();
        loading
            .files
            .extend(arrivals.articles.iter().map(|(file, _)| *file));
        Arc::make_mut(&mut self.collection).extend(arrivals.articles.into_iter().map(|(_, a)| a));
        match Arc::get_mut(&mut self.index) {
            Some(index) => {
                index.extend_articles(&self.collection.articles()[before..]);
                // Remembered hits lack the new titles.
                self.recent = Recent::default();
            }
            None => self.index = Arc::new(TitleIndex::new(&self.collection)),
        }
        let selected = self.list.selected_article();
        let shown = self.shown_articles();
        let rows = if self.searching_bodies() {
            // Full-text rows go with their results: they stay as they are.
            self.list.filter.clone()
        } else if !self.search.query.trim().is_empty() {
            let rows = self.current_rows();
            self.filtered_keeping(rows, &shown)
        } else {
            // No search: the new articles go at the end, if the filters let them.
            self.list.filter.as_ref().map(|rows| {
                let new = (before..self.collection.len()).filter(|&i| self.passes(i));
                rows.iter().copied().chain(new.map(|i| i as u32)).collect()
            })
        };
        self.list.replace(self.collection.len(), rows, selected);
        self.resume_from(before);
        if self.search.mode == SearchMode::Titles && !self.search.query.trim().is_empty() {
            self.message = self
                .list
                .is_empty()
                .then(|| "no matching titles".to_owned());
        }
        self.open_selected();
        // The facet panel's counts follow the load.
        self.recount_facets();
    }

    /// Takes a finished load's final order. The selected article stays selected on
    /// the same screen line, the reader where it was; a full-text search runs again
    /// over everything.
    fn finish_loading(&mut self, finished: &Finished) {
        let Some(loading) = self.loading.take() else {
            return;
        };
        let place = |arrived: usize| -> Option<usize> {
            let file = *loading.files.get(arrived)? as usize;
            finished
                .placed
                .get(file)
                .copied()
                .flatten()
                .map(|i| i as usize)
        };
        self.reader.article = self.reader.article.and_then(place);
        self.take_order(finished, &place);
        if !self.settled {
            // Nobody chose an article yet: start on the first row (the newest), as after
            // a quick load, or on the last article of the previous session.
            self.list.select(0);
            self.resume_from(0);
        }
        self.skipped = finished.report.skipped.clone();
        self.degraded = finished.report.degraded.clone();
        self.message = Some(loaded_message(self.collection.len(), &finished.report));
        if let Some(note) = finished.report.notes.first() {
            self.warning = Some(note.clone());
        }
        self.open_selected();
        // An article opened while the load read the texts has its text now.
        self.text_arrived();
        if let Some(index) = self.reader.article {
            // Now that the load has settled, the open article counts as chosen.
            self.start_reading(index);
        }
    }

    /// The open article came without its text, which is here now: it is laid out again.
    fn text_arrived(&mut self) {
        if self.reader.missing_text
            && let Some(index) = self.reader.article
            && let Some(article) = self.collection.get(index)
            && article.has_text()
        {
            let article = article.clone();
            self.reader.open(index, &article);
        }
    }

    /// The collection indices of the rows the list shows now, when a filter is on
    /// (empty otherwise: then nothing is hidden anyway).
    fn shown_articles(&self) -> HashSet<u32> {
        if !self.only_unread && !self.only_starred {
            return HashSet::new();
        }
        self.list
            .filter
            .as_ref()
            .map(|rows| rows.iter().copied().collect())
            .unwrap_or_default()
    }

    /// Copies `text`, saying what was copied.
    fn copy(&mut self, text: String, what: &str) {
        self.effects.push(Effect::Copy(text));
        self.message = Some(format!("copied {what}"));
    }

    /// Opens `url` in a browser; over SSH the browser would open on the server, so
    /// the link is copied instead. Only web links are opened: anything else is copied.
    fn open_or_copy(&mut self, url: String) {
        if crate::html::web_url(&url).is_none() {
            self.effects.push(Effect::Copy(url));
            self.message =
                Some("not a web link (http or https): copied it instead of opening it".to_owned());
        } else if self.ssh {
            self.effects.push(Effect::Copy(url));
            self.message = Some("over SSH: copied the link instead of opening it".to_owned());
        } else {
            self.effects.push(Effect::Open(url));
            self.message = Some("opening the link…".to_owned());
        }
    }

    /// The link picked in the picker.
    fn picked_link(&self) -> Option<(usize, String)> {
        let Some(Overlay::Links { selected, .. }) = &self.overlay else {
            return None;
        };
        let link = self.open_article()?.links().get(*selected)?;
        Some((*selected + 1, link.url.clone()))
    }

    /// Handles a click or a wheel turn at a screen position.
    fn pointer(&mut self, x: u16, y: u16, wheel: i8) {
        let at = ratatui::layout::Position { x, y };
        let areas = self.areas();
        if let Some(list) = areas.list.filter(|a| a.contains(at)) {
            let inner = layout::inner(list);
            if wheel != 0 {
                self.list.move_by(isize::from(wheel) * 3);
            } else if y >= inner.y {
                let first = inner.y + u16::from(self.search.is_visible());
                // The progress bar takes the last line while a load runs.
                let end = inner.bottom() - u16::from(self.loading.is_some());
                if y >= first && y < end {
                    let row =
                        self.list.offset + usize::from(y - first) / self.list.lines_per_item.max(1);
                    if row < self.list.len() {
                        self.list.select(row);
                    }
                }
                self.focus = Focus::List;
            }
            self.open_selected();
        } else if areas.reader.is_some_and(|a| a.contains(at)) {
            if wheel != 0 {
                self.reader.scroll_by(isize::from(wheel) * 3);
            } else if self.reader.article.is_some() {
                self.focus = Focus::Reader;
            }
        }
    }

    /// The box that has the keyboard, if any: the list's search box or the reader's find box.
    /// The box being typed in, as its text and cursor.
    fn typing_box(&mut self) -> Option<(&mut String, &mut usize)> {
        if let Some((text, cursor)) = &mut self.prompt {
            Some((text, cursor))
        } else if let Some(Overlay::Facets(panel)) = &mut self.overlay {
            Some((&mut panel.query, &mut panel.cursor))
        } else if self.search.typing {
            Some((&mut self.search.query, &mut self.search.cursor))
        } else if self.find.typing {
            Some((&mut self.find.query, &mut self.find.cursor))
        } else {
            None
        }
    }

    /// Edits the box being typed in; the search runs again if its text changed.
    fn edit(&mut self, edit: Edit) {
        let Some((text, cursor)) = self.typing_box() else {
            return;
        };
        let before = text.len();
        editing::apply(text, cursor, &edit);
        let changed =
            edit.changes_text() && (text.len() != before || matches!(edit, Edit::Insert(_)));
        if changed {
            self.query_edited();
        }
    }

    /// After the query of the box being typed in changed.
    fn query_edited(&mut self) {
        if self.prompt.is_some() {
        } else if let Some(Overlay::Facets(panel)) = &mut self.overlay {
            panel.selected = 0;
            panel.narrow();
        } else if self.search.typing {
            self.run_search();
        } else if self.find.typing {
            let from = self.reader_top_offset();
            self.refind(from);
        }
    }
}

/// Applies one action to the state. Never touches the terminal.
pub fn update(app: &mut App, action: Action) {
    let said = (app.message.clone(), app.warning.clone());
    apply(app, action);
    app.said
        .note(&said, (&app.message, &app.warning), app.clock);
}

/// Applies a key: the action it is bound to here. An Alt-key bound to nothing is
/// taken as Esc followed by the key: the two arrived together (over a slow link,
/// or while folio was busy), and the terminal could not tell them apart.
pub fn press_key(app: &mut App, key: &KeyEvent) {
    if let Some(action) = app.action_for(key) {
        update(app, action);
        return;
    }
    if key.modifiers == KeyModifiers::ALT {
        let esc = KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE);
        if let Some(action) = app.action_for(&esc) {
            update(app, action);
        }
        let plain = KeyEvent::new(key.code, KeyModifiers::NONE);
        if let Some(action) = app.action_for(&plain) {
            update(app, action);
        }
    }
}

fn apply(app: &mut App, action: Action) {
    let page = |height: usize| height.max(2) as isize - 1;
    if action.is_from_user() {
        // The user has started: no jumping to where the last session ended.
        app.resume = None;
        app.warning = None;
        app.settled = true;
    }
    if let Some(Overlay::Skipped { .. }) = &app.overlay {
        let (visible, width) = overlay::report_size(app.size);
        let max = overlay::report_lines(app, width)
            .len()
            .saturating_sub(visible);
        let Some(Overlay::Skipped { scroll }) = &mut app.overlay else {
            return;
        };
        let delta = match action {
            Action::ScrollDown => 1,
            Action::ScrollUp => -1,
            Action::ScrollPageDown => page(visible),
            Action::ScrollPageUp => -page(visible),
            Action::ScrollTop => isize::MIN / 2,
            Action::ScrollBottom => isize::MAX / 2,
            _ => 0,
        };
        if delta != 0 {
            *scroll = scroll.saturating_add_signed(delta).min(max);
            return;
        }
    }
    let facet_rows = overlay::facet_rows(app.size) as isize;
    // The history and the facet panel: lists moved through the same way.
    let picker = match &mut app.overlay {
        Some(Overlay::History { entries, selected }) => Some((selected, entries.len())),
        Some(Overlay::Facets(panel)) => {
            let len = panel.shown.len();
            Some((&mut panel.selected, len))
        }
        _ => None,
    };
    if let Some((selected, len)) = picker {
        let delta = match action {
            Action::PickerNext => 1,
            Action::PickerPrev => -1,
            Action::SelectPageDown => facet_rows,
            Action::SelectPageUp => -facet_rows,
            _ => 0,
        };
        if delta != 0 {
            *selected = selected
                .saturating_add_signed(delta)
                .min(len.saturating_sub(1));
            return;
        }
    }
    if app.help {
        let layout = help::layout(app);
        let delta = match action {
            Action::ScrollDown => 1,
            Action::ScrollUp => -1,
            Action::ScrollPageDown => page(layout.visible),
            Action::ScrollPageUp => -page(layout.visible),
            Action::ScrollTop => isize::MIN / 2,
            Action::ScrollBottom => isize::MAX / 2,
            _ => 0,
        };
        if delta != 0 {
            app.help_scroll = app
                .help_scroll
                .saturating_add_signed(delta)
                .min(layout.max_scroll());
            return;
        }
    }
    match action {
        Action::Quit | Action::ForceQuit => {
            app.closing();
            app.quit = true;
        }
        Action::SelectNext => select_by(app, 1),
        Action::SelectPrev => select_by(app, -1),
        Action::SelectFirst => select_at(app, 0),
        Action::SelectLast => select_at(app, app.list.len().saturating_sub(1)),
        Action::SelectPageDown => select_by(app, page(app.list.height)),
        Action::SelectPageUp => select_by(app, -page(app.list.height)),
        Action::SelectHalfPageDown => select_by(app, (app.list.height / 2).max(1) as isize),
        Action::SelectHalfPageUp => select_by(app, -((app.list.height / 2).max(1) as isize)),
        Action::NextUnread => app.next_unread(),
        Action::CycleSort => app.sort_by(None),
        Action::OpenFacets => app.open_facets(),
        Action::ShowHistory => app.show_history(),
        Action::HistoryOpen => {
            if let Some(Overlay::History { entries, selected }) = &app.overlay
                && let Some(&(article, _)) = entries.get(*selected)
            {
                app.overlay = None;
                app.note_jump();
                app.go_to(article);
                app.focus = Focus::Reader;
            }
        }
        Action::PipeStart => {
            if app.open_article().is_some() {
                app.prompt = Some((String::new(), 0));
            } else {
                app.message = Some("no article to pipe".to_owned());
            }
        }
        Action::PipeCancel => app.prompt = None,
        Action::PipeRun => {
            let Some((command, _)) = app.prompt.take() else {
                return;
            };
            if let Some(article) = app.open_article() {
                let text = crate::commands::render(article, 80).join("\n") + "\n";
                let command = Some(command.trim().to_owned()).filter(|c| !c.is_empty());
                app.effects.push(Effect::Pipe { command, text });
            }
        }
        Action::JumpBack => app.jump(true),
        Action::JumpForward => app.jump(false),
        Action::FacetChoose => app.choose_facet(),
        Action::FacetOrder => {
            if let Some(Overlay::Facets(panel)) = &mut app.overlay {
                panel.toggle_order();
            }
        }
        Action::ToggleFullWidth => {
            app.full_width = !app.full_width;
            app.focus = if app.full_width && app.reader.article.is_some() {
                Focus::Reader
            } else {
                app.full_width = false;
                Focus::List
            };
        }
        Action::FocusReader => {
            if app.reader.article.is_some() {
                app.focus = Focus::Reader;
            }
        }
        Action::FocusList => {
            app.focus = Focus::List;
            app.full_width = false;
        }
        Action::ScrollDown => app.reader.scroll_by(1),
        Action::ScrollUp => app.reader.scroll_by(-1),
        Action::ScrollPageDown => app.reader.scroll_by(page(usize::from(app.reader.height))),
        Action::ScrollPageUp => app.reader.scroll_by(-page(usize::from(app.reader.height))),
        Action::ScrollHalfDown => app
            .reader
            .scroll_by((usize::from(app.reader.height) / 2).max(1) as isize),
        Action::ScrollHalfUp => app
            .reader
            .scroll_by(-((usize::from(app.reader.height) / 2).max(1) as isize)),
        Action::ScrollTop => app.reader.scroll_to(0),
        Action::ScrollBottom => app.reader.scroll_to(usize::MAX),
        Action::NextArticle | Action::PrevArticle => {
            let forward = action == Action::NextArticle;
            let at_end = if forward {
                app.list.selected + 1 >= app.list.len()
            } else {
                app.list.selected == 0
            };
            if at_end && !app.list.is_empty() {
                app.message = Some(
                    if forward {
                        "last article"
                    } else {
                        "first article"
                    }
                    .to_owned(),
                );
            } else {
                app.note_jump();
                select_by(app, if forward { 1 } else { -1 });
            }
        }
        Action::SearchStart | Action::SearchBodies => {
            let mode = if action == Action::SearchBodies {
                SearchMode::Bodies
            } else {
                SearchMode::Titles
            };
            if !app.search.is_visible() {
                app.search.before = app.list.selected_article();
            }
            if !app.search.typing {
                // Typing goes on after the terms the box holds (`is:unread` from U).
                if !app.search.query.is_empty() && !app.search.query.ends_with(' ') {
                    app.search.query.push(' ');
                }
                app.search.cursor = app.search.query.len();
            }
            app.search.typing = true;
            app.focus = Focus::List;
            if app.search.mode != mode {
                app.search.mode = mode;
                app.run_search();
            }
        }
        Action::SearchToggleMode => {
            app.search.mode = match app.search.mode {
                SearchMode::Titles => SearchMode::Bodies,
                SearchMode::Bodies => SearchMode::Titles,
            };
            app.run_search();
        }
        Action::SearchInput(text) => {
            if app.help {
                return;
            }
            if app.typing_box().is_none() {
                apply(app, Action::SearchStart);
            }
            app.edit(Edit::Insert(text));
        }
        Action::SearchBackspace => app.edit(Edit::Backspace),
        Action::SearchDeleteWord => app.edit(Edit::DeleteWord),
        Action::CursorLeft => app.edit(Edit::Left),
        Action::CursorRight => app.edit(Edit::Right),
        Action::CursorStart => app.edit(Edit::Home),
        Action::CursorEnd => app.edit(Edit::End),
        Action::CursorWordLeft => app.edit(Edit::WordLeft),
        Action::CursorWordRight => app.edit(Edit::WordRight),
        Action::DeleteChar => app.edit(Edit::Delete),
        Action::DeleteToStart => app.edit(Edit::ClearToStart),
        Action::DeleteToEnd => app.edit(Edit::ClearToEnd),
        Action::SearchAccept => {
            if app.find.typing {
                app.find.typing = false;
                if app.find.matches.is_empty() {
                    app.find = FindBox::default();
                }
            } else {
                app.search.typing = false;
                if app.search.query.trim().is_empty() {
                    app.search = SearchBox::default();
                } else if let Some(before) = app.search.before
                    && app.reader.article != Some(before)
                {
                    // A search result is a jump: Ctrl-O goes back to where it started.
                    app.jumps_back.push(before);
                    app.jumps_forward.clear();
                }
            }
        }
        Action::SearchCancel if app.find.typing => app.find = FindBox::default(),
        // No search to cancel: nothing moves (Esc out of the reader, then Esc again).
        Action::SearchCancel if !app.search.is_visible() => {}
        Action::SearchCancel => {
            let before = app.search.before.take();
            app.search = SearchBox::default();
            app.body_hits.clear();
            app.body_request = None;
            app.list.lines_per_item = 1;
            // The box is empty: no filter term is left either, only the sort order.
            let rows = app.query_rows(false);
            let rows = app.filtered(rows);
            app.list.set_filter(rows);
            app.find = FindBox::default();
            app.message = None;
            if let Some(row) = before.and_then(|a| app.list.row_of(a)) {
                app.list.select(row);
            }
            app.focus = Focus::List;
            app.open_selected();
        }
        Action::FindStart => {
            if app.reader.article.is_some() {
                app.find = FindBox {
                    typing: true,
                    ..FindBox::default()
                };
            }
        }
        Action::FindNext | Action::FindPrev => {
            app.find.step(action == Action::FindNext);
            app.show_current_match();
        }
        Action::FindClear => app.find = FindBox::default(),
        Action::BodyResults(generation, hits) => app.apply_body_results(generation, hits),
        Action::ShowSkipped => app.overlay = Some(Overlay::Skipped { scroll: 0 }),
        Action::OpenLinks => match app.open_article().map(|a| a.links().len()) {
            Some(n) if n > 0 => {
                app.overlay = Some(Overlay::Links {
                    selected: 0,
                    typed: String::new(),
                });
            }
            _ => app.message = Some("this article has no links".to_owned()),
        },
        Action::PickerNext | Action::PickerPrev | Action::PickerDigit(_) => {
            let links = app.open_article().map_or(0, |a| a.links().len());
            if let Some(Overlay::Links { selected, typed }) = &mut app.overlay {
                match action {
                    Action::PickerNext => *selected = (*selected + 1).min(links.saturating_sub(1)),
                    Action::PickerPrev => *selected = selected.saturating_sub(1),
                    Action::PickerDigit(d) => {
                        if let Some(i) = overlay::type_digit(typed, d, links) {
                            *selected = i;
                        }
                    }
                    _ => {}
                }
            }
        }
        Action::PickerCopy => {
            if let Some((n, url)) = app.picked_link() {
                app.copy(url, &format!("link [{n}]"));
            }
            app.overlay = None;
        }
        Action::PickerOpen => {
            if let Some((_, url)) = app.picked_link() {
                app.open_or_copy(url);
            }
            app.overlay = None;
        }
        Action::CloseOverlay => app.overlay = None,
        Action::CopyUrl | Action::CopyTitleUrl | Action::OpenUrl => {
            let article = app.open_article().map(|a| (a.title.clone(), a.url.clone()));
            match (article, action) {
                (Some((_, Some(url))), Action::CopyUrl) => app.copy(url, "the URL"),
                (Some((title, Some(url))), Action::CopyTitleUrl) => {
                    app.copy(format!("{title}\n{url}"), "the title and URL")
                }
                (Some((_, Some(url))), _) => app.open_or_copy(url),
                (Some((title, None)), Action::CopyTitleUrl) => app.copy(title, "the title"),
                _ => app.message = Some("this article has no URL".to_owned()),
            }
        }
        Action::Click(x, y) => app.pointer(x, y, 0),
        Action::Wheel(x, y, delta) => app.pointer(x, y, delta),
        Action::Notify(message) => app.message = Some(message),
        Action::ToggleHelp => {
            app.help = !app.help;
            app.help_scroll = 0;
        }
        Action::Resize(w, h) => app.size = (w, h),
        Action::ToggleRead => app.toggle_read(),
        Action::MarkAllRead => app.mark_all_read(false),
        Action::Undo => app.undo(),
        Action::Confirm | Action::Decline => app.answer(action == Action::Confirm),
        // The terminal loop does these.
        Action::Redraw => app.effects.push(Effect::Redraw),
        Action::Suspend => app.effects.push(Effect::Suspend),
        Action::ToggleStar => app.toggle_star(),
        Action::FilterUnread => app.toggle_filter(true),
        Action::FilterStarred => app.toggle_filter(false),
        Action::Tick(now) => app.tick(now),
        Action::Arrived(arrivals) => app.arrive(arrivals),
        Action::Loaded(handover) => app.finish_loading(&handover.0),
        Action::TextFilled => app.text_arrived(),
        Action::Rescan => {
            if app.loading.is_some() {
                app.message = Some("still loading: the folders are being read".to_owned());
            } else {
                app.rescan_requested = true;
                app.message = Some("looking for new, changed and removed files…".to_owned());
            }
        }
        Action::Updated(handover, changes) => app.apply_update(&handover.0, &changes),
        Action::LoadFailed(why) => {
            app.loading = None;
            app.message = Some(format!("loading stopped: {why}"));
        }
    }
    app.relayout();
}

/// Drops `value` on a thread of its own (here, if no thread can start).
fn drop_elsewhere<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new()
        .name("folio-drop".to_owned())
        .spawn(move || drop(value));
}

/// "936 articles loaded in 0.4 s · 3 files skipped — ! lists them".
/// "12 new, 1 changed, 2 removed" (what changed, only).
pub fn changes_message(changes: &crate::loader::Changes) -> String {
    let parts: Vec<String> = [
        (changes.added, "new"),
        (changes.changed, "changed"),
        (changes.removed, "removed"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{} {what}", crate::format::thousands(*n)))
    .collect();
    if parts.is_empty() {
        "nothing changed in the folders".to_owned()
    } else {
        parts.join(", ")
    }
}

pub fn loaded_message(articles: usize, report: &Report) -> String {
    let mut message = if articles == 0 {
        "no articles could be loaded".to_owned()
    } else {
        let s = if articles == 1 { "" } else { "s" };
        format!(
            "{} article{s} loaded in {:.1} s",
            crate::format::thousands(articles),
            report.elapsed.as_secs_f64()
        )
    };
    let skipped = report.skipped.len();
    if skipped > 0 {
        let s = if skipped == 1 { "" } else { "s" };
        message.push_str(&format!(" · {skipped} file{s} skipped — ! lists them"));
    }
    message
}

impl App {
    /// Selects the next unread article after the selected one (from the top again
    /// at the end of the list).
    fn next_unread(&mut self) {
        let rows = self.list.len();
        let start = self.list.selected;
        let found = (1..=rows)
            .map(|k| (start + k) % rows.max(1))
            .find(|&row| self.list.article_at(row).is_some_and(|i| !self.is_read(i)));
        match found {
            Some(row) => select_at(self, row),
            None => self.message = Some("no unread article".to_owned()),
        }
    }
}

fn select_by(app: &mut App, delta: isize) {
    app.list.move_by(delta);
    app.open_selected();
}

fn select_at(app: &mut App, row: usize) {
    app.list.select(row);
    app.open_selected();
}

//! The browser's state and `update`, the one place it changes: pure, driven by [`Action`]s, testable without a terminal.

pub mod action;
pub mod keymap;
pub mod layout;
pub mod list;
pub mod reader;
pub mod search;

use std::sync::Arc;

use ratatui::crossterm::event::KeyEvent;

pub use action::Action;
pub use keymap::{Context, Keymap};
use layout::{Areas, Front};
use list::ListView;
use reader::Reader;
use search::SearchBox;

use crate::article::Article;
use crate::collection::Collection;
use crate::search::TitleIndex;

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
    pub list: ListView,
    pub search: SearchBox,
    pub reader: Reader,
    /// A message for the status line (files skipped, nothing found, …).
    pub message: Option<String>,
    /// Colours allowed (false under `NO_COLOR`).
    pub color: bool,
    pub quit: bool,
}

impl App {
    pub fn new(collection: Arc<Collection>, size: (u16, u16)) -> Self {
        let index = Arc::new(TitleIndex::new(&collection));
        let mut app = App {
            list: ListView::new(collection.len()),
            collection,
            index,
            keymap: Keymap::default(),
            size,
            focus: Focus::List,
            help: false,
            search: SearchBox::default(),
            reader: Reader::default(),
            message: None,
            color: true,
            quit: false,
        };
        app.relayout();
        app.open_selected();
        app
    }

    /// The bindings that apply now.
    pub fn context(&self) -> Context {
        if self.help {
            Context::Help
        } else if self.search.typing {
            Context::Search
        } else {
            match self.focus {
                Focus::List => Context::List,
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
        layout::areas(self.size.0, self.size.1, front)
    }

    pub fn article(&self, index: usize) -> Option<&Article> {
        self.collection.get(index)
    }

    pub fn open_article(&self) -> Option<&Article> {
        self.reader.article.and_then(|i| self.collection.get(i))
    }

    /// Shows the selected article in the reader, unless it is already there.
    fn open_selected(&mut self) {
        match self.list.selected_article() {
            Some(i) if self.reader.article != Some(i) => {
                if let Some(article) = self.collection.get(i) {
                    self.reader.open(i, article);
                }
            }
            Some(_) => {}
            None => self.reader.close(),
        }
    }

    /// Recomputes what depends on the screen size and the visible panes.
    fn relayout(&mut self) {
        let areas = self.areas();
        let list_height = areas
            .list
            .map_or(0, |a| layout::inner(a).height)
            .saturating_sub(u16::from(self.search.is_visible()));
        self.list.set_height(usize::from(list_height));
        // Sized as if in front even when hidden, so that a narrow screen does not
        // wrap the article twice (and never to a width of nothing).
        let reader_area = layout::areas(self.size.0, self.size.1, Front::Reader).reader;
        let (width, height) = reader_area
            .map(layout::inner)
            .map_or((self.reader.width.max(1), self.reader.height), |r| {
                (r.width, r.height)
            });
        let article = self.reader.article.and_then(|i| self.collection.get(i));
        self.reader.resize(width.max(1), height, article);
    }

    fn run_search(&mut self) {
        if self.search.query.trim().is_empty() {
            self.list.set_filter(None);
            if let Some(row) = self.search.before.and_then(|a| self.list.row_of(a)) {
                self.list.select(row);
            }
        } else {
            let hits = self.index.search(&self.search.query);
            self.list
                .set_filter(Some(hits.iter().map(|h| h.article).collect()));
        }
        self.message = (self.list.is_empty()).then(|| "no matching titles".to_owned());
        self.open_selected();
    }
}

/// Applies one action to the state. Never touches the terminal.
pub fn update(app: &mut App, action: Action) {
    let page = |height: usize| height.max(2) as isize - 1;
    match action {
        Action::Quit | Action::ForceQuit => app.quit = true,
        Action::SelectNext => select_by(app, 1),
        Action::SelectPrev => select_by(app, -1),
        Action::SelectFirst => select_at(app, 0),
        Action::SelectLast => select_at(app, app.list.len().saturating_sub(1)),
        Action::SelectPageDown => select_by(app, page(app.list.height)),
        Action::SelectPageUp => select_by(app, -page(app.list.height)),
        Action::FocusReader => {
            if app.reader.article.is_some() {
                app.focus = Focus::Reader;
            }
        }
        Action::FocusList => app.focus = Focus::List,
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
        Action::NextArticle => select_by(app, 1),
        Action::PrevArticle => select_by(app, -1),
        Action::SearchStart => {
            if !app.search.is_visible() {
                app.search.before = app.list.selected_article();
            }
            app.search.typing = true;
            app.focus = Focus::List;
        }
        Action::SearchInput(text) => {
            if !app.search.typing {
                update(app, Action::SearchStart);
            }
            app.search.push(&text);
            app.run_search();
        }
        Action::SearchBackspace => {
            app.search.backspace();
            app.run_search();
        }
        Action::SearchDeleteWord => {
            app.search.delete_word();
            app.run_search();
        }
        Action::SearchAccept => {
            app.search.typing = false;
            if app.search.query.trim().is_empty() {
                app.search.query.clear();
            }
        }
        Action::SearchCancel => {
            let before = app.search.before.take();
            app.search = SearchBox::default();
            app.list.set_filter(None);
            app.message = None;
            if let Some(row) = before.and_then(|a| app.list.row_of(a)) {
                app.list.select(row);
            }
            app.focus = Focus::List;
            app.open_selected();
        }
        Action::ToggleHelp => app.help = !app.help,
        Action::Resize(w, h) => app.size = (w, h),
    }
    app.relayout();
}

fn select_by(app: &mut App, delta: isize) {
    app.list.move_by(delta);
    app.open_selected();
}

fn select_at(app: &mut App, row: usize) {
    app.list.select(row);
    app.open_selected();
}

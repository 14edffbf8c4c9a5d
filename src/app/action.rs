//! Everything the user can ask of the browser, as one enum: keys map to these, `update` applies them.

/// One thing to do. The snake_case names are the vocabulary of the help overlay
/// (and of key bindings in a config file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Leave folio (from the list).
    Quit,
    /// Leave folio from anywhere (Ctrl-C).
    ForceQuit,
    /// Select the next article in the list (or the next search result).
    SelectNext,
    /// Select the previous article in the list (or the previous search result).
    SelectPrev,
    /// Select the first article of the list.
    SelectFirst,
    /// Select the last article of the list.
    SelectLast,
    /// Move the selection one screen down the list.
    SelectPageDown,
    /// Move the selection one screen up the list.
    SelectPageUp,
    /// Move the keyboard focus to the reader pane.
    FocusReader,
    /// Move the keyboard focus back to the list pane.
    FocusList,
    /// Scroll the reader one line down.
    ScrollDown,
    /// Scroll the reader one line up.
    ScrollUp,
    /// Scroll the reader one page down.
    ScrollPageDown,
    /// Scroll the reader one page up.
    ScrollPageUp,
    /// Scroll the reader half a page down.
    ScrollHalfDown,
    /// Scroll the reader half a page up.
    ScrollHalfUp,
    /// Scroll the reader to the top of the article.
    ScrollTop,
    /// Scroll the reader to the end of the article.
    ScrollBottom,
    /// Open the next article of the list without leaving the reader.
    NextArticle,
    /// Open the previous article of the list without leaving the reader.
    PrevArticle,
    /// Open the search box over titles.
    SearchStart,
    /// Open the search box over the full text of every article.
    SearchBodies,
    /// Switch the search box between titles and full text.
    SearchToggleMode,
    /// Type text into the search box (a key, a paste, an input method's characters).
    SearchInput(String),
    /// Delete the character before the cursor in the search box.
    SearchBackspace,
    /// Delete the word before the cursor in the search box.
    SearchDeleteWord,
    /// Keep the filter and move the focus to its results.
    SearchAccept,
    /// Clear the filter and return to the article selected before the search.
    SearchCancel,
    /// Find text in the open article.
    FindStart,
    /// Go to the next match in the article.
    FindNext,
    /// Go to the previous match in the article.
    FindPrev,
    /// Stop finding: clear the matches.
    FindClear,
    /// Full-text results arrived for search number `generation` (from the search thread).
    BodyResults(u64, Vec<crate::search::BodyHit>),
    /// Show or hide the list of keys.
    ToggleHelp,
    /// Show the files that could not be loaded, and why.
    ShowSkipped,
    /// Open the picker of the article's links.
    OpenLinks,
    /// Move to the next link in the picker.
    PickerNext,
    /// Move to the previous link in the picker.
    PickerPrev,
    /// Type a digit of a link's number in the picker.
    PickerDigit(u8),
    /// Copy the picked link to the clipboard.
    PickerCopy,
    /// Open the picked link in a browser (copied instead over SSH).
    PickerOpen,
    /// Close the picker or the list of skipped files.
    CloseOverlay,
    /// Copy the article's URL to the clipboard (OSC 52: works over SSH).
    CopyUrl,
    /// Copy the article's title and URL to the clipboard.
    CopyTitleUrl,
    /// Open the article's URL in a browser (copied instead over SSH).
    OpenUrl,
    /// Click at a screen position (column, row), when the mouse is on.
    Click(u16, u16),
    /// Mouse wheel at a screen position: positive scrolls down.
    Wheel(u16, u16, i8),
    /// Show a message in the status line.
    Notify(String),
    /// The terminal has a new size (columns, rows).
    Resize(u16, u16),
    /// Mark the article read, or unread again.
    ToggleRead,
    /// Mark every article shown in the list as read.
    MarkAllRead,
    /// Star the article, or take its star away.
    ToggleStar,
    /// Show only unread articles (again: show all).
    FilterUnread,
    /// Show only starred articles (again: show all).
    FilterStarred,
    /// Time passes: milliseconds since folio started (from the event loop, a few times
    /// a second); an article open for a second becomes read.
    Tick(u64),
    /// Articles read by the background load since the last batch (from the loading thread).
    Arrived(super::loading::Arrivals),
    /// The background load finished: the final order, applied without moving the selection.
    Loaded(super::loading::Handover),
    /// The background load stopped short (a bug in it, contained): what arrived stays.
    LoadFailed(String),
    /// The text of the open article, which came without it, was read from the store.
    TextFilled,
    /// Look at the folders again now: new, changed and removed files are taken in.
    Rescan,
    /// Move the selection half a screen down the list.
    SelectHalfPageDown,
    /// Move the selection half a screen up the list.
    SelectHalfPageUp,
    /// Select (and open) the next unread article, after the selected one.
    NextUnread,
    /// Show the reader across the whole screen, the list hidden (again: the list back).
    ToggleFullWidth,
    /// Opens the facet panel: sources, tags, authors, years and months of the list,
    /// with counts, and the saved searches.
    OpenFacets,
    /// Puts the chosen facet's term in the search box, or takes it out (a saved
    /// search replaces the query).
    FacetChoose,
    /// Sorts the facet panel by count or by name.
    FacetOrder,
    /// Lists the articles read, the most recent first, with when.
    ShowHistory,
    /// Opens the article chosen in the history.
    HistoryOpen,
    /// Asks for a command to pipe the article to (as `folio show` writes it).
    PipeStart,
    /// Runs the command typed (or `$PAGER`, else `less`, when none was).
    PipeRun,
    /// Closes the command prompt.
    PipeCancel,
    /// Back to the article before the last jump (n/p, a search result, the history).
    JumpBack,
    /// Forward again, after [`Action::JumpBack`].
    JumpForward,
    /// Sorts the list by the next order (newest, oldest, title, source, read),
    /// keeping the selected article selected.
    CycleSort,
    /// Move the cursor of the search or find box one character left.
    CursorLeft,
    /// Move the cursor one character right.
    CursorRight,
    /// Move the cursor to the start of the box.
    CursorStart,
    /// Move the cursor to the end of the box.
    CursorEnd,
    /// Move the cursor to the start of the word before it.
    CursorWordLeft,
    /// Move the cursor past the end of the word after it.
    CursorWordRight,
    /// Delete the character under the cursor.
    DeleteChar,
    /// Delete from the start of the box to the cursor.
    DeleteToStart,
    /// Delete from the cursor to the end of the box.
    DeleteToEnd,
    /// Take back the last marking (read, unread, all read, star).
    Undo,
    /// Yes, to the question in the status line.
    Confirm,
    /// No, to the question in the status line.
    Decline,
    /// Draw the whole screen again.
    Redraw,
    /// Suspend folio (back to the shell; `fg` returns).
    Suspend,
    /// The folders were looked at again while folio runs (from the loading thread):
    /// the new order, and what changed.
    Updated(super::loading::Handover, crate::loader::Changes),
}

impl Action {
    /// Whether a person asked for it (a key, the mouse), rather than the event loop.
    pub fn is_from_user(&self) -> bool {
        !matches!(
            self,
            Action::Tick(_)
                | Action::Arrived(_)
                | Action::Loaded(_)
                | Action::LoadFailed(_)
                | Action::TextFilled
                | Action::Updated(..)
                | Action::Resize(..)
                | Action::BodyResults(..)
                | Action::Notify(_)
        )
    }

    /// The action's name in the help overlay.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::ForceQuit => "force_quit",
            Action::SelectNext => "select_next",
            Action::SelectPrev => "select_prev",
            Action::SelectFirst => "select_first",
            Action::SelectLast => "select_last",
            Action::SelectPageDown => "select_page_down",
            Action::SelectPageUp => "select_page_up",
            Action::FocusReader => "focus_reader",
            Action::FocusList => "focus_list",
            Action::ScrollDown => "scroll_down",
            Action::ScrollUp => "scroll_up",
            Action::ScrollPageDown => "scroll_page_down",
            Action::ScrollPageUp => "scroll_page_up",
            Action::ScrollHalfDown => "scroll_half_down",
            Action::ScrollHalfUp => "scroll_half_up",
            Action::ScrollTop => "scroll_top",
            Action::ScrollBottom => "scroll_bottom",
            Action::NextArticle => "next_article",
            Action::PrevArticle => "prev_article",
            Action::SearchStart => "search",
            Action::SearchBodies => "search_bodies",
            Action::SearchToggleMode => "search_toggle_mode",
            Action::SearchInput(_) => "search_input",
            Action::SearchBackspace => "search_backspace",
            Action::SearchDeleteWord => "search_delete_word",
            Action::SearchAccept => "search_accept",
            Action::SearchCancel => "search_cancel",
            Action::FindStart => "find",
            Action::FindNext => "find_next",
            Action::FindPrev => "find_prev",
            Action::FindClear => "find_clear",
            Action::BodyResults(..) => "body_results",
            Action::ToggleHelp => "help",
            Action::ShowSkipped => "show_skipped",
            Action::OpenLinks => "links",
            Action::PickerNext => "picker_next",
            Action::PickerPrev => "picker_prev",
            Action::PickerDigit(_) => "picker_digit",
            Action::PickerCopy => "picker_copy",
            Action::PickerOpen => "picker_open",
            Action::CloseOverlay => "close",
            Action::CopyUrl => "copy_url",
            Action::CopyTitleUrl => "copy_title_url",
            Action::OpenUrl => "open_url",
            Action::Click(..) => "click",
            Action::Wheel(..) => "wheel",
            Action::Notify(_) => "notify",
            Action::Resize(..) => "resize",
            Action::ToggleRead => "toggle_read",
            Action::MarkAllRead => "mark_all_read",
            Action::ToggleStar => "toggle_star",
            Action::FilterUnread => "filter_unread",
            Action::FilterStarred => "filter_starred",
            Action::Tick(_) => "tick",
            Action::Arrived(_) => "arrived",
            Action::Loaded(_) => "loaded",
            Action::LoadFailed(_) => "load_failed",
            Action::TextFilled => "text_filled",
            Action::Rescan => "rescan",
            Action::SelectHalfPageDown => "select_half_page_down",
            Action::SelectHalfPageUp => "select_half_page_up",
            Action::NextUnread => "next_unread",
            Action::ToggleFullWidth => "full_width",
            Action::CycleSort => "sort",
            Action::OpenFacets => "facets",
            Action::FacetChoose => "facet_choose",
            Action::FacetOrder => "facet_order",
            Action::ShowHistory => "show_history",
            Action::HistoryOpen => "history_open",
            Action::JumpBack => "jump_back",
            Action::PipeStart => "pipe",
            Action::PipeRun => "pipe_run",
            Action::PipeCancel => "pipe_cancel",
            Action::JumpForward => "jump_forward",
            Action::CursorLeft => "cursor_left",
            Action::CursorRight => "cursor_right",
            Action::CursorStart => "cursor_start",
            Action::CursorEnd => "cursor_end",
            Action::CursorWordLeft => "cursor_word_left",
            Action::CursorWordRight => "cursor_word_right",
            Action::DeleteChar => "delete_char",
            Action::DeleteToStart => "delete_to_start",
            Action::DeleteToEnd => "delete_to_end",
            Action::Undo => "undo",
            Action::Confirm => "confirm",
            Action::Decline => "decline",
            Action::Redraw => "redraw",
            Action::Suspend => "suspend",
            Action::Updated(..) => "updated",
        }
    }

    /// A short description for the help overlay and the status line.
    pub fn describe(&self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::ForceQuit => "quit from anywhere",
            Action::SelectNext => "next",
            Action::SelectPrev => "previous",
            Action::SelectFirst => "first",
            Action::SelectLast => "last",
            Action::SelectPageDown => "page down",
            Action::SelectPageUp => "page up",
            Action::FocusReader => "read",
            Action::FocusList => "back to list",
            Action::ScrollDown => "line down",
            Action::ScrollUp => "line up",
            Action::ScrollPageDown => "page down",
            Action::ScrollPageUp => "page up",
            Action::ScrollHalfDown => "half page down",
            Action::ScrollHalfUp => "half page up",
            Action::ScrollTop => "top",
            Action::ScrollBottom => "bottom",
            Action::NextArticle => "next article",
            Action::PrevArticle => "previous article",
            Action::SearchStart => "search titles",
            Action::SearchBodies => "search full text",
            Action::SearchToggleMode => "titles ⇄ full text",
            Action::SearchInput(_) => "type",
            Action::SearchBackspace => "delete",
            Action::SearchDeleteWord => "delete word",
            Action::SearchAccept => "keep results",
            Action::SearchCancel => "clear search",
            Action::FindStart => "find in article",
            Action::FindNext => "next match",
            Action::FindPrev => "previous match",
            Action::FindClear => "stop finding",
            Action::BodyResults(..) => "full-text results",
            Action::ToggleHelp => "keys",
            Action::ShowSkipped => "messages, skipped files",
            Action::OpenLinks => "links",
            Action::PickerNext => "next link",
            Action::PickerPrev => "previous link",
            Action::PickerDigit(_) => "link number",
            Action::PickerCopy => "copy link",
            Action::PickerOpen => "open link",
            Action::CloseOverlay => "close",
            Action::CopyUrl => "copy URL",
            Action::CopyTitleUrl => "copy title and URL",
            Action::OpenUrl => "open in browser",
            Action::Click(..) => "click",
            Action::Wheel(..) => "wheel",
            Action::Notify(_) => "message",
            Action::Resize(..) => "resize",
            Action::ToggleRead => "read/unread",
            Action::MarkAllRead => "mark all shown read",
            Action::ToggleStar => "star/unstar",
            Action::FilterUnread => "only unread",
            Action::FilterStarred => "only starred",
            Action::Tick(_) => "time passes",
            Action::Arrived(_) => "articles arrived",
            Action::Loaded(_) => "load finished",
            Action::LoadFailed(_) => "load failed",
            Action::TextFilled => "text read",
            Action::Rescan => "rescan the folders",
            Action::SelectHalfPageDown => "half page down",
            Action::SelectHalfPageUp => "half page up",
            Action::NextUnread => "next unread",
            Action::ToggleFullWidth => "reader full width / list back",
            Action::CycleSort => "next sort order",
            Action::OpenFacets => "sources, tags, authors, dates",
            Action::FacetChoose => "add to / take from the filter",
            Action::FacetOrder => "by count ⇄ by name",
            Action::ShowHistory => "history: what you read",
            Action::HistoryOpen => "read it",
            Action::JumpBack => "back to the article before",
            Action::PipeStart => "pipe the article to a command",
            Action::PipeRun => "run it",
            Action::PipeCancel => "cancel",
            Action::JumpForward => "forward again",
            Action::CursorLeft => "cursor left",
            Action::CursorRight => "cursor right",
            Action::CursorStart => "cursor to start",
            Action::CursorEnd => "cursor to end",
            Action::CursorWordLeft => "word left",
            Action::CursorWordRight => "word right",
            Action::DeleteChar => "delete under cursor",
            Action::DeleteToStart => "delete to start",
            Action::DeleteToEnd => "delete to end",
            Action::Undo => "undo marking",
            Action::Confirm => "yes",
            Action::Decline => "no",
            Action::Redraw => "redraw",
            Action::Suspend => "suspend",
            Action::Updated(..) => "folders changed",
        }
    }
}

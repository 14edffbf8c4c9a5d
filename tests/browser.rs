//! The browser's `update`, driven by keys as a person types them: no terminal involved.

mod common;

use common::{browser, press};
use folio::app::{Action, Focus, update};

fn selected_title(app: &folio::app::App) -> String {
    app.list
        .selected_article()
        .and_then(|i| app.article(i))
        .map(|a| a.title.clone())
        .unwrap_or_default()
}

fn reader_title(app: &folio::app::App) -> String {
    app.open_article()
        .map(|a| a.title.clone())
        .unwrap_or_default()
}

#[test]
fn moving_in_the_list_shows_the_article_at_once() {
    let mut app = browser(120, 40);
    assert_eq!(reader_title(&app), "2023年中俄关系：没有最高只有更高？");
    press(&mut app, "j");
    assert_eq!(app.list.selected, 1);
    assert_eq!(reader_title(&app), selected_title(&app));
    press(&mut app, "G");
    assert_eq!(app.list.selected, 4);
    assert_eq!(
        reader_title(&app),
        "美警告中国向俄提供武器后果严重，北京反咬美不要干预中俄交往"
    );
    press(&mut app, "jjj<down>");
    assert_eq!(app.list.selected, 4, "stays on the last row");
    press(&mut app, "g");
    assert_eq!(app.list.selected, 0);
    press(&mut app, "kkk<up>");
    assert_eq!(app.list.selected, 0, "stays on the first row");
    press(&mut app, "<end>");
    assert_eq!(app.list.selected, 4);
    press(&mut app, "<home><pgdn>");
    assert_eq!(app.list.selected, 4);
    press(&mut app, "<pgup>");
    assert_eq!(app.list.selected, 0);
    assert_eq!(app.focus, Focus::List);
}

#[test]
fn focus_moves_between_list_and_reader() {
    let mut app = browser(120, 40);
    press(&mut app, "<enter>");
    assert_eq!(app.focus, Focus::Reader);
    press(&mut app, "<tab>");
    assert_eq!(app.focus, Focus::List);
    press(&mut app, "<tab>h");
    assert_eq!(app.focus, Focus::List);
    press(&mut app, "l<esc>");
    assert_eq!(app.focus, Focus::List);
    press(&mut app, "<enter>q");
    assert!(!app.quit, "q in the reader goes back to the list");
    assert_eq!(app.focus, Focus::List);
    press(&mut app, "q");
    assert!(app.quit);
}

#[test]
fn ctrl_c_quits_from_anywhere() {
    for keys in ["<c-c>", "<enter><c-c>", "/中<c-c>", "?<c-c>"] {
        let mut app = browser(80, 24);
        press(&mut app, keys);
        assert!(app.quit, "{keys}");
    }
}

#[test]
fn reader_scrolls_within_bounds() {
    let mut app = browser(120, 40);
    press(&mut app, "<enter>");
    let max = app.reader.max_scroll();
    assert!(max > 0, "the first article is longer than a screen");
    press(&mut app, "k");
    assert_eq!(app.reader.scroll, 0);
    press(&mut app, "jj");
    assert_eq!(app.reader.scroll, 2);
    press(&mut app, "<space>");
    assert_eq!(
        app.reader.scroll,
        (2 + usize::from(app.reader.height) - 1).min(max)
    );
    press(&mut app, "G");
    assert_eq!(app.reader.scroll, max);
    press(&mut app, "jjj<pgdn>d");
    assert_eq!(app.reader.scroll, max, "never past the end");
    press(&mut app, "<c-u>");
    assert_eq!(
        app.reader.scroll,
        max.saturating_sub(usize::from(app.reader.height) / 2)
    );
    press(&mut app, "b");
    press(&mut app, "g");
    assert_eq!(app.reader.scroll, 0);
}

#[test]
fn next_and_previous_article_from_the_reader() {
    let mut app = browser(120, 40);
    press(&mut app, "<enter>jj");
    assert_eq!(app.reader.scroll, 2);
    press(&mut app, "n");
    assert_eq!(app.list.selected, 1);
    assert_eq!(app.reader.scroll, 0, "a new article opens at the top");
    assert_eq!(app.focus, Focus::Reader);
    press(&mut app, "JJ");
    assert_eq!(app.list.selected, 3);
    press(&mut app, "pK");
    assert_eq!(app.list.selected, 1);
    assert_eq!(reader_title(&app), selected_title(&app));
}

#[test]
fn search_filters_live_and_enter_keeps_the_filter() {
    let mut app = browser(120, 40);
    press(&mut app, "/普");
    assert!(app.search.typing);
    assert_eq!(app.list.len(), 1);
    assert_eq!(selected_title(&app), reader_title(&app));
    press(&mut app, "京");
    assert_eq!(app.list.len(), 1);
    press(&mut app, "<bs><bs>");
    assert_eq!(app.list.len(), 5, "an empty query shows everything");
    press(&mut app, "中俄");
    let matches = app.list.len();
    assert!(matches >= 4, "{matches}");
    press(&mut app, "<down>");
    assert_eq!(app.list.selected, 1);
    press(&mut app, "<c-p>");
    assert_eq!(app.list.selected, 0);
    press(&mut app, "<c-n><enter>");
    assert!(!app.search.typing);
    assert_eq!(app.search.query, "中俄");
    assert_eq!(app.list.len(), matches, "Enter keeps the filter");
    assert_eq!(app.list.selected, 1);
    press(&mut app, "j");
    assert_eq!(app.list.selected, 2, "keys act on the results again");
}

#[test]
fn escape_clears_the_filter_and_returns_to_the_article_before() {
    let mut app = browser(120, 40);
    press(&mut app, "jjj");
    let before = selected_title(&app);
    press(&mut app, "/普京<down>");
    assert_ne!(selected_title(&app), before);
    press(&mut app, "<esc>");
    assert_eq!(app.search.query, "");
    assert_eq!(app.list.len(), 5);
    assert_eq!(selected_title(&app), before);
    assert_eq!(reader_title(&app), before);

    // Esc in the list clears a kept filter too.
    press(&mut app, "/普京<enter><esc>");
    assert_eq!(app.list.len(), 5);
    assert_eq!(selected_title(&app), before);
}

#[test]
fn empty_results() {
    let mut app = browser(120, 40);
    press(&mut app, "/zzzzqqq");
    assert_eq!(app.list.len(), 0);
    assert_eq!(app.list.selected_article(), None);
    assert!(app.open_article().is_none());
    assert_eq!(app.message.as_deref(), Some("no matching titles"));
    press(&mut app, "<down><up><pgdn><enter>jkG<enter>");
    assert_eq!(app.focus, Focus::List, "nothing to read");
    press(&mut app, "<esc>");
    assert_eq!(app.list.len(), 5);
}

#[test]
fn typing_in_the_search_box_is_not_taken_as_commands() {
    let mut app = browser(120, 40);
    press(&mut app, "/qjkG?");
    assert!(!app.quit && !app.help);
    assert_eq!(app.search.query, "qjkG?");
}

#[test]
fn pasted_text_starts_a_search() {
    let mut app = browser(120, 40);
    update(&mut app, Action::SearchInput("中俄\n关系\u{1b}[2J".into()));
    assert!(app.search.typing);
    assert_eq!(app.search.query, "中俄 关系");
}

#[test]
fn help_toggles_and_swallows_keys() {
    let mut app = browser(120, 40);
    press(&mut app, "?");
    assert!(app.help);
    press(&mut app, "jG");
    assert_eq!(app.list.selected, 0, "keys do not leak through the help");
    press(&mut app, "<esc>");
    assert!(!app.help);
}

#[test]
fn narrow_screens_show_one_pane_at_a_time() {
    let mut app = browser(60, 20);
    assert!(app.areas().list.is_some() && app.areas().reader.is_none());
    press(&mut app, "<enter>");
    assert!(app.areas().list.is_none() && app.areas().reader.is_some());
    assert_eq!(
        app.reader.width, 56,
        "the pane, less its border and a margin"
    );
    press(&mut app, "<esc>");
    assert!(app.areas().list.is_some());
}

#[test]
fn resizing_keeps_the_reader_on_the_same_paragraph() {
    let mut app = browser(120, 20);
    press(&mut app, "jj<enter>");
    press(&mut app, &"j".repeat(20));
    assert_eq!(app.reader.scroll, 20);
    let top = app.reader.rows[app.reader.scroll].clone();
    let para = top.para;
    for (w, h) in [(90, 20), (150, 20), (100, 15), (60, 20), (120, 20)] {
        update(&mut app, Action::Resize(w, h));
        let now = &app.reader.rows[app.reader.scroll];
        assert_eq!(now.para, para, "at {w}x{h}");
        assert!(
            now.start <= top.start && top.start < now.end.max(top.start + 1),
            "at {w}x{h}"
        );
    }
}

#[test]
fn full_text_search_lists_snippets_and_opens_at_the_match() {
    let mut app = browser(120, 40);
    press(&mut app, "f莫斯科");
    assert!(app.search.typing);
    let n = app.list.len();
    assert!(n >= 2, "{n}");
    assert_eq!(app.body_hits.len(), n);
    assert_eq!(app.list.lines_per_item, 2);
    for hit in &app.body_hits {
        let body = &app.article(hit.article as usize).unwrap().body();
        let (snippet, highlight) = hit.snippet(body);
        assert_eq!(&snippet[highlight], "莫斯科");
        assert_eq!(&body[hit.matched.clone()], "莫斯科");
    }
    // The reader shows the first match of the selected result.
    let hit = app.body_hits[0].clone();
    assert_eq!(app.find.current_match(), Some(hit.matched.clone()));
    let row = app.reader.row_of_body_offset(hit.offset).unwrap();
    assert!(app.reader.scroll <= row && row < app.reader.scroll + usize::from(app.reader.height));

    press(&mut app, "<down>");
    assert_eq!(
        app.find.current_match(),
        Some(app.body_hits[1].matched.clone())
    );
    press(&mut app, "<enter>");
    assert!(!app.search.typing);
    assert_eq!(app.list.len(), n, "Enter keeps the results");
    press(&mut app, "<enter>n");
    assert_eq!(app.focus, Focus::Reader);
    press(&mut app, "<esc><esc><esc>");
    assert_eq!(app.list.len(), 5);
    assert_eq!(app.list.lines_per_item, 1);
    assert!(app.find.matches.is_empty());
}

#[test]
fn the_search_box_switches_between_titles_and_full_text() {
    let mut app = browser(120, 40);
    press(&mut app, "/莫斯科");
    assert_eq!(app.list.len(), 0, "no title has it");
    press(&mut app, "<c-t>");
    assert!(app.list.len() >= 2, "bodies do");
    press(&mut app, "<c-t>");
    assert_eq!(app.list.len(), 0);
    assert!(app.body_hits.is_empty());
}

#[test]
fn stale_full_text_results_are_dropped() {
    let mut app = browser(120, 40);
    press(&mut app, "f莫斯");
    let shown = app.list.len();
    let old = app.body_generation - 1;
    update(&mut app, Action::BodyResults(old, Vec::new()));
    assert_eq!(
        app.list.len(),
        shown,
        "an older search's results never replace newer ones"
    );
}

#[test]
fn finding_in_the_article_highlights_and_steps_through_matches() {
    let mut app = browser(120, 40);
    press(&mut app, "<enter>/中俄");
    assert!(app.find.typing);
    let total = app.find.matches.len();
    assert!(total >= 3, "{total}");
    assert_eq!(app.find.counter(), format!("match 1/{total}"));
    let body = app.open_article().unwrap().body().to_owned();
    assert!(app.find.matches.iter().all(|m| &body[m.clone()] == "中俄"));
    press(&mut app, "<enter>");
    assert!(!app.find.typing);
    press(&mut app, "n");
    assert_eq!(app.find.current, 1, "n steps through matches while finding");
    assert_eq!(app.list.selected, 0, "not to the next article");
    press(&mut app, "G");
    press(&mut app, "N");
    assert_eq!(app.find.current, 0);
    let row = app
        .reader
        .row_of_body_offset(app.find.matches[0].start)
        .unwrap();
    assert!(app.reader.scroll <= row && row < app.reader.scroll + usize::from(app.reader.height));
    press(&mut app, "NN");
    assert_eq!(app.find.current, total - 2, "wraps around");
    press(&mut app, "<esc>");
    assert!(app.find.matches.is_empty());
    press(&mut app, "n");
    assert_eq!(app.list.selected, 1, "n is next article again");
}

#[test]
fn finding_folds_script_and_case() {
    let mut app = browser(120, 40);
    press(&mut app, "<enter>/關係<enter>");
    assert!(!app.find.matches.is_empty(), "traditional finds simplified");
    press(&mut app, "<esc>/xyzzy");
    assert_eq!(app.find.counter(), "no match");
    press(&mut app, "<esc>");
    assert!(!app.find.is_visible());
}

#[test]
fn help_scrolls_when_taller_than_the_screen() {
    let mut app = browser(80, 24);
    press(&mut app, "?");
    let layout = folio::app::help::layout(&app);
    assert!(layout.max_scroll() > 0);
    press(&mut app, "jjj");
    assert_eq!(app.help_scroll, 3);
    press(&mut app, &"<pgdn>".repeat(20));
    assert_eq!(app.help_scroll, layout.max_scroll());
    assert_eq!(app.list.selected, 0);
    press(&mut app, "?");
    assert!(!app.help);
}

#[test]
fn link_picker_copies_by_number_or_selection() {
    use folio::app::overlay::Effect;
    let mut app = browser(120, 40);
    // The rfa article (fourth, newest first) has links.
    press(&mut app, "jjj<enter>L");
    let links = app.open_article().unwrap().links().to_vec();
    assert!(links.len() >= 4);
    assert!(app.overlay.is_some());
    press(&mut app, "jj<enter>");
    assert_eq!(app.effects, vec![Effect::Copy(links[2].url.clone())]);
    assert_eq!(app.message.as_deref(), Some("copied link [3]"));
    assert!(app.overlay.is_none());
    app.effects.clear();
    press(&mut app, "L4y");
    assert_eq!(app.effects, vec![Effect::Copy(links[3].url.clone())]);
    app.effects.clear();
    press(&mut app, "L<esc>");
    assert!(app.overlay.is_none() && app.effects.is_empty());
}

#[test]
fn copying_and_opening_urls() {
    use folio::app::overlay::Effect;
    let mut app = browser(120, 40);
    let article = app.open_article().unwrap().clone();
    let url = article.url.clone().unwrap();
    press(&mut app, "y");
    assert_eq!(app.effects, vec![Effect::Copy(url.clone())]);
    app.effects.clear();
    press(&mut app, "Y");
    assert_eq!(
        app.effects,
        vec![Effect::Copy(format!("{}\n{url}", article.title))]
    );
    app.effects.clear();
    press(&mut app, "o");
    assert_eq!(app.effects, vec![Effect::Open(url.clone())]);
    app.effects.clear();
    app.ssh = true;
    press(&mut app, "o");
    assert_eq!(
        app.effects,
        vec![Effect::Copy(url)],
        "over SSH the link is copied instead"
    );
    assert!(app.message.as_deref().unwrap().contains("SSH"));
}

#[test]
fn only_web_links_are_opened_anything_else_is_copied() {
    use folio::app::overlay::Effect;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.md"),
        "<!--1690562527000-->\n[标题](--renderer-cmd-prefix=/usr/bin/id)\n------\n\n\
         <p><a href=\"--new-window=file:///etc/passwd\">选项</a> \
         <a href=\"file:///etc/passwd\">文件</a> <a href=\"https://x.org/\">网页</a></p>\n",
    )
    .unwrap();
    let loaded = folio::load(
        &folio::Source::Paths(vec![dir.path().to_path_buf()]),
        &|_| {},
    );
    let mut app = folio::app::App::new(std::sync::Arc::new(loaded.collection), (100, 30));
    let article = app.open_article().unwrap().clone();
    assert_eq!(
        article.url.as_deref(),
        Some("--renderer-cmd-prefix=/usr/bin/id")
    );
    press(&mut app, "o");
    assert_eq!(
        app.effects,
        vec![Effect::Copy("--renderer-cmd-prefix=/usr/bin/id".into())]
    );
    assert!(app.message.as_deref().unwrap().contains("not a web link"));
    for (n, url) in article.links().iter().map(|l| l.url.clone()).enumerate() {
        app.effects.clear();
        press(&mut app, &format!("L{}o", n + 1));
        let expected = if url.starts_with("https://") {
            Effect::Open(url)
        } else {
            Effect::Copy(url)
        };
        assert_eq!(app.effects, vec![expected]);
        press(&mut app, "<esc>");
    }
}

#[test]
fn skipped_files_are_listed_on_a_key() {
    let loaded = folio::load(
        &folio::Source::Paths(vec![common::fixture("hostile")]),
        &|_| {},
    );
    let mut app = folio::app::App::new(std::sync::Arc::new(loaded.collection), (100, 30));
    press(&mut app, "!");
    assert!(
        common::screen(&app).contains("No file was skipped"),
        "{}",
        common::screen(&app)
    );
    press(&mut app, "<esc>");
    app.skipped = loaded.report.skipped.clone();
    press(&mut app, "!");
    assert!(app.overlay.is_some());
    let screen = common::screen(&app);
    assert!(
        screen.contains("Skipped files (3)") && screen.contains("empty.md: empty file"),
        "{screen}"
    );
    press(&mut app, "<esc>");
    assert!(app.overlay.is_none());
}

#[test]
fn mouse_clicks_and_wheel() {
    let mut app = browser(120, 40);
    update(&mut app, Action::Click(5, 3));
    assert_eq!(
        app.list.selected, 2,
        "row 3 of the screen is the third article"
    );
    update(&mut app, Action::Click(80, 10));
    assert_eq!(app.focus, Focus::Reader);
    update(&mut app, Action::Wheel(80, 10, 1));
    assert_eq!(app.reader.scroll, 3);
    update(&mut app, Action::Wheel(5, 10, 1));
    assert_eq!(app.list.selected, 4);
}

#[test]
fn hyperlinks_cover_the_url_and_the_linked_words_on_screen() {
    let mut app = browser(120, 40);
    let url = app.open_article().and_then(|a| a.url.clone()).unwrap();
    let links = folio::ui::hyperlinks(&app);
    let screen = common::screen(&app);
    let rows: Vec<&str> = screen.lines().collect();
    let text_at = |l: &folio::ui::Hyperlink| -> String {
        // Screen text by columns (wide characters take two).
        let mut col = 0u16;
        let mut out = String::new();
        for c in rows[usize::from(l.y)].chars() {
            let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) as u16;
            if l.x.contains(&col) {
                out.push(c);
            }
            col += w;
        }
        out
    };
    let on_url_line: Vec<_> = links.iter().filter(|l| l.url == url).collect();
    assert!(!on_url_line.is_empty(), "the URL line is a link");
    // Shown as an address bar shows it (escaped non-ASCII decoded), linked to the URL itself.
    let shown = folio::html::readable_url(&url);
    assert!(shown.starts_with(&text_at(on_url_line[0])), "{shown}");
    // Every other link is one of the article's, over some text.
    let article = app.open_article().unwrap();
    for l in &links {
        assert!(!text_at(l).trim().is_empty(), "{l:?}");
        assert!(l.url == url || article.links().iter().any(|k| k.url == l.url));
    }
    // The numbered links at the end of an article that has some.
    while app.open_article().is_some_and(|a| a.links().is_empty()) && app.list.selected < 4 {
        press(&mut app, "j");
    }
    let article = app.open_article().unwrap().clone();
    let last = article.links().last().map(|l| l.url.clone()).unwrap();
    // A linked word of the body goes where its own link goes (links count from 1),
    // page after page.
    press(&mut app, "<enter>");
    let mut checked = 0;
    loop {
        let screen = common::screen(&app);
        let rows: Vec<&str> = screen.lines().collect();
        for l in folio::ui::hyperlinks(&app) {
            let Some(link) = article.links().iter().find(|k| k.url == l.url) else {
                continue;
            };
            let mut col = 0u16;
            let mut text = String::new();
            for c in rows[usize::from(l.y)].chars() {
                if l.x.contains(&col) {
                    text.push(c);
                }
                col += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) as u16;
            }
            let text = text.trim();
            if text.starts_with('[') {
                continue; // the numbered list at the end
            }
            assert!(
                link.text.contains(text),
                "{text:?} is linked to {} ({:?})",
                l.url,
                link.text
            );
            checked += 1;
        }
        let before = app.reader.scroll;
        press(&mut app, " ");
        if app.reader.scroll == before {
            break;
        }
    }
    assert!(checked > 0, "linked words were on screen");
    press(&mut app, "<tab>");
    press(&mut app, "<enter>G");
    let links = folio::ui::hyperlinks(&app);
    assert!(links.iter().any(|l| l.url == last), "{links:?}");
    // Nothing is linked under the help overlay.
    press(&mut app, "?");
    assert!(folio::ui::hyperlinks(&app).is_empty());
}

#[test]
fn a_key_bound_in_the_config_does_its_new_action() {
    let mut app = browser(120, 40);
    app.keymap = folio::config::Config::parse(
        "[keys]\nselect_next = [\"x\"]\nquit = [\"j\"]\n",
        std::path::Path::new("config.toml"),
    )
    .unwrap()
    .keymap;
    press(&mut app, "x");
    assert_eq!(app.list.selected, 1);
    press(&mut app, "<down>");
    assert_eq!(app.list.selected, 1, "select_next's old keys are gone");
    press(&mut app, "q");
    assert!(!app.quit, "quit's old key is gone");
    // In the search box x is still typed.
    press(&mut app, "/x<esc>");
    assert_eq!(app.list.selected, 1);
    press(&mut app, "j");
    assert!(app.quit);
}

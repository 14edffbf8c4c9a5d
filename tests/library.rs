//! Walking the archive like a library: filter terms in the search box and on the
//! command line, and sort orders — the browser and `folio list` agree.

mod common;

use std::sync::Arc;

use common::{browser, press, screen};
use folio::app::App;
use folio::search::filter::parse;
use folio::sort::SortOrder;

/// Articles with sources, tags, authors and dates to filter by: `count` of them,
/// spread over 2022–2024, in traditional and simplified script.
fn library(dir: &std::path::Path, count: usize) {
    const SOURCES: [&str; 4] = ["VOA Chinese", "rfa", "德國之聲", "BBC News 中文"];
    const TAGS: [&str; 4] = ["中國", "经济", "Taiwan", "外交"];
    const AUTHORS: [&str; 3] = ["Maria Repnikova", "储百亮", "Li Yuan"];
    const WORDS: [&str; 6] = ["中俄关系", "普京", "台湾选举", "贸易", "Apple", "北京"];
    for i in 0..count {
        let year = 2022 + i % 3;
        let month = 1 + (i * 5) % 12;
        let day = 1 + (i * 7) % 28;
        let title = format!("{}与{}第{i}篇", WORDS[i % 6], WORDS[(i / 6) % 6]);
        let text = format!(
            "---\ntitle: \"{title}\"\ndate: {year}-{month:02}-{day:02}T08:00:00.000Z\n\
             author: {}\nfrom: https://example.org/a/{i}\ntags: [ {} , {} ]\n---\n\
             <p>正文 {i}：{}。</p>\n",
            AUTHORS[i % 3],
            SOURCES[i % 4],
            TAGS[(i / 4) % 4],
            WORDS[(i + 1) % 6],
        );
        std::fs::write(dir.join(format!("{i:04}.md")), text).expect("an article");
    }
}

fn library_browser(count: usize) -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    library(dir.path(), count);
    let loaded = folio::load(
        &folio::loader::Source::Paths(vec![dir.path().to_owned()]),
        &|_| {},
    );
    assert_eq!(loaded.collection.len(), count, "{:?}", loaded.report);
    let mut app = App::new(Arc::new(loaded.collection), (120, 40));
    app.today = chrono::NaiveDate::from_ymd_opt(2024, 6, 30);
    (dir, app)
}

fn rows(app: &App) -> Vec<u32> {
    (0..app.list.len())
        .filter_map(|r| app.list.article_at(r))
        .map(|i| i as u32)
        .collect()
}

#[test]
fn filter_terms_in_the_search_box() {
    let mut app = browser(120, 40);
    press(&mut app, "/@VOA");
    assert_eq!(app.list.len(), 2);
    assert!(
        rows(&app)
            .iter()
            .all(|&i| app.article(i as usize).unwrap().source.as_deref() == Some("voachinese"))
    );
    press(&mut app, "<c-u>!@voa");
    assert_eq!(app.list.len(), 3);
    press(&mut app, "<c-u>after:2023-10");
    assert_eq!(app.list.len(), 3);
    press(&mut app, " !@dw");
    assert_eq!(app.list.len(), 2);
    // Filters and title terms together: the title terms rank.
    press(&mut app, "<c-u>@voa 中俄");
    assert_eq!(app.list.len(), 2);
    assert!(screen(&app).contains("· best first"));
    // A bad term says so, and filters nothing.
    press(&mut app, "<c-u>after:2023-13");
    assert_eq!(app.list.len(), 5);
    assert_eq!(
        app.message.as_deref(),
        Some("after:2023-13: not a date (2023, 2023-10, 2023-10-21, today, 7d or 4w)")
    );
    assert!(screen(&app).contains("after:2023-13: not a date"));
}

#[test]
fn u_and_s_are_terms_in_the_box() {
    let mut app = browser(120, 40);
    press(&mut app, "jjsgm");
    press(&mut app, "U");
    assert_eq!(app.search.query, "is:unread");
    assert_eq!(app.list.len(), 4);
    assert!(screen(&app).contains("/ is:unread"));
    press(&mut app, "S");
    assert_eq!(app.search.query, "is:unread is:starred");
    assert_eq!(app.list.len(), 1);
    press(&mut app, "U");
    assert_eq!(app.search.query, "is:starred");
    // Typed by hand, the same.
    press(&mut app, "<esc>/is:read");
    assert_eq!(app.list.len(), 1);
    press(&mut app, "<c-u>!is:read");
    assert_eq!(app.list.len(), 4);
}

#[test]
fn filters_fold_case_width_and_script_and_match_by_prefix() {
    let (_dir, mut app) = library_browser(48);
    for (query, expect) in [
        ("#中國", 12),
        ("#中国", 12),
        ("#taiw", 12),
        ("@德国", 12),
        ("@bbc", 12),
        ("@中文", 12),
        ("by:\"maria r\"", 16),
        ("by:li", 16),
        ("on:2023", 16),
        ("@rfa on:2023", 4),
        ("!@rfa !@voa", 24),
    ] {
        press(&mut app, "<esc>/");
        press(&mut app, query);
        assert_eq!(app.list.len(), expect, "{query}");
    }
}

#[test]
fn the_browser_and_folio_list_agree() {
    let (_dir, mut app) = library_browser(120);
    let today = app.today.unwrap();
    for query in [
        "@voa",
        "#经济 after:2023-06",
        "by:储 !on:2022",
        "before:2023-03-15",
        "on:2024-02 #外交",
        "@rfa 普京",
        "北京 !#taiwan",
        "after:30d",
        "on:4w",
    ] {
        for order in [SortOrder::Newest, SortOrder::Title, SortOrder::Oldest] {
            app.sort = order;
            press(&mut app, "<esc>/");
            press(&mut app, query);
            let cli =
                folio::commands::select(&app.collection, &app.marks, &parse(query, today), order);
            assert_eq!(rows(&app), cli, "{query} by {}", order.name());
        }
    }
}

#[test]
fn sort_orders_keep_the_selected_article() {
    let (_dir, mut app) = library_browser(60);
    press(&mut app, "jjjjjjj");
    let selected = app.list.selected_article();
    for name in ["oldest", "title", "source", "read", "newest"] {
        press(&mut app, "O");
        assert_eq!(app.sort.name(), name);
        assert_eq!(app.list.selected_article(), selected, "{name}");
        let shown = screen(&app);
        assert!(shown.contains(&format!("· {name} ")), "{shown}");
        let line = app.list.selected - app.list.offset;
        assert!(line < app.list.height, "on screen");
    }
    // Oldest first really is oldest first, and titles go by pinyin.
    app.sort = SortOrder::Oldest;
    press(&mut app, "/@");
    press(&mut app, "<esc>");
    let dates: Vec<_> = rows(&app)
        .iter()
        .map(|&i| app.article(i as usize).unwrap().date)
        .collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]));
    let titles: Vec<String> = folio::sort::arrange(&app.collection, SortOrder::Title, |_| 0)
        .iter()
        .map(|&i| folio::sort::title_key(&app.article(i as usize).unwrap().title))
        .collect();
    assert!(titles.windows(2).all(|w| w[0] <= w[1]));
    // Apple (a) < 北京 (bei) < 贸易 (mao) < 普京 (pu) < 台湾 (tai) < 中俄 (zhong).
    let first_words: Vec<String> = folio::sort::arrange(&app.collection, SortOrder::Title, |_| 0)
        .iter()
        .map(|&i| {
            app.article(i as usize)
                .unwrap()
                .title
                .chars()
                .take(2)
                .collect()
        })
        .collect();
    let mut seen: Vec<String> = Vec::new();
    for w in first_words {
        if seen.last() != Some(&w) {
            seen.push(w);
        }
    }
    assert_eq!(seen, ["Ap", "北京", "贸易", "普京", "台湾", "中俄"]);
}

#[test]
fn the_read_order_puts_what_was_read_last_first() {
    let (_dir, mut app) = library_browser(20);
    press(&mut app, "jjjm");
    let first_read = app.list.selected_article();
    press(&mut app, "jjjm");
    let last_read = app.list.selected_article();
    app.sort = SortOrder::Read;
    press(&mut app, "/@<esc>");
    assert_eq!(app.list.article_at(0), last_read);
    assert_eq!(app.list.article_at(1), first_read);
}

#[test]
fn cli_filters_sorts_and_errors() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    library(dir.path(), 24);
    let path = dir.path().to_str().unwrap();
    let state = tempfile::tempdir().expect("a temporary folder");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
            .args(args)
            .env("XDG_CONFIG_HOME", state.path())
            .env("FOLIO_STATE_DIR", state.path())
            .env("FOLIO_CACHE_DIR", state.path().join("cache"))
            .output()
            .expect("folio runs")
    };
    let lines = |out: &std::process::Output| {
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let out = run(&["list", path, "--filter", "@rfa after:2023"]);
    assert!(out.status.success());
    assert_eq!(lines(&out).len(), 4);
    // The shorthands are the same terms.
    let short = run(&["list", path, "--source", "rfa", "--after", "2023"]);
    assert_eq!(lines(&short), lines(&out));
    let by = run(&[
        "list",
        path,
        "--author",
        "Maria Repnikova",
        "--sort",
        "oldest",
    ]);
    let dates: Vec<String> = lines(&by)
        .iter()
        .map(|l| l.split('\t').nth(1).unwrap().to_owned())
        .collect();
    assert_eq!(dates.len(), 8);
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
    // `folio search` takes the same language.
    let found = run(&["search", "@voa 普京", path]);
    assert!(found.status.success());
    assert!(!lines(&found).is_empty());
    assert!(lines(&found).iter().all(|l| l.contains("普京")));
    // Errors are clear, never an empty list.
    let bad = run(&["list", path, "--filter", "after:2023-13"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("after:2023-13: not a date"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
    // --format json is --json.
    let json = run(&["list", path, "--format", "json", "--source", "rfa"]);
    let plain_json = run(&["list", path, "--json", "--source", "rfa"]);
    assert_eq!(json.stdout, plain_json.stdout);
    assert_eq!(lines(&json).len(), 6);
    let bad = run(&["list", path, "--sort", "best"]);
    assert_eq!(bad.status.code(), Some(2));
    let bad = run(&["list", path, "--search", "nothing"]);
    assert_eq!(bad.status.code(), Some(2));
    // Saved searches from the config file.
    let config = state.path().join("folio");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("config.toml"),
        "sort = \"oldest\"\n[searches]\nrfa-2023 = \"@rfa on:2023\"\n",
    )
    .unwrap();
    let saved = run(&["list", path, "--search", "rfa-2023"]);
    assert!(
        saved.status.success(),
        "{}",
        String::from_utf8_lossy(&saved.stderr)
    );
    assert_eq!(lines(&saved).len(), 2);
}

#[test]
fn the_facet_panel_counts_what_the_list_shows_and_toggles_terms() {
    let (_dir, mut app) = library_browser(48);
    press(&mut app, "F");
    let shown = screen(&app);
    assert!(shown.contains(" Filters · by count "), "{shown}");
    let count_of = |app: &App, label: &str| {
        let Some(folio::app::overlay::Overlay::Facets(panel)) = &app.overlay else {
            panic!("the panel is open");
        };
        panel.all.iter().find(|f| f.label == label).map(|f| f.count)
    };
    assert_eq!(count_of(&app, "@rfa"), Some(12));
    assert_eq!(
        count_of(&app, "#中國"),
        Some(12),
        "中國 and 中国 are one tag"
    );
    assert_eq!(count_of(&app, "by:\"Maria Repnikova\""), Some(16));
    assert_eq!(count_of(&app, "on:2023"), Some(16));
    // Typing narrows the entries; Enter puts the term in the search box.
    press(&mut app, "rfa<enter>");
    assert_eq!(app.search.query, "@rfa$", "exactly that source");
    assert_eq!(app.list.len(), 12);
    // The counts are those of what the list shows now.
    assert_eq!(count_of(&app, "@voa"), None);
    assert_eq!(count_of(&app, "@\"VOA Chinese\""), None);
    assert_eq!(count_of(&app, "on:2023"), Some(4));
    // Chosen again, it comes out.
    press(&mut app, "<enter>");
    assert_eq!(app.search.query, "");
    assert_eq!(app.list.len(), 48);
    // By name, then closed.
    press(&mut app, "<c-u><c-t>");
    assert!(screen(&app).contains(" Filters · by name "));
    press(&mut app, "<esc>");
    assert!(app.overlay.is_none());
}

#[test]
fn facet_panel_and_sorted_list_screens() {
    let (_dir, mut app) = library_browser(24);
    app.searches = vec![("rfa-2023".to_owned(), "@rfa on:2023".to_owned())];
    press(&mut app, "F");
    insta::assert_snapshot!("facet_panel", screen(&app));
    press(&mut app, "<esc>OO");
    insta::assert_snapshot!("list_sorted_by_title", screen(&app));
}

#[test]
fn history_lists_what_was_read_most_recent_first_and_opens_it() {
    let mut app = browser(120, 40);
    press(&mut app, "H");
    assert_eq!(app.message.as_deref(), Some("nothing read yet"));
    press(&mut app, "jmjjm");
    let first = app.list.article_at(1);
    let last = app.list.article_at(3);
    press(&mut app, "gH");
    let Some(folio::app::overlay::Overlay::History { entries, .. }) = &app.overlay else {
        panic!("the history is open");
    };
    let order: Vec<usize> = entries.iter().map(|&(a, _)| a).collect();
    assert_eq!(order, [last.unwrap(), first.unwrap()]);
    let shown = screen(&app);
    assert!(shown.contains(" History (2) "), "{shown}");
    // Enter opens the chosen one, even when the list's search hides it.
    press(&mut app, "j<enter>");
    assert!(app.overlay.is_none());
    assert_eq!(app.reader.article, first);
    assert_eq!(app.focus, folio::app::Focus::Reader);
    press(&mut app, "<tab>/美警告<enter>H<enter>");
    assert_eq!(app.reader.article, last);
    assert_eq!(app.list.selected_article(), last);
}

#[test]
fn ctrl_o_and_ctrl_i_walk_the_jumps() {
    let mut app = browser(120, 40);
    let at = |app: &App| app.reader.article;
    let start = at(&app);
    press(&mut app, "<enter>nn");
    let third = at(&app);
    assert_ne!(third, start);
    press(&mut app, "<c-o>");
    assert_eq!(at(&app), app.list.article_at(1), "back one");
    press(&mut app, "<c-o>");
    assert_eq!(at(&app), start, "back to the start");
    press(&mut app, "<c-o>");
    assert_eq!(app.message.as_deref(), Some("no jump to go back to"));
    press(&mut app, "<a-i><a-i>");
    assert_eq!(at(&app), third, "forward again");
    // A search result is a jump too.
    press(&mut app, "<tab>g/美警告<enter>");
    let found = at(&app);
    assert_ne!(found, start);
    press(&mut app, "<c-o>");
    assert_eq!(at(&app), start);
}

#[test]
fn the_pipe_key_asks_for_a_command_and_hands_over_the_article() {
    let mut app = browser(120, 40);
    press(&mut app, "<enter>|");
    assert!(app.prompt.is_some());
    assert!(screen(&app).contains("pipe to: $PAGER or less"));
    press(&mut app, "wc -l<enter>");
    assert!(app.prompt.is_none());
    let Some(folio::app::overlay::Effect::Pipe { command, text }) = app.effects.last() else {
        panic!("a pipe asked for: {:?}", app.effects);
    };
    assert_eq!(command.as_deref(), Some("wc -l"));
    assert!(text.starts_with("2023年中俄关系：没有最高只有更高？\n"));
    assert!(text.contains("\nLinks:\n") || !text.contains("[1]"));
    // Esc takes the prompt away; Enter on nothing means the pager.
    app.effects.clear();
    press(&mut app, "|x<esc>");
    assert!(app.prompt.is_none() && app.effects.is_empty());
    press(&mut app, "|<enter>");
    assert!(matches!(
        app.effects.last(),
        Some(folio::app::overlay::Effect::Pipe { command: None, .. })
    ));
}

#[test]
fn the_browser_and_the_command_line_agree_on_real_articles() {
    let corpus = common::fixture("corpus");
    let loaded = folio::load(&folio::loader::Source::Paths(vec![corpus.clone()]), &|_| {});
    let mut app = App::new(Arc::new(loaded.collection), (120, 40));
    let state = tempfile::tempdir().expect("a temporary folder");
    for query in [
        "#中参馆",
        "@voa",
        "by:huli",
        "after:2023-06",
        "!@rfa on:2023",
        "before:2023 !#medium",
        "中国 !@bbc",
        "@泡泡",
    ] {
        press(&mut app, "<esc>/");
        press(&mut app, query);
        let browser: Vec<String> = rows(&app)
            .iter()
            .map(|&i| app.article(i as usize).unwrap().id.clone())
            .collect();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
            .args(["list", "--filter", query])
            .arg(&corpus)
            .env("XDG_CONFIG_HOME", state.path())
            .env("FOLIO_STATE_DIR", state.path())
            .env("FOLIO_CACHE_DIR", state.path().join("cache"))
            .output()
            .expect("folio runs");
        assert!(out.status.success(), "{query}");
        let cli: Vec<String> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| l.split('\t').next().unwrap_or_default().to_owned())
            .collect();
        assert!(!cli.is_empty(), "{query} finds something");
        assert_eq!(browser, cli, "{query}");
    }
}

#[test]
fn u_takes_out_the_unread_term_however_it_is_spelled() {
    let mut app = browser(120, 40);
    press(&mut app, "/is:u 中俄<enter>");
    assert!(app.only_unread);
    press(&mut app, "U");
    assert_eq!(app.search.query, "中俄");
    assert!(!app.only_unread);
    press(&mut app, "<esc>/!is:unread<enter>U");
    assert_eq!(
        app.search.query, "!is:unread is:unread",
        "a negated term is another"
    );
}

#[test]
fn undoing_a_star_leaves_when_it_was_read() {
    let mut app = browser(120, 40);
    press(&mut app, "m");
    let id = app.article(0).unwrap().id.clone();
    let read_at = app.marks.read_at(&id);
    assert!(read_at > 1);
    press(&mut app, "su");
    assert!(!app.is_starred(0));
    assert_eq!(app.marks.read_at(&id), read_at);
}

#[test]
fn a_dollar_asks_for_the_whole_value() {
    let (_dir, mut app) = library_browser(48);
    press(&mut app, "/@voa");
    assert_eq!(app.list.len(), 12);
    press(&mut app, "<c-u>@voa$");
    assert_eq!(app.list.len(), 0, "no source is just VOA");
    press(&mut app, "<c-u>@\"voa chinese\"$");
    assert_eq!(app.list.len(), 12);
}

//! How folio sets text: `folio show` of each kind of element at widths 20, 41 and 100,
//! the reader's screen for headings, quotes, figures and embeds, and the properties
//! every article keeps (no stray spaces in Chinese, nothing wider than the screen but
//! a URL, no text lost) over the real articles of the fixtures.

mod common;

use std::path::PathBuf;
use std::sync::Arc;

use common::{corpus, fixture, press, screen};
use folio::app::loading::{Finished, Handover};
use folio::app::{Action, App, update};
use folio::commands::render;
use folio::wrap::str_width;
use folio::{Article, Source};

const KINDS: &[&str] = &[
    "01-spaces",
    "02-figure",
    "03-quote",
    "04-embed",
    "05-blocks",
    "06-spacer",
    "07-list",
    "08-title",
    "09-headings",
    "10-header",
    "11-urls",
    "12-small",
];

fn typeset(kind: &str) -> PathBuf {
    fixture(&format!("typeset/{kind}.md"))
}

fn article(path: PathBuf) -> Article {
    let loaded = folio::load(&Source::Paths(vec![path]), &|_| {});
    assert!(loaded.report.skipped.is_empty(), "{:?}", loaded.report);
    (*loaded.collection.articles()[0]).clone()
}

#[test]
fn show_sets_each_kind_of_element_at_three_widths() {
    for kind in KINDS {
        let a = article(typeset(kind));
        for width in [20, 41, 100] {
            let text = render(&a, width).join("\n");
            insta::assert_snapshot!(format!("show_{kind}_{width}"), text);
        }
    }
}

/// URL lines of `folio show`: the header's, and the numbered links.
fn is_url_line(line: &str) -> bool {
    line.starts_with("http")
        || line
            .strip_prefix('[')
            .and_then(|r| r.split_once("] "))
            .is_some_and(|(n, url)| n.bytes().all(|b| b.is_ascii_digit()) && url.contains("://"))
}

fn is_wide(c: char) -> bool {
    unicode_width::UnicodeWidthChar::width(c) == Some(2)
        && !matches!(c as u32, 0xAC00..=0xD7AF | 0x1100..=0x11FF | 0x3130..=0x318F)
}

/// Every real article of the fixtures, and the typesetting ones.
fn every_article() -> Vec<Article> {
    let mut paths = vec![corpus("")];
    paths.extend(KINDS.iter().map(|k| typeset(k)));
    let loaded = folio::load(&Source::Paths(paths), &|_| {});
    loaded.collection.iter().cloned().collect()
}

#[test]
fn real_articles_keep_the_rules_at_every_width() {
    for a in every_article() {
        for width in [20, 41, 100] {
            let lines = render(&a, width);
            for line in &lines {
                assert!(
                    is_url_line(line) || str_width(line) <= width,
                    "{}: wider than {width}: {line:?}",
                    a.path
                );
            }
            // A wrapped line never starts with closing punctuation when it can be helped.
            let starts_closed = lines
                .iter()
                .filter(|l| {
                    l.starts_with([
                        '，', '。', '、', '；', '：', '？', '！', '）', '」', '』', '》',
                    ])
                })
                .count();
            assert!(
                starts_closed <= 1,
                "{}: {starts_closed} lines start with a closing mark",
                a.path
            );
            assert!(!lines.iter().any(|l| l.contains("^{")), "{}", a.path);
        }
    }
}

#[test]
fn no_space_between_chinese_characters_unless_the_author_typed_one() {
    for a in every_article() {
        let body = a.body();
        let chars: Vec<char> = body.chars().collect();
        for w in chars.windows(3) {
            if is_wide(w[0]) && w[1] == ' ' && is_wide(w[2]) {
                let typed = format!("{}{}{}", w[0], w[1], w[2]);
                // The source has it with a plain space (not beside a line break).
                let source = std::fs::read_to_string(every_source(&a).expect("the article's file"))
                    .unwrap_or_default();
                // The source's text (tags out), spaces typed in a row as one.
                let mut text = String::new();
                let mut in_tag = false;
                for c in source.chars() {
                    match c {
                        '<' => in_tag = true,
                        '>' if in_tag => in_tag = false,
                        c if !in_tag => text.push(c),
                        _ => {}
                    }
                }
                let squeezed = text
                    .split([' ', '\t'])
                    .filter(|piece| !piece.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ");
                assert!(
                    squeezed.contains(&typed),
                    "{}: {typed:?} is not in the source",
                    a.path
                );
            }
        }
    }
}

/// The file an article was read from.
fn every_source(a: &Article) -> Option<PathBuf> {
    let root = fixture("");
    [root.join("corpus"), root.join("typeset")]
        .into_iter()
        .map(|r| r.join(&a.path))
        .chain(std::iter::once(PathBuf::from(&a.path)))
        .find(|p| p.is_file())
        .or_else(|| {
            // Paths are shown relative to the folder they were found in.
            walk(&root).into_iter().find(|p| p.ends_with(&a.path))
        })
}

fn walk(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn no_chinese_character_is_lost() {
    // Every CJK character of a paragraph's source text is in the body, in order.
    let a = article(typeset("01-spaces"));
    let expected = "这是一段排版过的中文，技术已经很成熟。这场大流行病是中国「主宰世界」的一个契机。作者打的空格要留着。";
    let got: String = a.body().chars().filter(|c| is_wide(*c)).collect();
    assert!(got.starts_with(expected), "{got}");
}

/// A browser over the typesetting fixtures, `width`×`height`, reading `kind`.
fn reading(kind: &str, width: u16, height: u16) -> App {
    let paths = KINDS.iter().map(|k| typeset(k)).collect();
    let loaded = folio::load(&Source::Paths(paths), &|_| {});
    let mut app = App::loading((width, height));
    update(
        &mut app,
        Action::Loaded(Handover(Arc::new(Finished::new(loaded)))),
    );
    let title = article(typeset(kind)).title;
    let row = (0..app.list.len())
        .find(|&r| app.article(app.list.article_at(r).unwrap()).unwrap().title == title)
        .expect("the article in the list");
    press(&mut app, "g");
    for _ in 0..row {
        press(&mut app, "j");
    }
    press(&mut app, "<enter>");
    app
}

#[test]
fn the_reader_draws_headings_quotes_figures_and_embeds() {
    for kind in [
        "09-headings",
        "03-quote",
        "02-figure",
        "04-embed",
        "07-list",
        "05-blocks",
        "12-small",
    ] {
        let app = reading(kind, 100, 24);
        insta::assert_snapshot!(format!("reader_{kind}"), screen(&app));
    }
    // Narrow: the quote's wrapped lines keep their marks, the table falls back to a cell per line.
    for kind in ["03-quote", "12-small"] {
        let app = reading(kind, 40, 30);
        insta::assert_snapshot!(format!("reader_{kind}_narrow"), screen(&app));
    }
}

#[test]
fn headings_are_bold_in_the_reader() {
    let app = reading("09-headings", 100, 24);
    let terminal = common::render(&app);
    let buffer = terminal.backend().buffer();
    let y = screen(&app)
        .lines()
        .position(|l| l.contains("第一部分的小标题"))
        .expect("the heading on screen") as u16;
    let x = (0..buffer.area.width)
        .find(|&x| buffer[(x, y)].symbol() == "第" && buffer[(x + 2, y)].symbol() == "一")
        .expect("the heading's first character");
    assert!(
        buffer[(x, y)]
            .modifier
            .contains(ratatui::style::Modifier::BOLD)
    );
}

#[test]
fn urls_are_whole_on_their_own_lines_in_show() {
    let a = article(typeset("11-urls"));
    let lines = render(&a, 20);
    let url = a.url.clone().unwrap();
    assert!(lines.contains(&url), "{lines:?}");
    for (i, link) in a.links().iter().enumerate() {
        let shown = format!("[{}] {}", i + 1, folio::html::readable_url(&link.url));
        assert!(lines.contains(&shown), "{shown} in {lines:?}");
    }
    // Shown decoded for reading, kept exact for copying.
    assert!(lines.iter().any(|l| l.contains("wiki/中俄关系")));
    assert!(a.links()[1].url.contains("%E4%B8%AD"));
}

mod segment_breaks {
    use proptest::prelude::*;

    /// A word of the source: Chinese, Korean, Latin or digits, plain or in a tag.
    fn word() -> impl Strategy<Value = (String, bool)> {
        let text = prop_oneof![
            4 => prop::sample::select(vec!["中", "国", "的", "，", "。", "「", "」", "“", "”"]).prop_map(str::to_owned),
            1 => prop::sample::select(vec!["한", "국"]).prop_map(str::to_owned),
            2 => "[a-z]{1,6}",
            1 => "[0-9]{1,4}",
        ];
        (text, any::<bool>())
    }

    /// White space between words: none, typed spaces, or a line break with indentation.
    fn gap() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec!["", "", " ", "  ", "\n", "\n   ", "  \n  ", "\t"])
    }

    fn wide(c: char) -> bool {
        let w = unicode_width::UnicodeWidthChar::width(c) == Some(2);
        let hangul = matches!(c as u32, 0xAC00..=0xD7AF);
        (w && !hangul) || (matches!(c, '“' | '”'))
    }

    proptest! {
        /// Between two words, the source's white space becomes one space, or nothing
        /// when it holds a line break and both sides are East Asian wide (quotation
        /// marks next to a wide character count as wide).
        #[test]
        fn white_space_follows_the_css_segment_break_rules(
            parts in prop::collection::vec((word(), gap()), 1..30)
        ) {
            let mut html = String::from("<p>");
            for ((w, bold), gap) in &parts {
                if *bold {
                    html.push_str(&format!("<b>{w}</b>"));
                } else {
                    html.push_str(w);
                }
                html.push_str(gap);
            }
            html.push_str("</p>");
            let mut expected = String::new();
            let mut pending: Option<&str> = None;
            for ((w, _), gap) in &parts {
                if let Some(g) = pending.take().filter(|g| !g.is_empty()) {
                    let before = expected.chars().last();
                    let after = w.chars().next();
                    let broke = g.contains('\n');
                    let joined = broke
                        && match (before, after) {
                            (Some(a), Some(b)) => {
                                let (wa, wb) = (wide(a), wide(b));
                                let real = |c: char| wide(c) && !matches!(c, '“' | '”');
                                (wa && wb) && (real(a) || real(b))
                            }
                            _ => false,
                        };
                    if !joined {
                        expected.push(' ');
                    }
                }
                expected.push_str(w);
                pending = Some(gap);
            }
            let got = folio::html::to_text(&html, None).text;
            prop_assert_eq!(got, expected, "source {:?}", html);
        }
    }
}

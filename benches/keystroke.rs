//! One keystroke of the browser (update + draw into a 120×40 buffer) with 100,000 articles loaded.
//!
//! The articles are made in memory (titles mixed from real ones, like
//! `../shared/bench/gen_corpus.py`), so the figure is the browser's alone.
//! Run with `cargo bench --bench keystroke`.

use std::sync::{Arc, OnceLock};

use folio::app::{Action, App, update};
use folio::{Article, Collection};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const COUNT: usize = 100_000;

fn main() {
    divan::main();
}

const FRAGMENTS: &[&str] = &[
    "美最新情报",
    "中国加大对俄罗斯的经济及军事支持",
    "中俄相互借力各取所需",
    "中俄關係",
    "一帶一路",
    "普京訪華",
    "烏克蘭戰爭",
    "地緣政治",
    "中国东北成为中俄贸易新战略口岸",
    "继续向俄输血",
    "2023年中俄关系",
    "没有最高只有更高",
    "美警告中国向俄提供武器后果严重",
    "北京反咬美不要干预中俄交往",
    "APEC",
    "NATO",
    "Huawei",
    "TikTok",
    "BRICS",
    "能源",
    "制裁",
    "芯片出口",
];

fn collection() -> Arc<Collection> {
    static COLLECTION: OnceLock<Arc<Collection>> = OnceLock::new();
    Arc::clone(COLLECTION.get_or_init(|| {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let body = "在俄罗斯总统普京上周访问北京与习近平会晤扩展两国“无止境”伙伴关系后，参加在沈阳举行的中俄地方投资发展与贸易合作大会的中国和俄罗斯公司签署了大量合作协议。\n\n".repeat(8);
        let articles = (0..COUNT)
            .map(|i| {
                let parts: Vec<&str> = (0..1 + next(3)).map(|_| FRAGMENTS[next(FRAGMENTS.len())]).collect();
                let mut article = Article {
                    id: format!("{i:012x}"),
                    title: parts.join("："),
                    url: Some(format!("https://www.rfa.org/mandarin/{i:07}.html")),
                    source: Some("rfa".to_owned()),
                    path: format!("{:04}/{i:07}.md", i / 1000),
                    ..Article::default()
                };
                article.set_text(body.clone(), Vec::new(), Vec::new());
                article
            })
            .collect();
        Arc::new(Collection::new(articles))
    }))
}

fn setup() -> (App, Terminal<TestBackend>) {
    let app = App::new(collection(), (120, 40));
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("a test terminal");
    terminal.draw(|f| folio::ui::draw(f, &app)).expect("drawn");
    (app, terminal)
}

fn keystroke(app: &mut App, terminal: &mut Terminal<TestBackend>, action: Action) {
    update(app, action);
    terminal.draw(|f| folio::ui::draw(f, app)).expect("drawn");
}

#[divan::bench(sample_count = 200)]
fn list_next(bencher: divan::Bencher) {
    let (mut app, mut terminal) = setup();
    bencher.bench_local(|| keystroke(&mut app, &mut terminal, Action::SelectNext));
}

#[divan::bench(sample_count = 200)]
fn reader_line_down(bencher: divan::Bencher) {
    let (mut app, mut terminal) = setup();
    update(&mut app, Action::FocusReader);
    bencher.bench_local(|| {
        keystroke(&mut app, &mut terminal, Action::ScrollDown);
        if app.reader.scroll == app.reader.max_scroll() {
            update(&mut app, Action::ScrollTop);
        }
    });
}

/// Typing the first character of a query: the whole collection is searched.
#[divan::bench(args = ["中", "普", "A", "x"], sample_count = 30)]
fn search_first_key(bencher: divan::Bencher, key: &str) {
    bencher
        .with_inputs(setup)
        .bench_local_values(|(mut app, mut terminal)| {
            keystroke(&mut app, &mut terminal, Action::SearchInput(key.to_owned()));
            (app, terminal)
        });
}

/// Typing the second character of a query.
#[divan::bench(args = ["中俄", "普京", "AP"], sample_count = 30)]
fn search_second_key(bencher: divan::Bencher, query: &str) {
    let mut chars = query.chars();
    let first = chars.next().map(String::from).unwrap_or_default();
    let second: String = chars.collect();
    bencher
        .with_inputs(|| {
            let (mut app, terminal) = setup();
            update(&mut app, Action::SearchInput(first.clone()));
            (app, terminal)
        })
        .bench_local_values(|(mut app, mut terminal)| {
            keystroke(&mut app, &mut terminal, Action::SearchInput(second.clone()));
            (app, terminal)
        });
}

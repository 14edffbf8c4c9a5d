//! Search as the browser uses it: ranking on real titles, folding, pinyin, query syntax, highlights, bodies.

mod common;

use std::sync::OnceLock;

use common::{corpus, load, seeds};
use folio::search::{Mode, Query, SYNTAX_HELP, TitleIndex, find_in_text, fold_str, search_bodies};
use folio::{Article, Collection};

/// The 200 real news articles and the 5 seeds, loaded once.
fn news() -> &'static (Collection, TitleIndex) {
    static NEWS: OnceLock<(Collection, TitleIndex)> = OnceLock::new();
    NEWS.get_or_init(|| {
        let loaded = load(&[corpus("news"), seeds()]);
        let index = TitleIndex::new(&loaded.collection);
        (loaded.collection, index)
    })
}

fn article(i: usize, title: &str, body: &str) -> Article {
    let mut a = Article {
        id: format!("a{i}"),
        title: title.to_owned(),
        path: format!("a{i}.md"),
        ..Article::default()
    };
    a.set_text(body.to_owned(), Vec::new(), Vec::new());
    a
}

/// A collection of the given titles, in this order (index 0 is the newest).
fn titled(titles: &[&str]) -> (Collection, TitleIndex) {
    let collection = Collection::new(
        titles
            .iter()
            .enumerate()
            .map(|(i, t)| article(i, t, ""))
            .collect(),
    );
    let index = TitleIndex::new(&collection);
    (collection, index)
}

/// The titles `query` finds, best first.
fn found<'c>(collection: &'c Collection, index: &TitleIndex, query: &str) -> Vec<&'c str> {
    index
        .search(query)
        .iter()
        .filter_map(|h| collection.get(h.article as usize))
        .map(|a| a.title.as_str())
        .collect()
}

/// The characters of `title` at `positions`, as a string.
fn picked(title: &str, positions: &[usize]) -> String {
    title
        .chars()
        .enumerate()
        .filter(|(i, _)| positions.contains(i))
        .map(|(_, c)| c)
        .collect()
}

fn title_of(collection: &Collection, needle: &str) -> usize {
    collection
        .iter()
        .position(|a| a.title.contains(needle))
        .unwrap_or_else(|| panic!("no title contains {needle}"))
}

#[test]
fn the_index_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<TitleIndex>();
}

#[test]
fn contiguous_matches_rank_above_scattered_ones_on_real_titles() {
    let (c, index) = news();
    let titles = found(c, index, "中俄");
    let contiguous = titles.iter().take_while(|t| t.contains("中俄")).count();
    assert!(contiguous >= 6, "{titles:#?}");
    assert!(
        titles[contiguous..].iter().all(|t| !t.contains("中俄")),
        "a contiguous match ranks below a scattered one: {titles:#?}"
    );
}

#[test]
fn characters_spread_across_a_long_title_are_noise() {
    let (c, index) = titled(&[
        "中国经济今年增长放缓，消费疲软拖累复苏，专家建议加大刺激力度对俄",
        "拜登签行政令阻敏感数据流向中俄",
        "中国与俄罗斯的关系",
    ]);
    assert_eq!(
        found(&c, &index, "中俄"),
        ["拜登签行政令阻敏感数据流向中俄", "中国与俄罗斯的关系"]
    );
}

#[test]
fn a_match_at_the_start_or_after_punctuation_ranks_higher() {
    let (c, index) = titled(&[
        "俄乌战争中普京的处境",
        "普京访问朝鲜",
        "客座评论：普京访问朝鲜",
    ]);
    let titles = found(&c, &index, "普京");
    assert_eq!(
        titles,
        [
            "普京访问朝鲜",
            "客座评论：普京访问朝鲜",
            "俄乌战争中普京的处境"
        ]
    );
}

#[test]
fn ties_go_to_the_newer_article() {
    let (_, index) = titled(&["普京访问朝鲜", "普京访问朝鲜", "普京访问朝鲜"]);
    let hits = index.search("普京");
    assert_eq!(
        hits.iter().map(|h| h.article).collect::<Vec<_>>(),
        [0, 1, 2]
    );
    assert!(hits.windows(2).all(|w| w[0].score == w[1].score));
}

#[test]
fn traditional_and_simplified_find_each_other() {
    let (c, index) = news();
    let traditional = found(c, index, "客座評論");
    let simplified = found(c, index, "客座评论");
    assert_eq!(traditional, simplified);
    assert!(traditional.iter().any(|t| t.starts_with("客座評論")));
    assert!(traditional.iter().any(|t| t.starts_with("客座评论")));
    let taiwan = found(c, index, "台湾大选");
    assert!(taiwan.iter().any(|t| t.contains("台灣大選")), "{taiwan:?}");

    let (c, index) = titled(&["中美關係緊張", "中美关系紧张"]);
    assert_eq!(found(&c, &index, "關係").len(), 2);
    assert_eq!(found(&c, &index, "关系").len(), 2);
}

#[test]
fn case_and_width_are_folded() {
    let (c, index) = titled(&["ＡＰＥＣ１２峰会", "apec12 summit", "APEC 12"]);
    let contiguous_first = ["ＡＰＥＣ１２峰会", "apec12 summit", "APEC 12"];
    assert_eq!(found(&c, &index, "APEC12"), contiguous_first);
    assert_eq!(found(&c, &index, "ａｐｅｃ１２"), contiguous_first);
    assert_eq!(fold_str("ＡＰＥＣ１２"), fold_str("APEC12"));
}

#[test]
fn pinyin_full_and_initials_find_chinese_titles() {
    let (c, index) = news();
    let with_putin = c.iter().filter(|a| a.title.contains("普京")).count();
    // Full pinyin is specific: the titles with 普京 come first.
    let titles = found(c, index, "pujing");
    assert!(with_putin >= 5);
    assert!(
        titles[..with_putin].iter().all(|t| t.contains("普京")),
        "{titles:#?}"
    );
    // Initials are not: 破解 is pj too. Every 普京 title is found, and the one that
    // starts with it comes first.
    let titles = found(c, index, "pj");
    assert_eq!(
        titles.iter().filter(|t| t.contains("普京")).count(),
        with_putin
    );
    assert!(titles.contains(&"中国公司破解苹果“隔空投送”加密？"));
    assert!(titles[0].starts_with("普京"));
    for query in ["zhonge", "zge"] {
        let titles = found(c, index, query);
        assert!(
            titles.contains(&"拜登签行政令阻敏感数据流向中俄"),
            "{query}: {titles:#?}"
        );
    }
}

#[test]
fn polyphonic_characters_accept_each_reading() {
    let (c, index) = titled(&["重庆火锅节开幕", "重要会议召开"]);
    assert_eq!(found(&c, &index, "chongqing"), ["重庆火锅节开幕"]);
    assert_eq!(found(&c, &index, "cq"), ["重庆火锅节开幕"]);
    assert_eq!(found(&c, &index, "zhongyao"), ["重要会议召开"]);
}

#[test]
fn highlights_land_on_the_matched_characters() {
    let (c, index) = news();
    let i = title_of(c, "普京罕有接受");
    let title = &c.articles()[i].title;
    assert_eq!(picked(title, &index.positions(i, "pj")), "普京");
    assert_eq!(index.positions(i, "pj"), [0, 1]);
    assert_eq!(picked(title, &index.positions(i, "pujing")), "普京");
    assert_eq!(picked(title, &index.positions(i, "普京")), "普京");
    assert_eq!(
        picked(title, &index.positions(i, "卡尔森 专访")),
        "卡尔森专访"
    );

    let j = title_of(c, "阻敏感数据流向中俄");
    let title = &c.articles()[j].title;
    assert_eq!(picked(title, &index.positions(j, "zge")), "中俄");

    // Folded matches map back onto the original characters.
    let (c, index) = titled(&["ＡＰＥＣ峰會：中國與俄羅斯的關係"]);
    let title = &c.articles()[0].title;
    assert_eq!(picked(title, &index.positions(0, "apec")), "ＡＰＥＣ");
    assert_eq!(picked(title, &index.positions(0, "峰会")), "峰會");
    assert_eq!(picked(title, &index.positions(0, "中俄关系")), "中俄關係");
    assert!(index.positions(0, "普京").is_empty());
    assert!(index.positions(5, "apec").is_empty());
}

#[test]
fn every_term_must_match_in_any_order() {
    let (c, index) = news();
    let titles = found(c, index, "中俄 普京");
    assert!(!titles.is_empty());
    assert!(
        titles
            .iter()
            .all(|t| t.contains("普京") && t.contains("中俄")),
        "{titles:#?}"
    );
    assert_eq!(titles, found(c, index, "普京 中俄"));
}

#[test]
fn negation_leaves_titles_out() {
    let (c, index) = news();
    let all = found(c, index, "普京");
    let without = found(c, index, "普京 !习近平");
    assert!(all.iter().any(|t| t.contains("习近平")));
    assert!(without.iter().all(|t| !t.contains("习近平")));
    assert_eq!(
        without.len(),
        all.iter().filter(|t| !t.contains("习近平")).count()
    );
    // Only negations: everything else matches.
    assert_eq!(found(c, index, "!普京").len(), c.len() - all.len());
}

#[test]
fn exact_prefix_and_suffix_terms() {
    let (c, index) = titled(&["普京访问朝鲜", "客座评论：普京访问朝鲜", "普通京剧"]);
    assert_eq!(found(&c, &index, "^普京"), ["普京访问朝鲜"]);
    assert_eq!(found(&c, &index, "^pj"), ["普京访问朝鲜"]);
    assert_eq!(found(&c, &index, "朝鲜$").len(), 2);
    assert_eq!(found(&c, &index, "'普京").len(), 2);
    assert_eq!(found(&c, &index, "'pj"), Vec::<&str>::new());
    assert_eq!(found(&c, &index, "^普京访问朝鲜$"), ["普京访问朝鲜"]);
    assert_eq!(found(&c, &index, "!^普京 朝鲜"), ["客座评论：普京访问朝鲜"]);
}

#[test]
fn the_parsed_query_and_the_help_agree() {
    let q = Query::parse("'中俄 ^普京 !习近平");
    let modes: Vec<(Mode, bool)> = q.terms.iter().map(|t| (t.mode, t.negated)).collect();
    assert_eq!(
        modes,
        [
            (Mode::Exact, false),
            (Mode::Prefix, false),
            (Mode::Exact, true)
        ]
    );
    for op in ["'", "^", "$", "!"] {
        assert!(
            SYNTAX_HELP.iter().any(|(pattern, _)| pattern.contains(op)),
            "{op} undocumented"
        );
    }
}

#[test]
fn empty_queries_find_nothing() {
    let (_, index) = news();
    assert!(index.search("").is_empty());
    assert!(index.search("   ").is_empty());
    assert!(index.search("!").is_empty());
}

#[test]
fn find_in_text_finds_every_folded_match() {
    let text = "中俄關係升温。ＡＰＥＣ峰会上，中俄关系再受关注；apec 与 APEC。";
    let ranges = find_in_text(text, "中俄关系");
    let matched: Vec<&str> = ranges.iter().map(|r| &text[r.clone()]).collect();
    assert_eq!(matched, ["中俄關係", "中俄关系"]);
    let apec: Vec<&str> = find_in_text(text, "APEC")
        .into_iter()
        .map(|r| &text[r])
        .collect();
    assert_eq!(apec, ["ＡＰＥＣ", "apec", "APEC"]);
    assert!(find_in_text(text, "普京").is_empty());
}

#[test]
fn search_bodies_returns_the_first_match_and_a_snippet() {
    let (c, _) = news();
    let hits = search_bodies(c, "普京");
    assert!(hits.len() >= 10, "{}", hits.len());
    assert!(hits.windows(2).all(|w| w[0].article < w[1].article));
    for hit in &hits {
        let body = &c.articles()[hit.article as usize].body();
        assert_eq!(hit.offset, hit.matched.start);
        assert_eq!(&body[hit.matched.clone()], "普京");
        assert_eq!(
            find_in_text(body, "普京").first(),
            Some(&hit.matched),
            "not the first match"
        );
        let (line, highlight) = hit.snippet(body);
        assert_eq!(&line[highlight], "普京");
        assert!(!line.contains('\n'));
        assert!(line.chars().count() <= 2 + 24 + 2 + 48);
    }
}

#[test]
fn search_bodies_shows_the_earliest_match_of_its_terms() {
    let collection = Collection::new(vec![article(0, "a", "先说关系，再说中俄")]);
    let hits = search_bodies(&collection, "中俄 关系");
    assert_eq!(hits.len(), 1);
    let body = &collection.articles()[0].body();
    assert_eq!(&body[hits[0].matched.clone()], "关系");
    assert_eq!(hits[0].offset, "先说".len());
}

#[test]
fn search_bodies_folds_like_titles() {
    let collection = Collection::new(vec![
        article(0, "a", "两国關係日益密切"),
        article(1, "b", "两国关系日益密切"),
        article(2, "c", "ＮＢＣ 报道"),
        article(3, "d", "nbc 报道"),
        article(4, "e", "无关内容"),
    ]);
    let articles = |q: &str| {
        search_bodies(&collection, q)
            .iter()
            .map(|h| h.article)
            .collect::<Vec<_>>()
    };
    assert_eq!(articles("关系"), [0, 1]);
    assert_eq!(articles("關係"), [0, 1]);
    assert_eq!(articles("NBC"), [2, 3]);
    assert_eq!(articles("报道 nbc"), [2, 3]);
    assert_eq!(articles("两国 密切"), [0, 1]);
    assert_eq!(articles("两国 !關係"), Vec::<u32>::new());
    assert_eq!(articles("报道 !ＮＢＣ"), Vec::<u32>::new());
    assert_eq!(articles("内容 !关系"), [4]);
    assert!(articles("!关系").is_empty());
    assert!(articles("").is_empty());
    assert!(articles("普京").is_empty());
    let (c, _) = news();
    let traditional = search_bodies(c, "關係").len();
    assert_eq!(traditional, search_bodies(c, "关系").len());
    assert!(traditional > 0);
}

//! The `folio` binary as a user runs it: list, show, exit codes, and nothing unsafe on stdout.

mod common;

use std::process::{Command, Output};

use common::{fixture, seeds};
use unicode_width::UnicodeWidthStr;

fn folio(args: &[&str]) -> Output {
    // Never the user's own state.
    let state = tempfile::tempdir().expect("a temporary folder");
    // An empty config home: the defaults, never the user's own config.
    let config_home = tempfile::tempdir().expect("a temporary folder");
    Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(args)
        .env("XDG_CONFIG_HOME", config_home.path())
        .env_remove("COLUMNS")
        .env("FOLIO_STATE_DIR", state.path())
        // Never the user's archive store either: each run starts with an empty one.
        .env("FOLIO_CACHE_DIR", state.path().join("cache"))
        .output()
        .expect("the folio binary runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn list_prints_the_bundled_articles_newest_first() {
    let out = folio(&["list"]);
    assert!(out.status.success());
    let text = stdout(&out);
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows.len(), 5);
    assert!(rows.iter().all(|r| r.len() == 5));
    assert_eq!(rows[0][1], "2023-12-22");
    assert_eq!(rows[0][2], "dw");
    assert_eq!(rows[0][3], "2023年中俄关系：没有最高只有更高？");
    assert_eq!(rows[4][1], "2023-02-20");
    assert!(stderr(&out).starts_with("folio: 5 articles loaded, 0 files skipped"));
    // No argument at all lists them too, until the browser takes over.
    assert!(folio(&[]).status.success());
}

#[test]
fn list_json_has_every_field() {
    let out = folio(&["list", "--json", seeds().to_str().unwrap()]);
    assert!(out.status.success());
    let rows: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(rows.len(), 5);
    let yt = rows.iter().find(|r| r["author"] == "老楊到處說").unwrap();
    assert_eq!(yt["date"], "2023-10-21T12:00:09Z");
    assert_eq!(yt["source"], "老楊到處說");
    assert_eq!(yt["tags"], serde_json::json!(["老楊到處說"]));
    assert_eq!(yt["url"], "https://www.youtube.com/watch?v=C1FlKcdjvLc");
    for key in [
        "id",
        "title",
        "url",
        "date",
        "author",
        "source",
        "tags",
        "path",
        "body_length",
        "link_count",
    ] {
        assert!(rows.iter().all(|r| r.get(key).is_some()), "missing {key}");
    }
    let rfa = rows.iter().find(|r| r["source"] == "rfa").unwrap();
    assert!(rfa["link_count"].as_u64().unwrap() >= 4);
    assert!(rfa["body_length"].as_u64().unwrap() > 500);
}

/// The id of the bundled RFA article, as `folio list` gives it.
fn rfa_id() -> String {
    let list = stdout(&folio(&["list"]));
    list.lines()
        .find(|l| l.contains("\trfa\t"))
        .and_then(|l| l.split('\t').next())
        .expect("the RFA article is listed")
        .to_owned()
}

#[test]
fn show_wraps_chinese_to_the_width() {
    let id = rfa_id();
    for width in [10, 31, 80] {
        let out = folio(&["show", &id, "--width", &width.to_string()]);
        assert!(out.status.success(), "{}", stderr(&out));
        let text = stdout(&out);
        let lines: Vec<&str> = text.lines().collect();
        // URLs are the one exception: each is whole, on a line of its own.
        let is_url = |l: &&str| {
            l.starts_with("http")
                || l.strip_prefix('[')
                    .and_then(|r| r.split_once("] "))
                    .is_some_and(|(n, url)| {
                        n.bytes().all(|b| b.is_ascii_digit())
                            && url.starts_with("http")
                            && !url.contains(' ')
                    })
        };
        assert!(
            lines
                .iter()
                .filter(|l| !is_url(l))
                .all(|l| l.width() <= width),
            "a line is wider than {width}"
        );
        let urls = lines.iter().filter(|l| is_url(l)).count();
        let links_at = lines.iter().position(|l| *l == "Links:").unwrap();
        assert_eq!(
            urls,
            1 + lines.len() - links_at - 1,
            "the URL and every link, one line each"
        );
        let closing = [
            '，', '。', '、', '；', '：', '？', '！', '）', '」', '』', '》', '”',
        ];
        assert!(
            lines.iter().all(|l| !l.starts_with(closing)),
            "closing punctuation starts a line at width {width}"
        );
        // Nothing is lost: the text without whitespace is the article's.
        let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        assert!(squeeze(&text).contains(&squeeze(
            "美国情报机构近日发现，中国已成为俄罗斯越来越重要的经济及军事伙伴。"
        )));
    }
    let text = stdout(&folio(&["show", &id, "--width", "80"]));
    assert!(text.starts_with(
        "美最新情报：中国加大对俄罗斯的经济及军事支持\n2023-07-28 · rfa\nhttps://www.rfa.org/"
    ));
    // A link longer than the width wraps, but all of it is there.
    let links = &text[text.find("\nLinks:\n").expect("a links section")..];
    assert!(links.replace('\n', "").contains(
        "[1] https://www.rfa.org/mandarin/yataibaodao/junshiwaijiao/jw2-07252023125038.html[2] "
    ));
}

#[test]
fn show_accepts_an_id_prefix() {
    let list = stdout(&folio(&["list"]));
    let id = list.lines().next().unwrap().split('\t').next().unwrap();
    let out = folio(&["show", &id[..6]]);
    assert!(out.status.success());
    assert!(stdout(&out).starts_with("2023年中俄关系：没有最高只有更高？"));
}

#[test]
fn exit_codes() {
    let out = folio(&["list", "/no/such/folder"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no articles could be loaded"));

    let out = folio(&["show", "ffffffffffff"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no article has the id"));

    assert_eq!(folio(&["list", "--bogus"]).status.code(), Some(2));
    assert_eq!(folio(&["show", "x", "--width", "0"]).status.code(), Some(2));
    assert_eq!(folio(&["show"]).status.code(), Some(2));

    let out = folio(&["list", fixture("hostile/empty.md").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("-v"));
}

#[test]
fn verbose_lists_every_skipped_file() {
    let out = folio(&["list", "-v", fixture("hostile").to_str().unwrap()]);
    assert!(out.status.success());
    let err = stderr(&out);
    assert!(err.contains("3 files skipped"), "{err}");
    assert!(err.contains("empty.md: empty file"));
    assert!(err.contains("binary.txt: binary file"));
    assert!(err.contains("degraded: ") && err.contains("many-attributes.html"));
}

#[test]
fn no_control_byte_from_content_reaches_stdout() {
    let hostile = fixture("hostile");
    let list = folio(&["list", "--json", hostile.to_str().unwrap()]);
    let plain = folio(&["list", hostile.to_str().unwrap()]);
    let mut outputs = vec![list, plain];
    let ids: Vec<String> = stdout(&outputs[1])
        .lines()
        .filter(|l| !l.contains("五兆字节"))
        .map(|l| l.split('\t').next().unwrap().to_owned())
        .collect();
    for id in &ids {
        outputs.push(folio(&[
            "show",
            id,
            hostile.to_str().unwrap(),
            "--width",
            "40",
        ]));
    }
    for out in &outputs {
        assert!(out.status.success());
        let text = stdout(out);
        assert!(
            !text.chars().any(|c| common::is_dangerous(c) && c != '\t'),
            "a control character reached stdout"
        );
    }
    let show = stdout(outputs.last().unwrap());
    assert!(!show.contains('\t'));
}

/// Everything folio prints, on both streams, is free of what could drive a terminal.
fn assert_clean_output(out: &Output, what: &str) {
    for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.chars().any(|c| common::is_dangerous(c) && c != '\t'),
            "{what}: a control character reached {stream}: {text:?}"
        );
    }
}

#[test]
fn echoed_queries_paths_and_config_values_are_cleaned() {
    let dir = tempfile::tempdir().unwrap();
    let queries = dir.path().join("queries.txt");
    std::fs::write(&queries, "中俄\u{1b}]0;pwned\u{7}\n\u{202e}普京\n").unwrap();
    let queries = queries.to_str().unwrap();
    let out = folio(&["search", "--queries", queries]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_clean_output(&out, "search --queries");
    assert!(
        stdout(&out).lines().any(|l| l.starts_with("中俄\t")),
        "{}",
        stdout(&out)
    );
    let out = folio(&["search", "--queries", queries, "--json"]);
    assert_clean_output(&out, "search --queries --json");

    // Paths repeated in error messages.
    let evil = dir.path().join("evil\u{1b}[2J\u{7}\u{202e}.toml");
    let evil = evil.to_str().unwrap();
    for args in [
        vec!["--config", evil, "list"],
        vec!["search", "--queries", evil],
        vec!["config", "--check", evil],
        vec!["list", evil],
        vec!["--no-such-flag\u{1b}]0;x\u{7}"],
    ] {
        let out = folio(&args);
        assert!(!out.status.success(), "{args:?}");
        assert_clean_output(&out, &format!("{args:?}"));
        assert!(!stderr(&out).is_empty(), "{args:?}: says why");
    }

    // Values from a config file repeated in its errors.
    let config = dir.path().join("config.toml");
    // A bidi override written as is, and an escape written as TOML's \u001b.
    std::fs::write(&config, "theme = \"\u{202e}neon\\u001b[31m\"\n").unwrap();
    let out = folio(&["config", "--check", config.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert_clean_output(&out, "config --check");
    assert!(stderr(&out).contains("unknown theme"), "{}", stderr(&out));
}

#[test]
fn search_prints_ranked_results_with_the_browsers_engine() {
    let out = folio(&["search", "pujing"]);
    assert!(out.status.success());
    let text = stdout(&out);
    let first: Vec<&str> = text.lines().next().expect("a result").split('\t').collect();
    assert_eq!(first.len(), 4);
    assert!(first[2].contains("普京"), "{text}");

    let out = folio(&["search", "pj", "--json", "--limit", "1"]);
    let rows: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 1);
    let title: Vec<char> = rows[0]["title"].as_str().unwrap().chars().collect();
    let positions: Vec<usize> = rows[0]["positions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_u64().unwrap() as usize)
        .collect();
    let matched: String = positions.iter().map(|&p| title[p]).collect();
    assert_eq!(matched, "普京", "positions land on the Chinese characters");
    assert!(rows[0]["score"].is_i64());
    for key in [
        "id",
        "url",
        "date",
        "source",
        "path",
        "body_length",
        "link_count",
    ] {
        assert!(rows[0].get(key).is_some(), "missing {key}");
    }
}

#[test]
fn search_bodies_and_query_files() {
    let out = folio(&["search", "--body", "莫斯科"]);
    let text = stdout(&out);
    assert!(text.lines().count() >= 2);
    assert!(
        text.lines()
            .all(|l| l.split('\t').nth(4).is_some_and(|s| s.contains("莫斯科"))),
        "{text}"
    );

    let dir = tempfile::tempdir().unwrap();
    let queries = dir.path().join("queries.txt");
    std::fs::write(&queries, "中俄\n\n關係\nzzzzqq\n").unwrap();
    let seeds = seeds();
    let out = folio(&[
        "search",
        "--queries",
        queries.to_str().unwrap(),
        seeds.to_str().unwrap(),
        "--limit",
        "2",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let tags: Vec<&str> = text
        .lines()
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    assert_eq!(
        tags,
        ["中俄", "中俄", "關係", "關係"],
        "one load, each result led by its query"
    );
    assert_eq!(stderr(&out).matches("articles loaded").count(), 1);

    let out = folio(&[
        "search",
        "--queries",
        queries.to_str().unwrap(),
        "--json",
        "--limit",
        "1",
    ]);
    let rows: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows[0]["query"], "中俄");
    assert_eq!(
        folio(&["search"]).status.code(),
        Some(2),
        "a query or --queries is required"
    );
}

#[test]
fn list_filters_by_the_remembered_state_and_prints_it_in_json() {
    let state = tempfile::tempdir().expect("a temporary folder");
    let all = folio(&["list"]);
    let ids: Vec<String> = stdout(&all)
        .lines()
        .map(|l| l.split('\t').next().unwrap_or("").to_owned())
        .collect();
    let (store, _, _) = folio::state::Store::open(state.path());
    use folio::state::Change;
    store.record(Change::Read(ids[0].clone(), true));
    store.record(Change::Read(ids[1].clone(), true));
    store.record(Change::Starred(ids[1].clone(), true));
    drop(store);
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_folio"))
            .args(args)
            .arg("--state-dir")
            .arg(state.path())
            .output()
            .expect("runs");
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    };
    let unread = run(&["list", "--unread"]);
    assert_eq!(unread.lines().count(), ids.len() - 2);
    assert!(!unread.contains(&ids[0]) && !unread.contains(&ids[1]));
    let starred = run(&["list", "--starred"]);
    assert_eq!(starred.lines().count(), 1);
    assert!(starred.starts_with(&ids[1]));
    let json = run(&["list", "--json"]);
    let first: serde_json::Value = serde_json::from_str(json.lines().next().unwrap()).unwrap();
    assert_eq!(
        (first["read"].as_bool(), first["starred"].as_bool()),
        (Some(true), Some(false))
    );
    let second: serde_json::Value = serde_json::from_str(json.lines().nth(1).unwrap()).unwrap();
    assert_eq!(second["starred"].as_bool(), Some(true));
}

#[test]
fn show_takes_its_width_from_columns_when_piped() {
    let list = stdout(&folio(&["list"]));
    let id = list
        .lines()
        .next()
        .unwrap()
        .split('\t')
        .next()
        .unwrap()
        .to_owned();
    let state = tempfile::tempdir().expect("a temporary folder");
    let out = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["show", &id])
        .env("XDG_CONFIG_HOME", state.path())
        .env("FOLIO_STATE_DIR", state.path())
        .env("FOLIO_CACHE_DIR", state.path().join("cache"))
        .env("COLUMNS", "50")
        .output()
        .expect("the folio binary runs");
    assert!(out.status.success());
    let text = stdout(&out);
    let body: Vec<&str> = text
        .lines()
        .take_while(|l| *l != "Links:")
        .filter(|l| !l.starts_with("http"))
        .collect();
    assert!(body.iter().all(|l| l.width() <= 50), "{text}");
    assert!(
        body.iter().filter(|l| l.width() > 44).count() > 3,
        "the text fills the 50 columns:\n{text}"
    );
}

#[test]
fn search_help_says_queries_takes_no_query() {
    let help = stdout(&folio(&["search", "--help"]));
    assert!(help.contains("With --queries there is none"), "{help}");
    assert!(help.contains("folio search --queries q.txt PATH"), "{help}");
}

#[test]
fn show_takes_an_article_out_as_markdown_or_json() {
    let id = rfa_id();
    let out = folio(&["show", &id, "--format", "markdown"]);
    assert!(out.status.success());
    let md = stdout(&out);
    assert!(
        md.starts_with("# 美最新情报：中国加大对俄罗斯的经济及军事支持\n\n*2023-07-28 · rfa*\n")
    );
    // Links inline, their [n] marks gone; emphasis and list items kept.
    assert!(md.contains(
        "* **[普京计划十月\"一带一路\"论坛期间访华](https://www.rfa.org/mandarin/yataibaodao/junshiwaijiao/jw2-07252023125038.html)**"
    ), "{md}");
    assert!(!md.contains("访华[1]"));
    assert!(md.contains("\n**更便宜的进口能源**\n"));
    assert!(md.contains("## Links\n\n1. <https://www.rfa.org/"));
    let out = folio(&["show", &id, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(stdout(&out).trim()).expect("one JSON object");
    assert_eq!(v["id"], id.as_str());
    assert_eq!(v["source"], "rfa");
    assert!(
        v["text"]
            .as_str()
            .unwrap()
            .starts_with("美国情报机构近日发现")
    );
    assert_eq!(v["links"].as_array().unwrap().len(), 4);
    assert_eq!(v["links"][0]["n"], 1);
    assert_eq!(
        folio(&["show", &id, "--format", "pdf"]).status.code(),
        Some(2)
    );
}

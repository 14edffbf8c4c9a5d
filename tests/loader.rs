//! The loader on the seeds, the real corpus and every fixture: formats, encodings, hostile files.

mod common;

use std::fs;
use std::sync::Mutex;

use common::{assert_clean, by_path, corpus, fixture, load, seeds};
use folio::article::make_id;
use folio::{Progress, Source};

#[test]
fn seeds_load_with_their_header_metadata() {
    let loaded = load(&[seeds()]);
    assert!(loaded.report.skipped.is_empty(), "{:?}", loaded.report);
    let c = &loaded.collection;
    assert_eq!(c.len(), 5);
    let titles: Vec<&str> = c.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(titles[0], "2023年中俄关系：没有最高只有更高？");
    assert_eq!(
        titles[4],
        "美警告中国向俄提供武器后果严重，北京反咬美不要干预中俄交往"
    );
    let dates: Vec<String> = c.iter().map(|a| a.date_ymd()).collect();
    assert_eq!(
        dates,
        [
            "2023-12-22",
            "2023-10-23",
            "2023-10-21",
            "2023-07-28",
            "2023-02-20"
        ]
    );

    let rfa = by_path(
        &loaded,
        "2023-07-28-rfa-us-intelligence-china-backs-russia.txt",
    );
    assert_eq!(rfa.source.as_deref(), Some("rfa"));
    assert_eq!(
        rfa.url.as_deref(),
        Some("https://www.rfa.org/mandarin/yataibaodao/junshiwaijiao/jw1-07282023123059.html")
    );
    assert_eq!(
        rfa.id,
        make_id(&format!("url:{}", rfa.url.as_deref().unwrap()))
    );
    assert!(
        rfa.body()
            .starts_with("美国情报机构近日发现，中国已成为俄罗斯越来越重要的经济及军事伙伴。")
    );
    assert!(
        rfa.body()
            .contains("普京计划十月\"一带一路\"论坛期间访华[1]")
    );
    assert_eq!(
        rfa.links()[0].url,
        "https://www.rfa.org/mandarin/yataibaodao/junshiwaijiao/jw2-07252023125038.html"
    );
    assert!(!rfa.body().contains('<'), "markup left in the body");

    let youtube = by_path(&loaded, "2023-10-21-laoyang-china-russia-mutual-gain.txt");
    assert_eq!(youtube.author.as_deref(), Some("老楊到處說"));
    assert_eq!(youtube.source.as_deref(), Some("老楊到處說"));
    assert_eq!(youtube.tags, ["老楊到處說"]);
    assert_eq!(
        youtube.date_rfc3339().as_deref(),
        Some("2023-10-21T12:00:09Z")
    );
    for a in c {
        assert_clean(a);
        assert!(!a.body().is_empty());
    }
}

#[test]
fn bundled_articles_are_the_seeds() {
    let bundled = folio::load(&Source::Bundled, &|_| {});
    let seeds = load(&[seeds()]);
    let ids = |l: &folio::Loaded| {
        l.collection
            .iter()
            .map(|a| (a.id.clone(), a.title.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&bundled), ids(&seeds));
    assert!(
        bundled
            .collection
            .iter()
            .all(|a| a.path.starts_with("bundled:"))
    );
}

#[test]
fn ids_are_stable_and_the_order_deterministic() {
    let first = load(&[corpus("")]);
    let second = load(&[corpus("")]);
    let ids = |l: &folio::Loaded| {
        l.collection
            .iter()
            .map(|a| a.id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&first), ids(&second));
    let mut unique = ids(&first);
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), first.collection.len());
}

#[test]
fn real_corpus_loads_every_article_with_a_real_title() {
    let loaded = load(&[corpus("")]);
    assert!(
        loaded.report.skipped.is_empty(),
        "{:?}",
        loaded.report.skipped
    );
    assert_eq!(loaded.collection.len(), 56);
    let mut previous = None;
    for a in &loaded.collection {
        assert_clean(a);
        assert!(!a.title.is_empty());
        assert!(
            !a.title.contains("&amp;") && !a.title.contains("<"),
            "{}",
            a.title
        );
        let date = a.date.unwrap_or_else(|| panic!("{} has no date", a.path));
        if let Some(prev) = previous {
            assert!(prev >= date, "not newest first at {}", a.path);
        }
        previous = Some(date);
        assert!(a.url.is_some(), "{} has no URL", a.path);
    }
    // A title from front matter, not from the file name.
    let a = by_path(&loaded, "2014-02-05-外媒网陷入中式困境.md");
    assert_eq!(a.title, "外媒网陷入中式困境");
    assert_eq!(a.author.as_deref(), Some("长平"));
    assert_eq!(
        a.date_rfc3339().as_deref(),
        Some("2014-02-05T11:54:35+01:00")
    );
}

#[test]
fn every_layout_is_read() {
    let loaded = load(&[fixture("formats")]);
    assert!(
        loaded.report.skipped.is_empty(),
        "{:?}",
        loaded.report.skipped
    );

    let a = by_path(&loaded, "formats/seed-layout.txt");
    assert_eq!(a.title, "美最新情报：中国加大对俄罗斯的经济及军事支持");
    assert_eq!(a.date_ymd(), "2023-07-28");

    let a = by_path(&loaded, "front-matter-seed.md");
    assert_eq!(a.author.as_deref(), Some("老楊到處說"));
    assert_eq!(
        a.url.as_deref(),
        Some("https://www.youtube.com/watch?v=C1FlKcdjvLc")
    );

    let a = by_path(&loaded, "2014-02-04-front-matter-html.md");
    assert_eq!(a.title, "垃圾邮件：国内门户网站集体“作恶”");
    assert_eq!(
        a.date_rfc3339().as_deref(),
        Some("2014-02-04T08:59:12+01:00")
    );
    assert_eq!(a.source.as_deref(), Some("泡泡"));
    assert_eq!(a.body(), "很多人都有这样的经历。");

    let a = by_path(&loaded, "bracket-title.md");
    assert_eq!(a.title, "[環球大廈專題]環球大廈經濟學&政治學");
    assert_eq!(a.url.as_deref(), Some("https://medium.com/@x/1"));

    let a = by_path(&loaded, "nan-stamp.md");
    assert_eq!(
        a.date_rfc3339().as_deref(),
        Some("2017-11-25T12:00:09Z"),
        "front matter fills a NaN stamp"
    );

    let a = by_path(&loaded, "2022-05-06-empty-title.md");
    assert_eq!(a.title, "empty-title");

    let a = by_path(&loaded, "bare-date.md");
    assert_eq!(a.date_rfc3339().as_deref(), Some("2014-02-04T00:00:00Z"));

    let a = by_path(&loaded, "invalid-yaml.md");
    assert_eq!(a.title, "他说\"不\"的时候");
    assert_eq!(a.author.as_deref(), Some("某人"));

    let a = by_path(&loaded, "page.html");
    assert_eq!(a.title, "网页标题 & 副题");
    assert_eq!(
        a.date_rfc3339().as_deref(),
        Some("2021-06-01T08:00:00+08:00")
    );
    assert!(a.body().contains("段落二，下一页[1]。"), "{}", a.body());

    assert_eq!(by_path(&loaded, "heading.htm").title, "只有 h1 的标题");

    let a = by_path(&loaded, "notes.markdown");
    assert_eq!(a.title, "Markdown 标题");
    assert!(a.body().contains("第一段，粗体和链接[1]。"), "{}", a.body());
    assert_eq!(a.links()[0].url, "https://example.org/md");

    let a = by_path(&loaded, "plain.txt");
    assert_eq!(a.title, "plain");
    assert_eq!(a.body(), "这是纯文本文件。\n\n第二段，没有任何标记。");
    assert_eq!(a.date, None, "no date is never today's date");

    assert_eq!(by_path(&loaded, "formats/README").title, "README");
    assert!(
        loaded
            .collection
            .iter()
            .all(|a| !a.title.contains("must never load"))
    );
    assert_eq!(
        loaded.report.ignored, 3,
        "the png, json and yml files are counted"
    );
    for a in &loaded.collection {
        assert_clean(a);
    }
    // Undated articles sort last.
    let undated = loaded
        .collection
        .iter()
        .position(|a| a.date.is_none())
        .unwrap();
    assert!(
        loaded.collection.articles()[undated..]
            .iter()
            .all(|a| a.date.is_none())
    );
}

#[test]
fn hidden_folders_are_not_entered() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(fixture("formats/plain.txt"), dir.path().join("plain.txt")).unwrap();
    for hidden in [".git", ".cache"] {
        fs::create_dir(dir.path().join(hidden)).unwrap();
        fs::copy(
            fixture("formats/seed-layout.txt"),
            dir.path().join(hidden).join("x.md"),
        )
        .unwrap();
    }
    let loaded = load(&[dir.path().to_path_buf()]);
    assert_eq!(loaded.collection.len(), 1);
    assert!(loaded.report.skipped.is_empty());
}

#[test]
fn legacy_chinese_encodings_are_decoded() {
    let loaded = load(&[fixture("encodings")]);
    assert!(
        loaded.report.skipped.is_empty() && loaded.report.degraded.is_empty(),
        "{:?}",
        loaded.report
    );
    let a = by_path(&loaded, "gbk.txt");
    assert_eq!(a.title, "GBK 编码的文章：中俄关系");
    assert_eq!(
        a.body(),
        "中国已成为俄罗斯越来越重要的经济及军事伙伴。两国之间贸易量激增，中国还向俄罗斯提供援助。"
    );
    let a = by_path(&loaded, "gb18030.txt");
    assert_eq!(a.title, "GB18030 编码：䶮㐀𠀀");
    assert!(a.body().ends_with("扩展字符：䶮㐀𠀀。"));
    let a = by_path(&loaded, "big5.txt");
    assert_eq!(a.title, "Big5 編碼的文章：中俄關係");
    assert!(
        a.body()
            .starts_with("中俄相互借力各取所需？華人社會大變將至")
    );
    let a = by_path(&loaded, "utf8-bom-crlf.md");
    assert_eq!(a.title, "带 BOM 和 CRLF 的文章");
    assert_eq!(a.date_ymd(), "2023-07-28");
    assert!(!a.body().contains('\r'));
}

#[test]
fn hostile_files_are_skipped_or_degraded_never_fatal() {
    let loaded = load(&[fixture("hostile")]);
    let reason = |name: &str| {
        loaded
            .report
            .skipped
            .iter()
            .find(|p| p.path.ends_with(name))
            .map(|p| p.reason.clone())
            .unwrap_or_else(|| panic!("{name} was not skipped"))
    };
    assert!(reason("binary.txt").contains("binary"));
    assert_eq!(reason("empty.md"), "empty file");
    assert_eq!(reason("whitespace.md"), "empty file");
    assert_eq!(loaded.report.skipped.len(), 3);

    let a = by_path(&loaded, "malformed.html");
    assert!(
        a.body().contains("未闭合的段落") && a.body().contains("结尾"),
        "{}",
        a.body()
    );

    let a = by_path(&loaded, "colspan-panic.html");
    assert!(
        a.body().contains("表格之前。") && a.body().contains("表格之后。"),
        "{}",
        a.body()
    );
    assert!(a.body().contains('a') && a.body().contains('b'));

    let degraded: Vec<&str> = loaded
        .report
        .degraded
        .iter()
        .map(|p| p.path.as_str())
        .collect();
    assert_eq!(degraded.len(), 1, "{degraded:?}");
    assert!(degraded.iter().any(|p| p.ends_with("many-attributes.html")));
    let a = by_path(&loaded, "many-attributes.html");
    assert!(
        a.body().contains("标签之前。") && a.body().contains("属性之后。"),
        "{}",
        a.body()
    );
    for a in &loaded.collection {
        assert_clean(a);
    }
}

#[test]
fn control_characters_are_removed_at_load() {
    let loaded = load(&[fixture("hostile/control-chars.md")]);
    let a = &loaded.collection.articles()[0];
    assert_clean(a);
    assert_eq!(a.title, "标题反转隔离 Tab");
    assert_eq!(a.url.as_deref(), Some("https://example.org/ctl/x"));
    // A C1 string introducer (U+0090) and terminator are dropped alone: the text
    // between them stays (in real files such bytes are mojibake, not commands).
    assert_eq!(a.body(), "正文清屏剪贴板标题链接 C1dcs铃退格双向 制表");
}

#[test]
fn symlinks_broken_and_looping_are_reported() {
    let loaded = load(&[fixture("links")]);
    let reasons: Vec<(String, String)> = loaded
        .report
        .skipped
        .iter()
        .map(|p| {
            (
                p.path.rsplit('/').next().unwrap().to_owned(),
                p.reason.clone(),
            )
        })
        .collect();
    assert!(
        reasons.contains(&("broken-link.md".into(), "broken symlink".into())),
        "{reasons:?}"
    );
    assert!(
        reasons.contains(&("loop".into(), "symlink loop".into())),
        "{reasons:?}"
    );
    assert!(
        reasons.contains(&("self-a.md".into(), "symlink loop".into())),
        "{reasons:?}"
    );
    assert_eq!(loaded.collection.len(), 1, "the good link is followed");
}

#[test]
fn a_missing_path_is_reported_and_the_rest_loads() {
    let loaded = load(&[fixture("does-not-exist"), fixture("formats/plain.txt")]);
    assert_eq!(loaded.collection.len(), 1);
    assert_eq!(loaded.report.skipped[0].reason, "no such file or directory");
}

#[test]
fn unreadable_files_are_skipped() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let locked = dir.path().join("locked.md");
    fs::copy(fixture("formats/seed-layout.txt"), &locked).unwrap();
    fs::copy(fixture("formats/plain.txt"), dir.path().join("open.txt")).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read(&locked).is_err() {
        let loaded = load(&[dir.path().to_path_buf()]);
        assert_eq!(loaded.collection.len(), 1);
        assert_eq!(loaded.report.skipped[0].reason, "permission denied");
        return;
    }
    // Running as root, permissions do not apply: run the binary as an unprivileged user.
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let bin = dir.path().join("folio-bin");
    fs::copy(env!("CARGO_BIN_EXE_folio"), &bin).unwrap();
    fs::set_permissions(&bin, fs::Permissions::from_mode(0o755)).unwrap();
    let out = std::process::Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(&bin)
        .args(["list", "-v"])
        .arg(dir.path())
        .env("FOLIO_STATE_DIR", dir.path().join("state"))
        .env("FOLIO_CACHE_DIR", dir.path().join("cache"))
        .env("XDG_CONFIG_HOME", dir.path())
        .output()
        .expect("setpriv (util-linux) runs the check as an unprivileged user");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("locked.md: permission denied"), "{stderr}");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
}

#[test]
fn progress_is_reported_for_every_file() {
    let seen = Mutex::new(Vec::<Progress>::new());
    let loaded = folio::load(&Source::Paths(vec![seeds()]), &|p| {
        seen.lock().unwrap().push(p)
    });
    let seen = seen.into_inner().unwrap();
    assert_eq!(seen.len(), 5);
    let last = seen.iter().max_by_key(|p| p.files_done).unwrap();
    assert_eq!((last.files_done, last.files_total), (5, 5));
    assert_eq!(last.bytes_done, last.bytes_total);
    assert_eq!(loaded.report.bytes, last.bytes_total);
}

#[test]
fn file_names_with_escape_sequences_are_sanitised() {
    let dir = tempfile::tempdir().unwrap();
    let evil = dir
        .path()
        .join("evil\u{1b}]0;owned\u{7}\u{202e}name\u{1b}[2J.txt");
    fs::write(&evil, "plain text body").unwrap();
    fs::write(dir.path().join("bad\u{1b}[31m.md"), "").unwrap();
    let loaded = load(&[dir.path().to_path_buf()]);
    let a = &loaded.collection.articles()[0];
    assert_clean(a);
    assert_eq!(a.title, "evilname");
    assert!(
        !loaded.report.skipped[0]
            .path
            .chars()
            .any(common::is_dangerous)
    );
}

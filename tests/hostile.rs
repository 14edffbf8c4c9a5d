//! One hostile file among ordinary ones: each is loaded, degraded or skipped — and reported — never fatal, never unbounded, and the rest of its folder loads.
//!
//! The inputs are generated here (a few of them are megabytes); the real articles
//! they sit among are the corpus fixtures. Work is measured in what the parser did,
//! not in time.

mod common;

use std::path::Path;

use common::{assert_clean, corpus};
use folio::Source;
use folio::html::{self, Cost};

fn seed(title: &str, body: &str) -> String {
    format!("<!--1690562527000-->\n[{title}](https://example.org/{title})\n------\n\n{body}\n")
}

const ZH: &str = "<p>美国情报机构近日发现，中国已成为俄罗斯越来越重要的经济及军事伙伴。</p>";

/// What must become of a hostile file.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// Loaded as it is.
    Loaded,
    /// Loaded, with a problem reported that contains this.
    Degraded(&'static str),
}

/// The hostile files of the issue that asked for them, by name.
fn cases() -> Vec<(String, Vec<u8>, Expect)> {
    let mut cases: Vec<(String, Vec<u8>, Expect)> = Vec::new();
    let mut add =
        |name: &str, text: String, expect| cases.push((name.to_owned(), text.into_bytes(), expect));

    // A YAML "billion laughs": ten levels of ten aliases.
    let mut laughs =
        String::from("---\ntitle: laughs\na0: &a0 [lol,lol,lol,lol,lol,lol,lol,lol,lol,lol]\n");
    for i in 1..10 {
        laughs += &format!(
            "a{i}: &a{i} [{}]\n",
            vec![format!("*a{}", i - 1); 10].join(",")
        );
    }
    laughs += "---\n";
    add("laughs.md", laughs + &seed("", ZH), Expect::Loaded);

    // Nesting the tag-counting guard did not see.
    let n = 200_000;
    add(
        "div-self-closed.html",
        seed("div", &(ZH.to_owned() + &"<div/>".repeat(n))),
        Expect::Degraded("nested"),
    );
    add(
        "stray-end-tags.html",
        seed("span", &(ZH.to_owned() + &"<span></b>".repeat(n))),
        Expect::Degraded("nested"),
    );
    add(
        "bogus-comments.html",
        seed("bogus", &(ZH.to_owned() + &"<div><!x>".repeat(n))),
        Expect::Degraded("nested"),
    );
    add(
        "bang-comments.html",
        seed("bang", &(ZH.to_owned() + &"<div><!--x--!>".repeat(n))),
        Expect::Degraded("nested"),
    );
    add(
        "pi-comments.html",
        seed("pi", &(ZH.to_owned() + &"<div><?x>".repeat(n))),
        Expect::Degraded("nested"),
    );
    add(
        "deep-divs.html",
        seed(
            "deep",
            &("<div>".repeat(40_000) + "最深处的文字" + &"</div>".repeat(40_000)),
        ),
        Expect::Degraded("nested"),
    );
    add(
        "nested-tables.html",
        seed("tables", &"<table><tr><td>x".repeat(5_000)),
        Expect::Degraded("nested"),
    );
    // Misnested formatting recreated in every paragraph: elements nobody wrote.
    let formatting: String = (0..200).map(|i| format!("<b x={i}>")).collect();
    add(
        "formatting.html",
        seed(
            "fmt",
            &format!("<p>{formatting}{}", "<p>x</p>".repeat(50_000)),
        ),
        Expect::Degraded("HTML"),
    );

    // Slow files: a tag or an entity repeated hundreds of thousands of times,
    // thousands of links, huge titles, a tag with a hundred thousand attributes.
    add(
        "many-paragraphs.html",
        seed("paras", &"<p>x</p>".repeat(300_000)),
        Expect::Degraded("too many elements"),
    );
    add(
        "many-breaks.html",
        seed("brs", &"<br>x".repeat(300_000)),
        Expect::Degraded("too many elements"),
    );
    add(
        "many-tables.html",
        // Text fostered out of each table: quadratic with a vector of children.
        seed("tables2", &"<table>x</table>".repeat(100_000)),
        Expect::Loaded,
    );
    add(
        "entities.html",
        seed("ents", &format!("<p>{}</p>", "&amp;".repeat(500_000))),
        Expect::Loaded,
    );
    add(
        "links.html",
        seed(
            "links",
            &(0..10_000)
                .map(|i| format!("<p><a href=\"https://x.org/{i}\">l{i}</a></p>"))
                .collect::<String>(),
        ),
        Expect::Loaded,
    );
    add(
        "title-5mb.md",
        seed(&"长".repeat(1_700_000), ZH),
        Expect::Loaded,
    );
    let attrs: Vec<String> = (0..100_000).map(|i| format!("a{i}=x")).collect();
    add(
        "attributes.html",
        seed("attrs", &format!("<p {}>x</p>", attrs.join(" "))),
        Expect::Degraded("attributes"),
    );

    // Soft hyphens are invisible break hints: dropped.
    add(
        "soft-hyphens.md",
        seed("soft", "<p>inter\u{ad}national</p>"),
        Expect::Loaded,
    );

    // A UTF-8 article cut in the middle of a character (a truncated download).
    let mut cut = seed("截断", &ZH.repeat(3)).into_bytes();
    cut.truncate(cut.len() - 8);
    cut.push(0xe4);
    cases.push((
        "truncated.md".into(),
        cut,
        Expect::Degraded("not valid UTF-8"),
    ));
    cases
}

fn reason<'a>(problems: &'a [folio::Problem], name: &str) -> Option<&'a str> {
    problems
        .iter()
        .find(|p| {
            Path::new(&p.path)
                .file_name()
                .is_some_and(|f| f.to_string_lossy() == name)
        })
        .map(|p| p.reason.as_str())
}

#[test]
fn each_hostile_file_is_contained_and_the_rest_of_its_folder_loads() {
    let dir = tempfile::tempdir().unwrap();
    // The ordinary articles around them.
    let ordinary = corpus("news/dw");
    let mut ordinary_count = 0;
    for entry in std::fs::read_dir(&ordinary).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
        ordinary_count += 1;
    }
    let cases = cases();
    for (name, bytes, _) in &cases {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    // Special files named like articles: never opened for a blocking read.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("/dev/zero", dir.path().join("dev-zero.md")).unwrap();
        // A kernel file that looks regular (as /proc/kmsg does, which would block):
        // on Linux, told apart; elsewhere, a broken link.
        std::os::unix::fs::symlink("/proc/self/status", dir.path().join("proc-file.md")).unwrap();
        rustix::fs::mkfifoat(
            rustix::fs::CWD,
            dir.path().join("fifo.md").as_path(),
            rustix::fs::Mode::RUSR | rustix::fs::Mode::WUSR,
        )
        .unwrap();
        std::os::unix::fs::symlink(
            dir.path().join("fifo.md"),
            dir.path().join("link-to-fifo.md"),
        )
        .unwrap();
        // Over the size limit, without writing 65 MB.
        let big = std::fs::File::create(dir.path().join("too-large.md")).unwrap();
        big.set_len(folio::loader::MAX_FILE_SIZE + 1).unwrap();
    }

    let loaded = folio::load(&Source::Paths(vec![dir.path().to_path_buf()]), &|_| {});
    let report = &loaded.report;
    for (name, _, expect) in &cases {
        let article = loaded
            .collection
            .iter()
            .find(|a| a.path.ends_with(name.as_str()));
        match expect {
            Expect::Loaded => {
                assert!(
                    article.is_some(),
                    "{name} not loaded: {:?}",
                    reason(&report.skipped, name)
                );
                assert_eq!(reason(&report.degraded, name), None, "{name}");
            }
            Expect::Degraded(why) => {
                assert!(
                    article.is_some(),
                    "{name} not loaded: {:?}",
                    reason(&report.skipped, name)
                );
                let reported =
                    reason(&report.degraded, name).unwrap_or_else(|| panic!("{name} not reported"));
                assert!(reported.contains(why), "{name}: {reported}");
            }
        }
    }
    #[cfg(unix)]
    {
        for name in ["dev-zero.md", "fifo.md", "link-to-fifo.md"] {
            assert_eq!(
                reason(&report.skipped, name),
                Some("not a regular file"),
                "{name}"
            );
        }
        assert!(
            reason(&report.skipped, "too-large.md").is_some_and(|r| r.starts_with("too large"))
        );
    }
    // Every ordinary article is there, and nothing is silently dropped.
    let written = ordinary_count + cases.len() + if cfg!(unix) { 5 } else { 0 };
    assert_eq!(
        loaded.collection.len() + report.skipped.len(),
        written,
        "{report:?}"
    );
    for a in &loaded.collection {
        assert_clean(a);
    }

    let get = |name: &str| {
        loaded
            .collection
            .iter()
            .find(|a| a.path.ends_with(name))
            .unwrap()
    };
    assert_eq!(get("laughs.md").title, "laughs");
    assert_eq!(get("deep-divs.html").body(), "最深处的文字");
    assert!(
        get("div-self-closed.html")
            .body()
            .starts_with("美国情报机构")
    );
    assert_eq!(get("links.html").links().len(), 10_000);
    assert_eq!(get("title-5mb.md").title.chars().count(), 1_700_000);
    assert!(
        get("truncated.md")
            .body()
            .starts_with("美国情报机构近日发现")
    );
    assert!(get("soft-hyphens.md").body().contains("international"));
}

/// What the parser may spend on `len` bytes: the budgets, plus what the parser
/// builds in the rest of the chunk where a budget trips.
fn within_budget(cost: Cost, len: usize) -> bool {
    let chunk = 4096;
    cost.memory <= 16 * 1024 * 1024 + 6 * len + 4 * 1024 * 1024
        && cost.work <= 200_000 + 8 * len as u64 + 400 * chunk as u64
}

#[test]
fn the_parser_spends_work_in_proportion_to_the_page() {
    for (name, bytes, _) in cases() {
        let text = String::from_utf8_lossy(&bytes);
        let (converted, cost) = html::to_text_with_cost(&text, None, None);
        assert!(
            within_budget(cost, text.len()),
            "{name}: {cost:?} for {} bytes",
            text.len()
        );
        assert!(!converted.text.chars().any(common::is_dangerous), "{name}");
    }
}

mod mutations {
    //! Real articles mutated at random: flipped bytes, truncation, splices of
    //! another article, a tag repeated thousands of times.

    use proptest::prelude::*;

    use super::*;

    /// Real articles to mutate: every layout and element kind of the fixtures.
    fn originals() -> Vec<Vec<u8>> {
        let mut files: Vec<_> = ["news/bbc", "news/rfa", "news/voa", "oped"]
            .iter()
            .flat_map(|d| {
                std::fs::read_dir(corpus(d))
                    .unwrap()
                    .map(|e| e.unwrap().path())
            })
            .collect();
        files.sort();
        files.truncate(24);
        files.iter().map(|p| std::fs::read(p).unwrap()).collect()
    }

    #[derive(Debug, Clone)]
    enum Mutation {
        Flip {
            at: Vec<(usize, u8)>,
        },
        Truncate {
            at: usize,
        },
        Splice {
            from: usize,
            at: usize,
            start: usize,
            len: usize,
        },
        RepeatTag {
            nth: usize,
            times: usize,
        },
    }

    fn mutation() -> impl Strategy<Value = Mutation> {
        prop_oneof![
            prop::collection::vec((any::<usize>(), any::<u8>()), 1..40)
                .prop_map(|at| Mutation::Flip { at }),
            any::<usize>().prop_map(|at| Mutation::Truncate { at }),
            (
                any::<usize>(),
                any::<usize>(),
                any::<usize>(),
                1usize..20_000
            )
                .prop_map(|(from, at, start, len)| Mutation::Splice {
                    from,
                    at,
                    start,
                    len
                }),
            (any::<usize>(), 1_000usize..60_000)
                .prop_map(|(nth, times)| Mutation::RepeatTag { nth, times }),
        ]
    }

    fn apply(originals: &[Vec<u8>], which: usize, m: &Mutation) -> Vec<u8> {
        let mut bytes = originals[which % originals.len()].clone();
        let n = bytes.len().max(1);
        match m {
            Mutation::Flip { at } => {
                for &(i, b) in at {
                    if !bytes.is_empty() {
                        bytes[i % n] = b;
                    }
                }
            }
            Mutation::Truncate { at } => bytes.truncate(at % n),
            Mutation::Splice {
                from,
                at,
                start,
                len,
            } => {
                let other = &originals[from % originals.len()];
                let start = start % other.len().max(1);
                let end = (start + len).min(other.len());
                let at = at % n;
                let piece = other[start..end].to_vec();
                bytes.splice(at..at, piece);
            }
            Mutation::RepeatTag { nth, times } => {
                let tags: Vec<(usize, usize)> = bytes
                    .iter()
                    .enumerate()
                    .filter(|&(_, &b)| b == b'<')
                    .filter_map(|(i, _)| {
                        bytes[i..]
                            .iter()
                            .position(|&b| b == b'>')
                            .map(|len| (i, i + len + 1))
                    })
                    .filter(|&(s, e)| e - s < 200)
                    .collect();
                if let Some(&(s, e)) = tags.get(nth % tags.len().max(1)) {
                    let tag = bytes[s..e].to_vec();
                    let repeated: Vec<u8> = tag
                        .iter()
                        .copied()
                        .cycle()
                        .take(tag.len() * times)
                        .collect();
                    bytes.splice(s..s, repeated);
                }
            }
        }
        bytes
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        #[test]
        fn mutated_articles_load_or_are_reported_cleanly_within_bounds(
            batch in prop::collection::vec((any::<usize>(), mutation()), 4)
        ) {
            let originals = originals();
            let dir = tempfile::tempdir().unwrap();
            for (i, (which, m)) in batch.iter().enumerate() {
                let bytes = apply(&originals, *which, m);
                // The converter on its own: bounded work, no escape in its text.
                let text = String::from_utf8_lossy(&bytes);
                let (converted, cost) = html::to_text_with_cost(&text, None, None);
                prop_assert!(within_budget(cost, text.len()), "{m:?}: {cost:?}");
                prop_assert!(!converted.text.chars().any(common::is_dangerous));
                std::fs::write(dir.path().join(format!("{i}.md")), &bytes).unwrap();
            }
            let loaded = folio::load(&Source::Paths(vec![dir.path().to_path_buf()]), &|_| {});
            // Every file loaded or reported; nothing in any field can drive a terminal.
            prop_assert_eq!(loaded.collection.len() + loaded.report.skipped.len(), batch.len());
            for a in &loaded.collection {
                assert_clean(a);
            }
            for p in loaded.report.skipped.iter().chain(&loaded.report.degraded) {
                let shown = format!("{}{}", p.path, p.reason);
                prop_assert!(!shown.chars().any(common::is_dangerous));
            }
        }
    }
}

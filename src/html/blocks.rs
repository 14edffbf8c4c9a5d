//! What the layout needs to know about a page's elements before writing them: hidden ones, embedded media, figure captions, simple tables, and text compared loosely (a title repeated in the body).

use html5ever::local_name;

use super::dom::{Data, Dom, Element, NodeId};

/// Classes sites give to text meant only for screen readers or never shown
/// (Drupal, WordPress, Bootstrap).
const HIDDEN_CLASSES: &[&str] = &[
    "element-invisible",
    "element-hidden",
    "visually-hidden",
    "visuallyhidden",
    "sr-only",
    "screen-reader-text",
];

/// Whether the page hides `e` from readers: `hidden`, `aria-hidden="true"`,
/// `display:none`, or a class that hides it. Never the page's body or its main
/// content, which a page saved with a dialog open may mark hidden.
pub fn is_hidden(e: &Element) -> bool {
    if matches!(
        e.name.local,
        local_name!("html") | local_name!("body") | local_name!("main") | local_name!("article")
    ) {
        return false;
    }
    if e.attr("hidden").is_some() {
        return true;
    }
    if e.attr("aria-hidden")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    {
        return true;
    }
    if let Some(style) = e.attr("style") {
        let squeezed: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect();
        if squeezed.contains("display:none") || squeezed.contains("visibility:hidden") {
            return true;
        }
    }
    e.attr("class").is_some_and(|classes| {
        classes
            .split_ascii_whitespace()
            .any(|c| HIDDEN_CLASSES.iter().any(|h| c.eq_ignore_ascii_case(h)))
    })
}

/// What an embedded frame or player shows, as the one line that stands for it:
/// `video: YouTube`, `audio: SoundCloud`, `embed: example.org`.
pub fn embed_label(tag: &str, url: &str) -> String {
    let host = host_of(url);
    let lower = url.to_ascii_lowercase();
    let known: &[(&str, &str)] = &[
        ("youtube.com", "video: YouTube"),
        ("youtube-nocookie.com", "video: YouTube"),
        ("youtu.be", "video: YouTube"),
        ("vimeo.com", "video: Vimeo"),
        ("bilibili.com", "video: Bilibili"),
        ("dailymotion.com", "video: Dailymotion"),
        ("kaltura.com", "video: Kaltura"),
        ("soundcloud.com", "audio: SoundCloud"),
        ("spotify.com", "audio: Spotify"),
        ("firstory.me", "audio: Firstory"),
        ("twitter.com", "embed: Twitter"),
        ("x.com", "embed: X"),
        ("facebook.com", "embed: Facebook"),
        ("instagram.com", "embed: Instagram"),
        ("documentcloud.org", "document: DocumentCloud"),
        ("scribd.com", "document: Scribd"),
        ("datawrapper.de", "chart: Datawrapper"),
        ("flourish.studio", "chart: Flourish"),
    ];
    for (domain, label) in known {
        if host == *domain || host.ends_with(&format!(".{domain}")) {
            return (*label).to_owned();
        }
    }
    if host.ends_with("google.com") && lower.contains("/maps") {
        return "map: Google Maps".to_owned();
    }
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let kind = match tag {
        "video" => "video",
        "audio" => "audio",
        _ if lower.contains("av-embeds") || lower.contains("/video") => "video",
        _ => "embed",
    };
    if host.is_empty() {
        kind.to_owned()
    } else {
        format!("{kind}: {host}")
    }
}

/// The host of an absolute URL, lower case; empty for anything else.
fn host_of(url: &str) -> String {
    let Some((_, rest)) = url.split_once("://") else {
        return String::new();
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or("");
    let host = host.split(':').next().unwrap_or("");
    host.to_ascii_lowercase()
}

/// The source of an embedded player: its own `src` (or `data`, or a lazy
/// loader's `data-src`), else that of its first `<source>`.
pub fn media_source<'a>(dom: &'a Dom, id: NodeId, e: &'a Element) -> Option<&'a str> {
    // A lazy loader's placeholder (`data:`, `about:blank`) is not the source.
    let real = |v: &&str| {
        let v = v.trim().to_ascii_lowercase();
        !v.is_empty() && !v.starts_with("data:") && !v.starts_with("about:")
    };
    let own = ["data-src", "data-lazy-src", "src", "data"]
        .iter()
        .find_map(|a| e.attr(a).filter(real));
    own.or_else(|| {
        dom.children(id).find_map(|c| match &dom.node(c).data {
            Data::Element(s) if s.is(&local_name!("source")) => s.attr("src").filter(real),
            _ => None,
        })
    })
}

/// How many nodes a look ahead may visit: bounded work per element, whatever
/// the page, so the layout stays linear.
const LOOK_AHEAD: usize = 4096;

/// The text of the first `<figcaption>` inside `figure`, folded for comparison
/// (see [`fold`]); `None` without one.
pub fn figure_caption(dom: &Dom, figure: NodeId) -> Option<String> {
    let mut stack = vec![figure];
    let mut visited = 0;
    while let Some(id) = stack.pop() {
        visited += 1;
        if visited > LOOK_AHEAD {
            return None;
        }
        if let Data::Element(e) = &dom.node(id).data {
            if id != figure && e.is(&local_name!("figcaption")) {
                return Some(fold(&text_below(dom, id)));
            }
            if id != figure && e.is(&local_name!("figure")) {
                continue;
            }
        }
        let start = stack.len();
        stack.extend(dom.children(id));
        stack[start..].reverse();
    }
    None
}

/// The text under `id` (bounded), without layout.
fn text_below(dom: &Dom, id: NodeId) -> String {
    let mut out = String::new();
    let mut stack = vec![id];
    let mut visited = 0;
    while let Some(id) = stack.pop() {
        visited += 1;
        if visited > LOOK_AHEAD || out.len() > 4096 {
            break;
        }
        match &dom.node(id).data {
            Data::Text(t) => out.push_str(t),
            Data::Element(e) if is_hidden(e) => continue,
            _ => {}
        }
        let start = stack.len();
        stack.extend(dom.children(id));
        stack[start..].reverse();
    }
    out
}

/// Whether the text that follows node `from` in the page, soon after it, says
/// `folded` (already folded): an image's alt text repeated by a caption written
/// as a paragraph of its own.
pub fn said_next(dom: &Dom, from: NodeId, folded: &str) -> bool {
    if folded.is_empty() {
        return false;
    }
    let enough = folded.len() * 2 + 600;
    let mut seen = String::new();
    let mut visited = 0;
    let mut id = from;
    // Walks forward in document order: a node's children, then its next sibling,
    // else the next sibling of the nearest ancestor that has one.
    let mut descend = false;
    loop {
        visited += 1;
        if visited > LOOK_AHEAD || seen.len() > enough {
            return false;
        }
        let node = dom.node(id);
        let next = if descend && node.first_child != super::dom::NONE {
            node.first_child
        } else {
            let mut at = id;
            loop {
                let n = dom.node(at);
                if n.next != super::dom::NONE {
                    break n.next;
                }
                if n.parent == super::dom::NONE || n.parent == at {
                    return false;
                }
                at = n.parent;
            }
        };
        id = next;
        descend = match &dom.node(id).data {
            Data::Text(t) => {
                seen.push_str(&fold(t));
                if seen.contains(folded) {
                    return true;
                }
                false
            }
            Data::Element(e) => !is_hidden(e) && role_shows_text(e),
            _ => true,
        };
    }
}

/// Elements whose text a reader sees (not scripts, styles or templates).
fn role_shows_text(e: &Element) -> bool {
    !matches!(
        e.name.local,
        local_name!("script")
            | local_name!("style")
            | local_name!("template")
            | local_name!("head")
    )
}

/// Text folded for loose comparison: letters and digits only (no white space,
/// punctuation or symbols such as emoji), lower case.
pub fn fold(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The forms of a title a repeated heading may take, folded: the title itself,
/// and the title without a site's name after a separator (`… - iYouPort`,
/// `…｜端傳媒`).
pub fn title_forms(title: &str) -> Vec<String> {
    let mut forms = vec![fold(title)];
    if let Some(short) = without_site(title) {
        forms.push(fold(short));
    }
    forms.retain(|f| f.chars().count() >= 2);
    forms.dedup();
    forms
}

/// `text` without a trailing site name after a separator, if it has one: the
/// part after the last `-`, `|`, `｜`, `–`, `—` or `·` that stands apart from the
/// words around it (a space on one side, or a full-width bar), when it is short.
fn without_site(text: &str) -> Option<&str> {
    let mut seps = text.char_indices().rev().filter(|&(i, c)| {
        let before = text[..i].chars().next_back();
        let after = text[i + c.len_utf8()..].chars().next();
        match c {
            '｜' => true,
            '-' | '|' | '–' | '—' | '·' => {
                before.is_some_and(char::is_whitespace) || after.is_some_and(char::is_whitespace)
            }
            _ => false,
        }
    });
    let (at, sep) = seps.next()?;
    let site = text[at + sep.len_utf8()..].trim();
    let short = text[..at].trim_end();
    (!short.is_empty() && !site.is_empty() && site.chars().count() <= 30).then_some(short)
}

/// Whether a block's text repeats the title (in one of its `forms`).
pub fn repeats_title(block: &str, forms: &[String]) -> bool {
    if forms.is_empty() {
        return false;
    }
    let folded = fold(block);
    if folded.is_empty() {
        return false;
    }
    let short = without_site(block).map(fold);
    forms
        .iter()
        .any(|f| *f == folded || short.as_ref() == Some(f))
}

/// Whether white space around a line break between `before` and `after` goes
/// away (CSS Text 3, segment break transformation): both are East Asian wide,
/// fullwidth or halfwidth characters, and neither is Hangul, whose words are
/// spaced. Quotation marks, dashes and ellipses of ambiguous width count as
/// wide next to a wide character (Chinese text sets them full width).
pub fn joins_without_space(before: char, after: char) -> bool {
    let (a, b) = (east_asian(before), east_asian(after));
    (a && (b || ambiguous_mark(after))) || (b && ambiguous_mark(before))
}

fn ambiguous_mark(c: char) -> bool {
    matches!(c, '“' | '”' | '‘' | '’' | '…' | '—' | '―' | '·' | '•' | '※')
}

fn east_asian(c: char) -> bool {
    let code = c as u32;
    let hangul = matches!(code,
        0x1100..=0x11FF | 0x3130..=0x318F | 0xA960..=0xA97F | 0xAC00..=0xD7AF
        | 0xD7B0..=0xD7FF | 0xFFA0..=0xFFDC);
    if hangul {
        return false;
    }
    let halfwidth = matches!(code, 0xFF61..=0xFF9F | 0xFFE8..=0xFFEE);
    halfwidth || unicode_width::UnicodeWidthChar::width(c) == Some(2)
}

/// A cell of a simple table: its pieces of text and links, white space folded.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Cell {
    pub pieces: Vec<Piece>,
    pub header: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    /// A link's text and its `href`.
    Link(String, String),
}

/// The most columns a table laid out as columns may have.
const MAX_COLUMNS: usize = 8;
/// The widest a cell of such a table may be, in columns.
const MAX_CELL_WIDTH: usize = 40;
/// The most rows.
const MAX_ROWS: usize = 300;

/// The rows of `table` when it is a simple table of short text — no nested
/// table, no spanning cell, no block inside a cell but a paragraph or a break,
/// 2 to 8 columns of at most 40 columns each — else `None` (it is laid out as
/// blocks). The caption comes first, if there is one.
pub fn simple_table(dom: &Dom, table: NodeId) -> Option<(Option<String>, Vec<Vec<Cell>>)> {
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut caption = None;
    let mut stack = vec![table];
    let mut visited = 0;
    while let Some(id) = stack.pop() {
        visited += 1;
        if visited > LOOK_AHEAD * 4 {
            return None;
        }
        let Data::Element(e) = &dom.node(id).data else {
            continue;
        };
        if is_hidden(e) {
            continue;
        }
        match e.name.local {
            local_name!("table") if id != table => return None,
            local_name!("caption") => caption = Some(text_below(dom, id)),
            local_name!("tr") => rows.push(Vec::new()),
            local_name!("td") | local_name!("th") => {
                let spans = ["colspan", "rowspan"]
                    .iter()
                    .filter_map(|a| e.attr(a))
                    .any(|v| v.trim().parse::<u32>().is_ok_and(|n| n > 1));
                if spans {
                    return None;
                }
                let cell = cell_of(dom, id, e.is(&local_name!("th")))?;
                rows.last_mut()?.push(cell);
                continue;
            }
            _ => {}
        }
        let start = stack.len();
        stack.extend(dom.children(id));
        stack[start..].reverse();
    }
    rows.retain(|r| !r.is_empty());
    let columns = rows.iter().map(Vec::len).max()?;
    if !(2..=MAX_COLUMNS).contains(&columns) || rows.len() > MAX_ROWS {
        return None;
    }
    let too_wide = rows.iter().flatten().any(|c| {
        let width: usize = c
            .pieces
            .iter()
            .map(|p| match p {
                Piece::Text(t) | Piece::Link(t, _) => crate::wrap::str_width(t),
            })
            .sum();
        width > MAX_CELL_WIDTH
    });
    (!too_wide).then_some((
        caption.map(|c| c.split_whitespace().collect::<Vec<_>>().join(" ")),
        rows,
    ))
}

/// A cell's text and links, or `None` when it holds more than short text.
fn cell_of(dom: &Dom, cell: NodeId, header: bool) -> Option<Cell> {
    let mut out = Cell {
        header,
        ..Cell::default()
    };
    // (node, inside a link with this href)
    let mut stack: Vec<(NodeId, Option<&str>)> = vec![(cell, None)];
    let mut visited = 0;
    while let Some((id, link)) = stack.pop() {
        visited += 1;
        if visited > LOOK_AHEAD {
            return None;
        }
        let mut link = link;
        match &dom.node(id).data {
            Data::Text(t) => {
                match link {
                    Some(href) => out.pieces.push(Piece::Link(t.to_string(), href.to_owned())),
                    None => out.pieces.push(Piece::Text(t.to_string())),
                }
                continue;
            }
            Data::Element(e) if id != cell => {
                if is_hidden(e) {
                    continue;
                }
                match e.name.local {
                    local_name!("table")
                    | local_name!("ul")
                    | local_name!("ol")
                    | local_name!("blockquote")
                    | local_name!("pre")
                    | local_name!("img")
                    | local_name!("figure")
                    | local_name!("iframe")
                    | local_name!("h1")
                    | local_name!("h2")
                    | local_name!("h3")
                    | local_name!("h4")
                    | local_name!("h5")
                    | local_name!("h6") => return None,
                    local_name!("br") | local_name!("p") | local_name!("div") => {
                        out.pieces.push(Piece::Text(" ".to_owned()));
                    }
                    local_name!("script") | local_name!("style") => continue,
                    local_name!("a") => link = e.attr("href").or(link),
                    _ => {}
                }
            }
            _ => {}
        }
        let start = stack.len();
        stack.extend(dom.children(id).map(|c| (c, link)));
        stack[start..].reverse();
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_compared_loosely_and_without_the_site() {
        let forms = title_forms("美国大选：谁会赢？ - iYouPort");
        assert!(repeats_title("美国大选 谁会赢", &forms));
        assert!(repeats_title("# 美国大选：谁会赢？", &forms));
        assert!(repeats_title(
            "美国大选：谁会赢？｜端傳媒",
            &title_forms("美国大选：谁会赢？")
        ));
        assert!(!repeats_title("美国大选：谁会赢？分析", &forms));
        assert!(!repeats_title("", &forms));
        let forms = title_forms("监视系统 — — Wikileaks 披露（中文版）- iYouPort");
        assert!(repeats_title(
            "监视系统 — — Wikileaks 披露（中文版）⏳",
            &forms
        ));
        assert!(!repeats_title("COVID", &title_forms("COVID-19")));
    }

    #[test]
    fn embeds_are_named_by_what_they_are() {
        assert_eq!(
            embed_label("iframe", "https://www.youtube.com/embed/x"),
            "video: YouTube"
        );
        assert_eq!(
            embed_label("iframe", "https://w.soundcloud.com/player/"),
            "audio: SoundCloud"
        );
        assert_eq!(
            embed_label("iframe", "https://jessicachinafile.github.io/chart/"),
            "embed: jessicachinafile.github.io"
        );
        assert_eq!(
            embed_label("video", "https://cdn.example.org/a.mp4"),
            "video: cdn.example.org"
        );
        assert_eq!(
            embed_label("iframe", "https://www.bbc.com/ws/av-embeds/cps/x"),
            "video: bbc.com"
        );
    }

    #[test]
    fn only_wide_neighbours_join() {
        assert!(joins_without_space('是', '中'));
        assert!(joins_without_space('成', '。'));
        assert!(joins_without_space('”', '的'));
        assert!(!joins_without_space('”', 'w'));
        assert!(!joins_without_space('是', 'T'));
        assert!(!joins_without_space('a', 'b'));
        assert!(!joins_without_space('한', '국'));
    }
}

//! Lays out a parsed page as text: paragraphs, headings, quotes, lists, figures, embeds, rules, tables, styled words and numbered links.
//!
//! The walk over the tree keeps its own stack, so no page nests deep enough to
//! exhaust the thread's; every node is visited once (looks ahead at a figure's
//! caption or a table's cells are bounded) and every character of text written
//! once, so the work is linear in the page.
//!
//! White space follows CSS: runs collapse to one space, and a run holding a line
//! break of the source disappears between two East Asian wide characters, so
//! pretty-printed Chinese gets no stray spaces.

use html5ever::{LocalName, local_name};

use super::blocks::{self, Cell, Piece};
use super::dom::{DOCUMENT, Data, Dom, Element, NodeId};
use super::{Converted, Mark, TextBuilder, resolve};
use crate::article::SpanStyle;
use crate::sanitize;

/// How an element takes part in the layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Not shown, nor anything inside it.
    Hidden,
    /// Text flows through it.
    Inline,
    /// Starts and ends lines.
    Block,
    /// Starts and ends paragraphs: a blank line before and after.
    Paragraph,
}

fn role(e: &Element) -> Role {
    if e.name.ns != html5ever::ns!(html) {
        // SVG and MathML: drawings and formulas, not prose.
        return Role::Hidden;
    }
    match e.name.local {
        local_name!("head")
        | local_name!("script")
        | local_name!("style")
        | local_name!("template")
        | local_name!("title")
        | local_name!("select")
        | local_name!("datalist")
        | local_name!("textarea")
        | local_name!("frameset")
        | local_name!("noframes")
        | local_name!("noembed")
        | local_name!("noscript")
        | local_name!("input") => Role::Hidden,
        local_name!("p")
        | local_name!("h1")
        | local_name!("h2")
        | local_name!("h3")
        | local_name!("h4")
        | local_name!("h5")
        | local_name!("h6")
        | local_name!("blockquote")
        | local_name!("pre")
        | local_name!("table")
        | local_name!("dl")
        | local_name!("figure") => Role::Paragraph,
        local_name!("ul") | local_name!("ol") => Role::Block,
        local_name!("div")
        | local_name!("section")
        | local_name!("article")
        | local_name!("main")
        | local_name!("header")
        | local_name!("footer")
        | local_name!("aside")
        | local_name!("nav")
        | local_name!("address")
        | local_name!("figcaption")
        | local_name!("li")
        | local_name!("dt")
        | local_name!("dd")
        | local_name!("tr")
        | local_name!("td")
        | local_name!("th")
        | local_name!("caption")
        | local_name!("form")
        | local_name!("fieldset")
        | local_name!("legend")
        | local_name!("details")
        | local_name!("summary")
        | local_name!("center")
        | local_name!("body")
        | local_name!("html") => Role::Block,
        _ => Role::Inline,
    }
}

fn heading_level(name: &LocalName) -> Option<u8> {
    match *name {
        local_name!("h1") => Some(1),
        local_name!("h2") => Some(2),
        local_name!("h3") => Some(3),
        local_name!("h4") => Some(4),
        local_name!("h5") => Some(5),
        local_name!("h6") => Some(6),
        _ => None,
    }
}

/// Elements whose text is running prose: a `<time>` inside one is part of a
/// sentence, elsewhere it is a line of its own (a dateline).
fn is_prose(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("p")
            | local_name!("h1")
            | local_name!("h2")
            | local_name!("h3")
            | local_name!("h4")
            | local_name!("h5")
            | local_name!("h6")
            | local_name!("li")
            | local_name!("dt")
            | local_name!("dd")
            | local_name!("td")
            | local_name!("th")
            | local_name!("caption")
            | local_name!("figcaption")
            | local_name!("summary")
            | local_name!("legend")
            | local_name!("pre")
            | local_name!("a")
    )
}

/// White space owed before the next visible character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ws {
    None,
    /// Spaces or tabs the author typed: one space.
    Space,
    /// A run holding a line break of the source: one space, or nothing between
    /// two East Asian wide characters.
    Break,
}

/// A list being laid out.
#[derive(Debug)]
struct List {
    ordered: bool,
    next: i64,
}

/// A link whose text is being written.
#[derive(Debug)]
struct OpenLink {
    url: String,
    /// Its number, once it has text (a link without text gets none).
    number: Option<u32>,
    /// The number is new: the link's text is recorded when the link ends.
    new: bool,
    text: String,
}

/// What to undo when the walk leaves an element.
#[derive(Debug, Default)]
struct Exit {
    role: Option<Role>,
    quote: bool,
    list: bool,
    item: bool,
    pre: bool,
    styles: Vec<SpanStyle>,
    link: bool,
    superscript: bool,
    prose: bool,
    figure: bool,
    /// A paragraph: what had been written and broken when it began (a paragraph
    /// of nothing but line breaks is a spacer).
    spacer: Option<(u64, u64)>,
    /// A paragraph or heading that may repeat the title: where it began.
    candidate: Option<Mark>,
}

/// Paragraphs near the top that may repeat the title, and the forms it takes.
struct Repeat {
    forms: Vec<String>,
    /// The longest a repeat of the title can be, in bytes of text.
    longest: usize,
    /// Past the top of the page, or a repeat already dropped.
    done: bool,
    /// A repeat was dropped.
    dropped: bool,
}

/// How far into the page a paragraph repeating the title is looked for.
const TOP_OF_PAGE: usize = 600;

/// The layout under way.
struct Layout<'a> {
    dom: &'a Dom,
    base: Option<&'a str>,
    out: TextBuilder,
    quote: usize,
    lists: Vec<List>,
    /// The marker of the list item whose first line is still to come.
    marker: Option<String>,
    /// Columns that continuation lines of the current list item are indented by.
    indent: usize,
    pre: usize,
    styles: Vec<SpanStyle>,
    /// The link being written.
    link: Option<OpenLink>,
    /// A link's `[n]`, written once it is known not to land inside a word.
    link_mark: Option<u32>,
    superscript: usize,
    ws: Ws,
    /// The last character of text on the current line (link marks aside).
    last: Option<char>,
    /// A blank line is owed before the next line.
    blank: bool,
    /// The current line has its prefix written.
    started: bool,
    /// The text being written follows a space inside a link's text.
    space_before_link_text: bool,
    /// Quote depth of the last line begun.
    last_quote: usize,
    /// Depth of prose elements around.
    prose: usize,
    /// Visible pieces of text written, and line breaks made, so far.
    written: u64,
    breaks: u64,
    /// For each figure open, its caption folded for comparison.
    figures: Vec<Option<String>>,
    repeat: Repeat,
}

/// Lays out `dom`'s document; relative links are resolved against `base`. A
/// paragraph or heading near the top that repeats `title` is left out.
pub fn render(dom: &Dom, base: Option<&str>, title: Option<&str>) -> Converted {
    let forms = title.map(blocks::title_forms).unwrap_or_default();
    let mut layout = Layout {
        dom,
        base,
        out: TextBuilder::default(),
        quote: 0,
        lists: Vec::new(),
        marker: None,
        indent: 0,
        pre: 0,
        styles: Vec::new(),
        link: None,
        link_mark: None,
        superscript: 0,
        ws: Ws::None,
        last: None,
        blank: false,
        started: false,
        space_before_link_text: false,
        last_quote: 0,
        prose: 0,
        written: 0,
        breaks: 0,
        figures: Vec::new(),
        repeat: Repeat {
            done: forms.is_empty(),
            longest: title.map_or(0, |t| t.len() * 2 + 64),
            forms,
            dropped: false,
        },
    };
    // (node, entering?) pairs; leaving an element undoes what entering did.
    let mut stack: Vec<(NodeId, Option<Exit>)> = vec![(DOCUMENT, None)];
    while let Some((id, exit)) = stack.pop() {
        if let Some(exit) = exit {
            layout.leave(exit);
            continue;
        }
        let node = dom.node(id);
        match &node.data {
            Data::Text(text) => layout.text(text),
            Data::Other => {}
            Data::Document => push_children(dom, id, &mut stack),
            Data::Element(e) => {
                let Some(exit) = layout.enter(id, e) else {
                    continue;
                };
                stack.push((id, Some(exit)));
                push_children(dom, id, &mut stack);
            }
        }
    }
    layout.end_line();
    if layout.repeat.dropped && layout.out.text.trim().is_empty() && layout.out.line.is_empty() {
        // The title was all the body said: then it is the body.
        return render(dom, base, None);
    }
    layout.out.finish()
}

/// Pushes the children of `id` so that the first is visited first.
fn push_children(dom: &Dom, id: NodeId, stack: &mut Vec<(NodeId, Option<Exit>)>) {
    let start = stack.len();
    stack.extend(dom.children(id).map(|c| (c, None)));
    stack[start..].reverse();
}

impl Layout<'_> {
    /// Enters element `e` (node `id`); `None` when what is inside is not walked
    /// (hidden, or written here already).
    fn enter(&mut self, id: NodeId, e: &Element) -> Option<Exit> {
        let mut role = role(e);
        if role == Role::Hidden || blocks::is_hidden(e) {
            return None;
        }
        let name = &e.name.local;
        match *name {
            local_name!("iframe")
            | local_name!("video")
            | local_name!("audio")
            | local_name!("embed")
            | local_name!("object") => {
                self.embed(id, e);
                return None;
            }
            local_name!("hr") => {
                self.rule();
                return None;
            }
            local_name!("table") => {
                if let Some((caption, rows)) = blocks::simple_table(self.dom, id) {
                    self.table(caption, &rows);
                    return None;
                }
            }
            local_name!("time") if self.prose == 0 => role = Role::Block,
            _ => {}
        }
        let mut exit = Exit::default();
        match role {
            Role::Paragraph => {
                self.end_line();
                self.blank = true;
            }
            Role::Block => self.end_line(),
            _ => {}
        }
        if role != Role::Inline {
            exit.role = Some(role);
        }
        if is_prose(name) {
            self.prose += 1;
            exit.prose = true;
        }
        let level = heading_level(name);
        let block_of_text = matches!(
            *name,
            local_name!("p") | local_name!("div") | local_name!("header") | local_name!("section")
        );
        if (level.is_some() || block_of_text) && !self.repeat.done {
            if self.out.text.len() > TOP_OF_PAGE {
                self.repeat.done = true;
            } else {
                exit.candidate = Some(self.out.mark());
            }
        }
        match *name {
            local_name!("p") => exit.spacer = Some((self.written, self.breaks)),
            local_name!("br") => self.line_break(),
            local_name!("img") => self.image(id, e),
            local_name!("figure") => {
                self.figures.push(blocks::figure_caption(self.dom, id));
                exit.figure = true;
            }
            local_name!("blockquote") => {
                self.quote += 1;
                exit.quote = true;
            }
            local_name!("ul") | local_name!("ol") => {
                if self.lists.is_empty() {
                    self.blank = true;
                    exit.role = Some(Role::Paragraph);
                }
                let start = e
                    .attr("start")
                    .and_then(|s| s.trim().parse().ok())
                    .unwrap_or(1);
                self.lists.push(List {
                    ordered: *name == local_name!("ol"),
                    next: start,
                });
                exit.list = true;
            }
            local_name!("li") => {
                let marker = match self.lists.last_mut() {
                    Some(list) if list.ordered => {
                        let n = e
                            .attr("value")
                            .and_then(|v| v.trim().parse().ok())
                            .unwrap_or(list.next);
                        list.next = n.saturating_add(1);
                        format!("{n}. ")
                    }
                    _ => "* ".to_owned(),
                };
                self.marker = Some(marker);
                exit.item = true;
            }
            local_name!("dd") => {
                self.marker = Some("  ".to_owned());
                exit.item = true;
            }
            local_name!("pre") => {
                self.pre += 1;
                exit.pre = true;
            }
            local_name!("em") | local_name!("i") | local_name!("cite") | local_name!("var") => {
                exit.styles.push(SpanStyle::Emphasis);
            }
            local_name!("strong") | local_name!("b") => exit.styles.push(SpanStyle::Strong),
            local_name!("code") | local_name!("kbd") | local_name!("samp") | local_name!("tt") => {
                exit.styles.push(SpanStyle::Code);
            }
            local_name!("sup") => {
                self.superscript += 1;
                exit.superscript = true;
            }
            local_name!("a") => {
                if self.link.is_none()
                    && let Some(url) = e.attr("href").and_then(|h| resolve(self.base, h))
                {
                    self.link = Some(OpenLink {
                        url,
                        number: None,
                        new: false,
                        text: String::new(),
                    });
                    exit.link = true;
                }
            }
            _ => {}
        }
        if let Some(level) = level {
            exit.styles.push(SpanStyle::Heading(level));
        }
        self.styles.extend(exit.styles.iter().copied());
        Some(exit)
    }

    fn leave(&mut self, exit: Exit) {
        if exit.link
            && let Some(link) = self.link.take()
            && let Some(n) = link.number
        {
            if link.new {
                self.out.links[n as usize - 1].text = sanitize::line(&link.text);
            }
            self.put_link_mark();
            self.link_mark = Some(n);
        }
        for _ in &exit.styles {
            self.styles.pop();
        }
        if exit.superscript {
            self.superscript -= 1;
        }
        match exit.role {
            Some(Role::Paragraph) => {
                self.end_line();
                self.blank = true;
            }
            Some(Role::Block) => self.end_line(),
            _ => {}
        }
        if let Some((written, breaks)) = exit.spacer
            && written == self.written
            && breaks < self.breaks
        {
            // `<p><br></p>`: a break between stanzas or sections, one blank line more.
            self.out.spacer();
        }
        if let Some(mark) = exit.candidate
            && !self.repeat.done
        {
            let block = self.out.since(&mark);
            if !block.trim().is_empty() && block.len() <= self.repeat.longest {
                if blocks::repeats_title(block, &self.repeat.forms)
                    && self.out.links.len() == mark.links
                {
                    self.out.rollback(mark);
                    self.repeat.done = true;
                    self.repeat.dropped = true;
                }
                if self.out.text.len() > TOP_OF_PAGE {
                    self.repeat.done = true;
                }
            }
        }
        if exit.prose {
            self.prose -= 1;
        }
        if exit.figure {
            self.figures.pop();
        }
        if exit.quote {
            self.quote -= 1;
        }
        if exit.list {
            self.lists.pop();
        }
        if exit.item {
            self.marker = None;
            self.indent = self.indent_of_lists();
        }
        if exit.pre {
            self.pre -= 1;
        }
    }

    /// Indentation of a new line at the current list depth (nested lists indent by two).
    fn indent_of_lists(&self) -> usize {
        self.lists.len().saturating_sub(1) * 2
    }

    /// Writes text, collapsing white space outside `<pre>`.
    fn text(&mut self, text: &str) {
        if self.pre > 0 {
            let mut lines = text.split('\n');
            if let Some(first) = lines.next() {
                self.visible(first);
            }
            for line in lines {
                self.end_line_keeping_blank();
                self.visible(line);
            }
            return;
        }
        const WS: [char; 5] = [' ', '\t', '\n', '\r', '\x0c'];
        let mut rest = text;
        while !rest.is_empty() {
            let word_start = rest.len() - rest.trim_start_matches(WS).len();
            if word_start > 0 {
                let broke = rest[..word_start].contains(['\n', '\r']);
                self.ws = match (self.ws, broke) {
                    (Ws::Break, _) | (_, true) => Ws::Break,
                    _ => Ws::Space,
                };
                rest = &rest[word_start..];
            }
            let word_end = rest.find(WS).unwrap_or(rest.len());
            if word_end > 0 {
                self.visible(&rest[..word_end]);
            }
            rest = &rest[word_end..];
        }
    }

    /// Writes characters that are shown (no white space to collapse in them).
    fn visible(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        if self.link_mark.is_some() {
            // After a link: its `[n]` goes after the word the link ends inside.
            let inside_word = self.ws == Ws::None
                && self.last.is_some_and(is_word_char)
                && text.chars().next().is_some_and(is_word_char);
            if inside_word {
                let end = text.find(|c: char| !is_word_char(c)).unwrap_or(text.len());
                self.write(&text[..end]);
                self.put_link_mark();
                self.visible(&text[end..]);
                return;
            }
            self.put_link_mark();
        }
        self.write(text);
    }

    /// Writes visible text at the end of the line, with the space owed before it.
    fn write(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        self.space_before_link_text = false;
        if !self.started {
            self.start_line();
        } else if self.ws != Ws::None && !self.out.line.ends_with(' ') {
            let joined = self.ws == Ws::Break
                && matches!((self.last, text.chars().next()),
                    (Some(a), Some(b)) if blocks::joins_without_space(a, b));
            if !joined {
                self.out.line.push(' ');
                self.space_before_link_text =
                    self.link.as_ref().is_some_and(|l| !l.text.is_empty());
            }
        }
        self.ws = Ws::None;
        let start = self.out.line.len();
        if self.superscript > 0 && text.chars().all(|c| superscript(c).is_some()) {
            self.out.line.extend(text.chars().filter_map(superscript));
        } else {
            sanitize::push_text(&mut self.out.line, text);
        }
        let end = self.out.line.len();
        if end > start {
            self.last = self.out.line[start..].chars().next_back();
            self.written += 1;
        }
        for &style in &self.styles {
            self.out.style(start, end, style);
        }
        if let Some(link) = &mut self.link {
            if link.text.len() < 512 {
                if self.space_before_link_text {
                    link.text.push(' ');
                }
                link.text.push_str(text);
            }
            let n = match link.number {
                Some(n) => n,
                None => {
                    let known = self.out.links.len();
                    let n = self.out.link_number(link.url.clone(), text);
                    link.new = self.out.links.len() > known;
                    link.number = Some(n);
                    n
                }
            };
            self.out.style(start, end, SpanStyle::Link(n));
        }
    }

    /// Writes the `[n]` of the link just closed, if it is still owed.
    fn put_link_mark(&mut self) {
        if let Some(n) = self.link_mark.take() {
            self.out.close_link(Some(n));
        }
    }

    /// `text` as a link to `url` (a link of its own, unless one is open already).
    fn linked(&mut self, text: &str, url: String) {
        if self.link.is_some() {
            self.write(text);
            return;
        }
        self.put_link_mark();
        self.link = Some(OpenLink {
            url,
            number: None,
            new: false,
            text: String::new(),
        });
        self.write(text);
        if let Some(link) = self.link.take()
            && let Some(n) = link.number
        {
            self.out.close_link(Some(n));
        }
    }

    /// An embedded frame or player: one line naming it, linked to its source.
    fn embed(&mut self, id: NodeId, e: &Element) {
        let Some(url) = blocks::media_source(self.dom, id, e).and_then(|s| resolve(self.base, s))
        else {
            return;
        };
        let lower = url.to_ascii_lowercase();
        if lower.starts_with("data:") || lower.starts_with("about:") {
            return;
        }
        let label = blocks::embed_label(&e.name.local, &url);
        self.end_line();
        self.linked(&format!("[{label}]"), url);
        self.end_line();
    }

    /// An image: its alt text, marked as an image on a line of its own, unless a
    /// caption says the same (in its figure, or just after it); a one- or
    /// two-character alt (an emoji, an icon) stays in the sentence as it is.
    fn image(&mut self, id: NodeId, e: &Element) {
        let Some(alt) = e.attr("alt") else {
            return;
        };
        let alt = alt.split_whitespace().collect::<Vec<_>>().join(" ");
        if alt.is_empty() {
            return;
        }
        if alt.chars().count() <= 2 {
            self.text(&alt);
            return;
        }
        let folded = blocks::fold(&alt);
        let captioned = self
            .figures
            .last()
            .and_then(Option::as_ref)
            .is_some_and(|caption| !folded.is_empty() && caption.contains(&folded));
        // A caption says the same, in the figure or in the paragraph that follows.
        if captioned || blocks::said_next(self.dom, id, &folded) {
            return;
        }
        self.end_line();
        self.visible(&format!("[image: {alt}]"));
        self.end_line();
    }

    /// A horizontal rule, a paragraph of its own.
    fn rule(&mut self) {
        self.end_line();
        self.blank = true;
        self.styles.push(SpanStyle::Rule);
        self.write("───");
        self.styles.pop();
        self.end_line();
        self.blank = true;
    }

    /// A simple table: each row one line, its cells aligned in columns (a reader
    /// too narrow for a row shows its cells one per line).
    fn table(&mut self, caption: Option<String>, rows: &[Vec<Cell>]) {
        self.end_line();
        self.blank = true;
        if let Some(caption) = caption.filter(|c| !c.is_empty()) {
            self.styles.push(SpanStyle::Strong);
            self.text(&caption);
            self.styles.pop();
            self.end_line();
        }
        let cells: Vec<Vec<TableCell>> = rows
            .iter()
            .map(|row| row.iter().map(|c| self.table_cell(c)).collect())
            .collect();
        let columns = cells.iter().map(Vec::len).max().unwrap_or(0);
        let widths: Vec<usize> = (0..columns)
            .map(|i| {
                cells
                    .iter()
                    .filter_map(|r| r.get(i))
                    .map(|c| crate::wrap::str_width(&c.text))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        for row in &cells {
            self.put_link_mark();
            if !self.started {
                self.start_line();
            }
            for (i, cell) in row.iter().enumerate() {
                if i > 0 {
                    self.out.line.push_str("  ");
                }
                let start = self.out.line.len();
                self.out.line.push_str(&cell.text);
                let end = self.out.line.len();
                // An empty cell still holds its place.
                if end == start {
                    self.out.line.push(' ');
                }
                self.out.style(start, self.out.line.len(), SpanStyle::Cell);
                if cell.header {
                    self.out.style(start, end, SpanStyle::Strong);
                }
                for &(from, to, n) in &cell.links {
                    self.out.style(start + from, start + to, SpanStyle::Link(n));
                }
                if i + 1 < row.len() {
                    let width = crate::wrap::str_width(&cell.text).max(1);
                    let pad = widths.get(i).copied().unwrap_or(0).saturating_sub(width);
                    self.out.line.push_str(&" ".repeat(pad));
                }
            }
            self.written += 1;
            self.end_line();
        }
        self.blank = true;
    }

    /// A cell's text with its links numbered (`text[n]`) and where they are.
    fn table_cell(&mut self, cell: &Cell) -> TableCell {
        let mut text = String::new();
        let mut links = Vec::new();
        let mut ws = Ws::None;
        let mut last: Option<char> = None;
        let mut open: Option<(String, usize, u32)> = None;
        let close = |text: &mut String,
                     open: &mut Option<(String, usize, u32)>,
                     links: &mut Vec<(usize, usize, u32)>| {
            if let Some((_, start, n)) = open.take() {
                links.push((start, text.len(), n));
                text.push_str(&format!("[{n}]"));
            }
        };
        for piece in &cell.pieces {
            let (words, href) = match piece {
                Piece::Text(t) => (t.as_str(), None),
                Piece::Link(t, href) => (t.as_str(), resolve(self.base, href)),
            };
            if open.as_ref().map(|o| &o.0) != href.as_ref() {
                close(&mut text, &mut open, &mut links);
            }
            let mut rest = words;
            while !rest.is_empty() {
                let start = rest.len() - rest.trim_start().len();
                if start > 0 {
                    let broke = rest[..start].contains(['\n', '\r']);
                    ws = if broke || ws == Ws::Break {
                        Ws::Break
                    } else {
                        Ws::Space
                    };
                    rest = &rest[start..];
                }
                let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                let word = &rest[..end];
                rest = &rest[end..];
                if word.is_empty() {
                    continue;
                }
                if let Some(url) = &href
                    && open.is_none()
                {
                    let n = self.out.link_number(url.clone(), word);
                    open = Some((
                        url.clone(),
                        text.len() + usize::from(ws != Ws::None && !text.is_empty()),
                        n,
                    ));
                }
                if !text.is_empty() && ws != Ws::None {
                    let joined = ws == Ws::Break
                        && matches!((last, word.chars().next()),
                            (Some(a), Some(b)) if blocks::joins_without_space(a, b));
                    if !joined {
                        text.push(' ');
                    }
                }
                ws = Ws::None;
                sanitize::push_text(&mut text, word);
                last = text.chars().next_back();
            }
        }
        close(&mut text, &mut open, &mut links);
        TableCell {
            text,
            links,
            header: cell.header,
        }
    }

    /// Begins a line: a blank line first if one is owed, then the quote and list
    /// prefix (marked as such).
    fn start_line(&mut self) {
        if self.blank {
            if !self.out.text.is_empty() {
                // Inside a quote the blank line is quoted, as deep as both its neighbours.
                let quote = "> ".repeat(self.quote.min(self.last_quote));
                let quote = quote.trim_end();
                self.out.line.push_str(quote);
                self.out.style(0, quote.len(), SpanStyle::Prefix);
                self.out.end_line();
            }
            self.blank = false;
        }
        self.last_quote = self.quote;
        self.out.line.push_str(&"> ".repeat(self.quote));
        match self.marker.take() {
            Some(marker) => {
                self.out.line.push_str(&" ".repeat(self.indent_of_lists()));
                self.indent = self.indent_of_lists() + marker.chars().count();
                self.out.line.push_str(&marker);
            }
            None => self.out.line.push_str(&" ".repeat(self.indent)),
        }
        let prefix = self.out.line.len();
        self.out.style(0, prefix, SpanStyle::Prefix);
        self.started = true;
        self.ws = Ws::None;
        self.last = None;
    }

    fn line_break(&mut self) {
        self.breaks += 1;
        self.put_link_mark();
        if !self.started {
            self.start_line();
        }
        self.end_line_keeping_blank();
    }

    /// Ends the line even when it holds nothing but its prefix (`<br>`, lines of `<pre>`).
    fn end_line_keeping_blank(&mut self) {
        self.put_link_mark();
        if !self.started {
            self.start_line();
        }
        self.out.end_line();
        self.started = false;
        self.ws = Ws::None;
    }

    fn end_line(&mut self) {
        self.put_link_mark();
        if self.started {
            self.out.end_line();
            self.started = false;
        }
        self.ws = Ws::None;
    }
}

/// A table cell laid out: its text, and the links in it (start, end, number).
struct TableCell {
    text: String,
    links: Vec<(usize, usize, u32)>,
    header: bool,
}

/// A letter or digit of a word a link mark must not split (not a CJK character,
/// between which any break is fine).
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && unicode_width::UnicodeWidthChar::width(c) == Some(1)
}

/// The superscript form of a digit or sign, as footnote marks are written.
fn superscript(c: char) -> Option<char> {
    Some(match c {
        '0' => '⁰',
        '1' => '¹',
        '2' => '²',
        '3' => '³',
        '4' => '⁴',
        '5' => '⁵',
        '6' => '⁶',
        '7' => '⁷',
        '8' => '⁸',
        '9' => '⁹',
        '+' => '⁺',
        '-' => '⁻',
        '(' => '⁽',
        ')' => '⁾',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use crate::article::SpanStyle;
    use crate::html::{Converted, article_text, to_text};

    fn styled(c: &Converted, style: SpanStyle) -> Vec<&str> {
        c.spans
            .iter()
            .filter(|s| s.style == style)
            .map(|s| &c.text[s.start as usize..s.end as usize])
            .collect()
    }

    #[test]
    fn line_breaks_of_the_source_vanish_between_chinese_characters() {
        let c = to_text("<p>已经很成熟\n   <strong>测试</strong>\n   。</p>", None);
        assert_eq!(c.text, "已经很成熟测试。");
        let c = to_text(
            "<p>这场大流行病是\n  <a href=\"https://x.org/\">中国「主宰世界」</a>\n 的</p>",
            None,
        );
        assert_eq!(c.text, "这场大流行病是中国「主宰世界」[1]的");
        // Next to a Latin letter or a digit the break is a space; Hangul keeps it too.
        assert_eq!(
            to_text("<p>中文\nEnglish\n中文</p>", None).text,
            "中文 English 中文"
        );
        assert_eq!(to_text("<p>한국\n어</p>", None).text, "한국 어");
        // A space the author typed, away from any line break, stays.
        assert_eq!(to_text("<p>中文 中文</p>", None).text, "中文 中文");
    }

    #[test]
    fn a_figure_says_its_caption_once() {
        let same = "<figure><img alt=\"美国前总统里根（图源：视觉中国）\"><figcaption>美国前总统里根（图源：视觉中国）</figcaption></figure>";
        assert_eq!(to_text(same, None).text, "美国前总统里根（图源：视觉中国）");
        let other = "<p>前文</p><figure><img alt=\"一张照片\"><figcaption>说明文字</figcaption></figure><p>后文</p>";
        assert_eq!(
            to_text(other, None).text,
            "前文\n\n[image: 一张照片]\n说明文字\n\n后文"
        );
        // A caption written as the paragraph after the image counts too.
        let after =
            "<div><img alt=\"疫情初期的街道\"><p>图像来源，Getty</p></div><p>疫情初期的街道</p>";
        assert_eq!(
            to_text(after, None).text,
            "图像来源，Getty\n\n疫情初期的街道"
        );
        // An emoji image stays in its sentence.
        assert_eq!(to_text("<p>好<img alt=\"😀\">的</p>", None).text, "好😀的");
    }

    #[test]
    fn embeds_rules_and_blocks_are_lines_of_their_own() {
        let c = to_text(
            "<p>a</p><iframe data-src=\"https://www.youtube.com/embed/x\" src=\"data:image/gif;base64,R0lG\"></iframe><hr><div><address>储百亮</address><time>2022年6月1日</time>工人在拆除</div>",
            None,
        );
        assert_eq!(
            c.text,
            "a\n\n[video: YouTube][1]\n\n───\n\n储百亮\n2022年6月1日\n工人在拆除"
        );
        assert_eq!(c.links[0].url, "https://www.youtube.com/embed/x");
        assert_eq!(styled(&c, SpanStyle::Rule), vec!["───"]);
        // A time inside a sentence stays in it.
        assert_eq!(
            to_text("<p>发表于<time>昨天</time>。</p>", None).text,
            "发表于昨天。"
        );
    }

    #[test]
    fn a_spacer_paragraph_is_one_blank_line_more() {
        let c = to_text(
            "<p>第一节</p><p><br></p><p>第二节</p><p><br></p><p><br/></p><p>第三节</p>",
            None,
        );
        assert_eq!(c.text, "第一节\n\n\n第二节\n\n\n第三节");
    }

    #[test]
    fn quote_and_list_marks_are_marked_as_such() {
        let c = to_text(
            "<p>前言</p><ul><li>一</li><li>二<ol><li>甲</li></ol></li></ul><blockquote><p>引</p><p>文</p></blockquote>",
            None,
        );
        assert_eq!(c.text, "前言\n\n* 一\n* 二\n  1. 甲\n\n> 引\n>\n> 文");
        assert_eq!(
            styled(&c, SpanStyle::Prefix),
            vec!["* ", "* ", "  1. ", "> ", ">", "> "]
        );
    }

    #[test]
    fn headings_are_styled_not_marked_with_hashes() {
        let c = to_text("<h2>小标题</h2><p>正文</p>", None);
        assert_eq!(c.text, "小标题\n\n正文");
        assert_eq!(styled(&c, SpanStyle::Heading(2)), vec!["小标题"]);
    }

    #[test]
    fn a_repeated_title_and_hidden_text_are_left_out() {
        let page = "<h2 class=\"element-invisible\">tou_.jpeg</h2><span aria-hidden=\"true\">x</span><div style=\"display: none\">y</div><h1>\n 美国大选：谁会赢？\n</h1><p>正文。</p><p>美国大选：谁会赢？</p>";
        let c = article_text(page, None, "美国大选：谁会赢？ - iYouPort");
        assert_eq!(
            c.text, "正文。\n\n美国大选：谁会赢？",
            "only the first repeat, near the top"
        );
        let c = article_text("<p>正文在前。</p>", None, "正文在前");
        assert_eq!(
            c.text, "正文在前。",
            "a body that is only the title… is the body"
        );
    }

    #[test]
    fn footnotes_link_marks_and_breaks_in_links() {
        let c = to_text("<p>见注<sup><a href=\"#fn1\">1</a></sup>。</p>", None);
        assert_eq!(c.text, "见注¹。");
        let c = to_text(
            "<p><a href=\"https://x.org/a\">How</a>ToChoose.jpg</p>",
            None,
        );
        assert_eq!(c.text, "HowToChoose[1].jpg");
        let c = to_text("<p>上<a href=\"https://x.org/a\"><br></a>下</p>", None);
        assert_eq!(c.text, "上\n下");
    }

    #[test]
    fn a_link_in_pretty_printed_html_is_styled_exactly_over_its_text() {
        let c = to_text(
            "<p>看\n  <a href=\"https://x.org/\">\n   这篇文章\n  </a>\n  吧</p>",
            None,
        );
        assert_eq!(c.text, "看这篇文章[1]吧");
        assert_eq!(styled(&c, SpanStyle::Link(1)), vec!["这篇文章"]);
    }

    #[test]
    fn simple_tables_are_aligned_columns() {
        let c = to_text(
            "<table><caption>票数</caption><tr><th>候选人</th><th>票数</th></tr><tr><td>甲</td><td>1200</td></tr><tr><td>乙乙乙</td><td><a href=\"https://x.org/\">35</a></td></tr></table>",
            None,
        );
        assert_eq!(c.text, "票数\n候选人  票数\n甲      1200\n乙乙乙  35[1]");
        assert_eq!(styled(&c, SpanStyle::Cell).len(), 6);
        // A table of long cells is laid out as blocks.
        let long = format!(
            "<table><tr><td>{}</td><td>b</td></tr></table>",
            "长".repeat(30)
        );
        assert_eq!(to_text(&long, None).text, format!("{}\nb", "长".repeat(30)));
    }
}

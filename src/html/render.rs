//! Lays out a parsed page as text: paragraphs, quotes, lists, headings, preformatted blocks, styled words and numbered links.
//!
//! The walk over the tree keeps its own stack, so no page nests deep enough to
//! exhaust the thread's; every node is visited once and every character of text
//! written once, so the work is linear in the page.

use html5ever::{LocalName, local_name};

use super::dom::{DOCUMENT, Data, Dom, Element, NodeId};
use super::{Converted, TextBuilder, resolve};
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
        | local_name!("iframe")
        | local_name!("frameset")
        | local_name!("noframes")
        | local_name!("noembed")
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
        | local_name!("hr")
        | local_name!("body")
        | local_name!("html") => Role::Block,
        _ => Role::Inline,
    }
}

fn heading_level(name: &LocalName) -> Option<usize> {
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
}

/// The layout under way.
struct Layout<'a> {
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
    superscript: usize,
    /// A space is owed before the next visible character of this line.
    space: bool,
    /// A blank line is owed before the next line.
    blank: bool,
    /// The current line has its prefix written.
    started: bool,
    /// The text being written follows a space inside a link's text.
    space_before_link_text: bool,
    /// Quote depth of the last line begun.
    last_quote: usize,
}

/// Lays out `dom`'s document; relative links are resolved against `base`.
pub fn render(dom: &Dom, base: Option<&str>) -> Converted {
    let mut layout = Layout {
        base,
        out: TextBuilder::default(),
        quote: 0,
        lists: Vec::new(),
        marker: None,
        indent: 0,
        pre: 0,
        styles: Vec::new(),
        link: None,
        superscript: 0,
        space: false,
        blank: false,
        started: false,
        space_before_link_text: false,
        last_quote: 0,
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
                let Some(exit) = layout.enter(e) else {
                    continue;
                };
                stack.push((id, Some(exit)));
                push_children(dom, id, &mut stack);
            }
        }
    }
    layout.end_line();
    layout.out.finish()
}

/// Pushes the children of `id` so that the first is visited first.
fn push_children(dom: &Dom, id: NodeId, stack: &mut Vec<(NodeId, Option<Exit>)>) {
    let start = stack.len();
    stack.extend(dom.children(id).map(|c| (c, None)));
    stack[start..].reverse();
}

impl Layout<'_> {
    /// Enters element `e`; `None` when nothing of it is shown.
    fn enter(&mut self, e: &Element) -> Option<Exit> {
        let role = role(e);
        if role == Role::Hidden {
            return None;
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
        let name = &e.name.local;
        match *name {
            local_name!("br") => self.line_break(),
            local_name!("img") => {
                if let Some(alt) = e.attr("alt") {
                    self.text(alt);
                }
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
        if let Some(level) = heading_level(name) {
            self.visible(&format!("{} ", "#".repeat(level)));
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
            self.out.close_link(Some(n));
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
        for piece in text.split_inclusive([' ', '\t', '\n', '\r', '\x0c']) {
            let word = piece.trim_end_matches([' ', '\t', '\n', '\r', '\x0c']);
            if !word.is_empty() {
                self.visible(word);
            }
            if word.len() < piece.len() {
                self.space = true;
            }
        }
    }

    /// Writes characters that are shown (no white space to collapse in them).
    fn visible(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        self.space_before_link_text = false;
        if !self.started {
            self.start_line();
        } else if self.space && !self.out.line.ends_with(' ') {
            self.out.line.push(' ');
            self.space_before_link_text = self.link.as_ref().is_some_and(|l| !l.text.is_empty());
        }
        self.space = false;
        let start = self.out.line.len();
        if self.superscript > 0 && text.chars().all(|c| superscript(c).is_some()) {
            self.out.line.extend(text.chars().filter_map(superscript));
        } else {
            sanitize::push_text(&mut self.out.line, text);
        }
        let end = self.out.line.len();
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

    /// Begins a line: a blank line first if one is owed, then the quote and list prefix.
    fn start_line(&mut self) {
        if self.blank {
            if !self.out.text.is_empty() {
                // Inside a quote the blank line is quoted, as deep as both its neighbours.
                let quote = "> ".repeat(self.quote.min(self.last_quote));
                self.out.line.push_str(quote.trim_end());
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
        self.started = true;
        self.space = false;
    }

    fn line_break(&mut self) {
        if !self.started {
            self.start_line();
        }
        self.end_line_keeping_blank();
    }

    /// Ends the line even when it holds nothing but its prefix (`<br>`, lines of `<pre>`).
    fn end_line_keeping_blank(&mut self) {
        if !self.started {
            self.start_line();
        }
        self.out.end_line();
        self.started = false;
        self.space = false;
    }

    fn end_line(&mut self) {
        if self.started {
            self.out.end_line();
            self.started = false;
        }
        self.space = false;
    }
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

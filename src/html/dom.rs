//! A compact document tree that html5ever builds under budgets: no page can make parsing superlinear or its memory grow out of proportion.
//!
//! html5ever's tree builder walks its stack of open elements for many tokens, so
//! its cost grows with nesting depth; a page can nest as deeply as it has tags
//! (`<div/>` is an open tag, a stray `</b>` closes nothing), and misnested
//! formatting tags make it create elements that no tag in the input stands for.
//! The sink below counts what the parser actually builds — depth, elements, tree
//! surgery — and the input is fed in small chunks, so a budget that trips stops
//! the parse within one chunk. Children are linked lists, so every tree operation
//! the parser asks for costs O(1) (a vector of children makes inserting before a
//! sibling linear, and foster-parented tables quadratic).

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::time::{Duration, Instant};

use html5ever::interface::{ElemName, ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::{Attribute, LocalName, Namespace, ParseOpts, QualName, local_name, ns};

/// A node's index in [`Dom::nodes`].
pub type NodeId = u32;

/// No node: the end of a sibling list, or no parent.
pub const NONE: NodeId = u32::MAX;

/// The document node.
pub const DOCUMENT: NodeId = 0;

/// Numbers from here on are nodes made after a budget tripped, kept apart.
const OVERFLOW: NodeId = 1 << 31;

/// Attributes kept on elements; the others are dropped as they arrive.
fn kept(name: &LocalName) -> bool {
    matches!(
        &**name,
        "href"
            | "src"
            | "alt"
            | "title"
            | "colspan"
            | "rowspan"
            | "start"
            | "value"
            | "hidden"
            | "aria-hidden"
            | "class"
            | "style"
            | "datetime"
            | "type"
            | "id"
            | "data"
            | "data-src"
            | "data-lazy-src"
    )
}

/// What a node is.
#[derive(Debug)]
pub enum Data {
    Document,
    Element(Element),
    Text(StrTendril),
    /// Comments, processing instructions, doctypes: never shown.
    Other,
}

#[derive(Debug)]
pub struct Element {
    pub name: QualName,
    pub attrs: Vec<Attribute>,
    /// The document fragment of a `<template>` (never shown).
    template: NodeId,
    integration_point: bool,
}

impl Element {
    /// The value of attribute `name`, if the element has it (and it was kept).
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| &*a.name.local == name)
            .map(|a| &*a.value)
    }

    /// Whether this is the HTML element `name`.
    pub fn is(&self, name: &LocalName) -> bool {
        self.name.ns == ns!(html) && self.name.local == *name
    }
}

#[derive(Debug)]
pub struct Node {
    pub parent: NodeId,
    pub first_child: NodeId,
    pub last_child: NodeId,
    pub prev: NodeId,
    pub next: NodeId,
    pub data: Data,
    /// Depth below the document when the node was attached (the document is 0).
    depth: u32,
}

/// A parsed page.
#[derive(Debug, Default)]
pub struct Dom {
    pub nodes: Vec<Node>,
}

impl Dom {
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    /// The children of `id`, in order.
    pub fn children(&self, id: NodeId) -> Children<'_> {
        Children {
            dom: self,
            next: self.node(id).first_child,
        }
    }

    /// The deepest nesting of the finished tree (walked without recursion).
    pub fn max_depth(&self) -> usize {
        let mut max = 0;
        let mut stack = vec![(DOCUMENT, 0usize)];
        while let Some((id, depth)) = stack.pop() {
            max = max.max(depth);
            for child in self.children(id) {
                stack.push((child, depth + 1));
            }
        }
        max
    }

    fn push(&mut self, data: Data) -> NodeId {
        let id = self.nodes.len() as NodeId;
        self.nodes.push(Node {
            parent: NONE,
            first_child: NONE,
            last_child: NONE,
            prev: NONE,
            next: NONE,
            data,
            depth: 0,
        });
        id
    }

    fn detach(&mut self, id: NodeId) {
        let (parent, prev, next) = {
            let n = self.node(id);
            (n.parent, n.prev, n.next)
        };
        if parent == NONE {
            return;
        }
        if prev != NONE {
            self.nodes[prev as usize].next = next;
        } else {
            self.nodes[parent as usize].first_child = next;
        }
        if next != NONE {
            self.nodes[next as usize].prev = prev;
        } else {
            self.nodes[parent as usize].last_child = prev;
        }
        let n = &mut self.nodes[id as usize];
        n.parent = NONE;
        n.prev = NONE;
        n.next = NONE;
    }

    /// Links `id` (detached) as the last child of `parent`.
    fn link_last(&mut self, parent: NodeId, id: NodeId) {
        let last = self.node(parent).last_child;
        let depth = self.node(parent).depth + 1;
        {
            let n = &mut self.nodes[id as usize];
            n.parent = parent;
            n.prev = last;
            n.next = NONE;
            n.depth = depth;
        }
        if last != NONE {
            self.nodes[last as usize].next = id;
        } else {
            self.nodes[parent as usize].first_child = id;
        }
        self.nodes[parent as usize].last_child = id;
    }

    /// Links `id` (detached) right before `sibling`.
    fn link_before(&mut self, sibling: NodeId, id: NodeId) {
        let (parent, prev, depth) = {
            let s = self.node(sibling);
            (s.parent, s.prev, s.depth)
        };
        {
            let n = &mut self.nodes[id as usize];
            n.parent = parent;
            n.prev = prev;
            n.next = sibling;
            n.depth = depth;
        }
        self.nodes[sibling as usize].prev = id;
        if prev != NONE {
            self.nodes[prev as usize].next = id;
        } else if parent != NONE {
            self.nodes[parent as usize].first_child = id;
        }
    }

    fn text_mut(&mut self, id: NodeId) -> Option<&mut StrTendril> {
        match &mut self.nodes.get_mut(id as usize)?.data {
            Data::Text(t) => Some(t),
            _ => None,
        }
    }
}

/// The children of a node.
pub struct Children<'a> {
    dom: &'a Dom,
    next: NodeId,
}

impl Iterator for Children<'_> {
    type Item = NodeId;

    fn next(&mut self) -> Option<NodeId> {
        if self.next == NONE {
            return None;
        }
        let id = self.next;
        self.next = self.dom.node(id).next;
        Some(id)
    }
}

/// How much slower than a release build this build runs the parser's sink.
const SLOWER: u64 = if cfg!(debug_assertions) { 20 } else { 1 };

/// What a parse may build and spend.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Deepest nesting of elements.
    pub depth: usize,
    /// Bytes the tree may hold: nodes, kept attributes and text.
    pub memory: usize,
    /// Tree operations the parser asks for, children moved included.
    pub work: u64,
    /// Wall-clock time: the last resort against costs the counts above cannot see.
    pub time: Duration,
}

impl Limits {
    /// The budgets for a page of `len` bytes: a few times what any real page needs,
    /// and proportional to its size, so that memory stays a small multiple of it.
    pub fn for_len(len: usize, depth: usize) -> Self {
        Limits {
            depth,
            // Real pages need up to about six times their size (a node, element
            // or text, per 13 bytes at the densest).
            memory: 16 * 1024 * 1024 + 6 * len,
            work: 200_000 + 8 * len as u64,
            // Far beyond what the counted budgets allow (an ordinary page parses at
            // tens of megabytes a second): only a cost nothing above counts trips it.
            // Unoptimised builds (the tests') run this code many times slower.
            time: Duration::from_millis((4_000 + (len / 2_000) as u64) * SLOWER),
        }
    }
}

/// Why a parse was given up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exceeded {
    Depth(usize),
    Memory,
    Work,
    Time,
}

impl std::fmt::Display for Exceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Exceeded::Depth(d) => write!(f, "HTML nested more than {d} levels deep"),
            Exceeded::Memory => write!(f, "HTML with too many elements for its size"),
            Exceeded::Work => write!(f, "HTML that takes too much restructuring"),
            Exceeded::Time => write!(f, "HTML that takes too long to parse"),
        }
    }
}

/// What a parse cost, for tests that bound work instead of time.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Cost {
    pub nodes: usize,
    /// Bytes the tree held (as counted against [`Limits::memory`]).
    pub memory: usize,
    pub work: u64,
}

/// Bytes fed to the parser at a time; a tripped budget stops it within one chunk.
const CHUNK: usize = 4096;

/// Parses `html` into a [`Dom`], or says which budget it would exceed.
pub fn parse(html: &str, limits: Limits) -> (Result<Dom, Exceeded>, Cost) {
    let started = Instant::now();
    let sink = Sink::new(limits, html.len());
    let opts = ParseOpts {
        tree_builder: html5ever::tree_builder::TreeBuilderOpts {
            scripting_enabled: false,
            ..Default::default()
        },
        ..Default::default()
    };
    let mut parser = html5ever::parse_document(sink, opts);
    let mut rest = html;
    while !rest.is_empty() {
        let mut end = rest.len().min(CHUNK);
        while !rest.is_char_boundary(end) {
            end += 1;
        }
        parser.process(StrTendril::from_slice(&rest[..end]));
        rest = &rest[end..];
        let sink = &parser.tokenizer.sink.sink;
        if sink.tripped.get().is_none() && started.elapsed() > limits.time {
            sink.tripped.set(Some(Exceeded::Time));
        }
        if let Some(exceeded) = sink.tripped.get() {
            return (Err(exceeded), sink.cost());
        }
    }
    let sink = parser.finish();
    let cost = sink.cost();
    match sink.tripped.get() {
        Some(exceeded) => (Err(exceeded), cost),
        None => (Ok(sink.dom.into_inner()), cost),
    }
}

/// html5ever's view of a [`Dom`] under construction.
struct Sink {
    dom: RefCell<Dom>,
    /// Nodes made after a budget tripped, numbered from [`OVERFLOW`].
    overflow: RefCell<Vec<Data>>,
    limits: Limits,
    work: Cell<u64>,
    /// Bytes held besides the nodes themselves: attributes and text.
    held: Cell<usize>,
    tripped: Cell<Option<Exceeded>>,
}

impl Sink {
    fn new(limits: Limits, len: usize) -> Self {
        let mut dom = Dom::default();
        // Room for a page of ordinary density, so the node vector rarely grows by doubling.
        let room = (len / 48 + 64).min(limits.memory / std::mem::size_of::<Node>());
        dom.nodes.reserve_exact(room);
        dom.push(Data::Document);
        Sink {
            dom: RefCell::new(dom),
            overflow: RefCell::new(Vec::new()),
            limits,
            work: Cell::new(0),
            held: Cell::new(0),
            tripped: Cell::new(None),
        }
    }

    fn cost(&self) -> Cost {
        let dom = self.dom.borrow();
        let overflow = self.overflow.borrow();
        Cost {
            nodes: dom.nodes.len() + overflow.len(),
            memory: self.memory(&dom) + overflow.capacity() * std::mem::size_of::<Data>(),
            work: self.work.get(),
        }
    }

    fn memory(&self, dom: &Dom) -> usize {
        dom.nodes.capacity() * std::mem::size_of::<Node>() + self.held.get()
    }

    /// Counts `bytes` more held; false (and the budget tripped) past the limit.
    fn hold(&self, dom: &Dom, bytes: usize) -> bool {
        self.held.set(self.held.get() + bytes);
        if self.memory(dom) > self.limits.memory {
            self.trip(Exceeded::Memory);
        }
        self.tripped.get().is_none()
    }

    fn live(&self) -> bool {
        self.tripped.get().is_none()
    }

    fn spend(&self, work: u64) {
        let total = self.work.get().saturating_add(work);
        self.work.set(total);
        if total > self.limits.work {
            self.trip(Exceeded::Work);
        }
    }

    fn trip(&self, why: Exceeded) {
        if self.tripped.get().is_none() {
            self.tripped.set(Some(why));
        }
    }

    /// A new node. Once a budget has tripped, nodes are still made (the parser
    /// needs real handles until its chunk ends) but bare and never linked.
    fn new_node(&self, mut data: Data) -> NodeId {
        let mut dom = self.dom.borrow_mut();
        if self.live() && dom.nodes.len() == dom.nodes.capacity() {
            // Growing the vector doubles it: only as far as the budget allows.
            let size = std::mem::size_of::<Node>();
            let room = self.limits.memory.saturating_sub(self.held.get()) / size;
            if room <= dom.nodes.len() {
                self.trip(Exceeded::Memory);
            } else if room < 2 * dom.nodes.capacity() {
                let more = room - dom.nodes.len();
                dom.nodes.reserve_exact(more);
            }
        }
        if !self.live() {
            // Bare, never linked, and apart from the tree (which must not grow).
            let mut overflow = self.overflow.borrow_mut();
            match &mut data {
                Data::Element(e) => e.attrs = Vec::new(),
                other => *other = Data::Other,
            }
            overflow.push(data);
            return OVERFLOW + (overflow.len() - 1) as NodeId;
        }
        // What the allocator hands out, roughly: a vector of attributes and a text
        // longer than a tendril holds inline are allocations of their own.
        let extra = match &data {
            Data::Element(e) if !e.attrs.is_empty() => {
                48 + e
                    .attrs
                    .iter()
                    .map(|a| std::mem::size_of::<Attribute>() + text_bytes(a.value.len()))
                    .sum::<usize>()
            }
            Data::Text(t) => text_bytes(t.len()),
            _ => 0,
        };
        self.hold(&dom, extra);
        let id = dom.push(data);
        // The vector may just have grown.
        self.hold(&dom, 0);
        id
    }

    /// What node `id` holds, wherever it is.
    fn with_data<R>(&self, id: NodeId, f: impl FnOnce(&Data) -> R) -> R {
        if id >= OVERFLOW {
            let overflow = self.overflow.borrow();
            return f(overflow
                .get((id - OVERFLOW) as usize)
                .unwrap_or(&Data::Other));
        }
        f(&self.dom.borrow().node(id).data)
    }

    fn check_depth(&self, dom: &Dom, id: NodeId) {
        let depth = dom.node(id).depth as usize;
        if depth > self.limits.depth {
            self.trip(Exceeded::Depth(self.limits.depth));
        }
    }

    /// Appends text after `prev` (merging with it when it is text), as a child of `parent`.
    fn add_text(&self, parent: NodeId, before: Option<NodeId>, text: StrTendril) {
        if !self.live() {
            return;
        }
        let mut dom = self.dom.borrow_mut();
        let neighbour = match before {
            Some(sibling) => dom.node(sibling).prev,
            None => dom.node(parent).last_child,
        };
        if let Some(existing) = dom.text_mut(neighbour) {
            existing.push_tendril(&text);
            self.hold(&dom, text.len());
            return;
        }
        drop(dom);
        let id = self.new_node(Data::Text(text));
        if !self.live() {
            // The budget tripped making it: it is not in the tree.
            return;
        }
        let mut dom = self.dom.borrow_mut();
        match before {
            Some(sibling) => dom.link_before(sibling, id),
            None => dom.link_last(parent, id),
        }
    }
}

/// Heap bytes of a text of `len` bytes: none inline, else a buffer with a header.
fn text_bytes(len: usize) -> usize {
    if len <= 8 { 0 } else { len + 16 }
}

/// An element's name, as html5ever asks for it.
#[derive(Debug)]
pub struct Name {
    ns: Namespace,
    local: LocalName,
}

impl ElemName for Name {
    fn ns(&self) -> &Namespace {
        &self.ns
    }

    fn local_name(&self) -> &LocalName {
        &self.local
    }
}

impl TreeSink for Sink {
    type Handle = NodeId;
    type Output = Self;
    type ElemName<'a> = Name;

    fn finish(self) -> Self {
        self
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> NodeId {
        DOCUMENT
    }

    fn elem_name<'a>(&'a self, target: &'a NodeId) -> Name {
        self.with_data(*target, |data| match data {
            Data::Element(e) => Name {
                ns: e.name.ns.clone(),
                local: e.name.local.clone(),
            },
            // html5ever only asks for the names of elements.
            _ => Name {
                ns: ns!(),
                local: local_name!(""),
            },
        })
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> NodeId {
        self.spend(1 + attrs.len() as u64);
        let template = if flags.template {
            self.new_node(Data::Document)
        } else {
            NONE
        };
        let attrs = attrs
            .into_iter()
            .filter(|a| a.name.ns == ns!() && kept(&a.name.local))
            .collect();
        self.new_node(Data::Element(Element {
            name,
            attrs,
            template,
            integration_point: flags.mathml_annotation_xml_integration_point,
        }))
    }

    fn create_comment(&self, _text: StrTendril) -> NodeId {
        self.spend(1);
        self.new_node(Data::Other)
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> NodeId {
        self.spend(1);
        self.new_node(Data::Other)
    }

    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        self.spend(1);
        if !self.live() {
            return;
        }
        match child {
            NodeOrText::AppendText(text) => self.add_text(*parent, None, text),
            NodeOrText::AppendNode(id) => {
                if !self.live() {
                    return;
                }
                let mut dom = self.dom.borrow_mut();
                dom.detach(id);
                dom.link_last(*parent, id);
                self.check_depth(&dom, id);
            }
        }
    }

    fn append_based_on_parent_node(
        &self,
        element: &NodeId,
        prev_element: &NodeId,
        child: NodeOrText<NodeId>,
    ) {
        let has_parent = self.live() && self.dom.borrow().node(*element).parent != NONE;
        if has_parent {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {
        self.spend(1);
    }

    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        self.with_data(*target, |data| match data {
            Data::Element(e) if e.template != NONE => e.template,
            // Not a template (html5ever promises this does not happen), or a
            // template made after a budget tripped: nothing of it is kept.
            _ => DOCUMENT,
        })
    }

    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        self.spend(1);
        // Once a budget has tripped nothing is linked (and handles may be apart
        // from the tree).
        if !self.live() {
            return;
        }
        match new_node {
            NodeOrText::AppendText(text) => {
                let parent = self.dom.borrow().node(*sibling).parent;
                self.add_text(parent, Some(*sibling), text);
            }
            NodeOrText::AppendNode(id) => {
                if !self.live() {
                    return;
                }
                let mut dom = self.dom.borrow_mut();
                dom.detach(id);
                dom.link_before(*sibling, id);
                self.check_depth(&dom, id);
            }
        }
    }

    fn add_attrs_if_missing(&self, target: &NodeId, attrs: Vec<Attribute>) {
        if !self.live() {
            return;
        }
        let mut dom = self.dom.borrow_mut();
        let Data::Element(e) = &mut dom.nodes[*target as usize].data else {
            return;
        };
        self.spend(1 + (attrs.len() * (e.attrs.len() + 1)) as u64);
        for attr in attrs {
            if attr.name.ns == ns!()
                && kept(&attr.name.local)
                && !e.attrs.iter().any(|a| a.name == attr.name)
            {
                e.attrs.push(attr);
            }
        }
    }

    fn remove_from_parent(&self, target: &NodeId) {
        self.spend(1);
        if self.live() {
            self.dom.borrow_mut().detach(*target);
        }
    }

    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        if !self.live() {
            return;
        }
        let mut dom = self.dom.borrow_mut();
        let mut moved = 0u64;
        while let Some(child) = Some(dom.node(*node).first_child).filter(|&c| c != NONE) {
            dom.detach(child);
            dom.link_last(*new_parent, child);
            self.check_depth(&dom, child);
            moved += 1;
        }
        drop(dom);
        self.spend(1 + moved);
    }

    fn is_mathml_annotation_xml_integration_point(&self, handle: &NodeId) -> bool {
        self.with_data(
            *handle,
            |data| matches!(data, Data::Element(e) if e.integration_point),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> Limits {
        Limits {
            depth: 256,
            memory: usize::MAX,
            work: u64::MAX,
            time: Duration::from_secs(3600),
        }
    }

    fn text_of(dom: &Dom) -> String {
        let mut out = String::new();
        for node in &dom.nodes {
            if let Data::Text(t) = &node.data
                && node.parent != NONE
            {
                out.push_str(t);
            }
        }
        out
    }

    #[test]
    fn builds_the_tree_html5ever_describes() {
        let (dom, _) = parse(
            "<p>a<b>b</p>c</b><table>x<tr><td>y</table><!-- c -->",
            limits(),
        );
        let dom = dom.unwrap();
        let body = dom
            .nodes
            .iter()
            .position(|n| matches!(&n.data, Data::Element(e) if e.is(&local_name!("body"))))
            .unwrap() as NodeId;
        let names: Vec<String> = dom
            .children(body)
            .map(|c| match &dom.node(c).data {
                Data::Element(e) => e.name.local.to_string(),
                Data::Text(t) => format!("{:?}", &**t),
                _ => "?".into(),
            })
            .collect();
        // The stray text of the table is fostered before it; the comment is kept
        // (never shown).
        assert_eq!(names, ["p", "b", "\"x\"", "table", "?"]);
        assert_eq!(text_of(&dom), "abcxy");
    }

    #[test]
    fn only_useful_attributes_are_kept() {
        let (dom, _) = parse(
            "<a href='/x' onclick='evil()' data-x='1' class='c'>t</a>",
            limits(),
        );
        let dom = dom.unwrap();
        let a = dom
            .nodes
            .iter()
            .find_map(|n| match &n.data {
                Data::Element(e) if e.is(&local_name!("a")) => Some(e),
                _ => None,
            })
            .unwrap();
        assert_eq!(a.attr("href"), Some("/x"));
        assert_eq!(a.attr("class"), Some("c"));
        assert_eq!(a.attr("onclick"), None);
        assert_eq!(a.attrs.len(), 2);
    }

    #[test]
    fn depth_is_measured_on_what_the_parser_builds() {
        for html in [
            "<div/>".repeat(1_000),
            "<span></b>".repeat(1_000),
            "<div><!x>".repeat(1_000),
            "<div><!--x--!>".repeat(1_000),
        ] {
            let (dom, cost) = parse(&html, limits());
            assert_eq!(dom.unwrap_err(), Exceeded::Depth(256), "{}", &html[..20]);
            // Stopped within a chunk of the limit.
            assert!(cost.nodes < 256 + CHUNK, "{cost:?}");
        }
        let (dom, _) = parse(&"<p>x".repeat(10_000), limits());
        assert!(dom.unwrap().max_depth() < 10);
    }

    #[test]
    fn elements_nobody_wrote_count_too() {
        // Misnested formatting tags are recreated in every paragraph.
        let html =
            (0..100).map(|i| format!("<b x={i}>")).collect::<String>() + &"<p>x</p>".repeat(10_000);
        let (dom, cost) = parse(
            &format!("<p>{html}"),
            Limits {
                memory: 4_000_000,
                ..limits()
            },
        );
        assert_eq!(dom.unwrap_err(), Exceeded::Memory);
        // Once the budget trips, nodes are kept apart and bare until the chunk
        // ends: at most a chunk's tokens, each recreating as many elements as the
        // depth limit lets be open.
        let after = (CHUNK / 8) * 256 * std::mem::size_of::<Data>();
        assert!(cost.memory < 4_000_000 + after, "{cost:?}");
    }

    #[test]
    fn a_budget_that_trips_mid_parse_never_panics() {
        for html in [
            "<p>x</p>".repeat(60_000),
            "<table>x<tr><td>y</table>".repeat(20_000),
            "<b><p>x</b>y</p>".repeat(20_000),
            "<template><p>x</template>".repeat(20_000),
            "<select><option>x".repeat(20_000),
            "<svg><p>x</svg>".repeat(20_000),
            "<p>xxxxxxxxxxxx</p>".repeat(60_000),
            "<table>xxxxxxxxxxxx</table>".repeat(20_000),
        ] {
            let (dom, _) = parse(
                &html,
                Limits {
                    memory: 200_000,
                    ..limits()
                },
            );
            assert_eq!(dom.unwrap_err(), Exceeded::Memory, "{}", &html[..30]);
        }
    }
}

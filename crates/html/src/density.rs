//! Fast streaming body extractor (text-density scoring over the token stream).
//!
//! Why it exists next to the Readability port: it needs no DOM, runs in one linear pass,
//! and cannot overflow the stack or blow up on huge pages, so it is both the fallback when
//! Readability finds nothing and the choice for bulk throughput.
//!
//! Method: the page is cut into text blocks at block-level tags; boilerplate subtrees
//! (`nav`, `footer`, `aside`, forms, elements whose class/id says comment/share/related...)
//! are skipped. Each prose-like block adds a Readability-style score to its parent and half
//! to its grandparent element; the best-scoring element wins and its blocks (minus
//! link-heavy ones) form the article.

use std::collections::HashMap;

use crate::lex::{attr, Lexer, Tok};
use crate::meta::clean_inline;

const BLOCK: &[&str] = &[
    "p",
    "div",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "td",
    "th",
    "tr",
    "table",
    "blockquote",
    "pre",
    "section",
    "article",
    "main",
    "dd",
    "dt",
    "dl",
    "figcaption",
    "figure",
    "header",
    "hr",
    "address",
    "center",
];

/// Subtrees that are never article text.
const SKIP: &[&str] = &[
    "script", "style", "noscript", "nav", "footer", "aside", "button", "select", "svg", "template", "iframe",
    "textarea", "label", "menu", "head", "object", "embed", "canvas", "audio", "video", "math",
];

/// Elements that never have content, so never go on the open-element stack.
const VOID: &[&str] = &[
    "br", "img", "hr", "meta", "link", "input", "area", "base", "col", "embed", "param", "source", "track",
    "wbr",
];

/// class/id fragments of boilerplate containers.
const NEGATIVE: &[&str] = &[
    "comment",
    "share",
    "sharing",
    "social",
    "sidebar",
    "related",
    "footer",
    "masthead",
    "menu",
    "navbar",
    "breadcrumb",
    "newsletter",
    "subscribe",
    "cookie",
    "popup",
    "modal",
    "promo",
    "advert",
    "sponsor",
    "banner",
    "widget",
    "byline",
    "skip-link",
    "recommend",
    "outbrain",
    "taboola",
    "tags",
    "signup",
];

const POSITIVE: &[&str] = &[
    "article", "body", "content", "entry", "main", "post", "story", "text", "blog",
];

fn is_in(list: &[&str], name: &str) -> bool {
    list.iter().any(|x| x.eq_ignore_ascii_case(name))
}

fn class_id(attrs: &str) -> String {
    let mut s = String::new();
    for k in ["class", "id", "role"] {
        if let Some(v) = attr(attrs, k) {
            s.push_str(&v.to_ascii_lowercase());
            s.push(' ');
        }
    }
    s
}

fn negative(ci: &str) -> bool {
    if ci.is_empty() {
        return false;
    }
    // Containers that also look like the article body are kept ("article-content share").
    let pos = POSITIVE.iter().any(|p| ci.contains(p));
    let neg = NEGATIVE.iter().any(|n| ci.contains(n)) || ci.contains("navigation");
    neg && (!pos || ci.contains("comment"))
}

struct Block {
    text: String,
    /// Number of boilerplate-looking (by class/id) elements enclosing the block.
    neg: u32,
    link_chars: usize,
    heading: bool,
    list_item: bool,
}

struct Elem {
    score: f32,
    first_block: usize,
    end_block: usize,
    bonus: f32,
    neg: u32,
}

/// Extracts the article text; empty when nothing prose-like is found.
pub fn extract_text(html: &str) -> String {
    let mut blocks: Vec<Block> = Vec::new();
    let mut elems: Vec<Elem> = Vec::new();
    // Open-element stack of (name, elem index).
    let mut stack: Vec<(String, usize)> = Vec::new();
    let mut open_count: HashMap<String, usize> = HashMap::new();
    let mut skip_depth: Option<usize> = None; // stack length when skipping started
    let mut cur = String::new();
    let mut cur_links = 0usize;
    let mut link_depth = 0usize;
    // Text seen since the current `<a>` opened; no real link is this long.
    let mut link_run = 0usize;
    const MAX_LINK_TEXT: usize = 400;
    let mut cur_heading = false;
    let mut cur_li = false;
    const MAX_DEPTH: usize = 2048;

    let flush = |cur: &mut String,
                 cur_links: &mut usize,
                 heading: &mut bool,
                 li: &mut bool,
                 blocks: &mut Vec<Block>,
                 elems: &mut Vec<Elem>,
                 stack: &[(String, usize)]| {
        let text = clean_inline(cur);
        cur.clear();
        let links = std::mem::take(cur_links);
        let is_heading = std::mem::take(heading);
        let is_li = std::mem::take(li);
        if text.is_empty() {
            return;
        }
        let chars = text.chars().count();
        let link_density = links as f32 / chars.max(1) as f32;
        if chars >= 25 && link_density < 0.5 && !is_heading {
            let commas = text.matches([',', '，', '、', '،']).count() as f32;
            let score = (1.0 + commas + (chars as f32 / 100.0).min(3.0)) * (1.0 - link_density);
            let n = stack.len();
            if let Some(&(_, p)) = n.checked_sub(1).and_then(|i| stack.get(i)) {
                if let Some(e) = elems.get_mut(p) {
                    e.score += score;
                }
            }
            if let Some(&(_, g)) = n.checked_sub(2).and_then(|i| stack.get(i)) {
                if let Some(e) = elems.get_mut(g) {
                    e.score += score / 2.0;
                }
            }
        }
        let neg = stack.last().and_then(|&(_, i)| elems.get(i)).map_or(0, |e| e.neg);
        blocks.push(Block {
            text,
            neg,
            link_chars: links,
            heading: is_heading,
            list_item: is_li,
        });
    };

    for tok in Lexer::new(html) {
        match tok {
            Tok::Start { name, attrs } => {
                // `<body>` implicitly ends an unclosed `<head>` (browsers do the same).
                if name.eq_ignore_ascii_case("body") {
                    if let Some(pos) = stack.iter().take(4).position(|(n, _)| n == "head") {
                        if skip_depth.is_some_and(|sd| pos < sd) {
                            skip_depth = None;
                        }
                        close_to(&mut stack, &mut open_count, &mut elems, pos, blocks.len());
                    }
                }
                if skip_depth.is_some() {
                    if !is_in(VOID, name) && stack.len() < MAX_DEPTH {
                        let lname = name.to_ascii_lowercase();
                        *open_count.entry(lname.clone()).or_insert(0) += 1;
                        stack.push((lname, usize::MAX));
                    }
                    continue;
                }
                if is_in(BLOCK, name) {
                    flush(
                        &mut cur,
                        &mut cur_links,
                        &mut cur_heading,
                        &mut cur_li,
                        &mut blocks,
                        &mut elems,
                        &stack,
                    );
                }
                if is_in(VOID, name) {
                    if name.eq_ignore_ascii_case("img") {
                        cur.push(' ');
                    }
                    continue;
                }
                let lname = name.to_ascii_lowercase();
                // Implicitly close an open <p> when another block starts (HTML5 rule, roughly).
                if lname == "p" || lname == "li" {
                    // Only look a couple of levels up: keeps this O(1) per tag.
                    let n = stack.len();
                    if let Some(pos) = stack
                        .iter()
                        .skip(n.saturating_sub(2))
                        .rposition(|(n, _)| n == &lname)
                    {
                        let pos = pos + n.saturating_sub(2);
                        {
                            close_to(&mut stack, &mut open_count, &mut elems, pos, blocks.len());
                        }
                    }
                }
                let ci = class_id(attrs);
                let hidden = attr(attrs, "hidden").is_some()
                    || attr(attrs, "style").is_some_and(|s| s.replace(' ', "").contains("display:none"))
                    || attr(attrs, "aria-hidden").is_some_and(|v| v == "true");
                let structural = matches!(lname.as_str(), "html" | "body" | "main" | "article");
                if is_in(SKIP, &lname) || (!structural && hidden) {
                    if stack.len() < MAX_DEPTH {
                        *open_count.entry(lname.clone()).or_insert(0) += 1;
                        stack.push((lname, usize::MAX));
                        skip_depth = Some(stack.len());
                    }
                    continue;
                }
                if stack.len() >= MAX_DEPTH {
                    continue;
                }
                let mut bonus = 0.0;
                if lname == "article" || lname == "main" {
                    bonus += 10.0;
                }
                if attr(attrs, "itemprop").is_some_and(|v| v.eq_ignore_ascii_case("articleBody")) {
                    bonus += 25.0;
                }
                if POSITIVE.iter().any(|p| ci.contains(p)) {
                    bonus += 5.0;
                }
                let parent_neg = stack.last().and_then(|&(_, i)| elems.get(i)).map_or(0, |e| e.neg);
                let is_neg = !structural && negative(&ci);
                if is_neg {
                    bonus -= 25.0;
                }
                if lname.len() == 2 && lname.starts_with('h') && lname.as_bytes()[1].is_ascii_digit() {
                    cur_heading = true;
                }
                if lname == "li" {
                    cur_li = true;
                }
                if lname == "a" {
                    // `<a>` cannot nest: a second one implicitly closes the first.
                    link_depth = 1;
                    link_run = 0;
                }
                elems.push(Elem {
                    score: 0.0,
                    first_block: blocks.len(),
                    end_block: usize::MAX,
                    bonus,
                    neg: parent_neg + u32::from(is_neg),
                });
                *open_count.entry(lname.clone()).or_insert(0) += 1;
                stack.push((lname, elems.len() - 1));
            }
            Tok::End { name } => {
                let lname = name.to_ascii_lowercase();
                // The open-count check keeps stray end tags from scanning the whole stack,
                // so a page of unmatched `</x>` stays linear.
                let open = open_count.get(lname.as_str()).copied().unwrap_or(0);
                let found = if open > 0 {
                    stack.iter().rposition(|(n, _)| *n == lname)
                } else {
                    None
                };
                let Some(pos) = found else {
                    if lname == "p" || lname == "br" {
                        flush(
                            &mut cur,
                            &mut cur_links,
                            &mut cur_heading,
                            &mut cur_li,
                            &mut blocks,
                            &mut elems,
                            &stack,
                        );
                    }
                    continue;
                };
                if let Some(sd) = skip_depth {
                    if pos < sd {
                        skip_depth = None;
                    }
                    close_to(&mut stack, &mut open_count, &mut elems, pos, blocks.len());
                    continue;
                }
                if is_in(BLOCK, &lname) {
                    flush(
                        &mut cur,
                        &mut cur_links,
                        &mut cur_heading,
                        &mut cur_li,
                        &mut blocks,
                        &mut elems,
                        &stack,
                    );
                }
                if lname == "a" {
                    link_depth = link_depth.saturating_sub(1);
                }
                close_to(&mut stack, &mut open_count, &mut elems, pos, blocks.len());
            }
            Tok::Text(t) => {
                if skip_depth.is_some() {
                    continue;
                }
                if link_depth > 0 {
                    let n = clean_inline(t).chars().count();
                    cur_links += n;
                    link_run += n;
                    if link_run > MAX_LINK_TEXT {
                        // An unclosed `<a>` swallowing the page: stop treating text as links.
                        link_depth = 0;
                        cur_links = cur_links.saturating_sub(link_run);
                    }
                }
                cur.push_str(t);
            }
            Tok::Raw { .. } => {}
        }
    }
    flush(
        &mut cur,
        &mut cur_links,
        &mut cur_heading,
        &mut cur_li,
        &mut blocks,
        &mut elems,
        &stack,
    );
    for e in &mut elems {
        if e.end_block == usize::MAX {
            e.end_block = blocks.len();
        }
    }
    select(&blocks, &elems)
}

fn close_to(
    stack: &mut Vec<(String, usize)>,
    open_count: &mut HashMap<String, usize>,
    elems: &mut [Elem],
    pos: usize,
    nblocks: usize,
) {
    for (name, _) in stack.iter().skip(pos) {
        if let Some(c) = open_count.get_mut(name) {
            *c = c.saturating_sub(1);
        }
    }
    for (_, idx) in stack.iter().skip(pos) {
        if let Some(e) = elems.get_mut(*idx) {
            e.end_block = nblocks;
        }
    }
    stack.truncate(pos);
}

fn select(blocks: &[Block], elems: &[Elem]) -> String {
    let best = elems
        .iter()
        .filter(|e| e.score > 0.0)
        .max_by(|a, b| (a.score + a.bonus).total_cmp(&(b.score + b.bonus)));
    let Some(best) = best else { return String::new() };
    let range = blocks
        .get(best.first_block..best.end_block.min(blocks.len()))
        .unwrap_or(&[]);
    let mut out = String::new();
    for b in range {
        // Boilerplate nested inside the article container (share bars, related links).
        if b.neg > best.neg {
            continue;
        }
        let chars = b.text.chars().count();
        let ld = b.link_chars as f32 / chars.max(1) as f32;
        if ld > 0.5 || (b.list_item && ld > 0.3) {
            continue;
        }
        // Short non-sentence fragments ("Share", "Advertisement") are chrome.
        if !b.heading && chars < 15 && !b.text.ends_with(['.', '!', '?', '"', '\u{201d}']) && !b.list_item {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(&b.text);
    }
    out
}

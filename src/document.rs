//! Document: the full text of a source — Markdown, HTML, PDF or plain
//! text — made into Markdown that the rest of the pipeline reads like a
//! page, keeping where each PDF page starts so that citations can give it.
//!
//! HTML is reduced to its main text: the `<article>` or `<main>` when there
//! is one, without navigation, headers, footers, sidebars, forms and
//! scripts. PDF text comes page by page; a paragraph broken by a page end
//! is two passages, each cited with its own page.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// File extensions of source documents, lower case.
pub const EXTENSIONS: [&str; 7] = ["md", "markdown", "html", "htm", "pdf", "txt", "text"];

/// The corpus folder whose files are source documents, not pages.
pub const FOLDER: &str = "sources";

/// A source document made into Markdown.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extracted {
    /// The text as Markdown, without front matter.
    pub markdown: String,
    /// The document's own title, when it says one.
    pub title: Option<String>,
    /// For a paged document, the byte offset in `markdown` at which each
    /// page starts; page 1 first.
    pub pages: Vec<usize>,
}

/// The 1-based page of byte `offset` of a document whose pages start at
/// `pages` (as [`Extracted::pages`]); `None` when it has no pages.
pub fn page_at(pages: &[usize], offset: usize) -> Option<u32> {
    if pages.is_empty() {
        return None;
    }
    Some(pages.partition_point(|&start| start <= offset).max(1) as u32)
}

/// The record kept beside a downloaded text: `sources/ID.EXT.fetched.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// The address asked for.
    pub url: String,
    /// The address answered from, after redirects.
    pub final_url: String,
    /// The answer's content type.
    pub content_type: String,
    /// The day it was retrieved, `2026-11-25`.
    pub accessed: String,
    /// Where a web archive keeps the snapshot the text was read from, when
    /// the address itself no longer gives it (a dead link).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived_url: Option<String>,
    /// The day of that snapshot, `2009-03-14`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived_at: Option<String>,
    /// Whether the address itself no longer gives the text: gone, its
    /// host unknown, or sending readers to its site's front page.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub dead: bool,
    /// What the source says of itself, each statement with where it was
    /// read, most trusted first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<Described>,
}

/// A source's details as one place states them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Described {
    /// Where they were read.
    pub from: crate::source::Origin,
    /// What they say.
    #[serde(flatten)]
    pub details: crate::details::Details,
}

/// The record's path for the text at corpus path `text`.
pub fn record_path(text: &str) -> String {
    format!("{text}.fetched.json")
}

/// The kind of document at `path`, from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Markdown, read as it is.
    Markdown,
    /// HTML, reduced to its main text.
    Html,
    /// PDF, text page by page.
    Pdf,
    /// Plain text, paragraphs separated by blank lines.
    Text,
}

impl Format {
    /// The format of `path`, if it is one citeindex reads.
    pub fn of(path: &str) -> Option<Format> {
        let extension = path.rsplit_once('.')?.1.to_ascii_lowercase();
        Some(match extension.as_str() {
            "md" | "markdown" | "mdown" => Format::Markdown,
            "html" | "htm" => Format::Html,
            "pdf" => Format::Pdf,
            "txt" | "text" => Format::Text,
            _ => return None,
        })
    }

    /// The extension to save a download of this format under.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Text => "txt",
        }
    }
}

/// Makes the document `bytes` at corpus path `path` into Markdown.
pub fn extract(path: &str, bytes: &[u8]) -> Result<Extracted> {
    let bad = |message: String| Error::Corpus {
        path: path.to_string(),
        line: 1,
        message,
    };
    let format = Format::of(path).ok_or_else(|| bad("not a document citeindex reads".into()))?;
    let text = || {
        std::str::from_utf8(bytes).map_err(|e| {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            Error::Corpus {
                path: path.to_string(),
                line,
                message: format!("not UTF-8 text ({e})"),
            }
        })
    };
    Ok(match format {
        Format::Markdown => Extracted {
            markdown: text()?.to_string(),
            ..Extracted::default()
        },
        Format::Text => Extracted {
            markdown: paragraphs_to_markdown(text()?.split("\n\n")),
            ..Extracted::default()
        },
        Format::Html => html(&String::from_utf8_lossy(bytes)),
        Format::Pdf => pdf(bytes).map_err(|m| bad(format!("cannot read the PDF: {m}")))?,
    })
}

/// Paragraphs of plain text as Markdown paragraphs.
fn paragraphs_to_markdown<'a>(paragraphs: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for paragraph in paragraphs {
        let joined = join_lines(paragraph);
        if !joined.is_empty() {
            out.push_str(&escape(&joined));
            out.push_str("\n\n");
        }
    }
    out
}

/// The lines of a paragraph as one line; a word hyphenated at a line end
/// ("solidar-" / "ity") is joined again.
fn join_lines(paragraph: &str) -> String {
    let mut out = String::new();
    for line in paragraph.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let hyphenated = out.ends_with('-')
            && out[..out.len() - 1].ends_with(|c: char| c.is_alphabetic())
            && line.starts_with(|c: char| c.is_lowercase());
        if hyphenated {
            out.pop();
        } else if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

/// Text made safe to stand as a Markdown paragraph: every character that
/// Markdown could read as markup is escaped, so the passage text is the
/// document's text.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`'
                | '*'
                | '_'
                | '['
                | ']'
                | '<'
                | '>'
                | '#'
                | '|'
                | '~'
                | '!'
                | '&'
                | '-'
                | '+'
                | '='
                | '.'
                | ')'
        ) {
            // Only where Markdown could care: at the start (lists,
            // headings, rules), and the inline markers anywhere.
            let inline = matches!(
                c,
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '!'
            );
            let at_start = out.trim().is_empty()
                || (matches!(c, '.' | ')') && out.chars().all(|d| d.is_ascii_digit()));
            if inline || at_start {
                out.push('\\');
            }
        }
        out.push(c);
    }
    out
}

/// Reads a PDF's text page by page.
fn pdf(bytes: &[u8]) -> std::result::Result<Extracted, String> {
    // The extractor is a large parser of untrusted input; a panic in it
    // must cost one document, not the index run.
    let pages = std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem_by_pages(bytes))
        .map_err(|_| "the PDF reader failed on this file".to_string())?
        .map_err(|e| e.to_string())?;
    let mut out = Extracted::default();
    for page in &pages {
        out.pages.push(out.markdown.len());
        let before = out.markdown.len();
        out.markdown
            .push_str(&paragraphs_to_markdown(split_paragraphs(page).into_iter()));
        if out.markdown.len() == before {
            // An empty page still ends what came before it.
            out.markdown.push_str("\n\n");
        }
    }
    if pages.iter().all(|p| p.trim().is_empty()) {
        return Err("it has no text (a scan without a text layer?)".into());
    }
    Ok(out)
}

/// A PDF page's text in paragraphs: blank lines separate them.
fn split_paragraphs(page: &str) -> Vec<&str> {
    page.split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .collect()
}

/// Elements that are never the main text.
const BOILERPLATE_TAGS: [&str; 14] = [
    "script", "style", "noscript", "nav", "header", "footer", "aside", "form", "button", "svg",
    "iframe", "template", "select", "menu",
];

/// Class and id words that mark navigation and other furniture.
const BOILERPLATE_NAMES: [&str; 16] = [
    "nav",
    "menu",
    "footer",
    "header",
    "sidebar",
    "breadcrumb",
    "share",
    "social",
    "comment",
    "cookie",
    "banner",
    "advert",
    "related",
    "subscribe",
    "newsletter",
    "skip",
];

/// Blocks of text in reading order.
#[derive(Debug)]
enum Block {
    Heading(usize, String),
    Paragraph(String),
    Quote(Vec<Block>),
    Item(String),
}

/// Past this nesting a document is read by the linear reader of a site's
/// HTML: the HTML parser's work grows with the nesting at every tag.
const MAX_PARSED_NESTING: usize = 1024;

/// Reduces an HTML document to the Markdown of its main text.
fn html(source: &str) -> Extracted {
    if crate::passage::html::nesting(source, MAX_PARSED_NESTING) >= MAX_PARSED_NESTING {
        let paragraphs: Vec<String> = crate::passage::html::blocks(source)
            .into_iter()
            .map(|b| b.text)
            .collect();
        return Extracted {
            markdown: paragraphs_to_markdown(paragraphs.iter().map(String::as_str)),
            title: None,
            pages: vec![],
        };
    }
    let document = scraper::Html::parse_document(source);
    let selector = |s: &str| scraper::Selector::parse(s).ok();
    let first = |s: &str| selector(s).and_then(|sel| document.select(&sel).next());
    let title = first("meta[property='og:title']")
        .and_then(|m| m.value().attr("content").map(str::to_string))
        .or_else(|| first("title").map(|t| collapse(&t.text().collect::<String>())))
        .filter(|t| !t.is_empty());
    let root = ["article", "main", "[role=main]", "body"]
        .iter()
        .find_map(|s| first(s))
        .unwrap_or_else(|| document.root_element());
    let mut blocks = Vec::new();
    walk(root, &mut blocks, 0);
    let mut markdown = String::new();
    write_blocks(&mut markdown, &blocks, "");
    Extracted {
        markdown,
        title,
        pages: vec![],
    }
}

fn is_boilerplate(element: &scraper::node::Element) -> bool {
    if BOILERPLATE_TAGS.contains(&element.name()) || element.attr("hidden").is_some() {
        return true;
    }
    if matches!(
        element.attr("role"),
        Some("navigation" | "banner" | "contentinfo" | "complementary")
    ) {
        return true;
    }
    let names = element
        .classes()
        .chain(element.id())
        .map(str::to_ascii_lowercase);
    names.into_iter().any(|name| {
        name.split(['-', '_'])
            .any(|part| BOILERPLATE_NAMES.contains(&part))
    })
}

/// How deep elements are walked for their blocks; below that, an element's
/// text is one paragraph, so that nesting cannot exhaust the stack.
const MAX_HTML_DEPTH: usize = 128;

/// The blocks under `element`, skipping furniture.
fn walk(element: scraper::ElementRef, blocks: &mut Vec<Block>, depth: usize) {
    if depth >= MAX_HTML_DEPTH {
        push(blocks, Block::Paragraph(text_of(element)));
        return;
    }
    let mut loose = String::new();
    for child in element.children() {
        if let Some(text) = child.value().as_text() {
            loose.push_str(text);
            continue;
        }
        let Some(child) = scraper::ElementRef::wrap(child) else {
            continue;
        };
        let tag = child.value().name();
        if is_boilerplate(child.value()) {
            continue;
        }
        let inline = matches!(
            tag,
            "a" | "em"
                | "strong"
                | "b"
                | "i"
                | "span"
                | "cite"
                | "q"
                | "abbr"
                | "sup"
                | "sub"
                | "small"
                | "code"
                | "mark"
                | "time"
                | "u"
                | "br"
        );
        if inline {
            if tag == "br" {
                loose.push(' ');
            } else {
                loose.push_str(&child.text().collect::<String>());
            }
            continue;
        }
        flush(&mut loose, blocks);
        match tag {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let level = tag[1..].parse().unwrap_or(2);
                push(blocks, Block::Heading(level, text_of(child)));
            }
            "p" | "pre" | "dt" | "dd" | "figcaption" | "td" | "th" => {
                push(blocks, Block::Paragraph(text_of(child)));
            }
            "li" => push(blocks, Block::Item(text_of(child))),
            "blockquote" => {
                let mut inner = Vec::new();
                walk(child, &mut inner, depth + 1);
                if !inner.is_empty() {
                    blocks.push(Block::Quote(inner));
                }
            }
            _ => walk(child, blocks, depth + 1),
        }
    }
    flush(&mut loose, blocks);
}

fn flush(loose: &mut String, blocks: &mut Vec<Block>) {
    push(blocks, Block::Paragraph(collapse(loose)));
    loose.clear();
}

fn push(blocks: &mut Vec<Block>, block: Block) {
    let empty = match &block {
        Block::Heading(_, t) | Block::Paragraph(t) | Block::Item(t) => t.is_empty(),
        Block::Quote(inner) => inner.is_empty(),
    };
    if !empty {
        blocks.push(block);
    }
}

fn text_of(element: scraper::ElementRef) -> String {
    let mut out = String::new();
    for node in element.descendants() {
        if let Some(text) = node.value().as_text() {
            out.push_str(text);
        } else if node.value().as_element().is_some_and(|e| e.name() == "br") {
            out.push(' ');
        }
    }
    collapse(&out)
}

/// Runs of white space as one space, trimmed.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn write_blocks(out: &mut String, blocks: &[Block], prefix: &str) {
    for block in blocks {
        match block {
            Block::Heading(level, text) => {
                let _ = write!(
                    out,
                    "{prefix}{} {}\n{prefix}\n",
                    "#".repeat(*level),
                    escape(text)
                );
            }
            Block::Paragraph(text) => {
                let _ = write!(out, "{prefix}{}\n{prefix}\n", escape(text));
            }
            Block::Item(text) => {
                let _ = write!(out, "{prefix}- {}\n{prefix}\n", escape(text));
            }
            Block::Quote(inner) => {
                write_blocks(out, inner, &format!("{prefix}> "));
                out.push('\n');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_keeps_the_article_and_drops_the_furniture() {
        let page = r#"<!doctype html><html><head><title>Collective Action Behind Bars</title></head>
<body><nav><a href="/">Home</a> <a href="/about">About us</a></nav>
<header class="site-header">Upping the Anti</header>
<article><h1>Collective Action Behind Bars</h1>
<p>Jail solidarity is <em>a form</em> of direct action.</p>
<p>* Not a list, # not a heading, 1. not numbered.</p>
<blockquote><p>“Legal solidarity is a tactic.”</p></blockquote>
<div class="share-buttons">Share on every network</div>
<ul><li>First point</li></ul></article>
<footer>Copyright 2016</footer><script>alert(1)</script></body></html>"#;
        let out = html(page);
        assert_eq!(out.title.as_deref(), Some("Collective Action Behind Bars"));
        for gone in ["Home", "About us", "Share on", "Copyright", "alert"] {
            assert!(!out.markdown.contains(gone), "{gone}: {}", out.markdown);
        }
        let page = crate::page::Page::parse("sources/x.md", out.markdown.into_bytes()).unwrap();
        let texts: Vec<String> = crate::passage::split(&page)
            .into_iter()
            .map(|p| p.text)
            .collect();
        assert_eq!(
            texts,
            [
                "Collective Action Behind Bars",
                "Jail solidarity is a form of direct action.",
                "* Not a list, # not a heading, 1. not numbered.",
                "“Legal solidarity is a tactic.”",
                "First point",
            ]
        );
    }

    #[test]
    fn a_document_nested_past_reason_is_read_linearly_and_keeps_its_words() {
        let deep = format!(
            "<html><body>{}<p>deep text</p><p>and more</p>{}</body></html>",
            "<div>".repeat(50_000),
            "</div>".repeat(50_000)
        );
        assert!(crate::passage::html::nesting(&deep, MAX_PARSED_NESTING) >= MAX_PARSED_NESTING);
        let out = extract("deep.html", deep.as_bytes()).unwrap();
        assert_eq!(out.markdown, "deep text\n\nand more\n\n");
        // Void elements and closed ones do not count.
        let flat = "<p>a<br><img src=x></p>".repeat(5_000);
        assert_eq!(crate::passage::html::nesting(&flat, MAX_PARSED_NESTING), 1);
    }

    #[test]
    fn plain_text_paragraphs_keep_their_words() {
        let text = "- A dash that is text.\n1. Not a list\n\n    Indented, not code.\nsolidar-\nity joined.\n";
        let out = extract("sources/t.txt", text.as_bytes()).unwrap();
        let page = crate::page::Page::parse("sources/t.md", out.markdown.into_bytes()).unwrap();
        let texts: Vec<String> = crate::passage::split(&page)
            .into_iter()
            .map(|p| p.text)
            .collect();
        assert_eq!(
            texts,
            [
                "- A dash that is text. 1. Not a list",
                "Indented, not code. solidarity joined."
            ]
        );
    }

    #[test]
    fn page_of_counts_from_one() {
        let out = Extracted {
            markdown: "a\n\nb\n\nc\n\n".into(),
            title: None,
            pages: vec![0, 3, 6],
        };
        assert_eq!(page_at(&out.pages, 0), Some(1));
        assert_eq!(page_at(&out.pages, 3), Some(2));
        assert_eq!(page_at(&out.pages, 7), Some(3));
    }
}

//! Passage: one block of a page — a paragraph, a paragraph of a blockquote,
//! a list item, a heading, a table, a code block — the unit of retrieval.
//!
//! Splitting keeps the text's typography (“ ” ’ —), drops Markdown markup,
//! and records for every passage the byte span and line in the source file
//! of the block it came from. Quotations inside a passage are found here;
//! who said them is [`crate::attribution`]'s business.
//!
//! Passage ids are `page-slug#pN`, N counting the page's body blocks from 1
//! in document order, and `page-slug#KEY-N` for the N-th link listed under
//! a front matter KEY (`#types-4`). They are deterministic and unique within
//! a corpus, and stay the same as long as the blocks before them do.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde::{Deserialize, Serialize};

use crate::page::{Page, Segment};

pub(crate) mod html;

/// What kind of block a passage is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum PassageKind {
    /// A paragraph of the page's own text.
    Paragraph,
    /// A paragraph inside a blockquote.
    Blockquote,
    /// An item of a list.
    ListItem,
    /// A heading.
    Heading,
    /// A table, its cells joined by ` | ` and its rows by new lines.
    Table,
    /// A fenced or indented code block.
    Code,
    /// A block of raw HTML, kept as text.
    Html,
    /// A footnote's text.
    Footnote,
    /// A link listed in front matter.
    Link,
}

impl PassageKind {
    /// The kind's name, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            PassageKind::Paragraph => "paragraph",
            PassageKind::Blockquote => "blockquote",
            PassageKind::ListItem => "list-item",
            PassageKind::Heading => "heading",
            PassageKind::Table => "table",
            PassageKind::Code => "code",
            PassageKind::Html => "html",
            PassageKind::Footnote => "footnote",
            PassageKind::Link => "link",
        }
    }
}

/// How a quotation is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum QuoteKind {
    /// Somebody's words.
    Quotation,
    /// A word or phrase mentioned as such: the term “solidarity tactics”, (“jail solidarity”).
    Term,
    /// A scare quote: there is no “right” tactic.
    Scare,
    /// The title of a work.
    Title,
}

/// A quotation inside a passage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    /// Byte range in the passage text of the quoted words, without the marks.
    pub span: Range<usize>,
    /// How it is used.
    pub kind: QuoteKind,
    /// Id of the source who said it; none for scare quotes, terms and unknown speakers.
    pub speaker: Option<String>,
    /// The speaker's role or affiliation, where the text gives one
    /// (“Union President”, “a tenant since 1990”).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Id of the publication the words were said through (“told the
    /// Guardian”), where the text names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
}

/// A link inside a passage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// Byte range in the passage text of the link text.
    pub span: Range<usize>,
    /// The destination, as written.
    pub url: String,
}

/// One block of a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Passage {
    /// Stable id: `page-slug#pN`.
    pub id: String,
    /// What kind of block it is.
    pub kind: PassageKind,
    /// Texts of the headings above it, outermost first.
    pub headings: Vec<String>,
    /// Plain text with the original typography.
    pub text: String,
    /// Byte range of the block in the file that holds its words.
    pub span: Range<usize>,
    /// That file, when it is not the page's own (an include).
    pub file: Option<String>,
    /// 1-based line of the block's first byte.
    pub line: usize,
    /// Heading level, for headings.
    pub level: u8,
    /// For blockquote paragraphs: which blockquote of the page (from 1) holds it.
    pub blockquote: Option<u32>,
    /// Links in the text.
    pub links: Vec<Link>,
    /// Destination of a front matter link passage.
    pub url: Option<String>,
    /// Quotations in the text.
    pub quotes: Vec<Quote>,
    /// Id of the source this block is an excerpt of.
    pub excerpted_from: Option<String>,
    /// Ids of the sources it names, links or quotes.
    pub cites: Vec<String>,
}

/// The one place that sets the Markdown dialect: CommonMark with the
/// extensions Jekyll and Hugo sites use. Smart punctuation stays off, so
/// text keeps the typography its author typed.
pub fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

struct Open {
    kind: PassageKind,
    start: usize,
    text: String,
    links: Vec<Link>,
    level: u8,
    blockquote: Option<u32>,
}

/// Splits a page into passages: its front matter links, then its body blocks.
pub fn split(page: &Page) -> Vec<Passage> {
    split_warning(page).0
}

/// [`split`], with the warnings met on the way, each with the line of the
/// page it is on.
pub fn split_warning(page: &Page) -> (Vec<Passage>, Vec<(usize, String)>) {
    let mut passages = Vec::new();
    let mut per_key: Vec<(String, usize)> = Vec::new();
    for link in &page.links {
        let n = match per_key.iter_mut().find(|(k, _)| *k == link.key) {
            Some((_, n)) => {
                *n += 1;
                *n
            }
            None => {
                per_key.push((link.key.clone(), 1));
                1
            }
        };
        passages.push(Passage {
            id: format!("{}#{}-{n}", page.slug, crate::source::slug(&link.key)),
            kind: PassageKind::Link,
            headings: vec![],
            text: link.name.clone(),
            span: link.span.clone(),
            file: None,
            line: page.line_of(link.span.start),
            level: 0,
            blockquote: None,
            links: vec![],
            url: link.url.clone(),
            quotes: find_quotes(&link.name),
            excerpted_from: None,
            cites: vec![],
        });
    }

    let mut state = State::default();
    for segment in &page.segments {
        split_segment(page, segment, &mut state, &mut passages);
    }
    (passages, state.warnings)
}

/// What runs on from one segment of a page to the next.
#[derive(Default)]
struct State {
    trail: Vec<(u8, String)>,
    blockquote_count: u32,
    ordinal: usize,
    warnings: Vec<(usize, String)>,
}

/// An HTML comment that has opened and not yet closed: where its `<!--`
/// is in the segment, and the text after it so far.
struct OpenComment {
    at: usize,
    text: String,
}

/// Splits one segment of a page, its passages numbered on from the last.
fn split_segment(page: &Page, segment: &Segment, state: &mut State, passages: &mut Vec<Passage>) {
    // A `<!--` that no `-->` closes would hide the rest of the segment: it
    // is read as text (`<` made a space, so every offset still holds).
    let unclosed = crate::page::unclosed_comments(&segment.text);
    let neutral;
    let body = if unclosed.is_empty() {
        segment.text.as_str()
    } else {
        let mut bytes = segment.text.as_bytes().to_vec();
        for at in unclosed {
            bytes[at] = b' ';
        }
        neutral = String::from_utf8(bytes).unwrap_or_default();
        neutral.as_str()
    };
    let trail = &mut state.trail;
    let ordinal = &mut state.ordinal;
    let blockquote_count = &mut state.blockquote_count;
    let mut comment: Option<OpenComment> = None;
    let warnings = &mut state.warnings;
    let mut stack: Vec<Open> = Vec::new();
    let mut blockquotes = Vec::new();
    let mut link_starts: Vec<(usize, String)> = Vec::new();
    let mut in_image = 0usize;

    let parser = Parser::new_ext(body, markdown_options()).into_offset_iter();
    // A site's HTML: where the HTML block being read started, and whether
    // inline HTML has opened an element whose text is not shown.
    let mut html_block: Option<usize> = None;
    let mut inline_hidden = false;
    for (event, range) in parser {
        if page.html_as_text {
            match &event {
                Event::Start(Tag::HtmlBlock) => {
                    html_block = Some(range.start);
                    continue;
                }
                // Indented HTML after a blank line is code to CommonMark but
                // HTML to kramdown and to the visitor.
                Event::Start(Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Indented))
                    if body[range.clone()].trim_start().starts_with('<') =>
                {
                    html_block = Some(range.start);
                    continue;
                }
                Event::Html(_) | Event::Text(_) if html_block.is_some() => continue,
                Event::End(TagEnd::HtmlBlock | TagEnd::CodeBlock) if html_block.is_some() => {
                    if let Some(start) = html_block.take() {
                        let html = &body[start..range.end.min(body.len())];
                        let quoted = blockquotes.last().copied();
                        let first_quote = *blockquote_count + 1;
                        let mut groups = 0;
                        for block in html::blocks(html) {
                            let (kind, level) = match block.kind {
                                html::Kind::Heading(level) => (PassageKind::Heading, level),
                                html::Kind::Quote => (PassageKind::Blockquote, 0),
                                html::Kind::Item => (PassageKind::ListItem, 0),
                                html::Kind::Paragraph if quoted.is_some() => {
                                    (PassageKind::Blockquote, 0)
                                }
                                html::Kind::Paragraph => (PassageKind::Paragraph, 0),
                            };
                            let blockquote = match block.quote {
                                Some(q) => {
                                    groups = groups.max(q + 1);
                                    Some(first_quote + q as u32)
                                }
                                None => quoted,
                            };
                            let open = Open {
                                kind,
                                start: start + block.range.start,
                                text: block.text,
                                links: Vec::new(),
                                level,
                                blockquote,
                            };
                            let end = start + block.range.end;
                            if let Some(passage) = finish(open, end, page, segment, ordinal, trail)
                            {
                                if passage.kind == PassageKind::Heading {
                                    trail.retain(|(l, _)| *l < passage.level);
                                    trail.push((passage.level, passage.text.clone()));
                                }
                                passages.push(passage);
                            }
                        }
                        *blockquote_count += groups as u32;
                    }
                    continue;
                }
                Event::InlineHtml(tag) => {
                    if let Some(hides) = html::hides(tag) {
                        inline_hidden = hides;
                    } else if tag.trim_start().to_ascii_lowercase().starts_with("<br") {
                        push_text(&mut stack, " ");
                    }
                    continue;
                }
                Event::Text(_) | Event::Code(_) if inline_hidden => continue,
                _ => {}
            }
        }
        match event {
            Event::Start(tag) => {
                let heading_level = match &tag {
                    Tag::Heading { level, .. } => *level as u8,
                    _ => 0,
                };
                let kind = match tag {
                    Tag::Paragraph if blockquotes.is_empty() => {
                        if stack
                            .last()
                            .is_some_and(|o| o.kind == PassageKind::ListItem)
                        {
                            Some(PassageKind::ListItem)
                        } else if stack
                            .last()
                            .is_some_and(|o| o.kind == PassageKind::Footnote)
                        {
                            Some(PassageKind::Footnote)
                        } else {
                            Some(PassageKind::Paragraph)
                        }
                    }
                    Tag::Paragraph => Some(PassageKind::Blockquote),
                    Tag::Heading { .. } => Some(PassageKind::Heading),
                    Tag::Item => Some(PassageKind::ListItem),
                    Tag::CodeBlock(_) => Some(PassageKind::Code),
                    Tag::HtmlBlock => Some(PassageKind::Html),
                    Tag::Table(_) => Some(PassageKind::Table),
                    Tag::FootnoteDefinition(_) => Some(PassageKind::Footnote),
                    Tag::BlockQuote(_) => {
                        *blockquote_count += 1;
                        blockquotes.push(*blockquote_count);
                        None
                    }
                    Tag::Link { dest_url, .. } => {
                        if let Some(open) = stack.last() {
                            link_starts.push((open.text.len(), dest_url.to_string()));
                        }
                        None
                    }
                    Tag::Image { .. } => {
                        in_image += 1;
                        None
                    }
                    Tag::TableCell => {
                        if let Some(open) = stack.last_mut()
                            && !open.text.is_empty()
                            && !open.text.ends_with('\n')
                        {
                            open.text.push_str(" | ");
                        }
                        None
                    }
                    _ => None,
                };
                if let Some(kind) = kind {
                    // Inside a table, cells are not blocks of their own.
                    if stack.last().is_some_and(|o| o.kind == PassageKind::Table) {
                        continue;
                    }
                    let level = heading_level;
                    stack.push(Open {
                        kind,
                        start: range.start,
                        text: String::new(),
                        links: Vec::new(),
                        level,
                        blockquote: blockquotes.last().copied(),
                    });
                }
            }
            Event::End(tag) => {
                let closes = matches!(
                    tag,
                    TagEnd::Paragraph
                        | TagEnd::Heading(_)
                        | TagEnd::Item
                        | TagEnd::CodeBlock
                        | TagEnd::HtmlBlock
                        | TagEnd::Table
                        | TagEnd::FootnoteDefinition
                );
                match tag {
                    TagEnd::BlockQuote(_) => {
                        blockquotes.pop();
                    }
                    TagEnd::Image => in_image = in_image.saturating_sub(1),
                    TagEnd::Link => {
                        if let (Some((start, url)), Some(open)) =
                            (link_starts.pop(), stack.last_mut())
                        {
                            let start = start.min(open.text.len());
                            open.links.push(Link {
                                span: start..open.text.len(),
                                url,
                            });
                        }
                    }
                    TagEnd::TableRow | TagEnd::TableHead => {
                        if let Some(open) = stack.last_mut() {
                            open.text.push('\n');
                        }
                    }
                    _ => {}
                }
                let in_table_cell = stack.last().is_some_and(|o| o.kind == PassageKind::Table)
                    && !matches!(tag, TagEnd::Table);
                if closes && let Some(open) = comment.take() {
                    // A comment cannot outlive its block (CommonMark ends an
                    // HTML block with its container): what it held is text.
                    push_text(&mut stack, &open.text);
                    warnings.push((
                        segment.line_of(segment.start_in_file(open.at)),
                        "an HTML comment opens here and never closes in its block; what follows it is indexed as text".into(),
                    ));
                }
                if !closes || in_table_cell {
                    continue;
                }
                let Some(open) = stack.pop() else { continue };
                let Some(passage) = finish(open, range.end, page, segment, ordinal, trail) else {
                    continue;
                };
                if passage.kind == PassageKind::Heading {
                    trail.retain(|(level, _)| *level < passage.level);
                    trail.push((passage.level, passage.text.clone()));
                }
                passages.push(passage);
            }
            Event::Text(text)
            | Event::Code(text)
            | Event::InlineMath(text)
            | Event::DisplayMath(text) => {
                if in_image == 0 {
                    push_text(&mut stack, &text);
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                // A comment may run over several lines, each its own event.
                let visible = outside_comments(&html, range.start, &mut comment);
                if in_image == 0 && !visible.trim().is_empty() {
                    push_text(&mut stack, &visible);
                }
            }
            Event::SoftBreak => push_text(&mut stack, " "),
            Event::HardBreak => push_text(&mut stack, "\n"),
            Event::FootnoteReference(_) | Event::Rule | Event::TaskListMarker(_) => {}
        }
    }
}

/// The parts of a piece of raw HTML outside `<!-- … -->` comments, `at`
/// its offset in the segment; `comment` is the comment open at its start,
/// and is left holding the one open at its end. `<!-->` and `<!--->` are
/// whole, empty comments, as in HTML and CommonMark.
fn outside_comments<'h>(
    html: &'h str,
    at: usize,
    comment: &mut Option<OpenComment>,
) -> std::borrow::Cow<'h, str> {
    if comment.is_none() && !html.contains("<!--") {
        return std::borrow::Cow::Borrowed(html);
    }
    let mut out = String::new();
    let mut rest = html;
    loop {
        if let Some(open) = comment {
            match rest.find("-->") {
                Some(end) => {
                    rest = &rest[end + 3..];
                    *comment = None;
                }
                None => {
                    open.text.push_str(rest);
                    break;
                }
            }
        } else {
            match rest.find("<!--") {
                Some(start) => {
                    out.push_str(&rest[..start]);
                    let after = &rest[start + 4..];
                    if let Some(empty) = ["->", ">"].iter().find(|e| after.starts_with(**e)) {
                        rest = &after[empty.len()..];
                        continue;
                    }
                    *comment = Some(OpenComment {
                        at: at + (html.len() - rest.len()) + start,
                        text: String::new(),
                    });
                    rest = after;
                }
                None => {
                    out.push_str(rest);
                    break;
                }
            }
        }
    }
    std::borrow::Cow::Owned(out)
}

fn push_text(stack: &mut [Open], text: &str) {
    if let Some(open) = stack.last_mut() {
        open.text.push_str(text);
    }
}

fn finish(
    open: Open,
    end: usize,
    page: &Page,
    segment: &Segment,
    ordinal: &mut usize,
    trail: &[(u8, String)],
) -> Option<Passage> {
    let lead = open.text.len() - open.text.trim_start().len();
    let text = open.text.trim().to_string();
    if text.is_empty() {
        return None;
    }
    let links = open
        .links
        .into_iter()
        .filter_map(|l| {
            let start = l.span.start.saturating_sub(lead).min(text.len());
            let end = l.span.end.saturating_sub(lead).min(text.len());
            (start < end).then_some(Link {
                span: start..end,
                url: l.url,
            })
        })
        .collect();
    *ordinal += 1;
    // A block's range may include the line break after it; keep the block.
    let mut end = end;
    while end > open.start && segment.text.as_bytes()[end - 1].is_ascii_whitespace() {
        end -= 1;
    }
    let start = segment.start_in_file(open.start);
    let end = segment.end_in_file(end).max(start);
    let file = (segment.file != page.path).then(|| segment.file.clone());
    Some(Passage {
        id: format!("{}#p{}", page.slug, *ordinal),
        kind: open.kind,
        headings: trail.iter().map(|(_, t)| t.clone()).collect(),
        quotes: if open.kind == PassageKind::Code {
            vec![]
        } else {
            find_quotes(&text)
        },
        text,
        span: start..end,
        line: segment.line_of(start),
        file,
        level: open.level,
        blockquote: open.blockquote,
        links,
        url: None,
        excerpted_from: None,
        cites: vec![],
    })
}

/// Finds the quotations in `text`: “…” and "…" and ‘…’ pairs, outermost only.
///
/// A straight double quote opens after a space, an opening bracket or a dash
/// and closes otherwise; a curly single quote closes only where it is not an
/// apostrophe (followed by a letter); a straight mark where a quotation
/// closes ends an open curly one. Unbalanced marks quote nothing.
pub fn find_quotes(text: &str) -> Vec<Quote> {
    let mut quotes = Vec::new();
    // (mark that closes it, byte offset just after the opening mark)
    let mut open: Vec<(char, usize)> = Vec::new();
    let mut previous: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let after = at + c.len_utf8();
        // Asked only of a ‘: the test is a search of a string, and this
        // loop sees every character of the corpus.
        let opens_here = || previous.is_none_or(|p| p.is_whitespace() || "([{—–-/“‘\"".contains(p));
        match c {
            '“' => open.push(('”', after)),
            '”' => close(&mut open, &mut quotes, '”', at),
            '‘' if opens_here() => open.push(('’', after)),
            '’' if !next.is_some_and(char::is_alphanumeric) => {
                close(&mut open, &mut quotes, '’', at)
            }
            '"' => {
                let closing_place =
                    next.is_none_or(|n| n.is_whitespace() || ".,;:!?)]".contains(n));
                if open.iter().any(|&(m, _)| m == '"') {
                    close(&mut open, &mut quotes, '"', at);
                } else if closing_place && open.last().is_some_and(|&(m, _)| m == '”') {
                    // A curly opening closed by a straight mark (“…"), as
                    // text typed in two editors has it.
                    close(&mut open, &mut quotes, '”', at);
                } else if next.is_some_and(|n| !n.is_whitespace()) {
                    open.push(('"', after));
                }
            }
            _ => {}
        }
        previous = Some(c);
    }
    quotes.sort_by_key(|q| q.span.start);
    // Keep the outermost quotations.
    let mut outer: Vec<Quote> = Vec::new();
    for quote in quotes {
        if outer.last().is_some_and(|o| o.span.end >= quote.span.end) {
            continue;
        }
        outer.push(quote);
    }
    outer
}

fn close(open: &mut Vec<(char, usize)>, quotes: &mut Vec<Quote>, mark: char, at: usize) {
    let Some(i) = open.iter().rposition(|&(m, _)| m == mark) else {
        return;
    };
    let start = open[i].1;
    open.truncate(i);
    if start < at {
        quotes.push(Quote {
            span: start..at,
            kind: QuoteKind::Quotation,
            speaker: None,
            role: None,
            via: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quoted(text: &str) -> Vec<&str> {
        find_quotes(text)
            .into_iter()
            .map(|q| &text[q.span])
            .collect()
    }

    #[test]
    fn finds_curly_straight_and_single_quotes() {
        assert_eq!(quoted("a “b c” d \"e f\" g ‘h’ i"), ["b c", "e f", "h"]);
        assert_eq!(quoted("it’s the activists’ “own” tactic"), ["own"]);
        assert_eq!(quoted("“outer ‘inner’ words”"), ["outer ‘inner’ words"]);
        assert_eq!(
            quoted("unbalanced “quote and a \"straight"),
            Vec::<&str>::new()
        );
        assert_eq!(quoted("(“jail solidarity”)"), ["jail solidarity"]);
        assert_eq!(
            quoted("Advice: “Plan less, ship more.\" Then “more” later."),
            ["Plan less, ship more.", "more"]
        );
        assert_eq!(quoted("“a \"b\" c”"), ["a \"b\" c"]);
    }

    fn page(text: &str) -> Page {
        Page::parse("p.md", text.as_bytes().to_vec()).unwrap()
    }

    #[test]
    fn splits_blocks_with_spans_lines_and_headings() {
        let p = page(
            "---\ntitle: T\n---\n# Top\n\nFirst *para*\nwraps.\n\n> quoted [link](http://x)\n> more\n\n- one\n- two\n\n## Sub\n\n|a|b|\n|-|-|\n|c|d|\n",
        );
        let passages = split(&p);
        let kinds: Vec<_> = passages.iter().map(|x| (x.kind, x.text.as_str())).collect();
        assert_eq!(
            kinds,
            [
                (PassageKind::Heading, "Top"),
                (PassageKind::Paragraph, "First para wraps."),
                (PassageKind::Blockquote, "quoted link more"),
                (PassageKind::ListItem, "one"),
                (PassageKind::ListItem, "two"),
                (PassageKind::Heading, "Sub"),
                (PassageKind::Table, "a | b\nc | d"),
            ]
        );
        let para = &passages[1];
        assert_eq!(&p.text[para.span.clone()], "First *para*\nwraps.");
        assert_eq!(para.line, 6);
        assert_eq!(para.headings, ["Top"]);
        assert_eq!(passages[2].links[0].url, "http://x");
        assert_eq!(&passages[2].text[passages[2].links[0].span.clone()], "link");
        assert_eq!(passages[2].blockquote, Some(1));
        assert_eq!(passages[6].headings, ["Top", "Sub"]);
        assert_eq!(passages[1].id, "p#p2");
    }

    // Regression: the lines of a comment after its first were indexed as
    // text, and a comment never closed hid the rest of the page.
    #[test]
    fn comments_hide_all_their_lines_and_an_unclosed_one_hides_nothing() {
        let p = page("Before.\n\n<!-- a note\nover lines\n-->\n\nAfter.\n");
        let texts: Vec<String> = split(&p).into_iter().map(|x| x.text).collect();
        assert_eq!(texts, ["Before.", "After."]);
        let p = page("Before.\n\n<!-- never closed\n\nStill here.\n\n## Heading\n");
        let texts: Vec<String> = split(&p).into_iter().map(|x| x.text).collect();
        assert!(texts.iter().any(|t| t == "Still here."), "{texts:?}");
        assert!(texts.iter().any(|t| t == "Heading"), "{texts:?}");
        assert!(
            texts.iter().any(|t| t.contains("never closed")),
            "{texts:?}"
        );
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].0, 3);
    }

    #[test]
    fn raw_html_stays_text() {
        let p = page("Hello <script>alert(1)</script> world\n");
        assert_eq!(split(&p)[0].text, "Hello <script>alert(1)</script> world");
    }
}

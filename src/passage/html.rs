//! HTML inside a site's Markdown, read as text: the blocks of an HTML
//! block (paragraphs, blockquotes and pull-quote `<div>`s, figures and their
//! captions, list items, headings) become passages like their Markdown
//! twins, a `<cite>` or credit element inside a quotation becomes its credit
//! line, and scripts, styles, frames and comments show nothing.

use std::ops::Range;

/// Elements whose content a visitor does not read.
const HIDDEN: [&str; 11] = [
    "script", "style", "iframe", "noscript", "template", "svg", "object", "select", "button",
    "textarea", "head",
];
/// The most elements kept open at once; deeper ones are read as text.
const MAX_OPEN: usize = 256;
/// Elements without content.
const VOID: [&str; 14] = [
    "br", "img", "hr", "input", "meta", "link", "source", "wbr", "area", "col", "embed", "param",
    "track", "base",
];
/// Elements that start and end a block of text.
const BLOCKS: [&str; 34] = [
    "p",
    "div",
    "blockquote",
    "figure",
    "figcaption",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "aside",
    "header",
    "footer",
    "main",
    "nav",
    "table",
    "tr",
    "td",
    "th",
    "pre",
    "hr",
    "details",
    "summary",
    "address",
    "cite",
];

/// What kind of block a piece of HTML text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text of its own.
    Paragraph,
    /// Inside a blockquote or a pull quote.
    Quote,
    /// A heading of this level.
    Heading(u8),
    /// An item of a list.
    Item,
}

/// One block of text of a piece of HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// What kind of block it is.
    pub kind: Kind,
    /// Its text, entities decoded and spaces collapsed; a credit starts with "— ".
    pub text: String,
    /// Byte range in the HTML of its first to its last character.
    pub range: Range<usize>,
    /// For text in a quotation: which quotation of the HTML (from 0).
    pub quote: Option<usize>,
}

/// An element open at a point of the HTML.
#[derive(Debug)]
struct Element {
    name: String,
    /// Whether it is a quotation: `<blockquote>`, or an element whose class
    /// says pull quote, quote or testimonial.
    quote: Option<usize>,
    /// Whether its text is a credit: `<cite>`, `<footer>` or a class that
    /// says credit, attribution, author, byline or source.
    credit: bool,
    /// Whether its content is Markdown (kramdown's `markdown="1"`).
    markdown: bool,
}

/// How deeply the elements of `html` nest, counted by their tags (an
/// element a page leaves open counts as open), up to `limit`.
pub fn nesting(html: &str, limit: usize) -> usize {
    let bytes = html.as_bytes();
    let (mut depth, mut deepest) = (0usize, 0usize);
    for at in memchr::memchr_iter(b'<', bytes) {
        match bytes.get(at + 1) {
            Some(b'/') => depth = depth.saturating_sub(1),
            Some(b) if b.is_ascii_alphabetic() => {
                let name_end = bytes[at + 1..]
                    .iter()
                    .position(|b| !b.is_ascii_alphanumeric())
                    .map_or(bytes.len(), |n| at + 1 + n);
                let name = html[at + 1..name_end].to_ascii_lowercase();
                if !VOID.contains(&name.as_str()) {
                    depth += 1;
                    deepest = deepest.max(depth);
                    if deepest >= limit {
                        return deepest;
                    }
                }
            }
            _ => {}
        }
    }
    deepest
}

/// The blocks of text of `html`, in order.
pub fn blocks(html: &str) -> Vec<Block> {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut open: Vec<Element> = Vec::new();
    let mut text = String::new();
    let mut range: Option<Range<usize>> = None;
    let mut quotes = 0;
    let mut hidden = 0usize;
    let mut markdown_open = 0usize;
    let mut i = 0;
    let flush = |open: &[Element],
                 text: &mut String,
                 range: &mut Option<Range<usize>>,
                 out: &mut Vec<Block>| {
        let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
        text.clear();
        let Some(r) = range.take() else { return };
        if !collapsed.chars().any(char::is_alphanumeric) {
            return;
        }
        let quote = open.iter().rev().find_map(|e| e.quote);
        let credit = open.iter().any(|e| e.credit) && quote.is_some();
        let heading = open.iter().rev().find_map(|e| {
            let b = e.name.as_bytes();
            (b.len() == 2 && b[0] == b'h' && (b'1'..=b'6').contains(&b[1])).then(|| b[1] - b'0')
        });
        let kind = if let Some(level) = heading {
            Kind::Heading(level)
        } else if quote.is_some() {
            Kind::Quote
        } else if open.iter().any(|e| e.name == "li") {
            Kind::Item
        } else {
            Kind::Paragraph
        };
        let text = if credit && !collapsed.starts_with(['—', '–', '-', '~']) {
            format!("— {collapsed}")
        } else {
            collapsed
        };
        out.push(Block {
            kind,
            text,
            range: r,
            quote,
        });
    };
    while i < bytes.len() {
        if bytes[i] != b'<' {
            let end = memchr::memchr(b'<', &bytes[i..]).map_or(bytes.len(), |n| i + n);
            if hidden == 0 {
                let chunk = &html[i..end];
                let lead = chunk.len() - chunk.trim_start().len();
                let trail = chunk.trim_end().len();
                if trail > lead {
                    let r = range.get_or_insert(i + lead..i + trail);
                    r.end = i + trail;
                }
                let decoded = html_escape::decode_html_entities(chunk);
                if markdown_open > 0 {
                    text.push_str(&markdown_text(&decoded));
                } else {
                    text.push_str(&decoded);
                }
            }
            i = end;
            continue;
        }
        let rest = &html[i..];
        if rest.starts_with("<!--") {
            i = rest.find("-->").map_or(bytes.len(), |n| i + n + 3);
            continue;
        }
        let closing = rest.starts_with("</");
        let name_start = i + if closing { 2 } else { 1 };
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
            .count();
        if name_len == 0 || !(bytes[name_start].is_ascii_alphabetic()) {
            if rest.starts_with("<!") || rest.starts_with("<?") {
                i = memchr::memchr(b'>', &bytes[i..]).map_or(bytes.len(), |n| i + n + 1);
                continue;
            }
            // A `<` that starts no tag is text.
            if hidden == 0 {
                text.push('<');
                let r = range.get_or_insert(i..i + 1);
                r.end = i + 1;
            }
            i += 1;
            continue;
        }
        let name = html[name_start..name_start + name_len].to_ascii_lowercase();
        let end = tag_end(bytes, name_start + name_len);
        let attributes =
            &html[name_start + name_len..end.saturating_sub(1).max(name_start + name_len)];
        i = end;
        let is_block = BLOCKS.contains(&name.as_str());
        if closing {
            if let Some(at) = open.iter().rposition(|e| e.name == name) {
                // A credit is a block of its own, whatever its element.
                if is_block || open[at].credit {
                    flush(&open, &mut text, &mut range, &mut out);
                }
                for e in open.drain(at..) {
                    if HIDDEN.contains(&e.name.as_str()) {
                        hidden = hidden.saturating_sub(1);
                    }
                    if e.markdown {
                        markdown_open = markdown_open.saturating_sub(1);
                    }
                }
            }
            continue;
        }
        if name == "br" {
            text.push(' ');
            continue;
        }
        let class = attribute(attributes, "class")
            .unwrap_or_default()
            .to_ascii_lowercase();
        let says = |words: &[&str]| words.iter().any(|w| class.contains(w));
        let credit_class = says(&[
            "credit",
            "attribution",
            "author",
            "byline",
            "source",
            "cite",
        ]);
        if is_block || credit_class {
            flush(&open, &mut text, &mut range, &mut out);
        }
        if VOID.contains(&name.as_str()) || attributes.trim_end().ends_with('/') {
            continue;
        }
        let quote = (name == "blockquote"
            || (name != "p" && says(&["pullquote", "pull-quote", "quote", "testimonial"])))
        .then(|| {
            quotes += 1;
            quotes - 1
        });
        let credit = name == "cite" || name == "footer" || credit_class;
        if HIDDEN.contains(&name.as_str()) {
            hidden += 1;
        }
        if open.len() >= MAX_OPEN {
            // Deeper than any page is written: the text counts, the
            // element does not (every look at the open elements stays
            // bounded).
            continue;
        }
        let markdown = attribute(attributes, "markdown").is_some_and(|v| v != "0");
        markdown_open += usize::from(markdown);
        open.push(Element {
            name,
            quote,
            credit,
            markdown,
        });
    }
    flush(&open, &mut text, &mut range, &mut out);
    out
}

/// The text a visitor reads of Markdown inside an HTML element that asks
/// for it (kramdown's `markdown="1"`): a link's or image's text without its
/// address, and no emphasis marks.
fn markdown_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut rest = markdown;
    while let Some(open) = rest.find('[') {
        let label_end = rest[open..].find("](").map(|n| open + n);
        let close = label_end.and_then(|l| rest[l + 2..].find(')').map(|n| l + 2 + n));
        match (label_end, close) {
            (Some(label_end), Some(close)) if !rest[open + 1..label_end].contains('[') => {
                let before = &rest[..open];
                out.push_str(before.strip_suffix('!').unwrap_or(before));
                out.push_str(&rest[open + 1..label_end]);
                rest = &rest[close + 1..];
            }
            _ => {
                out.push_str(&rest[..=open]);
                rest = &rest[open + 1..];
            }
        }
    }
    out.push_str(rest);
    let out = out.replace("**", "").replace("__", "");
    // A single `*` or `_` marks emphasis where it touches a word on one side
    // only (“*this*”), not inside one (“snake_case”) or alone (“5 * 3”).
    let chars: Vec<char> = out.chars().collect();
    let word = |c: Option<&char>| c.is_some_and(|c| c.is_alphanumeric());
    chars
        .iter()
        .enumerate()
        .filter(|&(i, &c)| {
            let (before, after) = (
                word(i.checked_sub(1).and_then(|b| chars.get(b))),
                word(chars.get(i + 1)),
            );
            !(matches!(c, '*' | '_') && before != after)
        })
        .map(|(_, &c)| c)
        .collect()
}

/// The offset after the `>` that ends the tag whose attributes start at `from`.
fn tag_end(bytes: &[u8], from: usize) -> usize {
    let mut quote: Option<u8> = None;
    for (n, &b) in bytes[from..].iter().enumerate() {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => return from + n + 1,
            None => {}
        }
    }
    bytes.len()
}

/// The value of attribute `name` in a tag's attribute text.
fn attribute(attributes: &str, name: &str) -> Option<String> {
    let lower = attributes.to_ascii_lowercase();
    let mut at = 0;
    while let Some(found) = lower[at..].find(name) {
        let start = at + found;
        let before_ok = start == 0 || !lower.as_bytes()[start - 1].is_ascii_alphanumeric();
        let rest = attributes[start + name.len()..].trim_start();
        if before_ok && let Some(value) = rest.strip_prefix('=') {
            let value = value.trim_start();
            return Some(match value.chars().next() {
                Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or("").to_string(),
                _ => value.split_whitespace().next().unwrap_or("").to_string(),
            });
        }
        at = start + name.len();
    }
    None
}

/// Whether a piece of inline HTML opens (`Some(true)`) or closes
/// (`Some(false)`) an element whose content is not read, such as `<script>`.
pub fn hides(tag: &str) -> Option<bool> {
    let tag = tag.trim();
    let closing = tag.starts_with("</");
    let name: String = tag
        .trim_start_matches(['<', '/'])
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    HIDDEN.contains(&name.as_str()).then_some(!closing)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(html: &str) -> Vec<(Kind, String, Option<usize>)> {
        blocks(html)
            .into_iter()
            .map(|b| (b.kind, b.text, b.quote))
            .collect()
    }

    #[test]
    fn html_blocks_read_as_their_markdown_twins() {
        let html = "<figure>\n  <img src=\"x.png\" alt=\"a\">\n  <figcaption>The team at <a href=\"/x\">HQ</a> &amp; friends</figcaption>\n</figure>";
        assert_eq!(
            read(html),
            [(
                Kind::Paragraph,
                "The team at HQ & friends".to_string(),
                None
            )]
        );
        let tweet = "<blockquote class=\"twitter-tweet\"><p>Open source <a href=\"#\">wins</a>!</p>&mdash; Kim Park (@kim) <a href=\"#\">May 1, 2015</a></blockquote>\n<script async src=\"w.js\"></script>";
        assert_eq!(
            read(tweet),
            [
                (Kind::Quote, "Open source wins!".to_string(), Some(0)),
                (
                    Kind::Quote,
                    "— Kim Park (@kim) May 1, 2015".to_string(),
                    Some(0)
                ),
            ]
        );
        let pull = "<div class=\"pull-quote\"><p>“We stay put.”</p><span class=\"attribution\">Ada Quill, organiser</span></div><h2>Next</h2><ul><li>One</li></ul>";
        assert_eq!(
            read(pull),
            [
                (Kind::Quote, "“We stay put.”".to_string(), Some(0)),
                (Kind::Quote, "— Ada Quill, organiser".to_string(), Some(0)),
                (Kind::Heading(2), "Next".to_string(), None),
                (Kind::Item, "One".to_string(), None),
            ]
        );
        assert!(
            read("<div><script>alert(1)</script><style>p{}</style><!-- no --></div>").is_empty()
        );
        assert_eq!(read("<p>a < b</p>")[0].1, "a < b");
    }

    #[test]
    fn markdown_inside_an_element_that_asks_for_it_reads_as_text() {
        let html = "<blockquote class=\"note\" markdown=\"1\">\nOur advice: “Ship [small changes](https://example.org/a_b) **often**, *test* ![them](t.png).\"\n</blockquote>";
        assert_eq!(
            read(html),
            [(
                Kind::Quote,
                "Our advice: “Ship small changes often, test them.\"".to_string(),
                Some(0)
            )]
        );
        // Without the attribute, the text is as written.
        assert_eq!(
            read("<p>see [x](y) and snake_case * 2</p>")[0].1,
            "see [x](y) and snake_case * 2"
        );
        assert_eq!(
            read("<div markdown=1>see [x](y), snake_case * 2</div>")[0].1,
            "see x, snake_case * 2"
        );
    }

    #[test]
    fn ranges_point_at_the_text_in_the_html() {
        let html = "<div>\n  <p>First words</p>\n</div>";
        let b = &blocks(html)[0];
        assert_eq!(&html[b.range.clone()], "First words");
    }
}

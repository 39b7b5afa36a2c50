//! One linear pass over a BibTeX text that finds its `@kind{…}` items and,
//! for the guard, what each defines, uses, inherits from and how deep its
//! braces go, without parsing it the way biblatex does.

use std::ops::Range;

/// One `@kind{…}` of the file, as the guard sees it.
#[derive(Debug)]
pub(super) struct Item {
    /// Byte range, from the `@` to the closing brace or parenthesis; for an
    /// item that never closes, to the next line that starts with `@`.
    pub span: Range<usize>,
    /// `string`, `article`, … in lower case.
    pub kind: String,
    /// An entry's key, as written.
    pub key: String,
    /// For `@string`: the macros it defines.
    pub defines: Vec<(String, Vec<Part>)>,
    /// The macros its values use.
    pub uses: Vec<String>,
    /// Its `crossref` and `xdata` fields (the lower-case field name and the
    /// parts of its value), whose entries biblatex copies fields from.
    pub inherits: Vec<(String, Vec<Part>)>,
    /// The deepest its braces nest.
    pub depth: usize,
    /// The file ends inside it: a brace or a quote is never closed.
    pub unterminated: bool,
}

/// A piece of a value.
#[derive(Debug)]
pub(super) enum Part {
    /// Text: the bytes of a `{…}` or `"…"` (with its delimiters) or a number.
    Text(Range<usize>),
    /// A macro.
    Macro(String),
}

impl Part {
    /// How many bytes the text stands for (a macro counts as nothing).
    pub fn size(&self) -> usize {
        match self {
            Part::Text(range) => range.len(),
            Part::Macro(_) => 0,
        }
    }
}

/// The fields whose value names entries that biblatex resolves into this
/// one, recursively. (`xref` names a parent too, but nothing is copied
/// from it and nothing recurses.)
const INHERITING: [&str; 2] = ["crossref", "xdata"];

/// The `@kind{…}` items of a BibTeX text, in order: what each defines and
/// uses, and how deep its braces go. Linear in the text.
pub(super) fn scan(text: &str) -> Vec<Item> {
    let bytes = text.as_bytes();
    let mut items = Vec::new();
    let mut at = 0;
    while let Some(found) = memchr::memchr(b'@', &bytes[at..]) {
        let start = at + found;
        let mut i = start + 1;
        while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
            i += 1;
        }
        let kind = text[start + 1..i].to_ascii_lowercase();
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if kind.is_empty() || i >= bytes.len() || !matches!(bytes[i], b'{' | b'(') {
            at = start + 1;
            continue;
        }
        let close = if bytes[i] == b'{' { b'}' } else { b')' };
        let mut item = scan_item(text, start, i + 1, close, kind);
        if item.unterminated {
            // What it swallowed is read again, from the next line that
            // starts an item, so that one open quote costs one entry.
            item.span.end = next_line_start_at(text, start + 1);
        }
        at = item.span.end.max(start + 1);
        items.push(item);
    }
    items
}

/// The offset of the first `@` after `from` that starts a line, else the
/// end of `text`.
fn next_line_start_at(text: &str, from: usize) -> usize {
    memchr::memmem::find_iter(&text.as_bytes()[from..], b"\n@")
        .next()
        .map_or(text.len(), |i| from + i + 1)
}

/// One item whose body starts at `body` (after its opening mark).
fn scan_item(text: &str, start: usize, body: usize, close: u8, kind: String) -> Item {
    let bytes = text.as_bytes();
    let key_end = bytes[body..]
        .iter()
        .position(|&b| b == b',' || b == close || b == b'\n')
        .map_or(bytes.len(), |n| body + n);
    let mut item = Item {
        span: start..text.len(),
        key: text[body..key_end].trim().to_string(),
        kind,
        defines: Vec::new(),
        uses: Vec::new(),
        inherits: Vec::new(),
        depth: 1,
        unterminated: false,
    };
    let skip_comment = matches!(item.kind.as_str(), "comment" | "preamble");
    // Within the item's body (braces and quotes are skipped whole): after
    // `=` or `#` comes a value, after a value `#`, `,` or the end.
    let mut i = body;
    let mut name: Option<String> = None;
    let mut expecting_value = false;
    let mut parts: Vec<Part> = Vec::new();
    let finish = |item: &mut Item, name: &mut Option<String>, parts: &mut Vec<Part>| {
        if let Some(n) = name.take() {
            if item.kind == "string" {
                item.defines.push((n, std::mem::take(parts)));
            } else if INHERITING.contains(&n.as_str()) && !parts.is_empty() {
                item.inherits.push((n, std::mem::take(parts)));
            }
        }
        parts.clear();
    };
    while i < bytes.len() {
        let b = bytes[i];
        if b == close {
            finish(&mut item, &mut name, &mut parts);
            item.span = start..i + 1;
            return item;
        }
        match b {
            b'{' => {
                let from = i;
                let mut d = 0usize;
                while i < bytes.len() {
                    match bytes[i] {
                        b'{' => {
                            d += 1;
                            item.depth = item.depth.max(d + 1);
                        }
                        b'}' => {
                            d -= 1;
                            if d == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                if i >= bytes.len() {
                    break;
                }
                if expecting_value {
                    parts.push(Part::Text(from..i + 1));
                    expecting_value = false;
                }
                i += 1;
                continue;
            }
            b'"' if !skip_comment => {
                // As BibTeX reads it: a `"` inside braces is a character,
                // so a `{` that no `}` closes in the value runs it, and the
                // item, to the end of the file.
                let from = i;
                i += 1;
                let mut d = 0usize;
                while i < bytes.len() && !(bytes[i] == b'"' && d == 0) {
                    match bytes[i] {
                        b'{' => {
                            d += 1;
                            item.depth = item.depth.max(d + 1);
                        }
                        b'}' => d = d.saturating_sub(1),
                        _ => {}
                    }
                    i += 1;
                }
                if i >= bytes.len() {
                    break;
                }
                if expecting_value {
                    parts.push(Part::Text(from..i + 1));
                    expecting_value = false;
                }
                i += 1;
                continue;
            }
            b'=' | b'#' => expecting_value = true,
            b',' => {
                finish(&mut item, &mut name, &mut parts);
                expecting_value = false;
            }
            b if b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80 => {
                let from = i;
                while i < bytes.len() {
                    let c = bytes[i];
                    let word = c.is_ascii_alphanumeric() || c >= 0x80 || b"_-.:/+'".contains(&c);
                    if !word {
                        break;
                    }
                    i += 1;
                }
                let word = &text[from..i];
                if expecting_value {
                    if word.bytes().all(|c| c.is_ascii_digit()) {
                        parts.push(Part::Text(from..i));
                    } else {
                        let lower = word.to_ascii_lowercase();
                        parts.push(Part::Macro(lower.clone()));
                        if !skip_comment {
                            item.uses.push(lower);
                        }
                    }
                    expecting_value = false;
                } else {
                    name = Some(word.to_ascii_lowercase());
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    finish(&mut item, &mut name, &mut parts);
    item.unterminated = true;
    item
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_item_that_never_closes_is_marked_and_the_next_line_starting_an_item_read_again() {
        let text = "@string{a = \"{\" # a}\n@book{x, title = a}\n";
        let items = scan(text);
        assert_eq!(items.len(), 2, "{items:?}");
        assert!(items[0].unterminated);
        assert_eq!(&text[items[0].span.clone()], "@string{a = \"{\" # a}\n");
        assert!(!items[1].unterminated);
        assert_eq!(items[1].key, "x");
    }

    #[test]
    fn crossref_and_xdata_fields_are_recorded() {
        let text = "@inbook{c, CrossRef = {p}, xdata = \"d1,d2\", xref = {q}, title = {T}}";
        let items = scan(text);
        let fields: Vec<&str> = items[0].inherits.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["crossref", "xdata"]);
        assert_eq!(items[0].key, "c");
    }
}

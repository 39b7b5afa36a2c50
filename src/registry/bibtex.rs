//! BibTeX and BibLaTeX files, as Zotero and other reference managers
//! export them, read through the biblatex crate.
//!
//! Before the file is parsed, its `@string` macros are checked: a macro
//! that refers to itself, nests deeper than [`MAX_NESTING`] or expands past
//! [`MAX_EXPANSION`] bytes (an entry too), and an entry whose braces nest
//! deeper than [`MAX_BRACES`], is reported with its line and blanked out of
//! the text, so that a two-line file cannot overflow the stack and a
//! 650-byte one cannot grow to gigabytes. The rest is read as it stands.

use std::borrow::Cow;
use std::collections::HashMap;

use hayagriva::types::EntryType;

use super::{line_at, problem};
use crate::error::{Error, Result};
use crate::source::{Source, SourceKind};

/// How deep macros may refer to macros.
pub const MAX_NESTING: usize = 32;
/// How many bytes a macro, or an entry with its macros, may expand to.
pub const MAX_EXPANSION: usize = 1 << 20;
/// How deep braces may nest in an entry.
pub const MAX_BRACES: usize = 100;

/// Parses BibTeX or BibLaTeX; `display` names the file in errors. Entries
/// that are wrong are reported and skipped, and the others are read.
pub fn parse(text: &str, display: &str) -> (Vec<Source>, Vec<Error>) {
    let (text, mut problems) = guard(text, display);
    match parse_strict(&text, display) {
        Ok(sources) => (sources, problems),
        Err(e) => {
            // Keep the entries that do parse on their own.
            let sources = entries(&text)
                .filter_map(|chunk| parse_strict(chunk, display).ok())
                .flatten()
                .collect();
            problems.push(e);
            (sources, problems)
        }
    }
}

/// The entries of a BibTeX file, each from an `@` at the start of a line to
/// the next.
fn entries(text: &str) -> impl Iterator<Item = &str> {
    let starts = entry_starts(text);
    (0..starts.len().saturating_sub(1)).map(move |i| &text[starts[i]..starts[i + 1]])
}

/// Where the entries of [`entries`] start, and the end of the text.
fn entry_starts(text: &str) -> Vec<usize> {
    text.match_indices('@')
        .map(|(i, _)| i)
        .filter(|&i| i == 0 || text[..i].ends_with('\n'))
        .chain([text.len()])
        .collect()
}

/// Parses the whole of `text`, failing on its first problem.
fn parse_strict(text: &str, display: &str) -> Result<Vec<Source>> {
    let starts = entry_starts(text);
    let error = |offset: usize, message: String| {
        let line = line_at(text, offset);
        // An entry left open is only noticed at the end of the file: say
        // where it began.
        let entries = &starts[..starts.len() - 1];
        let opened = entries[..entries.partition_point(|&s| s <= offset)]
            .last()
            .map(|&start| line_at(text, start))
            .filter(|&start| start != line);
        problem(
            display,
            opened.unwrap_or(line),
            match opened {
                Some(_) => format!("{message} (in the entry that starts on this line)"),
                None => message,
            },
        )
    };
    let bibliography = biblatex::Bibliography::parse(text)
        .map_err(|e| error(e.span.start, format!("bad BibTeX: {}", e.kind)))?;
    let mut sources = Vec::new();
    for entry in bibliography.iter() {
        let converted: hayagriva::Entry = entry.try_into().map_err(|e: biblatex::TypeError| {
            error(
                e.span.start,
                format!("bad BibTeX entry `{}`: {}", entry.key, e.kind),
            )
        })?;
        sources.push(from_hayagriva(&converted));
    }
    Ok(sources)
}

/// One `@kind{…}` of the file, as the guard sees it.
#[derive(Debug)]
struct Item {
    /// Byte range, from the `@` to the closing brace or parenthesis.
    span: std::ops::Range<usize>,
    /// `string`, `article`, … in lower case.
    kind: String,
    /// For `@string`: the macros it defines.
    defines: Vec<(String, Vec<Part>)>,
    /// The macros its values use.
    uses: Vec<String>,
    /// The deepest its braces nest.
    depth: usize,
}

/// A piece of a macro's value.
#[derive(Debug)]
enum Part {
    /// So many bytes of text.
    Text(usize),
    /// Another macro.
    Macro(String),
}

/// What each macro expands to: its size and how deep it nests.
type Sizes = HashMap<String, std::result::Result<(usize, usize), Unbounded>>;

/// Why a macro cannot be expanded.
#[derive(Debug, Clone)]
enum Unbounded {
    Cycle(String),
    TooDeep,
    /// The walk went deeper than the bound before it found the bottom.
    Cut,
    TooLarge,
    Uses(String),
}

impl std::fmt::Display for Unbounded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unbounded::Cycle(name) => write!(f, "refers to itself through `{name}`"),
            Unbounded::TooDeep | Unbounded::Cut => {
                write!(f, "nests macros deeper than {MAX_NESTING}")
            }
            Unbounded::TooLarge => write!(f, "expands past {MAX_EXPANSION} bytes"),
            Unbounded::Uses(name) => write!(f, "uses the macro `{name}`, which cannot be expanded"),
        }
    }
}

/// Finds the items that cannot be parsed safely and blanks them (keeping
/// the line breaks, so that lines still count), with a problem for each.
fn guard<'t>(text: &'t str, display: &str) -> (Cow<'t, str>, Vec<Error>) {
    let items = scan(text);
    let mut macros: HashMap<&str, &[Part]> = HashMap::new();
    for item in &items {
        for (name, parts) in &item.defines {
            macros.insert(name, parts);
        }
    }
    let mut sizes = Sizes::new();
    let mut bad: Vec<(&Item, String)> = Vec::new();
    for item in &items {
        let why = if item.depth > MAX_BRACES {
            Err(format!("its braces nest deeper than {MAX_BRACES}"))
        } else if item.kind == "string" {
            // A definition is checked by expanding what it defines.
            item.defines
                .iter()
                .try_for_each(|(name, _)| {
                    expand(name, &macros, &mut sizes, &mut Vec::new()).map(|_| ())
                })
                .map_err(|e| e.to_string())
        } else {
            let mut total = item.span.len();
            let mut why = Ok(());
            for name in &item.uses {
                match expand(name, &macros, &mut sizes, &mut Vec::new()) {
                    Ok((size, _)) => total = total.saturating_add(size),
                    Err(_) => {
                        why = Err(Unbounded::Uses(name.clone()).to_string());
                        break;
                    }
                }
            }
            why.and_then(|()| {
                (total <= MAX_EXPANSION)
                    .then_some(())
                    .ok_or_else(|| Unbounded::TooLarge.to_string())
            })
        };
        if let Err(why) = why {
            bad.push((item, why));
        }
    }
    if bad.is_empty() {
        return (Cow::Borrowed(text), vec![]);
    }
    let mut blanked = text.as_bytes().to_vec();
    let mut problems = Vec::new();
    // Lines counted as the items come, in order, not from the start each time.
    let (mut counted, mut line) = (0, 1);
    for (item, why) in bad {
        line += memchr::memchr_iter(b'\n', &text.as_bytes()[counted..item.span.start]).count();
        counted = item.span.start;
        let what = if item.kind == "string" {
            let names: Vec<&str> = item.defines.iter().map(|(n, _)| n.as_str()).collect();
            format!("the macro `{}`", names.join("`, `"))
        } else {
            format!("this @{} entry", item.kind)
        };
        problems.push(problem(
            display,
            line,
            format!("bad BibTeX: {what} {why}; it is skipped"),
        ));
        // Byte for byte, so that the text keeps its length and its lines:
        // spaces in place of every byte of a character are still UTF-8.
        for b in &mut blanked[item.span.clone()] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
    }
    let blanked = String::from_utf8(blanked)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    (Cow::Owned(blanked), problems)
}

/// The size `name` expands to and how deep its macros nest, bounded in
/// both, remembered.
fn expand(
    name: &str,
    macros: &HashMap<&str, &[Part]>,
    sizes: &mut Sizes,
    visiting: &mut Vec<String>,
) -> std::result::Result<(usize, usize), Unbounded> {
    if let Some(size) = sizes.get(name) {
        return size.clone();
    }
    if visiting.iter().any(|v| v == name) {
        return Err(Unbounded::Cycle(name.to_string()));
    }
    // Bounds this function's own recursion, whatever order the file
    // defines its macros in.
    if visiting.len() > MAX_NESTING {
        return Err(Unbounded::Cut);
    }
    // A name no @string defines is a month or a BibLaTeX constant.
    let Some(parts) = macros.get(name) else {
        return Ok((name.len(), 0));
    };
    visiting.push(name.to_string());
    let mut total: std::result::Result<(usize, usize), Unbounded> = Ok((0, 1));
    for part in parts.iter() {
        let part = match part {
            Part::Text(n) => Ok((*n, 0)),
            Part::Macro(other) => expand(other, macros, sizes, visiting),
        };
        total = match (total, part) {
            (Ok((size, depth)), Ok((s, d))) => {
                let (size, depth) = (size.saturating_add(s), depth.max(d + 1));
                if size > MAX_EXPANSION {
                    Err(Unbounded::TooLarge)
                } else if depth > MAX_NESTING {
                    Err(Unbounded::TooDeep)
                } else {
                    Ok((size, depth))
                }
            }
            (Ok(_), Err(e)) | (Err(e), _) => Err(e),
        };
        if total.is_err() {
            break;
        }
    }
    visiting.pop();
    // Cut short by the depth of this walk, not by the macro's own: a walk
    // from elsewhere may find it fine.
    if !matches!(total, Err(Unbounded::Cut)) {
        sizes.insert(name.to_string(), total.clone());
    }
    total
}

/// The `@kind{…}` items of a BibTeX text, in order: what each defines and
/// uses, and how deep its braces go. Linear in the text.
fn scan(text: &str) -> Vec<Item> {
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
        let item = scan_item(text, start, i + 1, close, kind);
        at = item.span.end.max(start + 1);
        items.push(item);
    }
    items
}

/// One item whose body starts at `body` (after its opening mark).
fn scan_item(text: &str, start: usize, body: usize, close: u8, kind: String) -> Item {
    let bytes = text.as_bytes();
    let mut item = Item {
        span: start..text.len(),
        kind,
        defines: Vec::new(),
        uses: Vec::new(),
        depth: 1,
    };
    let skip_comment = matches!(item.kind.as_str(), "comment" | "preamble");
    // Within the item's body (braces and quotes are skipped whole): after
    // `=` or `#` comes a value, after a value `#`, `,` or the end.
    let mut i = body;
    let mut name: Option<String> = None;
    let mut expecting_value = false;
    let mut parts: Vec<Part> = Vec::new();
    let finish = |item: &mut Item, name: &mut Option<String>, parts: &mut Vec<Part>| {
        if item.kind == "string"
            && let Some(n) = name.take()
        {
            item.defines.push((n, std::mem::take(parts)));
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
                if expecting_value {
                    parts.push(Part::Text(i.min(bytes.len()) - from));
                    expecting_value = false;
                }
                i += 1;
                continue;
            }
            b'"' if !skip_comment => {
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
                if expecting_value {
                    parts.push(Part::Text(i.min(bytes.len()) - from));
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
                        parts.push(Part::Text(word.len()));
                    } else {
                        let lower = word.to_ascii_lowercase();
                        parts.push(Part::Macro(lower.clone()));
                        if !skip_comment {
                            item.uses.push(lower);
                        }
                    }
                    expecting_value = false;
                } else if item.kind == "string" {
                    name = Some(word.to_ascii_lowercase());
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    finish(&mut item, &mut name, &mut parts);
    item
}
/// The source that a hayagriva entry describes.
fn from_hayagriva(entry: &hayagriva::Entry) -> Source {
    let text = |s: Option<&hayagriva::types::FormatString>| {
        s.map(|s| s.to_string()).filter(|s| !s.trim().is_empty())
    };
    let kind = match entry.entry_type() {
        EntryType::Article | EntryType::Chapter | EntryType::Entry | EntryType::Anthos => {
            SourceKind::Article
        }
        EntryType::Book | EntryType::Anthology | EntryType::Proceedings | EntryType::Thesis => {
            SourceKind::Book
        }
        EntryType::Report | EntryType::Manuscript => SourceKind::Handbook,
        _ => SourceKind::WebPage,
    };
    // A journal article's journal, a chapter's book: the parent's title.
    let container = entry
        .parents()
        .iter()
        .find_map(|p| text(p.title()))
        .or_else(|| text(entry.organization()));
    let publisher = entry.publisher().and_then(|p| text(p.name())).or_else(|| {
        entry
            .parents()
            .iter()
            .find_map(|p| p.publisher().and_then(|p| text(p.name())))
    });
    let date = entry
        .date()
        .or_else(|| entry.parents().iter().find_map(|p| p.date()))
        .map(|d| d.to_string().trim_start_matches('~').to_string());
    let volume = entry
        .volume()
        .or_else(|| entry.parents().iter().find_map(|p| p.volume()))
        .map(|v| v.to_string());
    let authors = entry
        .authors()
        .unwrap_or_default()
        .iter()
        .map(|p| p.given_first(false))
        .collect();
    Source {
        id: entry.key().to_string(),
        kind,
        title: text(entry.title()),
        authors,
        container,
        publisher,
        date,
        volume,
        pages: entry.page_range().map(|p| p.to_string()),
        url: entry.url().map(|u| u.value.to_string()),
        note: text(entry.note()),
        ..Source::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BIB: &str = r#"% Exported from Zotero
@article{hermes2016,
  title = {Collective Action Behind Bars},
  author = {Hermes, Kris},
  journaltitle = {Upping the Anti: A Journal of Theory and Action},
  date = {2016-07},
  volume = {18},
  pages = {47--60},
  url = {https://uppingtheanti.org/journal/article/18-collective-action-behind-bars},
}

@book{boyle1660,
  title = {New Experiments Physico-Mechanical, Touching the Spring of the Air},
  author = {Boyle, Robert},
  publisher = {H. Hall},
  year = {1660},
}
"#;

    #[test]
    fn bibtex_entries_become_sources() {
        let sources = parse_strict(BIB, "refs.bib").unwrap();
        assert_eq!(sources.len(), 2);
        let hermes = &sources[0];
        assert_eq!(hermes.id, "hermes2016");
        assert_eq!(hermes.kind, SourceKind::Article);
        assert_eq!(
            hermes.title.as_deref(),
            Some("Collective Action Behind Bars")
        );
        assert_eq!(hermes.authors, ["Kris Hermes"]);
        assert_eq!(
            hermes.container.as_deref(),
            Some("Upping the Anti: A Journal of Theory and Action")
        );
        assert_eq!(hermes.date.as_deref(), Some("2016-07"));
        assert_eq!(hermes.volume.as_deref(), Some("18"));
        assert_eq!(hermes.pages.as_deref(), Some("47-60"));
        assert_eq!(hermes.short_label(), "Hermes 2016");
        let boyle = &sources[1];
        assert_eq!(boyle.kind, SourceKind::Book);
        assert_eq!(boyle.publisher.as_deref(), Some("H. Hall"));
        assert_eq!(boyle.date.as_deref(), Some("1660"));
    }

    #[test]
    fn bibtex_errors_name_the_line() {
        let broken = "@book{a,\n  title = {A},\n}\n\n@article{b,\n  title = {B\n";
        let Error::Corpus { line, message, .. } = parse_strict(broken, "refs.bib").unwrap_err()
        else {
            panic!()
        };
        assert_eq!(line, 5, "{message}");
        assert!(message.contains("BibTeX"), "{message}");
        // The good entry is kept.
        let (sources, problems) = parse(broken, "refs.bib");
        assert_eq!(sources.len(), 1);
        assert_eq!(sources[0].id, "a");
        assert_eq!(problems.len(), 1);
    }

    fn problems_of(text: &str) -> (Vec<String>, Vec<(usize, String)>) {
        let (sources, problems) = parse(text, "refs.bib");
        let ids = sources.into_iter().map(|s| s.id).collect();
        let problems = problems
            .into_iter()
            .map(|e| match e {
                Error::Corpus { line, message, .. } => (line, message),
                other => panic!("{other}"),
            })
            .collect();
        (ids, problems)
    }

    // Regression: `@string{a = a}` and an entry that used it overflowed the
    // stack inside biblatex and killed the process (exit 134).
    #[test]
    fn a_macro_that_refers_to_itself_is_skipped_with_what_uses_it() {
        let text = "@string{a = a}\n@book{x, title = a}\n@book{y, title = {Kept}}\n";
        let (ids, problems) = problems_of(text);
        assert_eq!(ids, ["y"]);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(problems[0].0, 1);
        assert!(problems[0].1.contains("refers to itself"), "{problems:?}");
        assert_eq!(problems[1].0, 2);
        assert!(problems[1].1.contains("uses the macro `a`"), "{problems:?}");
        let (_, problems) =
            problems_of("@string{a = b}\n@string{b = \"x\" # a}\n@book{z, title=b}\n");
        assert!(
            problems.iter().any(|p| p.1.contains("refers to itself")),
            "{problems:?}"
        );
    }

    // Regression: a 650-byte file of macros that each double the one before
    // grew to 4 GB in memory and aborted.
    #[test]
    fn a_macro_that_doubles_past_the_bound_is_skipped() {
        let mut text = String::from("@string{s0 = \"xxxxxxxxxxxxxxxx\"}\n");
        for n in 1..=24 {
            text.push_str(&format!("@string{{s{n} = s{} # s{}}}\n", n - 1, n - 1));
        }
        text.push_str("@book{bomb, title = s24}\n@book{fine, title = s2}\n");
        let (ids, problems) = problems_of(&text);
        assert_eq!(ids, ["fine"]);
        assert!(
            problems.iter().any(|p| p.1.contains("expands past")),
            "{problems:?}"
        );
        assert!(
            problems.iter().any(|p| p.0 == 26 && p.1.contains("@book")),
            "{problems:?}"
        );
        // A chain deeper than the bound, without doubling.
        let mut deep = String::from("@string{m0 = \"x\"}\n");
        for n in 1..=200 {
            deep.push_str(&format!("@string{{m{n} = m{}}}\n", n - 1));
        }
        // The same defined deepest first, twenty thousand deep.
        let mut reversed = String::new();
        for n in (1..=20_000).rev() {
            reversed.push_str(&format!("@string{{r{n} = r{}}}\n", n - 1));
        }
        reversed.push_str("@string{r0 = \"x\"}\n@book{r, title = r20000}\n");
        let (ids, problems) = problems_of(&reversed);
        assert!(ids.is_empty(), "{ids:?}");
        assert!(problems.iter().any(|p| p.1.contains("deeper than")));
        deep.push_str("@book{deep, title = m200}\n");
        let (ids, problems) = problems_of(&deep);
        assert!(ids.is_empty());
        assert!(
            problems.iter().any(|p| p.1.contains("deeper than")),
            "{problems:?}"
        );
    }

    #[test]
    fn braces_nested_past_the_bound_skip_their_entry() {
        let deep = format!(
            "@book{{a, title = {}x{}}}\n@book{{b, title = {{B}}}}\n",
            "{".repeat(5000),
            "}".repeat(5000)
        );
        let (ids, problems) = problems_of(&deep);
        assert_eq!(ids, ["b"]);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].0, 1);
    }

    #[test]
    fn macros_that_are_fine_are_expanded() {
        let (sources, problems) = parse(
            "@string{jt = \"Journal of \" # \"Things\"}\n@article{a, title = {A}, journal = jt, year = 2001, month = jan}\n",
            "refs.bib",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(sources[0].container.as_deref(), Some("Journal of Things"));
    }
}

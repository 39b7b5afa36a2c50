//! The guard: what in a BibTeX text biblatex cannot be given safely, found
//! before it is parsed, and blanked out with a problem for each.

use std::borrow::Cow;
use std::collections::HashMap;

use super::inherit;
use super::scan::{Item, Part, scan};
use super::{MAX_BRACES, MAX_EXPANSION, MAX_NESTING};
use crate::error::Error;
use crate::registry::problem;

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
pub(super) fn guard<'t>(text: &'t str, display: &str) -> (Cow<'t, str>, Vec<Error>) {
    let items = scan(text);
    let mut macros: HashMap<&str, &[Part]> = HashMap::new();
    for item in &items {
        for (name, parts) in &item.defines {
            macros.insert(name, parts);
        }
    }
    let mut sizes = Sizes::new();
    let mut whys: Vec<Option<String>> = Vec::with_capacity(items.len());
    for item in &items {
        let why = if item.unterminated {
            Err("never closes (a brace or a quote is left open)".to_string())
        } else if item.depth > MAX_BRACES {
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
        whys.push(why.err());
    }
    // An entry that inherits from itself, or through too long or too wide
    // a tree of entries, would make biblatex recurse without bound.
    for (why, inherited) in whys.iter_mut().zip(inherit::check(text, &items, &macros)) {
        if why.is_none() {
            *why = inherited;
        }
    }
    let bad: Vec<(&Item, String)> = items
        .iter()
        .zip(whys)
        .filter_map(|(item, why)| Some((item, why?)))
        .collect();
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
            Part::Text(_) => Ok((part.size(), 0)),
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

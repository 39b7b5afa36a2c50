//! Inheritance between entries: `crossref = {parent}` and `xdata = {a, b}`
//! make biblatex copy fields from the entries named, after resolving
//! theirs, recursively and without memory. An entry that inherits from
//! itself overflows the stack; a chain thousands long, or `xdata` that
//! names the same entry twice at every level, costs time without bound.
//! So the chains are walked here first, depth-first and remembered, each
//! bounded by [`MAX_INHERITANCE`] in depth and [`MAX_INHERITED`] in the
//! entries it resolves.

use std::collections::HashMap;

use super::scan::{Item, Part};
use super::{MAX_INHERITANCE, MAX_INHERITED, MAX_NESTING};

/// Longest key a `crossref` or `xdata` value is read into.
const MAX_KEYS_LEN: usize = 4096;

/// Why an entry's inheritance cannot be resolved.
#[derive(Debug, Clone)]
enum Unresolvable {
    /// The keys from the entry round to itself.
    Cycle(Vec<String>),
    TooDeep,
    /// The walk went deeper than the bound before it found the bottom
    /// (true of where the walk started, not of the entries on its way).
    Cut,
    TooWide,
    /// It inherits from an entry that cannot be resolved.
    From(String),
}

impl std::fmt::Display for Unresolvable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unresolvable::Cycle(path) => write!(
                f,
                "inherits from itself through crossref or xdata (`{}`)",
                path.join("` → `")
            ),
            Unresolvable::TooDeep | Unresolvable::Cut => write!(
                f,
                "inherits through a chain of crossref or xdata deeper than {MAX_INHERITANCE}"
            ),
            Unresolvable::TooWide => write!(
                f,
                "inherits from more than {MAX_INHERITED} entries through crossref or xdata"
            ),
            Unresolvable::From(key) => write!(
                f,
                "inherits from `{key}`, whose crossref or xdata cannot be resolved"
            ),
        }
    }
}

/// How far an entry's inheritance reaches: the longest chain below it and
/// how many entries biblatex resolves into it, repeats counted.
type Reach = Result<(usize, usize), Unresolvable>;

/// For each item, why its inheritance cannot be resolved, if it cannot.
/// Linear in the items: each entry's walk stops at the bounds, and what a
/// walk learns of the entries it passes is kept.
pub(super) fn check(
    text: &str,
    items: &[Item],
    macros: &HashMap<&str, &[Part]>,
) -> Vec<Option<String>> {
    check_counting(text, items, macros).0
}

/// [`check`], and how many steps its walks took.
fn check_counting(
    text: &str,
    items: &[Item],
    macros: &HashMap<&str, &[Part]>,
) -> (Vec<Option<String>>, usize) {
    let is_entry = |item: &Item| !matches!(item.kind.as_str(), "string" | "comment" | "preamble");
    if !items
        .iter()
        .any(|item| is_entry(item) && !item.inherits.is_empty())
    {
        return (vec![None; items.len()], 0);
    }
    // biblatex refuses a file with a key twice, so the first one is it.
    let mut by_key: HashMap<&str, usize> = HashMap::new();
    for (n, item) in items.iter().enumerate() {
        if is_entry(item) {
            by_key.entry(item.key.as_str()).or_insert(n);
        }
    }
    let parents: Vec<Vec<usize>> = items
        .iter()
        .map(|item| {
            let mut out = Vec::new();
            if !is_entry(item) {
                return out;
            }
            for (field, parts) in &item.inherits {
                let value = literal(text, parts, macros);
                let keys: Vec<&str> = if field == "xdata" {
                    value.split(',').collect()
                } else {
                    vec![value.as_str()]
                };
                out.extend(keys.iter().filter_map(|k| by_key.get(k.trim()).copied()));
            }
            out
        })
        .collect();
    let mut walk = Walk {
        items,
        parents: &parents,
        known: vec![None; items.len()],
        visiting: Vec::new(),
        steps: 0,
    };
    let whys = (0..items.len())
        .map(|n| match walk.reach(n) {
            Ok(_) => None,
            Err(why) => {
                let why = match why {
                    Unresolvable::Cut => Unresolvable::TooDeep,
                    why => why,
                };
                walk.known[n] = Some(Err(why.clone()));
                Some(why.to_string())
            }
        })
        .collect();
    (whys, walk.steps)
}

/// A depth-first walk of the inheritance, remembering what it learns.
struct Walk<'a> {
    items: &'a [Item],
    parents: &'a [Vec<usize>],
    known: Vec<Option<Reach>>,
    visiting: Vec<usize>,
    /// Calls of [`Walk::reach`], to show the work is bounded.
    steps: usize,
}

impl Walk<'_> {
    fn reach(&mut self, n: usize) -> Reach {
        self.steps += 1;
        if let Some(reach) = &self.known[n] {
            return reach.clone();
        }
        if let Some(at) = self.visiting.iter().position(|&v| v == n) {
            let mut path: Vec<String> = self.visiting[at..]
                .iter()
                .map(|&v| self.items[v].key.clone())
                .collect();
            path.push(self.items[n].key.clone());
            return Err(Unresolvable::Cycle(path));
        }
        // Bounds the walk's own recursion too.
        if self.visiting.len() > MAX_INHERITANCE {
            return Err(Unresolvable::Cut);
        }
        self.visiting.push(n);
        let mut reach: Reach = Ok((0, 0));
        for &parent in &self.parents[n] {
            let (depth, count) = match reach {
                Ok(r) => r,
                Err(_) => break,
            };
            reach = match self.reach(parent) {
                Ok((d, _)) if d + 1 > MAX_INHERITANCE => Err(Unresolvable::TooDeep),
                Ok((_, c)) if count + c + 1 > MAX_INHERITED => Err(Unresolvable::TooWide),
                Ok((d, c)) => Ok((depth.max(d + 1), count + c + 1)),
                Err(Unresolvable::Cut) => Err(Unresolvable::Cut),
                Err(Unresolvable::Cycle(path)) if path.contains(&self.items[n].key) => {
                    Err(Unresolvable::Cycle(path))
                }
                Err(_) => Err(Unresolvable::From(self.items[parent].key.clone())),
            };
        }
        self.visiting.pop();
        if !matches!(reach, Err(Unresolvable::Cut)) {
            self.known[n] = Some(reach.clone());
        }
        reach
    }
}

/// The text of a value: its pieces joined, macros expanded (bounded; the
/// macros themselves are checked apart), braces and quotes dropped.
fn literal(text: &str, parts: &[Part], macros: &HashMap<&str, &[Part]>) -> String {
    fn push(
        out: &mut String,
        text: &str,
        parts: &[Part],
        macros: &HashMap<&str, &[Part]>,
        depth: usize,
    ) {
        for part in parts {
            if out.len() > MAX_KEYS_LEN {
                return;
            }
            match part {
                Part::Text(range) => {
                    out.extend(
                        text[range.clone()]
                            .chars()
                            .filter(|c| !matches!(c, '{' | '}' | '"')),
                    );
                }
                Part::Macro(name) => match macros.get(name.as_str()) {
                    Some(inner) if depth < MAX_NESTING => push(out, text, inner, macros, depth + 1),
                    Some(_) => {}
                    None => out.push_str(name),
                },
            }
        }
    }
    let mut out = String::new();
    push(&mut out, text, parts, macros, 0);
    out
}

#[cfg(test)]
mod tests {
    use super::super::scan::scan;
    use super::*;

    fn whys_and_steps(text: &str) -> (Vec<Option<String>>, usize) {
        let items = scan(text);
        check_counting(text, &items, &HashMap::new())
    }

    // Regression: a 5,000-long crossref chain took about 60 s in biblatex,
    // which resolves every entry's chain again from the start.
    #[test]
    fn a_long_chain_is_cut_at_the_bound_in_linear_work() {
        let n = 5000;
        let mut text = String::new();
        for k in 0..n {
            text.push_str(&format!(
                "@book{{c{k}, crossref = {{c{}}}, title = {{T}}}}\n",
                k + 1
            ));
        }
        text.push_str(&format!("@book{{c{n}, title = {{Root}}}}\n"));
        let (whys, steps) = whys_and_steps(&text);
        let kept: Vec<usize> = (0..=n).filter(|&k| whys[k].is_none()).collect();
        assert_eq!(kept, (n - MAX_INHERITANCE..=n).collect::<Vec<_>>());
        assert!(
            whys[0].as_deref().unwrap().contains("deeper than 8"),
            "{whys:?}"
        );
        assert!(steps <= (n + 1) * (MAX_INHERITANCE + 2), "{steps} steps");
    }

    // Regression: 26 `@xdata{eN, xdata = {eN+1, eN+1}}` took time
    // exponential in their number.
    #[test]
    fn xdata_that_doubles_is_cut_at_the_bound_in_linear_work() {
        let n = 26;
        let mut text = String::new();
        for k in 0..n {
            text.push_str(&format!("@xdata{{e{k}, xdata = {{e{0},e{0}}}}}\n", k + 1));
        }
        text.push_str(&format!("@xdata{{e{n}, note = {{N}}}}\n"));
        let (whys, steps) = whys_and_steps(&text);
        assert!(whys[0].is_some() && whys[n].is_none(), "{whys:?}");
        assert!(
            whys.iter()
                .flatten()
                .any(|w| w.contains("more than 64 entries")),
            "{whys:?}"
        );
        assert!(
            steps <= (n + 1) * (MAX_INHERITANCE + 2) * 2,
            "{steps} steps"
        );
    }

    #[test]
    fn a_cycle_names_its_keys_and_what_leads_into_it_names_the_entry() {
        let text =
            "@book{a, xdata = {b}}\n@book{b, xdata = {a}}\n@book{c, crossref = {a}}\n@book{d}\n";
        let (whys, _) = whys_and_steps(text);
        assert!(
            whys[0].as_deref().unwrap().contains("(`a` → `b` → `a`)"),
            "{whys:?}"
        );
        assert!(whys[1].as_deref().unwrap().contains("itself"), "{whys:?}");
        assert!(whys[2].as_deref().unwrap().contains("from `a`"), "{whys:?}");
        assert!(whys[3].is_none());
    }

    #[test]
    fn a_key_given_by_a_macro_is_followed() {
        let text = "@string{k = \"s\" # \"elf\"}\n@book{self, crossref = k}\n";
        let items = scan(text);
        let macros: HashMap<&str, &[Part]> = items
            .iter()
            .flat_map(|i| i.defines.iter().map(|(n, p)| (n.as_str(), p.as_slice())))
            .collect();
        let (whys, _) = check_counting(text, &items, &macros);
        assert!(whys[1].as_deref().unwrap().contains("itself"), "{whys:?}");
    }
}

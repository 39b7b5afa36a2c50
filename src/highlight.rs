//! Highlight: which words of a passage a query matched, and the snippet
//! that shows them.
//!
//! Single words are marked as typed or by stem, phrases only where the
//! whole phrase stands (within its slop), prefixes where a word starts
//! with them; a snippet is the window of a long passage with the most
//! marks, cut at word boundaries.

use std::collections::HashSet;

use serde::Serialize;
use tantivy::query::Query;
use tantivy::query_grammar::{self, UserInputAst, UserInputLeaf, UserInputLiteral};

use crate::index::Index;
use crate::token;

/// Length of a snippet, in bytes of text, when the passage is longer.
const SNIPPET_BYTES: usize = 280;

/// A piece of a snippet.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct Fragment {
    /// The text.
    pub text: String,
    /// Whether it matched the query.
    pub highlighted: bool,
}

/// Marks the words of a text that a query matched: single words as typed
/// or by stem, phrases only where the whole phrase stands, prefixes.
#[derive(Debug, Default)]
pub struct Highlighter {
    exact: HashSet<String>,
    stemmed: HashSet<String>,
    prefixes: Vec<String>,
    phrases: Vec<Phrase>,
}

/// A phrase to mark: its words, in one field's form.
#[derive(Debug)]
struct Phrase {
    stemmed: bool,
    words: Vec<String>,
    slop: usize,
    prefix: bool,
}

impl Highlighter {
    /// Marks the terms of a query built in code (no phrases, no prefixes).
    pub fn for_terms(query: &dyn Query, index: &Index) -> Self {
        let fields = index.fields();
        let mut highlighter = Highlighter::default();
        query.query_terms(&mut |term, _| {
            let value = term.value();
            let Some(text) = value.as_str() else { return };
            if term.field() == fields.stem {
                highlighter.stemmed.insert(text.to_string());
            } else if term.field() == fields.text || term.field() == fields.quote {
                highlighter.exact.insert(text.to_string());
            }
        });
        highlighter
    }

    /// Marks what the query `ast` looks for, but not the words it excludes.
    pub fn of(ast: &UserInputAst) -> Self {
        let mut highlighter = Highlighter::default();
        highlighter.collect(ast, false);
        highlighter
    }

    fn collect(&mut self, ast: &UserInputAst, excluded: bool) {
        match ast {
            UserInputAst::Clause(clauses) => {
                for (occur, sub) in clauses {
                    let excluded = excluded || *occur == Some(query_grammar::Occur::MustNot);
                    self.collect(sub, excluded);
                }
            }
            UserInputAst::Boost(sub, _) => self.collect(sub, excluded),
            UserInputAst::Leaf(leaf) => {
                if let UserInputLeaf::Literal(literal) = &**leaf
                    && !excluded
                {
                    self.add(literal);
                }
            }
        }
    }

    fn add(&mut self, literal: &UserInputLiteral) {
        // Only the fields holding the passage text can be marked in it.
        let (exact, stemmed) = match literal.field_name.as_deref() {
            None => (true, true),
            Some("text" | "quote") => (true, false),
            Some("stem") => (false, true),
            Some(_) => return,
        };
        let forms = [
            (false, exact, token::words(&literal.phrase)),
            (true, stemmed, token::stemmed_words(&literal.phrase)),
        ];
        for (is_stem, wanted, words) in forms {
            if !wanted {
                continue;
            }
            let words: Vec<String> = words.into_iter().map(|w| w.text).collect();
            match words.as_slice() {
                [] => {}
                // A prefix is typed, not stemmed: take it from the exact form.
                [word] if literal.prefix => {
                    if !is_stem {
                        self.prefixes.push(word.clone());
                    }
                }
                [word] if is_stem => {
                    self.stemmed.insert(word.clone());
                }
                [word] => {
                    self.exact.insert(word.clone());
                }
                _ if literal.prefix && is_stem => {}
                _ => self.phrases.push(Phrase {
                    stemmed: is_stem,
                    words,
                    slop: literal.slop as usize,
                    prefix: literal.prefix,
                }),
            }
        }
    }

    /// Byte ranges of the matched words and phrases in `text`, in order,
    /// not overlapping.
    pub fn matches(&self, text: &str) -> Vec<std::ops::Range<usize>> {
        let words = token::words(text);
        let needs_stems = !self.stemmed.is_empty() || self.phrases.iter().any(|p| p.stemmed);
        let stems = if needs_stems {
            token::stemmed_words(text)
        } else {
            vec![]
        };
        let mut ranges: Vec<std::ops::Range<usize>> = Vec::new();
        for (i, w) in words.iter().enumerate() {
            let stem_hit = stems
                .get(i)
                .is_some_and(|s| s.span == w.span && self.stemmed.contains(&s.text));
            if self.exact.contains(&w.text)
                || w.base.as_ref().is_some_and(|b| self.exact.contains(b))
                || stem_hit
                || self.prefixes.iter().any(|p| w.text.starts_with(p.as_str()))
            {
                ranges.push(w.span.clone());
            }
        }
        for phrase in &self.phrases {
            let tokens = if phrase.stemmed { &stems } else { &words };
            ranges.extend(phrase.find(tokens));
        }
        ranges.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
        let mut merged: Vec<std::ops::Range<usize>> = Vec::with_capacity(ranges.len());
        for r in ranges {
            match merged.last_mut() {
                Some(last) if r.start < last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        merged
    }

    /// A snippet of `text`: all of it when short, else the window with the
    /// most matches, cut at word boundaries and marked with “…”.
    pub fn snippet(&self, text: &str) -> Vec<Fragment> {
        let matches = self.matches(text);
        let window = best_window(text, &matches, SNIPPET_BYTES);
        fragments(text, window, &matches)
    }
}

impl Phrase {
    /// Spans from the first to the last word of each occurrence in
    /// `tokens`, the words in order with at most `slop` words between.
    fn find(&self, tokens: &[token::Word]) -> Vec<std::ops::Range<usize>> {
        let last = self.words.len() - 1;
        let fits = |k: usize, token: &token::Word| {
            if self.prefix && k == last {
                token.text.starts_with(self.words[k].as_str())
            } else {
                token.is(&self.words[k])
            }
        };
        let mut found = Vec::new();
        for start in 0..tokens.len() {
            if !fits(0, &tokens[start]) {
                continue;
            }
            let (mut at, mut budget) = (start, self.slop);
            let complete = (1..=last).all(|k| {
                let reach = (at + 1 + budget).min(tokens.len().saturating_sub(1));
                match (at + 1..=reach).find(|&j| fits(k, &tokens[j])) {
                    Some(j) => {
                        budget -= j - (at + 1);
                        at = j;
                        true
                    }
                    None => false,
                }
            });
            if complete {
                found.push(tokens[start].span.start..tokens[at].span.end);
            }
        }
        found
    }
}

fn best_window(
    text: &str,
    matches: &[std::ops::Range<usize>],
    size: usize,
) -> std::ops::Range<usize> {
    if text.len() <= size {
        return 0..text.len();
    }
    let mut best = (0usize, 0usize);
    for (i, m) in matches.iter().enumerate() {
        let count = matches[i..]
            .iter()
            .take_while(|n| n.end <= m.start + size)
            .count();
        if count > best.1 {
            best = (m.start, count);
        }
    }
    // Start a little before the first match, at a word boundary.
    let mut start = best.0.saturating_sub(if best.1 > 0 { 60 } else { 0 });
    while start > 0 && !text.is_char_boundary(start) {
        start -= 1;
    }
    if start > 0 {
        start = text[start..]
            .find(char::is_whitespace)
            .map_or(start, |i| start + i + 1);
    }
    let mut end = (start + size).min(text.len());
    while end < text.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    if end < text.len() {
        end = text[..end]
            .rfind(char::is_whitespace)
            .filter(|&e| e > start)
            .unwrap_or(end);
    }
    start..end
}

fn fragments(
    text: &str,
    window: std::ops::Range<usize>,
    matches: &[std::ops::Range<usize>],
) -> Vec<Fragment> {
    let mut out = Vec::new();
    let mut push = |s: &str, highlighted: bool| {
        if s.is_empty() {
            return;
        }
        match out.last_mut() {
            Some(Fragment {
                text,
                highlighted: h,
            }) if *h == highlighted => text.push_str(s),
            _ => out.push(Fragment {
                text: s.to_string(),
                highlighted,
            }),
        }
    };
    if window.start > 0 {
        push("…", false);
    }
    let mut at = window.start;
    for m in matches
        .iter()
        .filter(|m| m.start >= window.start && m.end <= window.end)
    {
        push(&text[at..m.start], false);
        push(&text[m.clone()], true);
        at = m.end;
    }
    push(&text[at..window.end], false);
    if window.end < text.len() {
        push("…", false);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_keep_highlights_inside_and_mark_cuts() {
        let text = format!("{} needle {}", "word ".repeat(100), "tail ".repeat(100));
        let start = text.find("needle").unwrap();
        let needle = start..start + 6;
        let matches = std::slice::from_ref(&needle);
        let frags = fragments(&text, best_window(&text, matches, 120), matches);
        assert_eq!(frags.first().unwrap().text.chars().next(), Some('…'));
        assert!(frags.iter().any(|f| f.highlighted && f.text == "needle"));
        assert!(frags.last().unwrap().text.ends_with('…'));
    }

    fn marked(query: &str, text: &str) -> Vec<String> {
        let mut ast = query_grammar::parse_query(query).unwrap();
        crate::query::phrases_to_exact_field(&mut ast);
        Highlighter::of(&ast)
            .matches(text)
            .into_iter()
            .map(|r| text[r].to_string())
            .collect()
    }

    #[test]
    fn phrases_are_marked_whole_and_only_where_they_stand() {
        let text = "Collective Action: leverage for collective bargaining, not collective action.";
        assert_eq!(
            marked("\"collective bargaining\"", text),
            ["collective bargaining"]
        );
        // Slop lets words stand between.
        assert_eq!(
            marked(
                "\"using tactics\"~1",
                "By using certain tactics, using them"
            ),
            ["using certain tactics"]
        );
        assert!(marked("\"using tactics\"", "By using certain tactics").is_empty());
        // Single words by form or by stem; excluded words are not marked.
        assert_eq!(marked("bargain -action", text), ["bargaining"]);
        assert_eq!(marked("coerc*", "built to coerce and oppress"), ["coerce"]);
        assert_eq!(
            marked("\"collective barg\"*", text),
            ["collective bargaining"]
        );
        // Fields that are not the passage's text mark nothing in it.
        assert!(marked("title:collective", text).is_empty());
    }
}

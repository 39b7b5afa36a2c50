//! Usage: how a quotation is used when it is nobody's words — a term
//! (“the term “…””, “so-called “…””, “(“…”)”), a title (“her book,
//! “…””, a registered work's title), or a scare quote (a word or two
//! with no speaker).
//!
//! Terms and titles are decided before any speaker is looked for, so that
//! “According to the Union, the term “eviction” covers …” gives the Union
//! the second quotation and nobody the first; scare quotes are what is
//! left at the end.

use super::cast::Cast;
use super::lexicon;
use super::said::{Said, Speaker};
use super::text::{Passages, Text};
use crate::passage::QuoteKind;
use crate::source::name_key;

/// How far before a quotation a term's marker is looked for, in bytes.
const MARKER_REACH: usize = 40;

/// Marks the terms and titles of the page.
pub(super) fn terms_and_titles(passages: &Passages, cast: &Cast, said: &mut Said) {
    for p in 0..passages.len() {
        let passage = passages.passage(p);
        if passage.quotes.is_empty() {
            continue;
        }
        let text = passages.text(p);
        for (q, quote) in passage.quotes.iter().enumerate() {
            if said.quotes[p][q].kind.is_some() {
                continue;
            }
            let words = &passage.text[quote.span.clone()];
            let kind = if is_term(&passage.text, quote.span.start, quote.span.end) {
                Some(QuoteKind::Term)
            } else if is_title(text, q)
                || (words.split_whitespace().count() > 1
                    && cast.registry.by_name(words).is_some_and(|s| {
                        s.title
                            .as_deref()
                            .is_some_and(|t| name_key(t) == name_key(words))
                    }))
            {
                Some(QuoteKind::Title)
            } else {
                None
            };
            said.quotes[p][q].kind = kind;
        }
    }
}

/// Whether the quotation at `start..end` of `text` is a term: in
/// parentheses of its own, or after a marker (“the term”, “so-called”).
fn is_term(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].trim_end_matches(['“', '"', '‘']);
    let after = text[end..].trim_start_matches(['”', '"', '’']);
    if before.trim_end().ends_with('(') && after.trim_start().starts_with(')') {
        return true;
    }
    let from = before.len().saturating_sub(MARKER_REACH);
    let from = (from..=before.len())
        .find(|&i| before.is_char_boundary(i))
        .unwrap_or(0);
    let before = before[from..]
        .trim_end()
        .trim_end_matches([',', ':'])
        .to_lowercase();
    let ends_with_word = |m: &str| {
        before.ends_with(m)
            && before[..before.len() - m.len()]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
    };
    if lexicon::TERM_MARKERS.iter().any(|m| ends_with_word(m)) {
        return true;
    }
    // “the term”, “the words”, “a phrase”, “the concept of”.
    let last: Vec<&str> = before
        .trim_end_matches([',', ':'])
        .split_whitespace()
        .rev()
        .take(3)
        .collect();
    match last.as_slice() {
        [w, det, ..]
            if lexicon::is_term_word(w) && matches!(*det, "the" | "a" | "an" | "this" | "that") =>
        {
            true
        }
        ["of", w, det, ..] if lexicon::is_term_word(w) && matches!(*det, "the" | "a" | "an") => {
            true
        }
        _ => false,
    }
}

/// Whether quotation `q` is a title: right after a work's noun (“her book
/// “…””, “the report, “…””) or “titled”, “entitled”, “named”; but not the
/// words quoted from a work, set off by a comma (“writes in the post, “We
/// …””), unless they are in title case.
fn is_title(text: &Text, q: usize) -> bool {
    let marks = text.quotes[q];
    let mut at = marks.open;
    let comma = at > 0 && text.tokens[at - 1].is_mark(',');
    if comma {
        at -= 1;
    }
    let Some(noun) = at.checked_sub(1) else {
        return false;
    };
    let previous = &text.tokens[noun];
    if !previous.is_word() || previous.is_capitalised() {
        return false;
    }
    if ["titled", "entitled", "named"]
        .iter()
        .any(|w| previous.is(w))
    {
        return true;
    }
    let quoted_from = comma
        && text.tokens[noun.saturating_sub(3)..noun]
            .iter()
            .any(|t| t.is("in") || t.is("on") || t.is("from"));
    lexicon::work_kind(previous.text).is_some()
        && (!quoted_from || title_case(text, q))
        && ![
            "statement",
            "letter",
            "page",
            "site",
            "website",
            "memo",
            "tweet",
        ]
        .iter()
        .any(|w| previous.is(w))
}

/// Whether the words of quotation `q` are in title case: most words of
/// four letters or more capitalised.
fn title_case(text: &Text, q: usize) -> bool {
    let marks = text.quotes[q];
    let long: Vec<_> = text.tokens[marks.start..marks.end]
        .iter()
        .filter(|t| t.is_word() && t.text.chars().count() >= 4)
        .collect();
    long.len() >= 2 && long.iter().filter(|t| t.is_capitalised()).count() * 10 >= long.len() * 6
}

/// Whether quotation `q` of `passage` is all one link: the title of the
/// page it links to.
fn is_link_title(passage: &crate::passage::Passage, q: usize) -> bool {
    let span = &passage.quotes[q].span;
    let words = passage.text[span.clone()].trim_end_matches(['.', ',', '!', '?']);
    // The link is the quotation's words, give or take a mark.
    passage.links.iter().any(|l| {
        l.span.start + 3 >= span.start
            && l.span.end <= span.end + 3
            && (l.span.end - l.span.start) * 10 >= words.len() * 9
    })
}

/// The kinds of the quotations no pass made a term or a title: somebody's
/// words, or, with no speaker and a word or two, a scare quote.
pub(super) fn the_rest(passages: &Passages, said: &mut Said) {
    for p in 0..passages.len() {
        let passage = passages.passage(p);
        for (q, quote) in passage.quotes.iter().enumerate() {
            let decided = &mut said.quotes[p][q];
            if decided.kind.is_some() {
                continue;
            }
            let words = &passage.text[quote.span.clone()];
            let count = words.split_whitespace().count();
            let ends_like_speech = words.trim_end().ends_with(['.', ',', '!', '?', ';', ':']);
            let unsaid = !matches!(decided.speaker, Speaker::Source(_));
            decided.kind = Some(if unsaid && is_link_title(passage, q) {
                QuoteKind::Title
            } else if unsaid && (count <= 2 || (count <= 3 && !ends_like_speech)) {
                QuoteKind::Scare
            } else {
                QuoteKind::Quotation
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(text: &str) -> bool {
        let start = text.find('“').unwrap() + '“'.len_utf8();
        let end = text.find('”').unwrap();
        is_term(text, start, end)
    }

    #[test]
    fn terms_by_their_markers() {
        assert!(term("the term “rent strike” means"));
        assert!(term("a so-called “tenant union”"));
        assert!(term("a strike (“sit-down”) began"));
        assert!(term("what the phrase “right to stay” covers"));
        assert!(!term("Okafor said “we stay.”"));
        assert!(!term("the terminal “hub”"));
    }
}

//! Coreference: one speaker over several quotations, and pronouns.
//!
//! - A pronoun (“she said”, “he added”, “they wrote”) is the last person
//!   (or group, for “they” and “it”) named in its paragraph before it, or
//!   in the paragraph before; “I” in an interview's answer (“Ana Ruiz:
//!   …”) is the one answering; “we” and “you” stay unnamed.
//! - A quotation with nothing of its own is the previous one's in the
//!   same paragraph, when nobody else is named between them: the second
//!   half of a split quotation (“…,” Okafor said. “…”), a run.
//! - A paragraph that opens with a quotation continues the speech that
//!   ended the paragraph before (“…,” Okafor said. ¶ “…”), and a
//!   quotation left open at a paragraph's end (no closing mark, the next
//!   paragraph opening with one) runs to that end.
//!
//! Each paragraph's names are read once, so the work is linear in the page.

use super::cast::Cast;
use super::lexicon::{self, Pronoun};
use super::names::{self, Name};
use super::said::{Said, Speaker};
use super::speech;
use super::text::{Passages, Text};
use crate::passage::{Passage, PassageKind, Quote, QuoteKind};
use crate::source::SourceKind;

/// The longest one-sentence paragraph, in tokens, read as a lead-in to the
/// quoted paragraph after it.
const MAX_LEAD_IN: usize = 30;

/// How many paragraphs back a pronoun is followed, through paragraphs that
/// use it and name nobody.
const MAX_PARAGRAPHS_BACK: usize = 3;

/// Adds the quotations that run to their paragraph's end: an opening mark
/// “ that nothing closes (the paragraph goes on into the next one, or its
/// closing mark is a straight one, or missing).
pub(super) fn continue_quotations(passages: &mut [Passage]) {
    for passage in passages.iter_mut() {
        if matches!(passage.kind, PassageKind::Heading | PassageKind::Code) {
            continue;
        }
        let from = passage.quotes.last().map_or(0, |q| {
            q.span.end
                + passage.text[q.span.end..]
                    .chars()
                    .next()
                    .map_or(0, char::len_utf8)
        });
        let Some(open) = passage.text[from..]
            .find('“')
            .map(|o| from + o + '“'.len_utf8())
        else {
            continue;
        };
        if passage.text[open..].contains(['”', '“']) {
            continue;
        }
        // A straight mark after a word closes it (“…," or “…" at the end).
        let straight = passage.text[open..]
            .char_indices()
            .find(|&(i, c)| {
                c == '"'
                    && passage.text[..open + i]
                        .chars()
                        .next_back()
                        .is_some_and(|b| !b.is_whitespace())
            })
            .map(|(i, _)| open + i);
        let end = straight.unwrap_or_else(|| passage.text.trim_end().len());
        if end > open {
            passage.quotes.push(Quote {
                span: open..end,
                kind: QuoteKind::Quotation,
                speaker: None,
                role: None,
                via: None,
            });
        }
    }
}

/// Someone named in a paragraph, or given its words, and where.
#[derive(Debug, Clone)]
enum Candidate {
    /// A name read in the text, resolved only if chosen.
    Name(Name),
    /// A source a quotation was given to.
    Source(String, SourceKind),
}

/// Words that may open a sentence before its subject (“But Okafor …”,
/// “Later, Okafor …”); a preposition there makes the name after it no
/// subject (“From North Carolina, …”).
const BEFORE_SUBJECT: &[&str] = &[
    "and",
    "but",
    "so",
    "then",
    "later",
    "meanwhile",
    "however",
    "also",
    "now",
    "still",
    "finally",
    "first",
    "next",
    "today",
    "yesterday",
    "recently",
    "eventually",
    "afterwards",
    "there",
];

/// Whether the name at tokens `at..` is a subject: it opens its sentence,
/// or a reporting verb follows it.
fn subject_at(text: &Text, at: usize, name: &Name) -> bool {
    let tokens = &text.tokens;
    let sentence = text.sentence(at).start;
    let opens = tokens[sentence..at]
        .iter()
        .all(|t| !t.is_word() || BEFORE_SUBJECT.iter().any(|w| t.is(w)));
    // “…, said Jeremia, was …”: the subject of an inverted verb.
    let inverted =
        at > 0 && tokens[at - 1].is_word() && lexicon::is_reporting_verb(tokens[at - 1].text);
    if opens || inverted {
        return true;
    }
    let mut end = tokens.partition_point(|t| t.span.start < name.span.end);
    // “Jascha, who says …”: the relative clause's subject.
    if tokens.get(end).is_some_and(|t| t.is_mark(','))
        && tokens.get(end + 1).is_some_and(|t| t.is("who"))
    {
        end += 2;
    }
    let verb = names::skip_forward_adverbs(tokens, end, tokens.len());
    tokens
        .get(verb)
        .is_some_and(|t| t.is_word() && lexicon::is_reporting_verb(t.text))
}

/// The people and groups a paragraph names as subjects or quotes, in
/// order, by token.
fn candidates(text: &Text, said: &Said, p: usize, cast: &Cast) -> Vec<(usize, Candidate)> {
    let mut out: Vec<(usize, Candidate)> = names::mentions(text)
        .into_iter()
        .filter(|(at, name)| !text.in_quote(*at) && subject_at(text, *at, name))
        .map(|(at, n)| (at, Candidate::Name(n)))
        .collect();
    for (q, marks) in text.quotes.iter().enumerate() {
        if let Some(id) = said.source(p, q) {
            let kind = cast.kind(id).unwrap_or(SourceKind::Person);
            out.push((marks.close, Candidate::Source(id.to_string(), kind)));
        }
    }
    out.sort_by_key(|(at, _)| *at);
    out
}

/// Whether a candidate can be what a pronoun stands for: “he” and “she”
/// a person; “they” a group that spoke before.
fn fits(candidate: &Candidate, pronoun: Pronoun, cast: &Cast) -> bool {
    match (candidate, pronoun) {
        (Candidate::Name(name), Pronoun::Person) => {
            name.kind == SourceKind::Person
                // A lone word is somebody only if the page says who in full.
                && (!name.short
                    || cast.known(&name.text, name.kind).is_some()
                    || cast.has_full_name(&name.text))
        }
        (Candidate::Source(_, kind), Pronoun::Person) => *kind == SourceKind::Person,
        (Candidate::Source(id, kind), Pronoun::Group) => {
            *kind != SourceKind::Person || cast.get(id).is_some_and(|s| s.authors.len() > 1)
        }
        _ => false,
    }
}

/// Gives pronouns their referents and runs their speaker on, in page order.
pub(super) fn attribute(passages: &Passages, cast: &mut Cast, said: &mut Said) {
    if (0..passages.len()).all(|p| passages.passage(p).quotes.is_empty()) {
        return;
    }
    cast.read_people(passages);
    interviews(passages, cast, said);
    for p in 0..passages.len() {
        let passage = passages.passage(p);
        if passage.quotes.is_empty() || said.note[p] {
            continue;
        }
        let text = passages.text(p);
        let own = candidates(text, said, p, cast);
        passages.work(own.len());
        for q in 0..text.quotes.len() {
            let quote = &said.quotes[p][q];
            if let Speaker::Pronoun(pronoun, at) = quote.speaker.clone() {
                let speaker = resolve(passages, cast, said, p, pronoun, at, &own);
                said.quotes[p][q].speaker = Speaker::Open;
                said.decide(p, q, speaker, None);
                continue;
            }
            if !said.open(p, q) || !speech_like(text, q) {
                continue;
            }
            // A quotation that opens its sentence after one that reports
            // speech: “Gail recalled the struggles. “…””
            let marks = text.quotes[q];
            let sentence = text.sentence(marks.open);
            let opens_sentence = sentence.start == marks.open;
            if opens_sentence
                && sentence.start > 0
                && (q == 0 || text.quotes[q - 1].close <= text.sentence(sentence.start - 1).start)
                && let Some(found) = speech::reported(text, text.sentence(sentence.start - 1))
            {
                let (speaker, role) =
                    speech::speaker_of(&found.mention, passage, text, p, cast, passages);
                let speaker = match speaker {
                    Speaker::Pronoun(pronoun, at) => {
                        resolve(passages, cast, said, p, pronoun, at, &own)
                    }
                    other => other,
                };
                said.decide(p, q, speaker, role);
                continue;
            }
            if q == 0 {
                if text.quotes[0].open == 0
                    && let Some(speaker) = continued(passages, cast, said, p)
                {
                    said.decide(p, 0, speaker, None);
                }
                continue;
            }
            let previous = said.quotes[p][q - 1].speaker.clone();
            let from = text.quotes[q - 1].close;
            let to = text.quotes[q].open;
            let between = own.iter().filter(|(at, _)| from <= *at && *at < to);
            let someone_else = between.into_iter().any(|(_, c)| match (c, &previous) {
                (Candidate::Name(name), Speaker::Source(id)) => !names_same(cast, id, &name.text),
                (Candidate::Name(_), _) => true,
                (Candidate::Source(other, _), Speaker::Source(id)) => other != id,
                _ => true,
            });
            if !someone_else && matches!(previous, Speaker::Source(_) | Speaker::Unnamed) {
                let role = said.quotes[p][q - 1].role.clone();
                said.decide(p, q, previous, role);
            }
        }
    }
}

/// Whether quotation `q` reads as speech rather than a word or two in
/// quotation marks: three words or more, or two and a sentence's end.
fn speech_like(text: &Text, q: usize) -> bool {
    let marks = text.quotes[q];
    let words = text.tokens[marks.start..marks.end]
        .iter()
        .filter(|t| t.is_word())
        .count();
    let ends = marks.end > marks.start
        && text.tokens[marks.end - 1].kind == crate::token::TokenKind::Punctuation
        && [".", ",", "!", "?", "…"].contains(&text.tokens[marks.end - 1].text);
    words >= 3 || ends
}

/// Whether the name `text` is the source `id`'s, or a short form of it.
fn names_same(cast: &Cast, id: &str, text: &str) -> bool {
    let Some(source) = cast.get(id) else {
        return false;
    };
    let key = crate::source::name_key(text);
    source
        .names()
        .chain(source.authors.iter().map(String::as_str))
        .any(|n| {
            let full = crate::source::name_key(n);
            full == key
                || full.ends_with(&format!(" {key}"))
                || full.starts_with(&format!("{key} "))
        })
}

/// The speaker a pronoun at token `at` of passage `p` stands for.
fn resolve(
    passages: &Passages,
    cast: &mut Cast,
    said: &Said,
    p: usize,
    pronoun: Pronoun,
    at: usize,
    own: &[(usize, Candidate)],
) -> Speaker {
    let text = passages.text(p);
    if pronoun == Pronoun::Own {
        // “I” in an answer is the one answering; “we” and “you” nobody named.
        let i = text.tokens.get(at).is_some_and(|t| t.text == "I");
        return match (said.answer[p].as_ref().or(said.block[p].as_ref()), i) {
            (Some(id), true) => Speaker::Source(id.clone()),
            _ => Speaker::Unnamed,
        };
    }
    // “it” may be anything the page names: nobody is named by it.
    if text.tokens.get(at).is_some_and(|t| t.is("it")) {
        return Speaker::Unnamed;
    }
    let here = own
        .iter()
        .rev()
        .filter(|(t, _)| *t < at)
        .find(|(_, c)| fits(c, pronoun, cast))
        .map(|(_, c)| (p, c.clone()));
    // Else the paragraphs before, back through those that go on with the
    // same pronoun and name nobody else.
    let word = text.tokens.get(at).map(|t| t.text.to_lowercase());
    let chosen = here.or_else(|| {
        let mut before = p;
        for _ in 0..MAX_PARAGRAPHS_BACK {
            before = before.checked_sub(1)?;
            let passage = passages.passage(before);
            if passage.kind == PassageKind::Heading {
                return None;
            }
            let text = passages.text(before);
            let theirs = candidates(text, said, before, cast);
            passages.work(theirs.len());
            if let Some((_, c)) = theirs
                .into_iter()
                .rev()
                .find(|(_, c)| fits(c, pronoun, cast))
            {
                return Some((before, c));
            }
            let same = text
                .tokens
                .iter()
                .any(|t| Some(t.text.to_lowercase()) == word);
            if !same {
                return None;
            }
        }
        None
    });
    match chosen {
        Some((_, Candidate::Source(id, _))) => Speaker::Source(id),
        Some((in_passage, Candidate::Name(name))) => {
            Speaker::Source(cast.resolve(&name, (in_passage, name.span.start), passages))
        }
        None => Speaker::Unnamed,
    }
}

/// The speaker a paragraph that opens with a quotation continues: who
/// spoke last in the paragraph before, in its last sentence.
fn continued(passages: &Passages, cast: &mut Cast, said: &Said, p: usize) -> Option<Speaker> {
    let before = p.checked_sub(1)?;
    let previous = passages.passage(before);
    if matches!(previous.kind, PassageKind::Heading | PassageKind::Code) || said.note[before] {
        return None;
    }
    let text = passages.text(before);
    let last = text.tokens.len().checked_sub(1)?;
    let sentence = text.sentence(last);
    // Its last quotation, said in its last sentence.
    if let Some(q) = text.quotes.len().checked_sub(1)
        && text.quotes[q].close > sentence.start
        && let Some(id) = said.source(before, q)
    {
        return Some(Speaker::Source(id.to_string()));
    }
    // Or speech it reports without marks: “…, he said.”; or, in a lead-in
    // of one short sentence, its subject: “Shashank Khandelwal was
    // heartened by the response. ¶ “…””
    let Some(found) = speech::reported(text, sentence.clone()) else {
        let lead_in =
            sentence.start == 0 && text.quotes.is_empty() && sentence.len() <= MAX_LEAD_IN;
        if !lead_in || !super::credits::is_whole_quote(passages.passage(p)) {
            return None;
        }
        let (at, name) = names::mentions(text).into_iter().next()?;
        if !subject_at(text, at, &name) || name.kind != SourceKind::Person {
            return None;
        }
        if name.short
            && cast.known(&name.text, name.kind).is_none()
            && !cast.has_full_name(&name.text)
        {
            return None;
        }
        return Some(Speaker::Source(cast.resolve(
            &name,
            (before, name.span.start),
            passages,
        )));
    };
    match speech::speaker_of(&found.mention, previous, text, before, cast, passages).0 {
        Speaker::Pronoun(pronoun, at) => {
            let theirs = candidates(text, said, before, cast);
            Some(resolve(passages, cast, said, before, pronoun, at, &theirs))
        }
        Speaker::Open => None,
        other => Some(other),
    }
}

/// Interviews: a paragraph that opens with a person's name and a colon
/// (“Ana Ruiz: We started…”) is that person's answer, where the page
/// does so more than once (a heading “Midas: …” is no interview).
fn interviews(passages: &Passages, cast: &mut Cast, said: &mut Said) {
    let mut answers = Vec::new();
    for p in 0..passages.len() {
        let passage = passages.passage(p);
        // A list of “Term: what it means” is a glossary, not an interview.
        if !matches!(
            passage.kind,
            PassageKind::Paragraph | PassageKind::Blockquote
        ) {
            continue;
        }
        // Cheap test first: a colon among the first words.
        if !passage.text.chars().take(60).any(|c| c == ':') {
            continue;
        }
        let text = passages.text(p);
        let Some((range, next)) = names::person_at(&text.tokens, 0) else {
            continue;
        };
        if range.start != 0
            || next != range.end
            || !text.tokens.get(next).is_some_and(|t| t.is_mark(':'))
        {
            continue;
        }
        answers.push((p, range));
    }
    // An interview asks: some paragraph is a question.
    let asks = (0..passages.len()).any(|p| {
        let passage = passages.passage(p);
        matches!(passage.kind, PassageKind::Paragraph | PassageKind::Heading)
            && passage
                .text
                .trim_end()
                .trim_end_matches(['*', '_'])
                .ends_with('?')
    });
    if answers.len() < 2 || !asks {
        return;
    }
    let starts: Vec<usize> = answers.iter().map(|(p, _)| *p).collect();
    for (k, (p, range)) in answers.into_iter().enumerate() {
        let text = passages.text(p);
        let words = text.tokens[range.clone()]
            .iter()
            .filter(|t| t.is_word())
            .count();
        let name = Name {
            text: text.slice(range.clone()).to_string(),
            role: None,
            kind: SourceKind::Person,
            span: text.tokens[range.start].span.start..text.tokens[range.end - 1].span.end,
            short: words == 1,
        };
        if name.short && !cast.has_full_name(&name.text) {
            continue;
        }
        let id = cast.resolve(&name, (p, 0), passages);
        // The answer goes on in the paragraphs after it, up to the next
        // answer, question or heading.
        let next = starts.get(k + 1).copied().unwrap_or(passages.len());
        for a in p..next {
            let passage = passages.passage(a);
            if a > p
                && (passage.kind == PassageKind::Heading || passage.text.trim_end().ends_with('?'))
            {
                break;
            }
            said.answer[a] = Some(id.clone());
        }
    }
}

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
//! Each paragraph's names are read once and kept, and a pronoun looks back
//! over a bounded number of them, so the work is linear in the page.

use super::cast::Cast;
use super::lexicon::{self, Pronoun};
use super::names::{self, Name};
use super::said::{Said, Speaker};
use super::speech;
use super::text::{Passages, Text};
use crate::passage::{Passage, PassageKind, Quote, QuoteKind};
use crate::source::SourceKind;

/// How many of the people named before a pronoun it looks back over.
const MAX_LOOK_BACK: usize = 24;

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

/// Whether the name at token `at` is a subject: it opens its sentence,
/// follows an inverted verb (“…, said Jeremia, was …”), or a reporting
/// verb follows it (“Jascha, who says …”).
fn subject_at(text: &Text, at: usize, name: &Name) -> bool {
    let tokens = &text.tokens;
    let sentence = text.sentence(at).start;
    let opens = tokens[sentence..at]
        .iter()
        .all(|t| !t.is_word() || BEFORE_SUBJECT.iter().any(|w| t.is(w)));
    let inverted =
        at > 0 && tokens[at - 1].is_word() && lexicon::is_reporting_verb(tokens[at - 1].text);
    if opens || inverted {
        return true;
    }
    let mut end = tokens.partition_point(|t| t.span.start < name.span.end);
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

/// What coreference keeps of a paragraph once read: the people it names
/// as subjects or quotes, in order of token, and the pronouns it uses.
struct Read {
    candidates: Vec<(usize, Candidate)>,
    /// Sources coreference gave quotations to since, in order.
    spoken: Vec<(usize, Candidate)>,
    pronouns: Vec<String>,
}

/// The paragraphs read so far.
struct Memo {
    read: std::collections::HashMap<usize, Read>,
}

impl Memo {
    /// Passage `p`, read: its candidates (from the decisions so far) and
    /// its pronouns.
    fn read(&mut self, passages: &Passages, said: &Said, cast: &Cast, p: usize) -> &Read {
        self.read.entry(p).or_insert_with(|| {
            let text = passages.text(p);
            let mut candidates: Vec<(usize, Candidate)> = names::mentions(text)
                .into_iter()
                .filter(|(at, name)| !text.in_quote(*at) && subject_at(text, *at, name))
                .map(|(at, n)| (at, Candidate::Name(n)))
                .collect();
            for (q, marks) in text.quotes.iter().enumerate() {
                if let Some(id) = said.source(p, q) {
                    let kind = cast.kind(id).unwrap_or(SourceKind::Person);
                    candidates.push((marks.close, Candidate::Source(id.to_string(), kind)));
                }
            }
            candidates.sort_by_key(|(at, _)| *at);
            let mut pronouns: Vec<String> = text
                .tokens
                .iter()
                .filter(|t| t.is_word() && lexicon::pronoun(t.text).is_some())
                .map(|t| t.text.to_lowercase())
                .collect();
            pronouns.sort();
            pronouns.dedup();
            passages.work(text.tokens.len() + candidates.len());
            Read {
                candidates,
                spoken: Vec::new(),
                pronouns,
            }
        })
    }

    /// Records that quotation `q` of passage `p` was given to `id`, so
    /// that a pronoun after it in the paragraph may stand for them.
    fn spoke(&mut self, p: usize, close: usize, id: &str, cast: &Cast) {
        if let Some(read) = self.read.get_mut(&p) {
            let kind = cast.kind(id).unwrap_or(SourceKind::Person);
            read.spoken
                .push((close, Candidate::Source(id.to_string(), kind)));
        }
    }
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

/// The last candidate before token `at` (all, for `None`) that fits `pronoun`,
/// looking back over a bounded number of them.
fn last_fit(read: &Read, at: Option<usize>, pronoun: Pronoun, cast: &Cast) -> Option<Candidate> {
    let last = |list: &[(usize, Candidate)]| {
        let end = at.map_or(list.len(), |at| list.partition_point(|(t, _)| *t < at));
        list[end.saturating_sub(MAX_LOOK_BACK)..end]
            .iter()
            .rev()
            .find(|(_, c)| fits(c, pronoun, cast))
            .cloned()
    };
    match (last(&read.candidates), last(&read.spoken)) {
        (Some(a), Some(b)) => Some(if b.0 > a.0 { b.1 } else { a.1 }),
        (a, b) => a.or(b).map(|(_, c)| c),
    }
}

/// Gives pronouns their referents and runs their speaker on, in page order.
pub(super) fn attribute(passages: &Passages, cast: &mut Cast, said: &mut Said) {
    if (0..passages.len()).all(|p| passages.passage(p).quotes.is_empty()) {
        return;
    }
    cast.read_people(passages);
    interviews(passages, cast, said);
    let mut memo = Memo {
        read: std::collections::HashMap::new(),
    };
    for p in 0..passages.len() {
        let passage = passages.passage(p);
        if passage.quotes.is_empty() || said.note[p] {
            continue;
        }
        let text = passages.text(p);
        memo.read(passages, said, cast, p);
        for q in 0..text.quotes.len() {
            let decided = decide(passages, cast, said, &mut memo, p, q);
            if let Some((speaker, role)) = decided {
                said.quotes[p][q].speaker = Speaker::Open;
                said.decide(p, q, speaker, role);
            }
            if let Some(id) = said.source(p, q) {
                let id = id.to_string();
                memo.spoke(p, text.quotes[q].close, &id, cast);
            }
        }
    }
}

/// Who coreference says said quotation `q` of passage `p`, if it can tell.
fn decide(
    passages: &Passages,
    cast: &mut Cast,
    said: &Said,
    memo: &mut Memo,
    p: usize,
    q: usize,
) -> Option<(Speaker, Option<String>)> {
    let passage = passages.passage(p);
    let text = passages.text(p);
    if let Speaker::Pronoun(pronoun, at) = said.quotes[p][q].speaker {
        return Some((resolve(passages, cast, said, memo, p, pronoun, at), None));
    }
    if !said.open(p, q) || !speech_like(text, q) {
        return None;
    }
    let marks = text.quotes[q];
    // A quotation that opens its sentence after one that reports speech:
    // “Gail recalled the struggles. “…”” A question reports nothing (“What
    // would Gail tell them? “…””): the words after it are the answer.
    let sentence = text.sentence(marks.open);
    if sentence.start == marks.open
        && sentence.start > 0
        && (q == 0 || text.quotes[q - 1].close <= text.sentence(sentence.start - 1).start)
        && !text.tokens[sentence.start - 1].is_mark('?')
        && let Some(found) = speech::reported(text, text.sentence(sentence.start - 1))
    {
        let (speaker, role) = speech::speaker_of(&found.mention, passage, text, p, cast, passages);
        let speaker = match speaker {
            Speaker::Pronoun(pronoun, at) => resolve(passages, cast, said, memo, p, pronoun, at),
            other => other,
        };
        return Some((speaker, role));
    }
    // A quotation in the first person that opens its sentence, right after
    // a sentence that names one person: “Ana Ruiz, for one, has stopped
    // applying. “I’ve called them twice …”” The person introduced is the
    // one who says “I”. (A straight mark after “?” or “.” may be read as
    // closing the sentence before; the quoted words then open the next.)
    let before = if sentence.start == marks.open && marks.open > 0 {
        Some(text.sentence(marks.open - 1))
    } else if marks.open + 1 == marks.start
        && sentence.start < marks.open
        && text.sentence(marks.start).start == marks.start
    {
        Some(sentence.start..marks.open)
    } else {
        None
    };
    if let Some(before) = before
        && (q == 0 || text.quotes[q - 1].close <= before.start)
        && first_person(text, q)
        && let Some(speaker) = introduced(passages, cast, p, before)
    {
        return Some((speaker, None));
    }
    if q == 0 {
        if marks.open != 0 {
            return None;
        }
        return continued(passages, cast, said, memo, p).map(|s| (s, None));
    }
    // The previous quotation's speaker, when nobody else is named between.
    let previous = said.quotes[p][q - 1].speaker.clone();
    if !matches!(previous, Speaker::Source(_) | Speaker::Unnamed) {
        return None;
    }
    let from = text.quotes[q - 1].close;
    let read = memo.read(passages, said, cast, p);
    let between = |list: &'_ [(usize, Candidate)]| {
        let first = list.partition_point(|(t, _)| *t < from);
        let last = list.partition_point(|(t, _)| *t < marks.open);
        first..last.max(first)
    };
    let (names_between, spoken_between) = (between(&read.candidates), between(&read.spoken));
    let someone_else = read.candidates[names_between]
        .iter()
        .chain(&read.spoken[spoken_between])
        .take(MAX_LOOK_BACK)
        .any(|(_, c)| match (c, &previous) {
            (Candidate::Name(name), Speaker::Source(id)) => !names_same(cast, id, &name.text),
            (Candidate::Source(other, _), Speaker::Source(id)) => other != id,
            _ => true,
        });
    (!someone_else).then(|| (previous, said.quotes[p][q - 1].role.clone()))
}

/// Words of a speaker speaking of themselves.
const FIRST_PERSON: &[&str] = &[
    "i",
    "me",
    "mine",
    "my",
    "myself",
    "our",
    "ours",
    "ourselves",
    "us",
    "we",
];

/// Verbs that stand before the subject of a question.
const AUXILIARIES: &[&str] = &[
    "can", "could", "did", "do", "does", "had", "has", "is", "should", "was", "will", "would",
];

/// Whether quotation `q` speaks in the first person (“I’ve”, “our”), and
/// is speech, not the subject of a sentence about the words (““Where do I
/// begin?” is a common question”).
fn first_person(text: &Text, q: usize) -> bool {
    let marks = text.quotes[q];
    if text.tokens.get(marks.close).is_some_and(|t| {
        ["is", "was", "are", "were", "has", "becomes"]
            .iter()
            .any(|w| t.is(w))
    }) {
        return false;
    }
    text.tokens[marks.start..marks.end].iter().any(|t| {
        t.is_word() && {
            let word = t.text.split(['’', '\'']).next().unwrap_or(t.text);
            FIRST_PERSON.iter().any(|w| word.eq_ignore_ascii_case(w))
        }
    })
}

/// The one person the tokens `sentence` of passage `p` name outside
/// quotation marks (in full, or by a short name the page gives in full),
/// if they name exactly one.
fn introduced(
    passages: &Passages,
    cast: &mut Cast,
    p: usize,
    sentence: std::ops::Range<usize>,
) -> Option<Speaker> {
    let text = passages.text(p);
    let mut people = names::mentions(text).into_iter().filter(|(at, name)| {
        sentence.contains(at)
            && !text.in_quote(*at)
            && name.kind == SourceKind::Person
            && (!name.short
                || cast.known(&name.text, name.kind).is_some()
                || cast.has_full_name(&name.text))
    });
    let (at, name) = people.next()?;
    if people.any(|(_, other)| {
        crate::source::name_key(&other.text) != crate::source::name_key(&name.text)
    }) {
        return None;
    }
    // The person is what the sentence is about: its subject, or the one a
    // question asks about (“What does Okafor advise?”).
    let asked = text.tokens[sentence.end - 1].is_mark('?')
        && at > sentence.start
        && AUXILIARIES.iter().any(|w| text.tokens[at - 1].is(w));
    if !asked && !subject_at(text, at, &name) {
        return None;
    }
    Some(Speaker::Source(cast.resolve(
        &name,
        (p, name.span.start),
        passages,
    )))
}

/// Whether quotation `q` reads as speech rather than a word or two in
/// quotation marks: three words or more, or two and a sentence's end.
fn speech_like(text: &Text, q: usize) -> bool {
    let marks = text.quotes[q];
    let words = text.tokens[marks.start..marks.end]
        .iter()
        .filter(|t| t.is_word())
        .count();
    let ends = marks.end > marks.start && {
        let last = &text.tokens[marks.end - 1];
        last.is_mark('.') || last.is_mark('!') || last.is_mark('?') || last.is_mark('…')
    };
    words >= 3 || words >= 2 && ends
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

/// The speaker a pronoun at token `at` of passage `p` stands for: the last
/// who fits before it in its paragraph, else in the paragraphs before,
/// back through those that go on with the same pronoun and name nobody.
fn resolve(
    passages: &Passages,
    cast: &mut Cast,
    said: &Said,
    memo: &mut Memo,
    p: usize,
    pronoun: Pronoun,
    at: usize,
) -> Speaker {
    let text = passages.text(p);
    let word = text.tokens.get(at).map(|t| t.text.to_lowercase());
    if pronoun == Pronoun::Own {
        // “I” in an answer is the one answering; “we” and “you” nobody named.
        let i = word.as_deref() == Some("i");
        return match (said.answer[p].as_ref().or(said.block[p].as_ref()), i) {
            (Some(id), true) => Speaker::Source(id.clone()),
            _ => Speaker::Unnamed,
        };
    }
    // “it” may be anything the page names: nobody is named by it.
    if word.as_deref() == Some("it") {
        return Speaker::Unnamed;
    }
    let mut chosen =
        last_fit(memo.read(passages, said, cast, p), Some(at), pronoun, cast).map(|c| (p, c));
    let mut before = p;
    for _ in 0..MAX_PARAGRAPHS_BACK {
        if chosen.is_some() {
            break;
        }
        let Some(b) = before.checked_sub(1) else {
            break;
        };
        before = b;
        if passages.passage(before).kind == PassageKind::Heading {
            break;
        }
        let read = memo.read(passages, said, cast, before);
        chosen = last_fit(read, None, pronoun, cast).map(|c| (before, c));
        let same = word.as_ref().is_some_and(|w| read.pronouns.contains(w));
        if !same {
            break;
        }
    }
    match chosen {
        Some((_, Candidate::Source(id, _))) => Speaker::Source(id),
        Some((in_passage, Candidate::Name(name))) => {
            Speaker::Source(cast.resolve(&name, (in_passage, name.span.start), passages))
        }
        None => Speaker::Unnamed,
    }
}

/// The speaker a paragraph that opens with a quotation continues: who
/// spoke last in the paragraph before, in its last sentence; speech it
/// reports there without marks (“…, he said.”); or the subject of a
/// lead-in of one short sentence (“Ana Ruiz was pleased. ¶ “…””).
fn continued(
    passages: &Passages,
    cast: &mut Cast,
    said: &Said,
    memo: &mut Memo,
    p: usize,
) -> Option<Speaker> {
    let before = p.checked_sub(1)?;
    let previous = passages.passage(before);
    if matches!(previous.kind, PassageKind::Heading | PassageKind::Code) || said.note[before] {
        return None;
    }
    let text = passages.text(before);
    let last = text.tokens.len().checked_sub(1)?;
    let sentence = text.sentence(last);
    if let Some(q) = text.quotes.len().checked_sub(1)
        && text.quotes[q].close > sentence.start
        && let Some(id) = said.source(before, q)
    {
        return Some(Speaker::Source(id.to_string()));
    }
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
            Some(resolve(passages, cast, said, memo, before, pronoun, at))
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
    if answers.len() < 2 || !asks || !answered_by_people(passages, &answers) {
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

/// Whether the labels of what look like an interview's answers are people:
/// someone answers twice, an answer says “I”, or the page names one of
/// them besides. A run of bold terms each with its explanation
/// (“**Broadly Accessible:** you can reach it …”, “**Scalability:** …”)
/// names each term once, as its label, and nobody in it speaks.
fn answered_by_people(passages: &Passages, answers: &[(usize, std::ops::Range<usize>)]) -> bool {
    let says_i = answers.iter().any(|(p, range)| {
        passages.text(*p).tokens[range.end..].iter().any(|t| {
            t.is_word() && {
                let word = t.text.split(['’', '\'']).next().unwrap_or(t.text);
                ["i", "me", "my", "mine", "myself"]
                    .iter()
                    .any(|w| word.eq_ignore_ascii_case(w))
            }
        })
    });
    if says_i {
        return true;
    }
    let labels: Vec<(usize, std::ops::Range<usize>)> = answers
        .iter()
        .map(|(p, range)| {
            let tokens = &passages.text(*p).tokens;
            (
                *p,
                tokens[range.start].span.start..tokens[range.end - 1].span.end,
            )
        })
        .collect();
    let mut keys: Vec<String> = labels
        .iter()
        .map(|(p, span)| crate::source::name_key(&passages.passage(*p).text[span.clone()]))
        .collect();
    keys.sort();
    if keys.windows(2).any(|pair| pair[0] == pair[1]) {
        return true;
    }
    // Named besides: a label of two words or more, as written (a lone
    // “Security” stands in any page about it), in the page's prose.
    let patterns: Vec<&str> = labels
        .iter()
        .map(|(p, span)| &passages.passage(*p).text[span.clone()])
        .filter(|label| label.split_whitespace().nth(1).is_some())
        .collect();
    let Ok(matcher) = aho_corasick::AhoCorasick::new(&patterns) else {
        return false;
    };
    (0..passages.len()).any(|p| {
        let text = &passages.passage(p).text;
        if passages.passage(p).kind == PassageKind::Heading {
            return false;
        }
        passages.work(text.len() / 8);
        matcher.find_iter(text.as_str()).any(|m| {
            !labels
                .iter()
                .any(|(at, span)| *at == p && span.start == m.start())
        })
    })
}

#[cfg(test)]
#[path = "coreference_tests.rs"]
mod tests;

//! Speech: a quotation given to a speaker by a reporting verb beside it —
//! the verb before or after the quotation, the name before or after the
//! verb.
//!
//! In the order tried, most precise first:
//!
//! 1. right after the quotation: “…,” said Okafor · “…,” Okafor said ·
//!    “…,” Okafor, a tenant, told the Guardian · “…,” he added · “…,”
//!    reads the Tenants Union’s website;
//! 2. right before it: Okafor said, “…” · He added: “…” · Baptiste
//!    explained that, “…” · Okafor’s answer: “…”;
//! 3. “According to Okafor, …” (and “in the words of”, “as described by”);
//! 4. further before it in its sentence: Lindqvist explains in the post,
//!    “…” · The Atlantic noted that the city is “…” · Okafor left,
//!    saying, “…” (the participle's subject is the sentence's).
//!
//! A name is read by [`super::names`], a pronoun left for
//! [`super::coreference`], somebody unnamed (“one caller said”) stays
//! unnamed. “Told the Guardian” keeps the publication as `via`.

use std::ops::Range;

use super::cast::Cast;
use super::lexicon;
use super::names::{self, Mention, Name};
use super::said::{Said, Speaker};
use super::text::{Passages, Text};
use crate::passage::Passage;
use crate::source::{Source, SourceKind};

/// The most tokens between a verb and the quotation it introduces that
/// the distant rule reads back over: a long sentence, not a paragraph.
const MAX_DISTANCE: usize = 60;

/// What the words beside a quotation say about who said it.
pub(super) struct Found {
    /// Who.
    pub mention: Mention,
    /// The publication they said it through.
    pub via: Option<Name>,
}

/// Gives each open quotation a speaker by the verbs beside it.
pub(super) fn attribute(passages: &Passages, cast: &mut Cast, said: &mut Said) {
    for p in 0..passages.len() {
        let passage = passages.passage(p);
        if passage.quotes.is_empty() || said.note[p] {
            continue;
        }
        let text = passages.text(p);
        let according = according_before_each(text);
        passages.work(text.tokens.len());
        for (q, &according) in according.iter().enumerate() {
            if !said.open(p, q) {
                continue;
            }
            let Some(found) = beside(text, q, according, passages) else {
                continue;
            };
            let (speaker, role) = speaker_of(&found.mention, passage, text, p, cast, passages);
            said.decide(p, q, speaker, role);
            if let Some(via) = found.via
                && said.source(p, q).is_some()
            {
                said.quotes[p][q].via = Some(cast.resolve(&via, (p, via.span.start), passages));
            }
        }
    }
}

/// Whether a mention is a name: a single word that opens its sentence is
/// capitalised whatever it is (“Critics say”), so it is a name only if the
/// page links it, knows it, gives it in full, or capitalises it elsewhere.
pub(super) fn believable(
    mention: &Mention,
    passage: &Passage,
    text: &Text,
    cast: &mut Cast,
    passages: &Passages,
) -> bool {
    let Mention::Named(found) = mention else {
        return true;
    };
    let [name] = found.as_slice() else {
        return true;
    };
    let linked = passage
        .links
        .iter()
        .any(|l| l.span.start <= name.span.start && name.span.end <= l.span.end);
    if !name.short || linked {
        return true;
    }
    let at = text
        .tokens
        .partition_point(|t| t.span.start < name.span.start);
    let sentence = text.sentence(at).start;
    let opens = text.tokens[sentence..at].iter().all(|t| !t.is_word());
    !opens || known_word(name, cast, passages)
}

/// Whether a one-word name is one whatever its place: the page knows it,
/// gives it in full, or capitalises it where no sentence starts.
pub(super) fn known_word(name: &Name, cast: &mut Cast, passages: &Passages) -> bool {
    !name.short
        || cast.known(&name.text, name.kind).is_some()
        || {
            cast.read_people(passages);
            cast.has_full_name(&name.text)
        }
        || cast.is_proper_noun(&name.text, passages)
}

/// For each quotation of `text`, where the last “according to” (or
/// another phrase of [`lexicon::ACCORDING`]) before it in its sentence
/// starts, found in one pass over the tokens.
fn according_before_each(text: &Text) -> Vec<Option<usize>> {
    let tokens = &text.tokens;
    let mut out = Vec::with_capacity(text.quotes.len());
    let mut last: Option<(usize, usize)> = None;
    let mut at = 0;
    for marks in &text.quotes {
        while at < marks.open {
            let t = &tokens[at];
            if t.is_word() && !text.in_quote(at) {
                for phrase in lexicon::ACCORDING {
                    let mut words = phrase.split(' ');
                    if words.next().is_some_and(|w| t.is(w))
                        && words
                            .enumerate()
                            .all(|(k, w)| tokens.get(at + 1 + k).is_some_and(|n| n.is(w)))
                    {
                        last = Some((at, phrase.split(' ').count()));
                    }
                }
            }
            at += 1;
        }
        let sentence = text.sentence(marks.open).start;
        out.push(
            last.filter(|(start, _)| *start >= sentence)
                .map(|(start, len)| start + len),
        );
        at = at.max(marks.end);
    }
    out
}

/// The speaker a mention in passage `p` stands for: a source for a name
/// (the link's, when the name is a link to a registered source), a
/// pronoun to resolve, or nobody named.
pub(super) fn speaker_of(
    mention: &Mention,
    passage: &Passage,
    text: &Text,
    p: usize,
    cast: &mut Cast,
    passages: &Passages,
) -> (Speaker, Option<String>) {
    if !believable(mention, passage, text, cast, passages) {
        return (Speaker::Unnamed, None);
    }
    match mention {
        Mention::Unnamed => (Speaker::Unnamed, None),
        Mention::Pronoun(pronoun, at) => (Speaker::Pronoun(*pronoun, *at), None),
        Mention::Named(names) => {
            let first = &names[0];
            if let Some(link) = passage
                .links
                .iter()
                .find(|l| l.span.start <= first.span.start && first.span.end <= l.span.end)
            {
                if let Some(source) = cast.registry.by_url(&link.url) {
                    return (Speaker::Source(source.id.clone()), first.role.clone());
                }
                // A name linked to its own page: the source gets the address.
                let id = cast.resolve(first, (p, first.span.start), passages);
                let whole_link = text.text.get(link.span.clone()) == Some(first.text.as_str());
                if let Some(source) = cast.get_mut(&id)
                    && (whole_link || source.url.is_none())
                    && link.url.contains("://")
                {
                    source.url.get_or_insert_with(|| link.url.clone());
                }
                return (Speaker::Source(id), first.role.clone());
            }
            if names.len() > 1 {
                // Several authors: one source of them all, and each their own.
                let authors: Vec<String> = names.iter().map(|n| n.text.clone()).collect();
                for n in names {
                    cast.resolve(n, (p, n.span.start), passages);
                }
                let id = cast.add(Source {
                    id: crate::source::slug(&authors.join(" and ")),
                    kind: SourceKind::Person,
                    authors,
                    ..Source::default()
                });
                return (Speaker::Source(id), None);
            }
            let id = cast.resolve(first, (p, first.span.start), passages);
            (Speaker::Source(id), first.role.clone())
        }
    }
}

/// What the words beside quotation `q` say, trying the rules in order;
/// `according` is where the name after an “according to” before it in
/// its sentence starts.
fn beside(text: &Text, q: usize, according: Option<usize>, passages: &Passages) -> Option<Found> {
    let before = text.before(q);
    let after = text.after(q);
    passages.work(before.len().min(MAX_DISTANCE) + after.len().min(MAX_DISTANCE));
    right_after(text, q, after.clone())
        .or_else(|| right_before(text, before.clone()))
        .or_else(|| {
            let start = according?;
            let (mention, _) = names::starting_at(text, start, text.quotes[q].open)?;
            Some(Found { mention, via: None })
        })
        .or_else(|| further_before(text, before))
}

/// Whether token `at` is a reporting verb; and the token after it and its
/// particle (“pointed out”).
fn verb_at(text: &Text, at: usize, limit: usize) -> Option<usize> {
    if at >= limit || at >= text.tokens.len() || !is_verb(text, at) {
        return None;
    }
    let next = at + 1;
    Some(
        if text
            .tokens
            .get(next)
            .is_some_and(|n| next < limit && lexicon::is_particle(n.text))
        {
            next + 1
        } else {
            next
        },
    )
}

/// Whether token `at` reports speech: a reporting verb, and “put” only as
/// in “as Okafor put it”.
fn is_verb(text: &Text, at: usize) -> bool {
    let t = &text.tokens[at];
    if !t.is_word() || !lexicon::is_reporting_verb(t.text) {
        return false;
    }
    // “the United States government”: a capital makes it a name's word,
    // unless it opens the sentence (“Said Okafor: …”).
    if t.is_capitalised() && text.sentence(at).start != at {
        return false;
    }
    // “put it”, “pointed out”, “chimed in”: these only with their word.
    let needs = |word: &str| !text.tokens.get(at + 1).is_some_and(|n| n.is(word));
    let stem = t.text.to_ascii_lowercase();
    if stem.starts_with("put") && needs("it")
        || stem.starts_with("point") && needs("out")
        || stem.starts_with("chim") && needs("in")
    {
        return false;
    }
    // “her opening remarks”, “the report”, “its comments”: a noun.
    let determiner = |i: usize| {
        text.tokens.get(i).is_some_and(|d| {
            DETERMINERS.iter().any(|w| d.is(w)) || d.is_word() && names::possessive(d.text)
        })
    };
    let adjective = |i: usize| {
        text.tokens
            .get(i)
            .is_some_and(|a| a.is_word() && !a.is_capitalised())
    };
    !(at > 0 && determiner(at - 1) || at > 1 && adjective(at - 1) && determiner(at - 2))
}

/// Words before a noun, which make a reporting verb's form after them a
/// noun (“her remarks”, “the report”, “at various points”).
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "her", "his", "their", "its", "our", "my", "your", "this", "that", "these",
    "those", "whose", "every", "each", "no", "any", "at", "in", "on", "of", "for", "with", "from",
    "by", "about",
];

/// Whether the verb at `at` tells somebody (“told”, “tells”): what follows
/// it is who heard the words, not who said them.
fn tells(text: &Text, at: usize) -> bool {
    text.tokens
        .get(at)
        .is_some_and(|t| t.is("told") || t.is("tell") || t.is("tells") || t.is("telling"))
}

/// “told [the] Guardian”, “in an interview with the Guardian”, “wrote in
/// the Harbor Gazette”: a publication after the verb at `verb`, before `limit`.
fn via_after(text: &Text, verb: usize, limit: usize) -> Option<Name> {
    let tokens = &text.tokens;
    let stop = limit.min(verb + 8);
    let mut at = verb + 1;
    while at < stop {
        let t = &tokens[at];
        let from = if at == verb + 1 && (t.is("the") || t.is_capitalised()) {
            Some(at)
        } else if t.is("in") || t.is("with") || t.is("on") || t.is("to") {
            Some(at + 1)
        } else {
            None
        };
        if let Some(from) = from
            && let Some((Mention::Named(names), _)) = names::starting_at(text, from, stop)
            && let [name] = names.as_slice()
            && name.kind == SourceKind::Publication
        {
            return Some(name.clone());
        }
        if t.is_mark('.') || t.is_mark(';') || t.is_mark('“') {
            break;
        }
        at += 1;
    }
    None
}

/// Rule 1, right after the quotation: a verb then a name, or a name then a
/// verb.
fn right_after(text: &Text, q: usize, gap: Range<usize>) -> Option<Found> {
    let tokens = &text.tokens;
    let mut at = gap.start;
    while at < gap.end && tokens[at].is_mark(',') {
        at += 1;
    }
    if at >= gap.end {
        return None;
    }
    // “…,” said Okafor / reported the Guardian / reads the Union’s website.
    if let Some(next) = verb_at(text, at, gap.end)
        && !tells(text, at)
    {
        let (mention, end) = names::starting_at(text, next, gap.end)?;
        if matches!(mention, Mention::Pronoun(..)) && tokens.get(end).is_some_and(|t| t.is_word()) {
            // “said he would” is not an attribution.
            return None;
        }
        if introduces_next(text, q, end, gap.end) {
            return None;
        }
        return Some(Found {
            via: via_after(text, end.saturating_sub(1), gap.end),
            mention,
        });
    }
    // “…,” Okafor said / Okafor, a tenant, told the Guardian / he added.
    let (mention, end) = names::starting_at(text, at, gap.end)?;
    let verb = names::skip_forward_adverbs(tokens, end, gap.end);
    let after_verb = verb_at(text, verb, gap.end)?;
    if introduces_next(text, q, after_verb, gap.end) {
        return None;
    }
    let via = if tells(text, verb) {
        via_after(text, verb, gap.end)
    } else {
        via_after(text, after_verb.saturating_sub(1), gap.end)
    };
    Some(Found { mention, via })
}

/// Whether an attribution that ends at token `end`, after quotation `q`,
/// leads into the next quotation rather than closing this one: `q` ends
/// its sentence (“…” He added, “…”), and nothing but a comma, a colon or
/// “that” stands between the attribution and the next opening mark.
/// (“…,” he said, “…” closes the first: its sentence goes on.)
fn introduces_next(text: &Text, q: usize, end: usize, gap_end: usize) -> bool {
    let tokens = &text.tokens;
    let marks = text.quotes[q];
    let ended = marks.end > marks.start && {
        let last = &tokens[marks.end - 1];
        last.is_mark('.') || last.is_mark('!') || last.is_mark('?')
    };
    let next_quote = text.quotes.get(q + 1).is_some_and(|m| m.open == gap_end);
    ended
        && next_quote
        && tokens[end.min(gap_end)..gap_end]
            .iter()
            .all(|t| t.is_mark(',') || t.is_mark(':') || t.is("that"))
}

/// Rule 2, right before the quotation: a name and its verb, perhaps “that”
/// and a comma or colon between; or a name and a noun of speech and a colon.
fn right_before(text: &Text, gap: Range<usize>) -> Option<Found> {
    let tokens = &text.tokens;
    let mut end = gap.end;
    while end > gap.start
        && (tokens[end - 1].is_mark(',')
            || tokens[end - 1].is_mark(':')
            || tokens[end - 1].is("that"))
    {
        end -= 1;
    }
    if end == gap.start {
        return None;
    }
    if let Some(found) = noun_of_speech(text, gap.start, end) {
        return Some(found);
    }
    let mut verb = end - 1;
    if lexicon::is_particle(tokens[verb].text) && verb > gap.start {
        verb -= 1;
    }
    let t = &tokens[verb];
    let colon = tokens[gap.end - 1].is_mark(':');
    if t.is_word() && lexicon::is_speech_noun(t.text) && colon {
        // “Okafor’s advice: “…””, “Harbor Union recommendation: “…””: the
        // name right before the noun, never a pronoun or nobody.
        return match names::ending_at(text, gap.start, verb)? {
            mention @ Mention::Named(_) => Some(Found { via: None, mention }),
            _ => None,
        };
    }
    if is_verb(text, verb) {
        return subject(text, gap.start, verb).map(|mention| Found {
            via: via_after(text, verb, gap.end),
            mention,
        });
    }
    None
}

/// A noun of speech and the words it names, right before them: “Okafor’s
/// motto is “…””, “the Union’s mission to “…””, “the motto of the Harbor
/// Union is “…””. The name is the one the noun belongs to, never a pronoun
/// or nobody; “to” goes only with a mission, whose wording it introduces
/// (“Okafor’s answer to “…”” quotes the question, not her).
fn noun_of_speech(text: &Text, floor: usize, end: usize) -> Option<Found> {
    let tokens = &text.tokens;
    let link = end.checked_sub(1).filter(|&i| i > floor)?;
    let copula = tokens[link].is("is") || tokens[link].is("was");
    if !copula && !tokens[link].is("to") {
        return None;
    }
    let named = |mention: Mention| match mention {
        mention @ Mention::Named(_) => Some(Found { via: None, mention }),
        _ => None,
    };
    let noun = |i: usize| tokens[i].is_word() && lexicon::is_speech_noun(tokens[i].text);
    if noun(link - 1) && (copula || tokens[link - 1].is("mission")) {
        return named(names::ending_at(text, floor, link - 1)?);
    }
    // “the motto of NAME is”: the name runs from “of” to the verb.
    let of = (floor + 1..link)
        .rev()
        .take(8)
        .find(|&i| tokens[i].is("of") && noun(i - 1))?;
    match names::starting_at(text, of + 1, link)? {
        (mention, after) if copula && after == link => named(mention),
        _ => None,
    }
}

/// Who says what the verb at `verb` reports: the mention before it
/// (adverbs skipped); for an “-ing” form (“…, saying”) or a verb after
/// “and” (“Okafor stood up and said”), the sentence's subject.
fn subject(text: &Text, floor: usize, verb: usize) -> Option<Mention> {
    let tokens = &text.tokens;
    let mut end = names::skip_back_adverbs(tokens, floor, verb);
    let joined = end > floor
        && ["and", "but", "then", "or"]
            .iter()
            .any(|w| tokens[end - 1].is(w));
    if lexicon::is_participle(tokens[verb].text) {
        // “we are defining”: the subject stands before the auxiliary.
        let auxiliary = end > floor
            && ["am", "is", "are", "was", "were", "be", "been"]
                .iter()
                .any(|w| tokens[end - 1].is(w));
        if !auxiliary {
            return sentence_subject(text, floor, verb);
        }
        end = names::skip_back_adverbs(tokens, floor, end - 1);
    } else if joined || end > floor && tokens[end - 1].is("to") && !tokens[verb].is("put") {
        // “Okafor stood up and said”, “Okafor went as far as to write”.
        return sentence_subject(text, floor, verb);
    }
    let mention = names::ending_at(text, floor, end)?;
    // “As Amber Sprinkle, who served on a project with 18F says”: a name
    // after a preposition is none of the verb's; the sentence's is.
    if let Mention::Named(names) = &mention
        && let Some(first) = names.first()
    {
        let at = tokens.partition_point(|t| t.span.start < first.span.start);
        let after_preposition = at > floor
            && [
                "with", "on", "at", "for", "from", "of", "in", "to", "by", "about",
            ]
            .iter()
            .any(|w| tokens[at - 1].is(w));
        if after_preposition {
            return sentence_subject(text, floor, verb);
        }
    }
    // “our Sunshine Week post”, “the Harbor report”: after one name, a
    // verb's bare form is a noun (Okafor says, posts, posted; never post).
    let word = tokens[verb].text;
    let inflected = word.ends_with('s') || word.ends_with("ed") || word.ends_with("ing");
    let irregular = ["said", "told", "wrote", "read", "put"]
        .iter()
        .any(|w| tokens[verb].is(w));
    let bare = !inflected && !irregular;
    if bare && matches!(&mention, Mention::Named(names) if names.len() == 1) {
        return None;
    }
    Some(mention)
}

/// The mention that opens the sentence of token `verb`, after nothing but
/// discourse words and marks (“Later, Alan deLevie …”).
fn sentence_subject(text: &Text, floor: usize, verb: usize) -> Option<Mention> {
    let tokens = &text.tokens;
    let mut at = text.sentence(verb).start.max(floor);
    let stop = verb.min(at + 6);
    while at < stop {
        let t = &tokens[at];
        if t.is_word() {
            let opener =
                lexicon::is_discourse(t.text) && lexicon::pronoun(t.text).is_none() && !t.is("the");
            if !opener {
                break;
            }
        }
        at += 1;
    }
    match names::starting_at(text, at, verb)? {
        (Mention::Unnamed, _) => None,
        // “Phase Four: …”, “Section 508 is …”: a label or a numbered thing.
        (Mention::Named(names), end)
            if names.len() == 1
                && tokens
                    .get(
                        text.tokens
                            .partition_point(|t| t.span.start < names[0].span.end),
                    )
                    .is_some_and(|t| {
                        t.is_mark(':') || t.kind == crate::token::TokenKind::Number
                    }) =>
        {
            let _ = end;
            None
        }
        (mention, _) => Some(mention),
    }
}

/// Rule 3: “According to NAME, …” before the quotation in its sentence.
fn according_to(text: &Text, gap: Range<usize>) -> Option<Found> {
    let tokens = &text.tokens;
    let mut at = gap.end;
    while at > gap.start {
        at -= 1;
        let t = &tokens[at];
        if !t.is_word() {
            continue;
        }
        for phrase in lexicon::ACCORDING {
            let words: Vec<&str> = phrase.split(' ').collect();
            if at + words.len() > gap.end {
                continue;
            }
            if words.iter().enumerate().all(|(k, w)| tokens[at + k].is(w)) {
                let start = at + words.len();
                if let Some((mention, _)) = names::starting_at(text, start, gap.end) {
                    return Some(Found { mention, via: None });
                }
            }
        }
    }
    None
}

/// Rule 4: a reporting verb further before the quotation in its sentence,
/// its subject before it (“The Atlantic noted that … “…””), or after it
/// when inverted (“writes Okafor in the post, “…””).
fn further_before(text: &Text, gap: Range<usize>) -> Option<Found> {
    let floor = gap.start.max(gap.end.saturating_sub(MAX_DISTANCE));
    let mut at = gap.end;
    while at > floor {
        at -= 1;
        if !is_verb(text, at) {
            continue;
        }
        if let Some(mention) = subject(text, gap.start, at) {
            if matches!(mention, Mention::Unnamed) && tells(text, at) {
                continue;
            }
            return Some(Found {
                via: via_after(text, at, gap.end),
                mention,
            });
        }
        if !tells(text, at)
            && let Some(next) = verb_at(text, at, gap.end)
            && let Some((mention @ Mention::Named(_), _)) = names::starting_at(text, next, gap.end)
        {
            return Some(Found { mention, via: None });
        }
        // The nearest verb decides: one further back reports something else.
        return None;
    }
    None
}

/// The speaker a sentence reports without quotation marks (“An
/// architect’s work is like that, he said.”), for the quotation that
/// follows it.
pub(super) fn reported(text: &Text, sentence: Range<usize>) -> Option<Found> {
    let mut at = sentence.end;
    while at > sentence.start {
        at -= 1;
        if text.in_quote(at) {
            return None;
        }
        if !is_verb(text, at) {
            continue;
        }
        let mention = subject(text, sentence.start, at).or_else(|| {
            let next = verb_at(text, at, sentence.end)?;
            names::starting_at(text, next, sentence.end).map(|(m, _)| m)
        })?;
        return Some(Found { mention, via: None });
    }
    None
}

/// The speaker of a lead-in that ends a passage with a colon (“as Lee Park
/// argues in a follow-up post:”, “Okafor’s advice:”), for the block after it.
pub(super) fn lead_in(text: &Text) -> Option<Found> {
    let tokens = &text.tokens;
    let last = tokens.len().checked_sub(1)?;
    if !tokens[last].is_mark(':') {
        return None;
    }
    let sentence = text.sentence(last);
    if let Some(found) = according_to(text, sentence.start..last) {
        return Some(found);
    }
    // A name and a noun of speech: “Okafor’s advice:”, “18F’s answer:”.
    // “Okafor’s advice to new organisers:”: the noun, then a few words.
    let nouns = sentence.start.max(last.saturating_sub(6))..last;
    if let Some(noun) = nouns
        .rev()
        .find(|&i| tokens[i].is_word() && lexicon::is_speech_noun(tokens[i].text))
        && !tokens[noun + 1..last]
            .iter()
            .any(|t| t.is_word() && lexicon::is_reporting_verb(t.text))
        && let Some(mention @ Mention::Named(_)) = names::ending_at(text, sentence.start, noun)
    {
        return Some(Found { mention, via: None });
    }
    further_before(text, sentence.start..last)
}

#[cfg(test)]
#[path = "speech_tests.rs"]
mod tests;

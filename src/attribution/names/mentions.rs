//! Mentions: who a few tokens on either side of a verb or a quotation
//! name — a name with its role, two names, a pronoun, or somebody the
//! text does not name — read with the name rules of the module above.

use super::*;

/// Whether `t` is an auxiliary or an adverb, which may stand between a
/// name and its verb (“has long argued”, “also said”, “later added”).
fn adverb(t: &Token) -> bool {
    t.is_word()
        && !t.is_capitalised()
        && (t.text.len() > 3 && t.text.ends_with("ly")
            || [
                "also",
                "further",
                "has",
                "have",
                "had",
                "later",
                "then",
                "long",
                "often",
                "even",
                "itself",
                "themselves",
                "would",
                "will",
                "could",
                "can",
                "may",
                "might",
                "must",
                "should",
                "did",
                "does",
                "do",
                "just",
                "always",
                "never",
                "still",
                "already",
                "first",
                "again",
                "soon",
                "once",
                "too",
            ]
            .iter()
            .any(|w| t.is(w)))
}

/// Every name the text gives outside a role (“Okafor”, “the Harbor
/// Gazette”, “Ines Duarte and Paul Kerr”), with the token it starts at.
pub(in crate::attribution) fn mentions(text: &Text) -> Vec<(usize, Name)> {
    let tokens = &text.tokens;
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if !tokens[i].is_capitalised() {
            i += 1;
            continue;
        }
        let end = run_forward(tokens, i, tokens.len()).max(i + 1);
        let article = i > 0 && tokens[i - 1].is("the");
        if let Some(Run::Names(names)) = read_run(text, i..end, article) {
            for name in names {
                out.push((i, name));
            }
        }
        i = end;
    }
    out
}

/// Skips back from `end` over at most three adverbs and auxiliaries.
pub(in crate::attribution) fn skip_back_adverbs(
    tokens: &[Token],
    floor: usize,
    mut end: usize,
) -> usize {
    let mut skipped = 0;
    while end > floor && skipped < 3 && adverb(&tokens[end - 1]) {
        end -= 1;
        skipped += 1;
    }
    end
}

/// Skips forward from `at` over at most three adverbs and auxiliaries.
pub(in crate::attribution) fn skip_forward_adverbs(
    tokens: &[Token],
    mut at: usize,
    limit: usize,
) -> usize {
    let mut skipped = 0;
    while at < limit && skipped < 3 && adverb(&tokens[at]) {
        at += 1;
        skipped += 1;
    }
    at
}

/// The mention that ends just before token `end`, reading back no further
/// than `floor`: “Okafor”, “Okafor, a tenant since 1990,”, “he”, “the
/// Coalition’s archive”, “the White House open source policy”, “one caller”.
pub(in crate::attribution) fn ending_at(text: &Text, floor: usize, end: usize) -> Option<Mention> {
    let tokens = &text.tokens;
    if end <= floor {
        return None;
    }
    let last = &tokens[end - 1];
    if let Some(pronoun) = lexicon::pronoun(last.text).filter(|_| last.is_word()) {
        return Some(Mention::Pronoun(pronoun, end - 1));
    }
    // An apposition between commas: the name stands before it, and opens
    // the sentence (“Rafael López, the commissioner of …, says”).
    if last.is_mark(',') {
        let sentence = text.sentence(end - 1).start.max(floor);
        if let Some((Mention::Named(mut names), after)) = starting_at(text, sentence, end - 1)
            && names.len() == 1
            && (after == end
                || tokens
                    .get(after.saturating_sub(1))
                    .is_some_and(|t| t.is_mark(',')))
            && after <= end
        {
            if after < end {
                let role = text.slice(after..end - 1).to_string();
                names[0].role.get_or_insert(role);
            }
            return Some(Mention::Named(names));
        }
        let from = end.saturating_sub(MAX_APPOSITION).max(floor);
        let comma = (from..end - 1).rev().find(|&i| tokens[i].is_mark(','))?;
        let role = text.slice(comma + 1..end - 1).to_string();
        return match ending_at(text, floor, comma)? {
            Mention::Named(mut names) if names.len() == 1 => {
                names[0].role.get_or_insert(role);
                Some(Mention::Named(names))
            }
            other => Some(other),
        };
    }
    if last.is_mark(')') {
        // “the Tenants Union (TU) said”: the name before the parenthesis,
        // cut to the words its abbreviation stands for.
        let open = (end.saturating_sub(5).max(floor)..end - 1)
            .rev()
            .find(|&i| tokens[i].is_mark('('))?;
        let mention = ending_at(text, floor, open)?;
        if open + 3 == end
            && let Mention::Named(names) = &mention
            && let [name] = names.as_slice()
            && let Some(fitted) = fit_initials(name, &letters_of(tokens[open + 1].text))
        {
            return Some(Mention::Named(vec![fitted]));
        }
        return Some(mention);
    }
    if last.is_word() && !last.is_capitalised() {
        // A work named by its owner or by itself: “the Coalition’s
        // archive”, “the White House open source policy”.
        if lexicon::work_kind(last.text).is_some() && end - 1 > floor {
            let start = run_back(tokens, floor, end - 1);
            if start < end - 1 {
                let owner = &tokens[end - 2];
                if possessive(owner.text) {
                    let article = start > floor && tokens[start - 1].is("the");
                    return match read_run(text, start..end - 1, article)? {
                        Run::Names(names) => Some(Mention::Named(names)),
                        Run::Role(_) => Some(Mention::Unnamed),
                    };
                }
                // “a 2010 Harbor Union memo” is a memo, not a work's name.
                let mut before = start;
                while before > floor && tokens[before - 1].text.bytes().all(|b| b.is_ascii_digit())
                {
                    before -= 1;
                }
                if before > floor
                    && ["a", "an", "another"]
                        .iter()
                        .any(|w| tokens[before - 1].is(w))
                {
                    return Some(Mention::Unnamed);
                }
                let (run, article) = trim(tokens, start..end - 1, false);
                if run.is_empty() {
                    return Some(Mention::Unnamed);
                }
                return name(text, run.start..end, None, article).map(|mut n| {
                    n.kind = lexicon::work_kind(last.text).unwrap_or(SourceKind::Report);
                    n.short = false;
                    Mention::Named(vec![n])
                });
            }
        }
        // A common noun: somebody the text does not name.
        return Some(Mention::Unnamed);
    }
    let start = run_back(tokens, floor, end);
    if start == end {
        return None;
    }
    if lexicon::is_indefinite(tokens[start].text) {
        return Some(Mention::Unnamed);
    }
    // “José Luis Ferrán from the Harbor Bail Fund said”: the person before
    // the affiliation.
    let mut before = start;
    if before > floor && tokens[before - 1].is("the") {
        before -= 1;
    }
    if before > floor
        && ["from", "at", "with", "of", "for"]
            .iter()
            .any(|w| tokens[before - 1].is(w))
    {
        let person_end = before - 1;
        let person_start = run_back(tokens, floor, person_end);
        if person_start < person_end && person_like(tokens, person_start..person_end) {
            let role = text.slice(before - 1..end).to_string();
            return name(text, person_start..person_end, Some(role), false)
                .map(|n| Mention::Named(vec![n]));
        }
    }
    let article = start > floor && tokens[start - 1].is("the");
    match read_run(text, start..end, article)? {
        Run::Names(names) => Some(Mention::Named(names)),
        Run::Role(_) => Some(Mention::Unnamed),
    }
}

/// The mention that starts at token `start`, before `limit`, and the token
/// after it: “Okafor, a tenant.”, “the Guardian”, “Executive Director of
/// the Bureau, Sam Ortega”, “Presidential Fellow Ada Quill”, “he”, “one
/// caller”.
pub(in crate::attribution) fn starting_at(
    text: &Text,
    start: usize,
    limit: usize,
) -> Option<(Mention, usize)> {
    let tokens = &text.tokens;
    let first = tokens.get(start).filter(|_| start < limit)?;
    if let Some(pronoun) = lexicon::pronoun(first.text).filter(|_| first.is_word()) {
        return Some((Mention::Pronoun(pronoun, start), start + 1));
    }
    let article = first.is("the");
    let start = if article { start + 1 } else { start };
    let next = tokens.get(start).filter(|_| start < limit)?;
    if next.is_word() && !next.is_capitalised() {
        // “the project team at the Harbor Fund”: a body speaking for its
        // organisation, which is named.
        if let Some(found) = body_of(text, start, limit) {
            return Some(found);
        }
        // “said one caller”, “says the report”: nobody named.
        return Some((Mention::Unnamed, start + 1));
    }
    let end = run_forward(tokens, start, limit);
    if end <= start {
        return None;
    }
    if lexicon::is_indefinite(next.text) {
        return Some((Mention::Unnamed, end));
    }
    // “Miriam and I”: the one telling it.
    if tokens.get(end).is_some_and(|t| t.is("and"))
        && tokens.get(end + 1).is_some_and(|t| t.text == "I")
        && end + 1 < limit
    {
        return Some((Mention::Pronoun(Pronoun::Own, end + 1), end + 2));
    }
    let read = read_run(text, start..end, article)?;
    match read {
        Run::Names(mut names) => {
            let mut after = end;
            // “the British Government Digital Service (GDS)”: cut to the
            // words the abbreviation stands for.
            if names.len() == 1
                && end + 2 < limit
                && tokens[end].is_mark('(')
                && tokens[end + 2].is_mark(')')
            {
                if let Some(fitted) = fit_initials(&names[0], &letters_of(tokens[end + 1].text)) {
                    names[0] = fitted;
                }
                after = end + 3;
            }
            // A work named by its owner: “the Tenants Union’s website”.
            if names.len() == 1
                && tokens.get(end).is_some_and(|t| {
                    end < limit && !t.is_capitalised() && lexicon::work_kind(t.text).is_some()
                })
            {
                after = end + 1;
            }
            // A role or affiliation after a comma, or “from”, “of”, “at”.
            if names.len() == 1 {
                let role = apposition(text, after, limit);
                if let Some((role, next)) = role {
                    names[0].role.get_or_insert(role);
                    after = next;
                }
            }
            Some((Mention::Named(names), after))
        }
        Run::Role(mut role) => {
            // “Executive Director of CoE, Bob De Luca”: the name after the
            // role, which may go on (“Director of Operations at the Bureau”).
            let mut end = end;
            if let Some((more, next)) = apposition(text, end, limit)
                .filter(|_| !tokens[end].is_mark(','))
                .filter(|(_, next)| tokens.get(next - 1).is_some_and(|t| t.is_mark(',')))
            {
                role = format!("{role} {more}");
                end = next - 1;
            }
            if tokens.get(end).is_some_and(|t| t.is_mark(',')) && end + 1 < limit {
                let next_end = run_forward(tokens, end + 1, limit);
                if next_end > end + 1 && person_like(tokens, end + 1..next_end) {
                    let n = name(text, end + 1..next_end, Some(role), false)?;
                    return Some((Mention::Named(vec![n]), next_end));
                }
            }
            Some((Mention::Unnamed, end))
        }
    }
}

/// “the project team at the Harbor Fund”, “the press office of the
/// Union”: a group of an organisation, in lower case, speaking as its
/// organisation; the group is the role. A person of it (“a representative
/// from the Union”) is nobody named.
fn body_of(text: &Text, start: usize, limit: usize) -> Option<(Mention, usize)> {
    let tokens = &text.tokens;
    let stop = limit.min(start + 4);
    let mut at = start;
    while at < stop && tokens[at].is_word() && !tokens[at].is_capitalised() {
        let t = &tokens[at];
        let group = t.is("team") || t.is("staff") || lexicon::is_organisation_word(t.text);
        let preposition = tokens
            .get(at + 1)
            .is_some_and(|n| n.is("at") || n.is("of") || n.is("from"));
        if group && preposition {
            let (mention, end) = starting_at(text, at + 2, limit)?;
            let Mention::Named(mut names) = mention else {
                return None;
            };
            let [name] = names.as_mut_slice() else {
                return None;
            };
            if name.kind != SourceKind::Organisation {
                return None;
            }
            name.role = Some(text.slice(start..at + 1).to_string());
            return Some((Mention::Named(names), end));
        }
        at += 1;
    }
    None
}

/// The role or affiliation after a name, from token `at`: “, a tenant”,
/// “, Director of Operations,”, “from the Harbor Bail Fund”; and the token
/// after it.
fn apposition(text: &Text, at: usize, limit: usize) -> Option<(String, usize)> {
    let tokens = &text.tokens;
    let first = tokens.get(at).filter(|_| at < limit)?;
    let start = if first.is_mark(',') {
        at + 1
    } else if first.is("from") || first.is("of") || first.is("at") || first.is("with") {
        at
    } else {
        return None;
    };
    let stop = limit.min(start + MAX_APPOSITION);
    let mut end = start;
    while end < stop {
        let t = &tokens[end];
        if t.is_mark(',')
            || t.is_mark('.')
            || t.is_mark(';')
            || t.is_mark('“')
            || t.is_mark('"')
            || t.is_mark(':')
        {
            break;
        }
        if end > start && t.is_word() && lexicon::is_reporting_verb(t.text) && !t.is_capitalised() {
            break;
        }
        end += 1;
    }
    if end == start {
        return None;
    }
    let role = text.slice(start..end).to_string();
    let after = if tokens.get(end).is_some_and(|t| t.is_mark(',')) {
        end + 1
    } else {
        end
    };
    Some((role, after))
}

/// Reads a credit: a name, perhaps with its role after a comma (“Ana Ruiz,
/// Director of the Harbor Fund”), from the start of `text`'s tokens.
pub(in crate::attribution) fn credit(text: &Text) -> Option<Name> {
    let mut start = 0;
    while text
        .tokens
        .get(start)
        .is_some_and(|t| t.kind == TokenKind::Punctuation && !t.is_mark('('))
    {
        start += 1;
    }
    match starting_at(text, start, text.tokens.len())? {
        (Mention::Named(names), _) if names.len() == 1 => names.into_iter().next(),
        _ => None,
    }
}

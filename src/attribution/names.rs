//! Names: a name and not its surroundings.
//!
//! Around a name in running text stand words that are not the name: a
//! discourse word (“As Lee Park reported”), an honorific (“Rev. Ada
//! Nkemelu”), a role before it (“Union President Dana Whit”) or after it
//! (“Sam Ortega, Director of Operations”), an affiliation (“José Luis
//! Ferrán from the Harbor Bail Fund”, “Karen S. of Kansas City”), a
//! possessive (“the Coalition’s archive” is the Coalition). This module
//! reads a mention out of a few tokens on either side of a verb or a
//! quotation: a name with its role, two names (“Ines Duarte and Paul
//! Kerr”), a pronoun, or somebody the text does not name (“one caller”,
//! “a blind friend”, a bare role).
//!
//! Every reading looks at a bounded number of tokens, so a mention costs
//! the same whatever the passage's length.

use std::ops::Range;

use super::lexicon::{self, Pronoun};
use super::text::Text;
use crate::source::SourceKind;
use crate::token::{Token, TokenKind};

mod mentions;

pub(super) use mentions::{
    credit, ending_at, mentions, skip_back_adverbs, skip_forward_adverbs, starting_at,
};

/// The most tokens a name (with its title and role) runs over.
const MAX_RUN: usize = 10;
/// The most tokens an apposition or affiliation runs over.
const MAX_APPOSITION: usize = 14;
/// The longest name kept, in bytes: anything longer is a fragment.
const MAX_NAME_BYTES: usize = 80;

/// A name found in running text.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Name {
    /// The name proper: no honorific, role, discourse word or possessive.
    pub text: String,
    /// The role or affiliation the text gives beside it.
    pub role: Option<String>,
    /// What it names, as far as its words tell.
    pub kind: SourceKind,
    /// Its byte range in the passage text.
    pub span: Range<usize>,
    /// Whether it is a single word the page may use for a longer name.
    pub short: bool,
}

/// Who the words around a verb or a quotation say is speaking.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Mention {
    /// One name, or several (“wrote Ines Duarte and Paul Kerr”).
    Named(Vec<Name>),
    /// A pronoun, resolved later to somebody named before it.
    Pronoun(Pronoun, usize),
    /// Somebody the text does not name: “one caller”, “the team”, a bare role.
    Unnamed,
}

/// Whether `t` is a capitalised word that can start a name: not a
/// contraction (“Don’t”, “I’ve”), nor a compound that describes with a
/// name (“18F-wide”, “Union-led”, “Harbor-based”; “De-risking” in a title
/// is a word of the name).
fn capital(t: &Token) -> bool {
    t.is_capitalised()
        && !lexicon::is_contraction(t.text)
        && !t
            .text
            .rsplit_once(['-', '‑'])
            .is_some_and(|(_, last)| DESCRIBING.contains(&last))
}

/// The last words of compounds that describe something by a name.
const DESCRIBING: &[&str] = &[
    "area", "backed", "based", "centric", "era", "focused", "funded", "led", "level", "owned",
    "run", "specific", "style", "wide",
];

/// Whether token `t` can stand inside a name run, after `previous` (a token
/// of the run, if any) and before `next`.
fn name_word(t: &Token, previous: Option<&Token>, next: Option<&Token>) -> bool {
    match t.kind {
        TokenKind::Word => {
            if capital(t) {
                return true;
            }
            let Some(previous) = previous.filter(|p| p.is_word() || p.is_mark('.')) else {
                return false;
            };
            // “deLevie”, “bin”, “van”, “of”: inside a run, before a capital.
            let inner_capital = t.text.chars().skip(1).any(char::is_uppercase);
            let before_name =
                next.is_some_and(|n| capital(n) && lexicon::pronoun(n.text).is_none());
            inner_capital && previous.is_capitalised()
                || lexicon::is_connector(t.text) && before_name
        }
        TokenKind::Punctuation => {
            let Some(previous) = previous else {
                return false;
            };
            // An initial's or an honorific's period, and “&” between names.
            (t.is_mark('.')
                && previous.is_word()
                && (previous.text.chars().count() == 1 && previous.is_capitalised()
                    || previous.text.contains('.') && previous.is_capitalised()
                    || lexicon::is_title(previous.text)))
                || (t.is_mark('&') && next.is_some_and(|n| n.is_capitalised()))
        }
        TokenKind::Number => false,
    }
}

/// The start of the run of name tokens that ends at `end`, no earlier than `floor`.
fn run_back(tokens: &[Token], floor: usize, end: usize) -> usize {
    let mut start = end;
    while start > floor && end - start < MAX_RUN {
        let t = &tokens[start - 1];
        let previous = start.checked_sub(2).map(|p| &tokens[p]);
        let next = tokens.get(start);
        // Read backwards, a connector or mark needs a name word before it.
        // “of the”: a connector may follow another, after a name word.
        let before_chain = if previous.is_some_and(|p| lexicon::is_connector(p.text)) {
            start.checked_sub(3).map(|p| &tokens[p])
        } else {
            previous
        };
        let fits = match t.kind {
            TokenKind::Word if capital(t) => true,
            _ => {
                before_chain.is_some_and(|p| p.is_capitalised() || p.is_mark('.'))
                    && (name_word(t, previous, next)
                        || lexicon::is_connector(t.text)
                            && next.is_some_and(|n| {
                                n.is_capitalised() || lexicon::is_connector(n.text)
                            }))
            }
        };
        if !fits {
            break;
        }
        start -= 1;
    }
    // A run starts with a word, not a connector or a mark.
    while start < end && !capital(&tokens[start]) {
        start += 1;
    }
    start
}

/// The end of the run of name tokens that starts at `start`, before `limit`.
fn run_forward(tokens: &[Token], start: usize, limit: usize) -> usize {
    let mut end = start;
    while end < limit && end - start < MAX_RUN {
        let previous = end
            .checked_sub(1)
            .filter(|&p| p >= start)
            .map(|p| &tokens[p]);
        let next = tokens.get(end + 1).filter(|_| end + 1 < limit);
        if end == start && !capital(&tokens[end]) {
            break;
        }
        if !name_word(&tokens[end], previous, next) {
            break;
        }
        end += 1;
    }
    // A run ends with a word or an initial's period, not a connector.
    while end > start && {
        let last = &tokens[end - 1];
        lexicon::is_connector(last.text)
            || last.kind == TokenKind::Punctuation && !last.is_mark('.')
    } {
        end -= 1;
    }
    end
}

/// Whether the words `range` look like a person's name: capitalised words
/// and initials, a particle or two, and none of the lexicon's other words.
fn person_like(tokens: &[Token], range: Range<usize>) -> bool {
    let words: Vec<&Token> = tokens[range].iter().filter(|t| t.is_word()).collect();
    if words.is_empty() || words.len() > 5 || !words[0].is_capitalised() {
        return false;
    }
    words.iter().all(|w| {
        let text = base(w.text);
        !(lexicon::is_organisation_word(text)
            || lexicon::is_publication_word(text)
            || lexicon::work_kind(text).is_some()
            || lexicon::is_role_word(text)
            || lexicon::is_discourse(text)
            || lexicon::is_title(text)
            || w.is("of")
            || w.is("for")
            || w.is("the")
            || w.is("and")
            || is_acronym(text)
            || text.starts_with(|c: char| c.is_ascii_digit()))
    })
}

/// Whether `word` is written in capitals (“GSA”, “JCLC”).
pub(super) fn is_acronym(word: &str) -> bool {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 2
        && word
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase)
}

/// Whether `word` ends in a possessive “’s”.
pub(super) fn possessive(word: &str) -> bool {
    word.len() > 2 && (word.ends_with("’s") || word.ends_with("'s") || word.ends_with("’S"))
}

/// What a run of name tokens says.
#[derive(Debug)]
enum Run {
    /// One name or several, with the role written before them.
    Names(Vec<Name>),
    /// Only a role or a generic word (“Executive Director of CoE”).
    Role(String),
}

/// The kind a name's own words give it.
pub(super) fn kind_of(words: &[&str], article: bool) -> SourceKind {
    let last = words.last().copied().unwrap_or("");
    if words.iter().any(|w| lexicon::is_publication_word(w))
        && (article || lexicon::is_publication_word(last))
    {
        return SourceKind::Publication;
    }
    if words.len() > 1
        && let Some(kind) = lexicon::work_kind(last)
    {
        return kind;
    }
    // “Code of Conduct”, “Declaration of Rights”: a work's noun, then “of”.
    if let [first, of, ..] = words
        && of.eq_ignore_ascii_case("of")
        && let Some(kind) = lexicon::work_kind(first)
    {
        return kind;
    }
    let organisation = words.iter().any(|w| lexicon::is_organisation_word(w))
        || words
            .iter()
            .all(|w| is_acronym(w) || lexicon::is_connector(w))
        || words
            .first()
            .is_some_and(|w| w.starts_with(|c: char| c.is_ascii_digit()));
    if organisation || (article && words.len() == 1) || words.len() > 5 {
        SourceKind::Organisation
    } else {
        SourceKind::Person
    }
}

/// The word without a final possessive “’s”.
pub(super) fn base(word: &str) -> &str {
    let stripped = word
        .strip_suffix("’s")
        .or_else(|| word.strip_suffix("'s"))
        .or_else(|| word.strip_suffix("’S"))
        .unwrap_or(word);
    if stripped.is_empty() { word } else { stripped }
}

/// Makes a name of tokens `range`, dropping a final possessive.
fn name(text: &Text, range: Range<usize>, role: Option<String>, article: bool) -> Option<Name> {
    let tokens = &text.tokens;
    if range.is_empty() {
        return None;
    }
    let first = tokens[range.start].span.start;
    let last = &tokens[range.end - 1];
    let end = last.span.end - (last.text.len() - base(last.text).len());
    let proper = text.text.get(first..end)?;
    let words: Vec<&str> = tokens[range.clone()]
        .iter()
        .filter(|t| t.is_word())
        .map(|t| base(t.text))
        .collect();
    let capitalised = tokens[range.clone()]
        .iter()
        .filter(|t| t.is_capitalised() && !lexicon::is_not_name(base(t.text)))
        .count();
    if capitalised == 0 || proper.len() > MAX_NAME_BYTES || proper.is_empty() {
        return None;
    }
    // A lone generic word is not a name: “Commission”, “Director”, “Report”.
    if let [w] = words.as_slice() {
        // “the Commission” is a name the page gave in full before.
        let generic = (lexicon::is_organisation_word(w) && !article)
            || lexicon::is_role_word(w)
            || lexicon::work_kind(w).is_some()
            || lexicon::is_reporting_verb(w)
            || lexicon::is_speech_noun(w);
        if generic && !lexicon::is_publication_word(w) && !is_acronym(w) {
            return None;
        }
    }
    let kind = kind_of(&words, article);
    // “The Atlantic”, “The Harbor Gazette”: a publication's article is
    // part of its title; “Ohio's Department of Health” is the Ohio
    // Department of Health.
    let text = if kind == SourceKind::Publication && article {
        format!("The {proper}")
    } else if kind == SourceKind::Organisation {
        proper.replace("’s ", " ").replace("'s ", " ")
    } else {
        proper.to_string()
    };
    // A name broken over lines is one name.
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(Name {
        text,
        role,
        kind,
        span: first..end,
        short: words.len() == 1 && kind == SourceKind::Person,
    })
}

/// The run without its leading discourse words, honorifics, capitalised
/// verbs and “the” (“As”, “But”, “Dr.”, “Said”, “The”), nor connectors at
/// its ends; and whether it had “the”.
fn trim(tokens: &[Token], mut range: Range<usize>, mut article: bool) -> (Range<usize>, bool) {
    while range.start < range.end {
        let t = &tokens[range.start];
        if t.is("the") {
            article = true;
        } else if !(t.is_mark('.')
            || lexicon::is_discourse(t.text)
            || lexicon::is_title(t.text)
            || lexicon::is_reporting_verb(t.text)
            || lexicon::is_connector(t.text))
        {
            break;
        }
        range.start += 1;
    }
    while range.end > range.start && lexicon::is_connector(tokens[range.end - 1].text) {
        range.end -= 1;
    }
    (range, article)
}

/// Reads the run `range`: drops discourse words and honorifics, keeps a
/// role apart, and splits two names joined by “and”.
fn read_run(text: &Text, range: Range<usize>, article: bool) -> Option<Run> {
    let tokens = &text.tokens;
    let (range, article) = trim(tokens, range, article);
    if range.is_empty() {
        return None;
    }
    // Two people: “Ines Duarte and Paul Kerr”.
    if let Some(and) =
        (range.start..range.end).find(|&i| tokens[i].is("and") || tokens[i].is_mark('&'))
        && person_like(tokens, range.start..and)
        && person_like(tokens, and + 1..range.end)
    {
        let names: Vec<Name> = [range.start..and, and + 1..range.end]
            .into_iter()
            .filter_map(|r| name(text, r, None, false))
            .collect();
        return (names.len() == 2).then_some(Run::Names(names));
    }
    // A person named with whose they are: “the Union’s Ana Ruiz”.
    if let Some(k) = (range.start..range.end - 1)
        .rev()
        .find(|&i| possessive(tokens[i].text))
        && person_like(tokens, k + 1..range.end)
    {
        let role = base(text.slice(range.start..k + 1)).to_string();
        return name(text, k + 1..range.end, Some(role), false).map(|n| Run::Names(vec![n]));
    }
    // A role before the name: the words after the run's last role word.
    let last_role = (range.start..range.end)
        .rev()
        .find(|&i| lexicon::is_role_word(tokens[i].text));
    if let Some(k) = last_role {
        let mut tail = k + 1..range.end;
        while tail.start < tail.end
            && (lexicon::is_title(tokens[tail.start].text) || tokens[tail.start].is_mark('.'))
        {
            tail.start += 1;
        }
        if !tail.is_empty() && person_like(tokens, tail.clone()) {
            let role = text.slice(range.start..k + 1).to_string();
            return name(text, tail, Some(role), false).map(|n| Run::Names(vec![n]));
        }
        let last_organisation = (range.start..range.end)
            .rev()
            .find(|&i| lexicon::is_organisation_word(base(tokens[i].text)));
        if lexicon::is_role_word(tokens[range.start].text)
            || last_organisation.is_none_or(|o| o < k)
        {
            return Some(Run::Role(text.slice(range).to_string()));
        }
    }
    // An affiliation after a person's name: “Karen S. of Kansas City”.
    if let Some(of) = (range.start..range.end).find(|&i| tokens[i].is("of"))
        && of > range.start
        && person_like(tokens, range.start..of)
        && tokens[range.start..of]
            .iter()
            .filter(|t| t.is_word())
            .count()
            >= 2
    {
        let role = text.slice(of..range.end).to_string();
        return name(text, range.start..of, Some(role), false).map(|n| Run::Names(vec![n]));
    }
    name(text, range, None, article).map(|n| Run::Names(vec![n]))
}

/// The capitals of an abbreviation (“GDS”), or nothing for a word that
/// is not one (“CoE” has lower-case letters).
pub(super) fn letters_of(abbr: &str) -> String {
    let letters: String = abbr.chars().filter(|c| c.is_uppercase()).collect();
    if letters.len() < 2 || letters.len() != abbr.chars().filter(|c| c.is_alphabetic()).count() {
        return String::new();
    }
    letters
}

/// The initials of a name's words, connectors left out.
pub(super) fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter(|w| !lexicon::is_connector(w))
        .filter_map(|w| w.chars().next())
        .collect::<String>()
        .to_uppercase()
}

/// The name cut to the words its abbreviation `letters` stands for: “the
/// British Government Digital Service (GDS)” is the Government Digital
/// Service. `None` when no tail of the name has those initials.
pub(super) fn fit_initials(name: &Name, letters: &str) -> Option<Name> {
    if letters.is_empty() {
        return None;
    }
    let mut offset = 0;
    for word in name.text.split_whitespace() {
        let at = offset + name.text[offset..].find(word).unwrap_or(0);
        let rest = &name.text[at..];
        let found = initials(rest);
        if found == letters || at == 0 && found.starts_with(letters) {
            return Some(Name {
                text: rest.to_string(),
                span: (name.span.start + at).min(name.span.end)..name.span.end,
                ..name.clone()
            });
        }
        offset = at + word.len();
    }
    None
}

/// The person's name that a run starting at token `at` holds, if the run
/// starts there, without its discourse words, honorifics and roles, and
/// the token to read from next: what the page calls people in full.
pub(super) fn person_at(tokens: &[Token], at: usize) -> Option<(Range<usize>, usize)> {
    let t = &tokens[at];
    if !t.is_capitalised()
        || at > 0 && name_word(t, Some(&tokens[at - 1]), None) && tokens[at - 1].is_capitalised()
    {
        return None;
    }
    let end = run_forward(tokens, at, tokens.len());
    let (mut range, _) = trim(tokens, at..end, false);
    // “Using Midas, you …”: a verb's “-ing” form opens the sentence.
    if range.start < range.end && tokens[range.start].text.ends_with("ing") {
        range.start += 1;
    }
    if let Some(k) = (range.start..range.end)
        .rev()
        .find(|&i| lexicon::is_role_word(tokens[i].text))
    {
        range.start = k + 1;
        while range.start < range.end
            && (lexicon::is_title(tokens[range.start].text) || tokens[range.start].is_mark('.'))
        {
            range.start += 1;
        }
    }
    let mut next = end;
    if let Some(cut) = (range.start..range.end)
        .find(|&i| tokens[i].is("of") || tokens[i].is("and") || tokens[i].is_mark('&'))
    {
        if tokens[cut].is("and") || tokens[cut].is_mark('&') {
            next = cut + 1;
        }
        range.end = cut;
    }
    (!range.is_empty() && person_like(tokens, range.clone())).then_some((range, next))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn before(sentence: &str) -> Option<(String, Option<String>, SourceKind)> {
        let text = Text::new(sentence, &[]);
        let end = text.tokens.len();
        match ending_at(&text, 0, end)? {
            Mention::Named(names) => {
                let n = &names[0];
                Some((n.text.clone(), n.role.clone(), n.kind))
            }
            _ => None,
        }
    }

    fn after(sentence: &str) -> Option<(String, Option<String>, SourceKind)> {
        let text = Text::new(sentence, &[]);
        match starting_at(&text, 0, text.tokens.len())?.0 {
            Mention::Named(names) => {
                let n = &names[0];
                Some((n.text.clone(), n.role.clone(), n.kind))
            }
            _ => None,
        }
    }

    fn named(
        s: &str,
        role: Option<&str>,
        kind: SourceKind,
    ) -> Option<(String, Option<String>, SourceKind)> {
        Some((s.to_string(), role.map(String::from), kind))
    }

    #[test]
    fn a_name_without_discourse_words_or_honorifics() {
        use SourceKind::*;
        assert_eq!(before("As Lee Park"), named("Lee Park", None, Person));
        assert_eq!(
            before("But Rev. Ada Nkemelu"),
            named("Ada Nkemelu", None, Person)
        );
        assert_eq!(
            after("Dr. David A. Chandler"),
            named("David A. Chandler", None, Person)
        );
        assert_eq!(before("Velma A."), named("Velma A.", None, Person));
    }

    #[test]
    fn roles_stand_apart_from_the_name() {
        use SourceKind::*;
        assert_eq!(
            before("Union President Dana Whit"),
            named("Dana Whit", Some("Union President"), Person)
        );
        assert_eq!(
            after("Talent Director Jen Tress"),
            named("Jen Tress", Some("Talent Director"), Person)
        );
        assert_eq!(
            after("Director of Operations at the Bureau, Sam Ortega"),
            named(
                "Sam Ortega",
                Some("Director of Operations at the Bureau"),
                Person
            )
        );
        assert_eq!(
            after("Rosa Vance, one of those arrested, said"),
            named("Rosa Vance", Some("one of those arrested"), Person)
        );
        assert_eq!(
            after("José Luis Ferrán from the Harbor Bail Fund"),
            named(
                "José Luis Ferrán",
                Some("from the Harbor Bail Fund"),
                Person
            )
        );
        assert_eq!(
            before("Karen S. of Kansas City"),
            named("Karen S.", Some("of Kansas City"), Person)
        );
        assert_eq!(
            before("Rev. Ada Nkemelu, a pastor with the Harbor Church,"),
            named(
                "Ada Nkemelu",
                Some("a pastor with the Harbor Church"),
                Person
            )
        );
        // A bare role names nobody.
        let text = Text::new("Executive Director of the Bureau", &[]);
        assert_eq!(
            ending_at(&text, 0, text.tokens.len()),
            Some(Mention::Unnamed)
        );
    }

    #[test]
    fn possessives_and_works() {
        use SourceKind::*;
        assert_eq!(
            before("the Coalition’s archive"),
            named("Coalition", None, Organisation)
        );
        assert_eq!(
            after("the Tenants Union’s website"),
            named("Tenants Union", None, Organisation)
        );
        assert_eq!(
            before("The Harbor Housing policy"),
            named("Harbor Housing policy", None, Report)
        );
        assert_eq!(
            before("the Riverside Tenant Guide"),
            named("Riverside Tenant Guide", None, Handbook)
        );
        assert_eq!(
            after("the Guardian"),
            named("The Guardian", None, Publication)
        );
        assert_eq!(
            before("The Harbor Gazette"),
            named("The Harbor Gazette", None, Publication)
        );
        assert_eq!(
            before("the Ferry Workers Union (FWU)"),
            named("Ferry Workers Union", None, Organisation)
        );
    }

    #[test]
    fn a_body_speaks_for_its_organisation() {
        assert_eq!(
            after("the press office at the Harbor Tenants Union"),
            named(
                "Harbor Tenants Union",
                Some("press office"),
                SourceKind::Organisation
            )
        );
        let text = Text::new("a representative from the Harbor Tenants Union", &[]);
        assert_eq!(
            starting_at(&text, 0, text.tokens.len()).map(|m| m.0),
            Some(Mention::Unnamed)
        );
    }

    #[test]
    fn a_name_is_cut_to_its_abbreviation() {
        assert_eq!(
            before("the British Harbor Tenants Union (HTU)"),
            named("Harbor Tenants Union", None, SourceKind::Organisation)
        );
        assert_eq!(letters_of("CoE"), "");
    }

    #[test]
    fn pronouns_groups_and_nobody() {
        let text = Text::new("she", &[]);
        assert_eq!(
            ending_at(&text, 0, 1),
            Some(Mention::Pronoun(Pronoun::Person, 0))
        );
        for nobody in ["one caller", "a blind friend", "the team"] {
            let text = Text::new(nobody, &[]);
            assert_eq!(
                ending_at(&text, 0, text.tokens.len()),
                Some(Mention::Unnamed),
                "{nobody}"
            );
        }
        let text = Text::new("Ines Duarte and Paul Kerr", &[]);
        let Some((Mention::Named(names), _)) = starting_at(&text, 0, text.tokens.len()) else {
            panic!("two authors")
        };
        let names: Vec<&str> = names.iter().map(|n| n.text.as_str()).collect();
        assert_eq!(names, ["Ines Duarte", "Paul Kerr"]);
        // One organisation with “and” in its name stays whole.
        assert_eq!(
            before("the Office of Housing and Transit"),
            named(
                "Office of Housing and Transit",
                None,
                SourceKind::Organisation
            )
        );
        // Generic words alone are no names, but “the Commission” is one.
        assert_eq!(before("Director"), None);
        assert_eq!(before("As"), None);
        assert_eq!(
            before("the Commission"),
            named("Commission", None, SourceKind::Organisation)
        );
    }
}

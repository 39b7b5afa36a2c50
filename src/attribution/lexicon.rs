//! Lexicon: the words attribution knows — verbs that report speech in
//! every tense, words that open a clause and are never names, titles and
//! roles, the words of organisations, publications and works, pronouns,
//! and the phrases of terms, excerpt notes and image credits.
//!
//! Every list is of English words that recur across sites; none is a list
//! of one site's names. Look-ups ignore ASCII case and allocate nothing:
//! each list is sorted, and searched by halves.

use std::cmp::Ordering;

use crate::source::SourceKind;

mod kinds;
mod speech;

use kinds::*;
use speech::*;

pub(super) use kinds::{ACCORDING, EXCERPT_MARKERS, IMAGE_CREDITS, TERM_MARKERS};

/// Compares a lower-case list word with `word` in any ASCII case.
fn compare(listed: &str, word: &str) -> Ordering {
    let (a, b) = (listed.as_bytes(), word.as_bytes());
    for (x, y) in a.iter().zip(b) {
        match x.cmp(&y.to_ascii_lowercase()) {
            Ordering::Equal => continue,
            other => return other,
        }
    }
    a.len().cmp(&b.len())
}

fn has(list: &[&str], word: &str) -> bool {
    list.binary_search_by(|listed| compare(listed, word))
        .is_ok()
}

/// Whether `word` reports speech or writing, in any form (“said”, “writes”).
pub(super) fn is_reporting_verb(word: &str) -> bool {
    has(REPORTING_VERBS, word)
}

/// Whether `word` is a reporting verb's “-ing” form, whose subject is the
/// clause's (“Okafor left, saying “…””).
pub(super) fn is_participle(word: &str) -> bool {
    word.len() > 4 && word[word.len() - 3..].eq_ignore_ascii_case("ing") && is_reporting_verb(word)
}

/// Whether `word` is the particle of a phrasal reporting verb (“pointed out”).
pub(super) fn is_particle(word: &str) -> bool {
    has(PARTICLES, word)
}

/// Whether `word` names words said or written (“answer”, “statement”).
pub(super) fn is_speech_noun(word: &str) -> bool {
    has(SPEECH_NOUNS, word)
}

/// Whether `word` opens a clause or modifies one, and is never a name.
pub(super) fn is_discourse(word: &str) -> bool {
    has(DISCOURSE, word)
}

/// Whether `word` is never a name on its own (a day, a month).
pub(super) fn is_not_name(word: &str) -> bool {
    has(NOT_NAMES, word) || has(DISCOURSE, word)
}

/// Whether `word` may stand inside a name in lower case (“of”, “van”).
pub(super) fn is_connector(word: &str) -> bool {
    has(CONNECTORS, word)
}

/// Whether `word` stands for somebody the text does not name (“Someone”).
pub(super) fn is_indefinite(word: &str) -> bool {
    has(INDEFINITE, word)
}

/// Whether `word` is a contraction (“Don’t”, “I’ve”, “We’re”), which is
/// never a name.
pub(super) fn is_contraction(word: &str) -> bool {
    let lower = word.to_lowercase().replace('\'', "’");
    ["n’t", "’ve", "’re", "’ll", "’m", "’d"]
        .iter()
        .any(|end| lower.len() > end.len() && lower.ends_with(end))
}

/// Whether `word` is an honorific (“Dr”, “Rev”).
pub(super) fn is_title(word: &str) -> bool {
    has(TITLES, word.trim_end_matches('.'))
}

/// Whether `word` is the head of a role or job title (“Director”).
/// Plurals too: “Designers Ana Ruiz and Lee Park”.
pub(super) fn is_role_word(word: &str) -> bool {
    has(ROLE_WORDS, word)
        || word
            .strip_suffix('s')
            .is_some_and(|one| one.len() > 2 && has(ROLE_WORDS, one))
}

/// Whether `word` makes a name an organisation's (“Union”, “Bureau”).
pub(super) fn is_organisation_word(word: &str) -> bool {
    has(ORGANISATION_WORDS, word)
}

/// Whether `word` makes a name a publication's (“Gazette”, “Times”).
pub(super) fn is_publication_word(word: &str) -> bool {
    has(PUBLICATION_WORDS, word)
}

/// The kind of work `word` names, if it names one (“report”, “post”).
pub(super) fn work_kind(word: &str) -> Option<SourceKind> {
    if !has(WORK_WORDS, word) {
        return None;
    }
    let lower = word.to_ascii_lowercase();
    Some(match lower.as_str() {
        "letter" | "memo" | "memorandum" => SourceKind::Letter,
        "post" | "blog" | "thread" | "column" | "editorial" | "op-ed" | "newsletter" => {
            SourceKind::Post
        }
        "website" | "site" | "page" | "podcast" | "video" => SourceKind::WebPage,
        "guide" | "guidance" | "handbook" | "manual" | "playbook" => SourceKind::Handbook,
        "book" => SourceKind::Book,
        "article" | "essay" => SourceKind::Article,
        _ => SourceKind::Report,
    })
}

/// Whether `word` is the last word of a phrase that makes what follows a
/// term (“the term”, “the phrase”).
pub(super) fn is_term_word(word: &str) -> bool {
    has(TERM_MARKERS_WORDS, word)
}

/// Who a pronoun stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Pronoun {
    /// He, she: one person.
    Person,
    /// They, it: a group, an organisation, a work, or people.
    Group,
    /// I, we, you: the writer, the reader, or the speaker of an answer.
    Own,
}

/// The pronoun `word` is, if it is one that can say something; a
/// contraction (“She’d”, “I’ve”) is its pronoun.
pub(super) fn pronoun(word: &str) -> Option<Pronoun> {
    let word = word
        .split(['’', '\''])
        .next()
        .filter(|w| !w.is_empty())
        .unwrap_or(word);
    if has(PRONOUNS_PERSON, word) {
        Some(Pronoun::Person)
    } else if has(PRONOUNS_GROUP, word) {
        Some(Pronoun::Group)
    } else if has(PRONOUNS_OWN, word) {
        Some(Pronoun::Own)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_list_is_sorted_lower_case_and_without_repeats() {
        for list in [
            REPORTING_VERBS,
            PARTICLES,
            SPEECH_NOUNS,
            DISCOURSE,
            NOT_NAMES,
            CONNECTORS,
            PRONOUNS_PERSON,
            PRONOUNS_GROUP,
            PRONOUNS_OWN,
            TITLES,
            ROLE_WORDS,
            ORGANISATION_WORDS,
            PUBLICATION_WORDS,
            WORK_WORDS,
            TERM_MARKERS_WORDS,
            INDEFINITE,
        ] {
            for pair in list.windows(2) {
                assert!(pair[0] < pair[1], "{} before {}", pair[0], pair[1]);
            }
            for word in list {
                assert_eq!(word.to_ascii_lowercase(), *word);
            }
        }
    }

    #[test]
    fn reporting_verbs_in_every_tense_and_in_any_case() {
        for word in [
            "say",
            "says",
            "said",
            "saying",
            "Told",
            "wrote",
            "writes",
            "explained",
        ] {
            assert!(is_reporting_verb(word), "{word}");
        }
        for word in ["pointed", "quipped", "testified", "replies", "emphasising"] {
            assert!(is_reporting_verb(word), "{word}");
        }
        assert!(!is_reporting_verb("sailed"));
        assert!(!is_reporting_verb("sa"));
        assert!(is_participle("adding") && !is_participle("added"));
    }

    #[test]
    fn kinds_of_words() {
        assert!(is_discourse("As") && is_discourse("however") && !is_discourse("Milan"));
        assert!(is_title("Dr.") && is_title("Rev") && !is_title("Director"));
        assert!(is_role_word("President") && is_role_word("director"));
        assert!(is_role_word("Designers") && !is_role_word("s"));
        assert!(is_organisation_word("Bureau") && is_publication_word("Gazette"));
        assert_eq!(work_kind("memo"), Some(SourceKind::Letter));
        assert_eq!(work_kind("Policy"), Some(SourceKind::Report));
        assert_eq!(work_kind("harbor"), None);
        assert_eq!(pronoun("She"), Some(Pronoun::Person));
        assert_eq!(pronoun("they"), Some(Pronoun::Group));
        assert_eq!(pronoun("We"), Some(Pronoun::Own));
        assert_eq!(pronoun("Okafor"), None);
    }
}

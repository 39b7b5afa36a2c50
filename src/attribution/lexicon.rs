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

/// Verbs that report what someone said or wrote, in every form (say, says,
/// said, saying): a quotation beside one of them is somebody's words.
const REPORTING_VERBS: &[&str] = &[
    "acknowledge",
    "acknowledged",
    "acknowledges",
    "acknowledging",
    "add",
    "added",
    "adding",
    "adds",
    "admit",
    "admits",
    "admitted",
    "admitting",
    "advise",
    "advised",
    "advises",
    "advising",
    "affirm",
    "affirmed",
    "affirming",
    "affirms",
    "agree",
    "agreed",
    "agreeing",
    "agrees",
    "announce",
    "announced",
    "announces",
    "announcing",
    "answer",
    "answered",
    "answering",
    "answers",
    "argue",
    "argued",
    "argues",
    "arguing",
    "ask",
    "asked",
    "asking",
    "asks",
    "assert",
    "asserted",
    "asserting",
    "asserts",
    "assure",
    "assured",
    "assures",
    "assuring",
    "boast",
    "boasted",
    "boasting",
    "boasts",
    "call",
    "called",
    "calling",
    "calls",
    "caution",
    "cautioned",
    "cautioning",
    "cautions",
    "chime",
    "chimed",
    "chimes",
    "chiming",
    "claim",
    "claimed",
    "claiming",
    "claims",
    "clarified",
    "clarifies",
    "clarify",
    "clarifying",
    "comment",
    "commented",
    "commenting",
    "comments",
    "complain",
    "complained",
    "complaining",
    "complains",
    "concede",
    "conceded",
    "concedes",
    "conceding",
    "conclude",
    "concluded",
    "concludes",
    "concluding",
    "confess",
    "confessed",
    "confesses",
    "confessing",
    "confide",
    "confided",
    "confides",
    "confiding",
    "confirm",
    "confirmed",
    "confirming",
    "confirms",
    "contend",
    "contended",
    "contending",
    "contends",
    "continue",
    "continued",
    "continues",
    "continuing",
    "declare",
    "declared",
    "declares",
    "declaring",
    "define",
    "defined",
    "defines",
    "defining",
    "denied",
    "denies",
    "deny",
    "denying",
    "describe",
    "described",
    "describes",
    "describing",
    "emphasise",
    "emphasised",
    "emphasises",
    "emphasising",
    "emphasize",
    "emphasized",
    "emphasizes",
    "emphasizing",
    "exclaim",
    "exclaimed",
    "exclaiming",
    "exclaims",
    "explain",
    "explained",
    "explaining",
    "explains",
    "express",
    "expressed",
    "expresses",
    "expressing",
    "grumble",
    "grumbled",
    "grumbles",
    "grumbling",
    "insist",
    "insisted",
    "insisting",
    "insists",
    "joke",
    "joked",
    "jokes",
    "joking",
    "lament",
    "lamented",
    "lamenting",
    "laments",
    "laugh",
    "laughed",
    "laughing",
    "laughs",
    "maintain",
    "maintained",
    "maintaining",
    "maintains",
    "mention",
    "mentioned",
    "mentioning",
    "mentions",
    "muse",
    "mused",
    "muses",
    "musing",
    "note",
    "noted",
    "notes",
    "noting",
    "observe",
    "observed",
    "observes",
    "observing",
    "opine",
    "opined",
    "opines",
    "opining",
    "point",
    "pointed",
    "pointing",
    "points",
    "post",
    "posted",
    "posting",
    "posts",
    "predict",
    "predicted",
    "predicting",
    "predicts",
    "proclaim",
    "proclaimed",
    "proclaiming",
    "proclaims",
    "promise",
    "promised",
    "promises",
    "promising",
    "propose",
    "proposed",
    "proposes",
    "proposing",
    "put",
    "puts",
    "putting",
    "quip",
    "quipped",
    "quipping",
    "quips",
    "rave",
    "raved",
    "raves",
    "raving",
    "read",
    "reading",
    "reads",
    "recall",
    "recalled",
    "recalling",
    "recalls",
    "recommend",
    "recommended",
    "recommending",
    "recommends",
    "recount",
    "recounted",
    "recounting",
    "recounts",
    "reflect",
    "reflected",
    "reflecting",
    "reflects",
    "reiterate",
    "reiterated",
    "reiterates",
    "reiterating",
    "remark",
    "remarked",
    "remarking",
    "remarks",
    "remember",
    "remembered",
    "remembering",
    "remembers",
    "remind",
    "reminded",
    "reminding",
    "reminds",
    "replied",
    "replies",
    "reply",
    "replying",
    "report",
    "reported",
    "reporting",
    "reports",
    "respond",
    "responded",
    "responding",
    "responds",
    "reveal",
    "revealed",
    "revealing",
    "reveals",
    "said",
    "say",
    "saying",
    "says",
    "shared",
    "shout",
    "shouted",
    "shouting",
    "shouts",
    "sigh",
    "sighed",
    "sighing",
    "sighs",
    "state",
    "stated",
    "states",
    "stating",
    "stress",
    "stressed",
    "stresses",
    "stressing",
    "suggest",
    "suggested",
    "suggesting",
    "suggests",
    "summarise",
    "summarised",
    "summarises",
    "summarising",
    "summarize",
    "summarized",
    "summarizes",
    "summarizing",
    "tell",
    "telling",
    "tells",
    "testified",
    "testifies",
    "testify",
    "testifying",
    "told",
    "tweet",
    "tweeted",
    "tweeting",
    "tweets",
    "underscore",
    "underscored",
    "underscores",
    "underscoring",
    "urge",
    "urged",
    "urges",
    "urging",
    "warn",
    "warned",
    "warning",
    "warns",
    "whisper",
    "whispered",
    "whispering",
    "whispers",
    "wonder",
    "wondered",
    "wondering",
    "wonders",
    "write",
    "writes",
    "writing",
    "written",
    "wrote",
];

/// Particles of phrasal reporting verbs (“pointed out”, “chimed in”, “went
/// on”).
const PARTICLES: &[&str] = &["back", "in", "on", "out", "up"];

/// Nouns for words said or written, which introduce a quotation the way a
/// verb does (“Okafor’s answer: “…””, “in the words of”).
const SPEECH_NOUNS: &[&str] = &[
    "advice",
    "answer",
    "comment",
    "comments",
    "message",
    "motto",
    "note",
    "recommendation",
    "remark",
    "remarks",
    "reply",
    "response",
    "statement",
    "tweet",
    "words",
];

/// Words that open a clause and are never part of a name (“As Lee Park
/// reported”, “But Okafor said”), and other capitalised words that are not
/// names: days, months, greetings.
const DISCOURSE: &[&str] = &[
    "a",
    "about",
    "after",
    "again",
    "against",
    "all",
    "already",
    "also",
    "although",
    "always",
    "among",
    "an",
    "and",
    "another",
    "any",
    "as",
    "at",
    "because",
    "before",
    "besides",
    "between",
    "both",
    "but",
    "by",
    "cheers",
    "currently",
    "dear",
    "during",
    "each",
    "eventually",
    "every",
    "few",
    "finally",
    "first",
    "for",
    "formerly",
    "from",
    "he",
    "hello",
    "hence",
    "her",
    "here",
    "hey",
    "hi",
    "him",
    "his",
    "how",
    "however",
    "i",
    "if",
    "in",
    "indeed",
    "instead",
    "into",
    "it",
    "its",
    "last",
    "later",
    "like",
    "likewise",
    "many",
    "maybe",
    "me",
    "meanwhile",
    "most",
    "my",
    "never",
    "nevertheless",
    "next",
    "no",
    "nonetheless",
    "nor",
    "not",
    "now",
    "of",
    "often",
    "oh",
    "ok",
    "okay",
    "on",
    "once",
    "one",
    "or",
    "originally",
    "other",
    "others",
    "otherwise",
    "our",
    "over",
    "overall",
    "perhaps",
    "please",
    "previously",
    "recently",
    "regards",
    "second",
    "several",
    "she",
    "similarly",
    "since",
    "sincerely",
    "so",
    "some",
    "sometimes",
    "such",
    "thank",
    "thanks",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "therefore",
    "these",
    "they",
    "third",
    "this",
    "those",
    "though",
    "through",
    "thus",
    "to",
    "today",
    "tomorrow",
    "tonight",
    "ultimately",
    "under",
    "unless",
    "unlike",
    "until",
    "upon",
    "us",
    "usually",
    "via",
    "we",
    "well",
    "what",
    "when",
    "whenever",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "why",
    "with",
    "within",
    "without",
    "yes",
    "yesterday",
    "yet",
    "you",
    "your",
];

/// Capitalised words that are never a name on their own: days, months,
/// seasons.
const NOT_NAMES: &[&str] = &[
    "april",
    "august",
    "autumn",
    "december",
    "fall",
    "february",
    "friday",
    "january",
    "july",
    "june",
    "march",
    "may",
    "monday",
    "november",
    "october",
    "saturday",
    "september",
    "spring",
    "summer",
    "sunday",
    "thursday",
    "tuesday",
    "wednesday",
    "winter",
];

/// Lower-case words that may stand inside a name (“Museum of the Moving
/// Image”, “Ludwig van Beethoven”, “Office of Management and Budget”).
const CONNECTORS: &[&str] = &[
    "&", "al", "and", "bin", "da", "das", "de", "del", "della", "den", "der", "des", "di", "dos",
    "du", "for", "la", "le", "of", "the", "van", "von", "y",
];

/// Words for somebody the text does not name (“Someone wrote”, “Many
/// said”).
const INDEFINITE: &[&str] = &[
    "all",
    "anybody",
    "anyone",
    "anything",
    "each",
    "either",
    "everybody",
    "everyone",
    "everything",
    "few",
    "many",
    "most",
    "neither",
    "nobody",
    "nothing",
    "one",
    "others",
    "people",
    "several",
    "some",
    "somebody",
    "someone",
    "something",
];

/// Pronouns that stand for one person.
const PRONOUNS_PERSON: &[&str] = &["he", "she"];

/// Pronouns that stand for a group, an organisation or a work.
const PRONOUNS_GROUP: &[&str] = &["it", "they"];

/// Pronouns of the writer, the reader or an interviewee: resolved only to
/// the speaker of the paragraph they stand in.
const PRONOUNS_OWN: &[&str] = &["i", "we", "you"];

/// Honorifics before a name, dropped from it (“Dr. Ada Nkemelu” is Ada
/// Nkemelu).
const TITLES: &[&str] = &[
    "brother",
    "dame",
    "dr",
    "father",
    "fr",
    "hon",
    "honorable",
    "honourable",
    "imam",
    "lady",
    "lord",
    "miss",
    "mr",
    "mrs",
    "ms",
    "mx",
    "pastor",
    "prof",
    "rabbi",
    "rev",
    "reverend",
    "sir",
    "sister",
    "st",
];

/// Words of a role or job title, kept apart from the name they stand
/// before (“Union President Dana Whit”) or after (“Sam Ortega, Director of
/// Operations”).
const ROLE_WORDS: &[&str] = &[
    "activist",
    "administrator",
    "adviser",
    "advisor",
    "ambassador",
    "analyst",
    "architect",
    "assistant",
    "associate",
    "attorney",
    "author",
    "candidate",
    "captain",
    "cdo",
    "ceo",
    "cfo",
    "chair",
    "chairman",
    "chairperson",
    "chairwoman",
    "chancellor",
    "chief",
    "cio",
    "ciso",
    "clerk",
    "co-founder",
    "cofounder",
    "colonel",
    "columnist",
    "commander",
    "commissioner",
    "congressman",
    "congresswoman",
    "consultant",
    "coo",
    "coordinator",
    "correspondent",
    "councillor",
    "councilman",
    "councilmember",
    "councilor",
    "councilwoman",
    "counsel",
    "cpo",
    "cto",
    "curator",
    "deputy",
    "designer",
    "developer",
    "director",
    "economist",
    "editor",
    "engineer",
    "evp",
    "executive",
    "fellow",
    "founder",
    "general",
    "gm",
    "governor",
    "head",
    "historian",
    "host",
    "inspector",
    "intern",
    "judge",
    "justice",
    "lawyer",
    "lead",
    "leader",
    "librarian",
    "lieutenant",
    "manager",
    "mayor",
    "member",
    "minister",
    "moderator",
    "officer",
    "organiser",
    "organizer",
    "owner",
    "partner",
    "pm",
    "premier",
    "president",
    "principal",
    "producer",
    "professor",
    "provost",
    "reporter",
    "representative",
    "researcher",
    "scientist",
    "secretary",
    "senator",
    "sergeant",
    "sheriff",
    "specialist",
    "spokesman",
    "spokesperson",
    "spokeswoman",
    "strategist",
    "student",
    "superintendent",
    "supervisor",
    "svp",
    "treasurer",
    "trustee",
    "vice",
    "volunteer",
    "vp",
    "writer",
];

/// Words that make a name an organisation's.
const ORGANISATION_WORDS: &[&str] = &[
    "academy",
    "administration",
    "agencies",
    "agency",
    "alliance",
    "army",
    "assembly",
    "association",
    "authority",
    "bank",
    "board",
    "brigade",
    "bureau",
    "campaign",
    "caucus",
    "center",
    "centre",
    "church",
    "city",
    "club",
    "co-op",
    "coalition",
    "collaborative",
    "collective",
    "college",
    "commission",
    "committee",
    "company",
    "congress",
    "consortium",
    "cooperative",
    "corp",
    "corporation",
    "corps",
    "council",
    "county",
    "court",
    "department",
    "directorate",
    "division",
    "federation",
    "force",
    "foundation",
    "front",
    "fund",
    "government",
    "group",
    "guild",
    "hospital",
    "house",
    "inc",
    "inc.",
    "industries",
    "initiative",
    "institute",
    "institution",
    "lab",
    "laboratory",
    "labs",
    "league",
    "library",
    "llc",
    "ltd",
    "ministry",
    "movement",
    "museum",
    "navy",
    "network",
    "office",
    "organisation",
    "organization",
    "parliament",
    "partnership",
    "party",
    "police",
    "press",
    "program",
    "programme",
    "project",
    "reserve",
    "school",
    "senate",
    "service",
    "services",
    "society",
    "system",
    "systems",
    "team",
    "tribe",
    "trust",
    "union",
    "university",
];

/// Words that make a name a publication's: a newspaper, magazine or news
/// site (“the Harbor Gazette”), and a few outlets known by one word.
const PUBLICATION_WORDS: &[&str] = &[
    "atlantic",
    "axios",
    "bloomberg",
    "bulletin",
    "buzzfeed",
    "chronicle",
    "courier",
    "daily",
    "digest",
    "dispatch",
    "economist",
    "examiner",
    "forbes",
    "gazette",
    "globe",
    "guardian",
    "herald",
    "inquirer",
    "journal",
    "magazine",
    "mirror",
    "monthly",
    "news",
    "observer",
    "politico",
    "post",
    "quarterly",
    "record",
    "register",
    "reuters",
    "review",
    "sentinel",
    "slate",
    "standard",
    "star",
    "sun",
    "techcrunch",
    "telegraph",
    "times",
    "tribune",
    "verge",
    "vox",
    "weekly",
    "wire",
    "wired",
];

/// Nouns of works: a name ending in one is a work's (“the Open Source
/// Policy”, “the Harbor Report”).
const WORK_WORDS: &[&str] = &[
    "act",
    "announcement",
    "archive",
    "archives",
    "article",
    "bill",
    "blog",
    "book",
    "brief",
    "charter",
    "circular",
    "code",
    "column",
    "constitution",
    "declaration",
    "directive",
    "document",
    "editorial",
    "essay",
    "filing",
    "framework",
    "guidance",
    "guide",
    "handbook",
    "law",
    "letter",
    "manifesto",
    "manual",
    "memo",
    "memorandum",
    "minutes",
    "newsletter",
    "op-
    ed",
    "order",
    "page",
    "paper",
    "petition",
    "plan",
    "playbook",
    "podcast",
    "policy",
    "post",
    "records",
    "regulation",
    "report",
    "rule",
    "site",
    "speech",
    "standard",
    "statement",
    "strategy",
    "study",
    "survey",
    "talk",
    "testimony",
    "thread",
    "transcript",
    "video",
    "website",
];

/// The last word of a phrase that makes the quotation after it a term
/// (“the term “…””, “so-called “…””).
const TERM_MARKERS_WORDS: &[&str] = &[
    "concept",
    "expression",
    "idea",
    "label",
    "name",
    "nickname",
    "notion",
    "phrase",
    "slogan",
    "term",
    "terms",
    "word",
    "words",
];

/// Phrases before a name that make it the speaker of what follows
/// (“According to Okafor, …”).
pub(super) const ACCORDING: &[&str] = &[
    "according to",
    "in the words of",
    "as described by",
    "as defined by",
    "as quoted by",
    "as put by",
    "as defined in",
    "as described in",
    "as stated in",
    "as noted in",
    "as noted by",
    "as stated by",
];

/// Phrases before a quotation that make it a mention of a term, not
/// somebody's words.
pub(super) const TERM_MARKERS: &[&str] = &[
    "so-called",
    "so called",
    "known as",
    "dubbed",
    "termed",
    "referred to as",
    "labelled",
    "labeled",
    "coined",
    "called",
    "called a",
    "called an",
    "called the",
    "calls it",
    "calls it a",
    "calling it",
    "known as a",
    "known as the",
    "words like",
    "terms like",
    "terms such as",
    "words such as",
    "phrases like",
    "language like",
    "language such as",
    "something like",
];

/// Phrases that make a paragraph an excerpt note, singular and plural.
pub(super) const EXCERPT_MARKERS: &[&str] = &[
    "excerpts from",
    "excerpt from",
    "excerpted from",
    "excerpts of",
    "excerpt of",
    "extracts from",
    "extract from",
    "extracted from",
    "adapted from",
    "reprinted from",
    "reproduced from",
    "abridged from",
];

/// Phrases of an image credit in a caption (“Photo by Ana Ruiz”): the
/// person credited took or made the image, and said nothing.
pub(super) const IMAGE_CREDITS: &[&str] = &[
    "image via",
    "images via",
    "photo via",
    "photos via",
    "photo by",
    "photos by",
    "photograph by",
    "photographs by",
    "image by",
    "images by",
    "illustration by",
    "illustrations by",
    "photo courtesy of",
    "image courtesy of",
    "courtesy of",
    "photo credit",
    "image credit",
    "credit:",
    "source:",
];

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
pub(super) fn is_role_word(word: &str) -> bool {
    has(ROLE_WORDS, word)
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

//! Attribution: who said each passage and each quotation in it, inferred
//! from what the text itself says.
//!
//! The rules, all general (any name, alias, abbreviation or link):
//!
//! 1. An **excerpt note** ("The following includes excerpts from [Title](url),
//!    by Author") makes the blockquotes after it, up to the next heading of
//!    the same or a higher level, excerpts of that source.
//! 2. A **linked name**: a link before a quotation in the same sentence, whose
//!    text or URL names a speaker ("[Midnight Special Law Collective defined
//!    legal solidarity](url) as a “…”"), gives the quotation to the linked source.
//! 3. A **named speaker**: "According to NAME, … “…”", "NAME argues that …
//!    “…”", "“…,” NAME said" — the quotation belongs to NAME, looked up among
//!    the registry's names and aliases and the abbreviations the page
//!    introduces in parentheses ("Just Cause Law Collective (JCLC)").
//! 4. A **credit line**: a paragraph starting with a dash ("— Name, Title" or
//!    "-- Name") right after a blockquote, or as its last paragraph, names
//!    the speaker of the whole blockquote.
//! 5. **Nesting** falls out of the above: a quotation with a speaker inside an
//!    excerpt is "quoted in" the excerpted source, itself "excerpted on" the page.
//!
//! Front matter can say it outright: `excerpts_from:` (a source id, name or
//! URL) for the page's blockquotes, `sources:` for what the page draws on.
//! Quotations after "the term", "so-called", "known as", or in parentheses,
//! are terms; short ones with no speaker in their sentence are scare quotes.
//! Names that the registry does not know become sources of their own.

use std::collections::HashMap;
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use serde_json::Value;

use crate::page::Page;
use crate::passage::{Passage, PassageKind, Quote, QuoteKind};
use crate::source::{Source, SourceKind, SourceTable, name_key, slug};

/// Verbs that report speech, in the forms that introduce a quotation.
const REPORTING_VERBS: &[&str] = &[
    "acknowledge",
    "acknowledged",
    "acknowledges",
    "add",
    "added",
    "adds",
    "admit",
    "admits",
    "admitted",
    "announce",
    "announced",
    "announces",
    "answer",
    "answered",
    "answers",
    "argue",
    "argued",
    "argues",
    "ask",
    "asked",
    "asks",
    "assert",
    "asserted",
    "asserts",
    "calls",
    "characterise",
    "characterised",
    "characterises",
    "characterize",
    "characterized",
    "characterizes",
    "claim",
    "claimed",
    "claims",
    "conclude",
    "concluded",
    "concludes",
    "concede",
    "conceded",
    "concedes",
    "contend",
    "contended",
    "contends",
    "declare",
    "declared",
    "declares",
    "define",
    "defined",
    "defines",
    "describe",
    "described",
    "describes",
    "emphasise",
    "emphasised",
    "emphasises",
    "emphasize",
    "emphasized",
    "emphasizes",
    "explain",
    "explained",
    "explains",
    "insist",
    "insisted",
    "insists",
    "maintain",
    "maintained",
    "maintains",
    "note",
    "noted",
    "notes",
    "observe",
    "observed",
    "observes",
    "proclaim",
    "proclaimed",
    "proclaims",
    "put",
    "puts",
    "recall",
    "recalled",
    "recalls",
    "recommend",
    "recommended",
    "recommends",
    "remark",
    "remarked",
    "remarks",
    "replied",
    "replies",
    "reply",
    "report",
    "reported",
    "reports",
    "said",
    "say",
    "says",
    "state",
    "stated",
    "states",
    "stress",
    "stressed",
    "stresses",
    "suggest",
    "suggested",
    "suggests",
    "summarise",
    "summarised",
    "summarises",
    "summarize",
    "summarized",
    "summarizes",
    "tell",
    "tells",
    "testified",
    "testifies",
    "testify",
    "told",
    "urge",
    "urged",
    "urges",
    "warn",
    "warned",
    "warns",
    "write",
    "writes",
    "wrote",
];

/// Words between a name and its verb that do not break the link ("JCLC has long argued").
const SKIPPABLE: &[&str] = &[
    "also",
    "further",
    "famously",
    "has",
    "have",
    "had",
    "once",
    "later",
    "then",
    "rightly",
    "long",
    "often",
    "repeatedly",
    "recently",
    "once",
    "even",
    "itself",
    "themselves",
];

/// Lower-case words that may stand inside a name ("Museum of the Moving Image").
const CONNECTORS: &[&str] = &[
    "of", "for", "the", "and", "&", "de", "du", "la", "le", "von", "van", "der", "den", "on", "at",
];

/// Words before a quotation that make it a mention of a term, not somebody's words.
const TERM_MARKERS: &[&str] = &[
    "the term",
    "the terms",
    "the word",
    "the words",
    "the phrase",
    "the expression",
    "the label",
    "the slogan",
    "so-called",
    "so called",
    "known as",
    "dubbed",
    "termed",
    "referred to as",
    "the concept of",
    "the notion of",
    "the idea of",
    "labelled",
    "labeled",
    "coined",
    "called",
];

/// Words whose period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "Dr", "Mr", "Mrs", "Ms", "Prof", "St", "Jr", "Sr", "Rev", "Gen", "Col", "Capt", "Lt", "vs",
    "etc", "e.g", "i.e", "cf", "No", "Vol", "pp", "p", "Fig", "ca",
];

/// Phrases that introduce a speaker before the quotation.
const ACCORDING: &[&str] = &[
    "according to",
    "in the words of",
    "as described by",
    "as defined by",
];

/// Phrases that make a paragraph an excerpt note.
const EXCERPT_MARKERS: &[&str] = &[
    "excerpts from",
    "excerpt from",
    "excerpted from",
    "extracts from",
    "extract from",
    "extracted from",
    "adapted from",
    "reprinted from",
    "reproduced from",
    "excerpts of",
];

/// Words in a name that make it an organisation rather than a person.
const ORGANISATION_WORDS: &[&str] = &[
    "collective",
    "union",
    "association",
    "committee",
    "society",
    "council",
    "institute",
    "group",
    "league",
    "party",
    "network",
    "project",
    "center",
    "centre",
    "coalition",
    "foundation",
    "alliance",
    "court",
    "department",
    "guild",
    "federation",
    "movement",
    "campaign",
    "organization",
    "organisation",
    "university",
    "college",
    "press",
    "office",
    "agency",
    "commission",
    "board",
    "bureau",
    "fund",
    "trust",
    "church",
    "club",
    "front",
    "army",
    "brigade",
    "caucus",
    "assembly",
    "congress",
    "collaborative",
    "cooperative",
    "co-op",
    "media",
    "news",
    "times",
    "journal",
    "review",
    "law",
    "lawyers",
    "police",
];

/// The longest name or alias that is looked for in running text, in bytes.
const MAX_NAME_BYTES: usize = 256;

/// Names from the registry, matched in running text.
#[derive(Debug, Clone)]
pub struct Names {
    matcher: Option<AhoCorasick>,
    ids: Vec<String>,
}

impl Names {
    /// Prepares to find the names and aliases of `registry`'s sources in text.
    pub fn new(registry: &SourceTable) -> Self {
        let mut patterns = Vec::new();
        let mut ids = Vec::new();
        for source in registry.iter() {
            for name in source.names() {
                // Longer than a name in running text: a whole title that no
                // sentence repeats, and a pattern whose automaton grows with
                // the square of its length when it repeats itself.
                if name.len() <= MAX_NAME_BYTES
                    && name.chars().filter(|c| c.is_alphanumeric()).count() >= 3
                {
                    patterns.push(name.to_string());
                    ids.push(source.id.clone());
                }
            }
        }
        // A contiguous NFA is built in time linear in the patterns; the DFA
        // the builder would otherwise choose for few patterns is not.
        let matcher = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(&patterns)
            .ok()
            .filter(|_| !patterns.is_empty());
        Names { matcher, ids }
    }

    /// The memory the matcher takes, which bounds the work of making it.
    #[cfg(test)]
    fn matcher_bytes(&self) -> usize {
        self.matcher.as_ref().map_or(0, AhoCorasick::memory_usage)
    }

    /// The registry sources named in `text`, with where.
    fn find(&self, text: &str) -> Vec<(Range<usize>, String)> {
        let Some(matcher) = &self.matcher else {
            return vec![];
        };
        matcher
            .find_iter(text)
            .filter(|m| is_word_boundary(text, m.start()) && is_word_boundary(text, m.end()))
            .map(|m| (m.range(), self.ids[m.pattern().as_usize()].clone()))
            .collect()
    }
}

fn is_word_boundary(text: &str, at: usize) -> bool {
    let before = text[..at].chars().next_back();
    let after = text[at..].chars().next();
    !(before.is_some_and(char::is_alphanumeric) && after.is_some_and(char::is_alphanumeric))
}

/// What attribution found on one page.
#[derive(Debug, Default)]
pub struct Findings {
    /// Sources met on the page that the registry does not have.
    pub discovered: Vec<Source>,
}

/// Attributes the passages of `page`: fills in `excerpted_from`, `cites` and
/// the speaker and kind of every quotation.
pub fn attribute(
    page: &Page,
    passages: &mut [Passage],
    registry: &SourceTable,
    names: &Names,
) -> Findings {
    let mut state = PageState {
        registry,
        discovered: Vec::new(),
        aliases: HashMap::new(),
    };
    let overrides = Overrides::read(page, &mut state);
    let credits = credit_lines(passages, &mut state);

    let mut excerpt: Option<(String, u8)> = None;
    let mut section_level = 0u8;
    for (i, passage) in passages.iter_mut().enumerate() {
        if passage.kind == PassageKind::Heading {
            if excerpt
                .as_ref()
                .is_some_and(|(_, level)| *level > 0 && passage.level <= *level)
            {
                excerpt = None;
            }
            section_level = passage.level;
        }
        introduce_abbreviations(passage, &mut state);
        let mut cites: Vec<String> = overrides.sources.clone();
        for link in &passage.links {
            if let Some(source) = registry.by_url(&link.url) {
                cites.push(source.id.clone());
            }
        }
        cites.extend(names.find(&passage.text).into_iter().map(|(_, id)| id));
        cites.extend(state.local_mentions(&passage.text));

        let is_note = passage.blockquote.is_none() && is_excerpt_note(&passage.text);
        if is_note && let Some(id) = note_source(passage, &mut state) {
            excerpt = Some((id.clone(), section_level));
            cites.push(id);
            for quote in &mut passage.quotes {
                quote.kind = QuoteKind::Title;
            }
        }
        if let Some((id, _)) = credits.get(&i) {
            passage.excerpted_from = Some(id.clone());
            cites.push(id.clone());
        } else if let Some(id) = credit_named_by(&credits, i) {
            cites.push(id);
        } else if passage.blockquote.is_some() {
            let from = overrides
                .excerpts_from
                .clone()
                .or_else(|| excerpt.as_ref().map(|(id, _)| id.clone()));
            passage.excerpted_from = from;
        }
        if !is_note {
            attribute_quotes(passage, &mut state);
        }
        cites.extend(passage.quotes.iter().filter_map(|q| q.speaker.clone()));
        if let Some(from) = &passage.excerpted_from {
            cites.retain(|c| c != from);
            cites.insert(0, from.clone());
        }
        let mut seen = std::collections::HashSet::new();
        cites.retain(|c| seen.insert(c.clone()));
        passage.cites = cites;
    }
    Findings {
        discovered: state.discovered,
    }
}

/// The source that the credit line at `i` names, if `i` is one.
fn credit_named_by(credits: &HashMap<usize, (String, usize)>, i: usize) -> Option<String> {
    credits
        .values()
        .find(|(_, line)| *line == i)
        .map(|(id, _)| id.clone())
}

struct PageState<'a> {
    registry: &'a SourceTable,
    discovered: Vec<Source>,
    /// Abbreviations the page introduced, by name key.
    aliases: HashMap<String, String>,
}

impl PageState<'_> {
    /// The id of the source called `name`, creating one if nobody has it.
    fn resolve(&mut self, name: &str, kind_hint: Option<SourceKind>) -> String {
        let key = name_key(name);
        if let Some(id) = self.aliases.get(&key) {
            return id.clone();
        }
        if let Some(source) = self
            .registry
            .by_name(name)
            .or_else(|| self.registry.get(&slug(name)))
        {
            return source.id.clone();
        }
        if let Some(source) = self
            .discovered
            .iter()
            .find(|s| s.names().any(|n| name_key(n) == key))
        {
            return source.id.clone();
        }
        let name = name.trim();
        let name = name
            .strip_prefix("the ")
            .or_else(|| name.strip_prefix("The "))
            .unwrap_or(name);
        let source = Source {
            id: slug(name),
            kind: kind_hint.unwrap_or_else(|| guess_kind(name)),
            title: Some(name.to_string()),
            ..Source::default()
        };
        let id = source.id.clone();
        self.discovered.push(source);
        id
    }

    fn source_mut(&mut self, id: &str) -> Option<&mut Source> {
        self.discovered.iter_mut().find(|s| s.id == id)
    }

    fn add_alias(&mut self, alias: &str, id: &str) {
        self.aliases.insert(name_key(alias), id.to_string());
        if let Some(source) = self.source_mut(id)
            && !source.aliases.iter().any(|a| a == alias)
        {
            source.aliases.push(alias.to_string());
        }
    }

    /// Sources named in `text` by an abbreviation or name the page introduced.
    fn local_mentions(&self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        // Most pages introduce no abbreviation: then no passage needs lexing.
        if !self.aliases.is_empty() {
            for (_, token) in lex(text) {
                if token.chars().all(|c| c.is_uppercase() || c == '&')
                    && token.len() >= 2
                    && let Some(id) = self.aliases.get(&name_key(token))
                {
                    out.push(id.clone());
                }
            }
        }
        for source in &self.discovered {
            if let Some(title) = &source.title
                && title.len() > 3
                && text.contains(title.as_str())
            {
                out.push(source.id.clone());
            }
        }
        out
    }
}

fn guess_kind(name: &str) -> SourceKind {
    let lower = name.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let organisation = words.iter().any(|w| ORGANISATION_WORDS.contains(w))
        || name
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase);
    if organisation || words.len() > 4 {
        SourceKind::Organisation
    } else {
        SourceKind::Person
    }
}

/// What the front matter says outright.
struct Overrides {
    excerpts_from: Option<String>,
    sources: Vec<String>,
}

impl Overrides {
    fn read(page: &Page, state: &mut PageState) -> Self {
        let mut resolve = |value: &Value| -> Option<String> {
            let text = value.as_str()?.trim();
            if text.is_empty() {
                return None;
            }
            if let Some(source) = state.registry.by_url(text) {
                return Some(source.id.clone());
            }
            Some(state.resolve(text, None))
        };
        let excerpts_from = page.front.get("excerpts_from").and_then(&mut resolve);
        let sources = match page.front.get("sources") {
            Some(Value::Array(list)) => list.iter().filter_map(&mut resolve).collect(),
            Some(other) => resolve(other).into_iter().collect(),
            None => vec![],
        };
        Overrides {
            excerpts_from,
            sources,
        }
    }
}

/// Finds credit lines; returns, for each credited passage, the speaker's
/// source id and the index of the credit line.
fn credit_lines(passages: &[Passage], state: &mut PageState) -> HashMap<usize, (String, usize)> {
    let mut credits = HashMap::new();
    for i in 0..passages.len() {
        let line = &passages[i];
        let Some(rest) = strip_dash(&line.text) else {
            continue;
        };
        if !rest.starts_with(|c: char| c.is_uppercase() || c == '[') || rest.len() > 300 {
            continue;
        }
        // What the credit line closes: its own blockquote, or the one just before.
        let group = match line.blockquote {
            Some(group) => Some(group),
            None => i.checked_sub(1).and_then(|p| passages[p].blockquote),
        };
        let credited: Vec<usize> = match group {
            Some(group) => (0..i)
                .rev()
                .take_while(|&p| passages[p].blockquote == Some(group))
                .collect(),
            None => match i.checked_sub(1) {
                // A paragraph that is all one quotation, then its credit.
                Some(p) if is_whole_quote(&passages[p]) => vec![p],
                _ => vec![],
            },
        };
        if credited.is_empty() {
            continue;
        }
        let offset = line.text.len() - rest.len();
        let Some(id) = credit_source(rest, offset, line, state) else {
            continue;
        };
        for p in credited {
            credits.insert(p, (id.clone(), i));
        }
    }
    credits
}

fn strip_dash(text: &str) -> Option<&str> {
    let rest = ["—", "―", "--", "–", "- ", "~"]
        .iter()
        .find_map(|d| text.strip_prefix(d))?;
    Some(rest.trim_start_matches(['-', ' ', '\u{a0}']))
}

fn is_whole_quote(passage: &Passage) -> bool {
    let [quote] = passage.quotes.as_slice() else {
        return false;
    };
    let outside = passage.text[..quote.span.start]
        .chars()
        .chain(passage.text[quote.span.end..].chars());
    outside.filter(|c| c.is_alphanumeric()).count() == 0
}

/// The source a credit line names: "Name, Title", "Name, [Title](url)", "Name".
fn credit_source(
    rest: &str,
    offset: usize,
    line: &Passage,
    state: &mut PageState,
) -> Option<String> {
    let rest = rest.trim_end_matches(['.', ' ']);
    let split = rest
        .find([',', '(', ';'])
        .or_else(|| rest.find(" in "))
        .unwrap_or(rest.len());
    let name = rest[..split]
        .trim()
        .trim_matches(|c: char| "\"“”*_".contains(c));
    let title = rest[split..]
        .trim_start_matches([',', '(', ';', ' '])
        .trim_start_matches("in ")
        .trim_end_matches(')')
        .trim()
        .trim_matches(|c: char| "\"“”‘’*_".contains(c))
        .trim();
    if name.is_empty() || name.len() > 80 {
        return None;
    }
    let title_start = offset + split;
    let link = line
        .links
        .iter()
        .find(|l| l.span.end > title_start)
        .or(line.links.first());
    let by_link = link
        .and_then(|l| state.registry.by_url(&l.url))
        .map(|s| s.id.clone());
    if let Some(id) = by_link {
        return Some(id);
    }
    if let Some(source) = state.registry.by_name(title).filter(|_| !title.is_empty()) {
        return Some(source.id.clone());
    }
    if title.is_empty()
        || title
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_whitespace())
    {
        let id = state.resolve(name, None);
        if let Some(source) = state.source_mut(&id)
            && !title.is_empty()
        {
            source.date.get_or_insert_with(|| title.to_string());
        }
        return Some(id);
    }
    // A work by the named speaker.
    let author_id = state.resolve(name, None);
    let author = state
        .source_mut(&author_id)
        .and_then(|s| s.title.clone())
        .or_else(|| state.registry.get(&author_id).map(Source::name))
        .unwrap_or_else(|| name.to_string());
    let id = slug(&format!("{name} {title}"));
    if state.source_mut(&id).is_none() {
        state.discovered.push(Source {
            id: id.clone(),
            kind: SourceKind::Book,
            title: Some(title.to_string()),
            authors: vec![author],
            url: link.map(|l| l.url.clone()),
            ..Source::default()
        });
    }
    Some(id)
}

/// Where the ASCII `needle` first stands in `text[from..to]`, in any case,
/// as an offset of `text` itself: lower-casing the text first would shift
/// the offsets (`İ` lower-cases to two characters, three bytes).
fn find_ignoring_case(text: &str, needle: &str, from: usize, to: usize) -> Option<usize> {
    let haystack = text.as_bytes().get(from..to.min(text.len()))?;
    let needle = needle.as_bytes();
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    // An ASCII needle matches only ASCII bytes, which start characters.
    haystack
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|i| from + i)
}

/// Where the ASCII `needle` last stands in `text`, in any case.
fn rfind_ignoring_case(text: &str, needle: &str) -> Option<usize> {
    let needle = needle.as_bytes();
    if needle.is_empty() || text.len() < needle.len() {
        return None;
    }
    text.as_bytes()
        .windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
}

fn is_excerpt_note(text: &str) -> bool {
    if text.len() > 600 {
        return false;
    }
    EXCERPT_MARKERS
        .iter()
        .any(|m| find_ignoring_case(text, m, 0, text.len()).is_some())
}

/// The source an excerpt note names: its link, else its quoted title, else a name.
fn note_source(passage: &Passage, state: &mut PageState) -> Option<String> {
    let text = &passage.text;
    let marker_end = EXCERPT_MARKERS
        .iter()
        .filter_map(|m| find_ignoring_case(text, m, 0, text.len()).map(|i| i + m.len()))
        .min()?;
    let author = rfind_ignoring_case(text, " by ")
        .map(|i| name_after(text, i + 4))
        .filter(|n| !n.is_empty());
    let link = passage.links.iter().find(|l| l.span.end > marker_end);
    if let Some(link) = link
        && let Some(source) = state.registry.by_url(&link.url)
    {
        return Some(source.id.clone());
    }
    let title = match link {
        Some(l) => Some(text[l.span.clone()].to_string()),
        None => passage
            .quotes
            .iter()
            .find(|q| q.span.start >= marker_end)
            .map(|q| text[q.span.clone()].to_string()),
    };
    let title = title.map(|t| clean_title(&t)).filter(|t| !t.is_empty());
    match title {
        Some(title) => {
            if let Some(source) = state.registry.by_name(&title) {
                return Some(source.id.clone());
            }
            let id = slug(&title);
            if state.source_mut(&id).is_none() {
                state.discovered.push(Source {
                    id: id.clone(),
                    kind: SourceKind::Article,
                    title: Some(title),
                    authors: author.into_iter().collect(),
                    url: link.map(|l| l.url.clone()),
                    ..Source::default()
                });
            }
            Some(id)
        }
        None => {
            let name = name_after(text, marker_end);
            (!name.is_empty()).then(|| state.resolve(&name, None))
        }
    }
}

fn clean_title(title: &str) -> String {
    let title = title.split(", by ").next().unwrap_or(title);
    title
        .trim()
        .trim_matches(|c: char| "\"“”‘’*_,.".contains(c) || c.is_whitespace())
        .to_string()
}

/// Registers "Name (ABBR)" introductions as aliases of the page.
fn introduce_abbreviations(passage: &Passage, state: &mut PageState) {
    // An introduction is “Name (ABBR)”: no parenthesis, nothing to lex.
    if !passage.text.contains('(') {
        return;
    }
    let tokens = lex(&passage.text);
    for i in 0..tokens.len() {
        if tokens[i].1 != "(" || i + 2 >= tokens.len() || tokens[i + 2].1 != ")" {
            continue;
        }
        let abbr = tokens[i + 1].1;
        let letters: String = abbr.chars().filter(|c| c.is_uppercase()).collect();
        if letters.len() < 2 || letters.len() != abbr.chars().filter(|c| c.is_alphabetic()).count()
        {
            continue;
        }
        let Some(name) = name_before(&tokens, i, &passage.text) else {
            continue;
        };
        let initials: String = name
            .split_whitespace()
            .filter(|w| !CONNECTORS.contains(&w.to_lowercase().as_str()))
            .filter_map(|w| w.chars().next())
            .collect::<String>()
            .to_uppercase();
        if initials != letters && !initials.starts_with(&letters) {
            continue;
        }
        let id = state.resolve(&name, None);
        state.add_alias(abbr, &id);
    }
}

/// Words and punctuation of `text`, with their spans.
fn lex(text: &str) -> Vec<(Range<usize>, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let word_char = c.is_alphanumeric()
            || c == '&'
            || ((c == '-' || c == '’' || c == '\'' || c == '.') && start.is_some());
        if word_char {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start.take() {
            push_word(text, s, i, &mut out);
        }
        if !c.is_whitespace() {
            out.push((i..i + c.len_utf8(), &text[i..i + c.len_utf8()]));
        }
    }
    if let Some(s) = start {
        push_word(text, s, text.len(), &mut out);
    }
    out
}

fn push_word<'t>(text: &'t str, start: usize, end: usize, out: &mut Vec<(Range<usize>, &'t str)>) {
    // A word's trailing period is the sentence's, unless it is an initial ("U.S.").
    let word = &text[start..end];
    let trimmed = word.trim_end_matches(['.', '’', '\'', '-']);
    let keep = if word.ends_with('.') && trimmed.contains('.') {
        word.len()
    } else {
        trimmed.len()
    };
    if keep > 0 {
        out.push((start..start + keep, &text[start..start + keep]));
    }
    for (i, c) in word[keep..].char_indices() {
        let at = start + keep + i;
        out.push((at..at + c.len_utf8(), &text[at..at + c.len_utf8()]));
    }
}

fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

fn is_connector(word: &str) -> bool {
    CONNECTORS.contains(&word.to_lowercase().as_str())
}

/// The name that ends just before token `end`, skipping a parenthetical
/// abbreviation; `None` when the words there are not a name.
fn name_before(tokens: &[(Range<usize>, &str)], end: usize, text: &str) -> Option<String> {
    let mut i = end;
    if i >= 1 && tokens[i - 1].1 == ")" {
        let open = tokens[..i - 1].iter().rposition(|t| t.1 == "(")?;
        if i - 1 - open > 3 {
            return None;
        }
        i = open;
    }
    let mut first = i;
    while first > 0 {
        let word = tokens[first - 1].1;
        let is_word = word
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '&');
        if !is_word || !(is_capitalised(word) || is_connector(word)) {
            break;
        }
        first -= 1;
    }
    // Connectors cannot start or end a name, but "The" may start one.
    while first < i && is_connector(tokens[first].1) {
        first += 1;
    }
    let mut last = i;
    while last > first && is_connector(tokens[last - 1].1) {
        last -= 1;
    }
    if first >= last {
        return None;
    }
    Some(text[tokens[first].0.start..tokens[last - 1].0.end].to_string())
}

/// The name that starts at byte `at`: "the" and connectors inside allowed.
fn name_after(text: &str, at: usize) -> String {
    let tokens = lex(&text[at..]);
    let mut i = 0;
    if tokens
        .first()
        .is_some_and(|t| t.1.eq_ignore_ascii_case("the"))
    {
        i = 1;
    }
    let start = i;
    while i < tokens.len() {
        let word = tokens[i].1;
        let is_word = word
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '&');
        if !is_word || !(is_capitalised(word) || is_connector(word)) {
            break;
        }
        i += 1;
    }
    while i > start && is_connector(tokens[i - 1].1) {
        i -= 1;
    }
    if i == start {
        return String::new();
    }
    text[at + tokens[start].0.start..at + tokens[i - 1].0.end].to_string()
}

/// Byte ranges of the sentences of `text`. A sentence ends at `.`, `!` or `?`
/// (and any closing quotation marks or brackets after it) followed by a space,
/// outside quotation marks, or at the end of a quotation that ends with one.
fn sentences(text: &str, quotes: &[Quote]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let inside = quotes
            .iter()
            .any(|q| q.span.start <= i && i + 1 < q.span.end);
        if matches!(c, b'.' | b'!' | b'?') && !inside {
            let mut end = i + 1;
            while end < bytes.len() {
                let rest = &text[end..];
                match rest.chars().next() {
                    Some(ch @ ('”' | '’' | '"' | ')' | ']' | '\'')) => end += ch.len_utf8(),
                    _ => break,
                }
            }
            let at_space = end >= bytes.len() || text[end..].starts_with(char::is_whitespace);
            let word_start = text[..i]
                .char_indices()
                .rev()
                .find(|(_, c)| !c.is_alphanumeric())
                .map_or(0, |(w, c)| w + c.len_utf8());
            let word = &text[word_start..i];
            let initial = (word.len() == 1 && word.chars().all(|c| c.is_ascii_uppercase()))
                || ABBREVIATIONS.contains(&word);
            if at_space && !initial {
                out.push(start..end);
                start = end;
                i = end;
                continue;
            }
        }
        i += 1;
    }
    if start < text.len() {
        out.push(start..text.len());
    }
    out.retain(|r| !text[r.clone()].trim().is_empty());
    out
}

/// Classifies each quotation of a passage and finds its speaker.
fn attribute_quotes(passage: &mut Passage, state: &mut PageState) {
    let text = passage.text.clone();
    let spans = sentences(&text, &passage.quotes);
    let quotes = passage.quotes.clone();
    for (q, quote) in passage.quotes.iter_mut().enumerate() {
        let words = text[quote.span.clone()].split_whitespace().count();
        if is_term(&text, &quote.span) {
            quote.kind = QuoteKind::Term;
            continue;
        }
        if state
            .registry
            .by_name(&text[quote.span.clone()])
            .is_some_and(|s| {
                s.title
                    .as_deref()
                    .is_some_and(|t| name_key(t) == name_key(&text[quote.span.clone()]))
            })
            && words > 1
        {
            quote.kind = QuoteKind::Title;
            continue;
        }
        let sentence = spans
            .iter()
            .find(|s| s.start <= quote.span.start && quote.span.start < s.end)
            .cloned()
            .unwrap_or(0..text.len());
        let speaker = speaker_for(
            &text,
            sentence,
            &quote.span,
            &passage.links,
            &quotes,
            q,
            state,
        );
        let ends_like_speech = text[quote.span.clone()]
            .trim_end()
            .ends_with(['.', ',', '!', '?', ';', ':']);
        quote.kind = match &speaker {
            None if words <= 2 || (words <= 3 && !ends_like_speech) => QuoteKind::Scare,
            _ => QuoteKind::Quotation,
        };
        quote.speaker = speaker;
    }
}

fn is_term(text: &str, span: &Range<usize>) -> bool {
    let before = text[..span.start].trim_end_matches(['“', '"', '‘']);
    let after = text[span.end..].trim_start_matches(['”', '"', '’']);
    if before.trim_end().ends_with('(') && after.trim_start().starts_with(')') {
        return true;
    }
    let before = before.trim_end().to_lowercase();
    TERM_MARKERS.iter().any(|m| {
        before.ends_with(m)
            && before[..before.len() - m.len()]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
    })
}

/// The speaker of the quotation at `span` in `sentence`, by the rules above.
fn speaker_for(
    text: &str,
    sentence: Range<usize>,
    span: &Range<usize>,
    links: &[crate::passage::Link],
    quotes: &[Quote],
    index: usize,
    state: &mut PageState,
) -> Option<String> {
    // Only what stands between the previous quotation and this one can
    // introduce it, so "X said “a” and “b”" gives both to X but a speaker
    // named inside an earlier quotation does not count.
    let open_mark = text[..span.start]
        .chars()
        .next_back()
        .map_or(0, char::len_utf8);
    let before_end = span.start - open_mark;
    let mut candidates: Vec<(usize, String)> = Vec::new();

    for phrase in ACCORDING {
        let mut from = sentence.start;
        while let Some(at) = find_ignoring_case(text, phrase, from, before_end) {
            let name = name_after(text, at + phrase.len());
            if !name.is_empty() && !inside_quote(quotes, at) {
                let id = state.resolve(&name, None);
                candidates.push((at, id));
            }
            from = at + phrase.len();
        }
    }

    for link in links {
        if link.span.start < sentence.start || link.span.end > before_end {
            continue;
        }
        let link_text = &text[link.span.clone()];
        let tokens = lex(link_text);
        let verb = tokens
            .iter()
            .position(|t| REPORTING_VERBS.contains(&t.1.to_lowercase().as_str()));
        let name = verb.and_then(|v| name_before(&tokens, v, link_text));
        let verb_after = lex(&text[link.span.end..before_end])
            .first()
            .is_some_and(|t| REPORTING_VERBS.contains(&t.1.to_lowercase().as_str()));
        let registered = state.registry.by_url(&link.url).map(|s| s.id.clone());
        let id = match (registered, &name) {
            (Some(id), _) if verb.is_some() || verb_after => Some(id),
            (None, Some(name)) => {
                let id = state.resolve(name, None);
                if let Some(source) = state.source_mut(&id) {
                    source.url.get_or_insert_with(|| link.url.clone());
                }
                Some(id)
            }
            (None, None) if verb_after => {
                let name = name_after(link_text, 0);
                (!name.is_empty()).then(|| state.resolve(&name, None))
            }
            _ => None,
        };
        if let Some(id) = id {
            candidates.push((link.span.start, id));
        }
    }

    let tokens = lex(&text[sentence.start..before_end]);
    for (v, (range, word)) in tokens.iter().enumerate() {
        if !REPORTING_VERBS.contains(&word.to_lowercase().as_str()) {
            continue;
        }
        let at = sentence.start + range.start;
        if inside_quote(quotes, at) || links.iter().any(|l| l.span.contains(&at)) {
            continue;
        }
        let mut end = v;
        while end > 0
            && SKIPPABLE.contains(&tokens[end - 1].1.to_lowercase().as_str())
            && v - end < 2
        {
            end -= 1;
        }
        let sub = &text[sentence.start..before_end];
        if let Some(name) = name_before(&tokens, end, sub)
            && let Some(id) = accept_name(&name, starts_sentence(&name, &tokens), state)
        {
            candidates.push((at, id));
        }
    }

    if let Some((_, id)) = candidates.into_iter().max_by_key(|(at, _)| *at) {
        return Some(id);
    }

    // After the quotation: "“…,” NAME said" or "“…,” said NAME".
    let next_quote = quotes
        .get(index + 1)
        .map_or(sentence.end, |q| q.span.start.min(sentence.end));
    let after_start =
        (span.end + text[span.end..].chars().next().map_or(0, char::len_utf8)).min(next_quote);
    let after = &text[after_start..next_quote.max(after_start)];
    let tokens = lex(after);
    let words: Vec<&(Range<usize>, &str)> = tokens
        .iter()
        .skip_while(|t| t.1 == "," || t.1 == "”")
        .collect();
    let first_is_verb = words
        .first()
        .is_some_and(|t| REPORTING_VERBS.contains(&t.1.to_lowercase().as_str()));
    let start = if first_is_verb {
        words.get(1).map(|t| t.0.start)
    } else {
        words.first().map(|t| t.0.start)
    };
    let start = start?;
    let name = name_after(after, start);
    if name.is_empty() {
        return None;
    }
    if !first_is_verb {
        let following = lex(&after[start + name.len()..]);
        if !following
            .first()
            .is_some_and(|t| REPORTING_VERBS.contains(&t.1.to_lowercase().as_str()))
        {
            return None;
        }
    }
    accept_name(&name, false, state)
}

/// Whether `name` (less a leading "The") is the first word of the sentence `tokens`.
fn starts_sentence(name: &str, tokens: &[(Range<usize>, &str)]) -> bool {
    let first_of_name = name
        .split_whitespace()
        .find(|w| !w.eq_ignore_ascii_case("the"))
        .unwrap_or("");
    tokens
        .iter()
        .find(|t| t.1.chars().next().is_some_and(char::is_alphanumeric))
        .is_some_and(|t| t.1 == first_of_name)
}

fn inside_quote(quotes: &[Quote], at: usize) -> bool {
    quotes.iter().any(|q| q.span.contains(&at))
}

/// Accepts a name found by position alone only if it is likely a name: known,
/// an abbreviation, more than one word, or not the sentence's first word.
fn accept_name(name: &str, at_sentence_start: bool, state: &mut PageState) -> Option<String> {
    let known = state.aliases.contains_key(&name_key(name))
        || state.registry.by_name(name).is_some()
        || state
            .discovered
            .iter()
            .any(|s| s.names().any(|n| name_key(n) == name_key(name)));
    let words: Vec<&str> = name
        .split_whitespace()
        .filter(|w| !w.eq_ignore_ascii_case("the"))
        .collect();
    let abbreviation = words.len() == 1
        && words[0]
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase)
        && words[0].len() >= 2;
    let pronoun = matches!(
        words.first().map(|w| w.to_lowercase()).as_deref(),
        Some(
            "he" | "she"
                | "they"
                | "it"
                | "we"
                | "i"
                | "you"
                | "this"
                | "that"
                | "these"
                | "those"
                | "some"
                | "others"
                | "many"
                | "one"
        )
    );
    if pronoun && !known {
        return None;
    }
    (known || abbreviation || words.len() > 1 || !at_sentence_start)
        .then(|| state.resolve(name, None))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passage::split;

    fn run(markdown: &str, registry: &str) -> (Vec<Passage>, Findings) {
        let registry = SourceTable::new(crate::registry::parse_yaml(registry, "sources.yaml").0);
        let page = Page::parse("page.md", markdown.as_bytes().to_vec()).unwrap();
        let mut passages = split(&page);
        let names = Names::new(&registry);
        let findings = attribute(&page, &mut passages, &registry, &names);
        (passages, findings)
    }

    fn speakers(passage: &Passage) -> Vec<(String, QuoteKind, Option<String>)> {
        passage
            .quotes
            .iter()
            .map(|q| {
                (
                    passage.text[q.span.clone()].to_string(),
                    q.kind,
                    q.speaker.clone(),
                )
            })
            .collect()
    }

    const EMPTY: &str = "sources: []";

    #[test]
    fn according_to_with_an_abbreviation_then_the_abbreviation_argues() {
        let (passages, findings) = run(
            "According to the Tenants Union of Springfield (TUS), the word “eviction” covers “every removal against the tenant’s will.”\n\nLater, the TUS argues that rent strikes work “when whole buildings act together.”\n\nThe TUS has three hundred members.\n",
            EMPTY,
        );
        // A later mention of the abbreviation, with nothing quoted, cites it.
        assert_eq!(passages[2].cites, ["tenants-union-of-springfield"]);
        let first = speakers(&passages[0]);
        assert_eq!(first[0].1, QuoteKind::Term);
        assert_eq!(first[1].2.as_deref(), Some("tenants-union-of-springfield"));
        assert_eq!(
            speakers(&passages[1])[0].2.as_deref(),
            Some("tenants-union-of-springfield")
        );
        let source = &findings.discovered[0];
        assert_eq!(source.aliases, ["TUS"]);
        assert_eq!(source.kind, SourceKind::Organisation);
    }

    #[test]
    fn a_linked_name_gives_its_quotation_to_the_link() {
        let (passages, findings) = run(
            "[Dr. Ada Quill explained rent control](https://example.org/quill.pdf) as a “promise the city keeps to its tenants.” Prices fell (“the Quill effect”).\n",
            EMPTY,
        );
        let quotes = speakers(&passages[0]);
        let id = quotes[0].2.clone().expect("speaker");
        assert_eq!(quotes[1].1, QuoteKind::Term);
        let source = findings.discovered.iter().find(|s| s.id == id).unwrap();
        assert_eq!(source.url.as_deref(), Some("https://example.org/quill.pdf"));
        assert!(
            source.title.as_deref().unwrap().contains("Ada Quill"),
            "{source:?}"
        );
    }

    #[test]
    fn a_registered_link_resolves_by_url() {
        let registry = "sources:\n  - id: guide-2001\n    kind: handbook\n    authors: [Riverside Defence League]\n    url: http://example.net/guide.pdf\n    aliases: [Riverside Defence League, RDL]\n";
        let (passages, _) = run(
            "[The Riverside Defence League calls picketing](http://example.net/guide.pdf) a “shared refusal to be moved.”\n",
            registry,
        );
        assert_eq!(speakers(&passages[0])[0].2.as_deref(), Some("guide-2001"));
        assert_eq!(passages[0].cites, ["guide-2001"]);
    }

    #[test]
    fn excerpt_notes_cover_the_blockquotes_of_their_section() {
        let (passages, findings) = run(
            "## Part one\n\n*Adapted from [Rivers of Iron](https://example.com/rivers), by Mara Lind.*\n\n> Mills closed. The union organiser Jo Baptiste said the town was “left to rust.”\n\n### Later\n\n> Nobody was “right.”\n\n## Part two\n\n> Unattributed.\n",
            EMPTY,
        );
        let note_source = findings
            .discovered
            .iter()
            .find(|s| s.title.as_deref() == Some("Rivers of Iron"))
            .unwrap();
        assert_eq!(note_source.authors, ["Mara Lind"]);
        let from = |i: usize| passages[i].excerpted_from.as_deref();
        assert_eq!(from(2), Some(note_source.id.as_str()));
        assert_eq!(speakers(&passages[2])[0].2.as_deref(), Some("jo-baptiste"));
        // A sub-heading stays inside the note's section; the next section does not.
        assert_eq!(from(4), Some(note_source.id.as_str()));
        assert_eq!(speakers(&passages[4])[0].1, QuoteKind::Scare);
        assert_eq!(from(6), None);
    }

    #[test]
    fn credit_lines_name_the_speaker_of_a_blockquote() {
        let (passages, findings) = run(
            "> Property is theft.\n>\n> — Pierre-Joseph Proudhon, What Is Property?\n\n> Be realistic.\n\n-- Anonymous Student\n",
            EMPTY,
        );
        let work = passages[0].excerpted_from.clone().unwrap();
        let source = findings.discovered.iter().find(|s| s.id == work).unwrap();
        assert_eq!(source.title.as_deref(), Some("What Is Property?"));
        assert_eq!(source.authors, ["Pierre-Joseph Proudhon"]);
        assert_eq!(
            passages[2].excerpted_from.as_deref(),
            Some("anonymous-student")
        );
    }

    #[test]
    fn speaker_after_the_quotation() {
        let (passages, _) = run("“We will not move,” said Carla Ortiz, a tenant.\n", EMPTY);
        assert_eq!(speakers(&passages[0])[0].2.as_deref(), Some("carla-ortiz"));
        let (passages, _) = run("“We will not move,” Ortiz told reporters.\n", EMPTY);
        assert_eq!(speakers(&passages[0])[0].2.as_deref(), Some("ortiz"));
    }

    #[test]
    fn a_capitalised_first_word_is_not_a_speaker() {
        let (passages, _) = run("Critics say the plan is “doomed from the start.”\n", EMPTY);
        assert_eq!(speakers(&passages[0])[0].2, None);
        let (passages, _) = run("She said it was “over, finally and for good.”\n", EMPTY);
        assert_eq!(speakers(&passages[0])[0].2, None);
    }

    #[test]
    fn front_matter_overrides() {
        let (passages, _) = run(
            "---\nexcerpts_from: Field Notes\nsources: [Some Archive]\n---\n> An excerpt.\n\nOwn words.\n",
            EMPTY,
        );
        assert_eq!(passages[0].excerpted_from.as_deref(), Some("field-notes"));
        assert!(passages[1].cites.contains(&"some-archive".to_string()));
    }

    #[test]
    fn sentences_end_after_closing_quotes() {
        let text = "He said “stop.” Then she left. Dr. Who? Yes.";
        let quotes = crate::passage::find_quotes(text);
        let parts: Vec<&str> = sentences(text, &quotes)
            .into_iter()
            .map(|r| text[r].trim())
            .collect();
        assert_eq!(
            parts,
            ["He said “stop.”", "Then she left.", "Dr. Who?", "Yes."]
        );
    }

    // Regression: a registry title of 50 KB took 9 s to index (100 KB of
    // CSL-JSON 36 s): the automaton of a long repetitive name was built in
    // time quadratic in its length.
    #[test]
    fn a_long_registry_title_costs_work_linear_in_the_registry() {
        let long = "Word ".repeat(20_000);
        let sources = vec![
            Source {
                id: "long".into(),
                title: Some(long.clone()),
                ..Source::default()
            },
            Source {
                id: "short".into(),
                title: Some("Tenants Union".into()),
                aliases: vec![long.repeat(2)],
                ..Source::default()
            },
        ];
        let names = Names::new(&SourceTable::new(sources));
        assert!(
            names.matcher_bytes() < 64 * 1024,
            "{}",
            names.matcher_bytes()
        );
        let found = names.find("The Tenants Union met.");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].1, "short");
    }
}

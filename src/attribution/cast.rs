//! Cast: the people, organisations, publications and works one page
//! names, each once and by its fullest name.
//!
//! A name read out of the text is looked up, in order, among the
//! abbreviations the page introduces (“the Tenants Union (TU)”), the
//! registry's names and aliases, the sources the page already met, and
//! — for a person's surname or first name — the full names the page gives
//! anywhere (“historian Maria Okafor” … “According to Okafor”): one person
//! is one source, shown and cited in full, with the short form as an
//! alias. Only what the text makes a speaker, a credit or an excerpt's
//! source becomes a source; an abbreviation's expansion that nobody says
//! anything through stays a term.

use std::collections::{HashMap, HashSet};

use super::names::{self, Name};
use super::text::Passages;
use crate::passage::PassageKind;
use crate::source::{Source, SourceKind, SourceTable, name_key, slug};
use crate::token::Token;

/// Where in the page: a passage and a byte of its text.
pub(super) type At = (usize, usize);

/// A person's full name met on the page, with where.
#[derive(Debug)]
struct FullName {
    text: String,
    /// Folded, word by word.
    words: Vec<String>,
    at: At,
}

/// The page's sources, by name.
pub(super) struct Cast<'r> {
    /// The registry.
    pub registry: &'r SourceTable,
    /// Sources the page names that the registry does not have.
    pub discovered: Vec<Source>,
    /// Discovered sources by the keys of their names and aliases.
    by_key: HashMap<String, usize>,
    /// Discovered sources by id.
    by_id: HashMap<String, usize>,
    /// Abbreviations the page introduces, by key, with their expansion.
    abbreviations: HashMap<String, String>,
    /// The same, by the key of the expansion: the abbreviations of each.
    expansions: HashMap<String, Vec<String>>,
    /// People's full names on the page, read the first time a short name
    /// needs one, by the keys of their short forms (first word, last word,
    /// last two words), in page order.
    people: Option<HashMap<String, Vec<FullName>>>,
    /// The words the page capitalises where a sentence does not start,
    /// folded, read the first time a sentence-initial word needs them.
    proper: Option<HashSet<String>>,
}

impl<'r> Cast<'r> {
    /// An empty cast for a page, looking names up in `registry`.
    pub fn new(registry: &'r SourceTable) -> Self {
        Cast {
            registry,
            discovered: Vec::new(),
            by_key: HashMap::new(),
            by_id: HashMap::new(),
            abbreviations: HashMap::new(),
            expansions: HashMap::new(),
            people: None,
            proper: None,
        }
    }

    /// The source with id `id`, registered or discovered.
    pub fn get(&self, id: &str) -> Option<&Source> {
        self.registry
            .get(id)
            .or_else(|| self.by_id.get(id).map(|&i| &self.discovered[i]))
    }

    /// The discovered source with id `id`, to complete it.
    pub fn get_mut(&mut self, id: &str) -> Option<&mut Source> {
        let i = *self.by_id.get(id)?;
        self.discovered.get_mut(i)
    }

    /// Adds a source the page describes in full (an excerpt note's work, a
    /// credit's book), or completes the one with its id.
    pub fn add(&mut self, source: Source) -> String {
        let id = source.id.clone();
        if self.registry.get(&id).is_some() {
            return id;
        }
        if let Some(existing) = self.get_mut(&id) {
            existing.fill_from(&source);
            return id;
        }
        let i = self.discovered.len();
        for name in source.names() {
            self.by_key.entry(name_key(name)).or_insert(i);
        }
        self.by_id.insert(id.clone(), i);
        self.discovered.push(source);
        id
    }

    /// The kind of the source `id`.
    pub fn kind(&self, id: &str) -> Option<SourceKind> {
        self.get(id).map(|s| s.kind)
    }

    /// Reads the abbreviations each passage introduces: a name followed by
    /// its initials in parentheses (“Just Cause Law Collective (JCLC)”).
    pub fn introduce_abbreviations(&mut self, passages: &Passages) {
        for i in 0..passages.len() {
            // An introduction is “Name (ABBR)”: no parenthesis, nothing to read.
            if !passages.passage(i).text.contains('(') {
                continue;
            }
            let text = passages.text(i);
            let tokens = &text.tokens;
            for p in 0..tokens.len() {
                if !tokens[p].is_mark('(') || !tokens.get(p + 2).is_some_and(|t| t.is_mark(')')) {
                    continue;
                }
                let abbr = tokens[p + 1].text;
                let letters = names::letters_of(abbr);
                let Some(names::Mention::Named(found)) =
                    names::ending_at(text, p.saturating_sub(10), p)
                else {
                    continue;
                };
                let [name] = found.as_slice() else { continue };
                if let Some(name) = names::fit_initials(name, &letters) {
                    let key = name_key(abbr);
                    if let std::collections::hash_map::Entry::Vacant(entry) =
                        self.abbreviations.entry(key)
                    {
                        entry.insert(name.text.clone());
                        self.expansions
                            .entry(name_key(&name.text))
                            .or_default()
                            .push(abbr.to_string());
                    }
                }
            }
            passages.work(tokens.len());
        }
    }

    /// The id of the source a name read at `at` stands for, making one if
    /// nobody has it.
    pub fn resolve(&mut self, name: &Name, at: At, passages: &Passages) -> String {
        if let Some(id) = self.known(&name.text, name.kind) {
            return id;
        }
        if name.kind == SourceKind::Person
            && let Some(full) = self.full_name(&name.text, at, passages)
        {
            let id = self.resolve_text(&full, SourceKind::Person);
            self.add_alias(&id, &name.text);
            return id;
        }
        self.resolve_text(&name.text, name.kind)
    }

    /// The id of a source the page already knows by `text`, without making one.
    pub fn known(&self, text: &str, kind: SourceKind) -> Option<String> {
        let key = name_key(text);
        if let Some(full) = self.abbreviations.get(&key) {
            let full_key = name_key(full);
            if let Some(source) = self.registry.by_name(full) {
                return Some(source.id.clone());
            }
            if let Some(&i) = self.by_key.get(&full_key) {
                return Some(self.discovered[i].id.clone());
            }
        }
        if let Some(source) = self.registry.by_name(text) {
            // A registered work by an organisation is found by its author's
            // name too; a person or organisation of that name is that.
            let _ = kind;
            return Some(source.id.clone());
        }
        self.by_key
            .get(&key)
            .map(|&i| self.discovered[i].id.clone())
    }

    /// The id of the source called `text`, of kind `kind`, making one if
    /// nobody has it; an abbreviation the page introduced makes it under
    /// its expansion, with the abbreviation as an alias.
    pub fn resolve_text(&mut self, text: &str, kind: SourceKind) -> String {
        if let Some(id) = self.known(text, kind) {
            return id;
        }
        let key = name_key(text);
        if let Some(full) = self.abbreviations.get(&key).cloned() {
            let id = self.resolve_text(&full, SourceKind::Organisation);
            self.add_alias(&id, text);
            return id;
        }
        let title = text.trim();
        let mut id = slug(title);
        // A registry source or another discovered one may have the slug.
        let mut n = 1;
        while self.registry.get(&id).is_some() || self.by_id.contains_key(&id) {
            n += 1;
            id = format!("{}-{n}", slug(title));
        }
        let source = Source {
            id: id.clone(),
            kind,
            title: Some(title.to_string()),
            aliases: self.expansions.get(&key).cloned().unwrap_or_default(),
            ..Source::default()
        };
        for alias in &source.aliases {
            self.by_key.insert(name_key(alias), self.discovered.len());
        }
        self.by_key.insert(key, self.discovered.len());
        self.by_id.insert(id.clone(), self.discovered.len());
        self.discovered.push(source);
        id
    }

    /// Adds `alias` to the discovered source `id`.
    pub fn add_alias(&mut self, id: &str, alias: &str) {
        let key = name_key(alias);
        let Some(&i) = self.by_id.get(id) else {
            return;
        };
        let source = &mut self.discovered[i];
        if source.title.as_deref().map(name_key) != Some(key.clone())
            && !source.aliases.iter().any(|a| name_key(a) == key)
        {
            source.aliases.push(alias.to_string());
        }
        self.by_key.entry(key).or_insert(i);
    }

    /// Reads the full names the page gives people, once.
    pub fn read_people(&mut self, passages: &Passages) {
        if self.people.is_none() {
            self.people = Some(by_short_forms(harvest(passages)));
        }
    }

    /// Whether the page (as read by [`Cast::read_people`]) gives a person's
    /// full name of which `short` is the first or the last words.
    pub fn has_full_name(&self, short: &str) -> bool {
        self.people
            .as_ref()
            .is_some_and(|people| people.contains_key(&name_key(short)))
    }

    /// Whether the page capitalises `word` somewhere a sentence does not
    /// start (outside headings, whose words are all capitalised).
    pub fn is_proper_noun(&mut self, word: &str, passages: &Passages) -> bool {
        let proper = self.proper.get_or_insert_with(|| {
            let mut found = HashSet::new();
            for p in 0..passages.len() {
                if matches!(
                    passages.passage(p).kind,
                    PassageKind::Heading | PassageKind::Link
                ) {
                    continue;
                }
                let text = passages.text(p);
                for (i, t) in text.tokens.iter().enumerate() {
                    if !t.is_capitalised() || i == 0 {
                        continue;
                    }
                    let previous = &text.tokens[i - 1];
                    let opens = text.sentence(i).start == i
                        || !previous.is_word() && !previous.is_mark(',');
                    if !opens {
                        found.insert(name_key(names::base(t.text)));
                    }
                }
                passages.work(text.tokens.len());
            }
            found
        });
        proper.contains(&name_key(word))
    }

    /// The full name the page gives for a person it also calls `short`
    /// (their surname or first name): the last one before `at`, else the
    /// only one after it.
    fn full_name(&mut self, short: &str, at: At, passages: &Passages) -> Option<String> {
        self.read_people(passages);
        let people = self.people.as_ref()?;
        let found = people
            .get(&name_key(short))
            .or_else(|| people.get(&squashed(&name_key(short))))?;
        // In page order: the last one at or before `at`.
        let before = found.partition_point(|f| f.at <= at);
        if before > 0 {
            return Some(found[before - 1].text.clone());
        }
        let first = found.first()?;
        // Two different people after it: nobody can tell which.
        if found.iter().any(|f| f.words != first.words) {
            return None;
        }
        Some(first.text.clone())
    }
}

/// A name's key without its spaces and hyphens, marked apart from the
/// keys of short forms.
fn squashed(key: &str) -> String {
    let mut out = String::from("~");
    out.extend(key.chars().filter(|c| !c.is_whitespace() && *c != '-'));
    out
}

/// The full names by the keys of their short forms: first word, last
/// word, last two words; each list in page order.
fn by_short_forms(mut people: Vec<FullName>) -> HashMap<String, Vec<FullName>> {
    people.sort_by_key(|f| f.at);
    let mut out: HashMap<String, Vec<FullName>> = HashMap::new();
    for full in people {
        let n = full.words.len();
        let mut keys = vec![full.words[0].clone(), full.words[n - 1].clone()];
        if n > 2 {
            keys.push(full.words[n - 2..].join(" "));
        }
        keys.dedup();
        // An initial (“Velma A.”) is nobody's short name.
        keys.retain(|k| k.chars().count() > 1);
        // The whole name spelt without its spaces and hyphens (a tweet's
        // “FranklinHodge” for the prose's “Franklin-Hodge”).
        keys.push(squashed(&full.words.concat()));
        for key in keys {
            out.entry(key).or_default().push(FullName {
                text: full.text.clone(),
                words: full.words.clone(),
                at: full.at,
            });
        }
    }
    out
}

/// Every person's full name the page gives: runs of two to four
/// capitalised words that look like a person's name, in its title, its
/// front matter's description and its passages.
fn harvest(passages: &Passages) -> Vec<FullName> {
    let mut found = Vec::new();
    let mut read = |tokens: &[Token], text: &str, passage: usize| {
        let mut i = 0;
        while i < tokens.len() {
            let Some((range, next)) = names::person_at(tokens, i) else {
                i += 1;
                continue;
            };
            let words: Vec<String> = tokens[range.clone()]
                .iter()
                .filter(|t| t.is_word())
                .map(|t| name_key(names::base(t.text)))
                .collect();
            if (2..=4).contains(&words.len()) {
                let first = tokens[range.start].span.start;
                let last = &tokens[range.end - 1];
                let end = last.span.end - (last.text.len() - names::base(last.text).len());
                // The front matter's names stand before the body's.
                let at = if passage == usize::MAX {
                    (0, 0)
                } else {
                    (passage, first)
                };
                found.push(FullName {
                    text: text[first..end]
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" "),
                    words,
                    at,
                });
            }
            i = next.max(i + 1);
        }
    };
    for extra in passages.front_texts() {
        let tokens = crate::token::tokens(extra);
        read(&tokens, extra, usize::MAX);
    }
    for p in 0..passages.len() {
        // Markup and code name nobody the prose does not.
        if matches!(
            passages.passage(p).kind,
            PassageKind::Html | PassageKind::Code
        ) {
            continue;
        }
        let text = passages.text(p);
        read(&text.tokens, text.text, p);
        passages.work(text.tokens.len());
    }
    found
}

#[cfg(test)]
mod tests {
    use super::super::testing::{read, speakers};
    use crate::source::SourceKind;

    #[test]
    fn a_surname_or_first_name_after_the_full_name_is_the_same_source() {
        let text = "Historian Maria Okafor spoke first.\n\n“We will not move,” Okafor said.\n\nAccording to Maria, the strike “lasted forty days.”\n";
        assert_eq!(
            speakers(text),
            [Some("Maria Okafor".into()), Some("Maria Okafor".into())]
        );
        let (_, findings) = read(text);
        let people: Vec<&str> = findings
            .discovered
            .iter()
            .filter_map(|s| s.title.as_deref())
            .collect();
        assert_eq!(people, ["Maria Okafor"]);
        // Two people of one surname: the nearest before.
        let text =
            "Ana Lind and Mara Lind run the fund.\n\nMara Lind spoke. “We stay,” Lind said.\n";
        assert_eq!(speakers(text), [Some("Mara Lind".into())]);
    }

    #[test]
    fn an_abbreviation_is_its_expansion_and_no_source_until_it_speaks() {
        let text = "The Ferry Workers Union (FWU) met. We built a Minimum Viable Product (MVP) too.\n\n“We strike at dawn,” the FWU said.\n";
        let (passages, findings) = read(text);
        let titles: Vec<&str> = findings
            .discovered
            .iter()
            .filter_map(|s| s.title.as_deref())
            .collect();
        assert_eq!(titles, ["Ferry Workers Union"]);
        assert_eq!(findings.discovered[0].aliases, ["FWU"]);
        assert_eq!(findings.discovered[0].kind, SourceKind::Organisation);
        // The first paragraph cites the union it names, once it is a source.
        assert_eq!(passages[0].cites, [findings.discovered[0].id.clone()]);
    }

    #[test]
    fn a_lone_word_opening_a_sentence_is_a_name_only_if_the_page_says_so() {
        assert_eq!(
            speakers("Critics say the plan is “doomed from the start.”"),
            [None]
        );
        // Capitalised inside a sentence elsewhere, it is a name.
        let text = "We met Okafor in May.\n\nOkafor said the plan is “doomed from the start.”\n";
        assert_eq!(speakers(text), [Some("Okafor".into())]);
    }
}

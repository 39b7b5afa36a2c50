//! Attribution: who said each passage and each quotation in it, inferred
//! from what the text itself says.
//!
//! The passes run in order, most precise first (the sieve of Muzny et al.
//! 2017, “A Two-stage Sieve Approach for Quote Attribution”): each owns
//! one construction, and decides only what the passes before it left
//! open ([`said`]). Names are read by [`names`] and stand for one source
//! each on the page ([`cast`]); every pass reads a passage's tokens once
//! ([`text`]), so that attributing a page costs work linear in its text.
//!
//! 1. [`front`]: what the front matter says outright (`excerpts_from:`,
//!    `sources:`);
//! 2. abbreviations the page introduces (“Just Cause Law Collective
//!    (JCLC)”), so a later “the JCLC argues” is the same source;
//! 3. [`usage`]: terms and titles (“the term “…””, “her book, “…””), which
//!    nobody said;
//! 4. [`excerpts`]: excerpt notes and what they cover; image captions;
//! 5. [`credits`]: include and shortcode parameters, a credit right after
//!    the closing mark, credit lines, lead-ins ending with a colon;
//! 6. [`speech`]: a reporting verb beside the quotation, and its subject;
//! 7. [`coreference`]: pronouns, split quotations, runs, paragraphs that
//!    continue a quotation;
//! 8. [`usage`] again: a word or two nobody said is a scare quote.
//!
//! Rules are constructions that recur across sites, each tested in its
//! module on sentences with invented names; `bench/attribution/score`
//! measures them on a labelled set of real pages.

mod cast;
mod coreference;
mod credits;
mod excerpts;
mod front;
mod lexicon;
mod names;
mod said;
mod speech;
mod text;
mod usage;

use std::collections::HashSet;
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use crate::page::Page;
use crate::passage::{Passage, PassageKind};
use crate::source::{Source, SourceTable};
use cast::Cast;
use said::{Said, Speaker};
use text::Passages;

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
        let (matcher, ids) = matcher(registry.iter(), true);
        Names { matcher, ids }
    }

    /// Prepares to find in `text` alone the names of `registry`'s sources:
    /// only the sources with a name all of whose words `text` has (in any
    /// case) go into the matcher, so a writer's draft against a registry
    /// of thousands makes a matcher of a few. A name is found only where
    /// each of its words stands whole in the text, so this finds in `text`
    /// what [`Names::new`]'s would.
    pub fn for_text(registry: &SourceTable, text: &str) -> Self {
        let words: HashSet<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        let named = registry.iter().filter(|source| {
            source.names().any(|name| {
                name.split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .all(|w| words.contains(&w.to_lowercase()))
            })
        });
        let (matcher, ids) = matcher(named, true);
        Names { matcher, ids }
    }

    /// The memory the matcher takes, which bounds the work of making it.
    #[cfg(test)]
    fn matcher_bytes(&self) -> usize {
        self.matcher.as_ref().map_or(0, AhoCorasick::memory_usage)
    }

    /// The registry sources named in `text`, with where.
    fn find(&self, text: &str) -> Vec<(Range<usize>, String)> {
        find(self.matcher.as_ref(), &self.ids, text)
    }
}

/// A matcher of the names and aliases of `sources` in text (in any ASCII
/// case, or only as written), and the id of each pattern.
fn matcher<'s>(
    sources: impl Iterator<Item = &'s Source>,
    any_case: bool,
) -> (Option<AhoCorasick>, Vec<String>) {
    let mut patterns = Vec::new();
    let mut ids = Vec::new();
    for source in sources {
        for name in source.names() {
            // Longer than a name in running text: a whole title that no
            // sentence repeats, and a pattern whose automaton grows with
            // the square of its length when it repeats itself.
            let letters = name.chars().filter(|c| c.is_alphanumeric()).count();
            let abbreviation = letters >= 2 && names::is_acronym(name);
            if name.len() <= MAX_NAME_BYTES && (letters >= 3 || abbreviation) {
                patterns.push(name.to_string());
                ids.push(source.id.clone());
            }
        }
    }
    // A contiguous NFA is built in time linear in the patterns; the DFA
    // the builder would otherwise choose for few patterns is not.
    let matcher = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .ascii_case_insensitive(any_case)
        .kind(Some(AhoCorasickKind::ContiguousNFA))
        .build(&patterns)
        .ok()
        .filter(|_| !patterns.is_empty());
    (matcher, ids)
}

fn find(matcher: Option<&AhoCorasick>, ids: &[String], text: &str) -> Vec<(Range<usize>, String)> {
    let Some(matcher) = matcher else {
        return vec![];
    };
    matcher
        .find_iter(text)
        .filter(|m| is_word_boundary(text, m.start()) && is_word_boundary(text, m.end()))
        .map(|m| (m.range(), ids[m.pattern().as_usize()].clone()))
        .collect()
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
    /// Image credits in captions, by passage id: the name credited, who
    /// made the image and said nothing.
    pub image_credits: Vec<(String, String)>,
    /// The steps of work the passes did (tokens read), which is linear in
    /// the page's text: tests bound it.
    pub steps: usize,
}

/// Attributes the passages of `page`: fills in `excerpted_from`, `cites` and
/// the speaker, role, channel and kind of every quotation.
pub fn attribute(
    page: &Page,
    passages: &mut [Passage],
    registry: &SourceTable,
    names: &Names,
) -> Findings {
    coreference::continue_quotations(passages);
    let plain: Vec<Option<String>> = passages
        .iter()
        .map(|p| (p.kind == PassageKind::Html).then(|| text::without_tags(&p.text)))
        .collect();
    let mut cast = Cast::new(registry);
    let (said, overrides, steps) = {
        let view = Passages::new(passages, &plain, front::texts(page));
        let mut said = Said::new(&view);
        nobody_speaks_in_markup_or_headings(&view, &mut said);
        let overrides = front::read(page, &mut cast);
        cast.introduce_abbreviations(&view);
        usage::terms_and_titles(&view, &cast, &mut said);
        excerpts::attribute(&view, &mut cast, &mut said);
        credits::attribute(&view, &mut cast, &mut said);
        speech::attribute(&view, &mut cast, &mut said);
        coreference::attribute(&view, &mut cast, &mut said);
        usage::the_rest(&view, &mut said);
        let steps = view.steps();
        (said, overrides, steps)
    };
    let image_credits = said
        .image_credits
        .iter()
        .map(|(p, name)| (passages[*p].id.clone(), name.clone()))
        .collect();
    record(passages, said, &overrides, names, &cast);
    Findings {
        discovered: cast.discovered,
        image_credits,
        steps,
    }
}

/// The quotations nobody says: the values of HTML attributes (`alt="…"`,
/// `d="M213…"`) and the words quoted in a heading (a title or a slogan).
fn nobody_speaks_in_markup_or_headings(passages: &Passages, said: &mut Said) {
    for p in 0..passages.len() {
        let passage = passages.passage(p);
        if passage.quotes.is_empty() {
            continue;
        }
        let heading = passage.kind == PassageKind::Heading;
        let html = passage.kind == PassageKind::Html;
        if !heading && !html {
            continue;
        }
        let text = passages.text(p);
        for (q, marks) in text.quotes.iter().enumerate() {
            if heading || marks.start == marks.end {
                said.quotes[p][q].speaker = Speaker::Unnamed;
            }
        }
    }
}

/// Writes what the passes decided into the passages: speakers, roles and
/// channels of quotations, the excerpt or speaker of each block, and the
/// sources each passage cites.
fn record(
    passages: &mut [Passage],
    said: Said,
    overrides: &front::Overrides,
    names: &Names,
    cast: &Cast,
) {
    let (mentioned, mentioned_ids) = matcher(cast.discovered.iter(), false);
    let Said {
        quotes,
        excerpt,
        block,
        cites: named,
        ..
    } = said;
    for (((passage, decided), (excerpt, block)), named) in passages
        .iter_mut()
        .zip(quotes)
        .zip(excerpt.into_iter().zip(block))
        .zip(named)
    {
        for (quote, decided) in passage.quotes.iter_mut().zip(decided) {
            quote.kind = decided.kind.unwrap_or(quote.kind);
            if let Speaker::Source(id) = decided.speaker {
                quote.speaker = Some(id);
                quote.role = decided.role;
                quote.via = decided.via;
            }
        }
        // A credited block is its speaker's words; else it is the excerpt
        // of the work a note or the front matter names.
        let front = (passage.blockquote.is_some())
            .then(|| overrides.excerpts_from.clone())
            .flatten();
        passage.excerpted_from = block.or(excerpt).or(front);
        let mut cites: Vec<String> = overrides.sources.clone();
        for link in &passage.links {
            if let Some(source) = cast.registry.by_url(&link.url) {
                cites.push(source.id.clone());
            }
        }
        cites.extend(names.find(&passage.text).into_iter().map(|(_, id)| id));
        if passage.kind != PassageKind::Code {
            cites.extend(
                find(mentioned.as_ref(), &mentioned_ids, &passage.text)
                    .into_iter()
                    .map(|(_, id)| id),
            );
        }
        cites.extend(named);
        for quote in &passage.quotes {
            cites.extend(quote.speaker.iter().chain(&quote.via).cloned());
        }
        if let Some(from) = &passage.excerpted_from {
            cites.retain(|c| c != from);
            cites.insert(0, from.clone());
        }
        let mut seen = HashSet::new();
        cites.retain(|c| seen.insert(c.clone()));
        passage.cites = cites;
    }
}
/// A page attributed, for the tests of each pass: who said each quotation.
#[cfg(test)]
pub(super) mod testing {
    use super::*;
    use crate::passage::split;
    use crate::source::SourceKind;

    /// One quotation of a page, as attribution left it.
    #[derive(Debug)]
    pub struct Heard {
        /// The quoted words.
        pub words: String,
        /// The speaker's name, as a citation shows it.
        pub speaker: Option<String>,
        /// The speaker's kind.
        pub kind: Option<SourceKind>,
        /// The role the text gives the speaker.
        pub role: Option<String>,
        /// The publication the words came through, by name.
        pub via: Option<String>,
        /// How the quotation is used.
        pub usage: crate::passage::QuoteKind,
    }

    /// Attributes `markdown` as a page with an empty registry.
    pub fn read(markdown: &str) -> (Vec<Passage>, Findings) {
        let registry = SourceTable::default();
        let page = Page::parse("page.md", markdown.as_bytes().to_vec()).unwrap();
        let mut passages = split(&page);
        let names = Names::new(&registry);
        let findings = attribute(&page, &mut passages, &registry, &names);
        (passages, findings)
    }

    /// Every quotation of `markdown`, with who said it.
    pub fn heard(markdown: &str) -> Vec<Heard> {
        let (passages, findings) = read(markdown);
        let source = |id: &Option<String>| {
            id.as_ref()
                .and_then(|id| findings.discovered.iter().find(|s| &s.id == id))
        };
        passages
            .iter()
            .flat_map(|p| {
                p.quotes.iter().map(|q| Heard {
                    words: p.text[q.span.clone()].to_string(),
                    speaker: source(&q.speaker).map(Source::name),
                    kind: source(&q.speaker).map(|s| s.kind),
                    role: q.role.clone(),
                    via: source(&q.via).map(Source::name),
                    usage: q.kind,
                })
            })
            .collect()
    }

    /// Who said the quotation of `markdown` that holds `words`, in any case.
    pub fn speaker(markdown: &str, words: &str) -> Option<String> {
        heard(markdown)
            .into_iter()
            .find(|h| h.words.to_lowercase().contains(&words.to_lowercase()))
            .unwrap_or_else(|| panic!("no quotation “{words}…” in {markdown:?}"))
            .speaker
    }

    /// The speaker of every quotation of `markdown`, in order.
    pub fn speakers(markdown: &str) -> Vec<Option<String>> {
        heard(markdown).into_iter().map(|h| h.speaker).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passage::{QuoteKind, split};
    use crate::source::SourceKind;

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
        // An anonymous credit names nobody.
        assert_eq!(passages[2].excerpted_from, None);
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

    // Regression: checking a draft of one sentence against the archive took
    // two seconds, most of it making a matcher of all its 9,053 sources.
    #[test]
    fn names_for_one_text_find_what_the_whole_registry_finds_there() {
        let mut sources: Vec<Source> = (0..2000)
            .map(|i| Source {
                id: format!("s{i}"),
                title: Some(format!("Ward{i} Tenants Union")),
                aliases: vec![format!("WTU{i}")],
                ..Source::default()
            })
            .collect();
        sources.push(Source {
            id: "ruiz".into(),
            title: Some("Ana Ruiz".into()),
            ..Source::default()
        });
        sources.push(Source {
            id: "eire".into(),
            title: Some("Éire Press".into()),
            ..Source::default()
        });
        let registry = SourceTable::new(sources);
        let all = Names::new(&registry);
        let text = "As ANA RUIZ told the éire press, “WTU7 and the Ward12 Tenants Union met.”";
        let few = Names::for_text(&registry, text);
        assert_eq!(few.find(text), all.find(text));
        // Ana Ruiz, WTU7 and Ward12; “éire” is not “Éire” to either
        // matcher, whose case folding is ASCII's.
        assert_eq!(few.find(text).len(), 3, "{:?}", few.find(text));
        // Only the sources whose names' words are all the text's.
        assert!(
            few.matcher_bytes() * 20 < all.matcher_bytes(),
            "{} of {}",
            few.matcher_bytes(),
            all.matcher_bytes()
        );
    }
}
#[cfg(test)]
mod linear_tests {
    use super::*;
    use crate::passage::split;

    /// Attributes `text` as a page: the work done, the tokens of the
    /// text, and how many quotations of its last passage have a speaker.
    fn attribute_text(text: &str) -> (usize, usize, usize) {
        let registry = SourceTable::default();
        let page = Page::parse("page.md", text.as_bytes().to_vec()).unwrap();
        let mut passages = split(&page);
        let names = Names::new(&registry);
        let findings = attribute(&page, &mut passages, &registry, &names);
        let last = passages.last().unwrap();
        let said = last.quotes.iter().filter(|q| q.speaker.is_some()).count();
        (findings.steps, crate::token::tokens(text).len(), said)
    }

    // Regression: a paragraph of 500 “According to X, “…”” took 12 s and
    // one of 1,000 over a minute: each quotation read its whole sentence
    // again for each rule, and each rule lexed it again.
    #[test]
    fn a_paragraph_of_a_thousand_quotations_costs_work_linear_in_it() {
        let according = |n: usize| {
            (0..n)
                .map(|i| format!("According to Ana Ruiz{i}, “the rent rose again in block {i}.” "))
                .collect::<String>()
        };
        let pronouns = |n: usize| {
            let quotes: String = (0..n)
                .map(|i| format!("“The rent rose in block {i},” she said. "))
                .collect();
            format!("Ana Ruiz chairs the union.\n\n{quotes}\n")
        };
        for make in [according, pronouns] {
            let (small, small_tokens, said) = attribute_text(&make(1000));
            assert_eq!(said, 1000);
            assert!(
                small <= 8 * small_tokens,
                "{small} steps for {small_tokens} tokens"
            );
            let (large, large_tokens, said) = attribute_text(&make(2000));
            assert_eq!(said, 2000);
            // Twice the text, twice the work: nothing grows with the square.
            let growth = large as f64 / small as f64;
            let text_growth = large_tokens as f64 / small_tokens as f64;
            assert!(
                growth < 1.05 * text_growth,
                "{growth} against {text_growth}"
            );
        }
    }
}

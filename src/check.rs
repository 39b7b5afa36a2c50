//! Check: every quotation of a writer's draft judged against the corpus.
//!
//! The draft is read as a corpus page is: split into passages, its
//! quotations found and attributed by the same passes ([`crate::passage`],
//! [`crate::attribution`]), so "as Hermes wrote", "according to the JCLC",
//! "“…,” she said" and credit lines name a speaker here exactly as they do
//! in the corpus. Each quotation of four words or more is then looked up
//! ([`crate::quote`]) and given a [`Verdict`]: the words stand as written
//! and the draft's speaker (if it names one) is the corpus's, or they stand
//! with differences, or the corpus gives them to someone else, or they are
//! not there. Terms, titles, scare quotes and short quotations are listed
//! and not judged.

use std::ops::Range;

use serde::Serialize;

use crate::attribution::{self, Names};
use crate::cite::{self, Role};
use crate::error::{Error, Result};
use crate::hit::Hit;
use crate::index::Index;
use crate::page::Page;
use crate::passage::{self, QuoteKind};
use crate::query::MAX_QUERY_BYTES;
use crate::quote::{self, Occurrence, Status};
use crate::source::{Source, SourceKind, SourceTable};
use crate::token;

/// The fewest words a quotation needs to be judged.
pub const MIN_WORDS: usize = 4;

/// What the corpus says of one quotation of the draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
#[schema(as = CheckVerdict)]
pub enum Verdict {
    /// The words stand in the corpus as written (exact or normalised), and
    /// by whom the draft says, if it says.
    Verified,
    /// Most of the words stand in the corpus, some differ.
    Misquoted,
    /// The words stand in the corpus, said by someone else than the draft names.
    Misattributed,
    /// The words are not in the corpus.
    NotFound,
    /// Under [`MIN_WORDS`] words, or too long to look up: not judged.
    TooShort,
    /// A word or phrase mentioned as such: not judged.
    Term,
    /// A scare quote: not judged.
    Scare,
    /// The title of a work: not judged.
    Title,
}

impl Verdict {
    /// Whether this verdict judges the words (as opposed to listing them).
    pub fn is_judged(self) -> bool {
        matches!(
            self,
            Verdict::Verified | Verdict::Misquoted | Verdict::Misattributed | Verdict::NotFound
        )
    }
}

/// One quotation of the draft and its verdict.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Quotation {
    /// The words between the marks, as the draft has them.
    pub text: String,
    /// 1-based line of the draft where they start.
    pub line: usize,
    /// Byte range of the words in the draft, where they could be placed.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<crate::hit::Span>)]
    pub span: Option<Range<usize>>,
    /// The verdict.
    pub verdict: Verdict,
    /// Who the draft says said them, by name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub named: Option<String>,
    /// Who said them according to the corpus, when the words were found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speaker: Option<Source>,
    /// The best match in the corpus: wording, passage, chain, citation,
    /// similarity and diff.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found: Option<Box<Occurrence>>,
    /// When not found: the passages nearest to the words.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub nearest: Vec<Hit>,
}

/// The verdicts on a whole draft.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = CheckReport)]
pub struct Report {
    /// Every quotation, in the order of the draft.
    pub quotations: Vec<Quotation>,
    /// How many were judged.
    pub judged: usize,
    /// How many of those were verified.
    pub verified: usize,
    /// Whether every judged quotation was verified.
    pub ok: bool,
}

/// Checks every quotation of `draft` (Markdown or plain text) against the
/// corpus of `index`, citing found words in `style`.
pub fn check(index: &Index, draft: &str, style: cite::Style) -> Result<Report> {
    let registry = index.sources()?;
    let names = Names::for_text(registry, draft);
    check_with(draft, registry, &names, |words| {
        Ok(quote::lookup(index, words)?.cite_in(style))
    })
}

/// Checks `draft` with `lookup` for where words stand: the index in
/// [`check`], invented answers in the tests.
fn check_with(
    draft: &str,
    registry: &SourceTable,
    names: &Names,
    mut lookup: impl FnMut(&str) -> Result<quote::Lookup>,
) -> Result<Report> {
    let page = Page::parse("draft.md", draft.as_bytes().to_vec()).map_err(|e| match e {
        Error::Corpus { line, message, .. } => Error::Corpus {
            path: "the draft".into(),
            line,
            message,
        },
        other => other,
    })?;
    let mut passages = passage::split(&page);
    let findings = attribution::attribute(&page, &mut passages, registry, names);
    let source_of = |id: &str| {
        registry
            .get(id)
            .cloned()
            .or_else(|| findings.discovered.iter().find(|s| s.id == id).cloned())
    };
    let mut quotations = Vec::new();
    for p in &passages {
        let block = draft.get(p.span.clone()).unwrap_or_default();
        let mut searched = 0;
        for q in &p.quotes {
            let text = p.text[q.span.clone()].to_string();
            let line = p.line + p.text[..q.span.start].matches('\n').count();
            let span = block.get(searched..).and_then(|rest| {
                let at = rest.find(&text)? + searched;
                searched = at + text.len();
                Some(p.span.start + at..p.span.start + at + text.len())
            });
            let named = q.speaker.as_deref().and_then(source_of);
            let verdict = match q.kind {
                QuoteKind::Term => Some(Verdict::Term),
                QuoteKind::Scare => Some(Verdict::Scare),
                QuoteKind::Title => Some(Verdict::Title),
                QuoteKind::Quotation => None,
            };
            let mut quotation = Quotation {
                named: named.as_ref().map(Source::name),
                text,
                line,
                span,
                verdict: verdict.unwrap_or(Verdict::TooShort),
                speaker: None,
                found: None,
                nearest: Vec::new(),
            };
            let words = trimmed(&quotation.text);
            if verdict.is_none()
                && token::words(words).len() >= MIN_WORDS
                && words.len() <= MAX_QUERY_BYTES
            {
                let found = lookup(words)?;
                judge(&mut quotation, named.as_ref(), found);
            }
            quotations.push(quotation);
        }
    }
    let judged = quotations.iter().filter(|q| q.verdict.is_judged()).count();
    let verified = quotations
        .iter()
        .filter(|q| q.verdict == Verdict::Verified)
        .count();
    Ok(Report {
        quotations,
        judged,
        verified,
        ok: judged == verified,
    })
}

/// The words to look up: without the punctuation a sentence around the
/// quotation puts inside its marks (“…,” she said) or an ellipsis.
fn trimmed(text: &str) -> &str {
    &text[words_of(text)]
}

/// The byte range of [`trimmed`] in `text`.
fn words_of(text: &str) -> Range<usize> {
    let outside = |c: char| ",.;:…".contains(c) || c.is_whitespace();
    let start = text.len() - text.trim_start_matches(outside).len();
    let end = text.trim_end_matches(outside).len().max(start);
    start..end
}

/// Gives `quotation` its verdict from the look-up of its words.
fn judge(quotation: &mut Quotation, named: Option<&Source>, lookup: quote::Lookup) {
    if lookup.matches.is_empty() {
        quotation.verdict = Verdict::NotFound;
        quotation.nearest = lookup.nearest;
        return;
    }
    let best = lookup.matches.iter().map(|m| m.status).min();
    let standing: Vec<&Occurrence> = lookup
        .matches
        .iter()
        .filter(|m| Some(m.status) == best)
        .collect();
    // Of the places the words stand, the one by whom the draft names, else
    // the first; the draft is wrong only when no place gives them to its
    // speaker and the chosen one gives them to someone else.
    let chosen = named
        .and_then(|n| {
            standing
                .iter()
                .find(|m| m.speaker.as_ref().is_some_and(|s| same_person(n, s)))
        })
        .unwrap_or(&standing[0]);
    let misattributed = named.is_some_and(|n| {
        let said_by = chosen.speaker.as_ref().or_else(|| {
            chosen
                .chain
                .iter()
                .find(|l| l.role == Role::Speaker)
                .map(|l| &l.source)
        });
        said_by.is_some_and(|s| !same_person(n, s))
    });
    quotation.speaker = chosen.speaker.clone();
    quotation.verdict = if misattributed {
        Verdict::Misattributed
    } else if chosen.status == Status::Close {
        Verdict::Misquoted
    } else {
        Verdict::Verified
    };
    quotation.found = Some(Box::new((*chosen).clone()));
}

/// Whether two sources are the same speaker as a writer names them: the
/// same id, or a name, an alias or a surname in common ("Hermes" is the
/// Kris Hermes who wrote hermes-2016).
fn same_person(a: &Source, b: &Source) -> bool {
    if a.id == b.id {
        return true;
    }
    let (a, b) = (name_keys(a), name_keys(b));
    a.iter().any(|k| b.contains(k))
}

/// The folded names of a source and the last word of each person's name.
fn name_keys(source: &Source) -> Vec<String> {
    let mut names: Vec<&str> = source.aliases.iter().map(String::as_str).collect();
    names.extend(source.authors.iter().map(String::as_str));
    let is_agent = matches!(source.kind, SourceKind::Person | SourceKind::Organisation);
    if let (true, Some(title)) = (is_agent || source.authors.is_empty(), &source.title) {
        names.push(title);
    }
    let mut keys = Vec::new();
    for name in names {
        let folded = token::fold(name);
        let words: Vec<&str> = folded.split_whitespace().collect();
        let surname = words
            .last()
            .filter(|w| words.len() > 1 && w.len() > 2 && !ORGANISED.contains(w));
        if let Some(last) = surname {
            keys.push(last.to_string());
        }
        keys.push(words.join(" "));
    }
    keys.retain(|k| !k.is_empty());
    keys
}

/// How `--fix` cites the verified quotations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CiteAs {
    /// A Markdown footnote mark after the quotation, the notes at the end.
    #[default]
    Footnotes,
    /// The citation in parentheses after the quotation.
    Inline,
}

/// The draft with each misquotation corrected to the corpus wording and
/// each quotation found in the corpus cited `as` asked, then a
/// bibliography of the works cited.
pub fn fix(draft: &str, report: &Report, how: CiteAs) -> String {
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let mut bibliography: Vec<String> = Vec::new();
    for q in &report.quotations {
        let (Some(span), Some(found)) = (&q.span, &q.found) else {
            continue;
        };
        if !matches!(q.verdict, Verdict::Verified | Verdict::Misquoted) {
            continue;
        }
        if q.verdict == Verdict::Misquoted {
            // The words looked up, without the punctuation kept around them.
            let words = words_of(&q.text);
            let words = span.start + words.start..span.start + words.end;
            edits.push((words, found.wording.clone()));
        }
        let Some(cited) = &found.cited else {
            continue;
        };
        // After the closing mark, which the span of the words leaves out.
        let after = draft[span.end..]
            .chars()
            .next()
            .filter(|c| "”\"’»".contains(*c))
            .map_or(span.end, |c| span.end + c.len_utf8());
        let mark = match how {
            CiteAs::Footnotes => {
                notes.push(cited.markdown.clone());
                format!("[^check-{}]", notes.len())
            }
            CiteAs::Inline => format!(" ({})", cited.markdown.trim_end_matches('.')),
        };
        edits.push((after..after, mark));
        for entry in &cited.bibliography {
            if !bibliography.contains(entry) {
                bibliography.push(entry.clone());
            }
        }
    }
    edits.sort_by_key(|(span, _)| (span.start, span.end));
    let mut out = String::with_capacity(draft.len() + 256);
    let mut at = 0;
    for (span, text) in edits {
        if span.start < at {
            continue;
        }
        out.push_str(&draft[at..span.start]);
        out.push_str(&text);
        at = span.end;
    }
    out.push_str(&draft[at..]);
    if !notes.is_empty() || !bibliography.is_empty() {
        if !out.ends_with('\n') {
            out.push('\n');
        }
        for (n, note) in notes.iter().enumerate() {
            out.push_str(&format!("\n[^check-{}]: {note}\n", n + 1));
        }
    }
    if !bibliography.is_empty() {
        out.push_str("\n## Bibliography\n\n");
        for entry in &bibliography {
            out.push_str(entry);
            out.push_str("\n\n");
        }
        out.truncate(out.trim_end().len());
        out.push('\n');
    }
    out
}

/// Last words of an organisation's name, which are no one's surname.
const ORGANISED: &[&str] = &[
    "collective",
    "society",
    "union",
    "committee",
    "group",
    "association",
    "council",
    "party",
    "institute",
    "press",
    "university",
    "league",
    "network",
    "project",
    "coalition",
    "center",
    "centre",
    "foundation",
    "office",
    "department",
    "company",
    "club",
];

#[cfg(test)]
#[path = "check_tests.rs"]
mod tests;

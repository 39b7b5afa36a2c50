//! Quote: where given words occur in the corpus, who said them, and how to
//! cite them.
//!
//! A look-up finds the words as a phrase on the exact field, then aligns
//! them word by word in each candidate passage to hand back the wording
//! exactly as it stands (curly quotes, dashes and all). A match is *exact*
//! when that wording is what was typed, *normalised* when it differs only in
//! case, quotation marks, apostrophes, dashes, diacritics or spacing.
//!
//! When the words do not stand anywhere as asked, the passages sharing most
//! of their stems are candidates, and each is aligned word by word with what
//! was asked ([`crate::align`]): a fit that keeps most of the words is a
//! *close* match, with its similarity and a diff from what was asked to
//! what is written.

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Term};

use crate::align::{self, Edit};
use crate::cite::{self, ChainLink};
use crate::error::{Error, Result};
use crate::highlight::{Fragment, Highlighter};
use crate::hit::{self, Hit, chain};
use crate::index::Index;
use crate::query::MAX_QUERY_BYTES;
use crate::source::Source;
use crate::token;

/// How many passages that hold the words a look-up shows at most.
const CANDIDATES: usize = 200;
/// How many phrase matches a look-up checks at most, in rounds of
/// [`CANDIDATES`]: a phrase also matches a possessive's base (“Newton”
/// matches “Newton’s”), which the check word for word then drops, so the
/// best matches can all be possessives when the name is mostly one.
const MAX_CHECKED: usize = 10 * CANDIDATES;
/// How many nearest passages a failed look-up shows.
const NEAREST: usize = 3;
/// How many passages sharing stems are aligned when no phrase matches.
const CLOSE_CANDIDATES: usize = 60;
/// Words of a close look-up that choose its candidates: the rarest ones.
const CLOSE_TERMS: usize = 8;
/// The least similarity of a close match.
pub const CLOSE_SIMILARITY: f32 = 0.7;
/// How many close matches are shown.
const CLOSE_SHOWN: usize = 5;
/// Longer look-ups are matched as phrases only: aligning is quadratic.
const MAX_ALIGNED_WORDS: usize = 200;

/// How well a match fits what was asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Word for word, mark for mark.
    Exact,
    /// The same words; case, quotation marks, apostrophes, dashes or spacing differ.
    Normalised,
    /// Most of the words: some dropped, added, changed, reordered or misspelt.
    Close,
    /// Not in the corpus.
    NotFound,
}

/// One place where the words occur.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Occurrence {
    /// How well it fits.
    pub status: Status,
    /// The words exactly as they stand in the corpus.
    pub wording: String,
    /// Byte range of the wording in the passage text.
    #[schema(value_type = crate::hit::Span)]
    pub span: std::ops::Range<usize>,
    /// 1 for exact and normalised matches; for close ones, the words matched
    /// (a misspelt word counts ¾) over the words asked or written, whichever
    /// are more.
    pub similarity: f32,
    /// From what was asked to what is written, word by word; empty when the
    /// words are the same.
    pub diff: Vec<Edit>,
    /// Who said them.
    pub speaker: Option<Source>,
    /// From the speaker to the corpus page.
    pub chain: Vec<ChainLink>,
    /// The chain in words.
    pub attribution: String,
    /// A Chicago-style note, Markdown italics.
    pub citation: String,
    /// The words cited in the style asked for, when one was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cited: Option<cite::Citation>,
    /// The passage, its snippet marking the wording.
    pub passage: Hit,
}

/// The answer to a look-up.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Lookup {
    /// What was asked.
    pub query: String,
    /// The best status among the matches.
    pub status: Status,
    /// Where the words occur, best first.
    pub matches: Vec<Occurrence>,
    /// When nothing matched: the passages nearest to the words.
    pub nearest: Vec<Hit>,
}

impl Lookup {
    /// Cites every match in `style` as well.
    pub fn cite_in(mut self, style: cite::Style) -> Lookup {
        for m in &mut self.matches {
            let pinpoint = m.passage.pinpoint();
            m.cited = Some(cite::cite(&m.chain, &pinpoint, style));
        }
        self
    }
}

/// Looks up where `text` occurs.
pub fn lookup(index: &Index, text: &str) -> Result<Lookup> {
    lookup_in(index, text, None)
}

/// Keeps the matches of `query` that are in the corpus file `within`.
fn restrict(index: &Index, query: Box<dyn Query>, within: Option<&str>) -> Box<dyn Query> {
    match within {
        None => query,
        Some(path) => {
            let term = Term::from_field_text(index.fields().page, path);
            let file: Box<dyn Query> = Box::new(TermQuery::new(term, IndexRecordOption::Basic));
            Box::new(BooleanQuery::new(vec![
                (Occur::Must, query),
                (Occur::Must, file),
            ]))
        }
    }
}

/// Looks up where `text` occurs, in one corpus file when `within` names it
/// (then without the nearest passages when nothing matches).
pub fn lookup_in(index: &Index, text: &str, within: Option<&str>) -> Result<Lookup> {
    let wanted = wanted(text)?;
    let fields = index.fields();
    let terms: Vec<Term> = wanted
        .iter()
        .map(|w| Term::from_field_text(fields.text, &w.text))
        .collect();
    let query: Box<dyn Query> = if terms.len() == 1 {
        Box::new(TermQuery::new(
            terms[0].clone(),
            IndexRecordOption::WithFreqs,
        ))
    } else {
        Box::new(PhraseQuery::new(terms))
    };
    let query = restrict(index, query, within);
    let searcher = index.reader().searcher();
    let typed = trim_marks(text);
    let no_highlight = Highlighter::for_terms(&*query, index);
    let mut matches = Vec::new();
    let mut holding = 0;
    let mut checked = 0;
    'rounds: while checked < MAX_CHECKED {
        let round = TopDocs::with_limit(CANDIDATES)
            .and_offset(checked)
            .order_by_score();
        let top = searcher.search(&*query, &round)?;
        let last_round = top.len() < CANDIDATES;
        checked += top.len();
        for (score, address) in top {
            let found = occurrences(
                index,
                &searcher,
                address,
                score,
                &wanted,
                typed,
                &no_highlight,
            )?;
            holding += usize::from(!found.is_empty());
            matches.extend(found);
            if holding == CANDIDATES {
                break 'rounds;
            }
        }
        if last_round {
            break;
        }
    }
    matches.sort_by(|a, b| {
        a.status
            .cmp(&b.status)
            .then(b.passage.score.total_cmp(&a.passage.score))
    });
    if matches.is_empty() && wanted.len() <= MAX_ALIGNED_WORDS {
        matches = close(index, text, &wanted, within)?;
    }
    let status = matches.first().map_or(Status::NotFound, |m| m.status);
    let nearest = if matches.is_empty() && within.is_none() {
        nearest(index, &wanted)?
    } else {
        vec![]
    };
    Ok(Lookup {
        query: text.to_string(),
        status,
        matches,
        nearest,
    })
}

/// The words of `text` to look up, or why they cannot be.
fn wanted(text: &str) -> Result<Vec<token::Word>> {
    if text.len() > MAX_QUERY_BYTES {
        return Err(Error::Query(format!(
            "the quotation is {} bytes long; the limit is {}",
            text.len(),
            MAX_QUERY_BYTES
        )));
    }
    let wanted = token::words(text);
    if wanted.is_empty() {
        return Err(Error::Query("give the words to look for".into()));
    }
    Ok(wanted)
}

/// Looks up where `text` occurs among passages another engine found for
/// it (a Typesense cluster): `phrase`, the passages that hold its words in
/// order, best first; `loose(n)`, the `n` best that share some of them,
/// asked only when no passage holds them all. The wording, status,
/// speaker, chain and citation of each match are as [`lookup`] gives them.
pub fn lookup_among(
    text: &str,
    phrase: &[Hit],
    loose: impl FnOnce(usize) -> Result<Vec<Hit>>,
) -> Result<Lookup> {
    let wanted = wanted(text)?;
    let typed = trim_marks(text);
    let mut matches: Vec<Occurrence> = phrase
        .iter()
        .flat_map(|hit| occurrences_in(hit, &wanted, typed))
        .collect();
    matches.sort_by(|a, b| {
        a.status
            .cmp(&b.status)
            .then(b.passage.score.total_cmp(&a.passage.score))
    });
    let mut nearest = Vec::new();
    if matches.is_empty() {
        let candidates = loose(CLOSE_CANDIDATES)?;
        if wanted.len() <= MAX_ALIGNED_WORDS {
            let mut fits: Vec<Occurrence> = candidates
                .iter()
                .filter_map(|hit| fit(hit, &wanted, text))
                .collect();
            fits.sort_by(|a, b| {
                b.similarity
                    .total_cmp(&a.similarity)
                    .then(b.passage.score.total_cmp(&a.passage.score))
            });
            fits.truncate(CLOSE_SHOWN);
            matches = fits;
        }
        if matches.is_empty() {
            nearest = candidates.into_iter().take(NEAREST).collect();
        }
    }
    Ok(Lookup {
        query: text.to_string(),
        status: matches.first().map_or(Status::NotFound, |m| m.status),
        matches,
        nearest,
    })
}

fn trim_marks(text: &str) -> &str {
    text.trim()
        .trim_matches(|c: char| "\"“”‘’'«»„".contains(c) || c.is_whitespace())
}

fn occurrences(
    index: &Index,
    searcher: &tantivy::Searcher,
    address: DocAddress,
    score: f32,
    wanted: &[token::Word],
    typed: &str,
    highlighter: &Highlighter,
) -> Result<Vec<Occurrence>> {
    let hit = hit::build(index, searcher, address, score, highlighter, true)?;
    Ok(occurrences_in(&hit, wanted, typed))
}

/// Where the words `wanted` (typed as `typed`) stand in `hit`, in order.
fn occurrences_in(hit: &Hit, wanted: &[token::Word], typed: &str) -> Vec<Occurrence> {
    let words = token::words(&hit.text);
    let mut out = Vec::new();
    for start in 0..words.len() {
        let matched = words[start..]
            .iter()
            .zip(wanted)
            .take_while(|(have, want)| have.text == want.text)
            .count();
        if matched < wanted.len() {
            continue;
        }
        let first = &words[start];
        let last = &words[start + wanted.len() - 1];
        let span = balance(
            &hit.text,
            widen(&hit.text, first.span.start..last.span.end, typed),
        );
        let status = if hit.text[span.clone()] == *typed {
            Status::Exact
        } else {
            Status::Normalised
        };
        out.push(occurrence(hit, span, status, 1.0, vec![]));
    }
    out
}

/// An occurrence of words at `span` of `hit`, with its speaker and chain.
fn occurrence(
    hit: &Hit,
    span: std::ops::Range<usize>,
    status: Status,
    similarity: f32,
    diff: Vec<Edit>,
) -> Occurrence {
    let mut passage = hit.clone();
    passage.snippet = mark(&hit.text, &span);
    let speaker = hit
        .quotes
        .iter()
        .filter(|q| q.span.start <= span.end && span.start <= q.span.end)
        .find_map(|q| q.speaker.clone());
    let chain = chain(&passage, speaker.clone());
    Occurrence {
        status,
        wording: hit.text[span.clone()].to_string(),
        span,
        similarity,
        diff,
        speaker: speaker.or_else(|| chain.first().map(|l| l.source.clone())),
        attribution: cite::chain_text(&chain),
        citation: cite::cite(&chain, &hit.pinpoint(), cite::Style::ChicagoNotes).markdown,
        cited: None,
        chain,
        passage,
    }
}

/// Close matches: the passages that share most stems with the words, each
/// aligned with them; the fits similar enough, most similar first.
fn close(
    index: &Index,
    text: &str,
    wanted: &[token::Word],
    within: Option<&str>,
) -> Result<Vec<Occurrence>> {
    let fields = index.fields();
    let mut stems: Vec<String> = token::stemmed_words(text)
        .into_iter()
        .map(|w| w.text)
        .collect();
    stems.sort();
    stems.dedup();
    let searcher = index.reader().searcher();
    // Candidates come from the query's rarest words: they pick the passage
    // out, and the common ones ("the", "of") made the union of postings
    // the larger part of a look-up's time on a large corpus.
    let mut terms: Vec<(u64, Term)> = Vec::with_capacity(stems.len());
    for stem in &stems {
        let term = Term::from_field_text(fields.stem, stem);
        let df = searcher.doc_freq(&term)?;
        if df > 0 {
            terms.push((df, term));
        }
    }
    terms.sort_by_key(|(df, _)| *df);
    terms.truncate(CLOSE_TERMS);
    let clauses: Vec<(Occur, Box<dyn Query>)> = terms
        .into_iter()
        .map(|(_, term)| {
            (
                Occur::Should,
                Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)) as Box<dyn Query>,
            )
        })
        .collect();
    let query = restrict(index, Box::new(BooleanQuery::new(clauses)), within);
    let top = searcher.search(
        &*query,
        &TopDocs::with_limit(CLOSE_CANDIDATES).order_by_score(),
    )?;
    let unmarked = Highlighter::default();
    let mut fits = Vec::new();
    for (score, address) in top {
        // Aligned on the stored text alone: the whole hit, with its
        // attribution and citation, only for a passage that fits.
        let stored = passage_text(index, &searcher, address)?;
        let words = token::words(&stored);
        let Some(fit) = align::align(wanted, text, &words, &stored) else {
            continue;
        };
        if fit.similarity < CLOSE_SIMILARITY {
            continue;
        }
        let hit = hit::build(index, &searcher, address, score, &unmarked, true)?;
        fits.push(close_fit(&hit, &words, fit));
    }
    fits.sort_by(|a, b| {
        b.similarity
            .total_cmp(&a.similarity)
            .then(b.passage.score.total_cmp(&a.passage.score))
    });
    fits.truncate(CLOSE_SHOWN);
    Ok(fits)
}

/// `hit` as a close match of `wanted` (asked as `text`), when it fits.
fn fit(hit: &Hit, wanted: &[token::Word], text: &str) -> Option<Occurrence> {
    let words = token::words(&hit.text);
    let fit = align::align(wanted, text, &words, &hit.text)?;
    (fit.similarity >= CLOSE_SIMILARITY).then(|| close_fit(hit, &words, fit))
}

/// The close match `fit` of `hit`, whose words are `words`.
fn close_fit(hit: &Hit, words: &[token::Word], fit: align::Alignment) -> Occurrence {
    let span = balance(
        &hit.text,
        words[fit.words.start].span.start..words[fit.words.end - 1].span.end,
    );
    occurrence(hit, span, Status::Close, fit.similarity, fit.diff)
}

/// The stored text of the passage at `address`.
fn passage_text(
    index: &Index,
    searcher: &tantivy::Searcher,
    address: DocAddress,
) -> Result<String> {
    use tantivy::schema::Value;
    let doc: tantivy::TantivyDocument = searcher.doc(address)?;
    Ok(doc
        .get_first(index.fields().text)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string())
}

/// Widens a match to take in the other half of a quotation mark it cuts:
/// "right tactic" is `“right” tactic`, not `right” tactic`.
fn balance(text: &str, span: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let (mut start, mut end) = (span.start, span.end);
    for (open, close) in [('“', '”'), ('‘', '’'), ('«', '»')] {
        let wording = &text[start..end];
        let (opens, closes) = (
            wording.matches(open).count(),
            wording.matches(close).count(),
        );
        if closes > opens && text[..start].ends_with(open) {
            start -= open.len_utf8();
        } else if opens > closes && text[end..].starts_with(close) {
            end += close.len_utf8();
        }
    }
    start..end
}

/// Widens a match over punctuation the user typed around the words
/// ("bargaining." finds "bargaining." and not just "bargaining").
fn widen(text: &str, span: std::ops::Range<usize>, typed: &str) -> std::ops::Range<usize> {
    let lead: String = typed.chars().take_while(|c| !c.is_alphanumeric()).collect();
    let trail: String = typed
        .chars()
        .rev()
        .take_while(|c| !c.is_alphanumeric())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let start = if !lead.is_empty() && text[..span.start].ends_with(lead.as_str()) {
        span.start - lead.len()
    } else {
        span.start
    };
    let end = if !trail.is_empty() && text[span.end..].starts_with(trail.as_str()) {
        span.end + trail.len()
    } else {
        span.end
    };
    start..end
}

fn mark(text: &str, span: &std::ops::Range<usize>) -> Vec<Fragment> {
    [
        (&text[..span.start], false),
        (&text[span.clone()], true),
        (&text[span.end..], false),
    ]
    .into_iter()
    .filter(|(t, _)| !t.is_empty())
    .map(|(t, highlighted)| Fragment {
        text: t.to_string(),
        highlighted,
    })
    .collect()
}

/// The passages that share most words with `wanted`, for a look-up that failed.
fn nearest(index: &Index, wanted: &[token::Word]) -> Result<Vec<Hit>> {
    let fields = index.fields();
    let text: String = wanted
        .iter()
        .map(|w| w.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let stems = token::stemmed_words(&text);
    let clauses: Vec<(Occur, Box<dyn Query>)> = stems
        .iter()
        .map(|w| {
            let term = Term::from_field_text(fields.stem, &w.text);
            (
                Occur::Should,
                Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)) as Box<dyn Query>,
            )
        })
        .collect();
    let query = BooleanQuery::new(clauses);
    let searcher = index.reader().searcher();
    let top = searcher.search(&query, &TopDocs::with_limit(NEAREST).order_by_score())?;
    let highlighter = Highlighter::for_terms(&query, index);
    top.into_iter()
        .map(|(score, address)| hit::build(index, &searcher, address, score, &highlighter, true))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wording_takes_both_halves_of_the_quotation_marks_it_cuts() {
        let text = "there is no “right” tactic; “many forms” of it";
        let at = |s: &str| text.find(s).unwrap();
        let span = balance(text, at("right")..at(" tactic") + " tactic".len());
        assert_eq!(&text[span], "“right” tactic");
        let span = balance(text, at("tactic")..at("many") + "many".len());
        assert_eq!(&text[span], "tactic; “many");
        let span = balance(text, at("many")..at(" of"));
        assert_eq!(&text[span], "“many forms”");
    }
}

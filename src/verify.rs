//! Verify: whether each quotation and excerpt on a page really stands in
//! its source, when the source's full text is in the corpus.
//!
//! A quotation is checked against the first source of its chain whose full
//! text is indexed: its speaker, else the work it is quoted in (a JCLC
//! quotation inside an excerpt of Hermes is checked in Hermes's article).
//! An excerpt is checked against the work it excerpts. The check is the
//! quote look-up, kept to the source's document: exact or normalised is
//! verified, close is verified with differences, anything else not found.

use serde::Serialize;

use crate::error::Result;
use crate::hit::{Hit, Verdict, Verification};
use crate::index::Index;
use crate::quote::{self, Status};
use crate::search;
use crate::source::Source;

/// The corpus path of the full text of `source`, if it is indexed.
pub fn document_of(index: &Index, source: &Source) -> Option<String> {
    let path = index.source(&source.id)?.text?;
    index.page(&path).filter(|p| p.document).map(|_| path)
}

/// Checks `words` against the first of `sources` whose full text is indexed.
pub fn check<'s>(
    index: &Index,
    words: &str,
    sources: impl IntoIterator<Item = &'s Source>,
    own_file: &str,
) -> Result<Option<Verification>> {
    let Some((source, document)) = sources
        .into_iter()
        .find_map(|s| document_of(index, s).map(|d| (s, d)))
    else {
        return Ok(None);
    };
    if document.as_str() == own_file {
        // The source's own text does not vouch for itself.
        return Ok(None);
    }
    let lookup = quote::lookup_in(index, words, Some(&document))?;
    let best = lookup.matches.first();
    let status = match lookup.status {
        Status::Exact | Status::Normalised => Verdict::Verified,
        Status::Close => Verdict::VerifiedWithDifferences,
        Status::NotFound => Verdict::NotFound,
    };
    Ok(Some(Verification {
        status,
        source: source.id.clone(),
        document,
        passage: best.map(|m| m.passage.id.clone()),
        source_page: best.and_then(|m| m.passage.source_page),
        wording: best.map(|m| m.wording.clone()),
        similarity: best
            .filter(|m| m.status == Status::Close)
            .map(|m| m.similarity),
        diff: best.map(|m| m.diff.clone()).unwrap_or_default(),
    }))
}

/// Checks a passage's quotations and, for an excerpt, the passage itself,
/// filling in their `verification`.
pub fn passage(index: &Index, hit: &mut Hit) -> Result<()> {
    let excerpt = hit.excerpted_from.clone();
    if let Some(work) = &excerpt {
        hit.verification = check(index, &hit.text, [work], &hit.page.path)?;
    }
    for i in 0..hit.quotes.len() {
        let Some(speaker) = hit.quotes[i].speaker.clone() else {
            continue;
        };
        let words = hit.quotes[i].text.clone();
        let words = words.trim_matches(|c: char| "\"“”‘’'«»„".contains(c) || c.is_whitespace());
        hit.quotes[i].verification = check(
            index,
            words,
            [&speaker].into_iter().chain(&excerpt),
            &hit.page.path,
        )?;
    }
    Ok(())
}

/// One line of the corpus-wide report.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Checked {
    /// The passage holding the words.
    pub passage: String,
    /// Its page's title.
    pub page: String,
    /// The words checked: a quotation, or a whole excerpt.
    pub words: String,
    /// Who said them.
    pub speaker: Option<String>,
    /// What the check found.
    pub verification: Verification,
}

/// Checks every quotation and excerpt in the corpus whose source's full text
/// is indexed, in passage order.
pub fn corpus(index: &Index) -> Result<Vec<Checked>> {
    let mut out = Vec::new();
    let with_text: Vec<String> = index
        .sources()?
        .iter()
        .filter(|s| document_of(index, s).is_some())
        .map(|s| s.id.clone())
        .collect();
    if with_text.is_empty() {
        return Ok(out);
    }
    for id in search::passages_citing(index, &with_text)? {
        let Some(mut hit) = search::passage(index, &id)? else {
            continue;
        };
        passage(index, &mut hit)?;
        if let Some(v) = hit.verification.clone() {
            out.push(Checked {
                passage: hit.id.clone(),
                page: hit.page.title.clone(),
                words: hit.text.clone(),
                speaker: hit.excerpted_from.as_ref().map(Source::name),
                verification: v,
            });
        }
        for q in &hit.quotes {
            if let Some(v) = q.verification.clone() {
                out.push(Checked {
                    passage: hit.id.clone(),
                    page: hit.page.title.clone(),
                    words: q.text.clone(),
                    speaker: q.speaker.as_ref().map(Source::name),
                    verification: v,
                });
            }
        }
    }
    Ok(out)
}

//! Group: the passages a search finds, gathered under their pages as a
//! site's search box shows them — each page once, ranked by its best
//! passage, with its title, URL, authors and date, its best passages, and
//! the rest behind "more from this page" (Pagefind's sub-results).

use std::collections::HashSet;

use serde::Serialize;
use tantivy::collector::{Collector, Count, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::error::{Error, Result};
use crate::facet::{self, Facets};
use crate::hit::{self, Hit, PageRef};
use crate::index::{Index, PAGE};
use crate::query::Parser;
use crate::quote::{self, Lookup, Status};
use crate::search::{self, Request};
use crate::token;

/// Passages shown under a page.
pub const SHOWN: usize = 2;
/// Passages behind "more from this page", at most.
pub const MORE: usize = 8;
/// The most pages one request may ask for.
pub const MAX_PAGES: usize = 100;
/// The most passages ranked to fill the pages asked for.
const MAX_CANDIDATES: usize = 20_000;

/// One page of the results.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PageGroup {
    /// The page: title, path, URL.
    pub page: PageRef,
    /// Its authors, from its front matter.
    pub authors: Vec<String>,
    /// Its date, as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The score of its best passage.
    pub score: f32,
    /// How many of its passages match (among the passages ranked).
    pub matches: usize,
    /// Its best passages, best first.
    pub hits: Vec<Hit>,
    /// More of its passages, best first ("more from this page").
    pub more: Vec<Hit>,
}

/// The pages of a search.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PageResults {
    /// The query as run.
    pub query: String,
    /// Passages matching, in all.
    pub total: usize,
    /// Pages holding a passage that matches, in all.
    pub total_pages: usize,
    /// Pages skipped.
    pub offset: usize,
    /// The pages, best first.
    pub pages: Vec<PageGroup>,
    /// Who said the passages matching, their sources, authors, years and
    /// sections, with counts (over every passage matching, not only the
    /// pages shown).
    pub facets: Facets,
    /// When the query reads as a sentence (six words or more, or quoted)
    /// and the words do not stand anywhere as typed: the quote look-up's
    /// close matches with their diff, or, when it has none and the search
    /// found nothing either, the nearest passages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quote: Option<Lookup>,
}

impl PageGroup {
    /// The page of `built`, its passages best first (at least one), of
    /// which `matches` match: the first [`SHOWN`] shown, the rest behind
    /// "more".
    pub fn of(mut built: Vec<Hit>, matches: usize) -> PageGroup {
        let more = built.split_off(built.len().min(SHOWN));
        let first = &built[0];
        let source = first.page.source.as_ref();
        PageGroup {
            page: first.page.clone(),
            authors: source.map(|s| s.authors.clone()).unwrap_or_default(),
            date: source.and_then(|s| s.date.clone()),
            score: first.score,
            matches,
            hits: built,
            more,
        }
    }
}

impl PageResults {
    /// Cites every passage shown, and the quote look-up's matches, in `style` as well.
    pub fn cite_in(&mut self, style: crate::cite::Style) {
        for group in &mut self.pages {
            for hit in group.hits.iter_mut().chain(group.more.iter_mut()) {
                hit.cite(style);
            }
        }
        if let Some(lookup) = self.quote.take() {
            self.quote = Some(lookup.cite_in(style));
        }
    }
}

/// Runs a search and groups its passages by page; `request.limit` and
/// `request.offset` count pages.
pub fn search_pages(index: &Index, parser: &Parser, request: &Request) -> Result<PageResults> {
    if request.limit == 0 || request.limit > MAX_PAGES {
        return Err(Error::parameter(
            "limit",
            format!(
                "limit must be between 1 and {MAX_PAGES} pages, not {}",
                request.limit
            ),
        ));
    }
    search::check_paging(request.limit, request.offset)?;
    let (query, highlighter) = search::prepare(index, parser, request)?;
    let searcher = index.reader().searcher();
    let columns: Vec<Option<StrColumn>> = searcher
        .segment_readers()
        .iter()
        .map(|s| s.fast_fields().str(PAGE).ok().flatten())
        .collect();
    let page_of = |address: DocAddress| -> String {
        let mut path = String::new();
        if let Some(column) = &columns[address.segment_ord as usize]
            && let Some(ord) = column.term_ords(address.doc_id).next()
        {
            let _ = column.ord_to_str(ord, &mut path);
        }
        path
    };
    let (total, total_pages) = searcher.search(&query, &(Count, DistinctPages))?;
    let facets = facet::count(index, &searcher, query.as_ref())?;
    let wanted = request.offset + request.limit;
    let mut cap = (wanted * (SHOWN + MORE)).max(100);
    let groups = loop {
        let top = searcher.search(&query, &search::weighted(cap, 0))?;
        let ranked = top.len();
        let mut groups: Vec<(String, Vec<(Score, DocAddress)>)> = Vec::new();
        let mut at = std::collections::HashMap::new();
        for (score, address) in top {
            let path = page_of(address);
            let slot = *at.entry(path.clone()).or_insert_with(|| {
                groups.push((path, Vec::new()));
                groups.len() - 1
            });
            groups[slot].1.push((score, address));
        }
        if groups.len() >= wanted || ranked < cap || cap >= MAX_CANDIDATES {
            break groups;
        }
        cap = (cap * 4).min(MAX_CANDIDATES);
    };
    let pages = groups
        .into_iter()
        .skip(request.offset)
        .take(request.limit)
        .map(|(_, passages)| {
            let matches = passages.len();
            let built = passages
                .into_iter()
                .take(SHOWN + MORE)
                .map(|(score, address)| {
                    hit::build(
                        index,
                        &searcher,
                        address,
                        score,
                        &highlighter,
                        request.citations,
                    )
                })
                .collect::<Result<Vec<Hit>>>()?;
            Ok(PageGroup::of(built, matches))
        })
        .collect::<Result<Vec<_>>>()?;
    let quote = quote_fallback(request, total, |words| quote::lookup(index, words))?;
    Ok(PageResults {
        query: request.query.clone(),
        total,
        total_pages,
        offset: request.offset,
        pages,
        facets,
        quote,
    })
}

/// The quote look-up a search by page shows (`look_up` runs it): when
/// the query reads as a sentence, on the first page, and the words stand
/// nowhere as typed (close matches, or nothing found by the search either).
pub fn quote_fallback(
    request: &Request,
    total: usize,
    look_up: impl FnOnce(&str) -> Result<Lookup>,
) -> Result<Option<Lookup>> {
    let Some(words) = sentence(&request.query).filter(|_| request.offset == 0) else {
        return Ok(None);
    };
    let lookup = look_up(&words)?;
    let wanted = match lookup.status {
        Status::Close => true,
        Status::NotFound => total == 0,
        Status::Exact | Status::Normalised => false,
    };
    Ok(wanted.then_some(lookup))
}

/// The words of `query` when it reads as a sentence someone remembers:
/// in quotation marks (two words or more), or six words or more without
/// query syntax. A query with fields, `+`/`-`, `*`, `~`, parentheses or
/// `AND`/`OR` is a query, not a quotation.
pub fn sentence(query: &str) -> Option<String> {
    let trimmed = query.trim();
    let opening = ['"', '“', '„', '«', '‘'];
    let closing = ['"', '”', '“', '»', '’'];
    let inner = trimmed
        .strip_prefix(opening)
        .map(|rest| rest.strip_suffix(closing).unwrap_or(rest));
    if let Some(inner) = inner {
        let plain = !inner.contains(['"', '“', '”', '«', '»']);
        return (plain && token::words(inner).len() >= 2).then(|| inner.trim().to_string());
    }
    let syntax = trimmed.contains([':', '*', '~', '(', ')', '"', '“', '”'])
        || trimmed
            .split_whitespace()
            .any(|w| w.starts_with(['+', '-']) || w == "AND" || w == "OR" || w == "NOT");
    (!syntax && token::words(trimmed).len() >= 6).then(|| trimmed.to_string())
}

/// Counts the distinct pages of the passages a query matches, from the
/// page field's column.
struct DistinctPages;

struct SegmentPages {
    column: Option<StrColumn>,
    ords: HashSet<u64>,
}

impl Collector for DistinctPages {
    type Fruit = usize;
    type Child = SegmentPages;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentPages> {
        Ok(SegmentPages {
            column: segment.fast_fields().str(PAGE)?,
            ords: HashSet::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<HashSet<String>>) -> tantivy::Result<usize> {
        let mut all: HashSet<String> = HashSet::new();
        for fruit in fruits {
            all.extend(fruit);
        }
        Ok(all.len())
    }
}

impl SegmentCollector for SegmentPages {
    type Fruit = HashSet<String>;

    fn collect(&mut self, doc: DocId, _: Score) {
        if let Some(column) = &self.column {
            self.ords.extend(column.term_ords(doc));
        }
    }

    fn harvest(self) -> HashSet<String> {
        let Some(column) = self.column else {
            return HashSet::new();
        };
        self.ords
            .into_iter()
            .filter_map(|ord| {
                let mut path = String::new();
                column.ord_to_str(ord, &mut path).ok()?.then_some(path)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::sentence;

    #[test]
    fn a_sentence_is_quoted_or_six_words_without_syntax() {
        assert_eq!(
            sentence("“jail solidarity”").as_deref(),
            Some("jail solidarity")
        );
        assert_eq!(
            sentence("\"one two three").as_deref(),
            Some("one two three")
        );
        assert_eq!(sentence("\"solidarity\""), None);
        let six = "many different forms of non cooperation";
        assert_eq!(sentence(six).as_deref(), Some(six));
        assert_eq!(sentence("jail solidarity court"), None);
        assert_eq!(
            sentence("title:jail many different forms of non cooperation"),
            None
        );
        assert_eq!(sentence("many different forms of -non cooperation"), None);
        assert_eq!(sentence("\"a b\" OR \"c d\""), None);
    }
}

//! Search: ranked passages for a query, with highlighted snippets and
//! attribution; and the look-ups by passage id and by source that the other
//! answers build on.

use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

use crate::error::{Error, Result};
use crate::highlight::{Fragment, Highlighter};
use crate::hit::{self, Hit};
use crate::index::Index;
use crate::query::{Parsed, Parser};

/// The most hits one request may ask for.
pub const MAX_LIMIT: usize = 1000;
/// The furthest one may page.
pub const MAX_OFFSET: usize = 100_000;

/// A search as asked.
#[derive(Debug, Clone)]
pub struct Request {
    /// The query, in Tantivy's syntax.
    pub query: String,
    /// Keep only passages that excerpt, cite or quote this source (id or name).
    pub source: Option<String>,
    /// How many hits.
    pub limit: usize,
    /// How many hits to skip.
    pub offset: usize,
    /// The query is being typed: close an open phrase, read the last word
    /// as a prefix, and run what parses of the rest.
    pub typing: bool,
    /// Keep only passages with these facet values.
    pub filters: crate::facet::Filters,
    /// Render each hit's citations (its note and its quotations'), as the
    /// JSON answers carry them. The CLI's text report prints none, and a
    /// CSL rendering costs about a millisecond a hit.
    pub citations: bool,
}

impl Request {
    /// A request for the first ten hits of `query`.
    pub fn new(query: impl Into<String>) -> Self {
        Request {
            query: query.into(),
            source: None,
            limit: 10,
            offset: 0,
            typing: false,
            filters: Default::default(),
            citations: true,
        }
    }
}

/// Hits of a search.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Results {
    /// The query as run.
    pub query: String,
    /// Passages matching, in all.
    pub total: usize,
    /// Offset of the first hit.
    pub offset: usize,
    /// The hits.
    pub hits: Vec<Hit>,
}

/// Runs a search.
pub fn search(index: &Index, parser: &Parser, request: &Request) -> Result<Results> {
    check_paging(request.limit, request.offset)?;
    let (query, highlighter) = prepare(index, parser, request)?;
    let searcher = index.reader().searcher();
    let top = weighted(request.limit.max(1), request.offset);
    let (top, total) = searcher.search(&query, &(top, Count))?;
    let hits = top
        .into_iter()
        .take(request.limit)
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
        .collect::<Result<Vec<_>>>()?;
    Ok(Results {
        query: request.query.clone(),
        total,
        offset: request.offset,
        hits,
    })
}

/// The query `request` asks for, its filters applied, and what to mark
/// in the passages it finds.
pub fn prepare(
    index: &Index,
    parser: &Parser,
    request: &Request,
) -> Result<(Box<dyn Query>, Highlighter)> {
    let Parsed { query, ast } = if request.typing {
        parser.parse_typing(&request.query)?
    } else {
        parser.parse(&request.query)?
    };
    let highlighter = Highlighter::of(&ast);
    let query = filter_by_source(index, query, request.source.as_deref())?;
    let query = crate::facet::apply(index, query, &request.filters)?;
    Ok((query, highlighter))
}

/// The top `limit` passages after `offset`, each passage's score
/// multiplied by the weight of its shape (`rank`), so that prose ranks
/// above headings, captions and index lines holding the same words.
pub fn weighted(
    limit: usize,
    offset: usize,
) -> impl tantivy::collector::Collector<Fruit = Vec<(f32, tantivy::DocAddress)>> {
    TopDocs::with_limit(limit)
        .and_offset(offset)
        .tweak_score(|segment: &tantivy::SegmentReader| {
            // An index without the column (none is written without it)
            // ranks by the plain score.
            let weights = segment
                .fast_fields()
                .f64(crate::index::WEIGHT)
                .ok()
                .map(|c| c.first_or_default_col(1.0));
            move |doc: tantivy::DocId, score: tantivy::Score| match &weights {
                Some(column) => score * column.get_val(doc) as f32,
                None => score,
            }
        })
}

/// How many pages hold a passage that `query` matches: the count to
/// compare with a search engine that indexes whole pages.
pub fn matching_pages(index: &Index, parser: &Parser, query: &str) -> Result<usize> {
    let Parsed { query, .. } = parser.parse(query)?;
    let searcher = index.reader().searcher();
    let found = searcher.search(&query, &tantivy::collector::DocSetCollector)?;
    let page = index.fields().page;
    let mut pages = std::collections::HashSet::new();
    for address in found {
        let doc: TantivyDocument = searcher.doc(address)?;
        if let Some(path) = doc.get_first(page).and_then(|v| v.as_str()) {
            pages.insert(path.to_string());
        }
    }
    Ok(pages.len())
}

/// The passage with id `id`, whole and unmarked, with its attribution and
/// citations; [`crate::verify::passage`] checks its words against their
/// sources where that is asked for.
pub fn passage(index: &Index, id: &str) -> Result<Option<Hit>> {
    let term = Term::from_field_text(index.fields().id, id);
    let query = TermQuery::new(term, IndexRecordOption::Basic);
    let searcher = index.reader().searcher();
    let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
    let unmarked = Highlighter::default();
    top.into_iter()
        .next()
        .map(|(score, address)| {
            let mut hit = hit::build(index, &searcher, address, score, &unmarked, true)?;
            hit.snippet = vec![Fragment {
                text: hit.text.clone(),
                highlighted: false,
            }];
            Ok(hit)
        })
        .transpose()
}

/// Ids of the passages that excerpt, cite or quote any of `sources`, in
/// page order and then paragraph order.
pub fn passages_citing(index: &Index, sources: &[String]) -> Result<Vec<String>> {
    let fields = index.fields();
    let clauses: Vec<(Occur, Box<dyn Query>)> = sources
        .iter()
        .map(|id| {
            let term = Term::from_field_text(fields.source, id);
            (
                Occur::Should,
                Box::new(TermQuery::new(term, IndexRecordOption::Basic)) as Box<dyn Query>,
            )
        })
        .collect();
    let searcher = index.reader().searcher();
    let found = searcher.search(
        &BooleanQuery::new(clauses),
        &tantivy::collector::DocSetCollector,
    )?;
    let mut ids = Vec::with_capacity(found.len());
    for address in found {
        let doc: TantivyDocument = searcher.doc(address)?;
        if let Some(id) = doc.get_first(fields.id).and_then(|v| v.as_str()) {
            ids.push(id.to_string());
        }
    }
    // `page#p10` after `page#p9`.
    ids.sort_by_key(|id| {
        let (page, part) = id.rsplit_once('#').unwrap_or((id, ""));
        let digits: String = part.chars().filter(char::is_ascii_digit).collect();
        (
            page.to_string(),
            digits.parse::<u64>().unwrap_or(0),
            part.to_string(),
        )
    });
    Ok(ids)
}

/// Checks `limit` and `offset` against the bounds.
pub fn check_paging(limit: usize, offset: usize) -> Result<()> {
    if limit == 0 || limit > MAX_LIMIT {
        return Err(Error::parameter(
            "limit",
            format!("limit must be between 1 and {MAX_LIMIT}, not {limit}"),
        ));
    }
    if offset > MAX_OFFSET {
        return Err(Error::parameter(
            "offset",
            format!("offset must be at most {MAX_OFFSET}, not {offset}"),
        ));
    }
    Ok(())
}

/// Restricts `query` to passages linked to the source called `name`.
pub fn filter_by_source(
    index: &Index,
    query: Box<dyn Query>,
    name: Option<&str>,
) -> Result<Box<dyn Query>> {
    let Some(name) = name else { return Ok(query) };
    let source = index.source_named(name)?;
    let term = Term::from_field_text(index.fields().source, &source.id);
    Ok(Box::new(BooleanQuery::new(vec![
        (Occur::Must, query),
        (
            Occur::Must,
            Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
        ),
    ])))
}

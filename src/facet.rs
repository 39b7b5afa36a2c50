//! Facet: what the passages a query matches are by — who said them, the
//! sources they cite, the authors and year of their work, the section of
//! their page — each value with its count, from the index's fast fields
//! through Tantivy's aggregations; and the filters that keep one value.

use std::ops::Bound;

use serde::Serialize;
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::{AggContextParams, AggregationCollector, AggregationLimitsGuard};
use tantivy::query::{BooleanQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::TokenizerManager;
use tantivy::{Searcher, Term};

use crate::error::{Error, Result};
use crate::index::Index;

/// The values of a facet shown, at most.
pub const FACET_SIZE: u32 = 12;

/// What a search is narrowed to, beside its source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Who said the passage or a quotation in it: a source's id or name.
    pub speaker: Option<String>,
    /// An author of the passage's work, as the author facet names them.
    pub author: Option<String>,
    /// The years of the passage's work, both ends included.
    pub years: Option<(i64, i64)>,
    /// The section of the page: the passage's first heading.
    pub section: Option<String>,
}

impl Filters {
    /// Whether nothing is filtered.
    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }
}

/// Reads a year or a range of years: `1782`, `1700-1750`, `1700..1750`.
pub fn parse_years(text: &str) -> Result<(i64, i64)> {
    let bad = || {
        Error::parameter(
            "year",
            format!("`{text}` is not a year or a range of years such as 1700-1750"),
        )
    };
    let year = |s: &str| s.trim().parse::<i64>().map_err(|_| bad());
    let (from, to) = match text.split_once("..").or_else(|| text.split_once('-')) {
        Some((a, b)) => (year(a)?, year(b)?),
        None => {
            let y = year(text)?;
            (y, y)
        }
    };
    if from > to || !(-9999..=9999).contains(&from) || !(-9999..=9999).contains(&to) {
        return Err(bad());
    }
    Ok((from, to))
}

/// Restricts `query` to the passages `filters` keep.
pub fn apply(index: &Index, query: Box<dyn Query>, filters: &Filters) -> Result<Box<dyn Query>> {
    if filters.is_empty() {
        return Ok(query);
    }
    let fields = index.fields();
    let term = |field, text: &str| -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, text),
            IndexRecordOption::Basic,
        ))
    };
    let mut clauses = vec![(Occur::Must, query)];
    if let Some(name) = &filters.speaker {
        let speaker = index.source_named(name)?;
        clauses.push((Occur::Must, term(fields.speaker, &speaker.id)));
    }
    if let Some(author) = &filters.author {
        clauses.push((Occur::Must, term(fields.authors, author)));
    }
    if let Some(section) = &filters.section {
        clauses.push((Occur::Must, term(fields.section, section)));
    }
    if let Some((from, to)) = filters.years {
        clauses.push((
            Occur::Must,
            Box::new(RangeQuery::new(
                Bound::Included(Term::from_field_i64(fields.year, from)),
                Bound::Included(Term::from_field_i64(fields.year, to)),
            )),
        ));
    }
    Ok(Box::new(BooleanQuery::new(clauses)))
}

/// One value of a facet and how many passages have it.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct FacetValue {
    /// The value, as a filter takes it (a source's id, a name, a heading).
    pub value: String,
    /// How it is named: a speaker by name (a work by its authors), a
    /// source by its title, else the value.
    pub label: String,
    /// Passages matching the query that have it.
    pub count: u64,
}

/// The years of the passages' works.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, utoipa::ToSchema)]
pub struct YearRange {
    /// The earliest.
    pub min: i64,
    /// The latest.
    pub max: i64,
    /// Passages with a year.
    pub count: u64,
}

/// The facets of the passages a query matches, the most frequent values first.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Facets {
    /// Who said them.
    pub speaker: Vec<FacetValue>,
    /// The sources they excerpt, cite or quote.
    pub source: Vec<FacetValue>,
    /// The authors of their works.
    pub author: Vec<FacetValue>,
    /// The years of their works.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<YearRange>,
    /// The sections of their pages.
    pub section: Vec<FacetValue>,
}

/// How the facet value `id`, a source, is named: a speaker by name (a
/// work by its authors) when `by_name`, a source by its title.
pub fn label(index: &Index, id: &str, by_name: bool) -> Option<String> {
    let source = index.source(id)?;
    if by_name && !source.authors.is_empty() {
        return Some(source.authors.join(", "));
    }
    source.title.clone().or(source.description.clone())
}

/// Counts the facets of the passages `query` matches.
pub fn count(index: &Index, searcher: &Searcher, query: &dyn Query) -> Result<Facets> {
    let terms = |field: &str| serde_json::json!({"terms": {"field": field, "size": FACET_SIZE}});
    let request = serde_json::json!({
        "speaker": terms("speaker"),
        "source": terms("source"),
        "author": terms("authors"),
        "section": terms("section"),
        "year": {"stats": {"field": "year"}},
    });
    let inside = |e: String| Error::Index {
        path: index.dir().to_path_buf(),
        message: format!("counting facets: {e}"),
    };
    let aggregations: Aggregations =
        serde_json::from_value(request).map_err(|e| inside(e.to_string()))?;
    let collector = AggregationCollector::from_aggs(
        aggregations,
        AggContextParams::new(
            AggregationLimitsGuard::default(),
            TokenizerManager::default(),
        ),
    );
    let results = searcher.search(query, &collector)?;
    let results = serde_json::to_value(&results).map_err(|e| inside(e.to_string()))?;
    let label = |id: &str, by_name: bool| label(index, id, by_name);
    let values = |name: &str, sources: Option<bool>| -> Vec<FacetValue> {
        results[name]["buckets"]
            .as_array()
            .map(|buckets| {
                buckets
                    .iter()
                    .filter_map(|b| {
                        let value = b["key"].as_str()?.to_string();
                        let label = sources
                            .and_then(|by_name| label(&value, by_name))
                            .unwrap_or_else(|| value.clone());
                        Some(FacetValue {
                            value,
                            label,
                            count: b["doc_count"].as_u64()?,
                        })
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let stats = &results["year"];
    let year = match (stats["min"].as_f64(), stats["max"].as_f64()) {
        (Some(min), Some(max)) => Some(YearRange {
            min: min as i64,
            max: max as i64,
            count: stats["count"].as_u64().unwrap_or(0),
        }),
        _ => None,
    };
    Ok(Facets {
        speaker: values("speaker", Some(true)),
        source: values("source", Some(false)),
        author: values("author", None),
        year,
        section: values("section", None),
    })
}

#[cfg(test)]
mod tests {
    use super::parse_years;

    #[test]
    fn years_are_one_year_or_a_range() {
        assert_eq!(parse_years("1782").unwrap(), (1782, 1782));
        assert_eq!(parse_years("1700-1750").unwrap(), (1700, 1750));
        assert_eq!(parse_years("1700..1750").unwrap(), (1700, 1750));
        for bad in ["", "17x", "1750-1700", "1700-", "99999"] {
            assert!(parse_years(bad).is_err(), "{bad}");
        }
    }
}

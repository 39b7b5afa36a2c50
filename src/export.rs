//! Export: every passage of the index, with its attribution, as the API
//! gives it (one JSON object a line, streamed), and the index
//! configuration that an engine past one machine, Quickwit, is created
//! with to take the same lines.
//!
//! A line is the API's hit for the passage (text, page, headings, sources,
//! quotations with their speakers, attribution, citation) with the words
//! unmarked; for Quickwit, each line also carries the fields its doc
//! mapping indexes flat: the text again for the stemmed field, and the ids
//! and names the facets count.

use std::collections::BTreeSet;
use std::io::Write;

use serde_json::{Value, json};

use crate::error::{Error, Result};
use crate::highlight::{Fragment, Highlighter};
use crate::hit::{self, Hit};
use crate::index::Index;

/// What `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The API's hits, one a line.
    Ndjson,
    /// The same lines with the fields Quickwit's doc mapping indexes, and
    /// beside them the index configuration.
    Quickwit,
}

/// Calls `each` with the API's hit of every live passage of `index`, the
/// words unmarked, one at a time, in the index's order.
pub(crate) fn each_hit(index: &Index, mut each: impl FnMut(&Hit) -> Result<()>) -> Result<()> {
    let searcher = index.reader().searcher();
    let unmarked = Highlighter::default();
    for (ordinal, segment) in searcher.segment_readers().iter().enumerate() {
        let alive = segment.alive_bitset();
        for doc in 0..segment.max_doc() {
            if alive.is_some_and(|a| !a.is_alive(doc)) {
                continue;
            }
            let address = tantivy::DocAddress::new(ordinal as u32, doc);
            let mut hit = hit::build(index, &searcher, address, 0.0, &unmarked, true)?;
            hit.snippet = vec![Fragment {
                text: hit.text.clone(),
                highlighted: false,
            }];
            each(&hit)?;
        }
    }
    Ok(())
}

/// Writes every live passage of `index` to `out` (called `output` in an
/// error) as one JSON object a line, in `format`; returns how many.
/// Nothing is held but one passage.
pub fn passages(
    index: &Index,
    format: Format,
    out: &mut dyn Write,
    output: &std::path::Path,
) -> Result<u64> {
    let mut written = 0;
    let failed = |e: std::io::Error| Error::io(output)(e);
    each_hit(index, |hit| {
        let line = match format {
            Format::Ndjson => serde_json::to_value(hit),
            Format::Quickwit => serde_json::to_value(hit).map(|v| with_flat_fields(v, hit)),
        }
        .map_err(|e| failed(std::io::Error::other(e)))?;
        let mut bytes = line.to_string().into_bytes();
        bytes.push(b'\n');
        out.write_all(&bytes).map_err(failed)?;
        written += 1;
        Ok(())
    })?;
    out.flush().map_err(failed)?;
    Ok(written)
}

/// The ids and names a passage is counted under, as the Tantivy index has
/// them: its sources (cited, excerpted, quoted, its page's), its speakers,
/// and the authors and year of its work.
pub(crate) struct Facets {
    pub(crate) source_ids: BTreeSet<String>,
    pub(crate) speaker_ids: BTreeSet<String>,
    pub(crate) authors: Vec<String>,
    pub(crate) year: Option<i64>,
}

impl Facets {
    pub(crate) fn of(hit: &Hit) -> Facets {
        let speaker_ids: BTreeSet<String> = hit
            .quotes
            .iter()
            .filter_map(|q| q.speaker.as_ref().map(|s| s.id.clone()))
            .chain(hit.excerpted_from.iter().map(|s| s.id.clone()))
            .collect();
        let source_ids: BTreeSet<String> = hit
            .sources
            .iter()
            .map(|s| s.id.clone())
            .chain(speaker_ids.iter().cloned())
            .chain(hit.page.source.iter().map(|s| s.id.clone()))
            .collect();
        let work = hit.excerpted_from.as_ref().or(hit.page.source.as_ref());
        Facets {
            source_ids,
            speaker_ids,
            authors: work.map(|w| w.authors.clone()).unwrap_or_default(),
            year: work.and_then(|w| w.year()).and_then(|y| y.parse().ok()),
        }
    }
}

/// The fields Quickwit indexes flat, added to a hit's JSON: `stem` (the
/// text, for the stemmed field), `page_path`, `source_ids`, `speaker_ids`,
/// `authors` and `year`, as the Tantivy index has them.
fn with_flat_fields(mut line: Value, hit: &Hit) -> Value {
    let Facets {
        source_ids: sources,
        speaker_ids: speakers,
        authors,
        year,
    } = Facets::of(hit);
    if let Value::Object(fields) = &mut line {
        fields.insert("stem".into(), hit.text.clone().into());
        fields.insert("page_path".into(), hit.page.path.clone().into());
        fields.insert("source_ids".into(), json!(sources));
        fields.insert("speaker_ids".into(), json!(speakers));
        fields.insert("authors".into(), json!(authors));
        if let Some(year) = year {
            fields.insert("year".into(), year.into());
        }
    }
    line
}

/// Quickwit's index configuration for the lines [`passages`] writes in
/// [`Format::Quickwit`], for `POST /api/v1/indexes`: the text with
/// positions twice (as written, and stemmed in English), the title,
/// headings and quotations as text, ids and facets whole (`raw`) and fast,
/// the year a fast integer; the rest of each line stored, not indexed.
pub fn quickwit_config(index_id: &str) -> Value {
    let text = |name: &str, tokenizer: &str| json!({"name": name, "type": "text", "tokenizer": tokenizer, "record": "position", "fieldnorms": true});
    let whole = |name: &str, many: bool| {
        let kind = if many { "array<text>" } else { "text" };
        json!({"name": name, "type": kind, "tokenizer": "raw", "fast": true})
    };
    json!({
        "version": "0.8",
        "index_id": index_id,
        "doc_mapping": {
            "mode": "dynamic",
            "dynamic_mapping": {"indexed": false, "stored": true},
            "field_mappings": [
                whole("id", false),
                whole("kind", false),
                text("text", "default"),
                text("stem", "en_stem"),
                {"name": "page", "type": "object", "field_mappings": [
                    text("title", "default"),
                    {"name": "url", "type": "text", "tokenizer": "raw"},
                ]},
                {"name": "headings", "type": "array<text>", "tokenizer": "default", "record": "position"},
                whole("page_path", false),
                whole("source_ids", true),
                whole("speaker_ids", true),
                whole("authors", true),
                {"name": "year", "type": "i64", "fast": true, "indexed": true},
            ],
        },
        "search_settings": {"default_search_fields": ["text", "stem"]},
        "indexing_settings": {"commit_timeout_secs": 30},
    })
}

/// Whether `id` is an index id Quickwit takes: a letter, then letters,
/// digits, `-`, `_` or `.`, 3 to 255 in all.
pub fn valid_index_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        && (3..=255).contains(&id.len())
}

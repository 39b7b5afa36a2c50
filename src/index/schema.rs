//! Schema: the fields of a passage's Tantivy document, built in one place,
//! and what the index stores of a passage besides its text.

use serde::{Deserialize, Serialize};
use tantivy::schema::{
    FAST, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use crate::passage::{PassageKind, Quote};
use crate::token;

/// Bumped whenever the schema, the tokenizers or the attribution rules
/// change what an index holds; an index of another version is rebuilt.
pub const FORMAT_VERSION: u32 = 13;

/// The name of the weight field, for reading its column.
pub const WEIGHT: &str = "weight";
/// The name of the page field, for reading its column.
pub const PAGE: &str = "page";

/// The fields of the schema, built in one place.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Passage id (`slug#p4`), exact.
    pub id: Field,
    /// Corpus path of the page, exact; updates delete by it, and results
    /// are grouped by it (a fast field).
    pub page: Field,
    /// Passage kind, exact.
    pub kind: Field,
    /// The text, stored, with the exact (unstemmed, folded) analyzer.
    pub text: Field,
    /// The text with the stemming analyzer, for ranked recall.
    pub stem: Field,
    /// The page title.
    pub title: Field,
    /// The heading trail.
    pub heading: Field,
    /// The texts of the passage's quotations.
    pub quote: Field,
    /// Ids of the sources the passage excerpts, cites or quotes, and its
    /// page's (a fast field, for its facet).
    pub source: Field,
    /// Ids of who said the passage or a quotation in it: the source it
    /// excerpts and its quotations' speakers (a fast field).
    pub speaker: Field,
    /// The authors of the passage's work, each name whole (a fast field).
    pub authors: Field,
    /// The section of the page it stands in: its first heading (a fast field).
    pub section: Field,
    /// Authors of the work the passage belongs to: the work it excerpts, else its page.
    pub author: Field,
    /// Year of that work, for `year:1782` and `year:[1700 TO 1750]`.
    pub year: Field,
    /// Stored attribution and position of the passage, as JSON.
    pub data: Field,
    /// What the passage's shape counts toward its score (`rank::Shape`),
    /// a fast field.
    pub weight: Field,
}

/// The schema and its fields.
pub fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let text = |analyzer: &str, stored: bool| {
        // Phrases and proximity run on the exact fields only (see
        // `search::Parser`), so the stemmed one keeps no positions.
        let record = if analyzer == token::STEM {
            IndexRecordOption::WithFreqs
        } else {
            IndexRecordOption::WithFreqsAndPositions
        };
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(record);
        let options = TextOptions::default().set_indexing_options(indexing);
        if stored {
            options.set_stored()
        } else {
            options
        }
    };
    let fields = Fields {
        id: builder.add_text_field("id", STRING | STORED),
        page: builder.add_text_field(PAGE, STRING | STORED | FAST),
        kind: builder.add_text_field("kind", STRING),
        text: builder.add_text_field("text", text(token::EXACT, true)),
        stem: builder.add_text_field("stem", text(token::STEM, false)),
        title: builder.add_text_field("title", text(token::EXACT, false)),
        heading: builder.add_text_field("heading", text(token::EXACT, false)),
        quote: builder.add_text_field("quote", text(token::EXACT, false)),
        source: builder.add_text_field("source", STRING | FAST),
        speaker: builder.add_text_field("speaker", STRING | FAST),
        authors: builder.add_text_field("authors", STRING | FAST),
        section: builder.add_text_field("section", STRING | FAST),
        author: builder.add_text_field("author", text(token::EXACT, false)),
        year: builder.add_i64_field("year", tantivy::schema::INDEXED | tantivy::schema::FAST),
        data: builder.add_text_field("data", STORED),
        weight: builder.add_f64_field(WEIGHT, FAST),
    };
    (builder.build(), fields)
}

/// What the index keeps of a passage besides its text, stored as JSON.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PassageData {
    /// Passage kind.
    pub kind: PassageKind,
    /// Heading trail.
    pub headings: Vec<String>,
    /// Byte span in the page's file.
    pub span: std::ops::Range<usize>,
    /// Line in the file that holds its words.
    pub line: usize,
    /// That file, when it is not the page's own (an include).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// For front matter links: the destination.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Quotations, with spans in the text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quotes: Vec<Quote>,
    /// Source this passage is an excerpt of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excerpted_from: Option<String>,
    /// Sources it cites.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cites: Vec<String>,
    /// In a paged source document (a PDF): the page it is on, from 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_page: Option<u32>,
}

pub(super) fn schema_matches(index: &tantivy::Index) -> bool {
    let (wanted, _) = schema();
    serde_json::to_string(&index.schema()).ok() == serde_json::to_string(&wanted).ok()
}

//! citeindex: a full-text search and citation index for Markdown corpora
//! that quote and excerpt outside sources.
//!
//! The pipeline, one module per stage, imports running one way
//! (`ARCHITECTURE.md` draws it):
//!
//! - reading: `corpus` (the directory, its files) → `site` (Jekyll, Hugo or
//!   plain: what is content, URLs, includes, authors) → `page` (front
//!   matter, the segments a visitor reads) → `passage` (blocks,
//!   quotations, byte spans) → `attribution` (who said what) → `index`
//!   (Tantivy: `schema`, `catalog`, `build`, `update`, `digest`);
//! - answering: `token` (how words match) → `query` (what was typed) →
//!   `highlight` (marks and snippets) → `hit` (a passage as an answer, its
//!   attribution chain) → `search` and `quote` (ranked passages, where
//!   words stand; `rank` weighs a passage's shape, `facet` filters and
//!   counts, `group` gathers passages under pages) → `verify` (quotations
//!   against their sources' texts) → `report` (text for people), `serve`
//!   (HTTP, the search page), `check` (a writer's draft), `export` and
//!   `push` (the passages for Quickwit and Typesense), `mcp` (the API as
//!   tools for AI assistants); `engine` answers searches and look-ups from
//!   a Typesense cluster instead, both speaking to it through `typesense`.
//!
//! Beside it: `source` (what can be cited) read by `registry` from YAML,
//! BibTeX and CSL-JSON files, `cite` (citation styles), `document` and
//! `fetch` (sources' full texts), `details` (what a source's page, PDF or
//! DOI record says of it), `align` (a remembered quotation fitted to a
//! passage), `yaml` (YAML texts checked before they are parsed) and
//! `error`.
//!
//! The modules are private; what the binary, the tests and the fuzz
//! targets use is re-exported here.

mod align;
mod attribution;
mod check;
mod cite;
mod corpus;
mod details;
mod document;
mod engine;
mod error;
mod export;
mod facet;
mod fetch;
mod group;
mod highlight;
mod hit;
mod index;
mod mcp;
mod page;
mod passage;
mod push;
mod query;
mod quote;
mod rank;
mod registry;
mod report;
mod search;
mod serve;
mod site;
mod source;
mod token;
mod typesense;
mod verify;
mod yaml;

// What went wrong.
pub use error::{EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_NOT_FOUND, EXIT_OK, Error, ErrorCode, Result};

// Reading a corpus.
pub use attribution::{Findings, Names, attribute};
pub use corpus::{Corpus, FileRole, FileStamp, Scan};
pub use page::{FrontLink, Page, Segment, decode_entities, page_slug};
pub use passage::{Link, Passage, PassageKind, Quote, QuoteKind, find_quotes, split as split_page};
pub use registry::{parse as parse_registry, read as read_registry};
pub use site::{Published, Site, SiteKind, SiteOptions, Website};
pub use source::{Conflict, Origin, Source, SourceKind, SourceTable, slug};
pub use token::{Word, fold, register as register_analyzers, stemmed_words, words};

// The index.
pub use index::{
    Catalog, Counts, FORMAT_VERSION, Fields, FileEntry, Index, Options as IndexOptions, PageInfo,
    PassageData, Processed, Skipped, SourceRow, Summary, Totals, document_owner, process,
    process_page,
};

// Answers.
pub use align::{Alignment, Edit, align, diff_line, misspelt};
pub use check::{
    CiteAs, MIN_WORDS, Quotation, Report as CheckReport, Verdict as CheckVerdict, check,
    fix as fix_draft,
};
pub use cite::{ChainLink, Citation, Pinpoint, Role, Style, bibtex_entry, csl_item};
pub use facet::{FACET_SIZE, FacetValue, Facets, Filters, YearRange, parse_years};
pub use group::{MAX_PAGES, MORE, PageGroup, PageResults, SHOWN, search_pages};
pub use highlight::{Fragment, Highlighter};
pub use hit::{Hit, PageRef, QuoteOut, Span, Verdict, Verification, chain};
pub use query::{MAX_EXPANSIONS, MAX_PARENTHESES, MAX_QUERY_BYTES, Parsed, Parser};
pub use quote::{CLOSE_SIMILARITY, Lookup, Occurrence, Status, lookup, lookup_in};
pub use rank::{Shape, shape};
pub use search::{
    MAX_LIMIT, MAX_OFFSET, Request, Results, matching_pages, passage, passages_citing, search,
};
pub use verify::{Checked, corpus as verify_corpus, passage as verify_passage};

// Export for other engines.
pub use engine::{Engine, EngineHealth, NodeHealth};
pub use export::{
    Format as ExportFormat, passages as export_passages, quickwit_config, valid_index_id,
};

pub use push::{
    Options as PushOptions, Pushed, Target as PushTarget, push as push_typesense,
    typesense_document, typesense_schema,
};

// Sources' full texts.
pub use fetch::{
    ArchiveUse, DOI_RESOLVER, Fetched, INTERNET_ARCHIVE, Options as FetchOptions, Outcome,
    fetch_all, has_text_to_fetch,
};

// The surfaces: text for people, and HTTP.
pub use mcp::{Server as McpServer, serve_stdio as mcp_stdio, tools as mcp_tools};
pub use report::{
    QUOTE_WINDOW, Style as TextStyle, conflict_text, write_check, write_citation, write_fetched,
    write_lookup, write_lookup_with, write_results, write_sources, write_verification,
};
pub use serve::MAX_DRAFT_BYTES;
pub use serve::{
    ApiDoc, Cors, HEADER_TIMEOUT, Health, Live, RELOAD_EVERY, Shared, SiteLinks, TIME_LIMIT, Watch,
    app, run as serve_on, serve_blocking, shutdown_signal,
};

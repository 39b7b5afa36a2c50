//! citeindex: a full-text search and citation index for Markdown corpora
//! that quote and excerpt outside sources.
//!
//! The pipeline, one module per stage:
//! [`corpus`] (pages and front matter) → [`passage`] (blocks and quotations)
//! → [`attribution`] (who said what) → [`index`] (Tantivy) → [`search`] and
//! [`quote`] (answers) → [`cite`] (citations) → [`report`] (text for people)
//! and [`serve`] (HTTP and the search page).
//! [`source`] is the data model of what can be cited, [`registry`] reads it
//! from YAML, BibTeX and CSL-JSON files, [`token`] the one
//! definition of how words match.

pub mod align;
pub mod attribution;
pub mod cite;
pub mod corpus;
pub mod document;
pub mod error;
pub mod fetch;
pub mod highlight;
pub mod hit;
pub mod index;
pub mod passage;
pub mod query;
pub mod quote;
pub mod registry;
pub mod report;
pub mod search;
pub mod serve;
pub mod source;
pub mod token;
pub mod verify;

pub use corpus::Corpus;
pub use error::{Error, ErrorCode, Result};
pub use index::Index;

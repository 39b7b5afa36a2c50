//! Registry: the files at the corpus root that describe sources.
//!
//! Three formats are read, so that sources can come straight from a
//! reference manager: the YAML registry (`sources.yaml`, with the aliases by
//! which the text names a source), BibTeX or BibLaTeX (`*.bib`, as Zotero
//! exports it) and CSL-JSON (`*.json`, an array of items). An entry's key or
//! `id` becomes the source id; a source described in several files is merged,
//! the YAML registry's fields winning, then the other files in name order.
//!
//! Each file is read entry by entry: an entry that is wrong (a key a source
//! cannot have, a kind it cannot be, no id or one already taken, a BibTeX
//! macro that refers to itself or expands past a bound, an entry whose
//! `crossref` or `xdata` leads back to itself or past a bound, an entry
//! that never closes) is reported with its file and line and skipped, and
//! the others are read.

use std::path::Path;

use crate::error::Error;
use crate::source::Source;

mod bibtex;
mod csl_json;
mod yaml;

#[cfg(test)]
pub use yaml::parse as parse_yaml;

/// File names, at the corpus root, of the YAML registry.
pub const YAML_FILES: [&str; 2] = ["sources.yaml", "sources.yml"];

/// The format of a registry file, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `sources.yaml` or `sources.yml`.
    Yaml,
    /// `*.bib`: BibTeX or BibLaTeX.
    Bibtex,
    /// `*.json`: CSL-JSON.
    CslJson,
}

impl Format {
    /// The format of the corpus-root file `name`, if it is a registry file.
    pub fn of(name: &str) -> Option<Format> {
        let lower = name.to_ascii_lowercase();
        if YAML_FILES.contains(&lower.as_str()) {
            Some(Format::Yaml)
        } else if lower.ends_with(".bib") {
            Some(Format::Bibtex)
        } else if lower.ends_with(".json") {
            Some(Format::CslJson)
        } else {
            None
        }
    }
}

/// Reads the registry file at `path`; `display` names it in errors.
///
/// Returns the sources that could be read and the problems met.
pub fn read(path: &Path, display: &str) -> (Vec<Source>, Vec<Error>) {
    match std::fs::read_to_string(path) {
        Ok(text) => parse(&text, display),
        Err(e) => {
            let error = Error::Corpus {
                path: display.to_string(),
                line: 1,
                message: format!("cannot read the sources file: {e}"),
            };
            (vec![], vec![error])
        }
    }
}

/// Parses the text of the registry file `display`, in the format its name
/// says (YAML when it says none).
pub fn parse(text: &str, display: &str) -> (Vec<Source>, Vec<Error>) {
    let name = display.rsplit('/').next().unwrap_or(display);
    match Format::of(name).unwrap_or(Format::Yaml) {
        Format::Yaml => yaml::parse(text, display),
        Format::Bibtex => bibtex::parse(text, display),
        Format::CslJson => csl_json::parse(text, display),
    }
}

/// The 1-based line of byte `offset` in `text`.
fn line_at(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    memchr::memchr_iter(b'\n', &text.as_bytes()[..end]).count() + 1
}

/// An error in the registry file `display`.
fn problem(display: &str, line: usize, message: String) -> Error {
    Error::Corpus {
        path: display.to_string(),
        line,
        message,
    }
}

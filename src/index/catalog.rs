//! Catalog: what an index holds, file by file — each corpus file's stamp,
//! its page, the sources it describes or met, and the attribution counts —
//! committed with the index (its name is the commit's payload), with the
//! [`super::digest`] beside it for the commands that need only part of it.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::digest::Digest;
use super::schema::FORMAT_VERSION;
use crate::corpus::FileStamp;
use crate::error::{Error, Result};
use crate::source::{Source, SourceTable};

/// File names of the catalog and its digest start with this.
pub(super) const CATALOG_PREFIX: &str = "citeindex-catalog-";

/// Passages and quotations attributed to a source on one page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Counts {
    /// Passages that are the source's text, excerpt it or cite it.
    pub passages: u32,
    /// Quotations the source is the speaker of.
    pub quotes: u32,
}

/// A page as the catalog remembers it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PageInfo {
    /// Title, entities decoded.
    pub title: String,
    /// URL.
    pub url: String,
    /// Id of the page's own source.
    pub source: String,
    /// The slug its passage ids start with: the path's, unless another
    /// file has that.
    #[serde(default)]
    pub slug: String,
    /// Passages indexed.
    pub passages: u32,
    /// Quotations found.
    pub quotes: u32,
    /// Whether the file is a source's full text rather than a page of the site.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub document: bool,
}

/// One corpus file in the catalog.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FileEntry {
    /// Size when processed.
    pub size: u64,
    /// Modification time when processed.
    pub mtime_ns: u128,
    /// [`FileStamp::change`] when processed.
    #[serde(default)]
    pub change: u64,
    /// The page, when it was indexed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<PageInfo>,
    /// The corpus files its page was made from besides itself (the site's
    /// configuration, layouts, includes, authors): a change to one of them
    /// reprocesses it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub depends: Vec<String>,
    /// Why the site does not publish it (a draft, a future post), when so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub left_out: Option<String>,
    /// Whether it is a file pages depend on rather than a page.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub support: bool,
    /// What was wrong in it that did not keep it from being indexed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Skipped>,
    /// Why it was skipped, when it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skipped: Option<Skipped>,
    /// Sources this file describes (its own) or met (attribution's finds).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Source>,
    /// Attribution counts by source id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub counts: BTreeMap<String, Counts>,
}

impl FileEntry {
    /// The entry of a file at `stamp` that holds nothing yet.
    pub fn of(stamp: &FileStamp) -> FileEntry {
        FileEntry {
            size: stamp.size,
            mtime_ns: stamp.mtime_ns,
            change: stamp.change,
            page: None,
            depends: vec![],
            left_out: None,
            support: false,
            warnings: vec![],
            skipped: None,
            sources: vec![],
            counts: BTreeMap::new(),
        }
    }
}

/// A file that could not be indexed.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Skipped {
    /// 1-based line of the problem.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// What an index holds, committed with it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Catalog {
    /// [`FORMAT_VERSION`] of the index.
    pub version: u32,
    /// The generator the site was read with (`jekyll`, `hugo`, `plain`).
    #[serde(default)]
    pub site: String,
    /// The registry files when they were read.
    pub registry: Vec<FileStamp>,
    /// The registry files' sources, in the order of the files.
    pub registry_sources: Vec<Source>,
    /// What was wrong in the registry files, by path.
    pub registry_errors: Vec<(String, Skipped)>,
    /// Corpus files by path.
    pub files: BTreeMap<String, FileEntry>,
}

impl Catalog {
    /// Every source: the registry's, the pages', and those attribution found.
    /// The registry's fields win over a page's own front matter.
    pub fn sources(&self) -> SourceTable {
        let files = self.files.values().flat_map(|f| f.sources.iter().cloned());
        let mut table = SourceTable::new(self.registry_sources.iter().cloned().chain(files));
        // A disagreement is the registry's only where the registry states
        // the field; a page's front matter is not the registry.
        let mut stated: std::collections::HashMap<&str, Vec<&'static str>> = Default::default();
        for source in &self.registry_sources {
            stated
                .entry(&source.id)
                .or_default()
                .extend(source.stated_fields());
        }
        table.retain_conflicts(|id, field| stated.get(id).is_some_and(|f| f.contains(&field)));
        table
    }

    /// Total attribution counts by source id.
    pub fn counts(&self) -> BTreeMap<String, Counts> {
        let mut total: BTreeMap<String, Counts> = BTreeMap::new();
        for (id, c) in self.files.values().flat_map(|f| f.counts.iter()) {
            let t = total.entry(id.clone()).or_default();
            t.passages += c.passages;
            t.quotes += c.quotes;
        }
        total
    }

    /// An empty catalog of this format.
    pub fn new() -> Catalog {
        Catalog {
            version: FORMAT_VERSION,
            ..Catalog::default()
        }
    }

    /// Corpus files the registry names as full texts.
    pub fn named_texts(&self) -> Vec<String> {
        self.registry_sources
            .iter()
            .filter_map(|s| s.text.clone())
            .collect()
    }
}

/// Skipped files (and registry problems) as errors with path and line.
pub(super) fn skipped_errors(skipped: &[(String, Skipped)]) -> impl Iterator<Item = Error> + '_ {
    skipped.iter().map(|(path, s)| Error::Corpus {
        path: path.clone(),
        line: s.line,
        message: s.message.clone(),
    })
}

#[derive(Serialize, Deserialize)]
pub(super) struct Payload {
    pub(super) version: u32,
    pub(super) catalog: String,
}

pub(super) fn catalog_payload(index: &tantivy::Index) -> Result<Option<Payload>> {
    let metas = index.load_metas()?;
    Ok(metas.payload.and_then(|p| serde_json::from_str(&p).ok()))
}

/// What a commit left: its digest and the name of its catalog.
pub(super) type Committed = Option<(Digest, String)>;

/// The digest of the index's last commit, with its catalog's name; `None`
/// when nothing was committed or the commit is of another format.
pub(super) fn read_digest(dir: &Path, index: &tantivy::Index) -> Result<Committed> {
    let Some(payload) = catalog_payload(index)? else {
        return Ok(None);
    };
    if payload.version != FORMAT_VERSION {
        return Ok(None);
    }
    let name = digest_name(&payload.catalog);
    let fail = |what: &str, e: String| Error::Index {
        path: dir.to_path_buf(),
        message: format!(
            "its catalog digest {name} {what} ({e}); rebuild it with `citeindex index --rebuild`"
        ),
    };
    let bytes =
        std::fs::read(dir.join(&name)).map_err(|e| fail("cannot be read", e.to_string()))?;
    let digest = Digest::parse(bytes).map_err(|e| fail("is damaged", e))?;
    Ok(Some((digest, payload.catalog)))
}

/// The digest written beside the catalog called `catalog`.
pub(super) fn digest_name(catalog: &str) -> String {
    let stem = catalog.strip_suffix(".json.zst").unwrap_or(catalog);
    format!("{stem}.digest")
}

/// The catalog a commit named `name`.
pub(super) fn read_catalog(dir: &Path, name: &str) -> Result<Catalog> {
    let path = dir.join(name);
    let bytes = std::fs::read(&path).map_err(|e| Error::Index {
        path: dir.to_path_buf(),
        message: format!(
            "its catalog {name} cannot be read ({e}); rebuild it with `citeindex index --rebuild`"
        ),
    })?;
    zstd::decode_all(&bytes[..])
        .map_err(|e| e.to_string())
        .and_then(|json| serde_json::from_slice(&json).map_err(|e| e.to_string()))
        .map_err(|e| Error::Index {
            path: dir.to_path_buf(),
            message: format!(
                "its catalog {name} is damaged ({e}); rebuild it with `citeindex index --rebuild`"
            ),
        })
}

/// The catalog of the last commit, or a new one when there is none.
pub(super) fn read_or_new(dir: &Path, committed: Option<&(Digest, String)>) -> Result<Catalog> {
    committed.map_or_else(|| Ok(Catalog::new()), |(_, name)| read_catalog(dir, name))
}

/// A source with how much of the corpus is attributed to it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SourceRow {
    /// The source.
    #[serde(flatten)]
    pub source: Source,
    /// Passages and quotations attributed to it.
    #[serde(flatten)]
    pub counts: Counts,
}

//! Index: the Tantivy index of a corpus's passages, with the catalog that
//! says which corpus files it holds and what they contributed.
//!
//! Opening an index brings it up to date with its corpus: files that are new
//! or changed (size or modification time) are reprocessed, files that are
//! gone are dropped, and a changed sources registry reprocesses everything.
//! Each update is one Tantivy commit, and the catalog travels with the commit
//! (its file name is the commit's payload), so a build killed half-way
//! leaves the previous commit and its catalog exactly as they were.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

use serde::{Deserialize, Serialize};
use tantivy::schema::{
    Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::attribution::{self, Names};
use crate::corpus::{Corpus, FileStamp, Page, Scan};
use crate::error::{Error, Result};
use crate::passage::{self, Passage, PassageKind, Quote};
use crate::source::{Source, SourceTable};
use crate::token;

mod digest;

use digest::Digest;
pub use digest::Totals;

/// Bumped whenever the schema, the tokenizers or the attribution rules
/// change what an index holds; an index of another version is rebuilt.
pub const FORMAT_VERSION: u32 = 8;

const CATALOG_PREFIX: &str = "citeindex-catalog-";
const WRITER_MEMORY: usize = 200_000_000;

/// The fields of the schema, built in one place.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Passage id (`slug#p4`), exact.
    pub id: Field,
    /// Corpus path of the page, exact; updates delete by it.
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
    /// Ids of the sources the passage excerpts, cites or quotes, and its page's.
    pub source: Field,
    /// Authors of the work the passage belongs to: the work it excerpts, else its page.
    pub author: Field,
    /// Year of that work, for `year:1782` and `year:[1700 TO 1750]`.
    pub year: Field,
    /// Stored attribution and position of the passage, as JSON.
    pub data: Field,
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
        page: builder.add_text_field("page", STRING | STORED),
        kind: builder.add_text_field("kind", STRING),
        text: builder.add_text_field("text", text(token::EXACT, true)),
        stem: builder.add_text_field("stem", text(token::STEM, false)),
        title: builder.add_text_field("title", text(token::EXACT, false)),
        heading: builder.add_text_field("heading", text(token::EXACT, false)),
        quote: builder.add_text_field("quote", text(token::EXACT, false)),
        source: builder.add_text_field("source", STRING),
        author: builder.add_text_field("author", text(token::EXACT, false)),
        year: builder.add_i64_field("year", tantivy::schema::INDEXED | tantivy::schema::FAST),
        data: builder.add_text_field("data", STORED),
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
    /// Line in the page's file.
    pub line: usize,
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
    /// The page, when it was indexed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<PageInfo>,
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
        SourceTable::new(self.registry_sources.iter().cloned().chain(files))
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
fn skipped_errors(skipped: &[(String, Skipped)]) -> impl Iterator<Item = Error> + '_ {
    skipped.iter().map(|(path, s)| Error::Corpus {
        path: path.clone(),
        line: s.line,
        message: s.message.clone(),
    })
}

/// What opening or updating an index did.
#[derive(Debug, Default)]
pub struct Summary {
    /// Pages indexed.
    pub pages: usize,
    /// Passages indexed.
    pub passages: usize,
    /// Quotations found.
    pub quotes: usize,
    /// Sources known.
    pub sources: usize,
    /// Files processed by this update.
    pub processed: usize,
    /// Files dropped by this update.
    pub removed: usize,
    /// Files that could not be indexed (now or earlier, if unchanged since).
    pub skipped: Vec<Error>,
    /// Seconds the update took.
    pub seconds: f64,
    /// Set when another process held the index and it was used as it was.
    pub stale: bool,
}

impl Summary {
    /// What the commit `digest` describes holds, with the scan's `problems`
    /// first among the files skipped.
    fn of(digest: &Digest, problems: Vec<Error>, started: Instant) -> Summary {
        let totals = digest.totals();
        let mut skipped = problems;
        skipped.extend(skipped_errors(digest.skipped()));
        Summary {
            pages: totals.pages,
            passages: totals.passages,
            quotes: totals.quotes,
            sources: totals.sources,
            skipped,
            seconds: started.elapsed().as_secs_f64(),
            ..Summary::default()
        }
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        write!(
            f,
            "{}, {}, {}, {} in {:.2} s ({} processed, {} removed, {} skipped)",
            plural(self.pages, "page"),
            plural(self.passages, "passage"),
            plural(self.quotes, "quote"),
            plural(self.sources, "source"),
            self.seconds,
            self.processed,
            self.removed,
            self.skipped.len(),
        )
    }
}

/// How to open an index.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Rebuild from scratch even if up to date.
    pub rebuild: bool,
    /// Show a progress bar (only drawn on a terminal).
    pub progress: bool,
    /// Indexing threads; 0 for one per core.
    pub threads: usize,
}

/// An open, up-to-date index.
pub struct Index {
    dir: PathBuf,
    inner: tantivy::Index,
    fields: Fields,
    reader: IndexReader,
    digest: Digest,
    /// The whole catalog and its source table, read on first use.
    full: OnceLock<Full>,
    /// The catalog file named by the commit this view reads.
    commit: Option<String>,
}

/// A catalog with the source table built from it.
#[derive(Debug)]
struct Full {
    catalog: Catalog,
    sources: SourceTable,
}

impl Full {
    fn new(catalog: Catalog) -> Full {
        let sources = catalog.sources();
        Full { catalog, sources }
    }
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

impl Index {
    /// Opens the index in `dir` for the corpus, building or updating it first.
    ///
    /// When the corpus is as the last commit left it, only the commit's
    /// digest is read; the whole catalog waits until something asks for it.
    pub fn open(corpus: &Corpus, dir: &Path, options: &Options) -> Result<(Index, Summary)> {
        let started = Instant::now();
        // The corpus is listed while the index and its digest are read.
        let (opened, mut scan) = std::thread::scope(|scope| {
            let scan = scope.spawn(|| corpus.scan());
            let opened = open_or_create(dir, options.rebuild);
            let scan = scan.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
            (opened, scan)
        });
        let (inner, mut committed) = opened?;
        let mut summary = Summary::default();

        let registry_changed =
            committed.as_ref().map_or(&[][..], |(d, _)| d.registry()) != scan.registry;
        let mut catalog = None;
        if registry_changed {
            let mut whole = read_or_new(dir, committed.as_ref())?;
            whole.registry.clone_from(&scan.registry);
            whole.registry_errors.clear();
            whole.registry_sources.clear();
            for stamp in &scan.registry {
                let (sources, problems) =
                    crate::registry::read(&corpus.path_of(&stamp.path), &stamp.path);
                whole.registry_sources.extend(sources);
                for problem in problems {
                    if let Error::Corpus { line, message, .. } = problem {
                        whole
                            .registry_errors
                            .push((stamp.path.clone(), Skipped { line, message }));
                    }
                }
            }
            catalog = Some(whole);
        }
        let named = match (&catalog, &committed) {
            (Some(whole), _) => whole.named_texts(),
            (None, Some((digest, _))) => digest.named_texts().to_vec(),
            (None, None) => Vec::new(),
        };
        add_named_texts(corpus, &named, &mut scan);
        let no_stamps = HashMap::new();
        let stamps = committed.as_ref().map_or(&no_stamps, |(d, _)| d.stamps());
        let todo: Vec<&FileStamp> = scan
            .pages
            .iter()
            .filter(|s| registry_changed || stamps.get(&s.path) != Some(&(s.size, s.mtime_ns)))
            .collect();
        let present: std::collections::HashSet<&str> =
            scan.pages.iter().map(|s| s.path.as_str()).collect();
        let mut removed: Vec<String> = stamps
            .keys()
            .filter(|p| !present.contains(p.as_str()))
            .cloned()
            .collect();
        removed.sort();

        let fields = schema().1;
        let full = OnceLock::new();
        if !todo.is_empty() || !removed.is_empty() || registry_changed {
            match inner.writer_with_num_threads::<TantivyDocument>(threads(options), WRITER_MEMORY)
            {
                Ok(writer) => {
                    let mut whole = match catalog {
                        Some(whole) => whole,
                        None => read_or_new(dir, committed.as_ref())?,
                    };
                    let (name, sources, digest) = update(
                        corpus, dir, writer, fields, &mut whole, &todo, &removed, options,
                    )?;
                    let _ = full.set(Full {
                        catalog: whole,
                        sources,
                    });
                    committed = Some((digest, name));
                    summary.processed = todo.len();
                    summary.removed = removed.len();
                }
                Err(tantivy::TantivyError::LockFailure(..)) => {
                    // Another process is updating it: answer from the last commit.
                    summary.stale = true;
                    committed = read_digest(dir, &inner)?;
                }
                Err(e) => return Err(e.into()),
            }
        }

        let reader = manual_reader(&inner, dir)?;
        let (digest, commit) = match committed {
            Some((digest, name)) => (digest, Some(name)),
            None => (Digest::empty(), None),
        };
        let summary = Summary {
            processed: summary.processed,
            removed: summary.removed,
            stale: summary.stale,
            ..Summary::of(&digest, scan.problems, started)
        };
        let index = Index {
            dir: dir.to_path_buf(),
            inner,
            fields,
            reader,
            digest,
            full,
            commit,
        };
        Ok((index, summary))
    }

    /// Opens the last commit of the index in `dir` as it is, without
    /// looking at the corpus: a search on a large corpus skips reading the
    /// size and time of every file. The summary's `skipped` lists what the
    /// last update could not index.
    pub fn open_as_is(dir: &Path) -> Result<(Index, Summary)> {
        let started = Instant::now();
        let none = || Error::Index {
            path: dir.to_path_buf(),
            message: "holds no index of this version; build it with `citeindex index`".into(),
        };
        if !dir.join("meta.json").exists() {
            return Err(none());
        }
        let inner = open_existing(dir)?;
        let (digest, name) = read_digest(dir, &inner)?.ok_or_else(none)?;
        let reader = manual_reader(&inner, dir)?;
        let summary = Summary::of(&digest, Vec::new(), started);
        let index = Index {
            dir: dir.to_path_buf(),
            inner,
            fields: schema().1,
            reader,
            digest,
            full: OnceLock::new(),
            commit: Some(name),
        };
        Ok((index, summary))
    }

    /// Whether the corpus is still as this view indexed it: no page, source
    /// document or registry file added, changed or removed since. Reads
    /// only the directory, not the files.
    pub fn is_current(&self, corpus: &Corpus) -> bool {
        let mut scan = corpus.scan();
        if scan.registry != self.digest.registry() {
            return false;
        }
        add_named_texts(corpus, self.digest.named_texts(), &mut scan);
        let stamps = self.digest.stamps();
        scan.pages.len() == stamps.len()
            && scan
                .pages
                .iter()
                .all(|s| stamps.get(&s.path) == Some(&(s.size, s.mtime_ns)))
    }

    /// The index as of its newest commit, when another process (an `index`
    /// run) has committed since this view was opened; `None` when nothing
    /// changed, or when a commit is under way and the caller should ask
    /// again. The view itself is untouched, so requests in flight finish on
    /// it.
    pub fn reopen_if_changed(&self) -> Result<Option<Index>> {
        let before = catalog_payload(&self.inner)?;
        let Some(before) = before.filter(|p| p.version == FORMAT_VERSION) else {
            return Ok(None);
        };
        if self.commit.as_deref() == Some(before.catalog.as_str()) {
            return Ok(None);
        }
        let reader = manual_reader(&self.inner, &self.dir)?;
        let Some((digest, name)) = read_digest(&self.dir, &self.inner)? else {
            return Ok(None);
        };
        // The reader and the digest must be of one commit: if another
        // commit landed while they were opened, try again later.
        let after = catalog_payload(&self.inner)?.map(|p| p.catalog);
        if after.as_deref() != Some(before.catalog.as_str()) || name != before.catalog {
            return Ok(None);
        }
        Ok(Some(Index {
            dir: self.dir.clone(),
            inner: self.inner.clone(),
            fields: self.fields,
            reader,
            digest,
            full: OnceLock::new(),
            commit: Some(name),
        }))
    }

    /// Reads the whole catalog now rather than on first use, as a server
    /// does before it answers.
    pub fn preload(&self) -> Result<()> {
        self.full().map(|_| ())
    }

    fn full(&self) -> Result<&Full> {
        if let Some(full) = self.full.get() {
            return Ok(full);
        }
        let catalog = match &self.commit {
            Some(name) => read_catalog(&self.dir, name)?,
            None => Catalog::new(),
        };
        Ok(self.full.get_or_init(|| Full::new(catalog)))
    }

    /// The fields of the schema.
    pub fn fields(&self) -> Fields {
        self.fields
    }

    /// The Tantivy index.
    pub fn tantivy(&self) -> &tantivy::Index {
        &self.inner
    }

    /// A reader on the last commit.
    pub fn reader(&self) -> &IndexReader {
        &self.reader
    }

    /// The catalog of the last commit, read on first use.
    pub fn catalog(&self) -> Result<&Catalog> {
        Ok(&self.full()?.catalog)
    }

    /// Every known source, read on first use.
    pub fn sources(&self) -> Result<&SourceTable> {
        Ok(&self.full()?.sources)
    }

    /// What the index holds.
    pub fn totals(&self) -> Totals {
        self.digest.totals()
    }

    /// The source with id `id`.
    pub fn source(&self, id: &str) -> Option<Source> {
        match self.full.get() {
            Some(full) => full.sources.get(id).cloned(),
            None => self.digest.source(id),
        }
    }

    /// The catalog's record of the page at `path`.
    pub fn page(&self, path: &str) -> Option<PageInfo> {
        match self.full.get() {
            Some(full) => full.catalog.files.get(path).and_then(|f| f.page.clone()),
            None => self.digest.page(path),
        }
    }

    /// The index directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

fn threads(options: &Options) -> usize {
    if options.threads > 0 {
        return options.threads;
    }
    std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 8)
}

/// Opens the Tantivy index in `dir`, with citeindex's analyzers.
fn open_existing(dir: &Path) -> Result<tantivy::Index> {
    let index = tantivy::Index::open_in_dir(dir).map_err(|e| Error::Index {
        path: dir.to_path_buf(),
        message: format!("cannot be opened ({e}); rebuild it with `citeindex index --rebuild`"),
    })?;
    token::register(&index);
    Ok(index)
}

/// A reader on the index's last commit, reloaded only when asked.
fn manual_reader(index: &tantivy::Index, dir: &Path) -> Result<IndexReader> {
    index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
        .map_err(damaged(dir))
}

/// What a commit left: its digest and the name of its catalog.
type Committed = Option<(Digest, String)>;

/// Opens the index in `dir`, or creates an empty one; an index of another
/// format version (or `rebuild`) is cleared first.
fn open_or_create(dir: &Path, rebuild: bool) -> Result<(tantivy::Index, Committed)> {
    std::fs::create_dir_all(dir).map_err(Error::io(dir))?;
    let meta = dir.join("meta.json");
    if meta.exists() {
        let index = if rebuild {
            None
        } else {
            Some(open_existing(dir)?)
        };
        if let Some(index) = index {
            let committed = read_digest(dir, &index)?;
            if committed
                .as_ref()
                .is_some_and(|(d, _)| d.version() == FORMAT_VERSION)
            {
                return Ok((index, committed));
            }
            if schema_matches(&index) && catalog_payload(&index)?.is_none() {
                // Created but never committed to: fill it.
                return Ok((index, None));
            }
        }
        clear(dir)?;
    } else if std::fs::read_dir(dir)
        .map_err(Error::io(dir))?
        .next()
        .is_some()
    {
        return Err(Error::Index {
            path: dir.to_path_buf(),
            message: "is not empty and holds no index; give an empty or new directory with --index"
                .into(),
        });
    }
    // Stored passages compress about a third better with zstd than with
    // lz4, for a few microseconds more per hit.
    let settings = tantivy::IndexSettings {
        docstore_compression: tantivy::store::Compressor::Zstd(tantivy::store::ZstdCompressor {
            compression_level: Some(3),
        }),
        ..tantivy::IndexSettings::default()
    };
    let index = tantivy::Index::builder()
        .schema(schema().0)
        .settings(settings)
        .create_in_dir(dir)?;
    token::register(&index);
    Ok((index, None))
}

fn schema_matches(index: &tantivy::Index) -> bool {
    let (wanted, _) = schema();
    serde_json::to_string(&index.schema()).ok() == serde_json::to_string(&wanted).ok()
}

/// Removes the files of an index (and nothing else) from `dir`.
fn clear(dir: &Path) -> Result<()> {
    for entry in std::fs::read_dir(dir).map_err(Error::io(dir))? {
        let entry = entry.map_err(Error::io(dir))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = name == "meta.json"
            || name == ".managed.json"
            || name.starts_with(".tantivy")
            || name.starts_with(CATALOG_PREFIX)
            || is_segment_file(&name);
        if ours {
            std::fs::remove_file(entry.path()).map_err(Error::io(entry.path()))?;
        }
    }
    Ok(())
}

fn is_segment_file(name: &str) -> bool {
    let (stem, _) = name.split_once('.').unwrap_or((name, ""));
    stem.len() == 32 && stem.chars().all(|c| c.is_ascii_hexdigit())
}

#[derive(Serialize, Deserialize)]
struct Payload {
    version: u32,
    catalog: String,
}

fn catalog_payload(index: &tantivy::Index) -> Result<Option<Payload>> {
    let metas = index.load_metas()?;
    Ok(metas.payload.and_then(|p| serde_json::from_str(&p).ok()))
}

/// The digest of the index's last commit, with its catalog's name; `None`
/// when nothing was committed or the commit is of another format.
fn read_digest(dir: &Path, index: &tantivy::Index) -> Result<Committed> {
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
fn digest_name(catalog: &str) -> String {
    let stem = catalog.strip_suffix(".json.zst").unwrap_or(catalog);
    format!("{stem}.digest")
}

/// The catalog a commit named `name`.
fn read_catalog(dir: &Path, name: &str) -> Result<Catalog> {
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
fn read_or_new(dir: &Path, committed: Option<&(Digest, String)>) -> Result<Catalog> {
    committed.map_or_else(|| Ok(Catalog::new()), |(_, name)| read_catalog(dir, name))
}

/// A page, split and attributed, ready to index.
#[derive(Debug)]
pub struct Processed {
    /// The page.
    pub page: Page,
    /// Its id as a source (the registry's id for it, else its slug).
    pub source_id: String,
    /// Its passages.
    pub passages: Vec<Passage>,
    /// Sources met that the registry does not have.
    pub discovered: Vec<Source>,
    /// Authors and year of the page and of the works it excerpts, by source id.
    pub works: BTreeMap<String, (Vec<String>, Option<i64>)>,
    /// For a source document: where its pages start in the page text, when
    /// it has pages (empty otherwise).
    pub document: Option<Vec<usize>>,
    /// For a downloaded source document: the day it was retrieved.
    pub accessed: Option<String>,
}

/// The registry source whose full text the corpus file at `path` is: the
/// one that names it as `text`, else, in `sources/`, the one whose id is
/// the file's name.
pub fn document_owner<'a>(registry: &'a SourceTable, path: &str) -> Option<&'a Source> {
    registry
        .iter()
        .find(|s| s.text.as_deref() == Some(path))
        .or_else(|| {
            let rest = path
                .strip_prefix(crate::document::FOLDER)?
                .strip_prefix('/')?;
            let stem = rest.rsplit_once('.').map_or(rest, |(stem, _)| stem);
            registry.get(stem).filter(|s| s.text.is_none())
        })
}

/// Reads, splits and attributes one page.
pub fn process(
    corpus: &Corpus,
    path: &str,
    registry: &SourceTable,
    names: &Names,
) -> Result<Processed> {
    let owner = document_owner(registry, path);
    let is_document = owner.is_some() || crate::corpus::is_document_path(path);
    let format = crate::document::Format::of(path);
    if !is_document || format == Some(crate::document::Format::Markdown) {
        let page = corpus.read_page(path)?;
        let mut processed = process_page(page, registry, names);
        if is_document {
            processed.document = Some(vec![]);
            processed.accessed = crate::fetch::read_record(corpus.root(), path).map(|r| r.accessed);
        }
        return Ok(processed);
    }
    let bytes = std::fs::read(corpus.path_of(path)).map_err(|e| Error::Corpus {
        path: path.to_string(),
        line: 1,
        message: format!("cannot be read: {e}"),
    })?;
    let extracted = crate::document::extract(path, &bytes)?;
    // The document is read as a page whose front matter says what it is.
    let title = owner
        .map(Source::name)
        .or_else(|| extracted.title.clone())
        .unwrap_or_else(|| path.rsplit('/').next().unwrap_or(path).to_string());
    let mut front = format!("---\ntitle: {}\n", serde_json::Value::from(title));
    if let Some(url) = owner.and_then(|s| s.url.as_deref()) {
        front.push_str(&format!("url: {}\n", serde_json::Value::from(url)));
    }
    front.push_str("---\n");
    let offset = front.len();
    let page = Page::parse(path, (front + &extracted.markdown).into_bytes())?;
    let mut processed = process_page(page, registry, names);
    processed.document = Some(extracted.pages.iter().map(|p| p + offset).collect());
    processed.accessed = crate::fetch::read_record(corpus.root(), path).map(|r| r.accessed);
    Ok(processed)
}

/// Splits and attributes a page already read.
pub fn process_page(page: Page, registry: &SourceTable, names: &Names) -> Processed {
    let mut passages = passage::split(&page);
    let findings = attribution::attribute(&page, &mut passages, registry, names);
    let source_id = registry
        .iter()
        .find(|s| s.page.as_deref() == Some(page.path.as_str()))
        .or_else(|| document_owner(registry, &page.path))
        .map_or_else(|| page.slug.clone(), |s| s.id.clone());
    let mut own = page.source();
    if let Some(registered) = registry.get(&source_id) {
        own.fill_from(registered);
    }
    let work = |s: &Source| (s.authors.clone(), s.year().and_then(|y| y.parse().ok()));
    let mut works = BTreeMap::new();
    works.insert(source_id.clone(), work(&own));
    for id in passages.iter().filter_map(|p| p.excerpted_from.as_ref()) {
        if works.contains_key(id) {
            continue;
        }
        let found = registry
            .get(id)
            .or_else(|| findings.discovered.iter().find(|s| &s.id == id));
        if let Some(source) = found {
            works.insert(id.clone(), work(source));
        }
    }
    Processed {
        page,
        source_id,
        passages,
        discovered: findings.discovered,
        works,
        document: None,
        accessed: None,
    }
}

impl Processed {
    /// The catalog entry for this page.
    fn entry(&self, stamp: &FileStamp) -> FileEntry {
        let mut counts: BTreeMap<String, Counts> = BTreeMap::new();
        for p in &self.passages {
            let own = p.excerpted_from.is_none() && p.kind != PassageKind::Link;
            let mut ids: Vec<&String> = p.cites.iter().collect();
            if own {
                ids.push(&self.source_id);
            }
            ids.sort();
            ids.dedup();
            for id in ids {
                counts.entry(id.clone()).or_default().passages += 1;
            }
            for speaker in p.quotes.iter().filter_map(|q| q.speaker.as_ref()) {
                counts.entry(speaker.clone()).or_default().quotes += 1;
            }
        }
        let mut own = self.page.source();
        own.id.clone_from(&self.source_id);
        if self.document.is_some() {
            // A source's full text: the source is what it is the text of.
            // A registered source keeps its own description; the file only
            // says where its text is.
            if self.source_id != self.page.slug {
                own = Source {
                    id: own.id.clone(),
                    page: own.page.clone(),
                    ..Source::default()
                };
            }
            own.text = own.page.take();
            own.accessed.clone_from(&self.accessed);
        }
        let mut sources = vec![own];
        sources.extend(self.discovered.iter().cloned());
        FileEntry {
            size: stamp.size,
            mtime_ns: stamp.mtime_ns,
            page: Some(PageInfo {
                title: self.page.title.clone(),
                url: self.page.url.clone(),
                source: self.source_id.clone(),
                passages: self.passages.len() as u32,
                quotes: self.passages.iter().map(|p| p.quotes.len() as u32).sum(),
                document: self.document.is_some(),
            }),
            skipped: None,
            sources,
            counts,
        }
    }

    /// The Tantivy documents for this page's passages.
    fn documents(&self, fields: &Fields) -> Vec<TantivyDocument> {
        self.passages
            .iter()
            .map(|p| {
                let mut doc = TantivyDocument::default();
                doc.add_text(fields.id, &p.id);
                doc.add_text(fields.page, &self.page.path);
                doc.add_text(fields.kind, p.kind.as_str());
                doc.add_text(fields.text, &p.text);
                doc.add_text(fields.stem, &p.text);
                doc.add_text(fields.title, &self.page.title);
                for heading in &p.headings {
                    doc.add_text(fields.heading, heading);
                }
                for quote in &p.quotes {
                    doc.add_text(fields.quote, &p.text[quote.span.clone()]);
                }
                let speakers = p.quotes.iter().filter_map(|q| q.speaker.as_ref());
                let mut ids: Vec<&String> = p
                    .cites
                    .iter()
                    .chain(p.excerpted_from.iter())
                    .chain(speakers)
                    .collect();
                ids.push(&self.source_id);
                ids.sort();
                ids.dedup();
                for id in ids {
                    doc.add_text(fields.source, id);
                }
                let work = p.excerpted_from.as_ref().unwrap_or(&self.source_id);
                if let Some((authors, year)) = self.works.get(work) {
                    for author in authors {
                        doc.add_text(fields.author, author);
                    }
                    if let Some(year) = year {
                        doc.add_i64(fields.year, *year);
                    }
                }
                let data = PassageData {
                    kind: p.kind,
                    headings: p.headings.clone(),
                    span: p.span.clone(),
                    line: p.line,
                    url: p.url.clone(),
                    quotes: p.quotes.clone(),
                    excerpted_from: p.excerpted_from.clone(),
                    cites: p.cites.clone(),
                    source_page: self.document.as_ref().and_then(|starts| {
                        (!starts.is_empty())
                            .then(|| starts.partition_point(|&s| s <= p.span.start).max(1) as u32)
                    }),
                };
                doc.add_text(
                    fields.data,
                    serde_json::to_string(&data).unwrap_or_default(),
                );
                doc
            })
            .collect()
    }
}

/// The error for an index whose files cannot be read: Tantivy checks each
/// file's footer when it opens a segment, so a damaged or truncated file is
/// caught here, and the way out is a rebuild.
fn damaged(dir: &Path) -> impl FnOnce(tantivy::TantivyError) -> Error + '_ {
    move |e| Error::Index {
        path: dir.to_path_buf(),
        message: format!(
            "cannot be read, a file of it is damaged ({e}); rebuild it with `citeindex index --rebuild`"
        ),
    }
}

/// Adds to a scan the full texts that the registry names outside `sources/`.
fn add_named_texts(corpus: &Corpus, named: &[String], scan: &mut Scan) {
    for named in named {
        if scan.pages.iter().all(|p| p.path != *named) {
            match corpus.stamp(named) {
                Some(stamp) => scan.pages.push(stamp),
                None => scan.problems.push(Error::Corpus {
                    path: named.to_string(),
                    line: 1,
                    message: "is named as a source's full text but is not in the corpus".into(),
                }),
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn update(
    corpus: &Corpus,
    dir: &Path,
    mut writer: IndexWriter,
    fields: Fields,
    catalog: &mut Catalog,
    todo: &[&FileStamp],
    removed: &[String],
    options: &Options,
) -> Result<(String, SourceTable, Digest)> {
    // A run killed after writing a segment's deletes but before its commit
    // leaves that file behind, and this run, making the same changes, would
    // give its own the same name and fail: first remove what no commit uses.
    writer.garbage_collect_files().wait()?;
    for path in removed.iter().chain(todo.iter().map(|s| &s.path)) {
        writer.delete_term(Term::from_field_text(fields.page, path));
        catalog.files.remove(path);
    }
    let registry = SourceTable::new(catalog.registry_sources.iter().cloned());
    let names = Names::new(&registry);
    let progress = progress_bar(options.progress, todo.len());
    let next = AtomicUsize::new(0);
    let entries: Mutex<HashMap<String, FileEntry>> = Mutex::new(HashMap::new());
    let failure: Mutex<Option<Error>> = Mutex::new(None);
    let workers = threads(options).min(todo.len()).max(1);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(stamp) = todo.get(i) else { break };
                    let entry = match process(corpus, &stamp.path, &registry, &names) {
                        Ok(processed) => {
                            for doc in processed.documents(&fields) {
                                if let Err(e) = writer.add_document(doc) {
                                    failure
                                        .lock()
                                        .unwrap_or_else(|p| p.into_inner())
                                        .get_or_insert(e.into());
                                    return;
                                }
                            }
                            processed.entry(stamp)
                        }
                        Err(Error::Corpus { line, message, .. }) => FileEntry {
                            size: stamp.size,
                            mtime_ns: stamp.mtime_ns,
                            page: None,
                            skipped: Some(Skipped { line, message }),
                            sources: vec![],
                            counts: BTreeMap::new(),
                        },
                        Err(e) => {
                            failure
                                .lock()
                                .unwrap_or_else(|p| p.into_inner())
                                .get_or_insert(e);
                            return;
                        }
                    };
                    entries
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .insert(stamp.path.clone(), entry);
                    progress.inc(1);
                }
            });
        }
    });
    progress.finish_and_clear();
    if let Some(e) = failure.into_inner().unwrap_or_else(|p| p.into_inner()) {
        return Err(e);
    }
    catalog
        .files
        .extend(entries.into_inner().unwrap_or_else(|p| p.into_inner()));
    catalog.version = FORMAT_VERSION;

    // The catalog is written first, under a new name; the commit that names
    // it in its payload is what makes both current at once.
    let name = format!(
        "{CATALOG_PREFIX}{}.json.zst",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    );
    let path = dir.join(&name);
    // Compressed: the JSON of the 8,128-page archive is 6 MB, a tenth of
    // that in zstd, and only updates and the server read it.
    let json = serde_json::to_vec(catalog)
        .map_err(|e| e.to_string())
        .and_then(|json| zstd::encode_all(&json[..], 3).map_err(|e| e.to_string()))
        .map_err(|e| Error::Index {
            path: dir.to_path_buf(),
            message: format!("cannot write the catalog: {e}"),
        })?;
    write_durably(&path, &json)?;
    let sources = catalog.sources();
    let digest = Digest::build(catalog, &sources);
    let digest_name = digest_name(&name);
    write_durably(&dir.join(&digest_name), &digest)?;
    let digest = Digest::parse(digest).map_err(|e| Error::Index {
        path: dir.to_path_buf(),
        message: format!("cannot write the catalog digest: {e}"),
    })?;
    let mut prepared = writer.prepare_commit()?;
    let payload = serde_json::to_string(&Payload {
        version: FORMAT_VERSION,
        catalog: name.clone(),
    })
    .unwrap_or_default();
    prepared.set_payload(&payload);
    if std::env::var_os("CITEINDEX_CRASH_BEFORE_COMMIT").is_some() {
        // For the crash tests: die at the worst moment, everything written but the commit.
        std::process::abort();
    }
    prepared.commit()?;
    writer.wait_merging_threads()?;
    for entry in std::fs::read_dir(dir).map_err(Error::io(dir))?.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        if file.starts_with(CATALOG_PREFIX) && file != name && file != digest_name {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    Ok((name, sources, digest))
}

fn write_durably(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut file = std::fs::File::create(path).map_err(Error::io(path))?;
    file.write_all(bytes).map_err(Error::io(path))?;
    file.sync_all().map_err(Error::io(path))
}

fn progress_bar(enabled: bool, len: usize) -> indicatif::ProgressBar {
    if !enabled {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} indexing {bar:30} {pos}/{len} files, {per_sec}, {eta} left",
    ) {
        bar.set_style(style);
    }
    bar
}

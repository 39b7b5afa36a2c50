//! Index: the Tantivy index of a corpus's passages, with the catalog that
//! says which corpus files it holds and what they contributed.
//!
//! Opening an index brings it up to date with its corpus: files that are new
//! or changed (size or modification time) are reprocessed, files that are
//! gone are dropped, and a changed sources registry reprocesses everything.
//! Each update is one Tantivy commit, and the catalog travels with the commit
//! (its file name is the commit's payload), so a build killed half-way
//! leaves the previous commit and its catalog exactly as they were.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Instant;

use tantivy::{IndexReader, ReloadPolicy, TantivyDocument};

use crate::corpus::{Corpus, FileStamp, Scan};
use crate::error::{Error, Result};
use crate::page::page_slug;
use crate::site::Site;
use crate::source::{Source, SourceTable};
use crate::token;

mod build;
mod catalog;
mod digest;
mod schema;
mod update;

pub use build::{Processed, document_owner, process, process_page};
pub use catalog::{Catalog, Counts, FileEntry, PageInfo, Skipped, SourceRow};
pub use digest::Totals;
pub use schema::{FORMAT_VERSION, Fields, PAGE, PassageData, WEIGHT, schema};

use catalog::{
    CATALOG_PREFIX, Committed, catalog_payload, read_catalog, read_digest, read_or_new,
    skipped_errors,
};
use digest::Digest;
use schema::schema_matches;
use update::{WRITER_MEMORY, threads, update};

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
    /// What was wrong in files indexed all the same: a URL dropped, a
    /// passage id changed to keep it apart, a comment never closed.
    pub warnings: Vec<Error>,
    /// Seconds the update took.
    pub seconds: f64,
    /// Set when another process held the index and it was used as it was.
    pub stale: bool,
    /// The generator the site was read with.
    pub site: String,
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
            warnings: skipped_errors(digest.warnings()).collect(),
            site: digest.site().to_string(),
            seconds: started.elapsed().as_secs_f64(),
            ..Summary::default()
        }
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        if let Some(kind) = self.site.split('+').next().filter(|k| !k.is_empty()) {
            write!(f, "{kind} site: ")?;
        }
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
    /// Called when everything of an update is written but its commit: the
    /// crash tests die there, at the worst moment.
    pub before_commit: Option<fn()>,
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
    pub fn open(site: &Site, dir: &Path, options: &Options) -> Result<(Index, Summary)> {
        let started = Instant::now();
        let corpus = site.corpus();
        // The corpus is listed while the index and its digest are read.
        let (opened, scan) = std::thread::scope(|scope| {
            let scan = scope.spawn(|| site.scan());
            let opened = open_or_create(dir, options.rebuild);
            let scan = scan.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
            (opened, scan)
        });
        let (inner, mut committed) = opened?;
        // A corpus that cannot be read is an error for this update: the
        // index is kept as it is, never emptied.
        let mut scan = scan?;
        let mut summary = Summary::default();

        // Another registry, or another generator, changes every page.
        let site_changed = committed
            .as_ref()
            .is_some_and(|(d, _)| d.site() != site.signature());
        let registry_changed = site_changed
            || committed.as_ref().map_or(&[][..], |(d, _)| d.registry()) != scan.registry;
        let mut catalog = None;
        if registry_changed {
            let mut whole = read_or_new(dir, committed.as_ref())?;
            whole.registry.clone_from(&scan.registry);
            whole.registry_errors.clear();
            whole.registry_sources.clear();
            let (sources, problems) = corpus.read_registry(&scan.registry);
            whole.registry_sources = sources;
            for problem in problems {
                if let Error::Corpus {
                    path,
                    line,
                    message,
                } = problem
                {
                    whole
                        .registry_errors
                        .push((path, Skipped { line, message }));
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
        let mut todo: Vec<&FileStamp> = scan
            .pages
            .iter()
            .filter(|s| registry_changed || stamps.get(&s.path) != Some(&s.version()))
            .collect();
        let present: std::collections::HashSet<&str> = scan
            .pages
            .iter()
            .chain(&scan.support)
            .map(|s| s.path.as_str())
            .collect();
        // A file under a directory that could not be read may still be
        // there: what the index holds of it is kept.
        let mut removed: Vec<String> = stamps
            .keys()
            .filter(|p| !present.contains(p.as_str()) && !scan.may_hide(p))
            .cloned()
            .collect();
        removed.sort();
        // A supporting file added, changed or removed reprocesses the pages
        // made from it.
        let support: Vec<&FileStamp> = scan
            .support
            .iter()
            .filter(|s| stamps.get(&s.path) != Some(&s.version()))
            .collect();
        // A site's pages are read by other pages too (an author's page for
        // the posts that name them): a page added or changed is touched.
        let pages_read = site.kind() != crate::site::SiteKind::Plain;
        let touched: std::collections::HashSet<&str> = support
            .iter()
            .map(|s| s.path.as_str())
            .chain(removed.iter().map(String::as_str))
            .chain(
                todo.iter()
                    .copied()
                    .filter(|_| pages_read)
                    .map(|s| s.path.as_str()),
            )
            .collect();
        if !touched.is_empty() && !registry_changed && committed.is_some() {
            let whole = match catalog.take() {
                Some(whole) => whole,
                None => read_or_new(dir, committed.as_ref())?,
            };
            let dependents: std::collections::HashSet<&str> = whole
                .files
                .iter()
                .filter(|(_, f)| f.depends.iter().any(|d| touched.contains(d.as_str())))
                .map(|(p, _)| p.as_str())
                .collect();
            let mut queued: std::collections::HashSet<String> =
                todo.iter().map(|t| t.path.clone()).collect();
            for stamp in &scan.pages {
                if dependents.contains(stamp.path.as_str()) && queued.insert(stamp.path.clone()) {
                    todo.push(stamp);
                }
            }
            catalog = Some(whole);
        }
        let mut slugs = HashMap::new();
        if !todo.is_empty() || !removed.is_empty() {
            let (assigned, groups) = unique_slugs(&scan.pages);
            // A file added or removed changes which file of its slug's
            // group keeps the slug: the others of the group are redone
            // when theirs is not what they were indexed with.
            let moved: Vec<&str> = todo
                .iter()
                .filter(|s| !stamps.contains_key(&s.path))
                .map(|s| s.path.as_str())
                .chain(removed.iter().map(String::as_str))
                .collect();
            let digest = committed.as_ref().map(|(d, _)| d);
            for path in moved {
                for member in groups.get(&page_slug(path)).into_iter().flatten() {
                    let Some(before) = digest.and_then(|d| d.page(member)).map(|p| p.slug) else {
                        continue;
                    };
                    let now = assigned
                        .get(*member)
                        .cloned()
                        .unwrap_or_else(|| page_slug(member));
                    if before != now
                        && !todo.iter().any(|t| t.path == *member)
                        && let Some(stamp) = scan.pages.iter().find(|s| s.path == *member)
                    {
                        todo.push(stamp);
                    }
                }
            }
            slugs = assigned;
        }
        let changes = update::Changes {
            todo,
            support,
            removed,
            slugs,
        };

        let fields = schema().1;
        let full = OnceLock::new();
        if !changes.todo.is_empty()
            || !changes.support.is_empty()
            || !changes.removed.is_empty()
            || registry_changed
        {
            match inner.writer_with_num_threads::<TantivyDocument>(threads(options), WRITER_MEMORY)
            {
                Ok(writer) => {
                    let mut whole = match catalog {
                        Some(whole) => whole,
                        None => read_or_new(dir, committed.as_ref())?,
                    };
                    whole.site = site.signature();
                    let (name, sources, digest) =
                        update(site, dir, writer, fields, &mut whole, &changes, options)?;
                    let _ = full.set(Full {
                        catalog: whole,
                        sources,
                    });
                    committed = Some((digest, name));
                    summary.processed = changes.todo.len();
                    summary.removed = changes.removed.len();
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
            // What this run read the corpus as, even when nothing in it
            // was indexed.
            site: site.signature(),
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
    /// only the directory, not the files. A corpus that cannot be read is
    /// an error.
    pub fn is_current(&self, site: &Site) -> Result<bool> {
        let mut scan = site.scan()?;
        if scan.registry != self.digest.registry() || self.digest.site() != site.signature() {
            return Ok(false);
        }
        add_named_texts(site.corpus(), self.digest.named_texts(), &mut scan);
        let stamps = self.digest.stamps();
        let files = || scan.pages.iter().chain(&scan.support);
        let hidden = stamps
            .keys()
            .filter(|p| scan.may_hide(p) && !files().any(|s| &s.path == *p))
            .count();
        Ok(files().count() + hidden == stamps.len()
            && files().all(|s| stamps.get(&s.path) == Some(&s.version())))
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

    /// The source called `name` (id, title or alias), or an error with suggestions.
    pub fn source_named(&self, name: &str) -> Result<&Source> {
        let sources = self.sources()?;
        if let Some(source) = sources.by_name(name) {
            return Ok(source);
        }
        let wanted = token::fold(name);
        let mut near: Vec<&Source> = sources
            .iter()
            .filter(|s| {
                std::iter::once(s.id.as_str())
                    .chain(s.names())
                    .any(|n| token::fold(n).contains(&wanted))
            })
            .take(5)
            .collect();
        near.sort_by_key(|s| s.id.len());
        let hint = if near.is_empty() {
            "; `citeindex sources` lists them".to_string()
        } else {
            let ids: Vec<&str> = near.iter().map(|s| s.id.as_str()).collect();
            format!("; did you mean {}?", ids.join(", "))
        };
        Err(Error::UnknownSource {
            name: name.to_string(),
            hint,
        })
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

    /// Every source with its counts, most attributed first.
    pub fn source_rows(&self) -> Result<Vec<SourceRow>> {
        let catalog = self.catalog()?;
        let counts = catalog.counts();
        let registered: HashMap<&str, &Source> = catalog
            .registry_sources
            .iter()
            .map(|s| (s.id.as_str(), s))
            .collect();
        let mut rows: Vec<SourceRow> = self
            .sources()?
            .iter()
            .map(|s| {
                let mut source = s.clone();
                // What the registry states is the registry's.
                for field in registered
                    .get(s.id.as_str())
                    .map_or(vec![], |r| r.stated_fields())
                {
                    source
                        .provenance
                        .entry(field.to_string())
                        .or_insert(crate::source::Origin::Registry);
                }
                SourceRow {
                    source,
                    counts: counts.get(&s.id).copied().unwrap_or_default(),
                }
            })
            .collect();
        rows.sort_by(|a, b| {
            (b.counts.quotes + b.counts.passages)
                .cmp(&(a.counts.quotes + a.counts.passages))
                .then_with(|| a.source.id.cmp(&b.source.id))
        });
        Ok(rows)
    }

    /// The index directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
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

/// Passage ids unique per corpus: of the files whose paths give one slug
/// (`x y.md`, `x-y.md`, `X Y.md`), the first in path order keeps it and
/// each other gets it with a mark of its own path (`x-y~1a2b3c4d`), the
/// same whatever else the corpus holds. Returns those others' slugs, and
/// the files of every slug.
fn unique_slugs(pages: &[FileStamp]) -> (HashMap<String, String>, HashMap<String, Vec<&str>>) {
    let mut groups: HashMap<String, Vec<&str>> = HashMap::new();
    for page in pages {
        groups
            .entry(page_slug(&page.path))
            .or_default()
            .push(&page.path);
    }
    let mut assigned = HashMap::new();
    for (slug, members) in &groups {
        // The scan is in path order, and so is each group.
        for member in members.iter().skip(1) {
            let mark = crc32fast::hash(member.as_bytes());
            assigned.insert(member.to_string(), format!("{slug}~{mark:08x}"));
        }
    }
    (assigned, groups)
}

/// Adds to a scan the full texts that the registry names outside `sources/`.
fn add_named_texts(corpus: &Corpus, named: &[String], scan: &mut Scan) {
    for named in named {
        if scan.pages.iter().all(|p| p.path != *named) {
            match corpus.resolve(named).map(|_| corpus.stamp(named)) {
                Ok(Some(stamp)) => scan.pages.push(stamp),
                // Outside the corpus: said so, and never read.
                Err(Error::Corpus { message, .. }) if !message.starts_with("cannot be read") => {
                    scan.problems.push(Error::Corpus {
                        path: named.to_string(),
                        line: 1,
                        message,
                    })
                }
                _ => scan.problems.push(Error::Corpus {
                    path: named.to_string(),
                    line: 1,
                    message: "is named as a source's full text but is not in the corpus".into(),
                }),
            }
        }
    }
}

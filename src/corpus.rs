//! Corpus: the directory a site is read from — what files it holds, each
//! file's stamp (to tell when it changed), and reading a file, never one
//! outside the directory. Which files are pages is the site's to say
//! ([`crate::site`]); without a generator, the plain rule is that any
//! `.md` or `.markdown` file is a page.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::page::Page;
use crate::source::{Source, is_web_link};

/// Below this many files a scan reads their sizes and times on one thread.
const PARALLEL_STAT: usize = 512;

/// Sizes and modification times of the files found by a scan, each with
/// whether it is a registry file. Each is a system call that walks the
/// whole path: on a large corpus they are most of a scan, and they run on
/// rayon's threads.
fn stamp_all(found: &[(String, PathBuf, FileRole)]) -> Vec<(Result<FileStamp>, FileRole)> {
    let stamp = |(relative, path, kind): &(String, PathBuf, FileRole)| {
        let stamp = std::fs::metadata(path)
            .map(|m| FileStamp::of(relative.clone(), &m))
            .map_err(|e| Error::Corpus {
                path: relative.clone(),
                line: 1,
                message: format!("cannot be read: {e}"),
            });
        (stamp, *kind)
    };
    if found.len() < PARALLEL_STAT {
        return found.iter().map(stamp).collect();
    }
    use rayon::prelude::*;
    // In at most four runs, so that starting them costs less than they save.
    found
        .par_iter()
        .with_min_len(found.len().div_ceil(4))
        .map(stamp)
        .collect()
}

/// File extensions of Markdown pages.
pub const PAGE_EXTENSIONS: [&str; 3] = ["md", "markdown", "mdown"];

/// What a file (or, for `is_dir`, a directory) of the corpus is to the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileRole {
    /// A page to index (or a source's full text under `sources/`).
    Page,
    /// A file pages depend on: the site's configuration, a layout, an
    /// include, an author; a change to it reprocesses its pages.
    Support,
    /// A sources registry file.
    Registry,
    /// Nothing to the index; for a directory, nothing under it either.
    Skip,
}

/// The plain rule: a Markdown file is a page, a registry file at the root
/// is the registry, a document under `sources/` is a source's text, and
/// the record of its download beside it supports it.
pub fn plain_role(path: &str, is_dir: bool) -> FileRole {
    if is_dir {
        return FileRole::Page;
    }
    if is_document_path(path) && path.ends_with(".fetched.json") {
        return FileRole::Support;
    }
    if !path.contains('/') && crate::registry::Format::of(path).is_some() {
        return FileRole::Registry;
    }
    let extension = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let page = PAGE_EXTENSIONS.contains(&extension.as_str())
        || (is_document_path(path) && crate::document::EXTENSIONS.contains(&extension.as_str()));
    if page { FileRole::Page } else { FileRole::Skip }
}

/// A corpus file, as found by a scan: enough to tell whether it changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStamp {
    /// Path relative to the corpus root, with `/` separators.
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub mtime_ns: u128,
    /// Which file it is and when its inode last changed: a file renamed
    /// over another of the same size and time, or rewritten with its time
    /// set back, is another file to this, though not to size and time.
    #[serde(default)]
    pub change: u64,
}

/// What tells whether a file changed: its size, modification time and
/// [`FileStamp::change`].
pub type Version = (u64, u128, u64);

impl FileStamp {
    /// The stamp of the file at corpus path `path` whose metadata is `m`.
    fn of(path: String, m: &std::fs::Metadata) -> FileStamp {
        FileStamp {
            path,
            size: m.len(),
            mtime_ns: m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos()),
            change: change_of(m),
        }
    }

    /// The file's version, to compare with the one indexed.
    pub fn version(&self) -> Version {
        (self.size, self.mtime_ns, self.change)
    }
}

/// The inode and status-change time of a file, mixed into one number; the
/// status-change time cannot be set back by a program, as the
/// modification time can.
#[cfg(unix)]
fn change_of(m: &std::fs::Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt;
    let ctime = (m.ctime() as u64).wrapping_mul(1_000_000_007) ^ m.ctime_nsec() as u64;
    m.ino().wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ ctime
}

#[cfg(not(unix))]
fn change_of(_: &std::fs::Metadata) -> u64 {
    0
}

/// What a scan of the corpus found.
#[derive(Debug, Default)]
pub struct Scan {
    /// The pages and the source documents (under `sources/`), in path order.
    pub pages: Vec<FileStamp>,
    /// The registry files at the corpus root: `sources.yaml` first, then
    /// BibTeX and CSL-JSON files by name.
    pub registry: Vec<FileStamp>,
    /// Entries that could not be visited (unreadable directories, link
    /// loops, links out of the corpus).
    pub problems: Vec<Error>,
    /// Directories that could not be read: what the index holds of the
    /// files under them is kept, not dropped as if they were gone.
    pub unvisited: Vec<String>,
    /// The files pages depend on (configuration, layouts, includes,
    /// authors), in path order.
    pub support: Vec<FileStamp>,
}

impl Scan {
    /// Whether the file at `path` is under a directory the scan could not
    /// read, so that its absence from the scan says nothing.
    pub fn may_hide(&self, path: &str) -> bool {
        self.unvisited.iter().any(|dir| {
            dir.is_empty()
                || path
                    .strip_prefix(dir.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
        })
    }
}

/// The corpus directory.
#[derive(Debug, Clone)]
pub struct Corpus {
    root: PathBuf,
    /// The root with every link resolved: nothing outside it is read.
    real: PathBuf,
}

impl Corpus {
    /// The corpus at `root`, which must be a directory.
    pub fn open(root: impl Into<PathBuf>) -> Result<Self> {
        let root = root.into();
        let unreadable = |message: String| Error::CorpusDir {
            path: root.clone(),
            message,
        };
        match std::fs::metadata(&root) {
            Ok(m) if m.is_dir() => {
                let real = std::fs::canonicalize(&root).map_err(|e| unreadable(e.to_string()))?;
                Ok(Corpus { root, real })
            }
            Ok(_) => Err(unreadable("not a directory".into())),
            Err(e) => Err(unreadable(format!(
                "{e} (give the corpus with --corpus DIR)"
            ))),
        }
    }

    /// The corpus directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The stamp of the file at a corpus-relative path, if it is one inside
    /// the corpus.
    pub fn stamp(&self, relative: &str) -> Option<FileStamp> {
        let m = std::fs::metadata(self.resolve(relative).ok()?).ok()?;
        m.is_file().then(|| FileStamp::of(relative.to_string(), &m))
    }

    /// The path of the corpus file at `relative`, when it is one inside the
    /// corpus: a path that is absolute or climbs out (`..`) is refused, and
    /// so is one whose links lead outside the corpus.
    pub fn resolve(&self, relative: &str) -> Result<PathBuf> {
        let path = self.inside(relative)?;
        match std::fs::canonicalize(&path) {
            Ok(real) if real.starts_with(&self.real) => Ok(path),
            Ok(_) => Err(outside(relative, "leads outside the corpus, by a link")),
            Err(e) => Err(Error::Corpus {
                path: relative.to_string(),
                line: 1,
                message: format!("cannot be read: {e}"),
            }),
        }
    }

    /// The path where the corpus file `relative` is to be written: refused
    /// when it is absolute, climbs out, or its folder leads outside.
    pub fn resolve_for_writing(&self, relative: &str) -> Result<PathBuf> {
        let path = self.inside(relative)?;
        let folder = path.parent().unwrap_or(&self.root);
        std::fs::create_dir_all(folder).map_err(Error::io(folder))?;
        let real = std::fs::canonicalize(folder).map_err(Error::io(folder))?;
        if !real.starts_with(&self.real) {
            return Err(outside(relative, "leads outside the corpus, by a link"));
        }
        Ok(path)
    }

    /// `relative` joined to the root, when it is a plain relative path.
    fn inside(&self, relative: &str) -> Result<PathBuf> {
        use std::path::Component;
        let plain = !relative.is_empty()
            && Path::new(relative)
                .components()
                .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
        if !plain {
            return Err(outside(
                relative,
                "is not a path inside the corpus (it is absolute or climbs out with `..`)",
            ));
        }
        Ok(self.root.join(relative))
    }

    /// Whether a link found by the scan leads inside the corpus.
    fn leads_inside(&self, link: &Path) -> bool {
        std::fs::canonicalize(link).is_ok_and(|real| real.starts_with(&self.real))
    }

    /// The record kept beside the downloaded text at corpus path `text`.
    pub fn fetch_record(&self, text: &str) -> Option<crate::document::Record> {
        let path = self.resolve(&crate::document::record_path(text)).ok()?;
        serde_json::from_slice(&std::fs::read(path).ok()?).ok()
    }

    /// Lists the pages and the registry, without reading them.
    ///
    /// Hidden files and directories are passed over. Symbolic links are
    /// followed only where they lead inside the corpus: one that leads out
    /// is reported and passed over, and a link loop is reported, not
    /// followed forever. A corpus whose root cannot be read is an error, not
    /// an empty scan: an update would otherwise drop every page.
    pub fn scan(&self) -> Result<Scan> {
        self.scan_with(&plain_role)
    }

    /// [`Corpus::scan`] with the site's rule of what each file is: a
    /// directory the rule skips is not walked.
    pub fn scan_with(&self, role: &(dyn Fn(&str, bool) -> FileRole + Sync)) -> Result<Scan> {
        let listing = std::fs::read_dir(&self.root).map_err(|e| Error::CorpusDir {
            path: self.root.clone(),
            message: format!("cannot be read: {e}"),
        });
        drop(listing?);
        let mut scan = Scan::default();
        let outward = std::cell::RefCell::new(Vec::new());
        // Listed in directory order; sorted by path at the end, which is
        // cheaper than sorting each directory by name as it is walked.
        let walker = walkdir::WalkDir::new(&self.root)
            .follow_links(true)
            .into_iter()
            .filter_entry(|e| {
                if e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.') {
                    return false;
                }
                // Only a link needs its target looked at.
                if e.path_is_symlink() && !self.leads_inside(e.path()) {
                    outward.borrow_mut().push(self.relative(e.path()));
                    return false;
                }
                e.depth() == 0
                    || !e.file_type().is_dir()
                    || role(&self.relative(e.path()), true) != FileRole::Skip
            });
        let mut found: Vec<(String, PathBuf, FileRole)> = Vec::new();
        for entry in walker {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    let path = e
                        .path()
                        .map(|p| self.relative(p))
                        .unwrap_or_else(|| ".".into());
                    if e.loop_ancestor().is_none() {
                        scan.unvisited.push(path.clone());
                    }
                    scan.problems.push(Error::Corpus {
                        path,
                        line: 1,
                        message: format!("cannot be visited: {e}"),
                    });
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let relative = self.relative(entry.path());
            match role(&relative, false) {
                FileRole::Skip => {}
                kind => found.push((relative, entry.into_path(), kind)),
            }
        }
        for path in outward.into_inner() {
            scan.problems.push(outside(
                &path,
                "is a link that leads outside the corpus; it is not followed",
            ));
        }
        for (stamp, kind) in stamp_all(&found) {
            match (stamp, kind) {
                (Ok(stamp), FileRole::Registry) => scan.registry.push(stamp),
                (Ok(stamp), FileRole::Support) => scan.support.push(stamp),
                (Ok(stamp), _) => scan.pages.push(stamp),
                (Err(problem), _) => scan.problems.push(problem),
            }
        }
        scan.pages.sort_by(|a, b| a.path.cmp(&b.path));
        scan.support.sort_by(|a, b| a.path.cmp(&b.path));
        // The YAML registry, with its aliases, first: its fields win; then by name.
        scan.registry.sort_by(|a, b| {
            let yaml = |s: &FileStamp| {
                crate::registry::Format::of(&s.path) != Some(crate::registry::Format::Yaml)
            };
            (yaml(a), &a.path).cmp(&(yaml(b), &b.path))
        });
        Ok(scan)
    }

    /// The sources of the registry files `stamps` (as a scan lists them),
    /// in their order, and what was wrong in them: a broken entry is
    /// reported with its file and line, and the others are read.
    pub fn read_registry(&self, stamps: &[FileStamp]) -> (Vec<Source>, Vec<Error>) {
        let mut sources = Vec::new();
        let mut problems = Vec::new();
        for stamp in stamps {
            let (mut found, wrong) = match self.resolve(&stamp.path) {
                Ok(path) => crate::registry::read(&path, &stamp.path),
                Err(e) => (vec![], vec![e]),
            };
            problems.extend(wrong);
            for source in &mut found {
                if let Some(url) = source.url.take_if(|u| !is_web_link(u)) {
                    problems.push(Error::Corpus {
                        path: stamp.path.clone(),
                        line: 1,
                        message: format!(
                            "the url `{url}` of source `{}` is not a web address; it is dropped",
                            source.id
                        ),
                    });
                }
            }
            sources.extend(found);
        }
        (sources, problems)
    }

    fn relative(&self, path: &Path) -> String {
        let relative = path.strip_prefix(&self.root).unwrap_or(path);
        let parts: Vec<_> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect();
        parts.join("/")
    }

    /// Reads and checks the page at the corpus-relative `path`.
    pub fn read_page(&self, path: &str) -> Result<Page> {
        self.read(path).and_then(|bytes| Page::parse(path, bytes))
    }

    /// The bytes of the corpus file at `path`, when it is inside the corpus.
    pub fn read(&self, path: &str) -> Result<Vec<u8>> {
        std::fs::read(self.resolve(path)?).map_err(|e| Error::Corpus {
            path: path.to_string(),
            line: 1,
            message: format!("cannot be read: {e}"),
        })
    }
}

/// The error for a corpus path that would read or write outside the corpus.
fn outside(path: &str, why: &str) -> Error {
    Error::Corpus {
        path: path.to_string(),
        line: 1,
        message: why.to_string(),
    }
}

/// Whether a corpus path is in the folder of source documents.
pub fn is_document_path(relative: &str) -> bool {
    relative
        .strip_prefix(crate::document::FOLDER)
        .is_some_and(|rest| rest.starts_with('/'))
}

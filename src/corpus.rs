//! Corpus: the directory of Markdown pages, and each page as read from it.
//!
//! A page is any `.md` or `.markdown` file under the corpus, with YAML front
//! matter (`---`), TOML front matter (`+++`) or none. Reading a page checks
//! that it is text and that its front matter parses, and reports the first
//! problem with the file's path and line, so the caller can skip the file
//! and go on with the rest.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, Result};
use crate::source::{Source, SourceKind};

/// Below this many files a scan reads their sizes and times on one thread.
const PARALLEL_STAT: usize = 512;

/// Sizes and modification times of the files found by a scan, each with
/// whether it is a registry file. Each is a system call that walks the
/// whole path: on a large corpus they are most of a scan, and they run on
/// rayon's threads.
fn stamp_all(found: &[(String, PathBuf, bool)]) -> Vec<(Result<FileStamp>, bool)> {
    let stamp = |(relative, path, is_registry): &(String, PathBuf, bool)| {
        let stamp = std::fs::metadata(path)
            .map(|m| FileStamp::of(relative.clone(), &m))
            .map_err(|e| Error::Corpus {
                path: relative.clone(),
                line: 1,
                message: format!("cannot be read: {e}"),
            });
        (stamp, *is_registry)
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

/// File extensions of pages.
const PAGE_EXTENSIONS: [&str; 3] = ["md", "markdown", "mdown"];

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
                true
            });
        let mut found: Vec<(String, PathBuf, bool)> = Vec::new();
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
            let is_registry =
                entry.depth() == 1 && crate::registry::Format::of(&relative).is_some();
            let extension = entry
                .path()
                .extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase)
                .unwrap_or_default();
            let is_page = PAGE_EXTENSIONS.contains(&extension.as_str())
                || (is_document_path(&relative)
                    && crate::document::EXTENSIONS.contains(&extension.as_str()));
            if is_registry || is_page {
                found.push((relative, entry.into_path(), is_registry));
            }
        }
        for path in outward.into_inner() {
            scan.problems.push(outside(
                &path,
                "is a link that leads outside the corpus; it is not followed",
            ));
        }
        for (stamp, is_registry) in stamp_all(&found) {
            match stamp {
                Ok(stamp) if is_registry => scan.registry.push(stamp),
                Ok(stamp) => scan.pages.push(stamp),
                Err(problem) => scan.problems.push(problem),
            }
        }
        scan.pages.sort_by(|a, b| a.path.cmp(&b.path));
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

/// A link listed in front matter, such as an entry of the seed's `types`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontLink {
    /// The front matter key of the list (`types`).
    pub key: String,
    /// The link's name.
    pub name: String,
    /// Its URL, as written.
    pub url: Option<String>,
    /// Byte range in the file of the list entry.
    pub span: std::ops::Range<usize>,
}

/// One corpus file, read and checked.
#[derive(Debug, Clone)]
pub struct Page {
    /// Path relative to the corpus root.
    pub path: String,
    /// The slug: the path without its extension, used in passage ids.
    pub slug: String,
    /// The whole file.
    pub text: String,
    /// Front matter as a JSON object (empty when there is none).
    pub front: serde_json::Map<String, Value>,
    /// Byte offset of the Markdown body in [`Page::text`].
    pub body_start: usize,
    /// Title, HTML entities decoded: from front matter, else the first heading, else the slug.
    pub title: String,
    /// The page's URL: front matter `url` or `permalink`, else `/slug/`.
    pub url: String,
    /// Links listed in front matter.
    pub links: Vec<FrontLink>,
    /// What was wrong but did not stop the page from being read, by line:
    /// a URL that is not a web address, an HTML comment never closed.
    pub warnings: Vec<(usize, String)>,
    /// Byte offsets of the line breaks, for [`Page::line_of`].
    line_breaks: Vec<usize>,
    /// Whether [`Page::url`] was made from the slug.
    url_from_slug: bool,
    /// Offsets in the body of `<!--` that open a comment no `-->` closes.
    unclosed_comments: Vec<usize>,
}

impl Page {
    /// Checks and parses a corpus file; errors carry `path` and a line.
    pub fn parse(path: &str, bytes: Vec<u8>) -> Result<Page> {
        let bad = |line: usize, message: String| Error::Corpus {
            path: path.to_string(),
            line,
            message,
        };
        let probe = &bytes[..bytes.len().min(8192)];
        if let Some(at) = probe.iter().position(|&b| b == 0) {
            return Err(bad(
                line_at(&bytes, at),
                "binary file (it holds NUL bytes)".into(),
            ));
        }
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let line = line_at(e.as_bytes(), at);
                return Err(bad(line, format!("invalid UTF-8 at byte {at}")));
            }
        };
        let (front, body_start) = split_front_matter(&text).map_err(|(line, m)| bad(line, m))?;
        Ok(Page::assemble(path, text, front, body_start))
    }

    /// A page of text that is not a corpus file as it stands, such as the
    /// Markdown extracted from a source document, with the front matter
    /// that says what it is: its whole text is the body.
    pub fn from_text(path: &str, text: String, front: serde_json::Map<String, Value>) -> Page {
        Page::assemble(path, text, front, 0)
    }

    fn assemble(
        path: &str,
        text: String,
        front: serde_json::Map<String, Value>,
        body_start: usize,
    ) -> Page {
        let slug = page_slug(path);
        let title = front
            .get("title")
            .and_then(scalar_text)
            .map(|t| decode_entities(&t))
            .filter(|t| !t.trim().is_empty());
        let line_breaks: Vec<usize> = memchr::memchr_iter(b'\n', text.as_bytes()).collect();
        let line_of = |offset: usize| 1 + line_breaks.partition_point(|&b| b < offset);
        let mut warnings = Vec::new();
        let written = ["url", "permalink"]
            .iter()
            .find_map(|k| front.get(*k).and_then(scalar_text).map(|u| (*k, u)));
        let url = match written {
            Some((_, url)) if is_web_link(&url) => Some(url),
            Some((key, url)) => {
                warnings.push((
                    front_line(&text[..body_start], key),
                    format!("`{key}: {url}` is not a web address (http, https or a path); it is not used"),
                ));
                None
            }
            None => None,
        };
        let url_from_slug = url.is_none();
        let url = url.unwrap_or_else(|| format!("/{slug}/"));
        let mut links = front_links(&text[..body_start], &front);
        for link in &mut links {
            if let Some(url) = link.url.take_if(|u| !is_web_link(u)) {
                warnings.push((
                    line_of(link.span.start),
                    format!(
                        "the link `{url}` of `{}` is not a web address; it is dropped",
                        link.name
                    ),
                ));
            }
        }
        let unclosed_comments = unclosed_comments(&text[body_start..]);
        if let Some(&first) = unclosed_comments.first() {
            warnings.push((
                line_of(body_start + first),
                "an HTML comment opens here and never closes; what follows is indexed as text"
                    .into(),
            ));
        }
        let mut page = Page {
            path: path.to_string(),
            slug,
            text,
            front,
            body_start,
            title: String::new(),
            url,
            links,
            warnings,
            line_breaks,
            url_from_slug,
            unclosed_comments,
        };
        page.title = title
            .or_else(|| first_heading(page.body()))
            .unwrap_or_else(|| page.slug.clone());
        page
    }

    /// The page with the slug `slug` in its passage ids (and its URL, when
    /// that was made from the slug): another file of the corpus has the
    /// slug its path gives.
    pub fn with_slug(mut self, slug: &str) -> Page {
        if slug != self.slug {
            self.warnings.push((
                1,
                format!(
                    "its passages would have the ids `{}#p…` of another file; they are `{slug}#p…`",
                    self.slug
                ),
            ));
            if self.url_from_slug {
                self.url = format!("/{slug}/");
            }
            if self.title == self.slug {
                self.title = slug.to_string();
            }
            self.slug = slug.to_string();
        }
        self
    }

    /// The body as Markdown is to read it: a `<!--` that no `-->` closes
    /// would hide the rest of the page, so it is read as text.
    pub fn markdown(&self) -> std::borrow::Cow<'_, str> {
        if self.unclosed_comments.is_empty() {
            return std::borrow::Cow::Borrowed(self.body());
        }
        let mut body = self.body().as_bytes().to_vec();
        for &at in &self.unclosed_comments {
            // `<` to a space: the same length, so every span still holds.
            body[at] = b' ';
        }
        std::borrow::Cow::Owned(String::from_utf8(body).unwrap_or_default())
    }

    /// The Markdown body, after the front matter.
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// The 1-based line of byte `offset` in the file, in logarithmic time:
    /// a page of thousands of passages asks for every one.
    pub fn line_of(&self, offset: usize) -> usize {
        1 + self.line_breaks.partition_point(|&b| b < offset)
    }

    /// The page as a citable source, described by its front matter.
    pub fn source(&self) -> Source {
        let field = |keys: &[&str]| {
            keys.iter()
                .find_map(|k| self.front.get(*k).and_then(scalar_text))
                .map(|t| decode_entities(&t))
                .filter(|t| !t.trim().is_empty())
        };
        let mut authors = Vec::new();
        for key in ["authors", "author"] {
            match self.front.get(key) {
                Some(Value::Array(list)) => authors.extend(list.iter().filter_map(scalar_text)),
                Some(v) => authors.extend(scalar_text(v)),
                None => {}
            }
        }
        let authors = authors
            .iter()
            .flat_map(|a| split_names(a))
            .map(|a| decode_entities(a.trim()))
            .filter(|a| !a.is_empty() && !a.eq_ignore_ascii_case("anonymous"))
            .collect();
        let container = field(&["journal", "container", "site", "publication"]);
        Source {
            id: self.slug.clone(),
            kind: if container.is_some() {
                SourceKind::Article
            } else {
                SourceKind::WebPage
            },
            title: Some(self.title.clone()),
            authors,
            container,
            publisher: field(&["publisher"]),
            date: field(&["date", "year"]),
            volume: field(&["volume"]),
            // "17 pages" is a length, not where in a volume the work stands.
            pages: field(&["pages"]).filter(|p| !p.trim_end().ends_with("pages")),
            url: Some(self.url.clone()),
            page: Some(self.path.clone()),
            ..Source::default()
        }
    }
}

/// Whether `url` is an address that can be handed to a browser: `http`,
/// `https`, or relative (a path, a fragment, `//host/…`), not
/// `javascript:`, `data:` or another scheme.
pub fn is_web_link(url: &str) -> bool {
    let url = url.trim_start();
    let scheme_end = url.find(|c: char| !(c.is_ascii_alphanumeric() || "+.-".contains(c)));
    match scheme_end {
        Some(end)
            if end > 0
                && url[end..].starts_with(':')
                && url.as_bytes()[0].is_ascii_alphabetic() =>
        {
            let scheme = url[..end].to_ascii_lowercase();
            scheme == "http" || scheme == "https"
        }
        _ => !url.chars().any(char::is_control),
    }
}

/// The line (1-based, in the file) of the front matter key `key`, else 1.
fn front_line(front_text: &str, key: &str) -> usize {
    let mut offset = 0;
    for line in front_text.split_inclusive('\n') {
        let rest = line.trim_start();
        if rest
            .strip_prefix(key)
            .is_some_and(|r| r.trim_start().starts_with([':', '=']))
        {
            return line_at(front_text.as_bytes(), offset);
        }
        offset += line.len();
    }
    1
}

/// Offsets in `body` of the `<!--` that open an HTML block comment (at the
/// start of a line, as CommonMark has them) which no `-->` closes.
fn unclosed_comments(body: &str) -> Vec<usize> {
    let last_close = body.rfind("-->").map_or(0, |i| i + 1);
    let mut out = Vec::new();
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if indent <= 3 && line[indent..].starts_with("<!--") && offset + indent >= last_close {
            out.push(offset + indent);
        }
        offset += line.len();
    }
    out
}

/// Whether a corpus path is in the folder of source documents.
pub fn is_document_path(relative: &str) -> bool {
    relative
        .strip_prefix(crate::document::FOLDER)
        .is_some_and(|rest| rest.starts_with('/'))
}

/// The names in an author field: "A; B", "A and B", or "Patrick Wilson,
/// Isaac Newton" split into names, while "Wilson, Patrick" (family name
/// first) stays one.
fn split_names(field: &str) -> Vec<&str> {
    let mut names = Vec::new();
    for part in field.split(';') {
        let commas: Vec<&str> = part.split(',').map(str::trim).collect();
        let each_a_name = commas.len() > 1
            && commas
                .iter()
                .all(|c| c.split_whitespace().count() >= 2 || c.starts_with("and "));
        let pieces = if each_a_name { commas } else { vec![part] };
        for piece in pieces {
            let piece = piece.trim().strip_prefix("and ").unwrap_or(piece.trim());
            names.extend(piece.split(" and ").flat_map(|n| n.split(" & ")));
        }
    }
    names
}

/// The slug of a corpus path: without its extension, lower case, with
/// characters other than letters, digits, `-`, `_`, `.` and `/` made `-`.
pub fn page_slug(path: &str) -> String {
    let stem = match path.rfind('.') {
        Some(dot) if !path[dot..].contains('/') => &path[..dot],
        _ => path,
    };
    stem.chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/') {
                c.to_lowercase().next().unwrap_or(c)
            } else {
                '-'
            }
        })
        .collect()
}

/// Decodes HTML entities (`&amp;` is `&`).
pub fn decode_entities(text: &str) -> String {
    html_escape::decode_html_entities(text).into_owned()
}

/// The 1-based line of byte `offset` in `bytes`.
pub fn line_at(bytes: &[u8], offset: usize) -> usize {
    1 + bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn first_heading(body: &str) -> Option<String> {
    body.lines()
        .find_map(|l| l.strip_prefix("# "))
        .map(|h| decode_entities(h.trim()))
}

type FrontMatter = (serde_json::Map<String, Value>, usize);

/// Splits off front matter: returns it as a JSON object and the body's offset,
/// or the line and message of what is wrong with it.
fn split_front_matter(text: &str) -> std::result::Result<FrontMatter, (usize, String)> {
    let text_no_bom = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom = text.len() - text_no_bom.len();
    let first_line = text_no_bom.lines().next().unwrap_or("");
    let fence = match first_line.trim_end() {
        "---" => "---",
        "+++" => "+++",
        _ => return Ok((serde_json::Map::new(), 0)),
    };
    let content_start = bom + first_line.len() + line_break_len(&text[bom + first_line.len()..]);
    let mut at = content_start;
    while at < text.len() {
        let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        let line = text[at..line_end].trim_end();
        if line == fence || (fence == "---" && line == "...") {
            let content = &text[content_start..at];
            let body_start = (line_end + 1).min(text.len());
            let front = parse_front(content, fence).map_err(|(l, m)| (l + 1, m))?;
            return Ok((front, body_start));
        }
        at = line_end + 1;
    }
    Err((
        1,
        format!("front matter opened with `{fence}` on line 1 is never closed"),
    ))
}

fn line_break_len(rest: &str) -> usize {
    if rest.starts_with("\r\n") {
        2
    } else {
        usize::from(rest.starts_with('\n'))
    }
}

/// Parses front matter content; errors give the line within the content.
fn parse_front(
    content: &str,
    fence: &str,
) -> std::result::Result<serde_json::Map<String, Value>, (usize, String)> {
    let value: Value = if fence == "+++" {
        let table: toml::Table = toml::from_str(content).map_err(|e| {
            let line = e.span().map_or(1, |s| line_at(content.as_bytes(), s.start));
            (line, format!("bad TOML front matter: {}", e.message()))
        })?;
        serde_json::to_value(table).map_err(|e| (1, format!("bad TOML front matter: {e}")))?
    } else {
        if content.trim().is_empty() {
            return Ok(serde_json::Map::new());
        }
        let yaml: serde_norway::Value = serde_norway::from_str(content).map_err(|e| {
            let line = e.location().map_or(1, |l| yaml_line(content, l.line()));
            // The parser counts from the front matter's first line, the
            // file from the fence above it.
            (
                line,
                format!(
                    "bad YAML front matter: {}",
                    map_lines(&e.to_string(), |n| yaml_line(content, n) + 1)
                ),
            )
        })?;
        serde_json::to_value(yaml).map_err(|e| (1, format!("bad YAML front matter: {e}")))?
    };
    match value {
        Value::Object(map) => Ok(map),
        Value::Null => Ok(serde_json::Map::new()),
        other => Err((
            1,
            format!(
                "front matter must be a mapping of keys, not {}",
                kind_of(&other)
            ),
        )),
    }
}

/// The line, counted in `\n`s as everywhere else, of the YAML parser's
/// line `n` of `content`: YAML also breaks lines at a lone `\r`, NEL, LS
/// and PS, so a file with old Mac line ends has more YAML lines than lines.
fn yaml_line(content: &str, n: usize) -> usize {
    let mut breaks = 0;
    let mut chars = content.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if breaks + 1 >= n {
            return line_at(content.as_bytes(), at);
        }
        match c {
            '\r' if chars.peek().is_some_and(|&(_, next)| next == '\n') => {}
            '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}' => breaks += 1,
            _ => {}
        }
    }
    line_at(content.as_bytes(), content.len())
}

/// Rewrites every "line N" in a parser's message as `f(N)`.
fn map_lines(message: &str, f: impl Fn(usize) -> usize) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find("line ") {
        let (before, after) = rest.split_at(i + "line ".len());
        out.push_str(before);
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        match after[..digits].parse::<usize>() {
            Ok(n) => out.push_str(&f(n).to_string()),
            Err(_) => out.push_str(&after[..digits]),
        }
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Array(_) => "a list",
        Value::String(_) => "a string",
        Value::Number(_) => "a number",
        Value::Bool(_) => "a boolean",
        _ => "this",
    }
}

/// Finds lists of links in front matter (entries with a name or title and
/// a url or link) and where each entry stands in the front matter text.
fn front_links(front_text: &str, front: &serde_json::Map<String, Value>) -> Vec<FrontLink> {
    let mut links = Vec::new();
    let mut cursor = 0;
    for (key, value) in front {
        let Value::Array(items) = value else { continue };
        for item in items {
            let Value::Object(entry) = item else { continue };
            let name = ["name", "title", "text", "label"]
                .iter()
                .find_map(|k| entry.get(*k).and_then(scalar_text));
            let url = ["url", "link", "href"]
                .iter()
                .find_map(|k| entry.get(*k).and_then(scalar_text));
            let Some(name) = name else { continue };
            if url.is_none() && entry.len() > 1 {
                continue;
            }
            // Locate the entry in the raw text: its name, then its url.
            let found = front_text[cursor..]
                .find(name.as_str())
                .map(|i| cursor + i)
                .or_else(|| front_text.find(name.as_str()));
            let span = match found {
                Some(at) => {
                    let start = front_text[..at].rfind('\n').map_or(0, |i| i + 1);
                    let mut end = front_text[at..]
                        .find('\n')
                        .map_or(front_text.len(), |i| at + i);
                    if let Some(url) = &url
                        && let Some(u) = front_text[end..].find(url.as_str())
                    {
                        let u = end + u;
                        let between = &front_text[end..u];
                        if between.matches('\n').count() <= 2 && !between.contains("- ") {
                            end = front_text[u..]
                                .find('\n')
                                .map_or(front_text.len(), |i| u + i);
                        }
                    }
                    cursor = end;
                    start..end
                }
                None => 0..front_text.len(),
            };
            links.push(FrontLink {
                key: key.clone(),
                name: decode_entities(&name),
                url,
                span,
            });
        }
    }
    links
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn author_fields_split_into_names() {
        assert_eq!(
            split_names("Patrick Wilson, Isaac Newton, Nevil Maskelyne"),
            ["Patrick Wilson", "Isaac Newton", "Nevil Maskelyne"]
        );
        assert_eq!(split_names("Wilson, Patrick"), ["Wilson, Patrick"]);
        assert_eq!(
            split_names("Robert Boyle and Robert Hooke; J. Smith"),
            ["Robert Boyle", "Robert Hooke", "J. Smith"]
        );
        assert_eq!(
            split_names("Kris Hermes, Jane Doe, and John Roe"),
            ["Kris Hermes", "Jane Doe", "John Roe"]
        );
    }

    fn page(text: &str) -> Result<Page> {
        Page::parse("dir/Some Page.md", text.as_bytes().to_vec())
    }

    #[test]
    fn yaml_front_matter_with_entities_and_links() {
        let p = page("---\ntitle: Jail &amp; Court\ntypes:\n  - name: Seattle WTO\n    url: seattle-wto\n---\nBody\n")
            .unwrap();
        assert_eq!(p.title, "Jail & Court");
        assert_eq!(p.body(), "Body\n");
        assert_eq!(p.links.len(), 1);
        assert_eq!(p.links[0].name, "Seattle WTO");
        assert_eq!(
            &p.text[p.links[0].span.clone()],
            "  - name: Seattle WTO\n    url: seattle-wto"
        );
        assert_eq!(p.slug, "dir/some-page");
    }

    #[test]
    fn toml_front_matter() {
        let p =
            page("+++\ntitle = \"Hugo page\"\nauthor = \"A. Writer\"\n+++\n# Heading\n").unwrap();
        assert_eq!(p.title, "Hugo page");
        assert_eq!(p.source().authors, ["A. Writer"]);
    }

    #[test]
    fn no_front_matter_takes_the_first_heading() {
        let p = page("# A title\n\ntext\n").unwrap();
        assert_eq!(p.title, "A title");
        assert_eq!(p.body_start, 0);
    }

    #[test]
    fn bad_front_matter_reports_its_line() {
        let err = page("---\ntitle: ok\nauthor: [unclosed\n---\nbody\n").unwrap_err();
        let Error::Corpus { line, .. } = &err else {
            panic!("{err}")
        };
        assert_eq!(*line, 4, "{err}");
        // The parser's own line numbers are the file's too.
        assert!(
            err.to_string().contains("flow sequence at line 3 column 9"),
            "{err}"
        );
        // Lone carriage returns are line breaks to YAML, not to the file
        // (found by fuzzing: "line 63" of an 8-line file).
        let err = page("---\ntitle: \"A: b\ndate:\r\r\r\r\r\r 2016\n---\n\nbody\n").unwrap_err();
        let Error::Corpus { line, .. } = &err else {
            panic!("{err}")
        };
        assert!((2..=5).contains(line), "{err}");
        assert!(!err.to_string().contains("line 9"), "{err}");
        let err = page("---\ntitle: never closed\n").unwrap_err();
        assert!(err.to_string().contains(":1: front matter opened"), "{err}");
        let err = page("+++\ntitle = \n+++\n").unwrap_err();
        assert!(err.to_string().contains(":2: bad TOML"), "{err}");
    }

    #[test]
    fn invalid_utf8_and_binary_files_report_a_line() {
        let err = Page::parse("a.md", b"one\ntwo \xff\n".to_vec()).unwrap_err();
        assert!(
            err.to_string().starts_with("a.md:2: invalid UTF-8"),
            "{err}"
        );
        let err = Page::parse("b.md", b"\x89PNG\r\n\x1a\n\0\0".to_vec()).unwrap_err();
        assert!(err.to_string().contains("binary file"), "{err}");
    }
}

//! The digest of a catalog: what every command needs to open an index, and
//! the pages and sources looked up by key, written beside the catalog at
//! each commit. A CLI search reads this instead of parsing the whole
//! catalog: on the 8,128-page archive the catalog is 6 MB of JSON, and
//! parsing it, then building the source table, took half of a cold search.
//!
//! The file is lines: a JSON header, then three sections, each sorted by
//! its key and each line `key-as-JSON-string TAB rest`:
//! - stamps: every corpus file with its size, modification time and change;
//! - pages: the page of each indexed file, as JSON;
//! - sources: every source of the merged table, as JSON.
//!
//! A JSON string holds no raw tab or newline, so a line splits at its first
//! tab. Look-ups bisect a section by bytes, reading only the keys they pass.
//! The header carries the sections' lengths and a CRC-32 of them, checked
//! on every open, so a damaged digest is caught there, not in a look-up.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::{Catalog, PageInfo, Skipped};
use crate::corpus::{FileStamp, Version};
use crate::source::{Source, SourceTable};

/// Totals of what the index holds, for the summary of an open.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Totals {
    /// Pages indexed.
    pub pages: usize,
    /// Passages indexed.
    pub passages: usize,
    /// Quotations found.
    pub quotes: usize,
    /// Sources known.
    pub sources: usize,
}

#[derive(Debug, Serialize, Deserialize)]
struct Header {
    version: u32,
    /// The generator the site was read with.
    #[serde(default)]
    site: String,
    registry: Vec<FileStamp>,
    /// Corpus files the registry names as full texts.
    named_texts: Vec<String>,
    totals: Totals,
    /// Registry problems, then skipped files, by path.
    skipped: Vec<(String, Skipped)>,
    /// What was wrong in files that were indexed all the same, by path.
    #[serde(default)]
    warnings: Vec<(String, Skipped)>,
    /// Byte lengths of the stamps, pages and sources sections.
    sections: [usize; 3],
    /// CRC-32 of the three sections.
    crc: u32,
}

/// A parsed digest.
#[derive(Debug)]
pub struct Digest {
    header: Header,
    /// Size and modification time by corpus path.
    stamps: HashMap<String, Version>,
    bytes: Vec<u8>,
    pages: Range<usize>,
    sources: Range<usize>,
}

impl Digest {
    /// The digest of `catalog`, as bytes to write.
    pub fn build(catalog: &Catalog, sources: &SourceTable) -> Vec<u8> {
        let key = |k: &str| serde_json::to_string(k).unwrap_or_default();
        let mut stamps = String::new();
        let mut pages = String::new();
        for (path, file) in &catalog.files {
            let path = key(path);
            stamps.push_str(&format!(
                "{path}\t{}\t{}\t{}\n",
                file.size, file.mtime_ns, file.change
            ));
            if let Some(page) = &file.page {
                let json = serde_json::to_string(page).unwrap_or_default();
                pages.push_str(&format!("{path}\t{json}\n"));
            }
        }
        let mut by_id: Vec<&Source> = sources.iter().collect();
        by_id.sort_by(|a, b| a.id.cmp(&b.id));
        let mut source_lines = String::new();
        for source in by_id {
            let json = serde_json::to_string(source).unwrap_or_default();
            source_lines.push_str(&format!("{}\t{json}\n", key(&source.id)));
        }
        let indexed = || catalog.files.values().filter_map(|f| f.page.as_ref());
        let totals = Totals {
            pages: indexed().count(),
            passages: indexed().map(|p| p.passages as usize).sum(),
            quotes: indexed().map(|p| p.quotes as usize).sum(),
            sources: sources.len(),
        };
        let skipped = catalog
            .registry_errors
            .iter()
            .cloned()
            .chain(
                catalog
                    .files
                    .iter()
                    .filter_map(|(p, f)| f.skipped.clone().map(|s| (p.clone(), s))),
            )
            .collect();
        let warnings = catalog
            .files
            .iter()
            .flat_map(|(p, f)| f.warnings.iter().map(move |w| (p.clone(), w.clone())))
            .collect();
        let mut crc = crc32fast::Hasher::new();
        for section in [&stamps, &pages, &source_lines] {
            crc.update(section.as_bytes());
        }
        let header = Header {
            version: catalog.version,
            site: catalog.site.clone(),
            registry: catalog.registry.clone(),
            named_texts: catalog.named_texts(),
            totals,
            skipped,
            warnings,
            sections: [stamps.len(), pages.len(), source_lines.len()],
            crc: crc.finalize(),
        };
        let mut out = serde_json::to_vec(&header).unwrap_or_default();
        out.push(b'\n');
        for section in [stamps, pages, source_lines] {
            out.extend_from_slice(section.as_bytes());
        }
        out
    }

    /// Parses a digest, checking its sections against the header's CRC.
    pub fn parse(bytes: Vec<u8>) -> Result<Digest, String> {
        let end = memchr::memchr(b'\n', &bytes).ok_or("it has no header")?;
        let header: Header =
            serde_json::from_slice(&bytes[..end]).map_err(|e| format!("its header: {e}"))?;
        let [a, b, c] = header.sections;
        let start = end + 1;
        if bytes.len() != start + a + b + c {
            return Err(format!(
                "it is {} bytes long, not the {} its header says",
                bytes.len(),
                start + a + b + c
            ));
        }
        if crc32fast::hash(&bytes[start..]) != header.crc {
            return Err("its checksum does not match".into());
        }
        let mut stamps = HashMap::with_capacity(bytes[start..start + a].len() / 40);
        for line in lines(&bytes[start..start + a]) {
            let (path, rest) = split(line)?;
            let mut fields = rest.split(|&b| b == b'\t');
            let mut number = |what| -> Result<u128, String> {
                std::str::from_utf8(fields.next().unwrap_or_default())
                    .ok()
                    .and_then(|s| s.parse().ok())
                    .ok_or_else(|| format!("a stamp has no {what}"))
            };
            let size = u64::try_from(number("size")?).map_err(|e| e.to_string())?;
            let mtime_ns = number("time")?;
            let change = u64::try_from(number("change")?).map_err(|e| e.to_string())?;
            stamps.insert(path.into_owned(), (size, mtime_ns, change));
        }
        Ok(Digest {
            stamps,
            pages: start + a..start + a + b,
            sources: start + a + b..start + a + b + c,
            header,
            bytes,
        })
    }

    /// The digest of an index that holds nothing yet.
    pub fn empty() -> Digest {
        let bytes = Digest::build(&Catalog::new(), &SourceTable::default());
        Digest::parse(bytes).expect("the digest of an empty catalog parses")
    }

    /// Format version of the index it describes.
    pub fn version(&self) -> u32 {
        self.header.version
    }

    /// The registry files when they were read.
    pub fn registry(&self) -> &[FileStamp] {
        &self.header.registry
    }

    /// Corpus files the registry names as full texts.
    pub fn named_texts(&self) -> &[String] {
        &self.header.named_texts
    }

    /// What the index holds.
    pub fn totals(&self) -> Totals {
        self.header.totals
    }

    /// The generator the site was read with.
    pub fn site(&self) -> &str {
        &self.header.site
    }

    /// Registry problems and skipped files, by path.
    pub fn skipped(&self) -> &[(String, Skipped)] {
        &self.header.skipped
    }

    /// What was wrong in files indexed all the same, by path.
    pub fn warnings(&self) -> &[(String, Skipped)] {
        &self.header.warnings
    }

    /// Corpus files as processed: size and modification time by path.
    pub fn stamps(&self) -> &HashMap<String, Version> {
        &self.stamps
    }

    /// The page indexed from the corpus file at `path`.
    pub fn page(&self, path: &str) -> Option<PageInfo> {
        self.find(self.pages.clone(), path)
    }

    /// The source with id `id`.
    pub fn source(&self, id: &str) -> Option<Source> {
        self.find(self.sources.clone(), id)
    }

    /// Bisects a sorted section for the line of `key` and parses its value.
    fn find<T: DeserializeOwned>(&self, section: Range<usize>, key: &str) -> Option<T> {
        let bytes = &self.bytes;
        let (mut lo, mut hi) = (section.start, section.end);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let start = memchr::memrchr(b'\n', &bytes[lo..mid]).map_or(lo, |i| lo + i + 1);
            let end = memchr::memchr(b'\n', &bytes[start..hi]).map_or(hi, |i| start + i);
            let (found, rest) = split(&bytes[start..end]).ok()?;
            match (*found).cmp(key) {
                std::cmp::Ordering::Equal => return serde_json::from_slice(rest).ok(),
                std::cmp::Ordering::Less => lo = end + 1,
                std::cmp::Ordering::Greater => hi = start,
            }
        }
        None
    }
}

fn lines(section: &[u8]) -> impl Iterator<Item = &[u8]> {
    section
        .strip_suffix(b"\n")
        .unwrap_or(section)
        .split(|&b| b == b'\n')
        .filter(|line| !line.is_empty())
}

/// A line's key and the rest after its tab. A key without escapes is its
/// bytes between the quotes, borrowed: a look-up compares a dozen keys.
fn split(line: &[u8]) -> Result<(Cow<'_, str>, &[u8]), String> {
    let tab = memchr::memchr(b'\t', line).ok_or("a line has no key")?;
    let key = match &line[..tab] {
        [b'"', inner @ .., b'"'] if !inner.contains(&b'\\') => {
            Cow::Borrowed(std::str::from_utf8(inner).map_err(|e| format!("a key: {e}"))?)
        }
        raw => Cow::Owned(serde_json::from_slice(raw).map_err(|e| format!("a key: {e}"))?),
    };
    Ok((key, &line[tab + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::FileEntry;

    fn page(title: &str) -> PageInfo {
        PageInfo {
            title: title.into(),
            url: format!("/{title}/"),
            source: title.into(),
            slug: title.into(),
            passages: 2,
            quotes: 1,
            document: false,
        }
    }

    /// Keys with tabs, newlines, quotes and non-ASCII letters, and keys that
    /// sort next to each other, are all found by bisection, and nothing
    /// else is; a changed byte or a cut is caught when the digest is parsed.
    #[test]
    fn every_key_is_found_and_damage_is_caught() {
        let paths = [
            "a.md",
            "a\tb.md",
            "a\nb.md",
            "a\"b.md",
            "ab.md",
            "deep/a.md",
            "é.md",
            "z.md",
        ];
        let mut catalog = Catalog::new();
        for (i, path) in paths.iter().enumerate() {
            catalog.files.insert(
                path.to_string(),
                FileEntry {
                    size: i as u64,
                    mtime_ns: 1_000 + i as u128,
                    change: 7 * i as u64,
                    page: (i != 4).then(|| page(path)),
                    depends: vec![],
                    left_out: None,
                    support: false,
                    warnings: vec![],
                    skipped: (i == 4).then(|| Skipped {
                        line: 3,
                        message: "bad".into(),
                    }),
                    sources: vec![],
                    counts: Default::default(),
                },
            );
        }
        let sources = SourceTable::new(paths.iter().map(|id| Source {
            id: format!("src-{id}"),
            title: Some(id.to_string()),
            ..Source::default()
        }));
        let bytes = Digest::build(&catalog, &sources);
        let digest = Digest::parse(bytes.clone()).unwrap();
        assert_eq!(digest.totals().pages, paths.len() - 1);
        assert_eq!(digest.totals().sources, paths.len());
        assert_eq!(digest.skipped().len(), 1);
        for (i, path) in paths.iter().enumerate() {
            assert_eq!(
                digest.stamps()[*path],
                (i as u64, 1_000 + i as u128, 7 * i as u64)
            );
            assert_eq!(digest.page(path), (i != 4).then(|| page(path)), "{path:?}");
            let source = digest.source(&format!("src-{path}")).unwrap();
            assert_eq!(source.title.as_deref(), Some(*path));
        }
        for absent in ["", "a", "a\t", "b.md", "zz.md", "\u{10ffff}"] {
            assert_eq!(digest.page(absent), None, "{absent:?}");
            assert!(digest.source(absent).is_none(), "{absent:?}");
        }
        let empty = Digest::empty();
        assert_eq!(empty.page("a.md"), None);
        assert!(empty.source("a").is_none());

        for at in [bytes.len() / 2, bytes.len() - 2] {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x20;
            assert!(Digest::parse(damaged).is_err(), "a flip at {at} passed");
        }
        assert!(Digest::parse(bytes[..bytes.len() - 1].to_vec()).is_err());
        assert!(Digest::parse(Vec::new()).is_err());
    }
}

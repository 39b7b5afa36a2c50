//! Build: a corpus file turned into what the index holds of it — its page
//! split into passages and attributed, the Tantivy document of each
//! passage, and the file's catalog entry.

use std::collections::BTreeMap;

use tantivy::TantivyDocument;

use super::catalog::{Counts, FileEntry, PageInfo, Skipped};
use super::schema::{Fields, PassageData};
use crate::attribution::{self, Names};
use crate::corpus::FileStamp;
use crate::error::Result;
use crate::page::Page;
use crate::passage::{self, Passage, PassageKind};
use crate::site::{Published, Site};
use crate::source::{Source, SourceTable};

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
    /// For a downloaded source document: the record of its download (when
    /// and where from, a web archive's snapshot, what it says of itself).
    pub record: Option<crate::document::Record>,
    /// The corpus files the page was made from besides its own: the site's
    /// configuration, its layouts and includes, its authors' files.
    pub depends: Vec<String>,
}

/// What becomes of a corpus file.
#[derive(Debug)]
pub enum Built {
    /// A page, ready to index.
    Page(Box<Processed>),
    /// Nothing the site publishes, and why (a draft, a future post).
    LeftOut(String, Vec<String>),
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

/// Reads, splits and attributes one page; `slug`, when given, starts its
/// passage ids instead of its path's, which another file has.
pub fn process(
    site: &Site,
    path: &str,
    slug: Option<&str>,
    registry: &SourceTable,
    names: &Names,
) -> Result<Built> {
    let corpus = site.corpus();
    let with_slug = |page: Page| match slug {
        Some(slug) => page.with_slug(slug),
        None => page,
    };
    let owner = document_owner(registry, path);
    let is_document = owner.is_some() || crate::corpus::is_document_path(path);
    let format = crate::document::Format::of(path);
    if !is_document {
        let page = with_slug(corpus.read_page(path)?);
        return Ok(match site.publish(page)? {
            Published::Page { page, depends } => {
                let mut processed = process_page(*page, registry, names);
                processed.depends = depends;
                Built::Page(Box::new(processed))
            }
            Published::LeftOut(why) => Built::LeftOut(why, vec![]),
        });
    }
    if format == Some(crate::document::Format::Markdown) {
        let page = with_slug(corpus.read_page(path)?);
        let mut processed = process_page(page, registry, names);
        processed.document = Some(vec![]);
        processed.attach_record(corpus.fetch_record(path), path);
        return Ok(Built::Page(Box::new(processed)));
    }
    let bytes = corpus.read(path)?;
    let extracted = crate::document::extract(path, &bytes)?;
    // The document is read as a page whose front matter says what it is.
    let title = owner
        .map(Source::name)
        .or_else(|| extracted.title.clone())
        .unwrap_or_else(|| path.rsplit('/').next().unwrap_or(path).to_string());
    let mut front = serde_json::Map::new();
    front.insert("title".into(), title.into());
    let record = corpus.fetch_record(path);
    // A dead link's passages are linked where the text was read: the web
    // archive's snapshot.
    let archived = record
        .as_ref()
        .filter(|r| r.dead)
        .and_then(|r| r.archived_url.as_deref());
    if let Some(url) = archived.or_else(|| owner.and_then(|s| s.url.as_deref())) {
        front.insert("url".into(), url.into());
    }
    let page = with_slug(Page::from_text(path, extracted.markdown, front));
    let mut processed = process_page(page, registry, names);
    processed.document = Some(extracted.pages);
    processed.attach_record(record, path);
    Ok(Built::Page(Box::new(processed)))
}

/// Reads, splits and attributes a fragment that no page includes, as a
/// page of its own.
pub fn process_fragment(
    site: &Site,
    path: &str,
    registry: &SourceTable,
    names: &Names,
) -> Result<Processed> {
    let page = site.fragment(site.corpus().read_page(path)?)?;
    Ok(process_page(page, registry, names))
}

/// Splits and attributes a page already read.
pub fn process_page(mut page: Page, registry: &SourceTable, names: &Names) -> Processed {
    let (mut passages, warnings) = passage::split_warning(&page);
    page.warnings.extend(warnings);
    // A link that is not a web address is never handed out, nor followed
    // to a source; an email address or the like goes without a warning.
    for p in &mut passages {
        p.links.retain(|link| {
            let keep = crate::source::is_web_link(&link.url);
            if !keep && !crate::source::is_everyday_link(&link.url) {
                page.warnings.push((
                    p.line,
                    format!(
                        "the link `{}` is not a web address; it is dropped",
                        link.url
                    ),
                ));
            }
            keep
        });
    }
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
        record: None,
        depends: vec![],
    }
}

/// Gives the source whose full text was downloaded what the download's
/// record says: when and from where, the web archive's snapshot, and the
/// details the source states of itself, each field from the most trusted
/// place that states it, with where that was.
fn apply_record(own: &mut Source, record: &crate::document::Record) {
    own.accessed = Some(record.accessed.clone());
    own.url = Some(record.url.clone());
    own.archived_url.clone_from(&record.archived_url);
    own.archived_at.clone_from(&record.archived_at);
    own.url_dead = record.dead;
    for described in &record.details {
        let d = &described.details;
        let mut fill = |field: &str, mine: &mut Option<String>, theirs: &Option<String>| {
            if mine.is_none() && theirs.is_some() {
                mine.clone_from(theirs);
                own.provenance.insert(field.to_string(), described.from);
            }
        };
        fill("title", &mut own.title, &d.title);
        fill("date", &mut own.date, &d.date);
        fill("container", &mut own.container, &d.container);
        fill("publisher", &mut own.publisher, &d.publisher);
        fill("volume", &mut own.volume, &d.volume);
        fill("issue", &mut own.issue, &d.issue);
        fill("pages", &mut own.pages, &d.pages);
        fill("doi", &mut own.doi, &d.doi);
        if own.authors.is_empty() && !d.authors.is_empty() {
            own.authors.clone_from(&d.authors);
            own.provenance.insert("authors".into(), described.from);
        }
    }
}

impl Processed {
    /// Keeps the record of the download of the document at `path`; the
    /// record written, changed (`fetch --refresh-details`) or removed
    /// reprocesses the document.
    fn attach_record(&mut self, record: Option<crate::document::Record>, path: &str) {
        self.depends.push(crate::document::record_path(path));
        self.record = record;
    }

    /// The catalog entry for this page.
    pub(super) fn entry(&self, stamp: &FileStamp) -> FileEntry {
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
            if let Some(record) = &self.record {
                apply_record(&mut own, record);
            }
        }
        let mut sources = vec![own];
        sources.extend(self.discovered.iter().cloned());
        FileEntry {
            size: stamp.size,
            mtime_ns: stamp.mtime_ns,
            change: stamp.change,
            depends: self.depends.clone(),
            left_out: None,
            support: false,
            page: Some(PageInfo {
                title: self.page.title.clone(),
                url: self.page.url.clone(),
                source: self.source_id.clone(),
                slug: self.page.slug.clone(),
                passages: self.passages.len() as u32,
                quotes: self.passages.iter().map(|p| p.quotes.len() as u32).sum(),
                document: self.document.is_some(),
            }),
            warnings: self
                .page
                .warnings
                .iter()
                .map(|(line, message)| Skipped {
                    line: *line,
                    message: message.clone(),
                })
                .collect(),
            skipped: None,
            sources,
            counts,
        }
    }

    /// The Tantivy documents for this page's passages.
    pub(super) fn documents(&self, fields: &Fields) -> Vec<TantivyDocument> {
        self.passages
            .iter()
            .enumerate()
            .map(|(at, p)| {
                let mut doc = TantivyDocument::default();
                doc.add_text(fields.id, &p.id);
                doc.add_text(fields.page, &self.page.path);
                doc.add_text(fields.kind, p.kind.as_str());
                doc.add_text(fields.text, &p.text);
                doc.add_text(fields.stem, &p.text);
                doc.add_text(fields.title, &self.page.title);
                let shape = crate::rank::shape(p.kind, &p.text, &self.page.title, at == 0);
                doc.add_f64(fields.weight, f64::from(shape.weight()));
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
                let mut speakers: Vec<&String> = p
                    .quotes
                    .iter()
                    .filter_map(|q| q.speaker.as_ref())
                    .chain(p.excerpted_from.iter())
                    .collect();
                speakers.sort();
                speakers.dedup();
                for id in speakers {
                    doc.add_text(fields.speaker, id);
                }
                if let Some(section) = p.headings.first() {
                    doc.add_text(fields.section, section);
                }
                let work = p.excerpted_from.as_ref().unwrap_or(&self.source_id);
                if let Some((authors, year)) = self.works.get(work) {
                    for author in authors {
                        doc.add_text(fields.author, author);
                        doc.add_text(fields.authors, author);
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
                    file: p.file.clone(),
                    url: p.url.clone(),
                    quotes: p.quotes.clone(),
                    excerpted_from: p.excerpted_from.clone(),
                    cites: p.cites.clone(),
                    source_page: self
                        .document
                        .as_ref()
                        .and_then(|pages| crate::document::page_at(pages, p.span.start)),
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

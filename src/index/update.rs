//! Update: one commit that brings the index up to date — the changed files
//! processed on a pool of threads, their documents written, the catalog and
//! its digest written beside the segments, then the commit that names them.

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;
use tantivy::{IndexWriter, Term};

use super::Options;
use super::build::{Built, process, process_fragment};
use super::catalog::{CATALOG_PREFIX, Catalog, FileEntry, Payload, Skipped, digest_name};
use super::digest::Digest;
use super::schema::{FORMAT_VERSION, Fields};
use crate::attribution::Names;
use crate::corpus::FileStamp;
use crate::error::{Error, Result};
use crate::site::Site;
use crate::source::SourceTable;

pub(super) const WRITER_MEMORY: usize = 200_000_000;

pub(super) fn threads(options: &Options) -> usize {
    if options.threads > 0 {
        return options.threads;
    }
    std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 8)
}

/// What an update changes.
pub(super) struct Changes<'s> {
    /// Files to process, new or changed.
    pub todo: Vec<&'s FileStamp>,
    /// Supporting files new or changed (their pages are in `todo`).
    pub support: Vec<&'s FileStamp>,
    /// Files gone.
    pub removed: Vec<String>,
    /// The slugs of the files whose path's slug another file has.
    pub slugs: HashMap<String, String>,
}

pub(super) fn update(
    site: &Site,
    dir: &Path,
    mut writer: IndexWriter,
    fields: Fields,
    catalog: &mut Catalog,
    changes: &Changes,
    options: &Options,
) -> Result<(String, SourceTable, Digest)> {
    let (todo, removed) = (&changes.todo, &changes.removed);
    // A run killed after writing a segment's deletes but before its commit
    // leaves that file behind, and this run, making the same changes, would
    // give its own the same name and fail: first remove what no commit uses.
    writer.garbage_collect_files().wait()?;
    let supports = changes.support.iter().map(|s| &s.path);
    for path in removed
        .iter()
        .chain(todo.iter().map(|s| &s.path))
        .chain(supports)
    {
        writer.delete_term(Term::from_field_text(fields.page, path));
        catalog.files.remove(path);
    }
    for stamp in &changes.support {
        catalog.files.insert(
            stamp.path.clone(),
            FileEntry {
                support: true,
                ..FileEntry::of(stamp)
            },
        );
    }
    let registry = SourceTable::new(catalog.registry_sources.iter().cloned());
    let names = Names::new(&registry);
    let progress = progress_bar(options.progress, todo.len());
    let workers = threads(options).min(todo.len()).max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(workers)
        .build()
        .map_err(|e| Error::Index {
            path: dir.to_path_buf(),
            message: format!("cannot start the indexing threads: {e}"),
        })?;
    // One file at a time to each thread as it comes free: pages differ in
    // size by a thousand times.
    let entries = pool.install(|| {
        todo.par_iter()
            .with_max_len(1)
            .map(|stamp| {
                let slug = changes.slugs.get(&stamp.path).map(String::as_str);
                let entry = match process(site, &stamp.path, slug, &registry, &names) {
                    Ok(Built::Page(processed)) => {
                        for doc in processed.documents(&fields) {
                            writer.add_document(doc)?;
                        }
                        processed.entry(stamp)
                    }
                    Ok(Built::LeftOut(why, depends)) => FileEntry {
                        left_out: Some(why),
                        depends,
                        ..FileEntry::of(stamp)
                    },
                    Err(Error::Corpus { line, message, .. }) => FileEntry {
                        skipped: Some(Skipped { line, message }),
                        ..FileEntry::of(stamp)
                    },
                    Err(e) => return Err(e),
                };
                progress.inc(1);
                Ok((stamp.path.clone(), entry))
            })
            .collect::<Result<Vec<_>>>()
    });
    progress.finish_and_clear();
    catalog.files.extend(entries?);
    fragments(site, &writer, fields, catalog, &registry, &names)?;
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
    if let Some(hook) = options.before_commit {
        hook();
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

/// A fragment that no page includes is indexed on its own, saying so; one
/// that a page includes now, and was indexed on its own, is no longer.
fn fragments(
    site: &Site,
    writer: &IndexWriter,
    fields: Fields,
    catalog: &mut Catalog,
    registry: &SourceTable,
    names: &Names,
) -> Result<()> {
    let included: std::collections::HashSet<String> = catalog
        .files
        .values()
        .flat_map(|f| f.depends.iter().cloned())
        .collect();
    let fragments: Vec<String> = catalog
        .files
        .iter()
        .filter(|(path, f)| f.support && site.is_fragment(path))
        .map(|(path, _)| path.clone())
        .collect();
    for path in fragments {
        let Some(entry) = catalog.files.get(&path) else {
            continue;
        };
        let orphan = !included.contains(&path);
        let indexed = entry.page.is_some();
        if orphan && !indexed {
            let stamp = FileStamp {
                path: path.clone(),
                size: entry.size,
                mtime_ns: entry.mtime_ns,
                change: entry.change,
            };
            let fresh = match process_fragment(site, &path, registry, names) {
                Ok(processed) => {
                    for doc in processed.documents(&fields) {
                        writer.add_document(doc)?;
                    }
                    processed.entry(&stamp)
                }
                Err(Error::Corpus { line, message, .. }) => FileEntry {
                    skipped: Some(Skipped { line, message }),
                    ..FileEntry::of(&stamp)
                },
                Err(e) => return Err(e),
            };
            catalog.files.insert(
                path,
                FileEntry {
                    support: true,
                    ..fresh
                },
            );
        } else if !orphan && indexed {
            writer.delete_term(Term::from_field_text(fields.page, &path));
            if let Some(entry) = catalog.files.get_mut(&path) {
                *entry = FileEntry {
                    support: true,
                    ..FileEntry::of(&FileStamp {
                        path: path.clone(),
                        size: entry.size,
                        mtime_ns: entry.mtime_ns,
                        change: entry.change,
                    })
                };
            }
        }
    }
    Ok(())
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

//! Keeping a served view current: updates from the watched corpus once it
//! stands still, reloads of commits made by another process, and what went
//! wrong with either for `/healthz`.

use std::sync::Arc;

use super::{RELOAD_EVERY, Shared};
use crate::corpus::FileStamp;
use crate::error::Error;
use crate::index::{self, Index, Summary};
use crate::site::{Site, SiteOptions};

impl Shared {
    /// Why the service is degraded, if it is: the last update or reload
    /// failed, and the view served is the last good one.
    pub fn trouble(&self) -> Option<String> {
        let trouble = self.trouble.lock().unwrap_or_else(|p| p.into_inner());
        let reasons: Vec<&str> = [&trouble.update, &trouble.reload]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect();
        (!reasons.is_empty()).then(|| reasons.join("; "))
    }

    fn note(&self, set: impl FnOnce(&mut Trouble)) {
        set(&mut self.trouble.lock().unwrap_or_else(|p| p.into_inner()));
    }

    /// Brings the index up to date with `corpus` when a page, source
    /// document or registry file was added, changed or removed since the
    /// current view was indexed, reprocessing only those files, and swaps
    /// the result in. Requests in flight finish on the view they started
    /// with. `None` when nothing changed, and when the corpus changed since
    /// the last look: it is indexed when it has stood still for one look.
    pub fn update(&self, site: &Site) -> crate::Result<Option<Summary>> {
        let current = self.current();
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        if current.index.is_current(site)? {
            *seen = None;
            return Ok(None);
        }
        let scan = site.scan()?;
        let now: Vec<FileStamp> = (scan.pages.into_iter())
            .chain(scan.support)
            .chain(scan.registry)
            .collect();
        if seen.as_ref() != Some(&now) {
            *seen = Some(now);
            return Ok(None);
        }
        *seen = None;
        let options = index::Options::default();
        let (index, summary) = Index::open(site, current.index.dir(), &options)?;
        if summary.stale {
            // Another process holds the index and is updating it: its
            // commit is swapped in by `reload` when it lands.
            return Ok(None);
        }
        index.preload()?;
        self.swap(index);
        Ok(Some(summary))
    }

    /// Swaps in the index's newest commit if there is one; says whether it did.
    pub fn reload(&self) -> crate::Result<bool> {
        let current = self.current();
        let Some(index) = current.index.reopen_if_changed()? else {
            return Ok(false);
        };
        index.preload()?;
        self.swap(index);
        Ok(true)
    }
}

/// The site a server keeps its index current with, read anew at each look.
#[derive(Debug, Clone)]
pub struct Watch {
    /// The corpus directory.
    pub root: std::path::PathBuf,
    /// How to read it.
    pub options: SiteOptions,
}

/// What keeps the service from being current.
#[derive(Debug, Default)]
pub(super) struct Trouble {
    /// Why the last update from the corpus failed.
    update: Option<String>,
    /// Why the last reload of the index failed.
    reload: Option<String>,
}

/// Keeps the served view current, forever: updates the index when the
/// watched corpus changed, and swaps in a commit made by another process.
pub(super) async fn watch(shared: Arc<Shared>, corpus: Option<Watch>) {
    loop {
        tokio::time::sleep(RELOAD_EVERY).await;
        if let Some(corpus) = &corpus {
            let (work, corpus) = (shared.clone(), corpus.clone());
            // The site is read again each time: its configuration may have changed.
            let update = move || work.update(&Site::open(&corpus.root, &corpus.options)?);
            let failed = match tokio::task::spawn_blocking(update).await {
                Ok(Ok(Some(summary))) => {
                    eprintln!("citeindex: the corpus changed; now serving {summary}");
                    for problem in &summary.skipped {
                        eprintln!("citeindex: skipped {problem}");
                    }
                    for warning in &summary.warnings {
                        eprintln!("citeindex: warning: {warning}");
                    }
                    None
                }
                Ok(Ok(None)) => None,
                Ok(Err(e @ Error::CorpusDir { .. })) => {
                    Some(format!("corpus unreadable, index kept: {e}"))
                }
                Ok(Err(e)) => Some(format!(
                    "cannot update the index from the corpus, index kept: {e}"
                )),
                // A panic or a cancelled task: the update is not happening.
                Err(e) => Some(format!("the update task failed, index kept: {e}")),
            };
            report(&shared, failed, |t| &mut t.update);
        }
        let work = shared.clone();
        let failed = match tokio::task::spawn_blocking(move || work.reload()).await {
            Ok(Ok(true)) => {
                eprintln!("citeindex: the index changed; serving its newest commit");
                None
            }
            Ok(Ok(false)) => None,
            Ok(Err(e)) => Some(format!("cannot reload the index yet: {e}")),
            Err(e) => Some(format!("the reload task failed: {e}")),
        };
        report(&shared, failed, |t| &mut t.reload);
    }
}

/// Notes what went wrong (or that it is right again) for `/healthz`, and
/// logs it once, not twice a second; the last good view still answers.
fn report(shared: &Shared, failed: Option<String>, slot: fn(&mut Trouble) -> &mut Option<String>) {
    shared.note(|trouble| {
        let slot = slot(trouble);
        match &failed {
            Some(why) if slot.as_deref() != Some(why) => eprintln!("citeindex: {why}"),
            None if slot.is_some() => eprintln!("citeindex: recovered; the index is current"),
            _ => {}
        }
        *slot = failed;
    });
}

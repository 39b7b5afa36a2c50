//! `citeindex fetch`: download the full texts of linked sources.

use std::collections::HashMap;

use citeindex::{
    ArchiveUse, Corpus, EXIT_NOT_FOUND, EXIT_OK, Error, Outcome, Published, Site, Source,
    SourceTable,
};

use super::{Global, Output};

/// Download the full text of each linked source into corpus/sources/.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Only these sources (ids); all with a URL when none are given.
    ids: Vec<String>,
    /// Replace texts already in the corpus.
    #[arg(long)]
    force: bool,
    /// Seconds allowed for each download.
    #[arg(long, default_value_t = 30)]
    timeout: u64,
    /// Largest text accepted, in bytes.
    #[arg(long, default_value_t = 50 * 1024 * 1024)]
    max_bytes: u64,
    /// Redirects followed before giving up.
    #[arg(long, default_value_t = 5)]
    max_redirects: u32,
    /// Read each source from the web archive's snapshot first, the link
    /// itself only when there is none.
    #[arg(long, conflicts_with = "no_archive")]
    archive: bool,
    /// Never ask the web archive, even for a dead link.
    #[arg(long)]
    no_archive: bool,
    /// The web archive asked for snapshots of dead links (its availability
    /// API is BASE/wayback/available).
    #[arg(long, value_name = "BASE", default_value = citeindex::INTERNET_ARCHIVE,
          value_parser = super::serve::parse_site_url)]
    archive_url: String,
    /// The DOI resolver asked for the record of a DOI found in a source's
    /// page or address (as BASE/DOI, for CSL-JSON); `none`, no DOI is
    /// resolved.
    #[arg(long, value_name = "BASE", default_value = citeindex::DOI_RESOLVER,
          value_parser = parse_doi_url)]
    doi_url: String,
    /// For texts already in the corpus: read their details again (from the
    /// text saved and its DOI's record) instead of keeping them as they are.
    #[arg(long)]
    refresh_details: bool,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(global: &Global, args: Args, out: &mut Output) -> anyhow::Result<u8> {
    let corpus = Corpus::open(&global.corpus)?;
    let (sources, problems) = corpus.read_registry(&corpus.scan()?.registry);
    for problem in problems {
        eprintln!("citeindex: skipped {problem}");
    }
    let table = SourceTable::new(sources);
    let chosen: Vec<Source> = if args.ids.is_empty() {
        table.iter().cloned().collect()
    } else {
        args.ids
            .iter()
            .map(|id| match table.by_name(id) {
                Some(s) if citeindex::has_text_to_fetch(s) => Ok(s.clone()),
                Some(_) => Err(Error::parameter(
                    "source",
                    format!("`{id}` has no http(s) URL of a work to fetch"),
                )),
                None => Err(Error::UnknownSource {
                    name: id.clone(),
                    hint: String::new(),
                }),
            })
            .collect::<Result<_, _>>()?
    };
    let options = citeindex::FetchOptions {
        force: args.force,
        timeout: std::time::Duration::from_secs(args.timeout),
        max_bytes: args.max_bytes,
        max_redirects: args.max_redirects,
        archive: if args.archive {
            ArchiveUse::First
        } else if args.no_archive {
            ArchiveUse::Never
        } else {
            ArchiveUse::WhenDead
        },
        archive_url: args.archive_url,
        doi_url: args.doi_url,
        refresh_details: args.refresh_details,
        dates: if args.no_archive {
            Default::default()
        } else {
            citing_dates(global, &chosen)
        },
    };
    let fetched = citeindex::fetch_all(&corpus, &chosen, &options);
    out.answer(args.json, &fetched, |w, fetched, style| {
        citeindex::write_fetched(w, fetched, style)
    })?;
    let failed = fetched
        .iter()
        .any(|f| matches!(f.outcome, Outcome::Failed { .. }));
    Ok(if failed { EXIT_NOT_FOUND } else { EXIT_OK })
}

/// For each of `sources` with a URL and no date, the earliest date of the
/// corpus pages that link to it (as the site publishes them): the day to
/// look for a web archive's snapshot of a dead link. A page that cannot be
/// read is passed over; `index` reports it.
fn citing_dates(global: &Global, sources: &[Source]) -> HashMap<String, String> {
    let undated: Vec<(&str, &str)> = sources
        .iter()
        .filter(|s| s.date.is_none())
        .filter_map(|s| Some((s.id.as_str(), s.url.as_deref()?)))
        .collect();
    let mut dates: HashMap<String, String> = HashMap::new();
    if undated.is_empty() {
        return dates;
    }
    let Ok(site) = Site::open(&global.corpus, &global.site_options()) else {
        return dates;
    };
    let Ok(scan) = site.scan() else {
        return dates;
    };
    for stamp in &scan.pages {
        let Ok(bytes) = site.corpus().read(&stamp.path) else {
            continue;
        };
        let linking: Vec<&str> = undated
            .iter()
            .filter(|(_, url)| memchr::memmem::find(&bytes, url.as_bytes()).is_some())
            .map(|(id, _)| *id)
            .collect();
        if linking.is_empty() {
            continue;
        }
        let date = site
            .corpus()
            .read_page(&stamp.path)
            .and_then(|page| site.publish(page))
            .ok()
            .and_then(|published| match published {
                // The date the site publishes it under, else its front
                // matter's.
                Published::Page { page, .. } => page.source().date,
                Published::LeftOut(_) => None,
            });
        let Some(date) = date else { continue };
        for id in linking {
            let earliest = dates.entry(id.to_string()).or_insert_with(|| date.clone());
            if date < *earliest {
                earliest.clone_from(&date);
            }
        }
    }
    dates
}

/// A DOI resolver's address, or `none` (kept as the empty string): a bad
/// one is a usage error, as every other bad flag is.
fn parse_doi_url(url: &str) -> Result<String, String> {
    match url {
        "none" | "" => Ok(String::new()),
        url => super::serve::parse_site_url(url),
    }
}

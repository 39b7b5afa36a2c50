//! Fetch: downloads the full text of each linked source into the corpus,
//! so that it is indexed as the source's own and quotes can be verified.
//!
//! Each download is bounded (a time limit for the whole exchange, a size
//! limit, a few redirects), must be HTML, PDF, plain text or Markdown, says
//! who is asking (User-Agent), and is written next to a record of where and
//! when it was retrieved, which citations give as "accessed". Nothing is
//! overwritten without `force`; one failure is reported and the others go on.

use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;

use crate::corpus::Corpus;
use crate::details::{self, Details};
use crate::document::{Described, FOLDER, Format, Record, record_path};
use crate::source::{Origin, Source, SourceKind};

mod archive;
pub use archive::{ArchiveUse, INTERNET_ARCHIVE};

/// The User-Agent of every request.
pub const USER_AGENT: &str = concat!(
    "citeindex/",
    env!("CARGO_PKG_VERSION"),
    " (full-text source fetcher; https://github.com/citeindex/citeindex)"
);

/// Limits of a fetch run.
#[derive(Debug, Clone)]
pub struct Options {
    /// Replace texts already in the corpus.
    pub force: bool,
    /// Time allowed for each download, from connecting to the last byte.
    pub timeout: Duration,
    /// Largest body accepted, in bytes.
    pub max_bytes: u64,
    /// Redirects followed before giving up.
    pub max_redirects: u32,
    /// When to read a source from a web archive's snapshot.
    pub archive: ArchiveUse,
    /// The web archive: its availability API is `BASE/wayback/available`.
    pub archive_url: String,
    /// The DOI resolver, asked for a DOI's CSL-JSON record as
    /// `BASE/DOI`; empty, no DOI is resolved.
    pub doi_url: String,
    /// For a text already in the corpus: read its details again (from the
    /// text saved, and its DOI's record), rather than keep it as it is.
    pub refresh_details: bool,
    /// The day to look for a snapshot of a source with no date of its own,
    /// by source id: the date of the page that cites it.
    pub dates: HashMap<String, String>,
}

/// The DOI resolver, which answers a DOI with its registrar's record.
pub const DOI_RESOLVER: &str = "https://doi.org";

impl Default for Options {
    fn default() -> Self {
        Options {
            force: false,
            timeout: Duration::from_secs(30),
            max_bytes: 50 * 1024 * 1024,
            max_redirects: 5,
            archive: ArchiveUse::WhenDead,
            archive_url: archive::INTERNET_ARCHIVE.to_string(),
            doi_url: DOI_RESOLVER.to_string(),
            refresh_details: false,
            dates: HashMap::new(),
        }
    }
}

/// What became of one source.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case", tag = "status")]
pub enum Outcome {
    /// Downloaded and saved.
    Saved {
        /// Corpus path of the text.
        path: String,
        /// Its size in bytes.
        bytes: u64,
        /// The web archive's snapshot it was read from, when the link is
        /// dead (or `--archive` asked for it first).
        #[serde(skip_serializing_if = "Option::is_none")]
        archived_url: Option<String>,
        /// Where details of the source were read (its page, its PDF, a
        /// snapshot, its DOI's record); a field is filled only where the
        /// registry is silent.
        #[schema(value_type = Vec<String>)]
        details_from: Vec<Origin>,
        /// What went wrong short of failing (a DOI that did not resolve).
        #[serde(skip_serializing_if = "Vec::is_empty")]
        warnings: Vec<String>,
    },
    /// A text is already there; `force` replaces it.
    Kept {
        /// Corpus path of the text there.
        path: String,
    },
    /// A text already there, whose details were read again.
    Refreshed {
        /// Corpus path of the text there.
        path: String,
        /// Where its details were read.
        #[schema(value_type = Vec<String>)]
        details_from: Vec<Origin>,
        /// What went wrong short of failing.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        warnings: Vec<String>,
    },
    /// The download failed; nothing was written.
    Failed {
        /// Why.
        message: String,
    },
}

/// One source's fetch.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Fetched {
    /// The source id.
    pub id: String,
    /// Where its text was asked for.
    pub url: String,
    /// What happened.
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// Whether a source is a work with a text to fetch, rather than a person
/// or an organisation whose URL is a home page.
pub fn has_text_to_fetch(source: &Source) -> bool {
    source
        .url
        .as_deref()
        .is_some_and(|u| u.starts_with("http://") || u.starts_with("https://"))
        && !matches!(source.kind, SourceKind::Organisation | SourceKind::Person)
}

/// The corpus path of a text of `id` already in the corpus, if one is.
fn existing(corpus: &Corpus, source: &Source) -> Option<String> {
    let is_file = |p: &str| corpus.resolve(p).is_ok_and(|path| path.is_file());
    if let Some(text) = &source.text
        && is_file(text)
    {
        return Some(text.clone());
    }
    ["html", "pdf", "txt", "md"]
        .iter()
        .map(|ext| format!("{FOLDER}/{}.{ext}", source.id))
        .find(|p| is_file(p))
}

/// Fetches the text of each of `sources` into `corpus`; nothing is read or
/// written outside it, whatever the registry's ids and paths say.
pub fn fetch_all(corpus: &Corpus, sources: &[Source], options: &Options) -> Vec<Fetched> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(options.timeout))
        .max_redirects(options.max_redirects)
        .user_agent(USER_AGENT)
        .http_status_as_error(false)
        .build()
        .into();
    sources
        .iter()
        .filter(|s| has_text_to_fetch(s))
        .map(|source| {
            let url = source.url.clone().unwrap_or_default();
            let outcome = match existing(corpus, source).filter(|_| !options.force) {
                Some(path) if options.refresh_details => {
                    match refresh(&agent, corpus, &path, options) {
                        Ok((details_from, warnings)) => Outcome::Refreshed {
                            path,
                            details_from,
                            warnings,
                        },
                        Err(message) => Outcome::Failed { message },
                    }
                }
                Some(path) => Outcome::Kept { path },
                None => match fetch_one(&agent, corpus, source, &url, options) {
                    Ok(outcome) => outcome,
                    Err(message) => Outcome::Failed { message },
                },
            };
            Fetched {
                id: source.id.clone(),
                url,
                outcome,
            }
        })
        .collect()
}

/// A text downloaded, before it is saved.
struct Download {
    final_url: String,
    content_type: String,
    format: Format,
    body: Vec<u8>,
}

/// Why a download failed, and whether that says the link is dead: gone
/// (404, 410), its host unknown or unreachable, or answering with no text.
struct Failure {
    message: String,
    dead: bool,
    /// Whether the address is gone for good (404, 410, a host no longer
    /// known), rather than unreadable now: then citations give the
    /// snapshot instead.
    gone: bool,
}

impl Failure {
    fn new(message: impl Into<String>, dead: bool) -> Failure {
        Failure {
            message: message.into(),
            dead,
            gone: false,
        }
    }

    fn gone(message: impl Into<String>) -> Failure {
        Failure {
            gone: true,
            ..Failure::new(message, true)
        }
    }
}

fn fetch_one(
    agent: &ureq::Agent,
    corpus: &Corpus,
    source: &Source,
    url: &str,
    options: &Options,
) -> Result<Outcome, String> {
    // An id such as `../x` would write outside the corpus: refused before
    // anything is downloaded.
    corpus
        .resolve_for_writing(&format!("{FOLDER}/{}.html", source.id))
        .map_err(|e| e.to_string())?;
    let date = source
        .date
        .as_deref()
        .or_else(|| options.dates.get(&source.id).map(String::as_str));
    let from_archive = |why: Option<&str>| {
        archive::snapshot(agent, date, url, options, |u| download(agent, u, options)).map_err(|e| {
            match why {
                Some(why) => format!("{why}; {e}"),
                None => e,
            }
        })
    };
    // Whether the link is dead: then citations give the snapshot's address.
    let (download, snapshot, dead) = match options.archive {
        ArchiveUse::First => match from_archive(None) {
            Ok((d, snapshot)) => (d, Some(snapshot), false),
            Err(_) => (
                download(agent, url, options).map_err(|f| f.message)?,
                None,
                false,
            ),
        },
        ArchiveUse::WhenDead | ArchiveUse::Never => match download(agent, url, options) {
            Ok(d) if !archive::front_page_instead(url, &d.final_url) => (d, None, false),
            Ok(d) if options.archive == ArchiveUse::Never => (d, None, false),
            Ok(d) => {
                let why = format!("{url} now redirects to the front page {}", d.final_url);
                let (d, snapshot) = from_archive(Some(&why))?;
                (d, Some(snapshot), true)
            }
            Err(failure) if failure.dead && options.archive == ArchiveUse::WhenDead => {
                let (d, snapshot) = from_archive(Some(&failure.message))?;
                (d, Some(snapshot), failure.gone)
            }
            Err(failure) => return Err(failure.message),
        },
    };
    let (described, warnings) = describe(
        agent,
        &download.body,
        download.format,
        &download.final_url,
        url,
        snapshot.is_some(),
        options,
    );
    let path = format!("{FOLDER}/{}.{}", source.id, download.format.extension());
    let record = Record {
        url: url.to_string(),
        final_url: download.final_url,
        content_type: download.content_type,
        accessed: today(),
        archived_url: snapshot.as_ref().map(|s| s.url.clone()),
        archived_at: snapshot.as_ref().map(|s| s.date.clone()),
        dead,
        details: described,
    };
    let body = download.body;
    // A text of another format fetched before is replaced, not kept beside.
    if let Some(old) = existing(corpus, source).filter(|old| *old != path) {
        for old in [old.clone(), record_path(&old)] {
            if let Ok(old) = corpus.resolve(&old) {
                let _ = std::fs::remove_file(old);
            }
        }
    }
    let record_json = serde_json::to_vec_pretty(&record).map_err(|e| e.to_string())?;
    let writable = |p: &str| corpus.resolve_for_writing(p).map_err(|e| e.to_string());
    write_atomically(&writable(&record_path(&path))?, &record_json)
        .map_err(|e| format!("cannot write {}: {e}", record_path(&path)))?;
    write_atomically(&writable(&path)?, &body).map_err(|e| format!("cannot write {path}: {e}"))?;
    Ok(Outcome::Saved {
        path,
        bytes: body.len() as u64,
        archived_url: record.archived_url,
        details_from: record.details.iter().map(|d| d.from).collect(),
        warnings,
    })
}

/// Reads again the details of the text at corpus path `path`, fetched
/// before, from the text saved and its DOI's record, and rewrites its
/// record with them.
fn refresh(
    agent: &ureq::Agent,
    corpus: &Corpus,
    path: &str,
    options: &Options,
) -> Result<(Vec<Origin>, Vec<String>), String> {
    let mut record = corpus.fetch_record(path).ok_or_else(|| {
        format!(
            "{path} has no record of its download ({}); fetch it again with --force",
            record_path(path)
        )
    })?;
    let format = Format::of(path).ok_or_else(|| format!("{path} is not a text citeindex reads"))?;
    let body = corpus.read(path).map_err(|e| e.to_string())?;
    let (described, warnings) = describe(
        agent,
        &body,
        format,
        &record.final_url,
        &record.url,
        record.archived_url.is_some(),
        options,
    );
    // A DOI record read before is kept when the resolver fails now.
    let mut described = described;
    let resolved = described.iter().any(|d| d.from == Origin::Doi);
    if !resolved
        && !warnings.is_empty()
        && let Some(before) = record.details.iter().find(|d| d.from == Origin::Doi)
    {
        described.insert(0, before.clone());
    }
    record.details = described;
    let json = serde_json::to_vec_pretty(&record).map_err(|e| e.to_string())?;
    let target = corpus
        .resolve_for_writing(&record_path(path))
        .map_err(|e| e.to_string())?;
    write_atomically(&target, &json)
        .map_err(|e| format!("cannot write {}: {e}", record_path(path)))?;
    Ok((record.details.iter().map(|d| d.from).collect(), warnings))
}

/// What a text says of its source, and what its DOI's record says, the
/// most trusted first: the DOI's record (the publisher's own deposit),
/// then the page's or PDF's markup. A DOI that does not resolve is a
/// warning, not a failure.
fn describe(
    agent: &ureq::Agent,
    body: &[u8],
    format: Format,
    answered_url: &str,
    asked_url: &str,
    archived: bool,
    options: &Options,
) -> (Vec<Described>, Vec<String>) {
    let own = match format {
        Format::Html => Some(Described {
            from: if archived {
                Origin::Archive
            } else {
                Origin::Page
            },
            details: details::from_html(&String::from_utf8_lossy(body), answered_url),
        }),
        Format::Pdf => Some(Described {
            from: Origin::Pdf,
            details: details::from_pdf(body),
        }),
        Format::Text | Format::Markdown => None,
    };
    let doi = own
        .as_ref()
        .and_then(|d| d.details.doi.clone())
        .or_else(|| details::doi_in(asked_url));
    let mut found = Vec::new();
    let mut warnings = Vec::new();
    if let Some(doi) = doi.filter(|_| !options.doi_url.is_empty()) {
        match resolve_doi(agent, &doi, options) {
            Ok(details) if !details.is_empty() => found.push(Described {
                from: Origin::Doi,
                details,
            }),
            Ok(_) => {}
            Err(e) => warnings.push(format!("the DOI {doi} was not resolved: {e}")),
        }
    }
    found.extend(own.filter(|d| !d.details.is_empty()));
    (found, warnings)
}

/// The CSL-JSON record of `doi`, asked of the DOI resolver by content
/// negotiation, bounded as a download is.
fn resolve_doi(agent: &ureq::Agent, doi: &str, options: &Options) -> Result<Details, String> {
    // A DOI may hold any printable character: those that would change the
    // address's meaning are escaped; its slashes are kept.
    let escaped: String = doi
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'.'
            | b'_'
            | b'~'
            | b'/'
            | b':'
            | b'('
            | b')'
            | b';' => (b as char).to_string(),
            b => format!("%{b:02X}"),
        })
        .collect();
    let asked = format!("{}/{escaped}", options.doi_url.trim_end_matches('/'));
    let mut answer = agent
        .get(&asked)
        .header("Accept", "application/vnd.citationstyles.csl+json")
        .call()
        .map_err(|e| format!("the resolver did not answer ({e})"))?;
    if !answer.status().is_success() {
        return Err(format!("the resolver answered {}", answer.status()));
    }
    let bytes = answer
        .body_mut()
        .with_config()
        .limit(1 << 20)
        .read_to_vec()
        .map_err(|e| format!("its answer could not be read ({e})"))?;
    let item: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|_| "its answer is not CSL-JSON".to_string())?;
    Ok(details::from_csl_json(&item))
}

/// Downloads `url` within `options`' bounds: a text of one of the formats
/// indexed, or why not.
fn download(agent: &ureq::Agent, url: &str, options: &Options) -> Result<Download, Failure> {
    use ureq::ResponseExt as _;
    let mut response = agent.get(url).call().map_err(|e| match e {
        ureq::Error::TooManyRedirects => Failure::new(
            format!("more than {} redirects", options.max_redirects),
            false,
        ),
        ureq::Error::Timeout(_) => Failure::new(
            format!("no answer within {} s", options.timeout.as_secs_f32()),
            false,
        ),
        ureq::Error::HostNotFound => Failure::gone(format!("{url}: no such host")),
        ureq::Error::ConnectionFailed | ureq::Error::Io(_) => {
            Failure::new(format!("{url}: {e}"), true)
        }
        e => Failure::new(e.to_string(), false),
    })?;
    let status = response.status();
    if !status.is_success() {
        let gone = status.as_u16() == 404 || status.as_u16() == 410;
        let message = format!("the server answered {status}");
        return Err(match gone {
            true => Failure::gone(message),
            false => Failure::new(message, false),
        });
    }
    let final_url = response.get_uri().to_string();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let format = match mime.as_str() {
        "text/html" | "application/xhtml+xml" => Format::Html,
        "application/pdf" => Format::Pdf,
        "text/plain" => Format::Text,
        "text/markdown" | "text/x-markdown" => Format::Markdown,
        "" => return Err(Failure::new("the answer has no content type", true)),
        other => {
            return Err(Failure::new(
                format!("the answer is {other}, not HTML, PDF, plain text or Markdown"),
                true,
            ));
        }
    };
    let body = response
        .body_mut()
        .with_config()
        .limit(options.max_bytes)
        .read_to_vec()
        .map_err(|e| match e {
            ureq::Error::BodyExceedsLimit(_) => Failure::new(
                format!(
                    "the text is larger than the limit of {} bytes",
                    options.max_bytes
                ),
                false,
            ),
            ureq::Error::Timeout(_) => Failure::new(
                format!(
                    "the download took longer than {} s",
                    options.timeout.as_secs_f32()
                ),
                false,
            ),
            e => Failure::new(e.to_string(), false),
        })?;
    if format == Format::Pdf && !body.starts_with(b"%PDF-") {
        return Err(Failure::new("the answer says PDF but is not one", true));
    }
    Ok(Download {
        final_url,
        content_type,
        format,
        body,
    })
}

/// Writes a file under a temporary name and renames it into place, so that
/// an index run never reads half a download.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let folder = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary: PathBuf = folder.join(format!(".{name}.part"));
    let mut file = std::fs::File::create(&temporary)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&temporary, path)
}

/// Today's date in UTC, `YYYY-MM-DD`.
pub fn today() -> String {
    jiff::tz::Offset::UTC
        .to_datetime(jiff::Timestamp::now())
        .date()
        .to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn today_is_a_calendar_date() {
        let today = super::today();
        assert_eq!(today.len(), 10, "{today}");
        assert!(
            jiff::civil::Date::strptime("%Y-%m-%d", &today).is_ok(),
            "{today}"
        );
    }
}

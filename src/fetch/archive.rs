//! A web archive as the fallback for a dead link: the Wayback Machine's
//! availability API names the snapshot closest to the source's date, and
//! its original bytes (the `id_` form of the snapshot's address, without
//! the archive's banner and rewritten links) are the text.

use serde_json::Value;

use super::{Download, Failure, Options};

/// The Internet Archive, whose availability API is `/wayback/available`.
pub const INTERNET_ARCHIVE: &str = "https://archive.org";

/// When `fetch` reads a source from a web archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArchiveUse {
    /// When the link is dead: gone (404, 410), its host unknown or
    /// unreachable, redirected to the site's front page, or answering with
    /// something that is not a text.
    WhenDead,
    /// First, and the link itself only when the archive has no snapshot.
    First,
    /// Never.
    Never,
}

/// The snapshot a text was read from.
pub(super) struct Snapshot {
    /// Its address at the archive, as a reader opens it.
    pub url: String,
    /// Its day, `2009-03-14`.
    pub date: String,
}

/// Whether a download of `asked` that ended at `answered` is a site's
/// front page instead of the page asked for: what a site answers for an
/// address it no longer has, rather than a 404.
pub(super) fn front_page_instead(asked: &str, answered: &str) -> bool {
    let path = |u: &str| {
        u.parse::<ureq::http::Uri>()
            .ok()
            .map(|u| u.path().trim_end_matches('/').to_string())
    };
    match (path(asked), path(answered)) {
        (Some(asked), Some(answered)) => !asked.is_empty() && answered.is_empty(),
        _ => false,
    }
}

/// The text of `url` from the archive's snapshot closest to `date` (the
/// source's, else the citing page's), downloaded with `download` (bounded
/// as any download is).
pub(super) fn snapshot(
    agent: &ureq::Agent,
    date: Option<&str>,
    url: &str,
    options: &Options,
    download: impl Fn(&str) -> Result<Download, Failure>,
) -> Result<(Download, Snapshot), String> {
    let base = options.archive_url.trim_end_matches('/');
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.append_pair("url", url);
    let stamp: String = date
        .unwrap_or("")
        .chars()
        .filter(char::is_ascii_digit)
        .take(14)
        .collect();
    if !stamp.is_empty() {
        query.append_pair("timestamp", &stamp);
    }
    let asked = format!("{base}/wayback/available?{}", query.finish());
    let mut answer = agent
        .get(&asked)
        .call()
        .map_err(|e| format!("the web archive did not answer ({e})"))?;
    if !answer.status().is_success() {
        return Err(format!("the web archive answered {}", answer.status()));
    }
    let found: Value = answer
        .body_mut()
        .with_config()
        .limit(1 << 20)
        .read_to_vec()
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or("the web archive's answer is not its availability JSON")?;
    let closest = &found["archived_snapshots"]["closest"];
    let available = closest["available"] == Value::Bool(true)
        && closest["status"]
            .as_str()
            .is_none_or(|s| s.starts_with('2'));
    let (Some(page), Some(stamp)) = (closest["url"].as_str(), closest["timestamp"].as_str()) else {
        return Err("the web archive has no snapshot of it".into());
    };
    let web = url::Url::parse(page).is_ok_and(|u| matches!(u.scheme(), "http" | "https"));
    if !web {
        return Err(format!(
            "the web archive's snapshot address is not one: {page}"
        ));
    }
    if !available {
        return Err(format!(
            "the web archive's snapshot of it is an error page (status {})",
            closest["status"].as_str().unwrap_or("unknown")
        ));
    }
    let date =
        day(stamp).ok_or_else(|| format!("the web archive's snapshot has no date: {stamp}"))?;
    let marker = format!("/{stamp}/");
    let Some(at) = page.find(&marker) else {
        return Err(format!(
            "the web archive's snapshot address is not one: {page}"
        ));
    };
    let original = format!("{}/{stamp}id_/{}", &page[..at], &page[at + marker.len()..]);
    let text = download(&original)
        .map_err(|f| format!("the web archive's snapshot of {date} failed: {}", f.message))?;
    Ok((
        text,
        Snapshot {
            url: page.to_string(),
            date,
        },
    ))
}

/// The day of a Wayback timestamp (`20090314123456` is `2009-03-14`).
fn day(stamp: &str) -> Option<String> {
    let digits = stamp
        .get(..8)
        .filter(|d| d.chars().all(|c| c.is_ascii_digit()))?;
    let date = format!("{}-{}-{}", &digits[..4], &digits[4..6], &digits[6..8]);
    jiff::civil::Date::strptime("%Y-%m-%d", &date).ok()?;
    Some(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_front_page_answer_for_a_deeper_address() {
        assert!(front_page_instead(
            "https://example.org/2009/handbook.pdf",
            "https://example.org/"
        ));
        assert!(front_page_instead(
            "http://old.example.org/a/b",
            "https://new.example.com"
        ));
        assert!(!front_page_instead(
            "https://example.org/",
            "https://example.org/"
        ));
        assert!(!front_page_instead(
            "https://example.org/a",
            "https://example.org/b"
        ));
    }

    #[test]
    fn the_day_of_a_snapshot() {
        assert_eq!(day("20090314123456").as_deref(), Some("2009-03-14"));
        assert_eq!(day("20091340000000"), None);
        assert_eq!(day("2009"), None);
    }
}

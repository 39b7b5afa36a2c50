//! Links: a plain corpus served with `--site-url` is that website's text,
//! so a hit's page, as a source, is published there — its citation and
//! bibliography entry name the site and the page's absolute URL.

use crate::cite::{self, Style};
use crate::hit::{self, Hit};
use crate::source::Source;

use super::SiteLinks;

/// The site's name: its host, without `www.`.
fn site_name(site: &str) -> String {
    let host = site.split("://").nth(1).unwrap_or(site);
    let host = host.split(['/', '?', '#']).next().unwrap_or(host);
    host.strip_prefix("www.").unwrap_or(host).to_string()
}

/// Gives `hit`'s page the absolute URL on the `--site-url` site and the
/// site's name when it has none of its own, and cites the hit and its
/// quotations again. A page whose address is where the site's own
/// configuration publishes it is moved to the `--site-url` site; one
/// whose address is another site's (a record's `url:`) keeps it.
pub fn on_site(hit: &mut Hit, links: &SiteLinks) {
    let Some(site) = links.url.as_deref() else {
        return;
    };
    if hit.page.document {
        return;
    }
    let base = site.trim_end_matches('/');
    let url = if hit.page.url.contains("://") {
        match links
            .published
            .as_deref()
            .and_then(|p| moved(&hit.page.url, p, base))
        {
            Some(url) => url,
            None => return,
        }
    } else {
        format!("{base}/{}", hit.page.url.trim_start_matches('/'))
    };
    let mut page = hit.page.source.clone().unwrap_or_else(|| Source {
        id: hit.page.path.clone(),
        title: Some(hit.page.title.clone()),
        ..Source::default()
    });
    let moved_too = page
        .url
        .as_deref()
        .and_then(|u| moved(u, links.published.as_deref()?, base));
    if let Some(moved_too) = moved_too {
        page.url = Some(moved_too);
    } else if !page.url.as_deref().is_some_and(|u| u.contains("://")) {
        page.url = Some(url.clone());
    }
    if page.container.is_none() {
        page.container = Some(site_name(site));
    }
    hit.page.url = url;
    hit.page.source = Some(page);
    let pinpoint = hit.pinpoint();
    let note =
        |chain: &[cite::ChainLink]| cite::cite(chain, &pinpoint, Style::ChicagoNotes).markdown;
    if !hit.citation.is_empty() {
        hit.citation = note(&hit::chain(hit, None));
    }
    let quoted: Vec<Option<String>> = hit
        .quotes
        .iter()
        .map(|q| match (&q.speaker, &q.citation) {
            (Some(speaker), Some(_)) => Some(note(&hit::chain(hit, Some(speaker.clone())))),
            _ => None,
        })
        .collect();
    for (quote, citation) in hit.quotes.iter_mut().zip(quoted) {
        if citation.is_some() {
            quote.citation = citation;
        }
    }
}

/// `url` on the site published at `published`, moved to `base`: `None`
/// when `url` is not under `published`.
fn moved(url: &str, published: &str, base: &str) -> Option<String> {
    let published = published.trim_end_matches('/');
    let rest = url.strip_prefix(published)?;
    (rest.is_empty() || rest.starts_with(['/', '?', '#'])).then(|| format!("{base}{rest}"))
}

#[cfg(test)]
mod tests {
    use super::{moved, site_name};

    #[test]
    fn a_published_address_moves_to_the_site_url_and_another_sites_stays() {
        let at = |url| moved(url, "https://t.example/notes/", "https://mirror.example");
        assert_eq!(
            at("https://t.example/notes/2015/02/11/a/").as_deref(),
            Some("https://mirror.example/2015/02/11/a/")
        );
        assert_eq!(
            at("https://t.example/notes").as_deref(),
            Some("https://mirror.example")
        );
        assert_eq!(at("https://t.example/notesbook/a/"), None);
        assert_eq!(at("https://www.jstor.org/stable/101125"), None);
    }

    #[test]
    fn a_site_is_named_by_its_host() {
        assert_eq!(site_name("https://www.example.org/"), "example.org");
        assert_eq!(
            site_name("http://docs.example.org:8080/a/b"),
            "docs.example.org:8080"
        );
    }
}

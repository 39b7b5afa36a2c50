//! Links: a plain corpus served with `--site-url` is that website's text,
//! so a hit's page, as a source, is published there — its citation and
//! bibliography entry name the site and the page's absolute URL.

use crate::cite::{self, Style};
use crate::hit::{self, Hit};
use crate::source::Source;

/// The site's name: its host, without `www.`.
fn site_name(site: &str) -> String {
    let host = site.split("://").nth(1).unwrap_or(site);
    let host = host.split(['/', '?', '#']).next().unwrap_or(host);
    host.strip_prefix("www.").unwrap_or(host).to_string()
}

/// Gives `hit`'s page the absolute URL on `site` and the site's name when
/// it has none of its own, and cites the hit and its quotations again.
pub fn on_site(hit: &mut Hit, site: &str) {
    if hit.page.url.contains("://") || hit.page.document {
        return;
    }
    let base = site.trim_end_matches('/');
    let path = hit.page.url.trim_start_matches('/');
    let url = format!("{base}/{path}");
    let mut page = hit.page.source.clone().unwrap_or_else(|| Source {
        id: hit.page.path.clone(),
        title: Some(hit.page.title.clone()),
        ..Source::default()
    });
    if !page.url.as_deref().is_some_and(|u| u.contains("://")) {
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

#[cfg(test)]
mod tests {
    use super::site_name;

    #[test]
    fn a_site_is_named_by_its_host() {
        assert_eq!(site_name("https://www.example.org/"), "example.org");
        assert_eq!(
            site_name("http://docs.example.org:8080/a/b"),
            "docs.example.org:8080"
        );
    }
}

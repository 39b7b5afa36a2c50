//! A source as the records reference managers import: a CSL-JSON item
//! and a BibTeX entry, names split into given and family, dates into parts.

use super::*;

/// Titles before a name, which a citation leaves out (“Dr. Robert L. Read”
/// is cited as Robert L. Read).
const HONORIFICS: [&str; 9] = [
    "dr", "dr.", "prof", "prof.", "mr.", "mrs.", "ms.", "rev.", "sir",
];

pub(super) fn csl_name(name: &str) -> serde_json::Value {
    let mut words: Vec<&str> = name.split_whitespace().collect();
    while words.len() > 2 && HONORIFICS.contains(&words[0].to_lowercase().as_str()) {
        words.remove(0);
    }
    let joined = words.join(" ");
    let name = joined.as_str();
    let organisation = words
        .iter()
        .any(|w| ORGANISATION_WORDS.contains(&w.to_lowercase().as_str()));
    if let Some((family, given)) = name.split_once(", ") {
        return serde_json::json!({ "family": family, "given": given });
    }
    if organisation || !(2..=4).contains(&words.len()) {
        return serde_json::json!({ "literal": name });
    }
    let (family, given) = words
        .split_last()
        .map(|(f, g)| (*f, g.join(" ")))
        .unwrap_or_default();
    serde_json::json!({ "family": family, "given": given })
}

fn csl_date(date: &str) -> Option<serde_json::Value> {
    let parts: Vec<i64> = date
        .trim()
        .split('-')
        .map_while(|p| p.parse::<i64>().ok())
        .take(3)
        .collect();
    let year_first = parts.first().is_some_and(|y| (1000..=9999).contains(y));
    year_first.then(|| serde_json::json!({ "date-parts": [parts] }))
}

/// The address a citation gives: the source's, or its web archive's
/// snapshot when the source's no longer leads to it. A page's URL is
/// relative until the site's address is known, and a relative address
/// means nothing in a bibliography.
pub(super) fn link(source: &Source) -> Option<String> {
    let archived = archived(source).filter(|_| source.url_dead);
    archived.or_else(|| source.url.clone().filter(|u| u.contains("://")))
}

/// The source's archived copy, when its address is a web address (a
/// registry may give anything).
pub(super) fn archived(source: &Source) -> Option<String> {
    let url = source.archived_url.as_deref()?;
    let parsed = url::Url::parse(url).ok()?;
    matches!(parsed.scheme(), "http" | "https").then(|| url.to_string())
}

/// The name of the web archive at `url`: the Internet Archive's Wayback
/// Machine, or the archive's host.
pub(super) fn archive_name(url: &str) -> String {
    let host = url
        .split_once("://")
        .map_or(url, |(_, rest)| rest)
        .split(['/', ':'])
        .next()
        .unwrap_or_default();
    let host = host.strip_prefix("www.").unwrap_or(host);
    if host == "archive.org" || host.ends_with(".archive.org") {
        "Internet Archive Wayback Machine".into()
    } else {
        host.to_string()
    }
}

/// The CSL-JSON item of a source.
pub fn csl_item(source: &Source) -> serde_json::Value {
    let kind = match source.kind {
        SourceKind::Article if source.container.is_some() => "article-journal",
        SourceKind::Article => "article",
        SourceKind::Book => "book",
        SourceKind::Handbook => "pamphlet",
        SourceKind::Report => "report",
        SourceKind::Letter => "letter",
        SourceKind::Post => "post-weblog",
        SourceKind::Publication => "periodical",
        SourceKind::WebPage => "webpage",
        SourceKind::Organisation | SourceKind::Person => "entry",
    };
    let mut item = serde_json::Map::new();
    item.insert("id".into(), source.id.clone().into());
    item.insert("type".into(), kind.into());
    let title = source.title.clone().or_else(|| {
        // An untitled work is cited by what it is.
        source.description.as_ref().map(|d| {
            let mut chars = d.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        })
    });
    let fields = [
        ("title", title),
        ("container-title", source.container.clone()),
        ("publisher", source.publisher.clone()),
        ("volume", source.volume.clone()),
        ("issue", source.issue.clone()),
        ("page", source.pages.clone()),
        ("DOI", source.doi.clone()),
        ("URL", link(source)),
        ("note", source.note.clone()),
        // Zotero imports these as the item's Archive and Loc. in Archive.
        ("archive", archived(source).as_deref().map(archive_name)),
        ("archive_location", archived(source)),
    ];
    for (key, value) in fields {
        if let Some(value) = value {
            item.insert(key.into(), value.into());
        }
    }
    if !source.authors.is_empty() {
        let names: Vec<serde_json::Value> = source.authors.iter().map(|a| csl_name(a)).collect();
        item.insert("author".into(), names.into());
    }
    if let Some(date) = source.date.as_deref().and_then(csl_date) {
        item.insert("issued".into(), date);
    }
    if let Some(date) = source.accessed.as_deref().and_then(csl_date) {
        item.insert("accessed".into(), date);
    }
    serde_json::Value::Object(item)
}

/// A BibTeX entry's note: the source's own, then where a web archive
/// keeps it (BibTeX has no field of its own for that).
fn bibtex_note(source: &Source) -> Option<String> {
    let archived = archived(source).map(|url| match &source.archived_at {
        Some(day) => format!("Archived at {url} on {day}"),
        None => format!("Archived at {url}"),
    });
    match (source.note.clone(), archived) {
        (Some(note), Some(archived)) => Some(format!("{}. {archived}", note.trim_end_matches('.'))),
        (note, archived) => note.or(archived),
    }
}

/// The BibTeX entry of a source.
pub fn bibtex_entry(source: &Source) -> String {
    let kind = match source.kind {
        SourceKind::Article if source.container.is_some() => "article",
        SourceKind::Book => "book",
        SourceKind::Handbook => "booklet",
        _ => "misc",
    };
    let escape = |s: &str| {
        s.chars()
            .flat_map(|c| match c {
                '&' | '%' | '$' | '#' | '_' | '{' | '}' => vec!['\\', c],
                c => vec![c],
            })
            .collect::<String>()
    };
    let authors: Vec<String> = source
        .authors
        .iter()
        .map(|a| match csl_name(a).get("literal") {
            // Braces keep an organisation's name whole.
            Some(_) => format!("{{{}}}", escape(a)),
            None => escape(a),
        })
        .collect();
    let title = source.title.clone().or_else(|| source.description.clone());
    let container_key = if kind == "article" {
        "journal"
    } else {
        "howpublished"
    };
    let fields = [
        (
            "author",
            (!authors.is_empty()).then(|| authors.join(" and ")),
        ),
        ("title", title.map(|t| format!("{{{}}}", escape(&t)))),
        (container_key, source.container.as_deref().map(escape)),
        ("publisher", source.publisher.as_deref().map(escape)),
        ("year", source.year().map(String::from)),
        ("volume", source.volume.as_deref().map(escape)),
        ("number", source.issue.as_deref().map(escape)),
        (
            "pages",
            source.pages.as_deref().map(|p| p.replace(['–', '-'], "--")),
        ),
        ("doi", source.doi.as_deref().map(escape)),
        ("url", link(source)),
        ("urldate", source.accessed.clone()),
        ("note", bibtex_note(source).map(|n| escape(&n))),
    ];
    let mut out = format!("@{kind}{{{},\n", source.id);
    for (key, value) in fields {
        if let Some(value) = value {
            out.push_str(&format!("  {key} = {{{value}}},\n"));
        }
    }
    out.push('}');
    out
}

//! Details: what a source's web page or PDF says of itself (title,
//! authors, date, journal, DOI), read from the metadata embedded in it as
//! Zotero's "Embedded Metadata" translator does, or from the CSL-JSON a DOI
//! resolver answers. Pure functions: nothing is fetched, nothing guessed.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What a source says of itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Details {
    /// Its title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Its authors as printed, given name first: `Kris Hermes`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    /// When it was published, as precise as stated: `2016`, `2016-07-14`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The journal, site or book it is part of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container: Option<String>,
    /// Its publisher (for a report, the institution).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// The volume of its container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume: Option<String>,
    /// The issue of its container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue: Option<String>,
    /// Its pages in its container: `12–19`, or `12`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pages: Option<String>,
    /// Its DOI, bare and lower case: `10.1234/abc`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doi: Option<String>,
    /// Where its PDF is, an absolute address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pdf_url: Option<String>,
    /// What it is, when said: `article`, `book`, `report` or `web-page`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

impl Details {
    /// Whether it says nothing.
    pub fn is_empty(&self) -> bool {
        *self == Details::default()
    }

    /// These details, with each field they do not state taken from `other`.
    fn or(mut self, other: Details) -> Details {
        if self.authors.is_empty() {
            self.authors = other.authors;
        }
        Details {
            title: self.title.or(other.title),
            authors: self.authors,
            date: self.date.or(other.date),
            container: self.container.or(other.container),
            publisher: self.publisher.or(other.publisher),
            volume: self.volume.or(other.volume),
            issue: self.issue.or(other.issue),
            pages: self.pages.or(other.pages),
            doi: self.doi.or(other.doi),
            pdf_url: self.pdf_url.or(other.pdf_url),
            kind: self.kind.or(other.kind),
        }
    }
}

/// Past this nesting only a page's head is parsed (the parser's work grows with it).
const MAX_NESTING: usize = 1024;

/// How deep JSON-LD is followed (nodes within nodes, `isPartOf` chains).
const MAX_JSON_DEPTH: usize = 16;

/// The details a web page states in its markup: Highwire `citation_*`
/// tags, then schema.org JSON-LD, Dublin Core, Open Graph and the `author`
/// tag, each field from the first that states it. A relative PDF address
/// is resolved against `base_url`, the page's own.
pub fn from_html(html: &str, base_url: &str) -> Details {
    let Some(document) = parsed(html) else {
        return Details::default();
    };
    let metas = Metas::of(&document);
    let authors = distinct(metas.all("author").flat_map(split_authors));
    highwire(&metas, base_url)
        .or(json_ld(&document))
        .or(dublin_core(&metas))
        .or(open_graph(&metas))
        .or(Details {
            authors,
            ..Details::default()
        })
}

/// The page parsed, or its head when the whole nests too deeply (or `None`).
fn parsed(html: &str) -> Option<scraper::Html> {
    let deep = |s: &str| crate::passage::html::nesting(s, MAX_NESTING) >= MAX_NESTING;
    if !deep(html) {
        return Some(scraper::Html::parse_document(html));
    }
    // ASCII lower-casing keeps every byte where it is.
    let head = html.get(..html.to_ascii_lowercase().find("</head")?)?;
    (!deep(head)).then(|| scraper::Html::parse_document(head))
}

/// The `<meta>` tags of a page that say something, in page order: a name or property
/// in lower case (Dublin Core's `DC.`, `dc:`, `DCTERMS.` as `dc.`), and the content.
struct Metas(Vec<(String, String)>);

impl Metas {
    /// The tags of `document`.
    fn of(document: &scraper::Html) -> Metas {
        let Ok(selector) = scraper::Selector::parse("meta[content]") else {
            return Metas(Vec::new());
        };
        let mut tags = Vec::new();
        for meta in document.select(&selector).map(|m| m.value()) {
            let Some(content) = meta.attr("content").and_then(clean) else {
                continue;
            };
            let names = [meta.attr("name"), meta.attr("property")];
            for name in names.into_iter().flatten() {
                let name = name.trim().to_ascii_lowercase();
                let dc = ["dcterms.", "dcterms:", "dc:"]
                    .iter()
                    .find_map(|p| name.strip_prefix(p));
                let name = dc.map_or(name.clone(), |rest| format!("dc.{rest}"));
                tags.push((name, content.clone()));
            }
        }
        Metas(tags)
    }

    /// The contents of the tags named `name`.
    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> {
        let named = move |(n, content): &'a (String, String)| (n == name).then_some(content);
        self.0.iter().filter_map(named).map(String::as_str)
    }

    /// The first content of the first of `names` (`|`-separated) there is.
    fn first(&self, names: &str) -> Option<String> {
        let first = names.split('|').find_map(|name| self.all(name).next());
        first.map(str::to_string)
    }

    /// The first content of the tags `names` (`|`-separated, in that
    /// order) that is a date.
    fn date(&self, names: &str) -> Option<String> {
        let mut all = names.split('|').flat_map(|name| self.all(name));
        all.find_map(date)
    }
}

/// The Highwire Press (Google Scholar) `citation_*` tags.
fn highwire(metas: &Metas, base_url: &str) -> Details {
    let first = |names: &str| metas.first(names);
    let mut authors = names(metas.all("citation_author"));
    if authors.is_empty() {
        authors = names(metas.all("citation_authors").flat_map(|a| a.split(';')));
    }
    let institution = first("citation_technical_report_institution");
    let kind = match (&institution, first("citation_journal_title")) {
        (Some(_), _) => Some("report".to_string()),
        (None, journal) => journal.map(|_| "article".to_string()),
    };
    let dates = "citation_publication_date|citation_date|citation_online_date";
    let containers = concat!(
        "citation_journal_title|citation_conference_title|",
        "citation_book_title|citation_inbook_title"
    );
    let resolved = |url| resolve(base_url, url);
    Details {
        title: first("citation_title"),
        authors,
        date: metas.date(dates),
        container: first(containers),
        publisher: first("citation_publisher").or(institution),
        volume: first("citation_volume"),
        issue: first("citation_issue"),
        pages: pages(first("citation_firstpage"), first("citation_lastpage")),
        doi: metas.all("citation_doi").find_map(doi_in),
        pdf_url: metas.all("citation_pdf_url").find_map(resolved),
        kind,
    }
}

/// Dublin Core.
fn dublin_core(metas: &Metas) -> Details {
    Details {
        title: metas.first("dc.title"),
        authors: names(metas.all("dc.creator")),
        date: metas.date("dc.date.issued|dc.issued|dc.date|dc.created"),
        publisher: metas.first("dc.publisher"),
        doi: metas.all("dc.identifier").find_map(doi_in),
        ..Details::default()
    }
}

/// Open Graph and its `article:` and `book:` tags.
fn open_graph(metas: &Metas) -> Details {
    let kind = metas.first("og:type").map(|t| t.to_ascii_lowercase());
    Details {
        title: metas.first("og:title"),
        authors: names(metas.all("article:author").chain(metas.all("book:author"))),
        date: metas.date("article:published_time|book:release_date"),
        container: metas.first("og:site_name"),
        kind: kind.filter(|t| t == "article" || t == "book"),
        ..Details::default()
    }
}

/// The first work the page's schema.org JSON-LD describes; a script not JSON is passed over.
fn json_ld(document: &scraper::Html) -> Details {
    let Ok(selector) = scraper::Selector::parse("script[type]") else {
        return Details::default();
    };
    let is_json_ld = |t: &str| t.to_ascii_lowercase().contains("application/ld+json");
    for script in document.select(&selector) {
        if !script.value().attr("type").is_some_and(is_json_ld) {
            continue;
        }
        let text: String = script.text().collect();
        let Ok(value) = serde_json::from_str::<Value>(text.trim()) else {
            continue;
        };
        if let Some((node, kind)) = work(&value, 0) {
            return schema_work(node, kind, &value);
        }
    }
    Details::default()
}

/// `node` (the first, when it is an array), or the node of the document
/// `root` (its `@graph`) it names when it is only a reference (`{"@id": "#kris"}`).
fn deref<'a>(node: &'a Value, root: &'a Value) -> &'a Value {
    let node = node.get(0).unwrap_or(node);
    let size = |n: &Value| n.as_object().map_or(0, |map| map.len());
    let Some(id) = node.get("@id").filter(|_| size(node) == 1) else {
        return node;
    };
    let graph = root.get("@graph").unwrap_or(root);
    let same = |n: &&Value| n.get("@id") == Some(id) && size(n) > 1;
    listed(Some(graph)).into_iter().find(same).unwrap_or(node)
}

/// The first node (of an object, an array, an `@graph`) of a type read here, with its kind.
fn work(value: &Value, depth: usize) -> Option<(&Value, &'static str)> {
    match value {
        _ if depth > MAX_JSON_DEPTH => None,
        Value::Array(items) => items.iter().find_map(|v| work(v, depth + 1)),
        Value::Object(map) => (types(value).into_iter().find_map(schema_kind))
            .map(|kind| (value, kind))
            .or_else(|| map.get("@graph").and_then(|g| work(g, depth + 1))),
        _ => None,
    }
}

/// The kind of a schema.org type, for the types read here.
fn schema_kind(schema_type: &str) -> Option<&'static str> {
    match schema_type {
        "Article" | "ScholarlyArticle" | "NewsArticle" | "BlogPosting" => Some("article"),
        "Report" => Some("report"),
        "Book" => Some("book"),
        _ => None,
    }
}

/// The `@type`s of a node, without a vocabulary (`schema:Article` and
/// `https://schema.org/Article` are `Article`).
fn types(node: &Value) -> Vec<&str> {
    listed(node.get("@type"))
        .into_iter()
        .filter_map(|t| t.as_str()?.rsplit(['/', ':', '#']).next())
        .collect()
}

/// The items of an array, or the one value that is not.
fn listed(value: Option<&Value>) -> Vec<&Value> {
    match value {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one) => vec![one],
        None => Vec::new(),
    }
}

/// The details of a schema.org work.
fn schema_work<'a>(node: &'a Value, kind: &str, root: &'a Value) -> Details {
    let field = |key: &str| text(node.get(key));
    let [container, volume, issue] = part_of(node, root);
    let authors = listed(node.get("author")).into_iter();
    let pages = field("pagination").map(|p| range(&p));
    let mut identifiers = listed(node.get("identifier"));
    identifiers.extend(listed(node.get("sameAs")));
    Details {
        title: field("headline").or_else(|| field("name")),
        authors: distinct(authors.filter_map(|a| person(deref(a, root)))),
        date: field("datePublished").as_deref().and_then(date),
        container,
        publisher: node.get("publisher").and_then(|p| named(deref(p, root))),
        volume,
        issue,
        pages: pages.or_else(|| self::pages(field("pageStart"), field("pageEnd"))),
        doi: identifiers.into_iter().find_map(schema_doi),
        pdf_url: None,
        kind: Some(kind.to_string()),
    }
}

/// The container, volume and issue a work's `isPartOf` chain states (passing over pages).
fn part_of<'a>(node: &'a Value, root: &'a Value) -> [Option<String>; 3] {
    let (mut container, mut volume, mut issue) = (None, None, None);
    let mut next = node.get("isPartOf");
    for _ in 0..MAX_JSON_DEPTH {
        let Some(part) = next.map(|p| deref(p, root)) else {
            break;
        };
        let types = types(part);
        if types.contains(&"PublicationIssue") {
            issue = issue.or_else(|| text(part.get("issueNumber")));
        } else if types.contains(&"PublicationVolume") {
            volume = volume.or_else(|| text(part.get("volumeNumber")));
        } else if !types.contains(&"WebPage") {
            container = container.or_else(|| named(part));
        }
        next = part.get("isPartOf");
    }
    [container, volume, issue]
}

/// The name of a thing given as a string or as a node with a `name`.
fn named(thing: &Value) -> Option<String> {
    text(thing.get("name").or(Some(thing)))
}

/// The name of one schema.org author; an organisation's as it is.
fn person(node: &Value) -> Option<String> {
    if types(node).contains(&"Organization") {
        return named(node);
    }
    let parts = ["givenName", "familyName"].map(|key| text(node.get(key)).unwrap_or_default());
    let name = named(node).and_then(|n| person_name(&n));
    name.or_else(|| clean(&parts.join(" ")))
}

/// A DOI among a work's identifiers: a string, or a `PropertyValue`'s.
fn schema_doi(value: &Value) -> Option<String> {
    let doi = |v: &Value| v.as_str().and_then(doi_in);
    let keys = ["value", "@id", "url"];
    doi(value).or_else(|| keys.iter().find_map(|k| value.get(*k).and_then(doi)))
}

/// A JSON value as text, cleaned: a string, a number, an array's first, a node's `@value`.
fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => clean(&html_escape::decode_html_entities(s)),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(items) => text(items.first().filter(|v| !v.is_array())),
        Value::Object(map) => text(map.get("@value").filter(|v| !v.is_object())),
        _ => None,
    }
}

/// The details a PDF's information dictionary states: its title and
/// authors (its creation date is the file's, not the work's). Only that
/// dictionary is read; an encrypted or broken file states nothing.
pub fn from_pdf(bytes: &[u8]) -> Details {
    // A panic in this parser of untrusted input costs only this file's details.
    let read = std::panic::catch_unwind(|| lopdf::Document::load_metadata_mem(bytes));
    let Ok(Ok(info)) = read else {
        return Details::default();
    };
    let mut authors = split_authors(info.author.as_deref().unwrap_or(""));
    // A computer's account, not a person.
    let account = "administrator|admin|user|owner|unknown|microsoft office user|windows user";
    authors.retain(|a| !among(account, &a.to_lowercase()));
    Details {
        title: info.title.as_deref().and_then(pdf_title),
        authors,
        ..Details::default()
    }
}

/// A PDF's title, unless it is what a program put there ("Untitled",
/// "Document1", a file name); "Microsoft Word - Report.docx" is "Report".
fn pdf_title(raw: &str) -> Option<String> {
    let mut title = clean(raw)?;
    let program = |app: &str| app.starts_with("Microsoft ") && app.matches(' ').count() == 1;
    if let Some((_, name)) = title.split_once(" - ").filter(|(app, _)| program(app)) {
        title = name.to_string();
    }
    for extension in [".docx", ".doc"] {
        // ASCII lower-casing keeps every byte where it is.
        if title.to_ascii_lowercase().ends_with(extension) {
            title.truncate(title.len() - extension.len());
        }
    }
    let lower = title.to_lowercase();
    let stem = lower.trim_end_matches(|c: char| c.is_ascii_digit() || " -_".contains(c));
    let files = ".pdf .doc .docx .indd .qxd .qxp .rtf .odt .tex .ppt";
    let file = files.split(' ').any(|extension| lower.ends_with(extension));
    let untitled = "untitled|document|title|slide|powerpoint presentation";
    clean(&title).filter(|_| !file && !among(untitled, stem))
}

/// The details of a CSL-JSON item, as a DOI resolver answers
/// `Accept: application/vnd.citationstyles.csl+json`.
pub fn from_csl_json(item: &Value) -> Details {
    let field = |key: &str| text(item.get(key));
    let mut authors = csl_people(item.get("author"));
    if authors.is_empty() {
        authors = csl_people(item.get("editor"));
    }
    let dates = ["issued", "published-print", "published-online"].map(|key| item.get(key));
    Details {
        title: field("title"),
        authors,
        date: dates.into_iter().flatten().find_map(csl_date),
        container: field("container-title"),
        publisher: field("publisher"),
        volume: field("volume"),
        issue: field("issue"),
        pages: field("page").map(|p| range(&p)),
        doi: item.get("DOI").and_then(Value::as_str).and_then(doi_in),
        pdf_url: None,
        kind: item.get("type").and_then(csl_kind),
    }
}

/// The names of a CSL name list: `given family`, or a `literal` as is.
fn csl_people(value: Option<&Value>) -> Vec<String> {
    let name = |person: &Value| {
        let field = |key: &str| text(person.get(key)).unwrap_or_default();
        let parts = "given dropping-particle non-dropping-particle family".split(' ');
        let name = clean(&parts.map(field).collect::<Vec<_>>().join(" "))?;
        let suffix = text(person.get("suffix")).map_or(String::new(), |s| format!(", {s}"));
        Some(name + &suffix)
    };
    let people = listed(value).into_iter().filter(|p| p.is_object());
    distinct(people.filter_map(|p| text(p.get("literal")).or_else(|| name(p))))
}

/// A CSL date: its `date-parts`, or else its `raw` or `literal` text.
fn csl_date(value: &Value) -> Option<String> {
    let number = |v: &Value| v.as_i64().or_else(|| v.as_str()?.trim().parse().ok());
    let parts: Vec<i64> = match value["date-parts"][0].as_array() {
        Some(parts) => parts.iter().map_while(number).collect(),
        None => Vec::new(),
    };
    match parts.as_slice() {
        [] => date(value["raw"].as_str().or(value["literal"].as_str())?),
        [y] => date(&format!("{y:04}")),
        [y, m] => date(&format!("{y:04}-{m:02}")),
        [y, m, d, ..] => date(&format!("{y:04}-{m:02}-{d:02}")),
    }
}

/// The kind of a CSL type, for the kinds told apart here.
fn csl_kind(kind: &Value) -> Option<String> {
    let kind = match kind.as_str()? {
        "article" | "article-journal" | "article-magazine" | "article-newspaper" => "article",
        "book" => "book",
        "report" => "report",
        "webpage" => "web-page",
        _ => return None,
    };
    Some(kind.to_string())
}

/// The first DOI in `text`, a URL (`https://doi.org/10.1000/XYZ-1`,
/// `https://example.org/article/10.1371/journal.pone.0001`) or words
/// (`doi:10.1000/xyz.`), bare and lower case, without the punctuation that
/// ends a sentence; `None` when there is none. In a URL a DOI ends at the
/// query or fragment.
pub fn doi_in(text: &str) -> Option<String> {
    let url = text.contains("://");
    let mut starts = text.match_indices("10.");
    starts.find_map(|(at, _)| doi_at(text, at, url))
}

/// The DOI that starts at byte `at` of `text`, if one does.
fn doi_at(text: &str, at: usize, url: bool) -> Option<String> {
    let before = text.get(..at)?.chars().next_back();
    if before.is_some_and(|c| c.is_alphanumeric() || c == '.') {
        return None;
    }
    let rest = text.get(at + 3..)?;
    let registrant = &rest[..rest.bytes().take(64).position(|b| b == b'/')?];
    let groups: Vec<&str> = registrant.split('.').collect();
    let digits = |g: &&str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    if !groups.iter().all(digits) || groups.first().is_none_or(|g| g.len() < 4) {
        return None;
    }
    let suffix = rest[registrant.len()..].strip_prefix('/')?;
    let ends = |c: char| c.is_whitespace() || "\"<>".contains(c) || (url && "?#&".contains(c));
    let suffix = trim_trailing(&suffix[..suffix.find(ends).unwrap_or(suffix.len())]);
    (!suffix.is_empty()).then(|| format!("10.{registrant}/{suffix}").to_lowercase())
}

/// `text` without the punctuation that ends a sentence, nor the closing
/// brackets it did not open.
fn trim_trailing(text: &str) -> &str {
    let count = |c: char| text.matches(c).count();
    let mut parens = count(')').saturating_sub(count('('));
    let mut brackets = count(']').saturating_sub(count('['));
    let mut end = text.len();
    for c in text.chars().rev() {
        match c {
            ')' if parens > 0 => parens -= 1,
            ']' if brackets > 0 => brackets -= 1,
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '"' => {}
            _ => break,
        }
        end -= 1;
    }
    &text[..end]
}

/// The absolute http(s) address of `href` on the page at `base`; `None`
/// when neither says where it is.
fn resolve(base: &str, href: &str) -> Option<String> {
    let href = href.trim();
    let joined = match url::Url::parse(href) {
        Ok(absolute) => absolute,
        Err(url::ParseError::RelativeUrlWithoutBase) => {
            url::Url::parse(base.trim()).ok()?.join(href).ok()?
        }
        Err(_) => return None,
    };
    matches!(joined.scheme(), "http" | "https").then(|| joined.to_string())
}

/// Pages from a first and a last page: `12–19`, or the first alone.
fn pages(first: Option<String>, last: Option<String>) -> Option<String> {
    match (first?, last) {
        (from, Some(to)) if to != from && !from.contains(['-', '–']) => {
            Some(format!("{from}–{to}"))
        }
        (from, _) => Some(range(&from)),
    }
}

/// A page range with an en dash: `12-19` and `12--19` are `12–19`.
fn range(pages: &str) -> String {
    let (from, to) = pages.split_once('-').unwrap_or((pages, ""));
    let (from, to) = (from.trim(), to.trim_start_matches('-').trim());
    match (from, to) {
        ("", _) | (_, "") => pages.to_string(),
        _ => format!("{from}–{to}"),
    }
}

/// The forms of a date read, most precise first, with month names in full
/// or cut to three letters.
const DATE_FORMATS: &str =
    "%Y-%m-%d|%Y/%m/%d|%Y-%m|%Y/%m|%Y|%B %d, %Y|%b %d, %Y|%d %B %Y|%d %b %Y|%B %Y|%b %Y";

/// A date as ISO 8601, as precise as `text` states it: `2016-07-14` (also
/// with a time, or slashes), `2016-07`, `2016`, `July 14, 2016`, `14 July
/// 2016`, `Jul 2016`; `Spring 2016` is `2016`, the year it states. Anything
/// else (`07/14/2016`, `2016 or so`) is `None`: no date is guessed.
fn date(text: &str) -> Option<String> {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let digit = |s: &str| s.starts_with(|c: char| c.is_ascii_digit());
    let seasons = "spring|summer|autumn|fall|winter";
    let text = match text.split_once(['T', ' ']) {
        Some((day, time)) if day.len() == 10 && digit(day) && digit(time) => day,
        Some((season, year)) if among(seasons, &season.to_lowercase()) => year,
        _ => &text,
    };
    DATE_FORMATS.split('|').find_map(|format| {
        let parsed = jiff::fmt::strtime::BrokenDownTime::parse(format, text).ok()?;
        let (year, month, day) = (parsed.year()?, parsed.month(), parsed.day());
        jiff::civil::Date::new(year, month.unwrap_or(1), day.unwrap_or(1)).ok()?;
        match (month, day) {
            _ if !(1000..=9999).contains(&year) => None,
            (Some(m), Some(d)) => Some(format!("{year:04}-{m:02}-{d:02}")),
            (Some(m), None) => Some(format!("{year:04}-{m:02}")),
            _ => Some(format!("{year:04}")),
        }
    })
}

/// A person's name as printed, given name first ("Hermes, Kris" is "Kris
/// Hermes"), without a leading "By"; a URL or a handle is no name.
fn person_name(raw: &str) -> Option<String> {
    let name = clean(raw)?;
    let name = match name.get(..3) {
        Some(by) if by.eq_ignore_ascii_case("by ") => clean(&name[3..])?,
        _ => name,
    };
    let lower = name.to_ascii_lowercase();
    if lower.contains("://") || lower.starts_with("www.") || name.starts_with('@') {
        return None;
    }
    // Name suffixes and company words, which are no given name.
    let not_given = "jr|sr|ii|iii|iv|phd|md|esq|inc|ltd|llc|co|corp";
    let turned = name.split_once(',').and_then(|(family, given)| {
        let (family, given) = (family.trim(), given.trim());
        let is_given = (1..=3).contains(&given.split_whitespace().count())
            && !among(not_given, &given.trim_end_matches('.').to_lowercase())
            && !given.contains(|c: char| !c.is_alphabetic() && !" .-'’".contains(c))
            && !has_role(given);
        // "Hermes, Kris" is turned; "John Smith, Reuters" and "Jane Doe,
        // Staff Writer" are a name and something else, and stay as written.
        let one_family_name = family
            .split_whitespace()
            .filter(|w| !PARTICLES.contains(w))
            .count()
            == 1
            && family
                .split_whitespace()
                .last()
                .is_some_and(|w| w.starts_with(char::is_uppercase));
        let plain = one_family_name && !organisational(family) && !organisational(given);
        (is_given && plain).then(|| format!("{given} {family}"))
    });
    Some(turned.unwrap_or(name))
}

/// The authors of a list given as one string: separated by `;`, or by
/// commas and "and" when every part is plainly a person's name ("A. Smith
/// and B. Jones"); "Smith, John" is one author, and so is anything unsure.
fn split_authors(list: &str) -> Vec<String> {
    names(list.split(';').flat_map(people_in))
}

/// The names in one part of an author list: its pieces between commas
/// and "and" when each is a person's name, or else the whole.
fn people_in(part: &str) -> Vec<&str> {
    let pieces = part.split([',', '&']).flat_map(|p| p.split(" and "));
    let pieces = pieces.map(|p| p.trim().trim_start_matches("and ").trim());
    let pieces: Vec<&str> = pieces.filter(|p| !p.is_empty()).collect();
    let personal = |name: &&str| {
        let words: Vec<&str> = name.split_whitespace().collect();
        let capitalised = |w: &&str| w.starts_with(char::is_uppercase);
        (2..=4).contains(&words.len())
            && words.iter().all(capitalised)
            && !name.contains(|c: char| c.is_ascii_digit())
            && !organisational(name)
            && !has_role(name)
    };
    let listed = pieces.len() > 1 && pieces.iter().all(personal);
    if listed { pieces } else { vec![part] }
}

/// The small words of family names ("van der Berg", "de la Cruz").
const PARTICLES: [&str; 14] = [
    "van", "von", "der", "den", "de", "da", "di", "du", "del", "la", "le", "ter", "ten", "bin",
];

/// Whether `text` names a role or a degree rather than a person ("Staff
/// Writer", "Ph.D."), which a byline puts after a name.
fn has_role(text: &str) -> bool {
    let roles = concat!(
        "writer|editor|staff|correspondent|reporter|contributor|columnist|photographer|",
        "author|editors|contributors|ph.d|ph.d.|phd|m.d|m.d.|md|esq|esq.|jr|jr.|sr|sr."
    );
    text.split_whitespace()
        .any(|w| among(roles, &w.trim_end_matches(',').to_lowercase()))
}

/// Whether `name` has a word of an organisation's ("Institute"), and so
/// is not turned or split as a person's.
fn organisational(name: &str) -> bool {
    let words = concat!(
        "university|institute|department|center|centre|council|society|group|office|",
        "agency|committee|foundation|press"
    );
    name.split(|c: char| !c.is_alphanumeric())
        .any(|w| among(words, &w.to_lowercase()))
}

/// Whether `word` is one of the `|`-separated `list`.
fn among(list: &str, word: &str) -> bool {
    list.split('|').any(|w| w == word)
}

/// The names among `raw`, once each, in order.
fn names<'a>(raw: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    distinct(raw.into_iter().filter_map(person_name))
}

/// `names` without the repeats (in any letter case), the first kept.
fn distinct(names: impl Iterator<Item = String>) -> Vec<String> {
    let mut seen = HashSet::new();
    names.filter(|n| seen.insert(n.to_lowercase())).collect()
}

/// `text` with its white space collapsed; `None` when none of it is a letter or digit.
fn clean(text: &str) -> Option<String> {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    text.chars().any(char::is_alphanumeric).then_some(text)
}

#[cfg(test)]
#[path = "details_tests.rs"]
mod tests;

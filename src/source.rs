//! Source: something that can be cited — an article, a handbook, an
//! organisation, a person, a web page.
//!
//! Sources come from three places: the registry file in the corpus
//! (`sources.yaml`), the pages themselves (every page is a source, described
//! by its front matter), and attribution, which meets names in the text
//! ("According to the Tenants Union (TU), …") that nobody registered.
//! A [`SourceTable`] finds a source again by id, by any of its names or
//! aliases, or by its URL.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

/// What kind of thing a source is; it decides how a citation is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// A journal, magazine or newspaper article.
    Article,
    /// A book.
    Book,
    /// A handbook, guide or pamphlet.
    Handbook,
    /// A report, study, policy, memo or other document of an organisation.
    Report,
    /// A letter.
    Letter,
    /// A post on a blog or a social network.
    Post,
    /// A newspaper, magazine or news site as a whole (“the Harbor Gazette”).
    Publication,
    /// A collective, union, society or other organisation.
    #[serde(alias = "organization")]
    Organisation,
    /// A person.
    Person,
    /// A web page, including the corpus's own pages.
    #[default]
    #[serde(alias = "webpage", alias = "page")]
    WebPage,
}

/// Something that can be cited.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Stable slug, such as `hermes-2016`.
    pub id: String,
    /// What kind of thing it is.
    #[serde(default)]
    pub kind: SourceKind,
    /// Title of the work, or the name of an organisation or person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// For an untitled work: what it is ("legal solidarity handbook").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Authors, people or organisations, as they should be printed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    /// The journal, site or book the work appeared in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container: Option<String>,
    /// Publisher.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// Date of publication, as precise as known (`2016`, `2016-07`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Volume, for journal articles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume: Option<String>,
    /// Issue (number), for journal articles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue: Option<String>,
    /// Pages, for journal articles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pages: Option<String>,
    /// Its DOI, bare (`10.1000/xyz123`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doi: Option<String>,
    /// Where it can be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Anything else worth knowing (an earlier edition, a format).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Names by which texts refer to it ("Just Cause Law Collective", "JCLC").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// The corpus file this source is, when it is one of the corpus's pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
    /// Its full text in the corpus (Markdown, HTML, PDF or plain text), by
    /// corpus path; `sources/ID.*` is found without being named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// When its full text was retrieved from `url` (`2026-11-25`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accessed: Option<String>,
    /// A web archive's snapshot of `url`, where its text was read when the
    /// link had died.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived_url: Option<String>,
    /// The day of that snapshot (`2009-03-14`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived_at: Option<String>,
    /// Whether `url` no longer gives the work (gone, its host unknown, or
    /// sending readers to a front page): a citation links the snapshot.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub url_dead: bool,
    /// Where each field the registry does not state came from: the
    /// source's own page, its PDF, its DOI's record, or a web archive's
    /// copy of its page. Filled by citeindex; a registry's is ignored.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub provenance: BTreeMap<String, Origin>,
    /// Where the source's own details disagree with the registry's; the
    /// registry's are kept.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<Conflict>,
}

/// Where a field of a source came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// A registry file (`sources.yaml`, `.bib`, CSL-JSON).
    Registry,
    /// The source's own web page: its `citation_*`, Dublin Core, Open
    /// Graph or schema.org markup.
    Page,
    /// The source's PDF: its info dictionary.
    Pdf,
    /// The record of its DOI, from the DOI resolver.
    Doi,
    /// A web archive's snapshot of its page, read as the page would be.
    Archive,
}

/// A field the source's own details state otherwise than the registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Conflict {
    /// The field (`date`, `title`, `authors`, …).
    pub field: String,
    /// What the registry says, which is kept.
    pub registry: String,
    /// What the source says.
    pub found: String,
    /// Where the source says it.
    pub from: Origin,
}

impl Source {
    /// The name to show a person: title, else description, else authors, else id.
    pub fn name(&self) -> String {
        if let Some(title) = &self.title {
            return title.clone();
        }
        if !self.authors.is_empty() {
            let authors = self.authors.join(", ");
            return match &self.description {
                Some(d) => format!("{authors}, {d}"),
                None => authors,
            };
        }
        self.description.clone().unwrap_or_else(|| self.id.clone())
    }

    /// A short label for attribution chains: "Hermes 2016", "JCLC", a title.
    pub fn short_label(&self) -> String {
        if let (Some(author), Some(year)) = (self.authors.first(), self.year())
            && matches!(
                self.kind,
                SourceKind::Article
                    | SourceKind::Book
                    | SourceKind::Handbook
                    | SourceKind::Report
                    | SourceKind::Letter
                    | SourceKind::Post
            )
        {
            let surname = author.split_whitespace().last().unwrap_or(author);
            return format!("{surname} {year}");
        }
        let abbreviation = self
            .aliases
            .iter()
            .find(|a| a.len() >= 2 && a.chars().all(|c| c.is_uppercase() || c == '&'));
        if let Some(a) = abbreviation {
            return a.clone();
        }
        if matches!(
            self.kind,
            SourceKind::Organisation | SourceKind::Person | SourceKind::Publication
        ) {
            return self.name();
        }
        if let (Some(author), None) = (self.authors.first(), &self.title) {
            return author.clone();
        }
        self.name()
    }

    /// The four-digit year of [`Source::date`], if it has one.
    pub fn year(&self) -> Option<&str> {
        let date = self.date.as_deref()?;
        let start = date.find(|c: char| c.is_ascii_digit())?;
        let year = date.get(start..start + 4)?;
        year.chars().all(|c| c.is_ascii_digit()).then_some(year)
    }

    /// Every name this source may be called by in running text.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.title
            .as_deref()
            .into_iter()
            .chain(self.aliases.iter().map(String::as_str))
    }

    /// The names of the fields this source states, as [`Source::provenance`]
    /// and [`Conflict::field`] name them.
    pub fn stated_fields(&self) -> Vec<&'static str> {
        let optional = [
            ("title", &self.title),
            ("description", &self.description),
            ("container", &self.container),
            ("publisher", &self.publisher),
            ("date", &self.date),
            ("volume", &self.volume),
            ("issue", &self.issue),
            ("pages", &self.pages),
            ("doi", &self.doi),
            ("url", &self.url),
            ("note", &self.note),
        ];
        let mut fields: Vec<&'static str> = optional
            .into_iter()
            .filter(|(_, value)| value.is_some())
            .map(|(name, _)| name)
            .collect();
        if !self.authors.is_empty() {
            fields.push("authors");
        }
        fields
    }

    /// Fills the fields this source leaves empty from `other`, keeping
    /// where `other` had them from; where both state a field that `other`
    /// read from the source itself, and they disagree, the disagreement is
    /// noted and this source's value kept.
    pub fn fill_from(&mut self, other: &Source) {
        let provenance = &mut self.provenance;
        let conflicts = &mut self.conflicts;
        let mut fill = |field: &str, mine: &mut Option<String>, theirs: &Option<String>| {
            let from = other.provenance.get(field).copied();
            match (mine.as_deref(), theirs.as_deref()) {
                (None, Some(_)) => {
                    mine.clone_from(theirs);
                    if let Some(from) = from {
                        provenance.insert(field.to_string(), from);
                    }
                }
                (Some(kept), Some(found)) => {
                    if let Some(from) = from
                        && !agree(field, kept, found)
                    {
                        let conflict = Conflict {
                            field: field.to_string(),
                            registry: kept.to_string(),
                            found: found.to_string(),
                            from,
                        };
                        if !conflicts.contains(&conflict) {
                            conflicts.push(conflict);
                        }
                    }
                }
                _ => {}
            }
        };
        fill("title", &mut self.title, &other.title);
        fill("description", &mut self.description, &other.description);
        fill("container", &mut self.container, &other.container);
        fill("publisher", &mut self.publisher, &other.publisher);
        fill("date", &mut self.date, &other.date);
        fill("volume", &mut self.volume, &other.volume);
        fill("issue", &mut self.issue, &other.issue);
        fill("pages", &mut self.pages, &other.pages);
        fill("doi", &mut self.doi, &other.doi);
        fill("url", &mut self.url, &other.url);
        fill("note", &mut self.note, &other.note);
        fill("page", &mut self.page, &other.page);
        fill("text", &mut self.text, &other.text);
        fill("accessed", &mut self.accessed, &other.accessed);
        // A snapshot is of an address: one of another is not this one's.
        if self.url == other.url {
            fill("archived_url", &mut self.archived_url, &other.archived_url);
            fill("archived_at", &mut self.archived_at, &other.archived_at);
            self.url_dead |= other.url_dead;
        }
        let authors = |a: &[String]| a.join("; ");
        match (self.authors.is_empty(), other.authors.is_empty()) {
            (true, false) => {
                self.authors.clone_from(&other.authors);
                if let Some(from) = other.provenance.get("authors") {
                    self.provenance.insert("authors".into(), *from);
                }
            }
            (false, false) => {
                if let Some(from) = other.provenance.get("authors")
                    && !agree("authors", &authors(&self.authors), &authors(&other.authors))
                {
                    let conflict = Conflict {
                        field: "authors".into(),
                        registry: authors(&self.authors),
                        found: authors(&other.authors),
                        from: *from,
                    };
                    if !self.conflicts.contains(&conflict) {
                        self.conflicts.push(conflict);
                    }
                }
            }
            _ => {}
        }
        for conflict in &other.conflicts {
            if !self.conflicts.contains(conflict) {
                self.conflicts.push(conflict.clone());
            }
        }
        if !other.aliases.is_empty() {
            // A set, not a scan of the list for each alias: a registry may
            // give a source thousands.
            let mut have: std::collections::HashSet<String> =
                self.aliases.iter().cloned().collect();
            for alias in &other.aliases {
                if have.insert(alias.clone()) {
                    self.aliases.push(alias.clone());
                }
            }
        }
    }
}

/// Whether `url` is an address that can be handed to a browser: `http`,
/// `https`, or relative (a path, a fragment, `//host/…`), not
/// `javascript:`, `data:` or another scheme.
pub fn is_web_link(url: &str) -> bool {
    let url = url.trim_start();
    let scheme_end = url.find(|c: char| !(c.is_ascii_alphanumeric() || "+.-".contains(c)));
    match scheme_end {
        Some(end)
            if end > 0
                && url[end..].starts_with(':')
                && url.as_bytes()[0].is_ascii_alphabetic() =>
        {
            let scheme = url[..end].to_ascii_lowercase();
            scheme == "http" || scheme == "https"
        }
        _ => !url.chars().any(char::is_control),
    }
}

/// Whether `url` is a link a page may well carry that is just not a web
/// address: an email address, a telephone number, a file server. Such a
/// link is dropped without a word; another (`javascript:`, `data:`) is
/// worth a warning.
pub fn is_everyday_link(url: &str) -> bool {
    let url = url.trim_start();
    url.split_once(':').is_some_and(|(scheme, _)| {
        [
            "mailto", "tel", "sms", "ftp", "ftps", "sftp", "irc", "xmpp", "webcal",
        ]
        .iter()
        .any(|s| scheme.eq_ignore_ascii_case(s))
    }) && !url.chars().any(char::is_control)
}

/// Whether two statements of a source's `field` say the same: case,
/// punctuation and accents do not count; a date agrees with a more precise
/// one of the same day, month or year ("2016" with "2016-07-14"); a title
/// with the same title and its subtitle; authors with the same names in
/// another order or written family name first ("Hermes, Kris").
fn agree(field: &str, a: &str, b: &str) -> bool {
    if field == "date" {
        let (a, b) = (a.trim(), b.trim());
        return a.starts_with(b) || b.starts_with(a);
    }
    let words = |s: &str| -> Vec<String> {
        crate::token::fold(s)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(String::from)
            .collect()
    };
    let (mut a, mut b) = (words(a), words(b));
    match field {
        "authors" => {
            a.sort();
            b.sort();
            a == b
        }
        "title" => {
            let shorter = a.len().min(b.len());
            shorter > 0 && a[..shorter] == b[..shorter]
        }
        _ => a == b,
    }
}

/// Folds a name for look-up: case, punctuation and a leading "the" do not count.
pub fn name_key(name: &str) -> String {
    let folded = crate::token::fold(name);
    folded.strip_prefix("the ").unwrap_or(&folded).to_string()
}

/// Folds a URL for look-up: scheme, `www.`, a trailing slash and case do not count.
pub fn url_key(url: &str) -> String {
    let url = url.trim();
    let url = url.split_once("://").map_or(url, |(_, rest)| rest);
    let url = url.strip_prefix("www.").unwrap_or(url);
    let url = url.split('#').next().unwrap_or(url);
    url.trim_end_matches('/').to_lowercase()
}

/// Makes a slug for an id: lower case ASCII letters and digits joined by `-`.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for word in crate::token::words(text) {
        let ascii: String = word
            .text
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        if ascii.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&ascii);
    }
    if out.is_empty() { "source".into() } else { out }
}

/// All known sources, found by id, name, alias or URL.
///
/// The name and URL look-ups are built on first use: a CLI search on a
/// large corpus needs sources by id only, and folding every title took a
/// quarter of its time.
#[derive(Debug, Clone, Default)]
pub struct SourceTable {
    by_id: BTreeMap<String, Source>,
    /// Ids in the order they were first added: an earlier source keeps a
    /// name that a later one shares.
    order: Vec<String>,
    lookup: std::sync::OnceLock<Lookup>,
}

#[derive(Debug, Clone, Default)]
struct Lookup {
    by_name: HashMap<String, String>,
    by_url: HashMap<String, String>,
}

impl SourceTable {
    /// A table of `sources`; a later source with an id already present fills
    /// the fields the earlier one leaves empty.
    pub fn new(sources: impl IntoIterator<Item = Source>) -> Self {
        let mut table = SourceTable::default();
        for source in sources {
            table.insert(source);
        }
        table
    }

    /// Keeps of each source's conflicts those for which `keep(id, field)`.
    pub fn retain_conflicts(&mut self, keep: impl Fn(&str, &str) -> bool) {
        for source in self.by_id.values_mut() {
            let id = source.id.clone();
            source.conflicts.retain(|c| keep(&id, &c.field));
        }
    }

    /// Adds a source, or completes the one with the same id.
    pub fn insert(&mut self, source: Source) {
        self.lookup = std::sync::OnceLock::new();
        match self.by_id.get_mut(&source.id) {
            Some(existing) => existing.fill_from(&source),
            None => {
                self.order.push(source.id.clone());
                self.by_id.insert(source.id.clone(), source);
            }
        }
    }

    fn lookup(&self) -> &Lookup {
        self.lookup.get_or_init(|| {
            let mut lookup = Lookup::default();
            for id in &self.order {
                let Some(source) = self.by_id.get(id) else {
                    continue;
                };
                for name in source.names() {
                    lookup
                        .by_name
                        .entry(name_key(name))
                        .or_insert_with(|| id.clone());
                }
                lookup
                    .by_name
                    .entry(name_key(id))
                    .or_insert_with(|| id.clone());
                if let Some(url) = &source.url {
                    lookup
                        .by_url
                        .entry(url_key(url))
                        .or_insert_with(|| id.clone());
                }
            }
            lookup
        })
    }

    /// The source with this id.
    pub fn get(&self, id: &str) -> Option<&Source> {
        self.by_id.get(id)
    }

    /// The source called `name` (an id, title or alias, in any case).
    pub fn by_name(&self, name: &str) -> Option<&Source> {
        if let Some(source) = self.by_id.get(name) {
            return Some(source);
        }
        self.lookup()
            .by_name
            .get(&name_key(name))
            .and_then(|id| self.by_id.get(id))
    }

    /// The source at `url`.
    pub fn by_url(&self, url: &str) -> Option<&Source> {
        self.lookup()
            .by_url
            .get(&url_key(url))
            .and_then(|id| self.by_id.get(id))
    }

    /// Every source, ordered by id.
    pub fn iter(&self) -> impl Iterator<Item = &Source> {
        self.by_id.values()
    }

    /// How many sources there are.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A source as its own page states it, every field from `from`.
    fn stated(from: Origin, fields: &[(&str, &str)]) -> Source {
        let mut source = Source {
            id: "s".into(),
            ..Source::default()
        };
        for (field, value) in fields {
            let text = value.to_string();
            let value = Some(text.clone());
            match *field {
                "title" => source.title = value,
                "date" => source.date = value,
                "publisher" => source.publisher = value,
                "authors" => source.authors = vec![text],
                _ => panic!("no field {field} in these tests"),
            }
            source.provenance.insert(field.to_string(), from);
        }
        source
    }

    #[test]
    fn a_registry_is_filled_where_silent_and_told_where_it_disagrees() {
        let mut registered = Source {
            id: "s".into(),
            title: Some("Rent Strikes".into()),
            date: Some("2016".into()),
            authors: vec!["Adaeze Okafor".into()],
            ..Source::default()
        };
        registered.fill_from(&stated(
            Origin::Page,
            &[
                ("title", "Rent strikes: a history"),
                ("date", "2016-07-14"),
                ("authors", "Okafor, Adaeze"),
                ("publisher", "Commons Press"),
            ],
        ));
        // Agreement: a subtitle, a more precise day, a name turned round.
        assert!(
            registered.conflicts.is_empty(),
            "{:?}",
            registered.conflicts
        );
        assert_eq!(registered.date.as_deref(), Some("2016"));
        assert_eq!(registered.publisher.as_deref(), Some("Commons Press"));
        assert_eq!(registered.provenance.get("publisher"), Some(&Origin::Page));
        assert_eq!(registered.provenance.get("date"), None);

        registered.fill_from(&stated(
            Origin::Doi,
            &[("date", "2017-01"), ("title", "Other Title")],
        ));
        let fields: Vec<&str> = registered
            .conflicts
            .iter()
            .map(|c| c.field.as_str())
            .collect();
        assert_eq!(fields, ["title", "date"]);
        assert_eq!(registered.conflicts[1].registry, "2016");
        assert_eq!(registered.conflicts[1].found, "2017-01");
        assert_eq!(registered.conflicts[1].from, Origin::Doi);
        assert_eq!(registered.date.as_deref(), Some("2016"));

        // A page's own front matter is not a statement of the source's:
        // two sources merged without provenance never conflict.
        let mut page = Source {
            id: "s".into(),
            date: Some("2001".into()),
            ..Source::default()
        };
        page.fill_from(&Source {
            id: "s".into(),
            date: Some("1999".into()),
            ..Source::default()
        });
        assert!(page.conflicts.is_empty());
    }

    const REGISTRY: &str = r#"
sources:
  - id: jclc
    kind: organization
    title: Just Cause Law Collective
    aliases: [JCLC]
  - id: hermes-2016
    kind: article
    title: Collective Action Behind Bars
    authors: [Kris Hermes]
    date: "2016"
    url: https://uppingtheanti.org/journal/article/18-collective-action-behind-bars
"#;

    #[test]
    fn finds_sources_by_id_name_alias_and_url() {
        let table = SourceTable::new(crate::registry::parse_yaml(REGISTRY, "sources.yaml").0);
        for name in [
            "jclc",
            "JCLC",
            "Just Cause Law Collective",
            "the just cause law collective",
        ] {
            assert_eq!(
                table.by_name(name).map(|s| s.id.as_str()),
                Some("jclc"),
                "{name}"
            );
        }
        let url = "http://www.uppingtheanti.org/journal/article/18-collective-action-behind-bars/";
        assert_eq!(
            table.by_url(url).map(|s| s.id.as_str()),
            Some("hermes-2016")
        );
    }

    #[test]
    fn short_labels_read_like_references() {
        let table = SourceTable::new(crate::registry::parse_yaml(REGISTRY, "sources.yaml").0);
        assert_eq!(
            table.get("hermes-2016").unwrap().short_label(),
            "Hermes 2016"
        );
        assert_eq!(table.get("jclc").unwrap().short_label(), "JCLC");
    }

    #[test]
    fn slugs_are_ascii() {
        assert_eq!(
            slug("Just Cause Law Collective"),
            "just-cause-law-collective"
        );
        assert_eq!(slug("Société Générale"), "societe-generale");
    }
}

//! Site: the corpus read the way its generator builds it.
//!
//! A corpus directory is a Jekyll site (`_config.yml` or `_config.toml` at
//! its root), a Hugo site (`hugo.*` or `config.*` beside `content/`), or a
//! plain folder of Markdown. The [`Generator`] of each knows what is
//! content and what only supports it (layouts, includes, authors, the
//! configuration), the URL each page is published at, what a page includes
//! from elsewhere, and who its authors are by name; everything after this
//! stage sees pages as a visitor does, and never template syntax.

use std::sync::Arc;

use serde_json::Value;

use crate::corpus::{Corpus, FileRole, Scan};
use crate::error::{Error, Result};
use crate::page::Page;

pub mod date;
mod hugo;
mod jekyll;
mod liquid;
mod permalink;
mod plain;

/// Which generator builds the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SiteKind {
    /// Jekyll.
    Jekyll,
    /// Hugo.
    Hugo,
    /// A folder of Markdown with neither.
    Plain,
}

impl SiteKind {
    /// The kind's name, as `--site` takes it.
    pub fn name(self) -> &'static str {
        match self {
            SiteKind::Jekyll => "jekyll",
            SiteKind::Hugo => "hugo",
            SiteKind::Plain => "plain",
        }
    }
}

impl std::str::FromStr for SiteKind {
    type Err = String;

    fn from_str(name: &str) -> std::result::Result<Self, String> {
        match name.trim().to_ascii_lowercase().as_str() {
            "jekyll" => Ok(SiteKind::Jekyll),
            "hugo" => Ok(SiteKind::Hugo),
            "plain" | "markdown" => Ok(SiteKind::Plain),
            other => Err(format!(
                "there is no site kind `{other}`; it is jekyll, hugo or plain"
            )),
        }
    }
}

/// How to read the site.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteOptions {
    /// The generator, when it is not to be guessed from the files.
    pub kind: Option<SiteKind>,
    /// Index drafts too (Jekyll's `_drafts`, Hugo's `draft: true`).
    pub drafts: bool,
    /// Index pages dated in the future too.
    pub future: bool,
    /// Index pages past their expiry date too (Hugo).
    pub expired: bool,
}

/// What the generator makes of a page.
#[derive(Debug)]
pub enum Published {
    /// The page as the site publishes it, and the corpus files it was made
    /// from besides its own (configuration, layouts, includes, authors).
    Page {
        /// The page.
        page: Box<Page>,
        /// The files it depends on.
        depends: Vec<String>,
    },
    /// The site does not publish it, and why (a draft, a future post, a
    /// file without front matter).
    LeftOut(String),
}

/// One generator's rules.
pub trait Generator: std::fmt::Debug + Send + Sync {
    /// Which generator this is.
    fn kind(&self) -> SiteKind;

    /// What the file (or directory) at corpus path `path` is to the site.
    fn role(&self, path: &str, is_dir: bool) -> FileRole;

    /// `page` as the site publishes it: URL, title, authors by name, date,
    /// the website it is on, and its text with templates resolved and
    /// includes spliced in.
    fn publish(&self, page: Page, corpus: &Corpus) -> Result<Published>;

    /// The website as a whole: its name, publisher and address, when the
    /// configuration says them.
    fn website(&self) -> Website;

    /// Whether the supporting file at `path` is a fragment of text that
    /// pages include (an include written in Markdown).
    fn is_fragment(&self, _path: &str) -> bool {
        false
    }

    /// A fragment that no page includes, read on its own: its templates
    /// resolved, no URL (the site publishes it only inside pages).
    fn fragment(&self, page: Page, _corpus: &Corpus) -> Result<Page> {
        Ok(page)
    }
}

/// The website a site is, for citations.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Website {
    /// Its name (the configuration's title, without a tagline after `:`, `|` or ` - `).
    pub name: Option<String>,
    /// Its publisher or author.
    pub publisher: Option<String>,
    /// Its address, with the base path.
    pub url: Option<String>,
}

/// A corpus and the generator that builds it.
#[derive(Debug, Clone)]
pub struct Site {
    corpus: Corpus,
    generator: Arc<dyn Generator>,
    options: SiteOptions,
}

impl Site {
    /// The site at `root`: a Jekyll or Hugo site when its files say so (or
    /// `options.kind`), else a plain folder of Markdown.
    pub fn open(root: impl Into<std::path::PathBuf>, options: &SiteOptions) -> Result<Site> {
        let corpus = Corpus::open(root)?;
        let kind = options.kind.unwrap_or_else(|| detect(&corpus));
        let generator: Arc<dyn Generator> = match kind {
            SiteKind::Jekyll => Arc::new(jekyll::Jekyll::open(&corpus, options)?),
            SiteKind::Hugo => Arc::new(hugo::Hugo::open(&corpus, options)?),
            SiteKind::Plain => Arc::new(plain::Plain),
        };
        Ok(Site {
            corpus,
            generator,
            options: options.clone(),
        })
    }

    /// A plain folder of Markdown at `corpus`, whatever its files say.
    pub fn plain(corpus: Corpus) -> Site {
        Site {
            corpus,
            generator: Arc::new(plain::Plain),
            options: SiteOptions::default(),
        }
    }

    /// The generator and what it was told to publish (`jekyll+drafts`): an
    /// index read another way is read again.
    pub fn signature(&self) -> String {
        let mut out = self.kind().name().to_string();
        if self.kind() != SiteKind::Plain {
            for (flag, name) in [
                (self.options.drafts, "+drafts"),
                (self.options.future, "+future"),
                (self.options.expired, "+expired"),
            ] {
                if flag {
                    out.push_str(name);
                }
            }
        }
        out
    }

    /// The directory.
    pub fn corpus(&self) -> &Corpus {
        &self.corpus
    }

    /// Which generator builds it.
    pub fn kind(&self) -> SiteKind {
        self.generator.kind()
    }

    /// The website, for citations.
    pub fn website(&self) -> Website {
        self.generator.website()
    }

    /// Lists the site's pages, its supporting files and its registry.
    pub fn scan(&self) -> Result<Scan> {
        let generator = &self.generator;
        self.corpus
            .scan_with(&|path: &str, is_dir: bool| generator.role(path, is_dir))
    }

    /// Whether the supporting file at `path` is a fragment pages include.
    pub fn is_fragment(&self, path: &str) -> bool {
        self.generator.is_fragment(path)
    }

    /// A fragment no page includes, to index on its own.
    pub fn fragment(&self, page: Page) -> Result<Page> {
        let mut page = self.generator.fragment(page, &self.corpus)?;
        page.url = String::new();
        page.warnings.push((
            1,
            "no page includes this fragment: it is indexed on its own, without a URL".into(),
        ));
        Ok(page)
    }

    /// Makes `page` what the site publishes.
    pub fn publish(&self, page: Page) -> Result<Published> {
        self.generator.publish(page, &self.corpus)
    }
}

/// The generator whose files stand at the corpus root.
fn detect(corpus: &Corpus) -> SiteKind {
    let at_root = |name: &str| corpus.root().join(name).is_file();
    if ["_config.yml", "_config.yaml", "_config.toml"]
        .iter()
        .any(|n| at_root(n))
    {
        return SiteKind::Jekyll;
    }
    let hugo_config = ["hugo", "config"].iter().any(|stem| {
        ["toml", "yaml", "yml", "json"]
            .iter()
            .any(|ext| at_root(&format!("{stem}.{ext}")))
    });
    if hugo_config && corpus.root().join("content").is_dir() {
        return SiteKind::Hugo;
    }
    SiteKind::Plain
}

/// Reads a configuration file (YAML, TOML or JSON, by its extension) as
/// a JSON object.
fn read_config(corpus: &Corpus, path: &str) -> Result<serde_json::Map<String, Value>> {
    let bad = |line: usize, message: String| Error::Corpus {
        path: path.to_string(),
        line,
        message,
    };
    let bytes = corpus.read(path)?;
    let text = String::from_utf8(bytes).map_err(|e| bad(1, format!("invalid UTF-8: {e}")))?;
    let value: Value = if path.ends_with(".toml") {
        let table: toml::Table = toml::from_str(&text).map_err(|e| {
            let line = e
                .span()
                .map_or(1, |s| crate::page::line_at(text.as_bytes(), s.start));
            bad(line, format!("bad TOML configuration: {}", e.message()))
        })?;
        serde_json::to_value(table).map_err(|e| bad(1, e.to_string()))?
    } else if path.ends_with(".json") {
        serde_json::from_str(&text)
            .map_err(|e| bad(e.line(), format!("bad JSON configuration: {e}")))?
    } else {
        if text.trim().is_empty() {
            return Ok(serde_json::Map::new());
        }
        crate::yaml::check_flow_nesting(&text)
            .map_err(|(line, why)| bad(line, format!("bad YAML configuration: {why}")))?;
        let yaml: serde_norway::Value = serde_norway::from_str(&text).map_err(|e| {
            let line = e.location().map_or(1, |l| l.line());
            bad(line, format!("bad YAML configuration: {e}"))
        })?;
        serde_json::to_value(yaml).map_err(|e| bad(1, e.to_string()))?
    };
    match value {
        Value::Object(map) => Ok(map),
        Value::Null => Ok(serde_json::Map::new()),
        _ => Err(bad(1, "the configuration must be a mapping of keys".into())),
    }
}

/// A string of the configuration or front matter, if it is one.
fn text(map: &serde_json::Map<String, Value>, key: &str) -> Option<String> {
    match map.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The strings of a key that holds one or a list.
fn strings(map: &serde_json::Map<String, Value>, key: &str) -> Vec<String> {
    match map.get(key) {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(|v| match v {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .collect(),
        _ => vec![],
    }
}

/// A site's name from its title: "18F: Digital service delivery" is 18F,
/// as "Name | tagline" and "Name — tagline" are Name.
fn site_name(title: &str) -> String {
    let title = title.trim();
    for separator in [": ", " | ", " — ", " – ", " - "] {
        if let Some((name, _)) = title.split_once(separator)
            && !name.trim().is_empty()
        {
            return name.trim().to_string();
        }
    }
    title.to_string()
}

/// The authors' names a page's front matter gives, through `names` (slug
/// to name); a name `names` does not know stays as written.
fn author_names(
    front: &serde_json::Map<String, Value>,
    names: &dyn Fn(&str) -> Option<String>,
) -> Option<Vec<String>> {
    let mut written = strings(front, "authors");
    written.extend(strings(front, "author"));
    if let Some(Value::Object(author)) = front.get("author")
        && let Some(name) = text(author, "name")
    {
        written.push(name);
    }
    if written.is_empty() {
        return None;
    }
    let mut out: Vec<String> = Vec::new();
    for slug in written {
        let name = names(slug.trim()).unwrap_or_else(|| slug.trim().to_string());
        if !name.is_empty() && !out.contains(&name) {
            out.push(name);
        }
    }
    Some(out)
}

/// The name an author file (or entry of an authors data file) gives: the
/// full name, else the title or display name, else first and last name,
/// else a `name` written as a name rather than a slug.
/// Adds the authors of a site's data file (`_data/authors.yml`,
/// `data/authors.toml`, …: a slug to a name, or to fields holding one) to
/// `names` (slug → name and the file that says it): each file of `stem`
/// with one of `extensions`, in their order, never over a name already there.
fn authors_from_data(
    corpus: &Corpus,
    stem: &str,
    extensions: &[&str],
    names: &mut std::collections::HashMap<String, (String, String)>,
) {
    for ext in extensions {
        let path = format!("{stem}.{ext}");
        if !corpus.root().join(&path).is_file() {
            continue;
        }
        let Ok(data) = read_config(corpus, &path) else {
            continue;
        };
        for (slug, entry) in data {
            let name = match &entry {
                Value::String(s) => Some(s.clone()),
                Value::Object(fields) => author_display(fields).or_else(|| text(fields, "name")),
                _ => None,
            };
            if let Some(name) = name {
                names
                    .entry(slug.to_lowercase())
                    .or_insert_with(|| (name, path.clone()));
            }
        }
    }
}

fn author_display(fields: &serde_json::Map<String, Value>) -> Option<String> {
    for key in ["full_name", "fullname", "display_name", "title"] {
        if let Some(name) = text(fields, key) {
            return Some(name);
        }
    }
    let first = text(fields, "first_name");
    let last = text(fields, "last_name");
    if let (Some(first), Some(last)) = (&first, &last) {
        return Some(format!("{first} {last}"));
    }
    text(fields, "name").filter(|n| n.contains(' ') || n.chars().any(char::is_uppercase))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_site_is_named_by_its_title_without_a_tagline() {
        assert_eq!(site_name("18F: Digital service delivery"), "18F");
        assert_eq!(
            site_name("Tenants Weekly | News for renters"),
            "Tenants Weekly"
        );
        assert_eq!(site_name("The Ledger"), "The Ledger");
        assert_eq!(site_name("Harbor Notes — a blog"), "Harbor Notes");
    }

    #[test]
    fn authors_from_data_files_never_over_a_name_already_known() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("data")).unwrap();
        std::fs::write(
            dir.path().join("data/authors.toml"),
            "ada = \"Ada Quill\"\n[kim]\nfull_name = \"Kim Park\"\n[lee]\nname = \"Lee Sato\"\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("data/authors.json"),
            r#"{"ada": "Someone Else"}"#,
        )
        .unwrap();
        let corpus = Corpus::open(dir.path()).unwrap();
        let mut names = std::collections::HashMap::new();
        names.insert(
            "lee".to_string(),
            (
                "Lee S. Sato".to_string(),
                "content/authors/lee/_index.md".to_string(),
            ),
        );
        authors_from_data(&corpus, "data/authors", &["toml", "json"], &mut names);
        let name = |slug: &str| names.get(slug).map(|(n, _)| n.as_str());
        assert_eq!(name("ada"), Some("Ada Quill"));
        assert_eq!(name("kim"), Some("Kim Park"));
        assert_eq!(name("lee"), Some("Lee S. Sato"));
        assert_eq!(names["kim"].1, "data/authors.toml");
    }

    #[test]
    fn authors_by_name() {
        let mut names = std::collections::HashMap::new();
        names.insert("ada".to_string(), "Ada Quill".to_string());
        let front: serde_json::Map<String, Value> =
            serde_json::from_str(r#"{"authors": ["ada", "Kim Park"], "author": "ada"}"#).unwrap();
        let lookup = |s: &str| names.get(s).cloned();
        assert_eq!(
            author_names(&front, &lookup).unwrap(),
            ["Ada Quill", "Kim Park"]
        );
        let fields: serde_json::Map<String, Value> =
            serde_json::from_str(r#"{"name": "robert", "full_name": "Dr. Robert L. Read"}"#)
                .unwrap();
        assert_eq!(
            author_display(&fields).as_deref(),
            Some("Dr. Robert L. Read")
        );
        let fields: serde_json::Map<String, Value> = serde_json::from_str(
            r#"{"name": "awichman", "first_name": "Ashley", "last_name": "Wichman"}"#,
        )
        .unwrap();
        assert_eq!(author_display(&fields).as_deref(), Some("Ashley Wichman"));
        let fields: serde_json::Map<String, Value> =
            serde_json::from_str(r#"{"name": "tom"}"#).unwrap();
        assert_eq!(author_display(&fields), None);
    }
}

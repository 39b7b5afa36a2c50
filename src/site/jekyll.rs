//! Jekyll: what is content, the URL of each page as Jekyll 4 makes it
//! (permalink styles and templates, collections, front matter defaults,
//! a post's date and categories, `baseurl`), includes, and authors by name.

use std::collections::HashMap;
use std::sync::OnceLock;

use jiff::tz::TimeZone;
use serde_json::{Map, Value};

use super::liquid::{self, Context, Expanded};
use super::permalink::{escape, fill, jekyll_slugify, sanitize};
use super::{Generator, Published, SiteKind, SiteOptions, Website, date, strings, text};
use crate::corpus::{Corpus, FileRole, PAGE_EXTENSIONS, is_document_path};
use crate::error::Result;
use crate::page::Page;

/// What Jekyll leaves out of every site (its `DEFAULT_EXCLUDES`, and its
/// output and caches).
const DEFAULT_EXCLUDES: [&str; 9] = [
    "_site",
    ".sass-cache",
    ".jekyll-cache",
    "gemfiles",
    "Gemfile",
    "Gemfile.lock",
    "node_modules",
    "vendor",
    ".bundle",
];

/// A collection of the configuration.
#[derive(Debug, Clone)]
struct Collection {
    label: String,
    output: bool,
    permalink: Option<String>,
}

/// A Jekyll site's rules, read from its configuration.
#[derive(Debug)]
pub struct Jekyll {
    config: Map<String, Value>,
    config_file: String,
    /// `baseurl`, with a leading and no trailing slash (or empty).
    baseurl: String,
    /// `url`, without a trailing slash.
    url: Option<String>,
    /// The style the configuration names (`pretty`, `date`, …) or its template.
    style: String,
    collections: Vec<Collection>,
    exclude: Vec<String>,
    include: Vec<String>,
    defaults: Vec<(String, Option<String>, Map<String, Value>)>,
    zone: TimeZone,
    options: SiteOptions,
    /// Authors' names by slug, and the file each comes from.
    authors: OnceLock<HashMap<String, (String, String)>>,
    corpus: Corpus,
}

impl Jekyll {
    /// Reads the configuration of the site in `corpus`.
    pub fn open(corpus: &Corpus, options: &SiteOptions) -> Result<Jekyll> {
        let config_file = ["_config.yml", "_config.yaml", "_config.toml"]
            .into_iter()
            .find(|n| corpus.root().join(n).is_file())
            .unwrap_or("_config.yml")
            .to_string();
        let config = if corpus.root().join(&config_file).is_file() {
            super::read_config(corpus, &config_file)?
        } else {
            Map::new()
        };
        let baseurl = text(&config, "baseurl")
            .map(|b| format!("/{}", b.trim_matches('/')))
            .filter(|b| b != "/")
            .unwrap_or_default();
        let url = text(&config, "url").map(|u| u.trim_end_matches('/').to_string());
        let style = text(&config, "permalink").unwrap_or_else(|| "date".into());
        let mut collections = vec![Collection {
            label: "posts".into(),
            output: true,
            permalink: None,
        }];
        if let Some(Value::Object(map)) = config.get("collections") {
            for (label, meta) in map {
                let meta = meta.as_object().cloned().unwrap_or_default();
                let output = meta.get("output").and_then(Value::as_bool).unwrap_or(false);
                let permalink = text(&meta, "permalink");
                if label == "posts" {
                    collections[0].permalink = permalink;
                } else {
                    collections.push(Collection {
                        label: label.clone(),
                        output,
                        permalink,
                    });
                }
            }
        } else if let Some(Value::Array(list)) = config.get("collections") {
            for label in list.iter().filter_map(Value::as_str) {
                collections.push(Collection {
                    label: label.to_string(),
                    output: false,
                    permalink: None,
                });
            }
        }
        let mut defaults = Vec::new();
        if let Some(Value::Array(list)) = config.get("defaults") {
            for entry in list.iter().filter_map(Value::as_object) {
                let scope = entry.get("scope").and_then(Value::as_object);
                let path = scope.and_then(|s| text(s, "path")).unwrap_or_default();
                let kind = scope.and_then(|s| text(s, "type"));
                if let Some(Value::Object(values)) = entry.get("values") {
                    defaults.push((path.trim_matches('/').to_string(), kind, values.clone()));
                }
            }
        }
        let zone = text(&config, "timezone")
            .and_then(|z| date::zone(&z))
            .unwrap_or(TimeZone::UTC);
        Ok(Jekyll {
            exclude: strings(&config, "exclude"),
            include: strings(&config, "include"),
            baseurl,
            url,
            style,
            collections,
            defaults,
            zone,
            options: options.clone(),
            authors: OnceLock::new(),
            config_file,
            config,
            corpus: corpus.clone(),
        })
    }

    /// The collection a corpus path is in (`_posts` at any depth is posts).
    fn collection_of(&self, path: &str) -> Option<&Collection> {
        if is_post_path(path) || (self.options.drafts && path.split('/').any(|p| p == "_drafts")) {
            return self.collections.first();
        }
        let first = path.split('/').next()?;
        let label = first.strip_prefix('_')?;
        self.collections.iter().skip(1).find(|c| c.label == label)
    }

    /// Whether a path matches a pattern of `exclude:` or `include:`.
    fn listed(patterns: &[String], path: &str) -> bool {
        patterns.iter().any(|pattern| {
            let pattern = pattern.trim_start_matches("./").trim_end_matches('/');
            let name = path.rsplit('/').next().unwrap_or(path);
            path == pattern
                || path.starts_with(&format!("{pattern}/"))
                || glob(pattern, path)
                || glob(pattern, name)
        })
    }

    /// Authors by slug: the documents of an `authors` collection (or any
    /// collection directory named so) and `_data/authors.*`.
    fn authors(&self) -> &HashMap<String, (String, String)> {
        self.authors.get_or_init(|| {
            let mut names = HashMap::new();
            let dir = self.corpus.root().join("_authors");
            if let Ok(entries) = std::fs::read_dir(&dir) {
                let mut files: Vec<String> = entries
                    .flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| is_markdown(n) || n.ends_with(".html"))
                    .collect();
                files.sort();
                for name in files {
                    let path = format!("_authors/{name}");
                    let Ok(page) = self.corpus.read_page(&path) else {
                        continue;
                    };
                    let Some(display) = super::author_display(&page.front) else {
                        continue;
                    };
                    let stem = name
                        .rsplit_once('.')
                        .map_or(name.as_str(), |(s, _)| s)
                        .to_string();
                    let mut keys = vec![stem];
                    keys.extend(text(&page.front, "name"));
                    for key in keys {
                        names
                            .entry(key.to_lowercase())
                            .or_insert_with(|| (display.clone(), path.clone()));
                    }
                }
            }
            super::authors_from_data(
                &self.corpus,
                "_data/authors",
                &["yml", "yaml", "json", "toml"],
                &mut names,
            );
            names
        })
    }

    /// The front matter defaults that apply to `path`, of type `kind`,
    /// under the page's own values.
    fn apply_defaults(&self, front: &mut Map<String, Value>, path: &str, kind: &str) {
        for (scope, scope_kind, values) in &self.defaults {
            let in_path = scope.is_empty()
                || path == scope
                || path.starts_with(&format!("{scope}/"))
                || glob(scope, path);
            let of_kind = scope_kind.as_deref().is_none_or(|k| k == kind);
            if in_path && of_kind {
                for (key, value) in values {
                    front.entry(key.clone()).or_insert_with(|| value.clone());
                }
            }
        }
    }

    /// The template of a post's URL: the configuration's style, named or written.
    fn post_template(&self) -> String {
        match self.style.as_str() {
            "date" => "/:categories/:year/:month/:day/:title:output_ext".into(),
            "pretty" => "/:categories/:year/:month/:day/:title/".into(),
            "ordinal" => "/:categories/:year/:y_day/:title:output_ext".into(),
            "weekdate" => "/:categories/:year/W:week/:short_day/:title:output_ext".into(),
            "none" => "/:categories/:title:output_ext".into(),
            custom => custom.to_string(),
        }
    }

    /// `template` with the suffix the permalink style gives pages and
    /// collections (`/` for pretty, `:output_ext` for the dated styles).
    fn with_style_suffix(&self, template: &str) -> String {
        match self.style.as_str() {
            "pretty" => format!("{template}/"),
            "date" | "ordinal" | "none" => format!("{template}:output_ext"),
            custom if custom.ends_with('/') => format!("{template}/"),
            custom if custom.ends_with(":output_ext") => format!("{template}:output_ext"),
            _ => template.to_string(),
        }
    }

    /// The corpus path of the include `name`, from `from`.
    fn include_path(&self, name: &str, from: &str, relative: bool) -> Option<String> {
        let name = name.trim().trim_start_matches("./");
        let path = if relative {
            match from.rsplit_once('/') {
                Some((dir, _)) => format!("{dir}/{name}"),
                None => name.to_string(),
            }
        } else {
            format!("_includes/{name}")
        };
        self.corpus
            .resolve(&path)
            .ok()
            .filter(|p| p.is_file())
            .map(|_| path)
    }

    /// The front matter keys whose values the page's layouts include
    /// (`{% include {{ page.article }} %}`), through the layout chain.
    fn layout_includes(
        &self,
        layout: Option<String>,
        depends: &mut Vec<String>,
    ) -> Vec<(String, bool)> {
        let mut keys = Vec::new();
        let mut next = layout;
        let mut seen = Vec::new();
        while let Some(name) = next.take() {
            if seen.contains(&name) || seen.len() > 8 {
                break;
            }
            seen.push(name.clone());
            let path = format!("_layouts/{name}.html");
            let Ok(page) = self.corpus.read_page(&path) else {
                break;
            };
            depends.push(path);
            let body = page.body();
            let mut at = 0;
            while let Some(found) = body[at..].find("{%") {
                let open = at + found;
                let Some(close) = body[open..].find("%}") else {
                    break;
                };
                let inner = body[open + 2..open + close].trim_matches('-').trim();
                at = open + close + 2;
                let (tag, rest) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
                if tag != "include" && tag != "include_relative" {
                    continue;
                }
                let rest = rest.trim();
                if let Some(expr) = rest.strip_prefix("{{")
                    && let Some(expr) = expr.split("}}").next()
                    && let Some(key) = expr.trim().strip_prefix("page.")
                {
                    keys.push((key.trim().to_string(), tag == "include_relative"));
                }
            }
            next = text(&page.front, "layout");
        }
        keys
    }
}

/// Whether a path is a post: under a `_posts` directory at any depth.
fn is_post_path(path: &str) -> bool {
    path.split('/').rev().skip(1).any(|p| p == "_posts")
}

fn is_html_page(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, e)| matches!(e.to_ascii_lowercase().as_str(), "html" | "htm"))
}

fn is_markdown(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, e)| PAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// `*` and `?` as in shell patterns; other characters as they are.
fn glob(pattern: &str, text: &str) -> bool {
    if !pattern.contains(['*', '?']) {
        return false;
    }
    fn matches(p: &[u8], t: &[u8]) -> bool {
        match (p.first(), t.first()) {
            (None, None) => true,
            (Some(b'*'), _) => matches(&p[1..], t) || (!t.is_empty() && matches(p, &t[1..])),
            (Some(b'?'), Some(_)) => matches(&p[1..], &t[1..]),
            (Some(a), Some(b)) if a == b => matches(&p[1..], &t[1..]),
            _ => false,
        }
    }
    pattern.len() <= 64 && matches(pattern.as_bytes(), text.as_bytes())
}

/// Jekyll's `titleize_slug`: `a-story-here` is "A Story Here".
fn titleize(slug: &str) -> String {
    slug.split('-')
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| {
                    c.to_uppercase()
                        .chain(chars.flat_map(char::to_lowercase))
                        .collect()
                })
                .unwrap_or_default()
        })
        .collect::<Vec<String>>()
        .join(" ")
}

impl Generator for Jekyll {
    fn kind(&self) -> SiteKind {
        SiteKind::Jekyll
    }

    fn role(&self, path: &str, is_dir: bool) -> FileRole {
        let first = path.split('/').next().unwrap_or(path);
        if DEFAULT_EXCLUDES.contains(&first) || path.starts_with("vendor/") {
            return FileRole::Skip;
        }
        if !is_dir && !path.contains('/') && crate::registry::Format::of(path).is_some() {
            // At a site's root a `package.json` is no registry: only the
            // files named for sources are.
            let lower = path.to_ascii_lowercase();
            let registry = lower.starts_with("sources.") || lower.ends_with(".bib");
            return if registry {
                FileRole::Registry
            } else {
                FileRole::Skip
            };
        }
        if path == self.config_file || path.starts_with("_config") && !path.contains('/') {
            return FileRole::Support;
        }
        if is_document_path(path) {
            return crate::corpus::plain_role(path, is_dir);
        }
        // `_authors` read for names is data even when no collection
        // declares it.
        let authors = first == "_authors" && self.collection_of(path).is_none();
        for support in ["_layouts", "_includes", "_data"] {
            if first == support || authors {
                return if is_dir {
                    FileRole::Page
                } else {
                    FileRole::Support
                };
            }
        }
        let included = Self::listed(&self.include, path);
        if Self::listed(&self.exclude, path) && !included {
            return FileRole::Skip;
        }
        let collection = self.collection_of(path);
        if let Some(c) = collection
            && !c.output
        {
            // A collection without pages is data: authors, for names.
            return if is_dir {
                FileRole::Page
            } else {
                FileRole::Support
            };
        }
        let special = |part: &str| part.starts_with(['.', '_', '#', '~']) || part.ends_with('~');
        let parts: Vec<&str> = path.split('/').collect();
        for (i, part) in parts.iter().enumerate() {
            let allowed = (*part == "_posts")
                || (*part == "_drafts" && self.options.drafts)
                || (i == 0 && collection.is_some());
            if special(part) && !allowed && !included {
                return FileRole::Skip;
            }
        }
        if is_dir {
            return FileRole::Page;
        }
        // A page is Markdown or HTML; one without front matter is a
        // static file, which `publish` leaves out.
        if is_markdown(path) || is_html_page(path) {
            FileRole::Page
        } else {
            FileRole::Skip
        }
    }

    fn publish(&self, mut page: Page, corpus: &Corpus) -> Result<Published> {
        if page.front.is_empty() && page.body_start == 0 && !page.text.starts_with("---") {
            return Ok(Published::LeftOut(
                "it has no front matter, so Jekyll copies it as it is".into(),
            ));
        }
        let path = page.path.clone();
        let collection = self.collection_of(&path).cloned();
        let kind = match &collection {
            Some(c) if c.label == "posts" => "posts".to_string(),
            Some(c) => c.label.clone(),
            None => "pages".to_string(),
        };
        let mut front = page.front.clone();
        self.apply_defaults(&mut front, &path, &kind);
        if front.get("published") == Some(&Value::Bool(false)) {
            return Ok(Published::LeftOut(
                "its front matter says `published: false`".into(),
            ));
        }
        let file_name = path.rsplit('/').next().unwrap_or(&path).to_string();
        let (stem, ext) = file_name.rsplit_once('.').unwrap_or((&file_name, ""));
        let stem = stem.trim_end_matches('.').to_string();
        let _ = ext;
        let now = jiff::Timestamp::now();
        let mut when = text(&front, "date").and_then(|d| date::parse(&d, &self.zone));
        let mut slug = stem.clone();
        let is_post = kind == "posts";
        if is_post {
            // `YYYY-MM-DD-title`: the date, then the slug.
            let dated = stem.splitn(4, '-').collect::<Vec<_>>();
            let file_date = (dated.len() == 4)
                .then(|| date::parse(&dated[..3].join("-"), &self.zone))
                .flatten();
            match file_date {
                Some(d) => {
                    slug = dated[3].to_string();
                    when = when.or(Some(d));
                }
                None if !path.split('/').any(|p| p == "_drafts") => {
                    return Ok(Published::LeftOut(
                        "a post's file name must start with its date (YYYY-MM-DD-title)".into(),
                    ));
                }
                None => {}
            }
            if let Some(d) = &when
                && d.timestamp() > now
                && !self.options.future
                && front.get("future") != Some(&Value::Bool(true))
                && self.config.get("future") != Some(&Value::Bool(true))
            {
                return Ok(Published::LeftOut("it is dated in the future".into()));
            }
        }
        let slug_written = text(&front, "slug");
        let slug = slug_written.clone().unwrap_or(slug);
        let local = when.as_ref().map(|d| d.in_zone(&self.zone));
        let mut categories: Vec<String> = Vec::new();
        if is_post {
            // A post's folders above `_posts` are categories.
            let before: Vec<&str> = path
                .split("/_posts/")
                .next()
                .unwrap_or("")
                .split('/')
                .collect();
            if path.contains("/_posts/") {
                categories.extend(
                    before
                        .iter()
                        .filter(|p| !p.is_empty())
                        .map(|p| p.to_string()),
                );
            }
            for key in ["categories", "category"] {
                for c in strings(&front, key) {
                    let split: Vec<String> =
                        if key == "categories" && front.get(key).is_some_and(Value::is_string) {
                            c.split_whitespace().map(String::from).collect()
                        } else {
                            vec![c]
                        };
                    for c in split {
                        if !categories.contains(&c) {
                            categories.push(c);
                        }
                    }
                }
            }
        }
        let dir = match path.rsplit_once('/') {
            Some((dir, _)) => format!("/{dir}"),
            None => String::new(),
        };
        let template = match text(&front, "permalink") {
            Some(p) => p,
            None => match &collection {
                Some(c) if c.label == "posts" => {
                    c.permalink.clone().unwrap_or_else(|| self.post_template())
                }
                Some(c) => c
                    .permalink
                    .clone()
                    .unwrap_or_else(|| self.with_style_suffix("/:collection/:path")),
                None if stem == "index" => "/:path/".into(),
                None => self.with_style_suffix("/:path/:basename"),
            },
        };
        let cleaned = match &collection {
            Some(c) => path
                .strip_prefix(&format!("_{}", c.label))
                .unwrap_or(&path)
                .rsplit_once('.')
                .map_or(path.as_str(), |(p, _)| p)
                .trim_end_matches('.')
                .to_string(),
            None => String::new(),
        };
        let value = |name: &str| -> Option<String> {
            let date_part = |format: &str| local.as_ref().map(|d| d.strftime(format).to_string());
            let v = match name {
                "path" if collection.is_some() => cleaned.clone(),
                "path" => dir.clone(),
                "basename" => stem.clone(),
                "output_ext" => ".html".into(),
                "collection" => collection
                    .as_ref()
                    .map(|c| c.label.clone())
                    .unwrap_or_default(),
                "name" => jekyll_slugify(&stem, false, false),
                "title" => jekyll_slugify(&slug, true, true),
                // A post's slug is its file name without the date, as
                // Jekyll reads it, unless the front matter gives one.
                "slug" => jekyll_slugify(&slug, false, false),
                "categories" => {
                    let mut lower: Vec<String> = Vec::new();
                    for c in &categories {
                        let c = c.to_lowercase();
                        if !lower.contains(&c) {
                            lower.push(c);
                        }
                    }
                    lower.join("/")
                }
                "slugified_categories" => categories
                    .iter()
                    .map(|c| jekyll_slugify(c, false, false))
                    .collect::<Vec<_>>()
                    .join("/"),
                "year" => date_part("%Y")?,
                "month" => date_part("%m")?,
                "day" => date_part("%d")?,
                "hour" => date_part("%H")?,
                "minute" => date_part("%M")?,
                "second" => date_part("%S")?,
                "i_day" => date_part("%-d")?,
                "i_month" => date_part("%-m")?,
                "short_month" => date_part("%b")?,
                "long_month" => date_part("%B")?,
                "short_year" => date_part("%y")?,
                "y_day" => date_part("%j")?,
                "week" => date_part("%V")?,
                "w_year" => date_part("%G")?,
                "w_day" => date_part("%u")?,
                "short_day" => date_part("%a")?,
                "long_day" => date_part("%A")?,
                _ => return None,
            };
            Some(escape(&v))
        };
        let url = sanitize(&fill(&template, value));
        let site_path = format!("{}{url}", self.baseurl);
        page.url = match &self.url {
            Some(base) => format!("{base}{site_path}"),
            None => site_path,
        };
        if text(&front, "title").is_none() {
            page.title = if collection.is_some() {
                titleize(&slug)
            } else {
                page.title.clone()
            };
        }
        let mut depends = vec![self.config_file.clone()];
        let authors = self.authors();
        let names = |slug: &str| {
            authors
                .get(&slug.to_lowercase())
                .map(|(name, _)| name.clone())
        };
        page.authors = super::author_names(&front, &names);
        for slug in strings(&front, "authors")
            .iter()
            .chain(&strings(&front, "author"))
        {
            // A slug no file names yet is named by the author file that
            // would hold it, once that is written.
            let file = match authors.get(&slug.to_lowercase()) {
                Some((_, file)) => file.clone(),
                None => format!("_authors/{slug}.md"),
            };
            if !depends.contains(&file) {
                depends.push(file);
            }
        }
        page.date = when.as_ref().map(|d| d.day_in(&self.zone).to_string());
        let website = self.website();
        page.container = website.name;
        page.publisher = website.publisher;
        page.html_as_text = true;

        // The text: the body with its Liquid, then what the layouts
        // include by the page's front matter.
        let includer =
            |name: &str, from: &str, relative: bool| self.include_path(name, from, relative);
        let ctx = Context {
            site: &self.config,
            page: &front,
            author: &names,
            include: &includer,
            corpus,
        };
        let mut expanded = Expanded::default();
        liquid::expand(
            &path,
            &page.text,
            page.body_start..page.text.len(),
            &ctx,
            &Map::new(),
            &mut expanded,
        );
        for (key, relative) in self.layout_includes(text(&front, "layout"), &mut depends) {
            let Some(name) = text(&front, &key) else {
                continue;
            };
            let Some(file) = self.include_path(&name, &path, relative) else {
                continue;
            };
            if let Ok(bytes) = corpus.read(&file)
                && let Ok(included) = String::from_utf8(bytes)
            {
                expanded.depends.push(file.clone());
                let start = crate::page::Page::parse(&file, included.as_bytes().to_vec())
                    .map_or(0, |p| p.body_start);
                liquid::expand(
                    &file,
                    &included,
                    start..included.len(),
                    &ctx,
                    &Map::new(),
                    &mut expanded,
                );
            }
        }
        depends.extend(expanded.depends);
        page.segments = expanded.segments;
        page.front = front;
        Ok(Published::Page {
            page: Box::new(page),
            depends,
        })
    }

    fn is_fragment(&self, path: &str) -> bool {
        path.starts_with("_includes/") && is_markdown(path)
    }

    fn fragment(&self, mut page: Page, corpus: &Corpus) -> Result<Page> {
        let authors = self.authors();
        let names = |slug: &str| {
            authors
                .get(&slug.to_lowercase())
                .map(|(name, _)| name.clone())
        };
        let includer =
            |name: &str, from: &str, relative: bool| self.include_path(name, from, relative);
        let ctx = Context {
            site: &self.config,
            page: &page.front,
            author: &names,
            include: &includer,
            corpus,
        };
        let mut expanded = Expanded::default();
        liquid::expand(
            &page.path,
            &page.text,
            page.body_start..page.text.len(),
            &ctx,
            &Map::new(),
            &mut expanded,
        );
        page.segments = expanded.segments;
        let website = self.website();
        page.container = website.name;
        page.publisher = website.publisher;
        page.html_as_text = true;
        Ok(page)
    }

    fn website(&self) -> Website {
        let publisher = match self.config.get("author") {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Object(map)) => text(map, "name"),
            _ => text(&self.config, "publisher"),
        };
        Website {
            name: text(&self.config, "title").map(|t| super::site_name(&t)),
            publisher,
            url: self.url.as_ref().map(|u| format!("{u}{}", self.baseurl)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_and_titles() {
        assert!(glob("*.md", "secret.md"));
        assert!(!glob("*.md", "secret.txt"));
        assert!(glob("docs/?/x", "docs/a/x"));
        assert_eq!(titleize("a-story-of-things"), "A Story Of Things");
        assert!(is_post_path("blog/_posts/2015-01-01-x.md"));
        assert!(!is_post_path("_posts"));
    }
}

//! Hugo: content under `content/`, the URL of each page as Hugo makes it
//! (`permalinks` per section, `slug` and `url`, page bundles, `uglyURLs`,
//! lower-cased paths, `baseURL`), drafts, future and expired pages left
//! out, shortcodes read for their text, and authors by name.

use std::collections::HashMap;
use std::sync::OnceLock;

use jiff::tz::TimeZone;
use serde_json::{Map, Value};

use super::permalink::{escape, fill, hugo_urlize, sanitize};
use super::{Generator, Published, SiteKind, SiteOptions, Website, date, text};
use crate::corpus::{Corpus, FileRole, PAGE_EXTENSIONS, is_document_path};
use crate::error::Result;
use crate::page::{Builder, Page, Segment};

/// Keys of a shortcode's parameters that name who said its words.
const CREDIT_KEYS: [&str; 6] = ["attribution", "author", "cite", "source", "by", "name"];
/// Keys that carry the quotation itself.
const QUOTE_KEYS: [&str; 3] = ["quote", "text", "quotation"];

/// A Hugo site's rules, read from its configuration.
#[derive(Debug)]
pub struct Hugo {
    config: Map<String, Value>,
    config_file: String,
    content: String,
    base: String,
    /// The path part of `baseURL` (`/blog` in `https://x.org/blog/`).
    base_path: String,
    permalinks: HashMap<String, String>,
    ugly: bool,
    lower: bool,
    zone: TimeZone,
    options: SiteOptions,
    authors: OnceLock<HashMap<String, (String, String)>>,
    corpus: Corpus,
}

impl Hugo {
    /// Reads the configuration of the site in `corpus`.
    pub fn open(corpus: &Corpus, options: &SiteOptions) -> Result<Hugo> {
        let config_file = ["hugo", "config"]
            .iter()
            .flat_map(|stem| ["toml", "yaml", "yml", "json"].map(|ext| format!("{stem}.{ext}")))
            .find(|n| corpus.root().join(n).is_file())
            .unwrap_or_else(|| "hugo.toml".into());
        let config = if corpus.root().join(&config_file).is_file() {
            super::read_config(corpus, &config_file)?
        } else {
            Map::new()
        };
        let get = |key: &str| {
            config
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v.clone())
        };
        let base = get("baseURL")
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let base = base.trim_end_matches('/').to_string();
        let base_path = base
            .split_once("://")
            .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_string()))
            .unwrap_or_default();
        let mut permalinks = HashMap::new();
        if let Some(Value::Object(map)) = get("permalinks") {
            for (section, template) in map {
                match template {
                    Value::String(t) => {
                        permalinks.insert(section.to_lowercase(), t);
                    }
                    // Hugo 0.112's `[permalinks.page]` form.
                    Value::Object(kinds) if section == "page" => {
                        for (s, t) in kinds {
                            if let Value::String(t) = t {
                                permalinks.insert(s.to_lowercase(), t);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        let flag = |key: &str| get(key).and_then(|v| v.as_bool()).unwrap_or(false);
        let zone = get("timeZone")
            .and_then(|v| v.as_str().and_then(date::zone))
            .unwrap_or(TimeZone::UTC);
        Ok(Hugo {
            content: get("contentDir")
                .and_then(|v| v.as_str().map(|s| s.trim_matches('/').to_string()))
                .unwrap_or_else(|| "content".into()),
            base,
            base_path,
            permalinks,
            ugly: flag("uglyURLs"),
            lower: !flag("disablePathToLower"),
            zone,
            options: options.clone(),
            authors: OnceLock::new(),
            config_file,
            config,
            corpus: corpus.clone(),
        })
    }

    /// Authors by slug: the pages of the `authors` taxonomy
    /// (`content/authors/SLUG/_index.md`) and `data/authors.*`.
    fn authors(&self) -> &HashMap<String, (String, String)> {
        self.authors.get_or_init(|| {
            let mut names = HashMap::new();
            let dir = self.corpus.root().join(&self.content).join("authors");
            if let Ok(entries) = std::fs::read_dir(&dir) {
                for entry in entries.flatten() {
                    let slug = entry.file_name().to_string_lossy().into_owned();
                    let path = format!("{}/authors/{slug}/_index.md", self.content);
                    let Ok(page) = self.corpus.read_page(&path) else {
                        continue;
                    };
                    if let Some(name) = super::author_display(&page.front) {
                        names.insert(slug.to_lowercase(), (name, path));
                    }
                }
            }
            super::authors_from_data(
                &self.corpus,
                "data/authors",
                &["yaml", "yml", "toml", "json"],
                &mut names,
            );
            names
        })
    }

    /// The page's date as Hugo reads it: `date`, else `publishDate` and its
    /// other names.
    fn date_of(&self, front: &Map<String, Value>) -> Option<date::PageDate> {
        ["date", "publishDate", "pubdate", "published"]
            .iter()
            .find_map(|k| text(front, k))
            .and_then(|d| date::parse(&d, &self.zone))
    }
}

fn is_markdown(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, e)| PAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

impl Generator for Hugo {
    fn kind(&self) -> SiteKind {
        SiteKind::Hugo
    }

    fn role(&self, path: &str, is_dir: bool) -> FileRole {
        let first = path.split('/').next().unwrap_or(path);
        if !is_dir && !path.contains('/') {
            if path == self.config_file {
                return FileRole::Support;
            }
            let lower = path.to_ascii_lowercase();
            let registry = crate::registry::Format::of(path).is_some()
                && (lower.starts_with("sources.") || lower.ends_with(".bib"));
            return if registry {
                FileRole::Registry
            } else {
                FileRole::Skip
            };
        }
        if is_document_path(path) {
            return crate::corpus::plain_role(path, is_dir);
        }
        if first == self.content {
            if is_dir {
                return FileRole::Page;
            }
            if !is_markdown(path) {
                return FileRole::Skip;
            }
            // In a leaf bundle, the other Markdown files are resources of
            // its page, not pages.
            let name = path.rsplit('/').next().unwrap_or(path);
            if let Some((dir, _)) = path.rsplit_once('/')
                && !name.starts_with("index.")
                && !name.starts_with("_index.")
                && PAGE_EXTENSIONS.iter().any(|ext| {
                    self.corpus
                        .root()
                        .join(format!("{dir}/index.{ext}"))
                        .is_file()
                })
            {
                return FileRole::Skip;
            }
            return FileRole::Page;
        }
        match first {
            "layouts" | "data" => {
                if is_dir {
                    FileRole::Page
                } else {
                    FileRole::Support
                }
            }
            _ => FileRole::Skip,
        }
    }

    fn publish(&self, mut page: Page, corpus: &Corpus) -> Result<Published> {
        let front = page.front.clone();
        let now = jiff::Timestamp::now();
        if front.get("draft") == Some(&Value::Bool(true)) && !self.options.drafts {
            return Ok(Published::LeftOut("a draft".into()));
        }
        let when = self.date_of(&front);
        // Hugo publishes a page from its `publishDate` (its other names),
        // else its `date`.
        let published = ["publishDate", "pubdate", "published"]
            .iter()
            .find_map(|k| text(&front, k))
            .and_then(|d| date::parse(&d, &self.zone))
            .or(when.clone());
        if let Some(d) = &published
            && d.timestamp() > now
            && !self.options.future
        {
            return Ok(Published::LeftOut("dated in the future".into()));
        }
        let expires = ["expiryDate", "unpublishdate"]
            .iter()
            .find_map(|k| text(&front, k))
            .and_then(|d| date::parse(&d, &self.zone));
        if expires.is_some_and(|e| e.timestamp() <= now) && !self.options.expired {
            return Ok(Published::LeftOut("past its expiry date".into()));
        }
        let path = page.path.clone();
        let inside = path
            .strip_prefix(&format!("{}/", self.content))
            .unwrap_or(&path)
            .to_string();
        let (dir, name) = inside.rsplit_once('/').unwrap_or(("", &inside));
        let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
        let bundle = stem == "index" || stem == "_index";
        let list = stem == "_index";
        let filename = if bundle {
            dir.rsplit('/').next().unwrap_or(dir).to_string()
        } else {
            stem.to_string()
        };
        let section = inside
            .split('/')
            .next()
            .filter(|_| inside.contains('/'))
            .unwrap_or("");
        let title = text(&front, "title");
        let slug = text(&front, "slug");
        let url = if let Some(url) = text(&front, "url") {
            sanitize(&url)
        } else if let Some(template) = self
            .permalinks
            .get(&section.to_lowercase())
            .filter(|_| !list)
        {
            let written = when.as_ref().map(|d| d.as_written());
            let part = |format: &str| written.as_ref().map(|d| d.strftime(format).to_string());
            let value = |token: &str| -> Option<String> {
                let v = match token {
                    "year" => part("%Y")?,
                    "month" => part("%m")?,
                    "monthname" => part("%B")?,
                    "day" => part("%d")?,
                    "weekday" => part("%w")?,
                    "weekdayname" => part("%A")?,
                    "yearday" => part("%j")?,
                    "section" => section.to_string(),
                    "sections" => dir.to_string(),
                    "title" => hugo_urlize(title.as_deref().unwrap_or(&filename)),
                    "slug" => {
                        hugo_urlize(slug.as_deref().or(title.as_deref()).unwrap_or(&filename))
                    }
                    "filename" | "contentbasename" => hugo_urlize(&filename),
                    "slugorfilename" => hugo_urlize(slug.as_deref().unwrap_or(&filename)),
                    _ => return None,
                };
                Some(v)
            };
            let url = sanitize(&fill(template, value));
            match url.strip_suffix('/') {
                Some(dir) if self.ugly && !dir.is_empty() => format!("{dir}.html"),
                _ => url,
            }
        } else {
            let last = if list {
                String::new()
            } else {
                hugo_urlize(slug.as_deref().unwrap_or(&filename))
            };
            let folder = if bundle {
                dir.rsplit_once('/').map_or("", |(d, _)| d)
            } else {
                dir
            };
            let folder = if list { dir } else { folder };
            if self.ugly && !last.is_empty() {
                sanitize(&format!("/{folder}/{last}.html"))
            } else if self.ugly && !folder.is_empty() {
                // A list page with ugly URLs is its folder's name as a file.
                sanitize(&format!("/{folder}.html"))
            } else {
                sanitize(&format!("/{folder}/{last}/"))
            }
        };
        let url = if self.lower { url.to_lowercase() } else { url };
        let url = escape(&url);
        page.url = if self.base.contains("://") {
            format!("{}{url}", self.base)
        } else {
            format!("{}{url}", self.base_path)
        };
        if let Some(t) = title {
            page.title = crate::page::decode_entities(t.trim());
        }
        let authors = self.authors();
        let names = |slug: &str| {
            authors
                .get(&hugo_urlize(slug).to_lowercase())
                .map(|(n, _)| n.clone())
        };
        page.authors = super::author_names(&front, &names);
        let mut depends = vec![self.config_file.clone()];
        for slug in super::strings(&front, "authors")
            .iter()
            .chain(&super::strings(&front, "author"))
        {
            // A slug no file names yet is named by the author page that
            // would hold it, once that is written.
            let file = match authors.get(&hugo_urlize(slug).to_lowercase()) {
                Some((_, file)) => file.clone(),
                None => format!("{}/authors/{}/_index.md", self.content, hugo_urlize(slug)),
            };
            if !depends.contains(&file) {
                depends.push(file);
            }
        }
        page.date = when.as_ref().map(|d| d.as_written().date().to_string());
        let website = self.website();
        page.container = website.name;
        page.publisher = website.publisher;
        page.html_as_text = true;
        page.segments = shortcodes(&path, &page.text, page.body_start, &names);
        let _ = corpus;
        Ok(Published::Page {
            page: Box::new(page),
            depends,
        })
    }

    fn website(&self) -> Website {
        let params = self.config.get("params").and_then(Value::as_object);
        let publisher = match self.config.get("author") {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Object(m)) => text(m, "name"),
            _ => params.and_then(|p| text(p, "author").or_else(|| text(p, "publisher"))),
        };
        Website {
            name: text(&self.config, "title").map(|t| super::site_name(&t)),
            publisher,
            url: self.base.contains("://").then(|| self.base.clone()),
        }
    }
}

/// The body with its shortcodes read for their text: `{{< name … >}}` and
/// `{{% name … %}}` tags dropped and what they enclose kept; a shortcode
/// whose parameters name who said its words makes them a credited
/// blockquote (its `quote=`/`text=`, or what it encloses).
fn shortcodes(
    file: &str,
    whole: &str,
    body_start: usize,
    author: &dyn Fn(&str) -> Option<String>,
) -> Vec<Segment> {
    let mut builder = Builder::new(file, whole);
    let mut copied = body_start;
    let mut at = body_start;
    // The credit of an open shortcode that encloses a quotation.
    let mut open_credit: Vec<(String, Option<String>)> = Vec::new();
    while let Some(found) = whole[at..].find("{{") {
        let open = at + found;
        let rest = &whole[open + 2..];
        let (close_mark, delim) = match rest.chars().next() {
            Some('<') => (">}}", 1),
            Some('%') => ("%}}", 1),
            _ => {
                at = open + 2;
                continue;
            }
        };
        let Some(close) = rest.find(close_mark) else {
            break;
        };
        let after = open + 2 + close + close_mark.len();
        let inner = rest[delim..close].trim();
        builder.copy(copied..open);
        copied = after;
        at = after;
        // `{{</* name */>}}` is a shortcode shown, not run.
        if inner.starts_with("/*") && inner.ends_with("*/") {
            let shown = format!("{{{{<{}>}}}}", &inner[2..inner.len() - 2]);
            builder.replace(open..after, &shown);
            continue;
        }
        if let Some(name) = inner.strip_prefix('/') {
            let name = name.trim();
            match open_credit.iter().rposition(|(n, _)| n == name) {
                Some(i) => {
                    let (_, credit) = open_credit.remove(i);
                    let end = match credit {
                        Some(credit) => format!("\n>\n> — {credit}\n\n"),
                        None => String::new(),
                    };
                    builder.replace(open..after, &end);
                }
                None => builder.replace(open..after, ""),
            }
            continue;
        }
        let (name, args) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
        let args = parameters(args);
        let credit = CREDIT_KEYS
            .iter()
            .find_map(|k| args.get(*k).cloned())
            .map(|c| author(&c).unwrap_or(c));
        let quote = QUOTE_KEYS.iter().find_map(|k| args.get(*k).cloned());
        match (quote, credit) {
            (Some(quote), Some(credit)) => {
                let lines: Vec<String> = quote.lines().map(|l| format!("> {}", l.trim())).collect();
                builder.replace(
                    open..after,
                    &format!("\n\n{}\n>\n> — {credit}\n\n", lines.join("\n")),
                );
            }
            (None, Some(credit)) if !inner.ends_with('/') => {
                // What the shortcode encloses is the quotation.
                open_credit.push((name.to_string(), Some(credit)));
                builder.replace(open..after, "\n\n> ");
            }
            _ => {
                open_credit.push((name.to_string(), None));
                builder.replace(open..after, "");
            }
        }
    }
    builder.copy(copied..whole.len());
    vec![builder.finish()]
}

/// `key="value"` and `key=value` parameters of a shortcode.
fn parameters(text: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let mut rest = text.trim();
    while let Some(eq) = rest.find('=') {
        let key = rest[..eq].trim().to_string();
        let after = rest[eq + 1..].trim_start();
        let (value, next) = match after.chars().next() {
            Some(q @ ('"' | '`' | '\'')) => match after[1..].find(q) {
                Some(end) => (after[1..end + 1].to_string(), &after[end + 2..]),
                None => (after[1..].to_string(), ""),
            },
            _ => {
                let end = after.find(char::is_whitespace).unwrap_or(after.len());
                (after[..end].to_string(), &after[end..])
            }
        };
        if !key.is_empty() && !key.contains(char::is_whitespace) {
            out.insert(key, value);
        }
        rest = next.trim_start();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> String {
        let names = |s: &str| (s == "ada").then(|| "Ada Quill".to_string());
        shortcodes("p.md", text, 0, &names)
            .into_iter()
            .map(|s| s.text)
            .collect()
    }

    #[test]
    fn shortcodes_keep_their_text_and_credit_their_quotations() {
        assert_eq!(
            read("A {{< highlight go >}}x := 1{{< /highlight >}} b"),
            "A x := 1 b"
        );
        assert_eq!(
            read("{{< quote author=\"ada\" >}}We stay.{{< /quote >}}"),
            "\n\n> We stay.\n>\n> — Ada Quill\n\n"
        );
        assert_eq!(
            read("{{% pullquote text=\"Rent is due.\" cite=\"Kim Park\" %}}"),
            "\n\n> Rent is due.\n>\n> — Kim Park\n\n"
        );
        assert_eq!(read("Shown: {{</* gist x */>}}"), "Shown: {{< gist x >}}");
    }
}

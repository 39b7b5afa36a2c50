//! Page: one corpus file as a visitor reads it — its front matter, title,
//! URL and authors, and its text as Markdown is to read it: the segments
//! of the files that hold its words.

use serde_json::Value;

use crate::error::{Error, Result};
use crate::source::{Source, SourceKind, is_web_link};

mod front;
mod segment;

pub use front::line_at;
pub use segment::{Builder, Segment};

use front::{front_line, front_links, scalar_text, split_front_matter};

/// A link listed in front matter, such as an entry of the seed's `types`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontLink {
    /// The front matter key of the list (`types`).
    pub key: String,
    /// The link's name.
    pub name: String,
    /// Its URL, as written.
    pub url: Option<String>,
    /// Byte range in the file of the list entry.
    pub span: std::ops::Range<usize>,
}

/// One corpus file, read and checked.
#[derive(Debug, Clone)]
pub struct Page {
    /// Path relative to the corpus root.
    pub path: String,
    /// The slug: the path without its extension, used in passage ids.
    pub slug: String,
    /// The whole file.
    pub text: String,
    /// Front matter as a JSON object (empty when there is none).
    pub front: serde_json::Map<String, Value>,
    /// Byte offset of the Markdown body in [`Page::text`].
    pub body_start: usize,
    /// Title, HTML entities decoded: from front matter, else the first heading, else the slug.
    pub title: String,
    /// The page's URL: front matter `url` or `permalink`, else `/slug/`.
    pub url: String,
    /// Links listed in front matter.
    pub links: Vec<FrontLink>,
    /// What was wrong but did not stop the page from being read, by line:
    /// a URL that is not a web address, an HTML comment never closed.
    pub warnings: Vec<(usize, String)>,
    /// Byte offsets of the line breaks, for [`Page::line_of`].
    line_breaks: Vec<usize>,
    /// Whether [`Page::url`] was made from the slug.
    url_from_slug: bool,
    /// The text a visitor reads, as Markdown: the body, or what the site's
    /// generator made of it (templates resolved, includes spliced in).
    pub segments: Vec<Segment>,
    /// Whether HTML in the segments is read as text (its tags dropped, its
    /// blocks made passages), as for a site's pages; a plain corpus keeps
    /// raw HTML as it stands.
    pub html_as_text: bool,
    /// The page's authors by name, when the site says who they are.
    pub authors: Option<Vec<String>>,
    /// The date the site publishes the page under, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// The website the page is part of, and its publisher, for citations.
    pub container: Option<String>,
    /// The website's publisher.
    pub publisher: Option<String>,
}

impl Page {
    /// Checks and parses a corpus file; errors carry `path` and a line.
    pub fn parse(path: &str, bytes: Vec<u8>) -> Result<Page> {
        let bad = |line: usize, message: String| Error::Corpus {
            path: path.to_string(),
            line,
            message,
        };
        let probe = &bytes[..bytes.len().min(8192)];
        if let Some(at) = probe.iter().position(|&b| b == 0) {
            return Err(bad(
                line_at(&bytes, at),
                "binary file (it holds NUL bytes)".into(),
            ));
        }
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let line = line_at(e.as_bytes(), at);
                return Err(bad(line, format!("invalid UTF-8 at byte {at}")));
            }
        };
        let (front, body_start, warnings) =
            split_front_matter(&text).map_err(|(line, m)| bad(line, m))?;
        let mut page = Page::assemble(path, text, front, body_start);
        page.warnings.splice(0..0, warnings);
        Ok(page)
    }

    /// A page of text that is not a corpus file as it stands, such as the
    /// Markdown extracted from a source document, with the front matter
    /// that says what it is: its whole text is the body.
    pub fn from_text(path: &str, text: String, front: serde_json::Map<String, Value>) -> Page {
        Page::assemble(path, text, front, 0)
    }

    fn assemble(
        path: &str,
        text: String,
        front: serde_json::Map<String, Value>,
        body_start: usize,
    ) -> Page {
        let slug = page_slug(path);
        let title = front
            .get("title")
            .and_then(scalar_text)
            .map(|t| decode_entities(t.trim()))
            .filter(|t| !t.is_empty());
        let line_breaks: Vec<usize> = memchr::memchr_iter(b'\n', text.as_bytes()).collect();
        let line_of = |offset: usize| 1 + line_breaks.partition_point(|&b| b < offset);
        let mut warnings = Vec::new();
        let written = ["url", "permalink"]
            .iter()
            .find_map(|k| front.get(*k).and_then(scalar_text).map(|u| (*k, u)));
        let url = match written {
            Some((_, url)) if is_web_link(&url) => Some(url),
            Some((key, url)) => {
                warnings.push((
                    front_line(&text[..body_start], key),
                    format!("`{key}: {url}` is not a web address (http, https or a path); it is not used"),
                ));
                None
            }
            None => None,
        };
        let url_from_slug = url.is_none();
        let url = url.unwrap_or_else(|| format!("/{slug}/"));
        let mut links = front_links(&text[..body_start], &front);
        for link in &mut links {
            if let Some(url) = link.url.take_if(|u| !is_web_link(u)) {
                warnings.push((
                    line_of(link.span.start),
                    format!(
                        "the link `{url}` of `{}` is not a web address; it is dropped",
                        link.name
                    ),
                ));
            }
        }
        if let Some(&first) = unclosed_comments(&text[body_start..]).first() {
            warnings.push((
                line_of(body_start + first),
                "an HTML comment opens here and never closes; what follows is indexed as text"
                    .into(),
            ));
        }
        let mut page = Page {
            path: path.to_string(),
            slug,
            text,
            front,
            body_start,
            title: String::new(),
            url,
            links,
            warnings,
            line_breaks,
            url_from_slug,
            segments: Vec::new(),
            html_as_text: false,
            authors: None,
            date: None,
            container: None,
            publisher: None,
        };
        page.segments = vec![Segment::verbatim(
            path,
            &page.text,
            body_start..page.text.len(),
        )];
        page.title = title
            .or_else(|| first_heading(page.body()))
            .unwrap_or_else(|| page.slug.clone());
        page
    }

    /// The page with the slug `slug` in its passage ids (and its URL, when
    /// that was made from the slug): another file of the corpus has the
    /// slug its path gives.
    pub fn with_slug(mut self, slug: &str) -> Page {
        if slug != self.slug {
            self.warnings.push((
                1,
                format!(
                    "its passages would have the ids `{}#p…` of another file; they are `{slug}#p…`",
                    self.slug
                ),
            ));
            if self.url_from_slug {
                self.url = format!("/{slug}/");
            }
            if self.title == self.slug {
                self.title = slug.to_string();
            }
            self.slug = slug.to_string();
        }
        self
    }

    /// The Markdown body, after the front matter.
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// The 1-based line of byte `offset` in the file, in logarithmic time:
    /// a page of thousands of passages asks for every one.
    pub fn line_of(&self, offset: usize) -> usize {
        1 + self.line_breaks.partition_point(|&b| b < offset)
    }

    /// The page as a citable source, described by its front matter.
    pub fn source(&self) -> Source {
        let field = |keys: &[&str]| {
            keys.iter()
                .find_map(|k| self.front.get(*k).and_then(scalar_text))
                .map(|t| decode_entities(&t))
                .filter(|t| !t.trim().is_empty())
        };
        let mut authors = Vec::new();
        for key in ["authors", "author"] {
            match self.front.get(key) {
                Some(Value::Array(list)) => authors.extend(list.iter().filter_map(scalar_text)),
                Some(v) => authors.extend(scalar_text(v)),
                None => {}
            }
        }
        let authors = match &self.authors {
            Some(names) => names.clone(),
            None => authors
                .iter()
                .flat_map(|a| split_names(a))
                .map(|a| decode_entities(a.trim()))
                .filter(|a| !a.is_empty() && !a.eq_ignore_ascii_case("anonymous"))
                .collect(),
        };
        let journal = field(&["journal", "container", "site", "publication"]);
        Source {
            id: self.slug.clone(),
            kind: if journal.is_some() {
                SourceKind::Article
            } else {
                SourceKind::WebPage
            },
            title: Some(self.title.clone()),
            authors,
            container: journal.or_else(|| self.container.clone()),
            publisher: field(&["publisher"]).or_else(|| self.publisher.clone()),
            date: self.date.clone().or_else(|| field(&["date", "year"])),
            volume: field(&["volume"]),
            // "17 pages" is a length, not where in a volume the work stands.
            pages: field(&["pages"]).filter(|p| !p.trim_end().ends_with("pages")),
            url: Some(self.url.clone()),
            page: Some(self.path.clone()),
            ..Source::default()
        }
    }
}

/// Offsets in `body` of the `<!--` that open an HTML block comment (at the
/// start of a line, as CommonMark has them) which no `-->` closes.
pub fn unclosed_comments(body: &str) -> Vec<usize> {
    let last_close = body.rfind("-->").map_or(0, |i| i + 1);
    let mut out = Vec::new();
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if indent <= 3 && line[indent..].starts_with("<!--") && offset + indent >= last_close {
            out.push(offset + indent);
        }
        offset += line.len();
    }
    out
}

/// The names in an author field: "A; B", "A and B", or "Patrick Wilson,
/// Isaac Newton" split into names, while "Wilson, Patrick" (family name
/// first) stays one.
fn split_names(field: &str) -> Vec<&str> {
    let mut names = Vec::new();
    for part in field.split(';') {
        let commas: Vec<&str> = part.split(',').map(str::trim).collect();
        let each_a_name = commas.len() > 1
            && commas
                .iter()
                .all(|c| c.split_whitespace().count() >= 2 || c.starts_with("and "));
        let pieces = if each_a_name { commas } else { vec![part] };
        for piece in pieces {
            let piece = piece.trim().strip_prefix("and ").unwrap_or(piece.trim());
            names.extend(piece.split(" and ").flat_map(|n| n.split(" & ")));
        }
    }
    names
}

/// The slug of a corpus path: without its extension, lower case, with
/// characters other than letters, digits, `-`, `_`, `.` and `/` made `-`.
pub fn page_slug(path: &str) -> String {
    let stem = match path.rfind('.') {
        Some(dot) if !path[dot..].contains('/') => &path[..dot],
        _ => path,
    };
    stem.chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/') {
                c.to_lowercase().next().unwrap_or(c)
            } else {
                '-'
            }
        })
        .collect()
}

/// Decodes HTML entities (`&amp;` is `&`).
pub fn decode_entities(text: &str) -> String {
    html_escape::decode_html_entities(text).into_owned()
}

fn first_heading(body: &str) -> Option<String> {
    body.lines()
        .find_map(|l| l.strip_prefix("# "))
        .map(|h| decode_entities(h.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn author_fields_split_into_names() {
        assert_eq!(
            split_names("Patrick Wilson, Isaac Newton, Nevil Maskelyne"),
            ["Patrick Wilson", "Isaac Newton", "Nevil Maskelyne"]
        );
        assert_eq!(split_names("Wilson, Patrick"), ["Wilson, Patrick"]);
        assert_eq!(
            split_names("Robert Boyle and Robert Hooke; J. Smith"),
            ["Robert Boyle", "Robert Hooke", "J. Smith"]
        );
        assert_eq!(
            split_names("Kris Hermes, Jane Doe, and John Roe"),
            ["Kris Hermes", "Jane Doe", "John Roe"]
        );
    }

    fn page(text: &str) -> Result<Page> {
        Page::parse("dir/Some Page.md", text.as_bytes().to_vec())
    }

    #[test]
    fn yaml_front_matter_with_entities_and_links() {
        let p = page("---\ntitle: Jail &amp; Court\ntypes:\n  - name: Seattle WTO\n    url: seattle-wto\n---\nBody\n")
            .unwrap();
        assert_eq!(p.title, "Jail & Court");
        assert_eq!(p.body(), "Body\n");
        assert_eq!(p.links.len(), 1);
        assert_eq!(p.links[0].name, "Seattle WTO");
        assert_eq!(
            &p.text[p.links[0].span.clone()],
            "  - name: Seattle WTO\n    url: seattle-wto"
        );
        assert_eq!(p.slug, "dir/some-page");
    }

    // Regression: 16 pages of a Hugo site were skipped for a key written
    // twice, in a site its own generator builds (taking the later value).
    #[test]
    fn a_key_written_twice_is_a_warning_and_the_later_value_wins() {
        let p = page("---\ntitle: First\ntags:\n  - a\ntitle: Second\n---\nBody\n").unwrap();
        assert_eq!(p.title, "Second");
        assert_eq!(p.front["tags"][0], "a");
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].0, 2, "{:?}", p.warnings);
        let p = page("+++\ntitle = \"One\"\ntitle = \"Two\"\n+++\nBody\n").unwrap();
        assert_eq!(p.title, "Two");
        assert_eq!(p.warnings[0].0, 2);
    }

    #[test]
    fn toml_front_matter() {
        let p =
            page("+++\ntitle = \"Hugo page\"\nauthor = \"A. Writer\"\n+++\n# Heading\n").unwrap();
        assert_eq!(p.title, "Hugo page");
        assert_eq!(p.source().authors, ["A. Writer"]);
    }

    #[test]
    fn no_front_matter_takes_the_first_heading() {
        let p = page("# A title\n\ntext\n").unwrap();
        assert_eq!(p.title, "A title");
        assert_eq!(p.body_start, 0);
    }

    #[test]
    fn bad_front_matter_reports_its_line() {
        let err = page("---\ntitle: ok\nauthor: [unclosed\n---\nbody\n").unwrap_err();
        let Error::Corpus { line, .. } = &err else {
            panic!("{err}")
        };
        assert_eq!(*line, 4, "{err}");
        // The parser's own line numbers are the file's too.
        assert!(
            err.to_string().contains("flow sequence at line 3 column 9"),
            "{err}"
        );
        // Lone carriage returns are line breaks to YAML, not to the file
        // (found by fuzzing: "line 63" of an 8-line file).
        let err = page("---\ntitle: \"A: b\ndate:\r\r\r\r\r\r 2016\n---\n\nbody\n").unwrap_err();
        let Error::Corpus { line, .. } = &err else {
            panic!("{err}")
        };
        assert!((2..=5).contains(line), "{err}");
        assert!(!err.to_string().contains("line 9"), "{err}");
        let err = page("---\ntitle: never closed\n").unwrap_err();
        assert!(err.to_string().contains(":1: front matter opened"), "{err}");
        let err = page("+++\ntitle = \n+++\n").unwrap_err();
        assert!(err.to_string().contains(":2: bad TOML"), "{err}");
    }

    #[test]
    fn invalid_utf8_and_binary_files_report_a_line() {
        let err = Page::parse("a.md", b"one\ntwo \xff\n".to_vec()).unwrap_err();
        assert!(
            err.to_string().starts_with("a.md:2: invalid UTF-8"),
            "{err}"
        );
        let err = Page::parse("b.md", b"\x89PNG\r\n\x1a\n\0\0".to_vec()).unwrap_err();
        assert!(err.to_string().contains("binary file"), "{err}");
    }
}

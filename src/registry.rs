//! Registry: the files at the corpus root that describe sources.
//!
//! Three formats are read, so that sources can come straight from a
//! reference manager: the YAML registry (`sources.yaml`, with the aliases by
//! which the text names a source), BibTeX or BibLaTeX (`*.bib`, as Zotero
//! exports it) and CSL-JSON (`*.json`, an array of items). An entry's key or
//! `id` becomes the source id; a source described in several files is merged,
//! the YAML registry's fields winning, then the other files in name order.

use std::path::Path;

use hayagriva::types::EntryType;

use crate::error::{Error, Result};
use crate::source::{Source, SourceKind};

/// The format of a registry file, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `sources.yaml` or `sources.yml`.
    Yaml,
    /// `*.bib`: BibTeX or BibLaTeX.
    Bibtex,
    /// `*.json`: CSL-JSON.
    CslJson,
}

impl Format {
    /// The format of the corpus-root file `name`, if it is a registry file.
    pub fn of(name: &str) -> Option<Format> {
        let lower = name.to_ascii_lowercase();
        if crate::source::REGISTRY_FILES.contains(&lower.as_str()) {
            Some(Format::Yaml)
        } else if lower.ends_with(".bib") {
            Some(Format::Bibtex)
        } else if lower.ends_with(".json") {
            Some(Format::CslJson)
        } else {
            None
        }
    }
}

/// Reads the registry file at `path`; `display` names it in errors.
///
/// Returns the sources that could be read and the problems met: an entry
/// that is broken is reported with its line and the others are kept.
pub fn read(path: &Path, display: &str) -> (Vec<Source>, Vec<Error>) {
    let format = Format::of(display.rsplit('/').next().unwrap_or(display)).unwrap_or(Format::Yaml);
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => {
            let error = Error::Corpus {
                path: display.to_string(),
                line: 1,
                message: format!("cannot read the sources file: {e}"),
            };
            return (vec![], vec![error]);
        }
    };
    let whole = match format {
        Format::Yaml => crate::source::parse_registry(&text, display),
        Format::Bibtex => parse_bibtex(&text, display),
        Format::CslJson => parse_csl_json(&text, display),
    };
    match whole {
        Ok(sources) => (sources, vec![]),
        Err(e) if format == Format::Bibtex => {
            // Keep the entries that do parse on their own.
            let sources = bibtex_entries(&text)
                .filter_map(|chunk| parse_bibtex(chunk, display).ok())
                .flatten()
                .collect();
            (sources, vec![e])
        }
        Err(e) => (vec![], vec![e]),
    }
}

/// The 1-based line of byte `offset` in `text`.
fn line_at(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    let end = (0..=end)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    text[..end].matches('\n').count() + 1
}

/// The entries of a BibTeX file, each from an `@` at the start of a line to
/// the next, with the file's `@string` abbreviations before each.
fn bibtex_entries(text: &str) -> impl Iterator<Item = &str> {
    let starts: Vec<usize> = text
        .match_indices('@')
        .map(|(i, _)| i)
        .filter(|&i| i == 0 || text[..i].ends_with('\n'))
        .chain([text.len()])
        .collect();
    (0..starts.len().saturating_sub(1)).map(move |i| &text[starts[i]..starts[i + 1]])
}

/// Parses BibTeX or BibLaTeX; `display` names the file in errors.
pub fn parse_bibtex(text: &str, display: &str) -> Result<Vec<Source>> {
    let error = |offset: usize, message: String| {
        let line = line_at(text, offset);
        // An entry left open is only noticed at the end of the file: say
        // where it began.
        let opened = bibtex_entries(text)
            .map(|chunk| chunk.as_ptr() as usize - text.as_ptr() as usize)
            .take_while(|&start| start <= offset)
            .last()
            .map(|start| line_at(text, start))
            .filter(|&start| start != line);
        Error::Corpus {
            path: display.to_string(),
            line: opened.unwrap_or(line),
            message: match opened {
                Some(_) => format!("{message} (in the entry that starts on this line)"),
                None => message,
            },
        }
    };
    let bibliography = biblatex::Bibliography::parse(text)
        .map_err(|e| error(e.span.start, format!("bad BibTeX: {}", e.kind)))?;
    let mut sources = Vec::new();
    for entry in bibliography.iter() {
        let converted: hayagriva::Entry = entry.try_into().map_err(|e: biblatex::TypeError| {
            error(
                e.span.start,
                format!("bad BibTeX entry `{}`: {}", entry.key, e.kind),
            )
        })?;
        sources.push(from_hayagriva(&converted));
    }
    Ok(sources)
}

/// The source that a hayagriva entry describes.
fn from_hayagriva(entry: &hayagriva::Entry) -> Source {
    let text = |s: Option<&hayagriva::types::FormatString>| {
        s.map(|s| s.to_string()).filter(|s| !s.trim().is_empty())
    };
    let kind = match entry.entry_type() {
        EntryType::Article | EntryType::Chapter | EntryType::Entry | EntryType::Anthos => {
            SourceKind::Article
        }
        EntryType::Book | EntryType::Anthology | EntryType::Proceedings | EntryType::Thesis => {
            SourceKind::Book
        }
        EntryType::Report | EntryType::Manuscript => SourceKind::Handbook,
        _ => SourceKind::WebPage,
    };
    // A journal article's journal, a chapter's book: the parent's title.
    let container = entry
        .parents()
        .iter()
        .find_map(|p| text(p.title()))
        .or_else(|| text(entry.organization()));
    let publisher = entry.publisher().and_then(|p| text(p.name())).or_else(|| {
        entry
            .parents()
            .iter()
            .find_map(|p| p.publisher().and_then(|p| text(p.name())))
    });
    let date = entry
        .date()
        .or_else(|| entry.parents().iter().find_map(|p| p.date()))
        .map(|d| d.to_string().trim_start_matches('~').to_string());
    let volume = entry
        .volume()
        .or_else(|| entry.parents().iter().find_map(|p| p.volume()))
        .map(|v| v.to_string());
    let authors = entry
        .authors()
        .unwrap_or_default()
        .iter()
        .map(|p| p.given_first(false))
        .collect();
    Source {
        id: entry.key().to_string(),
        kind,
        title: text(entry.title()),
        authors,
        container,
        publisher,
        date,
        volume,
        pages: entry.page_range().map(|p| p.to_string()),
        url: entry.url().map(|u| u.value.to_string()),
        note: text(entry.note()),
        ..Source::default()
    }
}

/// Parses CSL-JSON, an array of items; `display` names the file in errors.
pub fn parse_csl_json(text: &str, display: &str) -> Result<Vec<Source>> {
    let error = |line: usize, message: String| Error::Corpus {
        path: display.to_string(),
        line,
        message,
    };
    let items: Vec<serde_json::Map<String, serde_json::Value>> = serde_json::from_str(text)
        .map_err(|e| {
            error(
                e.line().max(1),
                format!("not CSL-JSON (an array of items with `id` and `type`): {e}"),
            )
        })?;
    let mut sources = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let string = |key: &str| match item.get(key) {
            Some(serde_json::Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
            Some(serde_json::Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        let Some(id) = string("id") else {
            // Items are not numbered by line in the parsed value; find the
            // item's opening brace to name it.
            let line = nth_item_line(text, i);
            return Err(error(line, format!("CSL-JSON item {} has no `id`", i + 1)));
        };
        let kind = match string("type").as_deref().unwrap_or("") {
            t if t.starts_with("article") || t == "chapter" || t.starts_with("entry-") => {
                SourceKind::Article
            }
            "book" | "thesis" => SourceKind::Book,
            "pamphlet" | "report" | "manuscript" => SourceKind::Handbook,
            "entry" => SourceKind::Organisation,
            _ => SourceKind::WebPage,
        };
        let authors = item
            .get("author")
            .and_then(|a| a.as_array())
            .map(|names| names.iter().filter_map(csl_name).collect())
            .unwrap_or_default();
        sources.push(Source {
            id,
            kind,
            title: string("title"),
            authors,
            container: string("container-title"),
            publisher: string("publisher"),
            date: item.get("issued").and_then(csl_date),
            volume: string("volume"),
            pages: string("page"),
            url: string("URL"),
            note: string("note"),
            ..Source::default()
        });
    }
    Ok(sources)
}

/// "Given Family" from a CSL name, or its literal form.
fn csl_name(name: &serde_json::Value) -> Option<String> {
    let part = |key: &str| name.get(key).and_then(|v| v.as_str()).map(str::trim);
    if let Some(literal) = part("literal").filter(|s| !s.is_empty()) {
        return Some(literal.to_string());
    }
    let joined: Vec<&str> = ["given", "non-dropping-particle", "family", "suffix"]
        .into_iter()
        .filter_map(part)
        .filter(|s| !s.is_empty())
        .collect();
    (!joined.is_empty()).then(|| joined.join(" "))
}

/// `2016`, `2016-07` or `2016-07-04` from a CSL date (`date-parts` or `raw`).
fn csl_date(date: &serde_json::Value) -> Option<String> {
    if let Some(parts) = date
        .get("date-parts")
        .and_then(|p| p.get(0))
        .and_then(|p| p.as_array())
    {
        let numbers: Vec<i64> = parts
            .iter()
            .map_while(|p| match p {
                serde_json::Value::Number(n) => n.as_i64(),
                serde_json::Value::String(s) => s.trim().parse().ok(),
                _ => None,
            })
            .take(3)
            .collect();
        if let Some((year, rest)) = numbers.split_first() {
            let mut out = format!("{year:04}");
            for n in rest {
                out.push_str(&format!("-{n:02}"));
            }
            return Some(out);
        }
    }
    ["raw", "literal"]
        .into_iter()
        .find_map(|k| date.get(k).and_then(|v| v.as_str()))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// The line on which the `index`th item of a top-level JSON array opens.
fn nth_item_line(text: &str, index: usize) -> usize {
    let mut depth = 0usize;
    let mut seen = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (offset, c) in text.char_indices() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '[' | '{' => {
                if c == '{' && depth == 1 {
                    if seen == index {
                        return line_at(text, offset);
                    }
                    seen += 1;
                }
                depth += 1;
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    1
}

#[cfg(test)]
mod tests {
    use super::*;

    const BIB: &str = r#"% Exported from Zotero
@article{hermes2016,
  title = {Collective Action Behind Bars},
  author = {Hermes, Kris},
  journaltitle = {Upping the Anti: A Journal of Theory and Action},
  date = {2016-07},
  volume = {18},
  pages = {47--60},
  url = {https://uppingtheanti.org/journal/article/18-collective-action-behind-bars},
}

@book{boyle1660,
  title = {New Experiments Physico-Mechanical, Touching the Spring of the Air},
  author = {Boyle, Robert},
  publisher = {H. Hall},
  year = {1660},
}
"#;

    #[test]
    fn bibtex_entries_become_sources() {
        let sources = parse_bibtex(BIB, "refs.bib").unwrap();
        assert_eq!(sources.len(), 2);
        let hermes = &sources[0];
        assert_eq!(hermes.id, "hermes2016");
        assert_eq!(hermes.kind, SourceKind::Article);
        assert_eq!(
            hermes.title.as_deref(),
            Some("Collective Action Behind Bars")
        );
        assert_eq!(hermes.authors, ["Kris Hermes"]);
        assert_eq!(
            hermes.container.as_deref(),
            Some("Upping the Anti: A Journal of Theory and Action")
        );
        assert_eq!(hermes.date.as_deref(), Some("2016-07"));
        assert_eq!(hermes.volume.as_deref(), Some("18"));
        assert_eq!(hermes.pages.as_deref(), Some("47-60"));
        assert_eq!(hermes.short_label(), "Hermes 2016");
        let boyle = &sources[1];
        assert_eq!(boyle.kind, SourceKind::Book);
        assert_eq!(boyle.publisher.as_deref(), Some("H. Hall"));
        assert_eq!(boyle.date.as_deref(), Some("1660"));
    }

    #[test]
    fn bibtex_errors_name_the_line() {
        let broken = "@book{a,\n  title = {A},\n}\n\n@article{b,\n  title = {B\n";
        let Error::Corpus { line, message, .. } = parse_bibtex(broken, "refs.bib").unwrap_err()
        else {
            panic!()
        };
        assert_eq!(line, 5, "{message}");
        assert!(message.contains("BibTeX"), "{message}");
        // The good entry is kept.
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("refs.bib"), broken).unwrap();
        let (sources, problems) = read(&dir.path().join("refs.bib"), "refs.bib");
        assert_eq!(sources.len(), 1);
        assert_eq!(sources[0].id, "a");
        assert_eq!(problems.len(), 1);
    }

    #[test]
    fn csl_json_items_become_sources() {
        let json = r#"[
  {"id": "hermes-2016", "type": "article-journal",
   "title": "Collective Action Behind Bars",
   "author": [{"family": "Hermes", "given": "Kris"}],
   "container-title": "Upping the Anti", "issued": {"date-parts": [["2016", 7]]},
   "URL": "https://uppingtheanti.org/"},
  {"id": "jclc", "type": "entry", "title": "Just Cause Law Collective",
   "author": [{"literal": "Just Cause Law Collective"}], "issued": {"raw": "2001"}}
]"#;
        let sources = parse_csl_json(json, "refs.json").unwrap();
        assert_eq!(sources[0].authors, ["Kris Hermes"]);
        assert_eq!(sources[0].date.as_deref(), Some("2016-07"));
        assert_eq!(sources[0].kind, SourceKind::Article);
        assert_eq!(sources[1].kind, SourceKind::Organisation);
        assert_eq!(sources[1].authors, ["Just Cause Law Collective"]);
        assert_eq!(sources[1].date.as_deref(), Some("2001"));
    }

    #[test]
    fn csl_json_round_trips_what_citeindex_exports() {
        let hermes = Source {
            id: "hermes-2016".into(),
            kind: SourceKind::Article,
            title: Some("Collective Action Behind Bars".into()),
            authors: vec!["Kris Hermes".into()],
            container: Some("Upping the Anti".into()),
            date: Some("2016-07".into()),
            url: Some("https://uppingtheanti.org/".into()),
            ..Source::default()
        };
        let json = serde_json::to_string(&[crate::cite::csl_item(&hermes)]).unwrap();
        assert_eq!(parse_csl_json(&json, "x.json").unwrap(), [hermes]);
    }

    #[test]
    fn csl_json_errors_name_the_line() {
        let json = "[\n  {\"id\": \"a\", \"type\": \"book\"},\n  {\"type\": \"book\"}\n]";
        let Error::Corpus { line, .. } = parse_csl_json(json, "x.json").unwrap_err() else {
            panic!()
        };
        assert_eq!(line, 3);
        let Error::Corpus { line, .. } = parse_csl_json("{\n\"a\": 1}", "x.json").unwrap_err()
        else {
            panic!()
        };
        assert!(line >= 1);
    }
}

//! CSL-JSON files: an array of items, as Zotero exports them.

use std::collections::HashMap;

use super::problem;
use crate::error::Error;
use crate::source::{Source, SourceKind};

/// Parses CSL-JSON, an array of items; `display` names the file in errors.
/// An item that is not an object, or has no `id` or one already taken, is
/// reported with its line and skipped.
pub fn parse(text: &str, display: &str) -> (Vec<Source>, Vec<Error>) {
    // serde_json refuses to nest deeper than 128, so no file overflows the stack.
    let items: Vec<serde_json::Value> = match serde_json::from_str(text) {
        Ok(items) => items,
        Err(e) => {
            let message = format!("not CSL-JSON (an array of items with `id` and `type`): {e}");
            return (vec![], vec![problem(display, e.line().max(1), message)]);
        }
    };
    // Items are not numbered by line in the parsed value: their opening
    // braces are found once, to name them.
    let lines = item_lines(text);
    let line_of = |i: usize| lines.get(i).copied().unwrap_or(1);
    let mut sources = Vec::with_capacity(items.len());
    let mut problems = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        let Some(item) = item.as_object() else {
            let message = format!("CSL-JSON item {} is not an object; it is skipped", i + 1);
            problems.push(problem(display, line_of(i), message));
            continue;
        };
        let string = |key: &str| match item.get(key) {
            Some(serde_json::Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
            Some(serde_json::Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        let Some(id) = string("id") else {
            let message = format!("CSL-JSON item {} has no `id`; it is skipped", i + 1);
            problems.push(problem(display, line_of(i), message));
            continue;
        };
        if let Some(&first) = seen.get(&id) {
            let message = format!(
                "CSL-JSON item {} has the id `{id}` of the item on line {first}; it is skipped",
                i + 1
            );
            problems.push(problem(display, line_of(i), message));
            continue;
        }
        seen.insert(id.clone(), line_of(i));
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
    (sources, problems)
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

/// The line on which each item of a top-level JSON array opens, in one pass.
fn item_lines(text: &str) -> Vec<usize> {
    let mut lines = Vec::new();
    let mut depth = 0usize;
    let mut line = 1;
    let mut in_string = false;
    let mut escaped = false;
    let mut item_open = false;
    for c in text.chars() {
        if c == '\n' {
            line += 1;
        }
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
                if depth == 1 {
                    lines.push(line);
                    item_open = true;
                }
                depth += 1;
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            c if depth == 1 && !item_open && !c.is_whitespace() && c != ',' => {
                // A scalar item: it opens here.
                lines.push(line);
                item_open = true;
            }
            _ => {}
        }
        if depth == 1 && c == ',' {
            item_open = false;
        }
        if depth == 1 && matches!(c, '}' | ']') {
            item_open = true;
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let sources = parse(json, "refs.json").0;
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
        assert_eq!(parse(&json, "x.json").0, [hermes]);
    }

    #[test]
    fn csl_json_errors_name_the_line() {
        let json = "[\n  {\"id\": \"a\", \"type\": \"book\"},\n  {\"type\": \"book\"}\n]";
        let (sources, problems) = parse(json, "x.json");
        assert_eq!(sources.len(), 1);
        let Some(Error::Corpus { line, .. }) = problems.first() else {
            panic!("{problems:?}")
        };
        assert_eq!(*line, 3);
        let (_, problems) = parse("{\n\"a\": 1}", "x.json");
        assert!(matches!(problems[..], [Error::Corpus { line: 1.., .. }]));
    }

    #[test]
    fn a_bad_item_is_skipped_and_the_others_are_read() {
        let json = "[\n  {\"id\": \"a\", \"type\": \"book\"},\n  7,\n  {\"id\": \"a\"},\n  {\"type\": \"book\"},\n  {\"id\": \"b\"}\n]";
        let (sources, problems) = parse(json, "x.json");
        let ids: Vec<&str> = sources.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["a", "b"]);
        let lines: Vec<usize> = problems
            .iter()
            .map(|e| match e {
                Error::Corpus { line, .. } => *line,
                _ => 0,
            })
            .collect();
        assert_eq!(lines, [3, 4, 5], "{problems:?}");
    }
}

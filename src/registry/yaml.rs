//! The YAML registry: `sources:` and a list of sources, each with the
//! fields of [`Source`].

use std::collections::HashMap;

use serde::Deserialize;

use super::{line_at, problem};
use crate::error::Error;
use crate::source::Source;

/// The file's shape, read strictly to learn the line of its first problem.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RegistryFile {
    #[allow(dead_code)]
    sources: Vec<Source>,
}

/// Parses a YAML registry; `display` names it in errors. An entry that is
/// wrong is reported with its line and skipped; a file that is not YAML,
/// or has no list of sources, is reported whole.
pub fn parse(text: &str, display: &str) -> (Vec<Source>, Vec<Error>) {
    if let Err((line, why)) = crate::yaml::check_flow_nesting(text) {
        let message = format!("bad sources registry: {why}");
        return (vec![], vec![problem(display, line, message)]);
    }
    let value: serde_norway::Value = match serde_norway::from_str(text) {
        Ok(value) => value,
        Err(e) => {
            let line = e.location().map_or(1, |l| l.line());
            return (
                vec![],
                vec![problem(display, line, format!("bad sources registry: {e}"))],
            );
        }
    };
    let list = match &value {
        serde_norway::Value::Null => return (vec![], vec![]),
        serde_norway::Value::Mapping(map) => {
            match map.get("sources") {
                Some(serde_norway::Value::Sequence(list)) => list,
                Some(serde_norway::Value::Null) => return (vec![], vec![]),
                _ => {
                    let message = "bad sources registry: it must say `sources:` and list the sources under it".into();
                    return (vec![], vec![problem(display, 1, message)]);
                }
            }
        }
        _ => {
            let message = "bad sources registry: it must be a mapping with `sources:`".into();
            return (vec![], vec![problem(display, 1, message)]);
        }
    };
    let mut problems = Vec::new();
    if let serde_norway::Value::Mapping(map) = &value {
        for key in map.keys().filter(|k| k.as_str() != Some("sources")) {
            let key = key.as_str().unwrap_or("?");
            problems.push(problem(
                display,
                key_line(text, key),
                format!("bad sources registry: `{key}` is not a key it can have (only `sources:`)"),
            ));
        }
    }
    let starts = item_lines(text, list.len());
    // Read strictly, the whole file names the line of its first problem.
    let strict_line = serde_norway::from_str::<RegistryFile>(text)
        .err()
        .and_then(|e| e.location())
        .map(|l| l.line());
    let mut sources: Vec<Source> = Vec::with_capacity(list.len());
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, item) in list.iter().enumerate() {
        let start = starts[i];
        let end = starts.get(i + 1).copied().unwrap_or(usize::MAX);
        let n = i + 1;
        match serde_norway::from_value::<Source>(item.clone()) {
            Ok(source) if source.id.trim().is_empty() => problems.push(problem(
                display,
                start,
                format!("bad sources registry: source number {n} has no id; it is skipped"),
            )),
            Ok(mut source) => match seen.get(&source.id) {
                Some(&line) => problems.push(problem(
                    display,
                    start,
                    format!(
                        "bad sources registry: source number {n} has the id `{}` of the source on line {line}; it is skipped",
                        source.id
                    ),
                )),
                None => {
                    seen.insert(source.id.clone(), start);
                    // Where a field came from is citeindex's to say.
                    source.provenance.clear();
                    source.conflicts.clear();
                    sources.push(source);
                }
            },
            Err(e) => {
                let line = strict_line
                    .filter(|l| (start..end).contains(l))
                    .unwrap_or(start);
                problems.push(problem(
                    display,
                    line,
                    format!("bad sources registry: source number {n} is skipped: {e}"),
                ));
            }
        }
    }
    (sources, problems)
}

/// The line of the top-level key `key`, else 1.
fn key_line(text: &str, key: &str) -> usize {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line
            .strip_prefix(key)
            .is_some_and(|r| r.trim_start().starts_with(':'))
        {
            return line_at(text, offset);
        }
        offset += line.len();
    }
    1
}

/// The line on which each of the `count` entries under `sources:` starts:
/// the lines that open a list item at the indentation of the first one.
/// A list written inline (`[…]`) gives every entry the line of `sources:`.
fn item_lines(text: &str, count: usize) -> Vec<usize> {
    let mut starts = Vec::with_capacity(count);
    let mut sources_line = 1;
    let mut indent: Option<usize> = None;
    let mut in_sources = false;
    for (number, line) in text.lines().enumerate() {
        let number = number + 1;
        let trimmed = line.trim_start();
        let depth = line.len() - trimmed.len();
        if !in_sources {
            if depth == 0 && line.starts_with("sources") && line[7..].trim_start().starts_with(':')
            {
                in_sources = true;
                sources_line = number;
            }
            continue;
        }
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if depth == 0 && !trimmed.starts_with('-') {
            break;
        }
        let opens_item = trimmed == "-" || trimmed.starts_with("- ");
        match indent {
            None if opens_item => {
                indent = Some(depth);
                starts.push(number);
            }
            Some(d) if opens_item && depth == d => starts.push(number),
            _ => {}
        }
    }
    starts.resize(count.max(starts.len()), sources_line);
    starts.truncate(count);
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_and_messages(problems: &[Error]) -> Vec<(usize, String)> {
        problems
            .iter()
            .map(|e| match e {
                Error::Corpus { line, message, .. } => (*line, message.clone()),
                other => panic!("{other}"),
            })
            .collect()
    }

    #[test]
    fn registry_errors_name_the_line() {
        let (sources, problems) = parse("sources:\n  - id: a\n    colour: red\n", "sources.yaml");
        assert!(sources.is_empty());
        let problems = lines_and_messages(&problems);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].0, 3, "{}", problems[0].1);
    }

    #[test]
    fn one_bad_entry_is_skipped_and_the_others_are_read() {
        let text = "\
sources:
  - id: good-one
    title: Good One
  - id: bad-kind
    kind: pamphleteer
  - id: good-one
    title: The same id again
  - title: No id at all
  - id: ''
  - id: good-two
    kind: organisation
    title: Good Two
";
        let (sources, problems) = parse(text, "sources.yaml");
        let ids: Vec<&str> = sources.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["good-one", "good-two"]);
        assert_eq!(sources[0].title.as_deref(), Some("Good One"));
        let problems = lines_and_messages(&problems);
        let lines: Vec<usize> = problems.iter().map(|p| p.0).collect();
        assert_eq!(lines, [5, 6, 8, 9], "{problems:?}");
        assert!(problems[0].1.contains("pamphleteer"), "{problems:?}");
        assert!(problems[1].1.contains("line 2"), "{problems:?}");
    }

    #[test]
    fn a_file_that_is_not_a_registry_is_reported_whole() {
        let (sources, problems) = parse("sources: [unclosed\n", "sources.yaml");
        assert!(sources.is_empty());
        assert_eq!(problems.len(), 1);
        let (_, problems) = parse("- id: a\n", "sources.yaml");
        assert_eq!(problems.len(), 1);
        let (sources, problems) = parse("", "sources.yaml");
        assert!(sources.is_empty() && problems.is_empty());
    }
}

//! Front matter: the YAML (`---`) or TOML (`+++`) block at the top of a
//! page, read into a JSON object, with errors on the file's own lines.

use serde_json::Value;

use super::FrontLink;
use super::decode_entities;

/// The line (1-based, in the file) of the front matter key `key`, else 1.
pub(super) fn front_line(front_text: &str, key: &str) -> usize {
    let mut offset = 0;
    for line in front_text.split_inclusive('\n') {
        let rest = line.trim_start();
        if rest
            .strip_prefix(key)
            .is_some_and(|r| r.trim_start().starts_with([':', '=']))
        {
            return line_at(front_text.as_bytes(), offset);
        }
        offset += line.len();
    }
    1
}

/// The 1-based line of byte `offset` in `bytes`.
pub fn line_at(bytes: &[u8], offset: usize) -> usize {
    1 + bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

pub(super) fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Front matter as a JSON object, the body's offset, and warnings by line.
pub(super) type FrontMatter = (serde_json::Map<String, Value>, usize, Vec<(usize, String)>);

/// Splits off front matter: returns it as a JSON object and the body's offset,
/// or the line and message of what is wrong with it.
pub(super) fn split_front_matter(text: &str) -> std::result::Result<FrontMatter, (usize, String)> {
    let text_no_bom = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom = text.len() - text_no_bom.len();
    let first_line = text_no_bom.lines().next().unwrap_or("");
    let fence = match first_line.trim_end() {
        "---" => "---",
        "+++" => "+++",
        _ => return Ok((serde_json::Map::new(), 0, vec![])),
    };
    let content_start = bom + first_line.len() + line_break_len(&text[bom + first_line.len()..]);
    let mut at = content_start;
    while at < text.len() {
        let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        let line = text[at..line_end].trim_end();
        if line == fence || (fence == "---" && line == "...") {
            let content = &text[content_start..at];
            let body_start = (line_end + 1).min(text.len());
            let first_line = line_at(text.as_bytes(), content_start);
            let (front, warnings) = match parse_front(content, fence) {
                Ok(front) => (front, vec![]),
                // A key written twice: the generators take the later value,
                // and so does this, saying so.
                Err(error) => match without_repeated_keys(content, fence == "+++") {
                    Some((kept, dropped)) => match parse_front(&kept, fence) {
                        Ok(front) => {
                            let warnings = dropped
                                .into_iter()
                                .map(|(line, key)| {
                                    (
                                        first_line + line - 1,
                                        format!("the front matter key `{key}` is given again later; the later value is used"),
                                    )
                                })
                                .collect();
                            (front, warnings)
                        }
                        Err(_) => return Err((error.0 + 1, error.1)),
                    },
                    None => return Err((error.0 + 1, error.1)),
                },
            };
            return Ok((front, body_start, warnings));
        }
        at = line_end + 1;
    }
    Err((
        1,
        format!("front matter opened with `{fence}` on line 1 is never closed"),
    ))
}

/// `content` with every top-level key written more than once kept only
/// where it is written last (the earlier ones made blank lines, so lines
/// still count), and the lines and keys dropped; `None` when no key is
/// written twice.
fn without_repeated_keys(content: &str, toml: bool) -> Option<(String, Vec<(usize, String)>)> {
    let lines: Vec<&str> = content.split_inclusive('\n').collect();
    // Top-level keys: their line and where their value's lines end.
    let mut keys: Vec<(String, usize)> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let key = if toml {
            if line.trim_start().starts_with('[') {
                break;
            }
            line.split_once('=')
                .map(|(k, _)| k.trim().trim_matches(['"', '\'']).to_string())
        } else if line.starts_with([' ', '\t', '-', '#']) || line.trim().is_empty() {
            None
        } else {
            line.split_once(':')
                .map(|(k, _)| k.trim().trim_matches(['"', '\'']).to_string())
        };
        if let Some(key) = key.filter(|k| !k.is_empty() && !k.contains(char::is_whitespace)) {
            keys.push((key, i));
        }
    }
    let mut dropped = Vec::new();
    let mut blank = vec![false; lines.len()];
    for (n, (key, start)) in keys.iter().enumerate() {
        if keys[n + 1..].iter().any(|(k, _)| k == key) {
            let end = keys.get(n + 1).map_or(lines.len(), |(_, s)| *s);
            let end = if toml {
                (*start + 1).max(end.min(*start + 1))
            } else {
                end
            };
            for b in &mut blank[*start..end] {
                *b = true;
            }
            dropped.push((*start + 1, key.clone()));
        }
    }
    if dropped.is_empty() {
        return None;
    }
    let kept = lines
        .iter()
        .zip(&blank)
        .map(|(line, &b)| if b { "\n" } else { line })
        .collect();
    Some((kept, dropped))
}

pub(super) fn line_break_len(rest: &str) -> usize {
    if rest.starts_with("\r\n") {
        2
    } else {
        usize::from(rest.starts_with('\n'))
    }
}

/// Parses front matter content; errors give the line within the content.
fn parse_front(
    content: &str,
    fence: &str,
) -> std::result::Result<serde_json::Map<String, Value>, (usize, String)> {
    let value: Value = if fence == "+++" {
        let table: toml::Table = toml::from_str(content).map_err(|e| {
            let line = e.span().map_or(1, |s| line_at(content.as_bytes(), s.start));
            (line, format!("bad TOML front matter: {}", e.message()))
        })?;
        serde_json::to_value(table).map_err(|e| (1, format!("bad TOML front matter: {e}")))?
    } else {
        if content.trim().is_empty() {
            return Ok(serde_json::Map::new());
        }
        crate::yaml::check_flow_nesting(content)
            .map_err(|(line, why)| (line, format!("bad YAML front matter: {why}")))?;
        let yaml: serde_norway::Value = serde_norway::from_str(content).map_err(|e| {
            let line = e.location().map_or(1, |l| yaml_line(content, l.line()));
            // The parser counts from the front matter's first line, the
            // file from the fence above it.
            (
                line,
                format!(
                    "bad YAML front matter: {}",
                    map_lines(&e.to_string(), |n| yaml_line(content, n) + 1)
                ),
            )
        })?;
        serde_json::to_value(yaml).map_err(|e| (1, format!("bad YAML front matter: {e}")))?
    };
    match value {
        Value::Object(map) => Ok(map),
        Value::Null => Ok(serde_json::Map::new()),
        other => Err((
            1,
            format!(
                "front matter must be a mapping of keys, not {}",
                kind_of(&other)
            ),
        )),
    }
}

/// The line, counted in `\n`s as everywhere else, of the YAML parser's
/// line `n` of `content`: YAML also breaks lines at a lone `\r`, NEL, LS
/// and PS, so a file with old Mac line ends has more YAML lines than lines.
fn yaml_line(content: &str, n: usize) -> usize {
    let mut breaks = 0;
    let mut chars = content.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if breaks + 1 >= n {
            return line_at(content.as_bytes(), at);
        }
        match c {
            '\r' if chars.peek().is_some_and(|&(_, next)| next == '\n') => {}
            '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}' => breaks += 1,
            _ => {}
        }
    }
    line_at(content.as_bytes(), content.len())
}

/// Rewrites every "line N" in a parser's message as `f(N)`.
fn map_lines(message: &str, f: impl Fn(usize) -> usize) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find("line ") {
        let (before, after) = rest.split_at(i + "line ".len());
        out.push_str(before);
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        match after[..digits].parse::<usize>() {
            Ok(n) => out.push_str(&f(n).to_string()),
            Err(_) => out.push_str(&after[..digits]),
        }
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Array(_) => "a list",
        Value::String(_) => "a string",
        Value::Number(_) => "a number",
        Value::Bool(_) => "a boolean",
        _ => "this",
    }
}

/// Finds lists of links in front matter (entries with a name or title and
/// a url or link) and where each entry stands in the front matter text.
pub(super) fn front_links(
    front_text: &str,
    front: &serde_json::Map<String, Value>,
) -> Vec<FrontLink> {
    let mut links = Vec::new();
    let mut cursor = 0;
    for (key, value) in front {
        let Value::Array(items) = value else { continue };
        for item in items {
            let Value::Object(entry) = item else { continue };
            let name = ["name", "title", "text", "label"]
                .iter()
                .find_map(|k| entry.get(*k).and_then(scalar_text));
            let url = ["url", "link", "href"]
                .iter()
                .find_map(|k| entry.get(*k).and_then(scalar_text));
            let Some(name) = name else { continue };
            if url.is_none() && entry.len() > 1 {
                continue;
            }
            // Locate the entry in the raw text: its name, then its url.
            let found = front_text[cursor..]
                .find(name.as_str())
                .map(|i| cursor + i)
                .or_else(|| front_text.find(name.as_str()));
            let span = match found {
                Some(at) => {
                    let start = front_text[..at].rfind('\n').map_or(0, |i| i + 1);
                    let mut end = front_text[at..]
                        .find('\n')
                        .map_or(front_text.len(), |i| at + i);
                    if let Some(url) = &url
                        && let Some(u) = front_text[end..].find(url.as_str())
                    {
                        let u = end + u;
                        let between = &front_text[end..u];
                        if between.matches('\n').count() <= 2 && !between.contains("- ") {
                            end = front_text[u..]
                                .find('\n')
                                .map_or(front_text.len(), |i| u + i);
                        }
                    }
                    cursor = end;
                    start..end
                }
                None => 0..front_text.len(),
            };
            links.push(FrontLink {
                key: key.clone(),
                name: decode_entities(&name),
                url,
                span,
            });
        }
    }
    links
}

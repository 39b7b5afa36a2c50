//! Liquid: the template language of Jekyll, read the way a visitor sees
//! what it makes — `{{ site.title }}` and `{{ page.x }}` resolved, an
//! author's slug put through a filter (`{{ "ada" | team_link }}`) become the
//! author's name, `{% include %}` spliced in, `{% raw %}` kept literally,
//! other tags and kramdown's attribute lists (`{: .class }`) dropped.
//!
//! The text is rewritten into [`Segment`]s, which remember where every
//! byte came from, so passages keep the spans of the files that hold
//! their words.

use std::ops::Range;

use serde_json::{Map, Value};

use crate::corpus::Corpus;
use crate::page::{Builder, Segment};

/// How deep includes may nest.
const MAX_INCLUDE_DEPTH: usize = 8;

/// Keys of an include's parameters that carry a quotation.
const QUOTE_KEYS: [&str; 4] = ["quote", "quotation", "pullquote", "text"];
/// Keys that name who said it.
const CREDIT_KEYS: [&str; 7] = [
    "attribution",
    "author",
    "cite",
    "credit",
    "source",
    "name",
    "by",
];
/// Keys that add a role to the credit.
const ROLE_KEYS: [&str; 4] = ["position", "role", "title", "job"];
/// Keys that add an affiliation to the credit.
const AFFILIATION_KEYS: [&str; 4] = ["organization", "organisation", "affiliation", "company"];

/// What a page's templates can see.
pub struct Context<'a> {
    /// The site's configuration, as `site.*`.
    pub site: &'a Map<String, Value>,
    /// The page's front matter, as `page.*`.
    pub page: &'a Map<String, Value>,
    /// An author's name by slug.
    pub author: &'a dyn Fn(&str) -> Option<String>,
    /// The corpus path of the include `name`, from the file `from`
    /// (relative to it for `include_relative`), if there is one.
    pub include: &'a dyn Fn(&str, &str, bool) -> Option<String>,
    /// The corpus, to read includes from.
    pub corpus: &'a Corpus,
}

/// A page's text made readable, and the files it was made from.
#[derive(Debug, Default)]
pub struct Expanded {
    /// The segments, in reading order.
    pub segments: Vec<Segment>,
    /// The include files it spliced in.
    pub depends: Vec<String>,
}

/// Rewrites `range` of `whole` (the text of corpus file `file`) into `out`.
pub fn expand(
    file: &str,
    whole: &str,
    range: Range<usize>,
    ctx: &Context,
    params: &Map<String, Value>,
    out: &mut Expanded,
) {
    let flat;
    let whole = if is_html(file) {
        flat = tags_on_one_line(whole);
        flat.as_str()
    } else {
        whole
    };
    expand_at(
        file,
        whole,
        range,
        ctx,
        params,
        out,
        &mut vec![file.to_string()],
    );
}

fn expand_at(
    file: &str,
    whole: &str,
    range: Range<usize>,
    ctx: &Context,
    params: &Map<String, Value>,
    out: &mut Expanded,
    stack: &mut Vec<String>,
) {
    let bytes = whole.as_bytes();
    let end = range.end.min(whole.len());
    let mut builder = Builder::new(file, whole);
    let mut copied = range.start;
    let mut at = range.start;
    while let Some(found) = memchr::memchr(b'{', &bytes[at..end]) {
        let open = at + found;
        let next = bytes.get(open + 1).copied();
        let close_mark = match next {
            Some(b'%') => "%}",
            Some(b'{') => "}}",
            Some(b':') => "}",
            _ => {
                at = open + 1;
                continue;
            }
        };
        let Some(close) = find_close(whole, open + 2, end, close_mark) else {
            at = open + 1;
            continue;
        };
        let after = close + close_mark.len();
        // A kramdown attribute list stays on its line.
        if next == Some(b':') && whole[open..after].contains('\n') {
            at = open + 1;
            continue;
        }
        builder.copy(copied..open);
        let inner = whole[open + 2..close].trim_matches('-').trim();
        copied = after;
        at = after;
        match next {
            Some(b'{') => {
                let value = evaluate(inner, ctx, params).unwrap_or_default();
                builder.replace(open..after, &value);
            }
            Some(b':') => builder.replace(open..after, ""),
            _ => {
                let name = inner.split_whitespace().next().unwrap_or("");
                match name {
                    "raw" | "comment" | "highlight" => {
                        let end_name = format!("end{name}");
                        let (body_end, end_after) =
                            find_end_tag(whole, after, end, &end_name).unwrap_or((end, end));
                        match name {
                            "raw" => {
                                builder.replace(open..after, "");
                                builder.copy(after..body_end);
                                builder.replace(body_end..end_after, "");
                            }
                            "highlight" => {
                                let language = inner.split_whitespace().nth(1).unwrap_or("");
                                builder.replace(open..after, &format!("\n```{language}\n"));
                                builder.copy(after..body_end);
                                builder.replace(body_end..end_after, "\n```\n");
                            }
                            _ => builder.replace(open..end_after, ""),
                        }
                        copied = end_after;
                        at = end_after;
                    }
                    "include" | "include_relative" => {
                        let relative = name == "include_relative";
                        let call = inner[name.len()..].trim();
                        match include(call, relative, file, ctx, params) {
                            Included::Text(text) => builder.replace(open..after, &text),
                            Included::File(path, args)
                                if stack.len() < MAX_INCLUDE_DEPTH && !stack.contains(&path) =>
                            {
                                builder.replace(open..after, "");
                                let done =
                                    std::mem::replace(&mut builder, Builder::new(file, whole));
                                push(out, done.finish());
                                if let Ok(bytes) = ctx.corpus.read(&path)
                                    && let Ok(text) = String::from_utf8(bytes)
                                {
                                    let text = if is_html(&path) {
                                        tags_on_one_line(&text)
                                    } else {
                                        text
                                    };
                                    if !out.depends.contains(&path) {
                                        out.depends.push(path.clone());
                                    }
                                    let body = body_of(&text);
                                    stack.push(path.clone());
                                    expand_at(&path, &text, body, ctx, &args, out, stack);
                                    stack.pop();
                                }
                            }
                            _ => builder.replace(open..after, ""),
                        }
                    }
                    _ => builder.replace(open..after, ""),
                }
            }
        }
    }
    builder.copy(copied..end);
    push(out, builder.finish());
}

fn is_html(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".html") || lower.ends_with(".htm")
}

/// An HTML fragment with every tag on one line: a newline inside a tag is
/// a space to HTML, but Markdown, which the fragment is read with, would
/// end the tag there and read a `>` that starts the next line as a
/// blockquote. Each newline becomes a space, so every byte stays where
/// it was and spans still point into the file.
fn tags_on_one_line(text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    let mut at = 0;
    while at < bytes.len() {
        let opens_tag = bytes[at] == b'<'
            && bytes
                .get(at + 1)
                .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'/');
        if !opens_tag {
            at += 1;
            continue;
        }
        // Up to the `>` that closes the tag, outside quoted values; a tag
        // that never closes is left as it is.
        let mut quote = None;
        let mut end = Err(bytes.len());
        for (i, &b) in bytes.iter().enumerate().skip(at + 1) {
            match (quote, b) {
                (Some(q), b) if b == q => quote = None,
                (Some(_), _) => {}
                (None, b'"' | b'\'') => quote = Some(b),
                (None, b'>') => {
                    end = Ok(i);
                    break;
                }
                (None, b'<') => {
                    end = Err(i);
                    break;
                }
                _ => {}
            }
        }
        match end {
            Ok(end) => {
                for b in &mut bytes[at..end] {
                    if matches!(*b, b'\n' | b'\r') {
                        *b = b' ';
                    }
                }
                at = end + 1;
            }
            // Not a tag: go on from where the look stopped, so that no
            // byte is looked at twice.
            Err(stop) => at = stop,
        }
    }
    String::from_utf8(bytes).unwrap_or_else(|_| text.to_string())
}

fn push(out: &mut Expanded, segment: Segment) {
    if !segment.text.trim().is_empty() {
        out.segments.push(segment);
    }
}

/// Where an included file's text starts: after its front matter, if any.
fn body_of(text: &str) -> Range<usize> {
    match crate::page::Page::parse("include", text.as_bytes().to_vec()) {
        Ok(page) => page.body_start..text.len(),
        Err(_) => 0..text.len(),
    }
}

/// The offset of `mark` closing a tag opened before `from`, outside quotes.
fn find_close(text: &str, from: usize, end: usize, mark: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let first = mark.as_bytes()[0];
    let mut quote: Option<u8> = None;
    let mut i = from;
    while i < end {
        let b = bytes[i];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == first && text[i..].starts_with(mark) => return Some(i),
            // A tag never spans a blank line: a stray `{{` is text.
            None if b == b'\n' && bytes.get(i + 1) == Some(&b'\n') => return None,
            None => {}
        }
        i += 1;
    }
    None
}

/// Where the tag `{% end_name %}` after `from` starts, and where it ends.
fn find_end_tag(text: &str, from: usize, end: usize, end_name: &str) -> Option<(usize, usize)> {
    let mut at = from;
    while let Some(found) = text[at..end].find("{%") {
        let open = at + found;
        let close = text[open..end].find("%}")? + open;
        let inner = text[open + 2..close].trim_matches('-').trim();
        if inner == end_name {
            return Some((open, close + 2));
        }
        // Not the end tag: the next one may start inside this one (raw
        // text holds a lone `{%` more often than a whole tag).
        at = open + 2;
    }
    None
}

/// What an include puts in the page.
enum Included {
    /// Text to put where the tag stands (a quotation and its credit).
    Text(String),
    /// A file to splice in, with its parameters.
    File(String, Map<String, Value>),
    /// Nothing.
    Nothing,
}

/// Reads an include's call: its file, then `key=value` parameters.
fn include(
    call: &str,
    relative: bool,
    from: &str,
    ctx: &Context,
    params: &Map<String, Value>,
) -> Included {
    let (name, rest) = split_word(call);
    let name = if name.starts_with("{{") {
        // `{% include {{ page.article }} %}`: the name is a value.
        let expression = name.trim_start_matches("{{").trim_end_matches("}}");
        match evaluate(expression, ctx, params) {
            Some(v) => v,
            None => return Included::Nothing,
        }
    } else if let Some(literal) = unquote(name) {
        literal
    } else if name.contains('.')
        && !name.contains(['"', '\''])
        && (name.starts_with("page.") || name.starts_with("include.") || name.starts_with("site."))
    {
        match evaluate(name, ctx, params) {
            Some(v) => v,
            None => return Included::Nothing,
        }
    } else {
        name.to_string()
    };
    let args = arguments(rest, ctx, params);
    let quote = QUOTE_KEYS.iter().find_map(|k| string_of(&args, k));
    let credit = CREDIT_KEYS.iter().find_map(|k| string_of(&args, k));
    if let (Some(quote), Some(credit)) = (quote, credit) {
        let credit = (ctx.author)(&credit).unwrap_or(credit);
        let mut line = credit;
        for keys in [&ROLE_KEYS[..], &AFFILIATION_KEYS[..]] {
            if let Some(more) = keys.iter().find_map(|k| string_of(&args, k)) {
                line.push_str(", ");
                line.push_str(&more);
            }
        }
        let quoted: Vec<String> = quote.lines().map(|l| format!("> {}", l.trim())).collect();
        return Included::Text(format!("\n\n{}\n>\n> — {line}\n\n", quoted.join("\n")));
    }
    match (ctx.include)(&name, from, relative) {
        Some(path) => Included::File(path, args),
        None => Included::Nothing,
    }
}

/// The parameters of an include, each `key=value`, the value quoted or a
/// variable.
fn arguments(mut rest: &str, ctx: &Context, params: &Map<String, Value>) -> Map<String, Value> {
    let mut args = Map::new();
    loop {
        rest = rest.trim_start();
        let Some(eq) = rest.find('=') else { break };
        let key = rest[..eq].trim();
        if key.is_empty() || key.contains(char::is_whitespace) {
            // Not `key=value`: skip a word.
            let (_, after) = split_word(rest);
            if after.len() == rest.len() {
                break;
            }
            rest = after;
            continue;
        }
        let (raw, after) = split_word(rest[eq + 1..].trim_start());
        let value = unquote(raw).or_else(|| evaluate(raw, ctx, params));
        if let Some(value) = value {
            args.insert(key.to_string(), Value::String(value));
        }
        rest = after;
    }
    args
}

/// The first word of `text`, a quoted string being one word, and the rest.
fn split_word(text: &str) -> (&str, &str) {
    let text = text.trim_start();
    let bytes = text.as_bytes();
    let Some(&first) = bytes.first() else {
        return ("", "");
    };
    let end = if first == b'"' || first == b'\'' {
        text[1..].find(first as char).map_or(text.len(), |i| i + 2)
    } else if text.starts_with("{{") {
        text.find("}}").map_or(text.len(), |i| i + 2)
    } else {
        text.find(char::is_whitespace).unwrap_or(text.len())
    };
    (&text[..end], &text[end..])
}

/// The text inside quotation marks, if `word` is quoted.
fn unquote(word: &str) -> Option<String> {
    let w = word.trim();
    for q in ['"', '\''] {
        if w.len() >= 2 && w.starts_with(q) && w.ends_with(q) {
            return Some(w[1..w.len() - 1].to_string());
        }
    }
    None
}

fn string_of(map: &Map<String, Value>, key: &str) -> Option<String> {
    match map.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    }
}

/// What `{{ expression }}` shows, when it can be told: a value of the
/// site, the page or the include, or a quoted string, through its
/// filters. A filter applied to an author's slug shows the author's name,
/// unless it makes an image.
pub fn evaluate(expression: &str, ctx: &Context, params: &Map<String, Value>) -> Option<String> {
    let mut parts = split_pipes(expression);
    let value = parts.remove(0);
    let filters: Vec<&str> = parts
        .iter()
        .map(|f| f.split(':').next().unwrap_or("").trim())
        .collect();
    let value = value.trim();
    let resolved = unquote(value).or_else(|| {
        let (scope, path) = value.split_once('.')?;
        let map = match scope {
            "site" => ctx.site,
            "page" => ctx.page,
            "include" => params,
            _ => return None,
        };
        lookup(map, path)
    })?;
    if filters.iter().any(|f| makes_an_image(f)) {
        return None;
    }
    if !filters.is_empty()
        && let Some(name) = (ctx.author)(&resolved)
    {
        return Some(name);
    }
    Some(resolved)
}

/// Whether a filter's name says it makes an image or other non-text.
fn makes_an_image(filter: &str) -> bool {
    let f = filter.to_ascii_lowercase();
    [
        "photo", "image", "img", "avatar", "picture", "icon", "thumb", "embed", "svg",
    ]
    .iter()
    .any(|w| f.contains(w))
}

fn split_pipes(expression: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut quote: Option<char> = None;
    let mut start = 0;
    for (i, c) in expression.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '|' => {
                out.push(&expression[start..i]);
                start = i + 1;
            }
            None => {}
        }
    }
    out.push(&expression[start..]);
    out
}

/// A dotted path (`author.name`) in a JSON object, when it ends at a
/// string or a number.
fn lookup(map: &Map<String, Value>, path: &str) -> Option<String> {
    let mut parts = path.split('.');
    let mut value = map.get(parts.next()?)?;
    for part in parts {
        value = value.as_object()?.get(part)?;
    }
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tag_tests {
    use super::tags_on_one_line;

    #[test]
    fn a_tag_over_lines_is_put_on_one_line_and_nothing_moves() {
        let html = "<a href=\"https://e.org/a\"\n   class=\"card\"\n>\n  <img src=\"x.png\"\n  alt=\"\">\n  Text\n  stays > here\n</a>\n";
        let flat = tags_on_one_line(html);
        assert_eq!(flat.len(), html.len());
        assert_eq!(
            flat,
            "<a href=\"https://e.org/a\"    class=\"card\" >\n  <img src=\"x.png\"   alt=\"\">\n  Text\n  stays > here\n</a>\n"
        );
        // Not tags: a comparison, an unclosed quote, a tag never closed.
        for text in [
            "a < b\nand c > d",
            "<a title=\"never\nclosed>",
            "<b\nno end",
        ] {
            assert_eq!(tags_on_one_line(text), text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, site: &str, page: &str, includes: &[(&str, &str)]) -> (String, Vec<String>) {
        let dir = tempfile::tempdir().unwrap();
        for (path, body) in includes {
            let path = dir.path().join("_includes").join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, body).unwrap();
        }
        std::fs::write(dir.path().join("p.md"), text).unwrap();
        let corpus = Corpus::open(dir.path()).unwrap();
        let site: Map<String, Value> = serde_json::from_str(site).unwrap();
        let page: Map<String, Value> = serde_json::from_str(page).unwrap();
        let author = |slug: &str| (slug == "ada").then(|| "Ada Quill".to_string());
        let include = |name: &str, _: &str, _: bool| {
            let path = format!("_includes/{name}");
            corpus.resolve(&path).is_ok().then_some(path)
        };
        let ctx = Context {
            site: &site,
            page: &page,
            author: &author,
            include: &include,
            corpus: &corpus,
        };
        let mut out = Expanded::default();
        expand("p.md", text, 0..text.len(), &ctx, &Map::new(), &mut out);
        let texts: Vec<String> = out
            .segments
            .iter()
            .map(|s| format!("[{}]{}", s.file, s.text))
            .collect();
        (texts.concat(), out.depends)
    }

    #[test]
    fn values_are_resolved_and_tags_dropped() {
        let (text, _) = run(
            "A [link]({{ site.baseurl }}/x) by {{ \"ada\" | team_link }} {{ \"ada\" | team_photo }}{% if x %}kept{% endif %} in {{ page.place }}.\n{: .lead }\n{% raw %}{{ literal }}{% endraw %} {% comment %}gone{% endcomment %}end",
            r#"{"baseurl": "/base"}"#,
            r#"{"place": "Springfield"}"#,
            &[],
        );
        assert_eq!(
            text,
            "[p.md]A [link](/base/x) by Ada Quill kept in Springfield.\n\n{{ literal }} end"
        );
    }

    #[test]
    fn raw_text_ends_at_its_end_tag_whatever_it_holds() {
        let (text, _) = run(
            "{% raw %}\n```\nstatus: {x {%!s(bool=false)}}\n```\n{% endraw %}\nAfter the log.",
            "{}",
            "{}",
            &[],
        );
        assert_eq!(
            text,
            "[p.md]\n```\nstatus: {x {%!s(bool=false)}}\n```\n\nAfter the log."
        );
    }

    #[test]
    fn an_include_with_a_quotation_and_a_credit_is_a_credited_blockquote() {
        let (text, _) = run(
            "Before.\n\n{% include pull.html quote=\"We stay put.\" attribution=\"ada\" position=\"Organiser\" organization=\"Tenants Union\" %}\n\nAfter.",
            "{}",
            "{}",
            &[],
        );
        assert!(
            text.contains("> We stay put.\n>\n> — Ada Quill, Organiser, Tenants Union"),
            "{text}"
        );
    }

    #[test]
    fn included_files_are_spliced_with_their_own_spans_and_no_loop() {
        let (text, depends) = run(
            "Top.\n{% include part.md who=\"readers\" %}\nBottom.",
            "{}",
            "{}",
            &[
                ("part.md", "Hello {{ include.who }}.\n{% include loop.md %}"),
                (
                    "loop.md",
                    "Again {% include loop.md %} and {% include part.md %}",
                ),
            ],
        );
        assert_eq!(
            text,
            "[p.md]Top.\n[_includes/part.md]Hello readers.\n[_includes/loop.md]Again  and [p.md]\nBottom."
        );
        assert_eq!(depends, ["_includes/part.md", "_includes/loop.md"]);
    }

    #[test]
    fn a_stray_brace_is_text() {
        let (text, _) = run("Set {x} and {{ never closed\n\nnext", "{}", "{}", &[]);
        assert_eq!(text, "[p.md]Set {x} and {{ never closed\n\nnext");
    }
}

//! Front: what a page's front matter says outright, which no pass
//! overrules — `excerpts_from:` (a source id, name or URL) for the page's
//! blockquotes, `sources:` for what the whole page draws on — and the
//! texts of its front matter where it may name people in full (its title,
//! description, excerpt).

use serde_json::Value;

use super::cast::Cast;
use crate::page::Page;
use crate::source::SourceKind;

/// Front matter keys whose text may name the people a page quotes.
const TEXT_KEYS: &[&str] = &["description", "excerpt", "subtitle", "summary", "lede"];

/// What the front matter says outright.
pub(super) struct Overrides {
    /// The source the page's blockquotes are excerpts of.
    pub excerpts_from: Option<String>,
    /// The sources the whole page draws on.
    pub sources: Vec<String>,
}

/// Reads the overrides of `page`, resolving each name through `cast`.
pub(super) fn read(page: &Page, cast: &mut Cast) -> Overrides {
    let mut resolve = |value: &Value| -> Option<String> {
        let text = value.as_str()?.trim();
        if text.is_empty() {
            return None;
        }
        if let Some(source) = cast.registry.by_url(text) {
            return Some(source.id.clone());
        }
        let kind = super::names::kind_of(&text.split_whitespace().collect::<Vec<_>>(), false);
        let kind = if kind == SourceKind::Person && text.split_whitespace().count() > 3 {
            SourceKind::WebPage
        } else {
            kind
        };
        Some(cast.resolve_text(text, kind))
    };
    let excerpts_from = page.front.get("excerpts_from").and_then(&mut resolve);
    let sources = match page.front.get("sources") {
        Some(Value::Array(list)) => list.iter().filter_map(&mut resolve).collect(),
        Some(other) => resolve(other).into_iter().collect(),
        None => vec![],
    };
    Overrides {
        excerpts_from,
        sources,
    }
}

/// The page's title and the texts of its front matter that may name people.
pub(super) fn texts(page: &Page) -> Vec<&str> {
    let mut out = vec![page.title.as_str()];
    out.extend(
        TEXT_KEYS
            .iter()
            .filter_map(|k| page.front.get(*k).and_then(Value::as_str)),
    );
    out
}

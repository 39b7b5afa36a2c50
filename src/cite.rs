//! Cite: citation lines for sources and attribution chains.
//!
//! Citations follow the Chicago Manual of Style's notes format, written in
//! Markdown (`*Italic*` for titles of containers and books), which pastes
//! into most editors; [`plain`] drops the markup. A quotation by one source
//! inside another is cited "quoted in" the other, and an excerpt on a corpus
//! page is "excerpted in" that page.

use serde::Serialize;

use crate::source::{Source, SourceKind};

/// How a source stands in an attribution chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Said the words.
    Speaker,
    /// Quotes the speaker.
    QuotedIn,
    /// The corpus page that excerpts it.
    ExcerptedOn,
    /// The corpus page that quotes the speaker directly.
    QuotedOn,
    /// The corpus page whose own words these are.
    On,
}

/// One link of an attribution chain.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct ChainLink {
    /// How the source stands in the chain.
    pub role: Role,
    /// The source.
    pub source: Source,
}

/// The chain in words: "JCLC, quoted in Hermes 2016, excerpted on Jail & Court Solidarity Actions".
pub fn chain_text(chain: &[ChainLink]) -> String {
    let mut out = String::new();
    for link in chain {
        let label = match link.role {
            Role::Speaker | Role::On => link.source.short_label(),
            // The page is named by its title; it is where the reader goes.
            Role::ExcerptedOn | Role::QuotedOn => link.source.name(),
            Role::QuotedIn => link.source.short_label(),
        };
        let connective = match link.role {
            Role::Speaker | Role::On => "",
            Role::QuotedIn => "quoted in ",
            Role::ExcerptedOn => "excerpted on ",
            Role::QuotedOn => "quoted on ",
        };
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push_str(connective);
        out.push_str(&label);
    }
    out
}

/// A Chicago-style note citing the words at the head of `chain`.
pub fn chicago_chain(chain: &[ChainLink]) -> String {
    let mut parts = Vec::new();
    for link in chain {
        let note = chicago(&link.source);
        parts.push(match link.role {
            Role::Speaker | Role::On => note,
            Role::QuotedIn => format!("quoted in {note}"),
            Role::ExcerptedOn | Role::QuotedOn => format!("excerpted in {note}"),
        });
    }
    finish(&parts.join(", "))
}

/// A Chicago-style note for one source, without the closing period.
pub fn chicago(source: &Source) -> String {
    let authors = join_names(&source.authors);
    let url = source
        .url
        .as_deref()
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    let mut parts: Vec<String> = Vec::new();
    match source.kind {
        SourceKind::Organisation | SourceKind::Person => {
            parts.push(source.name());
        }
        SourceKind::Article | SourceKind::WebPage => {
            if !authors.is_empty() {
                parts.push(authors);
            }
            if let Some(title) = &source.title {
                parts.push(format!("“{title},”"));
            } else if let Some(description) = &source.description {
                parts.push(description.clone());
            }
            let mut container = String::new();
            if let Some(c) = &source.container {
                container.push_str(&format!("*{c}*"));
                if let Some(v) = &source.volume {
                    container.push_str(&format!(" {v}"));
                }
            }
            match (source.year(), container.is_empty()) {
                (Some(year), false) => container.push_str(&format!(" ({year})")),
                (Some(_), true) => container = source.date.clone().unwrap_or_default(),
                _ => {}
            }
            if let Some(pages) = source.pages.as_deref().filter(|p| looks_like_page_range(p)) {
                container.push_str(&format!(": {pages}"));
            }
            if !container.is_empty() {
                parts.push(container);
            }
        }
        SourceKind::Book | SourceKind::Handbook => {
            if !authors.is_empty() {
                parts.push(authors);
            }
            match (&source.title, &source.description) {
                (Some(title), _) => parts.push(format!("*{title}*")),
                (None, Some(description)) => parts.push(description.clone()),
                (None, None) => {}
            }
            let publication: Vec<&str> = source
                .publisher
                .iter()
                .chain(source.date.iter())
                .map(String::as_str)
                .collect();
            if !publication.is_empty() {
                let last = parts.pop().unwrap_or_default();
                parts.push(format!("{last} ({})", publication.join(", ")));
            }
        }
    }
    if let Some(url) = url {
        parts.push(url.to_string());
    }
    // A title in quotation marks carries its own comma.
    let mut out = String::new();
    for part in parts {
        if !out.is_empty() {
            if !out.ends_with(',') && !out.ends_with(",”") {
                out.push(',');
            }
            out.push(' ');
        }
        out.push_str(&part);
    }
    out
}

fn looks_like_page_range(pages: &str) -> bool {
    pages
        .chars()
        .all(|c| c.is_ascii_digit() || "-–, ".contains(c))
        && pages.chars().any(|c| c.is_ascii_digit())
}

fn join_names(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [first, second] => format!("{first} and {second}"),
        [rest @ .., last] => format!("{}, and {last}", rest.join(", ")),
    }
}

/// Ends a note with a period, inside a closing quotation mark.
fn finish(note: &str) -> String {
    let note = note.trim_end_matches(',');
    if let Some(inner) = note.strip_suffix(",”") {
        return format!("{inner}.”");
    }
    if let Some(inner) = note.strip_suffix('”') {
        if inner.ends_with(['.', '?', '!']) {
            return note.to_string();
        }
        return format!("{inner}.”");
    }
    if note.ends_with(['.', '?', '!']) {
        return note.to_string();
    }
    format!("{note}.")
}

/// A citation without Markdown markup.
pub fn plain(citation: &str) -> String {
    citation.replace('*', "")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hermes() -> Source {
        Source {
            id: "hermes-2016".into(),
            kind: SourceKind::Article,
            title: Some("Collective Action Behind Bars".into()),
            authors: vec!["Kris Hermes".into()],
            container: Some("Upping the Anti".into()),
            date: Some("2016".into()),
            url: Some("https://example.org/cabb".into()),
            ..Source::default()
        }
    }

    #[test]
    fn chains_read_as_quoted_in_and_excerpted_in() {
        let jclc = Source {
            id: "jclc".into(),
            kind: SourceKind::Organisation,
            title: Some("Just Cause Law Collective".into()),
            aliases: vec!["JCLC".into()],
            ..Source::default()
        };
        let page = Source {
            id: "page".into(),
            title: Some("Jail & Court Solidarity Actions".into()),
            url: Some("/page/".into()),
            ..Source::default()
        };
        let chain = vec![
            ChainLink {
                role: Role::Speaker,
                source: jclc,
            },
            ChainLink {
                role: Role::QuotedIn,
                source: hermes(),
            },
            ChainLink {
                role: Role::ExcerptedOn,
                source: page,
            },
        ];
        assert_eq!(
            chain_text(&chain),
            "JCLC, quoted in Hermes 2016, excerpted on Jail & Court Solidarity Actions"
        );
        assert_eq!(
            chicago_chain(&chain),
            "Just Cause Law Collective, quoted in Kris Hermes, “Collective Action Behind Bars,” *Upping the Anti* (2016), https://example.org/cabb, excerpted in “Jail & Court Solidarity Actions.”"
        );
    }

    #[test]
    fn untitled_handbooks_use_their_description() {
        let handbook = Source {
            id: "msl".into(),
            kind: SourceKind::Handbook,
            description: Some("legal solidarity handbook".into()),
            authors: vec!["Midnight Special Law Collective".into()],
            url: Some("http://example.net/h.pdf".into()),
            ..Source::default()
        };
        assert_eq!(
            chicago_chain(&[ChainLink {
                role: Role::Speaker,
                source: handbook
            }]),
            "Midnight Special Law Collective, legal solidarity handbook, http://example.net/h.pdf."
        );
    }
}

//! Excerpts: a page that quotes a work at length says so in a note —
//! “The following is an excerpt from …”, “This page includes excerpts
//! from …”, “*Excerpted from …*”, “*Adapted from …*”, “From the memo
//! [Title](url):” — and the note covers:
//!
//! - the blockquotes after it, up to the next heading of its level or
//!   higher;
//! - else a run of paragraphs after it opened and closed by a quotation
//!   mark (`**"**…**"**`);
//! - else the rest of the page or the section the note opens (or, for a
//!   note that ends a page, the page before it).
//!
//! An image caption (“… Image via Ana Ruiz”, “Photo by …”) is the page's
//! own words: it credits an image, and makes nobody a speaker or a source.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::cast::Cast;
use super::lexicon;
use super::names;
use super::said::Said;
use super::text::{Passages, Text};
use crate::passage::{Passage, PassageKind, QuoteKind};
use crate::source::{Source, SourceKind, slug};

/// Notes are short: a paragraph longer than this that mentions an excerpt
/// is prose about one.
const MAX_NOTE_BYTES: usize = 600;
/// The marker of a note stands among its first words.
const NOTE_OPENING_WORDS: usize = 8;
/// Captions are short.
const MAX_CAPTION_BYTES: usize = 400;

/// Finds the page's excerpt notes and image captions, and marks what each
/// note covers.
pub(super) fn attribute(passages: &Passages, cast: &mut Cast, said: &mut Said) {
    let mut section_level = 0u8;
    let mut i = 0;
    while i < passages.len() {
        let passage = passages.passage(i);
        if passage.kind == PassageKind::Heading {
            section_level = passage.level;
        }
        caption(passages, said, i);
        let Some(marker_end) = note_marker(passage) else {
            i += 1;
            continue;
        };
        let Some(id) = note_source(passages, i, marker_end, cast) else {
            i += 1;
            continue;
        };
        said.note[i] = true;
        said.cites[i].push(id.clone());
        for quote in &mut said.quotes[i] {
            quote.kind = Some(QuoteKind::Title);
        }
        let covered = extent(passages, i, section_level);
        for &p in &covered {
            said.excerpt[p].get_or_insert_with(|| id.clone());
        }
        i = covered.last().map_or(i + 1, |&last| last.max(i) + 1);
    }
}

/// Where the marker of an excerpt note ends in `passage`, if it is one.
fn note_marker(passage: &Passage) -> Option<usize> {
    let text = &passage.text;
    if passage.blockquote.is_some()
        || !matches!(passage.kind, PassageKind::Paragraph | PassageKind::ListItem)
        || text.len() > MAX_NOTE_BYTES
    {
        return None;
    }
    // Where the note's opening words end: at the whitespace after the last
    // of them, a char boundary whatever the words hold.
    let mut opening = text.len();
    let mut words = 0;
    let mut in_word = false;
    for (at, c) in text.char_indices() {
        if !c.is_whitespace() {
            in_word = true;
            continue;
        }
        if in_word {
            words += 1;
            if words == NOTE_OPENING_WORDS {
                opening = at;
                break;
            }
        }
        in_word = false;
    }
    if let Some((_, end)) = phrase_at_word(&EXCERPT_MARKERS, &text[..opening]) {
        return Some(end);
    }
    // “From the memo [Title](url), dated …:” before the words it quotes:
    // the work's title, linked or quoted, right after “From”.
    let trimmed = text.trim_start_matches(['*', '_', ' ']);
    let from = text.len() - trimmed.len() + 5;
    let titled = |start: usize| {
        start >= from
            && start - from <= 24
            && text[start..].starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
    };
    if trimmed.starts_with("From ")
        && text.trim_end().trim_end_matches(['*', '_']).ends_with(':')
        && (passage.links.iter().any(|l| titled(l.span.start))
            || passage.quotes.iter().any(|q| titled(q.span.start)))
    {
        return Some(from);
    }
    None
}

/// The source an excerpt note names: its link, else its quoted title,
/// else a name after the marker.
fn note_source(
    passages: &Passages,
    i: usize,
    marker_end: usize,
    cast: &mut Cast,
) -> Option<String> {
    let passage = passages.passage(i);
    let text = &passage.text;
    let after = &text[marker_end..];
    let author = after
        .rfind(" by ")
        .map(|b| marker_end + b + 4)
        .and_then(|at| {
            let reading = Text::new(&text[at..], &[]);
            names::credit(&reading).map(|n| n.text)
        });
    let link = passage.links.iter().find(|l| l.span.end > marker_end);
    if let Some(link) = link
        && let Some(source) = cast.registry.by_url(&link.url)
    {
        return Some(source.id.clone());
    }
    let title = match link {
        Some(l) => Some(text[l.span.clone()].to_string()),
        None => passage
            .quotes
            .iter()
            .find(|q| q.span.start >= marker_end)
            .map(|q| text[q.span.clone()].to_string()),
    };
    let title = title.map(|t| clean_title(&t)).filter(|t| !t.is_empty());
    match title {
        Some(title) => {
            if let Some(source) = cast.registry.by_name(&title) {
                return Some(source.id.clone());
            }
            // What the note calls the work: “the memo”, “the report”.
            let before = text
                [marker_end..link.map_or(marker_end, |l| l.span.start.max(marker_end))]
                .split_whitespace()
                .rev()
                .find_map(|w| lexicon::work_kind(w.trim_matches(|c: char| !c.is_alphanumeric())));
            let source = Source {
                id: slug(&title),
                kind: before.unwrap_or(SourceKind::Article),
                title: Some(title),
                authors: author.into_iter().collect(),
                url: link.map(|l| l.url.clone()),
                ..Source::default()
            };
            Some(cast.add(source))
        }
        None => {
            let reading = Text::new(after, &[]);
            let name = names::credit(&reading)?;
            Some(cast.resolve_text(&name.text, name.kind))
        }
    }
}

fn clean_title(title: &str) -> String {
    let title = title.split(", by ").next().unwrap_or(title);
    title
        .trim()
        .trim_matches(|c: char| "\"“”‘’*_,.".contains(c) || c.is_whitespace())
        .to_string()
}

/// The passages the note at `i` covers.
fn extent(passages: &Passages, i: usize, section_level: u8) -> Vec<usize> {
    let in_section = |p: usize| {
        let passage = passages.passage(p);
        !(passage.kind == PassageKind::Heading
            && (section_level == 0 || passage.level <= section_level))
    };
    let section: Vec<usize> = (i + 1..passages.len())
        .take_while(|&p| in_section(p))
        .collect();
    // The blockquotes of its section.
    let quoted: Vec<usize> = section
        .iter()
        .copied()
        .filter(|&p| passages.passage(p).blockquote.is_some())
        .collect();
    if !quoted.is_empty() {
        return quoted;
    }
    // A run of paragraphs opened and closed by a quotation mark.
    if let Some(&first) = section.first()
        && opens_with_mark(&passages.passage(first).text)
    {
        let mut run = Vec::new();
        for &p in &section {
            run.push(p);
            if closes_with_mark(&passages.passage(p).text) {
                return run;
            }
        }
    }
    // The section the note opens; or, at the end of its section, what
    // stands before it there.
    if !section.is_empty() {
        return section
            .into_iter()
            .filter(|&p| passages.passage(p).kind != PassageKind::Heading)
            .collect();
    }
    (0..i)
        .rev()
        .take_while(|&p| in_section(p))
        .filter(|&p| {
            let kind = passages.passage(p).kind;
            kind != PassageKind::Heading && kind != PassageKind::Link
        })
        .collect()
}

fn opens_with_mark(text: &str) -> bool {
    text.trim_start_matches(['*', '_']).starts_with(['“', '"'])
}

fn closes_with_mark(text: &str) -> bool {
    text.trim_end_matches(['*', '_', ' ']).ends_with(['”', '"'])
}

/// Records an image credit in a caption, whose words are the page's own.
fn caption(passages: &Passages, said: &mut Said, i: usize) {
    let passage = passages.passage(i);
    let text = &passage.text;
    if text.len() > MAX_CAPTION_BYTES || passage.kind == PassageKind::Heading {
        return;
    }
    let Some((_, end)) = phrase_at_word(&IMAGE_CREDITS, text) else {
        return;
    };
    let rest = text[end..].trim_start_matches([':', ' ']);
    let reading = Text::new(rest, &[]);
    if let Some(name) = names::credit(&reading) {
        said.image_credits.push((i, name.text));
    }
}

/// The phrases of excerpt notes and of image credits, each found in one
/// pass over a passage in any ASCII case (every passage is asked).
static EXCERPT_MARKERS: LazyLock<AhoCorasick> = LazyLock::new(|| phrases(lexicon::EXCERPT_MARKERS));
static IMAGE_CREDITS: LazyLock<AhoCorasick> = LazyLock::new(|| phrases(lexicon::IMAGE_CREDITS));

fn phrases(list: &[&str]) -> AhoCorasick {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostFirst)
        .build(list)
        .expect("the lexicon's phrases make an automaton")
}

/// The first of `phrases` in `text` that starts a word: its byte range.
fn phrase_at_word(phrases: &AhoCorasick, text: &str) -> Option<(usize, usize)> {
    phrases
        .find_iter(text)
        .find(|m| {
            text[..m.start()]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
        })
        .map(|m| (m.start(), m.end()))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{heard, read};
    use crate::passage::QuoteKind;

    /// For each passage of `markdown`, the title of the work it excerpts.
    fn excerpts(markdown: &str) -> Vec<Option<String>> {
        let (passages, findings) = read(markdown);
        passages
            .iter()
            .map(|p| {
                let id = p.excerpted_from.as_ref()?;
                findings
                    .discovered
                    .iter()
                    .find(|s| &s.id == id)
                    .and_then(|s| s.title.clone())
            })
            .collect()
    }

    fn rivers() -> Option<String> {
        Some("Rivers of Iron".to_string())
    }

    #[test]
    fn notes_singular_and_plural_cover_the_blockquotes_after_them() {
        for note in [
            "The following is an excerpt from [Rivers of Iron](https://example.org/rivers), by Mara Lind.",
            "This page includes excerpts from “Rivers of Iron,” by Mara Lind.",
            "*Excerpted from [Rivers of Iron](https://example.org/rivers).*",
            "*Adapted from [Rivers of Iron](https://example.org/rivers), by Mara Lind.*",
        ] {
            let text = format!(
                "{note}\n\n> The mill closed.\n\n> The town stayed.\n\n## After\n\n> Elsewhere.\n"
            );
            assert_eq!(
                excerpts(&text),
                [None, rivers(), rivers(), None, None],
                "{note}"
            );
        }
        // The note's own quotation is the work's title.
        let h = heard(
            "This page includes excerpts from “Rivers of Iron,” by Mara Lind.\n\n> The mill closed.\n",
        );
        assert_eq!(h[0].usage, QuoteKind::Title);
        let (_, findings) = read(
            "*Adapted from [Rivers of Iron](https://example.org/rivers), by Mara Lind.*\n\n> The mill closed.\n",
        );
        assert_eq!(findings.discovered[0].authors, ["Mara Lind"]);
    }

    #[test]
    fn a_run_of_quoted_paragraphs_or_the_whole_section() {
        // A run of paragraphs opened and closed by a quotation mark.
        let text = "The following is an excerpt from [Rivers of Iron](https://example.org/rivers):\n\n**\"**The mill closed.\n\nThe town stayed.**\"**\n\nOur own words.\n";
        assert_eq!(excerpts(text), [None, rivers(), rivers(), None]);
        // No blockquote, no marks: the section the note opens.
        let text = "## Part one\n\n*Adapted from [Rivers of Iron](https://example.org/rivers).*\n\nThe mill closed.\n\nThe town stayed.\n\n## Part two\n\nOur own words.\n";
        assert_eq!(excerpts(text), [None, None, rivers(), rivers(), None, None]);
        // A lead-in that names a work: “From the memo [Title](url):”.
        let text = "From the memo [Rivers of Iron](https://example.org/rivers), dated May 2010:\n\nThe mill closed.\n\n## Later\n\nOurs.\n";
        assert_eq!(excerpts(text), [None, rivers(), None, None]);
    }

    #[test]
    fn prose_about_excerpts_is_no_note() {
        let text = "The site was adapted from an older design that the team built in two weeks, and many other things happened after that which this paragraph goes on about at length, well past any note's opening words.\n\n> A quotation.\n";
        assert_eq!(excerpts(text), [None, None]);
    }

    #[test]
    fn image_captions_credit_an_image_and_nobody_speaks() {
        let (passages, findings) =
            read("*The mill in 1920. Photo by Ana Ruiz.*\n\n“We stay,” said Tomas Okafor.\n");
        assert_eq!(
            findings.image_credits,
            [(passages[0].id.clone(), "Ana Ruiz".to_string())]
        );
        assert!(
            findings
                .discovered
                .iter()
                .all(|s| s.title.as_deref() != Some("Ana Ruiz"))
        );
    }
}
